//! Buffered (non-streaming) response bodies: their size cap and the memory they take.

mod fault_stub;

use fault_stub::{peak_rss, Reply, Stub};

/// A ListObjectsV2 body of `count` empty `<a/>` elements: 4 bytes per element, the
/// densest tree a body can ask for.
fn dense_listing(count: usize) -> Reply {
    Reply::Repeat {
        prefix: "<ListBucketResult>".to_owned(),
        unit: "<a/>".to_owned(),
        count,
        suffix: "</ListBucketResult>".to_owned(),
    }
}

/// Peak memory for a 64 MiB buffered body of `<a/>` elements. Prints the figure (for
/// ARCHITECTURE.md); run alone, as it measures the whole process:
/// `cargo test -p s3-integration-tests --test bounded_bodies -- --ignored --nocapture`.
#[test]
#[ignore = "measures the process's peak RSS; run alone"]
fn peak_memory_of_a_64_mib_buffered_body() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let count = 16 << 20;
        let stub = Stub::start(vec![dense_listing(count)]).await;
        let before = peak_rss().unwrap_or(0);
        // Just over the default limit: raise it.
        let client = s3::Client::from_conf(stub.config().max_buffered_body_size(128 << 20).build());
        let out = client.list_objects_v2().bucket("b").send().await;
        let after = peak_rss().unwrap_or(0);
        println!(
            "64 MiB of <a/>: ok={} peak RSS {} MiB (before the request {} MiB), {:.1}x the body",
            out.is_ok(),
            after >> 20,
            before >> 20,
            (after - before) as f64 / (64u64 << 20) as f64
        );
    });
}

/// A body longer than the limit is a typed error, after one attempt; before, any size
/// was read (and a 64 MiB body took 1.2 GiB).
#[tokio::test]
async fn a_body_over_the_limit_is_refused_once() {
    // Declared length over the limit: refused before reading.
    let stub = Stub::start(vec![dense_listing(1000), dense_listing(1000)]).await;
    let client = s3::Client::from_conf(stub.config().max_buffered_body_size(1000).build());
    let err = client.list_objects_v2().bucket("b").send().await.unwrap_err();
    let s3_runtime::SdkError::Response(err) = err else { panic!("{err:?}") };
    assert_eq!(err.kind(), s3_runtime::ResponseErrorKind::BodyTooLarge { limit: 1000 });
    assert!(err.to_string().contains("4037 bytes long, more than the limit of 1000 bytes"), "{err}");
    assert_eq!(stub.requests().len(), 1, "not retried");
    // Within the limit: read.
    let client = s3::Client::from_conf(stub.config().max_buffered_body_size(4037).build());
    assert!(client.list_objects_v2().bucket("b").send().await.is_ok());
}

/// An error response over the limit is refused the same way.
#[tokio::test]
async fn an_error_body_over_the_limit_is_refused() {
    let body = format!("<Error><Code>InternalError</Code><Message>{}</Message></Error>", "x".repeat(2000));
    let stub = Stub::start(vec![fault_stub::response(500, &[], body.as_bytes())]).await;
    let client = s3::Client::from_conf(stub.config().max_buffered_body_size(1000).build());
    let err = client.get_bucket_acl().bucket("b").send().await.unwrap_err();
    assert!(matches!(&err, s3_runtime::SdkError::Response(e) if matches!(e.kind(), s3_runtime::ResponseErrorKind::BodyTooLarge { .. })), "{err:?}");
    assert_eq!(stub.requests().len(), 1);
}
