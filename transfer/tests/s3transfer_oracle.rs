//! `transfers vs s3transfer`: the requests our transfers send, compared with what
//! boto3's classic transfer manager (s3transfer) sends for the same transfer, both
//! against one moto server (`S3_TEST_MOTO_URL`), boto3 run by `S3_TEST_PYTHON`
//! (`oracle/s3transfer_oracle.py`). Both sides record raw HTTP requests; one
//! normalization here maps each to its operation, part number and the headers that
//! carry transfer parameters (ranges, `If-Match`, checksums, SSE-C, copy source), and
//! the CompleteMultipartUpload parts. Runs of the same part operation are sorted
//! (concurrent parts finish in any order). Cases: upload, download and copy of 0 B,
//! 1 B, threshold − 1, threshold, threshold + 1 and 20 MiB + 5 B, plain, with SSE-C
//! and with a checksum (SHA256; `ChecksumMode=ENABLED` for downloads); uploads also with
//! a caller's full-object CRC32 (`ChecksumCRC32`, sent as `ChecksumType=FULL_OBJECT`). Prints
//! `transfers vs s3transfer: N passed, M failed`.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use s3::{Client, Config};
use s3_runtime::transport::{BoxFuture, DispatchError, HttpClient, HyperClient, TransportSettings};
use s3_runtime::ByteStream;
use s3_transfer::{CopyArgs, DownloadArgs, SseCustomer, TransferManager, UploadArgs, MIB};
use serde_json::{json, Value};

/// One raw request: method, URL, headers, and a CompleteMultipartUpload or
/// PutObjectTagging body.
#[derive(Clone, Debug)]
struct Raw {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

#[derive(Debug)]
struct Recorder {
    inner: HyperClient,
    log: Arc<Mutex<Option<Vec<Raw>>>>,
}

impl HttpClient for Recorder {
    fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        if let Some(log) = self.log.lock().unwrap().as_mut() {
            let url = request.uri().to_string();
            let body = ((request.method() == "POST" && url.contains("uploadId=")) || (request.method() == "PUT" && url.contains("?tagging")))
                .then(|| request.body().as_bytes().map(|b| String::from_utf8_lossy(b).into_owned()))
                .flatten();
            log.push(Raw {
                method: request.method().to_string(),
                url,
                headers: request.headers().iter().map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect(),
                body,
            });
        }
        self.inner.call(request)
    }
}

struct Case {
    name: String,
    op: &'static str,
    size: usize,
    sse_c: bool,
    checksum: bool,
    full_object: bool,
    /// Copies: the `TaggingDirective` (the source is tagged [`SOURCE_TAGS`]; `REPLACE`
    /// gives [`NEW_TAGS`]).
    tagging: Option<&'static str>,
}

const SOURCE_TAGS: &str = "src=1&k=v%20w";
const NEW_TAGS: &str = "a=1&b=x%20y+z&c=";

const BUCKET: &str = "transfer-oracle";
const SSE_KEY: &str = "0123456789abcdef0123456789abcdef";
const SEED: u8 = 7;

fn cases() -> Vec<Case> {
    let t = 8 * MIB as usize;
    let mut out = Vec::new();
    for op in ["upload", "download", "copy"] {
        for size in [0, 1, t - 1, t, t + 1, 20 * MIB as usize + 5] {
            for (variant, sse_c, checksum) in [("plain", false, false), ("sse-c", true, false), ("checksum", false, true)] {
                out.push(Case { name: format!("{op} {size} {variant}"), op, size, sse_c, checksum, full_object: false, tagging: None });
            }
            if op == "upload" {
                let name = format!("{op} {size} full-object CRC32");
                out.push(Case { name, op, size, sse_c: false, checksum: false, full_object: true, tagging: None });
            }
            if op == "copy" && (size == t - 1 || size == t + 1) {
                for directive in ["COPY", "REPLACE"] {
                    let name = format!("{op} {size} tags {directive}");
                    out.push(Case { name, op, size, sse_c: false, checksum: false, full_object: false, tagging: Some(directive) });
                }
            }
        }
    }
    out
}

fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2654435761).rotate_left(7) as u8 ^ seed).collect()
}

