//! JMESPath as boto3 evaluates it on botocore's parsed values (Python's `jmespath`
//! 1.1), on top of the `jmespath` crate, which differs in two places that the S3 guide's
//! expressions reach:
//!
//! - ordering comparisons (`<`, `<=`, `>`, `>=`) of two strings compare them (Python's
//!   `_is_comparable`); the crate orders numbers only and gives `null` otherwise;
//! - timestamps are `datetime`s in boto3: `to_string(LastModified)` is
//!   `json.dumps(value, default=str)`, `"2022-01-05 08:05:37+00:00"` with its quotes,
//!   and a timestamp is neither ordered nor equal to any string. Pages are serialized for
//!   a search with timestamps marked ([`crate::serialize::for_search`]) so that
//!   `to_string` and the comparisons can tell them from strings; the results carry
//!   `str(datetime)` without the mark ([`unmark`]). Other functions see a timestamp as the
//!   marked string (boto3 refuses a `datetime` there with a type error).
//!
//! The ordering comparisons are rewritten into calls of functions whose names (`<`, …)
//! no expression can spell, so the rest of the crate's interpreter is unchanged.

use std::sync::LazyLock;

use jmespath::ast::{Ast, Comparator, KeyValuePair};
use jmespath::functions::Function;
use jmespath::{Context, Expression, JmespathError, Rcvar, Runtime, SearchResult, Variable};
use serde_json::Value;

use crate::serialize::TIMESTAMP_MARK;

const ORDERINGS: [(&str, Comparator); 4] = [
    ("<", Comparator::LessThan),
    ("<=", Comparator::LessThanEqual),
    (">", Comparator::GreaterThan),
    (">=", Comparator::GreaterThanEqual),
];

static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut runtime = Runtime::new();
    runtime.register_builtin_functions();
    runtime.register_function("to_string", Box::new(ToString));
    for (name, comparator) in ORDERINGS {
        runtime.register_function(name, Box::new(Ordering(comparator)));
    }
    runtime
});

/// Compiles `expression` for boto3's semantics.
pub(crate) fn compile(expression: &str) -> Result<Expression<'static>, JmespathError> {
    let ast = rewrite(jmespath::parse(expression)?);
    Ok(Expression::new(expression, ast, &RUNTIME))
}

/// Replaces each ordering comparison by a call of its function.
fn rewrite(ast: Ast) -> Ast {
    let boxed = |ast: Box<Ast>| Box::new(rewrite(*ast));
    match ast {
        Ast::Comparison { offset, comparator, lhs, rhs } => match ORDERINGS.iter().find(|(_, c)| *c == comparator) {
            Some((name, _)) => Ast::Function { offset, name: (*name).to_owned(), args: vec![rewrite(*lhs), rewrite(*rhs)] },
            None => Ast::Comparison { offset, comparator, lhs: boxed(lhs), rhs: boxed(rhs) },
        },
        Ast::Condition { offset, predicate, then } => Ast::Condition { offset, predicate: boxed(predicate), then: boxed(then) },
        Ast::Expref { offset, ast } => Ast::Expref { offset, ast: boxed(ast) },
        Ast::Flatten { offset, node } => Ast::Flatten { offset, node: boxed(node) },
        Ast::Function { offset, name, args } => Ast::Function { offset, name, args: args.into_iter().map(rewrite).collect() },
        Ast::MultiList { offset, elements } => Ast::MultiList { offset, elements: elements.into_iter().map(rewrite).collect() },
        Ast::MultiHash { offset, elements } => Ast::MultiHash {
            offset,
            elements: elements.into_iter().map(|kv| KeyValuePair { key: kv.key, value: rewrite(kv.value) }).collect(),
        },
        Ast::Not { offset, node } => Ast::Not { offset, node: boxed(node) },
        Ast::Projection { offset, lhs, rhs } => Ast::Projection { offset, lhs: boxed(lhs), rhs: boxed(rhs) },
        Ast::ObjectValues { offset, node } => Ast::ObjectValues { offset, node: boxed(node) },
        Ast::And { offset, lhs, rhs } => Ast::And { offset, lhs: boxed(lhs), rhs: boxed(rhs) },
        Ast::Or { offset, lhs, rhs } => Ast::Or { offset, lhs: boxed(lhs), rhs: boxed(rhs) },
        Ast::Subexpr { offset, lhs, rhs } => Ast::Subexpr { offset, lhs: boxed(lhs), rhs: boxed(rhs) },
        leaf @ (Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Literal { .. } | Ast::Slice { .. }) => leaf,
    }
}

/// Evaluates `expression` on a page serialized by [`crate::serialize::for_search`].
pub(crate) fn search(expression: &Expression<'_>, page: Variable) -> SearchResult {
    let mut context = Context::new(expression.as_str(), &RUNTIME);
    jmespath::interpret(&Rcvar::new(page), expression.as_ast(), &mut context)
}

