use super::*;

fn ids() -> impl Iterator<Item = String> {
    (1..).map(|n: u64| format!("00000000-0000-4000-8000-{n:012x}"))
}

#[test]
fn a_new_offer_becomes_a_valid_record() {
    let form = NewOfferForm {
        name: "Tuesday walk".into(),
        description: "A gentle walk round the park".into(),
        group: "Park Pals".into(),
        category: "moving".into(),
        kind: "informal_group".into(),
        day: "TU".into(),
        opens: "10:00".into(),
        closes: "11:30".into(),
        venue: "Riverside Park".into(),
        postcode: "mf2 4dg".into(),
        free: "yes".into(),
        lived_led: true,
        communities: vec!["older_people".into()],
        access: vec!["step_free".into()],
        space: "has_space".into(),
        ..Default::default()
    };
    let record = new_offer(
        &form,
        &mut ids(),
        LatLon::new(52.9, -1.1).ok(),
        "2026-11-23T10:00:00Z",
    );
    let record = record.unwrap_or_default();
    let (index, warnings) =
        super::super::oruk::read_service(&record).unwrap_or_else(|p| panic!("{p:?}"));
    assert!(warnings.is_empty());
    assert_eq!(index.name, "Tuesday walk");
    assert_eq!(index.free, Some(true));
    assert_eq!(index.schedules[0].words(), "Tuesdays 10am to 11:30am");
    assert_eq!(index.places.len(), 1);
    assert_eq!(index.taxonomy_term_ids.len(), 6);
    assert!(index
        .taxonomy_term_ids
        .iter()
        .any(|t| t == Community::OlderPeople.term_id()));
    assert_eq!(
        record["service_at_locations"][0]["location"]["addresses"][0]["postal_code"],
        "MF2 4DG"
    );
}

#[test]
fn every_problem_names_its_field() {
    let form = NewOfferForm {
        opens: "25:00".into(),
        closes: "09:00".into(),
        postcode: "nope".into(),
        email: "x".into(),
        ..Default::default()
    };
    let fields: Vec<&str> = new_offer(&form, &mut ids(), None, "now")
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "description",
            "group",
            "opens",
            "day",
            "postcode",
            "email"
        ]
    );
}

#[test]
fn a_change_keeps_everything_else() {
    let current = json!({"id": "x", "name": "Old", "description": "Old words", "schedules": [{"byday": "MO"}], "email": "a@b.org"});
    let form = ChangeForm {
        name: "New".into(),
        description: "New words".into(),
        ..Default::default()
    };
    let changed =
        apply_change(&current, &form, &mut ids(), "2026-11-23T10:00:00Z").unwrap_or_default();
    assert_eq!(changed["schedules"], current["schedules"]);
    assert!(
        changed.get("email").is_none(),
        "an emptied email is removed"
    );
    let diff = differences(Some(&current), &changed);
    let labels: Vec<&str> = diff.iter().map(|(l, ..)| l.as_str()).collect();
    assert_eq!(labels, ["Name", "What happens", "Email"]);
    assert_eq!(diff[0], ("Name".into(), "Old".into(), "New".into()));
    let bad = apply_change(
        &current,
        &ChangeForm {
            url: "not a url".into(),
            ..Default::default()
        },
        &mut ids(),
        "now",
    );
    assert_eq!(bad.err().map(|e| e.len()), Some(3));
}

#[test]
fn a_change_can_say_who_it_is_for_its_access_and_whether_it_has_space() {
    let category = category_by_code("social").map(|c| c.id).unwrap_or_default();
    let current = json!({"id": "x", "name": "Club", "description": "Fun", "attributes": [
        {"id": "a1", "taxonomy_term_id": category},
        {"id": "a2", "taxonomy_term_id": Access::StepFree.term_id()},
        {"id": "a3", "taxonomy_term": {"id": Community::Carers.term_id(), "name": "Carers"}},
    ]});
    let form = ChangeForm {
        name: "Club".into(),
        description: "Fun".into(),
        space: Some("waiting_list".into()),
        communities: Some(vec!["carers".into(), "deaf".into()]),
        access: Some(vec!["bsl".into()]),
        ..Default::default()
    };
    let changed = apply_change(&current, &form, &mut ids(), "now").unwrap_or_default();
    let terms: Vec<&str> = changed["attributes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(attribute_term)
        .collect();
    assert_eq!(
        terms,
        [
            category,
            Community::Carers.term_id(),
            Space::WaitingList.term_id(),
            Community::Deaf.term_id(),
            Access::Bsl.term_id(),
        ],
        "the category and the kept community stay as they were; step-free goes"
    );
    // Saying nothing about them keeps them.
    let keep = ChangeForm {
        name: "Club".into(),
        description: "Fun".into(),
        ..Default::default()
    };
    let same = apply_change(&changed, &keep, &mut ids(), "now").unwrap_or_default();
    assert_eq!(same["attributes"], changed["attributes"]);
    // Unknown codes are named by field.
    let bad = ChangeForm {
        name: "Club".into(),
        description: "Fun".into(),
        space: Some("full".into()),
        communities: Some(vec!["martians".into()]),
        access: Some(vec!["ramps".into()]),
        ..Default::default()
    };
    let fields: Vec<&str> = apply_change(&current, &bad, &mut ids(), "now")
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["space", "communities", "access"]);
}

