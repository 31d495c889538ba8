//! Presigning: a URL for any operation that someone without credentials can use
//! ([`PresigningConfig`], [`PresignedRequest`], built by each fluent builder's
//! `presigned()` through [`orchestrator::presign`](crate::orchestrator::presign)), and S3's
//! browser-based upload form ([`PresignedPostBuilder`], `Client::presigned_post()`).
//!
//! Both follow botocore 1.44.8 with SigV4 (`signature_version='s3v4'`):
//! `generate_presigned_url` (`S3SigV4QueryAuth`) and `generate_presigned_post`
//! (`S3SigV4PostAuth`). A presigned URL is the request `send()` would make — the same
//! serializer, S3 handlers and endpoint resolution — except for what botocore only adds
//! when it sends: no default flexible checksum (`x-amz-sdk-checksum-algorithm: CRC32`,
//! checksum values, `aws-chunked`), no `x-amz-checksum-mode: ENABLED`, no
//! `Expect: 100-continue`, no `User-Agent`. The body is never part of the URL and the
//! payload is signed as `UNSIGNED-PAYLOAD`. Every header of the request is signed, so the
//! caller must send [`PresignedRequest::headers`] with the URL (SSE-C keys, a chosen
//! `Content-Type`, `x-amz-meta-*`, …).

mod post;

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use crate::auth::{Credentials, CredentialsError, ProvideCredentials};
use crate::endpoint::EndpointError;
use crate::http::HttpRequest;
use crate::orchestrator::{SendContext, SendError, SigningScheme, Target};
use crate::{BuildError, SdkError};
use crate::sigv4::{self, PayloadHash, SignableRequest, SigningParams, SigningSettings};

pub use post::{PostCondition, PresignedPost, PresignedPostBuilder, ResolveTarget};

/// The longest validity SigV4 allows a presigned URL or POST policy: seven days.
pub const MAX_EXPIRES_IN: Duration = sigv4::MAX_PRESIGNED_EXPIRY;

/// How long a presigned request is valid, and from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PresigningConfig {
    expires_in: Duration,
    start_time: Option<SystemTime>,
}

impl PresigningConfig {
    /// Valid for `expires_in` from now: a whole number of seconds from 1 to 604800
    /// (seven days); anything else is refused.
    pub fn expires_in(expires_in: Duration) -> Result<Self, PresigningConfigError> {
        Self::builder().expires_in(expires_in).build()
    }

    /// A builder, to set a start time too.
    pub fn builder() -> PresigningConfigBuilder {
        PresigningConfigBuilder::default()
    }

    /// The validity.
    pub fn expires(&self) -> Duration {
        self.expires_in
    }

    /// The signing time, if fixed (otherwise the time of presigning).
    pub fn start_time(&self) -> Option<SystemTime> {
        self.start_time
    }

    /// The signing time: [`start_time`](Self::start_time), or now.
    pub fn signing_time(&self) -> SystemTime {
        self.start_time.unwrap_or_else(SystemTime::now)
    }

    /// This validity, starting at `now` unless a start time is set: a client presigns
    /// with its clock corrected by the offset it learned from the service (see
    /// [`crate::clock_skew`]), so a URL signed on a skewed machine is valid when S3 reads it.
    pub(crate) fn starting_by_default(self, now: SystemTime) -> Self {
        PresigningConfig { start_time: Some(self.start_time.unwrap_or(now)), ..self }
    }
}

/// Builds a [`PresigningConfig`].
#[derive(Clone, Copy, Debug, Default)]
pub struct PresigningConfigBuilder {
    expires_in: Option<Duration>,
    start_time: Option<SystemTime>,
}

