//! A quick throughput measure of each checksum algorithm and of response validation
//! (not a test; numbers go to BENCHMARKS.md):
//!
//! ```sh
//! cargo run --release -p s3-runtime --example checksum_throughput
//! ```
//!
//! 1. each algorithm over 256 MiB in 64 KiB pieces (as a body arrives), MB/s;
//! 2. a 1 GiB body of 64 KiB frames read through `ByteStream` as it comes from the
//!    network, without and with `checksum::validate_response` (CRC32, CRC64NVME);
//! 3. a 1 GiB GET over loopback (a tokio server writing 64 KiB at a time, the runtime's
//!    `HyperClient` on a two-worker runtime, as the benchmark's GetObject), without and
//!    with validation: best of 5, MB/s.

use std::time::Instant;

use bytes::Bytes;
use s3_runtime::checksum::{validate_response, Algorithm};
use s3_runtime::http::HttpResponse;
use s3_runtime::ByteStream;

const PIECE: usize = 64 * 1024;

fn main() {
    let piece: Vec<u8> = (0..PIECE).map(|i| (i % 251) as u8).collect();
    let total = 256usize << 20;
    println!("algorithm   MB/s (256 MiB in 64 KiB pieces)");
    for algorithm in Algorithm::ALL {
        let started = Instant::now();
        let mut hasher = algorithm.hasher();
        for _ in 0..total / PIECE {
            hasher.update(&piece);
        }
        std::hint::black_box(hasher.finish());
        let secs = started.elapsed().as_secs_f64();
        println!("{:<11} {:>8.0}", algorithm.name(), total as f64 / 1e6 / secs);
    }

    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    let frame = Bytes::from(piece);
    let gib = 1usize << 30;
    println!("\n1 GiB body read through ByteStream: MB/s");
    for validation in [None, Some(Algorithm::Crc32), Some(Algorithm::Crc64Nvme), Some(Algorithm::XxHash3)] {
        let mut best = f64::MAX;
        for _ in 0..3 {
            let frames = Frames { frame: frame.clone(), left: gib / PIECE };
            let body = ByteStream::from_body(http_body_util::StreamBody::new(frames));
            let mut headers = Vec::new();
            if let Some(algorithm) = validation {
                // The checksum of 1 GiB of the frame, repeated: computed once, not timed.
                let mut hasher = algorithm.hasher();
                for _ in 0..gib / PIECE {
                    hasher.update(&frame);
                }
                headers.push((algorithm.header().to_owned(), hasher.finish()));
            }
            let mut response = HttpResponse::new(200, headers, body);
            let started = Instant::now();
            validate_response(&mut response, "GetObject", &["CRC32", "CRC64NVME", "XXHASH3"]).expect("valid");
            let mut body = response.body;
            let read = runtime.block_on(async {
                let mut n = 0;
                while let Some(chunk) = body.next().await {
                    n += chunk.expect("the checksum matches").len();
                }
                n
            });
            assert_eq!(read, gib);
            best = best.min(started.elapsed().as_secs_f64());
        }
        let label = validation.map_or("none", Algorithm::name);
        println!("{label:<11} {:>8.0}", gib as f64 / 1e6 / best);
    }
    loopback(&frame, gib);
}

/// 1 GiB GETs over loopback, with and without validation, alternated.
fn loopback(frame: &Bytes, size: usize) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let mut checksums = Vec::new();
    for algorithm in [Algorithm::Crc32, Algorithm::Crc64Nvme] {
        let mut hasher = algorithm.hasher();
        for _ in 0..size / PIECE {
            hasher.update(frame);
        }
        checksums.push((algorithm, hasher.finish()));
    }
    let frame = frame.clone();
    let url = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let url = format!("http://127.0.0.1:{}/", listener.local_addr().expect("an address").port());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let frame = frame.clone();
                let checksums = checksums.clone();
                tokio::spawn(async move {
                    let mut head = [0u8; 4096];
                    let n = socket.read(&mut head).await.unwrap_or(0);
                    let request = String::from_utf8_lossy(&head[..n]).to_ascii_lowercase();
                    let mut response = format!("HTTP/1.1 200 OK\r\ncontent-length: {size}\r\n");
                    for (algorithm, value) in &checksums {
                        if request.contains(&format!("want: {}", algorithm.name().to_ascii_lowercase())) {
                            response.push_str(&format!("{}: {value}\r\n", algorithm.header()));
                        }
                    }
                    response.push_str("connection: close\r\n\r\n");
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                    for _ in 0..size / PIECE {
                        if socket.write_all(&frame).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        url
    });
    let client = s3_runtime::transport::HyperClient::new(&s3_runtime::transport::TransportSettings::default());
    let mut best = [f64::MAX; 3];
    let mut cpu = [f64::MAX; 3];
    for _ in 0..5 {
        for (i, want) in [None, Some(Algorithm::Crc32), Some(Algorithm::Crc64Nvme)].into_iter().enumerate() {
            let cpu_before = cpu_seconds();
            let started = Instant::now();
            let read = runtime.block_on(async {
                use s3_runtime::transport::HttpClient as _;
                let mut request = http::Request::builder().uri(url.as_str());
                if let Some(algorithm) = want {
                    request = request.header("want", algorithm.name());
                }
                let response = client.call(request.body(ByteStream::default()).expect("a request")).await.expect("a response");
                let headers =
                    response.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned())).collect();
                let mut response = HttpResponse::new(200, headers, response.into_body());
                validate_response(&mut response, "GetObject", &["CRC32", "CRC64NVME"]).expect("valid");
                let mut n = 0;
                while let Some(chunk) = response.body.next().await {
                    n += chunk.expect("the checksum matches").len();
                }
                n
            });
            assert_eq!(read, size);
            best[i] = best[i].min(started.elapsed().as_secs_f64());
            cpu[i] = cpu[i].min(cpu_seconds() - cpu_before);
        }
    }
    println!("\n1 GiB GET over loopback (HyperClient, 2 workers; server and client in this process), best of 5");
    println!("validation    MB/s   wall      CPU s (server + client)");
    for ((label, secs), used) in ["none", "CRC32", "CRC64NVME"].iter().zip(best).zip(cpu) {
        println!(
            "{label:<11} {:>6.0}  {:+6.1}%   {used:.2} ({:+.2})",
            size as f64 / 1e6 / secs,
            (secs / best[0] - 1.0) * 100.0,
            used - cpu[0]
        );
    }
}

/// User + system CPU seconds of this process so far (Linux: `/proc/self/stat`, in clock
/// ticks of 1/100 s); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // The fields after the command name (which is in parentheses and may hold spaces).
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// `left` copies of one frame, as a network body yields them.
struct Frames {
    frame: Bytes,
    left: usize,
}

impl futures_core::Stream for Frames {
    type Item = Result<http_body::Frame<Bytes>, std::convert::Infallible>;
    fn poll_next(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.left == 0 {
            return std::task::Poll::Ready(None);
        }
        this.left -= 1;
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(this.frame.clone()))))
    }
}
