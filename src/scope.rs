//! The tenant scope: the only door to tenant data.
//!
//! A `TenantId` is made from a logged-in session (or by the CLI that created the
//! tenant); a `ClientScope` only by `clients::scope`, which has checked that the client
//! belongs to the tenant. Every repository function on tenant data takes one of them,
//! so a query without the tenant filter cannot be written by accident.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TenantId(i64);

impl TenantId {
    /// Only for ids that came from the server's own records (session, CLI).
    pub(crate) fn trusted(id: i64) -> Self {
        TenantId(id)
    }
    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for TenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A client checked to belong to the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientScope {
    tenant: TenantId,
    client_id: i64,
}

impl ClientScope {
    pub(crate) fn checked(tenant: TenantId, client_id: i64) -> Self {
        ClientScope { tenant, client_id }
    }
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }
    pub fn tenant_id(&self) -> i64 {
        self.tenant.0
    }
    pub fn client_id(&self) -> i64 {
        self.client_id
    }
}
