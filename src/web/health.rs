//! `GET /healthz`: the server answers. No database, no session, no template: a load
//! balancer's probe, and the ceiling `make bench` measures every page against.

use actix_web::HttpResponse;

pub async fn check() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body("ok\n")
}
