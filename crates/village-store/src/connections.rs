//! Connections: the candidates matching reads near a person, their saved and dismissed
//! suggestions and preferences, introductions with their history, and in-app notices.

use crate::{Db, Result};
use village_domain::connections::matching::{access_key_ranges, hours_meet, Facts, Preferences};
use village_domain::directory::geo::{circle_rows, BoundingBox, LatLon};
use village_domain::Timestamp;

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

/// A reach of at most this many grid cells (a 10 km circle in England is about 450, 20 km about
/// 1,700) reads its places
/// from [`KeptPlaces`]; a wider one asks the database for only the places that pass.
pub const KEPT_CELLS_AT_MOST: usize = 2_000;

/// One place of an offer as matching keeps it (see [`KeptPlaces`]).
#[derive(Debug, Clone)]
pub(crate) struct KeptPlace {
    pub(crate) id: Box<str>,
    pub(crate) point: Option<LatLon>,
    /// The offer's facts, without the place (`points` is empty).
    pub(crate) facts: Facts,
}

pub(crate) type Cell = std::sync::Arc<[KeptPlace]>;

/// Every place matching keeps (`dir_service_match`), held in memory per grid cell for one
/// generation of the directory, so a person's first suggestions in a dense city do not read
/// and unpack the same thousands of places from the database each time. A cell is read whole
/// the first time a reach needs it; the first reach in a newer generation (any change to any
/// offer moves it on) drops every cell. At most `budget` places are kept, the cells kept
/// longest going first; a reach over more than half that many places is not kept (how many
/// places each cell has is remembered for the generation, so it is counted once).
pub struct KeptPlaces {
    budget: usize,
    inner: std::sync::Mutex<KeptCells>,
    /// Taken to read cells, so a crowd arriving together reads a city once, not once each.
    reading: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct KeptCells {
    generation: i64,
    cells: std::collections::HashMap<i64, Cell>,
    /// The cells in the order they were kept.
    order: std::collections::VecDeque<i64>,
    places: usize,
    /// How many places each cell counted or read so far has.
    counts: std::collections::HashMap<i64, usize>,
}

/// What is kept of the cells a reach needs.
enum Kept {
    /// The cells kept, and those not kept yet.
    Cells(std::collections::HashMap<i64, Cell>, Vec<i64>),
    /// Not to be kept: more places than may be kept for one reach, or an older generation.
    No,
}

impl std::fmt::Debug for KeptPlaces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptPlaces")
            .field("budget", &self.budget)
            .field("places", &self.len())
            .finish()
    }
}

impl KeptPlaces {
    /// Keep up to `budget` places (0 keeps none: every reach asks the database).
    pub fn new(budget: usize) -> Self {
        KeptPlaces {
            budget,
            inner: std::sync::Mutex::default(),
            reading: tokio::sync::Mutex::const_new(()),
        }
    }

