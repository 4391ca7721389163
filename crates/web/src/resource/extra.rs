//! The detail page's own part under the fields, rendered from what the resource
//! returned (`domain::resource::Extra`) by its template, so escaping applies.

use askama::Template;

use crate::domain::resource::links::Section;
use crate::domain::resource::{Extra, RackUnit};
use crate::domain::service_desk::projects::Progress;
use crate::domain::service_desk::timeline::{Event, TicketView};
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
    units: &'a [RackUnit],
}

/// What an extra's forms need from the page around it.
pub struct Frame<'a> {
    pub csrf: &'a str,
    /// The record's URL; its forms post under it.
    pub action: &'a str,
    /// The reader may change the record.
    pub can_write: bool,
}

/// One timeline entry, ready to show.
struct Line {
    at: String,
    who: String,
    /// Sanitized HTML of a reply's text; empty for a change.
    html: String,
    change: String,
    public: bool,
    /// Time booked by a reply ("1 h 30 min billable"), empty for none.
    time: String,
}

#[derive(Template)]
#[template(path = "detail/ticket.html")]
struct Ticket<'a> {
    t: &'a TicketView,
    details: String,
    resolution: String,
    lines: Vec<Line>,
    /// Time worked in all, and the billable part.
    total: String,
    billable: String,
    f: &'a Frame<'a>,
}

#[derive(Template)]
#[template(path = "detail/project.html")]
struct Project<'a> {
    p: &'a Progress,
}

/// Minutes as "2 h 05 min".
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
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
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    // A document's `#` sits under the page's own h1 (one per page): headings go one
    // level down, h6 staying h6.
    fn lower(level: HeadingLevel) -> HeadingLevel {
        HeadingLevel::try_from(level as usize + 1).unwrap_or(HeadingLevel::H6)
    }
    let parser = pulldown_cmark::Parser::new_ext(source, pulldown_cmark::Options::ENABLE_TABLES)
        .map(|event| match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: lower(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
            other => other,
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::clean(&html)
}

fn ticket<'a>(t: &'a TicketView, f: &'a Frame<'a>) -> Ticket<'a> {
    let lines = t
        .entries
        .iter()
        .map(|e| {
            let at = e.at.format("%Y-%m-%d %H:%M").to_string();
            match &e.event {
                Event::Reply(r) => Line {
                    at,
                    who: e.who.clone(),
                    html: markdown(&r.body),
                    change: String::new(),
                    public: r.public,
                    time: match (r.minutes, r.billable) {
                        (0, _) => String::new(),
                        (m, true) => format!("{} billable", duration(m.into())),
                        (m, false) => duration(m.into()),
                    },
                },
                Event::Change(text) => Line {
                    at,
                    who: e.who.clone(),
                    html: String::new(),
                    change: text.clone(),
                    public: false,
                    time: String::new(),
                },
            }
        })
        .collect();
    Ticket {
        details: t.details.as_deref().map(markdown).unwrap_or_default(),
        resolution: t.resolution.as_deref().map(markdown).unwrap_or_default(),
        lines,
        total: duration(t.minutes),
        billable: duration(t.billable_minutes),
        t,
        f,
    }
}

pub fn render(extra: &Extra, frame: &Frame) -> AppResult<String> {
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
        Extra::Ticket(t) => ticket(t, frame).render(),
        Extra::Project(p) => Project { p }.render(),
        Extra::Schedule { runs, active } => Schedule {
            runs,
            active: *active,
        }
        .render(),
    };
    out.map_err(|e| AppError::Internal(format!("template: {e}")))
}
