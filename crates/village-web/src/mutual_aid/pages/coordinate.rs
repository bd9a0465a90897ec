//! Coordinators' pages: what needs doing (`/help/coordinate`: open asks oldest first,
//! answers waiting, time not agreed), and a match as a coordinator who is not one of the two
//! sees it, with a step they can take for each of them.

use super::*;
use help::MatchSeen;
use village_domain::mutual_aid::credits::SettleAction;
use village_store::mutual_aid::ExchangeRow;

/// One of the two, and the steps a coordinator can take for them.
pub struct Side {
    id: i64,
    name: String,
    role: &'static str,
    actions: Vec<(&'static str, &'static str)>,
    can_accept: bool,
}

/// Time given in a match, as a coordinator sees it, and what they can do with it.
pub struct CoordinatorTime {
    id: i64,
    words: String,
    state: &'static str,
    /// Not agreed: confirm it or set it aside.
    disputed: bool,
    /// Added: it can be taken back.
    added: bool,
    /// One of the two asked for it to be taken back, and why: take it back or keep it.
    asked: Option<String>,
}

impl CoordinatorTime {
    fn of(x: &ExchangeRow, may_act: bool) -> Self {
        CoordinatorTime {
            id: x.id,
            words: time_words(x),
            state: x.state.words(),
            disputed: x.state == credits::ExchangeState::Disputed && may_act,
            added: x.state == credits::ExchangeState::Posted && may_act,
            asked: x.take_back_waiting().then(|| asked_words(x)),
        }
    }
}

/// "Anna asked for it to be taken back: it was 1 hour, not 3."
fn asked_words(x: &ExchangeRow) -> String {
    let asker = if x.take_back_asked_by.is_some() && x.take_back_asked_by == x.giver_id {
        x.giver_name.clone()
    } else if x.take_back_asked_by.is_some() && x.take_back_asked_by == x.receiver_id {
        x.receiver_name.clone()
    } else {
        None
    };
    let asker = asker.unwrap_or_else(|| "One of the two".into());
    if x.take_back_why.is_empty() {
        format!("{asker} asked for it to be taken back.")
    } else {
        format!(
            "{asker} asked for it to be taken back, because: {}",
            x.take_back_why
        )
    }
}

#[derive(Template)]
#[template(path = "mutual_aid/match_coordinator.html")]
struct CoordinatorMatchPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    post_id: i64,
    state_words: &'static str,
    brokered: bool,
    sides: Vec<Side>,
    messages: Vec<(String, String, String)>,
    can_message: bool,
    history: Vec<(String, String)>,
    time: Vec<CoordinatorTime>,
    safety_missing: Option<String>,
    /// For a safeguarding lead: the concerns raised about the match.
    for_concerns: Vec<i64>,
    /// Looking only as a safeguarding lead, because of those concerns.
    read_only: bool,
}

fn time_words(x: &ExchangeRow) -> String {
    let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "a former member".into());
    format!(
        "{} gave {} to {}",
        name(&x.giver_name),
        credits::minutes_words(x.minutes),
        name(&x.receiver_name)
    )
}

pub(super) fn coordinator_match_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    seen: MatchSeen,
    time: Vec<ExchangeRow>,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let row = &seen.row;
    let lead = seen.read_only;
    let for_each = seen.coordinating.clone().unwrap_or(help::ForEach {
        poster: Vec::new(),
        responder: Vec::new(),
    });
    let side = |id: i64, name: &str, role, actions: &[Action]| Side {
        id,
        name: name.to_string(),
        role,
        actions: actions.iter().map(|a| (a.code(), a.words())).collect(),
        can_accept: actions.contains(&Action::Accept),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &CoordinatorMatchPage {
            layout: Layout::new(state, Some(identity), csrf, "/help", row.title.clone())
                .with_notice(notice),
            errors,
            id: row.id,
            post_id: row.post_id,
            state_words: row.state.words(),
            brokered: state.settings.mutual_aid.mode == MatchMode::Brokered,
            sides: vec![
                side(
                    row.author_id,
                    &row.author_name,
                    "posted it",
                    &for_each.poster,
                ),
                side(
                    row.responder_id,
                    &row.responder_name,
                    "answered it",
                    &for_each.responder,
                ),
            ],
            messages: seen
                .messages
                .iter()
                .map(|m| {
                    (
                        super::message_by(m, identity.user.id),
                        when(m.at),
                        m.body.clone(),
                    )
                })
                .collect(),
            can_message: row.state.open_to_messages() && !lead,
            history: seen
                .events
                .iter()
                .map(|e| {
                    let who = e.actor_name.clone().unwrap_or_else(|| "Someone".into());
                    (when(e.at), super::event_words(e, who))
                })
                .collect(),
            time: time.iter().map(|x| CoordinatorTime::of(x, !lead)).collect(),
            safety_missing: seen.safety_missing.map(|g| g.words),
            for_concerns: seen.for_concerns.clone(),
            read_only: lead,
        },
    ))
}

