//! The demo's shared decisions: Meadowfield's adult social care co-production board, with
//! decided proposals (one whose block was answered), open ones still waiting for voices with
//! lived experience, and a finished community funding round with delivery updates, plus next
//! year's round gathering ideas. Loading twice changes nothing.

use village_domain::accounts::{LivedExperience, LivedExperienceKind};
use village_domain::decisions::proposal::Progress;
use village_store::accounts as account_store;
use village_store::decisions::{self as store, Closing, NewBid, NewRound, NewSpace};
use village_store::Store;

const DAY: i64 = 86_400;
const BOARD: &str = "Adult social care co-production board";

/// Members who, in the demo, have said they have lived experience (beside the founding ones).
const LIVED: &[(&str, LivedExperienceKind, &str)] = &[
    (
        "priyanka@meadowfield.example",
        LivedExperienceKind::DrawsOnSupport,
        "I use a wheelchair and employ my own personal assistants.",
    ),
    (
        "chen.wei@meadowfield.example",
        LivedExperienceKind::DrawsOnSupport,
        "I am Deaf and BSL is my first language.",
    ),
    (
        "olu@meadowfield.example",
        LivedExperienceKind::DrawsOnSupport,
        "I have sight loss and a direct payment.",
    ),
    (
        "kwame@meadowfield.example",
        LivedExperienceKind::UnpaidCarer,
        "I care for my brother.",
    ),
];

/// (who, stance, reason)
type Stances = &'static [(&'static str, &'static str, &'static str)];

/// (decision, reasons, dissent summary, answer to each block in order, updates)
type Outcome = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(Progress, &'static str)],
);

struct DemoProposal {
    title: &'static str,
    body: &'static str,
    affects: &'static str,
    author: &'static str,
    days_ago: i64,
    stances: Stances,
    comments: &'static [(&'static str, &'static str, &'static str)],
    outcome: Option<Outcome>,
}

const PROPOSALS: &[DemoProposal] = &[
    DemoProposal {
        title: "Replace the care assessment form with a conversation",
        body: "Instead of the 35-page assessment, a connector sits down with the person and writes their story in their own words, with what matters to them and what is strong in their life.\n\nThe council keeps only what the law needs, and the person reads and agrees everything written about them.",
        affects: "Everyone who asks the council for care and support, and the social workers and connectors who meet them.",
        author: "grace@meadowfield.example",
        days_ago: 60,
        stances: &[
            ("grace@meadowfield.example", "agree", ""),
            ("tom.wright@meadowfield.example", "agree", "I would have told my story properly if someone had asked me like this."),
            ("aisha@meadowfield.example", "agree", ""),
            ("priyanka@meadowfield.example", "agree", ""),
            ("chen.wei@meadowfield.example", "agree", "Only if the conversation can happen in BSL."),
            ("mick@meadowfield.example", "disagree", "Some people will need the form to get everything they are owed."),
            ("david.chen@meadowfield.example", "abstain", ""),
        ],
        comments: &[
            ("chen.wei@meadowfield.example", "question", "Will there be a BSL interpreter for the conversation, or a connector who signs?"),
            ("grace@meadowfield.example", "in_favour", "This is how it should feel: being listened to, not processed."),
        ],
        outcome: Some((
            "From April, first conversations replace the assessment form in Meadowfield. The person reads and agrees their story before anything is kept.",
            "Five of the seven people who spoke have lived experience of care and support, and all five want it. It matches what the council says it wants: a life, not a service.",
            "One person worries that without the form some people will not get all they are owed. We will check entitlements at the end of each conversation, and report how many people this helps.",
            &[],
            &[(Progress::InProgress, "Twelve connectors have had training. The first thirty conversations are booked, four of them in BSL.")],
        )),
    },
    DemoProposal {
        title: "Hold the board's meetings in the library on Tuesday afternoons",
        body: "The council chamber is hard to reach and feels formal. The library is step-free, on the bus route and has a hearing loop.",
        affects: "Everyone on the board.",
        author: "aisha@meadowfield.example",
        days_ago: 120,
        stances: &[
            ("aisha@meadowfield.example", "agree", ""),
            ("grace@meadowfield.example", "agree", ""),
            ("olu@meadowfield.example", "agree", "The library staff already know me, and the route is easy with my cane."),
            ("tom.wright@meadowfield.example", "block", "The main room is too noisy for me to think in. I would not be able to take part."),
            ("kwame@meadowfield.example", "agree", ""),
            ("lena@meadowfield.example", "agree", ""),
        ],
        comments: &[("kwame@meadowfield.example", "in_favour", "Tuesday afternoons work for carers: it is while the day centre is open.")],
        outcome: Some((
            "The board meets in the library's quiet study room on the first Tuesday of each month, 1pm to 3pm.",
            "It is step-free, on the bus route, has a hearing loop, and suits carers.",
            "Tom blocked because the main room is too noisy. We asked the library and will use the quiet study room instead.",
            &["We will use the quiet study room, which has a door and soft chairs. Tom has seen it and says it works for him."],
            &[(Progress::Done, "We have met there three times now. Attendance went from 9 to 16.")],
        )),
    },
    DemoProposal {
        title: "Pay people with lived experience for their time on the board",
        body: "Council officers are paid to be here. People with lived experience give the same time and more. We propose £20 an hour, paid on the day, or a voucher for those who prefer it because of their benefits.",
        affects: "Board members with lived experience, and the council's budget for co-production.",
        author: "mick@meadowfield.example",
        days_ago: 6,
        stances: &[
            ("mick@meadowfield.example", "agree", ""),
            ("lena@meadowfield.example", "agree", ""),
            ("david.chen@meadowfield.example", "abstain", "I need to check the budget first."),
            ("grace@meadowfield.example", "agree", "Yes, and make sure it never affects anyone's benefits."),
        ],
        comments: &[("priyanka@meadowfield.example", "question", "Could payments go to my PA's agency instead if that is easier for me?")],
        outcome: None,
    },
    DemoProposal {
        title: "Publish the board's minutes in Easy Read and BSL video",
        body: "The minutes are long and full of jargon. An Easy Read version and a short BSL video after each meeting would let far more people follow what we decide.",
        affects: "Anyone who wants to know what the board decides.",
        author: "chen.wei@meadowfield.example",
        days_ago: 3,
        stances: &[
            ("chen.wei@meadowfield.example", "agree", ""),
            ("sam.okafor@meadowfield.example", "agree", ""),
        ],
        comments: &[],
        outcome: None,
    },
];

