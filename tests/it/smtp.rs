//! A real SMTP server for the tests, over TCP on 127.0.0.1: it speaks enough ESMTP
//! for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps what it received, and
//! can refuse the first deliveries with a 451 (try later) or stall without answering.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent (headers and body, dot-stuffing undone).
    pub data: String,
}

impl Received {
    /// The message with quoted-printable soft breaks and escapes undone (enough to
    /// read the text and HTML parts).
    pub fn decoded(&self) -> String {
        let s = self.data.replace("=\r\n", "");
        let mut out = Vec::with_capacity(s.len());
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'='
                && i + 2 < b.len()
                && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_lowercase());
        self.data
            .split("\r\n\r\n")
            .next()?
            .lines()
            .find(|l| l.to_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
    }
}

pub struct Sink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refusals: Arc<AtomicUsize>,
}

impl Sink {
    /// A sink refusing the first `refusals` messages with a 451.
    pub fn start(refusals: usize) -> Sink {
        Self::serve(refusals, false)
    }

    /// A sink that accepts connections and never answers (a worker sending to it is
    /// stuck in the middle of its job).
    pub fn stalled() -> Sink {
        Self::serve(0, true)
    }

    fn serve(refusals: usize, stall: bool) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(vec![]));
        let refusals = Arc::new(AtomicUsize::new(refusals));
        let (r, n) = (received.clone(), refusals.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, n) = (r.clone(), n.clone());
                std::thread::spawn(move || {
                    if stall {
                        std::thread::sleep(std::time::Duration::from_secs(600));
                        drop(stream);
                    } else {
                        let _ = session(stream, &r, &n);
                    }
                });
            }
        });
        Sink {
            port,
            received,
            refusals,
        }
    }

    /// Spelled as the README tells a local relay's admin to (`tls=none`), so every mail
    /// test starts a mailer from it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn refusals_left(&self) -> usize {
        self.refusals.load(Ordering::SeqCst)
    }
}

fn session(
    stream: TcpStream,
    received: &Mutex<Vec<Received>>,
    refusals: &AtomicUsize,
) -> std::io::Result<()> {
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 sink.test ESMTP\r\n")?;
    let (mut from, mut to) = (String::new(), vec![]);
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let verb = cmd.split([' ', ':']).next().unwrap_or("").to_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => out.write_all(b"250 sink.test\r\n")?,
            "MAIL" => {
                let refuse = refusals
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if refuse {
                    out.write_all(b"451 4.3.0 Try again later\r\n")?;
                } else {
                    from = address(&cmd);
                    to.clear();
                    out.write_all(b"250 OK\r\n")?;
                }
            }
            "RCPT" => {
                to.push(address(&cmd));
                out.write_all(b"250 OK\r\n")?;
            }
            "DATA" => {
                out.write_all(b"354 End with <CRLF>.<CRLF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                received.lock().unwrap().push(Received {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
                out.write_all(b"250 Queued\r\n")?;
            }
            "QUIT" => {
                out.write_all(b"221 Bye\r\n")?;
                return Ok(());
            }
            _ => out.write_all(b"250 OK\r\n")?,
        }
    }
}

/// `MAIL FROM:<a@b>` → `a@b`.
fn address(cmd: &str) -> String {
    cmd.split('<')
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap_or("")
        .to_string()
}
