//! AWS Signature Version 4, as botocore 1.44.8 signs S3 requests (`botocore/auth.py`):
//! [`sign`] is `S3SigV4Auth` (an `Authorization` header) and [`presign`] is
//! `S3SigV4QueryAuth` (a presigned URL, as `generate_presigned_url` makes).
//!
//! Both take the request as it will be sent — the full URL with its path and query
//! already percent-encoded, and its headers — and never change it: [`sign`] returns the
//! headers to set ([`SigningOutput::apply_to`] makes the same edits botocore makes to
//! the header list), [`presign`] returns the new URL.
//!
//! # S3 and generic SigV4
//!
//! [`SigningSettings::S3`] (the default) is what S3 wants and what `S3SigV4Auth` does:
//!
//! - the path is signed as it is in the URL: no second round of percent-encoding and no
//!   removal of `.`, `..` or empty segments (`S3SigV4Auth._normalize_url_path` returns the
//!   path unchanged, where `SigV4Auth` runs `quote(normalize_url_path(path), safe='/~')`),
//!   so `/bucket/a//b/../%2F` is signed as just that;
//! - the query is signed as it is in the URL, pairs split at the first `=` and sorted,
//!   bare keys such as `?uploads` becoming `uploads=` (`_canonical_query_string_url`);
//! - every request carries `X-Amz-Content-SHA256`, signed (`S3SigV4Auth._modify_request_before_signing`),
//!   and presigned URLs sign `UNSIGNED-PAYLOAD` (`S3SigV4QueryAuth.payload`).
//!
//! [`SigningSettings::GENERIC`] is the SigV4 of other services and of the AWS test suite:
//! the path is normalized and encoded once more, query names and values are decoded and
//! encoded again, and `X-Amz-Content-SHA256` is only sent for [`PayloadHash::Unsigned`].
//!
//! # What both modes share (`SigV4Auth`)
//!
//! - `X-Amz-Date` (or, when the request has a `Date` header, a new `Date` instead) and,
//!   with a session token, `X-Amz-Security-Token` are set before signing, so both are
//!   signed; any `Authorization` header is dropped first;
//! - every header is signed except those in [`UNSIGNED_HEADERS`] (`user-agent`,
//!   `expect`, `x-amzn-trace-id`, hop-by-hop headers…); names are lowercased, sorted and
//!   repeated names joined with `,` in their order; values lose leading and trailing
//!   whitespace and inner runs become one space (Python's `' '.join(value.split())`);
//! - `host` is signed as the request's `Host` header if it has one, otherwise taken from
//!   the URL: lowercased, without user info, with the port only when it is not the
//!   scheme's default ([`host_header`], botocore's `_host_from_url`). The HTTP client
//!   must send that same `Host`.
//!
//! # Which payload hash to choose for S3
//!
//! botocore's `S3SigV4Auth._should_sha256_sign_payload` and `payload` decide it:
//!
//! - [`PayloadHash::Bytes`] — the default: every request over `http`, and over `https`
//!   unless one of the next two applies (an empty body hashes to [`EMPTY_SHA256`]);
//! - [`PayloadHash::Unsigned`] — over `https`, when the operation has a streaming body
//!   (`PutObject`, `UploadPart`, …) *and* the request carries its checksum in a header
//!   (`Content-MD5`, or the `x-amz-checksum-*` header of the flexible-checksum algorithm);
//!   or always when the client is configured with `payload_signing_enabled = false`;
//! - [`PayloadHash::StreamingUnsignedTrailer`] — the body is sent `aws-chunked` with its
//!   checksum in a trailer, which botocore does for streaming uploads over `https`;
//! - [`PayloadHash::Precomputed`] — the hex SHA-256 of the body, computed by the caller
//!   (for instance while buffering a stream).
//!
//! Secrets never appear in `Debug` output or in errors: the secret key never leaves the
//! signing key derivation, and the session token is shown as `** redacted **`.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::{DateTime, DateTimeFormat};

mod canonical;
mod presign;
pub mod v4a;

pub use canonical::host_header;
pub use presign::presign;

use canonical::{CanonicalRequest, Url};

