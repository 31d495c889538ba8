//! The floor: the same transfers with a bare hyper client (no signing, no parsing),
//! the practical limit for an HTTP/1.1 client on this machine.

mod common;

use bytes::Bytes;
use common::{fail, Args, GenBody, Measure, BUCKET, SMALL_SIZE};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

type Body = http_body_util::combinators::BoxBody<Bytes, std::convert::Infallible>;

fn request(method: &str, uri: String, body: Body, len: u64) -> http::Request<Body> {
    http::Request::builder()
        .method(method)
        .uri(uri)
        .header(http::header::CONTENT_LENGTH, len)
        .body(body)
        .expect("valid request")
}

fn main() {
    let args = Args::parse();
    let rt = common::runtime();
    rt.block_on(async {
        let client: Client<HttpConnector, Body> = Client::builder(TokioExecutor::new()).build_http();
        let base = format!("{}/{BUCKET}", args.endpoint.trim_end_matches('/'));
        match args.scenario.as_str() {
            "small" => {
                let run = |n| {
                    let (client, base) = (client.clone(), base.clone());
                    common::run_concurrently(n, args.concurrency, move |task, i| {
                        let (client, base) = (client.clone(), base.clone());
                        async move {
                            let uri = format!("{base}/small/{task}/{i}");
                            let body = Full::new(Bytes::from_static(&[b's'; SMALL_SIZE])).boxed();
                            let resp = client.request(request("PUT", uri.clone(), body, SMALL_SIZE as u64)).await;
                            let resp = resp.unwrap_or_else(|e| fail(format!("PUT: {e}")));
                            resp.into_body().collect().await.unwrap_or_else(|e| fail(format!("PUT body: {e}")));
                            let empty = Full::new(Bytes::new()).boxed();
                            let resp = client.request(request("GET", uri, empty, 0)).await;
                            let resp = resp.unwrap_or_else(|e| fail(format!("GET: {e}")));
                            let data = resp.into_body().collect().await.unwrap_or_else(|e| fail(format!("GET body: {e}"))).to_bytes();
                            if data.len() != SMALL_SIZE {
                                fail(format!("GET returned {} bytes", data.len()));
                            }
                            2 * SMALL_SIZE as u64
                        }
                    })
                };
                run(args.concurrency * 4).await;
                let m = Measure::start();
                let bytes = run(args.n).await;
                m.report("hyper", &args, 2 * args.n, bytes);
            }
            "get" => {
                let m = Measure::start();
                let empty = Full::new(Bytes::new()).boxed();
                let resp = client.request(request("GET", format!("{base}/big/{}", args.size), empty, 0)).await;
                let mut body = resp.unwrap_or_else(|e| fail(format!("GET: {e}"))).into_body();
                let mut received = 0u64;
                while let Some(frame) = body.frame().await {
                    if let Ok(data) = frame.unwrap_or_else(|e| fail(format!("GET body: {e}"))).into_data() {
                        received += data.len() as u64;
                    }
                }
                if received != args.size {
                    fail(format!("received {received} of {} bytes", args.size));
                }
                m.report("hyper", &args, 1, received);
            }
            "put" => {
                let m = Measure::start();
                let body = GenBody::new(args.size).boxed();
                let resp = client.request(request("PUT", format!("{base}/big/upload"), body, args.size)).await;
                let resp = resp.unwrap_or_else(|e| fail(format!("PUT: {e}")));
                if !resp.status().is_success() {
                    fail(format!("PUT: {}", resp.status()));
                }
                resp.into_body().collect().await.unwrap_or_else(|e| fail(format!("PUT body: {e}")));
                m.report("hyper", &args, 1, args.size);
            }
            other => fail(format!("unknown scenario {other} (the hyper floor has small, get and put)")),
        }
    });
}
