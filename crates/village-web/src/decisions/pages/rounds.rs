//! Funding round pages: rounds, a new round, bids, ballots, paper ballots and results.

pub(crate) use super::*;

// ---- Rounds ----------------------------------------------------------------------------------

pub struct RoundItem {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) pot: String,
    pub(super) phase: &'static str,
}

#[derive(Template)]
#[template(path = "decisions/rounds.html")]
pub(super) struct RoundsPage {
    pub(super) layout: Layout,
    pub(super) rounds: Vec<RoundItem>,
}

pub(crate) async fn view_rounds(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let rounds = village_app::decisions::rounds(&state).await?;
    Ok(pages::page(&RoundsPage {
        layout: Layout::new(
            &state,
            who.as_ref(),
            &csrf,
            "/rounds",
            "Community funding rounds",
        ),
        rounds: rounds
            .into_iter()
            .map(|r| RoundItem {
                id: r.id,
                name: r.name,
                pot: pounds(r.pot_pence),
                phase: r.phase.words(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) about: String,
    #[serde(default)]
    pub(super) pot: String,
    #[serde(default)]
    pub(super) max_bid: String,
    #[serde(default)]
    pub(super) method: String,
}

impl Default for RoundForm {
    fn default() -> Self {
        RoundForm {
            name: String::new(),
            about: String::new(),
            pot: String::new(),
            max_bid: String::new(),
            method: "approval".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "decisions/round_new.html")]
pub(super) struct NewRoundPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) form: RoundForm,
}

pub(crate) async fn view_new_round(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&NewRoundPage {
        layout: Layout::new(
            &state,
            Some(&who),
            &csrf,
            "/rounds/new",
            "Start a funding round",
        ),
        errors: Errors::none(),
        form: RoundForm::default(),
    })
}

/// Pounds as typed on a form ("£20,000", "250.50") in pence.
pub(super) fn pence(field: &'static str, typed: &str, errors: &mut Errors) -> i64 {
    let clean: String = typed
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let parsed = clean
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && *p > 0.0 && *p < 1e9);
    match parsed {
        Some(p) => (p * 100.0).round() as i64,
        None => {
            errors.add(field, "Write an amount in pounds, like 250 or 1,500");
            0
        }
    }
}

pub(crate) async fn view_new_round_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<RoundForm>,
) -> PageResult {
    let mut errors = Errors::none();
    let pot = pence("pot", &form.pot, &mut errors);
    let max = pence("max_bid", &form.max_bid, &mut errors);
    if errors.is_empty() {
        match village_app::decisions::create_round(
            &state,
            &who,
            &village_app::decisions::RoundInput {
                name: &form.name,
                about: &form.about,
                space_id: None,
                pot_pence: pot,
                max_bid_pence: max,
                method: &form.method,
            },
            now(),
        )
        .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/rounds/{id}?done=round")).into_response()),
            Err(Error::Field(f)) => {
                let field = match f.field {
                    "pot_pence" => "pot",
                    "max_bid_pence" => "max_bid",
                    other => other,
                };
                errors.add(field, f.message);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(pages::render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewRoundPage {
            layout: Layout::new(
                &state,
                Some(&who),
                &csrf,
                "/rounds/new",
                "Start a funding round",
            ),
            errors,
            form,
        },
    ))
}

pub struct BidItem {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) summary: Vec<String>,
    pub(super) for_whom: String,
    pub(super) group: String,
    pub(super) amount: String,
    pub(super) check: &'static str,
    pub(super) check_reason: String,
    pub(super) eligible: bool,
    pub(super) chosen: bool,
    pub(super) funded: bool,
    pub(super) mine: bool,
    pub(super) updates: Vec<(String, String)>,
}

#[derive(Debug, Deserialize, Default)]
pub struct BidForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) summary: String,
    #[serde(default)]
    pub(super) for_whom: String,
    #[serde(default)]
    pub(super) group_name: String,
    #[serde(default)]
    pub(super) amount: String,
    #[serde(default)]
    pub(super) charity_number: String,
}

