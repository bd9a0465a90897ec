//! Mutual aid on SQLite and PostgreSQL: asks and offers on the board (filters, nearest first,
//! bad filters named), answering a post, and a match whose contact details reach only the
//! other of the two and only once both said yes; steps taken once even when pressed twice at
//! once, and each one told to the other person.
use reqwest::Method;
use serde_json::{json, Value};
use village_domain::audit::AuditAction;
use village_store::audit::AuditFilter;
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    the_board_lists_filters_and_puts_the_nearest_first,
    contact_details_reach_only_the_other_person_once_both_say_yes,
    a_match_moves_on_once_and_tells_the_other_person,
    posts_and_answers_that_cannot_be_are_refused_plainly,
    the_pages_work_without_script_from_board_to_match,
    time_given_is_confirmed_by_the_other_person_and_posted_once,
    the_ledger_adds_up_to_nothing_after_thousands_of_random_operations,
    forgetting_someone_removes_their_help_and_keeps_every_other_balance,
    gifts_at_the_same_moment_never_take_a_balance_past_the_limit,
);

pub(crate) async fn places(app: &TestApp) {
    let mut tx = app.store.begin().await.unwrap();
    village_store::directory::upsert_postcodes(
        &mut tx,
        &[
            ("ZZ1 1AA".into(), "ZZ1".into(), 52.9500, -1.1500),
            ("ZZ2 1AA".into(), "ZZ2".into(), 52.9600, -1.1500),
            ("ZZ9 1AA".into(), "ZZ9".into(), 53.3000, -1.1500),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Save a phone number on the person's account through the account page, as they would.
pub(crate) async fn save_phone(app: &TestApp, who: &Person, phone: &str) -> reqwest::Response {
    let csrf = app.csrf(&who.client, "/account/phone").await;
    who.client
        .post(app.url("/account/phone"))
        .form(&[("csrf_token", csrf.as_str()), ("phone", phone)])
        .send()
        .await
        .unwrap()
}

pub(crate) async fn post(app: &TestApp, who: &Person, body: Value) -> i64 {
    let (status, out) = app.post_json(&who.client, "/api/v1/help/posts", body).await;
    assert_eq!(status, 201, "post: {out}");
    out["id"].as_i64().unwrap()
}

fn titles(board: &Value) -> Vec<String> {
    board["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

async fn the_board_lists_filters_and_puts_the_nearest_first(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    places(&app).await;
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    post(&app, &anna, json!({"kind": "ask", "category": "lifts", "title": "A lift to the hospital", "area": "ZZ9", "urgency": "this_week", "when": "ongoing"})).await;
    post(&app, &anna, json!({"kind": "ask", "category": "company", "title": "Someone to chat with", "area": "zz2 1aa"})).await;
    post(&app, &ben, json!({"kind": "offer", "category": "repairs", "title": "Small repairs", "area": "ZZ1", "many_times": true})).await;
    let closed = post(
        &app,
        &ben,
        json!({"kind": "offer", "category": "pets", "title": "Dog walks"}),
    )
    .await;
    let (status, _) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/posts/{closed}/close"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    // Newest first; a closed post is not on the board; a full postcode is kept as its district.
    let (status, board) = app.get_json(&anna.client, "/api/v1/help/posts").await;
    assert_eq!(status, 200, "{board}");
    assert_eq!(
        titles(&board),
        [
            "Small repairs",
            "Someone to chat with",
            "A lift to the hospital"
        ]
    );
    assert_eq!(board["posts"][1]["area"], "ZZ2");
    // Only the first name of "Member person".
    assert_eq!(board["posts"][0]["by"], "Member");
    assert_eq!(board["posts"][0]["many_times"], true);

    // Nearest first from a place, then newest within the same distance.
    let (_, near) = app
        .get_json(&anna.client, "/api/v1/help/posts?near=ZZ1%201AA")
        .await;
    assert_eq!(
        titles(&near),
        [
            "Small repairs",
            "Someone to chat with",
            "A lift to the hospital"
        ]
    );
    let (_, far) = app
        .get_json(&anna.client, "/api/v1/help/posts?near=ZZ9")
        .await;
    assert_eq!(
        titles(&far),
        [
            "A lift to the hospital",
            "Small repairs",
            "Someone to chat with"
        ]
    );

    // Each filter narrows; an unknown value is named, never read as "everything".
    let (_, asks) = app
        .get_json(
            &anna.client,
            "/api/v1/help/posts?kind=ask&urgency=this_week",
        )
        .await;
    assert_eq!(titles(&asks), ["A lift to the hospital"]);
    let (_, area) = app
        .get_json(&anna.client, "/api/v1/help/posts?area=ZZ1&category=repairs")
        .await;
    assert_eq!(titles(&area), ["Small repairs"]);
    for (query, field) in [
        ("kind=lend", "kind"),
        ("category=cars", "category"),
        ("urgency=soon", "urgency"),
        ("near=nowhere", "near"),
    ] {
        let (status, body) = app
            .get_json(&anna.client, &format!("/api/v1/help/posts?{query}"))
            .await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    let (status, html) = app.page_as(&anna.client, "/help?category=cars").await;
    assert_eq!(status, 422);
    assert!(html.contains("Choose one of the sorts of help listed."));

    // The board is for members.
    let (status, _) = app.get_json(&app.client(), "/api/v1/help/posts").await;
    assert_eq!(status, 401);
    let (status, _) = app.page("/help").await;
    assert_eq!(status, 303);
}

/// Everything a person can reach about one match: its API answer and its pages.
async fn everything_seen(app: &TestApp, who: &reqwest::Client, post: i64, m: i64) -> String {
    let mut all = String::new();
    for path in [
        "/api/v1/help/posts".to_string(),
        format!("/api/v1/help/posts/{post}"),
        format!("/api/v1/help/matches/{m}"),
    ] {
        let (_, body) = app.get_json(who, &path).await;
        all.push_str(&body.to_string());
    }
    for path in [
        "/help".to_string(),
        "/help/mine".to_string(),
        format!("/help/posts/{post}"),
        format!("/help/matches/{m}"),
        "/notifications".to_string(),
    ] {
        let (_, html) = app.page_as(who, &path).await;
        all.push_str(&html);
    }
    all
}

async fn contact_details_reach_only_the_other_person_once_both_say_yes(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let cara = app.member("cara@example.org", false).await;
    let steward = app
        .with_user(
            village_domain::accounts::Role::Steward,
            "steward@example.org",
            false,
        )
        .await;
    // Anna keeps a phone number on her account; Ben does not share his.
    let r = save_phone(&app, &anna, "07700 900123").await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, account) = app.page_as(&anna.client, "/account").await;
    assert!(account.contains("07700 900123"));

    let p = post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "shopping", "title": "Shopping on Friday"}),
    )
    .await;
    let (status, m) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/posts/{p}/responses"),
            json!({"message": "Happy to help", "share_email": true}),
        )
        .await;
    assert_eq!(status, 201, "{m}");
    assert_eq!(m["state"], "requested");
    let id = m["id"].as_i64().unwrap();
    let secrets = ["anna@example.org", "07700 900123", "ben@example.org"];

    // Before yes: nobody sees anyone's email or phone, not even the two of them.
    for who in [&anna, &ben, &cara, &steward] {
        let seen = everything_seen(&app, &who.client, p, id).await;
        for s in secrets {
            assert!(!seen.contains(s), "{s} shown before both said yes");
        }
    }
    // A message with contact details in it is held back, with a plain warning.
    let (status, body) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/matches/{id}/messages"),
            json!({"message": "ring me on 07700 900456"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "contact_too_soon");
    assert_eq!(body["error"]["field"], "message");
    let (_, seen) = app
        .get_json(&anna.client, &format!("/api/v1/help/matches/{id}"))
        .await;
    assert!(!seen.to_string().contains("900456"));
    // Someone else cannot open the match at all.
    let (status, _) = app
        .get_json(&cara.client, &format!("/api/v1/help/matches/{id}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .page_as(&steward.client, &format!("/help/matches/{id}"))
        .await;
    assert_eq!(status, 404);

    // Anna says yes and shares her phone too: each sees what the other chose, and only that.
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/matches/{id}/accept"),
            json!({"share_email": true, "share_phone": true}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["contact"]["email"], "ben@example.org");
    assert_eq!(body["contact"]["phone"], Value::Null);
    let (_, for_ben) = app
        .get_json(&ben.client, &format!("/api/v1/help/matches/{id}"))
        .await;
    assert_eq!(for_ben["contact"]["email"], "anna@example.org");
    assert_eq!(for_ben["contact"]["phone"], "07700 900123");
    let (_, page) = app
        .page_as(&ben.client, &format!("/help/matches/{id}"))
        .await;
    assert!(page.contains("07700 900123") && page.contains("anna@example.org"));
    // Each look at the other's details is in the audit log, against the person seen.
    let mut c = app.store.conn().await.unwrap();
    let looks = village_store::audit::list(
        &mut c,
        &AuditFilter {
            action: Some(AuditAction::HelpContactSeen),
            subject: Some(anna.id),
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(!looks.is_empty() && looks.iter().all(|l| l.actor_id == Some(ben.id)));
    drop(c);
    // Still nobody else.
    for who in [&cara, &steward] {
        let seen = everything_seen(&app, &who.client, p, id).await;
        for s in secrets {
            assert!(!seen.contains(s), "{s} shown to someone outside the match");
        }
    }
    // Once they have said yes, a message may hold a number.
    let (status, _) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/matches/{id}/messages"),
            json!({"message": "or ring 07700 900456"}),
        )
        .await;
    assert_eq!(status, 201);

    // Withdrawing hides them again.
    let (status, body) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/matches/{id}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("contact").is_none(), "{body}");
    let seen = everything_seen(&app, &anna.client, p, id).await;
    assert!(!seen.contains("ben@example.org"));
    let seen = everything_seen(&app, &ben.client, p, id).await;
    assert!(!seen.contains("07700 900123") && !seen.contains("anna@example.org"));
}

async fn a_match_moves_on_once_and_tells_the_other_person(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let p = post(
        &app,
        &anna,
        json!({"kind": "offer", "category": "gardening", "title": "I can mow lawns"}),
    )
    .await;

    // Answering twice at once gives one match.
    let path = format!("/api/v1/help/posts/{p}/responses");
    let (a, b) = tokio::join!(
        app.post_json(&ben.client, &path, json!({"message": "Yes please"})),
        app.post_json(&ben.client, &path, json!({"message": "Yes please"})),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 201], "{} {}", a.1, b.1);
    assert_eq!(a.1["id"], b.1["id"]);
    let id = a.1["id"].as_i64().unwrap();
    let mail = app
        .newest_mail_to("anna@example.org")
        .expect("Anna is told");
    assert!(mail.contains(&format!("/help/matches/{id}")), "{mail}");
    let (_, notes) = app.get_json(&anna.client, "/api/v1/me/notifications").await;
    assert!(notes.to_string().contains("would like"), "{notes}");

    // Only the one who posted says yes; a step out of turn is refused with its code.
    let accept = format!("/api/v1/help/matches/{id}/accept");
    let (status, body) = app.post_json(&ben.client, &accept, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("not_yours"))
    );
    let done = format!("/api/v1/help/matches/{id}/done");
    let (status, body) = app.post_json(&anna.client, &done, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_allowed_now"))
    );
    let (status, body) = app
        .post_json(&anna.client, "/api/v1/help/matches/1/dance", json!({}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("action_unknown"))
    );

    // Pressing yes twice at once: one yes, the other told it has moved on.
    let (a, b) = tokio::join!(
        app.post_json(&anna.client, &accept, json!({})),
        app.post_json(&anna.client, &accept, json!({})),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} {}", a.1, b.1);
    let mail = app.newest_mail_to("ben@example.org").expect("Ben is told");
    assert!(mail.contains("said yes"), "{mail}");
    let mut c = app.store.conn().await.unwrap();
    let events = village_store::mutual_aid::match_events(&mut c, id)
        .await
        .unwrap();
    drop(c);
    assert_eq!(
        events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["respond", "accept"]
    );

    // Either says it happened; then nothing more can move it.
    let (status, body) = app.post_json(&ben.client, &done, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "done");
    assert_eq!(body["actions"], json!([]));
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/matches/{id}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409);
    // The one who posted closes it once it is met; it leaves the board.
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/posts/{p}/close"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "closed");
    assert_eq!(body["answers"][0]["state"], "done");
    let (_, board) = app.get_json(&ben.client, "/api/v1/help/posts").await;
    assert!(titles(&board).is_empty());
}

async fn posts_and_answers_that_cannot_be_are_refused_plainly(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    for (body, field, code) in [
        (
            json!({"kind": "lend", "category": "lifts", "title": "x"}),
            "kind",
            "invalid_kind",
        ),
        (
            json!({"kind": "ask", "category": "cars", "title": "x"}),
            "category",
            "category_unknown",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": " "}),
            "title",
            "text_missing",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": "x", "when": "2020-01-01"}),
            "when",
            "date_invalid",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": "x", "when": "tomorrowish"}),
            "when",
            "date_invalid",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": "x", "urgency": "now"}),
            "urgency",
            "urgency_unknown",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": "x", "up_for_days": 400}),
            "up_for_days",
            "invalid_days",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": "x", "area": "my house"}),
            "area",
            "postcode_invalid",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": "Lift please", "details": "I'm at 14 Bramble Close"}),
            "details",
            "contact_too_soon",
        ),
        (
            json!({"kind": "ask", "category": "lifts", "title": "Email anna@example.org"}),
            "title",
            "contact_too_soon",
        ),
    ] {
        let (status, out) = app
            .post_json(&anna.client, "/api/v1/help/posts", body.clone())
            .await;
        assert_eq!(status, 422, "{body}: {out}");
        assert_eq!(out["error"]["field"], field, "{body}: {out}");
        assert_eq!(out["error"]["code"], code, "{body}: {out}");
    }
    let (_, mine) = app.get_json(&anna.client, "/api/v1/help/posts").await;
    assert!(titles(&mine).is_empty(), "nothing half-written");

    let p = post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "lifts", "title": "A lift"}),
    )
    .await;
    let answer = format!("/api/v1/help/posts/{p}/responses");
    let (status, body) = app.post_json(&anna.client, &answer, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("own_post"))
    );
    let (status, body) = app
        .post_json(
            &ben.client,
            &answer,
            json!({"message": "mail me at ben@example.org"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("contact_too_soon"))
    );
    let (status, body) = app
        .post_json(&ben.client, &answer, json!({"share_phone": true}))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("share_phone"))
    );
    let (status, body) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/posts/{p}/close"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("not_yours"))
    );
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/posts/{p}/close"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = app.post_json(&ben.client, &answer, json!({})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("post_closed"))
    );
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/posts/{p}/close"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("post_closed"))
    );
    // A closed post is gone for those not in it.
    let (status, _) = app
        .get_json(&ben.client, &format!("/api/v1/help/posts/{p}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call(&ben.client, Method::GET, "/api/v1/help/matches/999", None)
        .await;
    assert_eq!(status, 404);

    // A phone number that is not one is named.
    let r = save_phone(&app, &anna, "call me").await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Give a phone number like"));
}

async fn the_pages_work_without_script_from_board_to_match(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    places(&app).await;
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    // Anna asks, by the page's form.
    let csrf = app.csrf(&anna.client, "/help/new?kind=ask").await;
    let form = |title: &'static str, on: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("kind", "ask".into()),
            ("category", "company".into()),
            ("title", title.into()),
            ("details", "A cup of tea and a chat".into()),
            ("when", "on".into()),
            ("when_on", on.into()),
            ("urgency", "this_week".into()),
            ("area", "ZZ1".into()),
            ("up_for_days", "30".into()),
        ]
    };
    let r = anna
        .client
        .post(app.url("/help/new"))
        .form(&form("A chat", "1 January 2020"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("That day has passed"), "{html}");
    let next_week = village_domain::dates::today_ymd(village_app::now() + 7 * 86_400);
    let next_week: &'static str = Box::leak(next_week.into_boxed_str());
    let r = anna
        .client
        .post(app.url("/help/new"))
        .form(&form("A chat", next_week))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = to
        .trim_start_matches("/help/posts/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // Ben finds it on the board and answers from its page.
    let (status, board) = app.page_as(&ben.client, "/help?near=ZZ2").await;
    assert_eq!(status, 200);
    assert!(board.contains(&format!("/help/posts/{id}")) && board.contains("A chat"));
    let (_, page) = app.page_as(&ben.client, &format!("/help/posts/{id}")).await;
    assert!(page.contains("I can help with this"), "{page}");
    let csrf = app.csrf(&ben.client, &format!("/help/posts/{id}")).await;
    let r = ben
        .client
        .post(app.url(&format!("/help/posts/{id}/responses")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("message", "I live at 3 Elm Road, pop round"),
            ("share_email", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("a street address"));
    let r = ben
        .client
        .post(app.url(&format!("/help/posts/{id}/responses")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("message", "I would love a chat"),
            ("share_email", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/help/matches/"), "{to}");

    // Anna says yes on the match page; then both see each other's email.
    let (_, page) = app.page_as(&anna.client, &to).await;
    assert!(page.contains("I would love a chat") && page.contains("Say yes"));
    assert!(!page.contains("ben@example.org"));
    let csrf = app.csrf(&anna.client, &to).await;
    let r = anna
        .client
        .post(app.url(&format!("{to}/accept")))
        .form(&[("csrf_token", csrf.as_str()), ("share_email", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.page_as(&anna.client, &to).await;
    assert!(page.contains("ben@example.org"), "{page}");
    // Withdrawing asks first.
    let (status, page) = app.page_as(&ben.client, &format!("{to}/withdraw")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Withdraw from this match?"));
    let (_, mine) = app.page_as(&ben.client, "/help/mine").await;
    assert!(mine.contains("A chat") && mine.contains("Both said yes"));
}

/// A match that happened between `poster` and `helper`, by the API; returns its id.
pub(crate) async fn happened(app: &TestApp, poster: &Person, helper: &Person, title: &str) -> i64 {
    let p = post(
        app,
        poster,
        json!({"kind": "ask", "category": "other", "title": title}),
    )
    .await;
    let (status, m) = app
        .post_json(
            &helper.client,
            &format!("/api/v1/help/posts/{p}/responses"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    for (who, step) in [(poster, "accept"), (helper, "done")] {
        let (status, body) = app
            .post_json(
                &who.client,
                &format!("/api/v1/help/matches/{id}/{step}"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{step}: {body}");
    }
    id
}

pub(crate) async fn balance(app: &TestApp, who: &Person) -> i64 {
    let (status, a) = app.get_json(&who.client, "/api/v1/me/time-account").await;
    assert_eq!(status, 200, "{a}");
    a["balance_minutes"].as_i64().unwrap()
}

pub(crate) async fn ledger_sum(app: &TestApp) -> i64 {
    let mut c = app.store.conn().await.unwrap();
    village_store::mutual_aid::ledger_sum(&mut c).await.unwrap()
}

/// The hub's use cases over the test hub's database, with its clock in the test's hands.
pub(crate) fn app_over(app: &TestApp) -> village_app::App {
    let mut settings = village_app::settings::Settings::default();
    settings.mail.outbox_dir = app.outbox.to_string_lossy().to_string();
    village_app::App::new(app.store.clone(), settings).unwrap()
}

async fn time_given_is_confirmed_by_the_other_person_and_posted_once(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let m = happened(&app, &anna, &ben, "Help with a form").await;

    // Ben says he gave an hour and a half: nothing changes until Anna confirms.
    let (status, x) = app
        .post_json(
            &ben.client,
            "/api/v1/help/exchanges",
            json!({"match_id": m, "minutes": 90, "gave": true, "note": "The council form"}),
        )
        .await;
    assert_eq!(status, 201, "{x}");
    assert_eq!(x["state"], "proposed");
    let id = x["id"].as_i64().unwrap();
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (0, 0)
    );
    let (_, account) = app.get_json(&anna.client, "/api/v1/me/time-account").await;
    assert_eq!(account["to_answer"][0]["id"], id);
    let (status, body) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/exchanges/{id}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("not_yours"))
    );

    // Anna presses confirm twice at once: it posts once.
    let confirm = format!("/api/v1/help/exchanges/{id}/confirm");
    let (a, b) = tokio::join!(
        app.post_json(&anna.client, &confirm, json!({})),
        app.post_json(&anna.client, &confirm, json!({})),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} {}", a.1, b.1);
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (-90, 90)
    );
    assert_eq!(ledger_sum(&app).await, 0);
    let (_, account) = app.get_json(&ben.client, "/api/v1/me/time-account").await;
    assert_eq!(account["entries"].as_array().unwrap().len(), 1, "{account}");
    assert_eq!(account["entries"][0]["note"], "The council form");

    // Time Anna says is not right never posts, however long it waits.
    let (_, x) = app
        .post_json(
            &anna.client,
            "/api/v1/help/exchanges",
            json!({"match_id": m, "minutes": 30, "gave": false}),
        )
        .await;
    let disputed = x["id"].as_i64().unwrap();
    let (status, body) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/exchanges/{disputed}/dispute"),
            json!({}),
        )
        .await;
    assert_eq!((status, body["state"].as_str()), (200, Some("disputed")));
    // Time nobody answers posts by itself after 14 days, not before.
    let (_, x) = app
        .post_json(
            &ben.client,
            "/api/v1/help/exchanges",
            json!({"match_id": m, "minutes": 45, "gave": true}),
        )
        .await;
    let waiting = x["id"].as_i64().unwrap();
    let state = app_over(&app);
    let now = village_app::now();
    assert_eq!(
        village_app::mutual_aid::post_waiting(&state, now + 13 * 86_400)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (-90, 90)
    );
    assert_eq!(
        village_app::mutual_aid::post_waiting(&state, now + 14 * 86_400 + 60)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        village_app::mutual_aid::post_waiting(&state, now + 30 * 86_400)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (-135, 135)
    );
    let (_, x) = app.get_json(&ben.client, "/api/v1/me/time-account").await;
    assert_eq!(x["entries"].as_array().unwrap().len(), 2, "{x}");
    let (_, body) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/exchanges/{waiting}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(body["error"]["code"], "not_yours");
    assert_eq!(ledger_sum(&app).await, 0);

    // Gifts: to the pot, within the limits (10 hours below nothing unless set).
    let (status, body) = app
        .post_json(
            &anna.client,
            "/api/v1/me/time-account/gifts",
            json!({"minutes": 500}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("balance_limit"))
    );
    let (status, body) = app
        .post_json(
            &ben.client,
            "/api/v1/me/time-account/gifts",
            json!({"minutes": 60}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["balance_minutes"], 75);
    assert_eq!(body["entries"][0]["with"], "the community pot");
    assert_eq!(ledger_sum(&app).await, 0);

    // Time is recorded only once the help happened, and only by the two.
    let p = post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "other", "title": "Another"}),
    )
    .await;
    let (_, fresh) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/posts/{p}/responses"),
            json!({}),
        )
        .await;
    let (status, body) = app
        .post_json(
            &ben.client,
            "/api/v1/help/exchanges",
            json!({"match_id": fresh["id"], "minutes": 30, "gave": true}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_allowed_now"))
    );
    let cara = app.member("cara@example.org", false).await;
    let (status, _) = app
        .post_json(
            &cara.client,
            "/api/v1/help/exchanges",
            json!({"match_id": m, "minutes": 30, "gave": true}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .post_json(
            &ben.client,
            "/api/v1/help/exchanges",
            json!({"match_id": m, "minutes": 0, "gave": true}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("minutes"))
    );

    // The ledger cannot be changed or emptied, even from inside the database.
    let mut c = app.store.conn().await.unwrap();
    use village_store::Db;
    let changed = village_store::query!(&mut c, c => sqlx::query("UPDATE help_ledger SET minutes = minutes + 1").execute(&mut *c).await.map(|r| r.rows_affected()));
    assert!(changed.is_err(), "an entry was changed");
    let removed = village_store::query!(&mut c, c => sqlx::query("DELETE FROM help_ledger").execute(&mut *c).await.map(|r| r.rows_affected()));
    assert!(removed.is_err(), "entries were removed");
}

/// A small random number generator with a printed seed, so a failure can be run again.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

async fn the_ledger_adds_up_to_nothing_after_thousands_of_random_operations(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let people = [
        app.member("p0@example.org", false).await,
        app.member("p1@example.org", false).await,
        app.member("p2@example.org", false).await,
        app.member("p3@example.org", false).await,
    ];
    // A match that happened between each pair.
    let mut matches = Vec::new();
    for i in 0..people.len() {
        for j in (i + 1)..people.len() {
            let id = happened(&app, &people[i], &people[j], &format!("Help {i} {j}")).await;
            matches.push((id, i, j));
        }
    }
    let state = app_over(&app);
    // A coordinator, who takes back time added by mistake now and then.
    let coordinator = app
        .with_user(
            village_domain::accounts::Role::Coordinator,
            "coordinator@example.org",
            false,
        )
        .await;
    let mut c = app.store.conn().await.unwrap();
    let mut who = Vec::new();
    for p in people.iter().chain([&coordinator]) {
        let user = village_store::accounts::user_by_id(&mut c, p.id)
            .await
            .unwrap()
            .unwrap();
        who.push(village_app::accounts::Identity {
            user,
            via: village_app::identity::Via::ApiToken { id: 0 },
        });
    }
    drop(c);
    let seed = village_app::now() as u64 | 1;
    println!("seed {seed}");
    let mut dice = Dice(seed);
    let mut t = village_app::now();
    let mut recorded: Vec<i64> = Vec::new();
    let operations = 2_000;
    for _ in 0..operations {
        t += dice.next(6 * 3600) as i64;
        match dice.next(10) {
            0..=3 => {
                let (m, i, j) = matches[dice.next(matches.len() as u64) as usize];
                let by = if dice.next(2) == 0 { i } else { j };
                let minutes = 1 + dice.next(400) as i64;
                let gave = dice.next(2) == 0;
                if let Ok(id) = village_app::mutual_aid::record_time(
                    &state,
                    &who[by],
                    m,
                    minutes,
                    gave,
                    "",
                    "127.0.0.1",
                    t,
                )
                .await
                {
                    recorded.push(id);
                }
            }
            4..=6 if !recorded.is_empty() => {
                let id = recorded[dice.next(recorded.len() as u64) as usize];
                let by = dice.next(4) as usize;
                let action = if dice.next(4) == 0 {
                    village_domain::mutual_aid::credits::ExchangeAction::Dispute
                } else {
                    village_domain::mutual_aid::credits::ExchangeAction::Confirm
                };
                let _ = village_app::mutual_aid::answer_time(
                    &state,
                    &who[by],
                    id,
                    action,
                    "127.0.0.1",
                    t,
                )
                .await;
            }
            7 if !recorded.is_empty() && dice.next(3) == 0 => {
                let id = recorded[dice.next(recorded.len() as u64) as usize];
                let _ = village_app::mutual_aid::settle_time(
                    &state,
                    &who[4],
                    id,
                    village_domain::mutual_aid::credits::SettleAction::Reverse,
                    "127.0.0.1",
                    t,
                )
                .await;
            }
            7 => {
                let by = dice.next(4) as usize;
                let to = match dice.next(5) {
                    4 => None,
                    n => Some(people[n as usize].id),
                };
                let _ = village_app::mutual_aid::give(
                    &state,
                    &who[by],
                    to,
                    1 + dice.next(300) as i64,
                    t,
                )
                .await;
            }
            _ => {
                t += dice.next(20 * 86_400) as i64;
                village_app::mutual_aid::post_waiting(&state, t)
                    .await
                    .unwrap();
            }
        }
        assert_eq!(ledger_sum(&app).await, 0, "seed {seed}");
    }
    // Every balance within the hub's limits (but for those in time taken back: a correction
    // puts it back whatever the limits), every posted exchange in the ledger once, every one
    // taken back twice (it and its reversal), and nothing else from an exchange in it.
    let limits = &state.settings.mutual_aid;
    let mut c = app.store.conn().await.unwrap();
    use village_store::Db;
    let corrected: Vec<Option<i64>> = village_store::query!(&mut c, c => sqlx::query_scalar(
        "SELECT giver_id FROM help_exchanges WHERE state = 'reversed' \
         UNION SELECT receiver_id FROM help_exchanges WHERE state = 'reversed'",
    )
    .fetch_all(&mut *c)
    .await)
    .unwrap();
    for p in people.iter().filter(|p| !corrected.contains(&Some(p.id))) {
        let b = village_store::mutual_aid::balance(
            &mut c,
            village_store::mutual_aid::Holder::Member(p.id),
        )
        .await
        .unwrap();
        assert!(
            (limits.lowest_balance_minutes..=limits.highest_balance_minutes).contains(&b),
            "seed {seed}: {b}"
        );
    }
    let wrong: i64 = village_store::query!(&mut c, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM help_exchanges x WHERE (SELECT COUNT(*) FROM help_transfers t WHERE t.exchange_id = x.id) \
         <> CASE x.state WHEN 'posted' THEN 1 WHEN 'reversed' THEN 2 ELSE 0 END",
    )
    .fetch_one(&mut *c)
    .await)
    .unwrap();
    assert_eq!(
        wrong, 0,
        "seed {seed}: an exchange posted other than once, or one not posted in the ledger"
    );
    let posted: i64 = village_store::query!(&mut c, c => sqlx::query_scalar("SELECT COUNT(*) FROM help_exchanges WHERE state = 'posted'")
        .fetch_one(&mut *c)
        .await)
    .unwrap();
    assert!(
        posted > 50,
        "seed {seed}: only {posted} posted: the operations did too little"
    );
    let reversed: i64 = village_store::query!(&mut c, c => sqlx::query_scalar("SELECT COUNT(*) FROM help_exchanges WHERE state = 'reversed'")
        .fetch_one(&mut *c)
        .await)
    .unwrap();
    assert!(reversed > 5, "seed {seed}: only {reversed} taken back");
}

/// Eleven members each give Rosa ten hours at the same moment. Any one gift fits the hub's
/// highest balance (100 hours) and ten of them fill it exactly, so ten are kept and one is
/// refused plainly, whichever order they land in; her balance never goes past the limit.
async fn gifts_at_the_same_moment_never_take_a_balance_past_the_limit(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let state = app_over(&app);
    let highest = state.settings.mutual_aid.highest_balance_minutes;
    let gift = 600;
    assert_eq!(highest % gift, 0);
    let fits = highest / gift;
    let rosa = app.member("rosa@example.org", true).await;
    let mut givers = Vec::new();
    let mut c = app.store.conn().await.unwrap();
    for n in 0..=fits {
        let p = app.member(&format!("giver{n}@example.org"), false).await;
        let user = village_store::accounts::user_by_id(&mut c, p.id)
            .await
            .unwrap()
            .unwrap();
        givers.push(village_app::accounts::Identity {
            user,
            via: village_app::identity::Via::ApiToken { id: 0 },
        });
    }
    drop(c);
    let t = village_app::now();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(givers.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for who in givers {
        let (state, start, to) = (state.clone(), start.clone(), rosa.id);
        tasks.spawn(async move {
            start.wait().await;
            village_app::mutual_aid::give(&state, &who, Some(to), gift, t).await
        });
    }
    let (mut kept, mut refused) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            Ok(()) => kept += 1,
            Err(village_app::error::Error::Conflict(code, _)) => {
                assert_eq!(code.as_str(), "balance_limit");
                refused += 1;
            }
            Err(e) => panic!("a gift failed: {e:?}"),
        }
    }
    assert_eq!((kept, refused), (fits, 1));
    assert_eq!(balance(&app, &rosa).await, highest);
    assert_eq!(ledger_sum(&app).await, 0);
}

async fn forgetting_someone_removes_their_help_and_keeps_every_other_balance(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let pat = app.member("pat@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let m = happened(&app, &pat, &ben, "Zanzibar marmalade jars").await;
    let (_, x) = app
        .post_json(
            &ben.client,
            "/api/v1/help/exchanges",
            json!({"match_id": m, "minutes": 60, "gave": true, "note": "Quetzal shelf"}),
        )
        .await;
    let (status, _) = app
        .post_json(
            &pat.client,
            &format!("/api/v1/help/exchanges/{}/confirm", x["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    // Pat asks for it to be taken back, in words of her own.
    let (status, _) = app
        .post_json(
            &pat.client,
            &format!("/api/v1/help/exchanges/{}/take-back", x["id"]),
            json!({"why": "Okapi miscount"}),
        )
        .await;
    assert_eq!(status, 200);
    // Pat also answered Ben's offer, with a message.
    let offer = post(
        &app,
        &ben,
        json!({"kind": "offer", "category": "repairs", "title": "Bike fixing"}),
    )
    .await;
    let (status, _) = app
        .post_json(
            &pat.client,
            &format!("/api/v1/help/posts/{offer}/responses"),
            json!({"message": "Xylophone wheel please"}),
        )
        .await;
    assert_eq!(status, 201);
    assert!(crate::people::database_contains(&app, "Xylophone").await);
    // Until then, "Your information" holds all of it: the post, the match with its message,
    // the time and the time account's entry.
    let (status, doc) = app.get_json(&pat.client, "/api/v1/me/export").await;
    assert_eq!(status, 200);
    let mine = &doc["mutual_aid"];
    assert_eq!(
        mine["posts"][0]["title"], "Zanzibar marmalade jars",
        "{mine}"
    );
    let matches = mine["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 2, "{mine}");
    assert!(mine.to_string().contains("Xylophone wheel please"));
    assert_eq!(mine["time_given_and_received"][0]["note"], "Quetzal shelf");
    assert_eq!(
        mine["time_given_and_received"][0]["take_back_why"],
        "Okapi miscount"
    );
    assert_eq!(mine["time_account"][0]["minutes"], -60);
    let (_, page) = app.page_as(&pat.client, "/me/information/everything").await;
    assert!(
        page.contains("You posted &quot;Zanzibar marmalade jars&quot;")
            || page.contains("You posted &#34;Zanzibar marmalade jars&#34;"),
        "{page}"
    );

    let (status, _) = app
        .post_json(
            &pat.client,
            "/api/v1/me/forget",
            json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert_eq!(status, 204);
    for word in [
        "Zanzibar",
        "Quetzal",
        "Xylophone",
        "Okapi",
        "pat@example.org",
    ] {
        assert!(
            !crate::people::database_contains(&app, word).await,
            "{word} is still stored"
        );
    }
    // Ben's hour stays his; the other side is now "a former member"; it all adds up.
    let (_, account) = app.get_json(&ben.client, "/api/v1/me/time-account").await;
    assert_eq!(account["balance_minutes"], 60, "{account}");
    assert_eq!(account["entries"][0]["with"], "a former member");
    assert_eq!(ledger_sum(&app).await, 0);
    let (_, notes) = app.get_json(&ben.client, "/api/v1/me/notifications").await;
    assert!(!notes.to_string().contains("/help/matches/"), "{notes}");
    let (_, board) = app.get_json(&ben.client, "/api/v1/help/posts").await;
    assert_eq!(titles(&board), ["Bike fixing"]);
}
