//! `cargo xtask update-model`: refresh `models/s3/` from the botocore and boto3 wheels.
//!
//! ```text
//! cargo xtask update-model                    re-fetch the versions in MODEL_VERSIONS.json
//! cargo xtask update-model --version 1.44.9   move botocore and boto3 to 1.44.9
//! cargo xtask update-model --botocore X --boto3 Y
//! ```
//!
//! botocore and boto3 are released in lockstep with the same version number,
//! so `--version X` sets both; `--botocore` / `--boto3` set one side (the
//! other follows it unless given too).  Without any of them the versions
//! recorded in `models/s3/MODEL_VERSIONS.json` are used, so running the
//! command again reproduces the committed files byte for byte.
//!
//! Steps:
//! 1. `python3 -m pip download --no-deps --only-binary :all: botocore==X boto3==Y`
//!    into a temporary directory (the interpreter can be changed with the
//!    `PYTHON` environment variable);
//! 2. extract the S3 model files listed in [`FILES`] from the wheels with a
//!    small Python helper (`zipfile` + `gzip`, so no Rust zip dependency),
//!    gunzipping the `.gz` ones, and check that each is valid JSON — nothing
//!    in `models/s3/` is touched until every file has been extracted and parsed;
//! 3. write them to `models/s3/` (only the ones whose bytes changed) and
//!    rewrite `MODEL_VERSIONS.json` with the versions and each file's sha256;
//! 4. print which files changed and the Markdown API change summary
//!    ([`crate::api_diff`]) between the previous and the new `service-2.json`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::api_diff;

/// The version manifest, in `models/s3/`.
const MANIFEST: &str = "MODEL_VERSIONS.json";

/// The two wheels the model files come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Package {
    Botocore,
    Boto3,
}

impl Package {
    fn name(self) -> &'static str {
        match self {
            Package::Botocore => "botocore",
            Package::Boto3 => "boto3",
        }
    }
}

/// One model file: its name in `models/s3/`, its wheel, and its path in the
/// wheel (a `.gz` path is gunzipped). An optional file may be missing from the wheel
/// (`service-2.sdk-extras.json` first appears after botocore 1.35); then it is
/// removed from `models/s3/` and the manifest.
struct ModelFile {
    name: &'static str,
    package: Package,
    path: &'static str,
    optional: bool,
}

/// The path of a file of the botocore S3 model inside the botocore wheel.
macro_rules! botocore_s3 {
    ($file:literal) => {
        concat!("botocore/data/s3/2006-03-01/", $file)
    };
}

/// Every file `update-model` manages, sorted by name (the manifest order).
const FILES: &[ModelFile] = &[
    ModelFile {
        name: "endpoint-rule-set-1.json",
        package: Package::Botocore,
        path: botocore_s3!("endpoint-rule-set-1.json.gz"),
        optional: false,
    },
    ModelFile {
        name: "paginators-1.json",
        package: Package::Botocore,
        path: botocore_s3!("paginators-1.json"),
        optional: false,
    },
    ModelFile {
        name: "paginators-1.sdk-extras.json",
        package: Package::Botocore,
        path: botocore_s3!("paginators-1.sdk-extras.json"),
        optional: false,
    },
    ModelFile {
        name: "partitions.json",
        package: Package::Botocore,
        path: "botocore/data/partitions.json",
        optional: false,
    },
    ModelFile {
        name: "resources-1.json",
        package: Package::Boto3,
        path: "boto3/data/s3/2006-03-01/resources-1.json",
        optional: false,
    },
    ModelFile {
        name: "service-2.json",
        package: Package::Botocore,
        path: botocore_s3!("service-2.json.gz"),
        optional: false,
    },
    ModelFile {
        name: "service-2.sdk-extras.json",
        package: Package::Botocore,
        path: botocore_s3!("service-2.sdk-extras.json"),
        optional: true,
    },
    ModelFile {
        name: "waiters-2.json",
        package: Package::Botocore,
        path: botocore_s3!("waiters-2.json"),
        optional: false,
    },
];

/// The file the API change summary is computed from.
const SERVICE_MODEL: &str = "service-2.json";

