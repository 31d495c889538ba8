//! What the examples share: a client, a bucket of their own, and cleaning up.
//!
//! Each program in `src/bin/` is one of the boto3 S3 guide's examples written with the
//! generated client. It runs against moto when `S3_TEST_MOTO_URL` is set (this is how
//! `cargo xtask test` runs them), and otherwise against whatever the environment
//! configures (`Client::from_env()`: `AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_S3`,
//! …), real S3 included:
//!
//! ```text
//! S3_TEST_MOTO_URL=http://127.0.0.1:5000 cargo run -p s3-examples --bin list_objects
//! AWS_PROFILE=dev AWS_REGION=eu-west-1 cargo run -p s3-examples --bin list_objects
//! ```
//!
//! Every example creates a bucket with a random name, checks its results with
//! `assert!`, deletes everything it created (also when an assertion fails), and exits
//! with a non-zero status on failure.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::process::ExitCode;

use s3::types::{BucketLocationConstraint, CreateBucketConfiguration, Delete, ObjectIdentifier};
use s3::{Client, Config};

/// Any error; examples use `?` on every call.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The result of an example.
pub type Result<T = ()> = std::result::Result<T, Error>;

/// The variable that points the examples at a moto server.
pub const MOTO_URL_VAR: &str = "S3_TEST_MOTO_URL";

/// Whether the examples run against moto (`S3_TEST_MOTO_URL` is set), which does some
/// things differently from S3 (restores finish at once, SSE-C is ignored).
pub fn against_moto() -> bool {
    std::env::var_os(MOTO_URL_VAR).is_some()
}

/// A client for moto at `S3_TEST_MOTO_URL` (path-style, test credentials), or else
/// configured from the environment and the shared files.
pub async fn client() -> Result<Client> {
    match std::env::var(MOTO_URL_VAR) {
        Ok(url) => Ok(Client::from_conf(
            Config::builder()
                .region("us-east-1")
                .endpoint_url(url)
                .force_path_style(true)
                .credentials(s3_runtime::Credentials::new("testing", "testing", None))
                .build(),
        )),
        Err(_) => Ok(Client::from_env().await?),
    }
}

/// `n` random bytes from the operating system (`/dev/urandom`), or, where there is
/// none, from the standard library's randomly seeded hasher.
pub fn random_bytes(n: usize) -> Vec<u8> {
    use std::io::Read;
    let mut bytes = vec![0u8; n];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok() {
        return bytes;
    }
    // Each `RandomState` is seeded with fresh randomness by the standard library.
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_usize(i);
        chunk.copy_from_slice(&hasher.finish().to_le_bytes()[..chunk.len()]);
    }
    bytes
}

/// A bucket name for `example` that no one else uses: `s3-examples-<example>-<random>`.
pub fn bucket_name(example: &str) -> String {
    let suffix: String = random_bytes(6).iter().map(|b| format!("{b:02x}")).collect();
    let example: String = example.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let mut name = format!("s3-examples-{example}");
    name.truncate(63 - 1 - suffix.len());
    format!("{name}-{suffix}")
}

/// Creates `bucket` in the client's region.
pub async fn create_bucket(client: &Client, bucket: &str) -> Result {
    let mut request = client.create_bucket().bucket(bucket);
    // us-east-1 is the default location and must not be named.
    if let Some(region) = client.config().region().filter(|r| *r != "us-east-1") {
        request = request.create_bucket_configuration(
            CreateBucketConfiguration::builder().location_constraint(BucketLocationConstraint::from(region)).build(),
        );
    }
    request.send().await?;
    Ok(())
}

