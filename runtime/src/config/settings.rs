//! [`SharedConfig`]: the client settings the environment and the shared config files
//! give, resolved as botocore's session and `ClientArgsCreator` resolve them.

use std::fmt;

use super::env::chosen_profile;
use super::error::{ConfigError, SettingOrigin};
use super::profile::{Profile, ProfileFiles, Property};

/// How bucket names go into request URLs (`s3 = addressing_style = …`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AddressingStyle {
    /// Virtual-hosted style where the bucket name allows it, path style otherwise.
    #[default]
    Auto,
    /// Always `https://endpoint/bucket/key`.
    Path,
    /// Always `https://bucket.endpoint/key`.
    Virtual,
}

/// How failed requests are retried (`retry_mode`, `AWS_RETRY_MODE`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RetryMode {
    /// botocore's original retry handler.
    Legacy,
    /// The standard retry mode, with a retry quota.
    #[default]
    Standard,
    /// Standard retries plus client-side rate limiting.
    Adaptive,
}

/// When request checksums are computed (`request_checksum_calculation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RequestChecksumCalculation {
    /// For every operation that supports a checksum.
    #[default]
    WhenSupported,
    /// Only for operations that require one.
    WhenRequired,
}

/// When response checksums are validated (`response_checksum_validation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResponseChecksumValidation {
    /// For every operation that supports it.
    #[default]
    WhenSupported,
    /// Only when the request asked for a checksum.
    WhenRequired,
}

/// Client settings from the environment and the shared config files.
///
/// Each setting is resolved in botocore's order: environment variables first, then the
/// profile, then botocore's default. The profile is `AWS_DEFAULT_PROFILE`, else
/// `AWS_PROFILE`, else `default`; its keys are those of the config file's profile with the
/// credentials file's section of the same name laid over them, as in botocore's
/// `session.full_config`.
///
/// Rules botocore applies and this follows:
///
/// - an environment variable that is set wins even when it is empty (botocore's
///   `EnvironmentProvider` tests `name in os.environ`), except where noted;
/// - booleans are `true` when the value is `true` in any case, and `false` for anything
///   else (`utils.ensure_boolean`): `1`, `yes` and `on` are `false`;
/// - `max_attempts` is a whole number (Python's `int()`).
///
/// Values botocore refuses when it creates a client make loading fail, naming the
/// variable, or the file and line, of the value: an unknown `retry_mode`,
/// `addressing_style` or checksum setting, a `max_attempts` that is not a whole number or
/// is below 1, a plain `s3 = value` where a nested block belongs, and a `services = NAME`
/// with no `[services NAME]` section (when no environment variable gives the endpoint).
///
/// `Debug` hides any user name and password in the endpoint URL.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SharedConfig {
    /// The profile whose settings were read.
    pub profile: String,
    /// `AWS_REGION` (when not empty; other SDKs read it, botocore does not), then
    /// `AWS_DEFAULT_REGION`, then the profile's `region`. An empty value is no region.
    pub region: Option<String>,
    /// A custom endpoint, as botocore's `ConfiguredEndpointProvider`: the first non-empty
    /// one of `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the `s3 = endpoint_url = …`
    /// setting of the `[services NAME]` section the profile names with `services = NAME`,
    /// and the profile's `endpoint_url`; none at all when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
    /// (or the profile's `ignore_configured_endpoint_urls`) is true. botocore does not read
    /// an `endpoint_url` nested under a profile's `s3 =`.
    pub endpoint_url: Option<String>,
    /// The profile's `s3 = addressing_style` (no environment variable); `auto` by default.
    pub addressing_style: AddressingStyle,
    /// The profile's `s3 = use_accelerate_endpoint` (no environment variable).
    pub use_accelerate_endpoint: bool,
    /// Dual-stack endpoints, as botocore's `_resolve_use_dualstack_endpoint` decides for
    /// S3: `true` when the profile's `s3 = use_dualstack_endpoint` is true; otherwise
    /// `AWS_USE_DUALSTACK_ENDPOINT`, then the profile's `use_dualstack_endpoint`. (botocore
    /// compares the nested value with `true`/`True`, but by then its `SectionConfigProvider`
    /// has replaced it with its `ensure_boolean` in the scoped config, so `TRUE` counts too,
    /// and a nested false gives way to the other two.)
    pub use_dualstack_endpoint: bool,
    /// `AWS_USE_FIPS_ENDPOINT`, then the profile's `use_fips_endpoint`.
    pub use_fips_endpoint: bool,
    /// `AWS_S3_USE_ARN_REGION`, then the profile's `s3_use_arn_region`, then its
    /// `s3 = use_arn_region`; `true` by default (as botocore's endpoint builtins).
    pub use_arn_region: bool,
    /// `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS`, then the profile's
    /// `s3 = s3_disable_multiregion_access_points`.
    pub s3_disable_multiregion_access_points: bool,
    /// `AWS_S3_DISABLE_EXPRESS_SESSION_AUTH`, then the profile's
    /// `s3_disable_express_session_auth`: sign S3 Express requests with plain SigV4
    /// instead of session credentials. `None` when neither is set.
    pub s3_disable_express_session_auth: Option<bool>,
    /// `AWS_SIGV4A_SIGNING_REGION_SET`, then the profile's `sigv4a_signing_region_set`
    /// (when not empty): the region set of SigV4a signatures.
    pub sigv4a_signing_region_set: Option<String>,
    /// `AWS_CA_BUNDLE`, then the profile's `ca_bundle`: a PEM file of the certificate
    /// authorities to trust instead of the built-in ones (when not empty).
    pub ca_bundle: Option<String>,
    /// `AWS_MAX_ATTEMPTS`, then the profile's `max_attempts`: attempts in all, the first
    /// included (at least 1). `None` leaves the retry mode's default.
    pub max_attempts: Option<u32>,
    /// `AWS_RETRY_MODE`, then the profile's `retry_mode` (`legacy`, `standard` or
    /// `adaptive`, in lower case); `standard` by default.
    pub retry_mode: RetryMode,
    /// `AWS_REQUEST_CHECKSUM_CALCULATION`, then the profile's `request_checksum_calculation`
    /// (`when_supported` or `when_required`, any case); `when_supported` by default.
    pub request_checksum_calculation: RequestChecksumCalculation,
    /// `AWS_RESPONSE_CHECKSUM_VALIDATION`, then the profile's `response_checksum_validation`;
    /// `when_supported` by default.
    pub response_checksum_validation: ResponseChecksumValidation,
}

