//! The search index beside the database: every public offer's words, terms, ages, times and
//! places in a tantivy index, so any combination of filters is answered from the most
//! selective part (tantivy intersects the lists of matching offers, rarest first) and words
//! are ranked by BM25. The database stays the truth: the index is built from it when the
//! process starts and caught up before a search whenever the directory's generation has moved
//! (each offer records the generation it was last written in, `dir_services.changed`), so
//! every process sharing a PostgreSQL database keeps its own index current.
//!
//! Reading the index is in [`query`]; here is what goes into it and how it is kept.

use super::*;
use std::sync::Mutex;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{
    doc, Index, IndexReader, IndexSettings, IndexSortByField, IndexWriter, Order, ReloadPolicy,
    TantivyDocument, Term,
};

mod query;
pub use query::{IndexFound, Resolved};

/// The analyser of words in the index and in searches: split on anything not a letter or
/// digit, lower case, accents off, English stemming (as the databases' own searches did).
const WORDS: &str = "village_words";

/// A stand-in for "no lower age limit" and "no upper age limit", so age ranges are read from
/// the index alone.
pub(super) const NO_MINIMUM: i64 = -1;
pub(super) const NO_MAXIMUM: i64 = i64::MAX;

/// Flags an offer carries (`flag` field).
pub(super) const FREE: &str = "free";
pub(super) const NO_AREAS: &str = "no_areas";
pub(super) const AT_A_PLACE: &str = "at_a_place";

/// How many offers are read from the database at a time when building or catching up.
const BATCH: i64 = 2_000;

/// The fields of the index.
#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub id: Field,
    /// The id as two numbers, when it is a UUID written the usual way (most are): reading it
    /// back is then arithmetic, not a lookup in the index's dictionary of ids.
    pub id_hi: Field,
    pub id_lo: Field,
    pub name: Field,
    pub description: Field,
    pub organisation: Field,
    /// The name as written, then a NUL and the id (see [`order_key`]): the index keeps each
    /// segment's offers in this order, and offers are put in order of name by it.
    pub name_sort: Field,
    /// The first eight bytes of the name, and the next eight, as numbers: most comparisons
    /// of names end there.
    pub name_key: Field,
    pub name_key2: Field,
    pub term: Field,
    pub flag: Field,
    pub min_age: Field,
    pub max_age: Field,
    /// Day tokens (`TU`), day and hour (`TU@10`: a time on Tuesday reaches into 10:00–11:00,
    /// or opens or closes then) and hour (`@10`, any day).
    pub time: Field,
    /// Each time exactly: day, opening and closing minutes packed in a number.
    pub slots: Field,
    /// The grid cell of each place ([`Grid::FINE`]).
    pub cell: Field,
    /// Each place exactly, packed in a number ([`pack_point`]).
    pub geo: Field,
    /// How many service_at_locations the offer has.
    pub sal_count: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let indexed = NumericOptions::default().set_indexed();
    let fields = Fields {
        id: b.add_text_field("id", STRING | FAST),
        id_hi: b.add_u64_field("id_hi", FAST),
        id_lo: b.add_u64_field("id_lo", FAST),
        name: b.add_text_field("name", words.clone()),
        description: b.add_text_field("description", words.clone()),
        organisation: b.add_text_field("organisation", words),
        name_sort: b.add_text_field("name_sort", FAST),
        name_key: b.add_u64_field("name_key", FAST),
        name_key2: b.add_u64_field("name_key2", FAST),
        term: b.add_text_field("term", STRING),
        flag: b.add_text_field("flag", STRING),
        min_age: b.add_i64_field("min_age", FAST),
        max_age: b.add_i64_field("max_age", FAST),
        time: b.add_text_field("time", STRING),
        slots: b.add_u64_field("slots", FAST),
        cell: b.add_i64_field("cell", indexed),
        geo: b.add_u64_field("geo", FAST),
        sal_count: b.add_u64_field("sal_count", FAST),
    };
    (b.build(), fields)
}

fn analyser() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The words of a text as the index holds them.
pub(super) fn tokens(text: &str) -> Vec<String> {
    let mut analyser = analyser();
    let mut stream = analyser.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A place packed in one number: latitude and longitude each in 32 bits, to 1e-7 of a degree
/// (about a centimetre).
pub(super) fn pack_point(p: LatLon) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lat = ((p.lat() + 90.0) * 1e7).round() as u64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lon = ((p.lon() + 180.0) * 1e7).round() as u64;
    (lat << 32) | (lon & 0xffff_ffff)
}

