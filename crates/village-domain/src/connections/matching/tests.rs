use super::*;
use crate::directory::oruk::Place;
use crate::directory::schedule::Recurrence;
use crate::people::profile::Slot;
use proptest::prelude::*;

const HOME: (f64, f64) = (51.5074, -0.1278);
const WORDS: &[&str] = &[
    "singing", "gardens", "walking", "painting", "football", "cooking", "chess", "knitting",
];

fn hm(m: u16) -> TimeOfDay {
    TimeOfDay::from_hm(m / 60, m % 60).unwrap_or(TimeOfDay::END_OF_DAY)
}

fn weekly(day: Weekday, from: u16, to: u16) -> Schedule {
    Schedule {
        recurrence: Recurrence::Weekly(vec![day]),
        opens: Some(hm(from)),
        closes: Some(hm(to)),
    }
}

fn offer(id: &str, terms: &[&str], description: &str) -> ServiceIndex {
    ServiceIndex {
        id: id.to_string(),
        name: format!("Offer {id}"),
        description: description.to_string(),
        organization_id: None,
        organization_name: None,
        status: "active".into(),
        minimum_age: None,
        maximum_age: None,
        free: None,
        taxonomy_term_ids: terms.iter().map(|t| t.to_string()).collect(),
        schedules: vec![],
        places: vec![],
        service_at_location_ids: vec![],
        last_modified: None,
        areas: vec![],
    }
}

fn at(km_north: f64) -> Place {
    Place {
        location_id: None,
        point: LatLon::new(HOME.0 + km_north / 111.2, HOME.1).unwrap_or(home()),
        postcode: None,
    }
}

fn home() -> LatLon {
    LatLon::new(HOME.0, HOME.1).expect("a real place")
}

fn section(s: Section, c: Content) -> (Section, Content) {
    (s, c)
}

fn arts() -> &'static str {
    CATEGORIES[1].id
}

fn seeker_from_profile() -> Seeker {
    let sections = vec![
        section(
            Section::Interests,
            Content {
                text: "Singing and painting with others".into(),
                terms: vec![arts().to_string()],
                ..Content::default()
            },
        ),
        section(
            Section::Important,
            Content {
                text: "Looking after my mum, who has dementia; my garden.".into(),
                ..Content::default()
            },
        ),
        section(
            Section::Travel,
            Content {
                postcode: Some("EC1A 1BB".into()),
                max_km: Some(3.0),
                ..Content::default()
            },
        ),
        section(
            Section::Availability,
            Content {
                slots: vec![Slot {
                    day: "TU".into(),
                    from: "09:00".into(),
                    to: "13:00".into(),
                }],
                ..Content::default()
            },
        ),
        section(
            Section::AccessNeeds,
            Content {
                needs: vec!["hearing_loop".into()],
                essential: vec!["step_free".into()],
                ..Content::default()
            },
        ),
        section(
            Section::BirthYear,
            Content {
                text: "1958".into(),
                ..Content::default()
            },
        ),
    ];
    Seeker::from_profile(&sections, Some(home()), 2026, Preferences::default())
}

#[test]
fn a_profile_becomes_what_matching_needs() {
    let s = seeker_from_profile();
    assert_eq!(s.interests, vec![arts().to_string()]);
    let stems: Vec<&str> = s.keywords.iter().map(|(k, _)| k.as_str()).collect();
    assert!(stems.contains(&"sing") && stems.contains(&"garden") && stems.contains(&"dementia"));
    assert_eq!(s.max_km, Some(3.0));
    assert_eq!(s.free_times.len(), 1);
    assert_eq!(s.essential, vec![Access::StepFree]);
    assert_eq!(s.needs, vec![Access::HearingLoop, Access::StepFree]);
    assert_eq!(s.ages, Some((67, 68)));
    assert!(s.communities.contains(&Community::Carers));
    assert!(s.communities.contains(&Community::Dementia));
    assert!(s.communities.contains(&Community::OlderPeople));
}

