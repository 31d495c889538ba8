//! The send path of the generated crate: the client's handle on the runtime (transport,
//! credentials, retries), endpoint resolution per request, and each fluent builder's
//! `send()`, which serializes, resolves, hands the request to the runtime's
//! non-generic `orchestrator::send` and parses the response.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::ir::{Location, Operation, RustType, Service, ShapeKind, StaticValue};

/// Whether requests follow S3's region redirects (`s3_runtime::redirect`): the rule set
/// has the `Bucket` and `AWS::Region` parameters and the service has `HeadBucket`.
fn redirects(service: &Service) -> bool {
    service.endpoint_rules.as_ref().is_some_and(|rules| {
        rules.params.iter().any(|p| p.name == "Bucket")
            && rules.params.iter().any(|p| p.built_in.as_deref() == Some("AWS::Region") && p.field == "region")
    }) && service.operations.iter().any(|op| op.name == "HeadBucket")
}

/// The `Client` struct and its runtime-facing methods.
pub(crate) fn client_struct(service: &Service) -> TokenStream {
    let signing_name = service.signing_name.clone();
    let redirects = redirects(service);
    let target_fn = if service.endpoint_rules.is_some() {
        let config_params = endpoint_params_builder_fn(service);
        let has_bucket = service.endpoint_rules.as_ref().is_some_and(|rules| rules.params.iter().any(|p| p.name == "Bucket"));
        let bucket = if has_bucket { quote!(params.bucket.as_deref()) } else { quote!(None) };
        let (cached, region) = if redirects {
            (
                quote! {
                    // botocore's `redirect_from_cache`: a bucket that a redirect placed in
                    // another region is resolved in that region.
                    let cached;
                    let params = match params.bucket.as_deref().and_then(|bucket| self.handle.regions.get(bucket)) {
                        Some(region) => {
                            cached = crate::endpoint::Params { region: Some(region), ..params.clone() };
                            &cached
                        }
                        None => params,
                    };
                },
                quote!(params.region.as_deref()),
            )
        } else {
            (quote!(), quote!(self.config().region()))
        };
        quote! {
            #config_params

            /// Resolves the endpoint of a request with the model's rule set; the
            /// endpoint's auth scheme (`sigv4`, `sigv4a`, `sigv4-s3express`) decides how
            /// it is signed.
            pub(crate) fn target(
                &self,
                params: &crate::endpoint::Params,
            ) -> Result<::s3_runtime::orchestrator::Target, ::s3_runtime::endpoint::EndpointError> {
                #cached
                let endpoint = crate::endpoint::resolve_endpoint(params)?;
                ::s3_runtime::orchestrator::Target::from_endpoint(
                    &endpoint,
                    &::s3_runtime::orchestrator::TargetDefaults {
                        region: #region,
                        signing_name: #signing_name,
                        bucket: #bucket,
                        sigv4a_region_set: self.config().sigv4a_signing_region_set(),
                    },
                )
            }
        }
    } else {
        quote! {
            /// The configured endpoint URL: this service has no endpoint rule set.
            pub(crate) fn target(&self) -> Result<::s3_runtime::orchestrator::Target, ::s3_runtime::endpoint::EndpointError> {
                let url = self.config().endpoint_url().ok_or_else(|| {
                    ::s3_runtime::endpoint::EndpointError::missing_parameter("Endpoint")
                })?;
                Ok(::s3_runtime::orchestrator::Target {
                    url: url.to_owned(),
                    headers: Vec::new(),
                    signing_region: self.config().region().unwrap_or("us-east-1").to_owned(),
                    signing_name: String::from(#signing_name),
                    scheme: ::s3_runtime::orchestrator::SigningScheme::SigV4,
                    bucket: None,
                })
            }
        }
    };
    // S3's browser-based upload: its URL is `CreateBucket`'s, as botocore resolves it.
    let presigned_post = (service.endpoint_rules.is_some() && service.operations.iter().any(|op| op.name == "CreateBucket"))
        .then(|| {
            quote! {
                /// A presigned POST: the URL and form fields of a browser-based upload with a
                /// signed policy, as botocore's `generate_presigned_post` (SigV4). Set the
                /// bucket, the key (or a prefix ending in `${filename}`), extra fields,
                /// conditions and the expiry, then call
                /// [`presign`](s3_runtime::presign::PresignedPostBuilder::presign).
                pub fn presigned_post(&self) -> ::s3_runtime::presign::PresignedPostBuilder {
                    let client = self.clone();
                    ::s3_runtime::presign::PresignedPostBuilder::new(
                        self.handle.send.clone(),
                        Arc::new(move |bucket: &str| client.target(&client.create_bucket().bucket(bucket).endpoint_params())),
                    )
                }
            }
        });
    let (regions_field, regions_init, redirector) = if redirects {
        (
            quote! {
                /// Buckets whose region a redirect revealed.
                regions: ::s3_runtime::redirect::RegionCache,
            },
            quote!(regions: Default::default(),),
            redirector(),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    quote! {
        /// Cheap to clone: clones share one configuration, one connection pool and one
        /// retry quota.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: Arc<Handle>,
        }

        #[derive(Debug)]
        struct Handle {
            config: crate::Config,
            send: ::s3_runtime::orchestrator::SendContext,
            #regions_field
        }

        impl Client {
            /// A client with the given configuration.
            pub fn from_conf(config: crate::Config) -> Self {
                let http = config.http_client().cloned().unwrap_or_else(|| {
                    // The send path applies the read timeout, from the request's last
                    // byte on (see `s3_runtime::timeout`).
                    let transport = ::s3_runtime::transport::TransportSettings {
                        read_timeout: None,
                        ..config.transport_settings().clone()
                    };
                    Arc::new(::s3_runtime::transport::HyperClient::new(&transport))
                });
                let send = ::s3_runtime::orchestrator::SendContext {
                    http,
                    credentials: config.credentials_provider().cloned(),
                    anonymous: config.anonymous(),
                    retry: *config.retry_config(),
                    quota: Arc::new(::s3_runtime::retry::RetryQuota::default()),
                    user_agent: String::from(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))),
                    max_buffered_body: config.transport_settings().max_buffered_body,
                    s3express: Arc::new(::s3_runtime::s3express::SessionCache::default()),
                    timeouts: config.timeout_config(),
                    clock_skew: Arc::new(::s3_runtime::clock_skew::ClockSkew::default()),
                };
                Client { handle: Arc::new(Handle { config, send, #regions_init }) }
            }

            /// A client configured from the environment and the shared files, with the
            /// default credentials chain: see [`Config::from_env`](crate::Config::from_env).
            pub async fn from_env() -> Result<Self, ::s3_runtime::config::ConfigError> {
                Ok(Self::from_conf(crate::Config::from_env()?))
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                &self.handle.config
            }

            pub(crate) fn send_context(&self) -> &::s3_runtime::orchestrator::SendContext {
                &self.handle.send
            }

            #target_fn

            #presigned_post
        }

        #redirector
    }
}

/// `Redirector`: what the runtime needs to send a request once more to its bucket's
/// region (`s3_runtime::redirect::Redirect`).
fn redirector() -> TokenStream {
    quote! {
        /// A request's endpoint parameters, to resolve its endpoint again when S3 says
        /// that its bucket is in another region (see `s3_runtime::redirect`).
        pub(crate) struct Redirector<'a> {
            pub(crate) client: &'a Client,
            pub(crate) params: crate::endpoint::Params,
        }

        impl ::s3_runtime::redirect::Redirect for Redirector<'_> {
            fn bucket(&self) -> Option<&str> {
                self.params.bucket.as_deref()
            }

            fn retarget(
                &self,
                region: &str,
            ) -> Result<::s3_runtime::orchestrator::Target, ::s3_runtime::endpoint::EndpointError> {
                if let Some(bucket) = self.params.bucket.as_deref() {
                    self.client.handle.regions.insert(bucket, region);
                }
                self.client.target(&self.params)
            }

            fn head_bucket_region(
                &self,
            ) -> ::s3_runtime::transport::BoxFuture<'_, Result<Option<String>, ::s3_runtime::orchestrator::SendError>> {
                let request = self.client.head_bucket().set_bucket(self.params.bucket.clone());
                Box::pin(async move {
                    let outcome = request.send().await.map(|output| output.bucket_region);
                    ::s3_runtime::redirect::head_bucket_region(outcome, crate::operation::head_bucket::HeadBucketError::meta)
                })
            }
        }
    }
}

