//! The community directory: searching it (with the counts and marks kept per generation of
//! the directory), the default taxonomies every hub has, and the imports and export the
//! `village` command runs.

pub mod editing;
pub mod hsds_csv;
pub mod import;
pub mod records;

use serde_json::json;
use std::sync::Arc;
use village_domain::directory::taxonomy::{
    Access, Community, GroupKind, Space, ACCESS_TAXONOMY_ID, ACCESS_TAXONOMY_NAME, CATEGORIES,
    COMMUNITIES_TAXONOMY_ID, COMMUNITIES_TAXONOMY_NAME, COMMUNITY_TAXONOMY_ID,
    COMMUNITY_TAXONOMY_NAME, GROUP_KIND_TAXONOMY_ID, GROUP_KIND_TAXONOMY_NAME,
    LIVED_EXPERIENCE_LED_TERM_ID, LIVED_EXPERIENCE_TAXONOMY_ID, LIVED_EXPERIENCE_TAXONOMY_NAME,
    SPACE_TAXONOMY_ID, SPACE_TAXONOMY_NAME,
};
use village_store::directory as store;
use village_store::Store;

/// The number of matches of searches made before, while the directory has not changed since
/// (its generation, which any change to any offer moves on, in every process sharing the
/// database). Counting every match of a broad search costs far more than finding a page of
/// them; the count of the same search is then read from here. Pages are always searched.
/// When many people make the same new search at once, one counts and the others wait for it
/// (moka's `try_get_with`). Counts of older generations are never asked for again and age out.
#[derive(Debug)]
pub struct SearchCounts(moka::future::Cache<String, i64>);

impl SearchCounts {
    /// Keeping at most `most` counts (the least used go first; `[search] counts_kept`).
    pub fn keeping(most: u64) -> SearchCounts {
        SearchCounts(moka::future::Cache::new(most))
    }
}

impl SearchCounts {
    /// The key of this search's count in this generation of the directory.
    fn key(search: &str, generation: i64) -> String {
        format!("{generation} {search}")
    }
}

/// How many offers apart the marks of the list by name are (see [`NameMarks`]).
const MARK_EVERY: i64 = 1_000;

/// One value worked out from the directory, kept for its current generation (which any change
/// to any offer moves on, in every process sharing the database): read once per change,
/// people asking at once wait for one reading.
#[derive(Debug)]
pub struct PerGeneration<T>(std::sync::Mutex<Option<(i64, Arc<tokio::sync::OnceCell<T>>)>>);

impl<T> Default for PerGeneration<T> {
    fn default() -> Self {
        PerGeneration(std::sync::Mutex::new(None))
    }
}

impl<T> PerGeneration<T> {
    /// Where the value for this generation is kept (a new, empty one for a newer generation).
    fn slot(&self, generation: i64) -> Arc<tokio::sync::OnceCell<T>> {
        let Ok(mut kept) = self.0.lock() else {
            return Arc::default();
        };
        if let Some((g, slot)) = kept.as_ref() {
            if *g == generation {
                return slot.clone();
            }
        }
        let slot: Arc<tokio::sync::OnceCell<T>> = Arc::default();
        *kept = Some((generation, slot.clone()));
        slot
    }
}

/// Every thousandth public offer by name: a page deep in the whole list (an ORUK crawler's
/// page 5,000) starts at the mark before it instead of stepping over a quarter of a million
/// offers.
pub type NameMarks = PerGeneration<Vec<(String, String)>>;

/// Whether any offer gives the areas it covers, so a search near a postcode in a directory
/// without areas (most) does not check every offer it finds against none.
pub type AreasGiven = PerGeneration<bool>;

