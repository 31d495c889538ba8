//! Timeouts through the whole exchange against the fault-injecting loopback stub
//! (`fault_stub`): stalls before the head and in the body of buffered and streamed
//! responses, resets, truncation, trickles, an upload the server stops reading, the
//! attempt and operation timeouts, and clock-skew correction.
//!
//! The stub runs on real time, so the limits here are short (1–2 s); what is asserted is
//! which error came and how many requests the stub saw, never how long anything took.

mod fault_stub;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fault_stub::{response, Reply, Stub};
use s3_runtime::orchestrator::SendError;
use s3_runtime::timeout::{StalledStreamProtection, StreamTimeout, StreamTimeoutKind};
use s3_runtime::transport::DispatchErrorKind;
use s3_runtime::{DateTime, DateTimeFormat, SdkError};

const LISTING: &[u8] = b"<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>";

fn fast_protection() -> StalledStreamProtection {
    StalledStreamProtection::enabled().grace_period(Duration::from_secs(1))
}

/// A listing's head and its first `n` bytes, with the full `Content-Length`: then a stall.
fn listing_cut_after(n: usize) -> Vec<u8> {
    let mut bytes = response(200, &[], LISTING).bytes();
    bytes.truncate(bytes.len() - LISTING.len() + n);
    bytes
}

/// The kind of a dispatch error, and its `StreamTimeout` source if any.
fn dispatch_kind<E: std::fmt::Debug>(err: &SdkError<E>) -> (DispatchErrorKind, Option<StreamTimeout>) {
    let SdkError::Dispatch(send) = err else { panic!("not a dispatch error: {err:?}") };
    let SendError::Dispatch(dispatch) = &**send else { panic!("not a dispatch error: {send:?}") };
    let timeout = std::error::Error::source(dispatch)
        .and_then(|source| {
            source.downcast_ref::<StreamTimeout>().cloned().or_else(|| {
                source.downcast_ref::<std::io::Error>()?.get_ref()?.downcast_ref::<StreamTimeout>().cloned()
            })
        });
    (dispatch.kind(), timeout)
}

/// Before: a listing that stopped mid-body hung forever. Now the stall is caught by
/// stalled-stream protection and the attempt is retried.
#[tokio::test]
async fn a_listing_that_stalls_mid_body_is_retried() {
    let stub = Stub::start(vec![Reply::Stall(listing_cut_after(20)), response(200, &[], LISTING)]).await;
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(fast_protection()).build());
    let out = client.list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!(out.name.as_deref(), Some("b"));
    assert_eq!(stub.requests().len(), 2);
}

/// Every attempt stalls: a typed timeout after max_attempts.
#[tokio::test]
async fn a_listing_that_always_stalls_fails_with_a_timeout() {
    let stub = Stub::start((0..3).map(|_| Reply::Stall(listing_cut_after(20))).collect()).await;
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(fast_protection()).build());
    let err = client.list_objects_v2().bucket("b").send().await.unwrap_err();
    let (kind, timeout) = dispatch_kind(&err);
    assert_eq!(kind, DispatchErrorKind::Timeout, "{err}");
    let timeout = timeout.expect("a StreamTimeout source");
    assert!(matches!(timeout.kind(), StreamTimeoutKind::Stalled { min_throughput: 1, .. }), "{timeout:?}");
    assert!(!timeout.is_upload());
    assert_eq!(stub.requests().len(), 3);
}

/// With stalled-stream protection off, the read timeout covers the body: before, it
/// covered only the head.
#[tokio::test]
async fn the_read_timeout_covers_the_body() {
    let stub = Stub::start(vec![Reply::Stall(listing_cut_after(5)), response(200, &[], LISTING)]).await;
    let config = stub
        .config()
        .stalled_stream_protection(StalledStreamProtection::disabled())
        .read_timeout(Duration::from_secs(1))
        .max_attempts(1);
    let err = s3::Client::from_conf(config.build()).list_objects_v2().bucket("b").send().await.unwrap_err();
    let (kind, timeout) = dispatch_kind(&err);
    assert_eq!(kind, DispatchErrorKind::Timeout);
    assert_eq!(timeout.map(|t| t.kind()), Some(StreamTimeoutKind::Idle { timeout: Duration::from_secs(1) }));
    assert_eq!(stub.requests().len(), 1);
}

