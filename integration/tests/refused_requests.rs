//! Requests that cannot be sent correctly are refused before anything is sent, with a
//! `BuildError` that names the member: a `content_length` that differs from the body,
//! line breaks and control characters in header-bound members and metadata values,
//! metadata keys that are not HTTP tokens, SSE-C keys of the wrong length. And the
//! `Debug` of a serialized request never shows secrets.

mod fault_stub;

use s3::primitives::ByteStream;
use s3::Client;
use s3_runtime::{BuildError, SdkError};

fn client() -> Client {
    Client::from_conf(
        s3::Config::builder()
            .region("us-east-1")
            .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
            .build(),
    )
}

fn refused<T: std::fmt::Debug>(result: Result<T, BuildError>, member: &str, why: &str) {
    let err = result.expect_err("refused");
    assert_eq!(err.field(), member, "{err}");
    assert!(err.to_string().contains(why), "{err}");
}

/// Before: `.content_length(3).body(b"hello")` put 3 bytes on the wire and returned Ok;
/// `.content_length(10)` with 5 bytes hung until the read timeout.
#[test]
fn content_length_must_match_the_body() {
    let put = || client().put_object().bucket("b").key("k");
    refused(put().content_length(3).body(b"hello".to_vec()).into_http_request(), "content_length", "is 3, but the body is 5 bytes long");
    refused(put().content_length(10).body(b"hello".to_vec()).into_http_request(), "content_length", "is 10, but the body is 5 bytes long");
    let part = client().upload_part().bucket("b").key("k").upload_id("u").part_number(1);
    refused(part.content_length(4).body(ByteStream::from_static(b"abc")).into_http_request(), "content_length", "is 4");
    assert!(put().content_length(5).body(b"hello".to_vec()).into_http_request().is_ok());
    assert!(put().content_length(0).into_http_request().is_ok());
}

/// A declared length with no body at all: a presigned PutObject may sign the length of
/// the body its user will send (as botocore does), but sending it is refused before any
/// connection is made (an endpoint nobody listens on).
#[test]
fn a_declared_length_without_a_body_presigns_but_is_not_sent() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::from_conf(
        s3::Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
            .build(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let config = s3_runtime::presign::PresigningConfig::expires_in(std::time::Duration::from_secs(60)).unwrap();
    let presigned = runtime.block_on(client.put_object().bucket("b").key("k").content_length(1024).presigned(config)).unwrap();
    assert!(presigned.headers().iter().any(|(n, v)| n.eq_ignore_ascii_case("content-length") && v == "1024"), "{presigned:?}");
    let err = runtime.block_on(client.put_object().bucket("b").key("k").content_length(1).send()).unwrap_err();
    let text = format!("{err}");
    assert!(text.contains("`content_length` is 1, but the request has no body"), "{text}");
}

/// Before: refused only when hyper built the request, as a dispatch error ("failed to
/// parse header value") naming no member.
#[test]
fn control_characters_in_header_members_are_refused() {
    let put = || client().put_object().bucket("b").key("k");
    refused(put().content_type("text/plain\r\nX-Injected: 1").into_http_request(), "content_type", "carriage return");
    refused(put().cache_control("a\nb").into_http_request(), "cache_control", "line feed");
    refused(put().content_disposition("a\u{1b}b").into_http_request(), "content_disposition", "U+001B");
    refused(put().tagging("a=\u{7f}").into_http_request(), "tagging", "U+007F");
    refused(put().metadata("k", "v\r\n").into_http_request(), "metadata", "the value of \"k\": a carriage return");
    refused(put().metadata("k", "\u{8}").into_http_request(), "metadata", "U+0008");
    // A list header: each item is checked.
    let attrs = client().get_object_attributes().bucket("b").key("k").object_attributes(s3::types::ObjectAttributes::from("ETag\n"));
    refused(attrs.into_http_request(), "object_attributes", "line feed");
    // Tabs, spaces and visible characters are fine.
    assert!(put().content_type("text/plain;\tcharset=utf-8").metadata("k", "a b\tc").into_http_request().is_ok());
}

#[test]
fn metadata_keys_must_be_http_tokens() {
    let put = || client().put_object().bucket("b").key("k");
    for key in ["(null)", "1/2", "a:b", "a b", "", "é"] {
        refused(put().metadata(key, "v").into_http_request(), "metadata", "");
    }
    refused(put().metadata("a:b", "v").into_http_request(), "metadata", "the key \"a:b\" cannot be part of an HTTP header name");
    assert!(put().metadata("My-Key_1.x~", "v").into_http_request().is_ok());
}

#[test]
fn sse_c_keys_must_be_32_bytes() {
    let put = || client().put_object().bucket("b").key("k").sse_customer_algorithm("AES256");
    refused(put().sse_customer_key("x".repeat(31)).into_http_request(), "sse_customer_key", "32 bytes long, not 31");
    assert!(put().sse_customer_key("x".repeat(32)).into_http_request().is_ok());
    let copy = client()
        .copy_object()
        .bucket("b")
        .key("k")
        .copy_source("src/k")
        .copy_source_sse_customer_algorithm("AES256")
        .copy_source_sse_customer_key("short");
    refused(copy.into_http_request(), "copy_source_sse_customer_key", "not 5");
}

/// Nothing is sent: the stub sees no request.
#[tokio::test]
async fn refused_requests_are_never_sent() {
    let stub = fault_stub::Stub::start(vec![]).await;
    let client = stub.client();
    let err = client.put_object().bucket("b").key("k").content_length(3).body(b"hello".to_vec()).send().await.unwrap_err();
    assert!(matches!(&err, SdkError::Construction(e) if e.field() == "content_length"), "{err:?}");
    let err = client.put_object().bucket("b").key("k").metadata("1/2", "v").send().await.unwrap_err();
    assert!(matches!(&err, SdkError::Construction(e) if e.field() == "metadata"), "{err:?}");
    assert!(stub.requests().is_empty());
}

/// Before: the SSE-C key was in the `Debug` of the request.
#[test]
fn debug_of_a_request_hides_secrets() {
    let key = "K".repeat(32);
    let req = client()
        .copy_object()
        .bucket("b")
        .key("k")
        .copy_source("src/k")
        .sse_customer_algorithm("AES256")
        .sse_customer_key(&key)
        .copy_source_sse_customer_algorithm("AES256")
        .copy_source_sse_customer_key(&key)
        .into_http_request()
        .unwrap();
    let encoded = req.header("x-amz-server-side-encryption-customer-key").unwrap().to_owned();
    let mut req = req;
    req.push_header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/…, Signature=abc");
    req.push_header("X-Amz-Security-Token", "TOKEN");
    let debug = format!("{req:?}");
    for secret in [encoded.as_str(), key.as_str(), "Signature=abc", "TOKEN"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert_eq!(debug.matches("*** Sensitive Data Redacted ***").count(), 4, "{debug}");
    assert!(debug.contains("x-amz-server-side-encryption-customer-key-MD5"), "MD5s are not secret: {debug}");
}