const USAGE: &str = "usage: cargo xtask update-model [--version X | --botocore X --boto3 Y]";

/// Extracts members from a wheel: `wheel dest_dir (member out_name)...`; a member
/// written `?member` is optional and skipped when absent. Checks every other member
/// exists first (exit 3, one `missing: NAME` line each).
const EXTRACT_PY: &str = r#"
import gzip, os, sys, zipfile
wheel, dest, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
members = list(zip(pairs[0::2], pairs[1::2]))
with zipfile.ZipFile(wheel) as archive:
    names = set(archive.namelist())
    missing = [m for m, _ in members if not m.startswith("?") and m not in names]
    if missing:
        sys.stderr.write("".join("missing: %s\n" % m for m in missing))
        sys.exit(3)
    members = [(m.lstrip("?"), out) for m, out in members if m.lstrip("?") in names]
    for member, out in members:
        data = archive.read(member)
        if member.endswith(".gz"):
            data = gzip.decompress(data)
        with open(os.path.join(dest, out), "wb") as f:
            f.write(data)
"#;

/// Entry point of `cargo xtask update-model`.
pub fn run(args: &[String]) -> Result<()> {
    let Some(request) = parse_args(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    let model_dir = crate::project_root().join("models/s3");
    let recorded = read_manifest(&model_dir.join(MANIFEST))?;
    let (botocore, boto3) = request.resolve(recorded.as_ref())?;
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());

    let work = TempDir::new()?;
    let versions = [
        (Package::Botocore, botocore.as_str()),
        (Package::Boto3, boto3.as_str()),
    ];
    println!("update-model: downloading botocore {botocore} and boto3 {boto3}");
    download(&python, &versions, work.path())?;
    let new_files = extract_all(&python, &versions, work.path())?;

    // Snapshot what is there now, then overwrite it.
    let old_service = read_old_service_model(&model_dir.join(SERVICE_MODEL));
    let old_hashes = hashes_on_disk(&model_dir);
    install(
        &model_dir,
        &new_files,
        &manifest_json(&botocore, &boto3, &new_files),
    )?;

    print!(
        "{}",
        file_report(
            recorded.as_ref(),
            (&botocore, &boto3),
            &old_hashes,
            &new_files
        )
    );
    let Some(old_service) = old_service else {
        println!("(no readable previous {SERVICE_MODEL}: API change summary skipped)");
        return Ok(());
    };
    let new_service = new_files
        .iter()
        .find(|new| new.file.name == SERVICE_MODEL)
        .context("no service-2.json")?;
    let diff = api_diff::summarize(
        &old_service,
        &parse_json(&new_service.bytes, SERVICE_MODEL)?,
    );
    if diff.is_empty() {
        println!("No API changes.");
    } else {
        println!(
            "## S3 API changes ({})\n",
            version_change(recorded.as_ref(), &botocore)
        );
        print!("{diff}");
    }
    Ok(())
}

/// A model file extracted from a wheel, ready to be written.
struct NewFile {
    file: &'static ModelFile,
    bytes: Vec<u8>,
    sha256: String,
}

/// Downloads botocore and boto3 `version` into `work` and writes their S3 model files
/// into `model_dir` (for `cargo xtask old-models`; no manifest, no summary).
pub(crate) fn fetch_model_files(python: &str, version: &str, work: &Path, model_dir: &Path) -> Result<()> {
    let versions = [(Package::Botocore, version), (Package::Boto3, version)];
    fs::create_dir_all(work).with_context(|| format!("creating {}", work.display()))?;
    download(python, &versions, work)?;
    let extracted = work.join("extracted");
    if extracted.exists() {
        fs::remove_dir_all(&extracted).with_context(|| format!("removing {}", extracted.display()))?;
    }
    let files = extract_all(python, &versions, work)?;
    fs::create_dir_all(model_dir).with_context(|| format!("creating {}", model_dir.display()))?;
    for new in &files {
        write_if_changed(&model_dir.join(new.file.name), &new.bytes)?;
    }
    Ok(())
}

