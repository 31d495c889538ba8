//! `resources vs boto3`: one scenario that touches every resource of `resources-1.json`
//! (the service resource's action, sub-resource and collection; each resource's load,
//! actions, sub-resources, collections with filter, limit, page size and pages; both batch
//! actions; the resource waiters) runs with boto3 1.44.8's resources
//! (`resources_oracle/boto3_scenario.py`, requests recorded by botocore's `before-send`
//! event) and with our `s3::resources` (requests recorded by a wrapping `HttpClient`),
//! each in its own bucket on the same moto server. The request sequences must be equal
//! (method, path, query, `x-amz-*` headers other than signing and checksum ones, XML
//! bodies canonicalized; bucket names, upload ids and version ids replaced by
//! placeholders in order of appearance) and so must the attributes read from the
//! resources. Prints `resources vs boto3: N passed, M failed` (requests and attributes).
//!
//! Run by `cargo xtask test` (`S3_TEST_MOTO_URL`, `S3_TEST_PYTHON`); ignored otherwise.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use s3::resources::Resources;
use s3::types;
use s3::{Client, Config};
use s3_runtime::transport::{BoxFuture, DispatchError, HttpClient, HyperClient, TransportSettings};
use s3_runtime::ByteStream;

#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    url: String,
    headers: BTreeMap<String, String>,
    body: Option<Vec<u8>>,
}

#[derive(Debug)]
struct Recorder {
    inner: HyperClient,
    log: Mutex<Vec<Recorded>>,
}

impl HttpClient for Recorder {
    fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        self.log.lock().unwrap().push(Recorded {
            method: request.method().as_str().to_owned(),
            url: request.uri().to_string(),
            headers,
            body: request.body().as_bytes().map(<[u8]>::to_vec),
        });
        self.inner.call(request)
    }
}

/// Headers that differ between any two clients (signing, time, checksums, agents).
fn compared_header(name: &str) -> bool {
    name.starts_with("x-amz-")
        && !matches!(
            name,
            "x-amz-date" | "x-amz-content-sha256" | "x-amz-security-token" | "x-amz-user-agent" | "x-amz-sdk-checksum-algorithm"
                | "x-amz-decoded-content-length" | "x-amz-trailer"
        )
        && !name.starts_with("x-amz-checksum-")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One line per request, ids not yet replaced.
fn describe(r: &Recorded) -> (String, Vec<String>) {
    let after_host = r.url.splitn(4, '/').nth(3).unwrap_or("");
    let (path, query) = after_host.split_once('?').unwrap_or((after_host, ""));
    let mut ids = Vec::new();
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let v = percent_decode(v);
            if matches!(k, "uploadId" | "versionId" | "upload-id-marker" | "version-id-marker") && !v.is_empty() {
                ids.push(v.clone());
            }
            format!("{k}={v}")
        })
        .collect();
    pairs.sort();
    let headers: Vec<String> =
        r.headers.iter().filter(|(k, _)| compared_header(k)).map(|(k, v)| format!("{k}: {}", percent_decode(v))).collect();
    let body = match &r.body {
        Some(b) if b.starts_with(b"<") => {
            let text = s3_runtime::xml::canonicalize(b).unwrap_or_else(|e| format!("unparsable XML: {e}"));
            for tag in ["VersionId", "UploadId"] {
                let open = format!("<{tag}>");
                for part in text.split(&open).skip(1) {
                    if let Some((id, _)) = part.split_once('<') {
                        ids.push(id.to_owned());
                    }
                }
            }
            text
        }
        _ => String::new(),
    };
    (format!("{} /{} ?{} | {} | {}", r.method, percent_decode(path), pairs.join("&"), headers.join(", "), body), ids)
}

/// Every request as a line, with the bucket name and ids replaced by placeholders.
fn normalize(records: &[Recorded], bucket: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let described: Vec<(String, Vec<String>)> = records.iter().map(describe).collect();
    for (_, ids) in &described {
        for id in ids {
            if !tokens.contains(id) {
                tokens.push(id.clone());
            }
        }
    }
    described
        .into_iter()
        .map(|(line, _)| {
            let mut line = line.replace(bucket, "BUCKET");
            for (i, t) in tokens.iter().enumerate() {
                line = line.replace(t.as_str(), &format!("ID{i}"));
            }
            line
        })
        .collect()
}

