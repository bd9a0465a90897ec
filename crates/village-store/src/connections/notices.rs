//! Notices in the app.

use super::*;

// ---- Notices in the app ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub body: String,
    pub link: String,
    pub at: i64,
    pub read_at: Option<i64>,
}

pub async fn notify(
    db: &mut impl Db,
    user_id: i64,
    body: &str,
    link: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query("INSERT INTO notifications (user_id, body, link, at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(body)
        .bind(link)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn notifications(
    db: &mut impl Db,
    user_id: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, body, link, at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn unread_notifications(db: &mut impl Db, user_id: i64) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn read_notifications(db: &mut impl Db, user_id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
