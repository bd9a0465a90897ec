//! The demo's gatherings: the people's assembly coming up, full, with a waiting list and
//! places kept for people who draw on care and support, chaired by Priyanka and Chen; a
//! weekly coffee morning at the library chaired by Olu, skipping one week; and Grace's knit and natter open day, a
//! draft waiting for Kwame to say whether he will chair it; an open-space day coming up with
//! sessions on its grid; and last month's autumn assembly, run as open space, with its
//! minutes approved and an action that became a proposal to the co-production board.

use village_domain::gatherings::gathering::{Repeats, State};
use village_domain::gatherings::places::{has_room, Place, Taken};
use village_domain::gatherings::series::{last_end, occurrences, Series};
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
            rooms: "",
            session_minutes: 60,
            repeats: "once",
            repeat_until: None,
            skipped: "",
            last_ends_at: 0,
            offer_id: None,
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

    // A coffee morning at the library every week for twelve weeks, chaired by Olu; not in
    // the week the library is closed.
    let coffee_starts = at(now, 5, 10);
    let coffee_ends = at(now, 5, 12) - 1800;
    let weekly = Series {
        repeats: Repeats::Weekly,
        until: village_domain::dates::parse_day(&village_domain::dates::today_ymd(
            coffee_starts + 77 * DAY,
        )),
        skipped: Vec::new(),
    };
    let closed = occurrences(coffee_starts, coffee_ends, &weekly, 3)
        .last()
        .and_then(|(t, _)| village_domain::dates::london_clock(*t))
        .map(|d| d.date());
    let weekly = Series {
        skipped: closed.into_iter().collect(),
        ..weekly
    };
    let until = weekly.until.map(|d| d.format("%Y-%m-%d").to_string());
    let skipped = weekly.skipped_text();
    let coffee = store::create(
        &mut tx,
        &NewGathering {
            title: "Coffee morning at the library",
            about: "A cup of tea, a biscuit and a chat, every week. Come for ten minutes or the whole morning.",
            for_whom: "Anyone",
            starts_at: coffee_starts,
            ends_at: coffee_ends,
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
            rooms: "",
            session_minutes: 60,
            repeats: "weekly",
            repeat_until: until.as_deref(),
            skipped: &skipped,
            last_ends_at: last_end(coffee_starts, coffee_ends, &weekly),
            offer_id: None,
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
            rooms: "",
            session_minutes: 60,
            repeats: "once",
            repeat_until: None,
            skipped: "",
            last_ends_at: 0,
            offer_id: None,
        },
        grace.id,
        now - DAY,
    )
    .await?;
    if let Some(kwame) = account_store::user_by_email(&mut tx, "kwame@meadowfield.example").await? {
        store::invite_chair(&mut tx, open_day, kwame.id, now - DAY).await?;
    }
    open_space_day(&mut tx, grace.id, now).await?;
    autumn_assembly(&mut tx, grace.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A member's id by email, if the demo has them.
async fn member(tx: &mut village_store::Tx, email: &str) -> anyhow::Result<Option<i64>> {
    Ok(account_store::user_by_email(tx, email).await?.map(|u| u.id))
}

/// An open space, made and published with a chair who agreed and is named.
async fn open_space(
    tx: &mut village_store::Tx,
    g: &NewGathering<'_>,
    (grace, chair): (i64, &str),
    made: i64,
) -> anyhow::Result<Option<i64>> {
    let Some(chair) = member(tx, chair).await? else {
        return Ok(None);
    };
    let id = store::create(tx, g, grace, made).await?;
    store::invite_chair(tx, id, chair, made).await?;
    store::answer_chair(tx, id, chair, true, true, made).await?;
    store::set_state(tx, id, State::Published, made).await?;
    Ok(Some(id))
}

/// Sessions on a grid: (title, room, hours after the start, convener, note-taker, notes).
type DemoSession = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
);

