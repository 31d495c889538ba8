//! The two STS calls credential providers make, `AssumeRole` (signed with the source
//! credentials) and `AssumeRoleWithWebIdentity` (unsigned), written by hand: STS speaks
//! the query protocol (a form-encoded POST, an XML answer), and two calls do not justify a
//! second generated SDK.

use std::time::SystemTime;

use bytes::Bytes;

use super::context::Ctx;
use super::credentials::Credentials;
use super::env::parse_expiry;
use super::provider::CredentialsError;
use crate::encoding::query_param;
use crate::sigv4::{self, PayloadHash, SignableRequest, SigningParams, SigningSettings};

/// An STS call: the action and its parameters, in the order botocore serializes them.
pub(crate) struct StsCall<'a> {
    pub action: &'static str,
    pub params: Vec<(&'static str, String)>,
    /// Signs with these credentials (`AssumeRole`); `None` sends it unsigned.
    pub sign_with: Option<&'a Credentials>,
    /// The provider name for errors.
    pub provider: &'static str,
}

/// The STS endpoint and signing region: a configured endpoint (`AWS_ENDPOINT_URL_STS`,
/// then `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true), or
/// the regional endpoint of the client's region (botocore 1.44's default
/// `sts_regional_endpoints = regional`), or the global endpoint without a region.
pub(crate) fn endpoint(ctx: &Ctx) -> (String, String) {
    let region = ctx.region.clone().filter(|r| !r.is_empty());
    let signing_region = region.clone().unwrap_or_else(|| "us-east-1".to_owned());
    let ignore = ctx.env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !ignore {
        let configured = ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"].iter().find_map(|n| ctx.env.get(n).filter(|v| !v.is_empty()));
        if let Some(url) = configured {
            return (url, signing_region);
        }
    }
    let url = match region.as_deref() {
        None | Some("aws-global") => "https://sts.amazonaws.com".to_owned(),
        Some(r) if r.starts_with("cn-") => format!("https://sts.{r}.amazonaws.com.cn"),
        Some(r) => format!("https://sts.{r}.amazonaws.com"),
    };
    (url, signing_region)
}

/// Sends the call and returns the credentials of its `Credentials` element, with the
/// account id taken from the assumed role's ARN.
pub(crate) async fn call(ctx: &Ctx, call: StsCall<'_>) -> Result<Credentials, CredentialsError> {
    let (url, region) = endpoint(ctx);
    let mut body = format!("Action={}&Version=2011-06-15", call.action);
    for (name, value) in &call.params {
        body.push('&');
        body.push_str(name);
        body.push('=');
        body.push_str(&query_param(value));
    }
    let mut headers: Vec<(String, String)> = vec![
        ("Content-Type".into(), "application/x-www-form-urlencoded; charset=utf-8".into()),
    ];
    if let Some(credentials) = call.sign_with {
        let params = SigningParams {
            credentials,
            region: &region,
            service: "sts",
            time: ctx.now(),
            payload: PayloadHash::Bytes(body.as_bytes()),
            settings: SigningSettings::GENERIC,
        };
        let signable = SignableRequest { method: "POST", url: &url, headers: &headers };
        let signed = sigv4::sign(&signable, &params).map_err(|e| CredentialsError::other(call.provider, e))?;
        signed.apply_to(&mut headers);
    }
    let header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let http = ctx.http();
    let response = super::http::send(&*http, "POST", &url, &header_refs, Bytes::from(body), std::time::Duration::from_secs(60))
        .await
        .map_err(|e| CredentialsError::other(call.provider, format!("STS {}: {e}", call.action)))?;
    let text = response.text();
    if response.status >= 300 {
        let (code, message) = error_of(&text);
        return Err(CredentialsError::other(
            call.provider,
            format!("STS {} failed with HTTP {}: {code}: {message}", call.action, response.status),
        ));
    }
    parse_credentials(&text, call.action).map_err(|why| CredentialsError::other(call.provider, format!("STS {}: {why}", call.action)))
}

/// The code and message of an STS `<ErrorResponse>` (never the request's parameters).
fn error_of(text: &str) -> (String, String) {
    let Ok(doc) = crate::xml::dom::parse(text) else { return ("Unknown".into(), "the error response is not XML".into()) };
    let mut code = String::from("Unknown");
    let mut message = String::new();
    walk(doc.root_element(), &mut |node| match node.name() {
        "Code" => code = node.text().to_owned(),
        "Message" => message = node.text().to_owned(),
        _ => {}
    });
    (code, message)
}

fn walk<'a, 'i>(node: crate::xml::dom::Node<'a, 'i>, f: &mut impl FnMut(crate::xml::dom::Node<'a, 'i>)) {
    f(node);
    for child in node.children() {
        walk(child, f);
    }
}

/// `<…Response><…Result><Credentials>…</Credentials><AssumedRoleUser><Arn>…`.
fn parse_credentials(text: &str, action: &str) -> Result<Credentials, String> {
    let doc = crate::xml::dom::parse(text).map_err(|e| format!("the response is not XML: {e}"))?;
    let root = doc.root_element();
    let expected = format!("{action}Response");
    if root.name() != expected {
        return Err(format!("expected <{expected}>, got <{}>", root.name()));
    }
    let result = child(root, &format!("{action}Result")).ok_or("no Result element")?;
    let creds = child(result, "Credentials").ok_or("no Credentials element")?;
    let field = |name: &str| child(creds, name).map(|n| n.text().to_owned()).ok_or_else(|| format!("no {name} in Credentials"));
    let expiration = field("Expiration")?;
    let expiry: SystemTime = parse_expiry(&expiration).ok_or_else(|| format!("Expiration is not a time: {expiration:?}"))?;
    let account = child(result, "AssumedRoleUser")
        .and_then(|user| child(user, "Arn"))
        .and_then(|arn| arn.text().split(':').nth(4).map(str::to_owned))
        .filter(|a| !a.is_empty());
    Ok(Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?, Some(field("SessionToken")?))
        .with_expiry(Some(expiry))
        .with_account_id(account))
}

fn child<'a, 'i>(node: crate::xml::dom::Node<'a, 'i>, name: &str) -> Option<crate::xml::dom::Node<'a, 'i>> {
    node.children().find(|c| c.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_assume_role_responses() {
        let text = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/session</Arn><AssumedRoleId>ARO:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>
      <SessionToken>token</SessionToken><Expiration>2026-12-02T10:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;
        let creds = parse_credentials(text, "AssumeRole").unwrap();
        assert_eq!(creds.access_key_id(), "ASIAEXAMPLE");
        assert_eq!(creds.session_token(), Some("token"));
        assert_eq!(creds.account_id(), Some("123456789012"));
        assert_eq!(crate::DateTime::from(creds.expiry().unwrap()).fmt(crate::DateTimeFormat::DateTime), "2026-12-02T10:00:00Z");
        assert!(parse_credentials(text, "AssumeRoleWithWebIdentity").is_err());
        assert!(parse_credentials("<AssumeRoleResponse/>", "AssumeRole").is_err());
    }

    #[test]
    fn error_responses_give_code_and_message() {
        let text = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>nope</Message></Error></ErrorResponse>";
        assert_eq!(error_of(text), ("AccessDenied".to_owned(), "nope".to_owned()));
    }
}
