//! `cargo xtask protocol-tests [--verbose]`: botocore's rest-xml protocol test suites,
//! run through our generator.
//!
//! 1. [`sdist`]: the botocore sdist of the pinned version (`models/s3/MODEL_VERSIONS.json`)
//!    is downloaded once into `target/botocore-sdist/`, and its rest-xml suites
//!    (`tests/unit/protocols/{input,output,legacy/input,legacy/output}/rest-xml.json`)
//!    and `protocol-tests-ignore-list.json` are extracted;
//! 2. [`suite`]: each suite becomes a `service-2.json`-shaped model, and the generator
//!    (`model` → `ir::lower` → `emit::generate`) writes a crate for it into
//!    `target/protocol-tests/<suite>/`, all of them members of the scratch workspace
//!    `target/protocol-tests/Cargo.toml` built into the main `target/` directory;
//! 3. [`cases`]: each case becomes a `#[test]` in the crate's `tests/cases.rs`, comparing
//!    what our code does with the case's expectations by botocore's own rules
//!    (`tests/unit/test_protocols.py`), with helpers from the [`support`] crate;
//! 4. [`run`]: one `cargo build` builds every crate, the test executables run, and each
//!    case's result is reported; the last line is `N passed, M failed[, K skipped]`.
//!
//! Cases on botocore's ignore list are skipped, with the entry that names them. A suite
//! the generator cannot handle fails all its cases with the generator's error; output
//! cases fail with "deserializers not available" until the generated crates have
//! `parse_response`.

pub(crate) mod cases;
pub(crate) mod run;
mod sdist;
pub(crate) mod suite;
pub(crate) mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use codegen::{CrateSettings, GeneratedFile};

use crate::project_root;
use cases::SuiteContext;
use suite::{Direction, Suite};

/// The protocol of the suites we run.
const PROTOCOL: &str = "rest-xml";

/// What became of one case.
enum Outcome {
    /// A test was generated: `(crate directory, test name)`.
    Pending(String, String),
    Passed,
    Failed(String),
    Skipped(String),
}

struct Record {
    /// Input or output (`None` for a malformed case).
    direction: Option<Direction>,
    /// Said with a failure: why the result may vary between runs.
    note: Option<String>,
    suite_label: String,
    suite_description: String,
    case_title: String,
    case_description: Option<String>,
    outcome: Outcome,
}

pub fn run(args: &[String]) -> Result<()> {
    let verbose = match args {
        [] => false,
        [flag] if flag == "--verbose" || flag == "-v" => true,
        _ => bail!("usage: cargo xtask protocol-tests [--verbose]"),
    };
    let started = Instant::now();
    let root = project_root();
    let versions = codegen::model::read_json(&root.join("models/s3/MODEL_VERSIONS.json"))?;
    let version = versions
        .get("botocore")
        .and_then(|v| v.as_str())
        .context("models/s3/MODEL_VERSIONS.json names no botocore version")?
        .to_owned();
    let sdist = sdist::fetch(&root, &version)?;
    let ignore = suite::IgnoreList::load(&sdist.ignore_list)?;
    let mut suites = Vec::new();
    for (label, path) in &sdist.suite_files {
        suites.extend(suite::load_file(label, path, PROTOCOL, &ignore)?);
    }
    let labels: Vec<&str> = sdist.suite_files.iter().map(|(l, _)| l.as_str()).collect();
    println!(
        "botocore {version} {PROTOCOL} protocol tests ({}): {} suites, {} cases, from {}",
        labels.join(", "),
        suites.len(),
        suites.iter().map(|s| s.cases.len()).sum::<usize>(),
        sdist.protocols_dir.display()
    );

    // Generate a crate per suite.
    let out_dir = root.join("target/protocol-tests");
    std::fs::create_dir_all(&out_dir)?;
    let runtime_path = root.join("runtime");
    let runtime_path = runtime_path.canonicalize().unwrap_or(runtime_path).display().to_string();
    let mut records = Vec::new();
    let mut crate_dirs: BTreeMap<String, String> = BTreeMap::new();
    for suite in &mut suites {
        let first = records.len();
        for case in &suite.cases {
            let outcome = match (&case.skip, case.direction) {
                (Some(reason), _) => Outcome::Skipped(reason.clone()),
                (None, None) => Outcome::Failed("the case has neither `params` nor `response`".into()),
                (None, Some(_)) => Outcome::Pending(String::new(), String::new()),
            };
            records.push(Record {
                direction: case.direction,
                note: None,
                suite_label: suite.label.clone(),
                suite_description: suite.description.clone(),
                case_title: case.title(),
                case_description: case.description.clone(),
                outcome,
            });
        }
        if !suite.has_runnable_cases() {
            continue;
        }
        let records = &mut records[first..];
        match generate_suite(suite, &version, &runtime_path, &out_dir, records) {
            Ok(Some(crate_name)) => {
                crate_dirs.insert(suite.label.clone(), crate_name);
            }
            Ok(None) => {}
            Err(err) => {
                let message = format!("{err:#}");
                for record in records.iter_mut().filter(|r| matches!(r.outcome, Outcome::Pending(..))) {
                    record.outcome = Outcome::Failed(message.clone());
                }
            }
        }
    }
    write_workspace(&root, &out_dir, &runtime_path, &crate_dirs)?;
    let generated_in = started.elapsed();

    // Build and run.
    println!(
        "generated {} crates in {generated_in:.1?}; building them (cargo build --tests -j 2) and running their tests…",
        crate_dirs.len()
    );
    let runs = run::build_and_run(&out_dir.join("Cargo.toml"), &root.join("target"), &crate_dirs)?;
    for record in &mut records {
        let Outcome::Pending(dir, test) = &record.outcome else { continue };
        record.outcome = match run::test_outcome(&runs, dir, test) {
            Ok(()) => Outcome::Passed,
            Err(message) => Outcome::Failed(message),
        };
    }
    report(&records, verbose, started);
    Ok(())
}