/// Aborts the bucket's multipart uploads, deletes every object version and delete
/// marker, then the bucket.
pub async fn delete_bucket(client: &Client, bucket: &str) -> Result {
    let uploads = client.list_multipart_uploads().bucket(bucket).into_paginator().uploads().try_collect().await?;
    for upload in uploads {
        client.abort_multipart_upload().bucket(bucket).set_key(upload.key).set_upload_id(upload.upload_id).send().await?;
    }
    let mut pages = client.list_object_versions().bucket(bucket).into_paginator().page_size(1000).send();
    while let Some(page) = pages.next().await {
        let page = page?;
        let versions = page.versions().iter().map(|v| (v.key.clone(), v.version_id.clone()));
        let markers = page.delete_markers().iter().map(|m| (m.key.clone(), m.version_id.clone()));
        let objects = versions
            .chain(markers)
            .map(|(key, version_id)| ObjectIdentifier::builder().set_key(key).set_version_id(version_id).build())
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if objects.is_empty() {
            continue;
        }
        let out = client.delete_objects().bucket(bucket).delete(Delete::builder().set_objects(Some(objects)).quiet(true).build()?).send().await?;
        if let Some(error) = out.errors().first() {
            return Err(format!("cannot delete {:?}: {:?}", error.key, error.message).into());
        }
    }
    client.delete_bucket().bucket(bucket).send().await?;
    Ok(())
}

/// Runs one example: makes a client and a fresh bucket, runs `example` with them, and
/// deletes the bucket and everything in it whatever happened. A failed assertion (a
/// panic) or an error fails the run: the status is then non-zero.
pub async fn run<F, Fut>(name: &str, example: F) -> ExitCode
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = Result> + Send + 'static,
{
    let target = std::env::var(MOTO_URL_VAR).map(|url| format!("moto at {url}")).unwrap_or_else(|_| "the configured S3 endpoint".to_owned());
    println!("== {name} (against {target})");
    let client = match client().await {
        Ok(client) => client,
        Err(err) => {
            eprintln!("{name}: cannot configure a client: {err}");
            return ExitCode::FAILURE;
        }
    };
    let bucket = bucket_name(name);
    if let Err(err) = create_bucket(&client, &bucket).await {
        eprintln!("{name}: cannot create bucket {bucket}: {err}");
        return ExitCode::FAILURE;
    }
    // In a task of its own, so that a failed assertion still lets the cleanup run.
    let outcome = tokio::spawn(example(client.clone(), bucket.clone())).await;
    let cleanup = delete_bucket(&client, &bucket).await;
    let mut ok = true;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            eprintln!("{name}: failed: {err}");
            ok = false;
        }
        Err(err) => {
            eprintln!("{name}: failed: {}", if err.is_panic() { "an assertion failed (see above)" } else { "cancelled" });
            ok = false;
        }
    }
    if let Err(err) = cleanup {
        eprintln!("{name}: cleanup of bucket {bucket} failed: {err}");
        ok = false;
    }
    if ok {
        println!("{name}: ok");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The Python that `cargo xtask test` gives the examples (its venv, with boto3 1.44.8).
pub const PYTHON_VAR: &str = "S3_TEST_PYTHON";

/// boto3's answer, the oracle of an example that mirrors a JMESPath search:
/// `client.get_paginator(operation).paginate(Bucket=bucket).search(expression)` on the
/// moto server, each item as compact JSON (`json.dumps(item, default=str)`). `None`
/// unless both `S3_TEST_MOTO_URL` and `S3_TEST_PYTHON` are set.
pub fn boto3_search(operation: &str, bucket: &str, expression: &str) -> Result<Option<Vec<String>>> {
    let (Ok(url), Ok(python)) = (std::env::var(MOTO_URL_VAR), std::env::var(PYTHON_VAR)) else {
        return Ok(None);
    };
    const SCRIPT: &str = r#"
import json, sys, boto3
url, operation, bucket, expression = sys.argv[1:5]
s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=url,
                  aws_access_key_id="testing", aws_secret_access_key="testing")
for item in s3.get_paginator(operation).paginate(Bucket=bucket).search(expression):
    print(json.dumps(item, separators=(",", ":"), ensure_ascii=False, default=str))
"#;
    let out = std::process::Command::new(&python).args(["-c", SCRIPT, &url, operation, bucket, expression]).output()?;
    if !out.status.success() {
        return Err(format!("boto3 failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(Some(String::from_utf8(out.stdout)?.lines().map(str::to_owned).collect()))
}
