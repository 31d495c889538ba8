//! A tiny HTTP/1.1 server on a loopback port for the providers' tests: each request is
//! recorded and answered by a closure; every connection is closed after one answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as the server saw it (header names lower-cased).
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

type Handler = dyn Fn(&Seen) -> (u16, String) + Send + Sync;

/// A running server; dropped with the test's runtime.
pub(crate) struct TestServer {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    /// Serves `handler` on `127.0.0.1:<free port>`.
    pub async fn start(handler: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let mut data = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !data.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => data.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&data).into_owned();
                    let mut lines = head.split("\r\n");
                    let mut first = lines.next().unwrap_or("").split(' ');
                    let method = first.next().unwrap_or("").to_string();
                    let path = first.next().unwrap_or("").to_string();
                    let headers = lines
                        .take_while(|l| !l.is_empty())
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                        .collect();
                    let request = Seen { method, path, headers };
                    let (status, body) = handler(&request);
                    log.lock().unwrap().push(request);
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        TestServer { url, seen }
    }

    /// The requests answered so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// A loopback address where nothing listens (a port bound, then released).
pub(crate) async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// Every tracing event (at any level) this thread records from now on, as text: the
/// tests check that no secret is ever logged.
///
/// One global subscriber serves every test thread (a thread-local default subscriber
/// races with tracing's global callsite-interest cache when tests run in parallel, and
/// then misses events); each test thread gets its own buffer.
pub(crate) fn capture_logs() -> (Arc<Mutex<String>>, ()) {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = tracing::dispatcher::set_global_default(tracing::Dispatch::new(Capture));
    });
    let text = Arc::new(Mutex::new(String::new()));
    buffers().lock().unwrap().insert(std::thread::current().id(), text.clone());
    (text, ())
}

type Buffers = Mutex<std::collections::HashMap<std::thread::ThreadId, Arc<Mutex<String>>>>;

fn buffers() -> &'static Buffers {
    static BUFFERS: std::sync::OnceLock<Buffers> = std::sync::OnceLock::new();
    BUFFERS.get_or_init(Default::default)
}

/// Appends to the current thread's buffer, if it asked for one.
fn with_buffer(f: impl FnOnce(&mut String)) {
    let buffer = buffers().lock().unwrap().get(&std::thread::current().id()).cloned();
    if let Some(buffer) = buffer {
        f(&mut buffer.lock().unwrap());
    }
}

struct Capture;

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    /// Spans are written `SPAN #id name:` with their fields; later values as
    /// `RECORD #id:` lines.
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        with_buffer(|text| {
            text.push_str(&format!("\nSPAN #{id} {}:", span.metadata().name()));
            span.record(&mut Fields(text));
        });
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        with_buffer(|text| {
            text.push_str(&format!("\nRECORD #{}:", id.into_u64()));
            values.record(&mut Fields(text));
        });
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        with_buffer(|text| {
            text.push_str(&format!("\n{} {}:", event.metadata().level(), event.metadata().target()));
            event.record(&mut Fields(text));
        });
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
