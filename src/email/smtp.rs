//! SMTP: the server settings of a jobs file, credentials, and delivery with retries.
//!
//! Credentials come from the environment or a credentials file named in the settings, read here at
//! send time and nowhere else, and never printed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::EmailError;

/// How to reach the mail server. Credentials never go in this file: name the environment
/// variables that hold them, or a credentials file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    pub host: String,
    /// Default: 587 for starttls, 465 for tls, 25 for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    /// Environment variable holding the user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_env: Option<String>,
    /// Environment variable holding the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_env: Option<String>,
    /// A TOML file with `username` and `password` (keep it readable by the service user only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_file: Option<PathBuf>,
    /// Attempts after the first one, for transient failures.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Wait before the first retry, in seconds; it doubles for each retry.
    #[serde(default = "default_backoff")]
    pub backoff_seconds: f64,
    /// Connection and command timeout, in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: f64,
    /// A PEM file of certificate authorities to trust besides the built-in ones: for a relay
    /// whose certificate comes from the organisation's own CA. Relative to the jobs file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// Send credentials over a connection without TLS (`security = "none"`). Off by default:
    /// anyone on the path reads the password. Only for a relay on the same machine.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_plaintext_auth: bool,
}

fn default_retries() -> u32 {
    3
}

fn default_backoff() -> f64 {
    5.0
}

fn default_timeout() -> f64 {
    30.0
}

/// Transport security.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (required).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

/// Where credentials come from; the environment is read here, at send time, and nowhere else.
pub fn credentials(smtp: &Smtp, base: &Path) -> Result<Option<Credentials>, EmailError> {
    if let (Some(u), Some(p)) = (&smtp.username_env, &smtp.password_env) {
        let get = |name: &str| {
            std::env::var(name).map_err(|_| {
                EmailError::Credentials(format!("the environment variable {name} is not set"))
            })
        };
        return Ok(Some(Credentials::new(get(u)?, get(p)?)));
    }
    if let Some(file) = &smtp.credentials_file {
        let path = base.join(file);
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            username: String,
            password: String,
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| EmailError::Credentials(format!("{}: {e}", path.display())))?;
        let f: File = toml::from_str(&text).map_err(|e| {
            // The message may quote the file; say only where and what kind of problem.
            EmailError::Credentials(format!(
                "{}: not a TOML file with `username` and `password` (line {})",
                path.display(),
                e.span()
                    .map(|s| text[..s.start].matches('\n').count() + 1)
                    .unwrap_or(0)
            ))
        })?;
        return Ok(Some(Credentials::new(f.username, f.password)));
    }
    Ok(None)
}

/// How a delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub attempts: u32,
}

/// Sends `message` over SMTP, retrying transient failures with waits of `backoff`, 2×, 4× …;
/// `sleep` is injected so tests do not wait.
pub fn send(
    smtp: &Smtp,
    base: &Path,
    creds: Option<Credentials>,
    message: &Message,
    sleep: &dyn Fn(Duration),
) -> Result<Sent, EmailError> {
    let server = format!("{}:{}", smtp.host, port(smtp));
    let transport = transport(smtp, base, creds).map_err(|message| EmailError::Send {
        server: server.clone(),
        message,
        attempts: 0,
    })?;
    let envelope = message.envelope();
    let raw = message.formatted();
    let mut attempt = 0;
    loop {
        attempt += 1;
        match transport.send_raw(envelope, &raw) {
            Ok(_) => return Ok(Sent { attempts: attempt }),
            Err(e) => {
                // Retry what may pass (a 4xx reply, a timeout, a refused or dropped connection);
                // not a 5xx refusal, a TLS failure or a client-side problem such as a missing
                // authentication mechanism, which would fail the same way again.
                let kind = io_kind(&e);
                // rustls reports a failed handshake (an untrusted certificate, a wrong name) as
                // invalid data on the stream: as permanent as a TLS error lettre names itself.
                let tls = e.is_tls() || kind == Some(std::io::ErrorKind::InvalidData);
                let permanent = e.is_permanent() || e.is_client() || tls;
                if permanent || attempt > smtp.retries {
                    return Err(EmailError::Send {
                        server,
                        message: describe(&e, kind, tls, smtp.timeout_seconds),
                        attempts: attempt,
                    });
                }
                let wait = smtp.backoff_seconds * f64::from(1u32 << (attempt - 1).min(16));
                sleep(Duration::from_secs_f64(wait));
            }
        }
    }
}

