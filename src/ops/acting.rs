//! Who a shell command acts as: an account named by e-mail (and tenant, when the
//! address has accounts in several), as the services take it. The command's audit
//! entries name that account, and the policy holds for it as on the pages.

use crate::domain::scope::Who;
use crate::domain::tenancy::users::{self, User};
use crate::platform::db::AnyConnection;

/// The one live account of `email` (in `tenant`, when given), acting through `agent`.
pub fn account(
    conn: &mut AnyConnection,
    email: &str,
    tenant: Option<i64>,
    agent: &str,
) -> Result<(User, Who), String> {
    let accounts =
        users::find_all_by_email(conn, &email.trim().to_lowercase()).map_err(|e| e.to_string())?;
    let user = match accounts
        .into_iter()
        .filter(|(u, _)| tenant.is_none_or(|t| u.tenant().get() == t))
        .map(|(u, _)| u)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => one.clone(),
        [] => return Err(format!("no account {email} (in that tenant)")),
        _ => {
            return Err(format!(
                "{email} has accounts in several tenants: add --tenant ID"
            ))
        }
    };
    let who = Who::shell(&user, agent, crate::platform::clock::Clock::System);
    Ok((user, who))
}

/// `mspdesk api-key`: a key made by the admin `admin` for `user` (the admin when
/// none), printed once.
pub fn api_key(
    conn: &mut AnyConnection,
    admin: &str,
    user: Option<&str>,
    tenant: Option<i64>,
    name: &str,
    read_only: bool,
) -> Result<String, String> {
    use crate::domain::tenancy::api_keys::{create, NewKey};
    let (me, who) = account(conn, admin, tenant, "mspdesk api-key")?;
    let user_id = match user {
        Some(email) => {
            account(conn, email, Some(me.tenant().get()), "mspdesk api-key")?
                .0
                .id
        }
        None => me.id,
    };
    let new = NewKey {
        name: name.to_string(),
        user_id,
        read_only,
        expires_on: None,
    };
    let today = chrono::Utc::now().date_naive();
    create(conn, &who, &new, today).map_err(|e| e.to_string())?
}
