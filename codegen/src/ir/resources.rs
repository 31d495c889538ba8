//! boto3's resources (`resources-1.json`), lowered: every name the model uses is checked
//! against the service (operations, input and output members, shapes, waiters, other
//! resources), each value's source is resolved (identifier, constant, request parameter,
//! response field, caller input) with its Rust type, method names follow boto3's
//! renaming on collisions (`boto3.resources.model.ResourceModel.load_rename_map`), and
//! boto3's S3 injections (`boto3/s3/inject.py`: `Bucket.load` through ListBuckets,
//! `ObjectSummary.load` through HeadObject) become ordinary loads.
//!
//! What the S3 model does not use is refused with an error naming the resource and the
//! key: `data` sources, references (`has` with data identifiers), response `path`s on
//! actions, and collections over operations without a paginator.

use std::collections::BTreeSet;

use anyhow::{anyhow, bail, Result};
use heck::ToSnakeCase;

use super::names::{field_name, snake_name, type_name};
use super::{RustType, Service, ShapeKind, Structure};
use crate::model::resources::{ActionDef, ParamDef, ResourceDef, ResourceRefDef, ResourcesModel};
use crate::paginators::Paginator;
use crate::waiters::Waiter;

/// Every resource of the model, and the service resource.
#[derive(Debug, Clone)]
pub struct ResourceSet {
    /// The service resource (boto3's `ServiceResource`), Rust type `Resources`.
    pub service: Resource,
    /// In the model's order.
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone)]
pub struct Resource {
    /// `ObjectSummary`.
    pub name: String,
    /// The Rust type (`ObjectSummary`; `Resources` for the service resource).
    pub rust_name: String,
    /// `object_summary`: the file name.
    pub snake: String,
    pub identifiers: Vec<Identifier>,
    pub data: Option<Data>,
    pub load: Option<Load>,
    pub actions: Vec<Action>,
    pub subresources: Vec<SubResource>,
    pub collections: Vec<Collection>,
    pub waiters: Vec<ResourceWaiter>,
    /// Batch actions of collections of this resource (`Object`'s `Delete`).
    pub batch_actions: Vec<BatchAction>,
}

#[derive(Debug, Clone)]
pub struct Identifier {
    /// The model's name (`BucketName`).
    pub name: String,
    /// The field and accessor (`bucket_name`).
    pub field: String,
    /// `String`, or the type of the request member it fills (`PartNumber`: `i32`).
    pub ty: RustType,
}

/// The operation an action, load or collection calls, by its Rust names.
#[derive(Debug, Clone)]
pub struct OpRef {
    pub name: String,
    /// `list_objects`: the module and client method.
    pub snake: String,
    /// `ListObjectsOutput`.
    pub output: String,
    /// `ListObjectsError`.
    pub error: String,
    /// `ListObjectsFluentBuilder`.
    pub builder: String,
    pub deprecated: bool,
}

