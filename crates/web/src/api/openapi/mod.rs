//! The OpenAPI 3.1 document, written from the code: each resource's operations and
//! schemas from the registry and its field declarations (`json::schema`, the same table
//! the API reads and writes by), clients and replies from theirs. A test holds it to
//! the route table both ways, so an API route cannot go undocumented.

mod hand;
mod records;

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use super::BASE;
use crate::domain::clients;
use crate::domain::registry;

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
pub(super) struct Doc {
    pub(super) paths: Map<String, Value>,
    pub(super) schemas: Map<String, Value>,
}

pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(super) fn id_param(name: &str, what: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": what,
            "schema": { "type": "integer", "format": "int64" } })
}

/// The answers every operation may give besides its own.
pub(super) fn refusals(write: bool) -> Map<String, Value> {
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

pub(super) struct Op<'a> {
    pub(super) summary: String,
    pub(super) tag: &'a str,
    pub(super) params: Vec<Value>,
    pub(super) body: Option<Value>,
    pub(super) ok: (&'a str, Value),
}

fn build() -> Value {
    let mut doc = Doc::default();
    doc.record_schemas(
        "clients",
        &[clients::FIELDS, clients::BILLING_FIELDS].concat(),
        false,
        clients::BILLING_FIELDS,
    );
    doc.crud(records::Crud {
        base: format!("{BASE}/clients"),
        name: "clients",
        tag: "Clients",
        scope: vec![],
        list: records::list_params(clients::SORTABLE, &[], clients::STATUSES),
        create: true,
    });
    registry::each(&mut records::Visit(&mut doc));
    hand::replies(&mut doc);
    hand::finance(&mut doc);
    doc.schemas.insert(
        "Problem".into(),
        json!({ "type": "object", "required": ["title", "status"],
        "properties": { "type": { "type": "string" }, "title": { "type": "string" },
        "status": { "type": "integer" }, "detail": { "type": "string" },
        "code": { "type": "string" },
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
