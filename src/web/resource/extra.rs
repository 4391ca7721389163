//! The detail page's own part under the fields, rendered from what the resource
//! returned (`domain::resource::Extra`) by its template, so escaping applies.

use askama::Template;

use crate::domain::resource::links::Section;
use crate::domain::resource::Extra;
use crate::error::{AppError, AppResult};

#[derive(Template)]
#[template(path = "detail/links.html")]
struct Links<'a> {
    heading: &'a str,
    sections: &'a [Section],
}

#[derive(Template)]
#[template(path = "detail/rack.html")]
struct Rack<'a> {
    name: &'a str,
    units: &'a [i32],
}

#[derive(Template)]
#[template(path = "detail/document.html")]
struct Document {
    html: String,
}

#[derive(Template)]
#[template(path = "detail/file.html")]
struct File<'a> {
    href: &'a str,
    original_name: &'a str,
    size: &'a str,
    mime: &'a str,
}

#[derive(Template)]
#[template(path = "detail/schedule.html")]
struct Schedule<'a> {
    runs: &'a [String],
    active: bool,
}

/// Markdown as sanitized HTML: tables allowed, scripts and handlers stripped.
pub fn markdown(source: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(source, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::clean(&html)
}

pub fn render(extra: &Extra) -> AppResult<String> {
    let out = match extra {
        Extra::None => return Ok(String::new()),
        Extra::Links { heading, sections } => Links { heading, sections }.render(),
        Extra::Rack { name, units } => Rack { name, units }.render(),
        Extra::Markdown(source) => Document {
            html: markdown(source),
        }
        .render(),
        Extra::File {
            href,
            original_name,
            size,
            mime,
        } => File {
            href,
            original_name,
            size,
            mime,
        }
        .render(),
        Extra::Schedule { runs, active } => Schedule {
            runs,
            active: *active,
        }
        .render(),
    };
    out.map_err(|e| AppError::Internal(format!("template: {e}")))
}
