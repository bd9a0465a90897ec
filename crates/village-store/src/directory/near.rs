//! Searching near a place: candidates in the bounding box, each measured to its nearest place, in order of distance.

use super::*;

/// One row of a distance search: the row's id, the offer's id, a place (if any) and how well
/// the offer fits the words (lower is better).
type PlacedRow = (String, String, Option<f64>, Option<f64>, f64);

/// An offer found near a place: its row id, its id, its nearest distance, its place in the
/// SQL order, and how well it fits the words.
type Scored = (String, String, Option<f64>, usize, f64);

/// Distance searches: the bounding box has narrowed the candidates in SQL; here each gets its
/// exact distance (to its nearest place), those too far are dropped, and the rest are put in
/// order and paged.
/// With words, the best fit comes first and, among offers that fit them equally well
/// (`fit`, lower is better), the nearest.
#[allow(clippy::too_many_arguments)]
pub(super) async fn geographic(
    db: &mut impl Db,
    filter: &ServiceFilter,
    from: &str,
    id_column: &str,
    where_: &str,
    order: &str,
    fit: &str,
    args: &[Arg],
) -> Result<(Vec<(String, String)>, i64)> {
    // One row per (offer, place); an offer without a place comes once, with no point.
    let sql = format!(
        "SELECT {id_column}, s.id, p.lat, p.lon, {fit} FROM {from} \
         LEFT JOIN dir_service_places p ON p.service_id = s.id WHERE {where_} ORDER BY {order}"
    );
    let rows: Vec<PlacedRow> = query!(db, c => {
        let q = bind_args!(sqlx::query_as(&sql), args);
        q.fetch_all(&mut *c).await
    })?;
    let centre = filter.near.map(|(c, _)| c).or(filter.sort_from);
    let Some(centre) = centre else {
        return Ok((Vec::new(), 0));
    };
    // Nearest place per offer, keeping the order offers first appear in.
    let mut order_seen: Vec<String> = Vec::new();
    let mut best: std::collections::HashMap<String, (String, Option<f64>, f64)> =
        std::collections::HashMap::new();
    for (row_id, doc, lat, lon, fit) in rows {
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
                best.insert(row_id, (doc, d, fit));
            }
        }
    }
    let mut scored: Vec<Scored> = Vec::with_capacity(order_seen.len());
    for (rank, row_id) in order_seen.into_iter().enumerate() {
        let Some((doc, distance, fit)) = best.remove(&row_id) else {
            continue;
        };
        if let Some((_, km)) = filter.near {
            if !distance.is_some_and(|d| d <= km) {
                continue;
            }
        }
        scored.push((row_id, doc, distance, rank, fit));
    }
    // Nearest first; anything without a place last; ties keep the SQL order.
    let nearest = |a: &(String, String, Option<f64>, usize, f64),
                   b: &(String, String, Option<f64>, usize, f64)| match (a.2, b.2)
    {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.3.cmp(&b.3)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.3.cmp(&b.3),
    };
    match filter.sort {
        SortOrder::Nearest => scored.sort_by(nearest),
        SortOrder::Name => {}
        // Without words, nearest first; with words, the best fit first and, among offers
        // that fit the words equally well, the nearest.
        SortOrder::Best => scored.sort_by(|a, b| a.4.total_cmp(&b.4).then_with(|| nearest(a, b))),
    }
    let total = i64::try_from(scored.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(filter.offset).unwrap_or(usize::MAX);
    let take = usize::try_from(filter.limit).unwrap_or(0);
    let page = scored
        .into_iter()
        .skip(start)
        .take(take)
        .map(|(id, service, _, _, _)| (id, service))
        .collect();
    Ok((with_docs(db, page).await?, total))
}

/// The first radius read outwards from a centre, in kilometres; each round doubles it.
pub(super) const FIRST_REACH_KM: f64 = 0.5;

/// How many offers a round of [`nearby`] checks against the other filters in one statement.
pub(super) const CHECK_BATCH: usize = 400;

/// A search near a point, without words: the places kept for matching (`dir_service_match`,
/// in order of grid cell) are read in widening circles from the centre, each cell once, until
/// the page and the count are known, so a dense city costs the places near its centre, not
/// the tens of thousands within the whole distance. Filters that are bits of those rows (Village's
/// categories, access, communities, space, lived experience) and ages are read with the
/// places; any other filter is checked for the offers found, a batch at a time. Offers that are
/// public but not active have no matching rows and are read the old way (they are few).
///
/// `None` when the circle is too big for rows of cells (then the caller searches the old way).
pub(super) async fn nearby(
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
pub(super) async fn places_read(
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
pub(super) async fn passing(
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
pub(super) async fn page_by_name_within_ties(
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
