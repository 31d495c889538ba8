//! Building the suite crates and running their tests.
//!
//! One `cargo build --tests --keep-going` builds every crate of the scratch workspace
//! (`cargo test` would stop at the first crate that does not compile); its JSON messages
//! say which crates failed to compile and where each test executable is. The
//! executables are then run one by one and libtest's `test <name> ... ok|FAILED` lines
//! and failure sections are read back.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use serde_json::Value;

/// What happened to one crate.
pub enum CrateRun {
    /// It did not compile (or a dependency did not): the compiler's errors.
    NotBuilt(String),
    /// Its tests ran: each test's result by name (`input_03::case_00_x`), and a note
    /// when the executable did not finish normally.
    Ran { tests: HashMap<String, TestResult>, exit_note: Option<String> },
}

pub enum TestResult {
    Passed,
    /// The panic message.
    Failed(String),
    Ignored,
}

/// Builds the workspace at `manifest` into `target_dir` and runs the tests of the
/// crates in `crate_dirs` (directory name → package name).
pub fn build_and_run(
    manifest: &Path,
    target_dir: &Path,
    crate_dirs: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, CrateRun>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = if nice_available() {
        let mut c = Command::new("nice");
        c.args(["-n", "10"]).arg(&cargo);
        c
    } else {
        Command::new(&cargo)
    };
    cmd.args(["build", "--tests", "--workspace", "--keep-going", "-j", "2", "--message-format=json", "--manifest-path"])
        .arg(manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .stdin(Stdio::null());
    let output = cmd.output().with_context(|| format!("cannot run {cargo}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);

    let mut executables: HashMap<String, PathBuf> = HashMap::new();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let Ok(msg) = serde_json::from_str::<Value>(line) else { continue };
        let dir = msg
            .get("manifest_path")
            .and_then(Value::as_str)
            .and_then(|p| Path::new(p).parent())
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match msg.get("reason").and_then(Value::as_str) {
            Some("compiler-artifact") => {
                let is_test = msg
                    .pointer("/target/kind")
                    .and_then(Value::as_array)
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "test"));
                if let (true, Some(exe)) = (is_test, msg.get("executable").and_then(Value::as_str)) {
                    executables.insert(dir, PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg.pointer("/message/level").and_then(Value::as_str) == Some("error") => {
                if let Some(rendered) = msg.pointer("/message/rendered").and_then(Value::as_str) {
                    errors.entry(dir).or_default().push(rendered.trim_end().to_owned());
                }
            }
            _ => {}
        }
    }
    // Errors in crates that are not suite crates (the runtime, the support crate) keep
    // every suite crate from building.
    let foreign_errors: Vec<String> = errors
        .iter()
        .filter(|(dir, _)| !crate_dirs.contains_key(*dir))
        .flat_map(|(dir, errs)| errs.iter().map(move |e| format!("in `{dir}`: {e}")))
        .collect();

    let mut runs = BTreeMap::new();
    for dir in crate_dirs.keys() {
        let run = match executables.get(dir) {
            Some(exe) => run_tests(exe)?,
            None => {
                let reason = if let Some(errs) = errors.get(dir) {
                    format!("the crate does not compile:\n{}", errs.join("\n"))
                } else if !foreign_errors.is_empty() {
                    format!("a dependency does not compile:\n{}", foreign_errors.join("\n"))
                } else {
                    format!(
                        "the crate was not built ({}):\n{}",
                        output.status,
                        tail(&String::from_utf8_lossy(&output.stderr), 20)
                    )
                };
                CrateRun::NotBuilt(reason)
            }
        };
        runs.insert(dir.clone(), run);
    }
    Ok(runs)
}

fn nice_available() -> bool {
    Command::new("nice")
        .arg("true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Runs one test executable and reads libtest's output.
/// The result of test `test` of the crate in `dir`: `Ok` if it passed, otherwise why not.
pub fn test_outcome(runs: &BTreeMap<String, CrateRun>, dir: &str, test: &str) -> std::result::Result<(), String> {
    match runs.get(dir) {
        None => Err("internal: the crate was not part of the run".into()),
        Some(CrateRun::NotBuilt(reason)) => Err(reason.clone()),
        Some(CrateRun::Ran { tests, exit_note }) => match tests.get(test) {
            Some(TestResult::Passed) => Ok(()),
            Some(TestResult::Failed(message)) => Err(message.clone()),
            Some(TestResult::Ignored) => Err("the test was ignored".into()),
            None => Err(format!(
                "no result for test `{test}`{}",
                exit_note.as_deref().map(|n| format!(": {n}")).unwrap_or_default()
            )),
        },
    }
}

fn run_tests(exe: &Path) -> Result<CrateRun> {
    let output = Command::new(exe)
        .args(["--color", "never"])
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut tests = parse_libtest(&stdout);
    // A failed test's result line comes before its message: attach the messages.
    for (name, message) in failure_messages(&stdout) {
        if let Some(result @ TestResult::Failed(_)) = tests.get_mut(&name) {
            *result = TestResult::Failed(message);
        }
    }
    // libtest exits with 101 when a test fails; anything else is worth saying.
    let exit_note = match output.status.code() {
        Some(0) | Some(101) => None,
        _ => Some(format!(
            "the test executable exited with {}:\n{}",
            output.status,
            tail(&String::from_utf8_lossy(&output.stderr), 10)
        )),
    };
    Ok(CrateRun::Ran { tests, exit_note })
}

/// `test <name> ... ok|FAILED|ignored` lines.
fn parse_libtest(stdout: &str) -> HashMap<String, TestResult> {
    let mut tests = HashMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        let Some((name, result)) = rest.rsplit_once(" ... ") else { continue };
        let result = match result.trim() {
            "ok" => TestResult::Passed,
            "FAILED" => TestResult::Failed(String::new()),
            r if r.starts_with("ignored") => TestResult::Ignored,
            _ => continue,
        };
        tests.insert(name.trim().to_owned(), result);
    }
    tests
}

/// The `---- <name> stdout ----` sections: each failed test's output, without the
/// `thread '…' panicked at …:` and `note: run with RUST_BACKTRACE` lines.
fn failure_messages(stdout: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let finish = |current: &mut Option<(String, Vec<&str>)>, out: &mut Vec<(String, String)>| {
        if let Some((name, lines)) = current.take() {
            let lines: Vec<&str> = lines
                .into_iter()
                .filter(|l| !(l.starts_with("thread '") && l.contains("panicked at")))
                .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
                .collect();
            out.push((name, lines.join("\n").trim().to_owned()));
        }
    };
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----")) {
            finish(&mut current, &mut out);
            current = Some((name.to_owned(), Vec::new()));
        } else if line == "failures:" || line.starts_with("test result:") {
            finish(&mut current, &mut out);
        } else if let Some((_, lines)) = &mut current {
            lines.push(line);
        }
    }
    finish(&mut current, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_results_and_messages() {
        let out = "\nrunning 2 tests\ntest a::case_00 ... ok\ntest a::case_01_x ... FAILED\n\nfailures:\n\n---- a::case_01_x stdout ----\n\nthread 'a::case_01_x' panicked at tests/cases.rs:3:5:\nuri: actual \"/\" != expected \"/a\"\nbody: x\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    a::case_01_x\n\ntest result: FAILED. 1 passed; 1 failed\n";
        let tests = parse_libtest(out);
        assert!(matches!(tests["a::case_00"], TestResult::Passed));
        assert!(matches!(tests["a::case_01_x"], TestResult::Failed(_)));
        let messages = failure_messages(out);
        assert_eq!(messages, vec![("a::case_01_x".to_owned(), "uri: actual \"/\" != expected \"/a\"\nbody: x".to_owned())]);
    }
}
