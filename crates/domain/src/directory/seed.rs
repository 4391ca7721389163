//! Bulk synthetic data for benchmarks: clients and contacts in batched transactions
//! (multi-row inserts through the per-backend macro; MultiBackend has no batch insert).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{client_contacts, clients};
use crate::scope::TenantId;
use crate::with_backend;
use mspdesk_platform::db::AnyConnection;

const BATCH: usize = 500;
const STATUSES: [&str; 5] = ["active", "active", "active", "prospect", "inactive"];

pub fn run(
    conn: &mut AnyConnection,
    tenant: TenantId,
    clients_n: usize,
    contacts_per: usize,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    let now = at.naive_utc();
    let mut done = 0;
    while done < clients_n {
        let n = BATCH.min(clients_n - done);
        conn.transaction(|conn| {
            let rows: Vec<_> = (done..done + n)
                .map(|i| {
                    (
                        clients::tenant_id.eq(tenant.get()),
                        clients::name.eq(format!("Client {i:05}")),
                        clients::company_name.eq(Some(format!("Company {i:05} Ltd"))),
                        clients::email.eq(Some(format!("office{i}@client{i}.example"))),
                        clients::status.eq(STATUSES[i % STATUSES.len()]),
                        clients::hourly_rate.eq(9_000 + (i as i64 % 7) * 500),
                        clients::created_at.eq(now),
                        clients::updated_at.eq(now),
                    )
                })
                .collect();
            let ids: Vec<i64> = with_backend!(conn, |c| diesel::insert_into(clients::table)
                .values(&rows)
                .returning(clients::id)
                .get_results(c))?;
            if done == 0
                && let AnyConnection::Postgresql(c) = conn
            {
                // A fresh table has no statistics: PostgreSQL would plan the
                // contacts' foreign-key checks as sequential scans for the whole
                // session, making the load quadratic.
                diesel::sql_query("ANALYZE clients").execute(c)?;
            }
            let contacts: Vec<_> = ids
                .iter()
                .enumerate()
                .flat_map(|(k, id)| {
                    let i = done + k;
                    (0..contacts_per).map(move |j| {
                        (
                            client_contacts::tenant_id.eq(tenant.get()),
                            client_contacts::client_id.eq(*id),
                            client_contacts::name.eq(format!("Contact {j} of client {i:05}")),
                            client_contacts::email.eq(Some(format!("person{j}@client{i}.example"))),
                            client_contacts::is_primary.eq(j == 0),
                            client_contacts::created_at.eq(now),
                            client_contacts::updated_at.eq(now),
                        )
                    })
                })
                .collect();
            for chunk in contacts.chunks(2_000) {
                with_backend!(conn, |c| diesel::insert_into(client_contacts::table)
                    .values(chunk)
                    .execute(c))?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        done += n;
    }
    Ok(())
}
