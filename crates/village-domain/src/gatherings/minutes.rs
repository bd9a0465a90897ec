//! The minutes of a gathering: what happened, how many came and which groups, and the
//! actions, each with who and by when. Its organisers or chairs write them (or start from
//! the sessions' notes); a chair approves them before anyone else sees them, and changing
//! approved minutes needs a chair to approve them again.

use crate::error::{ErrorCode, FieldError};

/// The longest minutes, in characters.
pub const BODY_MAX: usize = 50_000;
/// The most groups named.
pub const GROUPS_MAX: usize = 50;
/// The longest group name, in characters.
pub const GROUP_MAX_CHARS: usize = 200;
/// The most actions.
pub const ACTIONS_MAX: usize = 50;
/// The longest action ("what") and who does it, in characters.
pub const ACTION_MAX_CHARS: usize = 500;
/// The most people counted as coming.
pub const CAME_MAX: i64 = 100_000;

/// One action as written: what, who does it, and by when (a day, `YYYY-MM-DD`, or none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub what: String,
    pub who: String,
    pub by: Option<String>,
}

/// Check how many came.
pub fn check_came(came: Option<i64>) -> Result<i64, FieldError> {
    match came {
        Some(n) if (0..=CAME_MAX).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            "came",
            ErrorCode::InvalidCount,
            "Say how many people came, as a number.",
        )),
    }
}

/// Check the groups that came: tidied, each named once.
pub fn check_groups(groups: &[String]) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for g in groups.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        if g.chars().count() > GROUP_MAX_CHARS {
            return Err(FieldError::new(
                "groups",
                ErrorCode::TooLong,
                format!("Keep each group's name under {GROUP_MAX_CHARS} characters."),
            ));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(g)) {
            out.push(g.to_string());
        }
    }
    if out.len() > GROUPS_MAX {
        return Err(FieldError::new(
            "groups",
            ErrorCode::TooMany,
            format!("Name up to {GROUPS_MAX} groups."),
        ));
    }
    Ok(out)
}

/// Check one action (`n` counts from 1, to name it in the words; the field is `actions`): what and who are needed; by when is a
/// real day if given.
pub fn check_action(n: usize, what: &str, who: &str, by: &str) -> Result<Action, FieldError> {
    let field = || "actions";
    let what = what.trim();
    let who = who.trim();
    if what.is_empty() {
        return Err(FieldError::new(
            field(),
            ErrorCode::TextMissing,
            format!("Action {n}: say what will be done."),
        ));
    }
    if who.is_empty() {
        return Err(FieldError::new(
            field(),
            ErrorCode::TextMissing,
            format!("Action {n}: say who will do it."),
        ));
    }
    if what.chars().count() > ACTION_MAX_CHARS || who.chars().count() > ACTION_MAX_CHARS {
        return Err(FieldError::new(
            field(),
            ErrorCode::TooLong,
            format!("Action {n}: please keep it under {ACTION_MAX_CHARS} characters."),
        ));
    }
    let by = by.trim();
    let by = if by.is_empty() {
        None
    } else {
        match crate::dates::parse_day(by) {
            Some(d) => Some(d.format("%Y-%m-%d").to_string()),
            None => {
                return Err(FieldError::new(
                    field(),
                    ErrorCode::DateInvalid,
                    format!("Action {n}: write the day it is done by like 2027-01-31."),
                ))
            }
        }
    };
    Ok(Action {
        what: what.to_string(),
        who: who.to_string(),
        by,
    })
}

/// Minutes are written once the gathering has started, and not for one that was cancelled.
pub fn may_write_now(state: super::gathering::State, starts_at: i64, now: i64) -> bool {
    use super::gathering::State;
    matches!(state, State::Published | State::Ended) && now >= starts_at
}

/// The minutes as first written from the sessions' notes: each session's title, then its
/// notes.
pub fn from_sessions<'a>(sessions: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (title, notes) in sessions {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(title.trim());
        let notes = notes.trim();
        out.push('\n');
        out.push_str(if notes.is_empty() {
            "(No notes yet.)"
        } else {
            notes
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gatherings::gathering::State;

    #[test]
    fn an_action_needs_what_and_who_and_a_real_day() {
        let a = check_action(1, " Ask the council ", "Grace", "2027-01-31");
        assert_eq!(
            a.ok(),
            Some(Action {
                what: "Ask the council".into(),
                who: "Grace".into(),
                by: Some("2027-01-31".into())
            })
        );
        assert_eq!(
            check_action(2, "", "Grace", "").err().map(|e| e.field),
            Some("actions")
        );
        assert!(check_action(1, "Ask", " ", "").is_err());
        assert!(check_action(1, "Ask", "Grace", "31st").is_err());
        assert_eq!(
            check_action(1, "Ask", "Grace", "").ok().and_then(|a| a.by),
            None
        );
    }

    #[test]
    fn counts_and_groups_are_checked() {
        assert!(check_came(None).is_err());
        assert!(check_came(Some(-1)).is_err());
        assert_eq!(check_came(Some(42)).ok(), Some(42));
        assert_eq!(
            check_groups(&[
                "Knit and natter".into(),
                "knit and natter".into(),
                " ".into()
            ])
            .ok(),
            Some(vec!["Knit and natter".to_string()])
        );
    }

    #[test]
    fn minutes_wait_for_the_gathering() {
        assert!(!may_write_now(State::Published, 100, 99));
        assert!(may_write_now(State::Published, 100, 100));
        assert!(may_write_now(State::Ended, 100, 500));
        assert!(!may_write_now(State::Cancelled, 100, 500));
        assert!(!may_write_now(State::Draft, 100, 500));
    }

    #[test]
    fn minutes_start_from_every_session() {
        let m = from_sessions([("Housing", "We met the council."), ("Buses", "")]);
        assert_eq!(m, "Housing\nWe met the council.\n\nBuses\n(No notes yet.)");
    }
}
