//! boto3: "Download a specific version of an object".
//!
//! ```python
//! s3.download_file(BUCKET, 'report.csv', 'report-v1.csv',
//!                  ExtraArgs={'VersionId': first_version})
//! ```
//!
//! `get_object().version_id(..)` picks the version; its body is written to the file a
//! chunk at a time with `ByteStream::next()`, never held whole in memory.

use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::types::{BucketVersioningStatus, VersioningConfiguration};
use s3::Client;
use tokio::io::AsyncWriteExt;

async fn download_version(client: Client, bucket: String) -> s3_examples::Result {
    client
        .put_bucket_versioning()
        .bucket(&bucket)
        .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
        .send()
        .await?;
    // A first version large enough to arrive in several chunks, then a second one.
    let first: Vec<u8> = (0..300_000u32).flat_map(|i| format!("{i},first\n").into_bytes()).collect();
    let v1 = client.put_object().bucket(&bucket).key("report.csv").body(ByteStream::from(first.clone())).send().await?;
    let v2 = client.put_object().bucket(&bucket).key("report.csv").body(ByteStream::from_static(b"0,second\n")).send().await?;
    let first_version = v1.version_id.ok_or("the bucket is versioned: PutObject returns a version id")?;
    assert_ne!(Some(&first_version), v2.version_id.as_ref());

    let path = std::env::temp_dir().join(format!("{bucket}-report-v1.csv"));
    let out = client.get_object().bucket(&bucket).key("report.csv").version_id(&first_version).send().await?;
    assert_eq!(out.version_id.as_deref(), Some(first_version.as_str()));
    let mut body = out.body.unwrap_or_default();
    let mut file = tokio::fs::File::create(&path).await?;
    let mut chunks = 0;
    while let Some(chunk) = body.next().await {
        file.write_all(&chunk?).await?;
        chunks += 1;
    }
    file.flush().await?;
    drop(file);
    let written = std::fs::read(&path)?;
    std::fs::remove_file(&path)?;
    println!("downloaded version {first_version} of report.csv: {} bytes in {chunks} chunks", written.len());
    assert_eq!(written.len(), first.len());
    assert!(written == first, "the file holds the first version");

    // Without a version id, the latest.
    let latest = client.get_object().bucket(&bucket).key("report.csv").send().await?;
    assert_eq!(latest.version_id, v2.version_id);
    assert_eq!(latest.body.unwrap_or_default().collect().await?, b"0,second\n");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("download_version", download_version).await
}
