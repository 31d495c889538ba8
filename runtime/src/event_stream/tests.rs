//! Frames built by hand and botocore's own test vectors (`tests/unit/test_eventstream.py`).

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame};

use super::*;
use crate::{Blob, DateTime};

// --- botocore's vectors -----------------------------------------------------------------

const EMPTY_MESSAGE: &[u8] = b"\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2H\xeb}\x98\xc8\xff";
const INT8_HEADER: &[u8] = b"\x00\x00\x00\x17\x00\x00\x00\x07)\x86\x01X\x04byte\x02\xff\xc2\xf8i\xdc";
const INT16_HEADER: &[u8] = b"\x00\x00\x00\x19\x00\x00\x00\tq\x0e\x92>\x05short\x03\xff\xff\xb2|\xb6\xcc";
const INT32_HEADER: &[u8] =
    b"\x00\x00\x00\x1d\x00\x00\x00\r\x83\xe3\xf0\xe7\x07integer\x04\xff\xff\xff\xff\x8b\x8e\x12\xeb";
const INT64_HEADER: &[u8] =
    b"\x00\x00\x00\x1e\x00\x00\x00\x0e]J\xdb\x8d\x04long\x05\xff\xff\xff\xff\xff\xff\xff\xffK\xc22\xda";
const PAYLOAD_NO_HEADERS: &[u8] = b"\x00\x00\x00\x1d\x00\x00\x00\x00\xfdR\x8cZ{'foo':'bar'}\xc3e96";
const PAYLOAD_ONE_STR_HEADER: &[u8] = b"\x00\x00\x00=\x00\x00\x00 \x07\xfd\x83\x96\x0ccontent-type\x07\x00\x10application/json{'foo':'bar'}\x8d\x9c\x08\xb1";
const ALL_HEADERS_TYPES: &[u8] = b"\x00\x00\x00\x62\x00\x00\x00\x52\x03\xb5\xcb\x9c\
\x010\x00\x011\x01\x012\x02\x02\x013\x03\x00\x03\
\x014\x04\x00\x00\x00\x04\x015\x05\x00\x00\x00\x00\x00\x00\x00\x05\
\x016\x06\x00\x05bytes\x017\x07\x00\x04utf8\
\x018\x08\x00\x00\x00\x00\x00\x00\x00\x08\x019\x090123456789abcdef\
\x63\x35\x36\x71";
const ERROR_EVENT_MESSAGE: &[u8] = b"\x00\x00\x00\x52\x00\x00\x00\x42\xbf\x23\x63\x7e\
\x0d:message-type\x07\x00\x05error\
\x0b:error-code\x07\x00\x04code\
\x0e:error-message\x07\x00\x07message\
\x6b\x6c\xea\x3d";

const CORRUPTED_HEADER_LENGTH: &[u8] = b"\x00\x00\x00=\xff\x00\x01\x02\x07\xfd\x83\x96\x0ccontent-type\x07\x00\x10application/json{'foo':'bar'}\x8d\x9c\x08\xb1";
const CORRUPTED_HEADERS: &[u8] = b"\x00\x00\x00=\x00\x00\x00 \x07\xfd\x83\x96\x0ccontent+type\x07\x00\x10application/json{'foo':'bar'}\x8d\x9c\x08\xb1";
const CORRUPTED_LENGTH: &[u8] = b"\x01\x00\x00\x1d\x00\x00\x00\x00\xfdR\x8cZ{'foo':'bar'}\xc3e96";
const CORRUPTED_PAYLOAD: &[u8] = b"\x00\x00\x00\x1d\x00\x00\x00\x00\xfdR\x8cZ{'foo':'bar'\x8d\xc3e96";
const DUPLICATE_HEADER: &[u8] =
    b"\x00\x00\x00\x24\x00\x00\x00\x14\x4b\xb9\x82\xd0\x04test\x04asdf\x04test\x04asdf\xf3\xf4\x75\x63";
const INVALID_HEADERS_LENGTH: &[u8] = b"\x00\x00\x00\x3d\xff\x00\x01\x02\x15\x83\xf5\xc2\
\x0ccontent-type\x07\x00\x10application/json{'foo':'bar'}\x2f\x37\x7f\x5d";
/// The prelude of botocore's `INVALID_PAYLOAD_LENGTH` (a 24 MiB + 1 payload): refused
/// from the prelude alone.
const INVALID_PAYLOAD_LENGTH_PRELUDE: &[u8] = b"\x01\x80\x00\x21\x00\x00\x00\x00\xdd\x3f\x33\xb1";

