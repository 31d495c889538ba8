//! The benchmark report: Markdown tables for the terminal and `BENCHMARKS.md`, with the
//! date, machine and versions, and each target marked met or missed.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::Result;

use super::build_cost::BuildCost;
use super::measure::Usage;
use super::runtime::{Kind, Results, Scenario, Sizes, Summary, AWS, BASELINE, HYPER, OURS};
use super::scratch;
use crate::project_root;

pub struct Input<'a> {
    pub dir: &'a Path,
    pub generation: f64,
    pub builds: Option<&'a [BuildCost; 2]>,
    pub scenarios: &'a [Scenario],
    pub results: Option<&'a Results>,
    pub sizes: &'a Sizes,
    pub command: String,
    /// The commit `--baseline` named, if any.
    pub baseline: Option<&'a str>,
}

pub fn render(input: &Input) -> Result<String> {
    let mut md = String::new();
    header(&mut md, input);
    let mut targets = Vec::new();
    let _ = writeln!(md, "## Generation\n\n`cargo xtask generate` (xtask already built), median of 5: **{:.2} s**\n", input.generation);
    targets.push(Target::at_most("generation", input.generation, 1.0, "s"));
    if let Some([ours, aws]) = input.builds {
        builds(&mut md, ours, aws, &mut targets);
    }
    if let Some(results) = input.results {
        runtime(&mut md, input, results, &mut targets);
    }
    md.push_str("## Targets\n\n| target | goal | measured | |\n|---|---|---|---|\n");
    for t in &targets {
        let _ = writeln!(md, "| {} | {} | {} | {} |", t.name, t.goal, t.measured, if t.met { "met" } else { "**missed**" });
    }
    md.push_str(METHOD);
    Ok(md)
}

