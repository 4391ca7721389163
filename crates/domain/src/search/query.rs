//! One search across everything a user may see: the words of the query (letters and
//! digits; all required, the last one a prefix as it is being typed — a prefix on
//! every word would expand a common one into thousands of index terms) against the
//! index, narrowed to the user's tenant, the kinds their role and the tenant's
//! modules allow and — for a restricted user — their clients; records of archived
//! clients are left out. One statement.
//!
//! Ranking, the same on both databases, and not FTS5's bm25: its inverse document
//! frequency walks every row holding each query word, once per query — for a word in
//! a sixth of a million rows that was 40–90 ms a search, whatever the other words
//! narrowed the hits to. Instead hits are ordered by where the words are: records
//! whose title starts with the first word, then those whose title holds every word,
//! then the rest; shorter titles (the closer match) first within each. That costs a
//! few string comparisons per hit, so a narrow query stays narrow at any index size,
//! and both databases list the same hits in the same order.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};

use mspdesk_platform::db::sql::Sql;

use super::index::{self, CLIENTS};
use crate::policy::Role;
use crate::registry;
use crate::scope::Viewer;
use mspdesk_platform::db::AnyConnection;

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

/// A hit's place (lower first): title starting with the first word, title holding
/// every word, the rest; then the shorter title. SQLite's `lower()` folds ASCII only,
/// which at worst ranks a non-ASCII title lower. The words are bound.
fn rank(sql: Sql, words: &[String], pg: bool) -> Sql {
    let contains = if pg { "strpos" } else { "instr" };
    // "Starts with" as a position, not `LIKE ?`: SQLite re-prepares a statement on
    // every run whose LIKE pattern is bound (the pattern may change its plan) — that
    // was a third of a search's time.
    let mut sql = sql
        .sql(format!("CAST((CASE WHEN {contains}(lower(d.title), "))
        .text(words[0].clone())
        .sql(") = 1 THEN 0 WHEN ");
    for (i, w) in words.iter().enumerate() {
        let and = if i == 0 { "" } else { " AND " };
        sql = sql
            .sql(format!("{and}{contains}(lower(d.title), "))
            .text(w.clone())
            .sql(") > 0");
    }
    let (ty, least) = if pg {
        ("DOUBLE PRECISION", "LEAST")
    } else {
        ("REAL", "min")
    };
    sql.sql(format!(
        " THEN 1 ELSE 2 END) * 100000 + {least}(length(d.title), 99999) AS {ty})"
    ))
}

/// What the index is asked: every word, the last one as a prefix.
fn matching(words: &[String], pg: bool) -> String {
    let last = words.len() - 1;
    let each = words
        .iter()
        .enumerate()
        .map(|(i, w)| match (pg, i == last) {
            (true, true) => format!("{w}:*"),
            (true, false) => w.clone(),
            (false, true) => format!("\"{w}\"*"),
            (false, false) => format!("\"{w}\""),
        });
    each.collect::<Vec<_>>().join(if pg { " & " } else { " " })
}

/// One page of hits (`limit` + 1 fetched by the caller to know of a next page). One
/// statement, whose text depends only on the number of words and the kinds, so the
/// database keeps it prepared.
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
    // Late row lookup: the hits are ranked and cut to the page carrying only their
    // id and rank; bodies and client names are read for the page's rows alone. A word
    // with thousands of hits otherwise sorted every hit's body.
    let sql = rank(
        Sql::new(
            "SELECT d.kind, d.record_id, d.client_id, d.title, d.body, c.name AS client, \
             p.rank AS rank FROM (SELECT d.id AS id, ",
        ),
        &words,
        pg,
    );
    let sql = if pg {
        sql.sql(" AS rank FROM search_docs d ")
    } else {
        sql.sql(" AS rank FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid ")
    };
    let mut sql = sql
        .sql(
            "JOIN clients c ON c.id = d.client_id AND c.tenant_id = d.tenant_id \
             AND c.deleted_at IS NULL WHERE d.tenant_id = ",
        )
        .int(viewer.tenant.get())
        .sql(format!(" AND d.kind IN ({kinds})"));
    if let Some(user) = viewer.restricted_to {
        sql = sql
            .sql(" AND d.client_id IN (SELECT client_id FROM user_clients WHERE user_id = ")
            .int(user)
            .sql(")");
    }
    let sql = if pg {
        sql.sql(" AND d.words @@ to_tsquery('simple', ")
    } else {
        sql.sql(" AND search_fts MATCH (")
    };
    // The page's numbers are written, not bound: SQLite re-plans a statement whose
    // LIMIT is bound on every run (`platform::db::only`); a page is one of few texts.
    sql.text(matching(&words, pg))
        .sql(format!(
            ") ORDER BY rank, d.id LIMIT {limit} OFFSET {offset}) p \
             JOIN search_docs d ON d.id = p.id JOIN clients c ON c.id = d.client_id \
             ORDER BY p.rank, d.id"
        ))
        .load::<Hit>(conn)
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
