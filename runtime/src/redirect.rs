//! Region redirects, as botocore's `S3RegionRedirectorv2`: a request sent to the wrong
//! region for its bucket is sent once more to the bucket's region, and the client
//! remembers where the bucket is.
//!
//! After an attempt that the retry strategy does not retry, `next_target` looks at the
//! response. It redirects (at most once per request, never for an access point ARN) when
//! the response is
//!
//! - a `301`, `302` or `307`, whatever its body;
//! - `PermanentRedirect`;
//! - `AuthorizationHeaderMalformed` whose document names a `Region`;
//! - `IllegalLocationConstraintException`, except for `CreateBucket`;
//! - a bodiless `301`/`400` of `HeadObject`, or of `HeadBucket` with an
//!   `x-amz-bucket-region` header.
//!
//! The bucket's region is the `x-amz-bucket-region` header, else the error document's
//! `Region`, else the `x-amz-bucket-region` header of a `HeadBucket` on the bucket (itself
//! a full request, which may redirect once). A region that is not a host label fails the
//! request with [`ResponseErrorKind::InvalidRegion`](crate::ResponseErrorKind) (botocore's
//! `InvalidRegionError`). The bucket's region goes in the client's [`RegionCache`], the
//! endpoint is resolved again with it as `AWS::Region`, and the request is sent to the new
//! host (keeping its path and query) signed for the new region, without delay and without
//! taking from the retry quota; it counts as an attempt, as botocore counts it. Later
//! requests for the bucket resolve their endpoint with the cached region from the start.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::endpoint::EndpointError;
use crate::http::HttpResponse;
use crate::orchestrator::{OperationInfo, SendError, Target};
use crate::transport::BoxFuture;

/// What the send path needs from the generated client to redirect one request: its
/// bucket, its endpoint resolved again once the bucket's region is known, and the
/// region a `HeadBucket` reports.
pub trait Redirect: Send + Sync {
    /// The request's bucket (the endpoint parameter), if it has one.
    fn bucket(&self) -> Option<&str>;
    /// Remembers that the bucket is in `region` and resolves the request's endpoint
    /// again (the cached region is the `AWS::Region` of the resolution).
    fn retarget(&self, region: &str) -> Result<Target, EndpointError>;
    /// Sends `HeadBucket` for the bucket and returns the `x-amz-bucket-region` header of
    /// its answer, success or service error; other failures are returned.
    fn head_bucket_region(&self) -> BoxFuture<'_, Result<Option<String>, SendError>>;
}

/// The `x-amz-bucket-region` header.
pub const BUCKET_REGION_HEADER: &str = "x-amz-bucket-region";

/// The target to send the request to after `response`, if it is to be redirected.
pub(crate) async fn next_target(
    op: &OperationInfo,
    redirect: &dyn Redirect,
    response: &HttpResponse,
) -> Result<Option<Target>, SendError> {
    if response.status < 300 {
        return Ok(None);
    }
    let bucket = redirect.bucket();
    if bucket.is_some_and(is_arn) {
        return Ok(None);
    }
    let meta = crate::de::error_metadata(response);
    let code = meta.code();
    let header_region = response.header(BUCKET_REGION_HEADER);
    let bodiless_head = matches!(code, Some("301" | "400"));
    let wanted = (bodiless_head && op.name == "HeadObject")
        || (bodiless_head && op.name == "HeadBucket" && header_region.is_some())
        || (code == Some("AuthorizationHeaderMalformed") && meta.extra("Region").is_some())
        || matches!(response.status, 301 | 302 | 307)
        || code == Some("PermanentRedirect")
        || (code == Some("IllegalLocationConstraintException") && op.name != "CreateBucket");
    if !wanted {
        return Ok(None);
    }
    let region = match (header_region, meta.extra("Region").filter(|r| !r.is_empty())) {
        (Some(region), _) | (None, Some(region)) => Some(region.to_owned()),
        // botocore calls `head_bucket(Bucket=None)` here, which fails its parameter
        // validation; the response is returned as it is instead.
        (None, None) if bucket.is_none() => None,
        (None, None) => redirect.head_bucket_region().await?,
    };
    let Some(region) = region else { return Ok(None) };
    if !is_valid_region(&region) {
        return Err(SendError::Response(crate::ResponseError::invalid_region(op.name, &region)));
    }
    tracing::debug!(operation = op.name, bucket, region, "the bucket is in another region; redirecting");
    redirect.retarget(&region).map(Some).map_err(|e| SendError::Endpoint(Box::new(e)))
}

