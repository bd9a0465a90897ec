//! A connector's shortlists for a person, and what the person picked.

use super::*;

// ---- Shortlists --------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShortlistRow {
    pub id: i64,
    pub person_id: i64,
    pub connector_id: Option<i64>,
    pub connector_name: Option<String>,
    pub title: String,
    pub created_at: i64,
    pub shared_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShortlistItemRow {
    pub shortlist_id: i64,
    pub service_id: String,
    pub offer_name: String,
    pub note: String,
    pub added_at: i64,
    pub picked_at: Option<i64>,
}

pub(super) const SHORTLIST_SELECT: &str = "SELECT s.id, s.person_id, s.connector_id, u.display_name AS connector_name, \
    s.title, s.created_at, s.shared_at FROM shortlists s LEFT JOIN users u ON u.id = s.connector_id";

pub async fn create_shortlist(
    db: &mut impl Db,
    person_id: i64,
    connector_id: i64,
    title: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO shortlists (person_id, connector_id, title, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(person_id)
    .bind(connector_id)
    .bind(title)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn shortlist(db: &mut impl Db, id: i64) -> Result<Option<ShortlistRow>> {
    let sql = format!("{SHORTLIST_SELECT} WHERE s.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// A person's shortlists: those the connector `by` made for them (shared or not), or, with
/// `None`, only those shared with the person.
pub async fn shortlists_of(
    db: &mut impl Db,
    person_id: i64,
    by: Option<i64>,
) -> Result<Vec<ShortlistRow>> {
    let sql = match by {
        Some(_) => format!("{SHORTLIST_SELECT} WHERE s.person_id = $1 AND s.connector_id = $2 ORDER BY s.id DESC"),
        None => format!("{SHORTLIST_SELECT} WHERE s.person_id = $1 AND s.shared_at IS NOT NULL ORDER BY s.id DESC"),
    };
    Ok(query!(db, c => {
        let q = sqlx::query_as(&sql).bind(person_id);
        match by {
            Some(b) => q.bind(b).fetch_all(&mut *c).await,
            None => q.fetch_all(&mut *c).await,
        }
    })?)
}

pub async fn shortlist_items(db: &mut impl Db, shortlist_id: i64) -> Result<Vec<ShortlistItemRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT shortlist_id, service_id, offer_name, note, added_at, picked_at FROM shortlist_items \
         WHERE shortlist_id = $1 ORDER BY added_at, service_id",
    )
    .bind(shortlist_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn add_shortlist_item(
    db: &mut impl Db,
    shortlist_id: i64,
    service_id: &str,
    offer_name: &str,
    note: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO shortlist_items (shortlist_id, service_id, offer_name, note, added_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (shortlist_id, service_id) DO UPDATE SET note = excluded.note",
    )
    .bind(shortlist_id)
    .bind(service_id)
    .bind(offer_name)
    .bind(note)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn share_shortlist(db: &mut impl Db, id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE shortlists SET shared_at = COALESCE(shared_at, $1) WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn pick_shortlist_item(
    db: &mut impl Db,
    shortlist_id: i64,
    service_id: &str,
    now: Timestamp,
) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE shortlist_items SET picked_at = COALESCE(picked_at, $1) WHERE shortlist_id = $2 AND service_id = $3",
    )
    .bind(now)
    .bind(shortlist_id)
    .bind(service_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
