//! Form machinery shared by every resource: fields describe themselves, raw input is
//! parsed and validated by field kind, and the same descriptions drive the form, the
//! detail view and the list cells.

pub mod dates;
pub mod field;
pub mod net;
pub mod stored;
pub mod values;
pub mod view;

pub use field::{choice_label, choice_value, Field, Kind, RefKind};
pub use stored::Stored;
pub use values::{key_text, parse, parse_checked, same_value, Errors, FormInput, Value, Values};
pub use view::{display, form_view, shown, FieldView, RefOptions};
