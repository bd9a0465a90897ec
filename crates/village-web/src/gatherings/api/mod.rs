//! Gatherings through the API: making one, chairs, publishing and cancelling, signing up
//! with what would help, and the answers organisers and chairs read.

mod sessions;

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, MaybeSignedIn};
use crate::extract::Path;
use crate::{now, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_app::gatherings::{GatheringBody, Listing, Seen, SignUpBody};
use village_domain::error::{ErrorCode, FieldError};
use village_domain::gatherings::gathering::{
    moment_text, parse_moment, AccessFact, State as GatheringState,
};
use village_domain::gatherings::places::{Need, Place};
use village_store::gatherings::GatheringRow;

/// Where a gathering happens in person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceOut {
    pub venue: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

/// Someone asked to chair, for the gathering's organisers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChairOut {
    pub member_id: i64,
    pub name: String,
    /// `invited`, `accepted` or `declined`.
    pub state: String,
    /// Agreed to be named on the page.
    pub named: bool,
}

/// A member who runs a gathering, for its organisers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganiserOut {
    pub member_id: i64,
    pub name: String,
}

/// A gathering.
#[derive(Debug, Serialize, ToSchema)]
pub struct GatheringOut {
    pub id: i64,
    pub title: String,
    /// What it is for.
    pub about: String,
    /// Who it is for.
    pub for_whom: String,
    /// RFC 3339, in London time.
    pub starts_at: String,
    pub ends_at: String,
    /// `draft`, `published`, `cancelled` or `ended`.
    pub state: GatheringState,
    pub place: Option<PlaceOut>,
    /// It happens online (or online too).
    pub online: bool,
    /// The joining link: only for people going, its chairs and its organisers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// How many places (absent: no limit).
    pub capacity: Option<i64>,
    /// Places kept for people who draw on care and support.
    pub reserved_places: i64,
    /// What the venue has that helps people take part.
    pub access: Vec<AccessFact>,
    pub cost: String,
    /// The group in the directory that runs it.
    pub organization_id: Option<String>,
    /// The offer in the directory whose place it is at.
    pub offer_id: Option<String>,
    pub open_space: bool,
    /// Open space: the rooms its organisers named (none: people name them).
    pub rooms: Vec<String>,
    /// Open space: how long each session lasts, in minutes.
    pub session_minutes: i64,
    /// `once`, `weekly` or `monthly` (the same week-day of the same week of each month).
    pub repeats: village_domain::gatherings::gathering::Repeats,
    /// For a series: the last day it may happen.
    pub repeat_until: Option<String>,
    /// For a series: the days it does not happen.
    pub skip: Vec<String>,
    /// For a series: when the next time starts (absent once the last has started).
    pub next_starts_at: Option<String>,
    /// At least one chair with lived experience has agreed to chair it.
    pub chaired_by_lived_experience: bool,
    /// The chairs who agreed to be named.
    pub chairs: Vec<String>,
    pub going: i64,
    pub waiting: i64,
    /// Raised on every change of time or place (the calendar's `SEQUENCE`).
    pub sequence: i64,
    /// The caller's place: `going`, `waiting` or `offered` (absent when not signed up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_state: Option<Place>,
    /// For someone offered a place: until when it is held (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offered_until: Option<String>,
    /// For its organisers: everyone asked to chair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_chairs: Option<Vec<ChairOut>>,
    /// For its organisers: the members who run it (besides its group's organisers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisers: Option<Vec<OrganiserOut>>,
}

fn place_of(row: &GatheringRow) -> Option<PlaceOut> {
    (row.venue.is_some() || row.address.is_some() || row.postcode.is_some()).then(|| PlaceOut {
        venue: row.venue.clone(),
        address: row.address.clone(),
        postcode: row.postcode.clone(),
    })
}

