//! Issue 13: the CLI over HTTPS against the real `sr serve --tls-*`, with a private CA made
//! here by rcgen: trusted with --ca-cert, refused with a wrong CA or an expired certificate,
//! and mutual TLS with --client-cert/--client-key against `--tls-client-ca`.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

use crate::common::{assert_code, sr, sr_env, stderr, stdout, write, V1};
use crate::server::Server;

/// A certificate authority that signs server and client certificates into a folder.
struct Ca {
    params: CertificateParams,
    key: KeyPair,
    pem: String,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        Ca { params, key, pem }
    }

    /// Writes `NAME.pem` and `NAME.key` into `dir`: a leaf for 127.0.0.1 and localhost.
    fn issue(&self, dir: &Path, name: &str, client: bool, expired: bool) -> (PathBuf, PathBuf) {
        let mut params =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.extended_key_usages = vec![if client {
            ExtendedKeyUsagePurpose::ClientAuth
        } else {
            ExtendedKeyUsagePurpose::ServerAuth
        }];
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).unwrap();
        write_pair(dir, name, &cert, &key)
    }

    fn write(&self, dir: &Path, name: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, &self.pem).unwrap();
        p
    }
}

fn https_server(cert: &Path, key: &Path, extra: &[&str]) -> Server {
    let mut args = vec![
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let s = Server::start_with(&args);
    assert!(s.url.starts_with("https://"), "{}", s.url);
    s
}

#[test]
fn issue_13_https_registry_trusted_with_ca_cert_refused_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = Ca::new("sr test CA");
    let ca_pem = ca.write(d, "ca.pem");
    let other = Ca::new("another CA").write(d, "other-ca.pem");
    let (cert, key) = ca.issue(d, "server", false, false);
    let server = https_server(&cert, &key, &[]);
    let url = server.url.as_str();
    write(d, "v1.avsc", V1);

    let ca_arg = ca_pem.to_str().unwrap();
    let out = sr(
        d,
        &[
            "register",
            "v1.avsc",
            "--subject",
            "orders-value",
            "--registry",
            url,
            "--ca-cert",
            ca_arg,
        ],
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "1");
    // The variable does what the flag does.
    let out = sr_env(
        d,
        &["subjects"],
        &[("SR_REGISTRY_URL", url), ("SR_REGISTRY_CA_CERT", ca_arg)],
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "orders-value");

    // The system's roots do not know this CA, and neither does another one.
    for extra in [vec![], vec!["--ca-cert", other.to_str().unwrap()]] {
        let with_ca = !extra.is_empty();
        let mut args = vec!["subjects", "--registry", url, "--timeout", "5"];
        args.extend(extra);
        let out = sr(d, &args);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains(url), "{err}");
        // (A system without any CA certificates says so instead; both point at --ca-cert.)
        if with_ca {
            assert!(err.contains("not signed by a trusted CA"), "{err}");
        }
        assert!(err.contains("--ca-cert"), "{err}");
        assert_eq!(err.lines().count(), 1, "one error line: {err}");
    }
    // A --ca-cert that is not there, or not PEM, is named.
    let out = sr(d, &["subjects", "--registry", url, "--ca-cert", "nope.pem"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("nope.pem"), "{}", stderr(&out));
    let out = sr(d, &["subjects", "--registry", url, "--ca-cert", "v1.avsc"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("no PEM certificate"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn issue_13_an_expired_server_certificate_is_a_clear_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = Ca::new("sr test CA");
    let ca_pem = ca.write(d, "ca.pem");
    let (cert, key) = ca.issue(d, "server", false, true);
    let server = https_server(&cert, &key, &[]);
    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            &server.url,
            "--ca-cert",
            ca_pem.to_str().unwrap(),
            "--timeout",
            "5",
        ],
    );
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains(&server.url), "{err}");
    assert!(err.contains("certificate has expired"), "{err}");
}

