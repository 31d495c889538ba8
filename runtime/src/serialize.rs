//! `serde::Serialize` for the model's values (the `serde` feature, off by default).
//!
//! With the feature, every type of the generated crate serializes as botocore's parsed
//! value of it (the dicts boto3 returns), so that a JMESPath expression written for boto3
//! finds the same things (see [`SearchStream`](crate::paginator::SearchStream)):
//!
//! - a structure is an object with the model's member names (`Contents`, `Key`,
//!   `LastModified`, `ETag`), in model order; members that are not set are left out, as
//!   botocore's dicts have no key for them;
//! - lists are arrays; maps (`Metadata`) are objects, in insertion order;
//! - strings, booleans and numbers are themselves; an enum is its string (`STANDARD`),
//!   including values this model does not know;
//! - a timestamp ([`DateTime`]) is an ISO 8601 string in UTC with milliseconds,
//!   `2024-01-02T03:04:05.000Z`: how S3 writes them in XML and the AWS CLI prints them
//!   (boto3 has a `datetime` object instead). The width is fixed, so comparing the strings
//!   (`sort_by(Contents, &LastModified)`, `max_by`) orders them in time; digits below a
//!   millisecond, which S3 never sends, are dropped. Inside a JMESPath search
//!   ([`SearchStream`](crate::paginator::SearchStream)) a timestamp is Python's
//!   `str(datetime)` instead, `2022-01-05 08:05:37+00:00`, and `to_string` gives it in
//!   quotes, as boto3's `search` does;
//! - a blob ([`Blob`]) is its base64 text (standard alphabet, padded), as the AWS CLI
//!   prints it (boto3 has `bytes`);
//! - a union is an object with its one member, `{"SSEKMS": {…}}`; a member this model does
//!   not know is botocore's `{"SDK_UNKNOWN_MEMBER": {"name": "…"}}`
//!   ([`unknown_union_member`]); event stream events are the same kind of object,
//!   `{"Records": {"Payload": "…"}}`;
//! - streaming bodies ([`ByteStream`](crate::ByteStream)) and event streams
//!   ([`EventReceiver`](crate::EventReceiver)) are left out, as are the
//!   [`ErrorMetadata`](crate::ErrorMetadata) of modeled errors.
//!
//! Sensitive members are serialized like the others: unlike `Debug`, serialization is
//! something the caller asks for. botocore's `ResponseMetadata` has no counterpart here,
//! since it is no member of the model.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::encoding::base64_encode;
use crate::{Blob, DateTime, DateTimeFormat};

/// `2024-01-02T03:04:05.000Z`: ISO 8601 in UTC, always with milliseconds; inside a
/// JMESPath search, a marked `str(datetime)` instead (see `for_search`).
impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if SEARCHING.get() {
            serializer.serialize_str(&format!("{TIMESTAMP_MARK}{}", python_str(self)))
        } else {
            serializer.serialize_str(&iso8601_millis(self))
        }
    }
}

thread_local! {
    /// Set while [`for_search`] serializes a page.
    static SEARCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What starts a timestamp's string in a page being searched: characters of Unicode's
/// private use area that no botocore value carries, so that the search can tell a
/// timestamp (boto3's `datetime`) from a string that reads the same. The search's
/// results never contain it (see `paginator::search`).
pub(crate) const TIMESTAMP_MARK: &str = "\u{F8FF}\u{F8FE}\u{F8FD}";

/// Serializes `value` as [`Serialize`] does, except that timestamps become
/// [`TIMESTAMP_MARK`] followed by Python's `str(datetime)` of botocore's parsed value
/// (`2022-01-05 08:05:37+00:00`, `2022-01-05 08:05:37.123000+00:00`).
pub(crate) fn for_search<T: Serialize, R>(value: &T, serialize: impl FnOnce(&T) -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            SEARCHING.set(self.0);
        }
    }
    let _reset = Reset(SEARCHING.replace(true));
    serialize(value)
}

