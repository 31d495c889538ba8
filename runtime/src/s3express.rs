//! S3 Express One Zone session auth (the endpoint's `sigv4-s3express` scheme), as
//! botocore's `S3ExpressIdentityResolver`, `S3ExpressIdentityCache` and `S3ExpressAuth`:
//!
//! - for a directory bucket the endpoint rules mark `S3Express`, the client first calls
//!   `CreateSession` (`GET <bucket endpoint>/?session`, signed with SigV4 and the base
//!   credentials, service `s3express`), and gets short-lived session credentials;
//! - data requests are signed with the session's key and secret (SigV4, service
//!   `s3express`) and carry the session token in `x-amz-s3session-token` (signed), never
//!   `x-amz-security-token`;
//! - sessions are cached per base identity and bucket ([`SessionCache`]: bounded, least
//!   recently used evicted first, 100 entries as botocore's `lru_cache(maxsize=100)`),
//!   refreshed with botocore's windows for them: a session with less than 45 s left is
//!   refreshed (if that fails it is used while more than 10 s are left), one with 10 s
//!   or less must be. Concurrent requests for one bucket wait for one `CreateSession`.
//!
//! `CreateSession` itself is a small hand-written request (as the STS calls of the
//! credential providers), so the send path needs nothing operation-specific.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use tracing::debug;

use crate::auth::{Credentials, CredentialsError};
use crate::sigv4::{self, PayloadHash, SignableRequest, SigningParams, SigningSettings};
use crate::transport::HttpClient;
use crate::{ByteStream, DateTime, DateTimeFormat};

/// A session with less than this left is refreshed (botocore's `advisory_timeout=45`).
pub const ADVISORY_REFRESH: Duration = Duration::from_secs(45);
/// A session with this or less left is not used (botocore's `mandatory_timeout=10`).
pub const MANDATORY_REFRESH: Duration = Duration::from_secs(10);
/// How many sessions a client keeps (botocore's `lru_cache(maxsize=100)`).
pub const DEFAULT_CAPACITY: usize = 100;
/// The provider name in errors.
const PROVIDER: &str = "s3express-create-session";

/// Whose session, for which bucket. The secret is kept as its hash.
#[derive(Clone, PartialEq, Eq)]
struct Key {
    access_key_id: String,
    secret_sha256: [u8; 32],
    token_sha256: Option<[u8; 32]>,
    bucket: String,
}

/// One bucket's session; its lock is held while `CreateSession` runs, so concurrent
/// requests for it wait for that one call.
#[derive(Default)]
struct Slot {
    session: tokio::sync::Mutex<Option<Credentials>>,
}

/// The sessions of one client: see the module documentation.
pub struct SessionCache {
    capacity: usize,
    /// Least recently used first.
    slots: Mutex<VecDeque<(Key, Arc<Slot>)>>,
    /// `CreateSession` calls made, for tests and logs.
    created: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("capacity", &self.capacity)
            .field("sessions", &self.slots.lock().map(|s| s.len()).unwrap_or(0))
            .finish()
    }
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache::new(DEFAULT_CAPACITY)
    }
}

/// Where `CreateSession` goes and how it is signed: the data request's endpoint (the
/// bucket's URL) and its signing name and region.
#[derive(Clone, Copy, Debug)]
pub struct SessionEndpoint<'a> {
    /// The bucket's endpoint URL, such as
    /// `https://bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com` or
    /// `http://127.0.0.1:9000/bucket--usw2-az1--x-s3`.
    pub url: &'a str,
    /// The signing name (`s3express`).
    pub signing_name: &'a str,
    /// The signing region.
    pub signing_region: &'a str,
    /// The `User-Agent` header.
    pub user_agent: &'a str,
}

impl SessionCache {
    /// A cache of at most `capacity` sessions (at least one).
    pub fn new(capacity: usize) -> Self {
        SessionCache { capacity: capacity.max(1), slots: Mutex::new(VecDeque::new()), created: 0.into() }
    }

