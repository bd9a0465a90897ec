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
use std::ops::Bound;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery,
    TermQuery, TermSetQuery, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

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

/// What is checked of each offer the index finds, exactly.
#[derive(Clone, Default)]
struct Exact {
    /// Distances are measured from here.
    centre: Option<LatLon>,
    /// Within this many km of the centre.
    within_km: Option<f64>,
    /// A place inside this box.
    inside: Option<BoundingBox>,
    /// One time meets every part.
    times: Option<Times>,
    /// The ages asked about.
    ages: Ages,
}

/// Ages asked about, checked against each offer's limits (no lower limit is held as -1, no
/// upper limit as the largest number).
#[derive(Clone, Copy, Default)]
struct Ages {
    /// The offer's lower limit is at least this (and it has one).
    minimum_at_least: Option<i64>,
    /// The offer's upper limit is at most this (and it has one).
    maximum_at_most: Option<i64>,
    /// Someone of this age may come.
    age: Option<i64>,
}

impl Ages {
    fn asked(&self) -> bool {
        self.minimum_at_least.is_some() || self.maximum_at_most.is_some() || self.age.is_some()
    }

    fn meet(&self, minimum: i64, maximum: i64) -> bool {
        self.minimum_at_least
            .is_none_or(|a| minimum >= a.max(NO_MINIMUM + 1))
            && self
                .maximum_at_most
                .is_none_or(|a| maximum <= a.min(NO_MAXIMUM - 1))
            && self.age.is_none_or(|a| minimum <= a && maximum >= a)
    }
}

#[derive(Clone, Copy, Default)]
struct Times {
    day: Option<u64>,
    opens_at_or_after: Option<i64>,
    closes_at_or_before: Option<i64>,
    open_between: Option<(i64, i64)>,
}

impl Times {
    fn meets(&self, (day, opens, closes): (u64, i64, i64)) -> bool {
        self.day.is_none_or(|d| d == day)
            && self.opens_at_or_after.is_none_or(|x| opens >= x)
            && self.closes_at_or_before.is_none_or(|y| closes <= y)
            && self
                .open_between
                .is_none_or(|(from, to)| opens < to && closes > from)
    }
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
}

struct SegmentFinder {
    exact: Exact,
    segment: SegmentOrdinal,
    columns: Columns,
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
            columns: Columns::of(reader)
                .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?,
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

fn must(clauses: &mut Vec<(Occur, Box<dyn Query>)>, q: Box<dyn Query>) {
    // Filters never change how well the words fit.
    clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::union(queries))
}

