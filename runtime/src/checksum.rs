//! Request checksums ("flexible checksums"): the `x-amz-checksum-*` header of a request
//! body, computed with the algorithm the caller chose or CRC32 by default, as botocore's
//! `resolve_request_checksum_algorithm` and `apply_request_checksum` do.

use crate::encoding::base64_encode;
use crate::http::{HttpRequest, RequestBody};
use crate::BuildError;

/// A checksum algorithm S3 accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// CRC32 (the default).
    Crc32,
    /// CRC32C (Castagnoli).
    Crc32c,
    /// CRC64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl Algorithm {
    /// The algorithm named as in `ChecksumAlgorithm` (`CRC32`, `sha256`, …; any case).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "crc32" => Algorithm::Crc32,
            "crc32c" => Algorithm::Crc32c,
            "crc64nvme" => Algorithm::Crc64Nvme,
            "sha1" => Algorithm::Sha1,
            "sha256" => Algorithm::Sha256,
            _ => return None,
        })
    }

    /// The header carrying the checksum, such as `x-amz-checksum-crc32`.
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The checksum of `bytes`, base64-encoded as S3 expects it.
    pub fn checksum(self, bytes: &[u8]) -> String {
        use sha1::Digest as _;
        match self {
            Algorithm::Crc32 => base64_encode(&crc32fast::hash(bytes).to_be_bytes()),
            Algorithm::Crc32c => {
                base64_encode(&crc::Crc::<u32>::new(&crc::CRC_32_ISCSI).checksum(bytes).to_be_bytes())
            }
            Algorithm::Crc64Nvme => {
                base64_encode(&crc::Crc::<u64>::new(&crc::CRC_64_NVME).checksum(bytes).to_be_bytes())
            }
            Algorithm::Sha1 => base64_encode(&sha1::Sha1::digest(bytes)),
            Algorithm::Sha256 => base64_encode(&sha2::Sha256::digest(bytes)),
        }
    }
}

/// Adds the request checksum header to `request`, unless the caller already set an
/// `x-amz-checksum-*` header.
///
/// The algorithm is the value of the `algorithm_header` (`x-amz-sdk-checksum-algorithm`,
/// set from the input's `ChecksumAlgorithm`) when present; otherwise CRC32, which is then
/// also written to `algorithm_header`. A body that is not in memory is left without a
/// header checksum (it will travel in a trailer once streaming uploads exist).
pub fn add_request_checksum(
    request: &mut HttpRequest,
    algorithm_header: Option<&'static str>,
    shape: &'static str,
) -> Result<(), BuildError> {
    if request.headers.iter().any(|(name, _)| name.to_ascii_lowercase().starts_with("x-amz-checksum-")) {
        return Ok(());
    }
    let chosen = algorithm_header.and_then(|h| request.header(h)).map(str::to_owned);
    let algorithm = match &chosen {
        Some(name) => Algorithm::from_name(name).ok_or_else(|| {
            BuildError::invalid_field(shape, "checksum_algorithm", format!("unsupported checksum algorithm `{name}`"))
        })?,
        None => Algorithm::Crc32,
    };
    let bytes: &[u8] = match &request.body {
        RequestBody::Empty => &[],
        RequestBody::Bytes(bytes) => bytes,
        RequestBody::Stream(stream) => match stream.as_bytes() {
            Some(bytes) => bytes,
            None => return Ok(()),
        },
    };
    let value = algorithm.checksum(bytes);
    request.push_header(algorithm.header(), value);
    if let (None, Some(header)) = (&chosen, algorithm_header) {
        request.push_header(header, "CRC32");
    }
    Ok(())
}

/// The base64 MD5 digest of `bytes` (`Content-MD5`, SSE-C key MD5s).
pub fn md5_base64(bytes: &[u8]) -> String {
    use md5::Digest as _;
    base64_encode(&md5::Md5::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_botocore() {
        // botocore 1.44.8 sent these for the body `hello` (PutObject) and `<Tagging…>`.
        assert_eq!(Algorithm::Crc32.checksum(b"hello"), "NhCmhg==");
        assert_eq!(Algorithm::Sha256.checksum(b"hello"), "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
        assert_eq!(Algorithm::Sha1.checksum(b"hello"), "qvTGHdzF6KLavt4PO0gs2a6pQ00=");
        assert_eq!(Algorithm::Crc32c.checksum(b"hello"), "mnG7TA==");
        assert_eq!(md5_base64(b"00000000000000000000000000000000"), "zZ5FnqcIqUjVwvWmyog4zw==");
    }

    #[test]
    fn default_is_crc32_and_names_the_algorithm() {
        let mut req = HttpRequest::new("PUT", "/b?tagging".into());
        req.body = RequestBody::Bytes(b"hello".to_vec());
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutBucketTaggingInput").unwrap();
        assert_eq!(req.header("x-amz-checksum-crc32"), Some("NhCmhg=="));
        assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    }

    #[test]
    fn chosen_algorithm_and_caller_checksums() {
        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("x-amz-sdk-checksum-algorithm", "SHA1");
        req.body = RequestBody::Bytes(b"hello".to_vec());
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput").unwrap();
        assert_eq!(req.header("x-amz-checksum-sha1"), Some("qvTGHdzF6KLavt4PO0gs2a6pQ00="));

        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("x-amz-checksum-crc32", "given");
        add_request_checksum(&mut req, None, "PutObjectInput").unwrap();
        assert_eq!(req.headers.len(), 1);

        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("x-amz-sdk-checksum-algorithm", "MD4");
        let err = add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput").unwrap_err();
        assert!(err.to_string().contains("unsupported checksum algorithm `MD4`"), "{err}");
    }
}
