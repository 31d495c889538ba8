//! S3's browser-based upload (`POST` with a signed policy), as botocore's
//! `generate_presigned_post` with SigV4 (`S3PostPresigner`, `S3SigV4PostAuth`).

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{presigning_credentials, PresigningConfig};
use crate::endpoint::EndpointError;
use crate::orchestrator::{url_join, SendContext, SendError, Target};
use crate::sigv4::{self, PayloadHash, SigningParams, SigningSettings, ALGORITHM};
use crate::{BuildError, DateTime, DateTimeFormat, SdkError};

/// The shape name in [`BuildError`]s of a presigned POST.
const SHAPE: &str = "PresignedPost";

/// Form fields and condition names the signature sets itself.
const RESERVED: &[&str] =
    &["x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-security-token", "x-amz-signature", "policy", "file"];

/// Resolves the endpoint of a bucket as `CreateBucket` would (what botocore uses for the
/// POST URL): the generated client provides it.
pub type ResolveTarget = Arc<dyn Fn(&str) -> Result<Target, EndpointError> + Send + Sync>;

/// A condition of the POST policy, written as botocore writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostCondition {
    /// The form field must have exactly this value: `{"acl": "public-read"}`.
    Exact(String, String),
    /// The form field must start with this prefix (`""`: any value):
    /// `["starts-with", "$Content-Type", "image/"]`.
    StartsWith(String, String),
    /// The uploaded file's size in bytes must be within these bounds (inclusive):
    /// `["content-length-range", 0, 1048576]`.
    ContentLengthRange(u64, u64),
}

impl PostCondition {
    /// `{"field": "value"}`.
    pub fn exact(field: impl Into<String>, value: impl Into<String>) -> Self {
        PostCondition::Exact(field.into(), value.into())
    }

    /// `["starts-with", "$field", "prefix"]` (a leading `$` on `field` is optional).
    pub fn starts_with(field: impl Into<String>, prefix: impl Into<String>) -> Self {
        PostCondition::StartsWith(field.into(), prefix.into())
    }

    /// `["content-length-range", min, max]`.
    pub fn content_length_range(min: u64, max: u64) -> Self {
        PostCondition::ContentLengthRange(min, max)
    }

    fn check(&self) -> Result<(), BuildError> {
        let invalid = |why: String| Err(BuildError::invalid_field(SHAPE, "conditions", why));
        match self {
            PostCondition::Exact(field, _) | PostCondition::StartsWith(field, _) => {
                let name = field.strip_prefix('$').unwrap_or(field);
                let lower = name.to_ascii_lowercase();
                if name.is_empty() {
                    return invalid(format!("the condition {} has an empty field name", self.json()));
                }
                if name.chars().any(|c| c.is_control() || c == '$') {
                    return invalid(format!("the condition {} has an invalid field name", self.json()));
                }
                if RESERVED.contains(&lower.as_str()) || lower == "bucket" || lower == "key" {
                    return invalid(format!(
                        "the condition {} is on `{name}`, which the presigned POST sets itself (bucket and key \
                         conditions come from `bucket` and `key`)",
                        self.json()
                    ));
                }
                if lower == "content-length-range" {
                    return invalid(format!(
                        "the condition {} cannot be expressed: use `PostCondition::ContentLengthRange`",
                        self.json()
                    ));
                }
                Ok(())
            }
            PostCondition::ContentLengthRange(min, max) if min > max => invalid(format!(
                "the condition {} cannot be met: the minimum is greater than the maximum",
                self.json()
            )),
            PostCondition::ContentLengthRange(..) => Ok(()),
        }
    }

    /// The condition as botocore's `json.dumps` writes it.
    fn json(&self) -> String {
        let mut out = String::new();
        match self {
            PostCondition::Exact(field, value) => {
                out.push('{');
                json_string(&mut out, field);
                out.push_str(": ");
                json_string(&mut out, value);
                out.push('}');
            }
            PostCondition::StartsWith(field, prefix) => {
                out.push_str("[\"starts-with\", ");
                if field.starts_with('$') {
                    json_string(&mut out, field);
                } else {
                    json_string(&mut out, &format!("${field}"));
                }
                out.push_str(", ");
                json_string(&mut out, prefix);
                out.push(']');
            }
            PostCondition::ContentLengthRange(min, max) => {
                out.push_str(&format!("[\"content-length-range\", {min}, {max}]"));
            }
        }
        out
    }
}

