//! Credentials: logins a technician needs. The password is sealed in the vault and is in
//! no list, form or page until someone presses Reveal.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::Resource;
use crate::schema::client_credentials;
use crate::scoped_crud;

pub struct Credentials;

crate::form_record! {
    pub struct CredentialData for client_credentials as field {
        contact_id: Option<i64> = Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        asset_id: Option<i64> = Field::new("asset_id", "Asset", Kind::Ref(RefKind::Asset)),
        name: String = Field::text("name", "Name")
            .required()
            .help("What it opens, e.g. Firewall admin"),
        kind: Option<String> = Field::new("type", "Type", Kind::Choice(TYPES)),
        username: Option<String> = Field::text("username", "Username"),
        url: Option<String> = Field::new("url", "URL", Kind::Url),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_credentials)]
pub struct Credential {
    pub id: i64,
    #[diesel(embed)]
    pub data: CredentialData,
    #[diesel(select_expression = client_credentials::password.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<client_credentials::password>)]
    pub has_password: bool,
    #[diesel(select_expression = client_credentials::otp_secret.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<client_credentials::otp_secret>)]
    pub has_otp: bool,
    pub deleted_at: Option<NaiveDateTime>,
}

const TYPES: &[(&str, &str)] = &[
    ("login", "Login"),
    ("admin", "Administrator"),
    ("service_account", "Service account"),
    ("database", "Database"),
    ("api_key", "API key"),
    ("wifi", "Wi-Fi"),
    ("network_device", "Network device"),
    ("other", "Other"),
];

/// The sealed fields: not members of the record (they are written through the vault).
pub const PASSWORD: Field = Field::new("password", "Password", Kind::Secret);
pub const OTP_SECRET: Field = Field::new("otp_secret", "TOTP seed", Kind::TotpSeed)
    .help("Base32 secret or otpauth:// link; the current code shows after Reveal");

impl Resource for Credentials {
    const SLUG: &'static str = "credentials";
    const SHAREABLE: bool = true;
    const SINGULAR: &'static str = "credential";
    const PLURAL: &'static str = "Credentials";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::kind,
        field::username,
        PASSWORD,
        OTP_SECRET,
        field::url,
        field::contact_id,
        field::location_id,
        field::asset_id,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::kind.name,
        field::username.name,
        field::url.name,
    ];
    const AREA: crate::policy::Area = crate::policy::Area::Credentials;
    const SEARCH_HINT: &'static str = "Name, username, URL, notes";

    type Row = Credential;

    fn title(row: &Credential) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Credential) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f.set_secret_stored(PASSWORD.name, row.has_password);
        f.set_secret_stored(OTP_SECRET.name, row.has_otp);
        f
    }

    fn insert_in_bulk(_: &crate::forms::Values) -> bool {
        true
    }

    scoped_crud!(
        table: client_credentials,
        row: Credential,
        data: CredentialData,
        search: [name, username, url, notes],
        sort: { field::name.name => name, field::kind.name => kind, field::username.name => username, field::url.name => url },
        secrets: { PASSWORD.name => password, OTP_SECRET.name => otp_secret },
    );
}
