//! Converts botocore documentation strings (HTML fragments) into rustdoc Markdown.
//!
//! The S3 model uses a small HTML subset (`p`, `code`, `a`, `b`, `i`, `ul`/`li`, `dl`/`dt`/`dd`,
//! `note`, `important`, ...). It is parsed leniently into a tiny tree (unknown tags are
//! transparent, stray end tags are ignored, unclosed tags are closed at the end) and rendered
//! block by block. The output contains no raw HTML, no code blocks and no unescaped `[`, `]`,
//! `<`, `>`, so it passes `RUSTDOCFLAGS="-D warnings"` and never creates a doctest.
//! `<note>`/`<important>` become block quotes starting with `**Note:**`/`**Important:**`.

enum Node {
    Text(String),
    Elem(Elem),
}

struct Elem {
    name: String,
    href: Option<String>,
    children: Vec<Node>,
}

/// A rendered paragraph (`para`), list or quote: lines without trailing whitespace.
struct Block {
    lines: Vec<String>,
    para: bool,
}

/// Converts one botocore documentation string (an HTML fragment) to Markdown suitable for
/// `///` doc comments: lines separated by `\n`, no leading/trailing blank lines, no trailing
/// newline; empty for input without text.
pub fn html_to_markdown(html: &str) -> String {
    join(&render_blocks(&parse(html))).join("\n")
}

// ------------------------------------------------------------------------------ parsing

fn parse(html: &str) -> Vec<Node> {
    // Stack of open elements; index 0 is the nameless root.
    let mut stack = vec![elem("", None)];
    fn close_top(stack: &mut Vec<Elem>) {
        let top = stack.pop().expect("root is never closed");
        let parent = stack.last_mut().expect("root");
        parent.children.push(Node::Elem(top));
    }
    let mut rest = html;
    while !rest.is_empty() {
        let Some((tag, len)) = parse_tag(rest) else {
            // Text runs up to the next '<' (the first char may be a '<' that is not a tag).
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
            let text = Node::Text(decode(&rest[..end]));
            stack.last_mut().expect("root").children.push(text);
            rest = &rest[end..];
            continue;
        };
        rest = &rest[len..];
        // `tag` is `None` for comments.
        let Some((name, close, empty, href)) = tag else {
            continue;
        };
        if close {
            // Close up to the matching open element; stray end tags are ignored.
            if let Some(i) = stack.iter().skip(1).rposition(|e| e.name == name) {
                while stack.len() > i + 1 {
                    close_top(&mut stack);
                }
            }
            continue;
        }
        // Implicitly close a `<p>`, `<li>`, `<dt>` or `<dd>` left open by sloppy markup.
        let top = stack.last().expect("root").name.as_str();
        let dt_dd = |n: &str| n == "dt" || n == "dd";
        if (top == name && (top == "p" || top == "li")) || (dt_dd(top) && dt_dd(&name)) {
            close_top(&mut stack);
        }
        stack.push(elem(&name, href));
        if empty {
            close_top(&mut stack);
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().expect("root").children
}

fn elem(name: &str, href: Option<String>) -> Elem {
    let (name, children) = (name.to_string(), Vec::new());
    Elem {
        name,
        href,
        children,
    }
}

/// A tag: `(lowercase name, is end tag, is self-closing/void, href)`; `None` for comments.
type Tag = Option<(String, bool, bool, Option<String>)>;

/// Parses the tag at the start of `s` and returns it with its length, or `None` if `s` does
/// not start with a well-formed tag (then the `<` is text).
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    if let Some(body) = s.strip_prefix("<!--") {
        return Some((None, body.find("-->").map_or(s.len(), |i| i + 7)));
    }
    if s.starts_with("<!") || s.starts_with("<?") {
        return Some((None, s.find('>')? + 1));
    }
    let body = s.strip_prefix('<')?;
    let (close, body) = body.strip_prefix('/').map_or((false, body), |b| (true, b));
    if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = body.find(|c: char| !c.is_ascii_alphanumeric());
    let name_len = name_len.unwrap_or(body.len());
    // The tag ends at the first '>' outside a quoted attribute value.
    let mut quote = None;
    let end = body.char_indices().skip(name_len).find_map(|(i, c)| {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
        None
    })?;
    let attrs = body[name_len..end].trim();
    let name = body[..name_len].to_ascii_lowercase();
    let empty = attrs.ends_with('/') || matches!(name.as_str(), "br" | "hr" | "img" | "wbr");
    let tag = (name, close, empty, attr(attrs, "href"));
    Some((Some(tag), s.len() - body.len() + end + 1))
}

/// The entity-decoded value of attribute `name` in an attribute list like `a="1" b='2' c=3`.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(i) = rest.find('=') {
        let key = rest[..i].split_whitespace().last().unwrap_or("");
        let val = rest[i + 1..].trim_start();
        let (value, next) = match val.chars().next() {
            Some(q @ ('"' | '\'')) => val[1..].split_once(q).unwrap_or((&val[1..], "")),
            _ => val.split_once(char::is_whitespace).unwrap_or((val, "")),
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(decode(value));
        }
        rest = next;
    }
    None
}

