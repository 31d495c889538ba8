//! Streaming bodies: object contents sent with PutObject or received from GetObject.
//!
//! A [`ByteStream`] is one of: bytes in memory, a file read in chunks as it is sent,
//! or any [`http_body::Body`] (a response body from the network, a caller's stream).
//! Only the first two can be sent again, which retries need: see
//! [`ByteStream::try_clone`].

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::BoxBody;
use http_body_util::BodyExt;
use tokio::io::{AsyncRead, ReadBuf};

use crate::aws_chunked::AwsChunked;
use crate::checksum::Algorithm;

/// The error type of streamed bodies.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How much of a file is read at a time.
const FILE_CHUNK: usize = 64 * 1024;

/// The body of a streaming request or response.
#[derive(Default)]
pub struct ByteStream {
    inner: Inner,
}

#[derive(Default)]
enum Inner {
    #[default]
    Empty,
    Bytes(Bytes),
    File(FileBody),
    Body(BoxBody<Bytes, BoxError>),
    /// Another body, sent `aws-chunked` with a trailing checksum.
    AwsChunked(Box<AwsChunked>),
}

struct FileBody {
    path: PathBuf,
    len: u64,
    remaining: u64,
    file: Option<tokio::fs::File>,
}

impl ByteStream {
    /// A body made of the given bytes.
    pub fn from_static(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }

