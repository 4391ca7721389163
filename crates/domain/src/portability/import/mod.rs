//! Data into mspdesk: a CSV of one kind (columns by header name, or ITFlow's positional
//! templates), an IT Glue export, or mspdesk's own tenant export (`restore`). A file becomes a
//! `Plan`: its records, read lazily a row at a time (nothing read from the database);
//! `run` applies them in one transaction through the same service functions as the
//! forms, and either keeps it (a commit without a single error row, or the good rows
//! when the user chose to skip the rest) or rolls it all back (a dry run) — the report
//! is the same either way, so what the dry run showed is what the commit does.
//!
//! Matching rule: a row updates an existing record only when it names it by the key
//! its kind declares (`Resource::IMPORT_KEY`: a name, a ticket's number…) or, in an
//! export of the same tenant, by its id; otherwise it creates. A record an earlier row
//! of the same file took is not matched again — two people called "Jane Doe" in one
//! file stay two contacts; a file imported twice changes nothing the second time.

mod apply;
pub mod archive;
pub mod batches;
pub mod cells;
pub mod columns;
mod deferred;
mod draft;
pub mod itglue;
mod pending;
mod report;
pub mod restore;
mod rows;
pub mod sheet;
mod skipped;
mod state;
mod synonyms;
pub mod table;
pub mod targets;
mod text;

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

pub use apply::{run, Context, Keep, STAGING};
pub use report::{Action, Line, Notes, Report};
pub use sheet::{rows_of, Layout};
pub use skipped::skipped_rows;
pub(crate) use targets::in_writing_order;
pub use targets::{target, targets, Target};

/// What to read a file as: the kind of its rows (CSV), how its columns are laid out,
/// and the client rows without a client column belong to. Archives say what they are.
#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: String,
    pub layout: Layout,
    pub client: Option<String>,
}

/// An uploaded file waiting for its import: its name as the user gave it, where it
/// lies (a ZIP, a CSV, or an export's folder) and how to read it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub path: PathBuf,
    pub spec: Spec,
    /// The most bytes an archive may unpack to: the upload limit on the web,
    /// `archive::MAX_UNPACKED` on the command line.
    pub unpack_limit: u64,
}

/// The records of an uploaded file: a ZIP archive or folder, or a CSV of `spec.kind`
/// rows.
pub fn plan(upload: &Upload) -> Result<Plan, String> {
    if upload.path.is_dir() {
        return from_archive(&upload.name, archive::Archive::from_dir(&upload.path)?);
    }
    if skipped::is_zip(upload)? {
        return from_archive(
            &upload.name,
            archive::Archive::from_zip_file(&upload.path, upload.unpack_limit)?,
        );
    }
    let spec = &upload.spec;
    if spec.kind.is_empty() || spec.kind == ARCHIVE {
        return Err(
            "Choose what the file's rows are (clients, contacts, …), or upload a ZIP export."
                .into(),
        );
    }
    sheet::from_csv(
        &upload.name,
        table::Input::File(upload.path.clone()),
        &spec.kind,
        spec.layout,
        spec.client.clone(),
    )
}

/// Plans an upload and applies it (`run`); a file that cannot be read is the `Err`
/// of the inner result, with the reason to show.
pub fn run_upload(
    conn: &mut mspdesk_platform::db::AnyConnection,
    who: &crate::scope::Who,
    vault: &mspdesk_platform::vault::Vault,
    upload: &Upload,
    keep: Keep,
    ctx: &Context,
) -> crate::error::AppResult<Result<Report, String>> {
    match plan(upload) {
        Ok(plan) => run(conn, who, vault, plan, keep, ctx).map(Ok),
        Err(e) => Ok(Err(e)),
    }
}

/// The `kind` of an upload that is an export archive.
pub const ARCHIVE: &str = "archive";

/// The records of an archive: mspdesk's own export (it has `mspdesk.json`) or an IT
/// Glue export (it has `organizations.csv`).
pub(crate) fn from_archive(name: &str, archive: archive::Archive) -> Result<Plan, String> {
    if archive
        .find(crate::portability::tenant_export::MANIFEST)
        .is_some()
    {
        restore::plan(name, Rc::new(archive))
    } else if archive.find("organizations.csv").is_some() {
        itglue::plan(name, Rc::new(archive))
    } else {
        Err(
            "The archive is neither an IT Glue export (organizations.csv, contacts.csv, …) nor \
             an mspdesk export (mspdesk.json)."
                .into(),
        )
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
    /// Sets a field. A second column for the same field fills it when it is still
    /// blank; fields that hold several things (notes, e-mail addresses, DNS servers,
    /// interfaces) gather every column's value; any other second value is left out with
    /// a flag, never silently. A blank cell is kept too: a new record's field the file
    /// leaves blank stays blank rather than taking the form's default.
    pub fn put(&mut self, field: &'static str, value: &str) {
        let value = if value.trim().is_empty() { "" } else { value };
        match self.values.iter_mut().find(|(f, _)| *f == field) {
            Some((_, v)) if v.trim().is_empty() => *v = value.to_string(),
            Some(_) if value.is_empty() => {}
            Some((_, v)) if v.trim() == value.trim() => {}
            Some((_, v)) => match gathered(field) {
                Some(separator) => {
                    v.push_str(separator);
                    v.push_str(value.trim());
                }
                None => {
                    let label = target(self.slug)
                        .and_then(|t| t.fields.iter().find(|f| f.name == field))
                        .map_or(field, |f| f.label);
                    self.flags.push(format!(
                        "{label}: \"{}\" from a second column was not imported; \"{}\" was.",
                        value.trim(),
                        v.trim()
                    ));
                }
            },
            None => self.values.push((field, value.to_string())),
        }
    }
}

/// How a field that holds several things joins the values of several columns.
fn gathered(field: &str) -> Option<&'static str> {
    match field {
        "notes" => Some("\n\n"),
        "interfaces" => Some("\n"),
        "email" | "dns_servers" => Some(", "),
        _ => None,
    }
}

/// What a plan gives the import, in order: a record of a sheet's row, or a step of an
/// export's own (restoring what no sheet holds: `restore`).
pub enum Item {
    Record(Record),
    Step(restore::Step),
}

/// A file's items, read when the import reaches them; a file that turns out not to
/// be readable part-way gives an error in their place.
pub type Records = Box<dyn Iterator<Item = Result<Item, String>>>;

/// Everything a file asks to write, read as the import goes.
pub struct Plan {
    pub source: String,
    pub records: Records,
    /// What reading the files noticed (encodings, unmatched columns), filled in as
    /// they are read.
    pub notes: Rc<RefCell<Notes>>,
    /// The client rows without a client column belong to (by name).
    pub chosen_client: Option<String>,
    /// The tenant whose mspdesk export this is: when it is the importing tenant, the
    /// file's ids name its records.
    pub source_tenant: Option<i64>,
}