/// The algorithm name in `Authorization` and `X-Amz-Algorithm`.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The payload hash of a request whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The payload hash of an `aws-chunked` body with an unsigned trailing checksum.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// The SHA-256 of an empty body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The longest validity of a presigned URL SigV4 allows: seven days.
pub const MAX_PRESIGNED_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);
/// Headers that are never signed (lowercase), botocore's `SIGNED_HEADERS_BLACKLIST`:
/// proxies and HTTP clients may add, change or drop them.
pub const UNSIGNED_HEADERS: &[&str] = &[
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// How the canonical request is built: S3's rules or the generic SigV4 ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigningSettings {
    /// Remove `.` and `..` segments and empty segments from the path before signing
    /// (botocore's `normalize_url_path`). Never for S3, where `a//b` and `a/b` are
    /// different keys.
    pub normalize_path: bool,
    /// Percent-encode the path once more (`quote(path, safe='/~')`), so `%20` is signed
    /// as `%2520`. Never for S3.
    pub double_encode: bool,
    /// Decode each query name and value and encode it again, keeping only letters,
    /// digits and `-._~` (so `+` and raw UTF-8 are signed as `%20` and `%E1%88%B4`), as
    /// botocore's `_canonical_query_string_params`. S3 signs the query as sent.
    pub normalize_query: bool,
    /// S3's payload rules: `X-Amz-Content-SHA256` on every signed request (otherwise only
    /// for [`PayloadHash::Unsigned`]) and `UNSIGNED-PAYLOAD` in presigned URLs (otherwise
    /// the [`SigningParams::payload`] hash).
    pub s3_payload: bool,
}

impl SigningSettings {
    /// S3, as `S3SigV4Auth` and `S3SigV4QueryAuth`.
    pub const S3: SigningSettings =
        SigningSettings { normalize_path: false, double_encode: false, normalize_query: false, s3_payload: true };
    /// Generic SigV4, as `SigV4Auth` and the AWS SigV4 test suite.
    pub const GENERIC: SigningSettings =
        SigningSettings { normalize_path: true, double_encode: true, normalize_query: true, s3_payload: false };
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings::S3
    }
}

/// Who signs, where, when, and how the body is accounted for.
#[derive(Clone, Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The signing region, such as `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service: `s3`.
    pub service: &'a str,
    /// The signing time; whole seconds are used.
    pub time: SystemTime,
    /// The body's hash, or how it is left unsigned (see the module documentation).
    pub payload: PayloadHash<'a>,
    /// S3 or generic rules.
    pub settings: SigningSettings,
}

/// The payload hash line of the canonical request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PayloadHash<'a> {
    /// The whole body: its hex SHA-256 is computed.
    Bytes(&'a [u8]),
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.
    StreamingUnsignedTrailer,
    /// A value computed by the caller, used as is: the lowercase hex SHA-256 of the body.
    Precomputed(&'a str),
}

impl PayloadHash<'_> {
    fn value(&self) -> String {
        match *self {
            PayloadHash::Bytes(body) => hex(&Sha256::digest(body)),
            PayloadHash::Unsigned => UNSIGNED_PAYLOAD.to_owned(),
            PayloadHash::StreamingUnsignedTrailer => STREAMING_UNSIGNED_PAYLOAD_TRAILER.to_owned(),
            PayloadHash::Precomputed(hash) => hash.to_owned(),
        }
    }
}

impl fmt::Debug for PayloadHash<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadHash::Bytes(body) => write!(f, "Bytes({} bytes)", body.len()),
            PayloadHash::Unsigned => f.write_str("Unsigned"),
            PayloadHash::StreamingUnsignedTrailer => f.write_str("StreamingUnsignedTrailer"),
            PayloadHash::Precomputed(hash) => f.debug_tuple("Precomputed").field(hash).finish(),
        }
    }
}

/// A request as it will be sent.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// `GET`, `PUT`, …
    pub method: &'a str,
    /// The full URL, `scheme://host[:port]/path?query`, with the path and query already
    /// percent-encoded as they will be sent. A fragment is ignored.
    pub url: &'a str,
    /// The headers, in order, names in any case; repeated names are allowed. `Host` is
    /// usually absent (it then comes from the URL).
    pub headers: &'a [(String, String)],
}

