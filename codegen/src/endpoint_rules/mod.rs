//! Endpoint rules: `endpoint-rule-set-1.json` and `partitions.json` → a typed IR that
//! [`crate::emit`] compiles to a plain-Rust resolver.
//!
//! ```text
//! endpoint-rule-set-1.json, partitions.json ──model──▶ RuleSet, Partitions ──lower──▶ EndpointRules
//! ```
//!
//! The lowering type-checks the rule set the way the Smithy rules engine specifies it:
//! every reference resolves to a parameter or an assigned variable in scope, every
//! function gets arguments of its types, an optional value (a parameter without a
//! default, the result of `parseURL`, …) is used only after a condition proved it set,
//! and every template placeholder is a string. It also makes the decisions the emitter
//! should not: Rust names, which conditions bind a variable (only those whose variable
//! is used later), conditions that are always true (`isSet` of a value already proved
//! set) and the compiled form of each partition's `regionRegex`.

pub mod model;

mod lower;
mod partitions;

use std::path::Path;

use anyhow::Result;

/// The rule set and partitions of a service, lowered.
#[derive(Debug, Clone)]
pub struct EndpointRules {
    /// Parameters, in rule-set order.
    pub params: Vec<Param>,
    pub rules: Vec<Rule>,
    /// `partitions.json`, in file order.
    pub partitions: Vec<Partition>,
}

impl EndpointRules {
    /// Loads and lowers `endpoint-rule-set-1.json` and `partitions.json` from `dir`;
    /// `None` if the directory has no rule set.
    pub fn load_dir(dir: &Path) -> Result<Option<Self>> {
        let Some(rule_set) = model::RuleSet::load_dir(dir)? else {
            return Ok(None);
        };
        let partitions = model::Partitions::load_dir(dir)?;
        lower(&rule_set, &partitions).map(Some)
    }
}

/// Type-checks and lowers a rule set and its partitions.
pub fn lower(rule_set: &model::RuleSet, partitions: &model::Partitions) -> Result<EndpointRules> {
    let (params, rules) = lower::lower(rule_set)?;
    let partitions = partitions::lower(partitions)?;
    Ok(EndpointRules { params, rules, partitions })
}

#[derive(Debug, Clone)]
pub struct Param {
    /// The rule-set name (`UseFIPS`).
    pub name: String,
    /// The Rust field (`use_fips`), also the resolver's local variable.
    pub field: String,
    pub ty: ParamType,
    /// Documentation as Markdown.
    pub docs: String,
    pub built_in: Option<String>,
    pub required: bool,
    pub default: Option<Literal>,
    pub deprecated: Option<String>,
    /// Whether any rule reads it (S3's `Key`, `Prefix` and `CopySource` are unused).
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Bool,
    String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    Bool(bool),
    String(String),
}

/// A rule: all conditions must hold for the outcome to apply; otherwise resolution
/// goes on with the next rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub conditions: Vec<Condition>,
    pub outcome: Outcome,
}

impl Rule {
    /// Whether the rule can fail to match (so that the rules after it can run).
    pub fn can_fall_through(&self) -> bool {
        self.conditions.iter().any(|c| !matches!(c, Condition::Let { .. }))
    }
}

#[derive(Debug, Clone)]
pub enum Condition {
    /// A boolean that must be true.
    Test(Expr),
    /// An optional value that must be set; the value is bound to `bind` if a later
    /// condition or the outcome uses it. `isSet(Bucket)` is `Some(bucket) as bucket`.
    Some { value: Expr, bind: Option<String> },
    /// A value that is always there (`uriEncode`), bound to a local variable.
    Let { value: Expr, bind: String },
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Endpoint(Endpoint),
    /// The error message, a string expression.
    Error(Expr),
    /// Sub-rules; a tree is terminal: if none of them matches, resolution fails.
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    /// A string expression.
    pub url: Expr,
    pub headers: Vec<(String, Vec<Expr>)>,
    /// The `authSchemes` property, typed.
    pub auth_schemes: Vec<AuthScheme>,
    /// Every other property.
    pub properties: Vec<(String, Property)>,
}

#[derive(Debug, Clone)]
pub struct AuthScheme {
    pub name: Expr,
    pub signing_name: Option<Expr>,
    pub signing_region: Option<Expr>,
    pub signing_region_set: Option<Vec<Expr>>,
    pub disable_double_encoding: Option<bool>,
    /// Keys without a typed place.
    pub other: Vec<(String, Property)>,
}

/// A property value: a document whose strings may be templates.
#[derive(Debug, Clone)]
pub enum Property {
    String(Expr),
    Bool(bool),
    Array(Vec<Property>),
    Object(Vec<(String, Property)>),
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A parameter or assigned variable, by its Rust name.
    Local(String),
    Bool(bool),
    Int(usize),
    String(String),
    /// A template with several parts, concatenated (an owned string).
    Concat(Vec<Expr>),
    /// `isSet`.
    IsSet(Box<Expr>),
    Not(Box<Expr>),
    BoolEquals(Box<Expr>, Box<Expr>),
    StringEquals(Box<Expr>, Box<Expr>),
    /// `getAttr` of a named attribute: a field of a partition, an accessor method of a
    /// URL or an ARN.
    Attr { target: Box<Expr>, accessor: Accessor },
    /// `getAttr` of an array element (`resourceId[1]`): optional.
    Index(Box<Expr>, usize),
    /// A function of the runtime crate.
    Call(Function, Vec<Expr>),
}

/// How to read an attribute in Rust: `partition.dns_suffix`, `url.scheme()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accessor {
    pub name: &'static str,
    pub method: bool,
}

/// The rules-engine functions that are calls into `s3_runtime::endpoint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    /// The function's name in `s3_runtime::endpoint`.
    pub fn runtime_name(self) -> &'static str {
        match self {
            Function::Substring => "substring",
            Function::UriEncode => "uri_encode",
            Function::ParseUrl => "parse_url",
            Function::IsValidHostLabel => "is_valid_host_label",
            Function::Partition => "partition",
            Function::ParseArn => "parse_arn",
            Function::IsVirtualHostableS3Bucket => "is_virtual_hostable_s3_bucket",
        }
    }
}

/// The rules language's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Bool,
    String,
    Int,
    StringArray,
    /// `aws.partition`'s result.
    Partition,
    /// `parseURL`'s result.
    Url,
    /// `aws.parseArn`'s result.
    Arn,
    Option(Box<Type>),
}

impl Type {
    pub fn option(inner: Type) -> Type {
        Type::Option(Box::new(inner))
    }
    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Option(_))
    }
}

/// A partition of `partitions.json`.
#[derive(Debug, Clone)]
pub struct Partition {
    /// The partition id, which is also its `name` output.
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: Option<String>,
    /// Sorted.
    pub regions: Vec<String>,
    pub region_regex: Vec<RegexPiece>,
}

/// A piece of a compiled `regionRegex` (`s3_runtime::endpoint::RegexPiece`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexPiece {
    Literal(String),
    OneOf(Vec<String>),
    One(CharClass),
    OneOrMore(CharClass),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    Word,
    Digit,
}
