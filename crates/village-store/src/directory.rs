//! The community directory: whole Open Referral UK records plus the index Village searches
//! (words, categories, ages, days and times, places). Search uses SQLite FTS5 or PostgreSQL
//! full-text search behind one function, with English stemming on both.

use crate::{Db, Exec, Result};
use village_domain::connections::matching::{
    access_key, hours_to_search, term_bits, week_hours, Facts,
};
use village_domain::directory::geo::{
    cell, cell_row, circle_rows, distance_km, Area, BoundingBox, CircleRow, LatLon,
};
use village_domain::directory::oruk::ServiceIndex;
use village_domain::directory::schedule::Weekday;
use village_domain::Timestamp;

/// Separators within a text SQLite packs many rows into (see [`packed_docs`]).
const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// Store a service record and rebuild its index, replacing any record with the same id.
/// Move the directory's generation on: anything kept that was worked out from the offers
/// (a person's suggestions) is then out of date.
async fn bump_generation(db: &mut impl Db) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE dir_generation SET value = value + 1 WHERE id = 1")
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn upsert_service(
    db: &mut impl Db,
    index: &ServiceIndex,
    doc: &str,
    public: bool,
    now: Timestamp,
) -> Result<()> {
    bump_generation(db).await?;
    let sql = "INSERT INTO dir_services (id, organization_id, organization_name, name, description, status, \
               minimum_age, maximum_age, free, last_modified, public, updated_at, h0, h1, h2) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
               ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
               organization_name = excluded.organization_name, name = excluded.name, \
               description = excluded.description, status = excluded.status, \
               minimum_age = excluded.minimum_age, maximum_age = excluded.maximum_age, \
               free = excluded.free, last_modified = excluded.last_modified, public = excluded.public, \
               updated_at = excluded.updated_at, h0 = excluded.h0, h1 = excluded.h1, h2 = excluded.h2";
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
enum Bind<'a> {
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
async fn run_bound(db: &mut impl Db, sql: &str, binds: &[&Bind<'_>]) -> Result<()> {
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
fn placeholders(rows: usize, width: usize) -> String {
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
async fn insert_rows(
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
    if let Exec::Sqlite(c) = db.exec() {
        sqlx::query("PRAGMA cache_size = -262144")
            .execute(&mut *c)
            .await?;
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
            ]
        })
        .collect();
    insert_rows(
        db,
        "INSERT INTO dir_services (id, organization_id, organization_name, name, description, status, \
         minimum_age, maximum_age, free, last_modified, public, updated_at, h0, h1, h2) VALUES",
        "ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
         organization_name = excluded.organization_name, name = excluded.name, \
         description = excluded.description, status = excluded.status, \
         minimum_age = excluded.minimum_age, maximum_age = excluded.maximum_age, \
         free = excluded.free, last_modified = excluded.last_modified, public = excluded.public, \
         updated_at = excluded.updated_at, h0 = excluded.h0, h1 = excluded.h1, h2 = excluded.h2",
        15,
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

const AREA_INSERT: &str =
    "INSERT INTO dir_service_areas (service_id, min_lat, max_lat, min_lon, max_lon, extent) VALUES";
const AREA_WIDTH: usize = 6;

/// One area an offer covers, as `dir_service_areas` keeps it.
struct AreaRow {
    bounds: BoundingBox,
    extent: String,
}

impl AreaRow {
    fn binds<'a>(&'a self, id: &'a str) -> Vec<Bind<'a>> {
        vec![
            Bind::Text(id),
            Bind::Float(self.bounds.min_lat),
            Bind::Float(self.bounds.max_lat),
            Bind::Float(self.bounds.min_lon),
            Bind::Float(self.bounds.max_lon),
            Bind::Text(&self.extent),
        ]
    }
}

fn area_rows(index: &ServiceIndex) -> Vec<AreaRow> {
    index
        .areas
        .iter()
        .map(|a| AreaRow {
            bounds: a.bounds(),
            extent: a.to_geojson(),
        })
        .collect()
}

/// The next stored records after the id `after`, in order of id, up to 2,000, whose row
/// (`s`, `dir_services`) and record (`d`, `dir_service_docs`) meet `condition`:
/// (id, record, public). For filling derived tables from the records a batch at a time.
async fn records_after(
    db: &mut impl Db,
    after: &str,
    condition: &str,
) -> Result<Vec<(String, String, bool)>> {
    let sql = format!(
        "SELECT s.id, d.doc, s.public FROM dir_services s JOIN dir_service_docs d ON d.id = s.id \
         WHERE s.id > $1 AND {condition} ORDER BY s.id LIMIT 2000"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(after).fetch_all(&mut *c).await)?)
}

/// Fill `dir_service_areas` from the stored records, once, after the migration that made it
/// (`dir_pending_work`). Returns how many areas were read, or `None` when there was nothing to do.
pub async fn fill_service_areas(db: &mut impl Db) -> Result<Option<usize>> {
    let pending: Option<String> = query!(db, c => sqlx::query_scalar("SELECT task FROM dir_pending_work WHERE task = 'service_areas'").fetch_optional(&mut *c).await)?;
    if pending.is_none() {
        return Ok(None);
    }
    let mut found = 0usize;
    let mut after = String::new();
    loop {
        // Only records that mention an area are read whole.
        let batch = records_after(db, &after, "d.doc LIKE '%\"service_areas\"%'").await?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.0.clone();
        let mut rows: Vec<(String, AreaRow)> = Vec::new();
        for (id, doc, _) in &batch {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(doc) else {
                continue;
            };
            if let Ok((index, _)) = village_domain::directory::oruk::read_service(&value) {
                rows.extend(area_rows(&index).into_iter().map(|a| (id.clone(), a)));
            }
        }
        found += rows.len();
        let binds: Vec<Vec<Bind<'_>>> = rows.iter().map(|(id, a)| a.binds(id)).collect();
        insert_rows(db, AREA_INSERT, "", AREA_WIDTH, &binds).await?;
    }
    query!(db, c => sqlx::query("DELETE FROM dir_pending_work WHERE task = 'service_areas'").execute(&mut *c).await.map(|r| r.rows_affected()))?;
    if found > 0 {
        bump_generation(db).await?;
    }
    Ok(Some(found))
}

/// Whether any offer gives the areas it covers (most directories have none, and a search
/// near a postcode then need not look).
pub async fn has_service_areas(db: &mut impl Db) -> Result<bool> {
    let any: Option<i64> = query!(db, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM dir_service_areas LIMIT 1").fetch_optional(&mut *c).await)?;
    Ok(any.is_some())
}

/// The offers with an area holding `point` (of those that give areas).
async fn covering(db: &mut impl Db, point: LatLon) -> Result<Vec<String>> {
    let rows: Vec<(String, String)> = query!(db, c => sqlx::query_as(
        "SELECT service_id, extent FROM dir_service_areas \
         WHERE min_lat <= $1 AND max_lat >= $1 AND min_lon <= $2 AND max_lon >= $2",
    )
    .bind(point.lat())
    .bind(point.lon())
    .fetch_all(&mut *c)
    .await)?;
    let mut ids: Vec<String> = rows
        .into_iter()
        .filter(|(_, extent)| Area::from_geojson(extent).is_some_and(|a| a.contains(point)))
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

const MATCH_INSERT: &str =
    "INSERT INTO dir_service_match (cell, access, service_id, place_no, lat, lon, bits, \
                            minimum_age, maximum_age, h0, h1, h2, facts) VALUES";
const MATCH_WIDTH: usize = 13;

/// What matching keeps about one place of an offer (see `dir_service_match`): the columns its
/// candidate query filters on, and everything it reads packed in one (`facts`).
struct MatchRow {
    cell: i64,
    place_no: i64,
    point: Option<LatLon>,
    facts: Facts,
    packed: String,
}

impl MatchRow {
    fn binds<'a>(&'a self, id: &'a str) -> Vec<Bind<'a>> {
        let hours = self.facts.hours;
        vec![
            Bind::Int(self.cell),
            Bind::Int(access_key(self.facts.bits)),
            Bind::Text(id),
            Bind::Int(self.place_no),
            Bind::OptFloat(self.point.map(LatLon::lat)),
            Bind::OptFloat(self.point.map(LatLon::lon)),
            Bind::Int(self.facts.bits),
            Bind::OptInt(self.facts.minimum_age),
            Bind::OptInt(self.facts.maximum_age),
            Bind::OptInt(hours.map(|h| h[0])),
            Bind::OptInt(hours.map(|h| h[1])),
            Bind::OptInt(hours.map(|h| h[2])),
            Bind::Text(&self.packed),
        ]
    }
}

/// The rows matching keeps for a service: one per place (cell -1 when it has none), and none
/// unless it is public and active.
fn match_rows(index: &ServiceIndex, public: bool) -> Vec<MatchRow> {
    if !public || !index.status.eq_ignore_ascii_case("active") {
        return Vec::new();
    }
    let facts = Facts::of(index);
    if index.places.is_empty() {
        return vec![MatchRow {
            cell: -1,
            place_no: 0,
            point: None,
            packed: crate::connections::pack(&index.id, None, &facts),
            facts,
        }];
    }
    index
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| MatchRow {
            cell: cell(p.point),
            place_no: i64::try_from(i).unwrap_or(i64::MAX),
            point: Some(p.point),
            packed: crate::connections::pack(&index.id, Some(p.point), &facts),
            facts: facts.clone(),
        })
        .collect()
}

/// Fill `dir_service_match` from the stored records when it is empty but the directory is not
/// (a hub that had offers before matching existed). Returns how many offers were read.
pub async fn fill_match_facts(db: &mut impl Db) -> Result<usize> {
    let have: Option<i64> = query!(db, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM dir_service_match LIMIT 1").fetch_optional(&mut *c).await)?;
    let any: Option<i64> = query!(db, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM dir_services LIMIT 1").fetch_optional(&mut *c).await)?;
    if have.is_some() || any.is_none() {
        return Ok(0);
    }
    bump_generation(db).await?;
    let mut done = 0usize;
    let mut after = String::new();
    loop {
        let batch = records_after(db, &after, "TRUE").await?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.0.clone();
        let mut rows: Vec<(String, MatchRow)> = Vec::new();
        for (id, doc, public) in &batch {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(doc) else {
                continue;
            };
            if let Ok((index, _)) = village_domain::directory::oruk::read_service(&value) {
                rows.extend(
                    match_rows(&index, *public)
                        .into_iter()
                        .map(|r| (id.clone(), r)),
                );
            }
        }
        let binds: Vec<Vec<Bind<'_>>> = rows.iter().map(|(id, r)| r.binds(id)).collect();
        insert_rows(
            db,
            MATCH_INSERT,
            "ON CONFLICT DO NOTHING",
            MATCH_WIDTH,
            &binds,
        )
        .await?;
        done += batch.len();
    }
    Ok(done)
}

/// The whole record of a service, if it exists (and is public, when `public_only`).
pub async fn service_doc(db: &mut impl Db, id: &str, public_only: bool) -> Result<Option<String>> {
    let sql = "SELECT d.doc FROM dir_services s JOIN dir_service_docs d ON d.id = s.id \
               WHERE s.id = $1 AND (s.public = TRUE OR $2 = FALSE)";
    Ok(
        query!(db, c => sqlx::query_scalar(sql).bind(id).bind(public_only).fetch_optional(&mut *c).await)?,
    )
}

/// The record of the public service a service_at_location id belongs to.
pub async fn service_doc_by_location(
    db: &mut impl Db,
    service_at_location_id: &str,
) -> Result<Option<String>> {
    let sql = "SELECT d.doc FROM dir_service_at_locations sal JOIN dir_services s ON s.id = sal.service_id \
               JOIN dir_service_docs d ON d.id = s.id WHERE sal.id = $1 AND s.public = TRUE";
    Ok(
        query!(db, c => sqlx::query_scalar(sql).bind(service_at_location_id).fetch_optional(&mut *c).await)?,
    )
}

pub async fn count_services(db: &mut impl Db) -> Result<i64> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM dir_services").fetch_one(&mut *c).await)?,
    )
}

/// Every service record, in id order (for export).
pub async fn all_service_docs(db: &mut impl Db) -> Result<Vec<(String, String)>> {
    Ok(
        query!(db, c => sqlx::query_as("SELECT s.id, d.doc FROM dir_services s JOIN dir_service_docs d ON d.id = s.id ORDER BY s.id").fetch_all(&mut *c).await)?,
    )
}

/// How results are put in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match for the words if any; nearest first when searching near a place; else by name.
    #[default]
    Best,
    /// Nearest first (needs a place to measure from).
    Nearest,
    /// By name, A to Z.
    Name,
}

/// What a directory search asks for. Every filter combines with the others.
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    /// Words to search for.
    pub words: Option<String>,
    pub taxonomy_term_id: Option<String>,
    pub taxonomy_id: Option<String>,
    /// ORUK `minimum_age`: services whose own minimum age is at least this.
    pub minimum_age_at_least: Option<i64>,
    /// ORUK `maximum_age`: services whose own maximum age is at most this.
    pub maximum_age_at_most: Option<i64>,
    /// An iCalendar day code (MO … SU): services that happen on that day.
    pub day: Option<String>,
    /// ORUK `start_time`, minutes after midnight: services that open at or after this.
    pub opens_at_or_after: Option<i64>,
    /// ORUK `end_time`, minutes after midnight: services that close at or before this.
    pub closes_at_or_before: Option<i64>,
    /// Taxonomy terms a service must have, every one of them (access needs, kind of group…).
    pub all_terms: Vec<String>,
    /// A person's age: services whose age limits include it (no limit counts as including).
    pub age: Option<i64>,
    /// Open at some time in this window (minutes after midnight), on `day` if given.
    pub open_between: Option<(i64, i64)>,
    /// Only offers that cost nothing.
    pub free_only: bool,
    /// Only services with a place within this distance (km) of this point, nearest first
    /// (unless searching by words, when the best match stays first).
    pub near: Option<(LatLon, f64)>,
    /// A point the offers must cover, if they say which areas they cover (ORUK
    /// `service_areas` as GeoJSON); offers that give no area are not left out.
    pub covering: Option<LatLon>,
    /// Order by distance from this point, without leaving anything out.
    pub sort_from: Option<LatLon>,
    pub sort: SortOrder,
    /// List one row per service_at_location (the row's id is then its id) instead of one
    /// per service.
    pub per_location: bool,
    pub limit: i64,
    pub offset: i64,
    /// Count at most this many and one more (the total is then "more than this"), so a
    /// page's count never reads every match.
    pub count_up_to: Option<i64>,
    /// When searching by words alone for the best match, rank only the first this many
    /// matches: a very common word then costs no more than a rarer one. Filters and other
    /// orders always see every match.
    pub rank_within: Option<i64>,
    /// The number of matches, when the caller already knows it (the same search counted
    /// before, while the directory has not changed): then it is not counted again.
    pub total_known: Option<i64>,
    /// Start the list at this offer (name and id, as [`name_marks`] gives them), and count
    /// `offset` from there: only for a list of every offer by name whose total is known.
    pub from_mark: Option<(String, String)>,
}

impl ServiceFilter {
    /// Whether nothing but words (if any) narrows the search: no term, age, cost, time or
    /// place, one row per offer.
    fn only_words(&self) -> bool {
        self.nothing_but_words_and_times() && !self.has_times()
    }

    /// Whether a day or time is all this searches by.
    fn only_times(&self) -> bool {
        self.words.as_deref().is_none_or(|w| w.trim().is_empty())
            && self.nothing_but_words_and_times()
            && self.has_times()
    }

    /// Whether it asks for a day or time.
    fn has_times(&self) -> bool {
        self.day.is_some()
            || self.opens_at_or_after.is_some()
            || self.closes_at_or_before.is_some()
            || self.open_between.is_some()
    }

    /// Whether nothing but words, a day or a time narrows it, listed per offer.
    fn nothing_but_words_and_times(&self) -> bool {
        self.taxonomy_term_id.is_none()
            && self.all_terms.is_empty()
            && self.taxonomy_id.is_none()
            && self.minimum_age_at_least.is_none()
            && self.maximum_age_at_most.is_none()
            && self.age.is_none()
            && !self.free_only
            && self.near.is_none()
            && self.sort_from.is_none()
            && self.covering.is_none()
            && !self.per_location
    }

    /// Whether this lists every public offer by name, with nothing left out.
    pub fn lists_everything_by_name(&self) -> bool {
        self.words.as_deref().is_none_or(|w| w.trim().is_empty()) && self.only_words()
    }

    /// The search without its page: two searches with the same key have the same matches
    /// (in a directory of the same [`generation`]).
    pub fn count_key(&self) -> String {
        let whole = ServiceFilter {
            limit: 0,
            offset: 0,
            total_known: None,
            from_mark: None,
            ..self.clone()
        };
        format!("{whole:?}")
    }
}

/// Every `every`th public offer in order of name (name and id), from the first: a page deep
/// in the list by name starts from the mark before it instead of stepping over every offer
/// before it.
pub async fn name_marks(db: &mut impl Db, every: i64) -> Result<Vec<(String, String)>> {
    let every = every.max(1);
    Ok(query!(db, c => sqlx::query_as(&format!(
        "SELECT name, id FROM (SELECT name, id, ROW_NUMBER() OVER (ORDER BY name, id) AS n \
         FROM dir_services WHERE public = TRUE) marks WHERE (n - 1) % {every} = 0 ORDER BY n"
    ))
    .fetch_all(&mut *c)
    .await)?)
}

/// The directory's generation: it moves on whenever any offer changes.
pub async fn generation(db: &mut impl Db) -> Result<i64> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT value FROM dir_generation WHERE id = 1").fetch_one(&mut *c).await)?,
    )
}

