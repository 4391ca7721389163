//! Field descriptions: a name (the form key and the value key), a label, a kind and
//! whether it is required.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    Contact,
    Location,
    Asset,
    User,
}

impl RefKind {
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Contact => "contact",
            RefKind::Location => "location",
            RefKind::Asset => "asset",
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

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub max_len: usize,
    pub help: &'static str,
}

impl Field {
    pub const fn new(name: &'static str, label: &'static str, kind: Kind) -> Field {
        let max_len = match kind {
            Kind::TextArea => 20_000,
            _ => 200,
        };
        Field {
            name,
            label,
            kind,
            required: false,
            max_len,
            help: "",
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
    pub const fn max_len(mut self, n: usize) -> Field {
        self.max_len = n;
        self
    }
}
