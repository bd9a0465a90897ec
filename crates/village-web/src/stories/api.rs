//! Stories through the API: telling one, a steward's decision, the author's approval or
//! withdrawal, reading, and the framing helper.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, MaybeSignedIn};
use crate::extract::Path;
use crate::{now, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_app::stories::answers::{AnswerBody, AnswerSeen, FollowUpBody};
use village_app::stories::{CurationBody, ModerationBody, StoryBody, StorySeen};
use village_domain::stories::answers::Change;
use village_domain::stories::follow_up::{Changed, Figures};
use village_domain::stories::framing::Flag;
use village_domain::stories::screen::Mark;
use village_domain::stories::story::{Audience, State as StoryState, ToldBy};
use village_store::stories::StoryRow;

/// Changes a steward suggested, waiting for the author.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedOut {
    pub title: String,
    pub body: String,
    /// Why, from the published list.
    pub rule_codes: Vec<String>,
}

/// A story. `title` and `body` are as published; before it is published, its author and
/// the stewards read the author's own words.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoryOut {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// `submitted`, `awaiting_author`, `published`, `withheld` or `withdrawn`.
    pub state: StoryState,
    pub told_by: ToldBy,
    pub screen_name: String,
    pub audience: Audience,
    /// A private story sent privately to the groups it names.
    pub send_to_groups: bool,
    /// Told by a connector for someone who chose them (published only once they agreed).
    pub told_for_someone: bool,
    /// The hub's themes a steward picked for it (codes).
    pub themes: Vec<String>,
    /// The hub features it on "Glimpses of the future" (`/stories/glimpses`).
    pub featured: bool,
    pub open_data: bool,
    /// Roughly when, `YYYY-MM`.
    pub when: Option<String>,
    pub about_organisation_ids: Vec<String>,
    pub about_offer_ids: Vec<String>,
    pub published_at: Option<i64>,
    /// For its author, while a steward's changes wait for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested: Option<SuggestedOut>,
    /// For its author: why a steward did not publish it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For stewards: what could identify someone in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<Mark>>,
    /// One story only: its answers, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<AnswerOut>>,
    /// One story only: how many readers said it happened to them too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me_too: Option<i64>,
    /// One story only: the teller's newest answer to "Did things change?".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpOut>,
}

/// The teller's answer to "Did things change?".
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpOut {
    /// `yes`, `partly`, `no` or `not_sure`.
    pub changed: Changed,
    /// Their words: for the teller, stewards and whoever may answer the story.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
}

/// An answer to a story, in public.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerOut {
    pub id: i64,
    /// The group answering (ORUK id); absent for the council.
    pub organization_id: Option<String>,
    /// The group's name, or "The council".
    pub by: String,
    pub body: String,
    /// `none`, `planned` or `made`.
    pub change: Change,
    /// Held for a steward: it names the person who told the story (seen only by stewards
    /// and whoever wrote it).
    pub held: bool,
    /// The group keeps these words on its page if the story goes.
    pub keep_if_story_goes: bool,
    pub at: i64,
}

fn answer_out(a: AnswerSeen) -> AnswerOut {
    AnswerOut {
        id: a.row.id,
        organization_id: a.row.organization_id,
        by: a.by,
        keep_if_story_goes: a.row.keep_if_gone,
        body: a.row.body,
        change: a.row.change,
        held: a.row.held,
        at: a.row.at,
    }
}

/// One story as this reader sees it, with its answers and "me too" count.
async fn story_out(
    state: &AppState,
    who: Option<&village_app::accounts::Identity>,
    seen: StorySeen,
) -> Result<StoryOut, ApiError> {
    let answers = village_app::stories::answers::answers(state, who, &seen).await?;
    let (me_too, _) = village_app::stories::answers::me_too_count(state, who, seen.row.id).await?;
    let follow_up = village_app::stories::answers::latest_follow_up(state, who, &seen).await?;
    let mut out = seen_out(seen);
    out.answers = Some(answers.into_iter().map(answer_out).collect());
    out.me_too = Some(me_too);
    out.follow_up = follow_up.map(|(changed, words)| FollowUpOut { changed, words });
    Ok(out)
}

fn out_of(row: &StoryRow, title: String, body: String, author: bool) -> StoryOut {
    StoryOut {
        id: row.id,
        title,
        body,
        state: row.state,
        told_by: row.told_by,
        screen_name: row.screen_name.clone(),
        audience: row.audience,
        send_to_groups: row.send_to_groups,
        told_for_someone: row.told_for.is_some(),
        themes: Vec::new(),
        featured: row.featured_at.is_some(),
        open_data: row.open_data,
        when: row.happened_month.clone(),
        about_organisation_ids: Vec::new(),
        about_offer_ids: Vec::new(),
        published_at: row.published_at,
        suggested: match (author, &row.edited_title, &row.edited_body) {
            (true, Some(t), Some(b)) if row.state == StoryState::AwaitingAuthor => {
                Some(SuggestedOut {
                    title: t.clone(),
                    body: b.clone(),
                    rule_codes: row
                        .edit_rules
                        .split(',')
                        .filter(|r| !r.is_empty())
                        .map(str::to_string)
                        .collect(),
                })
            }
            _ => None,
        },
        reason: (author && row.state == StoryState::Withheld && !row.steward_reason.is_empty())
            .then(|| row.steward_reason.clone()),
        flags: None,
        answers: None,
        me_too: None,
        follow_up: None,
    }
}

