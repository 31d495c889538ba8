//! Runtime benchmarks: every client against the same local bench server, one process
//! per measurement (so CPU time and peak RSS are that client's alone), clients
//! alternated within each repetition.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use super::instructions;
use super::measure::median;
use super::scratch;
use crate::tools::{self, Server};

/// One scenario: the arguments the client binaries take, and which clients run it.
pub struct Scenario {
    /// The label in the report, e.g. `small ×32`.
    pub label: String,
    pub args: Vec<String>,
    pub clients: &'static [&'static str],
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Small requests: requests/s and CPU per request.
    Requests,
    /// List pages: pages/s and CPU per page.
    Pages,
    /// One big transfer: MB/s and peak RSS.
    Transfer,
}

/// The clients: ours, the official SDK, and bare hyper as the floor.
pub const OURS: &str = "ours";
pub const AWS: &str = "aws-sdk-s3";
pub const HYPER: &str = "hyper";
/// Our client at the commit `--baseline` names, built from that commit's sources.
pub const BASELINE: &str = "ours (baseline)";

/// How much work each scenario does.
pub struct Sizes {
    pub small_n: usize,
    pub list_pages: usize,
    pub transfer_bytes: u64,
    pub reps: usize,
}

/// The scenarios; with `baseline`, our client at the baseline commit runs each too.
pub fn scenarios(sizes: &Sizes, baseline: bool) -> Vec<Scenario> {
    let s = |label: &str, args: &[String], clients, kind| Scenario { label: label.to_owned(), args: args.to_vec(), clients, kind };
    let (all, sdks): (&'static [&'static str], &'static [&'static str]) =
        if baseline { (&[OURS, BASELINE, AWS, HYPER], &[OURS, BASELINE, AWS]) } else { (&[OURS, AWS, HYPER], &[OURS, AWS]) };
    let n = sizes.small_n;
    let gib = sizes.transfer_bytes;
    vec![
        s("PutObject+GetObject 1 KiB, sequential", &["small".into(), format!("n={n}"), "concurrency=1".into()], all, Kind::Requests),
        s("PutObject+GetObject 1 KiB, 32 tasks", &["small".into(), format!("n={}", 2 * n), "concurrency=32".into()], all, Kind::Requests),
        s("ListObjectsV2, 1000-key page", &["list".into(), format!("n={}", sizes.list_pages)], sdks, Kind::Pages),
        s(&format!("GetObject {}", human_size(gib)), &["get".into(), format!("size={gib}")], all, Kind::Transfer),
        s(&format!("PutObject {}", human_size(gib)), &["put".into(), format!("size={gib}")], all, Kind::Transfer),
    ]
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else {
        format!("{} MiB", bytes >> 20)
    }
}

/// One client process's report (the JSON line the bench binaries print).
#[derive(Debug, Clone, Copy, Default)]
pub struct Run {
    pub ops: f64,
    pub bytes: f64,
    pub wall_s: f64,
    pub cpu_s: f64,
    pub max_rss_kib: f64,
}

/// The medians of one client in one scenario.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// Operations (requests, pages, transfers) per second.
    pub ops_per_s: f64,
    /// Client CPU seconds per operation.
    pub cpu_per_op: f64,
    /// Payload MB (10^6 bytes) per second.
    pub mb_per_s: f64,
    pub max_rss_mib: f64,
    /// User-space instructions per operation (callgrind), for the sequential small
    /// requests and the list pages, when valgrind is installed.
    pub instructions_per_op: Option<f64>,
}