/// Generates the crate of one suite and the tests of its cases, updating the cases'
/// records. Returns the crate's name, or `None` when no test could be generated.
fn generate_suite(
    suite: &mut Suite,
    version: &str,
    runtime_path: &str,
    out_dir: &Path,
    records: &mut [Record],
) -> Result<Option<String>> {
    let model_doc = suite.model();
    let file = format!("botocore {version} suite {} ({:?})", suite.label, suite.description);
    let crate_name = format!("pt_{}", suite.label);
    let settings = CrateSettings {
        name: crate_name.clone(),
        version: "0.1.0".into(),
        runtime_path: runtime_path.to_owned(),
        model_source: format!("botocore {version}'s {PROTOCOL} protocol test suite {}", suite.label),
    };
    let (service, mut files) = catch_panic(|| {
        let model = codegen::model::ServiceModel::from_value(&file, model_doc)?;
        let service = codegen::ir::lower(&model)?;
        let files = codegen::emit::generate(&service, &settings)?;
        Ok((service, files))
    })
    .context("the generator fails on the suite's model")?;
    let has_parse_response = files.iter().any(|f| f.contents.contains("fn parse_response"));

    let suite: &Suite = suite;
    let mut ctx = SuiteContext::new(&service, suite, &crate_name);
    let mut tests = Vec::new();
    for (case, record) in suite.cases.iter().zip(records.iter_mut()) {
        if !matches!(record.outcome, Outcome::Pending(..)) {
            continue;
        }
        let test = match case.direction {
            Some(Direction::Input) => {
                let test = ctx.input_test(case);
                if ctx.map_order_matters() {
                    record.note = Some(
                        "note: `params` has a map with several entries, which botocore serializes in the given order; \
                         the generated map type decides the order here, so this result may vary between runs"
                            .into(),
                    );
                }
                test
            }
            Some(Direction::Output) if has_parse_response => ctx.output_test(case),
            Some(Direction::Output) => {
                record.outcome = Outcome::Failed(
                    "deserializers not available: the generated crate has no `parse_response`".into(),
                );
                continue;
            }
            None => continue,
        };
        match test {
            Ok(tokens) => {
                tests.push(tokens);
                record.outcome =
                    Outcome::Pending(suite.label.clone(), format!("{}::{}", suite.label, cases::test_fn_name(case)));
            }
            Err(err) => record.outcome = Outcome::Failed(format!("cannot generate the test: {err:#}")),
        }
    }
    if tests.is_empty() {
        return Ok(None);
    }
    ctx.close_converters();
    let test_file = ctx.test_file(tests);
    let syntax: syn::File =
        syn::parse2(test_file).with_context(|| format!("the tests of suite {} are not valid Rust", suite.label))?;
    let cases_rs = format!("// Written by `cargo xtask protocol-tests`. DO NOT EDIT.\n{}", prettyplease::unparse(&syntax));

    for f in &mut files {
        if f.path == "Cargo.toml" {
            f.contents.push_str(&format!(
                "\n[lib]\ntest = false\ndoctest = false\n\n[dev-dependencies]\n{} = {{ path = \"../{}\" }}\ns3-runtime = {{ path = {}, features = [\"xml-canonical\"] }}\n",
                support::NAME,
                support::NAME,
                support::toml_string(runtime_path),
            ));
        }
    }
    files.push(GeneratedFile { path: "tests/cases.rs".into(), contents: cases_rs });
    codegen::write::write_files(&out_dir.join(&suite.label), &files)?;
    Ok(Some(crate_name))
}

