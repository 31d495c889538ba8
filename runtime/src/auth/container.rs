//! Container credentials (ECS task roles, EKS Pod Identity), as botocore's
//! `ContainerProvider` and `ContainerMetadataFetcher` get them.
//!
//! - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (which wins) is appended to
//!   `http://169.254.170.2`; otherwise `AWS_CONTAINER_CREDENTIALS_FULL_URI` is the URL.
//!   Neither set: not found, no request.
//! - The URL must be `https`, or name a loopback host (`127.0.0.0/8`, `::1`,
//!   `localhost`) or one of the ECS / EKS Pod Identity addresses `169.254.170.2`,
//!   `169.254.170.23` and `fd00:ec2::23`; any other host is an error.
//! - The `Authorization` header is the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`,
//!   read again on every fetch (EKS rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`;
//!   a value with a CR or LF is refused (as botocore: the file is not trimmed).
//! - Each fetch is tried 3 times, 2 s each, 1 s apart; a failure after that is an error
//!   that stops the chain (the variables say credentials are meant to come from here).
//! - The answer is JSON: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` and,
//!   where given, `AccountId`.
//!
//! The token and the credentials never appear in errors or logs.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use super::context::Ctx;
use super::credentials::Credentials;
use super::env::parse_expiry;
use super::http::send;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::Env;

const PROVIDER: &str = "container-role";
const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
const ECS_HOST: &str = "169.254.170.2";
/// botocore's `ContainerMetadataFetcher._ALLOWED_HOSTS`.
const ALLOWED_HOSTS: [&str; 4] = [ECS_HOST, "169.254.170.23", "fd00:ec2::23", "localhost"];
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;
const PAUSE: Duration = Duration::from_secs(1);

/// Credentials from the container credentials endpoint. See the module documentation.
pub struct ContainerCredentialsProvider {
    ctx: Ctx,
    /// Between attempts (1 s; shorter in tests).
    pause: Duration,
}

impl fmt::Debug for ContainerCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL and the token file's path are not secret; the token is never shown.
        f.debug_struct("ContainerCredentialsProvider")
            .field("ctx", &self.ctx)
            .field("relative_uri", &self.ctx.env.get(RELATIVE_URI))
            .field("full_uri", &self.ctx.env.get(FULL_URI))
            .field("token_file", &self.ctx.env.get(TOKEN_FILE))
            .finish()
    }
}

/// The container provider over `ctx`'s environment.
pub(crate) fn provider(ctx: &Ctx) -> ContainerCredentialsProvider {
    ContainerCredentialsProvider { ctx: ctx.clone(), pause: PAUSE }
}

impl Default for ContainerCredentialsProvider {
    fn default() -> Self {
        Self::with_env(Env::process())
    }
}

impl ContainerCredentialsProvider {
    /// The provider over the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// The provider over the variables of `env`.
    pub fn with_env(env: Env) -> Self {
        provider(&Ctx::new(env))
    }

    /// The endpoint's URL, or `None` when neither variable is set.
    fn url(&self) -> Result<Option<String>, CredentialsError> {
        let url = match (self.ctx.env.get(RELATIVE_URI), self.ctx.env.get(FULL_URI)) {
            (Some(relative), _) => format!("http://{ECS_HOST}{relative}"),
            (None, Some(full)) => full,
            (None, None) => return Ok(None),
        };
        check_url(&url)?;
        Ok(Some(url))
    }

    /// The `Authorization` header's value, read now.
    fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let token = if let Some(path) = self.ctx.env.get(TOKEN_FILE) {
            let bytes = std::fs::read(&path)
                .map_err(|e| CredentialsError::other(PROVIDER, format!("cannot read {TOKEN_FILE} ({path}): {e}")))?;
            Some(String::from_utf8(bytes).map_err(|_| CredentialsError::other(PROVIDER, format!("{TOKEN_FILE} ({path}) is not UTF-8")))?)
        } else {
            self.ctx.env.get(TOKEN)
        };
        if let Some(token) = &token {
            if token.contains(['\r', '\n']) {
                let from = if self.ctx.env.get(TOKEN_FILE).is_some() { TOKEN_FILE } else { TOKEN };
                return Err(CredentialsError::other(
                    PROVIDER,
                    format!("the authorization token (from {from}) contains a CR or LF, which is not a legal header value"),
                ));
            }
        }
        Ok(token)
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let Some(url) = self.url()? else {
            return Err(CredentialsError::not_found(PROVIDER, format!("neither {RELATIVE_URI} nor {FULL_URI} is set")));
        };
        let authorization = self.authorization()?;
        let mut headers = vec![("accept", "application/json")];
        if let Some(token) = &authorization {
            headers.push(("authorization", token.as_str()));
        }
        // Connect and read timeouts of 2 s each (botocore's), so at most 4 s an attempt.
        let http = self.ctx.metadata_http_with_timeout(TIMEOUT);
        let mut attempt = 0;
        let doc = loop {
            let why = match send(&*http, "GET", &url, &headers, Bytes::new(), TIMEOUT * 2).await {
                Ok(r) if r.status != 200 => format!("{url} answered {}", r.status),
                Ok(r) => match serde_json::from_slice::<serde_json::Value>(&r.body) {
                    Ok(doc) => break doc,
                    Err(_) => format!("{url} answered with something that is not JSON"),
                },
                Err(failed) => failed.message,
            };
            tracing::debug!(reason = %why, "container credentials endpoint failed");
            tokio::time::sleep(self.pause).await;
            attempt += 1;
            if attempt >= ATTEMPTS {
                return Err(CredentialsError::other(PROVIDER, format!("no credentials after {ATTEMPTS} attempts: {why}")));
            }
        };
        parse_credentials(&doc)
    }
}

impl ProvideCredentials for ContainerCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// botocore's `_validate_allowed_url`: https, a loopback address, or an allowed host.
fn check_url(url: &str) -> Result<(), CredentialsError> {
    let uri: http::Uri = url
        .parse()
        .map_err(|_| CredentialsError::other(PROVIDER, format!("the container credentials URL {url:?} is not a valid URL")))?;
    if uri.scheme_str().is_some_and(|s| s.eq_ignore_ascii_case("https")) {
        return Ok(());
    }
    let host = uri.host().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let loopback = host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback || ALLOWED_HOSTS.contains(&host.as_str()) {
        return Ok(());
    }
    Err(CredentialsError::other(
        PROVIDER,
        format!(
            "unsupported host {host:?} in the container credentials URL: only https, a loopback address or one of {} is allowed",
            ALLOWED_HOSTS.join(", ")
        ),
    ))
}

fn parse_credentials(doc: &serde_json::Value) -> Result<Credentials, CredentialsError> {
    let field = |name: &str| doc.get(name).and_then(|v| v.as_str());
    let required = |name: &str| {
        field(name).ok_or_else(|| CredentialsError::other(PROVIDER, format!("the endpoint's answer has no {name}")))
    };
    let expiration = required("Expiration")?;
    let expiry = parse_expiry(expiration)
        .ok_or_else(|| CredentialsError::other(PROVIDER, format!("the endpoint's Expiration is not a time: {expiration:?}")))?;
    Ok(Credentials::new(required("AccessKeyId")?, required("SecretAccessKey")?, Some(required("Token")?.to_string()))
        .with_expiry(Some(expiry))
        .with_account_id(field("AccountId").filter(|a| !a.is_empty()).map(str::to_owned)))
}

#[cfg(test)]
mod tests;
