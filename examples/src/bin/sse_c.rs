//! boto3: "Upload and get an object encrypted with SSE-C" (customer-provided keys).
//!
//! ```python
//! key = os.urandom(32)
//! s3.put_object(Bucket=BUCKET, Key='encrypt-key', Body=b'foobar',
//!               SSECustomerKey=key, SSECustomerAlgorithm='AES256')
//! response = s3.get_object(Bucket=BUCKET, Key='encrypt-key',
//!                          SSECustomerKey=key, SSECustomerAlgorithm='AES256')
//! ```
//!
//! As in boto3, only the raw key is given, as bytes (`sse_customer_key_bytes`, botocore's
//! `bytes` key): the client base64-encodes it and computes its MD5
//! (`x-amz-server-side-encryption-customer-key-MD5`). The key is 32 random bytes, so
//! almost never UTF-8 text.
//!
//! moto ignores SSE-C (it stores the object unencrypted and echoes no headers); the
//! checks that need a server that honours it run only when the server says it did.

use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::Client;

/// A random 256-bit AES key (`os.urandom(32)`).
fn random_key() -> Vec<u8> {
    s3_examples::random_bytes(32)
}

async fn sse_c(client: Client, bucket: String) -> s3_examples::Result {
    // As `os.urandom(32)` almost always gives, a key that is not UTF-8 text (drawn again
    // in the rare case it is), which a string setter could not carry.
    let key = std::iter::repeat_with(random_key).find(|key| std::str::from_utf8(key).is_err()).ok_or("no key")?;
    assert_eq!(key.len(), 32);
    let put = client
        .put_object()
        .bucket(&bucket)
        .key("encrypt-key")
        .body(ByteStream::from_static(b"foobar"))
        .sse_customer_algorithm("AES256")
        .sse_customer_key_bytes(&key)
        .send()
        .await?;
    let got = client
        .get_object()
        .bucket(&bucket)
        .key("encrypt-key")
        .sse_customer_algorithm("AES256")
        .sse_customer_key_bytes(&key)
        .send()
        .await?;
    let honoured = put.sse_customer_algorithm.is_some();
    println!("SSE-C {}", if honoured { "applied by the server" } else { "ignored by the server (moto)" });
    let get_md5 = got.sse_customer_key_md5.clone();
    let body = got.body.unwrap_or_default().collect().await?;
    println!("Get Object: {}", String::from_utf8_lossy(&body));
    assert_eq!(body, b"foobar");

    if honoured {
        // The server got the MD5 the client computed for the key.
        let md5 = s3_runtime::checksum::md5_base64(&key);
        assert_eq!(put.sse_customer_algorithm.as_deref(), Some("AES256"));
        assert_eq!(put.sse_customer_key_md5.as_deref(), Some(md5.as_str()));
        assert_eq!(get_md5.as_deref(), Some(md5.as_str()));
        // Without the key, or with another one, the object cannot be read.
        assert!(client.get_object().bucket(&bucket).key("encrypt-key").send().await.is_err());
        let other = client
            .get_object()
            .bucket(&bucket)
            .key("encrypt-key")
            .sse_customer_algorithm("AES256")
            .sse_customer_key_bytes(random_key())
            .send()
            .await;
        assert!(other.is_err());
    } else {
        assert!(s3_examples::against_moto(), "S3 applies SSE-C and says so");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("sse_c", sse_c).await
}