#[test]
fn the_best_fit_comes_first_with_true_reasons() {
    let s = seeker_from_profile();
    let step = Access::StepFree.term_id();
    let lead = LIVED_EXPERIENCE_LED_TERM_ID;
    let mut choir = offer(
        "a",
        &[arts(), step, Community::Carers.term_id()],
        "A choir for carers: singing together.",
    );
    choir.schedules = vec![weekly(Weekday::Tu, 10 * 60, 12 * 60)];
    choir.places = vec![at(1.2)];
    choir.free = Some(true);
    let mut far = offer("b", &[arts(), step], "Singing.");
    far.places = vec![at(5.0)];
    let mut evening = offer("c", &[arts(), step], "Singing.");
    evening.schedules = vec![weekly(Weekday::Tu, 18 * 60, 20 * 60)];
    let mut stairs = offer("d", &[arts(), lead], "Singing upstairs.");
    stairs.places = vec![at(0.5)];
    let mut young = offer("e", &[arts(), step], "Singing.");
    young.maximum_age = Some(25);
    let mut plain = offer("f", &[step], "A quiz.");
    plain.places = vec![at(2.0)];
    let offers = vec![far, evening, stairs, young, plain, choir];
    let ranked = rank(&s, &offers, &Weights::default(), 10);
    let ids: Vec<&str> = ranked.iter().map(|r| r.offer_id.as_str()).collect();
    assert_eq!(ids, vec!["a", "f"], "{ranked:#?}");
    assert_eq!(
        ranked[0].reasons,
        vec![
            "Tuesdays 10am to midday, when you're free".to_string(),
            "0.7 miles away".into(),
            "Arts and making: one of your interests".into(),
            "Mentions singing".into(),
            "Step-free access".into(),
            "For carers".into(),
            "Free".into(),
        ]
    );
    for r in &ranked {
        let o = offers
            .iter()
            .find(|o| o.id == r.offer_id)
            .expect("ranked offer");
        assert!(!breaks_hard_constraint(&s, o));
    }
}

#[test]
fn an_offer_by_the_person_s_home_comes_before_the_same_offer_further_away() {
    let s = seeker_from_profile();
    let step = Access::StepFree.term_id();
    let mut far = offer("far", &[arts(), step], "Singing.");
    far.places = vec![at(2.5)];
    let mut near = offer("near", &[arts(), step], "Singing.");
    near.places = vec![at(0.05)];
    let ranked = rank(&s, &[far, near], &Weights::default(), 10);
    let ids: Vec<&str> = ranked.iter().map(|r| r.offer_id.as_str()).collect();
    assert_eq!(ids, vec!["near", "far"], "{ranked:#?}");
    assert!(ranked[0]
        .reasons
        .contains(&"Very close to your home".to_string()));
    assert!(ranked[1].reasons.contains(&"1.6 miles away".to_string()));
}

#[test]
fn preferences_and_dismissals_move_offers() {
    let mut s = Seeker::default();
    let lead = offer("a", &[LIVED_EXPERIENCE_LED_TERM_ID, arts()], "");
    let other = offer("b", &[CATEGORIES[2].id], "");
    let w = Weights::default();
    let before = rank(&s, &[lead.clone(), other.clone()], &w, 2);
    assert_eq!(before[0].score, before[1].score);
    s.preferences.lived_experience = true;
    let after = rank(&s, &[lead.clone(), other.clone()], &w, 2);
    assert_eq!(after[0].offer_id, "a");
    assert!(after[0]
        .reasons
        .contains(&"Run by people with lived experience".to_string()));
    s.preferences.lived_experience = false;
    s.dismissed_categories = vec![arts().to_string(); 5];
    let dismissed = rank(&s, &[lead, other], &w, 2);
    assert_eq!(dismissed[0].offer_id, "b");
}

#[test]
fn weights_are_checked_by_name() {
    assert!(Weights::default().check().is_ok());
    let bad = Weights {
        distance: -1.0,
        ..Weights::default()
    };
    assert_eq!(
        bad.check(),
        Err("matching.distance must be a number from 0 to 100 (it is -1)".to_string())
    );
}