/// A gathering in a list (no one's own place in it).
fn listed_out(row: &GatheringRow, t: i64) -> GatheringOut {
    GatheringOut {
        id: row.id,
        title: row.title.clone(),
        about: row.about.clone(),
        for_whom: row.for_whom.clone(),
        starts_at: moment_text(row.starts_at),
        ends_at: moment_text(row.ends_at),
        state: village_domain::gatherings::gathering::state_at(row.state, row.last_ends_at, t),
        place: place_of(row),
        online: row.online_url.is_some(),
        online_url: None,
        capacity: row.capacity,
        reserved_places: row.reserved_places,
        access: row
            .access
            .split(',')
            .filter_map(AccessFact::parse)
            .collect(),
        cost: row.cost.clone(),
        organization_id: row.organization_id.clone(),
        offer_id: row.offer_id.clone(),
        open_space: row.open_space,
        rooms: row.room_list(),
        session_minutes: row.session_minutes,
        repeats: row.series().repeats,
        repeat_until: row.repeat_until.clone(),
        skip: row
            .series()
            .skipped
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect(),
        next_starts_at: village_app::gatherings::next_time(row, t).map(|(s, _)| moment_text(s)),
        chaired_by_lived_experience: false,
        chairs: Vec::new(),
        going: 0,
        waiting: 0,
        sequence: row.sequence,
        my_state: None,
        offered_until: None,
        invited_chairs: None,
        organisers: None,
    }
}

fn seen_out(s: Seen) -> GatheringOut {
    let mut out = listed_out(&s.row, now());
    out.state = s.state;
    out.online_url = s.online_url;
    out.chaired_by_lived_experience = s.chaired_by_lived_experience;
    out.chairs = s.named_chairs;
    out.going = s.going;
    out.waiting = s.waiting;
    out.my_state = s.mine.as_ref().map(|m| m.place);
    out.offered_until = s.mine.and_then(|m| m.offered_until).map(moment_text);
    out.organisers = s.standing.organiser.then(|| {
        s.organisers
            .iter()
            .map(|(member_id, name)| OrganiserOut {
                member_id: *member_id,
                name: name.clone(),
            })
            .collect()
    });
    out.invited_chairs = s.standing.organiser.then(|| {
        s.chairs
            .into_iter()
            .map(|c| ChairOut {
                member_id: c.user_id,
                name: c.display_name,
                state: c.state,
                named: c.named,
            })
            .collect()
    });
    out
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Gatherings ending after this (a day, `2026-12-01`, or a moment); now unless given.
    pub from: Option<String>,
    /// Gatherings starting before this (a day or a moment).
    pub to: Option<String>,
    /// One group's (ORUK organization id).
    pub group: Option<String>,
}

/// Read `from` or `to`: a moment, or a day (its start in London).
fn moment_param(field: &'static str, text: Option<&str>) -> Result<Option<i64>, FieldError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    parse_moment(text)
        .or_else(|| {
            village_domain::dates::parse_day(text).and_then(village_domain::dates::day_start)
        })
        .map(Some)
        .ok_or_else(|| {
            FieldError::new(
                field,
                ErrorCode::InvalidParameter,
                "Give a day like 2026-12-01, or a moment like 2026-12-01T10:00.",
            )
        })
}

