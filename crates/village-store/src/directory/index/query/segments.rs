//! A search whose order weighs no distance: each segment's first offers, merged.

use super::*;

/// A fit as a number that orders as it does.
pub(super) fn fit_bits(score: Score) -> u32 {
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
pub(super) struct Best {
    pub(super) n: usize,
    pub(super) heap:
        std::collections::BinaryHeap<std::cmp::Reverse<(u32, std::cmp::Reverse<DocId>)>>,
}

impl Best {
    pub(super) fn new(n: usize) -> Best {
        Best {
            n,
            heap: std::collections::BinaryHeap::with_capacity(n.min(4096) + 1),
        }
    }

    /// Offers are pushed in the segment's order.
    pub(super) fn push(&mut self, score: Score, doc: DocId) {
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

    /// Whether an offer fitting this well, later in the segment than those kept, would be
    /// kept (so it is worth checking further).
    pub(super) fn could_take(&self, score: Score) -> bool {
        self.heap.len() < self.n
            || self
                .heap
                .peek()
                .is_some_and(|least| fit_bits(score) > least.0 .0)
    }

    /// Only an offer that fits better than this can still be kept.
    pub(super) fn threshold(&self) -> Score {
        if self.heap.len() < self.n {
            return Score::MIN;
        }
        self.heap
            .peek()
            .map_or(Score::MIN, |least| from_fit_bits(least.0 .0))
    }
}

pub(super) fn from_fit_bits(bits: u32) -> Score {
    if bits >> 31 == 1 {
        Score::from_bits(bits & !(1 << 31))
    } else {
        Score::from_bits(!bits)
    }
}

/// Which lists lead a search by fit with filters: one word's (by block-max WAND, the
/// filters' looked up), the filters' (the words' looked up), or all together (tantivy's
/// own walk).
enum Lead<'w> {
    Word(&'w dyn Weight, Box<dyn Scorer>),
    Filters(Box<dyn Scorer>, WordScorers),
    /// One common word's offers in order of fit, and the set of offers the filters hold.
    ByFit(&'w [(Score, DocId)], tantivy::BitSet),
    All,
}

/// One offer kept from a segment: (worse fit is greater, the name's first sixteen bytes,
/// where it is).
pub(super) type Kept = (u32, u64, u64, SegmentOrdinal, DocId);

/// A search whose order weighs no distance (by fit, or by name). Each segment of the index
/// holds its offers in order of name and then id, so a segment's first matches are its first
/// by name (reading stops there), and by fit tantivy keeps a segment's best, skipping whole
/// blocks of offers that cannot reach them (block-max WAND), of equal fit the first by name.
/// The page is then among the segments' firsts, put in order by fit, name and id.
pub(super) fn ordered_by_segments(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    columns: &[Arc<Columns>],
    planned: &Planned,
    filter: &ServiceFilter,
    words: bool,
) -> Result<IndexFound> {
    let query = planned.query(true);
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
            count(searcher, columns, &*plain, exact, filter.per_location)?
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
    // Words with other filters: one word alone can be skipped through by block-max WAND,
    // each offer it gives then looked up in the filters' lists; when the filters are much
    // rarer than every word, each offer they give is looked up in the words' lists instead.
    // Otherwise tantivy walks the words' and filters' lists together.
    let split = match (by_fit, planned.filters()) {
        (true, Some(filters)) => Some((
            planned
                .word_alone()
                .map(|word| word.weight(scoring))
                .transpose()
                .map_err(index_error)?,
            filters
                .weight(EnableScoring::disabled_from_searcher(searcher))
                .map_err(index_error)?,
            WordLists::of(searcher, &index.fields, filter)?,
        )),
        _ => None,
    };
    // A single common word, when filters far rarer than it lead: its offers in order of fit
    // (worked out at the first segment that needs them).
    let single = filter.words().map(tokens).unwrap_or_default();
    let single = match single.as_slice() {
        [word] => Some(word.as_str()),
        _ => None,
    };
    let mut ordered: Option<Arc<ByFit>> = None;
    let mut kept: Vec<Kept> = Vec::new();
    let segments = searcher.segment_readers().iter().zip(columns);
    for (at, (reader, columns)) in segments.enumerate() {
        let segment = SegmentOrdinal::try_from(at).unwrap_or(SegmentOrdinal::MAX);
        let alive = reader.alive_bitset();
        let passes = |doc: DocId| {
            alive.is_none_or(|a| a.is_alive(doc)) && examine(exact, columns, doc).is_some()
        };
        let mut found: Vec<(u32, DocId)> = Vec::new();
        if by_fit {
            let mut best = Best::new(needed);
            let mut lead = Lead::All;
            if let Some((word, filters, words)) = &split {
                let scorer = filters.scorer(reader, 1.0).map_err(index_error)?;
                #[allow(clippy::cast_precision_loss)]
                let filter_share =
                    f64::from(scorer.size_hint()) / f64::from(reader.max_doc().max(1));
                if filter_share * 8.0 < words.rarest_share {
                    match (word, single) {
                        (Some(weight), Some(single)) if words.rarest_share >= COMMON_SHARE => {
                            if ordered.is_none() {
                                ordered = Some(index.by_fit(searcher, single, &**weight)?);
                            }
                            let list = ordered.as_deref().map_or(&[][..], |o| o.segment(at));
                            lead = Lead::ByFit(list, set_of(scorer, reader.max_doc()));
                        }
                        _ => lead = Lead::Filters(scorer, words.scorers(reader)?),
                    }
                } else if let Some(word) = word {
                    lead = Lead::Word(&**word, scorer);
                }
            }
            match lead {
                Lead::Word(word, mut filters) => {
                    word.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                        // Offers come in the segment's order, so the filters' lists only
                        // move on.
                        if filters.doc() < doc {
                            filters.seek(doc);
                        }
                        if filters.doc() == doc && passes(doc) {
                            best.push(score, doc);
                        }
                        best.threshold()
                    })
                    .map_err(index_error)?;
                }
                Lead::Filters(mut filters, mut words) => {
                    let mut doc = filters.doc();
                    while doc != TERMINATED {
                        // Checked exactly only if it would be kept.
                        if let Some(score) = fit_at(&mut words, doc) {
                            if best.could_take(score) && passes(doc) {
                                best.push(score, doc);
                            }
                        }
                        doc = filters.advance();
                    }
                }
                Lead::ByFit(list, set) => {
                    // Best first, so the first offers the filters hold are the page's.
                    for &(score, doc) in list {
                        if set.contains(doc) && passes(doc) {
                            best.push(score, doc);
                            if best.heap.len() >= best.n {
                                break;
                            }
                        }
                    }
                }
                Lead::All => {
                    weight
                        .for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                            if passes(doc) {
                                best.push(score, doc);
                            }
                            best.threshold()
                        })
                        .map_err(index_error)?;
                }
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
    let names = Names::new(columns);
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
        let rows = |k: &Kept| {
            usize::try_from(k.3)
                .ok()
                .and_then(|at| columns.get(at))
                .and_then(|c| c.sal_count.first(k.4))
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
