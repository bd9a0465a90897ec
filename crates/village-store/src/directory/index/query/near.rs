//! Searching near a place a ring of cells at a time, nearest first.

use super::*;

/// A search near a place read a ring of cells at a time: each ring's offers are read from
/// the lists of its cells (in the index's order), then looked up in the filters' lists and
/// the words' (whose fit is read there), and checked exactly. A tantivy query over the cells
/// would join the lists of every cell across the whole index for each ring.
pub(super) struct NearWeights {
    pub(super) words: WordLists,
    /// For one common word, its offers' fits, kept (then its lists are not read).
    kept: Option<Arc<Fits>>,
    pub(super) filters: Option<Box<dyn Weight>>,
}

impl NearWeights {
    pub(super) fn of(
        index: &SearchIndex,
        searcher: &tantivy::Searcher,
        filter: &ServiceFilter,
        planned: &Planned,
    ) -> Result<NearWeights> {
        let words = WordLists::of(searcher, &index.fields, filter)?;
        let kept = index.kept_fits(searcher, filter, &words)?;
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
        Ok(NearWeights {
            words,
            kept,
            filters,
        })
    }

    /// The offers of one ring that pass every filter and check.
    pub(super) fn hits(
        &self,
        searcher: &tantivy::Searcher,
        columns: &[Arc<Columns>],
        cell: Field,
        ring: &[(i64, i64)],
        exact: &Exact,
    ) -> Result<Vec<Hit>> {
        let mut hits = Vec::new();
        if ring.is_empty() {
            return Ok(hits);
        }
        let segments = searcher.segment_readers().iter().zip(columns);
        for (at, (reader, columns)) in segments.enumerate() {
            let segment = SegmentOrdinal::try_from(at).unwrap_or(SegmentOrdinal::MAX);
            let mut docs: Vec<DocId> = Vec::new();
            each_in_cells(reader, cell, ring, |doc| docs.push(doc))?;
            if docs.is_empty() {
                continue;
            }
            // An offer with places in two cells is listed under both.
            docs.sort_unstable();
            docs.dedup();
            let alive = reader.alive_bitset();
            let mut filters = self
                .filters
                .as_ref()
                .map(|w| w.scorer(reader, 1.0))
                .transpose()
                .map_err(index_error)?;
            let mut words = match self.kept {
                Some(_) => Vec::new(),
                None => self.words.scorers(reader)?,
            };
            for doc in docs {
                if !alive.is_none_or(|a| a.is_alive(doc)) {
                    continue;
                }
                // Offers come in the segment's order, so each list only moves on.
                let fit = match &self.kept {
                    Some(kept) => kept.at(at, doc),
                    None => fit_at(&mut words, doc),
                };
                let Some(score) = fit else {
                    continue;
                };
                if let Some(f) = filters.as_mut() {
                    if f.doc() < doc {
                        f.seek(doc);
                    }
                    if f.doc() != doc {
                        continue;
                    }
                }
                let Some(distance) = examine(exact, columns, doc) else {
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

/// Where the rings of a circle end, as shares of its radius: finest nearest the centre,
/// where a page of a city's offers is usually found.
pub(super) const RINGS: [f64; 14] = [
    0.02, 0.04, 0.06, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8,
];

/// A ring of a circle: its cells (as ranges of cell numbers), and how near any place beyond
/// it can be (km).
pub(super) type Ring = (Vec<(i64, i64)>, f64);

/// The cells ([`Grid::FINE`]) of a circle in rings, nearest first, each worked out when it
/// is read: its cells (as ranges) and how near any place beyond it can be (km). A ring is the
/// cells reaching within its distance but not within the ring before's.
pub(super) struct Rings {
    centre: LatLon,
    /// Where each ring ends and how near any place beyond it can be (km), in order.
    ends: Vec<(f64, f64)>,
    /// The next ring.
    at: usize,
    /// Each row's cells in the rings so far.
    reached: std::collections::HashMap<i64, (i64, i64)>,
}

/// The rings of a circle, the last beyond nothing; `None` for a circle too large to split
/// (then read whole).
pub(super) fn rings(centre: LatLon, km: f64) -> Option<Rings> {
    Grid::FINE.circle_rows(centre, km)?;
    let mut ends: Vec<(f64, f64)> = RINGS.iter().map(|s| (s * km, s * km)).collect();
    ends.push((km, f64::INFINITY));
    Some(Rings {
        centre,
        ends,
        at: 0,
        reached: std::collections::HashMap::new(),
    })
}

/// How far the rings around a point reach when a search is in order of distance from it
/// with no distance given (km): beyond, the rest of the index is read at once.
pub(super) const FROM_REACH_KM: f64 = 250.0;

/// Rings around a point, doubling from 250 m to [`FROM_REACH_KM`]: for a search in order of
/// distance from a point without a circle. The last is not beyond everything.
pub(super) fn rings_from(centre: LatLon) -> Option<Rings> {
    Grid::FINE.circle_rows(centre, FROM_REACH_KM)?;
    let ends = std::iter::successors(Some(0.25), |km| Some(km * 2.0))
        .take_while(|km| *km < FROM_REACH_KM)
        .chain([FROM_REACH_KM])
        .map(|km| (km, km))
        .collect();
    Some(Rings {
        centre,
        ends,
        at: 0,
        reached: std::collections::HashMap::new(),
    })
}

impl Iterator for Rings {
    type Item = Ring;

    fn next(&mut self) -> Option<Ring> {
        let (end, beyond) = *self.ends.get(self.at)?;
        self.at += 1;
        let mut cells = Vec::new();
        // A circle within one that could be split can be too.
        for row in Grid::FINE.circle_rows(self.centre, end)? {
            let (lo, hi) = row.cells;
            let r = Grid::FINE.row(lo);
            let grown = match self.reached.get(&r) {
                // Only the new cells at either end of the row.
                Some(&(was_lo, was_hi)) => {
                    if lo < was_lo {
                        cells.push((lo, was_lo - 1));
                    }
                    if hi > was_hi {
                        cells.push((was_hi + 1, hi));
                    }
                    (lo.min(was_lo), hi.max(was_hi))
                }
                None => {
                    cells.push((lo, hi));
                    (lo, hi)
                }
            };
            self.reached.insert(r, grown);
        }
        Some((cells, beyond))
    }
}

/// How many words' best fits are kept.
pub(crate) const BEST_FITS_KEPT: usize = 10_000;

/// How well the best offer fits each word asked about lately.
pub(crate) type KeptBestFits = PerGeneration<String, f64>;

impl SearchIndex {
    /// No offer can fit the words better than this: the sum, over the words, of how well the
    /// offer fitting each word best fits it (each word's own fit being exact, found by
    /// block-max WAND over its lists and kept for this generation of the index).
    pub(super) fn best_possible_fit(
        &self,
        searcher: &tantivy::Searcher,
        filter: &ServiceFilter,
    ) -> Result<f64> {
        let mut most = 0.0f64;
        for w in filter.words().map(tokens).unwrap_or_default() {
            most += self.best_fits.get_or_work(searcher, w.as_str(), || {
                best_fit_of_word(searcher, &self.fields, &w)
            })?;
        }
        // A hair more, for the order sums are added in.
        Ok(most * 1.0001 + 1e-6)
    }
}

/// How well the offer fitting this word best fits it, weighted by field as the search does.
fn best_fit_of_word(searcher: &tantivy::Searcher, f: &Fields, word: &str) -> Result<f64> {
    let fields: Vec<Box<dyn Query>> = word_fields(f)
        .into_iter()
        .map(|(field, boost)| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                )),
                boost,
            ))
        })
        .collect();
    let top = searcher
        .search(
            &BooleanQuery::union(fields),
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )
        .map_err(index_error)?;
    Ok(top.first().map_or(0.0, |(score, _)| f64::from(*score)))
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
    /// next ring's distance, ranks below the page: so no offer may fit better than that, and
    /// for one word it is the best offer's fit exactly.
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
            let best = index.best_possible_fit(&searcher, &filter).unwrap();
            // Asked again, the same (kept).
            assert_eq!(index.best_possible_fit(&searcher, &filter).unwrap(), best);
            let planned = plan(&index.fields, &filter, &Resolved::default()).unwrap();
            let finder = Finder {
                exact: Exact::default(),
                scoring: true,
                columns: index.columns.of(&searcher).unwrap(),
            };
            let hits = searcher.search(&planned.query(true), &finder).unwrap();
            assert!(!hits.is_empty(), "{words}");
            let most = hits.iter().map(|h| f64::from(h.score)).fold(0.0, f64::max);
            assert!(most <= best, "{words}: {most} > {best}");
            // And exact for one word (words together may fit best in different offers).
            if !words.contains(' ') {
                assert!(best < most * 1.001, "{words}: {best} against {most}");
            } else {
                assert!(best < most * 2.0, "{words}: {best} against {most}");
            }
        }
    }

    /// Answers kept per generation are at most as many as told (none for 0): one forgotten is
    /// worked out again.
    #[test]
    fn as_many_answers_are_kept_as_told() {
        let index = index_of(&[offer(0, "Chess", "Chess.", "")]);
        let searcher = index.reader.searcher();
        for (most, work) in [(0, 4), (1, 3), (2, 2)] {
            let kept: PerGeneration<String, u32> = PerGeneration::keeping(most);
            let mut worked = 0;
            for key in ["a", "a", "b", "a"] {
                let answer = kept
                    .get_or_work(&searcher, key, || {
                        worked += 1;
                        Ok(7)
                    })
                    .unwrap();
                assert_eq!(answer, 7);
            }
            assert_eq!(worked, work, "keeping {most}");
        }
    }

    /// A ring's offers fit one common word exactly as well when looked up in the word's kept
    /// fits as when looked up in its lists field by field: the same offers, the same fits to
    /// the last bit (an order that differed between the two would move offers between pages).
    #[test]
    fn a_common_words_kept_fits_are_its_lists_fits_to_the_bit() {
        let centre = LatLon::new(53.4794, -2.2453).unwrap();
        let mut rows = Vec::new();
        for i in 0..400u32 {
            let (name, description, organisation) = match i % 7 {
                0 => ("Chess", "Chess chess chess.", "Chess club"),
                1 => ("Chess club", "A friendly club for all.", "Parish"),
                2 => (
                    "Board games, cards and chess",
                    "We meet weekly, chess too.",
                    "",
                ),
                3 => ("Walking group", "A walk, then chess over tea.", "Walkers"),
                4 => ("Choir", "We sing. Chess on Fridays.", "Chess"),
                5 => ("Club night", "Music.", "Friendly club"),
                _ => ("Knitting", "Bring needles.", "Crafts"),
            };
            let mut row = offer(i as usize, name, description, organisation);
            let step = f64::from(i % 40) * 0.0015;
            row.places = vec![(53.4794 + step, -2.2453 + f64::from(i / 40) * 0.002)];
            rows.push(row);
        }
        let index = index_of(&rows);
        let searcher = index.reader.searcher();
        let columns = index.columns.of(&searcher).unwrap();
        for word in ["chess", "club", "walk", "friendly", "knitting"] {
            let filter = ServiceFilter {
                words: Some(word.to_string()),
                near: Some((centre, 5.0)),
                ..ServiceFilter::default()
            };
            let planned = plan(&index.fields, &filter, &Resolved::default()).unwrap();
            let kept = NearWeights::of(&index, &searcher, &filter, &planned).unwrap();
            assert!(kept.kept.is_some(), "{word} is common here");
            let lists = NearWeights {
                kept: None,
                ..NearWeights::of(&index, &searcher, &filter, &planned).unwrap()
            };
            let cells: Vec<(i64, i64)> = rings(centre, 5.0).unwrap().flat_map(|r| r.0).collect();
            let found = |near: &NearWeights| -> Vec<(DocId, u32)> {
                let mut hits: Vec<(DocId, u32)> = near
                    .hits(
                        &searcher,
                        &columns,
                        index.fields.cell,
                        &cells,
                        &planned.exact,
                    )
                    .unwrap()
                    .iter()
                    .map(|h| (h.doc, h.score.to_bits()))
                    .collect();
                hits.sort_unstable();
                hits
            };
            let by_lists = found(&lists);
            assert!(by_lists.len() > 40, "{word}: {}", by_lists.len());
            assert_eq!(found(&kept), by_lists, "{word}");
        }
    }

    /// Near a place with words, reading stops only once no offer further out could fit well
    /// enough: an offer 3 km away whose name is the word comes before forty nearer ones that
    /// mention it once in a long description, whether or not the count is known.
    #[test]
    fn a_far_offer_that_fits_far_better_is_not_cut_off_by_the_rings() {
        let centre = LatLon::new(53.4794, -2.2453).unwrap();
        let long = "We walk together every week along the canal and through the park, then \
            have tea and talk about the week, and sometimes there is knitting after.";
        let mut rows = Vec::new();
        for i in 0..40u32 {
            let mut row = offer(i as usize, &format!("Walk {i:02}"), long, "");
            row.places = vec![(53.4794 + 0.001 * f64::from(i), -2.2453)];
            rows.push(row);
        }
        let mut far = offer(40, "Knitting", "Knitting.", "");
        far.places = vec![(53.4794 + 0.027, -2.2453)];
        rows.push(far);
        let index = index_of(&rows);
        for total_known in [None, Some(41)] {
            let filter = ServiceFilter {
                words: Some("knitting".to_string()),
                near: Some((centre, 5.0)),
                limit: 5,
                total_known,
                ..ServiceFilter::default()
            };
            let found = index.search(&filter, &Resolved::default()).unwrap();
            assert_eq!(found.total, 41);
            assert_eq!(
                found.services[0], rows[40].id,
                "count known: {total_known:?}"
            );
        }
    }

    /// An offer met in two places, in different rings (or one inside the rings and one beyond
    /// them), is found once, at its nearer place.
    #[test]
    fn an_offer_with_places_in_two_rings_is_found_once() {
        let centre = LatLon::new(53.4794, -2.2453).unwrap();
        let mut rows = Vec::new();
        for i in 0..30u32 {
            let mut row = offer(i as usize, &format!("Chess {i:02}"), "Chess.", "");
            // Each 110 m further north, and every third also 3 km or 390 km north.
            row.places = vec![(53.4794 + 0.001 * f64::from(i), -2.2453)];
            if i % 3 == 0 {
                row.places.push((53.4794 + 0.027, -2.2453));
            }
            if i % 3 == 1 {
                row.places.push((57.0, -2.2453));
            }
            row.sal_count = row.places.len() as u64;
            rows.push(row);
        }
        let index = index_of(&rows);
        let want: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        for words in [None, Some("chess".to_string())] {
            for near in [Some((centre, 5.0)), None] {
                for total_known in [None, Some(30)] {
                    let filter = ServiceFilter {
                        words: words.clone(),
                        near,
                        sort_from: near.is_none().then_some(centre),
                        sort: SortOrder::Nearest,
                        limit: 30,
                        total_known,
                        ..ServiceFilter::default()
                    };
                    let found = index.search(&filter, &Resolved::default()).unwrap();
                    let asked = format!("{words:?} near {near:?}, count {total_known:?}");
                    assert_eq!(found.total, 30, "{asked}");
                    assert_eq!(found.services, want, "{asked}");
                }
            }
        }
    }

    /// The rings of a circle hold each of its cells once, nearest first: no place in a ring
    /// is nearer than the end of the ring before it.
    #[test]
    fn the_rings_of_a_circle_hold_its_cells_once_each_nearest_first() {
        let centre = LatLon::new(53.4794, -2.2453).unwrap();
        for km in [0.3, 2.0, 5.0, 12.0, 30.0, 100.0] {
            let ranges: Vec<(i64, i64)> = Grid::FINE
                .circle_rows(centre, km)
                .unwrap()
                .iter()
                .map(|r| r.cells)
                .collect();
            let mut all: Vec<i64> = ranges.iter().flat_map(|(lo, hi)| *lo..=*hi).collect();
            let rings: Vec<Ring> = rings(centre, km).unwrap().collect();
            assert_eq!(rings.len(), RINGS.len() + 1);
            assert_eq!(rings.last().map(|r| r.1), Some(f64::INFINITY));
            let mut held = Vec::new();
            let mut before = 0.0;
            for (cells, beyond) in &rings {
                for c in cells.iter().flat_map(|(lo, hi)| *lo..=*hi) {
                    // The corner of the cell nearest the centre is beyond the ring before.
                    let b = Grid::FINE.bounds(c);
                    let corner = LatLon::new(
                        centre.lat().clamp(b.min_lat, b.max_lat),
                        centre.lon().clamp(b.min_lon, b.max_lon),
                    )
                    .unwrap();
                    assert!(distance_km(centre, corner) >= before, "{km} km: cell {c}");
                    held.push(c);
                }
                before = *beyond;
            }
            all.sort_unstable();
            held.sort_unstable();
            assert_eq!(held, all, "{km} km");
        }
        assert!(rings(centre, 400.0).is_none(), "too tall to split");
        // Around a point without a circle: the same, out to the reach, none beyond everything.
        let from: Vec<Ring> = rings_from(centre).unwrap().collect();
        let mut before = 0.0;
        let mut held = 0;
        for (cells, beyond) in &from {
            assert!(beyond.is_finite() && *beyond > before);
            before = *beyond;
            held += cells.iter().map(|(lo, hi)| hi - lo + 1).sum::<i64>();
        }
        let all: i64 = Grid::FINE
            .circle_rows(centre, FROM_REACH_KM)
            .unwrap()
            .iter()
            .map(|r| r.cells.1 - r.cells.0 + 1)
            .sum();
        assert_eq!(held, all);
        assert_eq!(before, FROM_REACH_KM);
    }
}
