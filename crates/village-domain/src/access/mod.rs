//! Access policy: who may do what. [`check`] answers for actions that depend on the actor's
//! role alone; one submodule per capability holds the rules about a particular resource (this
//! offer, this space, this introduction, this person's notes). Only `village-app` asks.

pub mod connections;
pub mod decisions;
pub mod directory;
pub mod gatherings;
pub mod people;

use crate::accounts::Role;

/// Someone who is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    /// A safeguarding lead (a role given beside the main one).
    pub safeguarding_lead: bool,
}

/// Something an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See the list of people's accounts and roles.
    ListAccounts,
    /// Change someone's role.
    ChangeRole { target: i64 },
    /// Read the whole audit log.
    ReadAuditLog,
    /// Read the audit entries about one person.
    ReadAuditAbout { subject: i64 },
    /// Create invite links and choose who can sign up.
    ManageSignUp,
    /// Read or change an account's own settings.
    ManageAccount { owner: i64 },
    /// Suggest a new offer or a change to one (nothing is public until reviewed).
    SuggestOffer,
    /// Approve or reject suggested offers and changes.
    ReviewOffers,
    /// Raise a safeguarding concern about a person or a group.
    RaiseConcern,
    /// See safeguarding concerns, record actions and close them.
    HandleConcerns,
    /// Make someone a safeguarding lead, or stop them being one.
    SetSafeguardingLead,
    /// Check whether bids in a funding round are eligible, and type in paper ballots.
    CheckBids,
    /// Be chosen by people as their connector, and see the people who chose you.
    WalkAlongside,
    /// Follow how the directory is published as open data: how many offers, how fresh, and
    /// where other services read it (council officers and hub admins).
    PublishDirectory,
    /// Record the safety checks done with a helper (met in person, references, DBS checks
    /// seen), take them away, and see anyone's.
    RecordSafetyMarks,
    /// Coordinate mutual aid: see open asks oldest first and matches waiting for a
    /// coordinator, post, answer and take steps for a member (recording how they agreed),
    /// and settle time that was not agreed.
    CoordinateHelp,
    /// Read stories before anyone else, and publish, edit (for the author to approve),
    /// withhold or hold them as a safeguarding matter.
    ModerateStories,
    /// Answer published stories in public for the council.
    AnswerStoriesForCouncil,
}

/// Why an action was refused, in words fit for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotAllowed,
    /// Hub admins may not remove their own admin role, so a hub is never left without one.
    WouldLeaveNoAdmin,
}

