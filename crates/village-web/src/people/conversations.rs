//! Conversations: a connector writes a short story of a conversation, in the person's own
//! terms. The person reads every note about them and can agree, comment or ask for a change;
//! the connector can revise (the earlier words are kept). Nothing is written about a person
//! that they cannot read. Pages and API call the same functions.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, CsrfToken, Identity, SignedIn};
use crate::pages::{self, Errors, Layout, PageForm};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_app::audit::record;
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::people::{decide, PersonalAction, Relationship, Section, Visibility};
use village_store::people::{self as store, ConversationRow, NewConversation, ReplyRow};
use village_store::{accounts as account_store, Db, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/conversations", get(view_mine))
        .route("/me/conversations/{id}/reply", post(view_reply))
        .route(
            "/people/{id}/conversations",
            get(view_connector).post(view_record),
        )
}

#[derive(Debug)]
pub enum NoteError {
    Field(FieldError),
    NotFound,
    Store(StoreError),
}

impl From<StoreError> for NoteError {
    fn from(e: StoreError) -> Self {
        NoteError::Store(e)
    }
}

impl From<FieldError> for NoteError {
    fn from(e: FieldError) -> Self {
        NoteError::Field(e)
    }
}

fn api_error(e: NoteError) -> ApiError {
    match e {
        NoteError::Field(f) => f.into(),
        NoteError::NotFound => ApiError::not_found("person or conversation"),
        NoteError::Store(e) => e.into(),
    }
}

/// Whether `who` is a connector the person chose, as the policy sees it.
async fn as_connector(
    db: &mut impl Db,
    person_id: i64,
    who: &Identity,
) -> Result<Relationship, StoreError> {
    store::as_connector(db, person_id, who.user.id).await
}

fn allowed(r: Relationship, a: PersonalAction) -> bool {
    // Section and visibility do not apply to conversation notes.
    decide(r, a, Section::Story, Visibility::OnlyMe).allowed()
}

/// Tidy typed words (trimmed, Windows line ends made plain), required or not, under `max`
/// characters; the problem names the field. Shared by every free-text field in people and
/// connections.
pub(crate) use village_app::people::check_text;

fn check_date(text: &str, now: i64) -> Result<String, FieldError> {
    let d = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            "happened_on",
            "date_invalid",
            "Give the date of the conversation as YYYY-MM-DD, like 2026-11-20.",
        )
    })?;
    let today = chrono::DateTime::from_timestamp(now, 0).map(|t| t.date_naive());
    if today.is_some_and(|t| d > t) {
        return Err(FieldError::new(
            "happened_on",
            "date_in_future",
            "The conversation cannot be in the future.",
        ));
    }
    Ok(d.to_string())
}

