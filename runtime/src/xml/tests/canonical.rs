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

/// The element tree agrees with `roxmltree`, a complete XML 1.0 parser, on thousands of
/// mutations of a typical response: both accept or both refuse, and when both accept,
/// every element has the same local name, namespace-ness, text (ElementTree's
/// `Element.text`) and attributes.
#[test]
fn element_tree_agrees_with_roxmltree_on_mutated_documents() {
    let base = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\" xmlns:x=\"urn:x\">",
        "<Name>b&amp;c</Name><!-- c --><Contents><Key>a &lt;b&gt;&#x20AC;&#65;</Key>",
        "<ETag>&quot;e&quot;</ETag><x:Size>12</x:Size><Owner x:type=\"t\" id='i'><ID>o</ID></Owner>",
        "</Contents><Contents><Key><![CDATA[<raw>]]>tail</Key><?pi data?><Size>1\r\n2</Size></Contents>",
        "<Empty/><IsTruncated>false</IsTruncated></ListBucketResult>\n",
    );
    let alphabet: &[u8] = b"<>/&;#x:=\"' \r\n!?[]-aZ0\xC3\xA9";
    let mut seed: u64 = 0x5EED;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let (mut both_ok, mut both_err) = (0, 0);
    let mut stricter: Vec<String> = Vec::new();
    for _ in 0..20_000 {
        let mut bytes = base.as_bytes().to_vec();
        for _ in 0..1 + next(3) {
            let at = next(bytes.len());
            match next(3) {
                0 => bytes[at] = alphabet[next(alphabet.len())],
                1 => bytes.insert(at, alphabet[next(alphabet.len())]),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        let ours = crate::xml::parse(text.as_bytes());
        let theirs = roxmltree::Document::parse(text);
        match (&ours, &theirs) {
            (Ok(doc), Ok(reference)) => {
                both_ok += 1;
                let mut ours_elements = Vec::new();
                let mut stack = vec![doc.root_element()];
                while let Some(node) = stack.pop() {
                    let attrs: Vec<(String, bool, String)> = node
                        .attributes()
                        .iter()
                        .map(|a| (a.name().to_owned(), a.has_namespace(), a.value().to_owned()))
                        .collect();
                    ours_elements.push((node.name().to_owned(), node.has_namespace(), node.text().to_owned(), attrs));
                    stack.extend(node.children().collect::<Vec<_>>().into_iter().rev());
                }
                let theirs_elements: Vec<_> = reference
                    .descendants()
                    .filter(|n| n.is_element())
                    .map(|n| {
                        let mut text = String::new();
                        for child in n.children() {
                            if child.is_element() {
                                break;
                            }
                            text.push_str(child.text().unwrap_or(""));
                        }
                        // roxmltree leaves a raw `\r` next to a reference unnormalized;
                        // XML (and ElementTree) read every raw line break as `\n`. The
                        // base document has no `&#xD;`, so any `\r` here is a raw one.
                        let text = text.replace("\r\n", "\n").replace('\r', "\n");
                        let attrs: Vec<(String, bool, String)> = n
                            .attributes()
                            .map(|a| (a.name().to_owned(), a.namespace().is_some(), a.value().to_owned()))
                            .collect();
                        (n.tag_name().name().to_owned(), n.tag_name().namespace().is_some(), text, attrs)
                    })
                    .collect();
                assert_eq!(ours_elements, theirs_elements, "{text:?}");
            }
            (Err(_), Err(_)) => both_err += 1,
            (Ok(_), Err(e)) => panic!("accepted what roxmltree refuses ({e}): {text:?}"),
            (Err(e), Ok(_)) => stricter.push(format!("{e}")),
        }
    }
    // Where the two differ, it is a malformed XML declaration (`version="1.!"`), which
    // roxmltree skips over and xmlparser (like expat, botocore's parser) refuses.
    let other: Vec<&String> = stricter.iter().filter(|e| !e.contains("invalid XML declaration")).collect();
    assert!(other.is_empty(), "refused what roxmltree accepts: {other:#?}");
    assert!(both_ok > 1000 && both_err > 1000, "both kinds exercised: {both_ok} accepted, {both_err} refused");
}
