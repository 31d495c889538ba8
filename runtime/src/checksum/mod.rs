//! Flexible checksums, every algorithm of the model's `ChecksumAlgorithm`:
//!
//! - request checksums: the `x-amz-checksum-*` header (or `aws-chunked` trailer) of a
//!   request body, computed with the algorithm the caller chose or CRC32 by default, as
//!   botocore's `resolve_request_checksum_algorithm` and `apply_request_checksum` do
//!   ([`add_request_checksum`]);
//! - response validation: full-object checksums of response bodies checked while they
//!   stream ([`validate_response`], [`ChecksumMismatch`]);
//! - multipart uploads: composite and combined full-object checksums from the parts'
//!   ([`multipart`]).
//!
//! Crates: `crc32fast` (CRC32, SIMD), `crc-fast` (CRC32C, CRC64/NVME, SIMD: about 20×
//! the `crc` crate's slice-by-16 tables, see ARCHITECTURE.md), RustCrypto's `sha1`,
//! `sha2` (SHA-256, SHA-512) and `md-5`, and `xxhash-rust` (xxHash64, XXH3-64, XXH3-128).

pub mod multipart;
mod response;

pub use response::{expected_checksum, validate_response, ChecksumMismatch, PRIORITY};

use crate::config::RequestChecksumCalculation;
use crate::encoding::base64_encode;
use crate::http::{HttpRequest, RequestBody};
use crate::BuildError;

/// A checksum algorithm S3 accepts: every value of the model's `ChecksumAlgorithm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    /// SHA-512.
    Sha512,
    /// MD5 (`x-amz-checksum-md5`; botocore 1.44.8 refuses it, S3 lists it).
    Md5,
    /// xxHash64 (seed 0).
    XxHash64,
    /// XXH3 64-bit (seed 0).
    XxHash3,
    /// XXH3 128-bit (seed 0).
    XxHash128,
}

impl Algorithm {
    /// Every algorithm, in the model's order of `ChecksumAlgorithm`.
    pub const ALL: [Algorithm; 10] = [
        Algorithm::Crc32,
        Algorithm::Crc32c,
        Algorithm::Sha1,
        Algorithm::Sha256,
        Algorithm::Crc64Nvme,
        Algorithm::Sha512,
        Algorithm::Md5,
        Algorithm::XxHash64,
        Algorithm::XxHash3,
        Algorithm::XxHash128,
    ];

    /// The algorithm named as in `ChecksumAlgorithm` (`CRC32`, `sha256`, …; any case).
    pub fn from_name(name: &str) -> Option<Self> {
        Algorithm::ALL.into_iter().find(|a| a.name().eq_ignore_ascii_case(name))
    }

