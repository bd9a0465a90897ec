//! Who may do what at a gathering, by the place they hold in it.

/// How someone stands to one gathering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// Runs it: who made it, a member made an organiser, or an organiser of its group in the
    /// directory.
    pub organiser: bool,
    /// Agreed to chair it.
    pub chair: bool,
    /// Asked to chair it, and not yet answered.
    pub invited_to_chair: bool,
    /// Has a place (going).
    pub going: bool,
    /// A steward of the hub: helps at gatherings, typing for people there.
    pub steward: bool,
}

/// Whether someone changes it: invites chairs, publishes, cancels, writes the minutes.
pub fn may_organise(s: Standing) -> bool {
    s.organiser
}

/// Whether a gathering still has someone to run it after a change to its organisers: a
/// member, or the group it is run by (whose organisers run it).
pub fn someone_runs_it(member_organisers: usize, run_by_group: bool) -> bool {
    member_organisers > 0 || run_by_group
}

/// Whether someone reads what people said would help them take part (every look by
/// someone else is audited): its organisers and the chairs who agreed, never other people
/// who signed up.
pub fn may_see_needs(s: Standing) -> bool {
    s.organiser || s.chair
}

/// Whether someone sees a gathering that is not published yet: its organisers and the
/// people asked to chair it.
pub fn may_see_draft(s: Standing) -> bool {
    s.organiser || s.chair || s.invited_to_chair
}

/// Whether someone sees the joining link of an online gathering: people going, its chairs
/// and its organisers.
pub fn may_see_joining_link(s: Standing) -> bool {
    s.going || s.organiser || s.chair
}

/// Whether someone approves the minutes: a chair who agreed.
pub fn may_approve_minutes(s: Standing) -> bool {
    s.chair
}

/// Whether someone writes the minutes, or sees them before a chair approves them: its
/// organisers and chairs.
pub fn may_write_minutes(s: Standing) -> bool {
    s.organiser || s.chair
}

/// Whether someone proposes an open-space session: people going, and the people running it.
pub fn may_propose_session(s: Standing) -> bool {
    s.going || s.organiser || s.chair || s.steward
}

/// Whether someone types a session in for a person at the event (naming them): its
/// organisers, chairs and the hub's stewards.
pub fn may_type_for_others(s: Standing) -> bool {
    s.organiser || s.chair || s.steward
}

/// Whether someone writes a session's notes: its convener and note-taker, and the people
/// running the gathering (typing for others).
pub fn may_write_notes(s: Standing, convener: bool, note_taker: bool) -> bool {
    convener || note_taker || may_type_for_others(s)
}

/// Whether someone turns a session or an action into a proposal in a decision space: its
/// organisers, chairs, and a session's convener.
pub fn may_make_proposal(s: Standing, convener: bool) -> bool {
    convener || s.organiser || s.chair
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_standing() -> Vec<Standing> {
        let mut out = Vec::new();
        for bits in 0..32u8 {
            out.push(Standing {
                organiser: bits & 1 != 0,
                chair: bits & 2 != 0,
                invited_to_chair: bits & 4 != 0,
                going: bits & 8 != 0,
                steward: bits & 16 != 0,
            });
        }
        out
    }

    #[test]
    fn only_organisers_and_chairs_see_what_would_help_people() {
        for s in every_standing() {
            assert_eq!(may_see_needs(s), s.organiser || s.chair, "{s:?}");
        }
        let going = Standing {
            going: true,
            invited_to_chair: true,
            ..Default::default()
        };
        assert!(!may_see_needs(going));
    }

    #[test]
    fn the_joining_link_is_for_people_with_a_place() {
        assert!(!may_see_joining_link(Standing::default()));
        assert!(!may_see_joining_link(Standing {
            invited_to_chair: true,
            ..Default::default()
        }));
        for s in every_standing() {
            assert_eq!(may_see_joining_link(s), s.going || s.organiser || s.chair);
        }
    }

    #[test]
    fn a_draft_is_seen_by_organisers_and_chairs_only() {
        assert!(!may_see_draft(Standing {
            going: true,
            ..Default::default()
        }));
        for s in every_standing() {
            assert_eq!(
                may_see_draft(s),
                s.organiser || s.chair || s.invited_to_chair
            );
            assert_eq!(may_organise(s), s.organiser);
            assert_eq!(may_approve_minutes(s), s.chair);
        }
    }

    #[test]
    fn minutes_are_written_by_organisers_and_chairs_and_approved_by_a_chair() {
        for s in every_standing() {
            assert_eq!(may_write_minutes(s), s.organiser || s.chair, "{s:?}");
        }
        let organiser = Standing {
            organiser: true,
            ..Default::default()
        };
        assert!(may_write_minutes(organiser) && !may_approve_minutes(organiser));
    }

    #[test]
    fn open_space_is_for_people_there_and_the_people_running_it() {
        for s in every_standing() {
            let running = s.organiser || s.chair || s.steward;
            assert_eq!(may_propose_session(s), s.going || running, "{s:?}");
            assert_eq!(may_type_for_others(s), running, "{s:?}");
            assert_eq!(may_write_notes(s, false, false), running, "{s:?}");
            assert!(may_write_notes(s, true, false) && may_write_notes(s, false, true));
            assert_eq!(may_make_proposal(s, false), s.organiser || s.chair);
            assert!(may_make_proposal(s, true));
        }
        assert!(!may_propose_session(Standing {
            invited_to_chair: true,
            ..Default::default()
        }));
    }
}
