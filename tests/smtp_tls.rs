//! Email over TLS end to end: a real SMTP server on loopback with a certificate from a test
//! certificate authority made at test time (openssl), reached with STARTTLS and with TLS from the
//! first byte, authenticating with a password. The authority is trusted only through the jobs
//! file's `ca_file`; without it the delivery fails at once, as a TLS failure, not retried.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

mod tools;
use tools::smtp::{converse, Inbox};

/// A certificate authority and a certificate for localhost signed by it.
struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn new(dir: &Path) -> Self {
        tools::find("openssl", "apt-get install openssl").expect("openssl");
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=bilateral test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        std::fs::write(
            dir.join("ext.cnf"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ]);
        Pki {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

/// The server's TLS settings: its certificate, signed by the test authority, and its key.
fn tls_config(pki: &Pki) -> Arc<rustls::ServerConfig> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // rustls' own PEM reader (rustls-pemfile is unmaintained: RUSTSEC-2025-0134).
    use rustls::pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
    let certs: Vec<_> = CertificateDer::pem_file_iter(pki.path("server.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(pki.path("server.key")).unwrap();
    Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap(),
    )
}

/// An SMTP server on loopback, each session mailin's over rustls: STARTTLS (plain first, TLS
/// after the command) or TLS from the first byte (SMTPS); AUTH PLAIN once TLS is on. Returns
/// its port.
fn start_tls_server(pki: &Pki, inbox: Inbox, implicit: bool) -> u16 {
    let config = tls_config(pki);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().map_while(Result::ok) {
            let (config, inbox) = (config.clone(), inbox.clone());
            std::thread::spawn(move || session(client, config, inbox, implicit));
        }
    });
    port
}

fn start_starttls(pki: &Pki, inbox: Inbox) -> u16 {
    start_tls_server(pki, inbox, false)
}

fn start_implicit_tls(pki: &Pki, inbox: Inbox) -> u16 {
    start_tls_server(pki, inbox, true)
}

fn session(client: TcpStream, config: Arc<rustls::ServerConfig>, inbox: Inbox, implicit: bool) {
    let mut builder = mailin::SessionBuilder::new("localhost");
    builder.enable_auth(mailin::AuthMechanism::Plain);
    if !implicit {
        builder.enable_start_tls();
    }
    let mut session = builder.build("127.0.0.1".parse().unwrap(), inbox);
    let greeting = session.greeting();
    let client = match implicit {
        true => client,
        false => {
            // Plain until the client sends STARTTLS and has the 220 answer.
            let mut plain = std::io::BufReader::new(client);
            if !converse(&mut plain, &mut session, Some(&greeting)) {
                return;
            }
            plain.into_inner()
        }
    };
    let conn = rustls::ServerConnection::new(config).unwrap();
    let mut tls = std::io::BufReader::new(rustls::StreamOwned::new(conn, client));
    session.tls_active();
    converse(&mut tls, &mut session, implicit.then_some(&greeting));
}

fn jobs_file(dir: &Path, port: u16, security: &str, ca: Option<&str>) -> PathBuf {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/china-azerbaijan");
    let ca = ca
        .map(|c| format!("ca_file = \"{c}\"\n"))
        .unwrap_or_default();
    let body = format!(
        "[smtp]\nhost = \"localhost\"\nport = {port}\nsecurity = \"{security}\"\n{ca}username_env = \"T_USER\"\npassword_env = \"T_PASS\"\nretries = 3\nbackoff_seconds = 0.01\ntimeout_seconds = 10\n\n[[jobs]]\nname = \"mail\"\ndataset = \"{}\"\nschedule = \"0 7 * * MON\"\nformats = [\"pdf\"]\noutput = \"out/{{job}}\"\n\n[jobs.email]\nfrom = \"Briefings <briefings@example.org>\"\nto = [\"desk@example.org\"]\n",
        example.display()
    );
    let path = dir.join("jobs.toml");
    std::fs::write(&path, body).unwrap();
    path
}

fn run(jobs: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bilateral"))
        .arg("run")
        .arg(jobs)
        .args(["--all", "--as-of", "2025-05-05"])
        .env("T_USER", "desk-robot")
        .env("T_PASS", "s3cret")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn starttls_with_a_private_ca_and_a_password_delivers_once() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let inbox = Inbox::default();
    let port = start_starttls(&pki, inbox.clone());
    let (ok, out) = run(&jobs_file(dir.path(), port, "starttls", Some("ca.pem")));
    assert!(ok, "{out}");
    assert!(out.contains("email (1 attempt)"), "{out}");
    assert_eq!(inbox.messages().len(), 1);
    assert_eq!(
        inbox.logins(),
        [("desk-robot".to_string(), "s3cret".to_string())]
    );
    assert!(!out.contains("s3cret"), "the password was printed");
}

#[test]
fn implicit_tls_with_a_private_ca_and_a_password_delivers_once() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let inbox = Inbox::default();
    let port = start_implicit_tls(&pki, inbox.clone());
    let (ok, out) = run(&jobs_file(dir.path(), port, "tls", Some("ca.pem")));
    assert!(ok, "{out}");
    assert_eq!(inbox.messages().len(), 1);
    assert_eq!(inbox.logins().len(), 1);
}

#[test]
fn an_untrusted_certificate_fails_at_once_and_sends_no_password() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let inbox = Inbox::default();
    let port = start_starttls(&pki, inbox.clone());
    let (ok, out) = run(&jobs_file(dir.path(), port, "starttls", None));
    assert!(!ok, "{out}");
    assert!(out.contains("TLS failed"), "{out}");
    assert!(
        out.contains("not retried") && out.contains("after 1 attempt"),
        "{out}"
    );
    assert!(inbox.messages().is_empty());
    assert!(inbox.logins().is_empty(), "no password went out");
}

#[test]
fn a_password_over_plain_smtp_needs_an_explicit_opt_in() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = jobs_file(dir.path(), 2525, "none", None);
    let (ok, out) = run(&jobs);
    assert!(!ok);
    assert!(
        out.contains("credentials would go to the server unencrypted"),
        "{out}"
    );
    assert!(out.contains("allow_plaintext_auth"), "{out}");
    let (_, out) = run(&jobs_file(dir.path(), 2525, "none", Some("ca.pem")));
    assert!(out.contains("`ca_file` needs a TLS connection"), "{out}");
}
