//! Reading response bodies: helpers over the [`dom`](super::dom) element tree that read a
//! document the way botocore's `BaseXMLResponseParser` and `RestXMLParser` do.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::dom::{Document, Node};

use super::XmlError;
use crate::ErrorMetadata;

/// Parses a response body as XML.
///
/// The body must be UTF-8 (botocore forces UTF-8 whatever the declaration says); a
/// UTF-8 byte-order mark is skipped. An invalid byte, or malformed XML, is an error that
/// gives the line and column. A DTD is refused (S3 never sends one), where botocore's
/// expat would read it. An empty body is an error too: see [`parse_optional`].
///
/// As in botocore, nothing checks the root element's name: deserializers read its
/// children.
pub fn parse(bytes: &[u8]) -> Result<Document<'_>, XmlError> {
    super::dom::parse(decode_utf8(bytes)?)
}

/// The body as text: UTF-8, without a byte-order mark.
pub(crate) fn decode_utf8(bytes: &[u8]) -> Result<&str, XmlError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            // The prefix is valid UTF-8 by construction.
            let valid = std::str::from_utf8(&bytes[..at]).unwrap_or("");
            let (line, column) = line_column(valid);
            let byte = bytes.get(at).copied().unwrap_or(0);
            return Err(XmlError::syntax(
                format!(
                    "invalid XML: the body is not UTF-8 (byte 0x{byte:02X} at offset {at}) at {line}:{column}"
                ),
                line,
                column,
            ));
        }
    };
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Parses a response body that may be empty: `None` for an empty body.
///
/// botocore's `RestXMLParser._initial_body_parse` treats an empty body as an element with
/// no children, so every body member is absent; generated deserializers do the same with
/// `None`. A body of only whitespace is not empty, and is an error, as in botocore.
pub fn parse_optional(bytes: &[u8]) -> Result<Option<Document<'_>>, XmlError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    parse(bytes).map(Some)
}

/// The element's local name, without prefix or namespace, which is what botocore
/// compares member names with (`_node_tag` drops the `{namespace}`).
pub fn name<'a>(node: Node<'a, '_>) -> &'a str {
    node.name()
}

/// The element's text as ElementTree's `Element.text` gives it, `""` where that is `None`.
///
/// That is the character data before the first child element: text, CDATA sections and
/// entity or character references (`&amp;`, `&#xD;`) all joined, with comments and
/// processing instructions skipped (`a<!--c-->b` is `ab`). Whitespace is kept as is:
/// botocore strips nothing. Line breaks are normalized as XML requires (a raw `\r\n` or
/// `\r` reads as `\n`; `&#xD;` reads as `\r`).
///
/// The text was put together when the document was parsed; this borrows it.
pub fn text<'a>(node: Node<'a, '_>) -> Cow<'a, str> {
    Cow::Borrowed(node.text())
}

/// The element children of `node`, in document order.
pub fn child_elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
}

/// The value of the attribute that botocore's `_handle_structure` finds for an
/// `xmlAttribute` member serialized as `name`.
///
/// botocore rewrites each namespaced attribute `{uri}local` to `prefix:local`, taking
/// `prefix` from `name`, so a prefixed name such as `xsi:type` matches an attribute with
/// local name `type` in *any* namespace, and an unprefixed name matches only an attribute
/// without a namespace. If several match, the last one wins, as in botocore's dict.
pub fn attribute<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    let (namespaced, local) = match name.split_once(':') {
        Some((_prefix, local)) => (true, local),
        None => (false, name),
    };
    node.attributes().iter().rfind(|a| a.has_namespace() == namespaced && a.name() == local).map(|a| a.value())
}

/// Reads a boolean: the text must be `true` or `false`.
///
/// botocore reads exactly `true` as true and *anything* else as false; this reports
/// other text as an error instead, since it means the response is not what the model
/// says.
pub fn parse_bool(node: Node<'_, '_>) -> Result<bool, XmlError> {
    match &*text(node) {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(XmlError::at(node, format!("expected `true` or `false`, found {other:?}"))),
    }
}

/// Reads an `integer` member as Python's `int(text)` does, within the `i32` range:
/// surrounding whitespace is ignored, a sign is allowed, and so are single underscores
/// between digits.
pub fn parse_i32(node: Node<'_, '_>) -> Result<i32, XmlError> {
    let raw = text(node);
    python_int(&raw)
        .and_then(|t| t.parse::<i32>().ok())
        .ok_or_else(|| XmlError::at(node, format!("expected a 32-bit integer, found {raw:?}")))
}