/// Decodes HTML character references; unknown ones are kept literally.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let semi = rest.find(';').filter(|&j| j <= 10).unwrap_or(1);
        let ch = match &rest[1..semi] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            e => match e.strip_prefix("#x").or(e.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => e.strip_prefix('#').and_then(|n| n.parse().ok()),
            }
            .and_then(char::from_u32),
        };
        let (c, len) = ch.map_or(('&', 1), |c| (c, semi + 1));
        out.push(c);
        rest = &rest[len..];
    }
    out + rest
}

// ---------------------------------------------------------------------------- rendering

/// Elements that structure text into blocks; an unknown element is a block if it contains one.
fn is_block(node: &Node) -> bool {
    let Node::Elem(e) = node else { return false };
    let blocks = "p div ul ol li dl dt dd note important br";
    blocks.split(' ').any(|b| b == e.name) || e.children.iter().any(is_block)
}

/// Renders sibling nodes; runs of inline nodes become paragraphs.
fn render_blocks(nodes: &[Node]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para = Inline::new(false, false, false);
    for node in nodes {
        let e = match node {
            Node::Elem(e) if is_block(node) => e,
            _ => {
                para.node(node);
                continue;
            }
        };
        para.flush(&mut out);
        let children = &e.children;
        match e.name.as_str() {
            "ul" | "ol" | "dl" => out.extend(list(&e.name, children)),
            "note" => out.extend(quote("**Note:**", render_blocks(children))),
            "important" => out.extend(quote("**Important:**", render_blocks(children))),
            _ => out.extend(render_blocks(children)), // `p`, `br`, a stray `li`, ...
        }
    }
    para.flush(&mut out);
    out
}

/// Joins blocks into lines, separated by one blank line.
fn join(blocks: &[Block]) -> Vec<String> {
    let mut lines = Vec::new();
    for b in blocks {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(b.lines.iter().cloned());
    }
    lines
}

/// Prepends `label` to the first paragraph, or inserts it as a paragraph of its own.
fn with_label(label: Option<String>, mut blocks: Vec<Block>) -> Vec<Block> {
    match (label, blocks.first_mut()) {
        (Some(l), Some(b)) if b.para => b.lines[0] = format!("{l} {}", b.lines[0]),
        (Some(l), _) => blocks.insert(0, para(l)),
        (None, _) => {}
    }
    blocks
}

/// Renders a `<note>`/`<important>` as a block quote starting with `label`.
fn quote(label: &str, blocks: Vec<Block>) -> Option<Block> {
    if blocks.is_empty() {
        return None;
    }
    let lines = join(&with_label(Some(label.to_string()), blocks));
    let quoted = |l: &String| format!("> {l}").trim_end().to_string();
    let lines = lines.iter().map(quoted).collect();
    Some(Block { lines, para: false })
}

