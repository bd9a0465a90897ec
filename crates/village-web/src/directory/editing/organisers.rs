//! Organisers: asking to run a group's offers, stewards' answers, and editing an offer directly.

pub(crate) use super::*;

// ---- Organisers: claim a group, then edit its offers directly ---------------------------

#[derive(Template)]
#[template(path = "directory/claim.html")]
pub(super) struct ClaimPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) id: String,
    pub(super) name: String,
    pub(super) message: String,
}

pub(super) fn claim_page(
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

pub(crate) async fn view_claim_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let name = editing::group_name(&state, &id).await?;
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
    pub(super) message: String,
}

pub(crate) async fn view_claim_post(
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
            let name = editing::group_name(&state, &id).await?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &claim_page(&state, &identity, &csrf, id, name, form.message, errors),
            ))
        }
    }
}

pub(super) async fn decide_claim(
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

pub(crate) async fn view_claim_approve_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> PageResult {
    decide_claim(&state, &identity, id, true, "", &ip).await
}

pub(crate) async fn view_claim_reject_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> PageResult {
    decide_claim(&state, &identity, id, false, &form.reason, &ip).await
}

pub(crate) async fn view_edit_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let current = editing::offer_to_edit(&state, &identity, &id).await?;
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

pub(crate) async fn view_edit_post(
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
            let current = editing::offer_to_edit(&state, &identity, &id).await?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &change_page(&state, &identity, &csrf, &current, f, errors, true),
            ))
        }
    }
}
