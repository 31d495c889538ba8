//! A compact, read-only element tree for response bodies, built in one pass over the
//! [`xmlparser`] tokenizer.
//!
//! It keeps what botocore's parser looks at and nothing else: elements (local name,
//! whether they are namespaced, attributes, position) and each element's text as
//! ElementTree's `Element.text` (the character data before the first child element,
//! references expanded, comments and processing instructions dropped). Text nodes,
//! comments and namespace tables are not stored, and the element array is sized from
//! the input once, so a 1000-key listing costs one allocation for its tree instead of
//! one node per token.
//!
//! Memory is bounded by the input: an element is 20 bytes (where its local name is in
//! the input, its text's index in a side table holding only the texts there are, its
//! parent and next sibling; its first child is the next element; attributes are indexed
//! on the side, as few elements have any), so the densest possible document, `<a/>`
//! repeated, costs 5 bytes of tree per byte of input. The checks are linear: repeated
//! attributes are found with a hash set (past a few attributes), namespace prefixes are
//! looked up in a map of the prefixes in scope, never by scanning every declaration of
//! the enclosing elements.
//!
//! Well-formedness is checked as a conforming parser does: tags must match, one root,
//! prefixes must be declared, no duplicate attributes, only the five predefined entities
//! and character references. A DTD is refused (S3 never sends one).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use xmlparser::{ElementEnd, Token, Tokenizer};

use super::XmlError;

/// A parsed document.
#[derive(Debug)]
pub struct Document<'i> {
    input: &'i str,
    elements: Vec<Element>,
    attributes: Vec<Attribute<'i>>,
    /// For the elements that have attributes (few do): (element id, index of its first
    /// attribute), in document order; its attributes end where the next entry's begin.
    attribute_index: Vec<(u32, u32)>,
    /// The texts of the elements that have one.
    texts: Vec<Cow<'i, str>>,
}

/// An element, in document order: its first child, if any, is the next element.
#[derive(Debug)]
struct Element {
    /// Byte offset of the `<` that opens the element, with [`NAMESPACED`] set when the
    /// element is in a namespace.
    start: u32,
    /// Where the local name is in the input: its offset from `start` (the top 8 bits)
    /// and its length (the low 24 bits); [`NONE`] when they do not fit (then the name is
    /// found again by reading the start tag).
    name: u32,
    /// Index of the text in [`Document::texts`], or [`NONE`] for no text.
    text: u32,
    parent: u32,
    next_sibling: u32,
}

/// The flag of [`Element::start`] for an element in a namespace.
const NAMESPACED: u32 = 1 << 31;

/// The largest document the tree takes: offsets must fit in 31 bits.
pub const MAX_DOCUMENT_LEN: usize = NAMESPACED as usize - 1;

/// An attribute of an element: local name, whether it is in a namespace, value.
#[derive(Debug)]
pub struct Attribute<'i> {
    name: &'i str,
    namespaced: bool,
    value: Cow<'i, str>,
}

impl Attribute<'_> {
    /// The local name, without its prefix.
    pub fn name(&self) -> &str {
        self.name
    }

    /// Whether the attribute is in a namespace (it has a declared prefix).
    pub fn has_namespace(&self) -> bool {
        self.namespaced
    }

    /// The value, references expanded and whitespace normalized as XML requires.
    pub fn value(&self) -> &str {
        &self.value
    }
}

const NONE: u32 = u32::MAX;

/// An element of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'a, 'i> {
    doc: &'a Document<'i>,
    id: u32,
}

impl PartialEq for Node<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.id == other.id
    }
}

impl Eq for Node<'_, '_> {}

impl std::fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node(<{}>)", self.name())
    }
}

