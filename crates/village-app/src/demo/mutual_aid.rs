//! The demo's mutual aid board: neighbours' asks and offers across Meadowfield's areas, and
//! matches in every state with their messages, time given (one confirmed, one waiting for a
//! coordinator), an ask a coordinator typed in for someone by phone, and a group's offer, so
//! every page has something real on it.

use crate::settings::HelpArea;
use village_domain::directory::geo::Postcode;
use village_domain::mutual_aid::credits::ExchangeState;
use village_domain::mutual_aid::matches::{leads_to, Action, Agreed, State};
use village_domain::mutual_aid::post::{Category, Kind, PostState, Urgency};
use village_store::mutual_aid::{self as store, NewPost, Step};
use village_store::{accounts as account_store, Store};

const DAY: i64 = 24 * 3600;

/// Meadowfield's areas, for a demo hub whose settings name none.
pub fn areas() -> Vec<HelpArea> {
    [
        ("Town centre", "MF1"),
        ("Riverside", "MF2"),
        ("Oakwood", "MF3"),
    ]
    .iter()
    .map(|(name, postcode)| HelpArea {
        name: (*name).into(),
        postcode: (*postcode).into(),
    })
    .collect()
}

/// Who answered, the steps after answering, and the messages (`true`: from the one who
/// answered).
type Answer = (
    &'static str,
    &'static [Action],
    &'static [(bool, &'static str)],
);

struct DemoPost {
    by: &'static str,
    kind: Kind,
    category: Category,
    title: &'static str,
    details: &'static str,
    area: &'static str,
    urgency: Urgency,
    many_times: bool,
    days_ago: i64,
    closed: bool,
    answers: &'static [Answer],
    /// In the name of the group of this demo activity (the poster organises it).
    group: Option<usize>,
}

/// Posts a coordinator typed in for someone without email or internet: the post's title,
/// the coordinator, and how the member agreed.
const TYPED_IN: &[(&str, &str, Agreed)] = &[(
    "Reading a letter about my pension",
    "joan@meadowfield.example",
    Agreed::Phone,
)];

