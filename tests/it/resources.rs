//! Every client sub-resource through the same story: the form, create, the detail page,
//! each validation rule (422, message, nothing written), pickers refusing another
//! tenant's and another client's records, edit, archive and restore, another tenant's
//! user getting 404 on every URL, and the list's statement count staying fixed as rows
//! grow.

use mspdesk::domain::directory::locations::Locations;

use crate::fixtures;
use crate::helpers::{id_from, Browser, Page, TestApp};

struct Refs {
    contact: i64,
    location: i64,
    asset: i64,
    user: i64,
}

struct World {
    cid: i64,
    bcid: i64,
    a: Refs,
    other: Refs,
    b: Refs,
}

fn world(app: &TestApp) -> World {
    let mut conn = app.conn();
    let (ta, tb) = (app.a.id, app.b.id);
    let cid = fixtures::client(&mut conn, ta, "Acme");
    let other = fixtures::client(&mut conn, ta, "Other Co");
    let bcid = fixtures::client(&mut conn, tb, "Beta Client");
    let refs = |conn: &mut mspdesk::platform::db::AnyConnection,
                tenant,
                client,
                who: &str,
                email: &str| Refs {
        contact: fixtures::contact(app, tenant, client, &format!("{who} Contact")),
        location: fixtures::row::<Locations>(
            app,
            tenant,
            client,
            &[("name", &format!("{who} Site"))],
        ),
        asset: fixtures::asset(conn, tenant, client, &format!("{who} Server")),
        user: fixtures::user_id(conn, email),
    };
    World {
        a: refs(&mut conn, ta, cid, "Alpha", &app.a.tech),
        other: refs(&mut conn, ta, other, "Other", &app.a.admin),
        b: refs(&mut conn, tb, bcid, "Beta", &app.b.tech),
        cid,
        bcid,
    }
}

pub struct Spec {
    pub slug: &'static str,
    /// A valid form; `{i}` is replaced by a number so rows differ.
    pub valid: &'static [(&'static str, &'static str)],
    /// Text the detail page shows for the valid form.
    pub shown: &'static str,
    /// A change, and the text the detail page shows after it.
    pub edit: (&'static str, &'static str, &'static str),
    /// (field, bad value, part of the message beside the field)
    pub invalid: &'static [(&'static str, &'static str, &'static str)],
    /// Reference fields, each given an id of the same client in the valid form.
    pub pickers: &'static [&'static str],
}

fn ref_for(field: &str, refs: &Refs) -> i64 {
    match field {
        "contact_id" => refs.contact,
        "location_id" => refs.location,
        "asset_id" => refs.asset,
        _ => refs.user,
    }
}

fn is_user(field: &str) -> bool {
    matches!(field, "user_id" | "assignee_id")
}

type Form = Vec<(String, String)>;

fn fill(spec: &Spec, i: usize, refs: &Refs) -> Form {
    let mut f: Form = spec
        .valid
        .iter()
        .map(|(k, v)| (k.to_string(), v.replace("{i}", &i.to_string())))
        .collect();
    for p in spec.pickers {
        set(&mut f, p, &ref_for(p, refs).to_string());
    }
    f
}

fn set(f: &mut Form, field: &str, value: &str) {
    match f.iter_mut().find(|(k, _)| k == field) {
        Some(pair) => pair.1 = value.to_string(),
        None => f.push((field.to_string(), value.to_string())),
    }
}

fn pairs(f: &Form) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn create(b: &Browser, cid: i64, spec: &Spec, f: &Form, i: usize) -> Page {
    let path = format!("/clients/{cid}/{}", spec.slug);
    if spec.slug == "files" {
        let bytes = format!("file number {i}\n").into_bytes();
        b.upload(&path, &format!("notes-{i}.txt"), bytes, &pairs(f))
            .await
    } else {
        b.post(&path, &pairs(f)).await
    }
}

/// Rows in the list, archived ones included.
async fn rows(b: &Browser, base: &str) -> usize {
    b.get(&format!("{base}?archived=1&per=100"))
        .await
        .list_names()
        .len()
}

