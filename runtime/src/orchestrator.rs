//! The send path, once for all operations and behind plain functions: join the
//! serialized request with its endpoint, sign it, send it, and retry it when botocore's
//! standard mode would. Generated code serializes before and parses after.

use std::sync::Arc;
use std::time::Duration;

use tracing::debug;

use crate::config::{CredentialsError, ProvideCredentials};
use crate::encoding::query_param;
use crate::http::{HttpRequest, HttpResponse, RequestBody};
use crate::retry::{retry_after, RetryConfig, RetryKind, RetryQuota};
use crate::sigv4::{self, PayloadHash, SignableRequest, SigningParams, SigningSettings};
use crate::transport::{DispatchError, DispatchErrorKind, HttpClient};
use crate::ByteStream;

/// What every request of a client shares: transport, credentials, retry settings and
/// the retry quota.
#[derive(Clone, Debug)]
pub struct SendContext {
    /// The HTTP client.
    pub http: Arc<dyn HttpClient>,
    /// Where credentials come from. `None` fails every request with
    /// [`CredentialsError::NotConfigured`], unless `anonymous` is set.
    pub credentials: Option<Arc<dyn ProvideCredentials>>,
    /// Send requests unsigned (boto3's `UNSIGNED`), for public buckets and objects.
    pub anonymous: bool,
    /// Retry settings.
    pub retry: RetryConfig,
    /// The retry quota shared by the client's requests.
    pub quota: Arc<RetryQuota>,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The longest response body read whole, in bytes
    /// ([`TransportSettings::max_buffered_body`](crate::transport::TransportSettings)).
    pub max_buffered_body: u64,
    /// The client's S3 Express sessions (see [`crate::s3express`]).
    pub s3express: Arc<crate::s3express::SessionCache>,
    /// Read, attempt and operation timeouts and stalled-stream protection (see
    /// [`crate::timeout`]).
    pub timeouts: crate::timeout::TimeoutConfig,
    /// The service's clock as learned from skew errors (see [`crate::clock_skew`]).
    pub clock_skew: Arc<crate::clock_skew::ClockSkew>,
}

/// Where a request goes and how it is signed, from endpoint resolution.
#[derive(Clone, Debug)]
pub struct Target {
    /// The endpoint URL, such as `https://bucket.s3.us-east-1.amazonaws.com` or
    /// `http://127.0.0.1:9000/bucket` (path style).
    pub url: String,
    /// Headers the endpoint requires.
    pub headers: Vec<(String, String)>,
    /// The SigV4 signing region.
    pub signing_region: String,
    /// The SigV4 signing name (`s3`).
    pub signing_name: String,
    /// How the request is signed.
    pub scheme: SigningScheme,
    /// The request's bucket, if it has one: the `aws.s3.bucket` field of its tracing span.
    pub bucket: Option<String>,
}

/// How a request is signed: the endpoint's auth scheme (see
/// [`Endpoint::auth_scheme`](crate::endpoint::Endpoint::auth_scheme)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SigningScheme {
    /// SigV4 with the client's credentials (`sigv4`).
    #[default]
    SigV4,
    /// SigV4a for a region set (`sigv4a`: multi-region access points): see
    /// [`sigv4::v4a`].
    SigV4a {
        /// `*`, or regions joined by commas.
        region_set: String,
    },
    /// SigV4 with the session credentials of an S3 Express directory bucket
    /// (`sigv4-s3express`): see [`crate::s3express`].
    S3Express {
        /// The directory bucket.
        bucket: String,
    },
}

/// What [`Target::from_endpoint`] needs besides the endpoint.
#[derive(Clone, Copy, Debug, Default)]
pub struct TargetDefaults<'a> {
    /// The client's region: the signing region when the scheme names none.
    pub region: Option<&'a str>,
    /// The service's signing name, when the scheme names none (`s3`).
    pub signing_name: &'a str,
    /// The request's bucket (the endpoint parameter), for S3 Express sessions.
    pub bucket: Option<&'a str>,
    /// The configured SigV4a region set (`sigv4a_signing_region_set`,
    /// `AWS_SIGV4A_SIGNING_REGION_SET`): wins over the scheme's `signingRegionSet`, as
    /// in botocore.
    pub sigv4a_region_set: Option<&'a str>,
}

