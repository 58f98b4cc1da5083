//! Issue 13: credentials. A bearer token with --token or SR_REGISTRY_TOKEN, every credential
//! listed in every registry command's --help, and a 401 or 403 that names what was sent
//! (never the secret) and how to pass one.

use schema_registry::auth::{hash_api_key, hash_password};

use crate::common::{assert_code, sr, sr_env, stderr, stdout, write, V1};
use crate::server::Server;

const KEY: &str = "sr_cli_writer_key_0123456789";

fn server(dir: &std::path::Path) -> Server {
    let auth = format!(
        "[[principal]]\nname = \"writer\"\napi_key_sha256 = \"{}\"\nroles = [\"write\"]\n\
         [[principal]]\nname = \"reader\"\npassword_hash = \"{}\"\nroles = [\"read\"]\n",
        hash_api_key(KEY),
        hash_password("reader-pw").unwrap()
    );
    let path = dir.join("auth.toml");
    std::fs::write(&path, auth).unwrap();
    Server::start_with(&["--auth", path.to_str().unwrap()])
}

#[test]
fn issue_13_every_registry_command_lists_its_credentials_in_help() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        "register", "push", "get", "subjects", "versions", "config", "mode", "delete", "check",
        "validate",
    ] {
        let out = sr(dir.path(), &[cmd, "--help"]);
        assert_code(&out, 0);
        let help = stdout(&out);
        for needle in [
            "--token",
            "SR_REGISTRY_TOKEN",
            "--user",
            "SR_REGISTRY_USER",
            "SR_REGISTRY_PASSWORD",
            "SR_REGISTRY_URL",
            "--ca-cert",
            "SR_REGISTRY_CA_CERT",
            "SR_REGISTRY_CLIENT_CERT",
            "SR_REGISTRY_CLIENT_KEY",
        ] {
            assert!(
                help.contains(needle),
                "sr {cmd} --help lacks {needle}:\n{help}"
            );
        }
    }
    // The secrets' values are never echoed by --help.
    let out = sr_env(
        dir.path(),
        &["subjects", "--help"],
        &[
            ("SR_REGISTRY_TOKEN", "t0ps3cret"),
            ("SR_REGISTRY_PASSWORD", "pw-s3cret"),
        ],
    );
    assert!(!stdout(&out).contains("t0ps3cret") && !stdout(&out).contains("pw-s3cret"));
}

#[test]
fn issue_13_bearer_token_and_refusals_that_name_the_credential() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let server = server(d);
    let url = server.url.as_str();
    write(d, "v1.avsc", V1);

    let out = sr(
        d,
        &[
            "register",
            "v1.avsc",
            "--subject",
            "orders-value",
            "--registry",
            url,
            "--token",
            KEY,
        ],
    );
    assert_code(&out, 0);
    let out = sr_env(
        d,
        &["subjects", "--registry", url],
        &[("SR_REGISTRY_TOKEN", KEY)],
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "orders-value");

    // Nothing sent: 401 says so and how to pass a credential.
    let out = sr(d, &["subjects", "--registry", url]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("HTTP 401") && err.contains("sent no credentials"),
        "{err}"
    );
    assert!(
        err.contains("--token") && err.contains("SR_REGISTRY_USER"),
        "{err}"
    );

    // A wrong token: named as a token, its value never printed.
    let out = sr(
        d,
        &["subjects", "--registry", url, "--token", "wrong-t0ken"],
    );
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("sent a bearer token"), "{err}");
    assert!(!err.contains("wrong-t0ken"), "{err}");

    // A user whose role may not write: 403 names the user, not the password.
    let out = sr_env(
        d,
        &[
            "register",
            "v1.avsc",
            "--subject",
            "other-value",
            "--registry",
            url,
        ],
        &[
            ("SR_REGISTRY_USER", "reader"),
            ("SR_REGISTRY_PASSWORD", "reader-pw"),
        ],
    );
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("HTTP 403"), "{err}");
    assert!(err.contains("sent HTTP Basic as user \"reader\""), "{err}");
    assert!(!err.contains("reader-pw"), "{err}");
    // The same user reads fine, with the flags instead of the variables.
    let out = sr(
        d,
        &[
            "subjects",
            "--registry",
            url,
            "--user",
            "reader",
            "--password",
            "reader-pw",
        ],
    );
    assert_code(&out, 0);

    // sr validate against the registry takes the token too, and a refusal is exit 2.
    let out = sr_env(
        d,
        &[
            "validate",
            "--subject",
            "orders-value",
            "--input",
            "v1.avsc",
            "--quiet",
        ],
        &[("SR_REGISTRY_URL", url)],
    );
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("sent no credentials"),
        "{}",
        stderr(&out)
    );
}
