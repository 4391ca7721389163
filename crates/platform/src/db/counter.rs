//! Statement counting: each request gets a counter that every connection it borrows
//! reports to, so the request's log line (and, when enabled, a response header) says how
//! many SQL statements it ran. Tests use it to prove pages have no N+1 queries.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::Connection;
use futures_util::future::{ready, Ready};

use super::{AnyConnection, Pool};
use crate::error::AppError;

#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicUsize>);

impl StatementCounter {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Every pooled connection's instrumentation, installed once when the pool opens it:
/// counts the statements of the request that borrowed it (when one did), tells the pool
/// when the server has hung up, and remembers when the connection was last returned.
pub(crate) struct Counting {
    counter: Option<StatementCounter>,
    pub(crate) returned: Instant,
}

impl Counting {
    pub(crate) fn new() -> Self {
        Counting {
            counter: None,
            returned: Instant::now(),
        }
    }

    /// The pool's instrumentation of this connection (none on a connection opened
    /// outside the pool).
    pub(crate) fn of(conn: &mut AnyConnection) -> Option<&mut Counting> {
        conn.instrumentation().downcast_mut::<Counting>()
    }
}

impl Instrumentation for Counting {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match (event, &self.counter) {
            (InstrumentationEvent::StartQuery { .. }, Some(c)) => {
                c.0.fetch_add(1, Ordering::Relaxed);
            }
            (
                InstrumentationEvent::FinishQuery {
                    error: Some(error), ..
                },
                _,
            ) => super::pool::note_failure(error),
            _ => {}
        }
    }
}

/// The handlers' door to the database: a pool plus the request's statement counter.
/// `run` and `tx` move the work off the actix worker thread.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    counter: Option<StatementCounter>,
}

impl Db {
    pub fn new(pool: Pool) -> Self {
        Db {
            pool,
            counter: None,
        }
    }

    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let counter = self.counter.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            if let Some(c) = Counting::of(&mut conn) {
                c.counter = counter;
            }
            // A panic must not leave a transaction open on a pooled connection: on SQLite
            // it would hold the write lock for every tenant; on PostgreSQL later writes on
            // this connection would never commit.
            let out = std::panic::catch_unwind(AssertUnwindSafe(|| f(&mut conn)));
            if let Some(c) = Counting::of(&mut conn) {
                c.counter = None;
            }
            out.unwrap_or_else(|panic| {
                super::roll_back_everything(&mut conn);
                Err(AppError::Internal(format!(
                    "panic in database work: {}",
                    panic_message(panic.as_ref())
                )))
            })
        })
        .await?
    }

    /// Like `run`, inside one transaction: all of it is written or none of it.
    pub async fn tx<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.run(move |conn| write_transaction(conn, f)).await
    }
}

/// A transaction that will write. On SQLite it starts with `BEGIN IMMEDIATE`: a
/// deferred transaction that reads first and writes later fails at once with "database
/// is locked" when another connection is writing (the busy timeout does not apply to
/// that upgrade); taking the write lock up front makes it wait its turn instead.
pub fn write_transaction<T, F>(conn: &mut AnyConnection, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Tm = <AnyConnection as Connection>::TransactionManager;
    // Inside a transaction already (an import that wraps many service calls): a
    // savepoint, which rolls back alone.
    let nested = !matches!(
        Tm::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(None)
    );
    let AnyConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(f);
    };
    if nested {
        return conn.transaction(f);
    }
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    let result = f(conn);
    let AnyConnection::Sqlite(sqlite) = conn else {
        unreachable!("the connection kind cannot change")
    };
    match result {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(sqlite)?;
            Ok(value)
        }
        Err(e) => {
            let _ = AnsiTransactionManager::rollback_transaction(sqlite);
            Err(e)
        }
    }
}

impl FromRequest for Db {
    type Error = AppError;
    type Future = Ready<Result<Db, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let pool = match req.app_data::<web::Data<Pool>>() {
            Some(p) => p.get_ref().clone(),
            None => return ready(Err(AppError::Internal("no database pool".into()))),
        };
        let counter = req.extensions().get::<StatementCounter>().cloned();
        ready(Ok(Db { pool, counter }))
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
