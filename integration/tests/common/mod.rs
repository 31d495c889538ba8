//! Helpers shared by the live tests against moto (`live_moto.rs`,
//! `live_moto_coverage.rs`): a client for the server in `S3_TEST_MOTO_URL`, a runtime,
//! and bucket cleanup. Each test file is its own crate and uses only some of them.
#![allow(dead_code)]

use std::future::Future;

use s3::{Client, Config};

pub fn moto_url() -> String {
    std::env::var("S3_TEST_MOTO_URL").expect("S3_TEST_MOTO_URL is not set: run these tests with `cargo xtask test`")
}

/// A client for moto, path style or (through `localhost`, which moto treats as a
/// wildcard domain) virtual-hosted style.
pub fn client(path_style: bool) -> Client {
    let url = moto_url();
    let url = if path_style { url } else { url.replace("127.0.0.1", "localhost") };
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .force_path_style(path_style)
            .credentials(s3_runtime::credentials::Credentials::new("testing", "testing", None))
            .build(),
    )
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Aborts multipart uploads, deletes every object version and delete marker (bypassing
/// governance-mode retention), and deletes the bucket. Errors are ignored: the bucket
/// may not exist.
pub async fn cleanup(client: &Client, bucket: &str) {
    if let Ok(page) = client.list_multipart_uploads().bucket(bucket).send().await {
        for u in page.uploads() {
            let _ = client
                .abort_multipart_upload()
                .bucket(bucket)
                .key(u.key.clone().unwrap())
                .upload_id(u.upload_id.clone().unwrap())
                .send()
                .await;
        }
    }
    if let Ok(page) = client.list_object_versions().bucket(bucket).send().await {
        let versions = page.versions().iter().map(|v| (v.key.clone(), v.version_id.clone()));
        let markers = page.delete_markers().iter().map(|m| (m.key.clone(), m.version_id.clone()));
        for (key, version) in versions.chain(markers) {
            let _ = client
                .delete_object()
                .bucket(bucket)
                .key(key.unwrap())
                .set_version_id(version)
                .bypass_governance_retention(true)
                .send()
                .await;
        }
    }
    if let Ok(page) = client.list_objects_v2().bucket(bucket).send().await {
        for o in page.contents() {
            let _ = client.delete_object().bucket(bucket).key(o.key.clone().unwrap()).send().await;
        }
    }
    let _ = client.delete_bucket().bucket(bucket).send().await;
}

/// Runs `test` with a path-style client, then cleans up `buckets` whether the test
/// passed or panicked (the test runs as a task, so its panic is caught), and then
/// re-raises the test's panic.
pub fn with_cleanup<F, Fut>(buckets: &[&str], test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    runtime().block_on(async {
        let client = client(true);
        for bucket in buckets {
            cleanup(&client, bucket).await;
        }
        let outcome = tokio::spawn(test(client.clone())).await;
        for bucket in buckets {
            cleanup(&client, bucket).await;
        }
        if let Err(err) = outcome {
            match err.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(err) => panic!("the test task failed: {err}"),
            }
        }
    });
}
