//! Taxonomies and their terms, as ORUK publishes them.

use super::*;

// ---- Taxonomies -------------------------------------------------------------------------

pub async fn upsert_taxonomy(db: &mut impl Db, id: &str, name: &str, doc: &str) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO dir_taxonomies (id, name, doc) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, doc = excluded.doc",
    )
    .bind(id)
    .bind(name)
    .bind(doc)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn upsert_taxonomy_term(
    db: &mut impl Db,
    id: &str,
    taxonomy_id: Option<&str>,
    parent_id: Option<&str>,
    name: &str,
    doc: &str,
) -> Result<()> {
    // A new term, or one moving to another taxonomy, changes what searching by taxonomy finds.
    let before: Option<Option<String>> = query!(db, c => sqlx::query_scalar("SELECT taxonomy_id FROM dir_taxonomy_terms WHERE id = $1").bind(id).fetch_optional(&mut *c).await)?;
    if before.is_none_or(|b| b.as_deref() != taxonomy_id) {
        bump_generation(db).await?;
    }
    query!(db, c => sqlx::query(
        "INSERT INTO dir_taxonomy_terms (id, taxonomy_id, parent_id, name, doc) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET taxonomy_id = excluded.taxonomy_id, parent_id = excluded.parent_id, \
         name = excluded.name, doc = excluded.doc",
    )
    .bind(id)
    .bind(taxonomy_id)
    .bind(parent_id)
    .bind(name)
    .bind(doc)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn taxonomy_doc(db: &mut impl Db, id: &str) -> Result<Option<String>> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT doc FROM dir_taxonomies WHERE id = $1").bind(id).fetch_optional(&mut *c).await)?,
    )
}

pub async fn taxonomy_term_doc(db: &mut impl Db, id: &str) -> Result<Option<String>> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT doc FROM dir_taxonomy_terms WHERE id = $1").bind(id).fetch_optional(&mut *c).await)?,
    )
}

/// A page of taxonomies, by name, with the total.
pub async fn list_taxonomies(
    db: &mut impl Db,
    limit: i64,
    offset: i64,
) -> Result<(Vec<String>, i64)> {
    let docs: Vec<String> = query!(db, c => sqlx::query_scalar("SELECT doc FROM dir_taxonomies ORDER BY name, id LIMIT $1 OFFSET $2")
        .bind(limit).bind(offset).fetch_all(&mut *c).await)?;
    let total: i64 = query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM dir_taxonomies").fetch_one(&mut *c).await)?;
    Ok((docs, total))
}

/// A page of taxonomy terms (of one taxonomy, if given), by name, with the total.
pub async fn list_taxonomy_terms(
    db: &mut impl Db,
    taxonomy_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<String>, i64)> {
    let docs: Vec<String> = query!(db, c => sqlx::query_scalar(
        "SELECT doc FROM dir_taxonomy_terms WHERE ($1 IS NULL OR taxonomy_id = $1) ORDER BY name, id LIMIT $2 OFFSET $3")
        .bind(taxonomy_id).bind(limit).bind(offset).fetch_all(&mut *c).await)?;
    let total: i64 = query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM dir_taxonomy_terms WHERE ($1 IS NULL OR taxonomy_id = $1)")
        .bind(taxonomy_id).fetch_one(&mut *c).await)?;
    Ok((docs, total))
}
