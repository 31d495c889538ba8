//! Paginators: a serde mirror of botocore's `paginators-1.json` (with the `merge`
//! section of `paginators-1.sdk-extras.json` applied, as botocore's loader does), and
//! its lowering to [`Paginator`]s whose JMESPath expressions are compiled against the
//! operation's output.
//!
//! [`expr`] holds the small JMESPath subset the generator understands, shared with the
//! waiters: expressions are parsed and type-checked here, at generation time, and the
//! emitters turn them into plain Rust field accesses; nothing evaluates JMESPath at run
//! time. Anything outside the subset fails generation with an error that names the
//! file, the paginator (or waiter) and the key.

use std::path::Path;

use anyhow::{bail, Context, Result};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::ir::{self, RustType, Service};
use crate::model::{merge_json, read_json};

// ---- the model ---------------------------------------------------------------------------

/// `paginators-1.json`, decoded.
#[derive(Debug, Clone)]
pub struct PaginatorsModel {
    /// The file it was read from, for error messages.
    pub file: String,
    /// One entry per paginated operation, in file order.
    pub pagination: IndexMap<String, PaginatorModel>,
}

/// One entry of `pagination`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginatorModel {
    pub input_token: OneOrMany,
    pub output_token: OneOrMany,
    pub more_results: Option<String>,
    pub limit_key: Option<String>,
    pub result_key: Option<OneOrMany>,
    /// From `paginators-1.sdk-extras.json`: keys `build_full_result` copies from the
    /// first page. Checked against the output, not otherwise used.
    #[serde(default)]
    pub non_aggregate_keys: Vec<String>,
}

/// A key that holds one string or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one.clone()],
            OneOrMany::Many(many) => many.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    pagination: IndexMap<String, Value>,
}

/// `*.sdk-extras.json`: botocore reads only `merge`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtras {
    #[allow(dead_code)]
    version: Option<Value>,
    merge: Option<Value>,
}

impl PaginatorsModel {
    /// Reads `paginators-1.json` from `dir`, merging `paginators-1.sdk-extras.json` if
    /// present; `None` if the directory has no paginators.
    pub fn load_dir(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join("paginators-1.json");
        if !path.exists() {
            return Ok(None);
        }
        let mut doc = read_json(&path)?;
        let extras_path = dir.join("paginators-1.sdk-extras.json");
        if extras_path.exists() {
            let extras: RawExtras = serde_json::from_value(read_json(&extras_path)?)
                .with_context(|| format!("{}: top level", extras_path.display()))?;
            if let Some(merge) = extras.merge {
                merge_json(&mut doc, &merge);
            }
        }
        Self::from_value(&path.display().to_string(), doc).map(Some)
    }

    /// Decodes a `paginators-1.json` document; `file` names it in error messages.
    pub fn from_value(file: &str, doc: Value) -> Result<Self> {
        let raw: RawFile = serde_json::from_value(doc).with_context(|| format!("{file}: top level"))?;
        let mut pagination = IndexMap::new();
        for (name, value) in raw.pagination {
            let p: PaginatorModel =
                serde_json::from_value(value).map_err(|e| anyhow::anyhow!("{file}: paginator `{name}`: {e}"))?;
            pagination.insert(name, p);
        }
        Ok(PaginatorsModel { file: file.to_owned(), pagination })
    }
}

// ---- the JMESPath subset ------------------------------------------------------------------

/// The JMESPath subset of paginators and waiters, parsed and type-checked against the
/// model: identifiers, sub-expressions `a.b`, indexes `a[0]` / `a[-1]`, flatten `a[]`,
/// list wildcard `a[*]` (not nested inside another projection), and `||`.
///
/// The semantics are JMESPath's: a missing value is null, projections drop nulls,
/// `a[]` merges one level of nested lists, `a || b` is `b` when `a` is null, empty or
/// false.
pub mod expr {
    use super::*;

    /// A parsed expression.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Ast {
        Chain(Vec<Segment>),
        Or(Box<Ast>, Box<Ast>),
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Segment {
        Field(String),
        Index(i64),
        /// `[]`
        Flatten,
        /// `[*]`
        Wildcard,
    }

