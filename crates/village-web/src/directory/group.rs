//! A group's page in the directory: what it is, its offers, how to reach it, and what the
//! stories about it say (how many, answered, changes made).

use super::pages::{view, web_link, ResultView};
use crate::auth::MaybeSignedIn;
use crate::csrf::CsrfToken;
use crate::extract::Path;
use crate::pages::{self, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;
use village_app::directory::records;
use village_domain::stories::follow_up::Figures;

#[derive(Template)]
#[template(path = "directory/group.html")]
struct GroupPage {
    layout: Layout,
    name: String,
    description: String,
    email: Option<String>,
    url: Option<String>,
    offers: Vec<ResultView>,
    /// Where to raise a safeguarding concern about the group.
    concern_href: String,
    /// Where to tell a story about the group.
    story_href: String,
    /// The stories about it, in figures (when there are any), and where to read them.
    stories: Option<StoryFigures>,
    stories_href: String,
    /// The group's answers it kept when the stories they answered went: (when, change, words).
    kept: Vec<(String, &'static str, String)>,
    /// The group's introductions, for its organisers and stewards.
    inbox_href: Option<String>,
    /// Its gatherings still to come (link, title, when), and its calendar to subscribe to.
    gatherings: Vec<(String, String, String)>,
    calendar_href: String,
}

pub(crate) async fn view_group_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let rows = records::offers_of_group(&state, &id).await;
    let rows = rows?;
    let group = rows
        .iter()
        .filter_map(|(_, doc)| serde_json::from_str::<Value>(doc).ok())
        .find_map(|d| d.get("organization").cloned());
    let Some(group) = group else {
        return Ok(pages::problem(
            &state,
            identity.as_ref(),
            &csrf,
            StatusCode::NOT_FOUND,
            "We cannot find that group",
            &["It may not have any offers at the moment. Try searching the directory."],
        ));
    };
    let field = |k: &str| group.get(k).and_then(Value::as_str).map(str::to_string);
    let name = field("name").unwrap_or_else(|| "A community group".into());
    let organises = match &identity {
        Some(who) => {
            village_domain::access::check(
                &who.actor(),
                village_domain::access::Action::ReviewOffers,
            )
            .is_ok()
                || records::is_organiser(&state, &id, who.user.id)
                    .await
                    .unwrap_or(false)
        }
        None => false,
    };
    Ok(pages::page(&GroupPage {
        inbox_href: organises.then(|| {
            format!(
                "/groups/{}/introductions",
                form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
            )
        }),
        layout: Layout::new(&state, identity.as_ref(), &csrf, "/directory", name.clone()),
        description: field("description").unwrap_or_default(),
        email: field("email"),
        url: field("website")
            .or_else(|| field("url"))
            .as_deref()
            .and_then(web_link),
        offers: rows
            .iter()
            .filter_map(|(_, doc)| view(doc, None, state.settings.hub.distances))
            .collect(),
        concern_href: format!(
            "/concerns/new?group={}",
            form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        ),
        story_href: format!(
            "/stories/new?group={}",
            form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        ),
        stories_href: format!(
            "/stories?group={}",
            form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        ),
        kept: village_app::stories::answers::kept(&state, &id)
            .await?
            .into_iter()
            .map(|k| {
                (
                    village_domain::dates::day_of(k.at),
                    k.change.words(),
                    k.body,
                )
            })
            .collect(),
        stories: village_app::stories::answers::group_figures(&state, &id)
            .await
            .map(|f| (f.stories > 0).then(|| story_figures(&f)))?,
        gatherings: group_gatherings(&state, &id).await?,
        calendar_href: format!(
            "/gatherings.ics?group={}",
            form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        ),
        name,
    }))
}

/// A group's gatherings still to come, as its page lists them (link, title, next time).
async fn group_gatherings(
    state: &AppState,
    id: &str,
) -> Result<Vec<(String, String, String)>, village_app::Error> {
    let t = crate::now();
    let listing = village_app::gatherings::Listing {
        group: Some(id.to_string()),
        ..Default::default()
    };
    Ok(village_app::gatherings::list(state, &listing, t)
        .await?
        .iter()
        .map(|g| {
            let item = crate::gatherings::pages::item(g, t);
            let when = match item.flag {
                "" => item.when,
                flag => format!("{}. {flag}", item.when),
            };
            (village_app::gatherings::link(g.id), item.title, when)
        })
        .collect())
}

/// A group's story figures in words.
pub struct StoryFigures {
    stories: usize,
    answered: usize,
    /// "about 3 days", when any were answered.
    first_answer: Option<String>,
    change_made: usize,
    said_changed: usize,
}

fn story_figures(f: &Figures) -> StoryFigures {
    StoryFigures {
        stories: f.stories,
        answered: f.answered,
        first_answer: f.median_days_to_first_answer.map(|d| match d {
            d if d < 1.0 => "less than a day".to_string(),
            d if d < 1.5 => "about a day".to_string(),
            d => format!("about {} days", d.round()),
        }),
        change_made: f.change_made,
        said_changed: f.said_changed,
    }
}
