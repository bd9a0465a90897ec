//! The people pages: your profile and its sections, someone else's profile as you may see
//! it, the history of changes (with undo), your sharing choices, and "your information"
//! (download, who has looked, forget me). The circle and connector pages are in `circle_pages`.

use super::{
    export, history, save_profile, undo_edit, view_profile, ProfileView, SectionChange, Shown,
};
use crate::auth::{ClientAddress, CsrfToken, Identity, MaybeSignedIn, SignedIn};
use crate::pages::{self, Errors, Layout, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use village_app::Error;
use village_domain::directory::schedule::Weekday;
use village_domain::directory::taxonomy::{Access, CATEGORIES};
use village_domain::error::ErrorCode;
use village_domain::people::profile::{Content, Slot};
use village_domain::people::{Relationship, Section, Visibility};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/profile", get(view_my_profile))
        .route("/me/profile/history", get(view_my_history))
        .route("/me/profile/history/{edit}/undo", post(view_my_undo))
        .route(
            "/me/profile/{key}",
            get(view_my_section_get).post(view_my_section_post),
        )
        .route("/me/sharing", get(view_sharing))
        .route("/me/data", get(view_data))
        .route("/me/data/everything", get(view_everything))
        .route("/me/access-log", get(view_access_log))
        .route("/people/{id}", get(view_person))
        .route("/people/{id}/history", get(view_person_history))
        .route("/people/{id}/history/{edit}/undo", post(view_person_undo))
        .route(
            "/people/{id}/profile/{key}",
            get(view_person_section_get).post(view_person_section_post),
        )
        .merge(super::circle_pages::routes())
        .merge(super::conversations::routes())
}

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

