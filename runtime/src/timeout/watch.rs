//! The wrappers that enforce the read timeout and stalled-stream protection: around a
//! response body ([`watch_download`]), a request body ([`watch_upload`]) and the wait
//! for the response head ([`watch_call`]). Each looks at the clock when polled and keeps
//! at most one timer, armed only while it waits.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::{Instant, Sleep};

use super::throughput::Throughput;
use super::{StreamTimeout, TimeoutConfig};
use crate::byte_stream::BoxError;
use crate::transport::{BoxFuture, DispatchError, DispatchErrorKind};
use crate::ByteStream;

/// Request bodies of at most this many bytes are not watched: they fit in the socket's
/// buffers, so a server that stops reading cannot stall them (the read timeout covers
/// the wait for its answer). Larger frames are handed over in pieces of this size, so
/// that progress is seen as the bytes leave.
const UPLOAD_PIECE: usize = 64 * 1024;

/// One timer, (re)armed only when it is missing or has fired.
#[derive(Default)]
struct Timer(Option<Pin<Box<Sleep>>>);

impl Timer {
    /// Arms the timer for `deadline` unless it is armed already and has not fired (it
    /// may then fire early: the caller checks again and re-arms). Returns `true` when it
    /// has fired by now.
    fn poll_at(&mut self, deadline: Instant, cx: &mut Context<'_>) -> bool {
        match &mut self.0 {
            Some(sleep) if !sleep.is_elapsed() && sleep.deadline() <= deadline => {}
            Some(sleep) => sleep.as_mut().reset(deadline),
            None => self.0 = Some(Box::pin(tokio::time::sleep_until(deadline))),
        }
        let sleep = self.0.as_mut().expect("armed above");
        sleep.as_mut().poll(cx).is_ready()
    }
}

/// `body` with the read timeout and download protection of `config`, or `body` itself
/// when neither applies.
pub(crate) fn watch_download(body: ByteStream, config: &TimeoutConfig) -> ByteStream {
    let stall = config.stalled_stream.download_enabled();
    // A body already in memory (from a test double) cannot stall, nor can an empty one.
    if (!stall && config.read.is_none()) || body.as_bytes().is_some() || body.size_hint() == Some(0) {
        return body;
    }
    ByteStream::from_body(Download {
        inner: body,
        config: *config,
        stall,
        throughput: Throughput::new(config.stalled_stream.get_grace_period()),
        waiting_since: None,
        timer: Timer::default(),
    })
}

struct Download {
    inner: ByteStream,
    config: TimeoutConfig,
    stall: bool,
    throughput: Throughput,
    /// Set while the last poll was `Pending`: the time since is spent on the network.
    waiting_since: Option<Instant>,
    timer: Timer,
}

impl Download {
    fn check(&self) -> Option<StreamTimeout> {
        if self.config.read.is_some_and(|timeout| self.throughput.idle(timeout)) {
            return Some(StreamTimeout::idle(self.config.read.unwrap_or_default()));
        }
        if self.stall && self.throughput.stalled(&self.config.stalled_stream) {
            return Some(StreamTimeout::stalled(&self.config.stalled_stream, false));
        }
        None
    }
}

/// The stream's error: `ByteStream::next` makes it an `io::Error` of kind `TimedOut`.
fn timed_out(err: StreamTimeout) -> BoxError {
    Box::new(err)
}

impl Body for Download {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        loop {
            // The clock is read only around a wait: a body whose bytes are there costs no
            // clock reads.
            if let Some(since) = this.waiting_since.take() {
                this.throughput.charge(Instant::now() - since);
            }
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Some(data) = frame.data_ref() {
                        this.throughput.record(data.len());
                    }
                    return Poll::Ready(Some(Ok(frame)));
                }
                Poll::Ready(other) => return Poll::Ready(other),
                Poll::Pending => {}
            }
            let now = Instant::now();
            this.waiting_since = Some(now);
            if let Some(err) = this.check() {
                return Poll::Ready(Some(Err(timed_out(err))));
            }
            let Some(wait) = this.throughput.next_check(this.stall, this.config.read) else { return Poll::Pending };
            if !this.timer.poll_at(now + wait, cx) {
                return Poll::Pending;
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        Body::size_hint(&self.inner)
    }
}

