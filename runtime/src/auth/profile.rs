//! Credentials a profile of the shared files names: static keys, an assumed role, web
//! identity, SSO or a credential process, decided once per provider as botocore's
//! `AssumeRoleProvider` and `ProfileProviderBuilder` decide.

use std::sync::{Arc, OnceLock};

use super::context::Ctx;
use super::credentials::Credentials;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use super::{process, role, sso};
use crate::config::env::chosen_profile;
use crate::config::profile::{ConfigFile, Profile, ProfileFiles, Property, Section};
use crate::config::{ConfigError, Env, SettingOrigin};

/// Credentials from a profile of the shared files, as botocore's profile-based providers
/// find them, in botocore's order:
///
/// 1. an assumed role (`role_arn` with `source_profile` or `credential_source`; STS
///    `AssumeRole` signed with the source's credentials);
/// 2. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` / `web_identity_token_file` with
///    `role_arn`; STS `AssumeRoleWithWebIdentity`);
/// 3. SSO (`sso_session`, `sso_account_id`, `sso_role_name`);
/// 4. static keys in the shared credentials file (`[name]` of `~/.aws/credentials`);
/// 5. `credential_process`;
/// 6. static keys in the config file (`[profile name]` of `~/.aws/config`).
///
/// Static keys: a profile that has `aws_access_key_id` must have `aws_secret_access_key`
/// too ([`CredentialsError::Partial`] otherwise); the session token is the first of
/// `aws_security_token` and `aws_session_token` that is present (an empty one is no
/// token); `aws_account_id` is the account id.
///
/// The profile is the one given to [`with_profile`](Self::with_profile), or else
/// `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`, or else `default`. A profile chosen either
/// way (even as the empty string) must exist in one of the files, or the provider returns
/// [`ConfigError::ProfileNotFound`]; only the implicit `default` may be missing.
///
/// The files are read, and the way to get credentials decided, on the first request;
/// later refreshes only ask that way again (an assumed role calls STS, a process runs),
/// never re-reading the files.
#[derive(Debug)]
pub struct ProfileCredentialsProvider {
    ctx: Ctx,
    profile: Option<String>,
    resolved: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl Default for ProfileCredentialsProvider {
    fn default() -> Self {
        Self::with_env(Env::process())
    }
}

impl ProfileCredentialsProvider {
    /// The profile and files the process environment chooses.
    pub fn new() -> Self {
        Self::default()
    }

    /// The profile and files `env` chooses.
    pub fn with_env(env: Env) -> Self {
        ProfileCredentialsProvider { ctx: Ctx::new(env), profile: None, resolved: OnceLock::new() }
    }

