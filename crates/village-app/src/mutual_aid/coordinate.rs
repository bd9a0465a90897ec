//! Mutual aid coordinators (the `coordinator` role, connectors and stewards): they post,
//! answer and take steps for a member without email or internet, recording how the member
//! agreed; on a brokered hub they say yes for the one who posted; they see open asks oldest
//! first and answers waiting, and settle time the two did not agree on. Whatever they type
//! for someone is shown as such to both people and audited.

use super::*;
use crate::accounts::Identity;
use crate::audit::record;
use village_domain::access::{self, Action};
use village_domain::audit::AuditAction;
use village_domain::connections::introduction::first_name;
use village_domain::mutual_aid::credits::{self as rules, ExchangeState, SettleAction};
use village_domain::mutual_aid::matches::{Agreed, Mode};
use village_store::connections::notify;
use village_store::mutual_aid::{self as store, ExchangeRow, MatchRow, PostRow, Proxy};
use village_store::Db;

/// A coordinator acting for a member: who, and how the member agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnBehalf {
    pub member: i64,
    pub agreed: Agreed,
}

/// What a coordinator typed in, read from a form or a request: the member by id or email
/// address and how they agreed, each named when wrong.
pub fn on_behalf_from(
    member: &str,
    agreed: &str,
) -> std::result::Result<(String, Agreed), Vec<FieldError>> {
    let mut problems = Vec::new();
    if member.trim().is_empty() {
        problems.push(FieldError::new(
            "for_member",
            ErrorCode::Missing,
            "Give the email address of the member you are doing this for.",
        ));
    }
    let agreed = Agreed::parse(agreed);
    if agreed.is_none() {
        problems.push(FieldError::new(
            "agreed",
            ErrorCode::Invalid,
            "Choose how they agreed to it: by phone, in person or on paper.",
        ));
    }
    match agreed {
        Some(a) if problems.is_empty() => Ok((member.trim().to_string(), a)),
        _ => Err(problems),
    }
}

/// The member a coordinator named, by email address or id.
pub async fn member_named(state: &App, who: &Identity, named: &str) -> Result<i64> {
    may_coordinate(who)?;
    let mut c = state.store.conn().await?;
    let found = match named.trim().parse::<i64>() {
        Ok(id) => village_store::accounts::user_by_id(&mut c, id).await?,
        Err(_) => village_store::accounts::user_by_email(&mut c, named.trim()).await?,
    };
    match found {
        Some(u) if u.id != who.user.id => Ok(u.id),
        Some(_) => Err(FieldError::new(
            "for_member",
            ErrorCode::MemberIsYou,
            "That is you. Leave this empty to do it for yourself.",
        )
        .into()),
        None => Err(FieldError::new(
            "for_member",
            ErrorCode::NoSuchMember,
            "There is no member with that email address here. Check it for a typo.",
        )
        .into()),
    }
}

pub(crate) fn may_coordinate(who: &Identity) -> Result<()> {
    access::check(&who.actor(), Action::CoordinateHelp).map_err(|_| Error::Forbidden)
}

/// Who a step is taken as: the caller, or the member a coordinator acts for (with what to
/// record about the coordinator).
pub(crate) async fn acting(
    db: &mut impl Db,
    who: &Identity,
    on_behalf: Option<OnBehalf>,
) -> Result<(Identity, Option<Proxy>)> {
    let Some(b) = on_behalf else {
        return Ok((who.clone(), None));
    };
    may_coordinate(who)?;
    if b.member == who.user.id {
        return Err(FieldError::new(
            "for_member",
            ErrorCode::MemberIsYou,
            "That is you. Leave this empty to do it for yourself.",
        )
        .into());
    }
    let Some(user) = village_store::accounts::user_by_id(db, b.member).await? else {
        return Err(FieldError::new(
            "for_member",
            ErrorCode::NoSuchMember,
            "There is no such member here.",
        )
        .into());
    };
    Ok((
        Identity {
            user,
            via: who.via.clone(),
        },
        Some(Proxy {
            by: who.user.id,
            agreed: b.agreed,
        }),
    ))
}

/// Audit what a coordinator typed in for a member, and tell the member.
pub(crate) async fn acted_for(
    db: &mut impl Db,
    coordinator: &Identity,
    (member, proxy): (i64, Proxy),
    what: &str,
    link: &str,
    ip: &str,
    t: i64,
) -> Result<()> {
    record(
        db,
        Some(coordinator.user.id),
        Some(member),
        AuditAction::HelpActedFor,
        &format!("{what}; agreed {}", proxy.agreed.code()),
        Some(ip),
        t,
    )
    .await?;
    let words = format!(
        "{}, a coordinator, {what} for you. You agreed {}.",
        first_name(&coordinator.user.display_name),
        proxy.agreed.words()
    );
    notify(db, member, &words, link, t).await?;
    Ok(())
}

