//! Errors: the modeled error shapes (`types::error::NoSuchKey`, …) and each operation's
//! error enum (its modeled errors plus `Unhandled`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structure::{debug_impl, field_type};
use super::{doc, ident, ident_with, serde_derive, serde_field_attr, serde_skip};
use crate::ir::{Operation, Service, Shape, ShapeKind, Structure};

/// A modeled error: its members plus the service's [`ErrorMetadata`].
pub(crate) fn error_shape_def(shape: &Shape, s: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc(&shape.docs);
    let sensitive = s.members.iter().any(|m| m.sensitive);
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = field_type(m);
        let docs = doc(&m.docs);
        let serde = serde_field_attr(m);
        quote!(#docs #serde pub #field: #ty,)
    });
    let (serde, skip) = (serde_derive(), serde_skip());
    let debug = if sensitive { debug_impl(&shape.rust_name, &s.members, &["meta"]) } else { quote!() };
    let request_id_impl = super::dx::request_id_impl(&shape.rust_name, quote!(&self.meta));
    let derives = if sensitive { quote!(#[derive(Clone, Default, PartialEq)]) } else { quote!(#[derive(Clone, Debug, Default, PartialEq)]) };
    let code = s.error.as_ref().map(|e| e.code.clone()).unwrap_or_else(|| shape.name.clone());
    quote! {
        #docs
        #[non_exhaustive]
        #derives
        #serde
        pub struct #name {
            #(#fields)*
            /// What the service said about the error: code, message, request ids.
            #skip
            pub meta: ::s3_runtime::ErrorMetadata,
        }

        impl #name {
            /// The error code the service uses for this error.
            pub const CODE: &'static str = #code;

            /// What the service said about the error.
            #[inline]
            pub fn meta(&self) -> &::s3_runtime::ErrorMetadata {
                &self.meta
            }

            /// The message, if the service sent one.
            #[inline]
            pub fn message(&self) -> Option<&str> {
                self.meta.message()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(Self::CODE)?;
                if let Some(message) = self.meta.message() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }

        impl ::std::error::Error for #name {}

        #request_id_impl

        #debug
    }
}

/// `GetObjectError`: one variant per modeled error, and `Unhandled` for the rest.
///
/// The small accessors are `#[inline]`, compiled where they are used (see
/// `structure::setters`).
pub(crate) fn operation_error(service: &Service, op: &Operation) -> TokenStream {
    let name = format_ident!("{}Error", crate::ir::names::type_name(&op.name));
    let request_id_impl = super::dx::request_id_impl(&name.to_string(), quote!(self.meta()));
    let errors: Vec<&Shape> = op.errors.iter().map(|e| service.shape(e)).collect();
    let variants: Vec<_> = errors.iter().map(|s| ident(&s.rust_name)).collect();
    let variant_docs = errors.iter().map(|s| doc(&s.docs));
    let is_fns = errors.iter().map(|s| ident_with("is_", &crate::ir::names::snake_name(&s.name), ""));
    let is_docs = errors.iter().map(|s| format!(" Whether this is a [`{}`](Self::{}).", s.rust_name, s.rust_name));
    let codes = errors.iter().map(|s| match &s.kind {
        ShapeKind::Structure(st) => st.error.as_ref().map(|e| e.code.clone()).unwrap_or_else(|| s.name.clone()),
        _ => s.name.clone(),
    });
    let doc_text = format!(" The errors of [`{}`](crate::Client::{}).", op.name, op.snake);
    let from_meta_body = if errors.is_empty() {
        quote!(Self::Unhandled(meta))
    } else {
        quote! {
            match meta.code() {
                #( Some(#codes) => Self::#variants(crate::types::error::#variants { meta, ..Default::default() }), )*
                _ => Self::Unhandled(meta),
            }
        }
    };
    quote! {
        #[doc = #doc_text]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #( #variant_docs #variants(crate::types::error::#variants), )*
            /// An error the model does not describe for this operation.
            Unhandled(::s3_runtime::ErrorMetadata),
        }

        impl #name {
            /// Builds the error for the given metadata: the modeled error whose code it
            /// carries, or `Unhandled`.
            pub fn from_meta(meta: ::s3_runtime::ErrorMetadata) -> Self {
                #from_meta_body
            }

            /// What the service said about the error.
            #[inline]
            pub fn meta(&self) -> &::s3_runtime::ErrorMetadata {
                match self {
                    #( Self::#variants(e) => &e.meta, )*
                    Self::Unhandled(meta) => meta,
                }
            }

            /// The error code, such as `NoSuchKey`.
            #[inline]
            pub fn code(&self) -> Option<&str> {
                self.meta().code()
            }

            #(
                #[doc = #is_docs]
                #[inline]
                pub fn #is_fns(&self) -> bool {
                    matches!(self, Self::#variants(_))
                }
            )*
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #( Self::#variants(e) => e.fmt(f), )*
                    Self::Unhandled(meta) => meta.fmt(f),
                }
            }
        }

        impl ::std::error::Error for #name {}

        #request_id_impl
    }
}