/// Published gatherings (and cancelled ones, so people see they are off), soonest first:
/// those ending after `from` (now unless given) and starting before `to`; one group's with
/// `group`.
#[utoipa::path(get, path = "/api/v1/gatherings", tag = "gatherings",
    params(ListQuery),
    responses((status = 200, body = Vec<GatheringOut>), (status = 400, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_gatherings(
    State(state): State<AppState>,
    crate::extract::Query(q): crate::extract::Query<ListQuery>,
) -> Result<Json<Vec<GatheringOut>>, ApiError> {
    let listing = Listing {
        from: moment_param("from", q.from.as_deref())?,
        to: moment_param("to", q.to.as_deref())?,
        group: q.group.filter(|g| !g.trim().is_empty()),
    };
    let t = now();
    let rows = village_app::gatherings::list(&state, &listing, t).await?;
    Ok(Json(rows.iter().map(|r| listed_out(r, t)).collect()))
}

/// Make a draft gathering (whoever makes it organises it). Nobody else sees it until it is
/// published. 422 naming each field with a problem.
#[utoipa::path(post, path = "/api/v1/gatherings", tag = "gatherings", request_body = GatheringBody,
    responses((status = 201, body = GatheringOut), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_create(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ApiJson(body): ApiJson<GatheringBody>,
) -> Result<(StatusCode, Json<GatheringOut>), ApiError> {
    let t = now();
    let id = village_app::gatherings::create(&state, &identity, &body, t).await?;
    let seen = village_app::gatherings::gathering(&state, Some(&identity), id, t).await?;
    Ok((StatusCode::CREATED, Json(seen_out(seen))))
}

/// One gathering, with `my_state` for the caller. A draft only for its organisers and the
/// people asked to chair it (404 for anyone else).
#[utoipa::path(get, path = "/api/v1/gatherings/{id}", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = GatheringOut), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_gathering(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    Path(id): Path<i64>,
) -> Result<Json<GatheringOut>, ApiError> {
    let seen = village_app::gatherings::gathering(&state, identity.as_ref(), id, now()).await?;
    Ok(Json(seen_out(seen)))
}

/// For its organisers, before it has happened: change what, when and where (the whole
/// description, as when it was made). A change of time or place raises `sequence` (the
/// calendar's `SEQUENCE`) and tells everyone signed up. 409 `not_allowed_now` once it has
/// happened or was cancelled; 422 naming each field with a problem.
#[utoipa::path(put, path = "/api/v1/gatherings/{id}", tag = "gatherings", request_body = GatheringBody,
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = GatheringOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_update(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<GatheringBody>,
) -> Result<Json<GatheringOut>, ApiError> {
    let t = now();
    village_app::gatherings::update(&state, &identity, id, &body, t).await?;
    let seen = village_app::gatherings::gathering(&state, Some(&identity), id, t).await?;
    Ok(Json(seen_out(seen)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChairBody {
    /// The member asked to chair.
    pub member_id: i64,
}

/// For its organisers: ask a member to chair (they are told, and say yes or no).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/chairs", tag = "gatherings", request_body = ChairBody,
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = GatheringOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_invite_chair(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ChairBody>,
) -> Result<Json<GatheringOut>, ApiError> {
    let t = now();
    village_app::gatherings::invite_chair(&state, &identity, id, body.member_id, t).await?;
    let seen = village_app::gatherings::gathering(&state, Some(&identity), id, t).await?;
    Ok(Json(seen_out(seen)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrganiserBody {
    /// The member who will help to run it.
    pub member_id: i64,
}

/// For its organisers: add a member to the people running it (they are told). They can then
/// change it, ask chairs, publish it and read what would help people.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/organisers", tag = "gatherings", request_body = OrganiserBody,
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = GatheringOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_add_organiser(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<OrganiserBody>,
) -> Result<Json<GatheringOut>, ApiError> {
    let t = now();
    village_app::gatherings::add_organiser(&state, &identity, id, body.member_id, t).await?;
    let seen = village_app::gatherings::gathering(&state, Some(&identity), id, t).await?;
    Ok(Json(seen_out(seen)))
}

/// For its organisers: take a member off the people running it (anyone running it may take
/// themselves off). 409 `not_allowed_now` when nobody would be left to run it.
#[utoipa::path(delete, path = "/api/v1/gatherings/{id}/organisers/{member_id}", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering"), ("member_id" = i64, Path, description = "The member")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_remove_organiser(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, member_id)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    village_app::gatherings::remove_organiser(&state, &identity, id, member_id, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AnswerQuery {
    /// When accepting: show my name on the gathering's page (not unless `true`).
    #[serde(default)]
    pub named: bool,
}

/// For someone asked to chair: `accept` (named on the page with `?named=true`) or
/// `decline`; declining after accepting steps down (a published gathering left with no
/// chair with lived experience goes back to needing one, and its organisers are told).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/chair-invitation/{answer}", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering"), ("answer" = String, Path, description = "`accept` or `decline`"), AnswerQuery),
    responses((status = 200, body = GatheringOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_answer_chair(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, answer)): Path<(i64, String)>,
    crate::extract::Query(q): crate::extract::Query<AnswerQuery>,
) -> Result<Json<GatheringOut>, ApiError> {
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(village_app::Error::NotFound("answer: accept or decline").into()),
    };
    let t = now();
    village_app::gatherings::answer_chair(&state, &identity, id, accept, q.named, t).await?;
    let seen = village_app::gatherings::gathering(&state, Some(&identity), id, t).await?;
    Ok(Json(seen_out(seen)))
}

/// For its organisers: publish a draft. 409 `chair_needed` until a chair with lived
/// experience has agreed; 409 `not_allowed_now` once published or cancelled.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/publish", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = GatheringOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_publish(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<GatheringOut>, ApiError> {
    let t = now();
    village_app::gatherings::publish(&state, &identity, id, t).await?;
    let seen = village_app::gatherings::gathering(&state, Some(&identity), id, t).await?;
    Ok(Json(seen_out(seen)))
}

/// For its organisers: cancel a gathering still to come (everyone signed up is told; its
/// calendar entry says `STATUS:CANCELLED`). 409 `not_allowed_now` once it has happened or
/// was cancelled.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/cancel", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = GatheringOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_cancel(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<GatheringOut>, ApiError> {
    let t = now();
    village_app::gatherings::cancel(&state, &identity, id, t).await?;
    let seen = village_app::gatherings::gathering(&state, Some(&identity), id, t).await?;
    Ok(Json(seen_out(seen)))
}

/// Where the caller stands after signing up.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedUp {
    /// `going`, `waiting` or `offered`.
    pub state: Place,
}

/// Sign up, saying what would help you take part (seen only by its organisers and chairs,
/// and deleted after the gathering): a place if there is one, else the waiting list.
/// Signing up again keeps your place and replaces your answers. 409 `not_allowed_now`
/// before it is published and once it has started.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/sign-ups", tag = "gatherings", request_body = SignUpBody,
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = SignedUp), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_sign_up(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<SignUpBody>,
) -> Result<Json<SignedUp>, ApiError> {
    let place = village_app::gatherings::sign_up(&state, &identity, id, &body, now()).await?;
    Ok(Json(SignedUp { state: place }))
}

/// Take the place you were offered from the waiting list, while it is held. 409
/// `not_allowed_now` when none is held for you.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/sign-ups/me/take", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = SignedUp), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_take_offer(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<SignedUp>, ApiError> {
    village_app::gatherings::take_offer(&state, &identity, id, now()).await?;
    Ok(Json(SignedUp {
        state: Place::Going,
    }))
}

/// Leave: your place (offered to the next person waiting), or your place on the waiting
/// list. What you said would help goes at once. 404 when you had not signed up.
#[utoipa::path(delete, path = "/api/v1/gatherings/{id}/sign-ups/me", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_leave(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    village_app::gatherings::leave(&state, &identity, id, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What one person said would help them take part.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedsOut {
    pub member_id: i64,
    pub name: String,
    pub needs: Vec<Need>,
    pub words: String,
}

