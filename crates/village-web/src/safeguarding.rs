//! Safeguarding: anyone (a member, or someone not signed in) raises a concern about a person or
//! a group; it goes to the hub's safeguarding leads, who see a restricted queue, record actions
//! and close it with an outcome. Records are append-only and every look is audited (never
//! against the person the concern is about, so it cannot show on their profile or in their "who
//! has looked" list).

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, MaybeSignedIn, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, Errors, Layout, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_app::accounts::Identity;
use village_app::safeguarding::{
    about_words, act, leads, open_concern, queue, raise, set_lead, set_lead_by_email, ConcernBody,
    Raiser,
};
use village_app::Error;
use village_store::safeguarding::{ConcernActionRow, ConcernRow};

// ---- API ------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernOut {
    pub id: i64,
    pub raised_by: Option<i64>,
    pub raised_by_name: String,
    /// How to reach someone who raised it without signing in (empty for members).
    pub raiser_contact: String,
    pub about_person_id: Option<i64>,
    pub about_group_id: Option<String>,
    /// The help match it is about, when raised from a match page.
    pub about_help_match: Option<i64>,
    pub about_name: String,
    pub what: String,
    pub urgent: bool,
    pub raised_at: i64,
    /// `open` or `closed`.
    pub status: String,
    pub actions: Vec<ConcernActionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernActionOut {
    pub id: i64,
    pub by_id: Option<i64>,
    pub by_name: String,
    /// `action` or `closed` (with the outcome).
    pub kind: String,
    pub text: String,
    pub at: i64,
}

