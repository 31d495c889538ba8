//! The scratch workspace the benchmark builds in, outside the repository: two small
//! list-a-bucket programs (one per client) and the runtime benchmark binaries (one
//! package per client, each built alone). Their
//! sources live in the repository's `bench/src/`; only the manifests are written here,
//! so the repository's lock file and target directory are never touched.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::project_root;

/// Where the scratch workspace lives: `$S3_BENCH_DIR`, or `s3-codegen-bench` in the
/// system's temporary directory.
pub fn dir() -> PathBuf {
    std::env::var_os("S3_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("s3-codegen-bench"))
}

/// The packages of the scratch workspace.
pub const APP_OURS: &str = "app-ours";
pub const APP_AWS: &str = "app-aws";
/// The bench server and the bare hyper clients.
pub const RUNTIME_BENCH: &str = "runtime-bench";
/// Our clients (`client-ours`, `transfer-ours`).
pub const RUNTIME_BENCH_OURS: &str = "runtime-bench-ours";
/// aws-sdk-s3's (`client-aws`, `transfer-aws`).
pub const RUNTIME_BENCH_AWS: &str = "runtime-bench-aws";
/// The packages of the runtime benchmarks, each built on its own.
pub const RUNTIME_BENCHES: [&str; 3] = [RUNTIME_BENCH, RUNTIME_BENCH_OURS, RUNTIME_BENCH_AWS];

/// Writes the workspace's manifests (again, each run) and returns its directory. The
/// first time, the repository's `Cargo.lock` seeds the scratch one, so our crates are
/// built with the versions the repository tests; aws-sdk-s3 and its graph resolve to
/// the newest releases.
pub fn prepare() -> Result<PathBuf> {
    let dir = dir();
    let root = project_root();
    let src = root.join("bench/src");
    let s3 = root.join("generated/s3");
    write(&dir.join("Cargo.toml"), &format!(
        "# Written by `cargo xtask bench`; sources in {src}.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\"{APP_OURS}\", \"{APP_AWS}\", \"{RUNTIME_BENCH}\", \"{RUNTIME_BENCH_OURS}\", \"{RUNTIME_BENCH_AWS}\"]\n",
        src = src.display(),
    ))?;
    write(&dir.join(APP_OURS).join("Cargo.toml"), &format!(
        "{package}\n[[bin]]\nname = \"{APP_OURS}\"\npath = {app}\n\n[dependencies]\ns3 = {{ path = {s3} }}\n{tokio}",
        package = package(APP_OURS),
        app = toml_path(&src.join("app_ours.rs"))?,
        s3 = toml_path(&s3)?,
        tokio = TOKIO_APP,
    ))?;
    write(&dir.join(APP_AWS).join("Cargo.toml"), &format!(
        "{package}\n[[bin]]\nname = \"{APP_AWS}\"\npath = {app}\n\n[dependencies]\naws-config = \"1\"\naws-sdk-s3 = \"1\"\n{tokio}",
        package = package(APP_AWS),
        app = toml_path(&src.join("app_aws.rs"))?,
        tokio = TOKIO_APP,
    ))?;
    // One package per client, each built by a cargo invocation of its own: built
    // together, cargo would unify their dependencies' features, and our binaries would
    // carry what aws-sdk-s3 switches on (HTTP/2, for one), and the reverse.
    let ours = format!("{}s3-transfer = {{ path = {} }}\n", our_crates(&root)?, toml_path(&root.join("transfer"))?);
    let runtime = format!("s3-runtime = {{ path = {} }}\n", toml_path(&root.join("runtime"))?);
    let aws = "aws-sdk-s3 = \"1\"\naws-sdk-s3-transfer-manager = \"0.3\"\n".to_owned();
    for (package, bins, deps) in [
        // The server computes the CRC64NVME of the bodies it generates with our runtime.
        (RUNTIME_BENCH, &["bench-server:server", "client-hyper:client_hyper", "transfer-hyper:transfer_hyper"][..], runtime),
        (RUNTIME_BENCH_OURS, &["client-ours:client_ours", "transfer-ours:transfer_ours"][..], ours),
        (RUNTIME_BENCH_AWS, &["client-aws:client_aws", "transfer-aws:transfer_aws"][..], aws),
    ] {
        let bins: String = bins
            .iter()
            .map(|b| {
                let (name, file) = b.split_once(':').expect("name:file");
                Ok(format!("[[bin]]\nname = \"{name}\"\npath = {}\n\n", toml_path(&src.join(format!("{file}.rs")))?))
            })
            .collect::<Result<_>>()?;
        write(&dir.join(package).join("Cargo.toml"), &format!("{}\n{bins}[dependencies]\n{deps}{BENCH_DEPS}", self::package(package)))?;
    }
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        fs::copy(root.join("Cargo.lock"), &lock).context("cannot seed the scratch Cargo.lock")?;
    }
    Ok(dir)
}