/// Reads a `long` member as Python's `int(text)` does, within the `i64` range (see
/// [`parse_i32`]).
pub fn parse_i64(node: Node<'_, '_>) -> Result<i64, XmlError> {
    let raw = text(node);
    python_int(&raw)
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or_else(|| XmlError::at(node, format!("expected a 64-bit integer, found {raw:?}")))
}

/// Reads a `float` member as Python's `float(text)` does: surrounding whitespace is
/// ignored, `inf`, `infinity` and `nan` are accepted in any case with an optional sign,
/// and so are single underscores between digits. The value is rounded once, to `f32`.
pub fn parse_f32(node: Node<'_, '_>) -> Result<f32, XmlError> {
    let raw = text(node);
    python_float(&raw)
        .and_then(|t| t.parse::<f32>().ok())
        .ok_or_else(|| XmlError::at(node, format!("expected a number, found {raw:?}")))
}

/// Reads a `double` member as Python's `float(text)` does (see [`parse_f32`]).
pub fn parse_f64(node: Node<'_, '_>) -> Result<f64, XmlError> {
    let raw = text(node);
    python_float(&raw)
        .and_then(|t| t.parse::<f64>().ok())
        .ok_or_else(|| XmlError::at(node, format!("expected a number, found {raw:?}")))
}

/// Characters Python's `str.strip()` removes: `str.isspace()`.
pub(crate) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The text Python's `int()` would accept, as Rust's `parse` accepts it; `None` if Python
/// would refuse it. (Python also takes non-ASCII decimal digits; this does not.)
fn python_int(raw: &str) -> Option<Cow<'_, str>> {
    let t = raw.trim_matches(is_python_space);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    remove_digit_underscores(t)
}

/// The text Python's `float()` would accept, as Rust's `parse` accepts it; `None` if
/// Python would refuse it.
fn python_float(raw: &str) -> Option<Cow<'_, str>> {
    let t = raw.trim_matches(is_python_space);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return Some(Cow::Borrowed(t));
    }
    // Decimal forms only: Rust's parser takes the same ones, and no `inf`/`nan` here.
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
    {
        return None;
    }
    remove_digit_underscores(t)
}

/// Removes underscores that sit between two ASCII digits; `None` if any other
/// underscore is present.
fn remove_digit_underscores(t: &str) -> Option<Cow<'_, str>> {
    if !t.contains('_') {
        return Some(Cow::Borrowed(t));
    }
    let bytes = t.as_bytes();
    let mut out = String::with_capacity(t.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before =
                i.checked_sub(1).and_then(|j| bytes.get(j)).is_some_and(u8::is_ascii_digit);
            let after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(before && after) {
                return None;
            }
        } else {
            out.push(char::from(b));
        }
    }
    Some(Cow::Owned(out))
}

/// The fields of an S3 error document, as botocore's `RestXMLParser` reads them.
///
/// Build one with [`parse_error_document`]; [`ErrorFields::into_metadata`] turns it into
/// the [`ErrorMetadata`] callers see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorFields {
    /// `Code`, such as `NoSuchKey`.
    pub code: Option<String>,
    /// `Message`, the human-readable explanation.
    pub message: Option<String>,
    /// `RequestId` from the body. botocore reports the `x-amz-request-id` header instead
    /// when the document is S3's `<Error>`; callers should prefer the header likewise.
    pub request_id: Option<String>,
    /// `HostId` from the body. botocore reports the `x-amz-id-2` header instead; callers
    /// should prefer the header likewise.
    pub host_id: Option<String>,
    /// Every other field, in document order, as (element name, text).
    pub extras: Vec<(String, String)>,
}

impl ErrorFields {
    /// The [`ErrorMetadata`] holding these fields (no HTTP status yet).
    pub fn into_metadata(self) -> ErrorMetadata {
        let mut meta = ErrorMetadata::new(self.code, self.message)
            .with_request_id(self.request_id)
            .with_host_id(self.host_id);
        for (name, value) in self.extras {
            meta = meta.with_extra(name, value);
        }
        meta
    }
}

