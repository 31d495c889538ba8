//! Fetching botocore's protocol test suites: the botocore *source* distribution (the
//! wheel has no tests) is downloaded once with `pip download` into
//! `target/botocore-sdist/`, and the rest-xml suites, the ignore list and the test runner
//! they are written for are extracted next to it with a few lines of Python (`tarfile`),
//! as `update-model` does for the wheels.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The extracted files of one botocore version.
pub struct Sdist {
    /// `target/botocore-sdist/botocore-<version>/tests/unit/protocols`.
    pub protocols_dir: PathBuf,
    /// The rest-xml suite files, sorted, each with its label: its directory below
    /// `protocols/` with `/` as `_` (`input`, `legacy_output`, …).
    pub suite_files: Vec<(String, PathBuf)>,
    /// `protocol-tests-ignore-list.json`.
    pub ignore_list: PathBuf,
}

/// Files wanted from the sdist, by the end of their path inside `tests/unit/`.
const PROTOCOL_FILE: &str = "rest-xml.json";
const IGNORE_LIST: &str = "protocol-tests-ignore-list.json";
const RUNNER: &str = "tests/unit/test_protocols.py";

/// Extracts `tests/unit/protocols/**/{rest-xml.json, protocol-tests-ignore-list.json}`
/// and `tests/unit/test_protocols.py` from the sdist (argv: tarball, destination), with
/// the leading `botocore-<version>/` removed. Prints each extracted path.
const EXTRACT_PY: &str = r#"
import os, sys, tarfile
src, dest, protocol_file, ignore_list, runner = sys.argv[1:]
with tarfile.open(src, "r:gz") as tar:
    for member in tar.getmembers():
        if not member.isfile() or "/" not in member.name:
            continue
        rel = member.name.split("/", 1)[1]
        parts = rel.split("/")
        if ".." in parts or rel.startswith("/"):
            continue
        wanted = rel == runner or (
            rel.startswith("tests/unit/protocols/")
            and parts[-1] in (protocol_file, ignore_list)
        )
        if not wanted:
            continue
        out = os.path.join(dest, *parts)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with tar.extractfile(member) as f, open(out, "wb") as o:
            o.write(f.read())
        print(rel)
"#;

/// Downloads (unless cached) and extracts (unless done) botocore `version`'s sdist.
pub fn fetch(root: &Path, version: &str) -> Result<Sdist> {
    let cache = root.join("target/botocore-sdist");
    std::fs::create_dir_all(&cache).with_context(|| format!("cannot create {}", cache.display()))?;
    let tarball = cache.join(format!("botocore-{version}.tar.gz"));
    if !tarball.exists() {
        println!("downloading the botocore {version} sdist into {}", cache.display());
        let output = Command::new("python3")
            .args(["-m", "pip", "download", "--no-binary", ":all:", "--no-deps", "--quiet"])
            .arg(format!("botocore=={version}"))
            .arg("-d")
            .arg(&cache)
            .output()
            .context("cannot run `python3 -m pip download` (is Python 3 with pip installed?)")?;
        if !output.status.success() || !tarball.exists() {
            bail!(
                "`pip download botocore=={version}` failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let extracted = cache.join(format!("botocore-{version}"));
    let marker = extracted.join(".extracted");
    if !marker.exists() {
        let output = Command::new("python3")
            .arg("-c")
            .arg(EXTRACT_PY)
            .arg(&tarball)
            .arg(&extracted)
            .args([PROTOCOL_FILE, IGNORE_LIST, RUNNER])
            .output()
            .context("cannot run python3 to extract the sdist")?;
        if !output.status.success() {
            bail!(
                "extracting {} failed ({}):\n{}",
                tarball.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::fs::write(&marker, &output.stdout)?;
    }
    let protocols_dir = extracted.join("tests/unit/protocols");
    let mut suite_files = Vec::new();
    find_suite_files(&protocols_dir, &protocols_dir, &mut suite_files)?;
    suite_files.sort();
    if suite_files.is_empty() {
        bail!("no {PROTOCOL_FILE} under {}", protocols_dir.display());
    }
    let ignore_list = protocols_dir.join(IGNORE_LIST);
    if !ignore_list.exists() {
        bail!("{} is missing from the botocore {version} sdist", ignore_list.display());
    }
    Ok(Sdist { protocols_dir, suite_files, ignore_list })
}

fn find_suite_files(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            find_suite_files(root, &path, out)?;
        } else if path.file_name().is_some_and(|n| n == PROTOCOL_FILE) {
            let rel = path.parent().expect("a file has a parent").strip_prefix(root).expect("under root");
            let label = rel.to_string_lossy().replace(['/', '\\'], "_");
            out.push((label, path));
        }
    }
    Ok(())
}
