//! Credentials: logins a technician needs. The password is sealed in the vault and is in
//! no list, form or page until someone presses Reveal.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Resource;
use crate::domain::schema::client_credentials;
use crate::scoped_crud;

pub struct Credentials;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_credentials, treat_none_as_null = true)]
pub struct CredentialData {
    pub contact_id: Option<i64>,
    pub location_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub name: String,
    pub kind: Option<String>,
    pub username: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
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

impl From<&Values> for CredentialData {
    fn from(v: &Values) -> Self {
        CredentialData {
            contact_id: v.int("contact_id"),
            location_id: v.int("location_id"),
            asset_id: v.int("asset_id"),
            name: v.req_text("name"),
            kind: v.text("type"),
            username: v.text("username"),
            url: v.text("url"),
            notes: v.text("notes"),
        }
    }
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

impl Resource for Credentials {
    const SLUG: &'static str = "credentials";
    const SINGULAR: &'static str = "credential";
    const PLURAL: &'static str = "Credentials";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name")
            .required()
            .help("What it opens, e.g. Firewall admin"),
        Field::new("type", "Type", Kind::Choice(TYPES)),
        Field::text("username", "Username"),
        Field::new("password", "Password", Kind::Secret),
        Field::new("otp_secret", "TOTP seed", Kind::TotpSeed)
            .help("Base32 secret or otpauth:// link; the current code shows after Reveal"),
        Field::new("url", "URL", Kind::Url),
        Field::new("contact_id", "Contact", Kind::Ref(RefKind::Contact)),
        Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        Field::new("asset_id", "Asset", Kind::Ref(RefKind::Asset)),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] = &["name", "type", "username", "url"];
    const AREA: crate::domain::tenancy::policy::Area =
        crate::domain::tenancy::policy::Area::Credentials;
    const SEARCH_HINT: &'static str = "Name, username, URL, notes";

    type Row = Credential;

    fn title(row: &Credential) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Credential) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set_opt("type", d.kind.as_ref());
        f.set_opt("username", d.username.as_ref());
        f.set_secret_stored("password", row.has_password);
        f.set_secret_stored("otp_secret", row.has_otp);
        f.set_opt("url", d.url.as_ref());
        f.set_opt("contact_id", d.contact_id);
        f.set_opt("location_id", d.location_id);
        f.set_opt("asset_id", d.asset_id);
        f.set_opt("notes", d.notes.as_ref());
        f
    }

    scoped_crud!(
        table: client_credentials,
        row: Credential,
        data: CredentialData,
        search: [name, username, url, notes],
        sort: { "name" => name, "type" => kind, "username" => username, "url" => url },
        secrets: { "password" => password, "otp_secret" => otp_secret },
    );
}
