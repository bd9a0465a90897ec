//! The mutual aid API (`/api/v1/help`): the board, posts, answers and matches. The same
//! `village_app::mutual_aid` functions as the pages, so the rules cannot differ: contact
//! details appear only in a match both said yes to, and only to the other of the two.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress};
use crate::extract::{Path, Query};
use crate::{now, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use village_app::mutual_aid::{self as help, BoardQuery, MatchSeen, PostSeen, Responded, Shares};
use village_domain::connections::introduction::first_name;
use village_domain::error::ErrorCode;
use village_domain::mutual_aid::credits::{ExchangeAction, ExchangeState, SettleAction};
use village_domain::mutual_aid::matches::{Action, Agreed, State as MatchState};
use village_domain::mutual_aid::post::{
    self, Category, Draft, Kind, PostState, Urgency, When, WhenInput,
};
use village_domain::mutual_aid::safety::Mark;
use village_store::mutual_aid::{ExchangeRow, PostRow};

mod coordinate;
mod digest;
mod safety;
pub use coordinate::*;
pub use digest::*;
pub use safety::*;

/// An ask or an offer.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpPostOut {
    pub id: i64,
    pub kind: Kind,
    pub category: Category,
    pub title: String,
    pub details: String,
    /// `ongoing`, a day (`2026-12-10`) or a range of days (`2026-12-10/2026-12-14`).
    pub when: String,
    /// A hub's area or a postcode district ('' when not given).
    pub area: String,
    pub urgency: Urgency,
    pub many_times: bool,
    pub in_home: bool,
    pub personal_care: bool,
    /// `open` or `closed`.
    pub state: PostState,
    /// Open and not past `expires_at`: it can be answered.
    pub up: bool,
    pub expires_at: i64,
    pub created_at: i64,
    /// The first name of the member it is for, or the group's name for a group's post.
    pub by: String,
    /// Posted in a group's name: the group's id in the directory, and its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<HelpGroupOut>,
    /// The caller posted it (or organises the group it is in the name of).
    pub own: bool,
    /// For the one who posted: the answers, newest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<HelpAnswerOut>>,
    /// For anyone else: their open match on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_match_id: Option<i64>,
    /// The safety checks a steward must have recorded for whoever gives this help (empty
    /// for most help): its own ticks and its category, as the hub set them.
    pub safety_marks_needed: Vec<Mark>,
    /// Typed in for the member by a coordinator: their first name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed_by: Option<String>,
    /// How the member agreed to a post typed in for them: `phone`, `in_person` or `paper`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreed: Option<Agreed>,
}

/// Done by a coordinator for a member without email or internet: shown as such to both
/// people, and audited.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HelpOnBehalf {
    /// The member it is for.
    pub member_id: i64,
    /// How they agreed to it: `phone`, `in_person` or `paper`.
    #[schema(value_type = Agreed)]
    pub agreed: String,
}

/// Read `on_behalf_of` (422 naming `agreed` when it is not one of the three).
pub(crate) fn on_behalf(b: Option<&HelpOnBehalf>) -> Result<Option<help::OnBehalf>, ApiError> {
    let Some(b) = b else {
        return Ok(None);
    };
    let Some(agreed) = Agreed::parse(&b.agreed) else {
        return Err(ApiError::field(
            "agreed",
            ErrorCode::Invalid,
            "Say how they agreed: phone, in_person or paper.",
        ));
    };
    Ok(Some(help::OnBehalf {
        member: b.member_id,
        agreed,
    }))
}

/// A group in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpGroupOut {
    pub id: String,
    pub name: String,
}

/// One answer to a post, as the one who posted sees it in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpAnswerOut {
    pub match_id: i64,
    /// Their first name.
    pub by: String,
    pub state: MatchState,
}

