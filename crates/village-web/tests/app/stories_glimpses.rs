//! After a story is published, on SQLite and PostgreSQL: a steward changes its themes and
//! features it on "Glimpses of the future"; only stewards may, only once it is published, and
//! never a private story; its teller is told; the page shows each reader only the glimpses
//! they may read; a story taken off, or withdrawn, is gone from it on the next request. The
//! demo tells a dozen stories in every state, once however often it is loaded.
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    a_steward_features_published_stories_as_glimpses_of_the_future,
    the_demo_tells_a_dozen_stories_in_every_state,
);

async fn told(app: &TestApp, who: &Person, title: &str, audience: &str) -> i64 {
    let (status, body) = app
        .post_json(
            &who.client,
            "/api/v1/stories",
            json!({"title": title, "body": format!("{title}: the lunch club found me a lift."),
                   "told_by": "self", "audience": audience, "open_data": false}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

async fn curate(app: &TestApp, who: &Person, id: i64, body: Value) -> (u16, Value) {
    app.put_json(&who.client, &format!("/api/v1/stories/{id}/curation"), body)
        .await
}

async fn a_steward_features_published_stories_as_glimpses_of_the_future(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let public = told(&app, &anna, "A lift on Tuesdays", "public").await;
    let members = told(&app, &anna, "Singing again", "hub").await;
    let private = told(&app, &anna, "Only for me", "private").await;
    let feature = json!({"themes": ["good_support"], "featured": true});

    // Not before it is published; only stewards.
    let (status, out) = curate(&app, &sue, public, feature.clone()).await;
    assert_eq!(
        (status, out["error"]["code"].as_str()),
        (409, Some("not_allowed_now"))
    );
    for id in [public, members, private] {
        let (status, out) = app
            .post_json(
                &sue.client,
                &format!("/api/v1/stories/{id}/moderation"),
                json!({"decision": "publish"}),
            )
            .await;
        assert_eq!(status, 200, "{out}");
    }
    assert_eq!(curate(&app, &anna, public, feature.clone()).await.0, 403);
    // Never a private story; only the hub's themes; each problem named.
    let (status, out) = curate(&app, &sue, private, feature.clone()).await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("featured"))
    );
    let (status, out) = curate(
        &app,
        &sue,
        private,
        json!({"themes": ["being_heard"], "featured": false}),
    )
    .await;
    assert_eq!(
        (status, out["themes"].clone()),
        (200, json!(["being_heard"])),
        "{out}"
    );
    let (status, out) = curate(
        &app,
        &sue,
        public,
        json!({"themes": ["cats"], "featured": true}),
    )
    .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("themes"))
    );
    let (_, seen) = app
        .get_json(&app.client(), &format!("/api/v1/stories/{public}"))
        .await;
    assert_eq!(
        (seen["featured"].as_bool(), seen["themes"].clone()),
        (Some(false), json!([]))
    );

    // Featured, with its themes changed after publishing; its teller is told once.
    for id in [public, members] {
        let (status, out) = curate(&app, &sue, id, feature.clone()).await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(
            (out["featured"].as_bool(), out["themes"].clone()),
            (Some(true), json!(["good_support"]))
        );
    }
    assert_eq!(curate(&app, &sue, public, feature.clone()).await.0, 200);
    let (_, notes) = app.get_json(&anna.client, "/api/v1/me/notifications").await;
    let told_of = notes
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n.to_string().contains("Glimpses of the future"))
        .count();
    assert_eq!(told_of, 2, "{notes}");

    // Each reader sees only the glimpses they may read.
    let link = |id: i64| format!("href=\"/stories/{id}\"");
    let (status, page) = app.page("/stories/glimpses").await;
    assert_eq!(status, 200);
    assert!(page.contains(&link(public)), "{page}");
    assert!(
        !page.contains(&link(members)),
        "members' stories stay with members"
    );
    let (_, page) = app.page_as(&anna.client, "/stories/glimpses").await;
    assert!(page.contains(&link(public)) && page.contains(&link(members)));
    assert!(!page.contains(&link(private)));
    let (_, page) = app.page(&format!("/stories/{public}")).await;
    assert!(page.contains("one of the hub's <a href=\"/stories/glimpses\">glimpses"));

    // From the story's page too: taken off, it is gone from the glimpses.
    let path = format!("/stories/{members}");
    let r = app
        .post_form(
            &sue.client,
            &path,
            &format!("{path}/curation"),
            &[("themes", "getting_out")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, seen) = app.get_json(&anna.client, &format!("/api/v1{path}")).await;
    assert_eq!(
        (seen["featured"].as_bool(), seen["themes"].clone()),
        (Some(false), json!(["getting_out"]))
    );
    let (_, page) = app.page_as(&anna.client, "/stories/glimpses").await;
    assert!(!page.contains(&link(members)));
    // Withdrawn, it is gone on the next request.
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/stories/{public}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let (_, page) = app.page_as(&anna.client, "/stories/glimpses").await;
    assert!(!page.contains(&link(public)));
    assert!(page.contains("There are no glimpses here yet"));
}

