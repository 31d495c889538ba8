//! Reading timestamps: the three wire formats, checked field by field, on bytes (any
//! non-ASCII byte is simply a character that does not fit).

use std::time::SystemTime;

use super::{civil_from_days, days_from_civil, days_in_month, DateTime, DateTimeParseError, Format};

/// What was wrong, for the error message.
type Reason = &'static str;

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: Python's `datetime.MINYEAR` and
/// `MAXYEAR`, beyond which botocore fails too.
const MIN_SECS: i64 = -62_135_596_800;
const MAX_SECS: i64 = 253_402_300_799;

pub(super) fn parse(text: &str, format: Format) -> Result<DateTime, DateTimeParseError> {
    let bytes = text.trim_matches(|c: char| c.is_ascii_whitespace()).as_bytes();
    let others = match format {
        Format::DateTime => [Format::HttpDate, Format::EpochSeconds],
        Format::HttpDate => [Format::DateTime, Format::EpochSeconds],
        Format::EpochSeconds => [Format::DateTime, Format::HttpDate],
    };
    let reason = match parse_as(bytes, format) {
        Ok(t) => return Ok(t),
        Err(reason) => reason,
    };
    // botocore's `parse_timestamp` takes any of the formats wherever it is.
    others
        .into_iter()
        .find_map(|other| parse_as(bytes, other).ok())
        .ok_or_else(|| DateTimeParseError::new(text, format, reason))
}

fn parse_as(bytes: &[u8], format: Format) -> Result<DateTime, Reason> {
    let mut c = Cursor { bytes, pos: 0 };
    let t = match format {
        Format::DateTime => date_time(&mut c)?,
        Format::HttpDate => http_date(&mut c)?,
        Format::EpochSeconds => epoch_seconds(&mut c)?,
    };
    if c.pos != bytes.len() {
        return Err("unexpected text after the timestamp");
    }
    if !(MIN_SECS..=MAX_SECS).contains(&t.secs()) {
        return Err("year out of range 1 to 9999");
    }
    Ok(t)
}

/// `YYYY-MM-DDThh:mm:ss[.fff…][Z|±hh:mm|±hhmm|±hh]`.
fn date_time(c: &mut Cursor<'_>) -> Result<DateTime, Reason> {
    let year = c.digits(4, 4, "expected a four-digit year")?;
    c.expect(b'-')?;
    let month = c.digits(2, 2, "expected a two-digit month")?;
    c.expect(b'-')?;
    let day = c.digits(2, 2, "expected a two-digit day")?;
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return Err("expected `T` between date and time");
    }
    let (hour, minute, second) = time(c)?;
    let nanos = if c.eat(b'.') { fraction(c)? } else { 0 };
    let offset = if c.eat(b'Z') || c.eat(b'z') || c.at_end() { 0 } else { numeric_offset(c, true)? };
    assemble(year, month, day, hour, minute, second, nanos, offset)
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37
/// GMT`) or asctime (`Sun Nov  6 08:49:37 1994`).
fn http_date(c: &mut Cursor<'_>) -> Result<DateTime, Reason> {
    let weekday = c.word();
    if !WEEKDAYS.iter().any(|(short, long)| weekday.eq_ignore_ascii_case(short) || weekday.eq_ignore_ascii_case(long)) {
        return Err("expected a day of the week");
    }
    if c.eat(b' ') {
        // asctime: the day is padded with a space, not a zero.
        let month = month(c)?;
        c.expect(b' ')?;
        c.eat(b' ');
        let day = c.digits(1, 2, "expected the day of the month")?;
        c.expect(b' ')?;
        let (hour, minute, second) = time(c)?;
        c.expect(b' ')?;
        let year = c.digits(4, 4, "expected a four-digit year")?;
        return assemble(year, month, day, hour, minute, second, 0, 0);
    }
    c.expect(b',')?;
    c.expect(b' ')?;
    let day = c.digits(1, 2, "expected the day of the month")?;
    // RFC 850 separates with `-`, IMF-fixdate with spaces.
    let separator = if c.eat(b'-') { b'-' } else { c.expect(b' ').map(|()| b' ')? };
    let month = month(c)?;
    c.expect(separator)?;
    let year = year(c)?;
    c.expect(b' ')?;
    let (hour, minute, second) = time(c)?;
    let nanos = if c.eat(b'.') { fraction(c)? } else { 0 };
    c.expect(b' ')?;
    let offset = if c.peek().is_some_and(|b| b == b'+' || b == b'-') {
        numeric_offset(c, false)?
    } else {
        let zone = c.word();
        // Upper case only, as `dateutil` takes zone names.
        if ![&b"GMT"[..], b"UTC", b"UT", b"Z"].contains(&zone) {
            return Err("expected the zone GMT");
        }
        0
    };
    assemble(year, month, day, hour, minute, second, nanos, offset)
}