/// The resource's data: the structure it is loaded into, and its attributes.
#[derive(Debug, Clone)]
pub struct Data {
    /// The model's shape (`HeadObjectOutput`).
    pub shape: String,
    pub ty: DataType,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataType {
    /// An operation's output: `crate::operation::<module>::<name>`.
    Output { module: String, name: String },
    /// `crate::types::<name>`.
    Type(String),
}

#[derive(Debug, Clone)]
pub struct Attribute {
    /// The member (`ContentLength`).
    pub member: String,
    /// The field of the data structure (`content_length`).
    pub field: String,
    /// The accessor, after boto3's renaming (`key_attribute`).
    pub method: String,
    pub ty: RustType,
    pub boxed: bool,
    pub docs: String,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub enum Load {
    /// The `load` request; the data is its whole response (`path: "@"`).
    Request { op: OpRef, params: Vec<RequestParam> },
    /// boto3's `bucket_load`: `op` (ListBuckets) once, the data is the entry of `list`
    /// whose `field` equals the identifier `identifier`; none found (or AccessDenied)
    /// leaves the data empty but loaded.
    FindInList { op: OpRef, list: String, field: String, identifier: String },
    /// boto3's `object_summary_load`: `op` (HeadObject) and its response converted into
    /// the resource's shape.
    Convert { op: OpRef, params: Vec<RequestParam>, conversion: Conversion },
}

impl Load {
    pub fn op(&self) -> &OpRef {
        match self {
            Load::Request { op, .. } | Load::FindInList { op, .. } | Load::Convert { op, .. } => op,
        }
    }
}

/// A structure turned into another: fields moved by member name (and `renames`).
#[derive(Debug, Clone)]
pub struct Conversion {
    /// The target structure's Rust path.
    pub to: DataType,
    pub moves: Vec<FieldMove>,
}

#[derive(Debug, Clone)]
pub struct FieldMove {
    pub from: String,
    pub to: String,
    /// Both are enums of different types: converted through their string value.
    pub via_str: bool,
}

/// A request parameter the resource fills in.
#[derive(Debug, Clone)]
pub struct RequestParam {
    /// The input member's setter (`bucket`), then, for a nested target, the fields
    /// below it (`VersioningConfiguration.Status` → `versioning_configuration`, with
    /// `nested` = the `VersioningConfiguration` type and its field `status`).
    pub setter: String,
    pub nested: Option<(String, String, RustType)>,
    pub ty: RustType,
    pub value: ParamValue,
}

#[derive(Debug, Clone)]
pub enum ParamValue {
    /// The resource's identifier field.
    Identifier(String),
    String(String),
    Integer(i64),
    Bool(bool),
}

/// Where a produced resource's identifier comes from.
#[derive(Debug, Clone)]
pub enum IdSource {
    /// The parent's identifier field.
    Identifier(String),
    /// The request's member, read from the fluent builder (`get_key`) before sending.
    RequestParameter { field: String, member: String },
    /// A field of the response.
    Response { field: String, member: String },
    /// An argument of the method.
    Input,
}

#[derive(Debug, Clone)]
pub struct Produced {
    /// The resource's Rust type.
    pub resource: String,
    /// One per identifier of the produced resource, in its order.
    pub identifiers: Vec<(Identifier, IdSource)>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub name: String,
    /// The method, after boto3's renaming.
    pub method: String,
    pub op: OpRef,
    pub params: Vec<RequestParam>,
    pub produces: Option<Produced>,
}

/// `has`: a constructor of another resource.
#[derive(Debug, Clone)]
pub struct SubResource {
    pub name: String,
    pub method: String,
    pub produces: Produced,
}

#[derive(Debug, Clone)]
pub struct ResourceWaiter {
    pub name: String,
    /// `wait_until_exists`.
    pub method: String,
    /// The client waiter (`bucket_exists`).
    pub waiter_snake: String,
    pub waiter_name: String,
    pub params: Vec<RequestParam>,
}

/// `hasMany`.
#[derive(Debug, Clone)]
pub struct Collection {
    pub name: String,
    pub method: String,
    /// `BucketObjectsCollection`.
    pub rust_name: String,
    pub op: OpRef,
    pub params: Vec<RequestParam>,
    /// Input members the caller may set (`filter`): those the resource does not fill.
    pub filters: Vec<super::Member>,
    /// The produced resource's Rust type.
    pub resource: String,
    /// The output's lists the resources come from, in order, each with the conversion
    /// of its items into the resource's data (None: same type), and the item field of
    /// each identifier the response gives.
    pub sources: Vec<ItemSource>,
    /// The produced resource's identifiers: from the parent, or from each item.
    pub identifiers: Vec<(Identifier, IdSource)>,
    pub batch_actions: Vec<BatchAction>,
}

#[derive(Debug, Clone)]
pub struct ItemSource {
    /// The output's list field (`contents`).
    pub list: String,
    pub conversion: Option<Conversion>,
    /// For each identifier the response gives (in the order of `identifiers`), the
    /// item's field.
    pub id_fields: Vec<String>,
}

/// A batch action: one request per page, with the page's resources.
#[derive(Debug, Clone)]
pub struct BatchAction {
    pub name: String,
    pub method: String,
    pub op: OpRef,
    /// Filled from the first resource of the page.
    pub params: Vec<RequestParam>,
    /// `Delete.Objects[].Key`: setter `delete` of type `Delete`, list field `objects` of
    /// items `ObjectIdentifier`, each with fields from identifiers.
    pub setter: String,
    pub container: String,
    pub list: String,
    pub item: String,
    pub item_fields: Vec<(String, String)>,
}

/// Lowers the resource model against the service, its paginators and its waiters.
pub fn lower(model: &ResourcesModel, service: &Service, paginators: &[Paginator], waiters: &[Waiter]) -> Result<ResourceSet> {
    let cx = Cx { model, service, paginators, waiters };
    let service_resource = cx.resource("ServiceResource", &model.service, true)?;
    let mut resources = Vec::new();
    for (name, def) in &model.resources {
        resources.push(cx.resource(name, def, false)?);
    }
    Ok(ResourceSet { service: service_resource, resources })
}

struct Cx<'a> {
    model: &'a ResourcesModel,
    service: &'a Service,
    paginators: &'a [Paginator],
    waiters: &'a [Waiter],
}

/// Methods every resource has besides the model's names.
const FIXED_METHODS: &[&str] = &["new", "client", "data", "load", "reload"];

impl Cx<'_> {
    fn resource(&self, name: &str, def: &ResourceDef, is_service: bool) -> Result<Resource> {
        let file = &self.model.file;
        let at = |what: &str| format!("{file}: resource `{name}`: {what}");
        let renames = rename_map(def, self.shape_members(def).as_deref());
        let method = |category: &str, model_name: &str, snake_case: bool| -> String {
            let base = if snake_case { xform_name(model_name) } else { model_name.to_owned() };
            let python = renames.get(&(category.to_owned(), base.clone())).cloned().unwrap_or(base);
            snake_name(&python)
        };

        let identifiers = def
            .identifiers
            .iter()
            .map(|i| Ok(Identifier { name: i.name.clone(), field: field_name(&i.name), ty: self.identifier_type(def, &i.name) }))
            .collect::<Result<Vec<_>>>()?;
        if let Some(shape) = &def.shape {
            for i in &def.identifiers {
                if let Some(member) = &i.member_name {
                    if self.struct_of_shape(shape).and_then(|s| s.member(member)).is_none() {
                        bail!(at(&format!("identifier `{}`: memberName `{member}` is not a member of `{shape}`", i.name)));
                    }
                }
            }
        }

        let load = self.load(name, def)?;
        let data = match &def.shape {
            Some(shape) => Some(self.data(name, shape, load.as_ref(), &identifiers, &method)?),
            None => None,
        };

        let mut actions = Vec::new();
        for (action_name, action) in &def.actions {
            let at = at(&format!("action `{action_name}`"));
            if action.path.is_some() {
                bail!("{at}: a response `path` is not supported");
            }
            let op = self.op(&action.request.operation, &at)?;
            let params = self.params(&action.request.params, &action.request.operation, &identifiers, &at)?;
            let produces = match &action.resource {
                Some(r) => Some(self.produced(r, &identifiers, Some(&action.request.operation), Some(&action.request.operation), &at)?),
                None => None,
            };
            actions.push(Action { name: action_name.clone(), method: method("action", action_name, true), op, params, produces });
        }

        let mut subresources = Vec::new();
        for (has_name, has) in &def.has {
            let at = at(&format!("has `{has_name}`"));
            if has.resource.identifiers.iter().any(|i| i.source == "data") {
                bail!("{at}: references (identifiers from `data`) are not supported");
            }
            if has.resource.path.is_some() {
                bail!("{at}: a `path` is not supported");
            }
            let produces = self.produced(&has.resource, &identifiers, None, None, &at)?;
            subresources.push(SubResource { name: has_name.clone(), method: method("subresource", has_name, false), produces });
        }

        let mut collections = Vec::new();
        for (many_name, many) in &def.has_many {
            let at = at(&format!("hasMany `{many_name}`"));
            collections.push(self.collection(name, many_name, many, &identifiers, method("collection", many_name, true), &at)?);
        }

        let mut waiters_out = Vec::new();
        for (waiter_name, w) in &def.waiters {
            let at = at(&format!("waiter `{waiter_name}`"));
            let waiter = self
                .waiters
                .iter()
                .find(|x| x.name == w.waiter_name)
                .ok_or_else(|| anyhow!("{at}: waiterName `{}` is not a waiter of the service", w.waiter_name))?;
            let params = self.params(&w.params, &waiter.operation, &identifiers, &at)?;
            waiters_out.push(ResourceWaiter {
                name: waiter_name.clone(),
                method: method("waiter", &format!("WaitUntil{waiter_name}"), true),
                waiter_snake: waiter.snake.clone(),
                waiter_name: waiter.name.clone(),
                params,
            });
        }

        let mut batch_actions = Vec::new();
        for (batch_name, b) in &def.batch_actions {
            let at = at(&format!("batchAction `{batch_name}`"));
            batch_actions.push(self.batch_action(batch_name, b, &identifiers, &at)?);
        }

        let rust_name = if is_service { "Resources".to_owned() } else { type_name(name) };
        let resource = Resource {
            name: name.to_owned(),
            snake: if is_service { "service".to_owned() } else { name.to_snake_case() },
            rust_name,
            identifiers,
            data,
            load,
            actions,
            subresources,
            collections,
            waiters: waiters_out,
            batch_actions,
        };
        check_unique_methods(&resource).map_err(|e| anyhow!("{}: {e}", at("methods")))?;
        Ok(resource)
    }

