//! View models shared by the list, form and detail templates.

use crate::domain::directory::clients::tabs::Tab;
use crate::domain::directory::clients::Client;
use crate::domain::forms::view::OptionView;
use crate::domain::forms::FieldView;
use crate::domain::resource::list::{ListQuery, PAGE_SIZES};
use crate::web::auth::Ctx;

/// The client's name and tab bar above every client page.
pub struct ClientNav {
    pub id: i64,
    pub name: String,
    pub archived: bool,
    pub tabs: Vec<TabView>,
}

pub struct TabView {
    pub href: String,
    pub label: &'static str,
    pub count: String,
    pub active: bool,
}

impl ClientNav {
    /// The tabs this user may open (role and the tenant's switched-off modules).
    pub fn new(ctx: &Ctx, client: &Client, tabs: Vec<Tab>, active: &str) -> Self {
        ClientNav {
            id: client.id,
            name: client.data.name.clone(),
            archived: client.archived(),
            tabs: tabs
                .into_iter()
                .filter(|t| t.def.visible(ctx.role, &ctx.disabled))
                .map(|t| TabView {
                    href: if t.def.slug.is_empty() {
                        format!("/clients/{}", client.id)
                    } else {
                        format!("/clients/{}/{}", client.id, t.def.slug)
                    },
                    label: t.def.label,
                    count: t.count.map(|c| c.to_string()).unwrap_or_default(),
                    active: t.def.slug == active,
                })
                .collect(),
        }
    }
}

pub struct Header {
    pub label: &'static str,
    /// Empty when the column is not sortable.
    pub href: String,
    pub arrow: &'static str,
}

pub fn headers(
    q: &ListQuery,
    base: &str,
    columns: &[(&'static str, &'static str)],
    sortable: &[&str],
) -> Vec<Header> {
    columns
        .iter()
        .map(|(key, label)| {
            let current = q.sort == *key;
            Header {
                label,
                href: if sortable.contains(key) {
                    q.href(base, Some((key, current && !q.desc)), None)
                } else {
                    String::new()
                },
                arrow: match (current, q.desc) {
                    (true, false) => "▲",
                    (true, true) => "▼",
                    _ => "",
                },
            }
        })
        .collect()
}

pub struct RowView {
    pub href: String,
    pub cells: Vec<String>,
    pub archived: bool,
    pub badge: Option<crate::domain::resource::expiry::Badge>,
}

pub struct Pager {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub from: i64,
    pub to: i64,
    pub prev: String,
    pub next: String,
    pub sizes: Vec<OptionView>,
}

impl Pager {
    pub fn new(q: &ListQuery, base: &str, total: i64, shown: usize) -> Self {
        let pages = ((total + q.per - 1) / q.per).max(1);
        let from = if shown == 0 { 0 } else { q.offset() + 1 };
        Pager {
            total,
            page: q.page,
            pages,
            from,
            to: q.offset() + shown as i64,
            prev: if q.page > 1 {
                q.href(base, None, Some(q.page - 1))
            } else {
                String::new()
            },
            next: if q.page < pages {
                q.href(base, None, Some(q.page + 1))
            } else {
                String::new()
            },
            sizes: PAGE_SIZES
                .iter()
                .map(|s| OptionView {
                    value: s.to_string(),
                    label: s.to_string(),
                    selected: *s == q.per,
                })
                .collect(),
        }
    }
}

/// A form page: used for clients and every sub-resource.
pub struct FormView {
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub fields: Vec<FieldView>,
    pub has_errors: bool,
    /// File upload forms post multipart data.
    pub multipart: bool,
    /// The upload's own error (size limit, no file chosen).
    pub file_error: String,
}

/// A label and its display value on a detail page.
pub struct Item {
    pub label: &'static str,
    pub value: String,
}