    /// The name as in `ChecksumAlgorithm` and `x-amz-sdk-checksum-algorithm`: `CRC32`, …
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Md5 => "MD5",
            Algorithm::XxHash64 => "XXHASH64",
            Algorithm::XxHash3 => "XXHASH3",
            Algorithm::XxHash128 => "XXHASH128",
        }
    }

    /// The header carrying the checksum, such as `x-amz-checksum-crc32`.
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
            Algorithm::Sha512 => "x-amz-checksum-sha512",
            Algorithm::Md5 => "x-amz-checksum-md5",
            Algorithm::XxHash64 => "x-amz-checksum-xxhash64",
            Algorithm::XxHash3 => "x-amz-checksum-xxhash3",
            Algorithm::XxHash128 => "x-amz-checksum-xxhash128",
        }
    }

    /// The checksum of `bytes`, base64-encoded as S3 expects it.
    pub fn checksum(self, bytes: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(bytes);
        hasher.finish()
    }

    /// An incremental hasher, for bodies checksummed as they are sent or received.
    pub fn hasher(self) -> Hasher {
        use sha1::Digest as _;
        Hasher(match self {
            Algorithm::Crc32 => HasherState::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => HasherState::Crc32c(Box::new(crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc32Iscsi))),
            Algorithm::Crc64Nvme => HasherState::Crc64Nvme(Box::new(crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc64Nvme))),
            Algorithm::Sha1 => HasherState::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => HasherState::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => HasherState::Sha512(Box::new(sha2::Sha512::new())),
            Algorithm::Md5 => HasherState::Md5(md5::Md5::new()),
            Algorithm::XxHash64 => HasherState::XxHash64(Box::new(xxhash_rust::xxh64::Xxh64::new(0))),
            Algorithm::XxHash3 => HasherState::XxHash3(Box::new(xxhash_rust::xxh3::Xxh3Default::new())),
            Algorithm::XxHash128 => HasherState::XxHash128(Box::new(xxhash_rust::xxh3::Xxh3Default::new())),
        })
    }

    /// The length of the digest in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Algorithm::Crc32 | Algorithm::Crc32c => 4,
            Algorithm::Crc64Nvme | Algorithm::XxHash64 | Algorithm::XxHash3 => 8,
            Algorithm::Md5 | Algorithm::XxHash128 => 16,
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
            Algorithm::Sha512 => 64,
        }
    }

    /// The length of the base64 checksum.
    pub fn encoded_len(self) -> usize {
        self.digest_len().div_ceil(3) * 4
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A checksum being computed over data that arrives in pieces.
pub struct Hasher(HasherState);

// The large states are boxed so that a `Hasher` stays small wherever it is embedded.
enum HasherState {
    Crc32(crc32fast::Hasher),
    Crc32c(Box<crc_fast::Digest>),
    Crc64Nvme(Box<crc_fast::Digest>),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(Box<sha2::Sha512>),
    Md5(md5::Md5),
    XxHash64(Box<xxhash_rust::xxh64::Xxh64>),
    XxHash3(Box<xxhash_rust::xxh3::Xxh3Default>),
    XxHash128(Box<xxhash_rust::xxh3::Xxh3Default>),
}

impl Hasher {
    /// Adds `bytes` to the checksum.
    pub fn update(&mut self, bytes: &[u8]) {
        use sha1::Digest as _;
        match &mut self.0 {
            HasherState::Crc32(h) => h.update(bytes),
            HasherState::Crc32c(h) => h.update(bytes),
            HasherState::Crc64Nvme(h) => h.update(bytes),
            HasherState::Sha1(h) => h.update(bytes),
            HasherState::Sha256(h) => h.update(bytes),
            HasherState::Sha512(h) => h.update(bytes),
            HasherState::Md5(h) => h.update(bytes),
            HasherState::XxHash64(h) => h.update(bytes),
            HasherState::XxHash3(h) => h.update(bytes),
            HasherState::XxHash128(h) => h.update(bytes),
        }
    }

    /// The raw digest of everything added (big-endian for the CRCs and xxHashes, as S3
    /// and botocore encode them).
    pub fn finish_raw(self) -> Vec<u8> {
        use sha1::Digest as _;
        match self.0 {
            HasherState::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            HasherState::Crc32c(h) => (h.finalize() as u32).to_be_bytes().to_vec(),
            HasherState::Crc64Nvme(h) => h.finalize().to_be_bytes().to_vec(),
            HasherState::Sha1(h) => h.finalize().to_vec(),
            HasherState::Sha256(h) => h.finalize().to_vec(),
            HasherState::Sha512(h) => h.finalize().to_vec(),
            HasherState::Md5(h) => h.finalize().to_vec(),
            HasherState::XxHash64(h) => h.digest().to_be_bytes().to_vec(),
            HasherState::XxHash3(h) => h.digest().to_be_bytes().to_vec(),
            HasherState::XxHash128(h) => h.digest128().to_be_bytes().to_vec(),
        }
    }

    /// The checksum of everything added, base64-encoded as S3 expects it.
    pub fn finish(self) -> String {
        base64_encode(&self.finish_raw())
    }
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hasher")
    }
}

