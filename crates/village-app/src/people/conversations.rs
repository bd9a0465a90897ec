//! Conversations: a connector the person chose writes notes of their conversations, which the
//! person reads and answers. Who may write and read is the domain's access policy
//! (`village_domain::access::people::decide`); every read by someone other than the person is audited.

use crate::accounts::Identity;
use crate::audit::record;
use crate::{App, Error};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_domain::access::people::{decide, PersonalAction, Relationship};
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::people::{Section, Visibility};
use village_store::people::{self as store, ConversationRow, NewConversation, ReplyRow};
use village_store::{Db, StoreError};

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

use super::check_text;
use village_domain::error::ErrorCode;

fn check_date(text: &str, now: i64) -> Result<String, FieldError> {
    let d = village_domain::dates::parse_day(text).ok_or_else(|| {
        FieldError::new(
            "happened_on",
            ErrorCode::DateInvalid,
            "Give the date of the conversation, like 20 November 2026.",
        )
    })?;
    let today = village_domain::dates::parse_day(&village_domain::dates::today_ymd(now));
    if today.is_some_and(|t| d > t) {
        return Err(FieldError::new(
            "happened_on",
            ErrorCode::DateInFuture,
            "The conversation cannot be in the future.",
        ));
    }
    Ok(d.to_string())
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

/// A connector writes a note about a conversation with someone who chose them.
#[tracing::instrument(skip_all, fields(actor = connector.user.id, person_id))]
pub async fn write_note(
    state: &App,
    connector: &Identity,
    person_id: i64,
    note: &NoteBody,
    ip: &str,
    t: i64,
) -> Result<i64, Error> {
    let happened_on = check_date(&note.happened_on, t)?;
    let story = check_text("story", &note.story, true, 4_000)?;
    let next_steps = check_text("next_steps", &note.next_steps, false, 2_000)?;
    let mut tx = state.store.begin().await?;
    let r = as_connector(&mut tx, person_id, connector).await?;
    if r == Relationship::Themself || !allowed(r, PersonalAction::RecordConversation) {
        return Err(Error::NotFound("person or conversation"));
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
#[tracing::instrument(skip_all, fields(actor = who.user.id, conversation_id))]
pub async fn reply(
    state: &App,
    who: &Identity,
    conversation_id: i64,
    answer: &ReplyBody,
    ip: &str,
    t: i64,
) -> Result<(), Error> {
    let mut tx = state.store.begin().await?;
    let Some(note) = store::conversation(&mut tx, conversation_id).await? else {
        return Err(Error::NotFound("person or conversation"));
    };
    let r = as_connector(&mut tx, note.person_id, who).await?;
    let writer = note.connector_id == Some(who.user.id) && allowed(r, PersonalAction::ReadOwnNotes);
    if r != Relationship::Themself && !writer {
        return Err(Error::NotFound("person or conversation"));
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
            return Err(Error::Field(FieldError::new(
                "kind",
                ErrorCode::ReplyKindInvalid,
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
pub fn out(notes: Vec<ConversationRow>, replies: &[ReplyRow]) -> Vec<ConversationOut> {
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
#[tracing::instrument(skip_all, fields(actor = who.user.id, person_id))]
pub async fn notes(
    state: &App,
    who: &Identity,
    person_id: i64,
    ip: &str,
    t: i64,
) -> Result<Vec<ConversationOut>, Error> {
    let mut c = state.store.conn().await?;
    let r = as_connector(&mut c, person_id, who).await?;
    if !allowed(r, PersonalAction::ReadOwnNotes) {
        return Err(Error::NotFound("person or conversation"));
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
