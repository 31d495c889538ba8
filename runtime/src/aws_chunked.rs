//! `aws-chunked` content encoding with an unsigned trailing checksum: how a streaming
//! upload carries its flexible checksum when the body is not in memory, so it can be
//! checksummed as it is sent rather than read twice (botocore's `AwsChunkedWrapper`,
//! S3's `STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
//!
//! ```text
//! 10000\r\n <64 KiB of data> \r\n
//! …
//! 2a0\r\n <the last 672 bytes> \r\n
//! 0\r\n
//! x-amz-checksum-crc32:NhCmhg==\r\n
//! \r\n
//! ```
//!
//! Chunks are of a fixed size (the last one shorter), so the encoded length is known
//! before sending and goes in `Content-Length`; the data frames of the wrapped body are
//! passed through without copying.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame};

use crate::byte_stream::BoxError;
use crate::checksum::{Algorithm, Hasher};
use crate::ByteStream;

/// Data bytes per chunk (the last chunk holds what is left).
pub const CHUNK_SIZE: u64 = 64 * 1024;

/// The length of `decoded_len` bytes once encoded with a trailing `algorithm` checksum.
pub fn encoded_len(decoded_len: u64, algorithm: Algorithm) -> u64 {
    let framed = |n: u64| hex_len(n) + 2 + n + 2;
    let full = decoded_len / CHUNK_SIZE;
    let rest = decoded_len % CHUNK_SIZE;
    let chunks = full * framed(CHUNK_SIZE) + if rest > 0 { framed(rest) } else { 0 };
    let trailer = algorithm.header().len() as u64 + 1 + algorithm.encoded_len() as u64 + 2;
    chunks + 3 + trailer + 2
}

fn hex_len(n: u64) -> u64 {
    u64::from((64 - n.leading_zeros()).div_ceil(4).max(1))
}

/// A body encoded as `aws-chunked` with a trailing checksum.
#[derive(Debug)]
pub struct AwsChunked {
    inner: ByteStream,
    algorithm: Algorithm,
    decoded_len: u64,
    hasher: Option<Hasher>,
    /// Data bytes not yet sent, over the whole body.
    remaining: u64,
    /// Data bytes still due in the current chunk.
    chunk_left: u64,
    /// Part of a frame of the wrapped body that belongs to the next chunk.
    pending: Option<Bytes>,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Next: a chunk's size line, or the final chunk and trailer.
    ChunkStart,
    /// Next: data of the current chunk.
    Data,
    /// Next: the `\r\n` after a chunk's data.
    ChunkEnd,
    Done,
}

impl AwsChunked {
    /// Wraps `inner`, which must yield exactly `decoded_len` bytes.
    pub fn new(inner: ByteStream, algorithm: Algorithm, decoded_len: u64) -> AwsChunked {
        AwsChunked {
            inner,
            algorithm,
            decoded_len,
            hasher: Some(algorithm.hasher()),
            remaining: decoded_len,
            chunk_left: 0,
            pending: None,
            state: State::ChunkStart,
        }
    }

    /// The encoding of the same body from its start, when the body can be replayed.
    pub fn try_clone(&self) -> Option<AwsChunked> {
        Some(AwsChunked::new(self.inner.try_clone()?, self.algorithm, self.decoded_len))
    }

    /// The encoded length (never zero: the final chunk and trailer are always sent).
    pub fn encoded_len(&self) -> u64 {
        encoded_len(self.decoded_len, self.algorithm)
    }

    /// Whether nothing is left to send.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    fn short(&self) -> BoxError {
        format!("the body ended {} bytes before its declared length of {}", self.remaining, self.decoded_len).into()
    }

    fn trailer(&mut self) -> Bytes {
        let checksum = self.hasher.take().map(Hasher::finish).unwrap_or_default();
        Bytes::from(format!("0\r\n{}:{checksum}\r\n\r\n", self.algorithm.header()))
    }

    /// Takes up to `chunk_left` bytes of `data` for the current chunk, keeping the rest.
    fn take_data(&mut self, mut data: Bytes) -> Result<Bytes, BoxError> {
        if data.len() as u64 > self.chunk_left {
            let rest = data.split_off(self.chunk_left as usize);
            self.pending = Some(rest);
        }
        self.chunk_left -= data.len() as u64;
        self.remaining -= data.len() as u64;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&data);
        }
        if self.chunk_left == 0 {
            self.state = State::ChunkEnd;
        }
        Ok(data)
    }
}