/// A string as Python's `json.dumps` (with `ensure_ascii`) writes it: `"` and `\`
/// escaped, `\n`, `\r`, `\t`, `\b`, `\f` by name, every other character outside
/// space..`~` as `\uXXXX` (lowercase hex; UTF-16 surrogate pairs beyond the BMP).
fn json_string(out: &mut String, text: &str) {
    crate::encoding::python_json_string(out, text)
}

/// The URL and form fields of a browser-based upload: a `multipart/form-data` POST to
/// [`url`](Self::url) with [`fields`](Self::fields), in order, then the `file` field.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    url: String,
    fields: Vec<(String, String)>,
}

impl PresignedPost {
    /// Where the form is posted (the bucket's URL).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The form fields, in botocore's order: the caller's fields, `key`,
    /// `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `x-amz-security-token` (with
    /// a session token), `policy` (base64) and `x-amz-signature`.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// A field's value.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(n, v)| (n.as_str(), if n == "x-amz-security-token" { "** redacted **" } else { v.as_str() }))
            .collect();
        f.debug_struct("PresignedPost").field("url", &self.url).field("fields", &fields).finish()
    }
}

/// Builds a [`PresignedPost`]: `Client::presigned_post()`.
#[derive(Clone)]
pub struct PresignedPostBuilder {
    ctx: SendContext,
    resolve: ResolveTarget,
    bucket: Option<String>,
    key: Option<String>,
    fields: Vec<(String, String)>,
    conditions: Vec<PostCondition>,
    expires_in: Duration,
    start_time: Option<SystemTime>,
}

impl fmt::Debug for PresignedPostBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedPostBuilder")
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("fields", &self.fields)
            .field("conditions", &self.conditions)
            .field("expires_in", &self.expires_in)
            .field("start_time", &self.start_time)
            .finish_non_exhaustive()
    }
}

impl PresignedPostBuilder {
    /// A builder signing with `ctx`'s credentials, its URL from `resolve`. Generated
    /// clients call this; use `Client::presigned_post()`.
    pub fn new(ctx: SendContext, resolve: ResolveTarget) -> Self {
        PresignedPostBuilder {
            ctx,
            resolve,
            bucket: None,
            key: None,
            fields: Vec::new(),
            conditions: Vec::new(),
            expires_in: Duration::from_secs(3600),
            start_time: None,
        }
    }

