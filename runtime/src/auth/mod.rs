//! Identity: [`Credentials`], the [`ProvideCredentials`] trait, the providers botocore
//! has (environment, shared files, assumed roles, web identity, SSO, `credential_process`,
//! container, EC2 instance metadata), the [`DefaultCredentialsChain`] in botocore's
//! order, and the [`CredentialsCache`] every client puts in front of its provider.
//!
//! The providers' own requests (STS, SSO, IMDS, the container endpoint) are small
//! hand-written calls in this module, not a second generated SDK.

mod cache;
mod chain;
mod container;
mod context;
pub mod credentials;
mod env;
mod http;
mod imds;
mod process;
mod profile;
mod provider;
mod role;
mod sso;
mod sts;
#[cfg(test)]
pub(crate) mod test_server;

pub use cache::{CredentialsCache, ADVISORY_REFRESH, MANDATORY_REFRESH};
pub use chain::{CredentialsChain, DefaultCredentialsChain};
pub use container::ContainerCredentialsProvider;
pub use credentials::Credentials;
pub use env::EnvironmentCredentialsProvider;
pub use imds::{region_from_imds, ImdsCredentialsProvider};
pub use profile::ProfileCredentialsProvider;
pub use provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
