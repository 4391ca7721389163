//! A minimal keep-alive HTTP/1.1 client: signs in, probes a page's status and
//! statement count, reads the links a page holds. The load itself comes from wrk.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

pub struct Conn {
    reader: BufReader<TcpStream>,
    pub cookie: String,
    /// An API key sent as `Authorization: Bearer` (API calls have no session).
    pub key: String,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Conn {
    pub fn open(port: u16) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true).ok();
        Ok(Conn {
            reader: BufReader::new(stream),
            cookie: String::new(),
            key: String::new(),
        })
    }

    pub fn send(&mut self, method: &str, path: &str, body: &str) -> std::io::Result<Reply> {
        let (auth, kind) = if self.key.is_empty() {
            (String::new(), "application/x-www-form-urlencoded")
        } else {
            (
                format!("Authorization: Bearer {}\r\n", self.key),
                "application/json",
            )
        };
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nCookie: {}\r\n{auth}Content-Type: {kind}\r\nContent-Length: {}\r\n\r\n{body}",
            self.cookie,
            body.len()
        );
        self.reader.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut headers = vec![];
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut buf = vec![0; len];
        self.reader.read_exact(&mut buf)?;
        // The session cookie by name: signing in also sets the remembered team
        // (mspdesk_team, for /login only), and it comes first.
        if let Some(c) = headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.split(';').next().unwrap_or(""))
            .find(|c| c.starts_with("mspdesk_session="))
        {
            self.cookie = c.to_string();
        }
        Ok(Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&buf).into_owned(),
        })
    }

    pub fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, "")
            .expect("the bench server answers")
    }
}

fn csrf(body: &str) -> String {
    let at = body
        .find("name=\"csrf_token\" value=\"")
        .expect("csrf field")
        + 25;
    body[at..].split('"').next().unwrap_or("").to_string()
}

/// A signed-in session of the bench admin.
pub fn login(port: u16) -> Conn {
    let mut c = Conn::open(port).expect("connect");
    let page = c.get("/login");
    let body = format!(
        "csrf_token={}&team=bench-msp&email=bench%40bench.test&password=bench-password&next=%2Fclients",
        csrf(&page.body)
    );
    let r = c.send("POST", "/login", &body).expect("login");
    assert_eq!(r.status, 303, "bench login failed");
    c
}

/// The first record id a page links to under `prefix` ("1" when there is none).
pub fn first_id(body: &str, prefix: &str) -> String {
    body.split(format!("href=\"{prefix}").as_str())
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|s| s.parse::<i64>().is_ok())
        .unwrap_or("1")
        .to_string()
}

/// The links of the client's tab bar, in order.
pub fn tabs(body: &str) -> Vec<String> {
    let Some(start) = body.find("class=\"tabs\"") else {
        return vec![];
    };
    let nav = &body[start..];
    let nav = &nav[..nav.find("</nav>").unwrap_or(nav.len())];
    nav.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}