    /// How many places are kept now.
    pub fn len(&self) -> usize {
        self.lock().places
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, KeptCells> {
        // A panic elsewhere while holding the lock leaves whole cells behind (a cell is put in
        // with one insert), so what is there is still good.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cells kept for `generation` among `cells`, and the rest.
    fn lookup(&self, generation: i64, cells: &[i64]) -> Kept {
        let mut inner = self.lock();
        if generation > inner.generation {
            *inner = KeptCells {
                generation,
                ..KeptCells::default()
            };
        }
        // A reach that read its generation before a newer reach dropped the cells.
        if generation < inner.generation {
            return Kept::No;
        }
        let known: usize = cells.iter().filter_map(|c| inner.counts.get(c)).sum();
        if known > self.budget / 2 {
            return Kept::No;
        }
        let mut have = std::collections::HashMap::new();
        let mut missing = Vec::new();
        for c in cells {
            match inner.cells.get(c) {
                Some(places) => {
                    have.insert(*c, places.clone());
                }
                None => missing.push(*c),
            }
        }
        Kept::Cells(have, missing)
    }

    /// The cells whose number of places is not known yet.
    fn uncounted(&self, cells: &[i64]) -> Vec<i64> {
        let inner = self.lock();
        cells
            .iter()
            .copied()
            .filter(|c| !inner.counts.contains_key(c))
            .collect()
    }

    /// Remember how many places these cells have (in `generation`).
    fn counted(&self, generation: i64, counts: &[(i64, usize)]) {
        let mut inner = self.lock();
        if inner.generation == generation {
            inner.counts.extend(counts.iter().copied());
        }
    }

    /// Keep cells read for `generation` (unless a newer one came meanwhile), letting the
    /// cells kept longest go to make room.
    fn keep(&self, generation: i64, read: &[(i64, Cell)]) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        for (cell, places) in read {
            inner.counts.insert(*cell, places.len());
            if let Some(old) = inner.cells.insert(*cell, places.clone()) {
                inner.places -= old.len();
            } else {
                inner.order.push_back(*cell);
            }
            inner.places += places.len();
        }
        while inner.places > self.budget {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(gone) = inner.cells.remove(&oldest) {
                inner.places -= gone.len();
            }
        }
    }
}

/// The places of these cells, from those kept (reading the cells not kept yet); `None` when
/// they are not to be kept (none may be, more than [`KEPT_CELLS_AT_MOST`] cells, more places
/// than may be kept for one reach, or an older generation): ask the database for the places
/// that pass then.
pub(crate) async fn kept_cells(
    db: &mut impl Db,
    kept: &KeptPlaces,
    generation: i64,
    wanted: &[i64],
) -> Result<Option<std::collections::HashMap<i64, Cell>>> {
    if kept.budget == 0 || wanted.len() > KEPT_CELLS_AT_MOST {
        return Ok(None);
    }
    let Kept::Cells(mut have, missing) = kept.lookup(generation, wanted) else {
        return Ok(None);
    };
    if !missing.is_empty() {
        // Whoever read before us may have read these.
        let _turn = kept.reading.lock().await;
        let Kept::Cells(more, missing) = kept.lookup(generation, &missing) else {
            return Ok(None);
        };
        have.extend(more);
        if !missing.is_empty() {
            let uncounted = kept.uncounted(&missing);
            if !uncounted.is_empty() {
                kept.counted(generation, &count_cells(db, &uncounted).await?);
                if matches!(kept.lookup(generation, wanted), Kept::No) {
                    return Ok(None);
                }
            }
            let read = read_cells(db, &missing).await?;
            kept.keep(generation, &read);
            have.extend(read);
        }
    }
    Ok(Some(have))
}

/// [`candidates`] near someone from the places kept per cell, reading the cells not kept;
/// `None` when this reach is not to be kept (ask the database for the places that pass).
async fn candidates_kept(
    db: &mut impl Db,
    q: &CandidateQuery,
    rows: &[village_domain::directory::geo::CircleRow],
    kept: &KeptPlaces,
    generation: i64,
) -> Result<Option<Vec<(String, Facts)>>> {
    // Offers with no place (by phone, online) are candidates for everyone: cell -1.
    let wanted: Vec<i64> = rows
        .iter()
        .flat_map(|r| r.cells.0..=r.cells.1)
        .chain([-1])
        .collect();
    let Some(have) = kept_cells(db, kept, generation, &wanted).await? else {
        return Ok(None);
    };
    let passes = |f: &Facts| {
        f.bits & q.essential_bits == q.essential_bits
            && q.ages.is_none_or(|(youngest, oldest)| {
                f.minimum_age.is_none_or(|m| m <= oldest)
                    && f.maximum_age.is_none_or(|m| m >= youngest)
            })
            && match (q.free_hours, f.hours) {
                (Some(free), Some(h)) => hours_meet(&h, &free),
                _ => true,
            }
    };
    let at_most = usize::try_from(q.limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut found: Vec<&KeptPlace> = Vec::new();
    let empty: Cell = std::sync::Arc::new([]);
    'rows: for r in rows {
        let b = r.within;
        for cell in r.cells.0..=r.cells.1 {
            for p in have.get(&cell).unwrap_or(&empty).iter() {
                let inside = p.point.is_some_and(|pt| {
                    (b.min_lat..=b.max_lat).contains(&pt.lat())
                        && (b.min_lon..=b.max_lon).contains(&pt.lon())
                });
                if inside && passes(&p.facts) {
                    found.push(p);
                    if found.len() >= at_most {
                        break 'rows;
                    }
                }
            }
        }
    }
    if found.len() < at_most {
        for p in have.get(&-1).unwrap_or(&empty).iter() {
            if passes(&p.facts) {
                found.push(p);
                if found.len() >= at_most {
                    break;
                }
            }
        }
    }
    Ok(Some(facts_of(found.into_iter().map(|p| {
        let facts = Facts {
            points: p.point.into_iter().collect(),
            ..p.facts.clone()
        };
        (&*p.id, p.point, facts)
    }))))
}

/// Cells written out for `cell IN (…)` (whole numbers Village worked out, never input).
fn cell_list(cells: &[i64]) -> String {
    cells
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many places each of these cells has (0 for a cell with none).
async fn count_cells(db: &mut impl Db, cells: &[i64]) -> Result<Vec<(i64, usize)>> {
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
async fn read_cells(db: &mut impl Db, cells: &[i64]) -> Result<Vec<(i64, Cell)>> {
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
const MAX_PARTS: usize = 128;

const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// One place of an offer as matching reads it, packed into one text: the fields split by the
/// unit separator, the offer's id last (so an id can only break the packing of rows joined
/// together, never of one row).
pub(crate) fn pack(id: &str, point: Option<LatLon>, facts: &Facts) -> String {
    fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
        v.map(|v| v.to_string()).unwrap_or_default()
    }
    let hours = facts.hours;
    let words = facts.words.unwrap_or([0; 4]);
    [
        opt(point.map(LatLon::lat)),
        opt(point.map(LatLon::lon)),
        facts.bits.to_string(),
        opt(facts.minimum_age),
        opt(facts.maximum_age),
        opt(facts.free.map(u8::from)),
        opt(hours.map(|h| h[0])),
        opt(hours.map(|h| h[1])),
        opt(hours.map(|h| h[2])),
        words[0].to_string(),
        words[1].to_string(),
        words[2].to_string(),
        words[3].to_string(),
        id.to_string(),
    ]
    .join(&UNIT.to_string())
}

/// A row packed by [`pack`], read back: the id, the place and the facts (with that place).
/// It runs for each of a dense city's thousands of candidates, so it reads the bytes once,
/// by hand (the separators are ASCII, so every field starts and ends on a character
/// boundary).
fn unpack(record: &str) -> Option<(&str, Option<LatLon>, Facts)> {
    /// The next field, up to its unit separator; `rest` moves past the separator.
    fn cut<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let end = rest.iter().position(|b| *b == UNIT as u8)?;
        let field = rest.get(..end)?;
        *rest = rest.get(end + 1..)?;
        Some(field)
    }
    /// A whole number written by `to_string`: an optional minus and digits, no more than
    /// fit (`i64::MIN` included, so it is counted down from zero).
    fn int(field: &[u8]) -> Option<i64> {
        let (negative, digits) = match field.split_first() {
            Some((b'-', digits)) => (true, digits),
            _ => (false, field),
        };
        if digits.is_empty() {
            return None;
        }
        let mut n: i64 = 0;
        for b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n.checked_mul(10)?.checked_sub(i64::from(b - b'0'))?;
        }
        if negative {
            Some(n)
        } else {
            n.checked_neg()
        }
    }
    fn opt_int(field: &[u8]) -> Option<Option<i64>> {
        if field.is_empty() {
            Some(None)
        } else {
            int(field).map(Some)
        }
    }
    fn opt_float(field: &[u8]) -> Option<Option<f64>> {
        if field.is_empty() {
            Some(None)
        } else {
            std::str::from_utf8(field).ok()?.parse().ok().map(Some)
        }
    }
    let mut rest = record.as_bytes();
    let lat = opt_float(cut(&mut rest)?)?;
    let lon = opt_float(cut(&mut rest)?)?;
    let bits = int(cut(&mut rest)?)?;
    let minimum_age = opt_int(cut(&mut rest)?)?;
    let maximum_age = opt_int(cut(&mut rest)?)?;
    let free = match cut(&mut rest)? {
        b"" => None,
        b"1" => Some(true),
        b"0" => Some(false),
        _ => return None,
    };
    let h0 = opt_int(cut(&mut rest)?)?;
    let h1 = opt_int(cut(&mut rest)?)?;
    let h2 = opt_int(cut(&mut rest)?)?;
    let w0 = int(cut(&mut rest)?)?;
    let w1 = int(cut(&mut rest)?)?;
    let w2 = int(cut(&mut rest)?)?;
    let w3 = int(cut(&mut rest)?)?;
    // The id is the rest, separators and all.
    let id = record.get(record.len() - rest.len()..)?;
    let point = match (lat, lon) {
        (Some(a), Some(b)) => LatLon::new(a, b).ok(),
        _ => None,
    };
    let hours = match (h0, h1, h2) {
        (Some(a), Some(b), Some(c)) => Some([a, b, c]),
        _ => None,
    };
    Some((
        id,
        point,
        Facts {
            bits,
            minimum_age,
            maximum_age,
            free,
            hours,
            points: point.into_iter().collect(),
            words: Some([w0, w1, w2, w3]),
        },
    ))
}

/// One entry per offer with all its places, in the order they first come.
fn facts_of<'a>(
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

// ---- Suggestions kept per person ------------------------------------------------------

/// The directory's generation, and what is kept for this person and scope (key and ideas).
pub async fn cached_ideas(
    db: &mut impl Db,
    person_id: i64,
    scope: &str,
) -> Result<(i64, Option<(String, String)>)> {
    let row: (i64, Option<String>, Option<String>) = query!(db, c => sqlx::query_as(
        "SELECT g.value, s.cache_key, s.ideas FROM dir_generation g \
         LEFT JOIN suggestion_cache s ON s.person_id = $1 AND s.scope = $2 WHERE g.id = 1",
    )
    .bind(person_id)
    .bind(scope)
    .fetch_one(&mut *c)
    .await)?;
    Ok((row.0, row.1.zip(row.2)))
}

pub async fn keep_ideas(
    db: &mut impl Db,
    person_id: i64,
    scope: &str,
    key: &str,
    ideas: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO suggestion_cache (person_id, scope, cache_key, ideas, computed_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (person_id, scope) DO UPDATE SET cache_key = excluded.cache_key, ideas = excluded.ideas, \
         computed_at = excluded.computed_at",
    )
    .bind(person_id)
    .bind(scope)
    .bind(key)
    .bind(ideas)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

// ---- Saved and dismissed suggestions, preferences --------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MarkRow {
    pub service_id: String,
    pub mark: String,
    pub reason: String,
    pub at: i64,
}

pub async fn marks(db: &mut impl Db, person_id: i64) -> Result<Vec<MarkRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT service_id, mark, reason, at FROM suggestion_marks WHERE person_id = $1 ORDER BY at DESC, service_id",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Save or dismiss an offer (replacing any earlier mark).
pub async fn set_mark(
    db: &mut impl Db,
    person_id: i64,
    service_id: &str,
    mark: &str,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO suggestion_marks (person_id, service_id, mark, reason, at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (person_id, service_id) DO UPDATE SET mark = excluded.mark, reason = excluded.reason, at = excluded.at",
    )
    .bind(person_id)
    .bind(service_id)
    .bind(mark)
    .bind(reason)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn clear_mark(db: &mut impl Db, person_id: i64, service_id: &str) -> Result<bool> {
    let n = query!(db, c => sqlx::query("DELETE FROM suggestion_marks WHERE person_id = $1 AND service_id = $2")
        .bind(person_id)
        .bind(service_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The Village terms of the offers a person dismissed (each offer's term ids).
pub async fn dismissed_terms(db: &mut impl Db, person_id: i64) -> Result<Vec<String>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT t.term_id FROM suggestion_marks m JOIN dir_service_terms t ON t.service_id = m.service_id \
         WHERE m.person_id = $1 AND m.mark = 'dismissed' ORDER BY m.service_id, t.term_id",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn preferences(db: &mut impl Db, user_id: i64) -> Result<Preferences> {
    let row: Option<(bool, bool)> = query!(db, c => sqlx::query_as(
        "SELECT lived_experience, free FROM connection_preferences WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(row
        .map(|(lived_experience, free)| Preferences {
            lived_experience,
            free,
        })
        .unwrap_or_default())
}

pub async fn set_preferences(db: &mut impl Db, user_id: i64, p: Preferences) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO connection_preferences (user_id, lived_experience, free) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET lived_experience = excluded.lived_experience, free = excluded.free",
    )
    .bind(user_id)
    .bind(p.lived_experience)
    .bind(p.free)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- Introductions ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IntroductionRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub person_email: String,
    pub service_id: String,
    pub organization_id: Option<String>,
    pub offer_name: String,
    pub requested_by: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: village_domain::connections::introduction::State,
    pub share_support: bool,
    pub contact: String,
    pub message: String,
    pub support_text: String,
    pub reason: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
    pub nudged_at: Option<i64>,
    pub escalated_at: Option<i64>,
}

const INTRODUCTION_SELECT: &str = "SELECT i.id, i.person_id, u.display_name AS person_name, u.email AS person_email, \
    i.service_id, i.organization_id, i.offer_name, i.requested_by, i.state, i.share_support, i.contact, i.message, \
    i.support_text, i.reason, i.created_at, i.updated_at, i.sent_at, i.nudged_at, i.escalated_at \
    FROM introductions i JOIN users u ON u.id = i.person_id";

pub struct NewIntroduction<'a> {
    pub person_id: i64,
    pub service_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub offer_name: &'a str,
    pub requested_by: i64,
    pub share_support: bool,
    pub contact: &'a str,
    pub message: &'a str,
}

pub async fn create_introduction(
    db: &mut impl Db,
    n: &NewIntroduction<'_>,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO introductions (person_id, service_id, organization_id, offer_name, requested_by, state, \
         share_support, contact, message, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(n.person_id)
    .bind(n.service_id)
    .bind(n.organization_id)
    .bind(n.offer_name)
    .bind(n.requested_by)
    .bind(n.share_support)
    .bind(n.contact)
    .bind(n.message)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?;
    add_event(
        db,
        id,
        Some(n.requested_by),
        "request",
        None,
        "requested",
        "",
        now,
    )
    .await?;
    Ok(id)
}

pub async fn introduction(db: &mut impl Db, id: i64) -> Result<Option<IntroductionRow>> {
    let sql = format!("{INTRODUCTION_SELECT} WHERE i.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn introductions_of_person(
    db: &mut impl Db,
    person_id: i64,
) -> Result<Vec<IntroductionRow>> {
    let sql = format!("{INTRODUCTION_SELECT} WHERE i.person_id = $1 ORDER BY i.id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(person_id).fetch_all(&mut *c).await)?)
}

/// The introductions to one organisation's offers that have been sent (never the ones still
/// being written).
pub async fn introductions_to_organization(
    db: &mut impl Db,
    organization_id: &str,
) -> Result<Vec<IntroductionRow>> {
    let sql = format!(
        "{INTRODUCTION_SELECT} WHERE i.organization_id = $1 AND i.sent_at IS NOT NULL ORDER BY i.id DESC"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(organization_id).fetch_all(&mut *c).await)?)
}

/// A change of state, with what goes with it.
pub struct Transition<'a> {
    pub id: i64,
    pub actor: i64,
    pub action: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub reason: &'a str,
    /// The `support` words shared with the group (set when sent; cleared when it ends).
    pub support_text: Option<&'a str>,
}

/// Move an introduction on, only if it is still in `from` (false when someone else moved it
/// first).
pub async fn transition(db: &mut impl Db, t: &Transition<'_>, now: Timestamp) -> Result<bool> {
    let sent = t.to == "sent";
    let n = query!(db, c => sqlx::query(
        "UPDATE introductions SET state = $1, updated_at = $2, reason = CASE WHEN $3 = '' THEN reason ELSE $3 END, \
         support_text = COALESCE($4, support_text), sent_at = CASE WHEN $5 THEN $2 ELSE sent_at END \
         WHERE id = $6 AND state = $7",
    )
    .bind(t.to)
    .bind(now)
    .bind(t.reason)
    .bind(t.support_text)
    .bind(sent)
    .bind(t.id)
    .bind(t.from)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(false);
    }
    add_event(
        db,
        t.id,
        Some(t.actor),
        t.action,
        Some(t.from),
        t.to,
        t.reason,
        now,
    )
    .await?;
    Ok(true)
}

#[allow(clippy::too_many_arguments)]
async fn add_event(
    db: &mut impl Db,
    id: i64,
    actor: Option<i64>,
    action: &str,
    from: Option<&str>,
    to: &str,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO introduction_events (introduction_id, actor_id, action, from_state, to_state, reason, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(actor)
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(reason)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRow {
    pub action: String,
    pub actor_name: Option<String>,
    pub from_state: Option<String>,
    pub to_state: String,
    pub reason: String,
    pub at: i64,
}

pub async fn events(db: &mut impl Db, id: i64) -> Result<Vec<EventRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT e.action, u.display_name AS actor_name, e.from_state, e.to_state, e.reason, e.at \
         FROM introduction_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.introduction_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Introductions sent before `before` that the group has not answered and that have not yet
/// been nudged (`column` = `nudged_at`) or passed to the connector (`escalated_at`).
pub async fn unanswered(
    db: &mut impl Db,
    column: &str,
    before: Timestamp,
) -> Result<Vec<IntroductionRow>> {
    let column = if column == "escalated_at" {
        "escalated_at"
    } else {
        "nudged_at"
    };
    let sql = format!(
        "{INTRODUCTION_SELECT} WHERE i.state = 'sent' AND i.sent_at <= $1 AND i.{column} IS NULL ORDER BY i.id"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(before).fetch_all(&mut *c).await)?)
}

/// Mark an introduction reminded (or passed on); false when another process already did.
pub async fn mark_followed_up(
    db: &mut impl Db,
    id: i64,
    column: &str,
    now: Timestamp,
) -> Result<bool> {
    let sql = if column == "escalated_at" {
        "UPDATE introductions SET escalated_at = $1 WHERE id = $2 AND escalated_at IS NULL"
    } else {
        "UPDATE introductions SET nudged_at = $1 WHERE id = $2 AND nudged_at IS NULL"
    };
    let n = query!(db, c => sqlx::query(sql).bind(now).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

// ---- Notices in the app ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub body: String,
    pub link: String,
    pub at: i64,
    pub read_at: Option<i64>,
}

pub async fn notify(
    db: &mut impl Db,
    user_id: i64,
    body: &str,
    link: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query("INSERT INTO notifications (user_id, body, link, at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(body)
        .bind(link)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn notifications(
    db: &mut impl Db,
    user_id: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, body, link, at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn unread_notifications(db: &mut impl Db, user_id: i64) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn read_notifications(db: &mut impl Db, user_id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- Check-ins ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CheckinRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub moment: village_domain::connections::checkin::Moment,
    pub satisfied: Option<i64>,
    pub worthwhile: Option<i64>,
    pub happy: Option<i64>,
    pub anxious: Option<i64>,
    pub changed: String,
    pub at: i64,
}

pub async fn checkins(db: &mut impl Db, person_id: i64) -> Result<Vec<CheckinRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, moment, satisfied, worthwhile, happy, anxious, changed, at FROM checkins \
         WHERE person_id = $1 ORDER BY at, id",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub struct NewCheckin<'a> {
    pub person_id: i64,
    pub moment: &'a str,
    pub scores: [Option<i64>; 4],
    pub changed: &'a str,
}

/// Record a check-in; a second one for the same moment replaces the first.
pub async fn put_checkin(db: &mut impl Db, n: &NewCheckin<'_>, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO checkins (person_id, moment, satisfied, worthwhile, happy, anxious, changed, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (person_id, moment) DO UPDATE SET \
         satisfied = excluded.satisfied, worthwhile = excluded.worthwhile, happy = excluded.happy, \
         anxious = excluded.anxious, changed = excluded.changed, at = excluded.at",
    )
    .bind(n.person_id)
    .bind(n.moment)
    .bind(n.scores[0])
    .bind(n.scores[1])
    .bind(n.scores[2])
    .bind(n.scores[3])
    .bind(n.changed)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- Shortlists --------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShortlistRow {
    pub id: i64,
    pub person_id: i64,
    pub connector_id: Option<i64>,
    pub connector_name: Option<String>,
    pub title: String,
    pub created_at: i64,
    pub shared_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShortlistItemRow {
    pub shortlist_id: i64,
    pub service_id: String,
    pub offer_name: String,
    pub note: String,
    pub added_at: i64,
    pub picked_at: Option<i64>,
}

const SHORTLIST_SELECT: &str = "SELECT s.id, s.person_id, s.connector_id, u.display_name AS connector_name, \
    s.title, s.created_at, s.shared_at FROM shortlists s LEFT JOIN users u ON u.id = s.connector_id";

pub async fn create_shortlist(
    db: &mut impl Db,
    person_id: i64,
    connector_id: i64,
    title: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO shortlists (person_id, connector_id, title, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(person_id)
    .bind(connector_id)
    .bind(title)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn shortlist(db: &mut impl Db, id: i64) -> Result<Option<ShortlistRow>> {
    let sql = format!("{SHORTLIST_SELECT} WHERE s.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// A person's shortlists: those the connector `by` made for them (shared or not), or, with
/// `None`, only those shared with the person.
pub async fn shortlists_of(
    db: &mut impl Db,
    person_id: i64,
    by: Option<i64>,
) -> Result<Vec<ShortlistRow>> {
    let sql = match by {
        Some(_) => format!("{SHORTLIST_SELECT} WHERE s.person_id = $1 AND s.connector_id = $2 ORDER BY s.id DESC"),
        None => format!("{SHORTLIST_SELECT} WHERE s.person_id = $1 AND s.shared_at IS NOT NULL ORDER BY s.id DESC"),
    };
    Ok(query!(db, c => {
        let q = sqlx::query_as(&sql).bind(person_id);
        match by {
            Some(b) => q.bind(b).fetch_all(&mut *c).await,
            None => q.fetch_all(&mut *c).await,
        }
    })?)
}

pub async fn shortlist_items(db: &mut impl Db, shortlist_id: i64) -> Result<Vec<ShortlistItemRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT shortlist_id, service_id, offer_name, note, added_at, picked_at FROM shortlist_items \
         WHERE shortlist_id = $1 ORDER BY added_at, service_id",
    )
    .bind(shortlist_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn add_shortlist_item(
    db: &mut impl Db,
    shortlist_id: i64,
    service_id: &str,
    offer_name: &str,
    note: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO shortlist_items (shortlist_id, service_id, offer_name, note, added_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (shortlist_id, service_id) DO UPDATE SET note = excluded.note",
    )
    .bind(shortlist_id)
    .bind(service_id)
    .bind(offer_name)
    .bind(note)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn share_shortlist(db: &mut impl Db, id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE shortlists SET shared_at = COALESCE(shared_at, $1) WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn pick_shortlist_item(
    db: &mut impl Db,
    shortlist_id: i64,
    service_id: &str,
    now: Timestamp,
) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE shortlist_items SET picked_at = COALESCE(picked_at, $1) WHERE shortlist_id = $2 AND service_id = $3",
    )
    .bind(now)
    .bind(shortlist_id)
    .bind(service_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_facts_read_back_as_they_were() {
        let facts = Facts {
            bits: (1 << 17) | (1 << 45) | 3,
            minimum_age: Some(18),
            maximum_age: None,
            free: Some(false),
            hours: Some([1 << 40, 0, i64::MAX]),
            points: Vec::new(),
            words: Some([5, -1, 0, 1 << 62]),
        };
        let p = LatLon::new(51.507_412_345_678_9, -0.127_8).unwrap();
        let packed = pack("0a0b0c0d-0000-4000-8000-000000000001", Some(p), &facts);
        let (id, point, back) = unpack(&packed).unwrap();
        assert_eq!(id, "0a0b0c0d-0000-4000-8000-000000000001");
        assert_eq!(point, Some(p));
        assert_eq!(
            back,
            Facts {
                points: vec![p],
                ..facts.clone()
            }
        );
        let online = Facts {
            free: None,
            hours: None,
            minimum_age: None,
            ..facts
        };
        let packed = pack("x", None, &online);
        let (_, point, back) = unpack(&packed).unwrap();
        assert_eq!(point, None);
        assert_eq!(back, online);
        assert!(unpack("not packed").is_none());
        // The extremes of every whole number read back; anything else is refused.
        let extremes = Facts {
            bits: i64::MIN,
            minimum_age: Some(0),
            maximum_age: Some(i64::MAX),
            free: Some(true),
            hours: Some([i64::MIN, -1, i64::MAX]),
            points: Vec::new(),
            words: Some([i64::MIN, i64::MAX, -9, 10]),
        };
        let packed = pack("y", None, &extremes);
        assert_eq!(unpack(&packed).unwrap().2, extremes);
        let u = UNIT;
        for bad in [
            format!("{u}{u}-{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}1x{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}9223372036854775808{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}1{u}{u}{u}2{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("north{u}{u}1{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}1{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4"),
        ] {
            assert!(unpack(&bad).is_none(), "{bad:?} was read");
        }
        let fine = format!("{u}{u}1{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id");
        assert_eq!(unpack(&fine).unwrap().0, "id");
        // An id holding the field separator still reads back (it comes last).
        let odd = format!("odd{UNIT}id");
        let packed = pack(&odd, None, &online);
        assert_eq!(unpack(&packed).unwrap().0, odd);
    }
}