/// Runs `f`, turning a panic into an error (a generator panic on one suite's model must
/// not stop the others), without the panic hook's message on stderr.
fn catch_panic<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    match result {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".into());
            bail!("panic: {message}")
        }
    }
}

/// The scratch workspace: `Cargo.toml` listing the support crate and the suite crates,
/// the main `Cargo.lock` (same dependency versions, nothing to resolve), and a
/// `.cargo/config.toml` pointing `cargo` run from there at the main `target/`. Crate
/// directories of suites that no longer generate are removed.
fn write_workspace(root: &Path, out_dir: &Path, runtime_path: &str, crate_dirs: &BTreeMap<String, String>) -> Result<()> {
    let support_dir = out_dir.join(support::NAME);
    let support_lib: syn::File = syn::parse2(support::lib_rs()).context("the support crate is not valid Rust")?;
    codegen::write::write_files(
        &support_dir,
        &[
            GeneratedFile { path: "Cargo.toml".into(), contents: support::cargo_toml(runtime_path) },
            GeneratedFile {
                path: "src/lib.rs".into(),
                contents: format!(
                    "// Written by `cargo xtask protocol-tests`. DO NOT EDIT.\n{}",
                    prettyplease::unparse(&support_lib)
                ),
            },
        ],
    )?;
    let mut members = vec![support::NAME.to_owned()];
    members.extend(crate_dirs.keys().cloned());
    let members: Vec<String> = members.iter().map(|m| format!("    {},\n", support::toml_string(m))).collect();
    write_if_changed(
        &out_dir.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask protocol-tests`: one crate per botocore protocol test suite.\n\
             [workspace]\nresolver = \"2\"\nmembers = [\n{}]\n\n\
             # Generated code changes as a whole, so incremental caches and debug info would\n\
             # only cost disk space and link time.\n\
             [profile.dev]\ndebug = 0\nincremental = false\n",
            members.concat()
        ),
    )?;
    let target = root.join("target");
    write_if_changed(
        &out_dir.join(".cargo/config.toml"),
        &format!("[build]\ntarget-dir = {}\n", support::toml_string(&target.display().to_string())),
    )?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("cannot read Cargo.lock")?;
    write_if_changed(&out_dir.join("Cargo.lock"), &lock)?;
    for entry in std::fs::read_dir(out_dir)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.join("Cargo.toml").exists() && name != support::NAME && !crate_dirs.contains_key(&name) {
            std::fs::remove_dir_all(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(())
}

pub(crate) fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

/// Prints the skipped cases, then the failures, then `N passed, M failed[, K skipped]`.
fn report(records: &[Record], verbose: bool, started: Instant) {
    let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = |r: &Record| {
        let mut s = format!("{} {} [{}]", r.suite_label, r.case_title, one_line(&r.suite_description));
        if let Some(d) = &r.case_description {
            s.push_str(": ");
            s.push_str(&one_line(d));
        }
        s
    };
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for r in records {
        if let Outcome::Skipped(reason) = &r.outcome {
            skipped += 1;
            println!("SKIPPED {}\n    {reason}", name(r));
        }
    }
    for r in records {
        match &r.outcome {
            Outcome::Passed => passed += 1,
            Outcome::Failed(message) => {
                failed += 1;
                println!("FAILED {}", name(r));
                for line in short(message, verbose) {
                    println!("    {line}");
                }
                if let Some(note) = &r.note {
                    println!("    {note}");
                }
            }
            _ => {}
        }
    }
    for direction in [Direction::Input, Direction::Output] {
        let of = |f: fn(&Outcome) -> bool| records.iter().filter(|r| r.direction == Some(direction) && f(&r.outcome)).count();
        println!(
            "{} cases: {} passed, {} failed, {} skipped",
            direction.as_str(),
            of(|o| matches!(o, Outcome::Passed)),
            of(|o| matches!(o, Outcome::Failed(_))),
            of(|o| matches!(o, Outcome::Skipped(_))),
        );
    }
    println!("(in {:.0?})", started.elapsed());
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    if failed > 0 {
        // The summary must stay the last line, so exit here rather than returning an
        // error for `main` to print.
        std::process::exit(1);
    }
}

/// The message, at most 8 lines of at most 240 characters unless `verbose`.
pub(crate) fn short(message: &str, verbose: bool) -> Vec<String> {
    let lines: Vec<&str> = message.lines().collect();
    if verbose {
        return lines.iter().map(|l| l.to_string()).collect();
    }
    let mut out: Vec<String> = lines
        .iter()
        .take(8)
        .map(|l| match l.char_indices().nth(240) {
            Some((end, _)) => format!("{}…", &l[..end]),
            None => l.to_string(),
        })
        .collect();
    if lines.len() > 8 {
        out.push(format!("… ({} more lines; --verbose shows all)", lines.len() - 8));
    }
    out
}
