//! The funding rounds API: rounds, bids, ballots, paper ballots, results and 360Giving data.

pub(crate) use super::*;

// ---- Rounds ----------------------------------------------------------------------------------

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoundBody {
    pub name: String,
    #[serde(default)]
    pub about: String,
    /// Vote only among this space's members (you must facilitate it).
    pub space_id: Option<i64>,
    pub pot_pence: i64,
    pub max_bid_pence: i64,
    /// `approval` or `knapsack`.
    pub method: String,
}

/// Start a participatory budgeting round; you facilitate it. It starts in the ideas phase.
#[utoipa::path(post, path = "/api/v1/rounds", tag = "decisions", request_body = RoundBody,
    responses((status = 201, body = Created), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_create_round(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiJson(b): ApiJson<RoundBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = village_app::decisions::create_round(
        &state,
        &who,
        &village_app::decisions::RoundInput {
            name: &b.name,
            about: &b.about,
            space_id: b.space_id,
            pot_pence: b.pot_pence,
            max_bid_pence: b.max_bid_pence,
            method: &b.method,
        },
        now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BidOut {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub for_whom: String,
    pub amount_pence: i64,
    pub group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charity_number: Option<String>,
    /// `unchecked`, `eligible` or `not_eligible`.
    pub check: String,
    /// Why, when a steward found it not eligible (or noted something).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub check_reason: String,
    pub created_at: i64,
    pub delivery_updates: Vec<DeliveryOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundOut {
    pub id: i64,
    pub name: String,
    pub about: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub space_id: Option<i64>,
    pub pot_pence: i64,
    pub max_bid_pence: i64,
    pub method: String,
    /// `ideas`, `bids`, `checks`, `voting`, `results` or `delivery`.
    pub phase: String,
    pub bids: Vec<BidOut>,
    pub ideas: Vec<IdeaOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdeaOut {
    pub id: i64,
    pub title: String,
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

pub(super) fn round_out(d: village_app::decisions::RoundDetail) -> RoundOut {
    let v = &d.view;
    let updates = &d.updates;
    RoundOut {
        id: v.round.id,
        name: v.round.name.clone(),
        about: v.round.about.clone(),
        space_id: v.round.space_id,
        pot_pence: v.round.pot_pence,
        max_bid_pence: v.round.max_bid_pence,
        method: v.round.method.code().to_string(),
        phase: v.round.phase.code().to_string(),
        bids: v
            .bids
            .iter()
            .map(|b| BidOut {
                id: b.id,
                title: b.title.clone(),
                summary: b.summary.clone(),
                for_whom: b.for_whom.clone(),
                amount_pence: b.amount_pence,
                group_name: b.group_name.clone(),
                group_id: b.group_id.clone(),
                charity_number: b.charity_number.clone(),
                check: b.check_status.clone(),
                check_reason: b.check_reason.clone(),
                created_at: b.created_at,
                delivery_updates: updates
                    .iter()
                    .filter(|u| u.bid_id == b.id)
                    .map(|u| DeliveryOut {
                        text: u.body.clone(),
                        by: u.by_name.clone(),
                        at: u.at,
                    })
                    .collect(),
            })
            .collect(),
        ideas: d
            .ideas
            .into_iter()
            .map(|i| IdeaOut {
                id: i.id,
                title: i.title,
                body: i.body,
                name: i.name,
            })
            .collect(),
    }
}

/// Every funding round, newest first (public).
#[utoipa::path(get, path = "/api/v1/rounds", tag = "decisions",
    responses((status = 200, body = Vec<RoundOut>)))]
pub async fn api_rounds(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
) -> Result<Json<Vec<RoundOut>>, ApiError> {
    let mut out = Vec::new();
    for r in village_app::decisions::rounds(&state).await? {
        let d = village_app::decisions::round_detail(&state, who.as_ref(), r.id).await?;
        out.push(round_out(d));
    }
    Ok(Json(out))
}

/// One round with its bids, ideas and delivery updates (public).
#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "decisions",
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, body = RoundOut), (status = 404, body = crate::api::ErrorBody)))]
pub async fn api_round(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    Path(id): Path<i64>,
) -> Result<Json<RoundOut>, ApiError> {
    let d = village_app::decisions::round_detail(&state, who.as_ref(), id).await?;
    Ok(Json(round_out(d)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct IdeaBody {
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// Share an idea for the round (in the ideas phase).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/ideas", tag = "decisions", request_body = IdeaBody,
    params(("id" = i64, Path, description = "The round")),
    responses((status = 201, body = Created), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_idea(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<IdeaBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = village_app::decisions::add_idea(&state, &who, id, &b.title, &b.body, now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BidBody {
    pub title: String,
    /// What the group will do with the money.
    pub summary: String,
    pub amount_pence: i64,
    /// Who it is for.
    #[serde(default)]
    pub for_whom: String,
    /// The group's name (registered or not); 'Unnamed community group' if left out (bids are
    /// public, so never your own name unless you write it).
    #[serde(default)]
    pub group_name: String,
    /// The group's ORUK organization id, if it is in the directory (`organisation_id` before
    /// 2026-12 is still read).
    #[serde(alias = "organisation_id")]
    pub group_id: Option<String>,
    /// A registered charity's number, if it has one.
    #[serde(default)]
    pub charity_number: String,
}

/// Put in a bid for a group, registered or not (in the ideas and bids phases).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/bids", tag = "decisions", request_body = BidBody,
    params(("id" = i64, Path, description = "The round")),
    responses((status = 201, body = Created), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_bid(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<BidBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = village_app::decisions::create_bid(
        &state,
        &who,
        id,
        &village_app::decisions::BidInput {
            title: &b.title,
            summary: &b.summary,
            for_whom: &b.for_whom,
            amount_pence: b.amount_pence,
            group_name: &b.group_name,
            group_id: b.group_id.as_deref(),
            charity_number: &b.charity_number,
        },
        now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckBody {
    pub eligible: bool,
    /// Needed when it is not eligible.
    #[serde(default)]
    pub reason: String,
}

/// For stewards: record whether a bid is eligible (in the bids and checks phases).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/bids/{bid_id}/check", tag = "decisions", request_body = CheckBody,
    params(("id" = i64, Path, description = "The round"), ("bid_id" = i64, Path, description = "The bid")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_check(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path((id, bid_id)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<CheckBody>,
) -> Result<StatusCode, ApiError> {
    village_app::decisions::check_bid(
        &state,
        &who,
        (id, bid_id),
        b.eligible,
        &b.reason,
        &ip,
        now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeliveryBody {
    pub text: String,
}

/// For the group that put a funded bid in (or a facilitator): how the work is going.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/bids/{bid_id}/updates", tag = "decisions", request_body = DeliveryBody,
    params(("id" = i64, Path, description = "The round"), ("bid_id" = i64, Path, description = "The bid")),
    responses((status = 201, body = Created), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_delivery(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path((id, bid_id)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<DeliveryBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id =
        village_app::decisions::delivery_update(&state, &who, id, bid_id, &b.text, now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PhaseBody {
    /// The next phase: `bids`, `checks`, `voting`, `results` or `delivery`.
    pub phase: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhaseOut {
    pub phase: String,
}

/// For facilitators: move the round to its next phase. Moving to `results` counts the votes
/// and publishes them.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/phase", tag = "decisions", request_body = PhaseBody,
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, body = PhaseOut), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_phase(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PhaseBody>,
) -> Result<Json<PhaseOut>, ApiError> {
    village_app::decisions::set_phase(&state, &who, id, &b.phase, &ip, now()).await?;
    Ok(Json(PhaseOut {
        phase: b.phase.trim().to_string(),
    }))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct BallotBody {
    pub bid_ids: Vec<i64>,
}

/// Put in or change your ballot while voting is open: one member, one ballot.
#[utoipa::path(put, path = "/api/v1/rounds/{id}/ballot", tag = "decisions", request_body = BallotBody,
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, body = BallotBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_put_ballot(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<BallotBody>,
) -> Result<Json<BallotBody>, ApiError> {
    let bid_ids = village_app::decisions::vote(&state, &who, id, &b.bid_ids, now()).await?;
    Ok(Json(BallotBody { bid_ids }))
}

/// Your ballot in a round.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/ballot", tag = "decisions",
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, body = BallotBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_ballot(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<BallotBody>, ApiError> {
    match village_app::decisions::my_ballot(&state, &who, id).await? {
        Some(bid_ids) => Ok(Json(BallotBody { bid_ids })),
        None => Err(ApiError::not_found("ballot of yours in this round")),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PaperBody {
    /// The number written on the paper ballot.
    pub paper: String,
    pub bid_ids: Vec<i64>,
}

/// One steward's entry of a paper ballot.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaperEntryOut {
    /// The bids the steward typed in. Left out while the paper waits for its second entry, so
    /// the second steward types it in from the paper alone (blind double entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bid_ids: Option<Vec<i64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaperOut {
    pub paper: String,
    /// `waiting_for_second`, `agreed`, `mismatch` or `resolved`.
    pub state: String,
    pub entries: Vec<PaperEntryOut>,
    /// What counts, once it counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted: Option<Vec<i64>>,
}

/// For stewards: type in a paper ballot. Each is typed in twice, by two different stewards;
/// it counts when the two entries agree.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/paper-ballots", tag = "decisions", request_body = PaperBody,
    params(("id" = i64, Path, description = "The round")),
    responses((status = 201, body = PaperOut), (status = 403, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_enter_paper(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PaperBody>,
) -> Result<(StatusCode, Json<PaperOut>), ApiError> {
    let paper =
        village_app::decisions::enter_paper(&state, &who, id, &b.paper, &b.bid_ids, &ip, now())
            .await?;
    let list = papers_out(&state, id).await?;
    let out = list
        .into_iter()
        .find(|p| p.paper == paper)
        .ok_or_else(|| ApiError::not_found("paper ballot"))?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub(super) async fn papers_out(state: &AppState, id: i64) -> Result<Vec<PaperOut>, ApiError> {
    let list = village_app::decisions::papers(state, id).await?;
    Ok(list
        .into_iter()
        .map(|(paper, p, rows)| PaperOut {
            paper,
            state: match &p {
                Paper::WaitingForSecond { .. } => "waiting_for_second",
                Paper::Agreed(_) => "agreed",
                Paper::Mismatch { .. } => "mismatch",
                Paper::Resolved(_) => "resolved",
            }
            .into(),
            counted: p.counted().map(<[i64]>::to_vec),
            entries: rows
                .iter()
                .map(|r| PaperEntryOut {
                    bid_ids: r.choices.clone(),
                })
                .collect(),
        })
        .collect())
}

/// For stewards and the round's facilitators: every paper ballot and whether it counts.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/paper-ballots", tag = "decisions",
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, body = Vec<PaperOut>), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_papers(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PaperOut>>, ApiError> {
    let v = village_app::decisions::round(&state, Some(&who), id).await?;
    if !v.checks && !v.facilitates {
        return Err(ApiError::forbidden());
    }
    Ok(Json(papers_out(&state, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveBody {
    /// What the paper really says.
    pub bid_ids: Vec<i64>,
    #[serde(default)]
    pub note: String,
}

/// For stewards: resolve a paper ballot whose two entries disagree, from the paper itself.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/paper-ballots/{paper}/resolve", tag = "decisions", request_body = ResolveBody,
    params(("id" = i64, Path, description = "The round"), ("paper" = String, Path, description = "The paper ballot's number")),
    responses((status = 204), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_resolve_paper(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path((id, paper)): Path<(i64, String)>,
    ApiJson(b): ApiJson<ResolveBody>,
) -> Result<StatusCode, ApiError> {
    village_app::decisions::resolve_paper(
        &state,
        &who,
        (id, &paper),
        &b.bid_ids,
        &b.note,
        &ip,
        now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsOut {
    /// Votes for each eligible bid, by bid id (online and paper ballots together).
    pub counts: BTreeMap<String, u64>,
    /// Funded bids, in funding order.
    pub funded: Vec<i64>,
    /// Bids passed over because they no longer fitted in what was left.
    pub skipped: Vec<i64>,
    /// Every eligible bid in the order it was considered.
    pub order: Vec<i64>,
    pub left_pence: i64,
    pub ballots: u64,
    pub online_ballots: u64,
    pub paper_ballots: u64,
    /// How the results were worked out, in plain words.
    pub method: String,
}

/// How results are worked out, as the results page says it.
pub const METHOD_WORDS: &str = "Every ballot counts one vote for each bid it chooses. Bids are \
    taken in order of votes, most first; where two have the same votes, the smaller amount comes \
    first, then the bid that came in earlier. Each bid is funded if it fits in what is left of \
    the pot; a bid that no longer fits is passed over and the next one is tried, until every bid \
    has been considered.";

/// The published results (public, once the round reaches results).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/results", tag = "decisions",
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, body = ResultsOut), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)))]
pub async fn api_results(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    Path(id): Path<i64>,
) -> Result<Json<ResultsOut>, ApiError> {
    let v = village_app::decisions::round(&state, who.as_ref(), id).await?;
    let Some(p) = village_app::decisions::published(&v) else {
        return Err(ApiError::new(
            ErrorCode::ResultsNotReady,
            "The results of this round are not published yet.",
        ));
    };
    Ok(Json(ResultsOut {
        counts: p.counts,
        funded: p.funded,
        skipped: p.skipped,
        order: p.order,
        left_pence: p.left_pence,
        ballots: p.ballots,
        online_ballots: p.online_ballots,
        paper_ballots: p.paper_ballots,
        method: METHOD_WORDS.into(),
    }))
}

/// The round's awards as a 360Giving 1.4 data package (public, once results are published).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/360giving.json", tag = "decisions",
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, description = "A 360Giving data package", content_type = "application/json"), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)))]
pub async fn api_giving_json(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let v = village_app::decisions::round(&state, who.as_ref(), id).await?;
    let awards = village_app::decisions::awards(&v)?;
    if awards.is_empty() {
        return Err(ApiError::new(
            ErrorCode::NoAwards,
            "No bid was funded in this round, so there are no grants to publish.",
        ));
    }
    let package = giving::package(&state.settings.funder(), &awards);
    Ok(Json(package).into_response())
}

/// The round's awards as 360Giving's flat CSV (public, once results are published).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/360giving.csv", tag = "decisions",
    params(("id" = i64, Path, description = "The round")),
    responses((status = 200, description = "360Giving CSV", content_type = "text/csv"), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)))]
pub async fn api_giving_csv(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let v = village_app::decisions::round(&state, who.as_ref(), id).await?;
    let awards = village_app::decisions::awards(&v)?;
    let funder = state.settings.funder();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(giving::CSV_COLUMNS)
        .map_err(ApiError::internal)?;
    for a in &awards {
        w.write_record(giving::csv_row(&funder, a))
            .map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"round-{id}-360giving.csv\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
