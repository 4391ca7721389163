//! Field names are strings in a resource's declarations, its row conversions and its
//! list columns; a typo there would compile and store NULL. These checks walk every
//! registered resource: its columns and sort keys are declared fields, and every demo
//! row survives a round trip through its own edit form unchanged.

use mspdesk::domain::clients;
use mspdesk::domain::forms;
use mspdesk::domain::registry::{self, Visitor};
use mspdesk::domain::resource::{refs, ListQuery, Resource};
use mspdesk::domain::scope::ClientId;
use mspdesk::platform::db::AnyConnection;

use crate::fixtures;
use crate::helpers::TestApp;

fn names<R: Resource>() -> Vec<&'static str> {
    R::FIELDS.iter().map(|f| f.name).collect()
}

#[test]
fn columns_sort_keys_and_flags_name_declared_fields() {
    struct Check;
    impl Visitor for Check {
        fn visit<R: Resource>(&mut self) {
            let declared = names::<R>();
            for c in R::COLUMNS
                .iter()
                .chain(R::SORTABLE)
                .chain(R::EXCLUSIVE.iter())
            {
                assert!(declared.contains(c), "{}: {c:?} is not a field", R::SLUG);
            }
        }
    }
    registry::each(&mut Check);
}

struct RoundTrip<'a> {
    conn: &'a mut AnyConnection,
    tenant: mspdesk::domain::scope::TenantId,
    client: i64,
    rows: usize,
}

impl Visitor for RoundTrip<'_> {
    fn visit<R: Resource>(&mut self) {
        let (_, cs) = clients::scoped(self.conn, self.tenant, ClientId(self.client)).unwrap();
        let q = ListQuery {
            q: String::new(),
            sort: R::SORTABLE[0].into(),
            desc: false,
            page: 1,
            per: 100,
            archived: true,
            status: String::new(),
            filter: String::new(),
            extra: vec![],
        };
        let rows = R::list(self.conn, &cs, &q).unwrap();
        assert!(!rows.is_empty(), "the demo has no {}", R::SLUG);
        let opts = refs::load(self.conn, &cs, R::FIELDS).unwrap();
        let declared = names::<R>();
        for row in rows {
            let shown = R::to_input(&row);
            for key in shown.0.keys() {
                let field = key.strip_suffix(".stored").unwrap_or(key);
                assert!(
                    declared.contains(&field),
                    "{}: the form shows {key:?}",
                    R::SLUG
                );
            }
            let values = forms::parse(R::FIELDS, &shown, &opts)
                .unwrap_or_else(|e| panic!("{}: its own form does not parse: {:?}", R::SLUG, e.0));
            let id = R::id(&row);
            R::update(self.conn, &cs, id, &values).unwrap();
            let again = R::to_input(&R::find(self.conn, &cs, id).unwrap());
            for f in R::FIELDS.iter().filter(|f| !f.computed) {
                assert_eq!(
                    again.get(f.name),
                    shown.get(f.name),
                    "{}.{} changed",
                    R::SLUG,
                    f.name
                );
            }
            self.rows += 1;
        }
    }
}

#[actix_web::test]
async fn every_demo_row_survives_its_own_edit_form_unchanged() {
    let app = TestApp::spawn_custom(fixtures::demo_tenant, |_| {}).await;
    let mut conn = app.conn();
    let client = clients::names(&mut conn, app.a.id).unwrap()[0].0;
    let mut walk = RoundTrip {
        conn: &mut conn,
        tenant: app.a.id,
        client,
        rows: 0,
    };
    registry::each(&mut walk);
    assert!(walk.rows > 20, "only {} rows walked", walk.rows);
}
