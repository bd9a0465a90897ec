//! The circle of support and chosen connectors: adding people, inviting members (who must
//! accept), making someone a supporter, choosing or accepting a connector. Every change to
//! who can see the person's profile is written to their consent ledger at once, and takes
//! effect on the very next request.

use crate::accounts::Identity;
use crate::audit::record;
use crate::{App, Error, Result};
use serde::Serialize;
use utoipa::ToSchema;
use village_domain::accounts::{Email, FieldError, Role};
use village_domain::audit::AuditAction;
use village_domain::error::ErrorCode;
use village_domain::people::circle::{check_contact, check_name, LinkStatus, Ring};
use village_store::people::{
    self as store, CircleRow, CircleUpdate, ConnectorLinkRow, MembershipRow, NewCircleEntry,
};
use village_store::{accounts as account_store, StoreError};

/// Someone in a person's circle, as the person sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CircleEntryOut {
    pub id: i64,
    /// `close`, `family_friends`, `community` or `paid`.
    pub ring: String,
    pub name: String,
    /// Private contact details: only the person sees them.
    pub contact: String,
    /// The linked member, when the entry is a member of this hub.
    pub member_id: Option<i64>,
    /// `listed` (a name only), `invited`, `accepted` or `declined`.
    pub status: String,
    /// May help edit the person's profile and plans.
    pub supporter: bool,
    pub created_at: i64,
}

pub fn entry_out(r: CircleRow) -> CircleEntryOut {
    let linked = r.member_id.is_some();
    CircleEntryOut {
        id: r.id,
        ring: r.ring.code().to_string(),
        name: r.name,
        contact: r.contact,
        member_id: r.member_id,
        status: if linked { r.status } else { LinkStatus::Listed }
            .code()
            .to_string(),
        supporter: r.supporter && linked,
        created_at: r.created_at,
    }
}

/// A circle the caller is in, or has been invited into.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipOut {
    pub entry_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub ring: String,
    /// `invited` or `accepted`.
    pub status: String,
    pub supporter: bool,
}

pub fn membership_out(m: MembershipRow) -> MembershipOut {
    MembershipOut {
        entry_id: m.entry_id,
        person_id: m.owner_id,
        person_name: m.owner_name,
        ring: m.ring.code().to_string(),
        status: m.status.code().to_string(),
        supporter: m.supporter,
    }
}

/// A link between a person and a connector.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectorOut {
    /// The other side of the link: the connector (for the person) or the person (for the
    /// connector).
    pub id: i64,
    pub name: String,
    /// `offered` (waiting for the person to accept) or `accepted`.
    pub status: String,
    pub since: i64,
}

pub fn link_out(l: ConnectorLinkRow, as_connector: bool) -> ConnectorOut {
    ConnectorOut {
        id: if as_connector {
            l.person_id
        } else {
            l.connector_id
        },
        name: if as_connector {
            l.person_name
        } else {
            l.connector_name
        },
        status: l.status,
        since: l.accepted_at.unwrap_or(l.created_at),
    }
}

fn ring(code: &str) -> Result<Ring, FieldError> {
    Ring::parse(code).ok_or_else(|| {
        FieldError::new(
            "ring",
            ErrorCode::RingUnknown,
            "Choose where they fit in your circle: close to you, family and friends, community, or paid support.",
        )
    })
}

/// What someone asked to add to their circle.
pub struct NewEntry<'a> {
    pub ring: &'a str,
    pub name: &'a str,
    pub contact: &'a str,
    /// Invite this member (they must accept).
    pub member_id: Option<i64>,
    /// Or invite the member with this email address, if they have joined the hub.
    pub member_email: Option<&'a str>,
}

