//! Paginators and waiters against moto's S3 server, which `cargo xtask test` starts on a
//! free loopback port and passes in `S3_TEST_MOTO_URL`. `#[ignore]`d like
//! `live_moto.rs`: a plain `cargo test` skips them, the test command runs them with
//! `--ignored`.
//!
//! Every listing is checked to return each key (version, upload, part) exactly once over
//! many small pages, in full and resumed in runs of `max_items` with `resume_token()` /
//! `starting_token()`. Page sizes are small and buckets hold a dozen objects, so the
//! whole file sends a few hundred requests.
//!
//! What moto does differently from S3, and how the tests deal with it:
//! - `ListObjects` always sends `NextMarker` (an opaque token) when truncated, also
//!   without a delimiter, so the `NextMarker || Contents[-1].Key` fallback never runs
//!   here; `pagination_stub.rs` covers it. moto also repeats every common prefix on
//!   every `ListObjects` page with a delimiter, so delimiters are tested with
//!   `ListObjectsV2`.
//! - `ListMultipartUploads` ignores `max-uploads` and returns one page; `max_items`
//!   still cuts that page and resumes inside it, and `pagination_stub.rs` checks the
//!   two markers on a second page.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::time::Duration;

use s3::pagination::{PaginationStream, PaginationToken, TokenValue};
use s3::primitives::ByteStream;
use s3::types::{BucketVersioningStatus, Delete, ObjectIdentifier, VersioningConfiguration};
use s3::waiters::WaiterError;
use s3::{Client, Config};

fn moto_url() -> String {
    std::env::var("S3_TEST_MOTO_URL").expect("S3_TEST_MOTO_URL is not set: run these tests with `cargo xtask test`")
}

fn client() -> Client {
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(moto_url())
            .force_path_style(true)
            .credentials(s3_runtime::Credentials::new("testing", "testing", None))
            .build(),
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Aborts uploads, deletes every version and delete marker (a request per 1000), and
/// deletes the bucket.
async fn cleanup(client: &Client, bucket: &str) {
    if let Ok(uploads) = client.list_multipart_uploads().bucket(bucket).into_paginator().uploads().try_collect().await {
        for upload in uploads {
            let _ = client
                .abort_multipart_upload()
                .bucket(bucket)
                .key(upload.key.unwrap())
                .upload_id(upload.upload_id.unwrap())
                .send()
                .await;
        }
    }
    let mut ids = Vec::new();
    if let Ok(pages) = client.list_object_versions().bucket(bucket).into_paginator().send().try_collect().await {
        for page in pages {
            let versions = page.versions().iter().map(|v| (v.key.clone(), v.version_id.clone()));
            let markers = page.delete_markers().iter().map(|m| (m.key.clone(), m.version_id.clone()));
            for (key, version) in versions.chain(markers) {
                ids.push(ObjectIdentifier::builder().set_key(key).set_version_id(version).build().unwrap());
            }
        }
    }
    for chunk in ids.chunks(1000) {
        let delete = Delete::builder().set_objects(Some(chunk.to_vec())).quiet(true).build().unwrap();
        client.delete_objects().bucket(bucket).delete(delete).send().await.unwrap();
    }
    client.delete_bucket().bucket(bucket).send().await.unwrap();
}

async fn put(client: &Client, bucket: &str, key: &str, body: &str) -> Option<String> {
    let out = client.put_object().bucket(bucket).key(key).body(ByteStream::from(body.to_owned())).send().await.unwrap();
    out.version_id
}

/// Lists in runs: each run is a fresh stream from `start`, given the resume token of
/// the run before (`None` for the first); runs go on until a run ends without a resume
/// token. Returns each run's pages and the token it ended with.
async fn runs<O: 'static, E: Debug>(
    mut start: impl FnMut(Option<String>) -> PaginationStream<O, E>,
) -> Vec<(Vec<O>, Option<PaginationToken>)> {
    let mut runs = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut pages = start(token.take());
        let mut run = Vec::new();
        while let Some(page) = pages.next().await {
            run.push(page.unwrap());
        }
        let resume = pages.resume_token();
        // The text form is boto3's; read it back to check it round-trips.
        if let Some(resume) = &resume {
            assert_eq!(resume.to_string().parse::<PaginationToken>().unwrap(), *resume);
        }
        token = resume.as_ref().map(ToString::to_string);
        runs.push((run, resume));
        if token.is_none() {
            return runs;
        }
        assert!(runs.len() < 100, "resuming does not end");
    }
}

