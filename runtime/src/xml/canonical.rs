//! XML comparison as botocore's protocol tests do it: C14N 2.0 with stripped text.
//!
//! botocore's `tests/unit/test_protocols.py` compares a serialized rest-xml body with the
//! expected one by `_assert_xml_bodies`:
//!
//! ```python
//! try:
//!     tree1 = ET.canonicalize(actual, strip_text=True)
//!     tree2 = ET.canonicalize(expected, strip_text=True)
//!     assert_equal(tree1, tree2, 'Body value')
//! except ET.ParseError:
//!     assert_equal(actual, expected, 'Body value')
//! ```
//!
//! [`canonicalize`] is a port of Python's `xml.etree.ElementTree.C14NWriterTarget` with
//! `strip_text=True` and every other option at its default, fed by a [`roxmltree`]
//! document instead of expat's events. [`canonical_eq`] is the comparison above.

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use super::reader::{decode_utf8, is_python_space};
use super::XmlError;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// ElementTree's `_namespace_map` (well-known prefixes), as `(uri, prefix)`; the bottom
/// of the in-scope namespace stack when prefixes are not rewritten.
const WELL_KNOWN: [(&str, &str); 7] = [
    (XML_NS, "xml"),
    ("http://www.w3.org/1999/xhtml", "html"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"),
    ("http://schemas.xmlsoap.org/wsdl/", "wsdl"),
    ("http://www.w3.org/2001/XMLSchema", "xs"),
    ("http://www.w3.org/2001/XMLSchema-instance", "xsi"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
];

/// The canonical form of an XML document, as Python's
/// `xml.etree.ElementTree.canonicalize(bytes, strip_text=True)` writes it.
///
/// That is C14N 2.0 without comments:
///
/// - no XML declaration, DTD or comments; processing instructions kept (`<?t d?>`, with a
///   line break between them and the root element when outside it);
/// - text with leading and trailing whitespace stripped (Python's `str.strip()`), unless
///   inside `xml:space="preserve"`; text split by comments joins up, text split by a
///   processing instruction does not; whitespace-only text disappears;
/// - text escaped as `&amp;`, `&lt;`, `&gt;`, `&#xD;`; attribute values as `&amp;`,
///   `&lt;`, `&quot;`, `&#x9;`, `&#xA;`, `&#xD;`;
/// - empty elements as `<a></a>`;
/// - namespace declarations only where a tag or attribute name first uses them, keeping
///   the document's prefixes, sorted by prefix (`xmlns` first), then the attributes
///   sorted by `{uri}name` (unqualified ones first), all in double quotes.
///
/// Entities and character references are expanded and line breaks normalized by the
/// parser, so `&#65;` and `A`, or `'v'` and `"v"`, compare equal.
///
/// Differences from Python, none of which a request body or protocol-test fixture has:
/// the input must be UTF-8 (Python also reads other declared encodings); in a DTD,
/// attribute defaults (`<!ATTLIST>`) are not applied and character references inside
/// entity values are not re-parsed; and when an element redeclares a prefix with the
/// value it already has *and* its URI is bound to several prefixes, the prefix chosen may
/// differ.
pub fn canonicalize(bytes: &[u8]) -> Result<String, XmlError> {
    let text = decode_utf8(bytes)?;
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        XmlError::syntax(format!("invalid XML: {e}"), pos.row, pos.col)
    })?;
    let mut c14n = C14n::new();
    for child in doc.root().children() {
        match child.node_type() {
            NodeType::Element => c14n.element(child)?,
            NodeType::PI => {
                if let Some(pi) = child.pi() {
                    c14n.pi(pi.target, pi.value.unwrap_or(""));
                }
            }
            _ => {}
        }
    }
    Ok(c14n.out)
}

/// Whether two XML bodies are equal by botocore's protocol-test rule: their
/// [canonical forms](canonicalize) are equal or, if either does not parse, the bytes are.
pub fn canonical_eq(actual: &[u8], expected: &[u8]) -> bool {
    match (canonicalize(actual), canonicalize(expected)) {
        (Ok(a), Ok(b)) => a == b,
        _ => actual == expected,
    }
}

/// Python's stack of `(uri, prefix)` lists, one list per level, stored flat so that
/// walking it costs the number of declarations, not the depth of the document.
struct NsStack {
    /// `(level, uri, prefix)`, levels ascending: only the last level ever grows.
    entries: Vec<(usize, String, String)>,
    depth: usize,
}

impl NsStack {
    fn new(bottom: Vec<(String, String)>) -> Self {
        NsStack { entries: bottom.into_iter().map(|(u, p)| (0, u, p)).collect(), depth: 0 }
    }

    /// `stack.append([])`
    fn push_level(&mut self) {
        self.depth += 1;
    }

