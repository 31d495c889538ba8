//! Managed transfers (issue #14): one 1 GiB file and a directory of 1000 files of
//! 64 KiB, uploaded and downloaded by `s3-transfer`, boto3's transfer manager,
//! `aws-sdk-s3-transfer-manager` and bare hyper (the floor), each a process of its own
//! against the bench server, which stores nothing and generates what it serves. The
//! files are read from and written to the scratch workspace's disk.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use super::measure::median;
use super::runtime::{self, Run};
use crate::tools::{self, Server};

pub const OURS: &str = "ours (s3-transfer)";
pub const BOTO3: &str = "boto3";
pub const AWS_TM: &str = "aws-sdk-s3-transfer-manager";
pub const HYPER: &str = "hyper (floor)";
const CLIENTS: [&str; 4] = [OURS, BOTO3, AWS_TM, HYPER];

pub const SCENARIOS: [(&str, &str); 4] = [
    ("upload-file", "upload_file, 1 file"),
    ("download-file", "download_file, 1 file"),
    ("upload-dir", "upload_directory, 1000 × 64 KiB"),
    ("download-dir", "download_directory, 1000 × 64 KiB"),
];

/// s3-transfer's defaults: the bound on our peak RSS is `MAX_CONCURRENCY × PART + 16 MiB`.
const MAX_CONCURRENCY: f64 = 10.0;
const PART_MIB: f64 = 8.0;
const FILES: usize = 1000;
const FILE_SIZE: usize = 64 * 1024;

/// Medians of one client in one scenario.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub mb_per_s: f64,
    pub cpu_s: f64,
    pub max_rss_mib: f64,
}

