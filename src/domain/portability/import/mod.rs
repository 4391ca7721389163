//! Data into mspdesk: a CSV of one kind (columns by header name, or ITFlow's positional
//! templates), an IT Glue export, or mspdesk's own tenant export. A file becomes a
//! `Plan` of records first (nothing read from the database); `run` then applies the
//! plan in one transaction through the same service functions as the forms, and
//! either keeps it (a commit without a single error row) or rolls it all back (a dry
//! run, or a commit that met an error) — the report is the same either way, row by
//! row, so what the dry run showed is what the commit does.
//!
//! Matching rule: a row updates the live record of the same name (a domain's name, a
//! client's name) in its client unless an earlier row of the same file already took
//! that record — two people called "Jane Doe" in one file stay two contacts; a file
//! imported twice updates rather than duplicates. A row's id from mspdesk's own export
//! of the same tenant names its record exactly.

mod apply;
pub mod archive;
pub mod batches;
pub mod cells;
pub mod columns;
pub mod itglue;
mod pending;
mod rows;
mod state;
mod synonyms;
pub mod table;

use std::collections::BTreeMap;

use crate::domain::directory::clients::{BILLING_FIELDS, FIELDS as CLIENT_FIELDS};
use crate::domain::forms::Field;
use crate::domain::registry::{self, Visitor};
use crate::domain::resource::Resource;

pub use apply::run;

/// What to read a file as: the kind of its rows (CSV), how its columns are laid out,
/// and the client rows without a client column belong to. Archives say what they are.
#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: String,
    pub layout: Layout,
    pub client: Option<String>,
}

/// The records of an uploaded file: a ZIP archive, or a CSV of `spec.kind` rows.
pub fn plan(name: &str, bytes: &[u8], spec: &Spec) -> Result<Plan, String> {
    if bytes.starts_with(b"PK\x03\x04") {
        return from_archive(name, &archive::Archive::from_zip(bytes)?);
    }
    if spec.kind.is_empty() || spec.kind == ARCHIVE {
        return Err(
            "Choose what the file's rows are (clients, contacts, …), or upload a ZIP export."
                .into(),
        );
    }
    from_csv(name, bytes, &spec.kind, spec.layout, spec.client.clone())
}

/// The `kind` of an upload that is an export archive.
pub const ARCHIVE: &str = "archive";

/// The records of an archive: mspdesk's own export (it has `mspdesk.json`) or an IT
/// Glue export (it has `organizations.csv`).
pub fn from_archive(name: &str, archive: &archive::Archive) -> Result<Plan, String> {
    if archive
        .get(crate::domain::portability::tenant_export::MANIFEST)
        .is_some()
    {
        crate::domain::portability::tenant_export::plan(name, archive)
    } else if archive.get("organizations.csv").is_some() {
        itglue::plan(name, archive)
    } else {
        Err(
            "The archive is neither an IT Glue export (organizations.csv, contacts.csv, …) nor \
             an mspdesk export (mspdesk.json)."
                .into(),
        )
    }
}
use columns::Col;

/// What one row of the file became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Skip,
    Error,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Skip => "skip",
            Action::Error => "error",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Line {
    pub line: usize,
    /// The file it comes from (an export holds several).
    pub file: String,
    pub kind: &'static str,
    pub title: String,
    pub client: String,
    pub action: Action,
    pub reason: String,
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub lines: Vec<Line>,
    /// Headers no field matched, per file.
    pub ignored: Vec<String>,
    pub committed: bool,
}

impl Report {
    pub fn count(&self, action: Action) -> usize {
        self.lines.iter().filter(|l| l.action == action).count()
    }
    pub fn flagged(&self) -> usize {
        self.lines.iter().filter(|l| !l.flags.is_empty()).count()
    }
}

/// The client a record belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientRef {
    /// The client chosen for the whole file.
    Chosen,
    Name(String),
    /// A client of the same file, by its id there (and its name, if the file has one).
    Source(String, String),
}

