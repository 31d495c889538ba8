//! The AWS SigV4a test suite (`tests/data/sigv4a_testsuite/`, from aws-c-auth; see its
//! README): 40 cases, each signed with headers and presigned, with the generic rules
//! (path normalized when the case's `normalize` says so, encoded once more; query names
//! and values re-encoded), service and region set from `context.json`.
//!
//! For every case: the public key derived from the case's credentials equals
//! `public-key.json`; our canonical request and string to sign equal
//! `{header,query}-canonical-request.txt` and `-string-to-sign.txt` byte for byte; the
//! suite's `-signature.txt` verifies over its string to sign with that key, and so does
//! ours. Signatures are never compared (ECDSA is randomized).
//!
//! `get-vanilla-query-order-key` and `get-vanilla-query-order-value` come without
//! expected files: for them the canonical query must sort the repeated `Param1` by value
//! (the rule the other cases check) and our signatures must verify with the key the
//! other cases' `public-key.json` checks (same credentials).
//!
//! Prints one line, `sigv4a vectors: N passed, M failed`.

#![cfg(feature = "sigv4a")]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use s3_runtime::credentials::Credentials;
use s3_runtime::sigv4::v4a::{self, PublicKey};
use s3_runtime::sigv4::{PayloadHash, SignableRequest, SigningParams, SigningSettings};

const VECTORS: usize = 40;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4a_testsuite")
}

struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// `METHOD target HTTP/1.1`, headers (a line starting with whitespace continues the
/// previous value), a blank line, the body.
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

fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok().map(|text| text.replace('\r', ""))
}

/// The few `context.json` fields the cases use, read without a JSON dependency's types.
struct Context {
    access_key_id: String,
    secret: String,
    token: Option<String>,
    region: String,
    service: String,
    normalize: bool,
    sign_body: bool,
    omit_session_token: bool,
    expires: u64,
    time: u64,
}

fn context(dir: &Path) -> Context {
    let json: serde_json::Value = serde_json::from_str(&read(&dir.join("context.json")).unwrap()).unwrap();
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
    let creds = &json["credentials"];
    assert_eq!(json["timestamp"], "2015-08-30T12:36:00Z", "{}", dir.display());
    Context {
        access_key_id: s(&creds["access_key_id"]),
        secret: s(&creds["secret_access_key"]),
        token: creds.get("token").map(s),
        region: s(&json["region"]),
        service: s(&json["service"]),
        normalize: json["normalize"].as_bool().unwrap(),
        sign_body: json["sign_body"].as_bool().unwrap(),
        omit_session_token: json.get("omit_session_token").and_then(|v| v.as_bool()).unwrap_or(false),
        expires: json["expiration_in_seconds"].as_u64().unwrap(),
        time: 1_440_938_160,
    }
}

