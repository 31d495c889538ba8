//! The string functions of the rules engine's standard library, and
//! `aws.isVirtualHostableS3Bucket`.

use std::net::Ipv6Addr;

use crate::encoding;

/// `substring(input, start, stop, reverse)`: the characters from `start` (inclusive) to
/// `stop` (exclusive), counted from the end of the string when `reverse` is true
/// (`substring("bucket--x-s3", 0, 6, true)` is `"--x-s3"`).
///
/// `None` when the input holds a non-ASCII character, when `start >= stop`, or when the
/// input is shorter than `stop`: the result, when there is one, is always exactly
/// `stop - start` characters long.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    if reverse {
        Some(&input[input.len() - stop..input.len() - start])
    } else {
        Some(&input[start..stop])
    }
}

/// `uriEncode(value)`: RFC 3986 percent-encoding of the UTF-8 bytes with uppercase hex
/// digits; only the unreserved characters `A-Z a-z 0-9 - _ . ~` are kept, so `/`, space,
/// `%` and every non-ASCII character are encoded.
pub fn uri_encode(value: &str) -> String {
    encoding::query_param(value)
}

/// `isValidHostLabel(value, allowSubDomains)`: an RFC 1123 host label, 1 to 63 ASCII
/// letters, digits and hyphens that neither starts nor ends with a hyphen; with
/// `allow_subdomains`, `.`-separated labels that each are one (so no empty label).
///
/// (The Java reference implementation's pattern, `[a-zA-Z\d][a-zA-Z\d\-]{1,62}`, refuses
/// one-character labels and accepts a final hyphen; this follows RFC 1123, as botocore
/// and the specification's wording do.)
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    encoding::is_valid_host_label(value, allow_subdomains)
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: whether the bucket name can
/// be the first label(s) of a virtual-hosted-style host name, as the reference
/// implementation decides it:
///
/// - 3 to 63 characters, starting and ending with a lowercase letter or digit;
/// - without `allow_subdomains`: only lowercase letters, digits and hyphens;
/// - with `allow_subdomains`: lowercase letters, digits, hyphens and dots, no `..`,
///   `.-` or `-.`, and not an IPv4 address (`192.168.5.4`).
///
/// (botocore checks each dot-separated label with `isValidHostLabel` instead, which also
/// accepts names longer than 63 characters; S3 bucket names never are.)
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let bytes = value.as_bytes();
    let lower_alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !(3..=63).contains(&bytes.len()) || !lower_alnum(bytes[0]) || !lower_alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    if !allow_subdomains {
        return bytes.iter().all(|&b| lower_alnum(b) || b == b'-');
    }
    let mut last = bytes[0];
    for &b in &bytes[1..] {
        let ok = match b {
            b'.' => last != b'.' && last != b'-',
            b'-' => last != b'.',
            _ => lower_alnum(b),
        };
        if !ok {
            return false;
        }
        last = b;
    }
    !is_ipv4(value)
}

/// A URL as `parseURL` returns it; see [`parse_url`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    scheme: &'static str,
    authority: &'a str,
    path: &'a str,
    normalized_path: String,
    is_ip: bool,
}

impl<'a> Url<'a> {
    /// `scheme`: `http` or `https`, in lowercase.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }
    /// `authority`: the host and port as written (`example.com:8443`, `[::1]`), without
    /// any `user@`.
    pub fn authority(&self) -> &'a str {
        self.authority
    }
    /// `path`: the path as written, empty if the URL has none.
    pub fn path(&self) -> &'a str {
        self.path
    }
    /// `normalizedPath`: the path with a `/` added at the start and end where missing
    /// (`""` → `/`, `/foo` → `/foo/`).
    pub fn normalized_path(&self) -> &str {
        &self.normalized_path
    }
    /// `isIp`: whether the host is an IPv4 address (four decimal numbers up to 255) or a
    /// bracketed IPv6 address.
    pub fn is_ip(&self) -> bool {
        self.is_ip
    }
}

/// `parseURL(value)`: splits an `http` or `https` URL into its parts, or `None` if it is
/// not one.
///
/// `None` when: the scheme is not `http` or `https` (either case), `://` does not
/// follow it, there is a query (`?`, even an empty one), the host is empty, a bracketed
/// host is not an IPv6 address, the port is not a number up to 65535, or the host and
/// port hold anything but printable ASCII. A `#fragment` is dropped, as both the
/// reference implementation (`java.net.URL`) and botocore (`urlparse`) do. Unlike
/// botocore, the normalized path is not percent-encoded again and keeps its `.`
/// segments, as the specification and reference implementation have it.
pub fn parse_url(value: &str) -> Option<Url<'_>> {
    let (scheme, rest) = value.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    if rest.contains('?') {
        return None;
    }
    let (authority, path) = rest.find('/').map_or((rest, ""), |slash| rest.split_at(slash));
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if !authority.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, after) = authority.split_at(end + 1);
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (host, port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    if let Some(port) = port {
        let valid = port.is_empty() || (port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok());
        if !valid {
            return None;
        }
    }
    let is_ip = match host.strip_prefix('[') {
        Some(bracketed) => {
            let address = &bracketed[..bracketed.len() - 1];
            // A zone id (`%25eth0`, or `%eth0`) follows the address.
            let address = address.split_once('%').map_or(address, |(address, _)| address);
            address.parse::<Ipv6Addr>().ok()?;
            true
        }
        None => is_ipv4(host),
    };
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url { scheme, authority, path, normalized_path, is_ip })
}