impl Default for SharedConfig {
    /// botocore's defaults, with no region and no endpoint.
    fn default() -> Self {
        SharedConfig {
            profile: "default".into(),
            region: None,
            endpoint_url: None,
            addressing_style: AddressingStyle::Auto,
            use_accelerate_endpoint: false,
            use_dualstack_endpoint: false,
            use_fips_endpoint: false,
            use_arn_region: true,
            s3_disable_multiregion_access_points: false,
            s3_disable_express_session_auth: None,
            sigv4a_signing_region_set: None,
            ca_bundle: None,
            max_attempts: None,
            retry_mode: RetryMode::Standard,
            request_checksum_calculation: RequestChecksumCalculation::WhenSupported,
            response_checksum_validation: ResponseChecksumValidation::WhenSupported,
        }
    }
}

impl fmt::Debug for SharedConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedConfig")
            .field("profile", &self.profile)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url.as_deref().map(redact_userinfo))
            .field("addressing_style", &self.addressing_style)
            .field("use_accelerate_endpoint", &self.use_accelerate_endpoint)
            .field("use_dualstack_endpoint", &self.use_dualstack_endpoint)
            .field("use_fips_endpoint", &self.use_fips_endpoint)
            .field("use_arn_region", &self.use_arn_region)
            .field("s3_disable_multiregion_access_points", &self.s3_disable_multiregion_access_points)
            .field("s3_disable_express_session_auth", &self.s3_disable_express_session_auth)
            .field("sigv4a_signing_region_set", &self.sigv4a_signing_region_set)
            .field("ca_bundle", &self.ca_bundle)
            .field("max_attempts", &self.max_attempts)
            .field("retry_mode", &self.retry_mode)
            .field("request_checksum_calculation", &self.request_checksum_calculation)
            .field("response_checksum_validation", &self.response_checksum_validation)
            .finish()
    }
}

/// The first source that has a value, trying each only when the ones before have none
/// (botocore's `ChainProvider`), so a later source's error cannot mask an earlier value.
macro_rules! first {
    ($($source:expr),+ $(,)?) => {{
        let mut found = None;
        $( if found.is_none() { found = $source; } )+
        found
    }};
}