fn is_timestamp(value: &Variable) -> bool {
    value.as_string().is_some_and(|s| s.starts_with(TIMESTAMP_MARK))
}

/// `value` with the timestamps' mark removed, wherever it is (`to_string(@)` of an
/// object holds timestamps too).
pub(crate) fn unmark(value: Value) -> Value {
    match value {
        Value::String(s) if s.contains(TIMESTAMP_MARK) => Value::String(s.replace(TIMESTAMP_MARK, "")),
        Value::Array(items) => Value::Array(items.into_iter().map(unmark).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, unmark(v))).collect()),
        other => other,
    }
}

/// `to_string`: a string is itself; anything else is its compact JSON, a timestamp
/// Python's `str(datetime)` in quotes (`json.dumps(value, default=str)`).
struct ToString;

impl Function for ToString {
    fn evaluate(&self, args: &[Rcvar], ctx: &mut Context<'_>) -> SearchResult {
        let [value] = args else {
            let (expected, actual) = (1, args.len());
            let error = if actual > 1 {
                jmespath::RuntimeError::TooManyArguments { expected, actual }
            } else {
                jmespath::RuntimeError::NotEnoughArguments { expected, actual }
            };
            let reason = jmespath::ErrorReason::Runtime(error);
            return Err(JmespathError::from_ctx(ctx, reason));
        };
        let text = match &**value {
            Variable::String(_) if !is_timestamp(value) => return Ok(value.clone()),
            other => serde_json::to_string(other).unwrap_or_default().replace(TIMESTAMP_MARK, ""),
        };
        Ok(Rcvar::new(Variable::String(text)))
    }
}

/// An ordering comparison as Python's `jmespath` makes it: two numbers or two strings
/// (not timestamps) are compared, anything else gives `null`.
struct Ordering(Comparator);

impl Function for Ordering {
    fn evaluate(&self, args: &[Rcvar], _ctx: &mut Context<'_>) -> SearchResult {
        let ordering = match (&*args[0], &*args[1]) {
            (Variable::Number(a), Variable::Number(b)) => a.as_f64().zip(b.as_f64()).and_then(|(a, b)| a.partial_cmp(&b)),
            (a @ Variable::String(x), b @ Variable::String(y)) if !is_timestamp(a) && !is_timestamp(b) => Some(x.cmp(y)),
            _ => None,
        };
        let Some(ordering) = ordering else { return Ok(Rcvar::new(Variable::Null)) };
        let result = match self.0 {
            Comparator::LessThan => ordering.is_lt(),
            Comparator::LessThanEqual => ordering.is_le(),
            Comparator::GreaterThan => ordering.is_gt(),
            _ => ordering.is_ge(),
        };
        Ok(Rcvar::new(Variable::Bool(result)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::DateTime;

    /// What Python's `jmespath` 1.1 gives for `expression` on
    /// `[["old", datetime(2022, 1, 5, 8, 5, 36, 999000, utc)], ["same", … 8, 5, 37],
    /// ["new", … 8, 5, 37, 123000]]` (the answers are Python's, computed once).
    #[test]
    fn as_python_jmespath() {
        let page = vec![
            ("old", DateTime::from_millis(1_641_369_936_999)),
            ("same", DateTime::from_secs(1_641_369_937)),
            ("new", DateTime::from_millis(1_641_369_937_123)),
        ];
        let cases = [
            (r#"[?to_string([1])>='"2022-01-05 08:05:37+00:00"'][0]"#, json!(["same", "new"])),
            (
                "[*].to_string([1])",
                json!([r#""2022-01-05 08:05:36.999000+00:00""#, r#""2022-01-05 08:05:37+00:00""#, r#""2022-01-05 08:05:37.123000+00:00""#]),
            ),
            ("[?[1] >= '2000'][0]", json!([])),
            ("[?[1] == '2022-01-05 08:05:37+00:00'][0]", json!([])),
            ("[?[0] > 'o'][0]", json!(["old", "same"])),
            ("[?[0] <= 'old'][0]", json!(["old", "new"])),
            ("[?`2` > `1`][0]", json!(["old", "same", "new"])),
            ("to_string([0])", json!(r#"["old","2022-01-05 08:05:36.999000+00:00"]"#)),
            // Timestamps in the results are `str(datetime)`, unmarked.
            ("[0][1]", json!("2022-01-05 08:05:36.999000+00:00")),
        ];
        for (expression, python) in cases {
            let compiled = compile(expression).unwrap();
            let data = crate::serialize::for_search(&page, |page| Variable::from_serializable(page)).unwrap();
            let result = unmark(serde_json::to_value(&*search(&compiled, data).unwrap()).unwrap());
            assert_eq!(result, python, "{expression}");
        }
    }

    #[test]
    fn the_comparison_functions_cannot_be_called_by_name() {
        assert!(compile("`1` > `0`").is_ok());
        assert!(compile(">(`1`, `0`)").is_err());
    }
}
