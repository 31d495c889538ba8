//! [`CredentialsCache`]: asks a provider again only when its credentials are about to
//! expire, with one refresh in flight at a time.
//!
//! # When it refreshes
//!
//! The windows are botocore's (`RefreshableCredentials`): 15 minutes before expiry the
//! credentials are *due* (advisory: the first request that finds no refresh running
//! starts one and waits for it; the others keep using the cached credentials; a failed
//! refresh is logged and the cached ones are used), and 10 minutes before expiry a
//! refresh is *required* (every request waits for the one refresh in flight). If a
//! required refresh fails, credentials that have not yet expired are still served (with a
//! warning that names the provider, never a secret); expired ones never are.
//!
//! Short-lived credentials (an hour or less, such as some container or SSO credentials)
//! would spend most of their life in those windows, so the windows shrink to a half and
//! a quarter of the lifetime the credentials had when they were fetched.
//!
//! Credentials without an expiry are fetched once and kept.
//!
//! # What a request costs
//!
//! A request with fresh cached credentials takes a read lock for as long as it takes to
//! clone an `Arc` and compare two times: no I/O, no `await` under a lock.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::credentials::Credentials;
use super::provider::{CredentialsError, CredentialsFuture, ProvideCredentials};

/// How long before expiry credentials are due for a refresh (botocore's
/// `_advisory_refresh_timeout`).
pub const ADVISORY_REFRESH: Duration = Duration::from_secs(15 * 60);
/// How long before expiry a refresh is required (botocore's `_mandatory_refresh_timeout`).
pub const MANDATORY_REFRESH: Duration = Duration::from_secs(10 * 60);

type Clock = dyn Fn() -> SystemTime + Send + Sync;

/// Caches the credentials of a provider until shortly before they expire: a refresh is
/// due [`ADVISORY_REFRESH`] and required [`MANDATORY_REFRESH`] before expiry (less for
/// short-lived credentials), one refresh runs at a time, and unexpired credentials are
/// served when a refresh fails. Cheap to share: wrap it in an `Arc`.
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    cached: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
    clock: Arc<Clock>,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// From here on a refresh is due (advisory).
    due: SystemTime,
    /// From here on a refresh is required.
    required: SystemTime,
}

enum State {
    Fresh(Credentials),
    Due(Credentials),
    Required(Option<Credentials>),
}

impl CredentialsCache {
    /// A cache in front of `provider`, on the system clock.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::with_clock(provider, SystemTime::now)
    }

    /// A cache in front of `provider` that tells time with `clock` (for tests).
    pub fn with_clock(provider: impl ProvideCredentials + 'static, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        CredentialsCache {
            provider: Arc::new(provider),
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            clock: Arc::new(clock),
        }
    }

    /// Drops the cached credentials: the next request asks the provider.
    pub fn invalidate(&self) {
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn state(&self, now: SystemTime) -> State {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        match &*cached {
            Some(c) if now < c.due => State::Fresh(c.credentials.clone()),
            Some(c) if now < c.required => State::Due(c.credentials.clone()),
            Some(c) => State::Required(Some(c.credentials.clone())),
            None => State::Required(None),
        }
    }

    /// Asks the provider (the caller holds the refresh lock) and stores the answer.
    async fn refresh_locked(&self) -> Result<Credentials, CredentialsError> {
        let fetched = self.provider.provide_credentials().await?;
        let now = (self.clock)();
        let (due, required) = match fetched.expiry() {
            None => (far_future(), far_future()),
            Some(expiry) => {
                let lifetime = expiry.duration_since(now).unwrap_or_default();
                let advisory = ADVISORY_REFRESH.min(lifetime / 2);
                let mandatory = MANDATORY_REFRESH.min(lifetime / 4);
                (expiry - advisory, expiry - mandatory)
            }
        };
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) =
            Some(Cached { credentials: fetched.clone(), due, required });
        Ok(fetched)
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let now = (self.clock)();
        match self.state(now) {
            State::Fresh(credentials) => Ok(credentials),
            State::Due(credentials) => {
                // One caller refreshes; the others use what is cached.
                let Ok(_guard) = self.refresh.try_lock() else { return Ok(credentials) };
                if let State::Fresh(newer) = self.state((self.clock)()) {
                    return Ok(newer);
                }
                match self.refresh_locked().await {
                    Ok(fresh) => Ok(fresh),
                    Err(err) => {
                        tracing::warn!(provider = ?self.provider, error = %err, "refreshing credentials that are due failed; using the cached ones");
                        Ok(credentials)
                    }
                }
            }
            State::Required(_) => {
                let _guard = self.refresh.lock().await;
                // Someone else may have refreshed while we waited.
                let stale = match self.state((self.clock)()) {
                    State::Fresh(c) | State::Due(c) => return Ok(c),
                    State::Required(stale) => stale,
                };
                match self.refresh_locked().await {
                    Ok(fresh) => Ok(fresh),
                    Err(err) => match stale {
                        Some(c) if c.expiry().is_some_and(|at| (self.clock)() < at) => {
                            tracing::warn!(provider = ?self.provider, error = %err, "refreshing credentials failed; using the cached ones until they expire");
                            Ok(c)
                        }
                        _ => Err(err),
                    },
                }
            }
        }
    }
}

fn far_future() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(u32::MAX as u64 * 4)
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.get())
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache").field("provider", &self.provider).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
