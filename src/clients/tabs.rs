//! The client page's tab bar: every count from one statement (scalar subqueries), so
//! the number of tabs never adds queries. A tab appears only for what is built.

use diesel::prelude::*;

use crate::db::schema::{client_addresses, client_contacts};
use crate::db::AnyConnection;
use crate::scope::ClientScope;

#[derive(Debug, Clone)]
pub struct Tab {
    pub slug: &'static str,
    pub label: &'static str,
    pub count: Option<i64>,
}

/// Live rows per sub-resource of one client, in one statement.
pub fn load(conn: &mut AnyConnection, cs: &ClientScope) -> QueryResult<Vec<Tab>> {
    macro_rules! live {
        ($t:ident) => {
            $t::table
                .filter($t::tenant_id.eq(cs.tenant_id()))
                .filter($t::client_id.eq(cs.client_id()))
                .filter($t::deleted_at.is_null())
                .count()
                .single_value()
        };
    }
    let (contacts, addresses): (Option<i64>, Option<i64>) =
        diesel::select((live!(client_contacts), live!(client_addresses))).get_result(conn)?;
    Ok(vec![
        Tab {
            slug: "",
            label: "Overview",
            count: None,
        },
        Tab {
            slug: "contacts",
            label: "Contacts",
            count: contacts,
        },
        Tab {
            slug: "addresses",
            label: "Addresses",
            count: addresses,
        },
    ])
}
