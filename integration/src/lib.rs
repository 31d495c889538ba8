//! Hand-written tests of the generated `s3` crate live in `tests/`; this library only
//! holds what they share.

use s3_runtime::http::{HttpRequest, RequestBody};

/// A client for tests that never sends anything.
pub fn client() -> s3::Client {
    s3::Client::from_conf(s3::Config::builder().region("us-east-1").build())
}

/// The request's path and query as botocore prints its URL (query encoded, in order).
pub fn path_and_query(req: &HttpRequest) -> String {
    let mut out = req.path.clone();
    for (i, (k, v)) in req.query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&s3_runtime::encoding::query_param(k));
        if let Some(v) = v {
            out.push('=');
            out.push_str(&s3_runtime::encoding::query_param(v));
        }
    }
    out
}

/// The body as text (empty for no body).
pub fn body_text(req: &HttpRequest) -> String {
    match &req.body {
        RequestBody::Empty => String::new(),
        RequestBody::Bytes(b) => String::from_utf8(b.clone()).expect("UTF-8 body"),
        RequestBody::Stream(s) => String::from_utf8(s.as_bytes().expect("in-memory body").to_vec()).expect("UTF-8 body"),
    }
}
