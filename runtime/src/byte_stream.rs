//! Streaming bodies: object contents sent with PutObject or received from GetObject.
//!
//! A [`ByteStream`] is one of: bytes in memory, a file read in chunks as it is sent,
//! or any [`http_body::Body`] (a response body from the network, a caller's stream).
//! Only the first two can be sent again, which retries need: see
//! [`ByteStream::try_clone`].

use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::BoxBody;
use http_body_util::BodyExt;
use tokio::task::JoinHandle;

use crate::aws_chunked::AwsChunked;
use crate::checksum::Algorithm;

/// The error type of streamed bodies.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How much of a file is read at a time: one read on the blocking pool per chunk (an `aws-chunked` body splits it into its 64 KiB chunks without copying).
const FILE_CHUNK: usize = 1024 * 1024;

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
    /// Where in the file the body starts.
    offset: u64,
    len: u64,
    remaining: u64,
    /// The open file, positioned where the next read starts (with the read in flight
    /// while one is).
    file: Option<std::fs::File>,
    /// The read in flight on the blocking pool.
    reading: Option<JoinHandle<io::Result<(std::fs::File, Bytes)>>>,
}

impl FileBody {
    fn new(path: PathBuf, offset: u64, len: u64) -> Self {
        FileBody { path, offset, len, remaining: len, file: None, reading: None }
    }
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
        Ok(ByteStream { inner: Inner::File(FileBody::new(path, 0, len)) })
    }

    /// A body of the `len` bytes of the file at `path` that start at `offset`, read as
    /// it is sent (a part of a multipart upload, for example). Fails, before anything
    /// is read, when the file is shorter than `offset + len`.
    pub async fn from_path_range(path: impl AsRef<Path>, offset: u64, len: u64) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file_len = tokio::fs::metadata(&path).await?.len();
        if offset.checked_add(len).is_none_or(|end| end > file_len) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: bytes {offset}..{offset}+{len} are past its end ({file_len} bytes)", path.display()),
            ));
        }
        Ok(ByteStream { inner: Inner::File(FileBody::new(path, offset, len)) })
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
            Inner::File(f) => Inner::File(FileBody::new(f.path.clone(), f.offset, f.len)),
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
        if self.reading.is_none() {
            let file = match self.file.take() {
                Some(file) => file,
                // Opening and seeking are quick system calls; reads go to the blocking pool.
                None => match open_at(&self.path, self.offset) {
                    Ok(file) => file,
                    Err(err) => return Poll::Ready(Some(Err(err))),
                },
            };
            let want = FILE_CHUNK.min(self.remaining as usize);
            self.reading = Some(tokio::task::spawn_blocking(move || read_chunk(file, want)));
        }
        let reading = self.reading.as_mut().expect("started above");
        let read = match Pin::new(reading).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(read) => read,
        };
        self.reading = None;
        let chunk = match read {
            Ok(Ok((file, chunk))) => {
                self.file = Some(file);
                chunk
            }
            Ok(Err(err)) => return Poll::Ready(Some(Err(err))),
            Err(join) => return Poll::Ready(Some(Err(io::Error::other(join)))),
        };
        if chunk.is_empty() {
            return Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{} ended {} bytes early", self.path.display(), self.remaining),
            ))));
        }
        self.remaining -= chunk.len() as u64;
        Poll::Ready(Some(Ok(chunk)))
    }
}

fn open_at(path: &Path, offset: u64) -> io::Result<std::fs::File> {
    let mut file = std::fs::File::open(path)?;
    if offset > 0 {
        io::Seek::seek(&mut file, io::SeekFrom::Start(offset))?;
    }
    Ok(file)
}

/// Up to `want` bytes from where `file` is (fewer only at its end), read straight into
/// a buffer (never zeroed first) from [`CHUNK_POOL`].
fn read_chunk(mut file: std::fs::File, want: usize) -> io::Result<(std::fs::File, Bytes)> {
    let mut buf = PooledChunk::take();
    io::Read::read_to_end(&mut io::Read::take(&mut file, want as u64), &mut buf.0)?;
    Ok((file, Bytes::from_owner(buf)))
}

/// File-chunk buffers given back when the last [`Bytes`] of one is dropped (once the
/// transport wrote it), at most [`CHUNK_POOL_MAX`] kept: a long upload cycles through
/// the same few buffers, already mapped, rather than asking the allocator, and with a
/// buffer this size the kernel, for a fresh one per chunk.
static CHUNK_POOL: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
const CHUNK_POOL_MAX: usize = 16;

struct PooledChunk(Vec<u8>);

