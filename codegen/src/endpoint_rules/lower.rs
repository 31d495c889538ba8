//! Type-checking lowering of a rule set: names, scopes and types.

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

use super::model::{self, FnCall, RuleKind, RuleSet};
use super::{
    Accessor, AuthScheme, Condition, Endpoint, Expr, ExprKind, Function, Literal, Outcome, Param,
    ParamType, Property, Rule, Type,
};
use crate::docs::html_to_markdown;
use crate::ir::names::field_name;

/// A variable in scope: a parameter or an assigned result.
#[derive(Debug, Clone)]
struct Var {
    name: String,
    rust: String,
    ty: Type,
}

#[derive(Debug, Clone, Default)]
struct Scope {
    vars: Vec<Var>,
}

impl Scope {
    fn get(&self, name: &str) -> Result<&Var> {
        self.vars
            .iter()
            .rev()
            .find(|v| v.name == name)
            .ok_or_else(|| anyhow!("`{name}` is neither a parameter nor a variable in scope"))
    }

    fn define(&mut self, name: &str, ty: Type) -> Result<String> {
        if self.vars.iter().any(|v| v.name == name) {
            bail!("`{name}` is already defined in this scope");
        }
        let rust = field_name(name);
        if let Some(other) = self.vars.iter().find(|v| v.rust == rust) {
            bail!("`{name}` and `{}` would both be the Rust variable `{rust}`", other.name);
        }
        self.vars.push(Var { name: name.to_owned(), rust: rust.clone(), ty });
        Ok(rust)
    }

    /// After `isSet(name)`: the variable holds a value for the rest of the rule.
    fn narrow(&mut self, name: &str, ty: Type) {
        if let Some(var) = self.vars.iter_mut().rev().find(|v| v.name == name) {
            var.ty = ty;
        }
    }
}

pub(super) fn lower(rule_set: &RuleSet) -> Result<(Vec<Param>, Vec<Rule>)> {
    let file = &rule_set.file;
    if !rule_set.version.starts_with("1.") {
        bail!("{file}: key `version`: rules engine version `{}` is not supported", rule_set.version);
    }
    let mut scope = Scope::default();
    let mut params = Vec::new();
    for (name, p) in &rule_set.parameters {
        let at = || format!("{file}: parameters.{name}");
        // Rule sets before botocore 1.40.76 spell the types `String` and `Boolean`.
        let ty = match p.ty.to_ascii_lowercase().as_str() {
            "boolean" => ParamType::Bool,
            "string" => ParamType::String,
            _ => bail!("{}: key `type`: parameters of type `{}` are not supported yet", at(), p.ty),
        };
        let default = match (&p.default, ty) {
            (None, _) => None,
            (Some(Value::Bool(b)), ParamType::Bool) => Some(Literal::Bool(*b)),
            (Some(Value::String(s)), ParamType::String) => Some(Literal::String(s.clone())),
            (Some(other), _) => bail!("{}: key `default`: `{other}` is not a {}", at(), p.ty),
        };
        let value_ty = match ty {
            ParamType::Bool => Type::Bool,
            ParamType::String => Type::String,
        };
        // A parameter with a default is always set (the specification requires such
        // parameters to be `required` too).
        let always_set = p.required || default.is_some();
        let field = scope
            .define(name, if always_set { value_ty.clone() } else { Type::option(value_ty) })
            .with_context(at)?;
        params.push(Param {
            name: name.clone(),
            field,
            ty,
            docs: html_to_markdown(p.documentation.as_deref().unwrap_or_default()),
            built_in: p.built_in.clone(),
            required: always_set,
            default,
            deprecated: p.deprecated.as_ref().map(|d| {
                let mut note = d.message.clone().unwrap_or_else(|| format!("`{name}` is deprecated."));
                if let Some(since) = &d.since {
                    note.push_str(&format!(" (since {since})"));
                }
                note
            }),
            used: false,
        });
    }
    let rules = lower_rules(file, &rule_set.rules, &scope)?;
    for param in &mut params {
        param.used = rules.iter().any(|rule| rule_mentions(&rule.conditions, &rule.outcome, &param.field));
    }
    Ok((params, rules))
}

