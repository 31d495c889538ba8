//! Uploads: one PutObject below the threshold, else CreateMultipartUpload, concurrent
//! UploadPart (file parts read at their offsets; stream parts read in turn, at most
//! `max_concurrency` in memory), CompleteMultipartUpload. A failed or dropped upload
//! sends AbortMultipartUpload.

use std::path::Path;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use s3::types::{ChecksumAlgorithm, ChecksumType, CompletedMultipartUpload, CompletedPart};
use s3::Client;
use s3_runtime::checksum::Algorithm;
use s3_runtime::ByteStream;
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::bandwidth::throttle;
use crate::blocking::FileSteps;
use crate::args::{get_checksum, object_args, pass, set_checksum, sse_c, UploadArgs};
use crate::config::{adjust_chunksize, MAX_PARTS};
use crate::error::{ErrorKind, TransferError};
use crate::progress::Tracker;
use crate::window::Window;
use crate::{s3_url, TransferManager};

/// What an upload produced.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadOutput {
    /// The new object's ETag (`"…-N"` for a multipart upload).
    pub e_tag: Option<String>,
    /// Its version, in a versioned bucket.
    pub version_id: Option<String>,
    /// Bytes uploaded.
    pub size: u64,
    /// Parts (0 for a single PutObject).
    pub parts: u32,
}

impl TransferManager {
    /// Uploads the file at `path` (boto3's `upload_file`).
    pub async fn upload_file(
        &self,
        path: impl AsRef<Path>,
        bucket: &str,
        key: &str,
        args: &UploadArgs,
    ) -> Result<UploadOutput, TransferError> {
        let path = path.as_ref();
        // A file below the threshold is read whole (in the same blocking step as its
        // size): its checksum goes in a header, and a retry resends the bytes.
        let (size, small) = read_if_small(&self.file_steps, path, self.config.multipart_threshold).await?;
        let tracker = Tracker::new(self.progress.clone(), &s3_url(bucket, key), Some(size));
        if let Some(body) = small {
            throttle(&self.limiter, size).await;
            let out = self.put_object(bucket, key, ByteStream::from(body), args).await?;
            tracker.add(size);
            return Ok(UploadOutput { size, ..out });
        }
        let part_size = adjust_chunksize(self.config.multipart_chunksize, Some(size));
        let num_parts = size.div_ceil(part_size);
        let mpu = Multipart::create(&self.client, bucket, key, args, Some(args.part_algorithm())).await?;
        let path: Arc<Path> = Arc::from(path);
        let trailer = self.over_tls();
        let mut parts = Vec::with_capacity(num_parts as usize);
        let result = async {
            // Dropped at the end of this block: on failure, parts still running are
            // cancelled before the upload is aborted.
            let mut window = Window::new(self.config.max_concurrency);
            for index in 0..num_parts {
                if window.is_full() {
                    parts.push(window.next().await.expect("running")?.1);
                }
                let offset = index * part_size;
                let len = part_size.min(size - offset);
                let (path, part, tracker) = (path.clone(), mpu.part(index as u32 + 1), tracker.clone());
                let (limiter, steps) = (self.limiter.clone(), self.file_steps.clone());
                window.spawn(index, async move {
                    // The part is streamed from the file, never held. Its checksum goes
                    // where botocore puts it: over TLS in a trailer, computed as the part
                    // is sent; over plain HTTP in a header, so the part is read once
                    // before for it.
                    let checksum = match trailer {
                        true => None,
                        false => Some(part_checksum(&steps, &path, offset, len, part.algorithm()).await?),
                    };
                    let body = ByteStream::from_path_range(&path, offset, len)
                        .await
                        .map_err(|e| TransferError::io(path.display().to_string(), format!("read at {offset}"), e))?;
                    throttle(&limiter, len).await;
                    let done = part.send(body, checksum).await?;
                    tracker.add(len);
                    Ok(done)
                });
            }
            while let Some(done) = window.next().await {
                parts.push(done?.1);
            }
            Ok(())
        }
        .await;
        mpu.finish(result, parts, size).await
    }

