//! Users of the tenant: create, change role, limit to chosen clients.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

use super::{value, values, Pairs};
use crate::domain::directory::clients;
use crate::domain::forms::values::is_email;
use crate::domain::tenancy::users::Role;
use crate::domain::tenancy::{audit, password, users};
use crate::error::AppResult;
use crate::platform::db::Db;
use crate::web::account::MIN_PASSWORD;
use crate::web::auth::login::{MAX_EMAIL, MAX_PASSWORD};
use crate::web::auth::{Ctx, Layout};
use crate::web::{page, render, see_other};

const ROLES: [Role; 3] = [Role::Accountant, Role::Tech, Role::Admin];

struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    restricted: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserRow>,
}

pub async fn list(ctx: Ctx, db: Db) -> AppResult<HttpResponse> {
    let tenant = ctx.tenant;
    let all = db.run(move |conn| Ok(users::list(conn, tenant)?)).await?;
    let users = all
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            role: u.role().label(),
            restricted: u.restricted,
            name: u.name,
            email: u.email,
        })
        .collect();
    page(&UsersPage {
        l: ctx.layout("Users"),
        users,
    })
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct UserForm {
    l: Layout,
    heading: String,
    action: String,
    /// Only a new user has these.
    is_new: bool,
    name: String,
    email: String,
    role: i32,
    roles: Vec<(i32, &'static str)>,
    restricted: bool,
    /// (id, name, allowed)
    clients: Vec<(i64, String, bool)>,
    error: String,
}

fn roles() -> Vec<(i32, &'static str)> {
    ROLES.iter().map(|r| (*r as i32, r.label())).collect()
}

pub async fn new(ctx: Ctx) -> AppResult<HttpResponse> {
    let form = UserForm {
        l: ctx.layout("New user"),
        heading: "New user".into(),
        action: "/admin/users".into(),
        is_new: true,
        name: String::new(),
        email: String::new(),
        role: Role::Tech as i32,
        roles: roles(),
        restricted: false,
        clients: vec![],
        error: String::new(),
    };
    page(&form)
}

pub async fn create(ctx: Ctx, db: Db, form: web::Form<Pairs>) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (name, email, pw) = (
        value(&form, "name").to_string(),
        value(&form, "email").to_lowercase(),
        value(&form, "password").to_string(),
    );
    let role = value(&form, "role").parse().ok().and_then(Role::from_i32);
    let error = if name.is_empty() {
        "Name is required."
    } else if name.chars().count() > 200 {
        "Name must be at most 200 characters."
    } else if email.chars().count() > MAX_EMAIL || !is_email(&email) {
        "Enter an e-mail address like name@example.com."
    } else if pw.chars().count() < MIN_PASSWORD {
        "The password must be at least 10 characters."
    } else if pw.chars().count() > MAX_PASSWORD {
        "The password must be at most 1024 characters."
    } else if role.is_none() {
        "Choose a role."
    } else {
        ""
    };
    let refuse = |error: String| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &UserForm {
                l: ctx.layout("New user"),
                heading: "New user".into(),
                action: "/admin/users".into(),
                is_new: true,
                name: name.clone(),
                email: email.clone(),
                role: role.map(|r| r as i32).unwrap_or(2),
                roles: roles(),
                restricted: false,
                clients: vec![],
                error,
            },
        )
    };
    if !error.is_empty() {
        return refuse(error.into());
    }
    let (tenant, actor, role) = (ctx.tenant, ctx.actor(), role.unwrap_or(Role::Tech));
    let (n, e) = (name.clone(), email.clone());
    // argon2 off the worker, before the write transaction takes SQLite's one writer.
    let hash = web::block(move || password::hash(&pw)).await?;
    let created = db
        .tx(move |conn| {
            // Only this tenant's accounts are looked at: another tenant may have an
            // account with the same e-mail, and this form must not tell.
            if users::email_taken_in(conn, tenant, &e)? {
                return Ok(None);
            }
            let id = users::create(conn, tenant, &n, &e, &hash, role)?;
            let changes = json!({ "name": n, "email": e, "role": role.label() });
            audit::record(
                conn,
                &actor,
                audit::Entry {
                    client_id: None,
                    entity: "users",
                    entity_id: Some(id),
                    action: "create",
                    changes,
                },
            )?;
            Ok(Some(id))
        })
        .await?;
    match created {
        Some(id) => {
            ctx.flash("The user was added.");
            Ok(see_other(&format!("/admin/users/{id}")))
        }
        None => refuse("That e-mail address already has an account in your team.".into()),
    }
}

pub async fn edit(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (tenant, id) = (ctx.tenant, id.into_inner());
    let (user, allowed, all) = db
        .run(move |conn| {
            Ok((
                users::find_in(conn, tenant, id)?,
                users::client_ids(conn, tenant, id)?,
                clients::names(conn, tenant)?,
            ))
        })
        .await?;
    page(&UserForm {
        l: ctx.layout(user.name.clone()),
        heading: format!("{} — access", user.name),
        action: format!("/admin/users/{id}"),
        is_new: false,
        role: user.role,
        roles: roles(),
        restricted: user.restricted,
        clients: all
            .into_iter()
            .map(|(cid, n)| (cid, n, allowed.contains(&cid)))
            .collect(),
        name: user.name,
        email: user.email,
        error: String::new(),
    })
}

pub async fn update(
    ctx: Ctx,
    db: Db,
    id: web::Path<i64>,
    form: web::Form<Pairs>,
) -> AppResult<HttpResponse> {
    let (tenant, id, actor) = (ctx.tenant, id.into_inner(), ctx.actor());
    let form = form.into_inner();
    let role = value(&form, "role").parse().ok().and_then(Role::from_i32);
    let restricted = !value(&form, "restricted").is_empty();
    let chosen: Vec<i64> = values(&form, "client")
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    let error = match role {
        None => "Choose a role.",
        Some(r) if id == ctx.user_id && r != Role::Admin => {
            "You cannot take the admin role from yourself."
        }
        _ => "",
    };
    let picked = chosen.clone();
    let saved = db
        .tx(move |conn| {
            // Another tenant's user is a 404 before anything else is looked at.
            let before = users::find_in(conn, tenant, id)?;
            let all = clients::names(conn, tenant)?;
            let Some(role) = role.filter(|_| error.is_empty()) else {
                return Ok(Err((before, all)));
            };
            // Only this tenant's clients: another tenant's id is dropped, never stored.
            let own: Vec<i64> = all.iter().map(|(c, _)| *c).filter(|c| picked.contains(c)).collect();
            users::set_access(conn, tenant, id, role, restricted, &own)?;
            if before.role() != role {
                // A new role starts from a new login.
                crate::domain::tenancy::sessions::end_for_user(conn, id)?;
            }
            let changes = json!({ "role": [before.role().label(), role.label()], "restricted": [before.restricted, restricted], "clients": own });
            audit::record(conn, &actor, audit::Entry { client_id: None, entity: "users", entity_id: Some(id), action: "update_access", changes })?;
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => {
            ctx.flash("Access saved.");
            Ok(see_other(&format!("/admin/users/{id}")))
        }
        Err((user, all)) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &UserForm {
                l: ctx.layout(user.name.clone()),
                heading: format!("{} — access", user.name),
                action: format!("/admin/users/{id}"),
                is_new: false,
                role: user.role,
                roles: roles(),
                restricted,
                clients: all
                    .into_iter()
                    .map(|(cid, n)| (cid, n, chosen.contains(&cid)))
                    .collect(),
                name: user.name,
                email: user.email,
                error: error.into(),
            },
        ),
    }
}
