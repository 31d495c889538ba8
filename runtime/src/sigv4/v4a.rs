//! AWS Signature Version 4a (`AWS4-ECDSA-P256-SHA256`): the asymmetric SigV4 that
//! multi-region access points ask for (the endpoint's `sigv4a` auth scheme).
//!
//! It is SigV4 with three differences, and the canonical request is built by the same
//! code ([`super::sign`]'s rules, S3's or the generic ones):
//!
//! - the credential scope has no region (`20150830/s3/aws4_request`); the regions the
//!   signature is valid in — the *region set*, `*` or a comma-separated list — are sent
//!   and signed as `X-Amz-Region-Set` (a header, or a query parameter when presigning).
//!   [`SigningParams::region`] carries the region set here;
//! - the string to sign starts with `AWS4-ECDSA-P256-SHA256`;
//! - the signature is an ECDSA P-256 signature (SHA-256, DER, hex) with a private key
//!   derived from the secret access key: HMAC-SHA256 in counter mode (NIST SP 800-108)
//!   keyed by `"AWS4A" + secret`, over `i = 1 (32 bits) ‖ "AWS4-ECDSA-P256-SHA256" ‖ 0x00 ‖
//!   access key id ‖ counter (8 bits) ‖ L = 256 (32 bits)`; the first output `c` (for
//!   counter 1, 2, …, 254) with `c ≤ n − 2` gives the scalar `d = c + 1` (`n`: the order of
//!   P-256). Keys are cached per credentials ([`signing_key`]).
//!
//! ECDSA signatures are randomized per message (here RFC 6979's deterministic nonces):
//! they are checked by verifying them ([`verify`]), never by comparing bytes.
//!
//! The signing functions need the `sigv4a` cargo feature (on by default, it brings the
//! `p256` crate); without it they fail with [`SigV4aError::FeatureDisabled`].

use std::fmt;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::canonical::{signed_headers_of, CanonicalRequest, Url};
use super::{hex, PayloadHash, SignableRequest, SigningError, SigningOutput, SigningParams, Timestamp};
use super::{MAX_PRESIGNED_EXPIRY, UNSIGNED_PAYLOAD};
use crate::credentials::Credentials;

/// The algorithm name in `Authorization` and `X-Amz-Algorithm`.
pub const ALGORITHM: &str = "AWS4-ECDSA-P256-SHA256";
/// How many derived keys are kept (most recently used first out last).
#[cfg_attr(not(feature = "sigv4a"), allow(dead_code))]
const KEY_CACHE_SIZE: usize = 16;

/// Why a request could not be signed with SigV4a. Never holds a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigV4aError {
    /// The request itself cannot be signed (URL, time, expiry).
    Signing(SigningError),
    /// The credentials cannot give a SigV4a key (an empty access key id or secret).
    KeyDerivation(String),
    /// The region set is empty or malformed.
    InvalidRegionSet(String),
    /// The crate was built without the `sigv4a` feature.
    FeatureDisabled,
}

impl fmt::Display for SigV4aError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigV4aError::Signing(err) => err.fmt(f),
            SigV4aError::KeyDerivation(why) => write!(f, "cannot derive a SigV4a signing key: {why}"),
            SigV4aError::InvalidRegionSet(set) => {
                write!(f, "cannot sign with SigV4a: invalid region set {set:?} (expected `*` or regions separated by commas)")
            }
            SigV4aError::FeatureDisabled => f.write_str(
                "SigV4a signing (AWS4-ECDSA-P256-SHA256, multi-region access points) needs the \
                 `sigv4a` cargo feature (of `s3` and `s3-runtime`, on by default), and the client \
                 was built without it; enable it",
            ),
        }
    }
}

impl std::error::Error for SigV4aError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SigV4aError::Signing(err) => Some(err),
            _ => None,
        }
    }
}

impl From<SigningError> for SigV4aError {
    fn from(err: SigningError) -> Self {
        SigV4aError::Signing(err)
    }
}

