//! Response checksum validation (botocore's `handle_checksum_body`): when the request
//! asked for checksums (`x-amz-checksum-mode: ENABLED`) and the response carries a
//! full-object `x-amz-checksum-*` header, the body is checksummed as it streams and the
//! read fails at its end with a [`ChecksumMismatch`] when the values differ.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

use super::{Algorithm, Hasher};
use crate::byte_stream::BoxError;
use crate::error::ResponseError;
use crate::http::HttpResponse;
use crate::ByteStream;

/// botocore's `_ALGORITHMS_PRIORITY_LIST` (with awscrt): the first of these present in
/// the response (and among the operation's `responseAlgorithms`) is validated. MD5 is
/// not in it: botocore never validates it.
pub const PRIORITY: [Algorithm; 9] = [
    Algorithm::XxHash128,
    Algorithm::XxHash3,
    Algorithm::Crc64Nvme,
    Algorithm::XxHash64,
    Algorithm::Crc32c,
    Algorithm::Crc32,
    Algorithm::Sha1,
    Algorithm::Sha256,
    Algorithm::Sha512,
];

/// A body whose checksum is not the one the response announced: the data was corrupted
/// (or cut short) on the way.
///
/// It reaches the caller as the error of the body read: the `source` of the
/// [`std::io::Error`] that [`ByteStream::next`] and [`ByteStream::collect`] return
/// (kind `InvalidData`; see [`ChecksumMismatch::find`]), or, for a response read whole,
/// [`ResponseError::checksum_mismatch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The algorithm of the checksum.
    pub algorithm: Algorithm,
    /// The base64 checksum the response announced.
    pub expected: String,
    /// The base64 checksum of the body received.
    pub actual: String,
}

impl ChecksumMismatch {
    /// The mismatch behind an error of a body read (an `io::Error` from
    /// [`ByteStream::next`] or [`ByteStream::collect`], or a body's boxed error), if it is
    /// one.
    pub fn find<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a ChecksumMismatch> {
        let mut current = Some(err);
        while let Some(err) = current {
            if let Some(found) = err.downcast_ref::<ChecksumMismatch>() {
                return Some(found);
            }
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if let Some(found) = io.get_ref().and_then(|inner| inner.downcast_ref::<ChecksumMismatch>()) {
                    return Some(found);
                }
            }
            current = err.source();
        }
        None
    }
}

impl std::fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the body's {} checksum is {}, but the response announced {}",
            self.algorithm, self.actual, self.expected
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// The checksum to validate: the first algorithm of [`PRIORITY`] that is among `allowed`
/// (the operation's `responseAlgorithms`, by name) and whose header the response has,
/// with its value. A composite checksum (a value with a `-`, as `…-3`, or
/// `x-amz-checksum-type: COMPOSITE`) is skipped as botocore skips it, and so is the
/// response when none is present.
pub fn expected_checksum(response: &HttpResponse, allowed: &[&str]) -> Option<(Algorithm, String)> {
    if response.header("x-amz-checksum-type").is_some_and(|t| t.trim().eq_ignore_ascii_case("COMPOSITE")) {
        return None;
    }
    PRIORITY
        .into_iter()
        .filter(|a| allowed.iter().any(|name| name.eq_ignore_ascii_case(a.name())))
        .find_map(|a| {
            let value = response.header(a.header())?;
            // botocore: `if "-" in headers[header_name]: continue`.
            (!value.contains('-')).then(|| (a, value.trim().to_owned()))
        })
}

/// Validates the response of a request sent with checksum mode on: a streaming body is
/// wrapped so that its read fails at the end on a mismatch; a body in memory is checked
/// now. Only complete successful responses are validated: an error document is parsed
/// as the error it is, and a `206 Partial Content` body (a `Range` or `PartNumber` GET)
/// is only part of the object, which a store may still send the full-object checksum of
/// (botocore would fail such a read; S3 itself sends no checksum with a range).
pub fn validate_response(response: &mut HttpResponse, operation: &'static str, allowed: &[&str]) -> Result<(), ResponseError> {
    if response.status >= 300 || response.status == 206 {
        return Ok(());
    }
    let Some((algorithm, expected)) = expected_checksum(response, allowed) else { return Ok(()) };
    let body = std::mem::take(&mut response.body);
    if let Some(bytes) = body.as_bytes() {
        let actual = algorithm.checksum(bytes);
        let result = check(algorithm, &expected, actual);
        response.body = body;
        return result.map_err(|mismatch| ResponseError::checksum(operation, mismatch));
    }
    response.body = ByteStream::from_body(ValidatingBody { inner: body, hasher: Some(algorithm.hasher()), algorithm, expected });
    Ok(())
}

/// Compares base64 checksums by their bytes (as botocore compares digests), so that a
/// value with other padding or spacing still matches.
fn check(algorithm: Algorithm, expected: &str, actual: String) -> Result<(), ChecksumMismatch> {
    let decoded = crate::encoding::base64_decode(expected).ok();
    let matches = match (decoded, crate::encoding::base64_decode(&actual).ok()) {
        (Some(e), Some(a)) => e == a,
        _ => expected == actual,
    };
    if matches {
        Ok(())
    } else {
        Err(ChecksumMismatch { algorithm, expected: expected.to_owned(), actual })
    }
}

/// A response body checksummed as it streams; its last read fails on a mismatch.
struct ValidatingBody {
    inner: ByteStream,
    /// `None` once the end was checked.
    hasher: Option<Hasher>,
    algorithm: Algorithm,
    expected: String,
}