/// The place [`pack_point`] packed.
pub(super) fn unpack_point(v: u64) -> Option<LatLon> {
    #[allow(clippy::cast_precision_loss)]
    let lat = (v >> 32) as f64 / 1e7 - 90.0;
    #[allow(clippy::cast_precision_loss)]
    let lon = (v & 0xffff_ffff) as f64 / 1e7 - 180.0;
    LatLon::new(lat, lon).ok()
}

/// One time of an offer packed in one number: day (0 = Monday), opening and closing minutes.
pub(super) fn pack_slot(day: u64, opens: u64, closes: u64) -> u64 {
    (day << 32) | (opens << 16) | closes
}

pub(super) fn unpack_slot(v: u64) -> (u64, i64, i64) {
    #[allow(clippy::cast_possible_wrap)]
    (v >> 32, ((v >> 16) & 0xffff) as i64, (v & 0xffff) as i64)
}

/// The key offers are put in order of name by: the name, a NUL, the id. Byte by byte it orders
/// as the name and then the id do (a name that is the start of another comes first either
/// way); a NUL within a name, which no name should hold, is read as the character after it.
pub(super) fn order_key(name: &str, id: &str) -> String {
    let mut key = name.replace('\0', "\u{1}");
    key.push('\0');
    key.push_str(id);
    key
}

/// Eight bytes of a name from `at`, as a number that orders as the names do.
pub(super) fn name_key(name: &str, at: usize) -> u64 {
    let mut key = [0u8; 8];
    for (k, b) in key.iter_mut().zip(name.as_bytes().iter().skip(at)) {
        *k = *b;
    }
    u64::from_be_bytes(key)
}

fn index_error(e: tantivy::TantivyError) -> crate::StoreError {
    crate::StoreError::Invalid(format!("the search index: {e}"))
}

/// The search index and the generation of the directory it reflects.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    writer: tokio::sync::Mutex<IndexWriter>,
    /// The generation the index reflects (`None` until it is first built).
    synced: Mutex<Option<i64>>,
    /// Whether segments are merged in the background yet (from the first merge into one on,
    /// or the first change after the first build, whichever comes first).
    merging: std::sync::atomic::AtomicBool,
    /// How well the best offer fits each word asked about lately, for the index as it was
    /// then (its generation): a search near a place stops reading once no offer further out
    /// could fit well enough.
    best_fits: query::KeptBestFits,
    /// Common words asked about lately, their offers in order of fit (`query::by_fit`).
    by_fit: query::KeptByFit,
    /// Common words asked about lately, their offers' fits in the index's order
    /// (`query::words`).
    fits: query::KeptFits,
    /// How many offers the cells of circles asked about lately list (`query::cells`).
    circles: query::KeptCircles,
    /// Each segment's columns, opened once.
    columns: query::OpenColumns,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("synced", &self.synced())
            .finish_non_exhaustive()
    }
}

/// One offer as the index holds it, read from the database.
#[derive(Default)]
struct Row {
    id: String,
    name: String,
    description: String,
    organisation: String,
    min_age: Option<i64>,
    max_age: Option<i64>,
    free: bool,
    public: bool,
    terms: Vec<String>,
    slots: Vec<(String, i64, i64)>,
    places: Vec<(f64, f64)>,
    sal_count: u64,
    has_areas: bool,
}

