//! The demo team's lifecycle: a former technician who was disabled and a new hire whose
//! invitation waits, both through the services an admin's buttons call; the admin has
//! a last login to show.

use chrono::Utc;

use crate::domain::scope::Who;
use crate::domain::tenancy::accounts::{self, NewUser};
use crate::domain::tenancy::users::{self, Role};
use crate::domain::tenancy::{lifecycle, password};
use crate::error::{AppError, AppResult};
use crate::ops::messages;
use crate::platform::db::AnyConnection;

/// The address in the demo's invitation mail: where `make run` serves.
const DEMO_URL: &str = "http://127.0.0.1:8080";

fn refused(e: String) -> AppError {
    AppError::Internal(format!("demo accounts: {e}"))
}

pub fn run(conn: &mut AnyConnection, admin: &Who) -> AppResult<()> {
    let now = Utc::now().naive_utc();
    let former = NewUser {
        name: "Jordan Reyes".into(),
        email: "jordan@demo.test".into(),
        password: password::generate(),
        role: Some(Role::Tech),
    };
    let id = accounts::create_user(conn, admin, former)?.map_err(refused)?;
    // They had worked on the first two clients only.
    let first_two: Vec<i64> = crate::domain::clients::names(conn, admin.tenant())?
        .into_iter()
        .map(|(id, _)| id)
        .take(2)
        .collect();
    accounts::update_access(conn, admin, id, Some(Role::Tech), true, &first_two)?
        .map_err(|e| refused(e.error.into()))?;
    lifecycle::set_enabled(conn, admin, id, false, now)?.map_err(|e| refused(e.into()))?;
    let post = &messages::account_link;
    let invitee = lifecycle::Invitee {
        name: "Sam Lee",
        email: "sam@demo.test",
        role: Some(Role::Tech),
    };
    lifecycle::invite(conn, admin, &invitee, DEMO_URL, post, now)?.map_err(refused)?;
    users::touch_login(conn, admin.user_id(), now)?;
    Ok(())
}