fn seen_out(s: StorySeen) -> StoryOut {
    let mut out = out_of(&s.row, s.title, s.body, s.is_author || s.is_told_for);
    out.about_organisation_ids = s.groups;
    out.about_offer_ids = s.offers;
    out.flags = s.marks;
    out.themes = s.themes;
    out
}

/// Tell a story: it is `submitted`, and nobody but its author and the stewards reads it until
/// a steward publishes it. 422 naming the field for a missing title or story, more than about
/// 1,000 words, `told_by` or `audience` not one of theirs, `when` not a past `YYYY-MM`, or a
/// group or offer not in the directory.
#[utoipa::path(post, path = "/api/v1/stories", tag = "stories", request_body = StoryBody,
    responses((status = 201, body = StoryOut), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_tell(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<StoryBody>,
) -> Result<(StatusCode, Json<StoryOut>), ApiError> {
    let t = now();
    let id = village_app::stories::tell(&state, &identity, &body, t).await?;
    let seen = village_app::stories::story(&state, Some(&identity), id, &ip, t).await?;
    Ok((StatusCode::CREATED, Json(seen_out(seen))))
}

/// Published stories that are public and that their authors let others reuse (`open_data`),
/// newest first.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories",
    responses((status = 200, body = Vec<StoryOut>)),
    security(("bearer" = []), ()))]
pub async fn api_stories(State(state): State<AppState>) -> Result<Json<Vec<StoryOut>>, ApiError> {
    let rows = village_app::stories::published(&state, None, true, &Default::default()).await?;
    let themes = village_app::stories::themes_of_each(&state, &rows).await?;
    Ok(Json(
        rows.iter()
            .zip(themes)
            .map(|(r, themes)| StoryOut {
                themes,
                ..out_of(
                    r,
                    r.published_title.clone().unwrap_or_default(),
                    r.published_body.clone().unwrap_or_default(),
                    false,
                )
            })
            .collect(),
    ))
}

