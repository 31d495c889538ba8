//! The `serde` feature: outputs serialize as botocore's parsed dicts (the model's member
//! names, in model order), and a paginator's `search(expression)` yields what boto3's
//! `paginator.paginate(...).search(expression)` yields.
//!
//! The expected values for the three `ListObjectsV2` pages below are botocore 1.44.8's
//! (with jmespath 1.1.0) for the same XML: its rest-xml parser for `parsed_page_1()`, and
//! a client whose `before-send` hook answers with these pages for the searches. Only
//! timestamps differ, on purpose: botocore has `datetime` objects, here they are ISO 8601
//! strings with milliseconds.

use s3::operation::list_objects_v2;
use s3::primitives::{Blob, ByteStream, DateTime};
use s3::types::{ObjectEncryption, RecordsEvent, SelectObjectContentEventStream, SsekmsEncryption};
use s3::{Client, Config};
use s3_runtime::http::HttpResponse;
use s3_runtime::test_util::{MockResponse, MockTransport};
use s3_runtime::{Credentials, SdkError};
use serde_json::{json, Value};

const NS: &str = r#"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;

/// Three pages of `ListObjectsV2` with `Delimiter=/`: the second has no `Contents`,
/// the third no `CommonPrefixes`. Keys are URL-encoded (`EncodingType=url`).
fn page(token: Option<&str>) -> String {
    let body = match token {
        None => {
            r#"<Name>b</Name><Prefix></Prefix><Delimiter>/</Delimiter><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken>
<Contents><Key>a%20b</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;e1&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>c</Key><LastModified>2024-01-02T03:04:06.500Z</LastModified><ETag>&quot;e2&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><Size>7</Size><StorageClass>GLACIER_X</StorageClass><Owner><DisplayName>me</DisplayName><ID>o1</ID></Owner></Contents>
<CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes><EncodingType>url</EncodingType>"#
        }
        Some("t1") => {
            r#"<Name>b</Name><Prefix></Prefix><Delimiter>/</Delimiter><KeyCount>1</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><ContinuationToken>t1</ContinuationToken><NextContinuationToken>t2</NextContinuationToken>
<CommonPrefixes><Prefix>e%2Ff/</Prefix></CommonPrefixes><EncodingType>url</EncodingType>"#
        }
        Some("t2") => {
            r#"<Name>b</Name><Prefix></Prefix><Delimiter>/</Delimiter><KeyCount>1</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>false</IsTruncated><ContinuationToken>t2</ContinuationToken>
<Contents><Key>z</Key><LastModified>2023-12-31T23:59:59.000Z</LastModified><ETag>&quot;e3&quot;</ETag><Size>1048576</Size><StorageClass>STANDARD</StorageClass></Contents><EncodingType>url</EncodingType>"#
        }
        Some(other) => panic!("unexpected continuation token {other}"),
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult {NS}>{body}</ListBucketResult>")
}

/// botocore's `RestXMLParser` on the first page (no handlers, so keys stay encoded),
/// without `ResponseMetadata`, in botocore's key order.
fn parsed_page_1() -> Value {
    json!({
        "IsTruncated": true,
        "Contents": [
            {"Key": "a%20b", "LastModified": "2024-01-02T03:04:05.000Z", "ETag": "\"e1\"", "Size": 5, "StorageClass": "STANDARD"},
            {
                "Key": "c", "LastModified": "2024-01-02T03:04:06.500Z", "ETag": "\"e2\"", "ChecksumAlgorithm": ["CRC32"],
                "Size": 7, "StorageClass": "GLACIER_X", "Owner": {"DisplayName": "me", "ID": "o1"}
            }
        ],
        "Name": "b",
        "Prefix": "",
        "Delimiter": "/",
        "MaxKeys": 2,
        "CommonPrefixes": [{"Prefix": "d/"}],
        "EncodingType": "url",
        "KeyCount": 3,
        "NextContinuationToken": "t1"
    })
}

#[test]
fn an_output_serializes_as_botocore_parses_it() {
    let response = HttpResponse::new(200, Vec::new(), page(None).into_bytes());
    let out = list_objects_v2::parse_response(response).unwrap();
    assert_eq!(serde_json::to_value(&out).unwrap(), parsed_page_1());
    // The same text, so the same member order too (`serde_json/preserve_order`).
    assert_eq!(serde_json::to_string(&out).unwrap(), parsed_page_1().to_string());
    // Items serialize alone as well.
    assert_eq!(serde_json::to_value(&out.contents()[0]).unwrap(), parsed_page_1()["Contents"][0]);
}

#[test]
fn other_values() {
    // Unions: the member by its model name; an unknown member as botocore has it.
    let known = ObjectEncryption::Ssekms(SsekmsEncryption::builder().kms_key_arn("arn:k").build().unwrap());
    assert_eq!(serde_json::to_value(&known).unwrap(), json!({"SSEKMS": {"KMSKeyArn": "arn:k"}}));
    let unknown = ObjectEncryption::Unknown("SSEQuantum".into());
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!({"SDK_UNKNOWN_MEMBER": {"name": "SSEQuantum"}}));
    // Event stream events, and blobs as base64.
    let event = SelectObjectContentEventStream::Records(RecordsEvent::builder().payload(Blob::new(*b"a,b\n")).build());
    assert_eq!(serde_json::to_value(&event).unwrap(), json!({"Records": {"Payload": "YSxiCg=="}}));
    // Streaming bodies are left out; maps are objects in insertion order; timestamps in
    // headers (whole seconds) get `.000` too.
    let out = s3::operation::get_object::GetObjectOutput::builder()
        .body(ByteStream::from("hello"))
        .content_length(5)
        .last_modified(DateTime::from_secs(1_704_164_645))
        .metadata("z", "1")
        .metadata("a", "2")
        .build();
    assert_eq!(
        serde_json::to_string(&out).unwrap(),
        r#"{"LastModified":"2024-01-02T03:04:05.000Z","ContentLength":5,"Metadata":{"z":"1","a":"2"}}"#
    );
    // A modeled error: its members only (none here), not its metadata.
    assert_eq!(serde_json::to_value(s3::types::error::NoSuchKey::default()).unwrap(), json!({}));
}