    /// Uploads what `reader` yields (boto3's `upload_fileobj`): below the threshold one
    /// PutObject, else multipart with at most `max_concurrency` parts in memory.
    pub async fn upload<R: AsyncRead + Unpin + Send>(
        &self,
        mut reader: R,
        bucket: &str,
        key: &str,
        args: &UploadArgs,
    ) -> Result<UploadOutput, TransferError> {
        let target = s3_url(bucket, key);
        let tracker = Tracker::new(self.progress.clone(), &target, None);
        let threshold = self.config.multipart_threshold;
        let part_size = adjust_chunksize(self.config.multipart_chunksize, None);
        let mut pending = BytesMut::new();
        let first = threshold.max(1);
        let eof = fill(&mut reader, &mut pending, first, &target).await?;
        if eof && (pending.len() as u64) < threshold {
            let size = pending.len() as u64;
            throttle(&self.limiter, size).await;
            let out = self.put_object(bucket, key, ByteStream::from(pending.freeze()), args).await?;
            tracker.add(size);
            return Ok(UploadOutput { size, ..out });
        }
        let mpu = Multipart::create(&self.client, bucket, key, args, Some(args.part_algorithm())).await?;
        let mut parts = Vec::new();
        let mut size = 0u64;
        let result = async {
            let mut window = Window::new(self.config.max_concurrency);
            let mut eof = eof;
            let mut index = 0u64;
            loop {
                if !eof && (pending.len() as u64) < part_size {
                    eof = fill(&mut reader, &mut pending, part_size, &target).await?;
                }
                if pending.is_empty() && (eof && index > 0) {
                    break;
                }
                let body: Bytes = pending.split_to(pending.len().min(part_size as usize)).freeze();
                if index >= MAX_PARTS {
                    return Err(TransferError::new(ErrorKind::InvalidInput, target.clone(), "UploadPart")
                        .with_source(format!("the stream needs more than {MAX_PARTS} parts of {part_size} bytes")));
                }
                if window.is_full() {
                    parts.push(window.next().await.expect("running")?.1);
                }
                let len = body.len() as u64;
                size += len;
                let (part, tracker) = (mpu.part(index as u32 + 1), tracker.clone());
                let limiter = self.limiter.clone();
                window.spawn(index, async move {
                    throttle(&limiter, len).await;
                    let done = part.send(ByteStream::from(body), None).await?;
                    tracker.add(len);
                    Ok(done)
                });
                index += 1;
                if eof && pending.is_empty() {
                    break;
                }
            }
            while let Some(done) = window.next().await {
                parts.push(done?.1);
            }
            Ok(())
        }
        .await;
        mpu.finish(result, parts, size).await
    }

    /// Whether requests go over TLS: the default AWS endpoints, or an `https://`
    /// endpoint URL.
    fn over_tls(&self) -> bool {
        self.client.config().endpoint_url().is_none_or(|url| url.to_ascii_lowercase().starts_with("https://"))
    }

    async fn put_object(&self, bucket: &str, key: &str, body: ByteStream, args: &UploadArgs) -> Result<UploadOutput, TransferError> {
        let mut req = object_args!(self.client.put_object().bucket(bucket).key(key).body(body), args)
            .set_tagging(args.tagging.clone());
        match &args.full_object_checksum {
            Some((alg, value)) => req = set_checksum!(req, alg.clone(), Some(value.clone())),
            None => req = req.checksum_algorithm(args.part_algorithm()),
        }
        let out = req.send().await.map_err(|e| TransferError::request(&s3_url(bucket, key), "PutObject", e))?;
        Ok(UploadOutput { e_tag: out.e_tag, version_id: out.version_id, size: 0, parts: 0 })
    }
}

