//! `s3express vs botocore`: S3 Express One Zone session auth compared with botocore
//! 1.44.8, both pointed at the same loopback fake (`integration/fakes/fake_s3express.py`,
//! a custom endpoint on an IP address, so directory buckets are addressed path style).
//!
//! Each scenario (environment and shared files, the fake's session lifetime, a list of
//! steps: PutObject, GetObject, ListObjectsV2, pauses) runs once with botocore
//! (`integration/fakes/botocore_s3express.py`) and once with our client, each after the
//! fake is reset. They must agree on every step's outcome and on the request sequence
//! the fake logged: for each request, the operation, bucket and key, which credentials
//! signed it (the base key, or session 1, 2, … of the fake), the signing name and
//! region, the express-relevant signed headers (`host`, `x-amz-date`,
//! `x-amz-content-sha256`, `x-amz-s3session-token`, `x-amz-security-token`,
//! `x-amz-create-session-mode`), whether `X-Amz-Security-Token` and
//! `x-amz-s3session-token` were sent, and the fake's verdict (it verifies every signature
//! with botocore's signer and the secret it issued). That covers the same `CreateSession`
//! call, the same signed headers, the session reused, and refreshed after expiry.
//!
//! Run by `cargo xtask test` with the fakes started (`S3_TEST_FAKES`, `S3_TEST_PYTHON`,
//! as `credentials_oracle`); ignored otherwise. Prints
//! `s3express vs botocore: N passed, M failed` (scenarios).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use s3::{Client, Config};
use s3_runtime::config::{self, Env};
use s3_runtime::{DefaultCredentialsChain, SdkError};

const B1: &str = "bucket1--usw2-az1--x-s3";
const B2: &str = "bucket2--usw2-az1--x-s3";

