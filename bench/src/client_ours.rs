//! The benchmark scenarios with this project's generated client (`s3`).

mod common;
mod ours;

use common::{fail, GenBody, BUCKET, SMALL_SIZE};
use s3::primitives::ByteStream;

#[derive(Clone)]
struct Ours(s3::Client);

static SMALL: [u8; SMALL_SIZE] = [b's'; SMALL_SIZE];

impl common::Client for Ours {
    const NAME: &'static str = "ours";

    async fn put_get(&self, key: String) -> u64 {
        let put = self.0.put_object().bucket(BUCKET).key(&key).body(ByteStream::from_static(&SMALL)).send().await;
        put.unwrap_or_else(|e| fail(format!("PutObject: {e}")));
        let out = self.0.get_object().bucket(BUCKET).key(&key).send().await.unwrap_or_else(|e| fail(format!("GetObject: {e}")));
        let data = out.body.unwrap_or_default().collect_bytes().await.unwrap_or_else(|e| fail(format!("GetObject body: {e}")));
        common::check_small(data.len())
    }

    async fn list_page(&self) -> u64 {
        let page = self.0.list_objects_v2().bucket(BUCKET).send().await.unwrap_or_else(|e| fail(format!("ListObjectsV2: {e}")));
        common::check_page(page.contents().iter().map(|o| (o.key.is_some(), o.size.unwrap_or(0))))
    }

    async fn get(&self, size: u64) -> u64 {
        let out = self.0.get_object().bucket(BUCKET).key(format!("big/{size}")).send().await;
        let mut body = out.unwrap_or_else(|e| fail(format!("GetObject: {e}"))).body.unwrap_or_default();
        let mut received = 0u64;
        while let Some(chunk) = body.next().await {
            received += chunk.unwrap_or_else(|e| fail(format!("GetObject body: {e}"))).len() as u64;
        }
        received
    }

    async fn put(&self, size: u64) {
        let body = ByteStream::from_body(GenBody::new(size));
        let put = self.0.put_object().bucket(BUCKET).key("big/upload").content_length(size as i64).body(body).send().await;
        put.unwrap_or_else(|e| fail(format!("PutObject: {e}")));
    }
}

fn main() {
    common::run(|endpoint| {
        Ours(ours::client(endpoint))
    });
}
