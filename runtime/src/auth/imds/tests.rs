use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::auth::test_server::{closed_port_url, Seen, TestServer};

const TOKEN_VALUE: &str = "imds-session-token-SECRET";
const CREDS: &str = r#"{"Code":"Success","LastUpdated":"2026-12-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDSFAKE","SecretAccessKey":"imds-secret-SECRET","Token":"imds-session-SECRET","Expiration":"2030-01-01T00:00:00Z","AccountId":"123456789012"}"#;

/// An IMDS answering the credentials GETs as real IMDS does; `token_status` is what the
/// token `PUT` answers (200: a token, which the GETs then require).
fn imds(token_status: u16) -> impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static {
    move |req| {
        let token_ok = req.header(TOKEN_HEADER) == Some(TOKEN_VALUE);
        match (req.method.as_str(), req.path.as_str()) {
            ("PUT", "/latest/api/token") if token_status == 200 => match req.header(TOKEN_TTL_HEADER) {
                Some("21600") => (200, TOKEN_VALUE.into()),
                _ => (400, String::new()),
            },
            ("PUT", _) => (token_status, String::new()),
            ("GET", _) if token_status == 200 && !token_ok => (401, String::new()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => (200, "fake-role".into()),
            ("GET", "/latest/meta-data/iam/security-credentials/fake-role") => (200, CREDS.into()),
            ("GET", "/latest/meta-data/placement/region") => (200, "eu-west-3".into()),
            _ => (404, String::new()),
        }
    }
}

/// An environment that reads no shared files but those in `files`.
fn env(vars: &[(&str, &str)]) -> Env {
    let mut all: Vec<(String, String)> = vec![
        ("AWS_CONFIG_FILE".into(), "/nonexistent/imds-test/config".into()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), "/nonexistent/imds-test/credentials".into()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(all)
}

fn provider_at(url: &str, extra: &[(&str, &str)]) -> ImdsCredentialsProvider {
    let mut vars = vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", url)];
    vars.extend_from_slice(extra);
    ImdsCredentialsProvider::with_env(env(&vars))
}

#[tokio::test]
async fn imdsv2_sends_the_token_with_every_get() {
    let server = TestServer::start(imds(200)).await;
    let creds = provider_at(&server.url, &[]).provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDSFAKE");
    assert_eq!(creds.secret_access_key(), "imds-secret-SECRET");
    assert_eq!(creds.session_token(), Some("imds-session-SECRET"));
    assert_eq!(creds.account_id(), Some("123456789012"));
    assert_eq!(crate::DateTime::from(creds.expiry().unwrap()).fmt(crate::DateTimeFormat::DateTime), "2030-01-01T00:00:00Z");
    let seen = server.seen();
    let steps: Vec<_> = seen.iter().map(|s| (s.method.as_str(), s.path.as_str())).collect();
    assert_eq!(
        steps,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/fake-role")
        ]
    );
    assert_eq!(seen[0].header(TOKEN_TTL_HEADER), Some("21600"));
    assert!(seen[1..].iter().all(|s| s.header(TOKEN_HEADER) == Some(TOKEN_VALUE)));
}

#[tokio::test]
async fn falls_back_to_imdsv1_on_403_404_405() {
    for status in [403, 404, 405] {
        let server = TestServer::start(imds(status)).await;
        let creds = provider_at(&server.url, &[]).provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIAIMDSFAKE", "{status}");
        let seen = server.seen();
        assert_eq!(seen.len(), 3, "{status}");
        assert!(seen[1..].iter().all(|s| s.header(TOKEN_HEADER).is_none()), "{status}");
    }
}

#[tokio::test]
async fn no_fallback_when_imdsv1_is_disabled() {
    for (var, value) in [("AWS_EC2_METADATA_V1_DISABLED", "true"), ("AWS_EC2_METADATA_V1_DISABLED", "TRUE")] {
        let server = TestServer::start(imds(403)).await;
        let err = provider_at(&server.url, &[(var, value)]).provide_credentials().await.unwrap_err();
        assert!(!err.is_not_found(), "{err}");
        assert!(err.to_string().contains("IMDSv1 is disabled") && err.to_string().contains("403"), "{err}");
        assert_eq!(server.seen().len(), 1, "only the token request");
    }
    // From the profile too, and v2 still works with it.
    let dir = temp_dir("v1-disabled");
    std::fs::write(dir.join("config"), "[default]\nec2_metadata_v1_disabled = true\n").unwrap();
    let server = TestServer::start(imds(405)).await;
    let config = dir.join("config");
    let vars = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()), ("AWS_CONFIG_FILE", config.to_str().unwrap())];
    let err = ImdsCredentialsProvider::with_env(Env::from_vars(vars)).provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("IMDSv1 is disabled"), "{err}");
    let server = TestServer::start(imds(200)).await;
    let vars = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()), ("AWS_CONFIG_FILE", config.to_str().unwrap())];
    assert!(ImdsCredentialsProvider::with_env(Env::from_vars(vars)).provide_credentials().await.is_ok());
}