impl fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &Redacted(self.headers))
            .finish()
    }
}

/// What [`sign`] produced: the headers to set, and the intermediate strings.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    headers: Vec<(String, String)>,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
}

impl SigningOutput {
    /// The headers signing sets, in botocore's order: `X-Amz-Date` (or `Date`),
    /// `X-Amz-Security-Token` (with a session token), `X-Amz-Content-SHA256` (always for
    /// S3) and `Authorization`. Each replaces any header of the same name.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// [`headers`](Self::headers), owned.
    pub fn into_headers(self) -> Vec<(String, String)> {
        self.headers
    }

    /// Edits a request's header list as botocore does when it signs: removes every
    /// header (any case) named like one of [`headers`](Self::headers), and `X-Amz-Date`,
    /// then appends [`headers`](Self::headers).
    pub fn apply_to(&self, headers: &mut Vec<(String, String)>) {
        headers.retain(|(name, _)| {
            !name.eq_ignore_ascii_case("x-amz-date")
                && !self.headers.iter().any(|(set, _)| set.eq_ignore_ascii_case(name))
        });
        headers.extend(self.headers.iter().cloned());
    }

    /// The `Authorization` header's value.
    pub fn authorization(&self) -> &str {
        self.headers.last().map_or("", |(_, value)| value.as_str())
    }

    /// The canonical request that was signed (it holds the session token, if any).
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature, 64 lowercase hex digits.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let canonical: Vec<&str> =
            self.canonical_request
                .split('\n')
                .map(|line| {
                    if line.starts_with("x-amz-security-token:") {
                        "x-amz-security-token:** redacted **"
                    } else if line.starts_with("x-amz-s3session-token:") {
                        "x-amz-s3session-token:** redacted **"
                    } else {
                        line
                    }
                })
                .collect();
        f.debug_struct("SigningOutput")
            .field("headers", &Redacted(&self.headers))
            .field("canonical_request", &canonical.join("\n"))
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .finish()
    }
}

/// Headers with the values of `Authorization` and `X-Amz-Security-Token` hidden.
struct Redacted<'a>(&'a [(String, String)]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let secret = ["x-amz-security-token", "authorization"].iter().any(|s| name.eq_ignore_ascii_case(s));
                (name, if secret { "** redacted **" } else { value.as_str() })
            }))
            .finish()
    }
}

/// Why a request could not be signed. Never holds a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The URL is not an absolute `scheme://host/…` URL, or its port is not a number
    /// from 0 to 65535.
    InvalidUrl(String),
    /// The signing time is before 1970 or after 9999.
    TimeOutOfRange,
    /// A presigned URL's validity is not a whole number of seconds from 1 to 604800
    /// (seven days).
    InvalidExpiry(Duration),
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::InvalidUrl(why) => write!(f, "cannot sign the request: invalid URL: {why}"),
            SigningError::TimeOutOfRange => {
                f.write_str("cannot sign the request: the signing time is not within the years 1970 to 9999")
            }
            SigningError::InvalidExpiry(d) => write!(
                f,
                "cannot presign the request: expiry {d:?} is not a whole number of seconds from 1 to 604800 (7 days)"
            ),
        }
    }
}

impl StdError for SigningError {}

