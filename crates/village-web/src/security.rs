//! Security headers on every response, and a calm answer if something panics.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The Content-Security-Policy: everything from the hub itself, and map pictures from the
/// tile server the hub names (`map.tiles`), if any.
fn csp(tiles_origin: Option<&str>) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{}; \
         font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
         base-uri 'none'; object-src 'none'",
        tiles_origin.map(|o| format!(" {o}")).unwrap_or_default()
    )
}

/// What every response's security headers need, worked out once when the hub starts.
#[derive(Clone)]
pub struct Headers {
    csp: HeaderValue,
    https: bool,
}

impl Headers {
    pub fn for_hub(state: &AppState) -> Self {
        // A tile address the binary refused never gets here; a test's odd one adds nothing.
        let origin = state.settings.map.tiles_origin().ok().flatten();
        let policy = csp(origin.as_deref());
        Headers {
            csp: HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            https: state.settings.is_https(),
        }
    }
}

pub async fn headers(State(state): State<Headers>, request: Request, next: Next) -> Response {
    let is_static =
        request.uri().path().starts_with("/static/") || request.uri().path() == "/favicon.ico";
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if state.https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Pages can show personal data: no browser or proxy keeps a copy. Static files can be cached.
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

pub fn panic_response(_err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Something went wrong on our side. Please try again in a moment.",
    )
        .into_response()
}