/// What a watched request body and the wait for its response share.
#[derive(Debug)]
pub(crate) struct Upload {
    throughput: Throughput,
    /// Set after a piece was handed to the HTTP client, until it asks for the next: the
    /// time between is spent on the network. Not set while the caller's own stream is
    /// slow to produce bytes.
    waiting_since: Option<Instant>,
    /// When the last byte was handed over.
    done: Option<Instant>,
}

/// `body` with the upload protection of `config`, and the state [`watch_call`] checks;
/// `body` itself when it is not watched (protection off, or a body small enough to
/// fit in the socket's buffers).
pub(crate) fn watch_upload(body: ByteStream, config: &TimeoutConfig) -> (ByteStream, Option<Arc<Mutex<Upload>>>) {
    let small = body.size_hint().is_some_and(|length| length <= UPLOAD_PIECE as u64);
    if !config.stalled_stream.upload_enabled() || small {
        return (body, None);
    }
    let state = Arc::new(Mutex::new(Upload {
        throughput: Throughput::new(config.stalled_stream.get_grace_period()),
        waiting_since: None,
        done: None,
    }));
    let body = ByteStream::from_body(UploadBody { inner: body, rest: Bytes::new(), state: Arc::clone(&state) });
    (body, Some(state))
}

struct UploadBody {
    inner: ByteStream,
    /// What is left of a large frame, handed over in pieces.
    rest: Bytes,
    state: Arc<Mutex<Upload>>,
}

impl UploadBody {
    fn state(&self) -> std::sync::MutexGuard<'_, Upload> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands over at most a piece of `data`, keeping the rest, and records it.
    fn piece(&mut self, mut data: Bytes, now: Instant) -> Frame<Bytes> {
        if data.len() > UPLOAD_PIECE {
            self.rest = data.split_off(UPLOAD_PIECE);
        }
        let end = self.rest.is_empty() && self.inner.is_end_stream();
        let mut state = self.state();
        state.throughput.record(data.len());
        if end {
            state.done = Some(now);
        } else {
            state.waiting_since = Some(now);
        }
        drop(state);
        Frame::data(data)
    }
}

impl Body for UploadBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let now = Instant::now();
        {
            let mut state = this.state();
            if let Some(since) = state.waiting_since.take() {
                state.throughput.charge(now - since);
            }
        }
        if !this.rest.is_empty() {
            let data = std::mem::take(&mut this.rest);
            return Poll::Ready(Some(Ok(this.piece(data, now))));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) => Poll::Ready(Some(Ok(this.piece(data, now)))),
                Err(frame) => Poll::Ready(Some(Ok(frame))),
            },
            Poll::Ready(other) => {
                this.state().done = Some(now);
                Poll::Ready(other)
            }
            // The caller's stream is slow: not the network's time.
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let inner = Body::size_hint(&self.inner);
        let rest = self.rest.len() as u64;
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower() + rest);
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper + rest);
        }
        hint
    }
}

/// The wait for the response head: fails when the watched request body stalls, or when
/// no head came within the read timeout of the request being handed over (for a
/// watched body: of its last byte).
pub(crate) fn watch_call<'a>(
    call: BoxFuture<'a, Result<http::Response<ByteStream>, DispatchError>>,
    upload: Option<Arc<Mutex<Upload>>>,
    config: &TimeoutConfig,
) -> Call<'a> {
    Call { call, upload, config: *config, started: Instant::now(), timer: Timer::default() }
}

pub(crate) struct Call<'a> {
    call: BoxFuture<'a, Result<http::Response<ByteStream>, DispatchError>>,
    upload: Option<Arc<Mutex<Upload>>>,
    config: TimeoutConfig,
    started: Instant,
    timer: Timer,
}

impl Call<'_> {
    /// The error, or when to look again (`None`: never).
    fn check(&mut self, now: Instant) -> Result<Option<Instant>, DispatchError> {
        let sent = match &self.upload {
            None => self.started,
            Some(upload) => {
                let mut state = upload.lock().unwrap_or_else(|e| e.into_inner());
                match state.done {
                    Some(done) => done,
                    None => {
                        // Charged only while waiting on the HTTP client, not on the
                        // caller's stream.
                        if let Some(since) = state.waiting_since {
                            state.throughput.charge(now - since);
                            state.waiting_since = Some(now);
                        }
                        let protection = &self.config.stalled_stream;
                        if state.throughput.stalled(protection) {
                            let err = StreamTimeout::stalled(protection, true);
                            return Err(DispatchError::new(DispatchErrorKind::Timeout, "the request body stopped", Some(Box::new(err))));
                        }
                        return Ok(state.throughput.next_check(true, None).map(|wait| now + wait));
                    }
                }
            }
        };
        let Some(timeout) = self.config.read else { return Ok(None) };
        if now >= sent + timeout {
            let message = format!("no response within {timeout:?} of sending the request (read timeout)");
            return Err(DispatchError::new(DispatchErrorKind::Timeout, message, None));
        }
        Ok(Some(sent + timeout))
    }
}

