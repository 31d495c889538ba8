//! Transfers against moto's S3 server (`S3_TEST_MOTO_URL`, started by `cargo xtask
//! test`): uploads, downloads and copies of the sizes around the threshold, byte-equal
//! round trips, multipart ETags, progress sums and no multipart upload left behind.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use s3::{Client, Config};
use s3_transfer::{CopyArgs, DownloadArgs, SseCustomer, TransferManager, UploadArgs, MIB};

fn client() -> Client {
    let url = std::env::var("S3_TEST_MOTO_URL").expect("S3_TEST_MOTO_URL is not set: run with `cargo xtask test`");
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .force_path_style(true)
            .credentials(s3_runtime::Credentials::new("testing", "testing", None))
            .build(),
    )
}

mod common;
use common::data;

async fn bucket(client: &Client, name: &str) {
    let _ = client.create_bucket().bucket(name).send().await;
}

async fn no_uploads_left(client: &Client, bucket: &str) {
    let page = client.list_multipart_uploads().bucket(bucket).send().await.unwrap();
    assert!(page.uploads().is_empty(), "multipart uploads left behind: {:?}", page.uploads());
}

const SIZES: [usize; 6] = [0, 1, 8 * MIB as usize - 1, 8 * MIB as usize, 8 * MIB as usize + 1, 20 * MIB as usize + 5];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn files_round_trip_at_every_size() {
    let client = client();
    bucket(&client, "transfer-files").await;
    let dir = std::env::temp_dir().join(format!("s3-transfer-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let reported = Arc::new(AtomicU64::new(0));
    let counter = reported.clone();
    let tm = TransferManager::new(client.clone()).with_progress(move |p| {
        counter.fetch_add(p.bytes, Ordering::Relaxed);
    });
    for (i, size) in SIZES.into_iter().enumerate() {
        let body = data(size, i as u8);
        let src = dir.join(format!("up-{size}"));
        std::fs::write(&src, &body).unwrap();
        let key = format!("files/{size}");
        reported.store(0, Ordering::Relaxed);
        let up = tm.upload_file(&src, "transfer-files", &key, &UploadArgs::default()).await.unwrap();
        assert_eq!(reported.load(Ordering::Relaxed), size as u64, "upload progress of {size}");
        let etag = up.e_tag.clone().unwrap();
        if size >= 8 * MIB as usize {
            let parts = (size as u64).div_ceil(8 * MIB);
            assert!(etag.ends_with(&format!("-{parts}\"")), "{etag} for {size}");
        } else {
            assert!(!etag.contains('-'), "{etag}");
        }
        let dest = dir.join(format!("down-{size}"));
        reported.store(0, Ordering::Relaxed);
        let down = tm.download_file("transfer-files", &key, &dest, &DownloadArgs::default()).await.unwrap();
        assert_eq!(reported.load(Ordering::Relaxed), size as u64, "download progress of {size}");
        assert_eq!(down.size, size as u64);
        assert!(std::fs::read(&dest).unwrap() == body, "download of {size} differs");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&format!("down-{size}.")))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");

        let mut streamed = Vec::new();
        tm.download("transfer-files", &key, &mut streamed, &DownloadArgs::default()).await.unwrap();
        assert!(streamed == body, "in-order download of {size} differs");
    }
    no_uploads_left(&client, "transfer-files").await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn streams_round_trip() {
    let client = client();
    bucket(&client, "transfer-streams").await;
    let tm = TransferManager::new(client.clone());
    for size in [0usize, 5, 8 * MIB as usize, 17 * MIB as usize + 3] {
        let body = data(size, 9);
        let key = format!("stream/{size}");
        let up = tm.upload(&body[..], "transfer-streams", &key, &UploadArgs::default()).await.unwrap();
        assert_eq!(up.size, size as u64);
        let got = client.get_object().bucket("transfer-streams").key(&key).send().await.unwrap();
        assert!(got.body.unwrap().collect().await.unwrap() == body, "stream upload of {size} differs");
    }
    no_uploads_left(&client, "transfer-streams").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn sse_c_and_checksum_round_trip() {
    let client = client();
    bucket(&client, "transfer-ssec").await;
    let tm = TransferManager::new(client.clone());
    let key = "0123456789abcdef0123456789abcdef";
    let body = data(9 * MIB as usize + 7, 3);
    let args = UploadArgs {
        sse_customer: SseCustomer::aes256(key),
        checksum_algorithm: Some(s3::types::ChecksumAlgorithm::Sha256),
        ..Default::default()
    };
    tm.upload(&body[..], "transfer-ssec", "obj", &args).await.unwrap();
    let mut got = Vec::new();
    let dargs = DownloadArgs { sse_customer: SseCustomer::aes256(key), ..Default::default() };
    tm.download("transfer-ssec", "obj", &mut got, &dargs).await.unwrap();
    assert!(got == body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn copies_small_and_multipart() {
    let client = client();
    bucket(&client, "transfer-copy").await;
    let tm = TransferManager::new(client.clone());
    for size in [3usize, 8 * MIB as usize + 1] {
        let body = data(size, 5);
        let src = format!("src/{size}");
        let mut meta = s3_runtime::IndexMap::new();
        meta.insert("color".to_owned(), "blue".to_owned());
        let args = UploadArgs { metadata: Some(meta), content_type: Some("text/x-test".into()), ..Default::default() };
        tm.upload(&body[..], "transfer-copy", &src, &args).await.unwrap();
        let dst = format!("dst/{size}");
        let out = tm.copy("transfer-copy", &src, "transfer-copy", &dst, &CopyArgs::default()).await.unwrap();
        assert_eq!(out.size, size as u64);
        let got = client.get_object().bucket("transfer-copy").key(&dst).send().await.unwrap();
        assert_eq!(got.content_type.as_deref(), Some("text/x-test"), "content type of the copy of {size}");
        assert_eq!(got.metadata.as_ref().and_then(|m| m.get("color")).map(String::as_str), Some("blue"));
        assert!(got.body.unwrap().collect().await.unwrap() == body, "copy of {size} differs");
    }
    no_uploads_left(&client, "transfer-copy").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn directories_round_trip_with_filters() {
    use s3_transfer::{DirectoryOptions, ErrorKind};
    let client = client();
    bucket(&client, "transfer-dirs").await;
    for o in client.list_objects_v2().bucket("transfer-dirs").send().await.unwrap().contents() {
        client.delete_object().bucket("transfer-dirs").key(o.key.clone().unwrap()).send().await.unwrap();
    }
    let tm = TransferManager::new(client.clone());
    let root = std::env::temp_dir().join(format!("s3-transfer-dirs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let src = root.join("src");
    for (rel, size) in [("a.txt", 10), ("sub/b.txt", 9 * MIB as usize), ("sub/deeper/c.txt", 0), ("skip/d.txt", 3), ("e.bin", 4)] {
        let path = src.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data(size, rel.len() as u8)).unwrap();
    }
    let options = DirectoryOptions { include: vec!["*.txt".into()], exclude: vec!["skip/*".into()], ..Default::default() };
    let up = tm.upload_directory(&src, "transfer-dirs", "tree/", &UploadArgs::default(), &options).await.unwrap();
    assert_eq!(up.transferred, ["tree/a.txt", "tree/sub/b.txt", "tree/sub/deeper/c.txt"]);
    assert_eq!(up.bytes, 10 + 9 * MIB);

    let dest = root.join("dest");
    let down = tm.download_directory("transfer-dirs", "tree/", &dest, &DownloadArgs::default(), &DirectoryOptions::default()).await.unwrap();
    assert_eq!(down.transferred, up.transferred);
    for rel in ["a.txt", "sub/b.txt", "sub/deeper/c.txt"] {
        assert!(std::fs::read(dest.join(rel)).unwrap() == std::fs::read(src.join(rel)).unwrap(), "{rel} differs");
    }

    // Keys that are not safe paths are refused and nothing is written outside `dest`.
    for key in ["tree/../escape.txt", "tree//abs.txt"] {
        client.put_object().bucket("transfer-dirs").key(key).body(b"evil".to_vec()).send().await.unwrap();
    }
    let dest2 = root.join("nested/dest2");
    let keep_going = DirectoryOptions { continue_on_error: true, ..Default::default() };
    let err = tm.download_directory("transfer-dirs", "tree/", &dest2, &DownloadArgs::default(), &keep_going).await.unwrap_err();
    let mut refused: Vec<_> = err.failed.iter().map(|e| (e.kind(), e.target().to_owned())).collect();
    refused.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        refused,
        [
            (ErrorKind::InvalidKey, "s3://transfer-dirs/tree/../escape.txt".to_owned()),
            (ErrorKind::InvalidKey, "s3://transfer-dirs/tree//abs.txt".to_owned()),
        ]
    );
    assert_eq!(err.succeeded, up.transferred, "the safe keys are still downloaded");
    assert!(!root.join("nested/escape.txt").exists() && !root.join("escape.txt").exists());
    for key in ["tree/../escape.txt", "tree//abs.txt"] {
        client.delete_object().bucket("transfer-dirs").key(key).send().await.unwrap();
    }
    client.put_object().bucket("transfer-dirs").key("tree/../escape.txt").body(b"evil".to_vec()).send().await.unwrap();

    let dest3 = root.join("dest3");
    let err = tm.download_directory("transfer-dirs", "tree/", &dest3, &DownloadArgs::default(), &DirectoryOptions::default()).await.unwrap_err();
    assert_eq!(err.failed.len(), 1, "fail-fast stops at the first failure");
    assert!(err.succeeded.is_empty() && !dest3.exists(), "nothing downloaded after a refusal");
    client.delete_object().bucket("transfer-dirs").key("tree/../escape.txt").send().await.unwrap();
    std::fs::remove_dir_all(&root).unwrap();
}

/// What we upload boto3 downloads byte-equal, and the reverse, with the same ETag
/// format (`"…-N"`): boto3 run by `S3_TEST_PYTHON` against the same server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: run with `cargo xtask test`"]
async fn interop_with_boto3() {
    let python = std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON");
    let url = std::env::var("S3_TEST_MOTO_URL").unwrap();
    common::interop(&python, &url, client(), "testing", "testing").await;
}