/// Reads `reader` into `buf` until it holds `want` bytes; true at end of input.
async fn fill<R: AsyncRead + Unpin>(reader: &mut R, buf: &mut BytesMut, want: u64, target: &str) -> Result<bool, TransferError> {
    while (buf.len() as u64) < want {
        buf.reserve((want as usize - buf.len()).min(1 << 20));
        let n = reader.read_buf(buf).await.map_err(|e| TransferError::io(target, "read", e))?;
        if n == 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The size of the file at `path`, and its bytes when it is smaller than `threshold`:
/// one blocking step.
async fn read_if_small(steps: &FileSteps, path: &Path, threshold: u64) -> Result<(u64, Option<Bytes>), TransferError> {
    let owned = path.to_path_buf();
    let read = steps.run(move || {
        use std::io::Read;
        let mut file = std::fs::File::open(&owned)?;
        let size = file.metadata()?.len();
        if size >= threshold {
            return Ok((size, None));
        }
        let mut buf = Vec::with_capacity(size as usize);
        file.by_ref().take(size).read_to_end(&mut buf)?;
        if (buf.len() as u64) < size {
            let short = format!("the file ended {} bytes before its size of {size}", size - buf.len() as u64);
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, short));
        }
        Ok((size, Some(Bytes::from(buf))))
    });
    read.await.map_err(|e| TransferError::io(path.display().to_string(), "read", e))
}

/// The `algorithm` checksum of the `len` bytes of the file at `offset`, read in pieces
/// in one blocking step.
async fn part_checksum(steps: &FileSteps, path: &Arc<Path>, offset: u64, len: u64, algorithm: &ChecksumAlgorithm) -> Result<String, TransferError> {
    let shown = path.display().to_string();
    let algorithm = Algorithm::from_name(algorithm.as_str()).ok_or_else(|| {
        TransferError::new(ErrorKind::InvalidInput, &shown, "checksum").with_source(format!("unsupported checksum algorithm `{}`", algorithm.as_str()))
    })?;
    let path = path.clone();
    let read = steps.run(move || {
        use std::io::{Read, Seek};
        let mut file = std::fs::File::open(&path)?;
        file.seek(std::io::SeekFrom::Start(offset))?;
        let mut hasher = algorithm.hasher();
        let mut buf = vec![0; CHECKSUM_BUFFER.min(len as usize)];
        let mut left = len;
        while left > 0 {
            let want = buf.len().min(left as usize);
            let n = match file.read(&mut buf[..want]) {
                Ok(0) => return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, format!("the file ended {left} bytes early"))),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&buf[..n]);
            left -= n as u64;
        }
        Ok(hasher.finish())
    });
    read.await.map_err(|e| TransferError::io(&shown, format!("read at {offset}"), e))
}

/// How much of a part is read at a time for its checksum.
const CHECKSUM_BUFFER: usize = 256 << 10;

/// A multipart upload in progress; aborted when dropped unfinished.
pub(crate) struct Multipart {
    client: Client,
    bucket: String,
    key: String,
    upload_id: String,
    args: Arc<UploadArgs>,
    armed: bool,
}

impl Multipart {
    /// CreateMultipartUpload with `args` (and `algorithm` as `ChecksumAlgorithm`).
    pub(crate) async fn create(
        client: &Client,
        bucket: &str,
        key: &str,
        args: &UploadArgs,
        algorithm: Option<ChecksumAlgorithm>,
    ) -> Result<Multipart, TransferError> {
        let mut req = object_args!(client.create_multipart_upload().bucket(bucket).key(key), args)
            .set_tagging(args.tagging.clone())
            .set_checksum_algorithm(algorithm);
        if args.full_object_checksum.is_some() {
            req = req.checksum_type(ChecksumType::FullObject);
        }
        Self::created(client, bucket, key, args, req.send().await.map(|o| o.upload_id))
    }

