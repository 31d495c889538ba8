//! Faults injected between our client and moto (`S3_TEST_MOTO_URL`) by an HTTP client
//! wrapper: moto keeps enforcing what S3 enforces (`If-Match`, multipart uploads
//! listed until completed or aborted), the wrapper fails, stalls or cuts the requests a
//! test picks. Each test counts requests; none waits on a timer (the guard timeouts
//! only stop a broken test from hanging).

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::Frame;
use s3::{Client, Config};
use s3_runtime::transport::{BoxFuture, DispatchError, HttpClient, HyperClient, TransportSettings};
use s3_runtime::ByteStream;
use s3_transfer::{DownloadArgs, ErrorKind, TransferConfig, TransferManager, UploadArgs, MIB};
use tokio::sync::Notify;

/// What the wrapper does with a request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// Answer 500 InternalError instead of forwarding, `n` times.
    Fail(u32),
    /// Never answer (and notify the test).
    Stall,
    /// Forward, then cut the response body after half of it, `n` times.
    CutBody(u32),
    /// Replace the object with other bytes first, then forward.
    ReplaceObject,
    /// Forward, then flip a byte of the response body (headers kept), `n` times; the
    /// body streamed in two chunks (as from the network) when `true`, else whole.
    Corrupt(u32, bool),
}

type Hook = Arc<dyn Fn() -> BoxFuture<'static, ()> + Send + Sync>;

/// Requests are matched by `METHOD name` where name is the operation and part:
/// `PUT part=2` (UploadPart), `GET bytes=8388608-` (ranged GET), `DELETE abort`.
struct Faulty {
    inner: HyperClient,
    faults: Mutex<HashMap<String, Fault>>,
    seen: Mutex<Vec<String>>,
    stalled: Arc<Notify>,
    aborted: Arc<Notify>,
    replace: Option<Hook>,
}

impl std::fmt::Debug for Faulty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Faulty")
    }
}

fn name(request: &http::Request<ByteStream>) -> String {
    let query = request.uri().query().unwrap_or("");
    let part = query.split('&').find_map(|p| p.strip_prefix("partNumber="));
    let method = request.method().as_str();
    if method == "DELETE" && query.contains("uploadId=") {
        return "DELETE abort".to_owned();
    }
    if let Some(part) = part {
        return format!("{method} part={part}");
    }
    if let Some(range) = request.headers().get("range") {
        return format!("{method} {}", range.to_str().unwrap());
    }
    method.to_owned()
}

impl HttpClient for Faulty {
    fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        let name = name(&request);
        self.seen.lock().unwrap().push(name.clone());
        if name == "DELETE abort" {
            self.aborted.notify_one();
        }
        let fault = {
            let mut faults = self.faults.lock().unwrap();
            let fault = faults.get(&name).copied();
            match fault {
                Some(Fault::Fail(n)) if n > 1 => {
                    faults.insert(name.clone(), Fault::Fail(n - 1));
                }
                Some(Fault::CutBody(n)) if n > 1 => {
                    faults.insert(name.clone(), Fault::CutBody(n - 1));
                }
                Some(Fault::Corrupt(n, streamed)) if n > 1 => {
                    faults.insert(name.clone(), Fault::Corrupt(n - 1, streamed));
                }
                Some(Fault::Fail(_) | Fault::CutBody(_) | Fault::ReplaceObject | Fault::Corrupt(..)) => {
                    faults.remove(&name);
                }
                _ => {}
            }
            fault
        };
        Box::pin(async move {
            match fault {
                Some(Fault::Fail(_)) => {
                    let body = "<Error><Code>InternalError</Code><Message>injected</Message></Error>";
                    Ok(http::Response::builder().status(500).body(ByteStream::from(body)).unwrap())
                }
                Some(Fault::Stall) => {
                    self.stalled.notify_one();
                    std::future::pending().await
                }
                Some(Fault::CutBody(_)) => {
                    let response = self.inner.call(request).await?;
                    let (parts, body) = response.into_parts();
                    let bytes = body.collect_bytes().await.unwrap();
                    let half = bytes.slice(..bytes.len() / 2);
                    Ok(http::Response::from_parts(parts, ByteStream::from_body(Cut(Some(half)))))
                }
                Some(Fault::ReplaceObject) => {
                    (self.replace.as_ref().unwrap())().await;
                    self.inner.call(request).await
                }
                Some(Fault::Corrupt(_, streamed)) => {
                    let response = self.inner.call(request).await?;
                    let (parts, body) = response.into_parts();
                    let mut bytes = body.collect().await.unwrap();
                    let middle = bytes.len() / 2;
                    bytes[middle] ^= 0x20;
                    let body = match streamed {
                        true => {
                            let mut bytes = Bytes::from(bytes);
                            let first = bytes.split_to(middle);
                            ByteStream::from_body(Chunks(vec![bytes, first]))
                        }
                        false => ByteStream::from(bytes),
                    };
                    Ok(http::Response::from_parts(parts, body))
                }
                None => self.inner.call(request).await,
            }
        })
    }
}