/// Whether SigV4a signing is compiled in (the `sigv4a` feature).
pub const fn is_available() -> bool {
    cfg!(feature = "sigv4a")
}

/// `*`, or regions (letters, digits, `-`, and `*` wildcards) joined by commas, without
/// blanks: what `X-Amz-Region-Set` may carry.
fn check_region_set(set: &str) -> Result<(), SigV4aError> {
    let ok = !set.is_empty()
        && set.split(',').all(|region| {
            !region.is_empty() && region.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*')
        });
    if ok {
        Ok(())
    } else {
        Err(SigV4aError::InvalidRegionSet(set.to_owned()))
    }
}

/// The order `n` of P-256, minus 2, big-endian.
#[cfg_attr(not(feature = "sigv4a"), allow(dead_code))]
const N_MINUS_2: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA,
    0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x4F,
];

/// The private scalar (big-endian) of the credentials' SigV4a key (see the module
/// documentation).
#[cfg_attr(not(feature = "sigv4a"), allow(dead_code))]
fn derive_scalar(access_key_id: &str, secret_access_key: &str) -> Result<[u8; 32], SigV4aError> {
    use hmac::{Hmac, Mac};
    if access_key_id.is_empty() {
        return Err(SigV4aError::KeyDerivation("the access key id is empty".to_owned()));
    }
    if secret_access_key.is_empty() {
        return Err(SigV4aError::KeyDerivation("the secret access key is empty".to_owned()));
    }
    let input_key = format!("AWS4A{secret_access_key}");
    for counter in 1u8..=254 {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(input_key.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        mac.update(&1u32.to_be_bytes());
        mac.update(ALGORITHM.as_bytes());
        mac.update(&[0]);
        mac.update(access_key_id.as_bytes());
        mac.update(&[counter]);
        mac.update(&256u32.to_be_bytes());
        let c: [u8; 32] = mac.finalize().into_bytes().into();
        // Big-endian byte strings of one length compare as the numbers they are.
        if c <= N_MINUS_2 {
            let mut d = c;
            for byte in d.iter_mut().rev() {
                let (sum, carry) = byte.overflowing_add(1);
                *byte = sum;
                if !carry {
                    break;
                }
            }
            return Ok(d);
        }
    }
    Err(SigV4aError::KeyDerivation("no counter from 1 to 254 gave a valid P-256 scalar".to_owned()))
}

#[cfg(feature = "sigv4a")]
mod crypto {
    use std::sync::{Arc, Mutex};

    use p256::ecdsa::signature::{Signer, Verifier};
    use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};
    use sha2::{Digest, Sha256};

    use super::{derive_scalar, SigV4aError, KEY_CACHE_SIZE};

    /// A derived key, with what it was derived from (the secret only as a hash).
    struct Entry {
        access_key_id: String,
        secret_sha256: [u8; 32],
        key: Arc<SigningKey>,
    }

    static KEYS: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

    pub(super) fn signing_key(access_key_id: &str, secret: &str) -> Result<Arc<SigningKey>, SigV4aError> {
        let secret_sha256: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let find = |keys: &mut Vec<Entry>| {
            let i = keys.iter().position(|e| e.access_key_id == access_key_id && e.secret_sha256 == secret_sha256)?;
            let entry = keys.remove(i);
            let key = entry.key.clone();
            keys.push(entry);
            Some(key)
        };
        if let Some(key) = find(&mut KEYS.lock().unwrap_or_else(|e| e.into_inner())) {
            return Ok(key);
        }
        let scalar = derive_scalar(access_key_id, secret)?;
        let key = SigningKey::from_bytes(&scalar.into())
            .map_err(|_| SigV4aError::KeyDerivation("the derived scalar is not a valid P-256 key".to_owned()))?;
        let key = Arc::new(key);
        let mut keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
        if keys.len() >= KEY_CACHE_SIZE {
            keys.remove(0);
        }
        keys.push(Entry { access_key_id: access_key_id.to_owned(), secret_sha256, key: key.clone() });
        Ok(key)
    }

    pub(super) fn sign(key: &SigningKey, message: &[u8]) -> Vec<u8> {
        let signature: Signature = key.sign(message);
        let der: DerSignature = signature.to_der();
        der.as_bytes().to_vec()
    }

    pub(super) fn public_key(key: &SigningKey) -> ([u8; 32], [u8; 32]) {
        let point = key.verifying_key().to_encoded_point(false);
        let mut x = [0; 32];
        let mut y = [0; 32];
        x.copy_from_slice(point.x().map(|x| x.as_slice()).unwrap_or(&[0; 32]));
        y.copy_from_slice(point.y().map(|y| y.as_slice()).unwrap_or(&[0; 32]));
        (x, y)
    }

    pub(super) fn verify(x: &[u8; 32], y: &[u8; 32], message: &[u8], der: &[u8]) -> bool {
        let mut sec1 = Vec::with_capacity(65);
        sec1.push(4);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        let Ok(key) = VerifyingKey::from_sec1_bytes(&sec1) else { return false };
        let Ok(signature) = Signature::from_der(der) else { return false };
        key.verify(message, &signature).is_ok()
    }
}

