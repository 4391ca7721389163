//! The demo tenant: every tab of a client has rows, and each role can log in.

use mspdesk::ops::demo;

use crate::helpers::{Tenant, TestApp};

#[actix_web::test]
async fn the_demo_tenant_fills_every_tab_and_its_users_log_in() {
    let app = TestApp::spawn_with(|conn, vault, dir| {
        let logins = demo::load(conn, "demo-password", vault, &dir.join("files"))
            .unwrap()
            .expect("empty database");
        assert_eq!(logins.len(), 4, "three staff and the platform operator");
        let tenant = mspdesk::domain::tenancy::users::find_by_email(conn, "admin@demo.test")
            .unwrap()
            .unwrap()
            .tenant();
        assert!(
            demo::load(conn, "x", vault, dir).unwrap().is_none(),
            "loaded only once"
        );
        Tenant {
            id: tenant,
            // The team `make run` prints.
            team: "demo-msp".into(),
            admin: "admin@demo.test".into(),
            tech: "tech@demo.test".into(),
            accountant: "accountant@demo.test".into(),
        }
    })
    .await;
    let mut b = app.browser();
    let page = b.login(&app.a.admin, "demo-password").await;
    assert_eq!(page.status, 303);
    b.refresh_csrf().await;
    let list = b.get("/clients?per=100").await;
    assert_eq!(list.list_names().len(), 25);
    let first = list.hrefs("table.list td a")[0].clone();
    let overview = b.get(&first).await;
    let tabs = overview.texts(".tabs a");
    // Overview, one tab per registered resource, and Billing.
    let registered = mspdesk::domain::registry::all().len();
    assert_eq!(tabs.len(), 2 + registered, "{tabs:?}");
    assert!(registered >= 15);
    for tab in &tabs[1..] {
        let n: i64 = tab
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(n > 0, "demo tab {tab:?} is empty");
    }
    for link in overview.hrefs(".tabs a") {
        let page = b.get(&link).await;
        assert_eq!(page.status, 200, "{link}");
        let rows = page.hrefs("table.list td a");
        if let Some(row) = rows.first() {
            assert_eq!(b.get(row).await.status, 200, "{row}");
        }
    }
    // The accounts features have something to show: a disabled user, a pending
    // invitation, an active share link.
    let users = b.get("/admin/users").await.body;
    assert!(users.contains("Disabled") && users.contains("sam@demo.test"));
    let shares = b
        .get("/admin/shares")
        .await
        .texts("table.list tbody tr")
        .join("\n");
    assert!(
        shares.contains("credentials") && shares.contains("active"),
        "{shares}"
    );
    for who in ["tech@demo.test", "accountant@demo.test"] {
        let mut other = app.browser();
        assert_eq!(other.login(who, "demo-password").await.status, 303, "{who}");
    }
}
