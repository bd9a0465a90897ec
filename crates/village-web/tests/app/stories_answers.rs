//! Answers to stories on SQLite and PostgreSQL: organisers of a group a story names answer
//! for the group and council officers for the council, in public, once it is published; the
//! teller is told; an answer naming the teller is held until a steward lets it show; readers
//! say "me too", once each; withdrawing the story takes its answers with it. A private story
//! sent to its groups is read and answered by their organisers only.
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    organisers_and_the_council_answer_in_public_and_readers_say_me_too,
    a_group_s_figures_equal_a_count_by_hand_and_tellers_are_asked_if_things_changed,
    a_private_story_sent_to_its_group_is_read_and_answered_by_its_organisers_only,
);

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
    // The group keeps this answer if the story goes.
    let (status, first) = app
        .post_json(
            &olive.client,
            &answers,
            json!({"body": "We are sorry. From now on we will ring everyone when lunch is off.",
                   "change": "planned", "keep_if_story_goes": true}),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["keep_if_story_goes"], true);
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
    // Stewards see it waiting, on their home page and the list of stories to read.
    let (_, home) = app.page_as(&sue.client, "/").await;
    assert!(home.contains("Answers to read (1 held)"), "{home}");
    let (_, review) = app.page_as(&sue.client, "/stories/review").await;
    assert!(
        review.contains(&format!("<a href=\"/stories/{id}\">")),
        "{review}"
    );
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
    assert!(!crate::people::database_contains(&app, "rang you today").await);
    // The group kept its own words, without the story, on its page.
    let (_, group) = app
        .page_as(&sue.client, &format!("/directory/groups/{GROUP}"))
        .await;
    assert!(
        group.contains("Our answers to stories no longer here"),
        "{group}"
    );
    assert!(group.contains("we will ring everyone when lunch is off"));
    assert!(!group.contains("Nobody rang when lunch was cancelled"));
    let (status, _) = app.post_json(&sue.client, &me_too, json!({})).await;
    assert_eq!(status, 404);
}

