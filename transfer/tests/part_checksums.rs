//! Where a file part's checksum goes, as botocore decides it: over TLS in an
//! `aws-chunked` trailer computed while the part streams from the file; over plain HTTP
//! in an `x-amz-checksum-*` header, computed by reading the part first. Both carry the
//! same value. The mock
//! transport records the requests as sent (signed, framing included).

use s3::{Client, Config};
use s3_runtime::checksum::Algorithm;
use s3_runtime::test_util::{MockResponse, MockTransport, RecordedRequest};
use s3_runtime::Credentials;
use s3_transfer::{TransferConfig, TransferManager, UploadArgs, MIB};

const SIZE: usize = 5 * MIB as usize + 123_457;

fn data() -> Vec<u8> {
    (0..SIZE as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect()
}

/// Uploads `SIZE` bytes as 5 MiB parts through `endpoint` (the mock answers each part
/// with an ETag).
async fn upload(endpoint: &str, algorithm: Option<s3::types::ChecksumAlgorithm>) -> (Vec<RecordedRequest>, Vec<u8>) {
    let mock = MockTransport::new()
        .on("CreateMultipartUpload", [MockResponse::ok().body(
            "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>",
        )])
        .on_request(|r| r.method == "PUT", (1..=2).map(|n| MockResponse::ok().header("etag", format!("\"e{n}\""))))
        .on("CompleteMultipartUpload", [MockResponse::ok().body(
            "<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>\"x-2\"</ETag></CompleteMultipartUploadResult>",
        )]);
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .force_path_style(true)
        .credentials(Credentials::new("AKID", "SECRET", None))
        .http_client(mock.clone())
        .build();
    let tm = TransferManager::new(Client::from_conf(config))
        .with_config(TransferConfig::default().multipart_threshold(5 * MIB).multipart_chunksize(5 * MIB));
    let dir = std::env::temp_dir().join(format!("s3-transfer-part-checksums-{}-{}", std::process::id(), endpoint.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.bin");
    let bytes = data();
    std::fs::write(&path, &bytes).unwrap();
    let args = UploadArgs { checksum_algorithm: algorithm, ..Default::default() };
    let out = tm.upload_file(&path, "b", "k", &args).await;
    std::fs::remove_dir_all(&dir).unwrap();
    let out = out.unwrap();
    assert_eq!((out.parts, out.size), (2, SIZE as u64));
    (mock.requests(), bytes)
}

fn parts(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    let mut parts: Vec<_> = requests.iter().filter(|r| r.method == "PUT").collect();
    parts.sort_by_key(|r| r.url.split("partNumber=").nth(1).map(|n| n.split('&').next().unwrap().to_owned()));
    parts
}

/// The data of an `aws-chunked` body and its trailer lines.
fn decode_chunked(body: &[u8]) -> (Vec<u8>, Vec<String>) {
    let (mut data, mut rest) = (Vec::new(), body);
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").expect("a chunk size line");
        let len = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
        rest = &rest[line_end + 2..];
        if len == 0 {
            let trailer = String::from_utf8(rest.to_vec()).unwrap();
            return (data, trailer.split("\r\n").filter(|l| !l.is_empty()).map(str::to_owned).collect());
        }
        data.extend_from_slice(&rest[..len]);
        assert_eq!(&rest[len..len + 2], b"\r\n");
        rest = &rest[len + 2..];
    }
}

#[tokio::test]
async fn over_tls_the_checksum_is_a_trailer_computed_while_streaming() {
    let (requests, bytes) = upload("https://s3.example.com", None).await;
    let parts = parts(&requests);
    assert_eq!(parts.len(), 2);
    for (part, slice) in parts.iter().zip([&bytes[..5 * MIB as usize], &bytes[5 * MIB as usize..]]) {
        assert_eq!(part.header("content-encoding"), Some("aws-chunked"));
        assert_eq!(part.header("x-amz-trailer"), Some("x-amz-checksum-crc32"));
        assert_eq!(part.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
        assert_eq!(part.header("x-amz-content-sha256"), Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
        assert_eq!(part.header("x-amz-decoded-content-length"), Some(slice.len().to_string().as_str()));
        assert_eq!(part.header("x-amz-checksum-crc32"), None);
        let (data, trailer) = decode_chunked(&part.body);
        assert!(data == *slice, "the part's bytes");
        assert_eq!(trailer, [format!("x-amz-checksum-crc32:{}", Algorithm::Crc32.checksum(slice))]);
    }
}

#[tokio::test]
async fn over_plain_http_the_checksum_is_a_header_computed_first() {
    let (requests, bytes) = upload("http://127.0.0.1:9", Some(s3::types::ChecksumAlgorithm::Sha256)).await;
    let parts = parts(&requests);
    assert_eq!(parts.len(), 2);
    for (part, slice) in parts.iter().zip([&bytes[..5 * MIB as usize], &bytes[5 * MIB as usize..]]) {
        assert_eq!(part.header("content-encoding"), None);
        assert_eq!(part.header("x-amz-trailer"), None);
        assert_eq!(part.header("x-amz-sdk-checksum-algorithm"), Some("SHA256"));
        assert_eq!(part.header("x-amz-checksum-sha256"), Some(Algorithm::Sha256.checksum(slice).as_str()));
        assert_eq!(part.header("content-length"), Some(slice.len().to_string().as_str()));
        assert!(part.body == *slice, "the part's bytes, unframed");
    }
    let complete = requests.iter().find(|r| r.method == "POST" && r.url.contains("uploadId=U1")).expect("CompleteMultipartUpload");
    let body = complete.body_text();
    assert!(body.contains("<ETag>\"e1\"</ETag>") && body.contains("<PartNumber>2</PartNumber>"), "{body}");
}
