//! Places at a gathering, and what would help people take part. Every function that
//! changes places runs inside a transaction that holds the gathering (`super::lock`).

use crate::{Db, Result};
use village_domain::gatherings::places::{Place, Taken};
use village_domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SignUpRow {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub place: Place,
    pub draws_on_support: bool,
    pub offered_until: Option<i64>,
    pub joined_at: i64,
}

const SELECT: &str = "SELECT s.user_id, u.display_name, u.email, s.place, s.draws_on_support, s.offered_until, s.joined_at \
    FROM gathering_sign_ups s JOIN users u ON u.id = s.user_id";

/// Everyone who signed up: going and offered first, then the waiting list in order.
pub async fn sign_ups(db: &mut impl Db, gathering_id: i64) -> Result<Vec<SignUpRow>> {
    let sql = format!(
        "{SELECT} WHERE s.gathering_id = $1 ORDER BY CASE s.place WHEN 'waiting' THEN 1 ELSE 0 END, s.seq"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(gathering_id).fetch_all(&mut *c).await)?)
}

pub async fn sign_up_of(
    db: &mut impl Db,
    gathering_id: i64,
    user_id: i64,
) -> Result<Option<SignUpRow>> {
    let sql = format!("{SELECT} WHERE s.gathering_id = $1 AND s.user_id = $2");
    Ok(
        query!(db, c => sqlx::query_as(&sql).bind(gathering_id).bind(user_id).fetch_optional(&mut *c).await)?,
    )
}

/// The places taken (going, or offered and held).
pub async fn taken(db: &mut impl Db, gathering_id: i64) -> Result<Taken> {
    let (all, drawing): (i64, i64) = query!(db, c => sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN draws_on_support THEN 1 ELSE 0 END), 0) \
         FROM gathering_sign_ups WHERE gathering_id = $1 AND place IN ('going', 'offered')",
    )
    .bind(gathering_id)
    .fetch_one(&mut *c)
    .await)?;
    Ok(Taken {
        all,
        drawing_on_support: drawing,
    })
}

/// How many are going, and how many wait.
pub async fn counts(db: &mut impl Db, gathering_id: i64) -> Result<(i64, i64)> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN place = 'going' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN place = 'waiting' THEN 1 ELSE 0 END), 0) \
         FROM gathering_sign_ups WHERE gathering_id = $1",
    )
    .bind(gathering_id)
    .fetch_one(&mut *c)
    .await)?)
}

/// Add someone (at the end of the list when waiting).
pub async fn add(
    db: &mut impl Db,
    gathering_id: i64,
    user_id: i64,
    place: Place,
    draws_on_support: bool,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO gathering_sign_ups (gathering_id, user_id, place, draws_on_support, joined_at, seq) \
         VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(seq), 0) + 1 FROM gathering_sign_ups WHERE gathering_id = $1))",
    )
    .bind(gathering_id)
    .bind(user_id)
    .bind(place.code())
    .bind(draws_on_support)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Move someone to another place (`offered_until` with an offer).
pub async fn set_place(
    db: &mut impl Db,
    gathering_id: i64,
    user_id: i64,
    place: Place,
    offered_until: Option<i64>,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "UPDATE gathering_sign_ups SET place = $3, offered_until = $4 WHERE gathering_id = $1 AND user_id = $2",
    )
    .bind(gathering_id)
    .bind(user_id)
    .bind(place.code())
    .bind(offered_until)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Take someone off (their place, or their place on the list), with what they said would
/// help. False when they had not signed up.
pub async fn remove(db: &mut impl Db, gathering_id: i64, user_id: i64) -> Result<bool> {
    forget_needs(db, gathering_id, user_id).await?;
    let n = query!(db, c => sqlx::query(
        "DELETE FROM gathering_sign_ups WHERE gathering_id = $1 AND user_id = $2",
    )
    .bind(gathering_id)
    .bind(user_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Offers no longer held at `now`, oldest first.
pub async fn lapsed_offers(
    db: &mut impl Db,
    gathering_id: i64,
    now: Timestamp,
) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT user_id FROM gathering_sign_ups WHERE gathering_id = $1 AND place = 'offered' AND offered_until <= $2 ORDER BY seq",
    )
    .bind(gathering_id)
    .bind(now)
    .fetch_all(&mut *c)
    .await)?)
}

