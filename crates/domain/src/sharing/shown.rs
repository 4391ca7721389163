//! What a share link shows: the item's title, its plain fields, its Markdown text and
//! its secrets decrypted now — read for the link's tenant and client only, and nothing
//! of the tenant beyond the item.

use crate::clients;
use crate::error::{AppError, AppResult};
use crate::forms::{shown, Kind};
use crate::resource::service::{current_secrets, Revealed};
use crate::resource::{refs, Resource};
use mspdesk_platform::clock::Clock;

use crate::scope::{ClientId, TenantId, Viewer};
use mspdesk_platform::db::AnyConnection;
use mspdesk_platform::vault::Vault;

use super::links::Live;

/// The item as the link's page shows it.
pub struct Shown {
    pub kind: &'static str,
    pub title: String,
    /// (label, value) of the plain fields that have a value.
    pub items: Vec<(&'static str, String)>,
    /// (label, Markdown source) of the long texts.
    pub texts: Vec<(&'static str, String)>,
    pub secrets: Vec<Revealed>,
}

/// Reads the link's record of kind `R` (archived or gone: a 404).
pub fn read<R: Resource>(
    conn: &mut AnyConnection,
    vault: &Vault,
    link: &Live,
    clock: Clock,
) -> AppResult<Shown> {
    let viewer = Viewer::whole(TenantId::trusted(link.tenant_id), clock);
    let (_, cs) = clients::scoped(conn, viewer, ClientId(link.client_id))?;
    let row = R::find(conn, &cs, link.record_id)?;
    if R::archived(&row) {
        return Err(AppError::NotFound);
    }
    let input = R::to_input(&row);
    let refs = refs::load(conn, &cs, R::FIELDS)?;
    let plain = R::FIELDS
        .iter()
        .filter(|f| !matches!(f.kind, Kind::Markdown | Kind::Secret | Kind::TotpSeed));
    Ok(Shown {
        kind: R::SINGULAR,
        title: R::title(&row),
        items: plain
            .map(|f| (f.label, shown(f, &input, &refs)))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
        texts: R::FIELDS
            .iter()
            .filter(|f| matches!(f.kind, Kind::Markdown))
            .map(|f| (f.label, input.get(f.name).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
        // An outsider is shown what is there, not the fields the record lacks.
        secrets: current_secrets::<R>(conn, vault, &cs, link.record_id)?
            .into_iter()
            .filter(|r| r.stored)
            .collect(),
    })
}