/// "typed by Sam for Grace, who agreed by phone": how a proxy is shown to both people.
pub fn proxy_words(by: Option<&str>, for_name: &str, agreed: Option<&str>) -> String {
    let by = by.map(first_name).unwrap_or_else(|| "a coordinator".into());
    let how = agreed
        .and_then(Agreed::parse)
        .map(|a| format!(", who agreed {}", a.words()))
        .unwrap_or_default();
    format!(
        "typed in by {by}, a coordinator, for {}{how}",
        first_name(for_name)
    )
}

/// What a coordinator has to look at.
#[derive(Debug, Clone)]
pub struct Coordination {
    pub mode: Mode,
    /// Open asks nobody has said yes to, oldest first, with how many answers wait.
    pub asks: Vec<(PostRow, i64)>,
    /// Answers waiting for a yes or no, oldest first.
    pub waiting: Vec<MatchRow>,
    /// Time the two did not agree on.
    pub disputed: Vec<ExchangeRow>,
    /// Time added that one of the two asked to be taken back, oldest asking first.
    pub take_back_asked: Vec<ExchangeRow>,
}

/// The coordinators' view of the hub's mutual aid.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn coordination(state: &App, who: &Identity, t: i64) -> Result<Coordination> {
    may_coordinate(who)?;
    let mut c = state.store.conn().await?;
    Ok(Coordination {
        mode: state.settings.mutual_aid.mode,
        asks: store::open_asks_oldest(&mut c, t, 200).await?,
        waiting: store::matches_waiting(&mut c, 200).await?,
        disputed: store::disputed_exchanges(&mut c, 200).await?,
        take_back_asked: store::take_back_asked(&mut c, 200).await?,
    })
}

/// A coordinator settles time the two did not agree on: `resolve` adds it (two ledger
/// entries, once however often it is pressed) or `set_aside` leaves it out; or takes back
/// time added by mistake: `reverse` writes the reversing pair (once, whatever the hub's
/// balance limits: a correction is never refused). Both are told.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn settle_time(
    state: &App,
    who: &Identity,
    id: i64,
    action: SettleAction,
    ip: &str,
    t: i64,
) -> Result<ExchangeRow> {
    may_coordinate(who)?;
    let mut tx = state.store.begin().await?;
    let Some(x) = store::exchange(&mut tx, id).await? else {
        return Err(not_found());
    };
    if x.giver_id == Some(who.user.id) || x.receiver_id == Some(who.user.id) {
        return crate::error::conflict(
            ErrorCode::NotYours,
            "Another coordinator settles time you were part of.",
        );
    }
    let to = rules::settle(x.state, action, x.take_back_waiting()).map_err(|code| {
        let words = match action {
            SettleAction::Reverse => "Only time that was added can be taken back, and only once.",
            SettleAction::Keep => "Nobody is waiting for an answer about taking this time back.",
            _ => "This time has already been settled.",
        };
        Error::Conflict(code, words.into())
    })?;
    let saved = if action == SettleAction::Keep {
        store::keep_after_asking(&mut tx, id, who.user.id, t).await?
    } else {
        store::answer_exchange(&mut tx, id, x.state, to, Some(who.user.id), false, t).await?
    };
    if !saved {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "This time has just been settled.",
        );
    }
    if to == ExchangeState::Posted && x.state == ExchangeState::Disputed {
        super::credits::post_exchange(&mut tx, state, &x, Some(who.user.id), t).await?;
    }
    if to == ExchangeState::Reversed
        && store::reverse_exchange(&mut tx, id, Some(who.user.id), t)
            .await?
            .is_none()
    {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "This time was never added, so there is nothing to take back.",
        );
    }
    let words = match (action, to) {
        (SettleAction::Keep, _) => format!(
            "A coordinator looked at the {} that was asked to be taken back, and kept it: it still counts in your time account.",
            rules::minutes_words(x.minutes)
        ),
        (_, ExchangeState::Posted) => format!(
            "A coordinator looked at the {} that was not agreed, and added it.",
            rules::minutes_words(x.minutes)
        ),
        (_, ExchangeState::Reversed) => format!(
            "A coordinator took back the {} that was added by mistake. It no longer counts in your time account.",
            rules::minutes_words(x.minutes)
        ),
        _ => format!(
            "A coordinator looked at the {} that was not agreed, and set it aside. It is not added.",
            rules::minutes_words(x.minutes)
        ),
    };
    for person in [x.giver_id, x.receiver_id].into_iter().flatten() {
        record(
            &mut tx,
            Some(who.user.id),
            Some(person),
            AuditAction::HelpMatchChanged,
            &if action == SettleAction::Keep {
                format!("exchange {id}: kept after it was asked to be taken back")
            } else {
                format!("exchange {id}: {} → {}", x.state.code(), to.code())
            },
            Some(ip),
            t,
        )
        .await?;
        let link = x
            .match_id
            .map(|m| format!("/help/matches/{m}"))
            .unwrap_or_else(|| "/help/time".into());
        notify(&mut tx, person, &words, &link, t).await?;
    }
    let settled = store::exchange(&mut tx, id).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(settled)
}
