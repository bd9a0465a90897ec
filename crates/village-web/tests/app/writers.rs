//! The write contract, on SQLite and PostgreSQL: eight members writing through the API at the
//! same moment, 200 writes each across every kind a member makes (their profile, a stance, a
//! comment, someone in their circle, a check-in, a saved suggestion, an idea for a funding
//! round, a change to an offer, an ask for help, an answer to someone's post), all succeed
//! and every one is kept.
use reqwest::{Client, Method};
use serde_json::{json, Value};
use std::sync::Arc;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(eight_members_writing_at_once_all_succeed_and_every_write_is_kept);

const WRITERS: usize = 8;
const WRITES: usize = 200;
const KINDS: usize = 10;

/// What the writers share: the proposal they take stances on and comment on, the round they
/// give ideas to, the offers they save and suggest changes to, and the posts on the help
/// board they answer (one each time round).
struct Shared {
    proposal: i64,
    round: i64,
    offers: Vec<String>,
    posts: Vec<i64>,
}

/// Writer `n`'s `i`th write: method, path, body, and the status that says it was done.
fn write(shared: &Shared, n: usize, i: usize) -> (Method, String, Value, u16) {
    let words = format!("writer {n}, write {i}");
    let offer = &shared.offers[(n + i) % shared.offers.len()];
    let stance = ["agree", "abstain", "disagree"][i % 3];
    let mark = ["saved", "dismissed"][i % 2];
    match i % KINDS {
        0 => (
            Method::PUT,
            "/api/v1/me/profile".into(),
            json!({"story": {"text": words, "visibility": "circle"}}),
            200,
        ),
        1 => (
            Method::PUT,
            format!("/api/v1/proposals/{}/stance", shared.proposal),
            json!({"stance": stance, "reason": words}),
            200,
        ),
        2 => (
            Method::POST,
            format!("/api/v1/proposals/{}/comments", shared.proposal),
            json!({"kind": "question", "body": words}),
            201,
        ),
        3 => (
            Method::POST,
            "/api/v1/me/circle".into(),
            json!({"ring": "community", "name": format!("Neighbour {n}.{i}")}),
            201,
        ),
        4 => (
            Method::POST,
            "/api/v1/me/check-ins".into(),
            json!({"moment": "six_weeks", "satisfied": i % 11, "worthwhile": 5, "happy": 6, "anxious": 3, "changed": words}),
            201,
        ),
        5 => (
            Method::PUT,
            format!("/api/v1/me/suggestion-marks/{offer}"),
            json!({"mark": mark, "reason": words}),
            204,
        ),
        6 => (
            Method::POST,
            format!("/api/v1/rounds/{}/ideas", shared.round),
            json!({"title": words}),
            201,
        ),
        8 => (
            Method::POST,
            "/api/v1/help/posts".into(),
            json!({"kind": "ask", "category": "shopping", "title": words, "details": "Some milk and bread"}),
            201,
        ),
        9 => (
            Method::POST,
            format!("/api/v1/help/posts/{}/responses", shared.posts[i / KINDS]),
            json!({"message": words}),
            201,
        ),
        _ => (
            Method::POST,
            format!("/api/v1/directory/offers/{offer}/changes"),
            json!({"name": format!("Offer {n}.{i}"), "description": format!("Come along: {words}"), "why": words}),
            201,
        ),
    }
}

