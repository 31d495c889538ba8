//! Sending requests: the [`HttpClient`] trait, and its default on hyper 1 with rustls
//! (HTTPS for real S3, plain HTTP for local servers), with connection pooling, connect
//! and response timeouts, and `*.localhost` names resolved to the loopback address so
//! virtual-hosted-style requests can be tested locally.

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::byte_stream::BoxError;
use crate::ByteStream;

/// A boxed future, as [`HttpClient::call`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the response head with a streaming body.
///
/// Implement it to plug in another HTTP stack or a test double; the default is
/// [`HyperClient`].
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>>;
}

/// Why a request got no response.
#[derive(Debug)]
pub struct DispatchError {
    kind: DispatchErrorKind,
    message: String,
    source: Option<BoxError>,
}

/// What kind of failure a [`DispatchError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DispatchErrorKind {
    /// No connection could be made (refused, unreachable, DNS, TLS handshake).
    Connect,
    /// The connect or response timeout passed.
    Timeout,
    /// The connection failed while the request or response was in flight.
    Io,
    /// The request could not be built (an invalid URL or header).
    Request,
    /// A response came, but the HTTP parser refused its head: a header name or value
    /// with bytes HTTP does not allow (control characters), or a malformed status line.
    /// Not retried: the server would send the same again.
    InvalidResponse,
    /// The client's settings cannot be used (a CA bundle that cannot be read, an
    /// unsupported proxy URL). Not retried.
    Config,
}

impl DispatchError {
    /// An error of the given kind.
    pub fn new(kind: DispatchErrorKind, message: impl Into<String>, source: Option<BoxError>) -> Self {
        DispatchError { kind, message: message.into(), source }
    }
    /// The kind of failure.
    pub fn kind(&self) -> DispatchErrorKind {
        self.kind
    }
    /// Whether trying again may succeed (everything but a malformed request).
    pub fn is_retryable(&self) -> bool {
        !matches!(self.kind, DispatchErrorKind::Request | DispatchErrorKind::InvalidResponse | DispatchErrorKind::Config)
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DispatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Timeouts and pool settings of the default client, and the limit on response bodies
/// read whole.
#[derive(Clone, Debug)]
pub struct TransportSettings {
    /// How long to wait for a connection (and TLS handshake).
    pub connect_timeout: Option<Duration>,
    /// How long to wait for the response head after the request is sent.
    pub read_timeout: Option<Duration>,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Duration,
    /// The longest response body read whole into memory (every response but object
    /// contents and event streams, error responses included), in bytes; a longer one
    /// is a [`ResponseErrorKind::BodyTooLarge`](crate::ResponseErrorKind) error, not
    /// retried. Default [`DEFAULT_MAX_BUFFERED_BODY`]. This applies with any
    /// [`HttpClient`].
    pub max_buffered_body: u64,
    /// Leave out response headers the HTTP parser refuses (names that are not tokens,
    /// values with control characters other than tab) instead of failing the response
    /// with [`DispatchErrorKind::InvalidResponse`]. Off by default: such a header cannot
    /// be read (hyper refuses the bytes; they are never handed over), so reading the
    /// response without it is the caller's choice.
    pub ignore_invalid_response_headers: bool,
    /// Proxies (see [`crate::proxy`]); from the environment by default.
    pub proxy: crate::proxy::ProxyConfig,
    /// A PEM bundle of the certificate authorities to trust instead of the built-in
    /// ones (botocore's `ca_bundle`, `AWS_CA_BUNDLE`). If it cannot be read, every
    /// request fails with [`DispatchErrorKind::Config`] naming the file.
    pub ca_bundle: Option<std::path::PathBuf>,
    /// Trust the platform's certificate store instead of the built-in Mozilla roots
    /// (needs the `native-roots` feature). A `ca_bundle` wins.
    pub native_roots: bool,
}

/// The default limit on response bodies read whole: 64 MiB. The largest S3 sends are
/// listings of 1000 entries with 1 KiB keys and unpaginated `ListBuckets` of 10,000
/// buckets, a few MiB.
pub const DEFAULT_MAX_BUFFERED_BODY: u64 = 64 << 20;

impl Default for TransportSettings {
    fn default() -> Self {
        TransportSettings {
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(60)),
            pool_idle_timeout: Duration::from_secs(90),
            max_buffered_body: DEFAULT_MAX_BUFFERED_BODY,
            ignore_invalid_response_headers: false,
            proxy: crate::proxy::ProxyConfig::from_env(),
            ca_bundle: None,
            native_roots: false,
        }
    }
}

type Connector = hyper_rustls::HttpsConnector<crate::proxy::ProxyConnector<LoopbackResolver>>;

/// The default [`HttpClient`]: hyper 1 over HTTP/1.1, rustls (ring, webpki roots),
/// connection pooling.
#[derive(Clone)]
pub struct HyperClient {
    client: Client<Connector, ByteStream>,
    read_timeout: Option<Duration>,
    proxies: Option<std::sync::Arc<hyper_util::client::proxy::matcher::Matcher>>,
    /// Why the settings cannot be used (every request fails with it).
    broken: Option<std::sync::Arc<str>>,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient").field("read_timeout", &self.read_timeout).finish_non_exhaustive()
    }
}

