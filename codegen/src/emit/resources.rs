//! boto3's resources (`ir::resources`): `src/resources/mod.rs` (the service resource
//! `Resources` and `Client::resources()`) and one file per resource with its
//! collections. The crate compiles them only with its `resources` feature.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, ident, rust_type};
use crate::ir::resources::{
    Action, BatchAction, Collection, Conversion, DataType, IdSource, Identifier, Load, OpRef, ParamValue, Produced,
    RequestParam, Resource, ResourceSet, ResourceWaiter, SubResource,
};
use crate::ir::RustType;

/// `(path, tokens)` of every file of the resource layer.
pub fn resource_files(set: &ResourceSet) -> Vec<(String, TokenStream)> {
    let mut files = vec![("src/resources/mod.rs".to_owned(), mod_rs(set))];
    for r in &set.resources {
        files.push((format!("src/resources/{}.rs", r.snake), resource_file(r)));
    }
    files
}

fn mod_rs(set: &ResourceSet) -> TokenStream {
    let mods = set.resources.iter().map(|r| format_ident!("{}", r.snake));
    let names = set.resources.iter().map(|r| {
        let m = format_ident!("{}", r.snake);
        let t = ident(&r.rust_name);
        let colls = r.collections.iter().map(|c| ident(&c.rust_name));
        quote!(pub use #m::{#t #(, #colls)*};)
    });
    let list = set.resources.iter().map(|r| format!("[`{0}`]", r.rust_name)).collect::<Vec<_>>().join(", ");
    let module_docs = inner_doc(&format!(
        "boto3's resources, generated from `resources-1.json` (the `resources` feature).\n\n\
         Start from [`Resources`] (`client.resources()`, boto3's `boto3.resource('s3')`). Each resource \
         holds the client and its identifiers; `load()` fetches its data (never implicitly), after which \
         its attribute accessors return values (or [`NotLoaded`] before). \
         Actions return the operation's fluent builder with the identifiers set, or, where the model says \
         the action produces a resource, send it and return that resource. Collections page with the \
         operation's paginator: `limit`, `page_size`, `pages()`, `items()`, and batch actions send one \
         request per page. Names follow boto3's, renamed as boto3 renames them on collisions \
         (`ObjectSummary::key_attribute`).\n\nResources: {list}."
    ));
    let service = resource_body(&set.service);
    quote! {
        #module_docs
        #![allow(deprecated)]
        #(mod #mods;)*
        #(#names)*
        pub use s3_runtime::resources::{BatchError, NotLoaded, ResourceItems, ResourcePages};

        impl crate::Client {
            /// The service resource (boto3's `boto3.resource('s3')`): see [`Resources`].
            pub fn resources(&self) -> Resources {
                Resources::new(self.clone())
            }
        }
        #service
    }
}

/// `#![doc = " line"]` attributes (module documentation).
fn inner_doc(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

fn resource_file(r: &Resource) -> TokenStream {
    let body = resource_body(r);
    quote! {
        //! A resource of boto3's resource model.
        #![allow(deprecated)]
        #body
    }
}

fn op_paths(op: &OpRef) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
    let m = ident(&op.snake);
    let (b, o, e) = (ident(&op.builder), ident(&op.output), ident(&op.error));
    (
        quote!(crate::operation::#m::builders::#b),
        quote!(crate::operation::#m::#o),
        quote!(crate::operation::#m::#e),
        quote!(#m),
    )
}

/// A resource type, from any file of the layer.
fn res_path(name: &str) -> TokenStream {
    let n = ident(name);
    quote!(crate::resources::#n)
}

fn data_path(ty: &DataType) -> TokenStream {
    match ty {
        DataType::Output { module, name } => {
            let (m, n) = (ident(module), ident(name));
            quote!(crate::operation::#m::#n)
        }
        DataType::Type(name) => {
            let n = ident(name);
            quote!(crate::types::#n)
        }
    }
}

fn op_link(op: &OpRef) -> String {
    format!("[`{}`](crate::Client::{})", op.name, op.snake)
}

fn deprecated(op: &OpRef) -> TokenStream {
    if op.deprecated {
        let note = format!("{} is deprecated", op.name);
        quote!(#[deprecated(note = #note)])
    } else {
        quote!()
    }
}

/// An identifier's type as a field, and as a constructor argument.
fn id_types(ty: &RustType) -> (TokenStream, TokenStream) {
    match ty {
        RustType::String => (quote!(String), quote!(impl Into<String>)),
        other => {
            let t = rust_type(other);
            (t.clone(), t)
        }
    }
}

/// The value of an identifier of `owner` (an expression of a resource), owned.
fn id_value(owner: TokenStream, id: &Identifier) -> TokenStream {
    let f = ident(&id.field);
    match id.ty {
        RustType::String => quote!(#owner.#f().to_owned()),
        _ => quote!(#owner.#f()),
    }
}

fn param_value(owner: &TokenStream, p: &RequestParam, ids: &[Identifier]) -> TokenStream {
    let raw = match &p.value {
        ParamValue::Identifier(field) => {
            let id = ids.iter().find(|i| &i.field == field).expect("checked in ir");
            id_value(owner.clone(), id)
        }
        ParamValue::String(s) => match (&p.nested, &p.ty) {
            (Some(_), RustType::Named(t)) => {
                let t = ident(t);
                quote!(crate::types::#t::from(#s))
            }
            (Some(_), _) => quote!(#s.to_owned()),
            (None, _) => quote!(#s),
        },
        ParamValue::Integer(i) => match p.ty {
            RustType::I32 => {
                let v = *i as i32;
                quote!(#v)
            }
            _ => quote!(#i),
        },
        ParamValue::Bool(b) => quote!(#b),
    };
    match &p.nested {
        None => raw,
        Some((ty, field, _)) => {
            let (ty, field) = (ident(ty), ident(field));
            quote!(crate::types::#ty { #field: Some(#raw), ..Default::default() })
        }
    }
}

fn apply_params(owner: &TokenStream, params: &[RequestParam], ids: &[Identifier]) -> TokenStream {
    let sets = params.iter().map(|p| {
        let setter = ident(&p.setter);
        let v = param_value(owner, p, ids);
        quote!(.#setter(#v))
    });
    quote!(#(#sets)*)
}

fn resource_body(r: &Resource) -> TokenStream {
    let name = ident(&r.rust_name);
    let is_service = r.rust_name == "Resources";
    let ids = &r.identifiers;
    let id_fields: Vec<_> = ids.iter().map(|i| ident(&i.field)).collect();
    let (id_tys, id_args): (Vec<_>, Vec<_>) = ids.iter().map(|i| id_types(&i.ty)).unzip();
    let id_inits = ids.iter().map(|i| {
        let f = ident(&i.field);
        match i.ty {
            RustType::String => quote!(#f: #f.into()),
            _ => quote!(#f),
        }
    });
    let id_accessors = ids.iter().map(|i| {
        let f = ident(&i.field);
        let d = doc(&format!("The identifier `{}` (boto3's `{}`).", i.name, i.field.trim_start_matches("r#")));
        match i.ty {
            RustType::String => quote!(#d #[inline] pub fn #f(&self) -> &str { &self.#f }),
            _ => {
                let t = rust_type(&i.ty);
                quote!(#d #[inline] pub fn #f(&self) -> #t { self.#f })
            }
        }
    });
    let boto_name = if is_service { "ServiceResource".to_owned() } else { r.name.clone() };
    let mut struct_docs = if is_service {
        "The service resource: boto3's `boto3.resource('s3')` (`s3.ServiceResource`).".to_owned()
    } else {
        format!(
            "boto3's `s3.{}` resource, identified by {}.",
            r.name,
            ids.iter().map(|i| format!("`{}`", i.name)).collect::<Vec<_>>().join(", ")
        )
    };
    if let Some(data) = &r.data {
        struct_docs.push_str(&format!(
            "\n\nIts data is the `{}` shape{}.",
            data.shape,
            match &r.load {
                Some(load) => format!(", read by [`load`](Self::load) ({})", op_link(load.op())),
                None => ", set by the collection that lists it (it has no `load()`)".to_owned(),
            }
        ));
    }
    let struct_docs = doc(&struct_docs);

    let (data_field, data_methods) = match &r.data {
        None => (quote!(), quote!()),
        Some(data) => {
            let ty = data_path(&data.ty);
            let loadable = r.load.is_some();
            let rname = &r.rust_name;
            let attrs = data.attributes.iter().map(|a| {
                let m = ident(&a.method);
                let f = ident(&a.field);
                let t = rust_type(&a.ty);
                let mname = a.method.trim_start_matches("r#");
                let get = if a.boxed { quote!(as_deref) } else { quote!(as_ref) };
                let mut text = a.docs.clone();
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(&format!("The `{}` attribute (boto3's `{mname}`); [`NotLoaded`](crate::resources::NotLoaded) before the data is loaded.", a.member));
                let d = doc(&text);
                let dep = if a.deprecated { quote!(#[deprecated]) } else { quote!() };
                quote! {
                    #d #dep
                    #[inline]
                    pub fn #m(&self) -> Result<Option<&#t>, ::s3_runtime::resources::NotLoaded> {
                        Ok(self.loaded(#mname)?.#f.#get())
                    }
                }
            });
            (
                quote!(pub(crate) data: Option<Box<#ty>>,),
                quote! {
                    /// The data, once loaded (or set by the collection that listed this resource).
                    #[inline]
                    pub fn data(&self) -> Option<&#ty> {
                        self.data.as_deref()
                    }
                    fn loaded(&self, attribute: &'static str) -> Result<&#ty, ::s3_runtime::resources::NotLoaded> {
                        self.data.as_deref().ok_or(::s3_runtime::resources::NotLoaded::new(#rname, attribute, #loadable))
                    }
                    #(#attrs)*
                },
            )
        }
    };
    let data_init = if r.data.is_some() { quote!(data: None,) } else { quote!() };
    let load = r.load.as_ref().map(|l| load_methods(r, l));
    let actions = r.actions.iter().map(|a| action(r, a));
    let subs = r.subresources.iter().map(subresource);
    let colls_methods = r.collections.iter().map(|c| collection_method(r, c));
    let colls = r.collections.iter().map(|c| collection_type(r, c));
    let waiters = r.waiters.iter().map(|w| waiter(r, w));
    let new_docs = doc(&format!("A handle on a `{boto_name}`: nothing is sent."));
    quote! {
        #struct_docs
        #[derive(Clone, Debug)]
        pub struct #name {
            client: crate::Client,
            #(#id_fields: #id_tys,)*
            #data_field
        }
        impl #name {
            #new_docs
            pub fn new(client: crate::Client #(, #id_fields: #id_args)*) -> Self {
                #name { client #(, #id_inits)*, #data_init }
            }
            /// The client this resource sends with.
            #[inline]
            pub fn client(&self) -> &crate::Client {
                &self.client
            }
            #(#id_accessors)*
            #data_methods
            #load
            #(#actions)*
            #(#subs)*
            #(#colls_methods)*
            #(#waiters)*
        }
        #(#colls)*
    }
}

fn load_methods(r: &Resource, load: &Load) -> TokenStream {
    let op = load.op();
    let (_, _, err, m) = op_paths(op);
    let owner = quote!(self);
    let body = match load {
        Load::Request { params, .. } => {
            let sets = apply_params(&owner, params, &r.identifiers);
            quote! {
                let output = self.client.#m()#sets.send().await?;
                self.data = Some(Box::new(output));
            }
        }
        Load::FindInList { list, field, identifier, .. } => {
            let (list, field, id) = (ident(list), ident(field), ident(identifier));
            quote! {
                // boto3/s3/inject.py `bucket_load`: one ListBuckets; AccessDenied leaves no data.
                let output = match self.client.#m().send().await {
                    Ok(output) => output,
                    Err(::s3_runtime::SdkError::Service(err)) if err.code() == Some("AccessDenied") => {
                        self.data = Some(Box::default());
                        return Ok(());
                    }
                    Err(err) => return Err(err),
                };
                let found = output.#list.unwrap_or_default().into_iter().find(|b| b.#field.as_deref() == Some(self.#id.as_str()));
                self.data = Some(Box::new(found.unwrap_or_default()));
            }
        }
        Load::Convert { params, conversion, .. } => {
            let sets = apply_params(&owner, params, &r.identifiers);
            let value = convert(quote!(output), conversion);
            quote! {
                // boto3/s3/inject.py `object_summary_load`: HeadObject, `ContentLength` as `Size`.
                let output = self.client.#m()#sets.send().await?;
                self.data = Some(Box::new(#value));
            }
        }
    };
    let d = doc(&format!(
        "Loads the data with {} (boto3's `load()`); the accessors read it afterwards.",
        op_link(op)
    ));
    let dep = deprecated(op);
    quote! {
        #d #dep
        pub async fn load(&mut self) -> Result<(), ::s3_runtime::SdkError<#err>> {
            #body
            Ok(())
        }
        /// Loads the data again (boto3's `reload()`): the same request as [`load`](Self::load).
        #dep
        pub async fn reload(&mut self) -> Result<(), ::s3_runtime::SdkError<#err>> {
            self.load().await
        }
    }
}

fn convert(value: TokenStream, c: &Conversion) -> TokenStream {
    let to = data_path(&c.to);
    let moves = c.moves.iter().map(|mv| {
        let (from, to) = (ident(&mv.from), ident(&mv.to));
        if mv.via_str {
            quote!(#to: #value.#from.map(|v| v.as_str().into()))
        } else {
            quote!(#to: #value.#from)
        }
    });
    quote!(#to { #(#moves,)* ..Default::default() })
}

fn action(r: &Resource, a: &Action) -> TokenStream {
    let (builder, _, err, m) = op_paths(&a.op);
    let method = ident(&a.method);
    let owner = quote!(self);
    let sets = apply_params(&owner, &a.params, &r.identifiers);
    let dep = deprecated(&a.op);
    let boto = format!("`{}.{}()`", r.name, a.method.trim_start_matches("r#"));
    match &a.produces {
        None => {
            let d = doc(&format!(
                "{} with this resource's identifiers set (boto3's {boto}); set the rest and `send()`.",
                op_link(&a.op)
            ));
            quote! {
                #d #dep
                pub fn #method(&self) -> #builder {
                    self.client.#m()#sets
                }
            }
        }
        Some(p) => {
            let d = doc(&format!(
                "Sends {} with this resource's identifiers set and what `configure` adds, and returns the `{}` it creates (boto3's {boto}).",
                op_link(&a.op),
                p.resource
            ));
            let reads = p.identifiers.iter().filter_map(|(id, src)| match src {
                IdSource::RequestParameter { field, .. } => {
                    let v = format_ident!("request_{}", id.field.trim_start_matches("r#"));
                    let getter = format_ident!("get_{}", field.trim_start_matches("r#"));
                    Some(quote!(let #v = request.#getter().clone();))
                }
                _ => None,
            });
            let input_name = format!("{}Input", a.op.output.trim_end_matches("Output"));
            let args = p.identifiers.iter().map(|(id, src)| match src {
                IdSource::Identifier(f) => {
                    let pid = r.identifiers.iter().find(|i| &i.field == f).expect("checked in ir");
                    id_value(quote!(self), pid)
                }
                IdSource::RequestParameter { field, .. } => {
                    let v = format_ident!("request_{}", id.field.trim_start_matches("r#"));
                    let fname = field.trim_start_matches("r#");
                    quote!(#v.ok_or_else(|| ::s3_runtime::SdkError::Construction(::s3_runtime::BuildError::missing_field(#input_name, #fname)))?)
                }
                IdSource::Response { field, member } => {
                    let f = ident(field);
                    let op_name = &a.op.name;
                    let why = format!("the response has no `{member}`, the identifier `{}` of the {} it creates", id.name, p.resource);
                    quote!(output.#f.ok_or_else(|| ::s3_runtime::SdkError::Response(::s3_runtime::ResponseError::new(#op_name, #why)))?)
                }
                IdSource::Input => quote!(compile_error!("an action's resource has no input")),
            });
            let uses_output = p.identifiers.iter().any(|(_, s)| matches!(s, IdSource::Response { .. }));
            let send = if uses_output { quote!(let output = request.send().await?;) } else { quote!(request.send().await?;) };
            let res = res_path(&p.resource);
            quote! {
                #d #dep
                pub async fn #method(&self, configure: impl FnOnce(#builder) -> #builder) -> Result<#res, ::s3_runtime::SdkError<#err>> {
                    let request = configure(self.client.#m()#sets);
                    #(#reads)*
                    #send
                    Ok(#res::new(self.client.clone() #(, #args)*))
                }
            }
        }
    }
}

fn produced_args(p: &Produced, parent: &[Identifier]) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut params = Vec::new();
    let mut args = Vec::new();
    for (id, src) in &p.identifiers {
        match src {
            IdSource::Identifier(f) => {
                let pid = parent.iter().find(|i| &i.field == f).expect("checked in ir");
                args.push(id_value(quote!(self), pid));
            }
            IdSource::Input => {
                let f = ident(&id.field);
                let (_, arg) = id_types(&id.ty);
                params.push(quote!(#f: #arg));
                args.push(quote!(#f));
            }
            _ => args.push(quote!(compile_error!("unsupported identifier source"))),
        }
    }
    (params, args)
}

fn subresource(s: &SubResource) -> TokenStream {
    // `self`'s identifiers: the subresource only reads them through accessors.
    let (params, args) = produced_args_self(&s.produces);
    let method = ident(&s.method);
    let res = res_path(&s.produces.resource);
    let d = doc(&format!("The `{}` sub-resource (boto3's `{}`): nothing is sent.", s.produces.resource, s.name));
    quote! {
        #d
        pub fn #method(&self #(, #params)*) -> #res {
            #res::new(self.client.clone() #(, #args)*)
        }
    }
}

/// Like [`produced_args`], with the parent's identifiers read through its accessors.
fn produced_args_self(p: &Produced) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let parent: Vec<Identifier> = p
        .identifiers
        .iter()
        .filter_map(|(id, src)| match src {
            IdSource::Identifier(f) => Some(Identifier { name: String::new(), field: f.clone(), ty: id.ty.clone() }),
            _ => None,
        })
        .collect();
    produced_args(p, &parent)
}

fn waiter(r: &Resource, w: &ResourceWaiter) -> TokenStream {
    let method = ident(&w.method);
    let client_method = format_ident!("wait_until_{}", w.waiter_snake);
    let ty = format_ident!("WaitUntil{}", w.waiter_name);
    let sets = apply_params(&quote!(self), &w.params, &r.identifiers);
    let d = doc(&format!(
        "The `{}` waiter with this resource's identifiers set (boto3's `{}()`); call `wait(max_wait)`.",
        w.waiter_name,
        w.method.trim_start_matches("r#")
    ));
    quote! {
        #d
        pub fn #method(&self) -> crate::waiters::#ty {
            self.client.#client_method()#sets
        }
    }
}

fn parent_fields(c: &Collection) -> Vec<(TokenStream, TokenStream, TokenStream)> {
    // (field in the collection, its type, value from the parent)
    let mut out: Vec<(TokenStream, TokenStream, TokenStream)> = Vec::new();
    let mut seen = Vec::new();
    for (id, src) in &c.identifiers {
        if let IdSource::Identifier(f) = src {
            if seen.contains(f) {
                continue;
            }
            seen.push(f.clone());
            let field = format_ident!("parent_{}", f.trim_start_matches("r#"));
            let (ty, _) = id_types(&id.ty);
            let v = id_value(quote!(self), &Identifier { name: String::new(), field: f.clone(), ty: id.ty.clone() });
            out.push((quote!(#field), ty, v));
        }
    }
    out
}

fn collection_method(r: &Resource, c: &Collection) -> TokenStream {
    let (_, _, _, m) = op_paths(&c.op);
    let method = ident(&c.method);
    let ty = ident(&c.rust_name);
    let sets = apply_params(&quote!(self), &c.params, &r.identifiers);
    let parents = parent_fields(c);
    let inits = parents.iter().map(|(f, _, v)| quote!(#f: #v));
    let d = doc(&format!(
        "The `{0}` collection (boto3's `{1}`): [`{2}` resources](crate::resources::{2}) listed by {3}.",
        c.name,
        c.method.trim_start_matches("r#"),
        c.resource,
        op_link(&c.op)
    ));
    quote! {
        #d
        pub fn #method(&self) -> #ty {
            #ty {
                client: self.client.clone(),
                request: self.client.#m()#sets,
                limit: None,
                page_size: None,
                #(#inits,)*
            }
        }
    }
}

fn collection_type(r: &Resource, c: &Collection) -> TokenStream {
    let (builder, output, err, _) = op_paths(&c.op);
    let ty = ident(&c.rust_name);
    let res = res_path(&c.resource);
    let parents = parent_fields(c);
    let pfields = parents.iter().map(|(f, t, _)| quote!(#f: #t));
    let plets = parents.iter().map(|(f, _, _)| quote!(let #f = self.#f;));
    let filters = c.filters.iter().filter(|m| crate::ir::is_plain_data(&m.ty)).map(|m| {
        let t = rust_type(&m.ty);
        let dep = if m.deprecated.is_some() { quote!(#[deprecated]) } else { quote!() };
        let d = doc(&format!("Sets `{}` on every request (boto3's `filter({}=...)`).", m.name, m.name));
        match m.ty {
            RustType::List(_) | RustType::Map(..) => {
                let f = super::ident_with("set_", &m.field, "");
                quote! {
                    #d #dep
                    pub fn #f(mut self, input: Option<#t>) -> Self {
                        self.request = self.request.#f(input);
                        self
                    }
                }
            }
            _ => {
                let f = ident(&m.field);
                quote! {
                    #d #dep
                    pub fn #f(mut self, input: impl Into<#t>) -> Self {
                        self.request = self.request.#f(input);
                        self
                    }
                }
            }
        }
    });
    // One resource per item of each source list.
    let sources = c.sources.iter().map(|s| {
        let list = ident(&s.list);
        let mut resp = s.id_fields.iter();
        let mut lets = Vec::new();
        let args: Vec<TokenStream> = c
            .identifiers
            .iter()
            .enumerate()
            .map(|(i, (id, src))| match src {
                IdSource::Identifier(f) => {
                    let field = format_ident!("parent_{}", f.trim_start_matches("r#"));
                    quote!(#field.clone())
                }
                _ => {
                    let item_field = ident(resp.next().expect("checked in ir"));
                    let v = format_ident!("id{}", i);
                    let read = match id.ty {
                        RustType::String => quote!(item.#item_field.clone()),
                        _ => quote!(item.#item_field),
                    };
                    lets.push((v.clone(), read));
                    quote!(#v)
                }
            })
            .collect();
        let (vs, fs): (Vec<_>, Vec<_>) = lets.into_iter().unzip();
        let data = match &s.conversion {
            Some(conv) => convert(quote!(item), conv),
            None => quote!(item),
        };
        quote! {
            for item in page.#list.unwrap_or_default() {
                // Items without their identifiers are left out, as boto3's JMESPath
                // projections leave out nulls.
                let (#(Some(#vs),)*) = (#(#fs,)*) else { continue };
                let mut resource = #res::new(client.clone() #(, #args)*);
                resource.data = Some(Box::new(#data));
                items.push(resource);
            }
        }
    });
    let batch = c.batch_actions.iter().map(|b| batch_action(c, b));
    let d = doc(&format!(
        "boto3's `{0}.{1}` collection: [`{2}` resources](crate::resources::{2}) from the pages of {3}. Nothing is sent until [`pages`](Self::pages) or [`items`](Self::items) is polled, or a batch action runs.",
        r.name,
        c.method.trim_start_matches("r#"),
        c.resource,
        op_link(&c.op)
    ));
    quote! {
        #d
        #[derive(Clone, Debug)]
        pub struct #ty {
            client: crate::Client,
            request: #builder,
            limit: Option<usize>,
            page_size: Option<i32>,
            #(#pfields,)*
        }
        impl #ty {
            /// The whole collection (boto3's `all()`).
            #[inline]
            pub fn all(self) -> Self {
                self
            }
            /// The collection with the request members set by the setters that follow (boto3's `filter(...)`).
            #[inline]
            pub fn filter(self) -> Self {
                self
            }
            /// At most `limit` resources in all (boto3's `limit(n)`; the paginator's `MaxItems`).
            pub fn limit(mut self, limit: usize) -> Self {
                self.limit = Some(limit);
                self
            }
            /// At most `page_size` items per request (boto3's `page_size(n)`; the paginator's `PageSize`).
            pub fn page_size(mut self, page_size: i32) -> Self {
                self.page_size = Some(page_size);
                self
            }
            #(#filters)*
            /// The resources, a page at a time (boto3's `pages()`), each page one request.
            pub fn pages(self) -> ::s3_runtime::resources::ResourcePages<#output, #res, #err> {
                let mut paginator = self.request.into_paginator();
                if let Some(n) = self.page_size {
                    paginator = paginator.page_size(n);
                }
                if let Some(n) = self.limit {
                    paginator = paginator.max_items(n);
                }
                let client = self.client;
                #(#plets)*
                ::s3_runtime::resources::ResourcePages::new(paginator.send(), self.limit, move |page: #output| {
                    let mut items = Vec::new();
                    #(#sources)*
                    items
                })
            }
            /// The resources one at a time (iterating the boto3 collection).
            pub fn items(self) -> ::s3_runtime::resources::ResourceItems<#output, #res, #err> {
                self.pages().items()
            }
            #(#batch)*
        }
    }
}

fn batch_action(c: &Collection, b: &BatchAction) -> TokenStream {
    let (builder, output, err, m) = op_paths(&b.op);
    let (_, _, coll_err, _) = op_paths(&c.op);
    let method = ident(&b.method);
    let with = format_ident!("{}_with", b.method.trim_start_matches("r#"));
    let ids: Vec<Identifier> = c.identifiers.iter().map(|(i, _)| i.clone()).collect();
    let sets = apply_params(&quote!(first), &b.params, &ids);
    let (setter, container, list, item) = (ident(&b.setter), ident(&b.container), ident(&b.list), ident(&b.item));
    let fields = b.item_fields.iter().map(|(f, idf)| {
        let id = ids.iter().find(|i| &i.field == idf).expect("checked in ir");
        let f = ident(f);
        let v = id_value(quote!(r), id);
        quote!(#f: Some(#v))
    });
    let d = doc(&format!(
        "boto3's batch action `{}()`: one {} per page of the collection, with the page's resources; stops at the first empty page. Returns the responses.",
        b.method,
        op_link(&b.op)
    ));
    let dw = doc(&format!(
        "[`{0}`](Self::{0}), with `configure` applied to each request (boto3's keyword arguments of `{0}(...)`).",
        b.method
    ));
    quote! {
        #d
        pub async fn #method(self) -> Result<Vec<#output>, ::s3_runtime::resources::BatchError<#coll_err, #err>> {
            self.#with(|request| request).await
        }
        #dw
        pub async fn #with(self, configure: impl Fn(#builder) -> #builder) -> Result<Vec<#output>, ::s3_runtime::resources::BatchError<#coll_err, #err>> {
            let client = self.client.clone();
            let mut pages = self.pages();
            let mut responses = Vec::new();
            while let Some(page) = pages.next().await {
                let page = page.map_err(::s3_runtime::resources::BatchError::Collection)?;
                let Some(first) = page.first() else { break };
                let items: Vec<crate::types::#item> = page.iter().map(|r| crate::types::#item { #(#fields,)* ..Default::default() }).collect();
                let request = client.#m()#sets.#setter(crate::types::#container { #list: Some(items), ..Default::default() });
                responses.push(configure(request).send().await.map_err(::s3_runtime::resources::BatchError::Action)?);
            }
            Ok(responses)
        }
    }
}
