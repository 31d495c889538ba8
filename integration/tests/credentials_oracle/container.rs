//! Container endpoint scenarios, against `integration/fakes/fake_container.py`:
//! `container` (wants `Authorization: fake-container-token`) and `container_open` (no
//! authorization). The relative URI (always `169.254.170.2`) cannot reach a fake: unit
//! tests cover it.

use super::imds::on;
use super::Scenario;

const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

pub fn scenarios() -> Vec<Scenario> {
    let full = |name| Scenario::new(name).env(FULL_URI, "${FAKE_container}/v1/credentials");
    vec![
        full("container full uri with a token").env(TOKEN, "fake-container-token"),
        Scenario::new("container full uri with a query")
            .env(FULL_URI, "${FAKE_container}/creds?id=abc")
            .env(TOKEN, "fake-container-token"),
        full("container token file").env(TOKEN_FILE, "${DIR}/token").file("token", "fake-container-token"),
        full("container token file wins over the token")
            .env(TOKEN_FILE, "${DIR}/token")
            .env(TOKEN, "wrong-token")
            .file("token", "fake-container-token"),
        // botocore does not trim the file: a trailing newline is an illegal header value.
        full("container token file with a newline").env(TOKEN_FILE, "${DIR}/token").file("token", "fake-container-token\n"),
        full("container token file missing").env(TOKEN_FILE, "${DIR}/no-such-token"),
        full("container token with CR LF").env(TOKEN, "fake-container-token\r\nX-Evil: 1"),
        // Slow (3 s): botocore tries 3 times, 1 s apart.
        full("container without the token (401)"),
        Scenario::new("container without authorization").env(FULL_URI, "${FAKE_container_open}/creds"),
        Scenario::new("container host not allowed").env(FULL_URI, "http://example.com/creds"),
        Scenario::new("container host not allowed (the IMDS address)").env(FULL_URI, "http://169.254.169.254/creds"),
        on("container before imds")
            .env(FULL_URI, "${FAKE_container_open}/creds")
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "${FAKE_imds}"),
        on("a container token alone is nothing").env(TOKEN, "fake-container-token").env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "${FAKE_imds}"),
        full("environment credentials before the container")
            .env("AWS_ACCESS_KEY_ID", "AKIDENV")
            .env("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ]
}
