//! Answers to published stories (from a group it names, or the council) and "me too".

use crate::{Db, Result};
use village_domain::stories::answers::Change;
use village_domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AnswerRow {
    pub id: i64,
    pub story_id: i64,
    /// The group answering; `None` for the council.
    pub organization_id: Option<String>,
    pub answered_by: Option<i64>,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub change: Change,
    /// Held for a steward: it names the person who told the story.
    pub held: bool,
    pub at: Timestamp,
}

const SELECT: &str =
    "SELECT id, story_id, organization_id, answered_by, body, change, held, at FROM story_answers";

/// Answer a story; returns the answer's id.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    db: &mut impl Db,
    story_id: i64,
    organization_id: Option<&str>,
    by: i64,
    body: &str,
    change: Change,
    held: bool,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO story_answers (story_id, organization_id, answered_by, body, change, held, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(story_id)
    .bind(organization_id)
    .bind(by)
    .bind(body)
    .bind(change.code())
    .bind(held)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

/// A story's answers, oldest first (held ones too: the caller decides who sees them).
pub async fn of_story(db: &mut impl Db, story_id: i64) -> Result<Vec<AnswerRow>> {
    let sql = format!("{SELECT} WHERE story_id = $1 ORDER BY at, id");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(story_id).fetch_all(&mut *c).await)?)
}

/// A steward lets a held answer show (false when it was not held, or is not this story's).
pub async fn release(db: &mut impl Db, story_id: i64, answer_id: i64) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE story_answers SET held = FALSE WHERE id = $1 AND story_id = $2 AND held = TRUE",
    )
    .bind(answer_id)
    .bind(story_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// A reader says it happened to them too (once: a second time changes nothing).
pub async fn me_too(db: &mut impl Db, story_id: i64, user_id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO story_me_too (story_id, user_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(story_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// How many said "me too", and whether `user_id` did.
pub async fn me_too_count(
    db: &mut impl Db,
    story_id: i64,
    user_id: Option<i64>,
) -> Result<(i64, bool)> {
    let n: i64 = query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM story_me_too WHERE story_id = $1")
        .bind(story_id)
        .fetch_one(&mut *c)
        .await)?;
    let mine: i64 = query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM story_me_too WHERE story_id = $1 AND user_id = $2",
    )
    .bind(story_id)
    .bind(user_id.unwrap_or(-1))
    .fetch_one(&mut *c)
    .await)?;
    Ok((n, mine > 0))
}