    /// This profile (as botocore's `Session(profile=…)`), with the files `env` chooses.
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` is then not consulted, as in botocore.
    pub fn with_profile(env: Env, profile: impl Into<String>) -> Self {
        ProfileCredentialsProvider { ctx: Ctx::new(env), profile: Some(profile.into()), resolved: OnceLock::new() }
    }

    /// The region of the STS and SSO calls a profile may need (botocore uses the
    /// client's region).
    pub fn region(mut self, region: Option<String>) -> Self {
        self.ctx.region = region;
        self
    }

    fn resolve(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        if let Some(found) = self.resolved.get() {
            return Ok(found.clone());
        }
        let files = self.ctx.files()?;
        let choice = ProfileChoice::new(&self.ctx.env, self.profile.as_deref());
        choice.check_exists(&files)?;
        let found = resolve(&self.ctx, &files, &choice)?;
        Ok(self.resolved.get_or_init(|| found).clone())
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { self.resolve()?.provide_credentials().await })
    }
}

/// The profile to read and who chose it.
pub(crate) struct ProfileChoice {
    pub name: String,
    /// `None` for the implicit `default`, which need not exist.
    chosen_by: Option<String>,
    /// Chosen by the caller (botocore's `Session(profile=…)`), which disables the
    /// environment's credentials.
    pub explicit: bool,
}

impl ProfileChoice {
    pub fn new(env: &Env, explicit: Option<&str>) -> Self {
        match explicit {
            Some(name) => ProfileChoice { name: name.into(), chosen_by: Some("the caller".into()), explicit: true },
            None => match chosen_profile(&|n| env.get(n)) {
                Some((name, var)) => ProfileChoice { name, chosen_by: Some(var.into()), explicit: false },
                None => ProfileChoice { name: "default".into(), chosen_by: None, explicit: false },
            },
        }
    }

    /// botocore's `get_scoped_config` raises `ProfileNotFound` for a profile that was
    /// chosen (even as the empty string) but is in neither file, and creating the
    /// credential resolver already asks for it.
    pub fn check_exists(&self, files: &ProfileFiles) -> Result<(), CredentialsError> {
        match &self.chosen_by {
            Some(chosen_by) if files.profile(&self.name).is_none() => Err(CredentialsError::Config {
                provider: "profile".into(),
                error: ConfigError::ProfileNotFound {
                    profile: self.name.clone(),
                    chosen_by: chosen_by.clone(),
                    config_file: files.config_path().to_path_buf(),
                    credentials_file: files.credentials_path().to_path_buf(),
                },
            }),
            _ => Ok(()),
        }
    }
}

/// botocore's profile-based providers for the chosen profile: `AssumeRoleProvider`, then
/// `ProfileProviderBuilder.providers` (web identity, SSO, shared credentials file, login,
/// process, config file).
pub(crate) fn resolve(ctx: &Ctx, files: &ProfileFiles, choice: &ProfileChoice) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    let merged = files.profile(&choice.name);
    if let Some(profile) = &merged {
        if has_assume_role_config(profile) {
            return role::assume_role_from_profile(ctx, files, &choice.name);
        }
    }
    profile_providers(ctx, files, &choice.name, choice.explicit)
}

/// `role_arn` without `web_identity_token_file` (botocore's `_has_assume_role_config_vars`).
pub(crate) fn has_assume_role_config(profile: &Profile<'_>) -> bool {
    profile.get("role_arn").is_some() && profile.get("web_identity_token_file").is_none()
}

/// Whether a profile has static keys (botocore's `_has_static_credentials`).
pub(crate) fn has_static_credentials(profile: &Profile<'_>) -> bool {
    profile.get("aws_access_key_id").is_some() || profile.get("aws_secret_access_key").is_some()
}

/// `ProfileProviderBuilder.providers(profile_name, disable_env_vars)`: the first that has
/// credentials for the profile, or "not found" with what each looked for.
pub(crate) fn profile_providers(
    ctx: &Ctx,
    files: &ProfileFiles,
    name: &str,
    disable_env_vars: bool,
) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    let merged = files.profile(name);
    let merged_get = |key: &str| merged.as_ref().and_then(|p| p.get(key));

    // AssumeRoleWithWebIdentityProvider.
    if let Some(provider) = role::web_identity_from(ctx, merged.as_ref(), disable_env_vars)? {
        return Ok(provider);
    }
    // SSOProvider.
    if let Some(provider) = sso::from_profile(ctx, files, merged.as_ref())? {
        return Ok(provider);
    }
    // SharedCredentialProvider.
    let credentials_section = files.credentials_file().and_then(|f| f.section(name));
    if let Some(creds) = from_section(credentials_section, "shared-credentials-file", name, files.credentials_file())? {
        return Ok(Arc::new(creds));
    }
    // LoginProvider.
    if let Some(prop) = merged_get("login_session") {
        return Err(unsupported("login", name, prop));
    }
    // ProcessProvider.
    if let Some(provider) = process::from_profile(ctx, merged.as_ref())? {
        return Ok(provider);
    }
    // ConfigProvider.
    let config_section = files.config_file().and_then(|f| f.profile(name));
    if let Some(creds) = from_section(config_section, "config-file", name, files.config_file())? {
        return Ok(Arc::new(creds));
    }

    let describe = |file: Option<&ConfigFile>, path: &std::path::Path, found: bool| match (file, found) {
        (None, _) => format!("{} does not exist", path.display()),
        (Some(_), false) => format!("{} has no profile `{name}`", path.display()),
        (Some(_), true) => format!("profile `{name}` in {} has no credentials", path.display()),
    };
    let reason = format!(
        "{}; {}",
        describe(files.credentials_file(), files.credentials_path(), credentials_section.is_some()),
        describe(files.config_file(), files.config_path(), config_section.is_some()),
    );
    Err(CredentialsError::not_found("profile", reason))
}

/// A way to get credentials this crate does not implement.
pub(crate) fn unsupported(provider: &'static str, profile: &str, prop: &Property) -> CredentialsError {
    CredentialsError::Unsupported {
        provider: provider.into(),
        profile: profile.to_string(),
        setting: prop.name().to_string(),
        file: Some(prop.file().to_path_buf()),
    }
}

/// A key's text, or an error naming the key, file and line when it is a nested block.
pub(crate) fn text(provider: &'static str, prop: &Property) -> Result<String, CredentialsError> {
    prop.as_text().map(str::to_string).ok_or_else(|| CredentialsError::Config {
        provider: provider.into(),
        error: ConfigError::InvalidValue {
            setting: prop.name().to_string(),
            origin: SettingOrigin::File { path: prop.file().to_path_buf(), line: prop.line() },
            message: "expected a value, not a nested block".into(),
        },
    })
}

/// botocore's `SharedCredentialProvider.load` / `ConfigProvider.load` on one section.
fn from_section(
    section: Option<&Section>,
    provider: &'static str,
    profile: &str,
    file: Option<&ConfigFile>,
) -> Result<Option<Credentials>, CredentialsError> {
    let Some(section) = section else { return Ok(None) };
    let Some(access_key) = section.get("aws_access_key_id") else { return Ok(None) };
    let Some(secret_key) = section.get("aws_secret_access_key") else {
        return Err(CredentialsError::Partial {
            provider: provider.into(),
            missing: "aws_secret_access_key".into(),
            profile: Some(profile.to_string()),
            file: file.map(|f| f.path().to_path_buf()),
        });
    };
    let token = match section.get("aws_security_token").or_else(|| section.get("aws_session_token")) {
        Some(prop) => Some(text(provider, prop)?).filter(|t| !t.is_empty()),
        None => None,
    };
    let account = match section.get("aws_account_id") {
        Some(prop) => Some(text(provider, prop)?).filter(|t| !t.is_empty()),
        None => None,
    };
    Ok(Some(Credentials::new(text(provider, access_key)?, text(provider, secret_key)?, token).with_account_id(account)))
}
