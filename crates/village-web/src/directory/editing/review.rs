//! A member's suggestions, the stewards' review of them, an offer's history, and offers to check again.

pub(crate) use super::*;

// ---- My suggestions ---------------------------------------------------------------------

pub struct SuggestionView {
    pub(super) id: i64,
    pub(super) what: String,
    pub(super) kind: &'static str,
    pub(super) status: &'static str,
    pub(super) reason: String,
    pub(super) when: String,
    pub(super) by: String,
    pub(super) service_id: String,
    pub(super) approved: bool,
}

pub(super) fn suggestion_view(s: &SuggestionRow) -> SuggestionView {
    let doc: Value = serde_json::from_str(&s.doc).unwrap_or(Value::Null);
    SuggestionView {
        id: s.id,
        what: text(&doc, "name"),
        kind: if s.kind == "new" {
            "New offer"
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
pub(super) struct SuggestionsPage {
    pub(super) layout: Layout,
    pub(super) heading: String,
    pub(super) intro: String,
    pub(super) review: bool,
    pub(super) items: Vec<SuggestionView>,
    pub(super) claims: Vec<ClaimView>,
}

pub struct ClaimView {
    pub(super) id: i64,
    pub(super) group_id: String,
    pub(super) who: String,
    pub(super) message: String,
    pub(super) when: String,
    pub(super) status: &'static str,
    pub(super) reason: String,
}

pub(super) fn claim_view(c: &ClaimRow) -> ClaimView {
    ClaimView {
        id: c.id,
        group_id: c.organization_id.clone(),
        who: c.user_name.clone().unwrap_or_default(),
        message: c.message.clone(),
        when: pages::when(c.created_at),
        status: match c.status.as_str() {
            "approved" => "Approved: you can edit its offers",
            "rejected" => "Not approved",
            _ => "Waiting for a steward",
        },
        reason: c.decision_reason.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    pub(super) done: Option<String>,
}

/// One list of suggestions and organiser requests: a member's own, or the stewards' queue.
pub(super) async fn suggestions_list(
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
        Some("approved") => Some("Approved. The offer is now in the directory."),
        Some("rejected") => Some("Not approved. The member can see your reason."),
        _ => None,
    };
    let (path, heading, intro) = if review {
        ("/directory/review", "Suggestions to check", "Offers and changes members have suggested, oldest first. Approve what is right; if not, say why: the member will see your reason.")
    } else {
        ("/directory", "Your suggestions", "Offers and changes you have suggested. Nothing you suggest is public until a steward has checked it.")
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

pub(crate) async fn view_my_suggestions_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<Done>,
) -> PageResult {
    suggestions_list(&state, &identity, &csrf, false, q.done.as_deref()).await
}

// ---- Review (stewards) ------------------------------------------------------------------

pub(crate) async fn view_review_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<Done>,
) -> PageResult {
    suggestions_list(&state, &identity, &csrf, true, q.done.as_deref()).await
}

#[derive(Template)]
#[template(path = "directory/review_item.html")]
pub(super) struct ReviewItemPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) item: SuggestionView,
    pub(super) why: String,
    pub(super) changes: Vec<(String, String, String)>,
    pub(super) pending: bool,
    pub(super) reason: String,
}

pub(super) async fn review_item(
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

pub(crate) async fn view_review_item_get(
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
    pub(super) reason: String,
}

/// A steward's answer to a suggestion: to the queue when it is done; the suggestion again
/// when the reason is missing or someone else answered first.
pub(super) async fn decide(
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

pub(crate) async fn view_approve_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> PageResult {
    decide(&state, &identity, &csrf, id, true, &form.reason, &ip).await
}

pub(crate) async fn view_reject_post(
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
    pub(super) when: String,
    pub(super) who: Option<String>,
    pub(super) change: String,
    pub(super) why: String,
    pub(super) changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "directory/history.html")]
pub(super) struct HistoryPage {
    pub(super) layout: Layout,
    pub(super) id: String,
    pub(super) name: String,
    pub(super) versions: Vec<VersionView>,
}

pub(crate) async fn view_history_get(
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
            "Changes to this offer",
        ),
        name: text(&current, "name"),
        id,
        versions: views,
    }))
}

// ---- Offers not checked for a year ------------------------------------------------------

#[derive(Template)]
#[template(path = "directory/stale.html")]
pub(super) struct StalePage {
    pub(super) layout: Layout,
    pub(super) items: Vec<(String, String, String)>,
}

pub(crate) async fn view_stale_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<Done>,
) -> PageResult {
    let rows = editing::stale(&state, &identity, now(), 500).await?;
    let notice = (q.done.as_deref() == Some("checked")).then_some("Marked as checked today.");
    Ok(pages::page(&StalePage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/directory/review",
            "Offers to check again",
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

/// A steward has checked an offer and it is still right: record that, as a version.
pub(crate) async fn view_checked_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<String>,
) -> PageResult {
    editing::mark_checked(&state, &identity, &id, &ip, now()).await?;
    Ok(Redirect::to("/directory/review/stale?done=checked").into_response())
}

#[derive(Template)]
#[template(path = "directory/open_data.html")]
pub(super) struct OpenDataPage {
    pub(super) layout: Layout,
    pub(super) counts: village_store::directory::PublishedCounts,
    pub(super) oruk: String,
}

/// How the directory is published as open data, for council officers and hub admins.
pub(crate) async fn view_open_data_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let counts = editing::open_data(&state, &identity, now()).await?;
    Ok(pages::page(&OpenDataPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/directory/open-data",
            "The directory as open data",
        ),
        counts,
        oruk: state.settings.link("/oruk"),
    }))
}
