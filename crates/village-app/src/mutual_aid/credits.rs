//! Time credits: after help has happened, either of the two records the time given; it
//! changes no balance until the other confirms it (or it has waited unanswered for the hub's
//! delay); a dispute never posts. A posted exchange is one transfer, two entries written in
//! the same transaction as the answer, so the hub's ledger always adds up to nothing.

use super::*;
use crate::accounts::Identity;
use crate::audit::record;
use village_domain::audit::AuditAction;
use village_domain::connections::introduction::first_name;
use village_domain::mutual_aid::credits::{self as rules, ExchangeAction, ExchangeState, Limits};
use village_domain::mutual_aid::matches::State;
use village_store::connections::notify;
use village_store::mutual_aid::{self as store, ExchangeRow, Holder};
use village_store::Db;

const DAY: i64 = 24 * 3600;

fn limits(state: &App) -> Limits {
    Limits {
        lowest: state.settings.mutual_aid.lowest_balance_minutes,
        highest: state.settings.mutual_aid.highest_balance_minutes,
    }
}

fn credits_on(state: &App) -> Result<()> {
    if state.settings.mutual_aid.credits {
        Ok(())
    } else {
        crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "This hub does not keep time credits.",
        )
    }
}

fn limit_words(code: ErrorCode) -> Error {
    match code {
        ErrorCode::BalanceLimit => Error::Conflict(
            code,
            "This would take a balance past the hub's limit, so it cannot be added now. A coordinator can help."
                .into(),
        ),
        code => Error::Conflict(code, "That cannot be done now.".into()),
    }
}

/// Move minutes between two holders inside `db`'s transaction, within the hub's limits.
#[allow(clippy::too_many_arguments)]
async fn move_minutes(
    db: &mut impl Db,
    state: &App,
    kind: &str,
    exchange_id: Option<i64>,
    (from, to): (Holder, Holder),
    minutes: i64,
    made_by: Option<i64>,
    t: i64,
) -> Result<i64> {
    let id_of = |h: Holder| match h {
        Holder::Member(id) => Some(id),
        Holder::Pot => None,
    };
    store::hold_balances(db, &[from, to]).await?;
    let from_balance = store::balance(db, from).await?;
    let to_balance = store::balance(db, to).await?;
    rules::transfer(
        (id_of(from), from_balance),
        (id_of(to), to_balance),
        minutes,
        limits(state),
    )
    .map_err(limit_words)?;
    Ok(store::transfer(db, kind, exchange_id, from, to, minutes, made_by, t).await?)
}

/// Record time given in a match that happened: `gave` when the caller gave it, else the
/// caller received it. It waits for the other person.
#[tracing::instrument(skip_all, fields(actor = who.user.id, match_id))]
#[allow(clippy::too_many_arguments)]
pub async fn record_time(
    state: &App,
    who: &Identity,
    match_id: i64,
    minutes: i64,
    gave: bool,
    note: &str,
    ip: &str,
    t: i64,
) -> Result<i64> {
    credits_on(state)?;
    if !rules::MINUTES.contains(&minutes) {
        return Err(FieldError::new(
            "minutes",
            ErrorCode::InvalidAmount,
            "Give the time as hours and minutes, up to 12 hours.",
        )
        .into());
    }
    let note = crate::people::check_text("note", note, false, 500)?;
    let mut tx = state.store.begin().await?;
    let Some(m) = store::match_row(&mut tx, match_id).await? else {
        return Err(not_found());
    };
    let me = who.user.id;
    if m.author_id != me && m.responder_id != me {
        return Err(not_found());
    }
    if m.state != State::Done {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "Time can be added once you have both said the help happened.",
        );
    }
    let other = if m.author_id == me {
        m.responder_id
    } else {
        m.author_id
    };
    let (giver_id, receiver_id) = if gave { (me, other) } else { (other, me) };
    let id = store::create_exchange(
        &mut tx,
        &store::NewExchange {
            match_id,
            giver_id,
            receiver_id,
            minutes,
            note: &note,
            recorded_by: me,
        },
        t,
    )
    .await?;
    record(
        &mut tx,
        Some(me),
        Some(other),
        AuditAction::HelpMatchChanged,
        &format!("help match {match_id}: time recorded (exchange {id})"),
        Some(ip),
        t,
    )
    .await?;
    let words = format!(
        "{} added {} for \"{}\". Please confirm it, or say if it is not right.",
        first_name(&who.user.display_name),
        rules::minutes_words(minutes),
        m.title
    );
    let link = format!("/help/matches/{match_id}");
    notify(&mut tx, other, &words, &link, t).await?;
    tx.commit().await?;
    email_user(
        state,
        other,
        "Please confirm the time given",
        &format!(
            "{words}\n\nHave a look:\n\n{}\n",
            state.settings.link(&link)
        ),
    )
    .await;
    Ok(id)
}

