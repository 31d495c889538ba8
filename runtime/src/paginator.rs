//! Pagination, as botocore's `botocore/paginate.py` does it, once for every paginated
//! operation.
//!
//! The generated code describes each paginator with a [`PaginatorSpec`]: a few plain
//! functions that read the next token(s) out of a page (the model's `output_token` and
//! `more_results` expressions, compiled to Rust when the crate is generated), count and
//! slice the first result key, and empty the others. Everything else lives here, in a
//! small non-generic state machine (`Pager`) driven by two thin generic streams:
//!
//! - [`PaginationStream`]: the pages, as `Result<Output, SdkError<E>>`;
//! - [`ItemStream`]: the items of one result key across pages.
//!
//! Both implement [`futures_core::Stream`] and have an inherent `next()`, so no extra
//! crate is needed to consume them. With the `serde` feature, `SearchStream` is a third:
//! the results of a JMESPath expression on every page, as boto3's `PageIterator.search`.
//!
//! # The rules (those of `PageIterator.__iter__`)
//!
//! - The first request is sent as built, unless a starting token is given: then each
//!   input token member is set from it (an absent value clears the member).
//! - After each page the next token is read: if `more_results` is set and false, or
//!   every part of the token is absent, the listing is complete. Empty strings (and, for
//!   integer tokens, `0`) count as absent, as Python's truthiness does.
//! - `max_items` counts the items of the *first* result key (`Contents` for
//!   `ListObjectsV2`). The page that goes past it is truncated, and the listing stops
//!   with a resume token that names the page's own request token and how many of its
//!   items were already returned (`boto_truncate_amount`). A stop exactly on a page
//!   boundary gives the next page's token.
//! - Resuming from a token that has a truncate amount skips that many items of the
//!   first result key on the first page and empties the other result keys of that page
//!   (they were returned in full before).
//! - If the service returns the same token twice in a row, the stream yields the page
//!   and then an error ([`PaginationError::RepeatedToken`]) instead of asking for the
//!   same page forever.
//! - An error from the service ends the stream after it is yielded.
//!
//! Two deliberate departures from botocore, both to avoid losing data:
//!
//! - botocore empties the secondary result keys of the first page whenever it resumes
//!   from *any* token, including a page-boundary token that never returned them, which
//!   loses e.g. the `CommonPrefixes` of that page; here they are emptied only when the
//!   token carries a truncate amount.
//! - botocore drops a token part whose value is the string `None` (a leftover of its old
//!   token format) when it sets up the next request, which restarts `ListObjects` on a
//!   bucket whose last key on a page is literally `None`; here only the old token
//!   format's `None` parts mean "absent".
//!
//! # Tokens
//!
//! A [`PaginationToken`] prints (and parses) exactly as boto3's `NextToken` /
//! `StartingToken`: base64 of the JSON object of the input tokens, in the model's
//! order, plus `boto_truncate_amount` when it has one, as Python's `json.dumps` writes
//! it. For example `ListObjectVersions` stopped after two items of a page it requested
//! with `KeyMarker=a`:
//!
//! ```text
//! {"KeyMarker": "a", "VersionIdMarker": null, "boto_truncate_amount": 2}
//! eyJLZXlNYXJrZXIiOiAiYSIsICJWZXJzaW9uSWRNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==
//! ```
//!
//! Tokens are therefore interchangeable with boto3's. As in botocore, a starting token
//! that is not such a string is read in the old format (`part___part___index`, `None`
//! for an absent part), which also lets a raw service token (a `NextContinuationToken`)
//! be used directly.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::encoding::{base64_decode, base64_encode};
use crate::{BuildError, ResponseError, SdkError};

#[cfg(feature = "serde")]
mod boto3_jmespath;
#[cfg(feature = "serde")]
mod search;
#[cfg(feature = "serde")]
pub use search::SearchStream;

/// One part of a pagination token: a string or an integer, as the model types it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TokenValue {
    /// A string token, such as a `NextContinuationToken` or a `NextKeyMarker`.
    String(String),
    /// An integer token, such as `ListParts`'s `NextPartNumberMarker`.
    Integer(i64),
}

/// The type of an input token member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A string member.
    String,
    /// A 32-bit integer member.
    I32,
    /// A 64-bit integer member.
    I64,
}

/// What the generated code tells the state machine about one paginated operation.
///
/// Used by generated code; plain functions so that nothing here is generic over more
/// than the output type.
pub struct PaginatorSpec<O> {
    /// The operation, such as `ListObjectsV2`, for errors.
    pub operation: &'static str,
    /// The input structure, such as `ListObjectsV2Input`, for errors about the starting
    /// token.
    pub input_shape: &'static str,
    /// The input token members (model names) and their types, in the model's order.
    pub input_tokens: &'static [(&'static str, TokenKind)],
    /// The next token of a page, one part per input token, or `None` when
    /// `more_results` says the listing is complete.
    pub next_tokens: fn(&O) -> Option<Vec<Option<TokenValue>>>,
    /// The number of items of the first result key in a page.
    pub primary_len: fn(&O) -> usize,
    /// Keeps the items `start..end` (clamped) of the first result key.
    pub slice_primary: fn(&mut O, usize, usize),
    /// Empties the other result keys (those that are set).
    pub clear_secondary: fn(&mut O),
}

impl<O> fmt::Debug for PaginatorSpec<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginatorSpec")
            .field("operation", &self.operation)
            .field("input_tokens", &self.input_tokens)
            .finish_non_exhaustive()
    }
}

/// boto3's `PaginationConfig`, except `PageSize`, which the generated paginator sets on
/// the request (the model's `limit_key`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaginationConfig {
    /// Stop after this many items of the first result key (`MaxItems`).
    pub max_items: Option<usize>,
    /// Resume from this token (`StartingToken`): a [`PaginationToken`] as a string, or a
    /// token in botocore's old format.
    pub starting_token: Option<String>,
}

/// A point to resume a listing from: the value of each input token, plus how many items
/// of the first result key of that page were already returned.
///
/// Its string form (`Display`, `FromStr`, `From<PaginationToken> for String`) is boto3's
/// token format, see the [module documentation](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationToken {
    parts: Vec<(String, Option<TokenValue>)>,
    truncate_amount: Option<usize>,
}

impl PaginationToken {
    /// A token from its parts (input token name and value) and truncate amount.
    pub fn new(parts: Vec<(String, Option<TokenValue>)>, truncate_amount: Option<usize>) -> Self {
        PaginationToken { parts, truncate_amount }
    }

    /// The input tokens and their values, in order.
    pub fn parts(&self) -> &[(String, Option<TokenValue>)] {
        &self.parts
    }

