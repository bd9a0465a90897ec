//! Who is asking: the signed-in person for this request and how they proved it. Every use
//! case takes one; the access rules read it as an `Actor`.

use village_domain::access::{self, Action, Actor};
use village_store::accounts::UserRow;

/// How the current person proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    Session { token_hash: String },
    ApiToken { id: i64 },
}

/// The signed-in person for this request, found once per request by the web layer.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: UserRow,
    pub via: Via,
}

impl Identity {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id,
            role: self.user.role(),
            safeguarding_lead: self.user.safeguarding_lead,
        }
    }

    /// Whether the access rules let this person do `action` (their role alone decides).
    pub fn may(&self, action: Action) -> bool {
        access::check(&self.actor(), action).is_ok()
    }

    pub fn session_hash(&self) -> Option<&str> {
        match &self.via {
            Via::Session { token_hash } => Some(token_hash),
            Via::ApiToken { .. } => None,
        }
    }
}
