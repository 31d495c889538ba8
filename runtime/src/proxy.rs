//! HTTP proxies for the default client: which requests go through a proxy (hyper-util's
//! `proxy::matcher`), an HTTP `CONNECT` tunnel for `https` targets (hyper-util's
//! `Tunnel`), and absolute-form requests for `http` targets, with basic auth from the
//! proxy URL's user information.
//!
//! The settings are botocore's: `https_proxy` / `HTTPS_PROXY` for `https` URLs,
//! `http_proxy` / `HTTP_PROXY` for `http` URLs, `no_proxy` / `NO_PROXY` (comma-separated
//! host names, matched on the name and its subdomains, `*` for all; hyper-util also
//! takes IP addresses and CIDR ranges, which Python's `proxy_bypass` does not), the
//! lowercase variable first, as Python's `getproxies`. `ALL_PROXY` is not read (botocore
//! looks proxies up by scheme only). A proxy URL without a scheme is `http://`. The proxy
//! itself is reached over plain HTTP; an `https://` proxy URL fails the request.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tower_service::Service;

use crate::byte_stream::BoxError;
use crate::transport::BoxFuture;

/// Which proxies the default client uses. The default reads the environment
/// ([`ProxyConfig::from_env`]); [`ProxyConfig::none`] uses none.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<String>,
    https: Option<String>,
    no_proxy: Option<String>,
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Proxy URLs may carry a password: only their host is shown.
        f.debug_struct("ProxyConfig")
            .field("http", &self.http.as_deref().map(redacted))
            .field("https", &self.https.as_deref().map(redacted))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// A proxy URL with its user information replaced by `***`.
fn redacted(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    match url[start..end].rfind('@') {
        Some(at) => format!("{}***@{}", &url[..start], &url[start + at + 1..]),
        None => url.to_owned(),
    }
}

impl ProxyConfig {
    /// No proxy at all.
    pub fn none() -> Self {
        ProxyConfig::default()
    }

    /// The proxies of the environment, read as botocore reads them (see the module docs).
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// The proxies of a set of environment variables.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        // Python's `getproxies_environment`: the lowercase name wins, even when empty.
        let get = |lower: &str| match var(lower) {
            Some(value) => Some(value).filter(|v| !v.is_empty()),
            None => var(&lower.to_ascii_uppercase()).filter(|v| !v.is_empty()),
        };
        ProxyConfig { http: get("http_proxy"), https: get("https_proxy"), no_proxy: get("no_proxy") }
    }

    /// Sends `https` requests through `url` (a `CONNECT` tunnel).
    pub fn https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(url.into());
        self
    }

    /// Sends `http` requests through `url` (absolute-form requests).
    pub fn http(mut self, url: impl Into<String>) -> Self {
        self.http = Some(url.into());
        self
    }

    /// Hosts reached directly: comma-separated names (each with its subdomains), IP
    /// addresses or CIDR ranges, or `*`.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// Whether any proxy is set.
    pub fn is_empty(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    pub(crate) fn matcher(&self) -> Option<Arc<Matcher>> {
        if self.is_empty() {
            return None;
        }
        // botocore's `_fix_proxy_url`: no scheme means `http://`.
        let fix = |url: &str| if url.contains("://") { url.to_owned() } else { format!("http://{}", url.trim_start_matches("//")) };
        let mut builder = Matcher::builder();
        if let Some(url) = &self.http {
            builder = builder.http(fix(url));
        }
        if let Some(url) = &self.https {
            builder = builder.https(fix(url));
        }
        if let Some(hosts) = &self.no_proxy {
            builder = builder.no(hosts.clone());
        }
        Some(Arc::new(builder.build()))
    }
}

/// The `Proxy-Authorization` header for an `http` request sent through a proxy.
pub(crate) fn http_proxy_auth(matcher: &Matcher, uri: &Uri) -> Option<http::HeaderValue> {
    if uri.scheme_str() != Some("http") {
        return None;
    }
    matcher.intercept(uri)?.basic_auth().cloned()
}

/// Connects directly, through a `CONNECT` tunnel (`https` targets), or to the proxy
/// (`http` targets, marked as proxied so that requests are sent in absolute form).
#[derive(Clone)]
pub(crate) struct ProxyConnector<R> {
    pub(crate) http: HttpConnector<R>,
    pub(crate) proxies: Option<Arc<Matcher>>,
}