async fn the_demo_tells_a_dozen_stories_in_every_state(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for _ in 0..2 {
        village_app::demo::load(&app.store, village_app::now())
            .await
            .unwrap();
    }
    // A steward reads every story: a dozen, once each however often the demo loads.
    let bronwen = app.demo_person("bronwen@meadowfield.example").await;
    let mut stories = Vec::new();
    for id in 1..=40 {
        let (status, story) = app
            .get_json(&bronwen, &format!("/api/v1/stories/{id}"))
            .await;
        if status == 200 {
            stories.push(story);
        }
    }
    assert_eq!(stories.len(), 12);
    let with = |f: &dyn Fn(&Value) -> bool| stories.iter().filter(|s| f(s)).count();
    for state in ["submitted", "awaiting_author", "published", "withheld"] {
        assert!(with(&|s| s["state"] == state) > 0, "one {state}");
    }
    let published = |s: &Value| s["state"] == "published";
    assert!(with(&|s| published(s) && s["told_for_someone"] == true) == 1);
    assert!(with(&|s| published(s) && s["send_to_groups"] == true) == 1);
    assert!(with(&|s| published(s) && s["answers"].as_array().is_some_and(|a| a.is_empty())) > 0);
    let made = |s: &Value| {
        s["answers"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["change"] == "made"))
    };
    assert!(with(&|s| published(s) && made(s)) > 1);
    assert!(with(&|s| s["follow_up"]["changed"].is_string()) > 1);
    assert!(with(&|s| s["me_too"].as_i64() > Some(1)) > 1);
    assert!(with(&|s| published(s) && s["themes"] != json!([])) > 5);
    // What could identify someone is marked in the one waiting.
    assert!(
        with(&|s| s["state"] == "submitted" && s["flags"].as_array().is_some_and(|f| !f.is_empty()))
            == 1
    );
    // The private story reaches the group it was sent to, and nobody else.
    let private = stories
        .iter()
        .find(|s| s["send_to_groups"] == true)
        .unwrap();
    let path = format!("/api/v1/stories/{}", private["id"]);
    let grace = app.demo_person("grace@meadowfield.example").await;
    let tom = app.demo_person("tom.wright@meadowfield.example").await;
    assert_eq!(app.get_json(&grace, &path).await.0, 200);
    assert_eq!(app.get_json(&tom, &path).await.0, 404);
    // Glimpses: the public ones for everyone, the members' ones too when signed in.
    let glimpses = |page: &str| {
        stories
            .iter()
            .filter(|s| page.contains(&format!("href=\"/stories/{}\"", s["id"])))
            .count()
    };
    let featured = with(&|s| s["featured"] == true);
    let public = with(&|s| s["featured"] == true && s["audience"] == "public");
    assert!(public > 1 && featured > public);
    assert_eq!(glimpses(&app.page("/stories/glimpses").await.1), public);
    assert_eq!(
        glimpses(&app.page_as(&tom, "/stories/glimpses").await.1),
        featured
    );
}