/// Renders `ul`/`ol` (items from `li`) or `dl` (items `- **term**: definition`). Continuation
/// lines are indented to the item's content column so that rustdoc keeps them in the item.
fn list(kind: &str, children: &[Node]) -> Option<Block> {
    let mut items: Vec<(Option<String>, Vec<Block>)> = Vec::new();
    for child in children {
        match child {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Elem(e) if e.name == "li" => items.push((None, render_blocks(&e.children))),
            Node::Elem(e) if e.name == "dt" => {
                let mut term = Inline::new(true, false, false);
                term.nodes(&e.children);
                let term = squash(&term.buf).trim().to_string();
                items.push(((!term.is_empty()).then(|| format!("**{term}**:")), vec![]));
            }
            // `<dd>` and stray content (text, a `<note>` between items) extend the last item.
            _ => {
                let blocks = render_blocks(std::slice::from_ref(child));
                match items.last_mut() {
                    Some(item) => item.1.extend(blocks),
                    None => items.push((None, blocks)),
                }
            }
        }
    }
    let mut lines = Vec::new();
    for (n, (label, blocks)) in items.into_iter().enumerate() {
        let marker = match kind {
            "ol" => format!("{}. ", n + 1),
            _ => "- ".to_string(),
        };
        let pad = " ".repeat(marker.len());
        for (i, line) in join(&with_label(label, blocks)).iter().enumerate() {
            let indent = if i == 0 { &marker } else { &pad };
            lines.push(format!("{indent}{line}").trim_end().to_string());
        }
    }
    Some(Block { lines, para: false }).filter(|b| !b.lines.is_empty())
}

/// Accumulates the inline Markdown of one paragraph.
struct Inline {
    buf: String,
    /// Inside `**`/`*`/a link: nested `<b>`/`<i>`/`<a>` must not add markers again.
    bold: bool,
    italic: bool,
    link: bool,
    /// The last space was moved out of an element (`<code>x </code>`); it is dropped if
    /// punctuation follows, to get `` `x`. `` rather than `` `x` . ``.
    soft: bool,
}

impl Inline {
    fn new(bold: bool, italic: bool, link: bool) -> Self {
        let buf = String::new();
        Inline {
            buf,
            bold,
            italic,
            link,
            soft: false,
        }
    }

    fn flush(&mut self, out: &mut Vec<Block>) {
        let line = squash(&self.buf).trim().to_string();
        self.buf.clear();
        if !line.is_empty() {
            out.push(para(line));
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        nodes.iter().for_each(|n| self.node(n));
    }

    fn node(&mut self, node: &Node) {
        let e = match node {
            Node::Text(t) => return self.text(t),
            Node::Elem(e) => e,
        };
        let (bold, italic, link) = (self.bold, self.italic, self.link);
        let mut inner = Inline::new(bold, italic, link);
        match e.name.as_str() {
            "code" | "tt" => {
                // Code is verbatim; the fence is longer than any backtick run inside.
                let code = squash(&text_content(&e.children));
                let ticks = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(ticks + 1);
                let t = code.trim();
                let pad = " ".repeat(usize::from(t.starts_with('`') || t.ends_with('`')));
                self.wrap(&code, &format!("{fence}{pad}"), &format!("{pad}{fence}"));
            }
            "b" | "strong" if !bold => {
                inner.bold = true;
                inner.nodes(&e.children);
                self.wrap(&inner.buf, "**", "**");
            }
            "i" | "em" if !italic => {
                inner.italic = true;
                inner.nodes(&e.children);
                self.wrap(&inner.buf, "*", "*");
            }
            "a" if !link => {
                let href = e.href.as_deref().unwrap_or("").trim();
                let absolute = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| href.starts_with(p));
                if !absolute {
                    return self.nodes(&e.children); // relative or no target: keep the text
                }
                let url: String = (href.chars())
                    .map(|c| match c {
                        ' ' | '<' | '>' | '(' | ')' => format!("%{:02X}", c as u32),
                        c => c.to_string(),
                    })
                    .collect();
                let text = squash(&text_content(&e.children));
                let (t, autolink) = (text.trim(), format!("<{url}>"));
                if t.is_empty() {
                    self.wrap(&format!("{text}{autolink}"), "", "");
                } else if t == href {
                    self.wrap(&text.replacen(t, &autolink, 1), "", "");
                } else {
                    inner.link = true;
                    inner.nodes(&e.children);
                    self.wrap(&inner.buf, "[", &format!("]({url})"));
                }
            }
            _ => self.nodes(&e.children),
        }
    }