/// Decide whether `actor` may do `action`.
pub fn check(actor: &Actor, action: Action) -> Result<(), Refusal> {
    let admin = actor.role == Role::HubAdmin;
    let allowed = match action {
        Action::ListAccounts | Action::ReadAuditLog | Action::ManageSignUp => admin,
        Action::ChangeRole { target } => {
            if admin && target == actor.user_id {
                return Err(Refusal::WouldLeaveNoAdmin);
            }
            admin
        }
        Action::ReadAuditAbout { subject } => admin || subject == actor.user_id,
        Action::ManageAccount { owner } => owner == actor.user_id,
        Action::SuggestOffer => true,
        Action::ReviewOffers => matches!(actor.role, Role::Steward | Role::HubAdmin),
        Action::RaiseConcern => true,
        // Only the leads, whatever else someone's role: not hub admins as such.
        Action::HandleConcerns => actor.safeguarding_lead,
        Action::SetSafeguardingLead => admin,
        Action::CheckBids => matches!(actor.role, Role::Steward | Role::HubAdmin),
        Action::WalkAlongside => actor.role == Role::Connector,
        Action::PublishDirectory => matches!(actor.role, Role::CouncilOfficer | Role::HubAdmin),
        Action::RecordSafetyMarks => actor.role == Role::Steward,
        Action::CoordinateHelp => matches!(
            actor.role,
            Role::Coordinator | Role::Connector | Role::Steward
        ),
        Action::ModerateStories => matches!(actor.role, Role::Steward | Role::HubAdmin),
        Action::AnswerStoriesForCouncil => actor.role == Role::CouncilOfficer,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::NotAllowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(user_id: i64, role: Role) -> Actor {
        Actor {
            user_id,
            role,
            safeguarding_lead: false,
        }
    }

    #[test]
    fn only_safeguarding_leads_handle_concerns() {
        for &role in Role::ALL {
            for lead in [false, true] {
                let a = Actor {
                    user_id: 4,
                    role,
                    safeguarding_lead: lead,
                };
                assert!(check(&a, Action::RaiseConcern).is_ok());
                assert_eq!(check(&a, Action::HandleConcerns).is_ok(), lead, "{role:?}");
                assert_eq!(
                    check(&a, Action::SetSafeguardingLead).is_ok(),
                    role == Role::HubAdmin
                );
            }
        }
    }

    #[test]
    fn only_hub_admins_run_the_hub() {
        for &role in Role::ALL {
            let expected = role == Role::HubAdmin;
            let a = actor(1, role);
            assert_eq!(check(&a, Action::ListAccounts).is_ok(), expected);
            assert_eq!(check(&a, Action::ReadAuditLog).is_ok(), expected);
            assert_eq!(
                check(&a, Action::ChangeRole { target: 2 }).is_ok(),
                expected
            );
            assert_eq!(check(&a, Action::ManageSignUp).is_ok(), expected);
        }
    }

    #[test]
    fn people_see_what_is_about_them_and_nobody_else_does() {
        let member = actor(7, Role::Member);
        assert!(check(&member, Action::ReadAuditAbout { subject: 7 }).is_ok());
        assert!(check(&member, Action::ReadAuditAbout { subject: 8 }).is_err());
        assert!(check(&member, Action::ManageAccount { owner: 7 }).is_ok());
        let admin = actor(1, Role::HubAdmin);
        assert!(check(&admin, Action::ManageAccount { owner: 7 }).is_err());
    }

    #[test]
    fn only_connectors_walk_alongside_people() {
        for &role in Role::ALL {
            assert_eq!(
                check(&actor(3, role), Action::WalkAlongside).is_ok(),
                role == Role::Connector,
                "{role:?}"
            );
        }
    }

    #[test]
    fn council_officers_and_hub_admins_follow_the_directory_s_publishing() {
        for &role in Role::ALL {
            assert_eq!(
                check(&actor(3, role), Action::PublishDirectory).is_ok(),
                matches!(role, Role::CouncilOfficer | Role::HubAdmin),
                "{role:?}"
            );
        }
    }

    #[test]
    fn stewards_and_hub_admins_check_bids() {
        for &role in Role::ALL {
            assert_eq!(
                check(&actor(3, role), Action::CheckBids).is_ok(),
                matches!(role, Role::Steward | Role::HubAdmin)
            );
        }
    }

    #[test]
    fn stewards_and_hub_admins_review_offers() {
        for &role in Role::ALL {
            let a = actor(3, role);
            assert!(check(&a, Action::SuggestOffer).is_ok());
            assert_eq!(
                check(&a, Action::ReviewOffers).is_ok(),
                matches!(role, Role::Steward | Role::HubAdmin)
            );
        }
    }

    #[test]
    fn only_stewards_record_safety_checks() {
        for &role in Role::ALL {
            assert_eq!(
                check(&actor(3, role), Action::RecordSafetyMarks).is_ok(),
                role == Role::Steward,
                "{role:?}"
            );
        }
    }

    #[test]
    fn coordinators_connectors_and_stewards_coordinate_help() {
        for &role in Role::ALL {
            assert_eq!(
                check(&actor(3, role), Action::CoordinateHelp).is_ok(),
                matches!(role, Role::Coordinator | Role::Connector | Role::Steward),
                "{role:?}"
            );
        }
    }

    #[test]
    fn an_admin_cannot_demote_themselves() {
        let admin = actor(1, Role::HubAdmin);
        assert_eq!(
            check(&admin, Action::ChangeRole { target: 1 }),
            Err(Refusal::WouldLeaveNoAdmin)
        );
    }
}