/// Gatherings still to come with an offer no longer held at `now`, or a waiting list (a
/// place may have freed).
pub async fn with_offers_to_settle(db: &mut impl Db, now: Timestamp) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT DISTINCT s.gathering_id FROM gathering_sign_ups s JOIN gatherings g ON g.id = s.gathering_id \
         WHERE g.state = 'published' AND g.starts_at > $1 AND (s.place = 'waiting' OR (s.place = 'offered' AND s.offered_until <= $1)) \
         ORDER BY s.gathering_id",
    )
    .bind(now)
    .fetch_all(&mut *c)
    .await)?)
}

/// The waiting list in order: who, and whether they draw on care and support.
pub async fn waiting(db: &mut impl Db, gathering_id: i64) -> Result<Vec<(i64, bool)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT user_id, draws_on_support FROM gathering_sign_ups WHERE gathering_id = $1 AND place = 'waiting' ORDER BY seq",
    )
    .bind(gathering_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// What someone said would help them take part.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NeedsRow {
    pub user_id: i64,
    pub display_name: String,
    /// Need codes, comma-separated.
    pub needs: String,
    pub words: String,
    pub at: i64,
}

/// Keep (or replace) what someone said would help them.
pub async fn put_needs(
    db: &mut impl Db,
    gathering_id: i64,
    user_id: i64,
    needs: &str,
    words: &str,
    now: Timestamp,
) -> Result<()> {
    forget_needs(db, gathering_id, user_id).await?;
    if needs.is_empty() && words.is_empty() {
        return Ok(());
    }
    query!(db, c => sqlx::query(
        "INSERT INTO gathering_needs (gathering_id, user_id, needs, words, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(gathering_id)
    .bind(user_id)
    .bind(needs)
    .bind(words)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn forget_needs(db: &mut impl Db, gathering_id: i64, user_id: i64) -> Result<()> {
    query!(db, c => sqlx::query("DELETE FROM gathering_needs WHERE gathering_id = $1 AND user_id = $2")
        .bind(gathering_id).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// What everyone signed up said would help them, in the order they signed up.
pub async fn needs(db: &mut impl Db, gathering_id: i64) -> Result<Vec<NeedsRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT n.user_id, u.display_name, n.needs, n.words, n.at FROM gathering_needs n JOIN users u ON u.id = n.user_id \
         JOIN gathering_sign_ups s ON s.gathering_id = n.gathering_id AND s.user_id = n.user_id \
         WHERE n.gathering_id = $1 ORDER BY s.seq",
    )
    .bind(gathering_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// One person's answers, for their own page.
pub async fn needs_of(
    db: &mut impl Db,
    gathering_id: i64,
    user_id: i64,
) -> Result<Option<NeedsRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT n.user_id, u.display_name, n.needs, n.words, n.at FROM gathering_needs n JOIN users u ON u.id = n.user_id \
         WHERE n.gathering_id = $1 AND n.user_id = $2",
    )
    .bind(gathering_id)
    .bind(user_id)
    .fetch_optional(&mut *c)
    .await)?)
}

/// Delete what people said would help them at gatherings that ended (or were cancelled)
/// `keep_secs` or more before `now`. Returns how many answers went.
pub async fn delete_old_needs(db: &mut impl Db, now: Timestamp, keep_secs: i64) -> Result<u64> {
    Ok(query!(db, c => sqlx::query(
        "DELETE FROM gathering_needs WHERE gathering_id IN (SELECT id FROM gatherings \
         WHERE (CASE WHEN cancelled_at IS NOT NULL AND cancelled_at < last_ends_at THEN cancelled_at ELSE last_ends_at END) <= $1)",
    )
    .bind(now - keep_secs)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?)
}

/// A member's place at a gathering, with what they said would help them, for their own
/// information.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MyPlaceRow {
    pub gathering_id: i64,
    pub title: String,
    pub starts_at: i64,
    #[sqlx(try_from = "String")]
    pub place: Place,
    pub joined_at: i64,
    pub needs: Option<String>,
    pub words: Option<String>,
}

/// Every gathering a member signed up to, newest first.
pub async fn of_member(db: &mut impl Db, user_id: i64) -> Result<Vec<MyPlaceRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT s.gathering_id, g.title, g.starts_at, s.place, s.joined_at, n.needs, n.words \
         FROM gathering_sign_ups s JOIN gatherings g ON g.id = s.gathering_id \
         LEFT JOIN gathering_needs n ON n.gathering_id = s.gathering_id AND n.user_id = s.user_id \
         WHERE s.user_id = $1 ORDER BY g.starts_at DESC, s.gathering_id DESC",
    )
    .bind(user_id)
    .fetch_all(&mut *c)
    .await)?)
}
