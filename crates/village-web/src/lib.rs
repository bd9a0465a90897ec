//! Village's web layer: server-rendered pages, the JSON API under `/api/v1`, sign-in and
//! sessions, and the middleware every request passes through.
//!
//! Each capability is a module with the same name as in `village-domain`, `village-store`
//! and `village-app`. Pages and API handlers of a capability call the same `village_app`
//! functions, so the rules cannot differ between them; a handler reads the request, calls one
//! of them and renders what it gives back.

pub mod accounts;
pub mod api;
pub mod audit;
pub mod auth;
pub mod connections;
pub mod decisions;
pub mod directory;
pub mod hub;
pub mod pages;
pub mod people;
pub mod safeguarding;
pub mod security;

use axum::Router;
use std::net::SocketAddr;
use village_app::App;

pub use village_app::{now, Settings};

/// What every handler can reach: the hub's use cases and what they share.
pub type AppState = App;

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
            village_app::settings::MAX_BODY_BYTES,
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
    let sweeper = tokio::spawn(village_app::accounts::sessions::sweep_forever(
        state.clone(),
    ));
    let follow_up = tokio::spawn(village_app::connections::follow_up_forever(state.clone()));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    follow_up.abort();
    result
}
