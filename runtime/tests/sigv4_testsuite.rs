//! The AWS Signature Version 4 test suite, run with the generic SigV4 rules
//! ([`SigningSettings::GENERIC`]: path normalization, double encoding, query re-encoding)
//! the way botocore's `tests/unit/auth/test_sigv4.py` runs it: service `service`, region
//! `us-east-1`, the clock at 2015-08-30T12:36:00Z, the request read from `<case>.req`
//! and sent to `https://<Host header><request target>`, credentials `AKIDEXAMPLE` with
//! the session token `<case>.creq` signs, if any. Each case must give exactly the
//! canonical request (`.creq`), string to sign (`.sts`) and `Authorization` value
//! (`.authz`) of the suite (with `\r` removed, as botocore compares them).
//!
//! The vectors are in `tests/data/aws4_testsuite/` (see its README: botocore 1.44.8's
//! sdist). `.sreq` (the signed request) is not compared: its header lines are not
//! normalized (`Authorization: ` has a space, the others none), it adds nothing the
//! `.authz` check does not cover, and in `post-sts-header-after` it shows a token added
//! after signing.
//!
//! botocore skips four vectors; all four run here:
//! - `normalize-path/get-space`: Python's HTTP parser refuses the space in the request
//!   line; this parser takes the target between the first and the last space;
//! - `get-vanilla-query-order-key-case`, `-key` and `-value`: botocore's harness puts the
//!   query in a `dict`, losing repeated names; here the URL is signed as it is.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use s3_runtime::credentials::Credentials;
use s3_runtime::sigv4::{sign, PayloadHash, SignableRequest, SigningParams, SigningSettings};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z.
const DATE: u64 = 1_440_938_160;
/// How many vectors the suite has (`*.req` files).
const VECTORS: usize = 34;
/// Vectors not run, each with the reason. None: every vector passes.
const SKIPPED: &[(&str, &str)] = &[];

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/aws4_testsuite")
}

/// Every directory holding `<its name>.req`, as a `/`-separated path relative to `root`.
fn find_cases(root: &Path, relative: &str, out: &mut Vec<String>) {
    let dir = root.join(relative);
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if !relative.is_empty() && dir.join(format!("{name}.req")).is_file() {
        out.push(relative.to_owned());
    }
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            let child = entry.file_name().to_string_lossy().into_owned();
            let child = if relative.is_empty() { child } else { format!("{relative}/{child}") };
            find_cases(root, &child, out);
        }
    }
}

/// A request of the suite: `METHOD target HTTP/1.1`, headers (continuation lines start
/// with whitespace), a blank line and the body.
struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse_request(text: &str) -> RawRequest {
    let text = text.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    let (target, _version) = rest.rsplit_once(' ').expect("HTTP version");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // An obsolete folded line continues the previous value (as Python's parser
            // keeps it: the line break and the indentation stay in the value).
            let last = headers.last_mut().expect("continuation line after a header");
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("bad header line {line:?}"));
            headers.push((name.to_owned(), value.trim_start_matches([' ', '\t']).to_owned()));
        }
    }
    RawRequest { method: method.to_owned(), target: target.to_owned(), headers, body: body.as_bytes().to_vec() }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())).replace('\r', "")
}

/// Runs one vector; `Err` describes the first mismatch.
fn run(dir: &Path, case: &str) -> Result<(), String> {
    let name = case.rsplit('/').next().unwrap();
    let file = |ext: &str| dir.join(case).join(format!("{name}.{ext}"));
    let raw = parse_request(&fs::read_to_string(file("req")).unwrap());
    let creq = read(&file("creq"));
    let sts = read(&file("sts"));
    let authz = read(&file("authz"));
    // As botocore's harness: sign with a session token when the canonical request has one.
    let token = creq.lines().find_map(|line| line.strip_prefix("x-amz-security-token:")).map(str::to_owned);
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, token);
    let host = raw.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("host")).map_or("", |(_, v)| v.as_str());
    let url = format!("https://{host}{}", raw.target);
    let request = SignableRequest { method: &raw.method, url: &url, headers: &raw.headers };
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "service",
        time: UNIX_EPOCH + Duration::from_secs(DATE),
        payload: PayloadHash::Bytes(&raw.body),
        settings: SigningSettings::GENERIC,
    };
    let output = sign(&request, &params).map_err(|e| format!("signing failed: {e}"))?;
    let checks = [
        ("canonical request", output.canonical_request(), creq.as_str()),
        ("string to sign", output.string_to_sign(), sts.as_str()),
        ("Authorization", output.authorization(), authz.as_str()),
    ];
    for (what, actual, expected) in checks {
        if actual != expected {
            return Err(format!("{what} differs\n--- expected\n{expected}\n--- actual\n{actual}"));
        }
    }
    Ok(())
}

#[test]
fn aws_sigv4_test_suite() {
    let dir = suite_dir();
    let mut cases = Vec::new();
    find_cases(&dir, "", &mut cases);
    cases.sort();
    assert_eq!(cases.len(), VECTORS, "expected {VECTORS} vectors in {}, found {cases:?}", dir.display());

    let mut passed = 0;
    let mut failures = Vec::new();
    for case in &cases {
        if SKIPPED.iter().any(|(skipped, _)| skipped == case) {
            continue;
        }
        match run(&dir, case) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{case}: {why}")),
        }
    }
    println!("SigV4 test suite: {passed} of {} vectors pass ({} skipped)", cases.len(), SKIPPED.len());
    assert!(failures.is_empty(), "{} vector(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
    assert_eq!(passed + SKIPPED.len(), cases.len());
}

/// The same request signed with S3's rules keeps what the generic rules change: the
/// path is neither normalized nor encoded again, and the query is signed as sent.
#[test]
fn s3_settings_differ_from_the_suite_where_s3_does() {
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, None);
    let headers = vec![("X-Amz-Date".to_owned(), "20150830T123600Z".to_owned())];
    let request = SignableRequest {
        method: "GET",
        url: "https://example.amazonaws.com//example/./a%20b/..//?b=x+y&a=%7e",
        headers: &headers,
    };
    let mut params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "service",
        time: UNIX_EPOCH + Duration::from_secs(DATE),
        payload: PayloadHash::Bytes(b""),
        settings: SigningSettings::GENERIC,
    };
    let generic = sign(&request, &params).unwrap();
    let lines: Vec<&str> = generic.canonical_request().lines().take(3).collect();
    assert_eq!(lines, ["GET", "/example/", "a=~&b=x%20y"]);
    params.settings = SigningSettings::S3;
    let s3 = sign(&request, &params).unwrap();
    let lines: Vec<&str> = s3.canonical_request().lines().take(3).collect();
    assert_eq!(lines, ["GET", "//example/./a%20b/..//", "a=%7e&b=x+y"]);
    assert!(s3
        .canonical_request()
        .contains("\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"));
    assert!(!generic.canonical_request().contains("x-amz-content-sha256"));
}
