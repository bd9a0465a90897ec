//! Members' suggestions, stewards' decisions and every version of an offer.

use super::*;

// ---- Suggestions and versions -----------------------------------------------------------

/// A member's suggested offer or change, with its review.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SuggestionRow {
    pub id: i64,
    pub service_id: String,
    pub kind: String,
    pub doc: String,
    pub why: String,
    pub suggested_by: Option<i64>,
    pub suggested_by_name: Option<String>,
    pub status: String,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

pub(super) const SUGGESTION_SELECT: &str = "SELECT g.id, g.service_id, g.kind, g.doc, g.why, g.suggested_by, \
    u.display_name AS suggested_by_name, g.status, g.decided_by, g.decision_reason, g.created_at, g.decided_at \
    FROM dir_suggestions g LEFT JOIN users u ON u.id = g.suggested_by";

pub async fn create_suggestion(
    db: &mut impl Db,
    service_id: &str,
    kind: &str,
    doc: &str,
    why: &str,
    by: i64,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO dir_suggestions (service_id, kind, doc, why, suggested_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(service_id)
    .bind(kind)
    .bind(doc)
    .bind(why)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn suggestion(db: &mut impl Db, id: i64) -> Result<Option<SuggestionRow>> {
    let sql = format!("{SUGGESTION_SELECT} WHERE g.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Suggestions waiting for a steward, oldest first.
pub async fn pending_suggestions(db: &mut impl Db, limit: i64) -> Result<Vec<SuggestionRow>> {
    let sql = format!("{SUGGESTION_SELECT} WHERE g.status = 'pending' ORDER BY g.id LIMIT $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(limit).fetch_all(&mut *c).await)?)
}

/// A member's own suggestions, newest first.
pub async fn suggestions_by(
    db: &mut impl Db,
    user_id: i64,
    limit: i64,
) -> Result<Vec<SuggestionRow>> {
    let sql = format!("{SUGGESTION_SELECT} WHERE g.suggested_by = $1 ORDER BY g.id DESC LIMIT $2");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).bind(limit).fetch_all(&mut *c).await)?)
}

/// Record a steward's decision. Returns false if someone else decided first.
pub async fn decide_suggestion(
    db: &mut impl Db,
    id: i64,
    approved: bool,
    by: i64,
    reason: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = query!(db, c => sqlx::query(
        "UPDATE dir_suggestions SET status = $1, decided_by = $2, decision_reason = $3, decided_at = $4 \
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(if approved { "approved" } else { "rejected" })
    .bind(by)
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// One saved version of an offer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub service_id: String,
    pub doc: String,
    pub changed_by: Option<i64>,
    pub changed_by_name: Option<String>,
    pub change: String,
    pub why: String,
    pub changed_at: i64,
}

pub async fn add_version(
    db: &mut impl Db,
    service_id: &str,
    doc: &str,
    by: Option<i64>,
    change: &str,
    why: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO dir_service_versions (service_id, doc, changed_by, change, why, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(service_id)
    .bind(doc)
    .bind(by)
    .bind(change)
    .bind(why)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// An offer's versions, newest first.
pub async fn versions(db: &mut impl Db, service_id: &str) -> Result<Vec<VersionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT v.id, v.service_id, v.doc, v.changed_by, u.display_name AS changed_by_name, v.change, v.why, v.changed_at \
         FROM dir_service_versions v LEFT JOIN users u ON u.id = v.changed_by \
         WHERE v.service_id = $1 ORDER BY v.id DESC",
    )
    .bind(service_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Public offers last checked before `before` (an RFC 3339 time) or never, oldest first.
pub async fn stale_services(
    db: &mut impl Db,
    before: &str,
    limit: i64,
) -> Result<Vec<(String, String, Option<String>)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, name, last_modified FROM dir_services \
         WHERE public = TRUE AND (last_modified IS NULL OR last_modified < $1) \
         ORDER BY last_modified IS NOT NULL, last_modified, name, id LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

/// The public offers a group runs, by name.
pub async fn services_of_organization(
    db: &mut impl Db,
    organization_id: &str,
) -> Result<Vec<(String, String)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT s.id, d.doc FROM dir_services s JOIN dir_service_docs d ON d.id = s.id \
         WHERE s.organization_id = $1 AND s.public = TRUE ORDER BY s.name, s.id",
    )
    .bind(organization_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Forget what a person wrote in the directory: suggestions not taken up (still waiting, or
/// turned down) go; a suggestion that was approved stays as part of the directory's history
/// (the offer is public), without the reason they gave or their name, and so do their own
/// edits. (Claims to organise a
/// group go with their account.)
pub async fn forget_suggestions_of(db: &mut impl Db, user_id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM dir_suggestions WHERE suggested_by = $1 AND status <> 'approved'",
        // The steward who approved a suggestion is the version's author; the reason in it is
        // the member's.
        "UPDATE dir_service_versions SET why = '' WHERE (service_id, why) IN \
         (SELECT service_id, why FROM dir_suggestions WHERE suggested_by = $1 AND why <> '')",
        "UPDATE dir_suggestions SET why = '', suggested_by = NULL WHERE suggested_by = $1",
        // Their own edits (as a group's organiser or a steward) named them.
        "UPDATE dir_service_versions SET why = '', changed_by = NULL, \
         change = CASE WHEN change LIKE 'Edited by %' THEN 'Edited by someone who has since left' ELSE change END \
         WHERE changed_by = $1",
    ] {
        query!(db, c => sqlx::query(sql).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// How the directory stands as published data: public offers, the groups that run them,
/// public offers last checked before `stale_before` (RFC 3339) or never, and suggestions and
/// organisers' requests waiting for a steward.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishedCounts {
    pub offers: i64,
    pub groups: i64,
    pub unchecked: i64,
    pub waiting: i64,
    /// Requests to be a group's organiser, waiting for a steward.
    pub claims: i64,
}

pub async fn published_counts(db: &mut impl Db, stale_before: &str) -> Result<PublishedCounts> {
    let (offers, groups, unchecked): (i64, i64, i64) = query!(db, c => sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT organization_id), \
         COALESCE(SUM(CASE WHEN last_modified IS NULL OR last_modified < $1 THEN 1 ELSE 0 END), 0) \
         FROM dir_services WHERE public = TRUE",
    )
    .bind(stale_before)
    .fetch_one(&mut *c)
    .await)?;
    let waiting: i64 = query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM dir_suggestions WHERE status = 'pending'",
    )
    .fetch_one(&mut *c)
    .await)?;
    let claims: i64 = query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM dir_claims WHERE status = 'pending'",
    )
    .fetch_one(&mut *c)
    .await)?;
    Ok(PublishedCounts {
        offers,
        groups,
        unchecked,
        waiting,
        claims,
    })
}
