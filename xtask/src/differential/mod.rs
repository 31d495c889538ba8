//! `cargo xtask differential [--verbose]`: the generated crate against botocore, request
//! by request and response by response.
//!
//! 1. `xtask/differential/botocore_requests.py` runs in the project's virtual
//!    environment (pinned botocore): for every S3 operation it generates parameters from
//!    the model (every member; only the required ones; and, for SSE-C operations, without
//!    the key digests), calls botocore's client and records the request a `before-send`
//!    handler caught; it also synthesizes a response per operation (every header and body
//!    member) and records botocore's parsed result. Both go to `target/differential/`
//!    (`requests.json`, `responses.json`). Every request case is also presigned by
//!    botocore's `generate_presigned_url` with three clients (path style on a custom
//!    endpoint, AWS's virtual-hosted endpoints, a virtual-hosted custom endpoint with a
//!    session token), at a fixed time (`presigns.json`).
//! 2. [`cases`]: each recording becomes a `#[test]` of the crate
//!    `target/differential/crate`, with the protocol-test harness's `params` walker and
//!    value converters: requests are built with the fluent builder
//!    (`into_http_request()`, `endpoint_params()`, endpoint resolution and
//!    `s3_runtime::orchestrator::request_url`) and compared by [`support`]'s
//!    `check_request`; responses go through `parse_response` and are compared with
//!    botocore's result; botocore's `aws-chunked` bodies with a trailing checksum
//!    (`trailers.json`) are compared with our encoding. Checksum cases (every algorithm,
//!    header and trailer, and the `when_required` settings) are also counted on their
//!    own: `checksums vs botocore: N passed, M failed`.
//!    Presigned URLs come from the fluent builder's `presigned()` with
//!    the same clock and credentials and must equal botocore's byte for byte, with the
//!    same headers to send.
//! 3. The scratch workspace `target/differential/Cargo.toml` (the test crate,
//!    `diff-support`, the protocol tests' `pt-support`) is built into the main
//!    `target/` with `nice cargo build -j 2`, the tests run, and each case is reported;
//!    the presigned URLs are counted on their own line, `presign vs botocore: N passed,
//!    M failed`; the last line is `N passed, M failed` (everything), and the command
//!    fails when M > 0.

mod cases;
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use codegen::GeneratedFile;
use serde_json::Value;

use crate::project_root;
use crate::protocol_tests::cases::SuiteContext;
use crate::protocol_tests::suite::Suite;
use crate::protocol_tests::{run as build, short, write_if_changed};
use cases::{PresignCase, RequestCase, ResponseCase, SignatureCase, TrailerCase};

/// The directory of the test crate under `target/differential` (and its package name).
const CRATE_DIR: &str = "crate";
const CRATE_NAME: &str = "differential";
/// The module the tests live in (`differential::request_put_object_full`).
const MODULE: &str = "differential";

