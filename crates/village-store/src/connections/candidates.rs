//! The candidates matching reads near a person: offers in the cells of a bounding box that pass the hard filters.

use super::*;

/// Where and what to look for: every filter may only leave out offers a hard constraint
/// would rule out anyway (the exact check comes after).
#[derive(Debug, Clone, Default)]
pub struct CandidateQuery {
    /// Places within this many kilometres of this point (read as the rows of grid cells the
    /// circle reaches); `None` reads every place (a small directory only).
    pub near: Option<(LatLon, f64)>,
    /// Bits every candidate must have (essential access needs).
    pub essential_bits: i64,
    /// The ages the person may be.
    pub ages: Option<(i64, i64)>,
    /// The hours the person is free.
    pub free_hours: Option<[i64; 3]>,
    /// Read at most this many rows (one more tells the caller there were more).
    pub limit: i64,
}

/// The candidates, one per offer with all its places that passed. With `kept` (the places
/// kept in memory and the directory's generation, read before this), a reach of up to
/// [`KEPT_CELLS_AT_MOST`] cells and half the places `kept` may hold reads its cells from
/// there, and from the database only the cells not kept yet; the answer is the same either
/// way.
pub async fn candidates(
    db: &mut impl Db,
    q: &CandidateQuery,
    kept: Option<(&KeptPlaces, i64)>,
) -> Result<Vec<(String, Facts)>> {
    if let (Some((kept, generation)), Some((centre, km))) = (kept, q.near) {
        if let Some(rows) = circle_rows(centre, km) {
            if let Some(found) = candidates_kept(db, q, &rows, kept, generation).await? {
                return Ok(found);
            }
        }
    }
    let mut args: Vec<i64> = Vec::new();
    let arg = |v: i64, args: &mut Vec<i64>| {
        args.push(v);
        format!("$I{}", args.len())
    };
    let mut filters = Vec::new();
    if q.essential_bits != 0 {
        let p = arg(q.essential_bits, &mut args);
        filters.push(format!("(bits & {p}) = {p}"));
    }
    if let Some((youngest, oldest)) = q.ages {
        let o = arg(oldest, &mut args);
        let y = arg(youngest, &mut args);
        filters.push(format!(
            "(minimum_age IS NULL OR minimum_age <= {o}) AND (maximum_age IS NULL OR maximum_age >= {y})"
        ));
    }
    if let Some(h) = q.free_hours {
        let a = arg(h[0], &mut args);
        let b = arg(h[1], &mut args);
        let c = arg(h[2], &mut args);
        filters.push(format!(
            "(h0 IS NULL OR (h0 & {a}) <> 0 OR (h1 & {b}) <> 0 OR (h2 & {c}) <> 0)"
        ));
    }
    let mut parts = Vec::new();
    // Rows are in order of cell, then access key: with an essential need, each cell is read
    // only where its keys have that need (a few runs of keys), not whole. One part per row
    // of cells and run: a wide reach reads whole cells instead, so the statement stays well
    // inside SQLite's 500 parts to a compound query.
    let rows: Vec<((i64, i64), BoundingBox)> = match q.near {
        Some((centre, km)) => match circle_rows(centre, km) {
            Some(rows) => rows.into_iter().map(|r| (r.cells, r.within)).collect(),
            None => {
                let b = BoundingBox::around(centre, km);
                b.cell_ranges().into_iter().map(|c| (c, b)).collect()
            }
        },
        None => Vec::new(),
    };
    let rows_of_cells = rows.len().max(1);
    let keys = access_key_ranges(q.essential_bits, 8)
        .filter(|runs| (rows_of_cells + 1) * runs.len() <= MAX_PARTS);
    let select = |place: String, parts: &mut Vec<String>| {
        let key_runs: Vec<Option<(i64, i64)>> = match &keys {
            Some(runs) => runs.iter().copied().map(Some).collect(),
            None => vec![None],
        };
        for run in key_runs {
            let mut w = vec![place.clone()];
            if let Some((a, b)) = run {
                w.push(format!("access BETWEEN {a} AND {b}"));
            }
            w.extend(filters.iter().cloned());
            parts.push(format!(
                "SELECT facts FROM dir_service_match WHERE {}",
                w.join(" AND ")
            ));
        }
    };
    match &q.near {
        Some(_) => {
            for ((lo, hi), b) in rows {
                // The row's own edges, written out (shortest exact decimal of each number).
                let in_box = format!(
                    "lat BETWEEN {} AND {} AND lon BETWEEN {} AND {}",
                    b.min_lat, b.max_lat, b.min_lon, b.max_lon
                );
                // Each cell looked up by itself (so its runs of keys can be), unless the row
                // of cells is long.
                let place = if keys.is_some() && hi - lo < 200 {
                    let cells: Vec<String> = (lo..=hi).map(|c| c.to_string()).collect();
                    format!("cell IN ({}) AND {in_box}", cells.join(", "))
                } else {
                    let l = arg(lo, &mut args);
                    let h = arg(hi, &mut args);
                    format!("cell BETWEEN {l} AND {h} AND {in_box}")
                };
                select(place, &mut parts);
            }
            // Offers with no place (by phone, online) are candidates for everyone.
            select("cell = -1".to_string(), &mut parts);
        }
        None => {
            let w = if filters.is_empty() {
                "TRUE".to_string()
            } else {
                filters.join(" AND ")
            };
            parts.push(format!("SELECT facts FROM dir_service_match WHERE {w}"));
        }
    }
    let limit = arg(q.limit.saturating_add(1), &mut args);
    let sql = format!("{} LIMIT {limit}", parts.join(" UNION ALL "));
    let n = args.len();
    let mut sql = sql;
    for i in (1..=n).rev() {
        sql = sql.replace(&format!("$I{i}"), &format!("${i}"));
    }
    // Thousands of candidate rows come back for a dense city. Row by row, the driver's
    // per-row cost dwarfs the query, so the rows' packed facts come back joined into one
    // string (rows split by the record separator) and are read here.
    let packed: Option<String> = match crate::db::Db::exec(db.as_db()) {
        crate::db::Exec::Sqlite(c) => {
            let sql = format!("SELECT group_concat(facts, '{RECORD}') FROM ({sql}) AS candidates");
            let mut query = sqlx::query_scalar(&sql);
            for a in &args {
                query = query.bind(*a);
            }
            query.fetch_one(&mut *c).await?
        }
        crate::db::Exec::Postgres(c) => {
            let sql = format!("SELECT string_agg(facts, '{RECORD}') FROM ({sql}) AS candidates");
            let mut query = sqlx::query_scalar(&sql);
            for a in &args {
                query = query.bind(*a);
            }
            query.fetch_one(&mut *c).await?
        }
    };
    let Some(packed) = packed else {
        return Ok(Vec::new());
    };
    let rows: Option<Vec<_>> = packed.split(RECORD).map(unpack).collect();
    if let Some(rows) = rows {
        return Ok(facts_of(rows.into_iter()));
    }
    // A row that cannot be split back (an id holding a separator): read them one by one.
    let rows: Vec<String> = query!(db, c => {
        let mut query = sqlx::query_scalar(&sql);
        for a in &args {
            query = query.bind(*a);
        }
        query.fetch_all(&mut *c).await
    })?;
    Ok(facts_of(rows.iter().filter_map(|r| unpack(r))))
}
