//! The two calls SSO credentials need, written by hand (both restJson, unsigned): SSO
//! `GetRoleCredentials` and SSO-OIDC `CreateToken`.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde_json::Value;

use super::{token, ConfiguredEndpoints, Secret, SsoConfig, PROVIDER};
use crate::auth::context::Ctx;
use crate::auth::credentials::Credentials;
use crate::auth::http::{send, Response};
use crate::auth::provider::CredentialsError;
use crate::encoding::query_param;

/// botocore's default read timeout for these clients.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Which of the two clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    /// SSO (the portal): `AWS_ENDPOINT_URL_SSO`, `services.sso`, `portal.sso.<region>`.
    Portal,
    /// SSO-OIDC: `AWS_ENDPOINT_URL_SSO_OIDC`, `services.sso_oidc`, `oidc.<region>`.
    Oidc,
}

/// The endpoint of a client, as botocore's `EndpointConfigProvider` finds it: the
/// service's environment variable, `AWS_ENDPOINT_URL`, the profile's `[services]`
/// entry, the profile's `endpoint_url` (none of them when
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
/// `ignore_configured_endpoint_urls` is true); else the regional endpoint of `region`.
pub(crate) fn endpoint(ctx: &Ctx, configured: &ConfiguredEndpoints, service: Service, region: &str) -> Result<String, CredentialsError> {
    let (var, host) = match service {
        Service::Portal => ("AWS_ENDPOINT_URL_SSO", "portal.sso"),
        Service::Oidc => ("AWS_ENDPOINT_URL_SSO_OIDC", "oidc"),
    };
    let ignore = match ctx.env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
        Some(v) => v.eq_ignore_ascii_case("true"),
        None => configured.ignore.unwrap_or(false),
    };
    if !ignore {
        let from_env = [var, "AWS_ENDPOINT_URL"].iter().find_map(|n| ctx.env.get(n).filter(|v| !v.is_empty()));
        let found = match from_env {
            Some(url) => Some(url),
            None => {
                let (portal, oidc) = configured.services.clone().map_err(|e| CredentialsError::other(PROVIDER, e))?;
                match service {
                    Service::Portal => portal,
                    Service::Oidc => oidc,
                }
                .or_else(|| configured.endpoint_url.clone())
            }
        };
        if let Some(url) = found {
            return Ok(url.trim_end_matches('/').to_owned());
        }
    }
    let suffix = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
    Ok(format!("https://{host}.{region}.{suffix}"))
}

/// The error code and message of a restJson error (`x-amzn-errortype`, then `__type` or
/// `code` in the body; the code is what follows a `#` and precedes a `:`).
fn error_of(response: &Response) -> (String, String) {
    let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    let field = |names: &[&str]| names.iter().find_map(|n| body.get(*n).and_then(Value::as_str)).map(str::to_owned);
    let raw = response.header("x-amzn-errortype").map(str::to_owned).or_else(|| field(&["__type", "code", "Code"]));
    let code = raw
        .map(|c| {
            let c = c.split(':').next().unwrap_or(&c).to_owned();
            c.rsplit('#').next().unwrap_or(&c).to_owned()
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| format!("HTTP {}", response.status));
    let message = field(&["message", "Message", "errorMessage"]).unwrap_or_default();
    (code, message)
}

/// Never lets a secret through in text that came back from a server.
fn scrub(text: String, secrets: &[&Secret]) -> String {
    secrets.iter().filter(|s| !s.expose().is_empty()).fold(text, |t, s| t.replace(s.expose(), "** redacted **"))
}

/// SSO `GetRoleCredentials`: `GET /federation/credentials?role_name=…&account_id=…`.
pub(crate) async fn get_role_credentials(ctx: &Ctx, config: &SsoConfig, access_token: &Secret) -> Result<Credentials, CredentialsError> {
    let base = endpoint(ctx, &config.endpoints, Service::Portal, &config.region)?;
    let url = format!(
        "{base}/federation/credentials?role_name={}&account_id={}",
        query_param(&config.role_name),
        query_param(&config.account_id)
    );
    let http = ctx.http();
    let headers = [("x-amz-sso_bearer_token", access_token.expose())];
    let response = send(&*http, "GET", &url, &headers, Bytes::new(), TIMEOUT)
        .await
        .map_err(|e| CredentialsError::other(PROVIDER, format!("SSO GetRoleCredentials: {e}")))?;
    if response.status >= 300 {
        let (code, message) = error_of(&response);
        if code == "UnauthorizedException" || response.status == 401 {
            return Err(CredentialsError::other(PROVIDER, token::EXPIRED));
        }
        let message = scrub(message, &[access_token]);
        return Err(CredentialsError::other(
            PROVIDER,
            format!(
                "SSO GetRoleCredentials for role `{}` in account {} failed with HTTP {}: {code}: {message}",
                config.role_name, config.account_id, response.status
            ),
        ));
    }
    parse_role_credentials(&response.body, &config.account_id)
        .map_err(|why| CredentialsError::other(PROVIDER, format!("SSO GetRoleCredentials: {why}")))
}

/// `{"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}}`,
/// the expiration in epoch milliseconds (kept to whole seconds, as botocore formats it).
pub(crate) fn parse_role_credentials(body: &[u8], account_id: &str) -> Result<Credentials, String> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| format!("the response is not JSON: {e}"))?;
    let creds = doc.get("roleCredentials").filter(|v| v.is_object()).ok_or("the response has no roleCredentials")?;
    let text = |name: &str| creds.get(name).and_then(Value::as_str).ok_or_else(|| format!("roleCredentials has no {name}"));
    let expiration = creds.get("expiration").ok_or("roleCredentials has no expiration")?;
    let millis = expiration
        .as_i64()
        .or_else(|| expiration.as_f64().map(|f| f as i64))
        .ok_or("roleCredentials.expiration is not a number")?;
    let seconds = millis.div_euclid(1000);
    let expiry = if seconds >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds as u64)
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs())
    };
    Ok(Credentials::new(text("accessKeyId")?, text("secretAccessKey")?, Some(text("sessionToken")?.to_owned()))
        .with_expiry(Some(expiry))
        .with_account_id(Some(account_id.to_owned())))
}

