//! Runtime benchmarks: every client against the same local bench server, one process
//! per measurement (so CPU time and peak RSS are that client's alone), clients
//! alternated within each repetition.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

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

/// How much work each scenario does.
pub struct Sizes {
    pub small_n: usize,
    pub list_pages: usize,
    pub transfer_bytes: u64,
    pub reps: usize,
}

pub fn scenarios(sizes: &Sizes) -> Vec<Scenario> {
    let s = |label: &str, args: &[String], clients, kind| Scenario { label: label.to_owned(), args: args.to_vec(), clients, kind };
    let n = sizes.small_n;
    let gib = sizes.transfer_bytes;
    vec![
        s("PutObject+GetObject 1 KiB, sequential", &["small".into(), format!("n={n}"), "concurrency=1".into()], &[OURS, AWS, HYPER], Kind::Requests),
        s("PutObject+GetObject 1 KiB, 32 tasks", &["small".into(), format!("n={}", 2 * n), "concurrency=32".into()], &[OURS, AWS, HYPER], Kind::Requests),
        s("ListObjectsV2, 1000-key page", &["list".into(), format!("n={}", sizes.list_pages)], &[OURS, AWS], Kind::Pages),
        s(&format!("GetObject {}", human_size(gib)), &["get".into(), format!("size={gib}")], &[OURS, AWS, HYPER], Kind::Transfer),
        s(&format!("PutObject {}", human_size(gib)), &["put".into(), format!("size={gib}")], &[OURS, AWS, HYPER], Kind::Transfer),
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
}

/// Medians per scenario label and client.
pub type Results = BTreeMap<(usize, &'static str), Summary>;

/// Builds the benchmark binaries (release, in the scratch workspace), starts the bench
/// server and runs every scenario `reps` times.
pub fn run(dir: &Path, scenarios: &[Scenario], reps: usize) -> Result<Results> {
    let target = dir.join("target-runtime");
    println!("  building the runtime benchmark (release)…");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(dir)
        .args(["build", "--quiet", "--release", "-p", scratch::RUNTIME_BENCH, "--target-dir"])
        .arg(&target)
        .env_remove("RUSTFLAGS")
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("building the runtime benchmark failed");
    }
    let bin = target.join("release");
    let port = tools::free_port()?;
    let mut cmd = Command::new(bin.join("bench-server"));
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
                let run = run_client(&bin, client, &scenario.args, &endpoint)
                    .with_context(|| format!("{} with {client}", scenario.label))?;
                runs.entry((i, client)).or_default().push(run);
            }
        }
        println!("  repetition {}/{reps} done", rep + 1);
    }
    drop(server); // stopped by pid
    Ok(runs.into_iter().map(|(k, v)| (k, summarize(&v))).collect())
}

fn client_binary(bin: &Path, client: &str) -> PathBuf {
    bin.join(match client {
        OURS => "client-ours",
        AWS => "client-aws",
        _ => "client-hyper",
    })
}

fn run_client(bin: &Path, client: &str, args: &[String], endpoint: &str) -> Result<Run> {
    let out = Command::new(client_binary(bin, client))
        .args(args)
        .arg(endpoint)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run the {client} benchmark client"))?;
    if !out.status.success() {
        bail!("the {client} client failed ({})", out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
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
    }
}
