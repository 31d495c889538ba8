//! The binary framing of event-stream messages (`application/vnd.amazon.eventstream`),
//! as botocore's `botocore/eventstream.py` reads it:
//!
//! ```text
//! message   = prelude headers payload message-crc
//! prelude   = total-length:u32 headers-length:u32 prelude-crc:u32
//! header    = name-length:u8 name:utf8 type:u8 value
//! ```
//!
//! All integers are big-endian; `prelude-crc` is the CRC-32 of the first 8 bytes and
//! `message-crc` the CRC-32 of everything before it. Header values by type byte:
//! 0 `true`, 1 `false` (no value bytes), 2 byte (i8), 3 short (i16), 4 integer (i32),
//! 5 long (i64), 6 byte array (u16 length + bytes), 7 string (u16 length + UTF-8),
//! 8 timestamp (i64 milliseconds since the epoch), 9 UUID (16 bytes).

use std::collections::HashSet;
use std::fmt;

use bytes::{Bytes, BytesMut};

use super::EventStreamError;
use crate::{Blob, DateTime};

/// Bytes of the prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;
/// Bytes of the message CRC at the end of every message.
const CRC_LEN: usize = 4;
/// The smallest possible message: a prelude and a message CRC.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + CRC_LEN;

/// The largest message accepted, prelude and CRC included: 16 MiB, the limit of the AWS
/// event-stream implementations (`aws-c-event-stream`, the Rust and Java SDKs). A
/// prelude announcing more is refused before anything is buffered for it.
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;

/// The largest headers section accepted: 128 KiB, as botocore (`_MAX_HEADERS_LENGTH`).
pub const MAX_HEADERS_LEN: usize = 128 * 1024;

/// The value of an event-stream header, one variant per type the format has.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HeaderValue {
    /// Types 0 (`true`) and 1 (`false`).
    Bool(bool),
    /// Type 2: a signed byte.
    Byte(i8),
    /// Type 3: a 16-bit integer.
    Int16(i16),
    /// Type 4: a 32-bit integer.
    Int32(i32),
    /// Type 5: a 64-bit integer.
    Int64(i64),
    /// Type 6: bytes (at most 65535).
    ByteArray(Bytes),
    /// Type 7: UTF-8 text (at most 65535 bytes).
    String(String),
    /// Type 8: milliseconds since the Unix epoch (see [`HeaderValue::as_timestamp`]).
    Timestamp(i64),
    /// Type 9: a UUID's 16 bytes.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The type byte of this value on the wire.
    pub fn type_byte(&self) -> u8 {
        match self {
            HeaderValue::Bool(true) => 0,
            HeaderValue::Bool(false) => 1,
            HeaderValue::Byte(_) => 2,
            HeaderValue::Int16(_) => 3,
            HeaderValue::Int32(_) => 4,
            HeaderValue::Int64(_) => 5,
            HeaderValue::ByteArray(_) => 6,
            HeaderValue::String(_) => 7,
            HeaderValue::Timestamp(_) => 8,
            HeaderValue::Uuid(_) => 9,
        }
    }

    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            HeaderValue::Bool(_) => "a boolean",
            HeaderValue::Byte(_) => "a byte",
            HeaderValue::Int16(_) => "a short",
            HeaderValue::Int32(_) => "an integer",
            HeaderValue::Int64(_) => "a long",
            HeaderValue::ByteArray(_) => "a byte array",
            HeaderValue::String(_) => "a string",
            HeaderValue::Timestamp(_) => "a timestamp",
            HeaderValue::Uuid(_) => "a UUID",
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value of any of the integer types (byte, short, integer, long).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            HeaderValue::Byte(v) => Some(i64::from(v)),
            HeaderValue::Int16(v) => Some(i64::from(v)),
            HeaderValue::Int32(v) => Some(i64::from(v)),
            HeaderValue::Int64(v) => Some(v),
            _ => None,
        }
    }

    /// The instant of a timestamp value, or of a long read as milliseconds since the
    /// epoch (botocore divides whatever number the header holds by 1000).
    pub fn as_timestamp(&self) -> Option<DateTime> {
        match *self {
            HeaderValue::Timestamp(ms) => Some(DateTime::from_millis(ms)),
            _ => self.as_i64().map(DateTime::from_millis),
        }
    }
}

