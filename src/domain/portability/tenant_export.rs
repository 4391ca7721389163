//! The whole tenant in one ZIP: `clients.csv` and one CSV per kind of client record
//! (every registered resource), the same rows as JSON, the finance documents, ticket
//! replies and stored files (`records`), and `mspdesk.json` saying what it is. The
//! ZIP is written to a file, not held in memory: stored files can be large. Secrets (passwords, TOTP seeds, licence keys) are left out unless an admin
//! asks for them with a reason, which the audit log keeps. The importer reads the ZIP
//! back (`plan`): into an empty tenant it makes the same records; into the tenant it
//! came from, rows keep their ids and update in place.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::import::{self, archive::Archive, columns::by_header, table, Plan};
use super::records;
use crate::domain::directory::clients::{self, BILLING_FIELDS, FIELDS as CLIENT_FIELDS};
use crate::domain::forms::{Field, FormInput, Kind, RefKind};
use crate::domain::registry::{self, Visitor};
use crate::domain::resource::{refs, secret_fields, write, Resource};
use crate::domain::scope::{ClientScope, Who};
use crate::domain::tenancy::audit;
use crate::domain::tenancy::policy::{require, Action, Area, Perm};
use crate::error::{AppError, AppResult};
use crate::platform::db::AnyConnection;
use crate::platform::vault::Vault;

pub const MANIFEST: &str = "mspdesk.json";
const FORMAT: &str = "mspdesk-export";

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    tenant_id: i64,
    exported_at: String,
    secrets: bool,
    files: Vec<String>,
    /// Stored files whose content was not found in the storage.
    #[serde(default)]
    missing: Vec<String>,
}

/// One kind of record as a sheet: its header and rows, and the same rows as JSON.
struct Sheet {
    slug: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    json: Vec<Value>,
}

/// A cell as the importer reads it back: references by name, ticks as Yes/No,
/// everything else as its form shows it.
fn cell(f: &Field, input: &FormInput, names: &HashMap<RefKind, HashMap<i64, String>>) -> String {
    let raw = input.get(f.name);
    match f.kind {
        Kind::Bool => if raw.is_empty() { "No" } else { "Yes" }.into(),
        Kind::Ref(kind) => raw
            .parse::<i64>()
            .ok()
            .and_then(|id| names.get(&kind)?.get(&id).cloned())
            .unwrap_or_default(),
        _ => input.raw(f.name).to_string(),
    }
}

fn json_of(fields: &[&Field], cells: &[String], lead: Map<String, Value>) -> Value {
    let mut obj = lead;
    for (f, c) in fields.iter().zip(cells) {
        obj.insert(f.name.to_string(), Value::String(c.clone()));
    }
    Value::Object(obj)
}

/// Writes the ZIP of the tenant to `out`. With `reason`, secrets are opened and
/// included, and the audit entry says why. Stored files are read from `files_dir`.
pub fn build(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    reason: Option<&str>,
    now: chrono::NaiveDateTime,
    files_dir: &Path,
    out: std::fs::File,
) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let names = refs::tenant_names(conn, who.tenant())?;
    let mut sheets = vec![client_sheet(conn, who)?];
    let mut collect = Collect {
        conn,
        who,
        vault,
        secrets: reason.is_some(),
        names: &names,
        sheets: vec![],
        error: None,
    };
    registry::each(&mut collect);
    if let Some(e) = collect.error {
        return Err(e);
    }
    sheets.extend(collect.sheets);
    let mut extra = vec![];
    for table in records::TABLES {
        let rows = records::json_rows(conn, who.tenant(), table)?;
        extra.push((format!("records/{table}.json"), rows.into_bytes()));
    }
    let stored = records::stored_files(conn, who.tenant())?;
    let changes = json!({ "secrets": reason.is_some(), "reason": reason.unwrap_or("") });
    let action = if reason.is_some() {
        "export_with_secrets"
    } else {
        "export"
    };
    audit::record(
        conn,
        &who.actor,
        audit::Entry::of_tenant("tenant", None, action, changes),
    )?;
    let manifest = Manifest {
        format: FORMAT.into(),
        version: 1,
        tenant_id: who.tenant().get(),
        exported_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        secrets: reason.is_some(),
        files: vec![],
        missing: vec![],
    };
    zip_of(out, &sheets, &extra, &stored, files_dir, manifest)
        .map_err(|e| AppError::Internal(format!("writing the export: {e}")))
}