fn header(md: &mut String, input: &Input) {
    let date = command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("MemTotal:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(0.0, |kib| kib / (1024.0 * 1024.0));
    let model = std::fs::read_to_string(project_root().join("models/s3/MODEL_VERSIONS.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v["botocore"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let version = |p| scratch::locked_version(input.dir, p).unwrap_or_else(|| "?".to_owned());
    let _ = write!(
        md,
        "# Benchmarks\n\n\
         Written by `{command}` on {date}.\n\n\
         - Machine: {cpu}, {cores} cores, {mem_gib:.0} GiB, {os}\n\
         - Toolchain: {rustc}\n\
         - Ours: `s3` generated from the botocore {model} model, with `s3-runtime`\n\
         - Theirs: aws-sdk-s3 {aws} with aws-config {aws_config} (default features)\n{baseline}\n",
        command = input.command,
        os = command_line("uname", &["-sr"]),
        rustc = command_line("rustc", &["-V"]),
        aws = version("aws-sdk-s3"),
        aws_config = version("aws-config"),
        baseline = input.baseline.map_or_else(String::new, |rev| format!(
            "- Baseline: \"{BASELINE}\" is our client at `{rev}` ({}), built from that commit's sources\n",
            command_line("git", &["-C", &project_root().display().to_string(), "log", "-1", "--format=%h %cs", rev]),
        )),
    );
}

fn command_line(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "?".to_owned())
}

fn builds(md: &mut String, ours: &BuildCost, aws: &BuildCost, targets: &mut Vec<Target>) {
    md.push_str("## Build cost\n\nClean builds with `CARGO_INCREMENTAL=0`, 2 jobs, each in an emptied target directory; \"alone\" rebuilds the client crate after `cargo clean -p` (its dependencies built).\n\n");
    md.push_str("| | ours | aws-sdk-s3 | ours / theirs |\n|---|---|---|---|\n");
    let row = |md: &mut String, name: &str, a: f64, b: f64, unit: &str, digits: usize| {
        let _ = writeln!(md, "| {name} | {a:.digits$} {unit} | {b:.digits$} {unit} | {:.2} |", a / b);
    };
    let usage_rows = |md: &mut String, name: &str, a: &Usage, b: &Usage| {
        row(md, &format!("{name}: wall"), a.wall_s, b.wall_s, "s", 1);
        row(md, &format!("{name}: CPU (user + system)"), a.cpu_s, b.cpu_s, "s", 1);
        row(md, &format!("{name}: peak rustc memory"), a.max_rss_mib(), b.max_rss_mib(), "MiB", 0);
    };
    usage_rows(md, "list program, debug, from nothing", &ours.app_debug, &aws.app_debug);
    usage_rows(md, "list program, release, from nothing", &ours.app_release, &aws.app_release);
    usage_rows(md, &format!("`{}` / `{}` alone, debug", ours.crate_name, aws.crate_name), &ours.crate_debug, &aws.crate_debug);
    usage_rows(md, &format!("`{}` / `{}` alone, release", ours.crate_name, aws.crate_name), &ours.crate_release, &aws.crate_release);
    row(md, "lines of Rust, client crate", ours.crate_lines as f64, aws.crate_lines as f64, "", 0);
    row(md, "lines of Rust, support crates (`s3-runtime` / `aws-*`)", ours.support_lines as f64, aws.support_lines as f64, "", 0);
    row(md, "crates in the dependency graph", ours.crates_in_graph as f64, aws.crates_in_graph as f64, "", 0);
    row(md, "stripped release list program", mib(ours.stripped_bytes), mib(aws.stripped_bytes), "MiB", 1);
    md.push('\n');
    targets.push(Target::at_most("list program, clean debug build", ours.app_debug.wall_s, 25.0, "s"));
    targets.push(Target::at_most("list program debug build vs aws-sdk-s3's", ours.app_debug.wall_s / aws.app_debug.wall_s, 0.25, "×"));
    targets.push(Target::at_most("generated crate alone, debug", ours.crate_debug.wall_s, 4.5, "s"));
    targets.push(Target::at_most("rustc peak memory, generated crate, debug", ours.crate_debug.max_rss_mib() / 1024.0, 0.5, "GiB"));
    targets.push(Target::at_most("stripped release list program", mib(ours.stripped_bytes), 5.0, "MiB"));
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn runtime(md: &mut String, input: &Input, results: &Results, targets: &mut Vec<Target>) {
    let _ = writeln!(
        md,
        "## Runtime\n\nEach figure is the median of {} runs, one client process per run, clients alternated; \
         \"CPU\" is the client process's user + system time for the measured part.\n",
        input.sizes.reps
    );
    for (i, scenario) in input.scenarios.iter().enumerate() {
        let _ = writeln!(md, "### {}\n", scenario.label);
        let get = |c: &str| results.get(&(i, client_key(c))).copied();
        match scenario.kind {
            Kind::Requests | Kind::Pages => {
                let (unit, per) = if scenario.kind == Kind::Requests { ("requests/s", "µs CPU / request") } else { ("pages/s", "µs CPU / page") };
                let _ = writeln!(md, "| client | {unit} | {per} | peak RSS |\n|---|---|---|---|");
                for c in scenario.clients {
                    if let Some(s) = get(c) {
                        let _ = writeln!(md, "| {c} | {:.0} | {:.1} | {:.1} MiB |", s.ops_per_s, s.cpu_per_op * 1e6, s.max_rss_mib);
                    }
                }
                if let (Some(o), Some(b)) = (get(OURS), get(BASELINE)) {
                    let _ = writeln!(md, "| ours / {BASELINE} | {:.2} | {:.2} | {:.2} |", o.ops_per_s / b.ops_per_s, o.cpu_per_op / b.cpu_per_op, o.max_rss_mib / b.max_rss_mib);
                    targets.push(Target::at_most(&format!("CPU vs baseline ({})", scenario.label), o.cpu_per_op / b.cpu_per_op, 1.05, "×"));
                }
                if let (Some(o), Some(a)) = (get(OURS), get(AWS)) {
                    let _ = writeln!(md, "| ours / aws-sdk-s3 | {:.2} | {:.2} | {:.2} |", o.ops_per_s / a.ops_per_s, o.cpu_per_op / a.cpu_per_op, o.max_rss_mib / a.max_rss_mib);
                    if scenario.kind == Kind::Requests {
                        targets.push(Target::at_most(&format!("CPU per request vs aws-sdk-s3 ({})", scenario.label), o.cpu_per_op / a.cpu_per_op, 0.5, "×"));
                    } else {
                        targets.push(Target::at_least("list page: aws-sdk-s3's CPU per page / ours", a.cpu_per_op / o.cpu_per_op, 2.0, "×"));
                    }
                }
                instruction_rows(md, scenario, &get, targets);
            }
            Kind::Transfer => {
                let _ = writeln!(md, "| client | MB/s | CPU s | peak RSS |\n|---|---|---|---|");
                for c in scenario.clients {
                    if let Some(s) = get(c) {
                        let _ = writeln!(md, "| {c} | {:.0} | {:.2} | {:.1} MiB |", s.mb_per_s, s.cpu_per_op, s.max_rss_mib);
                    }
                }
                if let (Some(o), Some(b)) = (get(OURS), get(BASELINE)) {
                    let _ = writeln!(md, "| ours / {BASELINE} | {:.2} | {:.2} | {:.2} |", o.mb_per_s / b.mb_per_s, o.cpu_per_op / b.cpu_per_op, o.max_rss_mib / b.max_rss_mib);
                }
                if let (Some(o), Some(h)) = (get(OURS), get(HYPER)) {
                    let _ = writeln!(md, "| ours / hyper | {:.2} | {:.2} | {:.2} |", o.mb_per_s / h.mb_per_s, o.cpu_per_op / h.cpu_per_op, o.max_rss_mib / h.max_rss_mib);
                    targets.push(Target::at_least(&format!("{}: throughput vs raw hyper", scenario.label), o.mb_per_s / h.mb_per_s, 0.9, "×"));
                    targets.push(Target::at_most(&format!("{}: client peak RSS", scenario.label), o.max_rss_mib, 64.0, "MiB"));
                }
                if let (Some(o), Some(a)) = (get(OURS), get(AWS)) {
                    let _ = writeln!(md, "| ours / aws-sdk-s3 | {:.2} | {:.2} | {:.2} |", o.mb_per_s / a.mb_per_s, o.cpu_per_op / a.cpu_per_op, o.max_rss_mib / a.max_rss_mib);
                }
            }
        }
        md.push('\n');
    }
}

/// The instructions per operation (callgrind), when counted, as their own small table
/// after the timing table: unlike CPU seconds they do not move with the machine's load.
fn instruction_rows(md: &mut String, scenario: &Scenario, get: &dyn Fn(&str) -> Option<Summary>, targets: &mut Vec<Target>) {
    let counted: Vec<(&str, f64)> = scenario.clients.iter().filter_map(|&c| Some((c, get(c)?.instructions_per_op?))).collect();
    if counted.is_empty() {
        return;
    }
    md.push_str("\n| client | instructions / operation (callgrind) |\n|---|---|\n");
    for (c, n) in &counted {
        let _ = writeln!(md, "| {c} | {n:.0} |");
    }
    let find = |name: &str| counted.iter().find(|(c, _)| *c == name).map(|(_, n)| *n);
    if let Some(o) = find(OURS) {
        for other in [BASELINE, AWS] {
            if let Some(b) = find(other) {
                let _ = writeln!(md, "| ours / {other} | {:.3} |", o / b);
            }
        }
        if let Some(b) = find(BASELINE) {
            targets.push(Target::at_most(&format!("instructions vs baseline ({})", scenario.label), o / b, 1.05, "×"));
        }
    }
}

/// The `&'static str` key a client has in [`Results`].
fn client_key(c: &str) -> &'static str {
    match c {
        OURS => OURS,
        AWS => AWS,
        BASELINE => BASELINE,
        _ => HYPER,
    }
}

struct Target {
    name: String,
    goal: String,
    measured: String,
    met: bool,
}

impl Target {
    fn at_most(name: &str, value: f64, goal: f64, unit: &str) -> Target {
        Target { name: name.to_owned(), goal: format!("≤ {goal} {unit}"), measured: format!("{value:.2} {unit}"), met: value <= goal }
    }

    fn at_least(name: &str, value: f64, goal: f64, unit: &str) -> Target {
        Target { name: name.to_owned(), goal: format!("≥ {goal} {unit}"), measured: format!("{value:.2} {unit}"), met: value >= goal }
    }
}

const METHOD: &str = "
## How it is measured

- **Build cost**: the scratch workspace (outside the repository, `$S3_BENCH_DIR` or
  `s3-codegen-bench` in the temporary directory) holds two programs that list a bucket
  (`bench/src/app_ours.rs`, `bench/src/app_aws.rs`, configured from the environment,
  `#[tokio::main]` on the current thread). Dependencies are fetched first, so downloads
  are not timed. Peak memory is `wait4`'s maximum RSS over cargo and every rustc it
  ran (what `/usr/bin/time -v` reports). `cargo build --timings` reports are left in
  each target directory.
- **Runtime**: `bench/src/server.rs` answers from memory and stores nothing (PUT bodies
  are read and dropped, GET bodies generated, the list page canned), in its own
  process, so its cost is not the client's. Each client (`client_ours.rs`,
  `client_aws.rs`, `client_hyper.rs`) runs as its own process on a two-worker tokio
  runtime, with static credentials, path-style addressing and each SDK's defaults
  (signing, checksums, retries); request bodies are generated in 64 KiB chunks and
  never held whole. The raw hyper client sends the same requests unsigned: it is the
  floor for an HTTP/1.1 client here.
- **Instructions**: where valgrind is installed, each client also runs the sequential
  small requests and the list pages under callgrind twice (`n` and `4n` operations);
  the difference in user-space instructions over the difference in operations is the
  cost of one operation without start-up. Unlike CPU seconds, it does not move with
  the machine's load, so it is the figure to compare two commits with
  (`--baseline REV` runs our client as it was at `REV`, built from that commit's
  sources, in every scenario). It leaves out kernel time (system calls).
- **Checksums**: asked with `x-amz-checksum-mode: ENABLED` (both SDKs ask by default),
  the server sends the 1 GiB body's CRC64NVME (FULL_OBJECT, as S3 stores for objects
  uploaded without a checksum), so the GetObject figures include each SDK's download
  validation; the raw hyper client does not ask. Each algorithm's speed is measured
  apart by `cargo run --release -p s3-runtime --example checksum_throughput`.
- **Reading the numbers**: 1 GiB transfers are bound by the kernel's loopback copies and
  task switches (user-space code is a few percent of the profile for every client), so
  their throughput moves by ±15% from run to run on this 2-core machine, and the
  ratio to raw hyper with it; CPU seconds are steadier. Both SDKs send streaming PUT
  bodies `aws-chunked` with a CRC32 trailer by default, but over plain HTTP (as here)
  aws-sdk-s3 also signs every chunk (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: a
  SHA-256 of the whole body plus an HMAC per chunk), where ours sends
  `STREAMING-UNSIGNED-PAYLOAD-TRAILER` as botocore does for streaming uploads over
  HTTPS; most of the PutObject CPU difference is that hashing. A list page's CPU
  includes the HTTP exchange; aws-sdk-s3 parses with a streaming reader over
  `xmlparser`, ours builds a compact element tree over the same tokenizer.
";
