//! Structures: a struct with public `Option` fields, and its builder.
//!
//! Used for the shapes in `types` and for operation inputs and outputs alike.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{deprecated_attr, doc, ident, ident_with, is_plain_data, rust_type, serde_derive, serde_field_attr};
use crate::ir::{Member, RustType, Structure};

/// The type of a member's field: `Option<T>`, boxed when recursive.
pub(crate) fn field_type(member: &Member) -> TokenStream {
    let ty = rust_type(&member.ty);
    if member.boxed {
        quote!(Option<Box<#ty>>)
    } else {
        quote!(Option<#ty>)
    }
}

/// The derives of a structure: no `Clone`/`PartialEq` when it holds a stream, and a
/// hand-written `Debug` (so no derived one) when it holds a secret. Also says whether it
/// holds a secret.
fn derives(s: &Structure) -> (TokenStream, bool) {
    let plain = s.members.iter().all(|m| is_plain_data(&m.ty));
    let sensitive = s.members.iter().any(|m| m.sensitive);
    let derives = match (plain, sensitive) {
        (true, false) => quote!(#[derive(Clone, Debug, Default, PartialEq)]),
        (true, true) => quote!(#[derive(Clone, Default, PartialEq)]),
        (false, false) => quote!(#[derive(Debug, Default)]),
        (false, true) => quote!(#[derive(Default)]),
    };
    (derives, sensitive)
}

/// The struct, its `Debug` (redacting sensitive members), list accessors and `builder()`;
/// an operation's output (`output`) also keeps its request ids (see `dx::request_ids_field`).
pub(crate) fn struct_def(s: &Structure, docs: &str, deprecated: &Option<String>, output: bool) -> TokenStream {
    let name = ident(&s.rust_name);
    let builder = format_ident!("{}Builder", s.rust_name);
    let (derives, sensitive) = derives(s);
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let docs = doc(&m.docs);
        let ty = field_type(m);
        let dep = deprecated_attr(&m.deprecated);
        let serde = serde_field_attr(m);
        quote! { #docs #dep #serde pub #field: #ty, }
    });
    let serde = serde_derive();
    let (ids_field, ids_impl, ids_debug) = match output {
        true => (super::dx::request_ids_field(), super::dx::request_id_impl(&s.rust_name, quote!(&self.request_ids)), &["request_ids"][..]),
        false => (quote!(), quote!(), &[][..]),
    };
    let debug_impl = sensitive.then(|| debug_impl(&s.rust_name, &s.members, ids_debug));
    let accessors = s.members.iter().filter_map(list_accessor);
    let docs = doc(docs);
    let dep = deprecated_attr(deprecated);
    let builder_doc = format!(" A builder for [`{}`].", s.rust_name);
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #derives
        #serde
        pub struct #name {
            #(#fields)*
            #ids_field
        }

        #ids_impl

        impl #name {
            #[doc = #builder_doc]
            #[inline]
            pub fn builder() -> #builder {
                #builder::default()
            }
            #(#accessors)*
        }

        #debug_impl
    }
}

/// `fn contents(&self) -> &[Object]`: a list field as a slice, empty when unset.
fn list_accessor(m: &Member) -> Option<TokenStream> {
    let RustType::List(item) = &m.ty else { return None };
    let field = ident(&m.field);
    let item = rust_type(item);
    let docs = format!(" The `{}` list, or an empty slice if it is not set.", m.name);
    let dep = deprecated_attr(&m.deprecated);
    Some(quote! {
        #[doc = #docs]
        #dep
        #[inline]
        pub fn #field(&self) -> &[#item] {
            self.#field.as_deref().unwrap_or_default()
        }
    })
}

