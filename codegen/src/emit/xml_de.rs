//! XML response bodies: one reader function per structure or union that a response can
//! carry, following botocore's `BaseXMLResponseParser`: children are matched by local
//! name in any order, unknown elements are skipped, flattened lists collect every
//! occurrence, wrapped lists take every child, maps read `entry`/`key`/`value`, and
//! `xmlAttribute` members come from the element's attributes.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use super::xml_ser::timestamp_format;
use crate::ir::{Location, Member, Service, ShapeKind, Structure, TimestampFormat};

/// The name of the reader function of a structure or union shape.
pub(crate) fn reader_fn(service: &Service, shape: &str) -> proc_macro2::Ident {
    format_ident!("read_{}", crate::ir::names::snake_name(&service.shape(shape).rust_name).trim_start_matches("r#"))
}

/// The element name a member is found under in its parent: for a flattened list whose
/// member has a name, that name (botocore's `_member_key_name`), else the member's.
fn element_name(service: &Service, m: &Member) -> String {
    if m.flattened {
        if let ShapeKind::List(item) = &service.shape(&m.target).kind {
            if item.xml_name != "member" {
                return item.xml_name.clone();
            }
        }
    }
    m.xml_name.clone()
}

/// An expression reading a value of `m`'s type from the element `node`, and whether it
/// is a `Result<T, XmlError>` (`true`) or a plain `T` (`false`).
pub(crate) fn read_expr(service: &Service, m: &Member, node: TokenStream) -> (TokenStream, bool) {
    let (value, fallible) = match &service.shape(&m.target).kind {
        ShapeKind::String => (quote!(::s3_runtime::xml::text(#node).into_owned()), false),
        ShapeKind::Enum(_) => {
            let ty = super::rust_type(&m.ty);
            (quote!(#ty::from(::s3_runtime::xml::text(#node).as_ref())), false)
        }
        ShapeKind::Boolean => (quote!(::s3_runtime::xml::parse_bool(#node)), true),
        ShapeKind::Integer => (quote!(::s3_runtime::xml::parse_i32(#node)), true),
        ShapeKind::Long => (quote!(::s3_runtime::xml::parse_i64(#node)), true),
        ShapeKind::Float => (quote!(::s3_runtime::xml::parse_f32(#node)), true),
        ShapeKind::Double => (quote!(::s3_runtime::xml::parse_f64(#node)), true),
        ShapeKind::Timestamp => {
            let format = timestamp_format(m.timestamp_format.unwrap_or(TimestampFormat::DateTime));
            let value = quote!(::s3_runtime::DateTime::parse(&::s3_runtime::xml::text(#node), #format)
                .map_err(|e| ::s3_runtime::xml::XmlError::at(#node, e.to_string())));
            (value, true)
        }
        ShapeKind::Blob { .. } => {
            let value = quote!(::s3_runtime::encoding::base64_decode(&::s3_runtime::xml::text(#node))
                .map(::s3_runtime::Blob::new)
                .map_err(|e| ::s3_runtime::xml::XmlError::at(#node, e.to_string())));
            (value, true)
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = reader_fn(service, &m.target);
            (quote!(crate::xml_de::#f(#node)), true)
        }
        ShapeKind::List(item) => {
            let (read_item, item_fallible) = read_expr(service, item, quote!(item));
            if item_fallible {
                (quote!(::s3_runtime::xml::child_elements(#node).map(|item| #read_item).collect::<Result<Vec<_>, _>>()), true)
            } else {
                (quote!(::s3_runtime::xml::child_elements(#node).map(|item| #read_item).collect::<Vec<_>>()), false)
            }
        }
        ShapeKind::Map { key, value } => {
            let entry = read_map_entry(service, key, value);
            let value = quote!(::s3_runtime::xml::child_elements(#node).map(|entry| #entry).collect::<Result<::s3_runtime::IndexMap<_, _>, _>>());
            (value, true)
        }
        ShapeKind::EventStream(_) => {
            (quote!(Err(::s3_runtime::xml::XmlError::at(#node, "an event stream cannot be read from XML"))), true)
        }
    };
    match (m.boxed, fallible) {
        (true, true) => (quote!((#value).map(Box::new)), true),
        (true, false) => (quote!(Box::new(#value)), false),
        (false, _) => (value, fallible),
    }
}

/// `read_expr` followed by `?` when it can fail: a plain value expression.
pub(crate) fn read_value(service: &Service, m: &Member, node: TokenStream) -> TokenStream {
    match read_expr(service, m, node) {
        (value, true) => quote!(#value?),
        (value, false) => value,
    }
}

/// `Result<(K, V), XmlError>` from one `<entry>` (or flattened map element).
fn read_map_entry(service: &Service, key: &Member, value: &Member) -> TokenStream {
    let (key_name, value_name) = (&key.xml_name, &value.xml_name);
    let read_key = read_value(service, key, quote!(child));
    let read_val = read_value(service, value, quote!(child));
    quote!({
        let mut k = None;
        let mut v = None;
        for child in ::s3_runtime::xml::child_elements(entry) {
            match ::s3_runtime::xml::name(child) {
                #key_name => k = Some(#read_key),
                #value_name => v = Some(#read_val),
                _ => {}
            }
        }
        match (k, v) {
            (Some(k), Some(v)) => Ok((k, v)),
            _ => Err(::s3_runtime::xml::XmlError::at(entry, "a map entry needs a key and a value")),
        }
    })
}

/// Match arms assigning the body members of a structure from a child element `child`
/// into `out`.
pub(crate) fn member_arms<'a>(service: &Service, members: impl Iterator<Item = &'a Member>) -> Vec<TokenStream> {
    // Members that share an element name (a deprecated `Event` beside a flattened
    // `Event` list) are all assigned from it, as botocore hands the same nodes to both.
    let mut arms: Vec<(String, Vec<TokenStream>)> = Vec::new();
    // Members bound to the URI or query of an output are read from the body, as botocore
    // does; only headers and the status code come from elsewhere.
    let from_body = |m: &&Member| {
        !matches!(m.location, Location::Header(_) | Location::PrefixHeaders(_) | Location::StatusCode) && !m.xml_attribute
    };
    for m in members.filter(from_body) {
        let field = ident(&m.field);
        let name = element_name(service, m);
        let assign = match &service.shape(&m.target).kind {
            ShapeKind::List(item) if m.flattened => {
                let read_item = read_value(service, item, quote!(child));
                quote!(out.#field.get_or_insert_with(Vec::new).push(#read_item);)
            }
            ShapeKind::Map { key, value } if m.flattened => {
                let entry = read_map_entry(service, key, value);
                quote! {
                    let entry = child;
                    let (k, v) = #entry?;
                    out.#field.get_or_insert_with(Default::default).insert(k, v);
                }
            }
            _ => {
                let read = read_value(service, m, quote!(child));
                quote!(out.#field = Some(#read);)
            }
        };
        match arms.iter_mut().find(|(n, _)| *n == name) {
            Some((_, body)) => body.push(assign),
            None => arms.push((name, vec![assign])),
        }
    }
    arms.into_iter().map(|(name, body)| quote!(#name => { #(#body)* })).collect()
}

/// Statements reading `xmlAttribute` members of `node` into `out`.
pub(crate) fn attribute_reads(service: &Service, s: &Structure) -> Vec<TokenStream> {
    s.members
        .iter()
        .filter(|m| m.xml_attribute)
        .map(|m| {
            let field = ident(&m.field);
            let name = &m.xml_name;
            let value = match &service.shape(&m.target).kind {
                ShapeKind::Enum(_) => {
                    let ty = super::rust_type(&m.ty);
                    quote!(#ty::from(v))
                }
                _ => quote!(v.to_owned()),
            };
            quote!(if let Some(v) = ::s3_runtime::xml::attribute(node, #name) { out.#field = Some(#value); })
        })
        .collect()
}

/// Every structure/union shape some response (or modeled error) reads from XML.
pub(crate) fn shapes_read(service: &Service) -> BTreeSet<String> {
    let mut stack = Vec::new();
    for op in &service.operations {
        for m in &op.output.members {
            if matches!(m.location, Location::Payload | Location::Body) {
                stack.push(m.target.clone());
            }
        }
        stack.extend(op.errors.iter().cloned());
    }
    let mut out = BTreeSet::new();
    while let Some(name) = stack.pop() {
        match &service.shape(&name).kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) if out.insert(name.clone()) => {
                stack.extend(s.members.iter().map(|m| m.target.clone()));
            }
            // Events are built from messages (`emit::event_stream`); what their payloads
            // carry, and modeled exceptions, are read from XML.
            ShapeKind::EventStream(s) => {
                for m in &s.members {
                    match &service.shape(&m.target).kind {
                        ShapeKind::Structure(e) if e.error.is_some() => stack.push(m.target.clone()),
                        ShapeKind::Structure(e) => {
                            stack.extend(e.members.iter().filter(|m| !m.event_header).map(|m| m.target.clone()))
                        }
                        _ => {}
                    }
                }
            }
            other => stack.extend(other.element_targets()),
        }
    }
    out
}

/// `src/xml_de.rs`: the reader functions.
pub(crate) fn xml_de_rs(service: &Service) -> TokenStream {
    let read = shapes_read(service);
    let uses = (!read.is_empty()).then(|| {
        quote! {
            use ::s3_runtime::xml::Node;
            use ::s3_runtime::xml::XmlError;
        }
    });
    let fns = read.into_iter().map(|name| {
        let shape = service.shape(&name);
        match &shape.kind {
            ShapeKind::Structure(s) => structure_reader(service, &name, s),
            ShapeKind::Union(s) => union_reader(service, &name, s),
            _ => unreachable!("only structures and unions are read"),
        }
    });
    quote! {
        //! Readers of XML response bodies, one per structure or union.
        #![allow(deprecated, clippy::match_single_binding, clippy::single_match)]

        #uses

        #(#fns)*
    }
}

fn structure_reader(service: &Service, name: &str, s: &Structure) -> TokenStream {
    let f = reader_fn(service, name);
    let ty = ident(&s.rust_name);
    let path = if s.error.is_some() { quote!(crate::types::error::#ty) } else { quote!(crate::types::#ty) };
    let arms = member_arms(service, s.members.iter());
    let attrs = attribute_reads(service, s);
    let loop_ = if arms.is_empty() {
        quote!()
    } else {
        quote! {
            for child in ::s3_runtime::xml::child_elements(node) {
                match ::s3_runtime::xml::name(child) {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    let mut_kw = if arms.is_empty() && attrs.is_empty() { quote!() } else { quote!(mut) };
    let node_param = if arms.is_empty() && attrs.is_empty() { quote!(_node) } else { quote!(node) };
    quote! {
        pub(crate) fn #f(#node_param: Node<'_, '_>) -> Result<#path, XmlError> {
            let #mut_kw out = #path::default();
            #loop_
            #(#attrs)*
            Ok(out)
        }
    }
}

fn union_reader(service: &Service, name: &str, s: &Structure) -> TokenStream {
    let f = reader_fn(service, name);
    let ty = ident(&s.rust_name);
    let arms = s.members.iter().map(|m| {
        let variant = ident(&crate::ir::names::type_name(&m.name));
        let name = element_name(service, m);
        let read = read_value(service, m, quote!(child));
        quote!(#name => return Ok(crate::types::#ty::#variant(#read)),)
    });
    quote! {
        pub(crate) fn #f(node: Node<'_, '_>) -> Result<crate::types::#ty, XmlError> {
            for child in ::s3_runtime::xml::child_elements(node) {
                match ::s3_runtime::xml::name(child) {
                    #(#arms)*
                    _ => {}
                }
            }
            match ::s3_runtime::xml::child_elements(node).next() {
                Some(child) => Ok(crate::types::#ty::Unknown(::s3_runtime::xml::name(child).to_owned())),
                None => Err(XmlError::at(node, "a union needs one member")),
            }
        }
    }
}