/// Reads an error response body as botocore's `RestXMLParser._parse_error_from_body`.
///
/// Two shapes are read, exactly as botocore tells them apart:
///
/// - S3's: the root element is `<Error>` *with no namespace*. Each child element without
///   element children is a field: `Code`, `Message`, `RequestId`, `HostId`, and any other
///   (`Key`, `BucketName`, …) goes to [`ErrorFields::extras`]. A field with no text
///   (`<Code/>`) is `None`, as botocore's `None`.
/// - Any other root, such as `<ErrorResponse><Error>…</Error><RequestId>…</RequestId>
///   </ErrorResponse>` (Route 53, CloudFront): the fields are those of the first child
///   named `Error` (any namespace), and `code` and `message` are `Some("")` when that
///   child lacks them — botocore's default. `request_id` is the root's `RequestId` child;
///   `host_id` stays `None` and the root's other children are dropped, as in botocore.
///   This branch also takes a namespaced `<Error xmlns="…">` root, whose fields botocore
///   then does not find: `code` and `message` are `Some("")`.
///
/// Where botocore would produce something odd, this reads the first occurrence of a
/// repeated field (botocore gives an empty dict) and skips fields that have child
/// elements (botocore gives a nested dict) — such fields never come from S3.
///
/// An empty body, a body that is not XML, or one that is not UTF-8, is an error: botocore
/// then reports the HTTP status as the code (`"404"`) and its reason phrase
/// (`"Not Found"`) as the message, which the caller does. (botocore also treats a 5xx
/// response whose body is empty or starts with `<html>` that way before parsing.)
pub fn parse_error_document(bytes: &[u8]) -> Result<ErrorFields, XmlError> {
    if bytes.is_empty() {
        return Err(XmlError::new("invalid XML: the error response body is empty"));
    }
    let doc = parse(bytes)?;
    let root = doc.root_element();
    let mut fields = ErrorFields::default();
    if !root.has_namespace() && name(root) == "Error" {
        // Whether an earlier sibling (leaf or not) had the name: only the first
        // occurrence is read.
        let mut seen = [false; 4];
        for child in child_elements(root) {
            let index = ["Code", "Message", "RequestId", "HostId"].iter().position(|n| *n == name(child));
            let first = index.is_some_and(|i| !std::mem::replace(&mut seen[i], true));
            if child_elements(child).next().is_some() {
                continue;
            }
            let value = leaf_text(child);
            match index {
                Some(0) if first => fields.code = value,
                Some(1) if first => fields.message = value,
                Some(2) if first => fields.request_id = value,
                Some(3) if first => fields.host_id = value,
                Some(_) => {}
                None => fields.extras.push((name(child).to_owned(), value.unwrap_or_default())),
            }
        }
        return Ok(fields);
    }
    let mut code = None;
    let mut message = None;
    if let Some(error) = child_elements(root).find(|c| name(*c) == "Error") {
        if child_elements(error).next().is_some() {
            let mut seen = [false; 2];
            for child in child_elements(error) {
                let index = ["Code", "Message"].iter().position(|n| *n == name(child));
                let first = index.is_some_and(|i| !std::mem::replace(&mut seen[i], true));
                if child_elements(child).next().is_some() {
                    continue;
                }
                let value = leaf_text(child);
                match index {
                    Some(0) if first => code = Some(value),
                    Some(1) if first => message = Some(value),
                    Some(_) => {}
                    None => fields.extras.push((name(child).to_owned(), value.unwrap_or_default())),
                }
            }
        }
    }
    fields.code = code.unwrap_or_else(|| Some(String::new()));
    fields.message = message.unwrap_or_else(|| Some(String::new()));
    fields.request_id = leaf_children(root).find(|c| name(*c) == "RequestId").and_then(leaf_text);
    Ok(fields)
}

/// Child elements that have no element children: the ones botocore reads as text.
fn leaf_children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    child_elements(node).filter(|c| child_elements(*c).next().is_none())
}

/// ElementTree's `.text` of a leaf: `None` when there is no character data.
fn leaf_text(node: Node<'_, '_>) -> Option<String> {
    let t = text(node);
    if t.is_empty() {
        None
    } else {
        Some(t.into_owned())
    }
}

/// `/Root/Child[2]/Leaf`: the element's path by local names, with a 1-based index where
/// siblings share the name.
pub(crate) fn element_path(node: Node<'_, '_>) -> String {
    let mut parts: Vec<Node<'_, '_>> = std::iter::successors(Some(node), Node::parent).collect();
    parts.reverse();
    let mut path = String::new();
    for part in parts {
        path.push('/');
        path.push_str(name(part));
        // One pass over the siblings: how many share the name before this one, and after.
        let (mut before, mut after, mut past) = (0, 0, false);
        for sibling in part.parent().map(|p| p.children()).into_iter().flatten() {
            if sibling == part {
                past = true;
            } else if name(sibling) == name(part) {
                if past { after += 1 } else { before += 1 }
            }
        }
        if before + after > 0 {
            let _ = write!(path, "[{}]", before + 1);
        }
    }
    path
}

/// 1-based line and column (in characters) just past `prefix`.
fn line_column(prefix: &str) -> (u32, u32) {
    let line = prefix.bytes().filter(|&b| b == b'\n').count() + 1;
    let last_line = prefix.rsplit('\n').next().unwrap_or("");
    let column = last_line.chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
}