impl PresigningConfigBuilder {
    /// How long the request is valid: whole seconds, 1 s to 7 days. Required.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = Some(expires_in);
        self
    }

    /// The signing time (the validity starts then), instead of the time of presigning:
    /// for tests, or a URL that becomes valid later.
    pub fn start_time(mut self, start_time: SystemTime) -> Self {
        self.start_time = Some(start_time);
        self
    }

    /// Checks the validity.
    pub fn build(self) -> Result<PresigningConfig, PresigningConfigError> {
        let expires_in = self.expires_in.ok_or(PresigningConfigError::MissingExpiry)?;
        if expires_in.is_zero() || expires_in.subsec_nanos() != 0 || expires_in > MAX_EXPIRES_IN {
            return Err(PresigningConfigError::InvalidExpiry(expires_in));
        }
        Ok(PresigningConfig { expires_in, start_time: self.start_time })
    }
}

/// A [`PresigningConfig`] that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PresigningConfigError {
    /// `expires_in` was not set.
    MissingExpiry,
    /// `expires_in` is not a whole number of seconds from 1 to 604800.
    InvalidExpiry(Duration),
}

impl fmt::Display for PresigningConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PresigningConfigError::MissingExpiry => f.write_str("presigning: `expires_in` is not set"),
            PresigningConfigError::InvalidExpiry(d) => write!(
                f,
                "presigning: `expires_in` of {d:?} is invalid: it must be a whole number of seconds from 1 s to \
                 604800 s (7 days)"
            ),
        }
    }
}

impl std::error::Error for PresigningConfigError {}

/// A presigned request: whoever has it can send it, without credentials, until it
/// expires. The URL carries the signature; the headers were signed too and must be sent
/// as they are.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
}

impl PresignedRequest {
    /// `GET`, `PUT`, …
    pub fn method(&self) -> &str {
        self.method
    }

    /// The full URL, signature included.
    pub fn uri(&self) -> &str {
        &self.url
    }

    /// The full URL, signature included (same as [`uri`](Self::uri)).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers that were signed and must be sent with the URL (SSE-C headers, a
    /// `Content-Type` or `x-amz-meta-*` the caller chose, `x-amz-sdk-checksum-algorithm`,
    /// …); `Host` is not listed (it comes from the URL).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The request as an `http::Request` with `body`.
    pub fn into_http_request<B>(self, body: B) -> Result<http::Request<B>, http::Error> {
        let mut builder = http::Request::builder().method(self.method).uri(self.url);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder.body(body)
    }
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL holds a session token, if any: it is a bearer credential until it
        // expires, so it is not shown.
        let url = match self.url.find("X-Amz-Security-Token=") {
            Some(i) => format!("{}X-Amz-Security-Token=** redacted **", &self.url[..i]),
            None => self.url.clone(),
        };
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let secret = n.to_ascii_lowercase().contains("customer-key") && !n.to_ascii_lowercase().ends_with("md5");
                (n.as_str(), if secret { "** redacted **" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("PresignedRequest").field("method", &self.method).field("url", &url).field("headers", &headers).finish()
    }
}

/// What a fluent builder's `presigned()` returns: a future of the presigned request, or
/// of the error that stopped it (invalid input, no endpoint, no credentials).
///
/// It is not generic where it matters: the work is one boxed, non-generic future
/// ([`orchestrator::presign`](crate::orchestrator::presign)); `E`, the operation's error
/// type, only names the result, so that the per-operation code stays a few lines.
#[must_use = "futures do nothing unless awaited"]
pub struct PresignFuture<E> {
    state: PresignState,
    _error: PhantomData<fn() -> E>,
}

type BoxPresign = Pin<Box<dyn Future<Output = Result<PresignedRequest, SendError>> + Send>>;

enum PresignState {
    /// Refused before signing; `None` once reported.
    Failed(Option<SdkError<Infallible>>),
    /// Fetching credentials and signing.
    Pending(BoxPresign),
}

impl<E> PresignFuture<E> {
    /// Presigns `request` for `target` with `ctx`'s credentials; an error from
    /// serializing the input or resolving the endpoint is reported instead, in that
    /// order. Generated code calls this.
    #[inline]
    pub fn new(
        ctx: &SendContext,
        request: Result<HttpRequest, BuildError>,
        target: Result<Target, EndpointError>,
        config: PresigningConfig,
    ) -> Self {
        PresignFuture { state: PresignState::start(ctx, request, target, config), _error: PhantomData }
    }
}

impl PresignState {
    fn start(
        ctx: &SendContext,
        request: Result<HttpRequest, BuildError>,
        target: Result<Target, EndpointError>,
        config: PresigningConfig,
    ) -> Self {
        let request = match request {
            Ok(request) => request,
            Err(err) => return PresignState::Failed(Some(err.into())),
        };
        let target = match target {
            Ok(target) => target,
            Err(err) => return PresignState::Failed(Some(err.into())),
        };
        let ctx = ctx.clone();
        PresignState::Pending(Box::pin(
            async move { crate::orchestrator::presign(&ctx, &target, request, &config).await },
        ))
    }
}

impl<E> Future for PresignFuture<E> {
    type Output = Result<PresignedRequest, SdkError<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().state {
            PresignState::Failed(err) => Poll::Ready(Err(widen(err.take().expect("PresignFuture polled after completion")))),
            PresignState::Pending(future) => future.as_mut().poll(cx).map(|result| result.map_err(SdkError::from)),
        }
    }
}