#[test]
fn issue_13_mutual_tls_with_client_cert_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = Ca::new("sr test CA");
    let ca_pem = ca.write(d, "ca.pem");
    let (cert, key) = ca.issue(d, "server", false, false);
    let (client_cert, client_key) = ca.issue(d, "ci-client", true, false);
    let stranger = Ca::new("stranger CA");
    let (bad_cert, bad_key) = stranger.issue(d, "stranger", true, false);
    let server = https_server(&cert, &key, &["--tls-client-ca", ca_pem.to_str().unwrap()]);
    let url = server.url.as_str();
    let ca_arg = ca_pem.to_str().unwrap();

    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            url,
            "--ca-cert",
            ca_arg,
            "--client-cert",
            client_cert.to_str().unwrap(),
            "--client-key",
            client_key.to_str().unwrap(),
        ],
    );
    assert_code(&out, 0);
    let out = sr_env(
        d,
        &["subjects", "--registry", url],
        &[
            ("SR_REGISTRY_CA_CERT", ca_arg),
            ("SR_REGISTRY_CLIENT_CERT", client_cert.to_str().unwrap()),
            ("SR_REGISTRY_CLIENT_KEY", client_key.to_str().unwrap()),
        ],
    );
    assert_code(&out, 0);

    // No client certificate, or one from a CA the server does not trust: refused, exit 2.
    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            url,
            "--ca-cert",
            ca_arg,
            "--timeout",
            "5",
        ],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains(url), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("client certificate"),
        "{}",
        stderr(&out)
    );
    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            url,
            "--ca-cert",
            ca_arg,
            "--timeout",
            "5",
            "--client-cert",
            bad_cert.to_str().unwrap(),
            "--client-key",
            bad_key.to_str().unwrap(),
        ],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains(url), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refused the client certificate"),
        "{}",
        stderr(&out)
    );
    // A certificate without its key is a usage error.
    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            url,
            "--client-cert",
            client_cert.to_str().unwrap(),
        ],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--client-key"), "{}", stderr(&out));
    // A key that does not belong to the certificate.
    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            url,
            "--ca-cert",
            ca_arg,
            "--client-cert",
            client_cert.to_str().unwrap(),
            "--client-key",
            bad_key.to_str().unwrap(),
        ],
    );
    assert_code(&out, 2);
}

/// A self-signed certificate that calls itself a CA, as `openssl req -x509` makes by default,
/// written as `NAME.pem` / `NAME.key` for `names`.
fn self_signed_ca_flagged(dir: &Path, name: &str, names: &[&str]) -> (PathBuf, PathBuf) {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    write_pair(dir, name, &cert, &key)
}

/// Writes `NAME.pem` and `NAME.key` into `dir`.
fn write_pair(
    dir: &Path,
    name: &str,
    cert: &rcgen::Certificate,
    key: &KeyPair,
) -> (PathBuf, PathBuf) {
    let (c, k) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key")),
    );
    std::fs::write(&c, cert.pem()).unwrap();
    std::fs::write(&k, key.serialize_pem()).unwrap();
    (c, k)
}

#[test]
fn a_self_signed_server_certificate_given_as_ca_cert_is_trusted_for_its_names_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "v1.avsc", V1);
    // Trusted: the very certificate the server shows, though it is flagged as a CA.
    let (cert, key) = self_signed_ca_flagged(d, "pinned", &["127.0.0.1", "localhost"]);
    let server = https_server(&cert, &key, &[]);
    let url = server.url.as_str();
    let register = |ca: &Path| {
        sr(
            d,
            &[
                "register",
                "v1.avsc",
                "--subject",
                "orders-value",
                "--registry",
                url,
                "--timeout",
                "5",
                "--ca-cert",
                ca.to_str().unwrap(),
            ],
        )
    };
    let out = register(&cert);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "1");
    // Another self-signed certificate with the same names is not this one: refused.
    let (other, _) = self_signed_ca_flagged(d, "other", &["127.0.0.1", "localhost"]);
    let out = register(&other);
    assert_code(&out, 2);
    assert!(stderr(&out).contains(url), "{}", stderr(&out));

    // Given byte for byte but made for another host: refused for the name.
    let (cert, key) = self_signed_ca_flagged(d, "elsewhere", &["registry.example.com"]);
    let server = https_server(&cert, &key, &[]);
    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            server.url.as_str(),
            "--timeout",
            "5",
            "--ca-cert",
            cert.to_str().unwrap(),
        ],
    );
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("not for this host name"),
        "{}",
        stderr(&out)
    );
}
