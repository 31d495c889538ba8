//! Throughput over the last grace period, on a clock that only runs while a body waits
//! on the network ("charged" time): 10 bins of a tenth of the grace period each.

use std::time::Duration;

use super::StalledStreamProtection;

const BINS: usize = 10;

/// Bytes per bin of charged time, and the charged time itself.
#[derive(Debug)]
pub(crate) struct Throughput {
    bins: [u64; BINS],
    bin_width: Duration,
    /// The bin `charged` falls in (`charged / bin_width`).
    current: u64,
    charged: Duration,
    /// Charged time at the last byte.
    last_data: Duration,
}

impl Throughput {
    pub(crate) fn new(grace_period: Duration) -> Self {
        let bin_width = (grace_period / BINS as u32).max(Duration::from_micros(100));
        Throughput { bins: [0; BINS], bin_width, current: 0, charged: Duration::ZERO, last_data: Duration::ZERO }
    }

    /// Time spent waiting on the network.
    pub(crate) fn charge(&mut self, waited: Duration) {
        self.charged += waited;
        let index = (self.charged.as_nanos() / self.bin_width.as_nanos()) as u64;
        if index > self.current {
            let skipped = (index - self.current).min(BINS as u64);
            for i in 1..=skipped {
                self.bins[((self.current + i) % BINS as u64) as usize] = 0;
            }
            self.current = index;
        }
    }

    /// Bytes that came (or went).
    pub(crate) fn record(&mut self, bytes: usize) {
        self.bins[(self.current % BINS as u64) as usize] += bytes as u64;
        self.last_data = self.charged;
    }

    /// Whether fewer than `min × grace` bytes moved over the last grace period of
    /// charged time (once that much time has been charged).
    pub(crate) fn stalled(&self, protection: &StalledStreamProtection) -> bool {
        if self.charged < protection.grace_period {
            return false;
        }
        let moved: u64 = self.bins.iter().sum();
        (moved as f64) < protection.min_throughput as f64 * protection.grace_period.as_secs_f64()
    }

    /// Whether no byte moved for `timeout` of charged time.
    pub(crate) fn idle(&self, timeout: Duration) -> bool {
        self.charged - self.last_data >= timeout
    }

    /// Charged time until the next check is worth making: the next bin boundary when
    /// `stall` is watched, the idle deadline when `idle` is. `None` when neither is.
    pub(crate) fn next_check(&self, stall: bool, idle: Option<Duration>) -> Option<Duration> {
        let boundary = stall.then(|| self.bin_width * (self.current as u32 + 1) - self.charged);
        let idle = idle.map(|timeout| (self.last_data + timeout).saturating_sub(self.charged));
        match (boundary, idle) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .map(|wait| wait.max(Duration::from_micros(100)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protection() -> StalledStreamProtection {
        StalledStreamProtection::enabled()
    }

    #[test]
    fn a_body_that_stops_is_stalled_after_the_grace_period() {
        let mut t = Throughput::new(Duration::from_secs(5));
        t.charge(Duration::from_millis(4900));
        assert!(!t.stalled(&protection()), "the grace period has not passed");
        t.record(1000);
        t.charge(Duration::from_millis(200));
        assert!(!t.stalled(&protection()), "1000 bytes in the window");
        t.charge(Duration::from_millis(4200));
        assert!(!t.stalled(&protection()), "still in the window (4.4 s ago)");
        t.charge(Duration::from_millis(1000));
        assert!(t.stalled(&protection()), "no byte for 5.4 s");
    }

    #[test]
    fn a_slow_but_steady_body_is_not_stalled() {
        let mut t = Throughput::new(Duration::from_secs(5));
        for _ in 0..1000 {
            t.charge(Duration::from_millis(500));
            t.record(1);
            assert!(!t.stalled(&protection()), "2 B/s");
        }
        // At 0.5 B/s it is.
        let mut stalled = false;
        for _ in 0..30 {
            t.charge(Duration::from_secs(2));
            t.record(1);
            stalled |= t.stalled(&protection());
        }
        assert!(stalled);
    }

    #[test]
    fn idle_is_measured_from_the_last_byte() {
        let mut t = Throughput::new(Duration::from_secs(5));
        t.charge(Duration::from_secs(3));
        t.record(1);
        t.charge(Duration::from_secs(2));
        assert!(!t.idle(Duration::from_secs(3)));
        assert_eq!(t.next_check(false, Some(Duration::from_secs(3))), Some(Duration::from_secs(1)));
        t.charge(Duration::from_secs(1));
        assert!(t.idle(Duration::from_secs(3)));
    }

    #[test]
    fn checks_are_due_at_bin_boundaries() {
        let mut t = Throughput::new(Duration::from_secs(5));
        t.charge(Duration::from_millis(1200));
        assert_eq!(t.next_check(true, None), Some(Duration::from_millis(300)));
        assert_eq!(t.next_check(true, Some(Duration::from_millis(1250))), Some(Duration::from_millis(50)));
        assert_eq!(t.next_check(false, None), None);
    }
}
