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
        let mut hasher = self.hasher();
        hasher.update(bytes);
        hasher.finish()
    }

    /// An incremental hasher, for bodies checksummed as they are sent.
    pub fn hasher(self) -> Hasher {
        use sha1::Digest as _;
        Hasher(match self {
            Algorithm::Crc32 => HasherState::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => HasherState::Crc32c(CRC32C.digest()),
            Algorithm::Crc64Nvme => HasherState::Crc64Nvme(CRC64NVME.digest()),
            Algorithm::Sha1 => HasherState::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => HasherState::Sha256(sha2::Sha256::new()),
        })
    }

    /// The length of the base64 checksum.
    pub fn encoded_len(self) -> usize {
        let bytes: usize = match self {
            Algorithm::Crc32 | Algorithm::Crc32c => 4,
            Algorithm::Crc64Nvme => 8,
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
        };
        bytes.div_ceil(3) * 4
    }
}

static CRC32C: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISCSI);
static CRC64NVME: crc::Crc<u64> = crc::Crc::<u64>::new(&crc::CRC_64_NVME);

/// A checksum being computed over data that arrives in pieces.
pub struct Hasher(HasherState);

enum HasherState {
    Crc32(crc32fast::Hasher),
    Crc32c(crc::Digest<'static, u32>),
    Crc64Nvme(crc::Digest<'static, u64>),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
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
        }
    }

    /// The checksum of everything added, base64-encoded as S3 expects it.
    pub fn finish(self) -> String {
        use sha1::Digest as _;
        match self.0 {
            HasherState::Crc32(h) => base64_encode(&h.finalize().to_be_bytes()),
            HasherState::Crc32c(h) => base64_encode(&h.finalize().to_be_bytes()),
            HasherState::Crc64Nvme(h) => base64_encode(&h.finalize().to_be_bytes()),
            HasherState::Sha1(h) => base64_encode(&h.finalize()),
            HasherState::Sha256(h) => base64_encode(&h.finalize()),
        }
    }
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hasher")
    }
}

/// Adds the request checksum to `request`, unless the caller already set an
/// `x-amz-checksum-*` header.
///
/// The algorithm is the value of the `algorithm_header` (`x-amz-sdk-checksum-algorithm`,
/// set from the input's `ChecksumAlgorithm`) when present; otherwise CRC32, which is then
/// also written to `algorithm_header`.
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
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput").unwrap();
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
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "UploadPartInput").unwrap();
        assert_eq!(req.header("Content-Length"), None);
        assert_eq!(req.header("X-Amz-Decoded-Content-Length"), Some("5"));
        assert_eq!(req.header("X-Amz-Trailer"), Some("x-amz-checksum-sha256"));

        // No length at all: no checksum, the body untouched.
        let unknown = http_body_util::StreamBody::new(OneFrame(Some(bytes::Bytes::from_static(b"hello"))));
        let mut req = HttpRequest::new("PUT", "/b/k".into());
        req.body = RequestBody::Stream(crate::ByteStream::from_body(unknown));
        add_request_checksum(&mut req, Some("x-amz-sdk-checksum-algorithm"), "PutObjectInput").unwrap();
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
