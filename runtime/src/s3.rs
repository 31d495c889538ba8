//! S3 request customizations that botocore applies in handlers (`handlers.py`) before
//! serializing: SSE-C keys, `CopySource` quoting, bucket-name and metadata checks.
//! Generated code calls them for the operations they apply to. Also the operations
//! whose responses S3 keeps silent while it works ([`SILENT_WHILE_WORKING`]).

use crate::checksum::md5_base64;
use crate::encoding::{base64_encode, uri_label};
use crate::BuildError;

/// A raw SSE-C key as S3 wants it: (base64 key, base64 MD5 of the key), as botocore's
/// `sse_md5` computes when the caller gave no MD5.
pub fn sse_customer_key(raw_key: &str) -> (String, String) {
    sse_customer_key_bytes(raw_key.as_bytes())
}

/// [`sse_customer_key`] for a key given as bytes (botocore accepts `bytes` too), which
/// need not be UTF-8.
pub fn sse_customer_key_bytes(raw_key: &[u8]) -> (String, String) {
    (base64_encode(raw_key), md5_base64(raw_key))
}

/// Refuses an SSE-C key that cannot be an `AES256` key: 32 bytes, given raw (then
/// `md5_given` is false and the key is base64-encoded before sending) or base64-encoded
/// with its MD5. Other algorithms (none exists today) are left to S3. botocore sends
/// such keys, and S3 answers 400 `InvalidArgument`.
pub fn check_sse_customer_key(
    shape: &'static str,
    member: &'static str,
    algorithm: Option<&str>,
    key: &str,
    md5_given: bool,
) -> Result<(), BuildError> {
    if algorithm != Some("AES256") {
        return Ok(());
    }
    let length = if md5_given {
        match crate::encoding::base64_decode(key) {
            Ok(bytes) => bytes.len(),
            Err(_) => {
                return Err(BuildError::invalid_field(
                    shape,
                    member,
                    "is not base64: with its MD5 given, the key must be base64-encoded",
                ))
            }
        }
    } else {
        key.len()
    };
    if length == 32 {
        Ok(())
    } else {
        Err(BuildError::invalid_field(shape, member, format!("an AES256 key is 32 bytes long, not {length}")))
    }
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


/// Operations S3 may answer with `200` at once and their result only when done,
/// whitespace in between (a copy of a large object, the completion of many parts), or
/// whose event stream pauses while S3 scans (SelectObjectContent): their response bodies
/// are not watched by stalled-stream protection, which would take the silence for a
/// stall (aws-sdk-rust exempts CopyObject and event streams for this); the read timeout
/// still applies.
pub const SILENT_WHILE_WORKING: &[&str] = &["CompleteMultipartUpload", "CopyObject", "SelectObjectContent", "UploadPartCopy"];

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
    fn sse_key_bytes_match_botocore() {
        // botocore 1.44.8's `sse_md5` on `bytes(range(224, 256))`, which is not UTF-8.
        let raw: Vec<u8> = (224..=255).collect();
        assert!(std::str::from_utf8(&raw).is_err());
        let (key, md5) = sse_customer_key_bytes(&raw);
        assert_eq!(key, "4OHi4+Tl5ufo6err7O3u7/Dx8vP09fb3+Pn6+/z9/v8=");
        assert_eq!(md5, "b6HZMWQBEvN0pcqEiES6uw==");
        assert!(check_sse_customer_key("X", "k", Some("AES256"), &key, true).is_ok());
    }

    #[test]
    fn sse_key_lengths() {
        let raw = "0".repeat(32);
        assert!(check_sse_customer_key("X", "sse_customer_key", Some("AES256"), &raw, false).is_ok());
        let (encoded, _) = sse_customer_key(&raw);
        assert!(check_sse_customer_key("X", "sse_customer_key", Some("AES256"), &encoded, true).is_ok());
        let err = check_sse_customer_key("PutObjectInput", "sse_customer_key", Some("AES256"), "short", false).unwrap_err();
        assert_eq!(err.to_string(), "PutObjectInput: the member `sse_customer_key` is invalid: an AES256 key is 32 bytes long, not 5");
        assert!(check_sse_customer_key("X", "k", Some("AES256"), &encoded, false).is_err(), "44 raw bytes");
        assert!(check_sse_customer_key("X", "k", Some("AES256"), "!!", true).is_err());
        assert!(check_sse_customer_key("X", "k", None, "short", false).is_ok());
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
