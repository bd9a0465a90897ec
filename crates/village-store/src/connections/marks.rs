//! Saved and dismissed suggestions, and a person's preferences about them.

use super::*;

// ---- Saved and dismissed suggestions, preferences --------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MarkRow {
    pub service_id: String,
    /// The offer's name, while it is in the directory.
    pub offer_name: Option<String>,
    pub mark: String,
    pub reason: String,
    pub at: i64,
}

pub async fn marks(db: &mut impl Db, person_id: i64) -> Result<Vec<MarkRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT m.service_id, s.name AS offer_name, m.mark, m.reason, m.at FROM suggestion_marks m \
         LEFT JOIN dir_services s ON s.id = m.service_id WHERE m.person_id = $1 ORDER BY m.at DESC, m.service_id",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Save or dismiss an offer (replacing any earlier mark).
pub async fn set_mark(
    db: &mut impl Db,
    person_id: i64,
    service_id: &str,
    mark: &str,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO suggestion_marks (person_id, service_id, mark, reason, at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (person_id, service_id) DO UPDATE SET mark = excluded.mark, reason = excluded.reason, at = excluded.at",
    )
    .bind(person_id)
    .bind(service_id)
    .bind(mark)
    .bind(reason)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn clear_mark(db: &mut impl Db, person_id: i64, service_id: &str) -> Result<bool> {
    let n = query!(db, c => sqlx::query("DELETE FROM suggestion_marks WHERE person_id = $1 AND service_id = $2")
        .bind(person_id)
        .bind(service_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The Village terms of the offers a person dismissed (each offer's term ids).
pub async fn dismissed_terms(db: &mut impl Db, person_id: i64) -> Result<Vec<String>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT t.term_id FROM suggestion_marks m JOIN dir_service_terms t ON t.service_id = m.service_id \
         WHERE m.person_id = $1 AND m.mark = 'dismissed' ORDER BY m.service_id, t.term_id",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn preferences(db: &mut impl Db, user_id: i64) -> Result<Preferences> {
    let row: Option<(bool, bool)> = query!(db, c => sqlx::query_as(
        "SELECT lived_experience, free FROM connection_preferences WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(row
        .map(|(lived_experience, free)| Preferences {
            lived_experience,
            free,
        })
        .unwrap_or_default())
}

pub async fn set_preferences(db: &mut impl Db, user_id: i64, p: Preferences) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO connection_preferences (user_id, lived_experience, free) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET lived_experience = excluded.lived_experience, free = excluded.free",
    )
    .bind(user_id)
    .bind(p.lived_experience)
    .bind(p.free)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
