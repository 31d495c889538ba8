//! Container credentials (ECS, EKS Pod Identity): botocore's `ContainerProvider`.
//! Not implemented yet: the provider reports "not found".

use super::context::Ctx;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};

/// Credentials from the container credentials endpoint.
#[derive(Debug)]
pub struct ContainerCredentialsProvider {
    #[allow(dead_code)]
    ctx: Ctx,
}

/// The container provider over `ctx`'s environment.
pub(crate) fn provider(ctx: &Ctx) -> ContainerCredentialsProvider {
    ContainerCredentialsProvider { ctx: ctx.clone() }
}

impl ProvideCredentials for ContainerCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(CredentialsError::not_found("container-role", "container credentials are not implemented yet"))))
    }
}