impl Target {
    /// Where a request goes and how it is signed, from its resolved endpoint: the first
    /// auth scheme of the endpoint this client supports (`sigv4`, `sigv4a`,
    /// `sigv4-s3express`), its signing name and region (or region set: the configured
    /// one, else the scheme's `signingRegionSet` joined with commas, else `*`).
    pub fn from_endpoint(
        endpoint: &crate::endpoint::Endpoint,
        defaults: &TargetDefaults<'_>,
    ) -> Result<Target, crate::endpoint::EndpointError> {
        let auth = endpoint.auth_scheme()?;
        let scheme = match auth.name.as_str() {
            "sigv4a" => {
                let from_scheme = auth.signing_region_set.as_ref().filter(|set| !set.is_empty()).map(|set| set.join(","));
                let region_set = defaults
                    .sigv4a_region_set
                    .filter(|set| !set.is_empty())
                    .map(str::to_owned)
                    .or(from_scheme)
                    .unwrap_or_else(|| "*".to_owned());
                SigningScheme::SigV4a { region_set }
            }
            "sigv4-s3express" => match defaults.bucket {
                Some(bucket) => SigningScheme::S3Express { bucket: bucket.to_owned() },
                None => {
                    return Err(crate::endpoint::EndpointError::missing_parameter("Bucket"));
                }
            },
            _ => SigningScheme::SigV4,
        };
        Ok(Target {
            url: endpoint.url.clone(),
            headers: endpoint
                .headers
                .iter()
                .flat_map(|(name, values)| values.iter().map(move |v| (name.clone(), v.clone())))
                .collect(),
            signing_region: auth
                .signing_region
                .clone()
                .or_else(|| defaults.region.map(str::to_owned))
                .unwrap_or_else(|| String::from("us-east-1")),
            signing_name: auth.signing_name.clone().unwrap_or_else(|| defaults.signing_name.to_owned()),
            scheme,
            bucket: defaults.bucket.map(str::to_owned),
        })
    }
}

/// What the send path needs to know about an operation.
#[derive(Clone, Copy, Debug)]
pub struct OperationInfo {
    /// The operation's name, for logs and errors.
    pub name: &'static str,
    /// The response body is handed to the caller as a stream (GetObject); otherwise it
    /// is read whole before parsing.
    pub streaming_output: bool,
    /// The request body is a stream (PutObject, UploadPart).
    pub streaming_input: bool,
    /// A 200 response may hide an `<Error>` (S3): check it before deciding on retries.
    pub error_in_200: bool,
    /// The model's `unsignedPayload` (WriteGetObjectResponse): botocore's
    /// `payload_signing_enabled = False`, which its S3 signer consults only for
    /// non-streaming bodies over TLS that carry a checksum (see `payload_hash`).
    pub unsigned_payload: bool,
}

/// Why a request got no usable response.
#[derive(Debug)]
pub enum SendError {
    /// No response: connection, timeout or I/O failure (after retries).
    Dispatch(DispatchError),
    /// The request could not be signed or its URL could not be built.
    Request(String),
    /// No credentials could be found to sign the request.
    Credentials(CredentialsError),
    /// A response came but cannot be used: its body is longer than the limit, or the
    /// HTTP layer refused its head. Not retried.
    Response(crate::ResponseError),
    /// A blocking call could not run (the `blocking` feature): it was made inside a
    /// Tokio runtime, or the internal runtime could not start. Nothing was sent.
    Blocking(String),
    /// A region redirect's endpoint could not be resolved (see [`crate::redirect`]).
    Endpoint(Box<crate::endpoint::EndpointError>),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Dispatch(err) => err.fmt(f),
            SendError::Request(why) => write!(f, "cannot build the request: {why}"),
            SendError::Credentials(err) => err.fmt(f),
            SendError::Response(err) => err.fmt(f),
            SendError::Blocking(why) => f.write_str(why),
            SendError::Endpoint(err) => write!(f, "no endpoint for the bucket's region: {err}"),
        }
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SendError::Dispatch(err) => Some(err),
            SendError::Request(_) => None,
            SendError::Credentials(err) => Some(err),
            SendError::Response(err) => Some(err),
            SendError::Blocking(_) => None,
            SendError::Endpoint(err) => Some(&**err),
        }
    }
}

