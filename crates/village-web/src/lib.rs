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
pub mod csrf;
pub mod decisions;
pub mod directory;
pub mod extract;
pub mod fuzzing;
pub mod gatherings;
pub mod hub;
pub mod mutual_aid;
pub mod nul;
pub mod openapi;
pub mod pages;
pub mod people;
pub mod refill;
pub mod router;
pub mod safeguarding;
pub mod security;
pub mod stories;

use std::net::SocketAddr;
use village_app::App;

pub use village_app::{now, Settings};

/// What every handler can reach: the hub's use cases and what they share.
pub type AppState = App;

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
    let every_hour = tokio::spawn(village_app::jobs::every_hour_forever(state.clone()));
    let app = router::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    follow_up.abort();
    every_hour.abort();
    result
}
