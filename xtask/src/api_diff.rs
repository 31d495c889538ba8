//! API change summary between two botocore `service-2.json` documents.
//!
//! [`summarize`] compares an old and a new service model and returns an
//! [`ApiDiff`], whose [`Display`](fmt::Display) output is Markdown meant to be
//! pasted into a pull-request description when the pinned model is bumped
//! (`cargo xtask update-model` prints it).
//!
//! What is reported, grouped under headings and sorted by name:
//!
//! * operations added / removed, and per operation: HTTP method, request URI
//!   and response code, input / output shape, errors added / removed,
//!   deprecation, and any other non-documentation field (e.g. `httpChecksum`);
//! * shapes added / removed, and per shape: type, members added / removed,
//!   per member target shape, `location` / `locationName`, required-ness and
//!   flags (`deprecated`, `streaming`, `flattened`, `xmlAttribute`, ...),
//!   member order (it is the XML serialization order), enum values added /
//!   removed, list member and map key / value targets, and any other
//!   non-documentation field (e.g. `min`, `pattern`, `xmlNamespace`);
//! * service metadata fields.
//!
//! Documentation (`documentation` and `documentationUrl` strings) is not
//! listed: changes to it are only counted ("N documentation strings changed"),
//! for operations, shapes and members present in both documents.
//!
//! The comparison never panics: parts of a document that do not have the
//! expected JSON type are treated as absent.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};

/// Keys whose string values are prose for humans, not API.
const DOC_KEYS: &[&str] = &["documentation", "documentationUrl"];

/// Boolean flags reported as "now X" / "no longer X", with their wording.
const FLAGS: &[(&str, &str)] = &[
    ("deprecated", "deprecated"),
    ("streaming", "streaming"),
    ("flattened", "flattened"),
    ("xmlAttribute", "an XML attribute"),
    ("hostLabel", "a host label"),
    ("requiresLength", "length-required"),
    ("sensitive", "sensitive"),
    ("exception", "an exception"),
    ("fault", "a fault"),
    ("event", "an event"),
    ("eventstream", "an event stream"),
    ("eventpayload", "an event payload"),
    ("eventheader", "an event header"),
];

/// Longest rendering of a JSON value in a change line before it is cut.
const MAX_VALUE_CHARS: usize = 100;

/// The changes between two service models; see the [module docs](self).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ApiDiff {
    /// Non-empty sections only, in a fixed order.
    pub sections: Vec<Section>,
    /// How many documentation strings were added, removed or edited.
    pub doc_changes: usize,
}

/// One Markdown section ("### Operations added").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: &'static str,
    /// Sorted by name.
    pub entries: Vec<Entry>,
}

/// One bullet: a subject (an operation, a shape, a field) and its sub-bullets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub subject: String,
    pub details: Vec<String>,
}

impl ApiDiff {
    /// True when the documents are identical up to JSON formatting and key order.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.doc_changes == 0
    }

    /// The section with this heading, if it has entries.
    #[cfg(test)]
    fn section(&self, heading: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.heading == heading)
    }
}

impl fmt::Display for ApiDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sections.is_empty() {
            writeln!(f, "No API changes.")?;
        }
        for (i, section) in self.sections.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "### {} ({})\n", section.heading, section.entries.len())?;
            for entry in &section.entries {
                writeln!(f, "- {}", entry.subject)?;
                for detail in &entry.details {
                    writeln!(f, "  - {detail}")?;
                }
            }
        }
        match self.doc_changes {
            0 => Ok(()),
            1 => writeln!(f, "\n_1 documentation string changed._"),
            n => writeln!(f, "\n_{n} documentation strings changed._"),
        }
    }
}

