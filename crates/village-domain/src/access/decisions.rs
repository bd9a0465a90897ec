//! Who may do what in a decision space and a funding round, by the place they hold in it.

use super::Actor;
use crate::accounts::Role;

/// A member's place in a decision space (or a round's space).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum SpaceRole {
    /// Asked to join; not in it until they join.
    Invited,
    Member,
    /// Runs the space: invites, edits and closes proposals, moves a round's phases.
    Facilitator,
}

stored_code!(SpaceRole, "space role");

impl SpaceRole {
    /// The stored code: `invited`, `member`, `facilitator`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The role for a stored code, if it is one.
    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// Whether someone runs the space: invites members, makes facilitators, closes and updates
/// proposals, moves a round through its phases.
pub fn may_facilitate(role: Option<SpaceRole>) -> bool {
    role == Some(SpaceRole::Facilitator)
}

/// Whether someone takes part: makes proposals, takes stances, comments, votes.
pub fn may_take_part(role: Option<SpaceRole>) -> bool {
    matches!(role, Some(SpaceRole::Member | SpaceRole::Facilitator))
}

/// Whether someone may change the wording of a proposal: the person who proposed it, or a
/// facilitator of its space.
pub fn may_edit_proposal(user_id: i64, author_id: Option<i64>, role: Option<SpaceRole>) -> bool {
    author_id == Some(user_id) || may_facilitate(role)
}

/// Whether someone may report on a funded bid's delivery: who submitted it, or a facilitator.
pub fn may_report_delivery(user_id: i64, submitted_by: Option<i64>, facilitates: bool) -> bool {
    submitted_by == Some(user_id) || facilitates
}

/// Where a funding round sits, for one person: hub-wide (`None`), or in a space where they
/// hold this place (`Some(None)` when they are not in it).
pub type RoundPlace = Option<Option<SpaceRole>>;

/// Whether someone runs a funding round: a hub admin, the person who started it, or a
/// facilitator of its space.
pub fn may_run_round(actor: &Actor, created_by: Option<i64>, place: RoundPlace) -> bool {
    actor.role == Role::HubAdmin
        || created_by == Some(actor.user_id)
        || place.is_some_and(may_facilitate)
}

/// Whether someone votes in a funding round: every member in a hub-wide round; in a space's
/// round, those who take part in the space.
pub fn may_vote(place: RoundPlace) -> bool {
    place.is_none_or(may_take_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_members_and_facilitators_take_part_and_only_facilitators_run_it() {
        let roles = [
            None,
            Some(SpaceRole::Invited),
            Some(SpaceRole::Member),
            Some(SpaceRole::Facilitator),
        ];
        let part: Vec<bool> = roles.iter().map(|r| may_take_part(*r)).collect();
        let run: Vec<bool> = roles.iter().map(|r| may_facilitate(*r)).collect();
        assert_eq!(part, [false, false, true, true]);
        assert_eq!(run, [false, false, false, true]);
        assert!(may_edit_proposal(4, Some(4), Some(SpaceRole::Member)));
        assert!(!may_edit_proposal(4, Some(5), Some(SpaceRole::Member)));
        assert!(may_edit_proposal(4, Some(5), Some(SpaceRole::Facilitator)));
        assert!(may_report_delivery(4, Some(4), false));
        assert!(!may_report_delivery(4, Some(5), false));
        let member = Actor {
            user_id: 4,
            role: Role::Member,
            safeguarding_lead: false,
        };
        let admin = Actor {
            role: Role::HubAdmin,
            ..member
        };
        assert!(may_run_round(&member, Some(4), None));
        assert!(!may_run_round(&member, Some(5), None));
        assert!(!may_run_round(
            &member,
            Some(5),
            Some(Some(SpaceRole::Member))
        ));
        assert!(may_run_round(
            &member,
            Some(5),
            Some(Some(SpaceRole::Facilitator))
        ));
        assert!(may_run_round(&admin, None, Some(None)));
        assert!(may_vote(None));
        assert!(!may_vote(Some(None)));
        assert!(!may_vote(Some(Some(SpaceRole::Invited))));
        assert!(may_vote(Some(Some(SpaceRole::Member))));
        for r in [
            SpaceRole::Invited,
            SpaceRole::Member,
            SpaceRole::Facilitator,
        ] {
            assert_eq!(SpaceRole::parse(r.code()), Some(r));
        }
    }
}
