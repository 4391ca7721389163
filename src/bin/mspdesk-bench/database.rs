//! The bench's database: a fresh one, filled with a real MSP's volume.

use std::path::Path;
use std::time::Instant;

use diesel::{Connection, PgConnection, RunQueryDsl};
use mspdesk::domain::directory::seed;
use mspdesk::domain::tenancy::{password, tenants};
use mspdesk::platform::db;

use crate::{ASSETS, CLIENTS, CONTACTS, INVOICES, TICKETS};

/// The database to seed: a fresh schema on the given PostgreSQL server, the given URL,
/// or a temporary SQLite file.
pub fn database_url(server: Option<&str>, dir: &std::path::Path, schema: &str) -> String {
    match server {
        Some(u) if u.starts_with("postgres") => {
            let mut admin = PgConnection::establish(u).expect("PostgreSQL is reachable");
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut admin)
                .expect("create schema");
            let sep = if u.contains('?') { '&' } else { '?' };
            format!("{u}{sep}options=-csearch_path%3D{schema}")
        }
        Some(u) => u.to_string(),
        None => format!("sqlite://{}/bench.db", dir.display()),
    }
}

/// A tenant with `CLIENTS` clients of `CONTACTS` contacts (and the service desk's
/// tickets and assets), analysed as a live database is.
pub fn seed_database(pool: &db::Pool, backend: &str, dir: &Path) -> String {
    let mut conn = pool.get().expect("connection");
    let hash = password::hash("bench-password");
    let at = chrono::Utc::now();
    let now = at.naive_utc();
    let (tenant, admin) =
        tenants::create_with_admin(&mut conn, "Bench MSP", "bench@bench.test", &hash, now)
            .expect("tenant");
    let started = Instant::now();
    seed::run(&mut conn, tenant, CLIENTS, CONTACTS, at).expect("seed");
    // The tickets are shared by the admin (who the bench logs in as) and 19 technicians.
    let mut staff = vec![admin];
    for t in 1..20 {
        let email = format!("tech{t}@bench.test");
        let role = mspdesk::domain::policy::Role::Tech;
        let name = format!("Tech {t}");
        staff.push(
            mspdesk::domain::tenancy::users::create(
                &mut conn, tenant, &name, &email, &hash, role, now,
            )
            .expect("technician"),
        );
    }
    let (tickets, assets) =
        mspdesk::domain::service_desk::seed::run(&mut conn, tenant, &staff, TICKETS, ASSETS, at)
            .expect("seed the service desk");
    let invoices = mspdesk::domain::finance::seed::run(&mut conn, tenant, INVOICES, at)
        .expect("seed the invoices");
    let vault = mspdesk::platform::vault::Vault::open(dir).expect("vault");
    let documented = mspdesk::domain::documentation::seed::run(&mut conn, &vault, tenant, at)
        .expect("seed the documentation");
    let seeded = format!(
        "seeded {CLIENTS} clients × {CONTACTS} contacts, {tickets} tickets with {} replies, {assets} assets, {invoices} invoices with payments, {documented} documentation records (locations, credentials, licences, domains, certificates, services, documents) in {:.0} s",
        tickets * 2,
        started.elapsed().as_secs_f64()
    );
    println!("{backend}: {seeded}");
    // Statistics as a live database has them: autovacuum on PostgreSQL, `PRAGMA
    // optimize` (run by every new connection) on SQLite.
    match &mut *conn {
        db::AnyConnection::Postgresql(c) => {
            diesel::sql_query("VACUUM ANALYZE")
                .execute(c)
                .expect("vacuum");
            // The seed's dirty pages written now, not by a checkpoint that would share
            // the two cores with the measured pages (p99 outliers of 100–550 ms).
            diesel::sql_query("CHECKPOINT")
                .execute(c)
                .expect("checkpoint");
        }
        db::AnyConnection::Sqlite(c) => {
            diesel::sql_query("ANALYZE").execute(c).expect("analyze");
            // A live database's write-ahead log is checkpointed as it goes.
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(c)
                .expect("checkpoint");
        }
    }
    seeded
}
