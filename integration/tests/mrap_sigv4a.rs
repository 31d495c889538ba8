//! Multi-region access points end to end: a bucket given as an MRAP ARN resolves (by the
//! generated endpoint rules) to the `sigv4a` auth scheme, and the requests the client
//! sends are accepted by a loopback stub that checks their SigV4a signatures the way S3
//! would: it rebuilds the canonical request from what arrived (S3 rules: path and query
//! as sent, the headers `SignedHeaders` names, `X-Amz-Content-SHA256` as the payload hash,
//! which must match the body), the region-less scope and the string to sign, and verifies
//! the ECDSA signature with the public key derived from the secret it knows.
//!
//! The rules ignore a custom endpoint for MRAPs (an MRAP is always
//! `https://<alias>.accesspoint.s3-global.amazonaws.com`), so the client is given a
//! transport ([`Loopback`]) that sends every request to the stub over plain HTTP while
//! keeping the `Host` that was signed, as a DNS override would.
//!
//! Bad input — a malformed MRAP ARN, credentials that cannot derive a SigV4a key, an
//! S3 Express bucket name the rules reject — fails before anything is sent.
//!
//! The derivation and the verification are the ones the SigV4a vector suite checks
//! (`runtime/tests/sigv4a_vectors.rs`); the stub's canonicalization is its own.

use std::sync::{Arc, Mutex};

use s3::primitives::ByteStream;
use s3::{Client, Config};
use s3_runtime::credentials::Credentials;
use s3_runtime::sigv4::v4a;
use s3_runtime::transport::{BoxFuture, DispatchError, HttpClient, HyperClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MRAP: &str = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";
const AKID: &str = "AKIDMRAPTEST";
const SECRET: &str = "mrap-test-secret-key";

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    host: String,
    target: String,
    region_set: String,
    verdict: Result<(), String>,
}

struct Stub {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stub {
    async fn start() -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, &log).await;
                });
            }
        });
        Stub { port, seen, task }
    }

    fn config(&self, credentials: Credentials) -> s3::config::ConfigBuilder {
        Config::builder()
            .region("us-east-1")
            .credentials(credentials)
            .max_attempts(1)
            .http_client(Loopback { port: self.port, inner: HyperClient::new(&Default::default()) })
    }

    fn client(&self, credentials: Credentials) -> Client {
        Client::from_conf(self.config(credentials).build())
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Sends every request to `127.0.0.1:port` over plain HTTP, with the `Host` of its URL.
#[derive(Debug)]
struct Loopback {
    port: u16,
    inner: HyperClient,
}

impl HttpClient for Loopback {
    fn call(&self, mut request: http::Request<ByteStream>) -> BoxFuture<'_, Result<http::Response<ByteStream>, DispatchError>> {
        let host = request.uri().authority().map(|a| a.to_string()).unwrap_or_default();
        let path = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into());
        *request.uri_mut() = format!("http://127.0.0.1:{}{path}", self.port).parse().unwrap();
        request.headers_mut().insert("host", host.parse().unwrap());
        self.inner.call(request)
    }
}

async fn serve(mut socket: TcpStream, log: &Mutex<Vec<Seen>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned())).collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let len: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = buf.split_off(head_end + 4);
    while body.len() < len {
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let verdict = verify(&method, &target, &headers, &body);
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        host: header("host").unwrap_or_default(),
        target: target.clone(),
        region_set: header("x-amz-region-set").unwrap_or_default(),
        verdict: verdict.clone(),
    });
    let (status, body) = match (&verdict, method.as_str()) {
        (Err(why), _) => (
            403,
            format!("<Error><Code>SignatureDoesNotMatch</Code><Message>{why}</Message><RequestId>stub</RequestId></Error>"),
        ),
        (Ok(()), "GET") if target.contains("list-type=2") => (
            200,
            "<ListBucketResult><Name>mfzwi23gnjvgw.mrap</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>\
             <Contents><Key>k</Key><Size>5</Size></Contents></ListBucketResult>"
                .to_owned(),
        ),
        (Ok(()), "GET") => (200, "hello".to_owned()),
        (Ok(()), _) => (200, String::new()),
    };
    let out = format!(
        "HTTP/1.1 {status} Stub\r\nContent-Length: {}\r\nConnection: close\r\nx-amz-request-id: stub\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(out.as_bytes()).await?;
    socket.shutdown().await
}