#[derive(Template)]
#[template(path = "decisions/round.html")]
pub(super) struct RoundPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) about: Vec<String>,
    pub(super) pot: String,
    pub(super) max_bid: String,
    pub(super) method_words: &'static str,
    pub(super) knapsack: bool,
    pub(super) phase: &'static str,
    pub(super) phases: Vec<(&'static str, bool, bool)>,
    pub(super) next_phase: Option<(&'static str, &'static str)>,
    pub(super) signed_in: bool,
    pub(super) facilitates: bool,
    pub(super) checks: bool,
    pub(super) may_vote: bool,
    pub(super) taking_ideas: bool,
    pub(super) taking_bids: bool,
    pub(super) checking: bool,
    pub(super) voting: bool,
    pub(super) results_known: bool,
    pub(super) delivering: bool,
    pub(super) has_ballot: bool,
    pub(super) bids: Vec<BidItem>,
    pub(super) ideas: Vec<(String, String)>,
    pub(super) bid: BidForm,
}

/// The round's page again with one problem, by the field it is about.
pub(super) async fn round_with_problem(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    field: &str,
    message: String,
) -> PageResult {
    let mut errors = Errors::none();
    errors.add(field, message);
    round_page(state, Some(who), csrf, id, None, errors, BidForm::default()).await
}

pub(super) async fn round_page(
    state: &AppState,
    who: Option<&Identity>,
    csrf: &CsrfToken,
    id: i64,
    notice_key: Option<&str>,
    errors: Errors,
    bid: BidForm,
) -> PageResult {
    let village_app::decisions::RoundDetail {
        view: v,
        ideas,
        updates,
        my_ballot: ballot,
    } = village_app::decisions::round_detail(state, who, id).await?;
    let published = village_app::decisions::published(&v);
    let funded: Vec<i64> = published
        .as_ref()
        .map(|p| p.funded.clone())
        .unwrap_or_default();
    let chosen = ballot.clone().unwrap_or_default();
    let viewer = who.map(|w| w.user.id);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let current = v.phase;
    Ok(pages::render(
        status,
        &RoundPage {
            layout: Layout::new(
                state,
                who,
                csrf,
                &format!("/rounds/{id}"),
                v.round.name.clone(),
            )
            .with_notice(notice(notice_key)),
            errors,
            id,
            name: v.round.name.clone(),
            about: paragraphs(&v.round.about),
            pot: pounds(v.round.pot_pence),
            max_bid: pounds(v.round.max_bid_pence),
            method_words: v.method.how_to_vote(),
            knapsack: v.method == village_domain::decisions::budget::Method::Knapsack,
            phase: current.words(),
            phases: Phase::ALL
                .iter()
                .map(|p| (p.words(), *p == current, *p < current))
                .collect(),
            next_phase: current.next().map(|p| (p.code(), p.words())),
            signed_in: who.is_some(),
            facilitates: v.facilitates,
            checks: v.checks,
            may_vote: v.may_vote,
            taking_ideas: current == Phase::Ideas,
            taking_bids: current.takes_bids(),
            checking: matches!(current, Phase::Bids | Phase::Checks),
            voting: current == Phase::Voting,
            results_known: current.results_known(),
            delivering: current == Phase::Delivery,
            has_ballot: ballot.is_some(),
            bids: v
                .bids
                .iter()
                .map(|b| BidItem {
                    id: b.id,
                    title: b.title.clone(),
                    summary: paragraphs(&b.summary),
                    for_whom: b.for_whom.clone(),
                    group: b.group_name.clone(),
                    amount: pounds(b.amount_pence),
                    check: match b.check_status.as_str() {
                        "eligible" => "Checked: it can go forward",
                        "not_eligible" => "Checked: cannot go forward",
                        _ => "Not checked yet",
                    },
                    check_reason: b.check_reason.clone(),
                    eligible: b.check_status == "eligible",
                    chosen: chosen.contains(&b.id),
                    funded: funded.contains(&b.id),
                    mine: viewer.is_some() && b.submitted_by == viewer,
                    updates: updates
                        .iter()
                        .filter(|u| u.bid_id == b.id)
                        .map(|u| (pages::when(u.at), u.body.clone()))
                        .collect(),
                })
                .collect(),
            ideas: ideas.into_iter().map(|i| (i.title, i.body)).collect(),
            bid,
        },
    ))
}