fn range_i64(field: Field, lo: Bound<i64>, hi: Bound<i64>) -> Box<dyn Query> {
    let term = |v: i64| Term::from_field_i64(field, v);
    let map = |b: Bound<i64>| match b {
        Bound::Included(v) => Bound::Included(term(v)),
        Bound::Excluded(v) => Bound::Excluded(term(v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    // One bound at least must name the field.
    let (lo, hi) = match (lo, hi) {
        (Bound::Unbounded, Bound::Unbounded) => (Bound::Included(i64::MIN), Bound::Unbounded),
        other => other,
    };
    Box::new(RangeQuery::new(map(lo), map(hi)))
}

fn cells(field: Field, ranges: &[(i64, i64)]) -> Box<dyn Query> {
    any_of(
        ranges
            .iter()
            .map(|(lo, hi)| range_i64(field, Bound::Included(*lo), Bound::Included(*hi)))
            .collect(),
    )
}

/// Where words are looked for, and how much a word found there counts: the name three times,
/// the description once, the organisation half.
fn word_fields(f: &Fields) -> [(Field, Score); 3] {
    [(f.name, 3.0), (f.description, 1.0), (f.organisation, 0.5)]
}

/// The query for a filter and what must be checked exactly; `None` when nothing can match.
fn plan(f: &Fields, filter: &ServiceFilter, resolved: &Resolved) -> Option<Planned> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut exact = Exact::default();
    let mut circle = None;
    let mut words = 0;
    if let Some(text) = filter.words() {
        let tokens = tokens(text);
        if tokens.is_empty() {
            return None;
        }
        words = tokens.len();
        for w in tokens {
            let field = |field: Field, boost: Score| -> Box<dyn Query> {
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &w),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                ))
            };
            clauses.push((
                Occur::Must,
                any_of(
                    word_fields(f)
                        .into_iter()
                        .map(|(f, b)| field(f, b))
                        .collect(),
                ),
            ));
        }
    }
    let term = |field: Field, t: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, t),
            IndexRecordOption::Basic,
        ))
    };
    for t in filter.taxonomy_term_id.iter().chain(&filter.all_terms) {
        must(&mut clauses, term(f.term, t));
    }
    if let Some(terms) = &resolved.taxonomy_terms {
        if terms.is_empty() {
            return None;
        }
        let set = TermSetQuery::new(terms.iter().map(|t| Term::from_field_text(f.term, t)));
        must(&mut clauses, Box::new(set));
    }
    // Ages are checked per offer: as lists they are a join of every age any offer gives.
    exact.ages = Ages {
        minimum_at_least: filter.minimum_age_at_least,
        maximum_at_most: filter.maximum_age_at_most,
        age: filter.age,
    };
    if filter.free_only {
        must(&mut clauses, term(f.flag, FREE));
    }
    if filter.has_times() {
        let day = match &filter.day {
            Some(code) => match Weekday::parse(code) {
                Some(d) => Some(d),
                None => return None,
            },
            None => None,
        };
        // The hours a matching time must reach into (a superset; each time is then checked).
        let mut lo = 0i64;
        let mut hi = 24i64;
        if let Some(x) = filter.opens_at_or_after {
            lo = lo.max(x.div_euclid(60));
        }
        if let Some(y) = filter.closes_at_or_before {
            hi = hi.min(y.div_euclid(60));
        }
        if let Some((from, to)) = filter.open_between {
            lo = lo.max(from.div_euclid(60));
            hi = hi.min((to - 1).div_euclid(60));
        }
        let hours_asked = filter.opens_at_or_after.is_some()
            || filter.closes_at_or_before.is_some()
            || filter.open_between.is_some();
        let code = day.map(Weekday::code);
        if hours_asked {
            // A time that meets the search opens within the hours asked for, closes within
            // them or reaches into them, so it has one of their tokens, unless it runs past
            // midnight (its own token).
            let prefix = code.unwrap_or("");
            must(
                &mut clauses,
                any_of(
                    (lo..=hi)
                        .map(|h| h.to_string())
                        .chain(["night".to_string()])
                        .map(|h| term(f.time, &format!("{prefix}@{h}")))
                        .collect(),
                ),
            );
            exact.times = Some(Times {
                day: day.map(day_number),
                opens_at_or_after: filter.opens_at_or_after,
                closes_at_or_before: filter.closes_at_or_before,
                open_between: filter.open_between,
            });
        } else if let Some(code) = code {
            // A day alone: the day's token says exactly.
            must(&mut clauses, term(f.time, code));
        }
    }
    if let Some((centre, km)) = filter.near {
        if !km.is_finite() || km < 0.0 {
            return None;
        }
        let ranges: Vec<(i64, i64)> = match circle_rows(centre, km) {
            Some(rows) => rows.iter().map(|r| r.cells).collect(),
            None => BoundingBox::around(centre, km).cell_ranges(),
        };
        circle = Some(ranges);
        exact.centre = Some(centre);
        exact.within_km = Some(km);
    }
    if let Some(b) = &filter.within_box {
        must(&mut clauses, cells(f.cell, &b.cell_ranges()));
        exact.inside = Some(*b);
    }
    if let Some(from) = filter.sort_from {
        exact.centre = exact.centre.or(Some(from));
    }
    if let Some(ids) = &resolved.covering {
        must(
            &mut clauses,
            any_of(vec![
                term(f.flag, NO_AREAS),
                Box::new(TermSetQuery::new(
                    ids.iter().map(|id| Term::from_field_text(f.id, id)),
                )),
            ]),
        );
    }
    if filter.per_location {
        must(&mut clauses, term(f.flag, AT_A_PLACE));
    }
    Some(Planned {
        cell: f.cell,
        words,
        clauses,
        circle,
        exact,
    })
}

/// A search planned: its clauses, and the cells of the circle searched (kept apart, so the
/// circle can be read a ring at a time).
struct Planned {
    cell: Field,
    /// How many of the clauses are words (they come first).
    words: usize,
    clauses: Vec<(Occur, Box<dyn Query>)>,
    circle: Option<Vec<(i64, i64)>>,
    exact: Exact,
}

