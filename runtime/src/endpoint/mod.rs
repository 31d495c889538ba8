//! Endpoint resolution support: what the generated resolver (`s3::endpoint`) returns and
//! the functions of the Smithy rules engine it calls.
//!
//! The generator compiles the endpoint rule set to plain Rust; each of the rule
//! language's functions becomes either an operator or a call into this module:
//!
//! | rules function | generated Rust |
//! |---|---|
//! | `isSet(x)` | `if let`/`let … else` on the `Option`, or `x.is_some()` |
//! | `not(x)` | `!x` |
//! | `booleanEquals(a, b)` | `a == b` (`a` / `!a` against a literal) |
//! | `stringEquals(a, b)` | `a == b` on `&str` |
//! | `getAttr(v, "path")` | the typed accessor: [`Url::scheme`], [`Arn::resource_id`]`.get(1)`, [`Partition::dns_suffix`](Partition) … |
//! | `substring` | [`substring`] |
//! | `uriEncode` | [`uri_encode`] |
//! | `parseURL` | [`parse_url`] |
//! | `isValidHostLabel` | [`is_valid_host_label`] |
//! | `aws.partition` | [`partition`], over the table generated from `partitions.json` |
//! | `aws.parseArn` | [`parse_arn`] |
//! | `aws.isVirtualHostableS3Bucket` | [`is_virtual_hostable_s3_bucket`] |
//!
//! Each follows the Smithy rules-engine specification (and, where it is silent, its
//! reference implementation); the item documentation says where botocore differs.

mod arn;
mod functions;
mod partition;

use std::error::Error as StdError;
use std::fmt;

pub use arn::{parse_arn, Arn};
pub use functions::{
    is_valid_host_label, is_virtual_hostable_s3_bucket, parse_url, substring, uri_encode, Url,
};
pub use partition::{partition, CharClass, Partition, RegexPiece};

/// A resolved endpoint: where to send the request and how to sign it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoint {
    /// The URL, such as `https://bucket.s3.us-west-2.amazonaws.com`.
    pub url: String,
    /// Headers to add to the request, each with its values, in rule-set order.
    pub headers: Vec<(String, Vec<String>)>,
    /// Everything else the rule set says about the endpoint.
    pub properties: Properties,
}

/// The `properties` of an endpoint: the `authSchemes` in typed form, and any other
/// property as it appears in the rule set (S3 sets `backend`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Properties {
    /// The `authSchemes` property, in priority order.
    pub auth_schemes: Vec<AuthScheme>,
    /// Every other property, in rule-set order.
    pub other: Vec<(String, Value)>,
}

impl Properties {
    /// A property other than `authSchemes`, by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.other.iter().find(|(key, _)| key == name).map(|(_, value)| value)
    }
}

/// One entry of an endpoint's `authSchemes`: a signing scheme (`sigv4`, `sigv4a`,
/// `sigv4-s3express`) and how to configure it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthScheme {
    /// `name`: `sigv4`, `sigv4a` or `sigv4-s3express`.
    pub name: String,
    /// `signingName`: the service name to sign with (`s3`, `s3-outposts`, …).
    pub signing_name: Option<String>,
    /// `signingRegion` (SigV4).
    pub signing_region: Option<String>,
    /// `signingRegionSet` (SigV4a).
    pub signing_region_set: Option<Vec<String>>,
    /// `disableDoubleEncoding`: when true, the path is not escaped a second time when
    /// signing.
    pub disable_double_encoding: Option<bool>,
    /// Any other key, in rule-set order.
    pub other: Vec<(String, Value)>,
}

impl AuthScheme {
    /// A scheme from the keys the generated resolver knows; other keys go in
    /// [`other`](Self::other). One plain function keeps each generated endpoint to a line.
    pub fn new(
        name: &str,
        signing_name: Option<&str>,
        signing_region: Option<&str>,
        signing_region_set: Option<&[&str]>,
        disable_double_encoding: Option<bool>,
    ) -> Self {
        AuthScheme {
            name: name.to_owned(),
            signing_name: signing_name.map(str::to_owned),
            signing_region: signing_region.map(str::to_owned),
            signing_region_set: signing_region_set
                .map(|set| set.iter().map(|region| (*region).to_owned()).collect()),
            disable_double_encoding,
            other: Vec::new(),
        }
    }
}

