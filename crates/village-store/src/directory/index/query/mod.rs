//! Searching the index: a [`ServiceFilter`] becomes one tantivy query (every filter but ages a
//! clause that must hold, so tantivy walks the rarest list and skips through the others), then
//! each offer it finds is checked exactly where the index holds only an outline (a place's
//! exact distance, a time's exact minutes) and for ages, then put in order and paged.
//!
//! The order (see `docs/API.md`):
//! - words alone: how well the words fit (BM25: name counting three times, description once,
//!   organisation half), best first;
//! - near a place without words, or `sort=nearest`: nearest first;
//! - near a place with words: fit weighed by distance, `fit / (1 + 3 d / R)` where `d` is the
//!   distance to the offer's nearest place and `R` the distance searched (10 km when none is
//!   given): a match at the edge of the area needs to fit four times as well as one right
//!   here; then the nearer;
//! - otherwise by name.
//!
//! Ties go by name, then id, so the order never depends on how the index is laid out.

use super::*;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, Scorer,
    TermQuery, TermSetQuery, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

mod by_fit;
mod cells;
mod near;
mod plan;
mod segments;
mod words;
use by_fit::*;
pub(crate) use by_fit::{KeptByFit, COMMON_WORDS_KEPT};
use cells::*;
pub(crate) use cells::{KeptCircles, CIRCLES_KEPT};
use near::*;
pub(crate) use near::{KeptBestFits, BEST_FITS_KEPT};
use plan::*;
use segments::*;
pub(crate) use words::KeptFits;
use words::*;

/// Answers worked out on one generation of the index, kept until it changes; at most as many
/// as it was made to keep (beyond it the kept ones are forgotten).
pub(crate) struct PerGeneration<K, V> {
    kept: Mutex<(u64, HashMap<K, V>)>,
    most: usize,
}

