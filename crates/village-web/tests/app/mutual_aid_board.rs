//! The board at a hub's scale, on SQLite and PostgreSQL: near a place it reads area by area
//! (`help_areas`), band after band, only as far as a page needs. Every page, with every
//! filter, must be exactly what measuring every open post would give: within a mile, then
//! three, then ten, then further, then posts with no place; newest first within each; never
//! a closed post or one past its end. Each process keeps pages of the board in memory: what
//! it shows must still change at once with every change, whichever process made it.
use std::collections::BTreeMap;
use village_domain::mutual_aid::post::{Category, Kind, PostState, Urgency};
use village_store::mutual_aid::{self as store, NewPost};
use village_testkit::{on_both_backends, Backend, Lcg, TestApp};

on_both_backends!(
    every_page_near_a_place_is_what_measuring_every_post_gives,
    the_board_kept_in_memory_is_never_out_of_date,
);

/// ZZ1's middle, where the board is read from.
const FROM: (f64, f64) = (52.95, -1.15);
const MILE: f64 = 1.609_344 / 111.2;

/// The band the board gave before it read by areas: every post measured from `FROM`.
fn band(point: Option<(f64, f64)>) -> usize {
    let Some((lat, lon)) = point else {
        return 4;
    };
    let shrink = FROM.0.to_radians().cos();
    let (dlat, dlon) = (lat - FROM.0, (lon - FROM.1) * shrink);
    let d2 = dlat * dlat + dlon * dlon;
    [1.0, 3.0, 10.0]
        .iter()
        .position(|m: &f64| d2 <= (m * MILE) * (m * MILE))
        .unwrap_or(3)
}

/// Which of the posts made a query keeps.
type Keep = Box<dyn Fn(&Made) -> bool>;

struct Made {
    id: i64,
    area: String,
    point: Option<(f64, f64)>,
    kind: Kind,
    category: Category,
    up: bool,
}

