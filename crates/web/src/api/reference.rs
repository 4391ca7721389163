//! The API's reference page: the OpenAPI document read back into HTML on the server
//! (no script, no build step), so what a reader sees is what a client is held to.

use actix_web::HttpResponse;
use askama::Template;
use serde_json::Value;

use super::openapi::document;
use crate::auth::Layout;
use crate::error::AppResult;

pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub params: Vec<(String, String)>,
    pub body: String,
    pub answer: String,
}

pub struct Group {
    pub anchor: String,
    pub tag: String,
    pub ops: Vec<Operation>,
}

pub struct Schema {
    pub name: String,
    /// (name, type, description, read only / write only)
    pub properties: Vec<(String, String, String, &'static str)>,
}

#[derive(Template)]
#[template(path = "api/reference.html")]
pub struct ReferencePage {
    pub l: Layout,
    pub groups: Vec<Group>,
    pub schemas: Vec<Schema>,
}

/// The name a `$ref` points at, or the type in words.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    let base = match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        Some(Value::String(t)) => t.clone(),
        _ => String::new(),
    };
    match schema.get("enum").and_then(Value::as_array) {
        Some(values) => {
            let values: Vec<String> = values.iter().map(Value::to_string).collect();
            format!("{base}: {}", values.join(", "))
        }
        None if base == "array" => format!("array of {}", type_of(&schema["items"])),
        None => base,
    }
}

fn operations(doc: &Value) -> Vec<Group> {
    let mut groups: Vec<Group> = vec![];
    for (path, methods) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in methods.as_object().into_iter().flatten() {
            let tag = op["tags"][0].as_str().unwrap_or("Other").to_string();
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let name = format!(
                        "{} ({})",
                        p["name"].as_str().unwrap_or(""),
                        p["in"].as_str().unwrap_or("")
                    );
                    (name, type_of(&p["schema"]))
                })
                .collect();
            let answer = op["responses"]
                .as_object()
                .and_then(|r| r.iter().find(|(code, _)| code.starts_with('2')))
                .map(|(code, r)| {
                    format!(
                        "{code} {}",
                        type_of(&r["content"]["application/json"]["schema"])
                    )
                })
                .unwrap_or_default();
            let operation = Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: op["summary"].as_str().unwrap_or("").to_string(),
                params,
                body: type_of(&op["requestBody"]["content"]["application/json"]["schema"]),
                answer,
            };
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(g) => g.ops.push(operation),
                None => groups.push(Group {
                    anchor: tag.to_lowercase().replace(' ', "-"),
                    tag,
                    ops: vec![operation],
                }),
            }
        }
    }
    groups
}

fn schemas(doc: &Value) -> Vec<Schema> {
    doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, s)| Schema {
            name: name.clone(),
            properties: s["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(p, ps)| {
                    let access = if ps["writeOnly"] == true {
                        "write only"
                    } else if ps["readOnly"] == true {
                        "read only"
                    } else {
                        ""
                    };
                    (
                        p.clone(),
                        type_of(ps),
                        ps["description"].as_str().unwrap_or("").to_string(),
                        access,
                    )
                })
                .collect(),
        })
        .collect()
}

pub async fn page() -> AppResult<HttpResponse> {
    let doc = document();
    crate::page(&ReferencePage {
        l: Layout::bare("API reference"),
        groups: operations(doc),
        schemas: schemas(doc),
    })
}
