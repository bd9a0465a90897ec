//! Community funding rounds: ideas, bids, steward checks, online and paper ballots, the
//! count, and 360Giving awards.

use super::spaces::space;
use super::{conflict, Error, Result};
use crate::accounts::Identity;
use crate::audit::record;
use crate::App;
use std::collections::BTreeMap;
use village_domain::access::decisions::{may_run_round, may_vote, SpaceRole};
use village_domain::access::{self, Action};
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::decisions::budget::{self, Bid, Method, Money, Paper, Phase, RoundState};
use village_domain::decisions::giving::{self};
use village_domain::decisions::proposal::{self};
use village_domain::error::ErrorCode;
use village_store::decisions::{self as store, BidRow, NewBid, NewRound, RoundRow};
use village_store::StoreError;
pub struct RoundView {
    pub round: RoundRow,
    pub bids: Vec<BidRow>,
    pub phase: Phase,
    pub method: Method,
    /// May move the round on.
    pub facilitates: bool,
    /// May vote (a member of the hub, or of the round's space).
    pub may_vote: bool,
    /// A steward or hub admin: checks bids and types in paper ballots.
    pub checks: bool,
}

impl RoundView {
    pub fn money(&self) -> Money {
        Money {
            pot_pence: self.round.pot_pence,
            max_bid_pence: self.round.max_bid_pence,
        }
    }

    pub fn domain_bids(&self) -> Vec<Bid> {
        self.bids.iter().map(domain_bid).collect()
    }
}

pub(super) fn domain_bid(b: &BidRow) -> Bid {
    Bid {
        id: b.id,
        amount_pence: b.amount_pence,
        eligible: b.check_status == "eligible",
        created_at: b.created_at,
    }
}

pub struct RoundInput<'a> {
    pub name: &'a str,
    pub about: &'a str,
    pub space_id: Option<i64>,
    pub pot_pence: i64,
    pub max_bid_pence: i64,
    pub method: &'a str,
}

/// Start a round; the person who starts it facilitates it. A round in a space can only be
/// started by that space's facilitators, and only its members vote.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn create_round(
    state: &App,
    who: &Identity,
    input: &RoundInput<'_>,
    t: i64,
) -> Result<i64> {
    let name = village_domain::text::check("name", input.name, true, 120, "the round's name")?;
    let about = village_domain::text::check(
        "about",
        input.about,
        false,
        proposal::MAX_TEXT_CHARS,
        "what the round is for",
    )?;
    let money = Money::new(input.pot_pence, input.max_bid_pence)?;
    let Some(method) = Method::parse(input.method) else {
        return Err(FieldError::new(
            "method",
            ErrorCode::InvalidMethod,
            "Choose approval or knapsack",
        )
        .into());
    };
    if let Some(space_id) = input.space_id {
        let view = space(state, who, space_id).await.map_err(|_| {
            FieldError::new(
                "space_id",
                ErrorCode::UnknownSpace,
                "There is no such space",
            )
        })?;
        if !view.facilitates() {
            return Err(Error::Forbidden);
        }
    }
    let mut c = state.store.conn().await?;
    Ok(store::create_round(
        &mut c,
        &NewRound {
            name: &name,
            about: &about,
            space_id: input.space_id,
            pot_pence: money.pot_pence,
            max_bid_pence: money.max_bid_pence,
            method: method.code(),
        },
        who.user.id,
        t,
    )
    .await?)
}

/// A round. Rounds are public (community money is shared out in the open); what the person
/// may do in it depends on who they are (`None`: someone not signed in).
#[tracing::instrument(skip_all, fields(actor = ?who.map(|i| i.user.id), id))]
pub async fn round(state: &App, who: Option<&Identity>, id: i64) -> Result<RoundView> {
    let mut c = state.store.conn().await?;
    let round = store::round(&mut c, id)
        .await?
        .ok_or(Error::NotFound("round"))?;
    let bids = store::bids(&mut c, id).await?;
    let (facilitates, may_vote, checks) = match who {
        None => (false, false, false),
        Some(who) => {
            let place = match round.space_id {
                Some(space_id) => Some(
                    store::membership(&mut c, space_id, who.user.id)
                        .await?
                        .as_deref()
                        .and_then(SpaceRole::parse),
                ),
                None => None,
            };
            let actor = who.actor();
            (
                may_run_round(&actor, round.created_by, place),
                may_vote(place),
                access::check(&actor, Action::CheckBids).is_ok(),
            )
        }
    };
    let (phase, method) = (round.phase, round.method);
    Ok(RoundView {
        round,
        bids,
        phase,
        method,
        facilitates,
        may_vote,
        checks,
    })
}

