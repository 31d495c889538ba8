//! botocore's S3 endpoint rule-set tests (`data/s3-endpoint-tests-1.json`, see
//! `data/README.md`): every case's `params` go through `s3::endpoint::resolve_endpoint`,
//! and the endpoint (URL, headers, properties with `authSchemes`) or the error message
//! must be exactly the expected one.

use serde_json::{json, Map, Value};

use s3::endpoint::{resolve_endpoint, AuthScheme, Endpoint, Params, Value as PropertyValue};

const CASES: &str = include_str!("data/s3-endpoint-tests-1.json");

/// A case's `params` as [`Params`], by rule-set name.
fn params(case: &Map<String, Value>) -> Params {
    let mut builder = Params::builder();
    for (name, value) in case {
        let (text, flag) = (value.as_str().map(str::to_owned), value.as_bool());
        let want_bool = || flag.unwrap_or_else(|| panic!("parameter {name}: {value} is not a boolean"));
        let want_text = || text.clone().unwrap_or_else(|| panic!("parameter {name}: {value} is not a string"));
        builder = match name.as_str() {
            "Bucket" => builder.bucket(want_text()),
            "Region" => builder.region(want_text()),
            "UseFIPS" => builder.use_fips(want_bool()),
            "UseDualStack" => builder.use_dual_stack(want_bool()),
            "Endpoint" => builder.endpoint(want_text()),
            "ForcePathStyle" => builder.force_path_style(want_bool()),
            "Accelerate" => builder.accelerate(want_bool()),
            "UseGlobalEndpoint" => builder.use_global_endpoint(want_bool()),
            "UseObjectLambdaEndpoint" => builder.use_object_lambda_endpoint(want_bool()),
            "Key" => builder.key(want_text()),
            "Prefix" => builder.prefix(want_text()),
            "CopySource" => builder.copy_source(want_text()),
            "DisableAccessPoints" => builder.disable_access_points(want_bool()),
            "DisableMultiRegionAccessPoints" => builder.disable_multi_region_access_points(want_bool()),
            "UseArnRegion" => builder.use_arn_region(want_bool()),
            "UseS3ExpressControlEndpoint" => builder.use_s3_express_control_endpoint(want_bool()),
            "DisableS3ExpressSessionAuth" => builder.disable_s3_express_session_auth(want_bool()),
            other => panic!("unknown endpoint parameter {other}"),
        };
    }
    builder.build()
}

fn property_json(value: &PropertyValue) -> Value {
    match value {
        PropertyValue::String(s) => json!(s),
        PropertyValue::Bool(b) => json!(b),
        PropertyValue::Array(items) => Value::Array(items.iter().map(property_json).collect()),
        PropertyValue::Object(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), property_json(v))).collect())
        }
    }
}

fn auth_scheme_json(scheme: &AuthScheme) -> Value {
    let mut object = Map::new();
    object.insert("name".into(), json!(scheme.name));
    if let Some(name) = &scheme.signing_name {
        object.insert("signingName".into(), json!(name));
    }
    if let Some(region) = &scheme.signing_region {
        object.insert("signingRegion".into(), json!(region));
    }
    if let Some(set) = &scheme.signing_region_set {
        object.insert("signingRegionSet".into(), json!(set));
    }
    if let Some(disable) = scheme.disable_double_encoding {
        object.insert("disableDoubleEncoding".into(), json!(disable));
    }
    for (key, value) in &scheme.other {
        object.insert(key.clone(), property_json(value));
    }
    Value::Object(object)
}

/// The endpoint in the test file's form; `headers` and `properties` always present.
fn endpoint_json(endpoint: &Endpoint) -> Value {
    let mut properties = Map::new();
    if !endpoint.properties.auth_schemes.is_empty() {
        let schemes = endpoint.properties.auth_schemes.iter().map(auth_scheme_json).collect();
        properties.insert("authSchemes".into(), Value::Array(schemes));
    }
    for (key, value) in &endpoint.properties.other {
        properties.insert(key.clone(), property_json(value));
    }
    let headers: Map<String, Value> = endpoint.headers.iter().map(|(name, values)| (name.clone(), json!(values))).collect();
    json!({"url": endpoint.url, "headers": headers, "properties": properties})
}

/// `None` if the case passes, else what went wrong.
fn run_case(case: &Value) -> Option<String> {
    let params = params(case["params"].as_object().expect("params"));
    let got = resolve_endpoint(&params);
    let expect = &case["expect"];
    if let Some(message) = expect.get("error") {
        return match got {
            Err(err) if json!(err.to_string()) == *message => None,
            Err(err) => Some(format!("expected error {message}, got error {:?}", err.to_string())),
            Ok(endpoint) => Some(format!("expected error {message}, got endpoint {}", endpoint_json(&endpoint))),
        };
    }
    let mut want = expect["endpoint"].clone();
    for key in ["headers", "properties"] {
        if want.get(key).is_none() {
            want[key] = json!({});
        }
    }
    match got {
        Ok(endpoint) if endpoint_json(&endpoint) == want => None,
        Ok(endpoint) => Some(format!("expected endpoint {want}\n       got endpoint {}", endpoint_json(&endpoint))),
        Err(err) => Some(format!("expected endpoint {want}, got error {:?}", err.to_string())),
    }
}

