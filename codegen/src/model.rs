//! A faithful serde mirror of botocore's `service-2.json`.
//!
//! Every struct here denies unknown keys, and each operation and shape is decoded on its
//! own, so a model update that adds a key we do not understand fails loudly with the
//! file, the shape (or operation) and the key, instead of being silently half-read.
//! After decoding, [`ServiceModel::validate`] checks that every shape reference resolves.
//!
//! The `merge` section of `service-2.sdk-extras.json` is applied before decoding, the
//! way botocore's loader does it (a recursive dictionary merge).

pub mod resources;

use std::path::Path;

use anyhow::{bail, Context, Result};
use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// `service-2.json`, decoded.
#[derive(Debug, Clone)]
pub struct ServiceModel {
    /// The file it was read from, for error messages.
    pub file: String,
    pub version: Option<String>,
    pub metadata: Metadata,
    pub documentation: Option<String>,
    pub operations: IndexMap<String, Operation>,
    pub shapes: IndexMap<String, Shape>,
    pub client_context_params: IndexMap<String, ClientContextParam>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    pub api_version: Option<String>,
    pub checksum_format: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub global_endpoint: Option<String>,
    pub protocol: String,
    #[serde(default)]
    pub protocols: Vec<String>,
    pub service_abbreviation: Option<String>,
    pub service_full_name: Option<String>,
    pub service_id: Option<String>,
    pub signature_version: Option<String>,
    pub signing_name: Option<String>,
    pub uid: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    pub timestamp_format: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientContextParam {
    pub documentation: Option<String>,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    pub http: Http,
    pub input: Option<OperationRef>,
    pub output: Option<OperationRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    pub documentation: Option<String>,
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub static_context_params: IndexMap<String, StaticContextParam>,
    pub http_checksum: Option<HttpChecksum>,
    pub authtype: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    pub endpoint: Option<EndpointTrait>,
    #[serde(default)]
    pub unsigned_payload: bool,
    #[serde(default)]
    pub idempotent: bool,
    #[serde(default)]
    pub http_checksum_required: bool,
    pub alias: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Http {
    pub method: String,
    pub request_uri: String,
    pub response_code: Option<u16>,
}

/// An operation's `input` or `output`: a shape reference that may carry XML naming.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperationRef {
    pub shape: String,
    pub location_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    pub documentation: Option<String>,
    pub result_wrapper: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeRef {
    pub shape: String,
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticContextParam {
    pub value: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HttpChecksum {
    pub request_algorithm_member: Option<String>,
    #[serde(default)]
    pub request_checksum_required: bool,
    pub request_validation_mode_member: Option<String>,
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EndpointTrait {
    pub host_prefix: String,
}

/// `xmlNamespace` is either a bare URI string or `{prefix, uri}`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum XmlNamespace {
    Uri(String),
    Full {
        #[serde(default)]
        prefix: Option<String>,
        uri: String,
    },
}

impl XmlNamespace {
    pub fn prefix(&self) -> Option<&str> {
        match self {
            XmlNamespace::Uri(_) => None,
            XmlNamespace::Full { prefix, .. } => prefix.as_deref(),
        }
    }
    pub fn uri(&self) -> &str {
        match self {
            XmlNamespace::Uri(uri) | XmlNamespace::Full { uri, .. } => uri,
        }
    }
}

/// One entry of `shapes`. botocore uses a single flat dictionary for every shape type;
/// which keys are meaningful depends on `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub members: IndexMap<String, Member>,
    pub member: Option<Member>,
    pub key: Option<Member>,
    pub value: Option<Member>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub payload: Option<String>,
    #[serde(default)]
    pub flattened: bool,
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    pub timestamp_format: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub event: bool,
    #[serde(default)]
    pub eventstream: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub synthetic: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub requires_length: bool,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    /// Legacy models put `location` (and `locationName`) on the shape itself; botocore
    /// applies them to every member that targets the shape without its own.
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub xml_order: Vec<String>,
    #[serde(default)]
    pub jsonvalue: bool,
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErrorTrait {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

/// A structure member, or a list's `member`, or a map's `key`/`value`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Member {
    pub shape: String,
    pub documentation: Option<String>,
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    pub context_param: Option<ContextParamRef>,
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub xml_attribute: bool,
    #[serde(default)]
    pub flattened: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub eventpayload: bool,
    #[serde(default)]
    pub eventheader: bool,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default)]
    pub jsonvalue: bool,
    pub timestamp_format: Option<String>,
    pub default: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextParamRef {
    pub name: String,
}

/// The top-level keys of `service-2.json`, each decoded separately for precise errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawService {
    version: Option<String>,
    metadata: Value,
    #[serde(default)]
    operations: IndexMap<String, Value>,
    #[serde(default)]
    shapes: IndexMap<String, Value>,
    documentation: Option<String>,
    #[serde(default)]
    client_context_params: IndexMap<String, Value>,
}

impl ServiceModel {
    /// Reads `service-2.json` from `dir`, merging `service-2.sdk-extras.json` if present.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let path = dir.join("service-2.json");
        let mut doc = read_json(&path)?;
        let extras_path = dir.join("service-2.sdk-extras.json");
        if extras_path.exists() {
            let extras = read_json(&extras_path)?;
            if let Some(merge) = extras.get("merge") {
                merge_json(&mut doc, merge);
            }
        }
        Self::from_value(&path.display().to_string(), doc)
    }

    /// Decodes a `service-2.json` document; `file` names it in error messages.
    pub fn from_value(file: &str, doc: Value) -> Result<Self> {
        let raw: RawService =
            serde_json::from_value(doc).with_context(|| format!("{file}: top level"))?;
        let metadata = decode(raw.metadata, || format!("{file}: metadata"))?;
        let mut operations = IndexMap::new();
        for (name, value) in raw.operations {
            let op: Operation = decode(value, || format!("{file}: operation `{name}`"))?;
            operations.insert(name, op);
        }
        let mut shapes = IndexMap::new();
        for (name, value) in raw.shapes {
            let shape: Shape = decode(value, || format!("{file}: shape `{name}`"))?;
            shapes.insert(name, shape);
        }
        let mut client_context_params = IndexMap::new();
        for (name, value) in raw.client_context_params {
            let p = decode(value, || format!("{file}: clientContextParams `{name}`"))?;
            client_context_params.insert(name, p);
        }
        let model = ServiceModel {
            file: file.to_owned(),
            version: raw.version,
            metadata,
            documentation: raw.documentation,
            operations,
            shapes,
            client_context_params,
        };
        model.validate()?;
        Ok(model)
    }

    /// Checks that every shape reference resolves and that each shape has the keys its
    /// type needs.
    pub fn validate(&self) -> Result<()> {
        let file = &self.file;
        let check = |owner: &str, key: &str, target: &str| -> Result<()> {
            if !self.shapes.contains_key(target) {
                bail!("{file}: {owner}: key `{key}` refers to shape `{target}`, which is not defined");
            }
            Ok(())
        };
        for (name, op) in &self.operations {
            let owner = format!("operation `{name}`");
            if let Some(input) = &op.input {
                check(&owner, "input", &input.shape)?;
            }
            if let Some(output) = &op.output {
                check(&owner, "output", &output.shape)?;
            }
            for err in &op.errors {
                check(&owner, "errors", &err.shape)?;
            }
        }
        for (name, shape) in &self.shapes {
            let owner = format!("shape `{name}`");
            for (member_name, member) in &shape.members {
                check(&owner, &format!("members.{member_name}"), &member.shape)?;
            }
            for (key, member) in [("member", &shape.member), ("key", &shape.key), ("value", &shape.value)] {
                if let Some(member) = member {
                    check(&owner, key, &member.shape)?;
                }
            }
            match shape.ty.as_str() {
                "list" if shape.member.is_none() => bail!("{file}: {owner}: a list needs key `member`"),
                "map" if shape.key.is_none() || shape.value.is_none() => {
                    bail!("{file}: {owner}: a map needs keys `key` and `value`")
                }
                "structure" => {
                    for required in &shape.required {
                        if !shape.members.contains_key(required) {
                            bail!("{file}: {owner}: key `required` names `{required}`, which is not a member");
                        }
                    }
                    if let Some(payload) = &shape.payload {
                        if !shape.members.contains_key(payload) {
                            bail!("{file}: {owner}: key `payload` names `{payload}`, which is not a member");
                        }
                    }
                }
                "list" | "map" | "string" | "integer" | "long" | "boolean" | "timestamp"
                | "blob" | "float" | "double" | "bigdecimal" | "biginteger" | "byte" | "short"
                | "character" => {}
                other => bail!("{file}: {owner}: key `type` has unknown value `{other}`"),
            }
        }
        Ok(())
    }
}

fn decode<T: DeserializeOwned>(value: Value, what: impl Fn() -> String) -> Result<T> {
    serde_json::from_value(value).map_err(|err| anyhow::anyhow!("{}: {err}", what()))
}

/// Reads and parses a JSON file, naming it in any error.
pub fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}

