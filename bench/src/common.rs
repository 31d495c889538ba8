//! What every benchmark client shares: arguments, the body generator, CPU and memory
//! measurement, and the one-line JSON report that `cargo xtask bench` reads.
//!
//! Each client (ours, aws-sdk-s3, raw hyper) is its own binary, run once per
//! measurement, so that peak RSS and CPU time belong to that client alone.

// Each binary uses a part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// The bucket every scenario uses; the bench server accepts any name.
pub const BUCKET: &str = "bench";
/// Size of the small objects of the `small` scenario.
pub const SMALL_SIZE: usize = 1024;
/// Chunk size of generated streaming bodies, on both sides.
pub const CHUNK: usize = 64 * 1024;

/// `scenario key=value...` from the command line.
pub struct Args {
    pub scenario: String,
    pub endpoint: String,
    /// Operations to run (`small`: PUT+GET pairs; `list`: pages).
    pub n: usize,
    /// Tasks running at once (`small`).
    pub concurrency: usize,
    /// Object size in bytes (`get`, `put`).
    pub size: u64,
}

impl Args {
    pub fn parse() -> Args {
        let mut args = std::env::args().skip(1);
        let scenario = args.next().unwrap_or_else(|| usage("missing scenario"));
        let mut kv: HashMap<String, String> = HashMap::new();
        for arg in args {
            let (k, v) = arg.split_once('=').unwrap_or_else(|| usage(&format!("not key=value: {arg}")));
            kv.insert(k.to_owned(), v.to_owned());
        }
        let num = |k: &str, default: u64| -> u64 {
            kv.get(k).map_or(default, |v| v.parse().unwrap_or_else(|_| usage(&format!("{k} is not a number: {v}"))))
        };
        Args {
            endpoint: kv.get("endpoint").cloned().unwrap_or_else(|| usage("missing endpoint=URL")),
            n: num("n", 1000) as usize,
            concurrency: num("concurrency", 1).max(1) as usize,
            size: num("size", 1 << 30),
            scenario,
        }
    }
}

fn usage(msg: &str) -> ! {
    eprintln!("error: {msg}\nusage: <client> <small|list|get|put> endpoint=URL [n=N] [concurrency=C] [size=BYTES]");
    std::process::exit(2)
}

/// A request body of `len` bytes made by repeating one chunk: nothing is held but that
/// chunk, so the client's memory is what it buffers itself.
pub struct GenBody {
    remaining: u64,
    chunk: Bytes,
}

impl GenBody {
    pub fn new(len: u64) -> GenBody {
        GenBody { remaining: len, chunk: Bytes::from(vec![b'x'; CHUNK]) }
    }
}