impl<E> fmt::Debug for PresignFuture<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PresignFuture")
    }
}

/// An error that is never a service error, as the operation's [`SdkError`].
fn widen<E>(err: SdkError<Infallible>) -> SdkError<E> {
    match err {
        SdkError::Construction(err) => SdkError::Construction(err),
        SdkError::Endpoint(err) => SdkError::Endpoint(err),
        SdkError::Credentials(err) => SdkError::Credentials(err),
        SdkError::Dispatch(err) => SdkError::Dispatch(err),
        SdkError::Response(err) => SdkError::Response(err),
        SdkError::Service(never) => match never {},
    }
}

/// The credentials provider to presign with: presigning needs credentials, and never
/// falls back to an unsigned URL.
pub(crate) fn presigning_credentials(ctx: &SendContext) -> Result<&Arc<dyn ProvideCredentials>, SendError> {
    match (&ctx.credentials, ctx.anonymous) {
        (_, true) => Err(SendError::Credentials(CredentialsError::other(
            "presigning",
            "the client is anonymous (unsigned requests); a presigned URL or POST must be signed: configure \
             credentials",
        ))),
        (None, false) => Err(SendError::Credentials(CredentialsError::other(
            "presigning",
            "the client has no credentials provider; a presigned URL or POST must be signed: configure credentials \
             (`Config::from_env()`, `credentials(...)` or `credentials_provider(...)`)",
        ))),
        (Some(provider), false) => Ok(provider),
    }
}