impl Body for AwsChunked {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        loop {
            match this.state {
                State::Done => return Poll::Ready(None),
                State::ChunkEnd => {
                    this.state = State::ChunkStart;
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"\r\n")))));
                }
                State::ChunkStart if this.remaining > 0 => {
                    this.chunk_left = this.remaining.min(CHUNK_SIZE);
                    this.state = State::Data;
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from(format!("{:x}\r\n", this.chunk_left))))));
                }
                State::ChunkStart => {
                    // Everything declared was sent: the wrapped body must be at its end.
                    if this.pending.as_ref().is_some_and(|p| !p.is_empty()) {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(too_long(this.decoded_len))));
                    }
                    match Pin::new(&mut this.inner).poll_frame(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                        Poll::Ready(Some(Ok(frame))) => {
                            if frame.data_ref().is_some_and(|d| !d.is_empty()) {
                                this.state = State::Done;
                                return Poll::Ready(Some(Err(too_long(this.decoded_len))));
                            }
                        }
                        Poll::Ready(None) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Ok(Frame::data(this.trailer()))));
                        }
                    }
                }
                State::Data => {
                    if let Some(data) = this.pending.take() {
                        return Poll::Ready(Some(this.take_data(data).map(Frame::data)));
                    }
                    match Pin::new(&mut this.inner).poll_frame(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(None) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(this.short())));
                        }
                        Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                        Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                            Ok(data) if data.is_empty() => continue,
                            Ok(data) => return Poll::Ready(Some(this.take_data(data).map(Frame::data))),
                            // Trailers of the wrapped body are not forwarded.
                            Err(_) => continue,
                        },
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.state == State::Done
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.encoded_len())
    }
}

fn too_long(declared: u64) -> BoxError {
    format!("the body is longer than its declared length of {declared} bytes").into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn encode(body: ByteStream, algorithm: Algorithm, len: u64) -> Result<Vec<u8>, BoxError> {
        let body = AwsChunked::new(body, algorithm, len);
        let declared = body.encoded_len();
        let out = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(body.collect())
            .map(|c| c.to_bytes().to_vec())?;
        assert_eq!(out.len() as u64, declared, "encoded length as declared");
        Ok(out)
    }

    #[test]
    fn encodes_as_botocore_frames_it() {
        // botocore's AwsChunkedWrapper for b"hello" with CRC32 gives the same bytes
        // (its chunks are bigger, which only matters for longer bodies).
        let out = encode(ByteStream::from_static(b"hello"), Algorithm::Crc32, 5).unwrap();
        assert_eq!(out, b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n");
        let empty = encode(ByteStream::default(), Algorithm::Sha256, 0).unwrap();
        assert_eq!(empty, b"0\r\nx-amz-checksum-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n");
    }

    #[test]
    fn splits_into_fixed_chunks_whatever_the_frames() {
        // Frames of 100 000 bytes, chunks of 65 536: frames are split across chunks.
        let frames: Vec<Result<Frame<Bytes>, std::convert::Infallible>> =
            (0..3).map(|i| Ok(Frame::data(Bytes::from(vec![b'a' + i; 100_000])))).collect();
        let stream = http_body_util::StreamBody::new(futures_util_stream(frames));
        let data: Vec<u8> = (0..3u8).flat_map(|i| vec![b'a' + i; 100_000]).collect();
        let out = encode(ByteStream::from_body(stream), Algorithm::Crc32c, 300_000).unwrap();
        let mut decoded = Vec::new();
        let mut rest = &out[..];
        let mut sizes = Vec::new();
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            sizes.push(size);
            decoded.extend_from_slice(&rest[..size]);
            assert_eq!(&rest[size..size + 2], b"\r\n");
            rest = &rest[size + 2..];
        }
        assert_eq!(sizes, [65536, 65536, 65536, 65536, 37856]);
        assert_eq!(decoded, data);
        let trailer = format!("x-amz-checksum-crc32c:{}\r\n\r\n", Algorithm::Crc32c.checksum(&data));
        assert_eq!(rest, trailer.as_bytes());
    }

    #[test]
    fn a_body_of_the_wrong_length_is_an_error() {
        let err = encode(ByteStream::from_static(b"hello"), Algorithm::Crc32, 6).unwrap_err();
        assert!(err.to_string().contains("ended 1 bytes before its declared length of 6"), "{err}");
        let err = encode(ByteStream::from_static(b"hello"), Algorithm::Crc32, 4).unwrap_err();
        assert!(err.to_string().contains("longer than its declared length of 4"), "{err}");
    }

    #[test]
    fn encoded_length_counts_every_byte() {
        for len in [0, 1, 15, 16, 65535, 65536, 65537, 200_000, 1 << 20] {
            for algorithm in Algorithm::ALL {
                let body = ByteStream::from(vec![7u8; len as usize]);
                assert_eq!(encode(body, algorithm, len).unwrap().len() as u64, encoded_len(len, algorithm));
            }
        }
    }

    /// A stream of ready items (no `futures` dependency for one test).
    fn futures_util_stream<T: Unpin>(items: Vec<T>) -> impl futures_core::Stream<Item = T> {
        struct Iter<T>(std::vec::IntoIter<T>);
        impl<T: Unpin> futures_core::Stream for Iter<T> {
            type Item = T;
            fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
                Poll::Ready(self.get_mut().0.next())
            }
        }
        Iter(items.into_iter())
    }
}
