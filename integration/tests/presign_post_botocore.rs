//! Presigned POST forms compared, field by field and byte for byte, with botocore
//! 1.44.8's `generate_presigned_post` (SigV4): a plain key (non-ASCII, escaped in the
//! policy JSON as Python's `json.dumps` does), a `${filename}` key, fields with
//! conditions and `content-length-range`, and a session token. The same inputs, clock
//! (2024-05-06T07:08:09Z), credentials (AKID/SECRET) and expiry (3600 s) go through
//! `Client::presigned_post()`.
//!
//! The expected values were produced by this script (Python 3.11, botocore 1.44.8, the
//! project's `.venv`), one line per case, turned into the constants below:
//!
//! ```text
//! import datetime, json
//! from unittest import mock
//! import botocore.session
//! from botocore.config import Config
//! NOW = datetime.datetime(2024, 5, 6, 7, 8, 9)
//! CASES = [
//!     ('plain_key', 'us-west-2', None, 'diff-bucket', 'dir/key with space \u00fc\u20ac+~.txt', None, None),
//!     ('filename_key', 'us-west-2', None, 'diff-bucket', 'uploads/${filename}', None, None),
//!     ('fields_and_conditions', 'us-east-1', None, 'diff-bucket', 'photos/cat.png',
//!      {'acl': 'private', 'Content-Type': 'image/png', 'x-amz-meta-tag': 'a"b\\c'},
//!      [{'acl': 'private'}, ['starts-with', '$Content-Type', 'image/'], {'x-amz-meta-tag': 'a"b\\c'},
//!       ['content-length-range', 10, 2048]]),
//!     ('session_token', 'eu-central-1', 'SESSION/TOKEN+with=special', 'diff-bucket', 'k', None, None),
//! ]
//! for name, region, token, bucket, key, fields, conditions in CASES:
//!     c = botocore.session.get_session().create_client('s3', region_name=region,
//!         aws_access_key_id='AKID', aws_secret_access_key='SECRET', aws_session_token=token,
//!         config=Config(signature_version='s3v4', s3={'addressing_style': 'virtual'}))
//!     with mock.patch('botocore.signers.get_current_datetime', return_value=NOW), \
//!             mock.patch('botocore.auth.get_current_datetime', return_value=NOW):
//!         r = c.generate_presigned_post(bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=3600)
//!     print(name, json.dumps(r, ensure_ascii=False))
//! ```
//!
//! The URL is compared too, except in us-east-1: botocore's default (`legacy`) sends
//! us-east-1 requests to the global endpoint `s3.amazonaws.com`, where this client uses
//! the regional one, as for `send()`.

use std::time::{Duration, UNIX_EPOCH};

use s3::{Client, Config};
use s3_runtime::presign::{PostCondition, PresignedPostBuilder};
use s3_runtime::Credentials;

fn client(region: &str, token: Option<&str>) -> Client {
    Client::from_conf(
        Config::builder()
            .region(region)
            .credentials(Credentials::new("AKID", "SECRET", token.map(str::to_owned)))
            .build(),
    )
}

fn check(builder: PresignedPostBuilder, url: Option<&str>, expected: &[(&str, &str)]) {
    let builder = builder.start_time(UNIX_EPOCH + Duration::from_secs(1_714_979_289)).expires_in(Duration::from_secs(3600));
    let post = tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(builder.presign()).unwrap();
    let fields: Vec<(&str, &str)> = post.fields().iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(fields, expected);
    if let Some(url) = url {
        assert_eq!(post.url(), url);
    }
}

#[test]
fn plain_key() {
    check(client("us-west-2", None).presigned_post().bucket("diff-bucket").key("dir/key with space ü€+~.txt"), Some(PLAIN_KEY_URL), PLAIN_KEY);
}

#[test]
fn filename_key() {
    check(client("us-west-2", None).presigned_post().bucket("diff-bucket").key("uploads/${filename}"), Some(FILENAME_KEY_URL), FILENAME_KEY);
}

#[test]
fn fields_and_conditions() {
    let builder = client("us-east-1", None)
        .presigned_post()
        .bucket("diff-bucket")
        .key("photos/cat.png")
        .field("acl", "private")
        .field("Content-Type", "image/png")
        .field("x-amz-meta-tag", "a\"b\\c")
        .condition(PostCondition::exact("acl", "private"))
        .condition(PostCondition::starts_with("$Content-Type", "image/"))
        .condition(PostCondition::exact("x-amz-meta-tag", "a\"b\\c"))
        .condition(PostCondition::content_length_range(10, 2048));
    assert_eq!(FIELDS_AND_CONDITIONS_URL, "https://diff-bucket.s3.amazonaws.com/");
    check(builder, None, FIELDS_AND_CONDITIONS);
}

#[test]
fn session_token() {
    check(
        client("eu-central-1", Some("SESSION/TOKEN+with=special")).presigned_post().bucket("diff-bucket").key("k"),
        Some(SESSION_TOKEN_URL),
        SESSION_TOKEN,
    );
}

