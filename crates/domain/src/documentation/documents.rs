//! Documents: a Markdown body rendered to sanitized HTML (pulldown-cmark, then ammonia:
//! a `<script>` or an `onclick` in the body never reaches the page), category and tags.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::{Audience, Extra, Resource};
use crate::schema::client_documents;
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Documents;

crate::form_record! {
    pub struct DocumentData for client_documents as field {
        contact_id: Option<i64> = Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        name: String = Field::text("name", "Title").required(),
        description: Option<String> = Field::text("description", "Summary"),
        category: Option<String> = Field::text("category", "Category").help("Procedure, network, onboarding…"),
        tags: String = Field::new("tags", "Tags", Kind::Tags).help("Comma-separated"),
        content: String = Field::new("content", "Body (Markdown)", Kind::Markdown),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_documents)]
pub struct Document {
    pub id: i64,
    #[diesel(embed)]
    pub data: DocumentData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Resource for Documents {
    const SLUG: &'static str = "documents";
    const SHAREABLE: bool = true;
    const SINGULAR: &'static str = "document";
    const PLURAL: &'static str = "Documents";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::category,
        field::tags,
        field::description,
        field::contact_id,
        field::location_id,
        field::content,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::category.name,
        field::tags.name,
        field::description.name,
    ];
    const SEARCH_HINT: &'static str = "Title, category, tags, text";

    type Row = Document;

    fn title(row: &Document) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Document) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
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

    fn insert_in_bulk(_: &crate::forms::Values) -> bool {
        true
    }

    scoped_crud!(
        table: client_documents,
        row: Document,
        data: DocumentData,
        search: [name, category, tags, description, content],
        sort: { field::name.name => name, field::category.name => category, field::tags.name => tags, field::description.name => description },
    );
}
