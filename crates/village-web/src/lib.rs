//! Village's web layer: server-rendered pages, the JSON API under `/api/v1`, sign-in and
//! sessions, and the middleware every request passes through.
//!
//! Each capability is a module with the same name as in `village-domain` and
//! `village-store`. Pages and API handlers of a capability call the same functions, so the
//! rules cannot differ between them.

pub mod accounts;
pub mod api;
pub mod audit;
pub mod auth;
pub mod connections;
pub mod decisions;
pub mod demo;
pub mod directory;
pub mod hub;
pub mod mail;
pub mod pages;
pub mod people;
pub mod safeguarding;
pub mod security;
pub mod sessions;
pub mod settings;

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use village_store::Store;

pub use settings::Settings;

/// Public counts and when they were read.
pub type CachedCounts = (std::time::Instant, (i64, i64));

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub mailer: Arc<mail::Mailer>,
    /// The home page's public counts, kept for a few seconds (see `hub::home_counts`).
    pub home_counts: Arc<std::sync::Mutex<Option<CachedCounts>>>,
    /// Sessions read in the last few seconds (see `sessions`).
    pub sessions: Arc<sessions::SessionCache>,
    /// Batched writer for audit entries of looks at personal data (see `audit::AuditWriter`).
    pub audit: Arc<audit::AuditWriter>,
    /// Counts of directory searches, while the directory does not change (see
    /// `directory::SearchCounts`).
    pub search_counts: Arc<directory::SearchCounts>,
    /// Marks in the list of every offer by name (see `directory::NameMarks`).
    pub name_marks: Arc<directory::NameMarks>,
    /// Whether any offer gives its service areas (see `directory::AreasGiven`).
    pub areas_given: Arc<directory::AreasGiven>,
    /// The directory's places as matching reads them, per grid cell (see
    /// `village_store::connections::KeptPlaces`).
    pub kept_places: Arc<village_store::connections::KeptPlaces>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> anyhow::Result<Self> {
        let mailer = mail::Mailer::from_settings(&settings)?;
        let kept_places = Arc::new(village_store::connections::KeptPlaces::new(
            settings.suggestions.places_kept,
        ));
        Ok(Self {
            store: store.clone(),
            settings: Arc::new(settings),
            mailer: Arc::new(mailer),
            home_counts: Arc::default(),
            sessions: Arc::default(),
            audit: Arc::new(audit::AuditWriter::start(store.clone())),
            search_counts: Arc::default(),
            name_marks: Arc::default(),
            areas_given: Arc::default(),
            kept_places,
        }
        .listening())
    }
}

impl AppState {
    fn listening(self) -> Self {
        sessions::start(self.store.clone(), self.sessions.clone());
        self
    }

    /// Forget cached public counts after this process changes them, so people see their own
    /// change at once. Other processes catch up within `hub::HOME_COUNTS_FOR`.
    pub fn forget_home_counts(&self) {
        if let Ok(mut cached) = self.home_counts.lock() {
            *cached = None;
        }
    }
}

/// The current time in seconds since the Unix epoch: read once per request, passed down.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Every route of the hub, with its middleware.
pub fn router(state: AppState) -> Router {
    let (api_router, _) = api::routes().split_for_parts();
    Router::new()
        .merge(hub::routes())
        .merge(accounts::routes())
        .merge(audit::routes())
        .merge(directory::oruk::routes())
        .merge(directory::pages::routes())
        .merge(directory::editing::routes())
        .merge(directory::editing::organiser_routes())
        .merge(people::pages::routes())
        .merge(safeguarding::routes())
        .merge(decisions::pages::routes())
        .merge(connections::pages::routes())
        .merge(connections::followup::routes())
        .merge(api_router)
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(api::openapi_json),
        )
        .fallback(hub::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            security::panic_response,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            settings::MAX_BODY_BYTES,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serve the hub on an already-bound listener until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = tokio::spawn(auth::sweep_forever(state.clone()));
    let follow_up = tokio::spawn(connections::follow_up_forever(state.clone()));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    follow_up.abort();
    result
}