    fn shape_members(&self, def: &ResourceDef) -> Option<Vec<String>> {
        let shape = def.shape.as_ref()?;
        Some(self.struct_of_shape(shape)?.members.iter().map(|m| m.name.clone()).collect())
    }

    /// The structure of a shape: a named structure, or an operation's output whose model
    /// shape it is.
    fn struct_of_shape(&self, shape: &str) -> Option<&Structure> {
        if let Some(s) = self.service.shapes.get(shape) {
            if let ShapeKind::Structure(st) = &s.kind {
                return Some(st);
            }
        }
        self.service.operations.iter().map(|op| &op.output).find(|o| o.name == shape)
    }

    fn op(&self, name: &str, at: &str) -> Result<OpRef> {
        let op = self
            .service
            .operations
            .iter()
            .find(|o| o.name == name)
            .ok_or_else(|| anyhow!("{at}: operation `{name}` is not in the service model"))?;
        let ty = type_name(&op.name);
        Ok(OpRef {
            name: op.name.clone(),
            snake: op.snake.clone(),
            output: op.output.rust_name.clone(),
            error: format!("{ty}Error"),
            builder: format!("{ty}FluentBuilder"),
            deprecated: op.deprecated.is_some(),
        })
    }

    fn input(&self, op: &str) -> &Structure {
        &self.service.operations.iter().find(|o| o.name == op).expect("checked by op()").input
    }

    fn output(&self, op: &str) -> &Structure {
        &self.service.operations.iter().find(|o| o.name == op).expect("checked by op()").output
    }

    /// An identifier's type: that of the first request member it fills in any request
    /// of the resource, else `String`.
    fn identifier_type(&self, def: &ResourceDef, name: &str) -> RustType {
        let requests = def
            .actions
            .values()
            .map(|a| &a.request)
            .chain(def.load.as_ref().map(|l| &l.request))
            .chain(def.has_many.values().map(|h| &h.request));
        for request in requests {
            for p in &request.params {
                if p.source == "identifier" && p.name.as_deref() == Some(name) && !p.target.contains('.') {
                    if let Some(op) = self.service.operations.iter().find(|o| o.name == request.operation) {
                        if let Some(m) = op.input.member(&p.target) {
                            return m.ty.clone();
                        }
                    }
                }
            }
        }
        RustType::String
    }

