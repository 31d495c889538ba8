//! Retries: `x-amz-retry-after`, malformed 200 bodies, `retry_mode` and `max_attempts`
//! from the shared configuration, and the adaptive mode's rate limiter.
//!
//! Attempts are counted by a loopback stub (`fault_stub`) or by the runtime's
//! `MockTransport`; delays are read on tokio's paused clock (virtual time, exact), never timed.

mod fault_stub;

use std::time::Duration;

use fault_stub::{response, Stub};
use s3_runtime::retry::RetryMode;
use s3_runtime::test_util::{MockResponse, MockTransport};
use s3_runtime::SdkError;

type Reply = (u16, Vec<(&'static str, &'static str)>, &'static str);

/// A mock transport answering from a script (then `200 OK`), recording when (on tokio's
/// clock) each request came.
fn scripted(replies: Vec<Reply>) -> MockTransport {
    let replies = replies.into_iter().map(|(status, headers, body)| {
        headers.into_iter().fold(MockResponse::status(status).body(body), |r, (name, value)| r.header(name, value))
    });
    MockTransport::new().on_request(|_| true, replies).otherwise(MockResponse::ok())
}

/// The time between consecutive requests.
fn gaps(http: &MockTransport) -> Vec<Duration> {
    http.requests().windows(2).map(|w| w[1].sent_at - w[0].sent_at).collect()
}

fn client(http: &MockTransport, mode: RetryMode) -> s3::Client {
    s3::Client::from_conf(
        s3::Config::builder()
            .region("us-east-1")
            .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
            .http_client(http.clone())
            .retry_mode(mode)
            .build(),
    )
}

const INTERNAL: &str = "<Error><Code>InternalError</Code><Message>m</Message></Error>";
const SLOW_DOWN: &str = "<Error><Code>SlowDown</Code><Message>m</Message></Error>";
const DENIED: &str = "<Error><Code>AccessDenied</Code><Message>m</Message></Error>";

/// Before: the header was ignored, a 500 with `x-amz-retry-after: 3000` was retried
/// after at most 50 ms.
#[tokio::test(start_paused = true)]
async fn retry_after_sets_the_delay() {
    let http = scripted(vec![(500, vec![("x-amz-retry-after", "3000")], INTERNAL), (200, vec![], "")]);
    client(&http, RetryMode::Standard).head_bucket().bucket("b").send().await.unwrap();
    assert_eq!(gaps(&http), [Duration::from_secs(3)]);
}

/// As aws-sdk-rust: capped at 20 s.
#[tokio::test(start_paused = true)]
async fn retry_after_is_capped() {
    let http = scripted(vec![(503, vec![("x-amz-retry-after", "3600000")], SLOW_DOWN), (200, vec![], "")]);
    client(&http, RetryMode::Standard).head_bucket().bucket("b").send().await.unwrap();
    assert_eq!(gaps(&http), [Duration::from_secs(20)]);
}

/// It never makes a response retryable that is not; a malformed value is ignored.
#[tokio::test(start_paused = true)]
async fn retry_after_alone_is_no_reason_to_retry() {
    let http = scripted(vec![(403, vec![("x-amz-retry-after", "10")], DENIED)]);
    assert!(client(&http, RetryMode::Standard).get_bucket_acl().bucket("b").send().await.is_err());
    assert_eq!(http.requests().len(), 1);
    let http = scripted(vec![(500, vec![("x-amz-retry-after", "soon")], INTERNAL), (200, vec![], "")]);
    client(&http, RetryMode::Standard).head_bucket().bucket("b").send().await.unwrap();
    assert!(gaps(&http)[0] <= Duration::from_millis(50), "the usual backoff: {:?}", gaps(&http));
}

const LISTING: &[u8] = b"<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>";

/// Before: a 200 whose body is not well-formed XML was a parse error after one attempt;
/// botocore reads it as a 500 and retries.
#[tokio::test]
async fn a_malformed_200_is_retried_as_a_500() {
    let cut_short = response(200, &[], b"<ListBucketResult><Name>b</Name><KeyCou");
    let stub = Stub::start(vec![cut_short, response(200, &[], LISTING)]).await;
    let out = stub.client().list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!(out.name.as_deref(), Some("b"));
    assert_eq!(stub.requests().len(), 2);

    // Every attempt malformed: a response error after max_attempts.
    let bad = || response(200, &[], b"<ListBucketResult><Name>b</Name></ListBucketResult>trailing");
    let stub = Stub::start(vec![bad(), bad(), bad(), bad()]).await;
    let err = stub.client().list_objects_v2().bucket("b").send().await.unwrap_err();
    assert!(matches!(err, SdkError::Response(_)), "{err:?}");
    assert_eq!(stub.requests().len(), 3);
}

/// A well-formed listing is not parsed twice to find out (the check looks at its ends),
/// and operations whose 200 body is not XML are not checked.
#[test]
fn malformed_200_check() {
    use s3_runtime::de::is_malformed_200;
    use s3_runtime::http::HttpResponse;
    let ok = |body: &[u8]| !is_malformed_200(&HttpResponse::new(200, vec![], body.to_vec()));
    assert!(ok(LISTING));
    assert!(ok(b"<?xml version=\"1.0\"?>\n<A xmlns=\"u\">x</A >\n"));
    assert!(ok(b"<A/>"));
    assert!(ok(b"<A><b/></A><!-- trailing comment -->"));
    assert!(ok(b""), "an empty body is no document, and not an error");
    assert!(ok(b"<A><b></A>"), "a malformation inside a complete document is left to the deserializer");
    assert!(!ok(b"<A><b></b>"), "cut short");
    assert!(!ok(b"<A>x</A><!-- unclosed"), "decided by parsing");
    assert!(!ok(b"<A><b/></"));
    assert!(!ok(b"not xml"));
    assert!(!ok(b"<A>\xff</A>"));
    assert!(!is_malformed_200(&HttpResponse::new(404, vec![], b"junk".to_vec())));
}

/// `max_attempts` from the builder.
#[tokio::test(start_paused = true)]
async fn max_attempts_is_honoured() {
    let http = scripted(vec![(500, vec![], INTERNAL); 6]);
    let client = s3::Client::from_conf(
        s3::Config::builder()
            .region("us-east-1")
            .anonymous()
            .http_client(http.clone())
            .max_attempts(5)
            .build(),
    );
    assert!(client.head_bucket().bucket("b").send().await.is_err());
    assert_eq!(http.requests().len(), 5);
}

/// Before: `retry_mode` was parsed and ignored.
#[test]
fn retry_mode_and_max_attempts_from_the_shared_configuration() {
    let env = |name: &str| match name {
        "AWS_RETRY_MODE" => Some("adaptive".to_owned()),
        "AWS_MAX_ATTEMPTS" => Some("7".to_owned()),
        "AWS_CONFIG_FILE" | "AWS_SHARED_CREDENTIALS_FILE" => Some("/nonexistent".to_owned()),
        _ => None,
    };
    let shared = s3_runtime::config::load(&env).unwrap();
    let config = s3::Config::from_shared(&shared).build();
    assert_eq!(config.retry_config().mode, RetryMode::Adaptive);
    assert_eq!(config.retry_config().max_attempts, 7);
    let legacy = |name: &str| match name {
        "AWS_RETRY_MODE" => Some("legacy".to_owned()),
        "AWS_CONFIG_FILE" | "AWS_SHARED_CREDENTIALS_FILE" => Some("/nonexistent".to_owned()),
        _ => None,
    };
    let config = s3::Config::from_shared(&s3_runtime::config::load(&legacy).unwrap()).build();
    assert_eq!(config.retry_config().mode, RetryMode::Legacy);
    assert_eq!(config.retry_config().max_attempts, 5, "botocore's legacy default");
}

/// Before: `legacy` was read as `standard` (3 attempts, no retry of `BadDigest`). Now it
/// is botocore's legacy handler: 5 attempts, `rand × 2^(n−1)` s apart, `BadDigest` and
/// 509 retried, `x-amz-retry-after` ignored, no retry quota.
#[tokio::test(start_paused = true)]
async fn legacy_mode_is_botocores_legacy_handler() {
    let legacy = |http: &MockTransport| {
        s3::Client::from_conf(
            s3::Config::builder()
                .region("us-east-1")
                .anonymous()
                .http_client(http.clone())
                .retry_config(s3_runtime::retry::RetryConfig::legacy())
                .build(),
        )
    };
    let http = scripted(vec![(500, vec![("x-amz-retry-after", "19000")], INTERNAL); 6]);
    assert!(legacy(&http).head_bucket().bucket("b").send().await.is_err());
    assert_eq!(http.requests().len(), 5);
    for (i, gap) in gaps(&http).iter().enumerate() {
        assert!(*gap < Duration::from_secs(1 << i), "attempt {}: {gap:?}", i + 1);
    }
    const BAD_DIGEST: &str = "<Error><Code>BadDigest</Code><Message>m</Message></Error>";
    let http = scripted(vec![(400, vec![], BAD_DIGEST), (509, vec![], ""), (200, vec![], "")]);
    legacy(&http).get_bucket_acl().bucket("b").send().await.unwrap();
    assert_eq!(http.requests().len(), 3);
    // The standard mode retries neither.
    let http = scripted(vec![(400, vec![], BAD_DIGEST), (200, vec![], "")]);
    assert!(client(&http, RetryMode::Standard).get_bucket_acl().bucket("b").send().await.is_err());
    assert_eq!(http.requests().len(), 1);
    // No retry quota: more retries than the standard quota (500 tokens, 14 a retry) allows.
    let http = scripted(vec![(503, vec![], INTERNAL); 200]);
    let client = legacy(&http);
    for _ in 0..40 {
        assert!(client.head_bucket().bucket("b").send().await.is_err());
    }
    assert_eq!(http.requests().len(), 200, "40 operations × 5 attempts");
}

/// After a throttling response, the adaptive mode makes later requests wait for tokens
/// (first attempts included); the standard mode never does.
#[tokio::test(start_paused = true)]
async fn adaptive_mode_slows_down_after_throttling() {
    for (mode, waits) in [(RetryMode::Standard, false), (RetryMode::Adaptive, true)] {
        let http = scripted(vec![(503, vec![("x-amz-retry-after", "0")], SLOW_DOWN)]);
        let client = client(&http, mode);
        for _ in 0..6 {
            client.head_bucket().bucket("b").send().await.unwrap();
        }
        let gaps = gaps(&http);
        assert_eq!(gaps.len(), 6, "one retry, then 5 requests");
        let waited: Duration = gaps[1..].iter().sum();
        assert_eq!(waited > Duration::ZERO, waits, "{mode:?}: {gaps:?}");
    }
}
