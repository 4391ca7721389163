//! The tables an export carries beyond the sheets, and each one's travelling columns
//! with their kinds: one declaration for the export, the restore's conversions and its
//! id mapping.

/// A column's kind: how it is written and read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Bool,
    Date,
    Time,
    /// The id of a row of another table (of the same tenant).
    Ref(&'static str),
    /// A secret sealed in the vault: exported opened (only when the admin exports
    /// secrets), restored sealed for its new row.
    Sealed,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub null: bool,
}

const fn c(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        null: false,
    }
}
const fn n(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        null: true,
    }
}

use Kind::{Bool, Date, Int, Ref, Sealed, Text as Txt, Time};

/// A table as the export carries it: its travelling columns (beside `id`, when it has
/// one, and `tenant_id`, which never travels).
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub has_id: bool,
    pub columns: &'static [Column],
}

const STAMPS: [Column; 3] = [
    c("created_at", Time),
    c("updated_at", Time),
    n("deleted_at", Time),
];

/// Tables restored row by row, in the order they are restored (what others refer to
/// first). Their columns are every column but the id, the tenant and what must not
/// travel: password hashes, sessions, two-factor secrets, a stored file's name on disk.
pub const RESTORED: &[Table] = &[
    Table {
        name: "users",
        has_id: true,
        columns: &[
            c("name", Txt),
            c("email", Txt),
            c("role", Int),
            c("restricted", Bool),
            n("disabled_at", Time),
            c("created_at", Time),
            c("updated_at", Time),
            n("deleted_at", Time),
        ],
    },
    Table {
        name: "client_files",
        has_id: true,
        columns: &[
            c("client_id", Ref("clients")),
            n("contact_id", Ref("client_contacts")),
            n("location_id", Ref("client_locations")),
            c("name", Txt),
            n("description", Txt),
            n("category", Txt),
            c("file_size", Int),
            n("mime_type", Txt),
            c("original_name", Txt),
            c("created_at", Time),
            c("updated_at", Time),
            n("deleted_at", Time),
        ],
    },
    Table {
        name: "recurring_invoices",
        has_id: true,
        columns: &[
            c("client_id", Ref("clients")),
            c("name", Txt),
            c("currency", Txt),
            c("months", Int),
            c("anchor_date", Date),
            n("end_date", Date),
            c("next_period", Int),
            c("active", Bool),
            n("notes", Txt),
            c("subtotal", Int),
            c("discount", Int),
            c("tax", Int),
            c("total", Int),
            c("created_at", Time),
            c("updated_at", Time),
            n("deleted_at", Time),
        ],
    },
    Table {
        name: "quotes",
        has_id: true,
        // The invoice a quote became is set once invoices are in (`LINKS`).
        columns: &[
            c("client_id", Ref("clients")),
            c("number", Int),
            c("reference", Txt),
            c("status", Txt),
            c("currency", Txt),
            c("issue_date", Date),
            c("expires_on", Date),
            n("notes", Txt),
            c("subtotal", Int),
            c("discount", Int),
            c("tax", Int),
            c("total", Int),
            n("invoice_id", Ref("invoices")),
            c("created_at", Time),
            c("updated_at", Time),
            n("deleted_at", Time),
        ],
    },
    Table {
        name: "invoices",
        has_id: true,
        columns: &[
            c("client_id", Ref("clients")),
            n("number", Int),
            n("reference", Txt),
            c("status", Txt),
            c("currency", Txt),
            n("contact_id", Ref("client_contacts")),
            n("issue_date", Date),
            n("due_date", Date),
            n("notes", Txt),
            c("subtotal", Int),
            c("discount", Int),
            c("tax", Int),
            c("total", Int),
            c("paid", Int),
            c("created_at", Time),
            c("updated_at", Time),
            n("deleted_at", Time),
            n("quote_id", Ref("quotes")),
            n("recurring_id", Ref("recurring_invoices")),
            n("period", Int),
        ],
    },
    Table {
        name: "billing_lines",
        has_id: true,
        columns: &[
            n("invoice_id", Ref("invoices")),
            n("quote_id", Ref("quotes")),
            n("recurring_id", Ref("recurring_invoices")),
            c("position", Int),
            c("description", Txt),
            c("quantity", Txt),
            c("unit_price", Txt),
            c("tax_percent", Txt),
            c("discount_percent", Txt),
            c("amount", Int),
            c("discount", Int),
            c("tax", Int),
        ],
    },
    Table {
        name: "payments",
        has_id: true,
        columns: &[
            c("client_id", Ref("clients")),
            c("invoice_id", Ref("invoices")),
            c("paid_on", Date),
            c("amount", Int),
            c("method", Txt),
            n("reference", Txt),
            c("created_at", Time),
        ],
    },
    Table {
        name: "ticket_replies",
        has_id: true,
        columns: &[
            c("client_id", Ref("clients")),
            c("ticket_id", Ref("tickets")),
            n("author_id", Ref("users")),
            c("body", Txt),
            c("public", Bool),
            c("minutes", Int),
            c("billable", Bool),
            c("created_at", Time),
            n("invoice_id", Ref("invoices")),
        ],
    },
    Table {
        name: "secret_history",
        has_id: true,
        // `entity_id` names a row of the table `entity` names.
        columns: &[
            c("client_id", Ref("clients")),
            c("entity", Txt),
            c("entity_id", Int),
            c("field", Txt),
            c("value", Sealed),
            n("replaced_by", Ref("users")),
            c("created_at", Time),
        ],
    },
    Table {
        name: "user_clients",
        has_id: false,
        columns: &[c("user_id", Ref("users")), c("client_id", Ref("clients"))],
    },
    Table {
        name: "counters",
        has_id: false,
        columns: &[c("name", Txt), c("last", Int)],
    },
];

