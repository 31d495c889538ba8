//! Credentials from the process environment (botocore's `EnvProvider`).

use std::time::SystemTime;

use super::credentials::Credentials;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::Env;

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`,
/// as botocore's `EnvProvider`:
///
/// - an unset or empty `AWS_ACCESS_KEY_ID` means "not found";
/// - an access key id without a non-empty `AWS_SECRET_ACCESS_KEY` is an error
///   ([`CredentialsError::Partial`]);
/// - the session token is the first non-empty one of `AWS_SECURITY_TOKEN` (botocore's
///   older name, read first) and `AWS_SESSION_TOKEN`.
///
/// - `AWS_CREDENTIAL_EXPIRATION` (an ISO 8601 time) is the expiry, and `AWS_ACCOUNT_ID`
///   the account id; a refresh reads the variables again, as botocore's does.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentCredentialsProvider {
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads variables from `env`.
    pub fn with_env(env: Env) -> Self {
        EnvironmentCredentialsProvider { env }
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}

impl EnvironmentCredentialsProvider {
    /// botocore's `EnvProvider.load`, at once.
    pub(crate) fn load(&self) -> Result<Credentials, CredentialsError> {
        let non_empty = |name: &str| self.env.get(name).filter(|v| !v.is_empty());
        let Some(access_key) = non_empty("AWS_ACCESS_KEY_ID") else {
            return Err(CredentialsError::not_found("env", "AWS_ACCESS_KEY_ID is not set"));
        };
        let Some(secret_key) = non_empty("AWS_SECRET_ACCESS_KEY") else {
            return Err(CredentialsError::Partial {
                provider: "env".into(),
                missing: "AWS_SECRET_ACCESS_KEY".into(),
                profile: None,
                file: None,
            });
        };
        let token = non_empty("AWS_SECURITY_TOKEN").or_else(|| non_empty("AWS_SESSION_TOKEN"));
        let expiry = match non_empty("AWS_CREDENTIAL_EXPIRATION") {
            Some(text) => Some(parse_expiry(&text).ok_or_else(|| {
                CredentialsError::other("env", format!("AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time: {text:?}"))
            })?),
            None => None,
        };
        Ok(Credentials::new(access_key, secret_key, token)
            .with_expiry(expiry)
            .with_account_id(non_empty("AWS_ACCOUNT_ID")))
    }
}


/// An expiry as STS, SSO, IMDS and credential processes write it: ISO 8601 / RFC 3339
/// (`2026-12-02T10:00:00Z`, with or without fractional seconds, or with an offset).
pub(crate) fn parse_expiry(text: &str) -> Option<SystemTime> {
    use crate::{DateTime, DateTimeFormat};
    DateTime::parse(text.trim(), DateTimeFormat::DateTime).ok().map(SystemTime::from)
}
