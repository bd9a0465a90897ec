//! The minutes of a gathering and their actions.

use crate::{Db, Result};
use village_domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MinutesRow {
    pub gathering_id: i64,
    pub body: String,
    pub came: i64,
    /// The groups that came, one per line.
    pub groups: String,
    pub written_by: Option<i64>,
    pub written_at: i64,
    pub approved_by: Option<i64>,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<i64>,
}

impl MinutesRow {
    pub fn group_list(&self) -> Vec<String> {
        self.groups
            .lines()
            .filter(|g| !g.trim().is_empty())
            .map(str::to_string)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActionRow {
    pub id: i64,
    pub gathering_id: i64,
    pub position: i64,
    pub what: String,
    pub who: String,
    /// The day it is done by, `YYYY-MM-DD`.
    pub by_day: Option<String>,
    pub proposal_id: Option<i64>,
}

pub async fn minutes(db: &mut impl Db, gathering_id: i64) -> Result<Option<MinutesRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT m.gathering_id, m.body, m.came, m.groups, m.written_by, m.written_at, m.approved_by, \
         u.display_name AS approved_by_name, m.approved_at FROM gathering_minutes m \
         LEFT JOIN users u ON u.id = m.approved_by WHERE m.gathering_id = $1",
    )
    .bind(gathering_id)
    .fetch_optional(&mut *c)
    .await)?)
}

/// Write (or rewrite) the minutes: rewritten minutes wait for a chair to approve them again.
pub async fn put(
    db: &mut impl Db,
    gathering_id: i64,
    body: &str,
    came: i64,
    groups: &str,
    by: i64,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO gathering_minutes (gathering_id, body, came, groups, written_by, written_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (gathering_id) DO UPDATE SET body = $2, came = $3, groups = $4, \
         written_by = $5, written_at = $6, approved_by = NULL, approved_at = NULL",
    )
    .bind(gathering_id)
    .bind(body)
    .bind(came)
    .bind(groups)
    .bind(by)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A chair approves them: false if there are none or they are approved already.
pub async fn approve(db: &mut impl Db, gathering_id: i64, by: i64, now: Timestamp) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE gathering_minutes SET approved_by = $2, approved_at = $3 WHERE gathering_id = $1 AND approved_at IS NULL",
    )
    .bind(gathering_id)
    .bind(by)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn actions(db: &mut impl Db, gathering_id: i64) -> Result<Vec<ActionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, gathering_id, position, what, who, by_day, proposal_id FROM gathering_actions \
         WHERE gathering_id = $1 ORDER BY position, id",
    )
    .bind(gathering_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn action(db: &mut impl Db, id: i64) -> Result<Option<ActionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, gathering_id, position, what, who, by_day, proposal_id FROM gathering_actions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)?)
}

/// An action as written.
pub struct NewAction<'a> {
    /// The action it rewrites (keeping the proposal it became), or none for a new one.
    pub id: Option<i64>,
    pub what: &'a str,
    pub who: &'a str,
    pub by_day: Option<&'a str>,
}

/// Replace the actions: ones named by id are rewritten in place (keeping their proposal),
/// new ones added, the rest removed.
pub async fn put_actions(
    db: &mut impl Db,
    gathering_id: i64,
    list: &[NewAction<'_>],
) -> Result<()> {
    let before = actions(db, gathering_id).await?;
    let kept: Vec<i64> = list.iter().filter_map(|a| a.id).collect();
    for old in before.iter().filter(|o| !kept.contains(&o.id)) {
        query!(db, c => sqlx::query("DELETE FROM gathering_actions WHERE id = $1")
            .bind(old.id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    for (i, a) in list.iter().enumerate() {
        let position = i64::try_from(i).unwrap_or(i64::MAX);
        match a.id.filter(|id| before.iter().any(|o| o.id == *id)) {
            Some(id) => {
                query!(db, c => sqlx::query(
                    "UPDATE gathering_actions SET position = $2, what = $3, who = $4, by_day = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(position)
                .bind(a.what)
                .bind(a.who)
                .bind(a.by_day)
                .execute(&mut *c)
                .await
                .map(|r| r.rows_affected()))?;
            }
            None => {
                query!(db, c => sqlx::query(
                    "INSERT INTO gathering_actions (gathering_id, position, what, who, by_day) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(gathering_id)
                .bind(position)
                .bind(a.what)
                .bind(a.who)
                .bind(a.by_day)
                .execute(&mut *c)
                .await
                .map(|r| r.rows_affected()))?;
            }
        }
    }
    Ok(())
}

/// Link the proposal an action became: false if it already became one.
pub async fn set_action_proposal(db: &mut impl Db, id: i64, proposal_id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE gathering_actions SET proposal_id = $2 WHERE id = $1 AND proposal_id IS NULL",
    )
    .bind(id)
    .bind(proposal_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Forget a member: the minutes stay (their counts), with nobody named as writing or
/// approving them.
pub async fn forget(db: &mut impl Db, user_id: i64) -> Result<()> {
    for sql in [
        "UPDATE gathering_minutes SET written_by = NULL WHERE written_by = $1",
        "UPDATE gathering_minutes SET approved_by = NULL WHERE approved_by = $1",
    ] {
        query!(db, c => sqlx::query(sql).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
