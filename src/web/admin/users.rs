//! Users of the tenant: create, change role, limit to chosen clients.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{value, values, Pairs};
use crate::domain::directory::clients;
use crate::domain::tenancy::accounts::{self, AccessRefused, NewUser};
use crate::domain::tenancy::users;
use crate::domain::tenancy::users::Role;
use crate::error::AppResult;
use crate::platform::db::Db;
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
    let new = NewUser {
        name: value(&form, "name").to_string(),
        email: value(&form, "email").to_lowercase(),
        password: value(&form, "password").to_string(),
        role: value(&form, "role").parse().ok().and_then(Role::from_i32),
    };
    let (who, shown) = (ctx.who(), new.clone());
    let created = db
        .run(move |conn| accounts::create_user(conn, &who, new))
        .await?;
    match created {
        Ok(id) => {
            ctx.flash("The user was added.");
            Ok(see_other(&format!("/admin/users/{id}")))
        }
        Err(error) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &UserForm {
                l: ctx.layout("New user"),
                heading: "New user".into(),
                action: "/admin/users".into(),
                is_new: true,
                name: shown.name,
                email: shown.email,
                role: shown.role.map(|r| r as i32).unwrap_or(2),
                roles: roles(),
                restricted: false,
                clients: vec![],
                error,
            },
        ),
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
    let (who, id) = (ctx.who(), id.into_inner());
    let form = form.into_inner();
    let role = value(&form, "role").parse().ok().and_then(Role::from_i32);
    let restricted = !value(&form, "restricted").is_empty();
    let chosen: Vec<i64> = values(&form, "client")
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    let picked = chosen.clone();
    let saved = db
        .run(move |conn| accounts::update_access(conn, &who, id, role, restricted, &picked))
        .await?;
    match saved {
        Ok(()) => {
            ctx.flash("Access saved.");
            Ok(see_other(&format!("/admin/users/{id}")))
        }
        Err(refused) => {
            let AccessRefused {
                user,
                clients: all,
                error,
            } = *refused;
            render(
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
            )
        }
    }
}
