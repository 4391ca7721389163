//! Users of the tenant: create, change role, limit to chosen clients.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{user_lifecycle, value, values, Pairs};
use crate::auth::{Ctx, Layout};
use crate::domain::clients;
use crate::domain::list::ListParams;
use crate::domain::policy::Role;
use crate::domain::tenancy::accounts::{self, AccessRefused, NewUser};
use crate::domain::tenancy::{lifecycle, users};
use crate::error::AppResult;
use crate::ops::messages;
use crate::views::Pager;
use crate::{page, render, see_other};
use chrono::NaiveDateTime;
use mspdesk_platform::db::Db;

const ROLES: [Role; 3] = [Role::Accountant, Role::Tech, Role::Admin];

struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    restricted: bool,
    disabled: bool,
    last_login: String,
    last_seen: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    l: Layout,
    q: String,
    users: Vec<UserRow>,
    pager: Pager,
    /// Where this tenant's people sign in (`/login?team=CODE`), and the code.
    sign_in: (String, String),
}

/// A time as the lists show it (UTC, to the minute), or "Never".
fn when(t: Option<NaiveDateTime>) -> String {
    t.map_or_else(
        || "Never".into(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

pub async fn list(
    ctx: Ctx,
    db: Db,
    req: HttpRequest,
    params: web::Query<ListParams>,
) -> AppResult<HttpResponse> {
    let q = params.into_inner().normalize(&["name"]);
    let (tenant, query) = (ctx.tenant(), q.clone());
    let ((rows, total), code) = db
        .run(move |conn| {
            Ok((
                users::page(conn, tenant, &query)?,
                crate::domain::tenancy::tenants::sign_in_code(conn, tenant)?,
            ))
        })
        .await?;
    let address = format!("{}/login?team={code}", crate::admin::base_url(&req));
    let pager = Pager::new(&q, "/admin/users", total, rows.len());
    let users = rows
        .into_iter()
        .map(|(u, seen)| UserRow {
            id: u.id,
            role: u.role().label(),
            restricted: u.restricted(),
            disabled: u.disabled_at.is_some(),
            last_login: when(u.last_login_at),
            last_seen: when(seen),
            name: u.name,
            email: u.email,
        })
        .collect();
    page(&UsersPage {
        l: ctx.layout("Users"),
        q: q.q,
        users,
        pager,
        sign_in: (address, code),
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
    /// The clients shown in the picker: (id, name, ticked) — the chosen ones, then what
    /// the last Find matched.
    clients: Vec<(i64, String, bool)>,
    /// The picker's search text, kept when it did not resolve to one client.
    find: String,
    /// What the last Find matched, said above the list.
    found: String,
    error: String,
    /// An existing user's state and lifecycle buttons.
    account: Option<AccountView>,
}

struct AccountView {
    id: i64,
    disabled: bool,
    last_login: String,
    is_self: bool,
}

impl AccountView {
    fn of(ctx: &Ctx, u: &users::User) -> Option<AccountView> {
        Some(AccountView {
            id: u.id,
            disabled: u.disabled_at.is_some(),
            last_login: when(u.last_login_at),
            is_self: u.id == ctx.user_id(),
        })
    }
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
        find: String::new(),
        found: String::new(),
        error: String::new(),
        account: None,
    };
    page(&form)
}

/// A new user: with the password the admin typed, or — when it is left empty — by an
/// invitation link that lets them choose their own.
pub async fn create(
    ctx: Ctx,
    db: Db,
    req: HttpRequest,
    form: web::Form<Pairs>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let new = NewUser {
        name: value(&form, "name").to_string(),
        email: value(&form, "email").to_lowercase(),
        password: value(&form, "password").to_string(),
        role: value(&form, "role").parse().ok().and_then(Role::from_i32),
    };
    let (who, shown, base) = (ctx.who(), new.clone(), user_lifecycle::base(&req));
    let now = chrono::Utc::now().naive_utc();
    let created = db
        .run(move |conn| {
            if !new.password.is_empty() {
                return Ok(accounts::create_user(conn, &who, new)?.map(|id| (id, None)));
            }
            let invitee = lifecycle::Invitee {
                name: &new.name,
                email: &new.email,
                role: new.role,
            };
            let post = &messages::account_link;
            let invited = lifecycle::invite(conn, &who, &invitee, &base, post, now)?;
            Ok(invited.map(|(id, url)| (id, Some(url))))
        })
        .await?;
    let created = created.map(|(id, link)| {
        ctx.flash(match link {
            None => "The user was added.".to_string(),
            Some(url) => format!("The user was invited by mail (see Admin → Mail). The link works once, for 7 days; you can also pass it on yourself: {url}"),
        });
        id
    });
    match created {
        Ok(id) => Ok(see_other(&format!("/admin/users/{id}"))),
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
                find: String::new(),
                found: String::new(),
                error,
                account: None,
            },
        ),
    }
}

/// The picker's rows: every chosen client ticked, then the matches not already chosen.
fn picker(chosen: Vec<(i64, String)>, matches: Vec<(i64, String)>) -> Vec<(i64, String, bool)> {
    let ids: Vec<i64> = chosen.iter().map(|c| c.0).collect();
    let found = matches.into_iter().filter(|(id, _)| !ids.contains(id));
    chosen
        .into_iter()
        .map(|(id, n)| (id, n, true))
        .chain(found.map(|(id, n)| (id, n, false)))
        .collect()
}

/// How many clients Find lists at most.
const FIND_LIMIT: i64 = 50;

pub async fn edit(ctx: Ctx, db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (tenant, id) = (ctx.tenant(), id.into_inner());
    let (user, chosen) = db
        .run(move |conn| {
            let user = users::find_in(conn, tenant, id)?;
            let allowed = users::client_ids(conn, tenant, id)?;
            Ok((user, clients::named(conn, tenant, &allowed)?))
        })
        .await?;
    let restricted = user.restricted();
    render_access(
        &ctx,
        StatusCode::OK,
        user,
        restricted,
        picker(chosen, vec![]),
        Picked::default(),
    )
}

/// What the picker says besides its rows.
#[derive(Default)]
struct Picked {
    find: String,
    found: String,
    error: String,
}

fn render_access(
    ctx: &Ctx,
    status: StatusCode,
    user: users::User,
    restricted: bool,
    clients: Vec<(i64, String, bool)>,
    picked: Picked,
) -> AppResult<HttpResponse> {
    let id = user.id;
    render(
        status,
        &UserForm {
            account: AccountView::of(ctx, &user),
            l: ctx.layout(user.name.clone()),
            heading: format!("{} — access", user.name),
            action: format!("/admin/users/{id}"),
            is_new: false,
            role: user.role() as i32,
            roles: roles(),
            restricted,
            clients,
            find: picked.find,
            found: picked.found,
            name: user.name,
            email: user.email,
            error: picked.error,
        },
    )
}

/// What Find says of `n` clients matching `text`.
fn found_text(n: usize, text: &str) -> String {
    let text = text.trim();
    match n {
        0 => format!("No client matches “{text}”."),
        1 => format!("1 client matches “{text}”: tick it to add it, then Save."),
        n if n as i64 >= FIND_LIMIT => format!(
            "{FIND_LIMIT} or more clients match “{text}”: tick the ones to add, then Save, or type more of the name."
        ),
        n => format!("{n} clients match “{text}”: tick the ones to add, then Save."),
    }
}

/// The form again, unsaved: its status, the user, the picker's rows and what it says.
type Again = (StatusCode, users::User, Vec<(i64, String, bool)>, Picked);

/// Saves role and access; the picker's Find button (`op=find`) lists the clients that
/// match the typed name instead, keeping every choice on the form unsaved.
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
    let finding = value(&form, "op") == "find";
    let find = value(&form, "find").to_string();
    let mut chosen: Vec<i64> = values(&form, "client")
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    let (tenant, viewer) = (ctx.tenant(), ctx.viewer());
    let outcome = db
        .run(move |conn| -> AppResult<Result<_, Again>> {
            let typed = find.trim().to_string();
            let matches = clients::matching(conn, viewer, &typed, FIND_LIMIT)?;
            let one = clients::the_one(&matches, &typed).map(|c| c.0);
            // Save with nothing typed, or with a name that names one client: the
            // service loads the user (another tenant's is a 404) and writes.
            if !finding && (typed.is_empty() || one.is_some()) {
                chosen.extend(one);
                return Ok(Ok(accounts::update_access(
                    conn, &who, id, role, restricted, &chosen,
                )?));
            }
            let user = users::find_in(conn, tenant, id)?;
            let said = found_text(matches.len(), &typed);
            let (status, picked) = if finding {
                let found = Picked {
                    find,
                    found: said,
                    error: String::new(),
                };
                (StatusCode::OK, found)
            } else {
                let refused = Picked {
                    find,
                    found: String::new(),
                    error: said,
                };
                (StatusCode::UNPROCESSABLE_ENTITY, refused)
            };
            let rows = picker(clients::named(conn, tenant, &chosen)?, matches);
            Ok(Err((status, user, rows, picked)))
        })
        .await?;
    let (status, user, rows, picked) = match outcome {
        Ok(Ok(())) => {
            ctx.flash("Access saved.");
            return Ok(see_other(&format!("/admin/users/{id}")));
        }
        Ok(Err(refused)) => {
            let AccessRefused {
                user,
                clients,
                error,
            } = *refused;
            let picked = Picked {
                error: error.into(),
                ..Picked::default()
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                user,
                picker(clients, vec![]),
                picked,
            )
        }
        Err(again) => again,
    };
    render_access(&ctx, status, user, restricted, rows, picked)
}
