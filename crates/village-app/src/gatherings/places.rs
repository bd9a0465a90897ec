//! Places at a gathering: signing up with what would help, the waiting list and its offers,
//! leaving, and the answers organisers and chairs read (every look audited) until the hub
//! deletes them after the gathering.

use super::{link, not_found, standing_of};
use crate::accounts::Identity;
use crate::audit::record;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde::Deserialize;
use utoipa::ToSchema;
use village_domain::access::gatherings as rules;
use village_domain::accounts::LivedExperienceKind;
use village_domain::audit::AuditAction;
use village_domain::error::ErrorCode;
use village_domain::gatherings::gathering::{self as gathering, parse_codes, State};
use village_domain::gatherings::places::{self as places, Need, Place};
use village_store::connections::notify;
use village_store::gatherings::places::{self as store, NeedsRow};
use village_store::gatherings::{self as gatherings_store, GatheringRow};

/// The longest words about what would help.
pub const WORDS_MAX: usize = 2_000;

/// Signing up: what would help you take part (all optional).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SignUpBody {
    /// Codes: `communication_support`, `communication_professional`, `contact_method`,
    /// `information_format`, `food`, `travel`, `quiet_space`, `call`.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Anything else, in your own words.
    #[serde(default)]
    pub words: Option<String>,
}

/// Whether someone said, in their profile, that they draw on care and support.
fn draws_on_support(who: &Identity) -> bool {
    let lived = who.user.lived_experience();
    lived.declared && lived.kinds.contains(&LivedExperienceKind::DrawsOnSupport)
}

/// Sign up to a published gathering still to come, saying what would help: a place if
/// there is room (places kept for people who draw on care and support), else the waiting
/// list. Signing up again keeps the place and replaces the answers.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn sign_up(
    state: &App,
    who: &Identity,
    id: i64,
    b: &SignUpBody,
    t: i64,
) -> Result<Place> {
    let needs = parse_codes("needs", &b.needs, Need::parse).map_err(Error::Field)?;
    let words = village_domain::text::check(
        "words",
        b.words.as_deref().unwrap_or(""),
        false,
        WORDS_MAX,
        "what would help",
    )?;
    let codes = needs.iter().map(|n| n.code()).collect::<Vec<_>>().join(",");
    let mut tx = state.store.begin().await?;
    let row = gatherings_store::lock(&mut tx, id)
        .await?
        .ok_or(not_found())?;
    if row.published_at.is_none() {
        let standing = standing_of(&mut tx, Some(who), &row).await?;
        if !rules::may_see_draft(standing) {
            return Err(not_found());
        }
    }
    if gathering::state_at(row.state, row.last_ends_at, t) != State::Published
        || row.last_starts_at() <= t
    {
        return conflict(
            ErrorCode::NotAllowedNow,
            "You can sign up to a gathering once it is published, until it starts.",
        );
    }
    settle_locked(&mut tx, &row, t).await?;
    let (place, added) = match store::sign_up_of(&mut tx, id, who.user.id).await? {
        Some(s) => (s.place, false),
        None => {
            let draws = draws_on_support(who);
            let taken = store::taken(&mut tx, id).await?;
            let place = if places::has_room(row.capacity, row.reserved_places, taken, draws) {
                Place::Going
            } else {
                Place::Waiting
            };
            store::add(&mut tx, id, who.user.id, place, draws, t).await?;
            (place, true)
        }
    };
    store::put_needs(&mut tx, id, who.user.id, &codes, &words, t).await?;
    tx.commit().await?;
    if added && place == Place::Going {
        super::letters::confirm(state, who, id, t).await;
    }
    Ok(place)
}

/// Take a place offered from the waiting list, while it is held.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn take_offer(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let row = gatherings_store::lock(&mut tx, id)
        .await?
        .ok_or(not_found())?;
    settle_locked(&mut tx, &row, t).await?;
    match store::sign_up_of(&mut tx, id, who.user.id).await? {
        Some(s) if s.place == Place::Offered => {
            store::set_place(&mut tx, id, who.user.id, Place::Going, None).await?;
            tx.commit().await?;
            super::letters::confirm(state, who, id, t).await;
            Ok(())
        }
        Some(s) if s.place == Place::Going => Ok(()),
        _ => conflict(
            ErrorCode::NotAllowedNow,
            "There is no place held for you now. You can join the waiting list again.",
        ),
    }
}

/// Leave a gathering (a place, an offer or the waiting list): what you said would help goes
/// at once, and a place that frees is offered to the next person waiting.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn leave(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let row = gatherings_store::lock(&mut tx, id)
        .await?
        .ok_or(not_found())?;
    if !store::remove(&mut tx, id, who.user.id).await? {
        return Err(Error::NotFound("sign-up"));
    }
    settle_locked(&mut tx, &row, t).await?;
    tx.commit().await?;
    Ok(())
}

