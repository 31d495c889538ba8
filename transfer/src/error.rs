//! One error type for every transfer: what failed (object, part, file), why, and the
//! underlying error (an `SdkError` of the failed request, or an I/O error).

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

/// The underlying error.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What a [`TransferError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A request failed (the source is its `SdkError`).
    Request,
    /// Reading or writing a local file or stream failed.
    Io,
    /// The object changed during a download or copy (`If-Match` failed).
    ObjectChanged,
    /// A response did not carry the part asked for (`Content-Range`, length).
    InvalidResponse,
    /// A downloaded body did not match the checksum its response announced, at every
    /// attempt (the source is the body's error; see
    /// [`s3_runtime::checksum::ChecksumMismatch::find`]).
    ChecksumMismatch,
    /// A key or path that cannot be transferred safely (`..`, absolute, empty segments).
    InvalidKey,
    /// The input is unusable (too large, too many parts).
    InvalidInput,
}

/// A failed transfer: which object, part or file, which step, and why.
#[derive(Debug)]
pub struct TransferError {
    kind: ErrorKind,
    /// `s3://bucket/key`, a local path, or both.
    target: String,
    /// The step: `UploadPart 3`, `GetObject bytes=0-8388607`, `rename`, …
    step: String,
    part: Option<u32>,
    source: Option<BoxError>,
}

impl TransferError {
    pub(crate) fn new(kind: ErrorKind, target: impl Into<String>, step: impl Into<String>) -> Self {
        TransferError { kind, target: target.into(), step: step.into(), part: None, source: None }
    }
    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }
    pub(crate) fn with_part(mut self, part: u32) -> Self {
        self.part = Some(part);
        self
    }
    pub(crate) fn request(target: &str, step: impl Into<String>, source: impl Into<BoxError>) -> Self {
        TransferError::new(ErrorKind::Request, target, step).with_source(source)
    }
    pub(crate) fn io(target: impl Into<String>, step: impl Into<String>, source: std::io::Error) -> Self {
        TransferError::new(ErrorKind::Io, target, step).with_source(source)
    }
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The object (`s3://bucket/key`) or file the transfer was about.
    pub fn target(&self) -> &str {
        &self.target
    }
    /// The step that failed (the request and its part, or the file operation).
    pub fn step(&self) -> &str {
        &self.step
    }
    /// The part number (1-based) that failed, for part requests.
    pub fn part(&self) -> Option<u32> {
        self.part
    }
    /// The underlying error, to downcast to the request's `SdkError<…>`.
    pub fn source_error(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.source.as_deref()
    }
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.kind {
            ErrorKind::Request => "request failed",
            ErrorKind::Io => "I/O error",
            ErrorKind::ObjectChanged => "the object changed during the transfer (If-Match failed)",
            ErrorKind::InvalidResponse => "unexpected response",
            ErrorKind::ChecksumMismatch => "the data received does not match its checksum",
            ErrorKind::InvalidKey => "refused key",
            ErrorKind::InvalidInput => "invalid input",
        };
        write!(f, "transfer of {} failed at {}: {why}", self.target, self.step)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for TransferError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn StdError + 'static))
    }
}

/// A directory transfer that did not fully succeed: what was transferred and every
/// failure (one with fail-fast, all of them with continue-on-error).
#[derive(Debug)]
pub struct DirectoryError {
    /// The files (local paths) or keys that were transferred.
    pub succeeded: Vec<String>,
    /// The failures, each naming its file or key.
    pub failed: Vec<TransferError>,
    /// Local paths the directory transfer did not start (fail-fast).
    pub skipped: Vec<PathBuf>,
}

impl fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} transfers failed, {} succeeded", self.failed.len(), self.succeeded.len())?;
        if let Some(first) = self.failed.first() {
            write!(f, "; first: {first}")?;
        }
        Ok(())
    }
}

impl StdError for DirectoryError {}
