//! One search across everything a user may see: the words of the query (letters and
//! digits; all required, the last one a prefix as it is being typed — a prefix on
//! every word would expand a common one into thousands of index terms) against the
//! index, narrowed to the user's tenant, the kinds their role and the tenant's
//! modules allow and — for a restricted user — their clients; records of archived
//! clients are left out. Ranked by the database (FTS5's bm25 on SQLite, ts_rank on
//! PostgreSQL); one statement.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};

use super::index::{self, CLIENTS};
use crate::domain::registry;
use crate::domain::scope::Viewer;
use crate::domain::tenancy::users::Role;
use crate::platform::db::AnyConnection;

/// The most words a query uses, and the longest word.
const MAX_TERMS: usize = 8;
const MAX_TERM: usize = 64;

/// The query's words, lower-cased: what both indexes split text into.
pub fn terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .map(|t| t.to_lowercase().chars().take(MAX_TERM).collect())
        .collect()
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub record_id: i64,
    #[diesel(sql_type = BigInt)]
    pub client_id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub body: String,
    #[diesel(sql_type = Text)]
    pub client: String,
    #[diesel(sql_type = Double)]
    pub rank: f64,
}

/// The kinds this user may find: clients, and every resource whose tab they see.
pub fn kinds(role: Role, disabled: &[String]) -> Vec<&'static str> {
    index::sources()
        .iter()
        .map(|s| s.kind)
        .filter(|k| *k == CLIENTS || registry::visible(k, role, disabled))
        .collect()
}

/// One page of hits (`limit` + 1 fetched by the caller to know of a next page).
pub fn search(
    conn: &mut AnyConnection,
    viewer: Viewer,
    kinds: &[&str],
    q: &str,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Hit>> {
    let words = terms(q);
    if words.is_empty() || kinds.is_empty() {
        return Ok(vec![]);
    }
    let pg = matches!(conn, AnyConnection::Postgresql(_));
    // Kinds are the code's own slugs, never input.
    let kinds = kinds
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let restricted = match viewer.restricted_to {
        Some(user) => format!(
            " AND d.client_id IN (SELECT client_id FROM user_clients WHERE user_id = {user})"
        ),
        None => String::new(),
    };
    let common = format!(
        "JOIN clients c ON c.id = d.client_id AND c.tenant_id = d.tenant_id AND c.deleted_at IS NULL \
         WHERE d.tenant_id = {tenant} AND d.kind IN ({kinds}){restricted}",
        tenant = viewer.tenant.get()
    );
    let (sql, expr) = if pg {
        let expr = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i + 1 == words.len() {
                    format!("{w}:*")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" & ");
        (
            format!(
                "SELECT d.kind, d.record_id, d.client_id, d.title, d.body, c.name AS client, \
                   CAST(ts_rank(d.words, to_tsquery('simple', $1)) AS DOUBLE PRECISION) AS rank \
                 FROM search_docs d {common} AND d.words @@ to_tsquery('simple', $1) \
                 ORDER BY rank DESC, d.id LIMIT {limit} OFFSET {offset}"
            ),
            expr,
        )
    } else {
        let expr = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let star = if i + 1 == words.len() { "*" } else { "" };
                format!("\"{w}\"{star}")
            })
            .collect::<Vec<_>>()
            .join(" ");
        (
            format!(
                "SELECT d.kind, d.record_id, d.client_id, d.title, d.body, c.name AS client, \
                   CAST(bm25(search_fts, 4.0, 1.0) AS REAL) AS rank \
                 FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid {common} \
                   AND search_fts MATCH $1 \
                 ORDER BY rank, d.id LIMIT {limit} OFFSET {offset}"
            ),
            expr,
        )
    };
    crate::with_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(&expr)
        .load::<Hit>(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_letters_and_digits() {
        assert_eq!(terms("FW01"), ["fw01"]);
        assert_eq!(terms("10.0.0.1"), ["10", "0", "0", "1"]);
        assert_eq!(
            terms("O'Neil \"; DROP TABLE"),
            ["o", "neil", "drop", "table"]
        );
        assert_eq!(terms("Müller"), ["müller"]);
        assert!(terms("  ;; ").is_empty());
    }
}
