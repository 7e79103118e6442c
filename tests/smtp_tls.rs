//! Email over TLS end to end: a real SMTP server on loopback with a certificate from a test
//! certificate authority made at test time (openssl), reached with STARTTLS and with TLS from the
//! first byte, authenticating with a password. The authority is trusted only through the jobs
//! file's `ca_file`; without it the delivery fails at once, as a TLS failure, not retried.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use mailin_embedded::{AuthMechanism, Server, SslConfig};

mod tools;
use tools::smtp::Inbox;

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

/// An SMTP server offering STARTTLS and AUTH PLAIN; returns its port.
fn start_starttls(pki: &Pki, inbox: Inbox) -> u16 {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(inbox);
    server
        .with_name("localhost")
        .with_ssl(SslConfig::Trusted {
            cert_path: pki.path("server.pem"),
            key_path: pki.path("server.key"),
            chain_path: pki.path("ca.pem"),
        })
        .unwrap()
        .with_auth(AuthMechanism::Plain)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    port
}

/// TLS from the first byte (SMTPS): mailin's SMTP session over a rustls stream, told that TLS
/// is active from the start (so it offers AUTH at once).
fn start_implicit_tls(pki: &Pki, inbox: Inbox) -> u16 {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // rustls' own PEM reader (rustls-pemfile is unmaintained: RUSTSEC-2025-0134).
    use rustls::pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
    let certs: Vec<_> = CertificateDer::pem_file_iter(pki.path("server.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(pki.path("server.key")).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().map_while(Result::ok) {
            let (config, inbox) = (config.clone(), inbox.clone());
            std::thread::spawn(move || smtps_session(client, config, inbox));
        }
    });
    port
}

fn smtps_session(client: TcpStream, config: Arc<rustls::ServerConfig>, inbox: Inbox) {
    use std::io::BufRead;
    let conn = rustls::ServerConnection::new(config).unwrap();
    let tls = rustls::StreamOwned::new(conn, client);
    let mut stream = std::io::BufReader::new(tls);
    let mut builder = mailin::SessionBuilder::new("localhost");
    builder.enable_auth(mailin::AuthMechanism::Plain);
    let mut session = builder.build("127.0.0.1".parse().unwrap(), inbox);
    session.tls_active();
    let reply = |stream: &mut std::io::BufReader<_>, res: &mailin::Response| {
        let w: &mut rustls::StreamOwned<rustls::ServerConnection, TcpStream> = stream.get_mut();
        res.write_to(w).is_ok() && w.flush().is_ok()
    };
    if !reply(&mut stream, &session.greeting()) {
        return;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        match stream.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let res = session.process(&line);
        match res.action {
            mailin::Action::NoReply => {}
            mailin::Action::Close => {
                reply(&mut stream, &res);
                return;
            }
            _ => {
                if !reply(&mut stream, &res) {
                    return;
                }
            }
        }
    }
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
