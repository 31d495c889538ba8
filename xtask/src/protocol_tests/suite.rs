//! Protocol test suites: reading botocore's suite files and ignore list, and turning a
//! suite into a `service-2.json`-shaped model the generator can read.
//!
//! A suite file is a JSON array of suites; each suite has a `description`, `metadata`,
//! `shapes`, an optional `clientEndpoint` and `cases`. botocore runs each case against a
//! model holding the suite's shapes and one operation, the case's `given`
//! (`test_input_compliance`, `test_output_compliance`). Here a suite becomes one model
//! with every case's operation in it; cases whose `given` share a name but differ (the
//! legacy suites call every operation `OperationName`) get numbered names.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

/// What a case tests: the request serializer (`params` → `serialized`) or the response
/// parser (`response` → `result` or `error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Input,
    Output,
}

impl Direction {
    /// The test type of botocore's ignore list.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }
}

pub struct Suite {
    /// `input_03`: the file's label and the suite's index; the crate directory and the
    /// test module are named after it.
    pub label: String,
    /// The suite's `description` (not unique: legacy suites repeat some).
    pub description: String,
    pub metadata: Value,
    pub shapes: Value,
    /// The suite's `clientEndpoint`, which botocore's runner uses to compute the host.
    pub client_endpoint: Option<String>,
    pub cases: Vec<Case>,
}

pub struct Case {
    /// The case's position in its suite.
    pub index: usize,
    /// The case's `id` (the newer, Smithy-derived suites have one).
    pub id: Option<String>,
    /// The case's own `description`, if any.
    pub description: Option<String>,
    /// `None` when the case has neither `params` nor `response`.
    pub direction: Option<Direction>,
    /// The whole case as in the suite file.
    pub data: Value,
    /// Why the case is not run (botocore's ignore list), if it is not.
    pub skip: Option<String>,
    /// The name of the case's operation in the suite's model (set by [`Suite::model`]).
    pub operation: String,
}

impl Case {
    /// `#3 RestXmlSomething`, for reports.
    pub fn title(&self) -> String {
        match &self.id {
            Some(id) => format!("#{} {id}", self.index),
            None => format!("#{}", self.index),
        }
    }
}

/// botocore's `protocol-tests-ignore-list.json`.
pub struct IgnoreList(Value);

impl IgnoreList {
    pub fn load(path: &Path) -> Result<Self> {
        Ok(IgnoreList(codegen::model::read_json(path)?))
    }

    /// botocore's `_should_ignore_test(protocol, test_type, suite, case)`: the suite's
    /// description or the case's id on the general list or the protocol's list for this
    /// test type. Returns where it was found, as the reason.
    pub fn reason(&self, protocol: &str, direction: Direction, suite: &str, case_id: Option<&str>) -> Option<String> {
        let test_type = direction.as_str();
        let lists = [
            (format!("general.{test_type}"), self.0.pointer(&format!("/general/{test_type}"))),
            (
                format!("protocols.{protocol}.{test_type}"),
                self.0.get("protocols").and_then(|p| p.get(protocol)).and_then(|p| p.get(test_type)),
            ),
        ];
        for (where_, list) in lists {
            let Some(list) = list else { continue };
            let contains = |key: &str, value: &str| {
                list.get(key).and_then(Value::as_array).is_some_and(|items| items.iter().any(|i| i == value))
            };
            if contains("suites", suite) {
                return Some(format!("on botocore's protocol-tests-ignore-list.json ({where_}.suites)"));
            }
            if case_id.is_some_and(|id| contains("cases", id)) {
                return Some(format!("on botocore's protocol-tests-ignore-list.json ({where_}.cases)"));
            }
        }
        None
    }
}