    /// The bucket. Required.
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// The key. Required. A key ending in `${filename}` lets the browser's file name
    /// complete it: the policy then only requires the key to start with what comes
    /// before (`["starts-with", "$key", "uploads/"]`); otherwise the key must be exactly
    /// this (`{"key": "…"}`).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// A form field to include (`acl`, `Content-Type`, `success_action_status`,
    /// `x-amz-meta-*`, …). A field is not a condition: add a condition for it too
    /// ([`condition`](Self::condition)), or S3 refuses the upload. Setting a field
    /// again replaces its value.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(field) => field.1 = value,
            None => self.fields.push((name, value)),
        }
        self
    }

    /// A condition of the policy, in order.
    pub fn condition(mut self, condition: PostCondition) -> Self {
        self.conditions.push(condition);
        self
    }

    /// How long the form can be used: whole seconds, 1 s to 7 days (default one hour).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// The signing time, instead of now (the policy expires `expires_in` after it).
    pub fn start_time(mut self, start_time: SystemTime) -> Self {
        self.start_time = Some(start_time);
        self
    }

    /// Checks the input, resolves the bucket's URL, fetches credentials and signs the
    /// policy. Bad input is refused before anything is signed, with an error naming the
    /// member, field or condition.
    pub async fn presign(self) -> Result<PresignedPost, SdkError<Infallible>> {
        let bucket = self.bucket.as_deref().ok_or_else(|| BuildError::missing_field(SHAPE, "bucket"))?;
        crate::s3::validate_bucket_name(SHAPE, bucket)?;
        let key = self.key.as_deref().ok_or_else(|| BuildError::missing_field(SHAPE, "key"))?;
        if key.is_empty() {
            return Err(BuildError::invalid_field(SHAPE, "key", "the key is empty").into());
        }
        for (name, _) in &self.fields {
            let lower = name.to_ascii_lowercase();
            if name.is_empty() || RESERVED.contains(&lower.as_str()) || lower == "key" || lower == "bucket" {
                return Err(BuildError::invalid_field(
                    SHAPE,
                    "fields",
                    format!("the field {name:?} is set by the presigned POST itself (or is not a field)"),
                )
                .into());
            }
        }
        for condition in &self.conditions {
            condition.check()?;
        }
        let mut config = PresigningConfig::builder().expires_in(self.expires_in);
        if let Some(start) = self.start_time {
            config = config.start_time(start);
        }
        let config = config.build().map_err(|e| BuildError::invalid_field(SHAPE, "expires_in", e.to_string()))?;
        let config = config.starting_by_default(self.ctx.clock_skew.now());
        let target = (self.resolve)(bucket)?;
        let provider = presigning_credentials(&self.ctx)?;
        let credentials = provider.provide_credentials().await.map_err(SendError::Credentials)?;
        post_fields(&target, &credentials, bucket, key, &self.fields, &self.conditions, &config)
            .map_err(|e| SdkError::from(SendError::Request(e.to_string())))
    }
}

/// The URL and fields, signed (input already checked).
fn post_fields(
    target: &Target,
    credentials: &crate::Credentials,
    bucket: &str,
    key: &str,
    fields: &[(String, String)],
    conditions: &[PostCondition],
    config: &PresigningConfig,
) -> Result<PresignedPost, sigv4::SigningError> {
    let time = config.signing_time();
    let params = SigningParams {
        credentials,
        region: &target.signing_region,
        service: &target.signing_name,
        time,
        payload: PayloadHash::Unsigned,
        settings: SigningSettings::S3,
    };
    let amz_date = sigv4::amz_date(time)?;
    let credential = format!("{}/{}", credentials.access_key_id(), sigv4::credential_scope(&params)?);
    let expiration = DateTime::from(time).secs() + config.expires().as_secs() as i64;
    let expiration = DateTime::from_secs(expiration).fmt(DateTimeFormat::DateTime);

    let mut all_conditions: Vec<PostCondition> = conditions.to_vec();
    all_conditions.push(PostCondition::exact("bucket", bucket));
    match key.strip_suffix("${filename}") {
        Some(prefix) => all_conditions.push(PostCondition::starts_with("$key", prefix)),
        None => all_conditions.push(PostCondition::exact("key", key)),
    }
    let mut fields: Vec<(String, String)> = fields.to_vec();
    fields.push(("key".into(), key.into()));
    let mut signed = vec![
        ("x-amz-algorithm", ALGORITHM.to_owned()),
        ("x-amz-credential", credential),
        ("x-amz-date", amz_date),
    ];
    if let Some(token) = credentials.session_token() {
        signed.push(("x-amz-security-token", token.to_owned()));
    }
    for (name, value) in &signed {
        all_conditions.push(PostCondition::exact(*name, value.clone()));
        fields.push(((*name).to_owned(), value.clone()));
    }
    let policy = policy_json(&expiration, &all_conditions);
    let policy = crate::encoding::base64_encode(policy.as_bytes());
    let signature = sigv4::sign_string(&params, &policy)?;
    fields.push(("policy".into(), policy));
    fields.push(("x-amz-signature".into(), signature));
    Ok(PresignedPost { url: url_join(&target.url, "/", None), fields })
}