impl<'i> Document<'i> {
    /// The root element.
    pub fn root_element(&self) -> Node<'_, 'i> {
        Node { doc: self, id: 0 }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_column(&self, offset: usize) -> (u32, u32) {
        let prefix = self.input.get(..offset).unwrap_or(self.input);
        let line = prefix.bytes().filter(|&b| b == b'\n').count() + 1;
        let column = prefix.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
    }
}

impl<'a, 'i> Node<'a, 'i> {
    fn data(&self) -> &'a Element {
        &self.doc.elements[self.id as usize]
    }

    fn offset(&self) -> usize {
        (self.data().start & !NAMESPACED) as usize
    }

    fn at(&self, id: u32) -> Option<Node<'a, 'i>> {
        (id != NONE).then_some(Node { doc: self.doc, id })
    }

    /// The local name, without prefix or namespace.
    #[inline]
    pub fn name(&self) -> &'a str {
        let input: &'a str = self.doc.input;
        let start = self.offset();
        match self.data().name {
            NONE => read_local_name(input, start),
            packed => {
                let local = start + (packed >> 24) as usize;
                input.get(local..local + (packed & 0xFF_FFFF) as usize).unwrap_or("")
            }
        }
    }

    /// Whether the element is in a namespace (a default `xmlns` or a prefix).
    pub fn has_namespace(&self) -> bool {
        self.data().start & NAMESPACED != 0
    }

    /// The element's text as ElementTree's `Element.text`, `""` where that is `None`.
    pub fn text(&self) -> &'a str {
        match self.data().text {
            NONE => "",
            i => &self.doc.texts[i as usize],
        }
    }

    /// The element's attributes, in document order.
    pub fn attributes(&self) -> &'a [Attribute<'i>] {
        let index = &self.doc.attribute_index;
        let at = index.partition_point(|&(element, _)| element < self.id);
        match index.get(at) {
            Some(&(element, first)) if element == self.id => {
                let end = index.get(at + 1).map_or(self.doc.attributes.len(), |&(_, next)| next as usize);
                &self.doc.attributes[first as usize..end]
            }
            _ => &[],
        }
    }

    /// The parent element.
    pub fn parent(&self) -> Option<Node<'a, 'i>> {
        self.at(self.data().parent)
    }

    /// The child elements, in document order.
    pub fn children(&self) -> Children<'a, 'i> {
        let first = self.id + 1;
        let is_child = self.doc.elements.get(first as usize).is_some_and(|e| e.parent == self.id);
        Children { next: if is_child { self.at(first) } else { None } }
    }

    /// The previous sibling element. It is found from the parent's first child, so this
    /// takes time in the number of siblings before this one.
    pub fn prev_sibling(&self) -> Option<Node<'a, 'i>> {
        let parent = self.parent()?;
        parent.children().take_while(|c| c.id != self.id).last()
    }

    /// The next sibling element.
    pub fn next_sibling(&self) -> Option<Node<'a, 'i>> {
        self.at(self.data().next_sibling)
    }

    /// 1-based line and column of the element's start tag.
    pub fn position(&self) -> (u32, u32) {
        self.doc.line_column(self.offset())
    }
}

/// The child elements of an element.
#[derive(Clone)]
pub struct Children<'a, 'i> {
    next: Option<Node<'a, 'i>>,
}

impl<'a, 'i> Iterator for Children<'a, 'i> {
    type Item = Node<'a, 'i>;

    fn next(&mut self) -> Option<Node<'a, 'i>> {
        let node = self.next?;
        self.next = node.next_sibling();
        Some(node)
    }
}

/// The local name of the element whose start tag is at `start`: the tokenizer checked
/// it runs from after `<` to the first space, `/` or `>`, with an optional `prefix:`.
fn read_local_name(input: &str, start: usize) -> &str {
    let bytes = input.as_bytes();
    let (mut local, mut end) = (start + 1, start + 1);
    while let Some(&b) = bytes.get(end) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>' => break,
            b':' => local = end + 1,
            _ => {}
        }
        end += 1;
    }
    input.get(local..end).unwrap_or("")
}

