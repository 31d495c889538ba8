//! A loopback HTTP/1.1 stub playing S3 with buckets in several regions. It tells where a
//! request was meant to go by the region of the `Authorization` header's credential
//! scope (and the bucket by a virtual host name, else the first path segment), answers
//! a request signed for the wrong region as the scenario's [`Wrong`] says, and logs
//! every request as `METHOD host path region`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the stub answers a request signed for a region other than its bucket's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrong {
    /// 301 `PermanentRedirect` with `x-amz-bucket-region` (a bodiless 301 to a `HEAD`).
    PermanentRedirect,
    /// 301 `PermanentRedirect` without the region anywhere (a bodiless 301 to
    /// `HeadObject`); `HeadBucket` answers 301 with `x-amz-bucket-region`.
    PermanentRedirectNoRegion,
    /// 400 `AuthorizationHeaderMalformed` naming the region in its `<Region>` (a bodiless
    /// 400 without the header to a `HEAD` object; `HeadBucket` gets the header).
    AuthorizationHeaderMalformed,
    /// 400 `IllegalLocationConstraintException` with `x-amz-bucket-region`.
    IllegalLocationConstraint,
    /// 307 `TemporaryRedirect` with `x-amz-bucket-region`.
    TemporaryRedirect,
    /// As `PermanentRedirect`, and the right region answers `PermanentRedirect` too.
    AlwaysRedirect,
    /// As `PermanentRedirect`, and the right region answers 500 `InternalError`.
    ThenInternalError,
    /// 301 `PermanentRedirect` whose `x-amz-bucket-region` is not a region name.
    InvalidRegion,
}

/// The stub: buckets and their regions, what a wrong region gets, and the request log.
pub struct Stub {
    pub url: String,
    pub addr: String,
    log: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stub {
    pub async fn start(buckets: &[(&str, &str)], wrong: Wrong) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let log = Arc::new(Mutex::new(Vec::new()));
        let buckets: Arc<HashMap<String, String>> =
            Arc::new(buckets.iter().map(|(b, r)| (b.to_string(), r.to_string())).collect());
        let recorded = Arc::clone(&log);
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                let (log, buckets) = (Arc::clone(&recorded), Arc::clone(&buckets));
                tokio::spawn(async move {
                    let _ = serve(socket, &log, &buckets, wrong).await;
                });
            }
        });
        Stub { url: format!("http://{addr}"), addr, log, task }
    }

    /// The requests logged since the last call.
    pub fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

async fn serve(
    mut socket: TcpStream,
    log: &Mutex<Vec<String>>,
    buckets: &HashMap<String, String>,
    wrong: Wrong,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let request = Request { method, path, headers };
    if request.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        socket.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    // Read the body: by length, or chunked up to the last chunk and trailers.
    let mut body = buf[head_end..].to_vec();
    if let Some(length) = request.header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < length {
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if request.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let done = |b: &[u8]| (b.starts_with(b"0\r\n") || b.windows(4).any(|w| w == b"\n0\r\n")) && b.ends_with(b"\r\n\r\n");
        while !done(&body) {
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    let host = request.header("host").unwrap_or_default().to_owned();
    let signed_for = request
        .header("authorization")
        .and_then(|auth| auth.split("Credential=").nth(1))
        .and_then(|cred| cred.split('/').nth(2))
        .unwrap_or("unsigned")
        .to_owned();
    log.lock().unwrap().push(format!("{} {} {} {}", request.method, host, request.path, signed_for));
    let (status, headers, body) = answer(&request, &host, &signed_for, buckets, wrong);
    let mut out = format!("HTTP/1.1 {status} Stub\r\nContent-Length: {}\r\nConnection: close\r\nx-amz-request-id: stub\r\n", body.len());
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    if request.method != "HEAD" {
        out.push_str(&body);
    }
    socket.write_all(out.as_bytes()).await?;
    socket.shutdown().await
}

fn error(code: &str, extra: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>stub</Message>{extra}<RequestId>stub</RequestId></Error>")
}

type Answer = (u16, Vec<(&'static str, String)>, String);

fn answer(request: &Request, host: &str, signed_for: &str, buckets: &HashMap<String, String>, wrong: Wrong) -> Answer {
    let host_name = host.split(':').next().unwrap_or_default();
    let path = request.path.split('?').next().unwrap_or_default();
    let (bucket, key) = match buckets.keys().find(|b| host_name.starts_with(&format!("{b}."))) {
        Some(bucket) => (bucket.clone(), path.trim_start_matches('/').to_owned()),
        None => {
            let rest = path.trim_start_matches('/');
            let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
            (b.to_owned(), k.to_owned())
        }
    };
    let Some(region) = buckets.get(&bucket) else {
        return (404, vec![], error("NoSuchBucket", ""));
    };
    let head = request.method == "HEAD";
    let head_bucket = head && key.is_empty();
    let region_header = || vec![("x-amz-bucket-region", region.clone())];
    let redirect_body = || error("PermanentRedirect", &format!("<Endpoint>{bucket}.s3.{region}.amazonaws.com</Endpoint><Bucket>{bucket}</Bucket>"));
    if signed_for == region {
        return match wrong {
            Wrong::AlwaysRedirect => (301, region_header(), redirect_body()),
            Wrong::ThenInternalError => (500, vec![], error("InternalError", "")),
            _ if head_bucket => (200, region_header(), String::new()),
            _ if request.method == "GET" && key.is_empty() => (
                200,
                vec![],
                format!("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{bucket}</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"),
            ),
            _ if request.method == "GET" => (200, vec![], "hello".to_owned()),
            _ => (200, vec![], String::new()),
        };
    }
    match wrong {
        Wrong::PermanentRedirect | Wrong::AlwaysRedirect | Wrong::ThenInternalError => {
            (301, region_header(), if head { String::new() } else { redirect_body() })
        }
        Wrong::PermanentRedirectNoRegion if head_bucket => (301, region_header(), String::new()),
        Wrong::PermanentRedirectNoRegion => (301, vec![], if head { String::new() } else { redirect_body() }),
        Wrong::AuthorizationHeaderMalformed if head_bucket => (400, region_header(), String::new()),
        Wrong::AuthorizationHeaderMalformed if head => (400, vec![], String::new()),
        Wrong::AuthorizationHeaderMalformed => (
            400,
            vec![],
            error("AuthorizationHeaderMalformed", &format!("<Region>{region}</Region>")),
        ),
        Wrong::IllegalLocationConstraint => (
            400,
            region_header(),
            if head { String::new() } else { error("IllegalLocationConstraintException", "") },
        ),
        Wrong::TemporaryRedirect => (
            307,
            region_header(),
            if head { String::new() } else { error("TemporaryRedirect", &format!("<Endpoint>{bucket}.s3.{region}.amazonaws.com</Endpoint>")) },
        ),
        Wrong::InvalidRegion => (301, vec![("x-amz-bucket-region", "not/a-region".to_owned())], if head { String::new() } else { redirect_body() }),
    }
}
