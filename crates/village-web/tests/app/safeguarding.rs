//! Safeguarding concerns on SQLite and PostgreSQL: only the hub's safeguarding leads see
//! them, every look is audited without showing on the person's side, records are
//! append-only, and an open concern is what survives a person being forgotten.
use reqwest::Client;
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    anyone_can_raise_a_concern_and_urgent_ones_wait_on_the_leads_home_page,
    concerns_reach_only_the_safeguarding_leads,
    an_open_concern_is_kept_when_the_person_is_forgotten,
    a_concern_about_a_help_match_lets_the_leads_read_that_match,
);

async fn call(
    app: &TestApp,
    client: &Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    app.call(client, method, path, body).await
}

async fn get(app: &TestApp, client: &Client, path: &str) -> (u16, Value) {
    app.get_json(client, path).await
}

/// A hub admin, a steward made safeguarding lead, and their clients.
async fn with_a_lead(app: &TestApp) -> (Client, Client, i64) {
    let (admin, _) = app.signed_in_as(Role::HubAdmin, "ada@example.org").await;
    let (lead, lead_id) = app.signed_in_as(Role::Steward, "lee@example.org").await;
    let (s, _) = call(
        app,
        &admin,
        reqwest::Method::PUT,
        &format!("/api/v1/admin/users/{lead_id}/safeguarding-lead"),
        Some(json!({"lead": true})),
    )
    .await;
    assert_eq!(s, 204);
    (admin, lead, lead_id)
}