fn moto_url() -> String {
    std::env::var("S3_TEST_MOTO_URL").expect("S3_TEST_MOTO_URL is not set: run with `cargo xtask test`")
}

fn python() -> String {
    std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON is not set: run with `cargo xtask test`")
}

/// What was read from the resources: (label, value as Python's `str()` gives it).
type Attributes = Vec<(String, Option<String>)>;

fn boto3_run(prefix: &str) -> (Vec<Recorded>, Attributes, Vec<String>) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/resources_oracle/boto3_scenario.py");
    let out = Command::new(python()).arg(script).arg(moto_url()).arg(prefix).output().expect("run python");
    assert!(out.status.success(), "boto3 scenario failed: {}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("boto3 scenario output");
    let mut requests = Vec::new();
    let mut operations = Vec::new();
    for r in doc["requests"].as_array().unwrap() {
        operations.push(r["operation"].as_str().unwrap().to_owned());
        let body = r["body"].as_str().unwrap();
        requests.push(Recorded {
            method: r["method"].as_str().unwrap().to_owned(),
            url: r["url"].as_str().unwrap().to_owned(),
            headers: r["headers"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned())).collect(),
            body: (!body.is_empty()).then(|| body.chars().map(|c| c as u8).collect()),
        });
    }
    let attributes = doc["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a[0].as_str().unwrap().to_owned(), a[1].as_str().map(str::to_owned)))
        .collect();
    (requests, attributes, operations)
}

#[test]
#[ignore = "needs moto and the Python venv: run with `cargo xtask test`"]
fn resources_match_boto3() {
    let pid = std::process::id();
    let py_prefix = format!("py{pid}");
    let rs_prefix = format!("rs{pid}");
    let (py_requests, py_attrs, operations) = boto3_run(&py_prefix);

    let recorder = Arc::new(Recorder { inner: HyperClient::new(&TransportSettings::default()), log: Mutex::new(Vec::new()) });
    let client = Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(moto_url())
            .force_path_style(true)
            .credentials(s3_runtime::credentials::Credentials::new("testing", "testing", None))
            .http_client(SharedRecorder(recorder.clone()))
            .build(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let rs_attrs = runtime.block_on(scenario(client.resources(), &format!("{rs_prefix}-res")));
    let rs_requests = recorder.log.lock().unwrap().clone();

    let py_lines = normalize(&py_requests, &format!("{py_prefix}-res"));
    let rs_lines = normalize(&rs_requests, &format!("{rs_prefix}-res"));
    let (mut passed, mut failed) = (0, 0);
    for i in 0..py_lines.len().max(rs_lines.len()) {
        match (py_lines.get(i), rs_lines.get(i)) {
            (Some(p), Some(r)) if p == r => passed += 1,
            (p, r) => {
                failed += 1;
                let op = operations.get(i).map(String::as_str).unwrap_or("?");
                println!("request {i} ({op}) differs:\n  boto3: {p:?}\n  ours:  {r:?}");
            }
        }
    }
    let unbucket = |attrs: Vec<(String, Option<String>)>, bucket: String| -> Vec<(String, Option<String>)> {
        attrs.into_iter().map(|(k, v)| (k, v.map(|v| v.replace(&bucket, "BUCKET")))).collect()
    };
    let py_attrs = unbucket(py_attrs, format!("{py_prefix}-res"));
    let rs_attrs = unbucket(rs_attrs, format!("{rs_prefix}-res"));
    for i in 0..py_attrs.len().max(rs_attrs.len()) {
        match (py_attrs.get(i), rs_attrs.get(i)) {
            (Some(p), Some(r)) if p == r => passed += 1,
            (p, r) => {
                failed += 1;
                println!("attribute {i} differs:\n  boto3: {p:?}\n  ours:  {r:?}");
            }
        }
    }
    println!("resources vs boto3: {passed} passed, {failed} failed");
    assert_eq!(failed, 0);
}

#[derive(Debug)]
struct SharedRecorder(Arc<Recorder>);

impl HttpClient for SharedRecorder {
    fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        self.0.call(request)
    }
}