/// A GetObject body handed to the caller that stops: a typed error from the stream
/// (`io::ErrorKind::TimedOut`, a `StreamTimeout` inside), not a hang; not retried.
#[tokio::test]
async fn a_streamed_body_that_stalls_is_an_error_from_the_stream() {
    let mut head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nx-amz-request-id: stub\r\n\r\n".to_vec();
    head.extend_from_slice(b"0123456789");
    let stub = Stub::start(vec![Reply::Stall(head)]).await;
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(fast_protection()).build());
    let out = client.get_object().bucket("b").key("k").send().await.unwrap();
    let err = out.body.unwrap().collect().await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "{err}");
    let timeout = err.get_ref().and_then(|e| e.downcast_ref::<StreamTimeout>()).expect("a StreamTimeout");
    assert!(matches!(timeout.kind(), StreamTimeoutKind::Stalled { .. }));
    assert_eq!(stub.requests().len(), 1);
}

/// A trickle well above the minimum (8 bytes every 50 ms) is read to the end, in one
/// attempt.
#[tokio::test]
async fn a_trickle_is_not_a_stall() {
    let trickle = Reply::Trickle { bytes: response(200, &[], LISTING).bytes(), piece: 8, every: Duration::from_millis(50) };
    let stub = Stub::start(vec![trickle]).await;
    let protection = StalledStreamProtection::enabled().grace_period(Duration::from_secs(3));
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(protection).max_attempts(1).build());
    let out = client.list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!(out.key_count, Some(0));
    assert_eq!(stub.requests().len(), 1);
}

/// A stall before any response byte (a server that never answers) is retried after the
/// read timeout, as are a reset and a body cut short.
#[tokio::test]
async fn silence_resets_and_truncation_are_retried() {
    let cut = {
        let mut bytes = response(200, &[], LISTING).bytes();
        bytes.truncate(bytes.len() - 10);
        bytes
    };
    let script = vec![Reply::Silent, Reply::Reset, Reply::Truncate(cut), response(200, &[], LISTING)];
    let stub = Stub::start(script).await;
    let client = s3::Client::from_conf(stub.config().read_timeout(Duration::from_secs(1)).max_attempts(4).build());
    client.list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!(stub.requests().len(), 4);
}

/// The attempt timeout ends an attempt the read timeout would let wait, and it is
/// retried.
#[tokio::test]
async fn the_attempt_timeout_is_retried() {
    let stub = Stub::start(vec![Reply::Silent, response(200, &[], LISTING)]).await;
    let config = stub.config().operation_attempt_timeout(Duration::from_secs(1));
    s3::Client::from_conf(config.build()).list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!(stub.requests().len(), 2);

    let stub = Stub::start(vec![Reply::Silent]).await;
    let config = stub.config().operation_attempt_timeout(Duration::from_secs(1)).max_attempts(1);
    let err = s3::Client::from_conf(config.build()).list_objects_v2().bucket("b").send().await.unwrap_err();
    assert_eq!(dispatch_kind(&err).0, DispatchErrorKind::Timeout);
    assert!(err.to_string().contains("attempt timeout"), "{err}");
}

/// The operation timeout ends the operation, retries included, and is not retried.
#[tokio::test]
async fn the_operation_timeout_ends_the_operation() {
    let stub = Stub::start(vec![Reply::Silent, Reply::Silent, Reply::Silent]).await;
    let config = stub.config().operation_timeout(Duration::from_millis(1500));
    let err = s3::Client::from_conf(config.build()).list_objects_v2().bucket("b").send().await.unwrap_err();
    assert_eq!(dispatch_kind(&err).0, DispatchErrorKind::OperationTimeout, "{err}");
    assert_eq!(stub.requests().len(), 1);
}

/// An upload the server stops reading (32 MiB, more than the socket buffers hold) is a
/// stall of the request body, retried: the second attempt is read and answered.
#[tokio::test]
async fn an_upload_the_server_stops_reading_is_retried() {
    let stub = Stub::start(vec![Reply::NoRead, response(200, &[b"ETag: \"e\""], b"")]).await;
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(fast_protection()).build());
    let body = vec![b'x'; 32 << 20];
    let out = client.put_object().bucket("b").key("k").body(body.clone()).send().await.unwrap();
    assert_eq!(out.e_tag.as_deref(), Some("\"e\""));
    assert_eq!(stub.requests().len(), 2);

    let stub = Stub::start(vec![Reply::NoRead]).await;
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(fast_protection()).max_attempts(1).build());
    let err = client.put_object().bucket("b").key("k").body(body).send().await.unwrap_err();
    let (kind, timeout) = dispatch_kind(&err);
    assert_eq!(kind, DispatchErrorKind::Timeout);
    assert!(timeout.expect("a StreamTimeout").is_upload());
}

