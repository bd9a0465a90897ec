//! Hub-wide settings that hub admins change while the hub runs (the config file gives the
//! starting values).

use crate::{Db, Result};

pub async fn setting(db: &mut impl Db, key: &str) -> Result<Option<String>> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT value FROM hub_settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *c)
        .await)?,
    )
}

pub async fn set_setting(db: &mut impl Db, key: &str, value: &str) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO hub_settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}
