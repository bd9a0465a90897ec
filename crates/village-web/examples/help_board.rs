//! The mutual aid benchmark's two halves (`bench/help`).
//!
//! `seed DATABASE_URL POSTS PAIRS TOKENS_FILE`: into a hub's database (the demo already
//! loaded), POSTS open asks and offers from POSTS / 50 members across 60 postcode districts
//! around Meadowfield (a county's worth, denser near the middle; one in twenty with no
//! place), and PAIRS pairs of members whose match is done with time recorded by the one who
//! gave it, waiting for the other to confirm. Writes one line per pair to TOKENS_FILE: the
//! exchange and an API token of the one who confirms it. Deterministic.
//!
//! `confirm BASE TOKENS_FILE CONCURRENCY`: each exchange confirmed by its member pressing
//! twice at once (two requests together), CONCURRENCY exchanges at a time; prints
//! confirmations a second, p50 and p99 of a press, and how each press was answered: exactly
//! one `200` and one `409` for each exchange, or it says what went wrong.
//!
//! `check DATABASE_URL TOKENS_FILE`: the ledger sums to zero and each exchange posted once
//! (its state `posted`, and the two members' balances moved by its minutes, once).
//!
//! ```sh
//! cargo run --release -p village-web --example help_board -- seed /tmp/h/village.db 100000 2000 /tmp/h/tokens
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use reqwest::{Client, StatusCode};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use village_domain::accounts::Role;
use village_domain::mutual_aid::credits::ExchangeState;
use village_domain::mutual_aid::matches::{Action, State};
use village_domain::mutual_aid::post::{Category, Kind, PostState, Urgency};
use village_store::mutual_aid::{self as help, Holder, NewExchange, NewPost, Step};
use village_store::{accounts, directory, Store};
use village_testkit::Lcg;

/// Meadowfield's middle (MF1, the demo's town centre).
const MIDDLE: (f64, f64) = (52.9531, -1.1502);
const DISTRICTS: usize = 60;
const DAY: i64 = 24 * 3600;
const MILE_LAT: f64 = 1.609_344 / 111.2;

/// District `MF{n}` (n from 4: the demo has MF1 to MF3) and its middle: in rings out to
/// about 20 miles, as a county's towns and villages are.
fn district(n: usize) -> (String, f64, f64) {
    let ring = 1 + n / 12; // 1..=6
    let step = std::f64::consts::TAU * (n % 12) as f64 / 12.0 + ring as f64 * 0.4;
    let miles = 3.3 * ring as f64;
    let lat = MIDDLE.0 + miles * MILE_LAT * step.sin();
    let lon = MIDDLE.1 + miles * MILE_LAT / MIDDLE.0.to_radians().cos() * step.cos();
    (format!("MF{}", n + 4), lat, lon)
}

const TITLES: [(&str, &str); 10] = [
    (
        "A hand with the shopping",
        "Once a week, the big shop. I can pay for a taxi home.",
    ),
    (
        "A lift to the hospital",
        "The appointment is at ten. I use a stick and need a hand in.",
    ),
    (
        "Someone to chat with",
        "A cup of tea and a chat on the phone, in the afternoons.",
    ),
    (
        "Fixing a wobbly shelf",
        "Two brackets have come loose in the kitchen.",
    ),
    (
        "Help in the garden",
        "The grass is long and the hedge wants a trim.",
    ),
    (
        "Setting up a video call",
        "So I can see my grandchildren. I have a tablet.",
    ),
    (
        "Reading a letter with me",
        "A form from the council I do not understand.",
    ),
    (
        "A hot meal now and then",
        "I can cook extra on Sundays for someone nearby.",
    ),
    (
        "Walking the dog",
        "He is old and slow and likes a short walk.",
    ),
    (
        "Sorting the recycling",
        "I cannot carry the boxes down the path any more.",
    ),
];

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("seed") => {
            seed(
                &args[2],
                args[3].parse().unwrap(),
                args[4].parse().unwrap(),
                &args[5],
            )
            .await
        }
        Some("confirm") => confirm(&args[2], &args[3], args[4].parse().unwrap()).await,
        Some("check") => check(&args[2], &args[3]).await,
        _ => panic!(
            "usage: help_board seed URL POSTS PAIRS TOKENS | confirm BASE TOKENS CONCURRENCY | check URL TOKENS"
        ),
    }
}