impl Body for GenBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let n = this.remaining.min(CHUNK as u64) as usize;
        this.remaining -= n as u64;
        Poll::Ready(Some(Ok(Frame::data(this.chunk.slice(..n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

/// User + system CPU seconds and peak RSS (KiB) of this process so far.
///
/// The peak is the kernel's high-water mark of this program's memory (`VmHWM`), not
/// `ru_maxrss`: Linux carries `ru_maxrss` over `exec`, so a client started by a bigger
/// process would report that process's size.
pub fn rusage() -> (f64, u64) {
    // SAFETY: `getrusage` fills the zeroed struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let high_water = std::fs::read_to_string("/proc/self/status").ok().and_then(|status| {
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok()
    });
    (secs(usage.ru_utime) + secs(usage.ru_stime), high_water.unwrap_or(usage.ru_maxrss as u64))
}

/// Wall and CPU time of the measured part of a run.
pub struct Measure {
    start: Instant,
    cpu: f64,
}

impl Measure {
    pub fn start() -> Measure {
        Measure { cpu: rusage().0, start: Instant::now() }
    }

    /// Prints the one-line JSON report: `ops` operations and `bytes` of payload moved.
    pub fn report(self, client: &str, args: &Args, ops: usize, bytes: u64) {
        let wall = self.start.elapsed().as_secs_f64();
        let (cpu, rss) = rusage();
        println!(
            "{{\"client\":\"{client}\",\"scenario\":\"{}\",\"ops\":{ops},\"bytes\":{bytes},\"wall_s\":{wall:.6},\"cpu_s\":{:.6},\"max_rss_kib\":{rss}}}",
            args.scenario,
            cpu - self.cpu
        );
    }
}

/// A multi-threaded runtime with two workers (the machine's cores), the same for every
/// client.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime")
}

/// Runs `n` iterations of `op` split over `concurrency` tasks; `op(task, i)` returns the
/// payload bytes it moved.
pub async fn run_concurrently<F, Fut>(n: usize, concurrency: usize, op: F) -> u64
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = u64> + Send,
{
    let mut tasks = Vec::new();
    for task in 0..concurrency {
        let op = op.clone();
        let count = n / concurrency + usize::from(task < n % concurrency);
        tasks.push(tokio::spawn(async move {
            let mut bytes = 0;
            for i in 0..count {
                bytes += op(task, i).await;
            }
            bytes
        }));
    }
    let mut bytes = 0;
    for task in tasks {
        bytes += task.await.expect("benchmark task panicked");
    }
    bytes
}

/// What a benchmark client does; [`run`] times it the same way for every client.
pub trait Client: Clone + Send + Sync + 'static {
    /// The name in the report.
    const NAME: &'static str;

    /// PUT 1 KiB under `key`, GET it back and check it; the payload bytes moved.
    fn put_get(&self, key: String) -> impl Future<Output = u64> + Send;

    /// One ListObjectsV2 page of 1000 keys, checked; the sum of the object sizes.
    fn list_page(&self) -> impl Future<Output = u64> + Send;

    /// GET `big/<size>` as a stream, counting the bytes received.
    fn get(&self, size: u64) -> impl Future<Output = u64> + Send;

    /// PUT `size` generated bytes as a stream.
    fn put(&self, size: u64) -> impl Future<Output = ()> + Send;
}

/// Parses the arguments, makes the client for the endpoint and runs the scenario,
/// printing the one-line report.
pub fn run<C: Client>(make: impl FnOnce(&str) -> C) {
    let args = Args::parse();
    runtime().block_on(async {
        let client = make(&args.endpoint);
        match args.scenario.as_str() {
            "small" => {
                let run = |n| {
                    let client = client.clone();
                    run_concurrently(n, args.concurrency, move |task, i| {
                        let client = client.clone();
                        async move { client.put_get(format!("small/{task}/{i}")).await }
                    })
                };
                run(args.concurrency * 4).await; // warm-up: open the connections
                let m = Measure::start();
                let bytes = run(args.n).await;
                m.report(C::NAME, &args, 2 * args.n, bytes);
            }
            "list" => {
                client.list_page().await; // warm-up
                let m = Measure::start();
                let mut total = 0;
                for _ in 0..args.n {
                    total += client.list_page().await;
                }
                m.report(C::NAME, &args, args.n, total);
            }
            "get" => {
                let m = Measure::start();
                let received = client.get(args.size).await;
                if received != args.size {
                    fail(format!("received {received} of {} bytes", args.size));
                }
                m.report(C::NAME, &args, 1, received);
            }
            "put" => {
                let m = Measure::start();
                client.put(args.size).await;
                m.report(C::NAME, &args, 1, args.size);
            }
            other => fail(format!("unknown scenario {other}")),
        }
    });
}

/// Checks the body of a small object read back; the payload bytes of the PUT + GET.
pub fn check_small(received: usize) -> u64 {
    if received != SMALL_SIZE {
        fail(format!("GetObject returned {received} bytes, not {SMALL_SIZE}"));
    }
    2 * SMALL_SIZE as u64
}

/// Checks a listing page, given each object's (has a key, size): 1000 objects, every
/// one with a key. Returns the sum of the sizes.
pub fn check_page(objects: impl ExactSizeIterator<Item = (bool, i64)>) -> u64 {
    let count = objects.len();
    let mut total = 0;
    for (has_key, size) in objects {
        if !has_key {
            fail("ListObjectsV2 returned an object without a key");
        }
        total += size as u64;
    }
    if count != 1000 {
        fail(format!("ListObjectsV2 returned {count} objects, not 1000"));
    }
    total
}

/// Fails the run (exit 1) with a message: a benchmark that got a wrong answer must not
/// report a time.
pub fn fail(what: impl std::fmt::Display) -> ! {
    eprintln!("benchmark failed: {what}");
    std::process::exit(1)
}
