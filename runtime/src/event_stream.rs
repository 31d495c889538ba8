//! The receiving end of an event stream (SelectObjectContent's records, stats, …).

use std::fmt;
use std::marker::PhantomData;

/// Receives the events of type `T` of an event-stream response, one at a time.
pub struct EventReceiver<T> {
    body: crate::ByteStream,
    _events: PhantomData<fn() -> T>,
}

impl<T> EventReceiver<T> {
    /// A receiver reading events from a response body.
    pub fn new(body: crate::ByteStream) -> Self {
        EventReceiver { body, _events: PhantomData }
    }

    /// The undecoded body (event-stream messages); decoding them into `T` is not
    /// implemented yet.
    pub fn into_body(self) -> crate::ByteStream {
        self.body
    }
}

impl<T> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventReceiver(..)")
    }
}
