use std::time::Duration;

use super::*;
use crate::auth::test_server::{closed_port_url, Seen, TestServer};

const AUTH: &str = "fake-container-token";
const CREDS: &str = r#"{"AccessKeyId":"ASIACONTAINERFAKE","SecretAccessKey":"container-secret-SECRET","Token":"container-session-SECRET","Expiration":"2030-01-01T00:00:00Z","AccountId":"123456789012"}"#;

/// The container endpoint: credentials on any path when the authorization is right.
fn endpoint(req: &Seen) -> (u16, String) {
    if req.header("authorization") == Some(AUTH) {
        (200, CREDS.into())
    } else {
        (401, r#"{"message":"unauthorized"}"#.into())
    }
}

fn provider(vars: &[(&str, &str)]) -> ContainerCredentialsProvider {
    let mut p = ContainerCredentialsProvider::with_env(Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))));
    p.pause = Duration::from_millis(10);
    p
}

#[tokio::test]
async fn full_uri_with_a_token() {
    let server = TestServer::start(endpoint).await;
    let url = format!("{}/v1/credentials?id=1", server.url);
    let creds = provider(&[(FULL_URI, &url), (TOKEN, AUTH)]).provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIACONTAINERFAKE");
    assert_eq!(creds.session_token(), Some("container-session-SECRET"));
    assert_eq!(creds.account_id(), Some("123456789012"));
    assert!(creds.expiry().is_some());
    let seen = server.seen();
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("GET", "/v1/credentials?id=1"));
    assert_eq!(seen[0].header("accept"), Some("application/json"));
}

#[tokio::test]
async fn nothing_set_is_not_found_without_a_request() {
    let err = provider(&[(TOKEN, AUTH)]).provide_credentials().await.unwrap_err();
    assert!(err.is_not_found() && err.to_string().contains(RELATIVE_URI), "{err}");
}

#[test]
fn full_uri_hosts_allowed_as_botocore_allows_them() {
    for ok in [
        "https://example.com/creds",
        "HTTPS://example.com/creds",
        "http://127.0.0.1:8080/creds",
        "http://127.1.2.3/creds",
        "http://[::1]:80/creds",
        "http://localhost/creds",
        "http://LOCALHOST:9/creds",
        "http://169.254.170.2/v2/credentials",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "http://[FD00:EC2::23]:80/v1/credentials",
    ] {
        assert!(check_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://example.com/creds",
        "http://169.254.169.254/latest",
        "http://169.254.170.3/creds",
        "http://[fd00:ec2::24]/creds",
        "http://10.0.0.1/creds",
        "http://localhost.example.com/creds",
        "http://169.254.170.2@evil.example.com/creds",
    ] {
        let err = check_url(bad).unwrap_err();
        assert!(!err.is_not_found() && err.to_string().contains("unsupported host"), "{bad}: {err}");
    }
}

#[tokio::test]
async fn relative_uri_is_under_the_ecs_address_and_wins() {
    // The relative URI is not a loopback URL, so it can only be checked by its URL.
    let p = provider(&[(RELATIVE_URI, "/v2/credentials/abc"), (FULL_URI, "http://127.0.0.1:1/x")]);
    assert_eq!(p.url().unwrap().as_deref(), Some("http://169.254.170.2/v2/credentials/abc"));
    // A relative URI that would move the request to another host is refused.
    let p = provider(&[(RELATIVE_URI, "@evil.example.com/creds")]);
    assert!(p.url().unwrap_err().to_string().contains("unsupported host"));
    let err = provider(&[(FULL_URI, "http://example.com/")]).provide_credentials().await.unwrap_err();
    assert!(!err.is_not_found(), "{err}");
}

#[tokio::test]
async fn token_file_is_read_on_every_fetch() {
    let server = TestServer::start(endpoint).await;
    let dir = std::env::temp_dir().join(format!("s3-runtime-container-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, "stale-token").unwrap();
    let p = provider(&[(FULL_URI, &server.url), (TOKEN_FILE, file.to_str().unwrap()), (TOKEN, "ignored-when-a-file-is-set")]);
    let err = p.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("401") && err.to_string().contains("3 attempts"), "{err}");
    assert_eq!(server.seen().len(), 3);
    std::fs::write(&file, AUTH).unwrap();
    assert_eq!(p.provide_credentials().await.unwrap().access_key_id(), "ASIACONTAINERFAKE");
    assert_eq!(server.seen().last().unwrap().header("authorization"), Some(AUTH));
    // A missing file is an error naming the variable, not the token.
    std::fs::remove_file(&file).unwrap();
    let err = p.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains(TOKEN_FILE), "{err}");
}

#[tokio::test]
async fn tokens_with_cr_or_lf_are_refused() {
    let server = TestServer::start(endpoint).await;
    for token in ["abc\r\nX-Injected: 1", "abc\n", "abc\rdef"] {
        let err = provider(&[(FULL_URI, &server.url), (TOKEN, token)]).provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("CR or LF") && !err.to_string().contains("abc"), "{err}");
    }
    // As botocore, the file is not trimmed: a trailing newline is refused too.
    let file = std::env::temp_dir().join(format!("s3-runtime-container-nl-{}", std::process::id()));
    std::fs::write(&file, format!("{AUTH}\n")).unwrap();
    let err = provider(&[(FULL_URI, &server.url), (TOKEN_FILE, file.to_str().unwrap())]).provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains(TOKEN_FILE), "{err}");
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn retries_then_fails_and_bad_documents_are_errors() {
    let url = closed_port_url().await;
    let err = provider(&[(FULL_URI, &url)]).provide_credentials().await.unwrap_err();
    assert!(!err.is_not_found() && err.to_string().contains("3 attempts"), "{err}");
    // Not JSON, then good: the second attempt succeeds.
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    let server = TestServer::start(move |req: &Seen| {
        if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            (200, "<html>".into())
        } else {
            endpoint(req)
        }
    })
    .await;
    assert!(provider(&[(FULL_URI, &server.url), (TOKEN, AUTH)]).provide_credentials().await.is_ok());
    assert_eq!(server.seen().len(), 2);
    let server = TestServer::start(|_: &Seen| (200, r#"{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2030-01-01T00:00:00Z"}"#.into())).await;
    let err = provider(&[(FULL_URI, &server.url)]).provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("Token"), "{err}");
}

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_logs() {
    let (logs, _guard) = crate::auth::test_server::capture_logs();
    let server = TestServer::start(|_: &Seen| (500, CREDS.into())).await;
    let p = provider(&[(FULL_URI, &server.url), (TOKEN, "auth-SECRET")]);
    let err = p.provide_credentials().await.unwrap_err();
    let shown = format!("{p:?} {err} {err:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    let server = TestServer::start(|_: &Seen| (200, CREDS.into())).await;
    let p = provider(&[(FULL_URI, &server.url), (TOKEN, "auth-SECRET")]);
    let creds = p.provide_credentials().await.unwrap();
    let shown = format!("{p:?} {creds:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    let logs = logs.lock().unwrap().clone();
    assert!(logs.contains("500"), "the failed attempts are logged: {logs}");
    assert!(!logs.contains("SECRET"), "{logs}");
}
