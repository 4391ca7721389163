//! The OpenAPI 3.1 document, written from the code: each resource's operations and
//! schemas from the registry and its field declarations (`json::schema`, the same table
//! the API reads and writes by), clients and replies from theirs. A test holds it to
//! the route table both ways, so an API route cannot go undocumented.

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use super::{json as record_json, BASE, MAX_PER};
use crate::domain::directory::clients;
use crate::domain::forms::Field;
use crate::domain::registry;
use crate::domain::resource::list::MAX_PAGE;
use crate::domain::resource::{secret_fields, Resource};

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document().to_string())
}

/// The document (built once: it depends on the code only).
pub fn document() -> &'static Value {
    static DOC: std::sync::LazyLock<Value> = std::sync::LazyLock::new(build);
    &DOC
}

#[derive(Default)]
struct Doc {
    paths: Map<String, Value>,
    schemas: Map<String, Value>,
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn id_param(name: &str, what: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": what,
            "schema": { "type": "integer", "format": "int64" } })
}

/// The answers every operation may give besides its own.
fn refusals(write: bool) -> Map<String, Value> {
    let problem = |what: &str| {
        json!({ "description": what, "content": { "application/problem+json": {
            "schema": reference("Problem") } } })
    };
    let mut r = Map::new();
    r.insert("400".into(), problem("Malformed request (query or JSON)"));
    r.insert("401".into(), problem("No valid API key"));
    r.insert(
        "403".into(),
        problem("The key's role or read-only access does not allow this"),
    );
    r.insert("404".into(), problem("Not found, or not this tenant's"));
    let mut limited = problem("Too many requests with this key");
    limited["headers"] = json!({ "Retry-After": { "description": "Seconds to wait",
        "schema": { "type": "integer" } } });
    r.insert("429".into(), limited);
    if write {
        r.insert(
            "409".into(),
            problem("Conflicts with another record or a concurrent change"),
        );
        r.insert("413".into(), problem("Body too large"));
        r.insert("415".into(), problem("Body is not application/json"));
        r.insert(
            "422".into(),
            problem("Field errors, by field name, in `errors`"),
        );
    }
    r
}

struct Op<'a> {
    summary: String,
    tag: &'a str,
    params: Vec<Value>,
    body: Option<Value>,
    ok: (&'a str, Value),
}

impl Doc {
    fn add(&mut self, path: &str, method: &str, op: Op) {
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
    fn record_schemas(
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

fn list_params(
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
struct Crud<'a> {
    base: String,
    name: &'a str,
    tag: &'a str,
    scope: Vec<Value>,
    list: Vec<Value>,
    create: bool,
}

impl Doc {
    fn crud(&mut self, c: Crud) {
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

struct Visit<'a>(&'a mut Doc);

impl registry::Visitor for Visit<'_> {
    fn visit<R: Resource>(&mut self) {
        let doc = &mut *self.0;
        let name = R::SLUG.replace('-', "_");
        doc.record_schemas(&name, R::FIELDS, true, &[]);
        let scope = vec![id_param("cid", "The client's id")];
        let base = super::records::base::<R>();
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

fn build() -> Value {
    let mut doc = Doc::default();
    doc.record_schemas(
        "clients",
        &[clients::FIELDS, clients::BILLING_FIELDS].concat(),
        false,
        clients::BILLING_FIELDS,
    );
    doc.crud(Crud {
        base: format!("{BASE}/clients"),
        name: "clients",
        tag: "Clients",
        scope: vec![],
        list: list_params(clients::SORTABLE, &[], clients::STATUSES),
        create: true,
    });
    registry::each(&mut Visit(&mut doc));
    replies(&mut doc);
    doc.schemas.insert(
        "Problem".into(),
        json!({ "type": "object", "required": ["title", "status"],
        "properties": { "type": { "type": "string" }, "title": { "type": "string" },
        "status": { "type": "integer" }, "detail": { "type": "string" },
        "errors": { "type": "object", "additionalProperties": { "type": "string" } } } }),
    );
    doc.schemas.insert(
        "Revealed".into(),
        json!({ "type": "object", "required": ["id", "secrets"],
        "properties": { "id": { "type": "integer" }, "secrets": { "type": "array", "items": {
        "type": "object", "required": ["label", "value"], "properties": {
        "label": { "type": "string" }, "value": { "type": "string" } } } } } }),
    );
    json!({
        "openapi": "3.1.0",
        "info": { "title": "mspdesk API", "version": "1",
            "description": "Every call acts as the user of its key, with that user's role and client restrictions; read-only keys can only read. Errors are RFC 9457 problem details." },
        "security": [{ "bearer": [] }],
        "paths": doc.paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": doc.schemas,
        },
    })
}

fn replies(doc: &mut Doc) {
    let path = super::replies::path();
    let params = vec![
        id_param("cid", "The client's id"),
        id_param("id", "The ticket's id"),
    ];
    doc.schemas.insert(
        "Reply".into(),
        json!({ "type": "object",
        "required": ["id", "author", "body", "public", "minutes", "billable", "created_at"],
        "properties": { "id": { "type": "integer" }, "author": { "type": ["string", "null"] },
        "body": { "type": "string" }, "public": { "type": "boolean" },
        "minutes": { "type": "integer" }, "billable": { "type": "boolean" },
        "created_at": { "type": "string", "format": "date-time" } } }),
    );
    doc.schemas.insert(
        "Replies".into(),
        json!({ "type": "object", "required": ["items"],
        "properties": { "items": { "type": "array", "items": reference("Reply") } } }),
    );
    let statuses: Vec<&str> = crate::domain::service_desk::status::STATUSES
        .iter()
        .map(|(v, _)| *v)
        .collect();
    doc.schemas.insert("NewReply".into(), json!({ "type": "object", "additionalProperties": false,
        "properties": { "body": { "type": "string", "maxLength": 100000 },
        "public": { "type": "boolean" },
        "minutes": { "type": "integer", "minimum": 0,
            "maximum": crate::domain::service_desk::service::MAX_MINUTES },
        "billable": { "type": "boolean" },
        "status": { "type": "string", "enum": statuses, "description": "The ticket's new status" } } }));
    doc.add(
        &path,
        "get",
        Op {
            summary: "A ticket's replies, oldest first".into(),
            tag: "Tickets",
            params: params.clone(),
            body: None,
            ok: ("200", reference("Replies")),
        },
    );
    doc.add(
        &path,
        "post",
        Op {
            summary: "Reply to a ticket and/or change its status".into(),
            tag: "Tickets",
            params,
            body: Some(reference("NewReply")),
            ok: ("201", reference("Replies")),
        },
    );
}