/// `endpoint` + `path`, as botocore's `_urljoin`: an empty path keeps the endpoint's
/// path (or `/`), and a `/` between the two is not doubled.
pub fn url_join(endpoint: &str, path: &str, host_prefix: Option<&str>) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let (authority, base_path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let joined = if path.is_empty() || path == "/" {
        if base_path.is_empty() { "/".to_owned() } else { base_path.to_owned() }
    } else if base_path.ends_with('/') && path.starts_with('/') {
        format!("{}{path}", &base_path[..base_path.len() - 1])
    } else {
        format!("{base_path}{path}")
    };
    format!("{scheme}://{}{authority}{joined}", host_prefix.unwrap_or_default())
}

/// The full URL of `request` sent to `target`.
pub fn request_url(target: &Target, request: &HttpRequest) -> String {
    let mut url = url_join(&target.url, &request.path, request.host_prefix.as_deref());
    for (i, (name, value)) in request.query.iter().enumerate() {
        url.push(if i == 0 && !url.contains('?') { '?' } else { '&' });
        url.push_str(&query_param(name));
        if let Some(value) = value {
            url.push('=');
            url.push_str(&query_param(value));
        }
    }
    url
}

/// Sends `request` to `target`, signing and retrying as needed, and returns the final
/// response (success or error) for the operation's parser. The operation timeout, when
/// set, bounds it all.
///
/// Runs in an `s3.operation` tracing span, each attempt in an `s3.attempt` span (see
/// [`crate::telemetry`]).
pub async fn send(ctx: &SendContext, op: &OperationInfo, target: &Target, request: HttpRequest) -> Result<HttpResponse, SendError> {
    send_redirectable(ctx, op, target, request, None).await
}

/// [`send`], and with `redirect`, sent once more to the bucket's region when the
/// response says the bucket is elsewhere (see [`crate::redirect`]). The operation
/// timeout, when set, bounds it all.
pub async fn send_redirectable(
    ctx: &SendContext,
    op: &OperationInfo,
    target: &Target,
    request: HttpRequest,
    redirect: Option<&dyn crate::redirect::Redirect>,
) -> Result<HttpResponse, SendError> {
    let span = crate::telemetry::operation_span(op, target);
    let attempts = tracing::Instrument::instrument(send_attempts(ctx, op, target, request, redirect), span.clone());
    let result = match ctx.timeouts.operation {
        None => attempts.await,
        Some(limit) => match tokio::time::timeout(limit, attempts).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Dispatch(DispatchError::new(
                DispatchErrorKind::OperationTimeout,
                format!("{}: the operation took longer than {limit:?} (operation timeout)", op.name),
                None,
            ))),
        },
    };
    crate::telemetry::record_outcome(&span, &result);
    result
}