fn post_out(state: &AppState, p: &PostRow, me: i64, t: i64) -> HelpPostOut {
    HelpPostOut {
        id: p.id,
        kind: p.kind,
        category: p.category,
        title: p.title.clone(),
        details: p.details.clone(),
        when: When::from_stored(p.when_from.as_deref(), p.when_to.as_deref()).code(),
        area: p.area.clone(),
        urgency: p.urgency,
        many_times: p.many_times,
        in_home: p.in_home,
        personal_care: p.personal_care,
        state: p.state,
        up: post::is_up(p.state, p.expires_at, t),
        expires_at: p.expires_at,
        created_at: p.created_at,
        by: if p.organization_name.is_empty() {
            first_name(&p.author_name)
        } else {
            p.organization_name.clone()
        },
        group: p.organization_id.as_ref().map(|id| HelpGroupOut {
            id: id.clone(),
            name: p.organization_name.clone(),
        }),
        own: p.author_id == me,
        answers: None,
        my_match_id: None,
        safety_marks_needed: help::needed_for(state, p),
        typed_by: p.posted_by_name.as_deref().map(first_name),
        agreed: p.agreed_how.as_deref().and_then(Agreed::parse),
    }
}

fn seen_out(state: &AppState, s: &PostSeen, me: i64, t: i64) -> HelpPostOut {
    let mut out = post_out(state, &s.post, me, t);
    out.own = s.own;
    if s.own {
        out.answers = Some(
            s.matches
                .iter()
                .map(|m| HelpAnswerOut {
                    match_id: m.id,
                    by: first_name(&m.responder_name),
                    state: m.state,
                })
                .collect(),
        );
    }
    out.my_match_id = s.my_match;
    out
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct BoardParams {
    /// `ask` or `offer`.
    pub kind: Option<String>,
    /// `shopping`, `lifts`, `company`, `repairs`, `gardening`, `digital`, `paperwork`,
    /// `cooking`, `pets` or `other`.
    pub category: Option<String>,
    /// A hub's area or a postcode district, exactly as posts give it.
    pub area: Option<String>,
    /// `today`, `this_week` or `anytime`.
    pub urgency: Option<String>,
    /// A postcode or district: nearest first from there.
    pub near: Option<String>,
    /// From 1.
    pub page: Option<i64>,
}

/// One page of the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpBoardOut {
    pub posts: Vec<HelpPostOut>,
    pub page: i64,
    /// There is a next page.
    pub more: bool,
}

