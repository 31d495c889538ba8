//! The two calls SSO credentials need, written by hand (both restJson, unsigned): SSO
//! `GetRoleCredentials` and SSO-OIDC `CreateToken`.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde_json::Value;

use super::{token, Secret, SsoConfig, PROVIDER};
use crate::auth::context::Ctx;
use crate::auth::credentials::Credentials;
use crate::auth::http::{send, Response};
use crate::auth::provider::CredentialsError;
use crate::encoding::query_param;

/// botocore's default read timeout for these clients.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The endpoint of `service` (`sso` or `sso-oidc`): a configured one
/// (`AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL_SSO_OIDC`, then `AWS_ENDPOINT_URL`, unless
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true), or the regional one of `sso_region`
/// (`portal.sso.<region>.amazonaws.com`, `oidc.<region>.amazonaws.com`).
pub(crate) fn endpoint(ctx: &Ctx, service_var: &str, host: &str, region: &str) -> String {
    let ignore = ctx.env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !ignore {
        if let Some(url) = [service_var, "AWS_ENDPOINT_URL"].iter().find_map(|n| ctx.env.get(n).filter(|v| !v.is_empty())) {
            return url.trim_end_matches('/').to_owned();
        }
    }
    let suffix = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
    format!("https://{host}.{region}.{suffix}")
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
    let base = endpoint(ctx, "AWS_ENDPOINT_URL_SSO", "portal.sso", &config.region);
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
    region: &str,
    client_id: &Secret,
    client_secret: &Secret,
    refresh_token: &Secret,
) -> Result<Result<CreatedToken, String>, CredentialsError> {
    let url = format!("{}/token", endpoint(ctx, "AWS_ENDPOINT_URL_SSO_OIDC", "oidc", region));
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
