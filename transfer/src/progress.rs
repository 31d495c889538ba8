//! Progress reports.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// One progress report: for a successful transfer the `bytes` of its reports sum
/// exactly to the object's size.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// The object (`s3://bucket/key`).
    pub target: Arc<str>,
    /// Bytes transferred since the previous report.
    pub bytes: u64,
    /// Bytes transferred so far.
    pub transferred: u64,
    /// The object's size, when known.
    pub total: Option<u64>,
}

/// Counts one transfer's bytes and reports them.
#[derive(Clone)]
pub(crate) struct Tracker {
    callback: Option<ProgressFn>,
    target: Arc<str>,
    done: Arc<AtomicU64>,
    total: Option<u64>,
}

impl Tracker {
    pub(crate) fn new(callback: Option<ProgressFn>, target: &str, total: Option<u64>) -> Self {
        Tracker { callback, target: target.into(), done: Arc::new(AtomicU64::new(0)), total }
    }
    pub(crate) fn add(&self, bytes: u64) {
        if bytes == 0 {
            return;
        }
        let transferred = self.done.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if let Some(cb) = &self.callback {
            cb(&Progress { target: self.target.clone(), bytes, transferred, total: self.total });
        }
    }
}