async fn every_page_near_a_place_is_what_measuring_every_post_gives(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    crate::mutual_aid::places(&app).await;
    let anna = app.member("anna@example.org", true).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // 110 areas within half a mile (more than one statement reads at once), and areas one
    // band further each time: two, six and thirty miles out, each way round the compass.
    let mut areas: Vec<(String, (f64, f64))> = Vec::new();
    for i in 0..110 {
        let a = i as f64 * 0.41;
        let r = 0.5 * MILE * (i % 7 + 1) as f64 / 7.0;
        // One name holds the separator the areas are packed with, so they are read row by
        // row (the board still reads them all).
        let name = if i == 3 {
            "Near \u{1e}3".to_string()
        } else {
            format!("Near {i}")
        };
        areas.push((name, (FROM.0 + r * a.sin(), FROM.1 + r * a.cos() * 1.6)));
    }
    for (miles, n) in [(2.0, 10), (6.0, 6), (30.0, 5)] {
        for i in 0..n {
            let a = i as f64 * std::f64::consts::TAU / n as f64;
            let r = miles * MILE;
            areas.push((
                format!("{miles} miles {i}"),
                (
                    FROM.0 + r * a.sin(),
                    FROM.1 + r * a.cos() / FROM.0.to_radians().cos(),
                ),
            ));
        }
    }
    let mut rng = Lcg(2026);
    let mut made = Vec::new();
    let mut tx = app.store.begin().await.unwrap();
    for n in 0..600 {
        // First one in each area within half a mile; then one in ten with no place, and
        // the rest mostly far out, so the near bands run short and pages go on into the next.
        let (area, point) = match rng.next() % 10 {
            _ if n < 110 => (areas[n as usize].0.clone(), Some(areas[n as usize].1)),
            0 => (String::new(), None),
            1..=3 => {
                let (a, p) = &areas[(rng.next() % 110) as usize];
                (a.clone(), Some(*p))
            }
            _ => {
                let (a, p) = &areas[110 + (rng.next() % 21) as usize];
                (a.clone(), Some(*p))
            }
        };
        let kind = rng.pick(Kind::ALL);
        let category = rng.pick(&[Category::Shopping, Category::Lifts, Category::Pets]);
        let expired = rng.next() % 20 == 0;
        let at = now - 20 * 86_400 + n;
        let expires_at = if expired { now - 60 } else { at + 30 * 86_400 };
        let id = store::create_post(
            &mut tx,
            &NewPost {
                author_id: anna.id,
                posted_by: anna.id,
                kind,
                category,
                title: "A post",
                details: "",
                when_from: None,
                when_to: None,
                area: &area,
                point,
                urgency: rng.pick(Urgency::ALL),
                many_times: false,
                in_home: false,
                personal_care: false,
                expires_at,
                agreed: None,
                organization: None,
            },
            at,
        )
        .await
        .unwrap();
        let closed = rng.next() % 20 == 0;
        if closed {
            store::set_post_state(&mut tx, id, PostState::Open, PostState::Closed, None, at)
                .await
                .unwrap();
        }
        made.push(Made {
            id,
            area,
            point,
            kind,
            category,
            up: !expired && !closed,
        });
    }
    tx.commit().await.unwrap();

    let shapes: [(&str, Keep); 5] = [
        ("near=ZZ1", Box::new(|_| true)),
        ("near=zz1%201aa&kind=ask", Box::new(|m| m.kind == Kind::Ask)),
        (
            "near=ZZ1&category=pets&kind=offer",
            Box::new(|m| m.category == Category::Pets && m.kind == Kind::Offer),
        ),
        ("near=ZZ1&area=Near%207", Box::new(|m| m.area == "Near 7")),
        (
            "near=ZZ1&area=6%20miles%202",
            Box::new(|m| m.area == "6 miles 2"),
        ),
    ];
    let mut pages_read = 0;
    for (query, keep) in &shapes {
        let mut expected: Vec<&Made> = made.iter().filter(|m| m.up && keep(m)).collect();
        expected.sort_by_key(|m| (band(m.point), -m.id));
        let expected: Vec<i64> = expected.iter().map(|m| m.id).collect();
        let mut got = Vec::new();
        for page in 1.. {
            let (status, board) = app
                .get_json(
                    &anna.client,
                    &format!("/api/v1/help/posts?{query}&page={page}"),
                )
                .await;
            assert_eq!(status, 200, "{query} page {page}: {board}");
            pages_read += 1;
            got.extend(
                board["posts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["id"].as_i64().unwrap()),
            );
            if board["more"] != true {
                break;
            }
        }
        assert_eq!(got, expected, "{query}: every page in order");
    }
    assert!(pages_read > 40, "the pages ran on into every band");
    // Each band is there in the whole board (the test would prove little otherwise).
    let mut bands = BTreeMap::new();
    for m in made.iter().filter(|m| m.up) {
        *bands.entry(band(m.point)).or_insert(0) += 1;
    }
    assert_eq!(bands.len(), 5, "{bands:?}");

    // The newest first with no place given, and within one area.
    for (query, keep) in [
        (
            "kind=offer",
            Box::new(|m: &Made| m.kind == Kind::Offer) as Box<dyn Fn(&Made) -> bool>,
        ),
        ("area=Near%2012", Box::new(|m: &Made| m.area == "Near 12")),
    ] {
        let mut expected: Vec<i64> = made
            .iter()
            .filter(|m| m.up && keep(m))
            .map(|m| m.id)
            .collect();
        expected.sort_by(|a, b| b.cmp(a));
        expected.truncate(20);
        let (_, board) = app
            .get_json(&anna.client, &format!("/api/v1/help/posts?{query}"))
            .await;
        let got: Vec<i64> = board["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert_eq!(got, expected, "{query}");
    }
}

/// The titles and posters on one page of the board as `state` (one process) gives it at `t`,
/// and the areas it lists.
async fn board_at(
    state: &village_app::App,
    who: &village_app::accounts::Identity,
    near: &str,
    t: i64,
) -> (Vec<(String, String)>, Vec<String>) {
    let q = village_app::mutual_aid::BoardQuery {
        near: near.to_string(),
        page: 1,
        ..Default::default()
    };
    let board = village_app::mutual_aid::board(state, who, &q, t)
        .await
        .unwrap();
    (
        board
            .posts
            .iter()
            .map(|p| (p.title.clone(), p.author_name.clone()))
            .collect(),
        board.areas.to_vec(),
    )
}

async fn the_board_kept_in_memory_is_never_out_of_date(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    crate::mutual_aid::places(&app).await;
    let anna = app.member("anna@example.org", true).await;
    let pat = app.member("pat@example.org", false).await;
    // Two more processes over the same database, each keeping pages of its own: one reads
    // the board, the other (like the hub's server) changes it.
    let here = crate::mutual_aid::app_over(&app);
    let there = crate::mutual_aid::app_over(&app);
    let mut c = app.store.conn().await.unwrap();
    let identity = |user| village_app::accounts::Identity {
        user,
        via: village_app::identity::Via::ApiToken { id: 0 },
    };
    let anna_is = identity(
        village_store::accounts::user_by_id(&mut c, anna.id)
            .await
            .unwrap()
            .unwrap(),
    );
    drop(c);
    let t = village_app::now();
    let walks = crate::mutual_aid::post(
        &app,
        &anna,
        serde_json::json!({"kind": "offer", "category": "pets", "title": "Dog walks", "area": "ZZ2"}),
    )
    .await;
    let first = board_at(&here, &anna_is, "ZZ1", t).await;
    assert_eq!(
        first.0,
        [("Dog walks".to_string(), "Member person".to_string())]
    );
    assert_eq!(first.1, ["ZZ2"]);
    assert_eq!(
        board_at(&here, &anna_is, "ZZ1", t).await,
        first,
        "read again"
    );

    // A new post, put up through the hub's server.
    crate::mutual_aid::post(
        &app,
        &pat,
        serde_json::json!({"kind": "ask", "category": "shopping", "title": "Milk and bread", "area": "ZZ1", "up_for_days": 7}),
    )
    .await;
    let (posts, areas) = board_at(&here, &anna_is, "ZZ1", t).await;
    assert_eq!(
        posts
            .iter()
            .map(|(title, _)| title.as_str())
            .collect::<Vec<_>>(),
        ["Milk and bread", "Dog walks"]
    );
    assert_eq!(areas, ["ZZ1", "ZZ2"]);

    // A post taken off the board.
    let (status, out) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/posts/{walks}/close"),
            serde_json::json!({}),
        )
        .await;
    assert!((200..300).contains(&status), "{status} {out}");
    let (posts, _) = board_at(&here, &anna_is, "ZZ1", t).await;
    assert_eq!(
        posts,
        [("Milk and bread".to_string(), "Member person".to_string())]
    );

    // A poster's new name, changed in another process.
    let pat_is = {
        let mut c = app.store.conn().await.unwrap();
        identity(
            village_store::accounts::user_by_id(&mut c, pat.id)
                .await
                .unwrap()
                .unwrap(),
        )
    };
    let name = village_domain::accounts::DisplayName::parse("Patience").unwrap();
    village_app::accounts::changes::change_name(&there, &pat_is, &name, "127.0.0.1", t)
        .await
        .unwrap();
    let (posts, _) = board_at(&here, &anna_is, "ZZ1", t).await;
    assert_eq!(
        posts,
        [("Milk and bread".to_string(), "Patience".to_string())]
    );

    // Time passes: the ask reaches its end after a week and leaves the board with nothing
    // written; the same page read for an earlier time is still the page of that time.
    let (posts, _) = board_at(&here, &anna_is, "ZZ1", t + 8 * 86_400).await;
    assert!(posts.is_empty(), "{posts:?}");
    let (posts, _) = board_at(&here, &anna_is, "ZZ1", t + 86_400).await;
    assert_eq!(posts.len(), 1, "{posts:?}");

    // The areas list keeps an area for 90 days after its last post, then lets it go.
    let (_, areas) = board_at(&here, &anna_is, "", t + 60 * 86_400).await;
    assert_eq!(areas, ["ZZ1", "ZZ2"]);
    let (_, areas) = board_at(&here, &anna_is, "", t + 91 * 86_400).await;
    assert!(areas.is_empty(), "{areas:?}");

    // Someone who asks to be forgotten: their posts go from the board at once.
    let (posts, _) = board_at(&here, &anna_is, "ZZ1", t).await;
    assert_eq!(posts.len(), 1);
    let (status, _) = app
        .post_json(
            &pat.client,
            "/api/v1/me/forget",
            serde_json::json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert_eq!(status, 204);
    let (posts, _) = board_at(&here, &anna_is, "ZZ1", t).await;
    assert!(posts.is_empty(), "{posts:?}");
}
