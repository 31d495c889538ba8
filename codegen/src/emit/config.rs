//! `Config`: the client's settings. Besides region and endpoint, it has one setting per
//! `clientContextParams` entry of the model (S3: `force_path_style`, `accelerate`, …).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::ir::Service;

struct Setting {
    field: String,
    ty: TokenStream,
    docs: String,
}

fn settings(service: &Service) -> Vec<Setting> {
    let mut out = vec![
        Setting { field: "region".into(), ty: quote!(String), docs: "The AWS region to send requests to, such as `us-east-1`.".into() },
        Setting {
            field: "endpoint_url".into(),
            ty: quote!(String),
            docs: "A custom endpoint, such as `http://127.0.0.1:9000`, used instead of the AWS endpoint.".into(),
        },
        Setting { field: "use_fips".into(), ty: quote!(bool), docs: "Sends requests to FIPS-compliant endpoints.".into() },
        Setting { field: "use_dual_stack".into(), ty: quote!(bool), docs: "Sends requests to dual-stack (IPv4 and IPv6) endpoints.".into() },
    ];
    for p in &service.client_context_params {
        let ty = if p.ty == "boolean" { quote!(bool) } else { quote!(String) };
        out.push(Setting { field: p.field.clone(), ty, docs: p.docs.clone() });
    }
    if service.endpoint_rules.is_some() {
        out.push(Setting {
            field: "sigv4a_signing_region_set".into(),
            ty: quote!(String),
            docs: "The region set SigV4a signatures are valid in (`*`, or regions joined by commas), for endpoints \
                   that ask for SigV4a (multi-region access points); it wins over the endpoint's own \
                   `signingRegionSet`, as in botocore."
                .into(),
        });
    }
    out
}

/// `Config::from_shared`: the settings a shared configuration (environment and
/// `~/.aws` files) gives, for the fields this service's `Config` has.
fn from_shared(settings: &[Setting]) -> TokenStream {
    let [.., checksums_from_shared] = super::config_checksums::checksum_settings();
    let has = |name: &str| settings.iter().any(|s| s.field == name);
    let mut lines = vec![
        quote!(builder = builder.set_region(shared.region.clone());),
        quote!(builder = builder.set_endpoint_url(shared.endpoint_url.clone());),
        quote!(builder = builder.use_fips(shared.use_fips_endpoint);),
        quote!(builder = builder.use_dual_stack(shared.use_dualstack_endpoint);),
    ];
    if has("force_path_style") {
        lines.push(quote! {
            if shared.addressing_style == ::s3_runtime::config::AddressingStyle::Path {
                builder = builder.force_path_style(true);
            }
        });
    }
    if has("accelerate") {
        lines.push(quote!(builder = builder.accelerate(shared.use_accelerate_endpoint);));
    }
    if has("use_arn_region") {
        lines.push(quote!(builder = builder.use_arn_region(shared.use_arn_region);));
    }
    if has("disable_multi_region_access_points") {
        lines.push(quote!(builder = builder.disable_multi_region_access_points(shared.s3_disable_multiregion_access_points);));
    }
    if has("disable_s3_express_session_auth") {
        lines.push(quote!(builder = builder.set_disable_s3_express_session_auth(shared.s3_disable_express_session_auth);));
    }
    if has("sigv4a_signing_region_set") {
        lines.push(quote!(builder = builder.set_sigv4a_signing_region_set(shared.sigv4a_signing_region_set.clone());));
    }
    quote! {
        /// The configuration the environment and the shared files give (`AWS_REGION`,
        /// `AWS_ENDPOINT_URL_S3`, `AWS_PROFILE`, `~/.aws/config`, `~/.aws/credentials`,
        /// …), with the default credentials chain (environment, profile, container,
        /// instance metadata: see [`DefaultCredentialsChain`](::s3_runtime::DefaultCredentialsChain)).
        /// The files are read here, once; credentials are fetched on the first request
        /// and cached until shortly before they expire.
        pub fn from_env() -> Result<Config, ::s3_runtime::config::ConfigError> {
            let shared = ::s3_runtime::config::load_from_env()?;
            let chain = ::s3_runtime::DefaultCredentialsChain::new().region(shared.region.clone());
            Ok(Self::from_shared(&shared).credentials_provider(chain).build())
        }

        /// A builder with the settings of a loaded shared configuration (no credentials).
        pub fn from_shared(shared: &::s3_runtime::config::SharedConfig) -> ConfigBuilder {
            let mut builder = Config::builder();
            #(#lines)*
            #checksums_from_shared
            if let Some(attempts) = shared.max_attempts {
                builder = builder.max_attempts(attempts);
            }
            if let Some(path) = &shared.ca_bundle {
                builder = builder.ca_bundle(path);
            }
            builder = builder.retry_mode(shared.retry_mode.into());
            builder
        }
    }
}

