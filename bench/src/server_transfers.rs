//! What the managed transfers need of the bench server, still storing nothing:
//! multipart uploads (create, parts, complete), HEAD with the object's length, ranged
//! GETs, and a paginated ListObjectsV2 of the `dir/` prefix (1000 keys of 64 KiB).
//!
//! Object sizes come from the key: `big/<size>` is `size` bytes, `dir/...` 64 KiB.

use bytes::Bytes;

/// Files under `dir/` and their size.
pub const DIR_FILES: usize = 1000;
pub const DIR_FILE_SIZE: u64 = 64 * 1024;

/// The size of the object at `key`, when the server has one there.
pub fn object_size(key: &str) -> Option<u64> {
    if let Some(size) = key.strip_prefix("big/") {
        return size.parse().ok();
    }
    key.strip_prefix("dir/").filter(|k| !k.is_empty()).map(|_| DIR_FILE_SIZE)
}

/// The key of the `i`th file under `dir/`.
pub fn dir_key(i: usize) -> String {
    format!("dir/f{i:04}")
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` of an object of `size` bytes: the inclusive
/// range, or `None` when it is not satisfiable.
pub fn parse_range(header: &str, size: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.is_empty(), b.is_empty()) {
        (true, false) => (size.saturating_sub(b.parse().ok()?), size.checked_sub(1)?),
        (false, true) => (a.parse().ok()?, size.checked_sub(1)?),
        (false, false) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(size.checked_sub(1)?)),
        (true, true) => return None,
    };
    (start <= end && start < size).then_some((start, end))
}

/// A query parameter's (undecoded) value.
pub fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then_some(v)
    })
}

/// One ListObjectsV2 page of `dir/`: keys after the continuation token (an index),
/// at most `max-keys` (S3's cap of 1000).
pub fn dir_page(query: &str) -> Bytes {
    let start: usize = query_param(query, "continuation-token").and_then(|t| t.parse().ok()).unwrap_or(0);
    let max: usize = query_param(query, "max-keys").and_then(|m| m.parse().ok()).unwrap_or(1000).clamp(1, 1000);
    let end = (start + max).min(DIR_FILES);
    let truncated = end < DIR_FILES;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    xml.push_str(&format!(
        "<Name>bench</Name><Prefix>dir/</Prefix><KeyCount>{}</KeyCount><MaxKeys>{max}</MaxKeys><IsTruncated>{truncated}</IsTruncated>",
        end.saturating_sub(start)
    ));
    if let Some(token) = query_param(query, "continuation-token") {
        xml.push_str(&format!("<ContinuationToken>{token}</ContinuationToken>"));
    }
    if truncated {
        xml.push_str(&format!("<NextContinuationToken>{end}</NextContinuationToken>"));
    }
    if query_param(query, "encoding-type") == Some("url") {
        xml.push_str("<EncodingType>url</EncodingType>");
    }
    for i in start..end {
        xml.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>2026-11-25T12:00:00.000Z</LastModified>\
             <ETag>&quot;{i:032x}&quot;</ETag><Size>{DIR_FILE_SIZE}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            dir_key(i)
        ));
    }
    xml.push_str("</ListBucketResult>");
    Bytes::from(xml)
}

/// CreateMultipartUpload's answer.
pub fn create_multipart(key: &str) -> Bytes {
    Bytes::from(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Bucket>bench</Bucket><Key>{key}</Key><UploadId>bench-upload-1</UploadId></InitiateMultipartUploadResult>"
    ))
}

/// CompleteMultipartUpload's answer.
pub fn complete_multipart(key: &str) -> Bytes {
    Bytes::from(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Location>http://127.0.0.1/bench/{key}</Location><Bucket>bench</Bucket><Key>{key}</Key>\
         <ETag>\"3858f62230ac3c915f300c664312c11f-1\"</ETag></CompleteMultipartUploadResult>"
    ))
}
