//! Mutual aid: `posts` on the board (asks and offers, nearest and newest first) and the
//! `matches` between the one who posted and someone who answered, with their messages and
//! history, and the `safety` marks stewards record about helpers.

mod credits;
mod digest;
mod matches;
mod posts;
mod safety;

pub use credits::*;
pub use digest::*;
pub use matches::*;
pub use posts::*;
pub use safety::*;

use crate::{Db, Result};
use village_domain::mutual_aid::matches::Agreed;
use village_domain::Timestamp;

/// Who typed something in for a member (a coordinator), and how the member agreed to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proxy {
    pub by: i64,
    pub agreed: Agreed,
}

/// A person's mutual aid, before their account is deleted: their posts, the matches they
/// were in with their messages and history, the notices others were sent about those
/// matches (which name them), and the notes on time given with them. Removed here in order,
/// rather than left to the account's cascades, because PostgreSQL checks each cascade's
/// step on its own and an exchange would point for a moment at a match already gone. Their
/// ledger entries stay, losing their name with the account, so every other balance holds.
pub async fn forget(db: &mut impl Db, user_id: i64) -> Result<()> {
    const THEIR_MATCHES: &str =
        "SELECT m.id FROM help_matches m JOIN help_posts p ON p.id = m.post_id \
        WHERE m.responder_id = $1 OR p.author_id = $1";
    let steps = [
        "UPDATE help_exchanges SET note = '', take_back_why = '' WHERE giver_id = $1 OR receiver_id = $1".to_string(),
        format!("UPDATE help_exchanges SET match_id = NULL WHERE match_id IN ({THEIR_MATCHES})"),
        format!(
            "DELETE FROM notifications WHERE link IN (SELECT '/help/matches/' || CAST(t.id AS TEXT) FROM ({THEIR_MATCHES}) t)"
        ),
        format!("DELETE FROM help_messages WHERE match_id IN ({THEIR_MATCHES}) OR author_id = $1"),
        format!("DELETE FROM help_match_events WHERE match_id IN ({THEIR_MATCHES})"),
        "UPDATE help_match_events SET actor_id = NULL WHERE actor_id = $1".to_string(),
        "UPDATE help_match_events SET for_id = NULL WHERE for_id = $1".to_string(),
        "UPDATE help_messages SET typed_by = NULL WHERE typed_by = $1".to_string(),
        "UPDATE help_posts SET posted_by = NULL WHERE posted_by = $1".to_string(),
        format!("DELETE FROM help_matches WHERE id IN ({THEIR_MATCHES})"),
        "DELETE FROM help_posts WHERE author_id = $1".to_string(),
        "DELETE FROM safety_marks WHERE user_id = $1".to_string(),
        "DELETE FROM help_digests WHERE user_id = $1".to_string(),
        "DELETE FROM help_waiting_notices WHERE user_id = $1".to_string(),
        "UPDATE safety_marks SET seen_by = NULL WHERE seen_by = $1".to_string(),
    ];
    for sql in steps {
        query!(db, c => sqlx::query(&sql).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
