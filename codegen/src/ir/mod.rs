//! The intermediate representation: every decision about the generated code is made
//! here, once (Rust names, HTTP and XML bindings, timestamp formats, documentation as
//! Markdown, which shapes become types). Emitters read only this, never the raw model.

pub mod customizations;
mod lower;
pub mod names;
pub mod resources;

pub use lower::lower;

use indexmap::IndexMap;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// A whole service, ready to emit.
#[derive(Debug, Clone)]
pub struct Service {
    /// `Amazon Simple Storage Service`.
    pub title: String,
    /// Service documentation as Markdown.
    pub docs: String,
    pub service_id: String,
    pub api_version: String,
    pub endpoint_prefix: String,
    pub signing_name: String,
    pub protocol: String,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Every shape of the model by name (scalars, lists and maps included, so emitters
    /// can follow a member's target), in sorted name order.
    pub shapes: IndexMap<String, Shape>,
    /// Names of the shapes that become Rust types (structures, unions, enums, event
    /// streams, errors), reachable from some operation, sorted by Rust name.
    pub named_types: Vec<String>,
    pub client_context_params: Vec<ClientContextParam>,
    /// The endpoint rule set and partitions, lowered; `None` for models without one
    /// (`ir::lower` leaves it to the caller, which knows where the files are).
    pub endpoint_rules: Option<crate::endpoint_rules::EndpointRules>,
}

impl Service {
    pub fn shape(&self, name: &str) -> &Shape {
        &self.shapes[name]
    }
}

#[derive(Debug, Clone)]
pub struct ClientContextParam {
    pub name: String,
    pub field: String,
    pub docs: String,
    /// `boolean` or `string`.
    pub ty: String,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub name: String,
    /// `get_object`: the module, client method and file names.
    pub snake: String,
    pub docs: String,
    pub deprecated: Option<String>,
    pub http: HttpBinding,
    /// `<Op>Input`; empty if the model has no input.
    pub input: Structure,
    /// `<Op>Output`; empty if the model has no output.
    pub output: Structure,
    /// Modeled error shapes, in model order.
    pub errors: Vec<String>,
    pub static_context_params: Vec<(String, StaticValue)>,
    pub http_checksum: Option<HttpChecksum>,
    /// `{RequestRoute}.` for WriteGetObjectResponse.
    pub host_prefix: Option<String>,
    pub unsigned_payload: bool,
    pub auth_type: Option<String>,
    /// What botocore does for this operation beyond the model.
    pub customizations: customizations::Customizations,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StaticValue {
    Bool(bool),
    String(String),
}

#[derive(Debug, Clone)]
pub struct HttpChecksum {
    pub request_algorithm_member: Option<String>,
    pub request_checksum_required: bool,
    pub request_validation_mode_member: Option<String>,
    pub response_algorithms: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct HttpBinding {
    pub method: String,
    /// The path part of `requestUri`, labels included (`/{Bucket}/{Key+}`).
    pub path: String,
    /// Literal query parts of `requestUri` (`?list-type=2` → `("list-type", Some("2"))`,
    /// `?uploads` → `("uploads", None)`), in order.
    pub literal_query: Vec<(String, Option<String>)>,
    pub response_code: u16,
}

#[derive(Debug, Clone)]
pub struct Shape {
    pub name: String,
    /// The Rust type name for named types (structures, enums, …).
    pub rust_name: String,
    pub docs: String,
    pub deprecated: Option<String>,
    pub sensitive: bool,
    pub kind: ShapeKind,
}

#[derive(Debug, Clone)]
pub enum ShapeKind {
    Structure(Structure),
    /// Exactly one member set.
    Union(Structure),
    /// An event stream's union of event structures.
    EventStream(Structure),
    Enum(Vec<EnumValue>),
    String,
    Boolean,
    Integer,
    Long,
    Float,
    Double,
    Timestamp,
    Blob { streaming: bool },
    List(Box<Member>),
    Map { key: Box<Member>, value: Box<Member> },
}

impl ShapeKind {
    /// The shapes a list or map holds (its member, or its key and value); none for
    /// other kinds.
    pub fn element_targets(&self) -> Vec<String> {
        match self {
            ShapeKind::List(m) => vec![m.target.clone()],
            ShapeKind::Map { key, value } => vec![key.target.clone(), value.target.clone()],
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub value: String,
    pub variant: String,
}

#[derive(Debug, Clone)]
pub struct Structure {
    /// The model's shape name (for op inputs/outputs, the model's request shape).
    pub name: String,
    pub rust_name: String,
    pub docs: String,
    pub members: Vec<Member>,
    /// The member bound to the HTTP payload, by model name.
    pub payload: Option<String>,
    /// Element name when serialized as an XML document.
    pub xml_name: String,
    pub xml_namespace: Option<XmlNamespace>,
    pub error: Option<ErrorInfo>,
    /// True for event structures of an event stream.
    pub is_event: bool,
}

impl Structure {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
    pub fn has_required(&self) -> bool {
        self.members.iter().any(|m| m.required)
    }
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: String,
    pub http_status: Option<u16>,
    pub sender_fault: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    pub prefix: Option<String>,
    pub uri: String,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// The model's member name (`ContentMD5`).
    pub name: String,
    /// The Rust field/setter name (`content_md5`, `r#type`).
    pub field: String,
    /// The target shape's name.
    pub target: String,
    pub ty: RustType,
    pub docs: String,
    pub required: bool,
    pub deprecated: Option<String>,
    pub sensitive: bool,
    pub location: Location,
    /// The element/attribute name in XML (`locationName` or the member name).
    pub xml_name: String,
    pub xml_attribute: bool,
    pub xml_namespace: Option<XmlNamespace>,
    /// Flattened list or map (member-level or target-level `flattened`).
    pub flattened: bool,
    /// Resolved for timestamp targets: member, then shape, then location default.
    pub timestamp_format: Option<TimestampFormat>,
    /// The format the model states for a timestamp (member or shape), if any: list
    /// items in headers default to HTTP dates, not to the body's ISO 8601.
    pub explicit_timestamp_format: Option<TimestampFormat>,
    /// A string holding a JSON document (`jsonvalue`), sent base64-encoded in headers.
    pub json_value: bool,
    pub streaming: bool,
    pub event_payload: bool,
    pub event_header: bool,
    pub host_label: bool,
    pub idempotency_token: bool,
    pub context_param: Option<String>,
    /// Boxed to break a recursive structure.
    pub boxed: bool,
}

/// Where a member lives in an HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `{Name}` or greedy `{Name+}` in the URI path.
    Uri { label: String, greedy: bool },
    /// A query parameter.
    Query(String),
    /// A map whose entries become query parameters.
    QueryMap,
    Header(String),
    /// A map whose entries become headers starting with this prefix (`x-amz-meta-`).
    PrefixHeaders(String),
    StatusCode,
    /// The member named by the structure's `payload`.
    Payload,
    /// An element of the XML body (or a nested shape's member).
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 / ISO 8601 (`2014-04-29T18:30:38Z`).
    DateTime,
    /// RFC 7231 / RFC 822 (`Tue, 29 Apr 2014 18:30:38 GMT`).
    HttpDate,
    /// Seconds since the epoch.
    EpochSeconds,
}

/// The Rust type of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    Blob,
    ByteStream,
    /// A generated type: structure, union, enum or error.
    Named(String),
    /// A receiver of an event stream's events.
    EventStream(String),
    List(Box<RustType>),
    Map(Box<RustType>, Box<RustType>),
}

/// The Rust type of a member's value (without the `Option`).
pub fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String => quote!(String),
        RustType::Bool => quote!(bool),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::DateTime => quote!(::s3_runtime::DateTime),
        RustType::Blob => quote!(::s3_runtime::Blob),
        RustType::ByteStream => quote!(::s3_runtime::ByteStream),
        RustType::Named(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        RustType::EventStream(name) => {
            let name = ident(name);
            quote!(::s3_runtime::EventReceiver<crate::types::#name>)
        }
        RustType::List(item) => {
            let item = rust_type(item);
            quote!(Vec<#item>)
        }
        RustType::Map(k, v) => {
            let (k, v) = (rust_type(k), rust_type(v));
            quote!(::s3_runtime::IndexMap<#k, #v>)
        }
    }
}

/// Whether values of this type can be cloned and compared (streams cannot).
pub fn is_plain_data(ty: &RustType) -> bool {
    !matches!(ty, RustType::ByteStream | RustType::EventStream(_))
}

/// An identifier from an IR name; `r#type` becomes a raw identifier.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}
