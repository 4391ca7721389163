//! A technician meets no amount of money — and no order by one. The test walks every
//! resource of the registry and every sort key that names an amount, as each role, on
//! the list page, its CSV and the API, and then the reports: for a role that does not
//! see money, sorting by a hidden amount orders like the default sort; for one that
//! does, the same request really sorts (so the data can tell a leak).

use mspdesk::domain::forms::Kind;
use mspdesk::domain::policy::Role;
use mspdesk::domain::registry::{self, Visitor};
use mspdesk::domain::resource::Resource;

use crate::fixtures;
use crate::helpers::{Browser, TestApp};

/// Every list's sort keys that name an amount: (slug, default key, the amount keys).
#[derive(Default)]
struct AmountKeys(Vec<(&'static str, &'static str, Vec<&'static str>)>);

impl Visitor for AmountKeys {
    fn visit<R: Resource>(&mut self) {
        let amounts: Vec<&'static str> = R::SORTABLE
            .iter()
            .copied()
            .filter(|k| {
                R::FIELDS
                    .iter()
                    .any(|f| f.name == *k && matches!(f.kind, Kind::Money))
            })
            .collect();
        if !amounts.is_empty() {
            self.0.push((R::SLUG, R::SORTABLE[0], amounts));
        }
    }
}

/// Three rows per list whose amounts are in neither the default order nor its reverse.
fn arrange(app: &TestApp) -> i64 {
    use mspdesk::domain::documentation::licenses::Licenses;
    use mspdesk::domain::scheduling::trips::Trips;
    let cid = {
        let conn = &mut *app.conn();
        let cid = fixtures::client(conn, app.a.id, "Acme");
        // Acme's rate is the fixture's 100.00.
        for (name, rate) in [
            ("Client A", 20_000),
            ("Client B", 30_000),
            ("Client C", 10_000),
        ] {
            fixtures::client_with(conn, app.a.id, name, |_, b| b.hourly_rate = rate);
        }
        cid
    };
    for (name, cost) in [
        ("Licence A", "200"),
        ("Licence B", "300"),
        ("Licence C", "100"),
    ] {
        let fields = [("name", name), ("seats", "1"), ("cost", cost)];
        fixtures::row::<Licenses>(app, app.a.id, cid, &fields);
    }
    for (day, miles) in [
        ("2026-11-01", "20"),
        ("2026-11-02", "30"),
        ("2026-11-03", "10"),
    ] {
        let fields = [
            ("purpose", "Site visit"),
            ("start_date", day),
            ("mileage", miles),
            ("rate_per_mile", "0.500"),
        ];
        fixtures::row::<Trips>(app, app.a.id, cid, &fields);
    }
    cid
}

/// What a list shows, in order: the page's rows, the CSV's lines, the API's ids.
async fn orders(
    b: &Browser,
    api: &crate::api::Api,
    base: &str,
    sort: &str,
    dir: &str,
) -> [String; 3] {
    let q = format!("sort={sort}&dir={dir}");
    let page = b.get(&format!("{base}?{q}")).await;
    assert_eq!(page.status, 200, "{base}?{q}");
    let csv = b.get(&format!("{base}.csv?{q}")).await;
    assert_eq!(csv.status, 200, "{base}.csv?{q}");
    let listed = api.get(&format!("/api/v1{base}?{q}")).await;
    let ids = match listed.status {
        200 => listed.json["data"].to_string(),
        // A sort key the caller may not use is refused like an unknown one.
        status => format!("refused {status}"),
    };
    [page.texts("table.list tbody tr").join("\n"), csv.body, ids]
}

#[actix_web::test]
async fn no_list_export_api_or_report_orders_or_shows_an_amount_a_technician_may_not_see() {
    let app = TestApp::spawn().await;
    let cid = arrange(&app);
    let mut keys = AmountKeys::default();
    registry::each(&mut keys);
    let mut lists: Vec<(String, &str, Vec<&str>)> = keys
        .0
        .iter()
        .map(|(slug, default, amounts)| {
            (format!("/clients/{cid}/{slug}"), *default, amounts.clone())
        })
        .collect();
    assert!(!lists.is_empty(), "the registry has amounts to hide");
    let arranged = ["licenses", "trips"];
    for (slug, _, _) in &keys.0 {
        assert!(
            arranged.contains(slug),
            "arrange three rows with amounts for {slug}"
        );
    }
    lists.push(("/clients".into(), "name", vec!["hourly_rate"]));

    for (email, role) in [
        (&app.a.tech, Role::Tech),
        (&app.a.accountant, Role::Accountant),
        (&app.a.admin, Role::Admin),
    ] {
        let b = app.login(email).await;
        let api = crate::api::Api::new(&app, &crate::api::key(&app, &app.a, email, true));
        let sees = role != Role::Tech;
        for (base, default, amounts) in &lists {
            if b.get(base).await.status != 200 {
                continue; // A list the role does not open hides everything on it.
            }
            for key in amounts {
                let mut sorted = false;
                for dir in ["asc", "desc"] {
                    let by_amount = orders(&b, &api, base, key, dir).await;
                    let by_default = orders(&b, &api, base, default, dir).await;
                    if sees {
                        sorted |= by_amount[0] != by_default[0];
                        assert_ne!(
                            by_amount[2],
                            format!("refused 400"),
                            "{role:?} {base} {key}"
                        );
                    } else {
                        assert_eq!(
                            by_amount[0], by_default[0],
                            "{role:?} page {base} by {key} {dir}"
                        );
                        assert_eq!(
                            by_amount[1], by_default[1],
                            "{role:?} CSV {base} by {key} {dir}"
                        );
                        assert_eq!(by_amount[2], "refused 400", "{role:?} API {base} by {key}");
                    }
                }
                assert_eq!(
                    sorted, sees,
                    "{role:?} sorts {base} by {key}: the data tells"
                );
                let page = b.get(base).await;
                assert_eq!(
                    page.body.contains(&format!("sort={key}")),
                    sees,
                    "{role:?} is offered the {key} column of {base}"
                );
            }
        }

        // The totals: 600.00 of licences, 30.00 of trips (60 miles at 0.50).
        for (report, total) in [("/reports/licenses", "600.00"), ("/reports/trips", "30.00")] {
            for path in [report.to_string(), format!("{report}.csv")] {
                let shown = b.get(&path).await;
                assert_eq!(shown.status, 200, "{role:?} {path}");
                assert_eq!(shown.body.contains("Cost"), sees, "{role:?} {path}");
                assert_eq!(shown.body.contains(total), sees, "{role:?} {path}: {total}");
            }
        }
    }
}
