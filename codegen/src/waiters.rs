//! Waiters: a serde mirror of botocore's `waiters-2.json`, and its lowering to
//! [`Waiter`]s whose acceptors are checked against the operation: `path`, `pathAll` and
//! `pathAny` arguments are compiled with [`crate::paginators::expr`], and each
//! `expected` value must be able to equal what its expression yields.

use std::path::Path;

use anyhow::{bail, Context, Result};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::ir::{Location, Service};
use crate::model::read_json;
use crate::paginators::expr::{self, ValueType};

// ---- the model ---------------------------------------------------------------------------

/// `waiters-2.json`, decoded.
#[derive(Debug, Clone)]
pub struct WaitersModel {
    /// The file it was read from, for error messages.
    pub file: String,
    pub waiters: IndexMap<String, WaiterModel>,
}

/// One entry of `waiters`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WaiterModel {
    pub operation: String,
    pub delay: u64,
    pub max_attempts: u32,
    pub description: Option<String>,
    /// Decoded one by one, for errors that name the acceptor.
    pub acceptors: Vec<Value>,
}

/// One acceptor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptorModel {
    pub state: State,
    pub matcher: MatcherKind,
    pub expected: Value,
    pub argument: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum State {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatcherKind {
    Path,
    PathAll,
    PathAny,
    Status,
    Error,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Value,
    waiters: IndexMap<String, Value>,
}

impl WaitersModel {
    /// Reads `waiters-2.json` from `dir`; `None` if the directory has no waiters.
    pub fn load_dir(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join("waiters-2.json");
        if !path.exists() {
            return Ok(None);
        }
        Self::from_value(&path.display().to_string(), read_json(&path)?).map(Some)
    }

    /// Decodes a `waiters-2.json` document; `file` names it in error messages.
    pub fn from_value(file: &str, doc: Value) -> Result<Self> {
        let raw: RawFile = serde_json::from_value(doc).with_context(|| format!("{file}: top level"))?;
        if raw.version.as_u64() != Some(2) {
            bail!("{file}: key `version` is {}; botocore supports waiter version 2 only", raw.version);
        }
        let mut waiters = IndexMap::new();
        for (name, value) in raw.waiters {
            let w: WaiterModel =
                serde_json::from_value(value).map_err(|e| anyhow::anyhow!("{file}: waiter `{name}`: {e}"))?;
            waiters.insert(name, w);
        }
        Ok(WaitersModel { file: file.to_owned(), waiters })
    }
}

// ---- the IR -------------------------------------------------------------------------------

/// A waiter, checked against its operation and ready to emit.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// `ObjectExists`.
    pub name: String,
    /// `object_exists`: `Client::wait_until_object_exists`, `waiters/object_exists.rs`.
    pub snake: String,
    /// The operation's model name (`HeadObject`).
    pub operation: String,
    /// `head_object`.
    pub operation_snake: String,
    /// The model's `description`, as Markdown.
    pub docs: Option<String>,
    /// Seconds between attempts.
    pub delay: u64,
    pub max_attempts: u32,
    pub acceptors: Vec<Acceptor>,
    /// The status code a successful response is taken to have, for `status` matchers.
    pub success_status: SuccessStatus,
}

/// The HTTP status of a successful response: the client returns the output, not the
/// response, so it is the operation's modeled response code, or an output member bound
/// to the status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuccessStatus {
    Fixed(u16),
    /// The Rust field of the output member with `"location": "statusCode"`.
    Member(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    pub state: State,
    pub matcher: Matcher,
    /// botocore's `AcceptorConfig.explanation`.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// The response's HTTP status.
    Status(u16),
    /// A service error with this code.
    ErrorCode(String),
    /// `"expected": true`: any service error.
    AnyError,
    /// `"expected": false`: no error.
    NoError,
    /// The expression (one value) equals `expected`.
    Path(expr::Compiled, Expected),
    /// Every item of the list the expression yields equals `expected` (and there is one).
    PathAll(expr::Compiled, Expected),
    /// Some item of that list equals `expected`.
    PathAny(expr::Compiled, Expected),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    String(String),
    Bool(bool),
    Integer(i64),
    Float(f64),
}

