//! Every route of the hub in one place: each page route and each API route with its handler,
//! and the OpenAPI document made from the API handlers' annotations. To find what answers a
//! URL, search this file for its path; the handler's module is in its name.

use crate::api::ApiError;
use crate::AppState;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every route of the hub, with its middleware.
pub fn router(state: AppState) -> Router {
    let (api_router, _) = api_routes().split_for_parts();
    page_routes()
        .merge(api_router)
        .route("/api/v1/openapi.json", get(openapi_json))
        // Earlier names, kept for clients written against them (not in the OpenAPI document):
        // the download's first address, "services" and "organisations" for offers and groups.
        .route(
            "/api/v1/me/export",
            get(crate::people::api::api_my_information),
        )
        .route(
            "/api/v1/directory/services/{id}/changes",
            post(crate::directory::api::api_suggest_change),
        )
        .route(
            "/api/v1/directory/services/{id}/history",
            get(crate::directory::api::api_history),
        )
        .route(
            "/api/v1/organisations/{id}/introductions",
            get(crate::connections::api::api_inbox),
        )
        .fallback(crate::hub::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::security::Headers::for_hub(&state),
            crate::security::headers,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            crate::security::panic_response,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            village_app::settings::MAX_BODY_BYTES,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Every page route (and the Open Referral UK API), by capability.
fn page_routes() -> Router<AppState> {
    Router::new()
        // The hub: home, about pages, health, the stylesheet
        .route("/", get(crate::hub::view_home_get))
        .route("/privacy", get(crate::hub::view_privacy_get))
        .route("/accessibility", get(crate::hub::view_accessibility_get))
        .route("/healthz", get(crate::hub::healthz))
        .route("/readyz", get(crate::hub::readyz))
        .route("/static/village.css", get(crate::hub::stylesheet))
        .route("/static/favicon.svg", get(crate::hub::favicon))
        .route("/static/map.js", get(crate::hub::map_script))
        .route("/static/leaflet/{*file}", get(crate::hub::leaflet))
        .route("/favicon.ico", get(crate::hub::favicon))
        // Accounts: joining, signing in and out, passwords, the account pages, people and invitations
        .route(
            "/sign-in",
            get(crate::accounts::view_sign_in_get).post(crate::accounts::view_sign_in_post),
        )
        .route(
            "/sign-up",
            get(crate::accounts::view_sign_up_get).post(crate::accounts::view_sign_up_post),
        )
        .route(
            "/sign-up/{token}",
            get(crate::accounts::view_finish_joining_get)
                .post(crate::accounts::view_finish_joining_post),
        )
        .route("/sign-out", post(crate::accounts::view_sign_out_post))
        .route(
            "/sign-out-everywhere",
            post(crate::accounts::view_sign_out_everywhere_post),
        )
        .route(
            "/forgotten-password",
            get(crate::accounts::view_forgotten_get).post(crate::accounts::view_forgotten_post),
        )
        .route(
            "/reset-password/{token}",
            get(crate::accounts::view_reset_get).post(crate::accounts::view_reset_post),
        )
        .route("/account", get(crate::accounts::view_account_get))
        .route(
            "/account/name",
            get(crate::accounts::view_name_get).post(crate::accounts::view_name_post),
        )
        .route(
            "/account/email",
            get(crate::accounts::view_email_get).post(crate::accounts::view_email_post),
        )
        .route(
            "/account/password",
            get(crate::accounts::view_password_get).post(crate::accounts::view_password_post),
        )
        .route(
            "/account/phone",
            get(crate::accounts::view_phone_get).post(crate::accounts::view_phone_post),
        )
        .route(
            "/account/lived-experience",
            get(crate::accounts::view_lived_get).post(crate::accounts::view_lived_post),
        )
        .route(
            "/account/tokens",
            get(crate::accounts::view_tokens_get).post(crate::accounts::view_tokens_post),
        )
        .route(
            "/account/tokens/{id}/delete",
            post(crate::accounts::view_token_delete_post),
        )
        .route(
            "/account/delete",
            get(crate::accounts::view_delete_get).post(crate::accounts::view_delete_post),
        )
        .route("/admin/users", get(crate::accounts::view_admin_users_get))
        .route(
            "/admin/users/{id}/role",
            post(crate::accounts::view_admin_role_post),
        )
        .route(
            "/admin/invites",
            get(crate::accounts::view_admin_invites_get)
                .post(crate::accounts::view_admin_invites_post),
        )
        .route(
            "/admin/sign-up-mode",
            post(crate::accounts::view_sign_up_mode_post),
        )
        // The audit log
        .route("/admin/audit", get(crate::audit::view_audit_get))
        .route("/account/activity", get(crate::audit::view_my_activity_get))
        // The directory: search, offers, groups
        .route("/directory", get(crate::directory::pages::view_search_get))
        .route(
            "/directory/offers/{id}",
            get(crate::directory::pages::view_offer_get),
        )
        .route(
            "/directory/groups/{id}",
            get(crate::directory::group::view_group_get),
        )
        // Community editing: suggestions and review
        .route(
            "/directory/suggest",
            get(crate::directory::editing::view_suggest_get)
                .post(crate::directory::editing::view_suggest_post),
        )
        .route(
            "/directory/offers/{id}/suggest-change",
            get(crate::directory::editing::view_change_get)
                .post(crate::directory::editing::view_change_post),
        )
        .route(
            "/directory/offers/{id}/history",
            get(crate::directory::editing::view_history_get),
        )
        .route(
            "/directory/suggestions",
            get(crate::directory::editing::view_my_suggestions_get),
        )
        .route(
            "/directory/review",
            get(crate::directory::editing::view_review_get),
        )
        .route(
            "/directory/open-data",
            get(crate::directory::editing::view_open_data_get),
        )
        .route(
            "/directory/review/stale",
            get(crate::directory::editing::view_stale_get),
        )
        .route(
            "/directory/review/stale/{id}/checked",
            post(crate::directory::editing::view_checked_post),
        )
        .route(
            "/directory/review/{id}",
            get(crate::directory::editing::view_review_item_get),
        )
        .route(
            "/directory/review/{id}/approve",
            post(crate::directory::editing::view_approve_post),
        )
        .route(
            "/directory/review/{id}/reject",
            post(crate::directory::editing::view_reject_post),
        )
        // Organisers: claiming a group, editing its offers
        .route(
            "/directory/groups/{id}/claim",
            get(crate::directory::editing::view_claim_get)
                .post(crate::directory::editing::view_claim_post),
        )
        .route(
            "/directory/claims/{id}/approve",
            post(crate::directory::editing::view_claim_approve_post),
        )
        .route(
            "/directory/claims/{id}/reject",
            post(crate::directory::editing::view_claim_reject_post),
        )
        .route(
            "/directory/offers/{id}/edit",
            get(crate::directory::editing::view_edit_get)
                .post(crate::directory::editing::view_edit_post),
        )
        // The Open Referral UK API (anyone may read it from any site)
        .merge(
            Router::new()
                .route("/oruk", get(crate::directory::oruk::root))
                .route("/oruk/", get(crate::directory::oruk::root))
                .route("/oruk/openapi.json", get(crate::directory::oruk::openapi))
                .route("/oruk/services", get(crate::directory::oruk::services))
                .route("/oruk/services/{id}", get(crate::directory::oruk::service))
                .route(
                    "/oruk/service_at_locations",
                    get(crate::directory::oruk::service_at_locations),
                )
                .route(
                    "/oruk/service_at_locations/{id}",
                    get(crate::directory::oruk::service_at_location),
                )
                .route("/oruk/taxonomies", get(crate::directory::oruk::taxonomies))
                .route(
                    "/oruk/taxonomies/{id}",
                    get(crate::directory::oruk::taxonomy),
                )
                .route(
                    "/oruk/taxonomy_terms",
                    get(crate::directory::oruk::taxonomy_terms),
                )
                .route(
                    "/oruk/taxonomy_terms/{id}",
                    get(crate::directory::oruk::taxonomy_term),
                )
                .layer(oruk_cors()),
        )
        // People: profiles, history, your information
        .route("/me/profile", get(crate::people::pages::view_my_profile))
        .route(
            "/me/profile/history",
            get(crate::people::pages::view_my_history),
        )
        .route(
            "/me/profile/history/{edit}/undo",
            post(crate::people::pages::view_my_undo),
        )
        .route(
            "/me/profile/{key}",
            get(crate::people::pages::view_my_section_get)
                .post(crate::people::pages::view_my_section_post),
        )
        .route("/me/sharing", get(crate::people::pages::view_sharing))
        .route(
            "/me/information",
            get(crate::people::pages::view_information),
        )
        // Where "your information" used to be: bookmarks still arrive.
        .route(
            "/me/data",
            get(|| async { Redirect::permanent("/me/information") }),
        )
        .route(
            "/me/data/everything",
            get(|| async { Redirect::permanent("/me/information/everything") }),
        )
        // A group's pages were at /organisations/ and /directory/organisations/ before.
        .route("/directory/organisations/{id}", get(group_moved))
        .route(
            "/directory/organisations/{id}/claim",
            get(group_moved).post(group_moved),
        )
        .route("/organisations/{id}/introductions", get(group_moved))
        .route(
            "/me/information/everything",
            get(crate::people::pages::view_everything),
        )
        .route("/me/access-log", get(crate::people::pages::view_access_log))
        .route("/people/{id}", get(crate::people::pages::view_person))
        .route(
            "/people/{id}/history",
            get(crate::people::pages::view_person_history),
        )
        .route(
            "/people/{id}/history/{edit}/undo",
            post(crate::people::pages::view_person_undo),
        )
        .route(
            "/people/{id}/profile/{key}",
            get(crate::people::pages::view_person_section_get)
                .post(crate::people::pages::view_person_section_post),
        )
        .route("/welcome", get(crate::people::pages::view_welcome))
        // People: the circle of support and connectors
        .route(
            "/me/circle",
            get(crate::people::circle_pages::view_circle)
                .post(crate::people::circle_pages::view_circle_add),
        )
        .route(
            "/me/circle/{id}",
            post(crate::people::circle_pages::view_circle_change),
        )
        .route(
            "/me/circle/{id}/remove",
            get(crate::people::circle_pages::view_circle_remove_confirm)
                .post(crate::people::circle_pages::view_circle_remove),
        )
        .route(
            "/me/circle/invitations/{id}/{answer}",
            get(crate::people::circle_pages::view_leave_confirm)
                .post(crate::people::circle_pages::view_answer),
        )
        .route(
            "/me/connectors",
            get(crate::people::circle_pages::view_connectors)
                .post(crate::people::circle_pages::view_choose),
        )
        .route(
            "/me/connectors/{id}/end",
            get(crate::people::circle_pages::view_end_confirm)
                .post(crate::people::circle_pages::view_end),
        )
        .route(
            "/connector/about",
            get(crate::people::circle_pages::view_connector_about)
                .post(crate::people::circle_pages::view_connector_about_post),
        )
        .route(
            "/connector/people",
            get(crate::people::circle_pages::view_my_people)
                .post(crate::people::circle_pages::view_offer),
        )
        .route(
            "/connector/people/{id}/end",
            get(crate::people::circle_pages::view_end_person_confirm)
                .post(crate::people::circle_pages::view_end_person),
        )
        // People: conversations with connectors
        .route(
            "/me/conversations",
            get(crate::people::conversations::view_mine),
        )
        .route(
            "/me/conversations/{id}/reply",
            post(crate::people::conversations::view_reply),
        )
        .route(
            "/people/{id}/conversations",
            get(crate::people::conversations::view_connector)
                .post(crate::people::conversations::view_record),
        )
        // Safeguarding
        .route(
            "/concerns/new",
            get(crate::safeguarding::view_new).post(crate::safeguarding::view_raise),
        )
        .route("/safeguarding", get(crate::safeguarding::view_queue))
        .route("/safeguarding/{id}", get(crate::safeguarding::view_concern))
        .route(
            "/safeguarding/{id}/actions",
            post(crate::safeguarding::view_action),
        )
        .route(
            "/safeguarding/{id}/forget-raiser",
            get(crate::safeguarding::view_forget_raiser_confirm)
                .post(crate::safeguarding::view_forget_raiser),
        )
        .route(
            "/safeguarding/{id}/close",
            post(crate::safeguarding::view_close),
        )
        .route(
            "/admin/safeguarding-leads",
            get(crate::safeguarding::view_leads).post(crate::safeguarding::view_set_lead),
        )
        // Shared power: spaces, proposals, funding rounds
        .route("/spaces", get(crate::decisions::pages::view_spaces))
        .route(
            "/spaces/new",
            get(crate::decisions::pages::view_new_space)
                .post(crate::decisions::pages::view_new_space_post),
        )
        .route("/spaces/{id}", get(crate::decisions::pages::view_space))
        .route(
            "/spaces/{id}/join",
            post(crate::decisions::pages::view_join),
        )
        .route(
            "/spaces/{id}/leave",
            get(crate::decisions::pages::view_leave_confirm)
                .post(crate::decisions::pages::view_leave),
        )
        .route(
            "/spaces/{id}/members",
            post(crate::decisions::pages::view_add_member),
        )
        .route(
            "/spaces/{id}/proposals",
            post(crate::decisions::pages::view_new_proposal),
        )
        .route(
            "/proposals/{id}",
            get(crate::decisions::pages::view_proposal),
        )
        .route(
            "/proposals/{id}/edit",
            get(crate::decisions::pages::view_edit).post(crate::decisions::pages::view_edit_post),
        )
        .route(
            "/proposals/{id}/stance",
            post(crate::decisions::pages::view_stance),
        )
        .route(
            "/proposals/{id}/comments",
            post(crate::decisions::pages::view_comment),
        )
        .route(
            "/proposals/{id}/close",
            post(crate::decisions::pages::view_close),
        )
        .route(
            "/proposals/{id}/updates",
            post(crate::decisions::pages::view_update),
        )
        .route("/rounds", get(crate::decisions::pages::view_rounds))
        .route(
            "/rounds/new",
            get(crate::decisions::pages::view_new_round)
                .post(crate::decisions::pages::view_new_round_post),
        )
        .route("/rounds/{id}", get(crate::decisions::pages::view_round))
        .route(
            "/rounds/{id}/ideas",
            post(crate::decisions::pages::view_idea),
        )
        .route("/rounds/{id}/bids", post(crate::decisions::pages::view_bid))
        .route(
            "/rounds/{id}/bids/{bid_id}/check",
            post(crate::decisions::pages::view_check),
        )
        .route(
            "/rounds/{id}/bids/{bid_id}/updates",
            post(crate::decisions::pages::view_delivery),
        )
        .route(
            "/rounds/{id}/phase",
            post(crate::decisions::pages::view_phase),
        )
        .route(
            "/rounds/{id}/ballot",
            post(crate::decisions::pages::view_ballot),
        )
        .route(
            "/rounds/{id}/results",
            get(crate::decisions::pages::view_results),
        )
        .route(
            "/rounds/{id}/paper-ballots",
            get(crate::decisions::pages::view_papers)
                .post(crate::decisions::pages::view_paper_post),
        )
        .route(
            "/rounds/{id}/paper-ballots/{paper}/resolve",
            post(crate::decisions::pages::view_resolve),
        )
        .merge(crate::stories::pages::routes())
        .merge(crate::gatherings::pages::routes())
        // Mutual aid: the board, posts, matches
        .route("/help", get(crate::mutual_aid::pages::view_board))
        .route(
            "/help/new",
            get(crate::mutual_aid::pages::view_new_post_get)
                .post(crate::mutual_aid::pages::view_new_post_post),
        )
        .route("/help/mine", get(crate::mutual_aid::pages::view_mine))
        .route(
            "/help/digest",
            post(crate::mutual_aid::pages::view_start_digest),
        )
        .route(
            "/help/digest/stop",
            post(crate::mutual_aid::pages::view_stop_digest),
        )
        .route(
            "/help/coordinate",
            get(crate::mutual_aid::pages::view_coordinate),
        )
        .route(
            "/help/matches/{id}/for-someone",
            post(crate::mutual_aid::pages::view_act_for),
        )
        .route(
            "/help/exchanges/{id}/settle/{action}",
            post(crate::mutual_aid::pages::view_settle_time),
        )
        .route(
            "/help/safety-marks",
            get(crate::mutual_aid::pages::view_marked_people),
        )
        .route(
            "/people/{id}/safety-marks",
            get(crate::mutual_aid::pages::view_marks)
                .post(crate::mutual_aid::pages::view_record_mark),
        )
        .route(
            "/people/{id}/safety-marks/{mark}/remove",
            post(crate::mutual_aid::pages::view_remove_mark),
        )
        .route("/help/posts/{id}", get(crate::mutual_aid::pages::view_post))
        .route(
            "/help/posts/{id}/responses",
            post(crate::mutual_aid::pages::view_respond),
        )
        .route(
            "/help/posts/{id}/close",
            get(crate::mutual_aid::pages::view_close_confirm)
                .post(crate::mutual_aid::pages::view_close),
        )
        .route(
            "/help/posts/{id}/renew",
            post(crate::mutual_aid::pages::view_renew),
        )
        .route(
            "/help/matches/{id}",
            get(crate::mutual_aid::pages::view_match),
        )
        .route(
            "/help/matches/{id}/messages",
            post(crate::mutual_aid::pages::view_message),
        )
        .route(
            "/help/matches/{id}/time",
            post(crate::mutual_aid::pages::view_record_time),
        )
        .route(
            "/help/exchanges/{id}/take-back",
            get(crate::mutual_aid::pages::view_take_back_form)
                .post(crate::mutual_aid::pages::view_take_back),
        )
        .route(
            "/help/exchanges/{id}/{action}",
            post(crate::mutual_aid::pages::view_answer_time),
        )
        .route(
            "/help/time",
            get(crate::mutual_aid::pages::view_time).post(crate::mutual_aid::pages::view_give_time),
        )
        .route(
            "/help/matches/{id}/{action}",
            get(crate::mutual_aid::pages::view_act_confirm)
                .post(crate::mutual_aid::pages::view_act),
        )
        // Connections: ideas, introductions, notices
        .route("/me/ideas", get(crate::connections::pages::view_ideas))
        .route("/me/ideas/mark", post(crate::connections::pages::view_mark))
        .route(
            "/me/ideas/preferences",
            post(crate::connections::pages::view_preferences),
        )
        .route(
            "/people/{id}/ideas",
            get(crate::connections::pages::view_person_ideas),
        )
        .route(
            "/me/introductions",
            get(crate::connections::pages::view_my_introductions),
        )
        .route(
            "/introductions/new",
            get(crate::connections::pages::view_new_introduction),
        )
        .route(
            "/introductions",
            post(crate::connections::pages::view_request),
        )
        .route(
            "/introductions/{id}",
            get(crate::connections::pages::view_introduction),
        )
        .route(
            "/introductions/{id}/{action}",
            get(crate::connections::pages::view_act_confirm)
                .post(crate::connections::pages::view_act),
        )
        .route(
            "/groups/{id}/introductions",
            get(crate::connections::pages::view_inbox),
        )
        .route(
            "/notifications",
            get(crate::connections::pages::view_notifications),
        )
        // Connections: check-ins and shortlists
        .route(
            "/me/check-ins",
            get(crate::connections::followup::view_checkins)
                .post(crate::connections::followup::view_checkin_post),
        )
        .route(
            "/me/shortlists",
            get(crate::connections::followup::view_my_shortlists),
        )
        .route(
            "/me/shortlists/{id}/pick",
            post(crate::connections::followup::view_pick),
        )
        .route(
            "/people/{id}/shortlists",
            get(crate::connections::followup::view_connector_shortlists)
                .post(crate::connections::followup::view_new_shortlist),
        )
        .route(
            "/shortlists/{id}/items",
            post(crate::connections::followup::view_add_item),
        )
        .route(
            "/shortlists/{id}/share",
            post(crate::connections::followup::view_share),
        )
}

/// Anyone may read the Open Referral UK API from a page on any site.
fn oruk_cors() -> tower_http::cors::CorsLayer {
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([
            axum::http::Method::GET,
            axum::http::Method::HEAD,
            axum::http::Method::OPTIONS,
        ])
        .allow_headers(tower_http::cors::Any)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Village API",
        description = "The JSON API of a Village hub. Authenticate with the session cookie (send the village_csrf cookie's value as X-CSRF-Token on changes) or a personal API token as 'Authorization: Bearer <token>'. Errors are {\"error\": {\"code\", \"message\", \"field\"}} with stable codes.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    components(schemas(crate::api::ErrorBody, crate::api::ErrorDetail)),
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

/// Every API route, registered once: the API's router and the OpenAPI document come from here.
fn api_routes() -> OpenApiRouter<AppState> {
    crate::gatherings::api_routes(OpenApiRouter::with_openapi(ApiDoc::openapi()))
        .routes(routes!(crate::accounts::api_me))
        .routes(routes!(crate::accounts::api_put_lived_experience))
        .routes(routes!(crate::accounts::api_list_users))
        .routes(routes!(crate::accounts::api_set_role))
        .routes(routes!(crate::audit::api_my_audit))
        .routes(routes!(crate::audit::api_audit_log))
        .routes(routes!(
            crate::directory::api::api_suggest_offer,
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
        .routes(routes!(crate::people::api::api_my_information))
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
        .routes(routes!(
            crate::mutual_aid::api::api_board,
            crate::mutual_aid::api::api_create_post
        ))
        .routes(routes!(crate::mutual_aid::api::api_post))
        .routes(routes!(crate::mutual_aid::api::api_close_post))
        .routes(routes!(crate::mutual_aid::api::api_respond))
        .routes(routes!(crate::mutual_aid::api::api_match))
        .routes(routes!(crate::mutual_aid::api::api_message))
        .routes(routes!(crate::mutual_aid::api::api_match_action))
        .routes(routes!(crate::mutual_aid::api::api_record_time))
        .routes(routes!(crate::mutual_aid::api::api_answer_time))
        .routes(routes!(crate::mutual_aid::api::api_ask_to_take_back))
        .routes(routes!(crate::stories::api_framing))
        .routes(routes!(
            crate::stories::api_tell,
            crate::stories::api_stories
        ))
        .routes(routes!(crate::stories::api_story))
        .routes(routes!(crate::stories::api_moderate))
        .routes(routes!(crate::stories::api_curate))
        .routes(routes!(crate::stories::api_approve))
        .routes(routes!(crate::stories::api_withdraw))
        .routes(routes!(crate::stories::api_answer))
        .routes(routes!(crate::stories::api_release_answer))
        .routes(routes!(crate::stories::api_me_too))
        .routes(routes!(crate::stories::api_follow_up))
        .routes(routes!(crate::stories::api_figures))
        .routes(routes!(crate::mutual_aid::api::api_time_account))
        .routes(routes!(crate::mutual_aid::api::api_give_time))
        .routes(routes!(
            crate::mutual_aid::api::api_safety_marks,
            crate::mutual_aid::api::api_record_safety_mark
        ))
        .routes(routes!(crate::mutual_aid::api::api_remove_safety_mark))
        .routes(routes!(crate::mutual_aid::api::api_coordination))
        .routes(routes!(
            crate::mutual_aid::api::api_digest,
            crate::mutual_aid::api::api_start_digest,
            crate::mutual_aid::api::api_stop_digest
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

/// The OpenAPI 3.1 document of the JSON API as the handlers' annotations give it.
pub fn api_document() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

/// The OpenAPI 3.1 document of the JSON API: the annotations, the answers the shell gives and
/// the limits the server checks (see [`crate::openapi`]).
pub fn openapi() -> serde_json::Value {
    let mut doc = serde_json::to_value(api_document()).unwrap_or_default();
    crate::openapi::with_shared_answers(&mut doc);
    crate::openapi::with_limits(&mut doc);
    doc
}

/// `GET /api/v1/openapi.json`.
async fn openapi_json() -> Response {
    match serde_json::to_string(&openapi()) {
        Ok(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The same address under `/groups/` or `/directory/groups/`, for bookmarks made before groups
/// had their own word (a 308 keeps a form's POST a POST).
async fn group_moved(uri: axum::http::Uri) -> Redirect {
    let path = uri.path();
    let moved = match path.strip_prefix("/directory/organisations/") {
        Some(rest) => format!("/directory/groups/{rest}"),
        None => format!(
            "/groups/{}",
            path.strip_prefix("/organisations/").unwrap_or_default()
        ),
    };
    Redirect::permanent(&moved)
}