fn header(name: &str, value: HeaderValue) -> Header {
    Header { name: name.to_owned(), value }
}

fn all_headers() -> Vec<Header> {
    vec![
        header("0", HeaderValue::Bool(true)),
        header("1", HeaderValue::Bool(false)),
        header("2", HeaderValue::Byte(2)),
        header("3", HeaderValue::Int16(3)),
        header("4", HeaderValue::Int32(4)),
        header("5", HeaderValue::Int64(5)),
        header("6", HeaderValue::ByteArray(Bytes::from_static(b"bytes"))),
        header("7", HeaderValue::String("utf8".into())),
        header("8", HeaderValue::Timestamp(8)),
        header("9", HeaderValue::Uuid(*b"0123456789abcdef")),
    ]
}

fn message(headers: Vec<Header>, payload: &'static [u8]) -> Message {
    headers.into_iter().fold(Message::new(Bytes::from_static(payload)), |m, h| m.with_header(h.name, h.value))
}

fn positive_cases() -> Vec<(&'static [u8], Message)> {
    let string = |s: &str| HeaderValue::String(s.into());
    vec![
        (EMPTY_MESSAGE, message(vec![], b"")),
        (INT8_HEADER, message(vec![header("byte", HeaderValue::Byte(-1))], b"")),
        (INT16_HEADER, message(vec![header("short", HeaderValue::Int16(-1))], b"")),
        (INT32_HEADER, message(vec![header("integer", HeaderValue::Int32(-1))], b"")),
        (INT64_HEADER, message(vec![header("long", HeaderValue::Int64(-1))], b"")),
        (PAYLOAD_NO_HEADERS, message(vec![], b"{'foo':'bar'}")),
        (PAYLOAD_ONE_STR_HEADER, message(vec![header("content-type", string("application/json"))], b"{'foo':'bar'}")),
        (ALL_HEADERS_TYPES, message(all_headers(), b"")),
        (
            ERROR_EVENT_MESSAGE,
            message(
                vec![
                    header(":message-type", string("error")),
                    header(":error-code", string("code")),
                    header(":error-message", string("message")),
                ],
                b"",
            ),
        ),
    ]
}

#[test]
fn botocore_positive_vectors_decode() {
    for (bytes, expected) in positive_cases() {
        assert_eq!(Message::decode(bytes).unwrap(), expected, "{bytes:?}");
    }
}

#[test]
fn every_header_type_decodes() {
    let decoded = Message::decode(ALL_HEADERS_TYPES).unwrap();
    assert_eq!(decoded.headers(), all_headers().as_slice());
    assert_eq!(decoded.header("8").unwrap().as_timestamp(), Some(DateTime::from_millis(8)));
    assert_eq!(decoded.header("9").unwrap().to_string(), "30313233-3435-3637-3839-616263646566");
    assert!(decoded.payload().is_empty());
}

#[test]
fn encoding_matches_botocore_vectors_byte_for_byte() {
    for (bytes, message) in positive_cases() {
        assert_eq!(message.encode().unwrap(), bytes, "{message:?}");
    }
}

#[test]
fn every_header_type_round_trips_with_extreme_values() {
    let long_bytes: Bytes = vec![0xab; 65535].into();
    let long_text = "é".repeat(30000);
    let headers = vec![
        header("true", HeaderValue::Bool(true)),
        header("false", HeaderValue::Bool(false)),
        header("byte-min", HeaderValue::Byte(i8::MIN)),
        header("byte-max", HeaderValue::Byte(i8::MAX)),
        header("short", HeaderValue::Int16(i16::MIN)),
        header("int", HeaderValue::Int32(i32::MAX)),
        header("long", HeaderValue::Int64(i64::MIN)),
        header("empty-bytes", HeaderValue::ByteArray(Bytes::new())),
        header("bytes", HeaderValue::ByteArray(long_bytes)),
        header("empty-string", HeaderValue::String(String::new())),
        header("string", HeaderValue::String(long_text)),
        header("before-1970", HeaderValue::Timestamp(-1)),
        header("uuid", HeaderValue::Uuid([0xff; 16])),
        header(&"n".repeat(255), HeaderValue::Bool(true)),
        header("", HeaderValue::Int32(0)),
    ];
    let original = headers.iter().cloned().fold(Message::new(&b"payload \x00\xff"[..]), |m, h| m.with_header(h.name, h.value));
    let decoded = Message::decode(&original.encode().unwrap()).unwrap();
    assert_eq!(decoded, original);
    assert_eq!(decoded.header("before-1970").unwrap().as_timestamp(), Some(DateTime::from_secs_and_nanos(-1, 999_000_000).unwrap()));
}

