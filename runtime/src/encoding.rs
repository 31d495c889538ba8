//! Text encodings of the wire: percent-encoding of URI labels and query strings, the
//! decoding of `EncodingType=url` listings, base64, host labels, and the text of floats
//! and header lists, each matching what botocore does (the function it follows is named
//! in each item's documentation).

use std::error::Error as StdError;
use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// Percent-encodes a URI label, as botocore's `BaseRestSerializer._render_uri_template`
/// does: `percent_encode(value)` for `{Label}`, `percent_encode(value, safe='/~')` for a
/// greedy `{Label+}`.
///
/// Both are `urllib.parse.quote` of the UTF-8 bytes with uppercase hex: letters, digits
/// and `-._~` are kept, and a greedy label also keeps `/`. Everything else is encoded,
/// including `+`, `%`, `*`, space (`%20`), `?` and `#`.
pub fn uri_label(value: &str, greedy: bool) -> String {
    percent_encode(value, greedy)
}

/// Percent-encodes a query-string key or value, as botocore's `percent_encode_sequence`
/// (called from `prepare_request_dict`) does: `percent_encode`, which keeps letters,
/// digits and `-._~` and encodes everything else (so `/` is `%2F` and space `%20`, never
/// `+`). Callers join pairs as `key=value` with `&`; botocore writes `key=` for an empty
/// value.
pub fn query_param(value: &str) -> String {
    percent_encode(value, false)
}

fn percent_encode(value: &str, keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    out
}

/// Decodes a value S3 sent URL-encoded because the request said `EncodingType=url`
/// (keys, prefixes, delimiters and markers of the list operations), as botocore's
/// `decode_list_object*` handlers do with `unquote_str`, which is Python's
/// `urllib.parse.unquote_plus`:
///
/// - `+` becomes a space (`%2B` is a `+`);
/// - `%XX` with two hex digits of either case becomes that byte, and each run of ASCII
///   text is read as UTF-8, with U+FFFD for every invalid sequence;
/// - a `%` not followed by two hex digits stays as it is, as does non-ASCII text.
///
/// Like botocore, this never fails: S3 encodes correctly, and a key it sent is better
/// shown approximately than the whole listing lost.
pub fn url_decode(value: &str) -> String {
    let value = value.replace('+', " ");
    if !value.contains('%') {
        return value;
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value.as_str();
    while !rest.is_empty() {
        // Python decodes each run of ASCII characters on its own.
        let ascii_len = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
        let (ascii, tail) = rest.split_at(ascii_len);
        out.push_str(&String::from_utf8_lossy(&unquote_to_bytes(ascii.as_bytes())));
        let other_len = tail.find(|c: char| c.is_ascii()).unwrap_or(tail.len());
        out.push_str(&tail[..other_len]);
        rest = &tail[other_len..];
    }
    out
}

/// Python's `unquote_to_bytes`.
fn unquote_to_bytes(ascii: &[u8]) -> Vec<u8> {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte).to_digit(16).map(|d| d as u8)
    }
    let mut out = Vec::with_capacity(ascii.len());
    let mut i = 0;
    while i < ascii.len() {
        let decoded = match ascii[i..] {
            [b'%', high, low, ..] => hex(high).zip(hex(low)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match decoded {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(ascii[i]);
                i += 1;
            }
        }
    }
    out
}

/// Base64 with the standard alphabet and padding, as botocore's `_get_base64`
/// (`base64.b64encode`) writes blobs.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes base64 as botocore's parsers do with Python's `base64.b64decode`, which is
/// lenient (`binascii.a2b_base64` outside strict mode):
///
/// - characters outside the standard alphabet (line breaks, spaces, `-`, `_`, …) are
///   skipped;
/// - decoding stops at the padding that completes a group (`Zg==junk` is `f`), and an
///   `=` that cannot be padding is skipped;
/// - unused low bits of the last character are ignored (`Zh==` is `f`);
/// - a final group of two or three characters needs its padding, and one of a single
///   character is an error; non-ASCII text is an error too.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64DecodeError> {
    /// Standard alphabet, no padding (it is consumed below), trailing bits ignored.
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    if !text.is_ascii() {
        return Err(Base64DecodeError("string argument should contain only ASCII characters"));
    }
    // The symbols `a2b_base64` would use, found with its own state machine.
    let mut symbols = Vec::with_capacity(text.len());
    let mut pads = 0;
    let mut padded = false;
    for &byte in text.as_bytes() {
        let quad_pos = symbols.len() % 4;
        if byte == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    padded = true;
                    break;
                }
            }
        } else if byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/' {
            symbols.push(byte);
            pads = 0;
        }
    }
    match symbols.len() % 4 {
        1 => return Err(Base64DecodeError("the number of data characters cannot be 1 more than a multiple of 4")),
        2 | 3 if !padded => return Err(Base64DecodeError("incorrect padding")),
        _ => {}
    }
    LENIENT.decode(&symbols).map_err(|_| Base64DecodeError("invalid base64"))
}

