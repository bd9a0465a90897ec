//! A match: someone answered a post, and the two of them find out whether it will happen.
//! Its states, the steps between them and who may take each. Contact details are shared
//! only while [`State::contact_shared`] is true.
//!
//! ```text
//! requested ──accept──► accepted ──done──► done
//!     └──decline──► declined   └──didnt_happen──► didnt_happen
//! requested or accepted ──withdraw──► withdrawn
//! ```

use crate::error::ErrorCode;

coded!(
    #[schema(as = HelpMatchState)]
    State, "help match state" {
        Requested => "Waiting for an answer",
        Accepted => "Both said yes",
        Declined => "Said no, thank you",
        Done => "It happened",
        DidntHappen => "It did not happen",
        Withdrawn => "Withdrawn",
    }
);

impl State {
    /// Over: no more steps.
    pub fn ended(self) -> bool {
        matches!(
            self,
            State::Declined | State::Done | State::DidntHappen | State::Withdrawn
        )
    }

    /// The two see each other's chosen contact details: both said yes, and neither has
    /// withdrawn.
    pub fn contact_shared(self) -> bool {
        matches!(self, State::Accepted | State::Done | State::DidntHappen)
    }

    /// Messages can still be written (thanks after it happened, too).
    pub fn open_to_messages(self) -> bool {
        matches!(self, State::Requested | State::Accepted | State::Done)
    }
}

coded!(
    #[schema(as = HelpMatchAction)]
    Action, "help match action" {
        Accept => "Say yes",
        Decline => "Say no, thank you",
        Done => "It happened",
        DidntHappen => "It did not happen",
        Withdraw => "Withdraw",
    }
);

coded!(
    /// How the hub runs matches: the two people on their own (`peer`), or through a mutual
    /// aid coordinator who says yes for the one who posted (`brokered`).
    #[schema(as = HelpMode)]
    Mode, "help mode" {
        Peer => "Peer to peer",
        Brokered => "Through a coordinator",
    }
);

coded!(
    /// How a member agreed to what a coordinator typed in for them.
    #[schema(as = HelpAgreed)]
    Agreed, "how a member agreed" {
        Phone => "by phone",
        InPerson => "in person",
        Paper => "on paper",
    }
);

/// Who is taking a step: the hub's way of working, and whether a coordinator is taking it
/// for one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Way {
    pub mode: Mode,
    pub by_coordinator: bool,
}

impl Way {
    /// One of the two, on a peer-to-peer hub.
    pub const PEER: Way = Way {
        mode: Mode::Peer,
        by_coordinator: false,
    };
}

/// The state `action` leads to from `state`, if it may be taken from there.
pub fn leads_to(state: State, action: Action) -> Option<State> {
    match (state, action) {
        (State::Requested, Action::Accept) => Some(State::Accepted),
        (State::Requested, Action::Decline) => Some(State::Declined),
        (State::Accepted, Action::Done) => Some(State::Done),
        (State::Accepted, Action::DidntHappen) => Some(State::DidntHappen),
        (State::Requested | State::Accepted, Action::Withdraw) => Some(State::Withdrawn),
        _ => None,
    }
}

/// How the caller stands to a match (a coordinator or a group's organiser acting for one
/// of the two stands as them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parties {
    /// The one whose post it is.
    pub poster: bool,
    /// The one who answered it.
    pub responder: bool,
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not this caller's step (403).
    NotYours,
    /// Not possible from the state it is in (409).
    NotNow,
    /// On a brokered hub, a coordinator says yes for the one who posted (403).
    CoordinatorSaysYes,
}

impl Refusal {
    pub fn code(self) -> ErrorCode {
        match self {
            Refusal::NotYours | Refusal::CoordinatorSaysYes => ErrorCode::NotYours,
            Refusal::NotNow => ErrorCode::NotAllowedNow,
        }
    }
}

/// Who may take a step at all: the poster says yes or no (on a brokered hub, a coordinator
/// says yes for them); either of the two says how it went or withdraws. A coordinator
/// acting for one of the two stands as them.
pub fn may_take(action: Action, p: Parties) -> bool {
    match action {
        Action::Accept | Action::Decline => p.poster,
        Action::Done | Action::DidntHappen | Action::Withdraw => p.poster || p.responder,
    }
}