/// Four `.`-separated decimal numbers of one to three digits, each at most 255.
fn is_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let valid = (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u16>().is_ok_and(|n| n <= 255);
        if !valid {
            return false;
        }
    }
    parts == 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_forward_and_reverse() {
        assert_eq!(substring("abcdefg", 0, 3, false), Some("abc"));
        assert_eq!(substring("abcdefg", 1, 3, false), Some("bc"));
        assert_eq!(substring("abcdefg", 0, 3, true), Some("efg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("mybucket--x-s3", 0, 6, true), Some("--x-s3"));
        assert_eq!(substring("abc", 0, 3, false), Some("abc"));
        assert_eq!(substring("abc", 0, 3, true), Some("abc"));
    }

    #[test]
    fn substring_refuses_what_it_cannot_cut_exactly() {
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 2, 1, false), None);
        assert_eq!(substring("", 0, 1, false), None);
        // Non-ASCII anywhere in the input, even outside the range.
        assert_eq!(substring("abc\u{e9}", 0, 1, false), None);
        assert_eq!(substring("\u{1f600}abcdef", 0, 2, true), None);
    }

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("abc-_.~XYZ019"), "abc-_.~XYZ019");
        assert_eq!(uri_encode("a b/c"), "a%20b%2Fc");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("caf\u{e9}"), "caf%C3%A9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label("us-west-2", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a-", false));
        assert!(!is_valid_host_label("a b", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
    }

    #[test]
    fn virtual_hostable_buckets() {
        for (name, single, dotted) in [
            ("bucket", true, true),
            ("my-bucket-1", true, true),
            ("a--b--x-s3", true, true),
            ("bucket.name", false, true),
            ("aa", false, false),
            ("aaa", true, true),
            ("BucketName", false, false),
            ("bucket!", false, false),
            ("bucket name", false, false),
            ("99_ab", false, false),
            ("-bucket", false, false),
            ("bucket-", false, false),
            (".bucket", false, false),
            ("bucket.", false, false),
            ("a..b", false, false),
            ("a-.b", false, false),
            ("a.-b", false, false),
            ("a-.b-.c", false, false),
            ("192.168.5.4", false, false),
            ("192.168.5.256", false, true),
            ("1.2.3", false, true),
        ] {
            assert_eq!(is_virtual_hostable_s3_bucket(name, false), single, "{name}");
            assert_eq!(is_virtual_hostable_s3_bucket(name, true), dotted, "{name} with subdomains");
        }
        assert!(is_virtual_hostable_s3_bucket(&"a".repeat(63), false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket(&format!("{}.{}", "a".repeat(40), "b".repeat(40)), true));
    }

    fn parts(url: &str) -> Option<(&'static str, &str, &str, String, bool)> {
        parse_url(url).map(|u| (u.scheme(), u.authority(), u.path(), u.normalized_path().to_owned(), u.is_ip()))
    }

    #[test]
    fn parse_url_matches_the_specification_examples() {
        assert_eq!(parts("https://example.com"), Some(("https", "example.com", "", "/".into(), false)));
        assert_eq!(parts("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(
            parts("http://example.com:80/foo/bar"),
            Some(("http", "example.com:80", "/foo/bar", "/foo/bar/".into(), false))
        );
        assert_eq!(parts("https://127.0.0.1"), Some(("https", "127.0.0.1", "", "/".into(), true)));
        assert_eq!(parts("https://[fe80::1]"), Some(("https", "[fe80::1]", "", "/".into(), true)));
    }

    #[test]
    fn parse_url_details() {
        assert_eq!(parts("HTTPS://Example.com/"), Some(("https", "Example.com", "/", "/".into(), false)));
        assert_eq!(parts("http://10.0.1.12:433"), Some(("http", "10.0.1.12:433", "", "/".into(), true)));
        assert_eq!(parts("http://a.com/x/./y"), Some(("http", "a.com", "/x/./y", "/x/./y/".into(), false)));
        assert_eq!(parts("https://[::1]:8443/p"), Some(("https", "[::1]:8443", "/p", "/p/".into(), true)));
        assert_eq!(parts("https://[fe80::1%25eth0]"), Some(("https", "[fe80::1%25eth0]", "", "/".into(), true)));
        assert_eq!(parts("https://user:pw@host.com/p"), Some(("https", "host.com", "/p", "/p/".into(), false)));
        assert_eq!(parts("https://example.com/p#frag"), Some(("https", "example.com", "/p", "/p/".into(), false)));
        assert_eq!(parts("https://256.1.1.1").map(|p| p.4), Some(false));
        assert_eq!(parts("https://1.2.3.4.5").map(|p| p.4), Some(false));
        assert_eq!(parts("https://localhost:").map(|p| p.1.to_owned()), Some("localhost:".to_owned()));
    }

    #[test]
    fn parse_url_refusals() {
        for url in [
            "abcde://nota#url",
            "ftp://example.com",
            "https:example.com",
            "example.com",
            "https://",
            "https:///path",
            "https://example.com?",
            "https://example.com/p?q=1",
            "https://[nope]",
            "https://[::1",
            "https://[::1]x",
            "https://host:port",
            "https://host:65536",
            "https://host:99999999999",
            "https://ho st",
            "https://ho\tst",
        ] {
            assert_eq!(parts(url), None, "{url}");
        }
    }

    #[test]
    fn ipv4() {
        assert!(is_ipv4("0.0.0.0"));
        assert!(is_ipv4("255.255.255.255"));
        assert!(!is_ipv4("256.0.0.0"));
        assert!(!is_ipv4("1.2.3"));
        assert!(!is_ipv4("1.2.3.4.5"));
        assert!(!is_ipv4("1.2.3.+4"));
        assert!(!is_ipv4("1.2..4"));
        assert!(!is_ipv4("1234.1.1.1"));
    }
}
