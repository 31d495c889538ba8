//! The `diff-support` crate the differential tests use: the client they build requests
//! with, endpoint resolution as `Client::target` does it, and the comparisons with what
//! botocore sent and parsed.

use proc_macro2::TokenStream;
use quote::quote;

use crate::protocol_tests::support::toml_string;

/// The package name of the support crate (and its directory under `target/differential`).
pub const NAME: &str = "diff-support";

/// `src/lib.rs` of the support crate.
pub fn lib_rs() -> TokenStream {
    quote! {
        //! Helpers of the differential tests written by `cargo xtask differential`.
        //!
        //! [`check_request`] compares a request of the generated crate with the one
        //! botocore sent for the same parameters; [`check_response`] compares a parsed
        //! response with botocore's parsed result.

        use pt_support::Value;
        use s3_runtime::http::{HttpRequest, RequestBody};
        use s3_runtime::orchestrator::{request_url, Target};

        /// The endpoint botocore's client was given.
        pub const ENDPOINT_URL: &str = "http://127.0.0.1:9000";

        /// Headers left out of the comparison: botocore's transport and signing headers
        /// (`Content-Length` is compared with the body's length instead).
        const NOT_COMPARED: &[&str] = &[
            "user-agent",
            "x-amz-date",
            "authorization",
            "x-amz-content-sha256",
            "x-amz-security-token",
            "amz-sdk-invocation-id",
            "amz-sdk-request",
            "content-length",
            "host",
        ];

        /// What botocore sent.
        pub struct BotocoreRequest<'a> {
            pub method: &'a str,
            /// The full URL.
            pub url: &'a str,
            /// Every header, in botocore's order.
            pub headers: &'a [(&'a str, &'a str)],
            pub body: &'a [u8],
            /// Headers of idempotency tokens botocore generated (a random UUID v4):
            /// ours must be a UUID v4 too.
            pub generated_tokens: &'a [&'a str],
        }

        /// A client configured as botocore's: region `us-east-1`, the endpoint URL,
        /// path-style addressing. It never sends anything here.
        pub fn client() -> s3::Client {
            s3::Client::from_conf(
                s3::Config::builder().region("us-east-1").endpoint_url(ENDPOINT_URL).force_path_style(true).build(),
            )
        }

        /// Where the request goes, as `Client::target` (crate-private) resolves it.
        pub fn target(params: &s3::endpoint::Params) -> Result<Target, String> {
            let endpoint = s3::endpoint::resolve_endpoint(params).map_err(|e| e.to_string())?;
            Target::from_endpoint(
                &endpoint,
                &s3_runtime::orchestrator::TargetDefaults {
                    region: Some("us-east-1"),
                    signing_name: "s3",
                    bucket: params.bucket.as_deref(),
                    sigv4a_region_set: None,
                },
            )
            .map_err(|e| e.to_string())
        }

        /// Compares the request the fluent builder made (and the endpoint its parameters
        /// resolve to) with botocore's, and panics listing every difference:
        ///
        /// - the method;
        /// - the URL before `?` exactly (scheme, host, path with its encoding);
        /// - the query as a multiset of encoded `name=value` pairs (botocore's order
        ///   follows the caller's dictionary, which means nothing);
        /// - the headers as a multiset of (name without case, value), except transport
        ///   and signing headers; `Content-Length` must be the body's length;
        /// - the body byte for byte, saying also whether the two are equal as
        ///   canonical XML.
        pub fn check_request(
            params: s3::endpoint::Params,
            request: Result<HttpRequest, s3_runtime::BuildError>,
            expected: &BotocoreRequest<'_>,
        ) {
            let request = match request {
                Ok(request) => request,
                Err(err) => panic!("into_http_request refused the input botocore sent: {err}"),
            };
            let target = match target(&params) {
                Ok(target) => target,
                Err(err) => panic!("endpoint resolution failed: {err} (params: {params:?})"),
            };
            let mut problems: Vec<String> = Vec::new();
            let url = request_url(&target, &request);

            if request.method != expected.method {
                problems.push(format!("method: ours {:?} != botocore {:?}", request.method, expected.method));
            }
            let (ours_base, ours_query) = split_url(&url);
            let (theirs_base, theirs_query) = split_url(expected.url);
            if ours_base != theirs_base {
                problems.push(format!("URL path: ours {ours_base:?} != botocore {theirs_base:?}"));
            }
            let (missing, extra) = multiset_diff(&theirs_query, &ours_query);
            for q in missing {
                problems.push(format!("query: botocore sends `{q}`, we do not (ours: {:?})", ours_query.join("&")));
            }
            for q in extra {
                problems.push(format!("query: we send `{q}`, botocore does not (botocore: {:?})", theirs_query.join("&")));
            }

            let body = match request.body {
                RequestBody::Empty => Vec::new(),
                RequestBody::Bytes(bytes) => bytes,
                RequestBody::Stream(stream) => pt_support::collect(stream),
            };
            for token in expected.generated_tokens {
                let ours: Vec<&str> = request
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(token))
                    .map(|(_, v)| v.as_str())
                    .collect();
                match ours.as_slice() {
                    [value] if is_uuid_v4(value) => {}
                    [] => problems.push(format!(
                        "header `{token}`: botocore fills the idempotency token with a fresh UUID v4, we send nothing"
                    )),
                    values => problems.push(format!(
                        "header `{token}`: botocore sends a fresh UUID v4 as the idempotency token, we send {values:?}"
                    )),
                }
            }
            let compared = |name: &str| {
                !NOT_COMPARED.iter().any(|n| n.eq_ignore_ascii_case(name))
                    && !expected.generated_tokens.iter().any(|n| n.eq_ignore_ascii_case(name))
            };
            let ours: Vec<(String, String)> = request
                .headers
                .iter()
                .chain(target.headers.iter())
                .filter(|(n, _)| compared(n))
                .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
                .collect();
            let theirs: Vec<(String, String)> = expected
                .headers
                .iter()
                .filter(|(n, _)| compared(n))
                .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
                .collect();
            let (missing, extra) = multiset_diff(&theirs, &ours);
            let mut reported: Vec<&str> = Vec::new();
            for (name, value) in &missing {
                let ours_values: Vec<&str> = ours.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
                if ours_values.is_empty() {
                    problems.push(format!("header `{name}`: botocore sends {value:?}, we send nothing"));
                } else if !reported.contains(&name.as_str()) {
                    reported.push(name);
                    let theirs_values: Vec<&str> =
                        theirs.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
                    problems.push(format!("header `{name}`: ours {ours_values:?} != botocore {theirs_values:?}"));
                }
            }
            for (name, value) in &extra {
                if !theirs.iter().any(|(n, _)| n == name) {
                    problems.push(format!("header `{name}`: we send {value:?}, botocore sends nothing"));
                }
            }
            let length = body.len().to_string();
            for (who, headers) in [("botocore", expected.headers.to_vec()), ("ours", request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect())] {
                for (name, value) in headers {
                    if name.eq_ignore_ascii_case("content-length") && value != length {
                        problems.push(format!("Content-Length ({who}): {value} != the length of our body ({length})"));
                    }
                }
            }

            if body != expected.body {
                let both_xml = s3_runtime::xml::canonicalize(&body).is_ok()
                    && s3_runtime::xml::canonicalize(expected.body).is_ok();
                let how = if !both_xml {
                    "not both XML"
                } else if s3_runtime::xml::canonical_eq(&body, expected.body) {
                    "but equal as canonical XML"
                } else {
                    "and as canonical XML"
                };
                let (a, e) = pt_support::excerpts(&show(&body), &show(expected.body));
                problems.push(format!("body differs byte for byte, {how}:\n  ours:     {a}\n  botocore: {e}"));
            }
            if !problems.is_empty() {
                panic!("{}", problems.join("\n"));
            }
        }

        /// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, lowercase hex as Python's `uuid4()`.
        fn is_uuid_v4(text: &str) -> bool {
            let b = text.as_bytes();
            b.len() == 36
                && b.iter().enumerate().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => *c == b'-',
                    _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
                })
                && b[14] == b'4'
                && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        }

        fn show(bytes: &[u8]) -> String {
            format!("{:?}", String::from_utf8_lossy(bytes))
        }

        /// The URL before `?`, and the query's `&`-separated parts.
        fn split_url(url: &str) -> (String, Vec<String>) {
            match url.split_once('?') {
                Some((base, query)) => (
                    base.to_owned(),
                    query.split('&').filter(|p| !p.is_empty()).map(str::to_owned).collect(),
                ),
                None => (url.to_owned(), Vec::new()),
            }
        }

        /// What `expected` has that `actual` lacks, and the reverse, counting repeats.
        fn multiset_diff<T: Clone + PartialEq>(expected: &[T], actual: &[T]) -> (Vec<T>, Vec<T>) {
            let mut rest: Vec<T> = actual.to_vec();
            let mut missing = Vec::new();
            for item in expected {
                match rest.iter().position(|x| x == item) {
                    Some(i) => {
                        rest.remove(i);
                    }
                    None => missing.push(item.clone()),
                }
            }
            (missing, rest)
        }

        /// Compares a parsed output with botocore's parsed result and panics listing
        /// every difference, plus `problems` found while the test was generated (members
        /// of botocore's result the generated output has no field for).
        pub fn check_response(actual: &Value, expected: &Value, problems: &[&str]) {
            let mut all: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            differences(actual, expected, "", &mut all);
            if !all.is_empty() {
                panic!("{}", all.join("\n"));
            }
        }

        /// Every difference between two values, by path (maps without order; `1 == 1.0`).
        pub fn differences(actual: &Value, expected: &Value, path: &str, out: &mut Vec<String>) {
            match (actual, expected) {
                (Value::Map(a), Value::Map(e)) => {
                    for (key, ev) in e {
                        let sub = format!("{path}.{key}");
                        match a.iter().find(|(k, _)| k == key) {
                            None => out.push(format!("`{sub}`: missing in ours (botocore: {})", short(&ev.to_string()))),
                            Some((_, av)) => differences(av, ev, &sub, out),
                        }
                    }
                    for (key, av) in a {
                        if !e.iter().any(|(k, _)| k == key) {
                            out.push(format!("`{path}.{key}`: ours has {}, botocore nothing", short(&av.to_string())));
                        }
                    }
                }
                (Value::List(a), Value::List(e)) if a.len() == e.len() => {
                    for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                        differences(av, ev, &format!("{path}[{i}]"), out);
                    }
                }
                _ => {
                    if let Some(d) = pt_support::difference(actual, expected, path) {
                        out.push(d.replace("actual", "ours").replace("expected", "botocore"));
                    }
                }
            }
        }

        fn short(text: &str) -> String {
            match text.char_indices().nth(300) {
                Some((end, _)) => format!("{}…", &text[..end]),
                None => text.to_owned(),
            }
        }
    }
}

/// `Cargo.toml` of the support crate.
pub fn cargo_toml(runtime_path: &str, s3_path: &str) -> String {
    format!(
        "# Written by `cargo xtask differential`.\n\
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
         s3 = {{ path = {s3} }}\n\
         s3-runtime = {{ path = {runtime}, features = [\"xml-canonical\"] }}\n\
         pt-support = {{ path = \"../pt-support\" }}\n",
        runtime = toml_string(runtime_path),
        s3 = toml_string(s3_path),
    )
}