#[derive(Clone, Debug)]
enum Step {
    Put(&'static str, &'static str, &'static str),
    Get(&'static str, &'static str),
    List(&'static str),
    Sleep(u64),
}

impl Step {
    fn json(&self) -> serde_json::Value {
        match self {
            Step::Put(b, k, body) => serde_json::json!({"op": "put", "bucket": b, "key": k, "body": body}),
            Step::Get(b, k) => serde_json::json!({"op": "get", "bucket": b, "key": k}),
            Step::List(b) => serde_json::json!({"op": "list", "bucket": b}),
            Step::Sleep(s) => serde_json::json!({"op": "sleep", "seconds": s}),
        }
    }
}

struct Scenario {
    name: &'static str,
    env: Vec<(&'static str, &'static str)>,
    config: Option<&'static str>,
    /// Session lifetime the fake grants, in seconds.
    lifetime: u64,
    steps: Vec<Step>,
}

fn scenarios() -> Vec<Scenario> {
    use Step::*;
    let base = |name, steps| Scenario { name, env: Vec::new(), config: None, lifetime: 300, steps };
    vec![
        base("one session, reused by PutObject, GetObject and ListObjectsV2", vec![
            Put(B1, "a.txt", "hello"),
            Get(B1, "a.txt"),
            List(B1),
            Get(B1, "a.txt"),
        ]),
        Scenario {
            lifetime: 50,
            ..base("a session within 45 s of expiry is refreshed", vec![
                Put(B1, "a.txt", "hello"),
                Get(B1, "a.txt"),
                Sleep(7),
                Get(B1, "a.txt"),
                List(B1),
            ])
        },
        base("one session per bucket", vec![Put(B1, "a", "1"), Put(B2, "b", "2"), Get(B1, "a"), List(B2), List(B1)]),
        Scenario {
            env: vec![("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "true")],
            ..base("session auth disabled by AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", vec![
                Put(B1, "a", "x"),
                Get(B1, "a"),
                List(B1),
            ])
        },
        Scenario {
            config: Some("[default]\ns3_disable_express_session_auth = true\n"),
            ..base("session auth disabled in the profile", vec![Put(B1, "a", "x"), Get(B1, "a")])
        },
        Scenario {
            config: Some("[default]\ns3_disable_express_session_auth = false\n"),
            ..base("session auth explicitly enabled in the profile", vec![Put(B1, "a", "x"), Get(B1, "a")])
        },
        Scenario {
            env: vec![("AWS_SESSION_TOKEN", "base-session-token")],
            ..base("base credentials with a token: X-Amz-Security-Token on CreateSession only", vec![
                Put(B1, "a", "x"),
                Get(B1, "a"),
            ])
        },
        Scenario {
            env: vec![("AWS_ACCESS_KEY_ID", "AKIDUNKNOWN")],
            ..base("CreateSession refused: every request fails, none is sent", vec![Get(B1, "a"), List(B1)])
        },
        base("a missing key: NoSuchKey under session auth", vec![Get(B1, "missing")]),
    ]
}

/// A minimal HTTP/1.0 GET to the fake's control endpoints.
fn control(base: &str, path: &str) -> String {
    let authority = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(authority).expect("connect to the fake");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default()
}

/// The fake's log, each request reduced to what is compared.
fn log(base: &str) -> Vec<String> {
    let entries: Vec<serde_json::Value> = serde_json::from_str(&control(base, "/__fake/log")).expect("log JSON");
    const EXPRESS_HEADERS: &[&str] = &[
        "host",
        "x-amz-date",
        "x-amz-content-sha256",
        "x-amz-s3session-token",
        "x-amz-security-token",
        "x-amz-create-session-mode",
    ];
    entries
        .iter()
        .map(|e| {
            let signed: Vec<&str> = e["signed"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|v| v.as_str())
                .filter(|name| EXPRESS_HEADERS.contains(name))
                .collect();
            format!(
                "{} {}/{} auth={} service={} region={} signed={} security-token={} s3session-token={} mode={} status={}{}",
                e["op"].as_str().unwrap_or(""),
                e["bucket"].as_str().unwrap_or(""),
                e["key"].as_str().unwrap_or(""),
                e["auth"].as_str().unwrap_or(""),
                e["service"].as_str().unwrap_or(""),
                e["region"].as_str().unwrap_or(""),
                signed.join(";"),
                e["security_token"],
                e["s3session_token"],
                e["session_mode"],
                e["status"],
                e.get("why").and_then(|w| w.as_str()).map(|w| format!(" ({w})")).unwrap_or_default(),
            )
        })
        .collect()
}

fn environment(scenario: &Scenario, dir: &Path) -> Vec<(String, String)> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    if let Some(text) = scenario.config {
        std::fs::write(dir.join(".aws/config"), text).unwrap();
    }
    let mut env: Vec<(String, String)> = vec![
        ("HOME".into(), dir.to_string_lossy().into_owned()),
        ("AWS_CONFIG_FILE".into(), dir.join(".aws/config").to_string_lossy().into_owned()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), dir.join(".aws/credentials").to_string_lossy().into_owned()),
        ("AWS_DEFAULT_REGION".into(), "us-west-2".into()),
        ("AWS_ACCESS_KEY_ID".into(), "AKIDEXPRESS".into()),
        ("AWS_SECRET_ACCESS_KEY".into(), "express-base-secret".into()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ];
    for (name, value) in &scenario.env {
        env.retain(|(n, _)| n != name);
        env.push(((*name).to_owned(), (*value).to_owned()));
    }
    env
}

fn botocore(python: &str, url: &str, scenario: &Scenario, env: &[(String, String)]) -> Vec<String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fakes/botocore_s3express.py");
    let steps = serde_json::Value::Array(scenario.steps.iter().map(Step::json).collect()).to_string();
    let output = Command::new(python)
        .arg(&script)
        .arg(url)
        .arg(&steps)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run botocore");
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_else(|| panic!("botocore printed nothing: {}", String::from_utf8_lossy(&output.stderr)));
    serde_json::from_str(line).expect("botocore's JSON")
}

/// `error <code>` for a service error (or a refused CreateSession, whose code our error
/// message carries), `error! <kind>` for anything else.
fn outcome<E: std::fmt::Debug>(err: SdkError<E>, code: impl Fn(&E) -> Option<String>) -> String {
    match &err {
        SdkError::Service(e) => format!("error {}", code(e).unwrap_or_default()),
        SdkError::Credentials(c) => {
            let text = c.to_string();
            match text.split_once("CreateSession failed with HTTP ") {
                Some((_, rest)) => {
                    let code = rest.split(": ").nth(1).unwrap_or("");
                    format!("error {code}")
                }
                None => format!("error! credentials: {text}"),
            }
        }
        other => format!("error! {other:?}"),
    }
}

fn ours(url: &str, scenario: &Scenario, env: &[(String, String)]) -> Vec<String> {
    let env = Env::from_vars(env.iter().cloned());
    let shared = match config::load(&|n| env.get(n)) {
        Ok(shared) => shared,
        Err(e) => return vec![format!("error! config: {e}")],
    };
    let client = Client::from_conf(
        Config::from_shared(&shared)
            .endpoint_url(url)
            .credentials_provider(DefaultCredentialsChain::with_env(env))
            .max_attempts(1)
            .build(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mut outcomes = Vec::new();
        for step in &scenario.steps {
            let outcome = match *step {
                Step::Sleep(seconds) => {
                    tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
                    "ok".to_owned()
                }
                Step::Put(bucket, key, body) => {
                    match client.put_object().bucket(bucket).key(key).body(body.as_bytes().to_vec()).send().await {
                        Ok(_) => "ok".to_owned(),
                        Err(e) => outcome(e, |e| e.code().map(str::to_owned)),
                    }
                }
                Step::Get(bucket, key) => match client.get_object().bucket(bucket).key(key).send().await {
                    Ok(out) => {
                        let bytes = out.body.unwrap().collect().await.unwrap();
                        format!("ok {}", String::from_utf8_lossy(&bytes))
                    }
                    Err(e) => outcome(e, |e| e.code().map(str::to_owned)),
                },
                Step::List(bucket) => match client.list_objects_v2().bucket(bucket).send().await {
                    Ok(out) => {
                        let keys: Vec<String> = out.contents.unwrap_or_default().into_iter().filter_map(|o| o.key).collect();
                        format!("ok {}", keys.join(","))
                    }
                    Err(e) => outcome(e, |e| e.code().map(str::to_owned)),
                },
            };
            outcomes.push(outcome);
        }
        outcomes
    })
}

fn same_outcomes(ours: &[String], botocore: &[String]) -> bool {
    ours.len() == botocore.len()
        && ours.iter().zip(botocore).all(|(o, b)| {
            if b.starts_with("error!") {
                o.starts_with("error")
            } else {
                o == b
            }
        })
}

#[test]
#[ignore = "needs the fakes and botocore: run by `cargo xtask test`"]
fn s3express_vs_botocore() {
    let fakes: HashMap<String, String> =
        serde_json::from_str(&std::env::var("S3_TEST_FAKES").expect("S3_TEST_FAKES")).expect("S3_TEST_FAKES is JSON");
    let url = fakes.get("s3express").expect("the s3express fake").clone();
    let python = std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON");
    let root = std::env::temp_dir().join(format!("s3-express-oracle-{}", std::process::id()));
    let (mut passed, mut failed) = (0, 0);
    for (i, scenario) in scenarios().iter().enumerate() {
        let dir = root.join(i.to_string());
        let reset = format!("/__fake/reset?lifetime={}", scenario.lifetime);

        control(&url, &reset);
        let env = environment(scenario, &dir);
        let expected = botocore(&python, &url, scenario, &env);
        let expected_log = log(&url);

        control(&url, &reset);
        let env = environment(scenario, &dir);
        let actual = ours(&url, scenario, &env);
        let actual_log = log(&url);

        if same_outcomes(&actual, &expected) && actual_log == expected_log {
            passed += 1;
            let sessions = actual_log.iter().filter(|l| l.starts_with("CreateSession")).count();
            println!("ok   {}: {} requests, {sessions} CreateSession; outcomes {actual:?}", scenario.name, actual_log.len());
        } else {
            failed += 1;
            println!("FAIL {}\n  outcomes ours:     {actual:?}\n  outcomes botocore: {expected:?}", scenario.name);
            let n = actual_log.len().max(expected_log.len());
            for i in 0..n {
                let (o, b) = (actual_log.get(i), expected_log.get(i));
                let mark = if o == b { "   " } else { "!!!" };
                println!("  {mark} ours:     {}\n      botocore: {}", o.map_or("-", String::as_str), b.map_or("-", String::as_str));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    println!("s3express vs botocore: {passed} passed, {failed} failed");
    assert_eq!(failed, 0, "S3 Express requests differ from botocore's");
    assert!(passed >= 8, "too few scenarios ran: {passed}");
}
