//! The offers with a place in some cells of the grid ([`Grid::FINE`]), read from the cells'
//! lists into a set: tantivy's own union of the cells' lists is slow to skip through when
//! other filters or words lead, and a box or circle holds thousands of cells.

use super::*;
use tantivy::query::{BitSetDocSet, ConstScorer, Explanation, Scorer};
use tantivy::BitSet;

/// Call `each` with the dictionary's entry (how many offers it lists, where its list is) of
/// every cell in these ranges that lists offers, one range read after the other.
fn each_cell(
    cells: &tantivy::InvertedIndexReader,
    field: Field,
    ranges: &[(i64, i64)],
    mut each: impl FnMut(&tantivy::postings::TermInfo) -> Result<()>,
) -> Result<()> {
    let io = |e: std::io::Error| index_error(e.into());
    for (lo, hi) in ranges {
        let (lo, hi) = (
            Term::from_field_i64(field, *lo),
            Term::from_field_i64(field, *hi),
        );
        let mut stream = cells
            .terms()
            .range()
            .ge(lo.serialized_value_bytes())
            .le(hi.serialized_value_bytes())
            .into_stream()
            .map_err(io)?;
        while stream.advance() {
            each(stream.value())?;
        }
    }
    Ok(())
}

/// Call `each` with every offer listed under a cell in these ranges (an offer with places in
/// two cells is given twice), in no particular order.
pub(super) fn each_in_cells(
    reader: &SegmentReader,
    field: Field,
    ranges: &[(i64, i64)],
    mut each: impl FnMut(DocId),
) -> Result<()> {
    let cells = reader.inverted_index(field).map_err(index_error)?;
    each_cell(&cells, field, ranges, |entry| {
        let mut block = cells
            .read_block_postings_from_terminfo(entry, IndexRecordOption::Basic)
            .map_err(|e| index_error(e.into()))?;
        while !block.docs().is_empty() {
            for doc in block.docs() {
                each(*doc);
            }
            block.advance();
        }
        Ok(())
    })
}

/// How many offers the cells in these ranges list, read from the index's dictionary of cells
/// alone (an offer in two of them counted twice).
pub(super) fn listed_in_cells(
    searcher: &tantivy::Searcher,
    field: Field,
    ranges: &[(i64, i64)],
) -> Result<u64> {
    let mut listed = 0u64;
    for reader in searcher.segment_readers() {
        let cells = reader.inverted_index(field).map_err(index_error)?;
        each_cell(&cells, field, ranges, |entry| {
            listed += u64::from(entry.doc_freq);
            Ok(())
        })?;
    }
    Ok(listed)
}

/// How many circles' counts of offers are kept.
pub(crate) const CIRCLES_KEPT: usize = 4_096;

/// How many offers the cells of circles asked about lately list.
pub(crate) type KeptCircles = PerGeneration<Vec<(i64, i64)>, u64>;

impl SearchIndex {
    /// [`listed_in_cells`] for a circle's cells, read once for each generation of the index:
    /// reading the dictionary for a city's circle took a tenth of a search by words near it.
    pub(super) fn listed_in_circle(
        &self,
        searcher: &tantivy::Searcher,
        ranges: &[(i64, i64)],
    ) -> Result<u64> {
        self.circles.get_or_work(searcher, ranges, || {
            listed_in_cells(searcher, self.fields.cell, ranges)
        })
    }
}

/// The offers with a place in these cells, as a query.
#[derive(Clone, Debug)]
pub(super) struct CellsQuery {
    pub(super) field: Field,
    pub(super) ranges: Vec<(i64, i64)>,
}

impl Query for CellsQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for CellsQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs = BitSet::with_max_value(reader.max_doc());
        each_in_cells(reader, self.field, &self.ranges, |doc| {
            docs.insert(doc);
        })
        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "offer {doc} has no place in these cells"
            )));
        }
        Ok(Explanation::new("in the cells", scorer.score()))
    }
}
