//! A faithful serde mirror of `endpoint-rule-set-1.json` (the Smithy rules engine's
//! `endpointRuleSet`) and of botocore's `partitions.json`.
//!
//! As in [`crate::model`], every object denies unknown keys and is decoded on its own,
//! so an error names the file and where in it: `endpoint-rule-set-1.json: rules[2].rules[0]:
//! unknown field `surprise``. Rules, conditions and expressions are decoded by hand from
//! the JSON value, since a rule's keys depend on its `type` and an expression's on its
//! shape (a string, a boolean, an integer, an array, `{"ref"}` or `{"fn", "argv"}`).

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::model::read_json;

/// `endpoint-rule-set-1.json`, decoded.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The file it was read from, for error messages.
    pub file: String,
    pub version: String,
    pub service_id: Option<String>,
    pub parameters: IndexMap<String, Parameter>,
    pub rules: Vec<Rule>,
}

/// A parameter of the rule set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Parameter {
    /// `string`, `boolean` or `stringArray`.
    #[serde(rename = "type")]
    pub ty: String,
    pub built_in: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub default: Option<Value>,
    pub documentation: Option<String>,
    pub deprecated: Option<Deprecated>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecated {
    pub message: Option<String>,
    pub since: Option<String>,
}

/// A rule: conditions and what to do when they all hold.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Where the rule is (`rules[2].rules[0]`), for error messages.
    pub path: String,
    pub documentation: Option<String>,
    pub conditions: Vec<Condition>,
    pub kind: RuleKind,
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    Endpoint(Endpoint),
    /// The error message (a string, usually a template).
    Error(Expr),
    Tree(Vec<Rule>),
}

/// An endpoint rule's `endpoint`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: Expr,
    /// Arbitrary documents, whose strings may be templates.
    pub properties: IndexMap<String, Value>,
    pub headers: IndexMap<String, Vec<Expr>>,
}

/// A condition: a function call, optionally assigning its result.
#[derive(Debug, Clone)]
pub struct Condition {
    pub call: FnCall,
    pub assign: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FnCall {
    /// `isSet`, `aws.partition`, …
    pub name: String,
    pub argv: Vec<Expr>,
}

/// An expression: a literal, a reference or a function call. Strings may be templates
/// (`"https://{Bucket}.s3.{Region}"`); the lowering decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Ref(String),
    Fn(FnCall),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    version: String,
    #[serde(rename = "serviceId")]
    service_id: Option<String>,
    parameters: IndexMap<String, Value>,
    rules: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(rename = "type")]
    ty: String,
    conditions: Vec<Value>,
    documentation: Option<String>,
    endpoint: Option<RawEndpoint>,
    error: Option<Value>,
    rules: Option<Vec<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoint {
    url: Value,
    #[serde(default)]
    properties: IndexMap<String, Value>,
    #[serde(default)]
    headers: IndexMap<String, Vec<Value>>,
}

impl RuleSet {
    /// Reads `endpoint-rule-set-1.json` from `dir`, if it is there.
    pub fn load_dir(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join("endpoint-rule-set-1.json");
        if !path.exists() {
            return Ok(None);
        }
        Self::from_value(&path.display().to_string(), read_json(&path)?).map(Some)
    }

    /// Decodes a rule set document; `file` names it in error messages.
    pub fn from_value(file: &str, doc: Value) -> Result<Self> {
        let raw: RawRuleSet = decode(doc, || format!("{file}: top level"))?;
        let mut parameters = IndexMap::new();
        for (name, value) in raw.parameters {
            let param = decode(value, || format!("{file}: parameters.{name}"))?;
            parameters.insert(name, param);
        }
        let rules = decode_rules(file, "rules", raw.rules)?;
        Ok(RuleSet { file: file.to_owned(), version: raw.version, service_id: raw.service_id, parameters, rules })
    }
}

fn decode_rules(file: &str, path: &str, values: Vec<Value>) -> Result<Vec<Rule>> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| decode_rule(file, &format!("{path}[{i}]"), value))
        .collect()
}

