//! The SSO access token `aws sso login` caches in `~/.aws/sso/cache/<sha1>.json`
//! (botocore's `SSOTokenLoader`), and its refresh (botocore's `SSOTokenProvider`).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use super::{api, ConfiguredEndpoints, Secret, SsoSession, PROVIDER};
use crate::auth::context::Ctx;
use crate::auth::env::parse_expiry;
use crate::auth::provider::CredentialsError;
use crate::{DateTime, DateTimeFormat};

/// A session's token with less than this left is refreshed (botocore's
/// `SSOTokenProvider._REFRESH_WINDOW`).
pub(crate) const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// botocore's `UnauthorizedSSOTokenError`.
pub(crate) const EXPIRED: &str = "the SSO session associated with this profile has expired or is otherwise invalid; \
     to refresh this SSO session run `aws sso login` with the corresponding profile";

/// `~/.aws/sso/cache/<sha1 hex of key>.json`.
pub(crate) fn cache_path(ctx: &Ctx, key: &str) -> Result<PathBuf, CredentialsError> {
    let home_var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    let home = ctx
        .env
        .get(home_var)
        .filter(|h| !h.is_empty())
        .ok_or_else(|| CredentialsError::other(PROVIDER, format!("cannot find the SSO token cache: {home_var} is not set")))?;
    let digest = Sha1::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(PathBuf::from(home).join(".aws").join("sso").join("cache").join(format!("{hex}.json")))
}

/// A cached token document, read whole (its other keys are kept to write back).
struct Cached {
    path: PathBuf,
    doc: Map<String, Value>,
    access_token: Secret,
    expires_at: SystemTime,
}

/// `SSOTokenLoader(start_url, session_name)`: the document, which must have
/// `accessToken` and `expiresAt`.
fn load(ctx: &Ctx, key: &str, start_url: &str) -> Result<Cached, CredentialsError> {
    let path = cache_path(ctx, key)?;
    let load_error = |why: String| CredentialsError::other(PROVIDER, format!("error loading SSO token: {why}"));
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(load_error(format!(
                "token for {key} does not exist ({} not found; run `aws sso login`)",
                path.display()
            )))
        }
        Err(e) => return Err(load_error(format!("cannot read {}: {e}", path.display()))),
    };
    // serde_json's errors give a position, never the document's text.
    let doc: Map<String, Value> =
        serde_json::from_slice(&bytes).map_err(|e| load_error(format!("{} is not a JSON object: {e}", path.display())))?;
    let invalid = || load_error(format!("token for {start_url} is invalid ({} needs accessToken and expiresAt)", path.display()));
    let access_token = doc.get("accessToken").and_then(Value::as_str).ok_or_else(invalid)?;
    let expires_text = doc.get("expiresAt").and_then(Value::as_str).ok_or_else(invalid)?;
    let expires_at = parse_expiry(expires_text)
        .ok_or_else(|| load_error(format!("expiresAt in {} is not a timestamp: {expires_text:?}", path.display())))?;
    Ok(Cached { access_token: Secret::new(access_token), expires_at, path, doc })
}

/// A legacy profile's token (`SSOCredentialFetcher._get_credentials` without a token
/// provider): the cache file of the start URL, refused once expired.
pub(crate) fn legacy_token(ctx: &Ctx, start_url: &str) -> Result<Secret, CredentialsError> {
    let cached = load(ctx, start_url, start_url)?;
    if cached.expires_at <= ctx.now() {
        return Err(CredentialsError::other(PROVIDER, EXPIRED));
    }
    Ok(cached.access_token)
}

/// An `sso_session` profile's token (`SSOTokenProvider._refresher` under
/// `DeferredRefreshableToken`): with less than 15 minutes left it is refreshed when it
/// can be (a refresh token, a client registration that has not expired, and SSO-OIDC
/// accepting them) and the new token written back; a token that is still expired after
/// that is an error.
pub(crate) async fn session_token(ctx: &Ctx, session: &SsoSession, endpoints: &ConfiguredEndpoints) -> Result<Secret, CredentialsError> {
    let cached = load(ctx, &session.name, &session.start_url)?;
    let now = ctx.now();
    let remaining = cached.expires_at.duration_since(now).unwrap_or(Duration::ZERO);
    let (token, expires_at) = if remaining < REFRESH_WINDOW {
        match refresh(ctx, session, endpoints, &cached).await? {
            Some(fresh) => fresh,
            None => (cached.access_token, cached.expires_at),
        }
    } else {
        (cached.access_token, cached.expires_at)
    };
    if expires_at <= ctx.now() {
        return Err(CredentialsError::other(
            PROVIDER,
            format!(
                "error when retrieving token from sso: the SSO token of sso-session `{}` has expired and refresh failed; \
                 run `aws sso login --sso-session {}`",
                session.name, session.name
            ),
        ));
    }
    Ok(token)
}

