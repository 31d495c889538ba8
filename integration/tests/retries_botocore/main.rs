//! botocore as the oracle for retry decisions: each fault scenario is played by the
//! loopback stub (`fault_stub`) once to our client and once to botocore 1.44.8
//! (`botocore_side.py`, in the project's venv), and the stub counts the attempts of
//! each. Prints `retries vs botocore: N passed, M failed`.
//!
//! Run by `cargo xtask test` (`S3_TEST_PYTHON` pointing at the venv's Python); ignored
//! otherwise.

#[path = "../fault_stub/mod.rs"]
mod fault_stub;

use std::time::Duration;

use fault_stub::{response, Reply, Stub};
use s3_runtime::retry::{RetryConfig, RetryMode};
use s3_runtime::timeout::StalledStreamProtection;

const LISTING: &[u8] = b"<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>";

fn error(status: u16, code: &str) -> Reply {
    response(status, &[], format!("<Error><Code>{code}</Code><Message>m</Message></Error>").as_bytes())
}

fn ok() -> Reply {
    response(200, &[], LISTING)
}

fn cut_listing(keep: usize) -> Vec<u8> {
    let mut bytes = response(200, &[], LISTING).bytes();
    bytes.truncate(bytes.len() - LISTING.len() + keep);
    bytes
}

struct Scenario {
    name: &'static str,
    op: &'static str,
    mode: &'static str,
    /// `None`: the mode's default.
    attempts: Option<u32>,
    script: fn() -> Vec<Reply>,
}

fn scenarios() -> Vec<Scenario> {
    let s = |name, op, mode, attempts, script| Scenario { name, op, mode, attempts, script };
    vec![
        s("500 every time", "list_objects_v2", "standard", None, || (0..6).map(|_| error(500, "InternalError")).collect()),
        s("500 every time, 5 attempts", "list_objects_v2", "standard", Some(5), || (0..6).map(|_| error(500, "InternalError")).collect()),
        s("503 SlowDown, then 200", "list_objects_v2", "standard", None, || vec![error(503, "SlowDown"), ok()]),
        s("429, then 200", "list_objects_v2", "standard", None, || vec![response(429, &[], b""), ok()]),
        s("400 RequestTimeout, then 200", "list_objects_v2", "standard", None, || vec![error(400, "RequestTimeout"), ok()]),
        s("400 BadDigest", "list_objects_v2", "standard", None, || vec![error(400, "BadDigest"), ok()]),
        s("403 AccessDenied", "list_objects_v2", "standard", None, || vec![error(403, "AccessDenied"), ok()]),
        s("404 NoSuchBucket", "list_objects_v2", "standard", None, || vec![error(404, "NoSuchBucket"), ok()]),
        s("501 NotImplemented", "list_objects_v2", "standard", None, || vec![error(501, "NotImplemented"), ok()]),
        s("HEAD 500 without a body, then 200", "head_bucket", "standard", None, || vec![response(500, &[], b""), response(200, &[], b"")]),
        s("200 holding an <Error>, then 200", "list_objects_v2", "standard", None, || vec![error(200, "InternalError"), ok()]),
        s("200 whose body is not well-formed, then 200", "list_objects_v2", "standard", None, || {
            vec![response(200, &[], b"<ListBucketResult><Name>b</Name><Key"), ok()]
        }),
        s("connection reset, then 200", "list_objects_v2", "standard", None, || vec![Reply::Reset, ok()]),
        s("connection reset every time", "list_objects_v2", "standard", None, || (0..4).map(|_| Reply::Reset).collect()),
        s("no answer (read timeout), then 200", "list_objects_v2", "standard", None, || vec![Reply::Silent, ok()]),
        s("stall mid-body, then 200", "list_objects_v2", "standard", None, || vec![Reply::Stall(cut_listing(20)), ok()]),
        s("stall mid-body every time", "list_objects_v2", "standard", None, || (0..4).map(|_| Reply::Stall(cut_listing(20))).collect()),
        s("body cut short, then 200", "list_objects_v2", "standard", None, || vec![Reply::Truncate(cut_listing(20)), ok()]),
        s("legacy: 400 BadDigest, then 200", "list_objects_v2", "legacy", None, || vec![error(400, "BadDigest"), ok()]),
        s("legacy: 509, then 200", "list_objects_v2", "legacy", None, || vec![response(509, &[], b""), ok()]),
        s("legacy: 400 Throttling, then 200", "list_objects_v2", "legacy", None, || vec![error(400, "Throttling"), ok()]),
        s("legacy: 503 every time, 3 attempts", "list_objects_v2", "legacy", Some(3), || (0..6).map(|_| error(503, "SlowDown")).collect()),
        s("legacy: 403 AccessDenied", "list_objects_v2", "legacy", None, || vec![error(403, "AccessDenied"), ok()]),
        s("adaptive: 503 SlowDown, then 200", "list_objects_v2", "adaptive", None, || vec![error(503, "SlowDown"), ok()]),
    ]
}

async fn ours(scenario: &Scenario) -> usize {
    let stub = Stub::start((scenario.script)()).await;
    let mode = match scenario.mode {
        "legacy" => RetryMode::Legacy,
        "adaptive" => RetryMode::Adaptive,
        _ => RetryMode::Standard,
    };
    let mut retry = if mode == RetryMode::Legacy { RetryConfig::legacy() } else { RetryConfig { mode, ..RetryConfig::default() } };
    if let Some(attempts) = scenario.attempts {
        retry.max_attempts = attempts;
    }
    let config = stub
        .config()
        .retry_config(retry)
        .read_timeout(Duration::from_secs(1))
        .stalled_stream_protection(StalledStreamProtection::enabled().grace_period(Duration::from_secs(1)));
    let client = s3::Client::from_conf(config.build());
    let outcome = match scenario.op {
        "head_bucket" => client.head_bucket().bucket("b").send().await.map(drop).map_err(|e| e.to_string()),
        _ => client.list_objects_v2().bucket("b").send().await.map(drop).map_err(|e| e.to_string()),
    };
    eprintln!("  ours: {outcome:?}");
    stub.requests().len()
}

async fn botocore(scenario: &Scenario, python: &str) -> usize {
    let stub = Stub::start((scenario.script)()).await;
    let args = format!(
        r#"{{"url": "{}", "op": "{}", "mode": "{}", "attempts": {}, "read_timeout": 1}}"#,
        stub.url,
        scenario.op,
        scenario.mode,
        scenario.attempts.map_or("null".to_owned(), |a| a.to_string())
    );
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/retries_botocore/botocore_side.py");
    let python = python.to_owned();
    let output = tokio::task::spawn_blocking(move || std::process::Command::new(python).arg(script).arg(args).output())
        .await
        .unwrap()
        .expect("run botocore");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    eprintln!("  botocore: {}", String::from_utf8_lossy(&output.stdout).trim());
    stub.requests().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs botocore: run by `cargo xtask test` (S3_TEST_PYTHON)"]
async fn retries_vs_botocore() {
    let python = std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON");
    let (mut passed, mut failed) = (0, 0);
    for scenario in scenarios() {
        eprintln!("{}:", scenario.name);
        let (ours, theirs) = (ours(&scenario).await, botocore(&scenario, &python).await);
        if ours == theirs {
            passed += 1;
        } else {
            failed += 1;
            eprintln!("MISMATCH {}: {ours} attempts here, {theirs} with botocore", scenario.name);
        }
    }
    println!("retries vs botocore: {passed} passed, {failed} failed");
    assert_eq!(failed, 0);
}