fn decode_rule(file: &str, path: &str, value: Value) -> Result<Rule> {
    let raw: RawRule = decode(value, || format!("{file}: {path}"))?;
    let at = |key: &str| format!("{file}: {path}.{key}");
    let mut conditions = Vec::new();
    for (i, condition) in raw.conditions.iter().enumerate() {
        let where_ = at(&format!("conditions[{i}]"));
        let (call, assign) = fn_call(condition, true).map_err(|e| anyhow!("{where_}: {e:#}"))?;
        conditions.push(Condition { call, assign });
    }
    let unexpected = |key: &str, present: bool| -> Result<()> {
        if present {
            bail!("{file}: {path}: a `{}` rule cannot have key `{key}`", raw.ty);
        }
        Ok(())
    };
    let kind = match raw.ty.as_str() {
        "endpoint" => {
            unexpected("error", raw.error.is_some())?;
            unexpected("rules", raw.rules.is_some())?;
            let endpoint =
                raw.endpoint.ok_or_else(|| anyhow!("{file}: {path}: an `endpoint` rule needs key `endpoint`"))?;
            let url = expr(&endpoint.url).map_err(|e| anyhow!("{}: {e:#}", at("endpoint.url")))?;
            let mut headers = IndexMap::new();
            for (name, values) in &endpoint.headers {
                let values = values
                    .iter()
                    .map(expr)
                    .collect::<Result<Vec<_>>>()
                    .map_err(|e| anyhow!("{}: {e:#}", at(&format!("endpoint.headers.{name}"))))?;
                headers.insert(name.clone(), values);
            }
            RuleKind::Endpoint(Endpoint { url, properties: endpoint.properties, headers })
        }
        "error" => {
            unexpected("endpoint", raw.endpoint.is_some())?;
            unexpected("rules", raw.rules.is_some())?;
            let error = raw.error.ok_or_else(|| anyhow!("{file}: {path}: an `error` rule needs key `error`"))?;
            RuleKind::Error(expr(&error).map_err(|e| anyhow!("{}: {e:#}", at("error")))?)
        }
        "tree" => {
            unexpected("endpoint", raw.endpoint.is_some())?;
            unexpected("error", raw.error.is_some())?;
            let rules = raw.rules.ok_or_else(|| anyhow!("{file}: {path}: a `tree` rule needs key `rules`"))?;
            if rules.is_empty() {
                bail!("{file}: {path}: a `tree` rule needs at least one rule");
            }
            RuleKind::Tree(decode_rules(file, &format!("{path}.rules"), rules)?)
        }
        other => bail!("{file}: {path}: key `type` has unknown value `{other}`"),
    };
    Ok(Rule { path: path.to_owned(), documentation: raw.documentation, conditions, kind })
}

/// An expression from its JSON form.
fn expr(value: &Value) -> Result<Expr> {
    Ok(match value {
        Value::String(s) => Expr::String(s.clone()),
        Value::Bool(b) => Expr::Bool(*b),
        Value::Number(n) => Expr::Int(n.as_i64().ok_or_else(|| anyhow!("`{n}` is not an integer"))?),
        Value::Array(items) => Expr::Array(items.iter().map(expr).collect::<Result<_>>()?),
        Value::Object(object) if object.contains_key("ref") => {
            if let Some(key) = object.keys().find(|k| *k != "ref") {
                bail!("unknown key `{key}` in a reference");
            }
            match &object["ref"] {
                Value::String(name) => Expr::Ref(name.clone()),
                other => bail!("key `ref` must be a string, not `{other}`"),
            }
        }
        Value::Object(object) if object.contains_key("fn") => Expr::Fn(fn_call(value, false)?.0),
        Value::Object(_) => bail!("an object must be a reference (`ref`) or a function (`fn`, `argv`)"),
        Value::Null => bail!("`null` is not an expression"),
    })
}

/// `{"fn": name, "argv": [...]}`, plus `assign` in conditions.
fn fn_call(value: &Value, condition: bool) -> Result<(FnCall, Option<String>)> {
    let Value::Object(object) = value else {
        bail!("a function must be an object with keys `fn` and `argv`");
    };
    let allowed: &[&str] = if condition { &["fn", "argv", "assign", "documentation"] } else { &["fn", "argv"] };
    if let Some(key) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        bail!("unknown key `{key}` in a function");
    }
    let Some(Value::String(name)) = object.get("fn") else {
        bail!("key `fn` must be a function name");
    };
    let Some(Value::Array(argv)) = object.get("argv") else {
        bail!("function `{name}`: key `argv` must be an array");
    };
    let argv = argv.iter().map(expr).collect::<Result<_>>().with_context(|| format!("function `{name}`"))?;
    let assign = match object.get("assign") {
        None => None,
        Some(Value::String(var)) => Some(var.clone()),
        Some(other) => bail!("key `assign` must be a string, not `{other}`"),
    };
    Ok((FnCall { name: name.clone(), argv }, assign))
}

/// `partitions.json`, decoded.
#[derive(Debug, Clone)]
pub struct Partitions {
    pub file: String,
    pub version: String,
    pub partitions: Vec<Partition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Partition {
    pub id: String,
    pub outputs: PartitionOutputs,
    pub region_regex: String,
    pub regions: IndexMap<String, Region>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PartitionOutputs {
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    #[serde(rename = "supportsFIPS")]
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: Option<String>,
}

/// A region listed by name. Only a description: per-region overrides of the outputs are
/// not part of the file today, and would be refused rather than silently ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartitions {
    partitions: Vec<Value>,
    version: String,
}

impl Partitions {
    /// Reads `partitions.json` from `dir`.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let path = dir.join("partitions.json");
        Self::from_value(&path.display().to_string(), read_json(&path)?)
    }

