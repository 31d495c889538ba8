//! Presigned URLs: botocore's `SigV4QueryAuth` / `S3SigV4QueryAuth`.

use std::time::Duration;

use super::canonical::{signed_headers_of, CanonicalRequest, Url};
use super::{header, signature, string_to_sign, SignableRequest, SigningError, SigningParams, Timestamp};
use super::{ALGORITHM, MAX_PRESIGNED_EXPIRY, UNSIGNED_PAYLOAD};
use crate::encoding::{query_param, url_decode};

/// A presigned URL for `request`, valid for `expires_in` (whole seconds, 1 s to 7 days),
/// as botocore's `S3SigV4QueryAuth` builds it for `generate_presigned_url`:
///
/// - the URL's own query parameters come first, decoded and encoded again
///   (`parse_qs` then `percent_encode_sequence`: `+` becomes `%20`, a bare key gets `=`,
///   and only the first value of a repeated name is kept), then `X-Amz-Algorithm`,
///   `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
///   `X-Amz-Security-Token` (with a session token) and finally `X-Amz-Signature`;
/// - the request's headers are signed (all but [`super::UNSIGNED_HEADERS`], plus `host`),
///   so whoever uses the URL must send them; a `Content-Type` of exactly
///   `application/x-www-form-urlencoded; charset=utf-8` is dropped first;
/// - the payload is `UNSIGNED-PAYLOAD` for S3 (or the request's
///   `X-Amz-Content-SHA256` header, if it has one); with
///   [`SigningSettings::GENERIC`](super::SigningSettings::GENERIC) it is
///   [`SigningParams::payload`]. Unlike botocore, a body is never moved into the query
///   (that is for query-protocol services, not S3).
///
/// The scheme is lowercased; user info, host and port are kept as written; a fragment
/// is dropped.
pub fn presign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<String, SigningError> {
    if expires_in.subsec_nanos() != 0 || expires_in.is_zero() || expires_in > MAX_PRESIGNED_EXPIRY {
        return Err(SigningError::InvalidExpiry(expires_in));
    }
    let url = Url::parse(request.url)?;
    let time = Timestamp::new(params.time)?;

    let mut headers = request.headers.to_vec();
    if header(&headers, "content-type") == Some("application/x-www-form-urlencoded; charset=utf-8") {
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
    }
    let payload = match header(&headers, "x-amz-content-sha256") {
        Some(value) => value.to_owned(),
        None if params.settings.s3_payload => UNSIGNED_PAYLOAD.to_owned(),
        None => params.payload.value(),
    };
    let signed_headers = signed_headers_of(&headers, &url.host);

    let scope = time.scope(params);
    let mut auth = vec![
        ("X-Amz-Algorithm", ALGORITHM.to_owned()),
        ("X-Amz-Credential", format!("{}/{scope}", params.credentials.access_key_id())),
        ("X-Amz-Date", time.amz_date.clone()),
        ("X-Amz-Expires", expires_in.as_secs().to_string()),
        ("X-Amz-SignedHeaders", signed_headers),
    ];
    if let Some(token) = params.credentials.session_token() {
        auth.push(("X-Amz-Security-Token", token.to_owned()));
    }
    let query = presigned_query(&parse_qs_first(url.query), &auth);

    let canonical = CanonicalRequest::new(request.method, &url, &query, &headers, &payload, params.settings);
    let string_to_sign = string_to_sign(&time, &scope, &canonical.text);
    let signature = signature(params, &time, &string_to_sign);
    Ok(format!("{}://{}{}?{query}&X-Amz-Signature={signature}", url.scheme, url.netloc, url.path))
}

/// `{k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}`: decoded
/// pairs, the first value of each name, in order of first appearance.
/// The query of a presigned URL before its signature: the request's own parameters, then
/// the `X-Amz-*` ones, each percent-encoded (SigV4 and SigV4a alike).
pub(super) fn presigned_query(own: &[(String, String)], auth: &[(&str, String)]) -> String {
    let own = own.iter().map(|(name, value)| format!("{}={}", query_param(name), query_param(value)));
    let auth = auth.iter().map(|(name, value)| format!("{name}={}", query_param(value)));
    own.chain(auth).collect::<Vec<_>>().join("&")
}

fn parse_qs_first(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = url_decode(name);
        if !pairs.iter().any(|(seen, _)| *seen == name) {
            pairs.push((name, url_decode(value)));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::sigv4::{PayloadHash, SigningSettings};
    use std::time::UNIX_EPOCH;

    #[test]
    fn presign_refuses_bad_expiry() {
        let credentials = Credentials::new("AKID", "SECRET", None);
        let request = SignableRequest { method: "GET", url: "https://h/b/k", headers: &[] };
        let params = SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service: "s3",
            time: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            payload: PayloadHash::Unsigned,
            settings: SigningSettings::S3,
        };
        for bad in [Duration::ZERO, Duration::from_millis(1500), MAX_PRESIGNED_EXPIRY + Duration::from_secs(1)] {
            assert_eq!(presign(&request, &params, bad), Err(SigningError::InvalidExpiry(bad)));
        }
        assert!(presign(&request, &params, MAX_PRESIGNED_EXPIRY).unwrap().contains("&X-Amz-Expires=604800&"));
    }

    #[test]
    fn existing_query_is_parsed_like_parse_qs() {
        let pairs = parse_qs_first("versionId=abc&x=a+b&versionId=dup&&flag&t=%2F%7e");
        let expected = [("versionId", "abc"), ("x", "a b"), ("flag", ""), ("t", "/~")];
        assert_eq!(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(), expected);
    }
}
