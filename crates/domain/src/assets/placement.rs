//! Assets mounted in racks: a start unit (the lowest) and a height in units. A
//! placement must fit the rack and overlap no other live asset; the check runs in the
//! write's transaction after taking the rack's row, so two placements into the same
//! rack are decided one after the other.

use diesel::prelude::*;

use crate::forms::Errors;
use crate::resource::RackUnit;
use crate::schema::{assets, client_racks};
use crate::scope::ClientScope;
use mspdesk_platform::db::AnyConnection;

#[derive(Debug, Clone)]
pub struct Mounted {
    pub id: i64,
    pub name: String,
    pub unit: i32,
    pub height: i32,
}

impl Mounted {
    fn top(&self) -> i32 {
        self.unit + self.height - 1
    }
    fn overlaps(&self, unit: i32, height: i32) -> bool {
        self.unit < unit + height && unit <= self.top()
    }
}

/// The live assets placed in a rack of the client.
/// A placement without a height takes one unit.
pub(crate) fn in_rack(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    rack: i64,
) -> QueryResult<Vec<Mounted>> {
    let rows: Vec<(i64, String, i32, Option<i32>)> = crate::of_client!(assets, cs)
        .filter(assets::rack_id.eq(rack))
        .filter(assets::deleted_at.is_null())
        .filter(assets::rack_unit.is_not_null())
        .order(assets::rack_unit.desc())
        .select((
            assets::id,
            assets::name,
            assets::rack_unit.assume_not_null(),
            assets::rack_height,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, unit, height)| Mounted {
            id,
            name,
            unit,
            height: height.unwrap_or(1).max(1),
        })
        .collect())
}

/// The rack's front view, top unit first: each device on its top unit (spanning its
/// height), the units under it covered.
pub(crate) fn front_view(units: i32, mounted: &[Mounted], cs: &ClientScope) -> Vec<RackUnit> {
    (1..=units)
        .rev()
        .map(|u| {
            let device = mounted.iter().find(|m| m.top().min(units) == u).map(|m| {
                (
                    format!("/clients/{}/assets/{}", cs.client_id(), m.id),
                    m.name.clone(),
                    m.height.min(u),
                )
            });
            RackUnit {
                unit: u,
                covered: device.is_none() && mounted.iter().any(|m| m.overlaps(u, 1)),
                device,
            }
        })
        .collect()
}

/// Refuses a placement that leaves the rack or overlaps another asset (`asset`: the
/// one being edited, which may keep its own units).
pub fn check(
    conn: &mut AnyConnection,
    cs: &ClientScope,
    asset: Option<i64>,
    rack: i64,
    unit: i32,
    height: i32,
    errors: &mut Errors,
) -> QueryResult<()> {
    // Taking the rack's row serialises placements into it (PostgreSQL row lock; SQLite
    // holds the database for the write transaction anyway).
    let size: i32 =
        diesel::update(crate::of_client!(client_racks, cs).filter(client_racks::id.eq(rack)))
            .set(client_racks::updated_at.eq(client_racks::updated_at))
            .returning(client_racks::units)
            .get_result(conn)?;
    if unit + height - 1 > size {
        errors.add(
            "rack_unit",
            format!(
                "The rack has {size} units: a {height} U device starting at U{unit} does not fit."
            ),
        );
        return Ok(());
    }
    if let Some(other) = in_rack(conn, cs, rack)?
        .into_iter()
        .find(|m| Some(m.id) != asset && m.overlaps(unit, height))
    {
        errors.add(
            "rack_unit",
            format!(
                "U{}–U{} are taken by {} (U{}–U{}).",
                unit,
                unit + height - 1,
                other.name,
                other.unit,
                other.top()
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_any_shared_unit() {
        let m = Mounted {
            id: 1,
            name: "SRV01".into(),
            unit: 10,
            height: 2,
        };
        assert!(m.overlaps(11, 1));
        assert!(m.overlaps(9, 2));
        assert!(!m.overlaps(12, 3));
        assert!(!m.overlaps(8, 2));
    }
}