#[test]
fn encoding_refuses_what_the_format_cannot_hold() {
    let long_name = Message::new(Bytes::new()).with_header("n".repeat(256), HeaderValue::Bool(true));
    assert!(long_name.encode().unwrap_err().to_string().contains("above 255"));
    let long_value = Message::new(Bytes::new()).with_header("s", HeaderValue::String("x".repeat(65536)));
    assert!(long_value.encode().unwrap_err().to_string().contains("above 65535"));
}

fn frame_error(bytes: &[u8]) -> String {
    let mut decoder = MessageDecoder::new();
    decoder.push(bytes);
    match decoder.next_message() {
        Err(EventStreamError::InvalidFrame(why)) => why,
        other => panic!("expected an invalid frame for {bytes:?}, got {other:?}"),
    }
}

#[test]
fn botocore_negative_vectors_fail_with_the_reason() {
    for bytes in [CORRUPTED_LENGTH, CORRUPTED_HEADER_LENGTH] {
        let why = frame_error(bytes);
        assert!(why.contains("prelude checksum mismatch"), "{why}");
    }
    for bytes in [CORRUPTED_PAYLOAD, CORRUPTED_HEADERS] {
        let why = frame_error(bytes);
        assert!(why.contains("message checksum mismatch"), "{why}");
    }
    assert_eq!(
        frame_error(CORRUPTED_PAYLOAD),
        "message 1 (at byte 0): message checksum mismatch: the message says 0xc3653936, its bytes give 0x7ed8cb2a"
    );
    assert!(frame_error(DUPLICATE_HEADER).contains("header `test` appears twice"));
    assert!(frame_error(INVALID_HEADERS_LENGTH).contains("headers length 4278190338 exceeds the maximum of 131072"));
}

#[test]
fn a_huge_length_is_refused_from_the_prelude_alone() {
    let mut decoder = MessageDecoder::new();
    decoder.push(INVALID_PAYLOAD_LENGTH_PRELUDE);
    let why = match decoder.next_message() {
        Err(EventStreamError::InvalidFrame(why)) => why,
        other => panic!("{other:?}"),
    };
    assert!(why.contains("total length 25165857 exceeds the maximum of 16777216"), "{why}");
    // Nothing was allocated for the announced length: only the 12 bytes given are held.
    assert_eq!(decoder.buffered(), 12);
    // u32::MAX as the total length, with a valid prelude checksum.
    let mut prelude = vec![0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];
    prelude.extend_from_slice(&crc32fast::hash(&prelude).to_be_bytes());
    assert!(frame_error(&prelude).contains("total length 4294967295 exceeds"));
}

/// A frame with raw header bytes and valid checksums, whatever the headers say.
fn raw_frame(total: Option<u32>, headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = total.unwrap_or((16 + headers.len() + payload.len()) as u32);
    let mut out = Vec::new();
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
    out
}

#[test]
fn malformed_headers_are_errors_not_panics() {
    let cases: &[(&[u8], &str)] = &[
        (b"\x05ab", "header bytes end inside the name of the header at byte 0 (5 bytes wanted, 2 left)"),
        (b"\x01a", "header bytes end inside the type of header `a`"),
        (b"\x01a\x04\x00\x00", "header bytes end inside the value of header `a` (4 bytes wanted, 2 left)"),
        (b"\x01a\x07\x00\x64abc", "header bytes end inside the value of header `a` (100 bytes wanted, 3 left)"),
        (b"\x01a\x06\x00", "header bytes end inside the value of header `a` (2 bytes wanted, 1 left)"),
        (b"\x01a\x09\x00", "the value of header `a` (16 bytes wanted, 1 left)"),
        (b"\x01a\x0a", "header `a` has unknown value type 10"),
        (b"\x01a\xff", "header `a` has unknown value type 255"),
        (b"\x01\xff\x00", "the name of the header at byte 0 is not UTF-8"),
        (b"\x01a\x07\x00\x01\xff", "header `a` is not UTF-8"),
        (b"\x01a\x00\x01b\x01\x01a\x01", "header `a` appears twice"),
    ];
    for (headers, expected) in cases {
        let why = frame_error(&raw_frame(None, headers, b""));
        assert!(why.contains(expected), "{headers:?}: {why}");
    }
}

