//! Configuration from the environment and the shared files `~/.aws/config` and
//! `~/.aws/credentials`, with botocore 1.44's behaviour as the reference
//! (`configloader.py`, `configprovider.py`, `credentials.py`, `session.py`).
//!
//! - [`load`] / [`load_from_env`]: the client settings ([`SharedConfig`]): region,
//!   endpoint URL, S3 addressing and endpoint options, retries, checksums.
//! - [`ProvideCredentials`]: a source of [`Credentials`](crate::credentials::Credentials),
//!   implemented by fixed credentials, [`EnvironmentCredentialsProvider`],
//!   [`ProfileCredentialsProvider`], [`DefaultCredentialsChain`] (environment, then
//!   profile) and [`CredentialsChain`] (any providers, in order).
//! - [`profile`]: the reader of the shared files, for tools that want the files themselves.
//!
//! Everything that reads the environment takes it as a function (`&dyn Fn(&str) ->
//! Option<String>`, or an [`Env`] for providers that keep it), so that tests never touch
//! the process environment.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use s3_runtime::config::{self, DefaultCredentialsChain, ProvideCredentials};
//!
//! let settings = config::load_from_env()?;
//! let credentials = DefaultCredentialsChain::new().provide_credentials().await?;
//! println!("region {:?}, key {}", settings.region, credentials.access_key_id());
//! # Ok(())
//! # }
//! ```

pub(crate) mod env;
mod error;
pub mod profile;
mod settings;

pub use env::Env;
pub use error::{ConfigError, SettingOrigin};
pub use profile::ProfileFiles;
/// The credentials providers, re-exported from [`crate::auth`] where they used to live.
pub use crate::auth::{
    CredentialsChain, CredentialsError, DefaultCredentialsChain, EnvironmentCredentialsProvider,
    ProfileCredentialsProvider, ProvideCredentials,
};
pub use settings::{
    load, load_from_env, load_profile, AddressingStyle, RequestChecksumCalculation, ResponseChecksumValidation,
    RetryMode, SharedConfig,
};
