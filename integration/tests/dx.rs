//! Developer experience through the generated client, on the runtime's `MockTransport`
//! (no socket): request ids on outputs and errors, the mock's rules and records, and the
//! blocking API (`send_blocking()`, blocking paginators).

use s3::operation::get_object::GetObjectError;
use s3::primitives::ByteStream;
use s3::test_util::{MockResponse, MockTransport};
use s3::{Client, Config, RequestId};
use s3_runtime::orchestrator::SendError;
use s3_runtime::SdkError;

fn client(mock: &MockTransport) -> Client {
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
            .http_client(mock.clone())
            .build(),
    )
}

const PAGE_1: &str = "<ListBucketResult><Name>b</Name><IsTruncated>true</IsTruncated><NextContinuationToken>t2</NextContinuationToken><Contents><Key>a</Key></Contents></ListBucketResult>";
const PAGE_2: &str = "<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><Contents><Key>b</Key></Contents><Contents><Key>c</Key></Contents></ListBucketResult>";

/// Successful outputs carry `x-amz-request-id` and `x-amz-id-2`, streamed (GetObject),
/// XML (ListObjectsV2) and empty (PutObject) alike; without the headers, `None`.
#[tokio::test]
async fn every_output_has_its_request_ids() {
    let mock = MockTransport::new()
        .on("PutObject", [MockResponse::ok().request_ids("PUT1", "PUTHOST").header("etag", "\"e\"")])
        .on("GetObject", [MockResponse::ok().request_ids("GET1", "GETHOST").body("hello")])
        .on("ListObjectsV2", [MockResponse::ok().request_ids("LIST1", "LISTHOST").body(PAGE_2)])
        .on("HeadBucket", [MockResponse::ok()]);
    let client = client(&mock);
    let put = client.put_object().bucket("b").key("k").body(ByteStream::from_static(b"hello")).send().await.unwrap();
    assert_eq!((put.request_id(), put.extended_request_id()), (Some("PUT1"), Some("PUTHOST")));
    let get = client.get_object().bucket("b").key("k").send().await.unwrap();
    assert_eq!((get.request_id(), get.extended_request_id()), (Some("GET1"), Some("GETHOST")));
    assert_eq!(get.body.unwrap().collect().await.unwrap(), b"hello");
    let list = client.list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!((list.request_id(), list.extended_request_id()), (Some("LIST1"), Some("LISTHOST")));
    let head = client.head_bucket().bucket("b").send().await.unwrap();
    assert_eq!((head.request_id(), head.extended_request_id()), (None, None));
    assert_eq!(mock.unused_responses(), 0);
}

/// Errors answer with the same trait: modeled (`NoSuchKey`) and unmodeled alike, and
/// through `SdkError`.
#[tokio::test]
async fn errors_have_the_same_request_ids() {
    let mock = MockTransport::new()
        .on("GetObject", [MockResponse::s3_error(404, "NoSuchKey", "The specified key does not exist.")])
        .on("GetBucketAcl", [MockResponse::s3_error(403, "AccessDenied", "Access Denied")]);
    let client = client(&mock);
    let err = client.get_object().bucket("b").key("missing").send().await.unwrap_err();
    assert_eq!((err.request_id(), err.extended_request_id()), (Some("MOCKREQUESTID"), Some("mock-extended-request-id")));
    let Some(GetObjectError::NoSuchKey(modeled)) = err.as_service_error() else { panic!("not NoSuchKey: {err:?}") };
    assert_eq!(modeled.request_id(), Some("MOCKREQUESTID"));
    let err = client.get_bucket_acl().bucket("b").send().await.unwrap_err().into_service_error().unwrap();
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!((err.request_id(), err.extended_request_id()), (Some("MOCKREQUESTID"), Some("mock-extended-request-id")));
}

