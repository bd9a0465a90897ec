//! Gathering pages: the list and the calendars (here), making one (`new`), one gathering
//! with everything people do there (`gathering`), open-space sessions (`sessions`) and the
//! minutes (`minutes`).

mod gathering;
mod minutes;
mod new;
mod sessions;

pub(crate) use gathering::*;
pub(crate) use minutes::*;
pub(crate) use new::*;
pub(crate) use sessions::*;

use crate::auth::{MaybeSignedIn, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, field_errors, Errors, Layout, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use village_app::accounts::Identity;
use village_app::gatherings::{self as gatherings, Listing};
use village_app::Error;
use village_domain::dates;
use village_domain::gatherings::gathering::{state_at, State as GatheringState};
use village_store::gatherings::GatheringRow;

/// A gathering as a list shows it.
pub struct Item {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    /// "Cancelled", "Not published yet", "Has happened" or empty.
    pub flag: &'static str,
    /// "Every week", "Every month", or empty for one that happens once.
    pub repeats: &'static str,
}

/// "Thursday 10 December 2026, 2pm to 4pm" (see `village_domain::dates::span`).
pub fn when_words(starts: i64, ends: i64) -> String {
    dates::span(starts, ends)
}

/// Where, as a list says it: the venue's name (or the address), and "online" too.
fn short_place(row: &GatheringRow) -> String {
    let mut parts: Vec<&str> = row
        .venue
        .as_deref()
        .or(row.address.as_deref())
        .or(row.postcode.as_deref())
        .into_iter()
        .collect();
    if row.online_url.is_some() {
        parts.push("Online");
    }
    parts.join(", ")
}

pub(crate) fn item(row: &GatheringRow, t: i64) -> Item {
    Item {
        id: row.id,
        title: row.title.clone(),
        when: match gatherings::next_time(row, t) {
            Some((s, e)) => when_words(s, e),
            None => when_words(row.starts_at, row.ends_at),
        },
        repeats: match row.series().repeats {
            village_domain::gatherings::gathering::Repeats::Once => "",
            r => r.words(),
        },
        place: short_place(row),
        flag: match state_at(row.state, row.last_ends_at, t) {
            GatheringState::Published => "",
            s => s.words(),
        },
    }
}

#[derive(Template)]
#[template(path = "gatherings/list.html")]
struct ListPage {
    layout: Layout,
    items: Vec<Item>,
    mine: Vec<Item>,
    /// Gatherings in the last 60 days that have ended (their minutes are on their pages).
    past: Vec<Item>,
    signed_in: bool,
}

pub(crate) async fn view_gatherings(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let t = now();
    let rows = gatherings::list(&state, &Listing::default(), t).await?;
    let recent = Listing {
        from: Some(t - 60 * 86_400),
        to: Some(t),
        group: None,
    };
    let past: Vec<Item> = gatherings::list(&state, &recent, t)
        .await?
        .iter()
        .rev()
        .filter(|r| state_at(r.state, r.last_ends_at, t) == GatheringState::Ended)
        .map(|r| item(r, t))
        .collect();
    let mine = match &identity {
        Some(who) => gatherings::mine(&state, who).await?,
        None => Vec::new(),
    };
    let page = ListPage {
        layout: Layout::new(
            &state,
            identity.as_ref(),
            &csrf,
            "/gatherings",
            "Gatherings",
        ),
        items: rows.iter().map(|r| item(r, t)).collect(),
        mine: mine
            .iter()
            .filter(|r| r.last_ends_at > t - 30 * 86_400)
            .map(|r| item(r, t))
            .collect(),
        past,
        signed_in: identity.is_some(),
    };
    Ok(pages::page(&page))
}

fn calendar_response(text: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        text,
    )
        .into_response()
}

#[derive(Debug, Deserialize, Default)]
pub struct CalendarParams {
    /// One group's gatherings (ORUK organization id).
    group: Option<String>,
}

/// `/gatherings.ics`: every gathering, to subscribe to (one group's with `?group=`).
pub(crate) async fn view_calendar(
    State(state): State<AppState>,
    Query(p): Query<CalendarParams>,
) -> PageResult {
    let group = p.group.as_deref().map(str::trim).filter(|g| !g.is_empty());
    let text = gatherings::calendar::all(&state, group, now()).await?;
    Ok(calendar_response(text, "gatherings.ics"))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/gatherings", get(view_gatherings))
        .route("/gatherings.ics", get(view_calendar))
        .route("/gatherings/new", get(view_new).post(view_create))
        .route("/gatherings/{id}", get(view_gathering))
        .route("/gatherings/{id}/needs", get(view_needs))
        .route("/gatherings/{id}/edit", get(view_edit).post(view_update))
        .route("/gatherings/{id}/chairs", post(view_invite_chair))
        .route("/gatherings/{id}/organisers", post(view_add_organiser))
        .route(
            "/gatherings/{id}/organisers/{member}/remove",
            post(view_remove_organiser),
        )
        .route("/gatherings/{id}/chair-invitation", post(view_answer_chair))
        .route("/gatherings/{id}/publish", post(view_publish))
        .route(
            "/gatherings/{id}/cancel",
            get(view_cancel_confirm).post(view_cancel),
        )
        .route("/gatherings/{id}/sign-ups", post(view_sign_up))
        .route("/gatherings/{id}/take", post(view_take))
        .route("/gatherings/{id}/sessions", post(view_propose_session))
        .route("/gatherings/{id}/sessions/new", get(view_new_session))
        .route("/gatherings/{id}/sessions/{sid}", get(view_session))
        .route(
            "/gatherings/{id}/sessions/{sid}/note-taker",
            post(view_take_notes),
        )
        .route(
            "/gatherings/{id}/sessions/{sid}/notes",
            post(view_write_notes),
        )
        .route(
            "/gatherings/{id}/sessions/{sid}/proposal",
            post(view_session_to_proposal),
        )
        .route(
            "/gatherings/{id}/minutes",
            get(view_minutes).post(view_save_minutes),
        )
        .route(
            "/gatherings/{id}/minutes/approve",
            post(view_approve_minutes),
        )
        .route(
            "/gatherings/{id}/actions/{aid}/proposal",
            post(view_action_to_proposal),
        )
        .route(
            "/gatherings/{id}/leave",
            get(view_leave_confirm).post(view_leave),
        )
}
