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
        let client = stub.client();
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