/// botocore's `merge_dicts`: objects merge recursively, anything else is replaced.
pub fn merge_json(target: &mut Value, extra: &Value) {
    match (target, extra) {
        (Value::Object(target), Value::Object(extra)) => {
            for (key, value) in extra {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge_json(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, extra) => *target = extra.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal(shapes: Value) -> Value {
        json!({
            "metadata": {"protocol": "rest-xml"},
            "operations": {"Op": {"name": "Op", "http": {"method": "GET", "requestUri": "/"}, "input": {"shape": "In"}}},
            "shapes": shapes
        })
    }

    #[test]
    fn unknown_key_names_file_shape_and_key() {
        let doc = minimal(json!({"In": {"type": "structure", "members": {}, "surprise": 1}}));
        let err = ServiceModel::from_value("svc.json", doc).unwrap_err().to_string();
        assert!(err.contains("svc.json"), "{err}");
        assert!(err.contains("shape `In`"), "{err}");
        assert!(err.contains("surprise"), "{err}");
    }

    #[test]
    fn unknown_member_key_is_an_error() {
        let doc = minimal(json!({
            "In": {"type": "structure", "members": {"A": {"shape": "S", "xmlWhatever": true}}},
            "S": {"type": "string"}
        }));
        let err = ServiceModel::from_value("svc.json", doc).unwrap_err().to_string();
        assert!(err.contains("shape `In`") && err.contains("xmlWhatever"), "{err}");
    }

    #[test]
    fn dangling_reference_names_shape_and_key() {
        let doc = minimal(json!({"In": {"type": "structure", "members": {"A": {"shape": "Missing"}}}}));
        let err = ServiceModel::from_value("svc.json", doc).unwrap_err().to_string();
        assert!(err.contains("shape `In`") && err.contains("members.A") && err.contains("Missing"), "{err}");
    }

    #[test]
    fn dangling_operation_input() {
        let doc = minimal(json!({}));
        let err = ServiceModel::from_value("svc.json", doc).unwrap_err().to_string();
        assert!(err.contains("operation `Op`") && err.contains("`In`"), "{err}");
    }

    #[test]
    fn merge_replaces_leaves_and_merges_objects() {
        let mut doc = json!({"shapes": {"Expires": {"type": "string", "documentation": "d"}}});
        merge_json(&mut doc, &json!({"shapes": {"Expires": {"type": "timestamp"}}}));
        assert_eq!(doc, json!({"shapes": {"Expires": {"type": "timestamp", "documentation": "d"}}}));
    }

    #[test]
    fn the_pinned_s3_model_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
        let model = ServiceModel::load_dir(&dir).unwrap();
        assert_eq!(model.operations.len(), 116);
        assert_eq!(model.shapes["Expires"].ty, "timestamp");
    }
}
