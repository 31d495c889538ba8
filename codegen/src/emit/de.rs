//! Response deserializers: `operation/<op>/de.rs` has `parse_response`, which turns an
//! [`HttpResponse`](s3_runtime::http::HttpResponse) into the operation's output or
//! error the way botocore's `RestXMLParser` does: status `>= 301` is an error (read from
//! the `<Error>` document, or from the status when there is none), headers and prefix
//! headers are typed, the status code member is set, and the payload is a stream, a
//! blob, a string, or an XML document; without a payload the body's root element holds
//! the members.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::xml_de::{attribute_reads, member_arms, reader_fn};
use super::xml_ser::timestamp_format;
use super::{ident, rust_type};
use crate::ir::{Location, Member, Operation, Service, ShapeKind, TimestampFormat};

/// `src/operation/<op>/de.rs`.
pub(crate) fn de_rs(service: &Service, op: &Operation) -> TokenStream {
    let output = ident(&op.output.rust_name);
    let error = format_ident!("{}Error", crate::ir::names::type_name(&op.name));
    let op_name = op.name.clone();
    let members = &op.output.members;
    let lenient_expires = op.customizations.expires_string;
    let headers = members.iter().filter_map(|m| {
        if lenient_expires && m.name == "Expires" {
            // botocore's `handle_expires_header`: a value that is not a date is dropped
            // (`expires_string` keeps the text).
            let field = ident(&m.field);
            let format = timestamp_format(m.timestamp_format.unwrap_or(TimestampFormat::HttpDate));
            let Location::Header(name) = &m.location else { return None };
            return Some(quote! {
                if let Some(v) = response.header(#name) {
                    out.#field = ::s3_runtime::de::header_timestamp(OPERATION, #name, v, #format).ok();
                }
            });
        }
        header_binding(service, m)
    });
    let status = members.iter().filter(|m| m.location == Location::StatusCode).map(|m| {
        let field = ident(&m.field);
        quote!(out.#field = Some(i32::from(response.status));)
    });
    let body = body(service, op);
    let error_arms = op.errors.iter().map(|name| {
        let shape = service.shape(name);
        let variant = ident(&shape.rust_name);
        let code = match &shape.kind {
            ShapeKind::Structure(s) => s.error.as_ref().map(|e| e.code.clone()).unwrap_or_else(|| name.clone()),
            _ => name.clone(),
        };
        let f = reader_fn(service, name);
        let located = match &shape.kind {
            ShapeKind::Structure(s) => s
                .members
                .iter()
                .filter_map(|m| match &m.location {
                    Location::StatusCode => {
                        let field = ident(&m.field);
                        Some(quote!(error.#field = Some(i32::from(response.status));))
                    }
                    _ => header_binding(service, m).map(|b| quote!({ let out = &mut error; #b })),
                })
                .collect(),
            _ => Vec::new(),
        };
        quote! {
            Some(#code) => {
                let mut error = ::s3_runtime::de::error_shape(&response, crate::xml_de::#f);
                #(#located)*
                error.meta = meta;
                #error::#variant(error)
            }
        }
    });
    let error_in_200 = op.customizations.error_in_200.then(|| {
        quote! {
            // S3 may answer 200 with an `<Error>` document: that is an error, and a
            // retryable one (botocore's `_handle_200_error`).
            if ::s3_runtime::de::is_error_in_200(&response) {
                response.status = 500;
            }
        }
    });
    let head_not_found = op.customizations.head_not_found.as_ref().map(|name| {
        let variant = ident(&service.shape(name).rust_name);
        quote! {
            if response.status == 404 && ::s3_runtime::de::body(&response).is_empty() {
                return Err(::s3_runtime::SdkError::Service(#error::#variant(crate::types::error::#variant { meta, ..Default::default() })));
            }
        }
    });
    let decode_urls = op.customizations.url_encoding.as_ref().map(|enc| url_decoder(op, enc));
    let error_value = if op.errors.is_empty() {
        quote!(#error::Unhandled(meta))
    } else {
        quote! {
            match meta.code() {
                #(#error_arms)*
                _ => #error::Unhandled(meta),
            }
        }
    };
    let docs = format!(
        " Reads a `{op_name}` response: the output, the service's error, or a description of what in the response does not match the model."
    );
    quote! {
        #![allow(deprecated, dead_code, unused_mut, clippy::match_single_binding, clippy::single_match, clippy::field_reassign_with_default)]

        use super::{#error, #output};

        const OPERATION: &str = #op_name;

        #[doc = #docs]
        pub fn parse_response(
            mut response: ::s3_runtime::http::HttpResponse,
        ) -> Result<#output, ::s3_runtime::SdkError<#error>> {
            #error_in_200
            if ::s3_runtime::de::is_error_status(response.status) {
                let meta = ::s3_runtime::de::error_metadata(&response);
                #head_not_found
                return Err(::s3_runtime::SdkError::Service(#error_value));
            }
            let mut out = #output::default();
            out.request_ids = ::s3_runtime::RequestIds::from_response(&response);
            #(#headers)*
            #(#status)*
            #body
            Ok(out)
        }

        #decode_urls
    }
}

/// `decode_urls(&mut out)`: URL-decodes the fields S3 encodes with `EncodingType=url`.
fn url_decoder(op: &Operation, enc: &crate::ir::customizations::UrlEncoding) -> TokenStream {
    let output = ident(&op.output.rust_name);
    let field_of = |name: &str| op.output.member(name).map(|m| ident(&m.field));
    let top = enc.top_level.iter().filter_map(|name| field_of(name)).map(|field| {
        quote!(if let Some(v) = out.#field.as_mut() { *v = ::s3_runtime::encoding::url_decode(v); })
    });
    let nested = enc.nested.iter().filter_map(|(list, item)| {
        let list_field = field_of(list)?;
        let item_field = ident(&crate::ir::names::field_name(item));
        Some(quote! {
            for item in out.#list_field.iter_mut().flatten() {
                if let Some(v) = item.#item_field.as_mut() { *v = ::s3_runtime::encoding::url_decode(v); }
            }
        })
    });
    quote! {
        /// URL-decodes the keys, prefixes and markers of an output whose request asked
        /// for `EncodingType=url` on the caller's behalf (botocore's `decode_list_object*`).
        pub(crate) fn decode_urls(out: &mut #output) {
            if out.encoding_type.as_ref().map(|e| e.as_str()) == Some("url") {
                #(#top)*
                #(#nested)*
            }
        }
    }
}

/// Reads a header or prefix-header member.
fn header_binding(service: &Service, m: &Member) -> Option<TokenStream> {
    let field = ident(&m.field);
    match &m.location {
        Location::Header(name) => {
            let value = match &service.shape(&m.target).kind {
                ShapeKind::List(item) => {
                    let item_value = header_value(service, item, name, quote!(item.as_str()));
                    quote!(::s3_runtime::de::header_list(v).iter().map(|item| Ok(#item_value)).collect::<Result<Vec<_>, ::s3_runtime::ResponseError>>()?)
                }
                _ => header_value(service, m, name, quote!(v)),
            };
            Some(quote!(if let Some(v) = response.header(#name) { out.#field = Some(#value); }))
        }
        Location::PrefixHeaders(prefix) => Some(quote! {
            out.#field = Some(
                response
                    .headers_with_prefix(#prefix)
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            );
        }),
        _ => None,
    }
}

/// A value of `m`'s type from the header text `v` (`?` on errors).
fn header_value(service: &Service, m: &Member, header: &str, v: TokenStream) -> TokenStream {
    if m.json_value {
        return quote!(::s3_runtime::de::header_json_value(OPERATION, #header, #v)?);
    }
    match &service.shape(&m.target).kind {
        ShapeKind::Enum(_) => {
            let ty = rust_type(&m.ty);
            quote!(#ty::from(#v))
        }
        ShapeKind::Boolean => quote!(::s3_runtime::de::header_bool(OPERATION, #header, #v)?),
        ShapeKind::Integer => quote!(::s3_runtime::de::header_i32(OPERATION, #header, #v)?),
        ShapeKind::Long => quote!(::s3_runtime::de::header_i64(OPERATION, #header, #v)?),
        ShapeKind::Float => quote!(::s3_runtime::de::header_f64(OPERATION, #header, #v)? as f32),
        ShapeKind::Double => quote!(::s3_runtime::de::header_f64(OPERATION, #header, #v)?),
        ShapeKind::Timestamp => {
            let format = timestamp_format(m.timestamp_format.unwrap_or(TimestampFormat::HttpDate));
            quote!(::s3_runtime::de::header_timestamp(OPERATION, #header, #v, #format)?)
        }
        ShapeKind::Blob { .. } => quote!(::s3_runtime::Blob::new(::s3_runtime::de::header_blob(OPERATION, #header, #v)?)),
        _ => quote!(String::from(#v)),
    }
}

/// The payload member, or the body members read from the document's root element.
fn body(service: &Service, op: &Operation) -> TokenStream {
    let xml_error = quote!(|e| ::s3_runtime::ResponseError::new(OPERATION, e));
    if op.customizations.unwrapped_location_constraint {
        if let Some(m) = op.output.member("LocationConstraint") {
            let field = ident(&m.field);
            let ty = rust_type(&m.ty);
            return quote! {
                // The body is `<LocationConstraint>region</LocationConstraint>`, which the
                // model cannot describe (botocore's `parse_get_bucket_location`).
                if let Some(doc) = ::s3_runtime::xml::parse_optional(::s3_runtime::de::body(&response)).map_err(#xml_error)? {
                    let text = ::s3_runtime::xml::text(doc.root_element());
                    if !text.is_empty() {
                        out.#field = Some(#ty::from(text.as_ref()));
                    }
                }
            };
        }
    }
    if let Some(m) = op.output.members.iter().find(|m| m.location == Location::Payload) {
        let field = ident(&m.field);
        return match &service.shape(&m.target).kind {
            ShapeKind::Blob { .. } if m.streaming => quote!(out.#field = Some(response.body);),
            ShapeKind::EventStream(_) => {
                let decode = super::event_stream::decoder_fn(service, &m.target);
                quote!(out.#field = Some(::s3_runtime::EventReceiver::new(response.body, crate::event_stream_de::#decode));)
            }
            ShapeKind::Blob { .. } => quote! {
                let bytes = ::s3_runtime::de::body(&response);
                if !bytes.is_empty() {
                    out.#field = Some(::s3_runtime::Blob::new(bytes));
                }
            },
            ShapeKind::String | ShapeKind::Enum(_) => {
                let ty = rust_type(&m.ty);
                quote! {
                    let bytes = ::s3_runtime::de::body(&response);
                    if !bytes.is_empty() {
                        let text = ::std::str::from_utf8(bytes).map_err(#xml_error)?;
                        out.#field = Some(#ty::from(text));
                    }
                }
            }
            ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                let f = reader_fn(service, &m.target);
                let value = if m.boxed { quote!(Box::new(value)) } else { quote!(value) };
                quote! {
                    if let Some(doc) = ::s3_runtime::xml::parse_optional(::s3_runtime::de::body(&response)).map_err(#xml_error)? {
                        let value = crate::xml_de::#f(doc.root_element()).map_err(#xml_error)?;
                        out.#field = Some(#value);
                    }
                }
            }
            _ => quote!(),
        };
    }
    let arms = member_arms(service, op.output.members.iter());
    let attributes = attribute_reads(service, &op.output);
    if arms.is_empty() && attributes.is_empty() {
        return quote!();
    }
    let read_attributes = (!attributes.is_empty()).then(|| {
        quote! {
            let node = doc.root_element();
            #(#attributes)*
        }
    });
    quote! {
        if let Some(doc) = ::s3_runtime::xml::parse_optional(::s3_runtime::de::body(&response)).map_err(#xml_error)? {
            #read_attributes
            for child in ::s3_runtime::xml::child_elements(doc.root_element()) {
                let mut assign = || -> Result<(), ::s3_runtime::xml::XmlError> {
                    match ::s3_runtime::xml::name(child) {
                        #(#arms)*
                        _ => {}
                    }
                    Ok(())
                };
                assign().map_err(#xml_error)?;
            }
        }
    }
}
