//! Managed transfers with `aws-sdk-s3-transfer-manager` (default configuration, the
//! S3 client configured as in `client_aws.rs`).

mod common;
mod transfers;

use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3_transfer_manager::io::InputStream;
use common::fail;
use transfers::{check_dir, check_file, Args, Measure};

fn main() {
    let args = Args::parse();
    common::runtime().block_on(async {
        let s3 = aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&args.endpoint)
            .force_path_style(true)
            .credentials_provider(Credentials::new("AKIDBENCH", "bench-secret-key", None, None, "bench"));
        let config = aws_sdk_s3_transfer_manager::Config::builder()
            .s3_config(s3)
            .build();
        let tm = aws_sdk_s3_transfer_manager::Client::new(config);
        let bucket = args.bucket();
        let m = Measure::start();
        let (ops, bytes) = match args.scenario.as_str() {
            "upload-file" => {
                let stream = InputStream::from_path(args.big_file()).unwrap_or_else(|e| fail(format!("from_path: {e}")));
                let handle = tm.upload().bucket(bucket).key("up/big").body(stream).initiate().unwrap_or_else(|e| fail(format!("upload: {e}")));
                handle.join().await.unwrap_or_else(|e| fail(format!("upload: {e:?}")));
                (1, args.size)
            }
            "download-file" => {
                let path = args.out.join("big.bin");
                let handle = tm.download().bucket(bucket).key(args.big_key()).write_to_path(&path).await;
                let handle = handle.unwrap_or_else(|e| fail(format!("download: {e:?}")));
                handle.join().await.unwrap_or_else(|e| fail(format!("download: {e:?}")));
                check_file(&path, args.size);
                (1, args.size)
            }
            "upload-dir" => {
                let handle = tm.upload_objects().source(args.files_dir()).bucket(bucket).key_prefix("up/dir/").initiate();
                let out = handle.unwrap_or_else(|e| fail(format!("upload_objects: {e}"))).join().await;
                let out = out.unwrap_or_else(|e| fail(format!("upload_objects: {e:?}")));
                if !out.failed_transfers().is_empty() {
                    fail(format!("upload_objects: {} failed", out.failed_transfers().len()));
                }
                (out.objects_uploaded() as usize, transfers::FILES as u64 * transfers::FILE_SIZE)
            }
            "download-dir" => {
                let dir = args.out.join("dir");
                // Its `download_objects` writes into the destination but does not create it.
                std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())));
                let handle = tm.download_objects().bucket(bucket).key_prefix("dir/").destination(&dir).initiate();
                let out = handle.unwrap_or_else(|e| fail(format!("download_objects: {e}"))).join().await;
                let out = out.unwrap_or_else(|e| fail(format!("download_objects: {e:?}")));
                (out.objects_downloaded() as usize, check_dir(&dir))
            }
            other => fail(format!("unknown scenario {other}")),
        };
        m.report("aws-transfer-manager", &args.scenario, ops, bytes);
    });
}
