//! GetObject response checksums against a loopback stub: a tokio `TcpListener` that
//! answers each connection with one canned response (raw bytes, so that a body can be
//! cut short) and records the request line and headers.
//!
//! For every algorithm of `ChecksumAlgorithm`: a correct checksum reads `Ok`, a wrong one
//! fails the body read with a typed `ChecksumMismatch` (MD5 excepted: botocore never
//! validates it), a composite one (`…-N`, or `x-amz-checksum-type: COMPOSITE`) and a
//! missing one read `Ok` without validation. A body cut short is an error, whether the
//! transport notices (a `Content-Length` not reached) or only the checksum does (a body
//! delimited by the connection's close). A `206` (ranged) body is not validated.
//! `response_checksum_validation = when_required`
//! sends no checksum mode and validates only when the caller asks.

use std::sync::{Arc, Mutex};

use s3::types::ChecksumMode;
use s3::{Client, Config};
use s3_runtime::checksum::{Algorithm, ChecksumMismatch};
use s3_runtime::config::ResponseChecksumValidation;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &[u8] = b"hello world";

/// A stub that answers every request with `reply` (raw HTTP/1.1 response bytes) and
/// closes the connection; it records each request's head.
struct Stub {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    async fn start(reply: Vec<u8>) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&heads);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                recorded.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
                let _ = socket.write_all(&reply).await;
                let _ = socket.shutdown().await;
            }
        });
        Stub { url, heads, task }
    }

    fn client(&self, validation: ResponseChecksumValidation) -> Client {
        Client::from_conf(
            Config::builder()
                .region("us-east-1")
                .endpoint_url(&self.url)
                .force_path_style(true)
                .max_attempts(1)
                .response_checksum_validation(validation)
                .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
                .build(),
        )
    }

    fn last_head(&self) -> String {
        self.heads.lock().unwrap().last().cloned().unwrap_or_default()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A 200 response with these headers and body; `Content-Length` is the body's unless
/// `length` says otherwise (`None`: no length, the body ends with the connection).
fn reply(headers: &[(&str, &str)], body: &[u8], length: Option<usize>) -> Vec<u8> {
    reply_with_status("200 OK", headers, body, length)
}

fn reply_with_status(status: &str, headers: &[(&str, &str)], body: &[u8], length: Option<usize>) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if let Some(length) = length {
        out.extend_from_slice(format!("Content-Length: {length}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// GetObject through the stub, the body read whole: the body, or the read's error.
async fn get(stub: &Stub, validation: ResponseChecksumValidation, mode: Option<ChecksumMode>) -> Result<Vec<u8>, std::io::Error> {
    let mut request = stub.client(validation).get_object().bucket("bucket").key("key");
    if let Some(mode) = mode {
        request = request.checksum_mode(mode);
    }
    let output = request.send().await.expect("the response itself is fine");
    output.body.expect("a body").collect().await
}

async fn get_with(headers: &[(&str, &str)]) -> Result<Vec<u8>, std::io::Error> {
    let stub = Stub::start(reply(headers, BODY, Some(BODY.len()))).await;
    let result = get(&stub, ResponseChecksumValidation::WhenSupported, None).await;
    assert!(stub.last_head().to_ascii_lowercase().contains("\r\nx-amz-checksum-mode: enabled\r\n"), "{}", stub.last_head());
    result
}

#[tokio::test]
async fn correct_checksums_read_ok() {
    for algorithm in Algorithm::ALL {
        let checksum = algorithm.checksum(BODY);
        let body = get_with(&[(algorithm.header(), &checksum)]).await;
        assert_eq!(body.unwrap_or_else(|e| panic!("{algorithm}: {e}")), BODY, "{algorithm}");
    }
}

#[tokio::test]
async fn wrong_checksums_are_a_typed_mismatch() {
    for algorithm in Algorithm::ALL {
        let wrong = algorithm.checksum(b"HELLO WORLD");
        let result = get_with(&[(algorithm.header(), &wrong)]).await;
        if algorithm == Algorithm::Md5 {
            // botocore's priority list has no MD5: it is never validated.
            assert_eq!(result.unwrap(), BODY);
            continue;
        }
        let err = result.expect_err(algorithm.name());
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{algorithm}: {err}");
        let mismatch = ChecksumMismatch::find(&err).unwrap_or_else(|| panic!("{algorithm}: not a mismatch: {err}"));
        assert_eq!(
            mismatch,
            &ChecksumMismatch { algorithm, expected: wrong.clone(), actual: algorithm.checksum(BODY) },
            "{algorithm}"
        );
        assert!(err.to_string().contains(&wrong), "{err}");
    }
}

/// The report: CRC32 of `HELLO WORLD` sent with `hello world`.
#[tokio::test]
async fn the_reported_corruption_is_refused() {
    let err = get_with(&[("x-amz-checksum-crc32", "h+WGWw==")]).await.unwrap_err();
    let mismatch = ChecksumMismatch::find(&err).unwrap();
    assert_eq!((mismatch.algorithm, mismatch.expected.as_str()), (Algorithm::Crc32, "h+WGWw=="));
}

#[tokio::test]
async fn composite_and_missing_checksums_are_not_validated() {
    for algorithm in Algorithm::ALL {
        let wrong = algorithm.checksum(b"HELLO WORLD");
        let composite = format!("{wrong}-3");
        assert_eq!(get_with(&[(algorithm.header(), &composite)]).await.unwrap(), BODY, "{algorithm} -3");
        let typed = [(algorithm.header(), wrong.as_str()), ("x-amz-checksum-type", "COMPOSITE")];
        assert_eq!(get_with(&typed).await.unwrap(), BODY, "{algorithm} COMPOSITE");
    }
    assert_eq!(get_with(&[]).await.unwrap(), BODY);
    // A full-object checksum after a skipped composite one is still validated.
    let headers = [("x-amz-checksum-crc64nvme", "AAAAAAAAAAA=-2"), ("x-amz-checksum-crc32", "h+WGWw==")];
    assert!(ChecksumMismatch::find(&get_with(&headers).await.unwrap_err()).is_some());
}

#[tokio::test]
async fn a_body_cut_short_is_an_error() {
    let checksum = Algorithm::Crc32.checksum(BODY);
    let headers = [("x-amz-checksum-crc32", checksum.as_str())];
    // The transport notices: fewer bytes than `Content-Length`.
    let stub = Stub::start(reply(&headers, &BODY[..5], Some(BODY.len()))).await;
    let err = get(&stub, ResponseChecksumValidation::WhenSupported, None).await.unwrap_err();
    assert!(ChecksumMismatch::find(&err).is_none(), "an I/O error first: {err}");
    // Only the checksum notices: no length, the connection closes early.
    let stub = Stub::start(reply(&headers, &BODY[..5], None)).await;
    let err = get(&stub, ResponseChecksumValidation::WhenSupported, None).await.unwrap_err();
    let mismatch = ChecksumMismatch::find(&err).expect("a mismatch");
    assert_eq!(mismatch.actual, Algorithm::Crc32.checksum(&BODY[..5]));
    // The same without a checksum reads what came: nothing can tell.
    let stub = Stub::start(reply(&[], &BODY[..5], None)).await;
    assert_eq!(get(&stub, ResponseChecksumValidation::WhenSupported, None).await.unwrap(), &BODY[..5]);
}

/// A ranged read (`206`) is part of the object: a full-object checksum cannot apply.
#[tokio::test]
async fn partial_content_is_not_validated() {
    let full = Algorithm::Crc64Nvme.checksum(b"hello world and more");
    let headers = [("x-amz-checksum-crc64nvme", full.as_str()), ("Content-Range", "bytes 0-10/20")];
    let stub = Stub::start(reply_with_status("206 Partial Content", &headers, BODY, Some(BODY.len()))).await;
    assert_eq!(get(&stub, ResponseChecksumValidation::WhenSupported, None).await.unwrap(), BODY);
}

#[tokio::test]
async fn when_required_validates_only_on_request() {
    let wrong = [("x-amz-checksum-crc32", "h+WGWw==")];
    let stub = Stub::start(reply(&wrong, BODY, Some(BODY.len()))).await;
    assert_eq!(get(&stub, ResponseChecksumValidation::WhenRequired, None).await.unwrap(), BODY);
    assert!(!stub.last_head().to_ascii_lowercase().contains("x-amz-checksum-mode"), "{}", stub.last_head());
    let err = get(&stub, ResponseChecksumValidation::WhenRequired, Some(ChecksumMode::Enabled)).await.unwrap_err();
    assert!(ChecksumMismatch::find(&err).is_some(), "{err}");
}