fn lower_rules(file: &str, rules: &[model::Rule], scope: &Scope) -> Result<Vec<Rule>> {
    let mut out: Vec<Rule> = Vec::new();
    for rule in rules {
        // Rules after one that always matches can never run.
        if out.last().is_some_and(|last| !last.can_fall_through()) {
            break;
        }
        if let Some(rule) = lower_rule(file, rule, scope)? {
            out.push(rule);
        }
    }
    Ok(out)
}

/// `None` for a rule that can never match (a condition folded to `false`).
fn lower_rule(file: &str, rule: &model::Rule, scope: &Scope) -> Result<Option<Rule>> {
    let mut scope = scope.clone();
    let mut conditions = Vec::new();
    for (i, condition) in rule.conditions.iter().enumerate() {
        let lowered = lower_condition(condition, &mut scope)
            .with_context(|| format!("{file}: {}.conditions[{i}]", rule.path))?;
        match lowered {
            Some(lowered) => conditions.extend(lowered),
            None => return Ok(None),
        }
    }
    let at = |key: &str| format!("{file}: {}.{key}", rule.path);
    let outcome = match &rule.kind {
        RuleKind::Endpoint(endpoint) => Outcome::Endpoint(lower_endpoint(endpoint, &scope, &at)?),
        RuleKind::Error(message) => {
            let message = lower_expr(message, &scope).and_then(|e| expect(e, &Type::String, "the error"));
            Outcome::Error(message.with_context(|| at("error"))?)
        }
        RuleKind::Tree(rules) => Outcome::Tree(lower_rules(file, rules, &scope)?),
    };
    // Bind only what a later condition or the outcome reads; drop `let`s nobody reads.
    let mut i = conditions.len();
    while i > 0 {
        i -= 1;
        let used = |bind: &str| rule_mentions(&conditions[i + 1..], &outcome, bind);
        match &conditions[i] {
            Condition::Some { bind: Some(bind), .. } if !used(bind) => {
                if let Condition::Some { bind, .. } = &mut conditions[i] {
                    *bind = None;
                }
            }
            Condition::Let { bind, .. } if !used(bind) => {
                conditions.remove(i);
            }
            _ => {}
        }
    }
    Ok(Some(Rule { conditions, outcome }))
}

/// The conditions a rule condition becomes; `None` if it is always false.
fn lower_condition(condition: &model::Condition, scope: &mut Scope) -> Result<Option<Vec<Condition>>> {
    let call = &condition.call;
    // `isSet(ref)`: the reference is set for the rest of the rule.
    if let ("isSet", None, [model::Expr::Ref(name)]) = (call.name.as_str(), &condition.assign, call.argv.as_slice()) {
        let var = scope.get(name)?.clone();
        let Type::Option(inner) = var.ty.clone() else {
            // Already known to be set.
            return Ok(Some(Vec::new()));
        };
        scope.narrow(name, *inner);
        let value = Expr { kind: ExprKind::Local(var.rust.clone()), ty: var.ty };
        return Ok(Some(vec![Condition::Some { value, bind: Some(var.rust) }]));
    }
    let expr = lower_call(call, scope)?;
    Ok(Some(match (expr.ty.clone(), &condition.assign) {
        (Type::Bool, None) => match expr.kind {
            ExprKind::Bool(true) => Vec::new(),
            ExprKind::Bool(false) => return Ok(None),
            _ => vec![Condition::Test(expr)],
        },
        (Type::Bool, Some(name)) => {
            let bind = scope.define(name, Type::Bool)?;
            let test = Expr { kind: ExprKind::Local(bind.clone()), ty: Type::Bool };
            vec![Condition::Let { value: expr, bind }, Condition::Test(test)]
        }
        (Type::Option(inner), assign) => {
            let bind = assign.as_deref().map(|name| scope.define(name, *inner)).transpose()?;
            vec![Condition::Some { value: expr, bind }]
        }
        // Any other value counts as true.
        (_, None) => Vec::new(),
        (ty, Some(name)) => vec![Condition::Let { value: expr, bind: scope.define(name, ty)? }],
    }))
}

