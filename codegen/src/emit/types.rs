//! The `types` module: one file per named shape (structures, unions, enums, event
//! streams), and `types::error` with one file per modeled error.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{enums, errors, ident, structure, unions};
use crate::ir::{Service, Shape, ShapeKind};

/// Submodules of `types` that a shape's module must not take (shape `Error` lives in
/// `types/_error.rs`).
const RESERVED_MODULES: &[&str] = &["error", "builders"];

/// `(path, tokens)` for every file under `src/types/`.
pub(crate) fn type_files(service: &Service) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    let mut mods = Vec::new();
    let mut builders = Vec::new();
    let mut error_mods = Vec::new();
    for name in &service.named_types {
        let shape = service.shape(name);
        let is_error = matches!(&shape.kind, ShapeKind::Structure(s) if s.error.is_some());
        let mut module = crate::ir::names::snake_name(&shape.rust_name);
        if !is_error && RESERVED_MODULES.contains(&module.as_str()) {
            module = format!("_{module}");
        }
        let file = module.trim_start_matches("r#").to_owned();
        let body = type_def(shape);
        if is_error {
            files.push((format!("src/types/error/{file}.rs"), body));
            error_mods.push((module, shape.rust_name.clone()));
        } else {
            if matches!(shape.kind, ShapeKind::Structure(_)) {
                builders.push((module.clone(), shape.rust_name.clone()));
            }
            files.push((format!("src/types/{file}.rs"), body));
            mods.push((module, shape.rust_name.clone()));
        }
    }
    files.push(("src/types/mod.rs".into(), types_mod(&mods, &builders)));
    files.push(("src/types/error/mod.rs".into(), errors_mod(&error_mods)));
    files
}

fn type_def(shape: &Shape) -> TokenStream {
    let body = match &shape.kind {
        ShapeKind::Structure(s) if s.error.is_some() => errors::error_shape_def(shape, s),
        ShapeKind::Structure(s) => {
            let def = structure::struct_def(s, &shape.docs, &shape.deprecated, false);
            let builder = structure::builder_def(s, s.has_required());
            quote!(#def #builder)
        }
        ShapeKind::Union(s) => unions::union_def(shape, s, false),
        ShapeKind::EventStream(s) => unions::union_def(shape, s, true),
        ShapeKind::Enum(values) => enums::enum_def(shape, values),
        _ => unreachable!("only named shapes are listed in named_types"),
    };
    quote! {
        #![allow(deprecated)]
        #body
    }
}

fn types_mod(mods: &[(String, String)], builders: &[(String, String)]) -> TokenStream {
    let decls = mods.iter().map(|(module, ty)| {
        let (module, ty) = (ident(module), ident(ty));
        quote! { mod #module; pub use #module::#ty; }
    });
    let builder_uses = builders.iter().map(|(module, ty)| {
        let (module, builder) = (ident(module), format_ident!("{}Builder", ty));
        quote!(pub use super::#module::#builder;)
    });
    quote! {
        //! The data types of the service: structures, enums and unions used by the
        //! operations' inputs and outputs.

        pub mod error;

        #(#decls)*

        /// Builders for the structures in [`types`](crate::types).
        pub mod builders {
            #(#builder_uses)*
        }
    }
}

fn errors_mod(mods: &[(String, String)]) -> TokenStream {
    let decls = mods.iter().map(|(module, ty)| {
        let (module, ty) = (ident(module), ident(ty));
        quote! { mod #module; pub use #module::#ty; }
    });
    quote! {
        //! The errors the model describes. Each operation's error enum holds the ones it
        //! can return.

        #(#decls)*
    }
}
