//! Cases → Rust tests, built with `quote!`.
//!
//! An input case becomes a test that builds the operation's input from the case's
//! `params` with the generated builders (the JSON is walked alongside the IR, so every
//! value gets its exact Rust type), serializes it with `into_http_request()` and hands
//! the request to `pt_support::check_request` with the case's `serialized` prepared the
//! way botocore's runner prepares it.
//!
//! An output case becomes a test that feeds the case's `response` to the operation's
//! `parse_response`, turns the parsed output (or error) into a `pt_support::Value` with
//! converter functions generated per shape, and compares it with the case's `result`
//! (or `errorCode`, `errorMessage` and `error`) turned into a `Value` the same way.

use std::cell::Cell;
use std::collections::BTreeSet;

use anyhow::{anyhow, bail, Context, Result};
use codegen::ir::names::{snake_name, type_name};
use codegen::ir::{Location, Member, Operation, RustType, Service, ShapeKind, Structure};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::suite::{Case, Suite};

/// What the tests of one suite are generated against.
pub struct SuiteContext<'a> {
    pub service: &'a Service,
    pub suite: &'a Suite,
    /// The generated crate, as a path (`pt_input_03`).
    pub krate: Ident,
    /// Structures and unions that output tests convert, by model name.
    converters: BTreeSet<String>,
    /// Set while building an input when `params` has a map with several entries.
    map_order_matters: Cell<bool>,
}

impl<'a> SuiteContext<'a> {
    pub fn new(service: &'a Service, suite: &'a Suite, crate_name: &str) -> Self {
        SuiteContext {
            service,
            suite,
            krate: format_ident!("{}", crate_name),
            converters: BTreeSet::new(),
            map_order_matters: Cell::new(false),
        }
    }

    fn operation(&self, name: &str) -> Result<&'a Operation> {
        self.service
            .operations
            .iter()
            .find(|op| op.name == name)
            .ok_or_else(|| anyhow!("the generated service has no operation `{name}`"))
    }

    /// Whether member `member` of structure `owner` has botocore's `jsonvalue` trait (the
    /// IR does not carry it): its value is JSON, held in Rust as the JSON text.
    fn is_json_value(&self, owner: &str, member: &str) -> bool {
        self.suite.shapes.pointer(&format!("/{}/members/{}/jsonvalue", json_pointer_escape(owner), json_pointer_escape(member)))
            == Some(&Value::Bool(true))
    }

    fn op_module(&self, op: &Operation) -> TokenStream {
        let krate = &self.krate;
        let module = ident(&op.snake);
        quote!(#krate::operation::#module)
    }

    /// The `tests/cases.rs` file: the tests in a module named after the suite, and the
    /// converters they use.
    pub fn test_file(&self, tests: Vec<TokenStream>) -> TokenStream {
        let module = format_ident!("{}", self.suite.label);
        let converters = self.converters.iter().map(|name| self.converter_fn(name));
        let doc = format!(" botocore suite `{}`: {}", self.suite.label, self.suite.description);
        quote! {
            //! Protocol tests written by `cargo xtask protocol-tests`. DO NOT EDIT.
            #![allow(deprecated, unused_mut, unused_imports, unused_variables, dead_code, clippy::all)]

            #[doc = #doc]
            mod #module {
                use pt_support::Value;

                #(#tests)*

                #(#converters)*
            }
        }
    }
}

/// The test function's name: `case_03_rest_xml_query_precedence`.
pub fn test_fn_name(case: &Case) -> String {
    match &case.id {
        Some(id) => format!("case_{:02}_{}", case.index, snake_name(id).trim_start_matches("r#")),
        None => format!("case_{:02}", case.index),
    }
}

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn setter_names(m: &Member) -> (Ident, Ident) {
    (ident(&m.field), format_ident!("set_{}", m.field.trim_start_matches("r#")))
}

/// `<Op>Error` of an operation.
fn error_enum(op: &Operation) -> Ident {
    format_ident!("{}Error", type_name(&op.name))
}

fn converter_name(prefix: &str, rust_name: &str) -> Ident {
    format_ident!("{}_{}", prefix, snake_name(rust_name).trim_start_matches("r#"))
}

// ---------------------------------------------------------------------------------------
// Input cases
// ---------------------------------------------------------------------------------------

