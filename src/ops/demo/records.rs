//! One demo client's documentation, varied by the client's index so the lists differ.

use chrono::{Duration, Utc};
use diesel::QueryResult;

use super::data::{PEOPLE, STREETS};
use super::{insert, Env};
use crate::domain::directory::addresses::Addresses;
use crate::domain::directory::contacts::Contacts;
use crate::domain::directory::locations::Locations;
use crate::domain::documentation::certificates::Certificates;
use crate::domain::documentation::credentials::Credentials;
use crate::domain::documentation::documents::Documents;
use crate::domain::documentation::domains::Domains;
use crate::domain::documentation::files;
use crate::domain::documentation::files::{Files, Upload};
use crate::domain::documentation::licenses::Licenses;
use crate::domain::documentation::racks::Racks;
use crate::domain::documentation::services::Services;
use crate::domain::forms;
use crate::domain::forms::{FormInput, RefOptions};
use crate::domain::resource::Resource;
use crate::domain::scheduling::calendar::Events;
use crate::domain::scheduling::recurring::RecurringTickets;
use crate::domain::scheduling::trips::Trips;
use crate::domain::scope::ClientScope;
use crate::platform::db::AnyConnection;

type Client = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

fn s(v: impl ToString) -> String {
    v.to_string()
}

pub fn client(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    i: usize,
    c: &Client,
    env: &Env,
) -> QueryResult<()> {
    let (name, domain, city, state, ..) = *c;
    let today = Utc::now().date_naive();
    let day = |d: i64| (today + Duration::days(d)).to_string();

    let mut contacts = vec![];
    for k in 0..(2 + i % 3) {
        let (person, title, dept) = PEOPLE[(i * 3 + k) % PEOPLE.len()];
        let first = person.split(' ').next().unwrap_or(person).to_lowercase();
        let flag = |on: bool| if on { s("on") } else { String::new() };
        contacts.push(insert::<Contacts>(
            conn,
            cs,
            &[
                ("name", s(person)),
                ("title", s(title)),
                ("department", s(dept)),
                ("email", format!("{first}@{domain}")),
                ("phone", format!("(555) 02{:02}-{:04}", i, 2000 + k * 11)),
                ("primary", flag(k == 0)),
                ("billing", flag(dept == "Finance" || k == 0)),
                ("technical", flag(dept == "IT" || dept == "Operations")),
                ("important", flag(dept == "Executive")),
            ],
            env,
        )?);
    }
    let manager = s(contacts[0]);
    let street = |k: usize| format!("{} {}", 100 + i * 17 + k, STREETS[(i + k) % STREETS.len()]);
    for k in 0..(1 + i % 2) {
        insert::<Addresses>(
            conn,
            cs,
            &[
                ("name", s(if k == 0 { "Head office" } else { "Billing" })),
                ("address_line_1", street(k)),
                ("city", s(city)),
                ("state", s(state)),
                ("zip_code", format!("9{:04}", 7000 + i * 13)),
                ("country", s("United States")),
                ("contact_id", manager.clone()),
                ("primary", s(if k == 0 { "on" } else { "" })),
            ],
            env,
        )?;
    }
    let hq = s(insert::<Locations>(
        conn,
        cs,
        &[
            ("name", s("Head office")),
            ("address_line_1", street(0)),
            ("city", s(city)),
            ("state", s(state)),
            ("phone", format!("(555) 03{:02}-1000", i)),
            ("hours", s("Mon–Fri 8:00–17:00")),
            ("contact_id", manager.clone()),
            ("primary", s("on")),
            (
                "notes",
                s("Server closet behind reception; badge required after hours."),
            ),
        ],
        env,
    )?);
    if i.is_multiple_of(3) {
        insert::<Locations>(
            conn,
            cs,
            &[
                ("name", s("Branch office")),
                ("address_line_1", street(5)),
                ("city", s(city)),
                ("state", s(state)),
            ],
            env,
        )?;
    }

    let licenses: [(&str, &str, &str, &str, i64); 3] = [
        (
            "Microsoft 365 Business Premium",
            "Microsoft",
            "subscription",
            "22.00",
            40 + (i as i64 * 13) % 300,
        ),
        (
            "ESET Endpoint Protection",
            "ESET",
            "subscription",
            "4.50",
            -10 + (i as i64 * 7) % 40,
        ),
        (
            "Veeam Backup & Replication",
            "Veeam",
            "perpetual",
            "1,150.00",
            400,
        ),
    ];
    for (k, (product, vendor, kind, cost, expires)) in licenses.iter().enumerate() {
        insert::<Licenses>(
            conn,
            cs,
            &[
                ("name", s(product)),
                ("vendor", s(vendor)),
                ("type", s(kind)),
                ("seats", s(5 + (i * 3 + k * 7) % 60)),
                ("cost", s(cost)),
                ("purchase_date", day(expires - 365)),
                ("expiry_date", day(*expires)),
                ("auto_renewal", s(if k == 0 { "on" } else { "" })),
                (
                    "license_key",
                    format!("{:05}-{:05}-DEMO{k}", i * 7919 % 99999, k * 104729 % 99999),
                ),
                ("location_id", hq.clone()),
                ("contact_id", manager.clone()),
            ],
            env,
        )?;
    }

    let short = domain.split('.').next().unwrap_or(domain);
    for (cred, kind, user, url) in [
        (
            "Firewall admin",
            "admin",
            s("admin"),
            format!("https://fw.{domain}"),
        ),
        (
            "Microsoft 365 global admin",
            "admin",
            format!("admin@{domain}"),
            s("https://admin.microsoft.com"),
        ),
        (
            "Office Wi-Fi",
            "wifi",
            format!("{short}-staff"),
            String::new(),
        ),
    ] {
        insert::<Credentials>(
            conn,
            cs,
            &[
                ("name", s(cred)),
                ("type", s(kind)),
                ("username", s(user)),
                ("url", url),
                (
                    "password",
                    format!("demo-{short}-{}!", kind.len() * 1000 + i),
                ),
                ("location_id", hq.clone()),
            ],
            env,
        )?;
    }
    insert::<Racks>(
        conn,
        cs,
        &[
            ("name", s("Server closet rack")),
            ("location_id", hq.clone()),
            ("units", s([12, 24, 42][i % 3])),
            ("depth", s("800 mm")),
            ("power_specs", s("2 × 20 A circuits, APC SMT1500 UPS")),
            ("cooling_specs", s("Ceiling vent, 24 °C")),
        ],
        env,
    )?;
    insert::<Certificates>(
        conn,
        cs,
        &[
            ("name", format!("Wildcard {domain}")),
            ("domain", format!("*.{domain}")),
            ("type", s("wildcard")),
            ("issuer", s("Sectigo")),
            ("issue_date", day(-300 + i as i64 * 9)),
            ("expiry_date", day(65 + i as i64 * 9)),
            ("cost", s("249.00")),
        ],
        env,
    )?;
    insert::<Domains>(
        conn,
        cs,
        &[
            ("domain_name", s(domain)),
            ("registrar", s(["Gandi", "Namecheap", "Cloudflare"][i % 3])),
            ("registration_date", day(-2000)),
            ("expiry_date", day(20 + i as i64 * 15)),
            ("auto_renewal", s("on")),
            ("cost", s("18.00")),
            (
                "nameservers",
                s("ns1.dnsprovider.example\nns2.dnsprovider.example"),
            ),
        ],
        env,
    )?;
    for (svc, kind, port, protocol) in [
        ("Email", "Mail", "443", "https"),
        ("Remote access VPN", "VPN", "1194", "udp"),
        ("Nightly backup", "Backup", "", ""),
    ] {
        insert::<Services>(
            conn,
            cs,
            &[
                ("name", s(svc)),
                ("type", s(kind)),
                ("status", s("running")),
                ("port", s(port)),
                ("protocol", s(protocol)),
                ("location_id", hq.clone()),
            ],
            env,
        )?;
    }
    insert::<Documents>(conn, cs, &[
        ("name", s("Network overview")), ("category", s("Network")), ("tags", s("network, firewall")), ("contact_id", manager.clone()),
        ("content", format!("# {name} network\n\n| Segment | Subnet |\n|---|---|\n| Staff | 10.{i}.10.0/24 |\n| Guests | 10.{i}.20.0/24 |\n\nFirewall at **fw.{domain}**; see the credentials tab.")),
    ], env)?;
    insert::<Documents>(conn, cs, &[
        ("name", s("New starter checklist")), ("category", s("Onboarding")), ("tags", s("onboarding, accounts")),
        ("content", s("1. Create the Microsoft 365 account\n2. Enrol the laptop\n3. Add to the *Staff* group\n4. Hand over the Wi-Fi password")),
    ], env)?;

    let stored = crate::platform::keys::random_token(16);
    let body = format!(
        "{name}: switch port map\nPort 1-24: staff desks\nPort 47: firewall\nPort 48: uplink\n"
    );
    std::fs::create_dir_all(env.files_dir)
        .and_then(|_| std::fs::write(env.files_dir.join(&stored), &body))
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let mut input = FormInput::default();
    input.set("name", "Switch port map");
    input.set("category", "Network");
    let file_values = forms::parse(Files::FIELDS, &input, &RefOptions::default())
        .unwrap_or_else(|e| panic!("demo file is invalid: {:?}", e.0));
    files::insert_uploaded(
        conn,
        cs,
        &file_values,
        &Upload {
            file_path: stored,
            file_size: body.len() as i64,
            mime_type: s("text/plain"),
            original_name: s("switch-port-map.txt"),
        },
    )?;

    let tech = s(env.tech_id);
    insert::<Events>(
        conn,
        cs,
        &[
            ("title", s("Quarterly business review")),
            ("type", s("review")),
            ("start_date", format!("{}T10:00", day(3 + i as i64 % 20))),
            ("end_date", format!("{}T11:00", day(3 + i as i64 % 20))),
            ("contact_id", manager.clone()),
            ("user_id", s(env.admin_id)),
        ],
        env,
    )?;
    insert::<Events>(
        conn,
        cs,
        &[
            ("title", s("Firewall firmware update")),
            ("type", s("maintenance")),
            ("start_date", format!("{}T19:00", day(i as i64 % 28 - 7))),
            ("end_date", format!("{}T21:00", day(i as i64 % 28 - 7))),
            ("location", s("Remote")),
            ("user_id", tech.clone()),
        ],
        env,
    )?;
    insert::<Trips>(
        conn,
        cs,
        &[
            ("purpose", s("On-site: replace switch")),
            ("start_date", day(-(i as i64 % 30) - 1)),
            ("mileage", s(8 + i * 3)),
            ("rate_per_mile", s("0.670")),
            ("billable", s("on")),
            ("user_id", tech.clone()),
        ],
        env,
    )?;
    insert::<RecurringTickets>(
        conn,
        cs,
        &[
            ("name", s("Monthly patch review")),
            ("frequency", s("monthly")),
            ("next_run_date", format!("{}T08:00", day(5 + i as i64 % 25))),
            ("active", s("on")),
            ("subject", s("Review and approve pending patches")),
            ("priority", s("medium")),
            ("assignee_id", tech.clone()),
        ],
        env,
    )?;
    insert::<RecurringTickets>(
        conn,
        cs,
        &[
            ("name", s("Backup restore test")),
            ("frequency", s("quarterly")),
            ("next_run_date", format!("{}T09:00", day(30 + i as i64))),
            ("active", s("on")),
            ("subject", s("Restore a test file from last night's backup")),
            ("priority", s("high")),
        ],
        env,
    )?;
    Ok(())
}
