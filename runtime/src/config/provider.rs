//! Credentials providers: the [`ProvideCredentials`] trait, the environment and profile
//! providers, and the default chain, in botocore's order (`credentials.py`).

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::env::{chosen_profile, Env};
use super::error::ConfigError;
use super::profile::{ConfigFile, Property};
use super::profile::ProfileFiles;
use crate::credentials::Credentials;

/// A source of AWS credentials.
///
/// The client asks for credentials whenever it signs a request, so a provider that is
/// expensive to ask, or whose credentials expire (a web service, an STS role), should
/// cache them inside (behind a `Mutex`, say) and refresh them before they expire. The
/// providers of this module read the environment and the files on every call; resolve
/// them once, as botocore does when it creates a client, when that is too often.
///
/// A provider that has nothing to offer returns [`CredentialsError::NotFound`], which lets a
/// [`CredentialsChain`] go on to its next provider; any other error stops the chain.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials, or why there are none.
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        Ok(self.clone())
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        (**self).provide_credentials()
    }
}

/// Why a provider gave no credentials. Messages name the provider, and the file and the
/// profile where there is one; they never contain a key, a secret or a token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// This source has no credentials; a chain tries its next provider.
    NotFound {
        /// The provider, such as `env` or `profile`.
        provider: Cow<'static, str>,
        /// What it looked for, such as `AWS_ACCESS_KEY_ID is not set`.
        reason: String,
    },
    /// Only part of a set of credentials is there (botocore's `PartialCredentialsError`),
    /// such as an access key id without its secret key. A chain stops here.
    Partial {
        /// The provider: `env`, `shared-credentials-file` or `config-file`.
        provider: Cow<'static, str>,
        /// The missing variable or key, such as `aws_secret_access_key`.
        missing: String,
        /// The profile, for the file providers.
        profile: Option<String>,
        /// The file, for the file providers.
        file: Option<PathBuf>,
    },
    /// The profile gets its credentials in a way this crate does not implement yet
    /// (assume role, web identity, SSO, login, `credential_process`). botocore would use
    /// that way before the keys this crate can read, so rather than silently use other
    /// credentials, the chain stops here.
    Unsupported {
        /// The botocore provider that would handle it, such as `assume-role`.
        provider: Cow<'static, str>,
        /// The profile.
        profile: String,
        /// The key (or environment variable) that asks for it, such as `role_arn`.
        setting: String,
        /// The file the key is in; `None` for an environment variable.
        file: Option<PathBuf>,
    },
    /// A shared file is malformed, or the profile it names does not exist.
    Config {
        /// The provider that read it.
        provider: Cow<'static, str>,
        /// What is wrong.
        error: ConfigError,
    },
    /// Every provider of a chain was tried and none had credentials.
    NoneFound {
        /// Each provider's [`NotFound`](CredentialsError::NotFound), in the order tried.
        tried: Vec<CredentialsError>,
    },
    /// Any other failure of a provider.
    Other {
        /// The provider.
        provider: Cow<'static, str>,
        /// What went wrong.
        message: String,
    },
}

impl CredentialsError {
    /// A provider that has no credentials to offer; a chain goes on to its next provider.
    pub fn not_found(provider: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        CredentialsError::NotFound { provider: provider.into(), reason: reason.into() }
    }

    /// A provider that failed; a chain stops here.
    pub fn other(provider: impl Into<Cow<'static, str>>, message: impl fmt::Display) -> Self {
        CredentialsError::Other { provider: provider.into(), message: message.to_string() }
    }