/// A decimal number of seconds, `[+-]digits[.digits][e[+-]digits]`, read exactly (no
/// float rounding); digits past the nanosecond are dropped.
fn epoch_seconds(c: &mut Cursor<'_>) -> Result<DateTime, Reason> {
    let negative = c.sign();
    let int_digits = c.take_while(|b| b.is_ascii_digit());
    let frac_digits = if c.eat(b'.') { c.take_while(|b| b.is_ascii_digit()) } else { &[] };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err("expected a number");
    }
    let mut exponent: i64 = 0;
    if c.eat(b'e') || c.eat(b'E') {
        let negative_exponent = c.sign();
        let digits = c.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() {
            return Err("expected digits after the exponent");
        }
        // Past ±100 000 every nonzero value is out of range or below a nanosecond.
        exponent = digits.iter().fold(0i64, |e, d| (e * 10 + i64::from(d - b'0')).min(100_000));
        if negative_exponent {
            exponent = -exponent;
        }
    }
    // The significant digits and where the decimal point falls among them.
    let all: Vec<u8> = int_digits.iter().chain(frac_digits).map(|d| d - b'0').collect();
    let leading_zeros = all.iter().take_while(|&&d| d == 0).count();
    let digits = &all[leading_zeros..];
    if digits.is_empty() {
        return Ok(DateTime::from_secs(0));
    }
    let point = int_digits.len() as i64 - leading_zeros as i64 + exponent;
    if point > 19 {
        return Err("number out of range");
    }
    let (mut secs, mut nanos) = (0i128, 0u32);
    for i in 0..point.max(0) {
        secs = secs * 10 + i128::from(digits.get(i as usize).copied().unwrap_or(0));
    }
    for i in point..point + 9 {
        let digit = if i < 0 { 0 } else { digits.get(i as usize).copied().unwrap_or(0) };
        nanos = nanos * 10 + u32::from(digit);
    }
    if negative {
        secs = -secs;
        if nanos > 0 {
            secs -= 1;
            nanos = 1_000_000_000 - nanos;
        }
    }
    let secs = i64::try_from(secs).map_err(|_| "number out of range")?;
    DateTime::from_secs_and_nanos(secs, nanos).ok_or("number out of range")
}

/// `hh:mm:ss`.
fn time(c: &mut Cursor<'_>) -> Result<(u32, u32, u32), Reason> {
    let hour = c.digits(2, 2, "expected a two-digit hour")?;
    c.expect(b':')?;
    let minute = c.digits(2, 2, "expected two-digit minutes")?;
    c.expect(b':')?;
    let second = c.digits(2, 2, "expected two-digit seconds")?;
    Ok((hour, minute, second))
}