/// Base64 text that [`base64_decode`] could not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base64DecodeError(&'static str);

impl fmt::Display for Base64DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64: {}", self.0)
    }
}

impl StdError for Base64DecodeError {}

/// The endpoint rules' `isValidHostLabel`, as botocore's
/// `RuleSetStandardLibrary.is_valid_host_label` implements it: 1 to 63 ASCII letters,
/// digits and hyphens, not starting or ending with a hyphen
/// (`^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$`). With `allow_subdomains`, each of the `.`-separated
/// parts must be one (so no empty part); without, a `.` makes it invalid.
///
/// Two accidents of Python's `re` are not copied: there `$` also matches before a final
/// `\n` (`"abc\n"` passes) and `\d` takes any Unicode digit (`"١٢"` passes); neither
/// could be part of a host name.
pub fn is_valid_host_label(label: &str, allow_subdomains: bool) -> bool {
    fn one(label: &str) -> bool {
        let bytes = label.as_bytes();
        (1..=63).contains(&bytes.len())
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
            && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    }
    if allow_subdomains {
        label.split('.').all(one)
    } else {
        one(label)
    }
}

/// A `float` held as an `f32`, written like [`fmt_float`] writes the decimal the caller
/// meant: the shortest digits that read back as this `f32`.
pub fn fmt_float32(value: f32) -> String {
    // The shortest decimal that reads back as this `f32` (`1.1`, not the `f64` widening
    // `1.100000023841858`), written as Python writes that decimal.
    match format!("{value}").parse::<f64>() {
        Ok(decimal) => fmt_float(decimal),
        Err(_) => fmt_float(f64::from(value)),
    }
}

/// The text of a `float` or `double`, as botocore writes it in XML, query strings and
/// headers: `str(_handle_float(value))`, which is Python's `repr` of the float
/// (`1.0`, `0.1`, `1e+16`, `1.5e-05`, `-0.0`) and `Infinity`, `-Infinity` or `NaN`.
///
/// Both Python and Rust print the shortest digits that read back as the same double;
/// Python then uses exponent notation when the decimal exponent is below -4 or 16 and
/// above, with a sign and at least two digits, and adds `.0` to whole numbers.
pub fn fmt_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // `{:e}` gives the shortest round-trip digits: `-1.2345e3`, `1e16`, `5e-324`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if value < 0.0 { "-" } else { "" };
    // The value is 0.DIGITS × 10^point.
    let point = exponent + 1;
    if !(-4 < point && point <= 16) {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{dot}{rest}e{exp_sign}{:02}", exponent.unsigned_abs());
    }
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{sign}{digits}{}.0", "0".repeat(point as usize - digits.len()))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{sign}{whole}.{fraction}")
    }
}

/// One string of a list sent in a header, as botocore's `_escape_header_list_string`
/// writes it before joining the list with `,`: wrapped in `"` with each `"` escaped as
/// `\"` if it holds a `"` or a `,`, otherwise unchanged (backslashes are not escaped).
pub fn quote_header_list_item(value: &str) -> String {
    if value.contains('"') || value.contains(',') {
        format!("\"{}\"", value.replace('"', "\\\""))
    } else {
        value.to_owned()
    }
}

