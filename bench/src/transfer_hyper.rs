//! The floor of the managed transfers: the same bytes with a bare hyper client, 10 at
//! a time (parts of 8 MiB for the big file, whole files for the directory), no
//! signing, no checksums, no XML.

mod common;
mod transfers;

use std::os::unix::fs::FileExt;
use std::sync::Arc;

use bytes::Bytes;
use common::fail;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use transfers::{check_dir, check_file, Args, Measure, FILES, FILE_SIZE};

const PART: u64 = 8 << 20;
const CONCURRENCY: usize = 10;

#[derive(Clone)]
struct Hyper {
    client: hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>,
    base: String,
}

impl Hyper {
    async fn put(&self, key: &str, body: Bytes) {
        let request = http::Request::put(format!("{}/{key}", self.base)).body(Full::new(body)).expect("valid request");
        let response = self.client.request(request).await.unwrap_or_else(|e| fail(format!("PUT: {e}")));
        if !response.status().is_success() {
            fail(format!("PUT {key}: {}", response.status()));
        }
        response.into_body().collect().await.unwrap_or_else(|e| fail(format!("PUT body: {e}")));
    }

    /// GETs `key` (a range of it when given) into `file` at `offset`.
    async fn get_into(&self, key: &str, range: Option<(u64, u64)>, file: Arc<std::fs::File>, offset: u64) -> u64 {
        let mut request = http::Request::get(format!("{}/{key}", self.base));
        if let Some((a, b)) = range {
            request = request.header(http::header::RANGE, format!("bytes={a}-{b}"));
        }
        let response = self.client.request(request.body(Full::new(Bytes::new())).expect("valid request")).await;
        let response = response.unwrap_or_else(|e| fail(format!("GET: {e}")));
        if !response.status().is_success() {
            fail(format!("GET {key}: {}", response.status()));
        }
        let data = response.into_body().collect().await.unwrap_or_else(|e| fail(format!("GET body: {e}"))).to_bytes();
        let len = data.len() as u64;
        tokio::task::spawn_blocking(move || file.write_all_at(&data, offset)).await.expect("write task").unwrap_or_else(|e| fail(e));
        len
    }
}

/// Runs `op(i)` for `i` in `0..n`, `CONCURRENCY` at a time.
async fn each<F, Fut>(n: usize, op: F) -> u64
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = u64> + Send,
{
    common::run_concurrently(n, CONCURRENCY, move |task, i| op(i * CONCURRENCY + task)).await
}

fn main() {
    let args = Args::parse();
    common::runtime().block_on(async {
        let h = Hyper {
            client: hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http(),
            base: format!("{}/{}", args.endpoint.trim_end_matches('/'), args.bucket()),
        };
        let m = Measure::start();
        let parts = args.size.div_ceil(PART) as usize;
        let (ops, bytes) = match args.scenario.as_str() {
            "upload-file" => {
                let file = Arc::new(std::fs::File::open(args.big_file()).unwrap_or_else(|e| fail(e)));
                let size = args.size;
                let bytes = each(parts, move |i| {
                    let (h, file) = (h.clone(), file.clone());
                    async move {
                        let offset = i as u64 * PART;
                        let len = PART.min(size - offset) as usize;
                        let data = tokio::task::spawn_blocking(move || {
                            let mut buf = vec![0; len];
                            file.read_exact_at(&mut buf, offset).map(|()| buf)
                        });
                        let data = data.await.expect("read task").unwrap_or_else(|e| fail(e));
                        h.put(&format!("up/big/part{i}"), Bytes::from(data)).await;
                        len as u64
                    }
                })
                .await;
                (1, bytes)
            }
            "download-file" => {
                let path = args.out.join("big.bin");
                let file = Arc::new(std::fs::File::create(&path).unwrap_or_else(|e| fail(e)));
                let (size, key) = (args.size, args.big_key());
                let bytes = each(parts, move |i| {
                    let (h, file, key) = (h.clone(), file.clone(), key.clone());
                    async move {
                        let offset = i as u64 * PART;
                        h.get_into(&key, Some((offset, (offset + PART).min(size) - 1)), file, offset).await
                    }
                })
                .await;
                check_file(&path, size);
                (1, bytes)
            }
            "upload-dir" => {
                let dir = args.files_dir();
                let bytes = each(FILES, move |i| {
                    let (h, path) = (h.clone(), dir.join(format!("f{i:04}")));
                    async move {
                        let data = tokio::fs::read(&path).await.unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
                        let len = data.len() as u64;
                        h.put(&format!("up/dir/f{i:04}"), Bytes::from(data)).await;
                        len
                    }
                })
                .await;
                if bytes != FILES as u64 * FILE_SIZE {
                    fail(format!("uploaded {bytes} bytes"));
                }
                (FILES, bytes)
            }
            "download-dir" => {
                let dir = args.out.join("dir");
                std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(e));
                let target = dir.clone();
                each(FILES, move |i| {
                    let (h, path) = (h.clone(), target.join(format!("f{i:04}")));
                    async move {
                        let file = Arc::new(std::fs::File::create(&path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display()))));
                        h.get_into(&format!("dir/f{i:04}"), None, file, 0).await
                    }
                })
                .await;
                (FILES, check_dir(&dir))
            }
            other => fail(format!("unknown scenario {other}")),
        };
        m.report("hyper", &args.scenario, ops, bytes);
    });
}