impl SearchIndex {
    /// An empty index, held in memory, built on the first [`SearchIndex::catch_up`].
    pub fn new(memory_bytes: usize) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        // Each segment holds its offers in order of name, then id: the first matches of a
        // segment are then its first by name, and of offers that fit a search's words
        // equally well tantivy keeps the earlier, which is the first by name.
        let settings = IndexSettings {
            sort_by_field: Some(IndexSortByField {
                field: "name_sort".to_string(),
                order: Order::Asc,
            }),
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_ram()
            .map_err(index_error)?;
        index.tokenizers().register(WORDS, analyser());
        let writer = index
            .writer_with_num_threads(1, memory_bytes.max(15_000_000))
            .map_err(index_error)?;
        // No merging in the background until the first build is merged into one segment
        // ([`SearchIndex::merge_into_one`]): a merge already under way would refuse that one.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(SearchIndex {
            reader,
            fields,
            writer: tokio::sync::Mutex::new(writer),
            synced: Mutex::new(None),
            merging: std::sync::atomic::AtomicBool::new(false),
            best_fits: query::KeptBestFits::keeping(query::BEST_FITS_KEPT),
            by_fit: query::KeptByFit::keeping(query::COMMON_WORDS_KEPT),
            fits: query::KeptFits::keeping(query::COMMON_WORDS_KEPT),
            circles: query::KeptCircles::keeping(query::CIRCLES_KEPT),
            columns: query::OpenColumns::default(),
        })
    }

    /// Keep at most `words` common words' fits and orders of fit at once (each up to 4 bytes
    /// for every offer in the index, and 8 for every offer holding the word; 16 unless told):
    /// `[search] common_words_kept`.
    pub fn keeping_common_words(mut self, words: usize) -> SearchIndex {
        self.by_fit = query::KeptByFit::keeping(words);
        self.fits = query::KeptFits::keeping(words);
        self
    }

    /// How many offers the index holds.
    pub fn offers(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Merge the index into one segment (after it is first built: a search reads each
    /// segment's best, so fewer segments read less). Searches go on reading the segments as
    /// they were until the merge is done; changes wait for it. Blocks: run it apart.
    pub fn merge_into_one(&self) -> Result<()> {
        let mut writer = self.writer.blocking_lock();
        let ids: Vec<tantivy::index::SegmentId> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(tantivy::SegmentReader::segment_id)
            .collect();
        let merged = if ids.len() > 1 {
            writer.merge(&ids).wait().map(|_| ())
        } else {
            Ok(())
        };
        self.merge_in_background(&mut writer);
        merged.map_err(index_error)?;
        self.reader.reload().map_err(index_error)?;
        Ok(())
    }

    /// From here the segments of later changes are merged as tantivy sees fit.
    fn merge_in_background(&self, writer: &mut IndexWriter) {
        use std::sync::atomic::Ordering;
        if !self.merging.swap(true, Ordering::SeqCst) {
            writer.set_merge_policy(Box::new(tantivy::indexer::LogMergePolicy::default()));
        }
    }

    /// How many segments the index is in (each keeps its offers in order of name).
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// The generation of the directory the index reflects, if it has been built.
    pub fn synced(&self) -> Option<i64> {
        self.synced.lock().ok().and_then(|s| *s)
    }

    /// Bring the index up to the directory's current generation, reading only the offers
    /// written since the generation it reflects (all of them the first time). Returns whether
    /// the index is now current: `false` when another search is already catching it up (the
    /// caller searches the database meanwhile), or when `wait` is false and the index is
    /// behind.
    pub async fn catch_up(&self, db: &mut impl Db, generation: i64, wait: bool) -> Result<bool> {
        if self.synced() == Some(generation) {
            return Ok(true);
        }
        let mut writer = if wait {
            self.writer.lock().await
        } else {
            match self.writer.try_lock() {
                Ok(w) => w,
                Err(_) => return Ok(false),
            }
        };
        let from = self.synced();
        if from == Some(generation) {
            return Ok(true);
        }
        // Changes after the first build are merged as tantivy sees fit, even if the first
        // build was never merged into one (it was built by a search, not at start).
        if from.is_some() {
            self.merge_in_background(&mut writer);
        }
        // The generation, then the offers written since the one the index reflects.
        let (now, changed) = read_changed(db, from.unwrap_or(-1)).await?;
        let f = self.fields;
        for row in &changed {
            writer.delete_term(Term::from_field_text(f.id, &row.id));
            if row.public {
                writer
                    .add_document(document(&f, row))
                    .map_err(index_error)?;
            }
        }
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)?;
        if let Ok(mut s) = self.synced.lock() {
            *s = Some(now);
        }
        tracing::debug!(from, now, offers = changed.len(), "search index caught up");
        Ok(now >= generation)
    }
}

