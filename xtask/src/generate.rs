//! `cargo xtask generate [--check]`: emit `generated/s3` from `models/s3`, or (with
//! `--check`) fail listing every stale, missing or extra file.

use std::time::Instant;

use anyhow::{bail, Result};
use codegen::write::{check_files, write_files};
use codegen::CrateSettings;

use crate::project_root;

/// The settings of the S3 crate.
pub fn s3_settings() -> Result<CrateSettings> {
    let versions = codegen::model::read_json(&project_root().join("models/s3/MODEL_VERSIONS.json"))
        .ok()
        .and_then(|v| v.get("botocore").and_then(|b| b.as_str()).map(str::to_owned));
    Ok(CrateSettings {
        name: "s3".into(),
        version: "0.1.0".into(),
        runtime_path: "../../runtime".into(),
        model_source: format!("the botocore {} S3 model", versions.as_deref().unwrap_or("(unknown version)")),
    })
}

pub fn run(args: &[String]) -> Result<()> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => bail!("usage: cargo xtask generate [--check]"),
    };
    let root = project_root();
    let started = Instant::now();
    let files = codegen::generate_crate(&root.join("models/s3"), &s3_settings()?)?;
    let out_dir = root.join("generated/s3");
    if check {
        let status = check_files(&out_dir, &files)?;
        if status.is_fresh() {
            println!("generated/s3 is up to date ({} files)", files.len());
            return Ok(());
        }
        for (what, list) in [("stale", &status.stale), ("missing", &status.missing), ("extra", &status.extra)] {
            for path in list {
                eprintln!("{what}: generated/s3/{path}");
            }
        }
        bail!("generated/s3 differs from what the generator emits: run `cargo xtask generate`");
    }
    write_files(&out_dir, &files)?;
    println!("generated {} files into generated/s3 in {:.0?}", files.len(), started.elapsed());
    Ok(())
}