/// Signs a request with an `Authorization` header, as botocore's `S3SigV4Auth.add_auth`
/// (or `SigV4Auth.add_auth` with [`SigningSettings::GENERIC`]).
pub fn sign(request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<SigningOutput, SigningError> {
    let url = Url::parse(request.url)?;
    let time = Timestamp::new(params.time)?;
    let settings = params.settings;

    // `_modify_request_before_signing`: the headers as they are when botocore signs.
    let mut headers: Vec<(String, String)> = request.headers.to_vec();
    let mut set = Vec::new();
    let mut replace = |headers: &mut Vec<(String, String)>, name: &str, value: String| {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.to_owned(), value.clone()));
        set.push((name.to_owned(), value));
    };
    headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
    if headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("date")) {
        // `_set_necessary_date_headers`: a `Date` header wins over `X-Amz-Date`.
        replace(&mut headers, "Date", time.email_date.clone());
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("x-amz-date"));
    } else {
        replace(&mut headers, "X-Amz-Date", time.amz_date.clone());
    }
    // `if self.credentials.token:` — an empty token is no token here (but presigned URLs
    // test `is not None`, and carry an empty `X-Amz-Security-Token=`).
    if let Some(token) = params.credentials.session_token().filter(|token| !token.is_empty()) {
        replace(&mut headers, "X-Amz-Security-Token", token.to_owned());
    }
    let payload = params.payload.value();
    if settings.s3_payload || params.payload == PayloadHash::Unsigned {
        replace(&mut headers, "X-Amz-Content-SHA256", payload.clone());
    }
    // `canonical_request` prefers the header's value to the computed hash.
    let payload = header(&headers, "x-amz-content-sha256").map_or(payload, str::to_owned);

    let canonical = CanonicalRequest::new(request.method, &url, url.query, &headers, &payload, settings);
    let scope = time.scope(params);
    let string_to_sign = string_to_sign(&time, &scope, &canonical.text);
    let signature = signature(params, &time, &string_to_sign);
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        params.credentials.access_key_id(),
        canonical.signed_headers
    );
    set.push(("Authorization".to_owned(), authorization));
    Ok(SigningOutput { headers: set, canonical_request: canonical.text, string_to_sign, signature })
}

/// The first value of a header (ASCII case-insensitive), as `request.headers[name]`.
fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The signing time in the forms signing needs.
struct Timestamp {
    /// `20240506T070809Z` (`SIGV4_TIMESTAMP`).
    amz_date: String,
    /// `Mon, 06 May 2024 07:08:09 -0000`, `email.utils.formatdate` for a `Date` header.
    email_date: String,
}

impl Timestamp {
    fn new(time: SystemTime) -> Result<Self, SigningError> {
        let secs = DateTime::from(time).secs();
        let whole = DateTime::from_secs(secs);
        let iso = whole.fmt(DateTimeFormat::DateTime);
        // `2024-05-06T07:08:09Z`: four-digit years from 1970 only.
        if secs < 0 || iso.len() != 20 {
            return Err(SigningError::TimeOutOfRange);
        }
        let amz_date = iso.chars().filter(|c| !matches!(c, '-' | ':')).collect();
        let http = whole.fmt(DateTimeFormat::HttpDate);
        let email_date = format!("{} -0000", http.trim_end_matches(" GMT"));
        Ok(Timestamp { amz_date, email_date })
    }

    /// `20240506`.
    fn date(&self) -> &str {
        &self.amz_date[..8]
    }

    /// `20240506/us-east-1/s3/aws4_request` (`credential_scope`).
    fn scope(&self, params: &SigningParams<'_>) -> String {
        format!("{}/{}/{}/aws4_request", self.date(), params.region, params.service)
    }
}

/// `string_to_sign`.
fn string_to_sign(time: &Timestamp, scope: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}\n{scope}\n{}", time.amz_date, hex(&Sha256::digest(canonical_request.as_bytes())))
}

/// `signature`: HMAC-SHA256 with the key derived from the secret, date, region and service.
fn signature(params: &SigningParams<'_>, time: &Timestamp, string_to_sign: &str) -> String {
    let secret = format!("AWS4{}", params.credentials.secret_access_key());
    let k_date = hmac_sha256(secret.as_bytes(), time.date());
    let k_region = hmac_sha256(&k_date, params.region);
    let k_service = hmac_sha256(&k_region, params.service);
    let k_signing = hmac_sha256(&k_service, "aws4_request");
    hex(&hmac_sha256(&k_signing, string_to_sign))
}

