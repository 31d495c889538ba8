//! Credentials providers and the default chain. Each expectation is what botocore 1.44.8's
//! `Session.get_credentials()` returns for the same environment and files, except where
//! a comment says otherwise.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use s3_runtime::config::profile::ConfigFile;
use s3_runtime::config::{
    self, ConfigError, CredentialsChain, CredentialsError, DefaultCredentialsChain, Env,
    EnvironmentCredentialsProvider, ProfileCredentialsProvider, ProfileFiles, ProvideCredentials,
};
use s3_runtime::auth::CredentialsFuture;
use s3_runtime::Credentials;

/// Runs a provider's future to completion (these providers need no network).
trait Wait {
    fn wait(self) -> Result<Credentials, CredentialsError>;
}

impl Wait for CredentialsFuture<'_> {
    fn wait(self) -> Result<Credentials, CredentialsError> {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(self)
    }
}

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const TOKEN: &str = "FQoGZXIvYXdzESSIONTOKEN";

/// A temporary directory with the config and credentials files of one test, and the
/// environment that points at them. Removed on drop.
struct Setup {
    dir: PathBuf,
    vars: HashMap<String, String>,
}

impl Setup {
    fn new(config: Option<&str>, credentials: Option<&str>) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("s3-runtime-config-credentials-{}-{n}", std::process::id()));
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
        vars.insert("HOME".to_string(), dir.to_string_lossy().into_owned());
        vars.insert("USERPROFILE".to_string(), dir.to_string_lossy().into_owned());
        // Never ask a real instance metadata service from a test.
        vars.insert("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string());
        Setup { dir, vars }
    }

    fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    fn env(&self) -> Env {
        Env::from_vars(self.vars.clone())
    }

    fn chain(&self) -> Result<Credentials, CredentialsError> {
        DefaultCredentialsChain::with_env(self.env()).provide_credentials().wait()
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

fn keys(creds: &Credentials) -> (&str, &str, Option<&str>) {
    (creds.access_key_id(), creds.secret_access_key(), creds.session_token())
}

fn env_keys(setup: Setup) -> Setup {
    setup.var("AWS_ACCESS_KEY_ID", "ENVKEY").var("AWS_SECRET_ACCESS_KEY", "envsecret")
}

const FILE_KEYS: &str = "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n";

#[test]
fn static_credentials_provide_themselves() {
    let creds = Credentials::new("AKID", "secret", Some("token".into()));
    assert_eq!(creds.provide_credentials().wait().unwrap(), creds);
    let shared: std::sync::Arc<dyn ProvideCredentials> = std::sync::Arc::new(creds.clone());
    assert_eq!(shared.provide_credentials().wait().unwrap(), creds);
}

#[test]
fn environment_provider() {
    let provide = |vars: &[(&str, &str)]| {
        EnvironmentCredentialsProvider::with_env(Env::from_vars(vars.iter().copied())).provide_credentials().wait()
    };
    let creds = provide(&[("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"), ("AWS_SESSION_TOKEN", "T")]).unwrap();
    assert_eq!(keys(&creds), ("AK", "SK", Some("T")));
    // botocore reads AWS_SECURITY_TOKEN first, skipping an empty one.
    let both = [("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"), ("AWS_SECURITY_TOKEN", "old"), ("AWS_SESSION_TOKEN", "new")];
    assert_eq!(provide(&both).unwrap().session_token(), Some("old"));
    let empty_old = [("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK"), ("AWS_SECURITY_TOKEN", ""), ("AWS_SESSION_TOKEN", "new")];
    assert_eq!(provide(&empty_old).unwrap().session_token(), Some("new"));
    assert_eq!(provide(&[("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "SK")]).unwrap().session_token(), None);
    // No (or an empty) access key: not found, so a chain moves on.
    assert!(provide(&[]).unwrap_err().is_not_found());
    assert!(provide(&[("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "SK")]).unwrap_err().is_not_found());
    // An access key without its secret: PartialCredentialsError.
    match provide(&[("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "")]).unwrap_err() {
        CredentialsError::Partial { provider, missing, profile, file } => {
            assert_eq!((&*provider, missing.as_str(), profile, file), ("env", "AWS_SECRET_ACCESS_KEY", None, None));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn credentials_file_then_config_file() {
    let config = "[default]\naws_access_key_id = CONFIGKEY\naws_secret_access_key = configsecret\n";
    let creds_file = "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\naws_session_token = T\n";
    let setup = Setup::new(Some(config), Some(creds_file));
    let provider = ProfileCredentialsProvider::with_env(setup.env());
    assert_eq!(keys(&provider.provide_credentials().wait().unwrap()), ("FILEKEY", "filesecret", Some("T")));

    // A credentials-file profile without keys: the config file's `[profile dev]`.
    let setup = Setup::new(
        Some("[profile dev]\naws_access_key_id = C\naws_secret_access_key = CS\naws_security_token = ST\naws_session_token = T\n"),
        Some("[dev]\nregion = x\n"),
    )
    .var("AWS_PROFILE", "dev");
    let creds = ProfileCredentialsProvider::with_env(setup.env()).provide_credentials().wait().unwrap();
    assert_eq!(keys(&creds), ("C", "CS", Some("ST")), "aws_security_token comes first");
}

#[test]
fn session_tokens_from_files() {
    let setup = Setup::new(
        None,
        Some("[default]\naws_access_key_id = F\naws_secret_access_key = FS\naws_security_token =\naws_session_token = T\n"),
    );
    // botocore takes the first key present, here the empty aws_security_token, and its
    // signer then sends no token.
    assert_eq!(setup.chain().unwrap().session_token(), None);
    let setup = Setup::new(None, Some("[default]\naws_access_key_id = F\naws_secret_access_key = FS\n"));
    assert_eq!(setup.chain().unwrap().session_token(), None);
}

#[test]
fn partial_profile_credentials_name_file_and_profile() {
    // The credentials file's partial keys stop the search; the config file is not read.
    let setup = Setup::new(Some(FILE_KEYS), Some("[default]\naws_access_key_id = F\n"));
    let err = ProfileCredentialsProvider::with_env(setup.env()).provide_credentials().wait().unwrap_err();
    match &err {
        CredentialsError::Partial { provider, missing, profile, file } => {
            assert_eq!(&**provider, "shared-credentials-file");
            assert_eq!(missing, "aws_secret_access_key");
            assert_eq!(profile.as_deref(), Some("default"));
            assert_eq!(file.as_deref(), Some(setup.path("credentials").as_path()));
        }
        other => panic!("{other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("aws_secret_access_key") && message.contains("`default`"), "{message}");
    assert!(message.contains(&*setup.path("credentials").to_string_lossy()), "{message}");
}

#[test]
fn chain_order_environment_then_profile() {
    // Environment first, even when AWS_PROFILE names a profile with keys.
    let setup = env_keys(Setup::new(None, Some("[dev]\naws_access_key_id = F\naws_secret_access_key = FS\n"))).var("AWS_PROFILE", "dev");
    assert_eq!(setup.chain().unwrap().access_key_id(), "ENVKEY");
    // An empty access key in the environment: the profile.
    let setup = Setup::new(None, Some(FILE_KEYS)).var("AWS_ACCESS_KEY_ID", "").var("AWS_SECRET_ACCESS_KEY", "x");
    assert_eq!(setup.chain().unwrap().access_key_id(), "FILEKEY");
    // Partial environment credentials stop the chain.
    let setup = Setup::new(None, Some(FILE_KEYS)).var("AWS_ACCESS_KEY_ID", "AK");
    assert!(matches!(setup.chain(), Err(CredentialsError::Partial { .. })));
    // A profile chosen by the caller (botocore's Session(profile=…)) skips the environment.
    let setup = env_keys(Setup::new(None, Some("[dev]\naws_access_key_id = F\naws_secret_access_key = FS\n")));
    let creds = DefaultCredentialsChain::with_profile(setup.env(), "dev").provide_credentials().wait().unwrap();
    assert_eq!(creds.access_key_id(), "F");
}

#[test]
fn nothing_found_says_what_was_tried() {
    let setup = Setup::new(Some("[default]\nregion = r\n"), None);
    let err = setup.chain().unwrap_err();
    let CredentialsError::NoneFound { tried } = &err else { panic!("{err:?}") };
    let providers: Vec<String> = tried
        .iter()
        .map(|e| match e {
            CredentialsError::NotFound { provider, .. } => provider.to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(providers, ["env", "profile", "container-role", "iam-role"]);
    let message = err.to_string();
    assert!(message.contains("AWS_ACCESS_KEY_ID is not set"), "{message}");
    assert!(message.contains(&format!("{} does not exist", setup.path("credentials").display())), "{message}");
    assert!(message.contains("has no credentials"), "{message}");
}

#[test]
fn file_problems_stop_the_chain_even_with_environment_keys() {
    // botocore reads the files when it builds its chain, before asking any provider.
    let setup = env_keys(Setup::new(None, Some("[default]\nbad line\n")));
    match setup.chain().unwrap_err() {
        CredentialsError::Config { error: ConfigError::Parse { path, line, .. }, .. } => {
            assert_eq!((path, line), (setup.path("credentials"), 2));
        }
        other => panic!("{other:?}"),
    }
    let setup = env_keys(Setup::new(None, None)).var("AWS_PROFILE", "nope");
    match setup.chain().unwrap_err() {
        CredentialsError::Config { error: ConfigError::ProfileNotFound { profile, chosen_by, .. }, .. } => {
            assert_eq!((profile.as_str(), chosen_by.as_str()), ("nope", "AWS_PROFILE"));
        }
        other => panic!("{other:?}"),
    }
    let err = DefaultCredentialsChain::with_profile(Setup::new(None, None).env(), "x").provide_credentials().wait();
    assert!(matches!(err, Err(CredentialsError::Config { error: ConfigError::ProfileNotFound { .. }, .. })));
}

#[test]
fn sources_are_used_in_botocore_order_not_skipped() {
    // botocore would assume the role before reading the credentials file's keys: the
    // chain calls STS (here a closed port) rather than use the keys.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sts = format!("http://127.0.0.1:{closed}");
    let setup = Setup::new(
        Some("[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n[profile base]\naws_access_key_id = B\naws_secret_access_key = BS\n"),
        Some(FILE_KEYS),
    )
    .var("AWS_ENDPOINT_URL_STS", &sts);
    let err = setup.chain().unwrap_err().to_string();
    assert!(err.starts_with("assume-role: STS AssumeRole") && err.contains(&sts), "{err}");
    // SSO comes before the credentials file: with a cached token the chain asks the SSO
    // portal (here a closed port) rather than use the keys; without one it stops with
    // botocore's SSOTokenLoadError rather than fall through.
    let sso_config = "[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
                      [sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n";
    let setup = Setup::new(Some(sso_config), Some(FILE_KEYS)).var("AWS_ENDPOINT_URL_SSO", &sts);
    let err = setup.chain().unwrap_err().to_string();
    assert!(err.starts_with("sso: error loading SSO token: token for corp does not exist"), "{err}");
    // The cache file is the SHA-1 of the session name (`printf corp | sha1sum`).
    let cache = setup.path(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        format!(r#"{{"accessToken": "{TOKEN}", "expiresAt": "2099-01-01T00:00:00Z"}}"#),
    )
    .unwrap();
    let err = setup.chain().unwrap_err().to_string();
    assert!(err.starts_with("sso: SSO GetRoleCredentials: ") && err.contains(&sts) && !err.contains(TOKEN), "{err}");
    // credential_process comes after the credentials file but before the config file.
    let setup = Setup::new(Some("[default]\ncredential_process = /bin/false\n"), Some(FILE_KEYS));
    assert_eq!(setup.chain().unwrap().access_key_id(), "FILEKEY");
    let setup = Setup::new(Some("[default]\ncredential_process = /bin/false\naws_access_key_id = C\naws_secret_access_key = CS\n"), None);
    let err = setup.chain().unwrap_err().to_string();
    assert!(err.starts_with("custom-process: `/bin/false` failed"), "{err}");
    // Web identity from the environment, unless the caller chose the profile.
    let setup = Setup::new(None, Some(FILE_KEYS))
        .var("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token")
        .var("AWS_ROLE_ARN", "arn:aws:iam::1:role/r");
    let err = setup.chain().unwrap_err().to_string();
    assert!(err.contains("cannot read the web identity token file /nonexistent/token"), "{err}");
    let creds = DefaultCredentialsChain::with_profile(setup.env(), "default").provide_credentials().wait().unwrap();
    assert_eq!(creds.access_key_id(), "FILEKEY");
    // A token file without a role is a configuration error.
    let setup = Setup::new(None, Some(FILE_KEYS)).var("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token");
    assert!(setup.chain().unwrap_err().to_string().contains("no role ARN"));
}

/// A user's provider: counts calls, caches its answer inside.
#[derive(Debug, Default)]
struct Counting {
    calls: Mutex<u32>,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        *self.calls.lock().unwrap() += 1;
        Box::pin(std::future::ready(Ok(Credentials::new("CUSTOM", "custom-secret", None))))
    }
}

#[test]
fn chains_of_any_providers() {
    let empty_env = Env::from_vars(Vec::<(String, String)>::new());
    let chain = CredentialsChain::first_try(EnvironmentCredentialsProvider::with_env(empty_env)).or_else(Counting::default());
    assert_eq!(chain.provide_credentials().wait().unwrap().access_key_id(), "CUSTOM");
    // Not-found errors collect; the first other error stops the chain.
    let chain = CredentialsChain::first_try(EnvironmentCredentialsProvider::with_env(Env::from_vars([("AWS_ACCESS_KEY_ID", "AK")])))
        .or_else(Counting::default());
    assert!(matches!(chain.provide_credentials().wait(), Err(CredentialsError::Partial { .. })));
    #[derive(Debug)]
    struct Nothing;
    impl ProvideCredentials for Nothing {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(std::future::ready(Err(CredentialsError::not_found("nothing", "never has any"))))
        }
    }
    let err = CredentialsChain::first_try(Nothing).or_else(Nothing).provide_credentials().wait().unwrap_err();
    assert_eq!(err.to_string(), "no AWS credentials found; tried: nothing (never has any); nothing (never has any)");
    assert_eq!(CredentialsChain::default().provide_credentials().wait().unwrap_err().to_string(), "no AWS credentials found; tried: nothing (the chain is empty)");
}

/// Debug and Display of every type of the module, in states that hold secrets, never show them.
#[test]
fn debug_never_shows_secrets() {
    let setup = env_keys(Setup::new(
        Some(&format!("[default]\nregion = us-east-1\naws_access_key_id = CONFIGKEY\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\ns3 =\n  addressing_style = path\n  custom_secret = {SECRET}\n")),
        Some(&format!("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = {SECRET}\naws_security_token = {TOKEN}\n")),
    ))
    .var("AWS_SECRET_ACCESS_KEY", SECRET)
    .var("AWS_SESSION_TOKEN", TOKEN)
    .var("AWS_ENDPOINT_URL", &format!("http://user:{SECRET}@localhost:9000"));
    let env = setup.env();
    let creds = setup.chain().unwrap();
    assert_eq!(creds.secret_access_key(), SECRET);
    let files = ProfileFiles::load(&|n| setup.vars.get(n).cloned()).unwrap();
    let settings = config::load(&|n| setup.vars.get(n).cloned()).unwrap();
    assert!(settings.endpoint_url.as_deref().unwrap().contains(SECRET));

    let mut shown = vec![
        format!("{creds:?}"),
        format!("{env:?}"),
        format!("{:?}", EnvironmentCredentialsProvider::with_env(env.clone())),
        format!("{:?}", ProfileCredentialsProvider::with_env(env.clone())),
        format!("{:?}", DefaultCredentialsChain::with_env(env.clone())),
        format!("{:?}", CredentialsChain::first_try(creds.clone()).or_else(DefaultCredentialsChain::with_env(env.clone()))),
        format!("{files:?}"),
        format!("{:?}", files.profile("default").unwrap()),
        format!("{:?}", files.config_file().unwrap().sections()),
        format!("{settings:?}"),
    ];
    // Providers after they resolved, and behind the client's cache.
    let resolved = DefaultCredentialsChain::with_env(env.clone());
    resolved.provide_credentials().wait().unwrap();
    shown.push(format!("{resolved:?}"));
    let cached = s3_runtime::CredentialsCache::new(ProfileCredentialsProvider::with_env(env.clone()));
    cached.provide_credentials().wait().unwrap();
    shown.push(format!("{cached:?}"));
    // Errors, from inputs that hold secrets.
    let partial = Setup::new(None, Some(&format!("[default]\naws_access_key_id = {SECRET}\n")));
    let bad_line = Setup::new(None, Some(&format!("[default]\naws_secret_access_key {SECRET}\n")));
    let errors = [
        partial.chain().unwrap_err(),
        bad_line.chain().unwrap_err(),
        EnvironmentCredentialsProvider::with_env(Env::from_vars([("AWS_ACCESS_KEY_ID", SECRET)])).provide_credentials().wait().unwrap_err(),
        Setup::new(Some(&format!("[default]\nrole_arn = {SECRET}\n")), None).chain().unwrap_err(),
        Setup::new(None, None).chain().unwrap_err(),
        // A credential process whose command line and output hold the secret.
        Setup::new(Some(&format!("[default]\ncredential_process = /bin/echo {SECRET}\n")), None).chain().unwrap_err(),
    ];
    for err in &errors {
        shown.push(format!("{err:?}"));
        shown.push(err.to_string());
    }
    let parse_error = ConfigFile::parse("f", &format!("[default]\n{SECRET}\n")).unwrap_err();
    shown.push(format!("{parse_error:?}"));
    shown.push(parse_error.to_string());

    for text in &shown {
        assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
    }
    // And the redaction keeps what is useful.
    assert!(shown[0].contains("ENVKEY"), "{}", shown[0]);
    assert!(shown[6].contains("us-east-1") && shown[6].contains("addressing_style"), "{}", shown[6]);
    assert!(shown[9].contains("localhost:9000"), "{}", shown[9]);
}