/// A round with its ideas, delivery updates and the person's own ballot.
pub struct RoundDetail {
    pub view: RoundView,
    pub ideas: Vec<store::IdeaRow>,
    pub updates: Vec<store::DeliveryRow>,
    pub my_ballot: Option<Vec<i64>>,
}

#[tracing::instrument(skip_all, fields(actor = ?who.map(|i| i.user.id), id))]
pub async fn round_detail(state: &App, who: Option<&Identity>, id: i64) -> Result<RoundDetail> {
    let view = round(state, who, id).await?;
    let mut c = state.store.conn().await?;
    Ok(RoundDetail {
        ideas: store::ideas(&mut c, id).await?,
        updates: store::delivery_updates(&mut c, id).await?,
        my_ballot: match who {
            Some(w) => store::ballot_of(&mut c, id, w.user.id).await?,
            None => None,
        },
        view,
    })
}

/// Every round, newest first (rounds are public).
#[tracing::instrument(skip_all)]
pub async fn rounds(state: &App) -> Result<Vec<RoundRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::rounds(&mut c).await?)
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn add_idea(
    state: &App,
    who: &Identity,
    id: i64,
    title: &str,
    body: &str,
    t: i64,
) -> Result<i64> {
    let view = round(state, Some(who), id).await?;
    if view.phase != Phase::Ideas {
        return conflict(
            ErrorCode::WrongPhase,
            "Ideas are shared in the ideas phase, and this round has moved on.",
        );
    }
    let title =
        village_domain::text::check("title", title, true, proposal::MAX_TITLE_CHARS, "your idea")?;
    let body = village_domain::text::check(
        "body",
        body,
        false,
        proposal::MAX_TEXT_CHARS,
        "more about your idea",
    )?;
    let mut c = state.store.conn().await?;
    Ok(store::add_idea(&mut c, id, who.user.id, &title, &body, t).await?)
}

pub struct BidInput<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub for_whom: &'a str,
    pub amount_pence: i64,
    pub group_name: &'a str,
    pub group_id: Option<&'a str>,
    pub charity_number: &'a str,
}

/// A group (registered or not) puts in a bid while the round takes bids.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn create_bid(
    state: &App,
    who: &Identity,
    id: i64,
    input: &BidInput<'_>,
    t: i64,
) -> Result<i64> {
    let view = round(state, Some(who), id).await?;
    if !view.phase.takes_bids() {
        return conflict(
            ErrorCode::WrongPhase,
            "This round is not taking bids any more.",
        );
    }
    let title = village_domain::text::check(
        "title",
        input.title,
        true,
        proposal::MAX_TITLE_CHARS,
        "a title for your bid",
    )?;
    let summary = village_domain::text::check(
        "summary",
        input.summary,
        true,
        proposal::MAX_TEXT_CHARS,
        "what you will do with the money",
    )?;
    let for_whom = village_domain::text::check(
        "for_whom",
        input.for_whom,
        false,
        proposal::MAX_TEXT_CHARS,
        "who it is for",
    )?;
    let amount = view.money().check_bid(input.amount_pence)?;
    let group_name = village_domain::text::check(
        "group_name",
        input.group_name,
        false,
        200,
        "your group's name",
    )?;
    // Bids and awards are public: a bid that names no group is never published under the
    // name of the person who put it in.
    let group_name = if group_name.is_empty() {
        "Unnamed community group".to_string()
    } else {
        group_name
    };
    let charity_number = giving::check_charity_number(input.charity_number)?;
    let group_id = input.group_id.map(str::trim).filter(|s| !s.is_empty());
    let mut c = state.store.conn().await?;
    if let Some(org) = group_id {
        if village_store::directory::services_of_organization(&mut c, org)
            .await?
            .is_empty()
        {
            return Err(FieldError::new(
                "group_id",
                ErrorCode::GroupUnknown,
                "There is no group with that id in the directory",
            )
            .into());
        }
    }
    Ok(store::create_bid(
        &mut c,
        &NewBid {
            round_id: id,
            title: &title,
            summary: &summary,
            for_whom: &for_whom,
            amount_pence: amount,
            group_name: &group_name,
            group_id,
            charity_number: charity_number.as_deref(),
        },
        who.user.id,
        t,
    )
    .await?)
}

