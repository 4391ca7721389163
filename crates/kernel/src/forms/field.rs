//! Field descriptions: a name (the form key and the value key), a label, a kind and
//! whether it is required.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    Contact,
    Location,
    Asset,
    Network,
    Rack,
    Project,
    File,
    User,
}

impl RefKind {
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Contact => "contact",
            RefKind::Location => "location",
            RefKind::Asset => "asset",
            RefKind::Network => "network",
            RefKind::Rack => "rack",
            RefKind::Project => "project",
            RefKind::File => "file",
            RefKind::User => "user",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    TextArea,
    Email,
    Phone,
    Url,
    Date,
    DateTime,
    /// Non-negative amount in cents.
    Money,
    /// Non-negative decimal stored as integer units of 10^-scale (mileage: 2, rates: 3).
    Decimal {
        scale: u8,
    },
    /// A secret (password, license key): never shown in a form or a page; stored
    /// encrypted; left blank on edit it keeps the stored value.
    Secret,
    /// A TOTP seed (base32 or otpauth:// link): a secret like `Secret`, normalised.
    TotpSeed,
    /// A DNS name, stored lowercase.
    Hostname,
    /// An IP address range in CIDR notation, stored normalised (`10.0.0.0/24`).
    Cidr,
    /// One IP address.
    IpAddress,
    /// A hardware (MAC) address, stored as `aa:bb:cc:dd:ee:ff`.
    MacAddress,
    /// DNS names, one per line, stored as a JSON list.
    HostnameLines,
    /// Comma-separated tags, stored as a JSON list.
    Tags,
    /// Markdown text: a textarea in the form; the resource renders it (sanitized) on
    /// its detail page, so it is not listed among the plain fields.
    Markdown,
    Integer {
        min: i64,
        max: i64,
    },
    Bool,
    /// One of fixed (value, label) pairs.
    Choice(&'static [(&'static str, &'static str)]),
    /// The id of another record of the same client (or a user of the same tenant).
    Ref(RefKind),
}

impl Kind {
    /// Sealed in the vault, never put back into a page.
    pub fn is_secret(self) -> bool {
        matches!(self, Kind::Secret | Kind::TotpSeed)
    }
    /// Holds several lines: tabs and line breaks are text there, not damage.
    pub fn is_multiline(self) -> bool {
        matches!(
            self,
            Kind::TextArea | Kind::Markdown | Kind::HostnameLines | Kind::Secret | Kind::TotpSeed
        )
    }
}

/// The label of `value` among fixed (value, label) choices; "" for none of them.
pub fn choice_label(choices: &[(&'static str, &'static str)], value: &str) -> &'static str {
    choices
        .iter()
        .find(|(v, _)| *v == value)
        .map_or("", |(_, l)| *l)
}

/// `value` as one of the fixed choices (the `'static` value), if it is one.
pub fn choice_value(choices: &[(&'static str, &'static str)], value: &str) -> Option<&'static str> {
    choices.iter().find(|(v, _)| *v == value).map(|(v, _)| *v)
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub max_len: usize,
    pub help: &'static str,
    /// Computed by the server (a trip's total): shown, never taken from a form.
    pub computed: bool,
}

impl Field {
    pub const fn new(name: &'static str, label: &'static str, kind: Kind) -> Field {
        let max_len = match kind {
            Kind::TextArea | Kind::Markdown => 100_000,
            Kind::HostnameLines | Kind::Tags => 2_000,
            _ => 200,
        };
        Field {
            name,
            label,
            kind,
            required: false,
            max_len,
            help: "",
            computed: false,
        }
    }
    pub const fn text(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Text)
    }
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub const fn help(mut self, help: &'static str) -> Field {
        self.help = help;
        self
    }
    pub const fn computed(mut self) -> Field {
        self.computed = true;
        self
    }
    pub const fn max_len(mut self, n: usize) -> Field {
        self.max_len = n;
        self
    }
}
