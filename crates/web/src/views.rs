//! View models shared by the list, form and detail templates.

use crate::auth::Ctx;
use crate::domain::clients::Client;
use crate::domain::forms::view::OptionView;
use crate::domain::forms::{Field, FieldView, Kind};
use crate::domain::list::{ListQuery, PAGE_SIZES};
use crate::domain::registry::tabs::Tab;
use crate::domain::resource::Resource;
use crate::domain::scheduling::calendar::Events;

/// The client's name and tab bar above every client page.
pub struct ClientNav {
    pub id: i64,
    pub name: String,
    pub archived: bool,
    /// What everyone must know first about the client, on every one of its pages.
    pub alert: String,
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
            alert: client.data.alert.clone().unwrap_or_default(),
            tabs: tabs
                .into_iter()
                .filter(|t| t.def.visible(ctx.role(), &ctx.disabled))
                .map(|t| TabView {
                    href: match t.def.slug {
                        "" => format!("/clients/{}", client.id),
                        // The calendar opens on its month grid; the grid links the list.
                        slug if slug == <Events as Resource>::SLUG => {
                            format!("/clients/{}/{}/month", client.id, t.def.slug)
                        }
                        slug => format!("/clients/{}/{slug}", client.id),
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
    /// The first and last page and two on each side of the current one; an empty
    /// link marks a gap.
    pub numbers: Vec<(i64, String)>,
    pub sizes: Vec<OptionView>,
}

/// The page numbers a pager shows: 1, …, p-2..p+2, …, last (0 stands for a gap).
pub fn page_numbers(page: i64, pages: i64) -> Vec<i64> {
    let mut wanted = vec![1, pages];
    wanted.extend((page - 2).max(1)..=(page + 2).min(pages));
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = vec![];
    for n in wanted {
        if out.last().is_some_and(|last| n > last + 1) {
            out.push(0);
        }
        out.push(n);
    }
    out
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
            numbers: page_numbers(q.page, pages)
                .into_iter()
                .map(|n| {
                    if n == 0 {
                        (0, String::new())
                    } else {
                        (n, q.href(base, None, Some(n)))
                    }
                })
                .collect(),
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
    /// A form with a schedule: its preview button and what it last showed.
    pub preview: Option<SchedulePreview>,
}

/// A form's "Preview schedule" button and, once pressed, the dates the typed schedule
/// gives or why it gives none. The server works it out, so it needs no script.
pub struct SchedulePreview {
    pub shown: bool,
    pub runs: Vec<String>,
    pub error: String,
}

impl SchedulePreview {
    pub fn of(result: Result<Vec<String>, String>, shown: bool) -> SchedulePreview {
        let (runs, error) = match result {
            Ok(runs) => (runs, String::new()),
            Err(error) => (vec![], error),
        };
        SchedulePreview { shown, runs, error }
    }
}

/// A label and its display value on a detail page.
pub struct Item {
    pub label: &'static str,
    pub value: String,
    /// Where the value leads: `mailto:`, `tel:`, or the URL itself (http and https only).
    pub href: String,
    /// Worth a copy button (names, addresses, serials — not dates, choices or amounts).
    pub copy: bool,
}

impl Item {
    pub fn of(field: &crate::domain::forms::Field, value: String) -> Self {
        use crate::domain::forms::Kind;
        let href = match field.kind {
            _ if value.is_empty() => String::new(),
            Kind::Email => format!("mailto:{value}"),
            Kind::Phone => tel(&value),
            Kind::Url if web_address(&value) => value.clone(),
            _ => String::new(),
        };
        let copy = !value.is_empty()
            && matches!(
                field.kind,
                Kind::Text
                    | Kind::Email
                    | Kind::Phone
                    | Kind::Url
                    | Kind::Hostname
                    | Kind::Cidr
                    | Kind::IpAddress
                    | Kind::MacAddress
            );
        Item {
            label: field.label,
            value,
            href,
            copy,
        }
    }
}

/// An amount as the pages show it: with the client's currency after it ("150.00 USD"),
/// as on invoices; a field that is not money, or is empty, as it is.
pub fn priced(f: &Field, shown: String, currency: &str) -> String {
    match f.kind {
        Kind::Money if !shown.is_empty() => format!("{shown} {currency}"),
        _ => shown,
    }
}

/// A phone number as a `tel:` link: its digits and a leading plus only.
pub fn tel(number: &str) -> String {
    let dialled: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{dialled}")
}

/// Only http(s) addresses become links: a stored `javascript:` or `data:` URL stays text.
pub fn web_address(value: &str) -> bool {
    let lower = value.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::page_numbers;

    #[test]
    fn pages_around_the_current_one_with_gaps() {
        assert_eq!(page_numbers(1, 1), vec![1]);
        assert_eq!(page_numbers(1, 3), vec![1, 2, 3]);
        assert_eq!(
            page_numbers(100, 201),
            vec![1, 0, 98, 99, 100, 101, 102, 0, 201]
        );
        assert_eq!(page_numbers(4, 201), vec![1, 2, 3, 4, 5, 6, 0, 201]);
    }
}
