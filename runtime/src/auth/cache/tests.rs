use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;

/// A provider that counts its calls, hands out credentials valid for `lifetime` from the
/// test clock, waits a little (so that concurrent callers pile up), and fails on demand.
#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    fail: AtomicBool,
    now: Arc<AtomicU64>,
    lifetime: Option<Duration>,
}

impl Counting {
    fn new(now: &Arc<AtomicU64>, lifetime: Option<Duration>) -> Arc<Self> {
        Arc::new(Counting { calls: AtomicUsize::new(0), fail: AtomicBool::new(false), now: now.clone(), lifetime })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::other("counting", "refresh refused"));
            }
            let now = UNIX_EPOCH + Duration::from_secs(self.now.load(Ordering::SeqCst));
            Ok(Credentials::new(format!("AKID{n}"), "SECRET", None).with_expiry(self.lifetime.map(|l| now + l)))
        })
    }
}

fn clock(now: &Arc<AtomicU64>) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    let now = now.clone();
    move || UNIX_EPOCH + Duration::from_secs(now.load(Ordering::SeqCst))
}

const START: u64 = 1_800_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_requests_fetch_once() {
    let now = Arc::new(AtomicU64::new(START));
    let provider = Counting::new(&now, Some(Duration::from_secs(3600)));
    let cache = Arc::new(CredentialsCache::with_clock(provider.clone(), clock(&now)));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await.unwrap().access_key_id().to_owned() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "AKID1");
    }
    assert_eq!(provider.calls(), 1);
}

#[tokio::test]
async fn credentials_without_expiry_are_fetched_once() {
    let now = Arc::new(AtomicU64::new(START));
    let provider = Counting::new(&now, None);
    let cache = CredentialsCache::with_clock(provider.clone(), clock(&now));
    for _ in 0..3 {
        cache.provide_credentials().await.unwrap();
        now.fetch_add(365 * 24 * 3600, Ordering::SeqCst);
    }
    assert_eq!(provider.calls(), 1);
}

#[tokio::test]
async fn refreshes_in_the_windows_before_expiry() {
    let now = Arc::new(AtomicU64::new(START));
    let provider = Counting::new(&now, Some(Duration::from_secs(3600)));
    let cache = CredentialsCache::with_clock(provider.clone(), clock(&now));
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID1");
    // 16 minutes before expiry: still fresh.
    now.store(START + 3600 - 16 * 60, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(provider.calls(), 1);
    // 14 minutes before expiry: due, refreshed.
    now.store(START + 3600 - 14 * 60, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID2");
    // Past the expiry of the second set: refreshed before use.
    now.fetch_add(2 * 3600, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID3");
    assert_eq!(provider.calls(), 3);
}

#[tokio::test]
async fn a_failing_refresh_keeps_serving_unexpired_credentials() {
    let now = Arc::new(AtomicU64::new(START));
    let provider = Counting::new(&now, Some(Duration::from_secs(3600)));
    let cache = CredentialsCache::with_clock(provider.clone(), clock(&now));
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID1");
    provider.fail.store(true, Ordering::SeqCst);
    // Due (advisory window): the failure is tolerated.
    now.store(START + 3600 - 12 * 60, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID1");
    // Required (mandatory window), not expired: still served.
    now.store(START + 3600 - 60, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID1");
    assert_eq!(provider.calls(), 3, "each window's request tried to refresh");
    // Expired: the error comes through.
    now.store(START + 3600 + 1, Ordering::SeqCst);
    let err = cache.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("refresh refused"), "{err}");
    // And once the provider recovers, fresh credentials are fetched.
    provider.fail.store(false, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID5");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_refresh_in_flight_when_due() {
    let now = Arc::new(AtomicU64::new(START));
    let provider = Counting::new(&now, Some(Duration::from_secs(3600)));
    let cache = Arc::new(CredentialsCache::with_clock(provider.clone(), clock(&now)));
    cache.provide_credentials().await.unwrap();
    now.store(START + 3600 - 12 * 60, Ordering::SeqCst);
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await.unwrap().access_key_id().to_owned() })
        })
        .collect();
    for task in tasks {
        let key = task.await.unwrap();
        assert!(key == "AKID1" || key == "AKID2", "{key}");
    }
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn short_lived_credentials_are_not_refreshed_on_every_request() {
    // Five-minute credentials: refreshed in the last half of their life, not at once.
    let now = Arc::new(AtomicU64::new(START));
    let provider = Counting::new(&now, Some(Duration::from_secs(300)));
    let cache = CredentialsCache::with_clock(provider.clone(), clock(&now));
    cache.provide_credentials().await.unwrap();
    now.store(START + 100, Ordering::SeqCst);
    cache.provide_credentials().await.unwrap();
    assert_eq!(provider.calls(), 1);
    now.store(START + 200, Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "AKID2");
}

#[tokio::test]
async fn no_first_credentials_is_an_error() {
    let now = Arc::new(AtomicU64::new(START));
    let provider = Counting::new(&now, Some(Duration::from_secs(3600)));
    provider.fail.store(true, Ordering::SeqCst);
    let cache = CredentialsCache::with_clock(provider.clone(), clock(&now));
    assert!(cache.provide_credentials().await.is_err());
    assert!(cache.provide_credentials().await.is_err());
    assert_eq!(provider.calls(), 2);
}