    /// The value of one input token, by its model name (`ContinuationToken`).
    pub fn get(&self, name: &str) -> Option<&TokenValue> {
        self.parts.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.as_ref())
    }

    /// How many items of the first result key of the page to skip (`boto_truncate_amount`).
    pub fn truncate_amount(&self) -> Option<usize> {
        self.truncate_amount
    }

    /// The JSON object inside the token, as Python's `json.dumps` writes it.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        for (i, (name, value)) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json::write_string(&mut out, name);
            out.push_str(": ");
            match value {
                None => out.push_str("null"),
                Some(TokenValue::String(s)) => json::write_string(&mut out, s),
                Some(TokenValue::Integer(n)) => out.push_str(&n.to_string()),
            }
        }
        if let Some(amount) = self.truncate_amount {
            if !self.parts.is_empty() {
                out.push_str(", ");
            }
            out.push_str("\"boto_truncate_amount\": ");
            out.push_str(&amount.to_string());
        }
        out.push('}');
        out
    }
}

impl fmt::Display for PaginationToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&base64_encode(self.to_json().as_bytes()))
    }
}

impl From<PaginationToken> for String {
    fn from(token: PaginationToken) -> String {
        token.to_string()
    }
}

impl From<&PaginationToken> for String {
    fn from(token: &PaginationToken) -> String {
        token.to_string()
    }
}

impl FromStr for PaginationToken {
    type Err = PaginationError;

    /// Reads a token in boto3's format (not the old `___` format, which needs to know
    /// the operation's input tokens).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = |message: String| PaginationError::InvalidStartingToken { input_shape: "", message };
        match decode_new_format(text) {
            Some(Ok(fields)) => {
                let mut parts = Vec::new();
                let mut truncate_amount = None;
                for (key, value) in fields {
                    if key == "boto_truncate_amount" {
                        truncate_amount = Some(truncate_amount_of(&value).map_err(invalid)?);
                        continue;
                    }
                    let value = match value {
                        json::Value::Null => None,
                        json::Value::String(s) => Some(TokenValue::String(s)),
                        json::Value::Integer(n) => Some(TokenValue::Integer(n)),
                        other => return Err(invalid(format!("`{key}` has the unsupported value {}", other.describe()))),
                    };
                    parts.push((key, value));
                }
                Ok(PaginationToken { parts, truncate_amount })
            }
            Some(Err(message)) => Err(invalid(message)),
            None => Err(invalid("it is not base64 of a JSON object".into())),
        }
    }
}

/// Why pagination stopped with an error of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// The service returned the same next token twice in a row; asking again would
    /// return the same page forever.
    RepeatedToken {
        /// The operation, such as `ListObjectsV2`.
        operation: &'static str,
        /// The token, as JSON.
        token: String,
    },
    /// The starting token cannot be used with this operation.
    InvalidStartingToken {
        /// The input structure, such as `ListObjectsV2Input`.
        input_shape: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationError::RepeatedToken { token, .. } => {
                write!(f, "the same next token was received twice: {token}; stopping instead of requesting the same page again")
            }
            PaginationError::InvalidStartingToken { message, .. } => write!(f, "bad starting token: {message}"),
        }
    }
}

impl std::error::Error for PaginationError {}

/// A repeated token is a response that cannot be used ([`SdkError::Response`], naming
/// the operation); a bad starting token is refused before anything is sent
/// ([`SdkError::Construction`], naming the input and `starting_token`).
impl<E> From<PaginationError> for SdkError<E> {
    fn from(err: PaginationError) -> Self {
        match &err {
            PaginationError::RepeatedToken { operation, .. } => SdkError::Response(ResponseError::new(operation, &err)),
            PaginationError::InvalidStartingToken { input_shape, .. } => {
                SdkError::Construction(BuildError::invalid_field(input_shape, "starting_token", err.to_string()))
            }
        }
    }
}

// ---- helpers for generated code -------------------------------------------------------

/// A string token part; empty strings are absent (botocore: `if next_token:`).
pub fn string_token(value: Option<&str>) -> Option<TokenValue> {
    value.filter(|v| !v.is_empty()).map(|v| TokenValue::String(v.to_owned()))
}

/// An integer token part; `0` is absent (botocore: `if next_token:`).
pub fn integer_token(value: Option<i64>) -> Option<TokenValue> {
    value.filter(|v| *v != 0).map(TokenValue::Integer)
}

/// A token part for a string member.
pub fn token_string(value: &Option<TokenValue>) -> Option<String> {
    match value {
        Some(TokenValue::String(s)) => Some(s.clone()),
        Some(TokenValue::Integer(n)) => Some(n.to_string()),
        None => None,
    }
}

/// A token part for a 32-bit integer member (checked when the token is read).
pub fn token_i32(value: &Option<TokenValue>) -> Option<i32> {
    token_i64(value).and_then(|n| i32::try_from(n).ok())
}

/// A token part for a 64-bit integer member (checked when the token is read).
pub fn token_i64(value: &Option<TokenValue>) -> Option<i64> {
    match value {
        Some(TokenValue::Integer(n)) => Some(*n),
        Some(TokenValue::String(s)) => s.parse().ok(),
        None => None,
    }
}

/// Keeps the items `start..end` of a result key, clamped to its length.
pub fn slice_items<T>(items: Option<&mut Vec<T>>, start: usize, end: usize) {
    if let Some(items) = items {
        let end = end.min(items.len());
        let start = start.min(end);
        items.truncate(end);
        items.drain(..start);
    }
}

// ---- the state machine ----------------------------------------------------------------

type Tokens = Vec<Option<TokenValue>>;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    /// Nothing sent yet.
    NotStarted,
    /// A request is on its way.
    InFlight,
    /// The next request can be sent, with `next_token`.
    Ready,
    /// The next poll yields this error, then the stream ends.
    Failing(PaginationError),
    /// Complete, stopped at `max_items`, or stopped by an error.
    Done,
}

/// What the stream does next.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// Send a request; `Some` sets the input token members from these values.
    Send(Option<Tokens>),
    Fail(PaginationError),
    End,
}

/// The pagination state machine, without the pages themselves: `PageIterator.__iter__`
/// as a sequence of decisions. Not generic, so it is compiled once.
#[derive(Clone, Debug)]
struct Pager {
    operation: &'static str,
    input_shape: &'static str,
    input_tokens: &'static [(&'static str, TokenKind)],
    max_items: Option<usize>,
    starting_token: Option<String>,
    /// The starting token, read (on the first step).
    starting: Option<(Tokens, Option<usize>)>,
    phase: Phase,
    /// The token of the request being sent, or to be sent next.
    next_token: Tokens,
    previous_next_token: Option<Tokens>,
    total_items: usize,
    first_request: bool,
    starting_truncation: usize,
    /// The token and left truncation of the last page yielded, for item streams.
    page_tokens: Tokens,
    page_offset: usize,
    resume: Option<PaginationToken>,
}

