//! Open space and minutes through the API: the grid of rooms × times, proposing a session
//! (409 `room_taken`), notes, the minutes and their approval, and a session or an action
//! becoming a proposal in a decision space.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, MaybeSignedIn};
use crate::extract::Path;
use crate::{now, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_app::gatherings::minutes::{MinutesBody, MinutesSeen};
use village_app::gatherings::open_space::{session_link, SessionBody, ToProposalBody};
use village_domain::gatherings::gathering::moment_text;
use village_store::gatherings::sessions::SessionRow;

/// One open-space session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    pub id: i64,
    pub title: String,
    pub room: String,
    /// RFC 3339, in London time.
    pub starts_at: String,
    /// Who leads it (absent when they have left the hub).
    pub convener: Option<String>,
    /// Who takes the notes (absent when nobody has offered yet).
    pub note_taker: Option<String>,
    pub notes: String,
    /// The proposal in a decision space it became.
    pub proposal_id: Option<i64>,
    /// Its page.
    pub url: String,
}

fn session_out(s: &SessionRow) -> SessionOut {
    SessionOut {
        id: s.id,
        title: s.title.clone(),
        room: s.room.clone(),
        starts_at: moment_text(s.starts_at),
        convener: s.convener_name.clone(),
        note_taker: s.note_taker_name.clone(),
        notes: s.notes.clone(),
        proposal_id: s.proposal_id,
        url: session_link(s.gathering_id, s.id),
    }
}

/// The grid of an open space.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenSpaceOut {
    /// The rooms: the ones its organisers named, then any others sessions use.
    pub rooms: Vec<String>,
    /// When sessions start (RFC 3339, London time).
    pub times: Vec<String>,
    pub sessions: Vec<SessionOut>,
    /// Sessions can be added now.
    pub open: bool,
}

/// The open space of a gathering: its rooms, times and sessions (409 `not_allowed_now` for a
/// gathering not run as open space).
#[utoipa::path(get, path = "/api/v1/gatherings/{id}/sessions", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = OpenSpaceOut), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_sessions(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    Path(id): Path<i64>,
) -> Result<Json<OpenSpaceOut>, ApiError> {
    let grid =
        village_app::gatherings::open_space::open_space(&state, identity.as_ref(), id, now())
            .await?
            .ok_or_else(not_open_space)?;
    Ok(Json(OpenSpaceOut {
        rooms: grid.rooms,
        times: grid.times.iter().map(|t| moment_text(*t)).collect(),
        sessions: grid.sessions.iter().map(session_out).collect(),
        open: grid.open_now,
    }))
}

fn not_open_space() -> village_app::Error {
    village_app::Error::Conflict(
        village_domain::error::ErrorCode::NotAllowedNow,
        "This gathering is not run as open space.".into(),
    )
}

/// Propose a session into a room at one of the grid's times: people going, and its
/// organisers, chairs and the hub's stewards (who may type one in `for_name` someone at the
/// event). 409 `room_taken` when the room already has a session then.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/sessions", tag = "gatherings", request_body = SessionBody,
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 201, body = SessionOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_propose_session(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<SessionBody>,
) -> Result<(StatusCode, Json<SessionOut>), ApiError> {
    let sid =
        village_app::gatherings::open_space::propose(&state, &identity, id, &body, now()).await?;
    let seen =
        village_app::gatherings::open_space::session(&state, Some(&identity), id, sid).await?;
    Ok((StatusCode::CREATED, Json(session_out(&seen.session))))
}

/// One session, with its notes.
#[utoipa::path(get, path = "/api/v1/gatherings/{id}/sessions/{session_id}", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 200, body = SessionOut), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_session(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Json<SessionOut>, ApiError> {
    let seen =
        village_app::gatherings::open_space::session(&state, identity.as_ref(), id, sid).await?;
    Ok(Json(session_out(&seen.session)))
}

/// Offer to take a session's notes (409 when someone already does).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/sessions/{session_id}/note-taker", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 200, body = SessionOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_take_notes(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Json<SessionOut>, ApiError> {
    village_app::gatherings::open_space::take_notes(&state, &identity, id, sid).await?;
    let seen =
        village_app::gatherings::open_space::session(&state, Some(&identity), id, sid).await?;
    Ok(Json(session_out(&seen.session)))
}

/// A session's notes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NotesBody {
    pub notes: String,
}

/// Write a session's notes: its convener and note-taker, and the gathering's organisers,
/// chairs and the hub's stewards.
#[utoipa::path(put, path = "/api/v1/gatherings/{id}/sessions/{session_id}/notes", tag = "gatherings", request_body = NotesBody,
    params(("id" = i64, Path, description = "The gathering"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 200, body = SessionOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_write_notes(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, sid)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<NotesBody>,
) -> Result<Json<SessionOut>, ApiError> {
    village_app::gatherings::open_space::write_notes(
        &state,
        &identity,
        id,
        sid,
        &body.notes,
        now(),
    )
    .await?;
    let seen =
        village_app::gatherings::open_space::session(&state, Some(&identity), id, sid).await?;
    Ok(Json(session_out(&seen.session)))
}

/// A proposal made from a gathering.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalMade {
    pub proposal_id: i64,
    /// The proposal's page.
    pub url: String,
}

