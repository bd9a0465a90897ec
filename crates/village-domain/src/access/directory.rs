//! Who may change the directory: members suggest, stewards review, a group's organisers edit
//! its offers directly.

use super::{check, Action, Actor};

/// Whether `actor` checks members' suggestions, organisers' requests and old offers.
pub fn may_review(actor: &Actor) -> bool {
    check(actor, Action::ReviewOffers).is_ok()
}

/// Whether `actor` may edit an offer directly, with no steward checking first: stewards and
/// hub admins, and the organisers of the group that runs it (`organiser`: a steward approved
/// their request to be one).
pub fn may_edit_offer(actor: &Actor, organiser: bool) -> bool {
    organiser || may_review(actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;

    #[test]
    fn organisers_stewards_and_admins_edit_offers_directly() {
        for &role in Role::ALL {
            let a = Actor {
                user_id: 5,
                role,
                safeguarding_lead: false,
            };
            let reviewer = matches!(role, Role::Steward | Role::HubAdmin);
            assert_eq!(may_review(&a), reviewer, "{role:?}");
            assert_eq!(may_edit_offer(&a, false), reviewer, "{role:?}");
            assert!(may_edit_offer(&a, true), "{role:?}");
        }
    }
}
