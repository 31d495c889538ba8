//! Retries as botocore's `standard` and `adaptive` modes do them
//! (`botocore/retries/standard.py`, `adaptive.py`).
//!
//! Exactly what is done:
//!
//! - **What is retried**: throttling errors (HTTP 429, or a code such as `SlowDown`,
//!   `Throttling`, `RequestLimitExceeded`: [`classify_response`]), transient errors (HTTP
//!   500, 502, 503, 504, or `RequestTimeout`, `InternalError`, …), responses that never
//!   came (connection refused or reset, read and attempt timeouts, a body cut short or
//!   stalled: see [`crate::timeout`]), and on the operations where S3 can
//!   answer 200 with an error (every operation with an XML output) a 200 whose body is an
//!   `<Error>` document or is not well-formed XML, both read as a 500 as botocore does.
//!   Never retried: other 4xx, a request the client refused to build, a body over the
//!   size limit, a response the HTTP parser refused, and a one-shot streaming body.
//! - **How many times**: `max_attempts` attempts in all, the first included (3 by
//!   default; 1 disables retries), from the config builder, `AWS_MAX_ATTEMPTS` or the
//!   profile's `max_attempts`.
//! - **How long between attempts**: `rand(0, 1) × min(base × 2^(attempt − 1), 20 s)`,
//!   base 1 s for throttling and 50 ms otherwise. When the response carries
//!   `x-amz-retry-after` (milliseconds, a whole number), the delay is exactly that,
//!   capped at 20 s, as aws-sdk-rust's standard strategy does; the header never makes
//!   a response retryable that is not, and a value that is not a whole number is
//!   ignored.
//! - **Retry quota**: 500 tokens shared by a client's requests; a retry costs 5
//!   (throttling) or 14, a success gives 1 back (or the cost of the retry that led to it).
//!   When the quota is spent, errors are returned without retrying.
//! - **`adaptive` mode** adds botocore's client-side rate limiter (`retry/adaptive.rs`): after
//!   the first throttling response, every attempt (first attempts too) waits for a token
//!   from a bucket whose rate follows CUBIC, shared by the client's requests.
//! - **`legacy` mode** is botocore's original handler (`botocore/data/_retry.json`,
//!   `retryhandler.py`): 5 attempts in all unless `max_attempts` says otherwise; retried
//!   are HTTP 429, 500, 502, 503, 504 and 509, the 400s `Throttling`,
//!   `ThrottlingException`, `ThrottledException`, `RequestThrottledException`,
//!   `ProvisionedThroughputExceededException`, and for S3 `RequestTimeout` and
//!   `BadDigest`, and responses that never came; the delay is
//!   `rand(0, 1) × 2^(attempt − 1)` seconds, uncapped; no retry quota, no
//!   `x-amz-retry-after`.
//! - **Clock skew**: an error refusing the request for its time is retried once, signed
//!   with the corrected time, whatever the mode (see [`crate::clock_skew`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

mod adaptive;

/// How a client retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryMode {
    /// botocore's standard mode.
    Standard,
    /// botocore's adaptive mode: standard retries plus a client-side rate limiter that
    /// slows every request down once the service throttles.
    Adaptive,
    /// botocore's legacy mode (its `_retry.json` handler): see the module docs. Its
    /// default is 5 attempts ([`RetryConfig::legacy`]).
    Legacy,
    /// Never retry.
    Disabled,
}

impl From<crate::config::RetryMode> for RetryMode {
    /// `retry_mode` from the shared configuration.
    fn from(mode: crate::config::RetryMode) -> Self {
        match mode {
            crate::config::RetryMode::Adaptive => RetryMode::Adaptive,
            crate::config::RetryMode::Standard => RetryMode::Standard,
            crate::config::RetryMode::Legacy => RetryMode::Legacy,
        }
    }
}

impl RetryConfig {
    /// Attempts in all for this configuration: `max_attempts` (at least 1), or 1 when
    /// retries are disabled.
    pub fn attempts(&self) -> u32 {
        match self.mode {
            RetryMode::Standard | RetryMode::Adaptive | RetryMode::Legacy => self.max_attempts.max(1),
            RetryMode::Disabled => 1,
        }
    }
}

/// The `x-amz-retry-after` header of a response: how long the service asks to wait, in
/// milliseconds.
pub fn retry_after(response: &crate::http::HttpResponse) -> Option<Duration> {
    response.header("x-amz-retry-after").and_then(|v| v.trim().parse::<u64>().ok()).map(Duration::from_millis)
}

/// Retry settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// The mode.
    pub mode: RetryMode,
    /// Attempts in all, the first included (botocore's `max_attempts`, default 3).
    pub max_attempts: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig { mode: RetryMode::Standard, max_attempts: 3 }
    }
}

