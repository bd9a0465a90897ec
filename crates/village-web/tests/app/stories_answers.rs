//! Answers to stories on SQLite and PostgreSQL: organisers of a group a story names answer
//! for the group and council officers for the council, in public, once it is published; the
//! teller is told; an answer naming the teller is held until a steward lets it show; readers
//! say "me too", once each; withdrawing the story takes its answers with it.
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(organisers_and_the_council_answer_in_public_and_readers_say_me_too,);

const GROUP: &str = "00d0aaaa-0000-4000-8000-00000000a001";

async fn organisers_and_the_council_answer_in_public_and_readers_say_me_too(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.offer(
        "Lunch on Tuesdays",
        json!({"organization": {"id": GROUP, "name": "Meadowfield Lunch Club", "description": "Lunch together"}}),
    )
    .await;
    let rosie = app.member("rosie@example.org", true).await;
    let olive = app.member("olive@example.org", false).await;
    let tom = app.member("tom@example.org", false).await;
    let carl = app
        .with_user(Role::CouncilOfficer, "carl@example.org", false)
        .await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let mut tx = app.store.begin().await.unwrap();
    village_store::directory::make_organiser(&mut tx, GROUP, olive.id, None, 0)
        .await
        .unwrap();
    village_store::accounts::set_display_name(&mut tx, rosie.id, "Rosie Quartermaine", 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let (status, s) = app
        .post_json(
            &rosie.client,
            "/api/v1/stories",
            json!({"title": "Nobody rang when lunch was cancelled", "body": "I waited an hour in the cold.",
                   "told_by": "self", "audience": "hub", "open_data": false,
                   "about_organisation_ids": [GROUP]}),
        )
        .await;
    assert_eq!(status, 201, "{s}");
    let id = s["id"].as_i64().unwrap();
    let answers = format!("/api/v1/stories/{id}/answers");
    let answer = |body: &str, change: &str| json!({"body": body, "change": change});

    // Not before it is published.
    let (status, out) = app
        .post_json(&olive.client, &answers, answer("Sorry.", "none"))
        .await;
    assert_eq!(status, 404, "{out}");
    let (status, _) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{id}/moderation"),
            json!({"decision": "publish"}),
        )
        .await;
    assert_eq!(status, 200);
    // Olive, who organises the group, was told it was published.
    let (_, notes) = app
        .get_json(&olive.client, "/api/v1/me/notifications")
        .await;
    assert!(
        notes
            .to_string()
            .contains("A story about Meadowfield Lunch Club was published"),
        "{notes}"
    );

    // Only an organiser of a named group, or a council officer; each problem named.
    let (status, _) = app
        .post_json(&tom.client, &answers, answer("Me neither.", "none"))
        .await;
    assert_eq!(status, 403, "a reader who organises nothing named");
    for (body, field, code) in [
        (answer(" ", "none"), "body", "text_missing"),
        (answer("We will ring.", "maybe"), "change", "invalid"),
        (answer(&"x".repeat(4_001), "none"), "body", "too_long"),
    ] {
        let (status, out) = app.post_json(&olive.client, &answers, body).await;
        assert_eq!(
            (
                status,
                out["error"]["field"].as_str(),
                out["error"]["code"].as_str()
            ),
            (422, Some(field), Some(code)),
            "{out}"
        );
    }
    let (status, first) = app
        .post_json(
            &olive.client,
            &answers,
            answer(
                "We are sorry. From now on we will ring everyone when lunch is off.",
                "planned",
            ),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(
        (
            first["by"].as_str(),
            first["change"].as_str(),
            first["held"].as_bool()
        ),
        (Some("Meadowfield Lunch Club"), Some("planned"), Some(false))
    );
    let (status, council) = app
        .post_json(
            &carl.client,
            &answers,
            answer("The council has funded a phone tree for the club.", "made"),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(council["by"], "The council");
    assert_eq!(council["organization_id"], Value::Null);
    // Naming the teller: held, seen only by its writer and stewards, and the teller not told.
    let (status, held) = app
        .post_json(
            &olive.client,
            &answers,
            answer("Rosie, we rang you today.", "made"),
        )
        .await;
    assert_eq!((status, held["held"].as_bool()), (201, Some(true)));
    let held_id = held["id"].as_i64().unwrap();
    let story = format!("/api/v1/stories/{id}");
    let bodies = |v: &Value| -> Vec<String> {
        v["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["body"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, for_tom) = app.get_json(&tom.client, &story).await;
    assert_eq!(bodies(&for_tom).len(), 2, "{for_tom}");
    for who in [&olive.client, &sue.client] {
        let (_, seen) = app.get_json(who, &story).await;
        assert_eq!(bodies(&seen).len(), 3);
    }
    let (_, notes) = app
        .get_json(&rosie.client, "/api/v1/me/notifications")
        .await;
    let notes = notes.to_string();
    assert!(
        notes.contains("Meadowfield Lunch Club answered your story.")
            && notes.contains("The council answered your story.")
    );
    assert!(!notes.contains("rang you"), "no answer's words in a notice");
    let release = format!("{answers}/{held_id}/release");
    let (status, _) = app.post_json(&olive.client, &release, json!({})).await;
    assert_eq!(status, 403, "only stewards let it show");
    let (status, _) = app.post_json(&sue.client, &release, json!({})).await;
    assert_eq!(status, 204);
    let (status, _) = app.post_json(&sue.client, &release, json!({})).await;
    assert_eq!(status, 409);
    let (_, for_tom) = app.get_json(&tom.client, &story).await;
    assert_eq!(bodies(&for_tom).len(), 3);

    // "Me too": once each, never the teller, never someone who may not read it.
    let me_too = format!("/api/v1/stories/{id}/me-too");
    for (who, count) in [(&tom, 1), (&tom, 1), (&olive, 2)] {
        let (status, out) = app.post_json(&who.client, &me_too, json!({})).await;
        assert_eq!(
            (status, out["me_too"].as_i64()),
            (200, Some(count)),
            "{out}"
        );
    }
    let (status, out) = app.post_json(&rosie.client, &me_too, json!({})).await;
    assert_eq!(
        (status, out["error"]["code"].as_str()),
        (403, Some("not_yours"))
    );
    let (status, _) = app.post_json(&app.client(), &me_too, json!({})).await;
    assert_eq!(status, 401);
    let (_, seen) = app.get_json(&app.client(), &story).await;
    assert_eq!(
        seen["error"]["code"], "not_found",
        "a hub story, signed out"
    );
    let (_, seen) = app.get_json(&tom.client, &story).await;
    assert_eq!(seen["me_too"], 2);
    // A reader forgotten: their "me too" goes; an organiser forgotten: the group's answer stays.
    for who in [&olive, &tom] {
        let (status, _) = app
            .post_json(
                &who.client,
                "/api/v1/me/forget",
                json!({"password": village_testkit::PASSWORD}),
            )
            .await;
        assert_eq!(status, 204);
    }
    let (_, seen) = app.get_json(&sue.client, &story).await;
    assert_eq!(seen["me_too"], 0);
    assert_eq!(bodies(&seen).len(), 3, "the group's words are the group's");

    // Withdrawn: its answers and "me too" go with it.
    let (status, _) = app
        .post_json(
            &rosie.client,
            &format!("/api/v1/stories/{id}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    assert!(!crate::people::database_contains(&app, "phone tree").await);
    let (status, _) = app.post_json(&sue.client, &me_too, json!({})).await;
    assert_eq!(status, 404);
}
