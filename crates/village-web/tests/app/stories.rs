//! Stories on SQLite and PostgreSQL: nobody but the author and the stewards reads a story
//! before a steward publishes it; an edited story is published only when its author
//! approves; a withdrawn story is gone on the next request; a safeguarding matter goes to
//! the leads. The framing helper's API marks every phrase of its lexicon (and the hub's own
//! entries) with character offsets into the text sent, and never changes the text.
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    the_feed_is_valid_atom_and_carries_only_public_stories_others_may_reuse,
    the_framing_helper_marks_words_and_suggests_others,
    nobody_reads_a_story_before_it_is_published_and_the_author_decides_on_changes,
    stewards_pick_themes_and_readers_find_stories_by_them,
);

async fn read(app: &TestApp, who: &reqwest::Client, id: i64) -> (u16, Value) {
    app.get_json(who, &format!("/api/v1/stories/{id}")).await
}

async fn nobody_reads_a_story_before_it_is_published_and_the_author_decides_on_changes(
    backend: Backend,
) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let cara = app.member("cara@example.org", false).await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let anyone = app.client();
    let story = |extra: Value| {
        let mut b = json!({
            "title": "The lunch club gave me my Tuesdays back",
            "body": "After my fall I stopped going out. Margaret from the club rang me on 07700 900123 and now a Quokka neighbour brings me every week.",
            "told_by": "self",
            "audience": "public",
            "open_data": true,
            "when": "2026-03"
        });
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    // Each problem is named.
    for (extra, field, code) in [
        (json!({"title": " "}), "title", "text_missing"),
        (json!({"told_by": "me"}), "told_by", "invalid"),
        (json!({"audience": "everyone"}), "audience", "invalid"),
        (json!({"when": "2099-01"}), "when", "date_invalid"),
        (json!({"when": "12 March 2026"}), "when", "date_invalid"),
        (
            json!({"about_organisation_ids": ["no-such-group"]}),
            "about_organisation_ids",
            "group_unknown",
        ),
        (json!({"body": "word ".repeat(1_300)}), "body", "too_long"),
        (
            json!({"about_offer_ids": vec!["x"; 11]}),
            "about_offer_ids",
            "too_many",
        ),
    ] {
        let (status, body) = app
            .post_json(&anna.client, "/api/v1/stories", story(extra.clone()))
            .await;
        assert_eq!(
            (
                status,
                body["error"]["field"].clone(),
                body["error"]["code"].clone()
            ),
            (422, json!(field), json!(code)),
            "{extra}"
        );
    }
    let (status, told) = app
        .post_json(&anna.client, "/api/v1/stories", story(json!({})))
        .await;
    assert_eq!(status, 201, "{told}");
    assert_eq!(told["state"], "submitted");
    assert_eq!(
        told["screen_name"], "A neighbour",
        "not her name unless she gives one"
    );
    let id = told["id"].as_i64().unwrap();

    // Before a steward publishes it: only Anna and the stewards.
    assert_eq!(read(&app, &cara.client, id).await.0, 404);
    assert_eq!(read(&app, &anyone, id).await.0, 404);
    assert_eq!(app.get_json(&anyone, "/api/v1/stories").await.1, json!([]));
    let (status, mine) = read(&app, &anna.client, id).await;
    assert_eq!((status, mine.get("flags")), (200, None));
    let (status, for_sue) = read(&app, &sue.client, id).await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = for_sue["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["name", "phone"], "{for_sue}");
    // Only stewards decide, never about their own story, and an edit says why.
    let (status, _) = app
        .post_json(
            &cara.client,
            &format!("/api/v1/stories/{id}/moderation"),
            json!({"decision": "publish"}),
        )
        .await;
    assert_eq!(status, 403);
    let edited = "After my fall I stopped going out. Someone from the club rang me and now a Quokka neighbour brings me every week.";
    let (status, body) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{id}/moderation"),
            json!({"decision": "edit", "body": edited}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("rule_codes"))
    );
    let (status, body) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{id}/moderation"),
            json!({"decision": "edit", "body": edited, "rule_codes": ["identifies_someone"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "awaiting_author");
    let (status, _) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{id}/moderation"),
            json!({"decision": "publish"}),
        )
        .await;
    assert_eq!(status, 409, "decided once");
    // Still nobody else: an edit is not published until Anna says so.
    assert_eq!(read(&app, &cara.client, id).await.0, 404);
    assert_eq!(read(&app, &anyone, id).await.0, 404);
    let (_, mine) = read(&app, &anna.client, id).await;
    assert_eq!(mine["suggested"]["body"], edited);
    assert_eq!(
        mine["suggested"]["rule_codes"],
        json!(["identifies_someone"])
    );
    assert!(
        mine["body"].as_str().unwrap().contains("07700 900123"),
        "her own words, side by side"
    );
    let (status, _) = app
        .post_json(
            &cara.client,
            &format!("/api/v1/stories/{id}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, approved) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/stories/{id}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, approved["state"].clone()),
        (200, json!("published"))
    );
    // Published as changed: anyone reads it, and the open list carries it.
    let (status, public) = read(&app, &anyone, id).await;
    assert_eq!((status, public["body"].clone()), (200, json!(edited)));
    let (_, list) = app.get_json(&anyone, "/api/v1/stories").await;
    assert_eq!(list[0]["id"], id);
    assert!(!list.to_string().contains("07700"));
    // Anna's notices never held her words from before moderation.
    let (_, notes) = app.get_json(&anna.client, "/api/v1/me/notifications").await;
    assert!(
        !notes.to_string().contains("07700")
            && notes.to_string().contains("suggested some changes")
    );

    // Withdrawn: gone on the next request, from everywhere, and its words from the files.
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/stories/{id}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    for who in [&anyone, &cara.client, &anna.client, &sue.client] {
        assert_eq!(read(&app, who, id).await.0, 404);
    }
    assert_eq!(app.get_json(&anyone, "/api/v1/stories").await.1, json!([]));
    assert!(!crate::people::database_contains(&app, "Quokka").await);
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/stories/{id}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409);

    // For members of the hub only; not in the open list.
    let (_, hub_only) = app
        .post_json(
            &anna.client,
            "/api/v1/stories",
            story(json!({"audience": "hub", "title": "For the hub"})),
        )
        .await;
    let hub_id = hub_only["id"].as_i64().unwrap();
    let (status, _) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{hub_id}/moderation"),
            json!({"decision": "publish"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(read(&app, &anyone, hub_id).await.0, 404);
    assert_eq!(read(&app, &cara.client, hub_id).await.0, 200);
    assert_eq!(app.get_json(&anyone, "/api/v1/stories").await.1, json!([]));

    // A safeguarding matter: held, the leads get a concern with the story, and Anna is told
    // what to do now.
    // As long as a story may be, with the longest reason: the concern still holds it.
    let long = format!(
        "Nobody has been round. {}",
        "Sometimes-I-wait-by-the-window-all-afternoon. ".repeat(205)
    );
    let (_, worrying) = app
        .post_json(
            &anna.client,
            "/api/v1/stories",
            story(json!({"title": "Nobody comes now", "body": long})),
        )
        .await;
    let worry_id = worrying["id"].as_i64().unwrap();
    let (status, body) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{worry_id}/moderation"),
            json!({"decision": "safeguarding"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("reason"))
    );
    let (status, held) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{worry_id}/moderation"),
            json!({"decision": "safeguarding", "reason": format!("She may be alone and unsafe. {}", "x".repeat(1_960))}),
        )
        .await;
    assert_eq!(
        (status, held["state"].clone()),
        (200, json!("withheld")),
        "{held}"
    );
    assert_eq!(read(&app, &cara.client, worry_id).await.0, 404);
    let mut c = app.store.conn().await.unwrap();
    let concerns = village_store::safeguarding::list(&mut c).await.unwrap();
    assert!(
        concerns
            .iter()
            .any(|k| k.about_person == Some(anna.id) && k.what.contains("Nobody comes now")),
        "{concerns:?}"
    );
    drop(c);
    let (_, notes) = app.get_json(&anna.client, "/api/v1/me/notifications").await;
    assert!(notes.to_string().contains("call 999"));
    // A steward's own story is another steward's to read.
    let (_, own) = app
        .post_json(&sue.client, "/api/v1/stories", story(json!({})))
        .await;
    let (status, body) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{}/moderation", own["id"]),
            json!({"decision": "publish"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (403, json!("not_yours"))
    );
}

async fn the_framing_helper_marks_words_and_suggests_others(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| {
        s.stories.framing = vec![village_domain::stories::framing::Entry {
            phrases: vec!["frequent flyer".into()],
            suggestion: "someone who often needs the service".into(),
            why: "It mocks the person.".into(),
            except: Vec::new(),
        }]
    })
    .await
    else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let text = "Café staff called us “service users” and frequent-flyers, just in case.";
    let (status, out) = app
        .post_json(
            &anna.client,
            "/api/v1/stories/framing",
            json!({ "text": text }),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let chars: Vec<char> = text.chars().collect();
    let flags = out["flags"].as_array().unwrap();
    let found: Vec<String> = flags
        .iter()
        .map(|f| {
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            let written: String = chars[s..e].iter().collect();
            assert_eq!(written, f["phrase"], "offsets are characters");
            written
        })
        .collect();
    assert_eq!(found, ["service users", "frequent-flyers"]);
    assert_eq!(
        flags[0]["suggestion"],
        "people who draw on care and support"
    );
    assert_eq!(flags[1]["why"], "It mocks the person.");

    let (status, body) = app
        .post_json(
            &anna.client,
            "/api/v1/stories/framing",
            json!({ "text": "x".repeat(20_001) }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("text"))
    );
    let (status, _) = app
        .post_json(
            &app.client(),
            "/api/v1/stories/framing",
            json!({ "text": "hi" }),
        )
        .await;
    assert_eq!(status, 401);
}

/// A story told by `who` through the API and, with `decision`, decided by `steward`.
async fn told(
    app: &TestApp,
    who: &village_testkit::Person,
    title: &str,
    audience: &str,
    open_data: bool,
) -> i64 {
    let (status, body) = app
        .post_json(
            &who.client,
            "/api/v1/stories",
            json!({"title": title, "body": format!("{title}: what happened, in my words."),
                   "told_by": "self", "audience": audience, "open_data": open_data}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

async fn moderated(app: &TestApp, steward: &village_testkit::Person, id: i64, decision: Value) {
    let (status, body) = app
        .post_json(
            &steward.client,
            &format!("/api/v1/stories/{id}/moderation"),
            decision,
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn feed(app: &TestApp) -> (feed_rs::model::Feed, String) {
    let r = app
        .client()
        .get(app.url("/stories.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let xml = r.text().await.unwrap();
    let parsed = feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}: {xml}"));
    (parsed, xml)
}

async fn the_feed_is_valid_atom_and_carries_only_public_stories_others_may_reuse(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let publish = json!({"decision": "publish"});
    // Only the first is public, published and free to reuse.
    let open = told(&app, &anna, "Open and public", "public", true).await;
    moderated(&app, &sue, open, publish.clone()).await;
    let not_reusable = told(&app, &anna, "Public, not to reuse", "public", false).await;
    moderated(&app, &sue, not_reusable, publish.clone()).await;
    let members = told(&app, &anna, "For members only", "hub", true).await;
    moderated(&app, &sue, members, publish.clone()).await;
    told(&app, &anna, "Not yet read", "public", true).await;
    let held = told(&app, &anna, "Held back", "public", true).await;
    moderated(
        &app,
        &sue,
        held,
        json!({"decision": "withhold", "reason": "It is about someone else."}),
    )
    .await;
    // An edited story is carried in the words its author agreed to, never the first ones.
    let edited = told(&app, &anna, "Changed by agreement", "public", true).await;
    moderated(
        &app,
        &sue,
        edited,
        json!({"decision": "edit", "body": "Words the author agreed to.", "rule_codes": ["too_long"]}),
    )
    .await;
    let (_, xml) = feed(&app).await;
    assert!(
        !xml.contains("Changed by agreement"),
        "not before she agrees"
    );
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/stories/{edited}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    let (parsed, xml) = feed(&app).await;
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(
        xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{xml}"
    );
    let titles: Vec<String> = parsed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(titles, ["Changed by agreement", "Open and public"]);
    assert!(
        xml.contains("Words the author agreed to.")
            && !xml.contains("Changed by agreement: what happened")
    );
    // What RFC 4287 requires: the feed's id, title, updated and author (so every entry has
    // one), a self link; each entry's id, title, updated, and a link to its page.
    assert!(!parsed.id.is_empty() && parsed.title.is_some() && parsed.updated.is_some());
    assert!(!parsed.authors.is_empty());
    assert!(parsed
        .links
        .iter()
        .any(|l| l.rel.as_deref() == Some("self") && l.href.ends_with("/stories.atom")));
    assert!(parsed
        .rights
        .as_ref()
        .unwrap()
        .content
        .contains("CC BY 4.0"));
    for e in &parsed.entries {
        assert!(e.id.starts_with("http") && e.updated.is_some() && e.published.is_some());
        assert_eq!(e.authors[0].name.as_deref(), Some("A neighbour"));
        assert!(e.links.iter().any(|l| l.rel.as_deref() == Some("alternate")
            && l.href
                .ends_with(&format!("/stories/{}", e.id.rsplit('/').next().unwrap()))));
    }
    let mut ids: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2, "each entry's id is its own");

    // Withdrawn: gone from the feed on the next request.
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/stories/{open}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let (parsed, _) = feed(&app).await;
    assert_eq!(parsed.entries.len(), 1);
    assert!(parsed.entries[0]
        .id
        .ends_with(&format!("/stories/{edited}")));
}

async fn stewards_pick_themes_and_readers_find_stories_by_them(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let sue = app.with_user(Role::Steward, "sue@example.org", false).await;
    let mut ids = Vec::new();
    for title in ["Out on the canal", "Nobody listened", "Just a day"] {
        let (status, out) = app
            .post_json(
                &anna.client,
                "/api/v1/stories",
                json!({"title": title, "body": "It happened in the spring.", "told_by": "self",
                       "audience": "public", "open_data": true}),
            )
            .await;
        assert_eq!(status, 201, "{out}");
        ids.push(out["id"].as_i64().unwrap());
    }
    // Only the hub's themes; the problem is named.
    let (status, out) = app
        .post_json(
            &sue.client,
            &format!("/api/v1/stories/{}/moderation", ids[2]),
            json!({"decision": "publish", "themes": ["good_support", "cats"]}),
        )
        .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("themes")),
        "{out}"
    );
    let picks = [
        json!(["getting_out", "good_support", "getting_out"]),
        json!(["could_be_better"]),
        json!([]),
    ];
    for (id, themes) in ids.iter().zip(picks) {
        moderated(
            &app,
            &sue,
            *id,
            json!({"decision": "publish", "themes": themes}),
        )
        .await;
    }
    // Once each, in the hub's order, on the story and in the list.
    let (_, seen) = read(&app, &app.client(), ids[0]).await;
    assert_eq!(seen["themes"], json!(["good_support", "getting_out"]));
    let (_, list) = app.get_json(&app.client(), "/api/v1/stories").await;
    let listed: Vec<Value> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!([s["id"], s["themes"]]))
        .collect();
    assert!(listed.contains(&json!([ids[0], ["good_support", "getting_out"]])));
    assert!(listed.contains(&json!([ids[2], []])));
    // Readers find them by theme.
    let (status, page) = app.page("/stories?theme=getting_out").await;
    assert_eq!(status, 200);
    assert!(page.contains("Stories about getting out"), "{page}");
    let link = |id: i64| format!("href=\"/stories/{id}\"");
    assert!(page.contains(&link(ids[0])));
    assert!(!page.contains(&link(ids[1])) && !page.contains(&link(ids[2])));
    let (_, page) = app.page(&format!("/stories/{}", ids[1])).await;
    assert!(page.contains("<a href=\"/stories?theme=could_be_better\">Could be better</a>"));
    // The feed carries them as categories.
    let (feed, _) = feed(&app).await;
    let entry = feed
        .entries
        .iter()
        .find(|e| {
            e.links
                .iter()
                .any(|l| l.href.ends_with(&format!("/stories/{}", ids[0])))
        })
        .unwrap();
    let cats: Vec<(String, Option<String>)> = entry
        .categories
        .iter()
        .map(|c| (c.term.clone(), c.label.clone()))
        .collect();
    assert_eq!(
        cats,
        [
            ("good_support".to_string(), Some("Good support".to_string())),
            ("getting_out".to_string(), Some("Getting out".to_string()))
        ]
    );
}
