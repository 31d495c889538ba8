//! botocore's client-side rate limiter for the `adaptive` retry mode
//! (`botocore/retries/adaptive.py`, `bucket.py`, `throttling.py`), shared by a client's
//! requests:
//!
//! - a **token bucket** that every attempt takes a token from once the limiter is on
//!   (the first throttling response turns it on), filled at the current rate
//!   (at least 0.5 per second, holding at most `max(rate, 1)` tokens);
//! - a **rate clock** measuring the sending rate in half-second buckets, smoothed
//!   (`0.8 × new + 0.2 × old`);
//! - a **CUBIC** calculator: a throttling response sets the rate to 0.7 × the measured
//!   rate (or the bucket's rate, if lower) and remembers it as `w_max`; each success
//!   raises it to `0.4 × (t − t_fail − k)³ + w_max`, `k = ∛(w_max × 0.3 / 0.4)`;
//!   the bucket's rate is then capped at twice the measured rate.
//!
//! botocore blocks the sending thread until a token is there; here the token is taken at
//! once (the bucket may go below zero, which queues later requests behind it) and the
//! caller sleeps for the time the bucket needs to refill.

use std::sync::Mutex;
use std::time::Duration;

// Tokio's clock: the same as the standard one, except in tests that pause time.
use tokio::time::Instant;

const MIN_FILL_RATE: f64 = 0.5;
const SMOOTHING: f64 = 0.8;
/// Rates are measured over buckets of this many seconds.
const TIME_BUCKET: f64 = 0.5;
const SCALE_CONSTANT: f64 = 0.4;
const BETA: f64 = 0.7;
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

/// The limiter; times are seconds since it was made.
#[derive(Debug)]
pub(crate) struct ClientRateLimiter {
    start: Instant,
    state: Mutex<State>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    enabled: bool,
    // Token bucket.
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Option<f64>,
    // Rate clock.
    measured_rate: f64,
    last_bucket: f64,
    count: f64,
    // CUBIC.
    w_max: f64,
    k: f64,
    last_fail: f64,
}

impl State {
    /// botocore's starting point: a bucket of rate 1, CUBIC with `w_max` 0, clocks at `now`.
    pub(crate) fn new(now: f64) -> Self {
        let mut state = State {
            enabled: false,
            fill_rate: 0.0,
            max_capacity: 0.0,
            capacity: 0.0,
            last_refill: None,
            measured_rate: 0.0,
            last_bucket: now.floor(),
            count: 0.0,
            w_max: 0.0,
            k: 0.0,
            last_fail: now,
        };
        state.set_max_rate(1.0, now);
        state
    }

    fn refill(&mut self, now: f64) {
        let Some(last) = self.last_refill else {
            self.last_refill = Some(now);
            return;
        };
        let filled = (now - last).max(0.0) * self.fill_rate;
        self.capacity = (self.capacity + filled).min(self.max_capacity);
        self.last_refill = Some(now);
    }

    fn set_max_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Takes a token; returns how long to wait for it (zero when the limiter is off or
    /// a token was there).
    pub(crate) fn acquire(&mut self, now: f64) -> f64 {
        if !self.enabled {
            return 0.0;
        }
        self.refill(now);
        let wait = if self.capacity >= 1.0 { 0.0 } else { (1.0 - self.capacity) / self.fill_rate };
        self.capacity -= 1.0;
        wait
    }

    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now / TIME_BUCKET).floor() * TIME_BUCKET;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured_rate = current * SMOOTHING + self.measured_rate * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured_rate
    }

    /// After each response: `throttled` when it was a throttling error.
    pub(crate) fn update(&mut self, throttled: bool, now: f64) {
        let measured = self.record(now);
        let new_rate = if throttled {
            let rate = if self.enabled { measured.min(self.fill_rate) } else { measured };
            self.w_max = rate;
            self.k = (self.w_max * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
            self.last_fail = now;
            self.enabled = true;
            rate * BETA
        } else {
            SCALE_CONSTANT * (now - self.last_fail - self.k).powi(3) + self.w_max
        };
        self.set_max_rate(new_rate.min(MAX_RATE_ADJUST_SCALE * measured), now);
    }

    /// The bucket's fill rate (botocore's `TokenBucket.max_rate`).
    #[cfg(test)]
    pub(crate) fn max_rate(&self) -> f64 {
        self.fill_rate
    }
}

impl Default for ClientRateLimiter {
    fn default() -> Self {
        ClientRateLimiter { start: Instant::now(), state: Mutex::new(State::new(0.0)) }
    }
}

impl ClientRateLimiter {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Before an attempt: how long to wait for a token.
    pub(crate) fn before_attempt(&self) -> Duration {
        let now = self.now();
        let wait = self.state().acquire(now);
        Duration::from_secs_f64(wait.clamp(0.0, 3600.0))
    }

    /// After an attempt that got a response (or failed): adjusts the rate.
    pub(crate) fn after_attempt(&self, throttled: bool) {
        let now = self.now();
        self.state().update(throttled, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (time, throttled, bucket rate, measured rate) from botocore 1.44.8's
    /// `ClientRateLimiter.on_receiving_response` with a fake clock and the same events.
    const BOTOCORE: &[(f64, bool, f64, f64)] = &[
        (0.1, false, 0.5, 0.0),
        (0.3, false, 0.5, 0.0),
        (0.6, false, 0.5, 4.800000000000001),
        (0.8, true, 3.3600000000000003, 4.800000000000001),
        (1.2, false, 4.218819058617509, 4.16),
        (1.7, true, 1.7024, 2.432),
        (2.0, false, 2.1186695961314563, 2.0864),
        (2.6, false, 2.4186675175344363, 2.01728),
        (3.1, false, 2.4342626391240247, 2.003456),
        (4.0, false, 2.4013824, 1.2006912),
        (5.5, false, 1.5469431466666665, 0.7734715733333333),
        (7.0, true, 0.5, 0.6880276479999999),
        (8.0, false, 0.6911284349524615, 0.9376055296),
    ];

    #[test]
    fn rates_follow_botocore() {
        let mut state = State::new(0.0);
        for &(t, throttled, rate, measured) in BOTOCORE {
            state.update(throttled, t);
            assert!((state.max_rate() - rate).abs() < 1e-9, "t={t}: rate {} != {rate}", state.max_rate());
            assert!((state.measured_rate - measured).abs() < 1e-9, "t={t}: measured {} != {measured}", state.measured_rate);
        }
    }

    #[test]
    fn tokens_are_waited_for_once_throttled() {
        let mut state = State::new(0.0);
        assert_eq!(state.acquire(0.0), 0.0, "off until the first throttling response");
        state.update(true, 0.6);
        // Measured 1.6/s, so the rate is 0.7 × 1.6; the bucket holds 0.6 tokens (filled at
        // 1/s since 0).
        assert!(state.enabled);
        assert!((state.max_rate() - 1.12).abs() < 1e-9, "{}", state.max_rate());
        let first = state.acquire(0.6);
        assert!((first - 0.4 / 1.12).abs() < 1e-9, "{first}");
        let second = state.acquire(0.6);
        assert!((second - 1.4 / 1.12).abs() < 1e-9, "queued behind the first: {second}");
        // Time refills the bucket.
        assert_eq!(state.acquire(10.0), 0.0);
    }
}
