//! The benchmark scenarios with the official `aws-sdk-s3`, configured as a user would
//! for a local server (default features, default behaviour version, static keys).

mod common;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use common::{fail, Args, GenBody, Measure, BUCKET, SMALL_SIZE};

fn client(endpoint: &str) -> Client {
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .force_path_style(true)
        .credentials_provider(Credentials::new("AKIDBENCH", "bench-secret-key", None, None, "bench"))
        .build();
    Client::from_conf(conf)
}

async fn put_get(client: &Client, key: String, body: &'static [u8]) -> u64 {
    client
        .put_object()
        .bucket(BUCKET)
        .key(&key)
        .body(ByteStream::from_static(body))
        .send()
        .await
        .unwrap_or_else(|e| fail(format!("PutObject: {e:?}")));
    let out = client.get_object().bucket(BUCKET).key(&key).send().await.unwrap_or_else(|e| fail(format!("GetObject: {e:?}")));
    let data = out.body.collect().await.unwrap_or_else(|e| fail(format!("GetObject body: {e}"))).into_bytes();
    if data.len() != SMALL_SIZE {
        fail(format!("GetObject returned {} bytes", data.len()));
    }
    (body.len() + data.len()) as u64
}

async fn list_page(client: &Client) -> u64 {
    let page = client.list_objects_v2().bucket(BUCKET).send().await.unwrap_or_else(|e| fail(format!("ListObjectsV2: {e:?}")));
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
                m.report("aws-sdk-s3", &args, 2 * args.n, bytes);
            }
            "list" => {
                list_page(&client).await;
                let m = Measure::start();
                let mut total = 0;
                for _ in 0..args.n {
                    total += list_page(&client).await;
                }
                m.report("aws-sdk-s3", &args, args.n, total);
            }
            "get" => {
                let m = Measure::start();
                let out = client
                    .get_object()
                    .bucket(BUCKET)
                    .key(format!("big/{}", args.size))
                    .send()
                    .await
                    .unwrap_or_else(|e| fail(format!("GetObject: {e:?}")));
                let mut body = out.body;
                let mut received = 0u64;
                while let Some(chunk) = body.next().await {
                    received += chunk.unwrap_or_else(|e| fail(format!("GetObject body: {e}"))).len() as u64;
                }
                if received != args.size {
                    fail(format!("received {received} of {} bytes", args.size));
                }
                m.report("aws-sdk-s3", &args, 1, received);
            }
            "put" => {
                let m = Measure::start();
                client
                    .put_object()
                    .bucket(BUCKET)
                    .key("big/upload")
                    .content_length(args.size as i64)
                    .body(ByteStream::from_body_1_x(GenBody::new(args.size)))
                    .send()
                    .await
                    .unwrap_or_else(|e| fail(format!("PutObject: {e:?}")));
                m.report("aws-sdk-s3", &args, 1, args.size);
            }
            other => fail(format!("unknown scenario {other}")),
        }
    });
}
