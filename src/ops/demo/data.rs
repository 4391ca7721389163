//! The demo's people, places and companies: invented, but shaped like a real MSP's book.

#[rustfmt::skip]
// (name, domain, city, state, status, rate, type)
pub const CLIENTS: [(&str, &str, &str, &str, &str, &str, &str); 25] = [
    ("Acme Dental Group", "acmedental.example", "Portland", "OR", "active", "125", "Managed"),
    ("Birchwood Law LLP", "birchwoodlaw.example", "Seattle", "WA", "active", "150", "Managed"),
    ("Cascade Veterinary", "cascadevet.example", "Bend", "OR", "active", "110", "Managed"),
    ("Delta Freight Logistics", "deltafreight.example", "Tacoma", "WA", "active", "135", "Managed"),
    ("Evergreen Architects", "evergreenarch.example", "Spokane", "WA", "active", "140", "Managed"),
    ("Fairview Medical Clinic", "fairviewmed.example", "Salem", "OR", "active", "145", "Managed"),
    ("Granite Peak Accounting", "granitepeak.example", "Boise", "ID", "active", "130", "Managed"),
    ("Harbor City Realty", "harborcity.example", "Everett", "WA", "on_hold", "115", "Break-fix"),
    ("Ironwood Manufacturing", "ironwoodmfg.example", "Eugene", "OR", "active", "120", "Managed"),
    ("Juniper Pediatrics", "juniperpeds.example", "Medford", "OR", "active", "125", "Managed"),
    ("Keystone Insurance Agency", "keystoneins.example", "Vancouver", "WA", "active", "135", "Managed"),
    ("Lakeside Community Church", "lakesidechurch.example", "Olympia", "WA", "active", "85", "Break-fix"),
    ("Maple Street Bakery", "maplebakery.example", "Corvallis", "OR", "prospect", "95", "Break-fix"),
    ("Northwind Outfitters", "northwind.example", "Bellingham", "WA", "active", "110", "Managed"),
    ("Orchard Valley Schools", "orchardvalley.example", "Yakima", "WA", "active", "100", "Project"),
    ("Pioneer Title & Escrow", "pioneertitle.example", "Kennewick", "WA", "active", "130", "Managed"),
    ("Quarry Hill Winery", "quarryhill.example", "Walla Walla", "WA", "inactive", "105", "Break-fix"),
    ("Riverside Physical Therapy", "riversidept.example", "Hillsboro", "OR", "active", "120", "Managed"),
    ("Summit Engineering Group", "summiteng.example", "Redmond", "WA", "active", "155", "Managed"),
    ("Tidewater Marine Supply", "tidewater.example", "Astoria", "OR", "former", "110", "Break-fix"),
    ("Union Station Dental", "unionstation.example", "Beaverton", "OR", "active", "125", "Managed"),
    ("Valley Credit Union", "valleycu.example", "Gresham", "OR", "active", "160", "Managed"),
    ("Westbrook Senior Living", "westbrook.example", "Kent", "WA", "active", "125", "Managed"),
    ("Yellowpine Construction", "yellowpine.example", "Coeur d'Alene", "ID", "prospect", "115", "Project"),
    ("Zephyr Coffee Roasters", "zephyrcoffee.example", "Portland", "OR", "active", "95", "Break-fix"),
];

/// What everyone must know first about some clients.
pub fn alert(i: usize) -> Option<String> {
    match i {
        0 => Some("Changes to the firewall need the owner's written approval.".into()),
        7 => Some("On hold: no new work until the overdue invoices are paid.".into()),
        _ if i % 5 == 2 => {
            Some("The alarm code changes monthly: ask the office manager before a visit.".into())
        }
        _ => None,
    }
}

/// A client's standing notes, in Markdown.
pub fn notes(i: usize, name: &str) -> Option<String> {
    i.is_multiple_of(2).then(|| {
        format!(
            "## Working with {name}\n\n- Visits: book a day ahead with the office manager.\n\
             - Backups: nightly to the NAS, weekly offsite.\n\n\
             | Window | When |\n|---|---|\n| Patching | Tue 19:00–21:00 |\n| Reboots | Sun 06:00 |"
        )
    })
}

#[rustfmt::skip]
pub const PEOPLE: [(&str, &str, &str); 12] = [
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

#[rustfmt::skip]
pub const STREETS: [&str; 8] = [
    "Main Street",
    "Oak Avenue",
    "Commerce Way",
    "Harbor Drive",
    "Pine Street",
    "Industrial Parkway",
    "Broadway",
    "Cedar Lane",
];
