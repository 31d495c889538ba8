//! The benchmark scenarios with this project's generated client (`s3`).

mod common;

use common::{fail, Args, GenBody, Measure, BUCKET, SMALL_SIZE};
use s3::primitives::ByteStream;
use s3::{Client, Config};

fn client(endpoint: &str) -> Client {
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .force_path_style(true)
            .credentials(s3_runtime::credentials::Credentials::new("AKIDBENCH", "bench-secret-key", None))
            .build(),
    )
}

async fn put_get(client: &Client, key: String, body: &'static [u8]) -> u64 {
    client
        .put_object()
        .bucket(BUCKET)
        .key(&key)
        .body(ByteStream::from_static(body))
        .send()
        .await
        .unwrap_or_else(|e| fail(format!("PutObject: {e}")));
    let out = client.get_object().bucket(BUCKET).key(&key).send().await.unwrap_or_else(|e| fail(format!("GetObject: {e}")));
    let data = out.body.unwrap_or_default().collect_bytes().await.unwrap_or_else(|e| fail(format!("GetObject body: {e}")));
    if data.len() != SMALL_SIZE {
        fail(format!("GetObject returned {} bytes", data.len()));
    }
    (body.len() + data.len()) as u64
}

async fn list_page(client: &Client) -> u64 {
    let page = client.list_objects_v2().bucket(BUCKET).send().await.unwrap_or_else(|e| fail(format!("ListObjectsV2: {e}")));
    let objects = page.contents();
    if objects.len() != 1000 || objects.iter().any(|o| o.key.is_none()) {
        fail(format!("ListObjectsV2 returned {} objects", objects.len()));
    }
    objects.iter().map(|o| o.size.unwrap_or(0) as u64).sum()
}

fn main() {
    let args = Args::parse();
    let rt = common::runtime();
    rt.block_on(async {
        let client = client(&args.endpoint);
        static SMALL: [u8; SMALL_SIZE] = [b's'; SMALL_SIZE];
        match args.scenario.as_str() {
            "small" => {
                let run = |n| {
                    let client = client.clone();
                    common::run_concurrently(n, args.concurrency, move |task, i| {
                        let client = client.clone();
                        async move { put_get(&client, format!("small/{task}/{i}"), &SMALL).await }
                    })
                };
                run(args.concurrency * 4).await; // warm-up: open the connections
                let m = Measure::start();
                let bytes = run(args.n).await;
                m.report("ours", &args, 2 * args.n, bytes);
            }
            "list" => {
                list_page(&client).await;
                let m = Measure::start();
                let mut total = 0;
                for _ in 0..args.n {
                    total += list_page(&client).await;
                }
                m.report("ours", &args, args.n, total);
            }
            "get" => {
                let m = Measure::start();
                let out = client
                    .get_object()
                    .bucket(BUCKET)
                    .key(format!("big/{}", args.size))
                    .send()
                    .await
                    .unwrap_or_else(|e| fail(format!("GetObject: {e}")));
                let mut body = out.body.unwrap_or_default();
                let mut received = 0u64;
                while let Some(chunk) = body.next().await {
                    received += chunk.unwrap_or_else(|e| fail(format!("GetObject body: {e}"))).len() as u64;
                }
                if received != args.size {
                    fail(format!("received {received} of {} bytes", args.size));
                }
                m.report("ours", &args, 1, received);
            }
            "put" => {
                let m = Measure::start();
                client
                    .put_object()
                    .bucket(BUCKET)
                    .key("big/upload")
                    .content_length(args.size as i64)
                    .body(ByteStream::from_body(GenBody::new(args.size)))
                    .send()
                    .await
                    .unwrap_or_else(|e| fail(format!("PutObject: {e}")));
                m.report("ours", &args, 1, args.size);
            }
            other => fail(format!("unknown scenario {other}")),
        }
    });
}
