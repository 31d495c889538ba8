//! Copies: HeadObject of the source (size, ETag, metadata), then one CopyObject below
//! the threshold, else CreateMultipartUpload, concurrent UploadPartCopy
//! (`CopySourceRange`, `CopySourceIfMatch: <ETag>`), CompleteMultipartUpload.
//!
//! Metadata and tags, as s3transfer: CopyObject copies both (unless the directives say
//! `REPLACE`). A multipart copy carries the source's content headers, `Expires` and
//! user metadata over to the new object (unless `metadata_directive` is `REPLACE`,
//! then the arguments' values are used). Its tags are set after it is completed, with
//! PutObjectTagging, only when `tagging_directive` says so: `COPY`, the source's (read
//! with GetObjectTagging); `REPLACE`, those of the `tagging` argument.

use std::sync::Arc;

use s3::types::{CompletedPart, MetadataDirective, Tag, TaggingDirective};
use s3::Client;

use crate::args::{get_checksum, object_args, pass, set_checksum, sse_c, CopyArgs, UploadArgs};
use crate::config::{adjust_chunksize, range};
use crate::error::{ErrorKind, TransferError};
use crate::progress::Tracker;
use crate::upload::Multipart;
use crate::window::Window;
use crate::{s3_url, TransferManager};

/// What a copy produced.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CopyOutput {
    /// The new object's ETag.
    pub e_tag: Option<String>,
    /// Its version, in a versioned bucket.
    pub version_id: Option<String>,
    /// The object's size.
    pub size: u64,
    /// Parts (0 for a single CopyObject).
    pub parts: u32,
}

impl TransferManager {
    /// Copies `source_bucket/source_key` to `bucket/key` (boto3's `copy`): one
    /// CopyObject below the threshold, else a multipart copy with UploadPartCopy (so
    /// objects over 5 GB copy).
    ///
    /// Metadata and tags, as s3transfer: CopyObject copies both (unless the directives
    /// say `REPLACE`). A multipart copy carries over the source's `Cache-Control`,
    /// `Content-*` headers, `Expires` and user metadata (unless `metadata_directive` is
    /// `REPLACE`: then the arguments' values). Its tags are set once it is complete
    /// (PutObjectTagging), only when `tagging_directive` says so: the source's with
    /// `COPY` (GetObjectTagging), the `tagging` argument's with `REPLACE`; without a
    /// directive it has none. Object annotations are not copied (s3transfer's
    /// `AnnotationDirective`).
    pub async fn copy(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
        args: &CopyArgs,
    ) -> Result<CopyOutput, TransferError> {
        let source_url = s3_url(source_bucket, source_key);
        let target = s3_url(bucket, key);
        let mut copy_source = format!("{source_bucket}/{source_key}");
        if let Some(version) = &args.source_version_id {
            copy_source.push_str("?versionId=");
            copy_source.push_str(version);
        }
        let head = self.client.head_object().bucket(source_bucket).key(source_key).set_version_id(args.source_version_id.clone());
        let head = pass!(head, args; copy_source_if_match => set_if_match, copy_source_if_modified_since => set_if_modified_since,
            copy_source_if_none_match => set_if_none_match, copy_source_if_unmodified_since => set_if_unmodified_since);
        let head = pass!(head, args.dest; request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner);
        let head = sse_c!(head, args.copy_source_sse_customer, set_sse_customer_algorithm, set_sse_customer_key, set_sse_customer_key_md5);
        let head = head.send().await.map_err(|e| TransferError::request(&source_url, "HeadObject", e))?;
        let size = head
            .content_length
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| TransferError::new(ErrorKind::InvalidResponse, &source_url, "HeadObject").with_source("no Content-Length"))?;
        let tracker = Tracker::new(self.progress.clone(), &target, Some(size));
        let dest = &args.dest;
        // s3transfer adds its CRC32 default to uploads only, not to copies.
        let algorithm = match &dest.full_object_checksum {
            Some((alg, _)) => Some(alg.clone()),
            None => dest.checksum_algorithm.clone(),
        };

