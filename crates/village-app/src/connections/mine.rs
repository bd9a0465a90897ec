//! What is the person's own in connections: their choices about suggestions, their
//! introductions and notices, everything for "your information", and (for a connector) what
//! to do next for each person who chose them.

use super::checkins::{to_out, CheckinOut};
use super::shortlists::{shortlist_out, ShortlistOut};
use crate::accounts::Identity;
use crate::{App, Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_domain::access::people::Relationship;
use village_domain::audit::AuditAction;
use village_domain::connections::introduction::{Action, State as IntroState};
use village_domain::connections::matching::Preferences;
use village_store::connections::{self as store, IntroductionRow, NotificationRow};
use village_store::people as people_store;

/// Your choices about suggestions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PreferencesBody {
    /// Prefer groups led by people with lived experience.
    pub lived_experience: bool,
    /// Prefer things that cost nothing.
    pub free: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntroductionPerson {
    /// Absent in the group's view.
    pub id: Option<i64>,
    /// The whole name for the person and their connector; the first name for the group.
    pub name: String,
    /// How to reach them (while the introduction is open to the group).
    pub contact: String,
    /// Their `support` words, when they chose to share them with the group.
    pub support: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntroductionEventOut {
    pub action: String,
    /// Who did it (absent in the group's view).
    pub by: Option<String>,
    pub from: Option<String>,
    pub to: String,
    pub reason: String,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntroductionOut {
    pub id: i64,
    pub offer_id: String,
    pub offer_name: String,
    pub organization_id: Option<String>,
    /// `requested`, `sent`, `accepted`, `declined`, `met`, `going_well`, `stopped` or
    /// `withdrawn`.
    pub state: IntroState,
    pub person: IntroductionPerson,
    pub share_support: bool,
    pub message: String,
    /// The reason given when it was declined, stopped or withdrawn.
    pub reason: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
    pub events: Vec<IntroductionEventOut>,
    /// What the caller can do now.
    pub actions: Vec<Action>,
}

pub fn out(
    row: IntroductionRow,
    events: Vec<IntroductionEventOut>,
    actions: Vec<Action>,
    group_only: bool,
) -> IntroductionOut {
    IntroductionOut {
        id: row.id,
        offer_id: row.service_id,
        offer_name: row.offer_name,
        organization_id: row.organization_id,
        state: row.state,
        person: IntroductionPerson {
            id: (!group_only).then_some(row.person_id),
            name: row.person_name,
            contact: if row.contact.is_empty() && !group_only {
                row.person_email
            } else {
                row.contact
            },
            support: (row.share_support && !row.support_text.is_empty())
                .then_some(row.support_text),
        },
        share_support: row.share_support,
        message: row.message,
        reason: row.reason,
        created_at: row.created_at,
        updated_at: row.updated_at,
        sent_at: row.sent_at,
        events,
        actions,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    pub id: i64,
    pub body: String,
    pub link: String,
    pub at: i64,
    pub read: bool,
}

/// The person's choices about suggestions.
pub async fn preferences(state: &App, who: &Identity) -> Result<Preferences> {
    let mut c = state.store.conn().await?;
    Ok(store::preferences(&mut c, who.user.id).await?)
}

/// The choices about suggestions of someone who chose `who` as their connector (or their own).
pub async fn preferences_of(state: &App, who: &Identity, person: i64) -> Result<Preferences> {
    let mut c = state.store.conn().await?;
    if person != who.user.id
        && people_store::as_connector(&mut c, person, who.user.id).await? != Relationship::Connector
    {
        return Err(Error::NotFound("person"));
    }
    Ok(store::preferences(&mut c, person).await?)
}

/// Change the person's choices about suggestions.
pub async fn set_preferences(state: &App, who: &Identity, p: Preferences) -> Result<()> {
    let mut c = state.store.conn().await?;
    Ok(store::set_preferences(&mut c, who.user.id, p).await?)
}

/// The person's introductions, newest first.
pub async fn my_introductions(state: &App, who: &Identity) -> Result<Vec<IntroductionRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::introductions_of_person(&mut c, who.user.id).await?)
}

/// The person's notices, newest first (at most `limit`).
pub async fn notices(state: &App, who: &Identity, limit: i64) -> Result<Vec<NotificationRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::notifications(&mut c, who.user.id, limit).await?)
}

/// The person's notices, newest first (at most `limit`), all marked read as they are shown.
pub async fn read_notices(
    state: &App,
    who: &Identity,
    limit: i64,
    t: i64,
) -> Result<Vec<NotificationRow>> {
    let mut c = state.store.conn().await?;
    let rows = store::notifications(&mut c, who.user.id, limit).await?;
    store::read_notifications(&mut c, who.user.id, t).await?;
    Ok(rows)
}

// ---- In "download my data" -----------------------------------------------------------------

/// Everything about connections that belongs to the person, for their export.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionsExport {
    /// Offers saved or dismissed: `[{"offer_id", "offer_name", "mark", "reason", "at"}]`
    /// (`offer_name` is null once the offer has left the directory).
    #[schema(value_type = Vec<Object>)]
    pub suggestion_marks: Vec<serde_json::Value>,
    pub suggestion_preferences: PreferencesBody,
    pub introductions: Vec<IntroductionOut>,
    pub shortlists: Vec<ShortlistOut>,
    pub check_ins: Vec<CheckinOut>,
    pub notifications: Vec<NotificationOut>,
}

