//! Decision spaces: who is in them, and the rule for lived-experience voices each keeps.

use super::{conflict, Error, Result};
use crate::accounts::Identity;
use crate::App;
use village_domain::access::decisions::{may_facilitate, may_take_part, SpaceRole};
use village_domain::accounts::FieldError;
use village_domain::decisions::proposal::{self, LivedRule};
use village_domain::error::ErrorCode;
use village_store::decisions::{self as store, NewSpace, ProposalRow, SpaceRow};
/// A space as someone sees it, with their own place in it.
pub struct SpaceView {
    pub space: SpaceRow,
    pub rule: LivedRule,
    /// `invited`, `member`, `facilitator`, or `None`.
    pub my_role: Option<String>,
}

impl SpaceView {
    /// Their place in the space, as the access rules read it.
    pub fn role(&self) -> Option<SpaceRole> {
        self.my_role.as_deref().and_then(SpaceRole::parse)
    }
    /// Runs the space (`village_domain::access::decisions::may_facilitate`).
    pub fn facilitates(&self) -> bool {
        may_facilitate(self.role())
    }
    /// May take stances and make proposals (`may_take_part`).
    pub fn takes_part(&self) -> bool {
        may_take_part(self.role())
    }
}

fn rule_of(s: &SpaceRow) -> LivedRule {
    LivedRule {
        share_bp: u32::try_from(s.min_lived_share_bp).unwrap_or(10_000),
        count: u32::try_from(s.min_lived_count).unwrap_or(0),
    }
}

pub struct SpaceInput<'a> {
    pub name: &'a str,
    pub about: &'a str,
    pub open: bool,
    pub hide_names: bool,
    pub min_lived_share: f64,
    pub min_lived_count: i64,
    pub update_every_days: i64,
}

/// Make a space; the person who makes it facilitates it.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn create_space(
    state: &App,
    who: &Identity,
    input: &SpaceInput<'_>,
    t: i64,
) -> Result<i64> {
    let name = village_domain::text::check("name", input.name, true, 120, "the space's name")?;
    let about = village_domain::text::check(
        "about",
        input.about,
        false,
        proposal::MAX_TEXT_CHARS,
        "what the space is for",
    )?;
    let rule = LivedRule::new(input.min_lived_share, input.min_lived_count)?;
    if !(1..=366).contains(&input.update_every_days) {
        return Err(FieldError::new(
            "update_every_days",
            ErrorCode::InvalidDays,
            "Say how often decisions are updated, in days from 1 to 366",
        )
        .into());
    }
    let mut tx = state.store.begin().await?;
    let id = store::create_space(
        &mut tx,
        &NewSpace {
            name: &name,
            about: &about,
            open: input.open,
            hide_names: input.hide_names,
            min_lived_share_bp: i64::from(rule.share_bp),
            min_lived_count: i64::from(rule.count),
            update_every_days: input.update_every_days,
        },
        who.user.id,
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A space, if the person may see it: open spaces are seen by every member of the hub,
/// invite-only ones by their members and the people invited.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn space(state: &App, who: &Identity, id: i64) -> Result<SpaceView> {
    let mut c = state.store.conn().await?;
    let space = store::space(&mut c, id)
        .await?
        .ok_or(Error::NotFound("space"))?;
    let my_role = store::membership(&mut c, id, who.user.id).await?;
    if !space.open && my_role.is_none() {
        return Err(Error::NotFound("space"));
    }
    Ok(SpaceView {
        rule: rule_of(&space),
        space,
        my_role,
    })
}

/// The spaces the person may see.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn spaces(state: &App, who: &Identity) -> Result<Vec<SpaceView>> {
    let mut c = state.store.conn().await?;
    let mut out = Vec::new();
    for s in store::spaces(&mut c).await? {
        let my_role = store::membership(&mut c, s.id, who.user.id).await?;
        if s.open || my_role.is_some() {
            out.push(SpaceView {
                rule: rule_of(&s),
                space: s,
                my_role,
            });
        }
    }
    Ok(out)
}

/// A space with its proposals (open first, newest first) and members.
pub struct SpaceDetail {
    pub view: SpaceView,
    pub proposals: Vec<ProposalRow>,
    pub members: Vec<store::MemberRow>,
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn space_detail(state: &App, who: &Identity, id: i64) -> Result<SpaceDetail> {
    let view = space(state, who, id).await?;
    let mut c = state.store.conn().await?;
    Ok(SpaceDetail {
        proposals: store::proposals_in(&mut c, id).await?,
        members: store::members(&mut c, id).await?,
        view,
    })
}

/// Join an open space, or accept an invitation to one.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn join(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let view = space(state, who, id).await?;
    match view.my_role.as_deref() {
        Some("member" | "facilitator") => Ok(()),
        Some(_) => {
            let mut c = state.store.conn().await?;
            store::set_member(&mut c, id, who.user.id, "member", t).await?;
            Ok(())
        }
        None if view.space.open => {
            let mut c = state.store.conn().await?;
            store::set_member(&mut c, id, who.user.id, "member", t).await?;
            Ok(())
        }
        None => Err(Error::Forbidden),
    }
}

/// Leave a space (a space's last facilitator cannot).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn leave(state: &App, who: &Identity, id: i64) -> Result<()> {
    let view = space(state, who, id).await?;
    let mut tx = state.store.begin().await?;
    if view.facilitates() && store::facilitators(&mut tx, id).await? <= 1 {
        return conflict(
            ErrorCode::LastFacilitator,
            "You are the only person running this space. Ask someone else to help run it first.",
        );
    }
    store::remove_member(&mut tx, id, who.user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// A facilitator invites a member of the hub (by email) or makes someone a facilitator.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn add_member(
    state: &App,
    who: &Identity,
    id: i64,
    email: &str,
    facilitator: bool,
    t: i64,
) -> Result<()> {
    let view = space(state, who, id).await?;
    if !view.facilitates() {
        return Err(Error::Forbidden);
    }
    let email = village_domain::accounts::Email::parse(email)?;
    let mut tx = state.store.begin().await?;
    let Some(user) = village_store::accounts::user_by_email(&mut tx, email.as_str()).await? else {
        return Err(FieldError::new(
            "email",
            ErrorCode::NoSuchMember,
            "Nobody with that email address has joined this hub yet",
        )
        .into());
    };
    let current = store::membership(&mut tx, id, user.id).await?;
    let role = match (facilitator, current.as_deref()) {
        (true, _) => "facilitator",
        (false, Some(r @ ("member" | "facilitator"))) => r,
        (false, _) => "invited",
    };
    store::set_member(&mut tx, id, user.id, role, t).await?;
    tx.commit().await?;
    if role == "invited" && current.is_none() {
        let link = state.settings.link(&format!("/spaces/{id}"));
        let body = format!(
            "Hello {},\n\n{} has invited you to take part in \"{}\" on {}. You can join here:\n\n{link}\n",
            user.display_name, who.user.display_name, view.space.name, state.settings.hub.name
        );
        if let Err(e) = state
            .mailer
            .send(
                &user.email,
                "You are invited to help decide things together",
                body,
            )
            .await
        {
            tracing::warn!(error = %e, "could not email a space invitation");
        }
    }
    Ok(())
}
