//! Reading many records at once: SQLite packs them into one text (see `UNIT` and `RECORD`), PostgreSQL reads them as rows.

use super::*;

/// The records for a page of (row id, service id), in the same order.
pub(super) async fn with_docs(
    db: &mut impl Db,
    ids: Vec<(String, String)>,
) -> Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut wanted: Vec<&str> = ids.iter().map(|(_, s)| s.as_str()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut docs = match db.exec() {
        Exec::Sqlite(c) => packed_docs(c, &wanted).await?,
        Exec::Postgres(_) => None,
    };
    if docs.is_none() {
        let list = (1..=wanted.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT id, doc FROM dir_service_docs WHERE id IN ({list})");
        let found: Vec<(String, String)> = query!(db, c => {
            let mut q = sqlx::query_as(&sql);
            for w in &wanted {
                q = q.bind(*w);
            }
            q.fetch_all(&mut *c).await
        })?;
        docs = Some(found.into_iter().collect());
    }
    let mut docs = docs.unwrap_or_default();
    // A record asked for once in the page (as most are) is moved out, not copied.
    let last = last_uses(&ids);
    Ok(ids
        .into_iter()
        .zip(last)
        .filter_map(|((row, service), last)| {
            let doc = if last {
                docs.remove(&service)?
            } else {
                docs.get(&service)?.clone()
            };
            Some((row, doc))
        })
        .collect())
}

/// For each of a page's rows, whether it is the last to ask for its service's record.
pub(super) fn last_uses(ids: &[(String, String)]) -> Vec<bool> {
    let last: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(at, (_, service))| (service.as_str(), at))
        .collect();
    ids.iter()
        .enumerate()
        .map(|(at, (_, service))| last.get(service.as_str()) == Some(&at))
        .collect()
}

/// The records of these services on SQLite as one text, split back here: SQLite hands a
/// query's answer over a row at a time between its thread and the request's (a page of 50
/// records was 50 hand-overs). A record is JSON, which writes the control characters used
/// as separators escaped, so they cannot be in one; `None` (read them a row at a time) if
/// the text does not split back into records of the services asked for.
pub(super) async fn packed_docs(
    c: &mut sqlx::SqliteConnection,
    wanted: &[&str],
) -> Result<Option<std::collections::HashMap<String, String>>> {
    let list = serde_json::to_string(wanted).unwrap_or_else(|_| "[]".into());
    let packed: Option<String> = sqlx::query_scalar(&format!(
        "SELECT group_concat(id || '{UNIT}' || doc, '{RECORD}') FROM dir_service_docs \
         WHERE id IN (SELECT value FROM json_each($1))"
    ))
    .bind(list)
    .fetch_one(&mut *c)
    .await?;
    let Some(rows) = pairs(packed.as_deref()) else {
        return Ok(None);
    };
    let mut docs = std::collections::HashMap::with_capacity(wanted.len());
    for (id, doc) in rows {
        if wanted.binary_search(&id).is_err() {
            return Ok(None);
        }
        docs.insert(id.to_string(), doc.to_string());
    }
    Ok(Some(docs))
}
