//! What mutual aid coordinators look at: `GET /api/v1/help/coordination`.

use super::*;

/// An open ask nobody has said yes to yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpOpenAskOut {
    #[serde(flatten)]
    pub post: HelpPostOut,
    /// The member it is for, whole name.
    pub for_member: String,
    pub for_member_id: i64,
    /// Answers waiting for a yes or no.
    pub answers_waiting: i64,
}

/// An answer waiting for a yes or no.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpWaitingOut {
    pub match_id: i64,
    pub post_id: i64,
    pub title: String,
    pub kind: Kind,
    pub poster: String,
    pub poster_id: i64,
    pub responder: String,
    pub responder_id: i64,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HelpCoordinationOut {
    /// `peer` or `brokered` (a coordinator says yes for the one who posted).
    pub mode: village_domain::mutual_aid::matches::Mode,
    /// Open asks nobody has said yes to, oldest first.
    pub open_asks: Vec<HelpOpenAskOut>,
    /// Answers waiting for a yes or no, oldest first.
    pub waiting: Vec<HelpWaitingOut>,
    /// Time the two did not agree on: `resolve` or `set_aside` it at
    /// `/api/v1/help/exchanges/{id}/{action}`.
    pub disputed: Vec<HelpExchangeOut>,
    /// Time added that one of the two asked to be taken back (`take_back_why` says why),
    /// oldest asking first: `reverse` or `keep` it at `/api/v1/help/exchanges/{id}/{action}`.
    pub take_back_asked: Vec<HelpExchangeOut>,
}

/// For coordinators (the `coordinator` role, connectors and stewards): open asks oldest
/// first, answers waiting for a yes or no, and time not agreed.
#[utoipa::path(get, path = "/api/v1/help/coordination", tag = "mutual_aid",
    responses((status = 200, body = HelpCoordinationOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_coordination(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<HelpCoordinationOut>, ApiError> {
    let t = now();
    let c = help::coordination(&state, &identity, t).await?;
    let me = identity.user.id;
    Ok(Json(HelpCoordinationOut {
        mode: c.mode,
        open_asks: c
            .asks
            .iter()
            .map(|(p, waiting)| HelpOpenAskOut {
                post: post_out(&state, p, me, t),
                for_member: p.author_name.clone(),
                for_member_id: p.author_id,
                answers_waiting: *waiting,
            })
            .collect(),
        waiting: c
            .waiting
            .iter()
            .map(|m| HelpWaitingOut {
                match_id: m.id,
                post_id: m.post_id,
                title: m.title.clone(),
                kind: m.kind,
                poster: m.author_name.clone(),
                poster_id: m.author_id,
                responder: m.responder_name.clone(),
                responder_id: m.responder_id,
                created_at: m.created_at,
            })
            .collect(),
        disputed: c.disputed.iter().map(|x| exchange_out(x, me)).collect(),
        take_back_asked: c
            .take_back_asked
            .iter()
            .map(|x| exchange_out(x, me))
            .collect(),
    }))
}
