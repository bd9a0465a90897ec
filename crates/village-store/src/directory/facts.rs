//! What is worked out from each record for searching and matching: the areas an offer serves and its facts for matching, filled after a migration; and reading records back.

use super::*;

pub(super) const AREA_INSERT: &str =
    "INSERT INTO dir_service_areas (service_id, min_lat, max_lat, min_lon, max_lon, extent) VALUES";
pub(super) const AREA_WIDTH: usize = 6;

/// One area an offer covers, as `dir_service_areas` keeps it.
pub(super) struct AreaRow {
    bounds: BoundingBox,
    extent: String,
}

impl AreaRow {
    pub(super) fn binds<'a>(&'a self, id: &'a str) -> Vec<Bind<'a>> {
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

pub(super) fn area_rows(index: &ServiceIndex) -> Vec<AreaRow> {
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
pub(super) async fn records_after(
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
pub(super) async fn covering(db: &mut impl Db, point: LatLon) -> Result<Vec<String>> {
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

pub(super) const MATCH_INSERT: &str =
    "INSERT INTO dir_service_match (cell, access, service_id, place_no, lat, lon, bits, \
                            minimum_age, maximum_age, h0, h1, h2, facts) VALUES";
pub(super) const MATCH_WIDTH: usize = 13;

/// What matching keeps about one place of an offer (see `dir_service_match`): the columns its
/// candidate query filters on, and everything it reads packed in one (`facts`).
pub(super) struct MatchRow {
    cell: i64,
    place_no: i64,
    point: Option<LatLon>,
    facts: Facts,
    packed: String,
}

impl MatchRow {
    pub(super) fn binds<'a>(&'a self, id: &'a str) -> Vec<Bind<'a>> {
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
pub(super) fn match_rows(index: &ServiceIndex, public: bool) -> Vec<MatchRow> {
    if !public || !index.status.eq_ignore_ascii_case("active") {
        return Vec::new();
    }
    let facts = Facts::of(index);
    if index.places.is_empty() {
        return vec![MatchRow {
            cell: -1,
            place_no: 0,
            point: None,
            packed: crate::packed::pack(&index.id, None, &facts),
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
            packed: crate::packed::pack(&index.id, Some(p.point), &facts),
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
