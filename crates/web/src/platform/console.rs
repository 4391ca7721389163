//! The console's pages: the tenants with their counts and a form for a new one, the
//! suspend / reactivate / export buttons, and the platform audit log.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::Op;
use crate::auth::{Flash, Layout};
use crate::domain::platform::console::{self, NewTenant, TenantRow};
use crate::domain::platform::operators::{self, Entry};
use crate::domain::portability::tenant_export::Asked;
use crate::domain::scope::Who;
use crate::error::AppResult;
use crate::files::Storage;
use crate::ops::backup::schedule::{self, Scheduled};
use crate::ops::messages;
use crate::{page, render, see_other};
use mspdesk_platform::db::Db;
use mspdesk_platform::vault::Vault;

#[derive(Template)]
#[template(path = "platform/console.html")]
struct ConsolePage {
    l: Layout,
    operator: String,
    tenants: Vec<TenantRow>,
    /// The job workers' heartbeats and the queue's lag.
    health: crate::domain::automation::heartbeats::Health,
    /// Scheduled backups, when the server takes them.
    backups: Option<schedule::Shown>,
    form_name: String,
    form_admin_name: String,
    form_admin_email: String,
    error: String,
}

impl ConsolePage {
    /// A backup's size as people read it.
    fn size_of(&self, bytes: &u64) -> String {
        size(i64::try_from(*bytes).unwrap_or(i64::MAX))
    }
}

/// Bytes as people read them (the console's storage column).
pub fn size(bytes: i64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

async fn show(
    op: &Op,
    (session, db, scheduled): (&Session, &Db, &Scheduled),
    new: &NewTenant,
    error: &str,
) -> AppResult<HttpResponse> {
    let now = chrono::Utc::now().naive_utc();
    let plan = scheduled.0.clone();
    let (tenants, health, backups) = db
        .run(move |conn| {
            Ok((
                console::tenants(conn)?,
                crate::domain::automation::heartbeats::health(conn, now)?,
                schedule::shown(conn, plan.as_ref())?,
            ))
        })
        .await?;
    let status = crate::status_of(error);
    render(
        status,
        &ConsolePage {
            l: Layout::platform("Platform", session),
            operator: op.operator.email.clone(),
            tenants,
            health,
            backups,
            form_name: new.name.clone(),
            form_admin_name: new.admin_name.clone(),
            form_admin_email: new.admin_email.clone(),
            error: error.to_string(),
        },
    )
}

pub async fn tenants(
    op: Op,
    session: Session,
    db: Db,
    scheduled: web::Data<Scheduled>,
) -> AppResult<HttpResponse> {
    let blank = NewTenant {
        name: String::new(),
        admin_name: String::new(),
        admin_email: String::new(),
    };
    show(&op, (&session, &db, &scheduled), &blank, "").await
}

#[derive(Deserialize)]
pub struct TenantForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    admin_name: String,
    #[serde(default)]
    admin_email: String,
}

pub async fn create(
    op: Op,
    session: Session,
    db: Db,
    scheduled: web::Data<Scheduled>,
    req: HttpRequest,
    form: web::Form<TenantForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    let new = NewTenant {
        name: f.name,
        admin_name: f.admin_name,
        admin_email: f.admin_email,
    };
    let base = crate::admin::base_url(&req);
    let (actor, n) = (op.actor.clone(), new.clone());
    let made = db
        .run(move |conn| console::create(conn, &actor, &n, &base, &messages::account_link))
        .await?;
    match made {
        Ok((tenant, url)) => {
            Flash::success(format!(
                "Tenant {tenant} made. Its admin was invited by mail; the one-time link (7 days) is also here for you to pass on: {url}"
            ))
            .set(&session);
            Ok(see_other("/platform"))
        }
        Err(problem) => show(&op, (&session, &db, &scheduled), &new, problem).await,
    }
}

async fn set_suspended(
    op: Op,
    session: Session,
    db: Db,
    id: i64,
    on: bool,
) -> AppResult<HttpResponse> {
    let actor = op.actor.clone();
    db.run(move |conn| console::set_suspended(conn, &actor, id, on))
        .await?;
    let said = if on {
        "The tenant is suspended: its users are signed out, its keys and jobs stop."
    } else {
        "The tenant is active again."
    };
    Flash::success(said).set(&session);
    Ok(see_other("/platform"))
}

pub async fn suspend(
    op: Op,
    session: Session,
    db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    set_suspended(op, session, db, id.into_inner(), true).await
}

pub async fn reactivate(
    op: Op,
    session: Session,
    db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    set_suspended(op, session, db, id.into_inner(), false).await
}

/// The tenant's full export (secrets excluded), as its admin would download it — the one
/// way an operator reaches a tenant's records, so it is written in the platform audit
/// log and, naming the operator, in the tenant's own where its admins see it.
pub async fn export(
    req: HttpRequest,
    op: Op,
    db: Db,
    vault: web::Data<Vault>,
    storage: web::Data<Storage>,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (actor, ip) = (op.actor.clone(), op.actor.ip.clone());
    let tenant = db
        .run(move |conn| {
            let t = crate::domain::tenancy::tenants::find(conn, id)?
                .ok_or(crate::error::AppError::NotFound)?;
            operators::record(
                conn,
                Some(actor.id),
                "tenant_exported",
                Some(id),
                json!({}),
                Some(&actor.ip),
                actor.at.naive_utc(),
            )?;
            Ok(t)
        })
        .await?;
    let who = Who::operator(
        &op.operator,
        tenant,
        ip,
        mspdesk_platform::clock::Clock::System,
    );
    crate::imports::stream_export(
        &req,
        &db,
        vault.get_ref().clone(),
        storage.dir.clone(),
        who,
        Asked::ByOperator {
            email: op.operator.email.clone(),
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "platform/audit.html")]
struct AuditPage {
    l: Layout,
    entries: Vec<Entry>,
}

pub async fn audit(_op: Op, session: Session, db: Db) -> AppResult<HttpResponse> {
    let entries = db.run(|conn| Ok(operators::log(conn, 200)?)).await?;
    page(&AuditPage {
        l: Layout::platform("Platform audit log", &session),
        entries,
    })
}
