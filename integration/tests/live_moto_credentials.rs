//! Credentials against moto's server, which implements STS: an assumed-role chain and
//! web identity resolve through moto's `AssumeRole` / `AssumeRoleWithWebIdentity`, and
//! the credentials they give sign S3 requests; an anonymous client reads a public
//! object; a client with no credentials fails before sending anything.
//!
//! `#[ignore]`d: `cargo xtask test` runs them with `S3_TEST_MOTO_URL` set.

mod common;

use std::path::PathBuf;

use common::{cleanup, moto_url, runtime};
use s3::types::ObjectCannedAcl;
use s3::{Client, Config};
use s3_runtime::config::Env;
use s3_runtime::{DefaultCredentialsChain, ProvideCredentials};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("s3-live-credentials-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn env_for(dir: &std::path::Path, extra: &[(&str, String)]) -> Env {
    let mut vars = vec![
        ("HOME".to_owned(), dir.to_string_lossy().into_owned()),
        ("AWS_CONFIG_FILE".to_owned(), dir.join("config").to_string_lossy().into_owned()),
        ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), dir.join("credentials").to_string_lossy().into_owned()),
        ("AWS_ENDPOINT_URL_STS".to_owned(), moto_url()),
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    Env::from_vars(vars)
}

fn client_with(provider: impl ProvideCredentials + 'static) -> Client {
    Client::from_conf(
        Config::builder().region("us-east-1").endpoint_url(moto_url()).force_path_style(true).credentials_provider(provider).build(),
    )
}

async fn put_and_get(client: &Client, bucket: &str) {
    client.create_bucket().bucket(bucket).send().await.unwrap();
    client.put_object().bucket(bucket).key("k").body(b"signed by a role".to_vec()).send().await.unwrap();
    let got = client.get_object().bucket(bucket).key("k").send().await.unwrap();
    assert_eq!(got.body.unwrap().collect().await.unwrap(), b"signed by a role");
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn assume_role_chain_through_moto_sts() {
    runtime().block_on(async {
        let dir = temp_dir("role");
        std::fs::write(
            dir.join("config"),
            "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = middle\nrole_session_name = live\nduration_seconds = 900\n\
             [profile middle]\nrole_arn = arn:aws:iam::123456789012:role/middle\nsource_profile = base\n\
             [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
        )
        .unwrap();
        let chain = DefaultCredentialsChain::with_env(env_for(&dir, &[("AWS_PROFILE", "top".into())])).region(Some("us-east-1".into()));
        let creds = chain.provide_credentials().await.unwrap();
        assert!(creds.access_key_id().starts_with("ASIA"), "{creds:?}");
        assert!(creds.session_token().is_some_and(|t| !t.is_empty()));
        let expiry = creds.expiry().expect("STS credentials expire");
        let lifetime = expiry.duration_since(std::time::SystemTime::now()).unwrap();
        assert!(lifetime.as_secs() <= 900, "DurationSeconds was sent: {lifetime:?}");
        assert_eq!(creds.account_id(), Some("123456789012"));
        let client = client_with(chain);
        put_and_get(&client, "live-credentials-role").await;
        cleanup(&client, "live-credentials-role").await;
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn web_identity_through_moto_sts() {
    runtime().block_on(async {
        let dir = temp_dir("web");
        std::fs::write(dir.join("token"), "a-web-identity-token").unwrap();
        let env = env_for(
            &dir,
            &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", dir.join("token").to_string_lossy().into_owned()),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web".into()),
                ("AWS_ROLE_SESSION_NAME", "live-web".into()),
            ],
        );
        let chain = DefaultCredentialsChain::with_env(env);
        let creds = chain.provide_credentials().await.unwrap();
        assert!(creds.access_key_id().starts_with("ASIA"), "{creds:?}");
        assert!(creds.expiry().is_some());
        let client = client_with(chain);
        put_and_get(&client, "live-credentials-web").await;
        cleanup(&client, "live-credentials-web").await;
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn anonymous_get_of_a_public_object() {
    runtime().block_on(async {
        let owner = common::client(true);
        let bucket = "live-credentials-public";
        owner.create_bucket().bucket(bucket).send().await.unwrap();
        owner
            .put_object()
            .bucket(bucket)
            .key("public.txt")
            .acl(ObjectCannedAcl::PublicRead)
            .body(b"for everyone".to_vec())
            .send()
            .await
            .unwrap();
        let anonymous = Client::from_conf(
            Config::builder().region("us-east-1").endpoint_url(moto_url()).force_path_style(true).anonymous().build(),
        );
        let got = anonymous.get_object().bucket(bucket).key("public.txt").send().await.unwrap();
        assert_eq!(got.body.unwrap().collect().await.unwrap(), b"for everyone");
        cleanup(&owner, bucket).await;
    });
}

#[test]
fn no_credentials_is_an_error_before_sending() {
    // An endpoint nobody listens on: the error must come before any connection.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::from_conf(Config::builder().region("us-east-1").endpoint_url(format!("http://127.0.0.1:{port}")).build());
    let err = runtime().block_on(client.get_object().bucket("b").key("k").send()).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("no credentials found"), "{text}");
}
