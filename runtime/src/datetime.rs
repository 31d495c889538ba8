//! Points in time, as the model's `timestamp` shape.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time with nanosecond precision, counted from the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

impl DateTime {
    /// `seconds` since the epoch (negative before 1970).
    pub const fn from_secs(seconds: i64) -> Self {
        DateTime { seconds, subsec_nanos: 0 }
    }

    /// `seconds` plus `subsec_nanos` (below one billion) since the epoch; `None` if
    /// `subsec_nanos` is out of range.
    pub const fn from_secs_and_nanos(seconds: i64, subsec_nanos: u32) -> Option<Self> {
        if subsec_nanos >= 1_000_000_000 {
            None
        } else {
            Some(DateTime { seconds, subsec_nanos })
        }
    }

    /// `millis` milliseconds since the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            seconds: millis.div_euclid(1000),
            subsec_nanos: (millis.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    /// Whole seconds since the epoch (rounded down).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`secs`](Self::secs).
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime { seconds: after.as_secs() as i64, subsec_nanos: after.subsec_nanos() },
            Err(before) => {
                let d = before.duration();
                let (mut seconds, mut nanos) = (-(d.as_secs() as i64), d.subsec_nanos());
                if nanos > 0 {
                    seconds -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
                DateTime { seconds, subsec_nanos: nanos }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(time: DateTime) -> Self {
        if time.seconds >= 0 {
            UNIX_EPOCH + Duration::new(time.seconds as u64, time.subsec_nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(time.seconds.unsigned_abs()) + Duration::from_nanos(time.subsec_nanos.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_round_trips() {
        for t in [DateTime::from_millis(1_700_000_000_123), DateTime::from_millis(-1500), DateTime::from_secs(0)] {
            assert_eq!(DateTime::from(SystemTime::from(t)), t);
        }
        assert_eq!(DateTime::from_millis(-1500).secs(), -2);
        assert_eq!(DateTime::from_millis(-1500).subsec_nanos(), 500_000_000);
        assert!(DateTime::from_secs_and_nanos(0, 1_000_000_000).is_none());
    }
}