/// A body that yields its chunks (last first), then ends.
struct Chunks(Vec<Bytes>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(self.0.pop().map(|chunk| Ok(Frame::data(chunk))))
    }
}

/// A body that yields its bytes, then fails.
struct Cut(Option<Bytes>);

impl http_body::Body for Cut {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(match self.0.take() {
            Some(bytes) => Ok(Frame::data(bytes)),
            None => Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected: connection reset mid-body")),
        }))
    }
}

fn url() -> String {
    std::env::var("S3_TEST_MOTO_URL").expect("S3_TEST_MOTO_URL is not set: run with `cargo xtask test`")
}

fn config() -> s3::config::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url())
        .force_path_style(true)
        .credentials(s3_runtime::Credentials::new("testing", "testing", None))
}

struct Setup {
    faulty: Arc<Faulty>,
    tm: TransferManager,
    plain: Client,
}

#[derive(Debug, Clone)]
struct Shared(Arc<Faulty>);

impl HttpClient for Shared {
    fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        self.0.call(request)
    }
}

async fn setup(bucket: &str, faults: &[(&str, Fault)], replace: Option<Hook>) -> Setup {
    let faulty = Arc::new(Faulty {
        inner: HyperClient::new(&TransportSettings::default()),
        faults: Mutex::new(faults.iter().map(|(k, v)| (k.to_string(), *v)).collect()),
        seen: Mutex::new(Vec::new()),
        stalled: Arc::new(Notify::new()),
        aborted: Arc::new(Notify::new()),
        replace,
    });
    let client = Client::from_conf(config().http_client(Shared(faulty.clone())).build());
    let plain = Client::from_conf(config().build());
    let _ = plain.create_bucket().bucket(bucket).send().await;
    let tm = TransferManager::new(client).with_config(TransferConfig::default().max_concurrency(2));
    Setup { faulty, tm, plain }
}

fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2654435761).rotate_left(7) as u8 ^ seed).collect()
}

fn count(faulty: &Faulty, name: &str) -> usize {
    faulty.seen.lock().unwrap().iter().filter(|n| *n == name).count()
}

