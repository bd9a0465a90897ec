//! Safeguarding: anyone (a member, or someone not signed in) raises a concern about a person or
//! a group; it goes to the hub's safeguarding leads, who see a restricted queue, record actions
//! and close it with an outcome. Records are append-only and every look is audited (never
//! against the person the concern is about, so it cannot show on their profile or in their "who
//! has looked" list).

use crate::accounts::Identity;
use crate::audit::record;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde::Deserialize;
use utoipa::ToSchema;
use village_domain::access::{self, Action};
use village_domain::accounts::{Email, FieldError};
use village_domain::audit::AuditAction;
use village_domain::error::ErrorCode;
use village_store::safeguarding::{self as store, ConcernActionRow, ConcernRow, NewConcern};
use village_store::{accounts as account_store, StoreError};

fn text(field: &'static str, t: &str, max: usize) -> Result<String, FieldError> {
    village_domain::text::check(field, t, true, max, "what has happened or what worries you")
}

/// What someone raises.
#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct ConcernBody {
    /// The member it is about, if it is about a member.
    pub about_person_id: Option<i64>,
    /// The ORUK organization id of the group it is about, if it is about a group
    /// (`about_organisation_id` before 2026-12 is still read).
    #[serde(alias = "about_organisation_id")]
    pub about_group_id: Option<String>,
    /// The help match it is about ("something's not right" on a match page): only one of
    /// its two people (or an organiser of the group that posted) or a coordinator who may see
    /// it can name it (422 `match_unknown` otherwise). It is about the other person in the
    /// match unless `about_person_id` names one of the two; the safeguarding leads can then
    /// read the match.
    #[serde(default)]
    pub about_help_match: Option<i64>,
    /// Who it is about, in words (needed when neither id is given).
    #[serde(default)]
    pub about_name: String,
    /// What has happened, or what worries you.
    pub what: String,
    /// Someone may be at risk now.
    #[serde(default)]
    pub urgent: bool,
}

/// Who raises a concern: a member, or someone who is not signed in (who may say their
/// name and how to reach them, or neither).
#[derive(Debug, Clone, Copy)]
pub enum Raiser<'a> {
    Member(&'a Identity),
    Visitor { name: &'a str, contact: &'a str },
}

#[tracing::instrument(skip_all)]
pub async fn group_name(state: &App, id: &str) -> Result<Option<String>, StoreError> {
    let mut c = state.store.conn().await?;
    let services = village_store::directory::services_of_organization(&mut c, id).await?;
    Ok(services.first().and_then(|(_, doc)| {
        serde_json::from_str::<serde_json::Value>(doc)
            .ok()?
            .get("organization")?
            .get("name")?
            .as_str()
            .map(str::to_string)
    }))
}

