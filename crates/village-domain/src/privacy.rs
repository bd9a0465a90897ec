//! Counts that sit beside names. Where people's names are shown, an exact count of something
//! private (who declared lived experience) can point at a person: if the count moves when one
//! named person acts, everyone sees what they declared. One rule keeps such counts coarse:
//! below [`SMALLEST_SHOWN`] a count is shown only as "fewer than 8". That includes 0: "none of
//! these five named people" points at each of them as surely as "one" does.

use serde::Serialize;
use std::fmt;

/// The smallest count shown exactly beside names.
pub const SMALLEST_SHOWN: u32 = 8;

/// A count as it may be shown beside names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShownCount {
    /// The count itself (at least [`SMALLEST_SHOWN`] where names are shown).
    Exactly(u32),
    /// Fewer than this many (possibly none).
    FewerThan(u32),
}

impl ShownCount {
    /// The one rule: a count below [`SMALLEST_SHOWN`] is shown as "fewer than 8".
    pub fn of(count: u32) -> ShownCount {
        if count < SMALLEST_SHOWN {
            ShownCount::FewerThan(SMALLEST_SHOWN)
        } else {
            ShownCount::Exactly(count)
        }
    }

    /// The count, when it may be shown exactly.
    pub fn exactly(self) -> Option<u32> {
        match self {
            ShownCount::Exactly(n) => Some(n),
            ShownCount::FewerThan(_) => None,
        }
    }
}

impl fmt::Display for ShownCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShownCount::Exactly(n) => write!(f, "{n}"),
            ShownCount::FewerThan(n) => write!(f, "fewer than {n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_count_below_eight_is_shown_not_even_none() {
        for n in 0..SMALLEST_SHOWN {
            assert_eq!(ShownCount::of(n).to_string(), "fewer than 8");
            assert_eq!(ShownCount::of(n).exactly(), None);
        }
        assert_eq!(ShownCount::of(8).to_string(), "8");
        assert_eq!(ShownCount::of(120).exactly(), Some(120));
    }
}
