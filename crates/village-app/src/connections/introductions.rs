//! Introductions on the person's terms, from "suggested" to "going well"; groups answer;
//! everyone involved is told (notices and email), and unanswered ones are followed up.

use super::ideas::parse;
use super::{Error, Requested, Result};
use crate::accounts::Identity;
use crate::audit::record;
use crate::people::check_text;
use crate::App;
use village_domain::access::connections::{self as steps, Parties};
use village_domain::access::people::Relationship;
use village_domain::access::{self, Action as HubAction};
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::connections::introduction::{self as intro, Action, State};
use village_domain::error::ErrorCode;
use village_domain::people::Section;
use village_store::connections::{self as store, IntroductionRow};
use village_store::{directory as dir_store, people as people_store, Db, StoreError};

/// What the caller asks for when requesting an introduction.
#[derive(Debug, Clone, Default)]
pub struct IntroductionRequest {
    pub offer_id: String,
    /// For a connector asking on behalf of someone who chose them.
    pub person_id: Option<i64>,
    pub share_support: bool,
    /// How the group can reach the person (their email when left empty).
    pub contact: String,
    /// A few words to the group.
    pub message: String,
}

/// How `who` stands to an introduction.
async fn parties(
    db: &mut impl Db,
    who: &Identity,
    i: &IntroductionRow,
) -> Result<Parties, StoreError> {
    let person = who.user.id == i.person_id;
    let connector = !person
        && people_store::as_connector(db, i.person_id, who.user.id).await?
            == Relationship::Connector;
    let organiser = match &i.organization_id {
        Some(org) => dir_store::is_organiser(db, org, who.user.id).await?,
        None => false,
    } || access::check(&who.actor(), HubAction::ReviewOffers).is_ok();
    Ok(Parties {
        person,
        connector,
        organiser,
    })
}

