//! Arrange helpers: rows written straight through the library, as another user of the
//! tenant would have left them.

use mspdesk::domain::clients;
use mspdesk::domain::clients::{BillingData, ClientData};
use mspdesk::domain::directory::contacts::Contacts;
use mspdesk::domain::forms;
use mspdesk::domain::forms::FormInput;
use mspdesk::domain::resource::{write, Resource};
use mspdesk::domain::scope::{ClientId, TenantId};
use mspdesk::platform::db::AnyConnection;

use crate::helpers::TestApp;

pub fn client(conn: &mut AnyConnection, tenant: TenantId, name: &str) -> i64 {
    client_with(conn, tenant, name, |_, _| {})
}

/// A plain active client's fields.
pub fn client_data(name: &str) -> ClientData {
    ClientData {
        name: name.into(),
        company_name: None,
        email: None,
        phone: None,
        status: "active".into(),
        lead: false,
        kind: None,
        alert: None,
        notes: None,
    }
}

pub fn client_with(
    conn: &mut AnyConnection,
    tenant: TenantId,
    name: &str,
    f: impl FnOnce(&mut ClientData, &mut BillingData),
) -> i64 {
    let mut data = client_data(name);
    let mut billing = BillingData {
        hourly_rate: 10_000,
        ..Default::default()
    };
    f(&mut data, &mut billing);
    let id = clients::insert(conn, tenant, &data, chrono::Utc::now().naive_utc()).unwrap();
    let (_, cs) = clients::scoped(conn, tenant, ClientId(id)).unwrap();
    clients::update_billing(conn, &cs, &billing).unwrap();
    id
}

/// A sub-resource row from form-like fields, through the same validation as the form.
pub fn row<R: Resource>(
    app: &TestApp,
    tenant: TenantId,
    client_id: i64,
    fields: &[(&str, &str)],
) -> i64 {
    let conn = &mut *app.conn();
    let (_, cs) = clients::scoped(conn, tenant, ClientId(client_id)).unwrap();
    let mut input = FormInput::default();
    for (k, v) in fields {
        input.set(k, *v);
    }
    let refs = mspdesk::domain::resource::refs::load(conn, &cs, R::FIELDS).unwrap();
    let values = forms::parse(R::FIELDS, &input, &refs)
        .unwrap_or_else(|e| panic!("invalid fixture: {:?}", e.0));
    write::create::<R>(conn, &cs, &values, &app.vault).unwrap()
}

pub fn contact(app: &TestApp, tenant: TenantId, client_id: i64, name: &str) -> i64 {
    row::<Contacts>(app, tenant, client_id, &[("name", name)])
}

/// An asset (the asset pages come with the asset domain; the pickers need rows now).
pub fn asset(conn: &mut AnyConnection, tenant: TenantId, client_id: i64, name: &str) -> i64 {
    use diesel::prelude::*;
    use mspdesk::domain::schema::assets;
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(assets::table)
        .values((
            assets::tenant_id.eq(tenant.get()),
            assets::client_id.eq(client_id),
            assets::name.eq(name),
            assets::created_at.eq(now),
            assets::updated_at.eq(now),
        ))
        .returning(assets::id)
        .get_result(conn)
        .unwrap()
}

/// A user's id by e-mail.
pub fn user_id(conn: &mut AnyConnection, email: &str) -> i64 {
    mspdesk::domain::tenancy::users::find_by_email(conn, email)
        .unwrap()
        .unwrap()
        .id
}

/// Tenant A as the demo tenant (every tab of every client documented), its users on
/// the tests' password: for walks that need a row of every registered resource.
pub fn demo_tenant(
    conn: &mut AnyConnection,
    vault: &mspdesk::platform::vault::Vault,
    dir: &std::path::Path,
) -> crate::helpers::Tenant {
    mspdesk::ops::demo::load(conn, crate::helpers::PASSWORD, vault, &dir.join("files"))
        .unwrap()
        .expect("an empty database");
    let admin = mspdesk::domain::tenancy::users::find_by_email(conn, "admin@demo.test")
        .unwrap()
        .unwrap();
    crate::helpers::Tenant {
        id: admin.tenant(),
        team: mspdesk::domain::tenancy::tenants::sign_in_code(conn, admin.tenant()).unwrap(),
        admin: "admin@demo.test".into(),
        tech: "tech@demo.test".into(),
        accountant: "accountant@demo.test".into(),
    }
}