/// Add someone to the person's circle. A member is invited and must accept; anyone else is
/// kept as a name (with private contact details). Returns the entry and whether an
/// invitation went to a member.
#[tracing::instrument(skip_all, fields(actor = me.user.id))]
pub async fn add(
    state: &App,
    me: &Identity,
    new: &NewEntry<'_>,
    ip: &str,
    now: i64,
) -> Result<(i64, bool)> {
    let ring = ring(new.ring)?;
    let name = check_name(new.name)?;
    let contact = check_contact(new.contact)?;
    let mut tx = state.store.begin().await?;
    let member =
        match (
            new.member_id,
            new.member_email.map(str::trim).filter(|e| !e.is_empty()),
        ) {
            (Some(id), _) => Some(account_store::user_by_id(&mut tx, id).await?.ok_or_else(
                || {
                    FieldError::new(
                        "member_id",
                        ErrorCode::MemberUnknown,
                        "There is no member with that number on this hub.",
                    )
                },
            )?),
            (None, Some(email)) => {
                let email = Email::parse(email)?;
                account_store::user_by_email(&mut tx, email.as_str()).await?
            }
            (None, None) => None,
        };
    if member.as_ref().is_some_and(|m| m.id == me.user.id) {
        return Err(FieldError::new(
            "member_email",
            ErrorCode::MemberIsYou,
            "That is you: add someone else.",
        )
        .into());
    }
    let status = if member.is_some() {
        LinkStatus::Invited
    } else {
        LinkStatus::Listed
    };
    let id = store::add_circle_entry(
        &mut tx,
        &NewCircleEntry {
            owner_id: me.user.id,
            ring: ring.code(),
            name: &name,
            contact: &contact,
            member_id: member.as_ref().map(|m| m.id),
            status: status.code(),
        },
        now,
    )
    .await
    .map_err(|e| match e {
        StoreError::Conflict(_) => Error::Conflict(
            ErrorCode::AlreadyInCircle,
            "They are already in your circle.".into(),
        ),
        e => Error::Store(e),
    })?;
    if let Some(m) = &member {
        record(
            &mut tx,
            Some(me.user.id),
            Some(m.id),
            AuditAction::CircleInvited,
            &format!("entry {id}"),
            Some(ip),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok((id, member.is_some()))
}

/// The owner's entry, or not found.
async fn own_entry(db: &mut impl village_store::Db, me: &Identity, id: i64) -> Result<CircleRow> {
    match store::circle_entry(db, id).await? {
        Some(e) if e.owner_id == me.user.id => Ok(e),
        _ => Err(Error::NotFound("circle entry or person")),
    }
}

/// A circle the person is in (for asking before they leave it).
pub async fn membership(
    state: &App,
    me: &Identity,
    entry_id: i64,
) -> Result<village_store::people::MembershipRow> {
    let mut c = state.store.conn().await?;
    store::memberships(&mut c, me.user.id)
        .await?
        .into_iter()
        .find(|m| m.entry_id == entry_id && m.status == LinkStatus::Accepted)
        .ok_or(Error::NotFound("circle entry or person"))
}

/// The link between a person and a connector, for either of them (for asking before it
/// ends).
pub async fn connector_link(
    state: &App,
    me: &Identity,
    person_id: i64,
    connector_id: i64,
) -> Result<ConnectorLinkRow> {
    if me.user.id != person_id && me.user.id != connector_id {
        return Err(Error::NotFound("circle entry or person"));
    }
    let mut c = state.store.conn().await?;
    store::connector_link(&mut c, person_id, connector_id)
        .await?
        .ok_or(Error::NotFound("circle entry or person"))
}

/// What to change about a circle entry: `None` keeps it.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryChange<'a> {
    pub ring: Option<&'a str>,
    pub name: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub supporter: Option<bool>,
}

/// Change where someone sits, their name or contact details, or whether they are a
/// supporter. Becoming or stopping being a supporter is a sharing choice (in the ledger).
#[tracing::instrument(skip_all, fields(actor = me.user.id, id))]
pub async fn update(
    state: &App,
    me: &Identity,
    id: i64,
    change: &EntryChange<'_>,
    now: i64,
) -> Result<()> {
    let EntryChange {
        ring: ring_code,
        name,
        contact,
        supporter,
    } = *change;
    let mut tx = state.store.begin().await?;
    let entry = own_entry(&mut tx, me, id).await?;
    let ring_code = match ring_code {
        Some(r) => ring(r)?.code().to_string(),
        None => entry.ring.code().to_string(),
    };
    let name = match name {
        Some(n) => check_name(n)?,
        None => entry.name.clone(),
    };
    let contact = match contact {
        Some(c) => check_contact(c)?,
        None => entry.contact.clone(),
    };
    let linked_and_accepted = entry.member_id.is_some() && entry.status == LinkStatus::Accepted;
    let supporter = supporter.unwrap_or(entry.supporter && linked_and_accepted);
    if supporter && !linked_and_accepted {
        return Err(Error::Conflict(
            ErrorCode::SupporterNeedsMember,
            "Only a member of this hub who has accepted your invitation can be a supporter.".into(),
        ));
    }
    store::update_circle_entry(
        &mut tx,
        id,
        &CircleUpdate {
            ring: &ring_code,
            name: &name,
            contact: &contact,
            status: entry.status.code(),
            supporter,
        },
        now,
    )
    .await?;
    if supporter != entry.supporter {
        store::record_consent(
            &mut tx,
            me.user.id,
            "supporter",
            &format!(
                "{name} {}",
                if supporter {
                    "may help edit your profile"
                } else {
                    "no longer helps edit your profile"
                }
            ),
            None,
            me.user.id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Take someone out of the circle. If they could see things as a circle member, that stops
/// on the very next request.
#[tracing::instrument(skip_all, fields(actor = me.user.id, id))]
pub async fn remove(state: &App, me: &Identity, id: i64, now: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let entry = own_entry(&mut tx, me, id).await?;
    store::remove_circle_entry(&mut tx, id).await?;
    if entry.member_id.is_some() && entry.status == LinkStatus::Accepted {
        store::record_consent(
            &mut tx,
            me.user.id,
            "circle",
            &format!("{} left your circle", entry.name),
            None,
            me.user.id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A member answers an invitation into someone's circle (or leaves a circle they are in).
#[tracing::instrument(skip_all, fields(actor = me.user.id, entry_id))]
pub async fn answer(
    state: &App,
    me: &Identity,
    entry_id: i64,
    accept: bool,
    ip: &str,
    now: i64,
) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let entry = match store::circle_entry(&mut tx, entry_id).await? {
        Some(e)
            if e.member_id == Some(me.user.id)
                && matches!(e.status, LinkStatus::Invited | LinkStatus::Accepted) =>
        {
            e
        }
        _ => return Err(Error::NotFound("circle entry or person")),
    };
    if accept && entry.status == LinkStatus::Accepted {
        return Ok(());
    }
    let status = if accept {
        LinkStatus::Accepted
    } else {
        LinkStatus::Declined
    };
    store::update_circle_entry(
        &mut tx,
        entry_id,
        &CircleUpdate {
            ring: entry.ring.code(),
            name: &entry.name,
            contact: &entry.contact,
            status: status.code(),
            supporter: entry.supporter && accept,
        },
        now,
    )
    .await?;
    let words = if accept {
        format!("{} joined your circle", me.user.display_name)
    } else if entry.status == LinkStatus::Accepted {
        format!("{} left your circle", me.user.display_name)
    } else {
        format!("{} said no to joining your circle", me.user.display_name)
    };
    if accept || entry.status == LinkStatus::Accepted {
        store::record_consent(
            &mut tx,
            entry.owner_id,
            "circle",
            &words,
            None,
            me.user.id,
            now,
        )
        .await?;
    }
    record(
        &mut tx,
        Some(me.user.id),
        Some(entry.owner_id),
        AuditAction::CircleAnswered,
        status.code(),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---- Connectors -----------------------------------------------------------------------

/// One of the hub's connectors, as someone choosing a connector meets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorCard {
    pub id: i64,
    pub name: String,
    /// Who they are, in their words (empty until they write it).
    pub about: String,
    /// How they work: where they meet, how to reach them, when (empty until they write it).
    pub how_i_work: String,
}

/// The hub's connectors a person can choose from, with what each says about themselves.
#[tracing::instrument(skip_all)]
pub async fn hub_connectors(state: &App) -> Result<Vec<ConnectorCard>, StoreError> {
    let mut c = state.store.conn().await?;
    let (rows, _) = account_store::list_users(
        &mut c,
        &account_store::UserFilter {
            role: Some(Role::Connector),
            limit: 500,
            ..Default::default()
        },
    )
    .await?;
    let mut intros: std::collections::HashMap<i64, store::ConnectorIntroRow> =
        store::connector_intros(&mut c)
            .await?
            .into_iter()
            .map(|i| (i.user_id, i))
            .collect();
    Ok(rows
        .into_iter()
        .map(|u| {
            let intro = intros.remove(&u.id).unwrap_or_default();
            ConnectorCard {
                id: u.id,
                name: u.display_name,
                about: intro.about,
                how_i_work: intro.how_i_work,
            }
        })
        .collect())
}

/// The longest a connector's "about you" or "how you work" may be, in characters.
pub const INTRO_MAX: usize = 600;

/// What a connector says about themselves to people choosing one (empty until written).
pub async fn my_intro(state: &App, me: &Identity) -> Result<(String, String)> {
    if !me.may(village_domain::access::Action::WalkAlongside) {
        return Err(Error::Forbidden);
    }
    let mut c = state.store.conn().await?;
    let intro = store::connector_intro(&mut c, me.user.id)
        .await?
        .unwrap_or_default();
    Ok((intro.about, intro.how_i_work))
}

/// A connector says who they are and how they work; both are checked before either is kept.
#[tracing::instrument(skip_all, fields(actor = me.user.id))]
pub async fn set_my_intro(
    state: &App,
    me: &Identity,
    about: &str,
    how_i_work: &str,
    now: i64,
) -> Result<()> {
    if !me.may(village_domain::access::Action::WalkAlongside) {
        return Err(Error::Forbidden);
    }
    let about = village_domain::text::check("about", about, false, INTRO_MAX, "about you");
    let how =
        village_domain::text::check("how_i_work", how_i_work, false, INTRO_MAX, "how you work");
    let (about, how) = match (about, how) {
        (Ok(a), Ok(h)) => (a, h),
        (a, h) => {
            return Err(Error::Fields(
                [a.err(), h.err()].into_iter().flatten().collect(),
            ))
        }
    };
    let mut c = state.store.conn().await?;
    store::put_connector_intro(&mut c, me.user.id, &about, &how, now).await?;
    Ok(())
}

/// A person chooses a connector (at once), or accepts one who offered.
#[tracing::instrument(skip_all, fields(actor = me.user.id, connector_id))]
pub async fn choose_connector(
    state: &App,
    me: &Identity,
    connector_id: i64,
    ip: &str,
    now: i64,
) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let connector = account_store::user_by_id(&mut tx, connector_id)
        .await?
        .filter(|u| u.role() == Role::Connector && u.id != me.user.id)
        .ok_or_else(|| {
            FieldError::new(
                "connector_id",
                ErrorCode::NotAConnector,
                "Choose one of this hub's connectors.",
            )
        })?;
    let before = store::connector_link(&mut tx, me.user.id, connector_id).await?;
    if before.as_ref().is_some_and(|l| l.status == "accepted") {
        return Ok(());
    }
    store::link_connector(&mut tx, me.user.id, connector_id, true, now).await?;
    store::record_consent(
        &mut tx,
        me.user.id,
        "connectors",
        &format!("{} is one of your connectors", connector.display_name),
        None,
        me.user.id,
        now,
    )
    .await?;
    record(
        &mut tx,
        Some(me.user.id),
        Some(connector_id),
        AuditAction::ConnectorLinked,
        "chosen",
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A connector offers to walk alongside a member; the member accepts or declines.
#[tracing::instrument(skip_all, fields(actor = connector.user.id, person_id))]
pub async fn offer_connector(
    state: &App,
    connector: &Identity,
    person_id: i64,
    ip: &str,
    now: i64,
) -> Result<()> {
    if connector.user.role() != Role::Connector {
        return Err(Error::Conflict(
            ErrorCode::OnlyConnectorsOffer,
            "Only connectors can offer to be someone's connector.".into(),
        ));
    }
    let mut tx = state.store.begin().await?;
    if person_id == connector.user.id
        || account_store::user_by_id(&mut tx, person_id)
            .await?
            .is_none()
    {
        return Err(Error::NotFound("circle entry or person"));
    }
    store::link_connector(&mut tx, person_id, connector.user.id, false, now).await?;
    record(
        &mut tx,
        Some(connector.user.id),
        Some(person_id),
        AuditAction::ConnectorLinked,
        "offered",
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A connector offers to walk alongside the member with this email address.
pub async fn offer_connector_by_email(
    state: &App,
    connector: &Identity,
    email: &str,
    ip: &str,
    now: i64,
) -> Result<()> {
    let email = Email::parse(email)?;
    let person = {
        let mut c = state.store.conn().await?;
        account_store::user_by_email(&mut c, email.as_str()).await?
    };
    let Some(person) = person else {
        return Err(FieldError::new(
            "email",
            ErrorCode::MemberUnknown,
            "Nobody with that email address has joined this hub. Check it with them.",
        )
        .into());
    };
    offer_connector(state, connector, person.id, ip, now).await
}

/// End a link between a person and a connector: either of them may. The connector stops
/// seeing what was shared with connectors on the very next request.
#[tracing::instrument(skip_all, fields(actor = me.user.id, person_id, connector_id))]
pub async fn end_connector(
    state: &App,
    me: &Identity,
    person_id: i64,
    connector_id: i64,
    now: i64,
) -> Result<()> {
    if me.user.id != person_id && me.user.id != connector_id {
        return Err(Error::NotFound("circle entry or person"));
    }
    let mut tx = state.store.begin().await?;
    let Some(link) = store::connector_link(&mut tx, person_id, connector_id).await? else {
        return Err(Error::NotFound("circle entry or person"));
    };
    store::unlink_connector(&mut tx, person_id, connector_id).await?;
    if link.status == "accepted" {
        store::record_consent(
            &mut tx,
            person_id,
            "connectors",
            &format!(
                "{} is no longer one of your connectors",
                link.connector_name
            ),
            None,
            me.user.id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The person's circle: the people in it, and the circles they are in or invited to.
pub async fn my_circle(
    state: &App,
    me: &Identity,
) -> Result<(Vec<CircleRow>, Vec<village_store::people::MembershipRow>)> {
    let mut c = state.store.conn().await?;
    Ok((
        store::circle(&mut c, me.user.id).await?,
        store::memberships(&mut c, me.user.id).await?,
    ))
}

/// One entry of the person's own circle.
pub async fn entry(state: &App, me: &Identity, id: i64) -> Result<CircleRow> {
    let mut c = state.store.conn().await?;
    own_entry(&mut c, me, id).await
}

/// The person's connectors (chosen or offered) and, for a connector, the people who chose
/// them.
pub async fn my_connectors(
    state: &App,
    me: &Identity,
) -> Result<(
    Vec<village_store::people::ConnectorLinkRow>,
    Vec<village_store::people::ConnectorLinkRow>,
)> {
    let mut c = state.store.conn().await?;
    Ok((
        store::connectors_of(&mut c, me.user.id).await?,
        store::people_of(&mut c, me.user.id).await?,
    ))
}