struct DemoBid {
    title: &'static str,
    summary: &'static str,
    for_whom: &'static str,
    group: &'static str,
    amount_pence: i64,
    charity_number: Option<&'static str>,
    by: &'static str,
    /// None: eligible; Some(reason): not eligible.
    not_eligible: Option<&'static str>,
    /// How popular it is: about this many in ten voters choose it.
    pull: u64,
    updates: &'static [&'static str],
}

const BIDS: &[DemoBid] = &[
    DemoBid { title: "Wool, needles and a second table for Knit and Natter", summary: "We have outgrown our table. Wool, needles and a second table so twelve more people can join, and a tablet so housebound members can join by video.", for_whom: "Older people and anyone who wants company", group: "Tuesday Knit and Natter", amount_pence: 95_000, charity_number: None, by: "grace@meadowfield.example", not_eligible: None, pull: 8, updates: &["We bought the table and wool in March. Nine new people came in the first month, and two housebound members now join by video every week."] },
    DemoBid { title: "Tools and a shed for the community garden", summary: "Hand tools, raised beds at wheelchair height and a lockable shed, so the garden can open three days a week.", for_whom: "Neighbours, including people who use wheelchairs", group: "Meadowfield Growers", amount_pence: 240_000, charity_number: None, by: "tom.wright@meadowfield.example", not_eligible: None, pull: 7, updates: &["The raised beds are in. Priyanka planted the first tomatoes from her chair."] },
    DemoBid { title: "BSL tea afternoons at the library", summary: "A monthly afternoon with tea, cake and a Deaf host, open to Deaf people and anyone learning BSL.", for_whom: "Deaf people and their families", group: "Meadowfield Deaf Club", amount_pence: 120_000, charity_number: None, by: "chen.wei@meadowfield.example", not_eligible: None, pull: 6, updates: &[] },
    DemoBid { title: "Repair café equipment", summary: "A soldering station, sewing machine and safety testing kit, so we can fix things instead of throwing them away.", for_whom: "Anyone with something broken", group: "Meadowfield Repair Café", amount_pence: 180_000, charity_number: None, by: "mick@meadowfield.example", not_eligible: None, pull: 5, updates: &[] },
    DemoBid { title: "Carers' cuppa and a sitting service", summary: "A fortnightly cuppa for unpaid carers, with a volunteer sitting service so carers can come.", for_whom: "Unpaid carers", group: "Meadowfield Carers Together", amount_pence: 250_000, charity_number: Some("1180012"), by: "aisha@meadowfield.example", not_eligible: None, pull: 7, updates: &[] },
    DemoBid { title: "Walking group with guides for people with sight loss", summary: "Training for six volunteer sighted guides, and high-visibility vests.", for_whom: "People with sight loss", group: "Step Out Meadowfield", amount_pence: 60_000, charity_number: None, by: "olu@meadowfield.example", not_eligible: None, pull: 6, updates: &[] },
    DemoBid { title: "Art materials for young disabled artists", summary: "Paint, canvas and a stall at the market to sell our work.", for_whom: "Young disabled artists", group: "Meadowfield Young Artists", amount_pence: 150_000, charity_number: None, by: "priyanka@meadowfield.example", not_eligible: None, pull: 4, updates: &[] },
    DemoBid { title: "A minibus for day trips", summary: "A second-hand minibus for trips to the coast.", for_whom: "Members of the lunch club", group: "Meadowfield Lunch Club", amount_pence: 250_000, charity_number: None, by: "lena@meadowfield.example", not_eligible: Some("The fund cannot pay for vehicles: insurance and upkeep would fall on the group for years. We have pointed the lunch club to the community transport scheme."), pull: 3, updates: &[] },
];