fn client_sheet(conn: &mut AnyConnection, who: &Who) -> AppResult<Sheet> {
    let fields: Vec<&Field> = CLIENT_FIELDS.iter().chain(BILLING_FIELDS).collect();
    let mut header = vec!["ID".to_string(), "Archived".to_string()];
    header.extend(fields.iter().map(|f| f.label.to_string()));
    let mut sheet = Sheet {
        slug: "clients",
        header,
        rows: vec![],
        json: vec![],
    };
    let none = HashMap::new();
    for c in clients::all_of_tenant(conn, who.tenant())? {
        let input = c.to_input();
        let cells: Vec<String> = fields.iter().map(|f| cell(f, &input, &none)).collect();
        let mut lead = Map::new();
        lead.insert("id".into(), json!(c.id));
        lead.insert("archived".into(), json!(c.archived()));
        sheet.json.push(json_of(&fields, &cells, lead));
        let mut row = vec![c.id.to_string(), yes_no(c.archived())];
        row.extend(cells);
        sheet.rows.push(row);
    }
    Ok(sheet)
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.into()
}

struct Collect<'a> {
    conn: &'a mut AnyConnection,
    who: &'a Who,
    vault: &'a Vault,
    secrets: bool,
    names: &'a HashMap<RefKind, HashMap<i64, String>>,
    sheets: Vec<Sheet>,
    error: Option<AppError>,
}

impl Visitor for Collect<'_> {
    fn visit<R: Resource>(&mut self) {
        if self.error.is_some() || import::target(R::SLUG).is_none() {
            return;
        }
        match sheet_of::<R>(self) {
            Ok(sheet) => self.sheets.push(sheet),
            Err(e) => self.error = Some(e),
        }
    }
}

/// Rows are read a page at a time, in id order.
const PAGE: i64 = 5_000;

fn sheet_of<R: Resource>(c: &mut Collect) -> AppResult<Sheet> {
    let fields: Vec<&Field> = R::FIELDS
        .iter()
        .filter(|f| !f.computed && (c.secrets || !f.kind.is_secret()))
        .collect();
    let mut header: Vec<String> = ["Client ID", "Client", "ID", "Archived"]
        .map(String::from)
        .into();
    header.extend(fields.iter().map(|f| f.label.to_string()));
    let mut sheet = Sheet {
        slug: R::SLUG,
        header,
        rows: vec![],
        json: vec![],
    };
    let client_names: HashMap<i64, String> = clients::all_of_tenant(c.conn, c.who.tenant())?
        .into_iter()
        .map(|cl| (cl.id, cl.data.name))
        .collect();
    let mut after = 0;
    loop {
        let page = R::of_tenant(c.conn, c.who.tenant(), after, PAGE)?;
        let Some((_, last)) = page.last() else { break };
        after = R::id(last);
        for (cid, row) in &page {
            let id = R::id(row);
            let mut input = R::to_input(row);
            if c.secrets {
                let cs = ClientScope::checked(c.who.tenant(), *cid);
                for f in secret_fields::<R>() {
                    if let Some(sealed) = R::read_secret(c.conn, &cs, id, f.name)? {
                        let plain = c
                            .vault
                            .open_secret(write::secret_ref::<R>(&cs, id, f.name), &sealed)
                            .map_err(|e| AppError::Internal(format!("{} {id}: {e}", R::TABLE)))?;
                        input.set(f.name, plain);
                    }
                }
            }
            let cells: Vec<String> = fields.iter().map(|f| cell(f, &input, c.names)).collect();
            let client = client_names.get(cid).cloned().unwrap_or_default();
            let mut lead = Map::new();
            lead.insert("id".into(), json!(id));
            lead.insert("client_id".into(), json!(cid));
            lead.insert("client".into(), json!(client));
            lead.insert("archived".into(), json!(R::archived(row)));
            sheet.json.push(json_of(&fields, &cells, lead));
            let mut out = vec![
                cid.to_string(),
                client,
                id.to_string(),
                yes_no(R::archived(row)),
            ];
            out.extend(cells);
            sheet.rows.push(out);
        }
    }
    Ok(sheet)
}