/// Rules by operation and by predicate, in order; a request no rule answers fails naming
/// it (not retried); every request is recorded signed, with its body.
#[tokio::test]
async fn the_mock_answers_by_rule_and_records_requests() {
    let mock = MockTransport::new()
        .on_request(|r| r.method == "PUT" && r.url.contains("/logs/"), [MockResponse::s3_error(403, "AccessDenied", "no logs")])
        .always("PutObject", MockResponse::ok());
    let client = client(&mock);
    let denied = client.put_object().bucket("b").key("logs/1").body(ByteStream::from_static(b"x")).send().await.unwrap_err();
    assert_eq!(denied.into_service_error().unwrap().code(), Some("AccessDenied"));
    for key in ["a", "logs/2"] {
        client.put_object().bucket("b").key(key).body(ByteStream::from_static(b"data")).send().await.unwrap();
    }
    let err = client.delete_object().bucket("b").key("a").send().await.unwrap_err();
    assert!(err.to_string().contains("no rule answers DeleteObject DELETE https://s3.us-east-1.amazonaws.com/b/a"), "{err}");

    let requests = mock.requests();
    assert_eq!(requests.len(), 4, "the unanswered request was not retried");
    let put = &requests[1];
    assert_eq!(put.operation, Some("PutObject"));
    assert_eq!((put.method.as_str(), put.url.as_str()), ("PUT", "https://s3.us-east-1.amazonaws.com/b/a"));
    assert!(put.header("authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential=AKID/"));
    assert_eq!(put.header("Content-Length"), Some("4"));
    assert_eq!(put.body_text(), "data");
    assert_eq!(requests[3].operation, Some("DeleteObject"));
}

/// `send_blocking()` outside any runtime: the same answer as `send().await`.
#[test]
fn send_blocking_runs_without_a_runtime() {
    let mock = MockTransport::new().on("GetObject", [MockResponse::ok().request_ids("R", "H").body("hi")]);
    let out = client(&mock).get_object().bucket("b").key("k").send_blocking().unwrap();
    assert_eq!(out.request_id(), Some("R"));
    assert_eq!(out.content_length, Some(2));
    let err = client(&mock).get_object().bucket("b").key("k").send_blocking().unwrap_err();
    assert!(err.to_string().contains("no rule answers GetObject"), "{err}");
}

/// Inside a Tokio runtime, a clear error at once instead of a deadlock; nothing is sent.
#[tokio::test]
async fn send_blocking_inside_a_runtime_is_an_error() {
    let mock = MockTransport::new().always("HeadBucket", MockResponse::ok());
    let err = client(&mock).head_bucket().bucket("b").send_blocking().unwrap_err();
    let SdkError::Dispatch(send) = &err else { panic!("{err:?}") };
    assert!(matches!(**send, SendError::Blocking(_)), "{send:?}");
    assert!(err.to_string().contains("inside a Tokio runtime"), "{err}");
    // The paginator's iterator says it once, then ends.
    let mut pages = client(&mock).list_objects_v2().bucket("b").into_paginator().send().into_blocking_iter();
    assert!(matches!(pages.next(), Some(Err(SdkError::Dispatch(_)))));
    assert!(pages.next().is_none());
    assert!(mock.requests().is_empty());
}

/// Blocking paginators: pages and items as iterators, one request per page.
#[test]
fn blocking_paginators_are_iterators() {
    let mock = MockTransport::new()
        .on("ListObjectsV2", [MockResponse::ok().body(PAGE_1), MockResponse::ok().body(PAGE_2)])
        .on("ListObjectsV2", [MockResponse::ok().body(PAGE_1), MockResponse::ok().body(PAGE_2)]);
    let client = client(&mock);
    let pages: Vec<_> = client.list_objects_v2().bucket("b").into_paginator().send().into_blocking_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(pages.iter().map(|p| p.contents().len()).collect::<Vec<_>>(), [1, 2]);
    let keys: Vec<String> = client
        .list_objects_v2()
        .bucket("b")
        .into_paginator()
        .contents()
        .into_blocking_iter()
        .map(|o| o.unwrap().key.unwrap())
        .collect();
    assert_eq!(keys, ["a", "b", "c"]);
    let requests = mock.requests();
    assert_eq!(requests.len(), 4);
    assert!(requests[1].url.contains("continuation-token=t2"), "{}", requests[1].url);
}
