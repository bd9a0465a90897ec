//! Follow-up: wellbeing check-ins the person owns (only they see them), and shortlists a
//! connector builds for someone who chose them, shares, and the person picks from.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, when, Errors, Layout, PageError, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use village_app::accounts::Identity;
use village_app::connections::checkins::{check_in, my_checkins, CheckinOut};
use village_app::connections::shortlists::{
    add_item, new_shortlist, pick, share, shortlist, shortlists, ShortlistOut,
};
use village_app::Error;
use village_domain::connections::checkin::{chart, next_due, Answers, Moment, QUESTIONS};

// ---- Check-ins ----------------------------------------------------------------------------

/// Your wellbeing check-ins (only you see them).
#[utoipa::path(get, path = "/api/v1/me/check-ins", tag = "connections",
    responses((status = 200, body = Vec<CheckinOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_checkins(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<Vec<CheckinOut>>, ApiError> {
    my_checkins(&state, &identity)
        .await
        .map(Json)
        .map_err(ApiError::from)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckinBody {
    /// `start`, `six_weeks` or `three_months` (a second one replaces the first).
    pub moment: String,
    #[serde(flatten)]
    pub answers: Answers,
}

/// Record a check-in: the four ONS wellbeing questions (0 to 10, any left out) and what has
/// changed for you.
#[utoipa::path(post, path = "/api/v1/me/check-ins", tag = "connections", request_body = CheckinBody,
    responses((status = 201, body = Vec<CheckinOut>), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_check_in(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ApiJson(body): ApiJson<CheckinBody>,
) -> Result<(StatusCode, Json<Vec<CheckinOut>>), ApiError> {
    check_in(&state, &identity, &body.moment, body.answers, now())
        .await
        .map_err(ApiError::from)?;
    let all = my_checkins(&state, &identity)
        .await
        .map_err(ApiError::from)?;
    Ok((StatusCode::CREATED, Json(all)))
}

#[derive(Template)]
#[template(path = "connections/checkins.html")]
struct CheckinsPage {
    layout: Layout,
    errors: Errors,
    questions: Vec<(&'static str, &'static str)>,
    rows: Vec<(String, Vec<String>, String)>,
    chart: String,
    next_moment: &'static str,
    next_words: &'static str,
    due: String,
}

async fn checkins_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    errors: Errors,
) -> PageResult {
    let list = my_checkins(state, identity).await?;
    let done: Vec<(Moment, i64)> = list.iter().map(|c| (c.moment, c.at)).collect();
    let (next, due) = if done.is_empty() {
        (Some(Moment::Start), String::new())
    } else {
        match next_due(&done) {
            Some((m, at)) => (
                Some(m),
                if at > now() {
                    format!("due from {}", when(at))
                } else {
                    "due now".to_string()
                },
            ),
            None => (None, String::new()),
        }
    };
    let labelled: Vec<(String, Answers)> = list
        .iter()
        .map(|c| (c.moment.words().to_string(), c.answers.clone()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &CheckinsPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/me/check-ins",
                "How things are going",
            ),
            errors,
            questions: QUESTIONS.to_vec(),
            rows: list
                .iter()
                .map(|c| {
                    (
                        format!("{} ({})", c.moment.words(), when(c.at)),
                        c.answers
                            .scores()
                            .iter()
                            .map(|s| s.map_or_else(|| "Left out".to_string(), |v| v.to_string()))
                            .collect(),
                        c.answers.changed.clone(),
                    )
                })
                .collect(),
            chart: if list.is_empty() {
                String::new()
            } else {
                chart(&labelled)
            },
            next_moment: next.map_or("", Moment::code),
            next_words: next.map_or("", Moment::words),
            due,
        },
    ))
}

pub(crate) async fn view_checkins(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    checkins_page(&state, &identity, &csrf, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct CheckinForm {
    #[serde(default)]
    moment: String,
    #[serde(default)]
    satisfied: String,
    #[serde(default)]
    worthwhile: String,
    #[serde(default)]
    happy: String,
    #[serde(default)]
    anxious: String,
    #[serde(default)]
    changed: String,
}

pub(crate) async fn view_checkin_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<CheckinForm>,
) -> PageResult {
    let score = |s: &str| s.trim().parse::<i64>().ok();
    let answers = Answers {
        satisfied: score(&form.satisfied),
        worthwhile: score(&form.worthwhile),
        happy: score(&form.happy),
        anxious: score(&form.anxious),
        changed: form.changed.clone(),
    };
    match check_in(&state, &identity, &form.moment, answers, now()).await {
        Ok(()) => Ok(Redirect::to("/me/check-ins").into_response()),
        Err(Error::Field(f)) => checkins_page(&state, &identity, &csrf, f.into()).await,
        Err(e) => Err(e.into()),
    }
}

// ---- Shortlists ---------------------------------------------------------------------------

/// Shortlists shared with you.
#[utoipa::path(get, path = "/api/v1/me/shortlists", tag = "connections",
    responses((status = 200, body = Vec<ShortlistOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_shortlists(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
) -> Result<Json<Vec<ShortlistOut>>, ApiError> {
    let me = identity.user.id;
    shortlists(&state, &identity, me, &ip, now())
        .await
        .map(Json)
        .map_err(ApiError::from)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ShortlistBody {
    pub title: String,
}

/// For a connector the person chose: the shortlists you made for them.
#[utoipa::path(get, path = "/api/v1/people/{id}/shortlists", tag = "connections",
    params(("id" = i64, Path, description = "The person's account number")),
    responses((status = 200, body = Vec<ShortlistOut>), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_person_shortlists(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ShortlistOut>>, ApiError> {
    shortlists(&state, &identity, id, &ip, now())
        .await
        .map(Json)
        .map_err(ApiError::from)
}

/// For a connector the person chose: start a shortlist for them (shared only when you share it).
#[utoipa::path(post, path = "/api/v1/people/{id}/shortlists", tag = "connections", request_body = ShortlistBody,
    params(("id" = i64, Path, description = "The person's account number")),
    responses((status = 201, body = ShortlistOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_new_shortlist(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ShortlistBody>,
) -> Result<(StatusCode, Json<ShortlistOut>), ApiError> {
    let sid = new_shortlist(&state, &identity, id, &body.title, now())
        .await
        .map_err(ApiError::from)?;
    Ok((
        StatusCode::CREATED,
        Json(shortlist(&state, &identity, sid).await?),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemBody {
    /// The ORUK service id.
    pub offer_id: String,
    /// Why it might suit them.
    #[serde(default)]
    pub note: String,
}

/// Add an offer, with a note, to a shortlist you made (a second time changes the note).
#[utoipa::path(post, path = "/api/v1/shortlists/{id}/items", tag = "connections", request_body = ItemBody,
    params(("id" = i64, Path, description = "The shortlist")),
    responses((status = 200, body = ShortlistOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_add_item(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ItemBody>,
) -> Result<Json<ShortlistOut>, ApiError> {
    add_item(&state, &identity, id, &body.offer_id, &body.note, now())
        .await
        .map_err(ApiError::from)?;
    Ok(Json(shortlist(&state, &identity, id).await?))
}

/// Share a shortlist you made with the person (they are told).
#[utoipa::path(post, path = "/api/v1/shortlists/{id}/share", tag = "connections",
    params(("id" = i64, Path, description = "The shortlist")),
    responses((status = 200, body = ShortlistOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_share(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ShortlistOut>, ApiError> {
    share(&state, &identity, id, now())
        .await
        .map_err(ApiError::from)?;
    Ok(Json(shortlist(&state, &identity, id).await?))
}

/// Pick an offer from a shortlist shared with you (your connector is told).
#[utoipa::path(post, path = "/api/v1/shortlists/{id}/items/{offer_id}/pick", tag = "connections",
    params(("id" = i64, Path, description = "The shortlist"), ("offer_id" = String, Path, description = "The offer's id (its ORUK service id)")),
    responses((status = 200, body = ShortlistOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_pick(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, offer_id)): Path<(i64, String)>,
) -> Result<Json<ShortlistOut>, ApiError> {
    pick(&state, &identity, id, &offer_id, now())
        .await
        .map_err(ApiError::from)?;
    Ok(Json(shortlist(&state, &identity, id).await?))
}

#[derive(Template)]
#[template(path = "connections/shortlists.html")]
struct ShortlistsPage {
    layout: Layout,
    errors: Errors,
    own: bool,
    person_id: i64,
    person_name: String,
    lists: Vec<ShortlistOut>,
    ideas: Vec<(String, String)>,
    /// Words a connector searched the directory for, and what they found.
    find: String,
    found: Vec<village_app::connections::shortlists::FoundOffer>,
}

#[allow(clippy::too_many_arguments)]
async fn shortlists_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    person: i64,
    errors: Errors,
    find: &str,
) -> PageResult {
    let own = identity.user.id == person;
    let t = now();
    let lists = shortlists(state, identity, person, ip, t).await?;
    // A connector picks from the ideas built from what the person shares with connectors.
    let (ideas, person_name) = if own {
        (Vec::new(), identity.user.display_name.clone())
    } else {
        match village_app::connections::ideas(state, identity, person, ip, t, 30).await {
            Ok(i) => (
                i.ideas
                    .into_iter()
                    .map(|x| (x.suggestion.offer_id, x.name))
                    .collect(),
                i.person_name,
            ),
            Err(e) => return Err(e.into()),
        }
    };
    let found = if own {
        Vec::new()
    } else {
        village_app::connections::shortlists::find_offers(state, find).await?
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &ShortlistsPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                if own {
                    "/me/shortlists"
                } else {
                    "/connector/people"
                },
                if own {
                    "Shortlists for you".to_string()
                } else {
                    format!("Shortlists for {person_name}")
                },
            ),
            errors,
            own,
            person_id: person,
            person_name,
            lists,
            ideas,
            find: find.to_string(),
            found,
        },
    ))
}

pub(crate) async fn view_my_shortlists(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> PageResult {
    let me = identity.user.id;
    shortlists_page(&state, &identity, &csrf, &ip, me, Errors::none(), "").await
}

pub(crate) async fn view_connector_shortlists(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<FindQuery>,
) -> PageResult {
    shortlists_page(&state, &identity, &csrf, &ip, id, Errors::none(), &q.find).await
}

/// Words to find any offer in the directory from a shortlist page.
#[derive(Debug, Deserialize, Default)]
pub struct FindQuery {
    #[serde(default)]
    find: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct TitleForm {
    #[serde(default)]
    title: String,
}

pub(crate) async fn view_new_shortlist(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<TitleForm>,
) -> PageResult {
    match new_shortlist(&state, &identity, id, &form.title, now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}/shortlists")).into_response()),
        Err(Error::Field(f)) => {
            shortlists_page(&state, &identity, &csrf, &ip, id, f.into(), "").await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ItemForm {
    #[serde(default)]
    offer_id: String,
    #[serde(default)]
    note: String,
}

/// Whose shortlist it is, for where to go back to.
async fn person_of(state: &AppState, identity: &Identity, id: i64) -> Option<i64> {
    shortlist(state, identity, id)
        .await
        .ok()
        .map(|s| s.person_id)
}

pub(crate) async fn view_add_item(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> PageResult {
    let person = person_of(&state, &identity, id).await;
    match (
        add_item(&state, &identity, id, &form.offer_id, &form.note, now()).await,
        person,
    ) {
        (Ok(()), Some(p)) => Ok(Redirect::to(&format!("/people/{p}/shortlists")).into_response()),
        (Err(Error::Field(f)), Some(p)) => {
            shortlists_page(&state, &identity, &csrf, &ip, p, f.into(), "").await
        }
        (Err(e), _) => Err(e.into()),
        (Ok(()), None) => Err(PageError::NotFound),
    }
}

pub(crate) async fn view_share(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let person = person_of(&state, &identity, id).await;
    match (share(&state, &identity, id, now()).await, person) {
        (Ok(()), Some(p)) => Ok(Redirect::to(&format!("/people/{p}/shortlists")).into_response()),
        (Err(Error::Field(f)), Some(p)) => {
            shortlists_page(&state, &identity, &csrf, &ip, p, f.into(), "").await
        }
        (Err(e), _) => Err(e.into()),
        (Ok(()), None) => Err(PageError::NotFound),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct PickForm {
    #[serde(default)]
    offer_id: String,
}

pub(crate) async fn view_pick(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<PickForm>,
) -> PageResult {
    match pick(&state, &identity, id, &form.offer_id, now()).await {
        // Picking leads straight on to asking for an introduction, on the person's terms.
        Ok(()) => Ok(Redirect::to(&format!(
            "/introductions/new?offer={}",
            form_urlencoded::byte_serialize(form.offer_id.as_bytes()).collect::<String>()
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}