/// The sha256 of each file of [`FILES`] currently in `model_dir` (`None`: absent).
fn hashes_on_disk(model_dir: &Path) -> BTreeMap<&'static str, Option<String>> {
    let hash = |file: &ModelFile| {
        fs::read(model_dir.join(file.name))
            .ok()
            .map(|bytes| sha256_hex(&bytes))
    };
    FILES.iter().map(|file| (file.name, hash(file))).collect()
}

/// Writes the files whose bytes differ from what is on disk, then the manifest.
fn install(model_dir: &Path, new_files: &[NewFile], manifest: &str) -> Result<()> {
    fs::create_dir_all(model_dir).with_context(|| format!("creating {}", model_dir.display()))?;
    for new in new_files {
        write_if_changed(&model_dir.join(new.file.name), &new.bytes)?;
    }
    // An optional file the release does not have is not kept from another release.
    for file in FILES.iter().filter(|f| f.optional && !new_files.iter().any(|n| n.file.name == f.name)) {
        let path = model_dir.join(file.name);
        if path.exists() {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    write_if_changed(&model_dir.join(MANIFEST), manifest.as_bytes())
}

/// The versions line, notes about locally edited files, and one line per
/// file saying whether it was added, changed (old → new sha256) or unchanged.
fn file_report(
    recorded: Option<&Manifest>,
    (botocore, boto3): (&str, &str),
    old_hashes: &BTreeMap<&str, Option<String>>,
    new_files: &[NewFile],
) -> String {
    let mut report = String::new();
    let _ = match recorded {
        Some(prev) if prev.botocore == botocore && prev.boto3 == boto3 => {
            writeln!(
                report,
                "\nbotocore {botocore}, boto3 {boto3} (same versions as before)"
            )
        }
        Some(prev) => writeln!(
            report,
            "\nbotocore {} → {botocore}, boto3 {} → {boto3}",
            prev.botocore, prev.boto3
        ),
        None => writeln!(
            report,
            "\nbotocore {botocore}, boto3 {boto3} (no previous {MANIFEST})"
        ),
    };
    for (name, recorded_hash) in recorded.map(|prev| &prev.files).into_iter().flatten() {
        let on_disk = old_hashes.get(name.as_str()).and_then(Option::as_ref);
        if on_disk.is_some_and(|hash| hash != recorded_hash) {
            let _ = writeln!(
                report,
                "note: models/s3/{name} had local edits (its sha256 differed from {MANIFEST})"
            );
        }
    }
    let _ = writeln!(report, "\nModel files (models/s3/):");
    for new in new_files {
        let (name, hash) = (new.file.name, &new.sha256);
        let _ = match old_hashes.get(name).and_then(Option::as_ref) {
            None => writeln!(report, "  added      {name}  {}", short(hash)),
            Some(old) if old == hash => writeln!(report, "  unchanged  {name}"),
            Some(old) => writeln!(
                report,
                "  changed    {name}  {} → {}",
                short(old),
                short(hash)
            ),
        };
    }
    for file in FILES.iter().filter(|f| !new_files.iter().any(|n| n.file.name == f.name)) {
        if old_hashes.get(file.name).is_some_and(Option::is_some) {
            let _ = writeln!(report, "  removed    {}  (not in this release)", file.name);
        }
    }
    report.push('\n');
    report
}

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Request {
    version: Option<String>,
    botocore: Option<String>,
    boto3: Option<String>,
}

/// Parses the arguments; `None` means `--help`.
fn parse_args(args: &[String]) -> Result<Option<Request>> {
    let mut request = Request::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let slot = match flag {
            "-h" | "--help" => return Ok(None),
            "--version" => &mut request.version,
            "--botocore" => &mut request.botocore,
            "--boto3" => &mut request.boto3,
            _ => bail!("unknown argument `{arg}`\n{USAGE}"),
        };
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .cloned()
                .with_context(|| format!("`{flag}` needs a version\n{USAGE}"))?,
        };
        check_version(&value)?;
        ensure!(slot.is_none(), "`{flag}` given twice");
        *slot = Some(value);
    }
    Ok(Some(request))
}

