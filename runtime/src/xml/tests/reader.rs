//! Expected values come from botocore 1.44.8 on Python 3.11: `RestXMLParser()` with
//! `_parse_xml_string_to_dom(body).text` for element text and `_do_error_parse` for error
//! documents.

use std::borrow::Cow;

use crate::xml::{
    attribute, child_elements, name, parse, parse_bool, parse_error_document, parse_f32, parse_f64,
    parse_i32, parse_i64, parse_optional, text, ErrorFields, XmlError,
};

fn root_text(body: &str) -> String {
    let doc = parse(body.as_bytes()).expect("parses");
    text(doc.root_element()).into_owned()
}

#[test]
fn text_is_element_text_as_elementtree_reads_it() {
    // (body, botocore's `root.text or ''`)
    let cases = [
        ("<a>x<!--c-->y</a>", "xy"),
        ("<a><![CDATA[x<]]>y&amp;&#xD;&#xA;z</a>", "x<y&\r\nz"),
        ("<a>  </a>", "  "),
        ("<a></a>", ""),
        ("<a/>", ""),
        ("<a>t<b/>tail</a>", "t"),
        ("<a>x<?pi d?>y</a>", "xy"),
        ("<a>1\r\n2\r3</a>", "1\n2\n3"),
        ("\u{feff}<a>bom</a>", "bom"),
        ("<a><!--only a comment--></a>", ""),
        ("<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;</a>", "<>&\"'AB"),
        ("<a>\n  <b/>\n</a>", "\n  "),
    ];
    for (body, expected) in cases {
        assert_eq!(root_text(body), expected, "{body:?}");
    }
}

#[test]
fn text_is_borrowed_from_the_document() {
    // A single run of text is borrowed from the input; joined runs were put together
    // once, at parse time. Reading never allocates.
    let body = b"<a>plain</a>";
    let doc = parse(body).unwrap();
    let Cow::Borrowed(plain) = text(doc.root_element()) else { panic!("borrowed") };
    assert_eq!(plain, "plain");
    assert!(body.as_ptr_range().contains(&plain.as_ptr()), "points into the input");
    let doc = parse(b"<a>x<!---->y</a>").unwrap();
    assert!(matches!(text(doc.root_element()), Cow::Borrowed("xy")));
}

#[test]
fn children_and_names_ignore_namespaces() {
    let body = br#"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/" xmlns:p="urn:p">
        <Name>b</Name><!-- c --><p:KeyCount>2</p:KeyCount>text<?pi?><Contents/></ListBucketResult>"#;
    let doc = parse(body).unwrap();
    let names: Vec<&str> = child_elements(doc.root_element()).map(name).collect();
    assert_eq!(names, ["Name", "KeyCount", "Contents"]);
    assert_eq!(name(doc.root_element()), "ListBucketResult");
}

#[test]
fn attributes_found_as_botocore_finds_them() {
    let body = br#"<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser" plain="p"><ID>x</ID></Grantee>
        <Grantee xmlns:other="urn:any" other:type="Group"/></Grant>"#;
    let doc = parse(body).unwrap();
    let grantees: Vec<_> = child_elements(doc.root_element()).collect();
    assert_eq!(attribute(grantees[0], "xsi:type"), Some("CanonicalUser"));
    // botocore rewrites any `{uri}type` to `xsi:type`, whatever the prefix or URI.
    assert_eq!(attribute(grantees[1], "xsi:type"), Some("Group"));
    assert_eq!(attribute(grantees[0], "plain"), Some("p"));
    assert_eq!(attribute(grantees[0], "type"), None);
    assert_eq!(attribute(grantees[0], "xsi:plain"), None);
    assert_eq!(attribute(grantees[1], "missing"), None);
}