/// Make a session a proposal in a decision space, in one step, linked both ways: its
/// convener, or the gathering's organisers and chairs, who take part in the space (409
/// `already_decided` if it is one already).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/sessions/{session_id}/proposal", tag = "gatherings", request_body = ToProposalBody,
    params(("id" = i64, Path, description = "The gathering"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 201, body = ProposalMade), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_session_to_proposal(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, sid)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<ToProposalBody>,
) -> Result<(StatusCode, Json<ProposalMade>), ApiError> {
    let pid = village_app::gatherings::open_space::session_to_proposal(
        &state,
        &identity,
        id,
        sid,
        &body,
        now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(made(pid))))
}

fn made(pid: i64) -> ProposalMade {
    ProposalMade {
        proposal_id: pid,
        url: format!("/proposals/{pid}"),
    }
}

/// One action in the minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionOut {
    pub id: i64,
    pub what: String,
    pub who: String,
    /// The day it is done by.
    pub by: Option<String>,
    /// The proposal in a decision space it became.
    pub proposal_id: Option<i64>,
}

/// A session the minutes link to.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionLinkOut {
    pub id: i64,
    pub title: String,
    pub url: String,
}

/// The minutes of a gathering.
#[derive(Debug, Serialize, ToSchema)]
pub struct MinutesOut {
    pub body: String,
    /// How many came.
    pub came: i64,
    /// The groups that came.
    pub groups: Vec<String>,
    pub actions: Vec<ActionOut>,
    /// A chair approved them (before then only its organisers and chairs see them).
    pub approved: bool,
    pub approved_at: Option<String>,
    /// The chair who approved them.
    pub approved_by: Option<String>,
    /// Every session's notes, linked.
    pub sessions: Vec<SessionLinkOut>,
}

fn minutes_out(seen: MinutesSeen) -> Result<MinutesOut, ApiError> {
    let m = seen
        .minutes
        .ok_or(village_app::Error::NotFound("minutes"))?;
    Ok(MinutesOut {
        groups: m.group_list(),
        body: m.body,
        came: m.came,
        actions: seen
            .actions
            .into_iter()
            .map(|a| ActionOut {
                id: a.id,
                what: a.what,
                who: a.who,
                by: a.by_day,
                proposal_id: a.proposal_id,
            })
            .collect(),
        approved: m.approved_at.is_some(),
        approved_at: m.approved_at.map(moment_text),
        approved_by: m.approved_by_name,
        sessions: seen
            .sessions
            .iter()
            .map(|s| SessionLinkOut {
                id: s.id,
                title: s.title.clone(),
                url: session_link(s.gathering_id, s.id),
            })
            .collect(),
    })
}

/// The minutes: for anyone who sees the gathering once a chair has approved them; before
/// then, for its organisers and chairs only (404 for anyone else, and while none are written).
#[utoipa::path(get, path = "/api/v1/gatherings/{id}/minutes", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = MinutesOut), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_minutes(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    Path(id): Path<i64>,
) -> Result<Json<MinutesOut>, ApiError> {
    let seen =
        village_app::gatherings::minutes::minutes(&state, identity.as_ref(), id, now()).await?;
    Ok(Json(minutes_out(seen)?))
}

/// Write or rewrite the minutes (its organisers and chairs, once it has started; not for a
/// cancelled one). Actions not sent are removed; send an action's `id` to keep the proposal
/// it became. Rewritten minutes wait for a chair to approve them again.
#[utoipa::path(put, path = "/api/v1/gatherings/{id}/minutes", tag = "gatherings", request_body = MinutesBody,
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = MinutesOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_put_minutes(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MinutesBody>,
) -> Result<Json<MinutesOut>, ApiError> {
    let t = now();
    village_app::gatherings::minutes::put_minutes(&state, &identity, id, &body, t).await?;
    let seen = village_app::gatherings::minutes::minutes(&state, Some(&identity), id, t).await?;
    Ok(Json(minutes_out(seen)?))
}

/// A chair approves the minutes: then anyone who sees the gathering reads them, and everyone
/// who signed up is told (403 for anyone but a chair who agreed; 409 when there are none yet,
/// or they are approved already).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/minutes/approve", tag = "gatherings",
    params(("id" = i64, Path, description = "The gathering")),
    responses((status = 200, body = MinutesOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_approve_minutes(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<MinutesOut>, ApiError> {
    let t = now();
    village_app::gatherings::minutes::approve_minutes(&state, &identity, id, t).await?;
    let seen = village_app::gatherings::minutes::minutes(&state, Some(&identity), id, t).await?;
    Ok(Json(minutes_out(seen)?))
}

/// Make an action in the minutes a proposal in a decision space, in one step, linked both
/// ways (the gathering's organisers and chairs, who take part in the space).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/actions/{action_id}/proposal", tag = "gatherings", request_body = ToProposalBody,
    params(("id" = i64, Path, description = "The gathering"), ("action_id" = i64, Path, description = "The action")),
    responses((status = 201, body = ProposalMade), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_action_to_proposal(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, aid)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<ToProposalBody>,
) -> Result<(StatusCode, Json<ProposalMade>), ApiError> {
    let pid = village_app::gatherings::minutes::action_to_proposal(
        &state,
        &identity,
        id,
        aid,
        &body,
        now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(made(pid))))
}

/// The routes of open space and minutes.
pub(crate) fn routes(
    router: utoipa_axum::router::OpenApiRouter<AppState>,
) -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::routes;
    router
        .routes(routes!(api_sessions, api_propose_session))
        .routes(routes!(api_session))
        .routes(routes!(api_take_notes))
        .routes(routes!(api_write_notes))
        .routes(routes!(api_session_to_proposal))
        .routes(routes!(api_minutes, api_put_minutes))
        .routes(routes!(api_approve_minutes))
        .routes(routes!(api_action_to_proposal))
}