/// The other person confirms recorded time (it posts, once, even when pressed twice at
/// once) or says it is not right (it never posts; coordinators look at it).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn answer_time(
    state: &App,
    who: &Identity,
    id: i64,
    action: ExchangeAction,
    ip: &str,
    t: i64,
) -> Result<ExchangeState> {
    credits_on(state)?;
    let mut tx = state.store.begin().await?;
    let Some(x) = store::exchange(&mut tx, id).await? else {
        return Err(not_found());
    };
    let me = who.user.id;
    if x.giver_id != Some(me) && x.receiver_id != Some(me) {
        return Err(not_found());
    }
    let to = rules::answer(x.state, action, x.recorded_by == Some(me)).map_err(|code| {
        let words = match code {
            ErrorCode::NotYours => "The other person confirms the time you added.",
            _ => "This time has already been answered.",
        };
        Error::Conflict(code, words.into())
    })?;
    if !store::answer_exchange(&mut tx, id, x.state, to, Some(me), false, t).await? {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "This time has just been answered.",
        );
    }
    if to == ExchangeState::Posted {
        post_exchange(&mut tx, state, &x, Some(me), t).await?;
    }
    let (other, _) = x.other_than(me);
    record(
        &mut tx,
        Some(me),
        other,
        AuditAction::HelpMatchChanged,
        &format!("exchange {id}: {} → {}", x.state.code(), to.code()),
        Some(ip),
        t,
    )
    .await?;
    if let (Some(other), Some(match_id)) = (other, x.match_id) {
        let words = match to {
            ExchangeState::Posted => format!(
                "{} confirmed the {} you added.",
                first_name(&who.user.display_name),
                rules::minutes_words(x.minutes)
            ),
            _ => format!(
                "{} said the {} you added is not right. A coordinator will look at it with you.",
                first_name(&who.user.display_name),
                rules::minutes_words(x.minutes)
            ),
        };
        notify(
            &mut tx,
            other,
            &words,
            &format!("/help/matches/{match_id}"),
            t,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(to)
}

/// The longest reason for asking that time be taken back.
pub const WHY_MAX: usize = 500;

/// One of the two asks a coordinator to take back time that was added: it was a mistake
/// (saying why). Once per exchange, whoever asks first; the other person is told, and the
/// coordinators then see the match and take it back or keep it.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn ask_to_take_back(
    state: &App,
    who: &Identity,
    id: i64,
    why: &str,
    ip: &str,
    t: i64,
) -> Result<ExchangeRow> {
    credits_on(state)?;
    let why = village_domain::text::check(
        "why",
        why,
        true,
        WHY_MAX,
        "what the mistake was, so a coordinator can put it right",
    )?;
    let mut tx = state.store.begin().await?;
    let Some(x) = store::exchange(&mut tx, id).await? else {
        return Err(not_found());
    };
    let me = who.user.id;
    if x.giver_id != Some(me) && x.receiver_id != Some(me) {
        return Err(not_found());
    }
    let refused = || {
        crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "Only time that was added can be asked about, and only once. A coordinator is looking at it already, or has.",
        )
    };
    if rules::may_ask_to_take_back(x.state, x.take_back_asked_at.is_some()).is_err()
        || !store::ask_to_take_back(&mut tx, id, me, &why, t).await?
    {
        return refused();
    }
    let (other, _) = x.other_than(me);
    record(
        &mut tx,
        Some(me),
        other,
        AuditAction::HelpMatchChanged,
        &format!("exchange {id}: asked to take it back"),
        Some(ip),
        t,
    )
    .await?;
    if let Some(other) = other {
        let link = x
            .match_id
            .map(|m| format!("/help/matches/{m}"))
            .unwrap_or_else(|| "/help/time".into());
        notify(
            &mut tx,
            other,
            &format!(
                "{} asked a coordinator to take back the {} that was added, because: {why}",
                first_name(&who.user.display_name),
                rules::minutes_words(x.minutes)
            ),
            &link,
            t,
        )
        .await?;
    }
    let asked = store::exchange(&mut tx, id).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(asked)
}

/// The exchange's transfer: from the one who received the help to the one who gave it.
pub(crate) async fn post_exchange(
    db: &mut impl Db,
    state: &App,
    x: &ExchangeRow,
    made_by: Option<i64>,
    t: i64,
) -> Result<i64> {
    let (Some(receiver), Some(giver)) = (x.receiver_id, x.giver_id) else {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "One of the two has left the hub, so this time cannot be added.",
        );
    };
    move_minutes(
        db,
        state,
        "exchange",
        Some(x.id),
        (Holder::Member(receiver), Holder::Member(giver)),
        x.minutes,
        made_by,
        t,
    )
    .await
}