async fn send_attempts(
    ctx: &SendContext,
    op: &OperationInfo,
    target: &Target,
    request: HttpRequest,
    redirect: Option<&dyn crate::redirect::Redirect>,
) -> Result<HttpResponse, SendError> {
    let mut url = request_url(target, &request);
    let mut target = std::borrow::Cow::Borrowed(target);
    let mut redirected = false;
    let HttpRequest { method, headers, body, .. } = request;
    let no_body = match &body {
        RequestBody::Empty => true,
        RequestBody::Stream(stream) => stream.is_unset(),
        RequestBody::Bytes(_) => false,
    };
    if no_body {
        // A declared length with no body would leave the server waiting for bytes that
        // never come (serializers check bodies they have; presigning may declare one).
        if let Some((_, declared)) = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
            if declared.trim() != "0" {
                return Err(SendError::Request(format!(
                    "{}: `content_length` is {declared}, but the request has no body",
                    op.name
                )));
            }
        }
    }
    let body = match body {
        RequestBody::Empty => ByteStream::default(),
        RequestBody::Bytes(bytes) => ByteStream::from(bytes),
        RequestBody::Stream(stream) => stream,
    };
    let max_attempts = ctx.retry.attempts();
    let mut body = Some(body);
    let mut last_retry_cost = None;
    let mut skew_retried = false;
    let mut attempt = 1;
    loop {
        let this_body = body.take().unwrap_or_default();
        // Keep a copy to send again; a one-shot stream is sent once.
        body = this_body.try_clone();
        let wait = ctx.quota.before_attempt(ctx.retry.mode);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let span = crate::telemetry::attempt_span(attempt);
        let started = crate::telemetry::start(&span);
        let once = tracing::Instrument::instrument(
            attempt_once(ctx, op, &target, method, &url, &headers, this_body, &span),
            span.clone(),
        );
        let outcome = match ctx.timeouts.attempt {
            None => once.await,
            Some(limit) => tokio::time::timeout(limit, once).await.unwrap_or_else(|_| {
                let message = format!("the attempt took longer than {limit:?} (attempt timeout)");
                Err(SendError::Dispatch(DispatchError::new(DispatchErrorKind::Timeout, message, None)))
            }),
        };
        let (mut kind, skewed) = match &outcome {
            Ok(response) => retry_kind(ctx, op, response),
            Err(SendError::Dispatch(err)) if err.is_retryable() => (RetryKind::Transient, false),
            Err(_) => (RetryKind::Never, false),
        };
        // A request refused for its time is signed again once, with the learned offset.
        let skew_retry = skewed && !skew_retried;
        if skew_retry {
            skew_retried = true;
            kind = RetryKind::Transient;
        }
        ctx.quota.after_attempt(ctx.retry.mode, kind == RetryKind::Throttling);
        let can_retry = kind != RetryKind::Never && attempt < max_attempts && body.is_some();
        let cost = if can_retry { ctx.quota.acquire_for(ctx.retry.mode, kind) } else { None };
        let delay = cost.map(|_| {
            if skew_retry {
                Duration::ZERO
            } else {
                ctx.retry.backoff(attempt, kind, outcome.as_ref().ok().and_then(retry_after))
            }
        });
        crate::telemetry::record_attempt(&span, started, &outcome, kind, delay);
        if let (Ok(response), None, Some(redirect), false, true) = (&outcome, cost, redirect, redirected, body.is_some()) {
            if let Some(next) = crate::redirect::next_target(op, redirect, response).await? {
                url = crate::redirect::splice_host(&url, &next.url);
                target = std::borrow::Cow::Owned(next);
                redirected = true;
                attempt += 1;
                continue;
            }
        }
        match (outcome, cost) {
            (outcome, Some(cost)) => {
                let delay = delay.unwrap_or_default();
                debug!(operation = op.name, attempt, ?kind, ?delay, "retrying");
                if let Err(err) = &outcome {
                    debug!(operation = op.name, error = %err, "attempt failed");
                }
                last_retry_cost = Some(cost);
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            (Ok(response), None) => {
                if response.status < 300 {
                    ctx.quota.release(last_retry_cost);
                }
                return Ok(response);
            }
            (Err(err), None) => return Err(err),
        }
    }
}

/// The request's headers followed by those the endpoint requires: what is signed.
fn with_endpoint_headers(headers: &[(String, String)], target: &Target) -> Vec<(String, String)> {
    let mut all = headers.to_vec();
    all.extend(target.headers.iter().cloned());
    all
}

/// Presigns `request` for `target`: the same URL and headers [`send`] would sign (without
/// `User-Agent`, as botocore's `generate_presigned_url`), signed in the query with the
/// client's credentials (`UNSIGNED-PAYLOAD`; the body is never part of the URL). Fails
/// when the client has no credentials or is anonymous: an unsigned URL is never
/// returned.
pub async fn presign(
    ctx: &SendContext,
    target: &Target,
    request: HttpRequest,
    config: &crate::presign::PresigningConfig,
) -> Result<crate::presign::PresignedRequest, SendError> {
    let provider = crate::presign::presigning_credentials(ctx)?;
    let mut credentials = provider.provide_credentials().await.map_err(SendError::Credentials)?;
    if let SigningScheme::S3Express { bucket } = &target.scheme {
        // A directory bucket's URLs are signed with its session (botocore's
        // `S3ExpressQueryAuth`), fetched or reused as for `send()`.
        let endpoint = crate::s3express::SessionEndpoint {
            url: &target.url,
            signing_name: &target.signing_name,
            signing_region: &target.signing_region,
            user_agent: &ctx.user_agent,
        };
        credentials =
            ctx.s3express.session(&*ctx.http, &endpoint, &credentials, bucket).await.map_err(SendError::Credentials)?;
    }
    let url = request_url(target, &request);
    let headers = with_endpoint_headers(&request.headers, target);
    let config = config.starting_by_default(ctx.clock_skew.now());
    crate::presign::presign_url(request.method, url, headers, target, &credentials, &config).map_err(SendError::Request)
}