impl Pager {
    fn new<O>(spec: &PaginatorSpec<O>, config: PaginationConfig) -> Self {
        Pager {
            operation: spec.operation,
            input_shape: spec.input_shape,
            input_tokens: spec.input_tokens,
            max_items: config.max_items,
            starting_token: config.starting_token,
            starting: None,
            phase: Phase::NotStarted,
            next_token: vec![None; spec.input_tokens.len()],
            previous_next_token: None,
            total_items: 0,
            first_request: true,
            starting_truncation: 0,
            page_tokens: vec![None; spec.input_tokens.len()],
            page_offset: 0,
            resume: None,
        }
    }

    fn step(&mut self) -> Step {
        match std::mem::replace(&mut self.phase, Phase::InFlight) {
            Phase::NotStarted => match &self.starting_token {
                None => Step::Send(None),
                Some(text) => match parse_starting_token(text, self.input_tokens, self.input_shape) {
                    Ok((tokens, amount)) => {
                        self.next_token = tokens.clone();
                        self.starting = Some((tokens.clone(), amount));
                        Step::Send(Some(tokens))
                    }
                    Err(err) => {
                        self.phase = Phase::Done;
                        Step::Fail(err)
                    }
                },
            },
            Phase::Ready => Step::Send(Some(self.next_token.clone())),
            Phase::InFlight => Step::End, // not reached: the stream polls its future
            Phase::Failing(err) => {
                self.phase = Phase::Done;
                Step::Fail(err)
            }
            Phase::Done => {
                self.phase = Phase::Done;
                Step::End
            }
        }
    }

    /// For a page that has just arrived: the left truncation of the first result key
    /// and whether to empty the other result keys (resuming from a starting token).
    fn first_page_slice(&mut self) -> Option<(usize, bool)> {
        if !self.first_request {
            self.starting_truncation = 0;
            return None;
        }
        self.first_request = false;
        let (_, amount) = self.starting.as_ref()?;
        self.starting_truncation = amount.unwrap_or(0);
        Some((self.starting_truncation, amount.is_some()))
    }

    /// After a page (already left-truncated): returns how many items of the first
    /// result key to keep, when `max_items` cuts the page.
    fn on_page(&mut self, primary_len: usize, next: Option<Tokens>) -> Option<usize> {
        self.page_tokens = self.next_token.clone();
        self.page_offset = self.starting_truncation;
        if let Some(max) = self.max_items {
            if self.total_items + primary_len > max {
                let keep = max.saturating_sub(self.total_items);
                self.resume = Some(self.token(self.next_token.clone(), Some(keep + self.starting_truncation)));
                self.phase = Phase::Done;
                return Some(keep);
            }
        }
        self.total_items += primary_len;
        let next = match next {
            Some(next) if next.iter().any(Option::is_some) => next,
            _ => {
                self.phase = Phase::Done;
                return None;
            }
        };
        if self.max_items == Some(self.total_items) {
            self.resume = Some(self.token(next, None));
            self.phase = Phase::Done;
            return None;
        }
        if self.previous_next_token.as_ref() == Some(&next) {
            let token = self.token(next, None).to_json();
            self.phase = Phase::Failing(PaginationError::RepeatedToken { operation: self.operation, token });
            return None;
        }
        self.previous_next_token = Some(next.clone());
        self.next_token = next;
        self.phase = Phase::Ready;
        None
    }

    /// The request failed: the stream ends, resumable from that request.
    fn on_error(&mut self) {
        self.resume = self.current_request_token();
        self.phase = Phase::Done;
    }

    /// The token of the request being sent (or about to be sent).
    fn current_request_token(&self) -> Option<PaginationToken> {
        if self.first_request {
            let (tokens, amount) = self.starting.clone()?;
            Some(self.token(tokens, amount))
        } else {
            Some(self.token(self.next_token.clone(), None))
        }
    }

    fn resume_token(&self) -> Option<PaginationToken> {
        if let Some(resume) = &self.resume {
            return Some(resume.clone());
        }
        match &self.phase {
            Phase::NotStarted => {
                let text = self.starting_token.as_deref()?;
                let (tokens, amount) = parse_starting_token(text, self.input_tokens, self.input_shape).ok()?;
                Some(self.token(tokens, amount))
            }
            Phase::InFlight | Phase::Ready => self.current_request_token(),
            Phase::Failing(_) | Phase::Done => None,
        }
    }

    /// A token that resumes inside the last page yielded, after `consumed` items of its
    /// first result key.
    fn item_token(&self, consumed: usize) -> PaginationToken {
        self.token(self.page_tokens.clone(), Some(self.page_offset + consumed))
    }

    /// A token that starts the last page yielded again.
    fn page_token(&self) -> PaginationToken {
        self.token(self.page_tokens.clone(), (self.page_offset > 0).then_some(self.page_offset))
    }

    fn token(&self, tokens: Tokens, truncate_amount: Option<usize>) -> PaginationToken {
        let parts = self.input_tokens.iter().zip(tokens).map(|((name, _), v)| ((*name).to_owned(), v)).collect();
        PaginationToken { parts, truncate_amount }
    }
}