/// The operation a request is, from its method, query and headers.
fn operation(raw: &Raw) -> &'static str {
    let query = raw.url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let has = |name: &str| query.split('&').any(|p| p == name || p.starts_with(&format!("{name}=")));
    let header = |name: &str| raw.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    match raw.method.as_str() {
        "PUT" if has("uploadId") && header("x-amz-copy-source") => "UploadPartCopy",
        "PUT" if has("uploadId") => "UploadPart",
        "PUT" if has("tagging") => "PutObjectTagging",
        "PUT" if header("x-amz-copy-source") => "CopyObject",
        "PUT" => "PutObject",
        "POST" if has("uploads") => "CreateMultipartUpload",
        "POST" if has("uploadId") => "CompleteMultipartUpload",
        "DELETE" if has("uploadId") => "AbortMultipartUpload",
        "HEAD" => "HeadObject",
        "GET" if has("tagging") => "GetObjectTagging",
        "GET" => "GetObject",
        _ => "other",
    }
}

/// Headers that carry transfer parameters.
fn kept(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "range" | "if-match" | "x-amz-copy-source" | "x-amz-copy-source-range" | "x-amz-copy-source-if-match" | "x-amz-checksum-mode"
            | "x-amz-checksum-type" | "x-amz-sdk-checksum-algorithm" | "x-amz-checksum-algorithm" | "x-amz-trailer"
            | "x-amz-metadata-directive" | "x-amz-tagging-directive" | "x-amz-tagging"
    ) || name.starts_with("x-amz-checksum-")
        || name.starts_with("x-amz-server-side-encryption")
        || name.starts_with("x-amz-copy-source-server-side-encryption")
        || name.starts_with("x-amz-meta-")
}

/// The CompleteMultipartUpload parts, in order: each `<Part>`'s child elements, sorted
/// (botocore writes them in the order of the caller's dict, we in the model's; S3 reads
/// them by name).
fn parts(body: &str) -> Vec<String> {
    body.split("<Part>")
        .skip(1)
        .map(|p| {
            let inner = p.split("</Part>").next().unwrap_or("");
            let mut elements: Vec<String> = Vec::new();
            let mut rest = inner;
            while let Some(start) = rest.find('<') {
                let name_end = rest[start..].find('>').map(|i| start + i).unwrap_or(rest.len());
                let name = &rest[start + 1..name_end];
                let close = format!("</{name}>");
                let end = rest.find(&close).map(|i| i + close.len()).unwrap_or(rest.len());
                elements.push(rest[start..end].to_owned());
                rest = &rest[end..];
            }
            elements.sort();
            elements.concat()
        })
        .collect()
}

fn normalize(raws: &[Raw]) -> Vec<String> {
    let mut out: Vec<(String, String)> = raws
        .iter()
        .map(|raw| {
            let op = operation(raw);
            let query = raw.url.split_once('?').map(|(_, q)| q).unwrap_or("");
            let part = query.split('&').find_map(|p| p.strip_prefix("partNumber=")).map(|n| format!(" part={n}")).unwrap_or_default();
            let mut headers: Vec<String> = raw
                .headers
                .iter()
                .filter(|(k, _)| kept(k))
                .map(|(k, v)| {
                    let k = k.to_ascii_lowercase();
                    // An SSE-C key's bytes are the same on both sides; show only its MD5.
                    let v = if k.ends_with("customer-key") { "<key>".to_owned() } else { v.clone() };
                    format!("{k}: {v}")
                })
                .collect();
            headers.sort();
            let body = match (op, raw.body.as_deref()) {
                ("PutObjectTagging", Some(b)) => format!(" body={b}"),
                (_, Some(b)) => format!(" parts={:?}", parts(b)),
                (_, None) => String::new(),
            };
            (op.to_owned(), format!("{op}{part} {{{}}}{body}", headers.join(", ")))
        })
        .collect();
    // Sort each run of the same part operation: concurrent parts go in any order.
    let mut i = 0;
    while i < out.len() {
        let mut j = i;
        while j < out.len() && out[j].0 == out[i].0 {
            j += 1;
        }
        out[i..j].sort();
        i = j;
    }
    out.into_iter().map(|(_, s)| s).collect()
}

fn from_json(value: &Value) -> Vec<Raw> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Raw {
            method: r["method"].as_str().unwrap().to_owned(),
            url: r["url"].as_str().unwrap().to_owned(),
            headers: r["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h[0].as_str().unwrap().to_owned(), h[1].as_str().unwrap().to_owned()))
                .collect(),
            body: r["body"].as_str().map(str::to_owned),
        })
        .collect()
}

