//! XML for the `rest-xml` protocol: request bodies out, response bodies in, exactly as
//! botocore writes and reads them.
//!
//! - [`XmlWriter`] builds request bodies byte for byte as botocore's `RestXMLSerializer`
//!   does (`xml.etree.ElementTree.tostring`), including the `\r`/`\n` escaping that
//!   botocore adds for `DeleteObjects` and `PutBucketLifecycleConfiguration`.
//! - [`parse`], [`text`], [`child_elements`], [`attribute`] and the `parse_*` scalar
//!   readers are what generated response deserializers call; they read a document the way
//!   botocore's `BaseXMLResponseParser` reads it (element text as ElementTree's
//!   `Element.text`, names compared without their namespace).
//! - [`parse_error_document`] reads S3's `<Error>` document (and the
//!   `<ErrorResponse><Error>` form) as botocore's `RestXMLParser._parse_error_from_body`.
//! - `canonicalize` and `canonical_eq` (feature `xml-canonical`, for test suites) compare
//!   XML bodies the way botocore's protocol tests do
//!   (`ElementTree.canonicalize(..., strip_text=True)`, C14N 2.0), over `roxmltree`.
//!
//! # Reading: a compact element tree over `xmlparser`
//!
//! Generated deserializers look members up by name among an element's children, in any
//! order, which a tree makes simple and a pull parser makes verbose. The tree is our own
//! ([`Document`], [`Node`]): one pass over the [`xmlparser`] tokenizer (small, no
//! dependencies, zero-copy tokens with positions, strict about syntax) keeps only
//! elements, with their attributes and their text already joined as ElementTree's
//! `Element.text`, in one array sized from the input. A general DOM (`roxmltree`, used
//! before) also stores every text, comment and namespace node; for a 1000-key listing
//! that was three times the parse time, and most of the client's CPU per page. The tree
//! checks what a conforming parser checks (matching tags, one root, declared prefixes,
//! unique attributes, known references), never panics on malformed input, reports line
//! and column, and refuses DTDs (S3 never sends one).
//!
//! Writing needs no crate: ElementTree's output is a few string rules, and matching them
//! exactly is easier by hand than by configuring a general writer.

#[cfg(feature = "xml-canonical")]
mod canonical;
pub(crate) mod dom;
mod reader;
mod writer;

use std::error::Error as StdError;
use std::fmt;

#[cfg(feature = "xml-canonical")]
pub use canonical::{canonical_eq, canonicalize};
pub use reader::{
    attribute, child_elements, name, parse, parse_bool, parse_error_document, parse_f32, parse_f64,
    parse_i32, parse_i64, parse_optional, text, ErrorFields,
};
pub use dom::{Attribute, Children, Document, Node};
pub use writer::XmlWriter;

/// What was wrong with an XML document or a value in it, and where.
///
/// Its [`Display`](fmt::Display) names the problem, the element (as a path such as
/// `/ListBucketResult/Contents[2]/Size`) when one is known, and the line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    message: String,
    path: Option<String>,
    position: Option<(u32, u32)>,
    /// Whether `message` already ends with the position (roxmltree's messages do).
    position_in_message: bool,
}

impl XmlError {
    /// An error with a message and no location.
    pub fn new(message: impl Into<String>) -> Self {
        XmlError { message: message.into(), path: None, position: None, position_in_message: false }
    }

    /// An error about `node`: the message, the node's element path and its position.
    pub fn at(node: Node<'_, '_>, message: impl Into<String>) -> Self {
        XmlError {
            message: message.into(),
            path: Some(reader::element_path(node)),
            position: Some(node.position()),
            position_in_message: false,
        }
    }

    pub(crate) fn syntax(message: String, line: u32, column: u32) -> Self {
        XmlError { message, path: None, position: Some((line, column)), position_in_message: true }
    }

    /// What was wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The path of the element the error is about, such as `/Error/Code`, if known.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The 1-based line and column (in characters) where the problem is, if known.
    pub fn position(&self) -> Option<(u32, u32)> {
        self.position
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        let position = if self.position_in_message { None } else { self.position };
        match (&self.path, position) {
            (Some(path), Some((line, column))) => {
                write!(f, " (element {path}, line {line}, column {column})")
            }
            (Some(path), None) => write!(f, " (element {path})"),
            (None, Some((line, column))) => write!(f, " (line {line}, column {column})"),
            (None, None) => Ok(()),
        }
    }
}

impl StdError for XmlError {}

#[cfg(test)]
mod tests;