fn zip_of(
    out: std::fs::File,
    sheets: &[Sheet],
    extra: &[(String, Vec<u8>)],
    stored: &[records::Stored],
    files_dir: &Path,
    mut manifest: Manifest,
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(out));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    let mut entries: Vec<(String, Vec<u8>)> = vec![];
    for s in sheets {
        entries.push((
            format!("{}.csv", s.slug),
            super::csv_out::write(&s.header, &s.rows)?,
        ));
        entries.push((
            format!("{}.json", s.slug),
            serde_json::to_vec_pretty(&s.json).map_err(|e| err(&e))?,
        ));
    }
    for (name, bytes) in entries.iter().chain(extra) {
        zip.start_file(name.as_str(), options)
            .map_err(|e| err(&e))?;
        zip.write_all(bytes).map_err(|e| err(&e))?;
        manifest.files.push(name.clone());
    }
    // Stored files go from the disk into the archive, a buffer at a time.
    for file in stored {
        let name = records::entry_name(file);
        let Ok(mut content) = std::fs::File::open(files_dir.join(&file.file_path)) else {
            manifest.missing.push(name);
            continue;
        };
        zip.start_file(name.as_str(), options)
            .map_err(|e| err(&e))?;
        std::io::copy(&mut content, &mut zip).map_err(|e| err(&e))?;
        manifest.files.push(name);
    }
    zip.start_file(MANIFEST, options).map_err(|e| err(&e))?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest).map_err(|e| err(&e))?)
        .map_err(|e| err(&e))?;
    zip.finish()
        .map_err(|e| err(&e))?
        .into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(|e| err(&e))
}

/// The records of an mspdesk export, every kind in writing order, each sheet read when
/// the import reaches it.
pub fn plan(name: &str, archive: Rc<Archive>) -> Result<Plan, String> {
    let manifest: Manifest = archive
        .get(MANIFEST)?
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|m: &Manifest| m.format == FORMAT)
        .ok_or("mspdesk.json is not an mspdesk export manifest.")?;
    if manifest.version != 1 {
        return Err(format!(
            "This export is of version {}; this mspdesk reads version 1.",
            manifest.version
        ));
    }
    let notes = Rc::new(RefCell::new(import::Notes::default()));
    let parts: Vec<import::Records> = import::in_writing_order()
        .into_iter()
        .map(|target| {
            let (archive, notes) = (archive.clone(), notes.clone());
            Box::new(std::iter::once(()).flat_map(move |()| {
                let file = format!("{}.csv", target.slug);
                sheet(&file, target, &archive, &notes)
                    .unwrap_or_else(|e| Box::new(std::iter::once(Err(format!("{file}: {e}")))))
            })) as import::Records
        })
        .collect();
    Ok(Plan {
        source: name.to_string(),
        records: Box::new(parts.into_iter().flatten()),
        notes,
        chosen_client: None,
        source_tenant: Some(manifest.tenant_id),
    })
}

/// The rows of one sheet of the export; the export's own IDs and archive flags are
/// read like any other column.
fn sheet(
    file: &str,
    target: &'static import::Target,
    archive: &Archive,
    notes: &Rc<RefCell<import::Notes>>,
) -> Result<import::Records, String> {
    let Some(bytes) = archive.get(file)? else {
        return Ok(Box::new(std::iter::empty()));
    };
    let rows = table::open(&table::Input::Bytes(bytes))?;
    let (cols, _) = by_header(target, &rows.header);
    let header = rows.header.clone();
    let sheet = import::sheet::Sheet {
        file,
        encoding: rows.encoding,
        header: &header,
        target,
        cols,
    };
    Ok(sheet.records(rows, notes, |_, _| {}))
}
