//! Transfers against s3s-fs (`S3_TEST_S3S_URL`), which verifies every SigV4 signature
//! (multipart parts and checksums included): what we upload boto3 downloads byte-equal
//! and the reverse, with the same multipart ETag.

use s3::{Client, Config};

mod common;

const ACCESS: &str = "AKIDS3SFSTEST";
const SECRET: &str = "s3s-fs-secret-key";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
async fn interop_with_boto3_through_s3s_fs() {
    let url = std::env::var("S3_TEST_S3S_URL").expect("S3_TEST_S3S_URL");
    let python = std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON");
    let client = Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&url)
            .force_path_style(true)
            .credentials(s3_runtime::Credentials::new(ACCESS, SECRET, None))
            .build(),
    );
    common::interop(&python, &url, client, ACCESS, SECRET).await;
}
