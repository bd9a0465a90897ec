//! Searching by words on SQLite: the first matches of the FTS5 index, ranked with names first.

use super::*;

/// A search by words alone on SQLite, ranking the first `k` matches (in the order offers were
/// listed): those with every word in their name first, then the others, each in the order they
/// were listed. FTS5's bm25 would read every match of each word to weigh it; here the word
/// index is read for the first `k` matches, and for the name matches among them, whatever
/// the word. Only as many offers as the page needs are looked up (to leave out any not
/// public), unless the count is wanted; and when it is not, a page the first name matches
/// fill (or, with few name matches, the first matches) is read without reading all `k`.
pub(super) async fn first_matches(
    db: &mut impl Db,
    q: &str,
    k: i64,
    filter: &ServiceFilter,
) -> Result<(Vec<(String, String)>, i64)> {
    let Exec::Sqlite(c) = db.exec() else {
        return Err(crate::StoreError::Invalid(
            "ranking by FTS5 needs SQLite".into(),
        ));
    };
    let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(filter.limit).unwrap_or(0);
    let needed = offset.saturating_add(limit);
    let count = filter.total_known.is_none();
    if !count {
        if let Some(public) = first_matches_for_page(c, q, k, needed).await? {
            return finish_matches(db, public, filter, offset, limit).await;
        }
    }
    let k_rows = usize::try_from(k).unwrap_or(0);
    let first = match_rowids(c, WORDS, q, Matches::first(k_rows)).await?;
    let named: std::collections::HashSet<i64> = match first.last() {
        // From the index of names alone, up to the last of the first matches.
        Some(last) => match_rowids(
            c,
            NAMES,
            q,
            Matches {
                up_to: Some(*last),
                ..Matches::default()
            },
        )
        .await?
        .into_iter()
        .collect(),
        None => std::collections::HashSet::new(),
    };
    let ranked: Vec<i64> = first
        .iter()
        .filter(|r| named.contains(r))
        .chain(first.iter().filter(|r| !named.contains(r)))
        .copied()
        .collect();
    // The public ones in rank order: all of them when counting, else enough for the page.
    let mut public: Vec<String> = Vec::new();
    let mut at = 0;
    while at < ranked.len() && (count || public.len() < needed) {
        let step = if count {
            ranked.len()
        } else {
            (needed - public.len()).max(32) * 2
        };
        let batch = &ranked[at..at.saturating_add(step).min(ranked.len())];
        at += batch.len();
        public.extend(public_in_order(c, batch).await?);
    }
    finish_matches(db, public, filter, offset, limit).await
}

/// SQLite's index of every word of an offer, and its index of names alone.
pub(super) const WORDS: &str = "dir_services_fts";
pub(super) const NAMES: &str = "dir_names_fts";

/// Which matches of a word index to read, in the order offers were listed.
#[derive(Default)]
pub(super) struct Matches {
    /// Only those listed after this rowid.
    after: Option<i64>,
    /// Only those up to this rowid.
    up_to: Option<i64>,
    /// At most this many.
    limit: Option<usize>,
}

impl Matches {
    fn first(limit: usize) -> Matches {
        Matches {
            limit: Some(limit),
            ..Matches::default()
        }
    }
}

/// The rowids of the offers an FTS5 index (`WORDS` or `NAMES`) matches to `q`, ascending: read
/// as one text joined by commas (a row each would be a hand-over each).
pub(super) async fn match_rowids(
    c: &mut sqlx::SqliteConnection,
    index: &str,
    q: &str,
    which: Matches,
) -> Result<Vec<i64>> {
    let mut sql = format!("SELECT rowid FROM {index} WHERE {index} MATCH $1");
    let mut bounds = Vec::new();
    for (bound, test) in [(which.after, ">"), (which.up_to, "<=")] {
        if let Some(rowid) = bound {
            bounds.push(rowid);
            sql.push_str(&format!(" AND rowid {test} ${}", bounds.len() + 1));
        }
    }
    sql.push_str(" ORDER BY rowid");
    if let Some(limit) = which.limit {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    let sql = format!("SELECT group_concat(rowid, ',') FROM ({sql})");
    let mut query = sqlx::query_scalar(&sql).bind(q);
    for rowid in bounds {
        query = query.bind(rowid);
    }
    let packed: Option<String> = query.fetch_one(&mut *c).await?;
    let mut rowids: Vec<i64> = packed
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter_map(|r| r.parse().ok())
        .collect();
    rowids.sort_unstable();
    Ok(rowids)
}

/// The first `needed` public offers of [`first_matches`]'s ranking (or all of them, if it
/// has fewer), read from its start: the first name matches, checked to be among the first
/// `k` matches by counting the matches up to the last of them, then (once the name matches
/// are all read) the other matches in the order they were listed, up to the `k`th. `None`
/// when that cannot tell without the whole ranking: more name matches than were read before
/// the page was filled, or a name match past the `k`th match.
pub(super) async fn first_matches_for_page(
    c: &mut sqlx::SqliteConnection,
    q: &str,
    k: i64,
    needed: usize,
) -> Result<Option<Vec<String>>> {
    let k_rows = usize::try_from(k).unwrap_or(0);
    // Room for a few offers that are not public (drafts, offers that ended) on the page.
    let step = needed.saturating_mul(2).saturating_add(32);
    if step > k_rows {
        return Ok(None);
    }
    let named = match_rowids(c, NAMES, q, Matches::first(step)).await?;
    if let Some(last) = named.last() {
        // Every name match is a match of the whole index, so the name matches read are among
        // the first k matches if there are at most k matches up to the last of them.
        let before: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM (SELECT rowid FROM dir_services_fts \
             WHERE dir_services_fts MATCH $1 AND rowid <= $2 LIMIT {})",
            k + 1
        ))
        .bind(q)
        .bind(*last)
        .fetch_one(&mut *c)
        .await?;
        if before > k {
            return Ok(None);
        }
    }
    let mut public = public_in_order(c, &named).await?;
    if public.len() >= needed {
        return Ok(Some(public));
    }
    if named.len() >= step {
        // More name matches than were read: they come before every other match.
        return Ok(None);
    }
    // Every name match is read (all among the first k); then the other first k matches.
    let named: std::collections::HashSet<i64> = named.into_iter().collect();
    let mut after = 0i64;
    let mut read = 0usize;
    while public.len() < needed && read < k_rows {
        let take = step.min(k_rows - read);
        let chunk = match_rowids(
            c,
            WORDS,
            q,
            Matches {
                after: Some(after),
                ..Matches::first(take)
            },
        )
        .await?;
        read += chunk.len();
        let others: Vec<i64> = chunk
            .iter()
            .copied()
            .filter(|r| !named.contains(r))
            .collect();
        public.extend(public_in_order(c, &others).await?);
        match chunk.last() {
            Some(last) if chunk.len() == take => after = *last,
            _ => break,
        }
    }
    Ok(Some(public))
}

