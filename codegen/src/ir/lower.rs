//! Lowering: [`crate::model::ServiceModel`] → [`Service`].

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use indexmap::IndexMap;

use super::names::{field_name, snake_name, type_name, variant_name};
use super::*;
use crate::docs::html_to_markdown;
use crate::model::{self, ServiceModel};

/// Lowers a decoded model to the IR, resolving names, bindings and documentation.
pub fn lower(model: &ServiceModel) -> Result<Service> {
    let lowerer = Lowerer { model };
    let mut sorted_names: Vec<&String> = model.shapes.keys().collect();
    sorted_names.sort();
    let mut shapes = IndexMap::new();
    for name in sorted_names {
        shapes.insert(name.clone(), lowerer.shape(name)?);
    }
    let mut operations = Vec::new();
    for (name, op) in &model.operations {
        operations.push(lowerer.operation(name, op)?);
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));

    let mut service = Service {
        title: model.metadata.service_full_name.clone().unwrap_or_default(),
        docs: html_to_markdown(model.documentation.as_deref().unwrap_or_default()),
        service_id: model.metadata.service_id.clone().unwrap_or_default(),
        api_version: model.metadata.api_version.clone().unwrap_or_default(),
        endpoint_prefix: model.metadata.endpoint_prefix.clone().unwrap_or_default(),
        signing_name: model
            .metadata
            .signing_name
            .clone()
            .or_else(|| model.metadata.endpoint_prefix.clone())
            .unwrap_or_default(),
        protocol: model.metadata.protocol.clone(),
        operations,
        shapes,
        named_types: Vec::new(),
        client_context_params: model
            .client_context_params
            .iter()
            .map(|(name, p)| ClientContextParam {
                name: name.clone(),
                field: field_name(name),
                docs: html_to_markdown(p.documentation.as_deref().unwrap_or_default()),
                ty: p.ty.clone(),
            })
            .collect(),
        endpoint_rules: None,
    };
    mark_recursive_members(&mut service);
    super::customizations::apply(&mut service);
    service.named_types = reachable_named_types(&service)?;
    Ok(service)
}

struct Lowerer<'a> {
    model: &'a ServiceModel,
}

