//! `resources-1.json` (boto3's resource model), decoded strictly: every struct denies
//! unknown keys, and each resource is decoded on its own so an error names it
//! (`resources-1.json: resource `Bucket`: unknown field `x``). Checking the names it
//! refers to (operations, shapes, waiters, other resources) is `ir::resources`' job.

use std::path::Path;

use anyhow::{Context, Result};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::read_json;

/// The whole file.
#[derive(Debug, Clone)]
pub struct ResourcesModel {
    /// The file it was read from, for error messages.
    pub file: String,
    pub service: ResourceDef,
    /// By name, in file order.
    pub resources: IndexMap<String, ResourceDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    service: Value,
    resources: IndexMap<String, Value>,
}

/// A resource (or the service resource, which has only actions, `has` and `hasMany`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceDef {
    #[serde(default)]
    pub identifiers: Vec<IdentifierDef>,
    /// The shape of the resource's data.
    pub shape: Option<String>,
    pub load: Option<LoadDef>,
    #[serde(default)]
    pub actions: IndexMap<String, ActionDef>,
    #[serde(default)]
    pub batch_actions: IndexMap<String, ActionDef>,
    #[serde(default)]
    pub waiters: IndexMap<String, WaiterDef>,
    #[serde(default)]
    pub has: IndexMap<String, HasDef>,
    #[serde(default)]
    pub has_many: IndexMap<String, HasManyDef>,
}

/// `{"name": "Key", "memberName": "Key"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IdentifierDef {
    pub name: String,
    /// The member of the resource's shape that holds the identifier too.
    pub member_name: Option<String>,
    /// `integer` for a non-string identifier.
    #[serde(rename = "type")]
    pub ty: Option<String>,
}

/// `load`: the request that fills the resource's data, and where the data is in its response.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadDef {
    pub request: RequestDef,
    pub path: String,
}

/// An action or batch action.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    pub request: RequestDef,
    pub resource: Option<ResourceRefDef>,
    pub path: Option<String>,
}

/// An operation and the parameters the resource fills in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDef {
    pub operation: String,
    #[serde(default)]
    pub params: Vec<ParamDef>,
}

/// A request parameter (`target` a path in the request) or a resource identifier
/// (`target` an identifier name), and where its value comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDef {
    pub target: String,
    /// `identifier`, `data`, `string`, `integer`, `boolean`, `input`, `requestParameter`
    /// or `response`.
    pub source: String,
    pub name: Option<String>,
    pub path: Option<String>,
    pub value: Option<Value>,
}

/// The resource an action, `has` or `hasMany` produces.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceRefDef {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub identifiers: Vec<ParamDef>,
    /// Where the resource's data is in the response.
    pub path: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HasDef {
    pub resource: ResourceRefDef,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HasManyDef {
    pub request: RequestDef,
    pub resource: ResourceRefDef,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WaiterDef {
    pub waiter_name: String,
    #[serde(default)]
    pub params: Vec<ParamDef>,
}

impl ResourcesModel {
    /// Loads `resources-1.json` from `dir`, if it is there.
    pub fn load_dir(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join("resources-1.json");
        if !path.exists() {
            return Ok(None);
        }
        Self::from_value(&path.display().to_string(), read_json(&path)?).map(Some)
    }

    /// Decodes a `resources-1.json` document; `file` names it in error messages.
    pub fn from_value(file: &str, doc: Value) -> Result<Self> {
        let raw: RawFile = serde_json::from_value(doc).with_context(|| format!("{file}: top level"))?;
        let service: ResourceDef =
            serde_json::from_value(raw.service).map_err(|e| anyhow::anyhow!("{file}: service: {e}"))?;
        let mut resources = IndexMap::new();
        for (name, value) in raw.resources {
            let def: ResourceDef =
                serde_json::from_value(value).map_err(|e| anyhow::anyhow!("{file}: resource `{name}`: {e}"))?;
            resources.insert(name, def);
        }
        Ok(ResourcesModel { file: file.to_owned(), service, resources })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn loads_the_pinned_model() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
        let model = ResourcesModel::load_dir(&dir).unwrap().unwrap();
        assert_eq!(model.resources.len(), 18);
        assert_eq!(model.resources["Object"].batch_actions["Delete"].request.operation, "DeleteObjects");
        assert_eq!(model.service.has_many["Buckets"].resource.path.as_deref(), Some("Buckets[]"));
    }

    #[test]
    fn an_unknown_key_names_the_resource() {
        let doc = json!({"service": {}, "resources": {"Thing": {"identifiers": [], "colour": 1}}});
        let err = ResourcesModel::from_value("r.json", doc).unwrap_err().to_string();
        assert!(err.contains("resource `Thing`") && err.contains("colour"), "{err}");
        let doc = json!({"service": {"actions": {"A": {"request": {"operation": "X", "extra": 1}}}}, "resources": {}});
        let err = ResourcesModel::from_value("r.json", doc).unwrap_err().to_string();
        assert!(err.contains("service") && err.contains("extra"), "{err}");
    }
}