async fn sessions(
    tx: &mut village_store::Tx,
    id: i64,
    starts_at: i64,
    list: &[DemoSession],
    made: i64,
) -> anyhow::Result<Vec<i64>> {
    use village_domain::gatherings::open_space::room_key;
    use village_store::gatherings::sessions as store_sessions;
    let mut out = Vec::new();
    for (title, room, hours, convener, note_taker, notes) in list {
        let new = store_sessions::NewSession {
            title,
            room,
            room_key: &room_key(room),
            starts_at: starts_at + hours * 3600,
            convener_id: member(tx, convener).await?,
            convener_name: None,
        };
        let Some(by) = new.convener_id else {
            continue;
        };
        let sid = store_sessions::add(tx, id, &new, by, made).await?;
        if let Some(taker) = member(tx, note_taker).await? {
            store_sessions::take_notes(tx, sid, taker).await?;
        }
        if !notes.is_empty() {
            store_sessions::put_notes(tx, sid, notes, made).await?;
        }
        out.push(sid);
    }
    Ok(out)
}

/// An open-space day coming up, chaired by Chen, with three sessions on the grid already.
async fn open_space_day(tx: &mut village_store::Tx, grace: i64, now: i64) -> anyhow::Result<()> {
    let starts_at = at(now, 12, 10);
    let g = NewGathering {
        title: "Open space: what next for care in Meadowfield?",
        about: "Bring an idea, a worry or a hope. Anyone can lead a session. We end together and say what we will do next.",
        for_whom: "Everyone, especially people who draw on care and support, and carers",
        starts_at,
        ends_at: starts_at + 5 * 3600,
        venue: Some("Meadowfield Community Centre"),
        address: Some("1 Green Lane, Meadowfield"),
        postcode: None,
        online_url: None,
        capacity: Some(60),
        reserved_places: 15,
        access: "step_free,accessible_toilet,hearing_loop,quiet_room,seating,food_and_drink",
        cost: "Free, with lunch",
        organization_id: None,
        open_space: true,
        rooms: "Main hall\nGarden room\nLibrary corner",
        session_minutes: 60,
        repeats: "once",
        repeat_until: None,
        skipped: "",
        last_ends_at: 0,
        offer_id: None,
    };
    let Some(id) = open_space(
        tx,
        &g,
        (grace, "chen.wei@meadowfield.example"),
        now - 4 * DAY,
    )
    .await?
    else {
        return Ok(());
    };
    for email in [
        "tom.wright@meadowfield.example",
        "margaret@meadowfield.example",
        "aisha@meadowfield.example",
        "priyanka@meadowfield.example",
    ] {
        if let Some(uid) = member(tx, email).await? {
            places::add(tx, id, uid, Place::Going, false, now - 3 * DAY).await?;
        }
    }
    let list: &[DemoSession] = &[
        (
            "Getting to the clinic by bus",
            "Main hall",
            0,
            "tom.wright@meadowfield.example",
            "",
            "",
        ),
        (
            "Carers need a break too",
            "Garden room",
            0,
            "priyanka@meadowfield.example",
            "margaret@meadowfield.example",
            "",
        ),
        (
            "Making the library a warm space",
            "Main hall",
            1,
            "aisha@meadowfield.example",
            "",
            "",
        ),
    ];
    sessions(tx, id, starts_at, list, now - 2 * DAY).await?;
    Ok(())
}