fn public_key_file(path: &Path) -> Option<PublicKey> {
    let json: serde_json::Value = serde_json::from_str(&read(path)?).ok()?;
    let coordinate = |name: &str| -> Option<[u8; 32]> {
        let text = json[name].as_str()?;
        let bytes: Option<Vec<u8>> =
            (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect();
        bytes?.try_into().ok()
    };
    Some(PublicKey { x: coordinate("X")?, y: coordinate("Y")? })
}

/// One case; `Err` lists what went wrong.
fn run(dir: &Path, reference_key: &PublicKey) -> Result<(), String> {
    let ctx = context(dir);
    let raw = parse_request(&read(&dir.join("request.txt")).unwrap());
    let token = if ctx.omit_session_token { None } else { ctx.token.clone() };
    let credentials = Credentials::new(&ctx.access_key_id, &ctx.secret, token);
    let derived = v4a::public_key(&credentials).map_err(|e| e.to_string())?;
    let mut errors = Vec::new();
    let expected_key = public_key_file(&dir.join("public-key.json"));
    match &expected_key {
        Some(expected) if *expected != derived => errors.push("derived public key differs from public-key.json".to_owned()),
        None if derived != *reference_key => errors.push("derived public key differs from the suite's".to_owned()),
        _ => {}
    }
    let key = expected_key.unwrap_or(*reference_key);

    let host = raw.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("host")).map_or("", |(_, v)| v.as_str());
    let url = format!("https://{host}{}", raw.target);
    let settings = SigningSettings { normalize_path: ctx.normalize, ..SigningSettings::GENERIC };
    let params = SigningParams {
        credentials: &credentials,
        region: &ctx.region,
        service: &ctx.service,
        time: UNIX_EPOCH + Duration::from_secs(ctx.time),
        payload: PayloadHash::Bytes(&raw.body),
        settings,
    };

    // Header signing; a signed body is declared with `X-Amz-Content-SHA256`.
    let mut headers = raw.headers.clone();
    if ctx.sign_body {
        let hash = sha256_hex(&raw.body);
        headers.push(("X-Amz-Content-SHA256".to_owned(), hash));
    }
    let request = SignableRequest { method: &raw.method, url: &url, headers: &headers };
    let signed = v4a::sign(&request, &params).map_err(|e| e.to_string())?;
    let header_check = (signed.canonical_request().to_owned(), signed.string_to_sign().to_owned(), signed.signature().to_owned());

    // Query signing (presigned URL).
    let request = SignableRequest { method: &raw.method, url: &url, headers: &raw.headers };
    let presigned = v4a::presign(&request, &params, Duration::from_secs(ctx.expires)).map_err(|e| e.to_string())?;
    let query_signature = presigned.url.rsplit_once("X-Amz-Signature=").map(|(_, s)| s.to_owned()).unwrap_or_default();
    let query_check = (presigned.canonical_request.clone(), presigned.string_to_sign.clone(), query_signature);

    for (variant, (creq, sts, ours)) in [("header", header_check), ("query", query_check)] {
        if !v4a::verify(&key, sts.as_bytes(), &ours) {
            errors.push(format!("{variant}: our signature does not verify"));
        }
        let file = |what: &str| read(&dir.join(format!("{variant}-{what}.txt")));
        match (file("canonical-request"), file("string-to-sign"), file("signature")) {
            (Some(expected_creq), Some(expected_sts), Some(theirs)) => {
                if creq != expected_creq {
                    errors.push(format!("{variant}: canonical request differs\n--- expected\n{expected_creq}\n--- ours\n{creq}"));
                }
                if sts != expected_sts {
                    errors.push(format!("{variant}: string to sign differs\n--- expected\n{expected_sts}\n--- ours\n{sts}"));
                }
                if !v4a::verify(&key, expected_sts.as_bytes(), theirs.trim()) {
                    errors.push(format!("{variant}: the suite's signature does not verify over its string to sign"));
                }
            }
            _ => {
                // No expected files: repeated names are sorted by value.
                let query = creq.lines().nth(2).unwrap_or_default();
                let expected = match dir.file_name().and_then(|n| n.to_str()) {
                    Some("get-vanilla-query-order-key") => "Param1=Value1&Param1=value2",
                    Some("get-vanilla-query-order-value") => "Param1=value1&Param1=value2",
                    other => {
                        errors.push(format!("{variant}: expected files missing for {other:?}"));
                        continue;
                    }
                };
                if !query.starts_with(expected) {
                    errors.push(format!("{variant}: canonical query {query:?} does not start with {expected:?}"));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn sigv4a_test_suite() {
    let dir = suite_dir();
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("context.json").is_file())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), VECTORS, "expected {VECTORS} cases in {}", dir.display());
    let reference_key = public_key_file(&dir.join("get-vanilla/public-key.json")).unwrap();

    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = run(case, &reference_key) {
            failures.push(format!("{}: {why}", case.file_name().unwrap().to_string_lossy()));
        }
    }
    println!("sigv4a vectors: {} passed, {} failed", cases.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