/// Post the time that has waited unanswered for the hub's delay (never what is disputed).
/// Run every hour by the server; returns how many posted. One that would take a balance past
/// the hub's limits stays waiting.
#[tracing::instrument(skip_all)]
pub async fn post_waiting(state: &App, t: i64) -> Result<usize> {
    if !state.settings.mutual_aid.credits {
        return Ok(0);
    }
    let delay = state.settings.mutual_aid.post_after_days * DAY;
    let mut c = state.store.conn().await?;
    let waiting = store::waiting_exchanges(&mut c, t - delay, 500).await?;
    drop(c);
    let mut posted = 0;
    for x in waiting {
        if !rules::posts_by_itself(x.state, x.recorded_at, delay, t) {
            continue;
        }
        let mut tx = state.store.begin().await?;
        if !store::answer_exchange(
            &mut tx,
            x.id,
            ExchangeState::Proposed,
            ExchangeState::Posted,
            None,
            true,
            t,
        )
        .await?
        {
            continue;
        }
        match post_exchange(&mut tx, state, &x, None, t).await {
            Ok(_) => {
                tx.commit().await?;
                posted += 1;
            }
            Err(Error::Conflict(..)) => {
                tracing::info!(exchange = x.id, "waiting time not posted: past a limit");
            }
            Err(e) => return Err(e),
        }
    }
    Ok(posted)
}

/// Give minutes from your balance to the community pot (`to` empty) or another member.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn give(
    state: &App,
    who: &Identity,
    to: Option<i64>,
    minutes: i64,
    t: i64,
) -> Result<()> {
    credits_on(state)?;
    if minutes <= 0 || minutes > 100 * 60 {
        return Err(FieldError::new(
            "minutes",
            ErrorCode::InvalidAmount,
            "Give a time from 1 minute to 100 hours.",
        )
        .into());
    }
    let mut tx = state.store.begin().await?;
    let target = match to {
        None => Holder::Pot,
        Some(id) if id == who.user.id => {
            return Err(FieldError::new(
                "to",
                ErrorCode::MemberIsYou,
                "Choose someone else, or the community pot.",
            )
            .into())
        }
        Some(id) => match village_store::accounts::user_by_id(&mut tx, id).await? {
            Some(_) => Holder::Member(id),
            None => {
                return Err(FieldError::new(
                    "to",
                    ErrorCode::MemberUnknown,
                    "There is no member with that number.",
                )
                .into())
            }
        },
    };
    move_minutes(
        &mut tx,
        state,
        "gift",
        None,
        (Holder::Member(who.user.id), target),
        minutes,
        Some(who.user.id),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member's time account.
#[derive(Debug, Clone)]
pub struct TimeAccount {
    /// `None` when the hub does not show balances.
    pub balance: Option<i64>,
    pub entries: Vec<store::EntryRow>,
    /// Time others recorded that waits for this member's answer.
    pub to_answer: Vec<ExchangeRow>,
}

pub async fn time_account(state: &App, who: &Identity) -> Result<TimeAccount> {
    credits_on(state)?;
    let mut c = state.store.conn().await?;
    let balance = store::balance(&mut c, Holder::Member(who.user.id)).await?;
    Ok(TimeAccount {
        balance: state.settings.mutual_aid.show_balances.then_some(balance),
        entries: store::entries_of(&mut c, who.user.id, 200).await?,
        to_answer: store::exchanges_to_answer(&mut c, who.user.id).await?,
    })
}

/// The time recorded in one match, for its two people.
pub async fn time_in_match(state: &App, who: &Identity, match_id: i64) -> Result<Vec<ExchangeRow>> {
    if !state.settings.mutual_aid.credits {
        return Ok(Vec::new());
    }
    let mut c = state.store.conn().await?;
    let Some(m) = store::match_row(&mut c, match_id).await? else {
        return Err(not_found());
    };
    super::may_see(state, &mut c, who, m.id).await?;
    Ok(store::exchanges_of_match(&mut c, match_id).await?)
}

/// One exchange, for its two people.
pub async fn exchange_for(state: &App, who: &Identity, id: i64) -> Result<ExchangeRow> {
    let mut c = state.store.conn().await?;
    match store::exchange(&mut c, id).await? {
        Some(x) if x.giver_id == Some(who.user.id) || x.receiver_id == Some(who.user.id) => Ok(x),
        _ => Err(not_found()),
    }
}

/// Who the other side of an entry is, in words.
pub fn entry_with(other_name: Option<&str>, other_pot: bool) -> String {
    match (other_name, other_pot) {
        (_, true) => "the community pot".into(),
        (Some(name), false) => name.to_string(),
        (None, false) => "a former member".into(),
    }
}
