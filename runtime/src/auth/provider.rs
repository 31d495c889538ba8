//! The [`ProvideCredentials`] trait and [`CredentialsError`], what every provider shares.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use super::credentials::Credentials;
use crate::config::ConfigError;

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of AWS credentials.
///
/// Asking may take time (a web service, a process, STS), so the answer is a boxed
/// future: one non-generic call site serves every operation. The client wraps the
/// provider it is given in a [`CredentialsCache`](crate::auth::CredentialsCache), which
/// asks again only shortly before the credentials expire, so providers themselves need
/// not cache.
///
/// A provider that has nothing to offer returns [`CredentialsError::NotFound`], which lets a
/// [`CredentialsChain`](crate::auth::CredentialsChain) go on to its next provider; any
/// other error stops the chain.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials, or why there are none.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
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
    /// The profile gets its credentials in a way this crate does not implement: `aws
    /// login` sessions (`login_session`), and roles with `mfa_serial` (botocore prompts on
    /// the terminal, which a library cannot do). botocore would use that way before later
    /// sources, so rather than silently use other credentials, the chain stops here.
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
    /// The client has no credentials provider and was not asked to send unsigned
    /// requests.
    NotConfigured,
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
                write!(f, ", which needs botocore's `{provider}` provider; this client does not support it")
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
            CredentialsError::NotConfigured => f.write_str(
                "no credentials found: the client has no credentials provider; use `Config::from_env()` for the \
                 default chain, set one with `credentials_provider(...)`, or call `anonymous()` to send unsigned requests",
            ),
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

