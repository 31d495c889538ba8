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
    out
}

/// `src/config.rs`.
pub(crate) fn config_rs(service: &Service) -> TokenStream {
    let settings = settings(service);
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

        /// The client's configuration: region, endpoint and addressing settings.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Config {
            #(#fields)*
        }

        impl Config {
            /// A builder with nothing set.
            pub fn builder() -> ConfigBuilder {
                ConfigBuilder::default()
            }

            #(#getters)*
        }

        /// A builder for [`Config`].
        #[derive(Clone, Debug, Default)]
        pub struct ConfigBuilder {
            config: Config,
        }

        impl ConfigBuilder {
            #(#setters)*

            /// Builds the [`Config`].
            pub fn build(self) -> Config {
                self.config
            }
        }
    }
}
