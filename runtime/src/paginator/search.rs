//! [`SearchStream`]: a JMESPath expression over every page (the `serde` feature).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::Serialize;
use serde_json::Value;

use super::PaginationStream;
use crate::{BuildError, SdkError};

/// The results of a JMESPath expression on every page, as boto3's
/// `paginator.paginate(…).search(expression)` yields them (botocore's
/// `PageIterator.search`):
///
/// - each page is searched as it arrives, in its `serde` form: the model's member names
///   and botocore's shapes of values, see [`crate::serialize`];
/// - a result that is a list gives its elements, one item each
///   (``Contents[?Size > `100`].Key`` gives the matching keys of each page);
/// - any other result is one item, `null` included: as in boto3, a page without
///   `Contents` gives one `Value::Null` for that expression, and for `Contents[].Key`
///   (write ``Contents[].Key || `[]` `` to get nothing from such a page instead).
///
/// The expression is compiled when the stream is made. One that does not compile is
/// reported by the first poll, before anything is sent, as an
/// [`SdkError::Construction`] whose field is `search`; one that fails on a page (a
/// function given a value of the wrong type, boto3's `JMESPathTypeError`) ends the
/// stream with the same kind of error. `max_items`, `page_size` and `starting_token`
/// shape the pages as usual, and an error from the service ends the stream after it is
/// yielded.
///
/// The expression language is JMESPath as botocore's `jmespath` package implements it
/// (the specification and its compliance tests), by the `jmespath` crate, with Python's
/// ordering of strings and boto3's timestamps: a timestamp is a `datetime` there, so
/// `to_string(LastModified)` is `"2022-01-05 08:05:37+00:00"` (in quotes, microseconds
/// as `.123000` when not zero), it is neither ordered nor equal to a string, and a result
/// holding one has Python's `str()` of it, `2022-01-05 08:05:37+00:00`. The S3 guide's
/// ``Contents[?to_string(LastModified)>='"2022-01-05 08:05:37+00:00"'].Key`` finds the
/// keys boto3 finds. Objects in
/// the results have their keys in sorted order (boto3 keeps the model's order), which
/// JSON equality ignores.
pub struct SearchStream<O: 'static, E> {
    pages: PaginationStream<O, E>,
    expression: Option<jmespath::Expression<'static>>,
    /// Why the expression cannot be used, reported by the next poll.
    error: Option<String>,
    results: std::vec::IntoIter<Value>,
    done: bool,
}

// Nothing is pinned structurally.
impl<O: 'static, E> Unpin for SearchStream<O, E> {}

impl<O: 'static, E> fmt::Debug for SearchStream<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchStream")
            .field("pages", &self.pages)
            .field("expression", &self.expression.as_ref().map(|e| e.as_str()))
            .field("buffered", &self.results.len())
            .finish_non_exhaustive()
    }
}

impl<O: Serialize + 'static, E> SearchStream<O, E> {
    /// The results of `expression` on each of `pages`.
    pub fn new(pages: PaginationStream<O, E>, expression: &str) -> Self {
        let (expression, error) = match super::boto3_jmespath::compile(expression) {
            Ok(compiled) => (Some(compiled), None),
            Err(err) => (None, Some(format!("`{expression}` is not a JMESPath expression: {}", describe(&err)))),
        };
        SearchStream { pages, expression, error, results: Vec::new().into_iter(), done: false }
    }

    /// The next result: `None` at the end, or after an error.
    pub async fn next(&mut self) -> Option<Result<Value, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining result, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<Value>, SdkError<E>> {
        let mut results = Vec::new();
        while let Some(result) = self.next().await {
            results.push(result?);
        }
        Ok(results)
    }
}

impl<O: Serialize + 'static, E> Stream for SearchStream<O, E> {
    type Item = Result<Value, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(value) = this.results.next() {
                return Poll::Ready(Some(Ok(value)));
            }
            if let Some(message) = this.error.take() {
                this.done = true;
                let err = BuildError::invalid_field(this.pages.spec.input_shape, "search", message);
                return Poll::Ready(Some(Err(SdkError::Construction(err))));
            }
            let (false, Some(expression)) = (this.done, &this.expression) else {
                return Poll::Ready(None);
            };
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => match search_page(expression, &page) {
                    Ok(values) => this.results = values.into_iter(),
                    Err(message) => this.error = Some(message),
                },
            }
        }
    }
}

/// One page's results, as `PageIterator.search` yields them: the elements of a list,
/// anything else (`null` too) as one item.
fn search_page<O: Serialize>(expression: &jmespath::Expression<'_>, page: &O) -> Result<Vec<Value>, String> {
    let failed = |reason: String| format!("`{}` failed on a page: {reason}", expression.as_str());
    let page = crate::serialize::for_search(page, |page| jmespath::Variable::from_serializable(page)).map_err(|err| failed(describe(&err)))?;
    let result = super::boto3_jmespath::search(expression, page).map_err(|err| failed(describe(&err)))?;
    let value = super::boto3_jmespath::unmark(serde_json::to_value(&*result).map_err(|err| failed(err.to_string()))?);
    Ok(match value {
        Value::Array(items) => items,
        other => vec![other],
    })
}