/// Raise a concern. The leads are told by email (no details in the email).
#[tracing::instrument(skip_all)]
pub async fn raise(
    state: &App,
    raiser: Raiser<'_>,
    body: &ConcernBody,
    ip: &str,
    t: i64,
) -> Result<i64> {
    // Anyone may raise a concern: members as the access rules say, and people who are not
    // signed in (a neighbour, a family member), a few times an hour from one address.
    let (raised_by, raised_by_name, contact) = match raiser {
        Raiser::Member(who) => {
            access::check(&who.actor(), Action::RaiseConcern).map_err(|_| Error::Forbidden)?;
            (
                Some(who.user.id),
                who.user.display_name.clone(),
                String::new(),
            )
        }
        Raiser::Visitor { name, contact } => {
            let limit = state.settings.limits.concern_per_address;
            if crate::accounts::limited(
                state,
                account_store::AttemptKind::ConcernFromAddress,
                ip,
                limit,
                t,
            )
            .await?
            {
                return Err(Error::Limited(limit));
            }
            let mut c = state.store.conn().await?;
            account_store::record_attempt(
                &mut c,
                account_store::AttemptKind::ConcernFromAddress,
                ip,
                t,
            )
            .await?;
            let name = village_domain::text::check("raiser_name", name, false, 200, "your name")?;
            let contact = village_domain::text::check(
                "raiser_contact",
                contact,
                false,
                300,
                "how to reach you",
            )?;
            let name = if name.is_empty() {
                "Someone who did not sign in".to_string()
            } else {
                format!("{name} (not signed in)")
            };
            (None, name, contact)
        }
    };
    let what = text("what", &body.what, 10_000)?;
    let about_match = match (body.about_help_match, raiser) {
        (None, _) => None,
        (Some(_), Raiser::Visitor { .. }) => {
            return Err(FieldError::new(
                "about_help_match",
                ErrorCode::MatchUnknown,
                "Sign in to raise a concern about a match you are in.",
            )
            .into())
        }
        (Some(id), Raiser::Member(who)) => {
            if body
                .about_group_id
                .as_deref()
                .is_some_and(|g| !g.is_empty())
            {
                return Err(FieldError::new(
                    "about_group_id",
                    ErrorCode::GroupUnknown,
                    "A concern about a match is about the people in it, not a group.",
                )
                .into());
            }
            match crate::mutual_aid::concern_about(state, who, id, body.about_person_id).await? {
                Some(m) => Some((id, m)),
                None => {
                    return Err(FieldError::new(
                        "about_help_match",
                        ErrorCode::MatchUnknown,
                        "There is no help match of yours with that number.",
                    )
                    .into())
                }
            }
        }
    };
    let about_person = match &about_match {
        Some((_, m)) => m.about_person,
        None => body.about_person_id,
    };
    let about_name = match (
        &about_match,
        body.about_person_id,
        body.about_group_id.as_deref().filter(|s| !s.is_empty()),
    ) {
        (Some((_, m)), _, _) => m.about_name.clone(),
        (None, Some(id), _) => {
            let mut c = state.store.conn().await?;
            account_store::user_by_id(&mut c, id)
                .await?
                .map(|u| u.display_name)
                .ok_or_else(|| {
                    FieldError::new(
                        "about_person_id",
                        ErrorCode::PersonUnknown,
                        "There is no member with that number.",
                    )
                })?
        }
        (None, None, Some(org)) => group_name(state, org).await?.ok_or_else(|| {
            FieldError::new(
                "about_group_id",
                ErrorCode::GroupUnknown,
                "There is no group with that id in the directory.",
            )
        })?,
        (None, None, None) => {
            let name = body.about_name.trim();
            if name.is_empty() {
                return Err(FieldError::new(
                    "about_name",
                    ErrorCode::AboutMissing,
                    "Say who the concern is about: a name, or a group.",
                )
                .into());
            }
            if name.chars().count() > 200 {
                return Err(FieldError::new(
                    "about_name",
                    ErrorCode::TooLong,
                    "Keep the name under 200 characters.",
                )
                .into());
            }
            name.to_string()
        }
    };
    let mut tx = state.store.begin().await?;
    let id = store::raise(
        &mut tx,
        &NewConcern {
            raised_by,
            raised_by_name: &raised_by_name,
            about_person,
            about_group: body.about_group_id.as_deref().filter(|s| !s.is_empty()),
            about_help_match: about_match.as_ref().map(|(id, _)| *id),
            about_name: &about_name,
            what: &what,
            urgent: body.urgent,
            raiser_contact: &contact,
        },
        t,
    )
    .await?;
    // Not recorded against the person it is about: it must never show on their side.
    record(
        &mut tx,
        raised_by,
        None,
        AuditAction::ConcernRaised,
        &format!("concern {id}"),
        Some(ip),
        t,
    )
    .await?;
    let leads = account_store::safeguarding_leads(&mut tx).await?;
    // An urgent concern is also waiting in each lead's notices (and so on their home page).
    if body.urgent {
        for (lead_id, _, _) in &leads {
            village_store::connections::notify(
                &mut tx,
                *lead_id,
                "An urgent safeguarding concern has been raised. Please look at it now.",
                &format!("/safeguarding/{id}"),
                t,
            )
            .await?;
        }
    }
    tx.commit().await?;
    let link = state.settings.link(&format!("/safeguarding/{id}"));
    for (_, name, email) in leads {
        let body = format!(
            "Hello {name},\n\nA safeguarding concern{} has been raised on {}. Sign in to see it:\n\n{link}\n\nThis email holds no details, for safety.\n",
            if body.urgent { " marked urgent" } else { "" },
            state.settings.hub.name
        );
        if let Err(e) = state
            .mailer
            .send(&email, "A safeguarding concern has been raised", body)
            .await
        {
            tracing::warn!(error = %e, "could not email a safeguarding lead");
        }
    }
    Ok(id)
}