/// The namespace declarations in scope, looked up in constant time.
#[derive(Default)]
struct Scopes<'i> {
    /// Default namespace declarations, innermost last: (a namespace, not an empty URI
    /// that undeclares it; depth of the declaring element).
    default: Vec<(bool, usize)>,
    /// How many enclosing elements declare each prefix.
    prefixes: HashMap<&'i str, u32>,
    /// Prefix declarations in document order, to undo them: (prefix, depth).
    declared: Vec<(&'i str, usize)>,
}

impl<'i> Scopes<'i> {
    /// Declares `prefix` (the default namespace when empty; `undeclares` for
    /// `xmlns=""`) for the element at `depth` and its descendants.
    fn declare(&mut self, prefix: &'i str, undeclares: bool, depth: usize) {
        count_work(1);
        if prefix.is_empty() {
            self.default.push((!undeclares, depth));
        } else {
            *self.prefixes.entry(prefix).or_insert(0) += 1;
            self.declared.push((prefix, depth));
        }
    }

    /// Forgets the declarations of the elements at `depth` and deeper.
    #[inline]
    fn close(&mut self, depth: usize) {
        while self.default.last().is_some_and(|&(_, d)| d >= depth) {
            count_work(1);
            self.default.pop();
        }
        while let Some(&(prefix, d)) = self.declared.last() {
            if d < depth {
                break;
            }
            count_work(1);
            self.declared.pop();
            if let Some(count) = self.prefixes.get_mut(prefix) {
                *count -= 1;
                if *count == 0 {
                    self.prefixes.remove(prefix);
                }
            }
        }
    }

    /// `Some(in a namespace)` for a declared prefix (or the default namespace), `None`
    /// for an undeclared prefix.
    fn lookup(&self, prefix: &str) -> Option<bool> {
        count_work(1);
        if prefix.is_empty() {
            Some(self.default.last().is_some_and(|&(declared, _)| declared))
        } else if prefix == "xml" || self.prefixes.contains_key(prefix) {
            Some(true)
        } else {
            None
        }
    }
}

/// Up to this many attributes, repeats are found by comparing each with the earlier
/// ones (at most 28 comparisons, cheaper than hashing); past it, with a hash set.
const PAIRWISE_ATTRIBUTES: usize = 8;

#[cfg(test)]
thread_local! {
    /// Steps taken by the duplicate-attribute and namespace checks, for tests that
    /// check they grow linearly with the input.
    pub(crate) static WORK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[inline]
fn count_work(_steps: u64) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + _steps));
}

/// Parses `input` (already UTF-8, without a byte-order mark).
pub fn parse(input: &str) -> Result<Document<'_>, XmlError> {
    if input.len() > MAX_DOCUMENT_LEN {
        return Err(XmlError::new(format!(
            "invalid XML: the document is {} bytes long, more than the {MAX_DOCUMENT_LEN} bytes it may be",
            input.len()
        )));
    }
    Builder::new(input).run()
}

struct Builder<'i> {
    input: &'i str,
    doc: Document<'i>,
    /// Open elements: (id, (prefix, local name) as written, last child id).
    open: Vec<(u32, (&'i str, &'i str), u32)>,
    scopes: Scopes<'i>,
    /// Whether the innermost open element has had a child element (its text is done).
    text_done: bool,
    /// The element whose start tag is being read, with its prefix and attributes.
    pending: Option<Pending<'i>>,
}

struct Pending<'i> {
    prefix: &'i str,
    local: &'i str,
    offset: usize,
    /// Attributes as written: (prefix, local, raw value, offset).
    attributes: Vec<(&'i str, &'i str, &'i str, usize)>,
}

impl<'i> Builder<'i> {
    fn new(input: &'i str) -> Self {
        // Every start tag is a `<`: counting them sizes the array in one allocation, never
        // too small. End tags, comments and the declaration make it too large (about
        // twice for typical responses), but the pages never written are never touched.
        let estimate = input.bytes().filter(|&b| b == b'<').count();
        Builder {
            input,
            doc: Document {
                input,
                elements: Vec::with_capacity(estimate),
                attributes: Vec::new(),
                attribute_index: Vec::new(),
                texts: Vec::new(),
            },
            open: Vec::new(),
            scopes: Scopes::default(),
            text_done: false,
            pending: None,
        }
    }

