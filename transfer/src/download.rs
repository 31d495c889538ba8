//! Downloads: HeadObject (size and ETag), then one GetObject below the threshold, else
//! concurrent ranged GetObjects with `If-Match: <ETag>`, each part's `Content-Range`
//! checked. Multipart downloads are written at their offsets into a temporary file
//! beside the destination, renamed on success and removed on failure or when the
//! future is dropped; a single GetObject is read into memory, then written to a
//! temporary file and renamed in one step. A body that fails while streaming is fetched
//! again, up to `num_download_attempts` times, and so is one that does not match the
//! checksum its response announced (with `checksum_mode` enabled, for the responses that
//! carry one: whole objects, not ranges); s3transfer gives up at the first mismatch. A
//! mismatch at every attempt is [`ErrorKind::ChecksumMismatch`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use s3::Client;
use s3_runtime::checksum::ChecksumMismatch;
use tokio::io::{AsyncSeekExt, AsyncWrite, AsyncWriteExt};

use crate::bandwidth::{throttle, Limiter};
use crate::args::{pass, sse_c, DownloadArgs};
use crate::config::range;
use crate::error::{ErrorKind, TransferError};
use crate::progress::Tracker;
use crate::window::Window;
use crate::{s3_url, TransferManager};

/// What a download fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadOutput {
    /// The object's ETag (from HeadObject).
    pub e_tag: Option<String>,
    /// Bytes written.
    pub size: u64,
    /// Ranged GETs (0 for a single GetObject).
    pub parts: u32,
}

/// What every GetObject of one download shares.
struct Get {
    client: Client,
    bucket: String,
    key: String,
    args: DownloadArgs,
    attempts: u32,
    tracker: Tracker,
    limiter: Option<Limiter>,
}

/// Where a part's bytes go.
enum Sink {
    File(tokio::fs::File, PathBuf),
    Memory(Vec<u8>),
}