/// Ask for an introduction: the person for themself, or a connector they chose for them (who
/// then waits for the person to send it: that is their agreement).
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn request(
    state: &App,
    who: &Identity,
    r: &IntroductionRequest,
    ip: &str,
    t: i64,
) -> Result<Requested> {
    let person_id = r.person_id.unwrap_or(who.user.id);
    let contact = check_text("contact", &r.contact, false, 200)?;
    let message = check_text("message", &r.message, false, 1_000)?;
    let mut tx = state.store.begin().await?;
    if person_id != who.user.id
        && people_store::as_connector(&mut tx, person_id, who.user.id).await?
            != Relationship::Connector
    {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    let contact = if contact.is_empty() {
        // How the group reaches them unless they say otherwise: the account's email.
        village_store::accounts::user_by_id(&mut tx, person_id)
            .await?
            .map(|u| u.email)
            .unwrap_or_default()
    } else {
        contact
    };
    let Some(index) = dir_store::service_doc(&mut tx, &r.offer_id, true)
        .await?
        .and_then(|d| parse(&d))
    else {
        return Err(FieldError::new(
            "offer_id",
            ErrorCode::OfferUnknown,
            "There is no listed offer with that id.",
        )
        .into());
    };
    if let Some(open) = store::introductions_of_person(&mut tx, person_id)
        .await?
        .into_iter()
        .find(|i| i.service_id == index.id && !i.state.ended())
    {
        return Ok(Requested::AlreadyOpen(open.id));
    }
    let id = store::create_introduction(
        &mut tx,
        &store::NewIntroduction {
            person_id,
            service_id: &index.id,
            organization_id: index.organization_id.as_deref(),
            offer_name: &index.name,
            requested_by: who.user.id,
            share_support: r.share_support,
            contact: &contact,
            message: &message,
        },
        t,
    )
    .await?;
    record(
        &mut tx,
        Some(who.user.id),
        Some(person_id),
        AuditAction::IntroductionChanged,
        &format!("introduction {id} to {}: requested", index.id),
        Some(ip),
        t,
    )
    .await?;
    let link = format!("/introductions/{id}");
    if person_id != who.user.id {
        store::notify(
            &mut tx,
            person_id,
            &format!(
                "{} would like to introduce you to {}. It is only sent if you agree.",
                who.user.display_name, index.name
            ),
            &link,
            t,
        )
        .await?;
    }
    tx.commit().await?;
    if person_id != who.user.id {
        email_user(
            state,
            person_id,
            "An introduction is waiting for you",
            &format!(
                "{} would like to introduce you to {}. Nothing is sent to the group unless you agree. Have a look:\n\n{}\n",
                who.user.display_name,
                index.name,
                state.settings.link(&link)
            ),
        )
        .await;
    }
    Ok(Requested::New(id))
}

/// Move an introduction on. Every change is audited and tells the others involved, in the app
/// and by email.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn act(
    state: &App,
    who: &Identity,
    id: i64,
    action: Action,
    reason: &str,
    ip: &str,
    t: i64,
) -> Result<State> {
    let reason = check_text("reason", reason, false, 1_000)?;
    let mut tx = state.store.begin().await?;
    let Some(i) = store::introduction(&mut tx, id).await? else {
        return Err(Error::NotFound("person, offer or introduction"));
    };
    let p = parties(&mut tx, who, &i).await?;
    let group_only = !p.person && !p.connector;
    if !(p.person || p.connector || p.organiser) || (group_only && i.sent_at.is_none()) {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    let from = i.state;
    let requested_by_person = i.requested_by == Some(i.person_id);
    let to = steps::next(from, action, p, requested_by_person, &reason).map_err(super::refused)?;
    // What the group may see: the `support` words only if the person chose to share them
    // for this introduction, and nothing once it has ended.
    let support_text = if to == State::Sent {
        let words = if i.share_support {
            people_store::sections(&mut tx, i.person_id)
                .await?
                .into_iter()
                .find(|s| s.section == Section::Support)
                .map(|s| s.body)
                .unwrap_or_default()
        } else {
            String::new()
        };
        Some(words)
    } else if to.ended() {
        Some(String::new())
    } else {
        None
    };
    let moved = store::transition(
        &mut tx,
        &store::Transition {
            id,
            actor: who.user.id,
            action: action.code(),
            from: from.code(),
            to: to.code(),
            reason: &reason,
            support_text: support_text.as_deref(),
        },
        t,
    )
    .await?;
    if !moved {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "Someone else moved the introduction on just now. Look again.",
        );
    }
    record(
        &mut tx,
        Some(who.user.id),
        Some(i.person_id),
        AuditAction::IntroductionChanged,
        &format!(
            "introduction {id} to {}: {} → {}",
            i.service_id,
            from.code(),
            to.code()
        ),
        Some(ip),
        t,
    )
    .await?;
    let told = tell_others(&mut tx, state, who, &i, from, to, &reason, t).await?;
    tx.commit().await?;
    for (email, subject, body) in told {
        if let Err(e) = state.mailer.send(&email, &subject, body).await {
            tracing::warn!(error = %e, "could not email about an introduction");
        }
    }
    Ok(to)
}

