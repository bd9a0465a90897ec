//! The minutes of a gathering: its organisers or chairs write them (or start from the
//! sessions' notes), with how many came, which groups, and the actions with who and by when;
//! a chair approves them, and then everyone who signed up is told and anyone who sees the
//! gathering reads them, with a link to every session's notes. An action can become a
//! proposal in a decision space in one step.

use super::open_space::{proposal_words, to_proposal, Origin, ToProposalBody};
use super::{link, not_found, standing_of};
use crate::accounts::Identity;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde::Deserialize;
use utoipa::ToSchema;
use village_domain::access::gatherings::{self as rules, Standing};
use village_domain::error::ErrorCode;
use village_domain::gatherings::minutes as check;
use village_store::gatherings::minutes::{self as store, ActionRow, MinutesRow, NewAction};
use village_store::gatherings::sessions::SessionRow;
use village_store::gatherings::GatheringRow;

/// One action in the minutes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ActionBody {
    /// The action this rewrites (from `GET …/minutes`), keeping the proposal it became; none
    /// for a new one.
    #[serde(default)]
    pub id: Option<i64>,
    /// What will be done.
    pub what: String,
    /// Who will do it.
    pub who: String,
    /// The day it is done by (`2027-01-31`).
    #[serde(default)]
    pub by: Option<String>,
}

/// The minutes as written.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MinutesBody {
    /// What happened and what was said.
    pub body: String,
    /// How many people came.
    pub came: i64,
    /// The groups that came.
    #[serde(default)]
    pub groups: Vec<String>,
    /// What people will do, each with who and by when. Actions left out are removed.
    #[serde(default)]
    pub actions: Vec<ActionBody>,
}

/// The minutes as one person sees them.
#[derive(Debug, Clone)]
pub struct MinutesSeen {
    pub gathering: GatheringRow,
    pub standing: Standing,
    /// None until written; for people who do not write them, none until a chair approves.
    pub minutes: Option<MinutesRow>,
    pub actions: Vec<ActionRow>,
    /// Every session of an open space, to link their notes.
    pub sessions: Vec<SessionRow>,
    /// The viewer writes them (and may now).
    pub may_write: bool,
    pub may_approve: bool,
}

impl MinutesSeen {
    pub fn approved(&self) -> bool {
        self.minutes
            .as_ref()
            .is_some_and(|m| m.approved_at.is_some())
    }
}

/// The minutes of a gathering, for whoever may see it.
pub async fn minutes(state: &App, who: Option<&Identity>, id: i64, t: i64) -> Result<MinutesSeen> {
    let mut c = state.store.conn().await?;
    let row = village_store::gatherings::gathering(&mut c, id)
        .await?
        .ok_or(not_found())?;
    let standing = standing_of(&mut c, who, &row).await?;
    if row.published_at.is_none() && !rules::may_see_draft(standing) {
        return Err(not_found());
    }
    let writer = rules::may_write_minutes(standing);
    let minutes = store::minutes(&mut c, id)
        .await?
        .filter(|m| writer || m.approved_at.is_some());
    let actions = if minutes.is_some() {
        store::actions(&mut c, id).await?
    } else {
        Vec::new()
    };
    let sessions = village_store::gatherings::sessions::of_gathering(&mut c, id).await?;
    // The stored state is enough: one that has ended is stored as published.
    let now_ok = check::may_write_now(row.state, row.starts_at, t);
    Ok(MinutesSeen {
        may_write: writer && now_ok,
        may_approve: rules::may_approve_minutes(standing)
            && minutes.as_ref().is_some_and(|m| m.approved_at.is_none()),
        gathering: row,
        standing,
        minutes,
        actions,
        sessions,
    })
}

