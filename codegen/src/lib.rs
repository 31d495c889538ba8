//! The generator: botocore model → typed Rust client crate.
//!
//! ```text
//! models/s3/*.json ──model::load──▶ model ──ir::lower──▶ ir ──emit::generate──▶ files ──write──▶ generated/s3
//! ```
//!
//! Each stage is one module with one job; data flows one way. See `ARCHITECTURE.md`.

pub mod docs;
pub mod emit;
pub mod endpoint_rules;
pub mod ir;
pub mod model;
pub mod paginators;
pub mod waiters;
pub mod write;

use std::path::Path;

use anyhow::Result;

pub use emit::{CrateSettings, GeneratedFile};

/// Loads the model in `model_dir` (and its endpoint rule set and partitions, when the
/// directory has them) and generates every file of the crate.
pub fn generate_crate(model_dir: &Path, settings: &CrateSettings) -> Result<Vec<GeneratedFile>> {
    let model = model::ServiceModel::load_dir(model_dir)?;
    let mut service = ir::lower(&model)?;
    service.endpoint_rules = endpoint_rules::EndpointRules::load_dir(model_dir)?;
    let extras = load_extras(model_dir, &service)?;
    emit::generate_with_extras(&service, &extras, settings)
}

/// Loads and lowers `paginators-1.json` (with its sdk-extras), `waiters-2.json` and
/// `resources-1.json` from
/// `model_dir`, when present.
pub fn load_extras(model_dir: &Path, service: &ir::Service) -> Result<emit::Extras> {
    let paginators = match paginators::PaginatorsModel::load_dir(model_dir)? {
        Some(model) => paginators::lower(&model, service)?,
        None => Vec::new(),
    };
    let waiters = match waiters::WaitersModel::load_dir(model_dir)? {
        Some(model) => waiters::lower(&model, service)?,
        None => Vec::new(),
    };
    let resources = match model::resources::ResourcesModel::load_dir(model_dir)? {
        Some(model) => Some(ir::resources::lower(&model, service, &paginators, &waiters)?),
        None => None,
    };
    Ok(emit::Extras { paginators, waiters, resources })
}
