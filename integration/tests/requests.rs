//! Requests built by the generated crate, compared with what botocore 1.44.8 sends for
//! the same parameters (captured with a `before-send` hook, path-style addressing;
//! transport and signing headers left out). Paths are without the bucket, which
//! endpoint resolution adds, as botocore's `remove_bucket_from_url_paths_from_model`.

use s3::types::{Delete, ObjectIdentifier, Tag, Tagging};
use s3_integration_tests::{body_text, client, path_and_query};

#[test]
fn put_object_with_default_checksum_and_expect() {
    let req = client().put_object().bucket("b").key("a b/c.txt").body(b"hello".to_vec()).into_http_request().unwrap();
    assert_eq!(req.method, "PUT");
    assert_eq!(path_and_query(&req), "/a%20b/c.txt", "the bucket goes into the endpoint");
    assert_eq!(req.header("Expect"), Some("100-continue"));
    assert_eq!(req.header("x-amz-checksum-crc32"), Some("NhCmhg=="));
    assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    assert_eq!(body_text(&req), "hello");
}

#[test]
fn put_bucket_tagging_body_is_escaped_xml() {
    let tagging = Tagging::builder().tag_set(Tag::builder().key("k").value("v & <w>").build().unwrap()).build().unwrap();
    let req = client().put_bucket_tagging().bucket("b").tagging(tagging).into_http_request().unwrap();
    assert_eq!(path_and_query(&req), "?tagging");
    assert_eq!(
        body_text(&req),
        r#"<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key><Value>v &amp; &lt;w&gt;</Value></Tag></TagSet></Tagging>"#
    );
    assert_eq!(req.header("x-amz-checksum-crc32"), Some("31/uDQ=="));
}

#[test]
fn delete_objects_escapes_line_breaks() {
    let delete = Delete::builder()
        .objects(ObjectIdentifier::builder().key("a\r\nb").build().unwrap())
        .quiet(true)
        .build()
        .unwrap();
    let req = client().delete_objects().bucket("b").delete(delete).into_http_request().unwrap();
    assert_eq!(req.method, "POST");
    assert_eq!(path_and_query(&req), "?delete");
    assert_eq!(
        body_text(&req),
        r#"<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a&#xD;&#xA;b</Key></Object><Quiet>true</Quiet></Delete>"#
    );
    assert_eq!(req.header("x-amz-checksum-crc32"), Some("CYnLHQ=="));
}

#[test]
fn list_objects_v2_asks_for_url_encoding() {
    let req = client().list_objects_v2().bucket("b").prefix("p").max_keys(5).into_http_request().unwrap();
    let mut query = req.query.clone();
    query.sort();
    let expected = [("encoding-type", "url"), ("list-type", "2"), ("max-keys", "5"), ("prefix", "p")];
    let expected: Vec<(String, Option<String>)> =
        expected.iter().map(|(k, v)| (k.to_string(), Some(v.to_string()))).collect();
    assert_eq!(query, expected);
}

#[test]
fn copy_source_is_quoted_and_sse_c_keys_are_digested() {
    let req = client().copy_object().bucket("b").key("k").copy_source("src/key with space").into_http_request().unwrap();
    assert_eq!(req.header("x-amz-copy-source"), Some("src/key%20with%20space"));

    let req = client()
        .get_object()
        .bucket("b")
        .key("k")
        .sse_customer_key("0".repeat(32))
        .sse_customer_algorithm("AES256")
        .into_http_request()
        .unwrap();
    assert_eq!(req.header("x-amz-server-side-encryption-customer-key"), Some("MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA="));
    assert_eq!(req.header("x-amz-server-side-encryption-customer-key-MD5"), Some("zZ5FnqcIqUjVwvWmyog4zw=="));
    assert_eq!(req.header("x-amz-checksum-mode"), Some("ENABLED"));
}

/// botocore accepts `bytes` for the SSE-C keys; the values are botocore 1.44.8's
/// `sse_md5` / `copy_source_sse_md5` on `bytes(range(224, 256))`, which is not UTF-8.
#[test]
fn sse_c_keys_as_bytes_are_digested_as_botocore_does() {
    let raw: Vec<u8> = (224..=255).collect();
    let (key, md5) = ("4OHi4+Tl5ufo6err7O3u7/Dx8vP09fb3+Pn6+/z9/v8=", "b6HZMWQBEvN0pcqEiES6uw==");
    let builder = client().put_object().bucket("b").key("k").sse_customer_algorithm("AES256").sse_customer_key_bytes(&raw);
    assert!(!format!("{builder:?}").contains(key), "the key is not in Debug");
    let req = builder.into_http_request().unwrap();
    assert_eq!(req.header("x-amz-server-side-encryption-customer-key"), Some(key));
    assert_eq!(req.header("x-amz-server-side-encryption-customer-key-MD5"), Some(md5));

    let req = client()
        .copy_object()
        .bucket("b")
        .key("k")
        .copy_source("src/k")
        .copy_source_sse_customer_algorithm("AES256")
        .copy_source_sse_customer_key_bytes(raw)
        .into_http_request()
        .unwrap();
    assert_eq!(req.header("x-amz-copy-source-server-side-encryption-customer-key"), Some(key));
    assert_eq!(req.header("x-amz-copy-source-server-side-encryption-customer-key-MD5"), Some(md5));

    // A key of the wrong length is refused as with a text key.
    let err = client().get_object().bucket("b").key("k").sse_customer_algorithm("AES256").sse_customer_key_bytes([0xff; 16]).into_http_request().unwrap_err();
    assert!(err.to_string().contains("32 bytes long, not 16"), "{err}");
}

#[test]
fn bad_input_is_refused_before_sending() {
    let err = client().get_object().key("k").into_http_request().unwrap_err();
    assert_eq!(err.to_string(), "GetObjectInput: the required member `bucket` is not set");
    let err = client().get_object().bucket("b").key("").into_http_request().unwrap_err();
    assert!(err.to_string().contains("`key` is invalid: must not be empty"), "{err}");
    let err = client().get_object().bucket("a/b").key("k").into_http_request().unwrap_err();
    assert!(err.to_string().contains("is not a bucket name"), "{err}");
    let err = client().put_object().bucket("b").key("k").metadata("k", "é").into_http_request().unwrap_err();
    assert!(err.to_string().contains("must be ASCII"), "{err}");
    let err = client()
        .write_get_object_response()
        .request_route("not a label")
        .request_token("t")
        .into_http_request()
        .unwrap_err();
    assert!(err.to_string().contains("valid host label"), "{err}");
}

#[test]
fn keys_keep_every_character() {
    let req = client().get_object().bucket("b").key("../a/./b?c#d ~+%é\r\n").into_http_request().unwrap();
    assert_eq!(req.path, "/../a/./b%3Fc%23d%20~%2B%25%C3%A9%0D%0A");
}