/// `scheme://user:password@host/…` → `scheme://***@host/…`. A password with an unescaped
/// `/` makes the authority look like `user:pass` (a colon not followed by a port); then
/// everything up to the last `@` before any query or fragment is hidden.
fn redact_userinfo(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = if authority.contains('@') {
        authority.rfind('@')
    } else {
        let port_like = authority.rsplit_once(':').is_none_or(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()));
        let before_query = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
        if port_like { None } else { before_query.rfind('@') }
    };
    match at {
        Some(at) => format!("{}***{}", &url[..start], &rest[at..]),
        None => url.to_string(),
    }
}

/// Loads the settings: the environment from `env` (which makes this testable without
/// touching the process environment), the files it names (`AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE`, or `~/.aws/config` and `~/.aws/credentials`, where `~`
/// is `HOME`, or `USERPROFILE` on Windows), and the profile it chooses.
///
/// Missing files are fine. A malformed file, a chosen profile that is in neither file
/// (botocore's `ProfileNotFound`; an empty `AWS_PROFILE` chooses a profile with an empty name),
/// and a value that cannot be used are errors.
pub fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<SharedConfig, ConfigError> {
    resolve(env, &ProfileFiles::load(env)?, None)
}

/// [`load`] with the process environment.
pub fn load_from_env() -> Result<SharedConfig, ConfigError> {
    load(&|name| std::env::var(name).ok())
}

/// [`load`] for a profile the caller chose (botocore's `Session(profile=…)`), which
/// overrides `AWS_DEFAULT_PROFILE` and `AWS_PROFILE`.
pub fn load_profile(env: &dyn Fn(&str) -> Option<String>, profile: &str) -> Result<SharedConfig, ConfigError> {
    resolve(env, &ProfileFiles::load(env)?, Some(profile))
}