impl Planned {
    /// A single word alone (its fields' lists joined): tantivy skips through it by block-max
    /// WAND only when it is the whole query.
    fn word_alone(&self) -> Option<Box<dyn Query>> {
        match self.clauses.first() {
            Some((_, word)) if self.words == 1 => Some(word.box_clone()),
            _ => None,
        }
    }

    /// Everything but the words (`None` if nothing).
    fn filters(&self) -> Option<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .clauses
            .iter()
            .skip(self.words)
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        if let Some(ranges) = self.circle.as_deref() {
            must(&mut clauses, cells(self.cell, ranges));
        }
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// The query over these cells of the circle (all of it if `None`).
    fn query(&self, ring: Option<&[(i64, i64)]>) -> Box<dyn Query> {
        if ring.is_none() && self.circle.is_none() && self.clauses.len() == 1 {
            if let Some(word) = self.word_alone() {
                return word;
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .clauses
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        if let Some(ranges) = ring.or(self.circle.as_deref()) {
            must(&mut clauses, cells(self.cell, ranges));
        }
        if clauses.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// A search near a place read a ring of cells at a time: each ring's offers are read from
/// the lists of its cells (in the index's order), then looked up in the filters' lists and
/// the words' (whose fit is read there), and checked exactly. A tantivy query over the cells
/// would join the lists of every cell across the whole index for each ring.
struct NearWeights {
    /// Each word's lists, one for each field it is looked for in (weighted as in [`plan`]).
    words: Vec<Vec<Box<dyn Weight>>>,
    filters: Option<Box<dyn Weight>>,
}

impl NearWeights {
    fn of(
        searcher: &tantivy::Searcher,
        f: &Fields,
        filter: &ServiceFilter,
        planned: &Planned,
    ) -> Result<NearWeights> {
        // Each word's own lists, each looked up where an offer is (skipping through a list
        // by its skip blocks), rather than their lists joined (which reads every offer
        // holding the word between one lookup and the next).
        let mut words = Vec::new();
        for w in filter.words().map(tokens).unwrap_or_default() {
            let mut fields = Vec::new();
            for (field, boost) in word_fields(f) {
                let query = BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &w),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                );
                fields.push(
                    query
                        .weight(EnableScoring::enabled_from_searcher(searcher))
                        .map_err(index_error)?,
                );
            }
            words.push(fields);
        }
        let rest: Vec<(Occur, Box<dyn Query>)> = planned
            .clauses
            .iter()
            .skip(planned.words)
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        let filters = if rest.is_empty() {
            None
        } else {
            Some(
                BooleanQuery::new(rest)
                    .weight(EnableScoring::disabled_from_searcher(searcher))
                    .map_err(index_error)?,
            )
        };
        Ok(NearWeights { words, filters })
    }

    /// The offers of one ring that pass every filter and check.
    fn hits(
        &self,
        searcher: &tantivy::Searcher,
        cell: Field,
        ring: &[(i64, i64)],
        exact: &Exact,
    ) -> Result<Vec<Hit>> {
        let mut hits = Vec::new();
        if ring.is_empty() {
            return Ok(hits);
        }
        for (at, reader) in searcher.segment_readers().iter().enumerate() {
            let segment = SegmentOrdinal::try_from(at).unwrap_or(SegmentOrdinal::MAX);
            let cells = reader.inverted_index(cell).map_err(index_error)?;
            let mut docs: Vec<DocId> = Vec::new();
            for (lo, hi) in ring {
                for c in *lo..=*hi {
                    let term = Term::from_field_i64(cell, c);
                    let postings = cells
                        .read_postings(&term, IndexRecordOption::Basic)
                        .map_err(|e| index_error(e.into()))?;
                    if let Some(mut postings) = postings {
                        let mut doc = postings.doc();
                        while doc != TERMINATED {
                            docs.push(doc);
                            doc = postings.advance();
                        }
                    }
                }
            }
            if docs.is_empty() {
                continue;
            }
            // An offer with places in two cells is listed under both.
            docs.sort_unstable();
            docs.dedup();
            let columns = Columns::of(reader)?;
            let alive = reader.alive_bitset();
            let mut filters = self
                .filters
                .as_ref()
                .map(|w| w.scorer(reader, 1.0))
                .transpose()
                .map_err(index_error)?;
            let mut words = self
                .words
                .iter()
                .map(|fields| {
                    fields
                        .iter()
                        .map(|w| w.scorer(reader, 1.0))
                        .collect::<tantivy::Result<Vec<_>>>()
                })
                .collect::<tantivy::Result<Vec<_>>>()
                .map_err(index_error)?;
            'offers: for doc in docs {
                if !alive.is_none_or(|a| a.is_alive(doc)) {
                    continue;
                }
                // Offers come in the segment's order, so each list only moves on.
                let mut score = 0.0;
                for fields in &mut words {
                    let mut found = false;
                    for list in fields.iter_mut() {
                        if list.doc() < doc {
                            list.seek(doc);
                        }
                        if list.doc() == doc {
                            found = true;
                            score += list.score();
                        }
                    }
                    if !found {
                        continue 'offers;
                    }
                }
                if let Some(f) = filters.as_mut() {
                    if f.doc() < doc {
                        f.seek(doc);
                    }
                    if f.doc() != doc {
                        continue;
                    }
                }
                let Some(distance) = examine(exact, &columns, doc) else {
                    continue;
                };
                hits.push(Hit {
                    score,
                    distance,
                    // Read for the offers that reach the page ([`order`]).
                    name_key: (0, 0),
                    sal_count: columns.sal_count.first(doc).unwrap_or(0),
                    segment,
                    doc,
                });
            }
        }
        Ok(hits)
    }
}

/// Where the rings of a circle end, as shares of its radius.
const RINGS: [f64; 8] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9];

