//! A round's ballots: votes, paper ballots typed in and resolved, delivery updates, and the
//! awards 360Giving publishes.

use super::rounds::*;
use super::{conflict, Error, Result};
use crate::accounts::Identity;
use crate::audit::record;
use crate::App;
use village_domain::access::decisions::may_report_delivery;
use village_domain::access::{self, Action};
use village_domain::audit::AuditAction;
use village_domain::decisions::budget::{self, Paper, Phase};
use village_domain::decisions::giving::Award;
use village_domain::decisions::proposal::{self};
use village_domain::error::ErrorCode;
use village_store::decisions::{self as store};
use village_store::StoreError;

/// Put in or change the person's ballot while voting is open.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn vote(
    state: &App,
    who: &Identity,
    id: i64,
    bid_ids: &[i64],
    t: i64,
) -> Result<Vec<i64>> {
    let view = round(state, Some(who), id).await?;
    if !view.may_vote {
        return conflict(
            ErrorCode::NotAMember,
            "Only members of this round's space can vote in it.",
        );
    }
    if view.phase != Phase::Voting {
        return conflict(ErrorCode::VotingClosed, "Voting is not open in this round.");
    }
    let choices = budget::check_ballot(
        view.method,
        view.round.pot_pence,
        &view.domain_bids(),
        bid_ids,
    )?;
    let mut tx = state.store.begin().await?;
    let still_voting = store::round(&mut tx, id)
        .await?
        .is_some_and(|r| r.phase == Phase::Voting);
    if !still_voting {
        return conflict(ErrorCode::VotingClosed, "Voting is not open in this round.");
    }
    store::put_ballot(&mut tx, id, who.user.id, &choices, t).await?;
    tx.commit().await?;
    Ok(choices)
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn my_ballot(state: &App, who: &Identity, id: i64) -> Result<Option<Vec<i64>>> {
    round(state, Some(who), id).await?;
    let mut c = state.store.conn().await?;
    Ok(store::ballot_of(&mut c, id, who.user.id).await?)
}

/// A steward types in a paper ballot; the second entry must come from a different steward.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn enter_paper(
    state: &App,
    who: &Identity,
    id: i64,
    paper: &str,
    bid_ids: &[i64],
    ip: &str,
    t: i64,
) -> Result<String> {
    access::check(&who.actor(), Action::CheckBids).map_err(|_| Error::Forbidden)?;
    let view = round(state, Some(who), id).await?;
    if view.phase != Phase::Voting {
        return conflict(
            ErrorCode::VotingClosed,
            "Paper ballots are typed in while voting is open.",
        );
    }
    let paper = budget::check_paper_reference(paper)?;
    let choices = budget::check_ballot(
        view.method,
        view.round.pot_pence,
        &view.domain_bids(),
        bid_ids,
    )?;
    let mut tx = state.store.begin().await?;
    let existing: Vec<_> = store::paper_entries(&mut tx, id)
        .await?
        .into_iter()
        .filter(|e| e.paper == paper)
        .collect();
    let entry = match existing.as_slice() {
        [] => 1,
        [first] => {
            budget::check_second_entry(first.steward_id.unwrap_or(0), who.user.id)?;
            2
        }
        _ => {
            return conflict(
                ErrorCode::PaperAlreadyEntered,
                "This paper ballot has been typed in twice already. If the entries disagree, resolve it.",
            )
        }
    };
    store::add_paper_entry(
        &mut tx,
        id,
        &paper,
        entry,
        who.user.id,
        &choices_text(&choices),
        t,
    )
    .await
    .map_err(|e| match e {
        StoreError::Conflict(_) => Error::Conflict(
            ErrorCode::ChangedSince,
            "Someone typed in this paper ballot a moment ago. Look again.".into(),
        ),
        other => other.into(),
    })?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::PaperBallotEntered,
        &format!("round {id}, paper {paper}, entry {entry}"),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(paper)
}

