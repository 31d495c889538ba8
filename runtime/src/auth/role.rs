//! Roles: a profile's `role_arn` with `source_profile` or `credential_source` (botocore's
//! `AssumeRoleProvider`), and web identity (`AssumeRoleWithWebIdentityProvider`).

use std::fmt;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use super::cache::CredentialsCache;
use super::context::Ctx;
use super::env::EnvironmentCredentialsProvider;
use super::profile::{has_assume_role_config, has_static_credentials, profile_providers, text, unsupported};
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use super::sts::{self, StsCall};
use super::{container, imds};
use crate::config::profile::{Profile, ProfileFiles};

const ASSUME_ROLE: &str = "assume-role";
const WEB_IDENTITY: &str = "assume-role-with-web-identity";

/// Calls STS `AssumeRole` with the credentials of its source.
pub(crate) struct AssumeRoleProvider {
    ctx: Ctx,
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    role_session_name: Option<String>,
    duration_seconds: Option<u32>,
    external_id: Option<String>,
    /// The profile that asked for the role, for messages.
    profile: String,
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("profile", &self.profile)
            .field("role_arn", &self.role_arn)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let source = self.source.provide_credentials().await?;
            let mut params = vec![
                ("RoleArn", self.role_arn.clone()),
                ("RoleSessionName", self.role_session_name.clone().unwrap_or_else(|| default_session_name(&self.ctx))),
            ];
            if let Some(duration) = self.duration_seconds {
                params.push(("DurationSeconds", duration.to_string()));
            }
            if let Some(external_id) = &self.external_id {
                params.push(("ExternalId", external_id.clone()));
            }
            sts::call(&self.ctx, StsCall { action: "AssumeRole", params, sign_with: Some(&source), provider: ASSUME_ROLE }).await
        })
    }
}

/// botocore's default `RoleSessionName`: `botocore-session-<unix seconds>`.
fn default_session_name(ctx: &Ctx) -> String {
    format!("botocore-session-{}", ctx.now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs())
}

/// The provider for a profile with `role_arn` (and no `web_identity_token_file`).
pub(crate) fn assume_role_from_profile(ctx: &Ctx, files: &ProfileFiles, name: &str) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    let mut visited = vec![name.to_owned()];
    Ok(Arc::new(assume_role(ctx, files, name, &mut visited)?))
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::other(ASSUME_ROLE, message)
}

fn assume_role(ctx: &Ctx, files: &ProfileFiles, name: &str, visited: &mut Vec<String>) -> Result<AssumeRoleProvider, CredentialsError> {
    let profile = files.profile(name).ok_or_else(|| invalid(format!("the profile `{name}` does not exist")))?;
    let get = |key: &str| -> Result<Option<String>, CredentialsError> {
        profile.get(key).map(|p| text(ASSUME_ROLE, p)).transpose()
    };
    let role_arn = get("role_arn")?.unwrap_or_default();
    let source_profile = get("source_profile")?;
    let credential_source = get("credential_source")?;
    if let Some(prop) = profile.get("mfa_serial") {
        // botocore prompts for a code on the terminal; a library cannot.
        return Err(unsupported("assume-role with mfa_serial", name, prop));
    }
    let duration_seconds = get("duration_seconds")?.and_then(|d| d.trim().parse::<u32>().ok());
    let source: Arc<dyn ProvideCredentials> = match (source_profile, credential_source) {
        (Some(_), Some(_)) => {
            return Err(invalid(format!("the profile `{name}` contains both source_profile and credential_source")))
        }
        (None, None) => {
            return Err(CredentialsError::Partial {
                provider: ASSUME_ROLE.into(),
                missing: "source_profile or credential_source".into(),
                profile: Some(name.to_owned()),
                file: profile.get("role_arn").map(|p| p.file().to_path_buf()),
            })
        }
        (None, Some(source)) => credential_source_provider(ctx, name, &source)?,
        (Some(source), None) => {
            validate_source_profile(files, name, &source, visited)?;
            visited.push(source.clone());
            let source_config = files.profile(&source).expect("validated");
            if has_static_credentials(&source_config) || !has_assume_role_config(&source_config) {
                match profile_providers(ctx, files, &source, true) {
                    Ok(provider) => provider,
                    Err(err) if err.is_not_found() => {
                        return Err(invalid(format!("the source profile `{source}` must have credentials")))
                    }
                    Err(err) => return Err(err),
                }
            } else {
                Arc::new(CredentialsCache::new(assume_role(ctx, files, &source, visited)?))
            }
        }
    };
    Ok(AssumeRoleProvider {
        ctx: ctx.clone(),
        source,
        role_arn,
        role_session_name: get("role_session_name")?,
        duration_seconds,
        external_id: get("external_id")?,
        profile: name.to_owned(),
    })
}