/// A JSON string as Python's `json.dumps` (with `ensure_ascii`) writes it, appended to
/// `out`: `"` and `\` escaped, `\n`, `\r`, `\t`, `\b`, `\f` by name, every other
/// character outside space..`~` as `\uXXXX` (lowercase hex; UTF-16 surrogate pairs beyond
/// the BMP). Used where bytes must equal botocore's: boto3's pagination tokens, presigned
/// POST policies, the SSO token cache.
pub(crate) fn python_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn f32_values_print_as_written() {
        assert_eq!(super::fmt_float32(1.1), "1.1");
        assert_eq!(super::fmt_float32(1.0), "1.0");
        assert_eq!(super::fmt_float32(f32::NAN), "NaN");
    }

    use super::*;

    /// `(value, percent_encode(value), percent_encode(value, safe='/~'))` from botocore 1.44.8.
    const LABELS: &[(&str, &str, &str)] = &[
        ("a b", "a%20b", "a%20b"),
        ("a/b", "a%2Fb", "a/b"),
        ("~user", "~user", "~user"),
        ("1+1", "1%2B1", "1%2B1"),
        ("100%", "100%25", "100%25"),
        ("what?", "what%3F", "what%3F"),
        ("#frag", "%23frag", "%23frag"),
        ("a*b", "a%2Ab", "a%2Ab"),
        ("caf\u{e9} \u{65e5}\u{672c} \u{1f600}", "caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80", "caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80"),
        ("line\r\nbreak", "line%0D%0Abreak", "line%0D%0Abreak"),
        ("-._~", "-._~", "-._~"),
        ("!$&'()*,;=:@", "%21%24%26%27%28%29%2A%2C%3B%3D%3A%40", "%21%24%26%27%28%29%2A%2C%3B%3D%3A%40"),
        ("[]{}|\\^`\"<>", "%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E", "%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E"),
        ("\u{0}\u{7f}", "%00%7F", "%00%7F"),
        ("already%20encoded", "already%2520encoded", "already%2520encoded"),
        ("", "", ""),
        ("AZaz09", "AZaz09", "AZaz09"),
    ];

    /// `(value, percent_encode_sequence({value: value}))` from botocore 1.44.8.
    const QUERY: &[(&str, &str)] = &[
        ("a b", "a%20b=a%20b"),
        ("a/b", "a%2Fb=a%2Fb"),
        ("~user", "~user=~user"),
        ("1+1", "1%2B1=1%2B1"),
        ("100%", "100%25=100%25"),
        ("what?", "what%3F=what%3F"),
        ("#frag", "%23frag=%23frag"),
        ("a*b", "a%2Ab=a%2Ab"),
        ("caf\u{e9} \u{65e5}\u{672c} \u{1f600}", "caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80=caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80"),
        ("line\r\nbreak", "line%0D%0Abreak=line%0D%0Abreak"),
        ("-._~", "-._~=-._~"),
        ("!$&'()*,;=:@", "%21%24%26%27%28%29%2A%2C%3B%3D%3A%40=%21%24%26%27%28%29%2A%2C%3B%3D%3A%40"),
        ("[]{}|\\^`\"<>", "%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E=%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E"),
        ("\u{0}\u{7f}", "%00%7F=%00%7F"),
        ("already%20encoded", "already%2520encoded=already%2520encoded"),
        ("", "="),
        ("AZaz09", "AZaz09=AZaz09"),
    ];

    /// `(value, unquote_str(value))` from botocore 1.44.8.
    const UNQUOTE: &[(&str, &str)] = &[
        ("a+b", "a b"),
        ("a%2Bb", "a+b"),
        ("a%20b", "a b"),
        ("%2F%2f", "//"),
        ("caf%C3%A9", "caf\u{e9}"),
        ("%E6%97%A5", "\u{65e5}"),
        ("%", "%"),
        ("%4", "%4"),
        ("%zz", "%zz"),
        ("%%41", "%A"),
        ("100%25", "100%"),
        ("%C3", "\u{fffd}"),
        ("%C3%28", "\u{fffd}("),
        ("%F0%9F%98", "\u{fffd}"),
        ("%C0%AF", "\u{fffd}\u{fffd}"),
        ("%ED%A0%80", "\u{fffd}\u{fffd}\u{fffd}"),
        ("\u{e9}%C3%A9", "\u{e9}\u{e9}"),
        ("%C3\u{e9}%A9", "\u{fffd}\u{e9}\u{fffd}"),
        ("%FF%FE", "\u{fffd}\u{fffd}"),
        ("plain", "plain"),
        ("", ""),
        ("+%2B+", " + "),
        ("%e2%82%ac", "\u{20ac}"),
        ("%F4%90%80%80", "\u{fffd}\u{fffd}\u{fffd}\u{fffd}"),
    ];

    /// `(value, is_valid_host_label(value, False), is_valid_host_label(value, True))`
    /// from botocore 1.44.8, except the two Python `re` accidents (see the function).
    const HOST_LABELS: &[(&str, bool, bool)] = &[
        ("a", true, true),
        ("bucket-1", true, true),
        ("-a", false, false),
        ("a-", false, false),
        ("a--b", true, true),
        ("a.b", false, true),
        ("", false, false),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true, true),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false),
        ("a_b", false, false),
        ("a b", false, false),
        ("A1", true, true),
        ("1a", true, true),
        ("a..b", false, false),
        (".a", false, false),
        ("a.", false, false),
        ("abc.def-ghi", false, true),
        ("\u{e9}", false, false),
        ("abc\n", false, false),
        ("\u{661}\u{662}", false, false),
        ("x.-y", false, false),
    ];

    /// `(hex of bytes, _get_base64(bytes))` from botocore 1.44.8.
    const BASE64: &[(&str, &str)] = &[
        ("", ""),
        ("66", "Zg=="),
        ("666f", "Zm8="),
        ("666f6f", "Zm9v"),
        ("666f6f62", "Zm9vYg=="),
        ("666f6f6261", "Zm9vYmE="),
        ("666f6f626172", "Zm9vYmFy"),
        ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w=="),
        ("c3a9", "w6k="),
    ];

    /// `(text, hex of base64.b64decode(text))`, `None` where Python raises.
    const BASE64_DECODE: &[(&str, Option<&str>)] = &[
        ("", Some("")),
        ("Zg==", Some("66")),
        ("Zm8=", Some("666f")),
        ("Zm9v", Some("666f6f")),
        ("Zm9vYg==", Some("666f6f62")),
        ("Zm9v\nYmFy", Some("666f6f626172")),
        (" Zm9v YmFy ", Some("666f6f626172")),
        ("Zg", None),
        ("Zg=", None),
        ("Zm9", None),
        ("Z", None),
        ("Zm9vY", None),
        ("Zh==", Some("66")),
        ("Zm9=", Some("666f")),
        ("Zg==Zm9v", Some("66")),
        ("Zg==junk", Some("66")),
        ("Z=g==", Some("66")),
        ("QQ=A=", Some("4100")),
        ("=Zg==", Some("66")),
        ("Zm!9v", Some("666f6f")),
        ("Zg=\n=", Some("66")),
        ("Zm9v====", Some("666f6f")),
        ("////", Some("ffffff")),
        ("-_-_", Some("")),
        ("Zm9v\u{e9}", None),
        ("====", Some("")),
    ];

    /// `(bits of the double, str(_handle_float(value)))` from botocore 1.44.8.
    const FLOATS: &[(u64, &str)] = &[
        (0x0000000000000000, "0.0"),
        (0x8000000000000000, "-0.0"),
        (0x3ff0000000000000, "1.0"),
        (0xbff0000000000000, "-1.0"),
        (0x3fb999999999999a, "0.1"),
        (0x3fe0000000000000, "0.5"),
        (0x3ff8000000000000, "1.5"),
        (0x4059000000000000, "100.0"),
        (0x430c6bf526340000, "1000000000000000.0"),
        (0x4341c37937e08000, "1e+16"),
        (0x4345eddb25e04800, "1.2345e+16"),
        (0x4341c37937e07fff, "9999999999999998.0"),
        (0x3f1a36e2eb1c432d, "0.0001"),
        (0x3ee4f8b588e368f1, "1e-05"),
        (0x3f202e4b6ce5dc68, "0.00012345"),
        (0x3eef75104d551d69, "1.5e-05"),
        (0x419d6f34547df3b6, "123456789.123"),
        (0x0000000000000001, "5e-324"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0x0010000000000000, "2.2250738585072014e-308"),
        (0x47efffffe0000000, "3.4028234663852886e+38"),
        (0x3fd3333333333334, "0.30000000000000004"),
        (0x3fd5555555555555, "0.3333333333333333"),
        (0x4340000000000000, "9007199254740992.0"),
        (0x4340000000000001, "9007199254740994.0"),
        (0x43e56a95319d63e1, "1.2345678901234567e+19"),
        (0x4480f0cf064dd592, "1e+22"),
        (0x44b52d02c7e14af6, "1e+23"),
        (0x3fd3333340000000, "0.30000001192092896"),
        (0xf2a74de452e6b438, "-1.989032661366619e+244"),
        (0x6513270e269e0d37, "7.761117632285041e+178"),
        (0x0c5c7fd0a6a3a450, "3.980498358697587e-249"),
        (0xd23f0824128b2f33, "-1.5432835417340557e+88"),
        (0x1818e811892f902b, "1.3647584518757569e-192"),
        (0x9531985d5d9dc9f8, "-1.3701135617873088e-206"),
        (0xe8e25d940ed90475, "-1.7160537630466207e+197"),
        (0x36f675cc81e74ef5, "6.294675241195386e-44"),
        (0x1600a35a099950d8, "1.0613447212142254e-202"),
        (0x6b0d549b6f03675a, "4.708325160387546e+207"),
        (0x3d9c172411e20b8f, "6.387016158513563e-12"),
        (0x8d116ece1738f7d9, "-9.973130378568733e-246"),
        (0x0f21ddb66cad4a26, "8.779753225680271e-236"),
        (0x90c192cfd3ac94af, "-5.795503248498993e-228"),
        (0xf28c105d1fb17c23, "-5.988180159386011e+243"),
        (0xa170b33839263059, "-1.306052388527796e-147"),
        (0x953f48f1a09f76b5, "-2.436117699484841e-206"),
        (0x0fd630f1f29d0da9, "2.233386999150174e-232"),
        (0x95e60af593bd04cf, "-3.51527970626667e-203"),
        (0x0cb1e29c658cda14, "1.5987381841032883e-247"),
        (0x3898d190f9ebdacc, "4.6678633181812096e-36"),
        (0x8e81973e0becd7b0, "-8.441872792105456e-239"),
        (0x2217beaddbc496cb, "1.9015657400796622e-144"),
        (0x6b4cb2424a23d596, "7.370437700706684e+208"),
        (0x8a6a63ec24ede6a4, "-1.7163996725272777e-258"),
        (0x922766581e27a1c0, "-3.2367190832119987e-221"),
        (0x8f6d05584ef8aa38, "-2.2818334634712625e-234"),
        (0xae97ba94d0eda82f, "-3.0536383926309363e-84"),
        (0x1a61dbe22e44158b, "1.3449551894627777e-181"),
        (0x923a736994e3bf91, "-7.317495976062606e-221"),
        (0x301850c5a38fd547, "5.249822308814304e-77"),
        (0x18f135d25f557203, "1.5450754142984396e-188"),
        (0xb64ce4228c38fb29, "-3.953625698224792e-47"),
        (0x907a70c31012f037, "-2.72491267476498e-229"),
        (0x9e7769b10f4205b4, "-6.505141861548772e-162"),
        (0x7f15052434b9b5df, "1.441484839555994e+304"),
        (0x881ed162ae2eb154, "-1.4583679262758548e-269"),
        (0xc6f877186d76b07e, "-7.939416668807721e+33"),
        (0x7731af10506bf2ef, "1.4255183989699612e+266"),
        (0xec66a78795e761d1, "-1.525315701232403e+214"),
        (0xc0f6dbf3f4c54698, "-93631.24725844932"),
        (0xc1187148066c556e, "-400466.0062726353"),
        (0x4121f7aded143b60, "588758.9630449824"),
        (0x41184a93784735a0, "397988.8674591426"),
        (0xc11f3cfbea0a8100, "-511806.9785556942"),
        (0x41022b7b5d383238, "148847.42051734193"),
        (0x40e89b203e7262e0, "50393.00762290298"),
        (0x4126e585fb7799d8, "750274.9911468579"),
        (0x411c022a50c58230, "458890.5788784353"),
        (0xc119e2f1e18140fe, "-424124.4702196269"),
        (0x7ff0000000000000, "Infinity"),
        (0xfff0000000000000, "-Infinity"),
        (0x7ff8000000000000, "NaN"),
    ];

    /// `(value, _escape_header_list_string(value))` from botocore 1.44.8.
    const HEADER_LIST_ITEMS: &[(&str, &str)] = &[
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("back\\slash", "back\\slash"),
        ("\"", "\"\\\"\""),
        (",", "\",\""),
        ("a, \"b\"", "\"a, \\\"b\\\"\""),
        ("", ""),
    ];

    #[test]
    fn uri_labels_match_botocore() {
        for &(value, label, greedy) in LABELS {
            assert_eq!(uri_label(value, false), label, "{value:?}");
            assert_eq!(uri_label(value, true), greedy, "{value:?} greedy");
        }
    }

    #[test]
    fn query_params_match_botocore() {
        for &(value, pair) in QUERY {
            assert_eq!(format!("{}={}", query_param(value), query_param(value)), pair, "{value:?}");
        }
    }

    #[test]
    fn every_byte_matches_pythons_quote() {
        // quote(safe='-._~') keeps exactly the unreserved characters of RFC 3986.
        for byte in 0u8..128 {
            let text = char::from(byte).to_string();
            let kept = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
            let expected = if kept { text.clone() } else { format!("%{byte:02X}") };
            assert_eq!(query_param(&text), expected);
            let greedy = if byte == b'/' { "/".to_owned() } else { expected };
            assert_eq!(uri_label(&text, true), greedy);
        }
    }

    #[test]
    fn url_decode_matches_botocore() {
        for &(value, decoded) in UNQUOTE {
            assert_eq!(url_decode(value), decoded, "{value:?}");
        }
    }

    #[test]
    fn url_decode_round_trips_query_param() {
        for &(value, _, _) in LABELS {
            assert_eq!(url_decode(&query_param(value)), value);
        }
    }

    #[test]
    fn host_labels_match_botocore() {
        for &(value, single, subdomains) in HOST_LABELS {
            assert_eq!(is_valid_host_label(value, false), single, "{value:?}");
            assert_eq!(is_valid_host_label(value, true), subdomains, "{value:?} with subdomains");
        }
    }

    #[test]
    fn base64_matches_botocore() {
        for &(hex, text) in BASE64 {
            let bytes = from_hex(hex);
            assert_eq!(base64_encode(&bytes), text, "{hex}");
            assert_eq!(base64_decode(text), Ok(bytes), "{text}");
        }
        for &(text, hex) in BASE64_DECODE {
            assert_eq!(base64_decode(text).ok(), hex.map(from_hex), "{text:?}");
        }
    }

    #[test]
    fn base64_errors_say_why() {
        assert_eq!(base64_decode("Zg").unwrap_err().to_string(), "invalid base64: incorrect padding");
        assert_eq!(
            base64_decode("Zm9vY").unwrap_err().to_string(),
            "invalid base64: the number of data characters cannot be 1 more than a multiple of 4"
        );
        let err: Box<dyn StdError> = Box::new(base64_decode("\u{e9}").unwrap_err());
        assert_eq!(err.to_string(), "invalid base64: string argument should contain only ASCII characters");
    }

    #[test]
    fn floats_match_botocore() {
        for &(bits, text) in FLOATS {
            assert_eq!(fmt_float(f64::from_bits(bits)), text, "{:e}", f64::from_bits(bits));
        }
        assert_eq!(fmt_float(f64::from(0.1f32)), "0.10000000149011612");
    }

    #[test]
    fn header_list_items_match_botocore() {
        for &(value, quoted) in HEADER_LIST_ITEMS {
            assert_eq!(quote_header_list_item(value), quoted, "{value:?}");
        }
    }

    fn from_hex(hex: &str) -> Vec<u8> {
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
    }
}

/// A random version-4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`), as botocore's
/// `generate_idempotent_uuid` fills idempotency tokens the caller did not set.
///
/// The randomness comes from the standard library's per-process random hash keys (seeded
/// by the operating system), so no extra crate is needed; it is unique, not secret.
pub fn uuid4() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let random = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0),
        );
        hasher.finish()
    };
    let (high, low) = (random(), random());
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod uuid_tests {
    #[test]
    fn uuid4_has_the_right_shape_and_differs() {
        let a = super::uuid4();
        let b = super::uuid4();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
