//! Event streams: the responses of operations such as SelectObjectContent, whose body is
//! a sequence of binary messages (`application/vnd.amazon.eventstream`), each one event.
//!
//! - [`frame`]: the binary format, as botocore's `botocore/eventstream.py` reads it:
//!   [`Message`], its typed [`Header`]s ([`HeaderValue`], all ten types), and the
//!   incremental [`MessageDecoder`], which checks both CRC-32 checksums and every length.
//! - [`EventReceiver`]: reads the body chunk by chunk, decodes messages, and turns each
//!   into an event of the stream's enum with the function the generated deserializer
//!   gives it (`event_stream_de.rs` in the generated crate), as botocore's `EventStream`
//!   and `EventStreamXMLParser` do.
//!
//! What a message becomes, by its `:message-type` header:
//!
//! - `error`: [`EventStreamError::Service`] with the `:error-code` and `:error-message`
//!   headers as code and message;
//! - `exception`: the generated decoder looks `:exception-type` up among the stream's
//!   members; a modeled exception becomes [`EventStreamError::Exception`], with the
//!   exception structure read from the payload, any other [`EventStreamError::Service`];
//! - anything else (`event`, as botocore does for every type but `error` and
//!   `exception`): an event, chosen by `:event-type`. An event type the model does not
//!   know becomes the enum's `Unknown(name)` variant (botocore skips it silently).

use std::error::Error as StdError;
use std::fmt;

pub mod frame;

pub use frame::{Header, HeaderValue, Message, MessageDecoder, MAX_HEADERS_LEN, MAX_MESSAGE_LEN};

use crate::{ByteStream, ErrorMetadata};

/// The function that turns one message into an event of type `T`: generated per event
/// stream (`crate::event_stream_de::decode_*` in the generated crate).
pub type DecodeFn<T> = fn(&Message) -> Result<T, EventStreamError>;

/// Receives the events of type `T` of an event-stream response, one at a time.
///
/// ```no_run
/// # async fn example(mut events: s3_runtime::EventReceiver<String>) -> Result<(), s3_runtime::event_stream::EventStreamError> {
/// while let Some(event) = events.recv().await? {
///     println!("{event:?}");
/// }
/// # Ok(()) }
/// ```
pub struct EventReceiver<T> {
    body: ByteStream,
    decode: DecodeFn<T>,
    decoder: MessageDecoder,
    /// The body has no more bytes.
    body_done: bool,
    /// Nothing more will be received: the end was reached, or the stream broke.
    closed: bool,
}

impl<T> EventReceiver<T> {
    /// A receiver reading messages from a response body and turning them into events
    /// with `decode`.
    pub fn new(body: ByteStream, decode: DecodeFn<T>) -> Self {
        EventReceiver { body, decode, decoder: MessageDecoder::new(), body_done: false, closed: false }
    }

    /// The next event, or `Ok(None)` at the end of the stream.
    ///
    /// An error message, an exception, or an event that does not match the model is an
    /// error for that message only: the next call goes on with the next message. A
    /// malformed message or a failure to read the body ends the stream: the calls after
    /// that error return `Ok(None)`.
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError> {
        let Some(message) = self.recv_message().await? else { return Ok(None) };
        if message.message_type() == Some("error") {
            return Err(EventStreamError::from_error_message(&message));
        }
        (self.decode)(&message).map(Some)
    }

    /// The next message as it came, without turning it into an event, or `Ok(None)` at
    /// the end of the stream.
    pub async fn recv_message(&mut self) -> Result<Option<Message>, EventStreamError> {
        loop {
            if self.closed {
                return Ok(None);
            }
            match self.decoder.next_message() {
                Ok(Some(message)) => return Ok(Some(message)),
                Ok(None) => {}
                Err(err) => {
                    self.closed = true;
                    return Err(err);
                }
            }
            if self.body_done {
                self.closed = true;
                return self.decoder.finish().map(|()| None);
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.decoder.push(&chunk),
                Some(Err(err)) => {
                    self.closed = true;
                    return Err(EventStreamError::Io(err));
                }
                None => self.body_done = true,
            }
        }
    }
}

impl<T> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("body", &self.body)
            .field("buffered", &self.decoder.buffered())
            .field("closed", &self.closed)
            .finish()
    }
}

