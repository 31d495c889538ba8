//! Service-specific behaviour that botocore implements in handlers (`handlers.py`)
//! rather than in the model, decided here once per operation instead of scattered
//! through the emitters. Everything here applies to S3 only.

use super::{Location, Operation, Service, ShapeKind};

/// What one operation does beyond its model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customizations {
    /// XML request bodies escape `\r` and `\n` as `&#xD;` and `&#xA;` (botocore's
    /// `escape_xml_payload`, for DeleteObjects and PutBucketLifecycleConfiguration):
    /// object keys may contain line breaks, which XML parsers would otherwise normalize.
    pub xml_escape_newlines: bool,
    /// `EncodingType=url` is sent when the caller did not set it, and the listed fields
    /// of the response are URL-decoded (`set_list_objects_encoding_type_url` and
    /// `decode_list_object*`).
    pub url_encoding: Option<UrlEncoding>,
    /// A 200 response whose body is an `<Error>` document (or not XML at all) is an
    /// error, and a retryable one (`_handle_200_error`).
    pub error_in_200: bool,
    /// The response body is a bare `<LocationConstraint>` element whose text is the
    /// output's `LocationConstraint` (`parse_get_bucket_location`).
    pub unwrapped_location_constraint: bool,
    /// A HEAD request's 404, which has no body, maps to this modeled error (HeadObject →
    /// `NoSuchKey`, HeadBucket → `NoSuchBucket`); the code stays `404`, as botocore
    /// reports it.
    pub head_not_found: Option<String>,
    /// Raw SSE-C keys become base64 with their MD5 computed when the caller gave none
    /// (`sse_md5`, `copy_source_sse_md5`): (key field, MD5 field, algorithm field), Rust
    /// names. An `AES256` key that is not 32 bytes is refused first.
    pub sse_customer_keys: Vec<(String, String, String)>,
    /// The `CopySource` field, percent-encoded as botocore's `handle_copy_source_param`.
    pub copy_source: Option<String>,
    /// `Expect: 100-continue` when a body is given (`add_expect_header`, which botocore
    /// applies to PutObject and UploadPart bodies).
    pub expect_continue: bool,
    /// The bucket field, checked by `validate_bucket_name` before anything is sent.
    pub validate_bucket: Option<String>,
    /// The metadata field, whose keys and values must be ASCII (`validate_ascii_metadata`).
    pub ascii_metadata: Option<String>,
    /// The output's `Expires` header is read leniently (a value that is not a date is
    /// dropped, not an error) and also kept as text in `ExpiresString`, as botocore's
    /// `handle_expires_header`.
    pub expires_string: bool,
    /// Endpoint resolution always uses path-style addressing (botocore's
    /// `customize_endpoint_resolver_builtins` for GetBucketLocation: the bucket's region
    /// is unknown, and a virtual-hosted request signed for another region is refused).
    pub force_path_style: bool,
}

/// Fields of a list response that S3 URL-encodes when asked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlEncoding {
    /// Top-level output members (model names), such as `Delimiter`.
    pub top_level: Vec<String>,
    /// (list member, member of its items), such as (`Contents`, `Key`).
    pub nested: Vec<(String, String)>,
}