    /// The type of a value, as far as expressions care.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ValueType {
        String,
        /// A string enum (compared by its `as_str()`).
        Enum,
        Bool,
        /// An integer of this many bits (32 or 64).
        Integer(u8),
        Float,
        List(Box<ValueType>),
        /// A structure, by model shape name.
        Structure(String),
        /// Anything else (timestamps, blobs, maps, unions): it can be reached but not
        /// used.
        Other(String),
    }

    impl ValueType {
        pub fn describe(&self) -> String {
            match self {
                ValueType::String => "a string".into(),
                ValueType::Enum => "an enum".into(),
                ValueType::Bool => "a boolean".into(),
                ValueType::Integer(_) => "an integer".into(),
                ValueType::Float => "a float".into(),
                ValueType::List(item) => format!("a list of {}", item.describe().trim_start_matches("a ").trim_start_matches("an ")),
                ValueType::Structure(name) => format!("the structure `{name}`"),
                ValueType::Other(what) => what.clone(),
            }
        }
        /// Values are `Copy` in Rust (read by value, not by reference).
        pub fn is_copy(&self) -> bool {
            matches!(self, ValueType::Bool | ValueType::Integer(_) | ValueType::Float)
        }
    }

    /// One step of a compiled path, from the operation's output.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Step {
        /// A structure member: its model name, Rust field, whether the field is boxed,
        /// and its type.
        Field { name: String, field: String, boxed: bool, ty: ValueType, rust_type: RustType },
        /// An index into a list (negative counts from the end).
        Index(i64),
        /// Start a projection over the items of a (single) list.
        Project,
        /// Inside a projection whose items are lists: splice them (`[]`).
        FlattenItems,
    }

    /// A compiled expression and its result: one value (`many == false`, possibly
    /// null) or a projection (`many == true`, a list of `ty` without nulls).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Compiled {
        pub source: String,
        pub node: Node,
        pub ty: ValueType,
        pub many: bool,
    }

    #[derive(Debug, Clone, PartialEq)]
    pub enum Node {
        Path(Vec<Step>),
        Or(Box<Compiled>, Box<Compiled>),
    }

    const SUPPORTED: &str = "the generator supports identifiers, `a.b`, `a[0]`, `a[-1]`, `a[]`, `a[*]` and `||`";

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Token {
        Ident(String),
        Number(i64),
        Dot,
        LBracket,
        RBracket,
        Star,
        OrOr,
    }

    fn lex(text: &str) -> Result<Vec<(usize, Token)>, String> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            let start = i;
            match c {
                b' ' | b'\t' | b'\n' | b'\r' => {
                    i += 1;
                    continue;
                }
                b'.' => out.push((start, Token::Dot)),
                b'[' => out.push((start, Token::LBracket)),
                b']' => out.push((start, Token::RBracket)),
                b'*' => out.push((start, Token::Star)),
                b'|' if bytes.get(i + 1) == Some(&b'|') => {
                    i += 1;
                    out.push((start, Token::OrOr));
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    while i + 1 < bytes.len() && (bytes[i + 1].is_ascii_alphanumeric() || bytes[i + 1] == b'_') {
                        i += 1;
                    }
                    out.push((start, Token::Ident(text[start..=i].to_owned())));
                }
                b'-' | b'0'..=b'9' => {
                    while i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() {
                        i += 1;
                    }
                    let n = text[start..=i].parse().map_err(|_| format!("`{}` at offset {start} is not a number", &text[start..=i]))?;
                    out.push((start, Token::Number(n)));
                }
                _ => {
                    let rest: String = text[start..].chars().take(12).collect();
                    return Err(format!("unsupported JMESPath syntax at offset {start} (`{rest}`); {SUPPORTED}"));
                }
            }
            i += 1;
        }
        Ok(out)
    }

    /// Parses an expression of the subset.
    pub fn parse(text: &str) -> Result<Ast, String> {
        let tokens = lex(text)?;
        let mut pos = 0;
        let ast = parse_or(text, &tokens, &mut pos)?;
        if let Some((offset, _)) = tokens.get(pos) {
            return Err(format!("unsupported JMESPath syntax at offset {offset} (`{}`); {SUPPORTED}", &text[*offset..]));
        }
        Ok(ast)
    }

    fn parse_or(text: &str, tokens: &[(usize, Token)], pos: &mut usize) -> Result<Ast, String> {
        let mut lhs = parse_chain(text, tokens, pos)?;
        while matches!(tokens.get(*pos), Some((_, Token::OrOr))) {
            *pos += 1;
            let rhs = parse_chain(text, tokens, pos)?;
            lhs = Ast::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn parse_chain(text: &str, tokens: &[(usize, Token)], pos: &mut usize) -> Result<Ast, String> {
        let unexpected = |pos: usize| match tokens.get(pos) {
            Some((offset, _)) => format!("unsupported JMESPath syntax at offset {offset} (`{}`); {SUPPORTED}", &text[*offset..]),
            None => format!("the expression ends too early; {SUPPORTED}"),
        };
        let mut segments = match tokens.get(*pos) {
            Some((_, Token::Ident(name))) => vec![Segment::Field(name.clone())],
            _ => return Err(unexpected(*pos)),
        };
        *pos += 1;
        loop {
            match tokens.get(*pos) {
                Some((_, Token::Dot)) => match tokens.get(*pos + 1) {
                    Some((_, Token::Ident(name))) => {
                        segments.push(Segment::Field(name.clone()));
                        *pos += 2;
                    }
                    _ => return Err(unexpected(*pos + 1)),
                },
                Some((_, Token::LBracket)) => match (tokens.get(*pos + 1), tokens.get(*pos + 2)) {
                    (Some((_, Token::RBracket)), _) => {
                        segments.push(Segment::Flatten);
                        *pos += 2;
                    }
                    (Some((_, Token::Star)), Some((_, Token::RBracket))) => {
                        segments.push(Segment::Wildcard);
                        *pos += 3;
                    }
                    (Some((_, Token::Number(n))), Some((_, Token::RBracket))) => {
                        segments.push(Segment::Index(*n));
                        *pos += 3;
                    }
                    _ => return Err(unexpected(*pos)),
                },
                _ => return Ok(Ast::Chain(segments)),
            }
        }
    }

    /// The type of a member's values.
    pub fn member_type(service: &Service, member: &ir::Member) -> ValueType {
        type_of(service, &member.target, &member.ty)
    }

    fn type_of(service: &Service, target: &str, rust: &RustType) -> ValueType {
        match rust {
            RustType::String => ValueType::String,
            RustType::Bool => ValueType::Bool,
            RustType::I32 => ValueType::Integer(32),
            RustType::I64 => ValueType::Integer(64),
            RustType::F32 | RustType::F64 => ValueType::Float,
            RustType::DateTime => ValueType::Other("a timestamp".into()),
            RustType::Blob | RustType::ByteStream => ValueType::Other("a blob".into()),
            RustType::EventStream(_) => ValueType::Other("an event stream".into()),
            RustType::Map(..) => ValueType::Other("a map".into()),
            RustType::Named(_) => match &service.shape(target).kind {
                ir::ShapeKind::Enum(_) => ValueType::Enum,
                ir::ShapeKind::Structure(_) => ValueType::Structure(target.to_owned()),
                _ => ValueType::Other("a union".into()),
            },
            RustType::List(item) => match &service.shape(target).kind {
                ir::ShapeKind::List(m) => ValueType::List(Box::new(type_of(service, &m.target, item))),
                _ => ValueType::Other("a list".into()),
            },
        }
    }

    /// Parses `text` and checks it against `root` (an operation's output).
    pub fn compile(text: &str, service: &Service, root: &ir::Structure) -> Result<Compiled, String> {
        let ast = parse(text)?;
        compile_ast(text, &ast, service, root)
    }

    fn compile_ast(text: &str, ast: &Ast, service: &Service, root: &ir::Structure) -> Result<Compiled, String> {
        match ast {
            Ast::Or(lhs, rhs) => {
                let lhs = compile_ast(text, lhs, service, root)?;
                let rhs = compile_ast(text, rhs, service, root)?;
                if lhs.many || rhs.many {
                    return Err(format!("`{text}`: `||` between projections is not supported; {SUPPORTED}"));
                }
                if lhs.ty != rhs.ty {
                    return Err(format!(
                        "`{text}`: the two sides of `||` differ: {} and {}",
                        lhs.ty.describe(),
                        rhs.ty.describe()
                    ));
                }
                if matches!(lhs.ty, ValueType::Structure(_) | ValueType::Other(_)) {
                    return Err(format!("`{text}`: `||` on {} is not supported", lhs.ty.describe()));
                }
                Ok(Compiled { source: text.to_owned(), ty: lhs.ty.clone(), many: false, node: Node::Or(Box::new(lhs), Box::new(rhs)) })
            }
            Ast::Chain(segments) => {
                let mut steps = Vec::new();
                let mut many = false;
                // `None`: the root structure.
                let mut cur: Option<ValueType> = None;
                for segment in segments {
                    match segment {
                        Segment::Field(name) => {
                            let (owner, members) = match &cur {
                                None => (root.name.as_str(), &root.members),
                                Some(ValueType::Structure(shape)) => match &service.shape(shape).kind {
                                    ir::ShapeKind::Structure(s) => (shape.as_str(), &s.members),
                                    _ => return Err(format!("`{text}`: `{shape}` is not a structure")),
                                },
                                Some(other) => {
                                    return Err(format!("`{text}`: `{name}` is looked up on {}, not a structure", other.describe()))
                                }
                            };
                            let Some(member) = members.iter().find(|m| &m.name == name) else {
                                let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
                                return Err(format!(
                                    "`{text}`: `{owner}` has no member `{name}` (members: {})",
                                    names.join(", ")
                                ));
                            };
                            let ty = member_type(service, member);
                            steps.push(Step::Field {
                                name: name.clone(),
                                field: member.field.clone(),
                                boxed: member.boxed,
                                ty: ty.clone(),
                                rust_type: member.ty.clone(),
                            });
                            cur = Some(ty);
                        }
                        Segment::Index(i) => match &cur {
                            Some(ValueType::List(item)) => {
                                steps.push(Step::Index(*i));
                                cur = Some((**item).clone());
                            }
                            other => return Err(format!("`{text}`: `[{i}]` indexes {}, not a list", describe(other))),
                        },
                        Segment::Flatten => match (&cur, many) {
                            (Some(ValueType::List(item)), false) => {
                                steps.push(Step::Project);
                                many = true;
                                cur = Some(match &**item {
                                    ValueType::List(inner) => {
                                        steps.push(Step::FlattenItems);
                                        (**inner).clone()
                                    }
                                    item => item.clone(),
                                });
                            }
                            (Some(ValueType::List(item)), true) => {
                                steps.push(Step::FlattenItems);
                                cur = Some((**item).clone());
                            }
                            (_, true) => {} // flattening non-lists keeps them
                            (other, false) => return Err(format!("`{text}`: `[]` flattens {}, not a list", describe(other))),
                        },
                        Segment::Wildcard => match (&cur, many) {
                            (Some(ValueType::List(item)), false) => {
                                steps.push(Step::Project);
                                many = true;
                                cur = Some((**item).clone());
                            }
                            (_, true) => {
                                return Err(format!(
                                    "`{text}`: `[*]` inside a projection gives nested lists, which is not supported (use `[]`)"
                                ))
                            }
                            (other, false) => return Err(format!("`{text}`: `[*]` projects {}, not a list", describe(other))),
                        },
                    }
                }
                let ty = cur.expect("a chain starts with a field");
                Ok(Compiled { source: text.to_owned(), node: Node::Path(steps), ty, many })
            }
        }
    }

    fn describe(ty: &Option<ValueType>) -> String {
        match ty {
            None => "the output structure".into(),
            Some(ty) => ty.describe(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn parses_the_subset() {
            assert_eq!(
                parse("NextMarker || Contents[-1].Key").unwrap(),
                Ast::Or(
                    Box::new(Ast::Chain(vec![Segment::Field("NextMarker".into())])),
                    Box::new(Ast::Chain(vec![
                        Segment::Field("Contents".into()),
                        Segment::Index(-1),
                        Segment::Field("Key".into())
                    ]))
                )
            );
            assert_eq!(
                parse("a[].b[*].c").unwrap(),
                Ast::Chain(vec![
                    Segment::Field("a".into()),
                    Segment::Flatten,
                    Segment::Field("b".into()),
                    Segment::Wildcard,
                    Segment::Field("c".into())
                ])
            );
        }

        #[test]
        fn refuses_everything_else() {
            for bad in [
                "length(Items) > `0`",
                "Items[?State == 'x']",
                "a | b",
                "a.*",
                "a.[b, c]",
                "a[1:2]",
                "\"quoted\"",
                "a ||",
                "a.",
                "@",
            ] {
                let err = parse(bad).unwrap_err();
                assert!(err.contains("supports identifiers"), "{bad}: {err}");
            }
        }
    }
}

// ---- the IR -------------------------------------------------------------------------------

/// A paginator, checked against its operation and ready to emit.
#[derive(Debug, Clone)]
pub struct Paginator {
    /// The operation's model name (`ListObjectsV2`).
    pub operation: String,
    /// `list_objects_v2`.
    pub snake: String,
    /// The input members the next token goes to, in the model's order.
    pub input_tokens: Vec<InputToken>,
    /// One expression per input token: where its value is in a page.
    pub output_tokens: Vec<expr::Compiled>,
    /// Whether there are more pages.
    pub more_results: Option<expr::Compiled>,
    /// The input member that sets the page size.
    pub limit_key: Option<LimitKey>,
    /// The lists of items; the first one is what `max_items` counts.
    pub result_keys: Vec<ResultKey>,
    pub non_aggregate_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputToken {
    pub name: String,
    pub field: String,
    pub kind: TokenKind,
}

/// The type of a token member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    String,
    I32,
    I64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitKey {
    pub name: String,
    pub field: String,
    pub kind: TokenKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResultKey {
    /// The model's expression (`Contents`).
    pub expression: String,
    /// The fields leading to the list: `expr::Step::Field` only.
    pub path: Vec<expr::Step>,
    /// The Rust type of an item.
    pub item: RustType,
    /// The item stream's method name (`contents`).
    pub method: String,
}

/// Names the generated paginator uses for its own methods.
const PAGINATOR_METHODS: &[&str] = &["send", "page_size", "max_items", "starting_token", "clone", "fmt"];

/// Lowers every paginator of `model` against `service`.
pub fn lower(model: &PaginatorsModel, service: &Service) -> Result<Vec<Paginator>> {
    let mut out = Vec::new();
    for (name, p) in &model.pagination {
        out.push(lower_one(name, p, service).with_context(|| format!("{}: paginator `{name}`", model.file))?);
    }
    out.sort_by(|a, b| a.operation.cmp(&b.operation));
    Ok(out)
}

fn lower_one(name: &str, p: &PaginatorModel, service: &Service) -> Result<Paginator> {
    let Some(op) = service.operations.iter().find(|o| o.name == name) else {
        bail!("there is no operation `{name}` in the service model");
    };
    if let Some(m) = op.input.members.iter().find(|m| !crate::ir::is_plain_data(&m.ty)) {
        bail!("the input member `{}` is a stream, so the request cannot be repeated for each page", m.name);
    }
    let token_kind = |key: &str, member_name: &str| -> Result<(String, TokenKind)> {
        let Some(member) = op.input.member(member_name) else {
            bail!("key `{key}`: the input `{}` has no member `{member_name}`", op.input.name);
        };
        let kind = match member.ty {
            RustType::String => TokenKind::String,
            RustType::I32 => TokenKind::I32,
            RustType::I64 => TokenKind::I64,
            ref other => bail!("key `{key}`: the input member `{member_name}` is {other:?}; a string or an integer is needed"),
        };
        Ok((member.field.clone(), kind))
    };
    let inputs = p.input_token.to_vec();
    let outputs = p.output_token.to_vec();
    if inputs.len() != outputs.len() {
        bail!("key `input_token` has {} entries but key `output_token` has {}", inputs.len(), outputs.len());
    }
    let mut input_tokens = Vec::new();
    let mut output_tokens = Vec::new();
    for (input, output) in inputs.iter().zip(&outputs) {
        let (field, kind) = token_kind("input_token", input)?;
        let compiled = expr::compile(output, service, &op.output).map_err(|e| anyhow::anyhow!("key `output_token`: {e}"))?;
        if compiled.many {
            bail!("key `output_token`: `{output}` is a projection (a list); a token is one value");
        }
        let fits = matches!(
            (kind, &compiled.ty),
            (TokenKind::String, expr::ValueType::String) | (TokenKind::I32 | TokenKind::I64, expr::ValueType::Integer(_))
        );
        if !fits {
            bail!(
                "key `output_token`: `{output}` is {}, but the input token `{input}` takes {}",
                compiled.ty.describe(),
                if kind == TokenKind::String { "a string" } else { "an integer" }
            );
        }
        input_tokens.push(InputToken { name: input.clone(), field, kind });
        output_tokens.push(compiled);
    }
    let more_results = match &p.more_results {
        None => None,
        Some(text) => {
            let c = expr::compile(text, service, &op.output).map_err(|e| anyhow::anyhow!("key `more_results`: {e}"))?;
            if c.many || matches!(c.ty, expr::ValueType::Structure(_) | expr::ValueType::Other(_) | expr::ValueType::Float) {
                bail!("key `more_results`: `{text}` is {}; a boolean, string, integer or list is needed", c.ty.describe());
            }
            Some(c)
        }
    };
    let limit_key = match &p.limit_key {
        None => None,
        Some(name) => {
            let (field, kind) = token_kind("limit_key", name)?;
            Some(LimitKey { name: name.clone(), field, kind })
        }
    };
    let Some(result_key) = &p.result_key else {
        bail!("key `result_key` is missing: botocore needs one to count items");
    };
    let mut result_keys: Vec<ResultKey> = Vec::new();
    for text in result_key.to_vec() {
        let c = expr::compile(&text, service, &op.output).map_err(|e| anyhow::anyhow!("key `result_key`: {e}"))?;
        let expr::Node::Path(path) = &c.node else {
            bail!("key `result_key`: `{text}` must be a path of members (`a` or `a.b`)");
        };
        if c.many || path.iter().any(|s| !matches!(s, expr::Step::Field { .. })) {
            bail!("key `result_key`: `{text}` must be a path of members (`a` or `a.b`), as botocore sets it back");
        }
        let Some(expr::Step::Field { rust_type: RustType::List(item), field, .. }) = path.last() else {
            bail!("key `result_key`: `{text}` is {}; a list is needed", c.ty.describe());
        };
        let method = field.trim_start_matches("r#").to_owned();
        if PAGINATOR_METHODS.contains(&method.as_str()) || result_keys.iter().any(|r| r.method == method) {
            bail!("key `result_key`: the item stream of `{text}` would be named `{method}`, which is taken");
        }
        result_keys.push(ResultKey { expression: text.clone(), path: path.clone(), item: (**item).clone(), method });
    }
    for text in &p.non_aggregate_keys {
        expr::compile(text, service, &op.output).map_err(|e| anyhow::anyhow!("key `non_aggregate_keys`: {e}"))?;
    }
    Ok(Paginator {
        operation: op.name.clone(),
        snake: op.snake.clone(),
        input_tokens,
        output_tokens,
        more_results,
        limit_key,
        result_keys,
        non_aggregate_keys: p.non_aggregate_keys.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceModel;
    use serde_json::json;

    fn service() -> Service {
        let doc = json!({
            "metadata": {"protocol": "rest-xml"},
            "operations": {"List": {"name": "List", "http": {"method": "GET", "requestUri": "/"},
                "input": {"shape": "In"}, "output": {"shape": "Out"}}},
            "shapes": {
                "In": {"type": "structure", "members": {
                    "Marker": {"shape": "S", "location": "querystring", "locationName": "marker"},
                    "Max": {"shape": "I", "location": "querystring", "locationName": "max"}}},
                "Out": {"type": "structure", "members": {
                    "Next": {"shape": "S"}, "Count": {"shape": "I"}, "Truncated": {"shape": "B"},
                    "Items": {"shape": "Items"}, "When": {"shape": "T"}}},
                "Items": {"type": "list", "member": {"shape": "Item"}},
                "Item": {"type": "structure", "members": {"Key": {"shape": "S"}}},
                "S": {"type": "string"}, "I": {"type": "integer"}, "B": {"type": "boolean"}, "T": {"type": "timestamp"}
            }
        });
        crate::ir::lower(&ServiceModel::from_value("svc.json", doc).unwrap()).unwrap()
    }

    fn lower_doc(paginator: Value) -> Result<Vec<Paginator>> {
        let model = PaginatorsModel::from_value("paginators-1.json", json!({"pagination": {"List": paginator}}))?;
        lower(&model, &service())
    }

    fn err(paginator: Value) -> String {
        format!("{:#}", lower_doc(paginator).unwrap_err())
    }

    #[test]
    fn lowers_a_paginator() {
        let p = lower_doc(json!({"input_token": "Marker", "output_token": "Next || Items[-1].Key",
            "more_results": "Truncated", "limit_key": "Max", "result_key": "Items"}))
        .unwrap();
        assert_eq!(p[0].input_tokens, [InputToken { name: "Marker".into(), field: "marker".into(), kind: TokenKind::String }]);
        assert_eq!(p[0].result_keys[0].method, "items");
        assert_eq!(p[0].limit_key.as_ref().unwrap().kind, TokenKind::I32);
    }

    #[test]
    fn unknown_keys_name_file_paginator_and_key() {
        let e = err(json!({"input_token": "Marker", "output_token": "Next", "result_key": "Items", "surprise": 1}));
        assert!(e.contains("paginators-1.json: paginator `List`") && e.contains("surprise"), "{e}");
    }

    #[test]
    fn unsupported_expressions_name_the_paginator() {
        let e = err(json!({"input_token": "Marker", "output_token": "length(Items)", "result_key": "Items"}));
        assert!(e.contains("paginator `List`") && e.contains("key `output_token`") && e.contains("offset 6"), "{e}");
        let e = err(json!({"input_token": "Marker", "output_token": "Nope", "result_key": "Items"}));
        assert!(e.contains("`Out` has no member `Nope`"), "{e}");
        let e = err(json!({"input_token": "Marker", "output_token": "Count", "result_key": "Items"}));
        assert!(e.contains("is an integer, but the input token `Marker` takes a string"), "{e}");
        let e = err(json!({"input_token": "Marker", "output_token": "Items[].Key", "result_key": "Items"}));
        assert!(e.contains("projection"), "{e}");
        let e = err(json!({"input_token": "Marker", "output_token": "Next || Count", "result_key": "Items"}));
        assert!(e.contains("the two sides of `||` differ"), "{e}");
        let e = err(json!({"input_token": "Marker", "output_token": "Next", "result_key": "Next"}));
        assert!(e.contains("key `result_key`") && e.contains("a list is needed"), "{e}");
        let e = err(json!({"input_token": "Marker", "output_token": "Next", "result_key": "Items[0]"}));
        assert!(e.contains("a path of members"), "{e}");
        let e = err(json!({"input_token": ["Marker", "Max"], "output_token": "Next", "result_key": "Items"}));
        assert!(e.contains("2 entries"), "{e}");
        let e = err(json!({"input_token": "Nope", "output_token": "Next", "result_key": "Items"}));
        assert!(e.contains("key `input_token`: the input `In` has no member `Nope`"), "{e}");
        let e = err(json!({"input_token": "Marker", "output_token": "Next", "more_results": "When", "result_key": "Items"}));
        assert!(e.contains("key `more_results`") && e.contains("timestamp"), "{e}");
    }

    #[test]
    fn unknown_operation() {
        let model = PaginatorsModel::from_value(
            "paginators-1.json",
            json!({"pagination": {"Missing": {"input_token": "A", "output_token": "B", "result_key": "C"}}}),
        )
        .unwrap();
        let e = format!("{:#}", lower(&model, &service()).unwrap_err());
        assert!(e.contains("paginator `Missing`: there is no operation `Missing`"), "{e}");
    }

    #[test]
    fn the_pinned_s3_paginators_lower() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
        let service = crate::ir::lower(&ServiceModel::load_dir(&dir).unwrap()).unwrap();
        let model = PaginatorsModel::load_dir(&dir).unwrap().unwrap();
        let paginators = lower(&model, &service).unwrap();
        assert_eq!(paginators.len(), 8);
        let list_objects = paginators.iter().find(|p| p.operation == "ListObjects").unwrap();
        assert_eq!(list_objects.non_aggregate_keys, ["RequestCharged", "Prefix"], "sdk-extras merged");
        let parts = paginators.iter().find(|p| p.operation == "ListParts").unwrap();
        assert_eq!(parts.input_tokens[0].kind, TokenKind::I32);
    }
}
