//! `credentials vs botocore`: for each scenario (environment, shared files, profiles with
//! role chains, `credential_process`, web identity, SSO, container, IMDS, nothing found),
//! botocore 1.44.8 and our [`DefaultCredentialsChain`] resolve credentials in the same
//! environment, against the same loopback fakes (`integration/fakes/`), and must agree:
//! the same access key, secret, token and expiry, or both an error.
//!
//! Run by `cargo xtask test` (which starts the fakes and sets `S3_TEST_FAKES` to their
//! URLs as JSON and `S3_TEST_PYTHON` to the venv's Python); ignored otherwise.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use s3_runtime::config::{self, Env};
use s3_runtime::{DefaultCredentialsChain, ProvideCredentials};

mod container;
mod imds;
mod profiles;
mod sso;

/// One situation both clients resolve credentials in.
pub struct Scenario {
    pub name: &'static str,
    /// Environment variables (besides the file locations and `HOME`, which point into the
    /// scenario's directory).
    pub env: Vec<(&'static str, String)>,
    /// `~/.aws/config`.
    pub config: Option<String>,
    /// `~/.aws/credentials`.
    pub credentials: Option<String>,
    /// A profile chosen by the caller (botocore's `Session(profile=...)`).
    pub profile: Option<&'static str>,
    /// Other files, relative to the scenario's directory (which is also `HOME`).
    pub files: Vec<(&'static str, String)>,
}

impl Scenario {
    pub fn new(name: &'static str) -> Self {
        Scenario { name, env: Vec::new(), config: None, credentials: None, profile: None, files: Vec::new() }
    }
    pub fn env(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.env.push((name, value.into()));
        self
    }
    pub fn config(mut self, text: impl Into<String>) -> Self {
        self.config = Some(text.into());
        self
    }
    pub fn credentials(mut self, text: impl Into<String>) -> Self {
        self.credentials = Some(text.into());
        self
    }
    pub fn profile(mut self, name: &'static str) -> Self {
        self.profile = Some(name);
        self
    }
    pub fn file(mut self, path: &'static str, text: impl Into<String>) -> Self {
        self.files.push((path, text.into()));
        self
    }
}

/// What a client resolved: the parts compared, or an error (whose text is not compared).
#[derive(Debug, PartialEq)]
enum Outcome {
    Found { access_key: String, secret_key: String, token: Option<String>, expiry: Option<String> },
    Error(String),
}

impl Outcome {
    fn same_as(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Error(_), Outcome::Error(_)) => true,
            _ => self == other,
        }
    }
}

fn substitute(text: &str, dir: &Path, fakes: &HashMap<String, String>) -> String {
    let mut out = text.replace("${DIR}", &dir.to_string_lossy());
    for (name, url) in fakes {
        out = out.replace(&format!("${{FAKE_{name}}}"), url);
    }
    out
}

fn prepare(scenario: &Scenario, dir: &Path, fakes: &HashMap<String, String>) -> Vec<(String, String)> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, substitute(text, dir, fakes)).unwrap();
        #[cfg(unix)]
        if rel.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    };
    if let Some(text) = &scenario.config {
        write(".aws/config", text);
    }
    if let Some(text) = &scenario.credentials {
        write(".aws/credentials", text);
    }
    for (rel, text) in &scenario.files {
        write(rel, text);
    }
    let mut env: Vec<(String, String)> = vec![
        ("HOME".into(), dir.to_string_lossy().into_owned()),
        ("AWS_CONFIG_FILE".into(), dir.join(".aws/config").to_string_lossy().into_owned()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), dir.join(".aws/credentials").to_string_lossy().into_owned()),
        ("AWS_DEFAULT_REGION".into(), "us-east-1".into()),
        ("AWS_ENDPOINT_URL_STS".into(), fakes.get("sts").cloned().unwrap_or_default()),
        // Never the real instance metadata service; IMDS scenarios point it at the fake.
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ];
    for (name, value) in &scenario.env {
        let value = substitute(value, dir, fakes);
        match env.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => env.push((name.to_string(), value)),
        }
    }
    env.retain(|(_, v)| v != "<unset>");
    env
}

