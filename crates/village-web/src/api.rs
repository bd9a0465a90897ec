//! The JSON API shell: errors with stable codes and the JSON body extractor. Every API route
//! and the OpenAPI document made from the handlers' annotations are in `router`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use village_domain::error::{ErrorCode, FieldError};

/// The body of every API error: `{"error": {"code", "message", "field"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable snake_case code that clients can rely on, e.g. `forbidden`, `password_too_short`.
    pub code: String,
    /// What went wrong, in plain English.
    pub message: String,
    /// The request field the error is about, if any.
    pub field: Option<String>,
}

/// An API error: a code from the one error model (`village_domain::error::ErrorCode`), which
/// decides the status, plain words, and the field it is about, if any.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<std::borrow::Cow<'static, str>>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// The error about one field of the request.
    pub fn field(field: &'static str, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// The HTTP status: always the code's own.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorCode::Unauthenticated,
            "Sign in first, or send a valid API token as 'Authorization: Bearer <token>'.",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            ErrorCode::Forbidden,
            "You do not have permission to do this.",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("No {what} was found."))
    }

    pub fn csrf() -> Self {
        Self::new(
            ErrorCode::CsrfTokenInvalid,
            "Send the value of the village_csrf cookie in an X-CSRF-Token header, or use an API token.",
        )
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(error = %error, "internal error in the API");
        Self::new(
            ErrorCode::Unavailable,
            "Something went wrong on our side. Please try again in a moment.",
        )
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::field(e.field, e.code, e.message)
    }
}

impl From<village_store::StoreError> for ApiError {
    fn from(e: village_store::StoreError) -> Self {
        match e {
            village_store::StoreError::Conflict(what) => Self::field(
                what,
                ErrorCode::AlreadyInUse,
                format!("That {what} is already in use."),
            ),
            other => ApiError::internal(other),
        }
    }
}

impl From<village_app::Error> for ApiError {
    fn from(e: village_app::Error) -> Self {
        use village_app::Error;
        match e {
            Error::Field(f) => f.into(),
            // The API names the first problem; a client fixes it and sends again.
            Error::Fields(list) => match list.into_iter().next() {
                Some(f) => f.into(),
                None => ApiError::new(ErrorCode::ChangeInvalid, "What was sent is not valid."),
            },
            Error::Forbidden => ApiError::forbidden(),
            Error::NotFound(what) => ApiError::not_found(what),
            Error::Conflict(code, message) => ApiError::new(code, message),
            Error::Limited(limit) => ApiError::new(
                ErrorCode::TooManyAttempts,
                format!(
                    "Too many tries. Please wait {} and try again.",
                    limit.wait_words()
                ),
            ),
            Error::Store(e) => e.into(),
            Error::Other(e) => ApiError::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_string(),
                message: self.message,
                field: self.field.map(|f| f.into_owned()),
            },
        };
        let mut response = (status, Json(body)).into_response();
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        response
    }
}

/// A JSON request body whose problems come back as API errors, never a crash.
///
/// A number with nothing after the point (`2500.0`) is read as the whole number it is, as JSON
/// Schema counts it, so a field the document declares `integer` takes it.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Read the body once; refuse text holding a NUL, naming where, before it is used.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, village_app::settings::MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::BodyUnreadable,
                    "The body could not be read: it may be too large.",
                )
            })?;
        if let Some(path) = crate::nul::in_json(&bytes) {
            return Err(ApiError {
                code: ErrorCode::TextInvalid,
                message: crate::nul::words(&path),
                field: Some(path.into()),
            });
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        let mut value = match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(value)) => value,
            Err(rejection) => {
                return Err(match rejection {
                    JsonRejection::MissingJsonContentType(_) => ApiError::new(
                        ErrorCode::JsonRequired,
                        "Send the body as JSON with 'Content-Type: application/json'.",
                    ),
                    JsonRejection::JsonSyntaxError(e) => ApiError::new(
                        ErrorCode::JsonMalformed,
                        format!("The body is not valid JSON: {}", e.body_text()),
                    ),
                    other => ApiError::new(
                        ErrorCode::BodyUnreadable,
                        format!("The body could not be read: {}", other.body_text()),
                    ),
                })
            }
        };
        whole_numbers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::JsonInvalid,
                    format!("The JSON does not fit: {e}"),
                )
            })
    }
}

/// Turn every number with nothing after the point, within the range of whole numbers, into
/// that whole number: `2500.0` is `2500`.
fn whole_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // Every float from -2^63 up to (not including) 2^63 fits an i64.
                if f.fract() == 0.0
                    && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
                {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod whole_number_tests {
    use super::whole_numbers;
    use serde_json::json;

    #[test]
    fn a_number_with_nothing_after_the_point_is_whole() {
        let mut v =
            json!({"ids": [2500.0, -3.0, 1.5], "pot": 1e3, "huge": 1e300, "n": 7, "s": "2.0"});
        whole_numbers(&mut v);
        assert_eq!(
            v,
            json!({"ids": [2500, -3, 1.5], "pot": 1000, "huge": 1e300, "n": 7, "s": "2.0"})
        );
        assert!(v["ids"][0].is_i64());
    }
}
