//! One module per operation: `operation/<name>/{mod, input, output, error, builders}.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{client, de, errors, ident, ser, structure};
use crate::ir::{Operation, Service};

/// `src/operation/mod.rs`: one `pub mod` per operation.
pub(crate) fn operations_mod(service: &Service) -> TokenStream {
    let mods = service.operations.iter().map(|op| {
        let module = ident(&op.snake);
        let doc = format!(" The `{}` operation.", op.name);
        quote!(#[doc = #doc] pub mod #module;)
    });
    quote! {
        //! One module per operation, each with its input, output, error and fluent builder.
        #(#mods)*
    }
}

/// The files of one operation's module.
pub(crate) fn operation_files(
    service: &Service,
    op: &Operation,
    paginator: Option<&crate::paginators::Paginator>,
) -> Vec<(String, TokenStream)> {
    let dir = format!("src/operation/{}", op.snake.trim_start_matches("r#"));
    let mut files = vec![
        (format!("{dir}/mod.rs"), mod_rs(op, paginator.is_some())),
        (format!("{dir}/input.rs"), io_rs(op, true)),
        (format!("{dir}/output.rs"), io_rs(op, false)),
        (format!("{dir}/error.rs"), errors::operation_error(service, op)),
        (format!("{dir}/builders.rs"), client::fluent_builder(service, op)),
        (format!("{dir}/ser.rs"), ser::ser_rs(service, op)),
        (format!("{dir}/de.rs"), de::de_rs(service, op)),
    ];
    if let Some(p) = paginator {
        files.push((format!("{dir}/paginator.rs"), super::paginator::paginator_rs(op, p)));
    }
    files
}

fn mod_rs(op: &Operation, paginated: bool) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let input_builder = format_ident!("{}Builder", op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let output_builder = format_ident!("{}Builder", op.output.rust_name);
    let error = format_ident!("{}Error", crate::ir::names::type_name(&op.name));
    let summary = format!(
        " The `{}` operation (`{} {}`): see [`Client::{}`](crate::Client::{}) for its documentation.",
        op.name,
        op.http.method,
        request_uri(op),
        op.snake.trim_start_matches("r#"),
        op.snake.trim_start_matches("r#"),
    );
    let paginator = paginated.then(|| {
        let paginator = format_ident!("{}Paginator", crate::ir::names::type_name(&op.name));
        quote! {
            /// Pagination: `into_paginator()` on the fluent builder.
            pub mod paginator;
            pub use paginator::#paginator;
        }
    });
    quote! {
        #![doc = #summary]

        mod error;
        mod input;
        mod output;
        mod de;
        pub(crate) mod ser;
        /// The fluent builder returned by the client method.
        pub mod builders;

        pub use de::parse_response;
        pub use error::#error;
        pub use input::{#input, #input_builder};
        pub use output::{#output, #output_builder};
        #paginator
    }
}

fn request_uri(op: &Operation) -> String {
    let mut uri = op.http.path.clone();
    for (i, (k, v)) in op.http.literal_query.iter().enumerate() {
        uri.push(if i == 0 { '?' } else { '&' });
        uri.push_str(k);
        if let Some(v) = v {
            uri.push('=');
            uri.push_str(v);
        }
    }
    uri
}

fn io_rs(op: &Operation, input: bool) -> TokenStream {
    let s = if input { &op.input } else { &op.output };
    let def = structure::struct_def(s, &s.docs, &None, !input);
    let builder = structure::builder_def(s, input);
    quote! {
        #![allow(deprecated)]
        #def
        #builder
    }
}