#[cfg(not(feature = "sigv4a"))]
mod crypto {
    use super::SigV4aError;

    pub(super) enum SigningKey {}

    pub(super) fn signing_key(access_key_id: &str, secret: &str) -> Result<std::sync::Arc<SigningKey>, SigV4aError> {
        let _ = (access_key_id, secret);
        Err(SigV4aError::FeatureDisabled)
    }

    pub(super) fn sign(key: &SigningKey, _message: &[u8]) -> Vec<u8> {
        match *key {}
    }

    pub(super) fn public_key(key: &SigningKey) -> ([u8; 32], [u8; 32]) {
        match *key {}
    }

    pub(super) fn verify(_x: &[u8; 32], _y: &[u8; 32], _message: &[u8], _der: &[u8]) -> bool {
        false
    }
}

/// A P-256 public key: the affine coordinates, big-endian.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey {
    /// `X`.
    pub x: [u8; 32],
    /// `Y`.
    pub y: [u8; 32],
}

impl PublicKey {
    /// `X` as lowercase hex.
    pub fn x_hex(&self) -> String {
        hex(&self.x)
    }
    /// `Y` as lowercase hex.
    pub fn y_hex(&self) -> String {
        hex(&self.y)
    }
}

/// The public key of the credentials' SigV4a key, for whoever verifies signatures.
pub fn public_key(credentials: &Credentials) -> Result<PublicKey, SigV4aError> {
    let key = crypto::signing_key(credentials.access_key_id(), credentials.secret_access_key())?;
    let (x, y) = crypto::public_key(&key);
    Ok(PublicKey { x, y })
}

/// Checks that the credentials can sign with SigV4a (derives and caches their key).
pub fn signing_key(credentials: &Credentials) -> Result<(), SigV4aError> {
    crypto::signing_key(credentials.access_key_id(), credentials.secret_access_key()).map(|_| ())
}

/// Verifies an ECDSA P-256 / SHA-256 signature (DER, as hex) over `message`. Always
/// false without the `sigv4a` feature.
pub fn verify(key: &PublicKey, message: &[u8], signature_hex: &str) -> bool {
    let Some(der) = unhex(signature_hex) else { return false };
    crypto::verify(&key.x, &key.y, message, &der)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// `20150830/service/aws4_request`: no region.
fn scope(time: &Timestamp, service: &str) -> String {
    format!("{}/{service}/aws4_request", time.date())
}

fn string_to_sign(time: &Timestamp, scope: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}\n{scope}\n{}", time.amz_date, hex(&Sha256::digest(canonical_request.as_bytes())))
}

