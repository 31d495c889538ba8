//! The floor: the same transfers with a bare hyper client (no signing, no parsing),
//! the practical limit for an HTTP/1.1 client on this machine.

mod common;

use bytes::Bytes;
use common::{fail, GenBody, BUCKET, SMALL_SIZE};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type Body = http_body_util::combinators::BoxBody<Bytes, std::convert::Infallible>;

#[derive(Clone)]
struct Hyper {
    client: hyper_util::client::legacy::Client<HttpConnector, Body>,
    base: String,
}

impl Hyper {
    async fn send(&self, method: &str, path: &str, body: Body, len: u64) -> http::Response<hyper::body::Incoming> {
        let request = http::Request::builder()
            .method(method)
            .uri(format!("{}/{path}", self.base))
            .header(http::header::CONTENT_LENGTH, len)
            .body(body)
            .expect("valid request");
        let response = self.client.request(request).await.unwrap_or_else(|e| fail(format!("{method}: {e}")));
        if !response.status().is_success() {
            fail(format!("{method}: {}", response.status()));
        }
        response
    }
}

impl common::Client for Hyper {
    const NAME: &'static str = "hyper";

    async fn put_get(&self, key: String) -> u64 {
        let small = Full::new(Bytes::from_static(&[b's'; SMALL_SIZE])).boxed();
        let put = self.send("PUT", &key, small, SMALL_SIZE as u64).await;
        put.into_body().collect().await.unwrap_or_else(|e| fail(format!("PUT body: {e}")));
        let get = self.send("GET", &key, Full::new(Bytes::new()).boxed(), 0).await;
        let data = get.into_body().collect().await.unwrap_or_else(|e| fail(format!("GET body: {e}"))).to_bytes();
        common::check_small(data.len())
    }

    async fn list_page(&self) -> u64 {
        fail("the hyper floor has no list scenario (it would not parse the page)")
    }

    async fn get(&self, size: u64) -> u64 {
        let mut body = self.send("GET", &format!("big/{size}"), Full::new(Bytes::new()).boxed(), 0).await.into_body();
        let mut received = 0u64;
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap_or_else(|e| fail(format!("GET body: {e}"))).into_data() {
                received += data.len() as u64;
            }
        }
        received
    }

    async fn put(&self, size: u64) {
        let response = self.send("PUT", "big/upload", GenBody::new(size).boxed(), size).await;
        response.into_body().collect().await.unwrap_or_else(|e| fail(format!("PUT body: {e}")));
    }
}

fn main() {
    common::run(|endpoint| Hyper {
        client: hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http(),
        base: format!("{}/{BUCKET}", endpoint.trim_end_matches('/')),
    });
}
