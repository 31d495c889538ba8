//! The `Client`, with one method per operation, and each operation's fluent builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structure::{setters, SetterTarget};
use super::{deprecated_attr, doc, ident};
use crate::ir::{Operation, Service};

/// `src/client.rs`.
pub(crate) fn client_rs(service: &Service, paginated: &[&str]) -> TokenStream {
    let methods = service.operations.iter().map(|op| {
        let links = super::dx::operation_links(op, paginated.contains(&op.name.as_str()));
        let method = ident(&op.snake);
        let module = ident(&op.snake);
        let fluent = format_ident!("{}FluentBuilder", crate::ir::names::type_name(&op.name));
        let docs = doc(&op.docs);
        let dep = deprecated_attr(&op.deprecated);
        // One-line constructors are `#[inline]`, compiled where they are used (see
        // `structure::setters`).
        quote! {
            #docs
            #links
            #dep
            #[inline]
            pub fn #method(&self) -> crate::operation::#module::builders::#fluent {
                crate::operation::#module::builders::#fluent::new(self.clone())
            }
        }
    });
    let title = format!(" A client for {}.", service.title);
    let client_struct = super::send::client_struct(service);
    let guide_link = super::dx::client_guide_link(service);
    quote! {
        //! The client: one method per operation, each returning a fluent builder.

        use std::sync::Arc;

        #[doc = #title]
        ///
        #guide_link
        #client_struct

        impl Client {
            #(#methods)*
        }
    }
}

/// What botocore does in handlers (see `ir::customizations`) and for the model's
/// `httpChecksum` trait, as statements.
struct Customizations {
    /// Adjusting the `input` before serialization, for sending and presigning alike.
    input: Vec<TokenStream>,
    /// Adjusting the `input`, only when sending (each tests `sending`): botocore's
    /// presigned URLs leave them out (`x-amz-checksum-mode`).
    send_only_input: Vec<TokenStream>,
    /// Adjusting the `request` after serialization, only when sending (checksums,
    /// `Expect`): botocore applies them in `_make_api_call`, which presigning skips.
    send_only_request: Vec<TokenStream>,
    /// Whether `input` is changed.
    mutates_input: bool,
}

