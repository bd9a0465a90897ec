//! A group in the directory on the board, on SQLite and PostgreSQL: its organisers post
//! asks and offers in its name, and any of them answers, says yes and closes them; nobody
//! else can post in its name.
use serde_json::json;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(a_group_s_organisers_post_and_answer_in_its_name);

const GROUP: &str = "6c0ffee0-1111-4222-8333-444455556666";

async fn a_group_s_organisers_post_and_answer_in_its_name(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.offer(
        "Repair café",
        json!({"organization": {"id": GROUP, "name": "Meadowfield Repair Café", "description": "We fix things together"}}),
    )
    .await;
    let anna = app.member("anna@example.org", true).await;
    let bea = app.member("bea@example.org", false).await;
    let carl = app.member("carl@example.org", false).await;
    let dan = app.member("dan@example.org", false).await;
    let mut tx = app.store.begin().await.unwrap();
    for who in [anna.id, bea.id] {
        village_store::directory::make_organiser(&mut tx, GROUP, who, None, 0)
            .await
            .unwrap();
    }
    village_store::directory::make_organiser(&mut tx, "no-offers-listed", anna.id, None, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let body = |group: &str| json!({"kind": "offer", "category": "repairs", "title": "Bring your broken lamps", "group": group});
    let (status, p) = app
        .post_json(&anna.client, "/api/v1/help/posts", body(GROUP))
        .await;
    assert_eq!(status, 201, "{p}");
    assert_eq!(p["by"], "Meadowfield Repair Café");
    assert_eq!(p["group"]["id"], GROUP);
    let post = p["id"].as_i64().unwrap();
    let (status, out) = app
        .post_json(&carl.client, "/api/v1/help/posts", body(GROUP))
        .await;
    assert_eq!(
        (status, out["error"]["code"].as_str()),
        (403, Some("not_yours")),
        "{out}"
    );
    let (status, out) = app
        .post_json(&anna.client, "/api/v1/help/posts", body("no-offers-listed"))
        .await;
    assert_eq!(status, 422, "{out}");
    assert_eq!(out["error"]["field"], "group");
    let (_, board) = app.get_json(&dan.client, "/api/v1/help/posts").await;
    assert_eq!(
        board["posts"][0]["by"], "Meadowfield Repair Café",
        "{board}"
    );
    let (_, page) = app.page_as(&dan.client, "/help").await;
    assert!(page.contains("Meadowfield Repair Café"));

    // Dan answers; Bea, another organiser, sees the answer, says yes and closes the post.
    let (status, m) = app
        .post_json(
            &dan.client,
            &format!("/api/v1/help/posts/{post}/responses"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{m}");
    let (_, seen) = app
        .get_json(&bea.client, &format!("/api/v1/help/posts/{post}"))
        .await;
    assert_eq!(seen["own"], true, "{seen}");
    assert_eq!(seen["answers"][0]["match_id"], m["id"]);
    let (_, page) = app.page_as(&bea.client, "/help/mine").await;
    assert!(page.contains("Bring your broken lamps"), "{page}");
    // Anna, who posted it, keeps a phone number; Bea says yes sharing only her email: Dan
    // sees Bea's details, never Anna's.
    let r = crate::mutual_aid::save_phone(&app, &anna, "07700 900123").await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, out) = app
        .post_json(
            &bea.client,
            &format!("/api/v1/help/matches/{}/accept", m["id"]),
            json!({"share_email": true, "share_phone": true}),
        )
        .await;
    assert_eq!(status, 422, "Bea has no phone to share: {out}");
    let (status, out) = app
        .post_json(
            &bea.client,
            &format!("/api/v1/help/matches/{}/accept", m["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["state"], "accepted");
    let (_, for_dan) = app
        .get_json(&dan.client, &format!("/api/v1/help/matches/{}", m["id"]))
        .await;
    assert_eq!(for_dan["contact"]["email"], "bea@example.org", "{for_dan}");
    let seen = for_dan.to_string();
    assert!(
        !seen.contains("anna@example.org") && !seen.contains("07700 900123"),
        "{seen}"
    );
    // Someone who does not organise it cannot.
    let (status, _) = app
        .post_json(
            &carl.client,
            &format!("/api/v1/help/posts/{post}/close"),
            json!({}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .post_json(
            &bea.client,
            &format!("/api/v1/help/posts/{post}/close"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
}
