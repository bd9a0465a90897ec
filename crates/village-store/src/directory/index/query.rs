//! Searching the index: a [`ServiceFilter`] becomes one tantivy query (every filter a clause
//! that must hold, so tantivy walks the rarest list and skips through the others), then each
//! offer it finds is checked exactly where the index holds only an outline (a place's exact
//! distance, a time's exact minutes), then put in order and paged.
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
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
    geo: Column<u64>,
    slots: Column<u64>,
    name_key: Column<u64>,
    name_key2: Column<u64>,
    sal_count: Column<u64>,
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
        let fast = reader.fast_fields();
        Ok(SegmentFinder {
            exact: self.exact.clone(),
            segment,
            geo: fast.u64("geo")?,
            slots: fast.u64("slots")?,
            name_key: fast.u64("name_key")?,
            name_key2: fast.u64("name_key2")?,
            sal_count: fast.u64("sal_count")?,
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
        let e = &self.exact;
        if let Some(times) = &e.times {
            if !self
                .slots
                .values_for_doc(doc)
                .any(|v| times.meets(unpack_slot(v)))
            {
                return;
            }
        }
        let mut distance = None;
        if e.centre.is_some() || e.inside.is_some() {
            let mut inside = e.inside.is_none();
            for p in self.geo.values_for_doc(doc).filter_map(unpack_point) {
                if let Some(b) = &e.inside {
                    inside |= b.contains(p);
                }
                if let Some(c) = e.centre {
                    let d = distance_km(c, p);
                    distance = Some(distance.map_or(d, |m: f64| m.min(d)));
                }
            }
            if !inside {
                return;
            }
            if let Some(km) = e.within_km {
                if !distance.is_some_and(|d| d <= km) {
                    return;
                }
            }
        }
        self.hits.push(Hit {
            score,
            distance,
            name_key: (
                self.name_key.first(doc).unwrap_or(0),
                self.name_key2.first(doc).unwrap_or(0),
            ),
            sal_count: self.sal_count.first(doc).unwrap_or(0),
            segment: self.segment,
            doc,
        });
    }

    fn harvest(self) -> Vec<Hit> {
        self.hits
    }
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

/// The query for a filter and what must be checked exactly; `None` when nothing can match.
fn plan(
    f: &Fields,
    filter: &ServiceFilter,
    resolved: &Resolved,
) -> Option<(Box<dyn Query>, Exact)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut exact = Exact::default();
    if let Some(words) = filter.words() {
        let words = tokens(words);
        if words.is_empty() {
            return None;
        }
        for w in words {
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
                any_of(vec![
                    field(f.name, 3.0),
                    field(f.description, 1.0),
                    field(f.organisation, 0.5),
                ]),
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
    if let Some(age) = filter.minimum_age_at_least {
        let lo = age.max(NO_MINIMUM + 1);
        must(
            &mut clauses,
            range_i64(f.min_age, Bound::Included(lo), Bound::Unbounded),
        );
    }
    if let Some(age) = filter.maximum_age_at_most {
        let hi = age.min(NO_MAXIMUM - 1);
        must(
            &mut clauses,
            range_i64(f.max_age, Bound::Unbounded, Bound::Included(hi)),
        );
    }
    if let Some(age) = filter.age {
        // No lower limit is stored as -1, no upper limit as the largest number: both include
        // any age.
        must(
            &mut clauses,
            range_i64(f.min_age, Bound::Unbounded, Bound::Included(age)),
        );
        must(
            &mut clauses,
            range_i64(f.max_age, Bound::Included(age), Bound::Unbounded),
        );
    }
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
        must(&mut clauses, cells(f.cell, &ranges));
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
    if clauses.is_empty() {
        return Some((Box::new(AllQuery), exact));
    }
    Some((Box::new(BooleanQuery::new(clauses)), exact))
}

impl SearchIndex {
    /// The page and count of a search (see the module's notes for the order).
    pub fn search(&self, filter: &ServiceFilter, resolved: &Resolved) -> Result<IndexFound> {
        let Some((query, exact)) = plan(&self.fields, filter, resolved) else {
            return Ok(IndexFound::default());
        };
        let words = filter.words().is_some();
        let searcher = self.reader.searcher();
        if exact.times.is_none()
            && exact.centre.is_none()
            && exact.inside.is_none()
            && !filter.per_location
        {
            if let Some(found) = ordered_by_tantivy(&searcher, &*query, filter, words)? {
                return Ok(found);
            }
        }
        let finder = Finder {
            exact: exact.clone(),
            scoring: words,
        };
        let mut hits = searcher.search(&query, &finder).map_err(index_error)?;
        let total: u64 = if filter.per_location {
            hits.iter().map(|h| h.sal_count).sum()
        } else {
            hits.len() as u64
        };
        // The primary key of the order, lower first.
        let by_point = exact.centre.is_some();
        let reach = filter.near.map_or(BLEND_KM, |(_, km)| km.max(0.1));
        let primary = |h: &Hit| -> f64 {
            let far = h.distance.unwrap_or(f64::INFINITY);
            match filter.sort {
                SortOrder::Name => 0.0,
                SortOrder::Nearest if by_point => far,
                _ if words && by_point => {
                    let d = h.distance.unwrap_or(reach * 10.0);
                    -f64::from(h.score) / (1.0 + 3.0 * d / reach)
                }
                _ if words => -f64::from(h.score),
                _ if by_point => far,
                _ => 0.0,
            }
        };
        let keyed: Vec<(f64, f64, Hit)> = hits
            .drain(..)
            .map(|h| (primary(&h), h.distance.unwrap_or(f64::INFINITY), h))
            .collect();
        let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
        let limit = usize::try_from(filter.limit).unwrap_or(0);
        let names = Names::new(&searcher);
        let ordered = order(keyed, offset.saturating_add(limit), filter, &names);
        let total = i64::try_from(total).unwrap_or(i64::MAX);
        if filter.per_location {
            // Walk the rows of each offer in order until the page is passed.
            let mut seen = 0usize;
            let mut services = Vec::new();
            let mut skip_rows = 0;
            for h in ordered {
                let rows = usize::try_from(h.sal_count).unwrap_or(0);
                if seen + rows > offset {
                    if services.is_empty() {
                        skip_rows = offset.saturating_sub(seen);
                    }
                    services.push(names.id(&h));
                }
                seen += rows;
                if seen >= offset.saturating_add(limit) {
                    break;
                }
            }
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

/// The order of names and ids as numbers, per segment: the name's first sixteen bytes, then
/// a UUID id's 128 bits (which order as its text does), each turned over (greatest first).
type NameOrder = (u64, u64, u64, u64);

fn name_order(segment: &SegmentReader) -> impl FnMut(DocId) -> NameOrder + use<> {
    let fast = segment.fast_fields();
    let columns: Vec<Option<Column<u64>>> = ["name_key", "name_key2", "id_hi", "id_lo"]
        .iter()
        .map(|f| fast.u64(f).ok())
        .collect();
    move |doc| {
        let at = |i: usize| {
            columns
                .get(i)
                .and_then(Option::as_ref)
                .and_then(|c| c.first(doc))
                .unwrap_or(0)
        };
        // Turned over: tantivy keeps the greatest keys first.
        (
            u64::MAX - at(0),
            u64::MAX - at(1),
            u64::MAX - at(2),
            u64::MAX - at(3),
        )
    }
}

/// How many offers past the page are read, to see where a run of offers whose names begin
/// alike ends.
const MARGIN: usize = 16;

/// A search with nothing to check per offer: tantivy puts the matches in order (by fit or by
/// name, names compared by their first sixteen bytes) keeping only the page and a few more,
/// and counts them in the same pass (unless the count is known); offers whose names begin
/// alike are then put in order by their whole names. `None` when such a run goes on past what
/// was read (the caller then orders every match).
fn ordered_by_tantivy(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    filter: &ServiceFilter,
    words: bool,
) -> Result<Option<IndexFound>> {
    let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(filter.limit).unwrap_or(0);
    let known = filter.total_known;
    if limit == 0 {
        let total = match known {
            Some(t) => t,
            None => i64::try_from(searcher.search(query, &Count).map_err(index_error)?)
                .unwrap_or(i64::MAX),
        };
        return Ok(Some(IndexFound {
            total,
            ..IndexFound::default()
        }));
    }
    // A few before the page and a few after, to see where runs of offers whose names begin
    // alike start and end.
    let start = offset.saturating_sub(MARGIN);
    let skip = offset - start;
    let wanted = skip.saturating_add(limit).saturating_add(MARGIN);
    let top = TopDocs::with_limit(wanted).and_offset(start);
    let names = || |s: &SegmentReader| name_order(s);
    let by_name = !words || filter.sort == SortOrder::Name;
    // (fit, as bits that order as it does, or 0; the order of names; where)
    let (found, counted): (Vec<(u32, NameOrder, DocAddress)>, Option<usize>) = if by_name {
        let top = top.order_by(names());
        let (found, n) = if known.is_some() {
            (searcher.search(query, &top).map_err(index_error)?, None)
        } else {
            let (f, n) = searcher.search(query, &(top, Count)).map_err(index_error)?;
            (f, Some(n))
        };
        (found.into_iter().map(|(k, a)| (0, k, a)).collect(), n)
    } else {
        // By fit alone tantivy skips whole blocks of offers that cannot reach the page
        // (block-max WAND): a word in most offers costs little more than a rare one. Offers
        // that fit equally well are then put in order of name below.
        let found = searcher
            .search(query, &top.order_by_score())
            .map_err(index_error)?;
        let n = match known {
            Some(_) => None,
            None => Some(searcher.search(query, &Count).map_err(index_error)?),
        };
        let mut keys: Vec<_> = searcher.segment_readers().iter().map(name_order).collect();
        let mut found: Vec<(u32, NameOrder, DocAddress)> = found
            .into_iter()
            .map(|(score, a)| {
                let at = usize::try_from(a.segment_ord).unwrap_or(usize::MAX);
                let key = keys.get_mut(at).map_or((0, 0, 0, 0), |k| k(a.doc_id));
                // Higher fit first: its bits, turned over, order lower first.
                (u32::MAX - score.to_bits(), key, a)
            })
            .collect();
        // (The name keys are turned over: greater is earlier.)
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        // A run of equal fit reaching either end of what was read may go on past it.
        let (first, last) = (found.first().map(|f| f.0), found.last().map(|f| f.0));
        if start > 0 && first.is_some() && first == found.get(skip).map(|f| f.0) {
            return Ok(None);
        }
        if found.len() == wanted && last == found.get(skip + limit - 1).map(|f| f.0) {
            return Ok(None);
        }
        (found, n)
    };
    let total = match (known, counted) {
        (Some(t), _) => t,
        (None, n) => i64::try_from(n.unwrap_or(0)).unwrap_or(i64::MAX),
    };
    let names = Names::new(searcher);
    // Runs tied on fit and the first sixteen bytes of the name, in order of whole name and id.
    let same = |a: &(u32, NameOrder, DocAddress), b: &(u32, NameOrder, DocAddress)| {
        a.0 == b.0 && a.1 .0 == b.1 .0 && a.1 .1 == b.1 .1
    };
    if let (Some(first), Some(page_first)) = (found.first(), found.get(skip)) {
        if start > 0 && same(first, page_first) {
            return Ok(None);
        }
    }
    if let (Some(page_last), Some(end)) = (found.get(skip + limit - 1), found.last()) {
        if found.len() == wanted && same(page_last, end) {
            return Ok(None);
        }
    }
    let ordered =
        by_whole_name_within_runs(&found, same, |f| (f.2.segment_ord, f.2.doc_id), &names);
    Ok(Some(IndexFound {
        services: ordered
            .into_iter()
            .skip(skip)
            .take(limit)
            .map(|f| names.id_at(f.2.segment_ord, f.2.doc_id))
            .collect(),
        skip_rows: 0,
        total,
    }))
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
    if needed < keyed.len() {
        if needed == 0 {
            return Vec::new();
        }
        // Everything up to the `needed`th, and anything tied with it.
        keyed.select_nth_unstable_by(needed - 1, quick);
        let pivot = keyed[needed - 1];
        let (mut head, tail): (Vec<_>, Vec<_>) = {
            let (head, tail) = keyed.split_at(needed);
            (head.to_vec(), tail.to_vec())
        };
        head.extend(
            tail.into_iter()
                .filter(|k| quick(k, &pivot) == Ordering::Equal),
        );
        keyed = head;
    }
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