    /// Appends `open inner close`, moving `inner`'s edge whitespace outside the markers
    /// (`**x **` would not be bold); markers around blank content are dropped.
    fn wrap(&mut self, inner: &str, open: &str, close: &str) {
        self.soft = false;
        if inner.starts_with(char::is_whitespace) {
            self.buf.push(' ');
        }
        let trimmed = inner.trim();
        if !trimmed.is_empty() {
            self.buf.push_str(&format!("{open}{trimmed}{close}"));
            if inner.ends_with(char::is_whitespace) {
                self.buf.push(' ');
                self.soft = true;
            }
        }
    }

    /// Appends plain text, wrapping bare URLs in `<...>` (unless inside a link).
    fn text(&mut self, text: &str) {
        if std::mem::take(&mut self.soft) && text.starts_with(|c| ".,;:!?)".contains(c)) {
            self.buf.pop();
        }
        let find_url = |s: &str| {
            [s.find("http://"), s.find("https://")]
                .into_iter()
                .flatten()
                .min()
        };
        let mut rest = text;
        while let Some(start) = find_url(rest).filter(|_| !self.link) {
            let end = rest[start..].find(|c: char| c.is_whitespace() || "<>\"".contains(c));
            let url = &rest[start..start + end.unwrap_or(rest.len() - start)];
            let url = url.trim_end_matches(|c: char| ".,;:!?)'\"]".contains(c));
            self.escaped(&rest[..start]);
            self.buf.push_str(&format!("<{url}>"));
            rest = &rest[start + url.len()..];
        }
        self.escaped(rest);
    }

    /// Appends plain text with Markdown-significant characters escaped.
    fn escaped(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        // At the start of a line `#`, `-`, `+`, `=` and `1.`/`1)` would start a block.
        let mut line_start = None;
        let first = chars.iter().position(|c| !c.is_whitespace());
        if let Some(f) = first.filter(|_| self.buf.trim().is_empty()) {
            let digits = chars[f..].iter().take_while(|c| c.is_ascii_digit()).count();
            if matches!(chars[f], '#' | '-' | '+' | '=') {
                line_start = Some(f);
            } else if digits > 0 && matches!(chars.get(f + digits), Some('.' | ')')) {
                line_start = Some(f + digits);
            }
        }
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map_or(' ', |j| chars[j]);
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            match c {
                '<' => self.buf.push_str("&lt;"),
                '>' => self.buf.push_str("&gt;"),
                // `&` only needs escaping where it could start a character reference.
                '&' if next.is_alphanumeric() || next == '#' => self.buf.push_str("&amp;"),
                '\\' | '`' | '*' | '[' | ']' | '~' => self.buf.extend(['\\', c]),
                // `_` inside a word cannot start or end emphasis; elsewhere escape it.
                '_' if !prev.is_alphanumeric() || !next.is_alphanumeric() => {
                    self.buf.push_str("\\_")
                }
                _ if line_start == Some(i) => self.buf.extend(['\\', c]),
                _ => self.buf.push(c),
            }
        }
    }
}

fn para(line: String) -> Block {
    Block {
        lines: vec![line],
        para: true,
    }
}

