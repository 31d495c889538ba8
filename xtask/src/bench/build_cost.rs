//! Build cost: clean debug and release builds of each list program in the scratch
//! workspace (the whole dependency graph), then of the client crate alone, each with
//! wall time and rustc's peak memory; lines of Rust, crates in the graph, and the
//! stripped size of the release program.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use super::measure::{self, Usage};
use super::scratch;
use crate::project_root;

/// One client's build figures.
#[derive(Debug, Clone)]
pub struct BuildCost {
    /// The whole program, from nothing: debug, release.
    pub app_debug: Usage,
    pub app_release: Usage,
    /// The client crate alone (its dependencies already built): debug, release.
    pub crate_debug: Usage,
    pub crate_release: Usage,
    pub crate_name: &'static str,
    /// Lines of Rust in the client crate, and in the support crates it leans on.
    pub crate_lines: u64,
    pub support_lines: u64,
    pub crates_in_graph: usize,
    pub stripped_bytes: u64,
}

/// The two sides: package in the scratch workspace, client crate, support crates'
/// name prefixes.
pub struct Side {
    pub client: &'static str,
    pub app: &'static str,
    pub crate_name: &'static str,
}

pub const OURS: Side = Side { client: "ours", app: scratch::APP_OURS, crate_name: "s3" };
pub const AWS: Side = Side { client: "aws-sdk-s3", app: scratch::APP_AWS, crate_name: "aws-sdk-s3" };

/// Measures one side. Every build uses its own, emptied target directory and
/// `CARGO_INCREMENTAL=0` (what a crate from a registry gets, so both sides build the
/// same way), after `cargo fetch` so that downloads are not timed.
pub fn measure(dir: &Path, side: &Side) -> Result<BuildCost> {
    let mut app = [None, None];
    let mut alone = [None, None];
    let mut stripped_bytes = 0;
    for (i, release) in [false, true].into_iter().enumerate() {
        let profile = if release { "release" } else { "debug" };
        let target = dir.join(format!("target-{}-{profile}", side.app));
        if target.exists() {
            fs::remove_dir_all(&target).with_context(|| format!("cannot empty {}", target.display()))?;
        }
        println!("  {}: clean {profile} build of the list program…", side.client);
        app[i] = Some(cargo_build(dir, side.app, &target, release, &["--timings"])?);
        println!("  {}: {profile} build of `{}` alone…", side.client, side.crate_name);
        let mut clean = cargo(dir);
        clean.args(["clean", "--quiet", "-p", side.crate_name, "--target-dir"]).arg(&target);
        if release {
            clean.arg("--release");
        }
        measure::run(&mut clean)?;
        alone[i] = Some(cargo_build(dir, side.app, &target, release, &[])?);
        if release {
            stripped_bytes = stripped_size(&target.join("release").join(side.app), dir)?;
        }
    }
    let (crate_lines, support_lines) = lines_of_rust(dir, side)?;
    Ok(BuildCost {
        app_debug: app[0].expect("measured"),
        app_release: app[1].expect("measured"),
        crate_debug: alone[0].expect("measured"),
        crate_release: alone[1].expect("measured"),
        crate_name: side.crate_name,
        crate_lines,
        support_lines,
        crates_in_graph: crates_in_graph(dir, side.app)?,
        stripped_bytes,
    })
}

/// Downloads every crate the scratch workspace needs, so builds time compilation only.
pub fn fetch(dir: &Path) -> Result<()> {
    measure::run(cargo(dir).args(["fetch", "--quiet"])).map(drop)
}

fn cargo(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.current_dir(dir).env("CARGO_INCREMENTAL", "0").env_remove("RUSTFLAGS").env_remove("CARGO_TARGET_DIR");
    cmd
}

fn cargo_build(dir: &Path, package: &str, target: &Path, release: bool, extra: &[&str]) -> Result<Usage> {
    let mut cmd = cargo(dir);
    cmd.args(["build", "--quiet", "-p", package, "--target-dir"]).arg(target).args(extra);
    if release {
        cmd.arg("--release");
    }
    measure::run(&mut cmd)
}

/// The size of a stripped copy of `binary`.
fn stripped_size(binary: &Path, dir: &Path) -> Result<u64> {
    let copy = dir.join(format!("{}.stripped", binary.file_name().and_then(|n| n.to_str()).unwrap_or("app")));
    fs::copy(binary, &copy).with_context(|| format!("cannot copy {}", binary.display()))?;
    let status = Command::new("strip").arg(&copy).status().context("cannot run `strip` (binutils)")?;
    anyhow::ensure!(status.success(), "strip {} failed", copy.display());
    Ok(fs::metadata(&copy)?.len())
}

/// Packages in the program's normal and build dependency graph, the program itself
/// excluded, as `cargo tree` counts them.
fn crates_in_graph(dir: &Path, package: &str) -> Result<usize> {
    let out = cargo(dir)
        .args(["tree", "--quiet", "-p", package, "-e", "normal,build", "--prefix", "none"])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo tree")?;
    anyhow::ensure!(out.status.success(), "cargo tree failed");
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names.len().saturating_sub(1))
}

/// Lines of Rust in the client crate, and in its support crates: for us `s3-runtime`;
/// for aws-sdk-s3 every `aws-*` crate of the program's graph but aws-sdk-s3 itself and
/// the aws-lc C-library bindings.
fn lines_of_rust(dir: &Path, side: &Side) -> Result<(u64, u64)> {
    let root = project_root();
    if side.crate_name == "s3" {
        return Ok((count_lines(&root.join("generated/s3"))?, count_lines(&root.join("runtime/src"))?));
    }
    let out = cargo(dir)
        .args(["metadata", "--format-version", "1", "--quiet"])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo metadata")?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).context("cargo metadata output")?;
    let graph = package_names_in_graph(dir, side.app)?;
    let (mut own, mut support) = (0, 0);
    for pkg in meta["packages"].as_array().into_iter().flatten() {
        let name = pkg["name"].as_str().unwrap_or_default();
        let manifest = PathBuf::from(pkg["manifest_path"].as_str().unwrap_or_default());
        let src = manifest.parent().map(|p| p.join("src")).unwrap_or_default();
        if name == side.crate_name {
            own = count_lines(&src)?;
        } else if name.starts_with("aws-") && !name.starts_with("aws-lc") && graph.iter().any(|n| n == name) {
            support += count_lines(&src)?;
        }
    }
    Ok((own, support))
}

fn package_names_in_graph(dir: &Path, package: &str) -> Result<Vec<String>> {
    let out = cargo(dir)
        .args(["tree", "--quiet", "-p", package, "-e", "normal,build", "--prefix", "none", "--format", "{p}"])
        .output()
        .context("cannot run cargo tree")?;
    Ok(String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.split_whitespace().next().map(str::to_owned)).collect())
}

/// Lines in the `.rs` files under `dir`.
pub fn count_lines(dir: &Path) -> Result<u64> {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                total += fs::read(&path)?.iter().filter(|&&b| b == b'\n').count() as u64;
            }
        }
    }
    Ok(total)
}
