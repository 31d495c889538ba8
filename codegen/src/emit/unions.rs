//! Unions (exactly one member set) and event streams (a stream of one of several
//! event structures): both become enums with one variant per member.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, doc, ident, is_plain_data, rust_type, serde_derive, serde_skip};
use crate::ir::{Shape, Structure};

pub(crate) fn union_def(shape: &Shape, s: &Structure, event_stream: bool) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc(&shape.docs);
    let dep = deprecated_attr(&shape.deprecated);
    let plain = s.members.iter().all(|m| is_plain_data(&m.ty));
    let derives = if plain { quote!(#[derive(Clone, Debug, PartialEq)]) } else { quote!(#[derive(Debug)]) };
    let variants = s.members.iter().map(|m| {
        let variant_name = crate::ir::names::type_name(&m.name);
        let variant = ident(&variant_name);
        let ty = rust_type(&m.ty);
        let ty = if m.boxed { quote!(Box<#ty>) } else { ty };
        let docs = doc(&m.docs);
        let dep = deprecated_attr(&m.deprecated);
        let name = &m.name;
        // The variant's name is the member's (`Records`) unless it had to change (`Ssekms`).
        let serde = if !is_plain_data(&m.ty) {
            serde_skip()
        } else if variant_name != m.name {
            quote!(#[cfg_attr(feature = "serde", serde(rename = #name))])
        } else {
            quote!()
        };
        quote!(#docs #dep #serde #variant(#ty),)
    });
    let serde = serde_derive();
    let unknown_doc = if event_stream {
        " An event this version of the model does not know, by its name."
    } else {
        " A member this version of the model does not know, by its name."
    };
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #derives
        #serde
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #[cfg_attr(feature = "serde", serde(rename = "SDK_UNKNOWN_MEMBER", serialize_with = "::s3_runtime::serialize::unknown_union_member"))]
            Unknown(String),
        }
    }
}
