//! Request ids of successful responses and errors alike: `x-amz-request-id` and
//! `x-amz-id-2` (the extended request id, S3's `HostId`), what support tickets ask for.
//!
//! Every generated output keeps them in one small [`RequestIds`] value and implements
//! [`RequestId`] with one line; errors ([`ErrorMetadata`](crate::ErrorMetadata), the
//! generated error enums and [`SdkError`](crate::SdkError)) implement the same trait, so
//! `use s3::RequestId;` gives `request_id()` and `extended_request_id()` everywhere.

use crate::http::HttpResponse;

/// The request ids of a response, as S3 sent them in its headers.
///
/// Two outputs that differ only in their request ids compare equal: the ids say which
/// request answered, not what the answer was.
#[derive(Clone, Default)]
pub struct RequestIds {
    // One allocation at most (none when S3 sent neither header): `id\0extended`.
    ids: Option<Box<str>>,
    split: usize,
}

impl RequestIds {
    /// The ids of `x-amz-request-id` and `x-amz-id-2`, when present.
    pub fn new(request_id: Option<&str>, extended_request_id: Option<&str>) -> Self {
        if request_id.is_none() && extended_request_id.is_none() {
            return RequestIds::default();
        }
        let first = request_id.unwrap_or_default();
        let mut joined = String::with_capacity(first.len() + 1 + extended_request_id.map_or(0, str::len));
        joined.push_str(first);
        joined.push('\0');
        joined.push_str(extended_request_id.unwrap_or_default());
        RequestIds { ids: Some(joined.into_boxed_str()), split: first.len() }
    }

    /// The ids of a response's `x-amz-request-id` and `x-amz-id-2` headers.
    pub fn from_response(response: &HttpResponse) -> Self {
        RequestIds::new(response.header("x-amz-request-id"), response.header("x-amz-id-2"))
    }

    fn part(&self, second: bool) -> Option<&str> {
        let ids = self.ids.as_deref()?;
        let part = if second { &ids[self.split + 1..] } else { &ids[..self.split] };
        (!part.is_empty()).then_some(part)
    }
}

impl std::fmt::Debug for RequestIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestIds")
            .field("request_id", &self.part(false))
            .field("extended_request_id", &self.part(true))
            .finish()
    }
}

impl PartialEq for RequestIds {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl RequestId for RequestIds {
    fn request_id(&self) -> Option<&str> {
        self.part(false)
    }
    fn extended_request_id(&self) -> Option<&str> {
        self.part(true)
    }
}

/// The request ids of an output or an error (as `aws-sdk-s3`'s `RequestId` and
/// `RequestIdExt` traits).
pub trait RequestId {
    /// The request id S3 sent (`x-amz-request-id`, the error document's `RequestId`).
    fn request_id(&self) -> Option<&str>;
    /// The extended request id S3 sent (`x-amz-id-2`, the error document's `HostId`).
    fn extended_request_id(&self) -> Option<&str>;
}

impl RequestId for crate::ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        crate::ErrorMetadata::request_id(self)
    }
    fn extended_request_id(&self) -> Option<&str> {
        self.host_id()
    }
}

impl<E: RequestId> RequestId for crate::SdkError<E> {
    /// The service error's request id; `None` for errors without a response.
    fn request_id(&self) -> Option<&str> {
        self.as_service_error().and_then(RequestId::request_id)
    }
    fn extended_request_id(&self) -> Option<&str> {
        self.as_service_error().and_then(RequestId::extended_request_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_response_headers() {
        let response = HttpResponse::new(
            200,
            vec![("x-amz-request-id".into(), "REQ1".into()), ("x-amz-id-2".into(), "HOST/2=".into())],
            Vec::new(),
        );
        let ids = RequestIds::from_response(&response);
        assert_eq!(ids.request_id(), Some("REQ1"));
        assert_eq!(ids.extended_request_id(), Some("HOST/2="));
        let only_ext = RequestIds::new(None, Some("H"));
        assert_eq!((only_ext.request_id(), only_ext.extended_request_id()), (None, Some("H")));
        let none = RequestIds::from_response(&HttpResponse::new(200, vec![], Vec::new()));
        assert_eq!((none.request_id(), none.extended_request_id()), (None, None));
    }

    #[test]
    fn errors_answer_with_the_same_trait() {
        let meta = crate::ErrorMetadata::new(Some("NoSuchKey".into()), None)
            .with_request_id(Some("R".into()))
            .with_host_id(Some("H".into()));
        let err: crate::SdkError<crate::ErrorMetadata> = crate::SdkError::Service(meta);
        assert_eq!((err.request_id(), err.extended_request_id()), (Some("R"), Some("H")));
    }
}