    /// How many `CreateSession` calls this cache has made.
    pub fn sessions_created(&self) -> u64 {
        self.created.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many sessions are cached.
    pub fn len(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no session is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn slot(&self, key: Key) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = slots.iter().position(|(k, _)| *k == key) {
            let entry = slots.remove(i).unwrap_or_else(|| unreachable!("index from position"));
            let slot = entry.1.clone();
            slots.push_back(entry);
            return slot;
        }
        while slots.len() >= self.capacity {
            slots.pop_front();
        }
        let slot = Arc::new(Slot::default());
        slots.push_back((key, slot.clone()));
        slot
    }

    /// The session credentials for `bucket` and the `base` credentials: cached, or from
    /// a new `CreateSession` call.
    pub async fn session(
        &self,
        http: &dyn HttpClient,
        endpoint: &SessionEndpoint<'_>,
        base: &Credentials,
        bucket: &str,
    ) -> Result<Credentials, CredentialsError> {
        let key = Key {
            access_key_id: base.access_key_id().to_owned(),
            secret_sha256: Sha256::digest(base.secret_access_key().as_bytes()).into(),
            token_sha256: base.session_token().map(|t| Sha256::digest(t.as_bytes()).into()),
            bucket: bucket.to_owned(),
        };
        let slot = self.slot(key);
        let mut session = slot.session.lock().await;
        let now = SystemTime::now();
        let left = |c: &Credentials| c.expiry().map(|e| e.duration_since(now).unwrap_or(Duration::ZERO));
        if let Some(current) = session.as_ref() {
            match left(current) {
                None => return Ok(current.clone()),
                Some(left) if left >= ADVISORY_REFRESH => return Ok(current.clone()),
                _ => {}
            }
        }
        self.created.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match create_session(http, endpoint, base).await {
            Ok(fresh) => {
                *session = Some(fresh.clone());
                Ok(fresh)
            }
            Err(err) => match session.as_ref() {
                Some(current) if left(current).is_some_and(|left| left > MANDATORY_REFRESH) => {
                    debug!(error = %err, "CreateSession failed; using the current session until it nears expiry");
                    Ok(current.clone())
                }
                _ => Err(err),
            },
        }
    }
}

/// How long an S3 Express presigned URL is valid by default (botocore's
/// `S3ExpressQueryAuth.DEFAULT_EXPIRES`).
pub const DEFAULT_PRESIGN_EXPIRY: Duration = Duration::from_secs(300);

/// A presigned URL for a request to a directory bucket, signed with the bucket's
/// `session` credentials (from [`SessionCache::session`]), as botocore's
/// `S3ExpressQueryAuth`: SigV4 query signing (`params.service` is `s3express`) where the
/// session token goes in `X-Amz-S3session-Token` (after `X-Amz-SignedHeaders`) instead of
/// `X-Amz-Security-Token`. `params.credentials` must be the session credentials.
/// [`DEFAULT_PRESIGN_EXPIRY`] is the usual validity.
pub fn presign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<String, sigv4::SigningError> {
    let session = params.credentials;
    let key_only = Credentials::new(session.access_key_id(), session.secret_access_key(), None);
    let Some(token) = session.session_token() else {
        return sigv4::presign(request, &SigningParams { credentials: &key_only, ..params.clone() }, expires_in);
    };
    // The token is signed as one of the query's parameters; the canonical query is sorted,
    // so where it stands in the URL does not change the signature.
    let pair = format!("X-Amz-S3session-Token={}", crate::encoding::query_param(token));
    let (base, fragment) = request.url.split_once('#').map_or((request.url, None), |(b, f)| (b, Some(f)));
    let separator = if base.contains('?') { '&' } else { '?' };
    let mut url = format!("{base}{separator}{pair}");
    if let Some(fragment) = fragment {
        url.push('#');
        url.push_str(fragment);
    }
    let signable = SignableRequest { url: &url, ..*request };
    let presigned = sigv4::presign(&signable, &SigningParams { credentials: &key_only, ..params.clone() }, expires_in)?;
    // botocore's order: the token after `X-Amz-SignedHeaders`, before `X-Amz-Signature`.
    let presigned = presigned
        .replacen(&format!("?{pair}&"), "?", 1)
        .replacen(&format!("&{pair}&"), "&", 1)
        .replacen("&X-Amz-Signature=", &format!("&{pair}&X-Amz-Signature="), 1);
    Ok(presigned)
}

/// `CreateSession` for the bucket at `endpoint.url`, signed with `base`.
async fn create_session(
    http: &dyn HttpClient,
    endpoint: &SessionEndpoint<'_>,
    base: &Credentials,
) -> Result<Credentials, CredentialsError> {
    let url = format!("{}?session", crate::orchestrator::url_join(endpoint.url, "", None));
    let mut headers = vec![("User-Agent".to_owned(), endpoint.user_agent.to_owned())];
    let params = SigningParams {
        credentials: base,
        region: endpoint.signing_region,
        service: endpoint.signing_name,
        time: SystemTime::now(),
        payload: PayloadHash::Bytes(b""),
        settings: SigningSettings::S3,
    };
    let signed = sigv4::sign(&SignableRequest { method: "GET", url: &url, headers: &headers }, &params)
        .map_err(|e| CredentialsError::other(PROVIDER, e))?;
    signed.apply_to(&mut headers);
    let mut builder = http::Request::builder().method("GET").uri(&url);
    for (name, value) in &headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let request = builder.body(ByteStream::default()).map_err(|e| CredentialsError::other(PROVIDER, e))?;
    debug!(url, "CreateSession");
    let response = http.call(request).await.map_err(|e| CredentialsError::other(PROVIDER, format!("CreateSession: {e}")))?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect_bytes()
        .await
        .map_err(|e| CredentialsError::other(PROVIDER, format!("CreateSession: reading the response: {e}")))?;
    if status >= 300 {
        let response = crate::http::HttpResponse::new(status, Vec::new(), ByteStream::from(body));
        let meta = crate::de::error_metadata(&response);
        return Err(CredentialsError::other(
            PROVIDER,
            format!(
                "CreateSession failed with HTTP {status}: {}: {}",
                meta.code().unwrap_or("unknown error"),
                meta.message().unwrap_or("")
            ),
        ));
    }
    parse_credentials(&body).map_err(|why| CredentialsError::other(PROVIDER, format!("CreateSession: {why}")))
}

/// The `Credentials` of a `CreateSessionResult`.
fn parse_credentials(body: &[u8]) -> Result<Credentials, String> {
    use crate::xml as reader;
    let doc = reader::parse(body).map_err(|e| format!("invalid XML: {e}"))?;
    let root = doc.root_element();
    let credentials = reader::child_elements(root)
        .find(|n| reader::name(*n) == "Credentials")
        .ok_or("the response has no Credentials")?;
    let field = |name: &str| -> Result<String, String> {
        reader::child_elements(credentials)
            .find(|n| reader::name(*n) == name)
            .map(|n| reader::text(n).into_owned())
            .ok_or(format!("the response's Credentials have no {name}"))
    };
    let expiration = field("Expiration")?;
    let expiry = DateTime::parse(&expiration, DateTimeFormat::DateTime)
        .map_err(|_| format!("Expiration {expiration:?} is not an ISO 8601 time"))?;
    Ok(Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?, Some(field("SessionToken")?))
        .with_expiry(Some(SystemTime::from(expiry))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_create_session_results() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials><SessionToken>TOKEN</SessionToken><SecretAccessKey>SECRET</SecretAccessKey><AccessKeyId>ASIA1</AccessKeyId><Expiration>2024-01-02T03:04:05Z</Expiration></Credentials></CreateSessionResult>"#;
        let c = parse_credentials(body).unwrap();
        assert_eq!((c.access_key_id(), c.secret_access_key(), c.session_token()), ("ASIA1", "SECRET", Some("TOKEN")));
        assert_eq!(c.expiry(), Some(std::time::UNIX_EPOCH + Duration::from_secs(1_704_164_645)));
        assert!(parse_credentials(b"<CreateSessionResult/>").unwrap_err().contains("no Credentials"));
    }

    #[test]
    fn presigned_urls_match_botocore() {
        // botocore 1.44.8: `S3ExpressQueryAuth(Credentials("ASIASESSION", "session-secret",
        // "session-token"), "s3express", "us-west-2", identity_cache=None)` at
        // 2023-11-14T22:13:20Z.
        let session = Credentials::new("ASIASESSION", "session-secret", Some("session-token".to_owned()));
        let url = "https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/k%20ey?versionId=v1";
        let params = SigningParams {
            credentials: &session,
            region: "us-west-2",
            service: "s3express",
            time: std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            payload: PayloadHash::Unsigned,
            settings: SigningSettings::S3,
        };
        let presigned = presign(&SignableRequest { method: "GET", url, headers: &[] }, &params, DEFAULT_PRESIGN_EXPIRY).unwrap();
        let expected = concat!(
            "https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/k%20ey?versionId=v1",
            "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIASESSION%2F20231114%2Fus-west-2%2Fs3express%2Faws4_request",
            "&X-Amz-Date=20231114T221320Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-S3session-Token=session-token",
            "&X-Amz-Signature=70462e0dfd1deb380e7c1e418d47d31726e50d6a4a8a1ae4f4abf5bf9ec9fac4"
        );
        assert_eq!(presigned, expected);
    }

    #[test]
    fn the_cache_is_bounded_and_lru() {
        let cache = SessionCache::new(2);
        let key = |bucket: &str| Key { access_key_id: "A".into(), secret_sha256: [0; 32], token_sha256: None, bucket: bucket.into() };
        let a = cache.slot(key("a"));
        let _b = cache.slot(key("b"));
        assert!(Arc::ptr_eq(&a, &cache.slot(key("a"))));
        let _c = cache.slot(key("c")); // evicts b, the least recently used
        assert_eq!(cache.len(), 2);
        assert!(Arc::ptr_eq(&a, &cache.slot(key("a"))));
        let names: Vec<String> = cache.slots.lock().unwrap().iter().map(|(k, _)| k.bucket.clone()).collect();
        assert_eq!(names, ["c", "a"]);
    }

    /// Answers `CreateSession` (slowly, so that callers overlap) with sessions that
    /// expire `lifetime` from now, and counts the calls.
    #[derive(Debug)]
    struct FakeCreateSession {
        calls: std::sync::atomic::AtomicU32,
        lifetime: Duration,
        fail: bool,
    }

    impl HttpClient for FakeCreateSession {
        fn call(
            &self,
            request: http::Request<ByteStream>,
        ) -> crate::transport::BoxFuture<'_, Result<http::Response<ByteStream>, crate::transport::DispatchError>> {
            let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            assert_eq!(request.uri().to_string(), "https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/?session");
            let auth = request.headers()["authorization"].to_str().unwrap().to_owned();
            assert!(auth.contains("Credential=AKID/") && auth.contains("/us-west-2/s3express/aws4_request"), "{auth}");
            let expiry = DateTime::from(SystemTime::now() + self.lifetime).fmt(DateTimeFormat::DateTime);
            let (status, body) = if self.fail {
                (403, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>".to_owned())
            } else {
                (200, format!(
                    "<CreateSessionResult><Credentials><SessionToken>t{n}</SessionToken><SecretAccessKey>s{n}</SecretAccessKey>\
                     <AccessKeyId>ASIA{n}</AccessKeyId><Expiration>{expiry}</Expiration></Credentials></CreateSessionResult>"
                ))
            };
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let mut response = http::Response::new(ByteStream::from(body.into_bytes()));
                *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                Ok(response)
            })
        }
    }

    const ENDPOINT: SessionEndpoint<'static> = SessionEndpoint {
        url: "https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com",
        signing_name: "s3express",
        signing_region: "us-west-2",
        user_agent: "test",
    };

    fn fake(lifetime: u64, fail: bool) -> Arc<FakeCreateSession> {
        Arc::new(FakeCreateSession { calls: 0.into(), lifetime: Duration::from_secs(lifetime), fail })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_loads_for_one_bucket_make_one_call() {
        let cache = Arc::new(SessionCache::default());
        let http = fake(300, false);
        let base = Credentials::new("AKID", "SECRET", None);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (cache, http, base) = (cache.clone(), http.clone(), base.clone());
                tokio::spawn(async move { cache.session(&*http, &ENDPOINT, &base, "b--usw2-az1--x-s3").await.unwrap() })
            })
            .collect();
        for task in tasks {
            let session = task.await.unwrap();
            assert_eq!((session.access_key_id(), session.session_token()), ("ASIA1", Some("t1")));
        }
        assert_eq!(http.calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(cache.sessions_created(), 1);
        // Another identity gets its own session.
        let other = Credentials::new("AKID", "OTHER-SECRET", None);
        let session = cache.session(&*http, &ENDPOINT, &other, "b--usw2-az1--x-s3").await.unwrap();
        assert_eq!(session.access_key_id(), "ASIA2");
        assert_eq!(cache.len(), 2);
    }

    #[tokio::test]
    async fn sessions_near_expiry_are_refreshed_and_failures_are_errors() {
        let base = Credentials::new("AKID", "SECRET", None);
        // 30 s left is inside the 45 s advisory window: every call refreshes.
        let cache = SessionCache::default();
        let http = fake(30, false);
        for n in 1..=2 {
            let session = cache.session(&*http, &ENDPOINT, &base, "b").await.unwrap();
            assert_eq!(session.access_key_id(), format!("ASIA{n}"));
        }
        // A refused CreateSession is an error naming the service's code.
        let cache = SessionCache::default();
        let err = cache.session(&*fake(300, true), &ENDPOINT, &base, "b").await.unwrap_err();
        assert!(err.to_string().contains("CreateSession failed with HTTP 403: AccessDenied: no"), "{err}");
    }
}
