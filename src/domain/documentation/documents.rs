//! Documents: a Markdown body rendered to sanitized HTML (pulldown-cmark, then ammonia:
//! a `<script>` or an `onclick` in the body never reaches the page), category and tags.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Extra;
use crate::domain::resource::{Audience, Resource};
use crate::domain::schema::client_documents;
use crate::domain::scope::ClientScope;
use crate::error::AppResult;
use crate::platform::db::AnyConnection;
use crate::scoped_crud;

pub struct Documents;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_documents, treat_none_as_null = true)]
pub struct DocumentData {
    pub contact_id: Option<i64>,
    pub location_id: Option<i64>,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub tags: String,
    pub content: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_documents)]
pub struct Document {
    pub id: i64,
    #[diesel(embed)]
    pub data: DocumentData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for DocumentData {
    fn from(v: &Values) -> Self {
        DocumentData {
            contact_id: v.int("contact_id"),
            location_id: v.int("location_id"),
            name: v.req_text("name"),
            description: v.text("description"),
            category: v.text("category"),
            tags: v.json_list("tags"),
            content: v.text("content").unwrap_or_default(),
        }
    }
}

impl Resource for Documents {
    const SLUG: &'static str = "documents";
    const SINGULAR: &'static str = "document";
    const PLURAL: &'static str = "Documents";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Title").required(),
        Field::text("category", "Category").help("Procedure, network, onboarding…"),
        Field::new("tags", "Tags", Kind::Tags).help("Comma-separated"),
        Field::text("description", "Summary"),
        Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        Field::new("content", "Body (Markdown)", Kind::Markdown),
    ];
    const COLUMNS: &'static [&'static str] = &["name", "category", "tags", "description"];
    const SEARCH_HINT: &'static str = "Title, category, tags, text";

    type Row = Document;

    fn title(row: &Document) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Document) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set_opt("category", d.category.as_ref());
        f.set_list("tags", &d.tags, ", ");
        f.set_opt("description", d.description.as_ref());
        f.set_opt("contact_id", d.contact_id);
        f.set_opt("location_id", d.location_id);
        f.set("content", &d.content);
        f
    }
    fn detail(
        _: &mut AnyConnection,
        _: &ClientScope,
        row: &Document,
        _: &Audience,
    ) -> AppResult<Extra> {
        Ok(Extra::Markdown(row.data.content.clone()))
    }

    scoped_crud!(
        table: client_documents,
        row: Document,
        data: DocumentData,
        search: [name, category, tags, description, content],
        sort: { "name" => name, "category" => category, "tags" => tags, "description" => description },
    );
}
