//! `cargo xtask old-models`: the generator still works on older botocore releases.
//!
//! For each release of [`RELEASES`], the botocore and boto3 wheels are downloaded once
//! into `target/old-models/<version>/` (never committed), their S3 model files
//! extracted, the crate generated next to them (named `s3_<version>`), and all of them
//! checked with `cargo check` in one scratch workspace. Older releases differ from the
//! pinned one in ways the generator must accept: endpoint parameter types spelled
//! `String`/`Boolean` (before 1.40.76), no `service-2.sdk-extras.json` (up to 1.35).

use std::path::Path;
use std::process::Command;

use anyhow::{ensure, Context, Result};
use codegen::write::write_files;
use codegen::CrateSettings;

use crate::project_root;
use crate::protocol_tests::write_if_changed;

/// The releases checked: the oldest the generator supports, and one from before the
/// endpoint rule set's parameter types were lower-cased.
const RELEASES: &[&str] = &["1.36.0", "1.40.0"];

pub fn run(args: &[String]) -> Result<()> {
    ensure!(args.is_empty(), "usage: cargo xtask old-models");
    let root = project_root();
    let base = root.join("target/old-models");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let runtime = root.join("runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime).display().to_string();
    let mut members = Vec::new();
    for version in RELEASES {
        let dir = base.join(version);
        let models = dir.join("models/s3");
        if !models.join("service-2.json").exists() {
            println!("old-models: downloading botocore and boto3 {version}");
            crate::update_model::fetch_model_files(&python, version, &dir.join("wheels"), &models)?;
        }
        let name = format!("s3_{}", version.replace('.', "_"));
        let settings = CrateSettings {
            name: name.clone(),
            version: "0.1.0".into(),
            runtime_path: runtime.clone(),
            model_source: format!("the botocore {version} S3 model"),
        };
        let files = codegen::generate_crate(&models, &settings).with_context(|| format!("generating from botocore {version}"))?;
        write_files(&dir.join(&name), &files)?;
        println!("old-models: generated {} files from botocore {version}", files.len());
        members.push(format!("    \"{version}/{name}\",\n"));
    }
    write_workspace(&root, &base, &members.concat())?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--workspace"])
        .current_dir(&base)
        .status()
        .context("could not run cargo")?;
    ensure!(status.success(), "the crates generated from older botocore releases do not build");
    println!("old-models: botocore {} generate and build", RELEASES.join(", "));
    Ok(())
}

/// The scratch workspace, with the main `Cargo.lock` and `target/`.
fn write_workspace(root: &Path, base: &Path, members: &str) -> Result<()> {
    write_if_changed(
        &base.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask old-models`.\n[workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n\n[profile.dev]\ndebug = 0\nincremental = false\n"
        ),
    )?;
    let target = root.join("target").display().to_string().replace('\\', "\\\\").replace('"', "\\\"");
    write_if_changed(&base.join(".cargo/config.toml"), &format!("[build]\ntarget-dir = \"{target}\"\n"))?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("cannot read Cargo.lock")?;
    write_if_changed(&base.join("Cargo.lock"), &lock)
}
