//! What the mail says. Each message is one `Letter` (a heading, paragraphs, an optional
//! table) rendered by one pair of askama templates, text and HTML, so every message has
//! both parts and looks alike. A builder decides who gets what and queues it in the
//! outbox (`automation::mails`), in its job's transaction.

use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

use crate::domain::automation::mails::{self, Draft};
use crate::domain::automation::notices::{self, Notice};
use crate::domain::automation::notifications;
use crate::domain::clients;
use crate::domain::currency::Currency;
use crate::domain::directory::contacts::Contacts;
use crate::domain::finance::{documents, invoices};
use crate::domain::resource::Resource;
use crate::domain::scope::{ClientId, ClientScope, TenantId, Who};
use crate::domain::service_desk::{replies, tickets::Tickets};
use crate::domain::tenancy::{lifecycle, one_time};

use crate::error::{AppError, AppResult};
use crate::platform::db::AnyConnection;

/// One message, as both templates render it.
pub struct Letter {
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// Rows of cells (the digest's items).
    pub rows: Vec<Vec<String>>,
    pub signature: String,
}

#[derive(Template)]
#[template(path = "mail/letter.txt")]
struct Text<'a> {
    l: &'a Letter,
}

#[derive(Template)]
#[template(path = "mail/letter.html")]
struct Html<'a> {
    l: &'a Letter,
}

impl Letter {
    fn render(&self) -> AppResult<(String, String)> {
        let text = Text { l: self }
            .render()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let html = Html { l: self }
            .render()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((text, html))
    }
}

/// Queues `letter` to each address (once per address), as `(kind, subject)`.
fn post(
    conn: &mut AnyConnection,
    tenant: TenantId,
    (kind, subject): (&str, &str),
    to: &[String],
    letter: &Letter,
    attachment: Option<(&str, &str, &str)>,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let (text, html) = letter.render()?;
    let mut seen: Vec<&str> = vec![];
    for addr in to.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        if seen.contains(&addr) {
            continue;
        }
        seen.push(addr);
        let d = Draft {
            kind,
            to: addr,
            subject,
            text: &text,
            html: &html,
            attachment,
        };
        mails::queue(conn, tenant, &d, now)?;
    }
    Ok(seen.len())
}

fn tenant_name(conn: &mut AnyConnection, tenant: TenantId) -> QueryResult<String> {
    crate::domain::tenancy::tenants::name(conn, tenant)
}

fn by_mail(staff: &[notifications::Recipient]) -> Vec<String> {
    staff
        .iter()
        .filter(|r| r.by_mail)
        .map(|r| r.email.clone())
        .collect()
}

fn when(due: NaiveDate, today: NaiveDate) -> String {
    match (due - today).num_days() {
        0 => format!("expires today ({due})"),
        d if d > 0 => format!(
            "expires in {d} day{} ({due})",
            if d == 1 { "" } else { "s" }
        ),
        d => format!(
            "expired {} day{} ago ({due})",
            -d,
            if d == -1 { "" } else { "s" }
        ),
    }
}

/// The daily expiry digest: every item noticed since the last one, once each (an item
/// that crossed two thresholds at once is one line).
pub fn digest(
    conn: &mut AnyConnection,
    tenant: TenantId,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let pending: Vec<Notice> = notices::unmailed(conn, tenant)?;
    if pending.is_empty() {
        return Ok(0);
    }
    let mut rows: Vec<Vec<String>> = vec![];
    let mut listed: Vec<(&str, i64, NaiveDate)> = vec![];
    for n in &pending {
        let key = (n.subject.as_str(), n.subject_id, n.due_on);
        if listed.contains(&key) {
            continue;
        }
        listed.push(key);
        let label = crate::domain::registry::all()
            .iter()
            .find(|r| r.slug == n.subject)
            .map_or("contract", |r| r.singular);
        rows.push(vec![
            n.client.clone(),
            format!("{} {}", capitalised(label), n.name),
            when(n.due_on, today),
        ]);
    }
    let name = tenant_name(conn, tenant)?;
    let letter = Letter {
        heading: "Expiring soon".into(),
        paragraphs: vec![format!(
            "{} item{} reached a notice date:",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        )],
        rows,
        signature: format!("mspdesk for {name}"),
    };
    let subject = format!(
        "Expiring soon: {} item{} ({today})",
        letter.rows.len(),
        if letter.rows.len() == 1 { "" } else { "s" }
    );
    // Everyone who may see these records hears of them as they chose (by default
    // admins by mail, everyone in the app).
    let staff = notifications::recipients(conn, tenant, notifications::EXPIRY, None)?;
    notifications::notify(
        conn,
        tenant,
        &staff,
        notifications::EXPIRY,
        &subject,
        "/",
        now,
    )?;
    let to = by_mail(&staff);
    let sent = post(conn, tenant, ("digest", &subject), &to, &letter, None, now)?;
    let ids: Vec<i64> = pending.iter().map(|n| n.id).collect();
    notices::mark_mailed(conn, tenant, &ids, now)?;
    Ok(sent)
}