fn concern_out(c: ConcernRow, actions: Vec<ConcernActionRow>) -> ConcernOut {
    ConcernOut {
        status: if c.closed_at.is_some() {
            "closed".into()
        } else {
            "open".into()
        },
        id: c.id,
        raised_by: c.raised_by,
        raised_by_name: c.raised_by_name,
        raiser_contact: c.raiser_contact,
        about_person_id: c.about_person,
        about_group_id: c.about_group,
        about_help_match: c.about_help_match,
        about_name: c.about_name,
        what: c.what,
        urgent: c.urgent,
        raised_at: c.raised_at,
        actions: actions
            .into_iter()
            .map(|a| ConcernActionOut {
                id: a.id,
                by_id: a.by_id,
                by_name: a.by_name,
                kind: a.kind,
                text: a.body,
                at: a.at,
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RaisedOut {
    pub id: i64,
}

/// Raise a safeguarding concern about a person or a group. Only the safeguarding leads see it.
#[utoipa::path(post, path = "/api/v1/concerns", tag = "safeguarding", request_body = ConcernBody,
    responses((status = 201, body = RaisedOut), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_raise(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<ConcernBody>,
) -> Result<(StatusCode, Json<RaisedOut>), ApiError> {
    let id = raise(&state, Raiser::Member(&identity), &body, &ip, now()).await?;
    Ok((StatusCode::CREATED, Json(RaisedOut { id })))
}

/// For safeguarding leads: every concern, open ones first (urgent first).
#[utoipa::path(get, path = "/api/v1/concerns", tag = "safeguarding",
    responses((status = 200, body = Vec<ConcernOut>), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_queue(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
) -> Result<Json<Vec<ConcernOut>>, ApiError> {
    let rows = queue(&state, &identity, &ip, now()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| concern_out(r, Vec::new()))
            .collect(),
    ))
}

/// For safeguarding leads: one concern with its actions.
#[utoipa::path(get, path = "/api/v1/concerns/{id}", tag = "safeguarding",
    params(("id" = i64, Path, description = "The concern")),
    responses((status = 200, body = ConcernOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_concern(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<ConcernOut>, ApiError> {
    let (c, a) = open_concern(&state, &identity, id, &ip, now()).await?;
    Ok(Json(concern_out(c, a)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConcernActionBody {
    pub text: String,
}

/// For safeguarding leads: record an action taken.
#[utoipa::path(post, path = "/api/v1/concerns/{id}/actions", tag = "safeguarding", request_body = ConcernActionBody,
    params(("id" = i64, Path, description = "The concern")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_action(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ConcernActionBody>,
) -> Result<StatusCode, ApiError> {
    act(&state, &identity, id, false, &body.text, &ip, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConcernCloseBody {
    pub outcome: String,
}

/// For safeguarding leads: close a concern with its outcome.
#[utoipa::path(post, path = "/api/v1/concerns/{id}/close", tag = "safeguarding", request_body = ConcernCloseBody,
    params(("id" = i64, Path, description = "The concern")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_close(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ConcernCloseBody>,
) -> Result<StatusCode, ApiError> {
    act(&state, &identity, id, true, &body.outcome, &ip, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LeadBody {
    pub lead: bool,
}

/// For hub admins: make someone a safeguarding lead (`{"lead": true}`), or stop.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/safeguarding-lead", tag = "safeguarding", request_body = LeadBody,
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_set_lead(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<LeadBody>,
) -> Result<StatusCode, ApiError> {
    set_lead(&state, &identity, id, body.lead, &ip, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- Pages ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "safeguarding/new.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    about: String,
    about_person: String,
    about_group: String,
    about_help_match: String,
    what: String,
    urgent: bool,
    /// Not signed in: the page asks (optionally) who they are and how to reach them.
    visitor: bool,
    raiser_name: String,
    raiser_contact: String,
    /// Who else to call, from the hub's settings (empty when not set).
    board_name: String,
    board_phone: String,
    hub_contact: String,
}

impl NewPage {
    fn new(state: &AppState, identity: Option<&Identity>, csrf: &CsrfToken) -> Self {
        let s = &state.settings.safeguarding;
        NewPage {
            layout: Layout::new(
                state,
                identity,
                csrf,
                "/concerns/new",
                "Worried about someone?",
            ),
            errors: Errors::none(),
            about: String::new(),
            about_person: String::new(),
            about_group: String::new(),
            about_help_match: String::new(),
            what: String::new(),
            urgent: false,
            visitor: identity.is_none(),
            raiser_name: String::new(),
            raiser_contact: String::new(),
            board_name: s.adults_board_name.clone(),
            board_phone: s.adults_board_phone.clone(),
            hub_contact: s.hub_contact.clone(),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct NewQuery {
    person: Option<i64>,
    #[serde(alias = "organisation")]
    group: Option<String>,
    /// Opened from a help match's page.
    help_match: Option<i64>,
}

#[derive(Debug, Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    about_person: String,
    #[serde(default)]
    about_group: String,
    #[serde(default)]
    about_help_match: String,
    #[serde(default)]
    about_name: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    urgent: Option<String>,
    /// Someone not signed in: their name and how to reach them, both optional.
    #[serde(default)]
    raiser_name: String,
    #[serde(default)]
    raiser_contact: String,
}

pub(crate) async fn view_new(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let about = about_words(
        &state,
        identity.as_ref(),
        q.person,
        q.group.as_deref(),
        q.help_match,
    )
    .await?;
    let mut page = NewPage::new(&state, identity.as_ref(), &csrf);
    if !about.is_empty() {
        match q.help_match {
            Some(id) => page.about_help_match = id.to_string(),
            None => {
                page.about_person = q.person.map(|p| p.to_string()).unwrap_or_default();
                page.about_group = q.group.clone().unwrap_or_default();
            }
        }
    }
    page.about = about;
    Ok(pages::page(&page))
}

pub(crate) async fn view_raise(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<NewForm>,
) -> PageResult {
    let body = ConcernBody {
        about_person_id: form.about_person.trim().parse().ok(),
        about_group_id: Some(form.about_group.clone()).filter(|s| !s.trim().is_empty()),
        about_help_match: form.about_help_match.trim().parse().ok(),
        about_name: form.about_name.clone(),
        what: form.what.clone(),
        urgent: form.urgent.is_some(),
    };
    let raiser = match &identity {
        Some(who) => Raiser::Member(who),
        None => Raiser::Visitor {
            name: &form.raiser_name,
            contact: &form.raiser_contact,
        },
    };
    Ok(match raise(&state, raiser, &body, &ip, now()).await {
        Ok(_) => {
            let reach = if identity.is_some() {
                "Only the hub's safeguarding leads can see what you wrote. They may get in touch with you."
            } else if form.raiser_contact.trim().is_empty() {
                "Only the hub's safeguarding leads can see what you wrote. You did not leave a way to reach you, so they cannot tell you what happens next."
            } else {
                "Only the hub's safeguarding leads can see what you wrote. They may get in touch with you the way you said."
            };
            pages::problem(
                &state,
                identity.as_ref(),
                &csrf,
                StatusCode::OK,
                "Thank you: the safeguarding leads have been told",
                &[reach, "If someone is in danger right now, call 999."],
            )
        }
        Err(Error::Field(f)) => {
            let mut page = NewPage::new(&state, identity.as_ref(), &csrf);
            page.errors = f.into();
            if body.about_person_id.is_some()
                || body.about_group_id.is_some()
                || body.about_help_match.is_some()
            {
                page.about = form.about_name.clone();
            }
            page.about_person = form.about_person.clone();
            page.about_group = form.about_group.clone();
            page.about_help_match = form.about_help_match.clone();
            page.what = form.what.clone();
            page.urgent = body.urgent;
            page.raiser_name = form.raiser_name.clone();
            page.raiser_contact = form.raiser_contact.clone();
            pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => return Err(other.into()),
    })
}

pub struct QueueRow {
    id: i64,
    about: String,
    raised: String,
    urgent: bool,
    open: bool,
}

#[derive(Template)]
#[template(path = "safeguarding/queue.html")]
struct QueuePage {
    layout: Layout,
    rows: Vec<QueueRow>,
}

pub(crate) async fn view_queue(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> PageResult {
    let rows = queue(&state, &identity, &ip, now()).await?;
    Ok(pages::page(&QueuePage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/safeguarding",
            "Safeguarding concerns",
        ),
        rows: rows
            .into_iter()
            .map(|r| QueueRow {
                id: r.id,
                about: r.about_name,
                raised: pages::when(r.raised_at),
                urgent: r.urgent,
                open: r.closed_at.is_none(),
            })
            .collect(),
    }))
}

#[derive(Template)]
#[template(path = "safeguarding/concern.html")]
struct ConcernPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    about: String,
    about_link: Option<String>,
    /// The help match it is about, and whether it is still kept.
    help_match: Option<(i64, bool)>,
    raised_by: String,
    /// How to reach someone who raised it without signing in.
    raiser_contact: String,
    /// Raised by a visitor whose name or way back is still kept: they can ask for it to go.
    forgettable: bool,
    raised: String,
    what: Vec<String>,
    urgent: bool,
    open: bool,
    actions: Vec<(String, String, &'static str, String)>,
}

async fn concern_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    id: i64,
    errors: Errors,
) -> PageResult {
    let (c, actions) = open_concern(state, identity, id, ip, now()).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &ConcernPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/safeguarding",
                format!("Concern {id}"),
            ),
            errors,
            id,
            about_link: c
                .about_group
                .as_ref()
                .map(|o| format!("/directory/groups/{o}")),
            help_match: c.about_help_match.map(|m| (m, c.help_match_kept)),
            about: c.about_name,
            forgettable: c.raised_by.is_none()
                && !(c.raised_by_name.is_empty() && c.raiser_contact.is_empty()),
            raised_by: if c.raised_by.is_none() && c.raised_by_name.is_empty() {
                "Someone who did not sign in (their name and way back were removed, as they asked)"
                    .into()
            } else {
                c.raised_by_name
            },
            raiser_contact: c.raiser_contact,
            raised: pages::when(c.raised_at),
            what: c.what.split("\n\n").map(str::to_string).collect(),
            urgent: c.urgent,
            open: c.closed_at.is_none(),
            actions: actions
                .into_iter()
                .map(|a| {
                    (
                        pages::when(a.at),
                        a.by_name,
                        if a.kind == "closed" {
                            "Closed with this outcome"
                        } else {
                            "Action"
                        },
                        a.body,
                    )
                })
                .collect(),
        },
    ))
}

pub(crate) async fn view_concern(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    concern_page(&state, &identity, &csrf, &ip, id, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct ActForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    outcome: String,
}

async fn acted(
    state: AppState,
    identity: Identity,
    ip: String,
    csrf: CsrfToken,
    id: i64,
    closing: bool,
    body: String,
) -> PageResult {
    match act(&state, &identity, id, closing, &body, &ip, now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/safeguarding/{id}")).into_response()),
        Err(Error::Field(f)) => concern_page(&state, &identity, &csrf, &ip, id, f.into()).await,
        Err(other) => Err(other.into()),
    }
}

pub(crate) async fn view_action(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ActForm>,
) -> PageResult {
    acted(state, identity, ip, csrf, id, false, form.text).await
}

pub(crate) async fn view_close(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ActForm>,
) -> PageResult {
    acted(state, identity, ip, csrf, id, true, form.outcome).await
}

/// Asked before a lead removes the name and way back of a visitor who raised a concern.
pub(crate) async fn view_forget_raiser_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let (c, _) = open_concern(&state, &identity, id, &ip, now()).await?;
    if c.raised_by.is_some() || (c.raised_by_name.is_empty() && c.raiser_contact.is_empty()) {
        // A member's concern, or nothing left to remove: back to the concern.
        return Ok(Redirect::to(&format!("/safeguarding/{id}")).into_response());
    }
    let lines = vec![
        format!(
            "This removes the name ({}) and the way back that the person who raised concern {id} gave. Do it only when they have asked.",
            c.raised_by_name
        ),
        "Everything else about the concern stays as it is. You cannot undo this.".into(),
    ];
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/safeguarding",
            "Remove their name and way back?",
        ),
        lines,
        action: format!("/safeguarding/{id}/forget-raiser"),
        yes: "Yes, remove them".into(),
        no: "No, keep them".into(),
        back: format!("/safeguarding/{id}"),
        reason_label: String::new(),
    })
    .into_response())
}

pub(crate) async fn view_forget_raiser(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> PageResult {
    village_app::safeguarding::forget_visitor_raiser(&state, &identity, id, &ip, now()).await?;
    Ok(Redirect::to(&format!("/safeguarding/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "safeguarding/leads.html")]
struct LeadsPage {
    layout: Layout,
    errors: Errors,
    leads: Vec<(i64, String, String)>,
    email: String,
}

async fn leads_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    errors: Errors,
    email: &str,
) -> PageResult {
    let leads = leads(state, identity).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &LeadsPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/admin/safeguarding-leads",
                "Safeguarding leads",
            ),
            errors,
            leads,
            email: email.to_string(),
        },
    ))
}

pub(crate) async fn view_leads(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    leads_page(&state, &identity, &csrf, Errors::none(), "").await
}

#[derive(Debug, Deserialize, Default)]
pub struct LeadForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    user_id: Option<i64>,
    #[serde(default)]
    lead: String,
}

pub(crate) async fn view_set_lead(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<LeadForm>,
) -> PageResult {
    let on = form.lead == "yes";
    let done = match form.user_id {
        Some(id) => set_lead(&state, &identity, id, on, &ip, now()).await,
        None => set_lead_by_email(&state, &identity, &form.email, on, &ip, now()).await,
    };
    match done {
        Ok(()) => Ok(Redirect::to("/admin/safeguarding-leads").into_response()),
        Err(Error::Field(f)) => leads_page(&state, &identity, &csrf, f.into(), &form.email).await,
        Err(other) => Err(other.into()),
    }
}
