//! Pages: "Ideas for you" (and a connector's view of them), asking for an introduction, one
//! introduction with what each person can do next, a person's introductions, a group's inbox,
//! and notices.

use crate::auth::{ClientAddress, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, when, Errors, Layout, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use village_app::accounts::Identity;
use village_app::connections::mine;
use village_app::connections::{IntroductionRequest, Requested, Seen};
use village_app::Error;
use village_domain::connections::introduction::{Action, State as IntroState};
use village_domain::connections::matching::Preferences;
use village_domain::people::Section;

pub struct IdeaView {
    offer_id: String,
    name: String,
    group: String,
    reasons: Vec<String>,
    saved: bool,
}

#[derive(Template)]
#[template(path = "connections/ideas.html")]
struct IdeasPage {
    layout: Layout,
    own: bool,
    person_id: i64,
    person_name: String,
    ideas: Vec<IdeaView>,
    needs_home: bool,
    home_unknown: bool,
    needs_profile: bool,
    saved: Vec<(String, String)>,
    dismissed: Vec<(String, String, String)>,
    prefer_lived: bool,
    prefer_free: bool,
}

async fn ideas_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    person: i64,
) -> PageResult {
    let own = identity.user.id == person;
    let ideas = village_app::connections::ideas(state, identity, person, ip, now(), 20).await?;
    let prefs = mine::preferences_of(state, identity, person).await?;
    let title = if own {
        "Ideas for you".to_string()
    } else {
        format!("Ideas for {}", ideas.person_name)
    };
    Ok(pages::page(&IdeasPage {
        layout: Layout::new(
            state,
            Some(identity),
            csrf,
            if own {
                "/me/ideas"
            } else {
                "/connector/people"
            },
            title,
        ),
        own,
        person_id: person,
        person_name: ideas.person_name.clone(),
        ideas: ideas
            .ideas
            .into_iter()
            .map(|i| IdeaView {
                offer_id: i.suggestion.offer_id,
                name: i.name,
                group: i.organization_name.unwrap_or_default(),
                reasons: i.suggestion.reasons,
                saved: i.saved,
            })
            .collect(),
        needs_home: ideas.needs_home,
        home_unknown: ideas.home_unknown,
        needs_profile: ideas.needs_profile,
        saved: if own { ideas.saved } else { Vec::new() },
        dismissed: if own { ideas.dismissed } else { Vec::new() },
        prefer_lived: prefs.lived_experience,
        prefer_free: prefs.free,
    }))
}

pub(crate) async fn view_ideas(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> PageResult {
    let me = identity.user.id;
    ideas_page(&state, &identity, &csrf, &ip, me).await
}

pub(crate) async fn view_person_ideas(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    if id == identity.user.id {
        return Ok(Redirect::to("/me/ideas").into_response());
    }
    ideas_page(&state, &identity, &csrf, &ip, id).await
}

#[derive(Debug, Deserialize, Default)]
pub struct MarkForm {
    #[serde(default)]
    offer_id: String,
    #[serde(default)]
    mark: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn view_mark(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    PageForm(form): PageForm<MarkForm>,
) -> PageResult {
    match village_app::connections::mark(
        &state,
        &identity,
        &form.offer_id,
        &form.mark,
        &form.reason,
        now(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/me/ideas").into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct PreferencesForm {
    #[serde(default)]
    lived_experience: Option<String>,
    #[serde(default)]
    free: Option<String>,
}

pub(crate) async fn view_preferences(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    PageForm(form): PageForm<PreferencesForm>,
) -> PageResult {
    let p = Preferences {
        lived_experience: form.lived_experience.is_some(),
        free: form.free.is_some(),
    };
    match mine::set_preferences(&state, &identity, p).await {
        Ok(()) => Ok(Redirect::to("/me/ideas").into_response()),
        Err(e) => Err(e.into()),
    }
}

// ---- Asking for an introduction -------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    offer: String,
    person: Option<i64>,
}

#[derive(Template)]
#[template(path = "connections/new_introduction.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    offer_id: String,
    offer_name: String,
    /// Set when a connector asks for someone.
    person_id: Option<i64>,
    person_name: String,
    first_name: String,
    contact: String,
    message: String,
    share_support: bool,
    support_text: String,
}

#[allow(clippy::too_many_arguments)]
async fn new_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    offer: &str,
    person: Option<i64>,
    errors: Errors,
    form: Option<&RequestForm>,
) -> PageResult {
    let person_id = person.unwrap_or(identity.user.id);
    let offer_name = match village_app::directory::records::service(state, offer).await {
        Ok(doc) => village_app::connections::details(&doc).map(|d| d.name),
        Err(Error::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let Some(offer_name) = offer_name else {
        return Ok(crate::hub::not_found_page(state, Some(identity), csrf));
    };
    // The person's own view of their profile, or what they let this connector see.
    let profile = match village_app::people::view_profile(
        state,
        Some(identity),
        person_id,
        ip,
        now(),
    )
    .await
    {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(crate::hub::not_found_page(state, Some(identity), csrf)),
        Err(e) => return Err(e.into()),
    };
    if person_id != identity.user.id
        && profile.relationship != village_domain::access::people::Relationship::Connector
    {
        return Ok(crate::hub::not_found_page(state, Some(identity), csrf));
    }
    let support_text = profile
        .section(Section::Support)
        .map(|s| s.content.text.clone())
        .unwrap_or_default();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &NewPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/me/introductions",
                format!("Ask for an introduction to {offer_name}"),
            ),
            errors,
            offer_id: offer.to_string(),
            offer_name,
            person_id: person.filter(|p| *p != identity.user.id),
            first_name: village_domain::connections::introduction::first_name(
                &profile.display_name,
            ),
            person_name: profile.display_name,
            contact: form.map(|f| f.contact.clone()).unwrap_or_default(),
            message: form.map(|f| f.message.clone()).unwrap_or_default(),
            share_support: form.is_some_and(|f| f.share_support.is_some()),
            support_text,
        },
    ))
}

