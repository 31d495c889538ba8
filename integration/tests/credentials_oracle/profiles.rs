//! The environment, the shared files, roles (`source_profile` chains,
//! `credential_source`), web identity and `credential_process`, against the fake STS.

use super::Scenario;

const STATIC: &str = "aws_access_key_id = AKIDSOURCE\naws_secret_access_key = source-secret\n";

fn process_json(extra: &str) -> String {
    format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"process-secret\"{extra}}}'\n")
}

pub fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario::new("environment keys").env("AWS_ACCESS_KEY_ID", "AKIDENV").env("AWS_SECRET_ACCESS_KEY", "env-secret"),
        Scenario::new("environment keys with a session token and an expiry")
            .env("AWS_ACCESS_KEY_ID", "ASIAENV")
            .env("AWS_SECRET_ACCESS_KEY", "env-secret")
            .env("AWS_SESSION_TOKEN", "env-token")
            .env("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"),
        Scenario::new("environment: a key id without its secret").env("AWS_ACCESS_KEY_ID", "AKIDENV"),
        Scenario::new("shared credentials file, default profile").credentials(format!("[default]\n{STATIC}")),
        Scenario::new("config file profile chosen by AWS_PROFILE")
            .config("[profile dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n")
            .env("AWS_PROFILE", "dev"),
        Scenario::new("the credentials file before the config file")
            .config("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n")
            .credentials("[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = k\n"),
        Scenario::new("an explicit profile disables the environment's keys")
            .env("AWS_ACCESS_KEY_ID", "AKIDENV")
            .env("AWS_SECRET_ACCESS_KEY", "env-secret")
            .credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n")
            .profile("dev"),
        Scenario::new("a chosen profile that does not exist").env("AWS_PROFILE", "missing"),
        Scenario::new("credential_process")
            .file("bin/creds.sh", process_json(""))
            .config("[default]\ncredential_process = ${DIR}/bin/creds.sh\n"),
        Scenario::new("credential_process with a token and an expiry")
            .file("bin/creds.sh", process_json(", \"SessionToken\": \"process-token\", \"Expiration\": \"2030-01-01T00:00:00Z\""))
            .config("[default]\ncredential_process = ${DIR}/bin/creds.sh --flag 'quoted arg'\n"),
        Scenario::new("credential_process that fails")
            .file("bin/creds.sh", "#!/bin/sh\necho 'no credentials for you' >&2\nexit 2\n")
            .config("[default]\ncredential_process = ${DIR}/bin/creds.sh\n"),
        Scenario::new("credential_process with an unsupported version")
            .file("bin/creds.sh", "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'\n")
            .config("[default]\ncredential_process = ${DIR}/bin/creds.sh\n"),
        Scenario::new("web identity from the environment")
            .file("token", "web-identity-token")
            .env("AWS_WEB_IDENTITY_TOKEN_FILE", "${DIR}/token")
            .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web")
            .env("AWS_ROLE_SESSION_NAME", "web-session"),
        Scenario::new("web identity from a profile")
            .file("token", "profile-token")
            .config("[default]\nweb_identity_token_file = ${DIR}/token\nrole_arn = arn:aws:iam::123456789012:role/web-profile\n"),
        Scenario::new("web identity refused by STS")
            .file("token", "expired")
            .env("AWS_WEB_IDENTITY_TOKEN_FILE", "${DIR}/token")
            .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
        Scenario::new("assume role from a static source profile").config(format!(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n[profile base]\n{STATIC}"
        )),
        Scenario::new("assume role chain with external id, duration and session name")
            .config(format!(
                "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = middle\nexternal_id = ext-1\nduration_seconds = 1800\nrole_session_name = top-session\n\
                 [profile middle]\nrole_arn = arn:aws:iam::123456789012:role/middle\nsource_profile = base\n\
                 [profile base]\n{STATIC}"
            ))
            .env("AWS_PROFILE", "top"),
        Scenario::new("assume role from a source profile in the credentials file")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n")
            .credentials(format!("[base]\n{STATIC}")),
        Scenario::new("assume role whose source profile uses web identity")
            .file("token", "chained-token")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = web\n[profile web]\nweb_identity_token_file = ${DIR}/token\nrole_arn = arn:aws:iam::123456789012:role/web\n"),
        Scenario::new("assume role whose source profile uses credential_process")
            .file("bin/creds.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDSOURCE\", \"SecretAccessKey\": \"source-secret\"}'\n")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = proc\n[profile proc]\ncredential_process = ${DIR}/bin/creds.sh\n"),
        Scenario::new("a profile may source its own static keys").config(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/self\nsource_profile = default\naws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n",
        ),
        Scenario::new("assume role with credential_source = Environment")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/env\ncredential_source = Environment\n")
            // Chosen by the caller, so that the environment provider itself is skipped.
            .profile("default")
            .env("AWS_ACCESS_KEY_ID", "AKIDENVSOURCE")
            .env("AWS_SECRET_ACCESS_KEY", "env-source-secret"),
        Scenario::new("assume role with credential_source = Ec2InstanceMetadata")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/from-ec2\ncredential_source = Ec2InstanceMetadata\n")
            .env("AWS_EC2_METADATA_DISABLED", "<unset>")
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "${FAKE_imds}"),
        Scenario::new("assume role with credential_source = EcsContainer")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/from-ecs\ncredential_source = EcsContainer\nexternal_id = ecs\n")
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", "${FAKE_container}/creds")
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "fake-container-token"),
        Scenario::new("credential_source = EcsContainer with no container")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/from-ecs\ncredential_source = EcsContainer\n"),
        Scenario::new("a source_profile loop").config(
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
        ).profile("a"),
        Scenario::new("a source profile that does not exist")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = nowhere\n"),
        Scenario::new("both source_profile and credential_source").config(format!(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\ncredential_source = Environment\n[profile base]\n{STATIC}"
        )),
        Scenario::new("role_arn with neither source").config("[default]\nrole_arn = arn:aws:iam::123456789012:role/a\n"),
        Scenario::new("an invalid credential_source")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/a\ncredential_source = Somewhere\n"),
        Scenario::new("a source profile without credentials")
            .config("[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = empty\n[profile empty]\nregion = us-west-2\n"),
        Scenario::new("a source whose key STS does not know (signature checked)").config(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = base\n[profile base]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = wrong-secret\n",
        ),
        Scenario::new("nothing anywhere"),
        Scenario::new("nothing, with empty files").config("[default]\nregion = us-west-2\n").credentials("[default]\n"),
    ]
}