/// The concatenated text of all descendants.
fn text_content(nodes: &[Node]) -> String {
    let text = |n: &Node| match n {
        Node::Text(t) => t.clone(),
        Node::Elem(e) => text_content(&e.children),
    };
    nodes.iter().map(text).collect()
}

/// Collapses each whitespace run into one space (edges are kept as one space).
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
#[rustfmt::skip] // one case per line
mod tests {
    use super::html_to_markdown as md;

    #[track_caller]
    fn check(cases: &[(&str, &str)]) {
        for (html, want) in cases {
            assert_eq!(md(html), *want, "input: {html:?}");
        }
    }

    #[test]
    fn empty_and_whitespace() {
        let empty = ["", " \n ", "<p/>", "<p></p>", "<p> </p>", "<note> </note>", "<ul></ul>"];
        check(&empty.map(|html| (html, "")));
    }

    #[test]
    fn paragraphs() {
        check(&[
            ("<p> a  \n b </p> <p>c</p>", "a b\n\nc"),
            ("plain", "plain"),
            ("<p>a<br/>b</p>", "a\n\nb"),
        ]);
    }

    #[test]
    fn code_spans() {
        check(&[
            ("<p>Use <code>x_y*[z]</code>.</p>", "Use `x_y*[z]`."),
            ("<code>a`b</code>", "``a`b``"),
            ("<code>`x</code>", "`` `x ``"),
            ("a<code> </code>b <code></code>", "a b"),
            ("<code>&lt;Key&gt;</code>", "`<Key>`"),
            ("in <code>https://<i>b</i>.s3</code>", "in `https://b.s3`"),
            ("is <code> x </code>. Next", "is `x`. Next"),
        ]);
    }

    #[test]
    fn links() {
        check(&[
            ("<a href=\"https://e.com/x\">Doc</a>.", "[Doc](https://e.com/x)."),
            ("see <a href=\"https://e.com/x\"></a>", "see <https://e.com/x>"),
            ("<a href=\"https://e.com/x\"> https://e.com/x </a>.", "<https://e.com/x>."),
            ("see <a href=\"/rel/x.html\">Doc</a>", "see Doc"),
            ("see <a href=\"\">Doc</a>", "see Doc"),
            ("<a>GetObject</a>", "GetObject"),
            ("<a href=\"https://e.com/a b(c)\"><code>Foo</code></a>", "[`Foo`](https://e.com/a%20b%28c%29)"),
            ("<a href='http://e.com/?a=1&amp;b=2'>[x]</a>", r"[\[x\]](http://e.com/?a=1&b=2)"),
        ]);
    }

    #[test]
    fn lists() {
        check(&[
            ("<ul><li><p>a</p></li><li>b</li></ul>", "- a\n- b"),
            ("<p>x</p><ol><li>a</li><li>b</li></ol><p>y</p>", "x\n\n1. a\n2. b\n\ny"),
            ("<ul><li><p>a</p><p>a2</p><ul><li>b</li></ul></li><li>c</li></ul>", "- a\n\n  a2\n\n  - b\n- c"),
            ("<ol><li>a<ol><li>b</li></ol></li></ol>", "1. a\n\n   1. b"),
            // A note between items joins the previous item.
            ("<ul><li>a</li><note>n</note></ul>", "- a\n\n  > **Note:** n"),
        ]);
    }

    #[test]
    fn notes() {
        check(&[
            ("<note><p>Careful.</p></note>", "> **Note:** Careful."),
            ("<important><p>a</p><p>b</p></important>", "> **Important:** a\n>\n> b"),
            ("<note><ul><li>a</li></ul></note>", "> **Note:**\n>\n> - a"),
            ("<ul><li><note>n</note></li></ul>", "- > **Note:** n"),
        ]);
    }

    #[test]
    fn emphasis() {
        check(&[
            ("<p><b>Directory buckets </b>- x</p>", "**Directory buckets** - x"),
            ("<i>A <i>B</i></i> <strong>c</strong> <em>d</em>", "*A B* **c** *d*"),
            ("<b> </b>x<i></i>", "x"),
        ]);
    }