fn resolve(
    env: &dyn Fn(&str) -> Option<String>,
    files: &ProfileFiles,
    explicit: Option<&str>,
) -> Result<SharedConfig, ConfigError> {
    let chosen = match explicit {
        Some(name) => Some((name.to_string(), "the caller")),
        None => chosen_profile(env),
    };
    // botocore's `get_scoped_config`.
    let (profile_name, profile) = match chosen {
        None => ("default".to_string(), files.profile("default")),
        Some((name, chosen_by)) => match files.profile(&name) {
            Some(profile) => (name, Some(profile)),
            None => {
                return Err(ConfigError::ProfileNotFound {
                    profile: name,
                    chosen_by: chosen_by.into(),
                    config_file: files.config_path().to_path_buf(),
                    credentials_file: files.credentials_path().to_path_buf(),
                })
            }
        },
    };
    let r = Resolver { env, files, profile };

    let region = first!(r.env_non_empty("AWS_REGION"), r.env("AWS_DEFAULT_REGION"), r.top("region")?);
    let mut config = SharedConfig { profile: profile_name, ..SharedConfig::default() };
    config.region = region.map(|found| found.value).filter(|region| !region.is_empty());
    config.endpoint_url = r.endpoint_url()?;

    if let Some(found) = r.s3("addressing_style")? {
        config.addressing_style = match found.value.as_str() {
            "auto" => AddressingStyle::Auto,
            "path" => AddressingStyle::Path,
            "virtual" => AddressingStyle::Virtual,
            _ => return Err(found.invalid("s3.addressing_style", "expected `auto`, `path` or `virtual`")),
        };
    }
    if let Some(found) = r.s3("use_accelerate_endpoint")? {
        config.use_accelerate_endpoint = found.boolean();
    }
    let s3_dualstack = r.s3("use_dualstack_endpoint")?.is_some_and(|f| f.boolean());
    if s3_dualstack {
        config.use_dualstack_endpoint = true;
    } else if let Some(found) = first!(r.env("AWS_USE_DUALSTACK_ENDPOINT"), r.top("use_dualstack_endpoint")?) {
        config.use_dualstack_endpoint = found.boolean();
    }
    if let Some(found) = first!(r.env("AWS_USE_FIPS_ENDPOINT"), r.top("use_fips_endpoint")?) {
        config.use_fips_endpoint = found.boolean();
    }
    if let Some(found) =
        first!(r.env("AWS_S3_USE_ARN_REGION"), r.top("s3_use_arn_region")?, r.s3("use_arn_region")?)
    {
        config.use_arn_region = found.boolean();
    }
    if let Some(found) = first!(
        r.env("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"),
        r.s3("s3_disable_multiregion_access_points")?
    ) {
        config.s3_disable_multiregion_access_points = found.boolean();
    }
    if let Some(found) =
        first!(r.env("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"), r.top("s3_disable_express_session_auth")?)
    {
        config.s3_disable_express_session_auth = Some(found.boolean());
    }
    if let Some(found) = first!(r.env("AWS_SIGV4A_SIGNING_REGION_SET"), r.top("sigv4a_signing_region_set")?) {
        config.sigv4a_signing_region_set = Some(found.value).filter(|set| !set.is_empty());
    }
    if let Some(found) = first!(r.env("AWS_CA_BUNDLE"), r.top("ca_bundle")?) {
        config.ca_bundle = Some(found.value).filter(|path| !path.is_empty());
    }
    if let Some(found) = first!(r.env("AWS_MAX_ATTEMPTS"), r.top("max_attempts")?) {
        config.max_attempts = Some(match py_int(&found.value) {
            Some(n) if n >= 1 => u32::try_from(n).unwrap_or(u32::MAX),
            Some(_) => return Err(found.invalid("max_attempts", "must be at least 1 (it counts the first attempt)")),
            None => return Err(found.invalid("max_attempts", "expected a whole number")),
        });
    }
    if let Some(found) = first!(r.env("AWS_RETRY_MODE"), r.top("retry_mode")?) {
        config.retry_mode = match found.value.as_str() {
            "legacy" => RetryMode::Legacy,
            "standard" => RetryMode::Standard,
            "adaptive" => RetryMode::Adaptive,
            _ => return Err(found.invalid("retry_mode", "expected `legacy`, `standard` or `adaptive`")),
        };
    }
    if let Some(found) = first!(r.env("AWS_REQUEST_CHECKSUM_CALCULATION"), r.top("request_checksum_calculation")?) {
        config.request_checksum_calculation = match found.value.to_lowercase().as_str() {
            "when_supported" => RequestChecksumCalculation::WhenSupported,
            "when_required" => RequestChecksumCalculation::WhenRequired,
            _ => return Err(found.invalid("request_checksum_calculation", "expected `when_supported` or `when_required`")),
        };
    }
    if let Some(found) = first!(r.env("AWS_RESPONSE_CHECKSUM_VALIDATION"), r.top("response_checksum_validation")?) {
        config.response_checksum_validation = match found.value.to_lowercase().as_str() {
            "when_supported" => ResponseChecksumValidation::WhenSupported,
            "when_required" => ResponseChecksumValidation::WhenRequired,
            _ => return Err(found.invalid("response_checksum_validation", "expected `when_supported` or `when_required`")),
        };
    }
    Ok(config)
}


/// A setting's value and where it came from.
struct Found {
    value: String,
    origin: SettingOrigin,
}

impl Found {
    fn from_env(name: &str, value: String) -> Self {
        Found { value, origin: SettingOrigin::Environment(name.to_string()) }
    }

    fn from_file(prop: &Property, value: &str) -> Self {
        Found { value: value.to_string(), origin: SettingOrigin::File { path: prop.file().to_path_buf(), line: prop.line() } }
    }

    /// `utils.ensure_boolean`.
    fn boolean(&self) -> bool {
        self.value.to_lowercase() == "true"
    }

    fn invalid(self, setting: &str, expected: &str) -> ConfigError {
        ConfigError::InvalidValue {
            setting: setting.to_string(),
            message: format!("`{}`: {expected}", self.value),
            origin: self.origin,
        }
    }
}

struct Resolver<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    files: &'a ProfileFiles,
    profile: Option<Profile<'a>>,
}

impl<'a> Resolver<'a> {
    /// The variable, when set (even to the empty string).
    fn env(&self, name: &str) -> Option<Found> {
        (self.env)(name).map(|value| Found::from_env(name, value))
    }

    fn env_non_empty(&self, name: &str) -> Option<Found> {
        self.env(name).filter(|found| !found.value.is_empty())
    }

    /// A key of the profile, which must be a plain value.
    fn top(&self, key: &str) -> Result<Option<Found>, ConfigError> {
        match self.profile.as_ref().and_then(|p| p.get(key)) {
            None => Ok(None),
            Some(prop) => text(prop, key).map(|value| Some(Found::from_file(prop, value))),
        }
    }

