//! Binary values that are small enough to hold in memory.

/// A binary value of the model (`blob`, not streaming), such as an MD5 or a select
/// expression's records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Blob {
    bytes: Vec<u8>,
}

impl Blob {
    /// Wraps the given bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob { bytes: bytes.into() }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Takes the bytes out.
    pub fn into_inner(self) -> Vec<u8> {
        self.bytes
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob { bytes }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob { bytes: bytes.to_vec() }
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob { bytes: text.as_bytes().to_vec() }
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}