/// The `OPERATION` constant of an operation's fluent builder module.
pub(crate) fn operation_info(service: &Service, op: &Operation) -> TokenStream {
    let name = op.name.clone();
    let is_stream = |members: &[crate::ir::Member]| {
        members.iter().any(|m| {
            m.location == Location::Payload
                && (m.streaming || matches!(service.shape(&m.target).kind, ShapeKind::EventStream(_)))
        })
    };
    let streaming_output = is_stream(&op.output.members);
    let streaming_input = is_stream(&op.input.members);
    let error_in_200 = op.customizations.error_in_200;
    let unsigned_payload = op.unsigned_payload;
    quote! {
        const OPERATION: ::s3_runtime::orchestrator::OperationInfo = ::s3_runtime::orchestrator::OperationInfo {
            name: #name,
            streaming_output: #streaming_output,
            streaming_input: #streaming_input,
            error_in_200: #error_in_200,
            unsigned_payload: #unsigned_payload,
        };
    }
}

/// The fluent builder's `send()` (and, with a rule set, `endpoint_params()`).
pub(crate) fn send_fn(service: &Service, op: &Operation) -> TokenStream {
    let type_base = crate::ir::names::type_name(&op.name);
    let output = ident(&op.output.rust_name);
    let error = format_ident!("{}Error", type_base);
    let url_auto = op.customizations.url_encoding.is_some();
    let remember_url = url_auto.then(|| quote!(let url_encoding_auto_set = self.inner.get_encoding_type().is_none();));
    let (params_fn, params, target) = match &service.endpoint_rules {
        Some(_) => (endpoint_params_fn(service, op), quote!(let params = self.endpoint_params();), quote!(client.target(&params)?)),
        None => (quote!(), quote!(), quote!(client.target()?)),
    };
    let send = if redirects(service) {
        quote! {
            let redirect = crate::client::Redirector { client: &client, params };
            let response = ::s3_runtime::orchestrator::send_redirectable(
                client.send_context(), &OPERATION, &target, request, Some(&redirect),
            ).await?;
        }
    } else {
        quote!(let response = ::s3_runtime::orchestrator::send(client.send_context(), &OPERATION, &target, request).await?;)
    };
    let parse = if url_auto {
        quote! {
            let mut out = super::parse_response(response)?;
            if url_encoding_auto_set {
                super::de::decode_urls(&mut out);
            }
            Ok(out)
        }
    } else {
        quote!(super::parse_response(response))
    };
    let (validation_flag, validation) = response_validation(op);
    let send_blocking = super::dx::send_blocking_fn(&quote!(#output), &quote!(#error));
    quote! {
        #params_fn

        #send_blocking

        /// Sends the request and returns the service's answer.
        ///
        /// The input is checked and serialized first (see
        /// [`into_http_request`](Self::into_http_request)): bad input is refused
        /// before anything goes out. Failed attempts are retried as botocore's
        /// standard mode does.
        pub async fn send(self) -> Result<#output, ::s3_runtime::SdkError<#error>> {
            let client = self.client.clone();
            #remember_url
            #params
            let request = self.into_http_request()?;
            #validation_flag
            let target = #target;
            #send
            #validation
            #parse
        }
    }
}

/// Response checksum validation for operations with a `requestValidationModeMember`
/// (botocore's `handle_checksum_body`): when the request carries the member's header
/// (set by the caller, or `ENABLED` by default under `response_checksum_validation =
/// when_supported`), the response's full-object checksum among the operation's
/// `responseAlgorithms` is checked as its body is read.
fn response_validation(op: &Operation) -> (TokenStream, TokenStream) {
    let Some(checksum) = &op.http_checksum else { return (quote!(), quote!()) };
    let header = checksum.request_validation_mode_member.as_deref().and_then(|m| op.input.member(m)).and_then(|m| match &m.location {
        Location::Header(name) => Some(name.clone()),
        _ => None,
    });
    let Some(header) = header else { return (quote!(), quote!()) };
    let algorithms = &checksum.response_algorithms;
    (
        quote!(let validate_checksum = request.header(#header).is_some();),
        quote! {
            let mut response = response;
            if validate_checksum {
                ::s3_runtime::checksum::validate_response(&mut response, OPERATION.name, &[#(#algorithms),*])?;
            }
        },
    )
}

/// The fluent builder's `presigned()`: the request `send()` would make (without what
/// only sending adds, see `client::Customizations`), resolved to the same endpoint, and
/// handed to the runtime's non-generic `orchestrator::presign`.
pub(crate) fn presigned_fn(service: &Service, op: &Operation, send_only: bool) -> TokenStream {
    let type_base = crate::ir::names::type_name(&op.name);
    let error = format_ident!("{}Error", type_base);
    let (params, target) = match &service.endpoint_rules {
        Some(_) => (quote!(let params = self.endpoint_params();), quote!(client.target(&params))),
        None => (quote!(), quote!(client.target())),
    };
    let serialize = if send_only { quote!(self.serialize(false)) } else { quote!(self.into_http_request()) };
    quote! {
        /// Presigns the request instead of sending it: a URL (and the headers that must go
        /// with it) that anyone can use until it expires, as botocore's
        /// `generate_presigned_url` makes it (SigV4 in the query, `UNSIGNED-PAYLOAD`; no
        /// default checksum; a request body is not part of it and is sent with the URL).
        /// The endpoint is resolved as for [`send`](Self::send). Await the result; it
        /// fails without credentials: a presigned URL is never unsigned.
        // `#[inline]`: a few lines around the runtime's non-generic presigning, compiled
        // where a caller presigns rather than for all operations in every build.
        #[inline]
        pub fn presigned(
            self,
            config: ::s3_runtime::presign::PresigningConfig,
        ) -> ::s3_runtime::presign::PresignFuture<#error> {
            let client = self.client.clone();
            #params
            let request = #serialize;
            ::s3_runtime::presign::PresignFuture::new(client.send_context(), request, #target, config)
        }
    }
}

/// `Client::endpoint_params_builder()`: the rule set's parameters that come from the
/// configuration (built-ins and client context parameters), the same for every
/// operation.
fn endpoint_params_builder_fn(service: &Service) -> TokenStream {
    let rules = service.endpoint_rules.as_ref().expect("called with a rule set");
    let mut sets = Vec::new();
    for param in &rules.params {
        let set = format_ident!("set_{}", param.field.trim_start_matches("r#"));
        let from_config = match param.built_in.as_deref() {
            Some("AWS::Region") => Some(quote!(config.region().map(str::to_owned))),
            Some("AWS::UseFIPS") => Some(quote!(config.use_fips())),
            Some("AWS::UseDualStack") => Some(quote!(config.use_dual_stack())),
            Some("SDK::Endpoint") => Some(quote!(config.endpoint_url().map(str::to_owned))),
            Some("AWS::S3::ForcePathStyle") => Some(quote!(config.force_path_style())),
            Some("AWS::S3::Accelerate") => Some(quote!(config.accelerate())),
            Some("AWS::S3::UseArnRegion") => Some(quote!(config.use_arn_region())),
            Some("AWS::S3::DisableMultiRegionAccessPoints") => Some(quote!(config.disable_multi_region_access_points())),
            _ => service.client_context_params.iter().find(|p| p.name == param.name).map(|p| {
                let getter = ident(&p.field);
                if p.ty == "boolean" {
                    quote!(config.#getter())
                } else {
                    quote!(config.#getter().map(str::to_owned))
                }
            }),
        };
        if let Some(value) = from_config {
            sets.push(quote!(.#set(#value)));
        }
    }
    quote! {
        /// The endpoint rule set's parameters that come from the configuration
        /// (built-ins and client context parameters), written once for all
        /// operations; each operation's `endpoint_params()` adds its own.
        pub(crate) fn endpoint_params_builder(&self) -> crate::endpoint::ParamsBuilder {
            let config = self.config();
            crate::endpoint::Params::builder()
                #(#sets)*
        }
    }
}

/// `endpoint_params()`: the rule set's parameters from the configuration (built-ins and
/// client context parameters, [`endpoint_params_builder_fn`]), the input
/// (`contextParam` members) and the operation (`staticContextParams`).
fn endpoint_params_fn(service: &Service, op: &Operation) -> TokenStream {
    let rules = service.endpoint_rules.as_ref().expect("called with a rule set");
    let mut sets = Vec::new();
    for param in &rules.params {
        let set = format_ident!("set_{}", param.field.trim_start_matches("r#"));
        if let Some(m) = op.input.members.iter().find(|m| m.context_param.as_deref() == Some(param.name.as_str())) {
            let get = super::ident_with("get_", &m.field, "");
            let value = match &m.ty {
                RustType::String | RustType::Bool => quote!(self.inner.#get().clone()),
                RustType::Named(_) => quote!(self.inner.#get().as_ref().map(|v| v.as_str().to_owned())),
                _ => continue,
            };
            sets.push(quote!(.#set(#value)));
        }
        if let Some((_, value)) = op.static_context_params.iter().find(|(name, _)| *name == param.name) {
            let value = match value {
                StaticValue::Bool(b) => quote!(Some(#b)),
                StaticValue::String(s) => quote!(Some(String::from(#s))),
            };
            sets.push(quote!(.#set(#value)));
        }
    }
    if op.customizations.force_path_style && rules.params.iter().any(|p| p.built_in.as_deref() == Some("AWS::S3::ForcePathStyle")) {
        sets.push(quote!(.set_force_path_style(Some(true))));
    }
    quote! {
        /// The endpoint rule set's parameters for this request.
        pub fn endpoint_params(&self) -> crate::endpoint::Params {
            self.client
                .endpoint_params_builder()
                #(#sets)*
                .build()
        }
    }
}
