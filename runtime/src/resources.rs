//! What the generated resource layer (boto3's resources, the `resources` feature of the
//! generated crate) shares: the error of an attribute read before the data is loaded,
//! the streams of a collection's pages and items, and the error of a batch action.
//!
//! A collection pages as boto3's `ResourceCollection.pages()` does: the operation's
//! paginator, with `limit` as its `MaxItems` and `page_size` as its `PageSize`; each page
//! becomes the resources it lists, and the stream ends once `limit` resources have been
//! yielded (the last page cut to fit), so no request is sent past the limit.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::paginator::PaginationStream;
use crate::SdkError;

/// An attribute of a resource was read before its data was loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotLoaded {
    resource: &'static str,
    attribute: &'static str,
    loadable: bool,
}

impl NotLoaded {
    /// `attribute` of `resource` has no data yet; `loadable` says whether the resource
    /// has a `load()`.
    pub fn new(resource: &'static str, attribute: &'static str, loadable: bool) -> Self {
        NotLoaded { resource, attribute, loadable }
    }
    /// The resource, such as `Object`.
    pub fn resource(&self) -> &str {
        self.resource
    }
    /// The attribute that was read, such as `content_length`.
    pub fn attribute(&self) -> &str {
        self.attribute
    }
}

impl fmt::Display for NotLoaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.loadable {
            write!(f, "{}.{} is not loaded: call load() first", self.resource, self.attribute)
        } else {
            write!(
                f,
                "{}.{} is not loaded: a {} has no load(); its data comes from the collection that listed it",
                self.resource, self.attribute, self.resource
            )
        }
    }
}

impl std::error::Error for NotLoaded {}

type Handler<O, T> = Box<dyn FnMut(O) -> Vec<T> + Send>;

/// The pages of a collection, each as the resources it lists (boto3's
/// `collection.pages()`). Implements [`Stream`], and has an inherent `next()`.
pub struct ResourcePages<O: 'static, T, E> {
    pages: PaginationStream<O, E>,
    handler: Handler<O, T>,
    limit: Option<usize>,
    count: usize,
    done: bool,
}

impl<O: 'static, T, E> Unpin for ResourcePages<O, T, E> {}

impl<O: 'static, T, E> fmt::Debug for ResourcePages<O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourcePages")
            .field("pages", &self.pages)
            .field("limit", &self.limit)
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}

impl<O: 'static, T, E> ResourcePages<O, T, E> {
    /// The resources `handler` makes of each page of `pages`, `limit` of them at most.
    pub fn new(pages: PaginationStream<O, E>, limit: Option<usize>, handler: impl FnMut(O) -> Vec<T> + Send + 'static) -> Self {
        ResourcePages { pages, handler: Box::new(handler), limit, count: 0, done: limit == Some(0) }
    }

    /// The next page: `None` at the end, or after an error.
    pub async fn next(&mut self) -> Option<Result<Vec<T>, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The resources of every page, one at a time.
    pub fn items(self) -> ResourceItems<O, T, E> {
        ResourceItems { pages: self, current: VecDeque::new() }
    }
}

impl<O: 'static, T, E> Stream for ResourcePages<O, T, E> {
    type Item = Result<Vec<T>, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.pages).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(err))) => {
                this.done = true;
                Poll::Ready(Some(Err(err)))
            }
            Poll::Ready(Some(Ok(page))) => {
                let mut items = (this.handler)(page);
                if let Some(limit) = this.limit {
                    items.truncate(limit - this.count);
                    if this.count + items.len() >= limit {
                        this.done = true;
                    }
                }
                this.count += items.len();
                Poll::Ready(Some(Ok(items)))
            }
        }
    }
}

/// The resources of a collection, one at a time (iterating a boto3 collection).
/// Implements [`Stream`], and has an inherent `next()`.
pub struct ResourceItems<O: 'static, T, E> {
    pages: ResourcePages<O, T, E>,
    current: VecDeque<T>,
}

impl<O: 'static, T, E> Unpin for ResourceItems<O, T, E> {}

impl<O: 'static, T, E> fmt::Debug for ResourceItems<O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceItems").field("pages", &self.pages).field("buffered", &self.current.len()).finish()
    }
}

impl<O: 'static, T, E> ResourceItems<O, T, E> {
    /// The next resource: `None` at the end, or after an error.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining resource, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<O: 'static, T, E> Stream for ResourceItems<O, T, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => this.current.extend(page),
            }
        }
    }
}

