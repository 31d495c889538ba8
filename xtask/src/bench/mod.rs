//! `cargo xtask bench`: this client against aws-sdk-s3, measured the same way in the
//! same run — generation time, build cost, and runtime (small requests, listing,
//! streaming) — printed as tables and written to `BENCHMARKS.md`.
//!
//! ```text
//! cargo xtask bench [--quick] [--reps N] [--skip-build] [--skip-runtime] [--baseline REV] [--transfers]
//! ```
//!
//! `--transfers` runs only the managed-transfer scenarios (`transfers.rs`; part of the
//! full run too) and writes their section to `results-transfers.md` in the scratch
//! workspace.
//!
//! `--baseline REV` also runs our client as it was at commit `REV` (built from that
//! commit's sources, in its own workspace) in every runtime scenario, alternated with
//! the others, so a change's cost per request is measured in one run on one machine.
//!
//! `--quick` runs small sizes and two repetitions to check that everything works; its
//! results (and those of a partial run) go to `results.md` in the scratch workspace,
//! never to `BENCHMARKS.md`. Never part of `cargo xtask test`: the figures depend on the
//! machine, and tests never assert timings.

mod build_cost;
mod instructions;
mod measure;
mod report;
mod runtime;
mod scratch;
mod transfers;

use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::project_root;

/// What the command line asked for.
struct Options {
    quick: bool,
    reps: Option<usize>,
    build: bool,
    runtime: bool,
    baseline: Option<String>,
    transfers_only: bool,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options { quick: false, reps: None, build: true, runtime: true, baseline: None, transfers_only: false };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => o.quick = true,
            "--skip-build" => o.build = false,
            "--skip-runtime" => o.runtime = false,
            "--transfers" => o.transfers_only = true,
            "--baseline" => o.baseline = Some(args.next().context("--baseline needs a commit")?.clone()),
            "--reps" => {
                let n = args.next().context("--reps needs a number")?;
                o.reps = Some(n.parse().ok().filter(|&n| n > 0).with_context(|| format!("--reps: not a positive number: {n}"))?);
            }
            other => bail!("unknown option {other}; usage: cargo xtask bench [--quick] [--reps N] [--skip-build] [--skip-runtime] [--baseline REV] [--transfers]"),
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<()> {
    let opts = options(args)?;
    let sizes = if opts.quick {
        runtime::Sizes { small_n: 200, list_pages: 40, transfer_bytes: 64 << 20, reps: opts.reps.unwrap_or(2) }
    } else {
        runtime::Sizes { small_n: 2000, list_pages: 300, transfer_bytes: 1 << 30, reps: opts.reps.unwrap_or(5) }
    };
    let dir = scratch::prepare()?;
    println!("scratch workspace: {}", dir.display());
    let transfer_size = sizes.transfer_bytes;
    if opts.transfers_only {
        println!("\n==> managed transfers ({} repetitions, clients alternated)", sizes.reps);
        let text = transfers::render(&transfers::run(&dir, transfer_size, sizes.reps)?);
        println!("\n{text}");
        let out = dir.join("results-transfers.md");
        std::fs::write(&out, text).with_context(|| format!("cannot write {}", out.display()))?;
        println!("written to {}", out.display());
        return Ok(());
    }
    build_cost::fetch(&dir)?;

    println!("\n==> generation (`cargo xtask generate`, median of 5)");
    let generation = generation_time(5)?;

    let builds = if opts.build {
        println!("\n==> build cost (clean builds, one after the other)");
        Some([build_cost::measure(&dir, &build_cost::OURS)?, build_cost::measure(&dir, &build_cost::AWS)?])
    } else {
        None
    };

    let baseline = opts.baseline.as_deref().map(|rev| scratch::prepare_baseline(&dir, rev)).transpose()?;
    let scenarios = runtime::scenarios(&sizes, baseline.is_some());
    let results = if opts.runtime {
        println!("\n==> runtime ({} repetitions, clients alternated)", sizes.reps);
        Some(runtime::run(&dir, baseline.as_deref(), &scenarios, sizes.reps)?)
    } else {
        None
    };

    let transfers = if opts.runtime {
        println!("\n==> managed transfers ({} repetitions, clients alternated)", sizes.reps);
        Some(transfers::run(&dir, transfer_size, sizes.reps)?)
    } else {
        None
    };

    let mut text = report::render(&report::Input {
        dir: &dir,
        generation,
        builds: builds.as_ref(),
        scenarios: &scenarios,
        results: results.as_ref(),
        sizes: &sizes,
        baseline: opts.baseline.as_deref(),
        command: std::iter::once("cargo xtask bench").chain(args.iter().map(String::as_str)).collect::<Vec<_>>().join(" "),
    })?;
    if let Some(transfers) = &transfers {
        text.push('\n');
        text.push_str(&transfers::render(transfers));
    }
    println!("\n{text}");
    let out = if opts.quick || !opts.build || !opts.runtime { dir.join("results.md") } else { project_root().join("BENCHMARKS.md") };
    std::fs::write(&out, text).with_context(|| format!("cannot write {}", out.display()))?;
    println!("written to {}", out.display());
    Ok(())
}

/// The median wall time of `cargo xtask generate` (xtask already built).
fn generation_time(runs: usize) -> Result<f64> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut times = Vec::new();
    for _ in 0..runs {
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(project_root()).args(["xtask", "generate"]).stdout(std::process::Stdio::null());
        times.push(measure::run(&mut cmd)?.wall_s);
    }
    Ok(measure::median(&times))
}
