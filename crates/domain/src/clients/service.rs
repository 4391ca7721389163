//! The write path of clients: create, update, billing, archive and restore — each
//! checks the policy, validates, writes the change and its audit entry in one
//! transaction.

use serde_json::json;

use super::{BillingData, ClientData, BILLING_FIELDS, FIELDS};
use crate::audit;
use crate::error::AppResult;
use crate::forms::{self, Errors, Field, FormInput, RefOptions};
use crate::policy::{require, Action, Area, Perm};
use crate::scope::{ClientId, ClientScope, Who};
use mspdesk_platform::db::{write_transaction, AnyConnection};

fn validate(input: &FormInput) -> Result<ClientData, Errors> {
    forms::parse_checked(FIELDS, input, &RefOptions::default(), |_, _| {})
        .map(|v| ClientData::from(&v))
}

pub fn create(
    conn: &mut AnyConnection,
    who: &Who,
    input: &FormInput,
) -> AppResult<Result<ClientId, Errors>> {
    write_transaction(conn, |conn| {
        let id = match apply(conn, who, None, input, false)? {
            Ok(id) => id,
            Err(errors) => return Ok(Err(errors)),
        };
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
            audit::Entry::of_record(id, "clients", id.0, "create", changes),
        )?;
        Ok(Ok(id))
    })
}

/// A client created (`before` None) or updated from `input`, inside the caller's
/// transaction and without an audit entry (an import writes one for its file). With
/// `billing`, the billing fields of `input` are validated like the billing form and
/// written too — only for roles that may edit billing.
pub fn apply(
    conn: &mut AnyConnection,
    who: &Who,
    before: Option<&super::Client>,
    input: &FormInput,
    billing: bool,
) -> AppResult<Result<ClientId, Errors>> {
    require(Perm::new(Area::Clients, Action::Edit), who.role)?;
    let data = match validate(input) {
        Ok(data) => data,
        Err(errors) => return Ok(Err(errors)),
    };
    let billing = if billing {
        require(Perm::new(Area::Billing, Action::Edit), who.role)?;
        match forms::parse_checked(BILLING_FIELDS, input, &RefOptions::default(), super::check) {
            Ok(v) => Some(BillingData::from(&v)),
            Err(errors) => return Ok(Err(errors)),
        }
    } else {
        None
    };
    let id = match before {
        Some(client) => {
            let cs = ClientScope::checked(who.viewer(), client.id);
            super::update(conn, &cs, &data)?;
            client.id
        }
        None => super::insert(conn, who.tenant(), &data, who.now())?,
    };
    if let Some(billing) = billing {
        super::update_billing(conn, &ClientScope::checked(who.viewer(), id), &billing)?;
    }
    Ok(Ok(ClientId(id)))
}

pub fn update(
    conn: &mut AnyConnection,
    who: &Who,
    id: ClientId,
    input: &FormInput,
) -> AppResult<Result<(), Errors>> {
    require(Perm::new(Area::Clients, Action::Edit), who.role)?;
    match validate(input) {
        Ok(data) => change(conn, who, id, FIELDS, "update", |conn, cs| {
            super::update(conn, cs, &data).map(|_| ())
        }),
        Err(errors) => Ok(Err(errors)),
    }
}

/// The billing fields (rate, contract): accountants' and admins' own change.
pub fn update_billing(
    conn: &mut AnyConnection,
    who: &Who,
    id: ClientId,
    input: &FormInput,
) -> AppResult<Result<(), Errors>> {
    require(Perm::new(Area::Billing, Action::Edit), who.role)?;
    let checked = forms::parse_checked(BILLING_FIELDS, input, &RefOptions::default(), super::check)
        .map(|v| BillingData::from(&v));
    match checked {
        Ok(billing) => change(
            conn,
            who,
            id,
            BILLING_FIELDS,
            "update_billing",
            |conn, cs| super::update_billing(conn, cs, &billing).map(|_| ()),
        ),
        Err(errors) => Ok(Err(errors)),
    }
}

/// A change to one client, audited with the difference of `fields` before and after.
fn change(
    conn: &mut AnyConnection,
    who: &Who,
    id: ClientId,
    fields: &[Field],
    action: &str,
    write: impl FnOnce(&mut AnyConnection, &ClientScope) -> diesel::QueryResult<()>,
) -> AppResult<Result<(), Errors>> {
    write_transaction(conn, |conn| {
        let (before, cs) = super::scoped(conn, who.viewer, id)?;
        write(conn, &cs)?;
        let (after, _) = super::scoped(conn, who.viewer, id)?;
        let (old, new) = (before.to_input(), after.to_input());
        let changes = audit::diff(fields, Some(&old), &new, &RefOptions::default(), &[]);
        let entry = audit::Entry::of_record(id, "clients", id.0, action, changes);
        audit::record(conn, &who.actor, entry)?;
        Ok(Ok(()))
    })
}

/// Archives (`true`) or restores a client; returns its name.
pub fn set_archived(
    conn: &mut AnyConnection,
    who: &Who,
    id: ClientId,
    archive: bool,
) -> AppResult<String> {
    require(Perm::new(Area::Clients, Action::Edit), who.role)?;
    write_transaction(conn, |conn| {
        let (client, cs) = super::scoped(conn, who.viewer, id)?;
        super::set_deleted(conn, &cs, archive.then(|| cs.now()))?;
        let action = if archive { "archive" } else { "restore" };
        audit::record(
            conn,
            &who.actor,
            audit::Entry::of_record(id, "clients", id.0, action, json!({})),
        )?;
        Ok(client.data.name)
    })
}
