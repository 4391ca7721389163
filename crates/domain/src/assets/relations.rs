//! What an asset's page lists under its fields: its credentials (for those who may see
//! credentials), the services running on it and its tickets. The rack position is
//! among its fields.

use crate::assets::devices::Asset;
use crate::error::AppResult;
use crate::related;
use crate::resource::{links, Audience, Extra};
use crate::scope::ClientScope;
use crate::service_desk::tickets::{self, About};
use mspdesk_platform::db::AnyConnection;

pub(crate) fn of_asset(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    row: &Asset,
    aud: &Audience,
) -> AppResult<Extra> {
    let id = Some(row.id);
    // Credentials are not even read for a reader who may not see them.
    let mut sections = vec![];
    if aud.may_see("credentials") {
        sections.push(related!(
            conn,
            cs,
            client_credentials.asset_id = id,
            name,
            "credentials",
            "Credentials"
        ));
    }
    sections.push(related!(
        conn,
        cs,
        client_services.asset_id = id,
        name,
        "services",
        "Services"
    ));
    sections.push(tickets::section(conn, cs, About::Asset, row.id)?);
    Ok(links::visible("Linked to this asset", sections, aud))
}
