//! Searching near a place a ring of cells at a time, nearest first.

use super::*;

/// A search near a place read a ring of cells at a time: each ring's offers are read from
/// the lists of its cells (in the index's order), then looked up in the filters' lists and
/// the words' (whose fit is read there), and checked exactly. A tantivy query over the cells
/// would join the lists of every cell across the whole index for each ring.
pub(super) struct NearWeights {
    /// Each word's lists, one for each field it is looked for in (weighted as in [`plan`]).
    pub(super) words: Vec<Vec<Box<dyn Weight>>>,
    pub(super) filters: Option<Box<dyn Weight>>,
}

impl NearWeights {
    pub(super) fn of(
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
    pub(super) fn hits(
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
pub(super) const RINGS: [f64; 8] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9];

/// The most cells a circle is read a ring at a time in (a larger one is read at once).
pub(super) const RING_CELLS: i64 = 40_000;

/// A ring of a circle: its cells (as ranges of cell numbers), and how near any place beyond
/// it can be (km).
pub(super) type Ring = (Vec<(i64, i64)>, f64);

/// The cells of a circle in rings, nearest first: each ring's cells (as ranges) and how near
/// any place beyond it can be (km). `None` for a circle too large to split.
pub(super) fn rings(ranges: &[(i64, i64)], centre: LatLon, km: f64) -> Option<Vec<Ring>> {
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
pub(super) fn best_possible_fit(
    searcher: &tantivy::Searcher,
    f: &Fields,
    filter: &ServiceFilter,
) -> f64 {
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
