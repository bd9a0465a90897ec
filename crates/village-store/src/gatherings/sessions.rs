//! Open-space sessions: one room at one time of a gathering's grid each (the unique key on
//! the gathering, the room and the time stops two at once).

use crate::{Db, Result, StoreError};
use village_domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub gathering_id: i64,
    pub title: String,
    pub room: String,
    pub starts_at: i64,
    pub convener_id: Option<i64>,
    /// The convener's name: the member's, or the name typed in for someone at the event.
    pub convener_name: Option<String>,
    pub note_taker_id: Option<i64>,
    pub note_taker_name: Option<String>,
    pub notes: String,
    pub notes_at: Option<i64>,
    pub proposal_id: Option<i64>,
    pub created_at: i64,
}

const SELECT: &str = "SELECT s.id, s.gathering_id, s.title, s.room, s.starts_at, s.convener_id, \
    COALESCE(cu.display_name, s.convener_name) AS convener_name, s.note_taker_id, \
    nu.display_name AS note_taker_name, s.notes, s.notes_at, s.proposal_id, s.created_at \
    FROM gathering_sessions s LEFT JOIN users cu ON cu.id = s.convener_id \
    LEFT JOIN users nu ON nu.id = s.note_taker_id";

/// A session as checked by the app.
pub struct NewSession<'a> {
    pub title: &'a str,
    pub room: &'a str,
    pub room_key: &'a str,
    pub starts_at: i64,
    /// The member who convenes it, or none when `convener_name` names someone at the event.
    pub convener_id: Option<i64>,
    pub convener_name: Option<&'a str>,
}

/// Put a session in its room and time; `StoreError::Conflict("room")` when the room is
/// already taken then.
pub async fn add(
    db: &mut impl Db,
    gathering_id: i64,
    s: &NewSession<'_>,
    by: i64,
    now: Timestamp,
) -> Result<i64> {
    query!(db, c => sqlx::query_scalar(
        "INSERT INTO gathering_sessions (gathering_id, title, room, room_key, starts_at, convener_id, convener_name, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(gathering_id)
    .bind(s.title)
    .bind(s.room)
    .bind(s.room_key)
    .bind(s.starts_at)
    .bind(s.convener_id)
    .bind(s.convener_name)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
    .map_err(|e| StoreError::from(e).unique_as("room"))
}

/// A gathering's sessions, by time then room.
pub async fn of_gathering(db: &mut impl Db, gathering_id: i64) -> Result<Vec<SessionRow>> {
    let sql = format!("{SELECT} WHERE s.gathering_id = $1 ORDER BY s.starts_at, s.room_key, s.id");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(gathering_id).fetch_all(&mut *c).await)?)
}

pub async fn session(db: &mut impl Db, id: i64) -> Result<Option<SessionRow>> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Someone offers to take the notes: true if nobody had.
pub async fn take_notes(db: &mut impl Db, id: i64, user_id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE gathering_sessions SET note_taker_id = $2 WHERE id = $1 AND note_taker_id IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn put_notes(db: &mut impl Db, id: i64, notes: &str, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE gathering_sessions SET notes = $2, notes_at = $3 WHERE id = $1")
        .bind(id).bind(notes).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Link the proposal it became: false if it already became one.
pub async fn set_proposal(db: &mut impl Db, id: i64, proposal_id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE gathering_sessions SET proposal_id = $2 WHERE id = $1 AND proposal_id IS NULL",
    )
    .bind(id)
    .bind(proposal_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Forget a member: sessions they convened or took notes for stay (the gathering's record),
/// with nobody's name on them.
pub async fn forget(db: &mut impl Db, user_id: i64) -> Result<()> {
    for sql in [
        "UPDATE gathering_sessions SET convener_id = NULL, convener_name = NULL WHERE convener_id = $1",
        "UPDATE gathering_sessions SET note_taker_id = NULL WHERE note_taker_id = $1",
        "UPDATE gathering_sessions SET created_by = NULL WHERE created_by = $1",
    ] {
        query!(db, c => sqlx::query(sql).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
