//! Stories: people tell what happened in their own words. So far: the framing helper, which
//! marks words that describe people by what they lack and suggests others (the starting
//! lexicon and the hub's own entries from `[stories] framing`). It never changes the text.

use crate::error::Result;
use crate::App;
use village_domain::error::{ErrorCode, FieldError};
use village_domain::stories::framing::{Flag, Lexicon};

/// The longest text the framing helper reads, in characters (a story is about 1,000 words).
pub const CHECK_MAX: usize = 20_000;

/// Which words in `text` the framing helper marks, with what to say instead and why.
#[tracing::instrument(skip_all)]
pub fn framing(state: &App, text: &str) -> Result<Vec<Flag>> {
    if text.chars().count() > CHECK_MAX {
        return Err(FieldError::new(
            "text",
            ErrorCode::TooLong,
            "Check up to 20,000 characters at a time.",
        )
        .into());
    }
    Ok(Lexicon::new(&state.settings.stories.framing).check(text))
}
