//! The audit log: recording (including the call every capability makes when someone reads
//! another person's personal data), the hub admin's view, and each member's own view.

use crate::api::ApiError;
use crate::auth::{ApiUser, SignedIn};
use crate::csrf::CsrfToken;
use crate::pages::{self, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use village_domain::audit::AuditAction;
use village_store::audit::{AuditFilter, AuditRow};

const PAGE_SIZE: i64 = 100;

pub struct EntryView {
    when: String,
    who: String,
    about: String,
    what: String,
    detail: String,
    ip: String,
}

fn person(id: Option<i64>, name: &Option<String>, me: i64) -> String {
    match (id, name) {
        (Some(i), _) if i == me => "You".into(),
        (Some(_), Some(n)) => n.clone(),
        (Some(i), None) => format!("Deleted account {i}"),
        (None, _) => "Someone not signed in".into(),
    }
}

fn view(row: &AuditRow, me: i64) -> EntryView {
    EntryView {
        when: pages::when(row.at),
        who: person(row.actor_id, &row.actor_name, me),
        about: match row.subject_id {
            None => "The hub".into(),
            Some(_) => person(row.subject_id, &row.subject_name, me),
        },
        what: row
            .action()
            .map(AuditAction::label)
            .unwrap_or("Other")
            .to_string(),
        detail: row.detail.clone(),
        ip: row.ip.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct AuditPage {
    layout: Layout,
    errors: Errors,
    heading: String,
    intro: String,
    admin: bool,
    entries: Vec<EntryView>,
    actions: Vec<(&'static str, &'static str, bool)>,
    person: String,
    from: String,
    to: String,
    older: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    /// An account number: entries by or about that person.
    #[serde(default)]
    person: String,
    /// A day as people type it (see [`village_domain::dates::parse_day`]).
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
}

/// When the day typed in `field` starts (London time), or a problem naming the field.
fn day_start(text: &str, field: &str, errors: &mut Errors) -> Option<i64> {
    if text.trim().is_empty() {
        return None;
    }
    let start = village_domain::dates::parse_day(text).and_then(village_domain::dates::day_start);
    if start.is_none() {
        errors.add(field, "Enter a date like 1 November 2026");
    }
    start
}

pub(crate) async fn view_audit_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Query(q) = query.unwrap_or_default();
    let action = AuditAction::parse(&q.action);
    let person = q.person.trim().parse::<i64>().ok();
    let mut errors = Errors::none();
    let filter = AuditFilter {
        since: day_start(&q.from, "from", &mut errors),
        until: day_start(&q.to, "to", &mut errors).map(|t| t + 24 * 60 * 60),
        before_id: q.before,
        limit: PAGE_SIZE,
        ..Default::default()
    };
    let code = action.map(AuditAction::as_str);
    // A date that cannot be read shows no entries, rather than more than was asked for.
    let rows = if errors.is_empty() {
        village_app::audit::log(&state, &identity, &filter, code, person).await?
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let older = (rows.len() as i64 == PAGE_SIZE).then(|| {
        let last = rows.last().map(|r| r.id).unwrap_or(0);
        format!(
            "/admin/audit?{}",
            serde_urlencoded::to_string([
                ("action", q.action.as_str()),
                ("person", q.person.as_str()),
                ("from", q.from.as_str()),
                ("to", q.to.as_str()),
                ("before", &last.to_string()),
            ])
            .unwrap_or_default()
        )
    });
    Ok(pages::render(status, &AuditPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/admin/audit", "Audit log"),
        errors,
        heading: "Audit log".into(),
        intro: "Every sign-in, change to an account or role, and every time someone looked at another person's information. Nothing here can be changed or removed.".into(),
        admin: true,
        entries: rows.iter().map(|r| view(r, identity.user.id)).collect(),
        actions: AuditAction::ALL.iter().map(|a| (a.as_str(), a.label(), Some(*a) == action)).collect(),
        person: q.person.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        older,
    }))
}

pub(crate) async fn view_my_activity_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Query(q) = query.unwrap_or_default();
    let filter = AuditFilter {
        before_id: q.before,
        limit: PAGE_SIZE,
        ..Default::default()
    };
    let rows = village_app::audit::about_me(&state, &identity, &filter).await?;
    let older = (rows.len() as i64 == PAGE_SIZE).then(|| {
        format!(
            "/account/activity?before={}",
            rows.last().map(|r| r.id).unwrap_or(0)
        )
    });
    Ok(pages::page(&AuditPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/account/activity", "Your activity"),
        errors: Errors::none(),
        heading: "Your activity and who has looked at your information".into(),
        intro: "Everything recorded about your account: sign-ins, changes, and every time someone else looked at your information. If anything here surprises you, tell a hub admin.".into(),
        admin: false,
        entries: rows.iter().map(|r| view(r, identity.user.id)).collect(),
        actions: vec![],
        person: String::new(),
        from: String::new(),
        to: String::new(),
        older,
    }))
}

// ---- API --------------------------------------------------------------------------------

pub use village_app::audit::AuditEntry;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only this action code.
    pub action: Option<String>,
    /// Only entries by this account.
    pub actor: Option<i64>,
    /// Only entries about this account.
    pub subject: Option<i64>,
    /// Only entries with an id below this (for paging back).
    pub before: Option<i64>,
    /// Up to 500; 100 if not given.
    pub limit: Option<i64>,
}

/// Every audit entry about the signed-in member, newest first.
#[utoipa::path(get, path = "/api/v1/me/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_my_audit(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    crate::extract::Query(p): crate::extract::Query<AuditParams>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let filter = AuditFilter {
        action: p.action.as_deref().and_then(AuditAction::parse),
        before_id: p.before,
        limit: p.limit.unwrap_or(PAGE_SIZE).clamp(1, 500),
        ..Default::default()
    };
    let rows = village_app::audit::about_me(&state, &identity, &filter).await?;
    Ok(Json(rows.into_iter().map(AuditEntry::from).collect()))
}

/// The whole audit log, filtered (hub admins only).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_audit_log(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    crate::extract::Query(p): crate::extract::Query<AuditParams>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let filter = AuditFilter {
        actor: p.actor,
        subject: p.subject,
        before_id: p.before,
        limit: p.limit.unwrap_or(PAGE_SIZE).clamp(1, 500),
        ..Default::default()
    };
    let rows =
        village_app::audit::log(&state, &identity, &filter, p.action.as_deref(), None).await?;
    Ok(Json(rows.into_iter().map(AuditEntry::from).collect()))
}
