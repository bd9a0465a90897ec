//! Each word's own lists, one for each field it is looked for in, looked up offer by offer
//! where another list leads (a ring of cells, a box, a rare category): skipping through each
//! list by its skip blocks, rather than through their lists joined (which reads every offer
//! holding the word between one lookup and the next).

use super::*;

/// The words of a search, each as its lists in the fields it is looked for in (weighted as
/// in [`plan`]).
pub(super) struct WordLists {
    words: Vec<Vec<Box<dyn Weight>>>,
    /// The share of offers holding the rarest word (in any field), at most 1.
    pub(super) rarest_share: f64,
}

/// One segment's word lists, read forward.
pub(super) type WordScorers = Vec<Vec<Box<dyn Scorer>>>;

impl WordLists {
    pub(super) fn of(
        searcher: &tantivy::Searcher,
        f: &Fields,
        filter: &ServiceFilter,
    ) -> Result<WordLists> {
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
        #[allow(clippy::cast_precision_loss)]
        let rarest_share = rarest_word_offers(searcher, f, filter).map_or(1.0, |n| {
            (n as f64 / searcher.num_docs().max(1) as f64).min(1.0)
        });
        Ok(WordLists {
            words,
            rarest_share,
        })
    }

    /// The lists of one segment, at their starts.
    pub(super) fn scorers(&self, reader: &SegmentReader) -> Result<WordScorers> {
        self.words
            .iter()
            .map(|fields| {
                fields
                    .iter()
                    .map(|w| w.scorer(reader, 1.0))
                    .collect::<tantivy::Result<Vec<_>>>()
            })
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(index_error)
    }
}

/// How well each offer fits a common word, kept per generation of the index (as many words
/// as [`KeptByFit`]: 4 bytes for every offer in the index, 4 MB a word at a million offers).
/// A ring of cells near a place looks each of its offers up here instead of in the word's
/// lists in each field, which skipped and unpacked a block of each list for each offer: a
/// common word near a city at a million offers went from 1,255-1,695 to 2,115-2,139 searches
/// a second (a sorted list of the offers holding the word, searched by halves, was no quicker
/// than the lists).
pub(crate) type KeptFits = PerGeneration<String, Arc<Fits>>;

/// One word's fits, one list per segment with a place for each of its offers (negative for
/// an offer not holding the word).
pub(crate) struct Fits(Vec<Vec<Score>>);

impl Fits {
    /// How well the offer `doc` of the segment at `at` fits the word, if it holds it.
    pub(super) fn at(&self, at: usize, doc: DocId) -> Option<Score> {
        let fit = *self.0.get(at)?.get(doc as usize)?;
        (fit >= 0.0).then_some(fit)
    }
}

impl SearchIndex {
    /// For a search of one common word (held by [`COMMON_SHARE`] of offers or more): how well
    /// each offer fits it, worked out once per generation of the index, each fit added up
    /// field by field exactly as [`fit_at`] adds it.
    pub(super) fn kept_fits(
        &self,
        searcher: &tantivy::Searcher,
        filter: &ServiceFilter,
        lists: &WordLists,
    ) -> Result<Option<Arc<Fits>>> {
        let words = filter.words().map(tokens).unwrap_or_default();
        let [word] = words.as_slice() else {
            return Ok(None);
        };
        if lists.rarest_share < COMMON_SHARE {
            return Ok(None);
        }
        self.fits
            .get_or_work(searcher, word.as_str(), || {
                let mut segments = Vec::new();
                for reader in searcher.segment_readers() {
                    let mut fits: Vec<Score> = vec![-1.0; reader.max_doc() as usize];
                    if let Some(fields) = lists.scorers(reader)?.first_mut() {
                        each_fit(fields, |doc, fit| {
                            if let Some(slot) = fits.get_mut(doc as usize) {
                                *slot = fit;
                            }
                        });
                    }
                    segments.push(fits);
                }
                Ok(Arc::new(Fits(segments)))
            })
            .map(Some)
    }
}

/// Each offer holding one word in any of its fields, in the segment's order, with its fit:
/// the fields' scores added in their order, as [`fit_at`] adds them.
fn each_fit(fields: &mut [Box<dyn Scorer>], mut found: impl FnMut(DocId, Score)) {
    loop {
        let doc = fields.iter().map(|l| l.doc()).min().unwrap_or(TERMINATED);
        if doc == TERMINATED {
            return;
        }
        let mut fit = 0.0;
        for list in fields.iter_mut() {
            if list.doc() == doc {
                fit += list.score();
                list.advance();
            }
        }
        found(doc, fit);
    }
}

/// How many offers hold the rarest of the words, or `None` without words: the sum over the
/// fields it is looked for in, so an offer holding it in two fields counts twice (a bound).
pub(super) fn rarest_word_offers(
    searcher: &tantivy::Searcher,
    f: &Fields,
    filter: &ServiceFilter,
) -> Option<u64> {
    filter
        .words()
        .map(tokens)
        .unwrap_or_default()
        .iter()
        .map(|w| {
            word_fields(f)
                .iter()
                .map(|(field, _)| {
                    searcher
                        .doc_freq(&Term::from_field_text(*field, w))
                        .unwrap_or(0)
                })
                .sum::<u64>()
        })
        .min()
}

/// How well an offer fits the words (the sum of each word's fit in each field it is in), or
/// `None` if a word is in none of its fields. Offers must be asked about in the segment's
/// order: each list only moves on.
pub(super) fn fit_at(scorers: &mut WordScorers, doc: DocId) -> Option<Score> {
    let mut score = 0.0;
    for fields in scorers.iter_mut() {
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
            return None;
        }
    }
    Some(score)
}
