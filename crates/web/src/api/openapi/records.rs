//! The operations and schemas of records written from their field declarations:
//! clients and every registry resource.

use serde_json::{json, Map, Value};

use super::{id_param, reference, refusals, Doc, Op};
use crate::api::{json as record_json, MAX_PER};
use crate::domain::forms::Field;
use crate::domain::list::MAX_PAGE;
use crate::domain::registry;
use crate::domain::resource::{secret_fields, Resource};

impl Doc {
    pub(super) fn add(&mut self, path: &str, method: &str, op: Op) {
        let write = op.body.is_some() || method != "get";
        let mut responses = refusals(write);
        responses.insert(
            op.ok.0.into(),
            json!({ "description": "Done", "content": { "application/json": { "schema": op.ok.1 } } }),
        );
        let mut o = json!({
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": format!("{method}{}", path.replace(['/', '{', '}', '-', '.'], "_")),
            "parameters": op.params,
            "responses": responses,
        });
        if let Some(body) = op.body {
            o["requestBody"] = json!({ "required": true,
                "content": { "application/json": { "schema": body } } });
        }
        let entry = self
            .paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}));
        entry[method] = o;
    }

    /// A record's two schemas: what is returned (every field but secrets) and what
    /// may be sent (every writable field, secrets too; unknown fields refused).
    pub(super) fn record_schemas(
        &mut self,
        name: &str,
        fields: &[Field],
        of_client: bool,
        optional: &[Field],
    ) {
        let mut out = Map::new();
        out.insert("id".into(), json!({ "type": "integer", "format": "int64" }));
        if of_client {
            out.insert(
                "client_id".into(),
                json!({ "type": "integer", "format": "int64" }),
            );
        }
        out.insert("archived".into(), json!({ "type": "boolean" }));
        let mut input = Map::new();
        for f in fields {
            if !f.kind.is_secret() {
                out.insert(f.name.into(), record_json::schema(f));
            }
            if !f.computed {
                input.insert(f.name.into(), record_json::schema(f));
            }
        }
        let must: Vec<&String> = out
            .keys()
            .filter(|k| !optional.iter().any(|f| f.name == k.as_str()))
            .collect();
        self.schemas.insert(
            name.into(),
            json!({ "type": "object", "properties": out, "required": must }),
        );
        self.schemas.insert(
            format!("{name}Input"),
            json!({ "type": "object", "properties": input, "additionalProperties": false }),
        );
        self.schemas.insert(
            format!("{name}Page"),
            json!({ "type": "object", "required": ["items", "total", "page", "per"],
                "properties": { "items": { "type": "array", "items": reference(name) },
                "total": { "type": "integer" }, "page": { "type": "integer" },
                "per": { "type": "integer" } } }),
        );
    }
}

pub(super) fn list_params(
    sortable: &[&str],
    filters: &[(&str, &str)],
    statuses: &[(&str, &str)],
) -> Vec<Value> {
    let q = |name: &str, what: &str, schema: Value| json!({ "name": name, "in": "query", "required": false, "description": what, "schema": schema });
    let mut p = vec![
        q(
            "q",
            "Search text",
            json!({ "type": "string", "maxLength": 100 }),
        ),
        q(
            "sort",
            "Sort key",
            json!({ "type": "string", "enum": sortable }),
        ),
        q(
            "dir",
            "Direction",
            json!({ "type": "string", "enum": ["asc", "desc"] }),
        ),
        q(
            "page",
            "Page number",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE }),
        ),
        q(
            "per",
            "Records per page",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PER }),
        ),
        q(
            "archived",
            "Include archived records",
            json!({ "type": "boolean" }),
        ),
    ];
    if !filters.is_empty() {
        let values: Vec<&str> = filters.iter().map(|(v, _)| *v).collect();
        p.push(q(
            "filter",
            "Filter",
            json!({ "type": "string", "enum": values }),
        ));
    }
    if !statuses.is_empty() {
        let values: Vec<&str> = statuses.iter().map(|(v, _)| *v).collect();
        p.push(q(
            "status",
            "Status",
            json!({ "type": "string", "enum": values }),
        ));
    }
    p
}

/// The operations every record kind has: list, create, get, update, archive, restore.
pub(super) struct Crud<'a> {
    pub(super) base: String,
    pub(super) name: &'a str,
    pub(super) tag: &'a str,
    pub(super) scope: Vec<Value>,
    pub(super) list: Vec<Value>,
    pub(super) create: bool,
}

impl Doc {
    pub(super) fn crud(&mut self, c: Crud) {
        let one = format!("{}/{{id}}", c.base);
        let id = |scope: &[Value]| {
            let mut p = scope.to_vec();
            p.push(id_param("id", "The record's id"));
            p
        };
        let record = reference(c.name);
        let mut params = c.scope.clone();
        params.extend(c.list);
        self.add(
            &c.base,
            "get",
            Op {
                summary: format!("List {}", c.tag),
                tag: c.tag,
                params,
                body: None,
                ok: ("200", reference(&format!("{}Page", c.name))),
            },
        );
        if c.create {
            self.add(
                &c.base,
                "post",
                Op {
                    summary: format!("Create in {}", c.tag),
                    tag: c.tag,
                    params: c.scope.clone(),
                    body: Some(reference(&format!("{}Input", c.name))),
                    ok: ("201", record.clone()),
                },
            );
        }
        self.add(
            &one,
            "get",
            Op {
                summary: format!("Get one of {}", c.tag),
                tag: c.tag,
                params: id(&c.scope),
                body: None,
                ok: ("200", record.clone()),
            },
        );
        self.add(
            &one,
            "patch",
            Op {
                summary: format!("Update one of {} (only the given fields)", c.tag),
                tag: c.tag,
                params: id(&c.scope),
                body: Some(reference(&format!("{}Input", c.name))),
                ok: ("200", record.clone()),
            },
        );
        for action in ["archive", "restore"] {
            self.add(
                &format!("{one}/{action}"),
                "post",
                Op {
                    summary: format!("{action} one of {}", c.tag),
                    tag: c.tag,
                    params: id(&c.scope),
                    body: None,
                    ok: ("200", record.clone()),
                },
            );
        }
    }
}

pub(super) struct Visit<'a>(pub(super) &'a mut Doc);

impl registry::Visitor for Visit<'_> {
    fn visit<R: Resource>(&mut self) {
        let doc = &mut *self.0;
        let name = R::SLUG.replace('-', "_");
        doc.record_schemas(&name, R::FIELDS, true, &[]);
        let scope = vec![id_param("cid", "The client's id")];
        let base = crate::api::records::base::<R>();
        doc.crud(Crud {
            base: base.clone(),
            name: &name,
            tag: R::PLURAL,
            scope: scope.clone(),
            list: list_params(R::SORTABLE, R::FILTERS, &[]),
            create: !R::CUSTOM_CREATE,
        });
        if secret_fields::<R>().next().is_some() {
            let mut params = scope;
            params.push(id_param("id", "The record's id"));
            doc.add(&format!("{base}/{{id}}/reveal"), "post", Op {
                summary: format!("Reveal the secrets of one of {} (audited, with a reason)", R::PLURAL),
                tag: R::PLURAL, params,
                body: Some(json!({ "type": "object", "required": ["reason"], "additionalProperties": false,
                    "properties": { "reason": { "type": "string", "minLength": 1, "maxLength": 300 } } })),
                ok: ("200", reference("Revealed")) });
        }
    }
}
