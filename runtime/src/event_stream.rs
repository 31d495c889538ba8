//! The receiving end of an event stream (SelectObjectContent's records, stats, …).

use std::fmt;
use std::marker::PhantomData;

/// Receives the events of type `T` of an event-stream response, one at a time.
pub struct EventReceiver<T> {
    _events: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventReceiver(..)")
    }
}