const POSTS: &[DemoPost] = &[
    DemoPost {
        by: "grace@meadowfield.example",
        kind: Kind::Ask,
        category: Category::Lifts,
        title: "A lift to the eye clinic on Thursday morning",
        details: "My appointment is at 10. I use a wheelchair that folds into a car boot.",
        area: "Town centre",
        urgency: Urgency::ThisWeek,
        many_times: false,
        days_ago: 2,
        closed: false,
        group: None,
        answers: &[(
            "mick@meadowfield.example",
            &[Action::Accept],
            &[
                (true, "I can take you. My car has a big boot."),
                (false, "Thank you so much! Shall we meet outside the community centre?"),
                (true, "Yes, 9:30 at the community centre. See you then."),
            ],
        )],
    },
    DemoPost {
        by: "tom.wright@meadowfield.example",
        kind: Kind::Offer,
        category: Category::Gardening,
        title: "I can help tidy small gardens",
        details: "Weeding, cutting back and planting. I bring my own tools. Weekday afternoons.",
        area: "Oakwood",
        urgency: Urgency::Anytime,
        many_times: true,
        days_ago: 9,
        closed: false,
        group: None,
        answers: &[
            (
                "aisha@meadowfield.example",
                &[],
                &[(true, "My mum's front garden has got away from us. Could you help one afternoon?")],
            ),
            (
                "lena@meadowfield.example",
                &[Action::Accept, Action::Done],
                &[
                    (true, "I would love help with the back border."),
                    (false, "Happy to. Tuesday afternoon?"),
                    (true, "Thank you, it looks lovely now."),
                ],
            ),
        ],
    },
    DemoPost {
        by: "aisha@meadowfield.example",
        kind: Kind::Ask,
        category: Category::Company,
        title: "A friendly phone chat for my mum",
        details: "Mum is 84 and loves talking about gardening and the old market. Once a week would be wonderful.",
        area: "Riverside",
        urgency: Urgency::Anytime,
        many_times: false,
        days_ago: 5,
        closed: false,
        group: None,
        answers: &[(
            "winston@meadowfield.example",
            &[Action::Decline],
            &[(true, "I could ring on Sunday evenings.")],
        )],
    },
    DemoPost {
        by: "mick@meadowfield.example",
        kind: Kind::Offer,
        category: Category::Repairs,
        title: "Small repairs: shelves, taps and bikes",
        details: "Retired joiner. Happy to fix small things. You pay for any parts.",
        area: "Town centre",
        urgency: Urgency::Anytime,
        many_times: true,
        days_ago: 14,
        closed: false,
        group: None,
        answers: &[(
            "grace@meadowfield.example",
            &[Action::Accept, Action::DidntHappen],
            &[(true, "My kitchen tap drips. Could you look at it?")],
        )],
    },
    DemoPost {
        by: "lena@meadowfield.example",
        kind: Kind::Ask,
        category: Category::Digital,
        title: "Help setting up video calls on a tablet",
        details: "I want to see my grandchildren in Poland.",
        area: "Riverside",
        urgency: Urgency::Today,
        many_times: false,
        days_ago: 0,
        closed: false,
        group: None,
        answers: &[(
            "tom.wright@meadowfield.example",
            &[Action::Withdraw],
            &[(true, "I can help, but not today, sorry.")],
        )],
    },
    DemoPost {
        by: "gareth@meadowfield.example",
        kind: Kind::Ask,
        category: Category::Shopping,
        title: "Picking up a prescription on Friday",
        details: "From the chemist on the High Street.",
        area: "Town centre",
        urgency: Urgency::ThisWeek,
        many_times: false,
        days_ago: 4,
        closed: false,
        group: None,
        answers: &[],
    },
    DemoPost {
        by: "winston@meadowfield.example",
        kind: Kind::Offer,
        category: Category::Cooking,
        title: "Caribbean cooking: I make too much soup",
        details: "I can drop off a portion of soup on Sundays.",
        area: "Riverside",
        urgency: Urgency::Anytime,
        many_times: true,
        days_ago: 7,
        closed: false,
        group: None,
        answers: &[],
    },
    DemoPost {
        by: "jim.h@meadowfield.example",
        kind: Kind::Ask,
        category: Category::Paperwork,
        title: "Reading a letter about my pension",
        details: "It is long and I find the words hard.",
        area: "Oakwood",
        urgency: Urgency::ThisWeek,
        many_times: false,
        days_ago: 1,
        closed: false,
        group: None,
        answers: &[],
    },
    DemoPost {
        by: "grace@meadowfield.example",
        kind: Kind::Ask,
        category: Category::Pets,
        title: "Walking my dog while my leg heals",
        details: "Bess is a calm old spaniel.",
        area: "Town centre",
        urgency: Urgency::Anytime,
        many_times: false,
        days_ago: 20,
        closed: true,
        group: None,
        answers: &[(
            "aisha@meadowfield.example",
            &[Action::Accept, Action::Done],
            &[(true, "My son and I would love to walk Bess.")],
        )],
    },
    DemoPost {
        by: "mick@meadowfield.example",
        kind: Kind::Offer,
        category: Category::Repairs,
        title: "Repair morning at the Men's Shed: bring your broken things",
        details: "Saturday mornings. Lamps, chairs, toasters and bikes. Tea is on us.",
        area: "Town centre",
        urgency: Urgency::Anytime,
        many_times: true,
        days_ago: 3,
        closed: false,
        group: Some(3),
        answers: &[],
    },
];

/// Time recorded in matches that happened: the post, minutes, whether the one who answered
/// gave the help, and whether the other confirmed it (else they said it was not right, and
/// it waits for a coordinator).
const EXCHANGES: &[(&str, i64, bool, bool)] = &[
    ("I can help tidy small gardens", 120, false, true),
    ("Walking my dog while my leg heals", 60, true, false),
];

/// Phone numbers some demo members keep on their account (Ofcom's numbers for drama).
const PHONES: &[(&str, &str)] = &[
    ("mick@meadowfield.example", "07700 900461"),
    ("grace@meadowfield.example", "07700 900472"),
];

