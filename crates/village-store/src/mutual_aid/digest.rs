//! Weekly emails of new asks and offers near a member, and the asks near them that have
//! waited with no answer.

use super::*;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DigestRow {
    pub user_id: i64,
    pub area: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub since: i64,
    pub next_at: i64,
}

/// Start (or move) a member's weekly email: posts after `now` go in the first, due at
/// `next_at`.
pub async fn set_digest(
    db: &mut impl Db,
    user_id: i64,
    area: &str,
    point: Option<(f64, f64)>,
    now: Timestamp,
    next_at: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO help_digests (user_id, area, lat, lon, since, next_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET area = excluded.area, lat = excluded.lat, lon = excluded.lon",
    )
    .bind(user_id)
    .bind(area)
    .bind(point.map(|p| p.0))
    .bind(point.map(|p| p.1))
    .bind(now)
    .bind(next_at)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn digest_of(db: &mut impl Db, user_id: i64) -> Result<Option<DigestRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT user_id, area, lat, lon, since, next_at FROM help_digests WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *c)
    .await)?)
}

/// Stop a member's weekly email; whether there was one.
pub async fn stop_digest(db: &mut impl Db, user_id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query("DELETE FROM help_digests WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Every member's weekly email that is due, oldest due first.
pub async fn digests_due(db: &mut impl Db, now: Timestamp, limit: i64) -> Result<Vec<DigestRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT user_id, area, lat, lon, since, next_at FROM help_digests WHERE next_at <= $1 \
         ORDER BY next_at, user_id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

/// Every member's weekly email.
pub async fn all_digests(db: &mut impl Db) -> Result<Vec<DigestRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT user_id, area, lat, lon, since, next_at FROM help_digests ORDER BY user_id",
    )
    .fetch_all(&mut *c)
    .await)?)
}

/// Take a due email to send (false when another server took it first): the next one covers
/// posts from `from` on.
pub async fn claim_digest(
    db: &mut impl Db,
    d: &DigestRow,
    from: Timestamp,
    next_at: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE help_digests SET since = $1, next_at = $2 WHERE user_id = $3 AND next_at = $4",
    )
    .bind(from)
    .bind(next_at)
    .bind(d.user_id)
    .bind(d.next_at)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// Where to look: within `miles` of a point, or (with no point) in the same area.
#[derive(Debug, Clone, Copy)]
pub struct Near<'a> {
    pub area: &'a str,
    pub point: Option<(f64, f64)>,
    pub miles: f64,
}

fn near_sql(first: usize) -> String {
    let (lat, lon, shrink, reach, area) = (first, first + 1, first + 2, first + 3, first + 4);
    format!(
        "((${lat} IS NOT NULL AND p.lat IS NOT NULL AND \
         ((p.lat - ${lat}) * (p.lat - ${lat}) + ((p.lon - ${lon}) * ${shrink}) * ((p.lon - ${lon}) * ${shrink})) <= ${reach}) \
         OR (${lat} IS NULL AND p.area = ${area}))"
    )
}

fn reach(miles: f64) -> f64 {
    let degrees = miles * 1.609_344 / 111.2;
    degrees * degrees
}

/// Open posts made from `since` on, not the member's own, near them: newest first.
pub async fn posts_since_near(
    db: &mut impl Db,
    user_id: i64,
    since: Timestamp,
    now: Timestamp,
    near: Near<'_>,
    limit: i64,
) -> Result<Vec<PostRow>> {
    let sql = format!(
        "{POST_SELECT} WHERE p.state = 'open' AND p.expires_at > $1 AND p.created_at >= $2 \
         AND p.author_id <> $3 AND {} ORDER BY p.id DESC LIMIT $4",
        near_sql(5)
    );
    let (lat, lon) = near.point.unzip();
    let shrink = lat.map_or(1.0, |l: f64| l.to_radians().cos());
    Ok(query!(db, c => sqlx::query_as(&sql)
        .bind(now)
        .bind(since)
        .bind(user_id)
        .bind(limit)
        .bind(lat)
        .bind(lon)
        .bind(shrink)
        .bind(reach(near.miles))
        .bind(near.area)
        .fetch_all(&mut *c)
        .await)?)
}

/// Open asks near a member made at or before `before` that nobody has answered, not theirs,
/// and not yet told to them.
pub async fn unanswered_asks_near(
    db: &mut impl Db,
    user_id: i64,
    before: Timestamp,
    now: Timestamp,
    near: Near<'_>,
    limit: i64,
) -> Result<Vec<PostRow>> {
    let sql = format!(
        "{POST_SELECT} WHERE p.kind = 'ask' AND p.state = 'open' AND p.expires_at > $1 \
         AND p.created_at <= $2 AND p.author_id <> $3 \
         AND NOT EXISTS (SELECT 1 FROM help_matches m WHERE m.post_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM help_waiting_notices w WHERE w.post_id = p.id AND w.user_id = $3) \
         AND {} ORDER BY p.id LIMIT $4",
        near_sql(5)
    );
    let (lat, lon) = near.point.unzip();
    let shrink = lat.map_or(1.0, |l: f64| l.to_radians().cos());
    Ok(query!(db, c => sqlx::query_as(&sql)
        .bind(now)
        .bind(before)
        .bind(user_id)
        .bind(limit)
        .bind(lat)
        .bind(lon)
        .bind(shrink)
        .bind(reach(near.miles))
        .bind(near.area)
        .fetch_all(&mut *c)
        .await)?)
}

/// Note that a member was told about a waiting ask (false when they already were).
pub async fn note_waiting_told(
    db: &mut impl Db,
    post_id: i64,
    user_id: i64,
    now: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "INSERT INTO help_waiting_notices (post_id, user_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(post_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}
