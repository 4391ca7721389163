//! Networks as a technician types them: the range is stored normalised, and what lies
//! outside it is refused with the field's own message (the rest: `stories::networks`).

use crate::fixtures;
use crate::helpers::{id_from, TestApp};

#[actix_web::test]
async fn a_range_typed_with_a_host_address_is_stored_as_its_network() {
    let app = TestApp::spawn().await;
    let cid = fixtures::client(&mut app.conn(), app.a.id, "Acme");
    let tech = app.login(&app.a.tech).await;
    let base = format!("/clients/{cid}/networks");
    let hq = tech
        .post(
            &format!("/clients/{cid}/locations"),
            &[("name", "Head office")],
        )
        .await;
    let hq_id = id_from(&hq.location).to_string();
    let made = tech
        .post(
            &base,
            &[
                ("name", "Office LAN"),
                ("location_id", &hq_id),
                ("network", "10.20.0.7/24"),
                ("gateway", "10.20.0.1"),
                ("dhcp_range", "10.20.0.100–10.20.0.199"),
                ("dns_servers", "10.20.0.10, 2606:4700::1111"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let page = tech
        .get(&format!("{base}/{}", id_from(&made.location)))
        .await;
    assert!(page.body.contains("10.20.0.0/24"));
    assert!(!page.body.contains("10.20.0.7/24"));
    let v6 = tech
        .post(
            &base,
            &[
                ("name", "IPv6"),
                ("network", "2001:DB8::1/32"),
                ("gateway", "2001:db8::1"),
            ],
        )
        .await;
    assert_eq!(v6.status, 303);
    assert!(tech.get(&base).await.body.contains("2001:db8::/32"));
    let site = tech.get(&hq.location).await;
    assert!(
        site.texts(".extra li a")
            .contains(&"Office LAN".to_string()),
        "the location lists its networks"
    );
}
