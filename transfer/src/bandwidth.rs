//! The optional bandwidth limit (s3transfer's `max_bandwidth`): bytes are let through
//! at most at `rate` bytes a second across all parts of a manager's transfers.

use std::sync::Arc;

use tokio::sync::Mutex;
use tokio::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub(crate) struct Limiter {
    rate: u64,
    /// When the bytes granted so far have all been let through.
    next: Arc<Mutex<Option<Instant>>>,
}

impl Limiter {
    pub(crate) fn new(rate: u64) -> Self {
        Limiter { rate: rate.max(1), next: Arc::new(Mutex::new(None)) }
    }

    /// Waits until `bytes` more may go.
    pub(crate) async fn consume(&self, bytes: u64) {
        let start = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let start = next.map_or(now, |n| n.max(now));
            *next = Some(start + Duration::from_secs_f64(bytes as f64 / self.rate as f64));
            start
        };
        tokio::time::sleep_until(start).await;
    }
}

/// Waits for `bytes` on `limiter`, if any.
pub(crate) async fn throttle(limiter: &Option<Limiter>, bytes: u64) {
    if let Some(limiter) = limiter {
        limiter.consume(bytes).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn bytes_go_at_the_rate() {
        let limiter = Limiter::new(1000);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.consume(500).await;
        }
        // The first 500 go at once, each next 500 half a second later.
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
        let parallel = Limiter::new(1000);
        let start = Instant::now();
        let tasks: Vec<_> = (0..4).map(|_| { let l = parallel.clone(); tokio::spawn(async move { l.consume(1000).await }) }).collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(Instant::now() - start, Duration::from_secs(3), "shared across parts");
    }
}