#[test]
fn hour_masks_never_miss_a_real_overlap() {
    let offer = [weekly(Weekday::We, 10 * 60 + 30, 11 * 60 + 15)];
    let mask = week_hours(&offer).expect("dated");
    let mut s = Seeker {
        free_times: vec![FreeTime {
            day: Weekday::We,
            from: hm(11 * 60),
            to: hm(11 * 60 + 10),
        }],
        ..Seeker::default()
    };
    assert!(hours_meet(&mask, &s.free_hours().expect("free")));
    s.free_times[0].day = Weekday::Th;
    assert!(!hours_meet(&mask, &s.free_hours().expect("free")));
    assert_eq!(week_hours(&[]), None);
}

// ---- Properties ---------------------------------------------------------------------------

fn pool() -> Vec<&'static str> {
    vec![
        CATEGORIES[0].id,
        CATEGORIES[1].id,
        CATEGORIES[2].id,
        Access::StepFree.term_id(),
        Access::HearingLoop.term_id(),
        Access::QuietSpace.term_id(),
        Community::Carers.term_id(),
        Space::HasSpace.term_id(),
        Space::WaitingList.term_id(),
        LIVED_EXPERIENCE_LED_TERM_ID,
        "imported-term-1",
        "imported-term-2",
    ]
}

fn arb_offer(n: usize) -> impl Strategy<Value = ServiceIndex> {
    (
        prop::collection::vec(0..12usize, 0..6),
        prop::collection::vec(0..WORDS.len(), 0..3),
        prop::option::of((0..7usize, 6..20u16, 1..4u16)),
        prop::collection::vec(-6.0..6.0f64, 0..3),
        prop::option::of(0..80i64),
        prop::option::of(10..90i64),
        prop::option::of(any::<bool>()),
    )
        .prop_map(move |(terms, words, time, places, min, max, free)| {
            let p = pool();
            let t: Vec<&str> = terms.iter().map(|i| p[*i]).collect();
            let d: Vec<&str> = words.iter().map(|i| WORDS[*i]).collect();
            let mut o = offer(&format!("{n:03}"), &t, &d.join(" "));
            if let Some((day, h, len)) = time {
                o.schedules = vec![weekly(Weekday::ALL[day], h * 60, (h + len) * 60)];
            }
            o.places = places.into_iter().map(at).collect();
            o.minimum_age = min;
            o.maximum_age = max;
            o.free = free;
            o
        })
}

fn arb_offers() -> impl Strategy<Value = Vec<ServiceIndex>> {
    prop::collection::vec(any::<u8>(), 1..25).prop_flat_map(|v| {
        v.iter()
            .enumerate()
            .map(|(i, _)| arb_offer(i))
            .collect::<Vec<_>>()
    })
}

fn arb_seeker() -> impl Strategy<Value = Seeker> {
    (
        prop::collection::vec(0..12usize, 0..4),
        prop::collection::vec(0..WORDS.len(), 0..4),
        prop::option::of(0.5..8.0f64),
        prop::collection::vec((0..7usize, 7..21u16, 1..4u16), 0..3),
        prop::collection::vec(3..6usize, 0..3),
        prop::option::of(3..6usize),
        prop::option::of(5..90i64),
        any::<(bool, bool)>(),
        prop::collection::vec(0..3usize, 0..4),
    )
        .prop_map(
            |(interests, words, max_km, free, needs, essential, age, prefs, dismissed)| {
                let p = pool();
                let text = words
                    .iter()
                    .map(|i| WORDS[*i])
                    .collect::<Vec<_>>()
                    .join(" ");
                let access = |i: usize| Access::from_term_id(p[i]).unwrap_or(Access::StepFree);
                let mut interests: Vec<String> =
                    interests.iter().map(|i| p[*i].to_string()).collect();
                interests.dedup();
                Seeker {
                    interests,
                    keywords: stems(&text).into_iter().map(|s| (s.clone(), s)).collect(),
                    home: Some(home()),
                    max_km,
                    free_times: free
                        .into_iter()
                        .map(|(d, h, len)| FreeTime {
                            day: Weekday::ALL[d],
                            from: hm(h * 60),
                            to: hm((h + len) * 60),
                        })
                        .collect(),
                    needs: needs.into_iter().map(access).collect(),
                    essential: essential.into_iter().map(access).collect(),
                    ages: age.map(|a| (a - 1, a)),
                    communities: vec![Community::Carers],
                    preferences: Preferences {
                        lived_experience: prefs.0,
                        free: prefs.1,
                    },
                    dismissed_categories: dismissed.into_iter().map(|i| p[i].to_string()).collect(),
                    unit: Default::default(),
                }
            },
        )
}