/// The transport the settings describe: TLS from the first byte, STARTTLS (required), or none;
/// the built-in trust roots plus the `ca_file`'s.
fn transport(
    smtp: &Smtp,
    base: &Path,
    creds: Option<Credentials>,
) -> Result<SmtpTransport, String> {
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    let mut builder = SmtpTransport::builder_dangerous(&smtp.host)
        .port(port(smtp))
        .timeout(Some(Duration::from_secs_f64(smtp.timeout_seconds)));
    if smtp.security != Security::None {
        let mut params = TlsParameters::builder(smtp.host.clone());
        if let Some(ca) = &smtp.ca_file {
            let path = base.join(ca);
            let pem =
                std::fs::read(&path).map_err(|e| format!("ca_file {}: {e}", path.display()))?;
            let cert = Certificate::from_pem(&pem)
                .map_err(|e| format!("ca_file {}: not a PEM certificate ({e})", path.display()))?;
            params = params.add_root_certificate(cert);
        }
        let params = params.build_rustls().map_err(|e| e.to_string())?;
        builder = builder.tls(match smtp.security {
            Security::Tls => Tls::Wrapper(params),
            _ => Tls::Required(params),
        });
    }
    if let Some(c) = creds {
        builder = builder.credentials(c);
    }
    Ok(builder.build())
}

/// The kind of the I/O error under a transport error, if there is one.
fn io_kind(e: &lettre::transport::smtp::Error) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// A failure in words a reader can act on ("os error 11" is a timeout).
fn describe(
    e: &lettre::transport::smtp::Error,
    kind: Option<std::io::ErrorKind>,
    tls: bool,
    timeout: f64,
) -> String {
    use std::io::ErrorKind::{TimedOut, WouldBlock};
    if e.is_permanent() {
        return format!("refused the message: {e}");
    }
    if e.is_timeout() || matches!(kind, Some(TimedOut | WouldBlock)) {
        return format!("no answer within {timeout} s (timeout_seconds)");
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    if tls {
        format!(
            "TLS failed: {text} (a relay with a certificate from your own authority needs \
             `ca_file`); not retried"
        )
    } else {
        text
    }
}

/// A warning when a credentials file can be read by other users of the machine.
pub fn credentials_warning(smtp: &Smtp, base: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = base.join(smtp.credentials_file.as_ref()?);
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        (mode & 0o077 != 0).then(|| {
            format!(
                "{}: the SMTP credentials file can be read by other users (mode {:o}); \
                 make it private: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = (smtp, base);
        None
    }
}

pub fn port(smtp: &Smtp) -> u16 {
    smtp.port.unwrap_or(match smtp.security {
        Security::Starttls => 587,
        Security::Tls => 465,
        Security::None => 25,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp() -> Smtp {
        Smtp {
            host: "localhost".into(),
            port: None,
            security: Security::Tls,
            username_env: None,
            password_env: None,
            credentials_file: None,
            retries: 0,
            backoff_seconds: 0.0,
            timeout_seconds: 1.0,
            ca_file: None,
            allow_plaintext_auth: false,
        }
    }

    #[test]
    fn credentials_from_a_file_and_default_ports() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("creds.toml"),
            "username = \"u\"\npassword = \"p\"\n",
        )
        .unwrap();
        let s = Smtp {
            credentials_file: Some("creds.toml".into()),
            ..smtp()
        };
        assert!(credentials(&s, dir.path()).unwrap().is_some());
        assert_eq!(port(&s), 465);
        std::fs::write(
            dir.path().join("creds.toml"),
            "username = \"u\"\npassword = \"secret\"\nextra = 1\n",
        )
        .unwrap();
        let e = credentials(&s, dir.path()).unwrap_err().to_string();
        assert!(e.contains("creds.toml") && !e.contains("secret"), "{e}");
        assert!(credentials(&smtp(), dir.path()).unwrap().is_none());
        assert_eq!(
            port(&Smtp {
                security: Security::Starttls,
                ..smtp()
            }),
            587
        );
    }
}