/// Last month's autumn assembly, run as open space: its minutes approved by Priyanka, and an
/// action that became a proposal to the co-production board.
async fn autumn_assembly(tx: &mut village_store::Tx, grace: i64, now: i64) -> anyhow::Result<()> {
    use village_store::gatherings::minutes as store_minutes;
    let starts_at = at(now, -30, 13);
    let g = NewGathering {
        title: "Autumn people's assembly",
        about: "What is working, what is not, and what we push for next. Chaired by people with lived experience.",
        for_whom: "Everyone",
        starts_at,
        ends_at: starts_at + 3 * 3600,
        venue: Some("Meadowfield Community Centre"),
        address: Some("1 Green Lane, Meadowfield"),
        postcode: None,
        online_url: None,
        capacity: None,
        reserved_places: 0,
        access: "step_free,accessible_toilet,hearing_loop,bsl_interpreter,seating,food_and_drink",
        cost: "Free",
        organization_id: None,
        open_space: true,
        rooms: "Main hall\nGarden room",
        session_minutes: 60,
        repeats: "once",
        repeat_until: None,
        skipped: "",
        last_ends_at: 0,
        offer_id: None,
    };
    let made = now - 45 * DAY;
    let Some(id) = open_space(tx, &g, (grace, "priyanka@meadowfield.example"), made).await? else {
        return Ok(());
    };
    for email in [
        "tom.wright@meadowfield.example",
        "olu@meadowfield.example",
        "kwame@meadowfield.example",
        "margaret@meadowfield.example",
    ] {
        if let Some(uid) = member(tx, email).await? {
            places::add(tx, id, uid, Place::Going, false, made + DAY).await?;
        }
    }
    let list: &[DemoSession] = &[
        (
            "Buses after six",
            "Main hall",
            0,
            "tom.wright@meadowfield.example",
            "olu@meadowfield.example",
            "The last 42 bus leaves the clinic at 5:50pm. People miss evening appointments and the carers' group.\nWe want a later bus, or a lift scheme from Elm Road.",
        ),
        (
            "A break for carers",
            "Garden room",
            0,
            "kwame@meadowfield.example",
            "margaret@meadowfield.example",
            "Carers said a few hours off each month would help most. Some did not know about the sitting service.\nPriyanka will share the list of what is on.",
        ),
    ];
    sessions(tx, id, starts_at, list, starts_at + 2 * 3600).await?;
    let priyanka = member(tx, "priyanka@meadowfield.example").await?;
    let written = starts_at + 2 * DAY;
    store_minutes::put(
        tx,
        id,
        "About 40 of us met in the community centre. Priyanka chaired, with a BSL interpreter.\nWe ran two sessions at once: buses after six, and a break for carers. Both sets of notes are linked below.\nWe agreed to take the bus to the co-production board, and to share what is on for carers.",
        38,
        "Meadowfield Carers' Group\nKnit and natter\nElm Road residents",
        grace,
        written,
    )
    .await?;
    let by = village_domain::dates::today_ymd(starts_at + 21 * DAY);
    let share = village_domain::dates::today_ymd(starts_at + 14 * DAY);
    store_minutes::put_actions(
        tx,
        id,
        &[
            store_minutes::NewAction {
                id: None,
                what: "Ask the council for a later 42 bus, or a lift scheme from Elm Road",
                who: "Grace and Tom",
                by_day: Some(&by),
            },
            store_minutes::NewAction {
                id: None,
                what: "Share the list of breaks and sitting services for carers",
                who: "Priyanka",
                by_day: Some(&share),
            },
        ],
    )
    .await?;
    if let Some(p) = priyanka {
        store_minutes::approve(tx, id, p, written + DAY).await?;
    }
    // The bus action went to the co-production board.
    let board = village_store::decisions::spaces(tx)
        .await?
        .into_iter()
        .find(|s| s.name == "Adult social care co-production board");
    let action = store_minutes::actions(tx, id).await?.into_iter().next();
    if let (Some(board), Some(action)) = (board, action) {
        let pid = village_store::decisions::create_proposal(
            tx,
            board.id,
            "Ask the council for a later 42 bus, or a lift scheme from Elm Road",
            "The last 42 bus leaves the clinic at 5:50pm, so people miss evening appointments and the carers' group. The autumn assembly asked for a later bus, or a lift scheme from Elm Road.\n\nThis came from the minutes of the Autumn people's assembly.",
            "People who use the clinic or the carers' group and do not drive",
            grace,
            written + 2 * DAY,
        )
        .await?;
        village_store::decisions::set_came_from(
            tx,
            pid,
            &crate::gatherings::minutes::minutes_link(id),
            "The minutes of the Autumn people's assembly",
        )
        .await?;
        store_minutes::set_action_proposal(tx, action.id, pid).await?;
    }
    Ok(())
}
