//! `s3_runtime::config::load`: client settings from the environment and the shared files.
//! Each expectation is what botocore 1.44.8 resolves for the same environment and files
//! (checked by creating an S3 client with `botocore.session.Session`), except where a
//! comment says otherwise.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use s3_runtime::config::{
    self, AddressingStyle, ConfigError, RequestChecksumCalculation, ResponseChecksumValidation, RetryMode,
    SettingOrigin, SharedConfig,
};

/// A temporary directory holding the config and credentials files of one test, and the
/// environment that points at them. The directory is removed on drop.
struct Setup {
    dir: PathBuf,
    vars: HashMap<String, String>,
}

impl Setup {
    fn new(config: Option<&str>, credentials: Option<&str>) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("s3-runtime-config-settings-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        if let Some(text) = config {
            std::fs::write(dir.join("config"), text).unwrap();
        }
        if let Some(text) = credentials {
            std::fs::write(dir.join("credentials"), text).unwrap();
        }
        let mut vars = HashMap::new();
        vars.insert("AWS_CONFIG_FILE".to_string(), dir.join("config").to_string_lossy().into_owned());
        vars.insert("AWS_SHARED_CREDENTIALS_FILE".to_string(), dir.join("credentials").to_string_lossy().into_owned());
        // So that nothing can fall back to the real home directory.
        vars.insert("HOME".to_string(), dir.to_string_lossy().into_owned());
        vars.insert("USERPROFILE".to_string(), dir.to_string_lossy().into_owned());
        Setup { dir, vars }
    }

    fn config(config: &str) -> Self {
        Self::new(Some(config), None)
    }

    fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    fn load(&self) -> Result<SharedConfig, ConfigError> {
        config::load(&|name| self.vars.get(name).cloned())
    }

    fn ok(&self) -> SharedConfig {
        self.load().unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(&self) -> ConfigError {
        self.load().expect_err("loading should fail")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn defaults_without_files() {
    let config = Setup::new(None, None).ok();
    assert_eq!(config, SharedConfig::default());
    assert_eq!(config.profile, "default");
    assert_eq!(config.region, None);
    assert_eq!(config.endpoint_url, None);
    assert_eq!(config.addressing_style, AddressingStyle::Auto);
    assert!(config.use_arn_region, "botocore's S3 builtin defaults use_arn_region to true");
    assert!(!config.use_accelerate_endpoint && !config.use_dualstack_endpoint && !config.use_fips_endpoint);
    assert!(!config.s3_disable_multiregion_access_points);
    assert_eq!(config.max_attempts, None);
    assert_eq!(config.retry_mode, RetryMode::Standard);
    assert_eq!(config.request_checksum_calculation, RequestChecksumCalculation::WhenSupported);
    assert_eq!(config.response_checksum_validation, ResponseChecksumValidation::WhenSupported);
}

#[test]
fn profile_settings() {
    let config = Setup::config(concat!(
        "[default]\n",
        "region = file-region\n",
        "use_fips_endpoint = TRUE\n",
        "max_attempts = 2\n",
        "retry_mode = legacy\n",
        "request_checksum_calculation = WHEN_REQUIRED\n",
        "response_checksum_validation = when_required\n",
    ))
    .ok();
    assert_eq!(config.region.as_deref(), Some("file-region"));
    assert!(config.use_fips_endpoint, "booleans are case-insensitive");
    assert_eq!(config.max_attempts, Some(2));
    assert_eq!(config.retry_mode, RetryMode::Legacy);
    assert_eq!(config.request_checksum_calculation, RequestChecksumCalculation::WhenRequired);
    assert_eq!(config.response_checksum_validation, ResponseChecksumValidation::WhenRequired);
}

#[test]
fn environment_wins_over_profile() {
    let config = Setup::config(
        "[default]\nregion = file-region\nuse_fips_endpoint = true\nmax_attempts = 2\nretry_mode = legacy\n",
    )
    .var("AWS_DEFAULT_REGION", "env-region")
    .var("AWS_USE_FIPS_ENDPOINT", "false")
    .var("AWS_MAX_ATTEMPTS", " 7 ")
    .var("AWS_RETRY_MODE", "adaptive")
    .ok();
    assert_eq!(config.region.as_deref(), Some("env-region"));
    assert!(!config.use_fips_endpoint);
    assert_eq!(config.max_attempts, Some(7));
    assert_eq!(config.retry_mode, RetryMode::Adaptive);
}

#[test]
fn region_precedence() {
    let setup = Setup::config("[default]\nregion = file-region\n");
    // AWS_REGION is not read by botocore; other SDKs put it first, and so does this crate.
    let both = Setup::config("[default]\nregion = file-region\n")
        .var("AWS_REGION", "aws-region")
        .var("AWS_DEFAULT_REGION", "default-region");
    assert_eq!(both.ok().region.as_deref(), Some("aws-region"));
    let empty_aws_region = Setup::config("[default]\nregion = file-region\n")
        .var("AWS_REGION", "")
        .var("AWS_DEFAULT_REGION", "default-region");
    assert_eq!(empty_aws_region.ok().region.as_deref(), Some("default-region"));
    assert_eq!(setup.ok().region.as_deref(), Some("file-region"));
    // botocore: a set but empty AWS_DEFAULT_REGION still hides the profile's region.
    let empty = setup.var("AWS_DEFAULT_REGION", "");
    assert_eq!(empty.ok().region, None);
}

#[test]
fn booleans_follow_ensure_boolean() {
    // `1` and `yes` are false; only `true`, in any case, is true.
    let config = Setup::config("[default]\nuse_dualstack_endpoint = yes\n").var("AWS_USE_FIPS_ENDPOINT", "1").ok();
    assert!(!config.use_fips_endpoint);
    assert!(!config.use_dualstack_endpoint);
    let config = Setup::config("[default]\nuse_dualstack_endpoint = True\n").ok();
    assert!(config.use_dualstack_endpoint);
    // A set but empty variable is `false`, and hides the profile.
    let config = Setup::config("[default]\ns3_use_arn_region = true\n").var("AWS_S3_USE_ARN_REGION", "").ok();
    assert!(!config.use_arn_region);
}

#[test]
fn choosing_the_profile() {
    let files = "[default]\nregion = rd\n[profile a]\nregion = ra\n[profile b]\nregion = rb\n";
    assert_eq!(Setup::config(files).ok().region.as_deref(), Some("rd"));
    let config = Setup::config(files).var("AWS_PROFILE", "b").ok();
    assert_eq!((config.profile.as_str(), config.region.as_deref()), ("b", Some("rb")));
    // botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE.
    let config = Setup::config(files).var("AWS_DEFAULT_PROFILE", "a").var("AWS_PROFILE", "b").ok();
    assert_eq!(config.region.as_deref(), Some("ra"));
    // `[profile default]` names the default profile too.
    assert_eq!(Setup::config("[profile default]\nregion = pd\n").ok().region.as_deref(), Some("pd"));
    // The caller's choice wins over the environment's.
    let setup = Setup::config(files).var("AWS_PROFILE", "b");
    let config = config::load_profile(&|n| setup.vars.get(n).cloned(), "a").unwrap();
    assert_eq!(config.region.as_deref(), Some("ra"));
}

#[test]
fn missing_profile_is_an_error() {
    let setup = Setup::config("[default]\nregion = r\n").var("AWS_PROFILE", "nope");
    match setup.err() {
        ConfigError::ProfileNotFound { profile, chosen_by, config_file, credentials_file } => {
            assert_eq!((profile.as_str(), chosen_by.as_str()), ("nope", "AWS_PROFILE"));
            assert_eq!(config_file, setup.path("config"));
            assert_eq!(credentials_file, setup.path("credentials"));
        }
        other => panic!("{other:?}"),
    }
    assert!(setup.err().to_string().contains("`nope`"), "{}", setup.err());
    // Even `default`, once chosen explicitly, and even the empty name.
    assert!(matches!(Setup::new(None, None).var("AWS_PROFILE", "default").err(), ConfigError::ProfileNotFound { .. }));
    assert!(matches!(
        Setup::config("[default]\n").var("AWS_PROFILE", "").err(),
        ConfigError::ProfileNotFound { profile, .. } if profile.is_empty()
    ));
}

#[test]
fn credentials_file_profiles_count_and_override() {
    // A profile only in the credentials file exists, and its keys are settings too.
    let setup = Setup::new(Some("[default]\nregion = r\n"), Some("[c]\nregion = from-creds\n")).var("AWS_PROFILE", "c");
    assert_eq!(setup.ok().region.as_deref(), Some("from-creds"));
    // The credentials file's keys replace the config file's (session.full_config).
    let setup = Setup::new(Some("[default]\nregion = from-config\n"), Some("[default]\nregion = from-creds\n"));
    assert_eq!(setup.ok().region.as_deref(), Some("from-creds"));
}

#[test]
fn nested_s3_settings() {
    let config = Setup::config(concat!(
        "[profile dev]\n",
        "region = eu-west-1\n",
        "s3 =\n",
        "  addressing_style = path\n",
        "  use_accelerate_endpoint = true\n",
        "  use_arn_region = false\n",
        "  s3_disable_multiregion_access_points = TRUE\n",
    ))
    .var("AWS_PROFILE", "dev")
    .ok();
    assert_eq!(config.region.as_deref(), Some("eu-west-1"));
    assert_eq!(config.addressing_style, AddressingStyle::Path);
    assert!(config.use_accelerate_endpoint);
    assert!(!config.use_arn_region);
    assert!(config.s3_disable_multiregion_access_points);

    let virtual_style = Setup::config("[default]\ns3 =\n  addressing_style = virtual\n").ok();
    assert_eq!(virtual_style.addressing_style, AddressingStyle::Virtual);
}

#[test]
fn s3_environment_variables_win_over_nested_settings() {
    let config = Setup::config(
        "[default]\ns3_use_arn_region = false\ns3 =\n  use_arn_region = false\n  s3_disable_multiregion_access_points = true\n",
    )
    .var("AWS_S3_USE_ARN_REGION", "true")
    .var("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "false")
    .ok();
    assert!(config.use_arn_region);
    assert!(!config.s3_disable_multiregion_access_points);
    // The profile's top-level `s3_use_arn_region` comes before the nested one.
    let config = Setup::config("[default]\ns3_use_arn_region = false\ns3 =\n  use_arn_region = true\n").ok();
    assert!(!config.use_arn_region);
}

#[test]
fn dualstack_for_s3() {
    // A true nested setting wins, even over the variable.
    let setup = |config: &str, env: &str| Setup::config(config).var("AWS_USE_DUALSTACK_ENDPOINT", env).ok();
    assert!(setup("[default]\ns3 =\n  use_dualstack_endpoint = true\n", "false").use_dualstack_endpoint);
    assert!(setup("[default]\ns3 =\n  use_dualstack_endpoint = TRUE\n", "false").use_dualstack_endpoint);
    // A false (or unreadable) nested setting gives way to the variable.
    assert!(setup("[default]\ns3 =\n  use_dualstack_endpoint = false\n", "true").use_dualstack_endpoint);
    assert!(setup("[default]\ns3 =\n  use_dualstack_endpoint = yes\n", "true").use_dualstack_endpoint);
    assert!(!setup("[default]\nuse_dualstack_endpoint = true\n", "false").use_dualstack_endpoint);
    assert!(Setup::config("[default]\nuse_dualstack_endpoint = true\n").ok().use_dualstack_endpoint);
}

#[test]
fn endpoint_url_precedence() {
    let profile = "[default]\nendpoint_url = http://profile\n";
    let url = |setup: Setup| setup.ok().endpoint_url;
    assert_eq!(url(Setup::config(profile)).as_deref(), Some("http://profile"));
    assert_eq!(
        url(Setup::config(profile).var("AWS_ENDPOINT_URL_S3", "http://s3env").var("AWS_ENDPOINT_URL", "http://global"))
            .as_deref(),
        Some("http://s3env")
    );
    // Empty values are skipped (ConfiguredEndpointProvider tests truthiness).
    assert_eq!(
        url(Setup::config(profile).var("AWS_ENDPOINT_URL_S3", "").var("AWS_ENDPOINT_URL", "http://global")).as_deref(),
        Some("http://global")
    );
    assert_eq!(url(Setup::config("[default]\nendpoint_url =\n")), None);
    // botocore does not read `endpoint_url` nested under `s3 =`.
    assert_eq!(url(Setup::config("[default]\ns3 =\n  endpoint_url = http://nested\n")), None);
}

#[test]
fn services_section_endpoint() {
    let config = "[default]\nendpoint_url = http://profile\nservices = local\n[services local]\ns3 =\n  endpoint_url = http://localhost:9000\nsqs =\n  endpoint_url = http://sqs\n";
    assert_eq!(Setup::config(config).ok().endpoint_url.as_deref(), Some("http://localhost:9000"));
    // The services section comes after the variables.
    let setup = Setup::config(config).var("AWS_ENDPOINT_URL", "http://global");
    assert_eq!(setup.ok().endpoint_url.as_deref(), Some("http://global"));
    // No `s3` in the section: the profile's own endpoint_url.
    let no_s3 = "[default]\nendpoint_url = http://profile\nservices = local\n[services local]\nsqs =\n  endpoint_url = http://sqs\n";
    assert_eq!(Setup::config(no_s3).ok().endpoint_url.as_deref(), Some("http://profile"));
    // `services = …` may come from the credentials file's section too.
    let setup = Setup::new(Some("[services local]\ns3 =\n  endpoint_url = http://svc\n"), Some("[default]\nservices = local\n"));
    assert_eq!(setup.ok().endpoint_url.as_deref(), Some("http://svc"));
}

#[test]
fn missing_services_section_is_an_error_when_reached() {
    let setup = Setup::config("[default]\nregion = r\nservices = nope\n");
    match setup.err() {
        ConfigError::InvalidValue { setting, origin, message } => {
            assert_eq!(setting, "services");
            assert_eq!(origin, SettingOrigin::File { path: setup.path("config"), line: 3 });
            assert!(message.contains("[services nope]"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(Setup::config("[default]\nservices = local\n[services local]\n").load().is_err(), "empty section");
    // Not reached when a variable gives the endpoint.
    let setup = Setup::config("[default]\nservices = nope\n").var("AWS_ENDPOINT_URL", "http://g");
    assert_eq!(setup.ok().endpoint_url.as_deref(), Some("http://g"));
}

#[test]
fn configured_endpoints_can_be_ignored() {
    let setup = Setup::config("[default]\nendpoint_url = http://profile\n")
        .var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
        .var("AWS_ENDPOINT_URL", "http://global");
    assert_eq!(setup.ok().endpoint_url, None);
    let setup = Setup::config("[default]\nignore_configured_endpoint_urls = true\n").var("AWS_ENDPOINT_URL", "http://g");
    assert_eq!(setup.ok().endpoint_url, None);
    // A set but empty variable is false and hides the profile's true.
    let setup = Setup::config("[default]\nignore_configured_endpoint_urls = true\n")
        .var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "")
        .var("AWS_ENDPOINT_URL", "http://g");
    assert_eq!(setup.ok().endpoint_url.as_deref(), Some("http://g"));
}

#[test]
fn invalid_values_name_their_source() {
    let invalid = |setup: Setup| match setup.err() {
        ConfigError::InvalidValue { setting, origin, .. } => (setting, origin),
        other => panic!("{other:?}"),
    };
    let env = |name: &str| SettingOrigin::Environment(name.into());

    assert_eq!(invalid(Setup::new(None, None).var("AWS_MAX_ATTEMPTS", "three")), ("max_attempts".into(), env("AWS_MAX_ATTEMPTS")));
    assert_eq!(invalid(Setup::new(None, None).var("AWS_MAX_ATTEMPTS", "")).1, env("AWS_MAX_ATTEMPTS"));
    assert_eq!(invalid(Setup::new(None, None).var("AWS_MAX_ATTEMPTS", "0")).1, env("AWS_MAX_ATTEMPTS"));
    assert_eq!(invalid(Setup::new(None, None).var("AWS_RETRY_MODE", "Standard")).1, env("AWS_RETRY_MODE"));
    assert_eq!(
        invalid(Setup::new(None, None).var("AWS_REQUEST_CHECKSUM_CALCULATION", "always")).1,
        env("AWS_REQUEST_CHECKSUM_CALCULATION")
    );
    assert_eq!(
        invalid(Setup::new(None, None).var("AWS_RESPONSE_CHECKSUM_VALIDATION", "")).1,
        env("AWS_RESPONSE_CHECKSUM_VALIDATION")
    );

    let setup = Setup::config("[default]\nregion = r\n\nmax_attempts = -1\n");
    let path = setup.path("config");
    assert_eq!(invalid(setup), ("max_attempts".into(), SettingOrigin::File { path, line: 4 }));
    let setup = Setup::config("[default]\ns3 =\n  x = 1\n  addressing_style = Path\n");
    let path = setup.path("config");
    assert_eq!(invalid(setup), ("s3.addressing_style".into(), SettingOrigin::File { path, line: 4 }));
    // botocore fails on a plain `s3 = …` (or an empty one) where it expects a block.
    assert_eq!(invalid(Setup::config("[default]\ns3 = path\n")).0, "s3");
    assert_eq!(invalid(Setup::config("[default]\ns3 =\n")).0, "s3");
    // A nested block where a value belongs.
    assert_eq!(invalid(Setup::config("[default]\nregion =\n  a = b\n")).0, "region");

    let message = Setup::new(None, None).var("AWS_MAX_ATTEMPTS", "three").err().to_string();
    assert!(message.contains("AWS_MAX_ATTEMPTS") && message.contains("three"), "{message}");
}

#[test]
fn malformed_files_are_errors_with_line_numbers() {
    let setup = Setup::new(Some("[default]\nregion = r\n"), Some("[default]\naws_access_key_id = AKID\noops\n"));
    match setup.err() {
        ConfigError::Parse { path, line, .. } => assert_eq!((path, line), (setup.path("credentials"), 3)),
        other => panic!("{other:?}"),
    }
    // The config file is read first, so its error is the one reported.
    let setup = Setup::new(Some("region = r\n"), Some("oops\n"));
    assert!(matches!(setup.err(), ConfigError::Parse { path, line: 1, .. } if path == setup.path("config")));
}

#[test]
fn home_directory_files() {
    let setup = Setup::new(None, None);
    std::fs::create_dir_all(setup.path(".aws")).unwrap();
    std::fs::write(setup.path(".aws/config"), "[default]\nregion = home\n").unwrap();
    let mut vars = setup.vars.clone();
    vars.remove("AWS_CONFIG_FILE");
    vars.remove("AWS_SHARED_CREDENTIALS_FILE");
    let config = config::load(&|n| vars.get(n).cloned()).unwrap();
    assert_eq!(config.region.as_deref(), Some("home"));
}
