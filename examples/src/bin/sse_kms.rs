//! boto3: "Upload and get an object encrypted with SSE-KMS" (the guide's encryption
//! examples).
//!
//! ```python
//! s3.put_object(Bucket=BUCKET, Key='encrypt-key', Body=b'foobar',
//!               ServerSideEncryption='aws:kms',
//!               # Optional: SSEKMSKeyId
//!               SSEKMSKeyId=keyid)
//! response = s3.get_object(Bucket=BUCKET, Key='encrypt-key')
//! print('Get Object:', response['Body'].read())
//! ```
//!
//! The key id is optional: `S3_EXAMPLES_KMS_KEY_ID` names one; without it S3 uses the
//! account's AWS managed key (`aws/s3`). moto accepts any key id, so against moto a
//! made-up one is used.

use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::types::ServerSideEncryption;
use s3::Client;

async fn sse_kms(client: Client, bucket: String) -> s3_examples::Result {
    let key_id = match std::env::var("S3_EXAMPLES_KMS_KEY_ID") {
        Ok(id) => Some(id),
        Err(_) if s3_examples::against_moto() => Some("1234abcd-12ab-34cd-56ef-1234567890ab".to_owned()),
        Err(_) => None,
    };

    let put = client
        .put_object()
        .bucket(&bucket)
        .key("encrypt-key")
        .body(ByteStream::from_static(b"foobar"))
        .server_side_encryption(ServerSideEncryption::AwsKms)
        .set_ssekms_key_id(key_id.clone())
        .send()
        .await?;
    println!("Put Object: encryption {:?}, key {:?}", put.server_side_encryption, put.ssekms_key_id);
    assert_eq!(put.server_side_encryption, Some(ServerSideEncryption::AwsKms));
    // S3 answers with the key's ARN, which ends with the key id (or is the ARN given);
    // moto echoes the id. An alias (`alias/…`) is answered with the ARN of its key.
    if let Some(wanted) = key_id.as_deref().filter(|id| !id.starts_with("alias/")) {
        let used = put.ssekms_key_id.as_deref().unwrap_or_default();
        assert!(used.ends_with(wanted), "encrypted with {used:?}, not {wanted:?}");
    }

    let got = client.get_object().bucket(&bucket).key("encrypt-key").send().await?;
    assert_eq!(got.server_side_encryption, Some(ServerSideEncryption::AwsKms));
    assert_eq!(got.ssekms_key_id, put.ssekms_key_id);
    let body = got.body.unwrap_or_default().collect().await?;
    println!("Get Object: {}", String::from_utf8_lossy(&body));
    assert_eq!(body, b"foobar");
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("sse_kms", sse_kms).await
}
