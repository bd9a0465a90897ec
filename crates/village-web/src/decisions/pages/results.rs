//! A funding round's results, and the paper ballots stewards type in and resolve.

pub(crate) use super::*;

#[derive(Template)]
#[template(path = "decisions/results.html")]
pub(super) struct ResultsPage {
    layout: Layout,
    id: i64,
    name: String,
    pot: String,
    left: String,
    ballots: u64,
    online: u64,
    paper: u64,
    method: &'static str,
    rows: Vec<ResultRow>,
    not_eligible: Vec<(String, String)>,
    any_funded: bool,
}

pub(crate) async fn view_results(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let v = village_app::decisions::round(&state, who.as_ref(), id).await?;
    let Some(p) = village_app::decisions::published(&v) else {
        return Ok(pages::problem(
            &state,
            who.as_ref(),
            &csrf,
            StatusCode::CONFLICT,
            "The results are not out yet",
            &["The results are published when voting closes. Come back then."],
        ));
    };
    let rows = p
        .order
        .iter()
        .filter_map(|bid_id| v.bids.iter().find(|b| b.id == *bid_id))
        .map(|b| ResultRow {
            title: b.title.clone(),
            group: b.group_name.clone(),
            amount: pounds(b.amount_pence),
            votes: p.counts.get(&b.id.to_string()).copied().unwrap_or(0),
            outcome: if p.funded.contains(&b.id) {
                "Funded"
            } else {
                "Not funded: it did not fit in what was left"
            },
        })
        .collect();
    Ok(pages::page(&ResultsPage {
        layout: Layout::new(
            &state,
            who.as_ref(),
            &csrf,
            &format!("/rounds/{id}/results"),
            format!("Results: {}", v.round.name),
        ),
        id,
        name: v.round.name.clone(),
        pot: pounds(v.round.pot_pence),
        left: pounds(p.left_pence),
        ballots: p.ballots,
        online: p.online_ballots,
        paper: p.paper_ballots,
        method: crate::decisions::api::METHOD_WORDS,
        rows,
        not_eligible: v
            .bids
            .iter()
            .filter(|b| b.check_status == "not_eligible")
            .map(|b| (b.title.clone(), b.check_reason.clone()))
            .collect(),
        any_funded: !p.funded.is_empty(),
    }))
}

pub struct PaperItem {
    paper: String,
    state: &'static str,
    entries: Vec<String>,
    needs_resolving: bool,
}

#[derive(Template)]
#[template(path = "decisions/papers.html")]
pub(super) struct PapersPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    name: String,
    voting: bool,
    bids: Vec<(i64, String)>,
    papers: Vec<PaperItem>,
    paper: String,
}

pub(super) async fn papers_page(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    notice_key: Option<&str>,
    errors: Errors,
    paper: String,
) -> PageResult {
    let v = village_app::decisions::round(state, Some(who), id).await?;
    if !v.checks && !v.facilitates {
        return Ok(pages::forbidden(state, Some(who), csrf));
    }
    let list = village_app::decisions::papers(state, id).await?;
    let title_of = |ids: &[i64]| -> String {
        if ids.is_empty() {
            return "no bids chosen".into();
        }
        ids.iter()
            .map(|i| {
                v.bids
                    .iter()
                    .find(|b| b.id == *i)
                    .map(|b| b.title.clone())
                    .unwrap_or_else(|| format!("bid {i}"))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &PapersPage {
            layout: Layout::new(
                state,
                Some(who),
                csrf,
                &format!("/rounds/{id}/paper-ballots"),
                "Paper ballots",
            )
            .with_notice(notice(notice_key)),
            errors,
            id,
            name: v.round.name.clone(),
            voting: v.phase == Phase::Voting && v.checks,
            bids: v
                .bids
                .iter()
                .filter(|b| b.check_status == "eligible")
                .map(|b| (b.id, format!("{} ({})", b.title, pounds(b.amount_pence))))
                .collect(),
            papers: list
                .iter()
                .map(|(paper, p, rows)| PaperItem {
                    paper: paper.clone(),
                    state: p.words(),
                    entries: rows
                        .iter()
                        .map(|r| {
                            let by = r.steward_name.clone().unwrap_or_else(|| "a steward".into());
                            match &r.choices {
                                Some(c) => format!("Entry {} by {by}: {}", r.entry, title_of(c)),
                                None => format!("Typed in by {by}. What it says is shown once a second steward has typed it in from the paper."),
                            }
                        })
                        .collect(),
                    needs_resolving: matches!(p, Paper::Mismatch { .. }),
                })
                .collect(),
            paper,
        },
    ))
}

pub(crate) async fn view_papers(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> PageResult {
    papers_page(
        &state,
        &who,
        &csrf,
        id,
        q.done.as_deref(),
        Errors::none(),
        String::new(),
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct PaperForm {
    #[serde(default)]
    paper: String,
    #[serde(default)]
    bid: Vec<i64>,
    #[serde(default)]
    note: String,
}

pub(crate) async fn view_paper_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<PaperForm>,
) -> PageResult {
    match village_app::decisions::enter_paper(&state, &who, id, &form.paper, &form.bid, &ip, now())
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/rounds/{id}/paper-ballots?done=paper")).into_response())
        }
        Err(Error::Field(f)) => {
            let field = if f.field == "bid_ids" {
                "bids"
            } else {
                f.field
            };
            let mut errors = Errors::none();
            errors.add(field, f.message);
            papers_page(&state, &who, &csrf, id, None, errors, form.paper).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_resolve(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, paper)): Path<(i64, String)>,
    PageForm(form): PageForm<PaperForm>,
) -> PageResult {
    match village_app::decisions::resolve_paper(
        &state,
        &who,
        (id, &paper),
        &form.bid,
        &form.note,
        &ip,
        now(),
    )
    .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/rounds/{id}/paper-ballots?done=resolved")).into_response())
        }
        Err(Error::Field(f)) => {
            let mut errors = Errors::none();
            errors.add(&format!("resolve-{paper}"), f.message);
            papers_page(&state, &who, &csrf, id, None, errors, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}