/// Search the directory, counting the matches only when this search has not been counted
/// since the directory last changed.
// Debug level: the hot path of every directory page and ORUK list.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn search(
    state: &crate::App,
    mut filter: store::ServiceFilter,
) -> village_store::Result<(Vec<(String, String)>, i64)> {
    let store = &state.store;
    let mut c = store.conn().await?;
    let generation = store::generation(&mut c).await?;
    if filter.covering.is_some() {
        let areas = state.areas_given.slot(generation);
        let any = areas
            .get_or_try_init(|| store::has_service_areas(&mut c))
            .await?;
        if !*any {
            filter.covering = None;
        }
    }
    // Anything but the whole list by name (which the database's index of names pages
    // through at any depth) and the few shapes the database answers as quickly comes from
    // the search index, once it is current.
    // The index counts exactly; its counts are kept apart from the database's (which may be
    // bounded) and, like them, read again once the directory changes.
    if !filter.lists_everything_by_name() && !filter.database_is_quicker() {
        let index_key = SearchCounts::key(&format!("index {}", filter.count_key()), generation);
        let known = state.search_counts.0.get(&index_key).await;
        if let Some(total) = known {
            if filter.offset >= total {
                return Ok((Vec::new(), total));
            }
        }
        let asked = store::ServiceFilter {
            total_known: known,
            ..filter.clone()
        };
        if let Some(found) =
            store::search_services_indexed(&mut c, &state.search_index, generation, &asked).await?
        {
            if known.is_none() {
                state.search_counts.0.insert(index_key, found.1).await;
            }
            return Ok(found);
        }
    }
    let count_key = SearchCounts::key(&filter.count_key(), generation);
    // Places near someone are read from those matching keeps in memory.
    let kept = Some((&*state.kept_places, generation));
    if let Some(total) = state.search_counts.0.get(&count_key).await {
        // A page past the last match (a crawler stepping one page too far) is empty: nothing
        // to search for.
        if filter.offset >= total {
            return Ok((Vec::new(), total));
        }
        filter.total_known = Some(total);
        if filter.lists_everything_by_name() && filter.offset >= MARK_EVERY {
            drop(c);
            let slot = state.name_marks.slot(generation);
            let marks = slot
                .get_or_try_init(|| async {
                    let mut c = store.conn().await?;
                    store::name_marks(&mut c, MARK_EVERY).await
                })
                .await?;
            let at = usize::try_from(filter.offset / MARK_EVERY).unwrap_or(usize::MAX);
            if let Some(mark) = marks.get(at) {
                filter.from_mark = Some(mark.clone());
                filter.offset %= MARK_EVERY;
            }
            let mut c = store.conn().await?;
            return store::search_services_kept(&mut c, &filter, kept).await;
        }
        return store::search_services_kept(&mut c, &filter, kept).await;
    }
    // Not holding a connection while another request counts.
    drop(c);
    let mut first = None;
    let total = state
        .search_counts
        .0
        .try_get_with(count_key, async {
            let mut c = store.conn().await?;
            let found = store::search_services_kept(&mut c, &filter, kept).await?;
            let total = found.1;
            first = Some(found);
            Ok::<_, village_store::StoreError>(total)
        })
        .await
        // The one who counted failed: whoever holds the last share of its error gets it back
        // whole; the others, in words.
        .map_err(|e| {
            std::sync::Arc::try_unwrap(e).unwrap_or_else(|e| {
                village_store::StoreError::Invalid(format!("counting a search: {e}"))
            })
        })?;
    if let Some(found) = first {
        return Ok(found);
    }
    if filter.offset >= total {
        return Ok((Vec::new(), total));
    }
    filter.total_known = Some(total);
    let mut c = store.conn().await?;
    store::search_services_kept(&mut c, &filter, kept).await
}

/// Build the search index in the background, from the directory as it is now; until it is
/// built, searches read the database.
pub fn build_index(store: village_store::Store, index: Arc<store::SearchIndex>) {
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        let built = async {
            let mut c = store.conn().await?;
            let generation = store::generation(&mut c).await?;
            index.catch_up(&mut c, generation, true).await?;
            drop(c);
            // Searches use it from here; merged into one segment, each reads less.
            let read = started.elapsed().as_secs_f64();
            let merging = Arc::clone(&index);
            let merged = tokio::task::spawn_blocking(move || merging.merge_into_one()).await;
            // Searches are answered either way; unmerged, each reads a little more.
            match merged {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "the search index could not be merged"),
                Err(e) => tracing::warn!(error = %e, "the search index could not be merged"),
            }
            Ok::<_, village_store::StoreError>(read)
        }
        .await;
        match built {
            Ok(read) => tracing::info!(
                offers = index.offers(),
                segments = index.segments(),
                read_seconds = read,
                seconds = started.elapsed().as_secs_f64(),
                "search index built"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "the search index could not be built: searches read the database");
            }
        }
    });
}

/// One taxonomy term of the Village profile, as ORUK JSON.
fn term(
    id: &str,
    code: &str,
    name: &str,
    description: &str,
    taxonomy_id: &str,
    taxonomy: &str,
) -> serde_json::Value {
    json!({
        "id": id,
        "code": code,
        "name": name,
        "description": description,
        "taxonomy_id": taxonomy_id,
        "taxonomy": taxonomy,
    })
}

