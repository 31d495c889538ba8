//! Transfer settings, with s3transfer's names and defaults.

/// One mebibyte.
pub const MIB: u64 = 1024 * 1024;
/// The smallest part S3 accepts (except the last).
pub const MIN_PART_SIZE: u64 = 5 * MIB;
/// The largest part (and the largest single PutObject) S3 accepts.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * MIB;
/// The most parts one multipart upload may have.
pub const MAX_PARTS: u64 = 10_000;

/// How transfers are split and run, as s3transfer's `TransferConfig`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransferConfig {
    /// Objects of at least this size go multipart (8 MiB).
    pub multipart_threshold: u64,
    /// The part size (8 MiB), adjusted for uploads and copies by [`adjust_chunksize`].
    pub multipart_chunksize: u64,
    /// Parts (or files) in flight at once (10).
    pub max_concurrency: usize,
    /// Attempts at each downloaded part when its body fails while streaming (5).
    pub num_download_attempts: u32,
    /// At most this many bytes a second across the manager's transfers (no limit).
    pub max_bandwidth: Option<u64>,
}

impl Default for TransferConfig {
    fn default() -> Self {
        TransferConfig { multipart_threshold: 8 * MIB, multipart_chunksize: 8 * MIB, max_concurrency: 10, num_download_attempts: 5, max_bandwidth: None }
    }
}

impl TransferConfig {
    /// Sets [`multipart_threshold`](Self::multipart_threshold).
    pub fn multipart_threshold(mut self, bytes: u64) -> Self {
        self.multipart_threshold = bytes;
        self
    }
    /// Sets [`multipart_chunksize`](Self::multipart_chunksize).
    pub fn multipart_chunksize(mut self, bytes: u64) -> Self {
        self.multipart_chunksize = bytes;
        self
    }
    /// Sets [`max_concurrency`](Self::max_concurrency) (at least 1).
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.max_concurrency = n.max(1);
        self
    }
    /// Sets [`max_bandwidth`](Self::max_bandwidth), in bytes a second.
    pub fn max_bandwidth(mut self, bytes_per_second: u64) -> Self {
        self.max_bandwidth = Some(bytes_per_second.max(1));
        self
    }
    /// Sets [`num_download_attempts`](Self::num_download_attempts) (at least 1).
    pub fn num_download_attempts(mut self, n: u32) -> Self {
        self.num_download_attempts = n.max(1);
        self
    }
}

/// The part size s3transfer's `ChunksizeAdjuster` picks: `chunksize` doubled until the
/// object fits in 10,000 parts, then clamped to 5 MiB – 5 GiB.
pub fn adjust_chunksize(chunksize: u64, size: Option<u64>) -> u64 {
    let mut chunk = chunksize.max(1);
    if let Some(size) = size {
        while size.div_ceil(chunk) > MAX_PARTS {
            chunk *= 2;
        }
    }
    chunk.clamp(MIN_PART_SIZE, MAX_PART_SIZE)
}

/// The `Range` (or `CopySourceRange`) of part `index` of `num_parts`, as s3transfer's
/// `calculate_range_parameter`: the last part of a download is open-ended
/// (`bytes=N-`), the last part of a copy ends at `total - 1`.
pub(crate) fn range(part_size: u64, index: u64, num_parts: u64, total: Option<u64>) -> String {
    let start = index * part_size;
    let end = if index == num_parts - 1 {
        total.map(|t| (t - 1).to_string()).unwrap_or_default()
    } else {
        (start + part_size - 1).to_string()
    };
    format!("bytes={start}-{end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunksize_is_adjusted_as_s3transfer() {
        assert_eq!(adjust_chunksize(8 * MIB, Some(20 * MIB)), 8 * MIB);
        assert_eq!(adjust_chunksize(MIB, Some(20 * MIB)), MIN_PART_SIZE);
        assert_eq!(adjust_chunksize(8 * MIB, Some(10_000 * 8 * MIB)), 8 * MIB);
        assert_eq!(adjust_chunksize(8 * MIB, Some(10_000 * 8 * MIB + 1)), 16 * MIB);
        assert_eq!(adjust_chunksize(8 * MIB, Some(5 * 1024 * 1024 * MIB)), 1024 * MIB);
        assert_eq!(adjust_chunksize(10 * 1024 * MIB, None), MAX_PART_SIZE);
    }

    #[test]
    fn ranges_as_s3transfer() {
        assert_eq!(range(8, 0, 3, None), "bytes=0-7");
        assert_eq!(range(8, 2, 3, None), "bytes=16-");
        assert_eq!(range(8, 2, 3, Some(20)), "bytes=16-19");
    }
}
