//! A fault-injecting HTTP/1.1 stub on a free loopback port: each connection reads one
//! request and answers it with the next reply of a script, written as raw bytes (so a
//! reply can carry bytes an HTTP library would refuse to produce), then closes. Faults:
//! connection resets, silence (no answer), a stall after some bytes (before or in the
//! body), truncation, a trickle, a request body left unread, and answers computed from
//! the request head. It counts the requests it was sent, which is how tests check
//! attempt counts.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use s3::{Client, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
pub enum Reply {
    /// These bytes, status line and headers included.
    Raw(Vec<u8>),
    /// A response whose body is `prefix`, then `unit` `count` times, then `suffix`,
    /// written in blocks (never held whole in memory), with a `Content-Length`.
    Repeat { prefix: String, unit: String, count: usize, suffix: String },
    /// Reads the request, then resets the connection (RST) without answering.
    Reset,
    /// Reads the request and never answers (the connection stays open).
    Silent,
    /// Writes these bytes (a head, maybe part of a body), then nothing more, keeping the
    /// connection open: a stall.
    Stall(Vec<u8>),
    /// Writes these bytes, then closes: a body cut short of its `Content-Length`.
    Truncate(Vec<u8>),
    /// Writes these bytes `piece` bytes at a time, `every` apart.
    Trickle { bytes: Vec<u8>, piece: usize, every: std::time::Duration },
    /// Reads the request head, never its body, and never answers: an upload stall.
    NoRead,
    /// The reply computed from the request head (request line and headers).
    Handler(Box<dyn Fn(&str) -> Reply + Send>),
}

impl Reply {
    /// The bytes of a complete response (`response(..)`), for the variants that take bytes.
    pub fn bytes(self) -> Vec<u8> {
        match self {
            Reply::Raw(bytes) => bytes,
            _ => panic!("not a raw reply"),
        }
    }
}

/// A complete response: status, extra header lines (`Name: value`, raw) and body.
pub fn response(status: u16, headers: &[&[u8]], body: &[u8]) -> Reply {
    let mut out = format!("HTTP/1.1 {status} Stub\r\nContent-Length: {}\r\nConnection: close\r\nx-amz-request-id: stub\r\n", body.len())
        .into_bytes();
    for header in headers {
        out.extend_from_slice(header);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    Reply::Raw(out)
}

/// The stub server.
pub struct Stub {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    pub async fn start(script: Vec<Reply>) -> Stub {
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
                    let _ = serve(socket, &recorded, &script).await;
                });
            }
        });
        Stub { url, requests, task }
    }

    /// The request lines (`GET /b?list-type=2 HTTP/1.1`) received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// A path-style client for the stub with static credentials.
    pub fn client(&self) -> Client {
        Client::from_conf(self.config().build())
    }

    pub fn config(&self) -> s3::config::ConfigBuilder {
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&self.url)
            .force_path_style(true)
            .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut socket: TcpStream, recorded: &Mutex<Vec<String>>, script: &Mutex<VecDeque<Reply>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    recorded.lock().unwrap().push(head.lines().next().unwrap_or_default().to_owned());
    let mut reply = script.lock().unwrap().pop_front();
    if matches!(reply, Some(Reply::Handler(_))) {
        if let Some(Reply::Handler(handler)) = reply.take() {
            reply = Some(handler(&head));
        }
    }
    if let Some(Reply::NoRead) = reply {
        std::future::pending::<()>().await;
    }
    let length: usize = head
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buf.len() - head_end - 4;
    while have < length {
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        have += n;
    }
    match reply {
        None => {
            let body = b"<Error><Code>StubScriptExhausted</Code><Message>no more responses</Message></Error>";
            let Reply::Raw(bytes) = response(400, &[], body) else { unreachable!() };
            socket.write_all(&bytes).await?;
        }
        Some(Reply::Raw(bytes)) => socket.write_all(&bytes).await?,
        Some(Reply::Reset) => {
            // A zero linger time never blocks: the drop sends RST at once.
            #[allow(deprecated)]
            socket.set_linger(Some(std::time::Duration::ZERO))?;
            return Ok(());
        }
        Some(Reply::Silent | Reply::NoRead | Reply::Handler(_)) => std::future::pending::<()>().await,
        Some(Reply::Stall(bytes)) => {
            socket.write_all(&bytes).await?;
            socket.flush().await?;
            std::future::pending::<()>().await;
        }
        Some(Reply::Truncate(bytes)) => socket.write_all(&bytes).await?,
        Some(Reply::Trickle { bytes, piece, every }) => {
            for chunk in bytes.chunks(piece.max(1)) {
                socket.write_all(chunk).await?;
                socket.flush().await?;
                tokio::time::sleep(every).await;
            }
        }
        Some(Reply::Repeat { prefix, unit, count, suffix }) => {
            let len = prefix.len() + unit.len() * count + suffix.len();
            let head = format!("HTTP/1.1 200 Stub\r\nContent-Length: {len}\r\nConnection: close\r\nContent-Type: application/xml\r\n\r\n");
            socket.write_all(head.as_bytes()).await?;
            socket.write_all(prefix.as_bytes()).await?;
            let per_block = (64 * 1024 / unit.len().max(1)).max(1);
            let block = unit.repeat(per_block);
            let mut left = count;
            while left > 0 {
                let n = left.min(per_block);
                socket.write_all(&block.as_bytes()[..n * unit.len()]).await?;
                left -= n;
            }
            socket.write_all(suffix.as_bytes()).await?;
        }
    }
    socket.shutdown().await
}

/// The process's peak resident set size in bytes (`VmHWM`), on Linux.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
