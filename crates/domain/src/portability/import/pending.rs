//! New records an import holds back to insert many per statement: a statement per row
//! costs more than the row itself (measured: 100k contacts, ~30 µs of SQLite's own
//! per-statement work each). Only records `write::batchable` allows are held — nothing
//! that needs its id at once (a secret, an archived row) or the rows before it (a
//! database rule, an exclusive flag). They are written when a record of another kind
//! comes, before a record that is written alone (so the file's order is the ids'
//! order), when a row may match one by id, at the end, and every `ROWS` records.

use super::state::Run;
use crate::error::AppResult;
use crate::forms::Values;
use crate::resource::{write, Resource};
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;

/// Records per statement: 200 rows of the widest table (32 columns) bind 6,400
/// values, far below either database's limit.
const ROWS: usize = 200;

/// What a held row is known by until it has its id.
pub(super) struct Held {
    pub label: String,
    pub source: Option<String>,
}

type InsertFn = fn(&mut AnyConnection, &[(ClientScope, Values)]) -> diesel::QueryResult<Vec<i64>>;

pub(super) struct Pending {
    slug: &'static str,
    table: &'static str,
    insert: InsertFn,
    rows: Vec<(ClientScope, Values)>,
    /// Each row's label and id in the file, for `Run::remember` and `Run::mapped` once
    /// it has its id.
    keys: Vec<Held>,
    /// The report line of the first row held (file, line number).
    first: (String, usize),
}

impl Run<'_> {
    /// Holds a new record of `R` (its values passed `service::checked`). The import
    /// has already written what it held of another kind (`holds_other_than`).
    pub(super) fn hold<R: Resource>(
        &mut self,
        conn: &mut AnyConnection,
        cs: ClientScope,
        values: Values,
        key: Held,
        line: (&str, usize),
    ) -> AppResult<()> {
        debug_assert!(!self.holds_other_than(R::SLUG));
        let p = self.pending.get_or_insert_with(|| Pending {
            slug: R::SLUG,
            table: R::TABLE,
            insert: write::create_many::<R>,
            rows: Vec::with_capacity(ROWS),
            keys: Vec::with_capacity(ROWS),
            first: (line.0.to_string(), line.1),
        });
        p.rows.push((cs, values));
        p.keys.push(key);
        if p.rows.len() >= ROWS {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes the records held, if any. When the database refuses them, `failed_at`
    /// names the first one's line (the import stops there).
    pub(super) fn flush(&mut self, conn: &mut AnyConnection) -> AppResult<()> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        let ids = match (p.insert)(conn, &p.rows) {
            Ok(ids) => ids,
            Err(e) => {
                self.failed_at = Some(p.first);
                return Err(e.into());
            }
        };
        for (((cs, _), held), id) in p.rows.iter().zip(&p.keys).zip(ids) {
            self.remember(p.slug, cs.client_id(), &held.label, id, (false, true));
            self.mapped(p.table, held.source.as_deref(), id, true);
        }
        Ok(())
    }

    /// Whether records of another kind than `slug` are held.
    pub(super) fn holds_other_than(&self, slug: &str) -> bool {
        self.pending.as_ref().is_some_and(|p| p.slug != slug)
    }
}
