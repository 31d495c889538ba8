//! Snapshot tests: small fixture models (one feature each, under `tests/fixtures/`) and
//! a few S3 operations, each rendered as (1) the IR's binding decisions and (2) the
//! generated code. Review changes with `cargo insta review`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::emit::{generate_with_extras, CrateSettings, Extras, GeneratedFile};
use codegen::ir::{self, Location, Member, Service, ShapeKind};
use codegen::model::ServiceModel;
use codegen::waiters::Matcher;

fn settings() -> CrateSettings {
    CrateSettings {
        name: "fixture".into(),
        version: "0.1.0".into(),
        runtime_path: "../../runtime".into(),
        model_source: "a fixture model".into(),
    }
}

fn load(dir: &Path) -> (Service, Vec<GeneratedFile>) {
    let (service, _, files) = load_with_extras(dir);
    (service, files)
}

/// The model with its paginators and waiters, when the directory has them.
fn load_with_extras(dir: &Path) -> (Service, Extras, Vec<GeneratedFile>) {
    let model = ServiceModel::load_dir(dir).unwrap_or_else(|e| panic!("{e:#}"));
    let service = ir::lower(&model).unwrap_or_else(|e| panic!("{e:#}"));
    let extras = codegen::load_extras(dir, &service).unwrap_or_else(|e| panic!("{e:#}"));
    let files = generate_with_extras(&service, &extras, &settings()).unwrap_or_else(|e| panic!("{e:#}"));
    (service, extras, files)
}

/// Paginators and waiters as the IR has them: tokens, compiled expressions and their
/// types, acceptors.
fn describe_extras(extras: &Extras) -> String {
    let mut out = String::new();
    for p in &extras.paginators {
        writeln!(out, "paginator {}", p.operation).unwrap();
        for (input, output) in p.input_tokens.iter().zip(&p.output_tokens) {
            writeln!(
                out,
                "  token {} ({}: {:?}) <- `{}`: {}",
                input.name,
                input.field,
                input.kind,
                output.source,
                output.ty.describe()
            )
            .unwrap();
        }
        if let Some(more) = &p.more_results {
            writeln!(out, "  more_results `{}`: {}", more.source, more.ty.describe()).unwrap();
        }
        if let Some(limit) = &p.limit_key {
            writeln!(out, "  limit_key {} ({}: {:?})", limit.name, limit.field, limit.kind).unwrap();
        }
        for (i, r) in p.result_keys.iter().enumerate() {
            let primary = if i == 0 { " (counted by max_items)" } else { "" };
            writeln!(out, "  result_key `{}` -> {}(): {:?}{primary}", r.expression, r.method, r.item).unwrap();
        }
        if !p.non_aggregate_keys.is_empty() {
            writeln!(out, "  non_aggregate_keys {:?}", p.non_aggregate_keys).unwrap();
        }
    }
    for w in &extras.waiters {
        writeln!(
            out,
            "waiter {} -> wait_until_{}(): {} every {} s, {} attempts, success status {:?}",
            w.name, w.snake, w.operation, w.delay, w.max_attempts, w.success_status
        )
        .unwrap();
        for a in &w.acceptors {
            let matcher = match &a.matcher {
                Matcher::Status(code) => format!("status {code}"),
                Matcher::ErrorCode(code) => format!("error code {code:?}"),
                Matcher::AnyError => "any error".into(),
                Matcher::NoError => "no error".into(),
                Matcher::Path(c, e) | Matcher::PathAll(c, e) | Matcher::PathAny(c, e) => {
                    let kind = match &a.matcher {
                        Matcher::Path(..) => "path",
                        Matcher::PathAll(..) => "pathAll",
                        _ => "pathAny",
                    };
                    let many = if c.many { "projection of " } else { "" };
                    format!("{kind} `{}` ({many}{}) == {e:?}", c.source, c.ty.describe())
                }
            };
            writeln!(out, "  {:?}: {matcher}", a.state).unwrap();
        }
    }
    out
}

/// One line per member: where it goes on the wire and how.
fn describe_member(m: &Member) -> String {
    let mut line = format!("{} ({}): {:?}", m.name, m.field, m.ty);
    let location = match &m.location {
        Location::Uri { label, greedy } => format!("uri label {{{label}{}}}", if *greedy { "+" } else { "" }),
        Location::Query(name) => format!("query `{name}`"),
        Location::QueryMap => "query map".into(),
        Location::Header(name) => format!("header `{name}`"),
        Location::PrefixHeaders(prefix) => format!("headers prefixed `{prefix}`"),
        Location::StatusCode => "status code".into(),
        Location::Payload => "payload".into(),
        Location::Body => format!("xml <{}>", m.xml_name),
    };
    write!(line, " @ {location}").unwrap();
    for (flag, text) in [
        (m.required, "required"),
        (m.flattened, "flattened"),
        (m.xml_attribute, "xml attribute"),
        (m.sensitive, "sensitive"),
        (m.deprecated.is_some(), "deprecated"),
        (m.streaming, "streaming"),
        (m.event_payload, "event payload"),
        (m.boxed, "boxed"),
    ] {
        if flag {
            write!(line, ", {text}").unwrap();
        }
    }
    if let Some(ns) = &m.xml_namespace {
        write!(line, ", xmlns{}={}", ns.prefix.as_deref().map(|p| format!(":{p}")).unwrap_or_default(), ns.uri).unwrap();
    }
    if let Some(ts) = m.timestamp_format {
        write!(line, ", timestamp {ts:?}").unwrap();
    }
    line
}

