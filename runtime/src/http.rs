//! HTTP messages as the generated serializers produce them, before endpoint resolution,
//! signing and sending.

use crate::ByteStream;

/// A serialized request: method, encoded path and query, headers and body. The host
/// comes later, from endpoint resolution.
#[derive(Debug)]
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

impl HttpRequest {
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
