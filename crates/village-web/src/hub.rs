//! The hub's own pages: home, privacy notice, accessibility statement, health checks, the
//! stylesheet, and "page not found".

use crate::auth::MaybeSignedIn;
use crate::csrf::CsrfToken;
use crate::pages::{self, Layout, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "hub/home.html")]
struct HomePage {
    layout: Layout,
    description: String,
    members: i64,
    joined_this_month: i64,
    signed_in_name: Option<String>,
    waiting: village_app::hub::Waiting,
}

pub(crate) async fn view_home_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let ((members, joined_this_month), waiting) =
        village_app::hub::home(&state, identity.as_ref(), now()).await?;
    Ok(pages::page(&HomePage {
        layout: Layout::new(&state, identity.as_ref(), &csrf, "/", "Welcome"),
        description: state.settings.hub.description.clone(),
        members,
        joined_this_month,
        signed_in_name: identity.map(|i| i.user.display_name),
        waiting: waiting.unwrap_or_default(),
    }))
}

#[derive(Template)]
#[template(path = "hub/privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

pub(crate) async fn view_privacy_get(
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
#[template(path = "hub/accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

pub(crate) async fn view_accessibility_get(
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
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// The database answers: the hub can serve requests.
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    match village_app::hub::ready(&state).await {
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

/// A file the hub serves as it was built, which browsers may keep for a day.
fn static_file(kind: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn stylesheet() -> Response {
    static_file(
        "text/css; charset=utf-8",
        include_bytes!("../static/village.css"),
    )
}

/// The hub's small picture for browser tabs and bookmarks (also at `/favicon.ico`, where
/// browsers look when a page names none).
pub(crate) async fn favicon() -> Response {
    static_file("image/svg+xml", include_bytes!("../static/favicon.svg"))
}

/// The script that draws the map beside directory results.
pub(crate) async fn map_script() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_bytes!("../static/map.js"),
    )
}

/// Leaflet 1.9.4, vendored from npm (see `static/leaflet/README.md`): the map's script, its
/// stylesheet and its marker pictures.
const LEAFLET: &[(&str, &str, &[u8])] = &[
    (
        "leaflet.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/leaflet/leaflet.js"),
    ),
    (
        "leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/leaflet/leaflet.css"),
    ),
    (
        "images/marker-icon.png",
        "image/png",
        include_bytes!("../static/leaflet/images/marker-icon.png"),
    ),
    (
        "images/marker-icon-2x.png",
        "image/png",
        include_bytes!("../static/leaflet/images/marker-icon-2x.png"),
    ),
    (
        "images/marker-shadow.png",
        "image/png",
        include_bytes!("../static/leaflet/images/marker-shadow.png"),
    ),
    (
        "images/layers.png",
        "image/png",
        include_bytes!("../static/leaflet/images/layers.png"),
    ),
    (
        "images/layers-2x.png",
        "image/png",
        include_bytes!("../static/leaflet/images/layers-2x.png"),
    ),
];

pub(crate) async fn leaflet(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    crate::extract::Path(file): crate::extract::Path<String>,
) -> Response {
    match LEAFLET.iter().find(|(name, _, _)| *name == file) {
        Some((_, kind, body)) => static_file(kind, body),
        None => not_found_page(&state, identity.as_ref(), &csrf),
    }
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
    identity: Option<&village_app::accounts::Identity>,
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