impl Lowerer<'_> {
    fn shape(&self, name: &str) -> Result<Shape> {
        let shape = &self.model.shapes[name];
        let kind = match shape.ty.as_str() {
            "structure" => {
                let s = self.structure(name, &type_name(name), None)?;
                if shape.eventstream {
                    ShapeKind::EventStream(s)
                } else if shape.union {
                    ShapeKind::Union(s)
                } else {
                    ShapeKind::Structure(s)
                }
            }
            "string" | "character" => match &shape.enum_values {
                Some(values) => ShapeKind::Enum(enum_values(name, values)?),
                None => ShapeKind::String,
            },
            "boolean" => ShapeKind::Boolean,
            "integer" | "short" | "byte" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "timestamp" => ShapeKind::Timestamp,
            "blob" => ShapeKind::Blob { streaming: shape.streaming },
            "list" => {
                let member = shape.member.as_ref().expect("validated");
                ShapeKind::List(Box::new(self.member(name, "member", member, false, None, "member")?))
            }
            "map" => {
                let key = shape.key.as_ref().expect("validated");
                let value = shape.value.as_ref().expect("validated");
                ShapeKind::Map {
                    key: Box::new(self.member(name, "key", key, false, None, "key")?),
                    value: Box::new(self.member(name, "value", value, false, None, "value")?),
                }
            }
            other => bail!("{}: shape `{name}`: type `{other}` is not supported", self.model.file),
        };
        Ok(Shape {
            name: name.to_owned(),
            rust_name: type_name(name),
            docs: docs_or(shape.documentation.as_deref(), || format!("The `{name}` shape.")),
            deprecated: deprecation(shape.deprecated, shape.deprecated_message.as_deref()),
            sensitive: shape.sensitive,
            kind,
        })
    }

    /// A structure; `op` is set when it is an operation's input or output.
    fn structure(&self, name: &str, rust_name: &str, op: Option<(&model::Operation, &model::OperationRef)>) -> Result<Structure> {
        let shape = &self.model.shapes[name];
        let mut members = Vec::new();
        for (member_name, member) in &shape.members {
            let required = shape.required.contains(member_name);
            let uri = op.map(|(op, _)| op.http.request_uri.as_str());
            let mut lowered = self.member(name, member_name, member, required, uri, member_name)?;
            if shape.payload.as_deref() == Some(member_name.as_str()) && op.is_some() {
                lowered.location = Location::Payload;
            }
            members.push(lowered);
        }
        let ns = op
            .and_then(|(_, r)| r.xml_namespace.as_ref())
            .or(shape.xml_namespace.as_ref());
        let xml_name = op
            .and_then(|(_, r)| r.location_name.clone())
            .or_else(|| shape.location_name.clone())
            .unwrap_or_else(|| name.to_owned());
        Ok(Structure {
            name: name.to_owned(),
            rust_name: rust_name.to_owned(),
            docs: docs_or(shape.documentation.as_deref(), || format!("The `{name}` structure.")),
            members,
            payload: shape.payload.clone(),
            xml_name,
            xml_namespace: ns.map(xml_namespace),
            error: shape.exception.then(|| ErrorInfo {
                code: shape.error.as_ref().and_then(|e| e.code.clone()).unwrap_or_else(|| name.to_owned()),
                http_status: shape.error.as_ref().and_then(|e| e.http_status_code),
                sender_fault: shape.error.as_ref().is_some_and(|e| e.sender_fault),
            }),
            is_event: shape.event,
        })
    }

    fn member(
        &self,
        owner: &str,
        name: &str,
        member: &model::Member,
        required: bool,
        request_uri: Option<&str>,
        default_xml_name: &str,
    ) -> Result<Member> {
        let target = &self.model.shapes[&member.shape];
        let location_name = member.location_name.clone().or_else(|| target.location_name.clone());
        let location = match member.location.as_deref().or(target.location.as_deref()) {
            None => Location::Body,
            Some("uri") => {
                let label = location_name.clone().unwrap_or_else(|| name.to_owned());
                let greedy = request_uri.is_some_and(|uri| uri.contains(&format!("{{{label}+}}")));
                Location::Uri { label, greedy }
            }
            Some("querystring") if target.ty == "map" => Location::QueryMap,
            Some("querystring") => Location::Query(location_name.clone().unwrap_or_else(|| name.to_owned())),
            Some("header") => Location::Header(location_name.clone().unwrap_or_else(|| name.to_owned())),
            Some("headers") => Location::PrefixHeaders(location_name.clone().unwrap_or_default()),
            Some("statusCode") => Location::StatusCode,
            Some(other) => bail!(
                "{}: shape `{owner}`: member `{name}`: key `location` has unknown value `{other}`",
                self.model.file
            ),
        };
        let explicit_timestamp_format = member
            .timestamp_format
            .as_deref()
            .or(target.timestamp_format.as_deref())
            .map(|format| match format {
                "rfc822" => TimestampFormat::HttpDate,
                "unixTimestamp" => TimestampFormat::EpochSeconds,
                _ => TimestampFormat::DateTime,
            });
        let default_format = match location {
            Location::Header(_) => TimestampFormat::HttpDate,
            _ => TimestampFormat::DateTime,
        };
        let timestamp_format = (target.ty == "timestamp").then_some(explicit_timestamp_format.unwrap_or(default_format));
        let streaming = member.streaming || target.streaming;
        Ok(Member {
            name: name.to_owned(),
            field: field_name(name),
            target: member.shape.clone(),
            ty: self.rust_type(&member.shape, streaming),
            docs: docs_or(member.documentation.as_deref().or(target.documentation.as_deref()), || {
                format!("The `{name}` value.")
            }),
            required,
            deprecated: deprecation(member.deprecated, member.deprecated_message.as_deref()),
            sensitive: target.sensitive,
            location,
            xml_name: location_name.unwrap_or_else(|| default_xml_name.to_owned()),
            xml_attribute: member.xml_attribute,
            xml_namespace: member.xml_namespace.as_ref().map(xml_namespace),
            flattened: member.flattened || target.flattened,
            timestamp_format,
            explicit_timestamp_format,
            json_value: member.jsonvalue || target.jsonvalue,
            streaming,
            event_payload: member.eventpayload,
            event_header: member.eventheader,
            host_label: member.host_label,
            idempotency_token: member.idempotency_token,
            context_param: member.context_param.as_ref().map(|c| c.name.clone()),
            boxed: false,
        })
    }

    fn rust_type(&self, shape_name: &str, streaming: bool) -> RustType {
        let shape = &self.model.shapes[shape_name];
        match shape.ty.as_str() {
            "structure" if shape.eventstream => RustType::EventStream(type_name(shape_name)),
            "structure" => RustType::Named(type_name(shape_name)),
            "string" if shape.enum_values.is_some() => RustType::Named(type_name(shape_name)),
            "string" | "character" => RustType::String,
            "boolean" => RustType::Bool,
            "integer" | "short" | "byte" => RustType::I32,
            "long" => RustType::I64,
            "float" => RustType::F32,
            "double" => RustType::F64,
            "timestamp" => RustType::DateTime,
            "blob" if streaming || shape.streaming => RustType::ByteStream,
            "blob" => RustType::Blob,
            "list" => RustType::List(Box::new(self.rust_type(&shape.member.as_ref().expect("validated").shape, false))),
            "map" => RustType::Map(
                Box::new(self.rust_type(&shape.key.as_ref().expect("validated").shape, false)),
                Box::new(self.rust_type(&shape.value.as_ref().expect("validated").shape, false)),
            ),
            _ => RustType::String,
        }
    }

    fn operation(&self, name: &str, op: &model::Operation) -> Result<Operation> {
        let (path, query) = op.http.request_uri.split_once('?').unwrap_or((&op.http.request_uri, ""));
        let literal_query = query
            .split('&')
            .filter(|part| !part.is_empty())
            .map(|part| match part.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (part.to_owned(), None),
            })
            .collect();
        let io = |r: Option<&model::OperationRef>, suffix: &str| -> Result<Structure> {
            let rust_name = format!("{}{suffix}", type_name(name));
            match r {
                Some(r) => self.structure(&r.shape, &rust_name, Some((op, r))),
                None => Ok(Structure {
                    name: rust_name.clone(),
                    rust_name,
                    docs: String::new(),
                    members: Vec::new(),
                    payload: None,
                    xml_name: String::new(),
                    xml_namespace: None,
                    error: None,
                    is_event: false,
                }),
            }
        };
        let mut input = io(op.input.as_ref(), "Input")?;
        let mut output = io(op.output.as_ref(), "Output")?;
        input.docs = format!("The input of [`{}`](crate::Client::{}).", name, snake_name(name));
        output.docs = format!("The output of [`{}`](crate::Client::{}).", name, snake_name(name));
        Ok(Operation {
            name: name.to_owned(),
            snake: snake_name(name),
            docs: docs_or(op.documentation.as_deref(), || format!("The `{name}` operation.")),
            deprecated: deprecation(op.deprecated, op.deprecated_message.as_deref()),
            http: HttpBinding {
                method: op.http.method.clone(),
                path: path.to_owned(),
                literal_query,
                response_code: op.http.response_code.unwrap_or(200),
            },
            input,
            output,
            errors: op.errors.iter().map(|e| e.shape.clone()).collect(),
            static_context_params: op
                .static_context_params
                .iter()
                .map(|(k, v)| {
                    let value = match &v.value {
                        serde_json::Value::Bool(b) => StaticValue::Bool(*b),
                        serde_json::Value::String(s) => StaticValue::String(s.clone()),
                        other => bail!(
                            "{}: operation `{name}`: staticContextParams `{k}` has unsupported value {other}",
                            self.model.file
                        ),
                    };
                    Ok((k.clone(), value))
                })
                .collect::<Result<_>>()?,
            http_checksum: op.http_checksum.as_ref().map(|c| HttpChecksum {
                request_algorithm_member: c.request_algorithm_member.clone(),
                request_checksum_required: c.request_checksum_required || op.http_checksum_required,
                request_validation_mode_member: c.request_validation_mode_member.clone(),
                response_algorithms: c.response_algorithms.clone(),
            }),
            host_prefix: op.endpoint.as_ref().map(|e| e.host_prefix.clone()),
            unsigned_payload: op.unsigned_payload,
            auth_type: op.authtype.clone(),
            customizations: Default::default(),
        })
    }
}

