//! [`ConfigError`]: what can go wrong reading the environment and the shared files.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

/// Where a setting's value came from: an environment variable, or a line of a shared file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingOrigin {
    /// The environment variable of that name.
    Environment(String),
    /// A line of a shared config or credentials file.
    File {
        /// The file.
        path: PathBuf,
        /// The line (1-based) of the `key = value` line.
        line: usize,
    },
}

impl fmt::Display for SettingOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingOrigin::Environment(name) => write!(f, "environment variable {name}"),
            SettingOrigin::File { path, line } => write!(f, "{}:{line}", path.display()),
        }
    }
}

/// An error reading the shared config and credentials files or resolving a setting.
///
/// Messages name the file, the line and the profile; they never repeat the text of a
/// line, so a malformed line holding a secret key is not echoed into logs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A shared config or credentials file is malformed (botocore's `ConfigParseError`).
    Parse {
        /// The file.
        path: PathBuf,
        /// The line (1-based) where the problem is.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A file exists but could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        message: String,
    },
    /// The profile chosen by `AWS_DEFAULT_PROFILE` / `AWS_PROFILE` (or by the caller) is in
    /// neither file (botocore's `ProfileNotFound`).
    ProfileNotFound {
        /// The profile name.
        profile: String,
        /// Who chose it: an environment variable name, or `the caller`.
        chosen_by: String,
        /// The config file that was searched.
        config_file: PathBuf,
        /// The credentials file that was searched.
        credentials_file: PathBuf,
    },
    /// A setting has a value this client cannot use.
    InvalidValue {
        /// The setting, such as `max_attempts`.
        setting: String,
        /// Where the value came from.
        origin: SettingOrigin,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Parse { path, line, message } => write!(f, "{}:{line}: {message}", path.display()),
            ConfigError::Io { path, message } => write!(f, "cannot read {}: {message}", path.display()),
            ConfigError::ProfileNotFound { profile, chosen_by, config_file, credentials_file } => write!(
                f,
                "the config profile `{profile}` (chosen by {chosen_by}) could not be found in {} or {}",
                config_file.display(),
                credentials_file.display()
            ),
            ConfigError::InvalidValue { setting, origin, message } => {
                write!(f, "invalid `{setting}` in {origin}: {message}")
            }
        }
    }
}

impl StdError for ConfigError {}
