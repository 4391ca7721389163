//! The demo's data in and out: a calendar feed for the team's phones, two API keys (an
//! RMM's sync, a read-only dashboard that expires), and an upload
//! waiting on Admin → Import & export — ITFlow's contacts template for the first
//! client: two new starters (one with only a mobile number) and a changed title —
//! so the dry-run report shows each kind of row before anyone imports anything.

use chrono::Utc;

use super::Env;
use crate::domain::portability::feeds;
use crate::domain::portability::import::{batches, Layout, Spec};
use crate::domain::tenancy::api_keys;
use crate::error::AppError;
use crate::platform::db::AnyConnection;

fn db(e: AppError) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("demo portability: {e}").into())
}

pub fn run(conn: &mut AnyConnection, client: &str, env: &Env) -> diesel::QueryResult<()> {
    let admin = env.admin.clone();
    super::accounts::run(conn, &admin).map_err(db)?;
    feeds::create(conn, &admin, None, "Field team phones")
        .map_err(db)?
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    let today = Utc::now().date_naive();
    for (name, read_only, expires_on) in [
        ("RMM sync", false, None),
        (
            "Wallboard (read only)",
            true,
            today.checked_add_months(chrono::Months::new(12)),
        ),
    ] {
        let new = api_keys::NewKey {
            name: name.into(),
            user_id: env.admin_id,
            read_only,
            expires_on,
        };
        api_keys::create(conn, &admin, &new, today)
            .map_err(db)?
            .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    }
    let csv = "Name,Title,Department,Email,Phone,Extension,Mobile,Location\n\
        Priya Natarajan,Hygienist,Clinical,priya@acmedental.example,(555) 0100-2201,14,,Head office\n\
        James Chen,Practice manager,Front desk,,,,,\n\
        Sam O'Neil,Receptionist,Front desk,sam@acmedental.example,,,(555) 0100-2290,Annex\n";
    let stored = "demo-import-new-starters.csv";
    std::fs::create_dir_all(env.files_dir)
        .and_then(|_| std::fs::write(env.files_dir.join(stored), csv))
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let spec = Spec {
        kind: "contacts".into(),
        layout: Layout::ItFlow,
        client: Some(client.to_string()),
    };
    batches::create(
        conn,
        &admin,
        (stored, "new-starters.csv"),
        &spec,
        None,
        Utc::now().naive_utc(),
    )
    .map_err(db)?;
    Ok(())
}