fn amount(c: Currency, minor: i64) -> String {
    format!("{} {}", c.code, c.format(minor))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A client's scope for a job at `now`; `None` when the client is gone (nothing to send).
fn scope(
    conn: &mut AnyConnection,
    tenant: TenantId,
    cid: i64,
    now: NaiveDateTime,
) -> AppResult<Option<ClientScope>> {
    let viewer = Who::system(tenant, crate::platform::clock::Clock::At(now.and_utc())).viewer();
    match clients::scoped(conn, viewer, ClientId(cid)) {
        Ok((_, cs)) => Ok(Some(cs)),
        Err(diesel::result::Error::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Draws the printable invoice, a standalone HTML document. The page is the web
/// layer's; whoever builds the workers hands it over, so the mail attaches the very
/// page the browser prints without the jobs importing the web.
pub type PrintInvoice = fn(&mut AnyConnection, &ClientScope, i64) -> AppResult<String>;

/// A sent invoice to the client's billing contact, with the printable invoice
/// attached (the page the browser prints).
pub fn invoice(
    conn: &mut AnyConnection,
    tenant: TenantId,
    cid: i64,
    id: i64,
    print: PrintInvoice,
    now: NaiveDateTime,
) -> AppResult<usize> {
    letter_of_invoice(conn, tenant, cid, id, Some(print), now)
}

/// A reminder of an unpaid invoice past its due date (none once it is paid or void).
pub fn reminder(
    conn: &mut AnyConnection,
    tenant: TenantId,
    cid: i64,
    id: i64,
    now: NaiveDateTime,
) -> AppResult<usize> {
    letter_of_invoice(conn, tenant, cid, id, None, now)
}

fn letter_of_invoice(
    conn: &mut AnyConnection,
    tenant: TenantId,
    cid: i64,
    id: i64,
    print: Option<PrintInvoice>,
    now: NaiveDateTime,
) -> AppResult<usize> {
    // Only the invoice itself carries the printable copy; a reminder does not render it.
    let reminder = print.is_none();
    let Some(cs) = scope(conn, tenant, cid, now)? else {
        return Ok(0);
    };
    let inv = invoices::find(conn, &cs, id)?;
    if reminder && !inv.unpaid() {
        return Ok(0);
    }
    let to = documents::recipient(conn, &cs)?;
    let from = documents::issuer(conn, &cs)?;
    let currency = inv.currency()?;
    let reference = inv.reference.clone().unwrap_or_default();
    let due = inv.due_date.map(|d| d.to_string()).unwrap_or_default();
    let hello = format!(
        "Hello {},",
        if to.contact.is_empty() {
            &to.name
        } else {
            &to.contact
        }
    );
    let (subject, body) = if reminder {
        (
            format!("Reminder: invoice {reference} is overdue"),
            vec![
                format!(
                    "invoice {reference} for {} was due on {due}. {} is still open.",
                    amount(currency, inv.total),
                    amount(currency, inv.balance())
                ),
                "If you have paid it already, thank you — please disregard this reminder.".into(),
            ],
        )
    } else {
        (
            format!("Invoice {reference} from {}", from.name),
            vec![format!(
                "please find attached invoice {reference} for {}, due on {due}.",
                amount(currency, inv.total)
            )],
        )
    };
    let letter = Letter {
        heading: subject.clone(),
        paragraphs: std::iter::once(hello).chain(body).collect(),
        rows: vec![],
        signature: from.name.clone(),
    };
    let file = format!("{reference}.html");
    let html = match print {
        Some(print) => Some(print(conn, &cs, id)?),
        None => None,
    };
    let attachment = html
        .as_deref()
        .map(|h| (file.as_str(), "text/html; charset=utf-8", h));
    let kind = if reminder { "overdue" } else { "invoice" };
    let mut recipients = vec![to.email];
    if reminder {
        // The billing staff hear that a reminder went out (a copy for those who
        // asked for mail).
        let staff = notifications::recipients(conn, tenant, notifications::INVOICES, None)?;
        let title = format!(
            "Overdue reminder sent for invoice {reference} ({})",
            to.name
        );
        let link = format!("/clients/{cid}/invoices/{id}");
        notifications::notify(
            conn,
            tenant,
            &staff,
            notifications::INVOICES,
            &title,
            &link,
            now,
        )?;
        recipients.extend(by_mail(&staff));
    }
    post(
        conn,
        tenant,
        (kind, &subject),
        &recipients,
        &letter,
        attachment,
        now,
    )
}

/// A new ticket, or a public reply on one: to the contact who reported it and the
/// technician assigned to it.
pub fn ticket(
    conn: &mut AnyConnection,
    tenant: TenantId,
    cid: i64,
    id: i64,
    reply: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let Some(cs) = scope(conn, tenant, cid, now)? else {
        return Ok(0);
    };
    let t = Tickets::find(conn, &cs, id)?;
    let body = match reply {
        Some(rid) => match replies::public_body(conn, &cs, rid)? {
            Some(body) => Some(body),
            None => return Ok(0),
        },
        None => None,
    };
    let mut to = vec![];
    if let Some(contact) = t.data.contact_id
        && let Ok(c) = Contacts::find(conn, &cs, contact)
    {
        to.extend(c.data.email.clone());
    }
    let reference = t.reference().to_string();
    // The technician as they chose (by default in the app and by mail).
    if let Some(tech) = t.data.assignee_id {
        let staff = notifications::recipients(conn, tenant, notifications::TICKETS, Some(&[tech]))?;
        let title = match reply {
            Some(_) => format!("{reference} {}: a new reply", t.data.subject),
            None => format!("{reference} {}: assigned to you", t.data.subject),
        };
        let link = format!("/clients/{cid}/tickets/{id}");
        notifications::notify(
            conn,
            tenant,
            &staff,
            notifications::TICKETS,
            &title,
            &link,
            now,
        )?;
        to.extend(by_mail(&staff));
    }
    let name = tenant_name(conn, tenant)?;
    let (subject, paragraphs) = match body {
        Some(body) => (
            format!("Re: [{reference}] {}", t.data.subject),
            vec![format!("A reply on ticket {reference}:"), body],
        ),
        None => (
            format!("[{reference}] {}", t.data.subject),
            vec![
                format!("Ticket {reference} was opened: {}.", t.data.subject),
                format!("Priority: {}.", t.data.priority),
            ],
        ),
    };
    let letter = Letter {
        heading: subject.clone(),
        paragraphs,
        rows: vec![],
        signature: name,
    };
    post(conn, tenant, ("ticket", &subject), &to, &letter, None, now)
}

/// The mail of a one-time link: an invitation to choose a first password, or a reset.
pub fn account_link(conn: &mut AnyConnection, m: &lifecycle::Mailing) -> AppResult<()> {
    let team = tenant_name(conn, m.tenant)?;
    let invite = m.purpose == one_time::INVITE;
    let (kind, subject, heading, first) = if invite {
        (
            "invitation",
            format!("You are invited to {team} on mspdesk"),
            "You are invited".to_string(),
            format!("Hello {}, {team} has made you an account on mspdesk. Choose your password at the link below; it works once, for 7 days.", m.name),
        )
    } else {
        (
            "password_reset",
            format!("Choose a new password for {team} on mspdesk"),
            "Choose a new password".to_string(),
            format!("Hello {}, an admin of {team} sent you a link to choose a new password. It works once, for 24 hours; until then your current password still works.", m.name),
        )
    };
    let code = crate::domain::tenancy::tenants::sign_in_code(conn, m.tenant)?;
    let letter = Letter {
        heading,
        paragraphs: vec![
            first,
            m.url.to_string(),
            format!(
                "To sign in afterwards, give your team: {code} (your e-mail: {}).",
                m.email
            ),
        ],
        rows: vec![],
        signature: format!("mspdesk for {team}"),
    };
    let now = chrono::Utc::now().naive_utc();
    let to = [m.email.to_string()];
    post(conn, m.tenant, (kind, &subject), &to, &letter, None, now)?;
    Ok(())
}
