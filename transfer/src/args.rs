//! Typed extra arguments: s3transfer's `ALLOWED_UPLOAD_ARGS`, `ALLOWED_DOWNLOAD_ARGS`
//! and `ALLOWED_COPY_ARGS`, and which of them go to which request.

use std::fmt;

use s3::types::{
    ChecksumAlgorithm, ChecksumMode, MetadataDirective, ObjectCannedAcl, ObjectLockLegalHoldStatus, ObjectLockMode,
    RequestPayer, ServerSideEncryption, StorageClass, TaggingDirective,
};
use s3_runtime::{DateTime, IndexMap};

/// A secret value (an SSE-C key): never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub(crate) fn expose(this: &Option<Secret>) -> Option<String> {
        this.as_ref().map(|s| s.0.clone())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*** secret ***")
    }
}

impl<S: Into<String>> From<S> for Secret {
    fn from(value: S) -> Self {
        Secret(value.into())
    }
}

/// SSE-C: the algorithm (`AES256`) and the raw key; its MD5 is added by the client.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SseCustomer {
    /// `SSECustomerAlgorithm`.
    pub algorithm: Option<String>,
    /// `SSECustomerKey` (raw or base64, as the client accepts it).
    pub key: Option<Secret>,
    /// `SSECustomerKeyMD5`, when the caller computes it.
    pub key_md5: Option<String>,
}

impl SseCustomer {
    /// AES256 with `key`.
    pub fn aes256(key: impl Into<Secret>) -> Self {
        SseCustomer { algorithm: Some("AES256".to_owned()), key: Some(key.into()), key_md5: None }
    }
}

/// Arguments of an upload (s3transfer's `ALLOWED_UPLOAD_ARGS`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UploadArgs {
    pub acl: Option<ObjectCannedAcl>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub content_type: Option<String>,
    /// The per-part (or PutObject) checksum; CRC32 when unset, as s3transfer.
    pub checksum_algorithm: Option<ChecksumAlgorithm>,
    /// A full-object checksum the caller computed (algorithm, base64 value): sent on
    /// PutObject, or with `ChecksumType=FULL_OBJECT` on CompleteMultipartUpload.
    pub full_object_checksum: Option<(ChecksumAlgorithm, String)>,
    pub expected_bucket_owner: Option<String>,
    pub expires: Option<DateTime>,
    pub grant_full_control: Option<String>,
    pub grant_read: Option<String>,
    pub grant_read_acp: Option<String>,
    pub grant_write_acp: Option<String>,
    pub metadata: Option<IndexMap<String, String>>,
    pub object_lock_legal_hold_status: Option<ObjectLockLegalHoldStatus>,
    pub object_lock_mode: Option<ObjectLockMode>,
    pub object_lock_retain_until_date: Option<DateTime>,
    pub request_payer: Option<RequestPayer>,
    pub server_side_encryption: Option<ServerSideEncryption>,
    pub storage_class: Option<StorageClass>,
    pub sse_customer: SseCustomer,
    pub ssekms_key_id: Option<String>,
    pub ssekms_encryption_context: Option<String>,
    pub tagging: Option<String>,
    pub website_redirect_location: Option<String>,
}

/// Arguments of a download (s3transfer's `ALLOWED_DOWNLOAD_ARGS`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DownloadArgs {
    pub checksum_mode: Option<ChecksumMode>,
    pub version_id: Option<String>,
    pub sse_customer: SseCustomer,
    pub request_payer: Option<RequestPayer>,
    pub expected_bucket_owner: Option<String>,
}

/// Arguments of a copy (s3transfer's `ALLOWED_COPY_ARGS`): the upload set, the source's
/// conditions and SSE-C key, and the metadata and tagging directives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CopyArgs {
    /// What the new object gets (its metadata, encryption, storage class, …).
    pub dest: UploadArgs,
    /// The source's version.
    pub source_version_id: Option<String>,
    pub copy_source_if_match: Option<String>,
    pub copy_source_if_modified_since: Option<DateTime>,
    pub copy_source_if_none_match: Option<String>,
    pub copy_source_if_unmodified_since: Option<DateTime>,
    /// The source's SSE-C key.
    pub copy_source_sse_customer: SseCustomer,
    pub metadata_directive: Option<MetadataDirective>,
    pub tagging_directive: Option<TaggingDirective>,
}

/// Sets each listed member of `$args` on the fluent builder `$b`.
macro_rules! pass {
    ($b:expr, $args:expr; $($field:ident => $setter:ident),* $(,)?) => {{
        let b = $b;
        $( let b = b.$setter($args.$field.clone()); )*
        b
    }};
}
pub(crate) use pass;

/// Sets the SSE-C members of `$sse` with `$alg`, `$key`, `$md5` setters.
macro_rules! sse_c {
    ($b:expr, $sse:expr, $alg:ident, $key:ident, $md5:ident) => {{
        let sse = &$sse;
        $b.$alg(sse.algorithm.clone()).$key($crate::args::Secret::expose(&sse.key)).$md5(sse.key_md5.clone())
    }};
}
pub(crate) use sse_c;

