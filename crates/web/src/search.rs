//! `/search`: the top bar's box. Hits grouped by kind in rank order, the matched words
//! marked in the title and in a snippet of the text, twenty a page.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::{Ctx, Layout};
use crate::domain::registry;
use crate::domain::search::index::CLIENTS;
use crate::domain::search::query::{self, Hit};
use crate::error::AppResult;
use mspdesk_platform::db::Db;

const PER_PAGE: i64 = 20;
/// Characters of text shown around the first match.
const CONTEXT: usize = 70;

/// A run of text, marked when it matched.
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

pub struct HitView {
    pub href: String,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
    pub client: String,
}

pub struct Group {
    pub label: &'static str,
    pub hits: Vec<HitView>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    groups: Vec<Group>,
    page: i64,
    prev: String,
    next: String,
}

#[derive(Deserialize)]
pub struct Params {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

/// Splits `text` into runs, marking each word that starts with one of `words`.
fn mark(text: &str, words: &[String]) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = vec![];
    let mut push = |s: &str, hit: bool| match pieces.last_mut() {
        _ if s.is_empty() => {}
        Some(p) if p.hit == hit => p.text.push_str(s),
        _ => pieces.push(Piece {
            text: s.to_string(),
            hit,
        }),
    };
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        push(&rest[..start], false);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        let lower = word.to_lowercase();
        push(
            word,
            !word.is_empty() && words.iter().any(|w| lower.starts_with(w.as_str())),
        );
        rest = &rest[end..];
    }
    pieces
}

/// The part of `body` around its first matching word.
fn snippet(body: &str, words: &[String]) -> String {
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = body.to_lowercase();
    let at = words
        .iter()
        .filter_map(|w| lower.find(w.as_str()))
        .min()
        .unwrap_or(0);
    // `lower` and `body` can differ in byte length: count characters instead.
    let at_chars = lower[..at.min(lower.len())].chars().count();
    let from = at_chars.saturating_sub(CONTEXT);
    let text: String = body.chars().skip(from).take(CONTEXT * 2 + 20).collect();
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&text);
    if from + text.chars().count() < body.chars().count() {
        out.push('…');
    }
    out
}

fn href(h: &Hit) -> String {
    if h.kind == CLIENTS {
        format!("/clients/{}", h.record_id)
    } else {
        format!("/clients/{}/{}/{}", h.client_id, h.kind, h.record_id)
    }
}

fn label(kind: &str) -> &'static str {
    if kind == CLIENTS {
        return "Clients";
    }
    registry::all()
        .iter()
        .find(|r| r.slug == kind)
        .map_or("Records", |r| r.label)
}

pub async fn page(ctx: Ctx, db: Db, params: web::Query<Params>) -> AppResult<HttpResponse> {
    let p = params.into_inner();
    let q: String = p.q.trim().chars().take(200).collect();
    let page = p
        .page
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 500);
    let kinds = query::kinds(ctx.role(), &ctx.disabled);
    let (viewer, text) = (ctx.viewer(), q.clone());
    let mut hits = db
        .run(move |conn| {
            Ok(query::search(
                conn,
                viewer,
                &kinds,
                &text,
                PER_PAGE + 1,
                (page - 1) * PER_PAGE,
            )?)
        })
        .await?;
    let more = hits.len() as i64 > PER_PAGE;
    hits.truncate(PER_PAGE as usize);
    let words = query::terms(&q);
    let mut groups: Vec<Group> = vec![];
    for h in &hits {
        let view = HitView {
            href: href(h),
            title: mark(&h.title, &words),
            snippet: mark(&snippet(&h.body, &words), &words),
            client: if h.kind == CLIENTS {
                String::new()
            } else {
                h.client.clone()
            },
        };
        let l = label(&h.kind);
        match groups.iter_mut().find(|g| g.label == l) {
            Some(g) => g.hits.push(view),
            None => groups.push(Group {
                label: l,
                hits: vec![view],
            }),
        }
    }
    let at = |n: i64| {
        format!(
            "/search?q={}&page={n}",
            percent_encoding::utf8_percent_encode(&q, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    crate::page(&SearchPage {
        l: ctx.layout(if q.is_empty() {
            "Search".to_string()
        } else {
            format!("Search: {q}")
        }),
        groups,
        prev: if page > 1 {
            at(page - 1)
        } else {
            String::new()
        },
        next: if more { at(page + 1) } else { String::new() },
        page,
        q,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_starting_with_a_term_are_marked() {
        let pieces = mark("FW01 at Main-Office", &["fw".into(), "main".into()]);
        let marked: Vec<(&str, bool)> = pieces.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(
            marked,
            [
                ("FW01", true),
                (" at ", false),
                ("Main", true),
                ("-Office", false)
            ]
        );
    }

    #[test]
    fn the_snippet_is_around_the_first_match() {
        let body = format!("{} needle {}", "a ".repeat(200), "b ".repeat(200));
        let s = snippet(&body, &["needle".into()]);
        assert!(
            s.starts_with('…') && s.ends_with('…') && s.contains("needle"),
            "{s}"
        );
        assert!(s.chars().count() < 200);
    }
}
