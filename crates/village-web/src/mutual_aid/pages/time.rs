//! Time given in a match (added, confirmed, not right) and a member's time account.

use super::*;

// ---- Time credits -----------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct TimeForm {
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    gave: String,
    #[serde(default)]
    note: String,
}

pub(crate) async fn view_record_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<TimeForm>,
) -> PageResult {
    let mut errors = Errors::none();
    let minutes = credits::read_minutes(&f.minutes);
    if minutes.is_none() {
        errors.add("minutes", "Give the time like 1:30, 90 minutes or 2 hours.");
    }
    let gave = match f.gave.as_str() {
        "gave" => Some(true),
        "received" => Some(false),
        _ => {
            errors.add("gave", "Choose whether you gave the help or received it.");
            None
        }
    };
    let result = match (minutes, gave) {
        (Some(m), Some(g)) => {
            help::record_time(&state, &identity, id, m, g, &f.note, &ip, now()).await
        }
        _ => Err(Error::Fields(Vec::new())),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/help/matches/{id}?done=time")).into_response()),
        Err(e) => {
            for problem in field_errors(e)?.list {
                errors.add(&problem.field, problem.message);
            }
            match_page(&state, &identity, &csrf, &ip, id, None, errors).await
        }
    }
}

pub(crate) async fn view_answer_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
) -> PageResult {
    let Some(action) = credits::ExchangeAction::parse(&action) else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let x = help::exchange_for(&state, &identity, id).await?;
    help::answer_time(&state, &identity, id, action, &ip, now()).await?;
    let done = match action {
        credits::ExchangeAction::Confirm => "confirmed",
        credits::ExchangeAction::Dispute => "disputed",
    };
    let to = match x.match_id {
        Some(m) => format!("/help/matches/{m}?done={done}"),
        None => format!("/help/time?done={done}"),
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Template)]
#[template(path = "mutual_aid/take_back.html")]
struct TakeBackPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    words: String,
    other: String,
    back: String,
    why: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct TakeBackForm {
    #[serde(default)]
    why: String,
}

fn take_back_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    x: &village_store::mutual_aid::ExchangeRow,
    why: &str,
    errors: Errors,
) -> PageResult {
    let me = identity.user.id;
    let (_, other) = x.other_than(me);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &TakeBackPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/help",
                "Ask for this time to be taken back",
            ),
            errors,
            id: x.id,
            words: super::exchange_words(x, me),
            other: other
                .map(first_name)
                .unwrap_or_else(|| "The other person".into()),
            back: x
                .match_id
                .map(|m| format!("/help/matches/{m}"))
                .unwrap_or_else(|| "/help/time".into()),
            why: why.to_string(),
        },
    ))
}

/// Asked before one of the two asks a coordinator to take back time that was added.
pub(crate) async fn view_take_back_form(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let x = help::exchange_for(&state, &identity, id).await?;
    if x.state != credits::ExchangeState::Posted || x.take_back_asked_at.is_some() {
        // Not added, or asked about already: the match shows where it stands.
        let back = x
            .match_id
            .map(|m| format!("/help/matches/{m}"))
            .unwrap_or_else(|| "/help/time".into());
        return Ok(Redirect::to(&back).into_response());
    }
    take_back_page(&state, &identity, &csrf, &x, "", Errors::none())
}

pub(crate) async fn view_take_back(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<TakeBackForm>,
) -> PageResult {
    match help::ask_to_take_back(&state, &identity, id, &f.why, &ip, now()).await {
        Ok(x) => {
            let to = match x.match_id {
                Some(m) => format!("/help/matches/{m}?done=asked_back"),
                None => "/help/time".into(),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(Error::Field(problem)) => {
            let x = help::exchange_for(&state, &identity, id).await?;
            take_back_page(&state, &identity, &csrf, &x, &f.why, problem.into())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct EntryItem {
    when: String,
    words: String,
    with: String,
    plus: bool,
    note: String,
}

#[derive(Template)]
#[template(path = "mutual_aid/time.html")]
struct TimePage {
    layout: Layout,
    errors: Errors,
    balance: Option<String>,
    entries: Vec<EntryItem>,
    to_answer: Vec<(i64, Option<i64>, String)>,
    lowest: String,
}

async fn time_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let a = help::time_account(state, identity).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &TimePage {
            layout: Layout::new(state, Some(identity), csrf, "/help", "Your time account")
                .with_notice(notice),
            errors,
            balance: a.balance.map(credits::minutes_words),
            entries: a
                .entries
                .iter()
                .map(|e| EntryItem {
                    when: dates::day_of(e.at),
                    words: credits::minutes_words(e.minutes.abs()),
                    with: help::entry_with(e.other_name.as_deref(), e.other_pot),
                    plus: e.minutes > 0,
                    note: if e.kind == "reversal" {
                        "Taken back by a coordinator: it was added by mistake".into()
                    } else {
                        e.note.clone().unwrap_or_default()
                    },
                })
                .collect(),
            to_answer: a
                .to_answer
                .iter()
                .map(|x| {
                    let words = format!(
                        "{} gave {} to {}",
                        x.giver_name
                            .as_deref()
                            .map(first_name)
                            .unwrap_or_else(|| "Someone".into()),
                        credits::minutes_words(x.minutes),
                        x.receiver_name
                            .as_deref()
                            .map(first_name)
                            .unwrap_or_else(|| "someone".into()),
                    );
                    (x.id, x.match_id, words)
                })
                .collect(),
            lowest: credits::minutes_words(-state.settings.mutual_aid.lowest_balance_minutes),
        },
    ))
}

pub(crate) async fn view_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("given") => Some("Thank you. Your gift of time has been passed on."),
        Some("confirmed") => Some("Thank you. The time has been added."),
        Some("disputed") => {
            Some("Thank you for telling us. A coordinator will look at it with you.")
        }
        _ => None,
    };
    time_page(&state, &identity, &csrf, notice, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct GiveForm {
    #[serde(default)]
    minutes: String,
}

pub(crate) async fn view_give_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(f): PageForm<GiveForm>,
) -> PageResult {
    let Some(minutes) = credits::read_minutes(&f.minutes) else {
        let mut errors = Errors::none();
        errors.add("minutes", "Give the time like 1:30, 90 minutes or 2 hours.");
        return time_page(&state, &identity, &csrf, None, errors).await;
    };
    match help::give(&state, &identity, None, minutes, now()).await {
        Ok(()) => Ok(Redirect::to("/help/time?done=given").into_response()),
        Err(Error::Conflict(_, words)) => {
            let mut errors = Errors::none();
            errors.add("minutes", words);
            time_page(&state, &identity, &csrf, None, errors).await
        }
        Err(e) => {
            let errors = field_errors(e)?;
            time_page(&state, &identity, &csrf, None, errors).await
        }
    }
}