impl HyperClient {
    /// A client with the given settings. It needs a Tokio runtime when used.
    pub fn new(settings: &TransportSettings) -> Self {
        let mut http = HttpConnector::new_with_resolver(LoopbackResolver(GaiResolver::new()));
        http.enforce_http(false);
        http.set_connect_timeout(settings.connect_timeout);
        http.set_nodelay(true);
        let (roots, broken) = match crate::trust::root_store(settings) {
            Ok(roots) => (roots, None),
            Err(why) => (rustls::RootCertStore::empty(), Some(std::sync::Arc::from(why))),
        };
        let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let proxies = settings.proxy.matcher();
        let http = crate::proxy::ProxyConnector { http, proxies: proxies.clone() };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(settings.pool_idle_timeout)
            .http1_ignore_invalid_headers_in_responses(settings.ignore_invalid_response_headers)
            .build(https);
        HyperClient { client, read_timeout: settings.read_timeout, proxies, broken }
    }
}

impl Default for HyperClient {
    fn default() -> Self {
        HyperClient::new(&TransportSettings::default())
    }
}

impl HttpClient for HyperClient {
    fn call(&self, mut request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        Box::pin(async move {
            if let Some(why) = &self.broken {
                return Err(DispatchError::new(DispatchErrorKind::Config, why.to_string(), None));
            }
            if let Some(auth) = self.proxies.as_deref().and_then(|m| crate::proxy::http_proxy_auth(m, request.uri())) {
                request.headers_mut().insert(http::header::PROXY_AUTHORIZATION, auth);
            }
            let sending = self.client.request(request);
            let response = match self.read_timeout {
                Some(limit) => tokio::time::timeout(limit, sending).await.map_err(|_| {
                    DispatchError::new(DispatchErrorKind::Timeout, format!("no response within {limit:?}"), None)
                })?,
                None => sending.await,
            };
            let response = response.map_err(classify)?;
            Ok(response.map(ByteStream::from_body))
        })
    }
}

fn classify(err: hyper_util::client::legacy::Error) -> DispatchError {
    if is_parse_error(&err) {
        return DispatchError::new(
            DispatchErrorKind::InvalidResponse,
            "the HTTP parser refused the response head (a header name or value with bytes HTTP does not allow, such as control characters; `ignore_invalid_response_headers` reads the response without such headers)",
            Some(Box::new(err)),
        );
    }
    let kind = if err.is_connect() { DispatchErrorKind::Connect } else { DispatchErrorKind::Io };
    let message = if err.is_connect() { "cannot connect" } else { "the connection failed" };
    DispatchError::new(kind, message, Some(Box::new(err)))
}

/// Whether hyper refused to parse the response (as opposed to a connection failure).
fn is_parse_error(err: &hyper_util::client::legacy::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            return hyper.is_parse() || hyper.is_parse_status();
        }
        source = e.source();
    }
    false
}

/// Resolves `localhost` and `*.localhost` to 127.0.0.1 (RFC 6761), everything else with
/// the system resolver.
#[derive(Clone)]
struct LoopbackResolver(GaiResolver);

impl tower_service::Service<Name> for LoopbackResolver {
    type Response = Box<dyn Iterator<Item = SocketAddr> + Send>;
    type Error = Box<dyn std::error::Error + Send + Sync>;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        if host == "localhost" || host.ends_with(".localhost") {
            let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
            return Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as Self::Response) });
        }
        let lookup = self.0.call(name);
        Box::pin(async move {
            let addrs = lookup.await?;
            Ok(Box::new(addrs) as Self::Response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Serves one canned response on a loopback port, returning the request it read.
    async fn one_shot_server(response: &'static [u8]) -> (u16, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            socket.write_all(response).await.unwrap();
            request
        });
        (port, task)
    }

    #[tokio::test]
    async fn sends_over_plain_http_and_resolves_localhost_names() {
        let (port, server) = one_shot_server(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-amz-request-id: r1\r\n\r\nhi").await;
        let client = HyperClient::default();
        let request = http::Request::get(format!("http://bucket.localhost:{port}/key")).body(ByteStream::default()).unwrap();
        let response = client.call(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-amz-request-id"], "r1");
        assert_eq!(response.into_body().collect().await.unwrap(), b"hi");
        let seen = String::from_utf8(server.await.unwrap()).unwrap();
        assert!(seen.starts_with("GET /key HTTP/1.1\r\n"), "{seen}");
        assert!(seen.to_ascii_lowercase().contains(&format!("host: bucket.localhost:{port}")), "{seen}");
    }

    #[tokio::test]
    async fn refused_connections_are_connect_errors() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let client = HyperClient::default();
        let request = http::Request::get(format!("http://127.0.0.1:{port}/")).body(ByteStream::default()).unwrap();
        let err = client.call(request).await.unwrap_err();
        assert_eq!(err.kind(), DispatchErrorKind::Connect);
        assert!(err.is_retryable());
    }
}
