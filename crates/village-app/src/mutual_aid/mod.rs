//! Mutual aid: neighbours ask for and offer help on one board (`posts`), and someone who
//! answers a post starts a match with the one who posted (`matches`): short messages through
//! the hub, and contact details shared only once both say yes. Help in someone's home or
//! personal care waits for the `safety` checks a steward records. Pages and the API
//! (`village_web::mutual_aid`) call the functions here.

mod board;
mod coordinate;
mod credits;
mod digest;
mod matches;
mod mine;
mod posts;
mod safety;

pub use board::*;
pub use coordinate::*;
pub use credits::*;
pub use digest::*;
pub use matches::*;
pub use mine::*;
pub use posts::*;
pub use safety::*;

use crate::error::{Error, Result};
use crate::App;
use village_domain::error::{ErrorCode, FieldError};
use village_domain::mutual_aid::contact;

/// Refuse words that would give someone's contact details away before both said yes.
pub(crate) fn no_contact_details(field: &'static str, text: &str) -> Result<(), FieldError> {
    match contact::find(text) {
        None => Ok(()),
        Some(found) => Err(FieldError::new(
            field,
            ErrorCode::ContactTooSoon,
            format!(
                "This looks like it has {} in it. To keep everyone safe, contact details are only shared once you both say yes. Please take it out.",
                found.words()
            ),
        )),
    }
}

/// Tell someone by email, after the change that they are told about has been saved.
pub(crate) async fn email_user(state: &App, user_id: i64, subject: &str, body: &str) {
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
            tracing::warn!(error = %e, "could not send an email about mutual aid");
        }
    }
}

/// Not there, or not for this person to see.
pub(crate) fn not_found() -> Error {
    Error::NotFound("post or match")
}
