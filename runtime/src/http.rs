//! HTTP messages as the generated serializers produce them, before endpoint resolution,
//! signing and sending.

use std::fmt;

use crate::{BuildError, ByteStream, IndexMap};

/// A serialized request: method, encoded path and query, headers and body. The host
/// comes later, from endpoint resolution.
///
/// Its `Debug` output never shows secrets: the values of [`SENSITIVE_HEADERS`] are
/// replaced by `*** Sensitive Data Redacted ***`.
pub struct HttpRequest {
    /// `GET`, `PUT`, …
    pub method: &'static str,
    /// The percent-encoded path, starting with `/`, as the model's `requestUri`
    /// renders it (the bucket is still in it; endpoint resolution may move it into the
    /// host).
    pub path: String,
    /// Query parameters in order, not yet encoded; `None` for a bare key such as
    /// `?uploads`.
    pub query: Vec<(String, Option<String>)>,
    /// Headers in order; names as the model spells them.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: RequestBody,
    /// A prefix for the host, such as `route-1.` (WriteGetObjectResponse).
    pub host_prefix: Option<String>,
}

/// The body of a request.
#[derive(Debug, Default)]
pub enum RequestBody {
    /// No body.
    #[default]
    Empty,
    /// A body held in memory (XML documents, small blobs).
    Bytes(Vec<u8>),
    /// A streaming body (object contents).
    Stream(ByteStream),
}

/// Headers whose values are secrets, never shown by `Debug` (names compared ignoring
/// ASCII case): SSE-C keys, the signature and the session token.
pub const SENSITIVE_HEADERS: &[&str] = &[
    "x-amz-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key",
    "authorization",
    "x-amz-security-token",
];

/// Whether the value of header `name` is a secret ([`SENSITIVE_HEADERS`]).
pub fn is_sensitive_header(name: &str) -> bool {
    SENSITIVE_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Headers, with sensitive values redacted, for `Debug`.
struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let value: &dyn fmt::Debug = if is_sensitive_header(name) { &"*** Sensitive Data Redacted ***" } else { value };
                (name, value)
            }))
            .finish()
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .field("host_prefix", &self.host_prefix)
            .finish()
    }
}

/// Why a header value cannot be sent, if it cannot: HTTP allows visible characters,
/// spaces, tabs and bytes past ASCII, not line breaks or other control characters.
pub fn header_value_problem(value: &str) -> Option<String> {
    let (at, c) = value.char_indices().find(|&(_, c)| (c < ' ' && c != '\t') || c == '\u{7f}')?;
    let what = match c {
        '\r' => "a carriage return (CR)".to_owned(),
        '\n' => "a line feed (LF)".to_owned(),
        c => format!("the control character U+{:04X}", c as u32),
    };
    Some(format!("{what} at byte {at} cannot be sent in an HTTP header"))
}

/// Whether `name` is an HTTP token (RFC 9110 `tchar`s), which a header name must be.
pub fn is_http_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl HttpRequest {
    /// Adds the header that input member `member` of `shape` is bound to, refusing a
    /// value HTTP cannot carry (a [`BuildError`] that names the member).
    pub fn push_member_header(
        &mut self,
        shape: &'static str,
        member: &'static str,
        name: &'static str,
        value: String,
    ) -> Result<(), BuildError> {
        if let Some(problem) = header_value_problem(&value) {
            return Err(BuildError::invalid_field(shape, member, problem));
        }
        self.headers.push((name.to_owned(), value));
        Ok(())
    }

    /// Adds a header `prefix` + key for each entry of map member `member` of `shape`
    /// (user metadata: `x-amz-meta-*`), refusing keys that are not HTTP tokens and
    /// values HTTP cannot carry.
    pub fn push_prefix_headers(
        &mut self,
        shape: &'static str,
        member: &'static str,
        prefix: &'static str,
        map: &IndexMap<String, String>,
    ) -> Result<(), BuildError> {
        for (key, value) in map {
            if !is_http_token(key) {
                return Err(BuildError::invalid_field(
                    shape,
                    member,
                    format!("the key {key:?} cannot be part of an HTTP header name: use letters, digits and !#$%&'*+-.^_`|~"),
                ));
            }
            if let Some(problem) = header_value_problem(value) {
                return Err(BuildError::invalid_field(shape, member, format!("the value of {key:?}: {problem}")));
            }
            self.headers.push((format!("{prefix}{key}"), value.clone()));
        }
        Ok(())
    }

    /// Refuses a request whose `Content-Length` header (input member `member` of
    /// `shape`) differs from the length of its body, when that length is known: the
    /// request would send a truncated body, or wait for bytes that never come.
    pub fn check_content_length(&self, shape: &'static str, member: &'static str) -> Result<(), BuildError> {
        let Some(declared) = self.header("Content-Length") else { return Ok(()) };
        let actual = match &self.body {
            // No body at all: a presigned request declares the length of the body the
            // caller will send with the URL. `orchestrator::send` refuses to *send* a
            // declared length with no body.
            RequestBody::Empty => None,
            RequestBody::Stream(stream) if stream.is_unset() => None,
            RequestBody::Bytes(bytes) => Some(bytes.len() as u64),
            RequestBody::Stream(stream) => stream.size_hint(),
        };
        match (declared.trim().parse::<u64>(), actual) {
            (Ok(declared), Some(actual)) if declared != actual => Err(BuildError::invalid_field(
                shape,
                member,
                format!("is {declared}, but the body is {actual} bytes long"),
            )),
            (Err(_), _) => Err(BuildError::invalid_field(shape, member, format!("{declared:?} is not a length"))),
            _ => Ok(()),
        }
    }

    /// A request with the given method and encoded path, and nothing else.
    pub fn new(method: &'static str, path: String) -> Self {
        HttpRequest { method, path, query: Vec::new(), headers: Vec::new(), body: RequestBody::Empty, host_prefix: None }
    }

    /// Adds a query parameter.
    pub fn push_query(&mut self, name: impl Into<String>, value: Option<String>) {
        self.query.push((name.into(), value));
    }

    /// Adds a header.
    pub fn push_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// The value of the first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A response as the transport hands it to the generated deserializers.
#[derive(Debug)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Headers in order, as received.
    pub headers: Vec<(String, String)>,
    /// The body: collected in memory for XML responses, streaming for object contents.
    pub body: ByteStream,
}

impl HttpResponse {
    /// A response with the given status, headers and body.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<ByteStream>) -> Self {
        HttpResponse { status, headers, body: body.into() }
    }

    /// The value of the first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The headers whose names start with `prefix` (ASCII case-insensitive), as
    /// (name without the prefix, value), like botocore's `_parse_header_map`.
    pub fn headers_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.headers.iter().filter_map(move |(name, value)| {
            let head = name.get(..prefix.len())?;
            head.eq_ignore_ascii_case(prefix).then(|| (&name[prefix.len()..], value.as_str()))
        })
    }
}