/// The two steps, as the store runs them: bounds from facts, then whole records in batches
/// until no bound left can enter the list.
fn two_steps(
    s: &Seeker,
    offers: &[ServiceIndex],
    w: &Weights,
    k: usize,
    batch: usize,
) -> Vec<Suggestion> {
    let candidates: Vec<(String, Facts)> = offers
        .iter()
        .map(|o| (o.id.clone(), Facts::of(o)))
        .collect();
    let order = by_bound(s, &candidates, w);
    let mut top = TopK::new(k);
    for chunk in order.chunks(batch) {
        if top.settled(chunk[0].1) {
            break;
        }
        for (id, _) in chunk {
            if let Some(o) = offers.iter().find(|o| o.id == *id) {
                if let Some(x) = evaluate(s, id, &Facts::of(o), Some(Details::of(o)), w) {
                    top.push(x);
                }
            }
        }
    }
    top.into_vec()
}

proptest! {
    #[test]
    fn an_excluded_offer_never_appears(s in arb_seeker(), offers in arb_offers()) {
        let w = Weights::default();
        let ranked = rank(&s, &offers, &w, offers.len());
        for o in &offers {
            let shown = ranked.iter().any(|r| r.offer_id == o.id);
            prop_assert_eq!(shown, !breaks_hard_constraint(&s, o), "{:?}", o);
        }
    }

    #[test]
    fn adding_a_matching_interest_never_lowers_a_score(s in arb_seeker(), offers in arb_offers(), pick in 0..12usize) {
        let w = Weights::default();
        for o in &offers {
            let term = pool()[pick];
            if !o.taxonomy_term_ids.iter().any(|t| t == term) || s.interests.iter().any(|i| i == term) {
                continue;
            }
            let before = evaluate(&s, &o.id, &Facts::of(o), Some(Details::of(o)), &w);
            let mut more = s.clone();
            more.interests.push(term.to_string());
            let after = evaluate(&more, &o.id, &Facts::of(o), Some(Details::of(o)), &w);
            prop_assert_eq!(before.is_some(), after.is_some());
            if let (Some(b), Some(a)) = (before, after) {
                prop_assert!(a.score >= b.score, "{} < {}", a.score, b.score);
            }
        }
    }

    #[test]
    fn the_order_is_stable(s in arb_seeker(), offers in arb_offers(), seed in any::<u64>()) {
        let w = Weights::default();
        let once = rank(&s, &offers, &w, 10);
        let mut shuffled = offers.clone();
        let n = shuffled.len();
        let mut x = seed;
        for i in (1..n).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(&once, &rank(&s, &shuffled, &w, 10));
        prop_assert_eq!(&once, &rank(&s, &offers, &w, 10));
    }

    #[test]
    fn a_bound_is_never_below_the_score(s in arb_seeker(), offers in arb_offers()) {
        let w = Weights::default();
        for o in &offers {
            let exact = evaluate(&s, &o.id, &Facts::of(o), Some(Details::of(o)), &w);
            let bound = evaluate(&s, &o.id, &Facts::of(o), None, &w);
            if let Some(e) = exact {
                let b = bound.map(|b| b.score);
                prop_assert!(b.is_some_and(|b| b >= e.score), "{:?} < {}", b, e.score);
            }
        }
    }

    #[test]
    fn two_steps_give_what_reading_everything_gives(s in arb_seeker(), offers in arb_offers(), k in 1..8usize, batch in 1..5usize) {
        let w = Weights::default();
        prop_assert_eq!(two_steps(&s, &offers, &w, k, batch), rank(&s, &offers, &w, k));
    }
}

