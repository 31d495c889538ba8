//! `Config::from_env()`: settings from the environment and the shared files. One test
//! in its own binary, since it sets process environment variables.

#[tokio::test]
async fn config_from_environment_and_shared_files() {
    let dir = std::env::temp_dir().join(format!("s3-from-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_file = dir.join("config");
    std::fs::write(
        &config_file,
        "[profile dev]\nregion = eu-west-1\nresponse_checksum_validation = when_required\ns3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n",
    )
    .unwrap();
    let credentials_file = dir.join("credentials");
    std::fs::write(&credentials_file, "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = from-file\n").unwrap();
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE", "AWS_RESPONSE_CHECKSUM_VALIDATION"] {
        std::env::remove_var(var);
    }
    std::env::set_var("AWS_CONFIG_FILE", &config_file);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &credentials_file);
    std::env::set_var("AWS_PROFILE", "dev");
    std::env::set_var("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");
    // botocore lower-cases the value.
    std::env::set_var("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED");

    let config = s3::Config::from_env().unwrap();
    assert_eq!(config.region(), Some("eu-west-1"));
    assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9000"));
    assert_eq!(config.force_path_style(), Some(true));
    assert_eq!(config.accelerate(), Some(true));
    use s3_runtime::config::{RequestChecksumCalculation, ResponseChecksumValidation};
    assert_eq!(config.request_checksum_calculation(), RequestChecksumCalculation::WhenRequired, "from the environment");
    assert_eq!(config.response_checksum_validation(), ResponseChecksumValidation::WhenRequired, "from the profile");
    // Nothing set: botocore's defaults.
    let defaults = s3::Config::builder().build();
    assert_eq!(defaults.request_checksum_calculation(), RequestChecksumCalculation::WhenSupported);
    assert_eq!(defaults.response_checksum_validation(), ResponseChecksumValidation::WhenSupported);
    // A bad value is refused, naming the setting.
    std::env::set_var("AWS_REQUEST_CHECKSUM_CALCULATION", "sometimes");
    let err = s3::Config::from_env().unwrap_err().to_string();
    assert!(err.contains("request_checksum_calculation"), "{err}");
    std::env::set_var("AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported");
    assert_eq!(s3::Config::from_env().unwrap().request_checksum_calculation(), RequestChecksumCalculation::WhenSupported);
    let credentials = config.credentials_provider().unwrap().provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDFILE");
    // The files are read once: a changed file does not change the credentials.
    std::fs::write(&credentials_file, "[dev]\naws_access_key_id = AKIDCHANGED\naws_secret_access_key = x\n").unwrap();
    let credentials = config.credentials_provider().unwrap().provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDFILE");

    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDENV");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "from-env");
    let config = s3::Config::from_env().unwrap();
    let credentials = config.credentials_provider().unwrap().provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDENV", "the environment comes before the files");
    std::fs::remove_dir_all(&dir).unwrap();
}