/// Checks a request's SigV4a signature as S3 would, with the key of `AKID`/`SECRET`.
fn verify(method: &str, target: &str, headers: &[(String, String)], body: &[u8]) -> Result<(), String> {
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let auth = header("authorization").ok_or("no Authorization header")?;
    let rest = auth.strip_prefix("AWS4-ECDSA-P256-SHA256 ").ok_or_else(|| format!("not SigV4a: {auth}"))?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("bad Authorization part {part:?}")),
        }
    }
    let (credential, signed_headers, signature) =
        (credential.ok_or("no Credential")?, signed_headers.ok_or("no SignedHeaders")?, signature.ok_or("no Signature")?);
    let (akid, scope) = credential.split_once('/').ok_or("bad Credential")?;
    if akid != AKID {
        return Err(format!("unknown access key {akid}"));
    }
    let scope_parts: Vec<&str> = scope.split('/').collect();
    if scope_parts.len() != 3 || scope_parts[1] != "s3" || scope_parts[2] != "aws4_request" {
        return Err(format!("the scope {scope:?} is not DATE/s3/aws4_request"));
    }
    let date = header("x-amz-date").ok_or("no X-Amz-Date")?;
    if !date.starts_with(scope_parts[0]) {
        return Err("X-Amz-Date and the scope's date differ".into());
    }
    let names: Vec<&str> = signed_headers.split(';').collect();
    for required in ["host", "x-amz-date", "x-amz-region-set", "x-amz-content-sha256"] {
        if !names.contains(&required) {
            return Err(format!("{required} is not signed"));
        }
    }
    let payload = header("x-amz-content-sha256").ok_or("no X-Amz-Content-SHA256")?;
    if payload != "UNSIGNED-PAYLOAD" && payload != sha256_hex(body) {
        return Err("X-Amz-Content-SHA256 does not match the body".into());
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| if p.contains('=') { p.to_owned() } else { format!("{p}=") })
        .collect();
    pairs.sort();
    let mut canonical_headers = String::new();
    for name in &names {
        let values: Vec<String> = headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() {
            return Err(format!("signed header {name} was not sent"));
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical = format!("{method}\n{path}\n{}\n{canonical_headers}\n{signed_headers}\n{payload}", pairs.join("&"));
    let string_to_sign = format!("AWS4-ECDSA-P256-SHA256\n{date}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
    let key = v4a::public_key(&Credentials::new(AKID, SECRET, None)).map_err(|e| e.to_string())?;
    if v4a::verify(&key, string_to_sign.as_bytes(), signature) {
        Ok(())
    } else {
        Err("the signature does not verify with the key of the secret".into())
    }
}

/// The error and its sources, one per line.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(next) = source {
        out.push('\n');
        out.push_str(&next.to_string());
        source = next.source();
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn mrap_requests_are_signed_with_sigv4a_and_accepted() {
    let stub = Stub::start().await;
    let client = stub.client(Credentials::new(AKID, SECRET, None));

    let put = client.put_object().bucket(MRAP).key("k").body(ByteStream::from_static(b"hello")).send().await;
    put.expect("PutObject through the MRAP");
    let get = client.get_object().bucket(MRAP).key("k").send().await.expect("GetObject through the MRAP");
    assert_eq!(get.body.unwrap().collect().await.unwrap(), b"hello".to_vec());
    let list = client.list_objects_v2().bucket(MRAP).send().await.expect("ListObjectsV2 through the MRAP");
    assert_eq!(list.key_count, Some(1));

    let seen = stub.seen();
    assert_eq!(seen.len(), 3, "{seen:#?}");
    for request in &seen {
        assert_eq!(request.verdict, Ok(()), "{request:#?}");
        assert_eq!(request.host, "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com", "{request:#?}");
        assert_eq!(request.region_set, "*");
    }
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].target, "/k");
}

#[tokio::test]
async fn configured_region_set_is_signed() {
    let stub = Stub::start().await;
    let client =
        Client::from_conf(stub.config(Credentials::new(AKID, SECRET, None)).sigv4a_signing_region_set("us-west-2,us-east-1").build());
    client.get_object().bucket(MRAP).key("k").send().await.unwrap();
    let seen = stub.seen();
    assert_eq!(seen[0].region_set, "us-west-2,us-east-1");
    assert_eq!(seen[0].verdict, Ok(()));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_stub() {
    let stub = Stub::start().await;
    let client = stub.client(Credentials::new(AKID, "not-the-secret", None));
    let err = client.get_object().bucket(MRAP).key("k").send().await.unwrap_err();
    let seen = stub.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].verdict, Err("the signature does not verify with the key of the secret".into()));
    assert!(format!("{err:?}").contains("SignatureDoesNotMatch"), "{err:?}");
}

#[tokio::test]
async fn bad_input_fails_before_sending() {
    let stub = Stub::start().await;
    // Credentials that cannot derive a SigV4a key.
    let client = stub.client(Credentials::new(AKID, "", None));
    let err = client.get_object().bucket(MRAP).key("k").send().await.unwrap_err();
    let shown = error_chain(&err);
    assert!(shown.contains("cannot derive a SigV4a signing key: the secret access key is empty"), "{shown}");
    // A malformed MRAP ARN.
    let client = stub.client(Credentials::new(AKID, SECRET, None));
    let err =
        client.get_object().bucket("arn:aws:s3::123456789012:accesspoint:my_endpoint").key("k").send().await.unwrap_err();
    let shown = error_chain(&err);
    assert!(shown.contains("Invalid Access Point Name"), "{shown}");
    // Express bucket names the rules reject.
    for (bucket, message) in [
        ("my.bucket--use1-az4--x-s3", "S3Express bucket name is not a valid virtual hostable name."),
        ("mybucket--usaz1--x-s3", "Unrecognized S3Express bucket name format."),
    ] {
        let err = client.get_object().bucket(bucket).key("k").send().await.unwrap_err();
        let shown = error_chain(&err);
        assert!(shown.contains(message), "{bucket}: {shown}");
    }
    assert!(stub.seen().is_empty());
}

