//! Helpers that generated response deserializers call: typed header values with errors
//! that name the operation and header, and error metadata from an error response.

use crate::datetime::Format;
use crate::encoding::base64_decode;
use crate::http::HttpResponse;
use crate::xml::parse_error_document;
use crate::{DateTime, ErrorMetadata, ResponseError};

/// Whether botocore treats a response with this status as an error (`>= 301`).
pub fn is_error_status(status: u16) -> bool {
    status >= 301
}

/// Whether a 200 response is really an error: its body is an `<Error>` document, as
/// botocore's `_looks_like_special_case_error` decides for S3.
///
/// botocore also treats a body that is not XML (a response cut short) as a 500: see
/// [`is_malformed_200`], which the send path uses to retry it.
pub fn is_error_in_200(response: &HttpResponse) -> bool {
    let bytes = body(response);
    if response.status != 200 || bytes.is_empty() {
        return false;
    }
    // Only a document whose first tag is `<Error` can be one; everything else (every
    // successful listing, for one) is answered without parsing it.
    if !root_tag_is_error(bytes) {
        return false;
    }
    match crate::xml::parse(bytes) {
        Ok(doc) => doc.root_element().name() == "Error" && !doc.root_element().has_namespace(),
        Err(_) => false,
    }
}

/// Whether a 200 response's body is not well-formed XML, which botocore's
/// `_looks_like_special_case_error` reads as a 500 (a response cut short) and retries.
///
/// Checked without parsing the whole body, which the deserializer does next: the body
/// must be UTF-8 and its root element must close at its end (`<Name …>…</Name>`,
/// only whitespace after). That is what a body cut short or with something appended
/// breaks. A body that ends otherwise (an empty root element, a trailing comment) is
/// parsed to decide. A malformation inside an otherwise complete document is left to
/// the deserializer, whose error says where it is.
pub fn is_malformed_200(response: &HttpResponse) -> bool {
    let bytes = body(response);
    if response.status != 200 || bytes.is_empty() {
        return false;
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return true };
    let Some(root) = root_start(text.as_bytes()) else { return true };
    let name_len = root
        .iter()
        .skip(1)
        .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'))
        .unwrap_or(root.len() - 1);
    let name = &root[1..1 + name_len];
    let end = text.trim_end().as_bytes();
    let closes = end
        .strip_suffix(b">")
        .map(<[u8]>::trim_ascii_end)
        .and_then(|e| e.strip_suffix(name))
        .is_some_and(|e| e.ends_with(b"</"));
    if closes && !name.is_empty() {
        return false;
    }
    crate::xml::parse(bytes).is_err()
}

/// The body from its root element's start tag on, past the prolog (byte-order mark,
/// declaration, comments, processing instructions, whitespace); `None` if there is none.
fn root_start(bytes: &[u8]) -> Option<&[u8]> {
    let mut rest = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    loop {
        rest = rest.trim_ascii_start();
        let end = if rest.starts_with(b"<?") {
            b"?>".as_slice()
        } else if rest.starts_with(b"<!--") {
            b"-->".as_slice()
        } else {
            break;
        };
        let i = rest.windows(end.len()).position(|w| w == end)?;
        rest = &rest[i + end.len()..];
    }
    rest.starts_with(b"<").then_some(rest)
}

