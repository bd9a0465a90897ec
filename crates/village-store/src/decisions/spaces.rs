//! Decision spaces and who is in them.

use super::*;

// ---- Spaces ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SpaceRow {
    pub id: i64,
    pub name: String,
    pub about: String,
    pub open: bool,
    pub hide_names: bool,
    pub min_lived_share_bp: i64,
    pub min_lived_count: i64,
    pub update_every_days: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub members: i64,
    pub open_proposals: i64,
}

pub struct NewSpace<'a> {
    pub name: &'a str,
    pub about: &'a str,
    pub open: bool,
    pub hide_names: bool,
    pub min_lived_share_bp: i64,
    pub min_lived_count: i64,
    pub update_every_days: i64,
}

pub(super) const SPACE_SELECT: &str = "SELECT s.id, s.name, s.about, s.open, s.hide_names, s.min_lived_share_bp, \
    s.min_lived_count, s.update_every_days, s.created_by, s.created_at, \
    (SELECT COUNT(*) FROM space_members m WHERE m.space_id = s.id AND m.role <> 'invited') AS members, \
    (SELECT COUNT(*) FROM proposals p WHERE p.space_id = s.id AND p.closed_at IS NULL) AS open_proposals \
    FROM spaces s";

/// Make a space; its creator facilitates it.
pub async fn create_space(
    db: &mut impl Db,
    s: &NewSpace<'_>,
    creator: i64,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO spaces (name, about, open, hide_names, min_lived_share_bp, min_lived_count, update_every_days, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(s.name)
    .bind(s.about)
    .bind(s.open)
    .bind(s.hide_names)
    .bind(s.min_lived_share_bp)
    .bind(s.min_lived_count)
    .bind(s.update_every_days)
    .bind(creator)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?;
    set_member(db, id, creator, "facilitator", now).await?;
    Ok(id)
}

pub async fn space(db: &mut impl Db, id: i64) -> Result<Option<SpaceRow>> {
    let sql = format!("{SPACE_SELECT} WHERE s.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every space, by name.
pub async fn spaces(db: &mut impl Db) -> Result<Vec<SpaceRow>> {
    let sql = format!("{SPACE_SELECT} ORDER BY s.name, s.id");
    Ok(query!(db, c => sqlx::query_as(&sql).fetch_all(&mut *c).await)?)
}

/// The person's role in a space: `invited`, `member` or `facilitator`.
pub async fn membership(db: &mut impl Db, space_id: i64, user_id: i64) -> Result<Option<String>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT role FROM space_members WHERE space_id = $1 AND user_id = $2",
    )
    .bind(space_id)
    .bind(user_id)
    .fetch_optional(&mut *c)
    .await)?)
}

pub async fn set_member(
    db: &mut impl Db,
    space_id: i64,
    user_id: i64,
    role: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, since) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (space_id, user_id) DO UPDATE SET role = excluded.role, since = excluded.since",
    )
    .bind(space_id)
    .bind(user_id)
    .bind(role)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn remove_member(db: &mut impl Db, space_id: i64, user_id: i64) -> Result<bool> {
    Ok(
        query!(db, c => sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .bind(space_id)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected() > 0))?,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: village_domain::access::decisions::SpaceRole,
}

/// A space's members: facilitators first, then by name.
pub async fn members(db: &mut impl Db, space_id: i64) -> Result<Vec<MemberRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT m.user_id, u.display_name AS name, m.role FROM space_members m JOIN users u ON u.id = m.user_id \
         WHERE m.space_id = $1 ORDER BY CASE m.role WHEN 'facilitator' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, u.display_name, u.id",
    )
    .bind(space_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// How many facilitators a space has (it must always keep one).
pub async fn facilitators(db: &mut impl Db, space_id: i64) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM space_members WHERE space_id = $1 AND role = 'facilitator'",
    )
    .bind(space_id)
    .fetch_one(&mut *c)
    .await)?)
}