#[test]
fn access_key_ranges_hold_exactly_the_keys_with_every_essential_need() {
    let n = Access::ALL.len();
    let bits_of = |codes: &[Access]| {
        term_bits(
            &codes
                .iter()
                .map(|a| a.term_id().to_string())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(access_key(bits_of(&[Access::StepFree])), 1 << (n - 1));
    assert_eq!(access_key_ranges(bits_of(&[]), 8), None);
    assert_eq!(
        access_key_ranges(bits_of(&[Access::StepFree]), 8),
        Some(vec![(1 << (n - 1), (1 << n) - 1)])
    );
    // Every set of up to three needs, against every key.
    let all = Access::ALL;
    for a in 0..n {
        for b in a..n {
            for c in b..n {
                let essential = bits_of(&[all[a], all[b], all[c]]);
                let need = access_key(essential);
                let Some(ranges) = access_key_ranges(essential, 64) else {
                    assert!(c > 5, "few runs of keys when the needs come first");
                    continue;
                };
                assert!(ranges.len() <= 64);
                for key in 0..(1i64 << n) {
                    let inside = ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&key));
                    assert_eq!(inside, key & need == need, "key {key:b} need {need:b}");
                }
            }
        }
    }
}

proptest! {
    /// A directory search narrows a time filter to hours first; no slot the exact check
    /// (as the store's SQL makes it) would find may be ruled out by those hours.
    #[test]
    fn hours_to_search_never_rule_out_a_slot_that_meets_the_filter(
        day in 0..7usize,
        opens in proptest::option::of(0u16..=1440),
        closes in proptest::option::of(0u16..=1440),
        on in proptest::option::of(0..7usize),
        opens_from in proptest::option::of(-100i64..1600),
        closes_by in proptest::option::of(-100i64..1600),
        between in proptest::option::of((-100i64..1600, -100i64..1600)),
    ) {
        let slot = Schedule {
            recurrence: Recurrence::Weekly(vec![Weekday::ALL[day]]),
            opens: opens.map(hm),
            closes: closes.map(hm),
        };
        let o = i64::from(slot.opens.map_or(0, TimeOfDay::minutes));
        let c = i64::from(slot.closes.map_or(24 * 60, TimeOfDay::minutes));
        let meets = on.is_none_or(|d| d == day)
            && opens_from.is_none_or(|a| o >= a)
            && closes_by.is_none_or(|b| c <= b)
            && between.is_none_or(|(f, t)| o < t && c > f);
        let days: Vec<Weekday> = match on {
            Some(d) => vec![Weekday::ALL[d]],
            None => Weekday::ALL.to_vec(),
        };
        let search = hours_to_search(&days, opens_from, between);
        if meets {
            let search = search.expect("a slot meets it, so some hour can");
            prop_assert!(hours_meet(&week_hours(&[slot]).expect("dated"), &search));
        }
    }
}

#[test]
fn hours_to_search_are_the_hours_a_morning_can_touch() {
    // Tuesday, open some time before noon: Tuesday's hours 0 to 11 and no others.
    let mask = hours_to_search(&[Weekday::Tu], None, Some((0, 12 * 60))).expect("hours");
    let tuesday = |from: u16, to: u16| week_hours(&[weekly(Weekday::Tu, from, to)]).expect("dated");
    assert!(hours_meet(&mask, &tuesday(11 * 60 + 30, 13 * 60)));
    assert!(!hours_meet(&mask, &tuesday(12 * 60, 13 * 60)));
    assert!(!hours_meet(
        &mask,
        &week_hours(&[weekly(Weekday::We, 9 * 60, 10 * 60)]).expect("dated")
    ));
    // A window ending before any slot can open: nothing can meet it.
    assert_eq!(hours_to_search(&[Weekday::Tu], None, Some((-60, 0))), None);
    assert_eq!(hours_to_search(&[], None, None), None);
}
