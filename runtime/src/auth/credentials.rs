//! AWS credentials: an access key id, a secret key and, for temporary credentials, a
//! session token and an expiry. The secret parts never appear in `Debug` output.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// A set of AWS credentials. Cheap to clone (the parts are shared).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Arc<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    account_id: Option<String>,
}

impl Credentials {
    /// Credentials from their parts, without an expiry.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials(Arc::new(Inner {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            account_id: None,
        }))
    }

    /// The same credentials, expiring at `expiry` (`None`: never).
    pub fn with_expiry(mut self, expiry: Option<SystemTime>) -> Self {
        Arc::make_mut(&mut self.0).expiry = expiry;
        self
    }

    /// The same credentials, for the account `account_id`.
    pub fn with_account_id(mut self, account_id: Option<String>) -> Self {
        Arc::make_mut(&mut self.0).account_id = account_id;
        self
    }

    /// The access key id (`AKIA…`, `ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }

    /// When temporary credentials stop working; `None` for long-term credentials.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.0.expiry
    }

    /// The AWS account the credentials belong to, where the source says
    /// (`AWS_ACCOUNT_ID`, `aws_account_id`, STS, SSO, IMDS, a credential process).
    pub fn account_id(&self) -> Option<&str> {
        self.0.account_id.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.0.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiry", &self.0.expiry.map(crate::DateTime::from))
            .field("account_id", &self.0.account_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let creds = Credentials::new("AKID", "very-secret", Some("token-secret".into()));
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret") && !shown.contains("token-secret"), "{shown}");
    }

    #[test]
    fn expiry_and_account_are_set_without_touching_clones() {
        let base = Credentials::new("AKID", "S", None);
        let shared = base.clone();
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let timed = base.with_expiry(Some(at)).with_account_id(Some("123456789012".into()));
        assert_eq!(timed.expiry(), Some(at));
        assert_eq!(timed.account_id(), Some("123456789012"));
        assert_eq!(shared.expiry(), None);
        assert_ne!(timed, shared);
    }
}
