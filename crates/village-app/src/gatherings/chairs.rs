//! Chairs: an organiser asks a member to chair; the member says yes (and whether to be
//! named on the page) or no, and may step down later. A published gathering whose last
//! chair with lived experience steps down goes back to needing one, and its organisers are
//! told.

use super::{link, lived_chairs, not_found, organised};
use crate::accounts::Identity;
use crate::error::{conflict, Result};
use crate::App;
use village_domain::error::{ErrorCode, FieldError};
use village_domain::gatherings::gathering::State;
use village_store::connections::notify;
use village_store::gatherings as store;

/// Ask a member to chair (its organisers). Asking again someone who said no asks them
/// again; asking someone already asked changes nothing.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn invite_chair(
    state: &App,
    who: &Identity,
    id: i64,
    member_id: i64,
    t: i64,
) -> Result<()> {
    let (row, _) = organised(state, who, id).await?;
    if matches!(row.state, State::Cancelled | State::Ended) || row.last_ends_at <= t {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This gathering has happened or was cancelled.",
        );
    }
    let mut tx = state.store.begin().await?;
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
    let before = store::chairs(&mut tx, id).await?;
    store::invite_chair(&mut tx, id, member_id, t).await?;
    let asked_now = !before
        .iter()
        .any(|c| c.user_id == member_id && c.state != "declined");
    if asked_now && member_id != who.user.id {
        notify(
            &mut tx,
            member_id,
            &format!(
                "{} asked you to chair \"{}\". Please say yes or no.",
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

/// Ask a member to chair by their email address (the page's way; the API names members by
/// number). An address that is no member's is named as such.
pub async fn invite_chair_by_email(
    state: &App,
    who: &Identity,
    id: i64,
    email: &str,
    t: i64,
) -> Result<()> {
    organised(state, who, id).await?;
    let member = super::organisers::member_by_email(state, "email", email).await?;
    invite_chair(state, who, id, member, t).await
}

/// Say yes to chairing (`named`: show my name on the gathering's page), or no; saying no
/// after saying yes steps down.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn answer_chair(
    state: &App,
    who: &Identity,
    id: i64,
    accept: bool,
    named: bool,
    t: i64,
) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let row = store::lock(&mut tx, id).await?.ok_or(not_found())?;
    let before = store::chairs(&mut tx, id).await?;
    let Some(mine) = before.iter().find(|c| c.user_id == who.user.id) else {
        return Err(not_found());
    };
    if mine.state == "declined" {
        return conflict(
            ErrorCode::NotAllowedNow,
            "You said no to chairing this. An organiser can ask you again.",
        );
    }
    if accept && matches!(row.state, State::Cancelled | State::Ended) {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This gathering has happened or was cancelled.",
        );
    }
    store::answer_chair(&mut tx, id, who.user.id, accept, named, t).await?;
    let after = store::chairs(&mut tx, id).await?;
    let organisers = everyone_organising(&mut tx, &row).await?;
    let lost_chair = row.state == State::Published
        && row.last_ends_at > t
        && lived_chairs(&before) > 0
        && lived_chairs(&after) == 0;
    let words = if lost_chair {
        format!(
            "{} stepped down as chair of \"{}\". It needs a chair with lived experience again: please ask someone.",
            who.user.display_name, row.title
        )
    } else if accept && mine.state == "invited" {
        format!(
            "{} said yes to chairing \"{}\".",
            who.user.display_name, row.title
        )
    } else if mine.state == "accepted" && !accept {
        format!(
            "{} stepped down as chair of \"{}\".",
            who.user.display_name, row.title
        )
    } else if !accept {
        format!(
            "{} said no to chairing \"{}\".",
            who.user.display_name, row.title
        )
    } else {
        String::new()
    };
    if !words.is_empty() {
        for o in organisers.into_iter().filter(|o| *o != who.user.id) {
            notify(&mut tx, o, &words, &link(id), t).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Everyone who organises a gathering: its members, and its group's organisers.
pub(crate) async fn everyone_organising(
    db: &mut impl village_store::Db,
    row: &village_store::gatherings::GatheringRow,
) -> Result<Vec<i64>> {
    let mut all = store::organisers(db, row.id).await?;
    if let Some(g) = &row.organization_id {
        all.extend(village_store::directory::organisers_of(db, g).await?);
    }
    all.sort_unstable();
    all.dedup();
    Ok(all)
}
