//! What the providers of one chain share: the environment, the shared files (read once),
//! the client's region and the HTTP clients of the small requests they make.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use super::provider::CredentialsError;
use crate::config::{Env, ProfileFiles};
use crate::transport::HttpClient;

/// Shared by the providers of one chain. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub env: Env,
    /// The client's region: STS is called there (botocore creates its STS client with
    /// the region of the client that needs credentials).
    pub region: Option<String>,
    shared: Arc<Shared>,
    clock: fn() -> SystemTime,
}

#[derive(Default)]
struct Shared {
    files: OnceLock<Result<Arc<ProfileFiles>, CredentialsError>>,
    http: OnceLock<Arc<dyn HttpClient>>,
    metadata_http: OnceLock<Arc<dyn HttpClient>>,
    custom_http: Option<Arc<dyn HttpClient>>,
}

impl Ctx {
    pub fn new(env: Env) -> Self {
        Ctx { env, region: None, shared: Arc::new(Shared::default()), clock: SystemTime::now }
    }

    /// Uses `http` for every request the providers make (tests, custom stacks).
    #[allow(dead_code)]
    pub fn with_http(env: Env, http: Arc<dyn HttpClient>) -> Self {
        Ctx { env, region: None, shared: Arc::new(Shared { custom_http: Some(http), ..Shared::default() }), clock: SystemTime::now }
    }

    pub fn now(&self) -> SystemTime {
        (self.clock)()
    }

    /// The shared files, read on first use and kept.
    pub fn files(&self) -> Result<Arc<ProfileFiles>, CredentialsError> {
        self.shared
            .files
            .get_or_init(|| {
                ProfileFiles::load(&|n| self.env.get(n))
                    .map(Arc::new)
                    .map_err(|error| CredentialsError::Config { provider: "profile".into(), error })
            })
            .clone()
    }

    /// The HTTP client for STS and SSO (botocore's defaults: 60 s to connect and read).
    pub fn http(&self) -> Arc<dyn HttpClient> {
        if let Some(custom) = &self.shared.custom_http {
            return custom.clone();
        }
        self.shared.http.get_or_init(|| super::http::client(Duration::from_secs(10), Duration::from_secs(60))).clone()
    }

    /// The HTTP client for IMDS and the container endpoint: botocore's
    /// `metadata_service_timeout` of 1 s, so a machine without them fails fast.
    pub fn metadata_http(&self) -> Arc<dyn HttpClient> {
        if let Some(custom) = &self.shared.custom_http {
            return custom.clone();
        }
        self.shared
            .metadata_http
            .get_or_init(|| super::http::client(Duration::from_secs(1), Duration::from_secs(1)))
            .clone()
    }

    /// A metadata client whose connect and read timeouts are `timeout`: the shared one
    /// for botocore's default of 1 s, a new one otherwise (`AWS_METADATA_SERVICE_TIMEOUT`,
    /// the container endpoint's 2 s).
    pub fn metadata_http_with_timeout(&self, timeout: Duration) -> Arc<dyn HttpClient> {
        if self.shared.custom_http.is_some() || timeout == Duration::from_secs(1) {
            return self.metadata_http();
        }
        super::http::client(timeout, timeout)
    }
}

impl fmt::Debug for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx").field("env", &self.env).field("region", &self.region).finish_non_exhaustive()
    }
}