#[test]
fn impossible_lengths_are_errors() {
    // A total length below a prelude and a checksum.
    assert!(frame_error(&raw_frame(Some(15), b"", b"")).contains("total length 15 is below the 16 bytes"));
    // Headers longer than the message.
    let mut bytes = vec![0, 0, 0, 20, 0, 0, 0, 5];
    bytes.extend_from_slice(&crc32fast::hash(&bytes).to_be_bytes());
    bytes.extend_from_slice(&[0; 8]);
    assert!(frame_error(&bytes).contains("headers length 5 does not fit in a message of 20 bytes"));
}

#[test]
fn truncated_frames_wait_for_more_then_fail_at_the_end() {
    for cut in [1, 11, 12, 20, ALL_HEADERS_TYPES.len() - 1] {
        let mut decoder = MessageDecoder::new();
        decoder.push(&ALL_HEADERS_TYPES[..cut]);
        assert_eq!(decoder.next_message().unwrap(), None, "cut at {cut}");
        let why = decoder.finish().unwrap_err().to_string();
        assert!(why.contains(&format!("the stream ends inside a message: {cut} bytes of")), "{why}");
    }
    assert!(Message::decode(b"").unwrap_err().to_string().contains("no message"));
    let mut two = EMPTY_MESSAGE.to_vec();
    two.extend_from_slice(EMPTY_MESSAGE);
    assert!(Message::decode(&two).unwrap_err().to_string().contains("16 bytes follow the message"));
}

#[test]
fn a_frame_split_across_chunks_decodes_at_any_split() {
    let mut stream = Vec::new();
    for (bytes, _) in positive_cases() {
        stream.extend_from_slice(bytes);
    }
    let expected: Vec<Message> = positive_cases().into_iter().map(|(_, m)| m).collect();
    for chunk_len in [1, 2, 3, 5, 7, 13, 64, stream.len()] {
        let mut decoder = MessageDecoder::new();
        let mut got = Vec::new();
        for chunk in stream.chunks(chunk_len) {
            decoder.push(chunk);
            while let Some(message) = decoder.next_message().unwrap() {
                got.push(message);
            }
        }
        decoder.finish().unwrap();
        assert_eq!(got, expected, "chunks of {chunk_len}");
    }
}

#[test]
fn errors_after_the_first_message_say_where() {
    let mut stream = EMPTY_MESSAGE.to_vec();
    stream.extend_from_slice(CORRUPTED_PAYLOAD);
    let mut decoder = MessageDecoder::new();
    decoder.push(&stream);
    decoder.next_message().unwrap().unwrap();
    let why = decoder.next_message().unwrap_err().to_string();
    assert!(why.starts_with("invalid event stream: message 2 (at byte 16): message checksum mismatch"), "{why}");
}

// --- typed headers ------------------------------------------------------------------------