#[tokio::test]
async fn other_token_failures_fall_back_and_400_is_not_found() {
    // 500 on every attempt: IMDSv1 (botocore returns no token after its attempts).
    let server = TestServer::start(|req: &Seen| match req.method.as_str() {
        "PUT" => (500, String::new()),
        _ => imds(404)(req),
    })
    .await;
    let provider = provider_at(&server.url, &[("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2")]);
    assert!(provider.provide_credentials().await.is_ok());
    assert_eq!(server.seen().iter().filter(|s| s.method == "PUT").count(), 2);
    let server = TestServer::start(imds(400)).await;
    let err = provider_at(&server.url, &[]).provide_credentials().await.unwrap_err();
    assert!(err.is_not_found() && err.to_string().contains("400"), "{err}");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn no_role_or_bad_documents_are_not_found() {
    // GETs without a token are refused: a 401 role list.
    let server = TestServer::start(|req: &Seen| match req.method.as_str() {
        "PUT" => (200, "other-token".into()),
        _ => imds(200)(req),
    })
    .await;
    let err = provider_at(&server.url, &[]).provide_credentials().await.unwrap_err();
    assert!(err.is_not_found() && err.to_string().contains("401"), "{err}");
    // No instance profile: the role list is 404.
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/latest/meta-data/iam/security-credentials/" => (404, String::new()),
        _ => imds(200)(req),
    })
    .await;
    let err = provider_at(&server.url, &[("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3")]).provide_credentials().await.unwrap_err();
    assert!(err.is_not_found() && err.to_string().contains("404"), "{err}");
    assert_eq!(server.seen().len(), 4, "a token, then 3 attempts");
    // IMDS's error document for a role EC2 cannot assume.
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/latest/meta-data/iam/security-credentials/fake-role" => {
            (200, r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role"}"#.into())
        }
        _ => imds(200)(req),
    })
    .await;
    let err = provider_at(&server.url, &[]).provide_credentials().await.unwrap_err();
    assert!(err.is_not_found() && err.to_string().contains("AssumeRoleUnauthorizedAccess"), "{err}");
}

#[tokio::test]
async fn unreachable_is_not_found_within_the_timeout() {
    let url = closed_port_url().await;
    let started = Instant::now();
    let err = provider_at(&url, &[]).provide_credentials().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    // A server that never answers: the 1 s timeout, per request (token, then the role).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let started = Instant::now();
    let err = provider_at(&url, &[]).provide_credentials().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    drop(listener);
}

