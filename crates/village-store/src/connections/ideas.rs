//! A person's suggestions kept until the directory or their profile changes.

use super::*;

// ---- Suggestions kept per person ------------------------------------------------------

/// The directory's generation, and what is kept for this person and scope (key and ideas).
pub async fn cached_ideas(
    db: &mut impl Db,
    person_id: i64,
    scope: &str,
) -> Result<(i64, Option<(String, String)>)> {
    let row: (i64, Option<String>, Option<String>) = query!(db, c => sqlx::query_as(
        "SELECT g.value, s.cache_key, s.ideas FROM dir_generation g \
         LEFT JOIN suggestion_cache s ON s.person_id = $1 AND s.scope = $2 WHERE g.id = 1",
    )
    .bind(person_id)
    .bind(scope)
    .fetch_one(&mut *c)
    .await)?;
    Ok((row.0, row.1.zip(row.2)))
}

pub async fn keep_ideas(
    db: &mut impl Db,
    person_id: i64,
    scope: &str,
    key: &str,
    ideas: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO suggestion_cache (person_id, scope, cache_key, ideas, computed_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (person_id, scope) DO UPDATE SET cache_key = excluded.cache_key, ideas = excluded.ideas, \
         computed_at = excluded.computed_at",
    )
    .bind(person_id)
    .bind(scope)
    .bind(key)
    .bind(ideas)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}
