//! Safety checks for mutual aid, on SQLite and PostgreSQL: help in someone's home or
//! personal care waits until the helper holds the checks the hub asks for, recorded by a
//! steward (never about themselves); a check that has run out does not count; a person sees
//! their own, stewards see anyone's and each look is audited; forgetting removes them.
use reqwest::Method;
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_domain::audit::AuditAction;
use village_domain::mutual_aid::post::Category;
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    help_in_a_home_waits_for_the_checks_a_steward_records,
    checks_are_seen_by_the_person_and_stewards_and_forgotten_with_them,
);

async fn start(backend: Backend) -> Option<TestApp> {
    TestApp::start_with(backend, |s| {
        s.mutual_aid.safety.in_home_categories = vec![Category::Repairs];
    })
    .await
}

async fn post(app: &TestApp, who: &Person, body: Value) -> i64 {
    let (status, out) = app.post_json(&who.client, "/api/v1/help/posts", body).await;
    assert_eq!(status, 201, "post: {out}");
    out["id"].as_i64().unwrap()
}

async fn answer(app: &TestApp, who: &Person, post: i64) -> (u16, Value) {
    app.post_json(
        &who.client,
        &format!("/api/v1/help/posts/{post}/responses"),
        json!({}),
    )
    .await
}

async fn record(app: &TestApp, steward: &Person, person: i64, body: Value) -> (u16, Value) {
    app.post_json(
        &steward.client,
        &format!("/api/v1/people/{person}/safety-marks"),
        body,
    )
    .await
}

async fn looks(app: &TestApp, person: i64) -> Vec<village_store::audit::AuditRow> {
    crate::mutual_aid_coordinate::audit(app, AuditAction::SafetyMarksSeen, person).await
}

