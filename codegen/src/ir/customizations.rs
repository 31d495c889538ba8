//! Service-specific behaviour that botocore implements in handlers rather than in the
//! model, kept in one place (like botocore's `handlers.py`) instead of scattered checks.

/// Operations whose XML request bodies escape `\r` and `\n` as `&#xD;` and `&#xA;`
/// (botocore's `escape_xml_payload`, registered for S3's DeleteObjects and
/// PutBucketLifecycleConfiguration): object keys and prefixes may contain line breaks,
/// which XML parsers would otherwise normalize.
pub fn escapes_xml_newlines(service_id: &str, operation: &str) -> bool {
    service_id == "S3" && matches!(operation, "DeleteObjects" | "PutBucketLifecycleConfiguration")
}