fn attr(out: &mut Vec<(String, Option<String>)>, label: &str, value: Option<String>) {
    out.push((label.to_owned(), value));
}

/// Python's `str()` of a list of strings.
fn py_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", "))
}

const WAIT: Duration = Duration::from_secs(60);

/// The steps of `boto3_scenario.py`, in the same order.
async fn scenario(s3: Resources, b: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let bucket = s3.create_bucket(|r| r.bucket(b)).await.unwrap();
    bucket.wait_until_exists().wait(WAIT).await.unwrap();
    let mut bucket = bucket;
    bucket.load().await.unwrap();
    attr(&mut out, "bucket.creation_date_set", Some(if bucket.creation_date().unwrap().is_some() { "True" } else { "False" }.into()));
    let names: Vec<String> =
        s3.buckets().items().try_collect().await.unwrap().iter().filter(|x| x.name() == b).map(|x| x.name().to_owned()).collect();
    attr(&mut out, "buckets", Some(py_list(&names)));

    bucket.versioning().enable().send().await.unwrap();
    let mut versioning = bucket.versioning();
    versioning.load().await.unwrap();
    attr(&mut out, "versioning.status", versioning.status().unwrap().map(|s| s.as_str().to_owned()));
    bucket.versioning().suspend().send().await.unwrap();
    bucket
        .versioning()
        .put()
        .versioning_configuration(types::VersioningConfiguration::builder().status("Enabled").build())
        .send()
        .await
        .unwrap();
    let mut acl = bucket.acl();
    acl.load().await.unwrap();
    attr(&mut out, "bucket_acl.grants", Some(acl.grants().unwrap().map_or(0, Vec::len).to_string()));
    acl.put().acl("private").send().await.unwrap();
    let mut cors = bucket.cors();
    let rule = types::CorsRule::builder().allowed_methods("GET").allowed_origins("*").build().unwrap();
    cors.put().cors_configuration(types::CorsConfiguration::builder().cors_rules(rule).build().unwrap()).send().await.unwrap();
    cors.load().await.unwrap();
    attr(&mut out, "cors.rules", Some(cors.cors_rules().unwrap().map_or(0, Vec::len).to_string()));
    cors.delete().send().await.unwrap();
    let mut tagging = bucket.tagging();
    let tag = types::Tag::builder().key("team").value("storage").build().unwrap();
    tagging.put().tagging(types::Tagging::builder().tag_set(tag).build().unwrap()).send().await.unwrap();
    tagging.load().await.unwrap();
    let tags: Vec<String> = tagging
        .tag_set()
        .unwrap()
        .unwrap()
        .iter()
        .map(|t| format!("{}={}", t.key.as_deref().unwrap(), t.value.as_deref().unwrap()))
        .collect();
    attr(&mut out, "tagging.tag_set", Some(py_list(&tags)));
    tagging.delete().send().await.unwrap();
    let mut policy = bucket.policy();
    policy.put().policy(r#"{"Version":"2012-10-17","Statement":[]}"#).send().await.unwrap();
    policy.load().await.unwrap();
    attr(&mut out, "policy.policy", policy.policy().unwrap().cloned());
    policy.delete().send().await.unwrap();
    let mut website = bucket.website();
    let index = types::IndexDocument::builder().suffix("index.html").build().unwrap();
    website.put().website_configuration(types::WebsiteConfiguration::builder().index_document(index).build()).send().await.unwrap();
    website.load().await.unwrap();
    attr(&mut out, "website.index_document", website.index_document().unwrap().and_then(|i| i.suffix.clone()));
    website.delete().send().await.unwrap();
    let mut logging = bucket.logging();
    logging.put().bucket_logging_status(types::BucketLoggingStatus::builder().build()).send().await.unwrap();
    logging.load().await.unwrap();
    attr(&mut out, "logging.logging_enabled", logging.logging_enabled().unwrap().map(|l| format!("{l:?}")));
    let mut payment = bucket.request_payment();
    payment
        .put()
        .request_payment_configuration(types::RequestPaymentConfiguration::builder().payer("Requester").build().unwrap())
        .send()
        .await
        .unwrap();
    payment.load().await.unwrap();
    attr(&mut out, "request_payment.payer", payment.payer().unwrap().map(|p| p.as_str().to_owned()));
    let mut notification = bucket.notification();
    notification.put().notification_configuration(types::NotificationConfiguration::builder().build()).send().await.unwrap();
    notification.load().await.unwrap();
    attr(&mut out, "notification.topic_configurations", notification.topic_configurations().unwrap().map(|t| format!("{t:?}")));
    let mut lifecycle = bucket.lifecycle_configuration();
    let rule = types::LifecycleRule::builder()
        .id("r1")
        .status("Enabled")
        .filter(types::LifecycleRuleFilter::builder().prefix("logs/").build())
        .expiration(types::LifecycleExpiration::builder().days(3).build())
        .build()
        .unwrap();
    lifecycle
        .put()
        .lifecycle_configuration(types::BucketLifecycleConfiguration::builder().rules(rule).build().unwrap())
        .send()
        .await
        .unwrap();
    lifecycle.load().await.unwrap();
    let ids: Vec<String> = lifecycle.rules().unwrap().unwrap().iter().map(|r| r.id.clone().unwrap()).collect();
    attr(&mut out, "lifecycle_configuration.rules", Some(py_list(&ids)));
    lifecycle.delete().send().await.unwrap();
    #[allow(deprecated)]
    {
        let mut old = bucket.lifecycle();
        let rule = types::Rule::builder()
            .id("r2")
            .prefix("tmp/")
            .status("Enabled")
            .expiration(types::LifecycleExpiration::builder().days(1).build())
            .build()
            .unwrap();
        old.put().lifecycle_configuration(types::LifecycleConfiguration::builder().rules(rule).build().unwrap()).send().await.unwrap();
        old.load().await.unwrap();
        let ids: Vec<String> = old.rules().unwrap().unwrap().iter().map(|r| r.id.clone().unwrap()).collect();
        attr(&mut out, "lifecycle.rules", Some(py_list(&ids)));
        old.delete().send().await.unwrap();
    }

    let mut obj = bucket.put_object(|r| r.key("a.txt").body(ByteStream::from_static(b"hello"))).await.unwrap();
    attr(&mut out, "put_object.key", Some(obj.key().to_owned()));
    obj.wait_until_exists().wait(WAIT).await.unwrap();
    obj.load().await.unwrap();
    attr(&mut out, "object.content_length", obj.content_length().unwrap().map(|v| v.to_string()));
    attr(&mut out, "object.e_tag", obj.e_tag().unwrap().cloned());
    obj.reload().await.unwrap();
    bucket.object("logs/1.txt").put().body(ByteStream::from_static(b"one")).send().await.unwrap();
    bucket.object("logs/2.txt").put().body(ByteStream::from_static(b"two!")).send().await.unwrap();
    bucket.object("logs/3.txt").put().body(ByteStream::from_static(b"three")).send().await.unwrap();
    let got = bucket.object("logs/2.txt").get().send().await.unwrap().body.unwrap().collect().await.unwrap();
    attr(&mut out, "object.get", Some(String::from_utf8(got).unwrap()));
    bucket.object("copy.txt").copy_from().copy_source(format!("{b}/a.txt")).send().await.unwrap();
    let mut object_acl = bucket.object("a.txt").acl();
    object_acl.load().await.unwrap();
    attr(&mut out, "object_acl.grants", Some(object_acl.grants().unwrap().map_or(0, Vec::len).to_string()));
    object_acl.put().acl("private").send().await.unwrap();

    let all = bucket.objects().all().items().try_collect().await.unwrap();
    let all: Vec<String> = all.iter().map(|o| format!("('{}', {})", o.key(), o.size().unwrap().unwrap())).collect();
    attr(&mut out, "objects.all", Some(format!("[{}]", all.join(", "))));
    let keys = |v: Vec<s3::resources::ObjectSummary>| v.iter().map(|o| o.key().to_owned()).collect::<Vec<_>>();
    let filtered = bucket.objects().filter().prefix("logs/").items().try_collect().await.unwrap();
    attr(&mut out, "objects.filter", Some(py_list(&keys(filtered))));
    let limited = bucket.objects().limit(2).items().try_collect().await.unwrap();
    attr(&mut out, "objects.limit", Some(py_list(&keys(limited))));
    let mut pages = bucket.objects().page_size(2).pages();
    let mut page_lists = Vec::new();
    while let Some(page) = pages.next().await {
        page_lists.push(py_list(&keys(page.unwrap())));
    }
    attr(&mut out, "objects.pages", Some(format!("[{}]", page_lists.join(", "))));
    let both = bucket.objects().filter().prefix("logs/").page_size(1).limit(2).items().try_collect().await.unwrap();
    attr(&mut out, "objects.filter.page_size.limit", Some(py_list(&keys(both))));

    let mut summary_res = s3::resources::ObjectSummary::new(s3.client().clone(), b, "a.txt");
    summary_res.load().await.unwrap();
    attr(&mut out, "object_summary.size", summary_res.size().unwrap().map(|v| v.to_string()));
    attr(&mut out, "object_summary.e_tag", summary_res.e_tag().unwrap().cloned());
    let got = summary_res.get().send().await.unwrap().body.unwrap().collect().await.unwrap();
    attr(&mut out, "object_summary.get", Some(String::from_utf8(got).unwrap()));
    summary_res.put().body(ByteStream::from_static(b"hello again")).send().await.unwrap();
    summary_res.copy_from().copy_source(format!("{b}/copy.txt")).send().await.unwrap();
    summary_res.wait_until_exists().wait(WAIT).await.unwrap();

    let mut cold = bucket.object("cold.txt");
    cold.put().body(ByteStream::from_static(b"brr")).storage_class("GLACIER").send().await.unwrap();
    cold.restore_object().restore_request(types::RestoreRequest::builder().days(1).build()).send().await.unwrap();
    cold.load().await.unwrap();
    attr(&mut out, "object.restore", cold.restore().unwrap().map(|r| r.split(',').next().unwrap().to_owned()));
    s3::resources::ObjectSummary::new(s3.client().clone(), b, "cold.txt")
        .restore_object()
        .restore_request(types::RestoreRequest::builder().days(2).build())
        .send()
        .await
        .unwrap();

    let mpu = bucket.object("big.bin").initiate_multipart_upload(|r| r).await.unwrap();
    attr(&mut out, "mpu.object_key", Some(mpu.object_key().to_owned()));
    mpu.part(1).upload().body(ByteStream::from(vec![b'x'; 5 * 1024 * 1024])).send().await.unwrap();
    mpu.part(2).copy_from().copy_source(format!("{b}/a.txt")).send().await.unwrap();
    let parts = mpu.parts().all().items().try_collect().await.unwrap();
    let listed: Vec<String> = parts.iter().map(|p| format!("({}, {})", p.part_number(), p.size().unwrap().unwrap())).collect();
    attr(&mut out, "mpu.parts", Some(format!("[{}]", listed.join(", "))));
    let uploads = bucket.multipart_uploads().all().items().try_collect().await.unwrap();
    let keys_: Vec<String> = uploads.iter().map(|u| u.object_key().to_owned()).collect();
    attr(&mut out, "bucket.multipart_uploads", Some(py_list(&keys_)));
    let parts = mpu.parts().all().items().try_collect().await.unwrap();
    let completed = types::CompletedMultipartUpload::builder()
        .set_parts(Some(
            parts
                .iter()
                .map(|p| types::CompletedPart::builder().part_number(p.part_number()).e_tag(p.e_tag().unwrap().unwrap().clone()).build())
                .collect(),
        ))
        .build();
    let done = mpu.complete(|r| r.multipart_upload(completed)).await.unwrap();
    attr(&mut out, "complete.key", Some(done.key().to_owned()));
    let other = s3::resources::ObjectSummary::new(s3.client().clone(), b, "abort.bin").initiate_multipart_upload(|r| r).await.unwrap();
    other.abort().send().await.unwrap();
    attr(&mut out, "mpu.object", Some(other.object().key().to_owned()));
    attr(&mut out, "version.object", Some(bucket.object("a.txt").version("v1").object().key().to_owned()));

    let versions = bucket.object_versions().filter().prefix("logs/").items().try_collect().await.unwrap();
    let listed: Vec<String> = versions.iter().map(|v| format!("('{}', {})", v.object_key(), v.size().unwrap().unwrap())).collect();
    attr(&mut out, "object_versions", Some(format!("[{}]", listed.join(", "))));
    let version = bucket.object_versions().filter().prefix("logs/1").items().try_collect().await.unwrap().remove(0);
    attr(&mut out, "version.head", version.head().send().await.unwrap().content_length.map(|v| v.to_string()));
    let got = version.get().send().await.unwrap().body.unwrap().collect().await.unwrap();
    attr(&mut out, "version.get", Some(String::from_utf8(got).unwrap()));
    version.delete().send().await.unwrap();
    bucket.object("copy.txt").delete().send().await.unwrap();
    bucket.object("copy.txt").wait_until_not_exists().wait(WAIT).await.unwrap();
    summary_res.delete().send().await.unwrap();
    summary_res.wait_until_not_exists().wait(WAIT).await.unwrap();
    attr(&mut out, "acl.bucket", Some(acl.bucket().name().to_owned()));
    attr(&mut out, "part.multipart_upload", Some(mpu.part(1).multipart_upload().object_key().to_owned()));
    attr(&mut out, "object.bucket", Some(obj.bucket().name().to_owned()));
    attr(&mut out, "object.multipart_upload", Some(obj.multipart_upload("u1").id().to_owned()));
    attr(&mut out, "object_acl.object", Some(object_acl.object().key().to_owned()));
    attr(&mut out, "summary.acl", Some(summary_res.acl().object_key().to_owned()));
    attr(&mut out, "summary.bucket", Some(summary_res.bucket().name().to_owned()));
    attr(&mut out, "summary.multipart_upload", Some(summary_res.multipart_upload("u2").id().to_owned()));
    attr(&mut out, "summary.object", Some(summary_res.object().key().to_owned()));
    attr(&mut out, "summary.version", Some(summary_res.version("v2").id().to_owned()));
    attr(&mut out, "service.bucket", Some(s3.bucket(b).name().to_owned()));
    let second = s3.bucket(format!("{b}-2"));
    second.create().send().await.unwrap();
    second.put_object(|r| r.key("x").body(ByteStream::from_static(b"x"))).await.unwrap();
    let delete = types::Delete::builder().objects(types::ObjectIdentifier::builder().key("x").build().unwrap()).build().unwrap();
    second.delete_objects().delete(delete).send().await.unwrap();
    second.delete().send().await.unwrap();
    let batch = bucket.objects().filter().prefix("logs/").page_size(2).delete().await.unwrap();
    attr(&mut out, "batch.objects", Some(batch.len().to_string()));
    let batch = bucket.object_versions().delete().await.unwrap();
    attr(&mut out, "batch.versions", Some(batch.len().to_string()));
    bucket.delete().send().await.unwrap();
    bucket.wait_until_not_exists().wait(WAIT).await.unwrap();
    out
}

/// No network: an attribute read before `load()` is a typed error naming the resource
/// and the attribute; a resource without `load()` says where its data comes from.
#[test]
fn attributes_before_load_are_a_clear_error() {
    let client = Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(s3_runtime::credentials::Credentials::new("testing", "testing", None))
            .build(),
    );
    let obj = s3::resources::Object::new(client.clone(), "b", "k");
    let err = obj.content_length().unwrap_err();
    assert_eq!((err.resource(), err.attribute()), ("Object", "content_length"));
    assert_eq!(err.to_string(), "Object.content_length is not loaded: call load() first");
    let version = client.resources().bucket("b").object("k").version("v1");
    let err = version.size().unwrap_err();
    assert!(err.to_string().contains("ObjectVersion has no load()"), "{err}");
    assert_eq!((version.bucket_name(), version.object_key(), version.id()), ("b", "k", "v1"));
}
