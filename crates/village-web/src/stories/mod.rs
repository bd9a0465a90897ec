//! Stories: so far, the framing helper's API.

use crate::api::{ApiError, ApiJson};
use crate::auth::ApiUser;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_domain::stories::framing::Flag;

use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct FramingBody {
    /// The words to check (up to 20,000 characters).
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FramingOut {
    /// Each phrase found, in order: `start` and `end` are character offsets (`end` one past
    /// the last), `phrase` the words as written, what to say instead and why. The text itself
    /// is never changed.
    pub flags: Vec<Flag>,
}

/// The framing helper: which words describe people by what they lack ("service users",
/// "suffering from", "wheelchair bound"), with strengths-based words to use instead and why.
/// Whole words in any case, plurals and -s, -ed, -ing forms; the hub may add its own
/// (`[stories] framing`). 422 naming `text` past 20,000 characters.
#[utoipa::path(post, path = "/api/v1/stories/framing", tag = "stories", request_body = FramingBody,
    responses((status = 200, body = FramingOut), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_framing(
    State(state): State<AppState>,
    ApiUser(_identity): ApiUser,
    ApiJson(body): ApiJson<FramingBody>,
) -> Result<Json<FramingOut>, ApiError> {
    let flags = village_app::stories::framing(&state, &body.text)?;
    Ok(Json(FramingOut { flags }))
}