/// A new token from SSO-OIDC `CreateToken`.
pub(crate) struct CreatedToken {
    pub access_token: Secret,
    pub expires_in: u64,
    pub refresh_token: Option<Secret>,
}

/// SSO-OIDC `CreateToken` with `grantType = refresh_token`: `Ok(Err(why))` when the
/// service answered with an error (botocore's `ClientError`, after which the old token
/// is kept), `Err` when it could not be asked or its answer is unusable.
pub(crate) async fn create_token(
    ctx: &Ctx,
    endpoints: &ConfiguredEndpoints,
    region: &str,
    client_id: &Secret,
    client_secret: &Secret,
    refresh_token: &Secret,
) -> Result<Result<CreatedToken, String>, CredentialsError> {
    let url = format!("{}/token", endpoint(ctx, endpoints, Service::Oidc, region)?);
    let body = serde_json::json!({
        "clientId": client_id.expose(),
        "clientSecret": client_secret.expose(),
        "grantType": "refresh_token",
        "refreshToken": refresh_token.expose(),
    })
    .to_string();
    let http = ctx.http();
    let headers = [("content-type", "application/json")];
    let response = send(&*http, "POST", &url, &headers, Bytes::from(body), TIMEOUT)
        .await
        .map_err(|e| CredentialsError::other(PROVIDER, format!("SSO-OIDC CreateToken: {e}")))?;
    let secrets = [client_id, client_secret, refresh_token];
    if response.status >= 300 {
        let (code, message) = error_of(&response);
        return Ok(Err(scrub(format!("SSO-OIDC CreateToken failed with HTTP {}: {code}: {message}", response.status), &secrets)));
    }
    let doc: Value = serde_json::from_slice(&response.body)
        .map_err(|e| CredentialsError::other(PROVIDER, format!("SSO-OIDC CreateToken: the response is not JSON: {e}")))?;
    let bad = |what: &str| CredentialsError::other(PROVIDER, format!("SSO-OIDC CreateToken: the response has no {what}"));
    let access_token = doc.get("accessToken").and_then(Value::as_str).ok_or_else(|| bad("accessToken"))?;
    let expires_in = doc
        .get("expiresIn")
        .and_then(|v| v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)))
        .ok_or_else(|| bad("expiresIn"))?;
    let refresh_token = doc.get("refreshToken").and_then(Value::as_str).map(Secret::new);
    Ok(Ok(CreatedToken { access_token: Secret::new(access_token), expires_in, refresh_token }))
}

#[cfg(test)]
pub(crate) fn scrub_for_test(text: String, secrets: &[&Secret]) -> String {
    scrub(text, secrets)
}