    fn params(&self, params: &[ParamDef], op: &str, identifiers: &[Identifier], at: &str) -> Result<Vec<RequestParam>> {
        let input = self.input(op);
        let mut out = Vec::new();
        for p in params {
            let at = format!("{at}: param `{}`", p.target);
            let value = match p.source.as_str() {
                "identifier" => {
                    let name = p.name.as_deref().ok_or_else(|| anyhow!("{at}: an identifier source needs `name`"))?;
                    let id = identifiers
                        .iter()
                        .find(|i| i.name == name)
                        .ok_or_else(|| anyhow!("{at}: `{name}` is not an identifier of the resource"))?;
                    ParamValue::Identifier(id.field.clone())
                }
                "string" => ParamValue::String(
                    p.value.as_ref().and_then(|v| v.as_str()).ok_or_else(|| anyhow!("{at}: `value` is not a string"))?.to_owned(),
                ),
                "integer" => ParamValue::Integer(
                    p.value.as_ref().and_then(|v| v.as_i64()).ok_or_else(|| anyhow!("{at}: `value` is not an integer"))?,
                ),
                "boolean" => ParamValue::Bool(
                    p.value.as_ref().and_then(|v| v.as_bool()).ok_or_else(|| anyhow!("{at}: `value` is not a boolean"))?,
                ),
                "input" => continue,
                other => bail!("{at}: source `{other}` is not supported in a request"),
            };
            let parts: Vec<&str> = p.target.split('.').collect();
            let member = input
                .member(parts[0])
                .ok_or_else(|| anyhow!("{at}: `{}` is not a member of `{}`", parts[0], input.name))?;
            let (nested, ty) = match parts.as_slice() {
                [_] => (None, member.ty.clone()),
                [_, field] => {
                    let RustType::Named(type_rust) = &member.ty else { bail!("{at}: `{}` is not a structure", parts[0]) };
                    let inner = self
                        .struct_of_shape(&member.target)
                        .and_then(|s| s.member(field))
                        .ok_or_else(|| anyhow!("{at}: `{field}` is not a member of `{}`", member.target))?;
                    (Some((type_rust.clone(), inner.field.clone(), inner.ty.clone())), inner.ty.clone())
                }
                _ => bail!("{at}: targets deeper than one structure are not supported"),
            };
            check_value_type(&value, &ty, identifiers).map_err(|e| anyhow!("{at}: {e}"))?;
            out.push(RequestParam { setter: member.field.clone(), nested, ty, value });
        }
        Ok(out)
    }

    /// The resource an action or `has` produces. `request_op` is the operation whose
    /// request `requestParameter` reads, `response_op` the one whose response
    /// `response` reads.
    fn produced(
        &self,
        r: &ResourceRefDef,
        parent_ids: &[Identifier],
        request_op: Option<&str>,
        response_op: Option<&str>,
        at: &str,
    ) -> Result<Produced> {
        let target_def = self
            .model
            .resources
            .get(&r.ty)
            .ok_or_else(|| anyhow!("{at}: resource type `{}` is not defined", r.ty))?;
        let target_ids: Vec<Identifier> = target_def
            .identifiers
            .iter()
            .map(|i| Identifier { name: i.name.clone(), field: field_name(&i.name), ty: self.identifier_type(target_def, &i.name) })
            .collect();
        let mut identifiers = Vec::new();
        for id in &target_ids {
            let p = r
                .identifiers
                .iter()
                .find(|p| p.target == id.name)
                .ok_or_else(|| anyhow!("{at}: identifier `{}` of `{}` has no source", id.name, r.ty))?;
            let source = match p.source.as_str() {
                "identifier" => {
                    let name = p.name.as_deref().unwrap_or_default();
                    let parent = parent_ids
                        .iter()
                        .find(|i| i.name == name)
                        .ok_or_else(|| anyhow!("{at}: `{name}` is not an identifier of the resource"))?;
                    IdSource::Identifier(parent.field.clone())
                }
                "input" => IdSource::Input,
                "requestParameter" => {
                    let path = p.path.as_deref().unwrap_or_default();
                    let op = request_op.ok_or_else(|| anyhow!("{at}: `requestParameter` without a request"))?;
                    let m = self.input(op).member(path).ok_or_else(|| anyhow!("{at}: `{path}` is not a member of {op}'s input"))?;
                    IdSource::RequestParameter { field: m.field.clone(), member: m.name.clone() }
                }
                "response" => {
                    let path = p.path.as_deref().unwrap_or_default();
                    let op = response_op.ok_or_else(|| anyhow!("{at}: `response` without a request"))?;
                    let m = self.output(op).member(path).ok_or_else(|| {
                        anyhow!("{at}: response path `{path}` is not a member of {op}'s output (collections read lists)")
                    })?;
                    IdSource::Response { field: m.field.clone(), member: m.name.clone() }
                }
                other => bail!("{at}: identifier source `{other}` is not supported"),
            };
            identifiers.push((id.clone(), source));
        }
        if let Some(extra) = r.identifiers.iter().find(|p| !target_ids.iter().any(|i| i.name == p.target)) {
            bail!("{at}: `{}` is not an identifier of `{}`", extra.target, r.ty);
        }
        Ok(Produced { resource: type_name(&r.ty), identifiers })
    }

