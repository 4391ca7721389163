//! What an import keeps in hand while it runs: the clients by name and by their id in
//! the file, each client's existing records and reference lists (loaded once, kept
//! current as rows are created), and the records rows have already taken.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{ClientRef, Record, Target};
use crate::error::AppResult;
use crate::forms::{key_text, Field, FormInput, Kind, RefKind, RefOptions};
use crate::list::ListParams;
use crate::resource::{refs, ListQuery, Resource};
use crate::scope::{ClientScope, Who};
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::vault::Vault;

/// Rows of one kind and client already there (archived ones too), by key and by id.
#[derive(Default)]
pub(super) struct Existing {
    /// (id, archived) by key.
    pub by_key: HashMap<String, Vec<(i64, bool)>>,
    pub ids: HashSet<i64>,
    /// The live record holding the kind's exclusive flag (a primary contact): its id
    /// and title.
    pub holder: Option<(i64, String)>,
}

/// A client of the tenant as an import finds it by name.
#[derive(Debug, Clone, Copy)]
pub(super) struct Named {
    pub id: i64,
    pub archived: bool,
}

pub(super) struct Run<'a> {
    pub(super) who: &'a Who,
    pub(super) vault: &'a Vault,
    pub(super) own_ids: bool,
    pub(super) chosen: Option<i64>,
    /// Clients by lowercase name (several may share one), archived ones too.
    pub(super) by_name: HashMap<String, Vec<Named>>,
    /// Clients of this file by their id in it.
    pub(super) by_source: HashMap<String, i64>,
    /// Client ids and names looked up or created so far.
    pub(super) live_clients: HashMap<i64, String>,
    pub(super) existing: HashMap<(i64, &'static str), Existing>,
    /// Shared with the row being written; extended in place once it is done.
    pub(super) refs: HashMap<i64, Rc<RefOptions>>,
    /// Records a row of this file has already written: never matched twice.
    pub(super) claimed: HashSet<(&'static str, i64)>,
    /// New records held to be inserted together (`pending`).
    pub(super) pending: Option<super::pending::Pending>,
    /// The line of the first held record when the database refused them.
    pub(super) failed_at: Option<(String, usize)>,
    /// References to records written later, set at the end (`deferred`).
    pub(super) deferred: Vec<super::deferred::Pending>,
    /// Ids of the file's rows (an export's) to ids here, by table.
    pub(super) ids: super::restore::rows::Ids,
    /// The rows this import made, by table: only they take an export's own dates and
    /// numbers, and only their parts (lines, payments, earlier secrets) are restored.
    pub(super) created: HashMap<&'static str, HashSet<i64>>,
    pub(super) ctx: &'a super::Context<'a>,
    /// Whether stored files' bytes are written (not on a dry run).
    pub(super) writes_files: bool,
    /// Bytes written under a temporary name, and the name they take once the import is
    /// kept.
    pub(super) new_files: Vec<(std::path::PathBuf, std::path::PathBuf)>,
    /// The run's folder for bytes not kept yet.
    pub(super) staging: std::path::PathBuf,
    /// Whether the file is an mspdesk export, whose steps read `ids` and `created`.
    pub(super) restoring: bool,
}

impl<'a> Run<'a> {
    pub(super) fn new(
        who: &'a Who,
        vault: &'a Vault,
        own_ids: bool,
        ctx: &'a super::Context<'a>,
        writes_files: bool,
    ) -> Run<'a> {
        Run {
            who,
            vault,
            own_ids,
            chosen: None,
            by_name: HashMap::new(),
            by_source: HashMap::new(),
            live_clients: HashMap::new(),
            existing: HashMap::new(),
            refs: HashMap::new(),
            claimed: HashSet::new(),
            pending: None,
            failed_at: None,
            deferred: vec![],
            ids: Default::default(),
            created: HashMap::new(),
            ctx,
            writes_files,
            new_files: vec![],
            staging: Default::default(),
            restoring: false,
        }
    }

    /// A row of the file (by its id there) is the row `id` of `table` here; `made` when
    /// this import made it.
    pub(super) fn mapped(
        &mut self,
        table: &'static str,
        source: Option<&str>,
        id: i64,
        made: bool,
    ) {
        // Only an export of mspdesk's own is restored beyond its sheets; a plain file's
        // million rows keep nothing here.
        if !self.restoring {
            return;
        }
        if let Some(source) = source.and_then(|s| s.trim().parse::<i64>().ok()) {
            self.ids.set(table, source, id);
        }
        if made {
            self.created.entry(table).or_default().insert(id);
        }
    }

    pub(super) fn made(&self, table: &str, id: i64) -> bool {
        self.created.get(table).is_some_and(|s| s.contains(&id))
    }

    /// The client a row names: a live one before an archived one of the same name.
    pub(super) fn client_named(&self, name: &str) -> Result<i64, String> {
        let found = self.by_name.get(&name.trim().to_lowercase());
        found
            .and_then(|all| all.iter().find(|c| !c.archived).or(all.first()))
            .map(|c| c.id)
            .ok_or_else(|| format!("There is no client named \"{}\".", name.trim()))
    }

    fn is_client(&self, id: i64) -> bool {
        self.by_name.values().flatten().any(|c| c.id == id)
    }

    pub(super) fn client_of(&self, r: &Record) -> Result<i64, String> {
        match &r.client {
            ClientRef::Chosen => self
                .chosen
                .ok_or_else(|| "The row names no client.".to_string()),
            ClientRef::Name(name) => self.client_named(name),
            ClientRef::Source(id, name) => match self.by_source.get(id) {
                Some(cid) => Ok(*cid),
                None if self.own_ids => id
                    .parse::<i64>()
                    .ok()
                    .filter(|cid| self.is_client(*cid))
                    .ok_or_else(|| format!("There is no client with id {id}.")),
                None if !name.is_empty() => self.client_named(name),
                None => Err(format!("The file has no client with id {id}.")),
            },
        }
    }

    /// The client a client row updates, if any: by its own id in an export of this
    /// tenant, else by name — an archived row only an archived client, a live row only
    /// a live one — never one an earlier row took.
    pub(super) fn client_matched(&self, r: &Record, name: &str) -> Option<i64> {
        let by_id = r
            .source_id
            .as_deref()
            .filter(|_| self.own_ids)
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|id| self.is_client(*id));
        by_id.or_else(|| {
            self.by_name
                .get(&name.to_lowercase())?
                .iter()
                .find(|c| c.archived == r.archived && !self.claimed.contains(&("clients", c.id)))
                .map(|c| c.id)
        })
    }

    /// Reference options of a client for `fields`: each kind they refer to is loaded
    /// on first use and kept (a contacts file never loads every contact's name).
    pub(super) fn refs_of(
        &mut self,
        conn: &mut AnyConnection,
        cs: &ClientScope,
        fields: &[Field],
    ) -> AppResult<Rc<RefOptions>> {
        let loaded = self.refs.entry(cs.client_id()).or_default();
        let missing: Vec<Field> = fields
            .iter()
            .filter(|f| matches!(f.kind, Kind::Ref(k) if !loaded.0.contains_key(&k)))
            .copied()
            .collect();
        if !missing.is_empty() {
            let more = refs::load(conn, cs, &missing)?;
            Rc::make_mut(loaded).0.extend(more.0);
        }
        Ok(loaded.clone())
    }

    /// The client's records of `R`, archived ones too, by key: read once per client.
    pub(super) fn load_existing<R: Resource>(
        &mut self,
        conn: &mut AnyConnection,
        cs: &ClientScope,
        t: &Target,
        refs: &RefOptions,
    ) -> AppResult<()> {
        let std::collections::hash_map::Entry::Vacant(slot) =
            self.existing.entry((cs.client_id(), R::SLUG))
        else {
            return Ok(());
        };
        let mut q: ListQuery = ListParams::default().normalize(R::SORTABLE);
        q.per = 10_000_000;
        q.archived = true;
        let mut e = Existing::default();
        for row in R::list(conn, cs, &q)? {
            let id = R::id(&row);
            e.ids.insert(id);
            let input = R::to_input(&row);
            if R::EXCLUSIVE.is_some_and(|f| !input.get(f).is_empty()) && !R::archived(&row) {
                e.holder = Some((id, R::title(&row)));
            }
            if let Some(key) = stored_key(t, &input, refs) {
                e.by_key
                    .entry(key)
                    .or_default()
                    .push((id, R::archived(&row)));
            }
        }
        slot.insert(e);
        Ok(())
    }

    /// Which existing record a row updates, if any: by its own id in an export of this
    /// tenant, else by its key — an archived row only an archived record, a live row
    /// only a live one — never one an earlier row of the file took.
    pub(super) fn matched(
        &mut self,
        slug: &'static str,
        cid: i64,
        key: Option<&str>,
        archived: bool,
        source: Option<&str>,
    ) -> Option<i64> {
        let existing = self.existing.get(&(cid, slug))?;
        if self.own_ids
            && let Some(id) = source.and_then(|s| s.parse::<i64>().ok())
        {
            return existing.ids.contains(&id).then_some(id);
        }
        existing
            .by_key
            .get(key?)?
            .iter()
            .find(|(id, a)| *a == archived && !self.claimed.contains(&(slug, *id)))
            .map(|(id, _)| *id)
    }

    /// A record this import wrote: never matched by a later row, and offered as a
    /// reference (by `label`) to the rows after it.
    pub(super) fn remember(
        &mut self,
        slug: &'static str,
        cid: i64,
        label: &str,
        id: i64,
        (archived, created): (bool, bool),
    ) {
        // A record this import made is in no list a row is matched against; one it
        // updated is, and no later row may take it again. Nothing else is kept of
        // either: a million new rows cost their references only.
        if !created {
            self.claimed.insert((slug, id));
        }
        // Only a kind already loaded: one loaded later reads the new record with the
        // rest.
        let loaded = ref_kind(slug).zip(self.refs.get_mut(&cid));
        if let (Some((kind, refs)), false) = (loaded, archived)
            && refs.0.contains_key(&kind)
            && let Some(list) = Rc::make_mut(refs).0.get_mut(&kind)
        {
            list.push((id, label.to_string()));
        }
    }
}

