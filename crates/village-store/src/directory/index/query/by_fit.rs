//! A common word's offers in order of how well they fit it: best first, and of equal fit the
//! earlier in the segment (the first by name), kept per generation of the index. A search by
//! that word alone with filters far rarer than it (a map's box) walks down the list and keeps
//! the offers the filters hold, stopping as soon as the page is full: a few hundred steps,
//! where looking up each of a box's tens of thousands of offers in the word's lists took
//! milliseconds.

use super::*;
use tantivy::BitSet;

/// Words held by a smaller share of offers are not kept in order: few enough to read.
pub(super) const COMMON_SHARE: f64 = 0.01;

/// How many common words' orders of fit (and fits, `words::KeptFits`) are kept unless told
/// ([`SearchIndex::keeping_common_words`]).
pub(crate) const COMMON_WORDS_KEPT: usize = 16;

/// Common words' offers in order of fit: each takes 8 bytes for every offer holding it, about
/// 2.4 MB for a word three offers in ten hold, at a million offers.
pub(crate) type KeptByFit = PerGeneration<String, Arc<ByFit>>;

/// One word's offers in order of fit, one list per segment.
pub(crate) struct ByFit(Vec<Vec<(Score, DocId)>>);

impl ByFit {
    /// The list of the segment at `at`.
    pub(super) fn segment(&self, at: usize) -> &[(Score, DocId)] {
        self.0.get(at).map_or(&[], Vec::as_slice)
    }
}

impl SearchIndex {
    /// `word`'s offers in order of fit (`weight`: the word alone, scored as the search
    /// scores it), worked out once for each generation of the index.
    pub(super) fn by_fit(
        &self,
        searcher: &tantivy::Searcher,
        word: &str,
        weight: &dyn Weight,
    ) -> Result<Arc<ByFit>> {
        self.by_fit.get_or_work(searcher, word, || {
            let mut segments = Vec::new();
            for reader in searcher.segment_readers() {
                let mut all: Vec<(Score, DocId)> = Vec::new();
                weight
                    .for_each(reader, &mut |doc, score| all.push((score, doc)))
                    .map_err(index_error)?;
                all.sort_unstable_by(|a, b| fit_bits(b.0).cmp(&fit_bits(a.0)).then(a.1.cmp(&b.1)));
                segments.push(all);
            }
            Ok(Arc::new(ByFit(segments)))
        })
    }
}

/// The offers a segment's filters hold, as a set to look offers up in.
pub(super) fn set_of(mut filters: Box<dyn Scorer>, max_doc: DocId) -> BitSet {
    let mut set = BitSet::with_max_value(max_doc);
    let mut doc = filters.doc();
    while doc != TERMINATED {
        set.insert(doc);
        doc = filters.advance();
    }
    set
}
