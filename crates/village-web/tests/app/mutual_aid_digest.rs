//! The weekly email of help near a member, on SQLite and PostgreSQL: only for those who ask,
//! only posts near them and not their own, once a week and once even with two servers
//! sending; and a notice when an ask near them has waited three days with nobody answering,
//! once per ask. The clock is the test's.
use crate::mutual_aid::{app_over, places};
use serde_json::{json, Value};
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    members_who_ask_get_a_weekly_email_of_help_near_them_once,
    asks_near_a_member_that_wait_three_days_are_told_to_them_once,
);

const DAY: i64 = 24 * 3600;

async fn post(app: &TestApp, who: &Person, body: Value) -> i64 {
    let (status, out) = app.post_json(&who.client, "/api/v1/help/posts", body).await;
    assert_eq!(status, 201, "post: {out}");
    out["id"].as_i64().unwrap()
}

fn mails_to(app: &TestApp, address: &str) -> Vec<String> {
    app.outbox_messages()
        .into_iter()
        .filter(|m| m.contains(address) && m.contains("Help near you this week"))
        .collect()
}

async fn members_who_ask_get_a_weekly_email_of_help_near_them_once(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    places(&app).await;
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let carl = app.member("carl@example.org", false).await;
    let hub = app_over(&app);
    let now = village_app::now();

    // Where must be somewhere the hub can place.
    for (area, code) in [("my house", "postcode_invalid"), (" ", "missing")] {
        let (status, body) = app
            .call(
                &anna.client,
                reqwest::Method::PUT,
                "/api/v1/me/help-digest",
                Some(json!({"area": area})),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            (
                body["error"]["field"].as_str(),
                body["error"]["code"].as_str()
            ),
            (Some("area"), Some(code))
        );
    }
    let (status, on) = app
        .call(
            &anna.client,
            reqwest::Method::PUT,
            "/api/v1/me/help-digest",
            Some(json!({"area": "ZZ1 1AA"})),
        )
        .await;
    assert_eq!(status, 200, "{on}");
    assert_eq!(on["area"], "ZZ1");
    assert!(on["next_at"].as_i64().unwrap() >= now + 7 * DAY - 5);

    post(&app, &ben, json!({"kind": "ask", "category": "lifts", "title": "A lift to the station", "area": "ZZ2"})).await;
    post(
        &app,
        &ben,
        json!({"kind": "offer", "category": "pets", "title": "Dog walks far away", "area": "ZZ9"}),
    )
    .await;
    post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "company", "title": "Anna's own ask", "area": "ZZ1"}),
    )
    .await;
    post(
        &app,
        &carl,
        json!({"kind": "offer", "category": "repairs", "title": "Bike repairs", "area": "ZZ1"}),
    )
    .await;

    // Nothing before a week has passed; then one email, with what is near and not hers.
    assert_eq!(
        village_app::mutual_aid::send_digests(&hub, now + DAY)
            .await
            .unwrap(),
        0
    );
    assert!(mails_to(&app, "anna@example.org").is_empty());
    let week = now + 7 * DAY + 10;
    assert_eq!(
        village_app::mutual_aid::send_digests(&hub, week)
            .await
            .unwrap(),
        1
    );
    let mails = mails_to(&app, "anna@example.org");
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(
        mail.contains("A lift to the station") && mail.contains("Bike repairs"),
        "{mail}"
    );
    assert!(
        !mail.contains("Dog walks far away") && !mail.contains("Anna's own ask"),
        "{mail}"
    );
    assert!(mail.contains("/help/mine"), "how to stop it: {mail}");
    // Not again that week; nobody who did not ask is emailed.
    assert_eq!(
        village_app::mutual_aid::send_digests(&hub, week + 3600)
            .await
            .unwrap(),
        0
    );
    assert!(mails_to(&app, "ben@example.org").is_empty());

    // Two servers at once the next week: one email, with only what is new (posted during
    // that week, on the test's clock).
    let mut c = app.store.conn().await.unwrap();
    let carl_id = village_app::accounts::Identity {
        user: village_store::accounts::user_by_id(&mut c, carl.id)
            .await
            .unwrap()
            .unwrap(),
        via: village_app::identity::Via::ApiToken { id: 0 },
    };
    drop(c);
    let soup = village_domain::mutual_aid::post::Draft {
        kind: "offer".into(),
        category: "cooking".into(),
        title: "Soup on Sundays".into(),
        area: "ZZ2".into(),
        ..Default::default()
    };
    village_app::mutual_aid::create_post(&hub, &carl_id, &soup, None, "127.0.0.1", week + DAY)
        .await
        .unwrap();
    let next = week + 7 * DAY + 10;
    let (a, b) = tokio::join!(
        village_app::mutual_aid::send_digests(&hub, next),
        village_app::mutual_aid::send_digests(&hub, next)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let mails = mails_to(&app, "anna@example.org");
    assert_eq!(mails.len(), 2);
    let newest = mails
        .iter()
        .find(|m| m.contains("Soup on Sundays"))
        .expect("the new post");
    assert!(!newest.contains("Bike repairs"), "{newest}");

    // Her page says so and stops it.
    let (_, page) = app.page_as(&anna.client, "/help/mine").await;
    assert!(
        page.contains("Each week we email you new asks and offers near ZZ1"),
        "{page}"
    );
    let (status, off) = app
        .call(
            &anna.client,
            reqwest::Method::DELETE,
            "/api/v1/me/help-digest",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(off["on"], false);
    assert_eq!(
        village_app::mutual_aid::send_digests(&hub, next + 8 * DAY)
            .await
            .unwrap(),
        0
    );
}

async fn asks_near_a_member_that_wait_three_days_are_told_to_them_once(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    places(&app).await;
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let carl = app.member("carl@example.org", false).await;
    let hub = app_over(&app);
    let now = village_app::now();
    let (status, _) = app
        .call(
            &anna.client,
            reqwest::Method::PUT,
            "/api/v1/me/help-digest",
            Some(json!({"area": "ZZ1"})),
        )
        .await;
    assert_eq!(status, 200);

    let waiting = post(
        &app,
        &ben,
        json!({"kind": "ask", "category": "shopping", "title": "Milk and bread", "area": "ZZ2"}),
    )
    .await;
    post(
        &app,
        &ben,
        json!({"kind": "ask", "category": "lifts", "title": "A lift from far away", "area": "ZZ9"}),
    )
    .await;
    let answered = post(
        &app,
        &ben,
        json!({"kind": "ask", "category": "company", "title": "A chat on Tuesdays", "area": "ZZ1"}),
    )
    .await;
    post(
        &app,
        &ben,
        json!({"kind": "offer", "category": "pets", "title": "Dog walks", "area": "ZZ1"}),
    )
    .await;
    let (status, _) = app
        .post_json(
            &carl.client,
            &format!("/api/v1/help/posts/{answered}/responses"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201);

    assert_eq!(
        village_app::mutual_aid::notice_waiting_asks(&hub, now + DAY)
            .await
            .unwrap(),
        0
    );
    let later = now + 3 * DAY + 10;
    assert_eq!(
        village_app::mutual_aid::notice_waiting_asks(&hub, later)
            .await
            .unwrap(),
        1
    );
    let (_, notes) = app.get_json(&anna.client, "/api/v1/me/notifications").await;
    let text = notes.to_string();
    assert!(
        text.contains("Milk and bread") && text.contains(&format!("/help/posts/{waiting}")),
        "{text}"
    );
    assert!(
        !text.contains("A lift from far away") && !text.contains("A chat on Tuesdays"),
        "{text}"
    );
    // Once only, however often the hour comes round.
    assert_eq!(
        village_app::mutual_aid::notice_waiting_asks(&hub, later + 3600)
            .await
            .unwrap(),
        0
    );
    // Ben, who did not ask, is told nothing.
    let (_, notes) = app.get_json(&ben.client, "/api/v1/me/notifications").await;
    assert!(!notes.to_string().contains("waited three days"), "{notes}");

    // Forgetting Anna removes her choice and what she was told.
    let (status, _) = app
        .post_json(
            &anna.client,
            "/api/v1/me/forget",
            json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert_eq!(status, 204);
    let mut c = app.store.conn().await.unwrap();
    assert!(village_store::mutual_aid::all_digests(&mut c)
        .await
        .unwrap()
        .is_empty());
}
