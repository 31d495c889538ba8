//! Proxies and trust of the default HTTP client: a loopback TLS server whose certificate
//! is signed by a CA made in the test (`rcgen`), trusted only through a CA bundle file;
//! and a loopback proxy started here that records what it is asked (`CONNECT` targets,
//! absolute-form request lines, `Proxy-Authorization`) and tunnels `CONNECT`s.

use std::sync::{Arc, Mutex};

use s3_runtime::proxy::ProxyConfig;
use s3_runtime::transport::DispatchErrorKind;
use s3_runtime::SdkError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A CA, and a TLS server for `localhost` with a certificate it signed, answering every
/// request with `200 hello`. Returns the CA's PEM, the server's port and its
/// connection count.
async fn tls_server() -> (String, u16, Arc<Mutex<usize>>) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "s3 test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap().signed_by(&key, &issuer).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            *counted.lock().unwrap() += 1;
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let _ = read_head(&mut tls).await;
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\nx-amz-request-id: tls\r\n\r\nhello").await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (ca.pem(), port, connections)
}

async fn read_head<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// A loopback proxy: a `CONNECT` is recorded and tunnelled; any other request is
/// recorded (its request line and `Proxy-Authorization`) and answered `200 proxied`.
async fn proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let recorded = Arc::clone(&recorded);
            tokio::spawn(async move {
                let Ok(head) = read_head(&mut socket).await else { return };
                let line = head.lines().next().unwrap_or_default().to_owned();
                let auth = head
                    .lines()
                    .find_map(|l| l.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case("proxy-authorization")))
                    .map(|(_, v)| v.trim().to_owned());
                recorded.lock().unwrap().push(format!("{line} | auth: {}", auth.as_deref().unwrap_or("none")));
                if let Some(target) = line.strip_prefix("CONNECT ").and_then(|rest| rest.split(' ').next()) {
                    let Ok(mut upstream) = TcpStream::connect(target.replace("localhost", "127.0.0.1")).await else { return };
                    let _ = socket.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await;
                    let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
                } else {
                    let _ = socket
                        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\nx-amz-request-id: p\r\n\r\nproxied")
                        .await;
                }
            });
        }
    });
    (port, seen)
}

fn config(endpoint: String) -> s3::config::ConfigBuilder {
    s3::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .force_path_style(true)
        .max_attempts(1)
        .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
        .proxy(ProxyConfig::none())
}

fn bundle_file(name: &str, pem: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("s3-proxy-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pem).unwrap();
    path
}

async fn get(config: s3::config::ConfigBuilder) -> Result<Vec<u8>, SdkError<s3::operation::get_object::GetObjectError>> {
    let client = s3::Client::from_conf(config.build());
    let out = client.get_object().bucket("b").key("k").send().await?;
    Ok(out.body.unwrap().collect().await.unwrap().to_vec())
}

fn dispatch_kind<E>(err: &SdkError<E>) -> Option<DispatchErrorKind> {
    match err {
        SdkError::Dispatch(send) => match &**send {
            s3_runtime::orchestrator::SendError::Dispatch(d) => Some(d.kind()),
            _ => None,
        },
        _ => None,
    }
}

#[tokio::test]
async fn a_ca_bundle_is_trusted_instead_of_the_built_in_roots() {
    let (ca, port, _) = tls_server().await;
    let url = format!("https://localhost:{port}");
    // The built-in roots do not know the test CA.
    let err = get(config(url.clone())).await.unwrap_err();
    assert_eq!(dispatch_kind(&err), Some(DispatchErrorKind::Connect), "{err:?}");
    // With the bundle, the handshake succeeds.
    let path = bundle_file("ca.pem", &ca);
    assert_eq!(get(config(url.clone()).ca_bundle(&path)).await.unwrap(), b"hello");
    // `AWS_CA_BUNDLE` / the profile's `ca_bundle`, through `from_shared`.
    let mut shared = s3_runtime::config::SharedConfig::default();
    shared.ca_bundle = Some(path.to_string_lossy().into_owned());
    let from_shared = s3::Config::from_shared(&shared)
        .region("us-east-1")
        .endpoint_url(url)
        .force_path_style(true)
        .credentials(s3_runtime::Credentials::new("AKID", "SECRET", None))
        .proxy(ProxyConfig::none());
    assert_eq!(get(from_shared).await.unwrap(), b"hello");
}

#[tokio::test]
async fn a_bad_bundle_fails_every_request_naming_the_file_without_connecting() {
    let (_, port, connections) = tls_server().await;
    let url = format!("https://localhost:{port}");
    let err = get(config(url.clone()).max_attempts(3).ca_bundle("/nonexistent/ca.pem")).await.unwrap_err();
    assert_eq!(dispatch_kind(&err), Some(DispatchErrorKind::Config), "{err:?}");
    assert!(err.to_string().contains("cannot read the CA bundle /nonexistent/ca.pem"), "{err}");
    let not_pem = bundle_file("not-pem.pem", "hello\n");
    let err = get(config(url).ca_bundle(&not_pem)).await.unwrap_err();
    assert!(err.to_string().contains(&format!("the CA bundle {} holds no PEM certificate", not_pem.display())), "{err}");
    assert_eq!(*connections.lock().unwrap(), 0);
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_basic_auth() {
    let (ca, port, _) = tls_server().await;
    let (proxy_port, seen) = proxy().await;
    let path = bundle_file("tunnel-ca.pem", &ca);
    let proxies = ProxyConfig::none().https(format!("http://user:p%40ss@127.0.0.1:{proxy_port}"));
    let body = get(config(format!("https://localhost:{port}")).ca_bundle(&path).proxy(proxies)).await.unwrap();
    assert_eq!(body, b"hello");
    // `user:p@ss`, percent-decoded, in base64.
    assert_eq!(*seen.lock().unwrap(), [format!("CONNECT localhost:{port} HTTP/1.1 | auth: Basic dXNlcjpwQHNz")]);
}

#[tokio::test]
async fn http_goes_to_the_proxy_in_absolute_form_and_no_proxy_bypasses_it() {
    let (proxy_port, seen) = proxy().await;
    let proxy_url = format!("http://127.0.0.1:{proxy_port}");
    // Nothing listens on port 9: only the proxy can answer.
    let target = "http://s3.test.invalid:9".to_owned();
    let body = get(config(target.clone()).proxy(ProxyConfig::none().http(&proxy_url))).await.unwrap();
    assert_eq!(body, b"proxied");
    assert_eq!(*seen.lock().unwrap(), ["GET http://s3.test.invalid:9/b/k HTTP/1.1 | auth: none"]);
    // `no_proxy` names the host: sent directly, and it fails to connect.
    let err = get(config(target).proxy(ProxyConfig::none().http(&proxy_url).no_proxy("test.invalid"))).await.unwrap_err();
    assert_eq!(dispatch_kind(&err), Some(DispatchErrorKind::Connect), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}