/// Whether a response is worth retrying, and whether it refused the request for its
/// time (then the client's clock offset has been learned from it).
fn retry_kind(ctx: &SendContext, op: &OperationInfo, response: &HttpResponse) -> (RetryKind, bool) {
    let error_in_200 =
        op.error_in_200 && (crate::de::is_error_in_200(response) || crate::de::is_malformed_200(response));
    if response.status < 300 && !error_in_200 {
        return (RetryKind::Never, false);
    }
    let meta = crate::de::error_metadata(response);
    let status = if error_in_200 { 500 } else { response.status };
    let kind = ctx.retry.classify(status, meta.code());
    let skewed = kind == RetryKind::Never && ctx.clock_skew.learn(response, meta.code());
    (kind, skewed)
}

/// The payload hash to sign, as botocore's `S3SigV4Auth._should_sha256_sign_payload`:
/// the body is hashed unless it is sent over TLS with a checksum and is a streaming
/// upload, or (the generic rule) the operation is `unsignedPayload`. Bodies not in memory
/// are never read twice: unsigned, or `aws-chunked` with a trailing checksum.
fn payload_hash<'a>(op: &OperationInfo, https: bool, has_checksum: bool, body: &'a ByteStream) -> PayloadHash<'a> {
    let unsigned = https && has_checksum && (op.streaming_input || op.unsigned_payload);
    match body.as_bytes() {
        Some(bytes) if !unsigned => PayloadHash::Bytes(bytes),
        _ if body.is_aws_chunked() => PayloadHash::StreamingUnsignedTrailer,
        _ => PayloadHash::Unsigned,
    }
}

#[allow(clippy::too_many_arguments)]
async fn attempt_once(
    ctx: &SendContext,
    op: &OperationInfo,
    target: &Target,
    method: &'static str,
    url: &str,
    headers: &[(String, String)],
    body: ByteStream,
    span: &tracing::Span,
) -> Result<HttpResponse, SendError> {
    let mut all_headers = with_endpoint_headers(headers, target);
    all_headers.push(("User-Agent".to_owned(), ctx.user_agent.clone()));
    let provider = match (&ctx.credentials, ctx.anonymous) {
        (_, true) => None,
        (Some(provider), false) => Some(provider),
        (None, false) => return Err(SendError::Credentials(CredentialsError::NotConfigured)),
    };
    if let Some(provider) = provider {
        let base = provider.provide_credentials().await.map_err(SendError::Credentials)?;
        let https = url.starts_with("https://");
        let has_checksum = headers.iter().any(|(n, _)| n.to_ascii_lowercase().starts_with("x-amz-checksum-"));
        let payload = payload_hash(op, https, has_checksum, &body);
        sign_request(ctx, target, method, url, &mut all_headers, &base, payload).await?;
    }
    // botocore (`AWSRequest._prepare_headers`) sends `Content-Length` with every request
    // but GET, HEAD and OPTIONS whose body length it knows, `0` for an empty body, and
    // adds it after signing, so it is not signed. hyper leaves it out when the body is
    // empty, and S3 refuses a PUT without it (411 `MissingContentLength`): an empty
    // `PutBucketAcl`, `CopyObject`, `UploadPartCopy`, … So it is set here as botocore
    // does.
    if !matches!(method, "GET" | "HEAD" | "OPTIONS")
        && !all_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("transfer-encoding"))
    {
        if let Some(length) = body.size_hint() {
            all_headers.push(("Content-Length".to_owned(), length.to_string()));
        }
    }
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in &all_headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let (body, upload) = crate::timeout::watch_upload(body, &ctx.timeouts);
    if let Some(length) = body.size_hint() {
        span.record("http.request.body.size", length);
    }
    let mut request = builder.body(body).map_err(|e| {
        SendError::Dispatch(DispatchError::new(DispatchErrorKind::Request, "invalid request", Some(Box::new(e))))
    })?;
    // For transports that answer by operation (`test_util::MockTransport`).
    request.extensions_mut().insert(crate::telemetry::OperationName(op.name));
    // The URL's path and query name the object: only the scheme and host are logged.
    debug!(operation = op.name, method, host = crate::telemetry::origin(url), "sending");
    let call = crate::timeout::watch_call(ctx.http.call(request), upload, &ctx.timeouts);
    let response = call.await.map_err(|err| dispatch_failed(op, err))?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut timeouts = ctx.timeouts;
    if crate::s3::SILENT_WHILE_WORKING.contains(&op.name) {
        timeouts.stalled_stream = timeouts.stalled_stream.download(false);
    }
    let body = crate::timeout::watch_download(response.into_body(), &timeouts);
    let body = if op.streaming_output && status < 300 {
        body
    } else {
        let bytes = read_body(ctx, op, body).await?;
        span.record("http.response.body.size", bytes.len());
        ByteStream::from(bytes)
    };
    debug!(operation = op.name, status, "response");
    Ok(HttpResponse::new(status, headers, body))
}

