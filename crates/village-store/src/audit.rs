//! The audit log: append-only (the database refuses updates and deletes).

use crate::{Db, Result, StoreError};
use village_domain::audit::{AuditAction, AuditEvent};

pub async fn record(db: &mut impl Db, event: &AuditEvent) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO audit_log (at, actor_id, subject_id, action, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event.at)
    .bind(event.actor)
    .bind(event.subject)
    .bind(event.action.as_str())
    .bind(&event.detail)
    .bind(event.ip.as_deref())
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// One entry with the names of the people involved, as they are now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub subject_id: Option<i64>,
    pub subject_name: Option<String>,
    pub action: String,
    pub detail: String,
    pub ip: Option<String>,
}

impl AuditRow {
    pub fn action(&self) -> Option<AuditAction> {
        AuditAction::parse(&self.action)
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    /// Only entries at or after this time.
    pub since: Option<i64>,
    /// Only entries before this time.
    pub until: Option<i64>,
    /// Only entries with an id below this (for paging back through the log).
    pub before_id: Option<i64>,
    pub limit: i64,
    /// Only entries where someone other than the subject acted (or nobody signed in did).
    pub others_only: bool,
}

/// Entries matching the filter, newest first.
pub async fn list(db: &mut impl Db, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
    let sql = "SELECT a.id, a.at, a.actor_id, actor.display_name AS actor_name, a.subject_id, \
               subject.display_name AS subject_name, a.action, a.detail, a.ip \
               FROM audit_log a \
               LEFT JOIN users actor ON actor.id = a.actor_id \
               LEFT JOIN users subject ON subject.id = a.subject_id \
               WHERE ($1 IS NULL OR a.action = $1) AND ($2 IS NULL OR a.actor_id = $2) \
               AND ($3 IS NULL OR a.subject_id = $3) AND ($4 IS NULL OR a.at >= $4) \
               AND ($5 IS NULL OR a.at < $5) AND ($6 IS NULL OR a.id < $6) \
               AND ($8 = FALSE OR a.actor_id IS NULL OR a.actor_id <> a.subject_id) \
               ORDER BY a.id DESC LIMIT $7";
    Ok(query!(db, c => sqlx::query_as(sql)
        .bind(filter.action.map(AuditAction::as_str))
        .bind(filter.actor)
        .bind(filter.subject)
        .bind(filter.since)
        .bind(filter.until)
        .bind(filter.before_id)
        .bind(filter.limit)
        .bind(filter.others_only)
        .fetch_all(&mut *c)
        .await)?)
}

/// Write many entries in one statement, in order: they go to the database as one JSON array,
/// so it is one prepared statement and one round trip however many there are (and, outside a
/// transaction, they are committed together or not at all).
pub async fn record_many(db: &mut impl Db, events: &[&AuditEvent]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.at,
                e.actor,
                e.subject,
                e.action.as_str(),
                e.detail.as_str(),
                e.ip.as_deref(),
            )
        })
        .collect();
    let json = serde_json::to_string(&rows)
        .map_err(|e| StoreError::Invalid(format!("audit entries could not be written: {e}")))?;
    match crate::db::Db::exec(db.as_db()) {
        crate::db::Exec::Sqlite(c) => {
            sqlx::query(
                "INSERT INTO audit_log (at, actor_id, subject_id, action, detail, ip) \
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), \
                 json_extract(value, '$[2]'), json_extract(value, '$[3]'), \
                 json_extract(value, '$[4]'), json_extract(value, '$[5]') \
                 FROM json_each($1) ORDER BY key",
            )
            .bind(&json)
            .execute(&mut *c)
            .await?;
        }
        crate::db::Exec::Postgres(c) => {
            sqlx::query(
                "INSERT INTO audit_log (at, actor_id, subject_id, action, detail, ip) \
                 SELECT (e->>0)::BIGINT, (e->>1)::BIGINT, (e->>2)::BIGINT, e->>3, e->>4, e->>5 \
                 FROM json_array_elements($1::json) WITH ORDINALITY AS t(e, n) ORDER BY n",
            )
            .bind(&json)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}