/// The index's document for one public offer.
fn document(f: &Fields, row: &Row) -> TantivyDocument {
    let (id_hi, id_lo) = uuid_parts(&row.id);
    let mut d = doc!(
        f.id => row.id.as_str(),
        f.id_hi => id_hi,
        f.id_lo => id_lo,
        f.name => row.name.as_str(),
        f.description => row.description.as_str(),
        f.organisation => row.organisation.as_str(),
        f.name_sort => order_key(&row.name, &row.id),
        f.name_key => name_key(&row.name, 0),
        f.name_key2 => name_key(&row.name, 8),
        f.min_age => row.min_age.unwrap_or(NO_MINIMUM),
        f.max_age => row.max_age.unwrap_or(NO_MAXIMUM),
        f.sal_count => row.sal_count,
    );
    for t in &row.terms {
        d.add_text(f.term, t);
    }
    if row.free {
        d.add_text(f.flag, FREE);
    }
    if !row.has_areas {
        d.add_text(f.flag, NO_AREAS);
    }
    if row.sal_count > 0 {
        d.add_text(f.flag, AT_A_PLACE);
    }
    let mut times = std::collections::BTreeSet::new();
    for (day, opens, closes) in &row.slots {
        let Some(n) = Weekday::parse(day).map(day_number) else {
            continue;
        };
        let (opens, closes) = ((*opens).clamp(0, 24 * 60), (*closes).clamp(0, 24 * 60));
        #[allow(clippy::cast_sign_loss)]
        d.add_u64(f.slots, pack_slot(n, opens as u64, closes as u64));
        times.insert(day.clone());
        // Every hour the time reaches into, and the hours it opens and closes in (a time
        // that runs past midnight, or opens and closes at once, reaches into none).
        let hours = (0..24)
            .filter(|h| opens < (h + 1) * 60 && closes > h * 60)
            .chain([opens / 60, closes / 60]);
        for hour in hours {
            times.insert(format!("{day}@{hour}"));
            times.insert(format!("@{hour}"));
        }
        // Past midnight: a candidate for any hour (each time is then checked exactly).
        if opens > closes {
            times.insert(format!("{day}@night"));
            times.insert("@night".to_string());
        }
    }
    for t in &times {
        d.add_text(f.time, t);
    }
    let mut cells = std::collections::BTreeSet::new();
    for (lat, lon) in &row.places {
        if let Ok(p) = LatLon::new(*lat, *lon) {
            d.add_u64(f.geo, pack_point(p));
            cells.insert(Grid::FINE.cell(p));
        }
    }
    for c in cells {
        d.add_i64(f.cell, c);
    }
    d
}

/// A UUID id as two numbers, or (0, 0) for any other id (and the nil UUID, which then reads
/// back the slow way).
pub(super) fn uuid_parts(id: &str) -> (u64, u64) {
    match uuid::Uuid::parse_str(id) {
        Ok(u) if u.hyphenated().to_string() == id => {
            let n = u.as_u128();
            #[allow(clippy::cast_possible_truncation)]
            ((n >> 64) as u64, n as u64)
        }
        _ => (0, 0),
    }
}

/// The id [`uuid_parts`] split, if it did.
pub(super) fn uuid_from_parts(hi: u64, lo: u64) -> Option<String> {
    if hi == 0 && lo == 0 {
        return None;
    }
    let n = (u128::from(hi) << 64) | u128::from(lo);
    Some(uuid::Uuid::from_u128(n).hyphenated().to_string())
}

/// Monday 0 … Sunday 6.
pub(super) fn day_number(day: Weekday) -> u64 {
    Weekday::ALL
        .iter()
        .position(|d| *d == day)
        .and_then(|i| u64::try_from(i).ok())
        .unwrap_or(0)
}

type ServiceRow = (
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<bool>,
    bool,
);

