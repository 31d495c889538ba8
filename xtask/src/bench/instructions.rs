//! Instructions per operation, counted by valgrind's callgrind: user-space instructions
//! do not depend on what else the machine is doing, so they compare two clients (or one
//! client at two commits) even on a shared, loaded machine, where CPU seconds move by
//! ±20%. Each client runs twice under callgrind, with `n` and `4n` operations; the
//! difference divided by the difference in operations removes start-up and connection
//! set-up. Kernel time (system calls) is not counted: the syscall profile of a client is
//! compared apart (`strace -c -f`), when needed.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Whether `valgrind` can be run here.
pub fn available() -> bool {
    Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Instructions per operation of `binary` for the scenario `args` (whose `n=` is
/// replaced by `n` and `4n`).
pub fn per_op(binary: &Path, args: &[String], endpoint: &str, n: usize) -> Result<f64> {
    let (ops1, instr1) = count(binary, args, endpoint, n)?;
    let (ops4, instr4) = count(binary, args, endpoint, 4 * n)?;
    if ops4 <= ops1 || instr4 <= instr1 {
        bail!("callgrind counts do not grow with the work ({ops1} ops: {instr1}, {ops4} ops: {instr4})");
    }
    Ok((instr4 - instr1) as f64 / (ops4 - ops1) as f64)
}

/// One run under callgrind: the operations the client reports, and the instructions.
fn count(binary: &Path, args: &[String], endpoint: &str, n: usize) -> Result<(u64, u64)> {
    let args: Vec<String> = args.iter().map(|a| if a.starts_with("n=") { format!("n={n}") } else { a.clone() }).collect();
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(binary)
        .args(&args)
        .arg(endpoint)
        .output()
        .context("cannot run valgrind")?;
    if !out.status.success() {
        bail!("{} under callgrind failed ({})", binary.display(), out.status);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let instructions = stderr
        .lines()
        .find_map(|l| l.split_once("Collected :").map(|(_, n)| n.trim().to_owned()))
        .and_then(|n| n.parse::<u64>().ok())
        .context("callgrind printed no `Collected :` line")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().context("the client printed nothing")?;
    let json: serde_json::Value = serde_json::from_str(line).with_context(|| format!("bad report line: {line}"))?;
    let ops = json["ops"].as_f64().context("report without `ops`")? as u64;
    Ok((ops, instructions))
}