    /// `stack.pop()`
    fn pop_level(&mut self) {
        while self.entries.last().is_some_and(|e| e.0 >= self.depth) {
            self.entries.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// `stack[-1].append((uri, prefix))`
    fn push(&mut self, uri: String, prefix: String) {
        self.entries.push((self.depth, uri, prefix));
    }

    /// `self._iter_namespaces(stack)`: levels innermost first, each in insertion order.
    fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let entries = &self.entries;
        let mut end = entries.len();
        std::iter::from_fn(move || {
            let level = entries[..end].last()?.0;
            let start = entries[..end].iter().rposition(|e| e.0 != level).map_or(0, |i| i + 1);
            let group = &entries[start..end];
            end = start;
            Some(group)
        })
        .flatten()
        .map(|(_, uri, prefix)| (uri.as_str(), prefix.as_str()))
    }

    /// The `(uri, prefix)` pairs of the innermost level, in insertion order.
    fn last_level(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.entries
            .iter()
            .filter(|e| e.0 == self.depth)
            .map(|(_, uri, prefix)| (uri.as_str(), prefix.as_str()))
    }
}

/// Python's `C14NWriterTarget` state, field for field.
struct C14n {
    out: String,
    data: String,
    has_data: bool,
    declared_ns_stack: NsStack,
    ns_stack: NsStack,
    preserve_space: Vec<bool>,
    root_seen: bool,
    root_done: bool,
}

/// A resolved name: `(qualified name, local name, uri)`.
type QName = (String, String, String);

impl C14n {
    fn new() -> Self {
        C14n {
            out: String::new(),
            data: String::new(),
            has_data: false,
            declared_ns_stack: NsStack::new(vec![(XML_NS.to_owned(), "xml".to_owned())]),
            ns_stack: {
                let mut stack = NsStack::new(
                    WELL_KNOWN.iter().map(|(u, p)| ((*u).to_owned(), (*p).to_owned())).collect(),
                );
                stack.push_level();
                stack
            },
            preserve_space: vec![false],
            root_seen: false,
            root_done: false,
        }
    }

    /// Walks an element's subtree without recursion, so depth cannot exhaust the stack.
    fn element(&mut self, root: Node<'_, '_>) -> Result<(), XmlError> {
        let mut node = root;
        loop {
            // Open `node`.
            match node.node_type() {
                NodeType::Element => {
                    for (prefix, uri) in own_namespaces(node) {
                        self.start_ns(prefix, uri);
                    }
                    self.start(node)?;
                }
                NodeType::Text => {
                    self.data.push_str(node.text().unwrap_or(""));
                    self.has_data = true;
                }
                NodeType::PI => {
                    if let Some(pi) = node.pi() {
                        self.pi(pi.target, pi.value.unwrap_or(""));
                    }
                }
                NodeType::Comment | NodeType::Root => {}
            }
            if let Some(child) = node.first_child() {
                node = child;
                continue;
            }
            // Close `node` and every ancestor whose last child it was, up to `root`.
            loop {
                if node.is_element() {
                    self.end(node)?;
                }
                if node == root {
                    return Ok(());
                }
                if let Some(next) = node.next_sibling() {
                    node = next;
                    break;
                }
                match node.parent() {
                    Some(parent) => node = parent,
                    None => return Ok(()),
                }
            }
        }
    }

    fn flush(&mut self) {
        let data = std::mem::take(&mut self.data);
        self.has_data = false;
        let data = if self.preserve_space.last().copied().unwrap_or(false) {
            data.as_str()
        } else {
            data.trim_matches(is_python_space)
        };
        if !data.is_empty() && self.root_seen {
            escape_cdata_c14n(&mut self.out, data);
        }
    }

    fn start_ns(&mut self, prefix: String, uri: String) {
        if self.has_data {
            self.flush();
        }
        self.ns_stack.push(uri, prefix);
    }

