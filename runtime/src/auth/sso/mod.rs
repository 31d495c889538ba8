//! SSO (IAM Identity Center) credentials, as botocore 1.44.8's `SSOProvider`,
//! `SSOCredentialFetcher` and `SSOTokenProvider` get them:
//!
//! - a profile with `sso_account_id` or `sso_role_name` uses SSO. With `sso_session = name`
//!   the `[sso-session name]` section of the config file gives `sso_start_url` and
//!   `sso_region` (a key in both the profile and the section must have the same value);
//!   a legacy profile has them itself. Missing keys are one error naming them all;
//! - the access token is the one `aws sso login` cached in
//!   `~/.aws/sso/cache/<sha1>.json` (the SHA-1 of the session name, or of the start URL
//!   for a legacy profile), read again on each refresh. A session's token with less
//!   than 15 minutes left is refreshed with SSO-OIDC `CreateToken` and written back to
//!   that file; a legacy token cannot be refreshed;
//! - then SSO `GetRoleCredentials` (unsigned, the token in `x-amz-sso_bearer_token`)
//!   gives credentials for `sso_account_id`, expiring at its epoch-millisecond
//!   `expiration`.
//!
//! The access token, the refresh token and the client secret never appear in `Debug`,
//! errors or logs.

mod api;
mod token;

use std::fmt;
use std::sync::Arc;

use super::context::Ctx;
use super::profile::text;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::profile::{Profile, ProfileFiles, Property};

pub(crate) const PROVIDER: &str = "sso";

/// A secret string (an access or refresh token, a client secret): `Debug` shows only
/// that there is one.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// What an SSO profile resolves to (botocore's `SSOProvider._load_sso_config`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SsoConfig {
    pub profile: String,
    pub start_url: String,
    pub region: String,
    pub role_name: String,
    pub account_id: String,
    /// For an `sso_session` profile: the session, whose token can be refreshed.
    pub session: Option<SsoSession>,
    /// Endpoints the profile configures for the SSO and SSO-OIDC clients.
    pub endpoints: ConfiguredEndpoints,
}

/// What the profile says about the endpoints of the `sso` and `sso-oidc` clients
/// botocore creates (its `EndpointConfigProvider`, after the environment variables):
/// `ignore_configured_endpoint_urls`, the `sso` / `sso_oidc` `endpoint_url` of the
/// `[services NAME]` section named by `services = NAME`, and the profile's
/// `endpoint_url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConfiguredEndpoints {
    pub ignore: Option<bool>,
    /// `services.sso.endpoint_url` and `services.sso_oidc.endpoint_url`, or why the
    /// `services` setting is unusable (an error only when it is consulted, as botocore).
    pub services: Result<(Option<String>, Option<String>), String>,
    pub endpoint_url: Option<String>,
}

impl ConfiguredEndpoints {
    fn of(files: &ProfileFiles, profile: &Profile<'_>) -> Self {
        let text_of = |key: &str| profile.get(key).and_then(Property::as_text).map(str::to_owned);
        let services = match text_of("services") {
            None => Ok((None, None)),
            Some(name) => match files.config_file().and_then(|f| f.services(&name)) {
                Some(section) if !section.properties().is_empty() => {
                    let url = |service: &str| {
                        section
                            .get(service)
                            .and_then(|p| p.nested_get("endpoint_url"))
                            .and_then(Property::as_text)
                            .filter(|u| !u.is_empty())
                            .map(str::to_owned)
                    };
                    Ok((url("sso"), url("sso_oidc")))
                }
                _ => Err(format!(
                    "the profile `{}` is configured to use the services section but the \"{name}\" services configuration does not exist",
                    profile.name()
                )),
            },
        };
        ConfiguredEndpoints {
            ignore: text_of("ignore_configured_endpoint_urls").map(|v| v.eq_ignore_ascii_case("true")),
            services,
            endpoint_url: text_of("endpoint_url").filter(|u| !u.is_empty()),
        }
    }
}

/// The `[sso-session name]` a profile refers to, as botocore's `SSOTokenProvider` reads it
/// (from the section alone, not the profile).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SsoSession {
    pub name: String,
    pub start_url: String,
    pub region: String,
}

/// The provider for a profile with SSO settings (`sso_role_name` or `sso_account_id`),
/// or `None` when it has none.
pub(crate) fn from_profile(
    ctx: &Ctx,
    files: &ProfileFiles,
    profile: Option<&Profile<'_>>,
) -> Result<Option<Arc<dyn ProvideCredentials>>, CredentialsError> {
    let Some(profile) = profile else { return Ok(None) };
    match resolve(files, profile)? {
        Some(config) => Ok(Some(Arc::new(SsoCredentialsProvider { ctx: ctx.clone(), config }))),
        None => Ok(None),
    }
}