/// Adds the request checksum to `request`, unless the caller already set an
/// `x-amz-checksum-*` header (botocore's `resolve_request_checksum_algorithm`).
///
/// The algorithm is the value of the `algorithm_header` (`x-amz-sdk-checksum-algorithm`,
/// set from the input's `ChecksumAlgorithm`) when present. Otherwise, when
/// `default_crc32` (the operation requires a checksum, or it supports one and
/// `request_checksum_calculation` is `when_supported`: see [`wants_default`]), CRC32,
/// which is then also written to `algorithm_header`; else nothing is added.
///
/// A body in memory gets the checksum in a header. A streaming body (a file, a caller's
/// stream) is checksummed as it is sent instead of being read twice: it goes
/// `aws-chunked` with the checksum in a trailer, as botocore sends streaming uploads
/// (`_apply_request_trailer_checksum`), with `X-Amz-Decoded-Content-Length` from its
/// known length or the request's `Content-Length`, and the encoded length in
/// `Content-Length`. A stream of unknown length gets no checksum: S3 needs the decoded
/// length up front.
pub fn add_request_checksum(
    request: &mut HttpRequest,
    algorithm_header: Option<&'static str>,
    shape: &'static str,
    default_crc32: bool,
) -> Result<(), BuildError> {
    if request.headers.iter().any(|(name, _)| name.to_ascii_lowercase().starts_with("x-amz-checksum-")) {
        return Ok(());
    }
    let chosen = algorithm_header.and_then(|h| request.header(h)).map(str::to_owned);
    let algorithm = match &chosen {
        Some(name) => Algorithm::from_name(name).ok_or_else(|| {
            BuildError::invalid_field(shape, "checksum_algorithm", format!("unsupported checksum algorithm `{name}`"))
        })?,
        None if default_crc32 => Algorithm::Crc32,
        None => return Ok(()),
    };
    let in_memory: Option<&[u8]> = match &request.body {
        RequestBody::Empty => Some(&[]),
        RequestBody::Bytes(bytes) => Some(bytes),
        RequestBody::Stream(stream) => match stream.as_bytes() {
            Some(bytes) => Some(bytes),
            None => None,
        },
    };
    match in_memory.map(|bytes| algorithm.checksum(bytes)) {
        Some(value) => request.push_header(algorithm.header(), value),
        None if use_trailer(request, algorithm) => {}
        None => return Ok(()),
    }
    if let (None, Some(header)) = (&chosen, algorithm_header) {
        request.push_header(header, "CRC32");
    }
    Ok(())
}

/// Whether an operation gets a CRC32 checksum when the caller chose no algorithm:
/// always when the model requires one (`requestChecksumRequired`), and when it merely
/// supports one (a `requestAlgorithmMember`) only under
/// `request_checksum_calculation = when_supported`, as botocore decides.
pub fn wants_default(required: bool, calculation: RequestChecksumCalculation) -> bool {
    required || calculation == RequestChecksumCalculation::WhenSupported
}

/// Turns the streaming body of `request` into `aws-chunked` with a trailing checksum and
/// sets the headers that announce it; `false` (and nothing changed) when the body's
/// length is unknown.
fn use_trailer(request: &mut HttpRequest, algorithm: Algorithm) -> bool {
    let declared = request.header("Content-Length").and_then(|v| v.trim().parse::<u64>().ok());
    let stream = match std::mem::take(&mut request.body) {
        RequestBody::Stream(stream) => stream,
        other => {
            request.body = other;
            return false;
        }
    };
    let Some(decoded_len) = stream.size_hint().or(declared) else {
        request.body = RequestBody::Stream(stream);
        return false;
    };
    request.body = RequestBody::Stream(stream.into_aws_chunked(algorithm, decoded_len));
    request.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("Content-Length"));
    match request.headers.iter_mut().find(|(name, _)| name.eq_ignore_ascii_case("Content-Encoding")) {
        Some((_, value)) => value.push_str(",aws-chunked"),
        None => request.push_header("Content-Encoding", "aws-chunked"),
    }
    request.push_header("X-Amz-Trailer", algorithm.header());
    request.push_header("X-Amz-Decoded-Content-Length", decoded_len.to_string());
    true
}

/// The base64 MD5 digest of `bytes` (`Content-MD5`, SSE-C key MD5s).
pub fn md5_base64(bytes: &[u8]) -> String {
    use md5::Digest as _;
    base64_encode(&md5::Md5::digest(bytes))
}

