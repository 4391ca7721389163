//! The one policy table: which roles may do which action in which area. Routes name
//! their permission in `web::routes`; menus, tabs and buttons ask the same table.

/// A tenant user's role: what the policy table below is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Accountant = 1,
    Tech = 2,
    Admin = 3,
}

impl Role {
    pub fn from_i32(v: i32) -> Option<Role> {
        match v {
            1 => Some(Role::Accountant),
            2 => Some(Role::Tech),
            3 => Some(Role::Admin),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Accountant => "Accountant",
            Role::Tech => "Tech",
            Role::Admin => "Admin",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    /// Login, static files: no session needed.
    Public,
    /// The user's own account (password).
    Account,
    Clients,
    /// Contacts, addresses, locations.
    Directory,
    /// Licenses, racks, certificates, domains, services, documents, files, calendar,
    /// recurring tickets.
    Documentation,
    /// Tickets, projects, assets, networks: the service desk's records.
    Technical,
    Credentials,
    Trips,
    /// Client billing fields (rate, contract) and the billing tabs.
    Billing,
    /// Users, tenant settings, the audit log.
    Admin,
    /// The platform console: operators only, never a tenant's role.
    Platform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    View,
    /// Create, edit, archive, restore.
    Edit,
    /// Open a secret.
    Reveal,
    /// Permanent delete.
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Perm {
    pub area: Area,
    pub action: Action,
}

impl Perm {
    pub const fn new(area: Area, action: Action) -> Perm {
        Perm { area, action }
    }
}

/// The policy as a gate for services: a refusal is `Forbidden`, whoever calls (a page,
/// the API, an import or a job).
pub fn require(perm: Perm, role: Role) -> Result<(), crate::error::AppError> {
    if allows(perm, role) {
        Ok(())
    } else {
        Err(crate::error::AppError::Forbidden)
    }
}

/// The matrix of the design's security flow.
pub fn allows(perm: Perm, role: Role) -> bool {
    use Action::*;
    use Area::*;
    let technical = matches!(role, Role::Tech | Role::Admin);
    match (perm.area, perm.action) {
        (Public | Account, _) => true,
        (Platform, _) => false,
        (_, Delete) | (Admin, _) => role == Role::Admin,
        (Credentials, _) => technical,
        (Billing, _) => matches!(role, Role::Accountant | Role::Admin),
        (Clients | Directory | Documentation | Technical | Trips, View) => true,
        // Editing trips: a Tech only their own, checked by the trips pages.
        (Clients | Directory | Documentation | Technical | Trips, Edit | Reveal) => technical,
    }
}

/// Whether `role` sees amounts of money: the roles that see billing.
pub fn sees_money(role: Role) -> bool {
    allows(Perm::new(Area::Billing, Action::View), role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix() {
        let p = Perm::new;
        let who = |perm| [Role::Accountant, Role::Tech, Role::Admin].map(|r| allows(perm, r));
        assert_eq!(who(p(Area::Clients, Action::View)), [true, true, true]);
        assert_eq!(who(p(Area::Directory, Action::Edit)), [false, true, true]);
        assert_eq!(
            who(p(Area::Documentation, Action::Edit)),
            [false, true, true]
        );
        assert_eq!(
            who(p(Area::Documentation, Action::Reveal)),
            [false, true, true]
        );
        assert_eq!(who(p(Area::Credentials, Action::View)), [false, true, true]);
        assert_eq!(who(p(Area::Technical, Action::View)), [true, true, true]);
        assert_eq!(who(p(Area::Technical, Action::Edit)), [false, true, true]);
        assert_eq!(who(p(Area::Trips, Action::View)), [true, true, true]);
        assert_eq!(who(p(Area::Trips, Action::Edit)), [false, true, true]);
        assert_eq!(who(p(Area::Billing, Action::Edit)), [true, false, true]);
        assert_eq!(
            who(p(Area::Documentation, Action::Delete)),
            [false, false, true]
        );
        assert_eq!(who(p(Area::Admin, Action::View)), [false, false, true]);
    }
}
