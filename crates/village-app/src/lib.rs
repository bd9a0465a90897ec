//! Village's use cases: one function per operation, called alike by the pages, the JSON API
//! and the command line. Each checks permission (the domain's access rules), applies the
//! domain's rules, writes through the store in one transaction and records the audit entry.
//! This is the only layer that opens transactions.
//!
//! Each capability is a module with the same name as in `village-domain`, `village-store`
//! and `village-web`. [`App`] holds what every use case reaches: the store, the hub's
//! settings, the mailer, the audit writer and the caches kept in process memory.

pub mod accounts;
pub mod audit;
pub mod connections;
pub mod decisions;
pub mod demo;
pub mod directory;
pub mod error;
pub mod fuzzing;
pub mod gatherings;
pub mod hub;
pub mod identity;
pub mod jobs;
pub mod mail;
pub mod mutual_aid;
pub mod people;
pub mod safeguarding;
pub mod settings;
pub mod stories;

use std::sync::Arc;
use village_store::{Store, StoreOptions};

pub use error::{Error, Result};
pub use settings::Settings;

/// Public counts and when they were read.
pub type CachedCounts = (std::time::Instant, (i64, i64));

/// What every use case can reach. Cheap to clone: everything in it is shared.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub mailer: Arc<mail::Mailer>,
    /// The home page's public counts, kept for a few seconds (see `village-web`'s `hub`).
    pub home_counts: Arc<std::sync::Mutex<Option<CachedCounts>>>,
    /// Sessions read in the last few seconds (see [`accounts::sessions`]).
    pub sessions: Arc<accounts::sessions::SessionCache>,
    /// Batched writer for audit entries of looks at personal data (see [`audit::AuditWriter`]).
    pub audit: Arc<audit::AuditWriter>,
    /// Counts of directory searches, while the directory does not change (see
    /// [`directory::SearchCounts`]).
    pub search_counts: Arc<directory::SearchCounts>,
    /// Marks in the list of every offer by name (see [`directory::NameMarks`]).
    pub name_marks: Arc<directory::NameMarks>,
    /// Whether any offer gives its service areas (see [`directory::AreasGiven`]).
    pub areas_given: Arc<directory::AreasGiven>,
    /// The directory's places as matching reads them, per grid cell (see
    /// `village_store::connections::KeptPlaces`).
    pub kept_places: Arc<village_store::connections::KeptPlaces>,
    /// The search index beside the database (see `village_store::directory::SearchIndex`),
    /// built in the background when the hub starts and caught up before each search.
    pub search_index: Arc<village_store::directory::SearchIndex>,
    /// Pages of the mutual aid board, while nothing on them has changed (see
    /// [`mutual_aid::KeptBoard`]).
    pub kept_board: Arc<mutual_aid::KeptBoard>,
}

impl App {
    /// The hub's use cases over an open, prepared store (see [`prepare`]). Starts the audit
    /// writer and the listener for session changes in other processes, so it must be called
    /// inside a Tokio runtime.
    pub fn new(store: Store, settings: Settings) -> anyhow::Result<Self> {
        let mailer = mail::Mailer::from_settings(&settings)?;
        let kept_places = Arc::new(village_store::connections::KeptPlaces::new(
            settings.suggestions.places_kept,
        ));
        let sessions: Arc<accounts::sessions::SessionCache> = Arc::default();
        accounts::sessions::start(store.clone(), sessions.clone());
        let search_index = Arc::new(
            village_store::directory::SearchIndex::new(
                settings.search.index_memory_mb.saturating_mul(1 << 20),
            )?
            .keeping_common_words(settings.search.common_words_kept),
        );
        directory::build_index(store.clone(), search_index.clone());
        let search_counts = Arc::new(directory::SearchCounts::keeping(
            settings.search.counts_kept,
        ));
        let kept_board = Arc::new(mutual_aid::KeptBoard::keeping(
            settings.mutual_aid.board_kept_mb,
        ));
        Ok(Self {
            sessions,
            audit: Arc::new(audit::AuditWriter::start(store.clone())),
            store,
            settings: Arc::new(settings),
            mailer: Arc::new(mailer),
            home_counts: Arc::default(),
            search_counts,
            name_marks: Arc::default(),
            areas_given: Arc::default(),
            kept_places,
            search_index,
            kept_board,
        })
    }

    /// Forget cached public counts after this process changes them, so people see their own
    /// change at once. Other processes catch up within a few seconds.
    pub fn forget_home_counts(&self) {
        if let Ok(mut cached) = self.home_counts.lock() {
            *cached = None;
        }
    }
}

/// Open the database at `url` and make it ready for a hub: the schema brought up to date and
/// the default taxonomies installed (the directory's categories and the Village profile's
/// terms, which every published offer may point at). `village serve`, `village migrate` and
/// every other command, and the tests, all open their database through this.
pub async fn open_store(url: &str, options: &StoreOptions) -> anyhow::Result<Store> {
    use anyhow::Context;
    let store = Store::open(url, options)
        .await
        .context("cannot open the database")?;
    prepare(&store).await?;
    Ok(store)
}

/// Bring an open store's schema up to date and install the default taxonomies.
pub async fn prepare(store: &Store) -> anyhow::Result<()> {
    use anyhow::Context;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    directory::ensure_default_taxonomy(store)
        .await
        .context("cannot install the default taxonomies")?;
    Ok(())
}

/// The current time in seconds since the Unix epoch: read once per request, passed down.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The calendar year at `now` (UTC).
pub fn this_year(now: i64) -> i32 {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(now, 0)
        .map(|t| t.year())
        .unwrap_or(2026)
}
