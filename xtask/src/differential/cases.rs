//! botocore's recorded requests and responses → Rust tests, built with `quote!` and the
//! protocol-test harness ([`SuiteContext`]): its `params` walker builds each input with
//! the generated setters, and its converters turn parsed outputs into comparable values.

use anyhow::{bail, Context, Result};
use codegen::ir::names::snake_name;
use codegen::ir::{Location, Operation};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::protocol_tests::cases::SuiteContext;

/// One recorded request: botocore's `params` and what it sent.
pub struct RequestCase {
    pub operation: String,
    pub variant: String,
    pub params: Value,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// One URL botocore's `generate_presigned_url` made, and the headers it signed.
pub struct PresignCase {
    pub operation: String,
    pub variant: String,
    /// Which of the script's `PRESIGN_CLIENTS` presigned it: `path`, `virtual`, `custom`.
    pub client: String,
    pub params: Value,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
}

impl PresignCase {
    pub fn from_json(case: &Value) -> Result<Self> {
        let text = |what: &str| case.get(what).and_then(Value::as_str).map(str::to_owned);
        Ok(PresignCase {
            operation: text("operation").context("a case without `operation`")?,
            variant: text("variant").context("a case without `variant`")?,
            client: text("client").context("a case without `client`")?,
            params: case.get("params").cloned().unwrap_or(Value::Null),
            method: text("method").context("a case without `method`")?,
            url: text("url").context("a case without `url`")?,
            headers: pairs(case.get("headers"))?,
        })
    }

    /// `presign_put_object_full_virtual`.
    pub fn test_name(&self) -> String {
        format!("presign_{}_{}_{}", bare_snake(&self.operation), self.variant, self.client)
    }

    /// `presign_builder_put_object_full`: the builder the cases of all clients share.
    pub fn builder_fn(&self) -> String {
        format!("presign_builder_{}_{}", bare_snake(&self.operation), self.variant)
    }

    pub fn title(&self) -> String {
        format!("presign {} ({}, {})", self.operation, self.variant, self.client)
    }
}

/// One recorded response and botocore's parsed result.
pub struct ResponseCase {
    pub operation: String,
    pub variant: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub parsed: Value,
}

/// One of botocore's `aws-chunked` PutObject bodies with a trailing checksum.
pub struct TrailerCase {
    pub algorithm: String,
    pub body: Vec<u8>,
    /// The trailer headers botocore set.
    pub headers: Vec<(String, String)>,
    /// The encoded body botocore sent.
    pub encoded: Vec<u8>,
}

impl TrailerCase {
    pub fn from_json(case: &Value) -> Result<Self> {
        Ok(TrailerCase {
            algorithm: case.get("algorithm").and_then(Value::as_str).context("a case without `algorithm`")?.to_owned(),
            body: base64(case.get("body_base64"))?,
            headers: pairs(case.get("headers"))?,
            encoded: base64(case.get("encoded_base64"))?,
        })
    }

    /// `trailer_crc32_11_bytes`.
    pub fn test_name(&self) -> String {
        format!("trailer_{}_{}_bytes", self.algorithm.to_lowercase(), self.body.len())
    }

