//! A real SMTP server on loopback for the email tests (mailin): it keeps every message with its
//! recipients, and accepts one login (`desk-robot` / `s3cret`) where AUTH is offered.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mailin::{Handler, Response};

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
            mailin::response::AUTH_OK
        } else {
            mailin::response::INVALID_CREDENTIALS
        }
    }
    fn data_start(&mut self, _: &str, _: &str, _: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.current.clear();
        mailin::response::OK
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
        mailin::response::OK
    }
}

/// A plain SMTP server (no TLS, no AUTH) on a loopback port; returns the port and its inbox.
pub fn start() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Inbox::default();
    let server_inbox = inbox.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().map_while(Result::ok) {
            let inbox = server_inbox.clone();
            std::thread::spawn(move || {
                let mut session = mailin::SessionBuilder::new("test.localhost")
                    .build("127.0.0.1".parse().unwrap(), inbox);
                let greeting = session.greeting();
                converse(&mut BufReader::new(client), &mut session, Some(&greeting));
            });
        }
    });
    (port, inbox)
}

/// Answers a client's SMTP commands with mailin's session (after `greeting`, if given) until the
/// session closes (false) or the client asks to start TLS (true, once the answer is sent).
pub fn converse<S: Read + Write>(
    stream: &mut BufReader<S>,
    session: &mut mailin::Session<Inbox>,
    greeting: Option<&Response>,
) -> bool {
    let reply = |stream: &mut BufReader<S>, res: &Response| {
        let w = stream.get_mut();
        res.write_to(w).is_ok() && w.flush().is_ok()
    };
    if greeting.is_some_and(|g| !reply(stream, g)) {
        return false;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        match stream.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        let res = session.process(&line);
        match res.action {
            mailin::Action::NoReply => {}
            mailin::Action::Close => {
                reply(stream, &res);
                return false;
            }
            mailin::Action::UpgradeTls => return reply(stream, &res),
            _ => {
                if !reply(stream, &res) {
                    return false;
                }
            }
        }
    }
}