#[tokio::test]
async fn disabled_makes_no_request() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let server = TestServer::start(move |req: &Seen| {
        counter.fetch_add(1, Ordering::SeqCst);
        imds(200)(req)
    })
    .await;
    for value in ["true", "True"] {
        let err = provider_at(&server.url, &[("AWS_EC2_METADATA_DISABLED", value)]).provide_credentials().await.unwrap_err();
        assert!(err.is_not_found() && err.to_string().contains("AWS_EC2_METADATA_DISABLED"), "{err}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    assert!(provider_at(&server.url, &[("AWS_EC2_METADATA_DISABLED", "false")]).provide_credentials().await.is_ok());
    assert_eq!(region_from_imds(env(&[("AWS_EC2_METADATA_DISABLED", "true")])).await, None);
}

#[tokio::test]
async fn endpoint_and_mode_settings() {
    let server = TestServer::start(imds(200)).await;
    let url = server.url.clone() + "/";
    let check = |vars: &[(&str, &str)]| Client::new(&Ctx::new(env(vars)), None).unwrap().unwrap().base;
    assert_eq!(check(&[]), "http://169.254.169.254");
    assert_eq!(check(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]), "http://[fd00:ec2::254]");
    assert_eq!(check(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv4"), ("AWS_IMDS_USE_IPV6", "true")]), "http://169.254.169.254");
    assert_eq!(check(&[("AWS_IMDS_USE_IPV6", "true")]), "http://[fd00:ec2::254]");
    assert_eq!(check(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv6"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]), url);
    let bad = Client::new(&Ctx::new(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5")])), None).err().unwrap();
    assert!(bad.to_string().contains("ipv5"), "{bad}");
    let bad = Client::new(&Ctx::new(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "not a url")])), None).err().unwrap();
    assert!(bad.to_string().contains("not a url"), "{bad}");
    let bad = Client::new(&Ctx::new(env(&[("AWS_METADATA_SERVICE_TIMEOUT", "1.5")])), None).err().unwrap();
    assert!(bad.to_string().contains("metadata_service_timeout"), "{bad}");
    // A trailing slash on the endpoint is not doubled.
    let creds = provider_at(&url, &[]).provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDSFAKE");
    assert!(server.seen().iter().all(|s| !s.path.starts_with("//")));
    // The endpoint from the profile chosen by AWS_PROFILE, or by the caller.
    let dir = temp_dir("endpoint");
    let config = dir.join("config");
    std::fs::write(&config, format!("[profile ec2]\nec2_metadata_service_endpoint = {url}\nmetadata_service_num_attempts = 2\n")).unwrap();
    let vars = [("AWS_CONFIG_FILE", config.to_str().unwrap()), ("AWS_PROFILE", "ec2")];
    let client = Client::new(&Ctx::new(Env::from_vars(vars)), None).unwrap().unwrap();
    assert_eq!((client.base.as_str(), client.attempts), (url.as_str(), 2));
    let vars = [("AWS_CONFIG_FILE", config.to_str().unwrap())];
    let provider = ImdsCredentialsProvider::with_env(Env::from_vars(vars)).with_profile(Some("ec2".into()));
    assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "ASIAIMDSFAKE");
}

#[tokio::test]
async fn region_with_and_without_a_token() {
    for status in [200, 405] {
        let server = TestServer::start(imds(status)).await;
        let region = region_from_imds(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)])).await;
        assert_eq!(region.as_deref(), Some("eu-west-3"));
    }
    let url = closed_port_url().await;
    assert_eq!(region_from_imds(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)])).await, None);
}

#[test]
fn credentials_about_to_expire_are_extended() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let soon = crate::DateTime::from(now + Duration::from_secs(60)).fmt(crate::DateTimeFormat::DateTime);
    let doc = CREDS.replace("2030-01-01T00:00:00Z", &soon);
    let creds = parse_credentials(doc.as_bytes(), "r", now).unwrap();
    let left = creds.expiry().unwrap().duration_since(now).unwrap();
    assert!(left >= Duration::from_secs(720) && left <= Duration::from_secs(1200), "{left:?}");
    let creds = parse_credentials(CREDS.as_bytes(), "r", now).unwrap();
    assert_eq!(crate::DateTime::from(creds.expiry().unwrap()).fmt(crate::DateTimeFormat::DateTime), "2030-01-01T00:00:00Z");
}

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_logs() {
    let (logs, _guard) = crate::auth::test_server::capture_logs();
    let server = TestServer::start(imds(200)).await;
    let provider = provider_at(&server.url, &[]);
    let creds = provider.provide_credentials().await.unwrap();
    let shown = format!("{provider:?} {creds:?}");
    for secret in ["SECRET", TOKEN_VALUE] {
        assert!(!shown.contains(secret), "{shown}");
    }
    // An error after a token was given: no token in the message.
    let server = TestServer::start(|req: &Seen| match req.path.as_str() {
        "/latest/meta-data/iam/security-credentials/fake-role" => (500, CREDS.into()),
        _ => imds(200)(req),
    })
    .await;
    let err = provider_at(&server.url, &[]).provide_credentials().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    // Credentials about to expire (an info log), and a v1 fallback (a debug log).
    let soon = crate::DateTime::from(SystemTime::now() + Duration::from_secs(60)).fmt(crate::DateTimeFormat::DateTime);
    let doc = CREDS.replace("2030-01-01T00:00:00Z", &soon);
    let server = TestServer::start(move |req: &Seen| match req.path.as_str() {
        "/latest/meta-data/iam/security-credentials/fake-role" => (200, doc.clone()),
        _ => imds(405)(req),
    })
    .await;
    provider_at(&server.url, &[]).provide_credentials().await.unwrap();
    let logs = logs.lock().unwrap().clone();
    assert!(logs.contains("IMDSv1") && logs.contains("a little longer") && logs.contains("fake-role"), "{logs}");
    assert!(!logs.contains("SECRET"), "{logs}");
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("s3-runtime-imds-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