/// The board: open asks and offers not yet past their end, nearest first from `near`,
/// newest first; 20 a page.
#[utoipa::path(get, path = "/api/v1/help/posts", tag = "mutual_aid", params(BoardParams),
    responses((status = 200, body = HelpBoardOut), (status = 400, body = crate::api::ErrorBody), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_board(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Query(p): Query<BoardParams>,
) -> Result<Json<HelpBoardOut>, ApiError> {
    let t = now();
    let q = BoardQuery {
        kind: p.kind.unwrap_or_default(),
        category: p.category.unwrap_or_default(),
        area: p.area.unwrap_or_default(),
        urgency: p.urgency.unwrap_or_default(),
        near: p.near.unwrap_or_default(),
        page: p.page.unwrap_or(1),
    };
    let board = help::board(&state, &identity, &q, t).await?;
    Ok(Json(HelpBoardOut {
        posts: board
            .posts
            .iter()
            .map(|x| post_out(&state, x, identity.user.id, t))
            .collect(),
        page: board.page,
        more: board.more,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpPostBody {
    /// `ask` or `offer`.
    pub kind: String,
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub details: String,
    /// `ongoing` (when left out), a day (`2026-12-10`) or a range (`2026-12-10/2026-12-14`).
    #[serde(default)]
    pub when: Option<String>,
    /// A hub's area or a postcode district (a full postcode is cut to its district).
    #[serde(default)]
    pub area: Option<String>,
    /// `today`, `this_week` or `anytime` (when left out).
    #[serde(default)]
    pub urgency: Option<String>,
    /// Days it stays on the board, 1 to 90 (30 when left out).
    #[serde(default)]
    pub up_for_days: Option<i64>,
    /// For offers: can be done many times.
    #[serde(default)]
    pub many_times: bool,
    #[serde(default)]
    pub in_home: bool,
    #[serde(default)]
    pub personal_care: bool,
    /// Coordinators: post it for this member.
    #[serde(default)]
    pub on_behalf_of: Option<HelpOnBehalf>,
    /// Post in the name of a group in the directory you organise (its id): 403 `not_yours`
    /// if you do not, 422 `group_unknown` if it has no offers listed.
    #[serde(default)]
    pub group: Option<String>,
}

/// Put an ask or an offer on the board. Its words must not hold contact details (422
/// `contact_too_soon`). `on_behalf_of` is for coordinators only (403 `forbidden` otherwise).
#[utoipa::path(post, path = "/api/v1/help/posts", tag = "mutual_aid", request_body = HelpPostBody,
    responses((status = 201, body = HelpPostOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_create_post(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(b): ApiJson<HelpPostBody>,
) -> Result<(StatusCode, Json<HelpPostOut>), ApiError> {
    let t = now();
    let draft = Draft {
        kind: b.kind,
        category: b.category,
        title: b.title,
        details: b.details,
        when: WhenInput::Code(b.when.unwrap_or_default()),
        area: b.area.unwrap_or_default(),
        urgency: b.urgency.unwrap_or_default(),
        up_for_days: b.up_for_days.map(|d| d.to_string()).unwrap_or_default(),
        many_times: b.many_times,
        in_home: b.in_home,
        personal_care: b.personal_care,
        group: b.group.unwrap_or_default(),
    };
    let for_member = on_behalf(b.on_behalf_of.as_ref())?;
    let id = help::create_post(&state, &identity, &draft, for_member, &ip, t).await?;
    let seen = help::post(&state, &identity, id, t).await?;
    Ok((
        StatusCode::CREATED,
        Json(seen_out(&state, &seen, identity.user.id, t)),
    ))
}

/// One post. The one who posted also sees its answers.
#[utoipa::path(get, path = "/api/v1/help/posts/{id}", tag = "mutual_aid",
    params(("id" = i64, Path, description = "The post")),
    responses((status = 200, body = HelpPostOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_post(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<HelpPostOut>, ApiError> {
    let t = now();
    let seen = help::post(&state, &identity, id, t).await?;
    Ok(Json(seen_out(&state, &seen, identity.user.id, t)))
}

/// Close your post: it is met, or no longer needed (403 `not_yours` for anyone else, 409
/// `post_closed` when it already is).
#[utoipa::path(post, path = "/api/v1/help/posts/{id}/close", tag = "mutual_aid",
    params(("id" = i64, Path, description = "The post")),
    responses((status = 200, body = HelpPostOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_close_post(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<HelpPostOut>, ApiError> {
    let t = now();
    help::close_post(&state, &identity, id, t).await?;
    let seen = help::post(&state, &identity, id, t).await?;
    Ok(Json(seen_out(&state, &seen, identity.user.id, t)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpResponseBody {
    /// A few words to the one who posted (no contact details: 422 `contact_too_soon`).
    #[serde(default)]
    pub message: String,
    /// Once both say yes, share your email address (true when left out).
    #[serde(default = "yes")]
    pub share_email: bool,
    /// Once both say yes, share the phone number on your account.
    #[serde(default)]
    pub share_phone: bool,
    /// Coordinators: answer for this member (what they share is theirs).
    #[serde(default)]
    pub on_behalf_of: Option<HelpOnBehalf>,
}

fn yes() -> bool {
    true
}

/// The other person, in a match.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpContactOut {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HelpMessageOut {
    /// The caller wrote it.
    pub mine: bool,
    pub by: String,
    pub body: String,
    pub at: i64,
    /// Typed in for `by` by a coordinator: their first name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed_by: Option<String>,
    /// How `by` agreed to a message typed in for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreed: Option<Agreed>,
}

/// For a coordinator who is not one of the two: both names and the steps they can take for
/// each.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpCoordinatingOut {
    pub poster: String,
    pub responder: String,
    pub poster_actions: Vec<Action>,
    pub responder_actions: Vec<Action>,
}

/// A match between the one who posted and the one who answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpMatchOut {
    pub id: i64,
    pub post_id: i64,
    pub title: String,
    pub kind: Kind,
    /// `requested`, `accepted`, `declined`, `done`, `didnt_happen` or `withdrawn`.
    pub state: MatchState,
    /// The caller's side: `poster` or `responder`; `coordinator` or `safeguarding_lead` for
    /// someone looking who is not one of the two.
    pub role: String,
    /// The other person's first name (whole name once both said yes).
    pub other: String,
    /// The other person's chosen contact details: only once `accepted` (and after `done`
    /// or `didnt_happen`), never before, never after a withdrawal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<HelpContactOut>,
    pub messages: Vec<HelpMessageOut>,
    /// What the caller can do now.
    pub actions: Vec<Action>,
    /// Only for a coordinator who is not one of the two (their `role` is `coordinator`), and
    /// for a safeguarding lead (`safeguarding_lead`, with no actions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinating: Option<HelpCoordinatingOut>,
    /// For a safeguarding lead: the concerns raised about this match (why they may read it,
    /// when their `role` is `safeguarding_lead`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub for_concerns: Vec<i64>,
}

fn match_out(s: MatchSeen, me: i64) -> HelpMatchOut {
    let shared = s.row.state.contact_shared();
    HelpMatchOut {
        id: s.row.id,
        post_id: s.row.post_id,
        title: s.row.title.clone(),
        kind: s.row.kind,
        state: s.row.state,
        role: if s.parties.poster {
            "poster"
        } else if s.parties.responder {
            "responder"
        } else if s.read_only {
            "safeguarding_lead"
        } else {
            "coordinator"
        }
        .into(),
        other: s.other_name,
        contact: s.contact.map(|c| HelpContactOut {
            name: c.name,
            email: c.email,
            phone: c.phone,
        }),
        messages: s
            .messages
            .into_iter()
            .map(|m| HelpMessageOut {
                mine: m.author_id == me,
                by: if shared {
                    m.author_name
                } else {
                    first_name(&m.author_name)
                },
                body: m.body,
                at: m.at,
                typed_by: m.typed_by_name.as_deref().map(first_name),
                agreed: m.agreed_how.as_deref().and_then(Agreed::parse),
            })
            .collect(),
        actions: s.actions,
        coordinating: s.coordinating.map(|f| HelpCoordinatingOut {
            poster: s.row.author_name.clone(),
            responder: s.row.responder_name.clone(),
            poster_actions: f.poster,
            responder_actions: f.responder,
        }),
        for_concerns: s.for_concerns,
    }
}

/// Answer a post ("I can help with this" / "I'd like this"): a match, `requested`. 201 for a
/// new match; 200 with the one you already have open on this post. 409 `own_post` for your
/// own post, `post_closed` for one no longer up; 403 `safety_marks_needed` when the helper
/// lacks a safety check the help needs (`safety_marks_needed` on the post).
#[utoipa::path(post, path = "/api/v1/help/posts/{id}/responses", tag = "mutual_aid", request_body = HelpResponseBody,
    params(("id" = i64, Path, description = "The post")),
    responses((status = 201, body = HelpMatchOut), (status = 200, body = HelpMatchOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_respond(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<HelpResponseBody>,
) -> Result<(StatusCode, Json<HelpMatchOut>), ApiError> {
    let t = now();
    let shares = Shares {
        email: b.share_email,
        phone: b.share_phone,
    };
    let for_member = on_behalf(b.on_behalf_of.as_ref())?;
    let (status, m) = match help::respond(
        &state, &identity, id, &b.message, shares, for_member, &ip, t,
    )
    .await?
    {
        Responded::New(m) => (StatusCode::CREATED, m),
        Responded::AlreadyOpen(m) => (StatusCode::OK, m),
    };
    let seen = help::view_match(&state, &identity, m, &ip, t).await?;
    Ok((status, Json(match_out(seen, identity.user.id))))
}

/// One match, for its two people (and coordinators: every match on a brokered hub, those
/// they typed something in for on a peer-to-peer one; never the contact details). 404 for
/// anyone else.
#[utoipa::path(get, path = "/api/v1/help/matches/{id}", tag = "mutual_aid",
    params(("id" = i64, Path, description = "The match")),
    responses((status = 200, body = HelpMatchOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_match(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<HelpMatchOut>, ApiError> {
    let seen = help::view_match(&state, &identity, id, &ip, now()).await?;
    Ok(Json(match_out(seen, identity.user.id)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpMessageBody {
    /// Up to 1,000 characters; before both said yes, no contact details (422
    /// `contact_too_soon`).
    pub message: String,
    /// Coordinators: write it for this member, one of the two.
    #[serde(default)]
    pub on_behalf_of: Option<HelpOnBehalf>,
}

/// Send the other person a message through the hub (409 `not_allowed_now` once the match
/// has ended).
#[utoipa::path(post, path = "/api/v1/help/matches/{id}/messages", tag = "mutual_aid", request_body = HelpMessageBody,
    params(("id" = i64, Path, description = "The match")),
    responses((status = 201, body = HelpMatchOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_message(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<HelpMessageBody>,
) -> Result<(StatusCode, Json<HelpMatchOut>), ApiError> {
    let t = now();
    let for_member = on_behalf(b.on_behalf_of.as_ref())?;
    help::send_message(&state, &identity, id, &b.message, for_member, &ip, t).await?;
    let seen = help::view_match(&state, &identity, id, &ip, t).await?;
    Ok((StatusCode::CREATED, Json(match_out(seen, identity.user.id))))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct HelpMatchActionBody {
    /// For `accept`: share your email address (true when left out).
    #[serde(default = "yes")]
    pub share_email: bool,
    /// For `accept`: share the phone number on your account.
    #[serde(default)]
    pub share_phone: bool,
    /// Coordinators: take the step for this member, one of the two (on a brokered hub, only
    /// a coordinator says yes for the one who posted).
    #[serde(default)]
    pub on_behalf_of: Option<HelpOnBehalf>,
}

/// A step in a match: `accept` or `decline` (the one who posted), `done`, `didnt_happen` or
/// `withdraw` (either). Not yours: 403 `not_yours`; not at this step: 409 `not_allowed_now`;
/// `accept` while the helper lacks a safety check the help needs: 403 `safety_marks_needed`.
#[utoipa::path(post, path = "/api/v1/help/matches/{id}/{action}", tag = "mutual_aid", request_body(content = HelpMatchActionBody, description = "Optional"),
    params(("id" = i64, Path, description = "The match"), ("action" = String, Path, description = "accept, decline, done, didnt_happen or withdraw")),
    responses((status = 200, body = HelpMatchOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_match_action(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> Result<Json<HelpMatchOut>, ApiError> {
    let Some(action) = Action::parse(&action) else {
        return Err(ApiError::new(
            ErrorCode::ActionUnknown,
            "The action must be accept, decline, done, didnt_happen or withdraw.",
        ));
    };
    if let Some(path) = crate::nul::in_json(&body) {
        return Err(ApiError::field(
            "share_email",
            ErrorCode::TextInvalid,
            crate::nul::words(&path),
        ));
    }
    let b = if body.iter().all(u8::is_ascii_whitespace) {
        HelpMatchActionBody {
            share_email: true,
            share_phone: false,
            on_behalf_of: None,
        }
    } else {
        serde_json::from_slice::<HelpMatchActionBody>(&body).map_err(|e| {
            ApiError::new(
                ErrorCode::JsonInvalid,
                format!("The body must be {{\"share_email\": true, \"share_phone\": false}} or nothing: {e}"),
            )
        })?
    };
    let t = now();
    let shares = Shares {
        email: b.share_email,
        phone: b.share_phone,
    };
    let for_member = on_behalf(b.on_behalf_of.as_ref())?;
    help::act(&state, &identity, id, action, shares, for_member, &ip, t).await?;
    let seen = help::view_match(&state, &identity, id, &ip, t).await?;
    Ok(Json(match_out(seen, identity.user.id)))
}

// ---- Time credits ---------------------------------------------------------------------------

/// Time given in a match.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpExchangeOut {
    pub id: i64,
    pub match_id: Option<i64>,
    /// First names; `null` for someone who has left the hub.
    pub giver: Option<String>,
    pub receiver: Option<String>,
    pub minutes: i64,
    pub note: String,
    /// `proposed` (changes no balance), `posted`, `disputed`, `set_aside` or `reversed`
    /// (taken back by a coordinator).
    pub state: ExchangeState,
    /// The caller recorded it (the other person answers it).
    pub mine: bool,
    pub recorded_at: i64,
    pub posted_by_itself: bool,
    /// One of the two asked a coordinator to take it back (once per exchange).
    pub take_back_asked: bool,
    /// Why they asked (empty when nobody did, or when one of the two has been forgotten).
    pub take_back_why: String,
    /// A coordinator kept it after that asking: it was right.
    pub take_back_kept: bool,
}

fn exchange_out(x: &ExchangeRow, me: i64) -> HelpExchangeOut {
    HelpExchangeOut {
        id: x.id,
        match_id: x.match_id,
        giver: x.giver_name.as_deref().map(first_name),
        receiver: x.receiver_name.as_deref().map(first_name),
        minutes: x.minutes,
        note: x.note.clone(),
        state: x.state,
        mine: x.recorded_by == Some(me),
        recorded_at: x.recorded_at,
        posted_by_itself: x.posted_by_itself,
        take_back_asked: x.take_back_asked_at.is_some(),
        take_back_why: x.take_back_why.clone(),
        take_back_kept: x.take_back_kept_at.is_some(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpExchangeBody {
    pub match_id: i64,
    /// 1 to 720.
    pub minutes: i64,
    /// You gave the help (true) or received it (false).
    pub gave: bool,
    #[serde(default)]
    pub note: Option<String>,
}

async fn one_exchange(
    state: &AppState,
    identity: &village_app::accounts::Identity,
    match_id: i64,
    id: i64,
) -> Result<HelpExchangeOut, ApiError> {
    let all = help::time_in_match(state, identity, match_id).await?;
    all.iter()
        .find(|x| x.id == id)
        .map(|x| exchange_out(x, identity.user.id))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "There is no such time recorded."))
}

/// Record time given in a match both said happened (`done`): it changes no balance until the
/// other person confirms it, or it has waited unanswered for the hub's delay (14 days unless
/// set). 409 `not_allowed_now` before the match is `done` or on a hub without time credits.
#[utoipa::path(post, path = "/api/v1/help/exchanges", tag = "mutual_aid", request_body = HelpExchangeBody,
    responses((status = 201, body = HelpExchangeOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_record_time(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(b): ApiJson<HelpExchangeBody>,
) -> Result<(StatusCode, Json<HelpExchangeOut>), ApiError> {
    let note = b.note.unwrap_or_default();
    let id = help::record_time(
        &state,
        &identity,
        b.match_id,
        b.minutes,
        b.gave,
        &note,
        &ip,
        now(),
    )
    .await?;
    let out = one_exchange(&state, &identity, b.match_id, id).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The other person answers recorded time: `confirm` (it posts, once: two ledger entries)
/// or `dispute` (it never posts; coordinators look at it). 403 `not_yours` for the one who
/// recorded it; 409 `not_allowed_now` once answered, `balance_limit` past the hub's limits.
/// Coordinators settle a disputed one: `resolve` (it posts) or `set_aside` (it never does);
/// 409 `not_allowed_now` for one not disputed. They take back one added by mistake:
/// `reverse` (a reversing pair of ledger entries; 409 `not_allowed_now` unless it was added,
/// and the second time), and answer an asking to take it back by keeping it: `keep` (409
/// `not_allowed_now` when nobody is waiting for that answer).
#[utoipa::path(post, path = "/api/v1/help/exchanges/{id}/{action}", tag = "mutual_aid",
    params(("id" = i64, Path, description = "The exchange"), ("action" = String, Path, description = "confirm or dispute; resolve, set_aside, reverse or keep (coordinators)")),
    responses((status = 200, body = HelpExchangeOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_answer_time(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Json<HelpExchangeOut>, ApiError> {
    if let Some(settle) = SettleAction::parse(&action) {
        let x = help::settle_time(&state, &identity, id, settle, &ip, now()).await?;
        return Ok(Json(exchange_out(&x, identity.user.id)));
    }
    let Some(action) = ExchangeAction::parse(&action) else {
        return Err(ApiError::new(
            ErrorCode::ActionUnknown,
            "The action must be confirm or dispute (or, for coordinators, resolve, set_aside, reverse or keep).",
        ));
    };
    help::answer_time(&state, &identity, id, action, &ip, now()).await?;
    let x = help::exchange_for(&state, &identity, id).await?;
    Ok(Json(exchange_out(&x, identity.user.id)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpTakeBackBody {
    /// What the mistake was (up to 500 characters).
    pub why: String,
}

/// One of the two asks a coordinator to take back time that was added: it was a mistake.
/// Once per exchange (409 `not_allowed_now` for time not added, or asked about before); the
/// other person is told, and coordinators then `reverse` it or `keep` it. 422 naming `why`
/// without a reason.
#[utoipa::path(post, path = "/api/v1/help/exchanges/{id}/take-back", tag = "mutual_aid", request_body = HelpTakeBackBody,
    params(("id" = i64, Path, description = "The exchange")),
    responses((status = 200, body = HelpExchangeOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_ask_to_take_back(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<HelpTakeBackBody>,
) -> Result<Json<HelpExchangeOut>, ApiError> {
    let x = help::ask_to_take_back(&state, &identity, id, &b.why, &ip, now()).await?;
    Ok(Json(exchange_out(&x, identity.user.id)))
}

/// One entry of a time account.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpEntryOut {
    pub id: i64,
    /// Plus for time given (or received as a gift), minus for help received (or given away).
    pub minutes: i64,
    /// `exchange`, `gift` or `reversal`.
    pub kind: String,
    /// The other side: a member's name, `the community pot`, or `a former member`.
    pub with: String,
    pub note: String,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HelpTimeAccountOut {
    /// `null` when the hub does not show balances.
    pub balance_minutes: Option<i64>,
    pub entries: Vec<HelpEntryOut>,
    /// Time others recorded with you, waiting for your answer.
    pub to_answer: Vec<HelpExchangeOut>,
}

fn account_out(a: help::TimeAccount, me: i64) -> HelpTimeAccountOut {
    HelpTimeAccountOut {
        balance_minutes: a.balance,
        entries: a
            .entries
            .into_iter()
            .map(|e| HelpEntryOut {
                id: e.id,
                minutes: e.minutes,
                kind: e.kind,
                with: help::entry_with(e.other_name.as_deref(), e.other_pot),
                note: e.note.unwrap_or_default(),
                at: e.at,
            })
            .collect(),
        to_answer: a.to_answer.iter().map(|x| exchange_out(x, me)).collect(),
    }
}

/// Your time account: your balance, every entry, and time waiting for your answer.
#[utoipa::path(get, path = "/api/v1/me/time-account", tag = "mutual_aid",
    responses((status = 200, body = HelpTimeAccountOut), (status = 401, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_time_account(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Json<HelpTimeAccountOut>, ApiError> {
    let a = help::time_account(&state, &identity).await?;
    Ok(Json(account_out(a, identity.user.id)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpGiftBody {
    /// A member's id; left out, the community pot.
    #[serde(default)]
    pub to: Option<i64>,
    /// 1 to 6,000.
    pub minutes: i64,
}

/// Give minutes from your balance to the community pot or another member (409
/// `balance_limit` past the hub's limits).
#[utoipa::path(post, path = "/api/v1/me/time-account/gifts", tag = "mutual_aid", request_body = HelpGiftBody,
    responses((status = 201, body = HelpTimeAccountOut), (status = 401, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_give_time(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ApiJson(b): ApiJson<HelpGiftBody>,
) -> Result<(StatusCode, Json<HelpTimeAccountOut>), ApiError> {
    help::give(&state, &identity, b.to, b.minutes, now()).await?;
    let a = help::time_account(&state, &identity).await?;
    Ok((StatusCode::CREATED, Json(account_out(a, identity.user.id))))
}
