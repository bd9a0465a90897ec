//! Who may take each step of an introduction: the person, a connector they chose, or an
//! organiser of the group; and whether a step may be taken now ([`next`]), with the person's
//! agreement and a reason where one is needed.

use crate::connections::introduction::{leads_to, Action, Refusal, State};

/// How the caller stands to one introduction (someone can be more than one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parties {
    /// The person being introduced.
    pub person: bool,
    /// A connector the person chose.
    pub connector: bool,
    /// An organiser of the group (or a steward acting for it).
    pub organiser: bool,
}

/// Who may take a step of an introduction at all, by how they stand to it (whether the step
/// fits the introduction's state is `connections::introduction::next`).
pub fn may_take(action: Action, p: Parties) -> bool {
    match action {
        Action::Send => p.person || p.connector,
        Action::Accept | Action::Decline => p.organiser,
        Action::Met | Action::Stop => p.person || p.connector || p.organiser,
        Action::GoingWell => p.person || p.connector,
        Action::Withdraw => p.person,
    }
}

/// Decide one action. `requested_by_person` is whether the person asked for it themselves
/// (a connector's request needs the person to send it, which is their agreement).
pub fn next(
    state: State,
    action: Action,
    parties: Parties,
    requested_by_person: bool,
    reason: &str,
) -> Result<State, Refusal> {
    if !may_take(action, parties) {
        return Err(Refusal::NotYours);
    }
    let to = leads_to(state, action).ok_or(Refusal::NotNow)?;
    if action == Action::Send && !parties.person && !requested_by_person {
        return Err(Refusal::NeedsPersonsAgreement);
    }
    if action.needs_reason() && reason.trim().is_empty() {
        return Err(Refusal::ReasonNeeded);
    }
    Ok(to)
}

/// The actions this caller could take now, in the order buttons show them.
pub fn available(state: State, parties: Parties, requested_by_person: bool) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| next(state, *a, parties, requested_by_person, "a reason").is_ok())
        .collect()
}
