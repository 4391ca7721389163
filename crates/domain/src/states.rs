//! States stored as their names in a text column: readable in the database, the
//! export and the API, read back through Diesel on both backends, and compared by the
//! compiler instead of by spelling. A state type gives its `name` and `parse`; this
//! writes the rest once (text in and out, JSON, display) rather than per type.

/// Stores `$state` as its name in a `Text` column; reading a name it does not know is
/// an error naming `$what` (a row no code of ours wrote).
#[macro_export]
macro_rules! text_state {
    ($state:ty, $what:literal) => {
        impl<DB: diesel::backend::Backend> diesel::serialize::ToSql<diesel::sql_types::Text, DB>
            for $state
        where
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.name().to_sql(out)
            }
        }

        impl<DB: diesel::backend::Backend> diesel::deserialize::FromSql<diesel::sql_types::Text, DB>
            for $state
        where
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let name = String::from_sql(bytes)?;
                <$state>::parse(&name).ok_or_else(|| format!("{name:?} is not {}", $what).into())
            }
        }

        impl serde::Serialize for $state {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl std::fmt::Display for $state {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

/// `(name, label)` of every state of `$state` (its `ALL`), for a form's or a filter's
/// choices, made at compile time: `pub const CHOICES: &[(&str, &str)] =
/// &state_choices!(MyState);`
#[macro_export]
macro_rules! state_choices {
    ($state:ty) => {{
        let mut out = [("", ""); <$state>::ALL.len()];
        let mut i = 0;
        while i < out.len() {
            out[i] = (<$state>::ALL[i].name(), <$state>::ALL[i].label());
            i += 1;
        }
        out
    }};
}
