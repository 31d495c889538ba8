//! EC2 instance metadata (IMDSv2) credentials (botocore's `InstanceMetadataProvider`).
//! Not implemented yet: the provider reports "not found".

use super::context::Ctx;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};

/// Credentials of the instance profile's role, from IMDS.
#[derive(Debug)]
pub struct ImdsCredentialsProvider {
    #[allow(dead_code)]
    ctx: Ctx,
}

/// The IMDS provider over `ctx`'s environment.
pub(crate) fn provider(ctx: &Ctx) -> ImdsCredentialsProvider {
    ImdsCredentialsProvider { ctx: ctx.clone() }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(CredentialsError::not_found("iam-role", "instance metadata is not implemented yet"))))
    }
}