// plain_key
const PLAIN_KEY_URL: &str = "https://diff-bucket.s3.us-west-2.amazonaws.com/";
const PLAIN_KEY: &[(&str, &str)] = &[
    ("key", "dir/key with space ü€+~.txt"),
    ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
    ("x-amz-credential", "AKID/20240506/us-west-2/s3/aws4_request"),
    ("x-amz-date", "20240506T070809Z"),
    ("policy", "eyJleHBpcmF0aW9uIjogIjIwMjQtMDUtMDZUMDg6MDg6MDlaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAiZGlmZi1idWNrZXQifSwgeyJrZXkiOiAiZGlyL2tleSB3aXRoIHNwYWNlIFx1MDBmY1x1MjBhYyt+LnR4dCJ9LCB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sIHsieC1hbXotY3JlZGVudGlhbCI6ICJBS0lELzIwMjQwNTA2L3VzLXdlc3QtMi9zMy9hd3M0X3JlcXVlc3QifSwgeyJ4LWFtei1kYXRlIjogIjIwMjQwNTA2VDA3MDgwOVoifV19"),
    ("x-amz-signature", "22965f1df1804b67c3e3011dcd830145cad41184550b17ff5327d4aab3ce3de1"),
];
// filename_key
const FILENAME_KEY_URL: &str = "https://diff-bucket.s3.us-west-2.amazonaws.com/";
const FILENAME_KEY: &[(&str, &str)] = &[
    ("key", "uploads/${filename}"),
    ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
    ("x-amz-credential", "AKID/20240506/us-west-2/s3/aws4_request"),
    ("x-amz-date", "20240506T070809Z"),
    ("policy", "eyJleHBpcmF0aW9uIjogIjIwMjQtMDUtMDZUMDg6MDg6MDlaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAiZGlmZi1idWNrZXQifSwgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVwbG9hZHMvIl0sIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUQvMjAyNDA1MDYvdXMtd2VzdC0yL3MzL2F3czRfcmVxdWVzdCJ9LCB7IngtYW16LWRhdGUiOiAiMjAyNDA1MDZUMDcwODA5WiJ9XX0="),
    ("x-amz-signature", "6e381cf107ec0bfb15ef2f5cd696ba8b29a4265ffd0b3dd25a7c03975e931318"),
];
// fields_and_conditions
const FIELDS_AND_CONDITIONS_URL: &str = "https://diff-bucket.s3.amazonaws.com/";
const FIELDS_AND_CONDITIONS: &[(&str, &str)] = &[
    ("acl", "private"),
    ("Content-Type", "image/png"),
    ("x-amz-meta-tag", "a\"b\\c"),
    ("key", "photos/cat.png"),
    ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
    ("x-amz-credential", "AKID/20240506/us-east-1/s3/aws4_request"),
    ("x-amz-date", "20240506T070809Z"),
    ("policy", "eyJleHBpcmF0aW9uIjogIjIwMjQtMDUtMDZUMDg6MDg6MDlaIiwgImNvbmRpdGlvbnMiOiBbeyJhY2wiOiAicHJpdmF0ZSJ9LCBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sIHsieC1hbXotbWV0YS10YWciOiAiYVwiYlxcYyJ9LCBbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwgMTAsIDIwNDhdLCB7ImJ1Y2tldCI6ICJkaWZmLWJ1Y2tldCJ9LCB7ImtleSI6ICJwaG90b3MvY2F0LnBuZyJ9LCB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sIHsieC1hbXotY3JlZGVudGlhbCI6ICJBS0lELzIwMjQwNTA2L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwgeyJ4LWFtei1kYXRlIjogIjIwMjQwNTA2VDA3MDgwOVoifV19"),
    ("x-amz-signature", "8ff1336cf064765846d7dd9e8a6127d1b1a8d40484ae73334d7e42d7ee7d21ca"),
];
// session_token
const SESSION_TOKEN_URL: &str = "https://diff-bucket.s3.eu-central-1.amazonaws.com/";
const SESSION_TOKEN: &[(&str, &str)] = &[
    ("key", "k"),
    ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
    ("x-amz-credential", "AKID/20240506/eu-central-1/s3/aws4_request"),
    ("x-amz-date", "20240506T070809Z"),
    ("x-amz-security-token", "SESSION/TOKEN+with=special"),
    ("policy", "eyJleHBpcmF0aW9uIjogIjIwMjQtMDUtMDZUMDg6MDg6MDlaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAiZGlmZi1idWNrZXQifSwgeyJrZXkiOiAiayJ9LCB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0sIHsieC1hbXotY3JlZGVudGlhbCI6ICJBS0lELzIwMjQwNTA2L2V1LWNlbnRyYWwtMS9zMy9hd3M0X3JlcXVlc3QifSwgeyJ4LWFtei1kYXRlIjogIjIwMjQwNTA2VDA3MDgwOVoifSwgeyJ4LWFtei1zZWN1cml0eS10b2tlbiI6ICJTRVNTSU9OL1RPS0VOK3dpdGg9c3BlY2lhbCJ9XX0="),
    ("x-amz-signature", "89609c4c025395ec78a958ac90b668c29ccdd36dfc427a8b5d7c876b14a2bc67"),
];