    /// A key of the profile's nested `s3 =` block. A plain `s3 = value` is an error: botocore
    /// fails on it too, when it reads S3 settings from it.
    fn s3(&self, key: &str) -> Result<Option<Found>, ConfigError> {
        let Some(s3) = self.profile.as_ref().and_then(|p| p.get("s3")) else { return Ok(None) };
        Ok(nested(s3, "s3")?.iter().find(|p| p.name() == key).map(|prop| {
            Found::from_file(prop, prop.as_text().unwrap_or_default())
        }))
    }

    /// botocore's `ConfiguredEndpointProvider.provide` for S3, behind
    /// `ClientArgsCreator._ignore_configured_endpoint_urls`.
    fn endpoint_url(&self) -> Result<Option<String>, ConfigError> {
        let ignore = first!(self.env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), self.top("ignore_configured_endpoint_urls")?);
        if ignore.is_some_and(|found| found.boolean()) {
            return Ok(None);
        }
        let url = first!(
            self.env_non_empty("AWS_ENDPOINT_URL_S3"),
            self.env_non_empty("AWS_ENDPOINT_URL"),
            self.services_endpoint_url()?,
            self.top("endpoint_url")?.filter(|found| !found.value.is_empty()),
        );
        Ok(url.map(|found| found.value))
    }

    /// `_get_endpoint_url_config_service`: the profile's `services = NAME` names a
    /// `[services NAME]` section of the config file, which must exist and not be empty;
    /// its `s3` key, if any, must be a nested block.
    fn services_endpoint_url(&self) -> Result<Option<Found>, ConfigError> {
        let Some(found) = self.top("services")? else { return Ok(None) };
        let section = self.files.config_file().and_then(|f| f.services(&found.value));
        let Some(section) = section.filter(|s| !s.properties().is_empty()) else {
            let message = format!("there is no [services {}] section in the config file, or it is empty", found.value);
            return Err(ConfigError::InvalidValue { setting: "services".into(), origin: found.origin, message });
        };
        let Some(s3) = section.get("s3") else { return Ok(None) };
        let url = nested(s3, "services.s3")?.iter().find(|p| p.name() == "endpoint_url");
        Ok(url
            .map(|prop| Found::from_file(prop, prop.as_text().unwrap_or_default()))
            .filter(|found| !found.value.is_empty()))
    }
}

fn text<'p>(prop: &'p Property, setting: &str) -> Result<&'p str, ConfigError> {
    prop.as_text().ok_or_else(|| ConfigError::InvalidValue {
        setting: setting.to_string(),
        origin: SettingOrigin::File { path: prop.file().to_path_buf(), line: prop.line() },
        message: "expected a value, not a nested block".into(),
    })
}

fn nested<'p>(prop: &'p Property, setting: &str) -> Result<&'p [Property], ConfigError> {
    prop.nested().ok_or_else(|| ConfigError::InvalidValue {
        setting: setting.to_string(),
        origin: SettingOrigin::File { path: prop.file().to_path_buf(), line: prop.line() },
        message: format!("expected a nested block (`{}` alone on its line, then indented `key = value` lines)", prop.name()),
    })
}

/// Python's `int(text)` for base 10: white space around, an optional sign, ASCII digits
/// with single `_` between them.
fn py_int(text: &str) -> Option<i64> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let mut value: i64 = 0;
    for b in digits.bytes().filter(|&b| b != b'_') {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int() {
        assert_eq!(py_int(" 5 "), Some(5));
        assert_eq!(py_int("+007"), Some(7));
        assert_eq!(py_int("1_0"), Some(10));
        assert_eq!(py_int("-2"), Some(-2));
        for bad in ["", "1.0", "_1", "1__0", "1_", "0x10", "ten", "+"] {
            assert_eq!(py_int(bad), None, "{bad}");
        }
    }

    #[test]
    fn userinfo_is_redacted() {
        assert_eq!(redact_userinfo("http://u:p@host:9000/x@y"), "http://***@host:9000/x@y");
        assert_eq!(redact_userinfo("http://host/a@b"), "http://host/a@b");
        assert_eq!(redact_userinfo("http://host:9000/a@b"), "http://host:9000/a@b");
        assert_eq!(redact_userinfo("http://u:se/cret@host:1/p"), "http://***@host:1/p");
        assert_eq!(redact_userinfo("host"), "host");
    }
}