/// A stub whose clock is `ahead` of the real one: it refuses a request whose
/// `x-amz-date` is more than 15 minutes off its own time, with its time in `Date`.
fn skewed_server(ahead: Duration) -> Reply {
    Reply::Handler(Box::new(move |head: &str| {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + ahead;
        let server = DateTime::from_secs(now.as_secs() as i64);
        let sent = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case("x-amz-date"))
            .and_then(|(_, v)| DateTime::parse(v.trim(), DateTimeFormat::DateTime).ok().or_else(|| parse_amz_date(v.trim())));
        let ok = sent.is_some_and(|sent| (sent.secs() - server.secs()).abs() <= 15 * 60);
        let date = format!("Date: {}", server.fmt(DateTimeFormat::HttpDate));
        if ok {
            response(200, &[date.as_bytes()], LISTING)
        } else {
            let body = b"<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>";
            response(403, &[date.as_bytes()], body)
        }
    }))
}

/// `20260102T030405Z` (SigV4's `x-amz-date`).
fn parse_amz_date(v: &str) -> Option<DateTime> {
    let iso = format!("{}-{}-{}T{}:{}:{}Z", &v.get(0..4)?, &v.get(4..6)?, &v.get(6..8)?, &v.get(9..11)?, &v.get(11..13)?, &v.get(13..15)?);
    DateTime::parse(&iso, DateTimeFormat::DateTime).ok()
}

/// Before: every request failed with `RequestTimeTooSkewed`. Now the offset is learned
/// from the error's `Date`, the request is signed again with it once, and later requests
/// use it from the start.
#[tokio::test]
async fn clock_skew_is_corrected() {
    let ahead = Duration::from_secs(2 * 3600);
    let stub = Stub::start((0..4).map(|_| skewed_server(ahead)).collect()).await;
    let client = stub.client();
    client.list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!(stub.requests().len(), 2, "one refused, one signed with the corrected time");
    client.list_objects_v2().bucket("b").send().await.unwrap();
    assert_eq!(stub.requests().len(), 3, "the offset is kept");
}

/// A skew error is retried once only (here the server's clock keeps jumping), and not at
/// all when the error has no `Date`.
#[tokio::test]
async fn a_skew_error_is_retried_once() {
    let skewed = |ahead_h: u64| skewed_server(Duration::from_secs(ahead_h * 3600));
    let stub = Stub::start(vec![skewed(2), skewed(5), skewed(9)]).await;
    let err = stub.client().list_objects_v2().bucket("b").send().await.unwrap_err();
    assert!(matches!(&err, SdkError::Service(e) if e.code() == Some("RequestTimeTooSkewed")), "{err:?}");
    assert_eq!(stub.requests().len(), 2);

    let body = b"<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message></Error>";
    let stub = Stub::start(vec![response(403, &[], body), response(200, &[], LISTING)]).await;
    assert!(stub.client().list_objects_v2().bucket("b").send().await.is_err());
    assert_eq!(stub.requests().len(), 1);
}

/// S3 answers a long copy (or the completion of many parts) with `200` at once and its
/// result only when done, whitespace in between: stalled-stream protection does not watch
/// the responses of CopyObject, UploadPartCopy and CompleteMultipartUpload (aws-sdk-rust
/// exempts CopyObject for the same reason); the read timeout still does. A listing with
/// the same pause is a stall.
#[tokio::test]
async fn a_copy_silent_while_s3_works_is_not_a_stall() {
    let result = format!("{}<CopyObjectResult><ETag>\"abc\"</ETag></CopyObjectResult>", " ".repeat(16));
    let bytes = response(200, &[], result.as_bytes()).bytes();
    let pause = |bytes: Vec<u8>| {
        let piece = bytes.len() - 40;
        Reply::Trickle { bytes, piece, every: Duration::from_millis(2500) }
    };
    let stub = Stub::start(vec![pause(bytes)]).await;
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(fast_protection()).max_attempts(1).build());
    let out = client.copy_object().bucket("b").key("k").copy_source("src/k").send().await.unwrap();
    assert_eq!(out.copy_object_result.and_then(|r| r.e_tag).as_deref(), Some("\"abc\""));

    let stub = Stub::start(vec![pause(response(200, &[], LISTING).bytes())]).await;
    let client = s3::Client::from_conf(stub.config().stalled_stream_protection(fast_protection()).max_attempts(1).build());
    let err = client.list_objects_v2().bucket("b").send().await.unwrap_err();
    assert_eq!(dispatch_kind(&err).0, DispatchErrorKind::Timeout, "{err}");
}
