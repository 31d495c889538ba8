//! The benchmark's local S3 stand-in: answers from memory and stores nothing, so that
//! its cost stays out of the clients' figures.
//!
//! - `PUT /bench/<key>`: reads and discards the body (plain or `aws-chunked`), 200.
//! - `GET /bench/small/...`: a 1 KiB object.
//! - `GET /bench/big/<size>`: `size` bytes, streamed in 64 KiB chunks; with
//!   `x-amz-checksum-mode: ENABLED` it also sends the body's CRC64NVME (a FULL_OBJECT
//!   checksum, as S3 does for objects uploaded without one), so clients that validate
//!   downloads by default (both SDKs) pay for it as they would against S3. The value of
//!   the default 1 GiB is computed at start-up, others on first use.
//! - `GET /bench?list-type=2...`: one canned ListObjectsV2 page of 1000 keys.
//!
//! - Managed transfers (see `server_transfers`): multipart uploads, HEAD, ranged GETs
//!   of `big/<size>` and of the 1000 64 KiB objects under `dir/`, and their listing.
//!
//! Usage: `bench-server <port>`; it listens on 127.0.0.1 and serves until killed.

mod common;
mod server_transfers;

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use common::{GenBody, CHUNK, SMALL_SIZE};
use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

type Body = BoxBody<Bytes, Infallible>;

const ETAG: &str = "\"5d41402abc4b2a76b9719d911017c592\"";

/// A ListObjectsV2 page as S3 writes it: 1000 keys with the fields S3 returns today.
fn list_page(url_encoded: bool) -> Bytes {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    xml.push_str("<Name>bench</Name><Prefix></Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys>");
    if url_encoded {
        xml.push_str("<EncodingType>url</EncodingType>");
    }
    xml.push_str("<IsTruncated>false</IsTruncated>");
    for i in 0..1000 {
        xml.push_str(&format!(
            "<Contents><Key>photos/2026/11/{:02}/IMG_{i:06}.jpg</Key>\
             <LastModified>2026-11-{:02}T12:{:02}:{:02}.000Z</LastModified>\
             <ETag>&quot;{i:032x}&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>\
             <ChecksumType>FULL_OBJECT</ChecksumType><Size>{}</Size>\
             <StorageClass>STANDARD</StorageClass></Contents>",
            i % 28 + 1,
            i % 28 + 1,
            i % 60,
            (i * 7) % 60,
            100_000 + i * 37
        ));
    }
    xml.push_str("</ListBucketResult>");
    Bytes::from(xml)
}

struct Canned {
    list: Bytes,
    list_url: Bytes,
    small: Bytes,
    /// The CRC64NVME of `big/<size>` bodies, by size.
    checksums: std::sync::Mutex<std::collections::HashMap<u64, String>>,
}

impl Canned {
    /// The base64 CRC64NVME of a `GenBody` of `size` bytes.
    fn checksum(&self, size: u64) -> String {
        let mut cache = self.checksums.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(size)
            .or_insert_with(|| {
                let chunk = vec![b'x'; CHUNK];
                let mut hasher = s3_runtime::checksum::Algorithm::Crc64Nvme.hasher();
                let mut left = size;
                while left > 0 {
                    let n = left.min(CHUNK as u64) as usize;
                    hasher.update(&chunk[..n]);
                    left -= n as u64;
                }
                hasher.finish()
            })
            .clone()
    }
}

fn full(status: StatusCode, body: Bytes, content_type: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("content-length", body.len())
        .header("x-amz-request-id", "BENCHREQUEST0001")
        .header("etag", ETAG)
        .header("last-modified", "Wed, 25 Nov 2026 12:00:00 GMT")
        .body(Full::new(body).boxed())
        .expect("valid response")
}