/// Reads a suite file; `label` names it (`input`, `legacy_output`, …).
pub fn load_file(label: &str, path: &Path, protocol: &str, ignore: &IgnoreList) -> Result<Vec<Suite>> {
    let doc = codegen::model::read_json(path)?;
    let Value::Array(suites) = doc else { bail!("{}: expected an array of suites", path.display()) };
    let mut out = Vec::new();
    for (i, suite) in suites.into_iter().enumerate() {
        let what = || format!("{}: suite {i}", path.display());
        let Value::Object(mut suite) = suite else { bail!("{}: not an object", what()) };
        let description = suite.get("description").and_then(Value::as_str).unwrap_or_default().to_owned();
        let Some(Value::Array(raw_cases)) = suite.remove("cases") else { bail!("{}: no `cases`", what()) };
        let mut cases = Vec::new();
        for (j, data) in raw_cases.into_iter().enumerate() {
            let id = data.get("id").and_then(Value::as_str).map(str::to_owned);
            // botocore runs a case as an input test when it has `params` and as an output
            // test when it has `response`, checking the ignore list with that test type.
            let direction = if data.get("params").is_some() {
                Some(Direction::Input)
            } else if data.get("response").is_some() {
                Some(Direction::Output)
            } else {
                None
            };
            let skip = direction.and_then(|d| ignore.reason(protocol, d, &description, id.as_deref()));
            cases.push(Case {
                index: j,
                description: data.get("description").and_then(Value::as_str).map(str::to_owned),
                id,
                direction,
                data,
                skip,
                operation: String::new(),
            });
        }
        out.push(Suite {
            label: format!("{label}_{i:02}"),
            description,
            metadata: suite.remove("metadata").with_context(|| format!("{}: no `metadata`", what()))?,
            shapes: suite.remove("shapes").unwrap_or_else(|| json!({})),
            client_endpoint: suite.get("clientEndpoint").and_then(Value::as_str).map(str::to_owned),
            cases,
        });
    }
    Ok(out)
}

impl Suite {
    /// Whether any case of the suite is to be run.
    pub fn has_runnable_cases(&self) -> bool {
        self.cases.iter().any(|c| c.skip.is_none() && c.direction.is_some())
    }

    /// The suite as a `service-2.json` document: its metadata and shapes, and the
    /// operation of every case that is run, each under a unique name (recorded in
    /// [`Case::operation`]). A `given` without `http` (some legacy output cases) gets
    /// `POST /`, which botocore's parsers never look at.
    pub fn model(&mut self) -> Value {
        let mut operations: Map<String, Value> = Map::new();
        for case in self.cases.iter_mut().filter(|c| c.skip.is_none() && c.direction.is_some()) {
            let mut given = case.data.get("given").cloned().unwrap_or_else(|| json!({}));
            let base = given.get("name").and_then(Value::as_str).unwrap_or("OperationName").to_owned();
            if let Value::Object(map) = &mut given {
                map.entry("http").or_insert_with(|| json!({"method": "POST", "requestUri": "/"}));
            }
            let mut n = 1;
            let name = loop {
                let candidate = if n == 1 { base.clone() } else { format!("{base}{n}") };
                given["name"] = Value::String(candidate.clone());
                match operations.get(&candidate) {
                    None => {
                        operations.insert(candidate.clone(), given.clone());
                        break candidate;
                    }
                    Some(existing) if *existing == given => break candidate,
                    Some(_) => n += 1,
                }
            };
            case.operation = name;
        }
        json!({
            "metadata": self.metadata,
            "operations": operations,
            "shapes": self.shapes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(index: usize, given: Value) -> Case {
        Case {
            index,
            id: None,
            description: None,
            direction: Some(Direction::Input),
            data: json!({"given": given, "params": {}}),
            skip: None,
            operation: String::new(),
        }
    }

    #[test]
    fn operations_with_one_name_and_different_definitions_get_numbered() {
        let a = json!({"name": "OperationName", "http": {"method": "GET", "requestUri": "/"}});
        let b = json!({"name": "OperationName", "http": {"method": "PUT", "requestUri": "/"}});
        let mut suite = Suite {
            label: "legacy_input_00".into(),
            description: "d".into(),
            metadata: json!({"protocol": "rest-xml"}),
            shapes: json!({}),
            client_endpoint: None,
            cases: vec![case(0, a.clone()), case(1, b), case(2, a)],
        };
        let model = suite.model();
        let names: Vec<&str> = suite.cases.iter().map(|c| c.operation.as_str()).collect();
        assert_eq!(names, ["OperationName", "OperationName2", "OperationName"]);
        assert_eq!(model["operations"]["OperationName2"]["http"]["method"], "PUT");
    }

    #[test]
    fn ignore_list_matches_suites_and_case_ids_per_test_type() {
        let list = IgnoreList(json!({
            "general": {"input": {"suites": ["S"]}},
            "protocols": {"rest-xml": {"output": {"cases": ["C"]}}}
        }));
        assert!(list.reason("rest-xml", Direction::Input, "S", None).is_some());
        assert!(list.reason("rest-xml", Direction::Output, "S", None).is_none());
        assert!(list.reason("rest-xml", Direction::Output, "T", Some("C")).is_some());
        assert!(list.reason("rest-xml", Direction::Input, "T", Some("C")).is_none());
        assert!(list.reason("query", Direction::Output, "T", Some("C")).is_none());
    }
}
