//! SelectObjectContent: a response body of event-stream messages, as S3 sends it,
//! through `parse_response` and the receiver's `recv()`.

use s3::operation::select_object_content;
use s3::types::{SelectObjectContentEventStream as Event, Stats};
use s3_runtime::event_stream::{EventStreamError, HeaderValue, Message};
use s3_runtime::http::HttpResponse;

/// Runs a future whose body is in memory, so it never waits.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

fn string(s: &str) -> HeaderValue {
    HeaderValue::String(s.to_owned())
}

/// One event message as S3 frames it.
fn event(event_type: &str, content_type: Option<&str>, payload: &[u8]) -> Vec<u8> {
    let mut message = Message::new(payload.to_vec())
        .with_header(":message-type", string("event"))
        .with_header(":event-type", string(event_type));
    if let Some(content_type) = content_type {
        message = message.with_header(":content-type", string(content_type));
    }
    message.encode().expect("a small message encodes")
}

const STATS: &str = r#"<Stats xmlns=""><BytesScanned>1024</BytesScanned><BytesProcessed>2048</BytesProcessed><BytesReturned>17</BytesReturned></Stats>"#;

fn response(body: Vec<u8>) -> HttpResponse {
    HttpResponse::new(200, vec![("x-amz-request-id".into(), "REQ".into())], body)
}

#[test]
fn records_stats_and_end_arrive_in_order() {
    let mut body = event("Records", Some("application/octet-stream"), b"id,name\n1,a\n");
    body.extend(event("Records", Some("application/octet-stream"), b"2,\xffb\n"));
    body.extend(event("Stats", Some("text/xml"), STATS.as_bytes()));
    body.extend(event("End", None, b""));

    let output = select_object_content::parse_response(response(body)).expect("a 200 response parses");
    let mut events = output.payload.expect("the event stream is the payload");

    let records = |event: Event| match event {
        Event::Records(records) => records.payload.expect("records carry bytes").into_inner(),
        other => panic!("expected Records, got {other:?}"),
    };
    assert_eq!(records(block_on(events.recv()).unwrap().unwrap()), b"id,name\n1,a\n");
    // Records are bytes, whatever they hold.
    assert_eq!(records(block_on(events.recv()).unwrap().unwrap()), b"2,\xffb\n");
    match block_on(events.recv()).unwrap().unwrap() {
        Event::Stats(stats) => assert_eq!(
            stats.details,
            Some(Stats::builder().bytes_scanned(1024).bytes_processed(2048).bytes_returned(17).build())
        ),
        other => panic!("expected Stats, got {other:?}"),
    }
    assert!(matches!(block_on(events.recv()).unwrap().unwrap(), Event::End(_)));
    assert!(block_on(events.recv()).unwrap().is_none(), "the stream ends after End");
    assert!(block_on(events.recv()).unwrap().is_none(), "and stays ended");
}

#[test]
fn progress_continuation_unknown_events_and_errors() {
    let mut body = event("Cont", None, b"");
    body.extend(event("Progress", Some("text/xml"), b"<Progress><BytesScanned>5</BytesScanned></Progress>"));
    body.extend(event("Stats", Some("text/xml"), b""));
    body.extend(event("SomethingNew", None, b"<x/>"));
    body.extend(event("Stats", Some("text/xml"), b"<Stats><BytesScanned>many</BytesScanned></Stats>"));
    body.extend(
        Message::new(Vec::new())
            .with_header(":message-type", string("error"))
            .with_header(":error-code", string("InternalError"))
            .with_header(":error-message", string("We encountered an internal error. Please try again."))
            .encode()
            .unwrap(),
    );

    let output = select_object_content::parse_response(response(body)).unwrap();
    let mut events = output.payload.unwrap();
    let mut next = || block_on(events.recv());

    assert!(matches!(next().unwrap().unwrap(), Event::Cont(_)));
    match next().unwrap().unwrap() {
        Event::Progress(progress) => {
            let details = progress.details.unwrap();
            assert_eq!((details.bytes_scanned, details.bytes_returned), (Some(5), None));
        }
        other => panic!("expected Progress, got {other:?}"),
    }
    // An empty payload is empty details, as botocore parses it.
    match next().unwrap().unwrap() {
        Event::Stats(stats) => assert_eq!(stats.details, Some(Stats::default())),
        other => panic!("expected Stats, got {other:?}"),
    }
    assert_eq!(next().unwrap().unwrap(), Event::Unknown("SomethingNew".to_owned()));
    // A payload that does not match the model loses that event only.
    match next() {
        Err(EventStreamError::InvalidEvent(why)) => assert!(why.starts_with("event `Stats`: "), "{why}"),
        other => panic!("expected an invalid event, got {other:?}"),
    }
    let err = next().unwrap_err();
    assert!(matches!(err, EventStreamError::Service(_)));
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(err.message(), Some("We encountered an internal error. Please try again."));
    assert!(next().unwrap().is_none());
}

#[test]
fn a_corrupted_body_is_an_error_then_the_end() {
    let mut body = event("Records", None, b"abc");
    let last = body.len() - 1;
    body[last] ^= 1;
    let output = select_object_content::parse_response(response(body)).unwrap();
    let mut events = output.payload.unwrap();
    let err = block_on(events.recv()).unwrap_err();
    assert!(matches!(err, EventStreamError::InvalidFrame(_)));
    assert!(err.to_string().contains("message checksum mismatch"), "{err}");
    assert!(block_on(events.recv()).unwrap().is_none());
}