fn line(day: &str, week: &str, opens: &str, closes: &str) -> TimeLine {
    TimeLine {
        day: day.into(),
        week: week.into(),
        opens: opens.into(),
        closes: closes.into(),
    }
}

#[test]
fn a_change_can_say_when_it_happens() {
    let current = json!({"id": "00000000-0000-4000-8000-00000000000a", "status": "active",
    "name": "Club", "description": "Fun",
    "schedules": [{"id": "s0", "description": "Ring first"}],
    "service_at_locations": [{"id": "l1", "schedules": [
        {"id": "s1", "freq": "WEEKLY", "byday": "TU,TH", "opens_at": "10:00", "closes_at": "12:00"}
    ]}]});
    assert_eq!(
        time_lines(&current),
        [
            line("TU", "", "10:00", "12:00"),
            line("TH", "", "10:00", "12:00")
        ]
    );
    let same = ChangeForm {
        name: "Club".into(),
        description: "Fun".into(),
        times: Some(vec![
            line("tu", "", "10:00", "12:00"),
            line("", "", "", ""),
            line("TH", "", "10:00", "12:00"),
        ]),
        ..Default::default()
    };
    let kept = apply_change(&current, &same, &mut ids(), "now").unwrap_or_default();
    assert_eq!(kept["schedules"], current["schedules"]);
    assert_eq!(
        kept["service_at_locations"], current["service_at_locations"],
        "the same times keep the record's own shape"
    );
    // Moved to Wednesday afternoons, and the second Saturday of each month.
    let moved = ChangeForm {
        times: Some(vec![
            line("WE", "", "14:00", "16:00"),
            line("SA", "2", "10:00", ""),
        ]),
        ..same
    };
    let changed = apply_change(&current, &moved, &mut ids(), "now").unwrap_or_default();
    assert_eq!(
        time_lines(&changed),
        [
            line("WE", "", "14:00", "16:00"),
            line("SA", "2", "10:00", "")
        ]
    );
    assert_eq!(
        changed["schedules"][0]["description"], "Ring first",
        "words stay"
    );
    assert_eq!(changed["schedules"][2]["byday"], "2SA");
    assert_eq!(changed["schedules"][2]["freq"], "MONTHLY");
    assert!(changed["service_at_locations"][0]
        .get("schedules")
        .is_none());
    let (index, _) = super::super::oruk::read_service(&changed).unwrap();
    let words: Vec<String> = index.schedules.iter().map(|s| s.words()).collect();
    assert_eq!(words.len(), 2, "{words:?}");
    let labels: Vec<String> = differences(Some(&current), &changed)
        .into_iter()
        .map(|(l, ..)| l)
        .collect();
    assert_eq!(labels, ["When", "Where"]);
    // No times at all.
    let none = ChangeForm {
        times: Some(Vec::new()),
        ..moved.clone()
    };
    let cleared = apply_change(&changed, &none, &mut ids(), "now").unwrap_or_default();
    assert!(time_lines(&cleared).is_empty());
    assert_eq!(cleared["schedules"].as_array().map(Vec::len), Some(1));
    // Each problem names its line.
    let bad = ChangeForm {
        times: Some(vec![
            line("", "", "10:00", ""),
            line("MO", "", "14:00", "13:00"),
            line("FR", "", "tea time", ""),
            line("SU", "5", "", ""),
        ]),
        ..moved.clone()
    };
    let fields: Vec<&str> = apply_change(&current, &bad, &mut ids(), "now")
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "times[0].day",
            "times[1].closes",
            "times[2].opens",
            "times[3].week"
        ]
    );
    let many = ChangeForm {
        times: Some(vec![line("MO", "", "", ""); MAX_TIMES + 1]),
        ..moved
    };
    let problems = apply_change(&current, &many, &mut ids(), "now")
        .err()
        .unwrap_or_default();
    assert_eq!(problems.first().map(|p| p.field), Some("times"));
}

