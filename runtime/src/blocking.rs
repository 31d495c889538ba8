//! Blocking calls (the `blocking` feature): `send_blocking()` on every fluent builder
//! and blocking paginators, for programs without an async runtime.
//!
//! Requests run on one small internal Tokio runtime (one worker thread, started on first
//! use and shared by every client), which also keeps the connection pool alive between
//! calls. Called from inside a Tokio runtime, a blocking call would stall that runtime's
//! thread (and deadlock a current-thread runtime): it fails at once with
//! [`SendError::Blocking`] instead; use `send().await` there.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::orchestrator::SendError;
use crate::SdkError;

/// The message of a blocking call made inside a Tokio runtime.
const INSIDE_RUNTIME: &str =
    "a blocking call (`send_blocking`, a blocking paginator) was made inside a Tokio runtime, where it would block the runtime's thread; use the async API (`send().await`) there";

fn runtime() -> Result<&'static tokio::runtime::Runtime, String> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("s3-blocking")
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the internal Tokio runtime of blocking calls: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Runs `future` to completion on the internal runtime; fails without running it when
/// called inside a Tokio runtime. Not generic: every blocking call goes through it.
pub fn run(future: Pin<Box<dyn Future<Output = ()> + '_>>) -> Result<(), SendError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(SendError::Blocking(INSIDE_RUNTIME.to_owned()));
    }
    runtime().map_err(SendError::Blocking)?.block_on(future);
    Ok(())
}

/// What `send_blocking()` calls: the request's future, run by [`run`].
#[inline]
pub fn send<T, E>(future: impl Future<Output = Result<T, SdkError<E>>>) -> Result<T, SdkError<E>> {
    let mut result = None;
    run(Box::pin(async { result = Some(future.await) }))?;
    result.unwrap_or_else(|| Err(SendError::Blocking("the blocking call did not finish".to_owned()).into()))
}

/// A stream of results (pages or items) as a blocking iterator: see
/// [`PaginationStream::into_blocking_iter`](crate::paginator::PaginationStream::into_blocking_iter).
#[derive(Debug)]
pub struct BlockingIter<S> {
    stream: S,
    done: bool,
}

impl<S> BlockingIter<S> {
    /// The stream, to look at (such as its `resume_token()`).
    pub fn get_ref(&self) -> &S {
        &self.stream
    }
    /// The stream back.
    pub fn into_inner(self) -> S {
        self.stream
    }
}

impl<S, T, E> Iterator for BlockingIter<S>
where
    S: Stream<Item = Result<T, SdkError<E>>> + Unpin,
{
    type Item = Result<T, SdkError<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut next = None;
        let stream = &mut self.stream;
        let polled = run(Box::pin(async {
            next = std::future::poll_fn(|cx: &mut Context<'_>| -> Poll<Option<Self::Item>> {
                Pin::new(&mut *stream).poll_next(cx)
            })
            .await;
        }));
        match polled {
            Ok(()) => {
                self.done = next.is_none();
                next
            }
            Err(err) => {
                // Said once; the stream was not polled.
                self.done = true;
                Some(Err(err.into()))
            }
        }
    }
}

impl<O: 'static, E> crate::paginator::PaginationStream<O, E> {
    /// The pages as a blocking iterator (the `blocking` feature): each `next()` sends
    /// at most one request on the internal runtime. Inside a Tokio runtime it yields
    /// one [`SendError::Blocking`] error and ends.
    pub fn into_blocking_iter(self) -> BlockingIter<Self> {
        BlockingIter { stream: self, done: false }
    }
}

impl<O: 'static, T, E> crate::paginator::ItemStream<O, T, E> {
    /// The items as a blocking iterator (the `blocking` feature), as
    /// [`PaginationStream::into_blocking_iter`](crate::paginator::PaginationStream::into_blocking_iter).
    pub fn into_blocking_iter(self) -> BlockingIter<Self> {
        BlockingIter { stream: self, done: false }
    }
}
