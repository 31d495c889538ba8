//! Request serializers: `operation/<op>/ser.rs` turns an input into an
//! [`HttpRequest`](s3_runtime::http::HttpRequest) the way botocore's rest-xml serializer
//! does: URI labels (greedy ones keep `/`), literal and member query parameters, headers
//! (timestamps as HTTP dates by default, lists comma-joined with quoting), prefix
//! headers, and the payload (raw blob or string, streaming body, or an XML document).

use proc_macro2::TokenStream;
use quote::quote;

use super::xml_ser::{namespace_attrs, scalar_text, start_with_attributes, write_value, writer_fn};
use super::ident;
use crate::ir::{Location, Member, Operation, Service, ShapeKind};

/// `src/operation/<op>/ser.rs`.
pub(crate) fn ser_rs(service: &Service, op: &Operation) -> TokenStream {
    let input_ty = ident(&op.input.rust_name);
    let shape_name = op.input.rust_name.clone();
    let method = op.http.method.clone();
    let members = &op.input.members;

    let labels = members.iter().filter_map(|m| match &m.location {
        Location::Uri { label, greedy } if op.http.path.contains(&format!("{{{label}")) => {
            Some(label_binding(service, &shape_name, m, label, *greedy))
        }
        _ => None,
    });
    let (template, args) = path_template(op);
    let path_expr = if args.is_empty() {
        let literal = template.replace("{{", "{").replace("}}", "}");
        quote!(String::from(#literal))
    } else {
        quote!(format!(#template #(, #args)*))
    };
    let literal_query = op.http.literal_query.iter().map(|(k, v)| {
        let v = match v {
            Some(v) => quote!(Some(String::from(#v))),
            None => quote!(None),
        };
        quote!(req.push_query(#k, #v);)
    });
    let bindings = members.iter().map(|m| member_binding(service, &shape_name, m));
    let host_prefix = op.host_prefix.as_ref().map(|prefix| host_prefix(op, &shape_name, prefix));
    let body = body(service, op);
    // A declared length must match a body of known length (checked after the body is in
    // place): otherwise the request sends a truncated body or waits for bytes that never
    // come.
    let content_length = members.iter().find(|m| matches!(&m.location, Location::Header(h) if h.eq_ignore_ascii_case("Content-Length"))).map(|m| {
        let name = m.field.trim_start_matches("r#").to_owned();
        quote!(req.check_content_length(#shape_name, #name)?;)
    });
    let uses_input = !members.is_empty();
    let input_param = if uses_input { quote!(input) } else { quote!(_input) };
    quote! {
        #![allow(deprecated, unused_mut)]

        use super::#input_ty;

        impl #input_ty {
        /// Serializes the input into the HTTP request botocore would send (before
        /// endpoint resolution and signing), refusing values that cannot be sent.
        pub fn into_http_request(self) -> Result<::s3_runtime::http::HttpRequest, ::s3_runtime::BuildError> {
            let #input_param = self;
            #(#labels)*
            let mut req = ::s3_runtime::http::HttpRequest::new(#method, #path_expr);
            #(#literal_query)*
            #host_prefix
            #(#bindings)*
            #body
            #content_length
            Ok(req)
        }
        }
    }
}

/// `"/{}/{}"` and the label variables, from `/{Bucket}/{Key+}`.
fn path_template(op: &Operation) -> (String, Vec<proc_macro2::Ident>) {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = op.http.path.as_str();
    while let Some(start) = rest.find('{') {
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        let label = rest[start + 1..end].trim_end_matches('+');
        template.push_str("{}");
        args.push(quote::format_ident!("label_{}", crate::ir::names::snake_name(label).trim_start_matches("r#")));
        rest = &rest[(end + 1).min(rest.len())..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    (template, args)
}

/// `let label_bucket = …;`: the encoded label, or an error if unset or empty.
fn label_binding(service: &Service, shape: &str, m: &Member, label: &str, greedy: bool) -> TokenStream {
    let field = ident(&m.field);
    let var = quote::format_ident!("label_{}", crate::ir::names::snake_name(label).trim_start_matches("r#"));
    let name = m.field.trim_start_matches("r#").to_owned();
    let text = scalar_text(service, m, quote!(v));
    quote! {
        let #var = match &input.#field {
            Some(v) => {
                let text: String = #text;
                if text.is_empty() {
                    return Err(::s3_runtime::BuildError::invalid_field(#shape, #name, "must not be empty: it is part of the URI"));
                }
                ::s3_runtime::encoding::uri_label(&text, #greedy)
            }
            None => return Err(::s3_runtime::BuildError::missing_field(#shape, #name)),
        };
    }
}

fn host_prefix(op: &Operation, shape: &str, prefix: &str) -> TokenStream {
    let mut checks = Vec::new();
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = prefix;
    while let Some(start) = rest.find('{') {
        template.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        let label = &rest[start + 1..end];
        if let Some(m) = op.input.members.iter().find(|m| m.name == label) {
            let field = ident(&m.field);
            let var = quote::format_ident!("host_{}", m.field.trim_start_matches("r#"));
            let name = m.field.trim_start_matches("r#").to_owned();
            template.push_str("{}");
            args.push(var.clone());
            checks.push(quote! {
                let #var = match &input.#field {
                    Some(v) if ::s3_runtime::encoding::is_valid_host_label(v, false) => v,
                    Some(_) => return Err(::s3_runtime::BuildError::invalid_field(#shape, #name, "must be a valid host label (letters, digits and hyphens, 1 to 63 characters)")),
                    None => return Err(::s3_runtime::BuildError::missing_field(#shape, #name)),
                };
            });
        }
        rest = &rest[(end + 1).min(rest.len())..];
    }
    template.push_str(rest);
    let value = if args.is_empty() { quote!(String::from(#template)) } else { quote!(format!(#template #(, #args)*)) };
    quote! {
        #(#checks)*
        req.host_prefix = Some(#value);
    }
}

/// Query, header and prefix-header members. Header values are checked by the runtime
/// (no line breaks or other control characters; metadata keys must be HTTP tokens), and
/// a bad one is an error naming the member.
fn member_binding(service: &Service, shape: &str, m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let member = m.field.trim_start_matches("r#").to_owned();
    match &m.location {
        Location::Query(name) => match &service.shape(&m.target).kind {
            ShapeKind::List(item) => {
                let text = scalar_text(service, item, quote!(item));
                quote! {
                    if let Some(v) = &input.#field {
                        for item in v { req.push_query(#name, Some(#text)); }
                    }
                }
            }
            _ => {
                let text = scalar_text(service, m, quote!(v));
                quote!(if let Some(v) = &input.#field { req.push_query(#name, Some(#text)); })
            }
        },
        Location::QueryMap => {
            let ShapeKind::Map { value, .. } = &service.shape(&m.target).kind else { return quote!() };
            match &service.shape(&value.target).kind {
                ShapeKind::List(item) => {
                    let text = scalar_text(service, item, quote!(item));
                    quote! {
                        if let Some(map) = &input.#field {
                            for (k, items) in map { for item in items { req.push_query(k.as_str(), Some(#text)); } }
                        }
                    }
                }
                _ => {
                    let text = scalar_text(service, value, quote!(v));
                    quote! {
                        if let Some(map) = &input.#field {
                            for (k, v) in map { req.push_query(k.as_str(), Some(#text)); }
                        }
                    }
                }
            }
        }
        Location::Header(name) => match &service.shape(&m.target).kind {
            ShapeKind::List(item) => {
                let is_string = matches!(service.shape(&item.target).kind, ShapeKind::String | ShapeKind::Enum(_));
                let text = header_text(service, item, quote!(item));
                let item_text = if is_string {
                    quote!(::s3_runtime::encoding::quote_header_list_item(&#text))
                } else {
                    text
                };
                quote! {
                    if let Some(v) = &input.#field {
                        if !v.is_empty() {
                            let items: Vec<String> = v.iter().map(|item| #item_text).collect();
                            req.push_member_header(#shape, #member, #name, items.join(","))?;
                        }
                    }
                }
            }
            _ => {
                let text = header_text(service, m, quote!(v));
                quote!(if let Some(v) = &input.#field { req.push_member_header(#shape, #member, #name, #text)?; })
            }
        },
        Location::PrefixHeaders(prefix) => quote! {
            if let Some(map) = &input.#field { req.push_prefix_headers(#shape, #member, #prefix, map)?; }
        },
        _ => quote!(),
    }
}

/// Header text: like the XML text, except that timestamps lose their fraction of a
/// second, as botocore's `_convert_header_value` does.
fn header_text(service: &Service, m: &Member, value: TokenStream) -> TokenStream {
    if m.json_value {
        return quote!(::s3_runtime::encoding::base64_encode(#value.as_bytes()));
    }
    if matches!(service.shape(&m.target).kind, ShapeKind::Timestamp) {
        let format = super::xml_ser::timestamp_format(m.explicit_timestamp_format.unwrap_or(crate::ir::TimestampFormat::HttpDate));
        quote!(::s3_runtime::DateTime::from_secs(#value.secs()).fmt(#format))
    } else {
        scalar_text(service, m, value)
    }
}

/// The body: the payload member, or the body members as one XML document.
fn body(service: &Service, op: &Operation) -> TokenStream {
    let new_writer = if op.customizations.xml_escape_newlines {
        quote!(::s3_runtime::xml::XmlWriter::new_escaping_newlines())
    } else {
        quote!(::s3_runtime::xml::XmlWriter::new())
    };
    if let Some(m) = op.input.members.iter().find(|m| m.location == Location::Payload) {
        let field = ident(&m.field);
        let target = service.shape(&m.target);
        return match &target.kind {
            ShapeKind::Blob { .. } if m.streaming => quote! {
                req.body = ::s3_runtime::http::RequestBody::Stream(input.#field.unwrap_or_default());
            },
            ShapeKind::Blob { .. } => quote! {
                if let Some(v) = input.#field { req.body = ::s3_runtime::http::RequestBody::Bytes(v.into_inner()); }
            },
            ShapeKind::String => quote! {
                if let Some(v) = input.#field { req.body = ::s3_runtime::http::RequestBody::Bytes(v.into_bytes()); }
            },
            ShapeKind::Enum(_) => quote! {
                if let Some(v) = input.#field { req.body = ::s3_runtime::http::RequestBody::Bytes(v.as_str().as_bytes().to_vec()); }
            },
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                let f = writer_fn(service, &m.target);
                let name = &m.xml_name;
                let attrs = namespace_attrs(m.xml_namespace.as_ref(), s.xml_namespace.as_ref());
                quote! {
                    if let Some(v) = &input.#field {
                        let mut w = #new_writer;
                        crate::xml_ser::#f(&mut w, #name, #attrs, v);
                        req.body = ::s3_runtime::http::RequestBody::Bytes(w.finish());
                    }
                }
            }
            _ => quote!(),
        };
    }
    let body_members: Vec<&Member> = op.input.members.iter().filter(|m| m.location == Location::Body).collect();
    let element_members: Vec<&Member> = body_members.iter().copied().filter(|m| !m.xml_attribute).collect();
    if body_members.is_empty() {
        return quote!();
    }
    let root = &op.input.xml_name;
    let attrs = namespace_attrs(op.input.xml_namespace.as_ref(), None);
    let root_members: Vec<Member> = body_members.iter().map(|m| (*m).clone()).collect();
    let start = start_with_attributes(service, &root_members, quote!(#root), attrs, quote!(input));
    let writes = element_members.iter().map(|m| {
        let field = ident(&m.field);
        let write = write_value(service, m, &m.xml_name, quote!(v));
        quote!(if let Some(v) = &input.#field { #write })
    });
    let any_set = body_members.iter().map(|m| {
        let field = ident(&m.field);
        quote!(input.#field.is_some())
    });
    quote! {
        if #(#any_set)||* {
            let mut writer = #new_writer;
            let w = &mut writer;
            #start
            #(#writes)*
            w.end(#root);
            req.body = ::s3_runtime::http::RequestBody::Bytes(writer.finish());
        }
    }
}