/// Compares two `service-2.json` documents; see the [module docs](self).
pub fn summarize(old: &Value, new: &Value) -> ApiDiff {
    let mut diff = ApiDiff::default();
    let (old_ops, new_ops) = (object(old.get("operations")), object(new.get("operations")));
    let (old_shapes, new_shapes) = (object(old.get("shapes")), object(new.get("shapes")));

    let ops = NameDiff::new(old_ops, new_ops);
    diff.push(
        "Operations added",
        ops.added.iter().map(|name| Entry {
            subject: format!("`{name}`{}", http_summary(lookup(new_ops, name))),
            details: Vec::new(),
        }),
    );
    diff.push(
        "Operations removed",
        ops.removed.iter().map(|name| leaf(format!("`{name}`"))),
    );
    diff.push(
        "Operations changed",
        ops.common.iter().filter_map(|name| {
            let details = diff_operation(lookup(old_ops, name), lookup(new_ops, name));
            (!details.is_empty()).then(|| Entry {
                subject: format!("`{name}`"),
                details,
            })
        }),
    );

    let shapes = NameDiff::new(old_shapes, new_shapes);
    diff.push(
        "Shapes added",
        shapes.added.iter().map(|name| {
            let kind = lookup(new_shapes, name).get("type").and_then(Value::as_str);
            leaf(match kind {
                Some(kind) => format!("`{name}` ({kind})"),
                None => format!("`{name}`"),
            })
        }),
    );
    diff.push(
        "Shapes removed",
        shapes.removed.iter().map(|name| leaf(format!("`{name}`"))),
    );
    diff.push(
        "Shapes changed",
        shapes.common.iter().filter_map(|name| {
            let details = diff_shape(lookup(old_shapes, name), lookup(new_shapes, name));
            (!details.is_empty()).then(|| Entry {
                subject: format!("`{name}`"),
                details,
            })
        }),
    );

    // Everything outside `operations` and `shapes`: `version`, `metadata.*`.
    let mut metadata = Vec::new();
    other_fields(
        &mut metadata,
        "",
        Some(old),
        Some(new),
        &["operations", "shapes", "metadata"],
    );
    other_fields(
        &mut metadata,
        "metadata ",
        old.get("metadata"),
        new.get("metadata"),
        &[],
    );
    diff.push("Service metadata changed", metadata.into_iter().map(leaf));

    diff.doc_changes = count_doc_changes(old, new);
    diff
}

impl ApiDiff {
    /// Adds a section unless it has no entries.
    fn push(&mut self, heading: &'static str, entries: impl Iterator<Item = Entry>) {
        let entries: Vec<Entry> = entries.collect();
        if !entries.is_empty() {
            self.sections.push(Section { heading, entries });
        }
    }
}

/// An entry without sub-bullets.
fn leaf(subject: String) -> Entry {
    Entry {
        subject,
        details: Vec::new(),
    }
}

/// The keys of two JSON objects split into added, removed and common, sorted.
struct NameDiff<'a> {
    added: Vec<&'a str>,
    removed: Vec<&'a str>,
    common: Vec<&'a str>,
}

impl<'a> NameDiff<'a> {
    fn new(old: Option<&'a Map<String, Value>>, new: Option<&'a Map<String, Value>>) -> Self {
        let old = keys(old);
        let new = keys(new);
        NameDiff {
            added: new.difference(&old).copied().collect(),
            removed: old.difference(&new).copied().collect(),
            common: old.intersection(&new).copied().collect(),
        }
    }
}

/// `map[name]`, or `null` if there is no such entry.
fn lookup<'a>(map: Option<&'a Map<String, Value>>, name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    map.and_then(|m| m.get(name)).unwrap_or(&NULL)
}

fn keys(map: Option<&Map<String, Value>>) -> BTreeSet<&str> {
    map.map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn object(value: Option<&Value>) -> Option<&Map<String, Value>> {
    value.and_then(Value::as_object)
}

/// " (`GET /{Bucket}?acl`)" for an operation with an `http` block, else "".
fn http_summary(op: &Value) -> String {
    let method = op.pointer("/http/method").and_then(Value::as_str);
    let uri = op.pointer("/http/requestUri").and_then(Value::as_str);
    match (method, uri) {
        (Some(method), Some(uri)) => format!(" (`{method} {uri}`)"),
        _ => String::new(),
    }
}

/// The change lines for an operation present in both documents.
fn diff_operation(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, label) in [
        ("method", "HTTP method"),
        ("requestUri", "request URI"),
        ("responseCode", "response code"),
    ] {
        let pointer = format!("/http/{key}");
        value_change(
            &mut out,
            label,
            old.pointer(&pointer),
            new.pointer(&pointer),
        );
    }
    value_change(
        &mut out,
        "input shape",
        old.pointer("/input/shape"),
        new.pointer("/input/shape"),
    );
    value_change(
        &mut out,
        "output shape",
        old.pointer("/output/shape"),
        new.pointer("/output/shape"),
    );

    let (old_errors, new_errors) = (error_names(old), error_names(new));
    for error in new_errors.difference(&old_errors) {
        out.push(format!("error added: `{error}`"));
    }
    for error in old_errors.difference(&new_errors) {
        out.push(format!("error removed: `{error}`"));
    }

    flag_changes(&mut out, "", old, new);
    other_fields(
        &mut out,
        "http ",
        old.get("http"),
        new.get("http"),
        &["method", "requestUri", "responseCode"],
    );
    other_fields(
        &mut out,
        "input ",
        old.get("input"),
        new.get("input"),
        &["shape"],
    );
    other_fields(
        &mut out,
        "output ",
        old.get("output"),
        new.get("output"),
        &["shape"],
    );
    let handled = ["name", "http", "input", "output", "errors"];
    other_fields(&mut out, "", Some(old), Some(new), &with_flags(&handled));
    out
}