/// Write or rewrite the minutes (its organisers and chairs, once it has started). Rewritten
/// minutes wait for a chair to approve them again; the chairs are told they are waiting.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn put_minutes(
    state: &App,
    who: &Identity,
    id: i64,
    b: &MinutesBody,
    t: i64,
) -> Result<()> {
    let seen = minutes(state, Some(who), id, t).await?;
    if !rules::may_write_minutes(seen.standing) {
        return Err(Error::Forbidden);
    }
    if !seen.may_write {
        return conflict(
            ErrorCode::NotAllowedNow,
            "Minutes are written once the gathering has started, and not for one that was cancelled.",
        );
    }
    let mut problems = Vec::new();
    let body = village_domain::text::check(
        "body",
        &b.body,
        true,
        check::BODY_MAX,
        "what happened and what was said",
    )
    .map_err(|e| problems.push(e))
    .ok();
    let came = check::check_came(Some(b.came))
        .map_err(|e| problems.push(e))
        .ok();
    let groups = check::check_groups(&b.groups)
        .map_err(|e| problems.push(e))
        .ok();
    if b.actions.len() > check::ACTIONS_MAX {
        problems.push(village_domain::error::FieldError::new(
            "actions",
            ErrorCode::TooMany,
            format!("Write up to {} actions.", check::ACTIONS_MAX),
        ));
    }
    let mut actions = Vec::new();
    for (i, a) in b.actions.iter().enumerate() {
        match check::check_action(i + 1, &a.what, &a.who, a.by.as_deref().unwrap_or("")) {
            Ok(ok) => actions.push((a.id, ok)),
            Err(e) => {
                problems.push(e);
                break;
            }
        }
    }
    let (Some(body), Some(came), Some(groups), true) = (body, came, groups, problems.is_empty())
    else {
        return Err(Error::Fields(problems));
    };
    let list: Vec<NewAction<'_>> = actions
        .iter()
        .map(|(aid, a)| NewAction {
            id: *aid,
            what: &a.what,
            who: &a.who,
            by_day: a.by.as_deref(),
        })
        .collect();
    let mut tx = state.store.begin().await?;
    village_store::gatherings::lock(&mut tx, id)
        .await?
        .ok_or(not_found())?;
    store::put(&mut tx, id, &body, came, &groups.join("\n"), who.user.id, t).await?;
    store::put_actions(&mut tx, id, &list).await?;
    for ch in village_store::gatherings::chairs(&mut tx, id).await? {
        if ch.state == "accepted" && ch.user_id != who.user.id {
            village_store::connections::notify(
                &mut tx,
                ch.user_id,
                &format!(
                    "The minutes of \"{}\" are ready for a chair to approve.",
                    seen.gathering.title
                ),
                &minutes_link(id),
                t,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The page of the minutes.
pub fn minutes_link(id: i64) -> String {
    format!("{}/minutes", link(id))
}

/// A chair approves the minutes: then anyone who sees the gathering reads them, and everyone
/// who signed up is told.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn approve_minutes(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let seen = minutes(state, Some(who), id, t).await?;
    if !rules::may_approve_minutes(seen.standing) {
        return Err(Error::Forbidden);
    }
    if seen.minutes.is_none() {
        return conflict(
            ErrorCode::NotAllowedNow,
            "There are no minutes to approve yet. Write them first.",
        );
    }
    let mut tx = state.store.begin().await?;
    village_store::gatherings::lock(&mut tx, id)
        .await?
        .ok_or(not_found())?;
    if !store::approve(&mut tx, id, who.user.id, t).await? {
        return conflict(
            ErrorCode::AlreadyDecided,
            "These minutes are approved already.",
        );
    }
    let mut told = std::collections::BTreeSet::new();
    let signed_up = village_store::gatherings::places::sign_ups(&mut tx, id).await?;
    let organisers = village_store::gatherings::organisers(&mut tx, id).await?;
    for uid in signed_up
        .iter()
        .map(|s| s.user_id)
        .chain(organisers)
        .filter(|u| *u != who.user.id)
    {
        if told.insert(uid) {
            village_store::connections::notify(
                &mut tx,
                uid,
                &format!(
                    "The minutes of \"{}\" are out: what happened and what comes next.",
                    seen.gathering.title
                ),
                &minutes_link(id),
                t,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Turn an action into a proposal in a decision space, in one step, linked both ways (the
/// gathering's organisers and chairs).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn action_to_proposal(
    state: &App,
    who: &Identity,
    id: i64,
    aid: i64,
    b: &ToProposalBody,
    t: i64,
) -> Result<i64> {
    let seen = minutes(state, Some(who), id, t).await?;
    let action = seen
        .actions
        .iter()
        .find(|a| a.id == aid)
        .cloned()
        .ok_or(Error::NotFound("action"))?;
    if action.proposal_id.is_some() {
        return conflict(ErrorCode::AlreadyDecided, "This is already a proposal.");
    }
    if !rules::may_make_proposal(seen.standing, false) {
        return Err(Error::Forbidden);
    }
    let by = action
        .by_day
        .as_deref()
        .map(|d| format!(" by {}", village_domain::dates::day(d)))
        .unwrap_or_default();
    let text = format!("{} ({}{by}).", action.what, action.who);
    let from = format!(
        "the minutes of {} on {}",
        seen.gathering.title,
        village_domain::dates::day_of(seen.gathering.starts_at)
    );
    let words = proposal_words(b, &action.what, &text, &from)?;
    to_proposal(
        state,
        who,
        b.space_id,
        words,
        (
            minutes_link(id),
            format!("The minutes of {}", seen.gathering.title),
        ),
        Origin::Action(aid),
        t,
    )
    .await
}

/// The minutes as first written from the sessions' notes.
pub fn from_sessions(sessions: &[SessionRow]) -> String {
    check::from_sessions(
        sessions
            .iter()
            .map(|s| (s.title.as_str(), s.notes.as_str())),
    )
}
