//! Hand-written SQL that the database keeps prepared. diesel's `sql_query` is never
//! cached, so a statement run on every request (the search) was parsed and planned
//! each time; this one is cached by its text, like diesel's own queries, and its
//! values are always bound — never pasted into the text, which would make every
//! call a new statement.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp, Untyped};
use diesel::{QueryResult, RunQueryDsl};

#[derive(Debug, Clone)]
enum Part {
    Sql(String),
    Text(String),
    Int(i64),
    Date(chrono::NaiveDate),
    /// A value that may be NULL, bound with its column's type (PostgreSQL refuses a NULL
    /// of another type: a text NULL in a bigint column).
    Maybe(Value),
}

/// A bound value of one of the portable column types, or NULL of that type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
    Date(Option<chrono::NaiveDate>),
    Time(Option<chrono::NaiveDateTime>),
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
    pub fn date(mut self, value: chrono::NaiveDate) -> Sql {
        self.0.push(Part::Date(value));
        self
    }
    /// A value of any portable type, NULL included.
    pub fn value(mut self, value: Value) -> Sql {
        self.0.push(Part::Maybe(value));
        self
    }
    /// Appends another piece, its values in place.
    pub fn then(mut self, other: Sql) -> Sql {
        self.0.extend(other.0);
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
    chrono::NaiveDate: ToSql<diesel::sql_types::Date, DB>,
    DB: diesel::sql_types::HasSqlType<diesel::sql_types::Date>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    Option<i64>: ToSql<Nullable<BigInt>, DB>,
    Option<bool>: ToSql<Nullable<Bool>, DB>,
    Option<chrono::NaiveDate>: ToSql<Nullable<Date>, DB>,
    Option<chrono::NaiveDateTime>: ToSql<Nullable<Timestamp>, DB>,
    DB: diesel::sql_types::HasSqlType<Bool> + diesel::sql_types::HasSqlType<Timestamp>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for part in &self.0 {
            match part {
                Part::Sql(s) => out.push_sql(s),
                Part::Text(v) => out.push_bind_param::<Text, String>(v)?,
                Part::Int(v) => out.push_bind_param::<BigInt, i64>(v)?,
                Part::Date(v) => out.push_bind_param::<diesel::sql_types::Date, _>(v)?,
                Part::Maybe(Value::Text(v)) => out.push_bind_param::<Nullable<Text>, _>(v)?,
                Part::Maybe(Value::Int(v)) => out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                Part::Maybe(Value::Bool(v)) => out.push_bind_param::<Nullable<Bool>, _>(v)?,
                Part::Maybe(Value::Date(v)) => out.push_bind_param::<Nullable<Date>, _>(v)?,
                Part::Maybe(Value::Time(v)) => out.push_bind_param::<Nullable<Timestamp>, _>(v)?,
            }
        }
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for Sql {}

/// A fixed piece of SQL in an expression (a `&'static str`, so never input) that leaves
/// the statement cacheable: `dsl::sql` marks every statement holding it as not to be
/// kept, so such a statement was parsed and planned on every run (the signed-in user's
/// lookup, on every page: a third of a simple page's database time).
#[derive(Debug, Clone, Copy)]
pub struct Fixed<ST>(&'static str, std::marker::PhantomData<ST>);

pub fn fixed<ST>(sql: &'static str) -> Fixed<ST> {
    Fixed(sql, std::marker::PhantomData)
}

impl<ST: diesel::expression::TypedExpressionType> diesel::Expression for Fixed<ST> {
    type SqlType = ST;
}

impl<ST, DB: Backend> QueryFragment<DB> for Fixed<ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(self.0);
        Ok(())
    }
}

impl<ST> QueryId for Fixed<ST> {
    type QueryId = ();
    // Keyed by its text: two fixed pieces of one type are different statements.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST, QS> diesel::SelectableExpression<QS> for Fixed<ST> where Self: diesel::Expression {}
impl<ST, QS> diesel::AppearsOnTable<QS> for Fixed<ST> where Self: diesel::Expression {}

impl<ST, GB> diesel::expression::ValidGrouping<GB> for Fixed<ST> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}
