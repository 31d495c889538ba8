//! SSO scenarios of the credentials oracle: botocore 1.44.8 and this client, both pointed
//! at `integration/fakes/fake_sso.py` (the SSO portal and SSO-OIDC on one port) with
//! `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC`, must resolve the same access
//! key, secret, token and expiry, or both fail.
//!
//! The token cache files are named as botocore names them: the SHA-1 (hex) of the
//! `sso_session` name, or of `sso_start_url` for a legacy profile
//! (`printf %s NAME | sha1sum`). A refreshed token is written back to its file, so a
//! side that runs second on the same directory finds the refreshed token (and gets the
//! same credentials without refreshing).

use super::Scenario;

/// `printf %s corp | sha1sum`.
const SESSION_CACHE: &str = ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
/// `printf %s https://d-legacy.awsapps.com/start | sha1sum`.
const LEGACY_CACHE: &str = ".aws/sso/cache/76079c82af8bdf7e8bcf07e051b31cb670227b1d.json";

const SESSION_CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = us-west-2

[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
";

const LEGACY_CONFIG: &str = "\
[profile legacy]
sso_start_url = https://d-legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = ReadOnly
";

/// Both services at the fake.
fn env() -> Vec<(&'static str, String)> {
    vec![("AWS_ENDPOINT_URL_SSO", "${FAKE_sso}".to_owned()), ("AWS_ENDPOINT_URL_SSO_OIDC", "${FAKE_sso}".to_owned())]
}

fn valid_token() -> String {
    r#"{"startUrl": "https://d-corp.awsapps.com/start", "region": "us-east-1", "accessToken": "fake-sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"}"#.to_owned()
}

/// An expired session token with its client registration, as `aws sso login` caches it.
fn expired_refreshable_token(refresh_token: &str) -> String {
    format!(
        r#"{{"startUrl": "https://d-corp.awsapps.com/start", "region": "us-east-1", "accessToken": "fake-sso-stale-token", "expiresAt": "2020-01-01T00:00:00Z", "clientId": "fake-client-id", "clientSecret": "fake-client-secret", "registrationExpiresAt": "2099-01-01T00:00:00Z", "refreshToken": "{refresh_token}"}}"#
    )
}

fn session(name: &'static str, files: Vec<(&'static str, String)>) -> Scenario {
    Scenario { name, env: env(), config: Some(SESSION_CONFIG.to_owned()), credentials: None, profile: Some("dev"), files }
}

fn legacy(name: &'static str, files: Vec<(&'static str, String)>) -> Scenario {
    Scenario { name, env: env(), config: Some(LEGACY_CONFIG.to_owned()), credentials: None, profile: Some("legacy"), files }
}

pub fn scenarios() -> Vec<Scenario> {
    vec![
        // A valid cached token: GetRoleCredentials with it.
        session("sso: sso-session profile, valid cached token", vec![(SESSION_CACHE, valid_token())]),
        // A legacy profile: the cache file of the start URL.
        legacy(
            "sso: legacy profile, valid cached token",
            vec![(LEGACY_CACHE, r#"{"startUrl": "https://d-legacy.awsapps.com/start", "region": "eu-west-1", "accessToken": "fake-sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"}"#.to_owned())],
        ),
        // An expired session token: refreshed with SSO-OIDC CreateToken, then used.
        session("sso: sso-session profile, expired token refreshed", vec![(SESSION_CACHE, expired_refreshable_token("fake-refresh-token"))]),
        // Expired and the refresh token rejected: "Token has expired and refresh failed".
        session("sso: sso-session profile, expired token, refresh rejected", vec![(SESSION_CACHE, expired_refreshable_token("fake-revoked-refresh-token"))]),
        // Expired without a registration: nothing to refresh with.
        session(
            "sso: sso-session profile, expired token without a refresh token",
            vec![(SESSION_CACHE, r#"{"accessToken": "fake-sso-access-token", "expiresAt": "2020-01-01T00:00:00Z"}"#.to_owned())],
        ),
        // A legacy token cannot be refreshed: UnauthorizedSSOTokenError on both sides.
        legacy(
            "sso: legacy profile, expired token",
            vec![(LEGACY_CACHE, r#"{"accessToken": "fake-sso-access-token", "expiresAt": "2020-01-01T00:00:00Z"}"#.to_owned())],
        ),
        // No cache file: SSOTokenLoadError.
        session("sso: sso-session profile, no cached token", vec![]),
        // A token the portal does not know: 401 UnauthorizedException.
        session(
            "sso: sso-session profile, token unknown to the portal",
            vec![(SESSION_CACHE, valid_token().replace("fake-sso-access-token", "fake-sso-unknown-token"))],
        ),
        // Missing configuration: the profile names a role but no start URL or region.
        Scenario {
            name: "sso: profile missing sso_start_url and sso_region",
            env: env(),
            config: Some("[profile partial]\nsso_account_id = 111122223333\nsso_role_name = Developer\n".to_owned()),
            credentials: None,
            profile: Some("partial"),
            files: vec![],
        },
        // SSO comes before the credentials file's keys.
        Scenario {
            name: "sso: sso-session profile wins over the credentials file",
            env: env(),
            config: Some(SESSION_CONFIG.to_owned()),
            credentials: Some("[dev]\naws_access_key_id = AKIAFILEKEY\naws_secret_access_key = filesecret\n".to_owned()),
            profile: Some("dev"),
            files: vec![(SESSION_CACHE, valid_token())],
        },
    ]
}