impl TransferManager {
    /// Downloads an object into the file at `path` (boto3's `download_file`).
    pub async fn download_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<Path>,
        args: &DownloadArgs,
    ) -> Result<DownloadOutput, TransferError> {
        let path = path.as_ref();
        let (size, e_tag) = self.head(bucket, key, args).await?;
        if size < self.config.multipart_threshold {
            let size = self.download_whole(bucket, key, path, args, Some(size), false).await?;
            return Ok(DownloadOutput { e_tag, size, parts: 0 });
        }
        let temp = TempFile::new(path);
        let shown = temp.path.display().to_string();
        tokio::fs::File::create(&temp.path).await.map_err(|e| TransferError::io(&shown, "create", e))?;
        let get = self.get_context(bucket, key, args, Some(size));
        let part_size = self.config.multipart_chunksize.max(1);
        let num_parts = size.div_ceil(part_size);
        let mut window = Window::new(self.config.max_concurrency);
        for index in 0..num_parts {
            if window.is_full() {
                window.next().await.expect("running")?;
            }
            let start = index * part_size;
            let len = part_size.min(size - start);
            let file = open_at(&temp.path, start).await?;
            let (get, sink) = (get.clone(), Sink::File(file, temp.path.clone()));
            let (range, if_match) = (range(part_size, index, num_parts, None), e_tag.clone());
            window.spawn(index, async move { get.part(Some(range), if_match, start, Some((len, size)), Some(index as u32 + 1), sink).await.map(drop) });
        }
        while let Some(done) = window.next().await {
            done?;
        }
        temp.persist(path).await?;
        Ok(DownloadOutput { e_tag, size, parts: num_parts as u32 })
    }

    /// Downloads an object into `writer`, in order (boto3's `download_fileobj`): parts
    /// are fetched concurrently, at most `max_concurrency` of them held in memory.
    pub async fn download<W: AsyncWrite + Unpin + Send>(
        &self,
        bucket: &str,
        key: &str,
        mut writer: W,
        args: &DownloadArgs,
    ) -> Result<DownloadOutput, TransferError> {
        let target = s3_url(bucket, key);
        let (size, e_tag) = self.head(bucket, key, args).await?;
        let get = self.get_context(bucket, key, args, Some(size));
        let mut parts = 0;
        if size < self.config.multipart_threshold {
            let bytes = get.part(None, None, 0, None, None, Sink::Memory(Vec::new())).await?;
            writer.write_all(&bytes).await.map_err(|e| TransferError::io(&target, "write", e))?;
        } else {
            let part_size = self.config.multipart_chunksize.max(1);
            let num_parts = size.div_ceil(part_size);
            let max = self.config.max_concurrency.max(1) as u64;
            let mut window = Window::new(self.config.max_concurrency);
            let mut ready: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
            let mut next_write = 0u64;
            let mut next_spawn = 0u64;
            while next_write < num_parts {
                if next_spawn < num_parts && next_spawn - next_write < max && !window.is_full() {
                    let start = next_spawn * part_size;
                    let len = part_size.min(size - start);
                    let (range, if_match, get) = (range(part_size, next_spawn, num_parts, None), e_tag.clone(), get.clone());
                    window.spawn(next_spawn, async move {
                        get.part(Some(range), if_match, start, Some((len, size)), Some(next_spawn as u32 + 1), Sink::Memory(Vec::new())).await
                    });
                    next_spawn += 1;
                    continue;
                }
                let (index, bytes) = window.next().await.expect("running")?;
                ready.insert(index, bytes);
                while let Some(bytes) = ready.remove(&next_write) {
                    writer.write_all(&bytes).await.map_err(|e| TransferError::io(&target, "write", e))?;
                    next_write += 1;
                }
            }
            parts = num_parts as u32;
        }
        writer.flush().await.map_err(|e| TransferError::io(&target, "flush", e))?;
        Ok(DownloadOutput { e_tag, size, parts })
    }

    /// HeadObject with the download's arguments: the size and ETag.
    async fn head(&self, bucket: &str, key: &str, args: &DownloadArgs) -> Result<(u64, Option<String>), TransferError> {
        let req = self.client.head_object().bucket(bucket).key(key);
        let req = pass!(req, args; checksum_mode => set_checksum_mode, version_id => set_version_id,
            request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner);
        let req = sse_c!(req, args.sse_customer, set_sse_customer_algorithm, set_sse_customer_key, set_sse_customer_key_md5);
        let target = s3_url(bucket, key);
        let out = req.send().await.map_err(|e| TransferError::request(&target, "HeadObject", e))?;
        let size = out
            .content_length
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| TransferError::new(ErrorKind::InvalidResponse, &target, "HeadObject").with_source("no Content-Length"))?;
        Ok((size, out.e_tag))
    }

    /// One GetObject (below the threshold) read into memory, then written to a
    /// temporary file beside `path` and renamed into place in one blocking step, after creating `path`'s directory when `create_parent`. `size`, when known,
    /// is the total reported with progress. Returns the bytes written.
    pub(crate) async fn download_whole(
        &self,
        bucket: &str,
        key: &str,
        path: &Path,
        args: &DownloadArgs,
        size: Option<u64>,
        create_parent: bool,
    ) -> Result<u64, TransferError> {
        let get = self.get_context(bucket, key, args, size);
        let bytes = get.part(None, None, 0, None, None, Sink::Memory(Vec::new())).await?;
        let written = bytes.len() as u64;
        let dest = path.to_path_buf();
        // Once started, the step runs to its end even if this future is dropped: the
        // file is then complete, or removed.
        let step = self.file_steps.run(move || {
            if let Some(parent) = dest.parent().filter(|p| create_parent && !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| std::io::Error::new(e.kind(), format!("create directory {}: {e}", parent.display())))?;
            }
            let temp = TempFile::new(&dest);
            std::fs::write(&temp.path, &bytes)?;
            std::fs::rename(&temp.path, &dest)?;
            temp.disarm();
            Ok(())
        });
        step.await.map_err(|e| TransferError::io(path.display().to_string(), "write", e))?;
        Ok(written)
    }

    fn get_context(&self, bucket: &str, key: &str, args: &DownloadArgs, size: Option<u64>) -> Arc<Get> {
        Arc::new(Get {
            client: self.client.clone(),
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            args: args.clone(),
            attempts: self.config.num_download_attempts.max(1),
            tracker: Tracker::new(self.progress.clone(), &s3_url(bucket, key), size),
            limiter: self.limiter.clone(),
        })
    }
}

async fn open_at(path: &Path, offset: u64) -> Result<tokio::fs::File, TransferError> {
    let shown = || path.display().to_string();
    let mut file = tokio::fs::OpenOptions::new().write(true).open(path).await.map_err(|e| TransferError::io(shown(), "open", e))?;
    file.seek(std::io::SeekFrom::Start(offset)).await.map_err(|e| TransferError::io(shown(), "seek", e))?;
    Ok(file)
}

