//! Bulk synthetic documentation for benchmarks, at a real MSP's volume: per client, two
//! locations, three credentials (no secrets), two licences, two domains, a certificate,
//! two services and a document. Every row is validated by its resource's own fields and
//! written by its own insert (200 rows per statement where the resource allows it), so
//! the search index and the attention lists fill as they do in use.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;

use super::{certificates, credentials, documents, domains, licenses, services};
use crate::directory::locations::Locations;
use crate::forms::{FormInput, RefOptions, Values};
use crate::resource::{service, write, Resource};
use crate::schema::clients;
use crate::scope::{ClientScope, TenantId, Viewer};
use mspdesk_platform::clock::Clock;
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::vault::Vault;

/// Rows per transaction and per multi-row statement.
const TRANSACTION: usize = 2_000;
const STATEMENT: usize = 200;

/// One sample row: client number `c`, row `j` of that client, a date `d` to spread dates by.
type Sample = fn(c: usize, j: usize, d: NaiveDate) -> Vec<(&'static str, String)>;

pub fn run(
    conn: &mut AnyConnection,
    vault: &Vault,
    tenant: TenantId,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    let ids: Vec<i64> = crate::of_tenant!(clients, tenant)
        .order(clients::id.asc())
        .select(clients::id)
        .load(conn)?;
    let scopes: Vec<ClientScope> = ids
        .iter()
        .map(|id| ClientScope::checked(Viewer::whole(tenant, Clock::At(at)), *id))
        .collect();
    let mut n = 0;
    n += kind::<Locations>(conn, vault, &scopes, 2, |c, j, _| {
        vec![
            ("name", format!("{} office {c}", ["Main", "Branch"][j % 2])),
            ("address_line_1", format!("{} Market Street", 10 + c % 900)),
            (
                "city",
                ["Springfield", "Riverton", "Lakeside"][c % 3].into(),
            ),
        ]
    })?;
    n += kind::<credentials::Credentials>(conn, vault, &scopes, 3, |c, j, _| {
        vec![
            (
                "name",
                format!(
                    "{} {c}",
                    ["Firewall admin", "Microsoft 365 global admin", "NAS"][j % 3]
                ),
            ),
            ("type", "admin".into()),
            ("username", format!("admin{j}@client{c}.example")),
            ("url", format!("https://fw{j}.client{c}.example")),
        ]
    })?;
    n += kind::<licenses::Licenses>(conn, vault, &scopes, 2, |c, j, d| {
        vec![
            (
                "name",
                format!("{} {c}", ["Microsoft 365 Business", "Adobe Acrobat"][j % 2]),
            ),
            ("vendor", ["Microsoft", "Adobe"][j % 2].into()),
            ("seats", (5 + c % 40).to_string()),
            ("cost", format!("{}.00", 100 + c % 900)),
            ("expiry_date", d.to_string()),
        ]
    })?;
    n += kind::<domains::Domains>(conn, vault, &scopes, 2, |c, j, d| {
        vec![
            ("domain_name", format!("client{c}-{j}.example")),
            ("registrar", ["Gandi", "Namecheap"][j % 2].into()),
            ("expiry_date", d.to_string()),
        ]
    })?;
    n += kind::<certificates::Certificates>(conn, vault, &scopes, 1, |c, _, d| {
        vec![
            ("name", format!("Wildcard client{c}")),
            ("domain", format!("*.client{c}.example")),
            ("issuer", "Let's Encrypt".into()),
            ("expiry_date", d.to_string()),
        ]
    })?;
    n += kind::<services::Services>(conn, vault, &scopes, 2, |c, j, _| {
        vec![
            ("name", format!("{} {c}", ["Mail", "Backup"][j % 2])),
            ("status", "running".into()),
            ("protocol", "https".into()),
            ("port", "443".into()),
        ]
    })?;
    n += kind::<documents::Documents>(conn, vault, &scopes, 1, |c, _, _| {
        vec![
            ("name", format!("Onboarding runbook {c}")),
            ("category", "Procedure".into()),
            (
                "content",
                "# Restore\nCheck the backup job, then **restore** the share.".into(),
            ),
        ]
    })?;
    Ok(n)
}

/// `per` rows of one resource for every client.
fn kind<R: Resource>(
    conn: &mut AnyConnection,
    vault: &Vault,
    scopes: &[ClientScope],
    per: usize,
    sample: Sample,
) -> QueryResult<usize> {
    let refs = RefOptions::default();
    let mut rows: Vec<(ClientScope, Values)> = Vec::with_capacity(scopes.len() * per);
    for (c, cs) in scopes.iter().enumerate() {
        for j in 0..per {
            // Expiry dates spread over the next year, some already past.
            let d = cs.today() + Duration::days(((c * 7 + j * 13) % 400) as i64 - 30);
            let input = FormInput(
                sample(c, j, d)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            );
            let values = service::validate::<R>(&input, &refs).map_err(|e| {
                diesel::result::Error::QueryBuilderError(
                    format!("{}: the bench's sample is invalid: {e:?}", R::SLUG).into(),
                )
            })?;
            rows.push((*cs, values));
        }
    }
    let written = rows.len();
    for chunk in rows.chunks(TRANSACTION) {
        conn.transaction(|conn| {
            if chunk.iter().all(|(_, v)| write::batchable::<R>(v)) {
                for part in chunk.chunks(STATEMENT) {
                    write::create_many::<R>(conn, part)?;
                }
            } else {
                for (cs, v) in chunk {
                    write::create::<R>(conn, cs, v, vault)?;
                }
            }
            Ok::<_, diesel::result::Error>(())
        })?;
    }
    Ok(written)
}
