//! The `pt-support` crate every suite crate's tests use: botocore's request comparison
//! (from `tests/unit/test_protocols.py`) and a small value tree to compare parsed
//! responses with a case's `result` as botocore compares dictionaries.

use proc_macro2::TokenStream;
use quote::quote;

/// The package name of the support crate (and its directory under `target/protocol-tests`).
pub const NAME: &str = "pt-support";

/// `src/lib.rs` of the support crate.
pub fn lib_rs() -> TokenStream {
    quote! {
        //! Helpers of the protocol-test crates written by `cargo xtask protocol-tests`.
        //!
        //! [`check_request`] compares a serialized request with a case's `serialized`
        //! exactly as botocore's `test_input_compliance` does; [`Value`] and
        //! [`assert_value_eq`] compare a parsed response with a case's `result` as
        //! `test_output_compliance` compares dictionaries.

        use s3_runtime::http::{HttpRequest, RequestBody};

        /// What a case's `serialized` expects, as the generator prepared it.
        pub struct ExpectedRequest<'a> {
            /// `serialized.method`, compared when present.
            pub method: Option<&'a str>,
            /// `serialized.uri` (botocore defaults it to the empty string).
            pub uri: &'a str,
            /// How many leading query parameters come from the `requestUri` itself:
            /// botocore keeps those as written, and percent-encodes the others.
            pub literal_query: usize,
            /// `serialized.headers` without `Content-Type` (botocore ignores it for
            /// rest-xml), list header values with `, ` already made `,`.
            pub headers: &'a [(&'a str, &'a str)],
            /// `serialized.forbidHeaders`.
            pub forbid_headers: &'a [&'a str],
            /// Headers bound to lists of timestamps, whose actual value botocore also
            /// normalizes from `, ` to `,`.
            pub timestamp_list_headers: &'a [&'a str],
            /// `serialized.body`, compared when present.
            pub body: Option<&'a str>,
            /// `(netloc of the suite's clientEndpoint, serialized.host)` when the case
            /// expects a host.
            pub host: Option<(&'a str, &'a str)>,
        }

        /// Compares a request with what the case expects, the way botocore's
        /// `_assert_requests_equal` and `_assert_endpoints_equal` do, and panics
        /// listing every difference:
        ///
        /// - the body, when expected, as canonical XML (`ET.canonicalize(...,
        ///   strip_text=True)`), or byte for byte when either side is not XML;
        /// - each expected header (names case-insensitive), which must be present with
        ///   the expected value (here also exactly once: botocore's headers are a
        ///   dictionary and cannot repeat a name), and each forbidden header, which must
        ///   be absent;
        /// - the URI: the path, the `requestUri`'s own query as written, then the
        ///   members' query parameters percent-encoded as `percent_encode_sequence`
        ///   does;
        /// - the method, when expected; the host (host prefix + the client endpoint's
        ///   host), when expected.
        pub fn check_request(request: HttpRequest, expected: &ExpectedRequest<'_>) {
            let mut problems: Vec<String> = Vec::new();
            let body = match request.body {
                RequestBody::Empty => Vec::new(),
                RequestBody::Bytes(bytes) => bytes,
                RequestBody::Stream(stream) => match block_on(stream.collect()) {
                    Ok(bytes) => bytes,
                    Err(err) => {
                        problems.push(format!("body: the stream cannot be read: {err}"));
                        Vec::new()
                    }
                },
            };
            if let Some(expected_body) = expected.body {
                if !s3_runtime::xml::canonical_eq(&body, expected_body.as_bytes()) {
                    let (a, e) = excerpts(&show_body(&body), &show_body(expected_body.as_bytes()));
                    problems.push(format!("body (compared as canonical XML):\n  actual:   {a}\n  expected: {e}"));
                }
            }
            for (name, value) in expected.headers {
                let normalize = expected.timestamp_list_headers.iter().any(|h| h.eq_ignore_ascii_case(name));
                let values: Vec<String> = request
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| if normalize { v.replace(", ", ",") } else { v.clone() })
                    .collect();
                match values.as_slice() {
                    [] => problems.push(format!("header `{name}`: missing (expected {value:?})")),
                    [actual] if actual == value => {}
                    [actual] => problems.push(mismatch(&format!("header `{name}`"), &format!("{actual:?}"), &format!("{value:?}"))),
                    several => problems.push(format!(
                        "header `{name}`: sent {} times {several:?}, expected once as {value:?}",
                        several.len()
                    )),
                }
            }
            for name in expected.forbid_headers {
                if let Some((n, v)) = request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    problems.push(format!("header `{n}`: forbidden, but sent as {v:?}"));
                }
            }
            let uri = request_uri(&request.path, &request.query, expected.literal_query);
            if uri != expected.uri {
                problems.push(mismatch("uri", &format!("{uri:?}"), &format!("{:?}", expected.uri)));
            }
            if let Some(method) = expected.method {
                if request.method != method {
                    problems.push(format!("method: actual {:?} != expected {method:?}", request.method));
                }
            }
            if let Some((netloc, host)) = expected.host {
                let actual = format!("{}{netloc}", request.host_prefix.as_deref().unwrap_or(""));
                if actual != host {
                    problems.push(format!("host: actual {actual:?} != expected {host:?}"));
                }
            }
            if !problems.is_empty() {
                panic!("{}", problems.join("\n"));
            }
        }

        /// botocore's `url_path` after `_serialize_request_description`: the rendered
        /// `requestUri` (whose own query is kept as written), then `?` or `&` and the
        /// query parameters of members through `percent_encode_sequence`.
        fn request_uri(path: &str, query: &[(String, Option<String>)], literal: usize) -> String {
            let (literal, members) = query.split_at(literal.min(query.len()));
            let mut uri = path.to_owned();
            let literal: Vec<String> = literal
                .iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}={v}"),
                    None => k.clone(),
                })
                .collect();
            if !literal.is_empty() {
                uri.push('?');
                uri.push_str(&literal.join("&"));
            }
            let encoded: Vec<String> = members
                .iter()
                .map(|(k, v)| {
                    let k = s3_runtime::encoding::query_param(k);
                    match v {
                        Some(v) => format!("{k}={}", s3_runtime::encoding::query_param(v)),
                        None => k,
                    }
                })
                .collect();
            if !encoded.is_empty() {
                uri.push(if uri.contains('?') { '&' } else { '?' });
                uri.push_str(&encoded.join("&"));
            }
            uri
        }

        /// A body for a message: its canonical XML if it is XML, else its text.
        fn show_body(bytes: &[u8]) -> String {
            match s3_runtime::xml::canonicalize(bytes) {
                Ok(canonical) => canonical,
                Err(_) => format!("{:?}", String::from_utf8_lossy(bytes)),
            }
        }

        /// `what: actual A != expected E`, on three lines when long.
        fn mismatch(what: &str, actual: &str, expected: &str) -> String {
            let (a, e) = excerpts(actual, expected);
            if a.chars().count() + e.chars().count() <= 140 {
                format!("{what}: actual {a} != expected {e}")
            } else {
                format!("{what}:\n  actual:   {a}\n  expected: {e}")
            }
        }

        /// Two differing texts for a message: whole when short, else the same window of
        /// each around their first difference.
        pub fn excerpts(actual: &str, expected: &str) -> (String, String) {
            const MAX: usize = 160;
            let a: Vec<char> = actual.chars().collect();
            let e: Vec<char> = expected.chars().collect();
            if a.len() <= MAX && e.len() <= MAX {
                return (actual.to_owned(), expected.to_owned());
            }
            let first = a.iter().zip(&e).take_while(|(x, y)| x == y).count();
            let start = first.saturating_sub(MAX / 3);
            let window = |chars: &[char]| {
                let end = (start + MAX).min(chars.len());
                let mut out = String::new();
                if start > 0 {
                    out.push('…');
                }
                out.extend(&chars[start.min(chars.len())..end]);
                if end < chars.len() {
                    out.push('…');
                }
                out
            };
            (window(&a), window(&e))
        }

        fn shorten(text: &str, max: usize) -> String {
            match text.char_indices().nth(max) {
                Some((end, _)) => format!("{}…", &text[..end]),
                None => text.to_owned(),
            }
        }

        /// Runs a future that never waits (the in-memory streams' `collect`).
        pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
            let mut future = std::pin::pin!(future);
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            loop {
                if let std::task::Poll::Ready(value) = future.as_mut().poll(&mut cx) {
                    return value;
                }
            }
        }

        /// The bytes of a streaming body held in memory.
        pub fn collect(stream: s3_runtime::ByteStream) -> Vec<u8> {
            match block_on(stream.collect()) {
                Ok(bytes) => bytes,
                Err(err) => panic!("the streaming body cannot be read: {err}"),
            }
        }

        /// A parsed value as botocore's parsers return it (after the runner's
        /// `_fixup_parsed_result`): structures and maps are dictionaries, blobs are
        /// their UTF-8 text, timestamps are epoch seconds, special floats are strings.
        #[derive(Clone, Debug)]
        pub enum Value {
            Bool(bool),
            Int(i64),
            Float(f64),
            Str(String),
            List(Vec<Value>),
            /// A structure (set members only) or a map; compared without order.
            Map(Vec<(String, Value)>),
        }

        impl Value {
            /// A float; NaN and the infinities as the strings botocore's runner uses.
            pub fn float(value: f64) -> Value {
                if value.is_nan() {
                    Value::Str("NaN".to_owned())
                } else if value == f64::INFINITY {
                    Value::Str("Infinity".to_owned())
                } else if value == f64::NEG_INFINITY {
                    Value::Str("-Infinity".to_owned())
                } else {
                    Value::Float(value)
                }
            }

            /// A timestamp as `datetime.timestamp()` gives it: microseconds since the
            /// epoch divided by a million.
            pub fn timestamp(secs: i64, subsec_nanos: u32) -> Value {
                let micros = i128::from(secs) * 1_000_000 + i128::from(subsec_nanos / 1000);
                Value::Float(micros as f64 / 1_000_000.0)
            }

            /// A blob as its UTF-8 text (`_convert_bytes_to_str`).
            pub fn blob(bytes: &[u8]) -> Value {
                match std::str::from_utf8(bytes) {
                    Ok(text) => Value::Str(text.to_owned()),
                    Err(_) => Value::Str(format!("<{} bytes, not UTF-8: {bytes:?}>", bytes.len())),
                }
            }

            pub fn str(text: &str) -> Value {
                Value::Str(text.to_owned())
            }

            /// The value of JSON text (a `jsonvalue` member), or the text itself if it is
            /// not JSON.
            pub fn json(text: &str) -> Value {
                fn convert(v: serde_json::Value) -> Value {
                    match v {
                        serde_json::Value::Null => Value::Str("null".to_owned()),
                        serde_json::Value::Bool(b) => Value::Bool(b),
                        serde_json::Value::Number(n) => match n.as_i64() {
                            Some(i) => Value::Int(i),
                            None => Value::float(n.as_f64().unwrap_or(f64::NAN)),
                        },
                        serde_json::Value::String(s) => Value::Str(s),
                        serde_json::Value::Array(items) => Value::List(items.into_iter().map(convert).collect()),
                        serde_json::Value::Object(map) => {
                            Value::Map(map.into_iter().map(|(k, v)| (k, convert(v))).collect())
                        }
                    }
                }
                match serde_json::from_str(text) {
                    Ok(v) => convert(v),
                    Err(_) => Value::Str(text.to_owned()),
                }
            }
        }

        impl std::fmt::Display for Value {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Value::Bool(b) => write!(f, "{b}"),
                    Value::Int(i) => write!(f, "{i}"),
                    Value::Float(x) => write!(f, "{x:?}"),
                    Value::Str(s) => write!(f, "{s:?}"),
                    Value::List(items) => {
                        f.write_str("[")?;
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "{item}")?;
                        }
                        f.write_str("]")
                    }
                    Value::Map(entries) => {
                        f.write_str("{")?;
                        for (i, (k, v)) in entries.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "{k:?}: {v}")?;
                        }
                        f.write_str("}")
                    }
                }
            }
        }

        /// The first difference between two values, with its path, as Python's `==`
        /// on dictionaries, lists and scalars would find it (`1 == 1.0` included).
        pub fn difference(actual: &Value, expected: &Value, path: &str) -> Option<String> {
            match (actual, expected) {
                (Value::Map(a), Value::Map(e)) => {
                    for (key, ev) in e {
                        let sub = format!("{path}.{key}");
                        match a.iter().find(|(k, _)| k == key) {
                            None => return Some(format!("`{sub}`: missing (expected {ev})")),
                            Some((_, av)) => {
                                if let Some(d) = difference(av, ev, &sub) {
                                    return Some(d);
                                }
                            }
                        }
                    }
                    a.iter()
                        .find(|(k, _)| !e.iter().any(|(ek, _)| ek == k))
                        .map(|(k, av)| format!("`{path}.{k}`: not expected (actual {av})"))
                }
                (Value::List(a), Value::List(e)) => {
                    if a.len() != e.len() {
                        return Some(format!(
                            "`{path}`: {} items != {} expected: actual {actual} != expected {expected}",
                            a.len(),
                            e.len()
                        ));
                    }
                    a.iter().zip(e).enumerate().find_map(|(i, (av, ev))| difference(av, ev, &format!("{path}[{i}]")))
                }
                (Value::Int(a), Value::Float(e)) if (*a as f64) == *e => None,
                (Value::Float(a), Value::Int(e)) if *a == (*e as f64) => None,
                (Value::Bool(a), Value::Bool(e)) if a == e => None,
                (Value::Int(a), Value::Int(e)) if a == e => None,
                (Value::Float(a), Value::Float(e)) if a == e => None,
                (Value::Str(a), Value::Str(e)) if a == e => None,
                _ => Some(format!("`{path}`: actual {actual} != expected {expected}")),
            }
        }

        /// Panics with the first difference and both values unless they are equal.
        pub fn assert_value_eq(actual: &Value, expected: &Value) {
            if let Some(d) = difference(actual, expected, "") {
                panic!(
                    "parsed response differs at {d}\n  actual:   {}\n  expected: {}",
                    shorten(&actual.to_string(), 600),
                    shorten(&expected.to_string(), 600)
                );
            }
        }
    }
}

/// `Cargo.toml` of the support crate.
pub fn cargo_toml(runtime_path: &str) -> String {
    format!(
        "# Written by `cargo xtask protocol-tests`.\n\
         [package]\n\
         name = \"{NAME}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         \n\
         [lib]\n\
         test = false\n\
         doctest = false\n\
         \n\
         [dependencies]\n\
         s3-runtime = {{ path = {runtime}, features = [\"xml-canonical\"] }}\n\
         serde_json = \"1\"\n",
        runtime = toml_string(runtime_path),
    )
}

/// A TOML basic string.
pub fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