fn ours(scenario: &Scenario, env: &[(String, String)]) -> Outcome {
    let env = Env::from_vars(env.iter().cloned());
    let region = config::load(&|n| env.get(n)).ok().and_then(|c| c.region);
    let chain = match scenario.profile {
        Some(profile) => DefaultCredentialsChain::with_profile(env, profile),
        None => DefaultCredentialsChain::with_env(env),
    }
    .region(region);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    match runtime.block_on(chain.provide_credentials()) {
        Ok(c) => Outcome::Found {
            access_key: c.access_key_id().to_owned(),
            secret_key: c.secret_access_key().to_owned(),
            token: c.session_token().map(str::to_owned),
            expiry: c.expiry().map(|t| s3_runtime::DateTime::from(t).fmt(s3_runtime::DateTimeFormat::DateTime)),
        },
        Err(e) => Outcome::Error(e.to_string()),
    }
}

fn botocore(python: &str, scenario: &Scenario, env: &[(String, String)]) -> Outcome {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fakes/botocore_credentials.py");
    let output = Command::new(python)
        .arg(&script)
        .arg(scenario.profile.unwrap_or(""))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run botocore");
    let text = String::from_utf8_lossy(&output.stdout);
    let Some(line) = text.lines().last() else {
        return Outcome::Error(format!("botocore printed nothing: {}", String::from_utf8_lossy(&output.stderr)));
    };
    let value: serde_json::Value = serde_json::from_str(line).expect("botocore's JSON");
    if let Some(error) = value.get("error") {
        return Outcome::Error(format!("{}: {}", error.as_str().unwrap_or(""), value["message"].as_str().unwrap_or("")));
    }
    let text = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    Outcome::Found {
        access_key: text("access_key").unwrap_or_default(),
        secret_key: text("secret_key").unwrap_or_default(),
        token: text("token"),
        expiry: text("expiry"),
    }
}

#[test]
#[ignore = "needs the fakes and botocore: run by `cargo xtask test`"]
fn credentials_vs_botocore() {
    let fakes: HashMap<String, String> =
        serde_json::from_str(&std::env::var("S3_TEST_FAKES").expect("S3_TEST_FAKES")).expect("S3_TEST_FAKES is JSON");
    let python = std::env::var("S3_TEST_PYTHON").expect("S3_TEST_PYTHON");
    let scenarios: Vec<Scenario> =
        [profiles::scenarios(), imds::scenarios(), container::scenarios(), sso::scenarios()].into_iter().flatten().collect();
    let root = std::env::temp_dir().join(format!("s3-credentials-oracle-{}", std::process::id()));
    let (mut passed, mut failed) = (0, 0);
    for (i, scenario) in scenarios.iter().enumerate() {
        let dir = root.join(i.to_string());
        let env = prepare(scenario, &dir, &fakes);
        let expected = botocore(&python, scenario, &env);
        // Files may have changed (a refreshed SSO token): start again from the same state.
        let env = prepare(scenario, &dir, &fakes);
        let actual = ours(scenario, &env);
        if actual.same_as(&expected) {
            passed += 1;
            let shown = match &actual {
                Outcome::Found { access_key, expiry, .. } => format!("{access_key} until {expiry:?}"),
                Outcome::Error(e) => format!("error on both sides: ours `{e}`; botocore `{}`", match &expected {
                    Outcome::Error(b) => b.as_str(),
                    _ => "",
                }),
            };
            println!("ok   {}: {shown}", scenario.name);
        } else {
            failed += 1;
            println!("FAIL {}:\n  ours:     {actual:?}\n  botocore: {expected:?}", scenario.name);
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    println!("credentials vs botocore: {passed} passed, {failed} failed");
    assert_eq!(failed, 0, "credentials differ from botocore's");
    assert!(passed >= 20, "too few scenarios ran: {passed}");
}