#[test]
fn botocore_s3_endpoint_rule_set_tests() {
    let doc: Value = serde_json::from_str(CASES).expect("the test file is JSON");
    let cases = doc["testCases"].as_array().expect("testCases");
    assert_eq!(cases.len(), 393, "botocore 1.44.8 has 393 S3 endpoint test cases");
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        if let Some(problem) = run_case(case) {
            failures.push(format!("case {i}: {}\n       {problem}", case["documentation"].as_str().unwrap_or("")));
        }
    }
    for failure in &failures {
        println!("FAILED {failure}");
    }
    println!("{} passed, {} failed", cases.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{} of {} endpoint test cases failed", failures.len(), cases.len());
}

#[test]
fn auth_schemes_of_resolved_endpoints() {
    use s3_runtime::orchestrator::{SigningScheme, Target, TargetDefaults};
    let defaults = |bucket| TargetDefaults { region: Some("us-east-1"), signing_name: "s3", bucket, sigv4a_region_set: None };

    let params = Params::builder().bucket("bucket").region("us-west-2").build();
    let endpoint = resolve_endpoint(&params).unwrap();
    assert_eq!(endpoint.url, "https://bucket.s3.us-west-2.amazonaws.com");
    let sigv4 = endpoint.auth_scheme().unwrap();
    assert_eq!(
        (sigv4.name.as_str(), sigv4.signing_name.as_deref(), sigv4.signing_region.as_deref(), sigv4.disable_double_encoding),
        ("sigv4", Some("s3"), Some("us-west-2"), Some(true))
    );
    let target = Target::from_endpoint(&endpoint, &defaults(Some("bucket"))).unwrap();
    assert_eq!((target.signing_region.as_str(), &target.scheme), ("us-west-2", &SigningScheme::SigV4));

    // A multi-region access point: SigV4a for every region, or the configured set.
    let mrap = "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap";
    let params = Params::builder().bucket(mrap).region("us-east-1").build();
    let endpoint = resolve_endpoint(&params).unwrap();
    assert_eq!(endpoint.url, "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com");
    let target = Target::from_endpoint(&endpoint, &defaults(Some(mrap))).unwrap();
    assert_eq!(target.scheme, SigningScheme::SigV4a { region_set: "*".into() });
    assert_eq!(target.signing_name, "s3");
    let configured = TargetDefaults { sigv4a_region_set: Some("us-west-2,us-east-1"), ..defaults(Some(mrap)) };
    let target = Target::from_endpoint(&endpoint, &configured).unwrap();
    assert_eq!(target.scheme, SigningScheme::SigV4a { region_set: "us-west-2,us-east-1".into() });
    // A malformed MRAP ARN is refused by the rules, before anything is sent.
    let params = Params::builder().bucket("arn:aws:s3::123456789012:accesspoint:my_endpoint").region("us-east-1").build();
    assert_eq!(resolve_endpoint(&params).unwrap_err().to_string(), "Invalid Access Point Name");
    // The `accesspoint/name` form is the same access point.
    let slash = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";
    let params = Params::builder().bucket(slash).region("us-east-1").build();
    assert_eq!(resolve_endpoint(&params).unwrap(), endpoint);

    // An S3 Express directory bucket: session auth, service `s3express`.
    let bucket = "mybucket--usw2-az1--x-s3";
    let params = Params::builder().bucket(bucket).region("us-west-2").build();
    let endpoint = resolve_endpoint(&params).unwrap();
    let target = Target::from_endpoint(&endpoint, &defaults(Some(bucket))).unwrap();
    assert_eq!(target.scheme, SigningScheme::S3Express { bucket: bucket.into() });
    assert_eq!((target.signing_name.as_str(), target.signing_region.as_str()), ("s3express", "us-west-2"));
    // Session auth disabled: plain SigV4, still for `s3express`.
    let params = Params::builder().bucket(bucket).region("us-west-2").disable_s3_express_session_auth(true).build();
    let target = Target::from_endpoint(&resolve_endpoint(&params).unwrap(), &defaults(Some(bucket))).unwrap();
    assert_eq!((target.signing_name.as_str(), &target.scheme), ("s3express", &SigningScheme::SigV4));
}

#[test]
fn defaults_apply_without_the_builder() {
    // `Params::default()` leaves the defaulted parameters unset; resolution applies them.
    let params = Params { region: Some("eu-west-1".into()), ..Params::default() };
    assert_eq!(params.use_fips, None);
    assert_eq!(resolve_endpoint(&params).unwrap().url, "https://s3.eu-west-1.amazonaws.com");
    assert_eq!(Params::builder().build().use_fips, Some(false));
}

#[test]
fn rule_errors_carry_the_rule_message() {
    let params = Params::builder().region("us-east-1").accelerate(true).use_fips(true).build();
    let err = resolve_endpoint(&params).unwrap_err();
    assert_eq!(err.kind(), s3::endpoint::EndpointErrorKind::Rule);
    assert_eq!(err.message(), "Accelerate cannot be used with FIPS");
}