/// With the gathering held: take back offers no longer held (the person is told), then offer
/// each free place to the next person waiting who may have it, until none is left.
pub(crate) async fn settle_locked(
    db: &mut impl village_store::Db,
    row: &GatheringRow,
    t: i64,
) -> Result<()> {
    if gathering::state_at(row.state, row.last_ends_at, t) != State::Published
        || row.last_starts_at() <= t
    {
        return Ok(());
    }
    for user in store::lapsed_offers(db, row.id, t).await? {
        store::remove(db, row.id, user).await?;
        notify(
            db,
            user,
            &format!(
                "The place at \"{}\" was held for you for 48 hours and has gone to the next person. You can join the waiting list again.",
                row.title
            ),
            &link(row.id),
            t,
        )
        .await?;
    }
    loop {
        let waiting = store::waiting(db, row.id).await?;
        let taken = store::taken(db, row.id).await?;
        let draws: Vec<bool> = waiting.iter().map(|(_, d)| *d).collect();
        let Some(next) = places::next_offer(row.capacity, row.reserved_places, taken, &draws)
        else {
            return Ok(());
        };
        let (user, _) = waiting[next];
        // Held until its next time starts (a series' first may have passed).
        let starts = village_domain::gatherings::series::occurrences(
            row.starts_at,
            row.ends_at,
            &row.series(),
            400,
        )
        .into_iter()
        .map(|(s, _)| s)
        .find(|s| *s > t)
        .unwrap_or(row.starts_at);
        let until = places::offer_until(t, starts);
        store::set_place(db, row.id, user, Place::Offered, Some(until)).await?;
        notify(
            db,
            user,
            &format!(
                "A place at \"{}\" is free, and it is yours if you want it. Please say yes by {}.",
                row.title,
                village_domain::dates::when(until)
            ),
            &link(row.id),
            t,
        )
        .await?;
    }
}

/// What people signed up said would help them take part: for its organisers and the
/// chairs who agreed only, and every person's answers looked at is audited.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn needs(
    state: &App,
    who: &Identity,
    id: i64,
    ip: &str,
    t: i64,
) -> Result<Vec<NeedsRow>> {
    let mut c = state.store.conn().await?;
    let row = gatherings_store::gathering(&mut c, id)
        .await?
        .ok_or(not_found())?;
    let standing = standing_of(&mut c, Some(who), &row).await?;
    if !rules::may_see_needs(standing) {
        if row.published_at.is_none() && !rules::may_see_draft(standing) {
            return Err(not_found());
        }
        return Err(Error::Forbidden);
    }
    let rows = store::needs(&mut c, id).await?;
    drop(c);
    if !rows.is_empty() {
        let mut tx = state.store.begin().await?;
        for r in rows.iter().filter(|r| r.user_id != who.user.id) {
            record(
                &mut tx,
                Some(who.user.id),
                Some(r.user_id),
                AuditAction::PersonalDataViewed,
                &format!("what would help them at gathering {id}"),
                Some(ip),
                t,
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(rows)
}

/// What I said would help me at a gathering.
pub async fn my_needs(state: &App, who: &Identity, id: i64) -> Result<Option<NeedsRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::needs_of(&mut c, id, who.user.id).await?)
}

/// How many people need each thing, for organisers' notices (counts, never names).
pub fn need_counts(rows: &[NeedsRow]) -> Vec<(Need, usize)> {
    Need::ALL
        .iter()
        .map(|&n| {
            (
                n,
                rows.iter()
                    .filter(|r| r.needs.split(',').any(|c| c == n.code()))
                    .count(),
            )
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// The hourly step: offers no longer held go to the next person, places freed (someone
/// forgotten) are offered, and what people said would help them is deleted the hub's days
/// after their gathering ended or was cancelled (and cleared from the database files).
pub async fn hourly(state: &App, t: i64) -> Result<u64> {
    let ids = {
        let mut c = state.store.conn().await?;
        store::with_offers_to_settle(&mut c, t).await?
    };
    for id in ids {
        let mut tx = state.store.begin().await?;
        if let Some(row) = gatherings_store::lock(&mut tx, id).await? {
            settle_locked(&mut tx, &row, t).await?;
        }
        tx.commit().await?;
    }
    let days = i64::from(forget_needs_days(state));
    let gone = {
        let mut tx = state.store.begin().await?;
        let n = store::delete_old_needs(&mut tx, t, days * 86_400).await?;
        tx.commit().await?;
        n
    };
    if gone > 0 {
        village_store::people::scrub(&state.store).await?;
    }
    Ok(gone)
}

/// How many days after a gathering ends (or is cancelled) what people said would help them
/// is kept: the hub's setting, from 1 to 365.
pub fn forget_needs_days(state: &App) -> u32 {
    state
        .settings
        .gatherings
        .forget_needs_after_days
        .clamp(1, 365)
}
