//! The canonical request: URL splitting and the host (`urlsplit`, `_host_from_url`), the
//! canonical path, query and headers (`SigV4Auth.canonical_request` and its helpers).

use std::borrow::Cow;

use super::{SigningError, SigningSettings, UNSIGNED_HEADERS};
use crate::encoding::{query_param, uri_label, url_decode};

/// The parts of a URL signing needs, split as Python's `urlsplit` does.
pub(super) struct Url<'a> {
    /// Lowercased, as `urlsplit` returns it.
    pub(super) scheme: String,
    /// `user@host:port`, as written.
    pub(super) netloc: &'a str,
    /// As written; may be empty.
    pub(super) path: &'a str,
    /// After `?`, before `#`; empty when there is none.
    pub(super) query: &'a str,
    /// The `host` header value botocore derives from the URL.
    pub(super) host: String,
}

impl<'a> Url<'a> {
    pub(super) fn parse(url: &'a str) -> Result<Self, SigningError> {
        let invalid = |why: &str| SigningError::InvalidUrl(why.to_owned());
        let (scheme, rest) =
            url.split_once("://").ok_or_else(|| invalid("expected an absolute URL, scheme://host/path"))?;
        let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !scheme_ok {
            return Err(invalid("expected an absolute URL, scheme://host/path"));
        }
        let rest = rest.split_once('#').map_or(rest, |(before, _fragment)| before);
        let netloc_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (netloc, rest) = rest.split_at(netloc_end);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let scheme = scheme.to_ascii_lowercase();
        let host = host_of(&scheme, netloc)?;
        Ok(Url { scheme, netloc, path, query, host })
    }
}

/// The `host` value botocore signs when the request has no `Host` header, and that the
/// HTTP client must send: the URL's host, lowercased, without user info, and with the
/// port only when it is not the scheme's default (80 for `http`, 443 for `https`), as
/// `_host_from_url`. IPv6 addresses keep their brackets.
pub fn host_header(url: &str) -> Result<String, SigningError> {
    Url::parse(url).map(|url| url.host)
}

fn host_of(scheme: &str, netloc: &str) -> Result<String, SigningError> {
    let invalid = |why: String| SigningError::InvalidUrl(why);
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_userinfo, host)| host);
    let (hostname, port, bracketed) = match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (hostname, after) =
                bracketed.split_once(']').ok_or_else(|| invalid("unclosed '[' in the host".into()))?;
            let valid =
                !hostname.is_empty() && hostname.chars().all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.' | '%'));
            if !valid {
                return Err(invalid("invalid IPv6 address in the host".into()));
            }
            (hostname, after.split_once(':').map_or("", |(_, port)| port), true)
        }
        None => {
            let (hostname, port) = hostinfo.split_once(':').unwrap_or((hostinfo, ""));
            (hostname, port, false)
        }
    };
    if hostname.is_empty() {
        return Err(invalid("the URL has no host".into()));
    }
    let hostname = hostname.to_lowercase();
    let mut host = if bracketed { format!("[{hostname}]") } else { hostname };
    if !port.is_empty() {
        let number = port
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| port.parse::<u16>().ok())
            .flatten()
            .ok_or_else(|| invalid(format!("port {port:?} is not a number from 0 to 65535")))?;
        let default = match scheme {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        };
        if default != Some(number) {
            host = format!("{host}:{number}");
        }
    }
    Ok(host)
}

/// A canonical request and its `SignedHeaders` list.
pub(super) struct CanonicalRequest {
    pub(super) text: String,
    pub(super) signed_headers: String,
}

impl CanonicalRequest {
    /// `canonical_request`: method, path, query, headers, signed headers, payload hash.
    pub(super) fn new(
        method: &str,
        url: &Url<'_>,
        query: &str,
        headers: &[(String, String)],
        payload_hash: &str,
        settings: SigningSettings,
    ) -> Self {
        let to_sign = headers_to_sign(headers, &url.host);
        let signed_headers = signed_headers(&to_sign);
        let text = format!(
            "{}\n{}\n{}\n{}\n\n{signed_headers}\n{payload_hash}",
            method.to_uppercase(),
            canonical_path(url.path, settings),
            canonical_query(query, settings.normalize_query),
            canonical_headers(&to_sign),
        );
        CanonicalRequest { text, signed_headers }
    }
}

