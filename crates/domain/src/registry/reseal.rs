//! The two walks over every tenant's sealed values — the resources' secret fields, their
//! earlier values and staff two-factor secrets: re-sealing them under a staged key (a key
//! rotation) and opening them all without change (a restore's check). They are the only
//! public way to reach across tenants' secrets; the reads and writes they use take an
//! `EveryTenant` that only this module grants.

use crate::registry::{self, Visitor};
use crate::resource::{history, write, Resource};
use crate::scope::EveryTenant;
use crate::tenancy::two_factor;
use mspdesk_platform::clock::Clock;
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::vault::{SecretRef, StagedVault, Vault};

#[derive(Debug, thiserror::Error)]
pub enum ResealError {
    #[error("the secret in {table}.{column} of row {id} does not open with the current key ({reason}); nothing was changed")]
    Unreadable {
        table: &'static str,
        column: String,
        id: i64,
        reason: String,
    },
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
}

/// Opens every sealed value with `old` and writes it back sealed with `new`; stops at
/// the first that does not open (the caller's transaction then rolls back). How many.
pub fn every_secret(
    conn: &mut AnyConnection,
    old: &Vault,
    new: &StagedVault,
    clock: Clock,
) -> Result<usize, ResealError> {
    walk(conn, old, Some(new), EveryTenant(clock))
}

/// Opens every sealed value with `vault` and changes nothing; how many opened. Only
/// the count leaves: no secret is handed out.
pub fn open_every_secret(
    conn: &mut AnyConnection,
    vault: &Vault,
    clock: Clock,
) -> Result<usize, ResealError> {
    walk(conn, vault, None, EveryTenant(clock))
}

/// How many values are sealed in the database, in every tenant (whether a missing key
/// file may be replaced by a new one: only while this is 0).
pub fn sealed_count(conn: &mut AnyConnection, clock: Clock) -> diesel::QueryResult<usize> {
    struct Count<'a> {
        conn: &'a mut AnyConnection,
        every: &'a EveryTenant,
        n: diesel::QueryResult<usize>,
    }
    impl Visitor for Count<'_> {
        fn visit<R: Resource>(&mut self) {
            if let Ok(n) = self.n {
                self.n = R::all_secrets(self.conn, self.every).map(|s| n + s.len());
            }
        }
    }
    let every = EveryTenant(clock);
    let mut count = Count {
        conn,
        every: &every,
        n: Ok(0),
    };
    registry::each(&mut count);
    Ok(count.n? + history::all(conn, &every)?.len() + two_factor::all_sealed(conn, &every)?.len())
}

fn walk(
    conn: &mut AnyConnection,
    old: &Vault,
    new: Option<&StagedVault>,
    every: EveryTenant,
) -> Result<usize, ResealError> {
    let mut reseal = Reseal {
        conn,
        every: &every,
        old,
        new,
        count: 0,
        result: Ok(()),
    };
    registry::each(&mut reseal);
    reseal.result?;
    let mut n = reseal.count;
    // Earlier values live in one table of their own, sealed under their row.
    for (id, tenant_id, value) in history::all(conn, &every)? {
        let at = history::at(tenant_id, id);
        let plain = open(old, at, &value, "secret_history", id)?;
        if let Some(new) = new {
            history::replace(conn, &every, id, &new.seal(at, &plain))?;
        }
        n += 1;
    }
    // Staff two-factor secrets, sealed under their user's row.
    for (id, tenant_id, value) in two_factor::all_sealed(conn, &every)? {
        let at = two_factor::sealed_at(tenant_id, id);
        let plain = open(old, at, &value, "users", id)?;
        if let Some(new) = new {
            two_factor::replace_sealed(conn, &every, id, &new.seal(at, &plain))?;
        }
        n += 1;
    }
    Ok(n)
}

fn open(
    old: &Vault,
    at: SecretRef<'_>,
    sealed: &str,
    table: &'static str,
    id: i64,
) -> Result<String, ResealError> {
    old.open_secret(at, sealed)
        .map_err(|e| ResealError::Unreadable {
            table,
            column: at.column.to_string(),
            id,
            reason: e.to_string(),
        })
}

/// Re-seals (or, without `new`, only opens) the secrets of each resource the registry
/// names; stops at the first that does not open.
struct Reseal<'a> {
    conn: &'a mut AnyConnection,
    every: &'a EveryTenant,
    old: &'a Vault,
    new: Option<&'a StagedVault>,
    count: usize,
    result: Result<(), ResealError>,
}

impl Visitor for Reseal<'_> {
    fn visit<R: Resource>(&mut self) {
        if self.result.is_ok() {
            self.result = self.reseal::<R>();
        }
    }
}

impl Reseal<'_> {
    fn reseal<R: Resource>(&mut self) -> Result<(), ResealError> {
        for s in R::all_secrets(self.conn, self.every)? {
            let at = write::secret_ref::<R>(&s.scope, s.id, s.field);
            let plain = open(self.old, at, &s.value, R::TABLE, s.id)?;
            if let Some(new) = self.new {
                R::write_secret(self.conn, &s.scope, s.id, s.field, &new.seal(at, &plain))?;
            }
            self.count += 1;
        }
        Ok(())
    }
}
