//! Safety checks in the API: `/api/v1/people/{id}/safety-marks`. A member reads their own;
//! stewards read anyone's (each look audited), record them and take them away.

use super::*;
use village_domain::mutual_aid::safety::MarkDraft;

/// One safety check recorded about someone.
#[derive(Debug, Serialize, ToSchema)]
pub struct SafetyMarkOut {
    pub mark: Mark,
    /// The day it was seen, `2026-12-06`.
    pub seen_on: String,
    /// The first day it no longer holds; `null` when it does not run out.
    pub expires_on: Option<String>,
    /// The steward who saw it; `null` once their account is gone.
    pub seen_by: Option<String>,
    /// It holds today.
    pub holds: bool,
}

/// Someone's safety checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct SafetyMarksOut {
    pub person_id: i64,
    pub display_name: String,
    pub marks: Vec<SafetyMarkOut>,
}

fn marks_out(m: help::PersonMarks) -> SafetyMarksOut {
    SafetyMarksOut {
        person_id: m.user_id,
        display_name: m.display_name,
        marks: m
            .marks
            .into_iter()
            .map(|r| SafetyMarkOut {
                holds: m.holding.contains(&r.mark),
                mark: r.mark,
                seen_on: r.seen_on,
                expires_on: r.expires_on,
                seen_by: r.seen_by_name,
            })
            .collect(),
    }
}

/// Someone's safety checks: your own, or anyone's for a steward (each look audited).
#[utoipa::path(get, path = "/api/v1/people/{id}/safety-marks", tag = "mutual_aid",
    params(("id" = i64, Path, description = "The person")),
    responses((status = 200, body = SafetyMarksOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_safety_marks(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<SafetyMarksOut>, ApiError> {
    let m = help::marks(&state, &identity, id, &ip, now()).await?;
    Ok(Json(marks_out(m)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SafetyMarkBody {
    /// `met_in_person`, `references_taken`, `dbs_basic_seen` or `dbs_enhanced_seen`.
    #[schema(value_type = Mark)]
    pub mark: String,
    /// The day the steward saw it, `2026-12-06`; not after today.
    #[schema(format = Date)]
    pub seen_on: String,
    /// The first day it no longer holds, at most five years after `seen_on`; left out, it
    /// does not run out. Never a certificate's number: none is kept.
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
}

/// Record a safety check about someone, or bring it up to date (stewards; never about
/// themselves: 403 `not_yours`). The person is told.
#[utoipa::path(post, path = "/api/v1/people/{id}/safety-marks", tag = "mutual_aid", request_body = SafetyMarkBody,
    params(("id" = i64, Path, description = "The person")),
    responses((status = 201, body = SafetyMarksOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_record_safety_mark(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SafetyMarkBody>,
) -> Result<(StatusCode, Json<SafetyMarksOut>), ApiError> {
    let t = now();
    let draft = MarkDraft {
        mark: &b.mark,
        seen_on: &b.seen_on,
        expires_on: b.expires_on.as_deref().unwrap_or_default(),
    };
    help::record_mark(&state, &identity, id, &draft, &ip, t).await?;
    let m = help::marks(&state, &identity, id, &ip, t).await?;
    Ok((StatusCode::CREATED, Json(marks_out(m))))
}

/// Take a safety check away (stewards). 404 when it was not recorded.
#[utoipa::path(delete, path = "/api/v1/people/{id}/safety-marks/{mark}", tag = "mutual_aid",
    params(("id" = i64, Path, description = "The person"), ("mark" = Mark, Path, description = "met_in_person, references_taken, dbs_basic_seen or dbs_enhanced_seen")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_remove_safety_mark(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path((id, mark)): Path<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    if help::remove_mark(&state, &identity, id, &mark, &ip, now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            ErrorCode::NotFound,
            "That check is not recorded for this person.",
        ))
    }
}