    fn load(&self, name: &str, def: &ResourceDef) -> Result<Option<Load>> {
        let at = format!("{}: resource `{name}`: load", self.model.file);
        let ids: Vec<Identifier> = def
            .identifiers
            .iter()
            .map(|i| Identifier { name: i.name.clone(), field: field_name(&i.name), ty: self.identifier_type(def, &i.name) })
            .collect();
        if let Some(load) = &def.load {
            if load.path != "@" {
                bail!("{at}: path `{}` is not supported (only `@`)", load.path);
            }
            let op = self.op(&load.request.operation, &at)?;
            let params = self.params(&load.request.params, &load.request.operation, &ids, &at)?;
            if def.shape.as_deref() != Some(self.output(&op.name).name.as_str()) {
                bail!("{at}: the shape {:?} is not the output of {}", def.shape, op.name);
            }
            return Ok(Some(Load::Request { op, params }));
        }
        // boto3/s3/inject.py: the loads boto3 adds to S3's resources.
        match name {
            "Bucket" => {
                let op = self.op("ListBuckets", &at)?;
                let list = self.output("ListBuckets").member("Buckets").ok_or_else(|| anyhow!("{at}: ListBuckets has no `Buckets`"))?;
                Ok(Some(Load::FindInList { op, list: list.field.clone(), field: "name".to_owned(), identifier: ids[0].field.clone() }))
            }
            "ObjectSummary" => {
                let op = self.op("HeadObject", &at)?;
                let params = vec![
                    RequestParam { setter: "bucket".into(), nested: None, ty: RustType::String, value: ParamValue::Identifier("bucket_name".into()) },
                    RequestParam { setter: "key".into(), nested: None, ty: RustType::String, value: ParamValue::Identifier("key".into()) },
                ];
                let shape = def.shape.as_deref().unwrap_or_default();
                let conversion = self.conversion(self.output("HeadObject"), shape, &[("ContentLength", "Size")], &at)?;
                Ok(Some(Load::Convert { op, params, conversion }))
            }
            _ => Ok(None),
        }
    }

    fn data_type(&self, shape: &str) -> Option<DataType> {
        if let Some(s) = self.service.shapes.get(shape) {
            if matches!(s.kind, ShapeKind::Structure(_)) && self.service.named_types.iter().any(|n| n == shape) {
                return Some(DataType::Type(s.rust_name.clone()));
            }
        }
        let op = self.service.operations.iter().find(|o| o.output.name == shape)?;
        Some(DataType::Output { module: op.snake.clone(), name: op.output.rust_name.clone() })
    }

    fn data(
        &self,
        name: &str,
        shape: &str,
        load: Option<&Load>,
        ids: &[Identifier],
        method: &dyn Fn(&str, &str, bool) -> String,
    ) -> Result<Data> {
        let at = format!("{}: resource `{name}`: shape `{shape}`", self.model.file);
        // With a load request, the data is its output (the shape may be shared with an input).
        let ty = match load {
            Some(Load::Request { op, .. }) => DataType::Output { module: op.snake.clone(), name: op.output.clone() },
            _ => self.data_type(shape).ok_or_else(|| anyhow!("{at}: not a structure of the service"))?,
        };
        let st = match load {
            Some(Load::Request { op, .. }) => self.output(&op.name),
            _ => self.struct_of_shape(shape).ok_or_else(|| anyhow!("{at}: not a structure"))?,
        };
        // boto3's `ResourceModel.get_attributes`: a member named like an identifier is
        // not an attribute (the identifier is read instead).
        let attributes = st
            .members
            .iter()
            .filter(|m| !ids.iter().any(|i| i.field == field_name(&m.name)))
            .map(|m| Attribute {
                member: m.name.clone(),
                field: m.field.clone(),
                method: method("attribute", &m.name, true),
                ty: m.ty.clone(),
                boxed: m.boxed,
                docs: m.docs.clone(),
                deprecated: m.deprecated.is_some(),
            })
            .collect();
        Ok(Data { shape: shape.to_owned(), ty, attributes })
    }

    /// `from`'s members moved into the structure `to` by name (and `renames`); every
    /// member of `from` that `to` has must be convertible.
    fn conversion(&self, from: &Structure, to: &str, renames: &[(&str, &str)], at: &str) -> Result<Conversion> {
        let to_ty = self.data_type(to).ok_or_else(|| anyhow!("{at}: `{to}` is not a structure"))?;
        let target = self.struct_of_shape(to).ok_or_else(|| anyhow!("{at}: `{to}` is not a structure"))?;
        let mut moves = Vec::new();
        for m in &from.members {
            let to_name = renames.iter().find(|(f, _)| *f == m.name).map(|(_, t)| *t).unwrap_or(&m.name);
            let Some(t) = target.member(to_name) else { continue };
            let via_str = match (&m.ty, &t.ty) {
                (a, b) if a == b => false,
                (RustType::Named(a), RustType::Named(b)) if self.is_enum(a) && self.is_enum(b) => true,
                _ => bail!("{at}: `{}.{}` cannot become `{to}.{to_name}` (types differ)", from.name, m.name),
            };
            moves.push(FieldMove { from: m.field.clone(), to: t.field.clone(), via_str });
        }
        Ok(Conversion { to: to_ty, moves })
    }