fn lower_expr(expr: &model::Expr, scope: &Scope) -> Result<Expr> {
    Ok(match expr {
        model::Expr::String(text) => template(text, scope)?,
        model::Expr::Bool(b) => Expr { kind: ExprKind::Bool(*b), ty: Type::Bool },
        model::Expr::Int(n) => {
            let n = usize::try_from(*n).map_err(|_| anyhow!("`{n}` is negative"))?;
            Expr { kind: ExprKind::Int(n), ty: Type::Int }
        }
        model::Expr::Array(_) => bail!("arrays are supported only in endpoint properties"),
        model::Expr::Ref(name) => {
            let var = scope.get(name)?;
            Expr { kind: ExprKind::Local(var.rust.clone()), ty: var.ty.clone() }
        }
        model::Expr::Fn(call) => lower_call(call, scope)?,
    })
}

fn lower_call(call: &FnCall, scope: &Scope) -> Result<Expr> {
    let name = call.name.as_str();
    let args = |want: &[Type]| -> Result<Vec<Expr>> {
        if call.argv.len() != want.len() {
            bail!("`{name}` takes {} arguments, not {}", want.len(), call.argv.len());
        }
        call.argv
            .iter()
            .zip(want)
            .enumerate()
            .map(|(i, (arg, ty))| {
                let arg = lower_expr(arg, scope)?;
                expect(arg, ty, &format!("argument {} of `{name}`", i + 1))
            })
            .collect()
    };
    let boxed = |e: Expr| Box::new(e);
    let runtime = |function: Function, want: &[Type], ty: Type| -> Result<Expr> {
        Ok(Expr { kind: ExprKind::Call(function, args(want)?), ty })
    };
    use Type::{Bool, Int, String as Str};
    Ok(match name {
        "isSet" => {
            let [arg] = call.argv.as_slice() else { bail!("`isSet` takes 1 argument") };
            let arg = lower_expr(arg, scope)?;
            if arg.ty.is_optional() {
                Expr { kind: ExprKind::IsSet(boxed(arg)), ty: Bool }
            } else {
                Expr { kind: ExprKind::Bool(true), ty: Bool }
            }
        }
        "not" => {
            let [arg] = <[Expr; 1]>::try_from(args(&[Bool])?).unwrap();
            match arg.kind {
                ExprKind::Bool(b) => Expr { kind: ExprKind::Bool(!b), ty: Bool },
                _ => Expr { kind: ExprKind::Not(boxed(arg)), ty: Bool },
            }
        }
        "booleanEquals" => {
            let [a, b] = <[Expr; 2]>::try_from(args(&[Bool, Bool])?).unwrap();
            match (&a.kind, &b.kind) {
                (ExprKind::Bool(x), ExprKind::Bool(y)) => Expr { kind: ExprKind::Bool(x == y), ty: Bool },
                _ => Expr { kind: ExprKind::BoolEquals(boxed(a), boxed(b)), ty: Bool },
            }
        }
        "stringEquals" => {
            let [a, b] = <[Expr; 2]>::try_from(args(&[Str, Str])?).unwrap();
            Expr { kind: ExprKind::StringEquals(boxed(a), boxed(b)), ty: Bool }
        }
        "getAttr" => {
            let [target, model::Expr::String(path)] = call.argv.as_slice() else {
                bail!("`getAttr` takes a value and a path string");
            };
            get_attr(lower_expr(target, scope)?, path)?
        }
        "substring" => runtime(Function::Substring, &[Str, Int, Int, Bool], Type::option(Str))?,
        "uriEncode" => runtime(Function::UriEncode, &[Str], Str)?,
        "parseURL" => runtime(Function::ParseUrl, &[Str], Type::option(Type::Url))?,
        "isValidHostLabel" => runtime(Function::IsValidHostLabel, &[Str, Bool], Bool)?,
        "aws.partition" => runtime(Function::Partition, &[Str], Type::option(Type::Partition))?,
        "aws.parseArn" => runtime(Function::ParseArn, &[Str], Type::option(Type::Arn))?,
        "aws.isVirtualHostableS3Bucket" => runtime(Function::IsVirtualHostableS3Bucket, &[Str, Bool], Bool)?,
        other => bail!("function `{other}` is not supported"),
    })
}

