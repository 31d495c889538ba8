//! IMDS scenarios, against `integration/fakes/fake_imds.py`: `imds` (IMDSv2 enforcing its
//! token), `imds_403` / `imds_404` / `imds_405` (the token `PUT` answers that: IMDSv1),
//! `imds_norole` (no instance profile), `imds_unassumable` (IMDS's error document).
//!
//! The harness disables IMDS by default; [`on`] turns it back on.

use super::Scenario;

const ENDPOINT: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const V1_DISABLED: &str = "AWS_EC2_METADATA_V1_DISABLED";
/// Nothing listens there (the discard port).
const UNREACHABLE: &str = "http://127.0.0.1:9";

/// A scenario with IMDS enabled (the harness sets `AWS_EC2_METADATA_DISABLED=true`).
pub fn on(name: &'static str) -> Scenario {
    Scenario::new(name).env("AWS_EC2_METADATA_DISABLED", "<unset>")
}

pub fn scenarios() -> Vec<Scenario> {
    let profiles = "[default]\nec2_metadata_service_endpoint = http://127.0.0.1:9\n\
                    [profile ec2]\nec2_metadata_service_endpoint = ${FAKE_imds}\n";
    vec![
        on("imds v2").env(ENDPOINT, "${FAKE_imds}"),
        on("imds v2, endpoint with a trailing slash").env(ENDPOINT, "${FAKE_imds}/"),
        on("imds token 403 falls back to v1").env(ENDPOINT, "${FAKE_imds_403}"),
        on("imds token 404 falls back to v1").env(ENDPOINT, "${FAKE_imds_404}"),
        on("imds token 405 falls back to v1").env(ENDPOINT, "${FAKE_imds_405}"),
        on("imds without an instance profile").env(ENDPOINT, "${FAKE_imds_norole}"),
        on("imds role that cannot be assumed").env(ENDPOINT, "${FAKE_imds_unassumable}"),
        on("imds v1 disabled (env), token 403").env(ENDPOINT, "${FAKE_imds_403}").env(V1_DISABLED, "true"),
        on("imds v1 disabled (env), v2 works").env(ENDPOINT, "${FAKE_imds}").env(V1_DISABLED, "TRUE"),
        on("imds v1 disabled false").env(ENDPOINT, "${FAKE_imds_405}").env(V1_DISABLED, "false"),
        on("imds v1 disabled (config), token 405")
            .env(ENDPOINT, "${FAKE_imds_405}")
            .config("[default]\nec2_metadata_v1_disabled = true\n"),
        Scenario::new("imds disabled").env(ENDPOINT, "${FAKE_imds}").env("AWS_EC2_METADATA_DISABLED", "true"),
        Scenario::new("imds disabled, any case").env(ENDPOINT, "${FAKE_imds}").env("AWS_EC2_METADATA_DISABLED", "True"),
        Scenario::new("imds not disabled by other values").env(ENDPOINT, "${FAKE_imds}").env("AWS_EC2_METADATA_DISABLED", "1"),
        on("imds unreachable").env(ENDPOINT, UNREACHABLE),
        on("imds unreachable, v1 disabled").env(ENDPOINT, UNREACHABLE).env(V1_DISABLED, "true"),
        on("imds custom endpoint wins over the IPv6 mode")
            .env(ENDPOINT, "${FAKE_imds}")
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
        on("imds invalid endpoint mode").env(ENDPOINT, "${FAKE_imds}").env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5"),
        on("imds timeout and attempts")
            .env(ENDPOINT, "${FAKE_imds}")
            .env("AWS_METADATA_SERVICE_TIMEOUT", "2")
            .env("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"),
        on("imds no role, three attempts").env(ENDPOINT, "${FAKE_imds_norole}").env("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"),
        on("imds endpoint from the config file").config("[default]\nec2_metadata_service_endpoint = ${FAKE_imds}\n"),
        on("imds endpoint from the AWS_PROFILE profile").env("AWS_PROFILE", "ec2").config(profiles),
        on("imds endpoint from the caller's profile").profile("ec2").config(profiles),
        on("imds endpoint: the environment wins over the config file")
            .env(ENDPOINT, "${FAKE_imds}")
            .config("[default]\nec2_metadata_service_endpoint = http://127.0.0.1:9\n"),
        on("environment credentials before imds")
            .env(ENDPOINT, "${FAKE_imds}")
            .env("AWS_ACCESS_KEY_ID", "AKIDENV")
            .env("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ]
}
