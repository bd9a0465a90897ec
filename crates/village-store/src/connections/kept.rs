//! The directory's places kept in memory per grid cell, so matching near a person need not read them again while the directory is unchanged.

use super::*;

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
pub(super) struct KeptCells {
    generation: i64,
    cells: std::collections::HashMap<i64, Cell>,
    /// The cells in the order they were kept.
    order: std::collections::VecDeque<i64>,
    places: usize,
    /// How many places each cell counted or read so far has.
    counts: std::collections::HashMap<i64, usize>,
}

/// What is kept of the cells a reach needs.
pub(super) enum Kept {
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
pub(super) async fn candidates_kept(
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