/// A connector writes a note about a conversation with someone who chose them.
pub async fn write_note(
    state: &AppState,
    connector: &Identity,
    person_id: i64,
    note: &NoteBody,
    ip: &str,
    t: i64,
) -> Result<i64, NoteError> {
    let happened_on = check_date(&note.happened_on, t)?;
    let story = check_text("story", &note.story, true, 4_000)?;
    let next_steps = check_text("next_steps", &note.next_steps, false, 2_000)?;
    let mut tx = state.store.begin().await?;
    let r = as_connector(&mut tx, person_id, connector).await?;
    if r == Relationship::Themself || !allowed(r, PersonalAction::RecordConversation) {
        return Err(NoteError::NotFound);
    }
    let id = store::add_conversation(
        &mut tx,
        &NewConversation {
            person_id,
            connector_id: connector.user.id,
            happened_on: &happened_on,
            story: &story,
            next_steps: &next_steps,
        },
        t,
    )
    .await?;
    record(
        &mut tx,
        Some(connector.user.id),
        Some(person_id),
        AuditAction::ConversationRecorded,
        &format!("conversation {id}"),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A reply to a note: the person agrees, comments or asks for a change; the connector who
/// wrote it may comment, or revise the note (its earlier words are kept as a reply).
pub async fn reply(
    state: &AppState,
    who: &Identity,
    conversation_id: i64,
    answer: &ReplyBody,
    ip: &str,
    t: i64,
) -> Result<(), NoteError> {
    let mut tx = state.store.begin().await?;
    let Some(note) = store::conversation(&mut tx, conversation_id).await? else {
        return Err(NoteError::NotFound);
    };
    let r = as_connector(&mut tx, note.person_id, who).await?;
    let writer = note.connector_id == Some(who.user.id) && allowed(r, PersonalAction::ReadOwnNotes);
    if r != Relationship::Themself && !writer {
        return Err(NoteError::NotFound);
    }
    let person = r == Relationship::Themself;
    let (kind, text, next_steps) = (
        answer.kind.as_str(),
        answer.text.as_str(),
        answer.next_steps.as_deref(),
    );
    match (kind, person) {
        ("agree", true) => {
            store::add_reply(
                &mut tx,
                note.id,
                who.user.id,
                "agree",
                &check_text("text", text, false, 2_000)?,
                t,
            )
            .await?;
            store::update_conversation(
                &mut tx,
                note.id,
                &note.story,
                &note.next_steps,
                "agreed",
                t,
            )
            .await?;
        }
        ("change", true) => {
            let body = check_text("text", text, true, 2_000)?;
            store::add_reply(&mut tx, note.id, who.user.id, "change", &body, t).await?;
            store::update_conversation(
                &mut tx,
                note.id,
                &note.story,
                &note.next_steps,
                "change_asked",
                t,
            )
            .await?;
        }
        ("comment", _) => {
            let body = check_text("text", text, true, 2_000)?;
            store::add_reply(&mut tx, note.id, who.user.id, "comment", &body, t).await?;
        }
        ("revise", false) => {
            let story = check_text("text", text, true, 4_000)?;
            let steps = match next_steps {
                Some(s) => check_text("next_steps", s, false, 2_000)?,
                None => note.next_steps.clone(),
            };
            store::add_reply(&mut tx, note.id, who.user.id, "revised", &note.story, t).await?;
            store::update_conversation(&mut tx, note.id, &story, &steps, "shared", t).await?;
            record(
                &mut tx,
                Some(who.user.id),
                Some(note.person_id),
                AuditAction::ConversationRecorded,
                &format!("conversation {} revised", note.id),
                Some(ip),
                t,
            )
            .await?;
        }
        _ => {
            return Err(NoteError::Field(FieldError::new(
                "kind",
                "reply_kind_invalid",
                if person {
                    "Reply with agree, comment or change."
                } else {
                    "Reply with comment or revise."
                },
            )))
        }
    }
    tx.commit().await?;
    Ok(())
}

/// One note with its replies, as the API sends it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationOut {
    pub id: i64,
    pub person_id: i64,
    /// The connector who wrote it (absent once they have left the hub).
    pub connector_id: Option<i64>,
    pub connector_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub happened_on: String,
    pub story: String,
    pub next_steps: String,
    /// `shared`, `agreed` or `change_asked`.
    pub status: String,
    pub replies: Vec<ReplyOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyOut {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// `agree`, `comment`, `change` or `revised` (the note's earlier words).
    pub kind: String,
    pub text: String,
    pub at: i64,
}

/// Notes with their replies, as the API and the export send them.
pub(super) fn out(notes: Vec<ConversationRow>, replies: &[ReplyRow]) -> Vec<ConversationOut> {
    notes
        .into_iter()
        .map(|n| ConversationOut {
            replies: replies
                .iter()
                .filter(|r| r.conversation_id == n.id)
                .map(|r| ReplyOut {
                    id: r.id,
                    author_id: r.author_id,
                    author_name: r.author_name.clone(),
                    kind: r.kind.clone(),
                    text: r.body.clone(),
                    at: r.at,
                })
                .collect(),
            id: n.id,
            person_id: n.person_id,
            connector_id: n.connector_id,
            connector_name: n.connector_name,
            happened_on: n.happened_on,
            story: n.story,
            next_steps: n.next_steps,
            status: n.status,
        })
        .collect()
}

/// Every note about the person (for the person), or the notes one connector wrote (audited).
pub async fn notes(
    state: &AppState,
    who: &Identity,
    person_id: i64,
    ip: &str,
    t: i64,
) -> Result<Vec<ConversationOut>, NoteError> {
    let mut c = state.store.conn().await?;
    let r = as_connector(&mut c, person_id, who).await?;
    if !allowed(r, PersonalAction::ReadOwnNotes) {
        return Err(NoteError::NotFound);
    }
    let by = (r != Relationship::Themself).then_some(who.user.id);
    let rows = store::conversations(&mut c, person_id, by).await?;
    let replies = store::replies(&mut c, person_id).await?;
    if r != Relationship::Themself && !rows.is_empty() {
        record(
            &mut c,
            Some(who.user.id),
            Some(person_id),
            AuditAction::PersonalDataViewed,
            "conversation notes",
            Some(ip),
            t,
        )
        .await?;
    }
    Ok(out(rows, &replies))
}

// ---- API ------------------------------------------------------------------------------

/// Every conversation note about you, with replies.
#[utoipa::path(get, path = "/api/v1/me/conversations", tag = "people",
    responses((status = 200, body = Vec<ConversationOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_conversations(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
) -> Result<Json<Vec<ConversationOut>>, ApiError> {
    let me = identity.user.id;
    notes(&state, &identity, me, &ip, now())
        .await
        .map(Json)
        .map_err(api_error)
}

/// For a connector the person chose: the notes you wrote about them (every look is audited).
#[utoipa::path(get, path = "/api/v1/people/{id}/conversations", tag = "people",
    params(("id" = i64, Path, description = "The person's account number")),
    responses((status = 200, body = Vec<ConversationOut>), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_person_conversations(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ConversationOut>>, ApiError> {
    notes(&state, &identity, id, &ip, now())
        .await
        .map(Json)
        .map_err(api_error)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteBody {
    /// `YYYY-MM-DD`.
    pub happened_on: String,
    /// The conversation as a short story, in the person's own terms.
    pub story: String,
    #[serde(default)]
    pub next_steps: String,
}

/// For a connector the person chose: write a note of a conversation. The person reads it.
#[utoipa::path(post, path = "/api/v1/people/{id}/conversations", tag = "people", request_body = NoteBody,
    params(("id" = i64, Path, description = "The person's account number")),
    responses((status = 201, body = ConversationOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_write_note(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NoteBody>,
) -> Result<(StatusCode, Json<ConversationOut>), ApiError> {
    let t = now();
    let note = write_note(&state, &identity, id, &body, &ip, t)
        .await
        .map_err(api_error)?;
    let list = notes(&state, &identity, id, &ip, t)
        .await
        .map_err(api_error)?;
    let one = list
        .into_iter()
        .find(|n| n.id == note)
        .ok_or_else(|| ApiError::not_found("conversation"))?;
    Ok((StatusCode::CREATED, Json(one)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyBody {
    /// The person: `agree`, `comment` or `change` (ask for a change). The connector who
    /// wrote the note: `comment` or `revise` (new words for the note; the old are kept).
    pub kind: String,
    #[serde(default)]
    pub text: String,
    /// With `revise`: new next steps (left out: kept).
    pub next_steps: Option<String>,
}

/// Reply to a conversation note.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/replies", tag = "people", request_body = ReplyBody,
    params(("id" = i64, Path, description = "The conversation note")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_reply(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> Result<StatusCode, ApiError> {
    reply(&state, &identity, id, &body, &ip, now())
        .await
        .map_err(api_error)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- Pages ----------------------------------------------------------------------------

pub struct NoteView {
    id: i64,
    when: String,
    by: String,
    story: Vec<String>,
    next_steps: String,
    status: &'static str,
    replies: Vec<(String, String, String)>,
}

fn note_views(list: Vec<ConversationOut>, me: i64) -> Vec<NoteView> {
    list.into_iter()
        .map(|n| NoteView {
            id: n.id,
            when: n.happened_on.clone(),
            by: n
                .connector_name
                .clone()
                .unwrap_or_else(|| "A connector who has since left".into()),
            story: n.story.split("\n\n").map(str::to_string).collect(),
            next_steps: n.next_steps.clone(),
            status: match n.status.as_str() {
                "agreed" => "Agreed",
                "change_asked" => "A change was asked for",
                _ => "Waiting for a reply",
            },
            replies: n
                .replies
                .iter()
                .map(|r| {
                    let who = match (r.author_id, &r.author_name) {
                        (Some(id), _) if id == me => "You".to_string(),
                        (_, Some(n)) => n.clone(),
                        _ => "Someone who has since left".into(),
                    };
                    let what = match r.kind.as_str() {
                        "agree" => "agreed",
                        "change" => "asked for a change",
                        "revised" => "changed the note; it used to say",
                        _ => "said",
                    };
                    (who, what.to_string(), r.text.clone())
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "people_conversations.html")]
struct NotesPage {
    layout: Layout,
    errors: Errors,
    heading: String,
    own: bool,
    person_id: i64,
    notes: Vec<NoteView>,
    today: String,
    form_date: String,
    form_story: String,
    form_steps: String,
}

fn today(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.date_naive().to_string())
        .unwrap_or_default()
}

async fn view_mine(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> Response {
    let me = identity.user.id;
    let list = match notes(&state, &identity, me, &ip, now()).await {
        Ok(l) => l,
        Err(NoteError::Store(e)) => return pages::store_failed(e),
        Err(_) => return pages::unavailable(),
    };
    pages::page(&NotesPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/conversations",
            "Notes of your conversations",
        ),
        errors: Errors::none(),
        heading: "Notes of your conversations".into(),
        own: true,
        person_id: me,
        notes: note_views(list, me),
        today: String::new(),
        form_date: String::new(),
        form_story: String::new(),
        form_steps: String::new(),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

async fn view_reply(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ReplyForm>,
) -> Response {
    match reply(
        &state,
        &identity,
        id,
        &ReplyBody {
            kind: form.kind.clone(),
            text: form.text.clone(),
            next_steps: None,
        },
        &ip,
        now(),
    )
    .await
    {
        Ok(()) => Redirect::to("/me/conversations").into_response(),
        Err(NoteError::Field(f)) => pages::problem(
            &state,
            Some(&identity),
            &csrf,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please add a few words",
            &[
                f.message.as_str(),
                "Go back and write what you would like to say.",
            ],
        ),
        Err(NoteError::NotFound) => crate::hub::not_found_page(&state, Some(&identity), &csrf),
        Err(NoteError::Store(e)) => pages::store_failed(e),
    }
}

async fn connector_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    person: i64,
    errors: Errors,
    form: &RecordForm,
) -> Response {
    let t = now();
    let list = match notes(state, identity, person, ip, t).await {
        Ok(l) => l,
        Err(NoteError::NotFound) => return crate::hub::not_found_page(state, Some(identity), csrf),
        Err(NoteError::Store(e)) => return pages::store_failed(e),
        Err(NoteError::Field(_)) => return pages::unavailable(),
    };
    let name = match state.store.conn().await {
        Ok(mut c) => account_store::user_by_id(&mut c, person)
            .await
            .ok()
            .flatten()
            .map(|u| u.display_name)
            .unwrap_or_default(),
        Err(e) => return pages::store_failed(e),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pages::render(
        status,
        &NotesPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/connector/people",
                format!("Conversations with {name}"),
            ),
            errors,
            heading: format!("Conversations with {name}"),
            own: false,
            person_id: person,
            notes: note_views(list, identity.user.id),
            today: today(t),
            form_date: if form.happened_on.is_empty() {
                today(t)
            } else {
                form.happened_on.clone()
            },
            form_story: form.story.clone(),
            form_steps: form.next_steps.clone(),
        },
    )
}

async fn view_connector(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> Response {
    connector_page(
        &state,
        &identity,
        &csrf,
        &ip,
        id,
        Errors::none(),
        &RecordForm::default(),
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct RecordForm {
    #[serde(default)]
    happened_on: String,
    #[serde(default)]
    story: String,
    #[serde(default)]
    next_steps: String,
}

async fn view_record(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<RecordForm>,
) -> Response {
    match write_note(
        &state,
        &identity,
        id,
        &NoteBody {
            happened_on: form.happened_on.clone(),
            story: form.story.clone(),
            next_steps: form.next_steps.clone(),
        },
        &ip,
        now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/people/{id}/conversations")).into_response(),
        Err(NoteError::Field(f)) => {
            connector_page(&state, &identity, &csrf, &ip, id, f.into(), &form).await
        }
        Err(NoteError::NotFound) => crate::hub::not_found_page(&state, Some(&identity), &csrf),
        Err(NoteError::Store(e)) => pages::store_failed(e),
    }
}