/// The most cells a circle is read a ring at a time in (a larger one is read at once).
const RING_CELLS: i64 = 40_000;

/// A ring of a circle: its cells (as ranges of cell numbers), and how near any place beyond
/// it can be (km).
type Ring = (Vec<(i64, i64)>, f64);

/// The cells of a circle in rings, nearest first: each ring's cells (as ranges) and how near
/// any place beyond it can be (km). `None` for a circle too large to split.
fn rings(ranges: &[(i64, i64)], centre: LatLon, km: f64) -> Option<Vec<Ring>> {
    if ranges.iter().map(|(lo, hi)| hi - lo + 1).sum::<i64>() > RING_CELLS {
        return None;
    }
    let ends: Vec<f64> = RINGS.iter().map(|share| share * km).collect();
    let mut out: Vec<Ring> = ends
        .iter()
        .copied()
        .chain([f64::INFINITY])
        .map(|beyond| (Vec::new(), beyond))
        .collect();
    for (lo, hi) in ranges {
        for c in *lo..=*hi {
            let ring = ends
                .iter()
                .position(|end| cell_nearest_km(c, centre) < *end)
                .unwrap_or(ends.len());
            if let Some((cells, _)) = out.get_mut(ring) {
                match cells.last_mut() {
                    Some((_, last)) if *last + 1 == c => *last = c,
                    _ => cells.push((c, c)),
                }
            }
        }
    }
    Some(out)
}

