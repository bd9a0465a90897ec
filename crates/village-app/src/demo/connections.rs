//! The demo's connections: two members who organise their groups, saved ideas, and
//! introductions in every state, with their history, so every page has something real on it.

use super::directory::demo_id;
use village_domain::access::connections::{next, Parties};
use village_domain::connections::introduction::{Action, State};
use village_store::connections::{self as store, NewIntroduction, Transition};
use village_store::{accounts as account_store, Store};

/// Members who organise a demo group: (email, the group's activity number).
const ORGANISERS: &[(&str, usize)] = &[
    ("grace@meadowfield.example", 0), // Meadowfield Knitters
    ("mick@meadowfield.example", 3),  // Meadowfield Men's Shed
];

/// (person, activity number, who asks, the steps after asking, days ago it started, reason
/// for the last step). `who asks` is the person themself or their connector.
type Journey = (
    &'static str,
    usize,
    &'static str,
    &'static [Action],
    i64,
    &'static str,
);

const JOURNEYS: &[Journey] = &[
    // A connector's suggestion waiting for Tom to agree.
    (
        "tom.wright@meadowfield.example",
        6,
        "sam.okafor@meadowfield.example",
        &[],
        1,
        "",
    ),
    // Sent a few days ago to the knitters, for Grace to answer.
    (
        "lena@meadowfield.example",
        0,
        "lena@meadowfield.example",
        &[Action::Send],
        3,
        "",
    ),
    // Sent nine days ago with no answer yet: the group has been reminded.
    (
        "aisha@meadowfield.example",
        9,
        "aisha@meadowfield.example",
        &[Action::Send],
        9,
        "",
    ),
    // Sent to the men's shed and accepted.
    (
        "winston@meadowfield.example",
        3,
        "winston@meadowfield.example",
        &[Action::Send, Action::Accept],
        6,
        "",
    ),
    (
        "gareth@meadowfield.example",
        1,
        "gareth@meadowfield.example",
        &[Action::Send, Action::Decline],
        12,
        "We are full until January: we will get in touch then.",
    ),
    (
        "jim.h@meadowfield.example",
        2,
        "sam.okafor@meadowfield.example",
        &[Action::Send, Action::Accept, Action::Met],
        20,
        "",
    ),
    (
        "rosa@meadowfield.example",
        5,
        "rosa@meadowfield.example",
        &[Action::Send, Action::Accept, Action::Met, Action::GoingWell],
        40,
        "",
    ),
    (
        "beth@meadowfield.example",
        7,
        "beth@meadowfield.example",
        &[Action::Send, Action::Accept, Action::Met, Action::Stop],
        60,
        "It moved to Saturdays and I work then.",
    ),
    (
        "priyanka@meadowfield.example",
        8,
        "priyanka@meadowfield.example",
        &[Action::Send, Action::Withdraw],
        15,
        "My neighbour is helping me with my phone now.",
    ),
];

/// Ideas members saved: (email, activity number).
const SAVED: &[(&str, usize)] = &[
    ("grace@meadowfield.example", 8),
    ("tom.wright@meadowfield.example", 7),
];

fn offer(activity: usize) -> String {
    demo_id(0x0D0_0002, activity * 3 + 1)
}

fn group(activity: usize) -> String {
    super::directory::group_of_activity(activity)
}

const DAY: i64 = 86_400;

pub async fn load(store_: &Store, now: i64) -> anyhow::Result<()> {
    let mut tx = store_.begin().await?;
    let mut id_of = std::collections::HashMap::new();
    let emails = ORGANISERS
        .iter()
        .map(|(e, _)| *e)
        .chain(JOURNEYS.iter().flat_map(|j| [j.0, j.2]))
        .chain(SAVED.iter().map(|(e, _)| *e));
    for email in emails {
        if let Some(u) = account_store::user_by_email(&mut tx, email).await? {
            id_of.insert(email, u.id);
        }
    }
    for (email, activity) in ORGANISERS {
        if let Some(id) = id_of.get(email) {
            village_store::directory::make_organiser(&mut tx, &group(*activity), *id, None, now)
                .await?;
        }
    }
    for (email, activity) in SAVED {
        if let Some(id) = id_of.get(email) {
            if store::marks(&mut tx, *id).await?.is_empty() {
                store::set_mark(&mut tx, *id, &offer(*activity), "saved", "", now).await?;
            }
        }
    }
    for (person, activity, asker, steps, days_ago, reason) in JOURNEYS {
        let (Some(person_id), Some(asker_id)) = (id_of.get(person), id_of.get(asker)) else {
            continue;
        };
        let service_id = offer(*activity);
        let existing = store::introductions_of_person(&mut tx, *person_id).await?;
        if existing.iter().any(|i| i.service_id == service_id) {
            continue;
        }
        let Some(doc) = village_store::directory::service_doc(&mut tx, &service_id, true).await?
        else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(&doc)?;
        let name = value["name"]
            .as_str()
            .unwrap_or("A Meadowfield group")
            .to_string();
        let email = account_store::user_by_id(&mut tx, *person_id)
            .await?
            .map(|u| u.email)
            .unwrap_or_default();
        let mut at = now - days_ago * DAY;
        let id = store::create_introduction(
            &mut tx,
            &NewIntroduction {
                person_id: *person_id,
                service_id: &service_id,
                organization_id: Some(&group(*activity)),
                offer_name: &name,
                requested_by: *asker_id,
                share_support: false,
                contact: &email,
                message: "",
            },
            at,
        )
        .await?;
        let mut state = State::Requested;
        let organiser = ORGANISERS
            .iter()
            .find(|(_, a)| a == activity)
            .and_then(|(e, _)| id_of.get(e).copied());
        for (k, action) in steps.iter().enumerate() {
            let group_step = matches!(action, Action::Accept | Action::Decline);
            let parties = Parties {
                person: !group_step,
                connector: false,
                organiser: group_step,
            };
            let last = k + 1 == steps.len();
            let why = if last { *reason } else { "" };
            let to = next(
                state,
                *action,
                parties,
                true,
                if why.is_empty() { "-" } else { why },
            )
            .map_err(|r| anyhow::anyhow!("the demo's introduction is wrong: {}", r.code()))?;
            at += 2 * DAY;
            let actor = if group_step {
                organiser.unwrap_or(*asker_id)
            } else {
                *person_id
            };
            store::transition(
                &mut tx,
                &Transition {
                    id,
                    actor,
                    action: action.code(),
                    from: state.code(),
                    to: to.code(),
                    reason: why,
                    support_text: if to.ended() { Some("") } else { None },
                },
                at.min(now),
            )
            .await?;
            state = to;
        }
    }
    tx.commit().await?;
    Ok(())
}