    /// Decodes a partitions document; `file` names it in error messages.
    pub fn from_value(file: &str, doc: Value) -> Result<Self> {
        let raw: RawPartitions = decode(doc, || format!("{file}: top level"))?;
        let mut partitions = Vec::new();
        for (i, value) in raw.partitions.into_iter().enumerate() {
            let id = value.get("id").and_then(Value::as_str).map(str::to_owned);
            let partition: Partition = decode(value, || match &id {
                Some(id) => format!("{file}: partition `{id}`"),
                None => format!("{file}: partitions[{i}]"),
            })?;
            partitions.push(partition);
        }
        Ok(Partitions { file: file.to_owned(), version: raw.version, partitions })
    }
}

fn decode<T: DeserializeOwned>(value: Value, what: impl Fn() -> String) -> Result<T> {
    serde_json::from_value(value).map_err(|err| anyhow!("{}: {err}", what()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule_set(rules: Value) -> Value {
        json!({"version": "1.0", "parameters": {"Region": {"type": "string", "documentation": "d"}}, "rules": rules})
    }

    #[test]
    fn unknown_rule_key_names_file_path_and_key() {
        let doc = rule_set(json!([{"type": "tree", "conditions": [], "rules": [
            {"type": "error", "conditions": [], "error": "e", "surprise": 1}
        ]}]));
        let err = RuleSet::from_value("rules.json", doc).unwrap_err().to_string();
        assert!(err.contains("rules.json: rules[0].rules[0]") && err.contains("surprise"), "{err}");
    }

    #[test]
    fn unknown_parameter_key() {
        let doc = json!({"version": "1.0", "parameters": {"Region": {"type": "string", "sneaky": true}}, "rules": []});
        let err = RuleSet::from_value("rules.json", doc).unwrap_err().to_string();
        assert!(err.contains("parameters.Region") && err.contains("sneaky"), "{err}");
    }

    #[test]
    fn bad_condition_and_expression_keys() {
        let doc = rule_set(json!([{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region", "x": 1}]}], "error": "e"}]));
        let err = RuleSet::from_value("rules.json", doc).unwrap_err().to_string();
        assert!(err.contains("rules[0].conditions[0]") && err.contains("`x`"), "{err}");
        let doc = rule_set(json!([{"type": "error", "conditions": [{"fn": "isSet", "argv": [], "oops": 1}], "error": "e"}]));
        let err = RuleSet::from_value("rules.json", doc).unwrap_err().to_string();
        assert!(err.contains("`oops`"), "{err}");
    }

    #[test]
    fn rule_kinds_need_their_keys() {
        let doc = rule_set(json!([{"type": "endpoint", "conditions": []}]));
        let err = RuleSet::from_value("rules.json", doc).unwrap_err().to_string();
        assert!(err.contains("rules[0]") && err.contains("needs key `endpoint`"), "{err}");
        let doc = rule_set(json!([{"type": "error", "conditions": [], "error": "e", "rules": []}]));
        let err = RuleSet::from_value("rules.json", doc).unwrap_err().to_string();
        assert!(err.contains("cannot have key `rules`"), "{err}");
        let doc = rule_set(json!([{"type": "maybe", "conditions": []}]));
        let err = RuleSet::from_value("rules.json", doc).unwrap_err().to_string();
        assert!(err.contains("unknown value `maybe`"), "{err}");
    }

    #[test]
    fn expressions_decode() {
        let doc = rule_set(json!([{"type": "endpoint", "conditions": [
            {"fn": "substring", "argv": [{"ref": "Region"}, 0, 6, true], "assign": "prefix"}
        ], "endpoint": {"url": "https://{Region}.example.com", "headers": {"x-a": ["{prefix}"]}}}]));
        let rules = RuleSet::from_value("rules.json", doc).unwrap().rules;
        let condition = &rules[0].conditions[0];
        assert_eq!(condition.assign.as_deref(), Some("prefix"));
        assert_eq!(
            condition.call.argv,
            vec![Expr::Ref("Region".into()), Expr::Int(0), Expr::Int(6), Expr::Bool(true)]
        );
        let RuleKind::Endpoint(endpoint) = &rules[0].kind else { panic!() };
        assert_eq!(endpoint.headers["x-a"], vec![Expr::String("{prefix}".into())]);
    }

    #[test]
    fn partitions_name_the_partition_in_errors() {
        let doc = json!({"version": "1.1", "partitions": [{
            "id": "aws", "regionRegex": "^x$", "regions": {"r": {"description": "d", "dnsSuffix": "x"}},
            "outputs": {"name": "aws", "dnsSuffix": "a", "dualStackDnsSuffix": "b", "supportsFIPS": true, "supportsDualStack": true}
        }]});
        let err = Partitions::from_value("partitions.json", doc).unwrap_err().to_string();
        assert!(err.contains("partitions.json: partition `aws`") && err.contains("dnsSuffix"), "{err}");
    }

    #[test]
    fn the_pinned_s3_files_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
        let rule_set = RuleSet::load_dir(&dir).unwrap().unwrap();
        assert_eq!(rule_set.parameters.len(), 17);
        let partitions = Partitions::load_dir(&dir).unwrap();
        assert_eq!(partitions.partitions[0].id, "aws");
        assert!(RuleSet::load_dir(Path::new("/nonexistent")).unwrap().is_none());
    }
}