impl<R> Service<Uri> for ProxyConnector<R>
where
    R: Service<hyper_util::client::legacy::connect::dns::Name> + Clone + Send + Sync + 'static,
    R::Response: Iterator<Item = std::net::SocketAddr>,
    R::Error: Into<BoxError>,
    R::Future: Send,
{
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<ProxyStream, BoxError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let intercept = self.proxies.as_ref().and_then(|m| m.intercept(&dst));
        let mut http = self.http.clone();
        Box::pin(async move {
            let Some(proxy) = intercept else {
                return Ok(ProxyStream { io: http.call(dst).await?, proxied: false });
            };
            if proxy.uri().scheme_str() == Some("https") {
                return Err("an `https://` proxy URL is not supported: the proxy is reached over plain HTTP (use `http://`)".into());
            }
            if dst.scheme_str() == Some("https") {
                let mut tunnel = hyper_util::client::legacy::connect::proxy::Tunnel::new(proxy.uri().clone(), http);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                std::future::poll_fn(|cx| tunnel.poll_ready(cx)).await?;
                let io = tunnel.call(dst).await?;
                return Ok(ProxyStream { io, proxied: false });
            }
            Ok(ProxyStream { io: http.call(proxy.uri().clone()).await?, proxied: true })
        })
    }
}

/// A TCP connection, to the target or to a proxy.
pub(crate) struct ProxyStream {
    io: TokioIo<tokio::net::TcpStream>,
    proxied: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: hyper::rt::ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }
    // Passed through, or hyper would copy every body byte into its write buffer.
    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[std::io::IoSlice<'_>]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// hyper copies every body byte into its own buffer unless the connection takes
    /// vectored writes: the wrapper must say so and pass them through.
    #[test]
    fn connections_take_vectored_writes() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let accept = tokio::spawn(async move {
                let (mut socket, _) = listener.accept().await.unwrap();
                let mut got = Vec::new();
                tokio::io::AsyncReadExt::read_to_end(&mut socket, &mut got).await.unwrap();
                got
            });
            let mut connector = ProxyConnector { http: HttpConnector::new(), proxies: None };
            let mut stream = connector.call(format!("http://{addr}/").parse().unwrap()).await.unwrap();
            assert!(hyper::rt::Write::is_write_vectored(&stream));
            let bufs = [std::io::IoSlice::new(b"abc"), std::io::IoSlice::new(b"def")];
            let mut sent = 0;
            while sent < 6 {
                let n = std::future::poll_fn(|cx| hyper::rt::Write::poll_write_vectored(Pin::new(&mut stream), cx, &bufs)).await.unwrap();
                assert_eq!(n, 6, "both slices in one write");
                sent += n;
            }
            std::future::poll_fn(|cx| hyper::rt::Write::poll_shutdown(Pin::new(&mut stream), cx)).await.unwrap();
            drop(stream);
            assert_eq!(accept.await.unwrap(), b"abcdef");
        });
    }

    #[test]
    fn lowercase_variables_win_as_in_python() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        let config = ProxyConfig::from_vars(vars(&[("HTTPS_PROXY", "http://upper:1"), ("https_proxy", "http://lower:2"), ("NO_PROXY", "a.example")]));
        assert_eq!(config, ProxyConfig::none().https("http://lower:2").no_proxy("a.example"));
        // An empty lowercase variable turns the proxy off.
        let config = ProxyConfig::from_vars(vars(&[("HTTP_PROXY", "http://upper:1"), ("http_proxy", "")]));
        assert!(config.is_empty());
    }

    #[test]
    fn passwords_are_not_in_debug() {
        let config = ProxyConfig::none().https("http://user:hunter2@proxy:3128");
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("user"), "{shown}");
        assert!(shown.contains("http://***@proxy:3128"), "{shown}");
    }

    #[test]
    fn no_proxy_hosts_and_schemes_are_matched() {
        let matcher = ProxyConfig::none().https("proxy:3128").no_proxy("internal.example,127.0.0.1").matcher().unwrap();
        let via = |url: &str| matcher.intercept(&url.parse().unwrap()).map(|i| i.uri().to_string());
        assert_eq!(via("https://s3.amazonaws.com/b").as_deref(), Some("http://proxy:3128/"));
        assert_eq!(via("https://b.internal.example/k"), None);
        assert_eq!(via("https://127.0.0.1:9000/k"), None);
        // No `http_proxy`: plain HTTP goes direct.
        assert_eq!(via("http://s3.amazonaws.com/b"), None);
    }
}