#[test]
fn typed_header_getters() {
    let m = Message::new(Bytes::new())
        .with_header(":event-type", HeaderValue::String("Stats".into()))
        .with_header("b", HeaderValue::Bool(false))
        .with_header("byte", HeaderValue::Byte(-7))
        .with_header("short", HeaderValue::Int16(300))
        .with_header("small-long", HeaderValue::Int64(5))
        .with_header("big-long", HeaderValue::Int64(1 << 40))
        .with_header("bytes", HeaderValue::ByteArray(Bytes::from_static(b"\x00\x01")))
        .with_header("ts", HeaderValue::Timestamp(1_422_172_800_000))
        .with_header("s", HeaderValue::String("text".into()));
    assert_eq!(m.header_bool("b").unwrap(), Some(false));
    assert_eq!(m.header_bool("absent").unwrap(), None);
    assert_eq!(m.header_i32("byte").unwrap(), Some(-7));
    assert_eq!(m.header_i32("short").unwrap(), Some(300));
    assert_eq!(m.header_i32("small-long").unwrap(), Some(5));
    assert_eq!(m.header_i64("big-long").unwrap(), Some(1 << 40));
    assert_eq!(m.header_f64("short").unwrap(), Some(300.0));
    assert_eq!(m.header_blob("bytes").unwrap(), Some(Blob::new(vec![0, 1])));
    assert_eq!(m.header_blob("s").unwrap(), Some(Blob::new(b"text".to_vec())));
    assert_eq!(m.header_string("s").unwrap().as_deref(), Some("text"));
    assert_eq!(m.header_timestamp("ts").unwrap(), Some(DateTime::from_secs(1_422_172_800)));
    assert_eq!(m.header_timestamp("big-long").unwrap(), Some(DateTime::from_millis(1 << 40)));

    let err = m.header_i32("big-long").unwrap_err();
    assert!(matches!(err, EventStreamError::InvalidEvent(_)));
    assert_eq!(
        err.to_string(),
        "event stream message does not match the model: event `Stats`: header `big-long` is a long (1099511627776), \
         expected an integer that fits 32 bits"
    );
    assert!(m.header_string("b").unwrap_err().to_string().contains("header `b` is a boolean (false), expected a string"));
    assert!(m.header_bool("s").unwrap_err().to_string().contains("header `s` is a string (\"text\"), expected a boolean"));
}

#[test]
fn error_and_exception_metadata() {
    let error = Message::decode(ERROR_EVENT_MESSAGE).unwrap();
    let err = EventStreamError::from_error_message(&error);
    assert_eq!((err.code(), err.message()), (Some("code"), Some("message")));
    assert_eq!(err.to_string(), "the event stream sent an error: code: message");

    let exception = Message::new(&b"<Oops><Message>it broke</Message></Oops>"[..])
        .with_header(":message-type", HeaderValue::String("exception".into()))
        .with_header(":exception-type", HeaderValue::String("Oops".into()));
    let meta = EventStreamError::exception_metadata(&exception);
    assert_eq!((meta.code(), meta.message()), (Some("Oops"), Some("it broke")));
    let err = EventStreamError::unmodeled_exception(&exception);
    assert!(matches!(err, EventStreamError::Service(_)));
    assert_eq!((err.code(), err.message()), (Some("Oops"), Some("it broke")));

    #[derive(Debug, PartialEq)]
    struct Oops(u8);
    impl fmt::Display for Oops {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "Oops #{}", self.0)
        }
    }
    impl StdError for Oops {}
    let err = EventStreamError::modeled_exception(meta, Oops(3));
    assert_eq!(err.code(), Some("Oops"));
    assert_eq!(err.to_string(), "the event stream sent an exception: Oops #3");
    match &err {
        EventStreamError::Exception(e) => assert_eq!(e.downcast_ref::<Oops>(), Some(&Oops(3))),
        other => panic!("{other:?}"),
    }
    assert!(err.source().is_some());
}

// --- the receiver -------------------------------------------------------------------------

/// A body that hands out the given chunks, then maybe an error.
struct Chunks {
    chunks: VecDeque<Bytes>,
    fail_at_end: bool,
}

impl Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        match this.chunks.pop_front() {
            Some(chunk) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
            None if this.fail_at_end => {
                this.fail_at_end = false;
                Poll::Ready(Some(Err(std::io::Error::other("connection reset"))))
            }
            None => Poll::Ready(None),
        }
    }
}

fn chunked(bytes: &[u8], chunk_len: usize, fail_at_end: bool) -> ByteStream {
    let chunks = bytes.chunks(chunk_len).map(Bytes::copy_from_slice).collect();
    ByteStream::from_body(Chunks { chunks, fail_at_end })
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
}

/// A test event: `event-type:payload`.
fn decode_test_event(message: &Message) -> Result<String, EventStreamError> {
    if message.message_type() == Some("exception") {
        return Err(EventStreamError::unmodeled_exception(message));
    }
    let payload = std::str::from_utf8(message.payload()).map_err(|e| EventStreamError::invalid_event(message, e))?;
    Ok(format!("{}:{payload}", message.event_type().unwrap_or("?")))
}

fn event(event_type: &str, payload: &'static [u8]) -> Vec<u8> {
    Message::new(payload)
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String(event_type.into()))
        .encode()
        .unwrap()
}

