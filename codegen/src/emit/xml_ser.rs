//! XML request bodies: one writer function per structure or union that a request can
//! carry, following botocore's `RestXMLSerializer` (members in model order, wrapped or
//! flattened lists, `entry`/`key`/`value` maps, namespaces and `xmlAttribute` members
//! on the element they belong to).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::ir::{Member, Service, ShapeKind, Structure, TimestampFormat, XmlNamespace};

/// The name of the writer function of a structure or union shape.
pub(crate) fn writer_fn(service: &Service, shape: &str) -> proc_macro2::Ident {
    format_ident!("write_{}", crate::ir::names::snake_name(&service.shape(shape).rust_name).trim_start_matches("r#"))
}

/// `xmlns` attributes for an element: the member's namespace, else the target's.
pub(crate) fn namespace_attrs(member_ns: Option<&XmlNamespace>, target_ns: Option<&XmlNamespace>) -> TokenStream {
    match member_ns.or(target_ns) {
        Some(ns) => {
            let name = match &ns.prefix {
                Some(prefix) => format!("xmlns:{prefix}"),
                None => "xmlns".to_owned(),
            };
            let uri = &ns.uri;
            quote!(&[(#name, #uri)])
        }
        None => quote!(&[]),
    }
}

fn shape_namespace<'a>(service: &'a Service, shape: &str) -> Option<&'a XmlNamespace> {
    match &service.shape(shape).kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => s.xml_namespace.as_ref(),
        _ => None,
    }
}