fn marks(body: &Value) -> Vec<(String, bool)> {
    body["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["mark"].as_str().unwrap().to_string(), m["holds"] == true))
        .collect()
}

async fn help_in_a_home_waits_for_the_checks_a_steward_records(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let steward = app.with_user(Role::Steward, "sue@example.org", false).await;

    // Repairs are in someone's home on this hub, whether the post says so or not.
    let shelf = post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "repairs", "title": "Put up a shelf"}),
    )
    .await;
    let (_, seen) = app
        .get_json(&ben.client, &format!("/api/v1/help/posts/{shelf}"))
        .await;
    assert_eq!(
        seen["safety_marks_needed"],
        json!(["met_in_person", "references_taken"])
    );
    let lift = post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "lifts", "title": "A lift to town"}),
    )
    .await;
    let (_, seen) = app
        .get_json(&ben.client, &format!("/api/v1/help/posts/{lift}"))
        .await;
    assert_eq!(seen["safety_marks_needed"], json!([]));

    // Without the checks Ben cannot answer, is told why, and nothing is made.
    let (status, body) = answer(&app, &ben, shelf).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "safety_marks_needed");
    let words = body["error"]["message"].as_str().unwrap();
    assert!(
        words.contains("meet a steward in person") && words.contains("give a steward the names"),
        "{words}"
    );
    let (_, seen) = app
        .get_json(&ben.client, &format!("/api/v1/help/posts/{shelf}"))
        .await;
    assert!(seen.get("my_match_id").is_none(), "{seen}");
    let (_, page) = app
        .page_as(&ben.client, &format!("/help/posts/{shelf}"))
        .await;
    assert!(page.contains("it needs some safety checks first"), "{page}");
    assert!(!page.contains(&format!("/help/posts/{shelf}/responses")));
    let (status, _) = answer(&app, &ben, lift).await;
    assert_eq!(status, 201, "help outside a home needs no checks");

    // One check is not enough; two are; Ben is told of each.
    let today = chrono::Utc::now().date_naive();
    let (status, body) = record(
        &app,
        &steward,
        ben.id,
        json!({"mark": "met_in_person", "seen_on": today.to_string()}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = answer(&app, &ben, shelf).await;
    assert_eq!(status, 403, "{body}");
    assert!(!body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("meet a steward"));
    let next_year = today + chrono::Days::new(365);
    let (status, body) = record(&app, &steward, ben.id, json!({"mark": "references_taken", "seen_on": today.to_string(), "expires_on": next_year.to_string()})).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        marks(&body),
        [
            ("met_in_person".to_string(), true),
            ("references_taken".to_string(), true)
        ]
    );
    let (_, notes) = app.get_json(&ben.client, "/api/v1/me/notifications").await;
    assert!(notes.to_string().contains("References taken"), "{notes}");
    let (status, m) = answer(&app, &ben, shelf).await;
    assert_eq!(status, 201, "{m}");
    let match_id = m["id"].as_i64().unwrap();

    // A check taken away before Anna says yes: yes waits, and she is told why.
    let (status, _) = app
        .call(
            &steward.client,
            Method::DELETE,
            &format!("/api/v1/people/{}/safety-marks/references_taken", ben.id),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .call(
            &steward.client,
            Method::DELETE,
            &format!("/api/v1/people/{}/safety-marks/references_taken", ben.id),
            None,
        )
        .await;
    assert_eq!(status, 404, "only once");
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/matches/{match_id}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "safety_marks_needed");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("the helper has not had all the safety checks"));
    let (_, page) = app
        .page_as(&anna.client, &format!("/help/matches/{match_id}"))
        .await;
    assert!(page.contains("the helper has not had all the safety checks"));
    assert!(!page.contains(&format!("/help/matches/{match_id}/accept")));
    record(
        &app,
        &steward,
        ben.id,
        json!({"mark": "references_taken", "seen_on": today.to_string()}),
    )
    .await;
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/matches/{match_id}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // An offer of personal care: the one who offers is the helper. A check that has run out
    // does not count; recording it again brings it up to date.
    let carl = app.member("carl@example.org", false).await;
    let dora = app.member("dora@example.org", true).await;
    let care = post(&app, &carl, json!({"kind": "offer", "category": "other", "title": "Help getting dressed", "personal_care": true})).await;
    for mark in ["met_in_person", "references_taken"] {
        record(
            &app,
            &steward,
            carl.id,
            json!({"mark": mark, "seen_on": today.to_string()}),
        )
        .await;
    }
    let (status, body) = record(
        &app,
        &steward,
        carl.id,
        json!({"mark": "dbs_enhanced_seen", "seen_on": "2020-01-06", "expires_on": "2023-01-06"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(marks(&body).contains(&("dbs_enhanced_seen".to_string(), false)));
    let (status, body) = answer(&app, &dora, care).await;
    assert_eq!(status, 403, "{body}");
    let (_, page) = app
        .page_as(&carl.client, &format!("/help/posts/{care}"))
        .await;
    assert!(
        page.contains("show a steward your enhanced DBS check"),
        "{page}"
    );
    record(&app, &steward, carl.id, json!({"mark": "dbs_enhanced_seen", "seen_on": today.to_string(), "expires_on": (today + chrono::Days::new(1000)).to_string()})).await;
    let (status, m) = answer(&app, &dora, care).await;
    assert_eq!(status, 201, "{m}");
    let (status, body) = app
        .post_json(
            &carl.client,
            &format!("/api/v1/help/matches/{}/accept", m["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn checks_are_seen_by_the_person_and_stewards_and_forgotten_with_them(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    let ben = app.member("ben@example.org", false).await;
    let carl = app.member("carl@example.org", false).await;
    let steward = app.with_user(Role::Steward, "sue@example.org", false).await;
    let admin = app
        .with_user(Role::HubAdmin, "ada@example.org", false)
        .await;
    let today = chrono::Utc::now().date_naive().to_string();

    // Only stewards record, never about themselves; every problem is named by its field.
    for who in [&carl, &admin] {
        let (status, body) = record(
            &app,
            who,
            ben.id,
            json!({"mark": "met_in_person", "seen_on": today}),
        )
        .await;
        assert_eq!(status, 403, "{body}");
    }
    let (status, body) = record(
        &app,
        &steward,
        steward.id,
        json!({"mark": "met_in_person", "seen_on": today}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("not_yours"))
    );
    for (body, field) in [
        (
            json!({"mark": "certificate_0012345", "seen_on": today}),
            "mark",
        ),
        (
            json!({"mark": "met_in_person", "seen_on": "last week"}),
            "seen_on",
        ),
        (
            json!({"mark": "met_in_person", "seen_on": "2999-01-01"}),
            "seen_on",
        ),
        (
            json!({"mark": "dbs_basic_seen", "seen_on": today, "expires_on": "2001-01-01"}),
            "expires_on",
        ),
    ] {
        let (status, out) = record(&app, &steward, ben.id, body.clone()).await;
        assert_eq!(status, 422, "{body}: {out}");
        assert_eq!(out["error"]["field"], field, "{body}: {out}");
    }
    let (status, out) = record(
        &app,
        &steward,
        999_999,
        json!({"mark": "met_in_person", "seen_on": today}),
    )
    .await;
    assert_eq!(status, 404, "{out}");
    let (status, _) = record(
        &app,
        &steward,
        ben.id,
        json!({"mark": "dbs_basic_seen", "seen_on": today}),
    )
    .await;
    assert_eq!(status, 201);

    // Ben sees his own, unaudited; another member cannot; a steward can, and is audited
    // (the steward's answer to recording showed them too).
    let path = format!("/api/v1/people/{}/safety-marks", ben.id);
    let before = looks(&app, ben.id).await.len();
    assert_eq!(before, 1);
    let (status, own) = app.get_json(&ben.client, &path).await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["marks"][0]["seen_by"], "Steward person");
    assert_eq!(
        looks(&app, ben.id).await.len(),
        before,
        "his own look is not audited"
    );
    let (status, _) = app.get_json(&carl.client, &path).await;
    assert_eq!(status, 403);
    let (status, _) = app.get_json(&admin.client, &path).await;
    assert_eq!(status, 403);
    let (status, _) = app
        .page_as(&carl.client, &format!("/people/{}/safety-marks", ben.id))
        .await;
    assert_eq!(status, 403);
    let (status, _) = app.get_json(&steward.client, &path).await;
    assert_eq!(status, 200);
    let (status, page) = app
        .page_as(&steward.client, &format!("/people/{}/safety-marks", ben.id))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Basic DBS check seen") && page.contains("Record this check"));
    let seen = looks(&app, ben.id).await;
    assert_eq!(seen.len(), before + 2);
    assert!(seen.iter().all(|l| l.actor_id == Some(steward.id)));
    // The stewards' list finds him by email.
    let found = steward
        .client
        .get(app.url("/help/safety-marks?email=ben@example.org"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        found.headers()["location"],
        format!("/people/{}/safety-marks", ben.id).as_str()
    );
    let (status, page) = app
        .page_as(
            &steward.client,
            "/help/safety-marks?email=nobody@example.org",
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("There is no member with that email address"));

    // His checks are in "Your information".
    let (_, doc) = app.get_json(&ben.client, "/api/v1/me/export").await;
    assert_eq!(
        doc["mutual_aid"]["safety_checks"][0]["mark"], "dbs_basic_seen",
        "{doc}"
    );
    // Forgetting Ben removes his checks from the files.
    let (status, _) = app
        .post_json(
            &ben.client,
            "/api/v1/me/forget",
            json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert_eq!(status, 204);
    let mut c = app.store.conn().await.unwrap();
    let left = village_store::mutual_aid::marks_of(&mut c, ben.id)
        .await
        .unwrap();
    assert!(left.is_empty());
    let (_, list) = app.page_as(&steward.client, "/help/safety-marks").await;
    assert!(!list.contains("Member person"), "{list}");
}