/// The shape names in an operation's `errors` list.
fn error_names(op: &Value) -> BTreeSet<&str> {
    let errors = op.get("errors").and_then(Value::as_array);
    errors
        .into_iter()
        .flatten()
        .filter_map(|error| error.get("shape").and_then(Value::as_str))
        .collect()
}

/// The change lines for a shape present in both documents.
fn diff_shape(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    value_change(&mut out, "type", old.get("type"), new.get("type"));
    diff_members(&mut out, old, new);

    let (old_enum, new_enum) = (string_set(old.get("enum")), string_set(new.get("enum")));
    for value in new_enum.difference(&old_enum) {
        out.push(format!("enum value added: `{value}`"));
    }
    for value in old_enum.difference(&new_enum) {
        out.push(format!("enum value removed: `{value}`"));
    }

    for (key, label) in [
        ("member", "list member"),
        ("key", "map key"),
        ("value", "map value"),
    ] {
        let (old_ref, new_ref) = (old.get(key), new.get(key));
        let target = |r: Option<&Value>| r.and_then(|r| r.get("shape")).cloned();
        value_change(
            &mut out,
            label,
            target(old_ref).as_ref(),
            target(new_ref).as_ref(),
        );
        if let (Some(old_ref), Some(new_ref)) = (old_ref, new_ref) {
            let prefix = format!("{label} ");
            flag_changes(&mut out, &prefix, old_ref, new_ref);
            other_fields(
                &mut out,
                &prefix,
                Some(old_ref),
                Some(new_ref),
                &with_flags(&["shape"]),
            );
        }
    }

    flag_changes(&mut out, "", old, new);
    let handled = [
        "type", "members", "required", "enum", "member", "key", "value",
    ];
    other_fields(&mut out, "", Some(old), Some(new), &with_flags(&handled));
    out
}

/// Members added / removed / changed, required-ness, and member order.
fn diff_members(out: &mut Vec<String>, old: &Value, new: &Value) {
    let (old_members, new_members) = (object(old.get("members")), object(new.get("members")));
    let (old_required, new_required) = (
        string_set(old.get("required")),
        string_set(new.get("required")),
    );
    let names = NameDiff::new(old_members, new_members);

    for name in &names.added {
        let member = lookup(new_members, name);
        let mut notes = Vec::new();
        if let Some(target) = member.get("shape").and_then(Value::as_str) {
            notes.push(format!("`{target}`"));
        }
        if let Some(location) = member.get("location").and_then(Value::as_str) {
            match member.get("locationName").and_then(Value::as_str) {
                Some(location_name) => notes.push(format!("{location} `{location_name}`")),
                None => notes.push(location.to_string()),
            }
        }
        if new_required.contains(name) {
            notes.push("required".to_string());
        }
        match notes.is_empty() {
            true => out.push(format!("member added: `{name}`")),
            false => out.push(format!("member added: `{name}` ({})", notes.join(", "))),
        }
    }
    for name in &names.removed {
        out.push(format!("member removed: `{name}`"));
    }
    for name in &names.common {
        let (old_member, new_member) = (lookup(old_members, name), lookup(new_members, name));
        let prefix = format!("member `{name}`: ");
        value_change(
            out,
            &format!("{prefix}target"),
            old_member.get("shape"),
            new_member.get("shape"),
        );
        value_change(
            out,
            &format!("{prefix}location"),
            old_member.get("location"),
            new_member.get("location"),
        );
        let (old_name, new_name) = (
            old_member.get("locationName"),
            new_member.get("locationName"),
        );
        value_change(out, &format!("{prefix}location name"), old_name, new_name);
        match (old_required.contains(name), new_required.contains(name)) {
            (false, true) => out.push(format!("{prefix}now required")),
            (true, false) => out.push(format!("{prefix}no longer required")),
            _ => {}
        }
        flag_changes(out, &prefix, old_member, new_member);
        let handled = with_flags(&["shape", "location", "locationName"]);
        other_fields(
            out,
            &format!("member `{name}` "),
            Some(old_member),
            Some(new_member),
            &handled,
        );
    }

    // rest-xml serializes structure members in declaration order.
    let common: BTreeSet<&str> = names.common.iter().copied().collect();
    if common_in_order(old_members, &common) != common_in_order(new_members, &common) {
        out.push("member order changed".to_string());
    }
}

