//! One demo client's documentation proper: licenses, credentials, a rack, networks, a
//! certificate, a domain, services, documents and a file — varied by the client's index.

use chrono::{Duration, Utc};
use diesel::QueryResult;

use super::records::{s, Client};
use super::{insert, Env};
use crate::domain::assets::devices::field as asset;
use crate::domain::assets::devices::Assets;
use crate::domain::assets::networks::field as network;
use crate::domain::assets::networks::Networks;
use crate::domain::documentation::certificates::field as certificate;
use crate::domain::documentation::certificates::Certificates;
use crate::domain::documentation::credentials::field as credential;
use crate::domain::documentation::credentials::Credentials;
use crate::domain::documentation::documents::field as document;
use crate::domain::documentation::documents::Documents;
use crate::domain::documentation::domains::field as domain_field;
use crate::domain::documentation::domains::Domains;
use crate::domain::documentation::files;
use crate::domain::documentation::files::{Files, Upload};
use crate::domain::documentation::licenses::field as license;
use crate::domain::documentation::licenses::Licenses;
use crate::domain::documentation::racks::field as rack;
use crate::domain::documentation::racks::Racks;
use crate::domain::documentation::services::field as service;
use crate::domain::documentation::services::Services;
use crate::domain::documentation::{credentials, licenses};
use crate::domain::forms;
use crate::domain::forms::{FormInput, RefOptions};
use crate::domain::resource::Resource;
use crate::domain::scope::ClientScope;
use crate::platform::db::AnyConnection;

