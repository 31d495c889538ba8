//! SSO (IAM Identity Center): `sso_session` and legacy profiles (botocore's
//! `SSOProvider`). Not implemented yet: a profile that asks for SSO gets
//! [`CredentialsError::Unsupported`].

use std::sync::Arc;

use super::context::Ctx;
use super::profile::unsupported;
use super::provider::{CredentialsError, ProvideCredentials};
use crate::config::profile::{Profile, ProfileFiles};

/// The provider for a profile with SSO settings, if it has them.
pub(crate) fn from_profile(
    _ctx: &Ctx,
    _files: &ProfileFiles,
    profile: Option<&Profile<'_>>,
) -> Result<Option<Arc<dyn ProvideCredentials>>, CredentialsError> {
    let Some(profile) = profile else { return Ok(None) };
    match profile.get("sso_role_name").or_else(|| profile.get("sso_account_id")) {
        Some(prop) => Err(unsupported("sso", profile.name(), prop)),
        None => Ok(None),
    }
}