/// One record to write, as the file gave it.
#[derive(Debug, Clone)]
pub struct Record {
    pub file: String,
    pub line: usize,
    pub slug: &'static str,
    pub client: ClientRef,
    /// Raw cells by field name.
    pub values: Vec<(&'static str, String)>,
    pub source_id: Option<String>,
    pub archived: bool,
    pub flags: Vec<String>,
}

impl Record {
    pub fn new(file: &str, line: usize, slug: &'static str, client: ClientRef) -> Record {
        Record {
            file: file.to_string(),
            line,
            slug,
            client,
            values: vec![],
            source_id: None,
            archived: false,
            flags: vec![],
        }
    }
    pub fn value(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(f, v)| *f == field && !v.trim().is_empty())
            .map_or("", |(_, v)| v.trim())
    }
    /// Sets a field; a second column for the same field fills it only if still blank
    /// (ITFlow's mobile number after the phone), except lists, which gather. A blank
    /// cell is kept too: a new record's field the file leaves blank stays blank rather
    /// than taking the form's default.
    pub fn put(&mut self, field: &'static str, value: &str) {
        let value = if value.trim().is_empty() { "" } else { value };
        match self.values.iter_mut().find(|(f, _)| *f == field) {
            Some((_, v)) if v.trim().is_empty() => *v = value.to_string(),
            Some(_) if value.is_empty() => {}
            Some((_, v)) if field == "dns_servers" => {
                v.push_str(", ");
                v.push_str(value.trim());
            }
            Some(_) => {}
            None => self.values.push((field, value.to_string())),
        }
    }
}

/// Everything a file asks to write, before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub source: String,
    pub records: Vec<Record>,
    pub ignored: Vec<String>,
    /// The client rows without a client column belong to (by name).
    pub chosen_client: Option<String>,
    /// The tenant whose mspdesk export this is: when it is the importing tenant, the
    /// file's ids name its records.
    pub source_tenant: Option<i64>,
}

/// A kind of record the importer writes.
pub struct Target {
    pub slug: &'static str,
    pub singular: &'static str,
    pub plural: &'static str,
    pub fields: Vec<Field>,
    pub is_client: bool,
    /// The fields a row names an existing record by (`Resource::IMPORT_KEY`); empty: it
    /// never does.
    pub key: &'static [&'static str],
    /// The field the report names a row by.
    pub title: &'static str,
    /// Fields kept or dropped together (`Resource::FIELD_GROUPS`).
    pub groups: &'static [&'static [&'static str]],
    /// Order of writing: what others refer to comes first.
    pub rank: u8,
    write: Option<apply::WriteFn>,
}

/// Kinds whose records others refer to, in the order they are written.
const FIRST: &[&str] = &[
    "contacts",
    "locations",
    "networks",
    "racks",
    "assets",
    "projects",
];

struct Collect(Vec<Target>);

impl Visitor for Collect {
    fn visit<R: Resource>(&mut self) {
        // Files come with their bytes; they are not rows of a sheet.
        if R::CUSTOM_CREATE {
            return;
        }
        // A computed field is read only as a key (a ticket's number names it).
        let fields: Vec<Field> = R::FIELDS
            .iter()
            .filter(|f| !f.computed || R::IMPORT_KEY.contains(&f.name))
            .copied()
            .collect();
        debug_assert!(R::IMPORT_KEY
            .iter()
            .all(|k| fields.iter().any(|f| f.name == *k)));
        let title = [R::LABEL_COLUMN, "name", "subject", "title", "purpose"]
            .into_iter()
            .find(|n| fields.iter().any(|f| f.name == *n))
            .unwrap_or(R::LABEL_COLUMN);
        let rank = FIRST
            .iter()
            .position(|s| *s == R::SLUG)
            .map_or(20, |p| p as u8 + 1);
        self.0.push(Target {
            slug: R::SLUG,
            singular: R::SINGULAR,
            plural: R::PLURAL,
            fields,
            is_client: false,
            key: R::IMPORT_KEY,
            title,
            groups: R::FIELD_GROUPS,
            rank,
            write: Some(rows::write::<R>),
        });
    }
}

