//! The audit log: append-only (the database refuses updates and deletes).

use crate::{Db, Result};
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

/// Write many entries with as few statements as possible (40 rows each).
pub async fn record_many(db: &mut impl Db, events: &[&AuditEvent]) -> Result<()> {
    for chunk in events.chunks(40) {
        let mut sql = String::from(
            "INSERT INTO audit_log (at, actor_id, subject_id, action, detail, ip) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 6;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
        }
        query!(db, c => {
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(e.at)
                    .bind(e.actor)
                    .bind(e.subject)
                    .bind(e.action.as_str())
                    .bind(e.detail.as_str())
                    .bind(e.ip.as_deref());
            }
            q.execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}
