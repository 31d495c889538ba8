//! Writing timestamps as botocore's rest-xml serializer does (`serialize.py`, with the
//! default `timestamp_precision`).

use super::{civil_from_days, DateTime};

const DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The calendar fields of the whole second of `t`.
struct Fields {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    /// 0 is Sunday.
    weekday: usize,
}

fn fields(t: DateTime) -> Fields {
    let days = t.secs().div_euclid(86_400);
    let secs_of_day = t.secs().rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Fields {
        year,
        month,
        day,
        hour: secs_of_day / 3600,
        minute: secs_of_day / 60 % 60,
        second: secs_of_day % 60,
        // 1970-01-01 was a Thursday.
        weekday: (days + 4).rem_euclid(7) as usize,
    }
}

/// A year with at least four digits, and a `-` before them when negative (`{:04}` would
/// give `-001`).
fn year(year: i64) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// `_timestamp_iso8601`: `strftime('%Y-%m-%dT%H:%M:%SZ')`, or `'%Y-%m-%dT%H:%M:%S.%fZ'`
/// (six digits) when `value.microsecond > 0`.
///
/// Years below 1000 get four digits, as RFC 3339 requires and as Python's `%Y` gives from
/// 3.12 on (Python 3.11 on glibc wrote year 1 as `1`).
pub(super) fn date_time(t: DateTime) -> String {
    let f = fields(t);
    let micros = t.subsec_nanos() / 1000;
    let mut out = format!("{}-{:02}-{:02}T{:02}:{:02}:{:02}", year(f.year), f.month, f.day, f.hour, f.minute, f.second);
    if micros > 0 {
        out.push_str(&format!(".{micros:06}"));
    }
    out.push('Z');
    out
}

/// `_timestamp_rfc822`: `email.utils.formatdate(int(calendar.timegm(...)), usegmt=True)`,
/// which writes `'%s, %02d %s %04d %02d:%02d:%02d GMT'`; the fraction is dropped.
pub(super) fn http_date(t: DateTime) -> String {
    let f = fields(t);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAY_NAMES[f.weekday],
        f.day,
        MONTH_NAMES[f.month as usize - 1],
        year(f.year),
        f.hour,
        f.minute,
        f.second
    )
}