/// Load the demo's decisions, unless a board of that name is already here.
pub async fn load(store_: &Store, now: i64) -> anyhow::Result<()> {
    let mut tx = store_.begin().await?;
    if store::spaces(&mut tx)
        .await?
        .iter()
        .any(|s| s.name == BOARD)
    {
        return Ok(());
    }
    let mut ids = std::collections::HashMap::new();
    let emails = PROPOSALS
        .iter()
        .flat_map(|p| {
            std::iter::once(p.author)
                .chain(p.stances.iter().map(|s| s.0))
                .chain(p.comments.iter().map(|c| c.0))
        })
        .chain(BIDS.iter().map(|b| b.by))
        .chain(LIVED.iter().map(|l| l.0))
        .chain([
            "david.chen@meadowfield.example",
            "bronwen@meadowfield.example",
            "admin@meadowfield.example",
        ]);
    for email in emails {
        if ids.contains_key(email) {
            continue;
        }
        if let Some(u) = account_store::user_by_email(&mut tx, email).await? {
            ids.insert(email, (u.id, u.lived_declared));
        }
    }
    for (email, kind, words) in LIVED {
        if let Some((id, declared)) = ids.get_mut(email) {
            if !*declared {
                let lived = LivedExperience::new(true, vec![*kind], Some(words))
                    .map_err(|e| anyhow::anyhow!(e.message))?;
                account_store::set_lived_experience(&mut tx, *id, &lived, now).await?;
                *declared = true;
            }
        }
    }
    let Some(&(david, _)) = ids.get("david.chen@meadowfield.example") else {
        return Ok(());
    };
    let board = store::create_space(
        &mut tx,
        &NewSpace {
            name: BOARD,
            about: "Meadowfield's people who draw on care and support, unpaid carers, and the council's officers, deciding together how adult social care works here.\n\nAt least half of the voices on any decision, and at least three, come from people with lived experience.",
            open: true,
            hide_names: false,
            min_lived_share_bp: 5_000,
            min_lived_count: 3,
            update_every_days: 30,
        },
        david,
        now - 200 * DAY,
    )
    .await?;
    if let Some(&(grace, _)) = ids.get("grace@meadowfield.example") {
        store::set_member(&mut tx, board, grace, "facilitator", now - 200 * DAY).await?;
    }
    for (id, _) in ids.values() {
        if store::membership(&mut tx, board, *id).await?.is_none() {
            store::set_member(&mut tx, board, *id, "member", now - 190 * DAY).await?;
        }
    }
    for p in PROPOSALS {
        let Some(&(author, _)) = ids.get(p.author) else {
            continue;
        };
        let at = now - p.days_ago * DAY;
        let pid =
            store::create_proposal(&mut tx, board, p.title, p.body, p.affects, author, at).await?;
        let mut blocks = Vec::new();
        for (k, (who, stance, reason)) in p.stances.iter().enumerate() {
            let Some(&(uid, lived)) = ids.get(who) else {
                continue;
            };
            let sid = store::put_stance(
                &mut tx,
                pid,
                uid,
                stance,
                reason,
                lived,
                at + (k as i64 + 1) * 3_600,
            )
            .await?;
            if *stance == "block" {
                blocks.push(sid);
            }
        }
        for (k, (who, kind, body)) in p.comments.iter().enumerate() {
            let Some(&(uid, _)) = ids.get(who) else {
                continue;
            };
            store::add_comment(&mut tx, pid, uid, kind, body, at + (k as i64 + 1) * 5_400).await?;
        }
        if let Some((decision, reasons, dissent, answers, updates)) = p.outcome {
            let responses = blocks
                .iter()
                .zip(answers.iter())
                .map(|(id, a)| (*id, a.to_string()))
                .collect();
            let decided = at + 14 * DAY;
            store::close(
                &mut tx,
                pid,
                &Closing {
                    decision,
                    reasons,
                    dissent_summary: dissent,
                    block_responses: &responses,
                    progress: Progress::Agreed.code(),
                },
                david,
                decided,
            )
            .await?;
            let mut from = Progress::Agreed;
            for (k, (to, note)) in updates.iter().enumerate() {
                store::add_update(
                    &mut tx,
                    pid,
                    from.code(),
                    to.code(),
                    note,
                    david,
                    decided + (k as i64 + 1) * 20 * DAY,
                )
                .await?;
                from = *to;
            }
        }
    }

    // Last year's fund, delivered; this year's, gathering ideas.
    let round = store::create_round(
        &mut tx,
        &NewRound {
            name: "Meadowfield community fund 2026",
            about: "£10,000 from the council's community budget, shared out by Meadowfield's votes. Any group can bid, registered or not, for up to £2,500.",
            space_id: None,
            pot_pence: 1_000_000,
            max_bid_pence: 250_000,
            method: "approval",
        },
        david,
        now - 150 * DAY,
    )
    .await?;
    let checker = ids
        .get("bronwen@meadowfield.example")
        .map(|x| x.0)
        .unwrap_or(david);
    let mut bid_ids = Vec::new();
    for (k, b) in BIDS.iter().enumerate() {
        let Some(&(by, _)) = ids.get(b.by) else {
            continue;
        };
        let id = store::create_bid(
            &mut tx,
            &NewBid {
                round_id: round,
                title: b.title,
                summary: b.summary,
                for_whom: b.for_whom,
                amount_pence: b.amount_pence,
                group_name: b.group,
                group_id: None,
                charity_number: b.charity_number,
            },
            by,
            now - (140 - k as i64) * DAY,
        )
        .await?;
        let (status, reason) = match b.not_eligible {
            Some(r) => ("not_eligible", r),
            None => ("eligible", ""),
        };
        store::check_bid(&mut tx, id, status, reason, checker, now - 120 * DAY).await?;
        bid_ids.push((id, b));
    }
    // Every demo member votes, each choosing by how much a bid pulls (deterministic).
    let (voters, _) = account_store::list_users(
        &mut tx,
        &account_store::UserFilter {
            limit: 1_000,
            ..Default::default()
        },
    )
    .await?;
    let mut ballots = Vec::new();
    for (n, v) in voters.iter().enumerate() {
        let chosen: Vec<i64> = bid_ids
            .iter()
            .enumerate()
            .filter(|(k, (_, b))| {
                b.not_eligible.is_none() && ((n * 7 + k * 3) % 10) < b.pull as usize
            })
            .map(|(_, (id, _))| *id)
            .collect();
        if !chosen.is_empty() {
            ballots.push((v.id, chosen));
        }
    }
    store::put_ballots(&mut tx, round, &ballots, now - 100 * DAY).await?;
    for (from, to) in [("ideas", "bids"), ("bids", "checks"), ("checks", "voting")] {
        store::set_phase(&mut tx, round, from, to, None, now - 130 * DAY).await?;
    }
    let (results, online, paper) =
        crate::decisions::count_round(&mut tx, round, 1_000_000, &[]).await?;
    let published = crate::decisions::results_json(&results, online, paper).to_string();
    store::set_phase(
        &mut tx,
        round,
        "voting",
        "results",
        Some(&published),
        now - 90 * DAY,
    )
    .await?;
    store::set_phase(&mut tx, round, "results", "delivery", None, now - 85 * DAY).await?;
    for (id, b) in &bid_ids {
        if !results.funded.contains(id) {
            continue;
        }
        let Some(&(by, _)) = ids.get(b.by) else {
            continue;
        };
        for (k, text) in b.updates.iter().enumerate() {
            store::add_delivery_update(&mut tx, *id, by, text, now - (60 - 20 * k as i64) * DAY)
                .await?;
        }
    }
    let next = store::create_round(
        &mut tx,
        &NewRound {
            name: "Meadowfield community fund 2027",
            about: "What should next year's £12,000 make possible? Share your ideas now. Groups can already put in a bid, until the bids are checked.",
            space_id: None,
            pot_pence: 1_200_000,
            max_bid_pence: 250_000,
            method: "knapsack",
        },
        david,
        now - 10 * DAY,
    )
    .await?;
    for (who, title, body) in [
        (
            "tom.wright@meadowfield.example",
            "Benches along the river path",
            "Somewhere to rest every few hundred metres, so more of us can walk it.",
        ),
        (
            "aisha@meadowfield.example",
            "A carers' break weekend",
            "Two nights away with respite cover at home.",
        ),
    ] {
        if let Some(&(uid, _)) = ids.get(who) {
            store::add_idea(&mut tx, next, uid, title, body, now - 5 * DAY).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