fn describe(service: &Service) -> String {
    let mut out = String::new();
    for op in &service.operations {
        writeln!(out, "operation {} `{} {}` query {:?}", op.name, op.http.method, op.http.path, op.http.literal_query).unwrap();
        for (label, s) in [("input", &op.input), ("output", &op.output)] {
            writeln!(out, "  {label} {} <{}>", s.rust_name, s.xml_name).unwrap();
            for m in &s.members {
                writeln!(out, "    {}", describe_member(m)).unwrap();
            }
        }
        if !op.errors.is_empty() {
            writeln!(out, "  errors {:?}", op.errors).unwrap();
        }
    }
    for name in &service.named_types {
        let shape = service.shape(name);
        match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) | ShapeKind::EventStream(s) => {
                let ns = s.xml_namespace.as_ref().map(|ns| format!(" xmlns {ns:?}")).unwrap_or_default();
                writeln!(out, "type {} <{}>{ns}", shape.rust_name, s.xml_name).unwrap();
                for m in &s.members {
                    writeln!(out, "    {}", describe_member(m)).unwrap();
                }
            }
            ShapeKind::Enum(values) => {
                let values: Vec<String> = values.iter().map(|v| format!("{}={:?}", v.variant, v.value)).collect();
                writeln!(out, "enum {} [{}]", shape.rust_name, values.join(", ")).unwrap();
            }
            _ => {}
        }
    }
    out
}

fn concat(files: &[GeneratedFile], keep: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    for file in files.iter().filter(|f| keep(&f.path)) {
        writeln!(out, "=== {} ===\n{}", file.path, file.contents).unwrap();
    }
    out
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(name: &str) {
    let (service, extras, files) = load_with_extras(&fixtures_dir().join(name));
    let code = concat(&files, |path| {
        (path.starts_with("src/types/") && !path.ends_with("mod.rs"))
            || (path.starts_with("src/operation/") && !path.ends_with("builders.rs") && path != "src/operation/mod.rs")
            || path.starts_with("src/waiters/")
            || path == "src/pagination.rs"
    });
    insta::assert_snapshot!(name, format!("{}{}\n{}", describe(&service), describe_extras(&extras), code));
}

macro_rules! fixture_tests {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { fixture(stringify!($name)); } )*

        #[test]
        fn every_fixture_has_a_test() {
            let known = [$(stringify!($name)),*];
            for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(known.contains(&name.as_str()), "fixture `{name}` has no test");
            }
        }
    };
}

fixture_tests!(
    uri_labels,
    query_lists_and_maps,
    headers_and_prefix_headers,
    payload_members,
    flattened_lists,
    xml_names_and_namespaces,
    xml_attribute,
    timestamp_formats,
    enums,
    union,
    sensitive,
    deprecated,
    event_stream,
    errors_and_recursion,
    pagination,
    waiters,
);

fn s3_operation(op_module: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
    let (service, files) = load(&dir);
    let op = service.operations.iter().find(|o| o.snake == op_module).expect("operation exists");
    let mut ir = String::new();
    for (label, s) in [("input", &op.input), ("output", &op.output)] {
        writeln!(ir, "{label} {}", s.rust_name).unwrap();
        for m in &s.members {
            writeln!(ir, "    {}", describe_member(m)).unwrap();
        }
    }
    let prefix = format!("src/operation/{op_module}/");
    // Paginators have their own snapshot (`s3_paginators`).
    let code = concat(&files, |path| path.starts_with(&prefix) && !path.ends_with("/paginator.rs"));
    insta::assert_snapshot!(format!("s3_{op_module}"), format!("{ir}\n{code}"));
}

#[test]
fn s3_get_object() {
    s3_operation("get_object");
}

#[test]
fn s3_put_object() {
    s3_operation("put_object");
}

#[test]
fn s3_list_objects_v2() {
    s3_operation("list_objects_v2");
}

#[test]
fn s3_delete_objects() {
    s3_operation("delete_objects");
}

#[test]
fn s3_select_object_content() {
    s3_operation("select_object_content");
}

/// The S3 model's eight paginators and four waiters: the IR and the generated files.
fn s3_extras(keep: impl Fn(&str) -> bool, pick: impl Fn(Extras) -> Extras, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
    let (_, extras, files) = load_with_extras(&dir);
    let code = concat(&files, keep);
    insta::assert_snapshot!(name, format!("{}\n{}", describe_extras(&pick(extras)), code));
}

#[test]
fn s3_paginators() {
    s3_extras(
        |path| path.ends_with("/paginator.rs") || path == "src/pagination.rs",
        |e| Extras { waiters: Vec::new(), ..e },
        "s3_paginators",
    );
}

#[test]
fn s3_waiters() {
    s3_extras(|path| path.starts_with("src/waiters/"), |e| Extras { paginators: Vec::new(), ..e }, "s3_waiters");
}