impl RetryConfig {
    /// botocore's legacy mode with its default of 5 attempts.
    pub fn legacy() -> Self {
        RetryConfig { mode: RetryMode::Legacy, max_attempts: LEGACY_MAX_ATTEMPTS }
    }

    /// How a response with this status and error code is retried in this mode.
    pub fn classify(&self, status: u16, code: Option<&str>) -> RetryKind {
        match self.mode {
            RetryMode::Legacy => classify_legacy(status, code),
            _ => classify_response(status, code),
        }
    }

    /// The delay before attempt `attempt + 1` in this mode (see [`backoff`]; the legacy
    /// mode's is `rand × 2^(attempt − 1)` s and ignores `x-amz-retry-after`).
    pub fn backoff(&self, attempt: u32, kind: RetryKind, retry_after: Option<Duration>) -> Duration {
        match self.mode {
            RetryMode::Legacy => {
                Duration::from_secs_f64(random_unit() * 2f64.powi(attempt.saturating_sub(1).min(30) as i32))
            }
            _ => backoff(attempt, kind, retry_after),
        }
    }
}

/// The legacy mode's attempts in all (botocore's `_retry.json`).
pub const LEGACY_MAX_ATTEMPTS: u32 = 5;

const LEGACY_THROTTLING_CODES: &[&str] =
    &["Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "ProvisionedThroughputExceededException"];

/// botocore's legacy handler for S3: the `__default__` and `s3` policies of `_retry.json`
/// (a code counts only with the status it is listed with).
pub fn classify_legacy(status: u16, code: Option<&str>) -> RetryKind {
    let code = code.unwrap_or_default();
    if status == 429 || (status == 400 && LEGACY_THROTTLING_CODES.contains(&code)) {
        RetryKind::Throttling
    } else if matches!(status, 500 | 502 | 503 | 504 | 509) || (status == 400 && matches!(code, "RequestTimeout" | "BadDigest")) {
        RetryKind::Transient
    } else {
        RetryKind::Never
    }
}

/// What a failed attempt means for retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// A throttling error (`SlowDown`, `Throttling`, HTTP 429, …).
    Throttling,
    /// A transient error (5xx, `RequestTimeout`, `InternalError`, a connection failure,
    /// an `<Error>` inside a 200).
    Transient,
    /// Not worth retrying.
    Never,
}

const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError"];

/// Classifies an error response by its status and error code, as botocore's
/// `StandardRetryConditions` does.
pub fn classify_response(status: u16, code: Option<&str>) -> RetryKind {
    if code.is_some_and(|c| THROTTLING_CODES.contains(&c)) || status == 429 {
        RetryKind::Throttling
    } else if code.is_some_and(|c| TRANSIENT_CODES.contains(&c)) || matches!(status, 500 | 502 | 503 | 504) {
        RetryKind::Transient
    } else {
        RetryKind::Never
    }
}

/// The retry state a client's requests share: the retry quota (500 tokens; a retry
/// costs 5 (throttling) or 14, a success without retries gives 1 back, a success after a
/// retry gives that retry's cost back) and, for the `adaptive` mode, the rate limiter.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
    limiter: adaptive::ClientRateLimiter,
}

const INITIAL_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 14;
const THROTTLING_RETRY_COST: u32 = 5;
const NO_RETRY_INCREMENT: u32 = 1;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota { available: Mutex::new(INITIAL_CAPACITY), limiter: adaptive::ClientRateLimiter::default() }
    }
}

impl RetryQuota {
    /// Takes the cost of retrying after an error of `kind`; `None` when the quota is
    /// spent (then the error is returned instead of retried).
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        self.acquire_for(RetryMode::Standard, kind)
    }

    /// [`acquire`](Self::acquire) in `mode`: the legacy mode has no quota (it always
    /// gives a retry that costs nothing).
    pub fn acquire_for(&self, mode: RetryMode, kind: RetryKind) -> Option<u32> {
        if mode == RetryMode::Legacy {
            return Some(0);
        }
        let cost = if kind == RetryKind::Throttling { THROTTLING_RETRY_COST } else { RETRY_COST };
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        (*available >= cost).then(|| {
            *available -= cost;
            cost
        })
    }

    /// Gives tokens back after a success: the cost of the retry that led to it, or 1
    /// when there was none.
    pub fn release(&self, retry_cost: Option<u32>) {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        *available = (*available + retry_cost.unwrap_or(NO_RETRY_INCREMENT)).min(INITIAL_CAPACITY);
    }

    /// The tokens left.
    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Before each attempt: how long the `adaptive` mode's rate limiter makes it wait
    /// (zero in other modes, and until the service first throttles).
    pub fn before_attempt(&self, mode: RetryMode) -> Duration {
        if mode == RetryMode::Adaptive {
            self.limiter.before_attempt()
        } else {
            Duration::ZERO
        }
    }

    /// After each attempt: feeds the `adaptive` mode's rate limiter (`throttled` for a
    /// throttling error).
    pub fn after_attempt(&self, mode: RetryMode, throttled: bool) {
        if mode == RetryMode::Adaptive {
            self.limiter.after_attempt(throttled);
        }
    }
}