fn python_requests(python: &str, url: &str, cases: &[Case]) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/s3transfer_oracle.py");
    let input: Vec<Value> = cases
        .iter()
        .map(|c| {
            json!({
                "name": c.name, "op": c.op, "size": c.size, "bucket": BUCKET,
                "key": format!("py/{}", c.name.replace(' ', "-")), "source_key": format!("py-src/{}", c.name.replace(' ', "-")),
                "sse_c_key": c.sse_c.then_some(SSE_KEY), "checksum": c.checksum.then_some("SHA256"), "full_object": c.full_object, "data_seed": SEED,
                "tagging_directive": c.tagging, "source_tags": SOURCE_TAGS, "new_tags": NEW_TAGS,
            })
        })
        .collect();
    let mut child = Command::new(python).arg(script).arg(url).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("run python");
    child.stdin.take().unwrap().write_all(serde_json::to_string(&input).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the s3transfer oracle failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto and the venv: run with `cargo xtask test`"]
async fn transfers_vs_s3transfer() {
    let url = std::env::var("S3_TEST_MOTO_URL").expect("S3_TEST_MOTO_URL");
    let python = std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON");
    let cases = cases();
    let expected = python_requests(&python, &url, &cases);

    let log = Arc::new(Mutex::new(None));
    let recorder = Recorder { inner: HyperClient::new(&TransportSettings::default()), log: log.clone() };
    let client = Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&url)
            .force_path_style(true)
            .credentials(s3_runtime::Credentials::new("testing", "testing", None))
            .http_client(recorder)
            .build(),
    );
    let _ = client.create_bucket().bucket(BUCKET).send().await;
    let tm = TransferManager::new(client.clone());
    let dir = std::env::temp_dir().join(format!("s3-transfer-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut passed, mut failed) = (0, 0);
    for case in &cases {
        let body = data(case.size, SEED);
        let key = format!("py/{}", case.name.replace(' ', "-"));
        let source_key = format!("py-src/{}", case.name.replace(' ', "-"));
        let sse = || if case.sse_c { SseCustomer::aes256(SSE_KEY) } else { SseCustomer::default() };
        if case.op != "upload" {
            let put = client.put_object().bucket(BUCKET).key(&source_key).body(body.clone());
            let put = if case.sse_c { put.sse_customer_algorithm("AES256").sse_customer_key(SSE_KEY) } else { put };
            let put = if case.tagging.is_some() { put.tagging(SOURCE_TAGS) } else { put };
            put.send().await.unwrap();
        }
        *log.lock().unwrap() = Some(Vec::new());
        let checksum = case.checksum.then_some(s3::types::ChecksumAlgorithm::Sha256);
        let result = match case.op {
            "upload" => {
                let path = dir.join("up");
                std::fs::write(&path, &body).unwrap();
                let full = case.full_object.then(|| {
                    (s3::types::ChecksumAlgorithm::Crc32, s3_runtime::checksum::Algorithm::Crc32.checksum(&body))
                });
                let args = UploadArgs { sse_customer: sse(), checksum_algorithm: checksum, full_object_checksum: full, ..Default::default() };
                tm.upload_file(&path, BUCKET, &key, &args).await.map(drop)
            }
            "download" => {
                let path = dir.join("down");
                let args = DownloadArgs {
                    sse_customer: sse(),
                    checksum_mode: case.checksum.then_some(s3::types::ChecksumMode::Enabled),
                    ..Default::default()
                };
                let r = tm.download_file(BUCKET, &source_key, &path, &args).await.map(drop);
                if r.is_ok() {
                    assert!(std::fs::read(&path).unwrap() == body, "{}: other bytes downloaded", case.name);
                }
                r
            }
            _ => {
                let tagging = (case.tagging == Some("REPLACE")).then(|| NEW_TAGS.to_owned());
                let args = CopyArgs {
                    dest: UploadArgs { sse_customer: sse(), checksum_algorithm: checksum, tagging, ..Default::default() },
                    copy_source_sse_customer: sse(),
                    tagging_directive: case.tagging.map(s3::types::TaggingDirective::from),
                    ..Default::default()
                };
                tm.copy(BUCKET, &source_key, BUCKET, &key, &args).await.map(drop)
            }
        };
        let ours = normalize(&log.lock().unwrap().take().unwrap());
        let _ = client.delete_object().bucket(BUCKET).key(&key).send().await;
        let _ = client.delete_object().bucket(BUCKET).key(&source_key).send().await;
        let theirs = normalize(&from_json(&expected[&case.name]));
        match result {
            Ok(()) if ours == theirs => passed += 1,
            Ok(()) => {
                failed += 1;
                eprintln!("MISMATCH {}\n  s3transfer:", case.name);
                for r in &theirs {
                    eprintln!("    {r}");
                }
                eprintln!("  ours:");
                for r in &ours {
                    eprintln!("    {r}");
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("FAILED {}: {e}", case.name);
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!("transfers vs s3transfer: {passed} passed, {failed} failed");
    assert_eq!(failed, 0);
}