/// Python's `str()` of the timezone-aware UTC `datetime` botocore parses a timestamp
/// into: the date, a space, the time, microseconds only when not zero, `+00:00`.
pub(crate) fn python_str(time: &DateTime) -> String {
    let text = time.fmt(DateTimeFormat::DateTime);
    let seconds = text.strip_suffix('Z').unwrap_or(&text);
    let seconds = seconds.split_once('.').map_or(seconds, |(whole, _)| whole).replacen('T', " ", 1);
    match time.subsec_nanos() / 1_000 {
        0 => format!("{seconds}+00:00"),
        micros => format!("{seconds}.{micros:06}+00:00"),
    }
}

/// Base64, standard alphabet, padded.
impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64_encode(self.as_bytes()))
    }
}

/// The value of a union's `Unknown` member: `{"name": "<the member's name>"}`, inside
/// the `SDK_UNKNOWN_MEMBER` key (botocore's `_handle_unknown_tagged_union_member`).
///
/// Used by generated code (`#[serde(serialize_with = …)]`).
pub fn unknown_union_member<S: Serializer>(name: &str, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry("name", name)?;
    map.end()
}

/// The whole seconds as [`DateTimeFormat::DateTime`] writes them, then the milliseconds.
fn iso8601_millis(time: &DateTime) -> String {
    let text = time.fmt(DateTimeFormat::DateTime);
    let seconds = text.strip_suffix('Z').unwrap_or(&text);
    let seconds = seconds.split_once('.').map_or(seconds, |(whole, _)| whole);
    format!("{seconds}.{:03}Z", time.subsec_nanos() / 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python 3's `json.dumps(datetime(...), default=str)` (what jmespath's `to_string`
    /// gives for botocore's timestamps), unquoted.
    #[test]
    fn timestamps_as_python_prints_them() {
        let cases = [
            (DateTime::from_secs(1_641_369_937), "2022-01-05 08:05:37+00:00"),
            (DateTime::from_millis(1_641_369_937_123), "2022-01-05 08:05:37.123000+00:00"),
            (DateTime::from_secs_and_nanos(946_684_799, 1_999).unwrap(), "1999-12-31 23:59:59.000001+00:00"),
            (DateTime::from_secs(0), "1970-01-01 00:00:00+00:00"),
        ];
        for (time, python) in cases {
            assert_eq!(python_str(&time), python);
        }
        // Only inside a search, and marked.
        assert_eq!(serde_json::to_value(DateTime::from_secs(0)).unwrap(), "1970-01-01T00:00:00.000Z");
        let marked = for_search(&DateTime::from_secs(0), |t| serde_json::to_value(t).unwrap());
        assert_eq!(marked, format!("{TIMESTAMP_MARK}1970-01-01 00:00:00+00:00"));
        assert_eq!(serde_json::to_value(DateTime::from_secs(0)).unwrap(), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn timestamps_have_fixed_width() {
        let cases = [
            (DateTime::from_secs(1_704_164_645), "2024-01-02T03:04:05.000Z"),
            (DateTime::from_millis(1_704_164_645_123), "2024-01-02T03:04:05.123Z"),
            (DateTime::from_secs_and_nanos(1_704_164_645, 999_999_999).unwrap(), "2024-01-02T03:04:05.999Z"),
            (DateTime::from_secs_and_nanos(0, 1_000).unwrap(), "1970-01-01T00:00:00.000Z"),
            (DateTime::from_millis(-1), "1969-12-31T23:59:59.999Z"),
            (DateTime::from_secs(-62_135_596_800 - 86_400), "0000-12-31T00:00:00.000Z"),
        ];
        for (time, text) in cases {
            assert_eq!(serde_json::to_value(time).unwrap(), serde_json::Value::String(text.into()));
        }
    }

    #[test]
    fn blobs_are_base64_and_unknown_members_named() {
        assert_eq!(serde_json::to_string(&Blob::new(*b"\x00\xffhi")).unwrap(), r#""AP9oaQ==""#);
        let mut out = Vec::new();
        unknown_union_member("NewThing", &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"name":"NewThing"}"#);
    }
}
