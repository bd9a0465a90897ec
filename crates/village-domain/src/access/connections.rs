//! Who may take each step of an introduction: the person, a connector they chose, or an
//! organiser of the group.

use crate::connections::introduction::Action;

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
