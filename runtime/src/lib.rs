//! Hand-written support for the generated S3 client.
//!
//! Generated code calls into this crate through plain, non-generic functions and a few
//! small types, so that per-operation code stays small and the crate builds fast:
//!
//! - [`DateTime`], [`Blob`] and [`ByteStream`]: the primitive value types of the model;
//! - [`EventReceiver`]: the receiving end of an event stream;
//! - [`ErrorMetadata`], [`BuildError`] and [`SdkError`]: the error types callers see.

#![warn(missing_docs)]

mod blob;
mod byte_stream;
mod datetime;
mod error;
mod event_stream;

pub use blob::Blob;
pub use byte_stream::ByteStream;
pub use datetime::DateTime;
pub use error::{BuildError, ErrorMetadata, SdkError};
pub use event_stream::EventReceiver;
