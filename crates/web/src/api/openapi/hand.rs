//! Operations written by hand: ticket replies and money documents, whose bodies are
//! not a record's fields.

use serde_json::{json, Map, Value};

use super::{id_param, reference, Doc, Op};
use crate::api::{BASE, MAX_PER};
use crate::domain::list::MAX_PAGE;

pub(super) fn replies(doc: &mut Doc) {
    let path = crate::api::replies::path();
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

/// Invoices, payments and quotes (`web::api::finance`).
pub(super) fn finance(doc: &mut Doc) {
    let text = json!({ "type": "string" });
    let maybe = |t: &str| json!({ "type": [t, "null"] });
    let amount = json!({ "type": ["string", "null"], "description": "Decimal amount in the document's currency" });
    let line = json!({ "type": "object", "additionalProperties": false,
        "required": ["description", "quantity", "unit_price"],
        "properties": { "description": text, "quantity": text, "unit_price": text,
            "tax_percent": text, "discount_percent": text } });
    doc.schemas.insert("Line".into(), line);
    let lines = json!({ "type": "array", "items": reference("Line") });
    let props = |names: &[&str], schema: &Value| -> Map<String, Value> {
        names
            .iter()
            .map(|n| ((*n).to_string(), schema.clone()))
            .collect()
    };
    let mut invoice = props(&["id", "client_id"], &json!({ "type": "integer" }));
    invoice.extend(props(&["number", "quote_id"], &maybe("integer")));
    invoice.extend(props(
        &["reference", "issue_date", "due_date", "notes"],
        &maybe("string"),
    ));
    invoice.extend(props(&["status", "currency"], &text));
    invoice.extend(props(
        &["subtotal", "discount", "tax", "total", "paid", "balance"],
        &amount,
    ));
    let required: Vec<String> = invoice.keys().cloned().collect();
    invoice.insert("lines".into(), lines.clone());
    invoice.insert(
        "payments".into(),
        json!({ "type": "array", "items": reference("Payment") }),
    );
    doc.schemas.insert(
        "Invoice".into(),
        json!({ "type": "object", "properties": invoice, "required": required }),
    );
    let mut payment = props(
        &["id", "client_id", "invoice_id"],
        &json!({ "type": "integer" }),
    );
    payment.extend(props(&["paid_on", "currency", "method"], &text));
    payment.insert("amount".into(), amount.clone());
    payment.insert("reference".into(), maybe("string"));
    let required: Vec<String> = payment.keys().cloned().collect();
    doc.schemas.insert(
        "Payment".into(),
        json!({ "type": "object", "properties": payment, "required": required }),
    );
    let mut quote = props(&["id", "client_id"], &json!({ "type": "integer" }));
    quote.extend(props(
        &[
            "reference",
            "status",
            "currency",
            "issue_date",
            "expires_on",
        ],
        &text,
    ));
    quote.extend(props(&["notes"], &maybe("string")));
    quote.extend(props(&["invoice_id"], &maybe("integer")));
    quote.extend(props(&["subtotal", "discount", "tax", "total"], &amount));
    let required: Vec<String> = quote.keys().cloned().collect();
    quote.insert("lines".into(), lines.clone());
    doc.schemas.insert(
        "Quote".into(),
        json!({ "type": "object", "properties": quote, "required": required }),
    );
    for name in ["Invoice", "Payment", "Quote"] {
        doc.schemas.insert(
            format!("{name}Page"),
            json!({ "type": "object",
            "required": ["items", "total", "page", "per"], "properties": {
            "items": { "type": "array", "items": reference(name) }, "total": { "type": "integer" },
            "page": { "type": "integer" }, "per": { "type": "integer" } } }),
        );
    }
    doc.schemas.insert("Draft".into(), json!({ "type": "object", "additionalProperties": false,
        "properties": { "lines": lines, "notes": maybe("string"),
            "expires_on": { "type": ["string", "null"], "description": "Quotes only: YYYY-MM-DD" } } }));
    let methods: Vec<&str> = crate::domain::finance::payments::METHODS
        .iter()
        .map(|(m, _)| *m)
        .collect();
    doc.schemas.insert(
        "NewPayment".into(),
        json!({ "type": "object", "additionalProperties": false,
        "required": ["amount", "paid_on", "method"], "properties": {
            "amount": { "type": "string", "description": "Decimal amount, e.g. 100.00" },
            "paid_on": { "type": "string", "description": "YYYY-MM-DD" },
            "method": { "type": "string", "enum": methods }, "reference": text } }),
    );

    let q = |name: &str, schema: Value| json!({ "name": name, "in": "query", "required": false, "schema": schema });
    let window = vec![
        q(
            "page",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE }),
        ),
        q(
            "per",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PER }),
        ),
    ];
    let mut statuses: Vec<&str> = vec!["all", "open", "overdue"];
    statuses.extend(crate::domain::finance::invoices::InvoiceStatus::ALL.map(|s| s.name()));
    let mut filtered = window.clone();
    filtered.push(q("status", json!({ "type": "string", "enum": statuses })));
    filtered.push(q("client_id", json!({ "type": "integer" })));
    let tag = "Money";
    for (path, name, params) in [
        ("invoices", "Invoice", filtered),
        ("payments", "Payment", window.clone()),
        ("quotes", "Quote", window),
    ] {
        doc.add(
            &format!("{BASE}/{path}"),
            "get",
            Op {
                summary: format!("List {path} of every client the key may open"),
                tag,
                params,
                body: None,
                ok: ("200", reference(&format!("{name}Page"))),
            },
        );
    }
    let scope = vec![id_param("cid", "The client's id")];
    let one = || {
        vec![
            id_param("cid", "The client's id"),
            id_param("id", "The document's id"),
        ]
    };
    for (path, name, steps) in [
        ("invoices", "Invoice", &["send", "void"][..]),
        ("quotes", "Quote", &["send", "accept", "decline"][..]),
    ] {
        let base = format!("{BASE}/clients/{{cid}}/{path}");
        doc.add(
            &base,
            "post",
            Op {
                summary: format!("Create a draft of {path}"),
                tag,
                params: scope.clone(),
                body: Some(reference("Draft")),
                ok: ("201", reference(name)),
            },
        );
        doc.add(
            &format!("{base}/{{id}}"),
            "get",
            Op {
                summary: format!("One of {path}, with its lines"),
                tag,
                params: one(),
                body: None,
                ok: ("200", reference(name)),
            },
        );
        doc.add(
            &format!("{base}/{{id}}"),
            "patch",
            Op {
                summary: format!("Change a draft of {path}"),
                tag,
                params: one(),
                body: Some(reference("Draft")),
                ok: ("200", reference(name)),
            },
        );
        for step in steps {
            doc.add(
                &format!("{base}/{{id}}/{step}"),
                "post",
                Op {
                    summary: format!("{step} one of {path}"),
                    tag,
                    params: one(),
                    body: None,
                    ok: ("200", reference(name)),
                },
            );
        }
    }
    doc.add(
        &format!("{BASE}/clients/{{cid}}/invoices/{{id}}/payments"),
        "post",
        Op {
            summary: "Record a payment on a sent invoice".into(),
            tag,
            params: one(),
            body: Some(reference("NewPayment")),
            ok: ("201", reference("Invoice")),
        },
    );
}