/// The statements of [`Customizations`].
fn customizations(op: &Operation) -> Customizations {
    let c = &op.customizations;
    let shape = op.input.rust_name.clone();
    let mut input = Vec::new();
    let mut send_only_input = Vec::new();
    let mut request = Vec::new();
    let tokens: Vec<&crate::ir::Member> = op.input.members.iter().filter(|m| m.idempotency_token).collect();
    for m in &tokens {
        // botocore's `generate_idempotent_uuid`: fill idempotency tokens left unset.
        let field = ident(&m.field);
        input.push(quote! {
            if input.#field.is_none() {
                input.#field = Some(::s3_runtime::encoding::uuid4());
            }
        });
    }
    let mutates_input = !tokens.is_empty()
        || c.url_encoding.is_some()
        || !c.sse_customer_keys.is_empty()
        || c.copy_source.is_some()
        || op.http_checksum.as_ref().is_some_and(|h| h.request_validation_mode_member.is_some());
    if c.url_encoding.is_some() {
        // botocore's `set_list_objects_encoding_type_url`: ask for URL-encoded keys (so
        // any key survives XML); they are decoded before the caller sees them.
        input.push(quote! {
            if input.encoding_type.is_none() {
                input.encoding_type = Some(crate::types::EncodingType::from("url"));
            }
        });
    }
    if let Some(bucket) = &c.validate_bucket {
        let bucket = ident(bucket);
        input.push(quote! {
            if let Some(bucket) = &input.#bucket {
                ::s3_runtime::s3::validate_bucket_name(#shape, bucket)?;
            }
        });
    }
    if let Some(metadata) = &c.ascii_metadata {
        let metadata = ident(metadata);
        input.push(quote! {
            if let Some(metadata) = &input.#metadata {
                ::s3_runtime::s3::validate_ascii_metadata(#shape, metadata)?;
            }
        });
    }
    for (key, md5, algorithm) in &c.sse_customer_keys {
        let name = key.trim_start_matches("r#").to_owned();
        let (key, md5, algorithm) = (ident(key), ident(md5), ident(algorithm));
        input.push(quote! {
            if let Some(key) = &input.#key {
                ::s3_runtime::s3::check_sse_customer_key(#shape, #name, input.#algorithm.as_deref(), key, input.#md5.is_some())?;
            }
            if let (Some(raw), None) = (&input.#key, &input.#md5) {
                let (key, md5) = ::s3_runtime::s3::sse_customer_key(raw);
                input.#key = Some(key);
                input.#md5 = Some(md5);
            }
        });
    }
    if let Some(copy_source) = &c.copy_source {
        let copy_source = ident(copy_source);
        input.push(quote! {
            if let Some(source) = &input.#copy_source {
                input.#copy_source = Some(::s3_runtime::s3::quote_copy_source(source));
            }
        });
    }
    if let Some(checksum) = &op.http_checksum {
        // botocore's `_handle_request_validation_mode_member`: ask for response
        // checksums when the operation offers them.
        if let Some(mode) = checksum.request_validation_mode_member.as_deref().and_then(|m| op.input.member(m)) {
            let field = ident(&mode.field);
            let ty = super::rust_type(&mode.ty);
            // ... unless `response_checksum_validation` is `when_required`; never when
            // presigning (botocore leaves it out of presigned URLs).
            send_only_input.push(quote! {
                if sending
                    && input.#field.is_none()
                    && self.client.config().response_checksum_validation()
                        == ::s3_runtime::config::ResponseChecksumValidation::WhenSupported
                {
                    input.#field = Some(#ty::from("ENABLED"));
                }
            });
        }
        let algorithm_header = checksum.request_algorithm_member.as_deref().and_then(|m| op.input.member(m)).and_then(|m| match &m.location {
            crate::ir::Location::Header(name) => Some(name.clone()),
            _ => None,
        });
        if checksum.request_algorithm_member.is_some() || checksum.request_checksum_required {
            let header = match algorithm_header {
                Some(h) => quote!(Some(#h)),
                None => quote!(None),
            };
            // A CRC32 by default where the model requires a checksum, and where it only
            // supports one under `request_checksum_calculation = when_supported`.
            let required = checksum.request_checksum_required;
            request.push(quote! {
                let default_checksum = ::s3_runtime::checksum::wants_default(#required, self.client.config().request_checksum_calculation());
                ::s3_runtime::checksum::add_request_checksum(&mut request, #header, #shape, default_checksum)?;
            });
        }
    }
    if c.expect_continue {
        if let Some(body) = op.input.members.iter().find(|m| m.location == crate::ir::Location::Payload) {
            let field = ident(&body.field);
            input.insert(0, quote!(let has_body = input.#field.is_some();));
            request.push(quote! {
                if has_body {
                    request.push_header("Expect", "100-continue");
                }
            });
        }
    }
    Customizations { input, send_only_input, send_only_request: request, mutates_input }
}

/// `src/operation/<op>/builders.rs`: the fluent builder returned by `Client::<op>()`.
pub(crate) fn fluent_builder(service: &Service, op: &Operation) -> TokenStream {
    let type_base = crate::ir::names::type_name(&op.name);
    let fluent = format_ident!("{}FluentBuilder", type_base);
    let input = ident(&op.input.rust_name);
    let input_builder = format_ident!("{}Builder", op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = format_ident!("{}Error", type_base);
    let setters = op.input.members.iter().map(|m| setters(m, SetterTarget::Inner));
    let key_bytes_setters = op.customizations.sse_customer_keys.iter().map(|(key, md5, _)| sse_key_bytes_setter(key, md5));
    // Paginators and waiters send the request again: cloneable when the input is.
    let derives = if op.input.members.iter().all(|m| super::is_plain_data(&m.ty)) {
        quote!(#[derive(Clone, Debug)])
    } else {
        quote!(#[derive(Debug)])
    };
    let send_fn = super::send::send_fn(service, op);
    let operation_info = super::send::operation_info(service, op);
    let Customizations { input: customize_input, send_only_input, send_only_request, mutates_input } =
        customizations(op);
    let input_binding = if mutates_input { quote!(let mut input) } else { quote!(let input) };
    // Presigning serializes without the send-only statements: with none, it is
    // `into_http_request()` itself; otherwise both go through `serialize(sending)`.
    let send_only = !send_only_input.is_empty() || !send_only_request.is_empty();
    let build_and_serialize = if !send_only {
        quote! {
            #input_binding = self.inner.build()?;
            #(#customize_input)*
            input.into_http_request()
        }
    } else {
        quote!(self.serialize(true))
    };
    let serialize_fn = send_only.then(|| {

        let (request_binding, send_only_request) = if send_only_request.is_empty() {
            (quote!(let request), quote!())
        } else {
            (quote!(let mut request), quote!(if sending { #(#send_only_request)* }))
        };
        quote! {
            /// The request, with the statements only sending needs when `sending`
            /// (default checksums, `x-amz-checksum-mode`, `Expect`), or as presigned.
            fn serialize(self, sending: bool) -> Result<::s3_runtime::http::HttpRequest, ::s3_runtime::BuildError> {
                #input_binding = self.inner.build()?;
                #(#customize_input)*
                #(#send_only_input)*
                #request_binding = input.into_http_request()?;
                #send_only_request
                Ok(request)
            }
        }
    });
    let presign_fn = super::send::presigned_fn(service, op, send_only);
    let doc_text = format!(
        " Sets up a [`{}`](crate::Client::{}) request; call [`send`](Self::send) to send it.",
        op.name,
        op.snake.trim_start_matches("r#")
    );
    quote! {
        #![allow(deprecated)]

        use super::{#error, #input, #input_builder, #output};

        #operation_info

        #[doc = #doc_text]
        #derives
        pub struct #fluent {
            client: crate::Client,
            inner: #input_builder,
        }

        impl #fluent {
            #[inline]
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client, inner: #input::builder() }
            }

            /// The input set so far.
            #[inline]
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            /// The HTTP request this builder sends, before endpoint resolution and
            /// signing: the input checked and serialized, with what botocore adds in its
            /// handlers (default checksums, SSE-C key digests, `CopySource` quoting, …).
            ///
            /// A missing required member or a value that cannot be sent is refused here.
            pub fn into_http_request(self) -> Result<::s3_runtime::http::HttpRequest, ::s3_runtime::BuildError> {
                #build_and_serialize
            }

            #serialize_fn

            #send_fn

            #presign_fn

            #(#setters)*

            #(#key_bytes_setters)*
        }
    }
}

/// `<key>_bytes(..)`: an SSE-C key given as raw bytes (botocore accepts `bytes` for
/// `SSECustomerKey` and `CopySourceSSECustomerKey`), sent base64-encoded with its MD5,
/// so that keys that are not UTF-8 (`os.urandom(32)`) can be used.
fn sse_key_bytes_setter(key: &str, md5: &str) -> TokenStream {
    let plain = key.trim_start_matches("r#");
    let method = format_ident!("{}_bytes", plain);
    let (key, md5) = (ident(key), ident(md5));
    let doc = format!(
        " Sets `{plain}` from the key's raw bytes, as botocore does when given `bytes`: the key is \
         sent base64-encoded, with its MD5 in `{}` (replacing any set before).",
        md5.to_string().trim_start_matches("r#")
    );
    quote! {
        #[doc = #doc]
        pub fn #method(mut self, key: impl AsRef<[u8]>) -> Self {
            let (key, md5) = ::s3_runtime::s3::sse_customer_key_bytes(key.as_ref());
            self.inner = self.inner.#key(key).#md5(md5);
            self
        }
    }
}
