//! Community editing: any signed-in member suggests a listing or a change; nothing they
//! suggest is public until a steward approves it; stewards approve or reject with a reason
//! the member sees; every approved change is kept as a version (who, when, what, why).

use crate::auth::{ClientAddress, CsrfToken, Identity, MaybeSignedIn, SignedIn};
use crate::pages::{self, Errors, Layout, PageError, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::Value;
use village_app::directory::editing;
use village_app::Error;
use village_domain::directory::listing::{
    attribute_term, cost_line, differences, place_line, time_lines, ChangeForm, CostLine,
    NewListingForm, PlaceLine, TimeLine, MAX_TIMES, TIME_FIELDS, WEEKS,
};
use village_domain::directory::schedule::Weekday;
use village_domain::directory::taxonomy::{Access, Community, GroupKind, Space, CATEGORIES};
use village_store::directory::{ClaimRow, SuggestionRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/directory/suggest",
            get(view_suggest_get).post(view_suggest_post),
        )
        .route(
            "/directory/offers/{id}/suggest-change",
            get(view_change_get).post(view_change_post),
        )
        .route("/directory/offers/{id}/history", get(view_history_get))
        .route("/directory/suggestions", get(view_my_suggestions_get))
        .route("/directory/review", get(view_review_get))
        .route("/directory/review/stale", get(view_stale_get))
        .route(
            "/directory/review/stale/{id}/checked",
            post(view_checked_post),
        )
        .route("/directory/review/{id}", get(view_review_item_get))
        .route("/directory/review/{id}/approve", post(view_approve_post))
        .route("/directory/review/{id}/reject", post(view_reject_post))
}

fn errors_from(e: Error) -> Result<Errors, PageError> {
    let mut errors = Errors::none();
    match e {
        Error::Field(p) => errors.add_field_error(&p),
        Error::Fields(list) => list.iter().for_each(|p| errors.add_field_error(p)),
        other => return Err(other.into()),
    }
    Ok(errors)
}

// ---- Suggest a new listing --------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct NewListingFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    free: String,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    lived_led: String,
    #[serde(default)]
    communities: Vec<String>,
    #[serde(default)]
    access: Vec<String>,
    #[serde(default)]
    space: String,
    #[serde(default)]
    why: String,
}

#[derive(Template)]
#[template(path = "directory/suggest.html")]
struct SuggestPage {
    layout: Layout,
    errors: Errors,
    f: NewListingFields,
    categories: Vec<(&'static str, &'static str, bool)>,
    kinds: Vec<(&'static str, &'static str, bool)>,
    days: Vec<(&'static str, &'static str, bool)>,
    communities: Vec<(&'static str, &'static str, bool)>,
    access: Vec<(&'static str, &'static str, bool)>,
    spaces: Vec<(&'static str, &'static str, bool)>,
}

fn suggest_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    f: NewListingFields,
    errors: Errors,
) -> SuggestPage {
    SuggestPage {
        layout: Layout::new(
            state,
            Some(identity),
            csrf,
            "/directory",
            "Suggest a listing",
        ),
        errors,
        categories: CATEGORIES
            .iter()
            .map(|c| (c.code, c.name, c.code == f.category))
            .collect(),
        kinds: GroupKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(), k.code() == f.kind))
            .collect(),
        days: Weekday::ALL
            .iter()
            .map(|d| (d.code(), d.name(), d.code() == f.day))
            .collect(),
        communities: Community::ALL
            .iter()
            .map(|c| {
                (
                    c.code(),
                    c.label(),
                    f.communities.iter().any(|x| x == c.code()),
                )
            })
            .collect(),
        access: Access::ALL
            .iter()
            .map(|a| (a.code(), a.label(), f.access.iter().any(|x| x == a.code())))
            .collect(),
        spaces: SPACE_CHOICES
            .into_iter()
            .map(|(code, label)| (code, label, f.space == code))
            .collect(),
        f,
    }
}

async fn view_suggest_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&suggest_page(
        &state,
        &identity,
        &csrf,
        NewListingFields::default(),
        Errors::none(),
    ))
}