/// The presigned URL of a request whose URL and headers are final.
pub(crate) fn presign_url(
    method: &'static str,
    url: String,
    mut headers: Vec<(String, String)>,
    target: &Target,
    credentials: &Credentials,
    config: &PresigningConfig,
) -> Result<PresignedRequest, String> {
    // `SigV4QueryAuth._modify_request_before_signing` drops this one, which botocore
    // itself sets on query-protocol requests.
    headers.retain(|(name, value)| {
        !(name.eq_ignore_ascii_case("content-type") && value == "application/x-www-form-urlencoded; charset=utf-8")
    });
    let params = SigningParams {
        credentials,
        region: &target.signing_region,
        service: &target.signing_name,
        time: config.signing_time(),
        payload: PayloadHash::Unsigned,
        settings: SigningSettings::S3,
    };
    let signable = SignableRequest { method, url: &url, headers: &headers };
    let signed = match &target.scheme {
        SigningScheme::SigV4 => sigv4::presign(&signable, &params, config.expires()).map_err(|e| e.to_string())?,
        // SigV4a (multi-region access points): the region set in the scope's place.
        SigningScheme::SigV4a { region_set } => {
            let params = SigningParams { region: region_set, ..params };
            sigv4::v4a::presign(&signable, &params, config.expires()).map_err(|e| e.to_string())?.url
        }
        // S3 Express: `credentials` are the bucket's session credentials here
        // (`orchestrator::presign` fetched them); the session token goes in the query as
        // `X-Amz-S3session-Token`.
        SigningScheme::S3Express { .. } => {
            crate::s3express::presign(&signable, &params, config.expires()).map_err(|e| e.to_string())?
        }
    };
    Ok(PresignedRequest { method, url: signed, headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The endpoint's signing scheme decides how the URL is signed: SigV4a for
    /// multi-region access points (its region set in the query), S3 Express session
    /// credentials with their token as `X-Amz-S3session-Token`.
    #[test]
    fn the_endpoints_scheme_signs_the_url() {
        let config = PresigningConfig::builder()
            .expires_in(Duration::from_secs(900))
            .start_time(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
            .build()
            .unwrap();
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()));
        let target = |scheme| Target {
            url: "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com".into(),
            headers: vec![],
            signing_region: "us-east-1".into(),
            signing_name: "s3".into(),
            scheme,
            bucket: None,
        };
        let url = "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k".to_owned();
        let sigv4a = SigningScheme::SigV4a { region_set: "*".into() };
        let signed = presign_url("GET", url.clone(), vec![], &target(sigv4a), &creds, &config).unwrap();
        assert!(signed.url.contains("X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256"), "{}", signed.url);
        assert!(signed.url.contains("X-Amz-Region-Set=%2A") || signed.url.contains("X-Amz-Region-Set=*"), "{}", signed.url);
        let express = SigningScheme::S3Express { bucket: "b--usw2-az1--x-s3".into() };
        let signed = presign_url("GET", url.clone(), vec![], &target(express), &creds, &config).unwrap();
        assert!(signed.url.contains("X-Amz-S3session-Token=TOKEN"), "{}", signed.url);
        assert!(!signed.url.contains("X-Amz-Security-Token"), "{}", signed.url);
        let plain = presign_url("GET", url, vec![], &target(SigningScheme::SigV4), &creds, &config).unwrap();
        assert!(plain.url.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256") && plain.url.contains("X-Amz-Security-Token=TOKEN"));
    }

    #[test]
    fn expiry_is_checked() {
        for bad in [Duration::ZERO, Duration::from_millis(500), Duration::from_secs(604_801)] {
            let err = PresigningConfig::expires_in(bad).unwrap_err();
            assert_eq!(err, PresigningConfigError::InvalidExpiry(bad));
            assert!(err.to_string().contains("`expires_in`"), "{err}");
        }
        assert_eq!(PresigningConfig::builder().build().unwrap_err(), PresigningConfigError::MissingExpiry);
        for good in [1, 3600, 604_800] {
            assert_eq!(PresigningConfig::expires_in(Duration::from_secs(good)).unwrap().expires().as_secs(), good);
        }
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_451_347_200);
        let config = PresigningConfig::builder().expires_in(Duration::from_secs(60)).start_time(start).build().unwrap();
        assert_eq!(config.signing_time(), start);
    }

    #[test]
    fn debug_hides_the_token_and_sse_c_key() {
        let request = PresignedRequest {
            method: "GET",
            url: "https://h/k?X-Amz-Security-Token=SECRET&X-Amz-Signature=abc".into(),
            headers: vec![
                ("x-amz-server-side-encryption-customer-key".into(), "KEY".into()),
                ("x-amz-server-side-encryption-customer-key-MD5".into(), "md5".into()),
            ],
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("SECRET") && !shown.contains("KEY\"") && shown.contains("md5"), "{shown}");
        let http = request.into_http_request(()).unwrap();
        assert_eq!(http.headers().len(), 2);
        assert_eq!(http.method(), "GET");
    }
}