/// Reads a starting token as botocore's `_parse_starting_token` does: boto3's format,
/// or else the old `a___b___index` format.
fn parse_starting_token(
    text: &str,
    input_tokens: &[(&'static str, TokenKind)],
    input_shape: &'static str,
) -> Result<(Tokens, Option<usize>), PaginationError> {
    let invalid = |message: String| PaginationError::InvalidStartingToken { input_shape, message };
    let mut tokens: Tokens = vec![None; input_tokens.len()];
    match decode_new_format(text) {
        Some(Ok(fields)) => {
            let mut amount = None;
            for (key, value) in fields {
                if key == "boto_truncate_amount" {
                    amount = Some(truncate_amount_of(&value).map_err(invalid)?);
                    continue;
                }
                let Some(i) = input_tokens.iter().position(|(name, _)| *name == key) else {
                    let names: Vec<&str> = input_tokens.iter().map(|(n, _)| *n).collect();
                    return Err(invalid(format!("`{key}` is not an input token (expected {})", names.join(", "))));
                };
                tokens[i] = token_value(&key, input_tokens[i].1, value).map_err(invalid)?;
            }
            Ok((tokens, amount))
        }
        Some(Err(message)) => Err(invalid(message)),
        None => {
            // `_parse_starting_token_deprecated`
            let mut parts: Vec<&str> = text.split("___").collect();
            let mut index = 0;
            if parts.len() == input_tokens.len() + 1 {
                let last = parts.pop().unwrap_or_default();
                match python_int(last) {
                    Some(n) if n >= 0 => index = n as usize,
                    Some(_) => return Err(invalid("a negative index is not supported".into())),
                    None => parts = vec![text],
                }
            }
            if parts.len() > input_tokens.len() {
                return Err(invalid(format!("{text:?} has more parts than the {} input token(s)", input_tokens.len())));
            }
            for (i, part) in parts.into_iter().enumerate() {
                if part != "None" {
                    let (name, kind) = input_tokens[i];
                    tokens[i] = token_value(name, kind, json::Value::String(part.to_owned())).map_err(invalid)?;
                }
            }
            Ok((tokens, Some(index).filter(|_| index > 0)))
        }
    }
}

/// `None` if the text is not boto3's format (botocore then tries the old format);
/// otherwise the fields of the JSON object, or why they cannot be used.
fn decode_new_format(text: &str) -> Option<Result<Vec<(String, json::Value)>, String>> {
    let bytes = base64_decode(text).ok()?;
    let json_text = String::from_utf8(bytes).ok()?;
    match json::parse(&json_text).ok()? {
        json::Value::Object(fields) => {
            if fields.iter().any(|(k, _)| k == "boto_encoded_keys") {
                return Some(Err("tokens with binary values (`boto_encoded_keys`) are not supported".into()));
            }
            // Later duplicates win, as in a Python dict.
            let mut unique: Vec<(String, json::Value)> = Vec::new();
            for (k, v) in fields {
                match unique.iter_mut().find(|(key, _)| *key == k) {
                    Some(slot) => slot.1 = v,
                    None => unique.push((k, v)),
                }
            }
            Some(Ok(unique))
        }
        _ => None,
    }
}

fn truncate_amount_of(value: &json::Value) -> Result<usize, String> {
    match value {
        json::Value::Integer(n) if *n >= 0 => Ok(*n as usize),
        other => Err(format!("`boto_truncate_amount` must be a non-negative integer, not {}", other.describe())),
    }
}

fn token_value(name: &str, kind: TokenKind, value: json::Value) -> Result<Option<TokenValue>, String> {
    let wrong = |v: &json::Value| format!("`{name}` cannot be {} (expected {})", v.describe(), kind_name(kind));
    Ok(match (kind, value) {
        (_, json::Value::Null) => None,
        (TokenKind::String, json::Value::String(s)) => Some(TokenValue::String(s)),
        (TokenKind::I32 | TokenKind::I64, json::Value::String(s)) => match python_int(&s) {
            Some(n) => Some(checked_integer(name, kind, n)?),
            None => return Err(wrong(&json::Value::String(s))),
        },
        (TokenKind::I32 | TokenKind::I64, json::Value::Integer(n)) => Some(checked_integer(name, kind, n)?),
        (_, other) => return Err(wrong(&other)),
    })
}

fn checked_integer(name: &str, kind: TokenKind, n: i64) -> Result<TokenValue, String> {
    if kind == TokenKind::I32 && i32::try_from(n).is_err() {
        return Err(format!("`{name}` is out of range: {n}"));
    }
    Ok(TokenValue::Integer(n))
}

fn kind_name(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::String => "a string",
        TokenKind::I32 | TokenKind::I64 => "an integer",
    }
}

/// Python's `int(text)` for plain decimal text: surrounding whitespace, a sign, digits
/// with single underscores between them.
fn python_int(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    let n: i64 = digits.replace('_', "").parse().ok()?;
    Some(if negative { -n } else { n })
}

// ---- the streams ----------------------------------------------------------------------

/// A page request in flight.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, SdkError<E>>> + Send>>;

/// Sends one page's request: `None` sends the request as the caller built it (the
/// first page without a starting token); `Some(tokens)` first sets each input token
/// member to its part, an absent part clearing it.
pub type SendPage<O, E> = Box<dyn FnMut(Option<&[Option<TokenValue>]>) -> PageFuture<O, E> + Send>;

/// The pages of a paginated operation, requested one at a time as the stream is
/// polled. See the [module documentation](self) for the rules.
///
/// Use [`next`](Self::next) (`while let Some(page) = pages.next().await`), or any
/// [`Stream`] combinator.
pub struct PaginationStream<O: 'static, E> {
    spec: &'static PaginatorSpec<O>,
    pager: Pager,
    send: SendPage<O, E>,
    in_flight: Option<PageFuture<O, E>>,
    _types: PhantomData<fn() -> (O, E)>,
}

// Nothing is pinned structurally: the request future is boxed.
impl<O: 'static, E> Unpin for PaginationStream<O, E> {}

impl<O: 'static, E> fmt::Debug for PaginationStream<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginationStream")
            .field("operation", &self.spec.operation)
            .field("phase", &self.pager.phase)
            .field("total_items", &self.pager.total_items)
            .finish_non_exhaustive()
    }
}

impl<O: 'static, E> PaginationStream<O, E> {
    /// A stream that sends each request with `send`, as `spec` describes the operation.
    ///
    /// `send` gets `None` for the first request when there is no starting token (send
    /// the request as the caller built it), otherwise the value of each input token, in
    /// the order of `spec.input_tokens`, to set (an absent value clears the member).
    pub fn new<F, Fut>(spec: &'static PaginatorSpec<O>, config: PaginationConfig, mut send: F) -> Self
    where
        F: FnMut(Option<&[Option<TokenValue>]>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<O, SdkError<E>>> + Send + 'static,
    {
        let send: SendPage<O, E> = Box::new(move |tokens| Box::pin(send(tokens)));
        PaginationStream { spec, pager: Pager::new(spec, config), send, in_flight: None, _types: PhantomData }
    }

    /// The next page: `None` once the listing is complete, `max_items` is reached, or
    /// after an error.
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O>, SdkError<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// Where to pick up again with `starting_token`:
    ///
    /// - after the stream stopped at `max_items`, botocore's resume token (boto3's
    ///   `NextToken`), with a truncate amount if the last page was cut;
    /// - while pages remain, the token of the next page;
    /// - after an error from the service, the token of the request that failed.
    ///
    /// `None` when the listing is complete, after a repeated token, and before the first
    /// page when no starting token was given (start again without one).
    pub fn resume_token(&self) -> Option<PaginationToken> {
        self.pager.resume_token()
    }
}

impl<O: 'static, E> Stream for PaginationStream<O, E> {
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            match this.pager.step() {
                Step::Send(tokens) => this.in_flight = Some((this.send)(tokens.as_deref())),
                Step::Fail(err) => return Poll::Ready(Some(Err(err.into()))),
                Step::End => return Poll::Ready(None),
            }
        }
        let future = this.in_flight.as_mut().expect("a request is in flight");
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.in_flight = None;
        let mut page = match result {
            Ok(page) => page,
            Err(err) => {
                this.pager.on_error();
                return Poll::Ready(Some(Err(err)));
            }
        };
        let spec = this.spec;
        if let Some((start, clear_secondary)) = this.pager.first_page_slice() {
            (spec.slice_primary)(&mut page, start, usize::MAX);
            if clear_secondary {
                (spec.clear_secondary)(&mut page);
            }
        }
        let len = (spec.primary_len)(&page);
        let next = (spec.next_tokens)(&page);
        if let Some(keep) = this.pager.on_page(len, next) {
            (spec.slice_primary)(&mut page, 0, keep);
        }
        Poll::Ready(Some(Ok(page)))
    }
}

