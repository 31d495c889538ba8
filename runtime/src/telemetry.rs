//! Tracing spans of the send path, with the field names of OpenTelemetry's semantic
//! conventions for AWS SDK and HTTP client spans where they fit.
//!
//! - `s3.operation` (INFO), one per call: `rpc.system = "aws-api"`, `rpc.service = "S3"`,
//!   `rpc.method` (the operation), `aws.s3.bucket`, and once it is over
//!   `http.response.status_code`, `aws.request_id`, `aws.extended_request_id`;
//! - `s3.attempt` (DEBUG), one per attempt, inside it: `attempt` (from 1),
//!   `http.response.status_code`, `aws.request_id`, `aws.extended_request_id`,
//!   `http.request.body.size` and `http.response.body.size` (bytes, when known),
//!   `retry` (whether it is retried), `retry.kind` (botocore's classification),
//!   `retry.backoff_ms`, `error` and `duration_ms`.
//!
//! Object keys, URLs' paths and queries, header values and credentials are never
//! recorded. With no subscriber interested, a span is tracing's disabled no-op: no
//! field is formatted and the clock is not read.

use std::time::{Duration, Instant};

use tracing::field::Empty;
use tracing::Span;

use crate::http::HttpResponse;
use crate::orchestrator::{OperationInfo, SendError, Target};
use crate::retry::RetryKind;

/// The operation a request belongs to, in its `http::Request` extensions: transports
/// that answer by operation read it (see `test_util::MockTransport`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationName(pub &'static str);

/// The `s3.operation` span of a call.
pub(crate) fn operation_span(op: &OperationInfo, target: &Target) -> Span {
    tracing::info_span!(
        "s3.operation",
        "rpc.system" = "aws-api",
        "rpc.service" = "S3",
        "rpc.method" = op.name,
        "aws.s3.bucket" = target.bucket.as_deref(),
        "http.response.status_code" = Empty,
        "aws.request_id" = Empty,
        "aws.extended_request_id" = Empty,
        error = Empty,
    )
}

/// The `s3.attempt` span of an attempt.
pub(crate) fn attempt_span(attempt: u32) -> Span {
    tracing::debug_span!(
        "s3.attempt",
        attempt,
        "http.response.status_code" = Empty,
        "aws.request_id" = Empty,
        "aws.extended_request_id" = Empty,
        "http.request.body.size" = Empty,
        "http.response.body.size" = Empty,
        retry = Empty,
        "retry.kind" = Empty,
        "retry.backoff_ms" = Empty,
        error = Empty,
        duration_ms = Empty,
    )
}

/// When an attempt started, if its span is recorded (the clock is read only then).
pub(crate) fn start(span: &Span) -> Option<Instant> {
    (!span.is_disabled()).then(Instant::now)
}

fn record_response(span: &Span, response: &HttpResponse) {
    span.record("http.response.status_code", response.status);
    if let Some(id) = response.header("x-amz-request-id") {
        span.record("aws.request_id", id);
    }
    if let Some(id) = response.header("x-amz-id-2") {
        span.record("aws.extended_request_id", id);
    }
}

/// Records how an attempt ended and what comes next.
pub(crate) fn record_attempt(
    span: &Span,
    started: Option<Instant>,
    outcome: &Result<HttpResponse, SendError>,
    kind: RetryKind,
    backoff: Option<Duration>,
) {
    if span.is_disabled() {
        return;
    }
    match outcome {
        Ok(response) => {
            record_response(span, response);
            // A streamed body (GetObject) is not read here: its declared length.
            if let Some(length) = response.header("content-length").and_then(|v| v.trim().parse::<u64>().ok()) {
                span.record("http.response.body.size", length);
            }
        }
        Err(err) => {
            span.record("error", tracing::field::display(err));
        }
    }
    span.record("retry", backoff.is_some());
    if kind != RetryKind::Never {
        span.record("retry.kind", tracing::field::debug(kind));
    }
    if let Some(delay) = backoff {
        span.record("retry.backoff_ms", delay.as_millis() as u64);
    }
    if let Some(started) = started {
        span.record("duration_ms", started.elapsed().as_millis() as u64);
    }
}

/// Records how a call ended.
pub(crate) fn record_outcome(span: &Span, result: &Result<HttpResponse, SendError>) {
    if span.is_disabled() {
        return;
    }
    match result {
        Ok(response) => record_response(span, response),
        Err(err) => {
            span.record("error", tracing::field::display(err));
        }
    }
}

/// The scheme and host of a URL, without its path and query (which name the object).
pub(crate) fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find(['/', '?']) {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

#[cfg(test)]
mod tests;