fn hmac_sha256(key: &[u8], message: &str) -> [u8; 32] {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "token-that-must-not-leak";

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn timestamps() {
        let t = Timestamp::new(at(1_440_938_160) + Duration::from_millis(999)).unwrap();
        assert_eq!(t.amz_date, "20150830T123600Z");
        assert_eq!(t.date(), "20150830");
        assert_eq!(t.email_date, "Sun, 30 Aug 2015 12:36:00 -0000");
        assert_eq!(Timestamp::new(at(253_402_300_800)).err(), Some(SigningError::TimeOutOfRange));
        assert_eq!(Timestamp::new(UNIX_EPOCH - Duration::from_secs(1)).err(), Some(SigningError::TimeOutOfRange));
    }

    #[test]
    fn signing_key_matches_the_aws_example() {
        // The derived-key example of the SigV4 documentation ("Examples of how to derive
        // a signing key"): 20120215, us-east-1, iam.
        let secret = format!("AWS4{SECRET}");
        let k = hmac_sha256(
            &hmac_sha256(&hmac_sha256(&hmac_sha256(secret.as_bytes(), "20120215"), "us-east-1"), "iam"),
            "aws4_request",
        );
        assert_eq!(hex(&k), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    }

    #[test]
    fn secrets_stay_out_of_debug_and_errors() {
        let credentials = Credentials::new("AKID", SECRET, Some(TOKEN.to_owned()));
        let headers = vec![
            ("X-Amz-Security-Token".to_owned(), TOKEN.to_owned()),
            ("Authorization".to_owned(), "AWS4 x".to_owned()),
        ];
        let request = SignableRequest { method: "GET", url: "https://h/b/k", headers: &headers };
        let params = SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service: "s3",
            time: at(1_700_000_000),
            payload: PayloadHash::Bytes(b"body"),
            settings: SigningSettings::S3,
        };
        let output = sign(&request, &params).unwrap();
        assert!(output.canonical_request().contains(TOKEN));
        for shown in [format!("{output:?}"), format!("{request:?}"), format!("{params:?}")] {
            assert!(!shown.contains(TOKEN) && !shown.contains(SECRET), "{shown}");
        }
        assert!(format!("{params:?}").contains("Bytes(4 bytes)"));
        let bad = SignableRequest { url: "https://h:port/", ..request };
        let err = sign(&bad, &params).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot sign the request: invalid URL: port \"port\" is not a number from 0 to 65535"
        );
    }

    #[test]
    fn empty_session_token_is_not_sent_but_is_presigned() {
        // Expected values from botocore 1.44.8 (`Credentials('AKID', 'S', '')`).
        let credentials = Credentials::new("AKID", "S", Some(String::new()));
        let request = SignableRequest { method: "GET", url: "https://h/b/k", headers: &[] };
        let params = SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service: "s3",
            time: at(1_700_000_000),
            payload: PayloadHash::Unsigned,
            settings: SigningSettings::S3,
        };
        let output = sign(&request, &params).unwrap();
        assert!(!output.headers().iter().any(|(name, _)| name == "X-Amz-Security-Token"));
        let url = presign(&request, &params, Duration::from_secs(60)).unwrap();
        let expected = concat!(
            "https://h/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20231114%2Fus-east-1%2Fs3%2F",
            "aws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=",
            "&X-Amz-Signature=9287d47f53a7fa164a569615a5620b9e6b3d78772ef9469a58347d3c5e2fe976"
        );
        assert_eq!(url, expected);
    }

    #[test]
    fn apply_to_edits_headers_as_botocore() {
        let credentials = Credentials::new("AKID", SECRET, None);
        let mut headers: Vec<(String, String)> = [
            ("date", "old"),
            ("X-Amz-Date", "old"),
            ("A", "1"),
            ("authorization", "old"),
            ("x-amz-content-sha256", "old"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let request = SignableRequest { method: "GET", url: "http://h/b", headers: &headers };
        let params = SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service: "s3",
            time: at(1_700_000_000),
            payload: PayloadHash::Bytes(b""),
            settings: SigningSettings::S3,
        };
        let output = sign(&request, &params).unwrap();
        let names: Vec<&str> = output.headers().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Date", "X-Amz-Content-SHA256", "Authorization"]);
        let expected = concat!(
            "AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1/s3/aws4_request, ",
            "SignedHeaders=a;date;host;x-amz-content-sha256, Signature="
        );
        assert!(output.authorization().starts_with(expected), "{}", output.authorization());
        output.apply_to(&mut headers);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["A", "Date", "X-Amz-Content-SHA256", "Authorization"]);
        assert_eq!(headers[1].1, "Tue, 14 Nov 2023 22:13:20 -0000");
        assert_eq!(headers[2].1, EMPTY_SHA256);
    }
}