/// Decide one step.
pub fn next(state: State, action: Action, p: Parties, way: Way) -> Result<State, Refusal> {
    if !may_take(action, p) {
        return Err(Refusal::NotYours);
    }
    if action == Action::Accept && way.mode == Mode::Brokered && !way.by_coordinator {
        return Err(Refusal::CoordinatorSaysYes);
    }
    leads_to(state, action).ok_or(Refusal::NotNow)
}

/// The steps this caller could take now, in the order buttons show them.
pub fn available(state: State, p: Parties, way: Way) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| next(state, *a, p, way).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const POSTER: Parties = Parties {
        poster: true,
        responder: false,
    };
    const RESPONDER: Parties = Parties {
        poster: false,
        responder: true,
    };
    const NOBODY: Parties = Parties {
        poster: false,
        responder: false,
    };

    #[test]
    fn only_the_poster_says_yes_or_no() {
        assert_eq!(
            next(State::Requested, Action::Accept, POSTER, Way::PEER),
            Ok(State::Accepted)
        );
        assert_eq!(
            next(State::Requested, Action::Accept, RESPONDER, Way::PEER),
            Err(Refusal::NotYours)
        );
        assert_eq!(
            next(State::Requested, Action::Decline, RESPONDER, Way::PEER),
            Err(Refusal::NotYours)
        );
        assert_eq!(
            available(State::Requested, RESPONDER, Way::PEER),
            [Action::Withdraw]
        );
        assert_eq!(
            available(State::Requested, POSTER, Way::PEER),
            [Action::Accept, Action::Decline, Action::Withdraw]
        );
    }

    #[test]
    fn how_it_went_is_said_only_after_yes_and_nothing_follows_an_end() {
        assert_eq!(
            next(State::Requested, Action::Done, POSTER, Way::PEER),
            Err(Refusal::NotNow)
        );
        assert_eq!(
            next(State::Accepted, Action::Done, RESPONDER, Way::PEER),
            Ok(State::Done)
        );
        for s in State::ALL.iter().copied().filter(|s| s.ended()) {
            assert!(available(s, POSTER, Way::PEER).is_empty(), "{s:?}");
            assert!(available(s, RESPONDER, Way::PEER).is_empty(), "{s:?}");
        }
        for s in State::ALL {
            assert!(available(*s, NOBODY, Way::PEER).is_empty());
        }
    }

    #[test]
    fn on_a_brokered_hub_only_a_coordinator_says_yes_for_the_poster() {
        let brokered = |by_coordinator| Way {
            mode: Mode::Brokered,
            by_coordinator,
        };
        assert_eq!(
            next(State::Requested, Action::Accept, POSTER, brokered(false)),
            Err(Refusal::CoordinatorSaysYes)
        );
        assert_eq!(
            next(State::Requested, Action::Accept, POSTER, brokered(true)),
            Ok(State::Accepted)
        );
        // A coordinator acting for the one who answered cannot say yes for the poster.
        assert_eq!(
            next(State::Requested, Action::Accept, RESPONDER, brokered(true)),
            Err(Refusal::NotYours)
        );
        // The poster may still say no, and either may withdraw or say how it went.
        assert_eq!(
            available(State::Requested, POSTER, brokered(false)),
            [Action::Decline, Action::Withdraw]
        );
        assert_eq!(
            available(State::Accepted, RESPONDER, brokered(false)),
            [Action::Done, Action::DidntHappen, Action::Withdraw]
        );
    }

    #[test]
    fn contact_is_shared_only_after_both_said_yes_and_not_after_withdrawing() {
        let shared: Vec<State> = State::ALL
            .iter()
            .copied()
            .filter(|s| s.contact_shared())
            .collect();
        assert_eq!(shared, [State::Accepted, State::Done, State::DidntHappen]);
        // Every way into a shared state passes through a yes.
        for s in State::ALL {
            for a in Action::ALL {
                if let Some(to) = leads_to(*s, *a) {
                    if to.contact_shared() && !s.contact_shared() {
                        assert_eq!(*a, Action::Accept);
                    }
                }
            }
        }
    }
}