#[derive(Debug, Deserialize, Default)]
pub struct ForSomeoneForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    for_member: String,
    #[serde(default)]
    agreed: String,
    share_email: Option<String>,
    share_phone: Option<String>,
}

/// A coordinator takes a step in a match for one of the two.
pub(crate) async fn view_act_for(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<ForSomeoneForm>,
) -> PageResult {
    let shares = Shares {
        email: f.share_email.is_some(),
        phone: f.share_phone.is_some(),
    };
    let acted = match (
        Action::parse(&f.step),
        for_someone(&state, &identity, &f.for_member, &f.agreed).await,
    ) {
        (_, Err(e)) => Err(e),
        (None, _) => Err(Error::Field(village_domain::error::FieldError::new(
            "step",
            village_domain::error::ErrorCode::ActionUnknown,
            "Choose which step to take for them.",
        ))),
        (Some(_), Ok(None)) => Err(Error::Field(village_domain::error::FieldError::new(
            "agreed",
            village_domain::error::ErrorCode::Missing,
            "Say who you are doing this for.",
        ))),
        (Some(action), Ok(Some(on_behalf))) => {
            help::act(
                &state,
                &identity,
                id,
                action,
                shares,
                Some(on_behalf),
                &ip,
                now(),
            )
            .await
        }
    };
    match acted {
        Ok(_) => Ok(Redirect::to(&format!("/help/matches/{id}?done=for")).into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            match_page(&state, &identity, &csrf, &ip, id, None, errors).await
        }
    }
}

// ---- What needs doing -------------------------------------------------------------------

pub struct AskItem {
    item: PostItem,
    for_name: String,
    waiting: i64,
    age: String,
}

#[derive(Template)]
#[template(path = "mutual_aid/coordinate.html")]
struct CoordinatePage {
    layout: Layout,
    brokered: bool,
    asks: Vec<AskItem>,
    waiting: Vec<(i64, String, String, String, String)>,
    disputed: Vec<(i64, Option<i64>, String, String)>,
    /// Added time someone asked to be taken back: (exchange, match, words, why).
    take_back_asked: Vec<(i64, Option<i64>, String, String)>,
}

pub(crate) async fn view_coordinate(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let t = now();
    let c = help::coordination(&state, &identity, t).await?;
    let notice = match q.done.as_deref() {
        Some("resolve") => Some("The time is added. Both have been told."),
        Some("set_aside") => Some("The time is set aside. Both have been told."),
        Some("reverse") => Some("The time is taken back. Both have been told."),
        Some("keep") => Some("The time is kept. Both have been told."),
        _ => None,
    };
    Ok(pages::page(&CoordinatePage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/help", "Coordinate help")
            .with_notice(notice),
        brokered: c.mode == MatchMode::Brokered,
        asks: c
            .asks
            .iter()
            .map(|(p, waiting)| AskItem {
                item: item(p, t),
                for_name: p.author_name.clone(),
                waiting: *waiting,
                age: days_waiting(t - p.created_at),
            })
            .collect(),
        waiting: c
            .waiting
            .iter()
            .map(|m| {
                (
                    m.id,
                    m.title.clone(),
                    m.author_name.clone(),
                    m.responder_name.clone(),
                    days_waiting(t - m.created_at),
                )
            })
            .collect(),
        disputed: c
            .disputed
            .iter()
            .map(|x| (x.id, x.match_id, time_words(x), x.note.clone()))
            .collect(),
        take_back_asked: c
            .take_back_asked
            .iter()
            .map(|x| (x.id, x.match_id, time_words(x), asked_words(x)))
            .collect(),
    }))
}

/// "3 days", "today".
fn days_waiting(secs: i64) -> String {
    match secs.max(0) / 86_400 {
        0 => "since today".into(),
        1 => "1 day".into(),
        n => format!("{n} days"),
    }
}

/// A coordinator settles time that was not agreed.
pub(crate) async fn view_settle_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path((id, action)): Path<(i64, String)>,
) -> PageResult {
    let Some(action) = SettleAction::parse(&action) else {
        return Err(Error::NotFound("step").into());
    };
    help::settle_time(&state, &identity, id, action, &ip, now()).await?;
    Ok(Redirect::to(&format!("/help/coordinate?done={}", action.code())).into_response())
}