/// Every kind the importer writes: clients, then each client sub-resource.
pub fn targets() -> &'static [Target] {
    static ALL: std::sync::LazyLock<Vec<Target>> = std::sync::LazyLock::new(|| {
        let clients = Target {
            slug: "clients",
            singular: "client",
            plural: "clients",
            fields: CLIENT_FIELDS
                .iter()
                .chain(BILLING_FIELDS)
                .copied()
                .collect(),
            is_client: true,
            key: &["name"],
            title: "name",
            groups: &[],
            rank: 0,
            write: None,
        };
        let mut c = Collect(vec![clients]);
        registry::each(&mut c);
        c.0
    });
    &ALL
}

pub fn target(slug: &str) -> Option<&'static Target> {
    targets().iter().find(|t| t.slug == slug)
}

/// How the columns of a CSV are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Headers,
    ItFlow,
}

/// The records of a CSV of `slug` rows.
pub fn from_csv(
    name: &str,
    bytes: &[u8],
    slug: &str,
    layout: Layout,
    chosen_client: Option<String>,
) -> Result<Plan, String> {
    let target = target(slug).ok_or_else(|| format!("There is no import for \"{slug}\"."))?;
    let table = table::read(bytes)?;
    let (cols, ignored) = match layout {
        Layout::Headers => columns::by_header(target, &table.header),
        Layout::ItFlow => columns::by_position(target, &table.header)?,
    };
    if !cols.iter().any(|c| matches!(c, Col::Field(..))) {
        let known: Vec<&str> = target.fields.iter().take(6).map(|f| f.label).collect();
        return Err(format!(
            "None of the columns ({}) is a field of {}; expected headers such as {}. If the \
             whole header shows as one column, the file uses a delimiter other than comma, \
             semicolon, tab or pipe.",
            table.header.join(", "),
            target.plural,
            known.join(", ")
        ));
    }
    let client_column = cols
        .iter()
        .any(|c| matches!(c, Col::Client | Col::ClientId));
    if !target.is_client && !client_column && chosen_client.is_none() {
        return Err(format!(
            "The file has no client column: choose the client these {} belong to.",
            target.plural
        ));
    }
    let mut records = vec![];
    for (line, cells) in &table.rows {
        records.extend(rows_of(name, target, &cols, *line, cells));
    }
    Ok(Plan {
        source: name.to_string(),
        records,
        ignored: ignored
            .into_iter()
            .map(|h| format!("{name}: {h}"))
            .collect(),
        chosen_client,
        source_tenant: None,
    })
}

/// The records of one row: one, or — ITFlow's client template — a client with its
/// first location and contact.
pub fn rows_of(
    file: &str,
    target: &'static Target,
    cols: &[Col],
    line: usize,
    cells: &[String],
) -> Vec<Record> {
    let (mut client, mut client_id) = (String::new(), String::new());
    let mut by_slug: BTreeMap<&'static str, Record> = BTreeMap::new();
    let mut main = Record::new(file, line, target.slug, ClientRef::Chosen);
    for (col, cell) in cols.iter().zip(cells) {
        match col {
            Col::Field(slug, field) if *slug == target.slug => main.put(field, cell),
            Col::Field(slug, field) => by_slug
                .entry(slug)
                .or_insert_with(|| Record::new(file, line, slug, ClientRef::Chosen))
                .put(field, cell),
            Col::Client => client = cell.trim().to_string(),
            Col::ClientId => client_id = cell.trim().to_string(),
            Col::Id => main.source_id = Some(cell.trim().to_string()).filter(|s| !s.is_empty()),
            Col::Archived => main.archived = cells::yes_no(cell) == Some(true),
            Col::Ignored => {}
        }
    }
    main.client = match (client_id.is_empty(), client.is_empty()) {
        (false, _) => ClientRef::Source(client_id, client),
        (true, false) => ClientRef::Name(client),
        (true, true) => ClientRef::Chosen,
    };
    let mut out = vec![];
    let owner = main.value("name").to_string();
    out.push(main);
    for (slug, mut r) in by_slug {
        if r.values.iter().all(|(_, v)| v.trim().is_empty()) {
            continue;
        }
        // The client's first location and contact: its primary ones.
        r.client = ClientRef::Name(owner.clone());
        r.put("primary", "yes");
        if r.value("name").is_empty() {
            r.put(
                "name",
                if slug == "locations" {
                    "Main office"
                } else {
                    "Primary contact"
                },
            );
        }
        out.push(r);
    }
    out
}
