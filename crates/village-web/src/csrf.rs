//! The CSRF token of this visitor, which `auth::csrf_guard` checks on every change and every
//! form carries. A module of its own so the pages can name it without depending on `auth`.

use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The CSRF token for this visitor, put in every form.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .unwrap_or_else(|| CsrfToken(String::new())))
    }
}