/// `src/config.rs`.
pub(crate) fn config_rs(service: &Service) -> TokenStream {
    let settings = settings(service);
    let from_shared = from_shared(&settings);
    let [checksum_fields, checksum_getters, checksum_setters, _] = super::config_checksums::checksum_settings();
    let fields = settings.iter().map(|s| {
        let (field, ty) = (ident(&s.field), &s.ty);
        quote!(#field: Option<#ty>,)
    });
    let getters = settings.iter().map(|s| {
        let (field, ty, docs) = (ident(&s.field), &s.ty, doc(&s.docs));
        let ret = if s.ty.to_string() == "bool" { quote!(Option<bool>) } else { quote!(Option<&str>) };
        let body = if s.ty.to_string() == "bool" { quote!(self.#field) } else { quote!(self.#field.as_deref()) };
        let _ = ty;
        quote! { #docs pub fn #field(&self) -> #ret { #body } }
    });
    let setters = settings.iter().map(|s| {
        let (field, ty, docs) = (ident(&s.field), &s.ty, doc(&s.docs));
        let set = super::ident_with("set_", &s.field, "");
        let set_doc = format!(" Sets or clears `{}`.", s.field);
        quote! {
            #docs
            pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                self.config.#field = Some(value.into());
                self
            }
            #[doc = #set_doc]
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.config.#field = value;
                self
            }
        }
    });
    quote! {
        //! The client's configuration.

        /// The client's configuration: region, endpoint and addressing settings,
        /// credentials, transport and retries.
        #[derive(Clone, Debug, Default)]
        pub struct Config {
            #(#fields)*
            #checksum_fields
            credentials: Option<::std::sync::Arc<dyn ::s3_runtime::ProvideCredentials>>,
            anonymous: bool,
            http_client: Option<::std::sync::Arc<dyn ::s3_runtime::transport::HttpClient>>,
            retry: ::s3_runtime::retry::RetryConfig,
            transport: ::s3_runtime::transport::TransportSettings,
        }

        impl Config {
            /// A builder with nothing set.
            pub fn builder() -> ConfigBuilder {
                ConfigBuilder::default()
            }

            #from_shared

            #(#getters)*

            #checksum_getters

            /// Where credentials come from. Without a provider, requests fail with
            /// "no credentials found", unless [`anonymous`](Self::anonymous) is set.
            pub fn credentials_provider(&self) -> Option<&::std::sync::Arc<dyn ::s3_runtime::ProvideCredentials>> {
                self.credentials.as_ref()
            }

            /// Whether requests are sent unsigned.
            pub fn anonymous(&self) -> bool {
                self.anonymous
            }

            /// The retry settings.
            pub fn retry_config(&self) -> &::s3_runtime::retry::RetryConfig {
                &self.retry
            }

            /// The transport's timeouts.
            pub fn transport_settings(&self) -> &::s3_runtime::transport::TransportSettings {
                &self.transport
            }

            /// The HTTP client, if one was given (otherwise the default hyper client).
            pub fn http_client(&self) -> Option<&::std::sync::Arc<dyn ::s3_runtime::transport::HttpClient>> {
                self.http_client.as_ref()
            }
        }

        /// A builder for [`Config`].
        #[derive(Clone, Debug, Default)]
        pub struct ConfigBuilder {
            config: Config,
        }

        impl ConfigBuilder {
            #(#setters)*

            #checksum_setters

            /// Signs requests with these fixed credentials.
            pub fn credentials(mut self, credentials: ::s3_runtime::Credentials) -> Self {
                self.config.credentials = Some(::std::sync::Arc::new(credentials));
                self.config.anonymous = false;
                self
            }

            /// Signs requests with credentials from this provider, behind a
            /// [`CredentialsCache`](::s3_runtime::CredentialsCache): the provider is
            /// asked again only shortly before its credentials expire.
            pub fn credentials_provider(mut self, provider: impl ::s3_runtime::ProvideCredentials + 'static) -> Self {
                self.config.credentials = Some(::std::sync::Arc::new(::s3_runtime::CredentialsCache::new(provider)));
                self.config.anonymous = false;
                self
            }

            /// Sends requests unsigned, for public buckets and objects (boto3's
            /// `UNSIGNED`). Without this and without credentials, requests fail with
            /// "no credentials found" rather than going out unsigned.
            pub fn anonymous(mut self) -> Self {
                self.config.credentials = None;
                self.config.anonymous = true;
                self
            }

            /// Sends requests with this HTTP client instead of the default one.
            pub fn http_client(mut self, client: impl ::s3_runtime::transport::HttpClient + 'static) -> Self {
                self.config.http_client = Some(::std::sync::Arc::new(client));
                self
            }

            /// Retry settings (standard mode, 3 attempts, by default).
            pub fn retry_config(mut self, retry: ::s3_runtime::retry::RetryConfig) -> Self {
                self.config.retry = retry;
                self
            }

            /// How requests are retried: `Standard` (the default), `Adaptive` (standard
            /// plus botocore's client-side rate limiter) or `Disabled`.
            pub fn retry_mode(mut self, mode: ::s3_runtime::retry::RetryMode) -> Self {
                self.config.retry.mode = mode;
                self
            }

            /// Attempts in all, the first included (1 disables retries).
            pub fn max_attempts(mut self, attempts: u32) -> Self {
                self.config.retry.max_attempts = attempts;
                self
            }

            /// How long to wait for a connection.
            pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.config.transport.connect_timeout = Some(timeout);
                self
            }

            /// How long to wait for a response once the request is sent.
            pub fn read_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.config.transport.read_timeout = Some(timeout);
                self
            }

            /// The longest response body read whole into memory, in bytes (64 MiB by
            /// default): every response but object contents and event streams. A longer
            /// one fails with `ResponseErrorKind::BodyTooLarge`, without retries.
            pub fn max_buffered_body_size(mut self, bytes: u64) -> Self {
                self.config.transport.max_buffered_body = bytes;
                self
            }

            /// Reads responses without the headers the HTTP parser refuses (control
            /// characters in a value, a name that is not a token), instead of failing
            /// them with `ResponseErrorKind::InvalidHttp`. Off by default. Applies to the
            /// default HTTP client.
            pub fn ignore_invalid_response_headers(mut self, ignore: bool) -> Self {
                self.config.transport.ignore_invalid_response_headers = ignore;
                self
            }

            /// The proxies of the default HTTP client: from the environment by default
            /// (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`); `ProxyConfig::none()` for none.
            /// See `s3_runtime::proxy`.
            pub fn proxy(mut self, proxy: ::s3_runtime::proxy::ProxyConfig) -> Self {
                self.config.transport.proxy = proxy;
                self
            }

            /// A PEM file of the certificate authorities the default HTTP client trusts,
            /// instead of the built-in ones (botocore's `ca_bundle`; `AWS_CA_BUNDLE`). A
            /// file that cannot be read fails every request with an error naming it.
            pub fn ca_bundle(mut self, path: impl Into<::std::path::PathBuf>) -> Self {
                self.config.transport.ca_bundle = Some(path.into());
                self
            }

            /// Trust the platform's certificate store instead of the built-in Mozilla
            /// roots (needs the `native-roots` feature).
            pub fn native_roots(mut self, native: bool) -> Self {
                self.config.transport.native_roots = native;
                self
            }

            /// Builds the [`Config`].
            pub fn build(self) -> Config {
                self.config
            }
        }
    }
}