/// A record's key as its stored form shows it; `None` for a kind without a key or a
/// record whose key fields are all blank.
pub(super) fn stored_key(t: &Target, input: &FormInput, refs: &RefOptions) -> Option<String> {
    key_from(t, refs, |f| input.get(f.name).to_string())
}

/// A row's key, its cells read as the form reads them.
pub(super) fn row_key(t: &Target, r: &Record, refs: &RefOptions) -> Option<String> {
    key_from(t, refs, |f| {
        super::cells::to_input(f, r.value(f.name), refs, &mut vec![])
    })
}

fn key_from(t: &Target, refs: &RefOptions, value: impl Fn(&Field) -> String) -> Option<String> {
    let parts: Vec<String> = t
        .key
        .iter()
        .filter_map(|k| t.fields.iter().find(|f| f.name == *k))
        .map(|f| {
            let v = value(f);
            if v.trim().is_empty() {
                String::new()
            } else {
                key_text(f, &v, refs)
            }
        })
        .collect();
    (!parts.is_empty() && parts.iter().any(|p| !p.is_empty())).then(|| parts.join("\u{1f}"))
}

/// The kinds others refer to, by slug.
const REFERRED: &[(&str, RefKind)] = &[
    ("contacts", RefKind::Contact),
    ("locations", RefKind::Location),
    ("assets", RefKind::Asset),
    ("networks", RefKind::Network),
    ("racks", RefKind::Rack),
    ("projects", RefKind::Project),
];

/// The kind of reference records of `slug` are, for kinds others refer to.
pub(super) fn ref_kind(slug: &str) -> Option<RefKind> {
    REFERRED.iter().find(|(s, _)| *s == slug).map(|(_, k)| *k)
}

/// The kind of record a reference of `kind` names, when an import writes it.
pub(super) fn slug_of(kind: RefKind) -> Option<&'static str> {
    REFERRED.iter().find(|(_, k)| *k == kind).map(|(s, _)| *s)
}
