//! The `Client`, with one method per operation, and each operation's fluent builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structure::field_type;
use super::{deprecated_attr, doc, ident, ident_with, rust_type};
use crate::ir::{Member, Operation, RustType, Service};

/// `src/client.rs`.
pub(crate) fn client_rs(service: &Service) -> TokenStream {
    let methods = service.operations.iter().map(|op| {
        let method = ident(&op.snake);
        let module = ident(&op.snake);
        let fluent = format_ident!("{}FluentBuilder", crate::ir::names::type_name(&op.name));
        let docs = doc(&op.docs);
        let dep = deprecated_attr(&op.deprecated);
        quote! {
            #docs
            #dep
            pub fn #method(&self) -> crate::operation::#module::builders::#fluent {
                crate::operation::#module::builders::#fluent::new(self.clone())
            }
        }
    });
    let title = format!(" A client for {}.", service.title);
    quote! {
        //! The client: one method per operation, each returning a fluent builder.

        use std::sync::Arc;

        #[doc = #title]
        ///
        /// Cheap to clone: clones share one configuration.
        #[derive(Clone, Debug)]
        pub struct Client {
            config: Arc<crate::Config>,
        }

        impl Client {
            /// A client with the given configuration.
            pub fn from_conf(config: crate::Config) -> Self {
                Client { config: Arc::new(config) }
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                &self.config
            }

            #(#methods)*
        }
    }
}

/// `src/operation/<op>/builders.rs`: the fluent builder returned by `Client::<op>()`.
pub(crate) fn fluent_builder(op: &Operation) -> TokenStream {
    let type_base = crate::ir::names::type_name(&op.name);
    let fluent = format_ident!("{}FluentBuilder", type_base);
    let input = ident(&op.input.rust_name);
    let input_builder = format_ident!("{}Builder", op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = format_ident!("{}Error", type_base);
    let setters = op.input.members.iter().map(fluent_setters);
    let op_name = op.name.clone();
    let doc_text = format!(
        " Sets up a [`{}`](crate::Client::{}) request; call [`send`](Self::send) to send it.",
        op.name,
        op.snake.trim_start_matches("r#")
    );
    quote! {
        #![allow(deprecated)]

        use super::{#error, #input, #input_builder, #output};

        #[doc = #doc_text]
        #[derive(Debug)]
        pub struct #fluent {
            client: crate::Client,
            inner: #input_builder,
        }

        impl #fluent {
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client, inner: #input::builder() }
            }

            /// The input set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            /// Sends the request and returns the service's answer.
            ///
            /// The input is checked first: a missing required member is refused before
            /// anything is sent.
            pub async fn send(self) -> Result<#output, ::s3_runtime::SdkError<#error>> {
                let input = self.inner.build()?;
                let _ = (&self.client, input);
                Err(::s3_runtime::SdkError::NotImplemented(concat!("sending ", #op_name, " requests")))
            }

            #(#setters)*
        }
    }
}

fn fluent_setters(m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let set = ident_with("set_", &m.field, "");
    let get = ident_with("get_", &m.field, "");
    let field_ty = field_type(m);
    let docs = doc(&m.docs);
    let dep = deprecated_attr(&m.deprecated);
    let label = m.field.trim_start_matches("r#");
    let setter = match &m.ty {
        RustType::List(item) => {
            let item = rust_type(item);
            let append_doc = format!(" Appends an item to `{label}`.");
            quote! {
                #[doc = #append_doc]
                #[doc = ""]
                #docs
                #dep
                pub fn #field(mut self, item: impl Into<#item>) -> Self {
                    self.inner = self.inner.#field(item);
                    self
                }
            }
        }
        RustType::Map(k, v) => {
            let (k, v) = (rust_type(k), rust_type(v));
            let insert_doc = format!(" Adds an entry to `{label}`.");
            quote! {
                #[doc = #insert_doc]
                #[doc = ""]
                #docs
                #dep
                pub fn #field(mut self, key: impl Into<#k>, value: impl Into<#v>) -> Self {
                    self.inner = self.inner.#field(key, value);
                    self
                }
            }
        }
        ty => {
            let ty = rust_type(ty);
            quote! {
                #docs
                #dep
                pub fn #field(mut self, input: impl Into<#ty>) -> Self {
                    self.inner = self.inner.#field(input);
                    self
                }
            }
        }
    };
    let set_doc = format!(" Sets or clears `{label}`.");
    let get_doc = format!(" The value of `{label}` set so far.");
    quote! {
        #setter
        #[doc = #set_doc]
        #dep
        pub fn #set(mut self, input: #field_ty) -> Self {
            self.inner = self.inner.#set(input);
            self
        }
        #[doc = #get_doc]
        #dep
        pub fn #get(&self) -> &#field_ty {
            self.inner.#get()
        }
    }
}
