//! A CSV of one kind as records, a row at a time: its columns matched to fields by
//! header name (or ITFlow's positions), each row read into one record — or, for
//! ITFlow's client template, a client with its first location and contact. The
//! columns nothing matched are counted value by value into the import's notes.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::columns::{self, Col};
use super::table::{self, Input};
use super::{cells, target, ClientRef, Item, Notes, Plan, Record, Records, Target};

/// How the columns of a CSV are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Headers,
    ItFlow,
}

/// The records of a CSV of `slug` rows.
pub(crate) fn from_csv(
    name: &str,
    input: Input,
    slug: &str,
    layout: Layout,
    chosen_client: Option<String>,
) -> Result<Plan, String> {
    let target = target(slug).ok_or_else(|| format!("There is no import for \"{slug}\"."))?;
    let rows = table::open(&input)?;
    let encoding = rows.encoding;
    let mut header = rows.header.clone();
    let (rows, used) = match layout {
        Layout::Headers => with_full_names(target, &mut header, Box::new(rows)),
        Layout::ItFlow => (Box::new(rows) as table::RowIter, vec![]),
    };
    let (mut cols, _) = match layout {
        Layout::Headers => columns::by_header(target, &header),
        Layout::ItFlow => columns::by_position(target, &header)?,
    };
    for i in used {
        cols[i] = Col::Used;
    }
    if !cols.iter().any(|c| matches!(c, Col::Field(..))) {
        let known: Vec<&str> = target.fields.iter().take(6).map(|f| f.label).collect();
        return Err(format!(
            "None of the columns ({}) is a field of {}; expected headers such as {}. If the \
             whole header shows as one column, the file uses a delimiter other than comma, \
             semicolon, tab or pipe.",
            header.join(", "),
            target.plural,
            known.join(", ")
        ));
    }
    // Client rows belong to no client: a client named on the form means nothing here.
    let chosen_client = chosen_client.filter(|_| !target.is_client);
    let client_column = cols
        .iter()
        .any(|c| matches!(c, Col::Client | Col::ClientId));
    if !target.is_client && !client_column && chosen_client.is_none() {
        return Err(format!(
            "The file has no client column: choose the client these {} belong to.",
            target.plural
        ));
    }
    let notes = Rc::new(RefCell::new(Notes::default()));
    let sheet = Sheet {
        file: name,
        encoding,
        header: &header,
        target,
        cols,
    };
    let records = sheet.records(rows, &notes, |_, _| {});
    Ok(Plan {
        source: name.to_string(),
        records,
        notes,
        chosen_client,
        source_tenant: None,
    })
}

/// An open sheet: its file, encoding and header, the kind of its rows and what each
/// column feeds.
pub struct Sheet<'a> {
    pub file: &'a str,
    pub encoding: table::Encoding,
    pub header: &'a [String],
    pub target: &'static Target,
    pub cols: Vec<Col>,
}

impl Sheet<'_> {
    /// The records of the sheet's rows, lazily; `each` may change or flag each record
    /// as it is read (an export's own rules). The sheet's encoding and unmatched
    /// columns go into `notes`.
    pub fn records(
        self,
        rows: impl Iterator<Item = table::Row> + 'static,
        notes: &Rc<RefCell<Notes>>,
        mut each: impl FnMut(&mut Record, &[String]) + 'static,
    ) -> Records {
        let ignored = notes
            .borrow_mut()
            .open(self.file, self.encoding, self.header, &self.cols);
        let (file, notes, target, cols) =
            (self.file.to_string(), notes.clone(), self.target, self.cols);
        Box::new(rows.flat_map(move |row| -> Vec<Result<Item, String>> {
            match row {
                Ok((line, cells)) => {
                    notes.borrow_mut().tally(&ignored, &cells);
                    rows_of(&file, target, &cols, line, &cells)
                        .into_iter()
                        .map(|mut r| {
                            each(&mut r, &cells);
                            Ok(Item::Record(r))
                        })
                        .collect()
                }
                Err(e) => vec![Err(format!("{file}: {e}"))],
            }
        }))
    }
}

/// A file that splits a person's name ("First Name", "Middle Name", "Last Name";
/// Google's "Given Name", "Family Name") gets one "Name" column made of the parts when
/// it has none of its own and its kind has a name; beside a name column of its own,
/// the parts fill only the rows whose name is blank. Returns the rows and the columns
/// read into the name.
pub(crate) fn with_full_names(
    target: &Target,
    header: &mut Vec<String>,
    rows: table::RowIter,
) -> (table::RowIter, Vec<usize>) {
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&columns::norm(h).as_str()))
    };
    let own = find(&["name", "fullname", "displayname", "contactname"]);
    let parts: Vec<usize> = [
        find(&["firstname", "givenname", "forename"]),
        find(&["middlename", "additionalname"]),
        find(&["lastname", "familyname", "surname"]),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() || !target.fields.iter().any(|f| f.name == "name") {
        return (rows, vec![]);
    }
    if own.is_none() {
        header.push("Name".into());
    }
    let joined = parts.clone();
    let rows = rows.map(move |row| {
        row.map(|(line, mut cells)| {
            let full: Vec<&str> = joined
                .iter()
                .map(|i| cells[*i].trim())
                .filter(|p| !p.is_empty())
                .collect();
            let full = full.join(" ");
            match own {
                Some(i) if cells[i].trim().is_empty() => cells[i] = full,
                Some(_) => {}
                None => cells.push(full),
            }
            (line, cells)
        })
    });
    (Box::new(rows), parts)
}

/// The records of one row: one, or — ITFlow's client template — a client with its
/// first location and contact.
pub fn rows_of(
    file: &str,
    target: &'static Target,
    cols: &[Col],
    line: usize,
    cells: &[String],
) -> Vec<Record> {
    let (mut client, mut client_id) = (String::new(), String::new());
    let mut by_slug: BTreeMap<&'static str, Record> = BTreeMap::new();
    let mut main = Record::new(file, line, target.slug, ClientRef::Chosen);
    for (col, cell) in cols.iter().zip(cells) {
        match col {
            Col::Field(slug, field) if *slug == target.slug => main.put(field, cell),
            Col::Field(slug, field) => by_slug
                .entry(slug)
                .or_insert_with(|| Record::new(file, line, slug, ClientRef::Chosen))
                .put(field, cell),
            Col::Client => client = cell.trim().to_string(),
            Col::ClientId => client_id = cell.trim().to_string(),
            Col::Id => main.source_id = Some(cell.trim().to_string()).filter(|s| !s.is_empty()),
            Col::Archived => main.archived = cells::yes_no(cell) == Some(true),
            Col::Used | Col::Ignored => {}
        }
    }
    main.client = match (client_id.is_empty(), client.is_empty()) {
        (false, _) => ClientRef::Source(client_id, client),
        (true, false) => ClientRef::Name(client),
        (true, true) => ClientRef::Chosen,
    };
    let mut out = vec![];
    let owner = main.value("name").to_string();
    out.push(main);
    for (slug, mut r) in by_slug {
        if r.values.iter().all(|(_, v)| v.trim().is_empty()) {
            continue;
        }
        // The client's first location and contact: its primary ones.
        r.client = ClientRef::Name(owner.clone());
        r.put("primary", "yes");
        if r.value("name").is_empty() {
            r.put(
                "name",
                if slug == "locations" {
                    "Main office"
                } else {
                    "Primary contact"
                },
            );
        }
        out.push(r);
    }
    out
}
