//! The load: wrk (an external load generator, so the server's cores are measured and
//! not the bench's) at 16 connections over 2 threads, each request taking the next of
//! 64 signed-in sessions, with `Accept-Encoding: gzip` as a browser sends it.

use std::process::Command;

pub const CONNECTIONS: usize = 16;
pub const THREADS: usize = 2;

/// What a run measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Measured {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answers that were not 2xx or 3xx.
    pub errors: u64,
}

/// How each request is sent: session cookies in turn, an API key, or nothing.
pub enum Auth<'a> {
    Sessions(&'a [String]),
    Key(&'a str),
    None,
}

pub struct Load<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub body: &'a str,
    pub auth: Auth<'a>,
}

/// A Lua string literal.
fn lua(s: &str) -> String {
    format!("{s:?}")
}

fn script(load: &Load) -> String {
    let (cookies, key, kind) = match load.auth {
        Auth::Sessions(c) => (
            c.to_vec(),
            String::new(),
            "application/x-www-form-urlencoded",
        ),
        Auth::Key(k) => (vec![], k.to_string(), "application/json"),
        Auth::None => (vec![], String::new(), "text/plain"),
    };
    let cookies: Vec<String> = cookies.iter().map(|c| lua(c)).collect();
    format!(
        r#"local cookies = {{ {cookies} }}
local n = 0
local method, path, body = {method}, {path}, {body}
request = function()
  n = n + 1
  local h = {{ ["Host"] = "bench", ["Accept-Encoding"] = "gzip", ["Content-Type"] = {kind} }}
  if #cookies > 0 then h["Cookie"] = cookies[n % #cookies + 1] end
  if {key} ~= "" then h["Authorization"] = "Bearer " .. {key} end
  return wrk.format(method, path, h, body ~= "" and body or nil)
end
"#,
        cookies = cookies.join(", "),
        method = lua(load.method),
        path = lua(load.path),
        body = lua(load.body),
        kind = lua(kind),
        key = lua(&key),
    )
}

/// Runs wrk for `seconds` against the server on `port`.
pub fn run(port: u16, load: &Load, seconds: u32, dir: &std::path::Path) -> Measured {
    let file = dir.join("load.lua");
    std::fs::write(&file, script(load)).expect("write the wrk script");
    let out = Command::new("wrk")
        .args([
            &format!("-t{THREADS}"),
            &format!("-c{CONNECTIONS}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-s",
        ])
        .arg(&file)
        .arg(format!("http://127.0.0.1:{port}{}", load.path))
        .output()
        .expect("wrk is installed (make bench installs it)");
    parse(&String::from_utf8_lossy(&out.stdout))
}

/// A wrk duration ("812.00us", "1.25ms", "2.01s") in milliseconds.
fn ms(text: &str) -> f64 {
    let (n, unit) = text.split_at(
        text.find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(text.len()),
    );
    let n: f64 = n.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => f64::NAN,
    }
}

fn parse(out: &str) -> Measured {
    let mut m = Measured::default();
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", t] => m.p50_ms = ms(t),
            ["99%", t] => m.p99_ms = ms(t),
            ["Requests/sec:", r] => m.rps = r.parse().unwrap_or(0.0),
            ["Non-2xx", "or", "3xx", "responses:", n] => m.errors += n.parse::<u64>().unwrap_or(0),
            ["Socket", "errors:", ..] => {
                m.errors += line
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_output() {
        let out = "Running 3s test @ http://127.0.0.1:1/clients\n  2 threads and 16 connections\n  Latency Distribution\n     50%  812.00us\n     75%    1.10ms\n     90%    1.50ms\n     99%    4.25ms\n  12345 requests in 3.00s, 1.23MB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:   4115.25\n";
        let m = parse(out);
        assert_eq!(
            (m.rps, m.p50_ms, m.p99_ms, m.errors),
            (4115.25, 0.812, 4.25, 3)
        );
        assert_eq!(ms("2.5s"), 2500.0);
    }
}
