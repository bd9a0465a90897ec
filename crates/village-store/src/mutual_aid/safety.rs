//! Safety marks: what a steward checked about a helper, one row per person and mark.

use super::*;
use village_domain::mutual_aid::safety::{Held, Mark};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MarkRow {
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub mark: Mark,
    pub seen_on: String,
    pub expires_on: Option<String>,
    pub seen_by: Option<i64>,
    pub seen_by_name: Option<String>,
    pub recorded_at: i64,
}

impl MarkRow {
    /// As the rules read it (a day that will not read never holds).
    pub fn held(&self) -> Option<Held> {
        Some(Held {
            mark: self.mark,
            seen_on: self.seen_on.parse().ok()?,
            expires_on: match &self.expires_on {
                Some(d) => Some(d.parse().ok()?),
                None => None,
            },
        })
    }
}

const MARK_SELECT: &str = "SELECT s.user_id, s.mark, s.seen_on, s.expires_on, s.seen_by, \
    u.display_name AS seen_by_name, s.recorded_at FROM safety_marks s LEFT JOIN users u ON u.id = s.seen_by";

/// Everything recorded about one person, in the order of the marks.
pub async fn marks_of(db: &mut impl Db, user_id: i64) -> Result<Vec<MarkRow>> {
    let sql = format!(
        "{MARK_SELECT} WHERE s.user_id = $1 ORDER BY CASE s.mark WHEN 'met_in_person' THEN 0 \
         WHEN 'references_taken' THEN 1 WHEN 'dbs_basic_seen' THEN 2 ELSE 3 END"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).fetch_all(&mut *c).await)?)
}

/// Record a mark, or bring the one already recorded up to date.
pub async fn set_mark(
    db: &mut impl Db,
    user_id: i64,
    held: &Held,
    seen_by: i64,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO safety_marks (user_id, mark, seen_on, expires_on, seen_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, mark) DO UPDATE SET \
         seen_on = excluded.seen_on, expires_on = excluded.expires_on, seen_by = excluded.seen_by, \
         recorded_at = excluded.recorded_at",
    )
    .bind(user_id)
    .bind(held.mark.code())
    .bind(held.seen_on.to_string())
    .bind(held.expires_on.map(|d| d.to_string()))
    .bind(seen_by)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Take a mark away; whether there was one.
pub async fn remove_mark(db: &mut impl Db, user_id: i64, mark: Mark) -> Result<bool> {
    let n = query!(db, c => sqlx::query("DELETE FROM safety_marks WHERE user_id = $1 AND mark = $2")
        .bind(user_id)
        .bind(mark.code())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Someone with marks recorded, for the stewards' list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MarkedPerson {
    pub user_id: i64,
    pub display_name: String,
    pub marks: i64,
    pub last_recorded_at: i64,
}

/// Everyone with marks recorded, most recently recorded first.
pub async fn people_with_marks(db: &mut impl Db, limit: i64) -> Result<Vec<MarkedPerson>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT s.user_id, u.display_name, COUNT(*) AS marks, MAX(s.recorded_at) AS last_recorded_at \
         FROM safety_marks s JOIN users u ON u.id = s.user_id GROUP BY s.user_id, u.display_name \
         ORDER BY MAX(s.recorded_at) DESC, s.user_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}
