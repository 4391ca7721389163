//! The server under test, as production runs it: `mspdesk serve` in its own process
//! (so its memory is its own), on an existing database, without job workers.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http::Conn;

pub struct Server {
    child: Child,
    pub port: u16,
    /// From the process start to the first served page.
    pub cold_start_ms: f64,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Server {
    /// Three starts on the same database, the median kept: one start alone measured
    /// 183 ms in one run and 705 ms in the next on the same code (whatever else the
    /// two cores were finishing). Returns the last server, still running, and the three.
    pub fn start_median(url: &str, dir: &std::path::Path) -> (Server, String) {
        let mut times = vec![];
        let mut server = Server::start(url, dir);
        for _ in 0..2 {
            times.push(server.cold_start_ms);
            drop(server);
            server = Server::start(url, dir);
        }
        times.push(server.cold_start_ms);
        let shown = times
            .iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(", ");
        times.sort_by(f64::total_cmp);
        server.cold_start_ms = times[1];
        (server, format!("{shown} ms"))
    }

    pub fn start(url: &str, dir: &std::path::Path) -> Server {
        let port = free_port();
        let bin = std::env::current_exe()
            .expect("own path")
            .with_file_name("mspdesk");
        let started = Instant::now();
        let child = Command::new(&bin)
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("MSPDESK_DATA_DIR", dir)
            .env("MSPDESK_BIND", format!("127.0.0.1:{port}"))
            .env("MSPDESK_STATEMENT_HEADER", "true")
            .env("MSPDESK_JOB_WORKERS", "0")
            // The API rows measure the server, not the per-key limit.
            .env("MSPDESK_API_REQUESTS_PER_MINUTE", "1000000000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e} (make bench builds it)", bin.display()));
        loop {
            if let Ok(mut c) = Conn::open(port)
                && c.send("GET", "/login", "").is_ok_and(|r| r.status == 200)
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        Server {
            child,
            port,
            cold_start_ms: started.elapsed().as_secs_f64() * 1000.0,
        }
    }

    /// The server's peak resident memory so far, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|k| k.parse::<f64>().ok())
            })
            .map(|kib| kib / 1024.0)
            .unwrap_or(f64::NAN)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