/// The declaration of a restored table, by name; a name not in `RESTORED` is a fault
/// of the restore's own code, reported as such rather than a panic.
pub fn restored(name: &str) -> crate::error::AppResult<&'static Table> {
    RESTORED
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| crate::error::AppError::Internal(format!("{name} is not a restored table")))
}

/// References set once the rows they name are in: (table, column of its `columns`).
pub const LINKS: &[(&str, &str)] = &[("quotes", "invoice_id")];

/// Whether `column` of `table` is set after the rows it names are in (`LINKS`).
pub(crate) fn is_link(table: &str, column: &str) -> bool {
    LINKS.iter().any(|(t, c)| *t == table && *c == column)
}

/// The columns of the sheets' records that no form writes, by table; every registered
/// resource's table also carries `STAMPS`.
pub const SYSTEM: &[(&str, &[Column])] = &[
    (
        "tickets",
        &[
            n("number", Int),
            n("reference", Txt),
            c("status", Txt),
            n("resolution", Txt),
            n("closed_at", Time),
            n("recurring_ticket_id", Ref("client_recurring_tickets")),
            n("recurring_run_at", Time),
        ],
    ),
    ("client_trips", &[n("invoice_id", Ref("invoices"))]),
    ("client_expenses", &[n("invoice_id", Ref("invoices"))]),
    (
        "client_recurring_tickets",
        &[
            n("last_run_date", Time),
            n("anchor_at", Time),
            c("run_index", Int),
        ],
    ),
];

/// The tenant's own settings (its row in `companies`): what an MSP set up, not its
/// name, its account's dates or its suspension.
pub(super) const SETTINGS_TABLE: &str = "companies";

pub const SETTINGS: Table = Table {
    name: SETTINGS_TABLE,
    has_id: false,
    columns: &[
        n("email", Txt),
        c("mileage_rate", Int),
        c("disabled_features", Txt),
        c("reveal_reason_required", Bool),
        c("ticket_prefix", Txt),
        c("invoice_prefix", Txt),
        c("quote_prefix", Txt),
        n("billing_address", Txt),
        n("tax_id", Txt),
        c("time_zone", Txt),
        c("catch_up", Txt),
        c("expiry_leads", Txt),
        c("quiet_auto_renew", Bool),
        n("overdue_reminder_days", Int),
        n("mail_sender_name", Txt),
        n("mail_reply_to", Txt),
        c("require_2fa", Int),
    ],
};

/// The tenant's audit log, carried for the record (the importing instance keeps its
/// own, which begins with the import).
pub const AUDIT: Table = Table {
    name: "audit_log",
    has_id: true,
    columns: &[
        n("user_id", Int),
        n("client_id", Int),
        c("entity", Txt),
        n("entity_id", Int),
        c("action", Txt),
        c("changes", Txt),
        n("ip", Txt),
        n("user_agent", Txt),
        n("label", Txt),
        c("created_at", Time),
    ],
};

/// The system columns of a registered resource's table.
pub fn system(table: &'static str) -> Table {
    static ALL: std::sync::LazyLock<std::collections::HashMap<&'static str, &'static [Column]>> =
        std::sync::LazyLock::new(|| {
            crate::registry::all()
                .iter()
                .map(|info| {
                    let extra = SYSTEM
                        .iter()
                        .find(|(t, _)| *t == info.table)
                        .map_or(&[][..], |(_, c)| *c);
                    let all: Vec<Column> = STAMPS.iter().chain(extra).copied().collect();
                    (info.table, &*Vec::leak(all))
                })
                .collect()
        });
    Table {
        name: table,
        has_id: true,
        columns: ALL.get(table).copied().unwrap_or(&STAMPS),
    }
}

/// The tables whose records the sheets carry (clients and every registered resource
/// but files, which are restored whole): each also carries its system columns here.
pub(crate) fn system_tables() -> Vec<&'static str> {
    std::iter::once("clients")
        .chain(
            crate::registry::all()
                .iter()
                .map(|info| info.table)
                .filter(|t| *t != "client_files"),
        )
        .collect()
}
