//! Rust names from model names, mechanically (with `heck`), so a reader can predict them:
//! operation `ListObjectsV2` → `list_objects_v2`, shape `ObjectVersion` → `ObjectVersion`,
//! member `ContentMD5` → `content_md5`, enum value `aws:kms` → `AwsKms`.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Names that generated code uses unqualified; a shape with such a name gets a `Value`
/// suffix so it never shadows them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box", "Clone", "Copy", "Debug", "Default", "Err", "Hash", "None", "Ok", "Option",
    "PartialEq", "Result", "Self", "Send", "Some", "String", "Sync", "Vec", "Client",
    "Config",
];

/// `ListObjectsV2` → `list_objects_v2`; keywords become raw identifiers (`type` →
/// `r#type`), and the few that cannot be raw get a trailing underscore.
pub fn field_name(model_name: &str) -> String {
    let snake = model_name.to_snake_case();
    escape_keyword(if snake.is_empty() { "value".to_owned() } else { snake })
}

/// A module or function name (same rules as fields).
pub fn snake_name(model_name: &str) -> String {
    field_name(model_name)
}

/// `CORSRule` → `CorsRule`.
pub fn type_name(model_name: &str) -> String {
    let camel = model_name.to_upper_camel_case();
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    };
    if RESERVED_TYPE_NAMES.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// An enum variant for a string value: `aws:kms` → `AwsKms`, `us-east-1` → `UsEast1`,
/// `s3:ObjectCreated:*` → `S3ObjectCreatedAll`.
pub fn variant_name(value: &str) -> String {
    let mut words = String::new();
    for c in value.chars() {
        match c {
            '*' => words.push_str(" All "),
            c if c.is_ascii_alphanumeric() => words.push(c),
            _ => words.push(' '),
        }
    }
    let camel = words.to_upper_camel_case();
    if camel.is_empty() {
        "Empty".to_owned()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    }
}

fn escape_keyword(name: String) -> String {
    match name.as_str() {
        "self" | "super" | "crate" | "Self" => format!("{name}_"),
        _ if syn::parse_str::<syn::Ident>(&name).is_err() => format!("r#{name}"),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field_name("ContentMD5"), "content_md5");
        assert_eq!(field_name("SSECustomerKey"), "sse_customer_key");
        assert_eq!(field_name("ETag"), "e_tag");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(snake_name("ListObjectsV2"), "list_objects_v2");
    }

    #[test]
    fn types() {
        assert_eq!(type_name("CORSRule"), "CorsRule");
        assert_eq!(type_name("ObjectVersion"), "ObjectVersion");
        assert_eq!(type_name("String"), "StringValue");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("aws:kms"), "AwsKms");
        assert_eq!(variant_name("us-east-1"), "UsEast1");
        assert_eq!(variant_name("STANDARD_IA"), "StandardIa");
        assert_eq!(variant_name("s3:ObjectCreated:*"), "S3ObjectCreatedAll");
        assert_eq!(variant_name("EU"), "Eu");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name(""), "Empty");
    }
}
