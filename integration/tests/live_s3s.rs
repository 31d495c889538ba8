//! Live tests against s3s-fs, a server that verifies SigV4 signatures. `cargo xtask
//! test` builds it into `.tools/`, starts it on a free loopback port with the keys below
//! and passes its URL in `S3_TEST_S3S_URL`. `#[ignore]`d for a plain `cargo test`.

use s3::primitives::ByteStream;
use s3::types::{CompletedMultipartUpload, CompletedPart};
use s3::{Client, Config};
use s3_runtime::{Credentials, SdkError};

const ACCESS_KEY: &str = "AKIDS3SFSTEST";
const SECRET_KEY: &str = "s3s-fs-secret-key";

fn client(secret: &str) -> Client {
    let url = std::env::var("S3_TEST_S3S_URL").expect("S3_TEST_S3S_URL is not set: run these tests with `cargo xtask test`");
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .force_path_style(true)
            .credentials(Credentials::new(ACCESS_KEY, secret, None))
            .max_attempts(1)
            .build(),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
fn signed_requests_are_accepted() {
    runtime().block_on(async {
        let client = client(SECRET_KEY);
        let bucket = "signed";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        // No `+` here: s3s-fs leaves `+` unencoded in `EncodingType=url` listings, which
        // botocore's decoding (like ours) then reads as a space; S3 sends `%2B`.
        let key = "dir/a b=c~é.txt";
        client.put_object().bucket(bucket).key(key).body(ByteStream::from("signed body")).send().await.unwrap();
        let out = client.get_object().bucket(bucket).key(key).send().await.unwrap();
        assert_eq!(out.body.unwrap().collect().await.unwrap(), b"signed body");
        let listed = client.list_objects_v2().bucket(bucket).prefix("dir/").send().await.unwrap();
        assert_eq!(listed.contents().len(), 1);
        assert_eq!(listed.contents()[0].key.as_deref(), Some(key));

        let upload = client.create_multipart_upload().bucket(bucket).key("mp").send().await.unwrap().upload_id.unwrap();
        let part = client
            .upload_part()
            .bucket(bucket)
            .key("mp")
            .upload_id(&upload)
            .part_number(1)
            .body(ByteStream::from(vec![b'x'; 1024]))
            .send()
            .await
            .unwrap();
        let done = CompletedMultipartUpload::builder()
            .parts(CompletedPart::builder().part_number(1).e_tag(part.e_tag.unwrap()).build())
            .build();
        client.complete_multipart_upload().bucket(bucket).key("mp").upload_id(&upload).multipart_upload(done).send().await.unwrap();
        let head = client.head_object().bucket(bucket).key("mp").send().await.unwrap();
        assert_eq!(head.content_length, Some(1024));

        for k in [key, "mp"] {
            client.delete_object().bucket(bucket).key(k).send().await.unwrap();
        }
        client.delete_bucket().bucket(bucket).send().await.unwrap();
    });
}

#[test]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
fn a_wrong_secret_is_refused() {
    runtime().block_on(async {
        let err = client("not-the-secret").list_buckets().send().await.unwrap_err();
        let SdkError::Service(err) = err else { panic!("{err:?}") };
        assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err:?}");
    });
}

/// Streaming uploads (a file, a caller's stream) go `aws-chunked` with their CRC32 in a
/// trailer, signed `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: the server decodes the body,
/// checks the checksum and stores the bytes as sent.
#[test]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
fn streaming_uploads_carry_a_trailing_checksum() {
    runtime().block_on(async {
        let client = client(SECRET_KEY);
        let bucket = "streamed";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        // Several chunks and a short last one.
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let path = std::env::temp_dir().join(format!("s3s-stream-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let from_file = ByteStream::from_path(&path).await.unwrap();
        client.put_object().bucket(bucket).key("file").body(from_file).send().await.unwrap();
        std::fs::remove_file(&path).unwrap();
        let stream = ByteStream::from_body(http_body_util::Full::new(bytes::Bytes::from(data.clone())));
        let part_upload = client.create_multipart_upload().bucket(bucket).key("mp").send().await.unwrap().upload_id.unwrap();
        let part = client
            .upload_part()
            .bucket(bucket)
            .key("mp")
            .upload_id(&part_upload)
            .part_number(1)
            .body(stream)
            .send()
            .await
            .unwrap();
        let done = CompletedMultipartUpload::builder()
            .parts(CompletedPart::builder().part_number(1).e_tag(part.e_tag.unwrap()).build())
            .build();
        client.complete_multipart_upload().bucket(bucket).key("mp").upload_id(&part_upload).multipart_upload(done).send().await.unwrap();
        for key in ["file", "mp"] {
            let out = client.get_object().bucket(bucket).key(key).send().await.unwrap();
            assert_eq!(out.body.unwrap().collect().await.unwrap(), data, "{key}");
            client.delete_object().bucket(bucket).key(key).send().await.unwrap();
        }
        client.delete_bucket().bucket(bucket).send().await.unwrap();
    });
}

/// The classic algorithms and CRC64NVME in `aws-chunked` trailers (a file body) and in
/// headers (a body in memory): s3s verifies each checksum on upload, so a wrong value of
/// ours would be refused; the download is then validated against what s3s returns.
#[test]
#[ignore = "needs s3s-fs: run with `cargo xtask test`"]
fn every_algorithm_s3s_checks() {
    use s3::types::ChecksumAlgorithm;
    use s3_runtime::checksum::Algorithm;
    runtime().block_on(async {
        let client = client(SECRET_KEY);
        let bucket = "checksums";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let data: Vec<u8> = (0..150_000u32).map(|i| (i % 241) as u8).collect();
        let path = std::env::temp_dir().join(format!("s3s-checksums-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        for algorithm in [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Sha1, Algorithm::Sha256, Algorithm::Crc64Nvme] {
            for (key, body) in [
                (format!("trailer-{}", algorithm.name()), ByteStream::from_path(&path).await.unwrap()),
                (format!("header-{}", algorithm.name()), ByteStream::from(data.clone())),
            ] {
                client
                    .put_object()
                    .bucket(bucket)
                    .key(&key)
                    .checksum_algorithm(ChecksumAlgorithm::from(algorithm.name()))
                    .body(body)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{key}: {e:?}"));
                let out = client.get_object().bucket(bucket).key(&key).send().await.unwrap();
                assert_eq!(out.body.unwrap().collect().await.unwrap_or_else(|e| panic!("{key}: {e}")), data, "{key}");
                client.delete_object().bucket(bucket).key(&key).send().await.unwrap();
            }
        }
        std::fs::remove_file(&path).unwrap();
        client.delete_bucket().bucket(bucket).send().await.unwrap();
    });
}
