//! `endpoint/`: the endpoint rule set compiled to plain Rust.
//!
//! - `endpoint/mod.rs`: `Params` (one field per rule-set parameter) and its builder;
//! - `endpoint/resolve.rs`: `resolve_endpoint`, one function in which each rule is a
//!   labeled block: its conditions are guards that `break` out of the block (on to the
//!   next rule), `isSet` and assignments are `let … else`, templates are
//!   `[…].concat()`, and the outcome `return`s the endpoint or the error;
//! - `endpoint/partitions.rs`: the `partitions.json` table.
//!
//! The rules-engine functions are calls into `s3_runtime::endpoint` (see its module
//! documentation), or operators for the trivial ones.

use proc_macro2::{Literal as Lit, Span, TokenStream};
use quote::quote;
use syn::Lifetime;

use super::{doc, ident, ident_with};
use crate::endpoint_rules::{
    AuthScheme, CharClass, Condition, EndpointRules, Expr, ExprKind, Function, Literal, Outcome, ParamType,
    Partition, Property, RegexPiece, Rule, Type,
};

/// The files of the `endpoint` module, by path.
pub(crate) fn endpoint_files(rules: &EndpointRules) -> Vec<(String, TokenStream)> {
    vec![
        ("src/endpoint/mod.rs".into(), mod_rs(rules)),
        ("src/endpoint/resolve.rs".into(), resolve_rs(rules)),
        ("src/endpoint/partitions.rs".into(), partitions_rs(&rules.partitions)),
    ]
}

fn mod_rs(rules: &EndpointRules) -> TokenStream {
    let fields = rules.params.iter().map(|p| {
        let field = ident(&p.field);
        let ty = param_type(p.ty);
        let mut docs = p.docs.clone();
        let mut notes = Vec::new();
        if let Some(built_in) = &p.built_in {
            notes.push(format!("Built-in `{built_in}`."));
        }
        match (&p.default, p.required) {
            (Some(default), _) => notes.push(format!("Defaults to `{}`.", literal_text(default))),
            (None, true) => notes.push("Required.".to_owned()),
            (None, false) => {}
        }
        if !p.used {
            notes.push("No rule reads it today.".to_owned());
        }
        if let Some(note) = &p.deprecated {
            notes.push(format!("**Deprecated:** {note}"));
        }
        if !notes.is_empty() {
            if !docs.is_empty() {
                docs.push_str("\n\n");
            }
            docs.push_str(&notes.join(" "));
        }
        let docs = doc(&docs);
        quote! { #docs pub #field: Option<#ty>, }
    });
    let setters = rules.params.iter().map(|p| {
        let field = ident(&p.field);
        let set = ident_with("set_", &p.field, "");
        let ty = param_type(p.ty);
        let doc_set = format!(" Sets [`Params::{}`].", p.field.trim_start_matches("r#"));
        let doc_set_opt = format!(" Sets or clears [`Params::{}`].", p.field.trim_start_matches("r#"));
        let (arg, value) = match p.ty {
            ParamType::Bool => (quote!(bool), quote!(value)),
            ParamType::String => (quote!(impl Into<String>), quote!(value.into())),
        };
        quote! {
            #[doc = #doc_set]
            pub fn #field(mut self, value: #arg) -> Self {
                self.params.#field = Some(#value);
                self
            }
            #[doc = #doc_set_opt]
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.params.#field = value;
                self
            }
        }
    });
    let defaults = rules.params.iter().filter_map(|p| {
        let field = ident(&p.field);
        let value = match p.default.as_ref()? {
            Literal::Bool(b) => quote!(#b),
            Literal::String(s) => quote!(#s.to_owned()),
        };
        Some(quote! {
            if params.#field.is_none() {
                params.#field = Some(#value);
            }
        })
    });
    let mutability = if rules.params.iter().any(|p| p.default.is_some()) { quote!(mut) } else { quote!() };
    quote! {
        //! Endpoint resolution, compiled from the service's endpoint rule set
        //! (`endpoint-rule-set-1.json`) and `partitions.json`.
        //!
        //! Fill in [`Params`] (with [`Params::builder`]) and call [`resolve_endpoint`]; the
        //! resulting [`Endpoint`] has the URL, headers and properties, and
        //! [`Endpoint::auth_scheme`] gives the signing scheme (`sigv4`, `sigv4a` or
        //! `sigv4-s3express`) and its settings.

        mod partitions;
        mod resolve;

        pub use partitions::PARTITIONS;
        pub use resolve::resolve_endpoint;
        pub use s3_runtime::endpoint::{AuthScheme, Endpoint, EndpointError, EndpointErrorKind, Properties, Value};

        /// The endpoint rule set's parameters. Unset parameters take the rule set's
        /// defaults, whether [`ParamsBuilder::build`] filled them in or not.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct Params {
            #(#fields)*
        }

        impl Params {
            /// A builder for the parameters.
            pub fn builder() -> ParamsBuilder {
                ParamsBuilder::default()
            }
        }

        /// Builds [`Params`].
        #[derive(Clone, Debug, Default)]
        pub struct ParamsBuilder {
            params: Params,
        }

        impl ParamsBuilder {
            #(#setters)*

            /// The parameters, with the rule set's default for each one not set.
            pub fn build(self) -> Params {
                let #mutability params = self.params;
                #(#defaults)*
                params
            }
        }
    }
}