/// The ids of the public offers among these rows, in the order of the rows: packed into one
/// text as [`packed_docs`] does, or read a row at a time if the text does not split back
/// (an id holding a separator).
pub(super) async fn public_in_order(
    c: &mut sqlx::SqliteConnection,
    rows: &[i64],
) -> Result<Vec<String>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(rows).unwrap_or_else(|_| "[]".into());
    let mut ids = public_ids(c, &list).await?;
    Ok(rows.iter().filter_map(|r| ids.remove(r)).collect())
}

/// The public offers among these rows (a JSON array of rowids), by rowid.
pub(super) async fn public_ids(
    c: &mut sqlx::SqliteConnection,
    rowids: &str,
) -> Result<std::collections::HashMap<i64, String>> {
    // (`+public`: the rows are found by rowid, never by reading an index of who is public.)
    let packed: Option<String> = sqlx::query_scalar(&format!(
        "SELECT group_concat(rowid || '{UNIT}' || id, '{RECORD}') FROM dir_services \
         WHERE rowid IN (SELECT value FROM json_each($1)) AND +public = TRUE"
    ))
    .bind(rowids)
    .fetch_one(&mut *c)
    .await?;
    let split: Option<std::collections::HashMap<i64, String>> =
        pairs(packed.as_deref()).and_then(|rows| {
            rows.into_iter()
                .map(|(rowid, id)| Some((rowid.parse().ok()?, id.to_string())))
                .collect()
        });
    if let Some(ids) = split {
        return Ok(ids);
    }
    let found: Vec<(i64, String)> = sqlx::query_as(
        "SELECT rowid, id FROM dir_services WHERE rowid IN (SELECT value FROM json_each($1)) \
         AND +public = TRUE",
    )
    .bind(rowids)
    .fetch_all(&mut *c)
    .await?;
    Ok(found.into_iter().collect())
}

/// The page and count of [`first_matches`].
pub(super) async fn finish_matches(
    db: &mut impl Db,
    public: Vec<String>,
    filter: &ServiceFilter,
    offset: usize,
    limit: usize,
) -> Result<(Vec<(String, String)>, i64)> {
    let total = match (filter.total_known, filter.count_up_to) {
        (Some(known), _) => known,
        (None, Some(cap)) => i64::try_from(public.len()).unwrap_or(i64::MAX).min(cap + 1),
        (None, None) => i64::try_from(public.len()).unwrap_or(i64::MAX),
    };
    let page = public
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|id| (id.clone(), id))
        .collect();
    Ok((with_docs(db, page).await?, total))
}

/// The records of these services (any that exist), in the order asked for.
pub async fn service_docs(db: &mut impl Db, ids: &[&str]) -> Result<Vec<(String, String)>> {
    let pairs = ids.iter().map(|i| (i.to_string(), i.to_string())).collect();
    with_docs(db, pairs).await
}

/// The stored records of any of these services, by id, for many ids at once (an import's
/// batch): the ids go as one value, not one parameter each.
pub async fn stored_docs(
    db: &mut impl Db,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, String>> {
    let found: Vec<(String, String)> = match db.exec() {
        Exec::Sqlite(c) => {
            let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
            sqlx::query_as(
                "SELECT id, doc FROM dir_service_docs WHERE id IN (SELECT value FROM json_each($1))",
            )
            .bind(list)
            .fetch_all(&mut *c)
            .await?
        }
        Exec::Postgres(c) => {
            let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
            sqlx::query_as("SELECT id, doc FROM dir_service_docs WHERE id = ANY($1)")
                .bind(list)
                .fetch_all(&mut *c)
                .await?
        }
    };
    Ok(found.into_iter().collect())
}
