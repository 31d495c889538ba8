//! Pathological documents: the work the well-formedness checks do grows linearly with
//! the input. Work is counted (`dom::WORK`: comparisons of attribute names, hash set
//! insertions, namespace lookups and scope changes), never timed.

use crate::xml::dom::WORK;
use crate::xml::parse;

fn work_to_parse(input: &str) -> (bool, u64) {
    WORK.with(|w| w.set(0));
    let ok = parse(input.as_bytes()).is_ok();
    (ok, WORK.with(|w| w.get()))
}

/// `<r a0="" a1="" …/>` with `n` distinct attributes, and the same with the last one
/// repeating the first.
fn many_attributes(n: usize, repeat_first: bool) -> String {
    let mut s = String::from("<r");
    for i in 0..n {
        s.push_str(&format!(" a{i}=\"\""));
    }
    if repeat_first {
        s.push_str(" a0=\"\"");
    }
    s.push_str("/>");
    s
}

/// `depth` nested elements, each declaring its own prefix, with unprefixed names: each
/// name is looked up while every enclosing declaration is in scope.
fn nested_namespaces(depth: usize) -> String {
    let mut s = String::new();
    for i in 0..depth {
        s.push_str(&format!("<e xmlns:p{i}=\"urn:{i}\">"));
    }
    s.push_str("<p0:leaf/>");
    for _ in 0..depth {
        s.push_str("</e>");
    }
    s
}

/// Before: each attribute was compared with every earlier one, n²/2 comparisons (64,000
/// attributes took 4.2 s).
#[test]
fn repeated_attribute_check_is_linear() {
    let (ok, small) = work_to_parse(&many_attributes(8_000, false));
    assert!(ok);
    let (ok, large) = work_to_parse(&many_attributes(64_000, false));
    assert!(ok);
    assert!(large <= 2 * 64_000, "64,000 attributes took {large} steps");
    assert!(large <= 9 * small, "8× the attributes took {}× the work", large as f64 / small as f64);
    let (ok, repeated) = work_to_parse(&many_attributes(64_000, true));
    assert!(!ok, "the repeated attribute is found");
    assert!(repeated <= 2 * 64_001, "{repeated}");
}

/// Before: each name's prefix was looked up by scanning every declaration in scope
/// (64k nested levels took 0.96 s).
#[test]
fn namespace_lookups_are_linear_in_the_nesting() {
    let (ok, small) = work_to_parse(&nested_namespaces(8_000));
    assert!(ok);
    let (ok, large) = work_to_parse(&nested_namespaces(64_000));
    assert!(ok);
    assert!(large <= 4 * 64_000, "64,000 levels took {large} steps");
    assert!(large <= 9 * small, "8× the levels took {}× the work", large as f64 / small as f64);
}

/// A few attributes are compared pairwise; the answers agree either way.
#[test]
fn repeats_found_either_way() {
    for n in [1, 2, 7, 8, 9, 40] {
        assert!(parse(many_attributes(n, false).as_bytes()).is_ok(), "{n}");
        let err = parse(many_attributes(n, true).as_bytes()).unwrap_err();
        assert!(err.to_string().contains("the attribute `a0` is repeated"), "{n}: {err}");
    }
    // The same local name under two prefixes is not a repeat; namespace declarations are
    // not attributes.
    assert!(parse(b"<r xmlns:a='u' xmlns:b='v' a:x='' b:x='' x='' c1='' c2='' c3='' c4='' c5='' c6='' c7=''/>").is_ok());
    // A prefix declared by an element ends with it.
    assert!(parse(b"<r><a xmlns:p='u'/><p:b/></r>").is_err());
    assert!(parse(b"<r xmlns='u'><a xmlns=''><b/></a></r>").is_ok());
}

/// Prints how long the pathological documents take to parse (for the record; nothing is
/// asserted about time): `cargo test -p s3-runtime --release --lib pathological_timings
/// -- --ignored --nocapture`.
#[test]
#[ignore = "prints timings; run on demand"]
fn pathological_timings() {
    for (what, input) in [
        ("64,000 attributes", many_attributes(64_000, false)),
        ("16,000 nested namespace levels", nested_namespaces(16_000)),
        ("64,000 nested namespace levels", nested_namespaces(64_000)),
        ("64,000 nested elements", "<e>".repeat(64_000) + &"</e>".repeat(64_000)),
    ] {
        let start = std::time::Instant::now();
        let (ok, work) = work_to_parse(&input);
        println!("{what}: ok={ok}, {work} steps, {:?}", start.elapsed());
    }
}
