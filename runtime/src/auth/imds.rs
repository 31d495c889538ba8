//! EC2 instance metadata (IMDS) credentials, as botocore's `InstanceMetadataProvider` and
//! `InstanceMetadataFetcher` get them, and the instance's region ([`region_from_imds`]).
//!
//! Each fetch asks for an IMDSv2 session token (`PUT /latest/api/token` with a TTL of
//! 21600 s), then the role name (`GET /latest/meta-data/iam/security-credentials/`), then
//! the role's credentials, sending the token with both `GET`s. As in botocore:
//!
//! - `AWS_EC2_METADATA_DISABLED=true` (environment only): not found, no request;
//! - the endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` / `ec2_metadata_service_endpoint`,
//!   else `http://[fd00:ec2::254]` when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` /
//!   `ec2_metadata_service_endpoint_mode` is `IPv6` (or the legacy `imds_use_ipv6` is
//!   true), else `http://169.254.169.254`;
//! - each request is tried `AWS_METADATA_SERVICE_NUM_ATTEMPTS` /
//!   `metadata_service_num_attempts` times (default 1) with a timeout of
//!   `AWS_METADATA_SERVICE_TIMEOUT` / `metadata_service_timeout` seconds (default 1), so a
//!   machine without IMDS gives up within about a second;
//! - a token request answered 403, 404 or 405, or not answered at all (nor with 200 after
//!   every attempt), falls back to IMDSv1 (`GET`s without a token), unless
//!   `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled` is true: then it is an
//!   error (botocore raises it out of the chain); a 400 means "not found";
//! - a `GET` answered with anything but 200 and a non-empty body (and for the credentials
//!   valid JSON), after every attempt, means "not found", and so does a credentials
//!   document without `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration` (IMDS
//!   answers `{"Code": …, "Message": …}` when the role cannot be assumed);
//! - credentials that expire within 10 minutes plus a 2 to 10 minute jitter get their
//!   expiry moved that far ahead (botocore's `_evaluate_expiration`: IMDS may be serving
//!   stale credentials during an outage; they are used a little longer and asked for again).
//!
//! The profile settings are those of the chosen profile (`AWS_PROFILE`, or the caller's),
//! read from the shared files the chain loaded once. The token and the credentials never
//! appear in errors or logs.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;

use super::context::Ctx;
use super::credentials::Credentials;
use super::env::parse_expiry;
use super::http::{send, RequestFailed, Response};
use super::profile::{text, ProfileChoice};
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::Env;
use crate::transport::HttpClient;

const PROVIDER: &str = "iam-role";
const ENDPOINT_IPV4: &str = "http://169.254.169.254";
const ENDPOINT_IPV6: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "latest/api/token";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_TTL: &str = "21600";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const ROLE_PATH: &str = "latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "latest/meta-data/placement/region";
/// botocore's `ec2_credential_refresh_window` (not configurable there either).
const REFRESH_WINDOW: Duration = Duration::from_secs(600);

/// Credentials of the instance profile's role, from EC2 instance metadata. See the module
/// documentation for the settings it honours.
pub struct ImdsCredentialsProvider {
    ctx: Ctx,
    /// The caller's profile; `None`: the one `AWS_PROFILE` chooses, or `default`.
    profile: Option<String>,
    client: OnceLock<Result<Option<Arc<Client>>, CredentialsError>>,
}

impl fmt::Debug for ImdsCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoint = self.client.get().and_then(|c| c.as_ref().ok()).map(|c| c.as_ref().map(|c| c.base.as_str()));
        f.debug_struct("ImdsCredentialsProvider")
            .field("ctx", &self.ctx)
            .field("profile", &self.profile)
            .field("endpoint", &endpoint)
            .finish()
    }
}

/// The IMDS provider over `ctx`'s environment and shared files.
pub(crate) fn provider(ctx: &Ctx) -> ImdsCredentialsProvider {
    ImdsCredentialsProvider { ctx: ctx.clone(), profile: None, client: OnceLock::new() }
}

impl Default for ImdsCredentialsProvider {
    fn default() -> Self {
        Self::with_env(Env::process())
    }
}

impl ImdsCredentialsProvider {
    /// The provider over the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// The provider over the variables of `env` (and the shared files they locate).
    pub fn with_env(env: Env) -> Self {
        provider(&Ctx::new(env))
    }

    /// Reads the IMDS settings of `profile` instead of the environment's profile.
    pub fn with_profile(mut self, profile: Option<String>) -> Self {
        self.profile = profile;
        self.client = OnceLock::new();
        self
    }

