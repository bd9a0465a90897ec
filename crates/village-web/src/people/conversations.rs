//! Conversations: a connector writes a short story of a conversation, in the person's own
//! terms. The person reads every note about them and can agree, comment or ask for a change;
//! the connector can revise (the earlier words are kept). Nothing is written about a person
//! that they cannot read. Pages and API call the same functions.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::Path;
use crate::pages::{self, Errors, Layout, PageForm, PageResult};
use crate::stories::pages::CheckShown;
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Json;
use serde::Deserialize;
use village_app::accounts::Identity;
use village_app::people::conversations::{
    notes, reply, write_note, ConversationOut, NoteBody, ReplyBody,
};
use village_app::Error;

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
        .map_err(ApiError::from)
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
        .map_err(ApiError::from)
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
    let note = write_note(&state, &identity, id, &body, &ip, t).await?;
    let list = notes(&state, &identity, id, &ip, t).await?;
    let one = list
        .into_iter()
        .find(|n| n.id == note)
        .ok_or_else(|| ApiError::not_found("conversation"))?;
    Ok((StatusCode::CREATED, Json(one)))
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
    reply(&state, &identity, id, &body, &ip, now()).await?;
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
            when: village_domain::dates::day(&n.happened_on),
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
#[template(path = "people/conversations.html")]
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
    /// What "Check my words" found in the note being written.
    checked: Option<CheckShown>,
}

pub(crate) async fn view_mine(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> PageResult {
    let me = identity.user.id;
    let list = notes(&state, &identity, me, &ip, now()).await?;
    Ok(pages::page(&NotesPage {
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
        checked: None,
    }))
}

#[derive(Debug, Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

pub(crate) async fn view_reply(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ReplyForm>,
) -> PageResult {
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
        Ok(()) => Ok(Redirect::to("/me/conversations").into_response()),
        Err(Error::Field(f)) => Ok(pages::problem(
            &state,
            Some(&identity),
            &csrf,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please add a few words",
            &[
                f.message.as_str(),
                "Go back and write what you would like to say.",
            ],
        )),
        Err(e) => Err(e.into()),
    }
}

async fn connector_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    person: i64,
    form: &RecordForm,
    (errors, checked): (Errors, Option<CheckShown>),
) -> PageResult {
    let t = now();
    let list = match notes(state, identity, person, ip, t).await {
        Ok(l) => l,
        Err(e) => return Err(e.into()),
    };
    let name = village_app::accounts::name_of(state, person).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
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
            today: village_domain::dates::day_of(t),
            form_date: if form.happened_on.is_empty() {
                village_domain::dates::today_ymd(t)
            } else {
                form.happened_on.clone()
            },
            form_story: form.story.clone(),
            form_steps: form.next_steps.clone(),
            checked,
        },
    ))
}

pub(crate) async fn view_connector(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    connector_page(
        &state,
        &identity,
        &csrf,
        &ip,
        id,
        &RecordForm::default(),
        (Errors::none(), None),
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
    /// "Check my words" was pressed rather than "Save the note".
    check: Option<String>,
}

pub(crate) async fn view_record(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<RecordForm>,
) -> PageResult {
    if form.check.is_some() {
        let parts = [
            ("story", form.story.as_str()),
            ("next_steps", &form.next_steps),
        ];
        let (errors, checked) = match village_app::stories::check_parts(&state, &parts) {
            Ok(found) => {
                let mut found = found.into_iter().map(|(_, flags)| flags);
                let shown = CheckShown::new(
                    vec![
                        (
                            "In the conversation",
                            &form.story,
                            found.next().unwrap_or_default(),
                        ),
                        (
                            "In the next steps",
                            &form.next_steps,
                            found.next().unwrap_or_default(),
                        ),
                    ],
                    Vec::new(),
                );
                (Errors::none(), Some(shown))
            }
            Err(e) => (pages::field_errors(e)?, None),
        };
        return connector_page(&state, &identity, &csrf, &ip, id, &form, (errors, checked)).await;
    }
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
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}/conversations")).into_response()),
        Err(Error::Field(f)) => {
            connector_page(&state, &identity, &csrf, &ip, id, &form, (f.into(), None)).await
        }
        Err(e) => Err(e.into()),
    }
}