    fn is_enum(&self, rust_name: &str) -> bool {
        self.service.shapes.values().any(|s| s.rust_name == rust_name && matches!(s.kind, ShapeKind::Enum(_)))
    }

    fn collection(
        &self,
        parent: &str,
        name: &str,
        many: &crate::model::resources::HasManyDef,
        parent_ids: &[Identifier],
        method: String,
        at: &str,
    ) -> Result<Collection> {
        let op_name = &many.request.operation;
        let op = self.op(op_name, at)?;
        if !self.paginators.iter().any(|p| &p.operation == op_name) {
            bail!("{at}: `{op_name}` has no paginator (collections without one are not supported)");
        }
        let params = self.params(&many.request.params, op_name, parent_ids, at)?;
        let fixed: BTreeSet<&str> = params.iter().map(|p| p.setter.as_str()).collect();
        let input = self.input(op_name);
        let filters = input.members.iter().filter(|m| !fixed.contains(m.field.as_str())).cloned().collect();

        let r = &many.resource;
        let target_def = self.model.resources.get(&r.ty).ok_or_else(|| anyhow!("{at}: resource type `{}` is not defined", r.ty))?;
        let output = self.output(op_name);
        // `Contents[]` or `[Versions,DeleteMarkers]|[]`: the lists the items come from.
        let path = r.path.as_deref().ok_or_else(|| anyhow!("{at}: a collection needs a resource `path`"))?;
        let lists = parse_list_path(path).ok_or_else(|| anyhow!("{at}: path `{path}` is not supported"))?;
        let shape = target_def.shape.as_deref().ok_or_else(|| anyhow!("{at}: `{}` has no shape", r.ty))?;
        let target_ids: Vec<Identifier> = target_def
            .identifiers
            .iter()
            .map(|i| Identifier { name: i.name.clone(), field: field_name(&i.name), ty: self.identifier_type(target_def, &i.name) })
            .collect();

        let mut identifiers = Vec::new();
        let mut response_fields: Vec<String> = Vec::new();
        for id in &target_ids {
            let p = r
                .identifiers
                .iter()
                .find(|p| p.target == id.name)
                .ok_or_else(|| anyhow!("{at}: identifier `{}` of `{}` has no source", id.name, r.ty))?;
            let source = match p.source.as_str() {
                "identifier" => {
                    let n = p.name.as_deref().unwrap_or_default();
                    let parent = parent_ids.iter().find(|i| i.name == n).ok_or_else(|| anyhow!("{at}: `{n}` is not an identifier of `{parent}`"))?;
                    IdSource::Identifier(parent.field.clone())
                }
                // The request's parameter is one the parent fills from its identifiers.
                "requestParameter" => {
                    let path = p.path.as_deref().unwrap_or_default();
                    let rp = many
                        .request
                        .params
                        .iter()
                        .find(|q| q.target == path && q.source == "identifier")
                        .ok_or_else(|| anyhow!("{at}: requestParameter `{path}` is not filled from an identifier"))?;
                    let n = rp.name.as_deref().unwrap_or_default();
                    let parent = parent_ids.iter().find(|i| i.name == n).ok_or_else(|| anyhow!("{at}: `{n}` is not an identifier"))?;
                    IdSource::Identifier(parent.field.clone())
                }
                "response" => {
                    let path = p.path.as_deref().unwrap_or_default();
                    let field = path
                        .strip_prefix(path_prefix(path))
                        .filter(|_| Some(path_prefix(path)) == r.path.as_deref())
                        .and_then(|f| f.strip_prefix('.'))
                        .ok_or_else(|| anyhow!("{at}: response path `{path}` does not read the items of `{}`", r.path.as_deref().unwrap_or("")))?;
                    response_fields.push(field.to_owned());
                    IdSource::Response { field: field_name(field), member: field.to_owned() }
                }
                other => bail!("{at}: identifier source `{other}` is not supported in a collection"),
            };
            identifiers.push((id.clone(), source));
        }

        let mut sources = Vec::new();
        for list in lists {
            let m = output.member(&list).ok_or_else(|| anyhow!("{at}: `{list}` is not a member of {op_name}'s output"))?;
            let ShapeKind::List(item) = &self.service.shape(&m.target).kind else { bail!("{at}: `{list}` is not a list") };
            let item_struct = self.struct_of_shape(&item.target).ok_or_else(|| anyhow!("{at}: `{list}` items are not structures"))?;
            let conversion = if item.target == shape { None } else { Some(self.conversion(item_struct, shape, &[], at)?) };
            let mut id_fields = Vec::new();
            for f in &response_fields {
                let fm = item_struct.member(f).ok_or_else(|| anyhow!("{at}: `{f}` is not a member of `{}`", item.target))?;
                id_fields.push(fm.field.clone());
            }
            sources.push(ItemSource { list: m.field.clone(), conversion, id_fields });
        }

        let batch_actions = target_def
            .batch_actions
            .iter()
            .map(|(n, b)| self.batch_action(n, b, &target_ids, &format!("{at}: batchAction `{n}`")))
            .collect::<Result<Vec<_>>>()?;
        Ok(Collection {
            name: name.to_owned(),
            method,
            rust_name: format!("{}{}Collection", type_name(parent), type_name(name)),
            op,
            params,
            filters,
            resource: type_name(&r.ty),
            sources,
            identifiers,
            batch_actions,
        })
    }