async fn handle(req: Request<Incoming>, canned: Arc<Canned>) -> Result<Response<Body>, Infallible> {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let method = req.method().clone();
    let range = req.headers().get(http::header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let checksum_mode = req.headers().get("x-amz-checksum-mode").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"ENABLED"));
    // `/bench` and `/bench/` are the bucket; `/bench/<key>` an object.
    let key = path.trim_start_matches('/').split_once('/').map(|(_bucket, key)| key.to_owned()).filter(|k| !k.is_empty());
    let resp = match (method, key) {
        (Method::PUT, Some(_)) => {
            let mut body = req.into_body();
            while let Some(frame) = body.frame().await {
                if frame.is_err() {
                    break;
                }
            }
            full(StatusCode::OK, Bytes::new(), "application/xml")
        }
        (Method::POST, Some(key)) => {
            // CreateMultipartUpload (`?uploads`) or CompleteMultipartUpload (`?uploadId=`).
            let mut body = req.into_body();
            while let Some(frame) = body.frame().await {
                if frame.is_err() {
                    break;
                }
            }
            if server_transfers::query_param(&query, "uploads").is_some() {
                full(StatusCode::OK, server_transfers::create_multipart(&key), "application/xml")
            } else if server_transfers::query_param(&query, "uploadId").is_some() {
                full(StatusCode::OK, server_transfers::complete_multipart(&key), "application/xml")
            } else {
                not_found()
            }
        }
        (Method::GET, None) if query.contains("list-type=2") && server_transfers::query_param(&query, "prefix").is_some_and(|p| p.starts_with("dir")) => {
            full(StatusCode::OK, server_transfers::dir_page(&query), "application/xml")
        }
        (Method::GET, None) if query.contains("list-type=2") => {
            let page = if query.contains("encoding-type=url") { &canned.list_url } else { &canned.list };
            full(StatusCode::OK, page.clone(), "application/xml")
        }
        (Method::GET, Some(key)) if key.starts_with("small/") => {
            full(StatusCode::OK, canned.small.clone(), "application/octet-stream")
        }
        (Method::HEAD, Some(key)) => match server_transfers::object_size(&key) {
            Some(size) => Response::builder()
                .header("content-type", "application/octet-stream")
                .header("content-length", size)
                .header("etag", ETAG)
                .header("last-modified", "Wed, 25 Nov 2026 12:00:00 GMT")
                .body(Full::new(Bytes::new()).boxed())
                .expect("valid response"),
            None => Response::builder().status(StatusCode::NOT_FOUND).body(Full::new(Bytes::new()).boxed()).expect("valid response"),
        },
        (Method::GET, Some(key)) => match server_transfers::object_size(&key) {
            Some(size) => match range {
                Some(range) => match server_transfers::parse_range(&range, size) {
                    Some((start, end)) => Response::builder()
                        .status(StatusCode::PARTIAL_CONTENT)
                        .header("content-type", "application/octet-stream")
                        .header("content-length", end - start + 1)
                        .header("content-range", format!("bytes {start}-{end}/{size}"))
                        .header("etag", ETAG)
                        .header("last-modified", "Wed, 25 Nov 2026 12:00:00 GMT")
                        .body(GenBody::new(end - start + 1).boxed())
                        .expect("valid response"),
                    None => Response::builder().status(StatusCode::RANGE_NOT_SATISFIABLE).body(Full::new(Bytes::new()).boxed()).expect("valid response"),
                },
                None => {
                    let mut builder = Response::builder()
                        .header("content-type", "application/octet-stream")
                        .header("content-length", size)
                        .header("etag", ETAG)
                        .header("last-modified", "Wed, 25 Nov 2026 12:00:00 GMT");
                    if checksum_mode {
                        builder = builder
                            .header("x-amz-checksum-crc64nvme", canned.checksum(size))
                            .header("x-amz-checksum-type", "FULL_OBJECT");
                    }
                    builder.body(GenBody::new(size).boxed()).expect("valid response")
                }
            },
            None => not_found(),
        },
        _ => not_found(),
    };
    Ok(resp)
}

fn not_found() -> Response<Body> {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
                <Message>The specified key does not exist.</Message></Error>";
    full(StatusCode::NOT_FOUND, Bytes::from_static(body.as_bytes()), "application/xml")
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    rt.block_on(async {
        let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).expect("usage: bench-server <port>");
        let canned = Arc::new(Canned {
            list: list_page(false),
            list_url: list_page(true),
            small: Bytes::from(vec![b'o'; SMALL_SIZE]),
            checksums: Default::default(),
        });
        // The default big size, before listening, so that no measured request waits for it.
        canned.checksum(1 << 30);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind the loopback port");
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let _ = stream.set_nodelay(true);
            let canned = canned.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| handle(req, canned.clone()));
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
}
