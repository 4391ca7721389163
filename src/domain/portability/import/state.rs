//! What an import keeps in hand while it runs: the clients by name and by their id in
//! the file, each client's existing records and reference lists (loaded once, kept
//! current as rows are created), and the records rows have already taken.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{ClientRef, Record};
use crate::domain::forms::{Field, Kind, RefKind, RefOptions};
use crate::domain::resource::refs;
use crate::domain::scope::{ClientScope, Who};
use crate::error::AppResult;
use crate::platform::db::AnyConnection;
use crate::platform::vault::Vault;

/// Rows of one kind and client already there (live), by key and by id.
#[derive(Default)]
pub(super) struct Existing {
    pub by_key: HashMap<String, Vec<i64>>,
    pub ids: HashSet<i64>,
}

pub(super) struct Run<'a> {
    pub(super) who: &'a Who,
    pub(super) vault: &'a Vault,
    pub(super) own_ids: bool,
    pub(super) chosen: Option<i64>,
    /// Live clients by lowercase name (several may share one).
    pub(super) by_name: HashMap<String, Vec<i64>>,
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
}

impl<'a> Run<'a> {
    pub(super) fn new(who: &'a Who, vault: &'a Vault, own_ids: bool) -> Run<'a> {
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
        }
    }

    pub(super) fn client_named(&self, name: &str) -> Result<i64, String> {
        match self
            .by_name
            .get(&name.trim().to_lowercase())
            .map(Vec::as_slice)
        {
            Some([id]) => Ok(*id),
            Some([id, ..]) => Ok(*id),
            _ => Err(format!("There is no client named \"{}\".", name.trim())),
        }
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
                    .filter(|cid| self.by_name.values().flatten().any(|c| c == cid))
                    .ok_or_else(|| format!("There is no client with id {id}.")),
                None if !name.is_empty() => self.client_named(name),
                None => Err(format!("The file has no client with id {id}.")),
            },
        }
    }

    /// Reference options of a client, every kind at once, loaded on first use.
    pub(super) fn refs_of(
        &mut self,
        conn: &mut AnyConnection,
        cs: &ClientScope,
    ) -> AppResult<Rc<RefOptions>> {
        Ok(match self.refs.entry(cs.client_id()) {
            std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Rc::new(refs::load(conn, cs, ALL_REFS)?)).clone()
            }
        })
    }

    /// Which existing record a row updates, if any (see the module's matching rule).
    pub(super) fn matched(
        &mut self,
        slug: &'static str,
        cid: i64,
        key: &str,
        source: Option<&str>,
    ) -> Option<i64> {
        let existing = self.existing.get(&(cid, slug))?;
        if self.own_ids {
            if let Some(id) = source.and_then(|s| s.parse::<i64>().ok()) {
                return existing.ids.contains(&id).then_some(id);
            }
        }
        let id = existing
            .by_key
            .get(&key.to_lowercase())?
            .iter()
            .copied()
            .find(|id| !self.claimed.contains(&(slug, *id)))?;
        Some(id)
    }

    pub(super) fn remember(&mut self, slug: &'static str, cid: i64, key: &str, id: i64) {
        self.claimed.insert((slug, id));
        let e = self.existing.entry((cid, slug)).or_default();
        e.ids.insert(id);
        e.by_key.entry(key.to_lowercase()).or_default().push(id);
        if let (Some(kind), Some(refs)) = (ref_kind(slug), self.refs.get_mut(&cid)) {
            Rc::make_mut(refs)
                .0
                .entry(kind)
                .or_default()
                .push((id, key.to_string()));
        }
    }
}

/// A field of every kind of reference, to load them all in one call.
pub(super) const ALL_REFS: &[Field] = &[
    Field::new("c", "", Kind::Ref(RefKind::Contact)),
    Field::new("l", "", Kind::Ref(RefKind::Location)),
    Field::new("a", "", Kind::Ref(RefKind::Asset)),
    Field::new("n", "", Kind::Ref(RefKind::Network)),
    Field::new("r", "", Kind::Ref(RefKind::Rack)),
    Field::new("p", "", Kind::Ref(RefKind::Project)),
    Field::new("f", "", Kind::Ref(RefKind::File)),
    Field::new("u", "", Kind::Ref(RefKind::User)),
];

/// The kind of reference records of `slug` are, for kinds others refer to.
pub(super) fn ref_kind(slug: &str) -> Option<RefKind> {
    Some(match slug {
        "contacts" => RefKind::Contact,
        "locations" => RefKind::Location,
        "assets" => RefKind::Asset,
        "networks" => RefKind::Network,
        "racks" => RefKind::Rack,
        "projects" => RefKind::Project,
        _ => return None,
    })
}
