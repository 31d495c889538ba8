//! S3 request customizations that botocore applies in handlers (`handlers.py`) before
//! serializing: SSE-C keys, `CopySource` quoting, bucket-name and metadata checks.
//! Generated code calls them for the operations they apply to.

use crate::checksum::md5_base64;
use crate::encoding::{base64_encode, uri_label};
use crate::BuildError;

/// A raw SSE-C key as S3 wants it: (base64 key, base64 MD5 of the key), as botocore's
/// `sse_md5` computes when the caller gave no MD5.
pub fn sse_customer_key(raw_key: &str) -> (String, String) {
    (base64_encode(raw_key.as_bytes()), md5_base64(raw_key.as_bytes()))
}

/// `CopySource` (`bucket/key`, optionally `?versionId=…`) with the bucket and key
/// percent-encoded and `/` kept, as botocore's `_quote_source_header`.
pub fn quote_copy_source(value: &str) -> String {
    if let Some(start) = value.rfind("?versionId=") {
        let version = &value[start..];
        if !version["?versionId=".len()..].is_empty() && !version.contains('/') {
            return format!("{}{version}", uri_label(&value[..start], true));
        }
    }
    uri_label(value, true)
}

/// Refuses bucket names botocore's `validate_bucket_name` refuses: anything but letters,
/// digits, `.`, `-` and `_` (1 to 255 of them), unless it is an access point or outpost
/// ARN.
pub fn validate_bucket_name(shape: &'static str, bucket: &str) -> Result<(), BuildError> {
    let plain = !bucket.is_empty()
        && bucket.len() <= 255
        && bucket.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if plain || bucket.starts_with("arn:") {
        Ok(())
    } else {
        Err(BuildError::invalid_field(
            shape,
            "bucket",
            format!("{bucket:?} is not a bucket name: use 1 to 255 letters, digits, '.', '-' or '_', or an access point ARN"),
        ))
    }
}

/// Refuses non-ASCII user metadata values, as botocore's `validate_ascii_metadata`
/// (S3 would reject or mangle them).
pub fn validate_ascii_metadata<'a>(
    shape: &'static str,
    metadata: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Result<(), BuildError> {
    for (key, value) in metadata {
        if !key.is_ascii() || !value.is_ascii() {
            return Err(BuildError::invalid_field(
                shape,
                "metadata",
                format!("metadata {key:?} must be ASCII (encode other text first, e.g. as RFC 2047)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_key_matches_botocore() {
        let (key, md5) = sse_customer_key(&"0".repeat(32));
        assert_eq!(key, "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA=");
        assert_eq!(md5, "zZ5FnqcIqUjVwvWmyog4zw==");
    }

    #[test]
    fn copy_source_quoting() {
        assert_eq!(quote_copy_source("src/key with space"), "src/key%20with%20space");
        assert_eq!(quote_copy_source("b/k+1?versionId=abc"), "b/k%2B1?versionId=abc");
        assert_eq!(quote_copy_source("b/a?b"), "b/a%3Fb");
    }

    #[test]
    fn bucket_names() {
        assert!(validate_bucket_name("X", "my.bucket-1_a").is_ok());
        assert!(validate_bucket_name("X", "arn:aws:s3:us-west-2:123456789012:accesspoint/ap").is_ok());
        let err = validate_bucket_name("GetObjectInput", "a/b").unwrap_err();
        assert!(err.to_string().contains("is not a bucket name"), "{err}");
        assert!(validate_bucket_name("X", "").is_err());
    }
}
