//! Hand-written support for the generated S3 client.
//!
//! Generated code calls into this crate through plain, non-generic functions and a few
//! small types, so that per-operation code stays small and the crate builds fast:
//!
//! - [`DateTime`], [`Blob`] and [`ByteStream`]: the primitive value types of the model;
//! - [`DateTimeFormat`]: the wire formats of timestamps ([`DateTime::fmt`], [`DateTime::parse`]);
//! - [`encoding`]: percent-encoding of URI labels and queries, `EncodingType=url` decoding,
//!   base64, host labels, and the text of floats and header lists, all as botocore does them;
//! - [`EventReceiver`]: the receiving end of an event stream;
//! - [`ErrorMetadata`], [`BuildError`] and [`SdkError`]: the error types callers see;
//! - [`http::HttpRequest`]: a request as the generated serializers build it;
//! - [`xml`]: XML request bodies and response parsing, as botocore writes and reads them;
//! - [`endpoint`]: what the generated endpoint resolver returns, and the rules-engine
//!   functions it calls;
//! - [`config`]: settings and credentials from the environment and the shared files
//!   `~/.aws/config` and `~/.aws/credentials` ([`config::load`], [`ProvideCredentials`],
//!   [`DefaultCredentialsChain`]).
//!
//! With the `serde` feature (off by default): `serde::Serialize` for the value types, with
//! the rules of the `serialize` module, and JMESPath searches over pages
//! (`paginator::SearchStream`, boto3's `PageIterator.search`).

#![warn(missing_docs)]

pub mod auth;
pub mod aws_chunked;
mod blob;
mod byte_stream;
pub mod checksum;
pub mod clock_skew;
pub mod config;
pub mod datetime;
pub mod encoding;
pub mod endpoint;
pub mod de;
mod error;
pub mod event_stream;
pub mod http;
pub mod paginator;
pub mod presign;
pub mod resources;
pub mod orchestrator;
pub mod proxy;
pub mod redirect;
mod response_body;
pub mod retry;
pub mod s3;
pub mod s3express;
pub mod request_id;
pub mod telemetry;
#[cfg(any(test, feature = "test-util"))]
pub mod test_util;
#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "serde")]
pub mod serialize;
pub mod sigv4;
pub mod timeout;
pub mod transport;
mod trust;
pub mod waiter;
pub mod xml;

pub use blob::Blob;
pub use byte_stream::ByteStream;
pub use auth::{Credentials, CredentialsCache, CredentialsError, DefaultCredentialsChain, ProvideCredentials};
/// The credentials type, where it always was.
pub use auth::credentials;
pub use datetime::{DateTime, DateTimeParseError, Format as DateTimeFormat};
pub use request_id::{RequestId, RequestIds};
pub use error::{BuildError, ErrorMetadata, ResponseError, ResponseErrorKind, SdkError};
pub use event_stream::EventReceiver;
/// The map type of the model's `map` shapes: it keeps insertion order, so requests are
/// serialized in the order entries were added (as botocore does with dicts).
pub use indexmap::IndexMap;
