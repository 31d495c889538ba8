//! Chains of providers: [`CredentialsChain`] (any providers, in order) and
//! [`DefaultCredentialsChain`] (botocore's order).

use std::sync::{Arc, OnceLock};

use super::context::Ctx;
use super::env::EnvironmentCredentialsProvider;
use super::profile::{self, ProfileChoice};
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use super::{container, imds};
use crate::config::Env;

/// botocore's default credential chain (`create_credential_resolver`), in its order:
///
/// 1. the environment ([`EnvironmentCredentialsProvider`]);
/// 2. the profile ([`ProfileCredentialsProvider`](super::ProfileCredentialsProvider)):
///    assumed role, web identity, SSO, the shared credentials file, `credential_process`,
///    the config file;
/// 3. the container credentials endpoint (ECS, EKS Pod Identity);
/// 4. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED` is `true`.
///
/// As in botocore, the shared files are read first, even when the environment has
/// credentials: a malformed file, or a profile chosen by `AWS_DEFAULT_PROFILE` /
/// `AWS_PROFILE` that is in neither file, is an error. A profile chosen with
/// [`with_profile`](Self::with_profile) disables the environment's credentials
/// (botocore's `Session(profile=…)`).
///
/// The first request decides which source to use; later requests (refreshes, when the
/// chain sits behind a [`CredentialsCache`](super::CredentialsCache), as in every client)
/// ask that source only, and never read the files again. When no source has
/// credentials, the error lists each one tried and why it had none.
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    ctx: Ctx,
    profile: Option<String>,
    chosen: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::with_env(Env::process())
    }
}

impl DefaultCredentialsChain {
    /// The chain over the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// The chain over the variables of `env`.
    pub fn with_env(env: Env) -> Self {
        DefaultCredentialsChain { ctx: Ctx::new(env), profile: None, chosen: OnceLock::new() }
    }

    /// The chain for a profile the caller chose: only the profile's credentials are used.
    pub fn with_profile(env: Env, profile: impl Into<String>) -> Self {
        DefaultCredentialsChain { ctx: Ctx::new(env), profile: Some(profile.into()), chosen: OnceLock::new() }
    }

    /// The client's region, where STS is called for assumed roles and web identity.
    pub fn region(mut self, region: Option<String>) -> Self {
        self.ctx.region = region;
        self
    }

    async fn choose(&self) -> Result<(Arc<dyn ProvideCredentials>, crate::Credentials), CredentialsError> {
        let files = self.ctx.files()?;
        let choice = ProfileChoice::new(&self.ctx.env, self.profile.as_deref());
        choice.check_exists(&files)?;
        let mut tried = Vec::new();
        if !choice.explicit {
            let env = EnvironmentCredentialsProvider::with_env(self.ctx.env.clone());
            match env.load() {
                Ok(found) => return Ok((Arc::new(env), found)),
                Err(err) if err.is_not_found() => tried.push(err),
                Err(err) => return Err(err),
            }
        }
        match profile::resolve(&self.ctx, &files, &choice) {
            Ok(provider) => {
                let found = provider.provide_credentials().await?;
                return Ok((provider, found));
            }
            Err(err) if err.is_not_found() => tried.push(err),
            Err(err) => return Err(err),
        }
        let container: Arc<dyn ProvideCredentials> = Arc::new(container::provider(&self.ctx));
        match container.provide_credentials().await {
            Ok(found) => return Ok((container, found)),
            Err(err) if err.is_not_found() => tried.push(err),
            Err(err) => return Err(err),
        }
        let imds: Arc<dyn ProvideCredentials> = Arc::new(imds::provider(&self.ctx).with_profile(self.profile.clone()));
        match imds.provide_credentials().await {
            Ok(found) => return Ok((imds, found)),
            Err(err) if err.is_not_found() => tried.push(err),
            Err(err) => return Err(err),
        }
        Err(CredentialsError::NoneFound { tried })
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            if let Some(chosen) = self.chosen.get() {
                return chosen.provide_credentials().await;
            }
            let (chosen, found) = self.choose().await?;
            let _ = self.chosen.set(chosen);
            Ok(found)
        })
    }
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
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let mut tried = Vec::new();
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Err(err) if err.is_not_found() => tried.push(err),
                    // `NoneFound` of a nested chain counts as "not found" too.
                    Err(CredentialsError::NoneFound { tried: inner }) => tried.extend(inner),
                    other => return other,
                }
            }
            Err(CredentialsError::NoneFound { tried })
        })
    }
}