/// The longest delay between attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// The delay before attempt `attempt + 1` (`attempt` counts from 1):
/// `rand(0, 1) * min(base * 2^(attempt-1), 20 s)`, or, when the service asked for a
/// delay (`x-amz-retry-after`), that delay capped at 20 s.
pub fn backoff(attempt: u32, kind: RetryKind, retry_after: Option<Duration>) -> Duration {
    if let Some(after) = retry_after {
        return after.min(MAX_BACKOFF);
    }
    let base = if kind == RetryKind::Throttling { 1.0 } else { 0.05 };
    let exp = 2f64.powi(attempt.saturating_sub(1).min(30) as i32);
    Duration::from_secs_f64(random_unit() * (base * exp).min(MAX_BACKOFF.as_secs_f64()))
}

/// A number in [0, 1) for jitter: splitmix64 over a counter seeded from the clock. Not
/// for cryptography; only spreads retries apart.
fn random_unit() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(classify_response(503, Some("SlowDown")), RetryKind::Throttling);
        assert_eq!(classify_response(429, None), RetryKind::Throttling);
        assert_eq!(classify_response(500, Some("InternalError")), RetryKind::Transient);
        assert_eq!(classify_response(502, None), RetryKind::Transient);
        assert_eq!(classify_response(400, Some("RequestTimeout")), RetryKind::Transient);
        assert_eq!(classify_response(404, Some("NoSuchKey")), RetryKind::Never);
    }

    #[test]
    fn backoff_is_bounded() {
        for attempt in 1..40 {
            let d = backoff(attempt, RetryKind::Transient, None);
            assert!(d <= Duration::from_secs(20), "{d:?}");
            let t = backoff(attempt, RetryKind::Throttling, None);
            assert!(t <= Duration::from_secs(20), "{t:?}");
        }
        assert!(backoff(1, RetryKind::Transient, None) <= Duration::from_millis(50));
        // The service's delay, as asked, up to 20 s.
        assert_eq!(backoff(1, RetryKind::Transient, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert_eq!(backoff(2, RetryKind::Throttling, Some(Duration::from_millis(10))), Duration::from_millis(10));
        assert_eq!(backoff(1, RetryKind::Transient, Some(Duration::from_secs(3600))), Duration::from_secs(20));
    }

    /// botocore 1.44.8's `_retry.json`: codes count with their listed status only.
    #[test]
    fn legacy_classification() {
        assert_eq!(classify_legacy(509, None), RetryKind::Transient);
        assert_eq!(classify_legacy(400, Some("BadDigest")), RetryKind::Transient);
        assert_eq!(classify_legacy(400, Some("RequestTimeout")), RetryKind::Transient);
        assert_eq!(classify_legacy(400, Some("Throttling")), RetryKind::Throttling);
        assert_eq!(classify_legacy(503, Some("SlowDown")), RetryKind::Transient);
        assert_eq!(classify_legacy(400, Some("SlowDown")), RetryKind::Never, "not in the legacy lists");
        assert_eq!(classify_legacy(403, Some("Throttling")), RetryKind::Never);
        assert_eq!(classify_response(400, Some("BadDigest")), RetryKind::Never, "standard mode does not retry it");
        let legacy = RetryConfig::legacy();
        assert_eq!(legacy.attempts(), 5);
        for attempt in 1..=4 {
            let d = legacy.backoff(attempt, RetryKind::Transient, Some(Duration::from_millis(1)));
            assert!(d < Duration::from_secs(1 << (attempt - 1)), "{attempt}: {d:?}");
        }
        assert_eq!(RetryQuota::default().acquire_for(RetryMode::Legacy, RetryKind::Transient), Some(0));
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let quota = RetryQuota::default();
        let mut taken = 0;
        while quota.acquire(RetryKind::Transient).is_some() {
            taken += 1;
        }
        assert_eq!(taken, 500 / 14);
        assert!(quota.acquire(RetryKind::Throttling).is_some(), "8 tokens left are enough for a throttling retry");
        quota.release(Some(14));
        assert_eq!(quota.available(), 500 - 35 * 14 - 5 + 14);
        quota.release(None);
        assert_eq!(quota.available(), 500 - 35 * 14 - 5 + 15);
    }
}
