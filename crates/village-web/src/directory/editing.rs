//! Community editing: any signed-in member suggests a listing or a change; nothing they
//! suggest is public until a steward approves it; stewards approve or reject with a reason
//! the member sees; every approved change is kept as a version (who, when, what, why).

use crate::auth::{ClientAddress, CsrfToken, Identity, MaybeSignedIn, SignedIn};
use crate::pages::{self, Errors, Layout, PageForm};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::Value;
use village_app::audit::record;
use village_domain::access::{self, Action};
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::directory::geo::Postcode;
use village_domain::directory::listing::{
    apply_change, attribute_term, cost_line, differences, new_listing, place_line, time_lines,
    ChangeForm, CostLine, NewListingForm, PlaceLine, TimeLine, MAX_TIMES, TIME_FIELDS, WEEKS,
};
use village_domain::directory::oruk::read_service;
use village_domain::directory::schedule::Weekday;
use village_domain::directory::taxonomy::{Access, Community, GroupKind, Space, CATEGORIES};
use village_domain::error::ErrorCode;
use village_store::directory::{self as store, SuggestionRow};
use village_store::StoreError;

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

pub(crate) fn rfc3339(now: i64) -> String {
    chrono::DateTime::from_timestamp(now, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn errors_from(problems: &[FieldError]) -> Errors {
    let mut errors = Errors::none();
    for p in problems {
        errors.add_field_error(p);
    }
    errors
}

/// What a member suggests: a whole proposed record for a new or existing listing.
pub struct Suggestion<'a> {
    pub service_id: &'a str,
    /// `new` or `change`.
    pub kind: &'a str,
    pub doc: &'a Value,
    pub why: &'a str,
}

/// Keep a member's suggestion (nothing public) and audit it. Pages and API both call this.
pub async fn save_suggestion(
    state: &AppState,
    identity: &Identity,
    suggestion: &Suggestion<'_>,
    ip: &str,
    now: i64,
) -> Result<i64, StoreError> {
    let Suggestion {
        service_id,
        kind,
        doc,
        why,
    } = suggestion;
    let mut tx = state.store.begin().await?;
    let id = store::create_suggestion(
        &mut tx,
        service_id,
        kind,
        &doc.to_string(),
        why.trim(),
        identity.user.id,
        now,
    )
    .await?;
    let what = if *kind == "new" {
        "new listing".to_string()
    } else {
        format!("change to {service_id}")
    };
    record(
        &mut tx,
        Some(identity.user.id),
        None,
        AuditAction::ListingSuggested,
        &format!("suggestion {id}: {what}"),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
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
#[template(path = "directory_suggest.html")]
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
) -> Response {
    if access::check(&identity.actor(), Action::SuggestListing).is_err() {
        return pages::forbidden(&state, Some(&identity), &csrf);
    }
    let now = now();
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
    let place = match Postcode::parse(&f.postcode) {
        Ok(p) => match state.store.conn().await {
            Ok(mut c) => store::postcode_point(&mut c, &p).await.unwrap_or(None),
            Err(_) => None,
        },
        Err(_) => None,
    };
    let doc = match new_listing(&form, &mut fresh_ids(), place, &rfc3339(now)) {
        Ok(d) => d,
        Err(problems) => {
            return pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &suggest_page(&state, &identity, &csrf, f, errors_from(&problems)),
            )
        }
    };
    let service_id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let result = save_suggestion(
        &state,
        &identity,
        &Suggestion {
            service_id: &service_id,
            kind: "new",
            doc: &doc,
            why: &f.why,
        },
        &ip,
        now,
    )
    .await;
    match result {
        Ok(_) => Redirect::to("/directory/suggestions?done=suggested").into_response(),
        Err(e) => pages::store_failed(e),
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
#[template(path = "directory_change.html")]
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

/// `change` with the typed postcode's centre filled in, if the hub knows the postcode.
pub(crate) async fn with_place_centre(state: &AppState, mut change: ChangeForm) -> ChangeForm {
    if let Some(Ok(postcode)) = change.place.as_ref().map(|p| Postcode::parse(&p.postcode)) {
        if let Ok(mut c) = state.store.conn().await {
            change.place_centre = store::postcode_point(&mut c, &postcode)
                .await
                .unwrap_or(None);
        }
    }
    change
}

/// Whether it is free, as the change form asks.
const FREE_CHOICES: [(&str, &str); 3] = [
    ("yes", "Yes, it is free"),
    ("no", "No, it costs something"),
    ("", "Not saying"),
];

/// Fresh UUIDs for new parts of a record.
pub(crate) fn fresh_ids() -> impl Iterator<Item = String> {
    std::iter::repeat_with(|| uuid::Uuid::new_v4().to_string())
}

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

async fn current_record(state: &AppState, id: &str) -> Result<Option<Value>, StoreError> {
    let mut c = state.store.conn().await?;
    Ok(store::service_doc(&mut c, id, true)
        .await?
        .and_then(|d| serde_json::from_str(&d).ok()))
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
) -> Response {
    let current = match current_record(&state, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return offer_missing(&state, &identity, &csrf),
        Err(e) => return pages::store_failed(e),
    };
    let f = ChangeFields::from_record(&current);
    pages::page(&change_page(
        &state,
        &identity,
        &csrf,
        &current,
        f,
        Errors::none(),
        false,
    ))
}

fn offer_missing(state: &AppState, identity: &Identity, csrf: &CsrfToken) -> Response {
    pages::problem(
        state,
        Some(identity),
        csrf,
        StatusCode::NOT_FOUND,
        "We cannot find that offer",
        &["It may have finished, or the link may be old."],
    )
}

async fn view_change_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
    PageForm(f): PageForm<ChangeFields>,
) -> Response {
    let now = now();
    let current = match current_record(&state, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return offer_missing(&state, &identity, &csrf),
        Err(e) => return pages::store_failed(e),
    };
    let mut problems = Vec::new();
    if f.why.trim().is_empty() {
        problems.push(FieldError::new(
            "why",
            ErrorCode::Missing,
            "Say what has changed, so a steward can check it",
        ));
    }
    let change = with_place_centre(&state, f.change()).await;
    let proposed = apply_change(&current, &change, &mut fresh_ids(), &rfc3339(now))
        .map_err(|p| problems.extend(p))
        .ok();
    let (Some(proposed), true) = (proposed, problems.is_empty()) else {
        return pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &change_page(
                &state,
                &identity,
                &csrf,
                &current,
                f,
                errors_from(&problems),
                false,
            ),
        );
    };
    let result = save_suggestion(
        &state,
        &identity,
        &Suggestion {
            service_id: &id,
            kind: "change",
            doc: &proposed,
            why: &f.why,
        },
        &ip,
        now,
    )
    .await;
    match result {
        Ok(_) => Redirect::to("/directory/suggestions?done=suggested").into_response(),
        Err(e) => pages::store_failed(e),
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
#[template(path = "directory_suggestions.html")]
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

fn claim_view(c: &store::ClaimRow) -> ClaimView {
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
) -> Response {
    if review && !may_review(identity) {
        return pages::forbidden(state, Some(identity), csrf);
    }
    let loaded = async {
        let mut c = state.store.conn().await?;
        if review {
            Ok::<_, StoreError>((
                store::pending_suggestions(&mut c, 200).await?,
                store::pending_claims(&mut c, 200).await?,
            ))
        } else {
            Ok((
                store::suggestions_by(&mut c, identity.user.id, 200).await?,
                store::claims_by(&mut c, identity.user.id).await?,
            ))
        }
    }
    .await;
    let (rows, claims) = match loaded {
        Ok(r) => r,
        Err(e) => return pages::store_failed(e),
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
    pages::page(&SuggestionsPage {
        layout: Layout::new(state, Some(identity), csrf, path, heading).with_notice(notice),
        heading: heading.into(),
        intro: intro.into(),
        review,
        items: rows.iter().map(suggestion_view).collect(),
        claims: claims.iter().map(claim_view).collect(),
    })
}

async fn view_my_suggestions_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Response {
    suggestions_list(&state, &identity, &csrf, false, q.done.as_deref()).await
}

// ---- Review (stewards) ------------------------------------------------------------------

pub(crate) fn may_review(identity: &Identity) -> bool {
    access::check(&identity.actor(), Action::ReviewListings).is_ok()
}

async fn view_review_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Response {
    suggestions_list(&state, &identity, &csrf, true, q.done.as_deref()).await
}

#[derive(Template)]
#[template(path = "directory_review_item.html")]
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
) -> Response {
    if !may_review(identity) {
        return pages::forbidden(state, Some(identity), csrf);
    }
    let loaded = async {
        let mut c = state.store.conn().await?;
        let Some(s) = store::suggestion(&mut c, id).await? else {
            return Ok(None);
        };
        let current = store::service_doc(&mut c, &s.service_id, false).await?;
        Ok::<_, StoreError>(Some((s, current)))
    }
    .await;
    let (s, current) = match loaded {
        Ok(Some(x)) => x,
        Ok(None) => {
            return pages::problem(
                state,
                Some(identity),
                csrf,
                StatusCode::NOT_FOUND,
                "We cannot find that suggestion",
                &["It may have been checked already."],
            )
        }
        Err(e) => return pages::store_failed(e),
    };
    let proposed: Value = serde_json::from_str(&s.doc).unwrap_or(Value::Null);
    let before: Option<Value> = current.and_then(|d| serde_json::from_str(&d).ok());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pages::render(
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
    )
}

async fn view_review_item_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> Response {
    review_item(&state, &identity, &csrf, id, Errors::none(), "").await
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
}

pub(crate) async fn decide(
    state: &AppState,
    identity: &Identity,
    id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
) -> Result<bool, StoreError> {
    let now = now();
    let mut tx = state.store.begin().await?;
    let Some(s) = store::suggestion(&mut tx, id).await? else {
        return Ok(false);
    };
    if !store::decide_suggestion(&mut tx, id, approve, identity.user.id, reason, now).await? {
        return Ok(false);
    }
    if approve {
        // Keep how the listing looked before its first reviewed change, so the history can
        // say what each change altered.
        if let Some(before) = store::service_doc(&mut tx, &s.service_id, false).await? {
            if store::versions(&mut tx, &s.service_id).await?.is_empty() {
                store::add_version(
                    &mut tx,
                    &s.service_id,
                    &before,
                    None,
                    "As it was first listed",
                    "",
                    now,
                )
                .await?;
            }
        }
        let doc: Value =
            serde_json::from_str(&s.doc).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let (index, _) = read_service(&doc).map_err(|p| StoreError::Invalid(format!("{p:?}")))?;
        store::upsert_service(&mut tx, &index, &s.doc, true, now).await?;
        // The history is public: it names the steward who approved, not the member who
        // suggested (stewards see who suggested what in the review queue).
        let change = if s.kind == "new" {
            "New listing suggested by a member"
        } else {
            "Change suggested by a member"
        };
        store::add_version(
            &mut tx,
            &s.service_id,
            &s.doc,
            Some(identity.user.id),
            change,
            &s.why,
            now,
        )
        .await?;
    }
    let action = if approve {
        AuditAction::ListingApproved
    } else {
        AuditAction::ListingRejected
    };
    record(
        &mut tx,
        Some(identity.user.id),
        s.suggested_by,
        action,
        &format!("suggestion {id}"),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn view_approve_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Response {
    if !may_review(&identity) {
        return pages::forbidden(&state, Some(&identity), &csrf);
    }
    match decide(&state, &identity, id, true, form.reason.trim(), &ip).await {
        Ok(true) => Redirect::to("/directory/review?done=approved").into_response(),
        Ok(false) => review_item(&state, &identity, &csrf, id, Errors::none(), "").await,
        Err(e) => pages::store_failed(e),
    }
}

async fn view_reject_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Response {
    if !may_review(&identity) {
        return pages::forbidden(&state, Some(&identity), &csrf);
    }
    if form.reason.trim().is_empty() {
        let mut errors = Errors::none();
        errors.add(
            "reason",
            "Say why it is not approved: the member will see this",
        );
        return review_item(&state, &identity, &csrf, id, errors, "").await;
    }
    match decide(&state, &identity, id, false, form.reason.trim(), &ip).await {
        Ok(true) => Redirect::to("/directory/review?done=rejected").into_response(),
        Ok(false) => {
            review_item(
                &state,
                &identity,
                &csrf,
                id,
                Errors::none(),
                form.reason.trim(),
            )
            .await
        }
        Err(e) => pages::store_failed(e),
    }
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
#[template(path = "directory_history.html")]
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
) -> Response {
    let loaded = async {
        let mut c = state.store.conn().await?;
        let doc = store::service_doc(&mut c, &id, true).await?;
        let versions = store::versions(&mut c, &id).await?;
        Ok::<_, StoreError>((doc, versions))
    }
    .await;
    let (doc, versions) = match loaded {
        Ok((Some(d), v)) => (d, v),
        Ok((None, _)) => {
            return pages::problem(
                &state,
                identity.as_ref(),
                &csrf,
                StatusCode::NOT_FOUND,
                "We cannot find that offer",
                &["It may have finished, or the link may be old."],
            )
        }
        Err(e) => return pages::store_failed(e),
    };
    let current: Value = serde_json::from_str(&doc).unwrap_or(Value::Null);
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
    pages::page(&HistoryPage {
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
    })
}

// ---- Listings not checked for a year ------------------------------------------------------

/// How long a listing may go unchecked before stewards are asked to follow it up.
const STALE_AFTER_SECS: i64 = 365 * 24 * 60 * 60;

#[derive(Template)]
#[template(path = "directory_stale.html")]
struct StalePage {
    layout: Layout,
    items: Vec<(String, String, String)>,
}

async fn view_stale_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Response {
    if !may_review(&identity) {
        return pages::forbidden(&state, Some(&identity), &csrf);
    }
    let before = rfc3339(now() - STALE_AFTER_SECS);
    let rows = match state.store.conn().await {
        Ok(mut c) => store::stale_services(&mut c, &before, 500).await,
        Err(e) => Err(e),
    };
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return pages::store_failed(e),
    };
    let notice = (q.done.as_deref() == Some("checked")).then_some("Marked as checked today.");
    pages::page(&StalePage {
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
    })
}

/// A steward has checked a listing and it is still right: record that, as a version.
async fn view_checked_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Response {
    if !may_review(&identity) {
        return pages::forbidden(&state, Some(&identity), &csrf);
    }
    let now = now();
    let result = async {
        let mut tx = state.store.begin().await?;
        let Some(doc) = store::service_doc(&mut tx, &id, false).await? else {
            return Ok(false);
        };
        let mut record: Value =
            serde_json::from_str(&doc).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if store::versions(&mut tx, &id).await?.is_empty() {
            store::add_version(&mut tx, &id, &doc, None, "As it was first listed", "", now).await?;
        }
        record["last_modified"] = Value::String(rfc3339(now));
        let (index, _) =
            read_service(&record).map_err(|p| StoreError::Invalid(format!("{p:?}")))?;
        let text = record.to_string();
        store::upsert_service(&mut tx, &index, &text, true, now).await?;
        store::add_version(
            &mut tx,
            &id,
            &text,
            Some(identity.user.id),
            "Checked by a steward: still right",
            "",
            now,
        )
        .await?;
        record_checked(&mut tx, &identity, &id, &ip, now).await?;
        tx.commit().await?;
        Ok::<_, StoreError>(true)
    }
    .await;
    match result {
        Ok(true) => Redirect::to("/directory/review/stale?done=checked").into_response(),
        Ok(false) => offer_missing(&state, &identity, &csrf),
        Err(e) => pages::store_failed(e),
    }
}

async fn record_checked(
    tx: &mut village_store::Tx,
    identity: &Identity,
    id: &str,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    record(
        tx,
        Some(identity.user.id),
        None,
        AuditAction::ListingChecked,
        &format!("checked listing {id}: still right"),
        Some(ip),
        now,
    )
    .await
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

/// Whether this person may edit a listing directly: its organisers, stewards and hub admins.
pub async fn may_edit(
    state: &AppState,
    identity: &Identity,
    record: &Value,
) -> Result<bool, StoreError> {
    if may_review(identity) {
        return Ok(true);
    }
    let org = record
        .get("organization_id")
        .and_then(Value::as_str)
        .or_else(|| {
            record
                .get("organization")
                .and_then(|o| o.get("id"))
                .and_then(Value::as_str)
        });
    match org {
        Some(org) => {
            let mut c = state.store.conn().await?;
            store::is_organiser(&mut c, org, identity.user.id).await
        }
        None => Ok(false),
    }
}

#[derive(Template)]
#[template(path = "directory_claim.html")]
struct ClaimPage {
    layout: Layout,
    errors: Errors,
    id: String,
    name: String,
    message: String,
}

async fn organisation_name(state: &AppState, id: &str) -> Result<Option<String>, StoreError> {
    let mut c = state.store.conn().await?;
    Ok(store::services_of_organization(&mut c, id)
        .await?
        .iter()
        .filter_map(|(_, d)| serde_json::from_str::<Value>(d).ok())
        .find_map(|d| {
            d.get("organization")
                .and_then(|o| o.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string)
        }))
}

async fn view_claim_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Response {
    match organisation_name(&state, &id).await {
        Ok(Some(name)) => pages::page(&ClaimPage {
            layout: Layout::new(
                &state,
                Some(&identity),
                &csrf,
                "/directory",
                "Do you run this group?",
            ),
            errors: Errors::none(),
            id,
            name,
            message: String::new(),
        }),
        Ok(None) => offer_missing(&state, &identity, &csrf),
        Err(e) => pages::store_failed(e),
    }
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
) -> Response {
    let name = match organisation_name(&state, &id).await {
        Ok(Some(n)) => n,
        Ok(None) => return offer_missing(&state, &identity, &csrf),
        Err(e) => return pages::store_failed(e),
    };
    let message = form.message.trim();
    if message.is_empty() || message.chars().count() > 1000 {
        let mut errors = Errors::none();
        errors.add(
            "message",
            "Say how you are connected to the group, in 1000 characters or fewer",
        );
        return pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ClaimPage {
                layout: Layout::new(
                    &state,
                    Some(&identity),
                    &csrf,
                    "/directory",
                    "Do you run this group?",
                ),
                errors,
                id,
                name,
                message: form.message,
            },
        );
    }
    let now = now();
    let result = async {
        let mut tx = state.store.begin().await?;
        let cid = store::create_claim(&mut tx, &id, identity.user.id, message, now).await?;
        record(
            &mut tx,
            Some(identity.user.id),
            None,
            AuditAction::ListingClaimed,
            &format!("claim {cid} for organisation {id}"),
            Some(&ip),
            now,
        )
        .await?;
        tx.commit().await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/directory/suggestions?done=claimed").into_response(),
        Err(e) => pages::store_failed(e),
    }
}

async fn decide_claim(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
) -> Response {
    if !may_review(identity) {
        return pages::forbidden(state, Some(identity), csrf);
    }
    if !approve && reason.trim().is_empty() {
        return pages::problem(state, Some(identity), csrf, StatusCode::UNPROCESSABLE_ENTITY, "Say why", &["To turn down a request, write a reason: the member will see it. Go back and try again."]);
    }
    let now = now();
    let result = async {
        let mut tx = state.store.begin().await?;
        let Some(claim) = store::claim(&mut tx, id).await? else {
            return Ok(false);
        };
        if !store::decide_claim(&mut tx, id, approve, identity.user.id, reason.trim(), now).await? {
            return Ok(false);
        }
        let detail = format!(
            "claim {id} for organisation {}: {}",
            claim.organization_id,
            if approve { "approved" } else { "not approved" }
        );
        record(
            &mut tx,
            Some(identity.user.id),
            Some(claim.user_id),
            AuditAction::ClaimDecided,
            &detail,
            Some(ip),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, StoreError>(true)
    }
    .await;
    match result {
        Ok(true) => Redirect::to(if approve {
            "/directory/review?done=approved"
        } else {
            "/directory/review?done=rejected"
        })
        .into_response(),
        Ok(false) => pages::problem(
            state,
            Some(identity),
            csrf,
            StatusCode::CONFLICT,
            "Already decided",
            &["Someone has already answered that request."],
        ),
        Err(e) => pages::store_failed(e),
    }
}

async fn view_claim_approve_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> Response {
    decide_claim(&state, &identity, &csrf, id, true, "", &ip).await
}

async fn view_claim_reject_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Response {
    decide_claim(&state, &identity, &csrf, id, false, &form.reason, &ip).await
}

async fn view_edit_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Response {
    let current = match current_record(&state, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return offer_missing(&state, &identity, &csrf),
        Err(e) => return pages::store_failed(e),
    };
    match may_edit(&state, &identity, &current).await {
        Ok(true) => {}
        Ok(false) => return pages::forbidden(&state, Some(&identity), &csrf),
        Err(e) => return pages::store_failed(e),
    }
    let f = ChangeFields::from_record(&current);
    pages::page(&change_page(
        &state,
        &identity,
        &csrf,
        &current,
        f,
        Errors::none(),
        true,
    ))
}

async fn view_edit_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
    PageForm(f): PageForm<ChangeFields>,
) -> Response {
    let current = match current_record(&state, &id).await {
        Ok(Some(r)) => r,
        Ok(None) => return offer_missing(&state, &identity, &csrf),
        Err(e) => return pages::store_failed(e),
    };
    match may_edit(&state, &identity, &current).await {
        Ok(true) => {}
        Ok(false) => return pages::forbidden(&state, Some(&identity), &csrf),
        Err(e) => return pages::store_failed(e),
    }
    let now = now();
    let change = with_place_centre(&state, f.change()).await;
    let proposed = match apply_change(&current, &change, &mut fresh_ids(), &rfc3339(now)) {
        Ok(p) => p,
        Err(problems) => {
            return pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &change_page(
                    &state,
                    &identity,
                    &csrf,
                    &current,
                    f,
                    errors_from(&problems),
                    true,
                ),
            )
        }
    };
    let result = async {
        let mut tx = state.store.begin().await?;
        if store::versions(&mut tx, &id).await?.is_empty() {
            store::add_version(
                &mut tx,
                &id,
                &current.to_string(),
                None,
                "As it was first listed",
                "",
                now,
            )
            .await?;
        }
        let (index, _) =
            read_service(&proposed).map_err(|p| StoreError::Invalid(format!("{p:?}")))?;
        let text = proposed.to_string();
        store::upsert_service(&mut tx, &index, &text, true, now).await?;
        let change = format!("Edited by {}", identity.user.display_name);
        store::add_version(
            &mut tx,
            &id,
            &text,
            Some(identity.user.id),
            &change,
            f.why.trim(),
            now,
        )
        .await?;
        record(
            &mut tx,
            Some(identity.user.id),
            None,
            AuditAction::ListingEdited,
            &format!("listing {id}"),
            Some(&ip),
            now,
        )
        .await?;
        tx.commit().await
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/directory/offers/{id}")).into_response(),
        Err(e) => pages::store_failed(e),
    }
}
