//! Racks at a client's sites; the detail page draws the rack top to bottom, one row per
//! unit.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::error::AppResult;
use crate::forms::{Field, FormInput, Kind, RefKind};
use crate::resource::{Audience, Extra, Resource, Writer};
use crate::schema::client_racks;
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Racks;

crate::form_record! {
    pub struct RackData for client_racks as field {
        location_id: Option<i64> = Field::new("location_id", "Location", Kind::Ref(RefKind::Location)),
        name: String = Field::text("name", "Name").required(),
        units: i32 = Field::new("units", "Units (U)", Kind::Integer { min: 1, max: 60 }).required(),
        depth: Option<String> = Field::text("depth", "Depth").help("e.g. 1000 mm"),
        power_specs: Option<String> = Field::new("power_specs", "Power", Kind::TextArea),
        cooling_specs: Option<String> = Field::new("cooling_specs", "Cooling", Kind::TextArea),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_racks)]
pub struct Rack {
    pub id: i64,
    #[diesel(embed)]
    pub data: RackData,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Resource for Racks {
    const SLUG: &'static str = "racks";
    const SINGULAR: &'static str = "rack";
    const PLURAL: &'static str = "Racks";
    const FIELDS: &'static [Field] = &[
        field::name,
        field::location_id,
        field::units,
        field::depth,
        field::power_specs,
        field::cooling_specs,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::name.name,
        field::location_id.name,
        field::units.name,
        field::depth.name,
    ];
    const SEARCH_HINT: &'static str = "Name, depth, notes";

    type Row = Rack;

    fn title(row: &Rack) -> String {
        row.data.name.clone()
    }
    fn to_input(row: &Rack) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    fn defaults(_: &mut AnyConnection, _: &ClientScope, _: Writer) -> QueryResult<FormInput> {
        let mut f = FormInput::default();
        f.set(field::units.name, "42");
        Ok(f)
    }
    fn detail(
        conn: &mut AnyConnection,
        cs: &ClientScope,
        row: &Rack,
        _: &Audience,
    ) -> AppResult<Extra> {
        let mounted = crate::assets::placement::in_rack(conn, cs, row.id)?;
        Ok(Extra::Rack {
            name: row.data.name.clone(),
            units: crate::assets::placement::front_view(row.data.units, &mounted, cs),
        })
    }

    scoped_crud!(
        table: client_racks,
        row: Rack,
        data: RackData,
        search: [name, depth, notes],
        sort: { field::name.name => name, field::location_id.name => location_id, field::units.name => units, field::depth.name => depth },
    );
}