impl Request {
    /// The (botocore, boto3) versions to fetch, falling back to the recorded ones.
    fn resolve(&self, recorded: Option<&Manifest>) -> Result<(String, String)> {
        let either = self
            .botocore
            .as_ref()
            .or(self.boto3.as_ref())
            .or(self.version.as_ref());
        if let Some(version) = either {
            let lockstep = self.version.as_ref().unwrap_or(version);
            let botocore = self.botocore.as_ref().unwrap_or(lockstep);
            let boto3 = self.boto3.as_ref().unwrap_or(lockstep);
            return Ok((botocore.clone(), boto3.clone()));
        }
        match recorded {
            Some(manifest) => Ok((manifest.botocore.clone(), manifest.boto3.clone())),
            None => bail!("models/s3/{MANIFEST} does not exist: pass --version X"),
        }
    }
}

/// A version must be a plain release number (`1.44.8`): `pip download`
/// would also accept specifiers, which would make the result unreproducible.
fn check_version(version: &str) -> Result<()> {
    let ok = !version.is_empty()
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    ensure!(ok, "`{version}` is not a version number like 1.44.8");
    Ok(())
}

/// The parts of `MODEL_VERSIONS.json` this command reads back.
#[derive(Debug)]
struct Manifest {
    botocore: String,
    boto3: String,
    /// File name → sha256 recorded for it.
    files: BTreeMap<String, String>,
}

/// Reads the manifest; `None` if it does not exist.
fn read_manifest(path: &Path) -> Result<Option<Manifest>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    };
    let value = parse_json(&bytes, &path.display().to_string())?;
    let version = |key: &str| -> Result<String> {
        let version = value.get(key).and_then(Value::as_str);
        let version =
            version.with_context(|| format!("{}: no string \"{key}\" field", path.display()))?;
        check_version(version).with_context(|| format!("{}: bad \"{key}\"", path.display()))?;
        Ok(version.to_string())
    };
    let files = value.get("files").and_then(Value::as_object).map(|files| {
        let sha = |(name, entry): (&String, &Value)| {
            Some((name.clone(), entry.get("sha256")?.as_str()?.to_string()))
        };
        files.iter().filter_map(sha).collect()
    });
    Ok(Some(Manifest {
        botocore: version("botocore")?,
        boto3: version("boto3")?,
        files: files.unwrap_or_default(),
    }))
}

/// The manifest text: versions, then each file's origin and sha256, in
/// [`FILES`] order; pretty-printed with a trailing newline.
fn manifest_json(botocore: &str, boto3: &str, new_files: &[NewFile]) -> String {
    let mut files = Map::new();
    for new in new_files {
        let (file, sha256) = (new.file, &new.sha256);
        let entry = json!({"package": file.package.name(), "path": file.path, "sha256": sha256});
        files.insert(file.name.to_string(), entry);
    }
    let manifest = json!({"botocore": botocore, "boto3": boto3, "files": files});
    let mut text = serde_json::to_string_pretty(&manifest).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// Runs `pip download` for the wheels into `dest`.
fn download(python: &str, versions: &[(Package, &str)], dest: &Path) -> Result<()> {
    let mut command = Command::new(python);
    command.args([
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary",
        ":all:",
        "--disable-pip-version-check",
        "-d",
    ]);
    command.arg(dest);
    command.args(
        versions
            .iter()
            .map(|(package, version)| format!("{}=={version}", package.name())),
    );
    let output = command.output().with_context(|| {
        format!("could not run `{python}` (set PYTHON to choose the Python interpreter)")
    })?;
    if !output.status.success() {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        bail!(
            "`{python} -m pip download` failed ({}):\n{}",
            output.status,
            pip_errors(&text)
        );
    }
    Ok(())
}

/// The useful part of pip's output: its `ERROR:` lines (or else its last
/// lines), each cut short — "from versions: ..." lists every release.
fn pip_errors(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let errors: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| line.starts_with("ERROR"))
        .collect();
    let shown = if errors.is_empty() {
        &lines[lines.len().saturating_sub(20)..]
    } else {
        &errors[..]
    };
    let cut = |line: &&str| match line.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    };
    shown.iter().map(cut).collect::<Vec<_>>().join("\n")
}

