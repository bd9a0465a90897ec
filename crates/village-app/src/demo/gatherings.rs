//! The demo's gatherings: the people's assembly coming up, full, with a waiting list and
//! places kept for people who draw on care and support, chaired by Priyanka and Chen; a
//! coffee morning at the library chaired by Olu; and Grace's knit and natter open day, a
//! draft waiting for Kwame to say whether he will chair it.

use village_domain::gatherings::gathering::State;
use village_domain::gatherings::places::{has_room, Place, Taken};
use village_store::gatherings::{self as store, places, NewGathering};
use village_store::{accounts as account_store, Store};

const DAY: i64 = 86_400;
const ORGANISER: &str = "grace@meadowfield.example";

/// Who is going to the assembly (in the order they signed up), and what would help them.
const ASSEMBLY: &[(&str, &str, &str)] = &[
    (
        "olu@meadowfield.example",
        "information_format,travel",
        "Large print, please: 24 point.",
    ),
    (
        "kwame@meadowfield.example",
        "call",
        "I may need to bring my brother.",
    ),
    ("tom.wright@meadowfield.example", "", ""),
    ("margaret@meadowfield.example", "quiet_space", ""),
    (
        "harold@meadowfield.example",
        "travel",
        "A lift from Elm Road would help.",
    ),
    ("dorothy@meadowfield.example", "", ""),
    ("aisha@meadowfield.example", "food", "Halal food, please."),
    ("bernard@meadowfield.example", "", ""),
    (
        "irene@meadowfield.example",
        "communication_support",
        "More time to speak.",
    ),
    ("joy@meadowfield.example", "", ""),
    ("ruth@meadowfield.example", "", ""),
    ("winston@meadowfield.example", "", ""),
    ("zofia@meadowfield.example", "", ""),
    ("yusuf@meadowfield.example", "", ""),
];

/// Midday in London, `days` from `now`'s day, plus `hours`.
fn at(now: i64, days: i64, hours: i64) -> i64 {
    let day = village_domain::dates::today_ymd(now + days * DAY);
    let start = village_domain::dates::parse_day(&day)
        .and_then(village_domain::dates::day_start)
        .unwrap_or(now);
    start + hours * 3600
}

/// Load the demo's gatherings, once (nothing is added when Grace already runs one).
pub async fn load(store_: &Store, now: i64) -> anyhow::Result<()> {
    let mut tx = store_.begin().await?;
    let Some(grace) = account_store::user_by_email(&mut tx, ORGANISER).await? else {
        return Ok(());
    };
    if !store::of_member(&mut tx, grace.id, 1).await?.is_empty() {
        return Ok(());
    }
    let mut ids = std::collections::HashMap::new();
    for (email, ..) in ASSEMBLY {
        if let Some(u) = account_store::user_by_email(&mut tx, email).await? {
            ids.insert(
                *email,
                (
                    u.id,
                    u.lived_declared && u.lived_kinds.contains("draws_on_support"),
                ),
            );
        }
    }

    // The people's assembly: full, with a waiting list.
    let assembly = store::create(
        &mut tx,
        &NewGathering {
            title: "Meadowfield people's assembly",
            about: "What should care and support in Meadowfield look like next year? Come and say, and hear what others think.\n\nWe start with tea at 1:30. Bring your ideas, your worries and your friends.",
            for_whom: "Everyone in Meadowfield, especially people who draw on care and support and their families",
            starts_at: at(now, 12, 14),
            ends_at: at(now, 12, 16),
            venue: Some("Meadowfield Community Centre"),
            address: Some("1 Green Lane, Meadowfield"),
            postcode: None,
            online_url: Some("https://meet.example.org/meadowfield-assembly"),
            capacity: Some(12),
            reserved_places: 4,
            access: "step_free,accessible_toilet,hearing_loop,bsl_interpreter,quiet_room,seating,food_and_drink",
            cost: "Free",
            organization_id: None,
            open_space: false,
        },
        grace.id,
        now - 10 * DAY,
    )
    .await?;
    for email in [
        "priyanka@meadowfield.example",
        "chen.wei@meadowfield.example",
    ] {
        if let Some(u) = account_store::user_by_email(&mut tx, email).await? {
            store::invite_chair(&mut tx, assembly, u.id, now - 10 * DAY).await?;
            store::answer_chair(&mut tx, assembly, u.id, true, true, now - 9 * DAY).await?;
        }
    }
    store::set_state(&mut tx, assembly, State::Published, now - 9 * DAY).await?;
    let mut taken = Taken::default();
    for (n, (email, needs, words)) in ASSEMBLY.iter().enumerate() {
        let Some(&(uid, draws)) = ids.get(email) else {
            continue;
        };
        // Twelve places, four kept for people who draw on care and support: the rest wait.
        let place = if has_room(Some(12), 4, taken, draws) {
            taken.all += 1;
            taken.drawing_on_support += i64::from(draws);
            Place::Going
        } else {
            Place::Waiting
        };
        let joined = now - (8 - n as i64 / 2) * DAY;
        places::add(&mut tx, assembly, uid, place, draws, joined).await?;
        places::put_needs(&mut tx, assembly, uid, needs, words, joined).await?;
    }

    // A coffee morning at the library, chaired by Olu.
    let coffee = store::create(
        &mut tx,
        &NewGathering {
            title: "Coffee morning at the library",
            about: "A cup of tea, a biscuit and a chat. Come for ten minutes or the whole morning.",
            for_whom: "Anyone",
            starts_at: at(now, 5, 10),
            ends_at: at(now, 5, 12) - 1800,
            venue: Some("Meadowfield Library"),
            address: Some("Church Street, Meadowfield"),
            postcode: None,
            online_url: None,
            capacity: None,
            reserved_places: 0,
            access: "step_free,accessible_toilet,seating,food_and_drink,parking",
            cost: "Free, or 50p for cake",
            organization_id: None,
            open_space: false,
        },
        grace.id,
        now - 6 * DAY,
    )
    .await?;
    if let Some(olu) = account_store::user_by_email(&mut tx, "olu@meadowfield.example").await? {
        store::invite_chair(&mut tx, coffee, olu.id, now - 6 * DAY).await?;
        store::answer_chair(&mut tx, coffee, olu.id, true, true, now - 6 * DAY).await?;
        store::set_state(&mut tx, coffee, State::Published, now - 6 * DAY).await?;
    }

    // A draft, with Kwame asked to chair it.
    let open_day = store::create(
        &mut tx,
        &NewGathering {
            title: "Knit and natter open day",
            about: "Try knitting, crochet or just the natter. Needles and wool are on us.",
            for_whom: "Anyone curious, any age",
            starts_at: at(now, 20, 11),
            ends_at: at(now, 20, 15),
            venue: Some("St Mary's Church Hall"),
            address: Some("Mill Lane, Meadowfield"),
            postcode: None,
            online_url: None,
            capacity: Some(30),
            reserved_places: 0,
            access: "step_free,seating,food_and_drink",
            cost: "Free",
            organization_id: None,
            open_space: false,
        },
        grace.id,
        now - DAY,
    )
    .await?;
    if let Some(kwame) = account_store::user_by_email(&mut tx, "kwame@meadowfield.example").await? {
        store::invite_chair(&mut tx, open_day, kwame.id, now - DAY).await?;
    }
    tx.commit().await?;
    Ok(())
}