async fn eight_members_writing_at_once_all_succeed_and_every_write_is_kept(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let fac = app.member("fran@example.org", true).await;
    let space = app.space(&fac, "Street board", 1).await;
    let round = app.round(&fac, "Street fund", 100_000).await;
    let (s, v) = app
        .post_json(
            &fac.client,
            &format!("/api/v1/spaces/{space}/proposals"),
            json!({"title": "A bench by the shop", "body": "Somewhere to rest."}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let mut offers = Vec::new();
    for name in ["Tea dance", "Repair cafe", "Walking group"] {
        offers.push(app.offer(name, json!({})).await);
    }
    let mut posts = Vec::new();
    for k in 0..WRITES / KINDS {
        let (s, p) = app
            .post_json(
                &fac.client,
                "/api/v1/help/posts",
                json!({"kind": "offer", "category": "lifts", "title": format!("Lifts, week {k}")}),
            )
            .await;
        assert_eq!(s, 201, "{p}");
        posts.push(p["id"].as_i64().unwrap());
    }
    let shared = Arc::new(Shared {
        proposal: v["id"].as_i64().unwrap(),
        round,
        offers,
        posts,
    });
    let mut writers: Vec<(Client, String)> = Vec::new();
    for n in 0..WRITERS {
        let w = app
            .member(&format!("writer{n}@example.org"), n % 2 == 0)
            .await;
        let (s, _) = app
            .post_json(
                &w.client,
                &format!("/api/v1/spaces/{space}/join"),
                json!({}),
            )
            .await;
        assert_eq!(s, 204);
        let token = app.csrf(&w.client, "/account").await;
        writers.push((w.client, token));
    }

    let app = Arc::new(app);
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (client, token)) in writers.iter().cloned().enumerate() {
        let (app, shared) = (app.clone(), shared.clone());
        tasks.spawn(async move {
            let mut refused = Vec::new();
            for i in 0..WRITES {
                let (method, path, body, done) = write(&shared, n, i);
                let r = client
                    .request(method, app.url(&path))
                    .header("x-csrf-token", &token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                if status != done {
                    let text = r.text().await.unwrap_or_default();
                    let path = path.split('/').take(5).collect::<Vec<_>>().join("/");
                    refused.push(format!("writer {n} ({path}): {status} {text}"));
                }
            }
            refused
        });
    }
    let mut refused = Vec::new();
    while let Some(done) = tasks.join_next().await {
        refused.extend(done.unwrap());
    }
    let kinds: std::collections::BTreeSet<&str> = refused
        .iter()
        .filter_map(|r| r.split_once('(').map(|(_, rest)| rest))
        .collect();
    assert!(
        refused.is_empty(),
        "{} of {} writes refused: {kinds:#?}",
        refused.len(),
        WRITERS * WRITES,
    );

    // Every write is kept: one of each kind per writer every KINDS writes.
    let each = WRITES / KINDS;
    let (_, p) = app
        .get_json(
            &fac.client,
            &format!("/api/v1/proposals/{}", shared.proposal),
        )
        .await;
    assert_eq!(p["comments"].as_array().map(Vec::len), Some(WRITERS * each));
    assert_eq!(p["stances"].as_array().map(Vec::len), Some(WRITERS));
    let (_, r) = app
        .get_json(&fac.client, &format!("/api/v1/rounds/{round}"))
        .await;
    assert_eq!(r["ideas"].as_array().map(Vec::len), Some(WRITERS * each));
    for (n, (client, _)) in writers.iter().enumerate() {
        let last = |kind: usize| (0..WRITES).rev().find(|i| i % KINDS == kind).unwrap();
        let (_, me) = app.get_json(client, "/api/v1/me/profile").await;
        assert_eq!(
            me["story"]["text"],
            format!("writer {n}, write {}", last(0)),
            "the last profile save is the one kept"
        );
        let (_, circle) = app.get_json(client, "/api/v1/me/circle").await;
        assert_eq!(
            circle["entries"].as_array().map(Vec::len),
            Some(each),
            "{circle}"
        );
        let (_, checkins) = app.get_json(client, "/api/v1/me/check-ins").await;
        // A check-in at the same moment replaces the one before.
        assert_eq!(
            checkins[0]["changed"],
            format!("writer {n}, write {}", last(4)),
            "{checkins}"
        );
    }
    // Every ask is on the board, and every post has an answer from every writer.
    let mut c = app.store.conn().await.unwrap();
    let mut asks = 0;
    for page in 1.. {
        let (_, board) = app
            .get_json(
                &fac.client,
                &format!("/api/v1/help/posts?kind=ask&page={page}"),
            )
            .await;
        asks += board["posts"].as_array().map_or(0, Vec::len);
        if board["more"] != true {
            break;
        }
    }
    assert_eq!(asks, WRITERS * each);
    for post in &shared.posts {
        let answers = village_store::mutual_aid::matches_of_post(&mut c, *post)
            .await
            .unwrap();
        assert_eq!(answers.len(), WRITERS, "post {post}");
    }
}
