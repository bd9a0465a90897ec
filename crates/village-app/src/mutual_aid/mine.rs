//! A member's mutual aid, for "Your information": their phone number, their posts, the
//! matches they are in with every message, time given and received, their time account's
//! entries and their safety checks.

use super::*;
use serde::Serialize;
use utoipa::ToSchema;
use village_domain::mutual_aid::credits::{minutes_words, ExchangeState};
use village_domain::mutual_aid::matches::State as MatchState;
use village_domain::mutual_aid::post::{PostState, When};
use village_domain::mutual_aid::safety::Mark;
use village_store::mutual_aid as store;
use village_store::Db;

#[derive(Debug, Serialize, ToSchema)]
pub struct PostExport {
    pub id: i64,
    pub kind: String,
    pub category: String,
    pub title: String,
    pub details: String,
    pub when: String,
    pub area: String,
    pub urgency: String,
    pub state: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Typed in for you by a coordinator: their name, and how you agreed.
    pub typed_by: Option<String>,
    pub agreed: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageExport {
    pub by: String,
    pub typed_by: Option<String>,
    pub body: String,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchExport {
    pub id: i64,
    pub post_title: String,
    /// `poster` or `responder`.
    pub role: String,
    pub with: String,
    pub state: String,
    /// What you chose to share once both said yes.
    pub you_share_email: bool,
    pub you_share_phone: bool,
    pub created_at: i64,
    pub messages: Vec<MessageExport>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeExport {
    pub id: i64,
    pub match_id: Option<i64>,
    pub giver: Option<String>,
    pub receiver: Option<String>,
    pub minutes: i64,
    pub note: String,
    pub state: String,
    pub recorded_at: i64,
    /// Why one of the two asked for it to be taken back (empty when nobody asked).
    pub take_back_why: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryExport {
    pub minutes: i64,
    pub kind: String,
    /// A member's name, `the community pot`, or `a former member`.
    pub with: String,
    pub at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkExport {
    pub mark: String,
    pub seen_on: String,
    pub expires_on: Option<String>,
    pub seen_by: Option<String>,
}

/// Everything of a member's mutual aid.
#[derive(Debug, Serialize, ToSchema)]
pub struct MutualAidExport {
    /// The phone number on the account ('' when none).
    pub phone: String,
    pub posts: Vec<PostExport>,
    pub matches: Vec<MatchExport>,
    pub time_given_and_received: Vec<ExchangeExport>,
    pub time_account: Vec<EntryExport>,
    pub safety_checks: Vec<MarkExport>,
    /// Where the weekly email of help near you is about, if you asked for it.
    pub weekly_email_area: Option<String>,
}

impl MutualAidExport {
    /// Plain lines for the readable page.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.phone.is_empty() {
            out.push(format!("Your phone number: {}", self.phone));
        }
        for p in &self.posts {
            let state = PostState::parse(&p.state).map_or("", PostState::words);
            out.push(format!("You posted \"{}\" ({state})", p.title));
        }
        for m in &self.matches {
            out.push(format!(
                "Help with {} about \"{}\": {}, {} messages",
                m.with,
                m.post_title,
                MatchState::parse(&m.state).map_or("", MatchState::words),
                m.messages.len()
            ));
        }
        for x in &self.time_given_and_received {
            out.push(format!(
                "{} gave {} to {}: {}",
                x.giver.as_deref().unwrap_or("A former member"),
                minutes_words(x.minutes),
                x.receiver.as_deref().unwrap_or("a former member"),
                ExchangeState::parse(&x.state).map_or("", ExchangeState::words)
            ));
            if !x.take_back_why.is_empty() {
                out.push(format!(
                    "Asked to be taken back, because: {}",
                    x.take_back_why
                ));
            }
        }
        if !self.time_account.is_empty() {
            out.push(format!(
                "Your time account has {} entries",
                self.time_account.len()
            ));
        }
        if let Some(area) = &self.weekly_email_area {
            out.push(format!("A weekly email of help near {area}"));
        }
        for k in &self.safety_checks {
            out.push(format!(
                "Safety check: {}, seen on {}",
                Mark::parse(&k.mark).map_or("", Mark::words),
                village_domain::dates::day(&k.seen_on)
            ));
        }
        out
    }
}

/// Gather a member's mutual aid.
pub async fn export_of(db: &mut impl Db, user_id: i64) -> Result<MutualAidExport> {
    let phone = village_store::accounts::phone_of(db, user_id).await?;
    let posts = store::posts_of(db, user_id)
        .await?
        .into_iter()
        .map(|p| PostExport {
            id: p.id,
            kind: p.kind.code().into(),
            category: p.category.code().into(),
            when: When::from_stored(p.when_from.as_deref(), p.when_to.as_deref()).code(),
            title: p.title,
            details: p.details,
            area: p.area,
            urgency: p.urgency.code().into(),
            state: p.state.code().into(),
            created_at: p.created_at,
            expires_at: p.expires_at,
            typed_by: p.posted_by_name,
            agreed: p.agreed_how,
        })
        .collect();
    let mut matches = Vec::new();
    for m in store::matches_of(db, user_id).await? {
        let poster = m.author_id == user_id;
        let messages = store::messages(db, m.id)
            .await?
            .into_iter()
            .map(|x| MessageExport {
                by: x.author_name,
                typed_by: x.typed_by_name,
                body: x.body,
                at: x.at,
            })
            .collect();
        matches.push(MatchExport {
            id: m.id,
            role: if poster { "poster" } else { "responder" }.into(),
            with: if poster {
                m.responder_name.clone()
            } else {
                m.author_name.clone()
            },
            state: m.state.code().into(),
            you_share_email: if poster {
                m.poster_email
            } else {
                m.responder_email
            },
            you_share_phone: if poster {
                m.poster_phone
            } else {
                m.responder_phone
            },
            created_at: m.created_at,
            post_title: m.title,
            messages,
        });
    }
    let exchanges = store::exchanges_of_member(db, user_id)
        .await?
        .into_iter()
        .map(|x| ExchangeExport {
            id: x.id,
            match_id: x.match_id,
            giver: x.giver_name,
            receiver: x.receiver_name,
            minutes: x.minutes,
            note: x.note,
            state: x.state.code().into(),
            recorded_at: x.recorded_at,
            take_back_why: x.take_back_why,
        })
        .collect();
    let entries = store::entries_of(db, user_id, i64::MAX)
        .await?
        .into_iter()
        .map(|e| EntryExport {
            minutes: e.minutes,
            kind: e.kind,
            with: entry_with(e.other_name.as_deref(), e.other_pot),
            at: e.at,
        })
        .collect();
    let marks = store::marks_of(db, user_id)
        .await?
        .into_iter()
        .map(|k| MarkExport {
            mark: k.mark.code().into(),
            seen_on: k.seen_on,
            expires_on: k.expires_on,
            seen_by: k.seen_by_name,
        })
        .collect();
    Ok(MutualAidExport {
        phone,
        posts,
        matches,
        time_given_and_received: exchanges,
        time_account: entries,
        safety_checks: marks,
        weekly_email_area: store::digest_of(db, user_id).await?.map(|d| d.area),
    })
}