enum Arg {
    Text(String),
    Int(i64),
    Float(f64),
}

/// Bind a search's arguments, in order, to any kind of sqlx query.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(i) => q.bind(*i),
                Arg::Float(f) => q.bind(*f),
            };
        }
        q
    }};
}

/// The words as a safe FTS5 query: each word quoted, all of them required.
fn fts5_query(words: &str) -> String {
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Public services matching the filter, best match first when searching by words (else by
/// name), with the total number of matches.
pub async fn search_services(
    db: &mut impl Db,
    filter: &ServiceFilter,
) -> Result<(Vec<(String, String)>, i64)> {
    search_services_kept(db, filter, None).await
}

/// [`search_services`], where a search near a place without words may read the places from
/// those kept in memory (`kept`: them and the directory's generation, read before this; see
/// [`crate::connections::KeptPlaces`]) instead of the database. The answer is the same.
pub async fn search_services_kept(
    db: &mut impl Db,
    filter: &ServiceFilter,
    kept: Option<(&crate::connections::KeptPlaces, i64)>,
) -> Result<(Vec<(String, String)>, i64)> {
    let postgres = matches!(db.exec(), Exec::Postgres(_));
    let mut args: Vec<Arg> = Vec::new();
    let mut conditions: Vec<String> = vec!["s.public = TRUE".into()];
    let push = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    let words = filter
        .words
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    let mut from = "dir_services s".to_string();
    // What to count over, when it can be cheaper than `from` (a bounded ranking need not be
    // ranked to be counted).
    let mut count_from: Option<String> = None;
    let mut order = "s.name, s.id".to_string();
    // A condition written another way for counting: (as listed, as counted).
    let mut count_instead: Option<(String, String)> = None;
    // The whole count of a search by times alone, counted from the times (see below).
    let mut count_by_times: Option<String> = None;
    let words_alone = filter.only_words() && filter.sort == SortOrder::Best;
    let bounded = filter.rank_within.filter(|_| words_alone);
    if let (Some(words), Some(k)) = (words, bounded) {
        // The first k matches in index order, ranked; nothing else is read.
        if postgres {
            // The first k matches in the order the table is read (deterministic: the pool
            // turns synchronised scans off), ranked. Only their ids are read: joined back to
            // the table, the planner hashed the whole table for each page.
            let p = push(&mut args, Arg::Text(words.to_string()));
            from = format!(
                "(SELECT id, public, ts_rank(search, websearch_to_tsquery('english', {p})) AS frank \
                 FROM dir_services WHERE public = TRUE AND search @@ websearch_to_tsquery('english', {p}) \
                 LIMIT {k}) s"
            );
            count_from = Some(format!(
                "(SELECT id, public FROM dir_services WHERE public = TRUE \
                 AND search @@ websearch_to_tsquery('english', {p}) LIMIT {k}) s"
            ));
            order = "s.frank DESC, s.id".into();
        } else {
            let q = fts5_query(words);
            if q.is_empty() {
                return Ok((Vec::new(), 0));
            }
            return first_matches(db, &q, k, filter).await;
        }
    } else if let Some(words) = words {
        if postgres {
            let p = push(&mut args, Arg::Text(words.to_string()));
            conditions.push(format!("s.search @@ websearch_to_tsquery('english', {p})"));
            order = format!("ts_rank(s.search, websearch_to_tsquery('english', {p})) DESC, s.id");
        } else {
            let q = fts5_query(words);
            if q.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let p = push(&mut args, Arg::Text(q));
            from = "dir_services_fts f JOIN dir_services s ON s.rowid = f.rowid".into();
            conditions.push(format!("dir_services_fts MATCH {p}"));
            order = format!(
                "CASE WHEN s.rowid IN (SELECT rowid FROM dir_names_fts WHERE dir_names_fts MATCH {p}) \
                 THEN 0 ELSE 1 END, s.rowid"
            );
        }
    }
    if let Some(term) = &filter.taxonomy_term_id {
        let p = push(&mut args, Arg::Text(term.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t WHERE t.service_id = s.id AND t.term_id = {p})"
        ));
    }
    for term in &filter.all_terms {
        let p = push(&mut args, Arg::Text(term.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t WHERE t.service_id = s.id AND t.term_id = {p})"
        ));
    }
    if let Some(taxonomy) = &filter.taxonomy_id {
        let p = push(&mut args, Arg::Text(taxonomy.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t JOIN dir_taxonomy_terms tt ON tt.id = t.term_id \
             WHERE t.service_id = s.id AND tt.taxonomy_id = {p})"
        ));
    }
    if let Some(age) = filter.minimum_age_at_least {
        let p = push(&mut args, Arg::Int(age));
        conditions.push(format!("s.minimum_age >= {p}"));
    }
    if let Some(age) = filter.maximum_age_at_most {
        let p = push(&mut args, Arg::Int(age));
        conditions.push(format!("s.maximum_age <= {p}"));
    }
    if let Some(age) = filter.age {
        let p = push(&mut args, Arg::Int(age));
        conditions.push(format!(
            "(s.minimum_age IS NULL OR s.minimum_age <= {p}) AND (s.maximum_age IS NULL OR s.maximum_age >= {p})"
        ));
    }
    if filter.free_only {
        conditions.push("s.free = TRUE".into());
    }
    if filter.has_times() {
        // One time slot must meet every part, so "Tuesday from 10:00" means a Tuesday slot.
        let mut time = vec!["t.service_id = s.id".to_string()];
        if let Some(day) = &filter.day {
            let p = push(&mut args, Arg::Text(day.clone()));
            time.push(format!("t.day = {p}"));
        }
        if let Some(start) = filter.opens_at_or_after {
            let p = push(&mut args, Arg::Int(start));
            time.push(format!("t.opens >= {p}"));
        }
        if let Some(end) = filter.closes_at_or_before {
            let p = push(&mut args, Arg::Int(end));
            time.push(format!("t.closes <= {p}"));
        }
        if let Some((from, to)) = filter.open_between {
            let pf = push(&mut args, Arg::Int(from));
            let pt = push(&mut args, Arg::Int(to));
            time.push(format!("t.opens < {pt} AND t.closes > {pf}"));
        }
        // A page walks offers in order of name, passing over those whose hours of the week
        // cannot meet the search (kept beside the name in its index) and looking up the times
        // of the others; counting goes the other way, from the times of that day and hour
        // (thousands of lookups fewer).
        let days: Vec<Weekday> = match &filter.day {
            Some(code) => Weekday::parse(code).into_iter().collect(),
            None => Weekday::ALL.to_vec(),
        };
        if let Some(mask) = hours_to_search(&days, filter.opens_at_or_after, filter.open_between) {
            let parts: Vec<String> = mask
                .iter()
                .enumerate()
                .filter(|(_, m)| **m != 0)
                .map(|(i, m)| {
                    let p = push(&mut args, Arg::Int(*m));
                    format!("(s.h{i} & {p}) <> 0")
                })
                .collect();
            if !parts.is_empty() {
                conditions.push(format!("({})", parts.join(" OR ")));
            }
        }
        if filter.only_times() && filter.count_up_to.is_none() {
            // Counted exactly (the ORUK envelope's total_items), looking each time's offer up
            // to see it is public read tens of thousands of rows across the table (6.5 s
            // with a cold cache at 1M offers): count the offers in the times index alone,
            // less the few not public among them (found through the index led by `public`).
            // The hours of the week are checked too, as the list does (they never rule out a
            // time the exact check finds; a test holds this count to the list's).
            let window = time[1..].join(" AND ");
            let hours = match conditions.get(1..) {
                Some(more) if !more.is_empty() => more.join(" AND "),
                _ => "TRUE".to_string(),
            };
            count_by_times = Some(format!(
                "SELECT (SELECT COUNT(DISTINCT t.service_id) FROM dir_service_times t WHERE {window}) \
                 - (SELECT COUNT(*) FROM dir_services s WHERE s.public = FALSE AND {hours} \
                 AND EXISTS (SELECT 1 FROM dir_service_times t WHERE t.service_id = s.id AND {window}))"
            ));
        }
        let exists = format!(
            "EXISTS (SELECT 1 FROM dir_service_times t WHERE {})",
            time.join(" AND ")
        );
        let within = format!(
            "s.id IN (SELECT t.service_id FROM dir_service_times t WHERE {})",
            time[1..].join(" AND ")
        );
        conditions.push(exists.clone());
        count_instead = Some((exists, within));
    }
    if let Some(point) = filter.covering {
        // Offers that give the areas they cover must cover the point; the others may.
        let ids =
            serde_json::to_string(&covering(db, point).await?).unwrap_or_else(|_| "[]".into());
        let p = push(&mut args, Arg::Text(ids));
        let list = if postgres {
            format!("SELECT jsonb_array_elements_text(CAST({p} AS jsonb))")
        } else {
            format!("SELECT value FROM json_each({p})")
        };
        conditions.push(format!(
            "(NOT EXISTS (SELECT 1 FROM dir_service_areas a WHERE a.service_id = s.id) OR s.id IN ({list}))"
        ));
    }
    if let Some((centre, km)) = filter.near {
        // Without words to narrow the search, places are read outwards from the centre.
        if words.is_none() && !filter.per_location && filter.sort != SortOrder::Name {
            if let Some(found) = nearby(
                db,
                filter,
                centre,
                km,
                &conditions.join(" AND "),
                &args,
                kept,
            )
            .await?
            {
                return Ok(found);
            }
        }
        let b = BoundingBox::around(centre, km);
        let ps: Vec<String> = [b.min_lat, b.max_lat, b.min_lon, b.max_lon]
            .into_iter()
            .map(|v| push(&mut args, Arg::Float(v)))
            .collect();
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_places p WHERE p.service_id = s.id \
             AND p.lat BETWEEN {} AND {} AND p.lon BETWEEN {} AND {})",
            ps[0], ps[1], ps[2], ps[3]
        ));
    }
    if let Some((name, id)) = &filter.from_mark {
        // (Never when counting: the count is of the whole list.)
        if filter.lists_everything_by_name() && filter.total_known.is_some() {
            let pn = push(&mut args, Arg::Text(name.clone()));
            let pi = push(&mut args, Arg::Text(id.clone()));
            conditions.push(format!("(s.name, s.id) >= ({pn}, {pi})"));
        }
    }
    let mut id_column = "s.id";
    if filter.per_location {
        from = format!("{from} JOIN dir_service_at_locations sal ON sal.service_id = s.id");
        id_column = "sal.id";
        order = format!("{order}, sal.id");
    }
    if filter.sort == SortOrder::Name {
        order = "s.name, s.id".into();
        if filter.per_location {
            order.push_str(", sal.id");
        }
    }
    let where_ = conditions.join(" AND ");
    let counted = count_from.as_deref().unwrap_or(&from);
    let count_where = match &count_instead {
        Some((listed, counted)) => where_.replace(listed.as_str(), counted),
        None => where_.clone(),
    };
    let where_count = &count_where;
    let count_sql = match filter.count_up_to {
        Some(cap) => format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {counted} WHERE {where_count} LIMIT {}) c",
            cap + 1
        ),
        None => count_by_times
            .unwrap_or_else(|| format!("SELECT COUNT(*) FROM {counted} WHERE {where_count}")),
    };
    let n = args.len();
    let list_sql = format!(
        "SELECT {id_column}, s.id FROM {from} WHERE {where_} ORDER BY {order} LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    if filter.near.is_some() || filter.sort_from.is_some() {
        return geographic(db, filter, &from, id_column, &where_, &order, &args).await;
    }
    let total: i64 = if let Some(known) = filter.total_known {
        known
    } else {
        query!(db, c => {
            let q = bind_args!(sqlx::query_scalar(&count_sql), &args);
            q.fetch_one(&mut *c).await
        })?
    };
    let ids: Vec<(String, String)> = query!(db, c => {
        let q = bind_args!(sqlx::query_as(&list_sql), &args);
        q.bind(filter.limit).bind(filter.offset).fetch_all(&mut *c).await
    })?;
    Ok((with_docs(db, ids).await?, total))
}

