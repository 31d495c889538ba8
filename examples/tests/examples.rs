//! Runs every example program (`src/bin/*.rs`) against moto's S3 server, which
//! `cargo xtask test` starts on a free loopback port and passes in `S3_TEST_MOTO_URL`.
//! `#[ignore]`d like the other live tests: a plain `cargo test` only builds the programs,
//! the test command runs them with `--ignored`.
//!
//! Cargo builds the programs for this test with the same features as everything else in
//! the same `cargo test` run, and gives their paths in `CARGO_BIN_EXE_<name>`.

use std::process::Command;
use std::time::Instant;

/// Runs one example program and fails with its output if it exits non-zero.
fn run(name: &str, exe: &str) {
    let url = std::env::var("S3_TEST_MOTO_URL").expect("S3_TEST_MOTO_URL is not set: run these tests with `cargo xtask test`");
    let started = Instant::now();
    let out = Command::new(exe).env("S3_TEST_MOTO_URL", url).output().unwrap_or_else(|e| panic!("cannot run {exe}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "example {name} failed ({}):\n{stdout}\n{stderr}", out.status);
    if name == "filter_by_last_modified" {
        // Its searches are compared with boto3's (`S3_TEST_PYTHON`, set by xtask).
        assert!(std::env::var_os("S3_TEST_PYTHON").is_some(), "S3_TEST_PYTHON is not set: run these tests with `cargo xtask test`");
        assert_eq!(stdout.matches("the same").count(), 2, "both searches compared with boto3's:\n{stdout}");
    }
    println!("{stdout}example {name}: ok in {:.1} s", started.elapsed().as_secs_f64());
}

macro_rules! examples {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            #[ignore = "needs moto: run with `cargo xtask test`"]
            fn $name() {
                run(stringify!($name), env!(concat!("CARGO_BIN_EXE_", stringify!($name))));
            }
        )*
        const EXAMPLES: &[&str] = &[$(stringify!($name)),*];
    };
}

examples!(
    download_version,
    filter_by_last_modified,
    list_objects,
    list_top_level_prefixes,
    presign,
    restore_glacier_objects,
    s3cp,
    sse_c,
    sse_kms,
);

/// Not ignored: a new program in `src/bin/` must be added to the list above.
#[test]
fn every_example_is_run() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, EXAMPLES, "the programs in {} and the list in tests/examples.rs differ", dir.display());
}