/// One story, for whoever may read it: its author and the stewards always (stewards also
/// see `flags`, what could identify someone); anyone else only once it is published for them
/// (404 until then, and once withdrawn).
#[utoipa::path(get, path = "/api/v1/stories/{id}", tag = "stories",
    params(("id" = i64, Path, description = "The story")),
    responses((status = 200, body = StoryOut), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_story(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<StoryOut>, ApiError> {
    let seen = village_app::stories::story(&state, identity.as_ref(), id, &ip, now()).await?;
    Ok(Json(story_out(&state, identity.as_ref(), seen).await?))
}

/// For stewards: decide about a story waiting to be read: `publish`, `edit` (with `body`,
/// and `title` if changed, and at least one of `rule_codes`; published only when its author
/// approves), `withhold` (with `reason`), or `safeguarding` (with `reason`: held, and a
/// concern goes to the safeguarding leads with the story). 422 `invalid` naming `decision`
/// when `title` or `body` differ from the author's words with any decision but `edit`.
/// 409 `not_allowed_now` once decided, `not_yours` for your own story.
#[utoipa::path(post, path = "/api/v1/stories/{id}/moderation", tag = "stories", request_body = ModerationBody,
    params(("id" = i64, Path, description = "The story")),
    responses((status = 200, body = StoryOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_moderate(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ModerationBody>,
) -> Result<Json<StoryOut>, ApiError> {
    let t = now();
    village_app::stories::moderate(&state, &identity, id, &body, &ip, t).await?;
    let seen = village_app::stories::story(&state, Some(&identity), id, &ip, t).await?;
    Ok(Json(seen_out(seen)))
}

/// For stewards, once a story is published: its themes (the list replaces the one before) and
/// whether the hub features it on "Glimpses of the future" (its teller is told). 409
/// `not_allowed_now` before it is published, `not_yours` for a story you told or that was
/// told for you; 422 naming `themes` (not the hub's) or `featured` (a private story).
#[utoipa::path(put, path = "/api/v1/stories/{id}/curation", tag = "stories", request_body = CurationBody,
    params(("id" = i64, Path, description = "The story")),
    responses((status = 200, body = StoryOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_curate(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CurationBody>,
) -> Result<Json<StoryOut>, ApiError> {
    let t = now();
    village_app::stories::curate(&state, &identity, id, &body, &ip, t).await?;
    let seen = village_app::stories::story(&state, Some(&identity), id, &ip, t).await?;
    Ok(Json(seen_out(seen)))
}

/// For its author: approve the changes a steward suggested; it is published as changed.
/// 409 `not_allowed_now` when none wait.
#[utoipa::path(post, path = "/api/v1/stories/{id}/approve", tag = "stories",
    params(("id" = i64, Path, description = "The story")),
    responses((status = 200, body = StoryOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_approve(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<StoryOut>, ApiError> {
    let t = now();
    village_app::stories::approve(&state, &identity, id, t).await?;
    let seen = village_app::stories::story(&state, Some(&identity), id, &ip, t).await?;
    Ok(Json(seen_out(seen)))
}

/// For its author, at any time: withdraw the story. Its words go, and it is gone from every
/// page, the API and the feed on the next request. 409 `not_allowed_now` the second time.
#[utoipa::path(post, path = "/api/v1/stories/{id}/withdraw", tag = "stories",
    params(("id" = i64, Path, description = "The story")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_withdraw(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    village_app::stories::withdraw(&state, &identity, id, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

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

/// For organisers of a group the story names (answering for the group) and council officers
/// (for the council): answer a published story in public, saying whether a change is
/// `planned` or `made` (a later answer updates it). The teller is told. An answer that names
/// the teller is `held` until a steward lets it show. 403 for anyone else, 409
/// `not_allowed_now` before it is published, 422 naming `body` or `change`.
#[utoipa::path(post, path = "/api/v1/stories/{id}/answers", tag = "stories", request_body = AnswerBody,
    params(("id" = i64, Path, description = "The story")),
    responses((status = 201, body = AnswerOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_answer(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<(StatusCode, Json<AnswerOut>), ApiError> {
    let a = village_app::stories::answers::answer(&state, &identity, id, &body, &ip, now()).await?;
    Ok((StatusCode::CREATED, Json(answer_out(a))))
}

/// For stewards: let a held answer show; the teller is told. 409 `not_allowed_now` when it
/// is not held.
#[utoipa::path(post, path = "/api/v1/stories/{id}/answers/{answer}/release", tag = "stories",
    params(("id" = i64, Path, description = "The story"), ("answer" = i64, Path, description = "The answer")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_release_answer(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path((id, answer)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    village_app::stories::answers::release(&state, &identity, id, answer, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeTooOut {
    /// How many readers said it happened to them too.
    pub me_too: i64,
}

/// A reader who may read a published story says it happened to them too (once: saying it
/// again changes nothing). 404 for a story they may not read, 403 `not_yours` for the
/// teller, 409 `not_allowed_now` before it is published.
#[utoipa::path(post, path = "/api/v1/stories/{id}/me-too", tag = "stories",
    params(("id" = i64, Path, description = "The story")),
    responses((status = 200, body = MeTooOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_me_too(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<MeTooOut>, ApiError> {
    let me_too = village_app::stories::answers::me_too(&state, &identity, id, now()).await?;
    Ok(Json(MeTooOut { me_too }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpAnswered {
    pub changed: Changed,
}

/// For the teller, once their story has an answer: "Did things change?" (`yes`, `partly`,
/// `no` or `not_sure`, with `words` if they like). They are asked four and twelve weeks
/// after the first answer, and may say so at any time; the newest counts. `partly` and `no`
/// keep the story open: whoever answered is told. 404 for anyone else, 409
/// `not_allowed_now` before an answer, 422 naming `changed` or `words`.
#[utoipa::path(post, path = "/api/v1/stories/{id}/follow-up", tag = "stories", request_body = FollowUpBody,
    params(("id" = i64, Path, description = "The story")),
    responses((status = 200, body = FollowUpAnswered), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_follow_up(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<FollowUpBody>,
) -> Result<Json<FollowUpAnswered>, ApiError> {
    let changed =
        village_app::stories::answers::follow_up(&state, &identity, id, &body, &ip, now()).await?;
    Ok(Json(FollowUpAnswered { changed }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FiguresQuery {
    /// The group (ORUK organization id).
    pub organization_id: String,
}

/// A group's figures over the published stories about it that members or anyone may read:
/// how many, how many it answered, the median days from publishing to its first answer,
/// how many where it said a change was made, and how many whose tellers said things changed.
#[utoipa::path(get, path = "/api/v1/stories/figures", tag = "stories",
    params(FiguresQuery),
    responses((status = 200, body = Figures), (status = 400, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_figures(
    State(state): State<AppState>,
    crate::extract::Query(q): crate::extract::Query<FiguresQuery>,
) -> Result<Json<Figures>, ApiError> {
    Ok(Json(
        village_app::stories::answers::group_figures(&state, &q.organization_id).await?,
    ))
}