impl PooledChunk {
    fn take() -> PooledChunk {
        let reused = CHUNK_POOL.lock().ok().and_then(|mut pool| pool.pop());
        PooledChunk(reused.unwrap_or_else(|| Vec::with_capacity(FILE_CHUNK)))
    }
}

impl AsRef<[u8]> for PooledChunk {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for PooledChunk {
    fn drop(&mut self) {
        let mut buf = std::mem::take(&mut self.0);
        if buf.capacity() != FILE_CHUNK {
            return;
        }
        buf.clear();
        if let Ok(mut pool) = CHUNK_POOL.lock() {
            if pool.len() < CHUNK_POOL_MAX {
                pool.push(buf);
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
        let len = 3 * FILE_CHUNK + 1000;
        let data: Vec<u8> = (0..len as u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let (mut chunks, copy) = block_on(async {
            let mut body = ByteStream::from_path(&path).await.unwrap();
            assert_eq!(body.size_hint(), Some(len as u64));
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
    fn pooled_chunks_are_reused_only_once_dropped() {
        let dir = std::env::temp_dir();
        let (a, b) = (dir.join(format!("bytestream-pool-a-{}", std::process::id())), dir.join(format!("bytestream-pool-b-{}", std::process::id())));
        let data_a: Vec<u8> = (0..5 * FILE_CHUNK as u32 + 7).map(|i| (i % 241) as u8).collect();
        let data_b: Vec<u8> = (0..3 * FILE_CHUNK as u32).map(|i| (i % 239) as u8 ^ 0x55).collect();
        std::fs::write(&a, &data_a).unwrap();
        std::fs::write(&b, &data_b).unwrap();
        block_on(async {
            // Chunks of `a` still held while `b` is read, then `a` read again chunk by
            // chunk, each dropped before the next (so buffers cycle through the pool).
            let mut held = Vec::new();
            let mut body = ByteStream::from_path(&a).await.unwrap();
            while let Some(chunk) = body.next().await {
                held.push(chunk.unwrap());
            }
            assert_eq!(ByteStream::from_path(&b).await.unwrap().collect().await.unwrap(), data_b);
            assert_eq!(held.concat(), data_a);
            drop(held);
            for _ in 0..3 {
                let mut body = ByteStream::from_path(&a).await.unwrap();
                let mut offset = 0;
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.unwrap();
                    assert!(chunk[..] == data_a[offset..offset + chunk.len()], "chunk at {offset}");
                    offset += chunk.len();
                }
                assert_eq!(offset, data_a.len());
            }
        });
        std::fs::remove_file(&a).unwrap();
        std::fs::remove_file(&b).unwrap();
    }

    #[test]
    fn file_ranges_read_their_slice_and_replay() {
        let path = std::env::temp_dir().join(format!("bytestream-range-test-{}", std::process::id()));
        let data: Vec<u8> = (0..700_000u32).map(|i| (i % 253) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        block_on(async {
            let body = ByteStream::from_path_range(&path, 100_001, 555_555).await.unwrap();
            assert_eq!(body.size_hint(), Some(555_555));
            let copy = body.try_clone().unwrap();
            assert_eq!(body.collect().await.unwrap(), &data[100_001..655_556]);
            assert_eq!(copy.collect().await.unwrap(), &data[100_001..655_556]);
            let tail = ByteStream::from_path_range(&path, 699_999, 1).await.unwrap();
            assert_eq!(tail.collect().await.unwrap(), &data[699_999..]);
            let err = ByteStream::from_path_range(&path, 699_999, 2).await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
            assert!(err.to_string().contains("past its end (700000 bytes)"), "{err}");
            assert!(ByteStream::from_path_range(&path, u64::MAX, 2).await.is_err());
        });
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_file_cut_short_while_sent_is_an_error() {
        let path = std::env::temp_dir().join(format!("bytestream-short-test-{}", std::process::id()));
        std::fs::write(&path, vec![7u8; 300_000]).unwrap();
        block_on(async {
            let mut body = ByteStream::from_path(&path).await.unwrap();
            std::fs::write(&path, vec![7u8; 1000]).unwrap();
            let first = body.next().await.unwrap().unwrap();
            assert_eq!(first.len(), 1000);
            let err = body.next().await.unwrap().unwrap_err();
            let inner = err.get_ref().and_then(|e| e.downcast_ref::<io::Error>()).expect("the read error");
            assert_eq!(inner.kind(), io::ErrorKind::UnexpectedEof);
            assert!(err.to_string().contains("ended 299000 bytes early"), "{err}");
        });
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn bodies_from_streams_are_one_shot() {
        let body = ByteStream::from_body(http_body_util::Full::new(Bytes::from_static(b"abc")));
        assert!(body.try_clone().is_none());
        assert_eq!(block_on(body.collect()).unwrap(), b"abc");
    }
}