/// Checks an expression's type; an optional value where a value is needed means the rule
/// set forgot an `isSet`.
fn expect(expr: Expr, want: &Type, what: &str) -> Result<Expr> {
    if &expr.ty == want {
        return Ok(expr);
    }
    if expr.ty == Type::option(want.clone()) {
        bail!("{what} may be unset here; the rule set must check it with `isSet` first");
    }
    bail!("{what} must be {want:?}, not {:?}", expr.ty)
}

/// `getAttr(target, "a.b[1]")`: named attributes, then at most one index at the end.
fn get_attr(target: Expr, path: &str) -> Result<Expr> {
    let mut value = target;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => {
                let index = rest
                    .strip_suffix(']')
                    .and_then(|n| n.parse::<usize>().ok())
                    .ok_or_else(|| anyhow!("`getAttr` path `{path}`: bad index in `{part}`"))?;
                (key, Some(index))
            }
            None => (*part, None),
        };
        if index.is_some() && i + 1 != parts.len() {
            bail!("`getAttr` path `{path}`: an index must come last");
        }
        if !key.is_empty() {
            value = attribute(value, key).with_context(|| format!("`getAttr` path `{path}`"))?;
        }
        if let Some(index) = index {
            if value.ty != Type::StringArray {
                bail!("`getAttr` path `{path}`: only string arrays can be indexed, not {:?}", value.ty);
            }
            value = Expr { kind: ExprKind::Index(Box::new(value), index), ty: Type::option(Type::String) };
        }
    }
    Ok(value)
}

fn attribute(target: Expr, key: &str) -> Result<Expr> {
    let field = |name, ty| (Accessor { name, method: false }, ty);
    let method = |name, ty| (Accessor { name, method: true }, ty);
    use Type::{Bool, String as Str};
    let (accessor, ty) = match (&target.ty, key) {
        (Type::Partition, "name") => field("name", Str),
        (Type::Partition, "dnsSuffix") => field("dns_suffix", Str),
        (Type::Partition, "dualStackDnsSuffix") => field("dual_stack_dns_suffix", Str),
        (Type::Partition, "supportsFIPS") => field("supports_fips", Bool),
        (Type::Partition, "supportsDualStack") => field("supports_dual_stack", Bool),
        (Type::Partition, "implicitGlobalRegion") => field("implicit_global_region", Type::option(Str)),
        (Type::Url, "scheme") => method("scheme", Str),
        (Type::Url, "authority") => method("authority", Str),
        (Type::Url, "path") => method("path", Str),
        (Type::Url, "normalizedPath") => method("normalized_path", Str),
        (Type::Url, "isIp") => method("is_ip", Bool),
        (Type::Arn, "partition") => method("partition", Str),
        (Type::Arn, "service") => method("service", Str),
        (Type::Arn, "region") => method("region", Str),
        (Type::Arn, "accountId") => method("account_id", Str),
        (Type::Arn, "resourceId") => method("resource_id", Type::StringArray),
        (ty, key) => bail!("{ty:?} has no attribute `{key}`"),
    };
    Ok(Expr { kind: ExprKind::Attr { target: Box::new(target), accessor }, ty })
}

/// A template string: literal text with `{name}` and `{name#path}` placeholders (`{{` and
/// `}}` are literal braces), each a string in scope.
fn template(text: &str, scope: &Scope) -> Result<Expr> {
    let mut parts: Vec<Expr> = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    let flush = |literal: &mut String, parts: &mut Vec<Expr>| {
        if !literal.is_empty() {
            parts.push(Expr { kind: ExprKind::String(std::mem::take(literal)), ty: Type::String });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => bail!("template `{text}`: unclosed `{{`"),
                    }
                }
                let value = match name.split_once('#') {
                    Some((var, path)) => {
                        let var = scope.get(var)?;
                        let var = Expr { kind: ExprKind::Local(var.rust.clone()), ty: var.ty.clone() };
                        get_attr(var, path)?
                    }
                    None => {
                        let var = scope.get(&name)?;
                        Expr { kind: ExprKind::Local(var.rust.clone()), ty: var.ty.clone() }
                    }
                };
                let value = expect(value, &Type::String, &format!("template `{text}`: `{{{name}}}`"))?;
                flush(&mut literal, &mut parts);
                parts.push(value);
            }
            '}' => bail!("template `{text}`: unmatched `}}`"),
            c => literal.push(c),
        }
    }
    flush(&mut literal, &mut parts);
    Ok(match parts.len() {
        0 => Expr { kind: ExprKind::String(String::new()), ty: Type::String },
        1 => parts.pop().unwrap(),
        _ => Expr { kind: ExprKind::Concat(parts), ty: Type::String },
    })
}