/// For its organisers and the chairs who agreed only (403 for anyone else): what the people
/// who signed up said would help them. Every person's answers read is in the audit log.
#[utoipa::path(get, path = "/api/v1/gatherings/{id}/needs", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = Vec<NeedsOut>), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_needs(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<Vec<NeedsOut>>, ApiError> {
    let rows = village_app::gatherings::needs(&state, &identity, id, &ip, now()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| NeedsOut {
                member_id: r.user_id,
                name: r.display_name,
                needs: r.needs.split(',').filter_map(Need::parse).collect(),
                words: r.words,
            })
            .collect(),
    ))
}

/// The gatherings API's routes, added to the hub's API router (and its OpenAPI document).
pub(crate) fn api_routes(
    router: utoipa_axum::router::OpenApiRouter<AppState>,
) -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::routes;
    sessions::routes(router)
        .routes(routes!(api_gatherings, api_create))
        .routes(routes!(api_gathering, api_update))
        .routes(routes!(api_invite_chair))
        .routes(routes!(api_add_organiser))
        .routes(routes!(api_remove_organiser))
        .routes(routes!(api_answer_chair))
        .routes(routes!(api_publish))
        .routes(routes!(api_cancel))
        .routes(routes!(api_sign_up))
        .routes(routes!(api_take_offer))
        .routes(routes!(api_leave))
        .routes(routes!(api_needs))
}