/// For a safeguarding lead's home page: how many concerns are open, and how many of them
/// are urgent (counts only, so nothing is looked at).
pub async fn open_counts(state: &App, who: &Identity) -> Result<(i64, i64)> {
    lead(who)?;
    let mut c = state.store.conn().await?;
    Ok(store::open_counts(&mut c).await?)
}

fn lead(who: &Identity) -> Result<()> {
    access::check(&who.actor(), Action::HandleConcerns).map_err(|_| Error::Forbidden)
}

/// Every concern, for leads: open ones first, urgent first (the look is audited).
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn queue(state: &App, who: &Identity, ip: &str, t: i64) -> Result<Vec<ConcernRow>> {
    lead(who)?;
    let mut c = state.store.conn().await?;
    let rows = store::list(&mut c).await?;
    record(
        &mut c,
        Some(who.user.id),
        None,
        AuditAction::ConcernViewed,
        "the list of concerns",
        Some(ip),
        t,
    )
    .await?;
    Ok(rows)
}

/// A concern with its actions, for leads (the look is audited).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn open_concern(
    state: &App,
    who: &Identity,
    id: i64,
    ip: &str,
    t: i64,
) -> Result<(ConcernRow, Vec<ConcernActionRow>)> {
    lead(who)?;
    let mut c = state.store.conn().await?;
    let concern = store::concern(&mut c, id)
        .await?
        .ok_or(Error::NotFound("concern"))?;
    let actions = store::actions(&mut c, id).await?;
    record(
        &mut c,
        Some(who.user.id),
        None,
        AuditAction::ConcernViewed,
        &format!("concern {id}"),
        Some(ip),
        t,
    )
    .await?;
    Ok((concern, actions))
}

/// A lead records an action, or closes the concern with its outcome.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn act(
    state: &App,
    who: &Identity,
    id: i64,
    closing: bool,
    body: &str,
    ip: &str,
    t: i64,
) -> Result<()> {
    lead(who)?;
    let field = if closing { "outcome" } else { "text" };
    let body = text(field, body, 10_000)?;
    let mut tx = state.store.begin().await?;
    let concern = store::concern(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("concern"))?;
    if concern.closed_at.is_some() {
        return conflict(
            ErrorCode::ConcernClosed,
            "This concern is closed: nothing more can be added. Raise a new one if something new has happened.",
        );
    }
    let kind = if closing { "closed" } else { "action" };
    store::add_action(
        &mut tx,
        id,
        who.user.id,
        &who.user.display_name,
        kind,
        &body,
        t,
    )
    .await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::ConcernActioned,
        &format!("concern {id}: {kind}"),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Someone who raised a concern without signing in asked for their name and way back to be
/// removed: a lead removes them (nothing else about the concern changes). A member's name
/// goes when they ask to be forgotten, so a concern a member raised is refused here.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn forget_visitor_raiser(
    state: &App,
    who: &Identity,
    id: i64,
    ip: &str,
    t: i64,
) -> Result<()> {
    lead(who)?;
    let mut tx = state.store.begin().await?;
    let concern = store::concern(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("concern"))?;
    if concern.raised_by.is_some() {
        return conflict(
            ErrorCode::NotAllowedNow,
            "A member raised this concern. Their name goes when they ask to be forgotten.",
        );
    }
    if concern.raised_by_name.is_empty() && concern.raiser_contact.is_empty() {
        // Already removed: nothing more to do, and nothing more to record.
        return Ok(());
    }
    store::forget_visitor_raiser(&mut tx, id).await?;
    if concern.closed_at.is_none() {
        store::add_action(
            &mut tx,
            id,
            who.user.id,
            &who.user.display_name,
            "action",
            "At their request, the name and way back of the person who raised this were removed.",
            t,
        )
        .await?;
    }
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::ConcernActioned,
        &format!("concern {id}: the name and way back of who raised it removed"),
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    if let Err(e) = village_store::people::scrub(&state.store).await {
        tracing::warn!(error = %e, "could not clear freed space after removing a raiser's details");
    }
    Ok(())
}