/// The keys of `map` that are in `common`, in the map's order.
fn common_in_order<'a>(
    map: Option<&'a Map<String, Value>>,
    common: &BTreeSet<&str>,
) -> Vec<&'a str> {
    let keys = map.into_iter().flat_map(|m| m.keys().map(String::as_str));
    keys.filter(|name| common.contains(name)).collect()
}

/// The strings of a JSON array (`required`, `enum`); other items are ignored.
fn string_set(value: Option<&Value>) -> BTreeSet<&str> {
    let items = value.and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// `handled` plus every key of [`FLAGS`].
fn with_flags<'a>(handled: &[&'a str]) -> Vec<&'a str> {
    handled
        .iter()
        .copied()
        .chain(FLAGS.iter().map(|(key, _)| *key))
        .collect()
}

/// "{prefix}now deprecated" / "{prefix}no longer deprecated" and so on for
/// each of [`FLAGS`]; an absent flag counts as `false`.
fn flag_changes(out: &mut Vec<String>, prefix: &str, old: &Value, new: &Value) {
    for (key, wording) in FLAGS {
        let is_set = |v: &Value| v.get(key).and_then(Value::as_bool).unwrap_or(false);
        match (is_set(old), is_set(new)) {
            (false, true) => out.push(format!("{prefix}now {wording}")),
            (true, false) => out.push(format!("{prefix}no longer {wording}")),
            _ => {}
        }
    }
}

/// "{label}: old → new" when the two values differ (ignoring documentation).
fn value_change(out: &mut Vec<String>, label: &str, old: Option<&Value>, new: Option<&Value>) {
    if !same_ignoring_docs(old, new) {
        out.push(format!("{label}: {} → {}", render(old), render(new)));
    }
}

/// Change lines for each key of two objects that is not in `handled`, not
/// documentation, and differs (see [`field_change`]).  This is the catch-all
/// that keeps unexpected model changes from going unnoticed.
fn other_fields(
    out: &mut Vec<String>,
    prefix: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    handled: &[&str],
) {
    let (old_map, new_map) = (object(old), object(new));
    if old_map.is_none() && new_map.is_none() {
        // Neither is an object (or both are absent): compare them whole.
        let label = match prefix.trim_end() {
            "" => "value",
            label => label,
        };
        value_change(out, label, old, new);
        return;
    }
    let all: BTreeSet<&str> = keys(old_map).union(&keys(new_map)).copied().collect();
    for key in all {
        if handled.contains(&key) || is_doc(key, old_map, new_map) {
            continue;
        }
        let (o, n) = (
            old_map.and_then(|m| m.get(key)),
            new_map.and_then(|m| m.get(key)),
        );
        field_change(out, prefix, key, o, n);
    }
}