/// The people to tell about a change (never the one who made it): the person, the connector
/// who asked for it, and the group's organisers once it has been sent. Notices are written in
/// the transaction; the emails are returned to send after it commits.
#[allow(clippy::too_many_arguments)]
async fn tell_others(
    tx: &mut impl Db,
    state: &App,
    who: &Identity,
    i: &IntroductionRow,
    from: State,
    to: State,
    reason: &str,
    t: i64,
) -> Result<Vec<(String, String, String)>, StoreError> {
    let mut ids: Vec<i64> = vec![i.person_id];
    if let Some(r) = i.requested_by {
        ids.push(r);
    }
    let group_knows = to.open_to_group() || from.open_to_group();
    if group_knows {
        if let Some(org) = &i.organization_id {
            ids.extend(dir_store::organisers_of(tx, org).await?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|u| *u != who.user.id);
    let first = intro::first_name(&i.person_name);
    let reason_words = if reason.is_empty() {
        String::new()
    } else {
        format!(" They said: “{reason}”")
    };
    let mut mails = Vec::new();
    for user in ids {
        let about = if user == i.person_id {
            "your introduction".to_string()
        } else {
            format!("the introduction of {first}")
        };
        let body = format!(
            "{} to {}: {}.{reason_words}",
            capitalise(&about),
            i.offer_name,
            to.words().to_lowercase()
        );
        let link = format!("/introductions/{}", i.id);
        store::notify(tx, user, &body, &link, t).await?;
        if let Some(u) = village_store::accounts::user_by_id(tx, user).await? {
            mails.push((
                u.email,
                format!("News about {about}"),
                format!(
                    "Hello {},\n\n{body}\n\nSee it here: {}\n",
                    u.display_name,
                    state.settings.link(&link)
                ),
            ));
        }
    }
    Ok(mails)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

async fn email_user(state: &App, user_id: i64, subject: &str, body: &str) {
    let found = match state.store.conn().await {
        Ok(mut c) => village_store::accounts::user_by_id(&mut c, user_id)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    if let Some(u) = found {
        let text = format!("Hello {},\n\n{body}", u.display_name);
        if let Err(e) = state.mailer.send(&u.email, subject, text).await {
            tracing::warn!(error = %e, "could not send an email");
        }
    }
}

/// One introduction as the caller may see it: everything for the person and their connector;
/// for the group, only the minimum (first name, how to reach them, what they chose to share,
/// and only while it is open to the group). Looks by anyone but the person are audited.
#[derive(Debug, Clone)]
pub struct Seen {
    pub row: IntroductionRow,
    pub parties: Parties,
    pub events: Vec<store::EventRow>,
    pub actions: Vec<Action>,
}

impl Seen {
    /// The group's view: nothing beyond the minimum.
    pub fn group_only(&self) -> bool {
        !self.parties.person && !self.parties.connector
    }
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn view(state: &App, who: &Identity, id: i64, ip: &str, t: i64) -> Result<Seen> {
    let mut c = state.store.conn().await?;
    let Some(mut row) = store::introduction(&mut c, id).await? else {
        return Err(Error::NotFound("person, offer or introduction"));
    };
    let p = parties(&mut c, who, &row).await?;
    let state_now = row.state;
    let group_only = !p.person && !p.connector;
    if !(p.person || p.connector || p.organiser) || (group_only && row.sent_at.is_none()) {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    let mut events = store::events(&mut c, id).await?;
    if group_only {
        minimise(&mut row, state_now);
        // The group sees when things happened, not who else was involved.
        for e in &mut events {
            e.actor_name = None;
        }
        events.retain(|e| e.action != "request");
    }
    if !p.person {
        record(
            &mut c,
            Some(who.user.id),
            Some(row.person_id),
            AuditAction::IntroductionViewed,
            &format!("introduction {id}"),
            Some(ip),
            t,
        )
        .await?;
    }
    let actions = steps::available(state_now, p, row.requested_by == Some(row.person_id));
    Ok(Seen {
        row,
        parties: p,
        events,
        actions,
    })
}

/// Strip an introduction down to what a group may see.
fn minimise(row: &mut IntroductionRow, s: State) {
    row.person_name = intro::first_name(&row.person_name);
    row.person_email.clear();
    row.requested_by = None;
    if !s.open_to_group() {
        row.contact.clear();
        row.message.clear();
        row.support_text.clear();
    }
}

/// A group's inbox, for its organisers (and stewards): introductions sent to its
/// offers, each with only the minimum. The look is audited for each person in it.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn inbox(
    state: &App,
    who: &Identity,
    organization_id: &str,
    ip: &str,
    t: i64,
) -> Result<Vec<IntroductionRow>> {
    let mut c = state.store.conn().await?;
    let allowed = dir_store::is_organiser(&mut c, organization_id, who.user.id).await?
        || access::check(&who.actor(), HubAction::ReviewOffers).is_ok();
    if !allowed {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    let mut rows = store::introductions_to_organization(&mut c, organization_id).await?;
    let mut events = Vec::new();
    for r in &mut rows {
        let s = r.state;
        events.push(village_domain::audit::AuditEvent {
            at: t,
            actor: Some(who.user.id),
            subject: Some(r.person_id),
            action: AuditAction::IntroductionViewed,
            detail: format!("introduction {} in the inbox of {organization_id}", r.id),
            ip: Some(ip.to_string()),
        });
        minimise(r, s);
    }
    if !events.is_empty() {
        let refs: Vec<&village_domain::audit::AuditEvent> = events.iter().collect();
        village_store::audit::record_many(&mut c, &refs).await?;
    }
    Ok(rows)
}

/// Remind groups that have not answered for 7 days, and after 14 tell the person's connectors.
/// Run every hour by the server; each introduction is reminded once and passed on once.
#[tracing::instrument(skip_all)]
pub async fn follow_up(state: &App, t: i64) -> Result<(usize, usize), StoreError> {
    let mut mails = Vec::new();
    let mut tx = state.store.begin().await?;
    let nudge = store::unanswered(&mut tx, "nudged_at", t - intro::NUDGE_AFTER_SECS).await?;
    let mut nudged = 0;
    for i in &nudge {
        if !store::mark_followed_up(&mut tx, i.id, "nudged_at", t).await? {
            continue;
        }
        nudged += 1;
        let link = format!("/introductions/{}", i.id);
        let body = format!(
            "{} asked to be introduced to {} a week ago and is waiting to hear. Please say yes or no.",
            intro::first_name(&i.person_name),
            i.offer_name
        );
        let mut to = match &i.organization_id {
            Some(org) => dir_store::organisers_of(&mut tx, org).await?,
            None => Vec::new(),
        };
        if to.is_empty() {
            // No organiser has claimed the group yet: the stewards pass it on.
            to = village_store::accounts::users_with_roles(&mut tx, &["steward", "hub_admin"])
                .await?;
        }
        for u in to {
            store::notify(&mut tx, u, &body, &link, t).await?;
            mails.push((
                u,
                "An introduction is waiting for an answer".to_string(),
                format!("{body}\n\n{}\n", state.settings.link(&link)),
            ));
        }
    }
    let escalate = store::unanswered(
        &mut tx,
        "escalated_at",
        t - intro::TELL_CONNECTOR_AFTER_SECS,
    )
    .await?;
    let mut passed_on = 0;
    for i in &escalate {
        if !store::mark_followed_up(&mut tx, i.id, "escalated_at", t).await? {
            continue;
        }
        passed_on += 1;
        let link = format!("/introductions/{}", i.id);
        let body = format!(
            "{} has waited two weeks to hear from {} about an introduction. You may want to get in touch with them.",
            i.person_name, i.offer_name
        );
        for k in people_store::connectors_of(&mut tx, i.person_id).await? {
            if k.status == "accepted" {
                store::notify(&mut tx, k.connector_id, &body, &link, t).await?;
                mails.push((
                    k.connector_id,
                    "Someone you walk alongside is waiting to hear".to_string(),
                    format!("{body}\n\n{}\n", state.settings.link(&link)),
                ));
            }
        }
    }
    tx.commit().await?;
    for (user, subject, body) in mails {
        email_user(state, user, &subject, &body).await;
    }
    Ok((nudged, passed_on))
}

/// Run [`follow_up`] every hour while the server runs (several processes may: each
/// introduction is marked in the same transaction that tells people, so a second process
/// finds nothing left to do).
#[tracing::instrument(skip_all)]
pub async fn follow_up_forever(state: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match follow_up(&state, crate::now()).await {
            Ok((0, 0)) => {}
            Ok((nudged, passed_on)) => {
                tracing::info!(
                    nudged,
                    passed_on,
                    "introductions waiting for an answer followed up"
                );
            }
            Err(e) => tracing::warn!(error = %e, "could not follow up introductions"),
        }
    }
}
