//! Answers to published stories (from a group it names, or the council), "me too", the
//! teller's "Did things change?" and what a group's figures are counted from.

use crate::{Db, Result};
use village_domain::stories::answers::Change;
use village_domain::stories::follow_up::Changed;
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
    /// The group keeps these words if the story goes.
    pub keep_if_gone: bool,
    pub at: Timestamp,
}

const SELECT: &str =
    "SELECT id, story_id, organization_id, answered_by, body, change, held, keep_if_gone, at FROM story_answers";

/// Answer a story; returns the answer's id.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    db: &mut impl Db,
    story_id: i64,
    organization_id: Option<&str>,
    by: i64,
    body: &str,
    change: Change,
    (held, keep_if_gone): (bool, bool),
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO story_answers (story_id, organization_id, answered_by, body, change, held, at, keep_if_gone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(story_id)
    .bind(organization_id)
    .bind(by)
    .bind(body)
    .bind(change.code())
    .bind(held)
    .bind(now)
    .bind(keep_if_gone)
    .fetch_one(&mut *c)
    .await)?)
}

/// A story's answers, oldest first (held ones too: the caller decides who sees them).
pub async fn of_story(db: &mut impl Db, story_id: i64) -> Result<Vec<AnswerRow>> {
    let sql = format!("{SELECT} WHERE story_id = $1 ORDER BY at, id");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(story_id).fetch_all(&mut *c).await)?)
}

/// Answers a group kept when the story they answered went, newest first.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeptRow {
    pub id: i64,
    pub organization_id: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub change: Change,
    pub at: Timestamp,
}

pub async fn kept_of_group(db: &mut impl Db, organization_id: &str) -> Result<Vec<KeptRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, organization_id, body, change, at FROM kept_answers WHERE organization_id = $1 ORDER BY at DESC, id DESC",
    )
    .bind(organization_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Before stories go (`stories`: SQL naming their ids, with `$1`): the answers their groups
/// chose to keep move to `kept_answers`, without the story (held answers, the council's and
/// answers to private stories never move).
pub(crate) async fn keep_before_going(db: &mut impl Db, stories: &str, arg: i64) -> Result<()> {
    let sql = format!(
        "INSERT INTO kept_answers (organization_id, body, change, at) \
         SELECT organization_id, body, change, at FROM story_answers \
         WHERE keep_if_gone AND NOT held AND organization_id IS NOT NULL AND story_id IN ({stories}) \
         AND story_id IN (SELECT id FROM stories WHERE audience <> 'private')"
    );
    query!(db, c => sqlx::query(&sql).bind(arg).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Answers held for a steward, oldest first: (answer id, story id).
pub async fn held(db: &mut impl Db, limit: i64) -> Result<Vec<(i64, i64)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, story_id FROM story_answers WHERE held ORDER BY at, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

/// How many answers are held for a steward.
pub async fn held_count(db: &mut impl Db) -> Result<i64> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM story_answers WHERE held")
        .fetch_one(&mut *c)
        .await)?,
    )
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

/// The teller answers "Did things change?" (the newest answer counts).
pub async fn add_follow_up(
    db: &mut impl Db,
    story_id: i64,
    changed: Changed,
    words: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO story_follow_ups (story_id, changed, words, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(story_id)
    .bind(changed.code())
    .bind(words)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FollowUpRow {
    #[sqlx(try_from = "String")]
    pub changed: Changed,
    pub words: String,
    pub at: Timestamp,
}

/// The teller's newest answer to "Did things change?".
pub async fn latest_follow_up(db: &mut impl Db, story_id: i64) -> Result<Option<FollowUpRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT changed, words, at FROM story_follow_ups WHERE story_id = $1 ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(story_id)
    .fetch_optional(&mut *c)
    .await)?)
}

/// Published stories with an answer that shows: (story, teller, the member it was told for,
/// when the first answer came).
pub async fn answered_stories(db: &mut impl Db) -> Result<Vec<(i64, i64, Option<i64>, Timestamp)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT s.id, s.author_id, s.told_for, MIN(a.at) FROM stories s JOIN story_answers a ON a.story_id = s.id \
         WHERE s.state = 'published' AND a.held = FALSE GROUP BY s.id, s.author_id, s.told_for ORDER BY s.id",
    )
    .fetch_all(&mut *c)
    .await)?)
}

/// The weeks the teller of a story has been asked "Did things change?".
pub async fn asked_weeks(db: &mut impl Db, story_id: i64) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT week FROM story_follow_up_asks WHERE story_id = $1 ORDER BY week",
    )
    .bind(story_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Record that the teller was asked at `week` (false when it was already recorded).
pub async fn record_asked(
    db: &mut impl Db,
    story_id: i64,
    week: i64,
    now: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "INSERT INTO story_follow_up_asks (story_id, week, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(story_id)
    .bind(week)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// For a group's figures: each published story naming it that members or anyone may read,
/// with when it was published, when the group first answered, whether the group said a
/// change was made, and the teller's newest "Did things change?".
pub async fn group_facts(
    db: &mut impl Db,
    organization_id: &str,
) -> Result<Vec<village_domain::stories::follow_up::StoryFacts>> {
    let stories: Vec<(i64, Option<i64>)> = query!(db, c => sqlx::query_as(
        "SELECT s.id, s.published_at FROM stories s JOIN story_groups g ON g.story_id = s.id \
         WHERE g.organization_id = $1 AND s.state = 'published' AND s.audience <> 'private' ORDER BY s.id",
    )
    .bind(organization_id)
    .fetch_all(&mut *c)
    .await)?;
    let mut out = Vec::new();
    for (id, published_at) in stories {
        let (first, made): (Option<i64>, i64) = query!(db, c => sqlx::query_as(
            "SELECT MIN(at), COALESCE(SUM(CASE WHEN change = 'made' THEN 1 ELSE 0 END), 0) FROM story_answers \
             WHERE story_id = $1 AND organization_id = $2 AND held = FALSE",
        )
        .bind(id)
        .bind(organization_id)
        .fetch_one(&mut *c)
        .await)?;
        let said = latest_follow_up(db, id).await?.map(|f| f.changed);
        out.push(village_domain::stories::follow_up::StoryFacts {
            published_at: published_at.unwrap_or_default(),
            first_answer_at: first,
            change_made: made > 0,
            said,
        });
    }
    Ok(out)
}
