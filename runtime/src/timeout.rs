//! Timeouts through the whole exchange, and stalled-stream protection.
//!
//! - **read timeout** ([`TimeoutConfig::read`], 60 s by default, botocore's
//!   `read_timeout`): the longest wait for the next byte of the response — for the
//!   response head, counted from when the request (body included) has been handed
//!   over, and then between reads of the body, whether it is read whole (listings,
//!   errors) or handed to the caller as a stream (GetObject).
//! - **attempt timeout** and **operation timeout** (off by default, as aws-sdk-s3's
//!   `operation_attempt_timeout` / `operation_timeout`): one attempt (sign, send, head,
//!   and the body of responses read whole), and all attempts with the delays between
//!   them. A stream handed to the caller is not covered by either.
//! - **stalled-stream protection** ([`StalledStreamProtection`], on by default, as in
//!   aws-sdk-s3: at least 1 byte/s over a 5 s grace period): a download or upload whose
//!   throughput stays below the minimum for longer than the grace period fails with a
//!   [`StreamTimeout`]. Only time spent waiting on the network counts: a download the
//!   caller does not read from, or an upload whose own stream is slow to produce bytes,
//!   is not stalled.
//!
//! Stalls of a response read whole and of a request body are failed attempts, retried
//! like other transient errors; a stream already handed to the caller fails with an
//! `io::Error` of kind `TimedOut` whose `get_ref()` is a [`StreamTimeout`]. The checks
//! cost no task: the body wrappers look at the clock when they are polled and keep one
//! timer, armed only while they wait for bytes.

use std::fmt;
use std::time::Duration;

mod throughput;
mod watch;

pub(crate) use watch::{watch_call, watch_download, watch_upload};

/// Stalled-stream protection settings (aws-sdk-s3's `StalledStreamProtectionConfig`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StalledStreamProtection {
    upload: bool,
    download: bool,
    grace_period: Duration,
    min_throughput: u64,
}

impl StalledStreamProtection {
    /// The default grace period: 5 s.
    pub const DEFAULT_GRACE_PERIOD: Duration = Duration::from_secs(5);
    /// The default minimum throughput: 1 byte per second.
    pub const DEFAULT_MIN_THROUGHPUT: u64 = 1;

    /// On for uploads and downloads, with the default grace period and minimum.
    pub const fn enabled() -> Self {
        StalledStreamProtection {
            upload: true,
            download: true,
            grace_period: Self::DEFAULT_GRACE_PERIOD,
            min_throughput: Self::DEFAULT_MIN_THROUGHPUT,
        }
    }

    /// Off for uploads and downloads.
    pub const fn disabled() -> Self {
        StalledStreamProtection { upload: false, download: false, ..Self::enabled() }
    }

    /// How long throughput may stay below the minimum (at least 1 ms).
    pub fn grace_period(mut self, grace_period: Duration) -> Self {
        self.grace_period = grace_period.max(Duration::from_millis(1));
        self
    }

    /// The minimum throughput, in bytes per second (at least 1).
    pub fn min_throughput(mut self, bytes_per_second: u64) -> Self {
        self.min_throughput = bytes_per_second.max(1);
        self
    }

    /// Whether request bodies are watched.
    pub fn upload(mut self, enabled: bool) -> Self {
        self.upload = enabled;
        self
    }

    /// Whether response bodies are watched.
    pub fn download(mut self, enabled: bool) -> Self {
        self.download = enabled;
        self
    }

    /// Whether request bodies are watched.
    pub fn upload_enabled(&self) -> bool {
        self.upload
    }

    /// Whether response bodies are watched.
    pub fn download_enabled(&self) -> bool {
        self.download
    }

    /// The grace period.
    pub fn get_grace_period(&self) -> Duration {
        self.grace_period
    }

    /// The minimum throughput, in bytes per second.
    pub fn get_min_throughput(&self) -> u64 {
        self.min_throughput
    }
}

impl Default for StalledStreamProtection {
    fn default() -> Self {
        Self::enabled()
    }
}

/// The send path's timeouts (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// The longest wait for the next byte of the response (head or body); `None` waits
    /// forever. 60 s by default, as botocore.
    pub read: Option<Duration>,
    /// The longest an attempt may take; `None` (the default) for no limit. A timed-out
    /// attempt is retried.
    pub attempt: Option<Duration>,
    /// The longest an operation may take, retries and delays included; `None` (the
    /// default) for no limit. Not retried.
    pub operation: Option<Duration>,
    /// Stalled-stream protection (on by default).
    pub stalled_stream: StalledStreamProtection,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            read: Some(Duration::from_secs(60)),
            attempt: None,
            operation: None,
            stalled_stream: StalledStreamProtection::enabled(),
        }
    }
}

/// A body that stopped: the error inside the `io::Error` (kind `TimedOut`) of a stream,
/// and the source of the `DispatchError` (kind `Timeout`) of an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamTimeout {
    kind: StreamTimeoutKind,
    upload: bool,
}

/// Why a body stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamTimeoutKind {
    /// No byte came for the read timeout.
    Idle {
        /// The read timeout.
        timeout: Duration,
    },
    /// Throughput stayed below the minimum for longer than the grace period.
    Stalled {
        /// The minimum, in bytes per second.
        min_throughput: u64,
        /// The grace period.
        grace_period: Duration,
    },
}

impl StreamTimeout {
    pub(crate) fn idle(timeout: Duration) -> Self {
        StreamTimeout { kind: StreamTimeoutKind::Idle { timeout }, upload: false }
    }

    pub(crate) fn stalled(protection: &StalledStreamProtection, upload: bool) -> Self {
        let kind = StreamTimeoutKind::Stalled {
            min_throughput: protection.min_throughput,
            grace_period: protection.grace_period,
        };
        StreamTimeout { kind, upload }
    }

    /// Why the body stopped.
    pub fn kind(&self) -> StreamTimeoutKind {
        self.kind
    }

    /// Whether it was the request body (an upload) rather than the response body.
    pub fn is_upload(&self) -> bool {
        self.upload
    }
}

impl fmt::Display for StreamTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = if self.upload { "request" } else { "response" };
        match self.kind {
            StreamTimeoutKind::Idle { timeout } => write!(f, "no byte of the {body} body for {timeout:?} (read timeout)"),
            StreamTimeoutKind::Stalled { min_throughput, grace_period } => write!(
                f,
                "the {body} body stalled: less than {min_throughput} B/s for longer than {grace_period:?} \
                 (stalled-stream protection)"
            ),
        }
    }
}

impl std::error::Error for StreamTimeout {}