    pub(crate) fn created<E: std::error::Error + Send + Sync + 'static>(
        client: &Client,
        bucket: &str,
        key: &str,
        args: &UploadArgs,
        upload_id: Result<Option<String>, E>,
    ) -> Result<Multipart, TransferError> {
        let target = s3_url(bucket, key);
        let upload_id = upload_id
            .map_err(|e| TransferError::request(&target, "CreateMultipartUpload", e))?
            .ok_or_else(|| TransferError::new(ErrorKind::InvalidResponse, &target, "CreateMultipartUpload").with_source("no UploadId"))?;
        Ok(Multipart {
            client: client.clone(),
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            upload_id,
            args: Arc::new(args.clone()),
            armed: true,
        })
    }

    pub(crate) fn upload_id(&self) -> &str {
        &self.upload_id
    }

    fn part(&self, number: u32) -> PartUpload {
        PartUpload {
            client: self.client.clone(),
            bucket: self.bucket.clone(),
            key: self.key.clone(),
            upload_id: self.upload_id.clone(),
            algorithm: self.args.part_algorithm(),
            args: self.args.clone(),
            number,
        }
    }

    /// Completes the upload after `result` (the parts' outcome), or aborts it.
    pub(crate) async fn finish(
        mut self,
        result: Result<(), TransferError>,
        mut parts: Vec<CompletedPart>,
        size: u64,
    ) -> Result<UploadOutput, TransferError> {
        if let Err(err) = result {
            self.abort().await;
            return Err(err);
        }
        parts.sort_by_key(|p| p.part_number);
        let count = parts.len() as u32;
        let args = self.args.clone();
        let req = self
            .client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build());
        let req = pass!(req, args; request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner);
        let mut req = sse_c!(req, args.sse_customer, set_sse_customer_algorithm, set_sse_customer_key, set_sse_customer_key_md5);
        if let Some((alg, value)) = &args.full_object_checksum {
            req = set_checksum!(req.checksum_type(ChecksumType::FullObject), alg.clone(), Some(value.clone()));
        }
        match req.send().await {
            Ok(out) => {
                self.armed = false;
                Ok(UploadOutput { e_tag: out.e_tag, version_id: out.version_id, size, parts: count })
            }
            Err(e) => {
                self.abort().await;
                Err(TransferError::request(&s3_url(&self.bucket, &self.key), "CompleteMultipartUpload", e))
            }
        }
    }

    fn abort_request(&self) -> s3::operation::abort_multipart_upload::builders::AbortMultipartUploadFluentBuilder {
        let req = self.client.abort_multipart_upload().bucket(&self.bucket).key(&self.key).upload_id(&self.upload_id);
        pass!(req, self.args; request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner)
    }

    pub(crate) async fn abort(&mut self) {
        self.armed = false;
        // The transfer's own error is what the caller needs; an abort that fails too
        // leaves the upload to a lifecycle rule, as s3transfer does.
        let _ = self.abort_request().send().await;
    }
}

impl Drop for Multipart {
    fn drop(&mut self) {
        if self.armed {
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                let req = self.abort_request();
                handle.spawn(async move {
                    let _ = req.send().await;
                });
            }
        }
    }
}

/// One part's UploadPart request.
pub(crate) struct PartUpload {
    client: Client,
    bucket: String,
    key: String,
    upload_id: String,
    args: Arc<UploadArgs>,
    algorithm: ChecksumAlgorithm,
    number: u32,
}

impl PartUpload {
    fn algorithm(&self) -> &ChecksumAlgorithm {
        &self.algorithm
    }

    /// Sends the part; `checksum` is its value when already computed (else the client
    /// computes it from `body` in memory).
    async fn send(self, body: ByteStream, checksum: Option<String>) -> Result<CompletedPart, TransferError> {
        let alg = self.algorithm.clone();
        let req = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .part_number(self.number as i32)
            .body(body)
            .checksum_algorithm(alg.clone());
        let req = match checksum {
            Some(value) => set_checksum!(req, alg.clone(), Some(value)),
            None => req,
        };
        let req = pass!(req, self.args; request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner);
        let req = sse_c!(req, self.args.sse_customer, set_sse_customer_algorithm, set_sse_customer_key, set_sse_customer_key_md5);
        let out = req.send().await.map_err(|e| {
            TransferError::request(&s3_url(&self.bucket, &self.key), format!("UploadPart {}", self.number), e).with_part(self.number)
        })?;
        let part = CompletedPart::builder().set_e_tag(out.e_tag.clone()).part_number(self.number as i32);
        Ok(set_checksum!(part, alg.clone(), get_checksum!(out, alg)).build())
    }
}
