//! Directory transfers (placeholder until implemented).

/// Options of a directory transfer.
#[derive(Clone, Debug, Default)]
pub struct DirectoryOptions {}

/// What a directory transfer did.
#[derive(Clone, Debug, Default)]
pub struct DirectoryOutput {}