#[test]
fn a_change_can_say_what_it_costs() {
    let current = json!({"id": "00000000-0000-4000-8000-00000000000a", "status": "active",
        "name": "Club", "description": "Fun", "cost_options": [
        {"id": "c1", "amount": 2, "currency": "GBP", "amount_description": "Adults"},
        {"id": "c2", "amount": 0, "currency": "GBP", "amount_description": "Children"}
    ]});
    assert_eq!(
        cost_line(&current),
        CostLine {
            free: "no".into(),
            description: "Adults; Children".into()
        }
    );
    let same = ChangeForm {
        name: "Club".into(),
        description: "Fun".into(),
        cost: Some(cost_line(&current)),
        ..Default::default()
    };
    let kept = apply_change(&current, &same, &mut ids(), "now").unwrap_or_default();
    assert_eq!(
        kept["cost_options"], current["cost_options"],
        "unchanged, kept whole"
    );
    let free = ChangeForm {
        cost: Some(CostLine {
            free: "yes".into(),
            description: "Free for everyone".into(),
        }),
        ..same.clone()
    };
    let changed = apply_change(&current, &free, &mut ids(), "now").unwrap_or_default();
    let (index, _) = super::super::oruk::read_service(&changed).unwrap();
    assert_eq!(index.free, Some(true));
    assert_eq!(
        cost_line(&changed),
        CostLine {
            free: "yes".into(),
            description: "Free for everyone".into()
        }
    );
    let unsaid = ChangeForm {
        cost: Some(CostLine::default()),
        ..same.clone()
    };
    let removed = apply_change(&changed, &unsaid, &mut ids(), "now").unwrap_or_default();
    assert!(removed.get("cost_options").is_none());
    let paid = ChangeForm {
        cost: Some(CostLine {
            free: "no".into(),
            description: "Ask at the door".into(),
        }),
        ..same.clone()
    };
    let paid = apply_change(&removed, &paid, &mut ids(), "now").unwrap_or_default();
    let (index, _) = super::super::oruk::read_service(&paid).unwrap();
    assert_eq!(index.free, Some(false), "costs something, amount unknown");
    assert_eq!(cost_line(&paid).free, "no");
    let bad = ChangeForm {
        cost: Some(CostLine {
            free: "maybe".into(),
            description: "x".repeat(201),
        }),
        ..same
    };
    let fields: Vec<&str> = apply_change(&current, &bad, &mut ids(), "now")
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["free", "cost"]);
}