/// `manager` is the client's first contact, `hq` its head-office location (ids).
pub fn client(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    i: usize,
    c: &Client,
    env: &Env,
    manager: &str,
    hq: &str,
) -> QueryResult<()> {
    let (name, domain, ..) = *c;
    let today = Utc::now().date_naive();
    let day = |d: i64| (today + Duration::days(d)).to_string();
    let (manager, hq) = (manager.to_string(), hq.to_string());
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
                (license::name, s(product)),
                (license::vendor, s(vendor)),
                (license::kind, s(kind)),
                (license::seats, s(5 + (i * 3 + k * 7) % 60)),
                (license::cost, s(cost)),
                (license::purchase_date, day(expires - 365)),
                (license::expiry_date, day(*expires)),
                (license::auto_renewal, s(if k == 0 { "on" } else { "" })),
                (
                    licenses::LICENSE_KEY,
                    format!("{:05}-{:05}-DEMO{k}", i * 7919 % 99999, k * 104729 % 99999),
                ),
                (license::location_id, hq.clone()),
                (license::contact_id, manager.clone()),
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
        let id = insert::<Credentials>(
            conn,
            cs,
            &[
                (credential::name, s(cred)),
                (credential::kind, s(kind)),
                (credential::username, s(user)),
                (credential::url, url),
                (
                    credentials::PASSWORD,
                    format!("demo-{short}-{}!", kind.len() * 1000 + i),
                ),
                (credential::location_id, hq.clone()),
            ],
            env,
        )?;
        // The first client's guest Wi-Fi handed to a visitor: a share link with a
        // passphrase (Admin → Share links).
        if i == 0 && kind == "wifi" {
            share_wifi(conn, cs, id, env)?;
        }
        // Every third client's firewall password was changed once: the earlier one
        // stays in its history, revealable by reason.
        if i.is_multiple_of(3) && cred == "Firewall admin" {
            let new = format!("demo-{short}-rotated-{i}!");
            super::set::<Credentials>(conn, cs, id, credentials::PASSWORD, &new, env)?;
        }
    }
    let rack_units = [12, 24, 42][i % 3];
    let rack = s(insert::<Racks>(
        conn,
        cs,
        &[
            (rack::name, s("Server closet rack")),
            (rack::location_id, hq.clone()),
            (rack::units, s(rack_units)),
            (rack::depth, s("800 mm")),
            (rack::power_specs, s("2 × 20 A circuits, APC SMT1500 UPS")),
            (rack::cooling_specs, s("Ceiling vent, 24 °C")),
        ],
        env,
    )?);
    let mut lan = String::new();
    for (k, (name, third, vlan)) in [("Office LAN", 0, "10"), ("Guest Wi-Fi", 50, "50")]
        .into_iter()
        .enumerate()
        .take(1 + i % 2)
    {
        let prefix = format!("10.{}.{third}", 20 + i);
        let id = insert::<Networks>(
            conn,
            cs,
            &[
                (network::name, s(name)),
                (network::network, format!("{prefix}.0/24")),
                (network::vlan, s(vlan)),
                (network::gateway, format!("{prefix}.1")),
                (network::dhcp_range, format!("{prefix}.100–{prefix}.199")),
                (network::dns_servers, format!("{prefix}.10, 1.1.1.1")),
                (network::location_id, hq.clone()),
                (
                    network::notes,
                    s(if k == 0 {
                        "Core switch port 48 uplinks to the firewall."
                    } else {
                        "Client isolation on; captive portal off."
                    }),
                ),
            ],
            env,
        )?;
        if k == 0 {
            lan = s(id);
        }
    }
    // Assets on the office LAN: the firewall (warranty running out for some clients)
    // at the top of the rack, a 2 U server at the bottom, the reception PC; and a
    // retired NAS whose lapsed warranty needs nobody's attention.
    let lan_prefix = format!("10.{}.0", 20 + i);
    for (k, (name, kind, make, model, os, host, warranty)) in [
        (
            "FW01",
            "network",
            "Fortinet",
            "FortiGate 60F",
            "FortiOS 7.4",
            1,
            20 + (i as i64 * 37) % 400,
        ),
        (
            "SRV01",
            "server",
            "Dell",
            "PowerEdge T350",
            "Windows Server 2022",
            10,
            700,
        ),
        (
            "Reception PC",
            "workstation",
            "Lenovo",
            "ThinkCentre M70q",
            "Windows 11 Pro",
            120,
            300,
        ),
        ("Old NAS", "other", "Synology", "DS416", "DSM 6.2", 30, -200),
    ]
    .into_iter()
    .enumerate()
    {
        insert::<Assets>(
            conn,
            cs,
            &[
                (asset::name, s(name)),
                (asset::kind, s(kind)),
                (asset::make, s(make)),
                (asset::model, s(model)),
                (
                    asset::serial,
                    format!("SN{:04}{k}{:03}", i * 17, (i * 31 + k * 7) % 1000),
                ),
                (asset::os, s(os)),
                (asset::ip_address, format!("{lan_prefix}.{host}")),
                (
                    asset::mac_address,
                    format!("00:1a:2b:{:02x}:{:02x}:{:02x}", i, k, host),
                ),
                (asset::purchase_date, day(warranty - 3 * 365)),
                (asset::warranty_expiry, day(warranty)),
                (asset::location_id, hq.clone()),
                (
                    asset::contact_id,
                    if k == 2 {
                        manager.clone()
                    } else {
                        String::new()
                    },
                ),
                (asset::network_id, lan.clone()),
                (
                    asset::hostname,
                    format!("{}.corp.{domain}", name.to_lowercase().replace(' ', "-")),
                ),
                (
                    asset::interfaces,
                    if k == 0 {
                        format!(
                            "wan1, 203.0.113.{}, 00:1a:2b:{i:02x}:{k:02x}:f1\nlan, {lan_prefix}.{host}, 00:1a:2b:{i:02x}:{k:02x}:{host:02x}",
                            10 + i
                        )
                    } else {
                        String::new()
                    },
                ),
                (
                    asset::status,
                    s(if k == 3 { "retired" } else { "deployed" }),
                ),
                (
                    asset::rack_id,
                    if k < 2 { rack.clone() } else { String::new() },
                ),
                (
                    asset::rack_unit,
                    match k {
                        0 => s(rack_units),
                        1 => s(1),
                        _ => String::new(),
                    },
                ),
                (
                    asset::rack_height,
                    match k {
                        0 => s(1),
                        1 => s(2),
                        _ => String::new(),
                    },
                ),
            ],
            env,
        )?;
    }
    insert::<Certificates>(
        conn,
        cs,
        &[
            (certificate::name, format!("Wildcard {domain}")),
            (certificate::domain, format!("*.{domain}")),
            (certificate::kind, s("wildcard")),
            (certificate::issuer, s("Sectigo")),
            (certificate::issue_date, day(-300 + i as i64 * 9)),
            (certificate::expiry_date, day(65 + i as i64 * 9)),
            (certificate::cost, s("249.00")),
        ],
        env,
    )?;
    insert::<Domains>(
        conn,
        cs,
        &[
            (domain_field::domain_name, s(domain)),
            (
                domain_field::registrar,
                s(["Gandi", "Namecheap", "Cloudflare"][i % 3]),
            ),
            (domain_field::registration_date, day(-2000)),
            (domain_field::expiry_date, day(20 + i as i64 * 15)),
            (domain_field::auto_renewal, s("on")),
            (domain_field::cost, s("18.00")),
            (
                domain_field::nameservers,
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
                (service::name, s(svc)),
                (service::kind, s(kind)),
                (service::status, s("running")),
                (service::port, s(port)),
                (service::protocol, s(protocol)),
                (service::location_id, hq.clone()),
            ],
            env,
        )?;
    }
    insert::<Documents>(conn, cs, &[
        (document::name, s("Network overview")), (document::category, s("Network")), (document::tags, s("network, firewall")), (document::contact_id, manager.clone()),
        (document::content, format!("# {name} network\n\n| Segment | Subnet |\n|---|---|\n| Staff | 10.{i}.10.0/24 |\n| Guests | 10.{i}.20.0/24 |\n\nFirewall at **fw.{domain}**; see the credentials tab.")),
    ], env)?;
    insert::<Documents>(conn, cs, &[
        (document::name, s("New starter checklist")), (document::category, s("Onboarding")), (document::tags, s("onboarding, accounts")),
        (document::content, s("1. Create the Microsoft 365 account\n2. Enrol the laptop\n3. Add to the *Staff* group\n4. Hand over the Wi-Fi password")),
    ], env)?;

    let stored = crate::platform::keys::random_token(16);
    let body = format!(
        "{name}: switch port map\nPort 1-24: staff desks\nPort 47: firewall\nPort 48: uplink\n"
    );
    std::fs::create_dir_all(env.files_dir)
        .and_then(|_| std::fs::write(env.files_dir.join(&stored), &body))
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let mut input = FormInput::default();
    input.set(files::field::name.name, "Switch port map");
    input.set(files::field::category.name, "Network");
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

    Ok(())
}

fn share_wifi(conn: &mut AnyConnection, cs: &ClientScope, id: i64, env: &Env) -> QueryResult<()> {
    use crate::domain::scope::RecordId;
    use crate::domain::sharing::links::{create, NewShare};
    let who = env.tech.clone();
    let new = NewShare {
        minutes: 7 * 24 * 60,
        views: 3,
        passphrase: "visitor week".into(),
    };
    let now = Utc::now().naive_utc();
    let cid = crate::domain::scope::ClientId(cs.client_id());
    create::<Credentials>(conn, &who, cid, RecordId(id), &new, now)
        .map_err(super::service_desk::failed)?
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    Ok(())
}
