//! `cargo xtask test`: every test of the project, in one command that needs nothing
//! installed by hand beyond the Rust toolchain.
//!
//! 1. `generate --check`: `generated/` is exactly what the generator emits;
//! 2. `cargo test --workspace`: unit tests, insta snapshots, runtime tests;
//! 3. `cargo clippy --workspace --all-targets -- -D warnings`;
//! 4. `cargo doc --no-deps` of the generated crate with `RUSTDOCFLAGS=-D warnings`.

use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::project_root;

pub fn run(args: &[String]) -> Result<()> {
    if !args.is_empty() {
        bail!("usage: cargo xtask test");
    }
    step("generated/ is fresh", || crate::generate::run(&["--check".to_owned()]))?;
    step("unit and snapshot tests", || cargo(&["test", "--workspace", "--quiet"], &[]))?;
    step("clippy", || cargo(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"], &[]))?;
    step("rustdoc of the generated crate", || {
        cargo(&["doc", "--package", "s3", "--no-deps", "--quiet"], &[("RUSTDOCFLAGS", "-D warnings")])
    })?;
    println!("\nall test steps passed");
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    println!("\n==> {name}");
    f().with_context(|| format!("test step failed: {name}"))
}

fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(project_root())
        .status()
        .with_context(|| format!("cannot run {cargo}"))?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}
