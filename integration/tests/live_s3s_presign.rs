//! Presigned URLs and POST forms used for real against s3s-fs, which verifies SigV4
//! signatures (query-string auth and POST policies). `cargo xtask test` (the s3s-fs step)
//! starts it with the keys below and passes its URL in `S3_TEST_S3S_URL`; `#[ignore]`d
//! for a plain `cargo test`.
//!
//! The SDK client only sets up (buckets, the multipart upload) and presigns; every
//! presigned request goes out through a plain HTTP client (the runtime's hyper
//! transport, no signing, no SDK), as a browser or `curl` would send it.

use std::time::{Duration, SystemTime};

use s3::primitives::ByteStream;
use s3::types::{CompletedMultipartUpload, CompletedPart};
use s3::{Client, Config};
use s3_runtime::presign::{PostCondition, PresignedPost, PresignedRequest, PresigningConfig};
use s3_runtime::transport::{HttpClient, HyperClient, TransportSettings};
use s3_runtime::{Credentials, SdkError};

const ACCESS_KEY: &str = "AKIDS3SFSTEST";
const SECRET_KEY: &str = "s3s-fs-secret-key";

fn url() -> String {
    std::env::var("S3_TEST_S3S_URL").expect("S3_TEST_S3S_URL is not set: run these tests with `cargo xtask test`")
}

fn client(secret: &str) -> Client {
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url())
            .force_path_style(true)
            .credentials(Credentials::new(ACCESS_KEY, secret, None))
            .max_attempts(1)
            .build(),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn minutes(n: u64) -> PresigningConfig {
    PresigningConfig::expires_in(Duration::from_secs(60 * n)).unwrap()
}

/// Sends a presigned request with a plain HTTP client: its method, URL and headers, and
/// `body`. Returns the status, the headers and the body.
async fn send(presigned: PresignedRequest, body: &[u8]) -> (u16, http::HeaderMap, Vec<u8>) {
    send_raw(presigned.method().to_owned(), presigned.uri().to_owned(), presigned.headers().to_vec(), body).await
}

