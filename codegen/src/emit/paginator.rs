//! Paginators: `operation/<op>/paginator.rs` for each paginated operation (the
//! `into_paginator()` method, the paginator with its item streams, and the
//! `PaginatorSpec` functions compiled from the model's expressions),
//! and `src/pagination.rs`, which re-exports the runtime's stream types.
//!
//! Also home of [`expr_tokens`], which turns a compiled expression into Rust field
//! accesses, for waiters too.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, rust_type};
use crate::ir::Operation;
use crate::paginators::expr::{Compiled, Node, Step, ValueType};
use crate::paginators::{Paginator, ResultKey, TokenKind};

/// `src/pagination.rs`.
pub(crate) fn pagination_rs(paginators: &[Paginator]) -> TokenStream {
    let ops: Vec<String> = paginators
        .iter()
        .map(|p| format!("[`{}`](crate::Client::{})", p.operation, p.snake.trim_start_matches("r#")))
        .collect();
    let list = format!(" Paginated operations: {}.", ops.join(", "));
    let example = paginators.iter().find(|p| p.limit_key.is_some()).or(paginators.first()).map(|p| {
        let page_size = if p.limit_key.is_some() { ".page_size(100)" } else { "" };
        let lines = [
            " ```text".to_owned(),
            format!(
                " let mut items = client.{}()/* the request */.into_paginator(){page_size}.{}();",
                p.snake.trim_start_matches("r#"),
                p.result_keys[0].method
            ),
            " while let Some(item) = items.next().await {".to_owned(),
            "     let item = item?;".to_owned(),
            " }".to_owned(),
            " ```".to_owned(),
        ];
        let lines = lines.iter().map(|line| quote!(#![doc = #line]));
        quote!(#(#lines)*)
    });
    let search_example = paginators.first().map(|p| {
        let lines = [
            " With the `serde` feature, `search(expression)` runs a JMESPath expression on every page".to_owned(),
            " and yields each result as a `serde_json::Value`, as boto3's `PageIterator.search`".to_owned(),
            " (`SearchStream`, which then is in this module, has the rules):".to_owned(),
            String::new(),
            " ```text".to_owned(),
            format!(
                " let mut results = client.{}()/* the request */.into_paginator().search(\"{}[]\");",
                p.snake.trim_start_matches("r#"),
                p.result_keys[0].expression
            ),
            " while let Some(value) = results.next().await {".to_owned(),
            "     let value = value?;".to_owned(),
            " }".to_owned(),
            " ```".to_owned(),
        ];
        let lines = lines.iter().map(|line| quote!(#![doc = #line]));
        quote!(#(#lines)*)
    });
    quote! {
        //! Pagination, as boto3's paginators do it: call `into_paginator()` on the fluent
        //! builder of a paginated operation, then `send()` for the pages or one of the item
        //! streams (one per result key, such as `contents()`).
        //!
        //! Streams send nothing until polled. They implement `futures_core::Stream` and have
        //! an inherent `next()`, so no extra crate is needed:
        #![doc = ""]
        #example
        #![doc = ""]
        //! `max_items(n)` stops after `n` items and `resume_token()` then says where to pick up
        //! again with `starting_token(..)`; the token's text is boto3's, so the two can share
        //! tokens. See [`s3_runtime::paginator`] for the exact rules.
        #![doc = ""]
        #search_example
        #![doc = ""]
        #![doc = #list]
        pub use s3_runtime::paginator::{ItemStream, PaginationError, PaginationStream, PaginationToken, TokenValue};
        #[cfg(feature = "serde")]
        pub use s3_runtime::paginator::SearchStream;
    }
}

/// `src/operation/<op>/paginator.rs`.
pub(crate) fn paginator_rs(op: &Operation, p: &Paginator) -> TokenStream {
    let base = crate::ir::names::type_name(&op.name);
    let fluent = format_ident!("{}FluentBuilder", base);
    let paginator = format_ident!("{}Paginator", base);
    let output = ident(&op.output.rust_name);
    let error = format_ident!("{}Error", base);
    let op_name = op.name.clone();
    let input_shape = op.input.rust_name.clone();
    let snake = op.snake.trim_start_matches("r#").to_owned();
    let primary = &p.result_keys[0];

    let token_kinds = p.input_tokens.iter().map(|t| {
        let name = &t.name;
        let kind = token_kind(t.kind);
        quote!((#name, ::s3_runtime::paginator::TokenKind::#kind))
    });
    let set_tokens = p.input_tokens.iter().enumerate().map(|(i, t)| {
        let setter = super::ident_with("set_", &t.field, "");
        let index = Literal::usize_unsuffixed(i);
        let read = match t.kind {
            TokenKind::String => quote!(::s3_runtime::paginator::token_string(&tokens[#index])),
            TokenKind::I32 => quote!(::s3_runtime::paginator::token_i32(&tokens[#index])),
            TokenKind::I64 => quote!(::s3_runtime::paginator::token_i64(&tokens[#index])),
        };
        quote!(request = request.#setter(#read);)
    });
    let out = format_ident!("out");
    let next_parts = p.output_tokens.iter().zip(&p.input_tokens).map(|(c, t)| {
        let value = expr_tokens(c, &out);
        match (&c.ty, t.kind) {
            (ValueType::Integer(32), _) => quote!(::s3_runtime::paginator::integer_token(#value.map(i64::from))),
            (ValueType::Integer(_), _) => quote!(::s3_runtime::paginator::integer_token(#value)),
            _ => quote!(::s3_runtime::paginator::string_token(#value)),
        }
    });
    let more = p.more_results.as_ref().map(|c| {
        let truthy = truthy_tokens(c, &out);
        quote! {
            let more = #truthy;
            if !more {
                return None;
            }
        }
    });
    let primary_ref = result_key_path(primary, &out, Access::Ref);
    let primary_mut = result_key_path(primary, &out, Access::Mut);
    let clear = p.result_keys[1..].iter().map(|r| {
        let path = result_key_path(r, &out, Access::Mut);
        quote!(::s3_runtime::paginator::slice_items(#path, 0, 0);)
    });
    let clear_param = if p.result_keys.len() > 1 { quote!(out) } else { quote!(_out) };

    let tokens_doc = {
        let pairs: Vec<String> = p
            .output_tokens
            .iter()
            .zip(&p.input_tokens)
            .map(|(c, t)| format!("`{}` from `{}`", t.name, c.source))
            .collect();
        let more = match &p.more_results {
            Some(c) => format!(" while `{}` is true", c.source),
            None => String::new(),
        };
        format!(" Each page is one request; the next one is sent with {}{more}.", pairs.join(" and "))
    };
    let struct_doc = format!(
        " The pages of [`{op_name}`](crate::Client::{snake}), from [`into_paginator`]({fluent}::into_paginator)."
    );
    let item_docs: Vec<String> = p
        .result_keys
        .iter()
        .map(|r| format!("[`{m}`](Self::{m})", m = r.method))
        .collect();
    let streams_doc = format!(
        " [`send`](Self::send) gives the pages; {} the items of each result key.",
        item_docs.join(", ")
    );
    let into_doc = format!(" Pages through the results: see [`{paginator}`]. Nothing is sent until its streams are polled.");
    let page_size = p.limit_key.as_ref().map(|limit| {
        let setter = ident(&limit.field);
        let ty = match limit.kind {
            TokenKind::String => quote!(impl Into<String>),
            TokenKind::I32 => quote!(i32),
            TokenKind::I64 => quote!(i64),
        };
        let doc = format!(" Asks for at most `page_size` items per page: sets `{}` on every request (boto3's `PageSize`).", limit.name);
        quote! {
            #[doc = #doc]
            pub fn page_size(mut self, page_size: #ty) -> Self {
                self.request = self.request.#setter(page_size);
                self
            }
        }
    });
    let max_items_doc = format!(
        " Stops after `max_items` items of `{}` in all (boto3's `MaxItems`); [`resume_token`](crate::pagination::PaginationStream::resume_token) then says where to continue.",
        primary.expression
    );
    let item_streams = p.result_keys.iter().enumerate().map(|(i, r)| {
        let method = ident(&r.method);
        let item = rust_type(&r.item);
        let take = result_key_path(r, &format_ident!("page"), Access::Take);
        let is_primary = i == 0;
        let doc = if is_primary {
            format!(" The `{}` items of every page, in order, fetched a page at a time.", r.expression)
        } else {
            format!(
                " The `{}` items of every page, in order (`max_items` counts `{}`, not these).",
                r.expression, primary.expression
            )
        };
        quote! {
            #[doc = #doc]
            pub fn #method(self) -> ::s3_runtime::paginator::ItemStream<#output, #item, #error> {
                ::s3_runtime::paginator::ItemStream::new(self.send(), #is_primary, |page| #take)
            }
        }
    });
    let search_doc = format!(
        " The results of the JMESPath `expression` on every page, as boto3's `paginate(…).search(expression)`: the elements of a list result one by one (`{}[]` gives every item as JSON), any other result as one item, `null` too. Needs the `serde` feature; see [`SearchStream`](crate::pagination::SearchStream).",
        primary.expression
    );
    quote! {
        //! Pagination of this operation, as botocore's paginator does it.
        #![allow(deprecated)]

        use super::builders::#fluent;
        use super::{#error, #output};

        impl #fluent {
            #[doc = #into_doc]
            pub fn into_paginator(self) -> #paginator {
                #paginator { request: self, config: ::s3_runtime::paginator::PaginationConfig::default() }
            }
        }

        #[doc = #struct_doc]
        ///
        #[doc = #tokens_doc]
        #[doc = #streams_doc]
        #[derive(Clone, Debug)]
        pub struct #paginator {
            request: #fluent,
            config: ::s3_runtime::paginator::PaginationConfig,
        }

        impl #paginator {
            #page_size

            #[doc = #max_items_doc]
            pub fn max_items(mut self, max_items: usize) -> Self {
                self.config.max_items = Some(max_items);
                self
            }

            /// Continues an earlier listing (boto3's `StartingToken`): a
            /// [`PaginationToken`](crate::pagination::PaginationToken) from `resume_token()`
            /// or boto3, as text, or a token in botocore's older `a___b` format. An
            /// unusable token is reported by the first poll, before anything is sent.
            pub fn starting_token(mut self, token: impl Into<String>) -> Self {
                self.config.starting_token = Some(token.into());
                self
            }

            /// The pages, requested one at a time as the stream is polled.
            pub fn send(self) -> ::s3_runtime::paginator::PaginationStream<#output, #error> {
                let request = self.request;
                ::s3_runtime::paginator::PaginationStream::new(&SPEC, self.config, move |tokens| {
                    let mut request = request.clone();
                    if let Some(tokens) = tokens {
                        #(#set_tokens)*
                    }
                    request.send()
                })
            }

            #(#item_streams)*

            #[doc = #search_doc]
            #[cfg(feature = "serde")]
            pub fn search(self, expression: &str) -> ::s3_runtime::paginator::SearchStream<#output, #error> {
                ::s3_runtime::paginator::SearchStream::new(self.send(), expression)
            }
        }

        static SPEC: ::s3_runtime::paginator::PaginatorSpec<#output> = ::s3_runtime::paginator::PaginatorSpec {
            operation: #op_name,
            input_shape: #input_shape,
            input_tokens: &[#(#token_kinds),*],
            next_tokens,
            primary_len,
            slice_primary,
            clear_secondary,
        };

        fn next_tokens(out: &#output) -> Option<Vec<Option<::s3_runtime::paginator::TokenValue>>> {
            #more
            Some(Vec::from([#(#next_parts),*]))
        }

        fn primary_len(out: &#output) -> usize {
            #primary_ref.map_or(0, Vec::len)
        }

        fn slice_primary(out: &mut #output, start: usize, end: usize) {
            ::s3_runtime::paginator::slice_items(#primary_mut, start, end);
        }

        fn clear_secondary(#clear_param: &mut #output) {
            #(#clear)*
        }
    }
}

fn token_kind(kind: TokenKind) -> Ident {
    format_ident!(
        "{}",
        match kind {
            TokenKind::String => "String",
            TokenKind::I32 => "I32",
            TokenKind::I64 => "I64",
        }
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// `Option<&Vec<T>>`
    Ref,
    /// `Option<&mut Vec<T>>`
    Mut,
    /// `Vec<T>`, taken out of an owned page.
    Take,
}

/// The list a result key names, from `root`.
fn result_key_path(r: &ResultKey, root: &Ident, access: Access) -> TokenStream {
    let mut tokens = quote!(#root);
    for (i, step) in r.path.iter().enumerate() {
        let Step::Field { field, boxed, .. } = step else { unreachable!("result keys are paths of fields") };
        let field = ident(field);
        let last = i + 1 == r.path.len();
        let get = match (access, boxed) {
            (Access::Ref, false) => quote!(.#field.as_ref()),
            (Access::Ref, true) => quote!(.#field.as_deref()),
            (Access::Mut, false) => quote!(.#field.as_mut()),
            (Access::Mut, true) => quote!(.#field.as_deref_mut()),
            (Access::Take, _) => quote!(.#field),
        };
        tokens = if i == 0 {
            quote!(#tokens #get)
        } else {
            quote!(#tokens.and_then(|v| v #get))
        };
        if last && access == Access::Take {
            tokens = quote!(#tokens.unwrap_or_default());
        }
    }
    tokens
}

/// An expression's value, read from `root` (an `&Output`):
///
/// - one value (`many == false`): an `Option` of `&str` for strings, of the value for
///   booleans and numbers, of a reference otherwise;
/// - a projection: an iterator of the same item forms.
pub(crate) fn expr_tokens(c: &Compiled, root: &Ident) -> TokenStream {
    match &c.node {
        Node::Or(lhs, rhs) => {
            let l = expr_tokens(lhs, root);
            let r = expr_tokens(rhs, root);
            // A lone field is cheap to read eagerly; anything longer waits.
            let or = match &rhs.node {
                Node::Path(steps) if steps.len() == 1 => quote!(.or(#r)),
                _ => quote!(.or_else(|| #r)),
            };
            match &c.ty {
                ValueType::String | ValueType::List(_) => quote!(#l.filter(|v| !v.is_empty()) #or),
                ValueType::Enum => quote!(#l.filter(|v| !v.as_str().is_empty()) #or),
                ValueType::Bool => quote!(#l.filter(|v| *v) #or),
                // Numbers are always truthy in JMESPath.
                _ => quote!(#l #or),
            }
        }
        Node::Path(steps) => path_tokens(steps, &c.ty, root),
    }
}

/// The conversion to an item's final form: `&String` → `&str`, `&bool` → `bool`.
fn view(ty: &ValueType) -> TokenStream {
    match ty {
        ValueType::String => quote!(.map(String::as_str)),
        ty if ty.is_copy() => quote!(.copied()),
        _ => quote!(),
    }
}

fn path_tokens(steps: &[Step], final_ty: &ValueType, root: &Ident) -> TokenStream {
    let mut tokens = quote!(#root);
    let mut many = false;
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        tokens = match step {
            Step::Field { field, boxed, ty, .. } => {
                let field = ident(field);
                let get = if last && *ty == ValueType::String {
                    quote!(.#field.as_deref())
                } else if last && ty.is_copy() {
                    quote!(.#field)
                } else if *boxed {
                    quote!(.#field.as_deref())
                } else {
                    quote!(.#field.as_ref())
                };
                if i == 0 {
                    quote!(#tokens #get)
                } else if many {
                    quote!(#tokens.filter_map(|v| v #get))
                } else {
                    quote!(#tokens.and_then(|v| v #get))
                }
            }
            Step::Index(n) => {
                let get = match *n {
                    0 => quote!(v.first()),
                    -1 => quote!(v.last()),
                    n if n > 0 => {
                        let n = Literal::usize_unsuffixed(n as usize);
                        quote!(v.get(#n))
                    }
                    n => {
                        let back = Literal::usize_unsuffixed(n.unsigned_abs() as usize);
                        quote!(v.len().checked_sub(#back).and_then(|i| v.get(i)))
                    }
                };
                let conv = if last { view(final_ty) } else { quote!() };
                if many {
                    quote!(#tokens.filter_map(|v| #get #conv))
                } else {
                    quote!(#tokens.and_then(|v| #get #conv))
                }
            }
            Step::Project => {
                many = true;
                let conv = if last { view(final_ty) } else { quote!() };
                quote!(#tokens.into_iter().flatten() #conv)
            }
            Step::FlattenItems => {
                let conv = if last { view(final_ty) } else { quote!() };
                quote!(#tokens.flatten() #conv)
            }
        };
    }
    tokens
}

/// Python's truthiness of a single value (botocore: `if not more_results.search(page)`).
fn truthy_tokens(c: &Compiled, root: &Ident) -> TokenStream {
    let value = expr_tokens(c, root);
    match &c.ty {
        ValueType::Bool => quote!(#value == Some(true)),
        ValueType::Integer(_) => quote!(#value.is_some_and(|v| v != 0)),
        ValueType::Enum => quote!(#value.is_some_and(|v| !v.as_str().is_empty())),
        _ => quote!(#value.is_some_and(|v| !v.is_empty())),
    }
}