/// A JMESPath error on one line (its `Display` draws a caret under the expression).
fn describe(err: &jmespath::JmespathError) -> String {
    match &err.reason {
        jmespath::ErrorReason::Parse(_) => format!("{} (at column {})", err.reason, err.column),
        jmespath::ErrorReason::Runtime(_) => err.reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    use serde_json::json;

    use super::*;
    use crate::paginator::{string_token, PaginationConfig, PaginatorSpec, TokenKind};

    /// Pages are JSON values here; the generated types serialize to the same shapes.
    static SPEC: PaginatorSpec<Value> = PaginatorSpec {
        operation: "ListObjectsV2",
        input_shape: "ListObjectsV2Input",
        input_tokens: &[("ContinuationToken", TokenKind::String)],
        next_tokens: |page| Some(vec![string_token(page["NextContinuationToken"].as_str())]),
        primary_len: |page| page["Contents"].as_array().map_or(0, Vec::len),
        slice_primary: |page, start, end| {
            if let Some(items) = page.get_mut("Contents").and_then(Value::as_array_mut) {
                let end = end.min(items.len());
                items.truncate(end);
                items.drain(..start.min(end));
            }
        },
        clear_secondary: |_| {},
    };

    type Error = &'static str;

    /// A stream over canned pages, and how many requests it sent.
    fn pages(script: Vec<Result<Value, Error>>, config: PaginationConfig) -> (PaginationStream<Value, Error>, Arc<Mutex<usize>>) {
        let sent = Arc::new(Mutex::new(0));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let counter = sent.clone();
        let stream = PaginationStream::new(&SPEC, config, move |_tokens| {
            *counter.lock().unwrap() += 1;
            let answer = script.lock().unwrap().pop_front().expect("no more pages scripted");
            async move { answer.map_err(SdkError::Service) }
        });
        (stream, sent)
    }

    fn page(contents: &[(&str, u64)], next: Option<&str>) -> Value {
        let mut page = json!({ "IsTruncated": next.is_some(), "KeyCount": contents.len() });
        if !contents.is_empty() {
            page["Contents"] = contents.iter().map(|(key, size)| json!({ "Key": key, "Size": size })).collect();
        }
        if let Some(next) = next {
            page["NextContinuationToken"] = json!(next);
        }
        page
    }

    fn three_pages() -> Vec<Result<Value, Error>> {
        vec![
            Ok(page(&[("a", 1), ("b", 200)], Some("t1"))),
            Ok(page(&[], Some("t2"))),
            Ok(page(&[("c", 300), ("d", 4)], None)),
        ]
    }

    async fn search(expression: &str) -> Result<Vec<Value>, SdkError<Error>> {
        let (pages, _) = pages(three_pages(), PaginationConfig::default());
        SearchStream::new(pages, expression).try_collect().await
    }

    #[tokio::test]
    async fn lists_are_flattened_and_other_results_are_one_item_each() {
        // Each expected list is what botocore 1.44.8's `PageIterator.search` (jmespath
        // 1.1.0) yields for the same three pages.
        // A page without `Contents` gives `null`, as boto3 yields `None`.
        assert_eq!(search("Contents[?Size > `100`].Key").await.unwrap(), [json!("b"), Value::Null, json!("c")]);
        assert_eq!(search("Contents[].Key").await.unwrap(), [json!("a"), json!("b"), Value::Null, json!("c"), json!("d")]);
        assert_eq!(search("Contents[].Key || `[]`").await.unwrap(), [json!("a"), json!("b"), json!("c"), json!("d")]);
        assert_eq!(search("KeyCount").await.unwrap(), [json!(2), json!(0), json!(2)]);
        // One level only: a list of lists gives lists.
        assert_eq!(search("[Contents[].Key]").await.unwrap(), [json!(["a", "b"]), Value::Null, json!(["c", "d"])]);
        assert_eq!(search("Contents[0]").await.unwrap(), [json!({"Key": "a", "Size": 1}), Value::Null, json!({"Key": "c", "Size": 300})]);
    }

    #[tokio::test]
    async fn max_items_applies_to_the_pages() {
        let (pages, sent) = pages(three_pages(), PaginationConfig { max_items: Some(1), starting_token: None });
        let results = SearchStream::new(pages, "Contents[].Key").try_collect().await.unwrap();
        assert_eq!(results, [json!("a")]);
        assert_eq!(*sent.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn a_bad_expression_is_reported_before_anything_is_sent() {
        let (pages, sent) = pages(three_pages(), PaginationConfig::default());
        let mut results = SearchStream::new(pages, "Contents[?Size >");
        let Some(Err(SdkError::Construction(err))) = results.next().await else { panic!("expected an error") };
        assert_eq!((err.shape(), err.field()), ("ListObjectsV2Input", "search"));
        assert!(err.to_string().contains("`Contents[?Size >` is not a JMESPath expression: Parse error"), "{err}");
        assert!(results.next().await.is_none());
        assert_eq!(*sent.lock().unwrap(), 0);
    }

    #[tokio::test]
    async fn an_expression_that_fails_on_a_page_ends_the_stream() {
        let (pages, sent) = pages(three_pages(), PaginationConfig::default());
        let mut results = SearchStream::new(pages, "abs(Contents[0].Key)");
        let Some(Err(SdkError::Construction(err))) = results.next().await else { panic!("expected an error") };
        assert!(err.to_string().contains("`abs(Contents[0].Key)` failed on a page: Runtime error"), "{err}");
        assert!(results.next().await.is_none());
        assert_eq!(*sent.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn service_errors_end_the_stream() {
        let (pages, _) = pages(vec![Ok(page(&[("a", 1)], Some("t1"))), Err("SlowDown")], PaginationConfig::default());
        let mut results = SearchStream::new(pages, "Contents[].Key");
        assert_eq!(results.next().await.unwrap().unwrap(), json!("a"));
        assert!(matches!(results.next().await, Some(Err(SdkError::Service("SlowDown")))));
        assert!(results.next().await.is_none());
    }

    #[test]
    fn streams_are_send() {
        fn is_send<T: Send>() {}
        is_send::<SearchStream<Value, Error>>();
    }
}