/// An `authSchemes` entry as the generated resolver writes it, borrowed: see
/// [`Endpoint::from_rule`].
#[derive(Clone, Copy, Debug)]
pub struct AuthSchemeRef<'a> {
    /// `name`.
    pub name: &'a str,
    /// `signingName`.
    pub signing_name: Option<&'a str>,
    /// `signingRegion`.
    pub signing_region: Option<&'a str>,
    /// `signingRegionSet`.
    pub signing_region_set: Option<&'a [&'a str]>,
    /// `disableDoubleEncoding`.
    pub disable_double_encoding: Option<bool>,
    /// Any other key, in rule-set order.
    pub other: &'a [(&'a str, ValueRef<'a>)],
}

impl<'a> AuthSchemeRef<'a> {
    /// A scheme from the keys the generated resolver knows, with no other keys.
    pub const fn new(
        name: &'a str,
        signing_name: Option<&'a str>,
        signing_region: Option<&'a str>,
        signing_region_set: Option<&'a [&'a str]>,
        disable_double_encoding: Option<bool>,
    ) -> Self {
        AuthSchemeRef { name, signing_name, signing_region, signing_region_set, disable_double_encoding, other: &[] }
    }

    fn owned(self) -> AuthScheme {
        AuthScheme {
            other: self.other.iter().map(|(key, value)| ((*key).to_owned(), value.owned())).collect(),
            ..AuthScheme::new(
                self.name,
                self.signing_name,
                self.signing_region,
                self.signing_region_set,
                self.disable_double_encoding,
            )
        }
    }
}

/// A property [`Value`] as the generated resolver writes it, borrowed: see
/// [`Endpoint::from_rule`].
#[derive(Clone, Copy, Debug)]
pub enum ValueRef<'a> {
    /// A string.
    String(&'a str),
    /// A boolean.
    Bool(bool),
    /// An array.
    Array(&'a [ValueRef<'a>]),
    /// An object, its keys in rule-set order.
    Object(&'a [(&'a str, ValueRef<'a>)]),
}

impl ValueRef<'_> {
    fn owned(self) -> Value {
        match self {
            ValueRef::String(value) => Value::String(value.to_owned()),
            ValueRef::Bool(value) => Value::Bool(value),
            ValueRef::Array(items) => Value::Array(items.iter().map(|item| item.owned()).collect()),
            ValueRef::Object(entries) => {
                Value::Object(entries.iter().map(|(key, value)| ((*key).to_owned(), value.owned())).collect())
            }
        }
    }
}

/// A property value that has no typed place: the rule language's documents are strings,
/// booleans, arrays and objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An array.
    Array(Vec<Value>),
    /// An object, its keys in rule-set order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// A string value.
    pub fn string(value: &str) -> Self {
        Value::String(value.to_owned())
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(value) => Some(value),
            _ => None,
        }
    }
}

impl Endpoint {
    /// The endpoint at `url`, with no headers or properties.
    pub fn new(url: &str) -> Self {
        Endpoint { url: url.to_owned(), ..Endpoint::default() }
    }

