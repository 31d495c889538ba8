//! The errors callers see.

use std::error::Error as StdError;
use std::fmt;

/// What the service said about an error: the S3 `<Error>` document's `Code`, `Message`,
/// `RequestId` and `HostId`, plus any other fields it carried.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    // Boxed so that errors, and the `Result`s that carry them, stay small.
    inner: Box<MetadataFields>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct MetadataFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    status: Option<u16>,
    bucket_region: Option<String>,
    extras: Vec<(String, String)>,
}

impl ErrorMetadata {
    /// Metadata with the given code and message.
    pub fn new(code: Option<String>, message: Option<String>) -> Self {
        ErrorMetadata { inner: Box::new(MetadataFields { code, message, ..Default::default() }) }
    }
    /// Sets the request id (`x-amz-request-id`).
    pub fn with_request_id(mut self, id: Option<String>) -> Self {
        self.inner.request_id = id;
        self
    }
    /// Sets the extended request id (`x-amz-id-2`, `HostId`).
    pub fn with_host_id(mut self, id: Option<String>) -> Self {
        self.inner.host_id = id;
        self
    }
    /// Sets the HTTP status code of the response.
    pub fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }
    /// Sets the bucket's region (the `x-amz-bucket-region` header).
    pub fn with_bucket_region(mut self, region: Option<String>) -> Self {
        self.inner.bucket_region = region;
        self
    }
    /// Adds a field of the error document that has no place of its own.
    pub fn with_extra(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inner.extras.push((name.into(), value.into()));
        self
    }
    /// The error code, such as `NoSuchKey`.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// The human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }
    /// The request id.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// The extended request id (host id).
    pub fn host_id(&self) -> Option<&str> {
        self.inner.host_id.as_deref()
    }
    /// The HTTP status code of the response.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// The region of the request's bucket: the response's `x-amz-bucket-region` header,
    /// which S3 sends with redirects (`PermanentRedirect`, a bodiless `301` to a `HEAD`)
    /// and most errors about a bucket. `AuthorizationHeaderMalformed` names the region in
    /// its document instead: [`extra("Region")`](Self::extra).
    pub fn bucket_region(&self) -> Option<&str> {
        self.inner.bucket_region.as_deref()
    }
    /// A field of the error document by name, if it had no place of its own.
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.inner.extras.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("unknown error"))?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

impl StdError for ErrorMetadata {}

/// A request refused before anything was sent, because its input is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    field: &'static str,
    kind: BuildErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum BuildErrorKind {
    Missing,
    Invalid(String),
}

impl BuildError {
    /// A required member was not set.
    pub fn missing_field(shape: &'static str, field: &'static str) -> Self {
        BuildError { shape, field, kind: BuildErrorKind::Missing }
    }
    /// A member was set to a value that cannot be sent.
    pub fn invalid_field(shape: &'static str, field: &'static str, why: impl Into<String>) -> Self {
        BuildError { shape, field, kind: BuildErrorKind::Invalid(why.into()) }
    }
    /// The shape the member belongs to, such as `GetObjectInput`.
    pub fn shape(&self) -> &str {
        self.shape
    }
    /// The member, such as `bucket`.
    pub fn field(&self) -> &str {
        self.field
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BuildErrorKind::Missing => write!(f, "{}: the required member `{}` is not set", self.shape, self.field),
            BuildErrorKind::Invalid(why) => write!(f, "{}: the member `{}` is invalid: {why}", self.shape, self.field),
        }
    }
}

impl StdError for BuildError {}

/// The error of an operation: `E` is the operation's own error enum, for errors the
/// service returned.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request was refused before anything was sent: its input is not valid.
    Construction(BuildError),
    /// No endpoint could be resolved for the request: the configuration and input
    /// describe something the service does not support (or a rule-set error).
    Endpoint(Box<crate::endpoint::EndpointError>),
    /// No credentials could be found to sign the request.
    Credentials(Box<crate::config::CredentialsError>),
    /// The request got no response: connection, timeout or I/O failure (after retries).
    Dispatch(Box<crate::orchestrator::SendError>),
    /// A response came back but could not be read: malformed XML, a header of the
    /// wrong type, a truncated body.
    Response(ResponseError),
    /// The service answered with an error.
    Service(E),
}

impl<E> SdkError<E> {
    /// The service's error, if that is what this is.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(err) => Some(err),
            _ => None,
        }
    }

    /// The service's error, if that is what this is.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(err) => Some(err),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(err) => write!(f, "invalid request: {err}"),
            SdkError::Endpoint(err) => write!(f, "no endpoint: {err}"),
            SdkError::Credentials(err) => write!(f, "no credentials: {err}"),
            SdkError::Dispatch(err) => write!(f, "no response: {err}"),
            SdkError::Response(err) => err.fmt(f),
            SdkError::Service(err) => write!(f, "service error: {err}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Construction(err) => Some(err),
            SdkError::Endpoint(err) => Some(&**err),
            SdkError::Credentials(err) => Some(&**err),
            SdkError::Dispatch(err) => Some(&**err),
            SdkError::Response(err) => Some(err),
            SdkError::Service(err) => Some(err),
        }
    }
}

