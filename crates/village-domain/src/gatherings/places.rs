//! Places at a gathering: who is going, who waits, and who has been offered a place that
//! freed. Places kept for people who draw on care and support go to them first; a place
//! offered is held for 48 hours (or until the gathering starts), then goes to the next.

coded!(
    /// What would help someone take part: the NHS Accessible Information Standard's four
    /// kinds, then food, travel, a quiet space and a call beforehand.
    #[schema(as = GatheringNeed)]
    Need, "access need" {
        CommunicationSupport => "Support to communicate, like more time or someone to help me",
        CommunicationProfessional => "A communication professional, like a BSL interpreter or a lipspeaker",
        ContactMethod => "Being contacted in a way that works for me, like text or email",
        InformationFormat => "Information in a format that works for me, like easy read or large print",
        Food => "Food I can eat",
        Travel => "Help with travel",
        QuietSpace => "A quiet space",
        Call => "A call before the day, to talk about what would help",
    }
);

coded!(
    /// Where someone who signed up stands.
    #[schema(as = GatheringPlace)]
    Place, "gathering place" {
        Going => "Going",
        Waiting => "On the waiting list",
        Offered => "Offered a place",
    }
);

/// How long a place offered from the waiting list is held, in seconds.
pub const OFFER_HOLD: i64 = 48 * 3600;

/// The places taken at a gathering (going, or offered and held), and how many of those are
/// held by people who draw on care and support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Taken {
    pub all: i64,
    pub drawing_on_support: i64,
}

/// Whether someone may have a place now: any place while there is room, except that the
/// `reserved` places are kept for people who draw on care and support. No capacity is no
/// limit.
pub fn has_room(
    capacity: Option<i64>,
    reserved: i64,
    taken: Taken,
    draws_on_support: bool,
) -> bool {
    let Some(capacity) = capacity else {
        return true;
    };
    if taken.all >= capacity {
        return false;
    }
    if draws_on_support {
        return true;
    }
    // People who draw on support fill the kept places first; everyone else shares the rest.
    let others = taken.all - taken.drawing_on_support.min(reserved);
    others < capacity - reserved
}

/// When a place offered at `now` stops being held: 48 hours on, or when the gathering
/// starts if that is sooner.
pub fn offer_until(now: i64, starts_at: i64) -> i64 {
    (now + OFFER_HOLD).min(starts_at).max(now)
}

/// Who on the waiting list (in the order they joined; `true` for someone who draws on
/// care and support) is offered the next place: the first who has room.
pub fn next_offer(
    capacity: Option<i64>,
    reserved: i64,
    taken: Taken,
    waiting: &[bool],
) -> Option<usize> {
    waiting
        .iter()
        .position(|&draws| has_room(capacity, reserved, taken, draws))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(all: i64, drawing_on_support: i64) -> Taken {
        Taken {
            all,
            drawing_on_support,
        }
    }

    #[test]
    fn no_limit_always_has_room() {
        assert!(has_room(None, 0, taken(1_000, 0), false));
    }

    #[test]
    fn kept_places_are_for_people_who_draw_on_support() {
        // 10 places, 3 kept: 7 others fill the rest.
        assert!(has_room(Some(10), 3, taken(6, 0), false));
        assert!(!has_room(Some(10), 3, taken(7, 0), false));
        // ...and the 3 kept places still take people who draw on support.
        assert!(has_room(Some(10), 3, taken(7, 0), true));
        assert!(has_room(Some(10), 3, taken(9, 2), true));
        assert!(!has_room(Some(10), 3, taken(10, 3), true));
        // People who draw on support beyond the kept places share the others' places.
        assert!(has_room(Some(10), 3, taken(7, 5), false));
        assert!(!has_room(Some(10), 3, taken(9, 2), false));
        assert!(has_room(Some(10), 3, taken(8, 5), false));
        assert!(!has_room(Some(10), 3, taken(10, 5), false));
    }

    #[test]
    fn never_more_going_than_places_whoever_asks() {
        for capacity in 1..8 {
            for reserved in 0..=capacity {
                for order in 0u32..256 {
                    let mut t = taken(0, 0);
                    for i in 0..8 {
                        let draws = order & (1 << i) != 0;
                        if has_room(Some(capacity), reserved, t, draws) {
                            t.all += 1;
                            t.drawing_on_support += i64::from(draws);
                        }
                    }
                    assert!(t.all <= capacity);
                    let others = t.all - t.drawing_on_support;
                    assert!(
                        others <= capacity - reserved,
                        "{capacity} {reserved} {order}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_next_offer_skips_people_a_kept_place_is_not_for() {
        // 4 places, 2 kept, 2 others going: only a kept place is free.
        let t = taken(2, 0);
        assert_eq!(next_offer(Some(4), 2, t, &[false, false, true]), Some(2));
        // A place anyone may take goes to the first in the queue.
        let t = taken(1, 0);
        assert_eq!(next_offer(Some(4), 2, t, &[false, true]), Some(0));
        assert_eq!(next_offer(Some(4), 2, taken(4, 2), &[true]), None);
    }

    #[test]
    fn an_offer_is_held_for_48_hours_or_until_it_starts() {
        assert_eq!(offer_until(1_000, 1_000_000), 1_000 + OFFER_HOLD);
        assert_eq!(offer_until(1_000, 5_000), 5_000);
        assert_eq!(offer_until(1_000, 500), 1_000);
    }
}