/// A mock transport that answers each `ListObjectsV2` request with the page its
/// `continuation-token` names, and records the requests.
fn pages() -> MockTransport {
    let xml = |token| MockResponse::ok().header("Content-Type", "application/xml").body(page(token));
    MockTransport::new()
        .on_request(|r| r.url.contains("continuation-token=t1"), [xml(Some("t1"))])
        .on_request(|r| r.url.contains("continuation-token=t2"), [xml(Some("t2"))])
        .on_request(|r| !r.url.contains("continuation-token="), [xml(None)])
}

fn client(pages: &MockTransport) -> Client {
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .http_client(pages.clone())
            .build(),
    )
}

async fn search(expression: &str) -> Vec<Value> {
    let pages = pages();
    let results = client(&pages).list_objects_v2().bucket("b").delimiter("/").into_paginator().search(expression);
    let results = results.try_collect().await.unwrap_or_else(|err| panic!("{expression}: {err}"));
    assert_eq!(pages.requests().len(), 3, "{expression}: one request per page");
    results
}

#[tokio::test]
async fn search_yields_what_boto3_yields() {
    // (expression, what `list(paginator.paginate(Bucket="b").search(expression))` gives)
    let cases = [
        // A page without `Contents` gives `None` in boto3, `null` here.
        ("Contents[?Size > `5`].Key", json!(["c", null, "z"])),
        ("CommonPrefixes[].Prefix", json!(["d/", "e/f/", null])),
        ("Contents[].Key || `[]`", json!(["a b", "c", "z"])),
        ("KeyCount", json!([3, 1, 1])),
        ("Contents[].StorageClass", json!(["STANDARD", "GLACIER_X", null, "STANDARD"])),
        ("[Name, KeyCount]", json!(["b", 3, "b", 1, "b", 1])),
        ("Contents[?Size > `5`] | [0].Owner", json!([{"DisplayName": "me", "ID": "o1"}, null, null])),
    ];
    for (expression, expected) in cases {
        assert_eq!(Value::Array(search(expression).await), expected, "{expression}");
    }
    // Timestamps are boto3's `datetime`s: `str()` of them in results, and `to_string`
    // gives them in quotes (`json.dumps(value, default=str)`).
    assert_eq!(
        search("Contents[].LastModified").await[..2],
        [json!("2024-01-02 03:04:05+00:00"), json!("2024-01-02 03:04:06.500000+00:00")]
    );
    assert_eq!(
        search(r#"Contents[?to_string(LastModified) > '"2024-01-02 03:04:05+00:00"'].Key"#).await,
        [json!("c"), Value::Null]
    );
    assert_eq!(search("sort_by(Contents || `[]`, &LastModified)[-1].Key").await, [json!("c"), Value::Null, json!("z")]);
}

#[tokio::test]
async fn search_with_max_items() {
    let pages = pages();
    let results = client(&pages).list_objects_v2().bucket("b").into_paginator().max_items(1).search("Contents[].Key");
    // boto3: `paginate(Bucket="b", PaginationConfig={"MaxItems": 1}).search(...)`.
    assert_eq!(results.try_collect().await.unwrap(), [json!("a b")]);
    assert_eq!(pages.requests().len(), 1);
}

#[tokio::test]
async fn a_bad_expression_is_refused_before_anything_is_sent() {
    let pages = pages();
    let mut results = client(&pages).list_objects_v2().bucket("b").into_paginator().search("Contents[?Size >");
    let Some(Err(SdkError::Construction(err))) = results.next().await else { panic!("expected a construction error") };
    assert_eq!((err.shape(), err.field()), ("ListObjectsV2Input", "search"));
    assert!(err.to_string().contains("is not a JMESPath expression"), "{err}");
    assert!(results.next().await.is_none());
    assert!(pages.requests().is_empty());
}