/// Signs a request with an `Authorization` header, as [`super::sign`] does for SigV4,
/// plus `X-Amz-Region-Set` (the region set, [`SigningParams::region`]). The output's
/// headers are, in order: `X-Amz-Date` (or `Date`), `X-Amz-Region-Set`,
/// `X-Amz-Security-Token` (with a session token), `X-Amz-Content-SHA256` (always for
/// S3) and `Authorization`.
pub fn sign(request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<SigningOutput, SigV4aError> {
    check_region_set(params.region)?;
    let url = Url::parse(request.url)?;
    let time = Timestamp::new(params.time)?;
    let key = crypto::signing_key(params.credentials.access_key_id(), params.credentials.secret_access_key())?;
    let settings = params.settings;

    let mut headers: Vec<(String, String)> = request.headers.to_vec();
    let mut set = Vec::new();
    let mut replace = |headers: &mut Vec<(String, String)>, name: &str, value: String| {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.to_owned(), value.clone()));
        set.push((name.to_owned(), value));
    };
    headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
    if headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("date")) {
        replace(&mut headers, "Date", time.email_date.clone());
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("x-amz-date"));
    } else {
        replace(&mut headers, "X-Amz-Date", time.amz_date.clone());
    }
    replace(&mut headers, "X-Amz-Region-Set", params.region.to_owned());
    if let Some(token) = params.credentials.session_token().filter(|token| !token.is_empty()) {
        replace(&mut headers, "X-Amz-Security-Token", token.to_owned());
    }
    let payload = params.payload.value();
    if settings.s3_payload || params.payload == PayloadHash::Unsigned {
        replace(&mut headers, "X-Amz-Content-SHA256", payload.clone());
    }
    let payload = super::header(&headers, "x-amz-content-sha256").map_or(payload, str::to_owned);

    let canonical = CanonicalRequest::new(request.method, &url, url.query, &headers, &payload, settings);
    let scope = scope(&time, params.service);
    let string_to_sign = string_to_sign(&time, &scope, &canonical.text);
    let signature = hex(&crypto::sign(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        params.credentials.access_key_id(),
        canonical.signed_headers
    );
    set.push(("Authorization".to_owned(), authorization));
    Ok(SigningOutput { headers: set, canonical_request: canonical.text, string_to_sign, signature })
}

/// A presigned URL and what was signed to make it.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedUrl {
    /// The URL.
    pub url: String,
    /// The canonical request (it holds the session token, if any).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

impl fmt::Debug for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedUrl").field("string_to_sign", &self.string_to_sign).finish_non_exhaustive()
    }
}

/// A presigned URL for `request`, valid for `expires_in` (whole seconds, 1 s to 7
/// days), built as [`super::presign`] builds SigV4 ones, with `X-Amz-Region-Set` after
/// `X-Amz-Expires`, and two differences that follow botocore's SigV4a signer (the
/// CRT's, `CrtSigV4AsymQueryAuth`) rather than its SigV4 one: every pair of the URL's
/// query is kept (repeated names too), and a form `Content-Type` is signed like any
/// other header.
pub fn presign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<PresignedUrl, SigV4aError> {
    if expires_in.subsec_nanos() != 0 || expires_in.is_zero() || expires_in > MAX_PRESIGNED_EXPIRY {
        return Err(SigningError::InvalidExpiry(expires_in).into());
    }
    check_region_set(params.region)?;
    let url = Url::parse(request.url)?;
    let time = Timestamp::new(params.time)?;
    let key = crypto::signing_key(params.credentials.access_key_id(), params.credentials.secret_access_key())?;

    let headers = request.headers.to_vec();
    let payload = match super::header(&headers, "x-amz-content-sha256") {
        Some(value) => value.to_owned(),
        None if params.settings.s3_payload => UNSIGNED_PAYLOAD.to_owned(),
        None => params.payload.value(),
    };
    let signed_headers = signed_headers_of(&headers, &url.host);
    let scope = scope(&time, params.service);
    let mut auth = vec![
        ("X-Amz-Algorithm", ALGORITHM.to_owned()),
        ("X-Amz-Credential", format!("{}/{scope}", params.credentials.access_key_id())),
        ("X-Amz-Date", time.amz_date.clone()),
        ("X-Amz-Expires", expires_in.as_secs().to_string()),
        ("X-Amz-Region-Set", params.region.to_owned()),
        ("X-Amz-SignedHeaders", signed_headers),
    ];
    if let Some(token) = params.credentials.session_token() {
        auth.push(("X-Amz-Security-Token", token.to_owned()));
    }
    let query = super::presign::presigned_query(&parse_qs_all(url.query), &auth);

    let canonical = CanonicalRequest::new(request.method, &url, &query, &headers, &payload, params.settings);
    let string_to_sign = string_to_sign(&time, &scope, &canonical.text);
    let signature = hex(&crypto::sign(&key, string_to_sign.as_bytes()));
    Ok(PresignedUrl {
        url: format!("{}://{}{}?{query}&X-Amz-Signature={signature}", url.scheme, url.netloc, url.path),
        canonical_request: canonical.text,
        string_to_sign,
    })
}

