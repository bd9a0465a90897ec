//! The path and query extractors every handler uses. They read exactly as axum's do, but a
//! refusal speaks like the rest of the hub: the JSON error shape on the APIs (`/api/…`,
//! `/oruk…`), a plain page elsewhere; never axum's text/plain ("Cannot parse `9999…` to a
//! `i64`").
//!
//! - A path segment that cannot be what the route needs (an id too big or not a number) means
//!   there is nothing at that address: 404 `not_found`.
//! - A query parameter that cannot be read is a 400 naming the parameter
//!   (`invalid_parameter`, with `field`).

use crate::api::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use village_domain::error::ErrorCode;

/// Whether the request is to one of the JSON APIs.
fn is_api(parts: &Parts) -> bool {
    let path = parts.uri.path();
    path.starts_with("/api/") || path == "/oruk" || path.starts_with("/oruk/")
}

/// Values from the route's path (`/proposals/{id}`), as `axum::extract::Path`.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) if is_api(parts) => Err(ApiError::new(
                ErrorCode::NotFound,
                "There is nothing at this address: the id in it cannot be one this hub gives.",
            )
            .into_response()),
            Err(_) => Err(crate::pages::PageError::NotFound.into_response()),
        }
    }
}

/// The query string read into `T`, as `axum::extract::Query`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(e) => {
                let (field, why) = query_problem(&e.body_text());
                if is_api(parts) {
                    let mut error = ApiError::new(
                        ErrorCode::InvalidParameter,
                        match &field {
                            Some(f) => format!("The query parameter {f} cannot be read: {why}."),
                            None => format!("The query string cannot be read: {why}."),
                        },
                    );
                    error.field = field.map(Into::into);
                    Err(error.into_response())
                } else {
                    Err(crate::pages::bad_query(&match field {
                        Some(f) => format!("The part of the address called “{f}” is not something we can use. Go back and try again."),
                        None => "Part of the address is not something we can use. Go back and try again.".into(),
                    }))
                }
            }
        }
    }
}

/// The parameter a query rejection names, and why, from axum's words
/// ("Failed to deserialize query string: limit: invalid digit found in string").
fn query_problem(text: &str) -> (Option<String>, String) {
    let rest = text.split_once(": ").map_or(text, |(_, rest)| rest).trim();
    match rest.split_once(": ") {
        Some((field, why))
            if !field.is_empty()
                && field.chars().all(|c| {
                    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']'
                }) =>
        {
            (Some(field.to_string()), why.to_string())
        }
        // serde names a field it met twice, or missed, in backquotes.
        _ => {
            let named = ["duplicate field `", "missing field `", "unknown field `"]
                .iter()
                .find_map(|lead| rest.split_once(lead))
                .and_then(|(_, after)| after.split_once('`'))
                .map(|(field, _)| field.to_string());
            (named, rest.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_is_read_from_axums_words() {
        assert_eq!(
            query_problem(
                "Failed to deserialize query string: limit: invalid digit found in string"
            ),
            (Some("limit".into()), "invalid digit found in string".into())
        );
        assert_eq!(
            query_problem("Failed to deserialize query string: missing field `q`"),
            (Some("q".into()), "missing field `q`".into())
        );
        assert_eq!(
            query_problem("Failed to deserialize query string: duplicate field `page`"),
            (Some("page".into()), "duplicate field `page`".into())
        );
        assert_eq!(query_problem("nonsense"), (None, "nonsense".into()));
    }
}
