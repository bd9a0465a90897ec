//! Who runs a gathering: whoever made it, the members its organisers add, and the organisers
//! of the group it is run by. An organiser adds a member (who is told) or takes one off,
//! themselves included, as long as someone is left to run it.

use super::{link, not_found, organised};
use crate::accounts::Identity;
use crate::error::{conflict, Error, Result};
use crate::App;
use village_domain::access::gatherings as rules;
use village_domain::error::{ErrorCode, FieldError};
use village_domain::gatherings::gathering::{state_at, State};
use village_store::connections::notify;
use village_store::gatherings as store;

/// Add a member to the people running a gathering (its organisers, before it has ended):
/// they are told. Adding someone who already runs it changes nothing.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn add_organiser(
    state: &App,
    who: &Identity,
    id: i64,
    member_id: i64,
    t: i64,
) -> Result<()> {
    organised(state, who, id).await?;
    let mut tx = state.store.begin().await?;
    let row = store::lock(&mut tx, id).await?.ok_or(not_found())?;
    if !matches!(
        state_at(row.state, row.last_ends_at, t),
        State::Draft | State::Published
    ) {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This gathering has happened or was cancelled.",
        );
    }
    if village_store::accounts::user_by_id(&mut tx, member_id)
        .await?
        .is_none()
    {
        return Err(FieldError::new(
            "member_id",
            ErrorCode::MemberUnknown,
            "There is no member with that number.",
        )
        .into());
    }
    if store::add_organiser(&mut tx, id, member_id).await? && member_id != who.user.id {
        notify(
            &mut tx,
            member_id,
            &format!(
                "{} added you to the people running \"{}\".",
                who.user.display_name, row.title
            ),
            &link(id),
            t,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Add a member by their email address (the page's way).
pub async fn add_organiser_by_email(
    state: &App,
    who: &Identity,
    id: i64,
    email: &str,
    t: i64,
) -> Result<()> {
    organised(state, who, id).await?;
    let member = member_by_email(state, "organiser_email", email).await?;
    add_organiser(state, who, id, member, t).await
}

/// The member with this email address, for pages that name people by address: one that is
/// no member's is named as such, on `field`.
pub(crate) async fn member_by_email(state: &App, field: &'static str, email: &str) -> Result<i64> {
    let mut c = state.store.conn().await?;
    match village_store::accounts::user_by_email(&mut c, &email.trim().to_lowercase()).await? {
        Some(u) => Ok(u.id),
        None => Err(FieldError::new(
            field,
            ErrorCode::MemberUnknown,
            "There is no member with that email address. Check it, or ask them to join first.",
        )
        .into()),
    }
}

/// Take a member off the people running a gathering (its organisers; anyone may take
/// themselves off), refused when nobody would be left to run it. The others are told.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn remove_organiser(
    state: &App,
    who: &Identity,
    id: i64,
    member_id: i64,
    t: i64,
) -> Result<()> {
    organised(state, who, id).await?;
    let mut tx = state.store.begin().await?;
    // The gathering's row is held, so two organisers taking each other off at once cannot
    // leave nobody.
    let row = store::lock(&mut tx, id).await?.ok_or(not_found())?;
    let members = store::organisers_named(&mut tx, id).await?;
    let Some((_, name)) = members.iter().find(|(m, _)| *m == member_id) else {
        return Err(Error::NotFound("organiser"));
    };
    if !rules::someone_runs_it(members.len() - 1, row.organization_id.is_some()) {
        return conflict(
            ErrorCode::NotAllowedNow,
            "Someone needs to run it. Add another person to run it first.",
        );
    }
    store::remove_organiser(&mut tx, id, member_id).await?;
    let words = if member_id == who.user.id {
        format!("{name} stopped running \"{}\".", row.title)
    } else {
        format!(
            "{} took {name} off the people running \"{}\".",
            who.user.display_name, row.title
        )
    };
    for (m, _) in members.iter().filter(|(m, _)| *m != who.user.id) {
        notify(&mut tx, *m, &words, &link(id), t).await?;
    }
    tx.commit().await?;
    Ok(())
}
