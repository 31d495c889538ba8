//! Expected bodies are what botocore 1.44.8 sent, captured with a `before-send` handler on
//! an S3 client (`create_client('s3', region_name='us-east-1', ...)`), for the calls noted
//! on each test.

use crate::xml::{parse, text, XmlWriter};

const S3_NS: (&str, &str) = ("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
const XSI_NS: (&str, &str) = ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");

/// `'a\r\nb\nc\rd & <e> "q" \'s\' \t tab é 日本 🎉 ]]> end'`
const WEIRD: &str = "a\r\nb\nc\rd & <e> \"q\" 's' \t tab é 日本 🎉 ]]> end";

fn as_str(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("writer output is UTF-8")
}

/// `put_bucket_tagging(Bucket='b', Tagging={'TagSet': [{'Key': 'k1', 'Value': WEIRD},
/// {'Key': 'k2', 'Value': ''}, {'Key': 'k3', 'Value': '  spaced  '}]})`: text keeps `\r`,
/// `\n`, tabs and quotes raw, escapes only `&`, `<`, `>`; an empty value is `<Value />`.
#[test]
fn put_bucket_tagging_matches_botocore() {
    const EXPECTED: &str = "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>k1</Key><Value>a\r\nb\nc\rd &amp; &lt;e&gt; \"q\" 's' \t tab é 日本 🎉 ]]&gt; end</Value></Tag><Tag><Key>k2</Key><Value /></Tag><Tag><Key>k3</Key><Value>  spaced  </Value></Tag></TagSet></Tagging>";
    let mut w = XmlWriter::new();
    w.start("Tagging", &[S3_NS]);
    w.start("TagSet", &[]);
    for (key, value) in [("k1", WEIRD), ("k2", ""), ("k3", "  spaced  ")] {
        w.start("Tag", &[]);
        w.text_element("Key", key);
        w.text_element("Value", value);
        w.end("Tag");
    }
    w.end("TagSet");
    w.end("Tagging");
    assert_eq!(as_str(w.finish()), EXPECTED);
}

/// `put_bucket_tagging(Bucket='b', Tagging={'TagSet': []})`: an empty list is `<TagSet />`.
#[test]
fn empty_list_is_self_closing() {
    const EXPECTED: &str =
        "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet /></Tagging>";
    let mut w = XmlWriter::new();
    w.start("Tagging", &[S3_NS]);
    w.start("TagSet", &[]);
    w.end("TagSet");
    w.end("Tagging");
    assert_eq!(as_str(w.finish()), EXPECTED);
}

/// `put_bucket_acl` with three grantees (CanonicalUser with ID and DisplayName `me & you`,
/// Group with URI, AmazonCustomerByEmail with EmailAddress) and an Owner: `xmlns:xsi` then
/// `xsi:type` on each `Grantee`.
#[test]
fn put_bucket_acl_matches_botocore() {
    const EXPECTED: &str = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>abc</ID><DisplayName>me &amp; you</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>a@b.c</EmailAddress></Grantee><Permission>WRITE_ACP</Permission></Grant></AccessControlList><Owner><DisplayName>owner</DisplayName><ID>oid</ID></Owner></AccessControlPolicy>";
    type Grant<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let grants: [Grant<'_>; 3] = [
        ("CanonicalUser", &[("ID", "abc"), ("DisplayName", "me & you")], "FULL_CONTROL"),
        ("Group", &[("URI", "http://acs.amazonaws.com/groups/global/AllUsers")], "READ"),
        ("AmazonCustomerByEmail", &[("EmailAddress", "a@b.c")], "WRITE_ACP"),
    ];
    let mut w = XmlWriter::new();
    w.start("AccessControlPolicy", &[S3_NS]);
    w.start("AccessControlList", &[]);
    for (kind, fields, permission) in grants {
        w.start("Grant", &[]);
        w.start("Grantee", &[XSI_NS, ("xsi:type", kind)]);
        for (name, value) in fields {
            w.text_element(name, value);
        }
        w.end("Grantee");
        w.text_element("Permission", permission);
        w.end("Grant");
    }
    w.end("AccessControlList");
    w.start("Owner", &[]);
    w.text_element("DisplayName", "owner");
    w.text_element("ID", "oid");
    w.end("Owner");
    w.end("AccessControlPolicy");
    assert_eq!(as_str(w.finish()), EXPECTED);
}

/// `put_bucket_acl` with `Grantee={'Type': 'a"b\r\nc\td<&>\'é', 'ID': 'x\x01y'}` (botocore
/// does not check enum values): ElementTree's attribute escaping, and a control character
/// written raw in text.
#[test]
fn attribute_escaping_matches_botocore() {
    const EXPECTED: &str = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"a&quot;b&#13;&#10;c&#09;d&lt;&amp;&gt;'é\"><ID>x\u{1}y</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>";
    for mut w in [XmlWriter::new(), XmlWriter::new_escaping_newlines()] {
        w.start("AccessControlPolicy", &[S3_NS]);
        w.start("AccessControlList", &[]);
        w.start("Grant", &[]);
        w.start("Grantee", &[XSI_NS, ("xsi:type", "a\"b\r\nc\td<&>'é")]);
        w.text_element("ID", "x\u{1}y");
        w.end("Grantee");
        w.text_element("Permission", "READ");
        w.end("Grant");
        w.end("AccessControlList");
        w.end("AccessControlPolicy");
        assert_eq!(as_str(w.finish()), EXPECTED);
    }
}

/// `put_bucket_acl(AccessControlPolicy={'Grants': [{'Grantee': {'Type': ''}}], 'Owner': {}})`:
/// an empty attribute value, and elements with attributes but no content self-close.
#[test]
fn empty_attribute_and_empty_structures() {
    const EXPECTED: &str = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"\" /></Grant></AccessControlList><Owner /></AccessControlPolicy>";
    let mut w = XmlWriter::new();
    w.start("AccessControlPolicy", &[S3_NS]);
    w.start("AccessControlList", &[]);
    w.start("Grant", &[]);
    w.start("Grantee", &[XSI_NS, ("xsi:type", "")]);
    w.end("Grantee");
    w.end("Grant");
    w.end("AccessControlList");
    w.start("Owner", &[]);
    w.end("Owner");
    w.end("AccessControlPolicy");
    assert_eq!(as_str(w.finish()), EXPECTED);
}

/// `delete_objects(Delete={'Objects': [{'Key': 'a\r\nb.txt'}, {'Key': 'x&y<z>',
/// 'VersionId': 'v1'}, {'Key': 'line\nfeed'}], 'Quiet': True})`: botocore's
/// `escape_xml_payload` turns `\r` and `\n` into `&#xD;` and `&#xA;`.
#[test]
fn delete_objects_escapes_newlines_like_botocore() {
    const EXPECTED: &str = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a&#xD;&#xA;b.txt</Key></Object><Object><Key>x&amp;y&lt;z&gt;</Key><VersionId>v1</VersionId></Object><Object><Key>line&#xA;feed</Key></Object><Quiet>true</Quiet></Delete>";
    let mut w = XmlWriter::new_escaping_newlines();
    w.start("Delete", &[S3_NS]);
    for (key, version) in [("a\r\nb.txt", None), ("x&y<z>", Some("v1")), ("line\nfeed", None)] {
        w.start("Object", &[]);
        w.text_element("Key", key);
        if let Some(version) = version {
            w.text_element("VersionId", version);
        }
        w.end("Object");
    }
    w.text_element("Quiet", "true");
    w.end("Delete");
    assert_eq!(as_str(w.finish()), EXPECTED);
}

/// `delete_objects(Delete={'Objects': [{'Key': '\t"\'&'}]})`: the newline escaping leaves
/// tabs and quotes alone.
#[test]
fn newline_escaping_leaves_other_characters() {
    const EXPECTED: &str = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>\t\"'&amp;</Key></Object></Delete>";
    let mut w = XmlWriter::new_escaping_newlines();
    w.start("Delete", &[S3_NS]);
    w.start("Object", &[]);
    w.text_element("Key", "\t\"'&");
    w.end("Object");
    w.end("Delete");
    assert_eq!(as_str(w.finish()), EXPECTED);
}

/// `put_bucket_lifecycle_configuration` with three rules (IDs and prefixes holding `\n`
/// and `\r`, an `And` filter with a tag, an empty `Filter={}`, a false boolean).
#[test]
fn put_bucket_lifecycle_configuration_matches_botocore() {
    const EXPECTED: &str = "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>r1&#xA;x</ID><Filter><Prefix>logs/&#xD;</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration><Transition><Days>10</Days><StorageClass>GLACIER</StorageClass></Transition></Rule><Rule><ID>r2</ID><Filter><And><Prefix>p</Prefix><Tag><Key>k</Key><Value>v</Value></Tag><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></And></Filter><Status>Disabled</Status><NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule><Rule><Filter /><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration></Rule></LifecycleConfiguration>";
    let mut w = XmlWriter::new_escaping_newlines();
    w.start("LifecycleConfiguration", &[S3_NS]);

    w.start("Rule", &[]);
    w.text_element("ID", "r1\nx");
    w.start("Filter", &[]);
    w.text_element("Prefix", "logs/\r");
    w.end("Filter");
    w.text_element("Status", "Enabled");
    w.start("Expiration", &[]);
    w.text_element("Days", "30");
    w.end("Expiration");
    w.start("Transition", &[]);
    w.text_element("Days", "10");
    w.text_element("StorageClass", "GLACIER");
    w.end("Transition");
    w.end("Rule");

    w.start("Rule", &[]);
    w.text_element("ID", "r2");
    w.start("Filter", &[]);
    w.start("And", &[]);
    w.text_element("Prefix", "p");
    w.start("Tag", &[]);
    w.text_element("Key", "k");
    w.text_element("Value", "v");
    w.end("Tag");
    w.text_element("ObjectSizeGreaterThan", "5");
    w.end("And");
    w.end("Filter");
    w.text_element("Status", "Disabled");
    w.start("NoncurrentVersionExpiration", &[]);
    w.text_element("NoncurrentDays", "3");
    w.end("NoncurrentVersionExpiration");
    w.start("AbortIncompleteMultipartUpload", &[]);
    w.text_element("DaysAfterInitiation", "7");
    w.end("AbortIncompleteMultipartUpload");
    w.end("Rule");

    w.start("Rule", &[]);
    w.start("Filter", &[]);
    w.end("Filter");
    w.text_element("Status", "Enabled");
    w.start("Expiration", &[]);
    w.text_element("ExpiredObjectDeleteMarker", "false");
    w.end("Expiration");
    w.end("Rule");

    w.end("LifecycleConfiguration");
    assert_eq!(as_str(w.finish()), EXPECTED);
}

#[test]
fn no_declaration_and_empty_writer() {
    assert_eq!(XmlWriter::new().finish(), b"");
    let mut w = XmlWriter::default();
    w.text_element("A", "1");
    assert_eq!(w.finish(), b"<A>1</A>");
}

#[test]
fn text_method_and_empty_text() {
    let mut w = XmlWriter::new();
    w.start("A", &[]);
    w.text("");
    w.end("A");
    w.start("B", &[]);
    w.text("x<");
    w.text("y");
    w.end("B");
    assert_eq!(as_str(w.finish()), "<A /><B>x&lt;y</B>");
}

/// Misuse never panics; the output is just what was asked for.
#[test]
fn unbalanced_calls_do_not_panic() {
    let mut w = XmlWriter::new();
    w.end("X");
    w.start("A", &[("k", "v")]);
    assert_eq!(as_str(w.finish()), "</X><A k=\"v\" />");
    let mut w = XmlWriter::new();
    w.text("loose & text\r\n");
    assert_eq!(as_str(w.finish()), "loose &amp; text\r\n");
}

/// Why botocore escapes newlines for keys: a raw `\r\n` reads back as `\n`, the escaped
/// form reads back unchanged.
#[test]
fn escaped_newlines_survive_parsing() {
    for (mut w, expected) in
        [(XmlWriter::new(), "a\nb\nc"), (XmlWriter::new_escaping_newlines(), "a\r\nb\rc")]
    {
        w.text_element("Key", "a\r\nb\rc");
        let bytes = w.finish();
        let doc = parse(&bytes).expect("parses");
        assert_eq!(text(doc.root_element()), expected);
    }
}
