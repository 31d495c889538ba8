//! Paginators and retries against a tiny local HTTP/1.1 stub: a tokio `TcpListener` on a
//! free loopback port that answers each request with the next hand-written response of
//! a script and records what it was sent. No external server is needed, so these run
//! with a plain `cargo test`.
//!
//! - a service that returns the same `NextContinuationToken` twice must end the
//!   `ListObjectsV2` paginator with an error, not loop;
//! - `ListObjects` without `NextMarker` continues from the last key (botocore's
//!   `NextMarker || Contents[-1].Key`), URL-decoded;
//! - `ListMultipartUploads` sends both markers;
//! - `503 SlowDown` is retried (the send path in `runtime/src/orchestrator.rs`), with
//!   the same body for an in-memory body, but a one-shot streaming body is sent once.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use s3::primitives::ByteStream;
use s3::{Client, Config};
use s3_runtime::SdkError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the stub read it.
#[derive(Clone, Debug)]
struct Recorded {
    method: String,
    /// Path and query, as sent.
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The query parameters, still percent-encoded.
    fn query(&self) -> Vec<(&str, &str)> {
        let Some((_, query)) = self.target.split_once('?') else { return Vec::new() };
        query.split('&').map(|pair| pair.split_once('=').unwrap_or((pair, ""))).collect()
    }

    fn query_param(&self, name: &str) -> Option<&str> {
        self.query().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// One canned response.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn xml(status: u16, body: impl Into<String>) -> Reply {
    Reply { status, headers: vec![("Content-Type", "application/xml".to_owned())], body: body.into() }
}

fn empty(status: u16) -> Reply {
    Reply { status, headers: Vec::new(), body: String::new() }
}

/// The stub server: answers requests with the script, in order, and records them. When
/// the script runs out it answers `400 StubScriptExhausted` (not retried), so a client
/// that loops fails quickly and visibly instead of hanging.
struct Stub {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    async fn start(script: Vec<Reply>) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                let recorded = Arc::clone(&recorded);
                let script = Arc::clone(&script);
                tokio::spawn(async move {
                    // A broken connection only loses that request; the test then sees
                    // fewer requests than it expects.
                    let _ = serve(socket, &recorded, &script).await;
                });
            }
        });
        Stub { url, requests, task }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    fn client(&self) -> Client {
        Client::from_conf(
            Config::builder()
                .region("us-east-1")
                .endpoint_url(&self.url)
                .force_path_style(true)
                .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
                .build(),
        )
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads requests from one connection and answers them, closing after each answer.
async fn serve(mut socket: TcpStream, recorded: &Mutex<Vec<Recorded>>, script: &Mutex<VecDeque<Reply>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if read_more(&mut socket, &mut buf).await? == 0 {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let mut rest = buf.split_off(head_end + 4);
    let body = if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        read_chunked(&mut socket, &mut rest).await?
    } else {
        let len: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        while rest.len() < len {
            if read_more(&mut socket, &mut rest).await? == 0 {
                break;
            }
        }
        rest.truncate(len);
        rest
    };
    recorded.lock().unwrap().push(Recorded { method, target, headers, body });
    let reply = script.lock().unwrap().pop_front().unwrap_or_else(|| {
        xml(400, "<Error><Code>StubScriptExhausted</Code><Message>the stub has no more responses</Message></Error>")
    });
    let mut out = format!("HTTP/1.1 {} Stub\r\nContent-Length: {}\r\nConnection: close\r\nx-amz-request-id: stub\r\n", reply.status, reply.body.len());
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&reply.body);
    socket.write_all(out.as_bytes()).await?;
    socket.shutdown().await
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn read_more(socket: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 8192];
    let n = socket.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

/// A `Transfer-Encoding: chunked` body (extensions and trailers ignored).
async fn read_chunked(socket: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = find(buf, b"\r\n") {
                break i;
            }
            if read_more(socket, buf).await? == 0 {
                return Ok(body);
            }
        };
        let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16).unwrap_or(0);
        buf.drain(..line_end + 2);
        if size == 0 {
            // Trailers, then the final empty line.
            while find(buf, b"\r\n").is_none() {
                if read_more(socket, buf).await? == 0 {
                    break;
                }
            }
            return Ok(body);
        }
        while buf.len() < size + 2 {
            if read_more(socket, buf).await? == 0 {
                return Ok(body);
            }
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

const NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

fn list_v2_page(keys: &[&str], next_token: Option<&str>) -> Reply {
    let contents: String = keys.iter().map(|k| format!("<Contents><Key>{k}</Key><Size>1</Size></Contents>")).collect();
    let next = next_token.map(|t| format!("<NextContinuationToken>{t}</NextContinuationToken>")).unwrap_or_default();
    xml(
        200,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="{NS}"><Name>b</Name><IsTruncated>{}</IsTruncated>{contents}<KeyCount>{}</KeyCount>{next}</ListBucketResult>"#,
            next_token.is_some(),
            keys.len()
        ),
    )
}

