//! Waiters: `src/waiters/<name>.rs` for each waiter (the `Client::wait_until_<name>()`
//! method, the waiter with the operation's setters, and its acceptors compiled to one
//! matcher function) and `src/waiters/mod.rs`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::paginator::expr_tokens;
use super::structure::{setters, SetterTarget};
use super::{doc, ident};
use crate::ir::{Operation, Service};
use crate::paginators::expr::ValueType;
use crate::waiters::{Acceptor, Expected, Matcher, State, SuccessStatus, Waiter};

/// The waiter's type: `ObjectExists` → `WaitUntilObjectExists`.
fn type_ident(w: &Waiter) -> Ident {
    format_ident!("WaitUntil{}", crate::ir::names::type_name(&w.name))
}

/// `src/waiters/mod.rs`.
pub(crate) fn waiters_mod(waiters: &[Waiter]) -> TokenStream {
    let mods = waiters.iter().map(|w| {
        let module = ident(&w.snake);
        quote!(mod #module;)
    });
    let uses = waiters.iter().map(|w| {
        let module = ident(&w.snake);
        let ty = type_ident(w);
        quote!(pub use #module::#ty;)
    });
    quote! {
        //! Waiters, as botocore's: `Client::wait_until_<name>()` takes the operation's
        //! input, then `wait(max_wait)` sends the request every `delay` until an acceptor
        //! of the model says success or failure, `max_attempts` requests were sent, or
        //! `max_wait` has passed. See [`s3_runtime::waiter`] for the exact rules.
        #(#mods)*
        #(#uses)*
        pub use s3_runtime::waiter::{FinalPoll, WaiterError};
    }
}

/// `src/waiters/<name>.rs`.
pub(crate) fn waiter_rs(service: &Service, w: &Waiter) -> TokenStream {
    let op = service.operations.iter().find(|o| o.name == w.operation).expect("lowering checked the operation");
    let base = crate::ir::names::type_name(&op.name);
    let module = ident(&op.snake);
    let fluent = format_ident!("{}FluentBuilder", base);
    let output = ident(&op.output.rust_name);
    let error = format_ident!("{}Error", base);
    let op_method = ident(&op.snake);
    let waiter = type_ident(w);
    let method = format_ident!("wait_until_{}", w.snake);
    let name = w.name.clone();
    let delay = w.delay;
    let max_attempts = w.max_attempts;
    let delay_lit = Literal::u64_unsuffixed(delay);
    let max_attempts_lit = Literal::u32_unsuffixed(max_attempts);
    let snake = op.snake.trim_start_matches("r#");

    let mut summary = vec![format!(
        " Waits for `{}`: sends [`{}`](crate::Client::{snake}) every {delay} s, at most {max_attempts} times, until one of these acceptors, checked in order, matches with `success` or `failure`:",
        w.name, op.name
    )];
    summary.push(String::new());
    for a in &w.acceptors {
        let state = match a.state {
            State::Success => "success",
            State::Failure => "failure",
            State::Retry => "retry",
        };
        summary.push(format!(" - {state}: `{}`", a.explanation.replace('`', "'")));
    }
    summary.push(String::new());
    summary.push(" A service error that no acceptor matches ends the wait.".to_owned());
    let summary_docs = summary.iter().map(|line| quote!(#[doc = #line]));
    let model_docs = w.docs.as_deref().map(|d| {
        let d = doc(d);
        quote!(#d #[doc = ""])
    });
    let method_doc = format!(" Waits for `{}`: see [`{waiter}`].", w.name);
    let struct_doc = format!(" Waits for `{}`, from [`Client::{method}`](crate::Client::{method}).", w.name);
    let delay_doc = format!(" The time between attempts (default {delay} s, the model's `delay`).");
    let attempts_doc = format!(" How many requests to send at most (default {max_attempts}, the model's `maxAttempts`).");
    let setters = op.input.members.iter().map(|m| {
        let mut m = m.clone();
        m.docs = format!("See [`{fluent}::{}`].", m.field.trim_start_matches("r#"));
        setters(&m, SetterTarget::Inner)
    });
    let matcher = matcher_fn(op, w);
    quote! {
        //! A waiter of the model.
        #![allow(deprecated)]

        use std::time::Duration;

        use crate::operation::#module::builders::#fluent;
        use crate::operation::#module::{#error, #output};

        impl crate::Client {
            #[doc = #method_doc]
            pub fn #method(&self) -> #waiter {
                #waiter {
                    inner: self.#op_method(),
                    delay: Duration::from_secs(#delay_lit),
                    max_attempts: #max_attempts_lit,
                }
            }
        }

        #[doc = #struct_doc]
        ///
        #model_docs
        #(#summary_docs)*
        #[derive(Clone, Debug)]
        pub struct #waiter {
            inner: #fluent,
            delay: Duration,
            max_attempts: u32,
        }

        impl #waiter {
            #[doc = #delay_doc]
            pub fn delay(mut self, delay: Duration) -> Self {
                self.delay = delay;
                self
            }

            #[doc = #attempts_doc]
            pub fn max_attempts(mut self, max_attempts: u32) -> Self {
                self.max_attempts = max_attempts;
                self
            }

            /// Waits, for `max_wait` at most: the response that matched a `success`
            /// acceptor (an output, or the error the acceptor expects), or why not.
            pub async fn wait(
                self,
                max_wait: Duration,
            ) -> Result<::s3_runtime::waiter::FinalPoll<#output, #error>, ::s3_runtime::waiter::WaiterError<#output, #error>> {
                let config = ::s3_runtime::waiter::WaiterConfig {
                    name: #name,
                    delay: self.delay,
                    max_attempts: self.max_attempts,
                    max_wait,
                };
                let request = self.inner;
                ::s3_runtime::waiter::wait(config, move || request.clone().send(), matcher).await
            }

            #(#setters)*
        }

        #matcher
    }
}

/// The acceptors as one function, in order.
fn matcher_fn(op: &Operation, w: &Waiter) -> TokenStream {
    let output = ident(&op.output.rust_name);
    let error = format_ident!("{}Error", crate::ir::names::type_name(&op.name));
    let uses_status = w.acceptors.iter().any(|a| matches!(a.matcher, Matcher::Status(_)));
    let uses_code = w.acceptors.iter().any(|a| matches!(a.matcher, Matcher::ErrorCode(_)));
    let status = uses_status.then(|| {
        let success = match &w.success_status {
            SuccessStatus::Fixed(code) => {
                let code = Literal::u16_unsuffixed(*code);
                quote!(Some(#code))
            }
            SuccessStatus::Member(field) => {
                let field = ident(field);
                quote!(out.#field.and_then(|s| u16::try_from(s).ok()))
            }
        };
        let out = match &w.success_status {
            SuccessStatus::Fixed(_) => quote!(_),
            SuccessStatus::Member(_) => quote!(out),
        };
        quote! {
            let status: Option<u16> = match result {
                Ok(#out) => #success,
                Err(e) => e.meta().status(),
            };
        }
    });
    let code = uses_code.then(|| {
        quote! {
            let code: Option<&str> = match result {
                Ok(_) => None,
                Err(e) => e.code(),
            };
        }
    });
    let checks = w.acceptors.iter().map(acceptor_check);
    quote! {
        /// The model's acceptors, in order: the first that matches.
        fn matcher(result: Result<&#output, &#error>) -> Option<::s3_runtime::waiter::Match> {
            #status
            #code
            #(#checks)*
            None
        }
    }
}

fn acceptor_check(a: &Acceptor) -> TokenStream {
    let out = format_ident!("out");
    let condition = match &a.matcher {
        Matcher::Status(code) => {
            let code = Literal::u16_unsuffixed(*code);
            quote!(status == Some(#code))
        }
        Matcher::ErrorCode(code) => quote!(code == Some(#code)),
        Matcher::AnyError => quote!(result.is_err()),
        Matcher::NoError => quote!(result.is_ok()),
        Matcher::Path(c, expected) => {
            let value = expr_tokens(c, &out);
            let test = match (&c.ty, expected) {
                (ValueType::Enum, Expected::String(s)) => quote!(#value.is_some_and(|v| v.as_str() == #s)),
                (_, expected) => {
                    let lit = literal(expected);
                    quote!(#value == Some(#lit))
                }
            };
            quote!(result.is_ok_and(|out| #test))
        }
        Matcher::PathAll(c, expected) | Matcher::PathAny(c, expected) => {
            let items = if c.many {
                expr_tokens(c, &out)
            } else {
                let list = expr_tokens(c, &out);
                let ValueType::List(item) = &c.ty else { unreachable!("lowering checked for a list") };
                let view = match &**item {
                    ValueType::String => quote!(.map(String::as_str)),
                    ty if ty.is_copy() => quote!(.copied()),
                    _ => quote!(),
                };
                quote!(#list.into_iter().flatten() #view)
            };
            let item_ty = match &c.ty {
                ValueType::List(item) if !c.many => (**item).clone(),
                ty => ty.clone(),
            };
            // `v` is an item by value: `&str`, `&Enum`, `bool`, a number.
            let eq = match (&item_ty, expected) {
                (ValueType::Enum, Expected::String(s)) => quote!(v.as_str() == #s),
                (ValueType::Bool, Expected::Bool(true)) => quote!(v),
                (ValueType::Bool, Expected::Bool(false)) => quote!(!v),
                (_, expected) => {
                    let lit = literal(expected);
                    quote!(v == #lit)
                }
            };
            if matches!(a.matcher, Matcher::PathAll(..)) {
                // At least one item, and all equal.
                quote! {
                    result.is_ok_and(|out| {
                        let mut items = #items.peekable();
                        items.peek().is_some() && items.all(|v| #eq)
                    })
                }
            } else {
                quote!(result.is_ok_and(|out| #items.any(|v| #eq)))
            }
        }
    };
    let state = format_ident!(
        "{}",
        match a.state {
            State::Success => "Success",
            State::Failure => "Failure",
            State::Retry => "Retry",
        }
    );
    let explanation = &a.explanation;
    quote! {
        if #condition {
            return Some((::s3_runtime::waiter::AcceptorState::#state, #explanation));
        }
    }
}

fn literal(expected: &Expected) -> TokenStream {
    match expected {
        Expected::String(s) => quote!(#s),
        Expected::Bool(b) => quote!(#b),
        Expected::Integer(n) => {
            let lit = Literal::i64_unsuffixed(*n);
            quote!(#lit)
        }
        Expected::Float(f) => {
            let lit = Literal::f64_unsuffixed(*f);
            quote!(#lit)
        }
    }
}