/// The change line(s) for the field at `path` ("httpChecksum"): nested
/// objects are descended into ("`httpChecksum.responseAlgorithms`"), lists of
/// plain values show the items added / removed, anything else "old → new".
fn field_change(
    out: &mut Vec<String>,
    prefix: &str,
    path: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) {
    if same_ignoring_docs(old, new) {
        return;
    }
    match (old, new) {
        (Some(Value::Object(o)), Some(Value::Object(n))) => {
            let all: BTreeSet<&str> = keys(Some(o)).union(&keys(Some(n))).copied().collect();
            for key in all.into_iter().filter(|key| !is_doc(key, Some(o), Some(n))) {
                field_change(
                    out,
                    prefix,
                    &format!("{path}.{key}"),
                    o.get(key),
                    n.get(key),
                );
            }
        }
        (Some(Value::Array(o)), Some(Value::Array(n))) if o.iter().chain(n).all(is_scalar) => {
            let added: Vec<String> = n
                .iter()
                .filter(|v| !o.contains(v))
                .map(|v| render(Some(v)))
                .collect();
            let removed: Vec<String> = o
                .iter()
                .filter(|v| !n.contains(v))
                .map(|v| render(Some(v)))
                .collect();
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("added {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("removed {}", removed.join(", ")));
            }
            if parts.is_empty() {
                parts.push("order changed".to_string());
            }
            out.push(format!("{prefix}`{path}`: {}", parts.join("; ")));
        }
        _ => value_change(out, &format!("{prefix}`{path}`"), old, new),
    }
}

/// A string, number, boolean or null.
fn is_scalar(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

/// Whether `key` holds documentation: a [`DOC_KEYS`] key with a string value
/// (a member or shape that happens to be named "documentation" is an object).
fn is_doc(key: &str, old: Option<&Map<String, Value>>, new: Option<&Map<String, Value>>) -> bool {
    let non_object =
        |m: Option<&Map<String, Value>>| m.and_then(|m| m.get(key)).is_none_or(|v| !v.is_object());
    DOC_KEYS.contains(&key) && non_object(old) && non_object(new)
}

/// Deep equality that skips documentation strings.
fn same_ignoring_docs(old: Option<&Value>, new: Option<&Value>) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(Value::Object(o)), Some(Value::Object(n))) => {
            let all: BTreeSet<&str> = keys(Some(o)).union(&keys(Some(n))).copied().collect();
            all.into_iter()
                .filter(|key| !is_doc(key, Some(o), Some(n)))
                .all(|key| same_ignoring_docs(o.get(key), n.get(key)))
        }
        (Some(Value::Array(o)), Some(Value::Array(n))) => {
            o.len() == n.len()
                && o.iter()
                    .zip(n)
                    .all(|(a, b)| same_ignoring_docs(Some(a), Some(b)))
        }
        (o, n) => o == n,
    }
}

/// A value for a change line: "`text`", compact JSON without documentation,
/// or "(none)"; cut to [`MAX_VALUE_CHARS`].
fn render(value: Option<&Value>) -> String {
    let text = match value {
        None => return "(none)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => strip_docs(other).to_string(),
    };
    let text = text.replace('`', "'");
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((cut, _)) => format!("`{}…`", &text[..cut]),
        None => format!("`{text}`"),
    }
}

