//! Technicians' trips to a client: mileage × rate per mile, computed by the server and
//! rounded to the cent (a posted total is ignored). The rate starts at the tenant's
//! setting.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::domain::forms::{Errors, Field, FormInput, Kind, RefKind, Values};
use crate::domain::money;
use crate::domain::resource::{Resource, Writer};
use crate::domain::schema::{client_trips, companies};
use crate::domain::scope::ClientScope;
use crate::domain::tenancy::users::Role;
use crate::platform::db::AnyConnection;
use crate::scoped_crud;

pub struct Trips;

/// Mileage is stored in hundredths of a mile, the rate in mills (1/1000), the total in
/// cents.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = client_trips, treat_none_as_null = true)]
pub struct TripData {
    pub user_id: Option<i64>,
    pub purpose: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub mileage: i64,
    pub rate_per_mile: i64,
    pub total_cost: i64,
    pub billable: bool,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = client_trips)]
pub struct Trip {
    pub id: i64,
    #[diesel(embed)]
    pub data: TripData,
    pub deleted_at: Option<NaiveDateTime>,
}

/// Hundredths of a mile × mills per mile → cents, half up; `None` when the total does
/// not fit (the form says so; it is never stored wrapped or clipped).
pub fn total_cents(mileage_hundredths: i64, rate_mills: i64) -> Option<i64> {
    mileage_hundredths
        .checked_mul(rate_mills)?
        .checked_add(500)
        .map(|t| t / 1000)
}

impl From<&Values> for TripData {
    fn from(v: &Values) -> Self {
        let mileage = v.int("mileage").unwrap_or(0);
        let rate_per_mile = v.int("rate_per_mile").unwrap_or(0);
        TripData {
            user_id: v.int("user_id"),
            purpose: v.req_text("purpose"),
            start_date: v.date("start_date").unwrap_or_default(),
            end_date: v.date("end_date"),
            mileage,
            rate_per_mile,
            // `check` refused a total that does not fit before a row is built.
            total_cost: total_cents(mileage, rate_per_mile).unwrap_or(0),
            billable: v.bool("billable"),
            notes: v.text("notes"),
        }
    }
}

impl Resource for Trips {
    const SLUG: &'static str = "trips";
    const SINGULAR: &'static str = "trip";
    const PLURAL: &'static str = "Trips";
    const FIELDS: &'static [Field] = &[
        Field::text("purpose", "Purpose").required(),
        Field::new("start_date", "Date", Kind::Date).required(),
        Field::new("end_date", "Until", Kind::Date),
        Field::new("mileage", "Miles", Kind::Decimal { scale: 2 }).required(),
        Field::new("rate_per_mile", "Rate per mile", Kind::Decimal { scale: 3 }).required(),
        Field::new("total_cost", "Total", Kind::Money).computed(),
        Field::new("billable", "Billable", Kind::Bool),
        Field::new("user_id", "Technician", Kind::Ref(RefKind::User)),
        Field::new("notes", "Notes", Kind::TextArea),
    ];
    const COLUMNS: &'static [&'static str] = &[
        "start_date",
        "purpose",
        "user_id",
        "mileage",
        "total_cost",
        "billable",
    ];
    const AREA: crate::domain::tenancy::policy::Area = crate::domain::tenancy::policy::Area::Trips;
    const SEARCH_HINT: &'static str = "Purpose, notes";

    type Row = Trip;

    fn title(row: &Trip) -> String {
        format!("{} — {}", row.data.start_date, row.data.purpose)
    }
    fn to_input(row: &Trip) -> FormInput {
        let d = &row.data;
        let mut f = FormInput::default();
        f.set("purpose", &d.purpose);
        f.set("start_date", d.start_date.to_string());
        f.set_opt("end_date", d.end_date);
        f.set("mileage", money::display_scaled(d.mileage, 2));
        f.set("rate_per_mile", money::display_scaled(d.rate_per_mile, 3));
        f.set("total_cost", money::to_input(d.total_cost));
        f.set_bool("billable", d.billable);
        f.set_opt("user_id", d.user_id);
        f.set_opt("notes", d.notes.as_ref());
        f
    }
    fn check(v: &Values, errors: &mut Errors) {
        let (miles, rate) = (
            v.int("mileage").unwrap_or(0),
            v.int("rate_per_mile").unwrap_or(0),
        );
        if total_cents(miles, rate).is_none() {
            errors.add("mileage", "Miles × rate per mile is too large an amount.");
        }
        if let (Some(start), Some(end)) = (v.date("start_date"), v.date("end_date")) {
            if end < start {
                errors.add("end_date", "A trip cannot end before it starts.");
            }
        }
    }
    /// A Tech records and edits only their own trips; an Admin anyone's.
    fn may_write(row: Option<&Trip>, values: Option<&Values>, who: Writer) -> bool {
        if who.role == Role::Admin {
            return true;
        }
        row.is_none_or(|r| r.data.user_id == Some(who.user_id))
            && values.is_none_or(|v| v.int("user_id") == Some(who.user_id))
    }
    /// Today, the tenant's mileage rate, billable, the user themself.
    fn defaults(conn: &mut AnyConnection, cs: &ClientScope, who: Writer) -> QueryResult<FormInput> {
        let rate: i64 = companies::table
            .find(cs.tenant_id())
            .select(companies::mileage_rate)
            .first(conn)?;
        let mut f = FormInput::default();
        f.set("start_date", chrono::Utc::now().date_naive().to_string());
        f.set("rate_per_mile", money::display_scaled(rate, 3));
        f.set_bool("billable", true);
        f.set("user_id", who.user_id.to_string());
        Ok(f)
    }

    scoped_crud!(
        table: client_trips,
        row: Trip,
        data: TripData,
        search: [purpose, notes],
        sort: { "start_date" => start_date, "purpose" => purpose, "user_id" => user_id, "mileage" => mileage, "total_cost" => total_cost, "billable" => billable },
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
