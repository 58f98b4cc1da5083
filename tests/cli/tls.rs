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
    // Without --ca-cert, the error says what to give (a system without any CA certificates
    // says that instead, and points at --ca-cert too).
    let out = sr(d, &["subjects", "--registry", url, "--timeout", "5"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("--ca-cert"), "{err}");
    if !err.contains("no CA certificates") {
        assert!(err.contains("self-signed CA certificate"), "{err}");
    }

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

/// Over HTTP/2 (curl's default over HTTPS), an answer given before the request body is read
/// (an upload refused by content negotiation, auth, or routing) must reach the client. hyper
/// resets such a stream after answering, and curl 7.88 then printed "Stream error in the
/// HTTP/2 framing layer" instead of the answer on a quarter to a half of these requests.
#[test]
fn uploads_refused_before_their_body_is_read_are_answered_over_http2() {
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(std::env::var_os("CI").is_none(), "curl is needed in CI");
        eprintln!("SKIP: curl not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = Ca::new("test-ca");
    let (cert, key) = ca.issue(d, "server", false, false);
    let ca_pem = ca.write(d, "ca.pem");
    let hash = schema_registry::auth::hash_api_key("k-admin");
    write(
        d,
        "auth.toml",
        &format!(
            "[[principal]]\nname = \"admin\"\napi_key_sha256 = \"{hash}\"\nroles = [\"admin\"]\n"
        ),
    );
    let auth = d.join("auth.toml");
    let server = https_server(&cert, &key, &["--auth", auth.to_str().unwrap()]);
    let admin = "Authorization: Bearer k-admin";
    let json = "Content-Type: application/json";
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "415",
            "/subjects/t-value/versions",
            &[admin, "Content-Type: text/plain"],
        ),
        (
            "406",
            "/subjects/t-value/versions",
            &[admin, json, "Accept: text/html"],
        ),
        ("401", "/subjects/t-value/versions", &[json]),
        ("404", "/no/such/route", &[admin, json]),
        ("405", "/schemas/types", &[admin, json]),
    ];
    for (status, path, headers) in cases {
        for attempt in 0..20 {
            let mut curl = std::process::Command::new("curl");
            curl.args(["-sS", "--http2", "--cacert"])
                .arg(&ca_pem)
                .args(["-o", "/dev/null", "-w", "%{http_version} %{http_code}"])
                .args(["-d", r#"{"schema":"\"int\""}"#]);
            for h in headers {
                curl.args(["-H", h]);
            }
            let out = curl.arg(format!("{}{path}", server.url)).output().unwrap();
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                format!("2 {status}"),
                "{path} attempt {attempt}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
