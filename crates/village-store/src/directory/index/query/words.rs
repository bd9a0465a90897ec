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
