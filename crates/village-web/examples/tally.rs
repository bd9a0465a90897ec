//! Time the tally of a participatory budgeting round (`bench/tally`): a round with BIDS
//! eligible bids and BALLOTS ballots (each choosing one to twelve bids, deterministic), on the
//! database at the URL given. It counts the votes as moving the round to results does
//! (`village_app::decisions::count_round`: the count in SQL, then funding in order) seven
//! times, and a one-row read of the round as the baseline of the same run.
//!
//! ```sh
//! cargo run --release -p village-web --example tally -- /tmp/tally.db 100000 200
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};
use village_domain::accounts::Role;
use village_store::{accounts, decisions, Store};
use village_testkit::Lcg;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .expect("usage: tally DATABASE_URL [BALLOTS] [BIDS]");
    let ballots: usize = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(100_000);
    let bid_count: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(200);
    let store = Store::open(url, &Default::default()).await.unwrap();
    store.migrate().await.unwrap();

    let started = Instant::now();
    let mut tx = store.begin().await.unwrap();
    let creator = accounts::create_user(
        &mut tx,
        &accounts::NewUser {
            email: "facilitator@bench.example",
            display_name: "Facilitator",
            password_hash: "x",
            role: Role::Member,
        },
        1,
    )
    .await
    .unwrap();
    let round = decisions::create_round(
        &mut tx,
        &decisions::NewRound {
            name: "Bench fund",
            about: "",
            space_id: None,
            pot_pence: 2_000_000,
            max_bid_pence: 250_000,
            method: "approval",
        },
        creator,
        1,
    )
    .await
    .unwrap();
    let mut rng = Lcg(7);
    let mut bids = Vec::new();
    for i in 0..bid_count {
        let amount = 10_000 + (rng.next() % 24) as i64 * 10_000;
        let id = decisions::create_bid(
            &mut tx,
            &decisions::NewBid {
                round_id: round,
                title: &format!("Bid {i}"),
                summary: "What the group will do",
                for_whom: "",
                amount_pence: amount,
                group_name: &format!("Group {i}"),
                group_id: None,
                charity_number: None,
            },
            creator,
            1,
        )
        .await
        .unwrap();
        decisions::check_bid(&mut tx, id, "eligible", "", creator, 1)
            .await
            .unwrap();
        bids.push(id);
    }
    let mut loaded = Vec::with_capacity(ballots);
    let mut choices = 0usize;
    for n in 0..ballots {
        let voter = accounts::create_user(
            &mut tx,
            &accounts::NewUser {
                email: &format!("voter{n}@bench.example"),
                display_name: "Voter",
                password_hash: "x",
                role: Role::Member,
            },
            1,
        )
        .await
        .unwrap();
        let k = 1 + (rng.next() % 12) as usize;
        let mut chosen: Vec<i64> = (0..k)
            .map(|_| bids[(rng.next() as usize) % bids.len()])
            .collect();
        chosen.sort();
        chosen.dedup();
        choices += chosen.len();
        loaded.push((voter, chosen));
    }
    decisions::put_ballots(&mut tx, round, &loaded, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    println!(
        "loaded {ballots} ballots ({choices} choices) over {bid_count} bids in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut c = store.conn().await.unwrap();
    let mut base = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        decisions::round(&mut c, round).await.unwrap().unwrap();
        base.push(t.elapsed());
    }
    let mut tallies = Vec::new();
    let mut last = None;
    for _ in 0..7 {
        let t = Instant::now();
        let r = village_app::decisions::count_round(&mut c, round, 2_000_000, &[])
            .await
            .unwrap();
        tallies.push(t.elapsed());
        last = Some(r);
    }
    let (results, online, _) = last.unwrap();
    let counted: u64 = results.counts.values().sum();
    assert_eq!(counted as usize, choices, "the tally counted every choice");
    assert_eq!(online as usize, ballots);
    let slowest = *tallies.iter().max().unwrap();
    let m = median(tallies);
    let b = median(base);
    println!(
        "tally: median {:.1} ms, slowest {:.1} ms ({} funded, £{} left); one-row read (baseline) {:.3} ms; tally = {:.0} × baseline",
        ms(m),
        ms(slowest),
        results.funded.len(),
        results.left_pence / 100,
        ms(b),
        m.as_secs_f64() / b.as_secs_f64().max(1e-9)
    );
    println!("target: under 1,000 ms for 100,000 ballots over 200 bids");
    store.close().await;
}
