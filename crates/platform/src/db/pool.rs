//! The connection pool. A connection handed out is known to work without a round trip
//! per checkout: r2d2's own test (`SELECT 1` before every use) was one PostgreSQL round
//! trip per checkout — a page checks out three times (session, user, page), so three of
//! its eight round trips. Instead, as HikariCP does, a connection used within the last
//! half second is handed out untested, and one whose statement failed because the
//! server had gone is thrown away when it comes back, never handed out again. That
//! failure also makes every connection returned before it suspect (a restarted server
//! closed them all), so each is tested on its next checkout: one statement notices a
//! restart, not one per pooled connection.

use std::cell::Cell;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::result::{DatabaseErrorKind, Error};
use diesel::Connection;

use super::counter::Counting;
use super::{AnyConnection, Backend};

/// A PostgreSQL connection back in the pool for less than this is handed out untested.
const ALIVE_WINDOW: Duration = Duration::from_millis(500);

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

pub fn build(backend: &Backend, size: u32) -> Result<Pool, r2d2::PoolError> {
    r2d2::Pool::builder().max_size(size.max(1)).build(Manager {
        backend: backend.clone(),
    })
}

thread_local! {
    /// A statement on this thread found its connection gone. Checked (and cleared) when
    /// the connection goes back to the pool, which happens on the thread that used it.
    static LOST: Cell<bool> = const { Cell::new(false) };
}

/// When a statement last found its connection gone.
static LAST_LOSS: Mutex<Option<Instant>> = Mutex::new(None);

/// Whether the error says the server hung up on this connection.
pub fn is_lost(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        )
    )
}

/// Called by the statement instrumentation for every failed statement.
pub(crate) fn note_failure(error: &Error) {
    if is_lost(error) {
        LOST.with(|l| l.set(true));
        if let Ok(mut last) = LAST_LOSS.lock() {
            *last = Some(Instant::now());
        }
    }
}

/// A connection returned before the last loss was seen may be just as gone.
fn suspect(returned: Instant) -> bool {
    LAST_LOSS
        .lock()
        .ok()
        .and_then(|l| *l)
        .is_some_and(|lost| returned <= lost)
}

pub struct Manager {
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        let mut conn = self
            .backend
            .connect()
            .map_err(r2d2::Error::ConnectionError)?;
        conn.set_instrumentation(Counting::new());
        Ok(conn)
    }

    /// A SQLite file does not hang up; a PostgreSQL connection idle for longer than the
    /// window, or returned before a loss was seen, is asked once.
    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        let doubt = Counting::of(conn)
            .is_none_or(|c| c.returned.elapsed() > ALIVE_WINDOW || suspect(c.returned));
        match conn {
            AnyConnection::Postgresql(pg) if doubt => pg
                .batch_execute("SELECT 1")
                .map_err(r2d2::Error::QueryError),
            _ => Ok(()),
        }
    }

    /// A connection still inside a transaction (or whose transaction manager failed),
    /// or whose server hung up, is never handed out again: the pool drops it and opens
    /// a fresh one.
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        use diesel::connection::TransactionManager;
        let lost = LOST.with(|l| l.replace(false));
        if let Some(c) = Counting::of(conn) {
            c.returned = Instant::now();
        }
        lost || <AnyConnection as Connection>::TransactionManager::is_broken_transaction_manager(
            conn,
        )
    }
}