async fn view_suggest_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(f): PageForm<NewListingFields>,
) -> PageResult {
    let form = NewListingForm {
        name: f.name.clone(),
        description: f.description.clone(),
        organisation: f.organisation.clone(),
        category: f.category.clone(),
        kind: f.kind.clone(),
        day: f.day.clone(),
        opens: f.opens.clone(),
        closes: f.closes.clone(),
        venue: f.venue.clone(),
        address: f.address.clone(),
        postcode: f.postcode.clone(),
        free: f.free.clone(),
        cost: f.cost.clone(),
        email: f.email.clone(),
        lived_led: !f.lived_led.is_empty(),
        communities: f.communities.clone(),
        access: f.access.clone(),
        space: f.space.clone(),
    };
    match editing::suggest_listing(&state, &identity, &form, &f.why, &ip, now()).await {
        Ok(_) => Ok(Redirect::to("/directory/suggestions?done=suggested").into_response()),
        Err(e) => {
            let errors = errors_from(e)?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &suggest_page(&state, &identity, &csrf, f, errors),
            ))
        }
    }
}

/// The answers to "can new people join now?".
const SPACE_CHOICES: [(&str, &str); 3] = [
    ("", "Not saying"),
    ("has_space", "Has space now"),
    ("waiting_list", "Waiting list"),
];

// ---- Suggest a change -------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ChangeFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    why: String,
    /// `has_space`, `waiting_list`, or empty.
    #[serde(default)]
    space: String,
    #[serde(default)]
    communities: Vec<String>,
    #[serde(default)]
    access: Vec<String>,
    /// The time lines, one value per line in each list (the form repeats the four fields).
    #[serde(default)]
    day: Vec<String>,
    #[serde(default)]
    week: Vec<String>,
    #[serde(default)]
    opens: Vec<String>,
    #[serde(default)]
    closes: Vec<String>,
    /// `yes`, `no`, or empty for not saying. Left out (a form without the question): kept.
    #[serde(default)]
    free: Option<String>,
    #[serde(default)]
    cost: Option<String>,
    /// Where it happens. Left out (a form without the questions): kept.
    #[serde(default)]
    venue: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    postcode: Option<String>,
}

/// Empty time lines the change form offers beside the ones a listing has.
const SPARE_TIMES: usize = 2;

/// One line of "When does it happen?" on the change form.
pub struct TimeRow {
    number: usize,
    ids: [&'static str; 4],
    line: TimeLine,
}

#[derive(Template)]
#[template(path = "directory/change.html")]
struct ChangePage {
    layout: Layout,
    errors: Errors,
    id: String,
    current_name: String,
    f: ChangeFields,
    /// An organiser's or steward's direct edit, rather than a suggestion.
    direct: bool,
    /// (code, label, checked) for the checkboxes and radios.
    communities: Vec<(&'static str, &'static str, bool)>,
    access: Vec<(&'static str, &'static str, bool)>,
    spaces: Vec<(&'static str, &'static str, bool)>,
    times: Vec<TimeRow>,
    days: Vec<(&'static str, &'static str)>,
    weeks: [(&'static str, &'static str); 6],
    frees: Vec<(&'static str, &'static str, bool)>,
}

impl ChangeFields {
    /// The time lines as typed (blank ones included, so problems keep their line numbers).
    fn time_lines(&self) -> Vec<TimeLine> {
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        (0..self.day.len())
            .map(|i| TimeLine {
                day: at(&self.day, i),
                week: at(&self.week, i),
                opens: at(&self.opens, i),
                closes: at(&self.closes, i),
            })
            .collect()
    }

