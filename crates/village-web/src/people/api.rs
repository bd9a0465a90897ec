//! The people API: profiles (`/api/v1/me/profile`, `/api/v1/people/{id}/profile`), their
//! history, sharing choices, circles, connectors, and "my data" (export, access log, forget).
//! Every call goes through the same functions as the pages.

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, MaybeSignedIn};
use crate::extract::Path;
use crate::{now, AppState};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use village_app::people::circle::{
    self as circle_fns, CircleEntryOut, ConnectorOut, MembershipOut, NewEntry,
};
use village_app::people::information::{
    access_log, export, section_json, sharing_choices, ConsentOut, EditOut, Export,
};
use village_app::people::{
    forget, history, save_profile, undo_edit, view_profile, ProfileView, SectionChange,
};
use village_domain::error::ErrorCode;
use village_domain::people::profile::{Content, Slot};
use village_domain::people::{Section, Visibility};

/// A profile: `id`, `display_name`, and each section the caller may see under its key, as
/// `{"text", "visibility"}` (plus `terms` for `interests`; `postcode` and `max_km` for
/// `travel`; `slots` for `availability`; `needs` and `essential` for `access_needs`), and
/// `birth_year` as `{"value", "visibility"}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 12, "display_name": "Grace", "important": {"text": "My grandchildren", "visibility": "circle"}, "travel": {"text": "I take the bus", "visibility": "connectors", "postcode": "MF1", "max_km": 5.0}}))]
pub struct ProfileOut {
    pub id: i64,
    pub display_name: String,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub sections: serde_json::Map<String, Value>,
}

pub fn profile_out(view: &ProfileView) -> ProfileOut {
    let mut sections = serde_json::Map::new();
    for shown in &view.sections {
        sections.insert(
            shown.section.key().into(),
            section_json(shown.section, &shown.content, shown.visibility),
        );
    }
    ProfileOut {
        id: view.person_id,
        display_name: view.display_name.clone(),
        sections,
    }
}

/// One section in a change: leave out what should stay as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionBody {
    pub text: Option<String>,
    /// `only_me`, `circle`, `connectors`, `members` or `public`.
    pub visibility: Option<String>,
    pub terms: Option<Vec<String>>,
    pub postcode: Option<String>,
    pub max_km: Option<f64>,
    pub slots: Option<Vec<Slot>>,
    pub needs: Option<Vec<String>>,
    pub essential: Option<Vec<String>>,
    /// `birth_year` only: the year, or null to remove it.
    pub value: Option<Value>,
}

fn field_error(field: &'static str, code: ErrorCode, message: impl Into<String>) -> ApiError {
    ApiError::field(field, code, message)
}

