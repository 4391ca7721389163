//! The demo tenant: "Demo MSP", one user per role and about 25 realistic clients with
//! contacts and addresses. Loaded only into a database that has no tenant yet.

use diesel::prelude::*;

use crate::addresses::Addresses;
use crate::auth::password;
use crate::clients::{self, ClientData};
use crate::contacts::Contacts;
use crate::db::AnyConnection;
use crate::forms::{self, FormInput};
use crate::resource::{write, Resource};
use crate::scope::ClientScope;
use crate::tenants;
use crate::users::{self, Role};
use crate::vault::Vault;

pub const TENANT_NAME: &str = "Demo MSP";

pub const USERS: [(&str, &str, Role); 3] = [
    ("admin@demo.test", "Alex Admin", Role::Admin),
    ("tech@demo.test", "Taylor Tech", Role::Tech),
    ("accountant@demo.test", "Casey Accountant", Role::Accountant),
];

// (name, domain, city, state, status, rate, type)
const CLIENTS: [(&str, &str, &str, &str, &str, &str, &str); 25] = [
    (
        "Acme Dental Group",
        "acmedental.example",
        "Portland",
        "OR",
        "active",
        "125",
        "Managed",
    ),
    (
        "Birchwood Law LLP",
        "birchwoodlaw.example",
        "Seattle",
        "WA",
        "active",
        "150",
        "Managed",
    ),
    (
        "Cascade Veterinary",
        "cascadevet.example",
        "Bend",
        "OR",
        "active",
        "110",
        "Managed",
    ),
    (
        "Delta Freight Logistics",
        "deltafreight.example",
        "Tacoma",
        "WA",
        "active",
        "135",
        "Managed",
    ),
    (
        "Evergreen Architects",
        "evergreenarch.example",
        "Spokane",
        "WA",
        "active",
        "140",
        "Managed",
    ),
    (
        "Fairview Medical Clinic",
        "fairviewmed.example",
        "Salem",
        "OR",
        "active",
        "145",
        "Managed",
    ),
    (
        "Granite Peak Accounting",
        "granitepeak.example",
        "Boise",
        "ID",
        "active",
        "130",
        "Managed",
    ),
    (
        "Harbor City Realty",
        "harborcity.example",
        "Everett",
        "WA",
        "on_hold",
        "115",
        "Break-fix",
    ),
    (
        "Ironwood Manufacturing",
        "ironwoodmfg.example",
        "Eugene",
        "OR",
        "active",
        "120",
        "Managed",
    ),
    (
        "Juniper Pediatrics",
        "juniperpeds.example",
        "Medford",
        "OR",
        "active",
        "125",
        "Managed",
    ),
    (
        "Keystone Insurance Agency",
        "keystoneins.example",
        "Vancouver",
        "WA",
        "active",
        "135",
        "Managed",
    ),
    (
        "Lakeside Community Church",
        "lakesidechurch.example",
        "Olympia",
        "WA",
        "active",
        "85",
        "Break-fix",
    ),
    (
        "Maple Street Bakery",
        "maplebakery.example",
        "Corvallis",
        "OR",
        "prospect",
        "95",
        "Break-fix",
    ),
    (
        "Northwind Outfitters",
        "northwind.example",
        "Bellingham",
        "WA",
        "active",
        "110",
        "Managed",
    ),
    (
        "Orchard Valley Schools",
        "orchardvalley.example",
        "Yakima",
        "WA",
        "active",
        "100",
        "Project",
    ),
    (
        "Pioneer Title & Escrow",
        "pioneertitle.example",
        "Kennewick",
        "WA",
        "active",
        "130",
        "Managed",
    ),
    (
        "Quarry Hill Winery",
        "quarryhill.example",
        "Walla Walla",
        "WA",
        "inactive",
        "105",
        "Break-fix",
    ),
    (
        "Riverside Physical Therapy",
        "riversidept.example",
        "Hillsboro",
        "OR",
        "active",
        "120",
        "Managed",
    ),
    (
        "Summit Engineering Group",
        "summiteng.example",
        "Redmond",
        "WA",
        "active",
        "155",
        "Managed",
    ),
    (
        "Tidewater Marine Supply",
        "tidewater.example",
        "Astoria",
        "OR",
        "former",
        "110",
        "Break-fix",
    ),
    (
        "Union Station Dental",
        "unionstation.example",
        "Beaverton",
        "OR",
        "active",
        "125",
        "Managed",
    ),
    (
        "Valley Credit Union",
        "valleycu.example",
        "Gresham",
        "OR",
        "active",
        "160",
        "Managed",
    ),
    (
        "Westbrook Senior Living",
        "westbrook.example",
        "Kent",
        "WA",
        "active",
        "125",
        "Managed",
    ),
    (
        "Yellowpine Construction",
        "yellowpine.example",
        "Coeur d'Alene",
        "ID",
        "prospect",
        "115",
        "Project",
    ),
    (
        "Zephyr Coffee Roasters",
        "zephyrcoffee.example",
        "Portland",
        "OR",
        "active",
        "95",
        "Break-fix",
    ),
];