/// The digits after the decimal point, as nanoseconds.
fn fraction(c: &mut Cursor<'_>) -> Result<u32, Reason> {
    let digits = c.take_while(|b| b.is_ascii_digit());
    if digits.is_empty() {
        return Err("expected digits after the decimal point");
    }
    Ok((0..9).fold(0, |n, i| n * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0'))))
}

/// `±hh:mm` (if `colon` is allowed), `±hhmm` or `±hh`, as seconds east of UTC.
fn numeric_offset(c: &mut Cursor<'_>, colon: bool) -> Result<i64, Reason> {
    let sign = if c.eat(b'+') {
        1
    } else if c.eat(b'-') {
        -1
    } else {
        return Err("expected a zone (`Z` or an offset such as +00:00)");
    };
    let hours = c.digits(2, 2, "expected a two-digit offset hour")?;
    let minutes = if (colon && c.eat(b':')) || c.peek().is_some_and(|b| b.is_ascii_digit()) {
        c.digits(2, 2, "expected two-digit offset minutes")?
    } else {
        0
    };
    if hours > 23 || minutes > 59 {
        return Err("offset out of range");
    }
    Ok(sign * i64::from(hours * 3600 + minutes * 60))
}

const WEEKDAYS: [(&[u8], &[u8]); 7] = [
    (b"Mon", b"Monday"),
    (b"Tue", b"Tuesday"),
    (b"Wed", b"Wednesday"),
    (b"Thu", b"Thursday"),
    (b"Fri", b"Friday"),
    (b"Sat", b"Saturday"),
    (b"Sun", b"Sunday"),
];

const MONTHS: [&[u8]; 12] = [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// A three-letter month name, as 1 to 12.
fn month(c: &mut Cursor<'_>) -> Result<u32, Reason> {
    let word = c.word();
    MONTHS
        .iter()
        .position(|m| word.eq_ignore_ascii_case(m))
        .map(|i| i as u32 + 1)
        .ok_or("expected a month name such as Nov")
}

/// A four-digit year, or a two-digit one as `dateutil` reads it (RFC 850 has those,
/// and `dateutil` takes them in IMF-fixdate too).
fn year(c: &mut Cursor<'_>) -> Result<u32, Reason> {
    let start = c.pos;
    let year = c.digits(2, 4, "expected a four-digit year")?;
    match c.pos - start {
        2 => Ok(two_digit_year(year, current_year())),
        4 => Ok(year),
        _ => Err("expected a four-digit year"),
    }
}

/// `dateutil`'s reading of a two-digit year: in the current century, moved back a
/// century if that is 50 or more years ahead, forward one if more than 50 years behind.
fn two_digit_year(yy: u32, current_year: i64) -> u32 {
    let year = current_year - current_year.rem_euclid(100) + i64::from(yy);
    let year = if year >= current_year + 50 {
        year - 100
    } else if year < current_year - 50 {
        year + 100
    } else {
        year
    };
    u32::try_from(year).unwrap_or(0)
}

fn current_year() -> i64 {
    civil_from_days(DateTime::from(SystemTime::now()).secs().div_euclid(86_400)).0
}

/// Checks the calendar fields and counts the seconds.
#[allow(clippy::too_many_arguments)]
fn assemble(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    offset: i64,
) -> Result<DateTime, Reason> {
    let year = i64::from(year);
    if year == 0 {
        return Err("year out of range 1 to 9999");
    }
    if !(1..=12).contains(&month) {
        return Err("month out of range");
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err("day out of range for the month");
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err("time of day out of range");
    }
    let secs = days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset;
    DateTime::from_secs_and_nanos(secs, nanos).ok_or("fraction out of range")
}

/// A position in the text.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Result<(), Reason> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(match byte {
                b'-' => "expected `-`",
                b':' => "expected `:`",
                b',' => "expected `,`",
                b' ' => "expected a space",
                _ => "unexpected character",
            })
        }
    }

    /// An optional `+` or `-`; whether it was `-`.
    fn sign(&mut self) -> bool {
        let negative = self.eat(b'-');
        if !negative {
            self.eat(b'+');
        }
        negative
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    /// ASCII letters.
    fn word(&mut self) -> &'a [u8] {
        self.take_while(|b| b.is_ascii_alphabetic())
    }

    /// `min` to `max` (at most 9) ASCII digits, as a number.
    fn digits(&mut self, min: usize, max: usize, reason: Reason) -> Result<u32, Reason> {
        let start = self.pos;
        while self.pos - start < max && self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = &self.bytes[start..self.pos];
        if digits.len() < min {
            return Err(reason);
        }
        Ok(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values from botocore 1.44.8's `botocore.utils.parse_timestamp` (with a
    /// naive result taken as UTC, as `parse_to_aware_datetime` does): seconds and
    /// microseconds since the epoch.
    const BOTOCORE: &[(&str, i64, u32)] = &[
        ("2023-11-14T22:13:20Z", 1_700_000_000, 0),
        ("2023-11-14T22:13:20.123Z", 1_700_000_000, 123_000),
        ("2023-11-14T22:13:20.123456Z", 1_700_000_000, 123_456),
        ("2023-11-14T22:13:20+00:00", 1_700_000_000, 0),
        ("2023-11-14T22:13:20.5+05:30", 1_699_980_200, 500_000),
        ("2023-11-14T22:13:20-0800", 1_700_028_800, 0),
        ("2023-11-14T22:13:20", 1_700_000_000, 0),
        ("2023-11-14t22:13:20z", 1_700_000_000, 0),
        ("2023-11-14 22:13:20Z", 1_700_000_000, 0),
        ("1969-12-31T23:59:59.5Z", -1, 500_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800, 0),
        ("9999-12-31T23:59:59Z", 253_402_300_799, 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800, 0),
        ("Tue, 14 Nov 2023 22:13:20 GMT", 1_700_000_000, 0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777, 0),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777, 0),
        ("Sun Nov  6 08:49:37 1994", 784_111_777, 0),
        ("Sun Nov 16 08:49:37 1994", 784_975_777, 0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0, 0),
        ("Wed, 31 Dec 1969 23:59:59 GMT", -1, 0),
        ("Tue, 14 Nov 2023 22:13:20 +0100", 1_699_996_400, 0),
        ("Tue, 14 Nov 2023 22:13:20.250 GMT", 1_700_000_000, 250_000),
        ("tue, 14 nov 2023 22:13:20 GMT", 1_700_000_000, 0),
        ("Tue, 14 Nov 2023 22:13:20 Z", 1_700_000_000, 0),
        ("Mon, 14 Nov 2023 22:13:20 GMT", 1_700_000_000, 0),
        ("Tue, 14 Nov 23 22:13:20 GMT", 1_700_000_000, 0),
        ("Sun, 6 Nov 1994 08:49:37 GMT", 784_111_777, 0),
        ("Sunday, 06-Nov-1994 08:49:37 GMT", 784_111_777, 0),
        ("1700000000", 1_700_000_000, 0),
        ("2023", 2023, 0),
        ("1700000000.123", 1_700_000_000, 123_000),
        ("-1.5", -2, 500_000),
        ("0", 0, 0),
        ("1.7e9", 1_700_000_000, 0),
        (" 1700000000 ", 1_700_000_000, 0),
    ];

    #[test]
    fn matches_botocore_in_every_declared_format() {
        for &(text, secs, micros) in BOTOCORE {
            let expected = DateTime::from_secs_and_nanos(secs, micros * 1000).unwrap();
            for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
                assert_eq!(DateTime::parse(text, format), Ok(expected), "{text:?} as {format:?}");
            }
        }
    }

    /// Each of these makes botocore's `parse_timestamp` raise.
    #[test]
    fn botocore_rejects_these_too() {
        for text in [
            "2023-11-14T24:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-11-14T22:13:60Z",
            "tue, 14 nov 2023 22:13:20 gmt",
            "0000-01-01T00:00:00Z",
            "1e12",
        ] {
            assert!(DateTime::parse(text, Format::DateTime).is_err(), "{text:?}");
        }
    }

    /// Python reads these, through quirks of `dateutil` and `float`; S3 sends neither.
    #[test]
    fn stricter_than_python() {
        for text in ["2023-11-14T22:13:20.", "1_000"] {
            assert!(DateTime::parse(text, Format::DateTime).is_err(), "{text:?}");
        }
    }

    #[test]
    fn keeps_nanoseconds() {
        let t = DateTime::parse("2023-11-14T22:13:20.123456789123Z", Format::DateTime).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 123_456_789));
        let t = DateTime::parse("-0.000000001", Format::EpochSeconds).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-1, 999_999_999));
        let t = DateTime::parse("17000000001e-1", Format::EpochSeconds).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 100_000_000));
        assert_eq!(DateTime::parse("-0e999999999", Format::EpochSeconds), Ok(DateTime::from_secs(0)));
        let t = DateTime::parse(".5", Format::EpochSeconds).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (0, 500_000_000));
        let t = DateTime::parse("1e-99999999999999999999", Format::EpochSeconds).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (0, 0));
    }

    #[test]
    fn round_trips_what_fmt_writes() {
        for t in [DateTime::from_millis(1_700_000_000_123), DateTime::from_millis(-1500), DateTime::from_secs(0)] {
            for format in [Format::DateTime, Format::EpochSeconds] {
                assert_eq!(DateTime::parse(&t.fmt(format), format), Ok(t), "{format:?}");
            }
            let whole = DateTime::from_secs(t.secs());
            assert_eq!(DateTime::parse(&t.fmt(Format::HttpDate), Format::HttpDate), Ok(whole));
        }
    }

    #[test]
    fn two_digit_years_follow_dateutil() {
        assert_eq!(two_digit_year(94, 2025), 1994);
        assert_eq!(two_digit_year(25, 2025), 2025);
        assert_eq!(two_digit_year(74, 2025), 2074);
        assert_eq!(two_digit_year(75, 2025), 1975);
        assert_eq!(two_digit_year(76, 2025), 1976);
        assert_eq!(two_digit_year(10, 2070), 2110);
        assert_eq!(two_digit_year(20, 2070), 2020);
        assert_eq!(two_digit_year(19, 2070), 2119);
    }

    #[test]
    fn garbage_is_an_error_never_a_panic() {
        let long = "9".repeat(10_000);
        for text in [
            "",
            " ",
            "garbage",
            "2023-11-14",
            "2023-11-14T",
            "2023-11-14T22:13",
            "2023-11-14T22:13:20Zjunk",
            "2023-11-14T22:13:20+25:00",
            "2023-13-01T00:00:00Z",
            "2023-00-01T00:00:00Z",
            "2023-11-00T00:00:00Z",
            "2023-11-31T00:00:00Z",
            "12023-11-14T22:13:20Z",
            "2023-１1-14T22:13:20Z",
            "２０２３-11-14T22:13:20Z",
            "2023-11-14T22:13:20Z\u{00e9}",
            "Tue, 14 Nov 2023 22:13:20",
            "Tue, 14 Nov 2023 22:13:20 PST",
            "Tue, 14 Foo 2023 22:13:20 GMT",
            "Xyz, 14 Nov 2023 22:13:20 GMT",
            "Tue, 14 Nov 023 22:13:20 GMT",
            "Tue,14 Nov 2023 22:13:20 GMT",
            "Tue, 14 Nov 10000 22:13:20 GMT",
            "Sun Nov  6 08:49:37",
            "Tüe, 14 Nov 2023 22:13:20 GMT",
            "-",
            ".",
            "+",
            "1e",
            "+-5",
            "--5",
            "1e+-5",
            "1.2.3",
            "inf",
            "NaN",
            "0x10",
            "99999999999999999999",
            "-99999999999999999999",
            "253402300800",
            "-62135596801",
            "1e100000000000000000000000",
            &long,
        ] {
            for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
                assert!(DateTime::parse(text, format).is_err(), "{text:?} as {format:?}");
            }
        }
    }

    #[test]
    fn error_names_input_and_expected_format() {
        let err = DateTime::parse("2023-11-31T00:00:00Z", Format::DateTime).unwrap_err();
        assert_eq!(err.format(), Format::DateTime);
        assert_eq!(
            err.to_string(),
            "invalid timestamp \"2023-11-31T00:00:00Z\": expected an ISO 8601 date-time such as \
             2023-11-14T22:13:20Z (day out of range for the month)"
        );
        let err = DateTime::parse("soon", Format::HttpDate).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid timestamp \"soon\": expected an HTTP date such as Tue, 14 Nov 2023 22:13:20 GMT \
             (expected a day of the week)"
        );
        let err = DateTime::parse("later", Format::EpochSeconds).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid timestamp \"later\": expected seconds since the epoch such as 1700000000 (expected a number)"
        );
        let long = "x".repeat(500);
        let message = DateTime::parse(&long, Format::DateTime).unwrap_err().to_string();
        assert!(message.contains(&format!("\"{}…\"", "x".repeat(100))), "{message}");
        let _: &dyn std::error::Error = &err;
    }
}