/// A search by words alone on SQLite, ranking the first `k` matches (in the order offers were
/// listed): those with every word in their name first, then the others, each in the order they
/// were listed. FTS5's bm25 would read every match of each word to weigh it; here the word
/// index is read for the first `k` matches, and for the name matches among them, whatever
/// the word. Only as many offers as the page needs are looked up (to leave out any not
/// public), unless the count is wanted; and when it is not, a page the first name matches
/// fill (or, with few name matches, the first matches) is read without reading all `k`.
async fn first_matches(
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
const WORDS: &str = "dir_services_fts";
const NAMES: &str = "dir_names_fts";

/// Which matches of a word index to read, in the order offers were listed.
#[derive(Default)]
struct Matches {
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
async fn match_rowids(
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
async fn first_matches_for_page(
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
async fn public_in_order(c: &mut sqlx::SqliteConnection, rows: &[i64]) -> Result<Vec<String>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(rows).unwrap_or_else(|_| "[]".into());
    let mut ids = public_ids(c, &list).await?;
    Ok(rows.iter().filter_map(|r| ids.remove(r)).collect())
}

/// The public offers among these rows (a JSON array of rowids), by rowid.
async fn public_ids(
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
    let split: Option<std::collections::HashMap<i64, String>> = packed
        .as_deref()
        .into_iter()
        .flat_map(|p| p.split(RECORD))
        .map(|r| {
            let (rowid, id) = r.split_once(UNIT)?;
            Some((rowid.parse().ok()?, id.to_string()))
        })
        .collect();
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
async fn finish_matches(
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

/// The records for a page of (row id, service id), in the same order.
async fn with_docs(db: &mut impl Db, ids: Vec<(String, String)>) -> Result<Vec<(String, String)>> {
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
fn last_uses(ids: &[(String, String)]) -> Vec<bool> {
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
async fn packed_docs(
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
    let mut docs = std::collections::HashMap::with_capacity(wanted.len());
    for record in packed.as_deref().into_iter().flat_map(|p| p.split(RECORD)) {
        match record.split_once(UNIT) {
            Some((id, doc)) if wanted.binary_search(&id).is_ok() => {
                docs.insert(id.to_string(), doc.to_string());
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(docs))
}

/// Distance searches: the bounding box has narrowed the candidates in SQL; here each gets its
/// exact distance (to its nearest place), those too far are dropped, and the rest are put in
/// order and paged.
#[allow(clippy::too_many_arguments)]
async fn geographic(
    db: &mut impl Db,
    filter: &ServiceFilter,
    from: &str,
    id_column: &str,
    where_: &str,
    order: &str,
    args: &[Arg],
) -> Result<(Vec<(String, String)>, i64)> {
    // One row per (listing, place); a listing without a place comes once, with no point.
    let sql = format!(
        "SELECT {id_column}, s.id, p.lat, p.lon FROM {from} \
         LEFT JOIN dir_service_places p ON p.service_id = s.id WHERE {where_} ORDER BY {order}"
    );
    let rows: Vec<(String, String, Option<f64>, Option<f64>)> = query!(db, c => {
        let q = bind_args!(sqlx::query_as(&sql), args);
        q.fetch_all(&mut *c).await
    })?;
    let centre = filter.near.map(|(c, _)| c).or(filter.sort_from);
    let Some(centre) = centre else {
        return Ok((Vec::new(), 0));
    };
    // Nearest place per listing, keeping the order listings first appear in.
    let mut order_seen: Vec<String> = Vec::new();
    let mut best: std::collections::HashMap<String, (String, Option<f64>)> =
        std::collections::HashMap::new();
    for (row_id, doc, lat, lon) in rows {
        let d = match (lat, lon) {
            (Some(lat), Some(lon)) => LatLon::new(lat, lon).ok().map(|p| distance_km(centre, p)),
            _ => None,
        };
        match best.get_mut(&row_id) {
            Some(entry) => {
                if let Some(d) = d {
                    entry.1 = Some(entry.1.map_or(d, |e| e.min(d)));
                }
            }
            None => {
                order_seen.push(row_id.clone());
                best.insert(row_id, (doc, d));
            }
        }
    }
    let mut scored: Vec<(String, String, Option<f64>, usize)> =
        Vec::with_capacity(order_seen.len());
    for (rank, row_id) in order_seen.into_iter().enumerate() {
        let Some((doc, distance)) = best.remove(&row_id) else {
            continue;
        };
        if let Some((_, km)) = filter.near {
            if !distance.is_some_and(|d| d <= km) {
                continue;
            }
        }
        scored.push((row_id, doc, distance, rank));
    }
    let by_distance = match filter.sort {
        SortOrder::Nearest => true,
        SortOrder::Name => false,
        SortOrder::Best => filter.words.as_deref().is_none_or(|w| w.trim().is_empty()),
    };
    if by_distance {
        // Nearest first; anything without a place last; ties keep the SQL order.
        scored.sort_by(|a, b| match (a.2, b.2) {
            (Some(x), Some(y)) => x.total_cmp(&y).then(a.3.cmp(&b.3)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.3.cmp(&b.3),
        });
    }
    let total = i64::try_from(scored.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(filter.offset).unwrap_or(usize::MAX);
    let take = usize::try_from(filter.limit).unwrap_or(0);
    let page = scored
        .into_iter()
        .skip(start)
        .take(take)
        .map(|(id, service, _, _)| (id, service))
        .collect();
    Ok((with_docs(db, page).await?, total))
}

/// The first radius read outwards from a centre, in kilometres; each round doubles it.
const FIRST_REACH_KM: f64 = 0.5;

/// How many offers a round of [`nearby`] checks against the other filters in one statement.
const CHECK_BATCH: usize = 400;

/// A search near a point, without words: the places kept for matching (`dir_service_match`,
/// in order of grid cell) are read in widening circles from the centre, each cell once, until
/// the page and the count are known, so a dense city costs the places near its centre, not
/// the tens of thousands within the whole distance. Filters that are bits of those rows (Village's
/// categories, access, communities, space, lived experience) and ages are read with the
/// places; any other filter is checked for the offers found, a batch at a time. Offers that are
/// public but not active have no matching rows and are read the old way (they are few).
///
/// `None` when the circle is too big for rows of cells (then the caller searches the old way).
async fn nearby(
    db: &mut impl Db,
    filter: &ServiceFilter,
    centre: LatLon,
    km: f64,
    where_: &str,
    args: &[Arg],
    kept: Option<(&crate::connections::KeptPlaces, i64)>,
) -> Result<Option<(Vec<(String, String)>, i64)>> {
    if !km.is_finite() || km < 0.0 {
        return Ok(None);
    }
    let Some(outermost) = circle_rows(centre, km) else {
        return Ok(None);
    };
    let terms: Vec<&String> = filter
        .taxonomy_term_id
        .iter()
        .chain(filter.all_terms.iter())
        .collect();
    let mut bits = 0i64;
    let mut other_terms = false;
    for t in &terms {
        let b = term_bits(std::slice::from_ref(*t));
        if b == 0 {
            other_terms = true;
        }
        bits |= b;
    }
    // Whether the offers found must be checked against filters the rows do not carry.
    let check = other_terms
        || filter.covering.is_some()
        || filter.taxonomy_id.is_some()
        || filter.free_only
        || filter.has_times();
    let mut on_rows = vec!["TRUE".to_string()];
    if bits != 0 {
        on_rows.push(format!("(bits & {bits}) = {bits}"));
    }
    if let Some(age) = filter.minimum_age_at_least {
        on_rows.push(format!("minimum_age >= {age}"));
    }
    if let Some(age) = filter.maximum_age_at_most {
        on_rows.push(format!("maximum_age <= {age}"));
    }
    if let Some(age) = filter.age {
        on_rows.push(format!(
            "(minimum_age IS NULL OR minimum_age <= {age}) AND (maximum_age IS NULL OR maximum_age >= {age})"
        ));
    }
    let on_rows = on_rows.join(" AND ");
    // The same, for places kept in memory.
    let passes = |f: &village_domain::connections::matching::Facts| {
        f.bits & bits == bits
            && filter
                .minimum_age_at_least
                .is_none_or(|age| f.minimum_age.is_some_and(|m| m >= age))
            && filter
                .maximum_age_at_most
                .is_none_or(|age| f.maximum_age.is_some_and(|m| m <= age))
            && filter.age.is_none_or(|age| {
                f.minimum_age.is_none_or(|m| m <= age) && f.maximum_age.is_none_or(|m| m >= age)
            })
    };
    let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(filter.limit).unwrap_or(0);
    let needed = offset.saturating_add(limit);
    // With a cap, one more than the cap is enough to say "more than"; without, read it all.
    let over_cap = filter
        .count_up_to
        .map(|cap| usize::try_from(cap).unwrap_or(usize::MAX).saturating_add(1));
    let enough = match (filter.total_known, over_cap) {
        (Some(_), _) => needed,
        (None, Some(over)) => needed.max(over),
        (None, None) => usize::MAX,
    };

    // Nearest distance of every offer seen so far, and what the other filters said of it.
    let mut nearest: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    let mut passed: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    // Offers public but not active: checked against every filter in SQL, all at once.
    let b = BoundingBox::around(centre, km);
    // There are few of these, so they are read first: left alone, SQLite would walk every
    // public offer by name, and PostgreSQL every place in the box (20,000 near a city centre)
    // or every offer with the category. (A CROSS JOIN keeps SQLite to the order written; a
    // materialised query is read first by PostgreSQL.)
    let within = format!(
        "p.lat BETWEEN {} AND {} AND p.lon BETWEEN {} AND {}",
        b.min_lat, b.max_lat, b.min_lon, b.max_lon
    );
    let sql = match db.exec() {
        Exec::Sqlite(_) => format!(
            "SELECT s.id, p.lat, p.lon FROM dir_services s INDEXED BY dir_services_not_active \
             CROSS JOIN dir_service_places p \
             WHERE p.service_id = s.id AND lower(s.status) <> 'active' AND {where_} AND {within}"
        ),
        Exec::Postgres(_) => format!(
            "WITH not_active AS MATERIALIZED \
             (SELECT id FROM dir_services WHERE lower(status) <> 'active') \
             SELECT s.id, p.lat, p.lon FROM not_active n JOIN dir_services s ON s.id = n.id \
             JOIN dir_service_places p ON p.service_id = s.id WHERE {where_} AND {within}"
        ),
    };
    let others: Vec<(String, f64, f64)> = query!(db, c => {
        let q = bind_args!(sqlx::query_as(&sql), args);
        q.fetch_all(&mut *c).await
    })?;
    for (id, lat, lon) in others {
        if let Ok(p) = LatLon::new(lat, lon) {
            let d = distance_km(centre, p);
            let e = nearest.entry(id.clone()).or_insert(d);
            *e = e.min(d);
            passed.insert(id, true);
        }
    }

    let mut reach = FIRST_REACH_KM.min(km);
    let mut inner: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    loop {
        let last = reach >= km;
        let rows = if last {
            outermost.clone()
        } else {
            circle_rows(centre, reach).unwrap_or_else(|| outermost.clone())
        };
        // The cells of this circle not read in an earlier round, whole.
        let mut ranges: Vec<(i64, i64)> = Vec::new();
        for CircleRow {
            cells: (lo, hi), ..
        } in &rows
        {
            match inner.get(&cell_row(*lo)) {
                Some((ilo, ihi)) => {
                    if lo < ilo {
                        ranges.push((*lo, ilo - 1));
                    }
                    if ihi < hi {
                        ranges.push((ihi + 1, *hi));
                    }
                }
                None => ranges.push((*lo, *hi)),
            }
        }
        if !ranges.is_empty() {
            let sql = ranges
                .iter()
                .map(|(lo, hi)| {
                    format!(
                        "SELECT service_id, lat, lon FROM dir_service_match \
                         WHERE cell BETWEEN {lo} AND {hi} AND {on_rows}"
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            let from_kept = match kept {
                Some((kept, generation)) => {
                    let cells: Vec<i64> = ranges.iter().flat_map(|(lo, hi)| *lo..=*hi).collect();
                    crate::connections::kept_cells(db, kept, generation, &cells).await?
                }
                None => None,
            };
            let places = match from_kept {
                Some(cells) => ranges
                    .iter()
                    .flat_map(|(lo, hi)| *lo..=*hi)
                    .filter_map(|c| cells.get(&c))
                    .flat_map(|places| places.iter())
                    .filter(|p| passes(&p.facts))
                    .map(|p| {
                        (
                            p.id.to_string(),
                            p.point.map(LatLon::lat),
                            p.point.map(LatLon::lon),
                        )
                    })
                    .collect(),
                None => places_read(db, &sql).await?,
            };
            tracing::debug!(
                reach,
                ranges = ranges.len(),
                places = places.len(),
                "read places near"
            );
            for (id, lat, lon) in places {
                let Some(p) = lat
                    .zip(lon)
                    .and_then(|(lat, lon)| LatLon::new(lat, lon).ok())
                else {
                    continue;
                };
                let d = distance_km(centre, p);
                match nearest.get_mut(&id) {
                    Some(e) => *e = e.min(d),
                    None => {
                        nearest.insert(id, d);
                    }
                }
            }
        }
        for CircleRow {
            cells: (lo, hi), ..
        } in &rows
        {
            inner.insert(cell_row(*lo), (*lo, *hi));
        }
        // Every offer within `reach` is now known, with its true distance.
        let mut known: Vec<(&String, f64)> = nearest
            .iter()
            .filter(|(_, d)| **d <= reach.min(km))
            .map(|(id, d)| (id, *d))
            .collect();
        if check {
            let unchecked: Vec<String> = known
                .iter()
                .filter(|(id, _)| !passed.contains_key(*id))
                .map(|(id, _)| (*id).clone())
                .collect();
            for batch in unchecked.chunks(CHECK_BATCH) {
                let ok = passing(db, where_, args, batch).await?;
                for id in batch {
                    passed.insert(id.clone(), ok.contains(id));
                }
            }
            known.retain(|(id, _)| passed.get(*id).copied().unwrap_or(false));
        }
        if last || known.len() >= enough {
            known.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
            let total = match (filter.total_known, over_cap) {
                (Some(total), _) => usize::try_from(total).unwrap_or(0),
                (None, Some(over)) if !last => over,
                _ => known.len(),
            };
            let page = page_by_name_within_ties(db, &known, offset, limit).await?;
            return Ok(Some((
                with_docs(db, page).await?,
                i64::try_from(total).unwrap_or(i64::MAX),
            )));
        }
        reach = (reach * 2.0).min(km);
    }
}

/// The places a statement selects (service_id, lat, lon). Row by row, the driver's cost per
/// row is many times the statement's, so they come back as one text (as matching's do).
async fn places_read(
    db: &mut impl Db,
    sql: &str,
) -> Result<Vec<(String, Option<f64>, Option<f64>)>> {
    let packed: Option<String> = match db.exec() {
        Exec::Sqlite(c) => {
            let sql = format!(
                "SELECT group_concat(lat || ',' || lon || ',' || service_id, char(30)) FROM ({sql}) AS near"
            );
            sqlx::query_scalar(&sql).fetch_one(&mut *c).await?
        }
        Exec::Postgres(c) => {
            let sql = format!(
                "SELECT string_agg(lat::text || ',' || lon::text || ',' || service_id, chr(30)) FROM ({sql}) AS near"
            );
            sqlx::query_scalar(&sql).fetch_one(&mut *c).await?
        }
    };
    let Some(packed) = packed else {
        return Ok(Vec::new());
    };
    let read = |record: &str| {
        let mut parts = record.splitn(3, ',');
        let lat = parts.next()?.parse::<f64>().ok()?;
        let lon = parts.next()?.parse::<f64>().ok()?;
        let id = parts.next()?;
        Some((id.to_string(), Some(lat), Some(lon)))
    };
    if let Some(places) = packed.split('\u{1e}').map(read).collect::<Option<Vec<_>>>() {
        return Ok(places);
    }
    // Something that does not read back (an id holding a separator): row by row instead.
    Ok(query!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

/// Which of these offers pass every other filter of the search.
async fn passing(
    db: &mut impl Db,
    where_: &str,
    args: &[Arg],
    ids: &[String],
) -> Result<std::collections::HashSet<String>> {
    // The ids go as one value (binding hundreds of numbered parameters is slow in SQLite).
    let p = args.len() + 1;
    let sql = match db.exec() {
        Exec::Sqlite(_) => format!(
            "SELECT s.id FROM dir_services s WHERE s.id IN (SELECT value FROM json_each(${p})) AND {where_}"
        ),
        Exec::Postgres(_) => {
            format!("SELECT s.id FROM dir_services s WHERE s.id = ANY(${p}) AND {where_}")
        }
    };
    let found: Vec<String> = match db.exec() {
        Exec::Sqlite(c) => {
            let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
            let q = bind_args!(sqlx::query_scalar(&sql), args);
            q.bind(list).fetch_all(&mut *c).await?
        }
        Exec::Postgres(c) => {
            let q = bind_args!(sqlx::query_scalar(&sql), args);
            q.bind(ids.to_vec()).fetch_all(&mut *c).await?
        }
    };
    Ok(found.into_iter().collect())
}

/// The page `offset..offset + limit` of offers in order of distance, where offers at the same
/// distance (the same venue) go by name, as a search by place always has. Only the names of
/// the page and of offers tied with its ends are read.
async fn page_by_name_within_ties(
    db: &mut impl Db,
    by_distance: &[(&String, f64)],
    offset: usize,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let len = by_distance.len();
    let start = offset.min(len);
    let end = offset.saturating_add(limit).min(len);
    if start >= end {
        return Ok(Vec::new());
    }
    let mut lo = start;
    while lo > 0 && by_distance[lo - 1].1 == by_distance[start].1 {
        lo -= 1;
    }
    let mut hi = end;
    while hi < len && by_distance[hi].1 == by_distance[end - 1].1 {
        hi += 1;
    }
    let slice = &by_distance[lo..hi];
    let list = (1..=slice.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT id, name FROM dir_services WHERE id IN ({list})");
    let names: Vec<(String, String)> = query!(db, c => {
        let mut q = sqlx::query_as(&sql);
        for (id, _) in slice {
            q = q.bind((*id).clone());
        }
        q.fetch_all(&mut *c).await
    })?;
    let names: std::collections::HashMap<String, String> = names.into_iter().collect();
    let mut slice: Vec<(&String, f64, &str)> = slice
        .iter()
        .map(|(id, d)| (*id, *d, names.get(*id).map_or("", String::as_str)))
        .collect();
    slice.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then_with(|| a.2.cmp(b.2))
            .then_with(|| a.0.cmp(b.0))
    });
    Ok(slice[start - lo..end - lo]
        .iter()
        .map(|(id, _, _)| ((*id).clone(), (*id).clone()))
        .collect())
}

// ---- Postcodes --------------------------------------------------------------------------

/// Store postcode centroids (postcode in its usual form, district, latitude, longitude).
pub async fn upsert_postcodes(db: &mut impl Db, rows: &[(String, String, f64, f64)]) -> Result<()> {
    for (postcode, district, lat, lon) in rows {
        query!(db, c => sqlx::query(
            "INSERT INTO postcodes (postcode, district, lat, lon) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (postcode) DO UPDATE SET district = excluded.district, lat = excluded.lat, lon = excluded.lon",
        )
        .bind(postcode)
        .bind(district)
        .bind(*lat)
        .bind(*lon)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Where a postcode is: its own centroid, or for a district the middle of its postcodes.
pub async fn postcode_point(
    db: &mut impl Db,
    postcode: &village_domain::directory::geo::Postcode,
) -> Result<Option<LatLon>> {
    use village_domain::directory::geo::Postcode;
    let found: Option<(Option<f64>, Option<f64>)> = match postcode {
        Postcode::Full(p) => {
            query!(db, c => sqlx::query_as("SELECT lat, lon FROM postcodes WHERE postcode = $1")
            .bind(p)
            .fetch_optional(&mut *c)
            .await)?
        }
        Postcode::District(d) => {
            query!(db, c => sqlx::query_as("SELECT AVG(lat), AVG(lon) FROM postcodes WHERE district = $1")
            .bind(d)
            .fetch_optional(&mut *c)
            .await)?
        }
    };
    Ok(match found {
        Some((Some(lat), Some(lon))) => LatLon::new(lat, lon).ok(),
        _ => None,
    })
}

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

// ---- Suggestions and versions -----------------------------------------------------------

/// A member's suggested listing or change, with its review.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SuggestionRow {
    pub id: i64,
    pub service_id: String,
    pub kind: String,
    pub doc: String,
    pub why: String,
    pub suggested_by: Option<i64>,
    pub suggested_by_name: Option<String>,
    pub status: String,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

const SUGGESTION_SELECT: &str = "SELECT g.id, g.service_id, g.kind, g.doc, g.why, g.suggested_by, \
    u.display_name AS suggested_by_name, g.status, g.decided_by, g.decision_reason, g.created_at, g.decided_at \
    FROM dir_suggestions g LEFT JOIN users u ON u.id = g.suggested_by";

pub async fn create_suggestion(
    db: &mut impl Db,
    service_id: &str,
    kind: &str,
    doc: &str,
    why: &str,
    by: i64,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO dir_suggestions (service_id, kind, doc, why, suggested_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(service_id)
    .bind(kind)
    .bind(doc)
    .bind(why)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn suggestion(db: &mut impl Db, id: i64) -> Result<Option<SuggestionRow>> {
    let sql = format!("{SUGGESTION_SELECT} WHERE g.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Suggestions waiting for a steward, oldest first.
pub async fn pending_suggestions(db: &mut impl Db, limit: i64) -> Result<Vec<SuggestionRow>> {
    let sql = format!("{SUGGESTION_SELECT} WHERE g.status = 'pending' ORDER BY g.id LIMIT $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(limit).fetch_all(&mut *c).await)?)
}

/// A member's own suggestions, newest first.
pub async fn suggestions_by(
    db: &mut impl Db,
    user_id: i64,
    limit: i64,
) -> Result<Vec<SuggestionRow>> {
    let sql = format!("{SUGGESTION_SELECT} WHERE g.suggested_by = $1 ORDER BY g.id DESC LIMIT $2");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).bind(limit).fetch_all(&mut *c).await)?)
}

/// Record a steward's decision. Returns false if someone else decided first.
pub async fn decide_suggestion(
    db: &mut impl Db,
    id: i64,
    approved: bool,
    by: i64,
    reason: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = query!(db, c => sqlx::query(
        "UPDATE dir_suggestions SET status = $1, decided_by = $2, decision_reason = $3, decided_at = $4 \
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
    Ok(done == 1)
}

/// One saved version of a listing.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub service_id: String,
    pub doc: String,
    pub changed_by: Option<i64>,
    pub changed_by_name: Option<String>,
    pub change: String,
    pub why: String,
    pub changed_at: i64,
}

pub async fn add_version(
    db: &mut impl Db,
    service_id: &str,
    doc: &str,
    by: Option<i64>,
    change: &str,
    why: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO dir_service_versions (service_id, doc, changed_by, change, why, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(service_id)
    .bind(doc)
    .bind(by)
    .bind(change)
    .bind(why)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A listing's versions, newest first.
pub async fn versions(db: &mut impl Db, service_id: &str) -> Result<Vec<VersionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT v.id, v.service_id, v.doc, v.changed_by, u.display_name AS changed_by_name, v.change, v.why, v.changed_at \
         FROM dir_service_versions v LEFT JOIN users u ON u.id = v.changed_by \
         WHERE v.service_id = $1 ORDER BY v.id DESC",
    )
    .bind(service_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Public listings last checked before `before` (an RFC 3339 time) or never, oldest first.
pub async fn stale_services(
    db: &mut impl Db,
    before: &str,
    limit: i64,
) -> Result<Vec<(String, String, Option<String>)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, name, last_modified FROM dir_services \
         WHERE public = TRUE AND (last_modified IS NULL OR last_modified < $1) \
         ORDER BY last_modified IS NOT NULL, last_modified, name, id LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

/// The public listings an organisation runs, by name.
pub async fn services_of_organization(
    db: &mut impl Db,
    organization_id: &str,
) -> Result<Vec<(String, String)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT s.id, d.doc FROM dir_services s JOIN dir_service_docs d ON d.id = s.id \
         WHERE s.organization_id = $1 AND s.public = TRUE ORDER BY s.name, s.id",
    )
    .bind(organization_id)
    .fetch_all(&mut *c)
    .await)?)
}

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

const CLAIM_SELECT: &str = "SELECT k.id, k.organization_id, k.user_id, u.display_name AS user_name, k.message, \
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

/// The members who organise an organisation's listings.
pub async fn organisers_of(db: &mut impl Db, organization_id: &str) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT user_id FROM dir_organisers WHERE organization_id = $1 ORDER BY user_id",
    )
    .bind(organization_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Make someone an organiser of an organisation directly (the demo, and `village` tools);
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