/// Why [`EventReceiver::recv`] returned no event.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError {
    /// The bytes are not valid event-stream messages: a checksum mismatch, a length out
    /// of bounds, a malformed header, or a body that ends inside a message. The stream
    /// ends here.
    InvalidFrame(String),
    /// Reading the response body failed. The stream ends here.
    Io(std::io::Error),
    /// The service sent an error message (`:message-type` `error`, code and message from
    /// `:error-code` and `:error-message`), or an exception the model does not describe
    /// (code from `:error-code` or else `:exception-type`).
    Service(ErrorMetadata),
    /// The service sent an exception the model describes.
    Exception(ModeledException),
    /// A message whose headers or payload do not match the model (a header of another
    /// type, a payload that is not the expected XML). Only this event is lost.
    InvalidEvent(String),
}

impl EventStreamError {
    /// The error of a message whose `:message-type` is `error`.
    pub fn from_error_message(message: &Message) -> Self {
        let text = |name: &str| message.header(name).and_then(HeaderValue::as_str).map(str::to_owned);
        EventStreamError::Service(ErrorMetadata::new(text(":error-code"), text(":error-message")))
    }

    /// The error of an exception message whose `:exception-type` the event stream does
    /// not model.
    pub fn unmodeled_exception(message: &Message) -> Self {
        let text = |name: &str| message.header(name).and_then(HeaderValue::as_str).map(str::to_owned);
        let code = text(":error-code").or_else(|| message.exception_type().map(str::to_owned));
        let msg = text(":error-message").or_else(|| payload_message(message));
        EventStreamError::Service(ErrorMetadata::new(code, msg))
    }

    /// The error of a modeled exception, already read from the message.
    pub fn modeled_exception(meta: ErrorMetadata, error: impl StdError + Send + Sync + 'static) -> Self {
        EventStreamError::Exception(ModeledException { meta, error: Box::new(error) })
    }

    /// The metadata of an exception message, as botocore reads it: the code is
    /// `:exception-type`, the message the payload's `Message` (or `message`) element.
    pub fn exception_metadata(message: &Message) -> ErrorMetadata {
        ErrorMetadata::new(message.exception_type().map(str::to_owned), payload_message(message))
    }

    /// An [`InvalidEvent`](Self::InvalidEvent) error about `message`, naming its event.
    pub fn invalid_event(message: &Message, why: impl fmt::Display) -> Self {
        let kind = match (message.event_type(), message.exception_type()) {
            (Some(name), _) => format!("event `{name}`"),
            (None, Some(name)) => format!("exception `{name}`"),
            (None, None) => "a message without `:event-type`".to_owned(),
        };
        EventStreamError::InvalidEvent(format!("{kind}: {why}"))
    }

    /// What the service said, for [`Service`](Self::Service) and
    /// [`Exception`](Self::Exception) errors.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            EventStreamError::Service(meta) => Some(meta),
            EventStreamError::Exception(e) => Some(&e.meta),
            _ => None,
        }
    }

    /// The service's error code, if the service sent one.
    pub fn code(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::code)
    }

    /// The service's error message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::message)
    }
}

/// The text of the `Message` (or `message`) child of an XML payload's root.
fn payload_message(message: &Message) -> Option<String> {
    let doc = crate::xml::parse_optional(message.payload()).ok()??;
    let root = doc.root_element();
    ["Message", "message"].iter().find_map(|name| {
        crate::xml::child_elements(root)
            .find(|child| crate::xml::name(*child) == *name)
            .map(|child| crate::xml::text(child).into_owned())
    })
}

impl fmt::Display for EventStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStreamError::InvalidFrame(why) => write!(f, "invalid event stream: {why}"),
            EventStreamError::Io(err) => write!(f, "reading the event stream failed: {err}"),
            EventStreamError::Service(meta) => write!(f, "the event stream sent an error: {meta}"),
            EventStreamError::Exception(e) => write!(f, "the event stream sent an exception: {}", e.error),
            EventStreamError::InvalidEvent(why) => write!(f, "event stream message does not match the model: {why}"),
        }
    }
}

impl StdError for EventStreamError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            EventStreamError::Io(err) => Some(err),
            EventStreamError::Exception(e) => Some(&*e.error),
            _ => None,
        }
    }
}

/// An exception the event stream's model describes, such as a modeled error structure
/// of the generated crate (`types::error::*`): get it with
/// [`downcast_ref`](Self::downcast_ref).
#[derive(Debug)]
pub struct ModeledException {
    meta: ErrorMetadata,
    error: Box<dyn StdError + Send + Sync>,
}

impl ModeledException {
    /// What the service said: the exception type as the code, and its message.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The exception.
    pub fn error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.error
    }

    /// The exception as its type, if it is an `E`.
    pub fn downcast_ref<E: StdError + 'static>(&self) -> Option<&E> {
        self.error.downcast_ref::<E>()
    }

    /// Takes the exception out.
    pub fn into_error(self) -> Box<dyn StdError + Send + Sync> {
        self.error
    }
}

#[cfg(test)]
mod tests;