async fn seed(url: &str, posts: usize, pairs: usize, tokens_file: &str) {
    let store = Store::open(url, &Default::default()).await.unwrap();
    store.migrate().await.unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let started = Instant::now();
    let mut rng = Lcg(22);

    let mut tx = store.begin().await.unwrap();
    let places: Vec<(String, f64, f64)> = (0..DISTRICTS).map(district).collect();
    let rows: Vec<(String, String, f64, f64)> = places
        .iter()
        .map(|(d, lat, lon)| (format!("{d} 1AA"), d.clone(), *lat, *lon))
        .collect();
    directory::upsert_postcodes(&mut tx, &rows).await.unwrap();
    let members = (posts / 50).max(2 * pairs).max(2);
    let mut ids = Vec::with_capacity(members);
    for n in 0..members {
        let id = accounts::create_user(
            &mut tx,
            &accounts::NewUser {
                email: &format!("neighbour{n}@bench.example"),
                display_name: &format!("Neighbour {n}"),
                password_hash: "x",
                role: Role::Member,
            },
            now - 60 * DAY,
        )
        .await
        .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    // The demo's own areas lie in the middle: MF1 to MF3 weigh as much as a ring.
    let demo = [
        ("Town centre", 52.9531, -1.1502),
        ("Riverside", 52.9541, -1.1575),
        ("Oakwood", 52.9612, -1.1379),
    ];
    let kinds = Kind::ALL;
    let categories = Category::ALL;
    let urgencies = Urgency::ALL;
    let mut placed = 0usize;
    for chunk in 0..posts.div_ceil(1000) {
        let mut tx = store.begin().await.unwrap();
        for i in chunk * 1000..((chunk + 1) * 1000).min(posts) {
            // Half near the middle (within the first two rings), half anywhere.
            let r = rng.unit();
            let (area, point) = if r < 0.05 {
                (String::new(), None)
            } else if r < 0.25 {
                let (name, lat, lon) = demo[(rng.next() % 3) as usize];
                (name.to_string(), Some((lat, lon)))
            } else {
                let k = if r < 0.55 {
                    (rng.next() % 24) as usize
                } else {
                    (rng.next() % DISTRICTS as u64) as usize
                };
                let (name, lat, lon) = &places[k];
                (name.clone(), Some((*lat, *lon)))
            };
            // Within about a mile of the district's middle.
            let point = point.map(|(lat, lon)| {
                placed += 1;
                (
                    lat + (rng.unit() - 0.5) * 2.0 * MILE_LAT,
                    lon + (rng.unit() - 0.5) * 2.0 * MILE_LAT * 1.66,
                )
            });
            let (title, details) = TITLES[(rng.next() % TITLES.len() as u64) as usize];
            // Posted over the last 29 days, in order (ids rise with time).
            let at = now - 29 * DAY + (i as i64 * 29 * DAY) / posts as i64;
            let author = ids[(rng.next() % members as u64) as usize];
            help::create_post(
                &mut tx,
                &NewPost {
                    author_id: author,
                    posted_by: author,
                    kind: kinds[(rng.next() % kinds.len() as u64) as usize],
                    category: categories[(rng.next() % categories.len() as u64) as usize],
                    title,
                    details,
                    when_from: None,
                    when_to: None,
                    area: &area,
                    point,
                    urgency: urgencies[(rng.next() % urgencies.len() as u64) as usize],
                    many_times: rng.next() % 4 == 0,
                    in_home: false,
                    personal_care: false,
                    expires_at: at + 30 * DAY,
                    agreed: None,
                    organization: None,
                },
                at,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    println!(
        "seeded {posts} open posts ({placed} with a place) from {members} members in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let mut lines = String::new();
    let mut tx = store.begin().await.unwrap();
    for p in 0..pairs {
        let (giver, receiver) = (ids[2 * p], ids[2 * p + 1]);
        let at = now - 3 * DAY;
        let post = help::create_post(
            &mut tx,
            &NewPost {
                author_id: receiver,
                posted_by: receiver,
                kind: Kind::Ask,
                category: Category::Shopping,
                title: "A hand with the shopping",
                details: "Once a week.",
                when_from: None,
                when_to: None,
                area: "Town centre",
                point: Some(MIDDLE),
                urgency: Urgency::Anytime,
                many_times: false,
                in_home: false,
                personal_care: false,
                expires_at: at + 30 * DAY,
                agreed: None,
                organization: None,
            },
            at,
        )
        .await
        .unwrap();
        help::set_post_state(&mut tx, post, PostState::Open, PostState::Closed, None, at)
            .await
            .unwrap();
        let m = help::create_match(&mut tx, post, giver, true, false, None, at)
            .await
            .unwrap();
        for (actor, action, from, to) in [
            (receiver, Action::Accept, State::Requested, State::Accepted),
            (giver, Action::Done, State::Accepted, State::Done),
        ] {
            let ok = help::step(
                &mut tx,
                &Step {
                    id: m,
                    actor,
                    action: action.code(),
                    from,
                    to,
                    poster_shares: (action == Action::Accept).then_some((true, false)),
                    proxy: None,
                },
                at,
            )
            .await
            .unwrap();
            assert!(ok);
        }
        let x = help::create_exchange(
            &mut tx,
            &NewExchange {
                match_id: m,
                giver_id: giver,
                receiver_id: receiver,
                minutes: 60 + 15 * (p as i64 % 8),
                note: "",
                recorded_by: giver,
            },
            at,
        )
        .await
        .unwrap();
        let token = village_app::accounts::new_token();
        accounts::create_api_token(
            &mut tx,
            receiver,
            "bench",
            &village_app::accounts::hash_token(&token),
            at,
        )
        .await
        .unwrap();
        lines.push_str(&format!("{x} {token}\n"));
    }
    tx.commit().await.unwrap();
    std::fs::write(tokens_file, lines).unwrap();
    println!(
        "seeded {pairs} exchanges waiting to be confirmed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    store.close().await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn confirm(base: &str, tokens_file: &str, concurrency: usize) {
    let text = std::fs::read_to_string(tokens_file).unwrap();
    let work: Vec<(i64, String)> = text
        .lines()
        .map(|l| {
            let (x, t) = l.split_once(' ').unwrap();
            (x.parse().unwrap(), t.to_string())
        })
        .collect();
    let total = work.len();
    let queue = Arc::new(Mutex::new(work));
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(2 * concurrency)
        .build()
        .unwrap();
    let presses = Arc::new(Mutex::new(Vec::with_capacity(2 * total)));
    let outcomes = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (queue, client, presses, outcomes) = (
            queue.clone(),
            client.clone(),
            presses.clone(),
            outcomes.clone(),
        );
        let base = base.to_string();
        tasks.push(tokio::spawn(async move {
            loop {
                let Some((x, token)) = queue.lock().unwrap().pop() else {
                    return;
                };
                let url = format!("{base}/api/v1/help/exchanges/{x}/confirm");
                let press = || async {
                    let t = Instant::now();
                    let r = client.post(&url).bearer_auth(&token).send().await;
                    let status = r.map(|r| r.status()).map_err(|e| e.to_string());
                    (t.elapsed(), status)
                };
                let (a, b) = tokio::join!(press(), press());
                let mut statuses = [a.1.clone(), b.1.clone()];
                statuses.sort_by_key(|s| format!("{s:?}"));
                let outcome = match (&statuses[0], &statuses[1]) {
                    (Ok(StatusCode::OK), Ok(StatusCode::CONFLICT)) => {
                        "one 200 and one 409".to_string()
                    }
                    other => format!("{other:?}"),
                };
                *outcomes.lock().unwrap().entry(outcome).or_default() += 1;
                presses.lock().unwrap().extend([a.0, b.0]);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let took = started.elapsed();
    let mut p = presses.lock().unwrap().clone();
    p.sort();
    let at = |q: f64| p[((p.len() as f64 * q) as usize).min(p.len() - 1)];
    println!(
        "{total} exchanges confirmed, each pressed twice at once, {concurrency} at a time: {:.0} confirmations/s ({:.0} presses/s), press p50 {:.2} ms, p99 {:.2} ms, slowest {:.2} ms",
        total as f64 / took.as_secs_f64(),
        2.0 * total as f64 / took.as_secs_f64(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(*p.last().unwrap())
    );
    for (outcome, n) in outcomes.lock().unwrap().iter() {
        println!("  {n} exchanges: {outcome}");
    }
}

async fn check(url: &str, tokens_file: &str) {
    let store = Store::open(url, &Default::default()).await.unwrap();
    let mut c = store.conn().await.unwrap();
    let sum = help::ledger_sum(&mut c).await.unwrap();
    let text = std::fs::read_to_string(tokens_file).unwrap();
    let (mut posted, mut total) = (0, 0);
    for line in text.lines() {
        let x: i64 = line.split_once(' ').unwrap().0.parse().unwrap();
        let x = help::exchange(&mut c, x).await.unwrap().unwrap();
        total += 1;
        // Each pair has only this exchange: posted once moves its minutes once.
        let giver = help::balance(&mut c, Holder::Member(x.giver_id.unwrap()))
            .await
            .unwrap();
        let receiver = help::balance(&mut c, Holder::Member(x.receiver_id.unwrap()))
            .await
            .unwrap();
        if x.state == ExchangeState::Posted && giver == x.minutes && receiver == -x.minutes {
            posted += 1;
        }
    }
    println!("ledger sum {sum} (must be 0); {posted} of {total} exchanges posted exactly once");
    assert_eq!(sum, 0, "the ledger sums to zero");
    assert_eq!(posted, total, "every exchange posted exactly once");
    drop(c);
    store.close().await;
}