impl Future for Call<'_> {
    type Output = Result<http::Response<ByteStream>, DispatchError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Poll::Ready(result) = self.call.as_mut().poll(cx) {
            return Poll::Ready(result);
        }
        loop {
            let now = Instant::now();
            match self.check(now) {
                Err(err) => return Poll::Ready(Err(err)),
                Ok(None) => return Poll::Pending,
                Ok(Some(deadline)) => {
                    if !self.timer.poll_at(deadline, cx) {
                        return Poll::Pending;
                    }
                }
            }
        }
    }
}


#[cfg(test)]
mod tests {
    use std::io;
    use std::time::Duration;

    use tokio::sync::mpsc;
    use tokio::time::sleep;

    use super::super::StalledStreamProtection;
    use super::*;

    /// A body fed through a channel: a chunk per message, its end when the sender goes.
    struct Fed(mpsc::UnboundedReceiver<Bytes>);

    impl Body for Fed {
        type Data = Bytes;
        type Error = io::Error;
        fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
            self.0.poll_recv(cx).map(|chunk| chunk.map(|c| Ok(Frame::data(c))))
        }
    }

    fn fed() -> (mpsc::UnboundedSender<Bytes>, ByteStream) {
        let (tx, rx) = mpsc::unbounded_channel();
        (tx, ByteStream::from_body(Fed(rx)))
    }

    fn config(read: Option<u64>, protection: StalledStreamProtection) -> TimeoutConfig {
        TimeoutConfig { read: read.map(Duration::from_secs), stalled_stream: protection, ..TimeoutConfig::default() }
    }

    fn timeout_of(err: &io::Error) -> StreamTimeoutKind {
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");
        err.get_ref().and_then(|e| e.downcast_ref::<StreamTimeout>()).expect("a StreamTimeout").kind()
    }

    use super::super::StreamTimeoutKind;

    /// A body that stops mid-way fails with stalled-stream protection (on by default),
    /// long before the 60 s read timeout; with protection off, after the read timeout.
    #[tokio::test(start_paused = true)]
    async fn a_download_that_stops_fails() {
        for (protection, expected) in [
            (StalledStreamProtection::enabled(), "stalled"),
            (StalledStreamProtection::disabled(), "idle"),
        ] {
            let (tx, body) = fed();
            let mut body = watch_download(body, &config(Some(60), protection));
            tx.send(Bytes::from_static(b"abc")).unwrap();
            assert_eq!(&body.next().await.unwrap().unwrap()[..], b"abc");
            let start = Instant::now();
            let err = body.next().await.unwrap().unwrap_err();
            let kind = timeout_of(&err);
            match expected {
                "stalled" => assert!(matches!(kind, StreamTimeoutKind::Stalled { min_throughput: 1, .. }), "{kind:?}"),
                _ => assert_eq!(kind, StreamTimeoutKind::Idle { timeout: Duration::from_secs(60) }),
            }
            // Virtual time: which limit fired, not how fast.
            let waited = start.elapsed();
            assert_eq!(waited >= Duration::from_secs(60), expected == "idle", "{waited:?}");
            drop(tx);
        }
    }

    /// A slow but steady body (2 bytes a second, for a minute) is not stalled; a caller
    /// that does not read for a minute does not stall it either.
    #[tokio::test(start_paused = true)]
    async fn slow_bodies_and_slow_readers_are_not_stalled() {
        let (tx, body) = fed();
        let mut body = watch_download(body, &config(Some(60), StalledStreamProtection::enabled()));
        tokio::spawn(async move {
            for _ in 0..120 {
                sleep(Duration::from_millis(500)).await;
                tx.send(Bytes::from_static(b"x")).unwrap();
            }
        });
        let mut got = 0;
        while let Some(chunk) = body.next().await {
            got += chunk.unwrap().len();
        }
        assert_eq!(got, 120);

        let (tx, body) = fed();
        let mut body = watch_download(body, &config(Some(2), StalledStreamProtection::enabled()));
        for _ in 0..3 {
            tx.send(Bytes::from_static(b"y")).unwrap();
        }
        drop(tx);
        for _ in 0..3 {
            assert_eq!(&body.next().await.unwrap().unwrap()[..], b"y");
            sleep(Duration::from_secs(60)).await;
        }
        assert!(body.next().await.is_none());
    }

    /// An in-process HTTP client that reads the request body at a given pace and stops
    /// after `limit` bytes (a server that stops reading), then answers 200 once it has
    /// read it all.
    #[derive(Debug)]
    struct Reader {
        pace: Duration,
        limit: usize,
    }

    impl crate::transport::HttpClient for Reader {
        fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
            Box::pin(async move {
                let mut body = request.into_body();
                let mut read = 0;
                while let Some(chunk) = body.next().await {
                    read += chunk.unwrap().len();
                    if read >= self.limit {
                        std::future::pending::<()>().await;
                    }
                    sleep(self.pace).await;
                }
                Ok(http::Response::new(ByteStream::default()))
            })
        }
    }

    async fn upload(client: &Reader, body: ByteStream) -> Result<http::Response<ByteStream>, DispatchError> {
        use crate::transport::HttpClient;
        let config = config(Some(60), StalledStreamProtection::enabled());
        let (body, state) = watch_upload(body, &config);
        assert!(state.is_some(), "watched");
        watch_call(client.call(http::Request::new(body)), state, &config).await
    }

    /// A server that stops reading a 1 MiB body stalls the upload; one that reads it in
    /// 64 KiB pieces, one a second, does not.
    #[tokio::test(start_paused = true)]
    async fn an_upload_the_server_stops_reading_fails() {
        let body = || ByteStream::from(vec![7u8; 1 << 20]);
        let err = upload(&Reader { pace: Duration::from_millis(1), limit: 300_000 }, body()).await.unwrap_err();
        assert_eq!(err.kind(), DispatchErrorKind::Timeout);
        let source = std::error::Error::source(&err).and_then(|e| e.downcast_ref::<StreamTimeout>()).unwrap();
        assert!(source.is_upload());
        assert!(matches!(source.kind(), StreamTimeoutKind::Stalled { .. }));

        let slow = Reader { pace: Duration::from_secs(1), limit: usize::MAX };
        assert_eq!(upload(&slow, body()).await.unwrap().status(), 200);
    }

    /// The caller's own stream being slow (a piece every 30 s) is not a stall.
    #[tokio::test(start_paused = true)]
    async fn a_slow_caller_stream_is_not_a_stall() {
        let (tx, body) = fed();
        tokio::spawn(async move {
            for _ in 0..4 {
                sleep(Duration::from_secs(30)).await;
                tx.send(Bytes::from(vec![1u8; 100])).unwrap();
            }
        });
        let fast = Reader { pace: Duration::ZERO, limit: usize::MAX };
        assert_eq!(upload(&fast, body).await.unwrap().status(), 200);
    }

    /// The read timeout for the head runs from the request's last byte: a 20 s upload
    /// followed by an answer 50 s later is within a 60 s read timeout.
    #[tokio::test(start_paused = true)]
    async fn the_head_timeout_starts_after_the_upload() {
        #[derive(Debug)]
        struct SlowAnswer;
        impl crate::transport::HttpClient for SlowAnswer {
            fn call(&self, request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
                Box::pin(async move {
                    let mut body = request.into_body();
                    while body.next().await.is_some() {
                        sleep(Duration::from_secs(1)).await;
                    }
                    sleep(Duration::from_secs(50)).await;
                    Ok(http::Response::new(ByteStream::default()))
                })
            }
        }
        use crate::transport::HttpClient;
        let config = config(Some(60), StalledStreamProtection::enabled());
        let (body, state) = watch_upload(ByteStream::from(vec![0u8; 20 * UPLOAD_PIECE]), &config);
        let response = watch_call(SlowAnswer.call(http::Request::new(body)), state, &config).await;
        assert_eq!(response.unwrap().status(), 200);
        // No answer at all: a timeout, after the read timeout.
        let (body, state) = watch_upload(ByteStream::from(vec![0u8; 20 * UPLOAD_PIECE]), &config);
        let never = Reader { pace: Duration::ZERO, limit: 20 * UPLOAD_PIECE };
        let err = watch_call(never.call(http::Request::new(body)), state, &config).await.unwrap_err();
        assert_eq!(err.kind(), DispatchErrorKind::Timeout);
        assert!(err.to_string().contains("read timeout"), "{err}");
    }
}