impl SuiteContext<'_> {
    /// Whether the params of the last input case built had a map with several entries,
    /// whose order botocore keeps (it serializes maps in the order given).
    pub fn map_order_matters(&self) -> bool {
        self.map_order_matters.get()
    }

    /// The test of an input case.
    pub fn input_test(&self, case: &Case) -> Result<TokenStream> {
        self.map_order_matters.set(false);
        let op = self.operation(&case.operation)?;
        let params = case.data.get("params").cloned().unwrap_or(Value::Null);
        let module = self.op_module(op);
        let input_ty = ident(&op.input.rust_name);
        let setters = self.setter_calls(&op.input, &params, "params")?;
        let serialized = case.data.get("serialized").context("the case has no `serialized`")?;
        let expected = self.expected_request(op, serialized)?;
        let name = format_ident!("{}", test_fn_name(case));
        let doc = case_doc(case);
        Ok(quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                let input = match #module::#input_ty::builder() #(#setters)* .build() {
                    Ok(input) => input,
                    Err(err) => panic!("the input does not build: {err}"),
                };
                let request = match input.into_http_request() {
                    Ok(request) => request,
                    Err(err) => panic!("into_http_request refused the input: {err}"),
                };
                pt_support::check_request(request, &#expected);
            }
        })
    }

    /// `pt_support::ExpectedRequest { .. }` from `serialized`, adjusted as botocore's
    /// `_assert_requests_equal` adjusts it: `Content-Type` dropped (rest-xml), list
    /// header values with `, ` made `,` (`_clean_list_header_values`).
    fn expected_request(&self, op: &Operation, serialized: &Value) -> Result<TokenStream> {
        let method = match serialized.get("method").and_then(Value::as_str) {
            Some(m) => quote!(Some(#m)),
            None => quote!(None),
        };
        let uri = serialized.get("uri").and_then(Value::as_str).unwrap_or("");
        let literal_query = op.http.literal_query.len();
        let list_headers: Vec<(&str, bool)> = op
            .input
            .members
            .iter()
            .filter_map(|m| match (&m.location, &self.service.shape(&m.target).kind) {
                (Location::Header(name), ShapeKind::List(item)) => {
                    Some((name.as_str(), matches!(self.service.shape(&item.target).kind, ShapeKind::Timestamp)))
                }
                _ => None,
            })
            .collect();
        let mut headers = Vec::new();
        if let Some(map) = serialized.get("headers").and_then(Value::as_object) {
            for (name, value) in map {
                if name.eq_ignore_ascii_case("Content-Type") {
                    continue;
                }
                let mut value = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if list_headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(name)) {
                    value = value.replace(", ", ",");
                }
                headers.push(quote!((#name, #value)));
            }
        }
        let timestamp_list_headers = list_headers.iter().filter(|(_, ts)| *ts).map(|(h, _)| *h);
        let forbid: Vec<&str> = serialized
            .get("forbidHeaders")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let body = match serialized.get("body").and_then(Value::as_str) {
            Some(b) => quote!(Some(#b)),
            None => quote!(None),
        };
        let host = match serialized.get("host").and_then(Value::as_str) {
            Some(host) => {
                let endpoint = self.suite.client_endpoint.as_deref().context(
                    "`serialized.host` is given but the suite has no `clientEndpoint` (botocore's runner would fail too)",
                )?;
                let netloc = netloc(endpoint);
                quote!(Some((#netloc, #host)))
            }
            None => quote!(None),
        };
        Ok(quote! {
            pt_support::ExpectedRequest {
                method: #method,
                uri: #uri,
                literal_query: #literal_query,
                headers: &[#(#headers),*],
                forbid_headers: &[#(#forbid),*],
                timestamp_list_headers: &[#(#timestamp_list_headers),*],
                body: #body,
                host: #host,
            }
        })
    }

    /// `.member(value)` / `.set_member(Some(value))` calls for the JSON object `params`
    /// on a builder of `s` (lists and maps through `set_`, so an empty one is still set).
    /// `null` members are left unset, as botocore's serializers skip `None`.
    pub(crate) fn setter_calls(&self, s: &Structure, params: &Value, path: &str) -> Result<Vec<TokenStream>> {
        let obj = match params {
            Value::Null => return Ok(Vec::new()),
            Value::Object(obj) => obj,
            other => bail!("`{path}`: expected an object for `{}`, found {other}", s.name),
        };
        let mut calls = Vec::new();
        for (key, value) in obj {
            if value.is_null() {
                continue;
            }
            let sub = format!("{path}.{key}");
            let m = s.member(key).with_context(|| format!("`{sub}`: `{}` has no member `{key}`", s.name))?;
            let expr = if self.is_json_value(&s.name, key) {
                // A `jsonvalue` member: botocore takes any JSON value and writes it with
                // `json.dumps(value, separators=(',', ':'))`; in Rust it is that text.
                let text = serde_json::to_string(value)?;
                quote!(String::from(#text))
            } else {
                self.value_expr(m, value, &sub)?
            };
            let (setter, set) = setter_names(m);
            calls.push(match m.ty {
                RustType::List(_) | RustType::Map(..) => quote!(.#set(Some(#expr))),
                _ => quote!(.#setter(#expr)),
            });
        }
        Ok(calls)
    }

    /// An expression of exactly the member's Rust type for a JSON value of `params`.
    fn value_expr(&self, m: &Member, value: &Value, path: &str) -> Result<TokenStream> {
        let krate = &self.krate;
        let shape = self.service.shape(&m.target);
        let text = || value.as_str().with_context(|| format!("`{path}`: expected a string, found {value}"));
        Ok(match &shape.kind {
            ShapeKind::String => {
                let s = text()?;
                quote!(String::from(#s))
            }
            ShapeKind::Enum(_) => {
                let s = text()?;
                let ty = ident(&shape.rust_name);
                quote!(#krate::types::#ty::from(#s))
            }
            ShapeKind::Boolean => {
                let b = value.as_bool().with_context(|| format!("`{path}`: expected a boolean, found {value}"))?;
                quote!(#b)
            }
            ShapeKind::Integer => {
                let n = value.as_i64().with_context(|| format!("`{path}`: expected an integer, found {value}"))?;
                let n = i32::try_from(n).with_context(|| format!("`{path}`: {n} does not fit an i32"))?;
                int_literal(i64::from(n), true)
            }
            ShapeKind::Long => {
                let n = value.as_i64().with_context(|| format!("`{path}`: expected an integer, found {value}"))?;
                int_literal(n, false)
            }
            ShapeKind::Float | ShapeKind::Double => {
                let single = matches!(shape.kind, ShapeKind::Float);
                let ty = if single { quote!(f32) } else { quote!(f64) };
                // botocore's runner turns "NaN", "Infinity" and "-Infinity" params into floats.
                match value {
                    Value::String(s) if s == "NaN" => quote!(#ty::NAN),
                    Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
                    Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
                    _ => {
                        let f = value.as_f64().with_context(|| format!("`{path}`: expected a number, found {value}"))?;
                        float_literal(f, single)
                    }
                }
            }
            ShapeKind::Timestamp => {
                let (secs, micros) = epoch_parts(value).with_context(|| format!("`{path}`: timestamp"))?;
                if micros == 0 {
                    quote!(#krate::primitives::DateTime::from_secs(#secs))
                } else {
                    let nanos = micros * 1000;
                    quote!(#krate::primitives::DateTime::from_secs_and_nanos(#secs, #nanos).expect("nanoseconds below one second"))
                }
            }
            ShapeKind::Blob { .. } => {
                let bytes = Literal::byte_string(text()?.as_bytes());
                if m.ty == RustType::ByteStream {
                    quote!(#krate::primitives::ByteStream::from(#bytes.to_vec()))
                } else {
                    quote!(#krate::primitives::Blob::new(#bytes.to_vec()))
                }
            }
            ShapeKind::Structure(s) => {
                let ty = ident(&shape.rust_name);
                let setters = self.setter_calls(s, value, path)?;
                let built = quote!(#krate::types::#ty::builder() #(#setters)* .build());
                if s.has_required() {
                    let msg = format!("`{}` (`{}`) does not build: {{err}}", escape_braces(path), shape.rust_name);
                    quote!(match #built { Ok(value) => value, Err(err) => panic!(#msg) })
                } else {
                    built
                }
            }
            ShapeKind::Union(s) => {
                let obj = value.as_object().with_context(|| format!("`{path}`: expected an object, found {value}"))?;
                let set: Vec<_> = obj.iter().filter(|(_, v)| !v.is_null()).collect();
                let [(key, inner)] = set.as_slice() else {
                    bail!("`{path}`: a union value needs exactly one member, found {}", set.len())
                };
                let member = s.member(key).with_context(|| format!("`{path}`: `{}` has no member `{key}`", s.name))?;
                let inner = self.value_expr(member, inner, &format!("{path}.{key}"))?;
                let inner = if member.boxed { quote!(Box::new(#inner)) } else { inner };
                let (ty, variant) = (ident(&shape.rust_name), ident(&type_name(&member.name)));
                quote!(#krate::types::#ty::#variant(#inner))
            }
            ShapeKind::EventStream(_) => bail!("`{path}`: event streams in requests are not supported by this test generator"),
            ShapeKind::List(item) => {
                let items = value.as_array().with_context(|| format!("`{path}`: expected a list, found {value}"))?;
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.value_expr(item, v, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>>>()?;
                quote!(vec![#(#items),*])
            }
            ShapeKind::Map { key, value: val } => {
                let obj = value.as_object().with_context(|| format!("`{path}`: expected an object, found {value}"))?;
                if obj.len() > 1 {
                    self.map_order_matters.set(true);
                }
                let entries = obj
                    .iter()
                    .map(|(k, v)| {
                        let sub = format!("{path}[{k}]");
                        let k = self.value_expr(key, &Value::String(k.clone()), &sub)?;
                        let v = self.value_expr(val, v, &sub)?;
                        Ok(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                // `collect` into whatever map type the generator chose.
                quote!(::std::iter::IntoIterator::into_iter([#(#entries),*]).collect())
            }
        })
    }
}

/// An integer literal of type `i32` or `i64`, negative ones as a negation.
fn int_literal(n: i64, is_i32: bool) -> TokenStream {
    let lit = |v: u64| if is_i32 { Literal::i32_suffixed(v as i32) } else { Literal::i64_suffixed(v as i64) };
    match n {
        n if n >= 0 => {
            let l = lit(n as u64);
            quote!(#l)
        }
        n if (is_i32 && n == i64::from(i32::MIN)) => quote!(i32::MIN),
        i64::MIN => quote!(i64::MIN),
        n => {
            let l = lit(n.unsigned_abs());
            quote!(-#l)
        }
    }
}

/// A finite float literal of type `f32` or `f64`, negative ones as a negation.
fn float_literal(f: f64, single: bool) -> TokenStream {
    let lit = |v: f64| if single { Literal::f32_suffixed(v as f32) } else { Literal::f64_suffixed(v) };
    if f.is_sign_negative() {
        let l = lit(-f);
        quote!(-#l)
    } else {
        let l = lit(f);
        quote!(#l)
    }
}

/// Seconds and microseconds of an epoch timestamp in `params`, as botocore gets them
/// (`datetime.fromtimestamp(value, tzutc())`: the fraction rounded to microseconds).
fn epoch_parts(value: &Value) -> Result<(i64, u32)> {
    if let Some(n) = value.as_i64() {
        return Ok((n, 0));
    }
    let Some(f) = value.as_f64() else { bail!("expected epoch seconds, found {value}") };
    let (mut secs, frac) = (f.trunc(), f.fract());
    let mut micros = (frac * 1e6).round_ties_even();
    if micros >= 1e6 {
        secs += 1.0;
        micros -= 1e6;
    } else if micros < 0.0 {
        secs -= 1.0;
        micros += 1e6;
    }
    Ok((secs as i64, micros as u32))
}

/// A JSON pointer token: `~` and `/` escaped.
fn json_pointer_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Text for a `format!` string: braces doubled.
fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// The host of an endpoint URL, as `urlsplit(url).netloc`.
fn netloc(url: &str) -> String {
    let rest = url.split_once("//").map_or("", |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_owned()
}

fn case_doc(case: &Case) -> String {
    let mut doc = format!(" {}", case.title());
    if let Some(d) = &case.description {
        doc.push_str(": ");
        doc.push_str(d);
    }
    doc
}

// ---------------------------------------------------------------------------------------
// Output cases
// ---------------------------------------------------------------------------------------

impl SuiteContext<'_> {
    /// The test of an output case, against `parse_response`.
    pub fn output_test(&mut self, case: &Case) -> Result<TokenStream> {
        let op = self.operation(&case.operation)?;
        let response = case.data.get("response").context("the case has no `response`")?;
        let status = response.get("status_code").and_then(Value::as_u64).unwrap_or(200);
        let status = u16::try_from(status).context("`response.status_code` is not a u16")?;
        let headers: Vec<TokenStream> = response
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        quote!((String::from(#k), String::from(#v)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let body_text = response.get("body").and_then(Value::as_str).unwrap_or("");
        let event_stream = op.output.members.iter().any(|m| matches!(m.ty, RustType::EventStream(_)));
        let body = if event_stream {
            // botocore's runner base64-decodes the body of event-stream responses
            // (`MockRawResponse`).
            quote! {
                match ::s3_runtime::encoding::base64_decode(#body_text) {
                    Ok(bytes) => bytes,
                    Err(err) => panic!("the case's event-stream body is not base64: {err}"),
                }
            }
        } else {
            let bytes = Literal::byte_string(body_text.as_bytes());
            quote!(#bytes.to_vec())
        };
        let module = self.op_module(op);
        let name = format_ident!("{}", test_fn_name(case));
        let doc = case_doc(case);
        let check = if case.data.get("error").is_some() || case.data.get("errorCode").is_some() {
            self.error_check(op, case)?
        } else {
            // An event stream's events are received and compared as the list botocore's
            // runner makes of them (`list(parsed['Payload'])`).
            self.result_check(op, case)?
        };
        Ok(quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                let response = ::s3_runtime::http::HttpResponse::new(#status, vec![#(#headers),*], #body);
                let parsed = #module::parse_response(response);
                #check
            }
        })
    }

    /// A successful response: the output's members against `result`.
    fn result_check(&mut self, op: &Operation, case: &Case) -> Result<TokenStream> {
        let result = case.data.get("result").cloned().unwrap_or_else(|| Value::Object(Default::default()));
        let expected = self.expected_struct(&op.output, &result, "result")?;
        let module = self.op_module(op);
        let output_ty = ident(&op.output.rust_name);
        let fields = self.fields_body(&op.output, quote!(v), true)?;
        Ok(quote! {
            let output = match parsed {
                Ok(output) => output,
                Err(err) => panic!("parse_response failed: {err:?}"),
            };
            let actual = {
                let mut v: #module::#output_ty = output;
                Value::Map(#fields)
            };
            pt_support::assert_value_eq(&actual, &#expected);
        })
    }

    /// An error response: botocore expects `{"Error": {"Code", "Message"}}` plus the
    /// members of the error shape whose code is `errorCode` (looked up among all the
    /// model's error shapes, as `shape_for_error_code` does). Here the error must be the
    /// operation's variant for that shape (or `Unhandled` when the operation does not
    /// list it), with the same code, message and members. An absent code or message
    /// counts as empty, as botocore's parser defaults them.
    fn error_check(&mut self, op: &Operation, case: &Case) -> Result<TokenStream> {
        let code = case.data.get("errorCode").and_then(Value::as_str).unwrap_or("");
        let message = case.data.get("errorMessage").and_then(Value::as_str).unwrap_or("");
        let members = case.data.get("error").cloned().unwrap_or_else(|| Value::Object(Default::default()));
        let error_shape = self.service.shapes.values().find_map(|shape| match &shape.kind {
            ShapeKind::Structure(s) if s.error.as_ref().is_some_and(|e| e.code == code) => Some((shape, s)),
            _ => None,
        });
        let module = self.op_module(op);
        let error_enum = error_enum(op);
        let mut expected_entries = vec![quote! {
            (String::from("Error"), Value::Map(vec![
                (String::from("Code"), Value::str(#code)),
                (String::from("Message"), Value::str(#message)),
            ]))
        }];
        let (variant_name, arm) = match error_shape {
            Some((shape, s)) => {
                expected_entries.extend(self.expected_entries(s, &members, "error")?);
                if op.errors.contains(&shape.name) {
                    let variant = ident(&shape.rust_name);
                    let fields = self.fields_body(s, quote!(e), false)?;
                    (shape.rust_name.clone(), quote!(#module::#error_enum::#variant(e) => { actual.extend(#fields); }))
                } else {
                    // The operation does not list this error, so the Rust API has no place
                    // for its members but the metadata's extra fields.
                    let extras = s.members.iter().map(|m| {
                        let (name, xml) = (&m.name, &m.xml_name);
                        quote!(if let Some(v) = meta.extra(#xml) { actual.push((String::from(#name), Value::str(v))); })
                    });
                    ("Unhandled".to_owned(), quote!(#module::#error_enum::Unhandled(meta) => { #(#extras)* }))
                }
            }
            None => {
                if let Value::Object(obj) = &members {
                    for (k, v) in obj {
                        let v = untyped_expected(v);
                        expected_entries.push(quote!((String::from(#k), #v)));
                    }
                }
                ("Unhandled".to_owned(), quote!(#module::#error_enum::Unhandled(_) => {}))
            }
        };
        let code_text = escape_braces(code);
        let unexpected = format!("expected the error variant `{variant_name}`, got {{other:?}}");
        let not_error = format!("expected the error `{code_text}`, parse_response returned Ok({{output:?}})");
        let not_service = format!("expected the service error `{code_text}`, got {{other:?}}");
        Ok(quote! {
            let err = match parsed {
                Ok(output) => panic!(#not_error),
                Err(::s3_runtime::SdkError::Service(err)) => err,
                Err(other) => panic!(#not_service),
            };
            let meta = err.meta().clone();
            let mut actual: Vec<(String, Value)> = vec![(String::from("Error"), Value::Map(vec![
                (String::from("Code"), Value::str(meta.code().unwrap_or(""))),
                (String::from("Message"), Value::str(meta.message().unwrap_or(""))),
            ]))];
            match err {
                #arm
                other => panic!(#unexpected),
            }
            pt_support::assert_value_eq(&Value::Map(actual), &Value::Map(vec![#(#expected_entries),*]));
        })
    }

    /// `Value::Map(vec![..])` for an expected structure value.
    pub(crate) fn expected_struct(&self, s: &Structure, value: &Value, path: &str) -> Result<TokenStream> {
        let entries = self.expected_entries(s, value, path)?;
        Ok(quote!(Value::Map(vec![#(#entries),*])))
    }

    fn expected_entries(&self, s: &Structure, value: &Value, path: &str) -> Result<Vec<TokenStream>> {
        let obj = value.as_object().with_context(|| format!("`{path}`: expected an object, found {value}"))?;
        obj.iter()
            .map(|(key, v)| {
                let sub = format!("{path}.{key}");
                let m = s.member(key).with_context(|| format!("`{sub}`: `{}` has no member `{key}`", s.name))?;
                let v = if self.is_json_value(&s.name, key) { untyped_expected(v) } else { self.expected_value(m, v, &sub)? };
                Ok(quote!((String::from(#key), #v)))
            })
            .collect()
    }

    /// A `Value` expression for a JSON value of `result`, typed by the member.
    fn expected_value(&self, m: &Member, value: &Value, path: &str) -> Result<TokenStream> {
        let shape = self.service.shape(&m.target);
        let text = || value.as_str().with_context(|| format!("`{path}`: expected a string, found {value}"));
        Ok(match &shape.kind {
            ShapeKind::String | ShapeKind::Enum(_) | ShapeKind::Blob { .. } => {
                let s = text()?;
                quote!(Value::str(#s))
            }
            ShapeKind::Boolean => {
                let b = value.as_bool().with_context(|| format!("`{path}`: expected a boolean, found {value}"))?;
                quote!(Value::Bool(#b))
            }
            ShapeKind::Integer | ShapeKind::Long => {
                let n = value.as_i64().with_context(|| format!("`{path}`: expected an integer, found {value}"))?;
                let n = int_literal(n, false);
                quote!(Value::Int(#n))
            }
            ShapeKind::Float | ShapeKind::Double | ShapeKind::Timestamp => match value {
                Value::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => quote!(Value::str(#s)),
                _ => {
                    let f = value.as_f64().with_context(|| format!("`{path}`: expected a number, found {value}"))?;
                    if matches!(shape.kind, ShapeKind::Float) {
                        // A `float` is an `f32` in Rust: the expected value is the nearest
                        // f32, as a parser can give no closer one.
                        let f = float_literal(f, true);
                        quote!(Value::float(f64::from(#f)))
                    } else {
                        let f = float_literal(f, false);
                        quote!(Value::float(#f))
                    }
                }
            },
            // botocore parses a member it does not know into
            // `{"SDK_UNKNOWN_MEMBER": {"name": <element name>}}`.
            ShapeKind::Union(_) if value.get("SDK_UNKNOWN_MEMBER").is_some() => untyped_expected(value),
            ShapeKind::Structure(s) | ShapeKind::Union(s) => self.expected_struct(s, value, path)?,
            // The list of events, each `{"<member>": {..event..}}` as botocore parses it.
            ShapeKind::EventStream(s) => {
                let events = value.as_array().with_context(|| format!("`{path}`: expected a list of events, found {value}"))?;
                let events = events
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expected_struct(s, v, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>>>()?;
                quote!(Value::List(vec![#(#events),*]))
            }
            ShapeKind::List(item) => {
                let items = value.as_array().with_context(|| format!("`{path}`: expected a list, found {value}"))?;
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expected_value(item, v, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>>>()?;
                quote!(Value::List(vec![#(#items),*]))
            }
            ShapeKind::Map { value: val, .. } => {
                let obj = value.as_object().with_context(|| format!("`{path}`: expected an object, found {value}"))?;
                let entries = obj
                    .iter()
                    .map(|(k, v)| {
                        let v = self.expected_value(val, v, &format!("{path}[{k}]"))?;
                        Ok(quote!((String::from(#k), #v)))
                    })
                    .collect::<Result<Vec<_>>>()?;
                quote!(Value::Map(vec![#(#entries),*]))
            }
        })
    }

    /// A block evaluating to `Vec<(String, Value)>`: the set members of the structure
    /// value `v` (a `&T`, or an owned `T` when `owned`, whose streaming members are
    /// then read).
    pub(crate) fn fields_body(&mut self, s: &Structure, v: TokenStream, owned: bool) -> Result<TokenStream> {
        let mut pushes = Vec::new();
        for m in &s.members {
            let field = ident(&m.field);
            let name = &m.name;
            if m.ty == RustType::ByteStream {
                if !owned {
                    bail!("`{}.{}`: a streaming member inside another value is not supported by this test generator", s.name, m.name);
                }
                pushes.push(quote! {
                    if let Some(x) = #v.#field.take() {
                        out.push((String::from(#name), Value::blob(&pt_support::collect(x))));
                    }
                });
                continue;
            }
            if let RustType::EventStream(_) = m.ty {
                if !owned {
                    bail!("`{}.{}`: an event stream inside another value is not supported by this test generator", s.name, m.name);
                }
                // Every event, received until the end of the stream; events the model
                // does not know are left out, as botocore's `EventStream` skips them.
                self.converters.insert(m.target.clone());
                let f = converter_name("value_of", &self.service.shape(&m.target).rust_name);
                pushes.push(quote! {
                    if let Some(mut receiver) = #v.#field.take() {
                        let mut events = Vec::new();
                        loop {
                            match pt_support::block_on(receiver.recv()) {
                                Ok(Some(event)) => events.extend(#f(&event)),
                                Ok(None) => break,
                                Err(err) => panic!("receiving event {} failed: {err}", events.len() + 1),
                            }
                        }
                        out.push((String::from(#name), Value::List(events)));
                    }
                });
                continue;
            }
            let conv = if self.is_json_value(&s.name, &m.name) {
                // botocore parses a `jsonvalue` member into the JSON value; in Rust it is
                // the JSON text.
                quote!(Value::json(x))
            } else {
                self.convert(m, &m.ty, quote!(x))?
            };
            pushes.push(quote! {
                if let Some(x) = &#v.#field {
                    out.push((String::from(#name), #conv));
                }
            });
        }
        Ok(quote!({
            let mut out: Vec<(String, Value)> = Vec::new();
            #(#pushes)*
            out
        }))
    }

    /// A `Value` expression for `x: &T` of the member's type `ty` (the member is used for
    /// its target shape; list items and map values recurse with their own members).
    fn convert(&mut self, m: &Member, ty: &RustType, x: TokenStream) -> Result<TokenStream> {
        let shape = self.service.shape(&m.target);
        Ok(match &shape.kind {
            ShapeKind::String => quote!(Value::str(#x)),
            ShapeKind::Enum(_) => quote!(Value::str(#x.as_str())),
            ShapeKind::Boolean => quote!(Value::Bool(*#x)),
            ShapeKind::Integer | ShapeKind::Long => quote!(Value::Int(i64::from(*#x))),
            ShapeKind::Float | ShapeKind::Double => quote!(Value::float(f64::from(*#x))),
            ShapeKind::Timestamp => quote!(Value::timestamp(#x.secs(), #x.subsec_nanos())),
            ShapeKind::Blob { .. } if *ty == RustType::ByteStream => {
                bail!("`{}`: a streaming blob inside another value is not supported by this test generator", m.name)
            }
            ShapeKind::Blob { .. } => quote!(Value::blob(#x.as_bytes())),
            ShapeKind::Structure(_) => {
                self.converters.insert(m.target.clone());
                let f = converter_name("fields_of", &shape.rust_name);
                quote!(Value::Map(#f(#x)))
            }
            ShapeKind::Union(_) => {
                self.converters.insert(m.target.clone());
                let f = converter_name("value_of", &shape.rust_name);
                quote!(#f(#x))
            }
            ShapeKind::EventStream(_) => {
                bail!("`{}`: an event stream inside another value is not supported by this test generator", m.name)
            }
            ShapeKind::List(item) => {
                let RustType::List(item_ty) = ty else { bail!("`{}`: a list without a list type", m.name) };
                let conv = self.convert(item, item_ty, quote!(item))?;
                quote!(Value::List(#x.iter().map(|item| #conv).collect()))
            }
            ShapeKind::Map { key, value } => {
                let RustType::Map(_, value_ty) = ty else { bail!("`{}`: a map without a map type", m.name) };
                let key_text = match &self.service.shape(&key.target).kind {
                    ShapeKind::Enum(_) => quote!(k.as_str().to_owned()),
                    _ => quote!(k.to_string()),
                };
                let conv = self.convert(value, value_ty, quote!(item))?;
                quote!(Value::Map(#x.iter().map(|(k, item)| (#key_text, #conv)).collect()))
            }
        })
    }

    /// The converter function of a structure (`fields_of_x`) or union (`value_of_x`).
    fn converter_fn(&self, name: &str) -> TokenStream {
        // Converters are generated after the tests, from a snapshot of what they used;
        // a converter may need further converters, so this works on a scratch context.
        let mut scratch = SuiteContext {
            service: self.service,
            suite: self.suite,
            krate: self.krate.clone(),
            converters: BTreeSet::new(),
            map_order_matters: Cell::new(false),
        };
        let shape = self.service.shape(name);
        let krate = &self.krate;
        let ty = ident(&shape.rust_name);
        match &shape.kind {
            ShapeKind::Structure(s) => {
                let f = converter_name("fields_of", &shape.rust_name);
                let path = if s.error.is_some() { quote!(#krate::types::error::#ty) } else { quote!(#krate::types::#ty) };
                let body = scratch
                    .fields_body(s, quote!(v), false)
                    .unwrap_or_else(|err| {
                        let msg = err.to_string();
                        quote!(panic!("{}", #msg))
                    });
                quote! {
                    fn #f(v: &#path) -> Vec<(String, Value)> #body
                }
            }
            ShapeKind::Union(s) => {
                let f = converter_name("value_of", &shape.rust_name);
                let arms = s.members.iter().map(|m| {
                    let variant = ident(&type_name(&m.name));
                    let name = &m.name;
                    let conv = scratch.convert(m, &m.ty, quote!(x)).unwrap_or_else(|err| {
                        let msg = err.to_string();
                        quote!(panic!("{}", #msg))
                    });
                    quote!(#krate::types::#ty::#variant(x) => Value::Map(vec![(String::from(#name), #conv)]),)
                });
                quote! {
                    fn #f(v: &#krate::types::#ty) -> Value {
                        match v {
                            #(#arms)*
                            // botocore's `{"SDK_UNKNOWN_MEMBER": {"name": <element name>}}`.
                            #krate::types::#ty::Unknown(name) => Value::Map(vec![(
                                String::from("SDK_UNKNOWN_MEMBER"),
                                Value::Map(vec![(String::from("name"), Value::Str(name.clone()))]),
                            )]),
                            _ => Value::Map(vec![]),
                        }
                    }
                }
            }
            ShapeKind::EventStream(s) => {
                // `Some({"<member>": {..event..}})`, or `None` for an event the model does
                // not know (botocore skips those).
                let f = converter_name("value_of", &shape.rust_name);
                let arms = s.members.iter().map(|m| {
                    let variant = ident(&type_name(&m.name));
                    let name = &m.name;
                    let conv = scratch.convert(m, &m.ty, quote!(x)).unwrap_or_else(|err| {
                        let msg = err.to_string();
                        quote!(panic!("{}", #msg))
                    });
                    quote!(#krate::types::#ty::#variant(x) => Some(Value::Map(vec![(String::from(#name), #conv)])),)
                });
                quote! {
                    fn #f(v: &#krate::types::#ty) -> Option<Value> {
                        match v {
                            #(#arms)*
                            _ => None,
                        }
                    }
                }
            }
            _ => quote!(),
        }
    }

    /// Every converter the tests need, following converters that need others.
    pub fn close_converters(&mut self) {
        loop {
            let before = self.converters.len();
            let names: Vec<String> = self.converters.iter().cloned().collect();
            for name in names {
                let shape = self.service.shape(&name);
                if let ShapeKind::Structure(s) | ShapeKind::Union(s) | ShapeKind::EventStream(s) = &shape.kind {
                    for m in &s.members {
                        let _ = self.convert(m, &m.ty, quote!(x));
                    }
                }
            }
            if self.converters.len() == before {
                break;
            }
        }
    }
}

/// A `Value` for JSON with no shape to type it (members of an error the model lacks).
fn untyped_expected(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(Value::str("null")),
        Value::Bool(b) => quote!(Value::Bool(#b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => {
                let i = int_literal(i, false);
                quote!(Value::Int(#i))
            }
            None => {
                let f = float_literal(n.as_f64().unwrap_or(f64::NAN), false);
                quote!(Value::float(#f))
            }
        },
        Value::String(s) => quote!(Value::str(#s)),
        Value::Array(items) => {
            let items = items.iter().map(untyped_expected);
            quote!(Value::List(vec![#(#items),*]))
        }
        Value::Object(obj) => {
            let entries = obj.iter().map(|(k, v)| {
                let v = untyped_expected(v);
                quote!((String::from(#k), #v))
            });
            quote!(Value::Map(vec![#(#entries),*]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_parts_round_to_microseconds_like_python() {
        assert_eq!(epoch_parts(&serde_json::json!(1422172800)).unwrap(), (1422172800, 0));
        assert_eq!(epoch_parts(&serde_json::json!(1422172800.123)).unwrap(), (1422172800, 123000));
        assert_eq!(epoch_parts(&serde_json::json!(-1.5)).unwrap(), (-2, 500000));
    }

    #[test]
    fn netloc_is_the_host_part() {
        assert_eq!(netloc("https://example.com"), "example.com");
        assert_eq!(netloc("https://service.region.amazonaws.com/path?x"), "service.region.amazonaws.com");
    }

    #[test]
    fn literals() {
        assert_eq!(int_literal(-3, true).to_string(), "- 3i32");
        assert_eq!(int_literal(i64::from(i32::MIN), true).to_string(), "i32 :: MIN");
        assert_eq!(float_literal(1.5, false).to_string(), "1.5f64");
        assert_eq!(float_literal(-1.1, true).to_string(), "- 1.1f32");
    }
}