/// The items of one result key across pages (`Contents`, `CommonPrefixes`, …).
///
/// `max_items` counts the items of the operation's *first* result key, as in botocore:
/// an item stream of another key gets every item of the pages up to that point.
pub struct ItemStream<O: 'static, T, E> {
    pages: PaginationStream<O, E>,
    take: fn(O) -> Vec<T>,
    primary: bool,
    current: std::vec::IntoIter<T>,
    consumed: usize,
}

// Nothing is pinned structurally.
impl<O: 'static, T, E> Unpin for ItemStream<O, T, E> {}

impl<O: 'static, T, E> fmt::Debug for ItemStream<O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("primary", &self.primary)
            .field("buffered", &self.current.len())
            .finish_non_exhaustive()
    }
}

impl<O: 'static, T, E> ItemStream<O, T, E> {
    /// The items `take` gets out of each page; `primary` is true for the first result
    /// key.
    pub fn new(pages: PaginationStream<O, E>, primary: bool, take: fn(O) -> Vec<T>) -> Self {
        ItemStream { pages, take, primary, current: Vec::new().into_iter(), consumed: 0 }
    }

    /// The next item: `None` at the end, or after an error.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// Where to pick up again with `starting_token`. Between pages, as
    /// [`PaginationStream::resume_token`]. In the middle of a page, for the first
    /// result key, a token that skips the items already returned; for another result
    /// key, the token of that page (its items come again).
    pub fn resume_token(&self) -> Option<PaginationToken> {
        if self.current.len() == 0 {
            return self.pages.resume_token();
        }
        Some(if self.primary { self.pages.pager.item_token(self.consumed) } else { self.pages.pager.page_token() })
    }
}

impl<O: 'static, T, E> Stream for ItemStream<O, T, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                this.consumed += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => {
                    this.current = (this.take)(page).into_iter();
                    this.consumed = 0;
                }
            }
        }
    }
}

// ---- JSON, as much as tokens need ------------------------------------------------------

mod json {
    /// A JSON value; numbers other than integers are kept only to be described.
    #[derive(Clone, Debug, PartialEq)]
    pub(super) enum Value {
        Null,
        Bool(bool),
        Integer(i64),
        Float,
        String(String),
        Array,
        Object(Vec<(String, Value)>),
    }

    impl Value {
        pub(super) fn describe(&self) -> String {
            match self {
                Value::Null => "null".into(),
                Value::Bool(b) => format!("the boolean {b}"),
                Value::Integer(n) => format!("the integer {n}"),
                Value::Float => "a non-integer number".into(),
                Value::String(s) => format!("the string {s:?}"),
                Value::Array => "an array".into(),
                Value::Object(_) => "an object".into(),
            }
        }
    }

    /// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`).
    pub(super) fn write_string(out: &mut String, s: &str) {
        crate::encoding::python_json_string(out, s)
    }

    pub(super) fn parse(text: &str) -> Result<Value, ()> {
        let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
        let value = p.value(0)?;
        p.ws();
        if p.pos == p.bytes.len() {
            Ok(value)
        } else {
            Err(())
        }
    }

