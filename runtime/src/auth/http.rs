//! The small HTTP requests credential providers make (IMDS, the container endpoint,
//! STS, SSO): one request, a whole (size-capped) body, an overall timeout. No retries
//! here: each provider retries as its botocore counterpart does.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::transport::{HttpClient, HyperClient, TransportSettings};
use crate::ByteStream;

/// The largest response body a credential provider reads (credentials documents are a
/// few KiB; a bigger answer is not what we asked for).
const MAX_BODY: usize = 1024 * 1024;

/// A response, read whole.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    #[allow(dead_code)] // for providers that read response headers (none yet)
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Response {
    #[allow(dead_code)] // for providers that read response headers (none yet)
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text, lossily.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a provider's request got no response. The message never holds a header value
/// (tokens travel in headers).
#[derive(Debug)]
pub(crate) struct RequestFailed {
    pub message: String,
    /// No connection could be made or no answer came in time: for IMDS, "not on EC2".
    pub unreachable: bool,
}

impl std::fmt::Display for RequestFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A client with short timeouts for metadata endpoints, or the default one for STS and
/// SSO, shared by the providers of one chain.
pub(crate) fn client(connect: Duration, read: Duration) -> Arc<dyn HttpClient> {
    Arc::new(HyperClient::new(&TransportSettings {
        connect_timeout: Some(connect),
        read_timeout: Some(read),
        pool_idle_timeout: Duration::from_secs(30),
        ..TransportSettings::default()
    }))
}

/// Sends one request and reads its body whole, all within `timeout`.
pub(crate) async fn send(
    client: &dyn HttpClient,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Bytes,
    timeout: Duration,
) -> Result<Response, RequestFailed> {
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    if !matches!(method, "GET" | "HEAD") || !body.is_empty() {
        builder = builder.header("content-length", body.len().to_string());
    }
    let request = builder
        .body(ByteStream::from(body))
        .map_err(|e| RequestFailed { message: format!("invalid request to {url}: {e}"), unreachable: false })?;
    let exchange = async {
        let response = client.call(request).await.map_err(|e| {
            use crate::transport::DispatchErrorKind::{Connect, Timeout};
            RequestFailed {
                message: format!("{url}: {e}"),
                unreachable: matches!(e.kind(), Connect | Timeout),
            }
        })?;
        let (parts, mut body) = response.into_parts();
        let mut data = Vec::new();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| RequestFailed { message: format!("{url}: reading the response: {e}"), unreachable: false })?;
            if data.len() + chunk.len() > MAX_BODY {
                return Err(RequestFailed {
                    message: format!("{url}: the response is larger than {MAX_BODY} bytes"),
                    unreachable: false,
                });
            }
            data.extend_from_slice(&chunk);
        }
        Ok(Response { status: parts.status.as_u16(), headers: parts.headers, body: Bytes::from(data) })
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(RequestFailed { message: format!("{url}: no complete answer within {timeout:?}"), unreachable: true }),
    }
}
