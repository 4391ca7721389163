//! Technicians' trips to a client: mileage × rate per mile, computed by the server and
//! rounded to the cent (a posted total is ignored). The rate starts at the tenant's
//! setting.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::money;
use crate::policy::Role;
use crate::resource::{Resource, Writer};
use crate::schema::{client_trips, companies};
use crate::scope::ClientScope;
use crate::scoped_crud;
use mspdesk_platform::db::AnyConnection;

pub struct Trips;

crate::form_record! {
    /// Mileage is stored in hundredths of a mile, the rate in mills (1/1000), the total in
    /// cents.
    pub struct TripData for client_trips as field, then with_total {
        user_id: Option<i64> = Field::new("user_id", "Technician", Kind::Ref(RefKind::User)),
        purpose: String = Field::text("purpose", "Purpose").required(),
        start_date: NaiveDate = Field::new("start_date", "Date", Kind::Date).required(),
        end_date: Option<NaiveDate> = Field::new("end_date", "Until", Kind::Date),
        mileage: i64 = Field::new("mileage", "Miles", Kind::Decimal { scale: 2 }).required(),
        rate_per_mile: i64 = Field::new("rate_per_mile", "Rate per mile", Kind::Decimal { scale: 3 }).required(),
        total_cost: i64 = Field::new("total_cost", "Total", Kind::Money).computed(),
        billable: bool = Field::new("billable", "Billable", Kind::Bool),
        notes: Option<String> = Field::new("notes", "Notes", Kind::TextArea),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_trips)]
pub struct Trip {
    pub id: i64,
    #[diesel(embed)]
    pub data: TripData,
    /// The invoice that billed it: a billed trip is not changed.
    pub invoice_id: Option<i64>,
    pub deleted_at: Option<NaiveDateTime>,
}

/// The computed total, after the form's members are read. `check` refused a total that
/// does not fit before a row is built.
fn with_total(d: &mut TripData) {
    d.total_cost = total_cents(d.mileage, d.rate_per_mile).unwrap_or(0);
}

/// Hundredths of a mile × mills per mile → cents, half up; `None` when the total does
/// not fit (the form says so; it is never stored wrapped or clipped).
pub(crate) fn total_cents(mileage_hundredths: i64, rate_mills: i64) -> Option<i64> {
    mileage_hundredths
        .checked_mul(rate_mills)?
        .checked_add(500)
        .map(|t| t / 1000)
}

impl Resource for Trips {
    const SLUG: &'static str = "trips";
    const SINGULAR: &'static str = "trip";
    const PLURAL: &'static str = "Trips";
    const IMPORT_KEY: &'static [&'static str] = &["purpose", "start_date"];
    const FIELDS: &'static [Field] = &[
        field::purpose,
        field::start_date,
        field::end_date,
        field::mileage,
        field::rate_per_mile,
        field::total_cost,
        field::billable,
        field::user_id,
        field::notes,
    ];
    const COLUMNS: &'static [&'static str] = &[
        field::start_date.name,
        field::purpose.name,
        field::user_id.name,
        field::mileage.name,
        field::total_cost.name,
        field::billable.name,
    ];
    const AREA: crate::policy::Area = crate::policy::Area::Trips;
    const SEARCH_HINT: &'static str = "Purpose, notes";

    type Row = Trip;

    fn title(row: &Trip) -> String {
        format!("{} — {}", row.data.start_date, row.data.purpose)
    }
    fn to_input(row: &Trip) -> FormInput {
        let mut f = FormInput::default();
        row.data.show(&mut f);
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        let (miles, rate) = (
            v.int(field::mileage.name).unwrap_or(0),
            v.int(field::rate_per_mile.name).unwrap_or(0),
        );
        if total_cents(miles, rate).is_none() {
            errors.add(
                field::mileage.name,
                "Miles × rate per mile is too large an amount.",
            );
        }
        if let (Some(start), Some(end)) =
            (v.date(field::start_date.name), v.date(field::end_date.name))
            && end < start
        {
            errors.add(field::end_date.name, "A trip cannot end before it starts.");
        }
    }
    /// A Tech records and edits only their own trips; an Admin anyone's. A billed trip
    /// stays as billed (void the invoice to free it).
    fn may_write(row: Option<&Trip>, values: Option<&Values>, who: Writer) -> bool {
        if row.is_some_and(|r| r.invoice_id.is_some()) {
            return false;
        }
        if who.role == Role::Admin {
            return true;
        }
        row.is_none_or(|r| r.data.user_id == Some(who.user_id))
            && values.is_none_or(|v| v.int(field::user_id.name) == Some(who.user_id))
    }
    /// Today, the tenant's mileage rate, billable, the user themself.
    fn defaults(conn: &mut AnyConnection, cs: &ClientScope, who: Writer) -> QueryResult<FormInput> {
        let rate: i64 = companies::table
            .find(cs.tenant_id())
            .select(companies::mileage_rate)
            .first(conn)?;
        let mut f = FormInput::default();
        f.set(field::start_date.name, cs.today().to_string());
        f.set(field::rate_per_mile.name, money::display_scaled(rate, 3));
        f.set_bool(field::billable.name, true);
        f.set(field::user_id.name, who.user_id.to_string());
        Ok(f)
    }

    scoped_crud!(
        table: client_trips,
        row: Trip,
        data: TripData,
        search: [purpose, notes],
        sort: { field::start_date.name => start_date, field::purpose.name => purpose, field::user_id.name => user_id, field::mileage.name => mileage, field::total_cost.name => total_cost, field::billable.name => billable },
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn totals_round_half_up_to_the_cent() {
        assert_eq!(super::total_cents(1250, 655), Some(819)); // 12.5 mi × 0.655 = 8.1875
        assert_eq!(super::total_cents(10000, 670), Some(6700));
        assert_eq!(super::total_cents(1, 1), Some(0));
        assert_eq!(super::total_cents(0, 670), Some(0));
        assert_eq!(super::total_cents(i64::MAX / 1000 - 1, 9_000_000), None);
    }
}
