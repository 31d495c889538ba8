//! Waiters, as botocore's `botocore/waiter.py` runs them, once for every waiter.
//!
//! The generated code gives each waiter a matcher: a plain function that checks the
//! model's acceptors, in order, against one response (the output, or the service error)
//! and returns the first that matches. [`wait`] does the rest:
//!
//! - send the request; a failure that is not a service error (no response, a response
//!   that cannot be read, bad input) ends the wait at once
//!   ([`WaiterError::UnexpectedError`]), as botocore lets such exceptions through;
//! - the first matching acceptor decides: `success` returns the response
//!   ([`FinalPoll`], which holds the service error for acceptors that succeed on an
//!   error, such as `ObjectNotExists`), `failure` ends with
//!   [`WaiterError::FailureState`], `retry` goes on;
//! - a service error that no acceptor matches ends the wait
//!   ([`WaiterError::UnexpectedError`]);
//! - otherwise wait the fixed delay and try again, up to `max_attempts` attempts in all
//!   ([`WaiterError::MaxAttemptsExceeded`]).
//!
//! On top of botocore's rules, `max_wait` bounds the whole wait: an attempt still
//! running at the deadline is abandoned, and no attempt starts after it
//! ([`WaiterError::ExceededMaxWait`]).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::SdkError;

/// What a matching acceptor means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: return this response.
    Success,
    /// The wait failed: the resource will not reach the awaited state.
    Failure,
    /// Try again after the delay.
    Retry,
}

/// A matching acceptor: its state and botocore's explanation of the match
/// (`Matched expected HTTP status code: 404`).
pub type Match = (AcceptorState, &'static str);

/// The settings of one wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaiterConfig {
    /// The waiter's name in the model (`ObjectExists`), for errors.
    pub name: &'static str,
    /// The fixed delay between attempts (the model's `delay`).
    pub delay: Duration,
    /// Attempts in all, the first included (the model's `maxAttempts`); as in botocore,
    /// at least one attempt is always made.
    pub max_attempts: u32,
    /// The longest the whole wait may take.
    pub max_wait: Duration,
}

/// The response that ended a successful wait: the output, or the service error when
/// an acceptor succeeds on an error (`ObjectNotExists` on a 404).
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, E>,
    attempts: u32,
}

impl<O, E> FinalPoll<O, E> {
    /// The output, or the error the waiter accepted.
    pub fn into_result(self) -> Result<O, E> {
        self.result
    }
    /// The output, or the error the waiter accepted, borrowed.
    pub fn as_result(&self) -> Result<&O, &E> {
        self.result.as_ref()
    }
    /// The output, if the last response was not an error.
    pub fn output(&self) -> Option<&O> {
        self.result.as_ref().ok()
    }
    /// The error the waiter accepted, if the last response was one.
    pub fn error(&self) -> Option<&E> {
        self.result.as_ref().err()
    }
    /// How many requests were sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// Why a wait did not succeed. `O` and `E` are the operation's output and error.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The next attempt would start after `max_wait`, or the attempt in progress was
    /// still running at that point.
    ExceededMaxWait {
        /// The waiter, such as `ObjectExists`.
        waiter: &'static str,
        /// The limit given to `wait`.
        max_wait: Duration,
        /// The time spent.
        elapsed: Duration,
        /// Requests that got a response.
        attempts: u32,
        /// The last response, if any.
        last: Option<Result<O, E>>,
    },
    /// `max_attempts` requests were sent without reaching a success or failure state.
    MaxAttemptsExceeded {
        /// The waiter, such as `ObjectExists`.
        waiter: &'static str,
        /// Requests sent.
        attempts: u32,
        /// The explanation of the last acceptor that matched, if any (a `retry` one).
        last_matched: Option<&'static str>,
        /// The last response.
        last: Result<O, E>,
    },
    /// An acceptor with the `failure` state matched.
    FailureState {
        /// The waiter, such as `ObjectExists`.
        waiter: &'static str,
        /// The acceptor's explanation.
        acceptor: &'static str,
        /// The response it matched.
        last: Result<O, E>,
    },
    /// A service error no acceptor matches, or a failure that is not a service error
    /// at all (no response, an unreadable response, invalid input).
    UnexpectedError {
        /// The waiter, such as `ObjectExists`.
        waiter: &'static str,
        /// The error.
        error: SdkError<E>,
    },
}