fn receive_all(receiver: &mut EventReceiver<String>) -> Vec<Result<String, String>> {
    block_on(async {
        let mut out = Vec::new();
        loop {
            match receiver.recv().await {
                Ok(Some(event)) => out.push(Ok(event)),
                Ok(None) => break,
                Err(err) => out.push(Err(err.to_string())),
            }
        }
        out
    })
}

#[test]
fn the_receiver_yields_events_in_order_from_any_chunking() {
    let mut body = event("Records", b"a,b\n");
    body.extend(event("Stats", b"<Stats/>"));
    body.extend(event("End", b""));
    let expected = vec![Ok("Records:a,b\n".to_owned()), Ok("Stats:<Stats/>".to_owned()), Ok("End:".to_owned())];
    for chunk_len in [1, 3, 16, 17, body.len()] {
        let mut receiver = EventReceiver::new(chunked(&body, chunk_len, false), decode_test_event);
        assert_eq!(receive_all(&mut receiver), expected, "chunks of {chunk_len}");
    }
    let mut in_memory = EventReceiver::new(ByteStream::from(body), decode_test_event);
    assert_eq!(receive_all(&mut in_memory), expected);
    assert_eq!(receive_all(&mut EventReceiver::new(ByteStream::default(), decode_test_event)), vec![]);
}

#[test]
fn error_and_exception_messages_are_errors_and_the_stream_goes_on() {
    let mut body = event("Records", b"1");
    body.extend_from_slice(ERROR_EVENT_MESSAGE);
    body.extend(
        Message::new(Bytes::new())
            .with_header(":message-type", HeaderValue::String("exception".into()))
            .with_header(":exception-type", HeaderValue::String("Throttled".into()))
            .encode()
            .unwrap(),
    );
    body.extend(event("Records", b"\xff"));
    body.extend(event("End", b""));
    let mut receiver = EventReceiver::new(chunked(&body, 10, false), decode_test_event);
    assert_eq!(
        receive_all(&mut receiver),
        vec![
            Ok("Records:1".to_owned()),
            Err("the event stream sent an error: code: message".to_owned()),
            Err("the event stream sent an error: Throttled".to_owned()),
            Err("event stream message does not match the model: event `Records`: invalid utf-8 sequence of 1 bytes from index 0"
                .to_owned()),
            Ok("End:".to_owned()),
        ]
    );
}

#[test]
fn a_broken_stream_ends_after_its_error() {
    // A corrupted message after a good one: the good one, the error, then the end.
    let mut body = event("Records", b"1");
    body.extend_from_slice(CORRUPTED_PAYLOAD);
    body.extend(event("Records", b"2"));
    let mut receiver = EventReceiver::new(chunked(&body, 5, false), decode_test_event);
    let got = receive_all(&mut receiver);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], Ok("Records:1".to_owned()));
    assert!(got[1].as_ref().unwrap_err().contains("message 2 (at byte 61): message checksum mismatch"), "{got:?}");

    // A body cut short.
    let mut body = event("Records", b"1");
    let second = event("Records", b"2");
    body.extend_from_slice(&second[..second.len() - 3]);
    let mut receiver = EventReceiver::new(chunked(&body, 4, false), decode_test_event);
    let got = receive_all(&mut receiver);
    assert_eq!(got[0], Ok("Records:1".to_owned()));
    assert_eq!(
        got[1],
        Err(format!(
            "invalid event stream: message 2 (at byte 61): the stream ends inside a message: {} bytes of {} bytes",
            second.len() - 3,
            second.len()
        ))
    );
    assert_eq!(got.len(), 2);

    // A body that fails to read.
    let mut receiver = EventReceiver::new(chunked(&event("Records", b"1"), 8, true), decode_test_event);
    let got = receive_all(&mut receiver);
    assert_eq!(got, vec![Ok("Records:1".to_owned()), Err("reading the event stream failed: connection reset".to_owned())]);
}

#[test]
fn raw_messages_are_available() {
    let mut receiver = EventReceiver::new(ByteStream::from(ERROR_EVENT_MESSAGE.to_vec()), decode_test_event);
    let message = block_on(receiver.recv_message()).unwrap().unwrap();
    assert_eq!(message.message_type(), Some("error"));
    assert_eq!(block_on(receiver.recv_message()).unwrap(), None);
    assert!(format!("{receiver:?}").starts_with("EventReceiver {"));
}