fn invalid(message: impl fmt::Display) -> CredentialsError {
    CredentialsError::other(PROVIDER, message)
}

/// botocore's `_load_sso_config` and `_resolve_sso_session_reference`, then the checks
/// `SSOTokenProvider._load_sso_config` makes of the session section.
pub(crate) fn resolve(files: &ProfileFiles, profile: &Profile<'_>) -> Result<Option<SsoConfig>, CredentialsError> {
    const PROFILE_REQUIRED: [&str; 2] = ["sso_role_name", "sso_account_id"];
    if PROFILE_REQUIRED.iter().all(|k| profile.get(k).is_none()) {
        return Ok(None);
    }
    let name = profile.name();
    // The merged settings: the profile's, with the session section's laid over them.
    let mut settings: Vec<&Property> = profile.properties().to_vec();
    let mut session_section = None;
    if let Some(prop) = profile.get("sso_session") {
        let session_name = text(PROVIDER, prop)?;
        let section = files.config_file().and_then(|f| f.sso_session(&session_name)).ok_or_else(|| {
            invalid(format!(
                "the specified sso-session does not exist: \"{session_name}\" (profile `{name}` in {})",
                prop.file().display()
            ))
        })?;
        for value in section.properties() {
            match settings.iter_mut().find(|p| p.name() == value.name()) {
                Some(slot) => {
                    if slot.as_text() != value.as_text() || slot.nested() != value.nested() {
                        return Err(invalid(format!(
                            "the value for {key} is inconsistent between profile `{name}` ({}) and sso-session `{session_name}` ({})",
                            slot.as_text().unwrap_or("a nested block"),
                            value.as_text().unwrap_or("a nested block"),
                            key = value.name(),
                        )));
                    }
                    *slot = value;
                }
                None => settings.push(value),
            }
        }
        session_section = Some((session_name, section));
    }
    let get = |key: &str| settings.iter().copied().find(|p| p.name() == key);
    let mut required = vec!["sso_role_name", "sso_account_id", "sso_start_url", "sso_region"];
    if session_section.is_some() {
        required.push("sso_session");
    }
    let missing: Vec<&str> = required.iter().copied().filter(|k| get(k).is_none()).collect();
    if !missing.is_empty() {
        return Err(invalid(format!(
            "the profile \"{name}\" is configured to use SSO but is missing required configuration: {}",
            missing.join(", ")
        )));
    }
    let value = |key: &str| text(PROVIDER, get(key).expect("checked above"));
    let session = match session_section {
        None => None,
        Some((session_name, section)) => {
            let missing: Vec<&str> = ["sso_start_url", "sso_region"].into_iter().filter(|k| section.get(k).is_none()).collect();
            if !missing.is_empty() {
                return Err(invalid(format!(
                    "the profile \"{name}\" is configured to use the SSO token provider but the sso-session \"{session_name}\" is missing {}",
                    missing.join(", ")
                )));
            }
            Some(SsoSession {
                start_url: text(PROVIDER, section.get("sso_start_url").expect("checked"))?,
                region: text(PROVIDER, section.get("sso_region").expect("checked"))?,
                name: session_name,
            })
        }
    };
    Ok(Some(SsoConfig {
        profile: name.to_string(),
        start_url: value("sso_start_url")?,
        region: value("sso_region")?,
        role_name: value("sso_role_name")?,
        account_id: value("sso_account_id")?,
        session,
        endpoints: ConfiguredEndpoints::of(files, profile),
    }))
}

/// Credentials of an SSO profile. Each call reads the token cache again (refreshing the
/// token when due) and asks SSO `GetRoleCredentials`; the client's
/// [`CredentialsCache`](crate::auth::CredentialsCache) decides when to call.
#[derive(Debug)]
pub(crate) struct SsoCredentialsProvider {
    ctx: Ctx,
    config: SsoConfig,
}

impl ProvideCredentials for SsoCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let token = match &self.config.session {
                Some(session) => token::session_token(&self.ctx, session, &self.config.endpoints).await?,
                None => token::legacy_token(&self.ctx, &self.config.start_url)?,
            };
            api::get_role_credentials(&self.ctx, &self.config, &token).await
        })
    }
}

#[cfg(test)]
mod tests;