/// Why a batch action stopped: listing the collection failed (`L`, its operation's
/// error), or the action's request did (`A`). The responses of the pages done before
/// are lost, as in boto3 where the exception ends the call.
#[derive(Debug)]
pub enum BatchError<L, A> {
    /// Listing a page of the collection failed.
    Collection(SdkError<L>),
    /// The action's request for a page failed.
    Action(SdkError<A>),
}

impl<L: fmt::Display, A: fmt::Display> fmt::Display for BatchError<L, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Collection(err) => write!(f, "listing the collection failed: {err}"),
            BatchError::Action(err) => write!(f, "the batch action failed: {err}"),
        }
    }
}

impl<L, A> std::error::Error for BatchError<L, A>
where
    L: std::error::Error + 'static,
    A: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BatchError::Collection(err) => Some(err),
            BatchError::Action(err) => Some(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paginator::{slice_items, string_token, PaginationConfig, PaginatorSpec, TokenKind};
    use std::sync::{Arc, Mutex};

    /// A fake listing: three pages of three items; the next token is the page number.
    #[derive(Clone, Debug, Default)]
    struct Page {
        items: Option<Vec<u32>>,
        next: Option<String>,
    }

    static SPEC: PaginatorSpec<Page> = PaginatorSpec {
        operation: "ListThings",
        input_shape: "ListThingsInput",
        input_tokens: &[("Marker", TokenKind::String)],
        next_tokens: |p| p.next.as_ref().map(|n| vec![string_token(Some(n))]),
        primary_len: |p| p.items.as_ref().map_or(0, Vec::len),
        slice_primary: |p, start, end| slice_items(p.items.as_mut(), start, end),
        clear_secondary: |_| {},
    };

    /// Pages as resources (here, the items doubled), `limit` as `MaxItems`; returns the
    /// pages and how many requests were sent.
    async fn collect(limit: Option<usize>) -> (Vec<Vec<u32>>, usize) {
        let sent = Arc::new(Mutex::new(0));
        let counter = sent.clone();
        let config = PaginationConfig { max_items: limit, starting_token: None };
        let pages = PaginationStream::<Page, ()>::new(&SPEC, config, move |tokens| {
            let n: u32 = tokens.and_then(|t| crate::paginator::token_string(&t[0])).map_or(0, |s| s.parse().unwrap());
            *counter.lock().unwrap() += 1;
            async move {
                Ok(Page { items: Some(vec![n * 3, n * 3 + 1, n * 3 + 2]), next: (n < 2).then(|| (n + 1).to_string()) })
            }
        });
        let mut resources = ResourcePages::new(pages, limit, |page: Page| page.items.unwrap_or_default().iter().map(|i| i * 2).collect());
        let mut out = Vec::new();
        while let Some(page) = resources.next().await {
            out.push(page.unwrap());
        }
        let n = *sent.lock().unwrap();
        (out, n)
    }

    #[tokio::test]
    async fn pages_stop_at_the_limit_without_another_request() {
        assert_eq!(collect(None).await, (vec![vec![0, 2, 4], vec![6, 8, 10], vec![12, 14, 16]], 3));
        // Cut inside the second page: two requests, the second page cut to fit.
        assert_eq!(collect(Some(5)).await, (vec![vec![0, 2, 4], vec![6, 8]], 2));
        // On a page boundary: no third request.
        assert_eq!(collect(Some(6)).await, (vec![vec![0, 2, 4], vec![6, 8, 10]], 2));
        assert_eq!(collect(Some(0)).await, (vec![], 0));
    }

    #[tokio::test]
    async fn items_flatten_the_pages() {
        let config = PaginationConfig::default();
        let pages = PaginationStream::<Page, ()>::new(&SPEC, config, |_| async { Ok(Page { items: Some(vec![1, 2]), next: None }) });
        let items = ResourcePages::new(pages, None, |page: Page| page.items.unwrap_or_default()).items();
        assert_eq!(items.try_collect().await.unwrap(), vec![1, 2]);
    }

    #[test]
    fn not_loaded_names_the_resource_and_attribute() {
        let err = NotLoaded::new("Object", "content_length", true);
        assert_eq!(err.to_string(), "Object.content_length is not loaded: call load() first");
        let err = NotLoaded::new("ObjectVersion", "size", false);
        assert!(err.to_string().contains("ObjectVersion has no load()"), "{err}");
    }
}
