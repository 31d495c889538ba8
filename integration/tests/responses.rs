//! Responses read by the generated crate: outputs, modeled errors and S3's quirks.

use s3::operation::{copy_object, get_bucket_location, get_object, head_object, list_objects_v2};
use s3::types::BucketLocationConstraint;
use s3_runtime::http::HttpResponse;
use s3_runtime::SdkError;

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    HttpResponse::new(status, headers, body.as_bytes().to_vec())
}

const LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
<Contents><Key>a%20b</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;e1&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>c</Key><LastModified>2024-01-02T03:04:06.000Z</LastModified><ETag>&quot;e2&quot;</ETag><Size>7</Size><StorageClass>GLACIER_X</StorageClass></Contents>
<CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes><EncodingType>url</EncodingType></ListBucketResult>"#;

#[test]
fn list_objects_v2_page() {
    let out = list_objects_v2::parse_response(response(200, &[], LIST)).unwrap();
    assert_eq!(out.name.as_deref(), Some("b"));
    assert_eq!(out.key_count, Some(2));
    assert_eq!(out.is_truncated, Some(false));
    let contents = out.contents();
    assert_eq!(contents.len(), 2);
    assert_eq!(contents[0].key.as_deref(), Some("a%20b"), "parse_response leaves keys as sent");
    assert_eq!(contents[0].e_tag.as_deref(), Some("\"e1\""));
    assert_eq!(contents[0].size, Some(5));
    assert_eq!(contents[0].last_modified.unwrap().secs(), 1704164645);
    assert_eq!(contents[1].storage_class.as_ref().unwrap().as_str(), "GLACIER_X");
    assert_eq!(out.common_prefixes()[0].prefix.as_deref(), Some("d/"));
}

#[test]
fn modeled_error_with_metadata() {
    let body = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>r</RequestId><HostId>h</HostId></Error>";
    let err = get_object::parse_response(response(404, &[("x-amz-request-id", "REQ")], body)).unwrap_err();
    let SdkError::Service(err) = err else { panic!("not a service error: {err:?}") };
    assert!(err.is_no_such_key());
    assert_eq!(err.meta().message(), Some("The specified key does not exist."));
    assert_eq!(err.meta().request_id(), Some("REQ"));
    assert_eq!(err.meta().extra("Key"), Some("k"));
    assert_eq!(err.meta().status(), Some(404));
}

#[test]
fn unmodeled_error_is_unhandled() {
    let body = "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>";
    let err = get_object::parse_response(response(503, &[], body)).unwrap_err();
    let SdkError::Service(err) = err else { panic!() };
    assert!(matches!(err, get_object::GetObjectError::Unhandled(_)));
    assert_eq!(err.code(), Some("SlowDown"));
}

#[test]
fn head_404_without_body() {
    let err = head_object::parse_response(response(404, &[], "")).unwrap_err();
    let SdkError::Service(err) = err else { panic!() };
    assert!(err.is_no_such_key());
    assert_eq!(err.code(), Some("404"));
    assert_eq!(err.meta().message(), Some("Not Found"));
}

#[test]
fn copy_object_200_with_error_body_is_an_error() {
    let body = "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>";
    let err = copy_object::parse_response(response(200, &[], body)).unwrap_err();
    let SdkError::Service(err) = err else { panic!() };
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(err.meta().status(), Some(500));
}

#[test]
fn get_bucket_location_reads_the_bare_element() {
    let body = r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>"#;
    let out = get_bucket_location::parse_response(response(200, &[], body)).unwrap();
    assert_eq!(out.location_constraint, Some(BucketLocationConstraint::EuWest1));
    let empty = r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#;
    assert_eq!(get_bucket_location::parse_response(response(200, &[], empty)).unwrap().location_constraint, None);
}

#[test]
fn get_object_headers_and_streaming_body() {
    let headers = [
        ("Content-Length", "5"),
        ("Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT"),
        ("x-amz-meta-color", "blue"),
        ("x-amz-delete-marker", "false"),
    ];
    let out = get_object::parse_response(response(200, &headers, "hello")).unwrap();
    assert_eq!(out.content_length, Some(5));
    assert_eq!(out.last_modified.unwrap().secs(), 1704164645);
    assert_eq!(out.metadata.as_ref().unwrap().get("color").map(String::as_str), Some("blue"));
    assert_eq!(out.delete_marker, Some(false));
    assert_eq!(out.body.unwrap().as_bytes(), Some(&b"hello"[..]));
}

#[test]
fn malformed_responses_give_errors_with_context() {
    let err = get_object::parse_response(response(200, &[("Content-Length", "five")], "")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read the GetObject response: header `Content-Length` has value \"five\", which is not a 64-bit integer"
    );
    let err = list_objects_v2::parse_response(response(200, &[], "<ListBucketResult><KeyCount>2</KeyCo")).unwrap_err();
    assert!(err.to_string().starts_with("cannot read the ListObjectsV2 response:"), "{err}");
    let bad = "<ListBucketResult><Contents><Size>big</Size></Contents></ListBucketResult>";
    let err = list_objects_v2::parse_response(response(200, &[], bad)).unwrap_err();
    assert!(err.to_string().contains("Size"), "{err}");
}