impl fmt::Display for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderValue::Bool(v) => write!(f, "{v}"),
            HeaderValue::Byte(v) => write!(f, "{v}"),
            HeaderValue::Int16(v) => write!(f, "{v}"),
            HeaderValue::Int32(v) => write!(f, "{v}"),
            HeaderValue::Int64(v) => write!(f, "{v}"),
            HeaderValue::ByteArray(v) => write!(f, "<{} bytes>", v.len()),
            HeaderValue::String(v) => write!(f, "{v:?}"),
            HeaderValue::Timestamp(v) => write!(f, "{v} ms"),
            HeaderValue::Uuid(v) => {
                for (i, b) in v.iter().enumerate() {
                    if matches!(i, 4 | 6 | 8 | 10) {
                        f.write_str("-")?;
                    }
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// One header of a message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// The name (at most 255 bytes of UTF-8), such as `:event-type`.
    pub name: String,
    /// The typed value.
    pub value: HeaderValue,
}

/// One event-stream message: headers and a payload.
///
/// Messages come from [`EventReceiver::recv_message`](super::EventReceiver::recv_message)
/// or [`MessageDecoder`]; [`Message::encode`] writes one (for tests, and for sending
/// event streams).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    headers: Vec<Header>,
    payload: Bytes,
}

impl Message {
    /// A message with the given payload and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message { headers: Vec::new(), payload: payload.into() }
    }

    /// Adds a header (a header of the same name is replaced, as names are unique).
    pub fn with_header(mut self, name: impl Into<String>, value: HeaderValue) -> Self {
        let name = name.into();
        self.headers.retain(|h| h.name != name);
        self.headers.push(Header { name, value });
        self
    }

    /// The headers, in the order of the message.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the header with this name (names are case-sensitive).
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|h| h.name == name).map(|h| &h.value)
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The `:message-type` header if it is a string: `event`, `error` or `exception`.
    pub fn message_type(&self) -> Option<&str> {
        self.header(":message-type").and_then(HeaderValue::as_str)
    }

    /// The `:event-type` header if it is a string: the event's member name in the
    /// event stream, such as `Records`.
    pub fn event_type(&self) -> Option<&str> {
        self.header(":event-type").and_then(HeaderValue::as_str)
    }

    /// The `:exception-type` header if it is a string: the exception's member name in
    /// the event stream.
    pub fn exception_type(&self) -> Option<&str> {
        self.header(":exception-type").and_then(HeaderValue::as_str)
    }

    /// The message in the binary format, checksums included.
    ///
    /// Fails if a header name is longer than 255 bytes, a string or byte array value
    /// longer than 65535 bytes, the headers longer than [`MAX_HEADERS_LEN`] or the
    /// message longer than [`MAX_MESSAGE_LEN`].
    pub fn encode(&self) -> Result<Vec<u8>, EventStreamError> {
        let invalid = |why: String| EventStreamError::InvalidFrame(format!("cannot encode the message: {why}"));
        let mut headers = Vec::new();
        for Header { name, value } in &self.headers {
            let name_len = u8::try_from(name.len())
                .map_err(|_| invalid(format!("header name `{name}` is {} bytes long, above 255", name.len())))?;
            headers.push(name_len);
            headers.extend_from_slice(name.as_bytes());
            headers.push(value.type_byte());
            match value {
                HeaderValue::Bool(_) => {}
                HeaderValue::Byte(v) => headers.extend_from_slice(&v.to_be_bytes()),
                HeaderValue::Int16(v) => headers.extend_from_slice(&v.to_be_bytes()),
                HeaderValue::Int32(v) => headers.extend_from_slice(&v.to_be_bytes()),
                HeaderValue::Int64(v) | HeaderValue::Timestamp(v) => headers.extend_from_slice(&v.to_be_bytes()),
                HeaderValue::ByteArray(bytes) => {
                    let len = u16::try_from(bytes.len())
                        .map_err(|_| invalid(format!("header `{name}` is {} bytes long, above 65535", bytes.len())))?;
                    headers.extend_from_slice(&len.to_be_bytes());
                    headers.extend_from_slice(bytes);
                }
                HeaderValue::String(text) => {
                    let len = u16::try_from(text.len())
                        .map_err(|_| invalid(format!("header `{name}` is {} bytes long, above 65535", text.len())))?;
                    headers.extend_from_slice(&len.to_be_bytes());
                    headers.extend_from_slice(text.as_bytes());
                }
                HeaderValue::Uuid(bytes) => headers.extend_from_slice(bytes),
            }
        }
        if headers.len() > MAX_HEADERS_LEN {
            return Err(invalid(format!("the headers take {} bytes, above {MAX_HEADERS_LEN}", headers.len())));
        }
        let total = MIN_MESSAGE_LEN + headers.len() + self.payload.len();
        if total > MAX_MESSAGE_LEN {
            return Err(invalid(format!("the message would be {total} bytes long, above {MAX_MESSAGE_LEN}")));
        }
        let mut out = Vec::with_capacity(total);
        // Both lengths are below MAX_MESSAGE_LEN, so they fit a u32.
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32fast::hash(&out);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        let message_crc = crc32fast::hash(&out);
        out.extend_from_slice(&message_crc.to_be_bytes());
        Ok(out)
    }

    /// Decodes exactly one message from `bytes` (which must hold it whole and nothing
    /// more).
    pub fn decode(bytes: &[u8]) -> Result<Message, EventStreamError> {
        let mut decoder = MessageDecoder::new();
        decoder.push(bytes);
        match decoder.next_message()? {
            Some(message) if decoder.buffered() == 0 => Ok(message),
            Some(_) => Err(EventStreamError::InvalidFrame(format!(
                "{} bytes follow the message",
                decoder.buffered()
            ))),
            None => Err(decoder
                .finish()
                .err()
                .unwrap_or_else(|| EventStreamError::InvalidFrame("no message: the bytes are empty".into()))),
        }
    }

    // Typed header values for the generated event decoders. Each is `Ok(None)` when the
    // header is absent, and an `InvalidEvent` error naming the event and the header when
    // its type does not fit the model.

    fn typed<T>(
        &self,
        name: &str,
        expected: &str,
        read: impl FnOnce(&HeaderValue) -> Option<T>,
    ) -> Result<Option<T>, EventStreamError> {
        let Some(value) = self.header(name) else { return Ok(None) };
        match read(value) {
            Some(v) => Ok(Some(v)),
            None => Err(EventStreamError::invalid_event(
                self,
                format!("header `{name}` is {} ({value}), expected {expected}", value.type_name()),
            )),
        }
    }

    /// A boolean header.
    pub fn header_bool(&self, name: &str) -> Result<Option<bool>, EventStreamError> {
        self.typed(name, "a boolean", |v| match v {
            HeaderValue::Bool(b) => Some(*b),
            _ => None,
        })
    }

    /// An integer header of any integer type whose value fits an `i32`.
    pub fn header_i32(&self, name: &str) -> Result<Option<i32>, EventStreamError> {
        self.typed(name, "an integer that fits 32 bits", |v| v.as_i64().and_then(|n| i32::try_from(n).ok()))
    }

    /// An integer header of any integer type.
    pub fn header_i64(&self, name: &str) -> Result<Option<i64>, EventStreamError> {
        self.typed(name, "an integer", HeaderValue::as_i64)
    }

    /// A number for a `float` or `double` member: the format has no floating-point
    /// type, so any integer type is read as a number (botocore keeps the integer).
    pub fn header_f64(&self, name: &str) -> Result<Option<f64>, EventStreamError> {
        self.typed(name, "a number", |v| v.as_i64().map(|n| n as f64))
    }

    /// A string header.
    pub fn header_string(&self, name: &str) -> Result<Option<String>, EventStreamError> {
        self.typed(name, "a string", |v| v.as_str().map(str::to_owned))
    }

    /// A byte-array header (a string header gives its UTF-8 bytes).
    pub fn header_blob(&self, name: &str) -> Result<Option<Blob>, EventStreamError> {
        self.typed(name, "a byte array", |v| match v {
            HeaderValue::ByteArray(b) => Some(Blob::new(b.to_vec())),
            HeaderValue::String(s) => Some(Blob::new(s.as_bytes().to_vec())),
            _ => None,
        })
    }

    /// A timestamp header (milliseconds since the epoch; a long is read the same way,
    /// as botocore divides the header's number by 1000).
    pub fn header_timestamp(&self, name: &str) -> Result<Option<DateTime>, EventStreamError> {
        self.typed(name, "a timestamp", HeaderValue::as_timestamp)
    }
}

