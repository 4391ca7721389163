//! Rows that name no existing record make new ones, for every kind: a CSV of each
//! kind (a client's own list export, its keys made new) into a client that already has
//! records of that kind only creates, and leaves every existing record as it was.

use mspdesk::domain::forms::Kind;
use mspdesk::domain::portability::import;

use crate::fixtures;
use crate::helpers::TestApp;
use crate::imports::{check, rows};

/// The list export of `slug` with each row's key made one no record has: names get a
/// suffix, host names a prefix; a ticket's number is left out (the desk gives one).
fn with_new_keys(csv: &str, slug: &str) -> String {
    let target = import::target(slug).unwrap();
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let header = &rows[0];
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(header).unwrap();
    for row in &rows[1..] {
        let cells: Vec<String> = header
            .iter()
            .zip(row)
            .map(|(h, cell)| {
                let key = target
                    .fields
                    .iter()
                    .find(|f| f.label == h && target.key.contains(&f.name));
                match key.map(|f| (f.kind, f.computed)) {
                    Some((_, true)) => String::new(),
                    Some((Kind::Text, _)) if !cell.is_empty() => format!("{cell} (imported)"),
                    Some((Kind::Hostname, _)) => format!("imported-{cell}"),
                    _ => cell.to_string(),
                }
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[actix_web::test]
async fn a_csv_of_every_kind_into_a_client_with_records_only_creates() {
    let app = TestApp::spawn_custom(fixtures::demo_tenant, |_| {}).await;
    let b = app.login(&app.a.admin).await;
    let list = b.get("/clients?per=100&sort=name").await;
    let first = list.hrefs("table.list td a")[0].clone();
    let client = list.list_names()[0].clone();
    for target in import::targets().iter().filter(|t| !t.is_client) {
        let export = b.get(&format!("{first}/{}.csv", target.slug)).await;
        assert_eq!(export.status, 200, "{}", target.slug);
        let before = export.body.clone();
        let existing = before.lines().count() - 1;
        assert!(existing > 0, "the demo client has {}", target.slug);
        let csv = with_new_keys(&before, target.slug);
        let (report, id) = check(
            &b,
            &format!("{}.csv", target.slug),
            csv.into_bytes(),
            &[("kind", target.slug), ("client", &client)],
        )
        .await;
        let r = rows(&report);
        assert!(
            !r.is_empty() && r.iter().all(|x| x.1 == "create"),
            "{}: {r:?}",
            target.slug
        );
        let done = b.post(&format!("/admin/import/{id}/commit"), &[]).await;
        assert_eq!(done.status, 303, "{}: {}", target.slug, done.body);
        let after = b
            .get(&format!("{first}/{}.csv?archived=1", target.slug))
            .await;
        let after_live = b.get(&format!("{first}/{}.csv", target.slug)).await;
        for line in before.lines().skip(1) {
            assert!(
                after.body.contains(line) || after_live.body.contains(line),
                "{}: the existing record {line:?} is unchanged",
                target.slug
            );
        }
        assert!(
            after.body.lines().count() > 2 * existing,
            "{}: {existing} more records",
            target.slug
        );
    }
}
