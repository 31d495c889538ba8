//! A mock transport for unit tests of code that uses the client: canned responses by
//! operation or by predicate, and a record of every request sent (method, URL, headers,
//! body). No socket, no server. With the `test-util` feature (of this crate or of `s3`).
//!
//! ```
//! use s3_runtime::test_util::{MockResponse, MockTransport};
//!
//! let mock = MockTransport::new()
//!     // The first GetObject gets a 503 (retried), the second the object.
//!     .on("GetObject", [MockResponse::s3_error(503, "SlowDown", "Please reduce your request rate."), MockResponse::ok().body("hello")])
//!     // Any PUT to a key under `logs/` is refused.
//!     .on_request(|r| r.method == "PUT" && r.url.contains("/logs/"), [MockResponse::s3_error(403, "AccessDenied", "Access Denied")]);
//! // Give `mock.clone()` to the client (`Config::builder().http_client(...)`), then
//! // look at `mock.requests()`.
//! # assert!(mock.requests().is_empty());
//! ```
//!
//! Rules are tried in the order they were added; a rule answers with its responses in
//! order, one per request, and then no longer matches ([`MockTransport::always`] answers
//! every time). A request no rule answers fails, naming its operation, method and URL,
//! and is not retried.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::telemetry::OperationName;
use crate::transport::{BoxFuture, DispatchError, DispatchErrorKind, HttpClient};
use crate::ByteStream;

/// A request as the mock transport received it: signed, with every header sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The operation, such as `PutObject` (`None` for requests not sent by an operation).
    pub operation: Option<&'static str>,
    /// The HTTP method.
    pub method: String,
    /// The full URL, with its query.
    pub url: String,
    /// The headers, in order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as sent (`aws-chunked` framing included).
    pub body: Bytes,
    /// When it came, on Tokio's clock: virtual time under a paused clock
    /// (`#[tokio::test(start_paused = true)]`), so retry delays can be checked exactly.
    pub sent_at: tokio::time::Instant,
}

impl RecordedRequest {
    /// The first value of a header (the name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A canned answer: a response, or a failure to get one.
#[derive(Clone, Debug)]
pub struct MockResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    failure: Option<DispatchErrorKind>,
}

impl MockResponse {
    /// `200 OK` with an empty body.
    pub fn ok() -> Self {
        MockResponse::status(200)
    }
    /// A response with this status and an empty body.
    pub fn status(status: u16) -> Self {
        MockResponse { status, headers: Vec::new(), body: Bytes::new(), failure: None }
    }
    /// The same, with this body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
    /// The same, with this header added.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    /// The same, with `x-amz-request-id` and `x-amz-id-2`.
    pub fn request_ids(self, request_id: &str, extended_request_id: &str) -> Self {
        self.header("x-amz-request-id", request_id).header("x-amz-id-2", extended_request_id)
    }
    /// An S3 error response: `status` with the `<Error>` document S3 sends (`Code`,
    /// `Message`, `RequestId`, `HostId`), the request ids also in the headers.
    pub fn s3_error(status: u16, code: &str, message: &str) -> Self {
        let (request_id, host_id) = ("MOCKREQUESTID", "mock-extended-request-id");
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{request_id}</RequestId><HostId>{host_id}</HostId></Error>",
            escape(code),
            escape(message),
        );
        MockResponse::status(status).header("content-type", "application/xml").request_ids(request_id, host_id).body(body)
    }
    /// No response: the request fails as a connection of this kind would
    /// ([`DispatchErrorKind::Io`] and the others but `Request` are retried).
    pub fn failure(kind: DispatchErrorKind) -> Self {
        MockResponse { failure: Some(kind), ..MockResponse::ok() }
    }
}

/// Text for an XML element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

type Predicate = Box<dyn Fn(&RecordedRequest) -> bool + Send + Sync>;

struct Rule {
    operation: Option<String>,
    predicate: Option<Predicate>,
    responses: VecDeque<MockResponse>,
    repeat: bool,
}

impl Rule {
    fn matches(&self, request: &RecordedRequest) -> bool {
        !self.responses.is_empty()
            && self.operation.as_deref().is_none_or(|op| request.operation == Some(op))
            && self.predicate.as_ref().is_none_or(|p| p(request))
    }
}

