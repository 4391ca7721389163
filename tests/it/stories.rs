//! The specification of each sub-resource's story (see `resources::story`).

use crate::resources::{story, Spec};

const LONG_PHONE: &str = "999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999";
const LONG_TAG: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

macro_rules! stories {
    ($($name:ident: $spec:expr;)*) => {
        $(
            #[actix_web::test]
            async fn $name() {
                story(&$spec).await;
            }
        )*
    };
}

stories! {
    contacts: Spec {
        slug: "contacts",
        valid: &[("name", "Maria {i}"), ("title", "Office Manager"), ("email", "maria{i}@acme.example"), ("billing", "on")],
        shown: "Office Manager",
        edit: ("title", "Controller", "Controller"),
        invalid: &[("name", "", "Name is required."), ("email", "maria@", "Enter an e-mail address")],
        pickers: &[],
    };
    addresses: Spec {
        slug: "addresses",
        valid: &[("name", "Head office {i}"), ("address_line_1", "1 Main St"), ("city", "Portland"), ("primary", "on")],
        shown: "1 Main St",
        edit: ("city", "Salem", "Salem"),
        invalid: &[("address_line_1", "", "Address line 1 is required.")],
        pickers: &["contact_id"],
    };
    locations: Spec {
        slug: "locations",
        valid: &[("name", "Warehouse {i}"), ("address_line_1", "9 Dock Rd"), ("city", "Tacoma"), ("hours", "Mon-Fri 8-17")],
        shown: "9 Dock Rd",
        edit: ("city", "Olympia", "Olympia"),
        invalid: &[("name", "", "Name is required."), ("phone", LONG_PHONE, "at most 200 characters")],
        pickers: &["contact_id"],
    };
    licenses: Spec {
        slug: "licenses",
        valid: &[("name", "Microsoft 365 {i}"), ("vendor", "Microsoft"), ("seats", "25"), ("cost", "1,200.00"), ("purchase_date", "2026-01-01"), ("expiry_date", "2036-01-01"), ("license_key", "AAAA-BBBB-{i}")],
        // A technician reads no amount: the cost is checked by money_fields.rs.
        shown: "Microsoft",
        edit: ("seats", "30", "30"),
        invalid: &[
            ("seats", "0", "Must be between 1 and"),
            ("expiry_date", "2025-12-31", "cannot expire before it was purchased"),
            ("name", "", "Name is required."),
        ],
        pickers: &["contact_id", "location_id"],
    };
    credentials: Spec {
        slug: "credentials",
        valid: &[("name", "Firewall admin {i}"), ("type", "admin"), ("username", "fwadmin"), ("password", "S3cret-{i}!"), ("url", "https://fw.acme.example")],
        shown: "fwadmin",
        edit: ("username", "root-admin", "root-admin"),
        invalid: &[("url", "ftp://fw.acme.example", "Enter a web address"), ("type", "root", "Choose one of the listed")],
        pickers: &["contact_id", "location_id", "asset_id"],
    };
    racks: Spec {
        slug: "racks",
        valid: &[("name", "Rack {i}"), ("units", "42"), ("depth", "1000 mm")],
        shown: "U42",
        edit: ("units", "12", "U12"),
        invalid: &[("units", "0", "Must be between 1 and 60."), ("units", "61", "Must be between 1 and 60."), ("units", "many", "Enter a whole number.")],
        pickers: &["location_id"],
    };
    assets: Spec {
        slug: "assets",
        valid: &[("name", "PC-{i}"), ("type", "workstation"), ("status", "deployed"), ("ip_address", "10.0.0.{i}"), ("mac_address", "AA-BB-CC-DD-EE-0F")],
        shown: "aa:bb:cc:dd:ee:0f",
        edit: ("model", "ThinkPad T14", "ThinkPad T14"),
        invalid: &[
            ("name", "", "Name is required."),
            ("ip_address", "10.0.0.300", "is not an IP address"),
            ("mac_address", "aa:bb", "Enter a MAC address"),
            ("type", "toaster", "Choose one of the listed"),
        ],
        pickers: &["location_id", "contact_id"],
    };
    networks: Spec {
        slug: "networks",
        valid: &[("name", "Office LAN {i}"), ("network", "10.20.{i}.0/24"), ("vlan", "10"), ("gateway", "10.20.{i}.1")],
        shown: "10.20.",
        edit: ("vlan", "20", "20"),
        invalid: &[
            ("network", "office", "Write the network with its prefix"),
            ("network", "10.20.0.0/33", "The prefix must be 0 to 32."),
            ("gateway", "192.168.1.1", "The gateway must be inside the network."),
            ("gateway", "router", "is not an IP address"),
            ("dhcp_range", "10.20.0.200-10.20.1.5", "The DHCP range must be inside the network."),
            ("dns_servers", "dns.example", "is not an IP address"),
            ("vlan", "4095", "Must be between 1 and 4094."),
        ],
        pickers: &["location_id"],
    };
    certificates: Spec {
        slug: "certificates",
        valid: &[("name", "Wildcard {i}"), ("domain", "*.acme.example"), ("issuer", "Let's Encrypt"), ("issue_date", "2026-01-01"), ("expiry_date", "2036-01-01")],
        shown: "*.acme.example",
        edit: ("issuer", "DigiCert", "DigiCert"),
        invalid: &[("expiry_date", "2025-06-01", "cannot expire before it was issued")],
        pickers: &[],
    };
    domains: Spec {
        slug: "domains",
        valid: &[("domain_name", "Acme{i}.Example"), ("registrar", "Gandi"), ("registration_date", "2020-01-01"), ("nameservers", "ns1.acme.example\nNS2.acme.example."), ("expiry_date", "2036-01-01")],
        shown: "acme0.example",
        edit: ("registrar", "Namecheap", "Namecheap"),
        invalid: &[
            ("domain_name", "not a domain", "Enter a domain name"),
            ("nameservers", "ns1.acme.example\nbad host", "is not a host name"),
            ("expiry_date", "2019-12-31", "cannot expire before it was registered"),
        ],
        pickers: &[],
    };
    services: Spec {
        slug: "services",
        valid: &[("name", "Mail {i}"), ("type", "Mail"), ("status", "running"), ("port", "443"), ("protocol", "https")],
        shown: "HTTPS",
        edit: ("port", "8443", "8443"),
        invalid: &[("port", "0", "Must be between 1 and 65535."), ("port", "70000", "Must be between 1 and 65535."), ("protocol", "gopher", "Choose one of the listed")],
        pickers: &["location_id", "asset_id"],
    };
    documents: Spec {
        slug: "documents",
        valid: &[("name", "Runbook {i}"), ("category", "Procedure"), ("tags", "network, Backup, network"), ("content", "# Restore\nSteps **here**.")],
        shown: "<strong>here</strong>",
        edit: ("category", "Onboarding", "Onboarding"),
        invalid: &[("name", "", "Title is required."), ("tags", LONG_TAG, "at most 40 characters")],
        pickers: &["contact_id", "location_id"],
    };
    files: Spec {
        slug: "files",
        valid: &[("category", "Contracts"), ("description", "Signed copy")],
        shown: "notes-0.txt",
        edit: ("name", "Contract 2026", "Contract 2026"),
        invalid: &[],
        pickers: &["contact_id", "location_id"],
    };
    calendar: Spec {
        slug: "calendar",
        valid: &[("title", "Site visit {i}"), ("type", "onsite"), ("start_date", "2026-12-01T09:00"), ("end_date", "2026-12-01T11:30"), ("location", "Front desk")],
        shown: "2026-12-01 11:30",
        edit: ("location", "Server room", "Server room"),
        invalid: &[
            ("end_date", "2026-12-01T08:00", "cannot end before it starts"),
            ("start_date", "", "Starts is required."),
            ("start_date", "tomorrow", "Enter a date and time"),
        ],
        pickers: &["contact_id", "user_id"],
    };
    trips: Spec {
        slug: "trips",
        valid: &[("purpose", "Firewall swap {i}"), ("start_date", "2026-11-20"), ("mileage", "12.5"), ("rate_per_mile", "0.655"), ("billable", "on")],
        shown: "12.5",
        edit: ("mileage", "100", "100"),
        invalid: &[("mileage", "-3", "Must be zero or more."), ("end_date", "2026-11-19", "cannot end before it starts"), ("rate_per_mile", "0.6555", "at most 3 decimal places")],
        pickers: &["user_id"],
    };
    recurring_tickets: Spec {
        slug: "recurring-tickets",
        valid: &[("name", "Patch review {i}"), ("frequency", "monthly"), ("next_run_date", "2026-12-31T09:00"), ("active", "on"), ("subject", "Review pending patches"), ("priority", "high")],
        shown: "Sun 2027-01-31 09:00",
        edit: ("frequency", "quarterly", "Wed 2027-03-31 09:00"),
        invalid: &[("frequency", "hourly", "Choose one of the listed"), ("subject", "", "Ticket subject is required."), ("next_run_date", "", "Next run is required.")],
        pickers: &["assignee_id"],
    };
}