    fn batch_action(&self, name: &str, b: &ActionDef, ids: &[Identifier], at: &str) -> Result<BatchAction> {
        let op = self.op(&b.request.operation, at)?;
        let input = self.input(&b.request.operation);
        let mut plain = Vec::new();
        let mut list_target: Option<(String, String, String, String)> = None;
        let mut item_fields = Vec::new();
        for p in &b.request.params {
            let Some((head, rest)) = p.target.split_once('.') else {
                plain.push(p.clone());
                continue;
            };
            let (list, field) = rest
                .split_once("[].")
                .or_else(|| rest.split_once("[*]."))
                .ok_or_else(|| anyhow!("{at}: target `{}` is not `A.B[].C`", p.target))?;
            let member = input.member(head).ok_or_else(|| anyhow!("{at}: `{head}` is not a member of `{}`", input.name))?;
            let container = self.struct_of_shape(&member.target).ok_or_else(|| anyhow!("{at}: `{head}` is not a structure"))?;
            let list_m = container.member(list).ok_or_else(|| anyhow!("{at}: `{list}` is not a member of `{}`", member.target))?;
            let ShapeKind::List(item) = &self.service.shape(&list_m.target).kind else { bail!("{at}: `{list}` is not a list") };
            let item_struct = self.struct_of_shape(&item.target).ok_or_else(|| anyhow!("{at}: `{list}` items are not structures"))?;
            let f = item_struct.member(field).ok_or_else(|| anyhow!("{at}: `{field}` is not a member of `{}`", item.target))?;
            if p.source != "identifier" {
                bail!("{at}: `{}` must come from an identifier", p.target);
            }
            let n = p.name.as_deref().unwrap_or_default();
            let id = ids.iter().find(|i| i.name == n).ok_or_else(|| anyhow!("{at}: `{n}` is not an identifier"))?;
            let key = (member.field.clone(), self.service.shape(&member.target).rust_name.clone(), list_m.field.clone(), self.service.shape(&item.target).rust_name.clone());
            if list_target.as_ref().is_some_and(|t| t != &key) {
                bail!("{at}: batch params fill more than one list");
            }
            list_target = Some(key);
            item_fields.push((f.field.clone(), id.field.clone()));
        }
        let params = self.params(&plain, &b.request.operation, ids, at)?;
        let (setter, container, list, item) = list_target.ok_or_else(|| anyhow!("{at}: no parameter fills a list"))?;
        Ok(BatchAction { name: name.to_owned(), method: xform_name(name), op, params, setter, container, list, item, item_fields })
    }
}

/// `Contents[]` → `["Contents"]`; `[Versions,DeleteMarkers]|[]` → both.
fn parse_list_path(path: &str) -> Option<Vec<String>> {
    if let Some(list) = path.strip_suffix("[]") {
        if !list.contains(['[', ']', '.', '|', ',']) {
            return Some(vec![list.to_owned()]);
        }
    }
    let inner = path.strip_prefix('[')?.strip_suffix("]|[]")?;
    Some(inner.split(',').map(|s| s.trim().to_owned()).collect())
}

/// The list part of an item path: `Contents[].Key` → `Contents[]`.
fn path_prefix(path: &str) -> &str {
    match path.rfind("[]") {
        Some(i) => &path[..i + 2],
        None => "",
    }
}

fn check_value_type(value: &ParamValue, ty: &RustType, ids: &[Identifier]) -> Result<()> {
    let ok = match value {
        ParamValue::Identifier(field) => ids.iter().find(|i| &i.field == field).is_some_and(|i| &i.ty == ty),
        ParamValue::String(_) => matches!(ty, RustType::String | RustType::Named(_)),
        ParamValue::Integer(_) => matches!(ty, RustType::I32 | RustType::I64),
        ParamValue::Bool(_) => matches!(ty, RustType::Bool),
    };
    if ok {
        Ok(())
    } else {
        bail!("a {value:?} cannot fill a member of type {ty:?}")
    }
}

/// botocore's `xform_name`: `DeleteObjects` → `delete_objects`, `WaitUntilExists` →
/// `wait_until_exists`.
pub fn xform_name(name: &str) -> String {
    name.to_snake_case()
}

/// boto3's `ResourceModel.load_rename_map`: names in order of precedence (load,
/// identifiers, actions, subresources, collections, waiters, attributes); a later
/// name equal to an earlier one gets `_<category>`. Keys are (category, name).
pub fn rename_map(def: &ResourceDef, shape_members: Option<&[String]>) -> std::collections::BTreeMap<(String, String), String> {
    let mut names: BTreeSet<String> = BTreeSet::from(["meta".to_owned()]);
    let mut renamed = std::collections::BTreeMap::new();
    if def.load.is_some() {
        names.insert("load".to_owned());
    }
    let mut add = |names: &mut BTreeSet<String>, name: &str, category: &str, snake: bool| {
        let name = if snake { xform_name(name) } else { name.to_owned() };
        if names.contains(&name) {
            let new = format!("{name}_{category}");
            renamed.insert((category.to_owned(), name), new.clone());
            names.insert(new);
        } else {
            names.insert(name);
        }
    };
    for i in &def.identifiers {
        add(&mut names, &i.name, "identifier", true);
    }
    for name in def.actions.keys() {
        add(&mut names, name, "action", true);
    }
    for name in def.has.keys() {
        add(&mut names, name, "subresource", false);
    }
    for name in def.has_many.keys() {
        add(&mut names, name, "collection", true);
    }
    for name in def.waiters.keys() {
        add(&mut names, &format!("WaitUntil{name}"), "waiter", true);
    }
    for m in shape_members.unwrap_or_default() {
        add(&mut names, m, "attribute", true);
    }
    renamed
}