async fn concerns_reach_only_the_safeguarding_leads(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (admin, lead, lead_id) = with_a_lead(&app).await;
    let (pat, pat_id) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (mo, mo_id) = app.signed_in_as(Role::Member, "mo@example.org").await;
    // Only hub admins make leads.
    let (s, _) = call(
        &app,
        &mo,
        reqwest::Method::PUT,
        &format!("/api/v1/admin/users/{mo_id}/safeguarding-lead"),
        Some(json!({"lead": true})),
    )
    .await;
    assert_eq!(s, 403);

    let worry = "Pat had bruises on both arms and seemed frightened of the new carer.";
    for (body, field) in [
        (json!({"about_person_id": pat_id, "what": "  "}), "what"),
        (
            json!({"about_person_id": 999_999, "what": "x"}),
            "about_person_id",
        ),
        (json!({"what": "x"}), "about_name"),
        (
            json!({"about_group_id": "no-such-group", "what": "x"}),
            "about_group_id",
        ),
        // Its name before December 2026 is still read.
        (
            json!({"about_organisation_id": "no-such-group", "what": "x"}),
            "about_group_id",
        ),
    ] {
        let (s, e) = call(
            &app,
            &mo,
            reqwest::Method::POST,
            "/api/v1/concerns",
            Some(body),
        )
        .await;
        assert_eq!((s, e["error"]["field"].clone()), (422, json!(field)));
    }
    let (s, raised) = call(
        &app,
        &mo,
        reqwest::Method::POST,
        "/api/v1/concerns",
        Some(json!({"about_person_id": pat_id, "what": worry, "urgent": true})),
    )
    .await;
    assert_eq!(s, 201);
    let id = raised["id"].as_i64().unwrap();
    // The lead is told by email, without the details.
    let mail = app
        .outbox_messages()
        .into_iter()
        .find(|m| m.contains("lee@example.org"))
        .expect("the lead was emailed");
    assert!(mail.contains("safeguarding") && !mail.contains("bruises"));

    // Nobody but the lead sees it: not the member who raised it, not a hub admin, not Pat.
    for other in [&mo, &admin, &pat] {
        assert_eq!(get(&app, other, "/api/v1/concerns").await.0, 403);
        assert_eq!(
            get(&app, other, &format!("/api/v1/concerns/{id}")).await.0,
            403
        );
        let r = other.get(app.url("/safeguarding")).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let html = r.text().await.unwrap();
        assert!(html.contains("You cannot see this page") && html.contains("Sign out"));
    }
    let (s, list) = get(&app, &lead, "/api/v1/concerns").await;
    assert_eq!(s, 200);
    assert_eq!(list[0]["about_name"], json!("Member person"));
    let (_, one) = get(&app, &lead, &format!("/api/v1/concerns/{id}")).await;
    assert_eq!(
        (
            one["what"].clone(),
            one["status"].clone(),
            one["urgent"].clone()
        ),
        (json!(worry), json!("open"), json!(true))
    );
    let page = lead
        .get(app.url(&format!("/safeguarding/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("bruises on both arms"));

    // Never on Pat's side: not in who has looked, not in the export, not on the profile.
    let (_, log) = get(&app, &pat, "/api/v1/me/access-log").await;
    assert!(
        log.as_array().unwrap().iter().all(|e| !e["action"]
            .as_str()
            .unwrap()
            .starts_with("concern")
            && !e["detail"].as_str().unwrap().contains("concern")),
        "the concern shows in Pat's access log: {log}"
    );
    let (_, all) = get(&app, &pat, "/api/v1/me/audit").await;
    assert!(!all.to_string().contains("concern"));
    let export = pat
        .get(app.url("/api/v1/me/information"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!export.contains("bruises") && !export.contains("concern"));

    // Actions, then closing; nothing is added after.
    assert_eq!(
        call(
            &app,
            &lead,
            reqwest::Method::POST,
            &format!("/api/v1/concerns/{id}/actions"),
            Some(json!({"text": "Spoke with Pat, who is safe; told adult social care."}))
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(
            &app,
            &lead,
            reqwest::Method::POST,
            &format!("/api/v1/concerns/{id}/close"),
            Some(json!({"outcome": ""}))
        )
        .await
        .0,
        422
    );
    let r = app
        .post_form(
            &lead,
            &format!("/safeguarding/{id}"),
            &format!("/safeguarding/{id}/close"),
            &[(
                "outcome",
                "Referred to the council's adult safeguarding team, who are acting.",
            )],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, one) = get(&app, &lead, &format!("/api/v1/concerns/{id}")).await;
    assert_eq!(one["status"], json!("closed"));
    assert_eq!(one["actions"].as_array().unwrap().len(), 2);
    // A closed concern takes no more on its page either: a calm page with the lead's own menu.
    let r = app
        .post_form(
            &lead,
            &format!("/safeguarding/{id}"),
            &format!("/safeguarding/{id}/actions"),
            &[("text", "one more thing")],
        )
        .await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("This concern is closed"), "{html}");
    assert!(
        html.contains("Sign out"),
        "the problem page keeps the visitor's menu"
    );
    let (s, e) = call(
        &app,
        &lead,
        reqwest::Method::POST,
        &format!("/api/v1/concerns/{id}/actions"),
        Some(json!({"text": "more"})),
    )
    .await;
    assert_eq!(
        (s, e["error"]["code"].clone()),
        (409, json!("concern_closed"))
    );

    // Append-only, whatever tries to change it.
    let changed = match &app.store {
        village_store::Store::Sqlite { pool, .. } => {
            sqlx::query("UPDATE concerns SET what = 'changed'")
                .execute(pool)
                .await
                .is_ok()
        }
        village_store::Store::Postgres { pool } => {
            sqlx::query("UPDATE concerns SET what = 'changed'")
                .execute(pool)
                .await
                .is_ok()
        }
    };
    assert!(!changed, "a concern was changed");

    // Every look by the lead is in the audit log (for hub admins), against no person.
    let (_, audit) = get(&app, &admin, "/api/v1/admin/audit?action=concern_viewed").await;
    let looks = audit.as_array().unwrap();
    assert!(looks.iter().any(|e| e["actor_id"] == lead_id
        && e["detail"] == json!(format!("concern {id}"))
        && e["subject_id"].is_null()));

    // The page to raise one works without an id too, and names what is missing.
    let r = app
        .post_form(
            &mo,
            "/concerns/new",
            "/concerns/new",
            &[("about_name", ""), ("what", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#what\""));
    let r = app
        .post_form(
            &mo,
            "/concerns/new",
            "/concerns/new",
            &[
                ("about_name", "The Tuesday lunch club"),
                ("what", "Food left out all day"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let (_, list) = get(&app, &lead, "/api/v1/concerns").await;
    assert_eq!(
        list[0]["about_name"],
        json!("The Tuesday lunch club"),
        "open concerns come first"
    );

    // The hub admin names leads by email: an address nobody joined with is named, and kept.
    let r = app
        .post_form(
            &admin,
            "/admin/safeguarding-leads",
            "/admin/safeguarding-leads",
            &[("email", "nobody@example.org"), ("lead", "yes")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nobody with that email address has joined this hub"));
    assert!(
        html.contains("value=\"nobody@example.org\""),
        "the typed address is kept"
    );
    let r = app
        .post_form(
            &admin,
            "/admin/safeguarding-leads",
            "/admin/safeguarding-leads",
            &[("email", "pat@example.org"), ("lead", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = admin
        .get(app.url("/admin/safeguarding-leads"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("pat@example.org"), "{html}");
    let r = mo
        .get(app.url("/admin/safeguarding-leads"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

async fn an_open_concern_is_kept_when_the_person_is_forgotten(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (_, lead, _) = with_a_lead(&app).await;
    let (pat, pat_id) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (mo, _) = app.signed_in_as(Role::Member, "mo@example.org").await;
    let (_, closed) = call(
        &app,
        &mo,
        reqwest::Method::POST,
        "/api/v1/concerns",
        Some(json!({"about_person_id": pat_id, "what": "An old worry, Zebulon"})),
    )
    .await;
    let closed = closed["id"].as_i64().unwrap();
    call(
        &app,
        &lead,
        reqwest::Method::POST,
        &format!("/api/v1/concerns/{closed}/close"),
        Some(json!({"outcome": "No further action"})),
    )
    .await;
    let (_, open) = call(
        &app,
        &mo,
        reqwest::Method::POST,
        "/api/v1/concerns",
        Some(json!({"about_person_id": pat_id, "what": "A new worry"})),
    )
    .await;
    let open = open["id"].as_i64().unwrap();
    let (s, _) = call(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/forget",
        Some(json!({"password": village_testkit::PASSWORD})),
    )
    .await;
    assert_eq!(s, 204);
    let (_, list) = get(&app, &lead, "/api/v1/concerns").await;
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![open],
        "the closed concern went with the person; the open one stays"
    );
    assert_eq!(list[0]["about_name"], json!("Member person"));
}

/// A visitor who is not signed in finds what to do now (999, the local number, the hub's
/// contact) and can tell the leads, with or without a name and a way back; an urgent concern
/// waits in the leads' notices and on their home page; a visitor's tries are limited.
async fn anyone_can_raise_a_concern_and_urgent_ones_wait_on_the_leads_home_page(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| {
        s.safeguarding.adults_board_name = "Meadowshire Adult Social Care".into();
        s.safeguarding.adults_board_phone = "0300 123 4567".into();
        s.safeguarding.hub_contact = "hello@meadowfield.example".into();
    })
    .await
    else {
        return;
    };
    let (_, lead, _) = with_a_lead(&app).await;
    let visitor = app.client();
    let page = |client: &Client, path: &'static str| {
        let (client, app) = (client.clone(), &app);
        async move { app.page_as(&client, path).await }
    };
    let (status, html) = page(&visitor, "/concerns/new").await;
    assert_eq!(status, 200, "no sign-in needed");
    let text = village_testkit::visible_text(&html);
    for words in [
        "If someone is in danger right now, call 999.",
        "Meadowshire Adult Social Care",
        "0300 123 4567",
        "hello@meadowfield.example",
        "You do not need an account.",
    ] {
        assert!(text.contains(words), "the page says {words:?}:\n{text}");
    }
    // Something missing: named, and what was typed is kept.
    let r = app
        .post_form(
            &visitor,
            "/concerns/new",
            "/concerns/new",
            &[
                ("about_name", "The man at number 4"),
                ("what", " "),
                ("raiser_name", "Jo"),
                ("raiser_contact", "07700 900555"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#what\""));
    assert!(html.contains("value=\"Jo\"") && html.contains("value=\"07700 900555\""));
    assert!(html.contains("value=\"The man at number 4\""));
    let r = app
        .post_form(
            &visitor,
            "/concerns/new",
            "/concerns/new",
            &[
                ("about_name", "The man at number 4"),
                (
                    "what",
                    "He has not been seen for a week and his post is piling up.",
                ),
                ("urgent", "yes"),
                ("raiser_name", "Jo"),
                ("raiser_contact", "07700 900555"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("the safeguarding leads have been told"));

    // The lead: on their home page, in their notices, and on the concern itself.
    let (_, home) = page(&lead, "/").await;
    let home = village_testkit::visible_text(&home);
    assert!(
        home.contains("1 urgent") && home.contains("1 open safeguarding concern"),
        "the lead's home page:\n{home}"
    );
    let (_, notices) = page(&lead, "/notifications").await;
    assert!(notices.contains("An urgent safeguarding concern has been raised"));
    let (_, list) = get(&app, &lead, "/api/v1/concerns").await;
    let id = list[0]["id"].as_i64().unwrap();
    assert_eq!(list[0]["raised_by"], Value::Null);
    assert_eq!(list[0]["raised_by_name"], "Jo (not signed in)");
    assert_eq!(list[0]["raiser_contact"], "07700 900555");
    let (_, html) = app.page_as(&lead, &format!("/safeguarding/{id}")).await;
    assert!(html.contains("07700 900555") && html.contains("Jo (not signed in)"));
    // Other members see no such thing on their home page.
    let (member, _) = app.signed_in_as(Role::Member, "mo@example.org").await;
    let (_, home) = page(&member, "/").await;
    assert!(!home.contains("open safeguarding"));

    // Jo asks for her name and way back to go: a lead removes them, after a question, and
    // they are gone from the files; what she raised stays.
    let concern = format!("/safeguarding/{id}");
    let forget = format!("/safeguarding/{id}/forget-raiser");
    assert!(html.contains(&format!("href=\"{forget}\"")));
    let (status, asked) = app.page_as(&lead, &forget).await;
    assert_eq!(status, 200);
    assert!(asked.contains("Remove their name and way back?"));
    assert!(crate::people::database_contains(&app, "07700 900555").await);
    assert_eq!(app.page_as(&member, &forget).await.0, 403, "leads only");
    let r = app.post_form(&lead, &forget, &forget, &[]).await;
    assert_eq!(r.status(), 303);
    let (_, html) = app.page_as(&lead, &concern).await;
    assert!(!html.contains("07700 900555") && !html.contains("Jo (not signed in)"));
    assert!(html.contains("their name and way back were removed, as they asked"));
    assert!(html.contains("his post is piling up") && html.contains("The man at number 4"));
    assert!(
        !html.contains(&format!("href=\"{forget}\"")),
        "nothing more to remove"
    );
    // Asked again (a second lead, a form sent twice): nothing more is recorded.
    assert_eq!(html.matches("At their request").count(), 1);
    assert_eq!(
        app.page_as(&lead, &forget).await.0,
        303,
        "no question to ask"
    );
    let r = app.post_form(&lead, &concern, &forget, &[]).await;
    assert_eq!(r.status(), 303);
    let (_, html) = app.page_as(&lead, &concern).await;
    assert_eq!(html.matches("At their request").count(), 1);
    assert!(
        !crate::people::database_contains(&app, "07700 900555").await,
        "the way back is gone from the files"
    );
    // A member's name goes when they ask to be forgotten, not this way.
    let r = app
        .post_form(
            &member,
            "/concerns/new",
            "/concerns/new",
            &[("about_name", "Someone else"), ("what", "I am worried.")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let (_, list) = get(&app, &lead, "/api/v1/concerns").await;
    let theirs = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| !c["raised_by"].is_null())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let forget = format!("/safeguarding/{theirs}/forget-raiser");
    assert_eq!(
        app.page_as(&lead, &forget).await.0,
        303,
        "no question to ask"
    );
    let theirs = format!("/safeguarding/{theirs}");
    let r = app.post_form(&lead, &theirs, &forget, &[]).await;
    assert_eq!(r.status(), 409);

    // Anonymous, and then limited: five tries an hour from one address (the one refused
    // for a missing answer counts too).
    for n in 3..=6 {
        let r = app
            .post_form(
                &visitor,
                "/concerns/new",
                "/concerns/new",
                &[
                    ("about_name", "Someone"),
                    ("what", "I am worried about them."),
                ],
            )
            .await;
        let waits = n > 5;
        assert_eq!(r.status(), if waits { 429 } else { 200 }, "try {n}");
    }
    let (_, list) = get(&app, &lead, "/api/v1/concerns").await;
    assert_eq!(list.as_array().unwrap().len(), 5);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["raised_by_name"] == "Someone who did not sign in"));
}

/// "Something's not right" on a help match: only one of the two (or a coordinator who may
/// see the match) can attach it; the leads can then read that match, read only, with every
/// look audited but never on the two people's side; a match that went with a forgotten
/// person is said to be gone.
async fn a_concern_about_a_help_match_lets_the_leads_read_that_match(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (_admin, lead, lead_id) = with_a_lead(&app).await;
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let cara = app.member("cara@example.org", false).await;
    let p = crate::mutual_aid::post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "company", "title": "A chat on the phone"}),
    )
    .await;
    let (s, m) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/posts/{p}/responses"),
            json!({"message": "I would love to chat: Tuesdays suit me", "share_email": true}),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let m = m["id"].as_i64().unwrap();
    let path = format!("/help/matches/{m}");
    let api = format!("/api/v1/help/matches/{m}");

    // Before any concern, the lead cannot open the match.
    assert_eq!(get(&app, &lead, &api).await.0, 404);
    assert_eq!(app.page_as(&lead, &path).await.0, 404);

    // Someone outside the match cannot attach it, nor can someone not signed in.
    let worry = "Ben asked Anna for her bank card so he could do her shopping.";
    let (s, e) = call(
        &app,
        &cara.client,
        reqwest::Method::POST,
        "/api/v1/concerns",
        Some(json!({"about_help_match": m, "what": worry})),
    )
    .await;
    assert_eq!(
        (s, e["error"]["field"].clone(), e["error"]["code"].clone()),
        (422, json!("about_help_match"), json!("match_unknown"))
    );
    let visitor = app.client();
    let r = app
        .post_form(
            &visitor,
            "/concerns/new",
            "/concerns/new",
            &[("about_help_match", &m.to_string()), ("what", worry)],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Sign in to raise a concern about a match you are in."));
    assert!(html.contains(worry), "the answer is kept");
    // One of the two may name only one of the two.
    let (s, e) = call(
        &app,
        &ben.client,
        reqwest::Method::POST,
        "/api/v1/concerns",
        Some(json!({"about_help_match": m, "about_person_id": cara.id, "what": worry})),
    )
    .await;
    assert_eq!(
        (s, e["error"]["field"].clone()),
        (422, json!("about_person_id"))
    );
    assert_eq!(get(&app, &lead, "/api/v1/concerns").await.1, json!([]));

    // Ben follows the link on the match page: the form says which match, by first name.
    let (_, page) = app.page_as(&ben.client, &path).await;
    let link = format!("/concerns/new?help_match={m}");
    assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
    let (s, form) = app.page_as(&ben.client, &link).await;
    assert_eq!(s, 200);
    assert!(form.contains("Member, in your match about “A chat on the phone”"));
    assert!(
        !form.contains("Member person"),
        "only a first name before yes"
    );
    // A form sent empty keeps which match it is about.
    let r = app
        .post_form(
            &ben.client,
            &link,
            "/concerns/new",
            &[("about_help_match", &m.to_string()), ("what", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("name=\"about_help_match\" value=\"{m}\"")));
    let r = app
        .post_form(
            &ben.client,
            &link,
            "/concerns/new",
            &[("about_help_match", &m.to_string()), ("what", worry)],
        )
        .await;
    assert_eq!(r.status(), 200);
    let (_, list) = get(&app, &lead, "/api/v1/concerns").await;
    let concern = list[0]["id"].as_i64().unwrap();
    assert_eq!(
        (
            list[0]["about_help_match"].clone(),
            list[0]["about_person_id"].clone(),
        ),
        (json!(m), json!(anna.id)),
        "about the other person in the match"
    );

    // The lead's concern page links to the match; the lead reads it, and cannot act in it.
    let (_, html) = app
        .page_as(&lead, &format!("/safeguarding/{concern}"))
        .await;
    assert!(html.contains(&format!("href=\"{path}\"")));
    let (s, html) = app.page_as(&lead, &path).await;
    assert_eq!(s, 200);
    assert!(html.contains("I would love to chat: Tuesdays suit me"));
    assert!(html.contains("You are looking as a safeguarding lead"));
    assert!(!html.contains("anna@example.org") && !html.contains("ben@example.org"));
    assert!(
        !html.contains("/for-someone") && !html.contains("/messages\""),
        "nothing to do"
    );
    let (s, seen) = get(&app, &lead, &api).await;
    assert_eq!(s, 200);
    assert_eq!(
        (seen["role"].clone(), seen["for_concerns"].clone()),
        (json!("safeguarding_lead"), json!([concern]))
    );
    assert_eq!(seen["actions"], json!([]));
    let (s, _) = app
        .post_json(
            &lead,
            &format!("/api/v1/help/matches/{m}/messages"),
            json!({"message": "Hello from the lead"}),
        )
        .await;
    assert_eq!(s, 404);
    for step in ["accept", "decline", "withdraw"] {
        let (s, _) = app
            .post_json(
                &lead,
                &format!("/api/v1/help/matches/{m}/{step}"),
                json!({}),
            )
            .await;
        assert_eq!(s, 404, "{step}");
    }
    // Still nobody else.
    assert_eq!(get(&app, &cara.client, &api).await.0, 404);

    // Each look is audited as a look at the concern, never against Anna or Ben.
    let mut c = app.store.conn().await.unwrap();
    let looks = village_store::audit::list(
        &mut c,
        &village_store::audit::AuditFilter {
            action: Some(village_domain::audit::AuditAction::ConcernViewed),
            actor: Some(lead_id),
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let on_match: Vec<_> = looks
        .iter()
        .filter(|l| l.detail == format!("help match {m} (concern {concern})"))
        .collect();
    assert_eq!(on_match.len(), 2, "the page and the API: {looks:?}");
    assert!(on_match.iter().all(|l| l.subject_id.is_none()));
    for person in [anna.id, ben.id] {
        let theirs = village_store::audit::list(
            &mut c,
            &village_store::audit::AuditFilter {
                actor: Some(lead_id),
                subject: Some(person),
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(theirs.is_empty(), "nothing against {person}: {theirs:?}");
    }
    drop(c);

    // Anna asks to be forgotten: the match goes with her; the open concern stays, and says so.
    let (s, _) = call(
        &app,
        &anna.client,
        reqwest::Method::POST,
        "/api/v1/me/forget",
        Some(json!({"password": village_testkit::PASSWORD})),
    )
    .await;
    assert_eq!(s, 204);
    let (_, html) = app
        .page_as(&lead, &format!("/safeguarding/{concern}"))
        .await;
    assert!(html.contains("No longer kept: one of the two people in it asked to be forgotten"));
    assert!(!html.contains(&format!("href=\"{path}\"")));
    assert_eq!(app.page_as(&lead, &path).await.0, 404);
}
