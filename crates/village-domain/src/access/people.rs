//! The one access policy for personal data. Every page and API call that reads or changes
//! something about a person asks [`decide`] with who is asking (their relationship to the
//! person), what they want to do, and the section and its visibility.

use crate::people::profile::{Section, Visibility};

/// How the one asking stands to the person the data is about. When someone stands in more
/// than one way (a connector who is also a friend), the closest one counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relationship {
    /// The person themself.
    Themself,
    /// In their circle, with their permission to help edit their profile and plans.
    Supporter,
    /// A member in their circle of support who accepted the invitation.
    Circle,
    /// A connector the person chose (or whose offer they accepted).
    Connector,
    /// Anyone else signed in to this hub, whatever their role.
    Member,
    /// Someone who is not signed in.
    Anonymous,
}

impl Relationship {
    pub const ALL: [Relationship; 6] = [
        Relationship::Themself,
        Relationship::Supporter,
        Relationship::Circle,
        Relationship::Connector,
        Relationship::Member,
        Relationship::Anonymous,
    ];

    /// The narrowest visibility this relationship reaches: every visibility from it outwards.
    fn reach(self) -> Visibility {
        match self {
            Relationship::Themself => Visibility::OnlyMe,
            Relationship::Supporter | Relationship::Circle => Visibility::Circle,
            Relationship::Connector => Visibility::Connectors,
            Relationship::Member => Visibility::Members,
            Relationship::Anonymous => Visibility::Public,
        }
    }
}

/// What someone wants to do with a person's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonalAction {
    /// Read one section of the profile.
    ViewSection,
    /// Change what one section says (its words and structure, not who sees it).
    EditSection,
    /// Change who can see a section: a sharing choice, the person's alone.
    ChangeVisibility,
    /// See the history of changes to the profile, and undo them.
    ViewHistory,
    /// See and change the circle of support, connectors and consent history.
    ManageRelationships,
    /// Download everything, see who has looked, or be forgotten.
    ManageOwnData,
    /// Write a conversation note about the person (section and visibility do not apply).
    RecordConversation,
    /// Read the conversation notes one wrote about the person (the person reads them all).
    ReadOwnNotes,
}

impl PersonalAction {
    pub const ALL: [PersonalAction; 8] = [
        PersonalAction::ViewSection,
        PersonalAction::EditSection,
        PersonalAction::ChangeVisibility,
        PersonalAction::ViewHistory,
        PersonalAction::ManageRelationships,
        PersonalAction::ManageOwnData,
        PersonalAction::RecordConversation,
        PersonalAction::ReadOwnNotes,
    ];
}

/// The answer: allowed (and whether the access must be written to the audit log, which it
/// must whenever someone other than the person touches their data), or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow { audit: bool },
    Deny,
}

impl Decision {
    pub fn allowed(self) -> bool {
        matches!(self, Decision::Allow { .. })
    }
}

/// Decide whether someone standing in `relationship` to a person may do `action` on
/// `section`, which is shown to `visibility`.
///
/// - The person may do everything with their own data.
/// - Anyone else may read a section only when its visibility reaches them
///   (`only_me` < `circle` < `connectors` < `members` < `public`).
/// - A supporter may also change the words of a section they can read, and see the history
///   of changes; who sees what stays the person's own choice.
/// - Nobody else may change anything, whatever their role on the hub: hub admins, stewards
///   and council officers are members here like anyone else.
pub fn decide(
    relationship: Relationship,
    action: PersonalAction,
    section: Section,
    visibility: Visibility,
) -> Decision {
    if relationship == Relationship::Themself {
        return Decision::Allow { audit: false };
    }
    let reaches = visibility >= relationship.reach();
    let allowed = match action {
        PersonalAction::ViewSection => reaches,
        PersonalAction::EditSection => relationship == Relationship::Supporter && reaches,
        PersonalAction::ViewHistory => {
            // The history holds earlier words of every section the supporter can edit; it is
            // shown section by section, so the section's visibility still applies.
            relationship == Relationship::Supporter && reaches
        }
        // Only a connector the person chose writes notes about them, and reads back their own.
        PersonalAction::RecordConversation | PersonalAction::ReadOwnNotes => {
            relationship == Relationship::Connector
        }
        PersonalAction::ChangeVisibility
        | PersonalAction::ManageRelationships
        | PersonalAction::ManageOwnData => false,
    };
    // The birth year is only ever used for matching unless the person shares it.
    let about_a_section = !matches!(
        action,
        PersonalAction::RecordConversation | PersonalAction::ReadOwnNotes
    );
    let allowed = allowed
        && !(about_a_section
            && section == Section::BirthYear
            && action != PersonalAction::ViewSection);
    if allowed {
        Decision::Allow { audit: true }
    } else {
        Decision::Deny
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_chosen_connector_writes_conversation_notes() {
        for r in Relationship::ALL {
            for a in [
                PersonalAction::RecordConversation,
                PersonalAction::ReadOwnNotes,
            ] {
                let d = decide(r, a, Section::Story, Visibility::OnlyMe);
                assert_eq!(
                    d.allowed(),
                    matches!(r, Relationship::Connector | Relationship::Themself),
                    "{r:?} {a:?}"
                );
            }
        }
    }

    #[test]
    fn the_person_may_do_everything_without_an_audit_entry() {
        for action in PersonalAction::ALL {
            for &section in Section::ALL {
                for &visibility in Visibility::ALL {
                    assert_eq!(
                        decide(Relationship::Themself, action, section, visibility),
                        Decision::Allow { audit: false }
                    );
                }
            }
        }
    }

    #[test]
    fn others_read_exactly_the_visibilities_that_reach_them_and_are_audited() {
        use Visibility::{Connectors, Members, OnlyMe, Public};
        let expect = |r: Relationship, v: Visibility| match r {
            Relationship::Themself => true,
            Relationship::Supporter | Relationship::Circle => v != OnlyMe,
            Relationship::Connector => matches!(v, Connectors | Members | Public),
            Relationship::Member => matches!(v, Members | Public),
            Relationship::Anonymous => v == Public,
        };
        for r in Relationship::ALL {
            for &v in Visibility::ALL {
                for &s in Section::ALL {
                    let d = decide(r, PersonalAction::ViewSection, s, v);
                    assert_eq!(d.allowed(), expect(r, v), "{r:?} {v:?} {s:?}");
                    if d.allowed() && r != Relationship::Themself {
                        assert_eq!(d, Decision::Allow { audit: true });
                    }
                }
            }
        }
    }

    #[test]
    fn only_supporters_edit_and_only_what_they_can_read() {
        for r in Relationship::ALL {
            for &v in Visibility::ALL {
                let d = decide(r, PersonalAction::EditSection, Section::Story, v);
                let expected = match r {
                    Relationship::Themself => true,
                    Relationship::Supporter => v != Visibility::OnlyMe,
                    _ => false,
                };
                assert_eq!(d.allowed(), expected, "{r:?} {v:?}");
            }
        }
    }

    #[test]
    fn sharing_choices_and_own_data_belong_to_the_person_alone() {
        for r in Relationship::ALL.into_iter().skip(1) {
            for a in [
                PersonalAction::ChangeVisibility,
                PersonalAction::ManageRelationships,
                PersonalAction::ManageOwnData,
            ] {
                assert_eq!(
                    decide(r, a, Section::Story, Visibility::Public),
                    Decision::Deny
                );
            }
            assert_eq!(
                decide(
                    r,
                    PersonalAction::EditSection,
                    Section::BirthYear,
                    Visibility::Public
                ),
                Decision::Deny
            );
        }
    }
}
