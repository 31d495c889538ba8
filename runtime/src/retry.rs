//! Retries in botocore's "standard" mode (`botocore/retries/standard.py`): up to 3
//! attempts by default, truncated exponential backoff with full jitter (1 s base for
//! throttling, 50 ms otherwise, 20 s cap, `x-amz-retry-after` honoured), and a retry
//! quota shared by a client's requests so that a failing service is not hammered.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How a client retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryMode {
    /// botocore's standard mode.
    Standard,
    /// Never retry.
    Disabled,
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

/// The retry quota: 500 tokens; a retry costs 5 (throttling) or 14, a success without
/// retries gives 1 back, a success after a retry gives that retry's cost back.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
}

const INITIAL_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 14;
const THROTTLING_RETRY_COST: u32 = 5;
const NO_RETRY_INCREMENT: u32 = 1;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota { available: Mutex::new(INITIAL_CAPACITY) }
    }
}

impl RetryQuota {
    /// Takes the cost of retrying after an error of `kind`; `None` when the quota is
    /// spent (then the error is returned instead of retried).
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
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
}

/// The delay before attempt `attempt + 1` (`attempt` counts from 1):
/// `rand(0, 1) * min(base * 2^(attempt-1), 20 s)`, raised to `retry_after` (capped at
/// the delay plus 5 s) when the service asked for it.
pub fn backoff(attempt: u32, kind: RetryKind, retry_after: Option<Duration>) -> Duration {
    let base = if kind == RetryKind::Throttling { 1.0 } else { 0.05 };
    let exp = 2f64.powi(attempt.saturating_sub(1).min(30) as i32);
    let delay = random_unit() * (base * exp).min(20.0);
    let delay = match retry_after {
        Some(after) => delay.max(after.as_secs_f64().min(delay + 5.0)),
        None => delay,
    };
    Duration::from_secs_f64(delay)
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
        let d = backoff(1, RetryKind::Transient, Some(Duration::from_secs(3)));
        assert!(d >= Duration::from_secs(3) && d <= Duration::from_millis(3050), "{d:?}");
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
