//! A quick throughput measure of each checksum algorithm and of response validation
//! (not a test; numbers go to BENCHMARKS.md):
//!
//! ```sh
//! cargo run --release -p s3-runtime --example checksum_throughput
//! ```
//!
//! 1. each algorithm over 256 MiB in 64 KiB pieces (as a body arrives), MB/s;
//! 2. a 1 GiB body of 64 KiB frames read through `ByteStream` as it comes from the
//!    network, without and with `checksum::validate_response` (CRC32, CRC64NVME).

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
