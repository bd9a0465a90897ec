//! Writing offers' records and their index: one at a time, or many at once for an import.

use super::*;

pub async fn upsert_service(
    db: &mut impl Db,
    index: &ServiceIndex,
    doc: &str,
    public: bool,
    now: Timestamp,
) -> Result<()> {
    bump_generation(db).await?;
    let sql = "INSERT INTO dir_services (id, organization_id, organization_name, name, description, status, \
               minimum_age, maximum_age, free, last_modified, public, updated_at, h0, h1, h2, changed) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
               (SELECT value FROM dir_generation WHERE id = 1)) \
               ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
               organization_name = excluded.organization_name, name = excluded.name, \
               description = excluded.description, status = excluded.status, \
               minimum_age = excluded.minimum_age, maximum_age = excluded.maximum_age, \
               free = excluded.free, last_modified = excluded.last_modified, public = excluded.public, \
               updated_at = excluded.updated_at, h0 = excluded.h0, h1 = excluded.h1, h2 = excluded.h2, \
               changed = excluded.changed";
    let hours = week_hours(&index.schedules);
    query!(db, c => sqlx::query(sql)
        .bind(&index.id)
        .bind(index.organization_id.as_deref())
        .bind(index.organization_name.as_deref())
        .bind(&index.name)
        .bind(&index.description)
        .bind(&index.status)
        .bind(index.minimum_age)
        .bind(index.maximum_age)
        .bind(index.free)
        .bind(index.last_modified.as_deref())
        .bind(public)
        .bind(now)
        .bind(hours.map(|h| h[0]))
        .bind(hours.map(|h| h[1]))
        .bind(hours.map(|h| h[2]))
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    query!(db, c => sqlx::query(
        "INSERT INTO dir_service_docs (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
    )
    .bind(&index.id)
    .bind(doc)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    for table in [
        "dir_service_terms",
        "dir_service_times",
        "dir_service_places",
        "dir_service_match",
        "dir_service_areas",
    ] {
        let sql = format!("DELETE FROM {table} WHERE service_id = $1");
        query!(db, c => sqlx::query(&sql).bind(&index.id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    for term in &index.taxonomy_term_ids {
        query!(db, c => sqlx::query("INSERT INTO dir_service_terms (service_id, term_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&index.id)
            .bind(term)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    for schedule in &index.schedules {
        let opens = i64::from(schedule.opens.map_or(0, |t| t.minutes()));
        let closes = i64::from(schedule.closes.map_or(24 * 60, |t| t.minutes()));
        for day in schedule.days() {
            query!(db, c => sqlx::query("INSERT INTO dir_service_times (service_id, day, opens, closes) VALUES ($1, $2, $3, $4)")
                .bind(&index.id)
                .bind(day.code())
                .bind(opens)
                .bind(closes)
                .execute(&mut *c)
                .await
                .map(|r| r.rows_affected()))?;
        }
    }
    for sal in &index.service_at_location_ids {
        query!(db, c => sqlx::query(
            "INSERT INTO dir_service_at_locations (id, service_id) VALUES ($1, $2) \
             ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id",
        )
        .bind(sal)
        .bind(&index.id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    let facts = match_rows(index, public);
    let rows: Vec<Vec<Bind<'_>>> = facts.iter().map(|f| f.binds(&index.id)).collect();
    insert_rows(
        db,
        MATCH_INSERT,
        "ON CONFLICT DO NOTHING",
        MATCH_WIDTH,
        &rows,
    )
    .await?;
    let areas = area_rows(index);
    let binds: Vec<Vec<Bind<'_>>> = areas.iter().map(|a| a.binds(&index.id)).collect();
    insert_rows(db, AREA_INSERT, "", AREA_WIDTH, &binds).await?;
    for place in &index.places {
        query!(db, c => sqlx::query("INSERT INTO dir_service_places (service_id, lat, lon, postcode) VALUES ($1, $2, $3, $4)")
            .bind(&index.id)
            .bind(place.point.lat())
            .bind(place.point.lon())
            .bind(place.postcode.as_deref())
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// One value to bind in a statement built at run time.
pub(super) enum Bind<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    OptInt(Option<i64>),
    Float(f64),
    OptFloat(Option<f64>),
    Bool(bool),
    OptBool(Option<bool>),
}

/// Run `sql` with `binds`, on either backend.
pub(super) async fn run_bound(db: &mut impl Db, sql: &str, binds: &[&Bind<'_>]) -> Result<()> {
    query!(db, c => {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = match b {
                Bind::Text(t) => q.bind(*t),
                Bind::OptText(t) => q.bind(*t),
                Bind::Int(i) => q.bind(*i),
                Bind::OptInt(i) => q.bind(*i),
                Bind::Float(f) => q.bind(*f),
                Bind::OptFloat(f) => q.bind(*f),
                Bind::Bool(b) => q.bind(*b),
                Bind::OptBool(b) => q.bind(*b),
            };
        }
        q.execute(&mut *c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// `($1, $2), ($3, $4)` for `rows` rows of `width` values.
pub(super) fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Insert `rows` (each `width` values) into `head` (`INSERT INTO t (a, b) VALUES`) in chunks
/// that stay well inside both backends' limits on bound values.
pub(super) async fn insert_rows(
    db: &mut impl Db,
    head: &str,
    tail: &str,
    width: usize,
    rows: &[Vec<Bind<'_>>],
) -> Result<()> {
    // sqlx looks parameters up one by one on SQLite, so very long statements cost more than
    // they save: a few hundred values each is the sweet spot.
    let per = (240 / width).max(1);
    for chunk in rows.chunks(per) {
        let sql = format!("{head} {} {tail}", placeholders(chunk.len(), width));
        let binds: Vec<&Bind<'_>> = chunk.iter().flatten().collect();
        run_bound(db, &sql, &binds).await?;
    }
    Ok(())
}

/// Give this connection room for a big import: on SQLite a 256 MB page cache, so the
/// transaction is not spilled to the log page by page. (PostgreSQL needs nothing.)
pub async fn prepare_for_import(db: &mut impl Db) -> Result<()> {
    match db.exec() {
        Exec::Sqlite(c) => {
            sqlx::query("PRAGMA cache_size = -262144")
                .execute(&mut *c)
                .await?;
        }
        // The import's commit waits for its write-ahead log to reach the disk, even on a
        // server set to `synchronous_commit = off`: until it has, the VACUUM that follows
        // (`refresh_statistics`) may not mark the new rows seen by all, and every search then
        // reads a table page for each row its index finds (measured: half again as many
        // buffer reads per search, for as long as autovacuum leaves it).
        Exec::Postgres(c) => {
            sqlx::query("SET LOCAL synchronous_commit = on")
                .execute(&mut *c)
                .await?;
        }
    }
    Ok(())
}

/// Refresh the query planner's statistics after a big import, so it picks the right index
/// for each filter (without them SQLite can choose a plan that reads the whole time table once
/// per offer). Quick: on SQLite it samples at most a thousand rows per index. On SQLite it
/// also checkpoints the write-ahead log; on PostgreSQL it vacuums the directory's tables too
/// (it must not be called inside a transaction there).
pub async fn refresh_statistics(db: &mut impl Db) -> Result<()> {
    match db.exec() {
        Exec::Sqlite(c) => {
            sqlx::query("PRAGMA analysis_limit = 1000")
                .execute(&mut *c)
                .await?;
            sqlx::query("ANALYZE").execute(&mut *c).await?;
            // Move the import out of the write-ahead log into the database file now, rather
            // than leaving the next process to read gigabytes of log.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *c)
                .await?;
        }
        Exec::Postgres(c) => {
            // VACUUM as well, so the visibility map says every page of the new rows is seen by
            // all: only then can a search read an index alone (the places near a point, in
            // `dir_service_match`'s covering key) instead of one table page for each row.
            sqlx::query(
                "VACUUM (ANALYZE) dir_services, dir_service_terms, dir_service_times, dir_service_places, \
                 dir_service_at_locations, dir_service_match",
            )
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}

/// Write many services at once, each exactly as `upsert_service` would (same columns, same
/// index rows), in a few multi-row statements: what an import of a million records needs.
/// The ids must be distinct.
pub async fn upsert_services(
    db: &mut impl Db,
    items: &[(&ServiceIndex, &str)],
    public: bool,
    now: Timestamp,
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    bump_generation(db).await?;
    let changed = super::generation(db).await?;
    let hours: Vec<Option<[i64; 3]>> = items
        .iter()
        .map(|(index, _)| week_hours(&index.schedules))
        .collect();
    let services: Vec<Vec<Bind<'_>>> = items
        .iter()
        .zip(&hours)
        .map(|((index, _), hours)| {
            vec![
                Bind::Text(&index.id),
                Bind::OptText(index.organization_id.as_deref()),
                Bind::OptText(index.organization_name.as_deref()),
                Bind::Text(&index.name),
                Bind::Text(&index.description),
                Bind::Text(&index.status),
                Bind::OptInt(index.minimum_age),
                Bind::OptInt(index.maximum_age),
                Bind::OptBool(index.free),
                Bind::OptText(index.last_modified.as_deref()),
                Bind::Bool(public),
                Bind::Int(now),
                Bind::OptInt(hours.map(|h| h[0])),
                Bind::OptInt(hours.map(|h| h[1])),
                Bind::OptInt(hours.map(|h| h[2])),
                Bind::Int(changed),
            ]
        })
        .collect();
    insert_rows(
        db,
        "INSERT INTO dir_services (id, organization_id, organization_name, name, description, status, \
         minimum_age, maximum_age, free, last_modified, public, updated_at, h0, h1, h2, changed) VALUES",
        "ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
         organization_name = excluded.organization_name, name = excluded.name, \
         description = excluded.description, status = excluded.status, \
         minimum_age = excluded.minimum_age, maximum_age = excluded.maximum_age, \
         free = excluded.free, last_modified = excluded.last_modified, public = excluded.public, \
         updated_at = excluded.updated_at, h0 = excluded.h0, h1 = excluded.h1, h2 = excluded.h2, \
         changed = excluded.changed",
        16,
        &services,
    )
    .await?;
    let docs: Vec<Vec<Bind<'_>>> = items
        .iter()
        .map(|(index, doc)| vec![Bind::Text(&index.id), Bind::Text(doc)])
        .collect();
    insert_rows(
        db,
        "INSERT INTO dir_service_docs (id, doc) VALUES",
        "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
        2,
        &docs,
    )
    .await?;
    for chunk in items.chunks(240) {
        let list = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let ids: Vec<Bind<'_>> = chunk
            .iter()
            .map(|(index, _)| Bind::Text(&index.id))
            .collect();
        for table in [
            "dir_service_terms",
            "dir_service_times",
            "dir_service_places",
            "dir_service_match",
            "dir_service_areas",
        ] {
            run_bound(
                db,
                &format!("DELETE FROM {table} WHERE service_id IN ({list})"),
                &ids.iter().collect::<Vec<_>>(),
            )
            .await?;
        }
    }
    let mut terms = Vec::new();
    let mut times = Vec::new();
    let mut sals = Vec::new();
    let mut places = Vec::new();
    let facts: Vec<Vec<MatchRow>> = items
        .iter()
        .map(|(index, _)| match_rows(index, public))
        .collect();
    let areas: Vec<(&str, AreaRow)> = items
        .iter()
        .flat_map(|(index, _)| area_rows(index).into_iter().map(|a| (index.id.as_str(), a)))
        .collect();
    let area_binds: Vec<Vec<Bind<'_>>> = areas.iter().map(|(id, a)| a.binds(id)).collect();
    insert_rows(db, AREA_INSERT, "", AREA_WIDTH, &area_binds).await?;
    let mut matches = Vec::new();
    for ((index, _), rows) in items.iter().zip(&facts) {
        for row in rows {
            matches.push(row.binds(&index.id));
        }
    }
    for (index, _) in items {
        let mut seen: Vec<&str> = Vec::new();
        for term in &index.taxonomy_term_ids {
            if !seen.contains(&term.as_str()) {
                seen.push(term);
                terms.push(vec![Bind::Text(&index.id), Bind::Text(term)]);
            }
        }
        for schedule in &index.schedules {
            let opens = i64::from(schedule.opens.map_or(0, |t| t.minutes()));
            let closes = i64::from(schedule.closes.map_or(24 * 60, |t| t.minutes()));
            for day in schedule.days() {
                times.push(vec![
                    Bind::Text(&index.id),
                    Bind::Text(day.code()),
                    Bind::Int(opens),
                    Bind::Int(closes),
                ]);
            }
        }
        for sal in &index.service_at_location_ids {
            sals.push(vec![Bind::Text(sal), Bind::Text(&index.id)]);
        }
        for place in &index.places {
            places.push(vec![
                Bind::Text(&index.id),
                Bind::Float(place.point.lat()),
                Bind::Float(place.point.lon()),
                Bind::OptText(place.postcode.as_deref()),
            ]);
        }
    }
    insert_rows(
        db,
        "INSERT INTO dir_service_terms (service_id, term_id) VALUES",
        "ON CONFLICT DO NOTHING",
        2,
        &terms,
    )
    .await?;
    insert_rows(
        db,
        "INSERT INTO dir_service_times (service_id, day, opens, closes) VALUES",
        "",
        4,
        &times,
    )
    .await?;
    // One id may appear in two services of a batch only if the data says so; the last wins,
    // as it would one by one.
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, row) in sals.iter().enumerate() {
        if let Bind::Text(id) = row[0] {
            last.insert(id, i);
        }
    }
    let sals: Vec<Vec<Bind<'_>>> = sals
        .into_iter()
        .enumerate()
        .filter(|(i, row)| matches!(row[0], Bind::Text(id) if last.get(id) == Some(i)))
        .map(|(_, row)| row)
        .collect();
    insert_rows(
        db,
        "INSERT INTO dir_service_at_locations (id, service_id) VALUES",
        "ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id",
        2,
        &sals,
    )
    .await?;
    insert_rows(
        db,
        "INSERT INTO dir_service_places (service_id, lat, lon, postcode) VALUES",
        "",
        4,
        &places,
    )
    .await?;
    insert_rows(
        db,
        MATCH_INSERT,
        "ON CONFLICT DO NOTHING",
        MATCH_WIDTH,
        &matches,
    )
    .await
}