/// A hub admin makes someone a safeguarding lead, or stops them being one.
#[tracing::instrument(skip_all, fields(actor = admin.user.id, user_id))]
pub async fn set_lead(
    state: &App,
    admin: &Identity,
    user_id: i64,
    on: bool,
    ip: &str,
    t: i64,
) -> Result<()> {
    access::check(&admin.actor(), Action::SetSafeguardingLead).map_err(|_| Error::Forbidden)?;
    let mut tx = state.store.begin().await?;
    if !account_store::set_safeguarding_lead(&mut tx, user_id, on, t).await? {
        return Err(Error::NotFound("concern"));
    }
    record(
        &mut tx,
        Some(admin.user.id),
        Some(user_id),
        AuditAction::SafeguardingLeadChanged,
        if on {
            "now a safeguarding lead"
        } else {
            "no longer a safeguarding lead"
        },
        Some(ip),
        t,
    )
    .await?;
    tx.commit().await?;
    state.sessions.changed(&state.store);
    Ok(())
}

/// Make the person with this email address a safeguarding lead, or no longer one (the admin's
/// form names people by email). An address nobody has joined with is a field error.
#[tracing::instrument(skip_all, fields(actor = admin.user.id))]
pub async fn set_lead_by_email(
    state: &App,
    admin: &Identity,
    email: &str,
    on: bool,
    ip: &str,
    t: i64,
) -> Result<()> {
    access::check(&admin.actor(), Action::SetSafeguardingLead).map_err(|_| Error::Forbidden)?;
    let email = Email::parse(email)?;
    let mut c = state.store.conn().await?;
    let Some(person) = account_store::user_by_email(&mut c, email.as_str()).await? else {
        return Err(FieldError::new(
            "email",
            ErrorCode::AccountNotFound,
            "Nobody with that email address has joined this hub.",
        )
        .into());
    };
    drop(c);
    set_lead(state, admin, person.id, on, ip, t).await
}

/// The hub's safeguarding leads (id, name, email), for the hub admins who choose them.
#[tracing::instrument(skip_all, fields(actor = admin.user.id))]
pub async fn leads(state: &App, admin: &Identity) -> Result<Vec<(i64, String, String)>> {
    access::check(&admin.actor(), Action::SetSafeguardingLead).map_err(|_| Error::Forbidden)?;
    let mut c = state.store.conn().await?;
    Ok(account_store::safeguarding_leads(&mut c).await?)
}

/// Who a new concern is about, in words, when the form was opened from a member's or a
/// group's page; empty when neither is known.
/// Opened from a match page, it is about the match (in the words the one raising it sees),
/// for someone who may attach it.
#[tracing::instrument(skip_all, fields(person = ?person))]
pub async fn about_words(
    state: &App,
    who: Option<&Identity>,
    person: Option<i64>,
    group: Option<&str>,
    help_match: Option<i64>,
) -> Result<String> {
    if let (Some(id), Some(who)) = (help_match, who) {
        return Ok(crate::mutual_aid::concern_about(state, who, id, None)
            .await?
            .map(|m| m.seen_as)
            .unwrap_or_default());
    }
    Ok(match (person, group) {
        (Some(id), _) => {
            let mut c = state.store.conn().await?;
            account_store::user_by_id(&mut c, id)
                .await?
                .map(|u| u.display_name)
                .unwrap_or_default()
        }
        (None, Some(org)) => group_name(state, org).await?.unwrap_or_default(),
        (None, None) => String::new(),
    })
}