/// `_timestamp_unixtimestamp`: the integer `calendar.timegm(...)` when there is no
/// microsecond, else `str((timestamp * 10**6 + value.microsecond) / 10**6)`.
///
/// Python's `int / int` is correctly rounded, and so is Rust's parsing of the exact
/// decimal `secs.micros`, so both reach the same double; Python's `repr` and Rust's
/// `Display` then both print the shortest text that reads back as that double. Python
/// would switch to exponent notation only from 1e16 on, far past year 9999, and writes a
/// double that happens to be whole with `.0`.
pub(super) fn epoch_seconds(t: DateTime) -> String {
    let micros = t.subsec_nanos() / 1000;
    if micros == 0 {
        return t.secs().to_string();
    }
    // `secs` is rounded down, so `secs + micros / 10**6` is the instant for negative
    // `secs` too: -1.5 s is secs -2, micros 500000.
    let total = i128::from(t.secs()) * 1_000_000 + i128::from(micros);
    let sign = if total < 0 { "-" } else { "" };
    let exact = format!("{sign}{}.{:06}", total.unsigned_abs() / 1_000_000, total.unsigned_abs() % 1_000_000);
    match exact.parse::<f64>() {
        Ok(value) if value.is_finite() => {
            let mut text = value.to_string();
            if !text.contains('.') {
                text.push_str(".0");
            }
            text
        }
        // Unreachable (an i64 of seconds is far below f64::MAX), but never panic.
        _ => exact,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::*;

    fn at(secs: i64, micros: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, micros * 1000).unwrap()
    }

    /// Expected values from botocore 1.44.8 (Python 3.11): `RestXMLSerializer()
    /// ._convert_timestamp_to_str(datetime(1970, 1, 1, tzinfo=tzutc()) +
    /// timedelta(seconds=secs, microseconds=micros), fmt)` for `iso8601`, `rfc822` and
    /// `unixtimestamp`.
    const BOTOCORE: &[(i64, u32, &str, &str, &str)] = &[
        (1_700_000_000, 0, "2023-11-14T22:13:20Z", "Tue, 14 Nov 2023 22:13:20 GMT", "1700000000"),
        (1_700_000_000, 123_000, "2023-11-14T22:13:20.123000Z", "Tue, 14 Nov 2023 22:13:20 GMT", "1700000000.123"),
        (1_700_000_000, 1, "2023-11-14T22:13:20.000001Z", "Tue, 14 Nov 2023 22:13:20 GMT", "1700000000.000001"),
        (1_700_000_000, 100_000, "2023-11-14T22:13:20.100000Z", "Tue, 14 Nov 2023 22:13:20 GMT", "1700000000.1"),
        (0, 0, "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT", "0"),
        (-1, 0, "1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 GMT", "-1"),
        (-2, 500_000, "1969-12-31T23:59:58.500000Z", "Wed, 31 Dec 1969 23:59:58 GMT", "-1.5"),
        (-3_153_600_001, 999_999, "1870-01-24T23:59:59.999999Z", "Mon, 24 Jan 1870 23:59:59 GMT", "-3153600000.000001"),
        (1_709_208_061, 250_000, "2024-02-29T12:01:01.250000Z", "Thu, 29 Feb 2024 12:01:01 GMT", "1709208061.25"),
        (951_782_400, 0, "2000-02-29T00:00:00Z", "Tue, 29 Feb 2000 00:00:00 GMT", "951782400"),
        // Python 3.11 writes the first as `1-01-01T00:00:00Z`; see `date_time`.
        (-62_135_596_800, 0, "0001-01-01T00:00:00Z", "Mon, 01 Jan 0001 00:00:00 GMT", "-62135596800"),
        // The double nearest 253402300799.999999 is whole: Python writes `.0`.
        (253_402_300_799, 999_999, "9999-12-31T23:59:59.999999Z", "Fri, 31 Dec 9999 23:59:59 GMT", "253402300800.0"),
        // Random instants of years 1 to 9999 (`random.seed(11)`), years below 1000 padded as
        // above. Past 2**53 microseconds the double cannot hold every microsecond:
        // 64648075872.671395 is written 64648075872.671394.
        (184_677_490_881, 0, "7822-03-13T23:01:21Z", "Wed, 13 Mar 7822 23:01:21 GMT", "184677490881"),
        (197_761_071_810, 0, "8236-10-19T07:03:30Z", "Wed, 19 Oct 8236 07:03:30 GMT", "197761071810"),
        (183_081_796_243, 0, "7771-08-19T06:30:43Z", "Mon, 19 Aug 7771 06:30:43 GMT", "183081796243"),
        (230_311_606_309, 0, "9268-04-13T14:11:49Z", "Fri, 13 Apr 9268 14:11:49 GMT", "230311606309"),
        (26_555_782_712, 0, "2811-07-09T14:18:32Z", "Sat, 09 Jul 2811 14:18:32 GMT", "26555782712"),
        (229_199_343_312, 0, "9233-01-14T04:15:12Z", "Fri, 14 Jan 9233 04:15:12 GMT", "229199343312"),
        (41_096_745_829, 0, "3272-04-20T18:43:49Z", "Wed, 20 Apr 3272 18:43:49 GMT", "41096745829"),
        (-46_675_354_843, 815_906, "0490-11-30T23:39:17.815906Z", "Thu, 30 Nov 0490 23:39:17 GMT", "-46675354842.1841"),
        (179_783_991_059, 0, "7667-02-16T05:30:59Z", "Wed, 16 Feb 7667 05:30:59 GMT", "179783991059"),
        (64_648_075_872, 671_395, "4018-08-13T14:51:12.671395Z", "Mon, 13 Aug 4018 14:51:12 GMT", "64648075872.671394"),
        (-59_989_087_447, 0, "0069-01-07T20:35:53Z", "Mon, 07 Jan 0069 20:35:53 GMT", "-59989087447"),
        (162_397_403_164, 0, "7116-03-03T13:46:04Z", "Fri, 03 Mar 7116 13:46:04 GMT", "162397403164"),
        (78_343_375_868, 0, "4452-08-08T00:51:08Z", "Thu, 08 Aug 4452 00:51:08 GMT", "78343375868"),
        (94_686_048_634, 0, "4970-06-25T08:10:34Z", "Mon, 25 Jun 4970 08:10:34 GMT", "94686048634"),
        (157_371_277_870, 113_040, "6956-11-23T19:51:10.113040Z", "Tue, 23 Nov 6956 19:51:10 GMT", "157371277870.11304"),
        (-26_115_795_430, 0, "1142-06-04T20:22:50Z", "Thu, 04 Jun 1142 20:22:50 GMT", "-26115795430"),
        (50_450_535_647, 0, "3568-09-18T05:40:47Z", "Wed, 18 Sep 3568 05:40:47 GMT", "50450535647"),
        (146_041_413_384, 743_335, "6597-11-13T03:16:24.743335Z", "Mon, 13 Nov 6597 03:16:24 GMT", "146041413384.74335"),
        (-21_677_900_785, 0, "1283-01-20T08:53:35Z", "Wed, 20 Jan 1283 08:53:35 GMT", "-21677900785"),
        (123_706_674_264, 91_378, "5890-02-09T05:04:24.091378Z", "Sun, 09 Feb 5890 05:04:24 GMT", "123706674264.09138"),
        (-56_412_185_103, 0, "0182-05-15T04:34:57Z", "Wed, 15 May 0182 04:34:57 GMT", "-56412185103"),
        (71_586_476_824, 0, "4238-06-27T04:27:04Z", "Wed, 27 Jun 4238 04:27:04 GMT", "71586476824"),
        (-32_023_774_289, 487_525, "0955-03-17T11:08:31.487525Z", "Mon, 17 Mar 0955 11:08:31 GMT", "-32023774288.512474"),
        (43_345_772_640, 0, "3343-07-29T04:24:00Z", "Mon, 29 Jul 3343 04:24:00 GMT", "43345772640"),
    ];

    #[test]
    fn matches_botocore() {
        for &(secs, micros, iso, http, epoch) in BOTOCORE {
            let t = at(secs, micros);
            assert_eq!(t.fmt(Format::DateTime), iso, "{secs} {micros}");
            assert_eq!(t.fmt(Format::HttpDate), http, "{secs} {micros}");
            assert_eq!(t.fmt(Format::EpochSeconds), epoch, "{secs} {micros}");
        }
    }

    #[test]
    fn nanoseconds_below_a_microsecond_are_dropped() {
        let t = DateTime::from_secs_and_nanos(1_700_000_000, 999).unwrap();
        assert_eq!(t.fmt(Format::DateTime), "2023-11-14T22:13:20Z");
        assert_eq!(t.fmt(Format::EpochSeconds), "1700000000");
        let t = DateTime::from_secs_and_nanos(1_700_000_000, 123_456_789).unwrap();
        assert_eq!(t.fmt(Format::DateTime), "2023-11-14T22:13:20.123456Z");
        assert_eq!(t.fmt(Format::EpochSeconds), "1700000000.123456");
    }

    #[test]
    fn millis_constructor() {
        let t = DateTime::from_millis(1_700_000_000_123);
        assert_eq!(t.fmt(Format::DateTime), "2023-11-14T22:13:20.123000Z");
        assert_eq!(t.fmt(Format::EpochSeconds), "1700000000.123");
    }

    #[test]
    fn extreme_values_do_not_panic() {
        for secs in [i64::MIN, i64::MIN + 1, -62_135_596_801, 253_402_300_800, i64::MAX] {
            for nanos in [0, 999_999_999] {
                let t = DateTime::from_secs_and_nanos(secs, nanos).unwrap();
                for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
                    assert!(!t.fmt(format).is_empty());
                }
            }
        }
        assert_eq!(DateTime::from_secs(253_402_300_800).fmt(Format::DateTime), "10000-01-01T00:00:00Z");
        assert_eq!(DateTime::from_secs(-62_135_596_801).fmt(Format::DateTime), "0000-12-31T23:59:59Z");
        assert_eq!(DateTime::from_secs(-62_167_219_201).fmt(Format::HttpDate), "Fri, 31 Dec -0001 23:59:59 GMT");
        assert_eq!(DateTime::from_secs(i64::MAX).fmt(Format::EpochSeconds), i64::MAX.to_string());
    }
}
