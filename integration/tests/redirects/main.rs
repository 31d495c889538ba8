//! Region redirects (`s3_runtime::redirect`, botocore's `S3RegionRedirectorv2`) against a
//! loopback stub playing S3 with buckets in two regions (`stub.rs`): which requests are
//! sent again, where, signed for which region, how often, and that the bucket's region
//! is remembered.
//!
//! Two endpoint set-ups: a custom endpoint (the stub's URL, path style: only the signing
//! region changes), and AWS's own endpoints (`https://b.s3.us-west-2.amazonaws.com`),
//! whose requests an HTTP client hook delivers to the stub with their `Host` kept, so the
//! host the request was resolved to is logged too.
//!
//! `redirects_match_botocore` (ignored unless `S3_TEST_PYTHON` names a Python with
//! botocore 1.44.8; run by `cargo xtask test`) runs every scenario with botocore
//! (`integration/fakes/botocore_redirect.py`, the same hook as a `before-send` handler)
//! and with our client against the same stub, compares the stub's logs (method, host,
//! path and query, signing region of every request) and each step's outcome, and prints
//! `redirects vs botocore: N passed, M failed`.

mod stub;

use std::process::Command;

use s3_runtime::transport::{BoxFuture, DispatchError, HttpClient, HyperClient};
use s3_runtime::{ByteStream, ResponseErrorKind, SdkError};
use stub::{Stub, Wrong};

const B1: &str = "bucket-one";
const B2: &str = "bucket-two";
const BUCKETS: &[(&str, &str)] = &[(B1, "eu-west-1"), (B2, "us-west-2")];

