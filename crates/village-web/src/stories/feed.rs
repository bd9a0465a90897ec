//! `/stories.atom`: published stories that anyone may read and whose authors let others
//! reuse them (`public` and `open_data`), newest first, as an Atom 1.0 feed (RFC 4287) under
//! the hub's open licence. Made by `atom_syndication`; a withdrawn story is gone from it on
//! the next request, as the feed is made from the stories as they are.

use crate::pages::PageResult;
use crate::AppState;
use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use chrono::DateTime;

/// The most stories the feed carries.
const FEED_MOST: usize = 100;

fn moment(ts: i64) -> FixedDateTime {
    DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .fixed_offset()
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.into(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    }
}

pub(crate) async fn view_feed(State(state): State<AppState>) -> PageResult {
    let mut rows = village_app::stories::published(&state, None, true, &Default::default()).await?;
    rows.truncate(FEED_MOST);
    let themes = village_app::stories::themes_of_each(&state, &rows).await?;
    let settings = &state.settings;
    let licence = &settings.stories.licence;
    let rights = Text::plain(format!(
        "Each story is its teller's, shared under {} ({}).",
        licence.name, licence.url
    ));
    let entries: Vec<Entry> = rows
        .iter()
        .zip(themes)
        .map(|(row, themes)| {
            let url = settings.link(&format!("/stories/{}", row.id));
            let published = moment(row.published_at.unwrap_or(row.submitted_at));
            Entry {
                id: url.clone(),
                title: Text::plain(row.published_title.clone().unwrap_or_default()),
                updated: published,
                published: Some(published),
                authors: vec![Person {
                    name: row.screen_name.clone(),
                    ..Default::default()
                }],
                links: vec![
                    link(url, "alternate", Some("text/html")),
                    link(licence.url.clone(), "license", None),
                ],
                categories: themes
                    .iter()
                    .map(|code| Category {
                        term: code.clone(),
                        scheme: Some(settings.link("/stories")),
                        label: village_domain::stories::themes::name(
                            &settings.stories.themes,
                            code,
                        )
                        .map(str::to_string),
                    })
                    .collect(),
                content: Some(Content {
                    value: row.published_body.clone(),
                    content_type: Some("text".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        title: Text::plain(format!("Stories from {}", settings.hub.name)),
        id: settings.link("/stories.atom"),
        updated: entries
            .first()
            .map(|e| e.updated)
            .unwrap_or_else(|| moment(crate::now())),
        authors: vec![Person {
            name: settings.hub.name.clone(),
            uri: Some(settings.link("/")),
            ..Default::default()
        }],
        links: vec![
            link(
                settings.link("/stories.atom"),
                "self",
                Some("application/atom+xml"),
            ),
            link(settings.link("/stories"), "alternate", Some("text/html")),
            link(licence.url.clone(), "license", None),
        ],
        rights: Some(rights),
        subtitle: Some(Text::plain(
            "What happened to people here, in their own words.",
        )),
        lang: Some("en-GB".into()),
        entries,
        ..Default::default()
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}