/// A steward records whether a bid is eligible (a reason is needed when it is not).
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn check_bid(
    state: &App,
    who: &Identity,
    (id, bid_id): (i64, i64),
    eligible: bool,
    reason: &str,
    ip: &str,
    t: i64,
) -> Result<()> {
    access::check(&who.actor(), Action::CheckBids).map_err(|_| Error::Forbidden)?;
    let view = round(state, Some(who), id).await?;
    if !view.bids.iter().any(|b| b.id == bid_id) {
        return Err(Error::NotFound("bid"));
    }
    if !matches!(view.phase, Phase::Bids | Phase::Checks) {
        return conflict(
            ErrorCode::WrongPhase,
            "Bids are checked before voting opens.",
        );
    }
    let reason = village_domain::text::check(
        "reason",
        reason,
        !eligible,
        proposal::MAX_REASON_CHARS,
        "why the bid cannot go forward",
    )?;
    let mut tx = state.store.begin().await?;
    store::check_bid(
        &mut tx,
        bid_id,
        if eligible { "eligible" } else { "not_eligible" },
        &reason,
        who.user.id,
        t,
    )
    .await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::BidChecked,
        &format!(
            "round {id}, bid {bid_id}: {}",
            if eligible { "eligible" } else { "not eligible" }
        ),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One steward's entry of a paper ballot, as stewards see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperEntryView {
    pub entry: i64,
    pub steward_name: Option<String>,
    /// The bids they typed; `None` while the paper waits for its second entry, so the second
    /// steward types it in from the paper alone (`Paper::entries_shown`).
    pub choices: Option<Vec<i64>>,
}

/// The paper ballots of a round, each worked out from its entries, for stewards and
/// facilitators.
#[tracing::instrument(skip_all, fields(id))]
pub async fn papers(state: &App, id: i64) -> Result<Vec<(String, Paper, Vec<PaperEntryView>)>> {
    let mut c = state.store.conn().await?;
    Ok(papers_in(&mut c, id)
        .await?
        .into_iter()
        .map(|(paper, p, rows)| {
            let shown = p.entries_shown();
            let entries = rows
                .into_iter()
                .map(|r| PaperEntryView {
                    entry: r.entry,
                    steward_name: r.steward_name,
                    choices: shown.then(|| parse_choices(&r.choices)),
                })
                .collect();
            (paper, p, entries)
        })
        .collect())
}

pub(super) type PaperList = Vec<(String, Paper, Vec<store::PaperEntryRow>)>;

pub(super) async fn papers_in(db: &mut impl village_store::Db, id: i64) -> Result<PaperList> {
    let entries = store::paper_entries(db, id).await?;
    let resolutions = store::paper_resolutions(db, id).await?;
    let mut by_paper: BTreeMap<String, Vec<store::PaperEntryRow>> = BTreeMap::new();
    for e in entries {
        by_paper.entry(e.paper.clone()).or_default().push(e);
    }
    let mut out = Vec::new();
    for (paper, rows) in by_paper {
        let list: Vec<(i64, Vec<i64>)> = rows
            .iter()
            .map(|r| (r.steward_id.unwrap_or(0), parse_choices(&r.choices)))
            .collect();
        let resolution = resolutions
            .iter()
            .find(|r| r.paper == paper)
            .map(|r| parse_choices(&r.choices));
        if let Some(p) = Paper::from_entries(&list, resolution) {
            out.push((paper, p, rows));
        }
    }
    Ok(out)
}

pub fn parse_choices(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|p| p.trim().parse().ok()).collect()
}

