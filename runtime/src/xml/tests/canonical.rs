//! Expected values come from Python 3.11's `ET.canonicalize(body, strip_text=True)` and
//! botocore's `_assert_xml_bodies`; see `c14n_cases.rs`.

use super::c14n_cases::{CASES, EQ_PAIRS, PROTOCOL_CASES};
use crate::xml::{canonical_eq, canonicalize};

#[test]
fn canonical_forms_match_python() {
    assert!(CASES.len() > PROTOCOL_CASES);
    let mut failures = Vec::new();
    for (i, (input, expected)) in CASES.iter().enumerate() {
        let actual = canonicalize(input.as_bytes());
        let ok = match (&actual, expected) {
            (Ok(a), Some(e)) => a == e,
            (Err(_), None) => true,
            _ => false,
        };
        if !ok {
            failures
                .push(format!("case {i}: {input:?}\n  python: {expected:?}\n  rust:   {actual:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn comparison_matches_botocore() {
    for (actual, expected, equal) in EQ_PAIRS {
        assert_eq!(
            canonical_eq(actual.as_bytes(), expected.as_bytes()),
            *equal,
            "{actual:?} vs {expected:?}"
        );
    }
}

#[test]
fn writer_output_is_canonical_equal_to_pretty_form() {
    let mut w = crate::xml::XmlWriter::new();
    w.start("Tagging", &[("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/")]);
    w.start("TagSet", &[]);
    w.end("TagSet");
    w.end("Tagging");
    let pretty = "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n    <TagSet></TagSet>\n</Tagging>\n";
    assert!(canonical_eq(&w.finish(), pretty.as_bytes()));
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 200_000;
    let body = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let canonical = canonicalize(body.as_bytes());
    // roxmltree may refuse very deep documents; either way nothing panics.
    if let Ok(c) = canonical {
        assert_eq!(c.len(), depth * 7);
    }
}

/// Every prefix of every fixture (cut anywhere, even inside a UTF-8 sequence), and every
/// fixture with one byte flipped: the readers return errors or values, never panic.
#[test]
fn truncated_and_corrupted_inputs_never_panic() {
    use crate::xml::{child_elements, parse, parse_error_document, parse_f64, parse_i64, text};
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for (input, _) in CASES {
        let bytes = input.as_bytes();
        for end in 0..=bytes.len() {
            inputs.push(bytes[..end].to_vec());
        }
        for (i, flip) in [(0usize, b'<'), (1, b'&'), (2, 0xFF), (5, b'>'), (7, b'"')] {
            if i < bytes.len() {
                let mut v = bytes.to_vec();
                v[i] = flip;
                inputs.push(v);
            }
        }
    }
    for input in &inputs {
        let _ = canonicalize(input);
        let _ = canonical_eq(input, input);
        let _ = parse_error_document(input);
        if let Ok(doc) = parse(input) {
            let mut stack = vec![doc.root_element()];
            while let Some(node) = stack.pop() {
                stack.extend(child_elements(node));
                let _ = crate::xml::XmlError::at(node, "visited");
                let _ = text(node);
                let _ = parse_i64(node);
                let _ = parse_f64(node);
                let _ = child_elements(node).count();
            }
        }
    }
}