impl Body for ValidatingBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let Some(hasher) = &mut this.hasher else { return Poll::Ready(None) };
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    hasher.update(data);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                let actual = this.hasher.take().map(Hasher::finish).unwrap_or_default();
                match check(this.algorithm, &this.expected, actual) {
                    Ok(()) => Poll::Ready(None),
                    Err(mismatch) => Poll::Ready(Some(Err(Box::new(mismatch)))),
                }
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.hasher.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        Body::size_hint(&self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: &str = "GetObject";
    const ALL: &[&str] = &["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1", "SHA512", "MD5", "XXHASH64", "XXHASH3", "XXHASH128"];

    fn response(headers: &[(&str, &str)], body: ByteStream) -> HttpResponse {
        HttpResponse::new(200, headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), body)
    }

    /// A body that is not in memory (as from the network), in two frames.
    fn network(data: &'static [u8]) -> ByteStream {
        let frames: Vec<Result<Frame<Bytes>, std::convert::Infallible>> =
            data.chunks(data.len().div_ceil(2).max(1)).map(|c| Ok(Frame::data(Bytes::from_static(c)))).collect();
        ByteStream::from_body(http_body_util::StreamBody::new(Frames(frames.into_iter())))
    }

    struct Frames(std::vec::IntoIter<Result<Frame<Bytes>, std::convert::Infallible>>);

    impl futures_core::Stream for Frames {
        type Item = Result<Frame<Bytes>, std::convert::Infallible>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.next())
        }
    }

    fn read(body: ByteStream) -> std::io::Result<Vec<u8>> {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(body.collect())
    }

    #[test]
    fn streaming_bodies_are_checked_at_their_end() {
        for algorithm in PRIORITY {
            let good = algorithm.checksum(b"hello world");
            let mut ok = response(&[(algorithm.header(), &good)], network(b"hello world"));
            validate_response(&mut ok, OP, ALL).unwrap();
            assert_eq!(read(ok.body).unwrap(), b"hello world", "{algorithm}");

            let wrong = algorithm.checksum(b"HELLO WORLD");
            let mut bad = response(&[(algorithm.header(), &wrong)], network(b"hello world"));
            validate_response(&mut bad, OP, ALL).unwrap();
            let err = read(bad.body).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
            let mismatch = ChecksumMismatch::find(&err).expect("a ChecksumMismatch");
            assert_eq!(mismatch, &ChecksumMismatch { algorithm, expected: wrong.clone(), actual: good.clone() });
        }
    }

    #[test]
    fn the_first_algorithm_in_botocores_order_is_used() {
        let crc32 = Algorithm::Crc32.checksum(b"x");
        let crc64 = Algorithm::Crc64Nvme.checksum(b"x");
        let r = response(&[("x-amz-checksum-crc32", &crc32), ("x-amz-checksum-crc64nvme", &crc64)], ByteStream::default());
        assert_eq!(expected_checksum(&r, ALL), Some((Algorithm::Crc64Nvme, crc64)));
        // Only the operation's response algorithms count.
        assert_eq!(expected_checksum(&r, &["CRC32"]), Some((Algorithm::Crc32, crc32.clone())));
        // MD5 is never validated, as botocore.
        let r = response(&[("x-amz-checksum-md5", "1B2M2Y8AsgTpgAmY7PhCfg==")], ByteStream::default());
        assert_eq!(expected_checksum(&r, ALL), None);
        // Composite checksums are skipped, and the next algorithm is considered.
        let r = response(&[("x-amz-checksum-crc64nvme", "AAAAAAAAAAA=-3"), ("x-amz-checksum-crc32", &crc32)], ByteStream::default());
        assert_eq!(expected_checksum(&r, ALL), Some((Algorithm::Crc32, crc32.clone())));
        let r = response(&[("x-amz-checksum-crc32", &crc32), ("x-amz-checksum-type", "COMPOSITE")], ByteStream::default());
        assert_eq!(expected_checksum(&r, ALL), None);
    }

    #[test]
    fn bodies_in_memory_are_checked_now() {
        let mut ok = response(&[("x-amz-checksum-sha256", &Algorithm::Sha256.checksum(b"abc"))], ByteStream::from_static(b"abc"));
        validate_response(&mut ok, OP, ALL).unwrap();
        assert_eq!(ok.body.as_bytes(), Some(&b"abc"[..]));
        let mut bad = response(&[("x-amz-checksum-sha256", &Algorithm::Sha256.checksum(b"abd"))], ByteStream::from_static(b"abc"));
        let err = validate_response(&mut bad, OP, ALL).unwrap_err();
        let mismatch = err.checksum_mismatch().expect("a mismatch");
        assert_eq!(mismatch.algorithm, Algorithm::Sha256);
        assert!(ChecksumMismatch::find(&err).is_some());
        // Error responses and partial content are not validated.
        for status in [404, 206] {
            let mut other = response(&[("x-amz-checksum-crc32", "AAAAAA==")], ByteStream::from_static(b"<Error/>"));
            other.status = status;
            validate_response(&mut other, OP, ALL).unwrap();
        }
    }

    #[test]
    fn digests_are_compared() {
        assert!(check(Algorithm::Crc32, "AAAAAA==", "NhCmhg==".into()).is_err());
        assert!(check(Algorithm::Crc32, "NhCmhg==", "NhCmhg==".into()).is_ok());
        assert!(check(Algorithm::Crc32, "not base64!", "NhCmhg==".into()).is_err());
    }
}