impl<O, E> WaiterError<O, E> {
    /// The last response, when there was one that an acceptor looked at.
    pub fn last_response(&self) -> Option<Result<&O, &E>> {
        match self {
            WaiterError::ExceededMaxWait { last, .. } => last.as_ref().map(Result::as_ref),
            WaiterError::MaxAttemptsExceeded { last, .. } | WaiterError::FailureState { last, .. } => Some(last.as_ref()),
            WaiterError::UnexpectedError { .. } => None,
        }
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::ExceededMaxWait { waiter, max_wait, attempts, .. } => {
                write!(f, "Waiter {waiter} failed: Max wait of {max_wait:?} exceeded after {attempts} attempt(s)")
            }
            WaiterError::MaxAttemptsExceeded { waiter, last_matched: None, .. } => {
                write!(f, "Waiter {waiter} failed: Max attempts exceeded")
            }
            WaiterError::MaxAttemptsExceeded { waiter, last_matched: Some(why), .. } => {
                write!(f, "Waiter {waiter} failed: Max attempts exceeded. Previously accepted state: {why}")
            }
            WaiterError::FailureState { waiter, acceptor, .. } => {
                write!(f, "Waiter {waiter} failed: Waiter encountered a terminal failure state: {acceptor}")
            }
            WaiterError::UnexpectedError { waiter, error } => write!(f, "Waiter {waiter} failed: {error}"),
        }
    }
}