impl<K, V> PerGeneration<K, V> {
    /// Keeping at most `most` answers at once (none for 0).
    pub(crate) fn keeping(most: usize) -> Self {
        PerGeneration {
            kept: Mutex::new((0, HashMap::new())),
            most,
        }
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> PerGeneration<K, V> {
    /// The answer kept for `key` on this searcher's generation, else `work`'s (then kept).
    fn get_or_work<Q>(
        &self,
        searcher: &tantivy::Searcher,
        key: &Q,
        work: impl FnOnce() -> Result<V>,
    ) -> Result<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let generation = searcher.generation().generation_id();
        let known = self.kept.lock().ok().and_then(|kept| {
            (kept.0 == generation)
                .then(|| kept.1.get(key).cloned())
                .flatten()
        });
        if let Some(known) = known {
            return Ok(known);
        }
        let answer = work()?;
        if self.most == 0 {
            return Ok(answer);
        }
        if let Ok(mut kept) = self.kept.lock() {
            if kept.0 != generation || kept.1.len() >= self.most {
                *kept = (generation, HashMap::new());
            }
            kept.1.insert(key.to_owned(), answer.clone());
        }
        Ok(answer)
    }
}

/// The distance a blend of fit and distance is measured against when the search gives none.
const BLEND_KM: f64 = 10.0;

/// What the index found for one search: the offers of the page in order (for a list of
/// places, the offers holding the page's rows, and how many rows of the first to skip), and
/// the number of matches (rows, for a list of places).
#[derive(Debug, Default)]
pub struct IndexFound {
    pub services: Vec<String>,
    pub skip_rows: usize,
    pub total: i64,
}

/// One offer found: its score, distance, and where it is.
#[derive(Clone, Copy)]
struct Hit {
    score: Score,
    distance: Option<f64>,
    name_key: (u64, u64),
    sal_count: u64,
    segment: SegmentOrdinal,
    doc: DocId,
}

struct Finder {
    exact: Exact,
    scoring: bool,
    columns: Vec<Arc<Columns>>,
}

struct SegmentFinder {
    exact: Exact,
    segment: SegmentOrdinal,
    columns: Arc<Columns>,
    hits: Vec<Hit>,
}

impl Collector for Finder {
    type Fruit = Vec<Hit>;
    type Child = SegmentFinder;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFinder> {
        Ok(SegmentFinder {
            exact: self.exact.clone(),
            segment,
            columns: usize::try_from(segment)
                .ok()
                .and_then(|at| self.columns.get(at))
                .cloned()
                .ok_or_else(|| {
                    tantivy::TantivyError::InternalError(format!(
                        "no columns opened for segment {segment} of {}",
                        reader.segment_id().short_uuid_string()
                    ))
                })?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Hit>>) -> tantivy::Result<Vec<Hit>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentFinder {
    type Fruit = Vec<Hit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(distance) = examine(&self.exact, &self.columns, doc) else {
            return;
        };
        self.hits.push(Hit {
            score,
            distance,
            name_key: (
                self.columns.name_key.first(doc).unwrap_or(0),
                self.columns.name_key2.first(doc).unwrap_or(0),
            ),
            sal_count: self.columns.sal_count.first(doc).unwrap_or(0),
            segment: self.segment,
            doc,
        });
    }

    fn harvest(self) -> Vec<Hit> {
        self.hits
    }
}

/// Whether an offer passes what is checked exactly (`None` if not), and its distance from
/// the centre (if there is one).
fn examine(e: &Exact, c: &Columns, doc: DocId) -> Option<Option<f64>> {
    let (geo, slots) = (&c.geo, &c.slots);
    if e.ages.asked() {
        let minimum = c.min_age.first(doc).unwrap_or(NO_MINIMUM);
        let maximum = c.max_age.first(doc).unwrap_or(NO_MAXIMUM);
        if !e.ages.meet(minimum, maximum) {
            return None;
        }
    }
    if let Some(times) = &e.times {
        if !slots
            .values_for_doc(doc)
            .any(|v| times.meets(unpack_slot(v)))
        {
            return None;
        }
    }
    let mut distance = None;
    if e.centre.is_some() || e.inside.is_some() {
        let mut inside = e.inside.is_none();
        for p in geo.values_for_doc(doc).filter_map(unpack_point) {
            if let Some(b) = &e.inside {
                inside |= b.contains(p);
            }
            if let Some(c) = e.centre {
                let d = distance_km(c, p);
                distance = Some(distance.map_or(d, |m: f64| m.min(d)));
            }
        }
        if !inside {
            return None;
        }
        if let Some(km) = e.within_km {
            if !distance.is_some_and(|d| d <= km) {
                return None;
            }
        }
    }
    Some(distance)
}

/// Filters the index cannot answer on its own, read from the database beforehand.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The terms of the taxonomy searched for (`taxonomy_id`).
    pub taxonomy_terms: Option<Vec<String>>,
    /// The offers whose areas cover the point searched for (`covering`).
    pub covering: Option<Vec<String>>,
}

impl SearchIndex {
    /// The page and count of a search (see the module's notes for the order).
    pub fn search(&self, filter: &ServiceFilter, resolved: &Resolved) -> Result<IndexFound> {
        let Some(planned) = plan(&self.fields, filter, resolved) else {
            return Ok(IndexFound::default());
        };
        let exact = planned.exact.clone();
        let words = filter.words().is_some();
        let searcher = self.reader.searcher();
        let columns = self.columns.of(&searcher)?;
        // Unless the order weighs distance, each segment gives its first offers in order and
        // those are merged; otherwise the offers are found and put in order.
        let by_point = exact.centre.is_some();
        if !by_point || filter.sort == SortOrder::Name {
            return ordered_by_segments(self, &searcher, &columns, &planned, filter, words);
        }
        let finder = Finder {
            exact: exact.clone(),
            scoring: words,
            columns: columns.clone(),
        };
        let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
        let limit = usize::try_from(filter.limit).unwrap_or(0);
        let needed = offset.saturating_add(limit);
        let reach = filter.near.map_or(BLEND_KM, |(_, km)| km.max(0.1));
        let nearest_first = filter.sort == SortOrder::Nearest || !words;
        // The primary key of the order, lower first.
        let primary = |h: &Hit| -> f64 {
            let far = h.distance.unwrap_or(f64::INFINITY);
            if nearest_first {
                far
            } else {
                let d = h.distance.unwrap_or(reach * 10.0);
                -f64::from(h.score) / (1.0 + 3.0 * d / reach)
            }
        };
        // Near a place, the circle is read a ring at a time, nearest first, until no offer
        // further out could reach the page: one further than any offer on it, or (with words)
        // one fitting the words as well as any offer could, at the distance of the next ring,
        // ranking below the page's last.
        // A search not yet counted reads the whole circle: in one go. One in order of
        // distance from a point with no circle reads rings around it while it is counted,
        // and everything at once when the rings do not fill the page.
        let known = filter.total_known.is_some() && needed > 0;
        // Words rarer in the whole index than places in the circle lead instead: each offer
        // holding them is checked for its distance, and the circle's cells are not read.
        let word_led = match (
            &planned.circle,
            rarest_word_offers(&searcher, &self.fields, filter),
        ) {
            (Some(ranges), Some(offers)) => offers < self.listed_in_circle(&searcher, ranges)?,
            _ => false,
        };
        let rings: Option<Box<dyn Iterator<Item = Ring>>> = match (&planned.circle, filter.near) {
            _ if word_led => None,
            (Some(ranges), Some(_)) if needed > 0 && !known => {
                Some(Box::new(std::iter::once((ranges.clone(), f64::INFINITY))))
            }
            (Some(_), Some((centre, km))) if known => {
                rings(centre, km).map(|r| Box::new(r) as Box<dyn Iterator<Item = Ring>>)
            }
            (None, None) if known => exact
                .centre
                .and_then(rings_from)
                .map(|r| Box::new(r) as Box<dyn Iterator<Item = Ring>>),
            _ => None,
        };
        let mut hits: Vec<Hit> = Vec::new();
        // Whether every match that could be on the page has been read.
        let mut done = false;
        if let Some(rings) = rings {
            let best_fit = if nearest_first {
                0.0
            } else {
                self.best_possible_fit(&searcher, filter)?
            };
            let near = NearWeights::of(self, &searcher, filter, &planned)?;
            let mut keys: Vec<f64> = Vec::new();
            // An offer met in places in two rings is found in both (at its nearest each time).
            let mut seen: std::collections::HashSet<(SegmentOrdinal, DocId)> = Default::default();
            for (ring, beyond) in rings {
                let mut found = near.hits(&searcher, &columns, self.fields.cell, &ring, &exact)?;
                found.retain(|h| seen.insert((h.segment, h.doc)));
                keys.extend(found.iter().map(&primary));
                hits.extend(found);
                if beyond.is_infinite() {
                    done = true;
                    break;
                }
                // Stopping early is for a search already counted.
                if known && keys.len() >= needed {
                    let (_, page_last, _) = keys.select_nth_unstable_by(needed - 1, f64::total_cmp);
                    let could_reach = if nearest_first {
                        beyond
                    } else {
                        -best_fit / (1.0 + 3.0 * beyond / reach)
                    };
                    if *page_last < could_reach {
                        done = true;
                        break;
                    }
                }
            }
        }
        if !done {
            let query = planned.query(!word_led);
            hits = searcher.search(&query, &finder).map_err(index_error)?;
        }
        let total: u64 = match filter.total_known {
            Some(t) => u64::try_from(t).unwrap_or(0),
            None if filter.per_location => hits.iter().map(|h| h.sal_count).sum(),
            None => hits.len() as u64,
        };
        let keyed: Vec<(f64, f64, Hit)> = hits
            .drain(..)
            .map(|h| (primary(&h), h.distance.unwrap_or(f64::INFINITY), h))
            .collect();
        let names = Names::new(&columns);
        let ordered = order(keyed, offset.saturating_add(limit), filter, &names);
        let total = i64::try_from(total).unwrap_or(i64::MAX);
        if filter.per_location {
            let rows = |h: &Hit| usize::try_from(h.sal_count).unwrap_or(0);
            let (services, skip_rows) =
                page_of_places(&ordered, offset, limit, rows, |h| names.id(h));
            return Ok(IndexFound {
                services,
                skip_rows,
                total,
            });
        }
        let services = ordered
            .iter()
            .skip(offset)
            .take(limit)
            .map(|h| names.id(h))
            .collect();
        Ok(IndexFound {
            services,
            skip_rows: 0,
            total,
        })
    }
}

/// How many offers (or, for a list of places, places) match: read from each segment's lists
/// when nothing is checked per offer, else by checking each.
fn count(
    searcher: &tantivy::Searcher,
    columns: &[Arc<Columns>],
    weight: &dyn Weight,
    exact: &Exact,
    per_location: bool,
) -> Result<i64> {
    let checks = exact.times.is_some()
        || exact.inside.is_some()
        || exact.within_km.is_some()
        || exact.ages.asked();
    let mut total: u64 = 0;
    for (reader, columns) in searcher.segment_readers().iter().zip(columns) {
        if !checks && !per_location {
            total += u64::from(weight.count(reader).map_err(index_error)?);
            continue;
        }
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0).map_err(index_error)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) && examine(exact, columns, doc).is_some() {
                total += if per_location {
                    columns.sal_count.first(doc).unwrap_or(0)
                } else {
                    1
                };
            }
            doc = scorer.advance();
        }
    }
    Ok(i64::try_from(total).unwrap_or(i64::MAX))
}