fn lower_endpoint(endpoint: &model::Endpoint, scope: &Scope, at: &dyn Fn(&str) -> String) -> Result<Endpoint> {
    let string = |expr: &model::Expr, what: &str| -> Result<Expr> {
        lower_expr(expr, scope).and_then(|e| expect(e, &Type::String, what)).with_context(|| at(what))
    };
    let url = string(&endpoint.url, "endpoint.url")?;
    let mut headers = Vec::new();
    for (name, values) in &endpoint.headers {
        let what = format!("endpoint.headers.{name}");
        let values = values.iter().map(|v| string(v, &what)).collect::<Result<_>>()?;
        headers.push((name.clone(), values));
    }
    let mut auth_schemes = Vec::new();
    let mut properties = Vec::new();
    for (key, value) in &endpoint.properties {
        let what = format!("endpoint.properties.{key}");
        if key == "authSchemes" {
            let Value::Array(schemes) = value else {
                bail!("{}: must be an array", at(&what));
            };
            for (i, scheme) in schemes.iter().enumerate() {
                let what = format!("{what}[{i}]");
                auth_schemes.push(auth_scheme(scheme, scope).with_context(|| at(&what))?);
            }
        } else {
            properties.push((key.clone(), property(value, scope).with_context(|| at(&what))?));
        }
    }
    Ok(Endpoint { url, headers, auth_schemes, properties })
}

fn auth_scheme(value: &Value, scope: &Scope) -> Result<AuthScheme> {
    let Value::Object(object) = value else {
        bail!("an auth scheme must be an object");
    };
    let string = |key: &str| -> Result<Option<Expr>> {
        match object.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => template(text, scope).map(Some).with_context(|| format!("key `{key}`")),
            Some(other) => bail!("key `{key}` must be a string, not `{other}`"),
        }
    };
    let name = string("name")?.ok_or_else(|| anyhow!("an auth scheme needs key `name`"))?;
    let signing_region_set = match object.get("signingRegionSet") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|item| match item {
                    Value::String(text) => template(text, scope),
                    other => bail!("key `signingRegionSet` must hold strings, not `{other}`"),
                })
                .collect::<Result<_>>()?,
        ),
        Some(other) => bail!("key `signingRegionSet` must be an array, not `{other}`"),
    };
    let disable_double_encoding = match object.get("disableDoubleEncoding") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => bail!("key `disableDoubleEncoding` must be a boolean, not `{other}`"),
    };
    const TYPED: &[&str] = &["name", "signingName", "signingRegion", "signingRegionSet", "disableDoubleEncoding"];
    let other = object
        .iter()
        .filter(|(key, _)| !TYPED.contains(&key.as_str()))
        .map(|(key, value)| Ok((key.clone(), property(value, scope).with_context(|| format!("key `{key}`"))?)))
        .collect::<Result<_>>()?;
    Ok(AuthScheme {
        name,
        signing_name: string("signingName")?,
        signing_region: string("signingRegion")?,
        signing_region_set,
        disable_double_encoding,
        other,
    })
}

fn property(value: &Value, scope: &Scope) -> Result<Property> {
    Ok(match value {
        Value::String(text) => Property::String(template(text, scope)?),
        Value::Bool(b) => Property::Bool(*b),
        Value::Array(items) => Property::Array(items.iter().map(|v| property(v, scope)).collect::<Result<_>>()?),
        Value::Object(object) => Property::Object(
            object.iter().map(|(k, v)| Ok((k.clone(), property(v, scope)?))).collect::<Result<_>>()?,
        ),
        other => bail!("`{other}` is not supported in endpoint properties"),
    })
}