fn section_view(shown: &Shown, edit_base: &str) -> SectionView {
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
        facts: shown.content.structure_words(),
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
    layout: Layout,
    heading: String,
    own: bool,
    relationship: &'static str,
    sections: Vec<SectionView>,
    history_href: Option<String>,
    conversations_href: Option<String>,
    person_id: i64,
    signed_in: bool,
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

async fn view_my_profile(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Query(q): Query<DoneQuery>,
) -> Response {
    let view = match view_profile(&state, Some(&identity), identity.user.id, &ip, now()).await {
        Ok(Some(v)) => v,
        Ok(None) => return pages::unavailable(),
        Err(e) => return pages::store_failed(e),
    };
    pages::page(&ProfilePage {
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
            .map(|s| section_view(s, "/me/profile"))
            .collect(),
        history_href: Some("/me/profile/history".into()),
        conversations_href: Some("/me/conversations".into()),
        person_id: identity.user.id,
        signed_in: true,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub fn done_words(code: &str) -> &'static str {
    match code {
        "saved" => "Saved. Your profile is up to date.",
        "undone" => "Done: that part is back as it was.",
        "circle_added" => "Added to your circle.",
        "circle_invited" => "Added to your circle. They have been invited and will show as a member once they accept.",
        "circle_changed" => "Your circle is up to date.",
        "answered" => "Thank you: your answer is saved.",
        "connector_chosen" => "Saved: they are one of your connectors now.",
        "connector_ended" => "Done: they are no longer one of your connectors.",
        "offered" => "Your offer has been sent. Nothing is shared with you unless they accept.",
        _ => "Saved.",
    }
}

async fn view_person(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    if identity.as_ref().is_some_and(|i| i.user.id == id) {
        return Redirect::to("/me/profile").into_response();
    }
    let view = match view_profile(&state, identity.as_ref(), id, &ip, now()).await {
        Ok(Some(v)) => v,
        Ok(None) => return crate::hub::not_found_page(&state, identity.as_ref(), &csrf),
        Err(e) => return pages::store_failed(e),
    };
    let supporter = view.relationship == Relationship::Supporter;
    let connector = identity.as_ref().is_some_and(|i| {
        i.user.role() == village_domain::accounts::Role::Connector
            && matches!(
                view.relationship,
                Relationship::Connector | Relationship::Circle | Relationship::Supporter
            )
    });
    let base = format!("/people/{id}/profile");
    pages::page(&ProfilePage {
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
            .map(|s| section_view(s, &base))
            .collect(),
        history_href: supporter.then(|| format!("/people/{id}/history")),
        conversations_href: connector.then(|| format!("/people/{id}/conversations")),
        person_id: id,
        signed_in: identity.is_some(),
    })
}

// ---- Editing a section ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "people/section.html")]
struct SectionPage {
    layout: Layout,
    errors: Errors,
    back: String,
    action: String,
    heading: &'static str,
    hint: &'static str,
    whose: String,
    key: &'static str,
    text_id: &'static str,
    text: String,
    is_year: bool,
    /// `(code, words, checked)`; empty when the editor may not change who sees it.
    visibilities: Vec<(&'static str, &'static str, bool)>,
    who_sees: &'static str,
    categories: Vec<(&'static str, &'static str, &'static str, bool)>,
    postcode: String,
    max_km: String,
    slots: Vec<(String, String, String)>,
    days: Vec<(&'static str, &'static str)>,
    access: Vec<(&'static str, &'static str, bool, bool)>,
}

fn section_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    view: &ProfileView,
    shown: &Shown,
    (content, visibility): (&Content, Visibility),
    errors: Errors,
) -> SectionPage {
    let own = view.relationship == Relationship::Themself;
    let section = shown.section;
    let q = section.question();
    let base = if own {
        "/me/profile".to_string()
    } else {
        format!("/people/{}/profile", view.person_id)
    };
    let mut slots: Vec<(String, String, String)> = content
        .slots
        .iter()
        .map(|s| (s.day.clone(), s.from.clone(), s.to.clone()))
        .collect();
    for _ in 0..3 {
        slots.push((String::new(), String::new(), String::new()));
    }
    SectionPage {
        layout: Layout::new(state, Some(identity), csrf, &base, q.heading),
        errors,
        back: if own {
            "/me/profile".into()
        } else {
            format!("/people/{}", view.person_id)
        },
        action: format!("{base}/{}", section.key()),
        heading: q.heading,
        hint: q.hint,
        whose: if own {
            String::new()
        } else {
            view.display_name.clone()
        },
        key: section.key(),
        text_id: section.text_field(),
        text: content.text.clone(),
        is_year: section == Section::BirthYear,
        visibilities: if own {
            Visibility::ALL
                .iter()
                .map(|v| (v.code(), v.words(), *v == visibility))
                .collect()
        } else {
            Vec::new()
        },
        who_sees: visibility.words(),
        categories: if section == Section::Interests {
            CATEGORIES
                .iter()
                .map(|c| {
                    (
                        c.id,
                        c.name,
                        c.description,
                        content.terms.iter().any(|t| t == c.id),
                    )
                })
                .collect()
        } else {
            Vec::new()
        },
        postcode: content.postcode.clone().unwrap_or_default(),
        max_km: content.max_km.map(|k| k.to_string()).unwrap_or_default(),
        slots: if section == Section::Availability {
            slots
        } else {
            Vec::new()
        },
        days: Weekday::ALL.iter().map(|d| (d.code(), d.name())).collect(),
        access: if section == Section::AccessNeeds {
            Access::ALL
                .iter()
                .map(|a| {
                    (
                        a.code(),
                        a.label(),
                        content.needs.iter().any(|n| n == a.code()),
                        content.essential.iter().any(|n| n == a.code()),
                    )
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct SectionForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default, rename = "travel.postcode")]
    postcode: String,
    #[serde(default, rename = "travel.max_km")]
    max_km: String,
    #[serde(default)]
    slot_day: Vec<String>,
    #[serde(default)]
    slot_from: Vec<String>,
    #[serde(default)]
    slot_to: Vec<String>,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    essential: Vec<String>,
}

impl SectionForm {
    /// What was entered for `section`, and a problem with a number that could not be read
    /// (the rest is kept, to show the form again with everything as typed).
    fn content(&self, section: Section) -> (Content, Option<village_domain::accounts::FieldError>) {
        let mut problem = None;
        let mut c = Content {
            text: self.text.clone(),
            ..Content::default()
        };
        match section {
            Section::Interests => c.terms = self.terms.clone(),
            Section::Travel => {
                c.postcode = Some(self.postcode.clone()).filter(|p| !p.trim().is_empty());
                let km = self.max_km.trim();
                if !km.is_empty() {
                    match km.parse() {
                        Ok(n) => c.max_km = Some(n),
                        Err(_) => {
                            problem = Some(village_domain::accounts::FieldError::new(
                                "travel.max_km",
                                ErrorCode::DistanceInvalid,
                                "Enter how far you can travel as a number of kilometres, like 5.",
                            ))
                        }
                    }
                }
            }
            Section::Availability => {
                for (i, day) in self.slot_day.iter().enumerate() {
                    let from = self.slot_from.get(i).map(|s| s.trim()).unwrap_or("");
                    let to = self.slot_to.get(i).map(|s| s.trim()).unwrap_or("");
                    if day.trim().is_empty() && from.is_empty() && to.is_empty() {
                        continue;
                    }
                    c.slots.push(Slot {
                        day: day.clone(),
                        from: from.to_string(),
                        to: to.to_string(),
                    });
                }
            }
            Section::AccessNeeds => {
                c.needs = self.needs.clone();
                c.essential = self.essential.clone();
            }
            _ => {}
        }
        (c, problem)
    }
}

async fn section_get(
    state: AppState,
    identity: Identity,
    ip: String,
    csrf: CsrfToken,
    person: i64,
    key: String,
) -> Response {
    let Some(section) = Section::parse(&key) else {
        return crate::hub::not_found_page(&state, Some(&identity), &csrf);
    };
    let view = match view_profile(&state, Some(&identity), person, &ip, now()).await {
        Ok(Some(v)) => v,
        Ok(None) => return crate::hub::not_found_page(&state, Some(&identity), &csrf),
        Err(e) => return pages::store_failed(e),
    };
    let Some(shown) = view.section(section).filter(|s| s.editable).cloned() else {
        return pages::forbidden(&state, Some(&identity), &csrf);
    };
    pages::page(&section_page(
        &state,
        &identity,
        &csrf,
        &view,
        &shown,
        (&shown.content, shown.visibility),
        Errors::none(),
    ))
}

#[allow(clippy::too_many_arguments)]
async fn section_post(
    state: AppState,
    identity: Identity,
    ip: String,
    csrf: CsrfToken,
    person: i64,
    key: String,
    form: SectionForm,
) -> Response {
    let Some(section) = Section::parse(&key) else {
        return crate::hub::not_found_page(&state, Some(&identity), &csrf);
    };
    let t = now();
    let view = match view_profile(&state, Some(&identity), person, &ip, t).await {
        Ok(Some(v)) => v,
        Ok(None) => return crate::hub::not_found_page(&state, Some(&identity), &csrf),
        Err(e) => return pages::store_failed(e),
    };
    let Some(shown) = view.section(section).filter(|s| s.editable).cloned() else {
        return pages::forbidden(&state, Some(&identity), &csrf);
    };
    let visibility = match form.visibility.as_deref() {
        None => None,
        Some(code) => match Visibility::parse(code) {
            Some(v) => Some(v),
            None => return pages::bad_form(),
        },
    };
    let shown_again = |content: &Content, errors: Errors| {
        let mut page = section_page(
            &state,
            &identity,
            &csrf,
            &view,
            &shown,
            (content, visibility.unwrap_or(shown.visibility)),
            errors,
        );
        // The distance as typed, even when it was not a number.
        page.max_km = form.max_km.trim().to_string();
        pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let (content, problem) = form.content(section);
    if let Some(e) = problem {
        return shown_again(&content, e.into());
    }
    let change = SectionChange {
        section,
        content: Some(content.clone()),
        visibility,
    };
    match save_profile(&state, &identity, person, &[change], &ip, t).await {
        Ok(_) => {
            let back = if person == identity.user.id {
                "/me/profile?done=saved".to_string()
            } else {
                format!("/people/{person}?done=saved")
            };
            Redirect::to(&back).into_response()
        }
        Err(Error::Field(f)) if f.code == ErrorCode::Forbidden => {
            pages::forbidden(&state, Some(&identity), &csrf)
        }
        Err(Error::Field(f)) => shown_again(&content, f.into()),
        Err(e) => pages::PageError::from(e).into_response(),
    }
}

async fn view_my_section_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(key): Path<String>,
) -> Response {
    let me = identity.user.id;
    section_get(state, identity, ip, csrf, me, key).await
}

async fn view_my_section_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(key): Path<String>,
    PageForm(form): PageForm<SectionForm>,
) -> Response {
    let me = identity.user.id;
    section_post(state, identity, ip, csrf, me, key, form).await
}

async fn view_person_section_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, key)): Path<(i64, String)>,
) -> Response {
    section_get(state, identity, ip, csrf, id, key).await
}

async fn view_person_section_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, key)): Path<(i64, String)>,
    PageForm(form): PageForm<SectionForm>,
) -> Response {
    section_post(state, identity, ip, csrf, id, key, form).await
}