        if size < self.config.multipart_threshold {
            let req = object_args!(self.client.copy_object().bucket(bucket).key(key).copy_source(&copy_source), dest)
                .set_tagging(dest.tagging.clone())
                .set_checksum_algorithm(algorithm);
            let req = pass!(req, args; copy_source_if_match => set_copy_source_if_match,
                copy_source_if_modified_since => set_copy_source_if_modified_since,
                copy_source_if_none_match => set_copy_source_if_none_match,
                copy_source_if_unmodified_since => set_copy_source_if_unmodified_since,
                metadata_directive => set_metadata_directive, tagging_directive => set_tagging_directive);
            let req = sse_c!(req, args.copy_source_sse_customer, set_copy_source_sse_customer_algorithm,
                set_copy_source_sse_customer_key, set_copy_source_sse_customer_key_md5);
            let out = req.send().await.map_err(|e| TransferError::request(&target, "CopyObject", e))?;
            tracker.add(size);
            return Ok(CopyOutput {
                e_tag: out.copy_object_result.and_then(|r| r.e_tag),
                version_id: out.version_id,
                size,
                parts: 0,
            });
        }

        // The new object's arguments, with the source's metadata unless REPLACE.
        let mut create = UploadArgs { tagging: None, ..dest.clone() };
        if args.metadata_directive != Some(MetadataDirective::Replace) {
            create.cache_control = head.cache_control.clone();
            create.content_disposition = head.content_disposition.clone();
            create.content_encoding = head.content_encoding.clone();
            create.content_language = head.content_language.clone();
            create.content_type = head.content_type.clone();
            create.expires = head.expires;
            create.metadata = head.metadata.clone();
        }
        let part_size = adjust_chunksize(self.config.multipart_chunksize, Some(size));
        let num_parts = size.div_ceil(part_size);
        let mpu = Multipart::create(&self.client, bucket, key, &create, algorithm.clone()).await?;
        let mut parts = Vec::with_capacity(num_parts as usize);
        let shared = Arc::new((self.client.clone(), args.clone(), copy_source, head.e_tag.clone()));
        let result = async {
            let mut window = Window::new(self.config.max_concurrency);
            for index in 0..num_parts {
                if window.is_full() {
                    parts.push(window.next().await.expect("running")?.1);
                }
                let number = index as u32 + 1;
                let len = part_size.min(size - index * part_size);
                let source_range = range(part_size, index, num_parts, Some(size));
                let (shared, upload_id, tracker) = (shared.clone(), mpu.upload_id().to_owned(), tracker.clone());
                let (bucket, key) = (bucket.to_owned(), key.to_owned());
                window.spawn(index, async move {
                    let (client, args, copy_source, e_tag) = &*shared;
                    let part = copy_part(client, args, copy_source, e_tag, &bucket, &key, &upload_id, number, source_range).await?;
                    tracker.add(len);
                    Ok(part)
                });
            }
            while let Some(done) = window.next().await {
                parts.push(done?.1);
            }
            Ok(())
        }
        .await;
        let done = mpu.finish(result, parts, size).await?;
        let tags = match &args.tagging_directive {
            Some(TaggingDirective::Copy) => Some(self.source_tags(source_bucket, source_key, args).await?),
            Some(TaggingDirective::Replace) => Some(query_tags(dest.tagging.as_deref().unwrap_or("")).map_err(|e| {
                TransferError::new(ErrorKind::InvalidInput, &target, "PutObjectTagging").with_source(e)
            })?),
            _ => None,
        };
        if let Some(tags) = tags.filter(|t| !t.is_empty()) {
            self.put_tags(bucket, key, args, done.version_id.clone(), tags).await?;
        }
        Ok(CopyOutput { e_tag: done.e_tag, version_id: done.version_id, size, parts: done.parts })
    }

    /// The source's tags (GetObjectTagging), for `TaggingDirective=COPY` after a
    /// multipart copy (s3transfer's `_apply_tags`).
    async fn source_tags(&self, source_bucket: &str, source_key: &str, args: &CopyArgs) -> Result<Vec<Tag>, TransferError> {
        let get = self.client.get_object_tagging().bucket(source_bucket).key(source_key).set_version_id(args.source_version_id.clone());
        let get = pass!(get, args.dest; request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner);
        let tags = get.send().await.map_err(|e| TransferError::request(&s3_url(source_bucket, source_key), "GetObjectTagging", e))?;
        Ok(tags.tag_set.unwrap_or_default())
    }

    /// PutObjectTagging on the new object (its version, in a versioned bucket).
    async fn put_tags(&self, bucket: &str, key: &str, args: &CopyArgs, version_id: Option<String>, tags: Vec<Tag>) -> Result<(), TransferError> {
        let target = s3_url(bucket, key);
        let tagging = s3::types::Tagging::builder()
            .set_tag_set(Some(tags))
            .build()
            .map_err(|e| TransferError::new(ErrorKind::InvalidInput, &target, "PutObjectTagging").with_source(e))?;
        let put = self.client.put_object_tagging().bucket(bucket).key(key).tagging(tagging).set_version_id(version_id);
        let put = pass!(put, args.dest; request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner,
            checksum_algorithm => set_checksum_algorithm);
        put.send().await.map_err(|e| TransferError::request(&target, "PutObjectTagging", e))?;
        Ok(())
    }
}

