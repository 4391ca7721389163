//! The whole tenant in one ZIP: `clients.csv` and one CSV per kind of client record
//! (every registered resource), the same rows as JSON, everything else the tenant
//! holds as JSON Lines (`records`: its settings, people, stored files' details, ticket
//! replies, finance documents, numbering, the records' own dates, the audit log), the
//! stored files themselves, and `mspdesk.json` saying what it is. The ZIP is written
//! to a file, entry by entry, never held in memory: stored files can be large. Secrets
//! (passwords, TOTP seeds, licence keys, their earlier values) are left out unless an
//! admin asks for them with a reason, which the audit log keeps. The importer reads
//! the ZIP back (`import::restore`): into an empty tenant it makes every table again;
//! into the tenant it came from, rows keep their ids.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::import;
use super::records;
use crate::audit;
use crate::clients::{self, BILLING_FIELDS, FIELDS as CLIENT_FIELDS};
use crate::error::{AppError, AppResult};
use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::policy::{require, Action, Area, Perm};
use crate::registry::{self, Visitor};
use crate::resource::{refs, secret_fields, write, Resource};
use crate::scope::{ClientScope, Who};
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::vault::Vault;

pub const MANIFEST: &str = "mspdesk.json";
pub const FORMAT: &str = "mspdesk-export";

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub tenant_id: i64,
    pub exported_at: String,
    pub secrets: bool,
    pub files: Vec<String>,
    /// Stored files whose content was not found in the storage.
    #[serde(default)]
    pub missing: Vec<String>,
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

/// Who asked for an export, which decides what it holds and what the tenant's audit
/// log says of it.
#[derive(Debug, Clone)]
pub enum Asked {
    /// The tenant's admin; with a reason, secrets are opened and included.
    ByAdmin { reason: Option<String> },
    /// A platform operator (a tenant leaving the platform, a move to another instance):
    /// never the secrets, and the tenant's own audit log names the operator.
    ByOperator { email: String },
}

/// Writes the ZIP of the tenant to `out`. Stored files are read from `files_dir`.
pub fn build(
    conn: &mut AnyConnection,
    who: &Who,
    vault: &Vault,
    asked: &Asked,
    now: chrono::NaiveDateTime,
    files_dir: &Path,
    out: std::fs::File,
) -> AppResult<()> {
    require(Perm::new(Area::Admin, Action::Edit), who.role)?;
    let reason = match asked {
        Asked::ByAdmin { reason } => reason.as_deref().map(str::trim).filter(|r| !r.is_empty()),
        Asked::ByOperator { .. } => None,
    };
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
    let stored = records::stored_files(conn, who.tenant())?;
    let (action, changes) = match (asked, reason) {
        (Asked::ByOperator { email }, _) => (
            "export_by_platform_operator",
            json!({ "secrets": false, "operator": email }),
        ),
        (_, Some(reason)) => (
            "export_with_secrets",
            json!({ "secrets": true, "reason": reason }),
        ),
        (_, None) => ("export", json!({ "secrets": false })),
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
    let mut zip = Zipper::new(out, manifest);
    zip.sheets(&sheets)?;
    zip.records(conn, who.tenant(), reason.map(|_| vault))?;
    zip.files(&stored, files_dir)?;
    zip.finish()
}

/// Every table the export carries beyond the sheets: the settings, the restored
/// tables (earlier secret values only with the secrets), every resource's system
/// columns, and the audit log.
fn record_tables() -> Vec<records::Table> {
    let mut all = vec![records::SETTINGS];
    all.extend(records::RESTORED.iter().copied());
    all.extend(records::system_tables().into_iter().map(records::system));
    all.push(records::AUDIT);
    all
}

/// The export's ZIP as it is written, entry by entry.
struct Zipper {
    zip: zip::ZipWriter<std::io::BufWriter<std::fs::File>>,
    options: zip::write::SimpleFileOptions,
    manifest: Manifest,
}

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("writing the export: {e}"))
}

impl Zipper {
    fn new(out: std::fs::File, manifest: Manifest) -> Zipper {
        Zipper {
            zip: zip::ZipWriter::new(std::io::BufWriter::new(out)),
            options: zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .unix_permissions(0o600),
            manifest,
        }
    }

    fn start(&mut self, name: &str) -> AppResult<()> {
        self.zip.start_file(name, self.options).map_err(failed)?;
        self.manifest.files.push(name.to_string());
        Ok(())
    }

    fn sheets(&mut self, sheets: &[Sheet]) -> AppResult<()> {
        for s in sheets {
            let csv = super::csv_out::write(&s.header, &s.rows).map_err(failed)?;
            self.start(&format!("{}.csv", s.slug))?;
            self.zip.write_all(&csv).map_err(failed)?;
            self.start(&format!("{}.json", s.slug))?;
            serde_json::to_writer_pretty(&mut self.zip, &s.json).map_err(failed)?;
        }
        Ok(())
    }

    /// The records, opening sealed values when the vault is given (an export with
    /// secrets); without it, earlier secret values stay behind.
    fn records(
        &mut self,
        conn: &mut AnyConnection,
        tenant: crate::scope::TenantId,
        vault: Option<&Vault>,
    ) -> AppResult<()> {
        for table in record_tables() {
            let sealed = table
                .columns
                .iter()
                .any(|c| c.kind == records::Kind::Sealed);
            if sealed && vault.is_none() {
                continue;
            }
            self.start(&records::file_of(table.name))?;
            let mut open = |row: &Map<String, Value>, column: &str| -> AppResult<Value> {
                let (Some(vault), Some(id)) = (vault, row.get("id").and_then(Value::as_i64)) else {
                    return Ok(Value::Null);
                };
                let sealed = row.get(column).and_then(Value::as_str).unwrap_or("");
                let at = crate::resource::history::at(tenant.get(), id);
                vault
                    .open_secret(at, sealed)
                    .map(Value::String)
                    .map_err(|e| AppError::Internal(format!("{} {id}: {e}", table.name)))
            };
            records::write(conn, tenant, &table, &mut self.zip, &mut open)?;
        }
        Ok(())
    }

    /// Stored files go from the disk into the archive, a buffer at a time.
    fn files(&mut self, stored: &[records::Stored], files_dir: &Path) -> AppResult<()> {
        for file in stored {
            let name = records::entry_name(file.id, &file.name);
            let Ok(mut content) = std::fs::File::open(files_dir.join(&file.file_path)) else {
                self.manifest.missing.push(name);
                continue;
            };
            self.start(&name)?;
            std::io::copy(&mut content, &mut self.zip).map_err(failed)?;
        }
        Ok(())
    }

    fn finish(mut self) -> AppResult<()> {
        self.zip
            .start_file(MANIFEST, self.options)
            .map_err(failed)?;
        let manifest = serde_json::to_vec_pretty(&self.manifest).map_err(failed)?;
        self.zip.write_all(&manifest).map_err(failed)?;
        self.zip
            .finish()
            .map_err(failed)?
            .into_inner()
            .map_err(|e| failed(e.error()))?
            .sync_all()
            .map_err(failed)
    }
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
    // What a form writes, and what names a record (a ticket's number).
    let fields: Vec<&Field> = R::FIELDS
        .iter()
        .filter(|f| !f.computed || R::IMPORT_KEY.contains(&f.name))
        .filter(|f| c.secrets || !f.kind.is_secret())
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
                let cs = ClientScope::checked(c.who.viewer(), *cid);
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
