//! Wellbeing check-ins.

use super::*;

// ---- Check-ins ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CheckinRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub moment: village_domain::connections::checkin::Moment,
    pub satisfied: Option<i64>,
    pub worthwhile: Option<i64>,
    pub happy: Option<i64>,
    pub anxious: Option<i64>,
    pub changed: String,
    pub at: i64,
}

pub async fn checkins(db: &mut impl Db, person_id: i64) -> Result<Vec<CheckinRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, moment, satisfied, worthwhile, happy, anxious, changed, at FROM checkins \
         WHERE person_id = $1 ORDER BY at, id",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub struct NewCheckin<'a> {
    pub person_id: i64,
    pub moment: &'a str,
    pub scores: [Option<i64>; 4],
    pub changed: &'a str,
}

/// Record a check-in; a second one for the same moment replaces the first.
pub async fn put_checkin(db: &mut impl Db, n: &NewCheckin<'_>, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO checkins (person_id, moment, satisfied, worthwhile, happy, anxious, changed, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (person_id, moment) DO UPDATE SET \
         satisfied = excluded.satisfied, worthwhile = excluded.worthwhile, happy = excluded.happy, \
         anxious = excluded.anxious, changed = excluded.changed, at = excluded.at",
    )
    .bind(n.person_id)
    .bind(n.moment)
    .bind(n.scores[0])
    .bind(n.scores[1])
    .bind(n.scores[2])
    .bind(n.scores[3])
    .bind(n.changed)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
