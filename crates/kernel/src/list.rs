//! List parameters from the query string: search, sort (whitelisted by the caller),
//! direction, page, page size, show-archived, status filter. Bad values fall back to
//! defaults rather than failing the page.

use serde::Deserialize;

pub const PAGE_SIZES: [i64; 3] = [25, 50, 100];
/// Far beyond any real list; keeps offsets and the pager's arithmetic in range.
pub const MAX_PAGE: i64 = 10_000_000;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    pub q: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<String>,
    pub per: Option<String>,
    pub archived: Option<String>,
    pub status: Option<String>,
    pub filter: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub q: String,
    pub sort: String,
    pub desc: bool,
    pub page: i64,
    pub per: i64,
    pub archived: bool,
    pub status: String,
    pub filter: String,
    /// A page's own filters (the queue's assignee, priority…), kept in its sort and
    /// pager links.
    pub extra: Vec<(&'static str, String)>,
}

impl ListParams {
    /// `sortable` is the whitelist; the first entry is the default sort.
    pub fn normalize(&self, sortable: &[&str]) -> ListQuery {
        let sort = self
            .sort
            .as_deref()
            .filter(|s| sortable.contains(s))
            .or(sortable.first().copied())
            .unwrap_or("id")
            .to_string();
        let per = self
            .per
            .as_deref()
            .and_then(|p| p.parse().ok())
            .filter(|p| PAGE_SIZES.contains(p))
            .unwrap_or(PAGE_SIZES[0]);
        ListQuery {
            q: self
                .q
                .as_deref()
                .unwrap_or("")
                .trim()
                .chars()
                .take(100)
                .collect(),
            sort,
            desc: self.dir.as_deref() == Some("desc"),
            page: self
                .page
                .as_deref()
                .and_then(|p| p.parse().ok())
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .unwrap_or(1),
            per,
            archived: matches!(self.archived.as_deref(), Some("1" | "on" | "true")),
            status: self.status.clone().unwrap_or_default(),
            filter: self.filter.clone().unwrap_or_default(),
            extra: vec![],
        }
    }
}

impl ListQuery {
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per)
    }

    /// Whether a search or a filter narrows the list (an empty list then says so and
    /// offers to clear them, rather than "nothing here yet").
    pub fn narrowed(&self) -> bool {
        !self.q.is_empty()
            || !self.status.is_empty()
            || !self.filter.is_empty()
            || self.extra.iter().any(|(_, v)| !v.is_empty())
    }

    /// The LIKE pattern for the search text, lowercased (compared with `lower(col)` on
    /// both backends: LIKE ignores case on SQLite only) and with wildcards escaped.
    pub fn pattern(&self) -> Option<String> {
        if self.q.is_empty() {
            return None;
        }
        let mut p = String::from("%");
        for c in self.q.to_lowercase().chars() {
            if matches!(c, '%' | '_' | '\\') {
                p.push('\\');
            }
            p.push(c);
        }
        p.push('%');
        Some(p)
    }

    /// The query string for this list with some parameters changed (sort links, pager).
    pub fn href(&self, base: &str, sort: Option<(&str, bool)>, page: Option<i64>) -> String {
        let (s, desc) = sort.unwrap_or((&self.sort, self.desc));
        let mut pairs: Vec<(&str, String)> = vec![];
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if !self.status.is_empty() {
            pairs.push(("status", self.status.clone()));
        }
        if !self.filter.is_empty() {
            pairs.push(("filter", self.filter.clone()));
        }
        pairs.extend(
            self.extra
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (*k, v.clone())),
        );
        pairs.push(("sort", s.to_string()));
        pairs.push(("dir", if desc { "desc" } else { "asc" }.to_string()));
        if self.per != PAGE_SIZES[0] {
            pairs.push(("per", self.per.to_string()));
        }
        if self.archived {
            pairs.push(("archived", "1".into()));
        }
        let page = page.unwrap_or(1);
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}