/// A `Debug` that prints `*** Sensitive Data Redacted ***` for sensitive members.
pub(crate) fn debug_impl(rust_name: &str, members: &[Member], extra_fields: &[&str]) -> TokenStream {
    let name = ident(rust_name);
    let type_name = rust_name.to_owned();
    let fields = members.iter().map(|m| {
        let field = ident(&m.field);
        let label = m.field.trim_start_matches("r#").to_owned();
        if m.sensitive {
            quote!(.field(#label, &"*** Sensitive Data Redacted ***"))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let extra = extra_fields.iter().map(|name| {
        let field = ident(name);
        quote!(.field(#name, &self.#field))
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* #(#extra)* .finish()
            }
        }
    }
}

/// The builder: the structure it builds (in a private field), setters, `set_`/`get_`
/// accessors and `build()`.
///
/// The builder holds the structure itself rather than a copy of its fields, as
/// `endpoint::ParamsBuilder` does: its `Clone`, `Debug`, `Default` and `PartialEq` are
/// one-field derives that use the structure's, and `build()` hands the structure over.
/// The compiler checks each member's trait code once per structure instead of twice,
/// and the structure's `Debug` already redacts sensitive members.
///
/// `build()` returns `Result<_, BuildError>` when `fallible` (an operation input, or a
/// structure with required members), checking that required members are set.
pub(crate) fn builder_def(s: &Structure, fallible: bool) -> TokenStream {
    let name = ident(&s.rust_name);
    let builder = format_ident!("{}Builder", s.rust_name);
    let derives = if s.members.iter().all(|m| is_plain_data(&m.ty)) {
        quote!(#[derive(Clone, Debug, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Default)])
    };
    let setters = s.members.iter().map(|m| setters(m, SetterTarget::Field));
    let shape_name = s.rust_name.clone();
    let checks = s.members.iter().filter(|m| m.required).map(|m| {
        let field = ident(&m.field);
        let label = m.field.trim_start_matches("r#").to_owned();
        quote! {
            if self.value.#field.is_none() {
                return Err(::s3_runtime::BuildError::missing_field(#shape_name, #label));
            }
        }
    });
    let build = if fallible {
        let doc = format!(
            " Builds the [`{}`], or says which required member is missing.",
            s.rust_name
        );
        quote! {
            #[doc = #doc]
            pub fn build(self) -> Result<#name, ::s3_runtime::BuildError> {
                #(#checks)*
                Ok(self.value)
            }
        }
    } else {
        let doc = format!(" Builds the [`{}`].", s.rust_name);
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn build(self) -> #name {
                self.value
            }
        }
    };
    let doc = format!(" A builder for [`{}`].", s.rust_name);
    quote! {
        #[doc = #doc]
        #derives
        pub struct #builder {
            value: #name,
        }

        impl #builder {
            #(#setters)*
            #build
        }
    }
}

/// Where setters put a value: in the builder's own field, or (for a fluent builder) in
/// the input builder it wraps.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetterTarget {
    Field,
    Inner,
}

/// The setter, `set_` and `get_` methods of one member.
pub(crate) fn setters(m: &Member, target: SetterTarget) -> TokenStream {
    let field = ident(&m.field);
    let set = ident_with("set_", &m.field, "");
    let get = ident_with("get_", &m.field, "");
    let field_ty = field_type(m);
    let docs = doc(&m.docs);
    let dep = deprecated_attr(&m.deprecated);
    let label = m.field.trim_start_matches("r#");
    let inner = target == SetterTarget::Inner;
    let (params, body, lead_doc) = match &m.ty {
        RustType::List(item) => {
            let item = rust_type(item);
            let body = if inner {
                quote!(self.inner = self.inner.#field(item);)
            } else {
                quote!(self.value.#field.get_or_insert_with(Vec::new).push(item.into());)
            };
            (quote!(item: impl Into<#item>), body, Some(format!(" Appends an item to `{label}`.")))
        }
        RustType::Map(k, v) => {
            let (k, v) = (rust_type(k), rust_type(v));
            let body = if inner {
                quote!(self.inner = self.inner.#field(key, value);)
            } else {
                quote!(self.value.#field.get_or_insert_with(Default::default).insert(key.into(), value.into());)
            };
            (quote!(key: impl Into<#k>, value: impl Into<#v>), body, Some(format!(" Adds an entry to `{label}`.")))
        }
        ty => {
            let ty = rust_type(ty);
            let value = if m.boxed { quote!(Box::new(input.into())) } else { quote!(input.into()) };
            let body = if inner {
                quote!(self.inner = self.inner.#field(input);)
            } else {
                quote!(self.value.#field = Some(#value);)
            };
            (quote!(input: impl Into<#ty>), body, None)
        }
    };
    let lead_doc = lead_doc.map(|text| quote!(#[doc = #text] #[doc = ""]));
    let (set_body, get_body) = if inner {
        (quote!(self.inner = self.inner.#set(input);), quote!(self.inner.#get()))
    } else {
        (quote!(self.value.#field = input;), quote!(&self.value.#field))
    };
    // `set_`/`get_` (like `builder()` and the list accessors) are `#[inline]`: they are
    // trivial and hardly used inside the crate, so each is compiled where a caller uses
    // it, as the generic setters are, instead of all of them in every build of the crate.
    let set_doc = format!(" Sets or clears `{label}`.");
    let get_doc = format!(" The value of `{label}` set so far.");
    quote! {
        #lead_doc
        #docs
        #dep
        pub fn #field(mut self, #params) -> Self {
            #body
            self
        }
        #[doc = #set_doc]
        #dep
        #[inline]
        pub fn #set(mut self, input: #field_ty) -> Self {
            #set_body
            self
        }
        #[doc = #get_doc]
        #dep
        #[inline]
        pub fn #get(&self) -> &#field_ty {
            #get_body
        }
    }
}
