//! Racks at a client's sites; the detail page draws the rack top to bottom, one row per
//! unit.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::forms::{Field, FormInput, Kind, RefKind, Values};
use crate::domain::resource::Extra;
use crate::domain::resource::{Audience, Resource, Writer};
use crate::domain::schema::client_racks;
use crate::domain::scope::ClientScope;
use crate::error::AppResult;
use crate::platform::db::AnyConnection;
use crate::scoped_crud;

pub struct Racks;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_racks, treat_none_as_null = true)]
pub struct RackData {
    pub location_id: Option<i64>,
    pub name: String,
    pub units: i32,
    pub depth: Option<String>,
    pub power_specs: Option<String>,
    pub cooling_specs: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_racks)]
pub struct Rack {
    pub id: i64,
    #[diesel(embed)]
    pub data: RackData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl From<&Values> for RackData {
    fn from(v: &Values) -> Self {
        RackData {
            location_id: v.int("location_id"),
            name: v.req_text("name"),
            units: v.int32("units").unwrap_or(42),
            depth: v.text("depth"),
            power_specs: v.text("power_specs"),
            cooling_specs: v.text("cooling_specs"),
            notes: v.text("notes"),
        }
    }
}

impl Resource for Racks {
    const SLUG: &'static str = "racks";
    const SINGULAR: &'static str = "rack";
    const PLURAL: &'static str = "Racks";
    const FIELDS: &'static [Field] = &[
        Field::text("name", "Name").required(),
        Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        Field::new("units", "Units (U)", Kind::Integer { min: 1, max: 60 }).required(),
        Field::text("depth", "Depth").help("e.g. 1000 mm"),
        Field::new("power_specs", "Power", Kind::TextArea),
        Field::new("cooling_specs", "Cooling", Kind::TextArea),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] = &["name", "location_id", "units", "depth"];
    const SEARCH_HINT: &'static str = "Name, depth, notes";

    type Row = Rack;

    fn title(row: &Rack) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Rack) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("name", &d.name);
        f.set_opt("location_id", d.location_id);
        f.set("units", d.units.to_string());
        f.set_opt("depth", d.depth.as_ref());
        f.set_opt("power_specs", d.power_specs.as_ref());
        f.set_opt("cooling_specs", d.cooling_specs.as_ref());
        f.set_opt("notes", d.notes.as_ref());
        f
    }
    fn defaults(_: &mut AnyConnection, _: &ClientScope, _: Writer) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set("units", "42");
        Ok(f)
    }
    fn detail(
        _: &mut AnyConnection,
        _: &ClientScope,
        row: &Rack,
        _: &Audience,
    ) -> AppResult<Extra> {
        Ok(Extra::Rack {
            name: row.data.name.clone(),
            units: (1..=row.data.units).rev().collect(),
        })
    }

    scoped_crud!(
        table: client_racks,
        row: Rack,
        data: RackData,
        search: [name, depth, notes],
        sort: { "name" => name, "location_id" => location_id, "units" => units, "depth" => depth },
    );
}
