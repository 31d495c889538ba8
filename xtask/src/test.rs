//! `cargo xtask test`: every test of the project, in one command that installs what it
//! needs itself (a Python virtual environment with pinned moto and botocore, the botocore
//! sdist for protocol tests) and starts and stops its own servers.
//!
//! 1. `generate --check`: `generated/` is exactly what the generator emits;
//! 2. `cargo test --workspace`: unit tests, insta snapshots, runtime and integration tests;
//!    then the SigV4a vector suite once more, to show its `sigv4a vectors: N passed, M
//!    failed` line;
//! 3. `cargo clippy --workspace --all-targets -- -D warnings`, and the library crates with
//!    default features;
//! 4. `cargo doc --no-deps` of the generated crate with `RUSTDOCFLAGS=-D warnings`;
//! 5. `protocol-tests`: botocore's rest-xml protocol suites through the generator;
//! 6. `differential`: every S3 operation's requests and responses compared with what
//!    botocore sends and parses for the same input;
//!    then the loopback oracles: credentials, S3 Express, and region redirects
//!    (`redirects vs botocore`);
//! 7. live tests against moto's S3 server and against s3s-fs (which verifies SigV4
//!    signatures, presigned URLs and POST policies: `live_s3s.rs`, `live_s3s_presign.rs`;
//!    built into `.tools/` the first time), each on a free loopback port and
//!    stopped by pid afterwards. One moto server serves `live_moto.rs`,
//!    `live_moto_coverage.rs` (with `live_moto.rs`, every operation moto implements; see
//!    `integration/tests/LIVE_COVERAGE.md`), `live_pagination.rs` (paginators and
//!    waiters) and every example of `examples/`.

use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::project_root;
use crate::tools;

