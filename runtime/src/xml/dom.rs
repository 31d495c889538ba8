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
//! Well-formedness is checked as a conforming parser does: tags must match, one root,
//! prefixes must be declared, no duplicate attributes, only the five predefined entities
//! and character references. A DTD is refused (S3 never sends one).

use std::borrow::Cow;
use std::ops::Range;

use xmlparser::{ElementEnd, Token, Tokenizer};

use super::XmlError;

/// A parsed document.
#[derive(Debug)]
pub struct Document<'i> {
    input: &'i str,
    elements: Vec<Element<'i>>,
    attributes: Vec<Attribute<'i>>,
}

#[derive(Debug)]
struct Element<'i> {
    name: &'i str,
    namespaced: bool,
    text: Cow<'i, str>,
    parent: u32,
    first_child: u32,
    next_sibling: u32,
    prev_sibling: u32,
    attributes: Range<u32>,
    /// Byte offset of the `<` that opens the element.
    offset: u32,
}

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
    fn data(&self) -> &'a Element<'i> {
        &self.doc.elements[self.id as usize]
    }

    fn at(&self, id: u32) -> Option<Node<'a, 'i>> {
        (id != NONE).then_some(Node { doc: self.doc, id })
    }

    /// The local name, without prefix or namespace.
    pub fn name(&self) -> &'a str {
        self.data().name
    }

    /// Whether the element is in a namespace (a default `xmlns` or a prefix).
    pub fn has_namespace(&self) -> bool {
        self.data().namespaced
    }

    /// The element's text as ElementTree's `Element.text`, `""` where that is `None`.
    pub fn text(&self) -> &'a str {
        &self.data().text
    }

    /// The element's attributes, in document order.
    pub fn attributes(&self) -> &'a [Attribute<'i>] {
        let range = &self.data().attributes;
        &self.doc.attributes[range.start as usize..range.end as usize]
    }

    /// The parent element.
    pub fn parent(&self) -> Option<Node<'a, 'i>> {
        self.at(self.data().parent)
    }

    /// The child elements, in document order.
    pub fn children(&self) -> Children<'a, 'i> {
        Children { next: self.at(self.data().first_child) }
    }

    /// The previous sibling element.
    pub fn prev_sibling(&self) -> Option<Node<'a, 'i>> {
        self.at(self.data().prev_sibling)
    }

    /// The next sibling element.
    pub fn next_sibling(&self) -> Option<Node<'a, 'i>> {
        self.at(self.data().next_sibling)
    }

    /// 1-based line and column of the element's start tag.
    pub fn position(&self) -> (u32, u32) {
        self.doc.line_column(self.data().offset as usize)
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

/// A namespace prefix in scope: `(prefix, depth at which it was declared)`. The default
/// namespace is the empty prefix; an empty URI undeclares it.
struct Scope<'i> {
    prefix: &'i str,
    declared: bool,
    depth: usize,
}

/// Parses `input` (already UTF-8, without a byte-order mark).
pub fn parse(input: &str) -> Result<Document<'_>, XmlError> {
    Builder::new(input).run()
}

struct Builder<'i> {
    input: &'i str,
    doc: Document<'i>,
    /// Open elements: (id, (prefix, local name) as written, last child id).
    open: Vec<(u32, (&'i str, &'i str), u32)>,
    scopes: Vec<Scope<'i>>,
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
        // An element with content takes two `<` (start and end tag): half their count
        // sizes the array for typical responses in one allocation.
        let estimate = input.bytes().filter(|&b| b == b'<').count() / 2 + 1;
        Builder {
            input,
            doc: Document { input, elements: Vec::with_capacity(estimate), attributes: Vec::new() },
            open: Vec::new(),
            scopes: Vec::new(),
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
                self.scopes.push(Scope { prefix: local, declared: true, depth });
            } else if prefix.is_empty() && local == "xmlns" {
                self.scopes.push(Scope { prefix: "", declared: !value.is_empty(), depth });
            }
        }
        let namespaced = match self.lookup(p.prefix) {
            Some(declared) => declared,
            None => return Err(self.error(p.offset, format_args!("the prefix `{}` is not declared", p.prefix))),
        };
        let first_attribute = self.doc.attributes.len();
        for (i, &(prefix, local, value, offset)) in p.attributes.iter().enumerate() {
            if prefix == "xmlns" || (prefix.is_empty() && local == "xmlns") {
                continue;
            }
            if p.attributes[..i].iter().any(|&(q, l, _, _)| same(q, prefix) && same(l, local)) {
                return Err(self.error(offset, format_args!("the attribute `{local}` is repeated")));
            }
            let namespaced = if prefix.is_empty() {
                false
            } else if self.lookup(prefix) == Some(true) {
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
        } else if parent != NONE {
            self.doc.elements[parent as usize].first_child = id;
        }
        if let Some(open) = self.open.last_mut() {
            open.2 = id;
        }
        self.doc.elements.push(Element {
            name: p.local,
            namespaced,
            text: Cow::Borrowed(""),
            parent,
            first_child: NONE,
            next_sibling: NONE,
            prev_sibling,
            attributes: first_attribute as u32..self.doc.attributes.len() as u32,
            offset: u32::try_from(p.offset).unwrap_or(u32::MAX),
        });
        self.text_done = false;
        if empty {
            self.close_scopes(depth);
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
        self.close_scopes(self.open.len());
        // Text after a child's end tag is that child's tail, not the parent's text.
        self.text_done = true;
        Ok(())
    }

    fn close_scopes(&mut self, depth: usize) {
        while self.scopes.last().is_some_and(|s| s.depth >= depth) {
            self.scopes.pop();
        }
    }

    /// `Some(in a namespace)` for a declared prefix (or the default namespace), `None`
    /// for an undeclared prefix.
    fn lookup(&self, prefix: &str) -> Option<bool> {
        if prefix == "xml" {
            return Some(true);
        }
        match self.scopes.iter().rev().find(|s| same(s.prefix, prefix)) {
            Some(scope) => Some(scope.declared || !prefix.is_empty()),
            None if prefix.is_empty() => Some(false),
            None => None,
        }
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
        let text = &mut self.doc.elements[id as usize].text;
        if text.is_empty() {
            *text = piece;
        } else {
            text.to_mut().push_str(&piece);
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