/// Load the demo board once: skipped when its first poster already has posts.
pub async fn load(store_: &Store, now: i64) -> anyhow::Result<()> {
    let mut tx = store_.begin().await?;
    let Some(first) = account_store::user_by_email(&mut tx, POSTS[0].by).await? else {
        return Ok(());
    };
    if !store::posts_of(&mut tx, first.id).await?.is_empty() {
        return Ok(());
    }
    for (email, phone) in PHONES {
        if let Some(u) = account_store::user_by_email(&mut tx, email).await? {
            account_store::set_phone(&mut tx, u.id, phone, now).await?;
        }
    }
    // Oldest first, so the board's newest first (by the order posts were made) reads as
    // their dates do.
    let mut oldest_first: Vec<&DemoPost> = POSTS.iter().collect();
    oldest_first.sort_by_key(|p| std::cmp::Reverse(p.days_ago));
    for p in oldest_first {
        let Some(author) = account_store::user_by_email(&mut tx, p.by).await? else {
            continue;
        };
        let at = now - p.days_ago * DAY - 3600;
        // Placed as a member's post is: the middle of the area's postcode district.
        let district = areas()
            .into_iter()
            .find(|a| a.name == p.area)
            .and_then(|a| Postcode::parse(&a.postcode).ok());
        let point = match district {
            Some(d) => village_store::directory::postcode_point(&mut tx, &d)
                .await?
                .map(|x| (x.lat(), x.lon())),
            None => None,
        };
        let group = match p.group {
            Some(activity) => {
                let id = super::directory::group_of_activity(activity);
                let docs = village_store::directory::services_of_organization(&mut tx, &id).await?;
                let name = docs.first().and_then(|(_, doc)| {
                    serde_json::from_str::<serde_json::Value>(doc)
                        .ok()?
                        .get("organization")?
                        .get("name")?
                        .as_str()
                        .map(str::to_string)
                });
                name.map(|n| (id, n))
            }
            None => None,
        };
        let typed = match TYPED_IN.iter().find(|(title, ..)| *title == p.title) {
            Some((_, by, agreed)) => account_store::user_by_email(&mut tx, by)
                .await?
                .map(|u| (u.id, *agreed)),
            None => None,
        };
        let id = store::create_post(
            &mut tx,
            &NewPost {
                author_id: author.id,
                posted_by: typed.map_or(author.id, |t| t.0),
                kind: p.kind,
                category: p.category,
                title: p.title,
                details: p.details,
                when_from: None,
                when_to: None,
                area: p.area,
                point,
                urgency: p.urgency,
                many_times: p.many_times,
                in_home: false,
                personal_care: false,
                expires_at: at + 30 * DAY,
                agreed: typed.map(|t| t.1),
                organization: group
                    .as_ref()
                    .map(|(id, name)| (id.as_str(), name.as_str())),
            },
            at,
        )
        .await?;
        for (n, (who, steps, messages)) in p.answers.iter().enumerate() {
            let Some(responder) = account_store::user_by_email(&mut tx, who).await? else {
                continue;
            };
            let mut t = at + (n as i64 + 1) * 1800;
            let m = store::create_match(&mut tx, id, responder.id, true, true, None, t).await?;
            for (from_responder, body) in messages.iter().take(1) {
                let by = if *from_responder {
                    responder.id
                } else {
                    author.id
                };
                store::add_message(&mut tx, m, by, None, body, t).await?;
            }
            let mut state = State::Requested;
            for action in *steps {
                let Some(to) = leads_to(state, *action) else {
                    anyhow::bail!("the demo's own match takes a step it cannot: {action:?}");
                };
                t += 1800;
                let actor = match action {
                    Action::Accept | Action::Decline => author.id,
                    _ => responder.id,
                };
                store::step(
                    &mut tx,
                    &Step {
                        id: m,
                        actor,
                        action: action.code(),
                        from: state,
                        to,
                        poster_shares: (*action == Action::Accept).then_some((true, false)),
                        proxy: None,
                    },
                    t,
                )
                .await?;
                state = to;
                if *action == Action::Accept {
                    for (from_responder, body) in messages.iter().skip(1) {
                        t += 600;
                        let by = if *from_responder {
                            responder.id
                        } else {
                            author.id
                        };
                        store::add_message(&mut tx, m, by, None, body, t).await?;
                    }
                }
            }
        }
        if p.closed {
            store::set_post_state(&mut tx, id, PostState::Open, PostState::Closed, None, now)
                .await?;
        }
        for &(title, minutes, responder_gave, confirmed) in EXCHANGES {
            if title != p.title {
                continue;
            }
            let Some(m) = store::matches_of_post(&mut tx, id)
                .await?
                .into_iter()
                .find(|m| m.state == State::Done)
            else {
                continue;
            };
            let (giver, receiver) = if responder_gave {
                (m.responder_id, m.author_id)
            } else {
                (m.author_id, m.responder_id)
            };
            let t = m.updated_at + 3600;
            let x = store::create_exchange(
                &mut tx,
                &store::NewExchange {
                    match_id: m.id,
                    giver_id: giver,
                    receiver_id: receiver,
                    minutes,
                    note: "",
                    recorded_by: giver,
                },
                t,
            )
            .await?;
            let to = if confirmed {
                ExchangeState::Posted
            } else {
                ExchangeState::Disputed
            };
            store::answer_exchange(
                &mut tx,
                x,
                ExchangeState::Proposed,
                to,
                Some(receiver),
                false,
                t + 3600,
            )
            .await?;
            if confirmed {
                store::transfer(
                    &mut tx,
                    "exchange",
                    Some(x),
                    store::Holder::Member(receiver),
                    store::Holder::Member(giver),
                    minutes,
                    Some(receiver),
                    t + 3600,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