/// One term of the profile: its id, code and plain-words name.
pub type ProfileTerm = (&'static str, &'static str, &'static str);

/// The Village profile's own taxonomies (besides community life): id, name, what it says, and
/// its terms (the lived-experience taxonomy's one term is added on its own).
pub fn profile_taxonomies() -> Vec<(&'static str, &'static str, &'static str, Vec<ProfileTerm>)> {
    fn terms<T: Copy>(
        all: &[T],
        id: fn(T) -> &'static str,
        code: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) -> Vec<ProfileTerm> {
        all.iter().map(|t| (id(*t), code(*t), label(*t))).collect()
    }
    vec![
        (
            ACCESS_TAXONOMY_ID,
            ACCESS_TAXONOMY_NAME,
            "Access a place or activity has, beside its own description.",
            terms(Access::ALL, Access::term_id, Access::code, Access::label),
        ),
        (
            GROUP_KIND_TAXONOMY_ID,
            GROUP_KIND_TAXONOMY_NAME,
            "What kind of group runs an offer, from informal groups to council services.",
            terms(GroupKind::ALL, GroupKind::term_id, GroupKind::code, GroupKind::label),
        ),
        (
            LIVED_EXPERIENCE_TAXONOMY_ID,
            LIVED_EXPERIENCE_TAXONOMY_NAME,
            "Whether an offer is led by people with lived experience of what it is about.",
            Vec::new(),
        ),
        (
            COMMUNITIES_TAXONOMY_ID,
            COMMUNITIES_TAXONOMY_NAME,
            "Communities of interest or identity an offer is especially for; others may be welcome too.",
            terms(Community::ALL, Community::term_id, Community::code, Community::label),
        ),
        (
            SPACE_TAXONOMY_ID,
            SPACE_TAXONOMY_NAME,
            "Whether an offer can take new people now, or keeps a waiting list.",
            terms(Space::ALL, Space::term_id, Space::code, Space::label),
        ),
    ]
}

/// Make sure the hub has Village's default taxonomy of community life and the Village profile's
/// taxonomies (access, kind of group, lived experience), as ORUK taxonomies and terms. Safe to
/// run at every start: it writes the same records each time.
#[tracing::instrument(skip_all)]
pub async fn ensure_default_taxonomy(store_: &Store) -> Result<(), village_store::StoreError> {
    let mut tx = store_.begin().await?;
    let taxonomy = json!({
        "id": COMMUNITY_TAXONOMY_ID,
        "name": COMMUNITY_TAXONOMY_NAME,
        "description": "Categories of community life used by Village hubs: the kinds of things people come together to do.",
        "version": "1",
    });
    store::upsert_taxonomy(
        &mut tx,
        COMMUNITY_TAXONOMY_ID,
        COMMUNITY_TAXONOMY_NAME,
        &taxonomy.to_string(),
    )
    .await?;
    for c in CATEGORIES {
        let term = json!({
            "id": c.id,
            "code": c.code,
            "name": c.name,
            "description": c.description,
            "taxonomy_id": COMMUNITY_TAXONOMY_ID,
            "taxonomy": COMMUNITY_TAXONOMY_NAME,
        });
        store::upsert_taxonomy_term(
            &mut tx,
            c.id,
            Some(COMMUNITY_TAXONOMY_ID),
            None,
            c.name,
            &term.to_string(),
        )
        .await?;
    }
    for (id, name, description, terms) in profile_taxonomies() {
        let doc = json!({"id": id, "name": name, "description": description, "version": "1"});
        store::upsert_taxonomy(&mut tx, id, name, &doc.to_string()).await?;
        for (term_id, code, label) in terms {
            let doc = term(term_id, code, label, label, id, name);
            store::upsert_taxonomy_term(&mut tx, term_id, Some(id), None, label, &doc.to_string())
                .await?;
        }
    }
    let led = "Led by people with lived experience";
    let doc = term(
        LIVED_EXPERIENCE_LED_TERM_ID,
        "lived_experience_led",
        led,
        "Run by people who know what it is about from their own life.",
        LIVED_EXPERIENCE_TAXONOMY_ID,
        LIVED_EXPERIENCE_TAXONOMY_NAME,
    );
    store::upsert_taxonomy_term(
        &mut tx,
        LIVED_EXPERIENCE_LED_TERM_ID,
        Some(LIVED_EXPERIENCE_TAXONOMY_ID),
        None,
        led,
        &doc.to_string(),
    )
    .await?;
    tx.commit().await
}