/// The region a `HeadBucket` reports: its `x-amz-bucket-region` header (`region`), on a
/// success or a service error (`meta` reads the error's metadata); other failures fail
/// the request being redirected, as botocore's `get_bucket_region` lets them.
pub fn head_bucket_region<E>(
    outcome: Result<Option<String>, crate::SdkError<E>>,
    meta: fn(&E) -> &crate::ErrorMetadata,
) -> Result<Option<String>, SendError> {
    use crate::SdkError;
    match outcome {
        Ok(region) => Ok(region),
        Err(SdkError::Service(err)) => Ok(meta(&err).bucket_region().map(str::to_owned)),
        Err(SdkError::Construction(err)) => Err(SendError::Request(err.to_string())),
        Err(SdkError::Endpoint(err)) => Err(SendError::Endpoint(err)),
        Err(SdkError::Credentials(err)) => Err(SendError::Credentials(*err)),
        Err(SdkError::Dispatch(err)) => Err(*err),
        Err(SdkError::Response(err)) => Err(SendError::Response(err)),
    }
}

/// `url` with the scheme and path of `url` and the host (and port) of `endpoint`, as
/// botocore's `_get_new_endpoint(old, new, use_new_scheme=False)`.
pub(crate) fn splice_host(url: &str, endpoint: &str) -> String {
    let split = |u: &str| -> (usize, usize) {
        let start = u.find("://").map_or(0, |i| i + 3);
        let end = u[start..].find(['/', '?', '#']).map_or(u.len(), |i| start + i);
        (start, end)
    };
    let (start, end) = split(url);
    let (new_start, new_end) = split(endpoint);
    format!("{}{}{}", &url[..start], &endpoint[new_start..new_end], &url[end..])
}

/// botocore's `ArnParser.is_arn`: `arn:` and at least six `:`-separated parts.
fn is_arn(bucket: &str) -> bool {
    bucket.starts_with("arn:") && bucket.splitn(6, ':').count() >= 6
}

/// botocore's `validate_region_name`: `^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$`.
pub fn is_valid_region(region: &str) -> bool {
    region.len() <= 63
        && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
        && (region.is_empty() || !region.bytes().all(|b| b.is_ascii_digit()))
}

/// Buckets whose region a redirect revealed, per client: botocore's redirector cache,
/// bounded ([`RegionCache::CAPACITY`] buckets; the oldest entry goes first).
#[derive(Debug, Default)]
pub struct RegionCache {
    // No lock on the path of a client that never saw a redirect.
    used: AtomicBool,
    entries: Mutex<indexmap::IndexMap<String, String>>,
}

impl RegionCache {
    /// The most buckets remembered.
    pub const CAPACITY: usize = 512;

    /// The region remembered for `bucket`.
    pub fn get(&self, bucket: &str) -> Option<String> {
        if !self.used.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(bucket).cloned()
    }

    /// Remembers that `bucket` is in `region`.
    pub fn insert(&self, bucket: &str, region: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.shift_remove(bucket);
        if entries.len() == Self::CAPACITY {
            entries.shift_remove_index(0);
        }
        entries.insert(bucket.to_owned(), region.to_owned());
        self.used.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_validated_as_botocore_does() {
        for ok in ["us-east-1", "eu-west-1", "a", "", "1a", "a1-b"] {
            assert!(is_valid_region(ok), "{ok}");
        }
        for bad in ["-us", "us-", "123", "us_east", "eu.west", "a/b", &"a".repeat(64)] {
            assert!(!is_valid_region(bad), "{bad}");
        }
    }

    #[test]
    fn arns_are_told_apart_as_botocore_does() {
        assert!(is_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/ap"));
        assert!(!is_arn("arn:aws:s3"));
        assert!(!is_arn("bucket"));
    }

    #[test]
    fn the_new_host_keeps_the_old_scheme_path_and_query() {
        assert_eq!(
            splice_host("https://b.s3.us-east-1.amazonaws.com/k%20y?x=1", "https://b.s3.eu-west-1.amazonaws.com"),
            "https://b.s3.eu-west-1.amazonaws.com/k%20y?x=1"
        );
        assert_eq!(splice_host("http://127.0.0.1:9/b/k", "https://127.0.0.1:9/b"), "http://127.0.0.1:9/b/k");
        assert_eq!(splice_host("https://b.s3.amazonaws.com", "https://b.s3.eu-west-1.amazonaws.com/"), "https://b.s3.eu-west-1.amazonaws.com");
    }

    #[test]
    fn the_cache_is_bounded_and_forgets_the_oldest() {
        let cache = RegionCache::default();
        assert_eq!(cache.get("b0"), None);
        for i in 0..=RegionCache::CAPACITY {
            cache.insert(&format!("b{i}"), "eu-west-1");
        }
        assert_eq!(cache.get("b0"), None);
        assert_eq!(cache.get("b1").as_deref(), Some("eu-west-1"));
        cache.insert("b1", "ap-south-1");
        assert_eq!(cache.get("b1").as_deref(), Some("ap-south-1"));
        assert_eq!(cache.entries.lock().unwrap().len(), RegionCache::CAPACITY);
    }
}