impl<E> From<crate::orchestrator::SendError> for SdkError<E> {
    fn from(err: crate::orchestrator::SendError) -> Self {
        match err {
            crate::orchestrator::SendError::Credentials(err) => SdkError::Credentials(Box::new(err)),
            crate::orchestrator::SendError::Response(err) => SdkError::Response(err),
            crate::orchestrator::SendError::Endpoint(err) => SdkError::Endpoint(err),
            other => SdkError::Dispatch(Box::new(other)),
        }
    }
}

impl<E> From<crate::endpoint::EndpointError> for SdkError<E> {
    fn from(err: crate::endpoint::EndpointError) -> Self {
        SdkError::Endpoint(Box::new(err))
    }
}

/// A response that does not match the model: it names the operation and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseError {
    operation: &'static str,
    message: String,
    checksum: Option<Box<crate::checksum::ChecksumMismatch>>,
    kind: ResponseErrorKind,
}

/// What kind of response a [`ResponseError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// The response does not match the model (malformed XML, a header of the wrong
    /// type, …).
    Malformed,
    /// A response body that is read whole (every one but object contents and event
    /// streams) is longer than the client's limit (`max_buffered_body_size`).
    BodyTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The HTTP layer refused the response head: a header name or value with bytes
    /// HTTP does not allow (such as control characters), or a malformed status line.
    /// Not retried: the server would send it again.
    InvalidHttp,
    /// A body read whole does not match its full-object checksum (see
    /// [`ResponseError::checksum_mismatch`]).
    ChecksumMismatch,
    /// A region redirect named a region that is not a valid host label (botocore's
    /// `InvalidRegionError`); see [`crate::redirect`].
    InvalidRegion,
}

impl ResponseError {
    /// A response of `operation` that could not be read, and why.
    pub fn new(operation: &'static str, message: impl fmt::Display) -> Self {
        ResponseError { operation, message: message.to_string(), checksum: None, kind: ResponseErrorKind::Malformed }
    }

    /// A response of `operation` read whole whose body does not match its checksum.
    pub fn checksum(operation: &'static str, mismatch: crate::checksum::ChecksumMismatch) -> Self {
        ResponseError {
            operation,
            message: mismatch.to_string(),
            checksum: Some(Box::new(mismatch)),
            kind: ResponseErrorKind::ChecksumMismatch,
        }
    }

    /// The checksum mismatch this error is, if it is one (also its `source()`).
    pub fn checksum_mismatch(&self) -> Option<&crate::checksum::ChecksumMismatch> {
        self.checksum.as_deref()
    }
    /// A response of `operation` whose body is longer than `limit` bytes.
    pub fn body_too_large(operation: &'static str, limit: u64, length: Option<u64>) -> Self {
        let message = match length {
            Some(length) => format!("the body is {length} bytes long, more than the limit of {limit} bytes (max_buffered_body_size)"),
            None => format!("the body is longer than the limit of {limit} bytes (max_buffered_body_size)"),
        };
        ResponseError { operation, message, checksum: None, kind: ResponseErrorKind::BodyTooLarge { limit } }
    }
    /// A response of `operation` that the HTTP layer refused, and why.
    pub fn invalid_http(operation: &'static str, message: impl fmt::Display) -> Self {
        ResponseError { operation, message: message.to_string(), checksum: None, kind: ResponseErrorKind::InvalidHttp }
    }
    /// A redirect of `operation` to `region`, which is not a valid region name.
    pub fn invalid_region(operation: &'static str, region: &str) -> Self {
        ResponseError {
            operation,
            message: format!("the bucket's region `{}` (x-amz-bucket-region or the error's Region) is not a valid region name", region.escape_default()),
            checksum: None,
            kind: ResponseErrorKind::InvalidRegion,
        }
    }
    /// What kind of problem it is.
    pub fn kind(&self) -> ResponseErrorKind {
        self.kind
    }
    /// The operation whose response it was, such as `ListObjectsV2`.
    pub fn operation(&self) -> &str {
        self.operation
    }
    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the {} response: {}", self.operation, self.message)
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.checksum.as_deref().map(|m| m as &(dyn StdError + 'static))
    }
}

impl<E> From<ResponseError> for SdkError<E> {
    fn from(err: ResponseError) -> Self {
        SdkError::Response(err)
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(err: BuildError) -> Self {
        SdkError::Construction(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_shape_and_member() {
        let err = BuildError::missing_field("GetObjectInput", "bucket");
        assert_eq!(err.to_string(), "GetObjectInput: the required member `bucket` is not set");
        let err: SdkError<ErrorMetadata> = err.into();
        assert!(err.to_string().starts_with("invalid request: GetObjectInput"));
    }

    #[test]
    fn metadata_display() {
        let meta = ErrorMetadata::new(Some("NoSuchKey".into()), Some("gone".into()))
            .with_request_id(Some("r1".into()))
            .with_extra("Key", "k");
        assert_eq!(meta.to_string(), "NoSuchKey: gone (request id: r1)");
        assert_eq!(meta.extra("Key"), Some("k"));
    }
}