enum Outcome {
    /// A test was generated, with this name.
    Pending(String),
    Passed,
    Failed(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
    Presign,
}

struct Record {
    title: String,
    kind: Kind,
    /// Counted in `checksums vs botocore` too.
    is_checksum: bool,
    outcome: Outcome,
}

pub fn run(args: &[String]) -> Result<()> {
    let verbose = match args {
        [] => false,
        [flag] if flag == "--verbose" || flag == "-v" => true,
        _ => bail!("usage: cargo xtask differential [--verbose]"),
    };
    let started = Instant::now();
    let root = project_root();
    let out_dir = root.join("target/differential");
    std::fs::create_dir_all(&out_dir)?;

    // 1. What botocore does.
    let venv = crate::tools::ensure_venv()?;
    let script = root.join("xtask/differential/botocore_requests.py");
    let output = Command::new(venv.join("bin/python"))
        .arg(&script)
        .arg(&out_dir)
        .current_dir(&root)
        .output()
        .with_context(|| format!("cannot run {}", script.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut records = Vec::new();
    for line in stdout.lines() {
        match line.strip_prefix("PROBLEM ") {
            // botocore itself refused a case: the case cannot be compared.
            Some(problem) => records.push(Record {
                title: format!("botocore: {}", problem.lines().next().unwrap_or("")),
                kind: if problem.contains(" presign (") {
                    Kind::Presign
                } else if problem.contains(" response:") {
                    Kind::Response
                } else {
                    Kind::Request
                },
                is_checksum: problem.starts_with("trailer ") || problem.contains(" checksum_") || problem.contains(" when_required"),
                outcome: Outcome::Failed(problem.to_owned()),
            }),
            None => println!("{line}"),
        }
    }
    if !output.status.success() && !stdout.contains("PROBLEM ") {
        bail!(
            "{} failed ({}):\n{}{}",
            script.display(),
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let requests = load_cases(&out_dir.join("requests.json"), RequestCase::from_json)?;
    let responses = load_cases(&out_dir.join("responses.json"), ResponseCase::from_json)?;
    let trailers = load_cases(&out_dir.join("trailers.json"), TrailerCase::from_json)?;
    let signatures = load_cases(&out_dir.join("signatures.json"), SignatureCase::from_json)?;
    let presigns = load_cases(&out_dir.join("presigns.json"), PresignCase::from_json)?;

    // 2. The tests.
    let model_dir = root.join("models/s3");
    let model = codegen::model::ServiceModel::load_dir(&model_dir)?;
    let service = codegen::ir::lower(&model)?;
    let model_json = codegen::model::read_json(&model_dir.join("service-2.json"))?;
    let suite = Suite {
        label: MODULE.to_owned(),
        description: "the generated S3 crate against botocore's recorded requests and responses".to_owned(),
        metadata: model_json.get("metadata").cloned().unwrap_or(Value::Null),
        shapes: model_json.get("shapes").cloned().unwrap_or(Value::Null),
        client_endpoint: None,
        cases: Vec::new(),
    };
    let mut ctx = SuiteContext::new(&service, &suite, "s3");
    let mut tests = Vec::new();
    let mut add = |records: &mut Vec<Record>, title: String, kind: Kind, is_checksum: bool, name: String, test: Result<_>| {
        let outcome = match test {
            Ok(tokens) => {
                tests.push(tokens);
                Outcome::Pending(format!("{MODULE}::{name}"))
            }
            Err(err) => Outcome::Failed(format!("cannot generate the test: {err:#}")),
        };
        records.push(Record { title, kind, is_checksum, outcome });
    };
    for case in &requests {
        add(&mut records, case.title(), Kind::Request, case.is_checksum(), case.test_name(), cases::request_test(&ctx, case));
    }
    for case in &responses {
        add(&mut records, case.title(), Kind::Response, false, case.test_name(), cases::response_test(&mut ctx, case));
    }
    for case in &trailers {
        add(&mut records, case.title(), Kind::Request, true, case.test_name(), Ok(cases::trailer_test(case)));
    }
    for case in &signatures {
        add(&mut records, case.title(), Kind::Request, false, case.test_name(), cases::signature_test(&ctx, case));
    }
    // The builder of each (operation, parameters) is written once, with its first test.
    let mut builders: BTreeMap<String, bool> = BTreeMap::new();
    for case in &presigns {
        let test = match builders.get(&case.builder_fn()) {
            Some(true) => Ok(cases::presign_test(case)),
            Some(false) => Err(anyhow::anyhow!("the builder of these parameters could not be generated")),
            None => {
                let builder = cases::presign_builder_fn(&ctx, case);
                builders.insert(case.builder_fn(), builder.is_ok());
                builder.map(|builder| {
                    let test = cases::presign_test(case);
                    quote::quote!(#builder #test)
                })
            }
        };
        add(&mut records, case.title(), Kind::Presign, false, case.test_name(), test);
    }
    ctx.close_converters();
    let test_file = ctx.test_file(tests);
    let syntax: syn::File = syn::parse2(test_file).context("the differential tests are not valid Rust")?;
    let tests_rs = format!("// Written by `cargo xtask differential`. DO NOT EDIT.\n{}", prettyplease::unparse(&syntax));
    write_workspace(&root, &out_dir, &tests_rs)?;
    let ops_with_requests: std::collections::BTreeSet<&str> = requests.iter().map(|c| c.operation.as_str()).collect();
    println!(
        "{} request cases ({} of {} operations), {} response cases, {} presigned URLs ({} operations); building target/differential (cargo build --tests -j 2) and running…",
        requests.len(),
        ops_with_requests.len(),
        service.operations.len(),
        responses.len(),
        presigns.len(),
        presigns.iter().map(|c| c.operation.as_str()).collect::<std::collections::BTreeSet<_>>().len()
    );

    // 3. Build and run.
    let crate_dirs = BTreeMap::from([(CRATE_DIR.to_owned(), CRATE_NAME.to_owned())]);
    let runs = build::build_and_run(&out_dir.join("Cargo.toml"), &root.join("target"), &crate_dirs)?;
    for record in &mut records {
        let Outcome::Pending(test) = &record.outcome else { continue };
        record.outcome = match build::test_outcome(&runs, CRATE_DIR, test) {
            Ok(()) => Outcome::Passed,
            Err(message) => Outcome::Failed(message),
        };
    }
    report(&records, verbose, started);
    Ok(())
}

fn load_cases<T>(path: &Path, from_json: fn(&Value) -> Result<T>) -> Result<Vec<T>> {
    let doc = codegen::model::read_json(path)?;
    let cases = doc.get("cases").and_then(Value::as_array).with_context(|| format!("{}: no `cases`", path.display()))?;
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| from_json(c).with_context(|| format!("{}: case {i}", path.display())))
        .collect()
}

/// The scratch workspace: the test crate, `diff-support` and the protocol tests'
/// `pt-support`, the main `Cargo.lock`, and a `.cargo/config.toml` pointing at the main
/// `target/`. The profile is the protocol tests' (no debug info, not incremental), so
/// the runtime and its dependencies built for them are reused.
fn write_workspace(root: &Path, out_dir: &Path, tests_rs: &str) -> Result<()> {
    use crate::protocol_tests::support as pt;
    let canonical = |p: &str| {
        let path = root.join(p);
        path.canonicalize().unwrap_or(path).display().to_string()
    };
    let (runtime_path, s3_path) = (canonical("runtime"), canonical("generated/s3"));
    let lib = |tokens, what: &str| -> Result<String> {
        let file: syn::File = syn::parse2(tokens).with_context(|| format!("the {what} crate is not valid Rust"))?;
        Ok(format!("// Written by `cargo xtask differential`. DO NOT EDIT.\n{}", prettyplease::unparse(&file)))
    };
    codegen::write::write_files(
        &out_dir.join(pt::NAME),
        &[
            GeneratedFile { path: "Cargo.toml".into(), contents: pt::cargo_toml(&runtime_path) },
            GeneratedFile { path: "src/lib.rs".into(), contents: lib(pt::lib_rs(), pt::NAME)? },
        ],
    )?;
    codegen::write::write_files(
        &out_dir.join(support::NAME),
        &[
            GeneratedFile { path: "Cargo.toml".into(), contents: support::cargo_toml(&runtime_path, &s3_path) },
            GeneratedFile { path: "src/lib.rs".into(), contents: lib(support::lib_rs(), support::NAME)? },
        ],
    )?;
    let crate_toml = format!(
        "# Written by `cargo xtask differential`.\n\
         [package]\n\
         name = \"{CRATE_NAME}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         \n\
         [lib]\n\
         path = \"src/lib.rs\"\n\
         test = false\n\
         doctest = false\n\
         \n\
         [dev-dependencies]\n\
         s3 = {{ path = {s3} }}\n\
         s3-runtime = {{ path = {runtime}, features = [\"xml-canonical\"] }}\n\
         pt-support = {{ path = \"../pt-support\" }}\n\
         diff-support = {{ path = \"../diff-support\" }}\n",
        s3 = pt::toml_string(&s3_path),
        runtime = pt::toml_string(&runtime_path),
    );
    codegen::write::write_files(
        &out_dir.join(CRATE_DIR),
        &[
            GeneratedFile { path: "Cargo.toml".into(), contents: crate_toml },
            GeneratedFile {
                path: "src/lib.rs".into(),
                contents: "//! The tests are in `tests/cases.rs`.\n".into(),
            },
            GeneratedFile { path: "tests/cases.rs".into(), contents: tests_rs.to_owned() },
        ],
    )?;
    let members = [pt::NAME, support::NAME, CRATE_DIR].map(|m| format!("    {},\n", pt::toml_string(m)));
    write_if_changed(
        &out_dir.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask differential`.\n\
             [workspace]\nresolver = \"2\"\nmembers = [\n{}]\n\n\
             [profile.dev]\ndebug = 0\nincremental = false\n",
            members.concat()
        ),
    )?;
    write_if_changed(
        &out_dir.join(".cargo/config.toml"),
        &format!("[build]\ntarget-dir = {}\n", pt::toml_string(&root.join("target").display().to_string())),
    )?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("cannot read Cargo.lock")?;
    write_if_changed(&out_dir.join("Cargo.lock"), &lock)?;
    Ok(())
}

/// Prints the failures (requests, then responses), the counts, and last
/// `N passed, M failed`; exits with 1 when something failed.
fn report(records: &[Record], verbose: bool, started: Instant) {
    let mut failed = 0;
    for kind in [Kind::Request, Kind::Response, Kind::Presign] {
        for r in records.iter().filter(|r| r.kind == kind) {
            if let Outcome::Failed(message) = &r.outcome {
                failed += 1;
                println!("FAILED {}", r.title);
                for line in short(message, verbose) {
                    println!("    {line}");
                }
            }
        }
    }
    let passed = records.iter().filter(|r| matches!(r.outcome, Outcome::Passed)).count();
    for (label, kind) in [("requests", Kind::Request), ("responses", Kind::Response), ("presign vs botocore", Kind::Presign)] {
        let of = |f: fn(&Outcome) -> bool| records.iter().filter(|r| r.kind == kind && f(&r.outcome)).count();
        println!(
            "{label}: {} passed, {} failed",
            of(|o| matches!(o, Outcome::Passed)),
            of(|o| matches!(o, Outcome::Failed(_)))
        );
    }
    let checksums = |f: fn(&Outcome) -> bool| records.iter().filter(|r| r.is_checksum && f(&r.outcome)).count();
    println!(
        "checksums vs botocore: {} passed, {} failed",
        checksums(|o| matches!(o, Outcome::Passed)),
        checksums(|o| matches!(o, Outcome::Failed(_)))
    );
    println!("(in {:.0?})", started.elapsed());
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
