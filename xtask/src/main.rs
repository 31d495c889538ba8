//! `cargo xtask` – the project's task runner.
//!
//! ```text
//! cargo xtask generate [--check]     emit generated/s3 from models/s3 (or verify it is fresh)
//! cargo xtask update-model [--version X]   refresh models/s3 from the botocore/boto3 wheels
//! cargo xtask test                   run every test (installs what it needs itself)
//! cargo xtask protocol-tests [--verbose]   run botocore's rest-xml protocol tests through the generator
//! cargo xtask old-models                 generate and `cargo check` the crate from two older botocore releases
//! cargo xtask differential [--verbose]     compare requests and responses with botocore's, operation by operation
//! cargo xtask credentials-oracle     resolve credentials (and run S3 Express sessions) with botocore and with ours against loopback fakes
//! cargo xtask transfers              s3-transfer against moto: live and fault tests, `transfers vs s3transfer`
//! cargo xtask bench [--quick]        benchmarks against aws-sdk-s3, written to BENCHMARKS.md
//! ```

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate::run(&args[1..]),
        Some("update-model") => update_model::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("live-tests") => test::live_moto().and_then(|()| test::live_s3s()),
        Some("credentials-oracle") => test::credentials_oracle(),
        Some("transfers") => test::transfers(),
        Some("resources-oracle") => test::resources_oracle(),
        Some("protocol-tests") => protocol_tests::run(&args[1..]),
        Some("old-models") => old_models::run(&args[1..]),
        Some("differential") => differential::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <generate [--check] | update-model [--version X] | test | protocol-tests [--verbose] | old-models | differential [--verbose] | credentials-oracle | resources-oracle | live-tests | bench [--quick]>");
            return ExitCode::from(2);
        }
    };
    match result {
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