/// The columns an offer is checked, put in order and named by, for one segment.
pub(super) struct Columns {
    min_age: Column<i64>,
    max_age: Column<i64>,
    geo: Column<u64>,
    slots: Column<u64>,
    name_key: Column<u64>,
    name_key2: Column<u64>,
    sal_count: Column<u64>,
    id_hi: Column<u64>,
    id_lo: Column<u64>,
    /// The whole names and ids.
    name_sort: Option<StrColumn>,
    id: Option<StrColumn>,
}

impl Columns {
    fn of(reader: &SegmentReader) -> Result<Columns> {
        let fast = reader.fast_fields();
        let column = |name: &str| fast.u64(name).map_err(index_error);
        Ok(Columns {
            min_age: fast.i64("min_age").map_err(index_error)?,
            max_age: fast.i64("max_age").map_err(index_error)?,
            geo: column("geo")?,
            slots: column("slots")?,
            name_key: column("name_key")?,
            name_key2: column("name_key2")?,
            sal_count: column("sal_count")?,
            id_hi: column("id_hi")?,
            id_lo: column("id_lo")?,
            name_sort: fast.str("name_sort").map_err(index_error)?,
            id: fast.str("id").map_err(index_error)?,
        })
    }
}

/// Each segment's columns, opened once for as long as the segment is in the index: opening a
/// column reads its index of blocks, which at a million offers cost more than a search near a
/// place. A segment never changes, so its columns are good until it is merged away.
#[derive(Default)]
pub(super) struct OpenColumns(Mutex<HashMap<tantivy::index::SegmentId, Arc<Columns>>>);

