//! Reading a grid cell's places and facts, packed into one text per cell on SQLite.

use super::*;

/// Cells written out for `cell IN (…)` (whole numbers Village worked out, never input).
pub(super) fn cell_list(cells: &[i64]) -> String {
    cells
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many places each of these cells has (0 for a cell with none).
pub(super) async fn count_cells(db: &mut impl Db, cells: &[i64]) -> Result<Vec<(i64, usize)>> {
    let list = cell_list(cells);
    let sql = format!(
        "SELECT cell, CAST(count(*) AS BIGINT) FROM dir_service_match WHERE cell IN ({list}) GROUP BY cell"
    );
    let counted: Vec<(i64, i64)> = query!(db, c => sqlx::query_as(&sql).fetch_all(&mut *c).await)?;
    let counted: std::collections::HashMap<i64, i64> = counted.into_iter().collect();
    Ok(cells
        .iter()
        .map(|c| {
            let n = counted.get(c).copied().unwrap_or(0);
            (*c, usize::try_from(n).unwrap_or(0))
        })
        .collect())
}

/// Every place matching keeps in these cells (cells with none are read as empty), each
/// cell's in the order of its key.
pub(super) async fn read_cells(db: &mut impl Db, cells: &[i64]) -> Result<Vec<(i64, Cell)>> {
    let timer = std::time::Instant::now();
    let list = cell_list(cells);
    let mut by_cell: std::collections::BTreeMap<i64, Vec<KeptPlace>> =
        cells.iter().map(|c| (*c, Vec::new())).collect();
    // Joined into one text as `candidates` does (a row at a time costs more than the reading).
    let packed: Option<String> = match crate::db::Db::exec(db.as_db()) {
        crate::db::Exec::Sqlite(c) => {
            sqlx::query_scalar(&format!(
                "SELECT group_concat(cell || '{UNIT}' || facts, '{RECORD}') \
                 FROM dir_service_match WHERE cell IN ({list})"
            ))
            .fetch_one(&mut *c)
            .await?
        }
        crate::db::Exec::Postgres(c) => {
            sqlx::query_scalar(&format!(
                "SELECT string_agg(cell::text || '{UNIT}' || facts, '{RECORD}' ORDER BY cell, access, service_id, place_no) \
                 FROM dir_service_match WHERE cell IN ({list})"
            ))
            .fetch_one(&mut *c)
            .await?
        }
    };
    let place = |facts: &str| {
        let (id, point, mut facts) = unpack(facts)?;
        facts.points = Vec::new();
        Some(KeptPlace {
            id: id.into(),
            point,
            facts,
        })
    };
    // Each place straight into its cell; a row that cannot be split back (an id holding a
    // separator) has them read again one by one.
    let mut places = 0usize;
    let mut whole = true;
    for r in packed.as_deref().into_iter().flat_map(|p| p.split(RECORD)) {
        let read = r
            .split_once(UNIT)
            .and_then(|(cell_no, facts)| Some((cell_no.parse::<i64>().ok()?, place(facts)?)));
        match read.and_then(|(cell_no, p)| Some((by_cell.get_mut(&cell_no)?, p))) {
            Some((kept, p)) => {
                kept.push(p);
                places += 1;
            }
            None => {
                whole = false;
                break;
            }
        }
    }
    drop(packed);
    if !whole {
        let sql = format!(
            "SELECT cell, facts FROM dir_service_match WHERE cell IN ({list}) \
             ORDER BY cell, access, service_id, place_no"
        );
        let rows: Vec<(i64, String)> =
            query!(db, c => sqlx::query_as(&sql).fetch_all(&mut *c).await)?;
        by_cell.values_mut().for_each(Vec::clear);
        places = 0;
        for (cell_no, facts) in &rows {
            if let (Some(kept), Some(p)) = (by_cell.get_mut(cell_no), place(facts)) {
                kept.push(p);
                places += 1;
            }
        }
    }
    tracing::debug!(
        cells = cells.len(),
        places,
        ms = timer.elapsed().as_secs_f64() * 1000.0,
        "places read for matching"
    );
    Ok(by_cell
        .into_iter()
        .map(|(cell_no, places)| (cell_no, places.into()))
        .collect())
}

/// The most parts (one per row of cells and run of access keys) a candidate query is split
/// into.
pub(super) const MAX_PARTS: usize = 128;

/// One entry per offer with all its places, in the order they first come.
pub(super) fn facts_of<'a>(
    rows: impl Iterator<Item = (&'a str, Option<LatLon>, Facts)>,
) -> Vec<(String, Facts)> {
    let mut out: Vec<(String, Facts)> = Vec::new();
    let mut by_id: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (id, point, facts) in rows {
        if let Some(&i) = by_id.get(id) {
            if let Some(p) = point {
                out[i].1.points.push(p);
            }
            continue;
        }
        by_id.insert(id, out.len());
        out.push((id.to_string(), facts));
    }
    out
}
