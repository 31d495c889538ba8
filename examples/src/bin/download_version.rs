//! boto3: "Download a specific version of an object".
//!
//! ```python
//! s3.download_file(BUCKET, 'report.csv', 'report-v1.csv',
//!                  ExtraArgs={'VersionId': first_version})
//! ```
//!
//! As in boto3, the managed transfer's `download_file` with the version id in its
//! arguments (`DownloadArgs::version_id`, s3transfer's `ExtraArgs`). The multipart
//! threshold is lowered so that the first version arrives in several ranged GETs, each of
//! which must ask for that version (the latest one is a different, shorter body).

use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::types::{BucketVersioningStatus, VersioningConfiguration};
use s3::Client;
use s3_transfer::{DownloadArgs, TransferConfig, TransferManager, MIB};

async fn download_version(client: Client, bucket: String) -> s3_examples::Result {
    client
        .put_bucket_versioning()
        .bucket(&bucket)
        .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
        .send()
        .await?;
    // A first version of a few MiB, then a short second one.
    let first: Vec<u8> = (0..300_000u32).flat_map(|i| format!("{i},first\n").into_bytes()).collect();
    let v1 = client.put_object().bucket(&bucket).key("report.csv").body(ByteStream::from(first.clone())).send().await?;
    let v2 = client.put_object().bucket(&bucket).key("report.csv").body(ByteStream::from_static(b"0,second\n")).send().await?;
    let first_version = v1.version_id.ok_or("the bucket is versioned: PutObject returns a version id")?;
    assert_ne!(Some(&first_version), v2.version_id.as_ref());

    let config = TransferConfig::default().multipart_threshold(MIB).multipart_chunksize(MIB);
    let transfers = TransferManager::new(client).with_config(config);
    let path = std::env::temp_dir().join(format!("{bucket}-report-v1.csv"));
    let args = DownloadArgs { version_id: Some(first_version.clone()), ..DownloadArgs::default() };
    let out = transfers.download_file(&bucket, "report.csv", &path, &args).await?;
    let written = std::fs::read(&path)?;
    std::fs::remove_file(&path)?;
    println!("downloaded version {first_version} of report.csv: {} bytes in {} ranged GETs", out.size, out.parts);
    assert_eq!(out.size, first.len() as u64);
    assert!(out.parts > 1, "a multipart download");
    assert!(written == first, "the file holds the first version");

    // Without a version id, the latest.
    let latest = std::env::temp_dir().join(format!("{bucket}-report.csv"));
    transfers.download_file(&bucket, "report.csv", &latest, &DownloadArgs::default()).await?;
    let written = std::fs::read(&latest)?;
    std::fs::remove_file(&latest)?;
    assert_eq!(written, b"0,second\n");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("download_version", download_version).await
}