impl Get {
    /// One GetObject (ranged when `range` is set, `len_size` = (part length, object
    /// size)), its body into `sink`; fetched again when the body fails mid-stream.
    async fn part(
        &self,
        range: Option<String>,
        if_match: Option<String>,
        start: u64,
        len_size: Option<(u64, u64)>,
        part: Option<u32>,
        mut sink: Sink,
    ) -> Result<Vec<u8>, TransferError> {
        let target = s3_url(&self.bucket, &self.key);
        let step = match &range {
            Some(r) => format!("GetObject {r}"),
            None => "GetObject".to_owned(),
        };
        let with_part = |e: TransferError| match part {
            Some(n) => e.with_part(n),
            None => e,
        };
        // Bytes already reported for this part: a retried body is not counted twice.
        let mut reported = 0u64;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let req = self.client.get_object().bucket(&self.bucket).key(&self.key).set_range(range.clone()).set_if_match(if_match.clone());
            let req = pass!(req, self.args; checksum_mode => set_checksum_mode, version_id => set_version_id,
                request_payer => set_request_payer, expected_bucket_owner => set_expected_bucket_owner);
            let req = sse_c!(req, self.args.sse_customer, set_sse_customer_algorithm, set_sse_customer_key, set_sse_customer_key_md5);
            let out = match req.send().await {
                Ok(out) => out,
                // A body read whole that fails its checksum is fetched again, as one that
                // fails while streaming.
                Err(e) if ChecksumMismatch::find(&e).is_some() && attempt < self.attempts => continue,
                Err(e) => {
                    let kind = if ChecksumMismatch::find(&e).is_some() {
                        ErrorKind::ChecksumMismatch
                    } else if e.as_service_error().and_then(|s| s.code()) == Some("PreconditionFailed") {
                        ErrorKind::ObjectChanged
                    } else {
                        ErrorKind::Request
                    };
                    return Err(with_part(TransferError::new(kind, &target, step).with_source(e)));
                }
            };
            if let Some((len, size)) = len_size {
                let want = format!("bytes {}-{}/{}", start, start + len - 1, size);
                if out.content_range.as_deref() != Some(want.as_str()) {
                    return Err(with_part(TransferError::new(ErrorKind::InvalidResponse, &target, step).with_source(format!(
                        "Content-Range is {:?}, expected {want:?}",
                        out.content_range.as_deref().unwrap_or("missing")
                    ))));
                }
            }
            match &mut sink {
                Sink::File(file, path) => {
                    file.seek(std::io::SeekFrom::Start(start)).await.map_err(|e| TransferError::io(path.display().to_string(), "seek", e))?;
                }
                Sink::Memory(buf) => buf.clear(),
            };
            let mut body = out.body.unwrap_or_default();
            let mut written = 0u64;
            let failed = loop {
                match body.next().await {
                    None => break None,
                    Some(Err(e)) => break Some(e),
                    Some(Ok(bytes)) => {
                        throttle(&self.limiter, bytes.len() as u64).await;
                        match &mut sink {
                            Sink::File(file, path) => file
                                .write_all(&bytes)
                                .await
                                .map_err(|e| TransferError::io(path.display().to_string(), "write", e))?,
                            Sink::Memory(buf) => buf.extend_from_slice(&bytes),
                        }
                        written += bytes.len() as u64;
                        if written > reported {
                            self.tracker.add(written - reported);
                            reported = written;
                        }
                    }
                }
            };
            match failed {
                None => {
                    if let Some((len, _)) = len_size {
                        if written != len {
                            return Err(with_part(TransferError::new(ErrorKind::InvalidResponse, &target, step)
                                .with_source(format!("{written} bytes received, {len} expected"))));
                        }
                    }
                    return Ok(match sink {
                        Sink::File(mut file, path) => {
                            file.flush().await.map_err(|e| TransferError::io(path.display().to_string(), "flush", e))?;
                            Vec::new()
                        }
                        Sink::Memory(buf) => buf,
                    });
                }
                Some(e) if attempt >= self.attempts => {
                    let kind = match ChecksumMismatch::find(&e) {
                        Some(_) => ErrorKind::ChecksumMismatch,
                        None => ErrorKind::Io,
                    };
                    return Err(with_part(TransferError::new(kind, &target, format!("{step} (attempt {attempt})")).with_source(e)));
                }
                Some(_) => continue,
            }
        }
    }
}

/// A temporary file beside the destination; removed when dropped unless persisted.
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl TempFile {
    fn new(dest: &Path) -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(std::process::id() as u64);
        let suffix = format!("{:08x}", h.finish() as u32);
        let mut name = dest.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(format!(".{suffix}"));
        TempFile { path: dest.with_file_name(name), armed: true }
    }
    fn disarm(mut self) {
        self.armed = false;
    }
    async fn persist(mut self, dest: &Path) -> Result<(), TransferError> {
        tokio::fs::rename(&self.path, dest).await.map_err(|e| TransferError::io(dest.display().to_string(), "rename", e))?;
        self.armed = false;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
