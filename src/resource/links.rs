//! "What links here": the records of a client that point at one contact or location,
//! listed on its detail page. One statement per related table, whatever the rows.

use askama::Template;

use crate::error::{AppError, AppResult};

pub struct Section {
    pub title: &'static str,
    /// (href, label)
    pub items: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "detail/links.html")]
struct Links<'a> {
    heading: &'a str,
    sections: &'a [Section],
}

pub fn render(heading: &str, sections: &[Section]) -> AppResult<String> {
    Links { heading, sections }
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// The live rows of `$t` of the client whose `$col` is `$id`, as a section of links.
#[macro_export]
macro_rules! related {
    ($conn:expr, $cs:expr, $t:ident . $col:ident = $id:expr, $label:ident, $slug:literal, $title:literal) => {{
        use diesel::prelude::*;
        use $crate::db::schema::$t;
        let rows: Vec<(i64, String)> = $t::table
            .filter($t::tenant_id.eq($cs.tenant_id()))
            .filter($t::client_id.eq($cs.client_id()))
            .filter($t::$col.eq($id))
            .filter($t::deleted_at.is_null())
            .order($t::$label.asc())
            .select(($t::id, $t::$label))
            .load($conn)?;
        $crate::resource::links::Section {
            title: $title,
            items: rows
                .into_iter()
                .map(|(id, label)| {
                    (
                        format!("/clients/{}/{}/{id}", $cs.client_id(), $slug),
                        label,
                    )
                })
                .collect(),
        }
    }};
}