/// The members every object-creating request of an upload or copy takes.
macro_rules! object_args {
    ($b:expr, $a:expr) => {{
        let a = &$a;
        let b = $crate::args::pass!($b, a;
            acl => set_acl, cache_control => set_cache_control,
            content_disposition => set_content_disposition, content_encoding => set_content_encoding,
            content_language => set_content_language, content_type => set_content_type,
            expected_bucket_owner => set_expected_bucket_owner, expires => set_expires,
            grant_full_control => set_grant_full_control, grant_read => set_grant_read,
            grant_read_acp => set_grant_read_acp, grant_write_acp => set_grant_write_acp,
            metadata => set_metadata, object_lock_legal_hold_status => set_object_lock_legal_hold_status,
            object_lock_mode => set_object_lock_mode, object_lock_retain_until_date => set_object_lock_retain_until_date,
            request_payer => set_request_payer, server_side_encryption => set_server_side_encryption,
            storage_class => set_storage_class, ssekms_key_id => set_ssekms_key_id,
            ssekms_encryption_context => set_ssekms_encryption_context,
            website_redirect_location => set_website_redirect_location,
        );
        $crate::args::sse_c!(b, a.sse_customer, set_sse_customer_algorithm, set_sse_customer_key, set_sse_customer_key_md5)
    }};
}
pub(crate) use object_args;

/// Sets the checksum member for `algorithm` to `value` on a builder with
/// `set_checksum_*` setters (UploadPart output to CompletedPart, full-object values).
macro_rules! set_checksum {
    ($b:expr, $alg:expr, $value:expr) => {{
        let b = $b;
        let v: Option<String> = $value;
        match $alg {
            s3::types::ChecksumAlgorithm::Crc32 => b.set_checksum_crc32(v),
            s3::types::ChecksumAlgorithm::Crc32c => b.set_checksum_crc32c(v),
            s3::types::ChecksumAlgorithm::Crc64nvme => b.set_checksum_crc64nvme(v),
            s3::types::ChecksumAlgorithm::Sha1 => b.set_checksum_sha1(v),
            s3::types::ChecksumAlgorithm::Sha256 => b.set_checksum_sha256(v),
            s3::types::ChecksumAlgorithm::Sha512 => b.set_checksum_sha512(v),
            s3::types::ChecksumAlgorithm::Md5 => b.set_checksum_md5(v),
            s3::types::ChecksumAlgorithm::Xxhash64 => b.set_checksum_xxhash64(v),
            s3::types::ChecksumAlgorithm::Xxhash3 => b.set_checksum_xxhash3(v),
            s3::types::ChecksumAlgorithm::Xxhash128 => b.set_checksum_xxhash128(v),
            _ => b,
        }
    }};
}
pub(crate) use set_checksum;

/// The checksum member for `algorithm` of an output with `checksum_*` fields.
macro_rules! get_checksum {
    ($out:expr, $alg:expr) => {{
        let o = &$out;
        match $alg {
            s3::types::ChecksumAlgorithm::Crc32 => o.checksum_crc32.clone(),
            s3::types::ChecksumAlgorithm::Crc32c => o.checksum_crc32c.clone(),
            s3::types::ChecksumAlgorithm::Crc64nvme => o.checksum_crc64nvme.clone(),
            s3::types::ChecksumAlgorithm::Sha1 => o.checksum_sha1.clone(),
            s3::types::ChecksumAlgorithm::Sha256 => o.checksum_sha256.clone(),
            s3::types::ChecksumAlgorithm::Sha512 => o.checksum_sha512.clone(),
            s3::types::ChecksumAlgorithm::Md5 => o.checksum_md5.clone(),
            s3::types::ChecksumAlgorithm::Xxhash64 => o.checksum_xxhash64.clone(),
            s3::types::ChecksumAlgorithm::Xxhash3 => o.checksum_xxhash3.clone(),
            s3::types::ChecksumAlgorithm::Xxhash128 => o.checksum_xxhash128.clone(),
            _ => None,
        }
    }};
}
pub(crate) use get_checksum;

impl UploadArgs {
    /// The per-part algorithm: the caller's, the full-object checksum's, or CRC32.
    pub(crate) fn part_algorithm(&self) -> ChecksumAlgorithm {
        if let Some((alg, _)) = &self.full_object_checksum {
            return alg.clone();
        }
        self.checksum_algorithm.clone().unwrap_or(ChecksumAlgorithm::Crc32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_c_keys_are_not_shown() {
        let args = UploadArgs { sse_customer: SseCustomer::aes256("0123456789abcdef0123456789abcdef"), ..Default::default() };
        let shown = format!("{args:?}");
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
        assert!(shown.contains("AES256"), "{shown}");
    }
}