#[cfg(test)]
mod known_answers;

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
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutBucketTaggingInput", true).unwrap();
        assert_eq!(req.header("x-amz-checksum-crc32"), Some("NhCmhg=="));
        assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    }

    #[test]
    fn chosen_algorithm_and_caller_checksums() {
        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("x-amz-sdk-checksum-algorithm", "SHA1");
        req.body = RequestBody::Bytes(b"hello".to_vec());
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput", true).unwrap();
        assert_eq!(req.header("x-amz-checksum-sha1"), Some("qvTGHdzF6KLavt4PO0gs2a6pQ00="));

        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("x-amz-checksum-crc32", "given");
        add_request_checksum(&mut req, None, "PutObjectInput", true).unwrap();
        assert_eq!(req.headers.len(), 1);

        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("x-amz-sdk-checksum-algorithm", "MD4");
        let err = add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput", true).unwrap_err();
        assert!(err.to_string().contains("unsupported checksum algorithm `MD4`"), "{err}");
    }

    /// With `when_required`, an operation that only supports a checksum gets none unless
    /// the caller chose an algorithm.
    #[test]
    fn no_default_when_not_wanted() {
        assert!(wants_default(true, RequestChecksumCalculation::WhenRequired));
        assert!(wants_default(false, RequestChecksumCalculation::WhenSupported));
        assert!(!wants_default(false, RequestChecksumCalculation::WhenRequired));
        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.body = RequestBody::Bytes(b"hello".to_vec());
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput", false).unwrap();
        assert!(req.headers.is_empty(), "{:?}", req.headers);
        req.push_header("x-amz-sdk-checksum-algorithm", "XXHASH3");
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput", false).unwrap();
        assert_eq!(req.header("x-amz-checksum-xxhash3"), Some(Algorithm::XxHash3.checksum(b"hello").as_str()));
    }

    /// A stream that is not in memory, of a length known from the body or from
    /// `Content-Length`, goes `aws-chunked` with the checksum in a trailer.
    #[test]
    fn streams_carry_the_checksum_in_a_trailer() {
        let stream = || {
            let frames = http_body_util::Full::new(bytes::Bytes::from_static(b"hello"));
            crate::ByteStream::from_body(frames)
        };
        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("Content-Encoding", "gzip");
        req.body = RequestBody::Stream(stream());
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput", true).unwrap();
        assert_eq!(req.header("x-amz-checksum-crc32"), None);
        assert_eq!(req.header("Content-Encoding"), Some("gzip,aws-chunked"));
        assert_eq!(req.header("X-Amz-Trailer"), Some("x-amz-checksum-crc32"));
        assert_eq!(req.header("X-Amz-Decoded-Content-Length"), Some("5"));
        assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
        let RequestBody::Stream(body) = std::mem::take(&mut req.body) else { panic!("a stream") };
        assert!(body.is_aws_chunked());
        let sent = tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(body.collect()).unwrap();
        assert_eq!(sent, b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n");

        // The length from Content-Length, which is replaced by the encoded length.
        let unknown = http_body_util::StreamBody::new(OneFrame(Some(bytes::Bytes::from_static(b"hello"))));
        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.push_header("Content-Length", "5");
        req.push_header("x-amz-sdk-checksum-algorithm", "SHA256");
        req.body = RequestBody::Stream(crate::ByteStream::from_body(unknown));
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "UploadPartInput", true).unwrap();
        assert_eq!(req.header("Content-Length"), None);
        assert_eq!(req.header("X-Amz-Decoded-Content-Length"), Some("5"));
        assert_eq!(req.header("X-Amz-Trailer"), Some("x-amz-checksum-sha256"));

        // No length at all: no checksum, the body untouched.
        let unknown = http_body_util::StreamBody::new(OneFrame(Some(bytes::Bytes::from_static(b"hello"))));
        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.body = RequestBody::Stream(crate::ByteStream::from_body(unknown));
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput", true).unwrap();
        assert!(req.headers.is_empty(), "{:?}", req.headers);
        assert!(matches!(&req.body, RequestBody::Stream(s) if !s.is_aws_chunked()));
    }

    /// A stream of one frame whose length is not known in advance.
    struct OneFrame(Option<bytes::Bytes>);

    impl futures_core::Stream for OneFrame {
        type Item = Result<http_body::Frame<bytes::Bytes>, std::convert::Infallible>;
        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.get_mut().0.take().map(|b| Ok(http_body::Frame::data(b))))
        }
    }
}