async fn send_raw(method: String, url: String, headers: Vec<(String, String)>, body: &[u8]) -> (u16, http::HeaderMap, Vec<u8>) {
    let http = HyperClient::new(&TransportSettings::default());
    let mut request = http::Request::builder().method(method.as_str()).uri(url);
    for (name, value) in &headers {
        request = request.header(name, value);
    }
    if !body.is_empty() || method == "PUT" || method == "POST" {
        request = request.header("content-length", body.len());
    }
    let request = request.body(ByteStream::from(body.to_vec())).unwrap();
    let response = http.call(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap();
    (status, headers, body)
}

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[test]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
fn presigned_urls_work_with_a_plain_http_client() {
    runtime().block_on(async {
        let client = client(SECRET_KEY);
        let bucket = "presigned";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let key = "dir/a b=c~é.txt";

        // PutObject, with a Content-Type the URL's user must send as signed.
        let put = client.put_object().bucket(bucket).key(key).content_type("text/plain").presigned(minutes(5)).await.unwrap();
        assert_eq!(put.method(), "PUT");
        assert!(put.headers().iter().any(|(n, v)| n.eq_ignore_ascii_case("content-type") && v == "text/plain"));
        let (status, _, body) = send(put, b"presigned body").await;
        assert_eq!(status, 200, "{}", text(&body));
        let stored = client.get_object().bucket(bucket).key(key).send().await.unwrap();
        assert_eq!(stored.content_type.as_deref(), Some("text/plain"));
        assert_eq!(stored.body.unwrap().collect().await.unwrap(), b"presigned body");

        // GetObject with a Range (a signed header).
        let get = client.get_object().bucket(bucket).key(key).range("bytes=0-8").presigned(minutes(5)).await.unwrap();
        let (status, _, body) = send(get, b"").await;
        assert_eq!(status, 206, "{}", text(&body));
        assert_eq!(body, b"presigned");

        // HeadObject.
        let head = client.head_object().bucket(bucket).key(key).presigned(minutes(5)).await.unwrap();
        assert_eq!(head.method(), "HEAD");
        let (status, headers, _) = send(head, b"").await;
        assert_eq!(status, 200);
        assert_eq!(headers.get("content-length").unwrap(), "14");

        // ListObjectsV2 (`encoding-type=url` is in the presigned query, as botocore's).
        let list = client.list_objects_v2().bucket(bucket).prefix("dir/").presigned(minutes(5)).await.unwrap();
        assert!(list.uri().contains("encoding-type=url"), "{}", list.uri());
        let (status, _, body) = send(list, b"").await;
        assert_eq!(status, 200, "{}", text(&body));
        assert!(text(&body).contains("<KeyCount>1</KeyCount>"), "{}", text(&body));

        // UploadPart of a multipart upload.
        let upload = client.create_multipart_upload().bucket(bucket).key("mp").send().await.unwrap().upload_id.unwrap();
        let part = client.upload_part().bucket(bucket).key("mp").upload_id(&upload).part_number(1).presigned(minutes(5)).await.unwrap();
        let (status, headers, body) = send(part, &[b'x'; 1024]).await;
        assert_eq!(status, 200, "{}", text(&body));
        let etag = headers.get("etag").unwrap().to_str().unwrap().to_owned();
        let done = CompletedMultipartUpload::builder()
            .parts(CompletedPart::builder().part_number(1).e_tag(etag).build())
            .build();
        client.complete_multipart_upload().bucket(bucket).key("mp").upload_id(&upload).multipart_upload(done).send().await.unwrap();
        assert_eq!(client.head_object().bucket(bucket).key("mp").send().await.unwrap().content_length, Some(1024));

        // DeleteObject.
        for k in [key, "mp"] {
            let delete = client.delete_object().bucket(bucket).key(k).presigned(minutes(5)).await.unwrap();
            let (status, _, body) = send(delete, b"").await;
            assert_eq!(status, 204, "{}", text(&body));
        }
        let listed = client.list_objects_v2().bucket(bucket).send().await.unwrap();
        assert!(listed.contents().is_empty());
        client.delete_bucket().bucket(bucket).send().await.unwrap();
    });
}

#[test]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
fn expired_tampered_and_wrongly_signed_urls_are_refused() {
    runtime().block_on(async {
        let client = client(SECRET_KEY);
        let bucket = "presigned-refused";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        client.put_object().bucket(bucket).key("k").body(ByteStream::from("data")).send().await.unwrap();

        // Valid: the baseline the others are changed from.
        let (status, _, _) = send(client.get_object().bucket(bucket).key("k").presigned(minutes(5)).await.unwrap(), b"").await;
        assert_eq!(status, 200);

        // Expired: signed two minutes ago, valid for one.
        let expired = PresigningConfig::builder()
            .expires_in(Duration::from_secs(60))
            .start_time(SystemTime::now() - Duration::from_secs(120))
            .build()
            .unwrap();
        let (status, _, body) = send(client.get_object().bucket(bucket).key("k").presigned(expired).await.unwrap(), b"").await;
        assert_eq!(status, 403, "{}", text(&body));
        assert!(text(&body).contains("AccessDenied"), "{}", text(&body));

        // Tampered: a longer validity than was signed, and another key than was signed.
        let good = client.get_object().bucket(bucket).key("k").presigned(minutes(5)).await.unwrap();
        let longer = good.uri().replace("X-Amz-Expires=300", "X-Amz-Expires=600");
        assert_ne!(longer, good.uri());
        let (status, _, body) = send_raw("GET".into(), longer, vec![], b"").await;
        assert_eq!(status, 403, "{}", text(&body));
        assert!(text(&body).contains("SignatureDoesNotMatch"), "{}", text(&body));
        let (status, _, body) = send_raw("GET".into(), good.uri().replace("/k?", "/other?"), vec![], b"").await;
        assert_eq!(status, 403, "{}", text(&body));

        // A signed header left out.
        let ranged = client.get_object().bucket(bucket).key("k").range("bytes=0-1").presigned(minutes(5)).await.unwrap();
        let (status, _, body) = send_raw("GET".into(), ranged.uri().to_owned(), vec![], b"").await;
        assert_eq!(status, 403, "{}", text(&body));

        // Signed with a wrong secret.
        let wrong = self::client("not-the-secret").get_object().bucket(bucket).key("k").presigned(minutes(5)).await.unwrap();
        let (status, _, body) = send(wrong, b"").await;
        assert_eq!(status, 403, "{}", text(&body));
        assert!(text(&body).contains("SignatureDoesNotMatch"), "{}", text(&body));

        client.delete_object().bucket(bucket).key("k").send().await.unwrap();
        client.delete_bucket().bucket(bucket).send().await.unwrap();
    });
}

/// A `multipart/form-data` body as a browser sends it: the fields in order, then the
/// file.
fn form(post: &PresignedPost, extra: &[(&str, &str)], file_name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----presign-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    let fields = post.fields().iter().map(|(n, v)| (n.as_str(), v.as_str())).chain(extra.iter().copied());
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_form(post: &PresignedPost, extra: &[(&str, &str)], file_name: &str, data: &[u8]) -> (u16, String) {
    let (content_type, body) = form(post, extra, file_name, data);
    let (status, _, body) =
        send_raw("POST".into(), post.url().to_owned(), vec![("content-type".into(), content_type)], &body).await;
    (status, text(&body))
}

#[test]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
fn presigned_post_form_uploads() {
    runtime().block_on(async {
        let client = client(SECRET_KEY);
        let bucket = "presigned-post";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let post = client
            .presigned_post()
            .bucket(bucket)
            .key("uploads/${filename}")
            .field("success_action_status", "201")
            .condition(PostCondition::exact("success_action_status", "201"))
            .condition(PostCondition::content_length_range(1, 1024))
            .expires_in(Duration::from_secs(300))
            .presign()
            .await
            .unwrap();
        let data = b"a browser upload \x00\xff";
        // S3 puts the file's name in place of `${filename}`; s3s-fs 0.14 stores the key as
        // sent, so the form sends the key the browser would end up with: the policy's
        // `["starts-with", "$key", "uploads/"]` allows it.
        let with = |name: &str, value: String| -> Vec<(String, String)> {
            post.fields().iter().map(|(n, v)| (n.clone(), if n == name { value.clone() } else { v.clone() })).collect()
        };
        let (status, body) = post_fields(post.url(), &with("key", "uploads/photo.jpg".into()), "photo.jpg", data).await;
        assert_eq!(status, 201, "{body}");
        let stored = client.get_object().bucket(bucket).key("uploads/photo.jpg").send().await.unwrap();
        assert_eq!(stored.body.unwrap().collect().await.unwrap(), data);

        // A key outside the prefix, and a file too large for `content-length-range`.
        // (S3 answers 403 AccessDenied; s3s-fs 400 InvalidPolicyDocument.)
        let (status, body) = post_fields(post.url(), &with("key", "elsewhere/photo.jpg".into()), "photo.jpg", data).await;
        assert!(matches!(status, 400 | 403) && body.contains("starts-with"), "{status} {body}");
        let (status, body) = post_form(&post, &[], "big.bin", &[b'x'; 2048]).await;
        assert!(status >= 400, "{status} {body}");

        // A signature that does not match the policy, and a policy that does not match
        // the signature (another bucket condition).
        let (status, body) = post_fields(post.url(), &with("x-amz-signature", "0".repeat(64)), "photo2.jpg", data).await;
        assert_eq!(status, 403, "{body}");
        let other = client.presigned_post().bucket("other-bucket").key("uploads/${filename}").presign().await.unwrap();
        let (status, body) =
            post_fields(post.url(), &with("policy", other.field("policy").unwrap().to_owned()), "photo3.jpg", data).await;
        assert_eq!(status, 403, "{body}");

        client.delete_object().bucket(bucket).key("uploads/photo.jpg").send().await.unwrap();
        client.delete_bucket().bucket(bucket).send().await.unwrap();
    });
}

async fn post_fields(url: &str, fields: &[(String, String)], file_name: &str, data: &[u8]) -> (u16, String) {
    let boundary = "----presign-test-boundary-tampered";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let (status, _, body) = send_raw("POST".into(), url.to_owned(), vec![("content-type".into(), content_type)], &body).await;
    (status, text(&body))
}

/// Not live: presigning without credentials, or with an anonymous client, is an error,
/// never an unsigned URL; bad input is refused naming the member.
#[test]
fn presigning_needs_credentials_and_valid_input() {
    runtime().block_on(async {
        let base = || Config::builder().region("us-east-1");
        for config in [base().build(), base().anonymous().build()] {
            let client = Client::from_conf(config);
            let err = client.get_object().bucket("b").key("k").presigned(minutes(1)).await.unwrap_err();
            assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");
            assert!(err.to_string().contains("presign"), "{err}");
            let err = client.presigned_post().bucket("b").key("k").presign().await.unwrap_err();
            assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");
        }
        let client = Client::from_conf(base().credentials(Credentials::new("AKID", "SECRET", None)).build());
        let err = client.get_object().bucket("b").presigned(minutes(1)).await.unwrap_err();
        assert!(err.to_string().contains("`key`"), "{err}");
        let err = client.get_object().bucket("Bad_Bucket!").key("k").presigned(minutes(1)).await.unwrap_err();
        assert!(err.to_string().contains("bucket"), "{err}");
        let err = client.presigned_post().bucket("b").key("k").expires_in(Duration::ZERO).presign().await.unwrap_err();
        assert!(err.to_string().contains("expires_in"), "{err}");
        let err = client
            .presigned_post()
            .bucket("b")
            .key("k")
            .condition(PostCondition::content_length_range(5, 1))
            .presign()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("content-length-range"), "{err}");
        let err = client.presigned_post().key("k").presign().await.unwrap_err();
        assert!(err.to_string().contains("`bucket`"), "{err}");
        let ok = client.get_object().bucket("my-bucket").key("k").presigned(minutes(1)).await.unwrap();
        assert!(ok.uri().starts_with("https://my-bucket.s3.us-east-1.amazonaws.com/k?"), "{}", ok.uri());
        assert!(!ok.uri().contains("x-amz-checksum-mode") && ok.headers().is_empty(), "{ok:?}");
    });
}
