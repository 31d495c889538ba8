//! Response bodies read whole (every response but object contents and event streams),
//! within a size limit.

use bytes::{Bytes, BytesMut};

use crate::ByteStream;

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum CollectError {
    /// Longer than the limit; the length when the response declared it.
    TooLarge(Option<u64>),
    /// The connection failed or the body was cut short.
    Io(std::io::Error),
}

/// Reads `body` whole, refusing one longer than `limit` bytes: at once when its declared
/// length says so, otherwise as soon as more than `limit` bytes have come. A body of
/// known length is read into one buffer of that size.
pub(crate) async fn collect_limited(mut body: ByteStream, limit: u64) -> Result<Bytes, CollectError> {
    let declared = body.size_hint();
    if let Some(length) = declared.filter(|&length| length > limit) {
        return Err(CollectError::TooLarge(Some(length)));
    }
    if let Some(bytes) = body.as_bytes() {
        return Ok(Bytes::copy_from_slice(bytes));
    }
    // The declared length is at most the limit here (but the limit may be large, and the
    // length a lie: past 64 MiB the buffer grows as bytes come); without one, start small.
    let mut out = BytesMut::with_capacity(declared.unwrap_or(8 * 1024).min(64 << 20) as usize);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(CollectError::Io)?;
        if (out.len() + chunk.len()) as u64 > limit {
            return Err(CollectError::TooLarge(declared));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body of unknown length that comes in these chunks.
    fn stream(chunks: &[&'static [u8]]) -> ByteStream {
        let frames: Vec<Result<http_body::Frame<Bytes>, std::io::Error>> =
            chunks.iter().map(|c| Ok(http_body::Frame::data(Bytes::from_static(c)))).collect();
        ByteStream::from_body(http_body_util::StreamBody::new(Chunks(frames.into_iter())))
    }

    struct Chunks<I>(I);

    impl<I: Iterator + Unpin> futures_core::Stream for Chunks<I> {
        type Item = I::Item;
        fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }

    #[tokio::test]
    async fn bodies_within_the_limit_are_read() {
        let bytes = collect_limited(stream(&[b"abc", b"de"]), 5).await.unwrap();
        assert_eq!(&bytes[..], b"abcde");
        let bytes = collect_limited(ByteStream::from_static(b"12345"), 5).await.unwrap();
        assert_eq!(&bytes[..], b"12345");
    }

    #[tokio::test]
    async fn longer_bodies_are_refused() {
        assert!(matches!(collect_limited(stream(&[b"abc", b"def"]), 5).await, Err(CollectError::TooLarge(None))));
        assert!(matches!(collect_limited(ByteStream::from_static(b"123456"), 5).await, Err(CollectError::TooLarge(Some(6)))));
    }
}
