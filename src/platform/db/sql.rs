//! Hand-written SQL that the database keeps prepared. diesel's `sql_query` is never
//! cached, so a statement run on every request (the search) was parsed and planned
//! each time; this one is cached by its text, like diesel's own queries, and its
//! values are always bound — never pasted into the text, which would make every
//! call a new statement.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Text, Untyped};
use diesel::{QueryResult, RunQueryDsl};

#[derive(Debug, Clone)]
enum Part {
    Sql(String),
    Text(String),
    Int(i64),
}

/// SQL text with bound values in between (the backend writes `?` or `$n`).
#[derive(Debug, Clone, Default)]
pub struct Sql(Vec<Part>);

impl Sql {
    pub fn new(sql: impl Into<String>) -> Sql {
        Sql(vec![Part::Sql(sql.into())])
    }
    pub fn sql(mut self, sql: impl Into<String>) -> Sql {
        self.0.push(Part::Sql(sql.into()));
        self
    }
    pub fn text(mut self, value: impl Into<String>) -> Sql {
        self.0.push(Part::Text(value.into()));
        self
    }
    pub fn int(mut self, value: i64) -> Sql {
        self.0.push(Part::Int(value));
        self
    }
}

impl QueryId for Sql {
    type QueryId = ();
    // Not a static type: the cache keys the statement by its text instead.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Sql {
    type SqlType = Untyped;
}

impl<DB> QueryFragment<DB> for Sql
where
    DB: Backend,
    String: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for part in &self.0 {
            match part {
                Part::Sql(s) => out.push_sql(s),
                Part::Text(v) => out.push_bind_param::<Text, String>(v)?,
                Part::Int(v) => out.push_bind_param::<BigInt, i64>(v)?,
            }
        }
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for Sql {}
