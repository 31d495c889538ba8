//! `cargo xtask` – the project's task runner. `cargo xtask --help` lists the commands
//! (the `Command` enum, parsed by clap); `cargo xtask <command> --help` tells one's
//! options. The README's command list is checked against it (`cli_tests`).

mod api_diff;
mod bench;
mod differential;
mod generate;
mod old_models;
mod protocol_tests;
mod test;
mod tools;
mod update_model;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The project's task runner: `cargo xtask <COMMAND> [OPTIONS]`; `cargo xtask <COMMAND> --help` for one.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// One variant per command: adding a command is a variant here and an arm in `run`.
#[derive(Debug, Subcommand)]
enum Command {
    /// Emit generated/s3 from models/s3 (or verify it is fresh)
    Generate {
        /// Write nothing; fail listing every stale, missing or extra file
        #[arg(long)]
        check: bool,
    },
    /// Refresh models/s3 from the botocore/boto3 wheels
    UpdateModel {
        /// The botocore version (boto3 follows in lockstep)
        #[arg(long, value_name = "X", conflicts_with_all = ["botocore", "boto3"])]
        version: Option<String>,
        /// The botocore version, with --boto3
        #[arg(long, value_name = "X", requires = "boto3")]
        botocore: Option<String>,
        /// The boto3 version, with --botocore
        #[arg(long, value_name = "Y", requires = "botocore")]
        boto3: Option<String>,
    },
    /// Run every test (installs what it needs itself)
    Test,
    /// Run botocore's rest-xml protocol tests through the generator
    ProtocolTests {
        /// Print every case
        #[arg(long, short)]
        verbose: bool,
    },
    /// Generate and `cargo check` the crate from two older botocore releases
    OldModels,
    /// Compare requests and responses with botocore's, operation by operation
    Differential {
        /// Print every case
        #[arg(long, short)]
        verbose: bool,
    },
    /// Resolve credentials (and run S3 Express sessions) with botocore and with ours against loopback fakes
    CredentialsOracle,
    /// Run the live tests against moto alone
    LiveTests,
    /// s3-transfer against moto: live and fault tests, `transfers vs s3transfer`
    Transfers,
    /// boto3's resources and ours on moto, one scenario: `resources vs boto3`
    ResourcesOracle,
    /// Benchmarks against aws-sdk-s3, written to BENCHMARKS.md
    Bench {
        /// Small sizes, 2 repetitions: checks that it all runs
        #[arg(long)]
        quick: bool,
        /// Repetitions of each measurement
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        reps: Option<u32>,
        /// Leave out the build-cost measurements
        #[arg(long)]
        skip_build: bool,
        /// Leave out the runtime measurements
        #[arg(long)]
        skip_runtime: bool,
        /// Also run our client as it was at this commit, in every runtime scenario
        #[arg(long, value_name = "REV")]
        baseline: Option<String>,
        /// Run only the managed-transfer scenarios (issue #14)
        #[arg(long)]
        transfers: bool,
    },
}

/// `--name` when `on`.
fn flag(on: bool, name: &str) -> Vec<String> {
    if on { vec![name.to_owned()] } else { Vec::new() }
}

/// `--name value` when set.
fn option(value: Option<impl ToString>, name: &str) -> Vec<String> {
    value.map(|v| vec![name.to_owned(), v.to_string()]).unwrap_or_default()
}

/// Runs a parsed command. The commands' modules take their (already checked) flags as
/// arguments, as they did before clap parsed them.
fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Generate { check } => generate::run(&flag(check, "--check")),
        Command::UpdateModel { version, botocore, boto3 } => update_model::run(
            &[option(version, "--version"), option(botocore, "--botocore"), option(boto3, "--boto3")].concat(),
        ),
        Command::Test => test::run(&[]),
        Command::LiveTests => test::live_moto().and_then(|()| test::live_s3s()),
        Command::Transfers => test::transfers(),
        Command::ResourcesOracle => test::resources_oracle(),
        Command::CredentialsOracle => test::credentials_oracle(),
        Command::ProtocolTests { verbose } => protocol_tests::run(&flag(verbose, "--verbose")),
        Command::OldModels => old_models::run(&[]),
        Command::Differential { verbose } => differential::run(&flag(verbose, "--verbose")),
        Command::Bench { quick, reps, skip_build, skip_runtime, baseline, transfers } => bench::run(
            &[
                flag(quick, "--quick"),
                option(reps, "--reps"),
                flag(skip_build, "--skip-build"),
                flag(skip_runtime, "--skip-runtime"),
                option(baseline, "--baseline"),
                flag(transfers, "--transfers"),
            ]
            .concat(),
        ),
    }
}

fn main() -> ExitCode {
    // `--help` and parse errors (naming the bad flag) exit here, as clap does.
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

#[cfg(test)]
mod cli_tests;