    #[test]
    fn definition_lists() {
        let dl = "<dl><dt>Permissions</dt><dd><p>Need <code>s3:Get</code>.</p><p>More.</p></dd>\
                  <dt>Syntax</dt><dd><ul><li>a</li></ul></dd><dd>extra</dd></dl>";
        let want = "- **Permissions**: Need `s3:Get`.\n\n  More.\n- **Syntax**:\n\n  - a\n\n  extra";
        check(&[(dl, want), ("<dl><dd>d</dd><dt></dt></dl>", "- d")]);
    }

    #[test]
    fn escaping() {
        check(&[
            ("a [b] &lt;Key&gt; *c* `d` \\e ~f~", r"a \[b\] &lt;Key&gt; \*c\* \`d\` \\e \~f\~"),
            ("READ_ACP _1, x_ &amp; R&amp;D &amp;amp;", r"READ_ACP \_1, x\_ & R&amp;D &amp;amp;"),
            ("<p># h</p><p> - x</p><p>+ y</p><p>2023. z</p>", "\\# h\n\n\\- x\n\n\\+ y\n\n2023\\. z"),
            ("see https://e.com/a_b#c. Or (http://e.com)", "see <https://e.com/a_b#c>. Or (<http://e.com>)"),
        ]);
    }

    #[test]
    fn malformed_input() {
        check(&[
            ("<p>a <b>b <i>c</p> d", "a **b *c***\n\nd"),
            ("</b>x</p></ul>", "x"),
            ("a < b <3 <p", "a &lt; b &lt;3 &lt;p"),
            ("<foo bar='>'>text</foo><!-- hidden -->!", "text!"),
            ("&bogus; &#x41;&#66; &#xZZ; & &#1114112;", "&amp;bogus; AB &amp;#xZZ; & &amp;#1114112;"),
            ("<ul><li>a<li>b</ul>", "- a\n- b"),
            ("<p>a<p>b", "a\n\nb"),
            ("<P CLASS=\"x\">é &nbsp;ü</P>", "é ü"),
        ]);
    }

    #[test]
    fn model_samples() {
        let html = "<note> <p>This operation is not supported for directory buckets.</p> </note> \
            <p>The following operations are related to <code>GetBucketOwnershipControls</code>:</p> \
            <ul> <li> <p> <a>PutBucketOwnershipControls</a> </p> </li> <li> <p> \
            <a href=\"https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html\">ListBuckets\
            </a> </p> </li> </ul>";
        let want = "> **Note:** This operation is not supported for directory buckets.\n\n\
            The following operations are related to `GetBucketOwnershipControls`:\n\n\
            - PutBucketOwnershipControls\n\
            - [ListBuckets](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html)";
        let html2 = "<dl> <dt>HTTP Host header syntax</dt> <dd> <p> <b>Directory buckets </b> - The \
            syntax is <code> <i>Bucket-name</i>.s3express-<i>zone-id</i>.amazonaws.com</code>.</p> \
            </dd> </dl>";
        let want2 = "- **HTTP Host header syntax**: **Directory buckets** - The syntax is \
            `Bucket-name.s3express-zone-id.amazonaws.com`.";
        let html3 = "<p>See <a href=\"https://www.rfc-editor.org/rfc/rfc9110.html#name-range\">\
            https://www.rfc-editor.org/rfc/rfc9110.html#name-range</a>.</p> <p>Grant <code>READ</code>\
            , READ_ACP (such as _1, _2, …).</p> <p>Expects the * character.</p>";
        let want3 = "See <https://www.rfc-editor.org/rfc/rfc9110.html#name-range>.\n\n\
            Grant `READ`, READ_ACP (such as \\_1, \\_2, …).\n\nExpects the \\* character.";
        check(&[(html, want), (html2, want2), (html3, want3)]);
    }
}