/// The directory's generation and every offer written after generation `after`. The
/// generation is read first: an offer is written in the same transaction that moves the
/// generation on (every caller of the upserts writes in one),
/// so every offer written up to it is there to be read after it (offers written
/// since may be read too, and are read again next time: taking one in twice changes nothing).
/// No transaction is held open, so a search given up half way leaves none behind.
async fn read_changed(db: &mut impl Db, after: i64) -> Result<(i64, Vec<Row>)> {
    let now = super::generation(db).await?;
    let mut rows = Vec::new();
    let mut last = String::new();
    loop {
        let batch: Vec<ServiceRow> = query!(db, c => sqlx::query_as(
            "SELECT id, name, description, organization_name, minimum_age, maximum_age, free, public \
             FROM dir_services WHERE changed > $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(after)
        .bind(&last)
        .bind(BATCH)
        .fetch_all(&mut *c)
        .await)?;
        let Some(end) = batch.last().map(|r| r.0.clone()) else {
            break;
        };
        let start = rows.len();
        let mut at = std::collections::HashMap::new();
        for (id, name, description, organisation, min_age, max_age, free, public) in batch {
            at.insert(id.clone(), rows.len());
            rows.push(Row {
                id,
                name,
                description,
                organisation: organisation.unwrap_or_default(),
                min_age,
                max_age,
                free: free == Some(true),
                public,
                ..Row::default()
            });
        }
        let ids: Vec<String> = rows[start..].iter().map(|r| r.id.clone()).collect();
        let terms: Vec<(String, String)> = for_ids(
            db,
            "SELECT service_id, term_id FROM dir_service_terms",
            &ids,
        )
        .await?;
        for (id, term) in terms {
            if let Some(i) = at.get(&id) {
                rows[*i].terms.push(term);
            }
        }
        let times: Vec<(String, String, i64, i64)> = for_ids(
            db,
            "SELECT service_id, day, opens, closes FROM dir_service_times",
            &ids,
        )
        .await?;
        for (id, day, opens, closes) in times {
            if let Some(i) = at.get(&id) {
                rows[*i].slots.push((day, opens, closes));
            }
        }
        let places: Vec<(String, f64, f64)> = for_ids(
            db,
            "SELECT service_id, lat, lon FROM dir_service_places",
            &ids,
        )
        .await?;
        for (id, lat, lon) in places {
            if let Some(i) = at.get(&id) {
                rows[*i].places.push((lat, lon));
            }
        }
        let sals: Vec<(String, String)> = for_ids(
            db,
            "SELECT service_id, id FROM dir_service_at_locations",
            &ids,
        )
        .await?;
        for (id, _) in sals {
            if let Some(i) = at.get(&id) {
                rows[*i].sal_count += 1;
            }
        }
        let areas: Vec<(String, String)> = for_ids(
            db,
            "SELECT service_id, service_id FROM dir_service_areas",
            &ids,
        )
        .await?;
        for (id, _) in areas {
            if let Some(i) = at.get(&id) {
                rows[*i].has_areas = true;
            }
        }
        last = end;
    }
    Ok((now, rows))
}

/// The rows of `select` (which reads `service_id` from one table) for these offers: the ids
/// go as one value, not one parameter each.
async fn for_ids<T>(db: &mut impl Db, select: &str, ids: &[String]) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    Ok(match db.exec() {
        Exec::Sqlite(c) => {
            let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
            sqlx::query_as(&format!(
                "{select} WHERE service_id IN (SELECT value FROM json_each($1))"
            ))
            .bind(list)
            .fetch_all(&mut *c)
            .await?
        }
        Exec::Postgres(c) => {
            sqlx::query_as(&format!("{select} WHERE service_id = ANY($1)"))
                .bind(ids.to_vec())
                .fetch_all(&mut *c)
                .await?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_id_reads_back_from_its_numbers_and_any_other_id_is_left_to_the_dictionary() {
        for id in [
            "2e0b7c1a-9d3f-4a5e-8b6c-1f2e3d4c5b6a",
            "ffffffff-ffff-4fff-bfff-ffffffffffff",
        ] {
            let (hi, lo) = uuid_parts(id);
            assert_eq!(uuid_from_parts(hi, lo).as_deref(), Some(id));
        }
        for id in [
            "2E0B7C1A-9D3F-4A5E-8B6C-1F2E3D4C5B6A",
            "2e0b7c1a9d3f4a5e8b6c1f2e3d4c5b6a",
            "knitting-1",
            "00000000-0000-0000-0000-000000000000",
        ] {
            let (hi, lo) = uuid_parts(id);
            assert_eq!(uuid_from_parts(hi, lo), None, "{id}");
        }
    }

    #[test]
    fn names_keys_order_as_the_names_do() {
        let mut names = [
            "Zumba",
            "Friendly knitting group",
            "Friendly walking group",
            "A",
            "",
        ];
        names.sort_unstable();
        let keys: Vec<(u64, u64)> = names
            .iter()
            .map(|n| (name_key(n, 0), name_key(n, 8)))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn places_and_times_pack_and_unpack() {
        let p = LatLon::new(53.479_412_3, -2.245_301_9).unwrap();
        let back = unpack_point(pack_point(p)).unwrap();
        assert!(distance_km(p, back) < 0.000_1);
        assert_eq!(unpack_slot(pack_slot(1, 615, 1440)), (1, 615, 1440));
    }
}