/// No offer can fit the words better than this (BM25 at its most for each word in each field,
/// weighted as the search weighs them).
fn best_possible_fit(searcher: &tantivy::Searcher, f: &Fields, filter: &ServiceFilter) -> f64 {
    let mut most = 0.0f64;
    for w in filter.words().map(tokens).unwrap_or_default() {
        for (field, boost) in word_fields(f) {
            let term = Term::from_field_text(field, &w);
            // A word no offer has in this field adds nothing.
            if searcher.doc_freq(&term).is_ok_and(|n| n == 0) {
                continue;
            }
            match tantivy::query::Bm25Weight::for_terms(searcher, &[term]) {
                Ok(weight) => most += f64::from(weight.max_score()) * f64::from(boost),
                Err(_) => return f64::INFINITY,
            }
        }
    }
    // A hair more, for rounding.
    most * 1.001 + 1e-6
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
        // Unless the order weighs distance, each segment gives its first offers in order and
        // those are merged; otherwise the offers are found and put in order.
        let by_point = exact.centre.is_some();
        if !by_point || filter.sort == SortOrder::Name {
            return ordered_by_segments(&searcher, &planned, filter, words);
        }
        let finder = Finder {
            exact: exact.clone(),
            scoring: words,
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
        let rings = match (&planned.circle, filter.near) {
            (Some(ranges), Some((centre, km))) if needed > 0 => rings(ranges, centre, km),
            _ => None,
        };
        let mut hits: Vec<Hit> = Vec::new();
        if let Some(rings) = rings {
            let best_fit = if nearest_first {
                0.0
            } else {
                best_possible_fit(&searcher, &self.fields, filter)
            };
            let near = NearWeights::of(&searcher, &self.fields, filter, &planned)?;
            let mut keys: Vec<f64> = Vec::new();
            for (i, (ring, beyond)) in rings.iter().enumerate() {
                let found = near.hits(&searcher, self.fields.cell, ring, &exact)?;
                keys.extend(found.iter().map(&primary));
                hits.extend(found);
                // Stopping early is for a search already counted.
                if filter.total_known.is_some() && keys.len() >= needed && i + 1 < rings.len() {
                    let (_, page_last, _) = keys.select_nth_unstable_by(needed - 1, f64::total_cmp);
                    let could_reach = if nearest_first {
                        *beyond
                    } else {
                        -best_fit / (1.0 + 3.0 * beyond / reach)
                    };
                    if *page_last < could_reach {
                        break;
                    }
                }
            }
        } else {
            let query = planned.query(None);
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
        let names = Names::new(&searcher);
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

/// A fit as a number that orders as it does.
fn fit_bits(score: Score) -> u32 {
    let bits = score.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | (1 << 31)
    }
}

/// The best `n` offers of one segment by fit, and of those that fit equally well the earlier
/// in the segment (the first by name): a heap whose least is the worst fit and, of those,
/// the latest offer.
struct Best {
    n: usize,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<(u32, std::cmp::Reverse<DocId>)>>,
}

impl Best {
    fn new(n: usize) -> Best {
        Best {
            n,
            heap: std::collections::BinaryHeap::with_capacity(n.min(4096) + 1),
        }
    }

    /// Offers are pushed in the segment's order.
    fn push(&mut self, score: Score, doc: DocId) {
        let item = std::cmp::Reverse((fit_bits(score), std::cmp::Reverse(doc)));
        if self.heap.len() < self.n {
            self.heap.push(item);
        } else if let Some(mut least) = self.heap.peek_mut() {
            // Only a strictly better fit displaces: an equal fit later in the segment comes
            // after it by name.
            if item.0 .0 > least.0 .0 {
                *least = item;
            }
        }
    }

    /// Only an offer that fits better than this can still be kept.
    fn threshold(&self) -> Score {
        if self.heap.len() < self.n {
            return Score::MIN;
        }
        self.heap
            .peek()
            .map_or(Score::MIN, |least| from_fit_bits(least.0 .0))
    }
}

fn from_fit_bits(bits: u32) -> Score {
    if bits >> 31 == 1 {
        Score::from_bits(bits & !(1 << 31))
    } else {
        Score::from_bits(!bits)
    }
}

/// How many offers (or, for a list of places, places) match: read from each segment's lists
/// when nothing is checked per offer, else by checking each.
fn count(
    searcher: &tantivy::Searcher,
    weight: &dyn Weight,
    exact: &Exact,
    per_location: bool,
) -> Result<i64> {
    let checks = exact.times.is_some()
        || exact.inside.is_some()
        || exact.within_km.is_some()
        || exact.ages.asked();
    let mut total: u64 = 0;
    for reader in searcher.segment_readers() {
        if !checks && !per_location {
            total += u64::from(weight.count(reader).map_err(index_error)?);
            continue;
        }
        let columns = Columns::of(reader)?;
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0).map_err(index_error)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) && examine(exact, &columns, doc).is_some() {
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

/// The share of offers holding a word (in any field), at most 1.
fn word_share(searcher: &tantivy::Searcher, word: &dyn Query) -> f64 {
    let mut terms = Vec::new();
    word.query_terms(&mut |term, _| terms.push(term.clone()));
    let holding: u64 = terms
        .iter()
        .map(|t| searcher.doc_freq(t).unwrap_or(0))
        .sum();
    #[allow(clippy::cast_precision_loss)]
    let share = holding as f64 / searcher.num_docs().max(1) as f64;
    share.min(1.0)
}

/// The columns an offer is checked and put in order by, for one segment.
struct Columns {
    min_age: Column<i64>,
    max_age: Column<i64>,
    geo: Column<u64>,
    slots: Column<u64>,
    name_key: Column<u64>,
    name_key2: Column<u64>,
    sal_count: Column<u64>,
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
        })
    }
}

