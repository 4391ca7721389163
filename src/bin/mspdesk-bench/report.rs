//! The bench's one table — SQLite and PostgreSQL side by side, every page against the
//! `/healthz` ceiling of the same run — and the budgets it is held to.

use crate::wrk::Measured;

pub struct Row {
    pub page: String,
    /// A main page: held to the page budgets.
    pub main: bool,
    pub stmts: String,
    pub m: Measured,
}

/// One backend's run.
pub struct Run {
    pub backend: &'static str,
    pub ceiling: Measured,
    pub rows: Vec<Row>,
    pub rss_mib: f64,
    pub cold_start_ms: f64,
    /// Other measures, one line each (seed time, queue, import, search index).
    pub notes: Vec<String>,
    /// The million-row import: (seconds, peak RSS in MiB).
    pub million: Option<(f64, f64)>,
}

impl Run {
    fn row(&self, page: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.page == page)
    }
}

fn pct(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!("{:.1} %", part / whole * 100.0)
    } else {
        "–".into()
    }
}

fn cells(r: Option<&Row>) -> String {
    match r {
        Some(r) if r.m.errors > 0 => format!(
            "{:.0} ({} errors) | {:.1} | {:.1}",
            r.m.rps, r.m.errors, r.m.p50_ms, r.m.p99_ms
        ),
        Some(r) => format!("{:.0} | {:.1} | {:.1}", r.m.rps, r.m.p50_ms, r.m.p99_ms),
        None => "– | – | –".into(),
    }
}

/// The table in Markdown (it goes into the README as printed).
pub fn table(sqlite: &Run, pg: Option<&Run>) -> String {
    let mut out = String::new();
    out.push_str("| page | stmts | SQLite req/s | p50 ms | p99 ms | of ceiling | PostgreSQL req/s | p50 ms | p99 ms | PG / SQLite |\n");
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    let line = |name: &str, s: Option<&Row>, p: Option<&Row>| {
        format!(
            "| {name} | {} | {} | {} | {} | {} |\n",
            s.map_or("", |r| r.stmts.as_str()),
            cells(s),
            s.map_or("–".into(), |r| pct(r.m.rps, sqlite.ceiling.rps)),
            cells(p),
            match (s, p) {
                (Some(s), Some(p)) => pct(p.m.rps, s.m.rps),
                _ => "–".into(),
            }
        )
    };
    let ceiling = |run: &Run| Row {
        page: String::new(),
        main: false,
        stmts: "0".into(),
        m: run.ceiling,
    };
    let (cs, cp) = (ceiling(sqlite), pg.map(ceiling));
    out.push_str(&line("`/healthz` (the ceiling)", Some(&cs), cp.as_ref()));
    for r in &sqlite.rows {
        let name = if r.main {
            format!("**`{}`**", r.page)
        } else {
            format!("`{}`", r.page)
        };
        out.push_str(&line(&name, Some(r), pg.and_then(|p| p.row(&r.page))));
    }
    out.push_str(&format!(
        "\nPeak RSS of the server: SQLite {:.0} MiB{}. Cold start to the first page: SQLite {:.0} ms{}.\n",
        sqlite.rss_mib,
        pg.map_or(String::new(), |p| format!(", PostgreSQL {:.0} MiB", p.rss_mib)),
        sqlite.cold_start_ms,
        pg.map_or(String::new(), |p| format!(", PostgreSQL {:.0} ms", p.cold_start_ms)),
    ));
    for run in std::iter::once(sqlite).chain(pg) {
        for n in &run.notes {
            out.push_str(&format!("- {}: {n}\n", run.backend));
        }
    }
    out
}

/// Each budget, met or not, one line each; `true` when every one is met.
pub fn budgets(sqlite: &Run, pg: Option<&Run>) -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    let mut check = |ok: bool, what: String| {
        all &= ok;
        out.push_str(&format!(
            "{} {what}\n",
            if ok { "met   " } else { "MISSED" }
        ));
    };
    // The latency and error budgets, the same for either backend's row.
    let served = |check: &mut dyn FnMut(bool, String), backend: &str, r: &Row| {
        let page = &r.page;
        check(
            r.m.p99_ms <= 50.0,
            format!("{page}: {backend} p99 {:.1} ms (≤ 50)", r.m.p99_ms),
        );
        check(
            r.m.errors == 0,
            format!("{page}: {backend} {} errors (0)", r.m.errors),
        );
    };
    for r in sqlite.rows.iter().filter(|r| r.main) {
        let share = r.m.rps / sqlite.ceiling.rps;
        check(
            share >= 0.05,
            format!(
                "{}: SQLite at {:.1} % of the ceiling (≥ 5 %)",
                r.page,
                share * 100.0
            ),
        );
        served(&mut check, "SQLite", r);
        if let Some(p) = pg.and_then(|p| p.row(&r.page)) {
            let ratio = p.m.rps / r.m.rps;
            check(
                ratio >= 0.6,
                format!(
                    "{}: PostgreSQL at {:.0} % of SQLite (≥ 60 %)",
                    r.page,
                    ratio * 100.0
                ),
            );
            served(&mut check, "PostgreSQL", p);
        }
    }
    for run in std::iter::once(sqlite).chain(pg) {
        if let Some(s) = run.rows.iter().find(|r| r.page.starts_with("/static/")) {
            let share = s.m.rps / run.ceiling.rps;
            check(
                share >= 0.5,
                format!(
                    "{}: static assets at {:.0} % of the ceiling (within 2×)",
                    run.backend,
                    share * 100.0
                ),
            );
        }
        check(
            run.cold_start_ms <= 200.0,
            format!(
                "{}: cold start {:.0} ms (≤ 200)",
                run.backend, run.cold_start_ms
            ),
        );
    }
    check(
        sqlite.rss_mib <= 80.0,
        format!("SQLite: peak RSS {:.0} MiB (≤ 80)", sqlite.rss_mib),
    );
    if let Some((secs, mib)) = sqlite.million {
        check(
            secs <= 60.0 && mib <= 250.0,
            format!("SQLite: a 1,000,000-row import in {secs:.0} s (≤ 60), peak RSS {mib:.0} MiB (≤ 250)"),
        );
    }
    (out, all)
}
