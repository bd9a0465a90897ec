//! Requests to be a group's organiser, and who organises which group.

use super::*;

// ---- Organisers -------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimRow {
    pub id: i64,
    pub organization_id: String,
    pub user_id: i64,
    pub user_name: Option<String>,
    pub message: String,
    pub status: String,
    pub decision_reason: Option<String>,
    pub created_at: i64,
}

pub(super) const CLAIM_SELECT: &str = "SELECT k.id, k.organization_id, k.user_id, u.display_name AS user_name, k.message, \
    k.status, k.decision_reason, k.created_at FROM dir_claims k LEFT JOIN users u ON u.id = k.user_id";

pub async fn create_claim(
    db: &mut impl Db,
    organization_id: &str,
    user_id: i64,
    message: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO dir_claims (organization_id, user_id, message, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(message)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn claim(db: &mut impl Db, id: i64) -> Result<Option<ClaimRow>> {
    let sql = format!("{CLAIM_SELECT} WHERE k.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn pending_claims(db: &mut impl Db, limit: i64) -> Result<Vec<ClaimRow>> {
    let sql = format!("{CLAIM_SELECT} WHERE k.status = 'pending' ORDER BY k.id LIMIT $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(limit).fetch_all(&mut *c).await)?)
}

pub async fn claims_by(db: &mut impl Db, user_id: i64) -> Result<Vec<ClaimRow>> {
    let sql = format!("{CLAIM_SELECT} WHERE k.user_id = $1 ORDER BY k.id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).fetch_all(&mut *c).await)?)
}

/// Decide a claim; approving makes the person an organiser. False if already decided.
pub async fn decide_claim(
    db: &mut impl Db,
    id: i64,
    approved: bool,
    by: i64,
    reason: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = query!(db, c => sqlx::query(
        "UPDATE dir_claims SET status = $1, decided_by = $2, decision_reason = $3, decided_at = $4 \
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
    if done != 1 {
        return Ok(false);
    }
    if approved {
        query!(db, c => sqlx::query(
            "INSERT INTO dir_organisers (organization_id, user_id, granted_by, granted_at) \
             SELECT organization_id, user_id, $1, $2 FROM dir_claims WHERE id = $3 ON CONFLICT DO NOTHING",
        )
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(true)
}

pub async fn is_organiser(db: &mut impl Db, organization_id: &str, user_id: i64) -> Result<bool> {
    let n: i64 = query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM dir_organisers WHERE organization_id = $1 AND user_id = $2",
    )
    .bind(organization_id)
    .bind(user_id)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

/// The groups a member organises, by id.
pub async fn organised_by(db: &mut impl Db, user_id: i64) -> Result<Vec<String>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT organization_id FROM dir_organisers WHERE user_id = $1 ORDER BY organization_id",
    )
    .bind(user_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// The members who organise a group's offers.
pub async fn organisers_of(db: &mut impl Db, organization_id: &str) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT user_id FROM dir_organisers WHERE organization_id = $1 ORDER BY user_id",
    )
    .bind(organization_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Make someone an organiser of a group directly (the demo, and `village` tools);
/// members normally ask through a claim.
pub async fn make_organiser(
    db: &mut impl Db,
    organization_id: &str,
    user_id: i64,
    granted_by: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO dir_organisers (organization_id, user_id, granted_by, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(granted_by)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
