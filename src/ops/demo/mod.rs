//! The demo tenant: "Demo MSP", one user per role and 25 realistic clients with their
//! documentation — contacts, addresses, sites, licenses, credentials, racks,
//! certificates, domains, services, documents, a file, calendar, trips and recurring
//! tickets — its service desk: assets in racks, projects, tickets with replies — and
//! its money: recurring invoices, invoices in every status, payments, quotes, expenses —
//! and a calendar feed and an import waiting for its commit. Loaded only into a database
//! that has no tenant yet. Every row goes through
//! the same validation as the forms.

mod accounts;
mod automation;
mod data;
mod documentation;
mod finance;
mod portability;
mod records;
mod service_desk;

use std::path::Path;

use diesel::prelude::*;
use diesel::result::Error::NotFound;

use crate::domain::clients;
use crate::domain::clients::{BillingData, ClientData};
use crate::domain::forms;
use crate::domain::forms::{Field, FormInput};
use crate::domain::policy::Role;
use crate::domain::resource::{refs, write, Resource};
use crate::domain::scope::{ClientId, ClientScope, Who};
use crate::domain::tenancy::{password, tenants, users};
use crate::platform::db::AnyConnection;
use crate::platform::vault::Vault;

pub const TENANT_NAME: &str = "Demo MSP";

pub const USERS: [(&str, &str, Role); 3] = [
    ("admin@demo.test", "Alex Admin", Role::Admin),
    ("tech@demo.test", "Taylor Tech", Role::Tech),
    ("accountant@demo.test", "Casey Accountant", Role::Accountant),
];

/// What the generators need besides the connection.
pub struct Env<'a> {
    pub vault: &'a Vault,
    pub files_dir: &'a Path,
    pub tech_id: i64,
    pub admin_id: i64,
    pub accountant_id: i64,
    /// The three accounts as the services take them (the demo loader acts as each).
    pub admin: Who,
    pub tech: Who,
    pub accountant: Who,
}

/// The demo's platform operator.
const OPERATOR: &str = "operator@demo.test";

/// Loads the demo tenant and returns the logins, or `None` when a tenant exists.
pub fn load(
    conn: &mut AnyConnection,
    password_plain: &str,
    vault: &Vault,
    files_dir: &Path,
) -> Result<Option<Vec<(String, String)>>, diesel::result::Error> {
    if tenants::count(conn)? > 0 {
        return Ok(None);
    }
    let hash = password::hash(password_plain);
    // The scheduler's round at the end reads the views the server installs at start.
    crate::domain::install_views(conn)?;
    let now = chrono::Utc::now().naive_utc();
    conn.transaction(|conn| {
        let tenant = tenants::create(conn, TENANT_NAME, Some("office@demo.test"), now)?;
        let mut settings = tenants::settings(conn, tenant)?;
        settings.billing_address = "400 Harbor Way, Suite 200\nPortland, OR 97204".into();
        settings.tax_id = "EIN 93-1234567".into();
        tenants::update_settings(conn, tenant, &settings, now)?;
        let mut ids = vec![];
        for (email, name, role) in USERS {
            ids.push(users::create(conn, tenant, name, email, &hash, role, now)?);
        }
        let mut acting = vec![];
        for id in &ids {
            let user = users::find_live(conn, *id)?.ok_or(NotFound)?;
            acting.push(Who::shell(
                &user,
                "demo loader",
                crate::platform::clock::Clock::System,
            ));
        }
        let [admin, tech, accountant] = <[Who; 3]>::try_from(acting).map_err(|_| NotFound)?;
        let env = Env {
            vault,
            files_dir,
            admin_id: ids[0],
            tech_id: ids[1],
            accountant_id: ids[2],
            admin,
            tech,
            accountant,
        };
        for (i, c) in data::CLIENTS.iter().enumerate() {
            let (name, domain, _, _, status, rate, kind) = *c;
            let client = ClientData {
                name: name.to_string(),
                company_name: Some(format!("{name} Inc.")),
                email: Some(format!("office@{domain}")),
                phone: Some(format!("(555) 01{:02}-{:04}", i, 1000 + i * 37)),
                status: status.to_string(),
                lead: status == "prospect",
                kind: Some(kind.to_string()),
                alert: data::alert(i),
                notes: data::notes(i, name),
            };
            let id = clients::insert(conn, tenant, &client, chrono::Utc::now().naive_utc())?;
            let (_, cs) = clients::scoped(conn, env.admin.viewer(), ClientId(id))?;
            let billing = BillingData {
                hourly_rate: rate.parse::<i64>().unwrap_or(100) * 100,
                contract_start_date: chrono::NaiveDate::from_ymd_opt(2024, 1 + (i % 12) as u32, 1),
                contract_end_date: chrono::NaiveDate::from_ymd_opt(2027, 1 + (i % 12) as u32, 1),
                net_terms: [30, 15, 45, 30][i % 4],
                currency: if i % 5 == 4 { "EUR" } else { "USD" }.into(),
            };
            clients::update_billing(conn, &cs, &billing)?;
            records::client(conn, &cs, i, c, &env)?;
            service_desk::client(conn, &cs, i, &env)?;
            finance::client(conn, &cs, i, &env)?;
        }
        automation::run(conn, tenant, vault)?;
        portability::run(conn, data::CLIENTS[0].0, &env)?;
        // An operator of the platform console, outside the tenant.
        crate::domain::platform::operators::create(conn, OPERATOR, &hash, now)?;
        let mut logins: Vec<(String, String)> = USERS
            .iter()
            .map(|(e, _, r)| (e.to_string(), r.label().to_string()))
            .collect();
        logins.push((OPERATOR.into(), "Operator (/platform/login)".into()));
        Ok(Some(logins))
    })
}

/// Sets one field of a demo row, validated like the form.
pub(crate) fn set<R: Resource>(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    id: i64,
    field: Field,
    value: &str,
    env: &Env,
) -> QueryResult<()> {
    let mut input = R::to_input(&R::find(conn, cs, id)?);
    input.set(field.name, value);
    let refs = refs::load(conn, cs, R::FIELDS)?;
    let values = forms::parse(R::FIELDS, &input, &refs)
        .unwrap_or_else(|e| panic!("demo {} is invalid: {:?}", R::SINGULAR, e.0));
    write::update::<R>(conn, cs, id, &values, env.vault)
}

/// Inserts one demo row from form-like fields, validated like the form.
pub(crate) fn insert<R: Resource>(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    fields: &[(Field, String)],
    env: &Env,
) -> QueryResult<i64> {
    let mut input = FormInput::default();
    for (f, v) in fields {
        input.set(f.name, v.clone());
    }
    let refs = refs::load(conn, cs, R::FIELDS)?;
    let values = forms::parse(R::FIELDS, &input, &refs)
        .unwrap_or_else(|e| panic!("demo {} is invalid: {:?}", R::SINGULAR, e.0));
    write::create::<R>(conn, cs, &values, env.vault)
}