pub(super) fn choices_text(c: &[i64]) -> String {
    c.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Move a round to its next phase. Moving to results counts the votes and publishes them.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn set_phase(
    state: &App,
    who: &Identity,
    id: i64,
    to: &str,
    ip: &str,
    t: i64,
) -> Result<()> {
    let view = round(state, Some(who), id).await?;
    if !view.facilitates {
        return Err(Error::Forbidden);
    }
    let Some(to) = Phase::parse(to) else {
        return Err(FieldError::new(
            "phase",
            ErrorCode::InvalidPhase,
            "Choose ideas, bids, checks, voting, results or delivery",
        )
        .into());
    };
    // Everything the move depends on is read inside its transaction, so a bid checked or
    // a paper ballot typed in a moment ago is counted or stops the move.
    let mut tx = state.store.begin().await?;
    let bids = store::bids(&mut tx, id).await?;
    let papers = papers_in(&mut tx, id).await?;
    let count = |status: &str| {
        u32::try_from(bids.iter().filter(|b| b.check_status == status).count()).unwrap_or(u32::MAX)
    };
    let round_state = RoundState {
        unchecked_bids: count("unchecked"),
        eligible_bids: count("eligible"),
        unresolved_papers: u32::try_from(
            papers
                .iter()
                .filter(|(_, p, _)| p.counted().is_none())
                .count(),
        )
        .unwrap_or(u32::MAX),
    };
    budget::check_phase(view.phase, to, round_state)
        .map_err(|e| Error::Conflict(e.code, e.message))?;
    let results = if to == Phase::Results {
        let counted: Vec<&[i64]> = papers.iter().filter_map(|(_, p, _)| p.counted()).collect();
        let (r, online, paper) = count_round(&mut tx, id, view.round.pot_pence, &counted).await?;
        Some(results_json(&r, online, paper).to_string())
    } else {
        None
    };
    if !store::set_phase(
        &mut tx,
        id,
        view.phase.code(),
        to.code(),
        results.as_deref(),
        t,
    )
    .await?
    {
        return conflict(
            ErrorCode::ChangedSince,
            "Someone moved this round on a moment ago. Look again.",
        );
    }
    if to == Phase::Results {
        // Each group that bid hears how its bid did.
        if let Some(published) = results
            .as_deref()
            .and_then(|r| serde_json::from_str::<Published>(r).ok())
        {
            for b in &bids {
                let Some(by) = b.submitted_by else { continue };
                let outcome = if published.funded.contains(&b.id) {
                    "is funded"
                } else if b.check_status == "eligible" {
                    "was not funded this time"
                } else {
                    "could not go forward"
                };
                let note = format!(
                    "The results of {} are out: \u{201c}{}\u{201d} {outcome}.",
                    view.round.name, b.title
                );
                village_store::connections::notify(
                    &mut tx,
                    by,
                    &note,
                    &format!("/rounds/{id}/results"),
                    t,
                )
                .await?;
            }
        }
    }
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::RoundPhaseChanged,
        &format!("round {id}: {} to {}", view.phase.code(), to.code()),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Count a round's votes (online ballots in SQL, and the paper ballots that count) and fund
/// its bids. Gives the results with how many ballots were online and on paper.
#[tracing::instrument(skip_all, fields(round_id))]
pub async fn count_round(
    db: &mut impl village_store::Db,
    round_id: i64,
    pot_pence: i64,
    counted_papers: &[&[i64]],
) -> std::result::Result<(budget::Results, u64, u64), StoreError> {
    let bids = store::bids(db, round_id).await?;
    let domain: Vec<Bid> = bids.iter().map(domain_bid).collect();
    let (mut counts, online) = store::count_votes(db, round_id).await?;
    for choices in counted_papers {
        for c in *choices {
            *counts.entry(*c).or_insert(0) += 1;
        }
    }
    let eligible: std::collections::BTreeSet<i64> =
        domain.iter().filter(|d| d.eligible).map(|d| d.id).collect();
    let counts = counts
        .into_iter()
        .filter(|(b, _)| eligible.contains(b))
        .collect();
    let paper = u64::try_from(counted_papers.len()).unwrap_or(u64::MAX);
    Ok((
        budget::fund(pot_pence, &domain, counts, online + paper),
        online,
        paper,
    ))
}

pub fn results_json(r: &budget::Results, online: u64, paper: u64) -> serde_json::Value {
    serde_json::json!({
        "counts": r.counts.iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<String, u64>>(),
        "order": r.order,
        "funded": r.funded,
        "skipped": r.skipped,
        "left_pence": r.left_pence,
        "ballots": r.ballots,
        "online_ballots": online,
        "paper_ballots": paper,
    })
}

/// Published results, read back.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Published {
    pub counts: BTreeMap<String, u64>,
    pub order: Vec<i64>,
    pub funded: Vec<i64>,
    pub skipped: Vec<i64>,
    pub left_pence: i64,
    pub ballots: u64,
    pub online_ballots: u64,
    pub paper_ballots: u64,
}

pub fn published(view: &RoundView) -> Option<Published> {
    serde_json::from_str(view.round.results.as_deref()?).ok()
}
