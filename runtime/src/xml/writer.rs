//! [`XmlWriter`]: request bodies exactly as botocore's `RestXMLSerializer` writes them.

/// Builds an XML request body, byte for byte as botocore's `RestXMLSerializer` does.
///
/// botocore builds an `xml.etree.ElementTree` and serializes it with
/// `ElementTree.tostring(root, encoding='utf-8')`. That gives, and so does this writer:
///
/// - no XML declaration and no whitespace between elements;
/// - text escaped as `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, everything else as is
///   (quotes, apostrophes, tabs, `\r`, `\n`, non-ASCII characters as UTF-8, even control
///   characters that XML forbids);
/// - attribute values escaped as `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`,
///   `"` → `&quot;`, `\r` → `&#13;`, `\n` → `&#10;`, `\t` → `&#09;` (apostrophes as is),
///   inside double quotes, in the order given;
/// - an element with neither text nor children — including an empty string — as
///   `<Name />` (with the space), otherwise `<Name>…</Name>`;
/// - namespaces as plain attributes, wherever the caller puts them: `xmlns="…"` on the
///   payload root, `xmlns:xsi="…"` then `xsi:type="…"` on a `Grantee`.
///
/// For `DeleteObjects` and `PutBucketLifecycleConfiguration`, botocore's
/// `escape_xml_payload` handler then replaces every `\r` in the body with `&#xD;` and
/// every `\n` with `&#xA;`, so that S3's parser does not normalize line breaks in keys
/// and prefixes; [`XmlWriter::new_escaping_newlines`] writes that. (Attribute values
/// already have no raw `\r` or `\n`, so only text changes.) Every other operation sends
/// `\r` and `\n` in text raw, as [`XmlWriter::new`] does.
///
/// ```
/// use s3_runtime::xml::XmlWriter;
///
/// let mut w = XmlWriter::new();
/// w.start("Tagging", &[("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/")]);
/// w.start("TagSet", &[]);
/// w.start("Tag", &[]);
/// w.text_element("Key", "a&b");
/// w.text_element("Value", "");
/// w.end("Tag");
/// w.end("TagSet");
/// w.end("Tagging");
/// assert_eq!(
///     w.finish(),
///     b"<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag>\
///       <Key>a&amp;b</Key><Value /></Tag></TagSet></Tagging>"
/// );
/// ```
///
/// Names are written as given: the generated code only passes names from the model.
/// The writer trusts the caller to balance [`start`](Self::start) and
/// [`end`](Self::end); it never panics, whatever it is called with.
#[derive(Clone, Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// A start tag has been written up to its attributes, without its closing `>`:
    /// whether it becomes `<a>` or `<a />` depends on what comes next.
    open_tag_pending: bool,
    escape_newlines: bool,
}

impl XmlWriter {
    /// A writer for an empty body, writing text as `ElementTree.tostring` does.
    pub fn new() -> Self {
        XmlWriter::default()
    }

    /// A writer that also writes `\r` in text as `&#xD;` and `\n` as `&#xA;`, as botocore
    /// does for `DeleteObjects` and `PutBucketLifecycleConfiguration` (its
    /// `escape_xml_payload` handler).
    pub fn new_escaping_newlines() -> Self {
        XmlWriter { escape_newlines: true, ..XmlWriter::default() }
    }

    /// Opens element `name` with the given attributes, written in the given order with
    /// their values escaped. Namespace declarations are attributes here:
    /// `("xmlns", uri)` or `("xmlns:xsi", uri)`.
    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.close_pending_tag();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_attribute(&mut self.out, value);
            self.out.push('"');
        }
        self.open_tag_pending = true;
    }

    /// Closes element `name`: `</name>`, or ` />` if nothing was written since its start.
    pub fn end(&mut self, name: &str) {
        if self.open_tag_pending {
            self.out.push_str(" />");
            self.open_tag_pending = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
    }

    /// Writes `<name>text</name>` with the text escaped, or `<name />` if `text` is
    /// empty (ElementTree writes an empty string like no text at all).
    pub fn text_element(&mut self, name: &str, text: &str) {
        self.start(name, &[]);
        self.text(text);
        self.end(name);
    }

    /// Writes escaped text inside the element opened last. Empty text writes nothing,
    /// so the element can still end as `<name />`.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.close_pending_tag();
        escape_text(&mut self.out, text, self.escape_newlines);
    }

    /// The body written so far, as UTF-8 bytes.
    pub fn finish(mut self) -> Vec<u8> {
        // A start never ended: close its tag so the bytes are at least tag-complete.
        if self.open_tag_pending {
            self.out.push_str(" />");
        }
        self.out.into_bytes()
    }

    fn close_pending_tag(&mut self) {
        if self.open_tag_pending {
            self.out.push('>');
            self.open_tag_pending = false;
        }
    }
}

/// ElementTree's `_escape_cdata`, plus botocore's `escape_xml_payload` when asked.
fn escape_text(out: &mut String, text: &str, escape_newlines: bool) {
    let mut rest = text;
    // All the characters looked for are ASCII, so byte positions are char boundaries.
    while let Some(i) = rest.bytes().position(|b| matches!(b, b'&' | b'<' | b'>' | b'\r' | b'\n')) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        out.push_str(match c {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' if escape_newlines => "&#xD;",
            b'\n' if escape_newlines => "&#xA;",
            b'\r' => "\r",
            _ => "\n",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// ElementTree's `_escape_attrib` (Python 3.9 and later).
fn escape_attribute(out: &mut String, value: &str) {
    let mut rest = value;
    while let Some(i) =
        rest.bytes().position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\r' | b'\n' | b'\t'))
    {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\r' => "&#13;",
            b'\n' => "&#10;",
            _ => "&#09;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}