/// Extracts every file of [`FILES`] from the downloaded wheels in `work`,
/// returning them in [`FILES`] order after checking each is JSON.
fn extract_all(python: &str, versions: &[(Package, &str)], work: &Path) -> Result<Vec<NewFile>> {
    let out_dir = work.join("extracted");
    fs::create_dir(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    for &(package, version) in versions {
        let wheel = find_wheel(work, package.name(), version)?;
        let mut command = Command::new(python);
        command.arg("-c").arg(EXTRACT_PY).arg(&wheel).arg(&out_dir);
        for file in FILES.iter().filter(|file| file.package == package) {
            let member = if file.optional { format!("?{}", file.path) } else { file.path.to_owned() };
            command.args([member.as_str(), file.name]);
        }
        let output = command
            .output()
            .with_context(|| format!("could not run `{python}`"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let wheel_name = wheel.file_name().unwrap_or_default().to_string_lossy();
        if output.status.code() == Some(3) {
            let missing: Vec<&str> = stderr
                .lines()
                .filter_map(|line| line.strip_prefix("missing: "))
                .collect();
            bail!("{wheel_name} does not contain {}", missing.join(", "));
        }
        ensure!(
            output.status.success(),
            "extracting from {wheel_name} failed ({}):\n{stderr}",
            output.status
        );
    }
    FILES
        .iter()
        .filter(|file| !file.optional || out_dir.join(file.name).exists())
        .map(|file| {
            let path = out_dir.join(file.name);
            let bytes =
                fs::read(&path).with_context(|| format!("reading extracted {}", file.path))?;
            parse_json(
                &bytes,
                &format!("{} (from the {} wheel)", file.path, file.package.name()),
            )?;
            Ok(NewFile {
                file,
                sha256: sha256_hex(&bytes),
                bytes,
            })
        })
        .collect()
}

/// The `{name}-{version}-*.whl` file pip saved in `dir`.
fn find_wheel(dir: &Path, name: &str, version: &str) -> Result<PathBuf> {
    let prefix = format!("{name}-{version}-");
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let file_name = entry?.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&prefix) && file_name.ends_with(".whl") {
            return Ok(dir.join(file_name));
        }
        found.push(file_name);
    }
    bail!(
        "pip did not save a {prefix}*.whl wheel (found: {})",
        found.join(", ")
    )
}

/// The previous `service-2.json`, if there is one and it parses (a broken
/// one is reported and skipped: updating is how it gets repaired).
fn read_old_service_model(path: &Path) -> Option<Value> {
    let bytes = fs::read(path).ok()?;
    match parse_json(&bytes, &path.display().to_string()) {
        Ok(value) => Some(value),
        Err(err) => {
            eprintln!("warning: {err:#}");
            None
        }
    }
}

/// Parses JSON, naming `what` in the error.
fn parse_json(bytes: &[u8], what: &str) -> Result<Value> {
    serde_json::from_slice(bytes).with_context(|| format!("{what} is not valid JSON"))
}

/// Writes `bytes` to `path` unless it already holds exactly them (so mtimes
/// only move for real changes), through a temporary file and a rename so an
/// interrupted run never leaves a half-written file.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if fs::read(path).is_ok_and(|current| current == bytes) {
        return Ok(());
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path)
        .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The first 12 hex digits of a sha256, for the report.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// "botocore 1.44.0 → 1.44.8" or "botocore 1.44.8".
