//! Planning a search: the tantivy query for a filter, and what is checked of each offer
//! exactly.

use super::*;

/// What is checked of each offer the index finds, exactly.
#[derive(Clone, Default)]
pub(super) struct Exact {
    /// Distances are measured from here.
    pub(super) centre: Option<LatLon>,
    /// Within this many km of the centre.
    pub(super) within_km: Option<f64>,
    /// A place inside this box.
    pub(super) inside: Option<BoundingBox>,
    /// One time meets every part.
    pub(super) times: Option<Times>,
    /// The ages asked about.
    pub(super) ages: Ages,
}

/// Ages asked about, checked against each offer's limits (no lower limit is held as -1, no
/// upper limit as the largest number).
#[derive(Clone, Copy, Default)]
pub(super) struct Ages {
    /// The offer's lower limit is at least this (and it has one).
    pub(super) minimum_at_least: Option<i64>,
    /// The offer's upper limit is at most this (and it has one).
    pub(super) maximum_at_most: Option<i64>,
    /// Someone of this age may come.
    pub(super) age: Option<i64>,
}

impl Ages {
    pub(super) fn asked(&self) -> bool {
        self.minimum_at_least.is_some() || self.maximum_at_most.is_some() || self.age.is_some()
    }

    pub(super) fn meet(&self, minimum: i64, maximum: i64) -> bool {
        self.minimum_at_least
            .is_none_or(|a| minimum >= a.max(NO_MINIMUM + 1))
            && self
                .maximum_at_most
                .is_none_or(|a| maximum <= a.min(NO_MAXIMUM - 1))
            && self.age.is_none_or(|a| minimum <= a && maximum >= a)
    }
}

#[derive(Clone, Copy, Default)]
pub(super) struct Times {
    pub(super) day: Option<u64>,
    pub(super) opens_at_or_after: Option<i64>,
    pub(super) closes_at_or_before: Option<i64>,
    pub(super) open_between: Option<(i64, i64)>,
}

impl Times {
    pub(super) fn meets(&self, (day, opens, closes): (u64, i64, i64)) -> bool {
        self.day.is_none_or(|d| d == day)
            && self.opens_at_or_after.is_none_or(|x| opens >= x)
            && self.closes_at_or_before.is_none_or(|y| closes <= y)
            && self
                .open_between
                .is_none_or(|(from, to)| opens < to && closes > from)
    }
}

pub(super) fn must(clauses: &mut Vec<(Occur, Box<dyn Query>)>, q: Box<dyn Query>) {
    // Filters never change how well the words fit.
    clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
}

pub(super) fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::union(queries))
}

pub(super) fn cells(field: Field, ranges: &[(i64, i64)]) -> Box<dyn Query> {
    Box::new(CellsQuery {
        field,
        ranges: ranges.to_vec(),
    })
}

/// Where words are looked for, and how much a word found there counts: the name three times,
/// the description once, the organisation half.
pub(super) fn word_fields(f: &Fields) -> [(Field, Score); 3] {
    [(f.name, 3.0), (f.description, 1.0), (f.organisation, 0.5)]
}

/// The query for a filter and what must be checked exactly; `None` when nothing can match.
pub(super) fn plan(f: &Fields, filter: &ServiceFilter, resolved: &Resolved) -> Option<Planned> {
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
        let ranges: Vec<(i64, i64)> = match Grid::FINE.circle_rows(centre, km) {
            Some(rows) => rows.iter().map(|r| r.cells).collect(),
            None => Grid::FINE.box_ranges(&BoundingBox::around(centre, km)),
        };
        circle = Some(ranges);
        exact.centre = Some(centre);
        exact.within_km = Some(km);
    }
    if let Some(b) = &filter.within_box {
        must(&mut clauses, cells(f.cell, &Grid::FINE.box_ranges(b)));
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
pub(super) struct Planned {
    pub(super) cell: Field,
    /// How many of the clauses are words (they come first).
    pub(super) words: usize,
    pub(super) clauses: Vec<(Occur, Box<dyn Query>)>,
    pub(super) circle: Option<Vec<(i64, i64)>>,
    pub(super) exact: Exact,
}

impl Planned {
    /// A single word alone (its fields' lists joined): tantivy skips through it by block-max
    /// WAND only when it is the whole query.
    pub(super) fn word_alone(&self) -> Option<Box<dyn Query>> {
        match self.clauses.first() {
            Some((_, word)) if self.words == 1 => Some(word.box_clone()),
            _ => None,
        }
    }

    /// Everything but the words (`None` if nothing).
    pub(super) fn filters(&self) -> Option<Box<dyn Query>> {
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

    /// The query: the clauses, and the circle's cells unless `circle` is false (then only
    /// the exact check keeps offers to the circle).
    pub(super) fn query(&self, circle: bool) -> Box<dyn Query> {
        let circle = self.circle.as_deref().filter(|_| circle);
        if circle.is_none() && self.clauses.len() == 1 {
            if let Some(word) = self.word_alone() {
                return word;
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .clauses
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        if let Some(ranges) = circle {
            must(&mut clauses, cells(self.cell, ranges));
        }
        if clauses.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(clauses))
    }
}
