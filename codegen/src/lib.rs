//! The generator: botocore model → typed Rust client crate.
//!
//! ```text
//! models/s3/*.json ──model::load──▶ model ──ir::lower──▶ ir ──emit::generate──▶ files ──write──▶ generated/s3
//! ```
//!
//! Each stage is one module with one job; data flows one way. See `ARCHITECTURE.md`.

pub mod docs;
pub mod emit;
pub mod ir;
pub mod model;
pub mod write;

use std::path::Path;

use anyhow::Result;

pub use emit::{CrateSettings, GeneratedFile};

/// Loads the model in `model_dir` and generates every file of the crate.
pub fn generate_crate(model_dir: &Path, settings: &CrateSettings) -> Result<Vec<GeneratedFile>> {
    let model = model::ServiceModel::load_dir(model_dir)?;
    let service = ir::lower(&model)?;
    emit::generate(&service, settings)
}