    /// The form as it starts: what the listing says now.
    fn from_record(current: &Value) -> Self {
        let terms: Vec<&str> = current
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(attribute_term)
            .collect();
        // More times than the form has lines for are not shown, and so kept as they are.
        let lines = Some(time_lines(current)).filter(|l| l.len() <= MAX_TIMES);
        let cost = cost_line(current);
        let place = place_line(current);
        let column = |part: fn(&TimeLine) -> &String| -> Vec<String> {
            let Some(lines) = &lines else {
                return Vec::new();
            };
            lines
                .iter()
                .map(|l| part(l).clone())
                .chain(std::iter::repeat_n(String::new(), SPARE_TIMES))
                .take(MAX_TIMES)
                .collect()
        };
        Self {
            name: text(current, "name"),
            description: text(current, "description"),
            email: text(current, "email"),
            url: text(current, "url"),
            why: String::new(),
            day: column(|l| &l.day),
            week: column(|l| &l.week),
            opens: column(|l| &l.opens),
            closes: column(|l| &l.closes),
            free: Some(cost.free),
            cost: Some(cost.description),
            venue: Some(place.venue),
            address: Some(place.address),
            postcode: Some(place.postcode),
            space: Space::ALL
                .iter()
                .find(|sp| terms.contains(&sp.term_id()))
                .map(|sp| sp.code().to_string())
                .unwrap_or_default(),
            communities: Community::ALL
                .iter()
                .filter(|c| terms.contains(&c.term_id()))
                .map(|c| c.code().to_string())
                .collect(),
            access: Access::ALL
                .iter()
                .filter(|a| terms.contains(&a.term_id()))
                .map(|a| a.code().to_string())
                .collect(),
        }
    }

    /// The change as the domain takes it: the page always shows every part, so every part
    /// is said (an unticked box means "not this").
    fn change(&self) -> ChangeForm {
        ChangeForm {
            name: self.name.clone(),
            description: self.description.clone(),
            email: self.email.clone(),
            url: self.url.clone(),
            space: Some(self.space.clone()),
            communities: Some(self.communities.clone()),
            access: Some(self.access.clone()),
            // A form without the times or the cost (an older page) keeps them; the page
            // always sends every line, blank ones too.
            times: (!self.day.is_empty()).then(|| self.time_lines()),
            cost: (self.free.is_some() || self.cost.is_some()).then(|| CostLine {
                free: self.free.clone().unwrap_or_default(),
                description: self.cost.clone().unwrap_or_default(),
            }),
            place: (self.venue.is_some() || self.address.is_some() || self.postcode.is_some())
                .then(|| PlaceLine {
                    venue: self.venue.clone().unwrap_or_default(),
                    address: self.address.clone().unwrap_or_default(),
                    postcode: self.postcode.clone().unwrap_or_default(),
                }),
            place_centre: None,
        }
    }
}

/// Whether it is free, as the change form asks.
const FREE_CHOICES: [(&str, &str); 3] = [
    ("yes", "Yes, it is free"),
    ("no", "No, it costs something"),
    ("", "Not saying"),
];

/// The change form, for a member's suggestion or (`direct`) an organiser's edit.
fn change_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    current: &Value,
    f: ChangeFields,
    errors: Errors,
    direct: bool,
) -> ChangePage {
    let title = if direct {
        "Edit this listing"
    } else {
        "Suggest a change"
    };
    let ticked = |list: &[String], code: &str| list.iter().any(|c| c == code);
    ChangePage {
        layout: Layout::new(state, Some(identity), csrf, "/directory", title),
        errors,
        current_name: text(current, "name"),
        id: text(current, "id"),
        communities: Community::ALL
            .iter()
            .map(|c| (c.code(), c.label(), ticked(&f.communities, c.code())))
            .collect(),
        access: Access::ALL
            .iter()
            .map(|a| (a.code(), a.label(), ticked(&f.access, a.code())))
            .collect(),
        spaces: SPACE_CHOICES
            .into_iter()
            .map(|(code, label)| (code, label, f.space == code))
            .collect(),
        times: f
            .time_lines()
            .into_iter()
            .zip(TIME_FIELDS)
            .enumerate()
            .map(|(i, (line, ids))| TimeRow {
                number: i + 1,
                ids,
                line,
            })
            .collect(),
        days: Weekday::ALL.iter().map(|d| (d.code(), d.name())).collect(),
        weeks: WEEKS,
        frees: FREE_CHOICES
            .into_iter()
            .map(|(code, label)| (code, label, f.free.as_deref().unwrap_or("") == code))
            .collect(),
        f,
        direct,
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

async fn view_change_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let current = editing::listing(&state, &id).await?;
    let f = ChangeFields::from_record(&current);
    Ok(pages::page(&change_page(
        &state,
        &identity,
        &csrf,
        &current,
        f,
        Errors::none(),
        false,
    )))
}

async fn view_change_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
    PageForm(f): PageForm<ChangeFields>,
) -> PageResult {
    let result =
        editing::suggest_change(&state, &identity, &id, f.change(), &f.why, &ip, now()).await;
    match result {
        Ok(_) => Ok(Redirect::to("/directory/suggestions?done=suggested").into_response()),
        Err(e) => {
            let errors = errors_from(e)?;
            let current = editing::listing(&state, &id).await?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &change_page(&state, &identity, &csrf, &current, f, errors, false),
            ))
        }
    }
}

