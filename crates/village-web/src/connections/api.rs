//! The connections API: suggestions, saved and dismissed offers, introductions, notices.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress};
use crate::extract::{Path, Query};
use crate::{now, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use village_app::connections::mine::{
    self, out, IntroductionEventOut, IntroductionOut, NotificationOut, PreferencesBody,
};
use village_app::connections::{IntroductionRequest, Requested, Seen};
use village_domain::connections::introduction::Action;
use village_domain::connections::matching::Preferences;
use village_domain::error::ErrorCode;

/// One suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchOut {
    /// The ORUK service id of the offer.
    pub offer_id: String,
    /// Higher fits better; only the order means anything.
    pub score: f64,
    /// Why it is suggested, in plain words.
    pub reasons: Vec<String>,
    pub name: String,
    pub organization_name: Option<String>,
    /// Whether the person saved it.
    pub saved: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SuggestionsQuery {
    /// How many (1 to 50; 20 when left out).
    pub limit: Option<usize>,
}

async fn suggestions(
    state: &AppState,
    who: &village_app::accounts::Identity,
    person: i64,
    ip: &str,
    limit: Option<usize>,
) -> Result<Json<Vec<MatchOut>>, ApiError> {
    let limit = limit.unwrap_or(20).clamp(1, 50);
    let ideas = village_app::connections::ideas(state, who, person, ip, now(), limit).await?;
    if ideas.needs_home {
        return Err(ApiError::field("travel.postcode", ErrorCode::HomeAreaNeeded, "This directory is large: add a home area (travel.postcode) to the profile to get suggestions near it."));
    }
    Ok(Json(
        ideas
            .ideas
            .into_iter()
            .map(|i| MatchOut {
                offer_id: i.suggestion.offer_id,
                score: (i.suggestion.score * 100.0).round() / 100.0,
                reasons: i.suggestion.reasons,
                name: i.name,
                organization_name: i.organization_name,
                saved: i.saved,
            })
            .collect(),
    ))
}

/// Offers that fit your life, best first, each with its reasons. Dismissed offers are left
/// out.
#[utoipa::path(get, path = "/api/v1/me/suggestions", tag = "connections", params(SuggestionsQuery),
    responses((status = 200, body = Vec<MatchOut>), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_suggestions(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Query(q): Query<SuggestionsQuery>,
) -> Result<Json<Vec<MatchOut>>, ApiError> {
    suggestions(&state, &identity, identity.user.id, &ip, q.limit).await
}

/// For a connector the person chose: suggestions built only from what the person shared
/// with connectors (the look is audited).
#[utoipa::path(get, path = "/api/v1/people/{id}/suggestions", tag = "connections", params(("id" = i64, Path, description = "The person's account number"), SuggestionsQuery),
    responses((status = 200, body = Vec<MatchOut>), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_person_suggestions(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    Query(q): Query<SuggestionsQuery>,
) -> Result<Json<Vec<MatchOut>>, ApiError> {
    suggestions(&state, &identity, id, &ip, q.limit).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkBody {
    /// `saved` or `dismissed`.
    pub mark: String,
    /// Why it was dismissed (optional; only you see it).
    #[serde(default)]
    pub reason: String,
}

/// Save or dismiss an offer. Dismissed offers stay out of your suggestions, and ones like
/// them count a little less.
#[utoipa::path(put, path = "/api/v1/me/suggestion-marks/{offer_id}", tag = "connections", request_body = MarkBody,
    params(("offer_id" = String, Path, description = "The offer's id (its ORUK service id)")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_mark(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(offer_id): Path<String>,
    ApiJson(body): ApiJson<MarkBody>,
) -> Result<StatusCode, ApiError> {
    if body.mark == "clear" {
        return Err(ApiError::field(
            "mark",
            ErrorCode::MarkInvalid,
            "Choose saved or dismissed (DELETE takes a mark away).",
        ));
    }
    village_app::connections::mark(
        &state,
        &identity,
        &offer_id,
        &body.mark,
        &body.reason,
        now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take away a save or a dismissal.
#[utoipa::path(delete, path = "/api/v1/me/suggestion-marks/{offer_id}", tag = "connections",
    params(("offer_id" = String, Path, description = "The offer's id (its ORUK service id)")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_unmark(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(offer_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    village_app::connections::mark(&state, &identity, &offer_id, "clear", "", now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your choices about suggestions.
#[utoipa::path(get, path = "/api/v1/me/suggestion-preferences", tag = "connections",
    responses((status = 200, body = PreferencesBody), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_preferences(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<PreferencesBody>, ApiError> {
    let p = mine::preferences(&state, &identity).await?;
    Ok(Json(PreferencesBody {
        lived_experience: p.lived_experience,
        free: p.free,
    }))
}

/// Change your choices about suggestions.
#[utoipa::path(put, path = "/api/v1/me/suggestion-preferences", tag = "connections", request_body = PreferencesBody,
    responses((status = 200, body = PreferencesBody), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_put_preferences(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ApiJson(body): ApiJson<PreferencesBody>,
) -> Result<Json<PreferencesBody>, ApiError> {
    mine::set_preferences(
        &state,
        &identity,
        Preferences {
            lived_experience: body.lived_experience,
            free: body.free,
        },
    )
    .await?;
    Ok(Json(body))
}

// ---- Introductions ------------------------------------------------------------------------

#[derive(Debug, Deserialize, ToSchema)]
pub struct IntroductionBody {
    /// The ORUK service id of the offer.
    pub offer_id: String,
    /// For a connector: the person who chose you (they must then send it themselves).
    pub person_id: Option<i64>,
    /// Share the person's `support` section (how best to support them) with the group for
    /// this introduction.
    #[serde(default)]
    pub share_support: bool,
    /// How the group can reach the person (their email address when left out).
    #[serde(default)]
    pub contact: String,
    /// A few words to the group.
    #[serde(default)]
    pub message: String,
}

fn seen_out(seen: Seen) -> IntroductionOut {
    let group_only = seen.group_only();
    let events = seen
        .events
        .into_iter()
        .map(|e| IntroductionEventOut {
            action: e.action,
            by: e.actor_name,
            from: e.from_state,
            to: e.to_state,
            reason: e.reason,
            at: e.at,
        })
        .collect();
    out(seen.row, events, seen.actions, group_only)
}

/// Ask for an introduction to an offer: for yourself, or (as a connector) for someone who
/// chose you. It is not sent to the group until the person sends it.
#[utoipa::path(post, path = "/api/v1/introductions", tag = "connections", request_body = IntroductionBody,
    responses((status = 201, body = IntroductionOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_request(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<IntroductionBody>,
) -> Result<(StatusCode, Json<IntroductionOut>), ApiError> {
    let t = now();
    let requested = village_app::connections::request(
        &state,
        &identity,
        &IntroductionRequest {
            offer_id: body.offer_id,
            person_id: body.person_id,
            share_support: body.share_support,
            contact: body.contact,
            message: body.message,
        },
        &ip,
        t,
    )
    .await?;
    let id = match requested {
        Requested::New(id) => id,
        Requested::AlreadyOpen(id) => {
            return Err(ApiError::new(
                ErrorCode::AlreadyIntroduced,
                format!(
                    "There is already an introduction in progress for this offer: number {id}."
                ),
            ))
        }
    };
    let seen = village_app::connections::view(&state, &identity, id, &ip, t).await?;
    Ok((StatusCode::CREATED, Json(seen_out(seen))))
}

/// One introduction, as you may see it: the group sees only the minimum.
#[utoipa::path(get, path = "/api/v1/introductions/{id}", tag = "connections",
    params(("id" = i64, Path, description = "The introduction")),
    responses((status = 200, body = IntroductionOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_introduction(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<IntroductionOut>, ApiError> {
    let seen = village_app::connections::view(&state, &identity, id, &ip, now()).await?;
    Ok(Json(seen_out(seen)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct IntroductionActionBody {
    /// Needed to decline or stop; optional otherwise.
    #[serde(default)]
    pub reason: String,
}

/// Move an introduction on: `send` (the person, or their connector when the person asked),
/// `accept` or `decline` (the group), `met`, `going_well`, `stop`, `withdraw` (the person, at
/// any step). Not yours: 403; not at this step: 409.
#[utoipa::path(post, path = "/api/v1/introductions/{id}/{action}", tag = "connections", request_body(content = IntroductionActionBody, description = "Optional"),
    params(("id" = i64, Path, description = "The introduction"), ("action" = String, Path, description = "send, accept, decline, met, going_well, stop or withdraw")),
    responses((status = 200, body = IntroductionOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_act(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> Result<Json<IntroductionOut>, ApiError> {
    let Some(action) = Action::parse(&action) else {
        return Err(ApiError::new(
            ErrorCode::ActionUnknown,
            "The action must be send, accept, decline, met, going_well, stop or withdraw.",
        ));
    };
    // The body is optional: nothing, or `{"reason": …}`.
    if let Some(path) = crate::nul::in_json(&body) {
        return Err(ApiError::field(
            "reason",
            ErrorCode::TextInvalid,
            crate::nul::words(&path),
        ));
    }
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        serde_json::from_slice::<IntroductionActionBody>(&body)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::JsonInvalid,
                    format!("The body must be {{\"reason\": \"…\"}} or nothing: {e}"),
                )
            })?
            .reason
    };
    let t = now();
    village_app::connections::act(&state, &identity, id, action, &reason, &ip, t).await?;
    let seen = village_app::connections::view(&state, &identity, id, &ip, t).await?;
    Ok(Json(seen_out(seen)))
}

/// Your introductions, newest first.
#[utoipa::path(get, path = "/api/v1/me/introductions", tag = "connections",
    responses((status = 200, body = Vec<IntroductionOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_introductions(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<Vec<IntroductionOut>>, ApiError> {
    let rows = mine::my_introductions(&state, &identity).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| out(r, Vec::new(), Vec::new(), false))
            .collect(),
    ))
}

/// For a group's organisers (and stewards): introductions sent to the group's offers,
/// each with only the minimum.
#[utoipa::path(get, path = "/api/v1/groups/{id}/introductions", tag = "connections",
    params(("id" = String, Path, description = "The group's id (its ORUK organization id)")),
    responses((status = 200, body = Vec<IntroductionOut>), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_inbox(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<String>,
) -> Result<Json<Vec<IntroductionOut>>, ApiError> {
    let rows = village_app::connections::inbox(&state, &identity, &id, &ip, now()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| out(r, Vec::new(), Vec::new(), true))
            .collect(),
    ))
}

/// Your notices (newest first, up to 100).
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "connections",
    responses((status = 200, body = Vec<NotificationOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_notifications(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<Vec<NotificationOut>>, ApiError> {
    let rows = mine::notices(&state, &identity, 100).await?;
    Ok(Json(
        rows.into_iter()
            .map(|n| NotificationOut {
                id: n.id,
                body: n.body,
                link: n.link,
                at: n.at,
                read: n.read_at.is_some(),
            })
            .collect(),
    ))
}