#[test]
fn scalars_parse_as_python_does() {
    let doc = parse(
        b"<r><b1>true</b1><b2>false</b2><i> 42 </i><n>-7</n><p>+3</p><u>1_000</u>\
          <l>9223372036854775807</l><f>1.5</f><e>-1e3</e><inf>Infinity</inf><ninf>-inf</ninf>\
          <nan>NaN</nan><fw>\n 2.25 \t</fw><fu>1_0.5</fu><d>.5</d></r>",
    )
    .unwrap();
    let get = |n: &str| child_elements(doc.root_element()).find(|c| name(*c) == n).unwrap();
    assert!(parse_bool(get("b1")).unwrap());
    assert!(!parse_bool(get("b2")).unwrap());
    assert_eq!(parse_i32(get("i")).unwrap(), 42);
    assert_eq!(parse_i32(get("n")).unwrap(), -7);
    assert_eq!(parse_i32(get("p")).unwrap(), 3);
    assert_eq!(parse_i32(get("u")).unwrap(), 1000);
    assert_eq!(parse_i64(get("l")).unwrap(), i64::MAX);
    assert_eq!(parse_f64(get("f")).unwrap(), 1.5);
    assert_eq!(parse_f32(get("f")).unwrap(), 1.5);
    assert_eq!(parse_f64(get("e")).unwrap(), -1000.0);
    assert_eq!(parse_f64(get("inf")).unwrap(), f64::INFINITY);
    assert_eq!(parse_f32(get("ninf")).unwrap(), f32::NEG_INFINITY);
    assert!(parse_f64(get("nan")).unwrap().is_nan());
    assert_eq!(parse_f64(get("fw")).unwrap(), 2.25);
    assert_eq!(parse_f64(get("fu")).unwrap(), 10.5);
    assert_eq!(parse_f64(get("d")).unwrap(), 0.5);
}

#[test]
fn bad_scalars_name_the_element_and_the_text() {
    let doc = parse(
        b"<r>\n<Contents><Size>1</Size></Contents>\n<Contents><Size>12x</Size><Big>2147483648</Big>\
          <B>True</B><F>1.5.5</F><U>1__0</U><E></E><H>0x10</H></Contents></r>",
    )
    .unwrap();
    let second = child_elements(doc.root_element()).nth(1).unwrap();
    let get = |n: &str| child_elements(second).find(|c| name(*c) == n).unwrap();

    let err = parse_i64(get("Size")).unwrap_err();
    assert_eq!(err.path(), Some("/r/Contents[2]/Size"));
    assert_eq!(err.position(), Some((3, 11)));
    assert_eq!(
        err.to_string(),
        "expected a 64-bit integer, found \"12x\" (element /r/Contents[2]/Size, line 3, column 11)"
    );
    assert!(parse_i32(get("Big")).unwrap_err().message().contains("\"2147483648\""));
    assert_eq!(parse_i64(get("Big")).unwrap(), 2_147_483_648);
    let err = parse_bool(get("B")).unwrap_err();
    assert_eq!(err.message(), "expected `true` or `false`, found \"True\"");
    assert!(parse_f64(get("F")).is_err());
    assert!(parse_i32(get("U")).is_err());
    assert!(parse_i32(get("E")).is_err());
    assert!(parse_f32(get("E")).is_err());
    assert!(parse_f64(get("H")).is_err());
}

#[test]
fn parse_errors_say_where() {
    let err = parse(b"<a>\n  <b>x</c>\n</a>").unwrap_err();
    assert_eq!(err.position().map(|p| p.0), Some(2));
    assert!(err.to_string().starts_with("invalid XML: "), "{err}");
    assert!(!err.to_string().contains("(line"), "position given once: {err}");

    let err = parse(b"<a>\n\xC3\xA9 \xFF</a>").unwrap_err();
    assert_eq!(err.position(), Some((2, 3)));
    assert_eq!(
        err.to_string(),
        "invalid XML: the body is not UTF-8 (byte 0xFF at offset 7) at 2:3"
    );

    assert!(parse(b"").is_err());
    assert!(parse(b"   ").is_err());
    assert!(parse(b"<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>").is_err());
    assert!(parse(b"<a>&undefined;</a>").is_err());
    assert!(parse(b"<p:a/>").is_err());
    assert!(parse(b"<a/><b/>").is_err());
}