/// The `SignedHeaders` list of a request with these headers.
pub(super) fn signed_headers_of(headers: &[(String, String)], host: &str) -> String {
    signed_headers(&headers_to_sign(headers, host))
}

/// S3: the path as sent (`S3SigV4Auth._normalize_url_path`); generic:
/// `quote(normalize_url_path(path), safe='/~')`. An empty path is `/`, as it is sent.
fn canonical_path(path: &str, settings: SigningSettings) -> Cow<'_, str> {
    let path: Cow<'_, str> = if settings.normalize_path {
        Cow::Owned(remove_dot_segments(path))
    } else if path.is_empty() {
        Cow::Borrowed("/")
    } else {
        Cow::Borrowed(path)
    };
    if settings.double_encode {
        Cow::Owned(uri_label(&path, true))
    } else {
        path
    }
}

/// botocore's `normalize_url_path`: RFC 3986's "remove dot segments", plus the removal of
/// empty segments (`//`), keeping the leading and trailing `/`.
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    let first = if path.starts_with('/') { "/" } else { "" };
    let last = if path.ends_with('/') && !segments.is_empty() { "/" } else { "" };
    format!("{first}{}{last}", segments.join("/"))
}

/// S3 (`_canonical_query_string_url`): the pairs as sent, split at the first `=` (a bare
/// key gets an empty value), sorted by name then value. Normalized
/// (`_canonical_query_string_params` after `parse_qsl`): each name and value decoded
/// (`+` is a space) and encoded again, keeping letters, digits and `-._~`; empty pairs
/// are skipped, but blank values are kept (`parse_qsl`'s default would drop `?uploads`).
pub(super) fn canonical_query(query: &str, normalize: bool) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = query
        .split('&')
        .filter(|pair| !(normalize && pair.is_empty()))
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if normalize {
                (Cow::Owned(query_param(&url_decode(name))), Cow::Owned(query_param(&url_decode(value))))
            } else {
                (Cow::Borrowed(name), Cow::Borrowed(value))
            }
        })
        .collect();
    pairs.sort();
    let pairs: Vec<String> = pairs.iter().map(|(name, value)| format!("{name}={value}")).collect();
    pairs.join("&")
}

/// `headers_to_sign`: every header but the unsigned ones, names lowercased, in order;
/// then `host` from the URL unless the request has one.
fn headers_to_sign<'h>(headers: &'h [(String, String)], host: &'h str) -> Vec<(String, &'h str)> {
    let mut to_sign: Vec<(String, &str)> = headers
        .iter()
        .map(|(name, value)| (name.to_lowercase(), value.as_str()))
        .filter(|(name, _)| !UNSIGNED_HEADERS.contains(&name.as_str()))
        .collect();
    if !to_sign.iter().any(|(name, _)| name == "host") {
        to_sign.push(("host".to_owned(), host));
    }
    to_sign
}

/// The distinct names, sorted.
fn names<'n>(to_sign: &'n [(String, &str)]) -> Vec<&'n str> {
    let mut names: Vec<&str> = to_sign.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// `canonical_headers`: `name:value` lines, sorted by name; the values of a repeated
/// name, each trimmed, joined with `,` in request order.
fn canonical_headers(to_sign: &[(String, &str)]) -> String {
    let lines: Vec<String> = names(to_sign)
        .into_iter()
        .map(|name| {
            let values: Vec<String> =
                to_sign.iter().filter(|(n, _)| n == name).map(|(_, value)| trim_all(value)).collect();
            format!("{name}:{}", values.join(","))
        })
        .collect();
    lines.join("\n")
}

/// `signed_headers`: the distinct names, stripped, sorted, joined with `;`.
fn signed_headers(to_sign: &[(String, &str)]) -> String {
    let mut names: Vec<&str> = names(to_sign).into_iter().map(|name| name.trim_matches(is_python_space)).collect();
    names.sort_unstable();
    names.join(";")
}