    fn error(&self, offset: usize, message: impl std::fmt::Display) -> XmlError {
        let (line, column) = self.doc.line_column(offset);
        XmlError::syntax(format!("invalid XML: {message} at {line}:{column}"), line, column)
    }

    fn run(mut self) -> Result<Document<'i>, XmlError> {
        for token in Tokenizer::from(self.input) {
            let token = token.map_err(|e| {
                let pos = e.pos();
                XmlError::syntax(format!("invalid XML: {e}"), pos.row, pos.col)
            })?;
            match token {
                Token::Declaration { .. } | Token::Comment { .. } | Token::ProcessingInstruction { .. } => {}
                Token::DtdStart { span, .. } | Token::EmptyDtd { span, .. } => {
                    return Err(self.error(span.start(), "a DTD is not allowed"));
                }
                Token::EntityDeclaration { span, .. } | Token::DtdEnd { span } => {
                    return Err(self.error(span.start(), "a DTD is not allowed"));
                }
                Token::ElementStart { prefix, local, span } => {
                    self.pending = Some(Pending {
                        prefix: prefix.as_str(),
                        local: local.as_str(),
                        offset: span.start(),
                        attributes: Vec::new(),
                    });
                }
                Token::Attribute { prefix, local, value, span } => {
                    if let Some(p) = &mut self.pending {
                        p.attributes.push((prefix.as_str(), local.as_str(), value.as_str(), span.start()));
                    }
                }
                Token::ElementEnd { end, span } => match end {
                    ElementEnd::Open => self.start_element(false)?,
                    ElementEnd::Empty => self.start_element(true)?,
                    ElementEnd::Close(prefix, local) => {
                        self.end_element((prefix.as_str(), local.as_str()), span.start())?;
                    }
                },
                Token::Text { text } => self.text(text.as_str(), text.start(), false)?,
                Token::Cdata { text, .. } => self.text(text.as_str(), text.start(), true)?,
            }
        }
        if let Some(&(_, name, _)) = self.open.last() {
            return Err(self.error(self.input.len(), format_args!("the document ended inside <{}>", qname(name))));
        }
        if self.doc.elements.is_empty() {
            return Err(self.error(self.input.len(), "the document has no root element"));
        }
        Ok(self.doc)
    }

    fn start_element(&mut self, empty: bool) -> Result<(), XmlError> {
        let Some(p) = self.pending.take() else { return Ok(()) };
        let depth = self.open.len();
        // Namespace declarations first: they apply to the element's own name too. Their
        // values must be well-formed like any other attribute value.
        for &(prefix, local, value, offset) in &p.attributes {
            if prefix == "xmlns" || (prefix.is_empty() && local == "xmlns") {
                expand(value, true).map_err(|(at, why)| self.error(offset + at, why))?;
            }
            if prefix == "xmlns" {
                self.scopes.declare(local, false, depth);
            } else if prefix.is_empty() && local == "xmlns" {
                self.scopes.declare("", value.is_empty(), depth);
            }
        }
        let namespaced = match self.scopes.lookup(p.prefix) {
            Some(declared) => declared,
            None => return Err(self.error(p.offset, format_args!("the prefix `{}` is not declared", p.prefix))),
        };
        let first_attribute = self.doc.attributes.len();
        let is_declaration = |&(prefix, local, _, _): &(&str, &str, &str, usize)| {
            prefix == "xmlns" || (prefix.is_empty() && local == "xmlns")
        };
        let mut seen = (p.attributes.len() > PAIRWISE_ATTRIBUTES).then(|| HashSet::with_capacity(p.attributes.len()));
        for (i, &(prefix, local, value, offset)) in p.attributes.iter().enumerate() {
            if is_declaration(&p.attributes[i]) {
                continue;
            }
            let repeated = match &mut seen {
                Some(seen) => {
                    count_work(1);
                    !seen.insert((prefix, local))
                }
                None => p.attributes[..i].iter().filter(|a| !is_declaration(a)).any(|&(q, l, _, _)| {
                    count_work(1);
                    same(q, prefix) && same(l, local)
                }),
            };
            if repeated {
                return Err(self.error(offset, format_args!("the attribute `{local}` is repeated")));
            }
            let namespaced = if prefix.is_empty() {
                false
            } else if self.scopes.lookup(prefix) == Some(true) {
                true
            } else {
                return Err(self.error(offset, format_args!("the prefix `{prefix}` is not declared")));
            };
            let value = expand(value, true).map_err(|(at, why)| self.error(offset + at, why))?;
            self.doc.attributes.push(Attribute { name: local, namespaced, value });
        }
        let id = u32::try_from(self.doc.elements.len()).map_err(|_| self.error(p.offset, "too many elements"))?;
        let parent = self.open.last().map_or(NONE, |&(parent, _, _)| parent);
        let prev_sibling = self.open.last().map_or(NONE, |&(_, _, last)| last);
        if prev_sibling != NONE {
            self.doc.elements[prev_sibling as usize].next_sibling = id;
        }
        if let Some(open) = self.open.last_mut() {
            open.2 = id;
        }
        // `parse` refused inputs whose offsets need the flag bit.
        let start = p.offset as u32 | if namespaced { NAMESPACED } else { 0 };
        // The local name's offset from `<` (past `prefix:`, if any): it is a slice of
        // the input.
        let local_delta = (p.local.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize).wrapping_sub(p.offset);
        let name = if local_delta < 256 && p.local.len() < 1 << 24 {
            (local_delta as u32) << 24 | p.local.len() as u32
        } else {
            NONE
        };
        if self.doc.attributes.len() > first_attribute {
            self.doc.attribute_index.push((id, first_attribute as u32));
        }
        self.doc.elements.push(Element { start, name, text: NONE, parent, next_sibling: NONE });
        self.text_done = false;
        if empty {
            self.scopes.close(depth);
            self.text_done = true;
        } else {
            self.open.push((id, (p.prefix, p.local), NONE));
        }
        Ok(())
    }

    fn end_element(&mut self, name: (&str, &str), offset: usize) -> Result<(), XmlError> {
        match self.open.pop() {
            Some((_, open, _)) if same(open.0, name.0) && same(open.1, name.1) => {}
            Some((_, open, _)) => {
                return Err(self.error(
                    offset,
                    format_args!("expected </{}>, found </{}>", qname(open), qname(name)),
                ));
            }
            None => return Err(self.error(offset, format_args!("unexpected </{}>", qname(name)))),
        }
        self.scopes.close(self.open.len());
        // Text after a child's end tag is that child's tail, not the parent's text.
        self.text_done = true;
        Ok(())
    }

    fn text(&mut self, raw: &'i str, offset: usize, cdata: bool) -> Result<(), XmlError> {
        let Some(&(id, _, _)) = self.open.last() else { return Ok(()) };
        if self.text_done {
            // A tail: checked for references all the same, then dropped.
            if !cdata {
                expand(raw, false).map_err(|(at, why)| self.error(offset + at, why))?;
            }
            return Ok(());
        }
        let piece = if cdata { normalize_newlines(raw) } else { expand(raw, false).map_err(|(at, why)| self.error(offset + at, why))? };
        if piece.is_empty() {
            return Ok(());
        }
        let element = &mut self.doc.elements[id as usize];
        if element.text == NONE {
            element.text = u32::try_from(self.doc.texts.len()).unwrap_or(NONE);
            self.doc.texts.push(piece);
        } else {
            self.doc.texts[element.text as usize].to_mut().push_str(&piece);
        }
        Ok(())
    }
}