pub(crate) async fn view_round(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> PageResult {
    round_page(
        &state,
        who.as_ref(),
        &csrf,
        id,
        q.done.as_deref(),
        Errors::none(),
        BidForm::default(),
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct IdeaForm {
    #[serde(default)]
    pub(super) idea_title: String,
    #[serde(default)]
    pub(super) idea_body: String,
}

pub(crate) async fn view_idea(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<IdeaForm>,
) -> PageResult {
    match village_app::decisions::add_idea(
        &state,
        &who,
        id,
        &form.idea_title,
        &form.idea_body,
        now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/rounds/{id}?done=idea#ideas")).into_response()),
        Err(Error::Field(f)) => {
            round_with_problem(
                &state,
                &who,
                &csrf,
                id,
                &format!("idea_{}", f.field),
                f.message,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_bid(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<BidForm>,
) -> PageResult {
    let mut errors = Errors::none();
    let amount = pence("amount", &form.amount, &mut errors);
    if errors.is_empty() {
        let input = village_app::decisions::BidInput {
            title: &form.title,
            summary: &form.summary,
            for_whom: &form.for_whom,
            amount_pence: amount,
            group_name: &form.group_name,
            group_id: None,
            charity_number: &form.charity_number,
        };
        match village_app::decisions::create_bid(&state, &who, id, &input, now()).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/rounds/{id}?done=bid#bids")).into_response())
            }
            Err(Error::Field(f)) => {
                let field = if f.field == "amount_pence" {
                    "amount"
                } else {
                    f.field
                };
                errors.add(field, f.message);
            }
            Err(e) => return Err(e.into()),
        }
    }
    round_page(&state, Some(&who), &csrf, id, None, errors, form).await
}

#[derive(Debug, Deserialize, Default)]
pub struct CheckForm {
    #[serde(default)]
    pub(super) eligible: String,
    #[serde(default)]
    pub(super) reason: String,
}

pub(crate) async fn view_check(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, bid_id)): Path<(i64, i64)>,
    PageForm(form): PageForm<CheckForm>,
) -> PageResult {
    match village_app::decisions::check_bid(
        &state,
        &who,
        (id, bid_id),
        form.eligible == "yes",
        &form.reason,
        &ip,
        now(),
    )
    .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/rounds/{id}?done=checked#bid-{bid_id}")).into_response())
        }
        Err(Error::Field(f)) => {
            round_with_problem(
                &state,
                &who,
                &csrf,
                id,
                &format!("reason-{bid_id}"),
                f.message,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct DeliveryForm {
    #[serde(default)]
    pub(super) text: String,
}

pub(crate) async fn view_delivery(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path((id, bid_id)): Path<(i64, i64)>,
    PageForm(form): PageForm<DeliveryForm>,
) -> PageResult {
    match village_app::decisions::delivery_update(&state, &who, id, bid_id, &form.text, now()).await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/rounds/{id}?done=delivery#bid-{bid_id}")).into_response())
        }
        Err(Error::Field(f)) => {
            round_with_problem(
                &state,
                &who,
                &csrf,
                id,
                &format!("update-{bid_id}"),
                f.message,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct PhaseForm {
    #[serde(default)]
    pub(super) phase: String,
}

pub(crate) async fn view_phase(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<PhaseForm>,
) -> PageResult {
    match village_app::decisions::set_phase(&state, &who, id, &form.phase, &ip, now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/rounds/{id}?done=phase")).into_response()),
        Err(Error::Conflict(_, message)) => {
            let mut errors = Errors::none();
            errors.add("next-phase", message);
            round_page(
                &state,
                Some(&who),
                &csrf,
                id,
                None,
                errors,
                BidForm::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct BallotForm {
    #[serde(default)]
    pub(super) bid: Vec<i64>,
}

pub(crate) async fn view_ballot(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<BallotForm>,
) -> PageResult {
    match village_app::decisions::vote(&state, &who, id, &form.bid, now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/rounds/{id}?done=voted#vote")).into_response()),
        Err(Error::Field(f)) => {
            let mut errors = Errors::none();
            errors.add("vote", f.message);
            round_page(
                &state,
                Some(&who),
                &csrf,
                id,
                None,
                errors,
                BidForm::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ResultRow {
    pub(super) title: String,
    pub(super) group: String,
    pub(super) amount: String,
    pub(super) votes: u64,
    pub(super) outcome: &'static str,
}
