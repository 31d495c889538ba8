//! `Config::from_env()`: settings from the environment and the shared files. One test
//! in its own binary, since it sets process environment variables.

#[tokio::test]
async fn config_from_environment_and_shared_files() {
    let dir = std::env::temp_dir().join(format!("s3-from-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_file = dir.join("config");
    std::fs::write(&config_file, "[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n").unwrap();
    let credentials_file = dir.join("credentials");
    std::fs::write(&credentials_file, "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = from-file\n").unwrap();
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"] {
        std::env::remove_var(var);
    }
    std::env::set_var("AWS_CONFIG_FILE", &config_file);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &credentials_file);
    std::env::set_var("AWS_PROFILE", "dev");
    std::env::set_var("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");

    let config = s3::Config::from_env().unwrap();
    assert_eq!(config.region(), Some("eu-west-1"));
    assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9000"));
    assert_eq!(config.force_path_style(), Some(true));
    assert_eq!(config.accelerate(), Some(true));
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
