use std::sync::Arc;

use super::*;
use crate::auth::test_server::{capture_logs, TestServer};
use crate::http::HttpRequest;
use crate::orchestrator::{send, SendContext, SigningScheme};
use crate::test_util::{MockResponse, MockTransport};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const TOKEN: &str = "FwoGZXIvYXdzSESSIONTOKENvalue";
const SSE_C_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

fn context(http: Arc<dyn crate::transport::HttpClient>) -> SendContext {
    SendContext::for_tests(http, crate::Credentials::new("AKIDTELEMETRY", SECRET, Some(TOKEN.to_owned())))
}

fn target(url: &str) -> Target {
    Target {
        url: format!("{url}/amzn-bucket"),
        headers: vec![],
        signing_region: "us-east-1".into(),
        signing_name: "s3".into(),
        scheme: SigningScheme::SigV4,
        bucket: Some("amzn-bucket".into()),
    }
}

const PUT: OperationInfo =
    OperationInfo { name: "PutObject", streaming_output: false, streaming_input: true, error_in_200: false, unsigned_payload: false };

/// The lines of the capture that belong to span `id` (its creation and later records).
fn span_lines<'a>(logs: &'a str, id: &str) -> Vec<&'a str> {
    logs.lines().filter(|l| l.starts_with(&format!("SPAN #{id} ")) || l.starts_with(&format!("RECORD #{id}:"))).collect()
}

/// The ids of the spans called `name`, in order.
fn spans_named<'a>(logs: &'a str, name: &str) -> Vec<&'a str> {
    logs.lines()
        .filter_map(|l| l.strip_prefix("SPAN #"))
        .filter_map(|l| l.split_once(' '))
        .filter(|(_, rest)| rest.starts_with(&format!("{name}:")))
        .map(|(id, _)| id)
        .collect()
}

/// A PutObject throttled once and then answered: one `s3.operation` span with the OTel
/// AWS SDK fields, two `s3.attempt` spans with status, request ids, retry decision and
/// backoff, bytes sent and received, and duration.
#[tokio::test(start_paused = true)]
async fn a_retried_request_has_an_operation_span_and_one_span_per_attempt() {
    let (logs, _guard) = capture_logs();
    let mock = MockTransport::new().on(
        "PutObject",
        [
            MockResponse::s3_error(503, "SlowDown", "Please reduce your request rate."),
            MockResponse::ok().request_ids("REQ2", "HOST2").header("etag", "\"abc\""),
        ],
    );
    let ctx = context(Arc::new(mock.clone()));
    let mut request = HttpRequest::new("PUT", "/photos/cat.jpg".to_owned());
    request.body = crate::http::RequestBody::Bytes(b"hello".to_vec());
    let response = send(&ctx, &PUT, &target("http://127.0.0.1:9"), request).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(mock.requests().len(), 2);
    let logs = logs.lock().unwrap().clone();

    let ops = spans_named(&logs, "s3.operation");
    assert_eq!(ops.len(), 1, "{logs}");
    let op = span_lines(&logs, ops[0]).join("\n");
    for field in [
        "rpc.system=\"aws-api\"",
        "rpc.service=\"S3\"",
        "rpc.method=\"PutObject\"",
        "aws.s3.bucket=\"amzn-bucket\"",
        "http.response.status_code=200",
        "aws.request_id=\"REQ2\"",
        "aws.extended_request_id=\"HOST2\"",
    ] {
        assert!(op.contains(field), "no {field} in the operation span:\n{op}");
    }

    let attempts = spans_named(&logs, "s3.attempt");
    assert_eq!(attempts.len(), 2, "{logs}");
    let first = span_lines(&logs, attempts[0]).join("\n");
    for field in [
        "attempt=1",
        "http.response.status_code=503",
        "aws.request_id=\"MOCKREQUESTID\"",
        "aws.extended_request_id=\"mock-extended-request-id\"",
        "http.request.body.size=5",
        "retry=true",
        "retry.kind=Throttling",
        "retry.backoff_ms=",
        "duration_ms=",
    ] {
        assert!(first.contains(field), "no {field} in the first attempt's span:\n{first}");
    }
    assert!(first.contains("http.response.body.size="), "{first}");
    let second = span_lines(&logs, attempts[1]).join("\n");
    for field in ["attempt=2", "http.response.status_code=200", "aws.request_id=\"REQ2\"", "retry=false", "http.request.body.size=5", "http.response.body.size=0"] {
        assert!(second.contains(field), "no {field} in the second attempt's span:\n{second}");
    }
    assert!(!second.contains("retry.backoff_ms"), "{second}");
}

/// Everything logged at TRACE for a signed GetObject with SSE-C over a real socket:
/// no secret key, session token, SSE-C key, signature or object key.
#[tokio::test]
async fn no_secret_or_object_key_is_traced() {
    let (logs, _guard) = capture_logs();
    let server = TestServer::start(|_| (200, String::from("data"))).await;
    let ctx = context(Arc::new(crate::transport::HyperClient::default()));
    let mut request = HttpRequest::new("GET", "/private-reports/q3-salaries.csv".to_owned());
    request.headers.push(("x-amz-server-side-encryption-customer-algorithm".into(), "AES256".into()));
    request.headers.push(("x-amz-server-side-encryption-customer-key".into(), SSE_C_KEY.into()));
    let get = OperationInfo { name: "GetObject", streaming_output: true, ..PUT };
    let response = send(&ctx, &get, &target(&server.url), request).await.unwrap();
    assert_eq!(response.status, 200);
    let seen = server.seen();
    let authorization = seen[0].header("authorization").unwrap().to_owned();
    let signature = authorization.rsplit("Signature=").next().unwrap();
    assert_eq!(seen[0].header("x-amz-server-side-encryption-customer-key"), Some(SSE_C_KEY));
    let logs = logs.lock().unwrap().clone();
    assert!(logs.contains("SPAN") && logs.contains("sending"), "nothing was captured: {logs}");
    for secret in [SECRET, TOKEN, SSE_C_KEY, signature, "q3-salaries", "private-reports"] {
        assert!(!logs.contains(secret), "{secret} was traced:\n{logs}");
    }
}

#[test]
fn origin_leaves_out_the_path_and_query() {
    assert_eq!(origin("https://b.s3.amazonaws.com/secret/key?x=1"), "https://b.s3.amazonaws.com");
    assert_eq!(origin("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
    assert_eq!(origin("http://127.0.0.1:9000?list-type=2"), "http://127.0.0.1:9000");
}