#[test]
fn a_change_can_say_where_it_happens() {
    let current = json!({"id": "00000000-0000-4000-8000-00000000000b", "status": "active",
        "name": "Club", "description": "Fun", "service_at_locations": [
        {"id": "sal-1", "schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "TU"}],
         "location": {"id": "loc-1", "name": "Old Hall", "latitude": 53.48, "longitude": -2.24,
            "addresses": [{"id": "a1", "address_1": "1 Old Road", "city": "Mossford",
                "state_province": "", "postal_code": "MF1 1AA", "country": "GB"}]}},
        {"id": "sal-2", "location": {"id": "loc-2", "name": "Park", "latitude": 53.5, "longitude": -2.2}}
    ]});
    assert_eq!(
        place_line(&current),
        PlaceLine {
            venue: "Old Hall".into(),
            address: "1 Old Road".into(),
            postcode: "MF1 1AA".into()
        }
    );
    let same = ChangeForm {
        name: "Club".into(),
        description: "Fun".into(),
        place: Some(place_line(&current)),
        ..Default::default()
    };
    let kept = apply_change(&current, &same, &mut ids(), "now").unwrap_or_default();
    assert_eq!(
        kept["service_at_locations"],
        current["service_at_locations"]
    );

    // A new name for the place keeps where it is, its ids, times and the other place.
    let renamed = ChangeForm {
        place: Some(PlaceLine {
            venue: "Community Hall".into(),
            ..place_line(&current)
        }),
        ..same.clone()
    };
    let renamed = apply_change(&current, &renamed, &mut ids(), "now").unwrap_or_default();
    let first = &renamed["service_at_locations"][0];
    assert_eq!(first["location"]["name"], "Community Hall");
    assert_eq!(first["location"]["latitude"], 53.48);
    assert_eq!(first["location"]["addresses"][0]["city"], "Mossford");
    assert_eq!(
        first["schedules"],
        current["service_at_locations"][0]["schedules"]
    );
    assert_eq!(
        renamed["service_at_locations"][1],
        current["service_at_locations"][1]
    );

    // A new postcode moves it to the postcode's centre, or to nowhere if that is unknown.
    let centre = LatLon::new(53.40, -2.10).unwrap();
    let moved = ChangeForm {
        place: Some(PlaceLine {
            venue: "New Hall".into(),
            address: "2 New Street".into(),
            postcode: "mf2 4dg".into(),
        }),
        place_centre: Some(centre),
        ..same.clone()
    };
    let moved = apply_change(&current, &moved, &mut ids(), "now").unwrap_or_default();
    let (index, _) = super::super::oruk::read_service(&moved).unwrap();
    assert_eq!(index.places[0].point, centre);
    assert_eq!(index.places[0].postcode.as_deref(), Some("MF2 4DG"));
    assert_eq!(index.places.len(), 2);
    let unknown = ChangeForm {
        place: Some(PlaceLine {
            postcode: "MF9 9ZZ".into(),
            ..place_line(&current)
        }),
        ..same.clone()
    };
    let unknown = apply_change(&current, &unknown, &mut ids(), "now").unwrap_or_default();
    let (index, _) = super::super::oruk::read_service(&unknown).unwrap();
    assert_eq!(index.places.len(), 1, "only the park still has a point");
    assert!(unknown["service_at_locations"][0]["location"]
        .get("latitude")
        .is_none());

    // All blank: the first place goes; an offer without one can be given one.
    let gone = ChangeForm {
        place: Some(PlaceLine::default()),
        ..same.clone()
    };
    let gone = apply_change(&current, &gone, &mut ids(), "now").unwrap_or_default();
    assert_eq!(
        gone["service_at_locations"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(gone["service_at_locations"][0]["id"], "sal-2");
    assert_eq!(
        gone["schedules"], current["service_at_locations"][0]["schedules"],
        "its times stay, as the offer's"
    );
    // The same postcode written another way is not a move.
    let respelt = ChangeForm {
        place: Some(PlaceLine {
            venue: "Old Hall".into(),
            address: "1 Old Road, by the church".into(),
            postcode: "mf11aa".into(),
        }),
        ..same.clone()
    };
    let respelt = apply_change(&current, &respelt, &mut ids(), "now").unwrap_or_default();
    assert_eq!(
        respelt["service_at_locations"][0]["location"]["latitude"],
        53.48
    );
    let bare = json!({"id": "00000000-0000-4000-8000-00000000000c", "status": "active",
        "name": "Club", "description": "Fun"});
    let given = ChangeForm {
        place: Some(PlaceLine {
            venue: "Library".into(),
            address: String::new(),
            postcode: "MF2 4DG".into(),
        }),
        place_centre: Some(centre),
        ..same.clone()
    };
    let given = apply_change(&bare, &given, &mut ids(), "now").unwrap_or_default();
    let (index, _) = super::super::oruk::read_service(&given).unwrap();
    assert_eq!(index.places.len(), 1);
    assert_eq!(index.places[0].point, centre);
    assert_eq!(place_line(&given).venue, "Library");
    assert_eq!(
        differences(Some(&bare), &given),
        vec![(
            "Where".to_string(),
            "(nothing)".to_string(),
            "Library, MF2 4DG".to_string()
        )]
    );

    let bad = ChangeForm {
        place: Some(PlaceLine {
            postcode: "nowhere".into(),
            ..PlaceLine::default()
        }),
        ..same.clone()
    };
    let problems = apply_change(&current, &bad, &mut ids(), "now").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "postcode");
}

#[test]
fn what_changed_is_said_in_words_never_as_data() {
    let arts = category_by_code("arts").map(|c| c.id).unwrap_or_default();
    let before = json!({"id": "x", "name": "Choir",
        "schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "TH", "opens_at": "14:00", "closes_at": "15:30"}],
        "cost_options": [{"id": "c1", "amount": 2, "amount_description": "£2 a session"}],
        "attributes": [{"id": "a1", "taxonomy_term_id": arts}]});
    let after = json!({"id": "x", "name": "Choir",
        "schedules": [{"id": "s2", "freq": "MONTHLY", "byday": "1MO", "opens_at": "12:00", "closes_at": "13:00"},
                      {"id": "s3", "description": "Some summer evenings"}],
        "cost_options": [{"id": "c2", "amount": 0, "option": "Free"}],
        "attributes": [{"id": "a1", "taxonomy_term_id": arts},
                       {"id": "a2", "taxonomy_term_id": Access::HearingLoop.term_id()},
                       {"id": "a3", "taxonomy_term_id": LIVED_EXPERIENCE_LED_TERM_ID}]});
    let diff = differences(Some(&before), &after);
    assert_eq!(
        diff,
        [
            (
                "When".to_string(),
                "Thursdays 2pm to 3:30pm".to_string(),
                "The first Monday of each month, midday to 1pm; Some summer evenings".to_string()
            ),
            ("Cost".into(), "£2 a session".into(), "Free".into()),
            (
                "Categories, kind, access, communities and space".into(),
                "Arts and making".into(),
                "Arts and making, Hearing loop, Led by people with lived experience".into()
            ),
        ]
    );
    let added = differences(None, &before);
    assert!(added
        .iter()
        .all(|(_, was, now)| was == "(nothing)" && !now.contains('{') && !now.contains('"')));
}
