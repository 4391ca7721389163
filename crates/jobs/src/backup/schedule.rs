//! Scheduled backups through the job queue: one platform job per interval (its key is
//! the interval's start, so however many workers and nodes plan it, it is queued once),
//! run outside any transaction by whichever worker claims it; the oldest backups beyond
//! the number kept are deleted after a new one is whole. The job's state and error are
//! the last result the operator console shows.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::take::{describe, take};
use crate::domain::outbox::job_kind::JobKind::Backup;
use crate::domain::outbox::jobs::{self, NewJob};
use crate::platform::config::Config;
use crate::platform::db::AnyConnection;

/// What a backup's job carries: the interval it is for.
#[derive(Debug, Serialize, Deserialize)]
pub struct Interval {
    pub start: NaiveDateTime,
}
const PREFIX: &str = "mspdesk-backup-";

/// Where, how often and how many.
#[derive(Debug, Clone)]
pub struct Plan {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
    pub database_url: String,
    pub data_dir: PathBuf,
}

impl Plan {
    /// The scheduled backups the server's settings ask for, when a directory is set.
    pub fn configured(config: &Config) -> Option<Plan> {
        let dir = config.backup_dir.trim();
        (!dir.is_empty()).then(|| Plan {
            dir: dir.into(),
            every: Duration::hours(config.backup_every_hours.max(1) as i64),
            keep: config.backup_keep.max(1) as usize,
            database_url: config.database_url.clone(),
            data_dir: config.data_dir.clone(),
        })
    }
}

/// The start of the interval `now` falls in.
fn interval(now: NaiveDateTime, every: Duration) -> NaiveDateTime {
    let secs = every.num_seconds().max(60);
    let t = now.and_utc().timestamp();
    chrono::DateTime::from_timestamp(t - t.rem_euclid(secs), 0)
        .map(|d| d.naive_utc())
        .unwrap_or(now)
}

/// Queues this interval's backup unless it is queued or taken already.
pub fn plan(conn: &mut AnyConnection, plan: &Plan, now: NaiveDateTime) -> QueryResult<bool> {
    let start = interval(now, plan.every);
    let job = NewJob {
        tenant_id: None,
        max_attempts: 2,
        ..NewJob::of(Backup, &Interval { start }, now)
    }
    .keyed(format!("{Backup}:{}", start.format("%Y-%m-%dT%H:%M")));
    Ok(jobs::enqueue(conn, &job, now)?.is_some())
}

/// Takes one backup into the plan's directory and prunes the old ones.
pub fn run(conn: &mut AnyConnection, plan: &Plan, now: NaiveDateTime) -> Result<String, String> {
    std::fs::create_dir_all(&plan.dir).map_err(|e| format!("{}: {e}", plan.dir.display()))?;
    let path = plan
        .dir
        .join(format!("{PREFIX}{}.zip", now.format("%Y%m%dT%H%M%S")));
    let taken =
        take(conn, &plan.database_url, &plan.data_dir, &path, None).map_err(|e| e.to_string())?;
    prune(&plan.dir, plan.keep).map_err(|e| format!("pruning old backups: {e}"))?;
    Ok(describe(&taken))
}

/// The backups in `dir`, newest first: (file name, size in bytes).
pub fn list(dir: &Path) -> std::io::Result<Vec<(String, u64)>> {
    let mut found = vec![];
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && name.ends_with(".zip") {
            found.push((name, entry.metadata()?.len()));
        }
    }
    // The time stamp in the name sorts as text.
    found.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(found)
}

fn prune(dir: &Path, keep: usize) -> std::io::Result<()> {
    for (name, _) in list(dir)?.into_iter().skip(keep) {
        std::fs::remove_file(dir.join(name))?;
    }
    Ok(())
}

/// The scheduled backups as the server was started with them (app data for the
/// operator console).
#[derive(Debug, Clone, Default)]
pub struct Scheduled(pub Option<Plan>);

/// What the operator console shows of scheduled backups.
#[derive(Debug, Clone)]
pub struct Shown {
    pub dir: String,
    pub every_hours: i64,
    pub keep: usize,
    /// The last job: state, when, its error.
    pub last: Option<(String, NaiveDateTime, Option<String>)>,
    /// The backups in the directory, newest first, with their sizes.
    pub files: Vec<(String, u64)>,
    /// The directory could not be read.
    pub unreadable: Option<String>,
}

/// The console's view of the plan (`None`: no scheduled backups).
pub fn shown(conn: &mut AnyConnection, plan: Option<&Plan>) -> QueryResult<Option<Shown>> {
    let Some(plan) = plan else {
        return Ok(None);
    };
    let (files, unreadable) = match list(&plan.dir) {
        Ok(files) => (files, None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (vec![], None),
        Err(e) => (vec![], Some(e.to_string())),
    };
    Ok(Some(Shown {
        dir: plan.dir.display().to_string(),
        every_hours: plan.every.num_hours(),
        keep: plan.keep,
        last: crate::domain::automation::heartbeats::last_of_kind(conn, Backup)?,
        files,
        unreadable,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_start_on_the_clock_and_old_backups_go() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(
            interval(t("2026-12-07 13:45:10"), Duration::hours(6)),
            t("2026-12-07 12:00:00")
        );
        let dir = std::env::temp_dir().join(format!("mspdesk-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for stamp in ["20261201T000000", "20261202T000000", "20261203T000000"] {
            std::fs::write(dir.join(format!("{PREFIX}{stamp}.zip")), b"x").unwrap();
        }
        std::fs::write(dir.join("notes.txt"), b"kept").unwrap();
        prune(&dir, 2).unwrap();
        let left: Vec<String> = list(&dir).unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            left,
            [
                format!("{PREFIX}20261203T000000.zip"),
                format!("{PREFIX}20261202T000000.zip")
            ]
        );
        assert!(dir.join("notes.txt").exists());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