    fn client(&self) -> Result<Option<Arc<Client>>, CredentialsError> {
        self.client.get_or_init(|| Client::new(&self.ctx, self.profile.as_deref()).map(|c| c.map(Arc::new))).clone()
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let Some(client) = self.client()? else {
            return Err(CredentialsError::not_found(PROVIDER, "AWS_EC2_METADATA_DISABLED is true"));
        };
        let token = client.token().await?;
        let role = client
            .get(ROLE_PATH, token.as_deref(), |_| Ok(()))
            .await
            .map_err(|why| CredentialsError::not_found(PROVIDER, format!("no IAM role from {}: {why}", client.base)))?;
        let role = String::from_utf8_lossy(&role.body).trim().to_string();
        let path = format!("{ROLE_PATH}{role}");
        let json = |r: &Response| serde_json::from_slice::<serde_json::Value>(&r.body).map(drop).map_err(|_| "the answer is not JSON".to_string());
        let doc = client
            .get(&path, token.as_deref(), json)
            .await
            .map_err(|why| CredentialsError::not_found(PROVIDER, format!("no credentials for the role `{role}`: {why}")))?;
        let creds = parse_credentials(&doc.body, &role, self.ctx.now())?;
        tracing::debug!(role = %role, "found credentials in instance metadata");
        Ok(creds)
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// The region of the EC2 instance this runs on (`/latest/meta-data/placement/region`,
/// as aws-config reads it; botocore reads the availability zone and drops its last
/// letter), with the same settings, token and fallback as [`ImdsCredentialsProvider`].
///
/// `None` when IMDS is disabled, unreachable, or gives no region: off EC2 this takes up
/// to `AWS_METADATA_SERVICE_TIMEOUT` (1 s by default) per attempt, which is why
/// `Config::from_env` does not call it; call it yourself when the region may only be
/// known there, e.g. `config.region.or(region_from_imds(Env::process()).await)`.
pub async fn region_from_imds(env: Env) -> Option<String> {
    let ctx = Ctx::new(env);
    let client = match Client::new(&ctx, None) {
        Ok(Some(client)) => client,
        Ok(None) => return None,
        Err(err) => {
            tracing::debug!(error = %err, "no region from instance metadata");
            return None;
        }
    };
    let answer = async {
        let token = client.token().await.map_err(|e| e.to_string())?;
        client.get(REGION_PATH, token.as_deref(), |_| Ok(())).await
    };
    match answer.await {
        Ok(response) => Some(response.text().trim().to_string()).filter(|r| !r.is_empty()),
        Err(why) => {
            tracing::debug!(reason = %why, "no region from instance metadata");
            None
        }
    }
}

/// The resolved settings and the HTTP client of one provider.
struct Client {
    base: String,
    v1_disabled: bool,
    timeout: Duration,
    attempts: u32,
    http: Arc<dyn HttpClient>,
}

impl Client {
    /// `None` when `AWS_EC2_METADATA_DISABLED` is `true`.
    fn new(ctx: &Ctx, profile: Option<&str>) -> Result<Option<Client>, CredentialsError> {
        if ctx.env.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            return Ok(None);
        }
        let files = ctx.files()?;
        let name = ProfileChoice::new(&ctx.env, profile).name;
        let section = files.profile(&name);
        // botocore's config variables: the environment wins, then the profile.
        let setting = |var: &str, key: &str| -> Result<Option<String>, CredentialsError> {
            if let Some(value) = ctx.env.get(var) {
                return Ok(Some(value));
            }
            section.as_ref().and_then(|p| p.get(key)).map(|prop| text(PROVIDER, prop)).transpose()
        };
        let boolean = |var: &str, key: &str| Ok::<_, CredentialsError>(setting(var, key)?.is_some_and(|v| v.eq_ignore_ascii_case("true")));
        let integer = |var: &str, key: &str| -> Result<u64, CredentialsError> {
            match setting(var, key)? {
                None => Ok(1),
                Some(v) => v.trim().parse::<u64>().map_err(|_| {
                    CredentialsError::other(PROVIDER, format!("{key} (or {var}) must be a whole number of at least 0, not {v:?}"))
                }),
            }
        };
        let mode = match setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode")? {
            Some(mode) => match mode.to_ascii_lowercase().as_str() {
                "ipv4" => false,
                "ipv6" => true,
                _ => {
                    return Err(CredentialsError::other(
                        PROVIDER,
                        format!("the IMDS endpoint mode {mode:?} is not valid (ipv4 or ipv6)"),
                    ))
                }
            },
            None => boolean("AWS_IMDS_USE_IPV6", "imds_use_ipv6")?,
        };
        let base = match setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint")? {
            Some(custom) if !custom.is_empty() => custom,
            _ if mode => ENDPOINT_IPV6.to_string(),
            _ => ENDPOINT_IPV4.to_string(),
        };
        let valid = base.parse::<http::Uri>().is_ok_and(|u| {
            matches!(u.scheme_str(), Some("http" | "https")) && u.host().is_some_and(|h| !h.is_empty())
        });
        if !valid {
            return Err(CredentialsError::other(PROVIDER, format!("the IMDS endpoint {base:?} is not a valid http(s) URL")));
        }
        let timeout = Duration::from_secs(integer("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")?);
        let attempts = integer("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts")?;
        Ok(Some(Client {
            base,
            v1_disabled: boolean("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")?,
            timeout,
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            http: ctx.metadata_http_with_timeout(timeout),
        }))
    }

    fn url(&self, path: &str) -> String {
        let sep = if self.base.ends_with('/') { "" } else { "/" };
        format!("{}{sep}{path}", self.base)
    }

    // Requests: the client's connect and read timeouts are botocore's per-operation
    // timeout; the whole exchange gets both (a backstop against a trickling answer).

    /// The IMDSv2 session token, or `None` to go on with IMDSv1.
    async fn token(&self) -> Result<Option<String>, CredentialsError> {
        let url = self.url(TOKEN_PATH);
        let mut why = "no attempt was made (metadata_service_num_attempts is 0)".to_string();
        for _ in 0..self.attempts {
            match send(&*self.http, "PUT", &url, &[(TOKEN_TTL_HEADER, TOKEN_TTL)], Bytes::new(), self.timeout * 2).await {
                Ok(r) if r.status == 200 && !r.body.is_empty() => return Ok(Some(r.text())),
                Ok(r) if (403..=405).contains(&r.status) => {
                    why = format!("the token request was answered {}", r.status);
                    break;
                }
                Ok(r) if r.status == 400 => {
                    return Err(CredentialsError::not_found(PROVIDER, format!("{url} refused the token request as malformed (400)")));
                }
                Ok(r) => why = format!("the token request was answered {}", r.status),
                Err(failed) => why = describe(failed),
            }
        }
        if self.v1_disabled {
            return Err(CredentialsError::other(
                PROVIDER,
                format!("no IMDSv2 token ({why}) and IMDSv1 is disabled (ec2_metadata_v1_disabled)"),
            ));
        }
        tracing::debug!(reason = %why, "no IMDSv2 token; using IMDSv1");
        Ok(None)
    }

    /// `GET path`, tried until it answers 200 with a non-empty body that `check` accepts.
    async fn get(&self, path: &str, token: Option<&str>, check: impl Fn(&Response) -> Result<(), String>) -> Result<Response, String> {
        let url = self.url(path);
        let headers: Vec<(&str, &str)> = token.map(|t| (TOKEN_HEADER, t)).into_iter().collect();
        let mut why = "no attempt was made (metadata_service_num_attempts is 0)".to_string();
        for _ in 0..self.attempts {
            match send(&*self.http, "GET", &url, &headers, Bytes::new(), self.timeout * 2).await {
                Ok(r) if r.status != 200 => why = format!("{url} answered {}", r.status),
                Ok(r) if r.body.is_empty() => why = format!("{url} answered with an empty body"),
                Ok(r) => match check(&r) {
                    Ok(()) => return Ok(r),
                    Err(e) => why = format!("{url}: {e}"),
                },
                Err(failed) => why = describe(failed),
            }
        }
        Err(why)
    }
}