#[derive(Default)]
struct Inner {
    rules: Mutex<Vec<Rule>>,
    requests: Mutex<Vec<RecordedRequest>>,
}

/// An [`HttpClient`] that answers from rules and records what it is sent. Clones share
/// rules and records: give one to the client, keep one to look at.
#[derive(Clone, Default)]
pub struct MockTransport {
    inner: Arc<Inner>,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockTransport").field("requests", &self.inner.requests.lock().unwrap().len()).finish_non_exhaustive()
    }
}

impl MockTransport {
    /// A transport with no rules.
    pub fn new() -> Self {
        MockTransport::default()
    }
    fn push(self, operation: Option<&str>, predicate: Option<Predicate>, responses: VecDeque<MockResponse>, repeat: bool) -> Self {
        let rule = Rule { operation: operation.map(str::to_owned), predicate, responses, repeat };
        self.inner.rules.lock().unwrap().push(rule);
        self
    }
    /// Answers requests of `operation` (such as `GetObject`) with `responses`, in order.
    pub fn on(self, operation: &str, responses: impl IntoIterator<Item = MockResponse>) -> Self {
        self.push(Some(operation), None, responses.into_iter().collect(), false)
    }
    /// Answers requests for which `predicate` holds with `responses`, in order.
    pub fn on_request(
        self,
        predicate: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
        responses: impl IntoIterator<Item = MockResponse>,
    ) -> Self {
        self.push(None, Some(Box::new(predicate)), responses.into_iter().collect(), false)
    }
    /// Answers every request of `operation` with `response`, however many come.
    pub fn always(self, operation: &str, response: MockResponse) -> Self {
        self.push(Some(operation), None, VecDeque::from([response]), true)
    }
    /// Answers with `response` every request no other rule answers (rules added after
    /// this one are never reached).
    pub fn otherwise(self, response: MockResponse) -> Self {
        self.push(None, None, VecDeque::from([response]), true)
    }
    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.requests.lock().unwrap().clone()
    }
    /// How many canned responses are left unused (`always` rules count once).
    pub fn unused_responses(&self) -> usize {
        self.inner.rules.lock().unwrap().iter().map(|r| if r.repeat { 0 } else { r.responses.len() }).sum()
    }
    fn answer(&self, request: &RecordedRequest) -> Option<MockResponse> {
        let mut rules = self.inner.rules.lock().unwrap();
        let rule = rules.iter_mut().find(|rule| rule.matches(request))?;
        if rule.repeat {
            rule.responses.front().cloned()
        } else {
            rule.responses.pop_front()
        }
    }
}

impl HttpClient for MockTransport {
    fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect_bytes()
                .await
                .map_err(|e| DispatchError::new(DispatchErrorKind::Io, "cannot read the request body", Some(Box::new(e))))?;
            let sent_at = tokio::time::Instant::now();
            let recorded = RecordedRequest {
                sent_at,
                operation: parts.extensions.get::<OperationName>().map(|op| op.0),
                method: parts.method.to_string(),
                url: parts.uri.to_string(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect(),
                body,
            };
            let answer = self.answer(&recorded);
            let what = format!("{} {} {}", recorded.operation.unwrap_or("(no operation)"), recorded.method, recorded.url);
            self.inner.requests.lock().unwrap().push(recorded);
            let Some(answer) = answer else {
                return Err(DispatchError::new(
                    DispatchErrorKind::Request,
                    format!("MockTransport: no rule answers {what}"),
                    None,
                ));
            };
            if let Some(kind) = answer.failure {
                return Err(DispatchError::new(kind, format!("MockTransport: {kind:?} failure for {what}"), None));
            }
            let mut response = http::Response::builder().status(answer.status);
            for (name, value) in &answer.headers {
                response = response.header(name.as_str(), value.as_str());
            }
            let length = answer.body.len();
            response = response.header("content-length", length.to_string());
            response.body(ByteStream::from(answer.body)).map_err(|e| {
                DispatchError::new(DispatchErrorKind::InvalidResponse, format!("MockTransport: bad canned response for {what}"), Some(Box::new(e)))
            })
        })
    }
}
