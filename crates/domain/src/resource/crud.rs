//! `scoped_crud!` writes a resource's data functions inside its `impl Resource`: every
//! query carries `tenant_id` and `client_id` from the `ClientScope`, search compares
//! `lower(column)` on both backends, and sort keys map to columns through a whitelist.

/// Usage, inside `impl Resource for X`:
/// `scoped_crud!(table: client_contacts, row: Contact, data: ContactData,
///   search: [name, email], sort: { "name" => name, "email" => email }, exclusive: is_primary);`
#[macro_export]
macro_rules! scoped_crud {
    (
        table: $t:ident,
        row: $Row:ty,
        data: $Data:ty,
        search: [$first:ident $(, $rest:ident)* $(,)?],
        sort: { $($key:expr => $col:ident),+ $(,)? }
        $(, exclusive: $flag:ident)?
        $(, expiry: $exp:ident)?
        $(, secrets: { $($sname:expr => $scol:ident),+ $(,)? })?
        $(,)?
    ) => {
        const SORTABLE: &'static [&'static str] = &[$($key),+];
        const TABLE: &'static str = stringify!($t);
        const SEARCH_COLUMNS: &'static [&'static str] = &[stringify!($first) $(, stringify!($rest))*];
        $(
            const FILTERS: &'static [(&'static str, &'static str)] = {
                const _COLUMN: &str = stringify!($exp);
                $crate::resource::expiry::FILTERS
            };
            const FILTER_ANY: &'static str = "Any expiry";
            const EXPIRY_COLUMN: Option<&'static str> = Some(stringify!($exp));

            fn expiry(row: &$Row) -> Option<chrono::NaiveDate> {
                row.data.$exp.filter(|_| Self::expiry_applies(row))
            }
        )?

        fn id(row: &$Row) -> i64 {
            row.id
        }

        fn archived(row: &$Row) -> bool {
            row.deleted_at.is_some()
        }

        fn count(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            cs: &$crate::scope::ClientScope,
            q: &$crate::list::ListQuery,
        ) -> diesel::QueryResult<i64> {
            use diesel::prelude::*;
            $crate::scoped_crud!(@filtered $t, cs, q, $first, [$($rest),*], [$($exp)?]).count().get_result(conn)
        }

        fn list(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            cs: &$crate::scope::ClientScope,
            q: &$crate::list::ListQuery,
        ) -> diesel::QueryResult<Vec<$Row>> {
            use diesel::prelude::*;
            use $crate::schema::$t;
            let query = $crate::scoped_crud!(@filtered $t, cs, q, $first, [$($rest),*], [$($exp)?]);
            let query = match q.sort.as_str() {
                $(
                    key if key == $key && q.desc => query.order($t::$col.desc()),
                    key if key == $key => query.order($t::$col.asc()),
                )+
                _ => query.order($t::id.asc()),
            };
            query
                .then_order_by($t::id.asc())
                .limit(q.per)
                .offset(q.offset())
                .select(<$Row>::as_select())
                .load(conn)
        }

        fn of_tenant(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            tenant: $crate::scope::TenantId,
            after: i64,
            limit: i64,
        ) -> diesel::QueryResult<Vec<(i64, $Row)>> {
            use diesel::prelude::*;
            use $crate::schema::$t;
            $crate::of_tenant!($t, tenant)
                .filter($t::id.gt(after))
                .order($t::id.asc())
                .limit(limit)
                .select(($t::client_id, <$Row>::as_select()))
                .load(conn)
        }

        fn find(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            cs: &$crate::scope::ClientScope,
            id: i64,
        ) -> diesel::QueryResult<$Row> {
            use diesel::prelude::*;
            $crate::scoped_crud!(@one $t, cs, id).select(<$Row>::as_select()).first(conn)
        }

        fn insert(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            cs: &$crate::scope::ClientScope,
            v: &$crate::forms::Values,
        ) -> diesel::QueryResult<i64> {
            use diesel::prelude::*;
            use $crate::schema::$t;
            let now = cs.now();
            diesel::insert_into($t::table)
                .values((
                    <$Data>::from(v),
                    $t::tenant_id.eq(cs.tenant_id()),
                    $t::client_id.eq(cs.client_id()),
                    $t::created_at.eq(now),
                    $t::updated_at.eq(now),
                ))
                .returning($t::id)
                .get_result(conn)
        }

        fn insert_many(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            rows: &[($crate::scope::ClientScope, $crate::forms::Values)],
        ) -> diesel::QueryResult<Vec<i64>> {
            use diesel::prelude::*;
            use $crate::schema::$t;
            let values: Vec<_> = rows
                .iter()
                .map(|(cs, v)| (
                    <$Data>::from(v),
                    $t::tenant_id.eq(cs.tenant_id()),
                    $t::client_id.eq(cs.client_id()),
                    $t::created_at.eq(cs.now()),
                    $t::updated_at.eq(cs.now()),
                ))
                .collect();
            let mut ids: Vec<i64> = $crate::with_backend!(conn, |c| diesel::insert_into($t::table)
                .values(&values)
                .returning($t::id)
                .get_results(c))?;
            // Neither database promises RETURNING's order, but both number one
            // statement's rows in the order they are given (the table's rowid or its
            // sequence, inside the write transaction): ascending ids are `rows`' order.
            ids.sort_unstable();
            Ok(ids)
        }

        fn update(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            cs: &$crate::scope::ClientScope,
            id: i64,
            v: &$crate::forms::Values,
        ) -> diesel::QueryResult<usize> {
            use diesel::prelude::*;
            use $crate::schema::$t;
            diesel::update($crate::scoped_crud!(@one $t, cs, id))
                .set((<$Data>::from(v), $t::updated_at.eq(cs.now())))
            .execute(conn)
        }

        fn set_deleted(
            conn: &mut $crate::mspdesk_platform::db::AnyConnection,
            cs: &$crate::scope::ClientScope,
            id: i64,
            at: Option<chrono::NaiveDateTime>,
        ) -> diesel::QueryResult<usize> {
            use diesel::prelude::*;
            use $crate::schema::$t;
            diesel::update($crate::scoped_crud!(@one $t, cs, id))
                .set(($t::deleted_at.eq(at), $t::updated_at.eq(cs.now())))
            .execute(conn)
        }

        $(
            fn clear_exclusive(
                conn: &mut $crate::mspdesk_platform::db::AnyConnection,
                cs: &$crate::scope::ClientScope,
                keep: Option<i64>,
            ) -> diesel::QueryResult<usize> {
                use diesel::prelude::*;
                use $crate::schema::$t;
                diesel::update(
                    $crate::of_client!($t, cs)
                        .filter($t::$flag.eq(true))
                        .filter($t::id.ne(keep.unwrap_or(-1))),
                )
                .set($t::$flag.eq(false))
                .execute(conn)
            }
        )?

        $(
            const SECRETS: &'static [&'static str] = &[$($sname),+];

            fn all_secrets(
                conn: &mut $crate::mspdesk_platform::db::AnyConnection,
                every: &$crate::scope::EveryTenant,
            ) -> diesel::QueryResult<Vec<$crate::resource::Sealed>> {
                use diesel::prelude::*;
                use $crate::schema::$t;
                let mut out = vec![];
                $(
                    let rows: Vec<(i64, i64, i64, Option<String>)> = $t::table
                        .filter($t::$scol.is_not_null())
                        .select(($t::id, $t::tenant_id, $t::client_id, $t::$scol))
                        .load(conn)?;
                    out.extend(rows.into_iter().map(|(id, tenant, client, value)| {
                        $crate::resource::Sealed {
                            scope: every.scope_of(tenant, client),
                            id,
                            field: $sname,
                            value: value.unwrap_or_default(),
                        }
                    }));
                )+
                Ok(out)
            }

            fn read_secret(
                conn: &mut $crate::mspdesk_platform::db::AnyConnection,
                cs: &$crate::scope::ClientScope,
                id: i64,
                field: &str,
            ) -> diesel::QueryResult<Option<String>> {
                use diesel::prelude::*;
                use $crate::schema::$t;
                match field {
                    $(f if f == $sname => $crate::scoped_crud!(@one $t, cs, id).select($t::$scol).first(conn),)+
                    _ => Ok(None),
                }
            }

            fn write_secret(
                conn: &mut $crate::mspdesk_platform::db::AnyConnection,
                cs: &$crate::scope::ClientScope,
                id: i64,
                field: &str,
                sealed: &str,
            ) -> diesel::QueryResult<usize> {
                use diesel::prelude::*;
                use $crate::schema::$t;
                match field {
                    $(f if f == $sname => diesel::update($crate::scoped_crud!(@one $t, cs, id))
                        .set($t::$scol.eq(Some(sealed)))
                        .execute(conn),)+
                    _ => Ok(0),
                }
            }
        )?
    };

    // One row by id, within the client scope.
    (@one $t:ident, $cs:ident, $id:ident) => {{
        use $crate::schema::$t;
        $crate::of_client!($t, $cs).filter($t::id.eq($id))
    }};

    (@filtered $t:ident, $cs:ident, $q:ident, $first:ident, [$($rest:ident),*], [$($exp:ident)?]) => {{
        use $crate::schema::$t;
        let mut query = $crate::of_client!($t, $cs)
            .into_boxed::<$crate::mspdesk_platform::db::MultiBackend>();
        if !$q.archived {
            query = query.filter($t::deleted_at.is_null());
        }
        if let Some(p) = $q.pattern() {
            let cond = $crate::mspdesk_platform::db::lower($t::$first.nullable()).like(p.clone()).escape('\\');
            $( let cond = cond.or($crate::mspdesk_platform::db::lower($t::$rest.nullable()).like(p.clone()).escape('\\')); )*
            query = query.filter(cond);
        }
        $(
            let today = $cs.today();
            if let Some((from, to)) = $crate::resource::expiry::bounds(&$q.filter, today) {
                if let Some(to) = to {
                    query = query.filter($t::$exp.le(to));
                }
                match (from, $q.filter.as_str()) {
                    (Some(from), "ok") => query = query.filter($t::$exp.ge(from).or($t::$exp.is_null())),
                    (Some(from), _) => query = query.filter($t::$exp.ge(from)),
                    (None, _) => {}
                }
            }
        )?
        query
    }};
}
