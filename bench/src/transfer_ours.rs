//! Managed transfers with `s3-transfer` (default `TransferConfig`).

mod common;
mod ours;
mod transfers;

use common::fail;
use s3_transfer::{DirectoryOptions, TransferManager};
use transfers::{check_dir, check_file, Args, Measure};

fn main() {
    let args = Args::parse();
    common::runtime().block_on(async {
        let client = ours::client(&args.endpoint);
        let tm = TransferManager::new(client);
        let bucket = args.bucket();
        let m = Measure::start();
        let (ops, bytes) = match args.scenario.as_str() {
            "upload-file" => {
                let out = tm.upload_file(args.big_file(), bucket, "up/big", &Default::default()).await;
                (1, out.unwrap_or_else(|e| fail(format!("upload_file: {e}"))).size)
            }
            "download-file" => {
                let path = args.out.join("big.bin");
                tm.download_file(bucket, &args.big_key(), &path, &Default::default()).await.unwrap_or_else(|e| fail(format!("download_file: {e}")));
                check_file(&path, args.size);
                (1, args.size)
            }
            "upload-dir" => {
                let out = tm.upload_directory(args.files_dir(), bucket, "up/dir/", &Default::default(), &DirectoryOptions::default()).await;
                let out = out.unwrap_or_else(|e| fail(format!("upload_directory: {e}")));
                (out.transferred.len(), out.bytes)
            }
            "download-dir" => {
                let dir = args.out.join("dir");
                let out = tm.download_directory(bucket, "dir/", &dir, &Default::default(), &DirectoryOptions::default()).await;
                let out = out.unwrap_or_else(|e| fail(format!("download_directory: {e}")));
                (out.transferred.len(), check_dir(&dir))
            }
            other => fail(format!("unknown scenario {other}")),
        };
        m.report("ours", &args.scenario, ops, bytes);
    });
}
