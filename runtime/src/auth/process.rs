//! `credential_process`: credentials printed by a program the profile names (botocore's
//! `ProcessProvider`). The command line is split as a POSIX shell would split it, and the
//! program runs without a shell.

use std::fmt;
use std::sync::Arc;

use super::context::Ctx;
use super::credentials::Credentials;
use super::env::parse_expiry;
use super::profile::text;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::profile::Profile;

const PROVIDER: &str = "custom-process";

/// Runs the profile's `credential_process` on each refresh.
pub(crate) struct ProcessProvider {
    command: Vec<String>,
    /// The profile's `aws_account_id`, used when the output has no `AccountId`.
    account_id: Option<String>,
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The command line may hold secrets (botocore hides it too): show the program only.
        f.debug_struct("ProcessProvider").field("program", &self.command.first()).finish_non_exhaustive()
    }
}

/// The provider for a profile with `credential_process`, if it has one.
pub(crate) fn from_profile(_ctx: &Ctx, profile: Option<&Profile<'_>>) -> Result<Option<Arc<dyn ProvideCredentials>>, CredentialsError> {
    let Some(prop) = profile.and_then(|p| p.get("credential_process")) else { return Ok(None) };
    let line = text(PROVIDER, prop)?;
    let command = shlex::split(&line).filter(|words| !words.is_empty()).ok_or_else(|| {
        CredentialsError::other(PROVIDER, format!("credential_process in {} (line {}) is not a valid command line", prop.file().display(), prop.line()))
    })?;
    let account_id = match profile.and_then(|p| p.get("aws_account_id")) {
        Some(p) => Some(text(PROVIDER, p)?).filter(|a| !a.is_empty()),
        None => None,
    };
    Ok(Some(Arc::new(ProcessProvider { command, account_id })))
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let output = tokio::process::Command::new(&self.command[0])
                .args(&self.command[1..])
                .stdin(std::process::Stdio::null())
                .kill_on_drop(true)
                .output()
                .await
                .map_err(|e| CredentialsError::other(PROVIDER, format!("cannot run `{}`: {e}", self.command[0])))?;
            if !output.status.success() {
                return Err(CredentialsError::other(
                    PROVIDER,
                    format!("`{}` failed ({}): {}", self.command[0], output.status, String::from_utf8_lossy(&output.stderr).trim()),
                ));
            }
            parse_output(&output.stdout, self.account_id.as_deref())
        })
    }
}

/// The process's JSON: `Version: 1`, `AccessKeyId`, `SecretAccessKey`, and optionally
/// `SessionToken`, `Expiration` and `AccountId`.
fn parse_output(stdout: &[u8], profile_account: Option<&str>) -> Result<Credentials, CredentialsError> {
    let fail = |msg: String| CredentialsError::other(PROVIDER, msg);
    let value: serde_json::Value =
        serde_json::from_slice(stdout).map_err(|e| fail(format!("the output is not JSON: {e}")))?;
    let version = value.get("Version");
    if version.and_then(|v| v.as_f64()) != Some(1.0) {
        let shown = version.map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).unwrap_or_else(|| "<Version key not provided>".into());
        return Err(fail(format!("Unsupported version '{shown}' for credential process provider, supported versions: 1")));
    }
    let string = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let required = |name: &str| string(name).ok_or_else(|| fail(format!("Missing required key in response: '{name}'")));
    let expiry = match string("Expiration") {
        Some(text) => Some(parse_expiry(&text).ok_or_else(|| fail(format!("Expiration is not an ISO 8601 time: {text:?}")))?),
        None => None,
    };
    let account = string("AccountId").filter(|a| !a.is_empty()).or_else(|| profile_account.map(str::to_owned));
    Ok(Credentials::new(required("AccessKeyId")?, required("SecretAccessKey")?, string("SessionToken"))
        .with_expiry(expiry)
        .with_account_id(account))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_version_1_output() {
        let creds = parse_output(
            br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2026-12-02T10:00:00Z"}"#,
            Some("111122223333"),
        )
        .unwrap();
        assert_eq!((creds.access_key_id(), creds.session_token()), ("AKID", Some("T")));
        assert!(creds.expiry().is_some());
        assert_eq!(creds.account_id(), Some("111122223333"));
    }

    #[test]
    fn refuses_other_versions_and_missing_keys() {
        let err = parse_output(br#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#, None).unwrap_err();
        assert!(err.to_string().contains("Unsupported version '2'"), "{err}");
        let err = parse_output(br#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#, None).unwrap_err();
        assert!(err.to_string().contains("<Version key not provided>"), "{err}");
        let err = parse_output(br#"{"Version": 1, "AccessKeyId": "A"}"#, None).unwrap_err();
        assert!(err.to_string().contains("SecretAccessKey"), "{err}");
        assert!(parse_output(b"not json", None).is_err());
    }

    #[tokio::test]
    async fn runs_without_a_shell_and_reports_stderr() {
        let provider = ProcessProvider {
            command: vec!["sh".into(), "-c".into(), "echo 'bad things' >&2; exit 3".into()],
            account_id: None,
        };
        let err = provider.provide_credentials().await.unwrap_err().to_string();
        assert!(err.contains("bad things") && err.contains('3'), "{err}");
        // `$HOME` stays literal: no shell expands it.
        let provider = ProcessProvider {
            command: vec!["printf".into(), r#"{"Version":1,"AccessKeyId":"$HOME","SecretAccessKey":"S"}"#.into()],
            account_id: None,
        };
        assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "$HOME");
    }
}