/// Asserts that `items` holds each of `expected` exactly once.
#[track_caller]
fn exactly_once<T: Ord + Debug + Clone>(items: &[T], expected: &BTreeSet<T>, what: &str) {
    let seen: BTreeSet<T> = items.iter().cloned().collect();
    assert_eq!(seen.len(), items.len(), "{what}: duplicates in {items:?}");
    assert_eq!(&seen, expected, "{what}: missing or extra items");
}

fn set<T: Ord + Clone>(items: &[T]) -> BTreeSet<T> {
    items.iter().cloned().collect()
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn list_objects_v1_markers() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-list-objects";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let mut keys: Vec<String> = (0..11).map(|i| format!("key-{i:02}")).collect();
        keys.push("dir/a b+c".to_owned());
        keys.push("é ü/x".to_owned());
        for key in &keys {
            put(&client, bucket, key, "x").await;
        }
        keys.sort();

        // Every key once, in order, over pages of 3.
        let paginator = client.list_objects().bucket(bucket).into_paginator().page_size(3);
        let pages = paginator.clone().send().try_collect().await.unwrap();
        assert_eq!(pages.len(), 5);
        assert!(pages.iter().all(|p| p.contents().len() <= 3));
        assert_eq!(pages.last().unwrap().is_truncated, Some(false));
        let listed: Vec<String> = paginator.contents().try_collect().await.unwrap().into_iter().map(|o| o.key.unwrap()).collect();
        assert_eq!(listed, keys);

        // Runs of at most 4 items.
        let runs = runs(|token| {
            let p = client.list_objects().bucket(bucket).into_paginator().page_size(3).max_items(4);
            match token {
                Some(t) => p.starting_token(t),
                None => p,
            }
            .send()
        })
        .await;
        assert_eq!(runs.len(), 4);
        let mut listed = Vec::new();
        for (pages, _) in &runs {
            let run: Vec<String> = pages.iter().flat_map(|p| p.contents()).map(|o| o.key.clone().unwrap()).collect();
            assert!(run.len() <= 4, "{run:?}");
            listed.extend(run);
        }
        assert_eq!(listed, keys);
        assert!(runs.iter().any(|(_, t)| t.as_ref().is_some_and(|t| t.truncate_amount().is_some())), "a run ended inside a page");

        // An item stream stopped in the middle of a page resumes after the last item it
        // gave.
        let mut items = client.list_objects().bucket(bucket).into_paginator().page_size(5).contents();
        for key in &keys[..7] {
            assert_eq!(items.next().await.unwrap().unwrap().key.as_ref(), Some(key));
        }
        let token = items.resume_token().unwrap();
        assert_eq!(token.truncate_amount(), Some(2));
        assert!(token.get("Marker").is_some());
        let rest: Vec<String> = client
            .list_objects()
            .bucket(bucket)
            .into_paginator()
            .page_size(5)
            .starting_token(token)
            .contents()
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.key.unwrap())
            .collect();
        assert_eq!(rest, keys[7..]);
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn list_objects_v2_tokens_and_common_prefixes() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-list-objects-v2";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let keys = ["a/1", "a/2", "b/1", "c", "d/x/1", "e", "f/", "g", "h/1", "i", "j/2", "k", "l", "m"];
        for key in keys {
            put(&client, bucket, key, "x").await;
        }
        let top_keys = set(&["c", "e", "g", "i", "k", "l", "m"].map(String::from));
        let prefixes = set(&["a/", "b/", "d/", "f/", "h/", "j/"].map(String::from));

        // No delimiter: every key, in order.
        let paginator = client.list_objects_v2().bucket(bucket).into_paginator().page_size(4);
        let pages = paginator.clone().send().try_collect().await.unwrap();
        assert_eq!(pages.len(), 4);
        let listed: Vec<String> = paginator.contents().try_collect().await.unwrap().into_iter().map(|o| o.key.unwrap()).collect();
        assert_eq!(listed, keys);

        // With `/`: top-level keys and common prefixes, each once, over pages of 3
        // entries (keys and prefixes count together).
        let paginator = client.list_objects_v2().bucket(bucket).delimiter("/").into_paginator().page_size(3);
        let pages = paginator.clone().send().try_collect().await.unwrap();
        assert_eq!(pages.len(), 5);
        let contents: Vec<String> = pages.iter().flat_map(|p| p.contents()).map(|o| o.key.clone().unwrap()).collect();
        let common: Vec<String> = pages.iter().flat_map(|p| p.common_prefixes()).map(|c| c.prefix.clone().unwrap()).collect();
        exactly_once(&contents, &top_keys, "contents");
        exactly_once(&common, &prefixes, "common prefixes");
        let streamed: Vec<String> =
            paginator.clone().common_prefixes().try_collect().await.unwrap().into_iter().map(|c| c.prefix.unwrap()).collect();
        exactly_once(&streamed, &prefixes, "common_prefixes() stream");
        let streamed: Vec<String> = paginator.contents().try_collect().await.unwrap().into_iter().map(|o| o.key.unwrap()).collect();
        exactly_once(&streamed, &top_keys, "contents() stream");

        // Resumed in runs: `max_items` counts `Contents`; the prefixes of a page that is
        // cut are returned with the first part and not again with the rest.
        for (max_items, expect_cut) in [(2, false), (3, true)] {
            let runs = runs(|token| {
                let p = client.list_objects_v2().bucket(bucket).delimiter("/").into_paginator().page_size(3).max_items(max_items);
                match token {
                    Some(t) => p.starting_token(t),
                    None => p,
                }
                .send()
            })
            .await;
            assert!(runs.len() >= 3, "{} runs", runs.len());
            let pages: Vec<_> = runs.iter().flat_map(|(pages, _)| pages).collect();
            let contents: Vec<String> = pages.iter().flat_map(|p| p.contents()).map(|o| o.key.clone().unwrap()).collect();
            let common: Vec<String> = pages.iter().flat_map(|p| p.common_prefixes()).map(|c| c.prefix.clone().unwrap()).collect();
            exactly_once(&contents, &top_keys, &format!("contents, max_items {max_items}"));
            exactly_once(&common, &prefixes, &format!("common prefixes, max_items {max_items}"));
            let cut = runs.iter().any(|(_, t)| t.as_ref().is_some_and(|t| t.truncate_amount().is_some()));
            assert_eq!(cut, expect_cut, "max_items {max_items}: a run ended inside a page");
        }
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn list_object_versions_markers() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-versions";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        client
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
            .send()
            .await
            .unwrap();
        let mut versions = Vec::new();
        // A key that needs URL encoding: `NextKeyMarker` comes back encoded
        // (`EncodingType=url`) and must be decoded before it is sent again.
        let keys = ["k0", "k1", "k2", "k3 a+b%/é", "k4", "k5"];
        for key in keys {
            let key = key.to_owned();
            for body in ["one", "two"] {
                let version = put(&client, bucket, &key, body).await.expect("a version id");
                versions.push((key.clone(), version));
            }
        }
        let mut markers = Vec::new();
        for key in ["k1", "k4"] {
            let out = client.delete_object().bucket(bucket).key(key).send().await.unwrap();
            assert_eq!(out.delete_marker, Some(true));
            markers.push((key.to_owned(), out.version_id.unwrap()));
        }
        let versions = set(&versions);
        let markers = set(&markers);
        assert_eq!(versions.len(), 12);
        let of_page = |page: &s3::operation::list_object_versions::ListObjectVersionsOutput| {
            let v: Vec<(String, String)> =
                page.versions().iter().map(|v| (v.key.clone().unwrap(), v.version_id.clone().unwrap())).collect();
            let m: Vec<(String, String)> =
                page.delete_markers().iter().map(|m| (m.key.clone().unwrap(), m.version_id.clone().unwrap())).collect();
            (v, m)
        };

        // Pages of 3 (versions and delete markers count together).
        let paginator = client.list_object_versions().bucket(bucket).into_paginator().page_size(3);
        let pages = paginator.clone().send().try_collect().await.unwrap();
        assert!(pages.len() >= 5, "{} pages", pages.len());
        let (mut seen_versions, mut seen_markers) = (Vec::new(), Vec::new());
        for page in &pages {
            let (v, m) = of_page(page);
            assert!(v.len() + m.len() <= 3);
            seen_versions.extend(v);
            seen_markers.extend(m);
        }
        exactly_once(&seen_versions, &versions, "versions");
        exactly_once(&seen_markers, &markers, "delete markers");

        // The typed item streams.
        let streamed: Vec<(String, String)> = paginator
            .clone()
            .versions()
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .map(|v| (v.key.unwrap(), v.version_id.unwrap()))
            .collect();
        exactly_once(&streamed, &versions, "versions() stream");
        let streamed: Vec<(String, String)> = paginator
            .delete_markers()
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.key.unwrap(), m.version_id.unwrap()))
            .collect();
        exactly_once(&streamed, &markers, "delete_markers() stream");

        // Runs of 4 versions: tokens carry both markers.
        let runs = runs(|token| {
            let p = client.list_object_versions().bucket(bucket).into_paginator().page_size(3).max_items(4);
            match token {
                Some(t) => p.starting_token(t),
                None => p,
            }
            .send()
        })
        .await;
        assert!(runs.len() >= 3);
        let (mut seen_versions, mut seen_markers) = (Vec::new(), Vec::new());
        for (pages, token) in &runs {
            let mut in_run = 0;
            for page in pages {
                let (v, m) = of_page(page);
                in_run += v.len();
                seen_versions.extend(v);
                seen_markers.extend(m);
            }
            assert!(in_run <= 4);
            if let Some(token) = token {
                let names: Vec<&str> = token.parts().iter().map(|(n, _)| n.as_str()).collect();
                assert_eq!(names, ["KeyMarker", "VersionIdMarker"]);
            }
        }
        exactly_once(&seen_versions, &versions, "versions in runs");
        exactly_once(&seen_markers, &markers, "delete markers in runs");
        assert!(runs.iter().any(|(_, t)| t.as_ref().is_some_and(|t| t.truncate_amount().is_some())), "a run ended inside a page");
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn list_multipart_uploads_markers() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-uploads";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let mut uploads = Vec::new();
        for key in ["u0", "u1", "u1", "u2", "u3"] {
            let out = client.create_multipart_upload().bucket(bucket).key(key).send().await.unwrap();
            uploads.push((key.to_owned(), out.upload_id.unwrap()));
        }
        let uploads = set(&uploads);
        let paginator = client.list_multipart_uploads().bucket(bucket).into_paginator().page_size(2);
        let streamed: Vec<(String, String)> =
            paginator.uploads().try_collect().await.unwrap().into_iter().map(|u| (u.key.unwrap(), u.upload_id.unwrap())).collect();
        exactly_once(&streamed, &uploads, "uploads() stream");

        let runs = runs(|token| {
            let p = client.list_multipart_uploads().bucket(bucket).into_paginator().page_size(2).max_items(2);
            match token {
                Some(t) => p.starting_token(t),
                None => p,
            }
            .send()
        })
        .await;
        assert_eq!(runs.len(), 3);
        let mut seen = Vec::new();
        for (pages, token) in &runs {
            let run: Vec<(String, String)> = pages
                .iter()
                .flat_map(|p| p.uploads())
                .map(|u| (u.key.clone().unwrap(), u.upload_id.clone().unwrap()))
                .collect();
            assert!(run.len() <= 2);
            seen.extend(run);
            if let Some(token) = token {
                let names: Vec<&str> = token.parts().iter().map(|(n, _)| n.as_str()).collect();
                assert_eq!(names, ["KeyMarker", "UploadIdMarker"]);
            }
        }
        exactly_once(&seen, &uploads, "uploads in runs");
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn list_parts_integer_markers() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-parts";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let upload_id = client.create_multipart_upload().bucket(bucket).key("big").send().await.unwrap().upload_id.unwrap();
        for n in 1..=7 {
            client
                .upload_part()
                .bucket(bucket)
                .key("big")
                .upload_id(&upload_id)
                .part_number(n)
                .body(ByteStream::from(format!("part {n}")))
                .send()
                .await
                .unwrap();
        }
        let all: Vec<i32> = (1..=7).collect();
        let paginator = client.list_parts().bucket(bucket).key("big").upload_id(&upload_id).into_paginator().page_size(2);
        let pages = paginator.clone().send().try_collect().await.unwrap();
        assert_eq!(pages.iter().map(|p| p.parts().len()).collect::<Vec<_>>(), [2, 2, 2, 1]);
        let parts = paginator.parts().try_collect().await.unwrap();
        assert_eq!(parts.iter().map(|p| p.part_number.unwrap()).collect::<Vec<_>>(), all);
        assert_eq!(parts[6].size, Some(6));

        let runs = runs(|token| {
            let p = client.list_parts().bucket(bucket).key("big").upload_id(&upload_id).into_paginator().page_size(2).max_items(3);
            match token {
                Some(t) => p.starting_token(t),
                None => p,
            }
            .send()
        })
        .await;
        assert_eq!(runs.len(), 3);
        // The first run stops after part 3, inside the page asked for with marker 2.
        let first = runs[0].1.as_ref().unwrap();
        assert_eq!(first.get("PartNumberMarker"), Some(&TokenValue::Integer(2)));
        assert_eq!(first.truncate_amount(), Some(1));
        // Byte for byte the `NextToken`s boto3 1.44.8 gives for the same listing
        // (`PageSize` 2, `MaxItems` 3): {"PartNumberMarker": 2, "boto_truncate_amount": 1},
        // then {"PartNumberMarker": 6}.
        assert_eq!(first.to_string(), "eyJQYXJ0TnVtYmVyTWFya2VyIjogMiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMX0=");
        assert_eq!(runs[1].1.as_ref().unwrap().to_string(), "eyJQYXJ0TnVtYmVyTWFya2VyIjogNn0=");
        let listed: Vec<i32> = runs.iter().flat_map(|(pages, _)| pages).flat_map(|p| p.parts()).map(|p| p.part_number.unwrap()).collect();
        assert_eq!(listed, all);
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn waiter_bucket_exists() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-wait-bucket";
        let creator = {
            let client = client.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(700)).await;
                client.create_bucket().bucket(bucket).send().await.unwrap();
            })
        };
        let done = client.wait_until_bucket_exists().bucket(bucket).delay(Duration::from_millis(100)).wait(Duration::from_secs(20)).await.unwrap();
        assert!(done.output().is_some());
        assert!(done.attempts() >= 2, "the bucket did not exist at first: {} attempt(s)", done.attempts());
        creator.await.unwrap();
        cleanup(&client, bucket).await;
        let gone = client.wait_until_bucket_not_exists().bucket(bucket).delay(Duration::from_millis(100)).wait(Duration::from_secs(20)).await.unwrap();
        assert_eq!(gone.error().and_then(|e| e.meta().status()), Some(404));
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn waiter_object_exists_and_not_exists() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-wait-object";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let writer = {
            let client = client.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(700)).await;
                put(&client, bucket, "late", "arrived").await;
            })
        };
        let done = client
            .wait_until_object_exists()
            .bucket(bucket)
            .key("late")
            .delay(Duration::from_millis(100))
            .wait(Duration::from_secs(20))
            .await
            .unwrap();
        assert_eq!(done.output().unwrap().content_length, Some(7));
        assert!(done.attempts() >= 2, "the object did not exist at first: {} attempt(s)", done.attempts());
        writer.await.unwrap();

        let deleter = {
            let client = client.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(700)).await;
                client.delete_object().bucket(bucket).key("late").send().await.unwrap();
            })
        };
        let done = client
            .wait_until_object_not_exists()
            .bucket(bucket)
            .key("late")
            .delay(Duration::from_millis(100))
            .wait(Duration::from_secs(20))
            .await
            .unwrap();
        // Success on an error: the 404 the acceptor waits for.
        let err = done.error().expect("ObjectNotExists ends on a 404");
        assert_eq!(err.meta().status(), Some(404));
        assert!(done.attempts() >= 2, "the object existed at first: {} attempt(s)", done.attempts());
        deleter.await.unwrap();
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn waiter_times_out_and_runs_out_of_attempts() {
    runtime().block_on(async {
        let client = client();
        let bucket = "live-pg-wait-timeout";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let max_wait = Duration::from_secs(1);
        let err = client
            .wait_until_object_exists()
            .bucket(bucket)
            .key("never")
            .delay(Duration::from_millis(200))
            .wait(max_wait)
            .await
            .unwrap_err();
        let text = err.to_string();
        let WaiterError::ExceededMaxWait { waiter, max_wait: limit, elapsed, attempts, last } = err else {
            panic!("expected ExceededMaxWait, got {err:?}")
        };
        assert_eq!(waiter, "ObjectExists");
        assert_eq!(limit, max_wait);
        // No attempt starts after the deadline, and one still running then is dropped.
        assert!(elapsed <= max_wait + Duration::from_millis(500), "{elapsed:?}");
        assert!((1..=5).contains(&attempts), "{attempts} attempts");
        let last = last.expect("a last response").expect_err("the last response is the 404");
        assert_eq!(last.meta().status(), Some(404));
        assert!(text.starts_with("Waiter ObjectExists failed: Max wait of 1s exceeded"), "{text}");

        let err = client
            .wait_until_object_exists()
            .bucket(bucket)
            .key("never")
            .delay(Duration::from_millis(10))
            .max_attempts(3)
            .wait(Duration::from_secs(20))
            .await
            .unwrap_err();
        let WaiterError::MaxAttemptsExceeded { attempts: 3, last_matched, .. } = &err else { panic!("{err:?}") };
        assert_eq!(*last_matched, Some("Matched expected HTTP status code: 404"));
        cleanup(&client, bucket).await;
    });
}