/// botocore's `_validate_source_profile`: the profile exists, and a chain never comes
/// back to a profile it went through, except a profile that names itself and has static
/// keys.
fn validate_source_profile(files: &ProfileFiles, parent: &str, source: &str, visited: &[String]) -> Result<(), CredentialsError> {
    let Some(source_config) = files.profile(source) else {
        return Err(invalid(format!("the source_profile `{source}` referenced in the profile `{parent}` does not exist")));
    };
    if !visited.iter().any(|v| v == source) {
        return Ok(());
    }
    if source != parent || !has_static_credentials(&source_config) {
        return Err(invalid(format!(
            "infinite loop in the source_profile chain: `{source}` was already visited ({})",
            visited.join(" -> ")
        )));
    }
    Ok(())
}

/// `credential_source`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
fn credential_source_provider(ctx: &Ctx, profile: &str, source: &str) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    Ok(match source {
        "Environment" => Arc::new(EnvironmentCredentialsProvider::with_env(ctx.env.clone())),
        "Ec2InstanceMetadata" => Arc::new(CredentialsCache::new(imds::provider(ctx))),
        "EcsContainer" => Arc::new(CredentialsCache::new(container::provider(ctx))),
        other => {
            return Err(invalid(format!(
                "the credential_source `{other}` of profile `{profile}` is not valid (Environment, Ec2InstanceMetadata or EcsContainer)"
            )))
        }
    })
}

/// Calls STS `AssumeRoleWithWebIdentity` with the token file's contents, read again on
/// every refresh (the file is rotated by the platform: EKS, GitHub Actions, …).
pub(crate) struct WebIdentityProvider {
    ctx: Ctx,
    token_file: String,
    role_arn: String,
    role_session_name: Option<String>,
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("token_file", &self.token_file)
            .field("role_arn", &self.role_arn)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let token = tokio::fs::read_to_string(&self.token_file).await.map_err(|e| {
                CredentialsError::other(WEB_IDENTITY, format!("cannot read the web identity token file {}: {e}", self.token_file))
            })?;
            let params = vec![
                ("RoleArn", self.role_arn.clone()),
                ("RoleSessionName", self.role_session_name.clone().unwrap_or_else(|| default_session_name(&self.ctx))),
                ("WebIdentityToken", token),
            ];
            sts::call(&self.ctx, StsCall { action: "AssumeRoleWithWebIdentity", params, sign_with: None, provider: WEB_IDENTITY })
                .await
        })
    }
}

/// botocore's `AssumeRoleWithWebIdentityProvider`: each setting from its environment
/// variable when that is set (even empty) and not disabled, else from the profile.
pub(crate) fn web_identity_from(
    ctx: &Ctx,
    profile: Option<&Profile<'_>>,
    disable_env_vars: bool,
) -> Result<Option<Arc<dyn ProvideCredentials>>, CredentialsError> {
    let get = |key: &str, var: &str| -> Result<Option<String>, CredentialsError> {
        if !disable_env_vars {
            if let Some(value) = ctx.env.get(var) {
                return Ok(Some(value));
            }
        }
        profile.and_then(|p| p.get(key)).map(|p| text(WEB_IDENTITY, p)).transpose()
    };
    let Some(token_file) = get("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")?.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let role_arn = get("role_arn", "AWS_ROLE_ARN")?.filter(|r| !r.is_empty()).ok_or_else(|| {
        CredentialsError::other(
            WEB_IDENTITY,
            "web identity is configured (a token file is set) but no role ARN: set role_arn in the profile or AWS_ROLE_ARN",
        )
    })?;
    let role_session_name = get("role_session_name", "AWS_ROLE_SESSION_NAME")?;
    Ok(Some(Arc::new(WebIdentityProvider { ctx: ctx.clone(), token_file, role_arn, role_session_name })))
}
