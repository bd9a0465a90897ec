//! Proposals: stances with reasons, comments, and closing with an outcome once enough
//! lived-experience voices have spoken and every block is answered.

use super::spaces::{space, SpaceView};
use super::{conflict, Error, Result};
use crate::accounts::Identity;
use crate::audit::record;
use crate::App;
use std::collections::BTreeMap;
use village_domain::access::decisions::{may_edit_proposal, SpaceRole};
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::decisions::proposal::{
    self, check_close, Cast, CommentKind, LivedCheck, OutcomeDraft, Progress, Stance,
};
use village_domain::error::ErrorCode;
use village_store::decisions::{self as store, CommentRow, ProposalRow, StanceRow};
/// A proposal as someone sees it.
pub struct ProposalView {
    pub space: SpaceView,
    pub proposal: ProposalRow,
    pub stances: Vec<StanceRow>,
    pub comments: Vec<CommentRow>,
    pub lived: LivedCheck,
    pub updates: Vec<store::UpdateRow>,
    pub versions: Vec<store::VersionRow>,
    pub overdue: bool,
}

impl ProposalView {
    pub fn open(&self) -> bool {
        self.proposal.closed_at.is_none()
    }

    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m: BTreeMap<&'static str, usize> =
            Stance::ALL.iter().map(|s| (s.code(), 0)).collect();
        for s in &self.stances {
            {
                *m.entry(s.stance.code()).or_insert(0) += 1;
            }
        }
        m
    }

    pub fn progress(&self) -> Option<Progress> {
        self.proposal.progress.as_deref().and_then(Progress::parse)
    }

    /// Whether a stance's name may be shown to this viewer.
    pub fn shows_name(&self, s: &StanceRow, viewer: i64) -> bool {
        !self.space.space.hide_names || s.user_id == Some(viewer)
    }
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn proposal(state: &App, who: &Identity, id: i64, t: i64) -> Result<ProposalView> {
    let (space_id, proposal) = {
        let mut c = state.store.conn().await?;
        let p = store::proposal(&mut c, id)
            .await?
            .ok_or(Error::NotFound("proposal"))?;
        (p.space_id, p)
    };
    let space = space(state, who, space_id)
        .await
        .map_err(|_| Error::NotFound("proposal"))?;
    let mut c = state.store.conn().await?;
    let stances = store::stances(&mut c, id).await?;
    let comments = store::comments(&mut c, id).await?;
    let updates = store::updates(&mut c, id).await?;
    let versions = store::versions(&mut c, id).await?;
    let lived = space.rule.check(proposal::voices(&casts(&stances)));
    let overdue = match (
        proposal.progress.as_deref().and_then(Progress::parse),
        proposal.progress_at,
    ) {
        (Some(p), Some(at)) => proposal::overdue(p, at, space.space.update_every_days, t),
        _ => false,
    };
    Ok(ProposalView {
        space,
        proposal,
        stances,
        comments,
        lived,
        updates,
        versions,
        overdue,
    })
}

fn casts(stances: &[StanceRow]) -> Vec<Cast> {
    stances
        .iter()
        .map(|s| Cast {
            id: s.id,
            stance: s.stance,
            lived: s.lived,
        })
        .collect()
}

pub struct ProposalInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub affects: &'a str,
}

fn check_proposal(input: &ProposalInput<'_>) -> Result<(String, String, String)> {
    Ok((
        village_domain::text::check(
            "title",
            input.title,
            true,
            proposal::MAX_TITLE_CHARS,
            "a title",
        )?,
        village_domain::text::check(
            "body",
            input.body,
            true,
            proposal::MAX_TEXT_CHARS,
            "what you propose and why",
        )?,
        village_domain::text::check(
            "affects",
            input.affects,
            false,
            proposal::MAX_TEXT_CHARS,
            "who it affects",
        )?,
    ))
}

/// Any member of a space may put a proposal to it.
#[tracing::instrument(skip_all, fields(actor = who.user.id, space_id))]
pub async fn create_proposal(
    state: &App,
    who: &Identity,
    space_id: i64,
    input: &ProposalInput<'_>,
    t: i64,
) -> Result<i64> {
    let view = space(state, who, space_id).await?;
    if !view.takes_part() {
        return conflict(
            ErrorCode::NotAMember,
            "Join this space first to make proposals and give your view.",
        );
    }
    let (title, body, affects) = check_proposal(input)?;
    let mut c = state.store.conn().await?;
    Ok(store::create_proposal(&mut c, space_id, &title, &body, &affects, who.user.id, t).await?)
}

/// The person who proposed it, or a facilitator, changes the wording of an open proposal;
/// the earlier wording is kept.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn edit_proposal(
    state: &App,
    who: &Identity,
    id: i64,
    input: &ProposalInput<'_>,
    t: i64,
) -> Result<()> {
    let view = proposal(state, who, id, t).await?;
    if !may_edit_proposal(who.user.id, view.proposal.author_id, view.space.role()) {
        return Err(Error::Forbidden);
    }
    let (title, body, affects) = check_proposal(input)?;
    let mut tx = state.store.begin().await?;
    if !store::edit_proposal(&mut tx, id, &title, &body, &affects, who.user.id, t).await? {
        return conflict(ErrorCode::ProposalClosed, "This proposal has been decided.");
    }
    tx.commit().await?;
    Ok(())
}