/// A copy of `value` without documentation strings.
fn strip_docs(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, v)| !DOC_KEYS.contains(&key.as_str()) || v.is_object())
                .map(|(key, v)| (key.clone(), strip_docs(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}

/// How many documentation strings differ between `old` and `new`, looking
/// only inside objects present in both (arrays are compared item by item).
fn count_doc_changes(old: &Value, new: &Value) -> usize {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let all: BTreeSet<&str> = keys(Some(o)).union(&keys(Some(n))).copied().collect();
            all.into_iter()
                .map(|key| match (o.get(key), n.get(key)) {
                    _ if is_doc(key, Some(o), Some(n)) => usize::from(o.get(key) != n.get(key)),
                    (Some(a), Some(b)) => count_doc_changes(a, b),
                    _ => 0,
                })
                .sum()
        }
        (Value::Array(o), Value::Array(n)) => {
            o.iter().zip(n).map(|(a, b)| count_doc_changes(a, b)).sum()
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small model with one operation and a few shapes.
    fn base() -> Value {
        json!({
            "version": "2.0",
            "metadata": {"protocol": "rest-xml", "signatureVersion": "s3"},
            "operations": {
                "GetThing": {
                    "name": "GetThing",
                    "http": {"method": "GET", "requestUri": "/{Bucket}?thing", "responseCode": 200},
                    "input": {"shape": "GetThingRequest"},
                    "output": {"shape": "GetThingOutput"},
                    "errors": [{"shape": "NoSuchThing"}],
                    "documentation": "<p>Gets a thing.</p>"
                }
            },
            "shapes": {
                "GetThingRequest": {
                    "type": "structure",
                    "required": ["Bucket"],
                    "members": {
                        "Bucket": {"shape": "BucketName", "location": "uri", "locationName": "Bucket",
                                   "documentation": "<p>The bucket.</p>"},
                        "Mode": {"shape": "Mode", "location": "querystring", "locationName": "mode"}
                    }
                },
                "GetThingOutput": {
                    "type": "structure",
                    "members": {"Body": {"shape": "Body"}, "Tags": {"shape": "TagList"}},
                    "payload": "Body"
                },
                "BucketName": {"type": "string"},
                "Body": {"type": "blob", "streaming": true},
                "Mode": {"type": "string", "enum": ["FAST", "SLOW"]},
                "NoSuchThing": {"type": "structure", "members": {}, "exception": true},
                "TagList": {"type": "list", "member": {"shape": "Tag", "locationName": "Tag"}},
                "Tag": {"type": "string"}
            }
        })
    }

    /// `base()` with `edit` applied.
    fn changed(edit: impl FnOnce(&mut Value)) -> Value {
        let mut model = base();
        edit(&mut model);
        model
    }

    fn details<'a>(diff: &'a ApiDiff, heading: &str, subject: &str) -> &'a [String] {
        let section = diff
            .section(heading)
            .unwrap_or_else(|| panic!("no section {heading:?} in\n{diff}"));
        let entry = section.entries.iter().find(|e| e.subject == subject);
        &entry
            .unwrap_or_else(|| panic!("no entry {subject} in\n{diff}"))
            .details
    }

    #[test]
    fn identical_models_have_no_changes() {
        let diff = summarize(&base(), &base());
        assert!(diff.is_empty(), "{diff}");
        assert_eq!(diff.to_string(), "No API changes.\n");
    }

    #[test]
    fn key_order_and_formatting_do_not_matter() {
        let reordered: Value = serde_json::from_str(
            &serde_json::to_string(&base())
                .unwrap()
                .replace("\"version\":\"2.0\",", ""),
        )
        .unwrap();
        let mut reordered = reordered;
        reordered["version"] = json!("2.0");
        assert!(summarize(&base(), &reordered).is_empty());
    }

    #[test]
    fn operation_added_and_removed() {
        let new = changed(|m| {
            let ops = m["operations"].as_object_mut().unwrap();
            let op = ops.remove("GetThing").unwrap();
            let mut renamed = op.clone();
            renamed["http"]["method"] = json!("PUT");
            renamed["http"]["requestUri"] = json!("/{Bucket}?newthing");
            ops.insert("PutThing".into(), renamed);
        });
        let diff = summarize(&base(), &new);
        assert_eq!(
            diff.section("Operations added").unwrap().entries,
            vec![leaf("`PutThing` (`PUT /{Bucket}?newthing`)".into())]
        );
        assert_eq!(
            diff.section("Operations removed").unwrap().entries,
            vec![leaf("`GetThing`".into())]
        );
        assert!(diff.section("Operations changed").is_none());
        assert_eq!(diff.doc_changes, 0);
    }

    #[test]
    fn operation_details_changed() {
        let new = changed(|m| {
            let op = &mut m["operations"]["GetThing"];
            op["http"]["method"] = json!("POST");
            op["http"]["responseCode"] = json!(204);
            op["input"]["shape"] = json!("GetThingInput");
            op["errors"] = json!([{"shape": "AccessDenied"}]);
            op["deprecated"] = json!(true);
            op["httpChecksum"] = json!({"requestChecksumRequired": true});
        });
        let diff = summarize(&base(), &new);
        assert_eq!(
            details(&diff, "Operations changed", "`GetThing`"),
            [
                "HTTP method: `GET` → `POST`",
                "response code: `200` → `204`",
                "input shape: `GetThingRequest` → `GetThingInput`",
                "error added: `AccessDenied`",
                "error removed: `NoSuchThing`",
                "now deprecated",
                "`httpChecksum`: (none) → `{\"requestChecksumRequired\":true}`",
            ]
        );
    }

    #[test]
    fn nested_field_changes_name_the_path() {
        let with_checksum = |algorithms: Value| {
            changed(|m| {
                m["operations"]["GetThing"]["httpChecksum"] = json!({"requestValidationModeMember": "Mode", "responseAlgorithms": algorithms});
            })
        };
        let old = with_checksum(json!(["CRC32", "SHA1"]));
        let diff = summarize(&old, &with_checksum(json!(["CRC32", "MD5", "SHA256"])));
        assert_eq!(
            details(&diff, "Operations changed", "`GetThing`"),
            ["`httpChecksum.responseAlgorithms`: added `MD5`, `SHA256`; removed `SHA1`"]
        );
        let diff = summarize(&old, &with_checksum(json!(["SHA1", "CRC32"])));
        assert_eq!(
            details(&diff, "Operations changed", "`GetThing`"),
            ["`httpChecksum.responseAlgorithms`: order changed"]
        );
    }

    #[test]
    fn shapes_added_removed_and_type_changed() {
        let new = changed(|m| {
            let shapes = m["shapes"].as_object_mut().unwrap();
            shapes.remove("Tag");
            shapes.insert("Color".into(), json!({"type": "string", "enum": ["RED"]}));
            shapes["BucketName"]["type"] = json!("blob");
            shapes["BucketName"]["min"] = json!(3);
        });
        let diff = summarize(&base(), &new);
        assert_eq!(
            diff.section("Shapes added").unwrap().entries,
            vec![leaf("`Color` (string)".into())]
        );
        assert_eq!(
            diff.section("Shapes removed").unwrap().entries,
            vec![leaf("`Tag`".into())]
        );
        assert_eq!(
            details(&diff, "Shapes changed", "`BucketName`"),
            ["type: `string` → `blob`", "`min`: (none) → `3`"]
        );
    }

    #[test]
    fn members_added_removed_and_required() {
        let new = changed(|m| {
            let request = &mut m["shapes"]["GetThingRequest"];
            request["required"] = json!(["Mode", "Owner"]);
            let members = request["members"].as_object_mut().unwrap();
            members.remove("Bucket");
            members.insert(
                "Owner".into(),
                json!({"shape": "BucketName", "location": "header", "locationName": "x-amz-owner"}),
            );
        });
        let diff = summarize(&base(), &new);
        assert_eq!(
            details(&diff, "Shapes changed", "`GetThingRequest`"),
            [
                "member added: `Owner` (`BucketName`, header `x-amz-owner`, required)",
                "member removed: `Bucket`",
                "member `Mode`: now required",
            ]
        );
    }

    #[test]
    fn member_required_dropped() {
        let new = changed(|m| m["shapes"]["GetThingRequest"]["required"] = json!([]));
        let diff = summarize(&base(), &new);
        assert_eq!(
            details(&diff, "Shapes changed", "`GetThingRequest`"),
            ["member `Bucket`: no longer required"]
        );
    }

    #[test]
    fn member_location_target_and_flags_changed() {
        let new = changed(|m| {
            let mode = &mut m["shapes"]["GetThingRequest"]["members"]["Mode"];
            mode["location"] = json!("header");
            mode["locationName"] = json!("x-amz-mode");
            mode["shape"] = json!("Tag");
            mode["deprecated"] = json!(true);
            mode["xmlNamespace"] = json!({"uri": "http://example.com/"});
            let output = &mut m["shapes"]["GetThingOutput"]["members"];
            output["Tags"]["flattened"] = json!(true);
            output["Body"]["streaming"] = json!(true);
        });
        let diff = summarize(&base(), &new);
        assert_eq!(
            details(&diff, "Shapes changed", "`GetThingRequest`"),
            [
                "member `Mode`: target: `Mode` → `Tag`",
                "member `Mode`: location: `querystring` → `header`",
                "member `Mode`: location name: `mode` → `x-amz-mode`",
                "member `Mode`: now deprecated",
                "member `Mode` `xmlNamespace`: (none) → `{\"uri\":\"http://example.com/\"}`",
            ]
        );
        assert_eq!(
            details(&diff, "Shapes changed", "`GetThingOutput`"),
            [
                "member `Body`: now streaming",
                "member `Tags`: now flattened"
            ]
        );
    }

    #[test]
    fn member_order_change_is_reported() {
        let new = changed(|m| {
            m["shapes"]["GetThingOutput"]["members"] =
                json!({"Tags": {"shape": "TagList"}, "Body": {"shape": "Body"}});
        });
        let diff = summarize(&base(), &new);
        assert_eq!(
            details(&diff, "Shapes changed", "`GetThingOutput`"),
            ["member order changed"]
        );
    }

    #[test]
    fn enum_values_added_and_removed() {
        let new = changed(|m| m["shapes"]["Mode"]["enum"] = json!(["SLOW", "TURBO", "AUTO"]));
        let diff = summarize(&base(), &new);
        assert_eq!(
            details(&diff, "Shapes changed", "`Mode`"),
            [
                "enum value added: `AUTO`",
                "enum value added: `TURBO`",
                "enum value removed: `FAST`"
            ]
        );
    }

    #[test]
    fn list_member_and_shape_flags_changed() {
        let new = changed(|m| {
            m["shapes"]["TagList"]["member"] =
                json!({"shape": "BucketName", "locationName": "Item"});
            m["shapes"]["TagList"]["flattened"] = json!(true);
            m["shapes"]["Body"]
                .as_object_mut()
                .unwrap()
                .remove("streaming");
        });
        let diff = summarize(&base(), &new);
        assert_eq!(
            details(&diff, "Shapes changed", "`TagList`"),
            [
                "list member: `Tag` → `BucketName`",
                "list member `locationName`: `Tag` → `Item`",
                "now flattened"
            ]
        );
        assert_eq!(
            details(&diff, "Shapes changed", "`Body`"),
            ["no longer streaming"]
        );
    }

    #[test]
    fn documentation_only_changes_are_counted_not_listed() {
        let new = changed(|m| {
            m["operations"]["GetThing"]["documentation"] = json!("<p>Gets a thing, faster.</p>");
            let bucket = m["shapes"]["GetThingRequest"]["members"]["Bucket"]
                .as_object_mut()
                .unwrap();
            bucket.remove("documentation");
            m["shapes"]["Tag"]["documentation"] = json!("<p>A tag.</p>");
            m["operations"]["GetThing"]["documentationUrl"] = json!("https://example.com/");
        });
        let diff = summarize(&base(), &new);
        assert!(diff.sections.is_empty(), "{diff}");
        assert_eq!(diff.doc_changes, 4);
        assert_eq!(
            diff.to_string(),
            "No API changes.\n\n_4 documentation strings changed._\n"
        );
    }

    #[test]
    fn docs_of_added_shapes_are_not_counted() {
        let new = changed(|m| {
            m["shapes"]["Color"] = json!({"type": "string", "documentation": "<p>new</p>"});
        });
        assert_eq!(summarize(&base(), &new).doc_changes, 0);
    }

    #[test]
    fn metadata_changes() {
        let new = changed(|m| {
            m["metadata"]["signatureVersion"] = json!("s3v4");
            m["version"] = json!("2.1");
        });
        let diff = summarize(&base(), &new);
        let entries: Vec<&str> = diff
            .section("Service metadata changed")
            .unwrap()
            .entries
            .iter()
            .map(|e| e.subject.as_str())
            .collect();
        assert_eq!(
            entries,
            [
                "`version`: `2.0` → `2.1`",
                "metadata `signatureVersion`: `s3` → `s3v4`"
            ]
        );
    }

    #[test]
    fn malformed_documents_do_not_panic() {
        let odd =
            json!({"operations": [1, 2], "shapes": {"X": 3, "Y": {"members": "no", "enum": {}}}});
        for (a, b) in [
            (json!(null), odd.clone()),
            (odd.clone(), base()),
            (base(), json!("x")),
            (odd.clone(), odd),
        ] {
            let _ = summarize(&a, &b).to_string();
        }
        let diff = summarize(&json!({}), &base());
        assert_eq!(diff.section("Operations added").unwrap().entries.len(), 1);
        assert_eq!(diff.section("Shapes added").unwrap().entries.len(), 8);
    }

    #[test]
    fn markdown_rendering() {
        let new = changed(|m| {
            m["shapes"]["Mode"]["enum"] = json!(["FAST", "SLOW", "AUTO"]);
            m["shapes"]["Color"] = json!({"type": "string"});
            m["operations"]["GetThing"]["documentation"] = json!("changed");
        });
        let expected = "\
### Shapes added (1)

- `Color` (string)

### Shapes changed (1)

- `Mode`
  - enum value added: `AUTO`

_1 documentation string changed._
";
        assert_eq!(summarize(&base(), &new).to_string(), expected);
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(500);
        let rendered = render(Some(&json!(long)));
        assert_eq!(rendered.chars().count(), MAX_VALUE_CHARS + 3);
        assert!(rendered.ends_with("…`"));
    }
}
