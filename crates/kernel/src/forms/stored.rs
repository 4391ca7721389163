//! How a stored column reads from validated form values and shows in a form, by its
//! Rust type and the field's kind: the conversions every resource used to write out
//! field by field.

use chrono::{NaiveDate, NaiveDateTime};

use super::field::{Field, Kind};
use super::values::{FormInput, Values};
use crate::money;

/// A column's value, read from a parsed form and shown in one.
pub trait Stored: Sized {
    fn read(v: &Values, f: &Field) -> Self;
    fn show(&self, f: &Field, input: &mut FormInput);
}

const DATETIME: &str = "%Y-%m-%dT%H:%M";

/// A number as its field shows it: money with cents, decimals at their scale.
fn number(n: i64, f: &Field) -> String {
    match f.kind {
        Kind::Money => money::to_input(n),
        Kind::Decimal { scale } => money::display_scaled(n, scale as i64),
        _ => n.to_string(),
    }
}

impl Stored for String {
    /// Text, or a JSON list for list kinds (tags, host names).
    fn read(v: &Values, f: &Field) -> Self {
        match f.kind {
            Kind::Tags | Kind::HostnameLines => v.json_list(f.name),
            _ => v.text(f.name).unwrap_or_default(),
        }
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        match f.kind {
            Kind::Tags => input.set_list(f.name, self, ", "),
            Kind::HostnameLines => input.set_list(f.name, self, "\n"),
            _ => input.set(f.name, self),
        }
    }
}

impl Stored for Option<String> {
    fn read(v: &Values, f: &Field) -> Self {
        v.text(f.name)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set_opt(f.name, self.as_ref());
    }
}

impl Stored for bool {
    fn read(v: &Values, f: &Field) -> Self {
        v.bool(f.name)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set_bool(f.name, *self);
    }
}

impl Stored for i64 {
    fn read(v: &Values, f: &Field) -> Self {
        v.int(f.name).unwrap_or(0)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set(f.name, number(*self, f));
    }
}

impl Stored for Option<i64> {
    fn read(v: &Values, f: &Field) -> Self {
        v.int(f.name)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set_opt(f.name, self.map(|n| number(n, f)));
    }
}

impl Stored for i32 {
    /// A required number (validation guarantees it), or the field's minimum.
    fn read(v: &Values, f: &Field) -> Self {
        let min = match f.kind {
            Kind::Integer { min, .. } => i32::try_from(min).unwrap_or(0),
            _ => 0,
        };
        v.int32(f.name).unwrap_or(min)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set(f.name, self.to_string());
    }
}

impl Stored for Option<i32> {
    fn read(v: &Values, f: &Field) -> Self {
        v.int32(f.name)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set_opt(f.name, *self);
    }
}

impl Stored for NaiveDate {
    fn read(v: &Values, f: &Field) -> Self {
        v.date(f.name).unwrap_or_default()
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set(f.name, self.to_string());
    }
}

impl Stored for Option<NaiveDate> {
    fn read(v: &Values, f: &Field) -> Self {
        v.date(f.name)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set_opt(f.name, *self);
    }
}

impl Stored for NaiveDateTime {
    fn read(v: &Values, f: &Field) -> Self {
        v.datetime(f.name).unwrap_or_default()
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set(f.name, self.format(DATETIME).to_string());
    }
}

impl Stored for Option<NaiveDateTime> {
    fn read(v: &Values, f: &Field) -> Self {
        v.datetime(f.name)
    }
    fn show(&self, f: &Field, input: &mut FormInput) {
        input.set_opt(f.name, self.map(|d| d.format(DATETIME)));
    }
}

/// Declares a record's editable fields once. Each member names its column (the data
/// struct is a diesel row of the table) and carries its `Field` (form name, label,
/// kind), which is also a const in the named module (`mod field`) — so `FIELDS`, list columns and sort
/// keys refer to fields by identifier, and a typo does not compile. Reading from
/// validated values and showing in a form follow from the member's type and kind.
#[macro_export]
macro_rules! form_record {
    // A record whose computed members (`Field::computed`) are filled by `$hook` after the
    // others are read (a trip's total from its miles and rate).
    (
        $(#[$meta:meta])*
        pub struct $Data:ident for $table:ident as $fields:ident, then $hook:path {
            $( $member:ident : $ty:ty = $field:expr ),* $(,)?
        }
    ) => {
        $crate::form_record!(@define $(#[$meta])* $Data $table $fields { $( $member : $ty = $field ),* });
        impl From<&$crate::forms::Values> for $Data {
            fn from(v: &$crate::forms::Values) -> Self {
                let mut data = $Data::read_fields(v);
                $hook(&mut data);
                data
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $Data:ident for $table:ident as $fields:ident {
            $( $member:ident : $ty:ty = $field:expr ),* $(,)?
        }
    ) => {
        $crate::form_record!(@define $(#[$meta])* $Data $table $fields { $( $member : $ty = $field ),* });
        impl From<&$crate::forms::Values> for $Data {
            fn from(v: &$crate::forms::Values) -> Self {
                $Data::read_fields(v)
            }
        }
    };
    (@define $(#[$meta:meta])* $Data:ident $table:ident $fields:ident {
        $( $member:ident : $ty:ty = $field:expr ),*
    }) => {
        /// One `Field` per member of the record: its form name, label and kind.
        #[allow(non_upper_case_globals, unused_imports)]
        pub mod $fields {
            use super::*;
            $( pub const $member: $crate::forms::Field = $field; )*
        }

        // A blank field is NULL on insert as on update (not the column's DEFAULT): the
        // same row either way, and SQLite can take many rows in one INSERT (diesel
        // writes one statement per row when a value may be DEFAULT).
        $(#[$meta])*
        #[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
        #[diesel(table_name = $table, treat_none_as_null = true, treat_none_as_default_value = false)]
        pub struct $Data {
            $( pub $member: $ty, )*
        }

        impl $Data {
            /// The members a form gives (a computed one starts at its default).
            pub fn read_fields(v: &$crate::forms::Values) -> Self {
                $Data {
                    $( $member: if $fields::$member.computed {
                        Default::default()
                    } else {
                        $crate::forms::Stored::read(v, &$fields::$member)
                    }, )*
                }
            }

            /// The record as its form shows it.
            pub fn show(&self, input: &mut $crate::forms::FormInput) {
                $( $crate::forms::Stored::show(&self.$member, &$fields::$member, input); )*
            }
        }
    };
}