// ---- My suggestions ---------------------------------------------------------------------

pub struct SuggestionView {
    id: i64,
    what: String,
    kind: &'static str,
    status: &'static str,
    reason: String,
    when: String,
    by: String,
    service_id: String,
    approved: bool,
}

fn suggestion_view(s: &SuggestionRow) -> SuggestionView {
    let doc: Value = serde_json::from_str(&s.doc).unwrap_or(Value::Null);
    SuggestionView {
        id: s.id,
        what: text(&doc, "name"),
        kind: if s.kind == "new" {
            "New listing"
        } else {
            "Change"
        },
        status: match s.status.as_str() {
            "approved" => "Approved: it is now in the directory",
            "rejected" => "Not approved",
            _ => "Waiting for a steward",
        },
        reason: s.decision_reason.clone().unwrap_or_default(),
        when: pages::when(s.created_at),
        by: s
            .suggested_by_name
            .clone()
            .unwrap_or_else(|| "A former member".into()),
        service_id: s.service_id.clone(),
        approved: s.status == "approved",
    }
}

#[derive(Template)]
#[template(path = "directory/suggestions.html")]
struct SuggestionsPage {
    layout: Layout,
    heading: String,
    intro: String,
    review: bool,
    items: Vec<SuggestionView>,
    claims: Vec<ClaimView>,
}

pub struct ClaimView {
    id: i64,
    organisation_id: String,
    who: String,
    message: String,
    when: String,
    status: &'static str,
    reason: String,
}

fn claim_view(c: &ClaimRow) -> ClaimView {
    ClaimView {
        id: c.id,
        organisation_id: c.organization_id.clone(),
        who: c.user_name.clone().unwrap_or_default(),
        message: c.message.clone(),
        when: pages::when(c.created_at),
        status: match c.status.as_str() {
            "approved" => "Approved: you can edit its listings",
            "rejected" => "Not approved",
            _ => "Waiting for a steward",
        },
        reason: c.decision_reason.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

/// One list of suggestions and organiser requests: a member's own, or the stewards' queue.
async fn suggestions_list(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    review: bool,
    done: Option<&str>,
) -> PageResult {
    let (rows, claims) = if review {
        editing::review_queue(state, identity, 200).await?
    } else {
        editing::my_suggestions(state, identity, 200).await?
    };
    let notice = match done {
        Some("suggested") => Some("Thank you. A steward will check your suggestion; you will see their answer here."),
        Some("claimed") => Some("Thank you. A steward will check your request to be an organiser; you will see their answer here."),
        Some("approved") => Some("Approved. The listing is now in the directory."),
        Some("rejected") => Some("Not approved. The member can see your reason."),
        _ => None,
    };
    let (path, heading, intro) = if review {
        ("/directory/review", "Suggestions to check", "Listings and changes members have suggested, oldest first. Approve what is right; if not, say why: the member will see your reason.")
    } else {
        ("/directory", "Your suggestions", "Listings and changes you have suggested. Nothing you suggest is public until a steward has checked it.")
    };
    Ok(pages::page(&SuggestionsPage {
        layout: Layout::new(state, Some(identity), csrf, path, heading).with_notice(notice),
        heading: heading.into(),
        intro: intro.into(),
        review,
        items: rows.iter().map(suggestion_view).collect(),
        claims: claims.iter().map(claim_view).collect(),
    }))
}

async fn view_my_suggestions_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> PageResult {
    suggestions_list(&state, &identity, &csrf, false, q.done.as_deref()).await
}

// ---- Review (stewards) ------------------------------------------------------------------

async fn view_review_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> PageResult {
    suggestions_list(&state, &identity, &csrf, true, q.done.as_deref()).await
}

#[derive(Template)]
#[template(path = "directory/review_item.html")]
struct ReviewItemPage {
    layout: Layout,
    errors: Errors,
    item: SuggestionView,
    why: String,
    changes: Vec<(String, String, String)>,
    pending: bool,
    reason: String,
}

async fn review_item(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    id: i64,
    errors: Errors,
    reason: &str,
) -> PageResult {
    let (s, before) = editing::for_review(state, identity, id).await?;
    let proposed: Value = serde_json::from_str(&s.doc).unwrap_or(Value::Null);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &ReviewItemPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/directory/review",
                "Check a suggestion",
            ),
            errors,
            why: s.why.clone(),
            changes: differences(before.as_ref(), &proposed),
            pending: s.status == "pending",
            reason: reason.to_string(),
            item: suggestion_view(&s),
        },
    ))
}