impl OpenColumns {
    /// The columns of each of the searcher's segments, in its order.
    pub(super) fn of(&self, searcher: &tantivy::Searcher) -> Result<Vec<Arc<Columns>>> {
        let mut kept = self
            .0
            .lock()
            .map_err(|_| index_error(tantivy::TantivyError::Poisoned))?;
        let mut out = Vec::new();
        for reader in searcher.segment_readers() {
            let id = reader.segment_id();
            let columns = match kept.get(&id) {
                Some(columns) => columns.clone(),
                None => {
                    let columns = Arc::new(Columns::of(reader)?);
                    kept.insert(id, columns.clone());
                    columns
                }
            };
            out.push(columns);
        }
        // Segments merged away are forgotten (a search still reading them holds its own).
        if kept.len() > out.len() * 2 + 8 {
            let now: std::collections::HashSet<tantivy::index::SegmentId> = searcher
                .segment_readers()
                .iter()
                .map(SegmentReader::segment_id)
                .collect();
            kept.retain(|id, _| now.contains(id));
        }
        Ok(out)
    }
}

/// The offers holding a page of places, in order, and how many places of the first to skip.
fn page_of_places<T>(
    ordered: &[T],
    offset: usize,
    limit: usize,
    rows: impl Fn(&T) -> usize,
    id: impl Fn(&T) -> String,
) -> (Vec<String>, usize) {
    let mut seen = 0usize;
    let mut services = Vec::new();
    let mut skip_rows = 0;
    for item in ordered {
        let n = rows(item);
        if seen + n > offset {
            if services.is_empty() {
                skip_rows = offset.saturating_sub(seen);
            }
            services.push(id(item));
        }
        seen += n;
        if seen >= offset.saturating_add(limit) {
            break;
        }
    }
    (services, skip_rows)
}

/// Names and ids of the offers, per segment, read only where they are needed: an id that is
/// a UUID from its two numbers, anything else from the index's dictionaries (opened on first
/// use).
struct Names<'s> {
    columns: &'s [Arc<Columns>],
}

impl<'s> Names<'s> {
    fn new(columns: &'s [Arc<Columns>]) -> Names<'s> {
        Names { columns }
    }

    fn segment(&self, segment: SegmentOrdinal) -> Option<&'s Columns> {
        let at = usize::try_from(segment).ok()?;
        self.columns.get(at).map(|c| &**c)
    }

