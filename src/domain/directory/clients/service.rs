//! The write path of clients: create, update, billing, archive and restore — each
//! checks the policy, validates, writes the change and its audit entry in one
//! transaction.

use serde_json::json;

use super::{BillingData, ClientData, BILLING_FIELDS, FIELDS};
use crate::domain::forms::{self, Errors, FormInput, RefOptions};
use crate::domain::scope::Who;
use crate::domain::tenancy::audit;
use crate::domain::tenancy::policy::{require, Action, Area, Perm};
use crate::error::AppResult;
use crate::platform::db::{write_transaction, AnyConnection};

fn validate(input: &FormInput) -> Result<ClientData, Errors> {
    forms::parse_checked(FIELDS, input, &RefOptions::default(), super::check)
        .map(|v| ClientData::from(&v))
}

pub fn create(
    conn: &mut AnyConnection,
    who: &Who,
    input: &FormInput,
) -> AppResult<Result<i64, Errors>> {
    require(Perm::new(Area::Clients, Action::Edit), who.role)?;
    let data = match validate(input) {
        Ok(d) => d,
        Err(errors) => return Ok(Err(errors)),
    };
    write_transaction(conn, |conn| {
        let id = super::insert(conn, who.tenant(), &data)?;
        let (client, _) = super::scoped(conn, who.viewer, id)?;
        let changes = audit::diff(
            FIELDS,
            None,
            &client.to_input(),
            &RefOptions::default(),
            &[],
        );
        audit::record(
            conn,
            &who.actor,
            audit::Entry::of_record(id, "clients", id, "create", changes),
        )?;
        Ok(Ok(id))
    })
}

pub fn update(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    input: &FormInput,
) -> AppResult<Result<(), Errors>> {
    require(Perm::new(Area::Clients, Action::Edit), who.role)?;
    let data = match validate(input) {
        Ok(d) => d,
        Err(errors) => return Ok(Err(errors)),
    };
    write_transaction(conn, |conn| {
        let (before, cs) = super::scoped(conn, who.viewer, id)?;
        super::update(conn, &cs, &data)?;
        let (after, _) = super::scoped(conn, who.viewer, id)?;
        let changes = audit::diff(
            FIELDS,
            Some(&before.to_input()),
            &after.to_input(),
            &RefOptions::default(),
            &[],
        );
        audit::record(
            conn,
            &who.actor,
            audit::Entry::of_record(id, "clients", id, "update", changes),
        )?;
        Ok(Ok(()))
    })
}

/// The billing fields (rate, contract): accountants' and admins' own change.
pub fn update_billing(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    input: &FormInput,
) -> AppResult<Result<(), Errors>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    let checked = forms::parse_checked(BILLING_FIELDS, input, &RefOptions::default(), super::check)
        .map(|v| BillingData::from(&v));
    let billing = match checked {
        Ok(b) => b,
        Err(errors) => return Ok(Err(errors)),
    };
    write_transaction(conn, |conn| {
        let (before, cs) = super::scoped(conn, who.viewer, id)?;
        super::update_billing(conn, &cs, &billing)?;
        let (after, _) = super::scoped(conn, who.viewer, id)?;
        let changes = audit::diff(
            BILLING_FIELDS,
            Some(&before.to_input()),
            &after.to_input(),
            &RefOptions::default(),
            &[],
        );
        audit::record(
            conn,
            &who.actor,
            audit::Entry::of_record(id, "clients", id, "update_billing", changes),
        )?;
        Ok(Ok(()))
    })
}

/// Archives (`true`) or restores a client; returns its name.
pub fn set_archived(
    conn: &mut AnyConnection,
    who: &Who,
    id: i64,
    archive: bool,
) -> AppResult<String> {
    require(Perm::new(Area::Clients, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (client, cs) = super::scoped(conn, who.viewer, id)?;
        super::set_deleted(conn, &cs, archive.then(|| chrono::Utc::now().naive_utc()))?;
        let action = if archive { "archive" } else { "restore" };
        audit::record(
            conn,
            &who.actor,
            audit::Entry::of_record(id, "clients", id, action, json!({})),
        )?;
        Ok(client.data.name)
    })
}
