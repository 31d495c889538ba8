//! Event-stream decoders: `src/event_stream_de.rs` has one `decode_*` function per event
//! stream a response carries, which turns one `s3_runtime::event_stream::Message` into
//! the stream's enum the way
//! botocore's `EventStreamXMLParser` does (`BaseEventStreamParser`):
//!
//! - `:exception-type` of an `exception` message names a member of the stream: a
//!   modeled exception is read from the payload's XML (its code is the exception type,
//!   its message the payload's `Message`); any other exception is an error with the
//!   message's code and message;
//! - otherwise `:event-type` names the member, whose event structure is built from
//!   - `eventheader` members: the header named like the member, typed (timestamps are
//!     milliseconds since the epoch);
//!   - the `eventpayload` member, if there is one: a blob is the payload's bytes, a
//!     string its UTF-8 text, anything else is read from the payload's XML (an empty
//!     payload gives an empty structure); the other members are then left unset;
//!   - without an `eventpayload` member, the other members from the children of the
//!     payload's XML root, as a structure is read from a response body;
//! - an event type the model does not know becomes `Unknown(name)` (botocore skips it).

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::xml_de::{attribute_reads, member_arms, read_expr, reader_fn};
use super::{ident, rust_type};
use crate::ir::names::{snake_name, type_name};
use crate::ir::{Location, Member, RustType, Service, ShapeKind, Structure};

/// The decoder function of an event stream shape: `decode_select_object_content_event_stream`.
pub(crate) fn decoder_fn(service: &Service, shape: &str) -> Ident {
    format_ident!("decode_{}", snake_name(&service.shape(shape).rust_name).trim_start_matches("r#"))
}

/// The builder function of one event structure: `event_records_event`.
fn event_fn(service: &Service, shape: &str) -> Ident {
    format_ident!("event_{}", snake_name(&service.shape(shape).rust_name).trim_start_matches("r#"))
}

/// The event streams that responses carry as their payload, by shape name.
fn streams(service: &Service) -> BTreeSet<String> {
    service
        .operations
        .iter()
        .flat_map(|op| &op.output.members)
        .filter(|m| m.location == Location::Payload && matches!(service.shape(&m.target).kind, ShapeKind::EventStream(_)))
        .map(|m| m.target.clone())
        .collect()
}

/// The members of an event stream that are exceptions (their target is an error).
fn is_exception(service: &Service, m: &Member) -> bool {
    matches!(&service.shape(&m.target).kind, ShapeKind::Structure(s) if s.error.is_some())
}

/// `src/event_stream_de.rs`.
pub(crate) fn event_stream_de_rs(service: &Service) -> TokenStream {
    let streams = streams(service);
    let mut events = BTreeSet::new();
    let decoders: Vec<TokenStream> = streams
        .iter()
        .map(|name| {
            let ShapeKind::EventStream(s) = &service.shape(name).kind else { unreachable!("filtered by streams()") };
            for m in &s.members {
                if !is_exception(service, m) && matches!(service.shape(&m.target).kind, ShapeKind::Structure(_)) {
                    events.insert(m.target.clone());
                }
            }
            stream_decoder(service, name, s)
        })
        .collect();
    let event_fns = events.iter().map(|name| {
        let ShapeKind::Structure(s) = &service.shape(name).kind else { unreachable!("filtered above") };
        event_builder(service, name, s)
    });
    let uses = (!streams.is_empty()).then(|| quote!(use ::s3_runtime::event_stream::{EventStreamError, Message};));
    quote! {
        //! Decoders of event-stream messages, one per event stream: each turns a message
        //! into the stream's event, or into the error or exception it carries.
        #![allow(deprecated, unused_mut, clippy::field_reassign_with_default, clippy::match_single_binding, clippy::single_match)]

        #uses

        #(#decoders)*

        #(#event_fns)*
    }
}