/// `_refresh_access_token`: `None` when the token cannot be refreshed (botocore logs
/// why and keeps the old one); an error when SSO-OIDC could not be reached or the
/// file not written.
async fn refresh(ctx: &Ctx, session: &SsoSession, endpoints: &ConfiguredEndpoints, cached: &Cached) -> Result<Option<(Secret, SystemTime)>, CredentialsError> {
    const KEYS: [&str; 4] = ["refreshToken", "clientId", "clientSecret", "registrationExpiresAt"];
    let missing: Vec<&str> = KEYS.into_iter().filter(|k| !cached.doc.contains_key(*k)).collect();
    if !missing.is_empty() {
        tracing::info!(sso_session = %session.name, ?missing, "unable to refresh SSO token: missing keys");
        return Ok(None);
    }
    let registration = &cached.doc["registrationExpiresAt"];
    let registration_expiry = registration.as_str().and_then(parse_expiry).ok_or_else(|| {
        CredentialsError::other(PROVIDER, format!("registrationExpiresAt in {} is not a timestamp", cached.path.display()))
    })?;
    if registration_expiry <= ctx.now() {
        tracing::info!(sso_session = %session.name, "SSO token registration expired; not refreshing");
        return Ok(None);
    }
    let as_secret = |key: &str| -> Result<Secret, CredentialsError> {
        cached.doc[key]
            .as_str()
            .map(Secret::new)
            .ok_or_else(|| CredentialsError::other(PROVIDER, format!("{key} in {} is not a string", cached.path.display())))
    };
    let client_id = as_secret("clientId")?;
    let client_secret = as_secret("clientSecret")?;
    let refresh_token = as_secret("refreshToken")?;
    let created = match api::create_token(ctx, endpoints, &session.region, &client_id, &client_secret, &refresh_token).await? {
        Ok(created) => created,
        Err(rejected) => {
            tracing::warn!(sso_session = %session.name, error = %rejected, "SSO token refresh attempt failed");
            return Ok(None);
        }
    };
    // botocore's `_utc_now() + expiresIn`, written with whole seconds.
    let now = whole_seconds(ctx.now());
    let expires_at = now + Duration::from_secs(created.expires_in);
    let mut doc = vec![
        ("startUrl", Value::String(session.start_url.clone())),
        ("region", Value::String(session.region.clone())),
        ("accessToken", Value::String(created.access_token.expose().to_owned())),
        ("expiresAt", Value::String(DateTime::from(expires_at).fmt(DateTimeFormat::DateTime))),
        ("clientId", Value::String(client_id.expose().to_owned())),
        ("clientSecret", Value::String(client_secret.expose().to_owned())),
        ("registrationExpiresAt", registration.clone()),
    ];
    if let Some(new_refresh) = &created.refresh_token {
        doc.push(("refreshToken", Value::String(new_refresh.expose().to_owned())));
    }
    save(&cached.path, &python_json(&doc)).map_err(|e| {
        CredentialsError::other(PROVIDER, format!("cannot write the refreshed SSO token to {}: {e}", cached.path.display()))
    })?;
    tracing::info!(sso_session = %session.name, "SSO token refresh succeeded");
    Ok(Some((created.access_token, expires_at)))
}

fn whole_seconds(t: SystemTime) -> SystemTime {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => SystemTime::UNIX_EPOCH + Duration::from_secs(d.as_secs()),
        Err(_) => t,
    }
}

/// botocore's `JSONFileCache.__setitem__`: a temporary file (mode 0600) in the cache
/// directory, written and synced, then renamed over the old file.
fn save(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = dir.join(format!(".{}-{n}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// `json.dumps` of a dict with Python's defaults: `", "` and `": "` separators, keys in
/// insertion order, non-ASCII escaped (`ensure_ascii`).
pub(crate) fn python_json(entries: &[(&str, Value)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        python_string(&mut out, key);
        out.push_str(": ");
        python_value(&mut out, value);
    }
    out.push('}');
    out
}

fn python_value(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => python_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let entries: Vec<(&str, Value)> = map.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            out.push_str(&python_json(&entries));
        }
        other => out.push_str(&other.to_string()),
    }
}

fn python_string(out: &mut String, s: &str) {
    crate::encoding::python_json_string(out, s)
}
