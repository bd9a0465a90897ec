//! The JSON API shell: errors with stable codes, the JSON body extractor, and the OpenAPI
//! document generated from the handlers' annotations (registered in one place, below).

use crate::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
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
    pub field: Option<&'static str>,
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
            field: Some(field),
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
            Error::Store(e) => e.into(),
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
                field: self.field.map(str::to_string),
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
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    ErrorCode::JsonRequired,
                    "Send the body as JSON with 'Content-Type: application/json'.",
                ),
                JsonRejection::JsonDataError(e) => ApiError::new(
                    ErrorCode::JsonInvalid,
                    format!("The JSON does not fit: {}", e.body_text()),
                ),
                JsonRejection::JsonSyntaxError(e) => ApiError::new(
                    ErrorCode::JsonMalformed,
                    format!("The body is not valid JSON: {}", e.body_text()),
                ),
                other => ApiError::new(
                    ErrorCode::BodyUnreadable,
                    format!("The body could not be read: {}", other.body_text()),
                ),
            }),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Village API",
        description = "The JSON API of a Village hub. Authenticate with the session cookie (send the village_csrf cookie's value as X-CSRF-Token on changes) or a personal API token as 'Authorization: Bearer <token>'. Errors are {\"error\": {\"code\", \"message\", \"field\"}} with stable codes.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// Every API route, registered once: the router and the OpenAPI document come from here.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(crate::accounts::api_me))
        .routes(routes!(crate::accounts::api_put_lived_experience))
        .routes(routes!(crate::accounts::api_list_users))
        .routes(routes!(crate::accounts::api_set_role))
        .routes(routes!(crate::audit::api_my_audit))
        .routes(routes!(crate::audit::api_audit_log))
        .routes(routes!(
            crate::directory::api::api_suggest_listing,
            crate::directory::api::api_my_suggestions
        ))
        .routes(routes!(crate::directory::api::api_suggest_change))
        .routes(routes!(crate::directory::api::api_review_queue))
        .routes(routes!(crate::directory::api::api_approve))
        .routes(routes!(crate::directory::api::api_reject))
        .routes(routes!(crate::directory::api::api_history))
        .routes(routes!(
            crate::people::api::api_my_profile,
            crate::people::api::api_put_my_profile
        ))
        .routes(routes!(
            crate::people::api::api_person_profile,
            crate::people::api::api_put_person_profile
        ))
        .routes(routes!(crate::people::api::api_my_history))
        .routes(routes!(crate::people::api::api_person_history))
        .routes(routes!(crate::people::api::api_undo))
        .routes(routes!(crate::people::api::api_my_consents))
        .routes(routes!(crate::people::api::api_export))
        .routes(routes!(crate::people::api::api_access_log))
        .routes(routes!(crate::people::api::api_forget))
        .routes(routes!(
            crate::people::api::api_my_circle,
            crate::people::api::api_add_circle
        ))
        .routes(routes!(
            crate::people::api::api_change_circle,
            crate::people::api::api_remove_circle
        ))
        .routes(routes!(crate::people::api::api_answer_invitation))
        .routes(routes!(
            crate::people::api::api_my_connectors,
            crate::people::api::api_choose_connector
        ))
        .routes(routes!(crate::people::api::api_end_connector))
        .routes(routes!(crate::people::api::api_offer_connector))
        .routes(routes!(crate::people::conversations::api_my_conversations))
        .routes(routes!(
            crate::people::conversations::api_person_conversations,
            crate::people::conversations::api_write_note
        ))
        .routes(routes!(crate::people::conversations::api_reply))
        .routes(routes!(
            crate::safeguarding::api_raise,
            crate::safeguarding::api_queue
        ))
        .routes(routes!(crate::safeguarding::api_concern))
        .routes(routes!(crate::safeguarding::api_action))
        .routes(routes!(crate::safeguarding::api_close))
        .routes(routes!(crate::safeguarding::api_set_lead))
        .routes(routes!(crate::connections::api::api_my_suggestions))
        .routes(routes!(crate::connections::api::api_person_suggestions))
        .routes(routes!(
            crate::connections::api::api_mark,
            crate::connections::api::api_unmark
        ))
        .routes(routes!(
            crate::connections::api::api_preferences,
            crate::connections::api::api_put_preferences
        ))
        .routes(routes!(crate::connections::api::api_request))
        .routes(routes!(crate::connections::api::api_introduction))
        .routes(routes!(crate::connections::api::api_act))
        .routes(routes!(crate::connections::api::api_my_introductions))
        .routes(routes!(crate::connections::api::api_inbox))
        .routes(routes!(crate::connections::api::api_notifications))
        .routes(routes!(
            crate::connections::followup::api_checkins,
            crate::connections::followup::api_check_in
        ))
        .routes(routes!(crate::connections::followup::api_my_shortlists))
        .routes(routes!(
            crate::connections::followup::api_person_shortlists,
            crate::connections::followup::api_new_shortlist
        ))
        .routes(routes!(crate::connections::followup::api_add_item))
        .routes(routes!(crate::connections::followup::api_share))
        .routes(routes!(crate::connections::followup::api_pick))
        .routes(routes!(
            crate::decisions::api::api_create_space,
            crate::decisions::api::api_spaces
        ))
        .routes(routes!(crate::decisions::api::api_space))
        .routes(routes!(crate::decisions::api::api_join))
        .routes(routes!(crate::decisions::api::api_leave))
        .routes(routes!(crate::decisions::api::api_add_member))
        .routes(routes!(crate::decisions::api::api_create_proposal))
        .routes(routes!(
            crate::decisions::api::api_proposal,
            crate::decisions::api::api_edit_proposal
        ))
        .routes(routes!(crate::decisions::api::api_stance))
        .routes(routes!(crate::decisions::api::api_comment))
        .routes(routes!(crate::decisions::api::api_close))
        .routes(routes!(crate::decisions::api::api_update))
        .routes(routes!(
            crate::decisions::api::api_create_round,
            crate::decisions::api::api_rounds
        ))
        .routes(routes!(crate::decisions::api::api_round))
        .routes(routes!(crate::decisions::api::api_idea))
        .routes(routes!(crate::decisions::api::api_bid))
        .routes(routes!(crate::decisions::api::api_check))
        .routes(routes!(crate::decisions::api::api_delivery))
        .routes(routes!(crate::decisions::api::api_phase))
        .routes(routes!(
            crate::decisions::api::api_put_ballot,
            crate::decisions::api::api_ballot
        ))
        .routes(routes!(
            crate::decisions::api::api_enter_paper,
            crate::decisions::api::api_papers
        ))
        .routes(routes!(crate::decisions::api::api_resolve_paper))
        .routes(routes!(crate::decisions::api::api_results))
        .routes(routes!(crate::decisions::api::api_giving_json))
        .routes(routes!(crate::decisions::api::api_giving_csv))
}

/// The OpenAPI 3.1 document for this API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().split_for_parts().1
}

pub async fn openapi_json() -> Response {
    match openapi().to_json() {
        Ok(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}
