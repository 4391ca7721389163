//! Bulk synthetic tickets and assets for benchmarks: for every client of a tenant,
//! `tickets_per` tickets (numbered in order, one in four open, the rest mostly closed, some overdue, two in
//! three assigned, in turn, to the `assignees`) and `assets_per` assets (some with a warranty running out),
//! and two replies per ticket, in batched transactions; the tenant's ticket counter ends after the last number.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::status::TicketStatus::{self, *};
use crate::schema::{assets, clients, counters, ticket_replies, tickets};
use crate::scope::TenantId;
use crate::tenancy::numbering;
use crate::with_backend;
use mspdesk_platform::db::AnyConnection;

const BATCH: usize = 500;
/// Replies per ticket.
const REPLIES: usize = 2;
/// A desk's history: most tickets are closed, one in four is still open.
const STATUSES: [TicketStatus; 20] = [
    New, New, Open, Open, OnHold, Resolved, Resolved, Closed, Closed, Closed, Closed, Closed,
    Closed, Closed, Closed, Closed, Closed, Closed, Closed, Closed,
];
const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];
const KINDS: [&str; 4] = ["workstation", "laptop", "server", "network"];

pub fn run(
    conn: &mut AnyConnection,
    tenant: TenantId,
    assignees: &[i64],
    tickets_per: usize,
    assets_per: usize,
    at: DateTime<Utc>,
) -> QueryResult<(usize, usize)> {
    let ids: Vec<i64> = crate::of_tenant!(clients, tenant)
        .order(clients::id.asc())
        .select(clients::id)
        .load(conn)?;
    let now = at.naive_utc();
    let today = now.date();
    let mut number = numbering::START;
    for chunk in ids.chunks(BATCH) {
        conn.transaction(|conn| {
            let mut rows = vec![];
            for (k, cid) in chunk.iter().enumerate() {
                for j in 0..tickets_per {
                    number += 1;
                    let n = number;
                    rows.push((
                        tickets::tenant_id.eq(tenant.get()),
                        tickets::client_id.eq(*cid),
                        tickets::number.eq(Some(n)),
                        tickets::reference.eq(Some(format!("T-{n}"))),
                        tickets::subject.eq(format!("Ticket {j} of client {cid}")),
                        tickets::status.eq(STATUSES[(k + j) % STATUSES.len()].name()),
                        tickets::priority.eq(PRIORITIES[(n as usize) % PRIORITIES.len()]),
                        tickets::assignee_id.eq((j % 3 != 2)
                            .then(|| assignees.get(n as usize % assignees.len().max(1)).copied())
                            .flatten()),
                        tickets::due_date.eq(Some(today + Duration::days((n % 60) - 20))),
                        tickets::created_at.eq(now),
                        tickets::updated_at.eq(now),
                    ));
                }
            }
            let mut made: Vec<(i64, i64)> = vec![];
            for part in rows.chunks(1_000) {
                made.extend(with_backend!(conn, |c| diesel::insert_into(tickets::table)
                    .values(part)
                    .returning((tickets::id, tickets::client_id))
                    .get_results::<(i64, i64)>(c))?);
            }
            // Each ticket's conversation: the technician's note and a public reply.
            let replies: Vec<_> = made
                .iter()
                .flat_map(|(tid, cid)| {
                    (0..REPLIES).map(move |r| {
                        (
                            ticket_replies::tenant_id.eq(tenant.get()),
                            ticket_replies::client_id.eq(*cid),
                            ticket_replies::ticket_id.eq(*tid),
                            ticket_replies::author_id.eq(assignees.first().copied()),
                            ticket_replies::body.eq(if r == 0 {
                                "Checked the event log; the spooler restarts at 02:00."
                            } else {
                                "Replaced the toner and cleared the queue. Please confirm it prints."
                            }),
                            ticket_replies::public.eq(r == 1),
                            ticket_replies::minutes.eq(15 * (r as i32 + 1)),
                            ticket_replies::billable.eq(r == 1),
                            ticket_replies::created_at.eq(now),
                        )
                    })
                })
                .collect();
            for part in replies.chunks(1_000) {
                with_backend!(conn, |c| diesel::insert_into(ticket_replies::table)
                    .values(part)
                    .execute(c))?;
            }
            let rows: Vec<_> = chunk
                .iter()
                .flat_map(|cid| {
                    (0..assets_per).map(move |j| {
                        (
                            assets::tenant_id.eq(tenant.get()),
                            assets::client_id.eq(*cid),
                            assets::name.eq(format!("PC{j:02}-{cid}")),
                            assets::kind.eq(Some(KINDS[j % KINDS.len()])),
                            assets::status.eq(Some("deployed")),
                            assets::ip_address.eq(Some(format!(
                                "10.{}.{}.{}",
                                cid % 250,
                                j,
                                10 + j
                            ))),
                            assets::warranty_expiry.eq(Some(
                                today + Duration::days((*cid * 7 + j as i64) % 400 - 30),
                            )),
                            assets::created_at.eq(now),
                            assets::updated_at.eq(now),
                        )
                    })
                })
                .collect();
            for part in rows.chunks(1_000) {
                with_backend!(conn, |c| diesel::insert_into(assets::table)
                    .values(part)
                    .execute(c))?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
    }
    diesel::delete(crate::of_tenant!(counters, tenant).filter(counters::name.eq("ticket")))
        .execute(conn)?;
    diesel::insert_into(counters::table)
        .values((
            counters::tenant_id.eq(tenant.get()),
            counters::name.eq("ticket"),
            counters::last.eq(number),
        ))
        .execute(conn)?;
    Ok((ids.len() * tickets_per, ids.len() * assets_per))
}