/// The tags of a `Tagging` argument (`k1=v1&k2=v2`, URL-encoded), as Python's
/// `parse_qsl(…, keep_blank_values=True)` reads it: `+` is a space, `%XX` a byte (text
/// decoded as UTF-8, bad sequences replaced), a pair without `=` a key with an empty
/// value, empty pairs skipped.
fn query_tags(query: &str) -> Result<Vec<Tag>, s3_runtime::BuildError> {
    let decode = |text: &str| {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                        (Some(h), Some(l)) => {
                            out.push((h * 16 + l) as u8);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Tag::builder().key(decode(k)).value(decode(v)).build()
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn copy_part(
    client: &Client,
    args: &CopyArgs,
    copy_source: &str,
    e_tag: &Option<String>,
    bucket: &str,
    key: &str,
    upload_id: &str,
    number: u32,
    source_range: String,
) -> Result<CompletedPart, TransferError> {
    let req = client
        .upload_part_copy()
        .bucket(bucket)
        .key(key)
        .copy_source(copy_source)
        .upload_id(upload_id)
        .part_number(number as i32)
        .copy_source_range(source_range.clone());
    let req = pass!(req, args; copy_source_if_match => set_copy_source_if_match,
        copy_source_if_modified_since => set_copy_source_if_modified_since,
        copy_source_if_none_match => set_copy_source_if_none_match,
        copy_source_if_unmodified_since => set_copy_source_if_unmodified_since);
    let req = match e_tag {
        Some(tag) => req.copy_source_if_match(tag),
        None => req,
    };
    let req = pass!(req, args.dest; request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner);
    let req = sse_c!(req, args.dest.sse_customer, set_sse_customer_algorithm, set_sse_customer_key, set_sse_customer_key_md5);
    let req = sse_c!(req, args.copy_source_sse_customer, set_copy_source_sse_customer_algorithm,
        set_copy_source_sse_customer_key, set_copy_source_sse_customer_key_md5);
    let target = s3_url(bucket, key);
    let out = req.send().await.map_err(|e| {
        let changed = e.as_service_error().and_then(|s| s.code()) == Some("PreconditionFailed");
        let kind = if changed { ErrorKind::ObjectChanged } else { ErrorKind::Request };
        TransferError::new(kind, &target, format!("UploadPartCopy {number} {source_range}")).with_source(e).with_part(number)
    })?;
    let result = out.copy_part_result.unwrap_or_default();
    let part = CompletedPart::builder().set_e_tag(result.e_tag.clone()).part_number(number as i32);
    Ok(match &args.dest.checksum_algorithm {
        Some(alg) => set_checksum!(part, alg.clone(), get_checksum!(result, alg.clone())).build(),
        None => part.build(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        query_tags(query).unwrap().into_iter().map(|t| (t.key.unwrap(), t.value.unwrap())).collect()
    }

    #[test]
    fn tagging_arguments_read_as_parse_qsl() {
        let own = |v: &[(&str, &str)]| v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        assert_eq!(pairs("a=1&b=x%20y+z&c="), own(&[("a", "1"), ("b", "x y z"), ("c", "")]));
        assert_eq!(pairs("&k&&=v&%E2%9C%93=%zz%4"), own(&[("k", ""), ("", "v"), ("✓", "%zz%4")]));
        assert_eq!(pairs("a=b=c&%ff=1"), own(&[("a", "b=c"), ("\u{fffd}", "1")]));
        assert!(pairs("").is_empty());
    }
}