async fn view_review_item_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    review_item(&state, &identity, &csrf, id, Errors::none(), "").await
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
}

/// A steward's answer to a suggestion: to the queue when it is done; the suggestion again
/// when the reason is missing or someone else answered first.
async fn decide(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
) -> PageResult {
    match editing::decide(state, identity, id, approve, reason, ip, now()).await {
        Ok(_) if approve => Ok(Redirect::to("/directory/review?done=approved").into_response()),
        Ok(_) => Ok(Redirect::to("/directory/review?done=rejected").into_response()),
        Err(Error::Conflict(..)) => {
            review_item(state, identity, csrf, id, Errors::none(), reason.trim()).await
        }
        Err(e) => review_item(state, identity, csrf, id, errors_from(e)?, "").await,
    }
}

async fn view_approve_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> PageResult {
    decide(&state, &identity, &csrf, id, true, &form.reason, &ip).await
}

async fn view_reject_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> PageResult {
    decide(&state, &identity, &csrf, id, false, &form.reason, &ip).await
}

// ---- History ----------------------------------------------------------------------------

pub struct VersionView {
    when: String,
    who: Option<String>,
    change: String,
    why: String,
    changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "directory/history.html")]
struct HistoryPage {
    layout: Layout,
    id: String,
    name: String,
    versions: Vec<VersionView>,
}

async fn view_history_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let (current, versions) = editing::history(&state, &id).await?;
    let docs: Vec<Option<Value>> = versions
        .iter()
        .map(|v| serde_json::from_str(&v.doc).ok())
        .collect();
    let views = versions
        .iter()
        .enumerate()
        .map(|(i, v)| VersionView {
            when: pages::when(v.changed_at),
            who: v.changed_by.map(|_| {
                v.changed_by_name
                    .clone()
                    .unwrap_or_else(|| "a former steward".into())
            }),
            change: v.change.clone(),
            why: v.why.clone(),
            changes: match docs.get(i).cloned().flatten() {
                Some(after) => differences(docs.get(i + 1).cloned().flatten().as_ref(), &after),
                None => Vec::new(),
            },
        })
        .collect();
    Ok(pages::page(&HistoryPage {
        layout: Layout::new(
            &state,
            identity.as_ref(),
            &csrf,
            "/directory",
            "Changes to this listing",
        ),
        name: text(&current, "name"),
        id,
        versions: views,
    }))
}

// ---- Listings not checked for a year ------------------------------------------------------

#[derive(Template)]
#[template(path = "directory/stale.html")]
struct StalePage {
    layout: Layout,
    items: Vec<(String, String, String)>,
}

