//! The three generic pages (list, form, detail). Clients and every client sub-resource
//! render through them; a resource with a special view adds only that view.

use askama::Template;

use super::views::{ClientNav, FormView, Header, Item, Pager, RowView};
use crate::auth::Layout;
use crate::domain::forms::view::OptionView;
use crate::domain::resource::expiry::Badge;
use crate::domain::resource::ListQuery;

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    pub l: Layout,
    pub nav: Option<ClientNav>,
    pub heading: String,
    pub base: String,
    pub q: ListQuery,
    pub search_hint: &'static str,
    pub headers: Vec<Header>,
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub new_href: String,
    pub new_label: String,
    /// Status filter options; empty when the list has none.
    pub statuses: Vec<OptionView>,
    /// Other filter options (expiry…), sent as `filter`, and the label of "no filter".
    pub filters: Vec<OptionView>,
    pub filter_any: &'static str,
    /// Other views of the same list (month grid…), as (href, label).
    pub extra_links: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub l: Layout,
    pub nav: Option<ClientNav>,
    pub form: FormView,
}

#[derive(Template)]
#[template(path = "show.html")]
pub struct ShowPage {
    pub l: Layout,
    pub nav: Option<ClientNav>,
    pub heading: String,
    pub archived: bool,
    pub badge: Option<Badge>,
    pub items: Vec<Item>,
    /// Whether the record has secrets and so a Reveal button.
    pub can_reveal: bool,
    /// The tenant requires a reason for every reveal.
    pub reason_required: bool,
    /// Why the last reveal was refused (a missing reason).
    pub reveal_error: String,
    /// Other actions, as (href, label).
    pub links: Vec<(String, String)>,
    /// Where a permanent delete posts to; empty when the user may not.
    pub delete_action: String,
    /// Where the share-by-link form posts to; empty when the item or the user cannot.
    pub share_action: String,
    /// Secrets opened by a Reveal (label, value).
    pub revealed: Vec<crate::domain::resource::service::Revealed>,
    /// The resource's own view under the fields (already rendered and escaped).
    pub extra: String,
    /// Empty when the user may not edit (no Edit, Archive or Restore buttons).
    pub edit_href: String,
    /// Where archive / restore POST to (`…/archive`, `…/restore`).
    pub action_base: String,
    pub back_href: String,
}
