//! Clock-skew correction, as aws-sdk-rust does it: the difference between the service's
//! clock (a response's `Date` header) and the local one, added to the signing time.
//!
//! The offset is learned from responses that refuse the request for its time
//! (`RequestTimeTooSkewed`, `RequestExpired`, `RequestInTheFuture`; and
//! `SignatureDoesNotMatch`, `InvalidSignatureException`, `AuthFailure` when the `Date`
//! is more than 4 minutes off), kept for the client, and such an error is retried once
//! with the corrected time. Presigned URLs and POST policies are signed with it too
//! (unless the caller fixes their start time). botocore has no correction (it only estimates the skew for
//! its `amz-sdk-request` TTL), so a skewed clock fails there.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::http::HttpResponse;
use crate::{DateTime, DateTimeFormat};

/// Error codes that always mean the request's time was refused.
const SKEW_CODES: &[&str] = &["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"];
/// Error codes that mean it when the service's clock is far from ours.
const MAYBE_SKEW_CODES: &[&str] = &["SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure"];
/// How far off the clocks must be for a [`MAYBE_SKEW_CODES`] error to count as skew.
const SIGNIFICANT: Duration = Duration::from_secs(4 * 60);

/// The offset, in milliseconds, of the service's clock from the local one; shared by a
/// client's requests.
#[derive(Debug, Default)]
pub struct ClockSkew {
    offset_ms: AtomicI64,
}

impl ClockSkew {
    /// The current time on the service's clock, as best known: the signing time.
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        let now = SystemTime::now();
        if offset >= 0 {
            now + Duration::from_millis(offset as u64)
        } else {
            now - Duration::from_millis(offset.unsigned_abs())
        }
    }

    /// The learned offset in milliseconds (positive: the service's clock is ahead).
    pub fn offset_millis(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Learns the offset from `response` when it refuses the request for its time (see
    /// the module docs) and carries a `Date`; returns whether it did (then the request
    /// is worth signing again).
    pub fn learn(&self, response: &HttpResponse, code: Option<&str>) -> bool {
        let Some(code) = code else { return false };
        let always = SKEW_CODES.contains(&code);
        if !always && !MAYBE_SKEW_CODES.contains(&code) {
            return false;
        }
        let Some(date) = response.header("date").and_then(|d| DateTime::parse(d.trim(), DateTimeFormat::HttpDate).ok())
        else {
            return false;
        };
        let local = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => since.as_millis() as i64,
            Err(before) => -(before.duration().as_millis() as i64),
        };
        let service = date.secs().saturating_mul(1000) + i64::from(date.subsec_nanos() / 1_000_000);
        let offset = service.saturating_sub(local);
        if !always && offset.unsigned_abs() < SIGNIFICANT.as_millis() as u64 {
            return false;
        }
        self.offset_ms.store(offset, Ordering::Relaxed);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(date: &str) -> HttpResponse {
        HttpResponse::new(403, vec![("Date".to_owned(), date.to_owned())], Vec::new())
    }

    #[test]
    fn the_offset_comes_from_the_date_of_a_skew_error() {
        let skew = ClockSkew::default();
        let ahead = DateTime::from_secs(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 + 3600);
        let date = ahead.fmt(DateTimeFormat::HttpDate);
        assert!(!skew.learn(&response(&date), Some("AccessDenied")));
        assert!(!skew.learn(&response("not a date"), Some("RequestTimeTooSkewed")));
        assert_eq!(skew.offset_millis(), 0);
        assert!(skew.learn(&response(&date), Some("RequestTimeTooSkewed")));
        let offset = skew.offset_millis();
        assert!((3_598_000..=3_600_000).contains(&offset), "{offset}");
        let signing = skew.now().duration_since(SystemTime::now()).unwrap();
        assert!(signing > Duration::from_secs(3590), "{signing:?}");
    }

    #[test]
    fn signature_errors_count_only_when_the_clocks_are_far_apart() {
        let skew = ClockSkew::default();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        let near = DateTime::from_secs(now + 60).fmt(DateTimeFormat::HttpDate);
        assert!(!skew.learn(&response(&near), Some("SignatureDoesNotMatch")));
        let far = DateTime::from_secs(now - 3600).fmt(DateTimeFormat::HttpDate);
        assert!(skew.learn(&response(&far), Some("SignatureDoesNotMatch")));
        assert!(skew.offset_millis() < -3_590_000);
    }
}
