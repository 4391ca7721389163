//! "What links here": the records of a client that point at one contact or location,
//! listed on its detail page. One statement per related table, whatever the rows.

use super::{Audience, Extra};

#[derive(Debug, Clone)]
pub struct Section {
    /// The tab the records belong to (what the reader may see is decided by it).
    pub slug: &'static str,
    pub title: &'static str,
    /// (href, label)
    pub items: Vec<(String, String)>,
}

/// The sections this reader may see: no credentials for an accountant, nothing of a
/// module the tenant switched off.
pub fn visible(heading: &'static str, sections: Vec<Section>, audience: &Audience) -> Extra {
    Extra::Links {
        heading,
        sections: sections
            .into_iter()
            .filter(|s| audience.may_see(s.slug))
            .collect(),
    }
}

/// The live rows of `$t` of the client whose `$col` is `$id`, as a section of links.
#[macro_export]
macro_rules! related {
    ($conn:expr, $cs:expr, $t:ident . $col:ident = $id:expr, $label:ident, $slug:literal, $title:literal) => {{
        use diesel::prelude::*;
        use $crate::schema::$t;
        let rows: Vec<(i64, String)> = $crate::of_client!($t, $cs)
            .filter($t::$col.eq($id))
            .filter($t::deleted_at.is_null())
            .order($t::$label.asc())
            .select(($t::id, $t::$label))
            .load($conn)?;
        $crate::resource::links::Section {
            slug: $slug,
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