/// Runs `f` with a time limit, so that a paginator that loops fails instead of hanging.
async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f).await.expect("the test took more than 30 s")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_continuation_token_stops_the_paginator_with_an_error() {
    let stub = Stub::start(vec![
        list_v2_page(&["a", "b"], Some("tok-1")),
        list_v2_page(&["c", "d"], Some("tok-1")),
        list_v2_page(&["e"], Some("tok-1")),
        list_v2_page(&["f"], Some("tok-1")),
    ])
    .await;
    let client = stub.client();
    let mut pages = client.list_objects_v2().bucket("b").into_paginator().page_size(2).send();
    let keys = |page: &s3::operation::list_objects_v2::ListObjectsV2Output| {
        page.contents().iter().map(|o| o.key.clone().unwrap()).collect::<Vec<_>>()
    };
    let first = within(pages.next()).await.unwrap().unwrap();
    assert_eq!(keys(&first), ["a", "b"]);
    let second = within(pages.next()).await.unwrap().unwrap();
    assert_eq!(keys(&second), ["c", "d"], "the page with the repeated token is still returned");
    let err = within(pages.next()).await.unwrap().unwrap_err();
    let SdkError::Response(err) = &err else { panic!("expected a response error, got {err:?}") };
    assert_eq!(err.operation(), "ListObjectsV2");
    assert!(err.message().contains("the same next token was received twice"), "{}", err.message());
    assert!(err.message().contains("tok-1"), "{}", err.message());
    assert!(within(pages.next()).await.is_none(), "the stream ends after the error");
    assert!(pages.resume_token().is_none(), "no resume token after a repeated token");

    let requests = stub.requests();
    assert_eq!(requests.len(), 2, "no third request for the same token: {requests:#?}");
    assert_eq!(requests[0].query_param("continuation-token"), None);
    assert_eq!(requests[0].query_param("max-keys"), Some("2"));
    assert_eq!(requests[1].query_param("continuation-token"), Some("tok-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_raw_continuation_token_is_a_starting_token() {
    // botocore reads a starting token that is not its base64 JSON in the old format, so a
    // `NextContinuationToken` kept from an earlier response can be used as is.
    let stub = Stub::start(vec![list_v2_page(&["x"], None)]).await;
    let keys = within(stub.client().list_objects_v2().bucket("b").into_paginator().starting_token("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=").contents().try_collect())
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    let requests = stub.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].query_param("continuation-token"), Some("1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_token_ends_an_item_stream_with_an_error() {
    let stub = Stub::start(vec![list_v2_page(&["a"], Some("same")), list_v2_page(&["b"], Some("same"))]).await;
    let mut items = stub.client().list_objects_v2().bucket("b").into_paginator().contents();
    let mut keys = Vec::new();
    let mut errors = Vec::new();
    while let Some(item) = within(items.next()).await {
        match item {
            Ok(object) => keys.push(object.key.unwrap()),
            Err(err) => errors.push(err.to_string()),
        }
    }
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(stub.requests().len(), 2);
    // `try_collect` gives the error.
    let stub = Stub::start(vec![list_v2_page(&["a"], Some("same")), list_v2_page(&["b"], Some("same"))]).await;
    let all = within(stub.client().list_objects_v2().bucket("b").into_paginator().contents().try_collect()).await;
    assert!(matches!(all, Err(SdkError::Response(_))), "{all:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_objects_continues_from_the_last_key_without_next_marker() {
    // No `NextMarker` (S3 sends it only with a delimiter): the next marker is the last
    // key of the page, after URL decoding (`EncodingType=url` is sent by default).
    let page = |keys: &[&str], truncated: bool| {
        let contents: String = keys.iter().map(|k| format!("<Contents><Key>{k}</Key><Size>1</Size></Contents>")).collect();
        xml(
            200,
            format!(
                r#"<ListBucketResult xmlns="{NS}"><Name>b</Name><IsTruncated>{truncated}</IsTruncated><EncodingType>url</EncodingType>{contents}</ListBucketResult>"#
            ),
        )
    };
    let stub = Stub::start(vec![
        page(&["a", "dir/b%20c%2Bd"], true),
        page(&["e"], true),
        page(&["f"], false),
    ])
    .await;
    let keys: Vec<String> = within(stub.client().list_objects().bucket("b").into_paginator().page_size(2).contents().try_collect())
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.key.unwrap())
        .collect();
    assert_eq!(keys, ["a", "dir/b c+d", "e", "f"]);
    let requests = stub.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    assert_eq!(requests[0].query_param("marker"), None);
    assert_eq!(requests[0].query_param("encoding-type"), Some("url"));
    assert_eq!(requests[1].query_param("marker"), Some("dir%2Fb%20c%2Bd"));
    assert_eq!(requests[2].query_param("marker"), Some("e"));

    // With `NextMarker`, it wins over the last key.
    let stub = Stub::start(vec![
        xml(200, format!(r#"<ListBucketResult xmlns="{NS}"><IsTruncated>true</IsTruncated><NextMarker>zz</NextMarker><Contents><Key>a</Key></Contents></ListBucketResult>"#)),
        page(&[], false),
    ])
    .await;
    let pages = within(stub.client().list_objects().bucket("b").into_paginator().send().try_collect()).await.unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(stub.requests()[1].query_param("marker"), Some("zz"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_multipart_uploads_sends_both_markers() {
    let stub = Stub::start(vec![
        xml(
            200,
            format!(
                r#"<ListMultipartUploadsResult xmlns="{NS}"><Bucket>b</Bucket><IsTruncated>true</IsTruncated><NextKeyMarker>k1</NextKeyMarker><NextUploadIdMarker>u1</NextUploadIdMarker><Upload><Key>k1</Key><UploadId>u1</UploadId></Upload></ListMultipartUploadsResult>"#
            ),
        ),
        xml(
            200,
            format!(
                r#"<ListMultipartUploadsResult xmlns="{NS}"><Bucket>b</Bucket><IsTruncated>false</IsTruncated><Upload><Key>k2</Key><UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>"#
            ),
        ),
    ])
    .await;
    let uploads = within(stub.client().list_multipart_uploads().bucket("b").into_paginator().page_size(1).uploads().try_collect())
        .await
        .unwrap();
    let ids: Vec<_> = uploads.iter().map(|u| u.upload_id.clone().unwrap()).collect();
    assert_eq!(ids, ["u1", "u2"]);
    let requests = stub.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].query_param("max-uploads"), Some("1"));
    assert_eq!(requests[1].query_param("key-marker"), Some("k1"));
    assert_eq!(requests[1].query_param("upload-id-marker"), Some("u1"));
}

fn slow_down() -> Reply {
    xml(503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_down_is_retried() {
    let stub = Stub::start(vec![slow_down(), list_v2_page(&["a"], None)]).await;
    let out = within(stub.client().list_objects_v2().bucket("b").send()).await.unwrap();
    assert_eq!(out.contents()[0].key.as_deref(), Some("a"));
    let requests = stub.requests();
    assert_eq!(requests.len(), 2, "one retry: {requests:#?}");
    assert_eq!(requests[0].target, requests[1].target);
    // Each attempt is signed again.
    assert!(requests[1].header("authorization").is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256 ")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_give_up_after_max_attempts() {
    let stub = Stub::start(vec![slow_down(), slow_down(), slow_down(), list_v2_page(&["never"], None)]).await;
    let client = Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&stub.url)
            .force_path_style(true)
            .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
            .max_attempts(2)
            .build(),
    );
    let err = within(client.list_objects_v2().bucket("b").send()).await.unwrap_err();
    let SdkError::Service(err) = err else { panic!("{err:?}") };
    assert_eq!(err.code(), Some("SlowDown"));
    assert_eq!(err.meta().status(), Some(503));
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_memory_body_is_sent_again_on_retry() {
    let stub = Stub::start(vec![slow_down(), empty(200)]).await;
    within(stub.client().put_object().bucket("b").key("k").body(ByteStream::from("payload")).send()).await.unwrap();
    let requests = stub.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    for request in &requests {
        assert_eq!(request.method, "PUT");
        assert_eq!(request.body, b"payload");
    }
}

/// A body that can be read once: built from a plain `http_body::Body`.
fn one_shot_body(data: &'static [u8]) -> ByteStream {
    ByteStream::from_body(http_body_util::Full::new(bytes::Bytes::from_static(data)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_shot_streaming_body_is_not_retried() {
    let stub = Stub::start(vec![slow_down(), empty(200)]).await;
    let body = one_shot_body(b"streamed");
    assert!(body.try_clone().is_none(), "the body cannot be replayed");
    let err = within(stub.client().put_object().bucket("b").key("k").body(body).send()).await.unwrap_err();
    let SdkError::Service(err) = err else { panic!("the 503 comes back as is: {err:?}") };
    assert_eq!(err.code(), Some("SlowDown"));
    let requests = stub.requests();
    assert_eq!(requests.len(), 1, "not retried: {requests:#?}");
    // A streaming body carries its CRC32 in an aws-chunked trailer.
    assert_eq!(requests[0].body, b"8\r\nstreamed\r\n0\r\nx-amz-checksum-crc32:2SIbYw==\r\n\r\n");
    assert_eq!(requests[0].header("content-encoding"), Some("aws-chunked"));
    assert_eq!(requests[0].header("x-amz-decoded-content-length"), Some("8"));
    assert_eq!(requests[0].header("x-amz-content-sha256"), Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_body_is_encoded_again_on_retry() {
    let path = std::env::temp_dir().join(format!("s3-retry-file-{}", std::process::id()));
    std::fs::write(&path, b"from a file").unwrap();
    let stub = Stub::start(vec![slow_down(), empty(200)]).await;
    let body = ByteStream::from_path(&path).await.unwrap();
    within(stub.client().put_object().bucket("b").key("k").body(body).send()).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let requests = stub.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    for request in &requests {
        assert_eq!(request.body, b"b\r\nfrom a file\r\n0\r\nx-amz-checksum-crc32:iWFgRg==\r\n\r\n");
        assert_eq!(request.header("content-length"), Some("52"));
        assert_eq!(request.header("x-amz-trailer"), Some("x-amz-checksum-crc32"));
    }
}