/// `prefix:local`, or `local` alone.
fn qname((prefix, local): (&str, &str)) -> String {
    if prefix.is_empty() {
        local.to_owned()
    } else {
        format!("{prefix}:{local}")
    }
}

/// Text with `\r\n` and lone `\r` read as `\n`, as XML requires of raw line breaks.
fn normalize_newlines(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\r') {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Character data with references expanded and raw line breaks normalized; attribute
/// values also have raw whitespace turned into spaces. The error gives the byte offset
/// within `raw` and what is wrong.
fn expand(raw: &str, attribute: bool) -> Result<Cow<'_, str>, (usize, String)> {
    let special = |b: u8| b == b'&' || b == b'\r' || (attribute && (b == b'\n' || b == b'\t'));
    if !raw.bytes().any(special) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(|c: char| c.is_ascii() && special(c as u8)) {
        out.push_str(&rest[..i]);
        let at = raw.len() - rest.len() + i;
        match rest.as_bytes()[i] {
            b'&' => {
                let end = rest[i..].find(';').ok_or((at, "a `&` that starts no reference".to_owned()))?;
                let name = &rest[i + 1..i + end];
                out.push(reference(name).ok_or_else(|| (at, format!("unknown reference `&{name};`")))?);
                rest = &rest[i + end + 1..];
            }
            b'\r' => {
                out.push(if attribute { ' ' } else { '\n' });
                rest = rest[i + 1..].strip_prefix('\n').unwrap_or(&rest[i + 1..]);
            }
            _ => {
                out.push(' ');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The character a predefined entity or a character reference stands for.
fn reference(name: &str) -> Option<char> {
    let code = match name {
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        "amp" => return Some('&'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        _ => match name.strip_prefix("#x") {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()?
            }
            Some(_) => return None,
            None => {
                let decimal = name.strip_prefix('#')?;
                if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                decimal.parse::<u32>().ok()?
            }
        },
    };
    let c = char::from_u32(code)?;
    // XML's `Char`: no NUL and no other C0 control but tab and the line breaks.
    (c >= ' ' || matches!(c, '\t' | '\n' | '\r')).then_some(c)
}

/// Whether two names are equal, compared in line. Names are a few bytes long; measured
/// on the benchmark machine, a call to the C library's `memcmp` for each made the whole
/// parse four times slower (see BENCHMARKS.md).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree costs at most 5 bytes per byte of the densest input (`<a/>`, 4 bytes per
    /// element), and its array is allocated once, never regrown.
    #[test]
    fn elements_are_compact_and_allocated_once() {
        assert!(std::mem::size_of::<Element>() <= 20, "{}", std::mem::size_of::<Element>());
        let input = format!("<r>{}<!-- <x --></r>", "<a/>".repeat(1000));
        let doc = parse(&input).unwrap();
        assert_eq!(doc.elements.len(), 1001);
        assert!(doc.elements.capacity() <= 1004, "one slot per `<`: {}", doc.elements.capacity());
        assert_eq!(doc.root_element().children().count(), 1000);
        assert!(doc.texts.is_empty());
    }

    #[test]
    fn names_are_read_back_from_the_input() {
        let doc = parse("<p:r xmlns:p='u'><a\n x='1'/><b>t</b><p:c/><d></d></p:r>").unwrap();
        let root = doc.root_element();
        assert_eq!(root.name(), "r");
        let names: Vec<_> = root.children().map(|c| (c.name(), c.has_namespace(), c.text())).collect();
        assert_eq!(names, [("a", false, ""), ("b", false, "t"), ("c", true, ""), ("d", false, "")]);
        let d = root.children().last().unwrap();
        assert_eq!(d.prev_sibling().map(|n| n.name()), Some("c"));
        assert_eq!(root.children().next().unwrap().prev_sibling(), None);
        assert_eq!(root.children().next().unwrap().attributes()[0].value(), "1");
        assert!(root.children().nth(1).unwrap().attributes().is_empty());
    }
}