/// Run one statement against the test's database (to move a moment into the past).
async fn exec(app: &TestApp, sql: &str, a: i64, b: i64) {
    match &app.store {
        village_store::Store::Sqlite { pool, .. } => {
            sqlx::query(sql)
                .bind(a)
                .bind(b)
                .execute(pool)
                .await
                .unwrap();
        }
        village_store::Store::Postgres { pool } => {
            sqlx::query(sql)
                .bind(a)
                .bind(b)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

async fn a_group_s_figures_equal_a_count_by_hand_and_tellers_are_asked_if_things_changed(
    backend: Backend,
) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    const OTHER: &str = "00d0aaaa-0000-4000-8000-00000000a002";
    for (group, name) in [(GROUP, "Meadowfield Lunch Club"), (OTHER, "Another Club")] {
        app.offer(
            &format!("{name} offer"),
            json!({"organization": {"id": group, "name": name, "description": "A group"}}),
        )
        .await;
    }
    let rosie = app.member("rosie@example.org", true).await;
    let olive = app.member("olive@example.org", false).await;
    let carl = app
        .with_user(Role::CouncilOfficer, "carl@example.org", false)
        .await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let mut tx = app.store.begin().await.unwrap();
    for g in [GROUP, OTHER] {
        village_store::directory::make_organiser(&mut tx, g, olive.id, None, 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let tell = |group: &'static str, audience: &'static str, publish: bool| {
        let (app, rosie, sue) = (&app, &rosie, &sue);
        async move {
            let (status, s) = app
                .post_json(
                    &rosie.client,
                    "/api/v1/stories",
                    json!({"title": "A story", "body": "What happened.", "told_by": "self",
                           "audience": audience, "open_data": false, "about_organisation_ids": [group]}),
                )
                .await;
            assert_eq!(status, 201, "{s}");
            let id = s["id"].as_i64().unwrap();
            if publish {
                let (status, _) = app
                    .post_json(
                        &sue.client,
                        &format!("/api/v1/stories/{id}/moderation"),
                        json!({"decision": "publish"}),
                    )
                    .await;
                assert_eq!(status, 200);
            }
            id
        }
    };
    let answer = |who: &'static str, id: i64, change: &'static str| {
        let (app, olive, carl) = (&app, &olive, &carl);
        async move {
            let client = if who == "olive" {
                &olive.client
            } else {
                &carl.client
            };
            let (status, a) = app
                .post_json(
                    client,
                    &format!("/api/v1/stories/{id}/answers"),
                    json!({"body": "Thank you for telling us.", "change": change}),
                )
                .await;
            assert_eq!(status, 201, "{a}");
            a["id"].as_i64().unwrap()
        }
    };
    // Five published stories about the group, and three that do not count: one only its
    // teller may read, one about another group, one not yet published.
    let s: Vec<i64> = {
        let mut v = Vec::new();
        for _ in 0..5 {
            v.push(tell(GROUP, "hub", true).await);
        }
        v
    };
    let private = tell(GROUP, "private", true).await;
    let other = tell(OTHER, "public", true).await;
    tell(GROUP, "public", false).await;
    // The group answers four of them (the council answers the fifth: not the group's).
    let a0 = answer("olive", s[0], "planned").await;
    let a1 = answer("olive", s[1], "made").await;
    let a2 = answer("olive", s[2], "none").await;
    let a2_later = answer("olive", s[2], "made").await;
    let a3 = answer("olive", s[3], "none").await;
    answer("carl", s[4], "made").await;
    let (status, _) = app
        .post_json(
            &olive.client,
            &format!("/api/v1/stories/{private}/answers"),
            json!({"body": "Thank you.", "change": "made"}),
        )
        .await;
    assert_eq!(status, 404, "a story only its teller may read");
    answer("olive", other, "made").await;
    // Each published on the same day; first answered 2, 5, 1 and 10 days later.
    let day = 86_400;
    let t0 = village_app::now() - 200 * day;
    for id in s.iter().chain([&private, &other]) {
        exec(
            &app,
            "UPDATE stories SET published_at = $1 WHERE id = $2",
            t0,
            *id,
        )
        .await;
    }
    for (a, days) in [(a0, 2), (a1, 5), (a2, 1), (a2_later, 30), (a3, 10)] {
        exec(
            &app,
            "UPDATE story_answers SET at = $1 WHERE id = $2",
            t0 + days * day,
            a,
        )
        .await;
    }

    // The tellers of s[0] and s[1] answer "Did things change?".
    let follow = format!("/api/v1/stories/{}/follow-up", s[0]);
    let (status, out) = app
        .post_json(&rosie.client, &follow, json!({"changed": "maybe"}))
        .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("changed"))
    );
    // On the page, a missing choice comes back beside its field with the words kept.
    let page = format!("/stories/{}", s[0]);
    let r = app
        .post_form(
            &rosie.client,
            &page,
            &format!("{page}/follow-up"),
            &[("words", "The bus comes on time now.")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(">The bus comes on time now.</textarea>"),
        "{html}"
    );
    assert!(html.contains("id=\"changed-error\""), "{html}");
    let r = app
        .post_form(
            &rosie.client,
            &page,
            &format!("{page}/follow-up"),
            &[
                ("changed", "partly"),
                ("words", &"So much better. ".repeat(200)),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"partly\" checked"), "{html}");
    assert!(html.contains("id=\"words-error\""), "{html}");
    let (status, _) = app
        .post_json(&olive.client, &follow, json!({"changed": "yes"}))
        .await;
    assert_eq!(status, 404, "only the teller");
    for (id, changed) in [(s[0], "no"), (s[0], "yes"), (s[1], "partly")] {
        let (status, out) = app
            .post_json(
                &rosie.client,
                &format!("/api/v1/stories/{id}/follow-up"),
                json!({"changed": changed, "words": "It is better now."}),
            )
            .await;
        assert_eq!((status, out["changed"].as_str()), (200, Some(changed)));
    }
    let (status, _) = app
        .post_json(
            &rosie.client,
            &format!("/api/v1/stories/{}/follow-up", s[4] + 100),
            json!({"changed": "yes"}),
        )
        .await;
    assert_eq!(status, 404);
    // "Partly": whoever answered is told.
    let (_, notes) = app
        .get_json(&olive.client, "/api/v1/me/notifications")
        .await;
    assert!(notes
        .to_string()
        .contains("says things have partly changed"));
    // Readers see what the teller said; its words only for the teller and those who answer.
    let (_, seen) = app
        .get_json(&sue.client, &format!("/api/v1/stories/{}", s[0]))
        .await;
    assert_eq!(seen["follow_up"]["changed"], "yes");
    let (_, seen) = app
        .get_json(&olive.client, &format!("/api/v1/stories/{}", s[1]))
        .await;
    assert_eq!(seen["follow_up"]["words"], "It is better now.");

    // By hand: 5 stories; answered by the group: s0, s1, s2, s3 (4); first answers after
    // 2, 5, 1 and 10 days, so the middle is (2 + 5) / 2 = 3.5; a change made: s1 and s2 (its
    // later answer) (2); tellers said yes: s0 (its newest answer) (1).
    let (status, figures) = app
        .get_json(
            &app.client(),
            &format!("/api/v1/stories/figures?organization_id={GROUP}"),
        )
        .await;
    assert_eq!(status, 200, "{figures}");
    assert_eq!(
        figures,
        json!({"stories": 5, "answered": 4, "median_days_to_first_answer": 3.5, "change_made": 2, "said_changed": 1})
    );
    let (_, page) = app.page(&format!("/directory/groups/{GROUP}")).await;
    assert!(page.contains("5 stories have been published"), "{page}");
    assert!(page.contains("answered 4 of 5, in about 4 days"), "{page}");
    assert!(page.contains("change was made after 2 of 5"));
    assert!(page.contains("things changed after 1 of 5"));

    // The list narrows to the stories about the group, and to those where a change was made.
    let listed = |html: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = html
            .split("href=\"/stories/")
            .skip(1)
            .filter_map(|r| r.split('"').next()?.parse().ok())
            .collect();
        ids.sort();
        ids
    };
    let (_, list) = app
        .page_as(&sue.client, &format!("/stories?group={GROUP}"))
        .await;
    assert!(list.contains("Stories about Meadowfield Lunch Club"));
    assert_eq!(listed(&list), s);
    let (_, list) = app.page_as(&sue.client, "/stories?changed=1").await;
    assert_eq!(listed(&list), [s[1], s[2], s[4], other]);
    let (_, list) = app
        .page_as(&sue.client, &format!("/stories?group={GROUP}&changed=1"))
        .await;
    assert_eq!(listed(&list), [s[1], s[2], s[4]]);

    // Four weeks after the first answer, and again at twelve, each teller is asked once.
    let state = crate::mutual_aid::app_over(&app);
    let asked = |t: i64| {
        let state = &state;
        async move {
            village_app::stories::answers::ask_follow_ups(state, t)
                .await
                .unwrap()
        }
    };
    // s0 to s3 were first answered long ago: each teller is asked once, for both weeks; s4
    // and the other group's story were answered today.
    let now = village_app::now();
    assert_eq!(asked(now).await, 4);
    assert_eq!(asked(now + day).await, 0, "once");
    // A story answered today is asked in four weeks, then at twelve (with the two others
    // answered today).
    let fresh = tell(GROUP, "hub", true).await;
    answer("olive", fresh, "planned").await;
    assert_eq!(asked(now + 27 * day).await, 0);
    assert_eq!(asked(now + 28 * day + 60).await, 3);
    assert_eq!(asked(now + 29 * day).await, 0);
    assert_eq!(asked(now + 84 * day + 60).await, 3);
    assert_eq!(asked(now + 400 * day).await, 0);
    let (_, notes) = app
        .get_json(&rosie.client, "/api/v1/me/notifications")
        .await;
    let link = format!("/stories/{fresh}#follow-up");
    assert_eq!(notes.to_string().matches(&link).count(), 2, "{notes}");
}

async fn a_private_story_sent_to_its_group_is_read_and_answered_by_its_organisers_only(
    backend: Backend,
) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    const OTHER: &str = "00d0aaaa-0000-4000-8000-00000000a002";
    for (offer, id, name) in [
        ("Lunch on Tuesdays", GROUP, "Meadowfield Lunch Club"),
        ("Walks on Fridays", OTHER, "Meadowfield Walkers"),
    ] {
        app.offer(
            offer,
            json!({"organization": {"id": id, "name": name, "description": "Together"}}),
        )
        .await;
    }
    let rosie = app.member("rosie@example.org", true).await;
    let olive = app.member("olive@example.org", false).await;
    let otto = app.member("otto@example.org", false).await;
    let tom = app.member("tom@example.org", false).await;
    let carl = app
        .with_user(Role::CouncilOfficer, "carl@example.org", false)
        .await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let mut tx = app.store.begin().await.unwrap();
    for (g, who) in [(GROUP, olive.id), (OTHER, otto.id)] {
        village_store::directory::make_organiser(&mut tx, g, who, None, 0)
            .await
            .unwrap();
    }
    village_store::accounts::set_display_name(&mut tx, olive.id, "Olive Pennington", 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let tell = |audience: &str, send: bool, groups: Vec<&str>| {
        json!({"title": "The new cook", "body": "Lunch has been cold since Mrs pennington took over.",
               "told_by": "self", "audience": audience, "open_data": false,
               "send_to_groups": send, "about_organisation_ids": groups})
    };

    // Sent to nobody: the field is named.
    let (status, out) = app
        .post_json(
            &rosie.client,
            "/api/v1/stories",
            tell("private", true, vec![]),
        )
        .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("send_to_groups")),
        "{out}"
    );
    let mut ids = Vec::new();
    for (audience, send, sent) in [
        ("private", true, true),
        ("private", false, false),
        ("hub", true, false),
    ] {
        let (status, out) = app
            .post_json(
                &rosie.client,
                "/api/v1/stories",
                tell(audience, send, vec![GROUP]),
            )
            .await;
        assert_eq!(status, 201, "{out}");
        assert_eq!(out["send_to_groups"], sent, "{audience} {send}");
        ids.push(out["id"].as_i64().unwrap());
    }
    let (sent, kept) = (ids[0], ids[1]);
    // The steward sees the name of who runs the group marked as such (the staff naming rule).
    let (_, for_sue) = app
        .get_json(&sue.client, &format!("/api/v1/stories/{sent}"))
        .await;
    assert_eq!(
        for_sue["flags"],
        json!([{"kind": "staff_name", "start": 30, "end": 40, "text": "pennington"}])
    );
    // Not before a steward has read it.
    let (status, _) = app
        .get_json(&olive.client, &format!("/api/v1/stories/{sent}"))
        .await;
    assert_eq!(status, 404);
    for id in &ids {
        let (status, _) = app
            .post_json(
                &sue.client,
                &format!("/api/v1/stories/{id}/moderation"),
                json!({"decision": "publish"}),
            )
            .await;
        assert_eq!(status, 200);
    }
    // Olive is told of the one sent to her, and not of the one kept private.
    let (_, notes) = app
        .get_json(&olive.client, "/api/v1/me/notifications")
        .await;
    let notes = notes.to_string();
    assert!(notes.contains("was sent to you privately"), "{notes}");
    assert!(notes.contains(&format!("/stories/{sent}\"")), "{notes}");
    assert!(!notes.contains(&format!("/stories/{kept}\"")), "{notes}");

    // Only Olive (besides its teller and stewards) reads it; her look is in Rosie's record.
    let story = format!("/api/v1/stories/{sent}");
    for (client, status) in [
        (&olive.client, 200),
        (&rosie.client, 200),
        (&sue.client, 200),
        (&otto.client, 404),
        (&tom.client, 404),
        (&carl.client, 404),
        (&app.client(), 404),
    ] {
        assert_eq!(app.get_json(client, &story).await.0, status);
    }
    let (status, _) = app
        .get_json(&olive.client, &format!("/api/v1/stories/{kept}"))
        .await;
    assert_eq!(status, 404, "a private story not sent");
    let (_, looks) = app.get_json(&rosie.client, "/api/v1/me/audit").await;
    assert!(looks.to_string().contains("sent to their group"), "{looks}");
    // She answers it; nobody else may; nobody says "me too" to a private story.
    let answers = format!("{story}/answers");
    let words = json!({"body": "We are sorry. We will talk to the cook.", "change": "planned",
                       "keep_if_story_goes": true});
    let (status, out) = app.post_json(&olive.client, &answers, words.clone()).await;
    assert_eq!(status, 201, "{out}");
    for client in [&carl.client, &otto.client] {
        assert_eq!(app.post_json(client, &answers, words.clone()).await.0, 404);
    }
    let (status, _) = app
        .post_json(&olive.client, &format!("{story}/me-too"), json!({}))
        .await;
    assert_eq!(status, 409);
    let (_, out) = app.get_json(&rosie.client, &story).await;
    assert_eq!(out["answers"][0]["change"], "planned", "{out}");

    // On the pages: listed for Olive among stories sent to her groups, never on /stories.
    let link = |id: i64| format!("href=\"/stories/{id}\"");
    let (_, mine) = app.page_as(&olive.client, "/stories/mine").await;
    assert!(mine.contains("Sent privately to your groups"), "{mine}");
    assert!(mine.contains(&link(sent)) && !mine.contains(&link(kept)));
    let (_, mine) = app.page_as(&otto.client, "/stories/mine").await;
    assert!(!mine.contains(&link(sent)));
    let (_, list) = app.page_as(&olive.client, "/stories").await;
    assert!(!list.contains(&link(sent)) && list.contains(&link(ids[2])));
    let (_, page) = app
        .page_as(&olive.client, &format!("/stories/{sent}"))
        .await;
    assert!(page.contains("Sent privately to your group."), "{page}");
    assert!(!page.contains("This happened to me too"));
    let (_, page) = app
        .page_as(&rosie.client, &format!("/stories/{sent}"))
        .await;
    assert!(
        page.contains("you, the stewards and the people who run Meadowfield Lunch Club"),
        "{page}"
    );

    // Rosie is forgotten: the group keeps its answer to her hub story, never to a private one.
    let (status, out) = app
        .post_json(
            &olive.client,
            &format!("/api/v1/stories/{}/answers", ids[2]),
            json!({"body": "Thank you. The cook now checks the food is hot.", "change": "made",
                   "keep_if_story_goes": true}),
        )
        .await;
    assert_eq!(status, 201, "{out}");
    let (status, _) = app
        .post_json(
            &rosie.client,
            "/api/v1/me/forget",
            json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert_eq!(status, 204);
    let (_, group) = app.page(&format!("/directory/groups/{GROUP}")).await;
    assert!(
        group.contains("The cook now checks the food is hot."),
        "{group}"
    );
    assert!(!crate::people::database_contains(&app, "We will talk to the cook").await);
    assert!(!crate::people::database_contains(&app, "Mrs pennington").await);
}