/// Whether the first start tag, past the prolog (byte-order mark, declaration, comments,
/// processing instructions, whitespace), is `<Error` followed by the end of the name.
fn root_tag_is_error(bytes: &[u8]) -> bool {
    let mut rest = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    loop {
        rest = rest.trim_ascii_start();
        let end = if rest.starts_with(b"<?") {
            b"?>".as_slice()
        } else if rest.starts_with(b"<!--") {
            b"-->".as_slice()
        } else {
            break;
        };
        match rest.windows(end.len()).position(|w| w == end) {
            Some(i) => rest = &rest[i + end.len()..],
            None => return false,
        }
    }
    rest.strip_prefix(b"<Error").is_some_and(|after| matches!(after.first(), Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')))
}

/// The in-memory body of a response (empty for a streaming body, which XML responses
/// never have).
pub fn body(response: &HttpResponse) -> &[u8] {
    response.body.as_bytes().unwrap_or_default()
}

fn bad_header(operation: &'static str, header: &str, value: &str, expected: &str) -> ResponseError {
    ResponseError::new(operation, format!("header `{header}` has value {value:?}, which is not {expected}"))
}

/// A boolean header: `true` or `false`.
pub fn header_bool(operation: &'static str, header: &str, value: &str) -> Result<bool, ResponseError> {
    match value.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad_header(operation, header, value, "`true` or `false`")),
    }
}

/// An integer header.
pub fn header_i32(operation: &'static str, header: &str, value: &str) -> Result<i32, ResponseError> {
    value.trim().parse().map_err(|_| bad_header(operation, header, value, "a 32-bit integer"))
}

/// A long integer header.
pub fn header_i64(operation: &'static str, header: &str, value: &str) -> Result<i64, ResponseError> {
    value.trim().parse().map_err(|_| bad_header(operation, header, value, "a 64-bit integer"))
}

/// A floating-point header.
pub fn header_f64(operation: &'static str, header: &str, value: &str) -> Result<f64, ResponseError> {
    value.trim().parse().map_err(|_| bad_header(operation, header, value, "a number"))
}

/// A timestamp header in the given format (other formats are accepted too, as botocore
/// does).
pub fn header_timestamp(
    operation: &'static str,
    header: &str,
    value: &str,
    format: Format,
) -> Result<DateTime, ResponseError> {
    DateTime::parse(value.trim(), format).map_err(|e| ResponseError::new(operation, format!("header `{header}`: {e}")))
}

/// A base64 blob header.
pub fn header_blob(operation: &'static str, header: &str, value: &str) -> Result<Vec<u8>, ResponseError> {
    base64_decode(value).map_err(|_| bad_header(operation, header, value, "base64"))
}

/// A JSON document sent base64-encoded in a header (`jsonvalue`), as its JSON text.
pub fn header_json_value(operation: &'static str, header: &str, value: &str) -> Result<String, ResponseError> {
    let bytes = header_blob(operation, header, value)?;
    String::from_utf8(bytes).map_err(|_| bad_header(operation, header, value, "base64 of UTF-8 JSON"))
}

/// A list header: comma-separated items, each trimmed (botocore's `_handle_list`).
pub fn header_list(value: &str) -> Vec<String> {
    value.split(',').map(|item| item.trim().to_owned()).collect()
}

/// The error metadata of an error response, as botocore reads it: the `<Error>`
/// document's fields when the body is one, otherwise the status code as the code and
/// its reason phrase as the message. Request ids come from the `x-amz-request-id` and
/// `x-amz-id-2` headers, or from the body when the headers are missing.
pub fn error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let bytes = body(response);
    let generic = response.status >= 500 && (bytes.is_empty() || bytes.starts_with(b"<html>"));
    let mut meta = match parse_error_document(bytes) {
        Ok(fields) if !generic => fields.into_metadata(),
        _ => ErrorMetadata::new(Some(response.status.to_string()), Some(reason_phrase(response.status).to_owned())),
    };
    if let Some(id) = response.header("x-amz-request-id") {
        meta = meta.with_request_id(Some(id.to_owned()));
    }
    if let Some(id) = response.header("x-amz-id-2") {
        meta = meta.with_host_id(Some(id.to_owned()));
    }
    if let Some(region) = response.header(crate::redirect::BUCKET_REGION_HEADER) {
        meta = meta.with_bucket_region(Some(region.to_owned()));
    }
    meta.with_status(response.status)
}

