//! The proposals API: proposals, stances and outcomes.

pub(crate) use super::*;
use village_domain::privacy::ShownCount;

// ---- Proposals -------------------------------------------------------------------------------

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposalBody {
    pub title: String,
    /// What you propose, and why.
    pub body: String,
    /// Who it affects.
    #[serde(default)]
    pub affects: String,
}

/// Put a proposal to a space (members of the space).
#[utoipa::path(post, path = "/api/v1/spaces/{id}/proposals", tag = "decisions", request_body = ProposalBody,
    params(("id" = i64, Path, description = "The space")),
    responses((status = 201, body = Created), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_create_proposal(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ProposalBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = village_app::decisions::create_proposal(
        &state,
        &who,
        id,
        &village_app::decisions::ProposalInput {
            title: &b.title,
            body: &b.body,
            affects: &b.affects,
        },
        now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StanceOut {
    /// The stance's id: a block is answered by it.
    pub id: i64,
    pub stance: String,
    pub reason: String,
    /// Left out where the space hides names (your own is always shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Your own stance.
    pub mine: bool,
    /// The facilitator's answer to a block, once decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LivedOut {
    pub min_share: f64,
    pub min_count: i64,
    pub stances: u32,
    /// Stances from people who had declared lived experience (a count only, never who).
    /// Absent in a space that shows names while it is below 8 (`lived_stances_fewer_than`
    /// then says so): a small count beside names could tell who declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lived_stances: Option<u32>,
    /// 8, when `lived_stances` is left out because it is smaller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lived_stances_fewer_than: Option<u32>,
    pub met: bool,
    /// How many more such stances would meet the rule (absent when more alone cannot, or
    /// when `lived_stances` is left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more_needed: Option<u32>,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentOut {
    pub id: i64,
    /// `in_favour`, `against` or `question`.
    pub kind: String,
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeOut {
    pub decision: String,
    pub reasons: String,
    pub dissent_summary: String,
    /// `not_agreed`, `agreed`, `in_progress`, `done` or `not_done`.
    pub progress: String,
    /// An update is late.
    pub overdue: bool,
    pub decided_at: i64,
    pub updates: Vec<UpdateOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateOut {
    pub progress: String,
    pub note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WordingOut {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub affects: String,
    /// When this wording was replaced, and by whom.
    pub replaced_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalOut {
    pub id: i64,
    pub space_id: i64,
    pub title: String,
    pub body: String,
    pub affects: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    pub created_at: i64,
    pub counts: BTreeMap<String, usize>,
    pub stances: Vec<StanceOut>,
    pub lived_experience: LivedOut,
    pub comments: Vec<CommentOut>,
    pub earlier_versions: Vec<WordingOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeOut>,
    /// Where it came from (a gathering's session or its minutes): a link back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub came_from: Option<CameFromOut>,
}

/// Where a proposal came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct CameFromOut {
    /// The page it came from (`/gatherings/3/sessions/7`).
    pub url: String,
    pub title: String,
}

pub fn proposal_out(v: &ProposalView, viewer: i64) -> ProposalOut {
    let hide = v.space.space.hide_names;
    let shown = v.lived.shown(!hide);
    ProposalOut {
        id: v.proposal.id,
        space_id: v.proposal.space_id,
        title: v.proposal.title.clone(),
        body: v.proposal.body.clone(),
        affects: v.proposal.affects.clone(),
        author: v.proposal.author_name.clone(),
        came_from: v.proposal.came_from_url.clone().map(|url| CameFromOut {
            url,
            title: v.proposal.came_from_title.clone().unwrap_or_default(),
        }),
        status: if v.open() { "open" } else { "closed" }.into(),
        created_at: v.proposal.created_at,
        counts: v
            .counts()
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect(),
        stances: v
            .stances
            .iter()
            .map(|s| StanceOut {
                id: s.id,
                stance: s.stance.code().to_string(),
                reason: s.reason.clone(),
                name: if v.shows_name(s, viewer) {
                    s.name.clone()
                } else {
                    None
                },
                mine: s.user_id == Some(viewer),
                response: s.response.clone(),
            })
            .collect(),
        lived_experience: LivedOut {
            min_share: v.lived.rule.share(),
            min_count: i64::from(v.lived.rule.count),
            stances: v.lived.voices.total,
            lived_stances: shown.lived.exactly(),
            lived_stances_fewer_than: match shown.lived {
                ShownCount::FewerThan(n) => Some(n),
                ShownCount::Exactly(_) => None,
            },
            met: v.lived.met,
            more_needed: shown.more_needed,
            rule: v.lived.rule_words(),
            missing: shown.missing,
        },
        comments: v
            .comments
            .iter()
            .map(|c| CommentOut {
                id: c.id,
                kind: c.kind.code().to_string(),
                body: c.body.clone(),
                name: if hide && c.user_id != Some(viewer) {
                    None
                } else {
                    c.name.clone()
                },
                at: c.created_at,
            })
            .collect(),
        earlier_versions: v
            .versions
            .iter()
            .map(|x| WordingOut {
                version: x.version,
                title: x.title.clone(),
                body: x.body.clone(),
                affects: x.affects.clone(),
                replaced_at: x.edited_at,
                replaced_by: x.edited_by_name.clone(),
            })
            .collect(),
        outcome: v.proposal.closed_at.map(|at| OutcomeOut {
            decision: v.proposal.decision.clone().unwrap_or_default(),
            reasons: v.proposal.reasons.clone().unwrap_or_default(),
            dissent_summary: v.proposal.dissent_summary.clone().unwrap_or_default(),
            progress: v.proposal.progress.clone().unwrap_or_default(),
            overdue: v.overdue,
            decided_at: at,
            updates: v
                .updates
                .iter()
                .map(|u| UpdateOut {
                    progress: u.progress.code().to_string(),
                    note: u.note.clone(),
                    by: u.by_name.clone(),
                    at: u.at,
                })
                .collect(),
        }),
    }
}

/// A proposal with its stances (each with its `id`, `stance` and `reason`), the
/// lived-experience rule's counts, the discussion, earlier wordings and, once decided, the
/// outcome and its updates.
#[utoipa::path(get, path = "/api/v1/proposals/{id}", tag = "decisions",
    params(("id" = i64, Path, description = "The proposal")),
    responses((status = 200, body = ProposalOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_proposal(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProposalOut>, ApiError> {
    let v = village_app::decisions::proposal(&state, &who, id, now()).await?;
    Ok(Json(proposal_out(&v, who.user.id)))
}

/// Change an open proposal's wording (whoever proposed it, or a facilitator); the earlier
/// wording is kept.
#[utoipa::path(put, path = "/api/v1/proposals/{id}", tag = "decisions", request_body = ProposalBody,
    params(("id" = i64, Path, description = "The proposal")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_edit_proposal(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ProposalBody>,
) -> Result<StatusCode, ApiError> {
    village_app::decisions::edit_proposal(
        &state,
        &who,
        id,
        &village_app::decisions::ProposalInput {
            title: &b.title,
            body: &b.body,
            affects: &b.affects,
        },
        now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StanceBody {
    /// `agree`, `abstain`, `disagree` or `block`.
    pub stance: String,
    /// Needed to disagree or block.
    #[serde(default)]
    pub reason: String,
}

/// Take or change your stance while the proposal is open (members of the space).
#[utoipa::path(put, path = "/api/v1/proposals/{id}/stance", tag = "decisions", request_body = StanceBody,
    params(("id" = i64, Path, description = "The proposal")),
    responses((status = 200, body = Created), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_stance(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<StanceBody>,
) -> Result<Json<Created>, ApiError> {
    let id =
        village_app::decisions::take_stance(&state, &who, id, &b.stance, &b.reason, now()).await?;
    Ok(Json(Created { id }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentBody {
    /// `in_favour`, `against` or `question`.
    pub kind: String,
    pub body: String,
}

/// Add to the discussion of an open proposal (members of the space).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/comments", tag = "decisions", request_body = CommentBody,
    params(("id" = i64, Path, description = "The proposal")),
    responses((status = 201, body = Created), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_comment(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CommentBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = village_app::decisions::comment(&state, &who, id, &b.kind, &b.body, now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseProposalBody {
    pub decision: String,
    pub reasons: String,
    /// A summary of the disagreement (needed when anyone disagreed or blocked).
    #[serde(default)]
    pub dissent_summary: String,
    /// An answer to each block, by the stance's id.
    #[serde(default)]
    pub block_responses: BTreeMap<String, String>,
    /// The decision is to go ahead (default) and is then followed up; false records a
    /// decision not to.
    #[serde(default = "default_true")]
    pub agreed: bool,
}

/// For facilitators: close a proposal with the decision. Refused with 409
/// `lived_experience_voices_missing` while the space's lived-experience rule is not met, and
/// `block_not_answered` while a block has no answer.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/close", tag = "decisions", request_body = CloseProposalBody,
    params(("id" = i64, Path, description = "The proposal")),
    responses((status = 200, body = ProposalOut), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_close(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CloseProposalBody>,
) -> Result<Json<ProposalOut>, ApiError> {
    let mut block_responses = BTreeMap::new();
    for (k, v) in b.block_responses {
        let Ok(stance_id) = k.trim().parse::<i64>() else {
            return Err(ApiError::field(
                "block_responses",
                ErrorCode::NotABlock,
                format!("'{k}' is not a stance id: answer each block by its stance's id"),
            ));
        };
        block_responses.insert(stance_id, v);
    }
    let draft = OutcomeDraft {
        decision: b.decision,
        reasons: b.reasons,
        dissent_summary: b.dissent_summary,
        block_responses,
        agreed: b.agreed,
    };
    let t = now();
    village_app::decisions::close(&state, &who, id, &draft, &ip, t).await?;
    let v = village_app::decisions::proposal(&state, &who, id, t).await?;
    Ok(Json(proposal_out(&v, who.user.id)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgressBody {
    /// `agreed`, `in_progress`, `done` or `not_done` (with the reason in `note`).
    pub status: String,
    pub note: String,
}

/// For facilitators: a dated update on an agreed decision.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/updates", tag = "decisions", request_body = ProgressBody,
    params(("id" = i64, Path, description = "The proposal")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_update(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ProgressBody>,
) -> Result<StatusCode, ApiError> {
    village_app::decisions::update(&state, &who, id, &b.status, &b.note, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
