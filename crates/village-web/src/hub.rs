//! The hub's own pages: home, privacy notice, accessibility statement, health checks, the
//! stylesheet, and "page not found".

use crate::auth::{CsrfToken, MaybeSignedIn};
use crate::pages::{self, Layout};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use village_store::accounts as store;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(view_home_get))
        .route("/privacy", get(view_privacy_get))
        .route("/accessibility", get(view_accessibility_get))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/village.css", get(stylesheet))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    description: String,
    members: i64,
    joined_this_month: i64,
    signed_in_name: Option<String>,
}

async fn view_home_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
) -> Response {
    let (members, joined_this_month) = match home_counts(&state).await {
        Ok(c) => c,
        Err(e) => return pages::store_failed(e),
    };
    pages::page(&HomePage {
        layout: Layout::new(&state, identity.as_ref(), &csrf, "/", "Welcome"),
        description: state.settings.hub.description.clone(),
        members,
        joined_this_month,
        signed_in_name: identity.map(|i| i.user.display_name),
    })
}

/// How long the home page's public counts are kept before asking the database again. Every
/// visit to the home page would otherwise count the members; a few seconds' delay in a
/// public total is worth the load it saves on a busy hub.
pub const HOME_COUNTS_FOR: std::time::Duration = std::time::Duration::from_secs(5);

async fn home_counts(state: &AppState) -> Result<(i64, i64), village_store::StoreError> {
    if let Ok(cached) = state.home_counts.lock() {
        if let Some((at, counts)) = *cached {
            if at.elapsed() < HOME_COUNTS_FOR {
                return Ok(counts);
            }
        }
    }
    let mut c = state.store.conn().await?;
    let counts = store::count_joined(&mut c, now() - 30 * 24 * 60 * 60).await?;
    if let Ok(mut cached) = state.home_counts.lock() {
        *cached = Some((std::time::Instant::now(), counts));
    }
    Ok(counts)
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

async fn view_privacy_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&PrivacyPage {
        layout: Layout::new(
            &state,
            identity.as_ref(),
            &csrf,
            "/privacy",
            "Privacy notice",
        ),
    })
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

async fn view_accessibility_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&AccessibilityPage {
        layout: Layout::new(
            &state,
            identity.as_ref(),
            &csrf,
            "/accessibility",
            "Accessibility statement",
        ),
    })
}

/// The process is alive.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers: the hub can serve requests.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is not answering",
            )
                .into_response()
        }
    }
}

const STYLESHEET: &str = include_str!("../static/village.css");

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLESHEET,
    )
        .into_response()
}

pub async fn not_found(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    OriginalUri(uri): OriginalUri,
) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::ApiError::not_found("such API route").into_response();
    }
    not_found_page(&state, identity.as_ref(), &csrf)
}

/// The same "not found" page for something that is not there and something the visitor may
/// not know is there.
pub fn not_found_page(
    state: &AppState,
    identity: Option<&crate::auth::Identity>,
    csrf: &CsrfToken,
) -> Response {
    pages::problem(
        state,
        identity,
        csrf,
        StatusCode::NOT_FOUND,
        "We cannot find that page",
        &["The link may be old, or the address may have a typo. Check it, or start again from the home page."],
    )
}