/// A request without an answer; "unreachable" usually means "not on EC2".
fn describe(failed: RequestFailed) -> String {
    if failed.unreachable {
        format!("instance metadata is unreachable (not on EC2?): {}", failed.message)
    } else {
        failed.message
    }
}

/// The role's credentials document.
fn parse_credentials(body: &[u8], role: &str, now: std::time::SystemTime) -> Result<Credentials, CredentialsError> {
    let doc: serde_json::Value = serde_json::from_slice(body).map_err(|_| CredentialsError::other(PROVIDER, "the credentials are not JSON"))?;
    let field = |name: &str| doc.get(name).and_then(|v| v.as_str());
    let (Some(key), Some(secret), Some(token), Some(expiration)) =
        (field("AccessKeyId"), field("SecretAccessKey"), field("Token"), field("Expiration"))
    else {
        let mut reason = format!("the credentials of the role `{role}` lack AccessKeyId, SecretAccessKey, Token or Expiration");
        if let (Some(code), Some(message)) = (field("Code"), field("Message")) {
            reason.push_str(&format!(" ({code}: {message})"));
        }
        return Err(CredentialsError::not_found(PROVIDER, reason));
    };
    let mut expiry = parse_expiry(expiration)
        .ok_or_else(|| CredentialsError::other(PROVIDER, format!("the Expiration of the role `{role}` is not a time: {expiration:?}")))?;
    let window = REFRESH_WINDOW + jitter();
    if expiry.checked_sub(window).is_none_or(|refresh_at| now >= refresh_at) {
        tracing::info!(minutes = window.as_secs() / 60, "instance metadata served credentials about to expire; using them a little longer");
        expiry = now + window;
    }
    let account = field("AccountId").filter(|a| !a.is_empty()).map(str::to_owned);
    Ok(Credentials::new(key, secret, Some(token.to_string())).with_expiry(Some(expiry)).with_account_id(account))
}

/// 2 to 10 minutes, at random (botocore's `random.randint(120, 600)`).
fn jitter() -> Duration {
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    Duration::from_secs(120 + random % 481)
}

#[cfg(test)]
mod tests;
