//! A story told for someone, on SQLite and PostgreSQL: only a connector the person chose may
//! tell it; the person reads it from the start; a steward's "publish" waits for them; only
//! they agree (the connector cannot); either may withdraw it; forgetting the person takes it.
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(a_story_told_for_someone_is_published_only_when_they_agree);

async fn a_story_told_for_someone_is_published_only_when_they_agree(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let grace = app.member("grace@example.org", true).await;
    let tom = app.member("tom@example.org", false).await;
    let sam = app
        .with_user(Role::Connector, "sam@example.org", false)
        .await;
    let cara = app
        .with_user(Role::Connector, "cara@example.org", false)
        .await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let mut tx = app.store.begin().await.unwrap();
    village_store::people::link_connector(&mut tx, grace.id, sam.id, true, 0)
        .await
        .unwrap();
    village_store::people::link_connector(&mut tx, tom.id, cara.id, false, 0)
        .await
        .unwrap();
    village_store::accounts::set_display_name(&mut tx, grace.id, "Grace Adeyemi", 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let story = |for_whom: i64| {
        json!({"title": "Singing again", "body": "Grace joined the choir and sings on Thursdays.",
               "told_by": "self", "audience": "hub", "open_data": false, "told_for": for_whom})
    };

    // Only a connector the person chose (cara only offered to be Tom's).
    for (who, person) in [
        (&cara, grace.id),
        (&cara, tom.id),
        (&sam, tom.id),
        (&sam, sam.id),
    ] {
        let (status, out) = app
            .post_json(&who.client, "/api/v1/stories", story(person))
            .await;
        assert_eq!(
            (status, out["error"]["field"].as_str()),
            (422, Some("told_for")),
            "{out}"
        );
    }
    let (status, told) = app
        .post_json(&sam.client, "/api/v1/stories", story(grace.id))
        .await;
    assert_eq!(status, 201, "{told}");
    assert_eq!(
        (told["told_by"].as_str(), told["told_for_someone"].as_bool()),
        (Some("supporter"), Some(true)),
        "recorded as told for someone"
    );
    let id = told["id"].as_i64().unwrap();
    let path = format!("/api/v1/stories/{id}");
    let notes = |who: &reqwest::Client| {
        let (app, who) = (&app, who.clone());
        async move {
            app.get_json(&who, "/api/v1/me/notifications")
                .await
                .1
                .to_string()
        }
    };
    assert!(notes(&grace.client).await.contains("told a story for you"));
    // Grace reads it from the start; Tom does not.
    assert_eq!(app.get_json(&grace.client, &path).await.0, 200);
    assert_eq!(app.get_json(&tom.client, &path).await.0, 404);
    let (_, for_sue) = app.get_json(&sue.client, &path).await;
    assert!(
        for_sue["flags"].to_string().contains("\"text\":\"Grace\""),
        "the person's own name is marked: {for_sue}"
    );

    // Published as it is: it waits for Grace.
    let (status, out) = app
        .post_json(
            &sue.client,
            &format!("{path}/moderation"),
            json!({"decision": "publish"}),
        )
        .await;
    assert_eq!(
        (status, out["state"].as_str()),
        (200, Some("awaiting_author")),
        "{out}"
    );
    assert_eq!(app.get_json(&tom.client, &path).await.0, 404, "not yet");
    assert!(notes(&grace.client)
        .await
        .contains("A story told for you is ready"));
    assert!(notes(&sam.client)
        .await
        .contains("published once they agree"));
    let approve = format!("{path}/approve");
    let (status, out) = app.post_json(&sam.client, &approve, json!({})).await;
    assert_eq!(
        (status, out["error"]["code"].as_str()),
        (403, Some("needs_persons_agreement")),
        "{out}"
    );
    assert_eq!(app.post_json(&tom.client, &approve, json!({})).await.0, 404);
    // Her page asks her.
    let (_, page) = app.page_as(&grace.client, &format!("/stories/{id}")).await;
    assert!(page.contains("This story was told for you."), "{page}");
    assert!(page.contains("Yes, publish it"));
    let (_, page) = app.page_as(&sam.client, &format!("/stories/{id}")).await;
    assert!(
        page.contains("Waiting for the person you told it for."),
        "{page}"
    );
    assert!(!page.contains("/approve\""));

    let (status, _) = app.post_json(&grace.client, &approve, json!({})).await;
    assert_eq!(status, 200);
    let (status, seen) = app.get_json(&tom.client, &path).await;
    assert_eq!((status, seen["state"].as_str()), (200, Some("published")));
    assert!(notes(&sam.client).await.contains("Grace Adeyemi agreed"));
    let (_, out) = app
        .post_json(&grace.client, &format!("{path}/me-too"), json!({}))
        .await;
    assert_eq!(out["error"]["code"], "not_yours", "her own story");
    let (_, page) = app.page_as(&tom.client, &format!("/stories/{id}")).await;
    assert!(page.contains("Told for someone by A neighbour, a connector they chose"));
    let (_, mine) = app.page_as(&grace.client, "/stories/mine").await;
    assert!(
        mine.contains(&format!("href=\"/stories/{id}\"")),
        "hers too"
    );

    // Answered, it is Grace who is asked "Did things change?" (Sam too, to help her), and
    // either of them may say.
    let david = app
        .with_user(Role::CouncilOfficer, "david@example.org", false)
        .await;
    let (status, _) = app
        .post_json(
            &david.client,
            &format!("{path}/answers"),
            json!({"body": "We will run the choir in the day too.", "change": "planned"}),
        )
        .await;
    assert_eq!(status, 201);
    let state = crate::mutual_aid::app_over(&app);
    let later = village_app::now() + 29 * 86_400;
    let asked = village_app::stories::answers::ask_follow_ups(&state, later)
        .await
        .unwrap();
    assert_eq!(asked, 1);
    assert!(notes(&grace.client)
        .await
        .contains("The story told for you was answered a while ago"));
    assert!(notes(&sam.client)
        .await
        .contains("Ask them whether things changed"));
    let follow = format!("{path}/follow-up");
    assert_eq!(
        app.post_json(&tom.client, &follow, json!({"changed": "yes"}))
            .await
            .0,
        404
    );
    let (status, out) = app
        .post_json(
            &grace.client,
            &follow,
            json!({"changed": "partly", "words": "I go on Thursdays."}),
        )
        .await;
    assert_eq!(
        (status, out["changed"].as_str()),
        (200, Some("partly")),
        "{out}"
    );
    let (_, page) = app.page_as(&grace.client, &format!("/stories/{id}")).await;
    assert!(page.contains("I go on Thursdays."), "her words, to her");

    // A steward does not decide a story told for them.
    let steph = app
        .with_user(Role::Steward, "steph@example.org", false)
        .await;
    let mut tx = app.store.begin().await.unwrap();
    village_store::people::link_connector(&mut tx, steph.id, sam.id, true, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (_, hers) = app
        .post_json(&sam.client, "/api/v1/stories", story(steph.id))
        .await;
    let (_, out) = app
        .post_json(
            &steph.client,
            &format!("/api/v1/stories/{}/moderation", hers["id"]),
            json!({"decision": "publish"}),
        )
        .await;
    assert_eq!(out["error"]["code"], "not_yours", "{out}");

    // Another told for her, then she is forgotten: both go.
    let (_, second) = app
        .post_json(&sam.client, "/api/v1/stories", story(grace.id))
        .await;
    let second = second["id"].as_i64().unwrap();
    let (status, _) = app
        .post_json(
            &grace.client,
            "/api/v1/me/forget",
            json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert_eq!(status, 204);
    for id in [id, second] {
        let (status, _): (u16, Value) = app
            .get_json(&sam.client, &format!("/api/v1/stories/{id}"))
            .await;
        assert_eq!(status, 404, "story {id} is gone with her");
    }
}