/// A steward resolves a paper ballot whose two entries disagree, by looking at the paper.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn resolve_paper(
    state: &App,
    who: &Identity,
    (id, paper): (i64, &str),
    bid_ids: &[i64],
    note: &str,
    ip: &str,
    t: i64,
) -> Result<()> {
    access::check(&who.actor(), Action::CheckBids).map_err(|_| Error::Forbidden)?;
    let view = round(state, Some(who), id).await?;
    if view.phase != Phase::Voting {
        return conflict(
            ErrorCode::VotingClosed,
            "Paper ballots are resolved while voting is open.",
        );
    }
    let paper = budget::check_paper_reference(paper)?;
    let all = papers(state, id).await?;
    let Some((_, state_now, _)) = all.iter().find(|(p, _, _)| *p == paper) else {
        return Err(Error::NotFound("paper ballot"));
    };
    if !matches!(state_now, Paper::Mismatch { .. } | Paper::Resolved(_)) {
        return conflict(
            ErrorCode::PaperNotInDispute,
            "Only a paper ballot whose two entries disagree needs resolving.",
        );
    }
    let choices = budget::check_ballot(
        view.method,
        view.round.pot_pence,
        &view.domain_bids(),
        bid_ids,
    )?;
    let note =
        village_domain::text::check("note", note, false, proposal::MAX_REASON_CHARS, "a note")?;
    let mut tx = state.store.begin().await?;
    store::resolve_paper(
        &mut tx,
        id,
        &paper,
        &choices_text(&choices),
        who.user.id,
        &note,
        t,
    )
    .await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::PaperBallotEntered,
        &format!("round {id}, paper {paper}, resolved"),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A funded group (whoever put the bid in) or a facilitator posts how the work is going.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id, bid_id))]
pub async fn delivery_update(
    state: &App,
    who: &Identity,
    id: i64,
    bid_id: i64,
    body: &str,
    t: i64,
) -> Result<i64> {
    let view = round(state, Some(who), id).await?;
    let Some(bid) = view.bids.iter().find(|b| b.id == bid_id) else {
        return Err(Error::NotFound("bid"));
    };
    if !may_report_delivery(who.user.id, bid.submitted_by, view.facilitates) {
        return Err(Error::Forbidden);
    }
    let funded = published(&view).is_some_and(|p| p.funded.contains(&bid_id));
    if view.phase != Phase::Delivery || !funded {
        return conflict(
            ErrorCode::NotFunded,
            "Updates are for funded bids, once the round is delivering.",
        );
    }
    let body = village_domain::text::check(
        "text",
        body,
        true,
        proposal::MAX_TEXT_CHARS,
        "how it is going",
    )?;
    let mut c = state.store.conn().await?;
    Ok(store::add_delivery_update(&mut c, bid_id, who.user.id, &body, t).await?)
}

/// The funded bids as 360Giving awards.
pub fn awards(view: &RoundView) -> Result<Vec<Award>> {
    let Some(p) = published(view) else {
        return conflict(
            ErrorCode::ResultsNotReady,
            "The results of this round are not published yet.",
        );
    };
    let at = view.round.results_at.unwrap_or(view.round.phase_at);
    let date = chrono::DateTime::from_timestamp(at, 0).unwrap_or_default();
    Ok(p.funded
        .iter()
        .filter_map(|id| view.bids.iter().find(|b| b.id == *id))
        .map(|b| Award {
            round_id: view.round.id,
            bid_id: b.id,
            title: b.title.clone(),
            description: b.summary.clone(),
            amount_pence: b.amount_pence,
            applied_pence: b.amount_pence,
            award_date: date.format("%Y-%m-%d").to_string(),
            recipient_name: b.group_name.clone(),
            charity_number: b.charity_number.clone(),
            programme: view.round.name.clone(),
            modified: date.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        })
        .collect())
}