async fn uploads_left(client: &Client, bucket: &str) -> usize {
    client.list_multipart_uploads().bucket(bucket).send().await.unwrap().uploads().len()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("s3-transfer-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn entries(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

const SIZE: usize = 20 * MIB as usize + 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn a_part_that_fails_once_is_retried() {
    let s = setup("fault-retry", &[("PUT part=2", Fault::Fail(1))], None).await;
    let body = data(SIZE, 1);
    let out = s.tm.upload(&body[..], "fault-retry", "k", &UploadArgs::default()).await.unwrap();
    assert_eq!(out.parts, 3);
    assert_eq!(count(&s.faulty, "PUT part=2"), 2, "part 2 sent twice");
    assert_eq!(count(&s.faulty, "PUT part=1"), 1);
    let got = s.plain.get_object().bucket("fault-retry").key("k").send().await.unwrap();
    assert!(got.body.unwrap().collect().await.unwrap() == body);
    assert_eq!(uploads_left(&s.plain, "fault-retry").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn a_part_that_always_fails_aborts_the_upload() {
    let s = setup("fault-abort", &[("PUT part=2", Fault::Fail(u32::MAX))], None).await;
    let dir = temp_dir("abort");
    let path = dir.join("big");
    std::fs::write(&path, data(SIZE, 2)).unwrap();
    let err = s.tm.upload_file(&path, "fault-abort", "k", &UploadArgs::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Request);
    assert_eq!(err.part(), Some(2), "{err}");
    assert!(err.to_string().contains("UploadPart 2"), "{err}");
    assert_eq!(count(&s.faulty, "PUT part=2"), 3, "the client's three attempts");
    assert_eq!(count(&s.faulty, "DELETE abort"), 1);
    assert_eq!(uploads_left(&s.plain, "fault-abort").await, 0, "no multipart upload left behind");
    assert!(s.plain.head_object().bucket("fault-abort").key("k").send().await.is_err(), "no object");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn a_dropped_upload_is_aborted() {
    let s = setup("fault-drop-up", &[("PUT part=2", Fault::Stall)], None).await;
    let body = data(SIZE, 3);
    let args = UploadArgs::default();
    let upload = s.tm.upload(&body[..], "fault-drop-up", "k", &args);
    tokio::select! {
        r = upload => panic!("the upload finished: {r:?}"),
        _ = s.faulty.stalled.notified() => {}
    }
    // The upload future is dropped here; its AbortMultipartUpload goes from a task.
    tokio::time::timeout(Duration::from_secs(60), s.faulty.aborted.notified()).await.expect("AbortMultipartUpload sent");
    for _ in 0..100 {
        if uploads_left(&s.plain, "fault-drop-up").await == 0 {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("the multipart upload is still listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn a_body_cut_mid_stream_is_fetched_again() {
    let s = setup("fault-cut", &[("GET bytes=8388608-16777215", Fault::CutBody(2))], None).await;
    let body = data(SIZE, 4);
    s.plain.put_object().bucket("fault-cut").key("k").body(body.clone()).send().await.unwrap();
    let dir = temp_dir("cut");
    let dest = dir.join("out");
    s.tm.download_file("fault-cut", "k", &dest, &DownloadArgs::default()).await.unwrap();
    assert!(std::fs::read(&dest).unwrap() == body);
    assert_eq!(count(&s.faulty, "GET bytes=8388608-16777215"), 3, "two cut bodies, then a whole one");

    // With one attempt, the cut body is the error, and nothing is left on disk.
    s.faulty.faults.lock().unwrap().insert("GET bytes=8388608-16777215".into(), Fault::CutBody(1));
    let tm = s.tm.clone().with_config(TransferConfig::default().num_download_attempts(1));
    let dest2 = dir.join("out2");
    let err = tm.download_file("fault-cut", "k", &dest2, &DownloadArgs::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert_eq!(err.part(), Some(2), "{err}");
    assert_eq!(entries(&dir), vec!["out".to_owned()]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn an_object_replaced_mid_download_is_an_error() {
    let plain = Client::from_conf(config().build());
    let replaced = Arc::new(std::sync::atomic::AtomicU8::new(100));
    let hook: Hook = Arc::new(move || {
        let plain = plain.clone();
        // Other bytes each time (the same bytes would keep the ETag).
        let seed = replaced.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Box::pin(async move {
            plain.put_object().bucket("fault-replaced").key("k").body(data(SIZE, seed)).send().await.unwrap();
        })
    });
    let s = setup("fault-replaced", &[("GET bytes=16777216-", Fault::ReplaceObject)], Some(hook)).await;
    s.plain.put_object().bucket("fault-replaced").key("k").body(data(SIZE, 5)).send().await.unwrap();
    let dir = temp_dir("replaced");
    let err = s.tm.download_file("fault-replaced", "k", dir.join("out"), &DownloadArgs::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ObjectChanged, "{err}");
    assert_eq!(err.part(), Some(3), "{err}");
    assert!(entries(&dir).is_empty(), "temporary file left: {:?}", entries(&dir));

    let mut sink = Vec::new();
    s.faulty.faults.lock().unwrap().insert("GET bytes=16777216-".into(), Fault::ReplaceObject);
    let err = s.tm.download("fault-replaced", "k", &mut sink, &DownloadArgs::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ObjectChanged, "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn a_dropped_download_leaves_no_file() {
    let s = setup("fault-drop-down", &[("GET bytes=8388608-16777215", Fault::Stall)], None).await;
    s.plain.put_object().bucket("fault-drop-down").key("k").body(data(SIZE, 6)).send().await.unwrap();
    let dir = temp_dir("drop-down");
    let args = DownloadArgs::default();
    let download = s.tm.download_file("fault-drop-down", "k", dir.join("out"), &args);
    tokio::select! {
        r = download => panic!("the download finished: {r:?}"),
        _ = s.faulty.stalled.notified() => {}
    }
    assert!(entries(&dir).is_empty(), "left behind: {:?}", entries(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn a_corrupted_body_fails_its_checksum_and_is_fetched_again() {
    let body = data(MIB as usize + 3, 8);
    let s = setup("fault-corrupt", &[], None).await;
    let put = s.plain.put_object().bucket("fault-corrupt").key("k").body(body.clone());
    put.checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256).send().await.unwrap();
    let dir = temp_dir("corrupt");
    let args = DownloadArgs { checksum_mode: Some(s3::types::ChecksumMode::Enabled), ..Default::default() };
    // The mismatch found while the body streams, or when the client reads it whole.
    for streamed in [true, false] {
        let before = count(&s.faulty, "GET");
        s.faulty.faults.lock().unwrap().insert("GET".into(), Fault::Corrupt(1, streamed));
        s.tm.download_file("fault-corrupt", "k", dir.join("out"), &args).await.unwrap();
        assert!(std::fs::read(dir.join("out")).unwrap() == body);
        assert_eq!(count(&s.faulty, "GET") - before, 2, "a corrupted body, then a good one");

        // Corrupted at every attempt: a checksum error, and no file.
        s.faulty.faults.lock().unwrap().insert("GET".into(), Fault::Corrupt(100, streamed));
        let before = count(&s.faulty, "GET");
        let err = s.tm.download_file("fault-corrupt", "k", dir.join("out2"), &args).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChecksumMismatch, "{err}");
        assert_eq!(count(&s.faulty, "GET") - before, 5, "num_download_attempts");
        assert!(err.to_string().contains("SHA256 checksum is"), "{err}");
        assert_eq!(entries(&dir), vec!["out".to_owned()]);
        s.faulty.faults.lock().unwrap().clear();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
