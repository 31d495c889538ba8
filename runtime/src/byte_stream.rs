//! Streaming bodies: object contents sent with PutObject or received from GetObject.

use std::fmt;

/// The body of a streaming request or response.
///
/// Today a `ByteStream` holds its bytes in memory; streaming from files and from the
/// network is the transport's job and arrives with it, without changing this type's
/// public constructors.
#[derive(Default)]
pub struct ByteStream {
    inner: Inner,
}

#[derive(Default)]
enum Inner {
    #[default]
    Empty,
    Bytes(Vec<u8>),
}

impl ByteStream {
    /// A body made of the given bytes.
    pub fn from_static(bytes: &'static [u8]) -> Self {
        Self::from(bytes.to_vec())
    }

    /// The length in bytes, when known before reading.
    pub fn size_hint(&self) -> Option<u64> {
        match &self.inner {
            Inner::Empty => Some(0),
            Inner::Bytes(b) => Some(b.len() as u64),
        }
    }

    /// The bytes, when the body is held in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Empty => Some(&[]),
            Inner::Bytes(b) => Some(b),
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(self) -> Result<Vec<u8>, std::io::Error> {
        Ok(match self.inner {
            Inner::Empty => Vec::new(),
            Inner::Bytes(b) => b,
        })
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream { inner: Inner::Bytes(bytes) }
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(bytes.to_vec())
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::from(text.into_bytes())
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::from(text.as_bytes().to_vec())
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