    /// A body read from the file at `path` as it is sent, never held whole in memory.
    /// Its length is taken now; the file is opened again for each attempt.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let len = tokio::fs::metadata(&path).await?.len();
        Ok(ByteStream { inner: Inner::File(FileBody { path, len, remaining: len, file: None }) })
    }

    /// A body from any [`http_body::Body`] of bytes, such as a response body or a
    /// caller's own stream. It can be sent once.
    pub fn from_body<B>(body: B) -> Self
    where
        B: Body<Data = Bytes> + Send + Sync + 'static,
        B::Error: Into<BoxError>,
    {
        ByteStream { inner: Inner::Body(body.map_err(Into::into).boxed()) }
    }

    /// The length in bytes, when known before reading.
    pub fn size_hint(&self) -> Option<u64> {
        match &self.inner {
            Inner::Empty => Some(0),
            Inner::Bytes(b) => Some(b.len() as u64),
            Inner::File(f) => Some(f.len),
            Inner::Body(body) => body.size_hint().exact(),
            Inner::AwsChunked(body) => Some(body.encoded_len()),
        }
    }

    /// This body, `decoded_len` bytes long, sent `aws-chunked` with a trailing
    /// `algorithm` checksum (see [`crate::aws_chunked`]). It can be sent again when this
    /// body can.
    pub fn into_aws_chunked(self, algorithm: Algorithm, decoded_len: u64) -> ByteStream {
        ByteStream { inner: Inner::AwsChunked(Box::new(AwsChunked::new(self, algorithm, decoded_len))) }
    }

    /// Whether this is the default, empty body (no body was given), as opposed to a
    /// body the caller gave, even an empty one.
    pub(crate) fn is_unset(&self) -> bool {
        matches!(self.inner, Inner::Empty)
    }

    /// Whether the body is sent `aws-chunked` with a trailing checksum.
    pub fn is_aws_chunked(&self) -> bool {
        matches!(self.inner, Inner::AwsChunked(_))
    }

    /// The bytes, when the body is held in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Empty => Some(&[]),
            Inner::Bytes(b) => Some(b),
            Inner::File(_) | Inner::Body(_) | Inner::AwsChunked(_) => None,
        }
    }

    /// A copy that can be sent again (bytes in memory, or a file not yet read from),
    /// or `None` for a one-shot stream.
    pub fn try_clone(&self) -> Option<ByteStream> {
        let inner = match &self.inner {
            Inner::Empty => Inner::Empty,
            Inner::Bytes(b) => Inner::Bytes(b.clone()),
            Inner::File(f) => Inner::File(FileBody { path: f.path.clone(), len: f.len, remaining: f.len, file: None }),
            Inner::Body(_) => return None,
            Inner::AwsChunked(body) => Inner::AwsChunked(Box::new(body.try_clone()?)),
        };
        Some(ByteStream { inner })
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn next(&mut self) -> Option<io::Result<Bytes>> {
        loop {
            match self.frame().await? {
                Ok(frame) => match frame.into_data() {
                    Ok(data) if data.is_empty() => continue,
                    Ok(data) => return Some(Ok(data)),
                    Err(_trailers) => continue,
                },
                Err(err) => return Some(Err(into_io_error(err))),
            }
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> io::Result<Vec<u8>> {
        if let Inner::Bytes(b) = &self.inner {
            return Ok(b.to_vec());
        }
        let mut out = Vec::with_capacity(self.size_hint().unwrap_or(0).min(64 << 20) as usize);
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Reads the whole body into memory as [`Bytes`], without copying a body that is
    /// already in memory.
    pub async fn collect_bytes(self) -> io::Result<Bytes> {
        match self.inner {
            Inner::Empty => Ok(Bytes::new()),
            Inner::Bytes(b) => Ok(b),
            _ => self.collect().await.map(Bytes::from),
        }
    }
}

/// A body's error as an `io::Error` whose `get_ref()` is that error: `InvalidData` for a
/// [`ChecksumMismatch`](crate::checksum::ChecksumMismatch), `TimedOut` for a
/// [`StreamTimeout`](crate::timeout::StreamTimeout), `Other` otherwise.
fn into_io_error(err: BoxError) -> io::Error {
    let kind = if err.is::<crate::checksum::ChecksumMismatch>() {
        io::ErrorKind::InvalidData
    } else if err.is::<crate::timeout::StreamTimeout>() {
        io::ErrorKind::TimedOut
    } else {
        io::ErrorKind::Other
    };
    io::Error::new(kind, err)
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream { inner: Inner::Bytes(bytes) }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from_static(bytes)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::from(text.into_bytes())
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::from_static(text.as_bytes())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.size_hint() {
            Some(n) => write!(f, "ByteStream({n} bytes)"),
            None => f.write_str("ByteStream(..)"),
        }
    }
}

impl Body for ByteStream {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match &mut this.inner {
            Inner::Empty => Poll::Ready(None),
            Inner::Bytes(bytes) => {
                let data = std::mem::take(bytes);
                this.inner = Inner::Empty;
                Poll::Ready((!data.is_empty()).then(|| Ok(Frame::data(data))))
            }
            Inner::File(file) => file.poll_chunk(cx).map(|chunk| chunk.map(|r| r.map(Frame::data).map_err(Into::into))),
            Inner::Body(body) => Pin::new(body).poll_frame(cx),
            Inner::AwsChunked(body) => Pin::new(body.as_mut()).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Empty => true,
            Inner::Bytes(b) => b.is_empty(),
            Inner::File(f) => f.remaining == 0,
            Inner::Body(body) => body.is_end_stream(),
            Inner::AwsChunked(body) => body.is_done(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Body(body) => body.size_hint(),
            Inner::File(f) => SizeHint::with_exact(f.remaining),
            Inner::AwsChunked(body) => body.size_hint(),
            _ => SizeHint::with_exact(ByteStream::size_hint(self).unwrap_or(0)),
        }
    }
}

impl FileBody {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        if self.file.is_none() {
            // Opening is a quick system call; the reads below are asynchronous.
            match std::fs::File::open(&self.path) {
                Ok(file) => self.file = Some(tokio::fs::File::from_std(file)),
                Err(err) => return Poll::Ready(Some(Err(err))),
            }
        }
        let file = self.file.as_mut().expect("opened above");
        let want = FILE_CHUNK.min(self.remaining as usize);
        let mut buf = BytesMut::zeroed(want);
        let mut read_buf = ReadBuf::new(&mut buf);
        match Pin::new(file).poll_read(cx, &mut read_buf) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(err)) => Poll::Ready(Some(Err(err))),
            Poll::Ready(Ok(())) => {
                let n = read_buf.filled().len();
                if n == 0 {
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("{} ended {} bytes early", self.path.display(), self.remaining),
                    ))));
                }
                buf.truncate(n);
                self.remaining -= n as u64;
                Poll::Ready(Some(Ok(buf.freeze())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
    }

    #[test]
    fn bytes_bodies_replay_and_collect() {
        let body = ByteStream::from(b"hello".to_vec());
        let copy = body.try_clone().unwrap();
        assert_eq!(block_on(body.collect()).unwrap(), b"hello");
        assert_eq!(block_on(copy.collect()).unwrap(), b"hello");
    }

    #[test]
    fn files_stream_in_chunks_and_replay() {
        let path = std::env::temp_dir().join(format!("bytestream-test-{}", std::process::id()));
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let (mut chunks, copy) = block_on(async {
            let mut body = ByteStream::from_path(&path).await.unwrap();
            assert_eq!(body.size_hint(), Some(200_000));
            let copy = body.try_clone().unwrap();
            let mut chunks = Vec::new();
            while let Some(chunk) = body.next().await {
                chunks.push(chunk.unwrap());
            }
            (chunks, copy)
        });
        assert!(chunks.len() >= 4, "read in chunks");
        let joined: Vec<u8> = chunks.drain(..).flat_map(|c| c.to_vec()).collect();
        assert_eq!(joined, data);
        assert_eq!(block_on(copy.collect()).unwrap(), data);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn bodies_from_streams_are_one_shot() {
        let body = ByteStream::from_body(http_body_util::Full::new(Bytes::from_static(b"abc")));
        assert!(body.try_clone().is_none());
        assert_eq!(block_on(body.collect()).unwrap(), b"abc");
    }
}
