//! Introductions: a warm introduction to a group, on the person's terms: their states, the
//! steps between them, and why a step is refused. Who may take a step, and whether it may be
//! taken now, is `access::connections`.
//!
//! ```text
//! requested ──send──► sent ──accept──► accepted ──met──► met ──going_well──► going_well
//!                       └──decline──► declined            └──stop──► stopped ◄──stop──┘
//! any state that has not ended ──withdraw──► withdrawn
//! ```

use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum State {
    Requested,
    Sent,
    Accepted,
    Declined,
    Met,
    GoingWell,
    Stopped,
    Withdrawn,
}

stored_code!(State, "introduction state");

impl State {
    pub const ALL: &'static [State] = <State as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    /// Plain words for pages.
    pub fn words(self) -> &'static str {
        match self {
            State::Requested => "Not sent yet",
            State::Sent => "Sent to the group",
            State::Accepted => "The group said yes",
            State::Declined => "The group said no",
            State::Met => "Met",
            State::GoingWell => "Going well",
            State::Stopped => "Stopped",
            State::Withdrawn => "Withdrawn",
        }
    }

    /// Over: nothing more can happen.
    pub fn ended(self) -> bool {
        matches!(self, State::Declined | State::Stopped | State::Withdrawn)
    }

    /// The group can see the person's details (first name, how to reach them, what they
    /// chose to share) only while this is true.
    pub fn open_to_group(self) -> bool {
        matches!(
            self,
            State::Sent | State::Accepted | State::Met | State::GoingWell
        )
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    Send,
    Accept,
    Decline,
    Met,
    GoingWell,
    Stop,
    Withdraw,
}

impl Action {
    pub const ALL: &'static [Action] = <Action as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    /// The words on the button.
    pub fn label(self) -> &'static str {
        match self {
            Action::Send => "Send the introduction",
            Action::Accept => "Say yes",
            Action::Decline => "Say no",
            Action::Met => "We have met",
            Action::GoingWell => "It's going well",
            Action::Stop => "It has stopped",
            Action::Withdraw => "Withdraw",
        }
    }

    /// A reason must be given (the group saying no, or it stopping).
    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Decline | Action::Stop)
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not this caller's to do (403).
    NotYours,
    /// Not possible from the state it is in (409).
    NotNow,
    /// The person has not agreed: a connector's request waits for the person to send it (403).
    NeedsPersonsAgreement,
    /// A reason must be given.
    ReasonNeeded,
}

impl Refusal {
    /// The code in API errors.
    pub fn code(self) -> ErrorCode {
        match self {
            Refusal::NotYours => ErrorCode::NotYours,
            Refusal::NotNow => ErrorCode::NotAllowedNow,
            Refusal::NeedsPersonsAgreement => ErrorCode::NeedsPersonsAgreement,
            Refusal::ReasonNeeded => ErrorCode::ReasonNeeded,
        }
    }
}

/// The state `action` leads to from `state`, if it may be taken from there.
pub fn leads_to(state: State, action: Action) -> Option<State> {
    match (state, action) {
        (State::Requested, Action::Send) => Some(State::Sent),
        (State::Sent, Action::Accept) => Some(State::Accepted),
        (State::Sent, Action::Decline) => Some(State::Declined),
        (State::Accepted, Action::Met) => Some(State::Met),
        (State::Met, Action::GoingWell) => Some(State::GoingWell),
        (State::Met | State::GoingWell, Action::Stop) => Some(State::Stopped),
        (s, Action::Withdraw) if !s.ended() => Some(State::Withdrawn),
        _ => None,
    }
}

/// A group that has not answered this long after being sent is reminded.
pub const NUDGE_AFTER_SECS: i64 = 7 * 24 * 3600;
/// And after this long, the person's connector is told.
pub const TELL_CONNECTOR_AFTER_SECS: i64 = 14 * 24 * 3600;

/// The name a group sees: the first word of the person's name.
pub fn first_name(display_name: &str) -> String {
    display_name
        .split_whitespace()
        .next()
        .unwrap_or("Someone")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::connections::{available, next, Parties};

    const PERSON: Parties = Parties {
        person: true,
        connector: false,
        organiser: false,
    };
    const CONNECTOR: Parties = Parties {
        person: false,
        connector: true,
        organiser: false,
    };
    const ORGANISER: Parties = Parties {
        person: false,
        connector: false,
        organiser: true,
    };
    const NOBODY: Parties = Parties {
        person: false,
        connector: false,
        organiser: false,
    };

    #[test]
    fn the_whole_journey() {
        let mut s = State::Requested;
        for (action, who) in [
            (Action::Send, PERSON),
            (Action::Accept, ORGANISER),
            (Action::Met, PERSON),
            (Action::GoingWell, CONNECTOR),
            (Action::Stop, PERSON),
        ] {
            s = next(s, action, who, true, "moved away").expect("allowed");
        }
        assert_eq!(s, State::Stopped);
        assert!(s.ended());
    }

    #[test]
    fn illegal_moves_are_refused_with_a_reason() {
        use Refusal::*;
        assert_eq!(
            next(State::Sent, Action::Accept, PERSON, true, ""),
            Err(NotYours)
        );
        assert_eq!(
            next(State::Requested, Action::Accept, ORGANISER, true, ""),
            Err(NotNow)
        );
        assert_eq!(
            next(State::Sent, Action::Decline, ORGANISER, true, " "),
            Err(ReasonNeeded)
        );
        assert_eq!(
            next(State::Requested, Action::Send, CONNECTOR, false, ""),
            Err(NeedsPersonsAgreement)
        );
        assert_eq!(
            next(State::Requested, Action::Send, CONNECTOR, true, ""),
            Ok(State::Sent)
        );
        assert_eq!(
            next(State::Sent, Action::Withdraw, CONNECTOR, true, ""),
            Err(NotYours)
        );
        assert_eq!(
            next(State::Declined, Action::Withdraw, PERSON, true, ""),
            Err(NotNow)
        );
        assert_eq!(
            next(State::GoingWell, Action::Withdraw, PERSON, true, ""),
            Ok(State::Withdrawn)
        );
        assert_eq!(
            next(State::Met, Action::GoingWell, ORGANISER, true, ""),
            Err(NotYours)
        );
        assert_eq!(
            next(State::Sent, Action::Met, NOBODY, true, ""),
            Err(NotYours)
        );
    }

    #[test]
    fn every_state_and_action_is_decided() {
        for &s in State::ALL {
            assert_eq!(State::parse(s.code()), Some(s));
            for &a in Action::ALL {
                assert_eq!(Action::parse(a.code()), Some(a));
                let all = Parties {
                    person: true,
                    connector: true,
                    organiser: true,
                };
                let r = next(s, a, all, true, "why");
                // Nothing leaves an ended state; the group sees nothing once it has ended.
                if s.ended() {
                    assert_eq!(r, Err(Refusal::NotNow), "{s:?} {a:?}");
                    assert!(!s.open_to_group());
                }
                assert_eq!(available(s, all, true).contains(&a), r.is_ok());
            }
        }
        assert_eq!(
            available(State::Sent, ORGANISER, true),
            vec![Action::Accept, Action::Decline]
        );
        assert_eq!(first_name("  Tom Okafor "), "Tom");
    }
}
