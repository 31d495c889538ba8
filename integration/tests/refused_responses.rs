//! Responses the HTTP parser refuses (a control character in a header value, which
//! boto3 reads and hyper does not): a typed error after one attempt, or, with
//! `ignore_invalid_response_headers`, the response without the refused headers.

mod fault_stub;

use fault_stub::{response, Stub};
use s3_runtime::{ResponseErrorKind, SdkError};

fn with_control_characters() -> fault_stub::Reply {
    response(
        200,
        &[b"x-amz-meta-escape: a\x1bb", b"x-amz-meta-fine: yes", b"Content-Type: text/\x07plain", b"Content-Length: 0"],
        b"",
    )
}

/// Before: a dispatch error (`hyper::Error(Parse(Header(Token)))`), retried three times.
#[tokio::test]
async fn a_refused_response_is_a_typed_error_not_retried() {
    let stub = Stub::start(vec![with_control_characters(), with_control_characters(), with_control_characters()]).await;
    let err = stub.client().head_object().bucket("b").key("k").send().await.unwrap_err();
    let SdkError::Response(err) = &err else { panic!("{err:?}") };
    assert_eq!(err.kind(), ResponseErrorKind::InvalidHttp, "{err}");
    assert!(err.to_string().contains("HeadObject"), "{err}");
    assert!(err.to_string().contains("ignore_invalid_response_headers"), "says what to do: {err}");
    assert_eq!(stub.requests().len(), 1, "not retried");
}

/// With the option, the headers the parser refuses are left out and the rest is read.
#[tokio::test]
async fn refused_headers_can_be_ignored() {
    let stub = Stub::start(vec![with_control_characters()]).await;
    let client = s3::Client::from_conf(stub.config().ignore_invalid_response_headers(true).build());
    let out = client.head_object().bucket("b").key("k").send().await.unwrap();
    let metadata = out.metadata.unwrap_or_default();
    assert_eq!(metadata.get("fine").map(String::as_str), Some("yes"));
    assert_eq!(metadata.get("escape"), None);
    assert_eq!(out.content_type, None);
}