/// Statements writing `value` (an expression of the member's Rust type, by reference)
/// as the element `name`.
pub(crate) fn write_value(service: &Service, member: &Member, name: &str, value: TokenStream) -> TokenStream {
    let target = service.shape(&member.target);
    match &target.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = writer_fn(service, &member.target);
            let attrs = namespace_attrs(member.xml_namespace.as_ref(), shape_namespace(service, &member.target));
            quote!(crate::xml_ser::#f(w, #name, #attrs, #value);)
        }
        ShapeKind::List(item) => {
            let item_value = quote!(item);
            if member.flattened {
                let write_item = write_value(service, item, name, item_value);
                quote!(for item in #value { #write_item })
            } else {
                let item_name = item.xml_name.clone();
                let write_item = write_value(service, item, &item_name, item_value);
                let attrs = namespace_attrs(member.xml_namespace.as_ref(), None);
                quote! {
                    w.start(#name, #attrs);
                    for item in #value { #write_item }
                    w.end(#name);
                }
            }
        }
        ShapeKind::Map { key, value: val } => {
            let (key_name, value_name) = (key.xml_name.clone(), val.xml_name.clone());
            let write_key = write_value(service, key, &key_name, quote!(k));
            let write_val = write_value(service, val, &value_name, quote!(v));
            if member.flattened {
                return quote! {
                    for (k, v) in #value {
                        w.start(#name, &[]);
                        #write_key
                        #write_val
                        w.end(#name);
                    }
                };
            }
            let attrs = namespace_attrs(member.xml_namespace.as_ref(), None);
            quote! {
                w.start(#name, #attrs);
                for (k, v) in #value {
                    w.start("entry", &[]);
                    #write_key
                    #write_val
                    w.end("entry");
                }
                w.end(#name);
            }
        }
        _ => {
            let text = scalar_text(service, member, value);
            match &member.xml_namespace {
                None => quote!(w.text_element(#name, &#text);),
                Some(_) => {
                    let attrs = namespace_attrs(member.xml_namespace.as_ref(), None);
                    quote! {
                        w.start(#name, #attrs);
                        w.text(&#text);
                        w.end(#name);
                    }
                }
            }
        }
    }
}

/// A `String` expression with the text of a scalar value, as botocore writes it in XML.
pub(crate) fn scalar_text(service: &Service, member: &Member, value: TokenStream) -> TokenStream {
    match &service.shape(&member.target).kind {
        ShapeKind::String => quote!(String::from(#value.as_str())),
        ShapeKind::Enum(_) => quote!(String::from(#value.as_str())),
        ShapeKind::Boolean | ShapeKind::Integer | ShapeKind::Long => quote!(#value.to_string()),
        ShapeKind::Float => quote!(::s3_runtime::encoding::fmt_float32(*#value)),
        ShapeKind::Double => quote!(::s3_runtime::encoding::fmt_float(*#value)),
        ShapeKind::Timestamp => {
            let format = timestamp_format(member.timestamp_format.unwrap_or(TimestampFormat::DateTime));
            quote!(#value.fmt(#format))
        }
        ShapeKind::Blob { .. } => quote!(::s3_runtime::encoding::base64_encode(#value.as_bytes())),
        _ => quote!(String::new()),
    }
}

pub(crate) fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(::s3_runtime::DateTimeFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::s3_runtime::DateTimeFormat::HttpDate),
        TimestampFormat::EpochSeconds => quote!(::s3_runtime::DateTimeFormat::EpochSeconds),
    }
}

/// Every structure/union shape that some request writes as XML, sorted by name.
pub(crate) fn shapes_written(service: &Service) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = Vec::new();
    for op in &service.operations {
        for m in &op.input.members {
            if matches!(m.location, crate::ir::Location::Payload | crate::ir::Location::Body) {
                stack.push(m.target.clone());
            }
        }
    }
    while let Some(name) = stack.pop() {
        match &service.shape(&name).kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) if out.insert(name.clone()) => {
                stack.extend(s.members.iter().map(|m| m.target.clone()));
            }
            other => stack.extend(other.element_targets()),
        }
    }
    out
}

/// `src/xml_ser.rs`: the writer functions.
pub(crate) fn xml_ser_rs(service: &Service) -> TokenStream {
    let written = shapes_written(service);
    let uses = (!written.is_empty()).then(|| quote!(use ::s3_runtime::xml::XmlWriter;));
    let fns = written.into_iter().map(|name| {
        let shape = service.shape(&name);
        match &shape.kind {
            ShapeKind::Structure(s) => structure_writer(service, &name, s),
            ShapeKind::Union(s) => union_writer(service, &name, s),
            _ => unreachable!("only structures and unions are written"),
        }
    });
    quote! {
        //! Writers of XML request bodies, one per structure or union.
        #![allow(deprecated, clippy::ptr_arg)]

        #uses

        #(#fns)*
    }
}

/// `w.start(name, …)` with the namespace `attrs` and then the `xmlAttribute` members of
/// `value` (an expression of the structure), in that order, as botocore writes them.
pub(crate) fn start_with_attributes(service: &Service, members: &[Member], name: TokenStream, attrs: TokenStream, value: TokenStream) -> TokenStream {
    let attr_members: Vec<&Member> = members.iter().filter(|m| m.xml_attribute).collect();
    if attr_members.is_empty() {
        return quote!(w.start(#name, #attrs););
    }
    let pushes = attr_members.iter().map(|m| {
        let field = ident(&m.field);
        let attr = &m.xml_name;
        let text = scalar_text(service, m, quote!(v));
        quote!(if let Some(v) = &#value.#field { all.push((#attr, #text)); })
    });
    quote! {
        let attrs: &[(&str, &str)] = #attrs;
        let mut all: Vec<(&str, String)> = attrs.iter().map(|(k, v)| (*k, v.to_string())).collect();
        #(#pushes)*
        let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
        w.start(#name, &all);
    }
}

fn structure_writer(service: &Service, name: &str, s: &Structure) -> TokenStream {
    let f = writer_fn(service, name);
    let ty = ident(&s.rust_name);
    let attrs = start_with_attributes(service, &s.members, quote!(name), quote!(attrs), quote!(value));
    let members = s.members.iter().filter(|m| !m.xml_attribute).map(|m| {
        let field = ident(&m.field);
        let write = write_value(service, m, &m.xml_name, quote!(v));
        quote!(if let Some(v) = &value.#field { #write })
    });
    let value_param = if s.members.is_empty() { quote!(_value) } else { quote!(value) };
    quote! {
        pub(crate) fn #f(w: &mut XmlWriter, name: &str, attrs: &[(&str, &str)], #value_param: &crate::types::#ty) {
            #attrs
            #(#members)*
            w.end(name);
        }
    }
}

fn union_writer(service: &Service, name: &str, s: &Structure) -> TokenStream {
    let f = writer_fn(service, name);
    let ty = ident(&s.rust_name);
    let arms = s.members.iter().map(|m| {
        let variant = ident(&crate::ir::names::type_name(&m.name));
        let write = write_value(service, m, &m.xml_name, quote!(v));
        quote!(crate::types::#ty::#variant(v) => { #write })
    });
    quote! {
        pub(crate) fn #f(w: &mut XmlWriter, name: &str, attrs: &[(&str, &str)], value: &crate::types::#ty) {
            w.start(name, attrs);
            match value {
                #(#arms)*
                crate::types::#ty::Unknown(_) => {}
            }
            w.end(name);
        }
    }
}
