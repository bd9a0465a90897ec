//! The spaces API.

pub(crate) use super::*;

// ---- Spaces ----------------------------------------------------------------------------------

pub(super) fn default_share() -> f64 {
    0.5
}
pub(super) fn default_count() -> i64 {
    3
}
pub(super) fn default_true() -> bool {
    true
}
pub(super) fn default_days() -> i64 {
    village_domain::decisions::proposal::DEFAULT_UPDATE_EVERY_DAYS
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SpaceBody {
    pub name: String,
    #[serde(default)]
    pub about: String,
    /// The least share of stances from members with declared lived experience before a
    /// proposal can be decided: 0 to 1 (0.5 is half; a number above 1 is read as a
    /// percentage). Default 0.5.
    #[serde(default = "default_share")]
    pub min_lived_share: f64,
    /// The least number of such stances. Default 3.
    #[serde(default = "default_count")]
    pub min_lived_count: i64,
    /// Anyone in the hub may join (true, the default), or by invitation.
    #[serde(default = "default_true")]
    pub open: bool,
    /// Show stances without names.
    #[serde(default)]
    pub hide_names: bool,
    /// How often an agreed decision must be updated, in days (default 30).
    #[serde(default = "default_days")]
    pub update_every_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpaceOut {
    pub id: i64,
    pub name: String,
    pub about: String,
    pub open: bool,
    pub hide_names: bool,
    pub min_lived_share: f64,
    pub min_lived_count: i64,
    pub update_every_days: i64,
    pub members: i64,
    pub open_proposals: i64,
    /// The caller's place: `invited`, `member`, `facilitator`, or absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_role: Option<String>,
}

pub(super) fn space_out(v: &village_app::decisions::SpaceView) -> SpaceOut {
    SpaceOut {
        id: v.space.id,
        name: v.space.name.clone(),
        about: v.space.about.clone(),
        open: v.space.open,
        hide_names: v.space.hide_names,
        min_lived_share: v.rule.share(),
        min_lived_count: i64::from(v.rule.count),
        update_every_days: v.space.update_every_days,
        members: v.space.members,
        open_proposals: v.space.open_proposals,
        my_role: v.my_role.clone(),
    }
}

/// Make a decision space; you facilitate it.
#[utoipa::path(post, path = "/api/v1/spaces", tag = "decisions", request_body = SpaceBody,
    responses((status = 201, body = Created), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_create_space(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiJson(b): ApiJson<SpaceBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = village_app::decisions::create_space(
        &state,
        &who,
        &village_app::decisions::SpaceInput {
            name: &b.name,
            about: &b.about,
            open: b.open,
            hide_names: b.hide_names,
            min_lived_share: b.min_lived_share,
            min_lived_count: b.min_lived_count,
            update_every_days: b.update_every_days,
        },
        now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The spaces you can see: every open one, and those you are in or invited to.
#[utoipa::path(get, path = "/api/v1/spaces", tag = "decisions",
    responses((status = 200, body = Vec<SpaceOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_spaces(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> Result<Json<Vec<SpaceOut>>, ApiError> {
    let list = village_app::decisions::spaces(&state, &who).await?;
    Ok(Json(list.iter().map(space_out).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpaceDetailOut {
    #[serde(flatten)]
    pub space: SpaceOut,
    pub proposals: Vec<ProposalSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalSummary {
    pub id: i64,
    pub title: String,
    /// `open` or `closed`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
}

/// One space with its proposals.
#[utoipa::path(get, path = "/api/v1/spaces/{id}", tag = "decisions",
    params(("id" = i64, Path, description = "The space")),
    responses((status = 200, body = SpaceDetailOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_space(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<SpaceDetailOut>, ApiError> {
    let d = village_app::decisions::space_detail(&state, &who, id).await?;
    Ok(Json(SpaceDetailOut {
        space: space_out(&d.view),
        proposals: d
            .proposals
            .into_iter()
            .map(|p| ProposalSummary {
                id: p.id,
                title: p.title,
                status: if p.closed_at.is_some() {
                    "closed"
                } else {
                    "open"
                }
                .into(),
                progress: p.progress,
            })
            .collect(),
    }))
}

/// Join an open space, or accept an invitation.
#[utoipa::path(post, path = "/api/v1/spaces/{id}/join", tag = "decisions",
    params(("id" = i64, Path, description = "The space")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_join(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    village_app::decisions::join(&state, &who, id, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Leave a space.
#[utoipa::path(post, path = "/api/v1/spaces/{id}/leave", tag = "decisions",
    params(("id" = i64, Path, description = "The space")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_leave(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    village_app::decisions::leave(&state, &who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberBody {
    /// The email address they joined the hub with.
    pub email: String,
    /// Make them a facilitator (otherwise they are invited, or stay as they are).
    #[serde(default)]
    pub facilitator: bool,
}

/// For facilitators: invite a member of the hub, or make someone a facilitator.
#[utoipa::path(post, path = "/api/v1/spaces/{id}/members", tag = "decisions", request_body = MemberBody,
    params(("id" = i64, Path, description = "The space")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_add_member(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<MemberBody>,
) -> Result<StatusCode, ApiError> {
    village_app::decisions::add_member(&state, &who, id, &b.email, b.facilitator, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
