//! boto3: "Presigned URLs".
//!
//! ```python
//! url = s3.generate_presigned_url('get_object', Params={'Bucket': b, 'Key': k}, ExpiresIn=3600)
//! url = s3.generate_presigned_url('put_object', Params={'Bucket': b, 'Key': k}, ExpiresIn=3600)
//! post = s3.generate_presigned_post(b, 'uploads/${filename}',
//!                                   Conditions=[['content-length-range', 1, 1048576]], ExpiresIn=3600)
//! ```
//!
//! Prints a GET URL, a PUT URL and a POST form for a bucket and key, then uses them the
//! way someone without credentials would: with a plain HTTP client (no signing).

use std::process::ExitCode;
use std::time::Duration;

use s3::primitives::ByteStream;
use s3::Client;
use s3_runtime::presign::{PostCondition, PresignedRequest, PresigningConfig};
use s3_runtime::transport::{HttpClient, HyperClient, TransportSettings};

/// Sends `body` with a presigned request (its method, URL and signed headers) and returns
/// the status and the response body.
async fn send(presigned: PresignedRequest, body: &[u8]) -> s3_examples::Result<(u16, Vec<u8>)> {
    let mut request = presigned.into_http_request(ByteStream::from(body.to_vec()))?;
    if !body.is_empty() {
        request.headers_mut().insert("content-length", body.len().into());
    }
    let response = HyperClient::new(&TransportSettings::default()).call(request).await?;
    let status = response.status().as_u16();
    Ok((status, response.into_body().collect().await?))
}

async fn presign(client: Client, bucket: String) -> s3_examples::Result {
    let key = "reports/2025 summary.txt";
    let hour = PresigningConfig::expires_in(Duration::from_secs(3600))?;

    // A URL to upload the object: the Content-Type is signed, so it must be sent as is.
    let put = client.put_object().bucket(&bucket).key(key).content_type("text/plain").presigned(hour).await?;
    println!("PUT {}", put.uri());
    for (name, value) in put.headers() {
        println!("    {name}: {value}");
    }
    let (status, _) = send(put, b"uploaded with a presigned URL").await?;
    assert_eq!(status, 200);

    // A URL to download it.
    let get = client.get_object().bucket(&bucket).key(key).presigned(hour).await?;
    println!("GET {}", get.uri());
    let (status, body) = send(get, b"").await?;
    assert_eq!(status, 200);
    assert_eq!(body, b"uploaded with a presigned URL");

    // A form for browsers: any file name under `uploads/`, 1 byte to 1 MiB.
    let post = client
        .presigned_post()
        .bucket(&bucket)
        .key("uploads/${filename}")
        .condition(PostCondition::content_length_range(1, 1 << 20))
        .expires_in(Duration::from_secs(3600))
        .presign()
        .await?;
    println!("<form action=\"{}\" method=\"post\" enctype=\"multipart/form-data\">", post.url());
    for (name, value) in post.fields() {
        println!("  <input type=\"hidden\" name=\"{name}\" value=\"{value}\">");
    }
    println!("  <input type=\"file\" name=\"file\"> <input type=\"submit\">\n</form>");
    assert_eq!(post.fields()[0], ("key".to_owned(), "uploads/${filename}".to_owned()));
    assert!(post.field("x-amz-signature").is_some_and(|s| s.len() == 64));

    client.delete_object().bucket(&bucket).key(key).send().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("presign", presign).await
}