    pub fn title(&self) -> String {
        format!("trailer {} ({} bytes)", self.algorithm, self.body.len())
    }
}

/// The test of a recorded trailer: our `aws-chunked` encoding and its headers against
/// botocore's.
pub fn trailer_test(case: &TrailerCase) -> TokenStream {
    let name = format_ident!("{}", case.test_name());
    let doc = format!(" botocore's aws-chunked PutObject body with a {} trailer ({} bytes).", case.algorithm, case.body.len());
    let algorithm = &case.algorithm;
    let body = Literal::byte_string(&case.body);
    let encoded = Literal::byte_string(&case.encoded);
    let headers = case.headers.iter().map(|(k, v)| quote!((#k, #v)));
    quote! {
        #[doc = #doc]
        #[test]
        fn #name() {
            diff_support::check_trailer(#algorithm, #body, &[#(#headers),*], #encoded);
        }
    }
}

/// The payload hash botocore signed for a request (`x-amz-content-sha256`).
pub struct SignatureCase {
    pub operation: String,
    /// `http` or `https`.
    pub scheme: String,
    pub params: Value,
    pub payload_hash: String,
}

impl SignatureCase {
    pub fn from_json(case: &Value) -> Result<Self> {
        let text = |what: &str| case.get(what).and_then(Value::as_str).map(str::to_owned).with_context(|| format!("a case without `{what}`"));
        Ok(SignatureCase {
            operation: text("operation")?,
            scheme: text("scheme")?,
            params: case.get("params").cloned().unwrap_or(Value::Null),
            payload_hash: text("payload_hash")?,
        })
    }

    /// `signature_write_get_object_response_https`.
    pub fn test_name(&self) -> String {
        format!("signature_{}_{}", bare_snake(&self.operation), self.scheme)
    }

    pub fn title(&self) -> String {
        format!("signature {} ({})", self.operation, self.scheme)
    }
}

/// The test of a recorded payload hash: the request is sent through a recording HTTP
/// client, signed, and its `x-amz-content-sha256` compared with botocore's.
pub fn signature_test(ctx: &SuiteContext<'_>, case: &SignatureCase) -> Result<TokenStream> {
    let op = operation(ctx, &case.operation)?;
    let method = ident(&op.snake);
    let setters = ctx.setter_calls(&op.input, &case.params, "params")?;
    let name = format_ident!("{}", case.test_name());
    let doc = format!(" The payload hash botocore signs for {} over {}.", case.operation, case.scheme);
    let endpoint = format!("{}://127.0.0.1:9000", case.scheme);
    let expected = &case.payload_hash;
    Ok(quote! {
        #[doc = #doc]
        #[test]
        fn #name() {
            let (client, sent) = diff_support::recording_client(#endpoint);
            let _ = diff_support::block_on(client.#method() #(#setters)* .send());
            diff_support::check_payload_hash(&sent, #expected);
        }
    })
}

impl RequestCase {
    /// Whether the case is about checksums (an algorithm's header checksum, or the
    /// `when_required` settings): counted in `checksums vs botocore`.
    pub fn is_checksum(&self) -> bool {
        self.variant.starts_with("checksum_") || self.variant == "when_required"
    }

    pub fn from_json(case: &Value) -> Result<Self> {
        let text = |v: &Value, what: &str| v.get(what).and_then(Value::as_str).map(str::to_owned);
        let request = case.get("request").context("a case without `request`")?;
        Ok(RequestCase {
            operation: text(case, "operation").context("a case without `operation`")?,
            variant: text(case, "variant").context("a case without `variant`")?,
            params: case.get("params").cloned().unwrap_or(Value::Null),
            method: text(request, "method").context("a request without `method`")?,
            url: text(request, "url").context("a request without `url`")?,
            headers: pairs(request.get("headers"))?,
            body: base64(request.get("body_base64"))?,
        })
    }

    /// `request_put_object_full`.
    pub fn test_name(&self) -> String {
        format!("request_{}_{}", bare_snake(&self.operation), self.variant)
    }

    pub fn title(&self) -> String {
        format!("request {} ({})", self.operation, self.variant)
    }
}

impl ResponseCase {
    pub fn from_json(case: &Value) -> Result<Self> {
        Ok(ResponseCase {
            operation: case.get("operation").and_then(Value::as_str).context("a case without `operation`")?.to_owned(),
            variant: case.get("variant").and_then(Value::as_str).context("a case without `variant`")?.to_owned(),
            status: case.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()).unwrap_or(200),
            headers: pairs(case.get("headers"))?,
            body: base64(case.get("body_base64"))?,
            parsed: case.get("parsed").cloned().unwrap_or(Value::Null),
        })
    }

    /// `response_get_object_full`.
    pub fn test_name(&self) -> String {
        format!("response_{}_{}", bare_snake(&self.operation), self.variant)
    }

    pub fn title(&self) -> String {
        format!("response {} ({})", self.operation, self.variant)
    }
}

fn bare_snake(name: &str) -> String {
    snake_name(name).trim_start_matches("r#").to_owned()
}

fn pairs(value: Option<&Value>) -> Result<Vec<(String, String)>> {
    let Some(Value::Array(items)) = value else { return Ok(Vec::new()) };
    items
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
            _ => bail!("a header is not a [name, value] pair: {pair}"),
        })
        .collect()
}

fn base64(value: Option<&Value>) -> Result<Vec<u8>> {
    let text = value.and_then(Value::as_str).unwrap_or("");
    decode_base64(text).with_context(|| format!("not base64: {text:.40}"))
}

/// Standard base64 with padding (the recordings' bodies).
fn decode_base64(text: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => bail!("unexpected character {:?}", c as char),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// botocore's headers that differ between runs: signing, invocation ids, its user agent.
const VOLATILE_HEADERS: &[&str] = &[
    "User-Agent",
    "X-Amz-Date",
    "Authorization",
    "X-Amz-Content-SHA256",
    "X-Amz-Security-Token",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
];

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn operation<'a>(ctx: &SuiteContext<'a>, name: &str) -> Result<&'a Operation> {
    ctx.service
        .operations
        .iter()
        .find(|op| op.name == name)
        .with_context(|| format!("the generated crate has no operation `{name}`"))
}

/// The test of a recorded request: the fluent builder gets the same `params`, and its
/// `into_http_request()` and endpoint are compared with what botocore sent.
pub fn request_test(ctx: &SuiteContext<'_>, case: &RequestCase) -> Result<TokenStream> {
    let op = operation(ctx, &case.operation)?;
    let method = ident(&op.snake);
    let setters = ctx.setter_calls(&op.input, &case.params, "params")?;
    let name = format_ident!("{}", case.test_name());
    let doc = format!(" botocore's {} request ({} parameters).", case.operation, case.variant);
    let (m, url) = (&case.method, &case.url);
    // botocore's client of the `when_required` cases has both checksum settings so.
    let client = if case.variant == "when_required" {
        quote!(diff_support::client_when_required())
    } else {
        quote!(diff_support::client())
    };
    let body = Literal::byte_string(&case.body);
    // Idempotency tokens the caller did not give: botocore fills them with a fresh
    // UUID, so only their form can be compared.
    let generated: Vec<&str> = op
        .input
        .members
        .iter()
        .filter_map(|m| match &m.location {
            Location::Header(header) if m.idempotency_token && case.params.get(&m.name).is_none() => {
                Some(header.as_str())
            }
            _ => None,
        })
        .collect();
    // Headers that change from run to run (signing, invocation ids, generated tokens)
    // are not compared, and not written into the test either, so that the test file only
    // changes when botocore's requests do.
    let headers = case
        .headers
        .iter()
        .filter(|(k, _)| !VOLATILE_HEADERS.iter().chain(&generated).any(|h| h.eq_ignore_ascii_case(k)))
        .map(|(k, v)| quote!((#k, #v)));
    Ok(quote! {
        #[doc = #doc]
        #[test]
        fn #name() {
            let client = #client;
            let builder = client.#method() #(#setters)*;
            let params = builder.endpoint_params();
            diff_support::check_request(
                params,
                builder.into_http_request(),
                &diff_support::BotocoreRequest {
                    method: #m,
                    url: #url,
                    headers: &[#(#headers),*],
                    body: #body,
                    generated_tokens: &[#(#generated),*],
                },
            );
        }
    })
}

/// The function building the fluent builder of a presign case (shared by the cases of
/// the three clients, which have the same parameters).
pub fn presign_builder_fn(ctx: &SuiteContext<'_>, case: &PresignCase) -> Result<TokenStream> {
    let op = operation(ctx, &case.operation)?;
    let method = ident(&op.snake);
    let module = ident(&op.snake);
    let fluent = format_ident!("{}FluentBuilder", codegen::ir::names::type_name(&op.name));
    let krate = &ctx.krate;
    let setters = ctx.setter_calls(&op.input, &case.params, "params")?;
    let name = format_ident!("{}", case.builder_fn());
    Ok(quote! {
        fn #name(client: &#krate::Client) -> #krate::operation::#module::builders::#fluent {
            client.#method() #(#setters)*
        }
    })
}

/// The test of a presigned URL: the fluent builder with the same parameters, on a client
/// configured as botocore's, presigned at the same time for as long, must give the same
/// URL, byte for byte, and the same headers to send.
pub fn presign_test(case: &PresignCase) -> TokenStream {
    let name = format_ident!("{}", case.test_name());
    let builder = format_ident!("{}", case.builder_fn());
    let doc = format!(" botocore's presigned {} URL ({} parameters, `{}` client).", case.operation, case.variant, case.client);
    let (client, m, url) = (&case.client, &case.method, &case.url);
    let headers = case.headers.iter().map(|(k, v)| quote!((#k, #v)));
    quote! {
        #[doc = #doc]
        #[test]
        fn #name() {
            let client = diff_support::presign_client(#client);
            let presigned = pt_support::block_on(#builder(&client).presigned(diff_support::presigning_config()));
            diff_support::check_presigned(
                presigned,
                &diff_support::BotocorePresigned { method: #m, url: #url, headers: &[#(#headers),*] },
            );
        }
    }
}

/// The test of a recorded response: `parse_response` gets the same status, headers and
/// body, and its output, converted to a value, is compared with botocore's result.
/// Members of botocore's result the output has no field for are reported as problems.
pub fn response_test(ctx: &mut SuiteContext<'_>, case: &ResponseCase) -> Result<TokenStream> {
    let op = operation(ctx, &case.operation)?;
    let Value::Object(parsed) = &case.parsed else { bail!("botocore's result is not an object: {}", case.parsed) };
    let mut known = serde_json::Map::new();
    let mut problems = Vec::new();
    for (key, value) in parsed {
        if value.is_null() {
            // botocore's handlers may set a member to None (GetBucketLocation's empty
            // element): the member is absent.
            continue;
        }
        if op.output.member(key).is_some() {
            known.insert(key.clone(), value.clone());
        } else {
            problems.push(format!(
                "botocore's result has `{key}` = {}, for which `{}` has no member",
                short_json(value),
                op.output.rust_name
            ));
        }
    }
    let expected = ctx.expected_struct(&op.output, &Value::Object(known), "result")?;
    let fields = ctx.fields_body(&op.output, quote!(v), true)?;
    let krate = &ctx.krate;
    let module = ident(&op.snake);
    let output_ty = ident(&op.output.rust_name);
    let status = case.status;
    let headers = case.headers.iter().map(|(k, v)| quote!((String::from(#k), String::from(#v))));
    let body = Literal::byte_string(&case.body);
    let name = format_ident!("{}", case.test_name());
    let doc = format!(" botocore's parsed {} response ({}).", case.operation, case.variant);
    Ok(quote! {
        #[doc = #doc]
        #[test]
        fn #name() {
            let response = ::s3_runtime::http::HttpResponse::new(#status, vec![#(#headers),*], #body.to_vec());
            let problems: &[&str] = &[#(#problems),*];
            let output = match #krate::operation::#module::parse_response(response) {
                Ok(output) => output,
                Err(err) => panic!("parse_response failed: {err:?}\n{}", problems.join("\n")),
            };
            let actual = {
                let mut v: #krate::operation::#module::#output_ty = output;
                Value::Map(#fields)
            };
            diff_support::check_response(&actual, &#expected, problems);
        }
    })
}

fn short_json(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_bodies() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("AAEC/w==").unwrap(), [0, 1, 2, 255]);
        assert!(decode_base64("a b").is_err());
    }

    #[test]
    fn test_names() {
        let case = ResponseCase {
            operation: "ListObjectsV2".into(),
            variant: "full".into(),
            status: 200,
            headers: vec![],
            body: vec![],
            parsed: Value::Null,
        };
        assert_eq!(case.test_name(), "response_list_objects_v2_full");
    }
}