pub fn run(args: &[String]) -> Result<()> {
    if !args.is_empty() {
        bail!("usage: cargo xtask test");
    }
    step("generated/ is fresh", || crate::generate::run(&["--check".to_owned()]))?;
    step("unit, snapshot and integration tests", || cargo(&["test", "--workspace", "--quiet"], &[]))?;
    // Already run above; again with its one summary line shown.
    step("SigV4a test suite", || {
        cargo(&["test", "--package", "s3-runtime", "--test", "sigv4a_vectors", "--quiet", "--", "--nocapture"], &[])
    })?;
    step("clippy", || cargo(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"], &[]))?;
    // The workspace's tests turn on the `serde` feature of `s3`; check the default build too.
    step("clippy, default features", || cargo(&["clippy", "-p", "s3", "-p", "s3-runtime", "--quiet", "--", "-D", "warnings"], &[]))?;
    step("rustdoc of the generated crate", || {
        cargo(&["doc", "--package", "s3", "--no-deps", "--quiet"], &[("RUSTDOCFLAGS", "-D warnings")])
    })?;
    step("botocore protocol tests", || crate::protocol_tests::run(&[]))?;
    step("older botocore releases generate and build", || crate::old_models::run(&[]))?;
    step("differential check against botocore", || crate::differential::run(&[]))?;
    step("credentials and S3 Express vs botocore (loopback fakes)", credentials_oracle)?;
    step("region redirects vs botocore (loopback stub)", redirects_oracle)?;
    step("retry decisions vs botocore (fault stub)", retries_oracle)?;
    step("live tests against moto", live_moto)?;
    step("resources vs boto3 (moto)", resources_oracle)?;
    step("live tests against s3s-fs (signature-verifying)", live_s3s)?;
    step("managed transfers against moto, and vs s3transfer", transfers)?;
    println!("\nall test steps passed");
    Ok(())
}

/// The live tests against moto alone (`cargo xtask live-tests`): `live_moto.rs`,
/// `live_moto_coverage.rs`, `live_pagination.rs` and the example programs of
/// `examples/` (run by `examples/tests/examples.rs`), all against one server, in one
/// `cargo test` so that they are built with the same features as in
/// `cargo test --workspace`.
pub fn live_moto() -> Result<()> {
    let venv = tools::ensure_venv()?;
    let moto = tools::start_moto(&venv)?;
    let url = moto.url();
    cargo(
        &[
            "test",
            "--package",
            "s3-integration-tests",
            "--package",
            "s3-examples",
            "--test",
            "live_moto",
            "--test",
            "live_moto_coverage",
            "--test",
            "live_pagination",
            "--test",
            "live_moto_credentials",
            "--test",
            "examples",
            "--quiet",
            "--",
            "--ignored",
            "--test-threads",
            "2",
        ],
        // The Python of the venv: the examples that mirror a JMESPath search compare
        // their keys with boto3's.
        &[("S3_TEST_MOTO_URL", url.as_str()), ("S3_TEST_PYTHON", &venv.join("bin/python").to_string_lossy())],
    )
    // `moto` is dropped here: the server is stopped by pid whatever the result.
}

/// `resources vs boto3`: `integration/tests/resources_oracle.rs` runs one scenario with
/// boto3's resources and with `s3::resources` on a moto server of its own.
pub fn resources_oracle() -> Result<()> {
    let venv = tools::ensure_venv()?;
    let moto = tools::start_moto(&venv)?;
    let python = venv.join("bin/python");
    cargo(
        &["test", "--package", "s3-integration-tests", "--test", "resources_oracle", "--quiet", "--", "--ignored", "--nocapture"],
        &[("S3_TEST_MOTO_URL", moto.url().as_str()), ("S3_TEST_PYTHON", &python.to_string_lossy())],
    )
    // `moto` is dropped here: the server is stopped by pid whatever the result.
}

/// `credentials vs botocore`: the loopback fakes of `integration/fakes/` (STS, IMDS,
/// the container endpoint, SSO, S3 Express) on free ports, and
/// `integration/tests/credentials_oracle` resolving each scenario with botocore and with
/// our chain; then `s3express vs botocore` (`integration/tests/s3express_oracle.rs`):
/// the same S3 Express request sequences from botocore and from our client.
pub fn credentials_oracle() -> Result<()> {
    let venv = tools::ensure_venv()?;
    let python = venv.join("bin/python");
    let ready = tools::free_port()?;
    let out = project_root().join("target/credential-fakes.json");
    let _ = std::fs::remove_file(&out);
    let mut cmd = Command::new(&python);
    cmd.arg(project_root().join("integration/fakes/fakes.py")).arg("--out").arg(&out).arg("--ready-port").arg(ready.to_string());
    let _fakes = tools::Server::start("credential-fakes", cmd, ready)?;
    let urls = std::fs::read_to_string(&out).with_context(|| format!("the fakes wrote no {}", out.display()))?;
    cargo(
        &[
            "test",
            "--package",
            "s3-integration-tests",
            "--test",
            "credentials_oracle",
            "--test",
            "s3express_oracle",
            "--quiet",
            "--",
            "--ignored",
            "--nocapture",
        ],
        &[("S3_TEST_FAKES", urls.trim()), ("S3_TEST_PYTHON", &python.to_string_lossy())],
    )
    // `_fakes` is dropped here: the fakes are stopped by pid whatever the result.
}

/// `redirects vs botocore` (`integration/tests/redirects/`): region redirects of botocore
/// and of our client against the same loopback stub (it starts its own).
pub fn redirects_oracle() -> Result<()> {
    stub_oracle("redirects")
}

/// `retries vs botocore`: each fault scenario of `integration/tests/retries_botocore`
/// played to our client and to botocore, attempts counted by the stub.
pub fn retries_oracle() -> Result<()> {
    stub_oracle("retries_botocore")
}

/// The ignored tests of `integration/tests/<test>`, which start their own loopback stub
/// and run botocore (the venv's Python) against it as well as our client.
fn stub_oracle(test: &str) -> Result<()> {
    let python = tools::ensure_venv()?.join("bin/python");
    cargo(
        &["test", "--package", "s3-integration-tests", "--test", test, "--quiet", "--", "--ignored", "--nocapture"],
        &[("S3_TEST_PYTHON", &python.to_string_lossy())],
    )
}

/// The live tests against s3s-fs, which checks SigV4 signatures.
pub fn live_s3s() -> Result<()> {
    let binary = tools::ensure_s3s_fs()?;
    let server = tools::start_s3s_fs(&binary, "AKIDS3SFSTEST", "s3s-fs-secret-key")?;
    let url = server.url();
    cargo(
        &["test", "--package", "s3-integration-tests", "--test", "live_s3s", "--test", "live_s3s_presign", "--quiet", "--", "--ignored", "--test-threads", "1"],
        &[("S3_TEST_S3S_URL", url.as_str())],
    )
}

/// `s3-transfer` against one moto server and one s3s-fs: its live tests (faults and
/// boto3 interop included), then `transfers vs s3transfer`
/// (`transfer/tests/s3transfer_oracle.rs`): the requests of boto3's classic transfer
/// manager and ours for the same transfers.
pub fn transfers() -> Result<()> {
    let venv = tools::ensure_venv()?;
    let python = venv.join("bin/python");
    let moto = tools::start_moto(&venv)?;
    let binary = tools::ensure_s3s_fs()?;
    let s3s = tools::start_s3s_fs(&binary, "AKIDS3SFSTEST", "s3s-fs-secret-key")?;
    let (url, s3s_url) = (moto.url(), s3s.url());
    cargo(
        &["test", "--package", "s3-transfer", "--tests", "--quiet", "--", "--ignored", "--nocapture", "--test-threads", "1"],
        &[("S3_TEST_MOTO_URL", url.as_str()), ("S3_TEST_S3S_URL", s3s_url.as_str()), ("S3_TEST_PYTHON", &python.to_string_lossy())],
    )
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