/// Whether the conditions (in order, up to one that rebinds `name`) or the outcome read
/// the local `name`.
fn rule_mentions(conditions: &[Condition], outcome: &Outcome, name: &str) -> bool {
    for condition in conditions {
        let (value, bind) = match condition {
            Condition::Test(value) => (value, None),
            Condition::Some { value, bind } => (value, bind.as_deref()),
            Condition::Let { value, bind } => (value, Some(bind.as_str())),
        };
        if mentions(value, name) {
            return true;
        }
        if bind == Some(name) {
            return false;
        }
    }
    match outcome {
        Outcome::Error(message) => mentions(message, name),
        Outcome::Tree(rules) => rules.iter().any(|r| rule_mentions(&r.conditions, &r.outcome, name)),
        Outcome::Endpoint(e) => {
            fn property_mentions(p: &Property, name: &str) -> bool {
                match p {
                    Property::String(e) => mentions(e, name),
                    Property::Bool(_) => false,
                    Property::Array(items) => items.iter().any(|p| property_mentions(p, name)),
                    Property::Object(entries) => entries.iter().any(|(_, p)| property_mentions(p, name)),
                }
            }
            let opt = |e: &Option<Expr>| e.as_ref().is_some_and(|e| mentions(e, name));
            mentions(&e.url, name)
                || e.headers.iter().any(|(_, values)| values.iter().any(|v| mentions(v, name)))
                || e.properties.iter().any(|(_, p)| property_mentions(p, name))
                || e.auth_schemes.iter().any(|s| {
                    mentions(&s.name, name)
                        || opt(&s.signing_name)
                        || opt(&s.signing_region)
                        || s.signing_region_set.iter().flatten().any(|e| mentions(e, name))
                        || s.other.iter().any(|(_, p)| property_mentions(p, name))
                })
        }
    }
}