#[derive(Clone, Copy, Debug)]
enum Step {
    Get(&'static str),
    Put(&'static str),
    HeadObject(&'static str),
    HeadBucket(&'static str),
    List(&'static str),
    CreateBucket(&'static str),
}

impl Step {
    fn json(self) -> serde_json::Value {
        let (op, bucket) = match self {
            Step::Get(b) => ("get", b),
            Step::Put(b) => ("put", b),
            Step::HeadObject(b) => ("head_object", b),
            Step::HeadBucket(b) => ("head_bucket", b),
            Step::List(b) => ("list", b),
            Step::CreateBucket(b) => ("create_bucket", b),
        };
        serde_json::json!({"op": op, "bucket": bucket})
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    /// The stub's URL as `endpoint_url` (path style on an IP address).
    Custom,
    /// AWS's endpoints, delivered to the stub by a hook.
    Aws,
}

struct Scenario {
    name: &'static str,
    wrong: Wrong,
    endpoint: Endpoint,
    steps: Vec<Step>,
}

fn scenarios() -> Vec<Scenario> {
    use Step::*;
    let mut all = Vec::new();
    for endpoint in [Endpoint::Custom, Endpoint::Aws] {
        let s = |name, wrong, steps| Scenario { name, wrong, endpoint, steps };
        all.extend([
            s("301 PermanentRedirect with x-amz-bucket-region, then cached", Wrong::PermanentRedirect, vec![Get(B1), Get(B1), List(B2)]),
            s("bodiless HEAD 301 with x-amz-bucket-region", Wrong::PermanentRedirect, vec![HeadObject(B1), HeadBucket(B1)]),
            s("HeadBucket 301 with x-amz-bucket-region", Wrong::PermanentRedirect, vec![HeadBucket(B1), Put(B1)]),
            s("301 without a region: HeadBucket finds it", Wrong::PermanentRedirectNoRegion, vec![List(B1), Get(B1)]),
            s("bodiless HeadObject 301 without a region: HeadBucket finds it", Wrong::PermanentRedirectNoRegion, vec![HeadObject(B1)]),
            s("400 AuthorizationHeaderMalformed with <Region>", Wrong::AuthorizationHeaderMalformed, vec![Put(B1), Get(B1)]),
            s("bodiless HeadObject 400: HeadBucket finds the region", Wrong::AuthorizationHeaderMalformed, vec![HeadObject(B1)]),
            s("IllegalLocationConstraintException", Wrong::IllegalLocationConstraint, vec![Get(B1)]),
            s("IllegalLocationConstraintException on CreateBucket is not redirected", Wrong::IllegalLocationConstraint, vec![CreateBucket(B1)]),
            s("307 TemporaryRedirect", Wrong::TemporaryRedirect, vec![Get(B1)]),
            s("redirected once only", Wrong::AlwaysRedirect, vec![Get(B1)]),
            s("the redirect counts as an attempt", Wrong::ThenInternalError, vec![Get(B1)]),
            s("a region that is not a region name", Wrong::InvalidRegion, vec![Get(B1)]),
        ]);
    }
    all
}

/// Delivers every request to the stub, keeping its URL's authority as `Host`.
#[derive(Debug)]
struct Forward {
    inner: HyperClient,
    stub: String,
}

impl HttpClient for Forward {
    fn call(&self, mut request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        let host = request.uri().authority().map(|a| a.to_string()).unwrap_or_default();
        let path = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
        *request.uri_mut() = format!("http://{}{path}", self.stub).parse().unwrap();
        request.headers_mut().insert(http::header::HOST, host.parse().unwrap());
        self.inner.call(request)
    }
}

fn client(stub: &Stub, endpoint: Endpoint) -> s3::Client {
    let config = s3::Config::builder()
        .region("us-west-2")
        .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None));
    let config = match endpoint {
        Endpoint::Custom => config.endpoint_url(&stub.url),
        Endpoint::Aws => config.http_client(Forward { inner: HyperClient::default(), stub: stub.addr.clone() }),
    };
    s3::Client::from_conf(config.build())
}

/// `ok`, the service error's code, or what else went wrong (`InvalidRegionError` as
/// botocore names it).
fn outcome<T, E: std::fmt::Debug>(result: Result<T, SdkError<E>>, meta: fn(&E) -> &s3_runtime::ErrorMetadata) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(SdkError::Service(e)) => meta(&e).code().unwrap_or("?").to_owned(),
        Err(SdkError::Response(e)) if e.kind() == ResponseErrorKind::InvalidRegion => "InvalidRegionError".to_owned(),
        Err(other) => format!("other: {other:?}"),
    }
}

async fn run_ours(client: &s3::Client, step: Step) -> String {
    use s3::operation::*;
    match step {
        Step::Get(b) => outcome(client.get_object().bucket(b).key("k").send().await, get_object::GetObjectError::meta),
        Step::Put(b) => outcome(client.put_object().bucket(b).key("k").body(ByteStream::from_static(b"hello")).send().await, put_object::PutObjectError::meta),
        Step::HeadObject(b) => outcome(client.head_object().bucket(b).key("k").send().await, head_object::HeadObjectError::meta),
        Step::HeadBucket(b) => outcome(client.head_bucket().bucket(b).send().await, head_bucket::HeadBucketError::meta),
        Step::List(b) => outcome(client.list_objects_v2().bucket(b).send().await, list_objects_v2::ListObjectsV2Error::meta),
        Step::CreateBucket(b) => outcome(client.create_bucket().bucket(b).send().await, create_bucket::CreateBucketError::meta),
    }
}

/// Our client through a scenario: each step's outcome, and the stub's log.
async fn ours(stub: &Stub, scenario: &Scenario) -> (Vec<String>, Vec<String>) {
    let client = client(stub, scenario.endpoint);
    let mut outcomes = Vec::new();
    for step in &scenario.steps {
        outcomes.push(run_ours(&client, *step).await);
    }
    (outcomes, stub.take_log())
}

fn region_of(line: &str) -> &str {
    line.rsplit(' ').next().unwrap()
}

#[tokio::test]
async fn a_permanent_redirect_is_followed_once_to_the_new_host_and_remembered() {
    let stub = Stub::start(BUCKETS, Wrong::PermanentRedirect).await;
    let client = client(&stub, Endpoint::Aws);
    let out = client.get_object().bucket(B1).key("k").send().await.unwrap();
    assert_eq!(out.body.unwrap().collect().await.unwrap(), b"hello");
    assert_eq!(
        stub.take_log(),
        [
            "GET bucket-one.s3.us-west-2.amazonaws.com /k us-west-2",
            "GET bucket-one.s3.eu-west-1.amazonaws.com /k eu-west-1",
        ]
    );
    // The bucket's region is remembered: straight there the next time, and for a
    // presigned URL too. Other buckets keep the client's region.
    client.head_object().bucket(B1).key("k").send().await.unwrap();
    client.head_bucket().bucket(B2).send().await.unwrap();
    assert_eq!(
        stub.take_log(),
        ["HEAD bucket-one.s3.eu-west-1.amazonaws.com /k eu-west-1", "HEAD bucket-two.s3.us-west-2.amazonaws.com / us-west-2"]
    );
    let presigned = client
        .get_object()
        .bucket(B1)
        .key("k")
        .presigned(s3_runtime::presign::PresigningConfig::expires_in(std::time::Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    assert!(presigned.uri().starts_with("https://bucket-one.s3.eu-west-1.amazonaws.com/k?"), "{}", presigned.uri());
}

#[tokio::test]
async fn a_bodiless_head_301_keeps_the_bucket_region_on_the_error() {
    // One redirect only: the right region answers PermanentRedirect too.
    let stub = Stub::start(BUCKETS, Wrong::AlwaysRedirect).await;
    let client = client(&stub, Endpoint::Custom);
    let err = client.head_object().bucket(B1).key("k").send().await.unwrap_err();
    let err = err.into_service_error().unwrap();
    assert_eq!(err.meta().code(), Some("301"));
    assert_eq!(err.meta().bucket_region(), Some("eu-west-1"));
    let log = stub.take_log();
    assert_eq!(log.iter().map(|l| region_of(l)).collect::<Vec<_>>(), ["us-west-2", "eu-west-1"]);
}

#[tokio::test]
async fn authorization_header_malformed_names_the_region_in_its_document() {
    let stub = Stub::start(BUCKETS, Wrong::AuthorizationHeaderMalformed).await;
    let client = client(&stub, Endpoint::Custom);
    client.put_object().bucket(B1).key("k").body(ByteStream::from_static(b"hello")).send().await.unwrap();
    let log = stub.take_log();
    assert_eq!(log.iter().map(|l| region_of(l)).collect::<Vec<_>>(), ["us-west-2", "eu-west-1"]);
    assert!(log.iter().all(|l| l.starts_with(&format!("PUT {} /bucket-one/k ", stub.addr))), "{log:?}");
}

#[tokio::test]
async fn without_a_region_in_the_response_head_bucket_finds_it() {
    let stub = Stub::start(BUCKETS, Wrong::PermanentRedirectNoRegion).await;
    let client = client(&stub, Endpoint::Custom);
    client.list_objects_v2().bucket(B1).send().await.unwrap();
    let log = stub.take_log();
    // The listing, HeadBucket (redirected itself by its bodiless 301), the listing again.
    let summary: Vec<String> = log.iter().map(|l| format!("{} {}", l.split(' ').next().unwrap(), region_of(l))).collect();
    assert_eq!(summary, ["GET us-west-2", "HEAD us-west-2", "HEAD eu-west-1", "GET eu-west-1"]);
}

#[tokio::test]
async fn an_invalid_region_is_a_typed_error_naming_it() {
    let stub = Stub::start(BUCKETS, Wrong::InvalidRegion).await;
    let client = client(&stub, Endpoint::Custom);
    let err = client.get_object().bucket(B1).key("k").send().await.unwrap_err();
    let SdkError::Response(err) = err else { panic!("{err:?}") };
    assert_eq!(err.kind(), ResponseErrorKind::InvalidRegion);
    assert!(err.to_string().contains("`not/a-region`"), "{err}");
    assert_eq!(stub.take_log().len(), 1);
}

#[tokio::test]
async fn create_bucket_is_not_redirected_by_illegal_location_constraint() {
    let stub = Stub::start(BUCKETS, Wrong::IllegalLocationConstraint).await;
    let client = client(&stub, Endpoint::Custom);
    let err = client.create_bucket().bucket(B1).send().await.unwrap_err();
    assert_eq!(err.into_service_error().unwrap().meta().code(), Some("IllegalLocationConstraintException"));
    assert_eq!(stub.take_log().len(), 1);
    client.get_object().bucket(B1).key("k").send().await.unwrap();
    assert_eq!(stub.take_log().len(), 2);
}

/// The scenarios with botocore, as `integration/fakes/botocore_redirect.py` runs them.
fn botocore(python: &str, stub: &Stub, scenario: &Scenario) -> Result<Vec<String>, String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/fakes/botocore_redirect.py");
    let spec = serde_json::json!({
        "region": "us-west-2",
        "endpoint_url": (scenario.endpoint == Endpoint::Custom).then(|| stub.url.clone()),
        "forward": (scenario.endpoint == Endpoint::Aws).then(|| stub.url.clone()),
        "steps": scenario.steps.iter().map(|s| s.json()).collect::<Vec<_>>(),
    });
    // `timeout`: a scenario that hangs fails instead of stalling the test command.
    let mut cmd = Command::new("timeout");
    cmd.arg("120").arg(python).arg(script).arg(spec.to_string());
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent").env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    let out = cmd.output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs S3_TEST_PYTHON with botocore 1.44.8 (cargo xtask test)"]
async fn redirects_match_botocore() {
    let python = std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON");
    let (mut passed, mut failed) = (0, 0);
    for scenario in scenarios() {
        let label = format!("{} ({:?} endpoint)", scenario.name, scenario.endpoint);
        // One stub for both clients, so that they see the same URL.
        let stub = Stub::start(BUCKETS, scenario.wrong).await;
        let (our_outcomes, our_log) = ours(&stub, &scenario).await;
        let theirs = {
            let (python, stub_ref, scenario_ref) = (python.clone(), &stub, &scenario);
            tokio::task::block_in_place(|| botocore(&python, stub_ref, scenario_ref))
        };
        let their_log = stub.take_log();
        match theirs {
            Ok(their_outcomes) if their_outcomes == our_outcomes && their_log == our_log => passed += 1,
            Ok(their_outcomes) => {
                failed += 1;
                eprintln!("MISMATCH {label}\n  botocore: {their_outcomes:?}\n    {their_log:#?}\n  ours: {our_outcomes:?}\n    {our_log:#?}");
            }
            Err(why) => {
                failed += 1;
                eprintln!("BOTOCORE FAILED {label}: {why}");
            }
        }
    }
    println!("redirects vs botocore: {passed} passed, {failed} failed");
    assert_eq!(failed, 0);
}