/// The bench binaries' dependencies besides the clients.
const BENCH_DEPS: &str = "bytes = \"1\"\n\
    http = \"1\"\n\
    http-body = \"1\"\n\
    http-body-util = \"0.1\"\n\
    hyper = { version = \"1\", features = [\"client\", \"server\", \"http1\"] }\n\
    hyper-util = { version = \"0.1\", features = [\"client-legacy\", \"http1\", \"tokio\"] }\n\
    libc = \"0.2\"\n\
    tokio = { version = \"1\", features = [\"rt-multi-thread\", \"net\", \"time\"] }\n";

/// `s3` and `s3-runtime` as path dependencies on the checkout at `root`.
fn our_crates(root: &Path) -> Result<String> {
    Ok(format!(
        "s3 = {{ path = {} }}\ns3-runtime = {{ path = {} }}\n",
        toml_path(&root.join("generated/s3"))?,
        toml_path(&root.join("runtime"))?,
    ))
}

/// The package of the baseline workspace, and its one binary.
pub const BASELINE_BENCH: &str = "baseline-bench";
pub const BASELINE_CLIENT: &str = "client-ours-baseline";

/// `--baseline REV`: the repository at `REV` (`git archive`, so the working tree is not
/// touched) under `baseline/tree` of the scratch workspace, and a workspace of its own
/// (`baseline/ws`, seeded with that revision's lock file) building that revision's
/// `bench/src/client_ours.rs` against that revision's `s3` and `s3-runtime`. Two
/// versions of one path crate cannot share a lock file, hence the second workspace.
/// Returns the baseline workspace's directory.
pub fn prepare_baseline(dir: &Path, rev: &str) -> Result<PathBuf> {
    let root = project_root();
    let out = std::process::Command::new("git").current_dir(&root).args(["rev-parse", "--verify", &format!("{rev}^{{commit}}")]).output()?;
    if !out.status.success() {
        anyhow::bail!("--baseline: `{rev}` is not a commit of this repository");
    }
    let commit = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let base = dir.join("baseline");
    let tree = base.join("tree");
    if fs::read_to_string(base.join("COMMIT")).ok().as_deref() != Some(commit.as_str()) {
        let _ = fs::remove_dir_all(&tree);
        fs::create_dir_all(&tree)?;
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg("git -C \"$1\" archive --format=tar \"$2\" | tar -x -C \"$3\"")
            .args(["sh", &root.display().to_string(), &commit, &tree.display().to_string()])
            .status()?;
        if !status.success() {
            anyhow::bail!("cannot extract {commit} into {}", tree.display());
        }
        fs::write(base.join("COMMIT"), &commit)?;
        let _ = fs::remove_file(base.join("ws/Cargo.lock"));
    }
    let ws = base.join("ws");
    write(&ws.join("Cargo.toml"), &format!(
        "# Written by `cargo xtask bench --baseline {commit}`.\n\
         {package}\n[workspace]\n\n[[bin]]\nname = \"{BASELINE_CLIENT}\"\npath = {client}\n\n[dependencies]\n{ours}{BENCH_DEPS}",
        package = package(BASELINE_BENCH),
        client = toml_path(&tree.join("bench/src/client_ours.rs"))?,
        ours = our_crates(&tree)?,
    ))?;
    let lock = ws.join("Cargo.lock");
    if !lock.exists() {
        fs::copy(tree.join("Cargo.lock"), &lock).context("cannot seed the baseline Cargo.lock")?;
    }
    Ok(ws)
}

/// What both list programs need of tokio: `#[tokio::main]` on the current thread.
const TOKIO_APP: &str = "tokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";

fn package(name: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n")
}

/// A path as a TOML literal string (no escapes to worry about but `'` itself).
fn toml_path(path: &Path) -> Result<String> {
    let s = path.display().to_string();
    if s.contains('\'') {
        anyhow::bail!("the benchmark cannot use a path with a single quote in it: {s}");
    }
    Ok(format!("'{s}'"))
}

fn write(path: &Path, text: &str) -> Result<()> {
    fs::create_dir_all(path.parent().expect("a file in a directory"))?;
    // Rewriting an unchanged manifest would make cargo rebuild; compare first.
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The version of `package` in the scratch workspace's lock file.
pub fn locked_version(dir: &Path, package: &str) -> Option<String> {
    let lock = fs::read_to_string(dir.join("Cargo.lock")).ok()?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    Some(lock[start..].split('"').next()?.to_owned())
}