/// The error of a failed dispatch: a response the HTTP layer refused is a response
/// error (it came, and is not retried); anything else got no response.
fn dispatch_failed(op: &OperationInfo, err: DispatchError) -> SendError {
    if err.kind() == DispatchErrorKind::InvalidResponse {
        let message = match std::error::Error::source(&err) {
            Some(source) => format!("{err} ({source})"),
            None => err.to_string(),
        };
        return SendError::Response(crate::ResponseError::invalid_http(op.name, message));
    }
    SendError::Dispatch(err)
}

/// A response body read whole, within the client's limit.
async fn read_body(ctx: &SendContext, op: &OperationInfo, body: ByteStream) -> Result<bytes::Bytes, SendError> {
    use crate::response_body::{collect_limited, CollectError};
    collect_limited(body, ctx.max_buffered_body).await.map_err(|err| match err {
        CollectError::TooLarge(length) => {
            SendError::Response(crate::ResponseError::body_too_large(op.name, ctx.max_buffered_body, length))
        }
        CollectError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            SendError::Dispatch(DispatchError::new(DispatchErrorKind::Timeout, "the response body stopped", Some(Box::new(e))))
        }
        CollectError::Io(e) => {
            SendError::Dispatch(DispatchError::new(DispatchErrorKind::Io, "the response body was cut short", Some(Box::new(e))))
        }
    })
}

/// Signs the request's headers in place with the target's scheme.
async fn sign_request(
    ctx: &SendContext,
    target: &Target,
    method: &str,
    url: &str,
    all_headers: &mut Vec<(String, String)>,
    base: &crate::Credentials,
    payload: PayloadHash<'_>,
) -> Result<(), SendError> {
    let params = |credentials| SigningParams {
        credentials,
        region: &target.signing_region,
        service: &target.signing_name,
        time: ctx.clock_skew.now(),
        payload,
        settings: SigningSettings::S3,
    };
    let signed = match &target.scheme {
        SigningScheme::SigV4 => {
            let signable = SignableRequest { method, url, headers: all_headers };
            sigv4::sign(&signable, &params(base)).map_err(|e| SendError::Request(e.to_string()))?
        }
        SigningScheme::SigV4a { region_set } => {
            let signable = SignableRequest { method, url, headers: all_headers };
            let params = SigningParams { region: region_set, ..params(base) };
            sigv4::v4a::sign(&signable, &params).map_err(|e| SendError::Request(e.to_string()))?
        }
        SigningScheme::S3Express { bucket } => {
            let endpoint = crate::s3express::SessionEndpoint {
                url: &target.url,
                signing_name: &target.signing_name,
                signing_region: &target.signing_region,
                user_agent: &ctx.user_agent,
            };
            let session =
                ctx.s3express.session(&*ctx.http, &endpoint, base, bucket).await.map_err(SendError::Credentials)?;
            // `S3ExpressAuth`: the session token goes in `x-amz-s3session-token`
            // (signed), never in `X-Amz-Security-Token`.
            all_headers.retain(|(name, _)| {
                !name.eq_ignore_ascii_case("x-amz-s3session-token") && !name.eq_ignore_ascii_case("x-amz-security-token")
            });
            if let Some(token) = session.session_token() {
                all_headers.push(("x-amz-s3session-token".to_owned(), token.to_owned()));
            }
            let key_only = crate::Credentials::new(session.access_key_id(), session.secret_access_key(), None);
            let signable = SignableRequest { method, url, headers: all_headers };
            sigv4::sign(&signable, &params(&key_only)).map_err(|e| SendError::Request(e.to_string()))?
        }
    };
    signed.apply_to(all_headers);
    Ok(())
}

