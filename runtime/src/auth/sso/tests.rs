use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use sha1::{Digest, Sha1};

use super::*;
use crate::config::Env;
use crate::{DateTime, DateTimeFormat};

const ACCESS: &str = "sso-access-SECRET-aaaa";
const REFRESHED: &str = "sso-refreshed-SECRET-bbbb";
const REFRESH: &str = "sso-refresh-SECRET-cccc";
const CLIENT_SECRET: &str = "sso-client-SECRET-dddd";

/// One request a fake received.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A loopback HTTP server answering with `answer(request) -> (status, body)`.
struct Fake {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    fn start(answer: impl Fn(&Seen) -> (u16, String) + Send + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let (method, target) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
                let mut headers = Vec::new();
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    let h = h.trim_end();
                    if h.is_empty() {
                        break;
                    }
                    let (n, v) = h.split_once(':').unwrap();
                    headers.push((n.trim().to_owned(), v.trim().to_owned()));
                }
                let len: usize = headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                    .map(|(_, v)| v.parse().unwrap())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                let request = Seen { method, target, headers, body: String::from_utf8(body).unwrap() };
                let (status, body) = answer(&request);
                record.lock().unwrap().push(request);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Fake { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// The portal and OIDC in one fake, as `integration/fakes/fake_sso.py`.
fn sso_fake() -> Fake {
    Fake::start(|r| {
        if r.method == "GET" && r.target.starts_with("/federation/credentials?") {
            return match r.header("x-amz-sso_bearer_token") {
                Some(ACCESS) | Some(REFRESHED) => (
                    200,
                    r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-session","expiration":1893456000999}}"#.into(),
                ),
                _ => (401, r#"{"message":"Session token not found or invalid"}"#.into()),
            };
        }
        if r.method == "POST" && r.target == "/token" {
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            if body["refreshToken"] == REFRESH && body["clientSecret"] == CLIENT_SECRET && body["grantType"] == "refresh_token" {
                return (200, format!(r#"{{"accessToken":"{REFRESHED}","tokenType":"Bearer","expiresIn":3600,"refreshToken":"{REFRESH}-2"}}"#));
            }
            return (400, r#"{"error":"invalid_grant","error_description":"bad"}"#.into());
        }
        (404, "{}".into())
    })
}

struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(config: &str) -> Home {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("s3-runtime-sso-{}-{n}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws/sso/cache")).unwrap();
        std::fs::write(dir.join(".aws/config"), config).unwrap();
        Home { dir }
    }

    fn env(&self, fake: &Fake) -> Env {
        Env::from_vars([
            ("HOME".to_owned(), self.dir.to_string_lossy().into_owned()),
            ("USERPROFILE".to_owned(), self.dir.to_string_lossy().into_owned()),
            ("AWS_ENDPOINT_URL_SSO".to_owned(), fake.url.clone()),
            ("AWS_ENDPOINT_URL_SSO_OIDC".to_owned(), fake.url.clone()),
        ])
    }

    fn cache_file(&self, key: &str) -> PathBuf {
        let hex: String = Sha1::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(".aws/sso/cache").join(format!("{hex}.json"))
    }

    fn write_token(&self, key: &str, text: &str) {
        std::fs::write(self.cache_file(key), text).unwrap();
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn at(offset: i64) -> String {
    let now = SystemTime::now();
    let t = if offset >= 0 { now + Duration::from_secs(offset as u64) } else { now - Duration::from_secs(offset.unsigned_abs()) };
    DateTime::from(t).fmt(DateTimeFormat::DateTime)
}

const SESSION_CONFIG: &str = "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
[sso-session my-sso]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n";
const LEGACY_CONFIG: &str = "[profile old]\nsso_start_url = https://d-2.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 444455556666\nsso_role_name = Old\n";

fn session_token_json(expires: i64, registration: i64) -> String {
    let registration = if registration > 0 { "2099-01-01T00:00:00Z".to_owned() } else { at(registration) };
    format!(
        r#"{{"startUrl":"https://d-1.awsapps.com/start","region":"us-east-1","accessToken":"{ACCESS}","expiresAt":"{}","refreshToken":"{REFRESH}","clientId":"cid","clientSecret":"{CLIENT_SECRET}","registrationExpiresAt":"{}","extra":"dropped"}}"#,
        at(expires),
        registration
    )
}

fn provider(home: &Home, fake: &Fake, profile: &str) -> Result<Option<Arc<dyn ProvideCredentials>>, CredentialsError> {
    let ctx = Ctx::new(home.env(fake));
    let files = ctx.files()?;
    from_profile(&ctx, &files, files.profile(profile).as_ref())
}

fn fetch(home: &Home, fake: &Fake, profile: &str) -> Result<crate::Credentials, CredentialsError> {
    let provider = provider(home, fake, profile)?.expect("an SSO profile");
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(provider.provide_credentials())
}

fn files(config: &str) -> ProfileFiles {
    let home = Home::new(config);
    ProfileFiles::read(home.dir.join(".aws/config"), home.dir.join("nonexistent")).unwrap()
}

fn resolved(config: &str, profile: &str) -> Result<Option<SsoConfig>, String> {
    let files = files(config);
    resolve(&files, &files.profile(profile).unwrap()).map_err(|e| e.to_string())
}

#[test]
fn profiles_resolve_as_botocore() {
    let config = resolved(SESSION_CONFIG, "dev").unwrap().unwrap();
    assert_eq!(config.start_url, "https://d-1.awsapps.com/start");
    assert_eq!((config.region.as_str(), config.role_name.as_str(), config.account_id.as_str()), ("us-east-1", "Dev", "111122223333"));
    assert_eq!(config.session.as_ref().unwrap().name, "my-sso");
    let legacy = resolved(LEGACY_CONFIG, "old").unwrap().unwrap();
    assert_eq!((legacy.start_url.as_str(), legacy.region.as_str()), ("https://d-2.awsapps.com/start", "eu-west-1"));
    assert!(legacy.session.is_none());
    // Not an SSO profile: sso_start_url alone does not make one.
    assert_eq!(resolved("[profile p]\nsso_start_url = u\nsso_region = r\n", "p").unwrap(), None);
    // Missing keys, all named in botocore's order.
    let err = resolved("[profile p]\nsso_role_name = R\n", "p").unwrap_err();
    assert_eq!(err, "sso: the profile \"p\" is configured to use SSO but is missing required configuration: sso_account_id, sso_start_url, sso_region");
    let err = resolved("[profile p]\nsso_account_id = 1\nsso_role_name = R\nsso_session = s\n[sso-session s]\nsso_region = r\n", "p").unwrap_err();
    assert!(err.ends_with("missing required configuration: sso_start_url"), "{err}");
    // A session that does not exist, and values that conflict.
    let err = resolved("[profile p]\nsso_account_id = 1\nsso_role_name = R\nsso_session = nope\n", "p").unwrap_err();
    assert!(err.contains("the specified sso-session does not exist: \"nope\""), "{err}");
    let conflict = SESSION_CONFIG.replace("sso_role_name = Dev\n", "sso_role_name = Dev\nsso_region = us-west-2\n");
    let err = resolved(&conflict, "dev").unwrap_err();
    assert!(err.contains("the value for sso_region is inconsistent between profile `dev` (us-west-2) and sso-session `my-sso` (us-east-1)"), "{err}");
    // The same value in both is fine.
    let same = SESSION_CONFIG.replace("sso_role_name = Dev\n", "sso_role_name = Dev\nsso_region = us-east-1\n");
    assert!(resolved(&same, "dev").unwrap().is_some());
    // The token provider reads the session section alone.
    let err = resolved(
        "[profile p]\nsso_account_id = 1\nsso_role_name = R\nsso_session = s\nsso_start_url = u\nsso_region = r\n[sso-session s]\nx = y\n",
        "p",
    )
    .unwrap_err();
    assert!(err.contains("sso-session \"s\" is missing sso_start_url, sso_region"), "{err}");
}

#[test]
fn session_profile_with_a_valid_token() {
    let fake = sso_fake();
    let home = Home::new(SESSION_CONFIG);
    home.write_token("my-sso", &session_token_json(3600, 86400));
    let creds = fetch(&home, &fake, "dev").unwrap();
    assert_eq!((creds.access_key_id(), creds.secret_access_key(), creds.session_token()), ("ASIASSO", "sso-secret", Some("sso-session")));
    assert_eq!(creds.expiry(), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000)));
    assert_eq!(creds.account_id(), Some("111122223333"));
    let seen = fake.seen();
    assert_eq!(seen.len(), 1, "no refresh with an hour left");
    assert_eq!(seen[0].target, "/federation/credentials?role_name=Dev&account_id=111122223333");
    assert_eq!(seen[0].header("x-amz-sso_bearer_token"), Some(ACCESS));
    assert_eq!(seen[0].header("authorization"), None);
}

#[test]
fn legacy_profile_with_a_valid_token_and_expired_one() {
    let fake = sso_fake();
    let home = Home::new(LEGACY_CONFIG);
    home.write_token("https://d-2.awsapps.com/start", &format!(r#"{{"accessToken":"{ACCESS}","expiresAt":"{}"}}"#, at(60)));
    let creds = fetch(&home, &fake, "old").unwrap();
    assert_eq!(creds.access_key_id(), "ASIASSO");
    assert_eq!(creds.account_id(), Some("444455556666"));
    assert_eq!(fake.seen()[0].target, "/federation/credentials?role_name=Old&account_id=444455556666");
    // Expired: refused without asking the portal (a legacy token cannot be refreshed).
    home.write_token("https://d-2.awsapps.com/start", &format!(r#"{{"accessToken":"{ACCESS}","expiresAt":"{}"}}"#, at(-1)));
    let err = fetch(&home, &fake, "old").unwrap_err().to_string();
    assert!(err.contains("has expired") && err.contains("aws sso login"), "{err}");
    assert_eq!(fake.seen().len(), 1);
}

#[test]
fn expired_session_token_is_refreshed_and_written_back() {
    let fake = sso_fake();
    let home = Home::new(SESSION_CONFIG);
    home.write_token("my-sso", &session_token_json(-60, 86400));
    let registration = "2099-01-01T00:00:00Z";
    let before = SystemTime::now();
    let creds = fetch(&home, &fake, "dev").unwrap();
    assert_eq!(creds.access_key_id(), "ASIASSO");
    let seen = fake.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].method.as_str(), seen[0].target.as_str()), ("POST", "/token"));
    let body: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body, serde_json::json!({"grantType": "refresh_token", "clientId": "cid", "clientSecret": CLIENT_SECRET, "refreshToken": REFRESH}));
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    assert_eq!(seen[1].header("x-amz-sso_bearer_token"), Some(REFRESHED));
    // Written back as botocore writes it: its keys, in its order, Python's separators.
    let written = std::fs::read_to_string(home.cache_file("my-sso")).unwrap();
    let expires: serde_json::Value = serde_json::from_str(&written).unwrap();
    let expires_at = expires["expiresAt"].as_str().unwrap().to_owned();
    assert_eq!(
        written,
        format!(
            r#"{{"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", "accessToken": "{REFRESHED}", "expiresAt": "{expires_at}", "clientId": "cid", "clientSecret": "{CLIENT_SECRET}", "registrationExpiresAt": "{registration}", "refreshToken": "{REFRESH}-2"}}"#
        )
    );
    let expiry = SystemTime::from(DateTime::parse(&expires_at, DateTimeFormat::DateTime).unwrap());
    assert!(expiry >= before + Duration::from_secs(3599) && expiry <= SystemTime::now() + Duration::from_secs(3600), "{expires_at}");
    assert!(expires_at.ends_with('Z') && !expires_at.contains('.'), "{expires_at}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.cache_file("my-sso")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The next fetch uses the refreshed token without refreshing again.
    fetch(&home, &fake, "dev").unwrap();
    assert_eq!(fake.seen().len(), 3);
}

#[test]
fn refresh_only_within_fifteen_minutes_and_only_when_possible() {
    let fake = sso_fake();
    let home = Home::new(SESSION_CONFIG);
    // 16 minutes left: no refresh.
    home.write_token("my-sso", &session_token_json(16 * 60, 86400));
    fetch(&home, &fake, "dev").unwrap();
    assert_eq!(fake.seen().len(), 1);
    // 14 minutes left: refreshed.
    home.write_token("my-sso", &session_token_json(14 * 60, 86400));
    fetch(&home, &fake, "dev").unwrap();
    assert_eq!(fake.seen()[1].target, "/token");
    // 14 minutes left, the registration expired: the old token is used as it is.
    let fake = sso_fake();
    home.write_token("my-sso", &session_token_json(14 * 60, -1));
    fetch(&home, &fake, "dev").unwrap();
    assert_eq!(fake.seen().len(), 1);
    assert_eq!(fake.seen()[0].header("x-amz-sso_bearer_token"), Some(ACCESS));
    // 14 minutes left, the refresh rejected: the old token is used.
    let fake = sso_fake();
    home.write_token("my-sso", &session_token_json(14 * 60, 86400).replace(REFRESH, "wrong-SECRET-refresh"));
    fetch(&home, &fake, "dev").unwrap();
    assert_eq!(fake.seen().len(), 2);
    // Expired and the refresh rejected: an error, without any secret.
    home.write_token("my-sso", &session_token_json(-1, 86400).replace(REFRESH, "wrong-SECRET-refresh"));
    let err = fetch(&home, &fake, "dev").unwrap_err().to_string();
    assert!(err.contains("has expired and refresh failed") && err.contains("aws sso login"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
    // Expired without a refresh token: an error, no request.
    let fake = sso_fake();
    home.write_token("my-sso", &format!(r#"{{"accessToken":"{ACCESS}","expiresAt":"{}"}}"#, at(-1)));
    assert!(fetch(&home, &fake, "dev").unwrap_err().to_string().contains("has expired and refresh failed"));
    assert!(fake.seen().is_empty());
}

#[test]
fn missing_or_invalid_token_files() {
    let fake = sso_fake();
    let home = Home::new(SESSION_CONFIG);
    let err = fetch(&home, &fake, "dev").unwrap_err().to_string();
    assert!(err.contains("token for my-sso does not exist") && err.contains(&home.cache_file("my-sso").display().to_string()), "{err}");
    home.write_token("my-sso", &format!(r#"{{"accessToken":"{ACCESS}"}}"#));
    let err = fetch(&home, &fake, "dev").unwrap_err().to_string();
    assert!(err.contains("is invalid") && !err.contains("SECRET"), "{err}");
    home.write_token("my-sso", &format!("{{\"accessToken\":\"{ACCESS}\""));
    let err = fetch(&home, &fake, "dev").unwrap_err().to_string();
    assert!(err.contains("is not a JSON object") && !err.contains("SECRET"), "{err}");
    assert!(fake.seen().is_empty());
}

#[test]
fn portal_errors_are_clear_and_never_show_the_token() {
    let home = Home::new(SESSION_CONFIG);
    home.write_token("my-sso", &session_token_json(3600, 86400).replace(ACCESS, "unknown-SECRET-token"));
    let fake = sso_fake();
    let err = fetch(&home, &fake, "dev").unwrap_err().to_string();
    assert!(err.contains("has expired or is otherwise invalid") && !err.contains("SECRET"), "{err}");
    let echo = Fake::start(|r| (403, format!(r#"{{"message":"no access for {}"}}"#, r.header("x-amz-sso_bearer_token").unwrap())));
    let err = fetch(&home, &echo, "dev").unwrap_err().to_string();
    assert!(err.contains("failed with HTTP 403") && err.contains("Dev") && !err.contains("SECRET"), "{err}");
    let typed = Fake::start(|_| (403, r#"{"__type":"com.amazon#ForbiddenException","message":"denied"}"#.into()));
    let err = fetch(&home, &typed, "dev").unwrap_err().to_string();
    assert!(err.ends_with("HTTP 403: ForbiddenException: denied"), "{err}");
}

#[test]
fn secrets_never_in_debug_display_or_logs() {
    let fake = sso_fake();
    let home = Home::new(SESSION_CONFIG);
    home.write_token("my-sso", &session_token_json(-60, 86400));
    let provider = provider(&home, &fake, "dev").unwrap().unwrap();
    let creds = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(provider.provide_credentials()).unwrap();
    let shown = format!("{provider:?} {creds:?} {:?}", Secret::new(ACCESS));
    assert!(!shown.contains("SECRET") && !shown.contains("sso-secret") && !shown.contains("sso-session\""), "{shown}");
    // Errors along every failing path were checked above; a refresh rejection is logged
    // with the server's text scrubbed of what was sent.
    let scrubbed = api_scrub_for_test(format!("bad {REFRESH} and {CLIENT_SECRET}"));
    assert_eq!(scrubbed, "bad ** redacted ** and ** redacted **");
}

fn api_scrub_for_test(text: String) -> String {
    api::scrub_for_test(text, &[&Secret::new(REFRESH), &Secret::new(CLIENT_SECRET)])
}

#[test]
fn endpoints() {
    use api::{endpoint, Service::{Oidc, Portal}};
    let ctx = |vars: &[(&str, &str)]| Ctx::new(Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>()));
    let none = ConfiguredEndpoints { ignore: None, services: Ok((None, None)), endpoint_url: None };
    assert_eq!(endpoint(&ctx(&[]), &none, Portal, "eu-west-1").unwrap(), "https://portal.sso.eu-west-1.amazonaws.com");
    assert_eq!(endpoint(&ctx(&[]), &none, Oidc, "cn-north-1").unwrap(), "https://oidc.cn-north-1.amazonaws.com.cn");
    let c = ctx(&[("AWS_ENDPOINT_URL", "http://all/"), ("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc:1")]);
    assert_eq!(endpoint(&c, &none, Portal, "r").unwrap(), "http://all");
    assert_eq!(endpoint(&c, &none, Oidc, "r").unwrap(), "http://oidc:1");
    let c = ctx(&[("AWS_ENDPOINT_URL_SSO", "http://x"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "True")]);
    assert_eq!(endpoint(&c, &none, Portal, "r").unwrap(), "https://portal.sso.r.amazonaws.com");

    // From the profile, after the environment: `[services]` entries, then `endpoint_url`.
    let config = "[profile p]\nsso_account_id = 1\nsso_role_name = R\nsso_start_url = u\nsso_region = r\nendpoint_url = http://global\nservices = local\n\
                  [services local]\nsso_oidc =\n  endpoint_url = http://oidc-local\ns3 =\n  endpoint_url = http://s3\n";
    let configured = resolved(config, "p").unwrap().unwrap().endpoints;
    assert_eq!(endpoint(&ctx(&[]), &configured, Oidc, "r").unwrap(), "http://oidc-local");
    assert_eq!(endpoint(&ctx(&[]), &configured, Portal, "r").unwrap(), "http://global");
    assert_eq!(endpoint(&ctx(&[("AWS_ENDPOINT_URL", "http://env")]), &configured, Oidc, "r").unwrap(), "http://env");
    let ignored = resolved(&config.replace("services = local\n", "services = local\nignore_configured_endpoint_urls = true\n"), "p").unwrap().unwrap();
    assert_eq!(endpoint(&ctx(&[]), &ignored.endpoints, Portal, "r").unwrap(), "https://portal.sso.r.amazonaws.com");
    assert_eq!(endpoint(&ctx(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")]), &ignored.endpoints, Portal, "r").unwrap(), "http://global");
    // A `services` name without its section is an error only when consulted.
    let missing = resolved(&config.replace("services = local", "services = nope"), "p").unwrap().unwrap();
    assert!(endpoint(&ctx(&[]), &missing.endpoints, Portal, "r").unwrap_err().to_string().contains("\"nope\" services configuration does not exist"));
    assert_eq!(endpoint(&ctx(&[("AWS_ENDPOINT_URL_SSO", "http://x")]), &missing.endpoints, Portal, "r").unwrap(), "http://x");
}

#[test]
fn python_json_matches_json_dumps() {
    let doc = [("a", serde_json::json!("x\"\\\n\u{7f}é😀")), ("b", serde_json::json!(1)), ("c", serde_json::json!(["p", null]))];
    assert_eq!(token::python_json(&doc), r#"{"a": "x\"\\\n\u007f\u00e9\ud83d\ude00", "b": 1, "c": ["p", null]}"#);
}