fn version_change(recorded: Option<&Manifest>, botocore: &str) -> String {
    match recorded {
        Some(prev) if prev.botocore != botocore => {
            format!("botocore {} → {botocore}", prev.botocore)
        }
        _ => format!("botocore {botocore}"),
    }
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path =
            std::env::temp_dir().join(format!("xtask-update-model-{}-{nanos}", std::process::id()));
        fs::create_dir(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// One [`NewFile`] per entry of [`FILES`], with `contents(file)` as bytes.
    fn new_files(contents: impl Fn(&ModelFile) -> Vec<u8>) -> Vec<NewFile> {
        let new = |file| {
            let bytes = contents(file);
            NewFile {
                file,
                sha256: sha256_hex(&bytes),
                bytes,
            }
        };
        FILES.iter().map(new).collect()
    }

    fn manifest(version: &str) -> Manifest {
        Manifest {
            botocore: version.into(),
            boto3: version.into(),
            files: BTreeMap::new(),
        }
    }

    #[test]
    fn versions_default_to_the_manifest() {
        let request = parse_args(&[]).unwrap().unwrap();
        assert_eq!(
            request.resolve(Some(&manifest("1.44.8"))).unwrap(),
            ("1.44.8".into(), "1.44.8".into())
        );
        assert!(request.resolve(None).is_err());
    }

    #[test]
    fn version_flags() {
        let recorded = manifest("1.44.8");
        let resolve = |list: &[&str]| {
            parse_args(&args(list))
                .unwrap()
                .unwrap()
                .resolve(Some(&recorded))
                .unwrap()
        };
        assert_eq!(
            resolve(&["--version", "1.44.0"]),
            ("1.44.0".into(), "1.44.0".into())
        );
        assert_eq!(
            resolve(&["--version=1.44.0"]),
            ("1.44.0".into(), "1.44.0".into())
        );
        assert_eq!(
            resolve(&["--botocore", "1.44.1"]),
            ("1.44.1".into(), "1.44.1".into())
        );
        assert_eq!(
            resolve(&["--botocore", "1.44.1", "--boto3", "1.44.2"]),
            ("1.44.1".into(), "1.44.2".into())
        );
        assert_eq!(
            resolve(&["--version", "1.44.0", "--boto3", "1.44.2"]),
            ("1.44.0".into(), "1.44.2".into())
        );
    }

    #[test]
    fn bad_arguments_are_errors() {
        for bad in [
            &["--version"][..],
            &["--version", ">=1.0"],
            &["--bogus"],
            &["--version", "1", "--version", "2"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
        assert!(parse_args(&args(&["--help"])).unwrap().is_none());
    }

    #[test]
    fn manifest_lists_every_file_in_order() {
        let text = manifest_json(
            "1.2.3",
            "1.2.4",
            &new_files(|file| file.name.as_bytes().to_vec()),
        );
        assert!(text.ends_with("}\n"));
        let value: Value = serde_json::from_str(&text).unwrap();
        let top: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(top, ["botocore", "boto3", "files"]);
        let names: Vec<&String> = value["files"].as_object().unwrap().keys().collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(
            value["files"]["service-2.json"]["path"],
            "botocore/data/s3/2006-03-01/service-2.json.gz"
        );
        assert_eq!(
            value["files"]["service-2.json"]["sha256"],
            sha256_hex(b"service-2.json")
        );
    }

    #[test]
    fn manifest_round_trips_and_rejects_garbage() {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(MANIFEST);
        assert!(read_manifest(&path).unwrap().is_none());
        fs::write(
            &path,
            manifest_json("1.44.8", "1.44.8", &new_files(|_| b"{}".to_vec())),
        )
        .unwrap();
        let read = read_manifest(&path).unwrap().unwrap();
        assert_eq!(
            (read.botocore.as_str(), read.files.len()),
            ("1.44.8", FILES.len())
        );
        fs::write(&path, "{not json").unwrap();
        let err = format!("{:#}", read_manifest(&path).unwrap_err());
        assert!(err.contains(MANIFEST), "{err}");
    }

    #[test]
    fn pip_errors_keep_the_error_lines_short() {
        let versions = (0..500)
            .map(|i| format!("1.{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let output = format!("Looking in links: x\nERROR: Could not find botocore==9 (from versions: {versions})\nERROR: No matching distribution\n");
        let shown = pip_errors(&output);
        assert!(
            shown.starts_with("ERROR: Could not find botocore==9"),
            "{shown}"
        );
        assert!(
            shown.ends_with("…\nERROR: No matching distribution"),
            "{shown}"
        );
        assert_eq!(pip_errors("a\nb"), "a\nb");
    }

    #[test]
    fn file_report_lists_added_changed_and_unchanged_files() {
        let new = new_files(|file| file.name.as_bytes().to_vec());
        let mut old_hashes = hashes_on_disk(Path::new("/nonexistent"));
        old_hashes.insert("paginators-1.json", Some(new[1].sha256.clone()));
        old_hashes.insert("service-2.json", Some(sha256_hex(b"old")));
        let mut recorded = manifest("1.44.0");
        recorded
            .files
            .insert("service-2.json".into(), sha256_hex(b"older"));
        let report = file_report(Some(&recorded), ("1.44.8", "1.44.8"), &old_hashes, &new);
        assert!(
            report.contains("botocore 1.44.0 → 1.44.8, boto3 1.44.0 → 1.44.8"),
            "{report}"
        );
        assert!(
            report.contains("note: models/s3/service-2.json had local edits"),
            "{report}"
        );
        assert!(
            report.contains("  unchanged  paginators-1.json\n"),
            "{report}"
        );
        let changed = format!(
            "  changed    service-2.json  {} → {}\n",
            &sha256_hex(b"old")[..12],
            &new[5].sha256[..12]
        );
        assert!(report.contains(&changed), "{report}");
        assert!(
            report.contains(&format!(
                "  added      waiters-2.json  {}\n",
                &new[7].sha256[..12]
            )),
            "{report}"
        );
    }

    #[test]
    fn install_removes_an_optional_file_the_release_lacks() {
        let dir = TempDir::new().unwrap();
        install(dir.path(), &new_files(|file| file.name.as_bytes().to_vec()), "{}\n").unwrap();
        assert!(dir.path().join("service-2.sdk-extras.json").exists());
        let without: Vec<NewFile> = new_files(|file| file.name.as_bytes().to_vec())
            .into_iter()
            .filter(|n| n.file.name != "service-2.sdk-extras.json")
            .collect();
        install(dir.path(), &without, "{}\n").unwrap();
        assert!(!dir.path().join("service-2.sdk-extras.json").exists());
        assert!(dir.path().join("service-2.json").exists());
    }

    /// Releases up to botocore 1.35 have no `service-2.sdk-extras.json`: extraction
    /// skips it; a required file that is missing is still an error.
    #[test]
    fn extraction_skips_missing_optional_files() {
        let dir = TempDir::new().unwrap();
        let wheel = dir.path().join("w.whl");
        let made = Command::new("python3")
            .arg("-c")
            .arg("import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('a/service-2.json', '{}')")
            .arg(&wheel)
            .status();
        let Ok(status) = made else {
            eprintln!("python3 is not available: skipped");
            return;
        };
        assert!(status.success());
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        let run = |members: &[&str]| {
            Command::new("python3").arg("-c").arg(EXTRACT_PY).arg(&wheel).arg(&out).args(members).output().unwrap()
        };
        let ok = run(&["a/service-2.json", "service-2.json", "?a/service-2.sdk-extras.json", "service-2.sdk-extras.json"]);
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        assert!(out.join("service-2.json").exists() && !out.join("service-2.sdk-extras.json").exists());
        let missing = run(&["a/paginators-1.json", "paginators-1.json"]);
        assert_eq!(missing.status.code(), Some(3));
    }

    #[test]
    fn install_writes_only_changed_files() {
        let dir = TempDir::new().unwrap();
        let new = new_files(|file| file.name.as_bytes().to_vec());
        install(dir.path(), &new, "{}\n").unwrap();
        assert_eq!(
            fs::read(dir.path().join("waiters-2.json")).unwrap(),
            b"waiters-2.json"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join(MANIFEST)).unwrap(),
            "{}\n"
        );
        let hashes = hashes_on_disk(dir.path());
        assert!(new
            .iter()
            .all(|n| hashes[n.file.name].as_deref() == Some(n.sha256.as_str())));
        let leftovers = fs::read_dir(dir.path()).unwrap().filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        });
        assert_eq!(leftovers.count(), 0);
    }

    #[test]
    fn files_table_is_consistent() {
        for file in FILES {
            assert!(file.path.starts_with(file.package.name()), "{}", file.path);
            assert_eq!(
                file.path
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .trim_end_matches(".gz"),
                file.name
            );
        }
        assert!(FILES.windows(2).all(|w| w[0].name < w[1].name));
    }
}