/// The URL's own query pairs, decoded (`+` is a space), in order, repeated names kept.
fn parse_qs_all(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (crate::encoding::url_decode(name), crate::encoding::url_decode(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_sets() {
        for ok in ["*", "us-east-1", "us-east-1,us-west-2", "us-*"] {
            assert_eq!(check_region_set(ok), Ok(()), "{ok}");
        }
        for bad in ["", ",", "us-east-1,", "us east-1", "us-east-1, us-west-2"] {
            assert!(check_region_set(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn empty_keys_cannot_derive() {
        let err = derive_scalar("", "secret").unwrap_err();
        assert_eq!(err.to_string(), "cannot derive a SigV4a signing key: the access key id is empty");
        assert!(derive_scalar("AKID", "").is_err());
    }

    #[test]
    fn scalar_is_c_plus_one() {
        // Whatever the inputs, the scalar is in [1, n-1].
        for i in 0..50 {
            let d = derive_scalar(&format!("AKID{i}"), "secret").unwrap();
            assert!(d != [0; 32] && d <= N_MINUS_2 || d == {
                let mut n1 = N_MINUS_2;
                n1[31] += 1;
                n1
            });
        }
    }

    #[cfg(feature = "sigv4a")]
    #[test]
    fn sign_and_verify() {
        let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
        let key = public_key(&credentials).unwrap();
        assert_eq!(key.x_hex(), "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1");
        let request = SignableRequest { method: "GET", url: "https://mrap.accesspoint.s3-global.amazonaws.com/k", headers: &[] };
        let params = SigningParams {
            credentials: &credentials,
            region: "*",
            service: "s3",
            time: std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            payload: PayloadHash::Bytes(b""),
            settings: super::super::SigningSettings::S3,
        };
        let out = sign(&request, &params).unwrap();
        let names: Vec<&str> = out.headers().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["X-Amz-Date", "X-Amz-Region-Set", "X-Amz-Content-SHA256", "Authorization"]);
        assert!(out.authorization().starts_with(
            "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20231114/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-region-set, Signature="
        ));
        assert!(verify(&key, out.string_to_sign().as_bytes(), out.signature()));
        assert!(!verify(&key, b"something else", out.signature()));
        let bad = SigningParams { region: "", ..params.clone() };
        assert!(matches!(sign(&request, &bad), Err(SigV4aError::InvalidRegionSet(_))));
    }

    #[cfg(not(feature = "sigv4a"))]
    #[test]
    fn without_the_feature_the_error_names_it() {
        let credentials = Credentials::new("AKID", "SECRET", None);
        let err = public_key(&credentials).unwrap_err();
        assert!(err.to_string().contains("`sigv4a` cargo feature"), "{err}");
    }
}