async fn view_stale_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> PageResult {
    let rows = editing::stale(&state, &identity, now(), 500).await?;
    let notice = (q.done.as_deref() == Some("checked")).then_some("Marked as checked today.");
    Ok(pages::page(&StalePage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/directory/review",
            "Listings to check again",
        )
        .with_notice(notice),
        items: rows
            .into_iter()
            .map(|(id, name, last)| {
                let when = last
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.format("%-d %B %Y").to_string())
                    .unwrap_or_else(|| "Never".into());
                (id, name, when)
            })
            .collect(),
    }))
}

/// A steward has checked a listing and it is still right: record that, as a version.
async fn view_checked_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<String>,
) -> PageResult {
    editing::mark_checked(&state, &identity, &id, &ip, now()).await?;
    Ok(Redirect::to("/directory/review/stale?done=checked").into_response())
}

// ---- Organisers: claim a group, then edit its listings directly ---------------------------

pub fn organiser_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/directory/organisations/{id}/claim",
            get(view_claim_get).post(view_claim_post),
        )
        .route(
            "/directory/claims/{id}/approve",
            post(view_claim_approve_post),
        )
        .route(
            "/directory/claims/{id}/reject",
            post(view_claim_reject_post),
        )
        .route(
            "/directory/offers/{id}/edit",
            get(view_edit_get).post(view_edit_post),
        )
}

#[derive(Template)]
#[template(path = "directory/claim.html")]
struct ClaimPage {
    layout: Layout,
    errors: Errors,
    id: String,
    name: String,
    message: String,
}

fn claim_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    id: String,
    name: String,
    message: String,
    errors: Errors,
) -> ClaimPage {
    ClaimPage {
        layout: Layout::new(
            state,
            Some(identity),
            csrf,
            "/directory",
            "Do you run this group?",
        ),
        errors,
        id,
        name,
        message,
    }
}

async fn view_claim_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let name = editing::organisation_name(&state, &id).await?;
    Ok(pages::page(&claim_page(
        &state,
        &identity,
        &csrf,
        id,
        name,
        String::new(),
        Errors::none(),
    )))
}

#[derive(Debug, Default, Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    message: String,
}

async fn view_claim_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
    PageForm(form): PageForm<ClaimForm>,
) -> PageResult {
    match editing::claim(&state, &identity, &id, &form.message, &ip, now()).await {
        Ok(_) => Ok(Redirect::to("/directory/suggestions?done=claimed").into_response()),
        Err(e) => {
            let errors = errors_from(e)?;
            let name = editing::organisation_name(&state, &id).await?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &claim_page(&state, &identity, &csrf, id, name, form.message, errors),
            ))
        }
    }
}

async fn decide_claim(
    state: &AppState,
    identity: &Identity,
    id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
) -> PageResult {
    editing::decide_claim(state, identity, id, approve, reason, ip, now()).await?;
    Ok(Redirect::to(if approve {
        "/directory/review?done=approved"
    } else {
        "/directory/review?done=rejected"
    })
    .into_response())
}

async fn view_claim_approve_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> PageResult {
    decide_claim(&state, &identity, id, true, "", &ip).await
}

async fn view_claim_reject_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> PageResult {
    decide_claim(&state, &identity, id, false, &form.reason, &ip).await
}

async fn view_edit_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let current = editing::listing_to_edit(&state, &identity, &id).await?;
    let f = ChangeFields::from_record(&current);
    Ok(pages::page(&change_page(
        &state,
        &identity,
        &csrf,
        &current,
        f,
        Errors::none(),
        true,
    )))
}

async fn view_edit_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
    PageForm(f): PageForm<ChangeFields>,
) -> PageResult {
    match editing::edit(&state, &identity, &id, f.change(), &f.why, &ip, now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/directory/offers/{id}")).into_response()),
        Err(e) => {
            let errors = errors_from(e)?;
            let current = editing::listing_to_edit(&state, &identity, &id).await?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &change_page(&state, &identity, &csrf, &current, f, errors, true),
            ))
        }
    }
}
