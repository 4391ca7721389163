//! The tenant's own: its settings (only into a tenant that has no clients yet — a
//! tenant already at work keeps its own), its people (as accounts without a password,
//! invited to choose one; one whose e-mail address is already a user here is that
//! user), who may open which client, and its numbering, which goes on after the
//! highest number either side used.

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;

use super::rows::{self, Row};
use super::{good_rows, line, lines, read_or_fail, Archive};
use crate::error::AppResult;
use crate::portability::records::{self, SETTINGS};
use crate::tenancy::lifecycle::{self, LinkFor};
use crate::tenancy::one_time::INVITE;
use mspdesk_platform::db::sql::{Sql, Value};
use mspdesk_platform::db::AnyConnection;
use serde_json::{Map, Value as Json};

use super::super::state::Run;
use super::super::{Action, Report};

pub(super) fn settings(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    let Some((number, raw)) = lines(archive, "companies", report).into_iter().next() else {
        return Ok(());
    };
    let mut l = line("companies", number, "settings", "Tenant settings");
    if !run.by_name.is_empty() {
        l.action = Action::Skip;
        l.reason = "This tenant already has clients: it keeps its own settings.".into();
        report.push(l);
        return Ok(());
    }
    let Some((row, mut l)) = read_or_fail(&SETTINGS, &raw, &run.ids, l, report) else {
        return Ok(());
    };
    let tenant = run.who.tenant().get();
    rows::update(conn, "companies", tenant, tenant, &row.values)?;
    l.action = Action::Update;
    l.reason = "Prefixes, time zone, scheduler and security settings as exported.".into();
    report.push(l);
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// A password hash no password matches: the account signs in only after its owner
/// chose a password by an invitation or reset link.
const NO_PASSWORD: &str = "!imported";

pub(super) fn users(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    let tenant = run.who.tenant().get();
    let email_of = |raw: &Map<String, Json>| {
        raw.get("email")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string()
    };
    let all = good_rows(
        (archive, &run.ids),
        records::restored("users")?,
        "user",
        email_of,
        report,
    );
    for (row, mut l) in all {
        let email = row.text("email").unwrap_or("").to_string();
        let existing: Option<Id> = Sql::new("SELECT id FROM users WHERE tenant_id = ")
            .int(tenant)
            .sql(" AND email = ")
            .text(email.clone())
            .get_result(conn)
            .map(Some)
            .or_else(|e| match e {
                diesel::result::Error::NotFound => Ok(None),
                e => Err(e),
            })?;
        if let Some(user) = existing {
            let source = row.source.map(|s| s.to_string());
            run.mapped("users", source.as_deref(), user.id, false);
            l.action = Action::Skip;
            l.reason = "Already a user here.".into();
            report.push(l);
            continue;
        }
        let mut new = row;
        new.set("password_hash", Value::Text(Some(NO_PASSWORD.into())));
        let id = rows::insert(conn, "users", tenant, &new, true)?.unwrap_or_default();
        let source = new.source.map(|s| s.to_string());
        run.mapped("users", source.as_deref(), id, true);
        let active = matches!(new.get("disabled_at"), Value::Time(None))
            && matches!(new.get("deleted_at"), Value::Time(None));
        l.reason = match (active, run.ctx.invite) {
            (true, Some((base, post))) => {
                let name = new.text("name").unwrap_or("").to_string();
                let to = LinkFor {
                    tenant: run.who.tenant(),
                    user: id,
                    purpose: INVITE,
                    name: &name,
                    email: &email,
                };
                lifecycle::send_link(conn, &to, Some(run.who.user_id), base, post, run.who.now())?;
                "Invited by mail to choose a password.".into()
            }
            (true, None) => {
                "Made without a password: send them a sign-in link from Admin → Users.".into()
            }
            (false, _) => "Disabled or removed there, as here.".into(),
        };
        report.push(l);
    }
    Ok(())
}

/// Who may open which client (for users restricted to some clients).
pub(super) fn user_clients(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    let tenant = run.who.tenant().get();
    let spec = records::restored("user_clients")?;
    let all = good_rows(
        (archive, &run.ids),
        spec,
        "client access",
        |_| String::new(),
        report,
    );
    for (row, mut l) in all {
        let (user, client) = (row.int("user_id"), row.int("client_id"));
        let there: i64 = Sql::new("SELECT count(*) AS id FROM user_clients WHERE tenant_id = ")
            .int(tenant)
            .sql(" AND user_id = ")
            .value(Value::Int(user))
            .sql(" AND client_id = ")
            .value(Value::Int(client))
            .get_result::<Id>(conn)?
            .id;
        if there > 0 {
            l.action = Action::Skip;
        } else {
            rows::insert(conn, "user_clients", tenant, &row, false)?;
        }
        report.push(l);
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Last {
    #[diesel(sql_type = BigInt)]
    last: i64,
}

/// Each sequence goes on after the highest number used on either side: the export's
/// counter, the counter here, and the numbers the restored rows carry.
pub(super) fn numbering(
    run: &mut Run,
    conn: &mut AnyConnection,
    report: &mut Report,
    archive: &Archive,
) -> AppResult<()> {
    let tenant = run.who.tenant().get();
    let spec = records::restored("counters")?;
    let all = good_rows(
        (archive, &run.ids),
        spec,
        "numbering",
        |_| String::new(),
        report,
    );
    for (row, mut l) in all {
        let name = row.text("name").unwrap_or("").to_string();
        let numbered = match name.as_str() {
            "ticket" => "tickets",
            "invoice" => "invoices",
            _ => "quotes",
        };
        let used: i64 = Sql::new(format!(
            "SELECT CAST(coalesce(max(number), 0) AS BIGINT) AS last FROM {numbered} WHERE tenant_id = "
        ))
        .int(tenant)
        .get_result::<Last>(conn)?
        .last;
        let here: Option<Last> = Sql::new("SELECT last FROM counters WHERE tenant_id = ")
            .int(tenant)
            .sql(" AND name = ")
            .text(name.clone())
            .get_result(conn)
            .map(Some)
            .or_else(|e| match e {
                diesel::result::Error::NotFound => Ok(None),
                e => Err(e),
            })?;
        let last = [
            row.int("last").unwrap_or(0),
            used,
            here.as_ref().map_or(0, |h| h.last),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        if here.as_ref().is_some_and(|h| h.last == last) {
            l.title = name;
            l.action = Action::Skip;
            l.reason = "Unchanged.".into();
            report.push(l);
            continue;
        }
        match here {
            Some(_) => {
                Sql::new("UPDATE counters SET last = ")
                    .int(last)
                    .sql(" WHERE tenant_id = ")
                    .int(tenant)
                    .sql(" AND name = ")
                    .text(name.clone())
                    .execute(conn)?;
            }
            None => {
                let new = Row {
                    source: None,
                    values: vec![
                        ("name", Value::Text(Some(name.clone()))),
                        ("last", Value::Int(Some(last))),
                    ],
                };
                rows::insert(conn, "counters", tenant, &new, false)?;
            }
        }
        l.title = name;
        l.action = Action::Update;
        l.reason = format!("The next number is {}.", last + 1);
        report.push(l);
    }
    Ok(())
}