/// `decode_<stream>(message)`.
fn stream_decoder(service: &Service, name: &str, s: &Structure) -> TokenStream {
    let f = decoder_fn(service, name);
    let ty = ident(&service.shape(name).rust_name);
    let doc = format!(" Decodes one message of the `{name}` event stream.");
    let exception_arms: Vec<TokenStream> = s.members.iter().filter(|m| is_exception(service, m)).map(|m| {
        let type_name = &m.name;
        let read = reader_fn(service, &m.target);
        quote! {
            Some(#type_name) => {
                let meta = EventStreamError::exception_metadata(message);
                // As for error responses, a payload that cannot be read leaves the
                // exception's members unset; its code and message are in `meta`.
                let mut error = match ::s3_runtime::xml::parse_optional(message.payload()) {
                    Ok(Some(doc)) => crate::xml_de::#read(doc.root_element()).unwrap_or_default(),
                    _ => Default::default(),
                };
                error.meta = meta.clone();
                EventStreamError::modeled_exception(meta, error)
            }
        }
    }).collect();
    let exception = if exception_arms.is_empty() {
        quote!(EventStreamError::unmodeled_exception(message))
    } else {
        quote! {
            match message.exception_type() {
                #(#exception_arms)*
                _ => EventStreamError::unmodeled_exception(message),
            }
        }
    };
    let event_arms = s.members.iter().filter(|m| !is_exception(service, m)).filter_map(|m| {
        let variant = ident(&type_name(&m.name));
        let event_type = &m.name;
        let value = match &service.shape(&m.target).kind {
            ShapeKind::Structure(_) => {
                let build = event_fn(service, &m.target);
                quote!(#build(message)?)
            }
            // Events are structures; anything else has no event-stream encoding.
            _ => return None,
        };
        let value = if m.boxed { quote!(Box::new(#value)) } else { value };
        Some(quote!(Some(#event_type) => crate::types::#ty::#variant(#value),))
    });
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(message: &Message) -> Result<crate::types::#ty, EventStreamError> {
            if message.message_type() == Some("exception") {
                return Err(#exception);
            }
            Ok(match message.event_type() {
                #(#event_arms)*
                other => crate::types::#ty::Unknown(other.unwrap_or_default().to_owned()),
            })
        }
    }
}

/// `event_<structure>(message)`: one event structure from a message.
fn event_builder(service: &Service, name: &str, s: &Structure) -> TokenStream {
    let f = event_fn(service, name);
    let ty = ident(&s.rust_name);
    let mut statements: Vec<TokenStream> = s.members.iter().filter(|m| m.event_header).filter_map(|m| header_read(service, m)).collect();
    let mut uses_xml = false;
    match s.members.iter().find(|m| m.event_payload) {
        Some(m) => {
            let (statement, xml) = payload_read(service, m);
            statements.push(statement);
            uses_xml = xml;
        }
        None => {
            let body_members: Vec<Member> =
                s.members.iter().filter(|m| !m.event_header && !m.event_payload).cloned().collect();
            let arms = member_arms(service, body_members.iter());
            let attributes = attribute_reads(service, &Structure { members: body_members.clone(), ..s.clone() });
            if !arms.is_empty() || !attributes.is_empty() {
                uses_xml = true;
                let node = if attributes.is_empty() { quote!() } else { quote!(let node = doc.root_element();) };
                let children = (!arms.is_empty()).then(|| {
                    quote! {
                        for child in ::s3_runtime::xml::child_elements(doc.root_element()) {
                            let mut assign = || -> Result<(), ::s3_runtime::xml::XmlError> {
                                match ::s3_runtime::xml::name(child) {
                                    #(#arms)*
                                    _ => {}
                                }
                                Ok(())
                            };
                            assign().map_err(xml)?;
                        }
                    }
                });
                statements.push(quote! {
                    // No `eventpayload` member: the payload is the event's XML document.
                    if let Some(doc) = ::s3_runtime::xml::parse_optional(message.payload()).map_err(xml)? {
                        #node
                        #children
                        #(#attributes)*
                    }
                });
            }
        }
    }
    let doc = format!(" The `{name}` event of a message.");
    if statements.is_empty() {
        return quote! {
            #[doc = #doc]
            fn #f(_message: &Message) -> Result<crate::types::#ty, EventStreamError> {
                Ok(crate::types::#ty::default())
            }
        };
    }
    let xml_error = uses_xml.then(|| quote!(let xml = |e: ::s3_runtime::xml::XmlError| EventStreamError::invalid_event(message, e);));
    quote! {
        #[doc = #doc]
        fn #f(message: &Message) -> Result<crate::types::#ty, EventStreamError> {
            #xml_error
            let mut out = crate::types::#ty::default();
            #(#statements)*
            Ok(out)
        }
    }
}

/// Reads an `eventheader` member from the header of the same name.
fn header_read(service: &Service, m: &Member) -> Option<TokenStream> {
    let field = ident(&m.field);
    let name = &m.name;
    let value = match &service.shape(&m.target).kind {
        ShapeKind::Boolean => quote!(message.header_bool(#name)?),
        ShapeKind::Integer => quote!(message.header_i32(#name)?),
        ShapeKind::Long => quote!(message.header_i64(#name)?),
        ShapeKind::Float => quote!(message.header_f64(#name)?.map(|v| v as f32)),
        ShapeKind::Double => quote!(message.header_f64(#name)?),
        ShapeKind::String => quote!(message.header_string(#name)?),
        ShapeKind::Enum(_) => {
            let ty = rust_type(&m.ty);
            quote!(message.header_string(#name)?.map(|v| #ty::from(v.as_str())))
        }
        ShapeKind::Blob { .. } if m.ty == RustType::Blob => quote!(message.header_blob(#name)?),
        ShapeKind::Timestamp => quote!(message.header_timestamp(#name)?),
        // Structures, lists, maps and streams have no header encoding.
        _ => return None,
    };
    Some(quote!(if let Some(v) = #value { out.#field = Some(v); }))
}

/// Reads the `eventpayload` member from the payload; `true` if that needs the `xml`
/// error mapper.
fn payload_read(service: &Service, m: &Member) -> (TokenStream, bool) {
    let field = ident(&m.field);
    let text = quote!(::std::str::from_utf8(message.payload()).map_err(|e| EventStreamError::invalid_event(message, e))?);
    let boxed = |value: TokenStream| if m.boxed { quote!(Box::new(#value)) } else { value };
    match &service.shape(&m.target).kind {
        ShapeKind::Blob { .. } if m.ty == RustType::ByteStream => {
            (quote!(out.#field = Some(::s3_runtime::ByteStream::from(message.payload().clone()));), false)
        }
        ShapeKind::Blob { .. } => (quote!(out.#field = Some(::s3_runtime::Blob::new(message.payload().to_vec()));), false),
        ShapeKind::String => (quote!(out.#field = Some(String::from(#text));), false),
        ShapeKind::Enum(_) => {
            let ty = rust_type(&m.ty);
            (quote!(out.#field = Some(#ty::from(#text));), false)
        }
        ShapeKind::Structure(_) => {
            let read = reader_fn(service, &m.target);
            let value = boxed(quote!(value));
            (
                quote! {
                    // An empty payload is an empty structure, as botocore parses it.
                    let value = match ::s3_runtime::xml::parse_optional(message.payload()).map_err(xml)? {
                        Some(doc) => crate::xml_de::#read(doc.root_element()).map_err(xml)?,
                        None => Default::default(),
                    };
                    out.#field = Some(#value);
                },
                true,
            )
        }
        _ => {
            // Unions, lists, maps and scalars: the XML document's root element is the value.
            let (value, fallible) = read_expr(service, m, quote!(doc.root_element()));
            let value = if fallible { quote!((#value).map_err(xml)?) } else { value };
            (
                quote! {
                    if let Some(doc) = ::s3_runtime::xml::parse_optional(message.payload()).map_err(xml)? {
                        out.#field = Some(#value);
                    }
                },
                true,
            )
        }
    }
}