/// Rust has one namespace for a type's methods: no two may share a name.
fn check_unique_methods(r: &Resource) -> Result<()> {
    let mut seen: BTreeSet<&str> = FIXED_METHODS.iter().copied().collect();
    let names = r
        .identifiers
        .iter()
        .map(|i| i.field.as_str())
        .chain(r.actions.iter().map(|a| a.method.as_str()))
        .chain(r.subresources.iter().map(|s| s.method.as_str()))
        .chain(r.collections.iter().map(|c| c.method.as_str()))
        .chain(r.waiters.iter().map(|w| w.method.as_str()))
        .chain(r.data.iter().flat_map(|d| d.attributes.iter().map(|a| a.method.as_str())));
    for name in names {
        if !seen.insert(name) {
            bail!("two methods would be named `{name}`");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn lowered() -> ResourceSet {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
        let model = crate::model::ServiceModel::load_dir(&dir).unwrap();
        let service = crate::ir::lower(&model).unwrap();
        let extras = crate::load_extras(&dir, &service).unwrap();
        extras.resources.unwrap()
    }

    #[test]
    fn all_eighteen_resources_with_boto3_renames() {
        let set = lowered();
        assert_eq!(set.resources.len(), 18);
        let get = |n: &str| set.resources.iter().find(|r| r.name == n).unwrap();
        let attrs = |n: &str| get(n).data.as_ref().unwrap().attributes.iter().map(|a| a.method.clone()).collect::<Vec<_>>();
        // boto3: a member named like an identifier is no attribute (`ObjectSummary.key`
        // is the identifier; there is no `key_attribute`).
        assert!(!attrs("ObjectSummary").iter().any(|a| a.starts_with("key")));
        assert!(attrs("ObjectSummary").contains(&"size".to_owned()));
        assert!(!attrs("Bucket").iter().any(|a| a.starts_with("name")));
        assert!(!attrs("MultipartUploadPart").iter().any(|a| a.starts_with("part_number")));
        assert!(attrs("Object").contains(&"content_length".to_owned()));
        let part = get("MultipartUploadPart");
        assert_eq!(part.identifiers.iter().map(|i| i.ty.clone()).collect::<Vec<_>>()[3], RustType::I32);
        assert_eq!(get("Object").waiters[0].method, "wait_until_exists");
        assert!(matches!(get("ObjectSummary").load, Some(Load::Convert { .. })));
        assert!(matches!(get("Bucket").load, Some(Load::FindInList { .. })));
        let versions = get("Bucket").collections.iter().find(|c| c.name == "ObjectVersions").unwrap();
        assert_eq!(versions.sources.iter().map(|s| s.list.as_str()).collect::<Vec<_>>(), ["versions", "delete_markers"]);
        assert!(versions.sources[1].conversion.is_some());
        assert_eq!(versions.batch_actions[0].item_fields.len(), 2);
    }

    #[test]
    fn renames_follow_boto3_precedence() {
        let def: ResourceDef = serde_json::from_value(serde_json::json!({
            "identifiers": [{"name": "Id"}],
            "actions": {"Id": {"request": {"operation": "X"}}},
            "hasMany": {"Id": {"request": {"operation": "X"}, "resource": {"type": "T"}}}
        }))
        .unwrap();
        let map = rename_map(&def, Some(&["Id".to_owned()]));
        assert_eq!(map[&("action".to_owned(), "id".to_owned())], "id_action");
        assert_eq!(map[&("collection".to_owned(), "id".to_owned())], "id_collection");
        assert_eq!(map[&("attribute".to_owned(), "id".to_owned())], "id_attribute");
    }

    #[test]
    fn an_unknown_operation_is_named() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3");
        let service = crate::ir::lower(&crate::model::ServiceModel::load_dir(&dir).unwrap()).unwrap();
        let doc = serde_json::json!({"service": {}, "resources": {"Thing": {"identifiers": [{"name": "Name"}],
            "actions": {"Poke": {"request": {"operation": "PokeBucket"}}}}}});
        let model = ResourcesModel::from_value("r.json", doc).unwrap();
        let err = lower(&model, &service, &[], &[]).unwrap_err().to_string();
        assert!(err.contains("resource `Thing`") && err.contains("PokeBucket"), "{err}");
    }

    /// `ir` is read by `emit`, never the other way round.
    #[test]
    fn ir_does_not_reference_emit() {
        let sources = [
            include_str!("mod.rs"),
            include_str!("lower.rs"),
            include_str!("names.rs"),
            include_str!("customizations.rs"),
            include_str!("resources.rs"),
            include_str!("../paginators.rs"),
            include_str!("../waiters.rs"),
        ];
        let needle = ["crate", "::emit"].concat();
        for s in sources {
            assert!(!s.contains(&needle) && !s.contains(&["super::super", "::emit"].concat()));
        }
    }
}