impl ConnectionsExport {
    /// Plain lines for the readable page.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for i in &self.introductions {
            out.push(format!(
                "Introduction to {}: {}",
                i.offer_name,
                i.state.words()
            ));
        }
        for m in &self.suggestion_marks {
            let offer = m["offer_name"]
                .as_str()
                .unwrap_or("an offer no longer in the directory");
            let mark = match m["mark"].as_str() {
                Some("saved") => "saved",
                Some("dismissed") => "put aside",
                _ => "marked",
            };
            out.push(format!("Idea {mark}: {offer}"));
        }
        for s in &self.shortlists {
            let items: Vec<String> = s.items.iter().map(|i| i.offer_name.clone()).collect();
            out.push(format!("Shortlist “{}”: {}", s.title, items.join(", ")));
        }
        for c in &self.check_ins {
            let scores: Vec<String> = c
                .answers
                .scores()
                .iter()
                .map(|s| s.map_or_else(|| "-".to_string(), |v| v.to_string()))
                .collect();
            out.push(format!(
                "Check-in, {}: {}{}",
                c.moment.words().to_lowercase(),
                scores.join(", "),
                if c.answers.changed.is_empty() {
                    String::new()
                } else {
                    format!(": “{}”", c.answers.changed)
                }
            ));
        }
        out
    }
}

pub async fn export_of(
    db: &mut impl village_store::Db,
    user_id: i64,
) -> Result<ConnectionsExport, village_store::StoreError> {
    let marks = store::marks(db, user_id)
        .await?
        .into_iter()
        .map(|m| serde_json::json!({"offer_id": m.service_id, "offer_name": m.offer_name, "mark": m.mark, "reason": m.reason, "at": m.at}))
        .collect();
    let p = store::preferences(db, user_id).await?;
    let mut introductions = Vec::new();
    for row in store::introductions_of_person(db, user_id).await? {
        let events = store::events(db, row.id)
            .await?
            .into_iter()
            .map(|e| IntroductionEventOut {
                action: e.action,
                by: e.actor_name,
                from: e.from_state,
                to: e.to_state,
                reason: e.reason,
                at: e.at,
            })
            .collect();
        introductions.push(out(row, events, Vec::new(), false));
    }
    let mut shortlists = Vec::new();
    for s in store::shortlists_of(db, user_id, None).await? {
        shortlists.push(shortlist_out(db, s).await.map_err(|e| match e {
            Error::Store(s) => s,
            _ => village_store::StoreError::Invalid("shortlist".into()),
        })?);
    }
    let notifications = store::notifications(db, user_id, i64::MAX)
        .await?
        .into_iter()
        .map(|n| NotificationOut {
            id: n.id,
            body: n.body,
            link: n.link,
            at: n.at,
            read: n.read_at.is_some(),
        })
        .collect();
    Ok(ConnectionsExport {
        suggestion_marks: marks,
        suggestion_preferences: PreferencesBody {
            lived_experience: p.lived_experience,
            free: p.free,
        },
        introductions,
        shortlists,
        check_ins: to_out(store::checkins(db, user_id).await?),
        notifications,
    })
}

// ---- The connector's list ------------------------------------------------------------------

/// What a connector needs to know next about one person who chose them: the next steps from
/// their latest note, introductions in progress, groups that have not answered, shortlists not
/// yet shared. Reading it is a look at the person's information, audited for each of them.
pub async fn next_for(
    state: &App,
    connector: &Identity,
    people: &[i64],
    ip: &str,
    t: i64,
) -> Result<std::collections::HashMap<i64, Vec<String>>, village_store::StoreError> {
    use village_domain::connections::introduction::{first_name, State, NUDGE_AFTER_SECS};
    let mut c = state.store.conn().await?;
    let mut out = std::collections::HashMap::new();
    let mut looks = Vec::new();
    for &person in people {
        if people_store::as_connector(&mut c, person, connector.user.id).await?
            != Relationship::Connector
        {
            continue;
        }
        let mut lines = Vec::new();
        if let Some(note) = people_store::conversations(&mut c, person, Some(connector.user.id))
            .await?
            .into_iter()
            .max_by_key(|n| (n.happened_on.clone(), n.id))
        {
            if !note.next_steps.is_empty() {
                lines.push(format!(
                    "Next steps you agreed on {}: {}",
                    village_domain::dates::day(&note.happened_on),
                    note.next_steps
                ));
            }
        }
        for i in store::introductions_of_person(&mut c, person).await? {
            let s = i.state;
            if s.ended() {
                continue;
            }
            let waiting_days = i.sent_at.map(|at| (t - at) / 86_400);
            let line = match (s, waiting_days) {
                (State::Sent, Some(d)) if t - i.sent_at.unwrap_or(t) >= NUDGE_AFTER_SECS => {
                    format!(
                        "{} has not answered about {} for {d} days: a nudge is due",
                        i.offer_name,
                        first_name(&i.person_name)
                    )
                }
                (State::Requested, _) if i.requested_by != Some(person) => {
                    format!(
                        "Waiting for them to send the introduction to {}",
                        i.offer_name
                    )
                }
                _ => format!(
                    "Introduction to {}: {}",
                    i.offer_name,
                    s.words().to_lowercase()
                ),
            };
            lines.push(line);
        }
        for s in store::shortlists_of(&mut c, person, Some(connector.user.id)).await? {
            if s.shared_at.is_none() {
                lines.push(format!("Shortlist “{}” not shared yet", s.title));
            }
        }
        if !lines.is_empty() {
            looks.push(village_domain::audit::AuditEvent {
                at: t,
                actor: Some(connector.user.id),
                subject: Some(person),
                action: AuditAction::PersonalDataViewed,
                detail: "next steps and introductions (people you walk alongside)".into(),
                ip: Some(ip.to_string()),
            });
        }
        out.insert(person, lines);
    }
    if !looks.is_empty() {
        let refs: Vec<&village_domain::audit::AuditEvent> = looks.iter().collect();
        village_store::audit::record_many(&mut c, &refs).await?;
    }
    Ok(out)
}
