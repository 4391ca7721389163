//! References to records the import writes later. Kinds are written in an order that
//! lets most references find what they name (a location before the assets in it), but
//! two kinds can point at each other — a contact works at a location whose manager is a
//! contact — so a reference to a kind written later, to a record not there yet, is set
//! once the whole file is in: through the same service as any change, or flagged when
//! nothing of that name came.

use super::state::Run;
use super::{cells, target, Report};
use crate::error::AppResult;
use crate::forms::{Field, Kind, RefKind};
use crate::resource::{service, Resource};
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;

/// A reference left blank for now.
pub(super) struct Link {
    pub field: Field,
    pub kind: RefKind,
    pub name: String,
}

/// The links of one record, to set once it has its id.
pub(super) struct Pending {
    pub cid: i64,
    pub id: i64,
    pub file: String,
    pub line: usize,
    pub links: Vec<Link>,
    pub set: SetFn,
}

pub(super) type SetFn = fn(&mut Run, &mut AnyConnection, &Pending) -> AppResult<Vec<String>>;

/// Whether a reference of `kind` from a record of `slug` names a kind written after it.
pub(super) fn later(slug: &str, kind: RefKind) -> bool {
    let rank = |s: &str| target(s).map_or(u8::MAX, |t| t.rank);
    super::state::slug_of(kind).is_some_and(|s| rank(s) > rank(slug))
}

/// The row's references to records not written yet: taken out of its values (the
/// record is written without them), to be set by `finish`.
pub(super) fn take(
    slug: &str,
    fields: &[Field],
    values: &mut [(&'static str, String)],
    refs: &crate::forms::RefOptions,
) -> Vec<Link> {
    let mut out = vec![];
    for (name, cell) in values.iter_mut() {
        let Some(f) = fields.iter().find(|f| f.name == *name) else {
            continue;
        };
        if let Kind::Ref(kind) = f.kind
            && !cell.trim().is_empty()
            && later(slug, kind)
            && cells::named(kind, cell, refs).is_none()
        {
            out.push(Link {
                field: *f,
                kind,
                name: std::mem::take(cell).trim().to_string(),
            });
        }
    }
    out
}

/// Sets every pending reference; what names nothing is flagged on its row.
pub(super) fn finish(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
) -> AppResult<()> {
    for pending in std::mem::take(&mut run.deferred) {
        for flag in (pending.set)(run, conn, &pending)? {
            report.flag_at(&pending.file, pending.line, flag);
        }
    }
    Ok(())
}

/// Sets the links of a record of `R` through its service: the record as stored, with
/// each reference that now names a record.
pub(super) fn set<R: Resource>(
    run: &mut Run,
    conn: &mut AnyConnection,
    p: &Pending,
) -> AppResult<Vec<String>> {
    let cs = ClientScope::checked(run.who.viewer(), p.cid);
    let fields: Vec<Field> = p.links.iter().map(|l| l.field).collect();
    let refs = run.refs_of(conn, &cs, &fields)?;
    let row = R::find(conn, &cs, p.id)?;
    let mut input = R::to_input(&row);
    let mut flags = vec![];
    for link in &p.links {
        match cells::named(link.kind, &link.name, &refs) {
            Some(id) => input.set(link.field.name, id.to_string()),
            None => flags.push(cells::no_such(&link.field, link.kind, &link.name)),
        }
    }
    if flags.len() == p.links.len() {
        return Ok(flags);
    }
    match service::checked::<R>(conn, run.who, &cs, Some(&row), &input, &refs)? {
        Ok(values) => {
            service::write_checked::<R>(conn, run.vault, &cs, Some(&row), &values)?;
        }
        Err(errors) => flags.extend(errors.0.values().cloned()),
    }
    Ok(flags)
}
