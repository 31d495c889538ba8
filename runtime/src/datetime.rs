//! Points in time, as the model's `timestamp` shape, and their three wire formats.
//!
//! [`DateTime::fmt`] writes a timestamp exactly as botocore's rest-xml serializer does
//! (`Serializer._timestamp_iso8601`, `_timestamp_rfc822`, `_timestamp_unixtimestamp`);
//! [`DateTime::parse`] reads what S3 sends and what botocore's `parse_timestamp` reads.
//! The calendar is the proleptic Gregorian one, in UTC, with no leap seconds.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod format;
mod parse;

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

    /// The text of this instant in the given wire format, byte for byte as botocore's
    /// rest-xml serializer writes it in XML bodies and query strings:
    ///
    /// - [`Format::DateTime`]: `2023-11-14T22:13:20Z`, or with six digits of
    ///   microseconds, `2023-11-14T22:13:20.123000Z`, when the instant has a nonzero
    ///   microsecond (nanoseconds below a microsecond are dropped, as Python's `datetime`
    ///   has none);
    /// - [`Format::HttpDate`]: `Tue, 14 Nov 2023 22:13:20 GMT`, whole seconds always;
    /// - [`Format::EpochSeconds`]: `1700000000`, or `1700000000.123` (Python's `str` of
    ///   the float `(secs * 10**6 + micros) / 10**6`) when there are microseconds.
    ///
    /// botocore drops the fraction of a second of timestamps in *headers* before
    /// formatting them (`_convert_header_value`); callers do the same with
    /// `DateTime::from_secs(t.secs()).fmt(format)`.
    ///
    /// Years outside botocore's range (1 to 9999) are still written, never a panic: with
    /// at least four digits, and a leading `-` when negative.
    pub fn fmt(&self, format: Format) -> String {
        match format {
            Format::DateTime => format::date_time(*self),
            Format::HttpDate => format::http_date(*self),
            Format::EpochSeconds => format::epoch_seconds(*self),
        }
    }

    /// Reads a timestamp sent in the given format.
    ///
    /// - [`Format::DateTime`]: RFC 3339 / ISO 8601 `YYYY-MM-DDThh:mm:ss`, with any number
    ///   of fractional digits (nanoseconds are kept, further digits dropped) and a `Z`,
    ///   `±hh:mm`, `±hhmm` or `±hh` offset, or none (UTC, as botocore assumes);
    /// - [`Format::HttpDate`]: RFC 7231's IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`,
    ///   also with a fraction of a second or a numeric offset), obsolete RFC 850
    ///   (`Sunday, 06-Nov-94 08:49:37 GMT`, the two-digit year taken within 50 years of
    ///   today, as `dateutil` does) and asctime (`Sun Nov  6 08:49:37 1994`);
    /// - [`Format::EpochSeconds`]: a decimal number of seconds such as `1700000000`,
    ///   `-1.5` or `1.7e9`.
    ///
    /// botocore's `parse_timestamp` ignores the declared format and takes any of these,
    /// so this does too: the declared format is tried first and named in the error when
    /// none fits. Surrounding ASCII whitespace is ignored; names of days and months are
    /// case-insensitive, zones (`GMT`, `UTC`, `UT`, `Z`) upper case, and the day of the
    /// week is not checked against the date (all as in `dateutil`). Calendar fields are checked (no February 30, no second
    /// 60) and years run from 1 to 9999, as in Python.
    pub fn parse(text: &str, format: Format) -> Result<DateTime, DateTimeParseError> {
        parse::parse(text, format)
    }
}

/// The three wire formats of a timestamp (the model's `timestampFormat` trait).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 3339 date-time, `2023-11-14T22:13:20Z` (botocore's `iso8601`); the default in
    /// XML bodies and query strings.
    DateTime,
    /// RFC 7231 HTTP date, `Tue, 14 Nov 2023 22:13:20 GMT` (botocore's `rfc822`); the
    /// default in headers.
    HttpDate,
    /// Seconds since the epoch, `1700000000` (botocore's `unixtimestamp`).
    EpochSeconds,
}

impl Format {
    /// What the format looks like, for error messages.
    fn description(self) -> &'static str {
        match self {
            Format::DateTime => "an ISO 8601 date-time such as 2023-11-14T22:13:20Z",
            Format::HttpDate => "an HTTP date such as Tue, 14 Nov 2023 22:13:20 GMT",
            Format::EpochSeconds => "seconds since the epoch such as 1700000000",
        }
    }
}

/// A timestamp that could not be read: the text (its first 100 characters), the format
/// that was expected and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    input: String,
    format: Format,
    reason: &'static str,
}

impl DateTimeParseError {
    fn new(input: &str, format: Format, reason: &'static str) -> Self {
        let input = match input.char_indices().nth(100) {
            Some((end, _)) => format!("{}…", &input[..end]),
            None => input.to_owned(),
        };
        DateTimeParseError { input, format, reason }
    }

    /// The format that was expected.
    pub fn format(&self) -> Format {
        self.format
    }
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid timestamp {:?}: expected {} ({})", self.input, self.format.description(), self.reason)
    }
}

impl StdError for DateTimeParseError {}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (`month` 1 to 12,
/// `day` 1 to 31); Howard Hinnant's `days_from_civil`. Exact for any `i32` year.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // 0..=399
    let month_from_march = i64::from((month + 9) % 12); // March is 0
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The `(year, month, day)` of a count of days since 1970-01-01; the inverse of
/// [`days_from_civil`]. No overflow for any count of days an `i64` of seconds gives.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097; // 0..=146096
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
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

    #[test]
    fn civil_round_trips_and_counts_days() {
        let mut expected = (1, 1, 1);
        for days in days_from_civil(1, 1, 1)..=days_from_civil(2400, 12, 31) {
            let (year, month, day) = civil_from_days(days);
            assert_eq!((year, month, day), expected);
            assert_eq!(days_from_civil(year, month, day), days);
            expected = if day < days_in_month(year, month) {
                (year, month, day + 1)
            } else if month < 12 {
                (year, month + 1, 1)
            } else {
                (year + 1, 1, 1)
            };
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(i64::MAX / 86_400).0, 292_277_026_596);
        assert_eq!(civil_from_days(i64::MIN / 86_400).0, -292_277_022_657);
    }
}