#[cfg(test)]
impl SendContext {
    /// A context for unit tests: `http`, `credentials`, and the defaults otherwise.
    pub(crate) fn for_tests(http: Arc<dyn crate::transport::HttpClient>, credentials: crate::Credentials) -> SendContext {
        SendContext {
            http,
            credentials: Some(Arc::new(credentials)),
            anonymous: false,
            retry: RetryConfig::default(),
            quota: Arc::new(RetryQuota::default()),
            user_agent: "test".to_owned(),
            max_buffered_body: crate::transport::DEFAULT_MAX_BUFFERED_BODY,
            s3express: Default::default(),
            timeouts: Default::default(),
            clock_skew: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_matches_botocore() {
        assert_eq!(url_join("http://127.0.0.1:9000/b", "/a%20b/c.txt", None), "http://127.0.0.1:9000/b/a%20b/c.txt");
        assert_eq!(url_join("http://127.0.0.1:9000/b", "", None), "http://127.0.0.1:9000/b");
        assert_eq!(url_join("https://b.s3.amazonaws.com", "", None), "https://b.s3.amazonaws.com/");
        assert_eq!(url_join("https://s3.amazonaws.com/", "/k", None), "https://s3.amazonaws.com/k");
        assert_eq!(url_join("https://s3.amazonaws.com", "/k", Some("route.")), "https://route.s3.amazonaws.com/k");
    }

    #[test]
    fn query_is_encoded_after_the_path() {
        let target = Target { url: "http://127.0.0.1:9000/b".into(), headers: vec![], signing_region: "us-east-1".into(), signing_name: "s3".into(), scheme: SigningScheme::SigV4, bucket: None };
        let mut req = HttpRequest::new("GET", String::new());
        req.push_query("list-type", Some("2".into()));
        req.push_query("prefix", Some("a b/c".into()));
        req.push_query("uploads", None);
        assert_eq!(request_url(&target, &req), "http://127.0.0.1:9000/b?list-type=2&prefix=a%20b%2Fc&uploads");
    }

    /// botocore 1.44.8 (`S3SigV4Auth`, with and without awscrt) hashes the body unless it
    /// goes over TLS with a checksum and is a streaming upload; `unsignedPayload` counts
    /// only for bodies that are not streaming uploads. So WriteGetObjectResponse (streaming
    /// input and `unsignedPayload`) is hashed without a checksum header, as botocore sends
    /// it (`x-amz-content-sha256: 2cf24dba…` for `hello` over http and https).
    #[test]
    fn payload_hash_follows_botocore() {
        let body = ByteStream::from_static(b"hello");
        let op = |streaming_input, unsigned_payload| OperationInfo {
            name: "Test",
            streaming_output: false,
            streaming_input,
            error_in_200: false,
            unsigned_payload,
        };
        let value = |op: OperationInfo, https, checksum| payload_hash(&op, https, checksum, &body).value();
        let hashed = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        // WriteGetObjectResponse: streaming input, unsignedPayload.
        assert_eq!(value(op(true, true), true, false), hashed);
        assert_eq!(value(op(true, true), false, true), hashed);
        assert_eq!(value(op(true, true), true, true), "UNSIGNED-PAYLOAD");
        // An unsignedPayload operation without streaming input, over TLS with a checksum.
        assert_eq!(value(op(false, true), true, true), "UNSIGNED-PAYLOAD");
        assert_eq!(value(op(false, true), true, false), hashed);
        // Neither: always hashed.
        assert_eq!(value(op(false, false), true, true), hashed);
        // PutObject over TLS with a checksum.
        assert_eq!(value(op(true, false), true, true), "UNSIGNED-PAYLOAD");
    }

    /// A presigned URL is signed on the service's clock once the client learned its
    /// offset, as requests are (unless the caller fixed a start time).
    #[tokio::test]
    async fn presigned_urls_use_the_learned_clock_offset() {
        use std::time::{Duration, SystemTime, UNIX_EPOCH};
        let ctx = SendContext::for_tests(Arc::new(crate::test_util::MockTransport::new()), crate::Credentials::new("AKID", "SECRET", None));
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        let service = crate::DateTime::from_secs(now + 2 * 3600);
        let refused = HttpResponse::new(403, vec![("Date".to_owned(), service.fmt(crate::DateTimeFormat::HttpDate))], Vec::new());
        assert!(ctx.clock_skew.learn(&refused, Some("RequestTimeTooSkewed")));
        let target = Target { url: "https://b.s3.amazonaws.com".into(), headers: vec![], signing_region: "us-east-1".into(), signing_name: "s3".into(), scheme: SigningScheme::SigV4, bucket: None };
        let amz_date = |url: &str| url.split("X-Amz-Date=").nth(1).unwrap()[..15].to_owned();
        let stamp = |secs: i64| crate::DateTime::from_secs(secs).fmt(crate::DateTimeFormat::DateTime).replace(['-', ':'], "")[..15].to_owned();
        let config = crate::presign::PresigningConfig::expires_in(Duration::from_secs(900)).unwrap();
        let presigned = presign(&ctx, &target, HttpRequest::new("GET", "/k".to_owned()), &config).await.unwrap();
        let signed = amz_date(presigned.url());
        assert!(signed == stamp(now + 7200) || signed == stamp(now + 7201), "{signed} is not the service's time");
        // A fixed start time is kept as given.
        let fixed = crate::presign::PresigningConfig::builder()
            .expires_in(Duration::from_secs(900))
            .start_time(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
            .build()
            .unwrap();
        let presigned = presign(&ctx, &target, HttpRequest::new("GET", "/k".to_owned()), &fixed).await.unwrap();
        assert_eq!(amz_date(presigned.url()), "20231114T221320");
    }

    /// botocore sends `Content-Length: 0` with an empty PUT, POST or DELETE (S3 answers a
    /// PUT without it with 411), and no `Content-Length` with a GET or HEAD; the header
    /// is not signed.
    #[tokio::test]
    async fn content_length_is_sent_as_botocore_sends_it() {
        let recorder = crate::test_util::MockTransport::new().otherwise(crate::test_util::MockResponse::ok());
        let ctx = SendContext::for_tests(Arc::new(recorder.clone()), crate::Credentials::new("AKID", "SECRET", None));
        let op = OperationInfo { name: "Test", streaming_output: false, streaming_input: false, error_in_200: false, unsigned_payload: false };
        let target = Target { url: "http://127.0.0.1:9000/b".into(), headers: vec![], signing_region: "us-east-1".into(), signing_name: "s3".into(), scheme: SigningScheme::SigV4, bucket: None };
        for (method, body) in [
            ("PUT", RequestBody::Empty),
            ("POST", RequestBody::Empty),
            ("DELETE", RequestBody::Empty),
            ("PUT", RequestBody::Bytes(b"<x/>".to_vec())),
            ("PUT", RequestBody::Stream(ByteStream::from_static(b"data!"))),
            ("GET", RequestBody::Empty),
            ("HEAD", RequestBody::Empty),
        ] {
            let mut request = HttpRequest::new(method, "/k".to_owned());
            request.body = body;
            send(&ctx, &op, &target, request).await.unwrap();
        }
        let requests = recorder.requests();
        let lengths: Vec<Option<&str>> = requests.iter().map(|r| r.header("content-length")).collect();
        assert_eq!(lengths, [Some("0"), Some("0"), Some("0"), Some("4"), Some("5"), None, None]);
    }
}