    fn read(column: Option<&StrColumn>, doc: DocId) -> String {
        let mut out = String::new();
        if let Some(c) = column {
            if let Some(ord) = c.term_ords(doc).next() {
                let _ = c.ord_to_str(ord, &mut out);
            }
        }
        out
    }

    /// The first sixteen bytes of these offers' names, as numbers.
    fn read_name_keys<'h>(&self, hits: impl Iterator<Item = &'h mut Hit>) {
        for h in hits {
            if let Some(c) = self.segment(h.segment) {
                h.name_key = (
                    c.name_key.first(h.doc).unwrap_or(0),
                    c.name_key2.first(h.doc).unwrap_or(0),
                );
            }
        }
    }

    fn name_at(&self, segment: SegmentOrdinal, doc: DocId) -> String {
        let column = self.segment(segment).and_then(|c| c.name_sort.as_ref());
        Self::read(column, doc)
    }

    fn id(&self, h: &Hit) -> String {
        self.id_at(h.segment, h.doc)
    }

    fn id_at(&self, segment: SegmentOrdinal, doc: DocId) -> String {
        let Some(c) = self.segment(segment) else {
            return String::new();
        };
        let (hi, lo) = (
            c.id_hi.first(doc).unwrap_or(0),
            c.id_lo.first(doc).unwrap_or(0),
        );
        if let Some(id) = uuid_from_parts(hi, lo) {
            return id;
        }
        Self::read(c.id.as_ref(), doc)
    }
}

/// The first `needed` hits (and any tied with the last of them) in order: by the key, then
/// (with a place and words) distance, then name and id.
fn order(
    mut keyed: Vec<(f64, f64, Hit)>,
    needed: usize,
    filter: &ServiceFilter,
    names: &Names,
) -> Vec<Hit> {
    let with_distance = filter.sort != SortOrder::Name;
    let quick = |a: &(f64, f64, Hit), b: &(f64, f64, Hit)| -> Ordering {
        let by = a.0.total_cmp(&b.0);
        let by = if with_distance {
            by.then(a.1.total_cmp(&b.1))
        } else {
            by
        };
        by.then(a.2.name_key.cmp(&b.2.name_key))
    };
    // Names are compared only among offers that could be on the page.
    let before_names = |a: &(f64, f64, Hit), b: &(f64, f64, Hit)| -> Ordering {
        let by = a.0.total_cmp(&b.0);
        if with_distance {
            by.then(a.1.total_cmp(&b.1))
        } else {
            by
        }
    };
    if needed < keyed.len() {
        if needed == 0 {
            return Vec::new();
        }
        // Everything up to the `needed`th, and anything tied with it before names.
        keyed.select_nth_unstable_by(needed - 1, before_names);
        let pivot = keyed[needed - 1];
        let (mut head, tail): (Vec<_>, Vec<_>) = {
            let (head, tail) = keyed.split_at(needed);
            (head.to_vec(), tail.to_vec())
        };
        head.extend(
            tail.into_iter()
                .filter(|k| before_names(k, &pivot) == Ordering::Equal),
        );
        keyed = head;
    }
    names.read_name_keys(keyed.iter_mut().map(|k| &mut k.2));
    keyed.sort_by(quick);
    // Within a run tied on the quick key, by the whole name and then id.
    let same = |a: &(f64, f64, Hit), b: &(f64, f64, Hit)| quick(a, b) == Ordering::Equal;
    by_whole_name_within_runs(&keyed, same, |k| (k.2.segment, k.2.doc), names)
        .into_iter()
        .map(|k| k.2)
        .collect()
}

/// Items in order but for runs that `same` ties (names alike in their first sixteen bytes,
/// and equal before that): each run put in order of whole name, then id, read from the index
/// for the run alone (`at` says where an item is).
fn by_whole_name_within_runs<T: Copy>(
    items: &[T],
    same: impl Fn(&T, &T) -> bool,
    at: impl Fn(&T) -> (SegmentOrdinal, DocId),
    names: &Names,
) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    for run in items.chunk_by(|a, b| same(a, b)) {
        if let [one] = run {
            out.push(*one);
            continue;
        }
        let mut run: Vec<(String, String, T)> = run
            .iter()
            .map(|item| {
                let (segment, doc) = at(item);
                (
                    names.name_at(segment, doc),
                    names.id_at(segment, doc),
                    *item,
                )
            })
            .collect();
        run.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        out.extend(run.into_iter().map(|r| r.2));
    }
    out
}