pub struct Results {
    pub size: u64,
    pub reps: usize,
    pub load: String,
    pub by: BTreeMap<(usize, &'static str), Summary>,
}

/// Writes the input files (once), builds the clients, starts the bench server and runs
/// every scenario `reps` times, clients alternated.
pub fn run(dir: &Path, size: u64, reps: usize) -> Result<Results> {
    let venv = tools::ensure_venv()?;
    let target = dir.join("target-runtime");
    println!("  building the transfer clients (release)…");
    runtime::build_all(dir, &target)?;
    let bins = target.join("release");
    let data = dir.join("transfer-data");
    write_inputs(&data, size)?;
    let out = dir.join("transfer-out");
    let script = crate::project_root().join("bench/src/transfer_boto3.py");

    let port = tools::free_port()?;
    let mut cmd = Command::new(bins.join("bench-server"));
    cmd.arg(port.to_string());
    let server = Server::start("bench-server", cmd, port)?;
    let common = [format!("endpoint={}", server.url()), format!("data={}", data.display()), format!("out={}", out.display()), format!("size={size}")];

    let mut runs: BTreeMap<(usize, &'static str), Vec<Run>> = BTreeMap::new();
    for rep in 0..reps {
        for (i, (scenario, _)) in SCENARIOS.iter().enumerate() {
            let mut order = CLIENTS.to_vec();
            if rep % 2 == 1 {
                order.reverse();
            }
            for client in order {
                let _ = fs::remove_dir_all(&out);
                fs::create_dir_all(&out)?;
                let mut cmd = match client {
                    BOTO3 => {
                        let mut c = Command::new(venv.join("bin/python"));
                        c.arg(&script);
                        c
                    }
                    OURS => Command::new(bins.join("transfer-ours")),
                    AWS_TM => Command::new(bins.join("transfer-aws")),
                    _ => Command::new(bins.join("transfer-hyper")),
                };
                cmd.arg(scenario).args(&common);
                let run = run_client(&mut cmd).with_context(|| format!("{scenario} with {client}"))?;
                println!("    {scenario} {client}: {:.0} MB/s, {:.2} s CPU, {:.0} MiB", run.bytes / run.wall_s / 1e6, run.cpu_s, run.max_rss_kib / 1024.0);
                runs.entry((i, client)).or_default().push(run);
            }
        }
        println!("  transfers: repetition {}/{reps} done", rep + 1);
    }
    let _ = fs::remove_dir_all(&out);
    drop(server);
    let by = runs
        .into_iter()
        .map(|(k, v)| {
            let m = |f: &dyn Fn(&Run) -> f64| median(&v.iter().map(f).collect::<Vec<_>>());
            (k, Summary { mb_per_s: m(&|r| r.bytes / r.wall_s / 1e6), cpu_s: m(&|r| r.cpu_s), max_rss_mib: m(&|r| r.max_rss_kib / 1024.0) })
        })
        .collect();
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    Ok(Results { size, reps, load, by })
}

fn run_client(cmd: &mut Command) -> Result<Run> {
    let out = cmd.stderr(Stdio::inherit()).output().with_context(|| format!("cannot run {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed ({})", out.status);
    }
    runtime::parse_report(&String::from_utf8_lossy(&out.stdout))
}

/// `big.bin` of `size` bytes and `files/f0000`… (1000 × 64 KiB), unless already there.
fn write_inputs(data: &Path, size: u64) -> Result<()> {
    let big = data.join("big.bin");
    if fs::metadata(&big).map(|m| m.len()).ok() != Some(size) {
        fs::create_dir_all(data)?;
        let mut file = std::io::BufWriter::new(fs::File::create(&big)?);
        let chunk: Vec<u8> = (0..1 << 20).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            file.write_all(&chunk[..n])?;
            left -= n as u64;
        }
        file.flush()?;
    }
    let files = data.join("files");
    fs::create_dir_all(&files)?;
    for i in 0..FILES {
        let path: PathBuf = files.join(format!("f{i:04}"));
        if fs::metadata(&path).map(|m| m.len() as usize).ok() != Some(FILE_SIZE) {
            fs::write(&path, vec![(i % 251) as u8; FILE_SIZE])?;
        }
    }
    Ok(())
}

/// The "Managed transfers" section, with the targets marked met or missed.
pub fn render(r: &Results) -> String {
    let mut md = String::new();
    let date = Command::new("date").args(["-u", "+%Y-%m-%d"]).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default();
    let _ = writeln!(
        md,
        "## Managed transfers ({date})\n\n\
         One file of {} MiB and a directory of {FILES} files of 64 KiB, uploaded and downloaded \
         against the bench server (nothing stored, bodies generated), files read from and written \
         to disk; median of {} repetition(s), clients alternated; load average at the end: {}. \
         Default configurations: s3-transfer's `TransferConfig` (8 MiB parts, 10 at a time), boto3's \
         `TransferConfig` (`upload_file`/`download_file`; directories through s3transfer's \
         `TransferManager`, 10 at a time), aws-sdk-s3-transfer-manager's `Config`; hyper sends the \
         same bytes, 10 requests at a time, with no signing or checksums.\n",
        r.size >> 20,
        r.reps,
        r.load,
    );
    md.push_str("| scenario | client | MB/s | CPU s | peak RSS MiB |\n|---|---|---:|---:|---:|\n");
    let mut targets = Vec::new();
    for (i, (_, label)) in SCENARIOS.iter().enumerate() {
        for client in CLIENTS {
            if let Some(s) = r.by.get(&(i, client)) {
                let _ = writeln!(md, "| {label} | {client} | {:.0} | {:.2} | {:.0} |", s.mb_per_s, s.cpu_s, s.max_rss_mib);
            }
        }
        let get = |c| r.by.get(&(i, c));
        if let Some(ours) = get(OURS) {
            if let Some(boto) = get(BOTO3) {
                targets.push((format!("{label}: throughput vs boto3"), "≥ 2×".to_owned(), ours.mb_per_s / boto.mb_per_s, ours.mb_per_s >= 2.0 * boto.mb_per_s));
                targets.push((format!("{label}: CPU vs boto3"), "≤ 0.5×".to_owned(), ours.cpu_s / boto.cpu_s, ours.cpu_s <= 0.5 * boto.cpu_s));
            }
            if let Some(tm) = get(AWS_TM) {
                targets.push((format!("{label}: throughput vs Rust transfer manager"), "≥ 1×".to_owned(), ours.mb_per_s / tm.mb_per_s, ours.mb_per_s >= tm.mb_per_s));
                targets.push((format!("{label}: peak RSS vs Rust transfer manager"), "≤ 0.5×".to_owned(), ours.max_rss_mib / tm.max_rss_mib, ours.max_rss_mib <= 0.5 * tm.max_rss_mib));
            }
            let bound = MAX_CONCURRENCY * PART_MIB + 16.0;
            targets.push((format!("{label}: our peak RSS (MiB)"), format!("≤ {bound:.0} (10 × 8 MiB + 16 MiB)"), ours.max_rss_mib, ours.max_rss_mib <= bound));
        }
    }
    md.push_str("\n| target | goal | measured | |\n|---|---|---:|---|\n");
    for (name, goal, value, met) in targets {
        let _ = writeln!(md, "| {name} | {goal} | {value:.2} | {} |", if met { "met" } else { "**missed**" });
    }
    md
}