/// One offer kept from a segment: (worse fit is greater, the name's first sixteen bytes,
/// where it is).
type Kept = (u32, u64, u64, SegmentOrdinal, DocId);

/// A search whose order weighs no distance (by fit, or by name). Each segment of the index
/// holds its offers in order of name and then id, so a segment's first matches are its first
/// by name (reading stops there), and by fit tantivy keeps a segment's best, skipping whole
/// blocks of offers that cannot reach them (block-max WAND), of equal fit the first by name.
/// The page is then among the segments' firsts, put in order by fit, name and id.
fn ordered_by_segments(
    searcher: &tantivy::Searcher,
    planned: &Planned,
    filter: &ServiceFilter,
    words: bool,
) -> Result<IndexFound> {
    let query = planned.query(None);
    let exact = &planned.exact;
    let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(filter.limit).unwrap_or(0);
    let by_fit = words && filter.sort != SortOrder::Name;
    let scoring = if by_fit {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring).map_err(index_error)?;
    let total = match filter.total_known {
        Some(t) => t,
        None => {
            // Counting reads no fit.
            let plain = if by_fit {
                query
                    .weight(EnableScoring::disabled_from_searcher(searcher))
                    .map_err(index_error)?
            } else {
                query.weight(scoring).map_err(index_error)?
            };
            count(searcher, &*plain, exact, filter.per_location)?
        }
    };
    if limit == 0 {
        return Ok(IndexFound {
            total,
            ..IndexFound::default()
        });
    }
    // Every offer in a list of places has one place at least, so this many offers hold the
    // page's rows.
    let needed = offset.saturating_add(limit);
    // One word with other filters: the word alone can be skipped through by block-max WAND,
    // each offer it gives then looked up in the filters' lists, unless the filters are so
    // much rarer than the word that walking both together reads less.
    let split = match (
        by_fit.then(|| planned.word_alone()).flatten(),
        planned.filters(),
    ) {
        (Some(word), Some(filters)) => Some((
            word.weight(scoring).map_err(index_error)?,
            filters
                .weight(EnableScoring::disabled_from_searcher(searcher))
                .map_err(index_error)?,
            word_share(searcher, &*word),
        )),
        _ => None,
    };
    let mut kept: Vec<Kept> = Vec::new();
    for (at, reader) in searcher.segment_readers().iter().enumerate() {
        let segment = SegmentOrdinal::try_from(at).unwrap_or(SegmentOrdinal::MAX);
        let columns = Columns::of(reader)?;
        let alive = reader.alive_bitset();
        let passes = |doc: DocId| {
            alive.is_none_or(|a| a.is_alive(doc)) && examine(exact, &columns, doc).is_some()
        };
        let mut found: Vec<(u32, DocId)> = Vec::new();
        if by_fit {
            let mut best = Best::new(needed);
            let mut filtered = None;
            if let Some((word, filters, share)) = &split {
                let scorer = filters.scorer(reader, 1.0).map_err(index_error)?;
                #[allow(clippy::cast_precision_loss)]
                let filter_share =
                    f64::from(scorer.size_hint()) / f64::from(reader.max_doc().max(1));
                if filter_share * 8.0 >= *share {
                    filtered = Some((word, scorer));
                }
            }
            if let Some((word, mut filters)) = filtered {
                word.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                    // Offers come in the segment's order, so the filters' lists only move on.
                    if filters.doc() < doc {
                        filters.seek(doc);
                    }
                    if filters.doc() == doc && passes(doc) {
                        best.push(score, doc);
                    }
                    best.threshold()
                })
                .map_err(index_error)?;
            } else {
                weight
                    .for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                        if passes(doc) {
                            best.push(score, doc);
                        }
                        best.threshold()
                    })
                    .map_err(index_error)?;
            }
            found.extend(
                best.heap
                    .into_iter()
                    .map(|std::cmp::Reverse((fit, std::cmp::Reverse(doc)))| (u32::MAX - fit, doc)),
            );
        } else {
            let mut scorer = weight.scorer(reader, 1.0).map_err(index_error)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED && found.len() < needed {
                if passes(doc) {
                    found.push((0, doc));
                }
                doc = scorer.advance();
            }
        }
        kept.extend(found.into_iter().map(|(fit, doc)| {
            (
                fit,
                columns.name_key.first(doc).unwrap_or(0),
                columns.name_key2.first(doc).unwrap_or(0),
                segment,
                doc,
            )
        }));
    }
    kept.sort_unstable();
    let names = Names::new(searcher);
    // Offers equal in fit and the first sixteen bytes of their names, by whole name and id
    // (read only for the runs up to the end of the page).
    let same = |a: &Kept, b: &Kept| a.0 == b.0 && a.1 == b.1 && a.2 == b.2;
    let mut end = needed.min(kept.len());
    while end > 0 && end < kept.len() && same(&kept[end - 1], &kept[end]) {
        end += 1;
    }
    kept.truncate(end);
    let ordered = by_whole_name_within_runs(&kept, same, |k| (k.3, k.4), &names);
    if filter.per_location {
        let sal_counts: Vec<Option<Column<u64>>> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.fast_fields().u64("sal_count").ok())
            .collect();
        let rows = |k: &Kept| {
            usize::try_from(k.3)
                .ok()
                .and_then(|at| sal_counts.get(at))
                .and_then(Option::as_ref)
                .and_then(|c| c.first(k.4))
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
        };
        let (services, skip_rows) =
            page_of_places(&ordered, offset, limit, rows, |k| names.id_at(k.3, k.4));
        return Ok(IndexFound {
            services,
            skip_rows,
            total,
        });
    }
    Ok(IndexFound {
        services: ordered
            .iter()
            .skip(offset)
            .take(limit)
            .map(|k| names.id_at(k.3, k.4))
            .collect(),
        skip_rows: 0,
        total,
    })
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
    searcher: &'s tantivy::Searcher,
    id_parts: Vec<Option<(Column<u64>, Column<u64>)>>,
    name: Vec<std::cell::OnceCell<Option<StrColumn>>>,
    id: Vec<std::cell::OnceCell<Option<StrColumn>>>,
}

