//! Which certificate authorities the default client trusts: the Mozilla roots compiled
//! in (`webpki-roots`, the default), the platform's store (`native_roots`, with the
//! `native-roots` feature), or a PEM bundle instead of either (`AWS_CA_BUNDLE`,
//! `ca_bundle` in the shared config, or the config setter), as botocore uses a bundle
//! instead of certifi's. PEM is read by rustls' own parser (`rustls-pki-types`).

use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

/// The root store for `settings`, or why it cannot be built (naming the bundle file).
pub(crate) fn root_store(settings: &crate::transport::TransportSettings) -> Result<RootCertStore, String> {
    if let Some(path) = &settings.ca_bundle {
        return bundle(path);
    }
    if settings.native_roots {
        return native();
    }
    Ok(RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() })
}

/// The certificates of a PEM bundle file.
fn bundle(path: &Path) -> Result<RootCertStore, String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the CA bundle {shown}: {e}"))?;
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| format!("the CA bundle {shown} is not valid PEM: {e}"))?;
        store.add(cert).map_err(|e| format!("the CA bundle {shown} holds a certificate rustls refuses: {e}"))?;
    }
    if store.is_empty() {
        return Err(format!("the CA bundle {shown} holds no PEM certificate"));
    }
    Ok(store)
}

#[cfg(feature = "native-roots")]
fn native() -> Result<RootCertStore, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut store = RootCertStore::empty();
    let (added, _ignored) = store.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found.errors.first().map(|e| format!(": {e}")).unwrap_or_default();
        return Err(format!("no certificate authority found in the platform's store{why}"));
    }
    Ok(store)
}

#[cfg(not(feature = "native-roots"))]
fn native() -> Result<RootCertStore, String> {
    Err("`native_roots` needs the `native-roots` feature of s3-runtime (and s3)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::TransportSettings;

    #[test]
    fn a_missing_or_empty_bundle_is_an_error_naming_the_file() {
        let settings = |path: &str| TransportSettings { ca_bundle: Some(path.into()), ..TransportSettings::default() };
        let err = root_store(&settings("/nonexistent/bundle.pem")).unwrap_err();
        assert!(err.starts_with("cannot read the CA bundle /nonexistent/bundle.pem: "), "{err}");
        let dir = std::env::temp_dir().join(format!("s3-trust-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = root_store(&settings(empty.to_str().unwrap())).unwrap_err();
        assert_eq!(err, format!("the CA bundle {} holds no PEM certificate", empty.display()));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