fn mentions(expr: &Expr, name: &str) -> bool {
    match &expr.kind {
        ExprKind::Local(local) => local == name,
        ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::String(_) => false,
        ExprKind::Concat(parts) | ExprKind::Call(_, parts) => parts.iter().any(|p| mentions(p, name)),
        ExprKind::IsSet(e) | ExprKind::Not(e) | ExprKind::Index(e, _) => mentions(e, name),
        ExprKind::Attr { target, .. } => mentions(target, name),
        ExprKind::BoolEquals(a, b) | ExprKind::StringEquals(a, b) => mentions(a, name) || mentions(b, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lower_rules(rules: Value) -> Result<(Vec<Param>, Vec<Rule>)> {
        let doc = json!({"version": "1.0", "parameters": {
            "Region": {"type": "string", "documentation": "r"},
            "UseFIPS": {"type": "boolean", "required": true, "default": false, "documentation": "f"},
            "Unused": {"type": "string", "documentation": "u"}
        }, "rules": rules});
        lower(&RuleSet::from_value("rules.json", doc)?)
    }

    fn error(rules: Value) -> String {
        format!("{:#}", lower_rules(rules).unwrap_err())
    }

    /// Older rule sets (botocore before 1.40.76) spell the types `String` and `Boolean`.
    #[test]
    fn parameter_types_in_any_case() {
        let doc = json!({"version": "1.0", "parameters": {
            "Region": {"type": "String", "documentation": "r"},
            "UseFIPS": {"type": "Boolean", "required": true, "default": false, "documentation": "f"}
        }, "rules": [{"type": "error", "conditions": [], "error": "e"}]});
        let (params, _) = lower(&RuleSet::from_value("rules.json", doc).unwrap()).unwrap();
        assert_eq!(params[1].default, Some(Literal::Bool(false)));
        assert!(matches!(params[0].ty, ParamType::String));
    }

    #[test]
    fn parameters_are_typed_and_marked_used() {
        let (params, _) = lower_rules(json!([
            {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}], "error": "e"}
        ]))
        .unwrap();
        assert_eq!(params[1].field, "use_fips");
        assert_eq!(params[1].default, Some(Literal::Bool(false)));
        assert!(params[1].required && params[1].used);
        assert!(!params[0].used && !params[2].used);
    }

    #[test]
    fn is_set_narrows_and_binds_only_when_used() {
        let (_, rules) = lower_rules(json!([
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                 "endpoint": {"url": "https://{Region}.example.com"}}
            ]},
            {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "error": "no binding"},
            {"type": "error", "conditions": [], "error": "last"}
        ]))
        .unwrap();
        let Condition::Some { bind, .. } = &rules[0].conditions[0] else { panic!() };
        assert_eq!(bind.as_deref(), Some("region"));
        let Outcome::Tree(children) = &rules[0].outcome else { panic!() };
        // The second `isSet(Region)` is known to hold: no condition left.
        assert!(children[0].conditions.is_empty() && !children[0].can_fall_through());
        let Outcome::Endpoint(endpoint) = &children[0].outcome else { panic!() };
        assert!(matches!(&endpoint.url.kind, ExprKind::Concat(parts) if parts.len() == 3));
        let Condition::Some { bind, .. } = &rules[1].conditions[0] else { panic!() };
        assert_eq!(*bind, None);
    }

    #[test]
    fn unused_assignments_are_dropped_and_dead_rules_removed() {
        let (_, rules) = lower_rules(json!([
            {"type": "error", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "uriEncode", "argv": [{"ref": "Region"}], "assign": "encoded"}
            ], "error": "unused"},
            {"type": "error", "conditions": [
                {"fn": "not", "argv": [{"fn": "booleanEquals", "argv": [true, true]}]}
            ], "error": "never"},
            {"type": "error", "conditions": [], "error": "always"},
            {"type": "error", "conditions": [], "error": "unreachable"}
        ]))
        .unwrap();
        assert_eq!(rules.len(), 2);
        assert!(matches!(rules[0].conditions.as_slice(), [Condition::Some { bind: None, .. }]));
        let Outcome::Error(message) = &rules[1].outcome else { panic!() };
        assert_eq!(message.kind, ExprKind::String("always".into()));
    }

    #[test]
    fn optional_values_need_is_set() {
        let err = error(json!([
            {"type": "error", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}], "error": "e"}
        ]));
        assert!(err.contains("rules[0].conditions[0]") && err.contains("may be unset"), "{err}");
        let err = error(json!([{"type": "error", "conditions": [], "error": "in {Region}"}]));
        assert!(err.contains("rules[0].error") && err.contains("may be unset"), "{err}");
    }

    #[test]
    fn type_and_name_errors() {
        let err = error(json!([{"type": "error", "conditions": [{"fn": "aws.mystery", "argv": []}], "error": "e"}]));
        assert!(err.contains("`aws.mystery` is not supported"), "{err}");
        let err = error(json!([{"type": "error", "conditions": [{"fn": "not", "argv": [{"ref": "Nope"}]}], "error": "e"}]));
        assert!(err.contains("`Nope` is neither a parameter nor a variable"), "{err}");
        let err = error(json!([{"type": "error", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Region"}]},
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"},
            {"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}, "x"]}
        ], "error": "e"}]));
        assert!(err.contains("argument 1 of `stringEquals` must be String, not Bool"), "{err}");
        let err = error(json!([{"type": "error", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Region"}]},
            {"fn": "parseURL", "argv": [{"ref": "Region"}], "assign": "url"},
            {"fn": "parseURL", "argv": [{"ref": "Region"}], "assign": "url"}
        ], "error": "e"}]));
        assert!(err.contains("`url` is already defined"), "{err}");
        let err = error(json!([{"type": "error", "conditions": [], "error": "unclosed {Region"}]));
        assert!(err.contains("unclosed"), "{err}");
    }

    #[test]
    fn get_attr_paths() {
        let (_, rules) = lower_rules(json!([
            {"type": "error", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.parseArn", "argv": [{"ref": "Region"}], "assign": "arn"},
                {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[2]"], "assign": "third"}
            ], "error": "{third} in {arn#region}"}
        ]))
        .unwrap();
        let Condition::Some { value, bind } = &rules[0].conditions[2] else { panic!() };
        assert_eq!(bind.as_deref(), Some("third"));
        assert!(matches!(value.kind, ExprKind::Index(_, 2)));
        let err = error(json!([{"type": "error", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Region"}]},
            {"fn": "aws.parseArn", "argv": [{"ref": "Region"}], "assign": "arn"},
            {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[0].x"]}
        ], "error": "e"}]));
        assert!(err.contains("an index must come last"), "{err}");
    }
}