/// The members of a modeled error, read from the error document's `<Error>` element
/// (inside `<ErrorResponse>` when there is one, as botocore's `_get_error_root`). A
/// document that cannot be read gives the error with no members set: its code and
/// message are in the metadata all the same.
pub fn error_shape<T: Default>(
    response: &HttpResponse,
    read: fn(crate::xml::Node<'_, '_>) -> Result<T, crate::xml::XmlError>,
) -> T {
    let Ok(doc) = crate::xml::parse(body(response)) else { return T::default() };
    let root = doc.root_element();
    let root = if crate::xml::name(root) == "ErrorResponse" {
        crate::xml::child_elements(root).find(|c| crate::xml::name(*c) == "Error").unwrap_or(root)
    } else {
        root
    };
    read(root).unwrap_or_default()
}

/// The reason phrase of an HTTP status, as Python's `http.client.responses` has it.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        412 => "Precondition Failed",
        416 => "Requested Range Not Satisfiable",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values() {
        assert!(header_bool("Op", "x", "true").unwrap());
        let err = header_i32("HeadObject", "Content-Length", "12x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read the HeadObject response: header `Content-Length` has value \"12x\", which is not a 32-bit integer"
        );
        assert_eq!(header_list("a, b,c"), vec!["a", "b", "c"]);
        assert!(header_timestamp("Op", "Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT", Format::HttpDate).is_ok());
        assert!(header_timestamp("Op", "Last-Modified", "yesterday", Format::HttpDate).is_err());
    }

    #[test]
    fn error_metadata_from_body_and_headers() {
        let body = b"<Error><Code>NoSuchKey</Code><Message>gone</Message><Key>k</Key><RequestId>body-id</RequestId></Error>";
        let response = HttpResponse::new(404, vec![("x-amz-request-id".into(), "hdr-id".into())], body.to_vec());
        let meta = error_metadata(&response);
        assert_eq!(meta.code(), Some("NoSuchKey"));
        assert_eq!(meta.message(), Some("gone"));
        assert_eq!(meta.request_id(), Some("hdr-id"));
        assert_eq!(meta.extra("Key"), Some("k"));
        assert_eq!(meta.status(), Some(404));
    }

    #[test]
    fn errors_hidden_in_200_responses() {
        let error = HttpResponse::new(200, vec![], b"<Error><Code>InternalError</Code></Error>".to_vec());
        assert!(is_error_in_200(&error));
        let truncated = HttpResponse::new(200, vec![], b"<CopyObjectResult><ETag>".to_vec());
        assert!(!is_error_in_200(&truncated));
        let fine = HttpResponse::new(200, vec![], b"<CopyObjectResult/>".to_vec());
        assert!(!is_error_in_200(&fine));
        assert!(!is_error_in_200(&HttpResponse::new(200, vec![], Vec::new())));
        // Past a prolog, and only an unprefixed, un-namespaced, well-formed `<Error>`.
        let cases: [(&[u8], bool); 9] = [
            (b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c --><?pi x?>\n  <Error><Code>X</Code></Error>", true),
            (b"<Error/>", true),
            (b"<Error\n/>", true),
            (b"<ErrorDocument><Error/></ErrorDocument>", false),
            (b"<p:Error xmlns:p=\"urn:p\"/>", false),
            (b"<Error xmlns=\"urn:x\"/>", false),
            (b"<Error><Code>", false),
            (b"<!-- unterminated <Error/>", false),
            (b"<ListBucketResult><Error/></ListBucketResult>", false),
        ];
        for (body, expected) in cases {
            let response = HttpResponse::new(200, vec![], body.to_vec());
            assert_eq!(is_error_in_200(&response), expected, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn error_metadata_without_body_uses_the_status() {
        let meta = error_metadata(&HttpResponse::new(404, vec![], Vec::new()));
        assert_eq!(meta.code(), Some("404"));
        assert_eq!(meta.message(), Some("Not Found"));
        let meta = error_metadata(&HttpResponse::new(503, vec![], b"<html>busy</html>".to_vec()));
        assert_eq!(meta.code(), Some("503"));
    }
}
