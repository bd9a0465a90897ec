//! The weekly email of help near you: `/api/v1/me/help-digest`.

use super::*;

#[derive(Debug, Serialize, ToSchema)]
pub struct HelpDigestOut {
    /// You asked for the weekly email.
    pub on: bool,
    /// Roughly where: a hub's area or a postcode district.
    pub area: Option<String>,
    /// When the next one is due (sent only if there is something new near you).
    pub next_at: Option<i64>,
}

fn digest_out(d: Option<help::DigestChoice>) -> HelpDigestOut {
    HelpDigestOut {
        on: d.is_some(),
        next_at: d.as_ref().map(|d| d.next_at),
        area: d.map(|d| d.area),
    }
}

/// Your weekly email of new asks and offers near you (and notices of asks near you that
/// have waited three days with nobody answering).
#[utoipa::path(get, path = "/api/v1/me/help-digest", tag = "mutual_aid",
    responses((status = 200, body = HelpDigestOut), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_digest(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<HelpDigestOut>, ApiError> {
    Ok(Json(digest_out(help::digest(&state, &identity).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpDigestBody {
    /// One of the hub's areas, or a postcode district (a full postcode is cut to its
    /// district).
    pub area: String,
}

/// Ask for the weekly email, or change where it is about (422 `postcode_invalid` or
/// `missing` naming `area`).
#[utoipa::path(put, path = "/api/v1/me/help-digest", tag = "mutual_aid", request_body = HelpDigestBody,
    responses((status = 200, body = HelpDigestOut), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_start_digest(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ApiJson(b): ApiJson<HelpDigestBody>,
) -> Result<Json<HelpDigestOut>, ApiError> {
    let d = help::start_digest(&state, &identity, &b.area, now()).await?;
    Ok(Json(digest_out(Some(d))))
}

/// Stop the weekly email.
#[utoipa::path(delete, path = "/api/v1/me/help-digest", tag = "mutual_aid",
    responses((status = 200, body = HelpDigestOut), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_stop_digest(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<HelpDigestOut>, ApiError> {
    help::stop_digest(&state, &identity).await?;
    Ok(Json(digest_out(None)))
}