/// `json.dumps({"expiration": …, "conditions": […]})`.
fn policy_json(expiration: &str, conditions: &[PostCondition]) -> String {
    let mut out = String::from("{\"expiration\": ");
    json_string(&mut out, expiration);
    out.push_str(", \"conditions\": [");
    for (i, condition) in conditions.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&condition.json());
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;
    use std::time::UNIX_EPOCH;

    fn target(url: &str) -> Target {
        Target {
            url: url.into(),
            headers: vec![],
            signing_region: "us-east-1".into(),
            signing_name: "s3".into(),
            scheme: Default::default(),
            bucket: None,
        }
    }

    /// The issue's known answer, checked against botocore 1.44.8's
    /// `generate_presigned_post` (the whole field list, policy included).
    #[test]
    fn known_answer() {
        let credentials = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            Some("SESSIONTOKEN".to_owned()),
        );
        let config = PresigningConfig::builder()
            .expires_in(Duration::from_secs(3600))
            .start_time(UNIX_EPOCH + Duration::from_secs(1_451_347_200)) // 2015-12-29T00:00:00Z
            .build()
            .unwrap();
        let post = post_fields(
            &target("https://sigv4examplebucket.s3.us-east-1.amazonaws.com"),
            &credentials,
            "sigv4examplebucket",
            "user/user1/${filename}",
            &[("acl".into(), "public-read".into())],
            &[PostCondition::exact("acl", "public-read"), PostCondition::content_length_range(0, 1_048_576)],
            &config,
        )
        .unwrap();
        let names: Vec<&str> = post.fields().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "acl",
                "key",
                "x-amz-algorithm",
                "x-amz-credential",
                "x-amz-date",
                "x-amz-security-token",
                "policy",
                "x-amz-signature"
            ]
        );
        assert_eq!(post.field("key"), Some("user/user1/${filename}"));
        assert_eq!(post.field("x-amz-credential"), Some("AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"));
        assert_eq!(post.field("x-amz-date"), Some("20151229T000000Z"));
        assert_eq!(
            post.field("policy"),
            Some(concat!(
                "eyJleHBpcmF0aW9uIjogIjIwMTUtMTItMjlUMDE6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJhY2wiOiAicHVibGljLXJlYWQifSwg",
                "WyJjb250ZW50LWxlbmd0aC1yYW5nZSIsIDAsIDEwNDg1NzZdLCB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwgWyJzdGFy",
                "dHMtd2l0aCIsICIka2V5IiwgInVzZXIvdXNlcjEvIl0sIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwgeyJ4",
                "LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTUxMjI5L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwg",
                "eyJ4LWFtei1kYXRlIjogIjIwMTUxMjI5VDAwMDAwMFoifSwgeyJ4LWFtei1zZWN1cml0eS10b2tlbiI6ICJTRVNTSU9OVE9LRU4ifV19"
            ))
        );
        assert_eq!(
            post.field("x-amz-signature"),
            Some("346278e344ec371c1440e44678c69f6868e4409c2c25b2f69599def3352f8697")
        );
        assert_eq!(post.url(), "https://sigv4examplebucket.s3.us-east-1.amazonaws.com/");
    }

    #[test]
    fn json_strings_as_python() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\n\u{1}\u{7f}é€😀/");
        assert_eq!(out, r#""a\"b\\c\n\u0001\u007f\u00e9\u20ac\ud83d\ude00/""#);
    }

    #[test]
    fn bad_conditions_are_named() {
        for (condition, expected) in [
            (PostCondition::content_length_range(10, 1), "minimum is greater"),
            (PostCondition::exact("", "x"), "empty field name"),
            (PostCondition::starts_with("$x-amz-date", ""), "sets itself"),
            (PostCondition::exact("content-length-range", "5"), "cannot be expressed"),
        ] {
            let err = condition.check().unwrap_err();
            assert_eq!(err.field(), "conditions");
            assert!(err.to_string().contains(expected), "{err}");
        }
        assert!(PostCondition::starts_with("x-amz-meta-tag", "").check().is_ok());
        assert_eq!(PostCondition::starts_with("Content-Type", "image/").json(), r#"["starts-with", "$Content-Type", "image/"]"#);
    }
}
