//! At most `max` part tasks at once, on a `JoinSet`: dropping the window (the transfer
//! future dropped) aborts them.

use std::future::Future;

use tokio::task::JoinSet;

use crate::TransferError;

pub(crate) struct Window<T> {
    set: JoinSet<(u64, Result<T, TransferError>)>,
    max: usize,
}

impl<T: Send + 'static> Window<T> {
    pub(crate) fn new(max: usize) -> Self {
        Window { set: JoinSet::new(), max: max.max(1) }
    }
    pub(crate) fn is_full(&self) -> bool {
        self.set.len() >= self.max
    }
    pub(crate) fn spawn(&mut self, index: u64, task: impl Future<Output = Result<T, TransferError>> + Send + 'static) {
        self.set.spawn(async move { (index, task.await) });
    }
    /// The next finished task, or `None` when none is running.
    pub(crate) async fn next(&mut self) -> Option<Result<(u64, T), TransferError>> {
        let joined = self.set.join_next().await?;
        match joined {
            Ok((index, Ok(value))) => Some(Ok((index, value))),
            Ok((_, Err(err))) => Some(Err(err)),
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(_) => None,
        }
    }
}