/// The customizations of `op` in `service`.
pub fn for_operation(service: &Service, op: &Operation) -> Customizations {
    if service.service_id != "S3" {
        return Customizations::default();
    }
    let name = op.name.as_str();
    let strings = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let pairs = |names: &[(&str, &str)]| names.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    let url_encoding = match name {
        "ListObjects" => Some(UrlEncoding {
            top_level: strings(&["Delimiter", "Marker", "NextMarker"]),
            nested: pairs(&[("Contents", "Key"), ("CommonPrefixes", "Prefix")]),
        }),
        "ListObjectsV2" => Some(UrlEncoding {
            top_level: strings(&["Delimiter", "Prefix", "StartAfter"]),
            nested: pairs(&[("Contents", "Key"), ("CommonPrefixes", "Prefix")]),
        }),
        "ListObjectVersions" => Some(UrlEncoding {
            top_level: strings(&["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"]),
            nested: pairs(&[("Versions", "Key"), ("DeleteMarkers", "Key"), ("CommonPrefixes", "Prefix")]),
        }),
        _ => None,
    };
    let payload_is_raw = op.output.members.iter().any(|m| {
        m.location == Location::Payload
            && matches!(service.shape(&m.target).kind, ShapeKind::Blob { .. } | ShapeKind::String | ShapeKind::EventStream(_))
    });
    let head_not_found = match name {
        "HeadObject" => Some("NoSuchKey".to_owned()),
        "HeadBucket" => Some("NoSuchBucket".to_owned()),
        _ => None,
    };
    let field = |member: &str| op.input.member(member).map(|m| m.field.clone());
    // botocore registers `sse_md5` for these operations only (GetObjectAttributes and
    // ListParts, for instance, also have an `SSECustomerKey` and send it as given), and
    // `copy_source_sse_md5` for CopyObject and UploadPartCopy.
    let sse_md5 = matches!(
        name,
        "HeadObject"
            | "GetObject"
            | "PutObject"
            | "CopyObject"
            | "CreateMultipartUpload"
            | "UploadPart"
            | "UploadPartCopy"
            | "CompleteMultipartUpload"
            | "SelectObjectContent"
    );
    let copy_source_sse_md5 = matches!(name, "CopyObject" | "UploadPartCopy");
    let sse_customer_keys = [
        (sse_md5, "SSECustomerKey", "SSECustomerKeyMD5", "SSECustomerAlgorithm"),
        (copy_source_sse_md5, "CopySourceSSECustomerKey", "CopySourceSSECustomerKeyMD5", "CopySourceSSECustomerAlgorithm"),
    ]
    .iter()
    .filter(|(applies, ..)| *applies)
    .filter_map(|(_, key, md5, algorithm)| Some((field(key)?, field(md5)?, field(algorithm)?)))
    .collect();
    Customizations {
        sse_customer_keys,
        copy_source: if matches!(name, "CopyObject" | "UploadPartCopy") { field("CopySource") } else { None },
        expect_continue: matches!(name, "PutObject" | "UploadPart"),
        validate_bucket: field("Bucket"),
        ascii_metadata: if matches!(name, "PutObject" | "CopyObject" | "CreateMultipartUpload") { field("Metadata") } else { None },
        expires_string: op.output.member("Expires").is_some_and(|m| matches!(m.location, Location::Header(_))),
        xml_escape_newlines: matches!(name, "DeleteObjects" | "PutBucketLifecycleConfiguration"),
        url_encoding,
        error_in_200: !op.output.members.is_empty() && !payload_is_raw,
        unwrapped_location_constraint: name == "GetBucketLocation",
        force_path_style: name == "GetBucketLocation",
        head_not_found,
    }
}

/// Applies [`for_operation`] to every operation of the service, and removes the
/// leading `/{Bucket}` from S3 request paths: endpoint resolution puts the bucket in
/// the host or the endpoint's path (botocore's `remove_bucket_from_url_paths_from_model`).
pub fn apply(service: &mut Service) {
    let all: Vec<Customizations> = service.operations.iter().map(|op| for_operation(service, op)).collect();
    let is_s3 = service.service_id == "S3";
    if all.iter().any(|c| c.expires_string) {
        service.shapes.entry(EXPIRES_STRING.to_owned()).or_insert_with(|| super::Shape {
            name: EXPIRES_STRING.to_owned(),
            rust_name: EXPIRES_STRING.to_owned(),
            docs: "The `Expires` header as sent.".to_owned(),
            deprecated: None,
            sensitive: false,
            kind: ShapeKind::String,
        });
    }
    for (op, customizations) in service.operations.iter_mut().zip(all) {
        if customizations.expires_string {
            add_expires_string(&mut op.output);
        }
        op.customizations = customizations;
        if is_s3 {
            if let Some(rest) = op.http.path.strip_prefix("/{Bucket}") {
                op.http.path = rest.to_owned();
            }
        }
    }
}

/// The synthetic string shape of `ExpiresString`.
const EXPIRES_STRING: &str = "ExpiresString";

/// Adds `ExpiresString` (the `Expires` header's text) after `Expires`.
fn add_expires_string(output: &mut super::Structure) {
    let Some(index) = output.members.iter().position(|m| m.name == "Expires") else { return };
    let mut member = output.members[index].clone();
    member.name = EXPIRES_STRING.to_owned();
    member.field = "expires_string".to_owned();
    member.target = EXPIRES_STRING.to_owned();
    member.ty = super::RustType::String;
    member.timestamp_format = None;
    member.explicit_timestamp_format = None;
    member.deprecated = None;
    member.docs = "The `Expires` header exactly as the service sent it, kept because `expires` is \
                   dropped when the text is not a date (botocore's `ExpiresString`)."
        .to_owned();
    output.members.insert(index + 1, member);
}
