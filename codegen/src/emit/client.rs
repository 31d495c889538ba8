//! The `Client`, with one method per operation, and each operation's fluent builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structure::{setters, SetterTarget};
use super::{deprecated_attr, doc, ident};
use crate::ir::{Operation, Service};

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
    let setters = op.input.members.iter().map(|m| setters(m, SetterTarget::Inner));
    let op_name = op.name.clone();
    let customize_input = match &op.customizations.url_encoding {
        // botocore's `set_list_objects_encoding_type_url`: ask for URL-encoded keys
        // (so any key survives XML) and decode them before the caller sees them.
        Some(_) => quote! {
            let url_encoding_auto_set = input.encoding_type.is_none();
            if url_encoding_auto_set {
                input.encoding_type = Some(crate::types::EncodingType::from("url"));
            }
        },
        None => quote!(let _ = &mut input;),
    };
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
            /// The input is checked and serialized first: a missing required member or a
            /// value that cannot be sent is refused before anything goes out.
            pub async fn send(self) -> Result<#output, ::s3_runtime::SdkError<#error>> {
                let mut input = self.inner.build()?;
                #customize_input
                let request = input.into_http_request()?;
                let _ = (&self.client, request);
                Err(::s3_runtime::SdkError::NotImplemented(concat!("sending ", #op_name, " requests")))
            }

            #(#setters)*
        }
    }
}