/// `' '.join(value.split())`: no leading or trailing whitespace, and each inner run of
/// whitespace one space.
pub(super) fn trim_all(value: &str) -> String {
    value.split(is_python_space).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Python's `str.isspace`: Unicode whitespace plus the separators U+001C to U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_follow_host_from_url() {
        let cases = [
            ("http://127.0.0.1:9000/b", "127.0.0.1:9000"),
            ("http://Example.COM:80/b", "example.com"),
            ("HTTPS://example.com:443", "example.com"),
            ("https://example.com:80/", "example.com:80"),
            ("http://user:pw@example.com:8080/x", "example.com:8080"),
            ("https://[::1]:8443/b", "[::1]:8443"),
            ("http://[FE80::1]/b", "[fe80::1]"),
            ("http://host:/b", "host"),
            ("http://host:0080/b", "host"),
            ("ftp://host:21/b", "host:21"),
        ];
        for (url, host) in cases {
            assert_eq!(host_header(url).as_deref(), Ok(host), "{url}");
        }
        for url in
            ["/just/a/path", "http:///path", "http://host:99999/", "http://host:8o/", "http://[zz]/", "1http://h/"]
        {
            assert!(matches!(host_header(url), Err(SigningError::InvalidUrl(_))), "{url}");
        }
    }

    #[test]
    fn urls_split_like_urlsplit() {
        let url = Url::parse("https://h/a%20b/c?x=1&y#frag?no").unwrap();
        assert_eq!((url.scheme.as_str(), url.netloc, url.path, url.query), ("https", "h", "/a%20b/c", "x=1&y"));
        let url = Url::parse("http://h?q=1").unwrap();
        assert_eq!((url.path, url.query), ("", "q=1"));
    }

    #[test]
    fn dot_segments_are_removed_as_botocore() {
        let cases = [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("//example//", "/example/"),
            ("/example1/example2/../..", "/"),
            ("/./example", "/example"),
            ("/a/b/../c/./d/", "/a/c/d/"),
            ("/../a", "/a"),
        ];
        for (path, normalized) in cases {
            assert_eq!(remove_dot_segments(path), normalized, "{path}");
        }
    }

    #[test]
    fn s3_paths_are_signed_as_sent() {
        assert_eq!(canonical_path("/b/a//./../%2F%20", SigningSettings::S3), "/b/a//./../%2F%20");
        assert_eq!(canonical_path("", SigningSettings::S3), "/");
        assert_eq!(canonical_path("/b/a//./../%2F%20", SigningSettings::GENERIC), "/b/%252F%2520");
    }

    #[test]
    fn queries() {
        assert_eq!(canonical_query("b=2&a=1&a=&c&prefix=a/b%2fc&z=%7E+", false), "a=&a=1&b=2&c=&prefix=a/b%2fc&z=%7E+");
        assert_eq!(
            canonical_query("b=2&a=1&a=&c&prefix=a/b%2fc&z=%7E+", true),
            "a=&a=1&b=2&c=&prefix=a%2Fb%2Fc&z=~%20"
        );
        assert_eq!(canonical_query("uploads", false), "uploads=");
        assert_eq!(canonical_query("a=1&&b", false), "=&a=1&b=");
        assert_eq!(canonical_query("a=1&&b", true), "a=1&b=");
        assert_eq!(canonical_query("k=v=w", false), "k=v=w");
        assert_eq!(canonical_query("", true), "");
    }

    #[test]
    fn trim_all_is_pythons_split_join() {
        assert_eq!(trim_all("  a   b\t\tc \r\n d  "), "a b c d");
        assert_eq!(trim_all("a\u{1f}b\u{b}c\u{a0}d\u{3000}e\u{85}f"), "a b c d e f");
        assert_eq!(trim_all("a\u{200b}b"), "a\u{200b}b");
        assert_eq!(trim_all("   "), "");
    }

    #[test]
    fn headers_are_lowercased_sorted_joined_and_filtered() {
        let headers: Vec<(String, String)> = [
            ("X-B", " 2 "),
            ("x-a", "1"),
            ("X-A", "  3  3"),
            ("User-Agent", "ua"),
            ("Expect", "100-continue"),
            ("X-Amzn-Trace-Id", "t"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let to_sign = headers_to_sign(&headers, "h:1");
        assert_eq!(canonical_headers(&to_sign), "host:h:1\nx-a:1,3 3\nx-b:2");
        assert_eq!(signed_headers(&to_sign), "host;x-a;x-b");
        let with_host = [("HOST".to_owned(), "Given".to_owned())];
        assert_eq!(canonical_headers(&headers_to_sign(&with_host, "h:1")), "host:Given");
    }
}
