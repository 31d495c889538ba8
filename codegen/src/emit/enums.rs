//! String enums: `#[non_exhaustive]` enums whose `Unknown(String)` variant keeps values
//! this model does not know, so they round-trip unchanged.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, doc, ident};
use crate::ir::{EnumValue, Shape};

pub(crate) fn enum_def(shape: &Shape, values: &[EnumValue]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc(&shape.docs);
    let dep = deprecated_attr(&shape.deprecated);
    let variants: Vec<_> = values.iter().map(|v| ident(&v.variant)).collect();
    let strings: Vec<_> = values.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" `{}`", v.value.replace('`', "")));
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the model does not know, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #strings, )*
                    Self::Unknown(value) => value,
                }
            }

            /// Every value the model knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#strings),*]
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #strings => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    }
}