pub async fn story(spec: &Spec) {
    let app = TestApp::spawn().await;
    let w = world(&app);
    let tech = app.login(&app.a.tech).await;
    let slug = spec.slug;
    let base = format!("/clients/{}/{slug}", w.cid);

    assert_eq!(
        tech.get(&format!("{base}/new")).await.status,
        200,
        "{slug}: new form"
    );
    // The world already has one contact and one location of this client.
    let before = rows(&tech, &base).await;
    let fields = fill(spec, 0, &w.a);
    let created = create(&tech, w.cid, spec, &fields, 0).await;
    assert_eq!(created.status, 303, "{slug}: create: {}", created.body);
    let id = id_from(&created.location);
    let show = tech.follow(&created).await;
    assert!(
        show.body.contains(spec.shown),
        "{slug}: detail shows {:?}",
        spec.shown
    );
    assert_eq!(rows(&tech, &base).await, before + 1);
    let tab = tech.get(&base).await.texts(".tabs a.active").join(" ");
    assert!(
        tab.contains(&(before + 1).to_string()),
        "{slug}: the tab counts the row: {tab:?}"
    );

    for (field, value, message) in spec.invalid {
        let mut f = fields.clone();
        set(&mut f, field, value);
        let page = create(&tech, w.cid, spec, &f, 1).await;
        assert_eq!(page.status, 422, "{slug}: {field}={value:?} accepted");
        let error = page.field_error(field).unwrap_or_default();
        assert!(
            error.contains(message),
            "{slug}: {field}={value:?}: got {error:?}"
        );
        let kept = &fields
            .iter()
            .find(|(k, v)| {
                k != field
                    && !v.is_empty()
                    && !k.ends_with("_id")
                    && k != "password"
                    && k != "license_key"
            })
            .unwrap();
        assert!(
            page.body
                .contains(&kept.1.replace('&', "&amp;").replace('\n', ""))
                || kept.1.contains('\n'),
            "{slug}: input {kept:?} kept"
        );
    }
    for field in spec.pickers {
        for (who, refs) in [("another tenant", &w.b), ("another client", &w.other)] {
            if who == "another client" && is_user(field) {
                continue;
            }
            let mut f = fields.clone();
            set(&mut f, field, &ref_for(field, refs).to_string());
            let page = create(&tech, w.cid, spec, &f, 1).await;
            assert_eq!(page.status, 422, "{slug}: {field} of {who} accepted");
            assert!(
                page.field_error(field).is_some(),
                "{slug}: {field} of {who}: no message"
            );
        }
    }
    assert_eq!(
        rows(&tech, &base).await,
        before + 1,
        "{slug}: refused forms wrote nothing"
    );

    let form = tech.get(&format!("{base}/{id}/edit")).await;
    assert_eq!(form.status, 200);
    for field in spec.pickers {
        let options = form
            .texts(&format!("select[name={field}] option"))
            .join("|");
        assert!(
            !options.contains("Beta"),
            "{slug}: {field} offers another tenant's records: {options}"
        );
        if !is_user(field) {
            assert!(
                options.contains("Alpha") && !options.contains("Other"),
                "{slug}: {field} options {options}"
            );
        }
    }

    let mut f = fields.clone();
    set(&mut f, spec.edit.0, spec.edit.1);
    let saved = tech.post(&format!("{base}/{id}"), &pairs(&f)).await;
    assert_eq!(saved.status, 303, "{slug}: edit: {}", saved.body);
    assert!(
        tech.get(&format!("{base}/{id}"))
            .await
            .body
            .contains(spec.edit.2),
        "{slug}: edit shown"
    );
    if let Some((field, value, _)) = spec.invalid.first() {
        let mut bad = f.clone();
        set(&mut bad, field, value);
        assert_eq!(
            tech.post(&format!("{base}/{id}"), &pairs(&bad))
                .await
                .status,
            422,
            "{slug}: bad edit"
        );
        assert!(
            tech.get(&format!("{base}/{id}"))
                .await
                .body
                .contains(spec.edit.2),
            "{slug}: bad edit changed the row"
        );
    }

    assert_eq!(
        tech.post(&format!("{base}/{id}/archive"), &[]).await.status,
        303
    );
    assert_eq!(
        tech.get(&base).await.list_names().len(),
        before,
        "{slug}: archived row hidden"
    );
    assert_eq!(
        rows(&tech, &base).await,
        before + 1,
        "{slug}: archived row listed with show-archived"
    );
    assert_eq!(
        tech.post(&format!("{base}/{id}/restore"), &[]).await.status,
        303
    );
    assert_eq!(
        tech.get(&base).await.list_names().len(),
        before + 1,
        "{slug}: restored"
    );

    let intruder = app.login(&app.b.admin).await;
    let theirs = format!("/clients/{}/{slug}", w.bcid);
    for path in [
        base.clone(),
        format!("{base}/new"),
        format!("{base}/{id}"),
        format!("{base}/{id}/edit"),
        format!("{theirs}/{id}"),
        format!("{theirs}/{id}/edit"),
    ] {
        assert_eq!(
            intruder.get(&path).await.status,
            404,
            "{slug}: GET {path} by another tenant"
        );
    }
    for path in [
        format!("{base}/{id}"),
        format!("{base}/{id}/archive"),
        format!("{theirs}/{id}"),
        format!("{theirs}/{id}/archive"),
    ] {
        assert_eq!(
            intruder
                .post(&path, &pairs(&fill(spec, 9, &w.b)))
                .await
                .status,
            404,
            "{slug}: POST {path}"
        );
    }
    assert_eq!(
        create(&intruder, w.cid, spec, &fill(spec, 9, &w.b), 9)
            .await
            .status,
        404,
        "{slug}: create under another tenant's client"
    );
    let after = tech.get(&format!("{base}/{id}")).await;
    assert!(
        after.body.contains(spec.edit.2) && !after.body.contains("badge\">archived"),
        "{slug}: another tenant changed the row"
    );
    assert_eq!(rows(&tech, &base).await, before + 1);

    let few = tech
        .get(&format!("{base}?per=100"))
        .await
        .statements
        .unwrap();
    for i in 2..22 {
        assert_eq!(
            create(&tech, w.cid, spec, &fill(spec, i, &w.a), i)
                .await
                .status,
            303,
            "{slug}: row {i}"
        );
    }
    let many = tech.get(&format!("{base}?per=100")).await;
    assert_eq!(many.list_names().len(), before + 21);
    assert_eq!(
        many.statements.unwrap(),
        few,
        "{slug}: the list's statements grow with its rows"
    );
}
