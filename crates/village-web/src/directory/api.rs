//! The directory's JSON API: suggestions, review and history, calling the same functions as
//! the pages (`editing`), in the OpenAPI document.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress};
use crate::extract::Path;
use crate::{now, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use village_app::directory::editing;
use village_domain::directory::offer::{ChangeForm, CostLine, PlaceLine, TimeLine};
use village_store::directory::SuggestionRow;

/// A suggested offer or change, and where its review is up to.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionOut {
    pub id: i64,
    /// The ORUK service id the suggestion is for.
    pub service_id: String,
    /// `new` or `change`.
    pub kind: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub why: String,
    /// The steward's reason, when decided.
    pub decision_reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    /// The whole proposed ORUK service record.
    #[schema(value_type = Object)]
    pub record: Value,
}

fn out(s: SuggestionRow) -> SuggestionOut {
    SuggestionOut {
        record: serde_json::from_str(&s.doc).unwrap_or(Value::Null),
        id: s.id,
        service_id: s.service_id,
        kind: s.kind,
        status: s.status,
        why: s.why,
        decision_reason: s.decision_reason,
        created_at: s.created_at,
        decided_at: s.decided_at,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewOfferBody {
    /// A whole ORUK 3.0 service record with a new UUID `id`.
    #[schema(value_type = Object)]
    pub record: Value,
    #[serde(default)]
    pub why: String,
}

/// Suggest a new offer. Nothing is public until a steward approves it.
#[utoipa::path(post, path = "/api/v1/directory/suggestions", tag = "directory",
    request_body = NewOfferBody,
    responses((status = 201, body = SuggestionOut), (status = 401, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_suggest_offer(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<NewOfferBody>,
) -> Result<(StatusCode, Json<SuggestionOut>), ApiError> {
    let row =
        editing::suggest_record(&state, &identity, &body.record, &body.why, &ip, now()).await?;
    Ok((StatusCode::CREATED, Json(out(row))))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeBody {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub url: String,
    /// What has changed, for the steward.
    pub why: String,
    /// `has_space`, `waiting_list`, or `""` for not saying; leave out to keep what it says.
    #[serde(default)]
    pub space: Option<String>,
    /// Codes of the communities it is especially for (`carers`, `deaf` …); leave out to keep.
    #[serde(default)]
    pub communities: Option<Vec<String>>,
    /// Access codes (`step_free`, `bsl` …); leave out to keep.
    #[serde(default)]
    pub access: Option<Vec<String>>,
    /// When it happens, one entry per day (at most 8); `[]` for no set times; leave out to
    /// keep. Problems name the entry: `times[1].closes`.
    #[serde(default)]
    pub times: Option<Vec<TimeBody>>,
    /// What it costs; leave out to keep.
    #[serde(default)]
    pub cost: Option<CostBody>,
    /// Where it happens (its first place); leave out to keep. All three empty: it has no
    /// place. A new postcode the hub knows places it there for distance search.
    #[serde(default)]
    pub place: Option<PlaceBody>,
}

/// Where an offer happens.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlaceBody {
    /// The name of the place, e.g. "Meadowfield Library".
    #[serde(default)]
    pub venue: String,
    /// The street address.
    #[serde(default)]
    pub address: String,
    /// A UK postcode.
    #[serde(default)]
    pub postcode: String,
}

/// One time an offer happens.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TimeBody {
    /// `MO` … `SU`.
    pub day: String,
    /// Which week of the month: leave out for every week, or `1` to `4`, or `-1` for the last.
    #[serde(default)]
    pub week: String,
    /// `HH:MM`, if known.
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub closes: String,
}

/// What an offer costs.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CostBody {
    /// `yes`, `no`, or `""` for not saying.
    #[serde(default)]
    pub free: String,
    /// The cost in words; `""` for none.
    #[serde(default)]
    pub description: String,
}

/// Suggest a change to an offer: its name, description, email, website, when and where it
/// happens, what it costs, who it is for, its access and whether it has space.
#[utoipa::path(post, path = "/api/v1/directory/offers/{id}/changes", tag = "directory",
    params(("id" = String, Path, description = "The offer's id (its ORUK service id)")),
    request_body = ChangeBody,
    responses((status = 201, body = SuggestionOut), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_suggest_change(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ChangeBody>,
) -> Result<(StatusCode, Json<SuggestionOut>), ApiError> {
    let why = body.why;
    let form = ChangeForm {
        name: body.name,
        description: body.description,
        email: body.email,
        url: body.url,
        space: body.space,
        communities: body.communities,
        access: body.access,
        times: body.times.map(|list| {
            list.into_iter()
                .map(|t| TimeLine {
                    day: t.day,
                    week: t.week,
                    opens: t.opens,
                    closes: t.closes,
                })
                .collect()
        }),
        cost: body.cost.map(|c| CostLine {
            free: c.free,
            description: c.description,
        }),
        place: body.place.map(|p| PlaceLine {
            venue: p.venue,
            address: p.address,
            postcode: p.postcode,
        }),
        place_centre: None,
    };
    let row = editing::suggest_change(&state, &identity, &id, form, &why, &ip, now()).await?;
    Ok((StatusCode::CREATED, Json(out(row))))
}

/// The signed-in member's suggestions, newest first, with stewards' answers.
#[utoipa::path(get, path = "/api/v1/directory/suggestions", tag = "directory",
    responses((status = 200, body = Vec<SuggestionOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_suggestions(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<Vec<SuggestionOut>>, ApiError> {
    let (rows, _) = editing::my_suggestions(&state, &identity, 500).await?;
    Ok(Json(rows.into_iter().map(out).collect()))
}

/// Suggestions waiting for review, oldest first (stewards and hub admins).
#[utoipa::path(get, path = "/api/v1/directory/review", tag = "directory",
    responses((status = 200, body = Vec<SuggestionOut>), (status = 403, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_review_queue(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<Vec<SuggestionOut>>, ApiError> {
    let (rows, _) = editing::review_queue(&state, &identity, 500).await?;
    Ok(Json(rows.into_iter().map(out).collect()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// Required to reject: the member sees it.
    #[serde(default)]
    pub reason: String,
}

async fn api_decide(
    state: &AppState,
    identity: &village_app::accounts::Identity,
    id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
) -> Result<Json<SuggestionOut>, ApiError> {
    let row = editing::decide(state, identity, id, approve, reason, ip, now()).await?;
    Ok(Json(out(row)))
}

/// Approve a suggestion: it is published and kept as a version.
#[utoipa::path(post, path = "/api/v1/directory/review/{id}/approve", tag = "directory",
    params(("id" = i64, Path, description = "The suggestion's id")),
    responses((status = 200, body = SuggestionOut), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_approve(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<SuggestionOut>, ApiError> {
    api_decide(&state, &identity, id, true, "", &ip).await
}

/// Reject a suggestion with a reason the member sees.
#[utoipa::path(post, path = "/api/v1/directory/review/{id}/reject", tag = "directory",
    params(("id" = i64, Path, description = "The suggestion's id")),
    request_body = DecisionBody,
    responses((status = 200, body = SuggestionOut), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_reject(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Json<SuggestionOut>, ApiError> {
    api_decide(&state, &identity, id, false, &body.reason, &ip).await
}

/// One version of an offer.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionOut {
    pub id: i64,
    pub changed_at: i64,
    pub changed_by: Option<i64>,
    pub change: String,
    pub why: String,
    #[schema(value_type = Object)]
    pub record: Value,
}

/// An offer's versions, newest first: who, when, what and why.
#[utoipa::path(get, path = "/api/v1/directory/offers/{id}/history", tag = "directory",
    params(("id" = String, Path, description = "The offer's id (its ORUK service id)")),
    responses((status = 200, body = Vec<VersionOut>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn api_history(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<VersionOut>>, ApiError> {
    let (_, versions) = editing::history(&state, &id).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| VersionOut {
                record: serde_json::from_str(&v.doc).unwrap_or(Value::Null),
                id: v.id,
                changed_at: v.changed_at,
                changed_by: v.changed_by,
                change: v.change,
                why: v.why,
            })
            .collect(),
    ))
}
