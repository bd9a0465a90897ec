//! Safeguarding concerns and the actions safeguarding leads record on them. Append-only: the
//! database refuses changes; rows go only when a person is forgotten and nothing about them
//! is still open (see `people::forget`).

use crate::{Db, Result};
use village_domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConcernRow {
    pub id: i64,
    pub raised_by: Option<i64>,
    pub raised_by_name: String,
    pub about_person: Option<i64>,
    pub about_group: Option<String>,
    /// The help match it is about, when raised from a match ("something's not right").
    pub about_help_match: Option<i64>,
    /// That match is still kept (it goes when one of its two people is forgotten).
    pub help_match_kept: bool,
    pub about_name: String,
    pub what: String,
    pub urgent: bool,
    pub raised_at: i64,
    /// How to reach someone who raised it without signing in (empty for members).
    pub raiser_contact: String,
    /// When it was closed, if it was.
    pub closed_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConcernActionRow {
    pub id: i64,
    pub concern_id: i64,
    pub by_id: Option<i64>,
    pub by_name: String,
    /// `action` or `closed` (the outcome).
    pub kind: String,
    pub body: String,
    pub at: i64,
}

pub struct NewConcern<'a> {
    /// The member who raised it; `None` for someone not signed in.
    pub raised_by: Option<i64>,
    pub raised_by_name: &'a str,
    pub about_person: Option<i64>,
    pub about_group: Option<&'a str>,
    pub about_help_match: Option<i64>,
    pub about_name: &'a str,
    pub what: &'a str,
    pub urgent: bool,
    pub raiser_contact: &'a str,
}

pub async fn raise(db: &mut impl Db, c: &NewConcern<'_>, now: Timestamp) -> Result<i64> {
    Ok(query!(db, x => sqlx::query_scalar(
        "INSERT INTO concerns (raised_by, raised_by_name, about_person, about_group, about_name, what, urgent, raised_at, raiser_contact, about_help_match) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(c.raised_by)
    .bind(c.raised_by_name)
    .bind(c.about_person)
    .bind(c.about_group)
    .bind(c.about_name)
    .bind(c.what)
    .bind(c.urgent)
    .bind(now)
    .bind(c.raiser_contact)
    .bind(c.about_help_match)
    .fetch_one(&mut *x)
    .await)?)
}

const SELECT: &str = "SELECT c.id, c.raised_by, c.raised_by_name, c.about_person, c.about_group, \
    c.about_help_match, \
    EXISTS (SELECT 1 FROM help_matches m WHERE m.id = c.about_help_match) AS help_match_kept, \
    c.about_name, c.what, c.urgent, c.raised_at, c.raiser_contact, \
    (SELECT MAX(a.at) FROM concern_actions a WHERE a.concern_id = c.id AND a.kind = 'closed') AS closed_at \
    FROM concerns c";

/// Every concern: open ones first (urgent first), then closed, newest first within each.
pub async fn list(db: &mut impl Db) -> Result<Vec<ConcernRow>> {
    let sql = format!(
        "SELECT * FROM ({SELECT}) q ORDER BY CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN urgent THEN 0 ELSE 1 END, id DESC"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).fetch_all(&mut *c).await)?)
}

/// How many concerns are open, and how many of those are urgent.
pub async fn open_counts(db: &mut impl Db) -> Result<(i64, i64)> {
    let sql = format!(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN urgent THEN 1 ELSE 0 END), 0) FROM ({SELECT}) q \
         WHERE closed_at IS NULL"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).fetch_one(&mut *c).await)?)
}

pub async fn concern(db: &mut impl Db, id: i64) -> Result<Option<ConcernRow>> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// The concerns raised about a help match (their numbers, oldest first).
pub async fn about_match(db: &mut impl Db, match_id: i64) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT id FROM concerns WHERE about_help_match = $1 ORDER BY id",
    )
    .bind(match_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn actions(db: &mut impl Db, concern_id: i64) -> Result<Vec<ConcernActionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, concern_id, by_id, by_name, kind, body, at FROM concern_actions WHERE concern_id = $1 ORDER BY id",
    )
    .bind(concern_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn add_action(
    db: &mut impl Db,
    concern_id: i64,
    by_id: i64,
    by_name: &str,
    kind: &str,
    body: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO concern_actions (concern_id, by_id, by_name, kind, body, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(concern_id)
    .bind(by_id)
    .bind(by_name)
    .bind(kind)
    .bind(body)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

/// How many concerns about a person are still open (kept when they are forgotten).
pub async fn open_about(db: &mut impl Db, person_id: i64) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM concerns c WHERE c.about_person = $1 \
         AND NOT EXISTS (SELECT 1 FROM concern_actions a WHERE a.concern_id = c.id AND a.kind = 'closed')",
    )
    .bind(person_id)
    .fetch_one(&mut *c)
    .await)?)
}

/// When a person is forgotten: closed concerns about them go; open ones stay for the leads.
pub async fn forget_closed_about(db: &mut impl Db, person_id: i64) -> Result<()> {
    let closed: Vec<i64> = query!(db, c => sqlx::query_scalar(
        "SELECT c.id FROM concerns c WHERE c.about_person = $1 \
         AND EXISTS (SELECT 1 FROM concern_actions a WHERE a.concern_id = c.id AND a.kind = 'closed')",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?;
    for id in closed {
        for sql in [
            "DELETE FROM concern_actions WHERE concern_id = $1",
            "DELETE FROM concerns WHERE id = $1",
        ] {
            query!(db, c => sqlx::query(sql).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        }
    }
    Ok(())
}

/// Remove the name and way back of someone who raised a concern without signing in (they
/// asked). Nothing else changes: the database refuses any other change to a concern. Returns
/// whether there was such a concern.
pub async fn forget_visitor_raiser(db: &mut impl Db, id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE concerns SET raised_by_name = '', raiser_contact = '' \
         WHERE id = $1 AND raised_by IS NULL",
    )
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