/// The proposal, if the person takes part in its space and it is still open.
async fn open_to_me(state: &App, who: &Identity, id: i64, t: i64) -> Result<ProposalView> {
    let view = proposal(state, who, id, t).await?;
    if !view.space.takes_part() {
        return conflict(
            ErrorCode::NotAMember,
            "Join this space first to take part: make proposals, give your view and comment.",
        );
    }
    if !view.open() {
        return conflict(ErrorCode::ProposalClosed, "This proposal has been decided.");
    }
    Ok(view)
}

/// Take or change a stance while the proposal is open. Whether the person has declared lived
/// experience is noted with it, for the rule's counts only.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn take_stance(
    state: &App,
    who: &Identity,
    id: i64,
    stance: &str,
    reason: &str,
    t: i64,
) -> Result<i64> {
    open_to_me(state, who, id, t).await?;
    let Some(stance) = Stance::parse(stance) else {
        return Err(FieldError::new(
            "stance",
            ErrorCode::InvalidStance,
            "Choose agree, abstain, disagree or block",
        )
        .into());
    };
    let reason = proposal::check_stance(stance, reason)?;
    let mut tx = state.store.begin().await?;
    // Re-read under the transaction: a close a moment ago wins.
    let still_open = store::proposal(&mut tx, id)
        .await?
        .is_some_and(|p| p.closed_at.is_none());
    if !still_open {
        return conflict(ErrorCode::ProposalClosed, "This proposal has been decided.");
    }
    let stance_id = store::put_stance(
        &mut tx,
        id,
        who.user.id,
        stance.code(),
        &reason,
        who.user.lived_declared,
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(stance_id)
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn comment(
    state: &App,
    who: &Identity,
    id: i64,
    kind: &str,
    body: &str,
    t: i64,
) -> Result<i64> {
    open_to_me(state, who, id, t).await?;
    let Some(kind) = CommentKind::parse(kind) else {
        return Err(FieldError::new(
            "kind",
            ErrorCode::InvalidKind,
            "Say whether your comment is in favour, against or a question",
        )
        .into());
    };
    let body =
        village_domain::text::check("body", body, true, proposal::MAX_TEXT_CHARS, "your comment")?;
    let mut c = state.store.conn().await?;
    Ok(store::add_comment(&mut c, id, who.user.id, kind.code(), &body, t).await?)
}

/// A facilitator closes a proposal with the decision. Refused while the lived-experience rule
/// is not met or a block has no answer.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn close(
    state: &App,
    who: &Identity,
    id: i64,
    draft: &OutcomeDraft,
    ip: &str,
    t: i64,
) -> Result<()> {
    let view = proposal(state, who, id, t).await?;
    if !view.space.facilitates() {
        return Err(Error::Forbidden);
    }
    if !view.open() {
        return conflict(ErrorCode::ProposalClosed, "This proposal has been decided.");
    }
    let mut tx = state.store.begin().await?;
    // The stances as they stand in this transaction, so none slips in unanswered.
    let stances = store::stances(&mut tx, id).await?;
    let outcome = check_close(view.space.rule, &casts(&stances), draft).map_err(|e| match e {
        proposal::CloseRefusal::Field(f) => Error::Field(f),
        other => Error::Conflict(other.code(), other.message(!view.space.space.hide_names)),
    })?;
    let closed = store::close(
        &mut tx,
        id,
        &store::Closing {
            decision: &outcome.decision,
            reasons: &outcome.reasons,
            dissent_summary: &outcome.dissent_summary,
            block_responses: &outcome.block_responses,
            progress: if outcome.agreed {
                Progress::Agreed.code()
            } else {
                Progress::NotAgreed.code()
            },
        },
        who.user.id,
        t,
    )
    .await?;
    if !closed {
        return conflict(ErrorCode::ProposalClosed, "This proposal has been decided.");
    }
    // Everyone taking part hears it has been decided (a notice in the app).
    let note = format!(
        "\u{201c}{}\u{201d} has been decided in {}.",
        view.proposal.title, view.space.space.name
    );
    for m in store::members(&mut tx, view.space.space.id).await? {
        if m.user_id != who.user.id && m.role != SpaceRole::Invited {
            village_store::connections::notify(
                &mut tx,
                m.user_id,
                &note,
                &format!("/proposals/{id}"),
                t,
            )
            .await?;
        }
    }
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::ProposalClosed,
        &format!("proposal {id}"),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A facilitator posts a dated update on an agreed decision.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn update(
    state: &App,
    who: &Identity,
    id: i64,
    status: &str,
    note: &str,
    t: i64,
) -> Result<()> {
    let view = proposal(state, who, id, t).await?;
    if !view.space.facilitates() {
        return Err(Error::Forbidden);
    }
    let Some(from) = view.progress() else {
        return conflict(
            ErrorCode::ProposalOpen,
            "This proposal has not been decided yet.",
        );
    };
    let Some(to) = Progress::parse(status) else {
        return Err(FieldError::new(
            "status",
            ErrorCode::InvalidStatus,
            "Choose agreed, in_progress, done or not_done",
        )
        .into());
    };
    let note = proposal::check_update(from, to, note)?;
    let mut tx = state.store.begin().await?;
    if !store::add_update(&mut tx, id, from.code(), to.code(), &note, who.user.id, t).await? {
        return conflict(
            ErrorCode::ChangedSince,
            "Someone updated this decision a moment ago. Look again.",
        );
    }
    tx.commit().await?;
    Ok(())
}
