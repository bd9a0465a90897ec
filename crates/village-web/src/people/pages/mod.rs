//! The people pages: your profile and its sections, someone else's profile as you may see
//! it, the history of changes (with undo), your sharing choices, and "your information"
//! (download, who has looked, forget me). The circle and connector pages are in `circle_pages`.

mod history;
mod information;
mod section;

pub(crate) use history::*;
pub(crate) use information::*;
pub(crate) use section::*;

use crate::auth::{ClientAddress, MaybeSignedIn, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, Errors, Layout, PageError, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use village_app::accounts::Identity;
use village_app::people::information::export;
use village_app::people::{
    history, save_profile, undo_edit, view_profile, ProfileView, SectionChange, Shown,
};
use village_app::Error;
use village_domain::access::people::Relationship;
use village_domain::directory::geo::DistanceUnit;
use village_domain::directory::schedule::Weekday;
use village_domain::directory::taxonomy::{Access, CATEGORIES};
use village_domain::error::ErrorCode;
use village_domain::people::profile::{Content, Slot};
use village_domain::people::{Section, Visibility};

/// One section on a profile page.
pub struct SectionView {
    pub key: &'static str,
    pub heading: &'static str,
    pub paragraphs: Vec<String>,
    pub facts: Vec<String>,
    pub who_sees: &'static str,
    pub edit_href: Option<String>,
    pub empty: bool,
}

fn section_view(shown: &Shown, edit_base: &str, unit: DistanceUnit) -> SectionView {
    let q = shown.section.question();
    let paragraphs = if shown.section == Section::BirthYear {
        shown
            .content
            .year()
            .map(|y| vec![y.to_string()])
            .unwrap_or_default()
    } else {
        shown
            .content
            .text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    SectionView {
        key: shown.section.key(),
        heading: q.heading,
        paragraphs,
        facts: shown.content.structure_words(unit),
        who_sees: shown.visibility.words(),
        edit_href: shown
            .editable
            .then(|| format!("{edit_base}/{}", shown.section.key())),
        empty: shown.content.is_empty(),
    }
}

#[derive(Template)]
#[template(path = "people/profile.html")]
struct ProfilePage {
    pub(super) layout: Layout,
    pub(super) heading: String,
    pub(super) own: bool,
    pub(super) relationship: &'static str,
    pub(super) sections: Vec<SectionView>,
    pub(super) history_href: Option<String>,
    pub(super) conversations_href: Option<String>,
    pub(super) person_id: i64,
    pub(super) signed_in: bool,
}

fn relationship_words(r: Relationship) -> &'static str {
    match r {
        Relationship::Themself => "",
        Relationship::Supporter => "You are in their circle of support, and they asked you to help keep their profile up to date.",
        Relationship::Circle => "You are in their circle of support.",
        Relationship::Connector => "You are one of their connectors.",
        Relationship::Member => "You see what they share with everyone signed in to this hub.",
        Relationship::Anonymous => "You see what they share with everyone.",
    }
}

pub(crate) async fn view_my_profile(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let Some(view) = view_profile(&state, Some(&identity), identity.user.id, &ip, now()).await?
    else {
        return Ok(pages::unavailable());
    };
    Ok(pages::page(&ProfilePage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/profile",
            "Your profile",
        )
        .with_notice(q.done.as_deref().map(done_words)),
        heading: "Your profile".into(),
        own: true,
        relationship: "",
        sections: view
            .sections
            .iter()
            .map(|s| section_view(s, "/me/profile", state.settings.hub.distances))
            .collect(),
        history_href: Some("/me/profile/history".into()),
        conversations_href: Some("/me/conversations".into()),
        person_id: identity.user.id,
        signed_in: true,
    }))
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub(super) done: Option<String>,
}

pub fn done_words(code: &str) -> &'static str {
    match code {
        "saved" => "Saved. Your profile is up to date.",
        "undone" => "Done: that part is back as it was.",
        "circle_added" => "Added to your circle.",
        "circle_invited" => "Added to your circle. They have been invited and will show as a member once they accept.",
        "circle_changed" => "Your circle is up to date.",
        "circle_removed" => "Done: they are no longer in your circle. You can add them again at any time.",
        "circle_left" => "Done: you have left their circle.",
        "walk_alongside_ended" => "Done: you are no longer their connector.",
        "intro_saved" => "Saved. People choosing a connector now see what you wrote.",
        "answered" => "Thank you: your answer is saved.",
        "connector_chosen" => "Saved: they are one of your connectors now.",
        "connector_ended" => "Done: they are no longer one of your connectors.",
        "offered" => "Your offer has been sent. Nothing is shared with you unless they accept.",
        _ => "Saved.",
    }
}

pub(crate) async fn view_person(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    if identity.as_ref().is_some_and(|i| i.user.id == id) {
        return Ok(Redirect::to("/me/profile").into_response());
    }
    let view = match view_profile(&state, identity.as_ref(), id, &ip, now()).await {
        Ok(Some(v)) => v,
        Ok(None) => return Ok(crate::hub::not_found_page(&state, identity.as_ref(), &csrf)),
        Err(e) => return Err(e.into()),
    };
    let supporter = view.relationship == Relationship::Supporter;
    let connector = identity.as_ref().is_some_and(|i| {
        i.may(village_domain::access::Action::WalkAlongside)
            && matches!(
                view.relationship,
                Relationship::Connector | Relationship::Circle | Relationship::Supporter
            )
    });
    let base = format!("/people/{id}/profile");
    Ok(pages::page(&ProfilePage {
        layout: Layout::new(
            &state,
            identity.as_ref(),
            &csrf,
            "/people",
            view.display_name.clone(),
        )
        .with_notice(q.done.as_deref().map(done_words)),
        heading: view.display_name.clone(),
        own: false,
        relationship: relationship_words(view.relationship),
        sections: view
            .sections
            .iter()
            .map(|s| section_view(s, &base, state.settings.hub.distances))
            .collect(),
        history_href: supporter.then(|| format!("/people/{id}/history")),
        conversations_href: connector.then(|| format!("/people/{id}/conversations")),
        person_id: id,
        signed_in: identity.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "people/welcome.html")]
struct WelcomePage {
    layout: Layout,
    name: String,
}

/// Where a new member lands after joining: the first steps (three questions, each
/// skippable, then ideas), or the home page.
pub(crate) async fn view_welcome(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    Ok(pages::page(&WelcomePage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/welcome", "Welcome"),
        name: identity.user.display_name.clone(),
    }))
}
