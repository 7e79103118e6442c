//! A real SMTP server on loopback for the email tests (mailin): it keeps every message with its
//! recipients, and accepts one login (`desk-robot` / `s3cret`) where AUTH is offered.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mailin_embedded::{Handler, Response, Server};

/// One message as received: its envelope recipients and its bytes.
pub type Received = (Vec<String>, Vec<u8>);

#[derive(Clone, Default)]
pub struct Inbox {
    received: Arc<Mutex<Vec<Received>>>,
    logins: Arc<Mutex<Vec<(String, String)>>>,
    to: Vec<String>,
    current: Vec<u8>,
}

impl Inbox {
    /// Every message's bytes, in arrival order.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        self.received().into_iter().map(|(_, m)| m).collect()
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Every login tried: (user, password).
    pub fn logins(&self) -> Vec<(String, String)> {
        self.logins.lock().unwrap().clone()
    }
}

impl Handler for Inbox {
    fn auth_plain(&mut self, _: &str, user: &str, password: &str) -> Response {
        self.logins
            .lock()
            .unwrap()
            .push((user.into(), password.into()));
        if user == "desk-robot" && password == "s3cret" {
            mailin_embedded::response::AUTH_OK
        } else {
            mailin_embedded::response::INVALID_CREDENTIALS
        }
    }
    fn data_start(&mut self, _: &str, _: &str, _: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.current.clear();
        mailin_embedded::response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        let message = std::mem::take(&mut self.current);
        self.received
            .lock()
            .unwrap()
            .push((std::mem::take(&mut self.to), message));
        mailin_embedded::response::OK
    }
}

/// A plain SMTP server (no TLS, no AUTH) on a loopback port; returns the port and its inbox.
pub fn start() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Inbox::default();
    let mut server = Server::new(inbox.clone());
    server
        .with_name("test.localhost")
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (port, inbox)
}