impl<'s> Names<'s> {
    fn new(searcher: &'s tantivy::Searcher) -> Names<'s> {
        let segments = searcher.segment_readers();
        let id_parts = segments
            .iter()
            .map(|r| {
                let fast = r.fast_fields();
                Some((fast.u64("id_hi").ok()?, fast.u64("id_lo").ok()?))
            })
            .collect();
        Names {
            searcher,
            id_parts,
            name: segments
                .iter()
                .map(|_| std::cell::OnceCell::new())
                .collect(),
            id: segments
                .iter()
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    fn column<'a>(
        &'a self,
        cells: &'a [std::cell::OnceCell<Option<StrColumn>>],
        field: &str,
        segment: SegmentOrdinal,
    ) -> Option<&'a StrColumn> {
        let at = usize::try_from(segment).ok()?;
        cells
            .get(at)?
            .get_or_init(|| {
                self.searcher
                    .segment_readers()
                    .get(at)
                    .and_then(|r| r.fast_fields().str(field).ok().flatten())
            })
            .as_ref()
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
        let columns: Vec<Option<(Column<u64>, Column<u64>)>> = self
            .searcher
            .segment_readers()
            .iter()
            .map(|r| {
                let fast = r.fast_fields();
                Some((fast.u64("name_key").ok()?, fast.u64("name_key2").ok()?))
            })
            .collect();
        for h in hits {
            let at = usize::try_from(h.segment).ok();
            if let Some((one, two)) = at.and_then(|at| columns.get(at)).and_then(Option::as_ref) {
                h.name_key = (one.first(h.doc).unwrap_or(0), two.first(h.doc).unwrap_or(0));
            }
        }
    }

    fn name_at(&self, segment: SegmentOrdinal, doc: DocId) -> String {
        Self::read(self.column(&self.name, "name_sort", segment), doc)
    }

    fn id(&self, h: &Hit) -> String {
        self.id_at(h.segment, h.doc)
    }

    fn id_at(&self, segment: SegmentOrdinal, doc: DocId) -> String {
        let parts = usize::try_from(segment)
            .ok()
            .and_then(|at| self.id_parts.get(at))
            .and_then(Option::as_ref);
        if let Some((hi, lo)) = parts {
            let (hi, lo) = (hi.first(doc).unwrap_or(0), lo.first(doc).unwrap_or(0));
            if let Some(id) = uuid_from_parts(hi, lo) {
                return id;
            }
        }
        Self::read(self.column(&self.id, "id", segment), doc)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(rows: &[Row]) -> SearchIndex {
        let index = SearchIndex::new(15_000_000).unwrap();
        {
            let mut writer = index.writer.try_lock().unwrap();
            for row in rows {
                writer.add_document(document(&index.fields, row)).unwrap();
            }
            writer.commit().unwrap();
        }
        index.reader.reload().unwrap();
        index
    }

    fn offer(i: usize, name: &str, description: &str, organisation: &str) -> Row {
        Row {
            id: format!("00000000-0000-4000-8000-{i:012x}"),
            name: name.to_string(),
            description: description.to_string(),
            organisation: organisation.to_string(),
            public: true,
            ..Row::default()
        }
    }

    /// Reading a circle a ring at a time stops once the best fit any offer could have, at the
    /// next ring's distance, ranks below the page: so no offer may fit better than that.
    #[test]
    fn no_offer_fits_the_words_better_than_the_best_possible_fit() {
        let mut rows = Vec::new();
        for i in 0..300 {
            let (name, description, organisation) = match i % 6 {
                0 => ("Chess", "Chess chess chess.", "Chess club"),
                1 => ("Chess club", "A friendly club.", "Parish"),
                2 => (
                    "Board games, cards and chess for everyone in the village hall",
                    "We meet weekly.",
                    "",
                ),
                3 => ("Walking group", "A walk, then chess over tea.", ""),
                4 => (
                    "Choir",
                    "We sing. Chess on Fridays, chess on Sundays.",
                    "Chess",
                ),
                _ => ("Knitting", "Bring needles.", "Crafts"),
            };
            rows.push(offer(i, name, description, organisation));
        }
        let index = index_of(&rows);
        let searcher = index.reader.searcher();
        for words in ["chess", "chess club", "club", "walk chess", "sing"] {
            let filter = ServiceFilter {
                words: Some(words.to_string()),
                ..ServiceFilter::default()
            };
            let best = best_possible_fit(&searcher, &index.fields, &filter);
            let planned = plan(&index.fields, &filter, &Resolved::default()).unwrap();
            let finder = Finder {
                exact: Exact::default(),
                scoring: true,
            };
            let hits = searcher.search(&planned.query(None), &finder).unwrap();
            assert!(!hits.is_empty(), "{words}");
            let most = hits.iter().map(|h| f64::from(h.score)).fold(0.0, f64::max);
            assert!(most <= best, "{words}: {most} > {best}");
            // And not so loose that a ring never ends the reading.
            assert!(best < most * 4.0, "{words}: {best} against {most}");
        }
    }

    /// The rings of a circle hold each of its cells once, nearest first: no place in a ring
    /// is nearer than the end of the ring before it.
    #[test]
    fn the_rings_of_a_circle_hold_its_cells_once_each_nearest_first() {
        let centre = LatLon::new(53.4794, -2.2453).unwrap();
        for km in [0.3, 2.0, 5.0, 12.0] {
            let ranges: Vec<(i64, i64)> = circle_rows(centre, km)
                .unwrap()
                .iter()
                .map(|r| r.cells)
                .collect();
            let mut all: Vec<i64> = ranges.iter().flat_map(|(lo, hi)| *lo..=*hi).collect();
            let rings = rings(&ranges, centre, km).unwrap();
            assert_eq!(rings.len(), RINGS.len() + 1);
            let mut held = Vec::new();
            let mut before = 0.0;
            for (cells, beyond) in &rings {
                for c in cells.iter().flat_map(|(lo, hi)| *lo..=*hi) {
                    assert!(cell_nearest_km(c, centre) >= before, "{km} km: cell {c}");
                    held.push(c);
                }
                before = *beyond;
            }
            all.sort_unstable();
            held.sort_unstable();
            assert_eq!(held, all, "{km} km");
        }
    }
}
