//! Files: uploaded bytes stored under a random name in the data directory, with their
//! metadata here. Archive keeps the bytes; a hard delete removes them. Upload and
//! download live in `web::files`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::clients;
use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::policy::{require, Action, Perm};
use crate::resource::refs;
use crate::resource::service::{self, Invalid};
use crate::resource::{Audience, Extra, Resource};
use crate::schema::client_files;
use crate::scope::{ClientId, ClientScope, RecordId, Who};
use crate::scoped_crud;
use mspdesk_platform::db::{write_transaction, AnyConnection};
use serde_json::json;

pub struct Files;

crate::form_record! {
    /// What the metadata form edits.
    pub struct FileData for client_files as field {
        contact_id: Option<i64> = Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        name: String = Field::text("name", "Name").help("Defaults to the file's name"),
        description: Option<String> = Field::text("description", "Description"),
        category: Option<String> = Field::text("category", "Category"),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_files)]
pub struct StoredFile {
    pub id: i64,
    #[diesel(embed)]
    pub data: FileData,
    pub file_path: String,
    pub file_size: i64,
    pub mime_type: Option<String>,
    pub original_name: String,
    pub deleted_at: Option<NaiveDateTime>,
}

/// The stored bytes of a new file.
pub struct Upload {
    pub file_path: String,
    pub file_size: i64,
    pub mime_type: String,
    pub original_name: String,
}

pub fn insert_uploaded(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    v: &Values,
    up: &Upload,
) -> QueryResult<i64> {
    let now = cs.now();
    diesel::insert_into(client_files::table)
        .values((
            FileData::from(v),
            client_files::tenant_id.eq(cs.tenant_id()),
            client_files::client_id.eq(cs.client_id()),
            client_files::file_path.eq(&up.file_path),
            client_files::file_size.eq(up.file_size),
            client_files::mime_type.eq(Some(&up.mime_type)),
            client_files::original_name.eq(&up.original_name),
            client_files::created_at.eq(now),
            client_files::updated_at.eq(now),
        ))
        .returning(client_files::id)
        .get_result(conn)
}

/// Removes the row for good (the caller removes the bytes after the commit).
pub fn delete(conn: &mut AnyConnection, cs: &ClientScope, id: i64) -> QueryResult<StoredFile> {
    let file = Files::find(conn, cs, id)?;
    diesel::delete(crate::of_client!(client_files, cs).filter(client_files::id.eq(id)))
        .execute(conn)?;
    Ok(file)
}

/// The upload's service: the form checked like every resource's, a refusal of the file
/// itself (too big, missing) added to the form's errors, and the row with its audit
/// entry written in one transaction. The caller removes the stored bytes unless this
/// returns the new id.
pub fn create_uploaded(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    input: FormInput,
    upload: Option<&Upload>,
    file_error: Option<String>,
) -> AppResult<Result<RecordId, Box<Invalid>>> {
    require(Perm::new(Files::AREA, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (client, cs) = clients::scoped(conn, who.viewer, cid)?;
        let refs = refs::load(conn, &cs, Files::FIELDS)?;
        match (service::validate::<Files>(&input, &refs), upload) {
            (Ok(values), Some(up)) if file_error.is_none() => {
                let id = insert_uploaded(conn, &cs, &values, up)?;
                let changes = json!({ "name": values.req_text("name"), "original_name": up.original_name, "size": up.file_size });
                let entry = audit::Entry::of_record(cid, Files::TABLE, id, "create", changes);
                audit::record(conn, &who.actor, entry)?;
                Ok(Ok(RecordId(id)))
            }
            (result, _) => {
                let mut errors = result.err().unwrap_or_default();
                if let Some(e) = file_error {
                    errors.add("file", e);
                }
                Ok(Err(Box::new(Invalid {
                    client,
                    scope: cs,
                    input,
                    errors,
                    refs,
                })))
            }
        }
    })
}

/// Permanent delete of the row (admins only, by the policy); returns it so the caller
/// removes its bytes after the commit.
pub fn delete_for_good(
    conn: &mut AnyConnection,
    who: &Who,
    cid: ClientId,
    id: RecordId,
) -> AppResult<StoredFile> {
    require(Perm::new(Files::AREA, Action::Delete), who.role)?;
    write_transaction(conn, |conn| {
        let (_, cs) = clients::scoped(conn, who.viewer, cid)?;
        let file = delete(conn, &cs, id.0)?;
        let changes = json!({ "name": file.data.name, "original_name": file.original_name });
        let entry = audit::Entry::of_record(cid, Files::TABLE, id.0, "delete", changes);
        audit::record(conn, &who.actor, entry)?;
        Ok(file)
    })
}

pub(crate) fn human_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// What the stored bytes are, shown beside the record's own fields.
const SIZE: Field = Field::text("size", "Size").computed();
const MIME_TYPE: Field = Field::text("mime_type", "Type").computed();

impl Resource for Files {
    const SLUG: &'static str = "files";
    const SINGULAR: &'static str = "file";
    const PLURAL: &'static str = "Files";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::category,
        field::description,
        field::contact_id,
        field::location_id,
        SIZE,
        MIME_TYPE,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::category.name,
        SIZE.name,
        MIME_TYPE.name,
    ];
    const SEARCH_HINT: &'static str = "Name, category, description";
    const CUSTOM_CREATE: bool = true;
    const HARD_DELETE: bool = true;

    type Row = StoredFile;

    fn title(row: &StoredFile) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &StoredFile) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f.set(SIZE.name, human_size(row.file_size));
        f.set_opt(MIME_TYPE.name, row.mime_type.as_ref());
        f
    }
    fn check(v: &Values, errors: &mut crate::forms::Errors) {
        if v.text(field::name.name).is_none() {
            errors.add(field::name.name, "Name is required.");
        }
    }
    fn detail(
        _: &mut AnyConnection,
        cs: &ClientScope,
        row: &StoredFile,
        _: &Audience,
    ) -> AppResult<Extra> {
        Ok(Extra::File {
            href: format!("/clients/{}/files/{}/download", cs.client_id(), row.id),
            original_name: row.original_name.clone(),
            size: human_size(row.file_size),
            mime: row
                .mime_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into()),
        })
    }

    scoped_crud!(
        table: client_files,
        row: StoredFile,
        data: FileData,
        search: [name, category, description],
        sort: { field::name.name => name, field::category.name => category, SIZE.name => file_size, MIME_TYPE.name => mime_type },
    );
}