/// Lowers every waiter of `model` against `service`.
pub fn lower(model: &WaitersModel, service: &Service) -> Result<Vec<Waiter>> {
    let mut out = Vec::new();
    for (name, w) in &model.waiters {
        out.push(lower_one(&model.file, name, w, service).with_context(|| format!("{}: waiter `{name}`", model.file))?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    for pair in out.windows(2) {
        if pair[0].snake == pair[1].snake {
            bail!("{}: waiters `{}` and `{}` would both be `wait_until_{}`", model.file, pair[0].name, pair[1].name, pair[0].snake);
        }
    }
    Ok(out)
}

fn lower_one(file: &str, name: &str, w: &WaiterModel, service: &Service) -> Result<Waiter> {
    let Some(op) = service.operations.iter().find(|o| o.name == w.operation) else {
        bail!("key `operation`: there is no operation `{}` in the service model", w.operation);
    };
    if let Some(m) = op.input.members.iter().find(|m| !crate::ir::is_plain_data(&m.ty)) {
        bail!("the input member `{}` of `{}` is a stream, so the request cannot be repeated", m.name, op.name);
    }
    let mut acceptors = Vec::new();
    for (i, value) in w.acceptors.iter().enumerate() {
        let a: AcceptorModel = serde_json::from_value(value.clone())
            .map_err(|e| anyhow::anyhow!("{file}: waiter `{name}`: acceptors[{i}]: {e}"))?;
        let acceptor = lower_acceptor(&a, service, op).with_context(|| format!("acceptors[{i}]"))?;
        acceptors.push(acceptor);
    }
    if acceptors.is_empty() {
        bail!("key `acceptors` is empty");
    }
    let success_status = match op.output.members.iter().find(|m| m.location == Location::StatusCode) {
        Some(m) => SuccessStatus::Member(m.field.clone()),
        None => SuccessStatus::Fixed(op.http.response_code),
    };
    let docs = w
        .description
        .as_deref()
        .map(crate::docs::html_to_markdown)
        .filter(|d| !d.trim().is_empty());
    Ok(Waiter {
        name: name.to_owned(),
        snake: crate::ir::names::snake_name(name).trim_start_matches("r#").to_owned(),
        operation: op.name.clone(),
        operation_snake: op.snake.clone(),
        docs,
        delay: w.delay,
        max_attempts: w.max_attempts,
        acceptors,
        success_status,
    })
}

fn lower_acceptor(a: &AcceptorModel, service: &Service, op: &crate::ir::Operation) -> Result<Acceptor> {
    let shown = python_str(&a.expected);
    let (matcher, explanation) = match a.matcher {
        MatcherKind::Status => {
            let Some(code) = a.expected.as_u64().and_then(|c| u16::try_from(c).ok()) else {
                bail!("key `expected`: a `status` matcher needs an HTTP status code, not {}", a.expected);
            };
            (Matcher::Status(code), format!("Matched expected HTTP status code: {shown}"))
        }
        MatcherKind::Error => {
            let matcher = match &a.expected {
                Value::String(code) => Matcher::ErrorCode(code.clone()),
                Value::Bool(true) => Matcher::AnyError,
                Value::Bool(false) => Matcher::NoError,
                other => bail!("key `expected`: an `error` matcher needs an error code or a boolean, not {other}"),
            };
            (matcher, format!("Matched expected service error code: {shown}"))
        }
        kind => {
            let Some(argument) = &a.argument else {
                bail!("key `argument` is missing: a path matcher needs an expression");
            };
            let compiled = expr::compile(argument, service, &op.output).map_err(|e| anyhow::anyhow!("key `argument`: {e}"))?;
            let (item_ty, explanation) = match kind {
                MatcherKind::Path => {
                    if compiled.many {
                        bail!("key `argument`: `{argument}` is a projection (a list), which a `path` matcher compares with one value; use `pathAll` or `pathAny`");
                    }
                    (compiled.ty.clone(), format!("For expression \"{argument}\" we matched expected path: \"{shown}\""))
                }
                _ => {
                    let item = match (&compiled.ty, compiled.many) {
                        (ty, true) => ty.clone(),
                        (ValueType::List(item), false) => (**item).clone(),
                        (ty, false) => bail!("key `argument`: `{argument}` is {}; `{kind:?}` needs a list", ty.describe()),
                    };
                    let explanation = if kind == MatcherKind::PathAll {
                        format!("For expression \"{argument}\" all members matched expected path: \"{shown}\"")
                    } else {
                        format!("For expression \"{argument}\" we matched expected path: \"{shown}\" at least once")
                    };
                    (item, explanation)
                }
            };
            let expected = expected_for(&item_ty, &a.expected).map_err(|e| anyhow::anyhow!("key `expected`: {e} (`{argument}`)"))?;
            let matcher = match kind {
                MatcherKind::Path => Matcher::Path(compiled, expected),
                MatcherKind::PathAll => Matcher::PathAll(compiled, expected),
                _ => Matcher::PathAny(compiled, expected),
            };
            (matcher, explanation)
        }
    };
    Ok(Acceptor { state: a.state, matcher, explanation })
}

/// The expected value, if a value of type `ty` can equal it.
fn expected_for(ty: &ValueType, expected: &Value) -> Result<Expected> {
    let mismatch = || anyhow::anyhow!("{expected} can never equal {}", ty.describe());
    Ok(match (ty, expected) {
        (ValueType::String | ValueType::Enum, Value::String(s)) => Expected::String(s.clone()),
        (ValueType::Bool, Value::Bool(b)) => Expected::Bool(*b),
        (ValueType::Integer(bits), Value::Number(n)) => {
            let Some(n) = n.as_i64() else { return Err(mismatch()) };
            if *bits == 32 && i32::try_from(n).is_err() {
                return Err(mismatch());
            }
            Expected::Integer(n)
        }
        (ValueType::Float, Value::Number(n)) => Expected::Float(n.as_f64().ok_or_else(mismatch)?),
        _ => return Err(mismatch()),
    })
}

/// How Python's `str()` shows a JSON value (`True`, `404`, `ACTIVE`).
fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceModel;
    use serde_json::json;

    fn service() -> Service {
        let doc = json!({
            "metadata": {"protocol": "rest-xml"},
            "operations": {"Describe": {"name": "Describe", "http": {"method": "GET", "requestUri": "/"},
                "input": {"shape": "In"}, "output": {"shape": "Out"}}},
            "shapes": {
                "In": {"type": "structure", "members": {}},
                "Out": {"type": "structure", "members": {
                    "Status": {"shape": "S"}, "Count": {"shape": "I"}, "Items": {"shape": "Items"}}},
                "Items": {"type": "list", "member": {"shape": "Item"}},
                "Item": {"type": "structure", "members": {"State": {"shape": "S"}}},
                "S": {"type": "string"}, "I": {"type": "integer"}
            }
        });
        crate::ir::lower(&ServiceModel::from_value("svc.json", doc).unwrap()).unwrap()
    }

    fn lower_doc(acceptors: Value) -> Result<Vec<Waiter>> {
        let doc = json!({"version": 2, "waiters": {"Ready": {"operation": "Describe", "delay": 2, "maxAttempts": 3, "acceptors": acceptors}}});
        lower(&WaitersModel::from_value("waiters-2.json", doc)?, &service())
    }

    fn err(acceptors: Value) -> String {
        format!("{:#}", lower_doc(acceptors).unwrap_err())
    }

    #[test]
    fn lowers_each_matcher_kind() {
        let w = lower_doc(json!([
            {"matcher": "status", "expected": 200, "state": "success"},
            {"matcher": "error", "expected": "Gone", "state": "failure"},
            {"matcher": "error", "expected": true, "state": "retry"},
            {"matcher": "path", "argument": "Status", "expected": "ok", "state": "success"},
            {"matcher": "pathAll", "argument": "Items[].State", "expected": "ok", "state": "success"},
            {"matcher": "pathAny", "argument": "Items[*].State", "expected": "bad", "state": "failure"}
        ]))
        .unwrap();
        let explanations: Vec<&str> = w[0].acceptors.iter().map(|a| a.explanation.as_str()).collect();
        assert_eq!(
            explanations,
            [
                "Matched expected HTTP status code: 200",
                "Matched expected service error code: Gone",
                "Matched expected service error code: True",
                "For expression \"Status\" we matched expected path: \"ok\"",
                "For expression \"Items[].State\" all members matched expected path: \"ok\"",
                "For expression \"Items[*].State\" we matched expected path: \"bad\" at least once",
            ]
        );
        assert_eq!(w[0].success_status, SuccessStatus::Fixed(200));
        assert_eq!(w[0].snake, "ready");
    }

    #[test]
    fn errors_name_file_waiter_acceptor_and_key() {
        let e = err(json!([{"matcher": "path", "argument": "length(Items) > `0`", "expected": true, "state": "success"}]));
        assert!(e.contains("waiters-2.json: waiter `Ready`: acceptors[0]: key `argument`"), "{e}");
        assert!(e.contains("unsupported JMESPath syntax"), "{e}");
        let e = err(json!([{"matcher": "sometimes", "expected": 1, "state": "success"}]));
        assert!(e.contains("acceptors[0]") && e.contains("sometimes"), "{e}");
        let e = err(json!([{"matcher": "status", "expected": 200, "state": "success", "extra": 1}]));
        assert!(e.contains("acceptors[0]") && e.contains("extra"), "{e}");
        let e = err(json!([{"matcher": "path", "argument": "Count", "expected": "three", "state": "success"}]));
        assert!(e.contains("key `expected`: \"three\" can never equal an integer"), "{e}");
        let e = err(json!([{"matcher": "path", "argument": "Items[].State", "expected": "x", "state": "success"}]));
        assert!(e.contains("use `pathAll` or `pathAny`"), "{e}");
        let e = err(json!([{"matcher": "pathAll", "argument": "Status", "expected": "x", "state": "success"}]));
        assert!(e.contains("needs a list"), "{e}");
        let e = err(json!([{"matcher": "path", "argument": "Items[].State[*]", "expected": "x", "state": "success"}]));
        assert!(e.contains("inside a projection"), "{e}");
    }

    #[test]
    fn version_and_operation_are_checked() {
        let e = WaitersModel::from_value("waiters-2.json", json!({"version": 1, "waiters": {}})).unwrap_err();
        assert!(e.to_string().contains("waiter version 2 only"), "{e}");
        let doc = json!({"version": 2, "waiters": {"X": {"operation": "Nope", "delay": 1, "maxAttempts": 1, "acceptors": []}}});
        let e = format!("{:#}", lower(&WaitersModel::from_value("w.json", doc).unwrap(), &service()).unwrap_err());
        assert!(e.contains("w.json: waiter `X`: key `operation`: there is no operation `Nope`"), "{e}");
    }

    #[test]
    fn the_pinned_s3_waiters_lower() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
        let service = crate::ir::lower(&ServiceModel::load_dir(&dir).unwrap()).unwrap();
        let waiters = lower(&WaitersModel::load_dir(&dir).unwrap().unwrap(), &service).unwrap();
        let names: Vec<&str> = waiters.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["BucketExists", "BucketNotExists", "ObjectExists", "ObjectNotExists"]);
        assert!(waiters.iter().all(|w| w.delay == 5 && w.max_attempts == 20));
    }
}