    /// The endpoint of an endpoint rule: the URL's parts (joined here), headers, auth
    /// schemes and other properties, all borrowed. The generated resolver's outcomes
    /// are one call each, so that the resolver itself builds no `String`s or `Vec`s
    /// (that code, once here, would otherwise be repeated for each of its ~180
    /// endpoints).
    pub fn from_rule(
        url: &[&str],
        headers: &[(&str, &[&str])],
        auth_schemes: &[AuthSchemeRef<'_>],
        other: &[(&str, ValueRef<'_>)],
    ) -> Self {
        Endpoint {
            url: url.concat(),
            headers: headers
                .iter()
                .map(|(name, values)| ((*name).to_owned(), values.iter().map(|value| (*value).to_owned()).collect()))
                .collect(),
            properties: Properties {
                auth_schemes: auth_schemes.iter().map(|scheme| scheme.owned()).collect(),
                other: other.iter().map(|(key, value)| ((*key).to_owned(), value.owned())).collect(),
            },
        }
    }

    /// The auth scheme to sign with: the first entry of the endpoint's `authSchemes`
    /// (they are in priority order) that this client supports, as the specification
    /// says: `sigv4`, `sigv4a` (multi-region access points) and `sigv4-s3express` (S3
    /// Express One Zone session auth). Unknown names are skipped; so is `sigv4a` when the
    /// crate is built without its `sigv4a` feature and a later scheme can be used.
    ///
    /// Fails when the endpoint names no scheme this client can sign with (the message
    /// names the `sigv4a` feature when that is what is missing).
    pub fn auth_scheme(&self) -> Result<&AuthScheme, EndpointError> {
        let schemes = &self.properties.auth_schemes;
        let usable = |scheme: &&AuthScheme| match scheme.name.as_str() {
            "sigv4" | "sigv4-s3express" => true,
            "sigv4a" => crate::sigv4::v4a::is_available(),
            _ => false,
        };
        if let Some(scheme) = schemes.iter().find(usable) {
            return Ok(scheme);
        }
        let message = if schemes.is_empty() {
            "the endpoint names no auth scheme".to_owned()
        } else if schemes.iter().any(|scheme| scheme.name == "sigv4a") {
            "this endpoint needs SigV4a signing (multi-region access points), but the client was built \
             without the `sigv4a` cargo feature (of `s3` and `s3-runtime`, on by default); enable it"
                .to_owned()
        } else {
            let names: Vec<&str> = schemes.iter().map(|scheme| scheme.name.as_str()).collect();
            format!("the endpoint offers no auth scheme this client can sign with: {}", names.join(", "))
        };
        Err(EndpointError { kind: EndpointErrorKind::UnsupportedAuthScheme, message })
    }
}

/// Why no endpoint could be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

/// The kinds of [`EndpointError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointErrorKind {
    /// An `error` rule of the rule set matched: the parameters describe something the
    /// service does not support (`Accelerate cannot be used with FIPS`).
    Rule,
    /// A required parameter was not set.
    MissingParameter,
    /// No rule matched (the rule set, or a tree rule of it, was exhausted).
    NoRuleMatched,
    /// The endpoint names no signing scheme this client can use (an unknown one, or
    /// `sigv4a` without the `sigv4a` feature).
    UnsupportedAuthScheme,
}

impl EndpointError {
    /// The message of a matched `error` rule, exactly as the rule set words it.
    pub fn rule(message: &str) -> Self {
        EndpointError { kind: EndpointErrorKind::Rule, message: message.to_owned() }
    }
    /// A required parameter (by its rule-set name) was not set.
    pub fn missing_parameter(name: &str) -> Self {
        EndpointError {
            kind: EndpointErrorKind::MissingParameter,
            message: format!("the required endpoint parameter `{name}` is not set"),
        }
    }
    /// No rule matched the parameters.
    pub fn no_rule_matched() -> Self {
        EndpointError {
            kind: EndpointErrorKind::NoRuleMatched,
            message: "no endpoint rule matched the parameters".to_owned(),
        }
    }
    /// What went wrong.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }
    /// The message; for [`EndpointErrorKind::Rule`], the rule's own message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The message alone, so that a rule's error reads as the rule set words it.
impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for EndpointError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(schemes: &[&str]) -> Endpoint {
        let mut endpoint = Endpoint::new("https://example.com");
        for name in schemes {
            let scheme = AuthScheme::new(name, Some("s3"), Some("us-east-1"), None, Some(true));
            endpoint.properties.auth_schemes.push(scheme);
        }
        endpoint
    }

    #[test]
    fn auth_scheme_is_the_first_supported_one() {
        assert_eq!(endpoint(&["sigv4"]).auth_scheme().unwrap().name, "sigv4");
        assert_eq!(endpoint(&["sigv4-s3express"]).auth_scheme().unwrap().name, "sigv4-s3express");
        let both = endpoint(&["sigv4a", "sigv4"]);
        let want = if crate::sigv4::v4a::is_available() { "sigv4a" } else { "sigv4" };
        assert_eq!(both.auth_scheme().unwrap().name, want);
        assert_eq!(endpoint(&["unknown", "sigv4"]).auth_scheme().unwrap().name, "sigv4");
    }

    #[test]
    fn auth_scheme_errors() {
        let err = endpoint(&["unknown"]).auth_scheme().unwrap_err();
        assert_eq!(err.to_string(), "the endpoint offers no auth scheme this client can sign with: unknown");
        assert_eq!(err.kind(), EndpointErrorKind::UnsupportedAuthScheme);
        let err = endpoint(&[]).auth_scheme().unwrap_err();
        assert_eq!(err.to_string(), "the endpoint names no auth scheme");
        let only_v4a = endpoint(&["sigv4a"]);
        let only_v4a = only_v4a.auth_scheme();
        if crate::sigv4::v4a::is_available() {
            assert_eq!(only_v4a.unwrap().name, "sigv4a");
        } else {
            assert!(only_v4a.unwrap_err().to_string().contains("`sigv4a` cargo feature"));
        }
    }

    #[test]
    fn auth_scheme_new_copies_its_arguments() {
        let scheme = AuthScheme::new("sigv4a", Some("s3"), None, Some(&["*"]), Some(true));
        assert_eq!(scheme.signing_region_set, Some(vec!["*".to_owned()]));
        assert_eq!(scheme.signing_region, None);
        assert!(scheme.other.is_empty());
    }

    #[test]
    fn from_rule_owns_what_the_rule_lends() {
        let region = String::from("us-west-2");
        let endpoint = Endpoint::from_rule(
            &["https://", "bucket", ".s3.", &region, ".amazonaws.com"],
            &[("x-amz-a", &["1", "2"])],
            &[
                AuthSchemeRef::new("sigv4a", Some("s3"), None, Some(&["*"]), Some(true)),
                AuthSchemeRef {
                    other: &[("extra", ValueRef::Bool(true))],
                    ..AuthSchemeRef::new("sigv4", Some("s3"), Some(&region), None, Some(true))
                },
            ],
            &[
                ("backend", ValueRef::String("S3Express")),
                ("list", ValueRef::Array(&[ValueRef::String("a"), ValueRef::Object(&[("k", ValueRef::Bool(false))])])),
            ],
        );
        let mut sigv4 = AuthScheme::new("sigv4", Some("s3"), Some("us-west-2"), None, Some(true));
        sigv4.other.push(("extra".to_owned(), Value::Bool(true)));
        let want = Endpoint {
            url: "https://bucket.s3.us-west-2.amazonaws.com".to_owned(),
            headers: vec![("x-amz-a".to_owned(), vec!["1".to_owned(), "2".to_owned()])],
            properties: Properties {
                auth_schemes: vec![AuthScheme::new("sigv4a", Some("s3"), None, Some(&["*"]), Some(true)), sigv4],
                other: vec![
                    ("backend".to_owned(), Value::string("S3Express")),
                    (
                        "list".to_owned(),
                        Value::Array(vec![
                            Value::string("a"),
                            Value::Object(vec![("k".to_owned(), Value::Bool(false))]),
                        ]),
                    ),
                ],
            },
        };
        assert_eq!(endpoint, want);
    }

    #[test]
    fn rule_errors_read_as_the_rule_set_words_them() {
        let err = EndpointError::rule("Accelerate cannot be used with FIPS");
        assert_eq!(err.to_string(), "Accelerate cannot be used with FIPS");
        assert_eq!(err.kind(), EndpointErrorKind::Rule);
        assert_eq!(EndpointError::missing_parameter("Region").kind(), EndpointErrorKind::MissingParameter);
        assert_eq!(EndpointError::no_rule_matched().kind(), EndpointErrorKind::NoRuleMatched);
    }

    #[test]
    fn properties_lookup() {
        let mut properties = Properties::default();
        properties.other.push(("backend".to_owned(), Value::string("S3Express")));
        assert_eq!(properties.get("backend").and_then(Value::as_str), Some("S3Express"));
        assert_eq!(properties.get("missing"), None);
        assert_eq!(Value::Bool(true).as_str(), None);
    }
}