const PEOPLE: [(&str, &str, &str); 12] = [
    ("Maria Lopez", "Office Manager", "Administration"),
    ("James Chen", "IT Coordinator", "Operations"),
    ("Priya Patel", "Controller", "Finance"),
    ("Robert Miller", "Owner", "Executive"),
    ("Aisha Johnson", "Practice Manager", "Administration"),
    ("Tom Becker", "Facilities Lead", "Operations"),
    ("Sofia Rossi", "Bookkeeper", "Finance"),
    ("David Kim", "Managing Partner", "Executive"),
    ("Emily Nguyen", "Front Desk Lead", "Reception"),
    ("Lucas Brown", "Warehouse Supervisor", "Operations"),
    ("Hannah Schmidt", "HR Manager", "Human Resources"),
    ("Omar Haddad", "Systems Administrator", "IT"),
];

const STREETS: [&str; 8] = [
    "Main Street",
    "Oak Avenue",
    "Commerce Way",
    "Harbor Drive",
    "Pine Street",
    "Industrial Parkway",
    "Broadway",
    "Cedar Lane",
];

/// Loads the demo tenant and returns the logins, or `None` when a tenant exists.
pub fn load(
    conn: &mut AnyConnection,
    password_plain: &str,
    vault: &Vault,
) -> Result<Option<Vec<(String, String)>>, diesel::result::Error> {
    if tenants::count(conn)? > 0 {
        return Ok(None);
    }
    let hash = password::hash(password_plain);
    conn.transaction(|conn| {
        let tenant = tenants::create(conn, TENANT_NAME, Some("office@demo.test"))?;
        for (email, name, role) in USERS {
            users::create(conn, tenant, name, email, &hash, role)?;
        }
        for (i, (name, domain, city, state, status, rate, kind)) in CLIENTS.iter().enumerate() {
            let data = ClientData {
                name: name.to_string(),
                company_name: Some(format!("{name} Inc.")),
                email: Some(format!("office@{domain}")),
                phone: Some(format!("(555) 01{:02}-{:04}", i, 1000 + i * 37)),
                status: status.to_string(),
                hourly_rate: rate.parse::<i64>().unwrap_or(100) * 100,
                contract_start_date: chrono::NaiveDate::from_ymd_opt(2024, 1 + (i % 12) as u32, 1),
                contract_end_date: chrono::NaiveDate::from_ymd_opt(2027, 1 + (i % 12) as u32, 1),
                lead: *status == "prospect",
                kind: Some(kind.to_string()),
            };
            let id = clients::insert(conn, tenant, &data)?;
            let cs = ClientScope::checked(tenant, id);
            for k in 0..(2 + i % 3) {
                let (person, title, dept) = PEOPLE[(i * 3 + k) % PEOPLE.len()];
                let first = person.split(' ').next().unwrap_or(person).to_lowercase();
                let mut f = FormInput::default();
                f.set("name", person);
                f.set("title", title);
                f.set("department", dept);
                f.set("email", format!("{first}@{domain}"));
                f.set("phone", format!("(555) 02{:02}-{:04}", i, 2000 + k * 11));
                f.set_bool("primary", k == 0);
                f.set_bool("billing", dept == "Finance" || k == 0);
                f.set_bool("technical", dept == "IT" || dept == "Operations");
                f.set_bool("important", dept == "Executive");
                insert::<Contacts>(conn, &cs, &f, vault)?;
            }
            for k in 0..(1 + i % 2) {
                let mut f = FormInput::default();
                f.set("name", if k == 0 { "Head office" } else { "Billing" });
                f.set(
                    "address_line_1",
                    format!("{} {}", 100 + i * 17 + k, STREETS[(i + k) % STREETS.len()]),
                );
                f.set("city", *city);
                f.set("state", *state);
                f.set("zip_code", format!("9{:04}", 7000 + i * 13));
                f.set("country", "United States");
                f.set_bool("primary", k == 0);
                insert::<Addresses>(conn, &cs, &f, vault)?;
            }
        }
        Ok(Some(
            USERS
                .iter()
                .map(|(e, _, r)| (e.to_string(), r.label().to_string()))
                .collect(),
        ))
    })
}

/// Demo rows go through the same validation as the forms, so they are always valid.
fn insert<R: Resource>(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    input: &FormInput,
    vault: &Vault,
) -> QueryResult<i64> {
    let refs = crate::resource::refs::load(conn, cs, R::FIELDS)?;
    let values = forms::parse(R::FIELDS, input, &refs)
        .unwrap_or_else(|e| panic!("demo {} is invalid: {:?}", R::SINGULAR, e.0));
    write::create::<R>(conn, cs, &values, vault)
}