/// Read a profile change: `{section_key: {…}}` for any sections, the rest kept.
fn read_changes(body: &Value, current: &ProfileView) -> Result<Vec<SectionChange>, ApiError> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::new(
            ErrorCode::JsonInvalid,
            "Send an object with sections under their keys, e.g. {\"story\": {\"text\": \"…\"}}.",
        ));
    };
    let mut changes = Vec::new();
    for (key, value) in object {
        if key == "id" || key == "display_name" {
            continue;
        }
        let Some(section) = Section::parse(key) else {
            return Err(field_error(
                "profile",
                ErrorCode::SectionUnknown,
                format!(
                    "'{key}' is not a profile section. Sections are: {}.",
                    Section::ALL
                        .iter()
                        .map(|s| s.key())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        // The birth year may be sent as a plain number.
        let value = if section == Section::BirthYear && !value.is_object() {
            serde_json::json!({ "value": value })
        } else {
            value.clone()
        };
        let part: SectionBody = serde_json::from_value(value).map_err(|e| {
            field_error(
                section.text_field(),
                ErrorCode::JsonInvalid,
                format!("The '{key}' section does not fit: {e}"),
            )
        })?;
        let existing = current
            .section(section)
            .map(|s| s.content.clone())
            .unwrap_or_default();
        let touches_content = part.text.is_some()
            || part.terms.is_some()
            || part.postcode.is_some()
            || part.max_km.is_some()
            || part.slots.is_some()
            || part.needs.is_some()
            || part.essential.is_some()
            || part.value.is_some();
        let content = touches_content.then(|| {
            let text = if section == Section::BirthYear {
                match &part.value {
                    Some(Value::Number(n)) => n.to_string(),
                    Some(Value::String(s)) => s.clone(),
                    _ => String::new(),
                }
            } else {
                part.text.clone().unwrap_or(existing.text.clone())
            };
            Content {
                text,
                terms: part.terms.clone().unwrap_or(existing.terms.clone()),
                postcode: match &part.postcode {
                    Some(p) => Some(p.clone()),
                    None => existing.postcode.clone(),
                },
                max_km: part.max_km.or(existing.max_km),
                slots: part.slots.clone().unwrap_or(existing.slots.clone()),
                needs: part.needs.clone().unwrap_or(existing.needs.clone()),
                essential: part.essential.clone().unwrap_or(existing.essential.clone()),
            }
        });
        let visibility = match part.visibility.as_deref() {
            None => None,
            Some(code) => Some(Visibility::parse(code).ok_or_else(|| {
                field_error(
                    section.visibility_field(),
                    ErrorCode::VisibilityUnknown,
                    "Choose who can see it: only_me, circle, connectors, members or public.",
                )
            })?),
        };
        changes.push(SectionChange {
            section,
            content,
            visibility,
        });
    }
    Ok(changes)
}

/// Your own profile: every section, empty or not, with who can see it.
#[utoipa::path(get, path = "/api/v1/me/profile", tag = "people",
    responses((status = 200, body = ProfileOut), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_profile(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
) -> Result<Response, ApiError> {
    let view = view_profile(&state, Some(&identity), identity.user.id, &ip, now())
        .await?
        .ok_or_else(|| ApiError::not_found("profile"))?;
    Ok(Json(profile_out(&view)).into_response())
}

/// Change your profile: any sections under their keys, each `{"text", "visibility", …}`;
/// sections and fields left out stay as they are. Every change of visibility is recorded in
/// your sharing history and applies from the very next request.
#[utoipa::path(put, path = "/api/v1/me/profile", tag = "people",
    request_body(content = Object, description = "Sections under their keys, e.g. {\"story\": {\"text\": \"…\", \"visibility\": \"circle\"}, \"birth_year\": {\"value\": 1961}}"),
    responses((status = 200, body = ProfileOut), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_put_my_profile(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    put_profile(&state, &identity, identity.user.id, &body, &ip).await
}

async fn put_profile(
    state: &AppState,
    identity: &village_app::accounts::Identity,
    person_id: i64,
    body: &Value,
    ip: &str,
) -> Result<Response, ApiError> {
    let t = now();
    let current = view_profile(state, Some(identity), person_id, ip, t)
        .await?
        .ok_or_else(|| ApiError::not_found("person"))?;
    let changes = read_changes(body, &current)?;
    save_profile(state, identity, person_id, &changes, ip, t).await?;
    let view = view_profile(state, Some(identity), person_id, ip, t)
        .await?
        .ok_or_else(|| ApiError::not_found("person"))?;
    Ok(Json(profile_out(&view)).into_response())
}

/// Someone's profile: only the sections you may see (others are left out). A person you may
/// not see at all is a 404. Every look by someone other than the person is in their
/// "who has looked" list.
#[utoipa::path(get, path = "/api/v1/people/{id}/profile", tag = "people",
    params(("id" = i64, Path, description = "The person's account number")),
    responses((status = 200, body = ProfileOut), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_person_profile(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let view = view_profile(&state, identity.as_ref(), id, &ip, now())
        .await?
        .ok_or_else(|| ApiError::not_found("person"))?;
    Ok(Json(profile_out(&view)).into_response())
}

/// Change someone's profile as their supporter (the same body as `PUT /api/v1/me/profile`;
/// who sees what stays their choice). Every change is kept with your name, and they can undo it.
#[utoipa::path(put, path = "/api/v1/people/{id}/profile", tag = "people",
    params(("id" = i64, Path, description = "The person's account number")),
    request_body(content = Object, description = "Sections under their keys"),
    responses((status = 200, body = ProfileOut), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_put_person_profile(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    put_profile(&state, &identity, id, &body, &ip).await
}

async fn history_of(
    state: &AppState,
    identity: &village_app::accounts::Identity,
    person: i64,
    ip: &str,
) -> Result<Response, ApiError> {
    let edits = history(state, identity, person, ip, now())
        .await?
        .ok_or_else(|| ApiError::not_found("person"))?;
    Ok(Json(edits.into_iter().map(EditOut::from).collect::<Vec<_>>()).into_response())
}

/// Every change to your profile, newest first, with who made it.
#[utoipa::path(get, path = "/api/v1/me/profile/history", tag = "people",
    responses((status = 200, body = Vec<EditOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_history(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
) -> Result<Response, ApiError> {
    history_of(&state, &identity, identity.user.id, &ip).await
}

/// The history of someone's profile, for their supporters (sections they may see only).
#[utoipa::path(get, path = "/api/v1/people/{id}/profile/history", tag = "people",
    params(("id" = i64, Path, description = "The person's account number")),
    responses((status = 200, body = Vec<EditOut>), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_person_history(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    history_of(&state, &identity, id, &ip).await
}

/// Put a section back as it was before one change (yours, or a supporter's).
#[utoipa::path(post, path = "/api/v1/me/profile/history/{edit_id}/undo", tag = "people",
    params(("edit_id" = i64, Path, description = "The change to undo")),
    responses((status = 200, body = ProfileOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_undo(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(edit_id): Path<i64>,
) -> Result<Response, ApiError> {
    let t = now();
    undo_edit(&state, &identity, identity.user.id, edit_id, &ip, t).await?;
    api_my_profile(State(state), ApiUser(identity), ClientAddress(ip)).await
}

/// Every sharing choice you or others made about your information, newest first.
#[utoipa::path(get, path = "/api/v1/me/consents", tag = "people",
    responses((status = 200, body = Vec<ConsentOut>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_consents(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Response, ApiError> {
    Ok(Json(sharing_choices(&state, identity.user.id).await?).into_response())
}

/// Everything this hub holds about you, as JSON.
#[utoipa::path(get, path = "/api/v1/me/information", tag = "people",
    responses((status = 200, body = Export), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_information(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
) -> Result<Response, ApiError> {
    let doc = export(&state, &identity, &ip, now()).await?;
    let mut r = Json(doc).into_response();
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        header::HeaderValue::from_static("attachment; filename=\"my-village-data.json\""),
    );
    Ok(r)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessLogParams {
    /// Only entries with an id below this (for paging back).
    pub before: Option<i64>,
    /// Up to 500; 100 if not given.
    pub limit: Option<i64>,
}

/// Every time someone other than you looked at or changed your information, newest first.
#[utoipa::path(get, path = "/api/v1/me/access-log", tag = "people", params(AccessLogParams),
    responses((status = 200, body = Vec<crate::audit::AuditEntry>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_access_log(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    crate::extract::Query(p): crate::extract::Query<AccessLogParams>,
) -> Result<Response, ApiError> {
    let rows = access_log(
        &state,
        identity.user.id,
        p.before,
        p.limit.unwrap_or(100).clamp(1, 500),
    )
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(crate::audit::AuditEntry::from)
            .collect::<Vec<_>>(),
    )
    .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ForgetBody {
    pub password: String,
}

/// Forget me: removes your profile, story, circle, notes, sharing choices, contact details
/// and account, and signs you out everywhere. It cannot be undone.
#[utoipa::path(post, path = "/api/v1/me/forget", tag = "people", request_body = ForgetBody,
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_forget(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ApiJson(body): ApiJson<ForgetBody>,
) -> Result<Response, ApiError> {
    match forget(&state, &identity, &body.password, now()).await {
        Ok(()) => {
            let mut r = StatusCode::NO_CONTENT.into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                crate::auth::cookie(&state, crate::auth::SESSION_COOKIE, "", Some(0)),
            );
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

// ---- Circle and connectors ------------------------------------------------------------

/// Your circle of support, and the circles you are in or invited into.
#[derive(Debug, Serialize, ToSchema)]
pub struct CircleOut {
    pub entries: Vec<CircleEntryOut>,
    pub invitations_and_memberships: Vec<MembershipOut>,
}

/// Your circle of support.
#[utoipa::path(get, path = "/api/v1/me/circle", tag = "people",
    responses((status = 200, body = CircleOut), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_circle(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Response, ApiError> {
    let (entries, memberships) = circle_fns::my_circle(&state, &identity).await?;
    Ok(Json(CircleOut {
        entries: entries.into_iter().map(circle_fns::entry_out).collect(),
        invitations_and_memberships: memberships
            .into_iter()
            .map(circle_fns::membership_out)
            .collect(),
    })
    .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCircleBody {
    /// `close`, `family_friends`, `community` or `paid`.
    pub ring: String,
    pub name: String,
    #[serde(default)]
    pub contact: String,
    /// Invite this member of the hub (they must accept).
    pub member_id: Option<i64>,
    /// Or invite the member with this email address.
    pub member_email: Option<String>,
}

/// Add someone to your circle: a name (with private contact details), or a member, who is
/// invited and must accept.
#[utoipa::path(post, path = "/api/v1/me/circle", tag = "people", request_body = NewCircleBody,
    responses((status = 201, body = CircleEntryOut), (status = 401, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_add_circle(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<NewCircleBody>,
) -> Result<(StatusCode, Json<CircleEntryOut>), ApiError> {
    let (id, _) = circle_fns::add(
        &state,
        &identity,
        &NewEntry {
            ring: &body.ring,
            name: &body.name,
            contact: &body.contact,
            member_id: body.member_id,
            member_email: body.member_email.as_deref(),
        },
        &ip,
        now(),
    )
    .await?;
    let entry = circle_fns::entry(&state, &identity, id).await?;
    Ok((StatusCode::CREATED, Json(circle_fns::entry_out(entry))))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CircleChangeBody {
    pub ring: Option<String>,
    pub name: Option<String>,
    pub contact: Option<String>,
    /// Let them help edit your profile (members who accepted only).
    pub supporter: Option<bool>,
}

/// Change an entry in your circle; leave out what should stay.
#[utoipa::path(patch, path = "/api/v1/me/circle/{id}", tag = "people", request_body = CircleChangeBody,
    params(("id" = i64, Path, description = "The circle entry")),
    responses((status = 200, body = CircleEntryOut), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_change_circle(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CircleChangeBody>,
) -> Result<Json<CircleEntryOut>, ApiError> {
    circle_fns::update(
        &state,
        &identity,
        id,
        &circle_fns::EntryChange {
            ring: body.ring.as_deref(),
            name: body.name.as_deref(),
            contact: body.contact.as_deref(),
            supporter: body.supporter,
        },
        now(),
    )
    .await?;
    let entry = circle_fns::entry(&state, &identity, id).await?;
    Ok(Json(circle_fns::entry_out(entry)))
}

/// Take someone out of your circle.
#[utoipa::path(delete, path = "/api/v1/me/circle/{id}", tag = "people",
    params(("id" = i64, Path, description = "The circle entry")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_remove_circle(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    circle_fns::remove(&state, &identity, id, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Answer an invitation into someone's circle: `accept`, `decline` (or `leave` once in).
#[utoipa::path(post, path = "/api/v1/me/circle-invitations/{entry_id}/{answer}", tag = "people",
    params(("entry_id" = i64, Path, description = "The invitation"), ("answer" = String, Path, description = "accept, decline or leave")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_answer_invitation(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path((entry_id, answer)): Path<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" | "leave" => false,
        _ => return Err(ApiError::not_found("answer (use accept, decline or leave)")),
    };
    circle_fns::answer(&state, &identity, entry_id, accept, &ip, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your connectors (chosen or offered) and, for connectors, the people who chose you.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectorsOut {
    pub connectors: Vec<ConnectorOut>,
    pub people: Vec<ConnectorOut>,
}

/// Your connectors.
#[utoipa::path(get, path = "/api/v1/me/connectors", tag = "people",
    responses((status = 200, body = ConnectorsOut), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_connectors(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
) -> Result<Response, ApiError> {
    let (connectors, people) = circle_fns::my_connectors(&state, &identity).await?;
    Ok(Json(ConnectorsOut {
        connectors: connectors
            .into_iter()
            .map(|l| circle_fns::link_out(l, false))
            .collect(),
        people: people
            .into_iter()
            .map(|l| circle_fns::link_out(l, true))
            .collect(),
    })
    .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChooseConnectorBody {
    pub connector_id: i64,
}

/// Choose a connector, or accept one who offered. They see what you share with
/// `connectors` or wider from the very next request.
#[utoipa::path(post, path = "/api/v1/me/connectors", tag = "people", request_body = ChooseConnectorBody,
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_choose_connector(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<ChooseConnectorBody>,
) -> Result<StatusCode, ApiError> {
    circle_fns::choose_connector(&state, &identity, body.connector_id, &ip, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop having someone as your connector (they stop seeing what you shared at once).
#[utoipa::path(delete, path = "/api/v1/me/connectors/{id}", tag = "people",
    params(("id" = i64, Path, description = "The connector's account number")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_end_connector(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    circle_fns::end_connector(&state, &identity, identity.user.id, id, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// For connectors: offer to be someone's connector. Nothing is shared until they accept.
#[utoipa::path(post, path = "/api/v1/people/{id}/connector-offer", tag = "people",
    params(("id" = i64, Path, description = "The person's account number")),
    responses((status = 204), (status = 401, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_offer_connector(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    circle_fns::offer_connector(&state, &identity, id, &ip, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
