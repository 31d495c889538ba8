//! Developer experience: request ids on outputs and errors, `send_blocking()`, and the
//! crate's guide (its crate-level docs, with examples that compile as doctests).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;

/// The request ids an output keeps (`s3_runtime::RequestIds`, one small field).
pub(crate) fn request_ids_field() -> TokenStream {
    let skip = super::serde_skip();
    quote! {
        #skip
        pub(crate) request_ids: ::s3_runtime::RequestIds,
    }
}

/// `impl RequestId for <type>`, delegating to `expr` (a reference to a value that implements it).
pub(crate) fn request_id_impl(rust_name: &str, expr: TokenStream) -> TokenStream {
    let name = ident(rust_name);
    quote! {
        impl ::s3_runtime::RequestId for #name {
            #[inline]
            fn request_id(&self) -> Option<&str> {
                ::s3_runtime::RequestId::request_id(#expr)
            }
            #[inline]
            fn extended_request_id(&self) -> Option<&str> {
                ::s3_runtime::RequestId::extended_request_id(#expr)
            }
        }
    }
}

/// The fluent builder's `send_blocking()` (the `blocking` feature): one line calling the
/// runtime's blocking runner.
pub(crate) fn send_blocking_fn(output: &TokenStream, error: &TokenStream) -> TokenStream {
    quote! {
        /// Sends the request as [`send`](Self::send) does, blocking the thread until the
        /// answer is there (the `blocking` feature), on a small internal runtime. Inside a
        /// Tokio runtime it fails at once (`SdkError::Dispatch`, `SendError::Blocking`)
        /// instead of blocking that runtime: use `send().await` there.
        #[cfg(feature = "blocking")]
        pub fn send_blocking(self) -> Result<#output, ::s3_runtime::SdkError<#error>> {
            ::s3_runtime::blocking::send(self.send())
        }
    }
}

/// The crate-level guide, as `#![doc]` lines: the common tasks as `no_run` doctests.
/// Only for a crate with the operations it shows (S3).
pub(crate) fn crate_guide(service: &crate::ir::Service, crate_name: &str) -> TokenStream {
    let has = |name: &str| service.operations.iter().any(|op| op.name == name);
    if crate_name != "s3" || !["PutObject", "GetObject", "ListObjectsV2"].iter().all(|op| has(op)) {
        return quote!();
    }
    let lines = include_str!("dx_guide.md").lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// The end of a `Client` method's docs: links to the fluent builder it returns and, for
/// a paginated operation, to its paginator.
pub(crate) fn operation_links(op: &crate::ir::Operation, paginated: bool) -> TokenStream {
    let module = op.snake.trim_start_matches("r#");
    let type_base = crate::ir::names::type_name(&op.name);
    let mut text = format!(
        "\nSet the input on the returned [`{type_base}FluentBuilder`](crate::operation::{module}::builders::{type_base}FluentBuilder), then [`send`](crate::operation::{module}::builders::{type_base}FluentBuilder::send) it."
    );
    if paginated {
        text.push_str(&format!(
            " Paginated: [`into_paginator`](crate::operation::{module}::builders::{type_base}FluentBuilder::into_paginator) gives a [`{type_base}Paginator`](crate::operation::{module}::{type_base}Paginator) over every page."
        ));
    }
    super::doc(&text)
}

/// A line of the `Client` docs pointing at the crate's guide, when it has one.
pub(crate) fn client_guide_link(service: &crate::ir::Service) -> TokenStream {
    if !["PutObject", "GetObject", "ListObjectsV2"].iter().all(|name| service.operations.iter().any(|op| op.name == *name)) {
        return quote!();
    }
    super::doc(
        "The common tasks (a client from the environment, put and get, listing with a paginator,\npresigning, matching errors) are shown with examples in the [crate docs](crate#common-tasks).\n\n",
    )
}