    /// Whether a chain should try its next provider.
    pub fn is_not_found(&self) -> bool {
        matches!(self, CredentialsError::NotFound { .. })
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotFound { provider, reason } => write!(f, "{provider}: no credentials: {reason}"),
            CredentialsError::Partial { provider, missing, profile, file } => {
                write!(f, "{provider}: partial credentials, missing `{missing}`")?;
                if let Some(profile) = profile {
                    write!(f, " in profile `{profile}`")?;
                }
                if let Some(file) = file {
                    write!(f, " of {}", file.display())?;
                }
                Ok(())
            }
            CredentialsError::Unsupported { provider, profile, setting, file } => {
                write!(f, "profile `{profile}` gets its credentials through `{setting}`")?;
                if let Some(file) = file {
                    write!(f, " (in {})", file.display())?;
                }
                write!(f, ", which needs botocore's `{provider}` provider; this client does not support it yet")
            }
            CredentialsError::Config { provider, error } => write!(f, "{provider}: {error}"),
            CredentialsError::NoneFound { tried } => {
                f.write_str("no AWS credentials found; tried:")?;
                for (i, err) in tried.iter().enumerate() {
                    match err {
                        CredentialsError::NotFound { provider, reason } => {
                            write!(f, "{} {provider} ({reason})", if i == 0 { "" } else { ";" })?
                        }
                        other => write!(f, "{} {other}", if i == 0 { "" } else { ";" })?,
                    }
                }
                if tried.is_empty() {
                    f.write_str(" nothing (the chain is empty)")?;
                }
                Ok(())
            }
            CredentialsError::Other { provider, message } => write!(f, "{provider}: {message}"),
        }
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            CredentialsError::Config { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`,
/// as botocore's `EnvProvider`:
///
/// - an unset or empty `AWS_ACCESS_KEY_ID` means "not found";
/// - an access key id without a non-empty `AWS_SECRET_ACCESS_KEY` is an error
///   ([`CredentialsError::Partial`]);
/// - the session token is the first non-empty one of `AWS_SECURITY_TOKEN` (botocore's
///   older name, read first) and `AWS_SESSION_TOKEN`.
///
/// `AWS_CREDENTIAL_EXPIRATION` and `AWS_ACCOUNT_ID` are not read: [`Credentials`] carries
/// neither an expiry nor an account id yet.
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
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
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
        Ok(Credentials::new(access_key, secret_key, token))
    }
}

/// Credentials from a profile of the shared files, as botocore's profile providers:
/// the shared credentials file (`SharedCredentialProvider`: the section `[name]` of
/// `~/.aws/credentials`), then the config file (`ConfigProvider`: `[default]` or
/// `[profile name]` of `~/.aws/config`).
///
/// In each file, a profile that has `aws_access_key_id` supplies credentials, and then
/// must have `aws_secret_access_key` too ([`CredentialsError::Partial`] otherwise); the
/// session token is the first of `aws_security_token` and `aws_session_token` that is
/// present (an empty one is no token, as botocore's signer skips it). A profile without
/// `aws_access_key_id`, and missing files, mean "not found"; a malformed file is an error.
///
/// The profile is the one given to [`with_profile`](Self::with_profile), or else
/// `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`, or else `default`. A profile chosen either
/// way (even as the empty string) must exist in one of the files, or the provider returns
/// [`ConfigError::ProfileNotFound`] (botocore raises `ProfileNotFound`); only the implicit
/// `default` may be missing. The files are `AWS_SHARED_CREDENTIALS_FILE` and
/// `AWS_CONFIG_FILE`, or `~/.aws/credentials` and `~/.aws/config`.
///
/// botocore tries other profile-based providers around these two: assume role
/// (`role_arn`), web identity (`web_identity_token_file` or `AWS_WEB_IDENTITY_TOKEN_FILE`)
/// and SSO (`sso_account_id`, `sso_role_name`) before them, login (`login_session`) and
/// `credential_process` between them. This crate implements none of those yet; when the
/// profile asks for one where botocore would use it, this provider returns
/// [`CredentialsError::Unsupported`] instead of credentials botocore would not have used.
#[derive(Clone, Debug, Default)]
pub struct ProfileCredentialsProvider {
    env: Env,
    profile: Option<String>,
}

impl ProfileCredentialsProvider {
    /// The profile and files the process environment chooses.
    pub fn new() -> Self {
        Self::default()
    }

    /// The profile and files `env` chooses.
    pub fn with_env(env: Env) -> Self {
        ProfileCredentialsProvider { env, profile: None }
    }

    /// This profile (as botocore's `Session(profile=…)`), with the files `env` chooses.
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` is then not consulted, as in botocore.
    pub fn with_profile(env: Env, profile: impl Into<String>) -> Self {
        ProfileCredentialsProvider { env, profile: Some(profile.into()) }
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let files = load_files(&self.env)?;
        let choice = ProfileChoice::new(&self.env, self.profile.as_deref());
        choice.check_exists(&files)?;
        profile_credentials(&files, &choice, &self.env)
    }
}

/// The profile to read and who chose it.
struct ProfileChoice {
    name: String,
    /// `None` for the implicit `default`, which need not exist.
    chosen_by: Option<String>,
    /// Chosen by the caller (botocore's `Session(profile=…)`), which disables the
    /// environment's credentials.
    explicit: bool,
}

impl ProfileChoice {
    fn new(env: &Env, explicit: Option<&str>) -> Self {
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
    fn check_exists(&self, files: &ProfileFiles) -> Result<(), CredentialsError> {
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

fn load_files(env: &Env) -> Result<ProfileFiles, CredentialsError> {
    ProfileFiles::load(&|n| env.get(n)).map_err(|error| CredentialsError::Config { provider: "profile".into(), error })
}

/// botocore's profile providers, in `ProfileProviderBuilder.providers` order, after
/// `AssumeRoleProvider`.
fn profile_credentials(files: &ProfileFiles, choice: &ProfileChoice, env: &Env) -> Result<Credentials, CredentialsError> {
    let profile = choice.name.as_str();
    // The profile-based providers read `session.full_config`: the config file's profile
    // with the credentials file's section laid over it.
    let merged = files.profile(profile);
    let merged_get = |key: &str| merged.as_ref().and_then(|p| p.get(key));
    let unsupported = |provider: &'static str, prop: &Property| CredentialsError::Unsupported {
        provider: provider.into(),
        profile: profile.to_string(),
        setting: prop.name().to_string(),
        file: Some(prop.file().to_path_buf()),
    };

    // AssumeRoleProvider: `role_arn` without `web_identity_token_file`.
    if let (Some(role), None) = (merged_get("role_arn"), merged_get("web_identity_token_file")) {
        return Err(unsupported("assume-role", role));
    }
    // AssumeRoleWithWebIdentityProvider: the variable when set (even empty) and not
    // disabled by an explicit profile, else the profile's key; an empty path is none.
    let from_env = if choice.explicit { None } else { env.get("AWS_WEB_IDENTITY_TOKEN_FILE") };
    match from_env {
        Some(path) if !path.is_empty() => {
            return Err(CredentialsError::Unsupported {
                provider: "assume-role-with-web-identity".into(),
                profile: profile.to_string(),
                setting: "AWS_WEB_IDENTITY_TOKEN_FILE".into(),
                file: None,
            })
        }
        Some(_) => {}
        None => {
            if let Some(prop) = merged_get("web_identity_token_file").filter(|p| p.as_text() != Some("")) {
                return Err(unsupported("assume-role-with-web-identity", prop));
            }
        }
    }
    // SSOProvider.
    if let Some(prop) = merged_get("sso_role_name").or_else(|| merged_get("sso_account_id")) {
        return Err(unsupported("sso", prop));
    }
    // SharedCredentialProvider.
    let credentials_section = files.credentials_file().and_then(|f| f.section(profile));
    if let Some(creds) = from_section(credentials_section, "shared-credentials-file", profile, files.credentials_file())? {
        return Ok(creds);
    }
    // LoginProvider, ProcessProvider.
    if let Some(prop) = merged_get("login_session") {
        return Err(unsupported("login", prop));
    }
    if let Some(prop) = merged_get("credential_process") {
        return Err(unsupported("custom-process", prop));
    }
    // ConfigProvider.
    let config_section = files.config_file().and_then(|f| f.profile(profile));
    if let Some(creds) = from_section(config_section, "config-file", profile, files.config_file())? {
        return Ok(creds);
    }

    let describe = |file: Option<&ConfigFile>, path: &std::path::Path, found: bool| match (file, found) {
        (None, _) => format!("{} does not exist", path.display()),
        (Some(_), false) => format!("{} has no profile `{profile}`", path.display()),
        (Some(_), true) => format!("profile `{profile}` in {} has no aws_access_key_id", path.display()),
    };
    let reason = format!(
        "{}; {}",
        describe(files.credentials_file(), files.credentials_path(), credentials_section.is_some()),
        describe(files.config_file(), files.config_path(), config_section.is_some()),
    );
    Err(CredentialsError::not_found("profile", reason))
}

/// botocore's default credential chain, for the sources this crate implements: the
/// environment ([`EnvironmentCredentialsProvider`]), then the profile
/// ([`ProfileCredentialsProvider`]). botocore's later providers (container and EC2
/// instance metadata) are not implemented yet.
///
/// As in botocore (`create_credential_resolver`), the shared files are read first, even
/// when the environment has credentials: a malformed file, or a profile chosen by
/// `AWS_DEFAULT_PROFILE` / `AWS_PROFILE` that is in neither file, is an error. A profile
/// chosen with [`with_profile`](Self::with_profile) disables the environment's
/// credentials (botocore's `Session(profile=…)`). When no source has credentials, the
/// error lists what each one looked for.
#[derive(Clone, Debug, Default)]
pub struct DefaultCredentialsChain {
    env: Env,
    profile: Option<String>,
}

impl DefaultCredentialsChain {
    /// The chain over the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// The chain over the variables of `env`.
    pub fn with_env(env: Env) -> Self {
        DefaultCredentialsChain { env, profile: None }
    }

    /// The chain for a profile the caller chose: only the profile's credentials are used.
    pub fn with_profile(env: Env, profile: impl Into<String>) -> Self {
        DefaultCredentialsChain { env, profile: Some(profile.into()) }
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let files = load_files(&self.env)?;
        let choice = ProfileChoice::new(&self.env, self.profile.as_deref());
        choice.check_exists(&files)?;
        let mut tried = Vec::new();
        if !choice.explicit {
            match EnvironmentCredentialsProvider::with_env(self.env.clone()).provide_credentials() {
                Err(err) if err.is_not_found() => tried.push(err),
                other => return other,
            }
        }
        match profile_credentials(&files, &choice, &self.env) {
            Err(err) if err.is_not_found() => tried.push(err),
            other => return other,
        }
        Err(CredentialsError::NoneFound { tried })
    }
}

/// botocore's `SharedCredentialProvider.load` / `ConfigProvider.load` on one section.
fn from_section(
    section: Option<&super::profile::Section>,
    provider: &'static str,
    profile: &str,
    file: Option<&ConfigFile>,
) -> Result<Option<Credentials>, CredentialsError> {
    let Some(section) = section else { return Ok(None) };
    let Some(access_key) = section.get("aws_access_key_id") else { return Ok(None) };
    let text = |prop: &Property| {
        prop.as_text().map(str::to_string).ok_or_else(|| CredentialsError::Config {
            provider: provider.into(),
            error: ConfigError::InvalidValue {
                setting: prop.name().to_string(),
                origin: super::error::SettingOrigin::File { path: prop.file().to_path_buf(), line: prop.line() },
                message: "expected a value, not a nested block".into(),
            },
        })
    };
    let Some(secret_key) = section.get("aws_secret_access_key") else {
        return Err(CredentialsError::Partial {
            provider: provider.into(),
            missing: "aws_secret_access_key".into(),
            profile: Some(profile.to_string()),
            file: file.map(|f| f.path().to_path_buf()),
        });
    };
    let token = match section.get("aws_security_token").or_else(|| section.get("aws_session_token")) {
        Some(prop) => Some(text(prop)?).filter(|t| !t.is_empty()),
        None => None,
    };
    Ok(Some(Credentials::new(text(access_key)?, text(secret_key)?, token)))
}

/// Providers tried in order: the first to return credentials wins; one that returns
/// [`CredentialsError::NotFound`] passes to the next; any other error stops the chain
/// (botocore's `CredentialResolver.load_credentials`, which also stops at the first
/// exception). When all pass, the error lists what each one looked for.
#[derive(Clone, Debug, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// A chain starting with `provider`.
    pub fn first_try(provider: impl ProvideCredentials + 'static) -> Self {
        CredentialsChain { providers: vec![Arc::new(provider)] }
    }

    /// Adds `provider` at the end of the chain.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for provider in &self.providers {
            match provider.provide_credentials() {
                Err(err) if err.is_not_found() => tried.push(err),
                // `NoneFound` of a nested chain counts as "not found" too.
                Err(CredentialsError::NoneFound { tried: inner }) => tried.extend(inner),
                other => return other,
            }
        }
        Err(CredentialsError::NoneFound { tried })
    }
}