impl<O: fmt::Debug, E: StdError + 'static> StdError for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            WaiterError::UnexpectedError { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Runs a waiter: `attempt` sends the request once, `matcher` checks the acceptors
/// against its response. See the [module documentation](self).
///
/// Needs a Tokio runtime with timers, like sending requests.
pub async fn wait<O, E, F, Fut>(
    config: WaiterConfig,
    mut attempt: F,
    matcher: fn(Result<&O, &E>) -> Option<Match>,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    let waiter = config.name;
    let start = tokio::time::Instant::now();
    let deadline = start.checked_add(config.max_wait);
    let mut attempts = 0;
    let mut last_matched = None;
    let mut last: Option<Result<O, E>> = None;
    loop {
        let sent = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, attempt()).await {
                Ok(sent) => sent,
                Err(_) => {
                    let elapsed = start.elapsed();
                    return Err(WaiterError::ExceededMaxWait { waiter, max_wait: config.max_wait, elapsed, attempts, last });
                }
            },
            None => attempt().await,
        };
        attempts += 1;
        let response = match sent {
            Ok(output) => Ok(output),
            Err(SdkError::Service(err)) => Err(err),
            Err(error) => return Err(WaiterError::UnexpectedError { waiter, error }),
        };
        match matcher(response.as_ref()) {
            Some((AcceptorState::Success, _)) => return Ok(FinalPoll { result: response, attempts }),
            Some((AcceptorState::Failure, acceptor)) => {
                return Err(WaiterError::FailureState { waiter, acceptor, last: response })
            }
            Some((AcceptorState::Retry, why)) => last_matched = Some(why),
            None => {
                if let Err(err) = response {
                    return Err(WaiterError::UnexpectedError { waiter, error: SdkError::Service(err) });
                }
            }
        }
        if attempts >= config.max_attempts {
            return Err(WaiterError::MaxAttemptsExceeded { waiter, attempts, last_matched, last: response });
        }
        let next_start = tokio::time::Instant::now().checked_add(config.delay);
        if let (Some(deadline), Some(next_start)) = (deadline, next_start) {
            if next_start > deadline {
                let elapsed = start.elapsed();
                return Err(WaiterError::ExceededMaxWait {
                    waiter,
                    max_wait: config.max_wait,
                    elapsed,
                    attempts,
                    last: Some(response),
                });
            }
        }
        last = Some(response);
        tokio::time::sleep(config.delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    use crate::{ErrorMetadata, ResponseError};

    /// A fake `HeadObject`: the output is a status string, the error its metadata.
    type Out = &'static str;

    /// Acceptors as generated for: `path Status == "ready"` success, `path Status ==
    /// "broken"` failure, `error NotFound` retry, `status 503` retry.
    fn matcher(result: Result<&Out, &ErrorMetadata>) -> Option<Match> {
        let status = match result {
            Ok(_) => Some(200),
            Err(e) => e.status(),
        };
        let code = match result {
            Ok(_) => None,
            Err(e) => e.code(),
        };
        if result.is_ok_and(|out| *out == "ready") {
            return Some((AcceptorState::Success, r#"For expression "Status" we matched expected path: "ready""#));
        }
        if result.is_ok_and(|out| *out == "broken") {
            return Some((AcceptorState::Failure, r#"For expression "Status" we matched expected path: "broken""#));
        }
        if code == Some("NotFound") {
            return Some((AcceptorState::Retry, "Matched expected service error code: NotFound"));
        }
        if status == Some(503) {
            return Some((AcceptorState::Retry, "Matched expected HTTP status code: 503"));
        }
        None
    }

    fn not_found() -> SdkError<ErrorMetadata> {
        SdkError::Service(ErrorMetadata::new(Some("NotFound".into()), None).with_status(404))
    }

    type Script = VecDeque<Result<Out, SdkError<ErrorMetadata>>>;

    struct Fake {
        script: Arc<Mutex<Script>>,
        calls: Arc<Mutex<u32>>,
    }

    impl Fake {
        fn new(script: Vec<Result<Out, SdkError<ErrorMetadata>>>) -> Self {
            Fake { script: Arc::new(Mutex::new(script.into())), calls: Default::default() }
        }
        async fn run(&self, max_attempts: u32, max_wait: Duration) -> Result<FinalPoll<Out, ErrorMetadata>, WaiterError<Out, ErrorMetadata>> {
            let config = WaiterConfig { name: "ObjectReady", delay: Duration::from_millis(1), max_attempts, max_wait };
            wait(
                config,
                || {
                    *self.calls.lock().unwrap() += 1;
                    let next = self.script.lock().unwrap().pop_front().expect("scripted");
                    async move { next }
                },
                matcher,
            )
            .await
        }
        fn calls(&self) -> u32 {
            *self.calls.lock().unwrap()
        }
    }

    const LONG: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn success_at_once() {
        let fake = Fake::new(vec![Ok("ready")]);
        let done = fake.run(20, LONG).await.unwrap();
        assert_eq!(done.output(), Some(&"ready"));
        assert_eq!(done.attempts(), 1);
    }

    #[tokio::test]
    async fn retry_then_success() {
        let fake = Fake::new(vec![Err(not_found()), Ok("pending"), Ok("ready")]);
        let done = fake.run(20, LONG).await.unwrap();
        assert_eq!(done.into_result().unwrap(), "ready");
        assert_eq!(fake.calls(), 3);
    }

    #[tokio::test]
    async fn failure_state() {
        let fake = Fake::new(vec![Ok("pending"), Ok("broken")]);
        let err = fake.run(20, LONG).await.unwrap_err();
        assert!(matches!(err, WaiterError::FailureState { last: Ok("broken"), .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            r#"Waiter ObjectReady failed: Waiter encountered a terminal failure state: For expression "Status" we matched expected path: "broken""#
        );
    }

    #[tokio::test]
    async fn max_attempts() {
        let fake = Fake::new(vec![Ok("pending"), Err(not_found()), Ok("pending")]);
        let err = fake.run(3, LONG).await.unwrap_err();
        let WaiterError::MaxAttemptsExceeded { attempts: 3, last_matched, last: Ok("pending"), .. } = &err else { panic!("{err:?}") };
        assert_eq!(*last_matched, Some("Matched expected service error code: NotFound"));
        assert_eq!(fake.calls(), 3);
        assert_eq!(
            err.to_string(),
            "Waiter ObjectReady failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: NotFound"
        );
        // At least one attempt, as botocore.
        let fake = Fake::new(vec![Ok("pending")]);
        assert!(matches!(fake.run(0, LONG).await, Err(WaiterError::MaxAttemptsExceeded { attempts: 1, last_matched: None, .. })));
    }

    // On a paused clock: the deadline is exact however loaded the machine is.
    #[tokio::test(start_paused = true)]
    async fn timeout() {
        let fake = Fake::new((0..1000).map(|_| Ok("pending")).collect());
        let config = WaiterConfig { name: "ObjectReady", delay: Duration::from_millis(20), max_attempts: 1000, max_wait: Duration::from_millis(70) };
        let calls = Arc::clone(&fake.calls);
        let script = Arc::clone(&fake.script);
        let err = wait(
            config,
            move || {
                *calls.lock().unwrap() += 1;
                let next = script.lock().unwrap().pop_front().unwrap();
                async move { next }
            },
            matcher,
        )
        .await
        .unwrap_err();
        let WaiterError::ExceededMaxWait { attempts, elapsed, last: Some(Ok("pending")), .. } = err else { panic!("{err:?}") };
        assert!((2..=4).contains(&attempts), "{attempts}");
        assert!(elapsed <= Duration::from_millis(70), "no attempt starts after the deadline: {elapsed:?}");
    }

    #[tokio::test]
    async fn an_attempt_running_at_the_deadline_is_abandoned() {
        let config = WaiterConfig { name: "Slow", delay: Duration::from_millis(1), max_attempts: 5, max_wait: Duration::from_millis(20) };
        let err = wait(
            config,
            || async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<Out, SdkError<ErrorMetadata>>("ready")
            },
            matcher,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, WaiterError::ExceededMaxWait { attempts: 0, last: None, .. }), "{err:?}");
    }

    #[tokio::test]
    async fn unmatched_service_error_and_other_failures_end_the_wait() {
        let denied = SdkError::Service(ErrorMetadata::new(Some("AccessDenied".into()), Some("no".into())).with_status(403));
        let fake = Fake::new(vec![Err(denied)]);
        let err = fake.run(20, LONG).await.unwrap_err();
        assert!(matches!(&err, WaiterError::UnexpectedError { error: SdkError::Service(_), .. }), "{err:?}");
        assert_eq!(err.to_string(), "Waiter ObjectReady failed: service error: AccessDenied: no");
        assert!(err.source().is_some());

        // A 503 with a body that cannot be read is no service error: botocore raises it.
        let fake = Fake::new(vec![Err(SdkError::Response(ResponseError::new("HeadObject", "bad XML")))]);
        assert!(matches!(fake.run(20, LONG).await, Err(WaiterError::UnexpectedError { error: SdkError::Response(_), .. })));
        assert_eq!(fake.calls(), 1);
    }

    #[tokio::test]
    async fn success_on_an_error() {
        fn gone(result: Result<&Out, &ErrorMetadata>) -> Option<Match> {
            let status = result.err().and_then(ErrorMetadata::status);
            (status == Some(404)).then_some((AcceptorState::Success, "Matched expected HTTP status code: 404"))
        }
        let config = WaiterConfig { name: "ObjectGone", delay: Duration::from_millis(1), max_attempts: 5, max_wait: LONG };
        let mut script = VecDeque::from([Ok("there"), Err(not_found())]);
        let done = wait(config, || std::future::ready(script.pop_front().unwrap()), gone).await.unwrap();
        assert_eq!(done.error().and_then(ErrorMetadata::code), Some("NotFound"));
        assert_eq!(done.attempts(), 2);
    }
}