/// Medians per scenario label and client.
pub type Results = BTreeMap<(usize, &'static str), Summary>;

/// Builds the benchmark binaries (release, in the scratch workspace, and in the
/// baseline workspace when there is one), starts the bench server and runs every
/// scenario `reps` times.
pub fn run(dir: &Path, baseline: Option<&Path>, scenarios: &[Scenario], reps: usize) -> Result<Results> {
    let target = dir.join("target-runtime");
    println!("  building the runtime benchmark (release)…");
    build_all(dir, &target)?;
    let bins = Bins {
        current: target.join("release"),
        baseline: match baseline {
            Some(ws) => {
                println!("  building the baseline client (release)…");
                let target = ws.join("target");
                build(ws, scratch::BASELINE_BENCH, &target)?;
                Some(target.join("release").join(scratch::BASELINE_CLIENT))
            }
            None => None,
        },
    };
    let port = tools::free_port()?;
    let mut cmd = Command::new(bins.current.join("bench-server"));
    cmd.arg(port.to_string());
    let server: Server = Server::start("bench-server", cmd, port)?;
    let endpoint = format!("endpoint={}", server.url());

    let mut runs: BTreeMap<(usize, &'static str), Vec<Run>> = BTreeMap::new();
    for rep in 0..reps {
        for (i, scenario) in scenarios.iter().enumerate() {
            // Alternate who goes first, so that neither side always runs on a warmer
            // (or more tired) machine.
            let mut order: Vec<&'static str> = scenario.clients.to_vec();
            if rep % 2 == 1 {
                order.reverse();
            }
            for client in order {
                let run = run_client(&bins, client, &scenario.args, &endpoint)
                    .with_context(|| format!("{} with {client}", scenario.label))?;
                runs.entry((i, client)).or_default().push(run);
            }
        }
        println!("  repetition {}/{reps} done", rep + 1);
    }
    let mut results: Results = runs.into_iter().map(|(k, v)| (k, summarize(&v))).collect();
    if instructions::available() {
        println!("  counting instructions per operation (callgrind)…");
        for (i, scenario) in scenarios.iter().enumerate() {
            let n = match scenario.kind {
                Kind::Requests if scenario.args.iter().any(|a| a == "concurrency=1") => 100,
                Kind::Pages => 10,
                _ => continue,
            };
            for &client in scenario.clients {
                let per_op = instructions::per_op(&client_binary(&bins, client), &scenario.args, &endpoint, n)
                    .with_context(|| format!("{} with {client} under callgrind", scenario.label))?;
                if let Some(summary) = results.get_mut(&(i, client)) {
                    summary.instructions_per_op = Some(per_op);
                }
            }
        }
    } else {
        println!("  valgrind not found: no instruction counts");
    }
    drop(server); // stopped by pid
    Ok(results)
}

pub(super) fn build(dir: &Path, package: &str, target: &Path) -> Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(dir)
        .args(["build", "--quiet", "--release", "-p", package, "--target-dir"])
        .arg(target)
        .env_remove("RUSTFLAGS")
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("building {package} (release) in {} failed", dir.display());
    }
    Ok(())
}

/// Builds every runtime benchmark package, one cargo invocation each (so that no
/// client gets another's dependency features).
pub(super) fn build_all(dir: &Path, target: &Path) -> Result<()> {
    scratch::RUNTIME_BENCHES.iter().try_for_each(|package| build(dir, package, target))
}

/// Where the client binaries are.
struct Bins {
    current: PathBuf,
    baseline: Option<PathBuf>,
}

fn client_binary(bin: &Bins, client: &str) -> PathBuf {
    match (client, &bin.baseline) {
        (BASELINE, Some(path)) => path.clone(),
        _ => bin.current.join(match client {
            OURS => "client-ours",
            AWS => "client-aws",
            _ => "client-hyper",
        }),
    }
}

fn run_client(bin: &Bins, client: &str, args: &[String], endpoint: &str) -> Result<Run> {
    let out = Command::new(client_binary(bin, client))
        .args(args)
        .arg(endpoint)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run the {client} benchmark client"))?;
    if !out.status.success() {
        bail!("the {client} client failed ({})", out.status);
    }
    parse_report(&String::from_utf8_lossy(&out.stdout))
}

/// The last line a benchmark client printed: its JSON report.
pub(super) fn parse_report(text: &str) -> Result<Run> {
    let line = text.lines().last().context("the client printed nothing")?;
    let json: serde_json::Value = serde_json::from_str(line).with_context(|| format!("bad report line: {line}"))?;
    let num = |k: &str| json[k].as_f64().with_context(|| format!("report without `{k}`: {line}"));
    Ok(Run { ops: num("ops")?, bytes: num("bytes")?, wall_s: num("wall_s")?, cpu_s: num("cpu_s")?, max_rss_kib: num("max_rss_kib")? })
}

fn summarize(runs: &[Run]) -> Summary {
    let m = |f: &dyn Fn(&Run) -> f64| median(&runs.iter().map(f).collect::<Vec<_>>());
    Summary {
        ops_per_s: m(&|r| r.ops / r.wall_s),
        cpu_per_op: m(&|r| r.cpu_s / r.ops),
        mb_per_s: m(&|r| r.bytes / r.wall_s / 1e6),
        max_rss_mib: m(&|r| r.max_rss_kib / 1024.0),
        instructions_per_op: None,
    }
}
