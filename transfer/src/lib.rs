//! # Managed transfers
//!
//! boto3's `upload_file`, `download_file` and `copy` (s3transfer) for the generated
//! S3 client: multipart and concurrent above a threshold, cleaned up on failure or
//! cancellation, with progress, plus whole directories.
//!
//! ```no_run
//! # async fn demo(client: s3::Client) -> Result<(), s3_transfer::TransferError> {
//! use s3_transfer::{TransferManager, UploadArgs, DownloadArgs};
//! let tm = TransferManager::new(client);
//! tm.upload_file("big.bin", "bucket", "key", &UploadArgs::default()).await?;
//! tm.download_file("bucket", "key", "copy.bin", &DownloadArgs::default()).await?;
//! # Ok(()) }
//! ```
//!
//! Defaults and names are s3transfer's ([`TransferConfig`]); so is the split of extra
//! arguments between requests ([`UploadArgs`], [`DownloadArgs`], [`CopyArgs`]).
//! A transfer is a future: dropping it cancels its parts, aborts a multipart upload
//! (AbortMultipartUpload is sent from a spawned task) and removes a download's
//! temporary file.

mod args;
mod bandwidth;
mod blocking;
mod config;
mod copy;
mod directory;
mod download;
mod error;
mod progress;
mod upload;
mod window;

pub use args::{CopyArgs, DownloadArgs, Secret, SseCustomer, UploadArgs};
pub use config::{adjust_chunksize, TransferConfig, MAX_PARTS, MAX_PART_SIZE, MIB, MIN_PART_SIZE};
pub use copy::CopyOutput;
pub use directory::{DirectoryOptions, DirectoryOutput};
pub use download::DownloadOutput;
pub use error::{BoxError, DirectoryError, ErrorKind, TransferError};
pub use progress::{Progress, ProgressFn};
pub use upload::UploadOutput;

use s3::Client;

/// Runs transfers with one client and one [`TransferConfig`]. Cheap to clone.
#[derive(Clone)]
pub struct TransferManager {
    pub(crate) client: Client,
    pub(crate) config: TransferConfig,
    pub(crate) progress: Option<ProgressFn>,
    pub(crate) limiter: Option<bandwidth::Limiter>,
    pub(crate) file_steps: blocking::FileSteps,
}

impl std::fmt::Debug for TransferManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferManager").field("config", &self.config).field("progress", &self.progress.is_some()).finish()
    }
}

impl TransferManager {
    /// A manager with s3transfer's default settings.
    pub fn new(client: Client) -> Self {
        TransferManager { client, config: TransferConfig::default(), progress: None, limiter: None, file_steps: Default::default() }
    }
    /// Uses `config`.
    pub fn with_config(mut self, config: TransferConfig) -> Self {
        self.limiter = config.max_bandwidth.map(bandwidth::Limiter::new);
        self.config = config;
        self
    }
    /// Calls `callback` as bytes are transferred (see [`Progress`]).
    pub fn with_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(std::sync::Arc::new(callback));
        self
    }
    /// The settings.
    pub fn config(&self) -> &TransferConfig {
        &self.config
    }
    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

pub(crate) fn s3_url(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}