fn param_type(ty: ParamType) -> TokenStream {
    match ty {
        ParamType::Bool => quote!(bool),
        ParamType::String => quote!(String),
    }
}

fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Bool(b) => b.to_string(),
        Literal::String(s) => format!("{s:?}"),
    }
}

fn resolve_rs(rules: &EndpointRules) -> TokenStream {
    let bindings = rules.params.iter().map(|p| {
        let field = ident(&p.field);
        let name = &p.name;
        let value = match p.ty {
            ParamType::Bool => quote!(params.#field),
            ParamType::String => quote!(params.#field.as_deref()),
        };
        match (&p.default, p.required, p.used) {
            (Some(default), _, true) => {
                let default = match default {
                    Literal::Bool(b) => quote!(#b),
                    Literal::String(s) => quote!(#s),
                };
                quote!(let #field = #value.unwrap_or(#default);)
            }
            (None, true, true) => quote! {
                let Some(#field) = #value else {
                    return Err(rt::EndpointError::missing_parameter(#name));
                };
            },
            (None, true, false) => quote! {
                if params.#field.is_none() {
                    return Err(rt::EndpointError::missing_parameter(#name));
                }
            },
            (None, false, true) => quote!(let #field = #value;),
            (_, _, false) => quote!(),
        }
    });
    let body = rules_tokens(&rules.rules, 0);
    quote! {
        //! [`resolve_endpoint`]: the rule set as plain Rust. Each rule is a labeled block;
        //! a condition that does not hold `break`s to the next rule.

        #![allow(clippy::needless_return)]

        use s3_runtime::endpoint as rt;

        use super::partitions::PARTITIONS;
        use super::Params;

        /// Resolves the endpoint for `params`, evaluating the rule set's rules in order.
        ///
        /// Fails with the message of the `error` rule that matched
        /// ([`EndpointErrorKind::Rule`](super::EndpointErrorKind::Rule)), when a required
        /// parameter is missing, or when no rule matched. The endpoint's auth scheme is
        /// chosen by [`Endpoint::auth_scheme`](rt::Endpoint::auth_scheme).
        pub fn resolve_endpoint(params: &Params) -> Result<rt::Endpoint, rt::EndpointError> {
            #(#bindings)*
            #body
        }
    }
}

/// A list of rules; if the last one can fail to match, rule exhaustion is an error.
fn rules_tokens(rules: &[Rule], depth: usize) -> TokenStream {
    let each = rules.iter().map(|rule| rule_tokens(rule, depth));
    let exhausted = match rules.last() {
        Some(rule) if !rule.can_fall_through() => quote!(),
        _ => quote!(return Err(rt::EndpointError::no_rule_matched());),
    };
    quote!(#(#each)* #exhausted)
}

fn rule_tokens(rule: &Rule, depth: usize) -> TokenStream {
    let label = Lifetime::new(&format!("'r{depth}"), Span::call_site());
    let conditions = rule.conditions.iter().map(|c| condition_tokens(c, &label));
    let outcome = match &rule.outcome {
        Outcome::Endpoint(endpoint) => {
            // One runtime call over borrowed parts: no `String`s or `Vec`s built here.
            let url = match &endpoint.url.kind {
                ExprKind::Concat(parts) => parts.iter().map(str_ref).collect(),
                _ => vec![str_ref(&endpoint.url)],
            };
            let headers = endpoint.headers.iter().map(|(name, values)| {
                let values = values.iter().map(str_ref);
                quote!((#name, &[#(#values),*]))
            });
            let schemes = endpoint.auth_schemes.iter().map(auth_scheme_tokens);
            let other = properties_tokens(&endpoint.properties);
            quote! {
                return Ok(rt::Endpoint::from_rule(
                    &[#(#url),*],
                    &[#(#headers),*],
                    &[#(#schemes),*],
                    #other,
                ));
            }
        }
        Outcome::Error(message) => {
            let message = str_ref(message);
            quote!(return Err(rt::EndpointError::rule(#message));)
        }
        Outcome::Tree(rules) => rules_tokens(rules, depth + 1),
    };
    if rule.can_fall_through() {
        quote!(#label: { #(#conditions)* #outcome })
    } else {
        // It always matches and is the last rule of its list: no block needed.
        quote!(#(#conditions)* #outcome)
    }
}

fn condition_tokens(condition: &Condition, label: &Lifetime) -> TokenStream {
    match condition {
        Condition::Test(expr) => {
            let negated = negate(expr);
            quote!(if #negated { break #label; })
        }
        Condition::Some { value, bind: Some(bind) } => {
            let (bind, value) = (ident(bind), expr(value));
            quote!(let Some(#bind) = #value else { break #label; };)
        }
        Condition::Some { value, bind: None } => {
            let value = expr(value);
            quote!(if #value.is_none() { break #label; })
        }
        Condition::Let { value, bind } => {
            let bind = ident(bind);
            if is_owned(value) {
                let value = expr(value);
                quote!(let #bind: &str = &#value;)
            } else {
                let value = expr(value);
                quote!(let #bind = #value;)
            }
        }
    }
}

/// String expressions that build a `String` (the others are `&str`).
fn is_owned(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Concat(_) | ExprKind::Call(Function::UriEncode, _))
}

/// A string expression as something that derefs to `&str`.
fn str_ref(e: &Expr) -> TokenStream {
    let tokens = expr(e);
    if is_owned(e) {
        quote!(&#tokens)
    } else {
        tokens
    }
}

/// The Rust value of an expression: `bool`, `usize`, `&str` (or `String` where
/// [`is_owned`]), `Option<…>`, `&Partition`, `Url`, `Arn`, `&[&str]`.
fn expr(e: &Expr) -> TokenStream {
    match &e.kind {
        ExprKind::Local(name) => {
            let name = ident(name);
            quote!(#name)
        }
        ExprKind::Bool(b) => quote!(#b),
        ExprKind::Int(n) => {
            let n = Lit::usize_unsuffixed(*n);
            quote!(#n)
        }
        ExprKind::String(s) => quote!(#s),
        ExprKind::Concat(parts) => {
            let parts = parts.iter().map(str_ref);
            quote!([#(#parts),*].concat())
        }
        ExprKind::IsSet(inner) => {
            let inner = expr(inner);
            quote!(#inner.is_some())
        }
        ExprKind::Not(inner) => negate(inner),
        ExprKind::BoolEquals(a, b) => match (&a.kind, &b.kind) {
            (_, ExprKind::Bool(true)) => operand(a),
            (_, ExprKind::Bool(false)) => negate(a),
            (ExprKind::Bool(true), _) => operand(b),
            (ExprKind::Bool(false), _) => negate(b),
            _ => {
                let (a, b) = (operand(a), operand(b));
                quote!(#a == #b)
            }
        },
        ExprKind::StringEquals(a, b) => string_equals(a, b, false),
        ExprKind::Attr { target, accessor } => {
            let target = expr(target);
            let name = ident(accessor.name);
            if accessor.method {
                quote!(#target.#name())
            } else {
                quote!(#target.#name)
            }
        }
        ExprKind::Index(target, index) => {
            let target = expr(target);
            if *index == 0 {
                quote!(#target.first().copied())
            } else {
                let index = Lit::usize_unsuffixed(*index);
                quote!(#target.get(#index).copied())
            }
        }
        ExprKind::Call(function, args) => {
            let name = ident(function.runtime_name());
            let args = args.iter().map(|arg| if arg.ty == Type::String { str_ref(arg) } else { expr(arg) });
            if *function == Function::Partition {
                quote!(rt::#name(PARTITIONS, #(#args),*))
            } else {
                quote!(rt::#name(#(#args),*))
            }
        }
    }
}

/// `a == b` (or `a != b`); `a.is_empty()` against `""`.
fn string_equals(a: &Expr, b: &Expr, negated: bool) -> TokenStream {
    let empty = |e: &Expr| matches!(&e.kind, ExprKind::String(s) if s.is_empty());
    let not = if negated { quote!(!) } else { quote!() };
    if empty(b) || empty(a) {
        let other = if empty(b) { a } else { b };
        let other = expr(other);
        return quote!(#not #other.is_empty());
    }
    let (a, b) = (str_ref(a), str_ref(b));
    if negated {
        quote!(#a != #b)
    } else {
        quote!(#a == #b)
    }
}

/// An expression that can stand next to an operator: parenthesized unless it is a
/// variable, literal, field, method or function call.
fn operand(e: &Expr) -> TokenStream {
    let tokens = expr(e);
    match e.kind {
        ExprKind::Local(_)
        | ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::String(_)
        | ExprKind::IsSet(_)
        | ExprKind::Attr { .. }
        | ExprKind::Index(..)
        | ExprKind::Call(..) => tokens,
        _ => quote!((#tokens)),
    }
}

/// `!e`, simplified: `!!x` is `x`, `!(a == b)` is `a != b`, `!x.is_some()` is `x.is_none()`.
fn negate(e: &Expr) -> TokenStream {
    match &e.kind {
        ExprKind::Not(inner) => expr(inner),
        ExprKind::IsSet(inner) => {
            let inner = expr(inner);
            quote!(#inner.is_none())
        }
        ExprKind::StringEquals(a, b) => string_equals(a, b, true),
        ExprKind::BoolEquals(a, b) => match (&a.kind, &b.kind) {
            (_, ExprKind::Bool(true)) => negate(a),
            (_, ExprKind::Bool(false)) => operand(a),
            (ExprKind::Bool(true), _) => negate(b),
            (ExprKind::Bool(false), _) => operand(b),
            _ => {
                let (a, b) = (operand(a), operand(b));
                quote!(#a != #b)
            }
        },
        _ => {
            let tokens = expr(e);
            quote!(!#tokens)
        }
    }
}

fn auth_scheme_tokens(scheme: &AuthScheme) -> TokenStream {
    let opt = |e: &Option<Expr>| match e {
        Some(e) => {
            let e = str_ref(e);
            quote!(Some(#e))
        }
        None => quote!(None),
    };
    let name = str_ref(&scheme.name);
    let signing_name = opt(&scheme.signing_name);
    let signing_region = opt(&scheme.signing_region);
    let region_set = match &scheme.signing_region_set {
        Some(set) => {
            let set = set.iter().map(str_ref);
            quote!(Some(&[#(#set),*]))
        }
        None => quote!(None),
    };
    let double = match scheme.disable_double_encoding {
        Some(b) => quote!(Some(#b)),
        None => quote!(None),
    };
    let new = quote!(rt::AuthSchemeRef::new(#name, #signing_name, #signing_region, #region_set, #double));
    if scheme.other.is_empty() {
        new
    } else {
        let other = properties_tokens(&scheme.other);
        quote!(rt::AuthSchemeRef { other: #other, ..#new })
    }
}

/// Properties as a borrowed slice of `(key, rt::ValueRef)`.
fn properties_tokens(properties: &[(String, Property)]) -> TokenStream {
    let entries = properties.iter().map(|(key, value)| {
        let value = property_tokens(value);
        quote!((#key, #value))
    });
    quote!(&[#(#entries),*])
}

fn property_tokens(property: &Property) -> TokenStream {
    match property {
        Property::String(e) => {
            let e = str_ref(e);
            quote!(rt::ValueRef::String(#e))
        }
        Property::Bool(b) => quote!(rt::ValueRef::Bool(#b)),
        Property::Array(items) => {
            let items = items.iter().map(property_tokens);
            quote!(rt::ValueRef::Array(&[#(#items),*]))
        }
        Property::Object(entries) => {
            let entries = properties_tokens(entries);
            quote!(rt::ValueRef::Object(#entries))
        }
    }
}

fn partitions_rs(partitions: &[Partition]) -> TokenStream {
    let entries = partitions.iter().map(|p| {
        let (name, dns, dual) = (&p.name, &p.dns_suffix, &p.dual_stack_dns_suffix);
        let (fips, dual_stack) = (p.supports_fips, p.supports_dual_stack);
        let global = match &p.implicit_global_region {
            Some(region) => quote!(Some(#region)),
            None => quote!(None),
        };
        let regions = &p.regions;
        let pieces = p.region_regex.iter().map(|piece| match piece {
            RegexPiece::Literal(text) => quote!(RegexPiece::Literal(#text)),
            RegexPiece::OneOf(alternatives) => quote!(RegexPiece::OneOf(&[#(#alternatives),*])),
            RegexPiece::One(class) => {
                let class = char_class(*class);
                quote!(RegexPiece::One(#class))
            }
            RegexPiece::OneOrMore(class) => {
                let class = char_class(*class);
                quote!(RegexPiece::OneOrMore(#class))
            }
        });
        quote! {
            Partition {
                name: #name,
                dns_suffix: #dns,
                dual_stack_dns_suffix: #dual,
                supports_fips: #fips,
                supports_dual_stack: #dual_stack,
                implicit_global_region: #global,
                regions: &[#(#regions),*],
                region_regex: &[#(#pieces),*],
            },
        }
    });
    quote! {
        //! The partitions of `partitions.json`, as a table (see [`PARTITIONS`]).

        use s3_runtime::endpoint::{CharClass, Partition, RegexPiece};

        /// `partitions.json`: each partition's outputs, its regions by name (sorted) and
        /// its `regionRegex`, compiled by the generator. `aws.partition` searches it with
        /// [`s3_runtime::endpoint::partition`].
        pub static PARTITIONS: &[Partition] = &[#(#entries)*];
    }
}

fn char_class(class: CharClass) -> TokenStream {
    match class {
        CharClass::Word => quote!(CharClass::Word),
        CharClass::Digit => quote!(CharClass::Digit),
    }
}