    struct Parser<'a> {
        bytes: &'a [u8],
        pos: usize,
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
        }

        fn eat(&mut self, byte: u8) -> bool {
            self.ws();
            if self.bytes.get(self.pos) == Some(&byte) {
                self.pos += 1;
                true
            } else {
                false
            }
        }

        fn literal(&mut self, word: &str, value: Value) -> Result<Value, ()> {
            if self.bytes[self.pos..].starts_with(word.as_bytes()) {
                self.pos += word.len();
                Ok(value)
            } else {
                Err(())
            }
        }

        fn value(&mut self, depth: usize) -> Result<Value, ()> {
            if depth > 64 {
                return Err(());
            }
            self.ws();
            match self.bytes.get(self.pos).ok_or(())? {
                b'n' => self.literal("null", Value::Null),
                b't' => self.literal("true", Value::Bool(true)),
                b'f' => self.literal("false", Value::Bool(false)),
                b'"' => self.string().map(Value::String),
                b'[' => {
                    self.pos += 1;
                    if !self.eat(b']') {
                        loop {
                            self.value(depth + 1)?;
                            if self.eat(b']') {
                                break;
                            }
                            if !self.eat(b',') {
                                return Err(());
                            }
                        }
                    }
                    Ok(Value::Array)
                }
                b'{' => {
                    self.pos += 1;
                    let mut fields = Vec::new();
                    if !self.eat(b'}') {
                        loop {
                            self.ws();
                            if self.bytes.get(self.pos) != Some(&b'"') {
                                return Err(());
                            }
                            let key = self.string()?;
                            if !self.eat(b':') {
                                return Err(());
                            }
                            fields.push((key, self.value(depth + 1)?));
                            if self.eat(b'}') {
                                break;
                            }
                            if !self.eat(b',') {
                                return Err(());
                            }
                        }
                    }
                    Ok(Value::Object(fields))
                }
                b'-' | b'0'..=b'9' => self.number(),
                _ => Err(()),
            }
        }

        fn number(&mut self) -> Result<Value, ()> {
            let start = self.pos;
            if self.bytes.get(self.pos) == Some(&b'-') {
                self.pos += 1;
            }
            let digits = self.pos;
            while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            if self.pos == digits || (self.bytes[digits] == b'0' && self.pos - digits > 1) {
                return Err(());
            }
            let mut float = false;
            if self.bytes.get(self.pos) == Some(&b'.') {
                float = true;
                self.pos += 1;
                let frac = self.pos;
                while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
                if self.pos == frac {
                    return Err(());
                }
            }
            if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
                float = true;
                self.pos += 1;
                if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                let exp = self.pos;
                while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
                if self.pos == exp {
                    return Err(());
                }
            }
            if float {
                return Ok(Value::Float);
            }
            let text = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|_| ())?;
            // Integers beyond i64 are valid JSON but no token of ours.
            Ok(text.parse().map(Value::Integer).unwrap_or(Value::Float))
        }

        fn hex4(&mut self) -> Result<u32, ()> {
            let hex = self.bytes.get(self.pos..self.pos + 4).ok_or(())?;
            let hex = std::str::from_utf8(hex).map_err(|_| ())?;
            let n = u32::from_str_radix(hex, 16).map_err(|_| ())?;
            self.pos += 4;
            Ok(n)
        }

        fn string(&mut self) -> Result<String, ()> {
            self.pos += 1; // the opening quote
            let mut out = String::new();
            loop {
                let start = self.pos;
                while !matches!(self.bytes.get(self.pos), Some(b'"' | b'\\') | None) {
                    if self.bytes[self.pos] < 0x20 {
                        return Err(());
                    }
                    self.pos += 1;
                }
                out.push_str(std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|_| ())?);
                match self.bytes.get(self.pos) {
                    Some(b'"') => {
                        self.pos += 1;
                        return Ok(out);
                    }
                    Some(b'\\') => {
                        self.pos += 1;
                        let escape = *self.bytes.get(self.pos).ok_or(())?;
                        self.pos += 1;
                        match escape {
                            b'"' => out.push('"'),
                            b'\\' => out.push('\\'),
                            b'/' => out.push('/'),
                            b'b' => out.push('\u{8}'),
                            b'f' => out.push('\u{c}'),
                            b'n' => out.push('\n'),
                            b'r' => out.push('\r'),
                            b't' => out.push('\t'),
                            b'u' => {
                                let first = self.hex4()?;
                                let c = if (0xD800..0xDC00).contains(&first)
                                    && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
                                {
                                    let save = self.pos;
                                    self.pos += 2;
                                    let second = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&second) {
                                        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                                    } else {
                                        self.pos = save;
                                        None
                                    }
                                } else {
                                    char::from_u32(first)
                                };
                                // Python keeps lone surrogates; Rust strings cannot.
                                out.push(c.ok_or(())?);
                            }
                            _ => return Err(()),
                        }
                    }
                    _ => return Err(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    /// A fake page: the items of two result keys and the next token parts.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Page {
        items: Option<Vec<u32>>,
        prefixes: Option<Vec<String>>,
        truncated: bool,
        next_a: Option<String>,
        next_b: Option<String>,
    }

    const ONE: PaginatorSpec<Page> = PaginatorSpec {
        operation: "ListThings",
        input_shape: "ListThingsInput",
        input_tokens: &[("Marker", TokenKind::String)],
        next_tokens: |p| p.truncated.then(|| vec![string_token(p.next_a.as_deref())]),
        primary_len: |p| p.items.as_ref().map_or(0, Vec::len),
        slice_primary: |p, start, end| slice_items(p.items.as_mut(), start, end),
        clear_secondary: |p| slice_items(p.prefixes.as_mut(), 0, 0),
    };

    const TWO: PaginatorSpec<Page> = PaginatorSpec {
        operation: "ListVersions",
        input_shape: "ListVersionsInput",
        input_tokens: &[("KeyMarker", TokenKind::String), ("VersionIdMarker", TokenKind::String)],
        next_tokens: |p| p.truncated.then(|| vec![string_token(p.next_a.as_deref()), string_token(p.next_b.as_deref())]),
        ..ONE
    };

    const NUMBERED: PaginatorSpec<Page> = PaginatorSpec {
        operation: "ListParts",
        input_shape: "ListPartsInput",
        input_tokens: &[("PartNumberMarker", TokenKind::I32)],
        next_tokens: |p| {
            p.truncated.then(|| vec![integer_token(p.next_a.as_deref().map(|s| s.parse().unwrap()))])
        },
        ..ONE
    };

    /// A fake service: pages by the token it is asked with, and a log of the requests.
    #[derive(Clone, Default)]
    struct Fake {
        pages: Arc<Mutex<Vec<(Request, Page)>>>,
        script: Arc<Mutex<VecDeque<Result<Page, &'static str>>>>,
    }

    type Error = &'static str;
    /// The token parts a request was sent with (`None`: as built).
    type Request = Option<Vec<Option<TokenValue>>>;

    impl Fake {
        fn new(script: Vec<Result<Page, &'static str>>) -> Self {
            Fake { pages: Default::default(), script: Arc::new(Mutex::new(script.into())) }
        }
        fn sender(&self) -> SendPage<Page, Error> {
            let fake = self.clone();
            Box::new(move |tokens| {
                let answer = fake.script.lock().unwrap().pop_front().expect("no more pages scripted");
                let tokens = tokens.map(<[_]>::to_vec);
                let fake = fake.clone();
                Box::pin(async move {
                    tokio::task::yield_now().await;
                    let page = answer.map_err(SdkError::Service)?;
                    fake.pages.lock().unwrap().push((tokens, page.clone()));
                    Ok(page)
                })
            })
        }
        fn requests(&self) -> Vec<Request> {
            self.pages.lock().unwrap().iter().map(|(t, _)| t.clone()).collect()
        }
    }

    fn page(items: &[u32], next: Option<&str>) -> Page {
        Page {
            items: Some(items.to_vec()),
            prefixes: Some(vec![format!("p{}", items.first().unwrap_or(&0))]),
            truncated: next.is_some(),
            next_a: next.map(str::to_owned),
            next_b: None,
        }
    }

    fn s(v: &str) -> Option<TokenValue> {
        Some(TokenValue::String(v.into()))
    }

    fn stream(spec: &'static PaginatorSpec<Page>, fake: &Fake, config: PaginationConfig) -> PaginationStream<Page, Error> {
        PaginationStream::new(spec, config, fake.sender())
    }

    async fn items(stream: &mut PaginationStream<Page, Error>) -> Vec<u32> {
        let mut out = Vec::new();
        while let Some(page) = stream.next().await {
            out.extend(page.unwrap().items.unwrap_or_default());
        }
        out
    }

    #[tokio::test]
    async fn follows_tokens_until_the_last_page() {
        let fake = Fake::new(vec![Ok(page(&[1, 2], Some("t1"))), Ok(page(&[3], Some("t2"))), Ok(page(&[4], None))]);
        let mut pages = stream(&ONE, &fake, PaginationConfig::default());
        assert_eq!(items(&mut pages).await, [1, 2, 3, 4]);
        assert_eq!(fake.requests(), [None, Some(vec![s("t1")]), Some(vec![s("t2")])]);
        assert_eq!(pages.resume_token(), None);
        assert!(pages.next().await.is_none());
    }

    #[tokio::test]
    async fn more_results_false_stops_even_with_a_token() {
        let mut last = page(&[1], Some("t1"));
        last.truncated = false;
        let fake = Fake::new(vec![Ok(last)]);
        assert_eq!(items(&mut stream(&ONE, &fake, PaginationConfig::default())).await, [1]);
    }

    #[tokio::test]
    async fn an_empty_token_is_absent() {
        let fake = Fake::new(vec![Ok(page(&[1], Some("")))]);
        assert_eq!(items(&mut stream(&ONE, &fake, PaginationConfig::default())).await, [1]);
    }

    #[tokio::test]
    async fn a_repeated_token_is_an_error_after_its_page() {
        let fake = Fake::new(vec![Ok(page(&[1], Some("t"))), Ok(page(&[2], Some("t")))]);
        let mut pages = stream(&ONE, &fake, PaginationConfig::default());
        assert_eq!(pages.next().await.unwrap().unwrap().items, Some(vec![1]));
        assert_eq!(pages.next().await.unwrap().unwrap().items, Some(vec![2]));
        let err = pages.next().await.unwrap().unwrap_err();
        let SdkError::Response(err) = err else { panic!("{err:?}") };
        assert_eq!(err.operation(), "ListThings");
        assert!(err.message().contains(r#"the same next token was received twice: {"Marker": "t"}"#), "{err}");
        assert!(pages.next().await.is_none());
        assert_eq!(fake.requests().len(), 2, "no third request");
        assert_eq!(pages.resume_token(), None);
    }

    #[tokio::test]
    async fn a_token_that_comes_back_later_is_not_an_error() {
        // botocore compares with the previous token only.
        let fake = Fake::new(vec![Ok(page(&[1], Some("a"))), Ok(page(&[2], Some("b"))), Ok(page(&[3], Some("a"))), Ok(page(&[4], None))]);
        assert_eq!(items(&mut stream(&ONE, &fake, PaginationConfig::default())).await, [1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn max_items_across_pages_and_resume() {
        let all = || vec![Ok(page(&[1, 2], Some("t1"))), Ok(page(&[3, 4, 5], Some("t2"))), Ok(page(&[6], None))];
        let fake = Fake::new(all());
        let mut pages = stream(&ONE, &fake, PaginationConfig { max_items: Some(3), starting_token: None });
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(first.items, Some(vec![1, 2]));
        let second = pages.next().await.unwrap().unwrap();
        assert_eq!(second.items, Some(vec![3]), "truncated to max_items");
        assert_eq!(second.prefixes, Some(vec!["p3".into()]), "secondary keys are kept");
        assert!(pages.next().await.is_none());
        let token = pages.resume_token().unwrap();
        assert_eq!(token.to_json(), r#"{"Marker": "t1", "boto_truncate_amount": 1}"#);
        assert_eq!(fake.requests().len(), 2);

        // Resume: the same page again, skipping the item already returned.
        let fake = Fake::new(all()[1..].to_vec());
        let mut pages = stream(&ONE, &fake, PaginationConfig { max_items: Some(2), starting_token: Some(token.to_string()) });
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(first.items, Some(vec![4, 5]));
        assert_eq!(first.prefixes, Some(vec![]), "returned with the truncated page already");
        assert!(pages.next().await.is_none());
        assert_eq!(fake.requests(), [Some(vec![s("t1")])]);
        // Exactly at a page boundary: the next page's token, no truncate amount.
        let token = pages.resume_token().unwrap();
        assert_eq!(token.to_json(), r#"{"Marker": "t2"}"#);

        let fake = Fake::new(all()[2..].to_vec());
        let mut pages = stream(&ONE, &fake, PaginationConfig { max_items: None, starting_token: Some(token.to_string()) });
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(first.items, Some(vec![6]));
        assert_eq!(first.prefixes, Some(vec!["p6".into()]), "a page-boundary token keeps secondary keys");
        assert!(pages.next().await.is_none());
    }

    #[tokio::test]
    async fn max_items_on_the_first_page_gives_a_null_token() {
        let fake = Fake::new(vec![Ok(page(&[1, 2, 3], Some("t1")))]);
        let mut pages = stream(&ONE, &fake, PaginationConfig { max_items: Some(2), starting_token: None });
        assert_eq!(items(&mut pages).await, [1, 2]);
        let token = pages.resume_token().unwrap();
        assert_eq!(token.to_json(), r#"{"Marker": null, "boto_truncate_amount": 2}"#);
        // As boto3 encodes it.
        assert_eq!(token.to_string(), "eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==");

        let fake = Fake::new(vec![Ok(page(&[1, 2, 3], Some("t1"))), Ok(page(&[4], None))]);
        let mut pages = stream(&ONE, &fake, PaginationConfig { max_items: None, starting_token: Some(token.into()) });
        assert_eq!(items(&mut pages).await, [3, 4]);
        assert_eq!(fake.requests(), [Some(vec![None]), Some(vec![s("t1")])]);
    }

    #[tokio::test]
    async fn max_items_zero() {
        let fake = Fake::new(vec![Ok(page(&[1, 2], Some("t1")))]);
        let mut pages = stream(&ONE, &fake, PaginationConfig { max_items: Some(0), starting_token: None });
        assert_eq!(items(&mut pages).await, Vec::<u32>::new());
        assert_eq!(pages.resume_token().unwrap().to_json(), r#"{"Marker": null, "boto_truncate_amount": 0}"#);
    }

    #[tokio::test]
    async fn multi_part_tokens() {
        let mut p1 = page(&[1], Some("k1"));
        p1.next_b = Some("v1".into());
        let mut p2 = page(&[2, 3], Some("k2"));
        p2.next_b = None; // only one part
        let p3 = page(&[4], None);
        let fake = Fake::new(vec![Ok(p1), Ok(p2), Ok(p3)]);
        let mut pages = stream(&TWO, &fake, PaginationConfig { max_items: Some(2), starting_token: None });
        assert_eq!(items(&mut pages).await, [1, 2]);
        assert_eq!(fake.requests(), [None, Some(vec![s("k1"), s("v1")])]);
        let token = pages.resume_token().unwrap();
        assert_eq!(token.to_json(), r#"{"KeyMarker": "k1", "VersionIdMarker": "v1", "boto_truncate_amount": 1}"#);
        assert_eq!(token.get("VersionIdMarker"), s("v1").as_ref());

        let mut p2 = page(&[2, 3], Some("k2"));
        p2.next_b = None;
        let fake = Fake::new(vec![Ok(p2), Ok(page(&[4], None))]);
        let mut pages = stream(&TWO, &fake, PaginationConfig { max_items: None, starting_token: Some(token.to_string()) });
        assert_eq!(items(&mut pages).await, [3, 4]);
        // An absent part clears its member.
        assert_eq!(fake.requests(), [Some(vec![s("k1"), s("v1")]), Some(vec![s("k2"), None])]);
    }

    #[tokio::test]
    async fn integer_tokens() {
        let fake = Fake::new(vec![Ok(page(&[1], Some("5"))), Ok(page(&[2], Some("0")))]);
        let mut pages = stream(&NUMBERED, &fake, PaginationConfig { max_items: Some(1), starting_token: None });
        assert_eq!(items(&mut pages).await, [1]);
        let token = pages.resume_token().unwrap();
        assert_eq!(token.to_json(), r#"{"PartNumberMarker": 5}"#);
        let fake = Fake::new(vec![Ok(page(&[2], Some("0")))]);
        let mut pages = stream(&NUMBERED, &fake, PaginationConfig { max_items: None, starting_token: Some(token.to_string()) });
        assert_eq!(items(&mut pages).await, [2], "0 is no token");
        assert_eq!(fake.requests(), [Some(vec![Some(TokenValue::Integer(5))])]);
        assert_eq!(token_i32(&Some(TokenValue::Integer(5))), Some(5));
    }

    #[tokio::test]
    async fn item_streams_and_mid_page_resume() {
        let script = || vec![Ok(page(&[1, 2, 3], Some("t1"))), Ok(page(&[4, 5], None))];
        let fake = Fake::new(script());
        let mut items = ItemStream::new(stream(&ONE, &fake, PaginationConfig::default()), true, |p: Page| p.items.unwrap_or_default());
        assert_eq!(items.resume_token(), None);
        assert_eq!(items.next().await.unwrap().unwrap(), 1);
        assert_eq!(items.next().await.unwrap().unwrap(), 2);
        let token = items.resume_token().unwrap();
        assert_eq!(token.to_json(), r#"{"Marker": null, "boto_truncate_amount": 2}"#);
        assert_eq!(items.next().await.unwrap().unwrap(), 3);
        assert_eq!(items.resume_token().unwrap().to_json(), r#"{"Marker": "t1"}"#, "page done: the next page");
        assert_eq!(items.try_collect().await.unwrap(), [4, 5]);

        let fake = Fake::new(script());
        let resumed = ItemStream::new(
            stream(&ONE, &fake, PaginationConfig { max_items: None, starting_token: Some(token.to_string()) }),
            true,
            |p: Page| p.items.unwrap_or_default(),
        );
        assert_eq!(resumed.try_collect().await.unwrap(), [3, 4, 5]);

        // A secondary key, with max_items counting the primary key.
        let fake = Fake::new(script());
        let prefixes = ItemStream::new(
            stream(&ONE, &fake, PaginationConfig { max_items: Some(4), starting_token: None }),
            false,
            |p: Page| p.prefixes.unwrap_or_default(),
        );
        assert_eq!(prefixes.try_collect().await.unwrap(), ["p1", "p4"]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream_and_can_be_resumed() {
        let fake = Fake::new(vec![Ok(page(&[1], Some("t1"))), Err("SlowDown")]);
        let mut pages = stream(&ONE, &fake, PaginationConfig::default());
        assert!(pages.next().await.unwrap().is_ok());
        assert!(matches!(pages.next().await, Some(Err(SdkError::Service("SlowDown")))));
        assert!(pages.next().await.is_none());
        assert_eq!(pages.resume_token().unwrap().to_json(), r#"{"Marker": "t1"}"#);
    }

    #[tokio::test]
    async fn a_bad_starting_token_is_a_construction_error() {
        let token = PaginationToken::new(vec![("Surprise".into(), s("x"))], None);
        let fake = Fake::new(vec![]);
        let mut pages = stream(&ONE, &fake, PaginationConfig { max_items: None, starting_token: Some(token.to_string()) });
        let err = pages.next().await.unwrap().unwrap_err();
        let SdkError::Construction(err) = err else { panic!("{err:?}") };
        assert_eq!(err.shape(), "ListThingsInput");
        assert_eq!(err.field(), "starting_token");
        assert!(err.to_string().contains("`Surprise` is not an input token (expected Marker)"), "{err}");
        assert!(pages.next().await.is_none());
        assert!(fake.requests().is_empty());
    }

    #[test]
    fn tokens_match_boto3() {
        // python3 -c 'import base64,json; print(base64.b64encode(json.dumps(
        //   {"KeyMarker": "caf\u00e9 \"q\"\n\U0001F600", "VersionIdMarker": None}).encode()).decode())'
        let token = PaginationToken::new(
            vec![("KeyMarker".into(), s("café \"q\"\n😀")), ("VersionIdMarker".into(), None)],
            None,
        );
        assert_eq!(token.to_json(), r#"{"KeyMarker": "caf\u00e9 \"q\"\n\ud83d\ude00", "VersionIdMarker": null}"#);
        assert_eq!(
            token.to_string(),
            "eyJLZXlNYXJrZXIiOiAiY2FmXHUwMGU5IFwicVwiXG5cdWQ4M2RcdWRlMDAiLCAiVmVyc2lvbklkTWFya2VyIjogbnVsbH0="
        );
        let back: PaginationToken = token.to_string().parse().unwrap();
        assert_eq!(back, token);
        let module_doc = PaginationToken::new(vec![("KeyMarker".into(), s("a")), ("VersionIdMarker".into(), None)], Some(2));
        assert_eq!(
            module_doc.to_string(),
            "eyJLZXlNYXJrZXIiOiAiYSIsICJWZXJzaW9uSWRNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="
        );
    }

    #[test]
    fn starting_tokens_as_botocore_reads_them() {
        let one: &[(&str, TokenKind)] = &[("Marker", TokenKind::String)];
        let two: &[(&str, TokenKind)] = &[("KeyMarker", TokenKind::String), ("VersionIdMarker", TokenKind::String)];
        let ints: &[(&str, TokenKind)] = &[("PartNumberMarker", TokenKind::I32)];
        // A raw service token (not base64 JSON) is used as it is.
        let raw = "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=";
        assert_eq!(parse_starting_token(raw, one, "I").unwrap(), (vec![s(raw)], None));
        // The old format: parts, `None`, and a trailing index.
        assert_eq!(parse_starting_token("k___None___3", two, "I").unwrap(), (vec![s("k"), None], Some(3)));
        assert_eq!(parse_starting_token("k", two, "I").unwrap(), (vec![s("k"), None], None));
        assert_eq!(parse_starting_token("a___b", one, "I").unwrap(), (vec![s("a___b")], None));
        assert_eq!(parse_starting_token("a___2", one, "I").unwrap(), (vec![s("a")], Some(2)));
        assert!(parse_starting_token("a___b___c", one, "I").is_err(), "more parts than tokens");
        assert_eq!(parse_starting_token("7", ints, "I").unwrap(), (vec![Some(TokenValue::Integer(7))], None));
        assert!(parse_starting_token("x", ints, "I").is_err());
        assert!(parse_starting_token("99999999999", ints, "I").is_err());
        // JSON with an integer for a string member.
        let token = PaginationToken::new(vec![("Marker".into(), Some(TokenValue::Integer(3)))], None);
        assert!(parse_starting_token(&token.to_string(), one, "I").is_err());
    }

    #[test]
    fn json_strings_round_trip() {
        let text = "tab\t nul\u{0} del\u{7f} é 😀 \\ \" /";
        let mut json = String::new();
        json::write_string(&mut json, text);
        assert_eq!(json, r#""tab\t nul\u0000 del\u007f \u00e9 \ud83d\ude00 \\ \" /""#);
        assert_eq!(json::parse(&json).unwrap(), json::Value::String(text.into()));
        assert_eq!(json::parse(r#" {"a" : [1, {"b": 2.5}], "c": -3 } "#).unwrap(), json::Value::Object(vec![
            ("a".into(), json::Value::Array),
            ("c".into(), json::Value::Integer(-3)),
        ]));
        assert!(json::parse("{\"a\": 01}").is_err());
        assert!(json::parse("{\"a\": 1,}").is_err());
    }

    #[test]
    fn python_ints() {
        assert_eq!(python_int(" 1_000 "), Some(1000));
        assert_eq!(python_int("-3"), Some(-3));
        assert_eq!(python_int("1__0"), None);
        assert_eq!(python_int("x"), None);
        assert_eq!(python_int(""), None);
    }

    #[test]
    fn streams_are_send() {
        fn is_send<T: Send>() {}
        is_send::<PaginationStream<Page, Error>>();
        is_send::<ItemStream<Page, u32, Error>>();
    }
}