fn enum_values(shape: &str, values: &[String]) -> Result<Vec<EnumValue>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for value in values {
        let mut variant = variant_name(value);
        if variant == "Unknown" {
            variant = "UnknownValue".to_owned();
        }
        let base = variant.clone();
        let mut n = 2;
        while !seen.insert(variant.clone()) {
            variant = format!("{base}{n}");
            n += 1;
        }
        if out.iter().any(|v: &EnumValue| &v.value == value) {
            bail!("shape `{shape}`: enum value `{value}` appears twice");
        }
        out.push(EnumValue { value: value.clone(), variant });
    }
    Ok(out)
}

fn xml_namespace(ns: &model::XmlNamespace) -> XmlNamespace {
    XmlNamespace { prefix: ns.prefix().map(str::to_owned), uri: ns.uri().to_owned() }
}

fn deprecation(deprecated: bool, message: Option<&str>) -> Option<String> {
    deprecated.then(|| message.unwrap_or("Deprecated in the service model.").to_owned())
}

fn docs_or(html: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    let md = html_to_markdown(html.unwrap_or_default());
    if md.trim().is_empty() {
        fallback()
    } else {
        md
    }
}

/// Structure members that lead back to their own structure without passing through a
/// list or map are boxed, so the Rust type has a finite size.
fn mark_recursive_members(service: &mut Service) {
    // direct edges: structure → structures it holds by value
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, shape) in &service.shapes {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &shape.kind {
            let targets = s.members.iter().filter(|m| matches!(m.ty, RustType::Named(_))).map(|m| m.target.clone());
            edges.insert(name.clone(), targets.collect());
        }
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.extend(edges.get(&next).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut boxed = Vec::new();
    for (name, shape) in &service.shapes {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &shape.kind {
            for (i, m) in s.members.iter().enumerate() {
                if edges.contains_key(&m.target) && reaches(&m.target, name) {
                    boxed.push((name.clone(), i));
                }
            }
        }
    }
    for (name, i) in boxed {
        if let Some(Shape { kind: ShapeKind::Structure(s) | ShapeKind::Union(s), .. }) = service.shapes.get_mut(&name) {
            s.members[i].boxed = true;
        }
    }
}

/// The shapes that become Rust types, sorted by Rust name; two shapes may not map to
/// the same Rust name.
fn reachable_named_types(service: &Service) -> Result<Vec<String>> {
    let mut stack: Vec<String> = Vec::new();
    for op in &service.operations {
        for m in op.input.members.iter().chain(&op.output.members) {
            stack.push(m.target.clone());
        }
        stack.extend(op.errors.iter().cloned());
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match &service.shape(&name).kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) | ShapeKind::EventStream(s) => {
                stack.extend(s.members.iter().map(|m| m.target.clone()))
            }
            ShapeKind::List(m) => stack.push(m.target.clone()),
            ShapeKind::Map { key, value } => {
                stack.push(key.target.clone());
                stack.push(value.target.clone());
            }
            _ => {}
        }
    }
    let mut named: Vec<(String, bool, String)> = seen
        .into_iter()
        .filter_map(|name| {
            let shape = service.shape(&name);
            let is_error = matches!(&shape.kind, ShapeKind::Structure(s) if s.error.is_some());
            match shape.kind {
                ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::EventStream(_) | ShapeKind::Enum(_) => {
                    Some((shape.rust_name.clone(), is_error, name))
                }
                _ => None,
            }
        })
        .collect();
    named.sort();
    for pair in named.windows(2) {
        if pair[0].0 == pair[1].0 && pair[0].1 == pair[1].1 {
            bail!("shapes `{}` and `{}` would both become the Rust type `{}`", pair[0].2, pair[1].2, pair[0].0);
        }
    }
    Ok(named.into_iter().map(|(_, _, name)| name).collect())
}