// ---- History --------------------------------------------------------------------------

pub struct EditView {
    id: i64,
    when: String,
    who: String,
    section: &'static str,
    before: String,
    after: String,
    undo: bool,
    note: String,
}

#[derive(Template)]
#[template(path = "people/history.html")]
struct HistoryPage {
    layout: Layout,
    heading: String,
    back: String,
    action_base: String,
    edits: Vec<EditView>,
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        format!("{t}…")
    } else if t.is_empty() {
        "(empty)".into()
    } else {
        t
    }
}

async fn history_page(
    state: AppState,
    identity: Identity,
    ip: String,
    csrf: CsrfToken,
    person: i64,
    notice: Option<&str>,
) -> Response {
    let own = person == identity.user.id;
    let edits = match history(&state, &identity, person, &ip, now()).await {
        Ok(Some(e)) => e,
        Ok(None) => return crate::hub::not_found_page(&state, Some(&identity), &csrf),
        Err(e) => return pages::store_failed(e),
    };
    // The newest change to each section can be undone.
    let mut latest: Vec<String> = Vec::new();
    let views = edits
        .iter()
        .map(|e| {
            let first = !latest.contains(&e.section);
            if first {
                latest.push(e.section.clone());
            }
            EditView {
                id: e.id,
                when: pages::when(e.at),
                who: match (e.editor_id, &e.editor_name) {
                    (Some(id), _) if id == identity.user.id => "You".into(),
                    (Some(_), Some(n)) => n.clone(),
                    _ => "Someone who has since left the hub".into(),
                },
                section: Section::parse(&e.section)
                    .map(|s| s.question().heading)
                    .unwrap_or("Profile"),
                before: short(&e.before_body),
                after: short(&e.after_body),
                undo: first,
                note: if e.undoes.is_some() {
                    "This put back an earlier version.".into()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let (heading, back, base) = if own {
        (
            "Changes to your profile".to_string(),
            "/me/profile".to_string(),
            "/me/profile/history".to_string(),
        )
    } else {
        let name = match village_app::accounts::name_of(&state, person).await {
            Ok(n) => n,
            Err(e) => return pages::store_failed(e),
        };
        (
            format!("Changes to {name}'s profile"),
            format!("/people/{person}"),
            format!("/people/{person}/history"),
        )
    };
    pages::page(&HistoryPage {
        layout: Layout::new(&state, Some(&identity), &csrf, &base, heading.clone())
            .with_notice(notice),
        heading,
        back,
        action_base: base,
        edits: views,
    })
}

async fn view_my_history(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Query(q): Query<DoneQuery>,
) -> Response {
    let me = identity.user.id;
    history_page(
        state,
        identity,
        ip,
        csrf,
        me,
        q.done.as_deref().map(done_words),
    )
    .await
}

async fn view_person_history(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    history_page(
        state,
        identity,
        ip,
        csrf,
        id,
        q.done.as_deref().map(done_words),
    )
    .await
}

async fn undo(
    state: AppState,
    identity: Identity,
    ip: String,
    person: i64,
    edit: i64,
) -> PageResult {
    let back = if person == identity.user.id {
        "/me/profile/history".to_string()
    } else {
        format!("/people/{person}/history")
    };
    undo_edit(&state, &identity, person, edit, &ip, now()).await?;
    Ok(Redirect::to(&format!("{back}?done=undone")).into_response())
}

async fn view_my_undo(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(edit): Path<i64>,
) -> PageResult {
    let me = identity.user.id;
    undo(state, identity, ip, me, edit).await
}

async fn view_person_undo(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path((id, edit)): Path<(i64, i64)>,
) -> PageResult {
    undo(state, identity, ip, id, edit).await
}

// ---- Sharing choices and your information ---------------------------------------------

#[derive(Template)]
#[template(path = "people/sharing.html")]
struct SharingPage {
    layout: Layout,
    now_sharing: Vec<(&'static str, &'static str)>,
    choices: Vec<(String, String, String, String)>,
}

async fn view_sharing(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> Response {
    let view = match view_profile(&state, Some(&identity), identity.user.id, &ip, now()).await {
        Ok(Some(v)) => v,
        Ok(None) => return pages::unavailable(),
        Err(e) => return pages::store_failed(e),
    };
    let rows = match super::sharing_choices(&state, identity.user.id).await {
        Ok(r) => r,
        Err(e) => return pages::store_failed(e),
    };
    let choices = rows
        .into_iter()
        .map(|k| {
            let what = Section::parse(&k.what)
                .map(|s| s.question().heading.to_string())
                .unwrap_or_else(|| match k.what.as_str() {
                    "circle" => "Your circle of support".into(),
                    "connectors" => "Your connectors".into(),
                    "supporter" => "Supporters".into(),
                    other => other.to_string(),
                });
            let with = Visibility::parse(&k.shared_with)
                .map(|v| format!("Shared with: {}", v.words()))
                .unwrap_or(k.shared_with.clone());
            let who = match (k.by_id, k.by_name) {
                (Some(id), _) if id == identity.user.id => "You".to_string(),
                (Some(_), Some(n)) => n,
                _ => "Someone who has since left the hub".into(),
            };
            (pages::when(k.at), what, with, who)
        })
        .collect();
    pages::page(&SharingPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/sharing",
            "Who can see your information",
        ),
        now_sharing: view
            .sections
            .iter()
            .map(|s| (s.section.question().heading, s.visibility.words()))
            .collect(),
        choices,
    })
}

#[derive(Template)]
#[template(path = "people/data.html")]
struct DataPage {
    layout: Layout,
}

async fn view_data(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&DataPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/data",
            "Your information",
        ),
    })
}

