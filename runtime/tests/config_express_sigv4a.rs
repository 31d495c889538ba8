//! The two settings of S3 Express session auth and SigV4a in `SharedConfig`, read as
//! botocore's config store reads them (`AWS_S3_DISABLE_EXPRESS_SESSION_AUTH` then the
//! profile's `s3_disable_express_session_auth`; `AWS_SIGV4A_SIGNING_REGION_SET` then the
//! profile's `sigv4a_signing_region_set`).

use std::collections::HashMap;

use s3_runtime::config;

fn load(config_text: Option<&str>, env: &[(&str, &str)]) -> config::SharedConfig {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("s3-runtime-express-sigv4a-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config");
    let _ = std::fs::remove_file(&path);
    if let Some(text) = config_text {
        std::fs::write(&path, text).unwrap();
    }
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("AWS_CONFIG_FILE".into(), path.to_string_lossy().into_owned());
    vars.insert("AWS_SHARED_CREDENTIALS_FILE".into(), dir.join("credentials").to_string_lossy().into_owned());
    vars.insert("HOME".into(), dir.to_string_lossy().into_owned());
    for (k, v) in env {
        vars.insert((*k).into(), (*v).into());
    }
    let loaded = config::load(&|name| vars.get(name).cloned()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    loaded
}

#[test]
fn disable_express_session_auth() {
    assert_eq!(load(None, &[]).s3_disable_express_session_auth, None);
    assert_eq!(load(None, &[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "true")]).s3_disable_express_session_auth, Some(true));
    assert_eq!(load(None, &[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "TRUE")]).s3_disable_express_session_auth, Some(true));
    assert_eq!(load(None, &[("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "1")]).s3_disable_express_session_auth, Some(false));
    let profile = "[default]\ns3_disable_express_session_auth = true\n";
    assert_eq!(load(Some(profile), &[]).s3_disable_express_session_auth, Some(true));
    // The environment wins over the profile.
    let env = [("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "false")];
    assert_eq!(load(Some(profile), &env).s3_disable_express_session_auth, Some(false));
}

#[test]
fn sigv4a_signing_region_set() {
    assert_eq!(load(None, &[]).sigv4a_signing_region_set, None);
    let env = [("AWS_SIGV4A_SIGNING_REGION_SET", "us-west-2,us-east-1")];
    assert_eq!(load(None, &env).sigv4a_signing_region_set.as_deref(), Some("us-west-2,us-east-1"));
    let profile = "[default]\nsigv4a_signing_region_set = *\n";
    assert_eq!(load(Some(profile), &[]).sigv4a_signing_region_set.as_deref(), Some("*"));
    assert_eq!(load(Some(profile), &env).sigv4a_signing_region_set.as_deref(), Some("us-west-2,us-east-1"));
    // An empty value is no region set.
    assert_eq!(load(None, &[("AWS_SIGV4A_SIGNING_REGION_SET", "")]).sigv4a_signing_region_set, None);
}