#[test]
fn empty_body_is_no_document() {
    assert!(parse_optional(b"").unwrap().is_none());
    assert!(parse_optional(b"<a/>").unwrap().is_some());
    assert!(parse_optional(b" ").is_err());
}

#[test]
fn error_display_without_location() {
    assert_eq!(XmlError::new("plain").to_string(), "plain");
    let doc = parse(b"<a/>").unwrap();
    let err = XmlError::at(doc.root_element(), "bad");
    assert_eq!(err.to_string(), "bad (element /a, line 1, column 1)");
}

fn fields(
    code: Option<&str>,
    message: Option<&str>,
    request_id: Option<&str>,
    host_id: Option<&str>,
    extras: &[(&str, &str)],
) -> ErrorFields {
    ErrorFields {
        code: code.map(str::to_owned),
        message: message.map(str::to_owned),
        request_id: request_id.map(str::to_owned),
        host_id: host_id.map(str::to_owned),
        extras: extras.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    }
}

/// botocore's results are in each case's comment, with headers `x-amz-request-id: HR` and
/// `x-amz-id-2: HH`.
#[test]
fn error_documents_read_as_botocore_reads_them() {
    // {'Error': {'Code': 'NoSuchKey', 'Message': 'The key does not exist', 'Key': 'k'},
    //  'ResponseMetadata': {'RequestId': 'HR', 'HostId': 'HH'}}
    assert_eq!(
        parse_error_document(b"<Error><Code>NoSuchKey</Code><Message>The key does not exist</Message><Key>k</Key><RequestId>R1</RequestId><HostId>H1</HostId></Error>").unwrap(),
        fields(Some("NoSuchKey"), Some("The key does not exist"), Some("R1"), Some("H1"), &[("Key", "k")])
    );
    // {'Error': {'Code': 'AccessDenied', 'Message': 'Access Denied'}, ...}
    assert_eq!(
        parse_error_document(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Access Denied</Message>\n  <RequestId>R</RequestId>\n  <HostId>H</HostId>\n</Error>").unwrap(),
        fields(Some("AccessDenied"), Some("Access Denied"), Some("R"), Some("H"), &[])
    );
    // {'Error': {'Message': 'Invalid resource type: foo', 'Code': 'InvalidInput',
    //  'Type': 'Sender'}, 'ResponseMetadata': {'RequestId': 'request-id'}}
    assert_eq!(
        parse_error_document(b"<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>Invalid resource type: foo</Message></Error><RequestId>request-id</RequestId></ErrorResponse>").unwrap(),
        fields(Some("InvalidInput"), Some("Invalid resource type: foo"), Some("request-id"), None, &[("Type", "Sender")])
    );
    // {'Error': {'Message': '', 'Code': ''}, 'Code': 'C', 'Message': 'M',
    //  'ResponseMetadata': {'RequestId': 'R'}}
    assert_eq!(
        parse_error_document(b"<Error xmlns=\"urn:x\"><Code>C</Code><Message>M</Message><RequestId>R</RequestId></Error>").unwrap(),
        fields(Some(""), Some(""), Some("R"), None, &[])
    );
    // {'Error': {'Code': None, 'Message': None}, ...}
    assert_eq!(
        parse_error_document(b"<Error><Code/><Message></Message></Error>").unwrap(),
        fields(None, None, None, None, &[])
    );
    // {'Error': {'Message': '', 'Code': ''}, 'Code': 'C'}
    assert_eq!(
        parse_error_document(b"<Foo><Code>C</Code></Foo>").unwrap(),
        fields(Some(""), Some(""), None, None, &[])
    );
    // {'Error': 'text'}
    assert_eq!(
        parse_error_document(b"<ErrorResponse><Error>text</Error></ErrorResponse>").unwrap(),
        fields(Some(""), Some(""), None, None, &[])
    );
    // {'Error': {'Message': '', 'Code': 'C'}, 'HostId': 'H', 'Other': 'o'}
    assert_eq!(
        parse_error_document(b"<ErrorResponse><Error><Code>C</Code></Error><HostId>H</HostId><Other>o</Other></ErrorResponse>").unwrap(),
        fields(Some("C"), Some(""), None, None, &[])
    );
    // {'Error': {'Code': ' spaced ', 'Message': 'a & b\nc'}, ...}
    assert_eq!(
        parse_error_document(
            b"<Error><Code> spaced </Code><Message>a &amp; b&#xA;c</Message></Error>"
        )
        .unwrap(),
        fields(Some(" spaced "), Some("a & b\nc"), None, None, &[])
    );
    // botocore falls back to the HTTP status for these.
    assert!(parse_error_document(b"not xml").is_err());
    assert!(parse_error_document(b"").is_err());
    assert!(parse_error_document(b"\xFF").is_err());
}

/// Where botocore gives nested or emptied dicts, the first occurrence is read and nested
/// fields are skipped.
#[test]
fn error_document_oddities() {
    // botocore: {'Error': {'Code': {}, 'Extra': {}, 'Nested': {'X': '1'}}, ...}
    assert_eq!(
        parse_error_document(b"<Error><Code>A</Code><Code>B</Code><Extra>1</Extra><Extra>2</Extra><Nested><X>1</X></Nested><Empty/></Error>").unwrap(),
        fields(Some("A"), None, None, None, &[("Extra", "1"), ("Extra", "2"), ("Empty", "")])
    );
    assert_eq!(
        parse_error_document(b"<Error><Code><X/></Code><Code>late</Code></Error>").unwrap(),
        fields(None, None, None, None, &[])
    );
}

#[test]
fn error_fields_become_metadata() {
    let meta = parse_error_document(
        b"<Error><Code>NoSuchKey</Code><Message>m</Message><Key>k</Key><RequestId>R</RequestId><HostId>H</HostId></Error>",
    )
    .unwrap()
    .into_metadata();
    assert_eq!(meta.code(), Some("NoSuchKey"));
    assert_eq!(meta.message(), Some("m"));
    assert_eq!(meta.request_id(), Some("R"));
    assert_eq!(meta.host_id(), Some("H"));
    assert_eq!(meta.extra("Key"), Some("k"));
    assert_eq!(meta.status(), None);
}

/// Prints the time to parse a 1000-key ListObjectsV2 page and read every element's name
/// and text (for the record; nothing is asserted about time).
#[test]
#[ignore = "prints timings; run on demand"]
fn listing_page_timing() {
    let mut page = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name><Prefix></Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
    for i in 0..1000 {
        page.push_str(&format!("<Contents><Key>photos/2024/01/02/image-{i:06}.jpg</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><Size>1024</Size><StorageClass>STANDARD</StorageClass></Contents>"));
    }
    page.push_str("</ListBucketResult>");
    fn walk(node: crate::xml::Node<'_, '_>, acc: &mut usize) {
        *acc += node.name().len() + node.text().len();
        for child in node.children() {
            walk(child, acc);
        }
    }
    let rounds: u32 = std::env::var("ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let mut best = std::time::Duration::MAX;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let mut acc = 0;
        for _ in 0..rounds {
            let doc = crate::xml::parse(page.as_bytes()).unwrap();
            walk(doc.root_element(), &mut acc);
        }
        best = best.min(start.elapsed() / rounds);
        assert!(acc > 0);
    }
    println!("1000-key page ({} bytes): {best:?} per parse + walk (best of 5 × {rounds})", page.len());
}