#[derive(Template)]
#[template(path = "people/everything.html")]
struct EverythingPage {
    layout: Layout,
    account: Vec<(&'static str, String)>,
    sections: Vec<SectionView>,
    history: Vec<(String, String, String, String)>,
    sharing: Vec<(String, String, String)>,
    circle: Vec<(String, String, String, String)>,
    memberships: Vec<(String, String)>,
    connectors: Vec<(String, String)>,
    people: Vec<(String, String)>,
    connections: Vec<String>,
    activity: Vec<(String, String, String)>,
}

async fn view_everything(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> Response {
    let t = now();
    let doc = match export(&state, &identity, &ip, t).await {
        Ok(d) => d,
        Err(e) => return pages::store_failed(e),
    };
    let view = match view_profile(&state, Some(&identity), identity.user.id, &ip, t).await {
        Ok(Some(v)) => v,
        Ok(None) => return pages::unavailable(),
        Err(e) => return pages::store_failed(e),
    };
    let ring = |code: &str| {
        village_domain::people::circle::Ring::parse(code)
            .map(|r| r.label().to_string())
            .unwrap_or_default()
    };
    let a = &doc.account;
    pages::page(&EverythingPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/data",
            "Everything we hold about you",
        ),
        account: vec![
            ("Account number", a.id.to_string()),
            ("Name", a.display_name.clone()),
            ("Email address", a.email.clone()),
            ("Role", a.role.clone()),
            ("Joined", pages::when(a.joined_at)),
            (
                "Lived experience",
                if a.lived_experience_declared {
                    format!(
                        "Declared: {} {}",
                        a.lived_experience_kinds,
                        a.lived_experience_in_my_words.clone().unwrap_or_default()
                    )
                } else {
                    "Not declared".into()
                },
            ),
        ],
        sections: view
            .sections
            .iter()
            .map(|s| section_view(s, "/me/profile"))
            .collect(),
        history: doc
            .profile_history
            .iter()
            .map(|e| {
                (
                    pages::when(e.at),
                    e.section.clone(),
                    e.editor_name
                        .clone()
                        .unwrap_or_else(|| "Someone who has left".into()),
                    short(&e.after),
                )
            })
            .collect(),
        sharing: doc
            .sharing_choices
            .iter()
            .map(|k| (pages::when(k.at), k.what.clone(), k.shared_with.clone()))
            .collect(),
        circle: doc
            .circle
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    ring(&e.ring),
                    e.contact.clone(),
                    e.status.clone(),
                )
            })
            .collect(),
        memberships: doc
            .circles_i_am_in
            .iter()
            .map(|m| (m.person_name.clone(), m.status.clone()))
            .collect(),
        connectors: doc
            .connectors
            .iter()
            .map(|c| (c.name.clone(), c.status.clone()))
            .collect(),
        people: doc
            .people_i_walk_alongside
            .iter()
            .map(|c| (c.name.clone(), c.status.clone()))
            .collect(),
        connections: doc.connections.lines(),
        activity: doc
            .activity
            .iter()
            .map(|e| {
                (
                    pages::when(e.at),
                    village_domain::audit::AuditAction::parse(&e.action)
                        .map(|a| a.label().to_string())
                        .unwrap_or(e.action.clone()),
                    e.detail.clone(),
                )
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "people/access_log.html")]
struct AccessLogPage {
    layout: Layout,
    entries: Vec<(String, String, String, String)>,
}

async fn view_access_log(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    let rows = match super::access_log(&state, identity.user.id, None, 500).await {
        Ok(r) => r,
        Err(e) => return pages::store_failed(e),
    };
    let entries = rows
        .into_iter()
        .map(|r| {
            (
                pages::when(r.at),
                match (r.actor_id, r.actor_name.clone()) {
                    (Some(_), Some(n)) => n,
                    (Some(i), None) => format!("Account {i}, since deleted"),
                    (None, _) => "Someone not signed in".into(),
                },
                r.action()
                    .map(|a| a.label().to_string())
                    .unwrap_or_else(|| r.action.clone()),
                r.detail.clone(),
            )
        })
        .collect();
    pages::page(&AccessLogPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/access-log",
            "Who has looked at your information",
        ),
        entries,
    })
}