/// Decodes messages from bytes that arrive in chunks of any size: [`push`](Self::push)
/// each chunk, then take messages with [`next_message`](Self::next_message) until it
/// says it needs more bytes. A partial message stays buffered until the rest arrives.
///
/// Every length is checked against the format's limits ([`MAX_MESSAGE_LEN`],
/// [`MAX_HEADERS_LEN`]) and the prelude checksum as soon as the 12-byte prelude is
/// there, before more bytes are awaited; the decoder only ever holds bytes it was given.
/// After an error the decoder cannot find the next message (the lengths that would
/// lead to it are not trusted), so callers stop.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    /// Bytes of the stream consumed by the messages decoded so far.
    offset: u64,
    /// Messages decoded so far.
    count: u64,
}

/// A checked prelude.
struct Prelude {
    total_len: usize,
    headers_len: usize,
}

impl MessageDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes of the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buffer.extend_from_slice(chunk);
    }

    /// How many bytes are buffered that are not yet part of a decoded message.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The next whole message, `Ok(None)` if more bytes are needed first, or an error if
    /// the bytes are not a valid message.
    pub fn next_message(&mut self) -> Result<Option<Message>, EventStreamError> {
        if self.buffer.len() < PRELUDE_LEN {
            return Ok(None);
        }
        let prelude = self.prelude()?;
        if self.buffer.len() < prelude.total_len {
            return Ok(None);
        }
        let frame = self.buffer.split_to(prelude.total_len).freeze();
        let crc_at = prelude.total_len - CRC_LEN;
        let expected = be_u32(&frame[crc_at..]);
        let computed = crc32fast::hash(&frame[..crc_at]);
        if expected != computed {
            return Err(self.error(format!(
                "message checksum mismatch: the message says 0x{expected:08x}, its bytes give 0x{computed:08x}"
            )));
        }
        let headers_end = PRELUDE_LEN + prelude.headers_len;
        let headers = parse_headers(&frame, PRELUDE_LEN, headers_end).map_err(|why| self.error(why))?;
        let payload = frame.slice(headers_end..crc_at);
        self.offset += prelude.total_len as u64;
        self.count += 1;
        Ok(Some(Message { headers, payload }))
    }

    /// At the end of the stream: an error if bytes of an unfinished message remain
    /// (botocore drops them silently; here a stream cut short is reported).
    pub fn finish(&self) -> Result<(), EventStreamError> {
        let have = self.buffer.len();
        if have == 0 {
            return Ok(());
        }
        let wanted = if have >= PRELUDE_LEN {
            format!("{} bytes", be_u32(&self.buffer[..4]))
        } else {
            format!("a {PRELUDE_LEN}-byte prelude")
        };
        Err(self.error(format!("the stream ends inside a message: {have} bytes of {wanted}")))
    }

    /// The prelude of the buffered message, checked.
    fn prelude(&self) -> Result<Prelude, EventStreamError> {
        let b = &self.buffer[..PRELUDE_LEN];
        let total_len = be_u32(&b[0..4]) as usize;
        let headers_len = be_u32(&b[4..8]) as usize;
        let expected = be_u32(&b[8..12]);
        let computed = crc32fast::hash(&b[..8]);
        if expected != computed {
            return Err(self.error(format!(
                "prelude checksum mismatch: the prelude says 0x{expected:08x}, its bytes give 0x{computed:08x}"
            )));
        }
        if total_len < MIN_MESSAGE_LEN {
            return Err(self.error(format!(
                "total length {total_len} is below the {MIN_MESSAGE_LEN} bytes of a prelude and a checksum"
            )));
        }
        if total_len > MAX_MESSAGE_LEN {
            return Err(self.error(format!("total length {total_len} exceeds the maximum of {MAX_MESSAGE_LEN}")));
        }
        if headers_len > MAX_HEADERS_LEN {
            return Err(self.error(format!("headers length {headers_len} exceeds the maximum of {MAX_HEADERS_LEN}")));
        }
        if headers_len > total_len - MIN_MESSAGE_LEN {
            return Err(self.error(format!(
                "headers length {headers_len} does not fit in a message of {total_len} bytes"
            )));
        }
        Ok(Prelude { total_len, headers_len })
    }

    fn error(&self, why: String) -> EventStreamError {
        EventStreamError::InvalidFrame(format!("message {} (at byte {}): {why}", self.count + 1, self.offset))
    }
}

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Reads the headers in `frame[start..end]`.
fn parse_headers(frame: &Bytes, start: usize, end: usize) -> Result<Vec<Header>, String> {
    let mut headers = Vec::new();
    let mut seen = HashSet::new();
    let mut at = start;
    // `take(n)` is the range of the next `n` bytes of the headers, if there are that many.
    let take = |at: &mut usize, n: usize, what: &dyn Fn() -> String| {
        if end - *at < n {
            return Err(format!(
                "header bytes end inside {} ({n} bytes wanted, {} left)",
                what(),
                end - *at
            ));
        }
        *at += n;
        Ok(*at - n..*at)
    };
    while at < end {
        let header_at = at - start;
        let r = take(&mut at, 1, &|| format!("the name length of the header at byte {header_at}"))?;
        let name_len = usize::from(frame[r.start]);
        let r = take(&mut at, name_len, &|| format!("the name of the header at byte {header_at}"))?;
        let name = std::str::from_utf8(&frame[r.clone()])
            .map_err(|_| format!("the name of the header at byte {header_at} is not UTF-8"))?
            .to_owned();
        let what = |part: &str| format!("the {part} of header `{name}`");
        let r = take(&mut at, 1, &|| what("type"))?;
        let ty = frame[r.start];
        let mut fixed = |n: usize| take(&mut at, n, &|| what("value")).map(|r| &frame[r]);
        let value = match ty {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes([fixed(1)?[0]])),
            3 => HeaderValue::Int16(i16::from_be_bytes(fixed(2)?.try_into().expect("2 bytes"))),
            4 => HeaderValue::Int32(i32::from_be_bytes(fixed(4)?.try_into().expect("4 bytes"))),
            5 => HeaderValue::Int64(i64::from_be_bytes(fixed(8)?.try_into().expect("8 bytes"))),
            8 => HeaderValue::Timestamp(i64::from_be_bytes(fixed(8)?.try_into().expect("8 bytes"))),
            9 => HeaderValue::Uuid(fixed(16)?.try_into().expect("16 bytes")),
            6 | 7 => {
                let len = fixed(2)?;
                let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
                let r = take(&mut at, len, &|| what("value"))?;
                if ty == 6 {
                    HeaderValue::ByteArray(frame.slice(r))
                } else {
                    let text = std::str::from_utf8(&frame[r]).map_err(|_| format!("header `{name}` is not UTF-8"))?;
                    HeaderValue::String(text.to_owned())
                }
            }
            other => return Err(format!("header `{name}` has unknown value type {other}")),
        };
        if !seen.insert(name.clone()) {
            // botocore's `DuplicateHeader`.
            return Err(format!("header `{name}` appears twice"));
        }
        headers.push(Header { name, value });
    }
    Ok(headers)
}