    fn start(&mut self, node: Node<'_, '_>) -> Result<(), XmlError> {
        if self.has_data {
            self.flush();
        }
        self.declared_ns_stack.push_level();

        let tag = expanded_key(node.tag_name().namespace(), node.tag_name().name());
        let attrs: Vec<(String, String)> = node
            .attributes()
            .map(|a| (expanded_key(a.namespace(), a.name()), a.value().to_owned()))
            .collect();

        let mut qnames: Vec<&str> = Vec::with_capacity(attrs.len() + 1);
        qnames.push(&tag);
        qnames.extend(attrs.iter().map(|(k, _)| k.as_str()));
        // Python: sorted(set(...), key=lambda n: n.split('}', 1))
        qnames.sort_by(|a, b| a.splitn(2, '}').cmp(b.splitn(2, '}')));
        qnames.dedup();
        let mut parsed: Vec<(&str, QName)> = Vec::with_capacity(qnames.len());
        for name in qnames {
            let resolved = self.qname(name)?;
            parsed.push((name, resolved));
        }
        let lookup = |name: &str| parsed.iter().find(|(n, _)| *n == name).map(|(_, q)| q);

        let mut attr_list: Vec<(String, String)> = self
            .declared_ns_stack
            .last_level()
            .map(|(uri, prefix)| {
                let key =
                    if prefix.is_empty() { "xmlns".to_owned() } else { format!("xmlns:{prefix}") };
                (key, uri.to_owned())
            })
            .collect();
        attr_list.sort();

        let mut sorted_attrs: Vec<&(String, String)> = attrs.iter().collect();
        sorted_attrs.sort();
        for (key, value) in sorted_attrs {
            if let Some((qualified, local, uri)) = lookup(key) {
                let name = if uri.is_empty() { local.clone() } else { qualified.clone() };
                attr_list.push((name, value.clone()));
            }
        }

        let space = attrs.iter().find(|(k, _)| k == "{http://www.w3.org/XML/1998/namespace}space");
        let inherited = self.preserve_space.last().copied().unwrap_or(false);
        self.preserve_space.push(match space {
            Some((_, v)) if !v.is_empty() => v == "preserve",
            _ => inherited,
        });

        self.out.push('<');
        if let Some((qualified, _, _)) = lookup(&tag) {
            self.out.push_str(qualified);
        }
        for (key, value) in &attr_list {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_attrib_c14n(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');

        self.root_seen = true;
        self.ns_stack.push_level();
        Ok(())
    }

    fn end(&mut self, node: Node<'_, '_>) -> Result<(), XmlError> {
        if self.has_data {
            self.flush();
        }
        let tag = expanded_key(node.tag_name().namespace(), node.tag_name().name());
        let (qualified, _, _) = self.qname(&tag)?;
        self.out.push_str("</");
        self.out.push_str(&qualified);
        self.out.push('>');
        self.preserve_space.pop();
        self.root_done = self.preserve_space.len() == 1;
        self.declared_ns_stack.pop_level();
        self.ns_stack.pop_level();
        Ok(())
    }

    fn pi(&mut self, target: &str, data: &str) {
        if self.root_done {
            self.out.push('\n');
        } else if self.root_seen && self.has_data {
            self.flush();
        }
        self.out.push_str("<?");
        self.out.push_str(target);
        if !data.is_empty() {
            self.out.push(' ');
            escape_cdata_c14n(&mut self.out, data);
        }
        self.out.push_str("?>");
        if !self.root_seen {
            self.out.push('\n');
        }
    }

    /// Python's `_qname`: the prefix to write a `{uri}local` name with, declaring the
    /// namespace on the current element if no ancestor in the output declared it.
    fn qname(&mut self, key: &str) -> Result<QName, XmlError> {
        let (uri, tag) = match key.strip_prefix('{').and_then(|rest| rest.rsplit_once('}')) {
            Some((uri, tag)) => (uri, tag),
            None => ("", key),
        };
        let make = |prefix: &str| -> QName {
            let qualified =
                if prefix.is_empty() { tag.to_owned() } else { format!("{prefix}:{tag}") };
            (qualified, tag.to_owned(), uri.to_owned())
        };

        let mut prefixes_seen: Vec<&str> = Vec::new();
        for (u, prefix) in self.declared_ns_stack.iter() {
            if u == uri && !prefixes_seen.contains(&prefix) {
                return Ok(make(prefix));
            }
            prefixes_seen.push(prefix);
        }
        if uri.is_empty() && !prefixes_seen.contains(&"") {
            return Ok(make(""));
        }
        let found = self.ns_stack.iter().find(|(u, _)| *u == uri).map(|(_, p)| p.to_owned());
        if let Some(prefix) = found {
            let result = make(&prefix);
            self.declared_ns_stack.push(uri.to_owned(), prefix);
            return Ok(result);
        }
        if uri.is_empty() {
            return Ok(make(""));
        }
        Err(XmlError::new(format!("namespace {uri:?} is not declared in scope")))
    }
}

/// ElementTree's attribute/tag key: `{uri}local`, or `local` without a namespace.
fn expanded_key(uri: Option<&str>, local: &str) -> String {
    match uri {
        Some(uri) if !uri.is_empty() => format!("{{{uri}}}{local}"),
        _ => local.to_owned(),
    }
}

/// The namespaces `node` itself declares, as expat's `start_ns` events would report them:
/// `(prefix, uri)` in document order, `""` for the default namespace.
///
/// roxmltree lists an element's own declarations first, then the parent's that were not
/// redeclared; this finds the shortest such split.
fn own_namespaces(node: Node<'_, '_>) -> Vec<(String, String)> {
    let list = |n: Node<'_, '_>| -> Vec<(Option<String>, String)> {
        n.namespaces().map(|ns| (ns.name().map(str::to_owned), ns.uri().to_owned())).collect()
    };
    let own = list(node);
    let parent = node.parent_element().map(list).unwrap_or_default();
    let mut split = own.len();
    if own == parent {
        split = 0;
    } else {
        for k in 0..own.len() {
            let (declared, rest) = own.split_at(k);
            let inherited = parent.iter().filter(|(p, _)| !declared.iter().any(|(q, _)| q == p));
            if rest.iter().eq(inherited) {
                split = k;
                break;
            }
        }
    }
    own.into_iter().take(split).map(|(prefix, uri)| (prefix.unwrap_or_default(), uri)).collect()
}

/// Python's `_escape_cdata_c14n`.
fn escape_cdata_c14n(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

/// Python's `_escape_attrib_c14n`.
fn escape_attrib_c14n(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}