pub(crate) async fn view_new_introduction(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Query(q): Query<NewQuery>,
) -> PageResult {
    new_page(
        &state,
        &identity,
        &csrf,
        &ip,
        &q.offer,
        q.person,
        Errors::none(),
        None,
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    offer_id: String,
    #[serde(default)]
    person_id: Option<i64>,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    share_support: Option<String>,
}

pub(crate) async fn view_request(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<RequestForm>,
) -> PageResult {
    let r = IntroductionRequest {
        offer_id: form.offer_id.clone(),
        person_id: form.person_id,
        share_support: form.share_support.is_some(),
        contact: form.contact.clone(),
        message: form.message.clone(),
    };
    match village_app::connections::request(&state, &identity, &r, &ip, now()).await {
        Ok(Requested::New(id) | Requested::AlreadyOpen(id)) => {
            Ok(Redirect::to(&format!("/introductions/{id}")).into_response())
        }
        Err(Error::Field(f)) if f.field != "offer_id" => {
            new_page(
                &state,
                &identity,
                &csrf,
                &ip,
                &form.offer_id,
                form.person_id,
                f.into(),
                Some(&form),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- One introduction -------------------------------------------------------------------

pub struct ActionView {
    code: &'static str,
    label: &'static str,
    needs_reason: bool,
    /// Send and say yes are the main buttons; the rest are secondary.
    main: bool,
}

#[derive(Template)]
#[template(path = "connections/introduction.html")]
struct IntroductionPage {
    layout: Layout,
    back: String,
    id: i64,
    offer_id: String,
    offer_name: String,
    state_words: &'static str,
    group_view: bool,
    person_name: String,
    contact: String,
    support: String,
    share_support: bool,
    message: String,
    reason: String,
    history: Vec<(String, String, String)>,
    actions: Vec<ActionView>,
    waiting_for_person: bool,
}

pub(crate) async fn view_introduction(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let seen: Seen = village_app::connections::view(&state, &identity, id, &ip, now()).await?;
    let group_view = seen.group_only();
    let row = &seen.row;
    let s = row.state;
    let history = seen
        .events
        .iter()
        .map(|e| {
            let what = IntroState::parse(&e.to_state).map_or("Changed", |x| x.words());
            (
                when(e.at),
                match &e.actor_name {
                    Some(n) => format!("{what} (by {n})"),
                    None => what.to_string(),
                },
                e.reason.clone(),
            )
        })
        .collect();
    Ok(pages::page(&IntroductionPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            if group_view {
                "/introductions"
            } else {
                "/me/introductions"
            },
            format!("Introduction to {}", row.offer_name),
        ),
        back: match (&row.organization_id, group_view) {
            (Some(org), true) => format!("/groups/{org}/introductions"),
            _ => "/me/introductions".to_string(),
        },
        id,
        offer_id: row.service_id.clone(),
        offer_name: row.offer_name.clone(),
        state_words: s.words(),
        group_view,
        person_name: row.person_name.clone(),
        contact: if row.contact.is_empty() && !group_view {
            row.person_email.clone()
        } else {
            row.contact.clone()
        },
        support: row.support_text.clone(),
        share_support: row.share_support,
        message: row.message.clone(),
        reason: row.reason.clone(),
        history,
        waiting_for_person: s == IntroState::Requested
            && !seen.parties.person
            && row.requested_by != Some(row.person_id),
        actions: seen
            .actions
            .iter()
            .map(|a| ActionView {
                code: a.code(),
                label: a.label(),
                needs_reason: a.needs_reason() || *a == Action::Withdraw,
                main: matches!(
                    a,
                    Action::Send | Action::Accept | Action::Met | Action::GoingWell
                ),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, Default)]
pub struct ActForm {
    #[serde(default)]
    reason: String,
}

pub(crate) async fn view_act(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
    PageForm(form): PageForm<ActForm>,
) -> PageResult {
    let Some(action) = Action::parse(&action) else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    match village_app::connections::act(&state, &identity, id, action, &form.reason, &ip, now())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/introductions/{id}")).into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Asked before an introduction is withdrawn, with room for an optional reason.
pub(crate) async fn view_act_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
) -> PageResult {
    if Action::parse(&action) != Some(Action::Withdraw) {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    }
    let seen = village_app::connections::view(&state, &identity, id, &ip, now()).await?;
    if !seen.actions.contains(&Action::Withdraw) {
        return Ok(Redirect::to(&format!("/introductions/{id}")).into_response());
    }
    let row = &seen.row;
    let whose = if seen.parties.person {
        "your".to_string()
    } else {
        format!("{}'s", row.person_name)
    };
    let mut lines = vec![format!(
        "This stops {whose} introduction to {}.",
        row.offer_name
    )];
    lines.push(if row.state == IntroState::Requested {
        "Nothing has gone to the group yet, and nothing will.".to_string()
    } else {
        "The group will be told it has been withdrawn, and will no longer see the details that were shared.".to_string()
    });
    lines.push("You can ask for a new introduction at any time.".into());
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/introductions",
            format!("Withdraw {whose} introduction to {}?", row.offer_name),
        ),
        lines,
        action: format!("/introductions/{id}/withdraw"),
        yes: "Yes, withdraw it".into(),
        no: "No, keep it going".into(),
        back: format!("/introductions/{id}"),
        reason_label: "Why? (optional: everyone in this introduction sees it)".into(),
    }))
}

// ---- Lists --------------------------------------------------------------------------------

pub struct ListItem {
    id: i64,
    offer_name: String,
    who: String,
    state_words: &'static str,
    when: String,
}

#[derive(Template)]
#[template(path = "connections/introductions.html")]
struct ListPage {
    layout: Layout,
    heading: String,
    lead: String,
    items: Vec<ListItem>,
    empty: String,
}

fn items(rows: Vec<village_store::connections::IntroductionRow>) -> Vec<ListItem> {
    rows.into_iter()
        .map(|r| ListItem {
            id: r.id,
            offer_name: r.offer_name,
            who: r.person_name,
            state_words: r.state.words(),
            when: when(r.updated_at),
        })
        .collect()
}

pub(crate) async fn view_my_introductions(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let rows = mine::my_introductions(&state, &identity).await?;
    Ok(pages::page(&ListPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/me/introductions", "Your introductions"),
        heading: "Your introductions".into(),
        lead: "Introductions to groups, on your terms. Nothing reaches a group until you send it, and you can withdraw at any time.".into(),
        items: items(rows),
        empty: "No introductions yet. Find something you like in Ideas for you or in the directory, and ask for one.".into(),
    }))
}

pub(crate) async fn view_inbox(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let rows = village_app::connections::inbox(&state, &identity, &id, &ip, now()).await?;
    Ok(pages::page(&ListPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/introductions", "Introductions to your group"),
        heading: "Introductions to your group".into(),
        lead: "People who would like to join you. You see their first name, how to reach them and anything they chose to share. Please answer within a week.".into(),
        items: items(rows),
        empty: "No introductions yet.".into(),
    }))
}

#[derive(Template)]
#[template(path = "connections/notifications.html")]
struct NoticesPage {
    layout: Layout,
    notices: Vec<(String, String, String, bool)>,
}

pub(crate) async fn view_notifications(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let rows = mine::read_notices(&state, &identity, 100, now()).await?;
    Ok(pages::page(&NoticesPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/notifications", "Notices"),
        notices: rows
            .into_iter()
            .map(|n| (when(n.at), n.body, n.link, n.read_at.is_none()))
            .collect(),
    }))
}
