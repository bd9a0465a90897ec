//! Story pages on SQLite and PostgreSQL, without script: telling a story with "Check my
//! words" (suggestions shown, nothing changed, every answer kept), a steward reading it with
//! what could identify someone marked and deciding, the author seeing the changes side by
//! side and agreeing, readers finding it, and the author withdrawing it.
use serde_json::json;
use village_domain::audit::AuditAction;
use village_store::audit::AuditFilter;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    a_story_goes_from_telling_to_reading_on_the_pages_with_its_author_in_control,
    check_my_words_knows_who_runs_the_groups_and_who_it_is_told_for,
);

/// The story page's address from a redirect to it.
fn story_id(location: &str) -> i64 {
    location
        .trim_start_matches("/stories/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn a_story_goes_from_telling_to_reading_on_the_pages_with_its_author_in_control(
    backend: Backend,
) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let offer = app.offer("Tuesday lunch club", json!({})).await;
    let anna = app.member("anna@example.org", true).await;
    let cara = app.member("cara@example.org", false).await;
    let sue = app
        .with_user(
            village_domain::accounts::Role::Steward,
            "sue@example.org",
            false,
        )
        .await;
    let new = format!("/stories/new?offer={offer}");
    let (status, page) = app.page_as(&anna.client, &new).await;
    assert_eq!(status, 200);
    assert!(page.contains("Tuesday lunch club") && page.contains("Check my words"));
    let story = "The service users at the lunch club made me welcome. Margaret rang me on 07700 900123 every week.";
    let mut fields = vec![
        ("title", "My Tuesdays back"),
        ("body", story),
        ("about_offer_ids", offer.as_str()),
        ("told_by", "self"),
        ("screen_name", "Rosie"),
        ("audience", "public"),
        ("when_month", "03"),
        ("when_year", "2026"),
    ];

    // "Check my words" shows suggestions and what could identify someone, changes nothing,
    // and keeps every answer.
    let mut checking = fields.clone();
    checking.push(("check", "yes"));
    let r = app
        .post_form(&anna.client, &new, "/stories/new", &checking)
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<mark>service users"), "{html}");
    assert!(html.contains("people who draw on care and support"));
    assert!(
        html.contains("07700 900123</strong>: a phone number"),
        "{html}"
    );
    assert!(
        html.contains(&format!(">{story}</textarea>")),
        "the story is kept as written"
    );
    assert!(html.contains("value=\"My Tuesdays back\"") && html.contains("value=\"Rosie\""));
    assert!(html.contains("value=\"03\" selected") && html.contains("value=\"2026\""));
    assert!(html.contains("value=\"public\" checked"));
    let (_, mine) = app.page_as(&anna.client, "/stories/mine").await;
    assert!(!mine.contains("My Tuesdays back"), "checking sends nothing");
    // Checking keeps to the limits of telling it.
    let long_title = "x".repeat(201);
    let mut too_long = checking.clone();
    too_long[0] = ("title", long_title.as_str());
    let r = app
        .post_form(&anna.client, &new, "/stories/new", &too_long)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#title\""));

    // A problem is named beside its field, and the answers stay.
    let mut no_year = fields.clone();
    no_year.retain(|(k, _)| *k != "when_year");
    let r = app
        .post_form(&anna.client, &new, "/stories/new", &no_year)
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Give the month and year it happened"),
        "{html}"
    );
    assert!(html.contains(&format!(">{story}</textarea>")));

    // Sent: waiting for a steward, and nobody else can read it.
    fields.push(("open_data", "yes"));
    let r = app
        .post_form(&anna.client, &new, "/stories/new", &fields)
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let id = story_id(&to);
    let page_path = format!("/stories/{id}");
    let (_, page) = app.page_as(&anna.client, &to).await;
    assert!(page.contains("Waiting to be read") && page.contains("Tuesday lunch club"));
    assert_eq!(app.page_as(&cara.client, &page_path).await.0, 404);
    assert_eq!(app.page(&page_path).await.0, 404);
    assert!(!app.page("/stories").await.1.contains("My Tuesdays back"));

    // The steward finds it, with what could identify someone counted and marked; the look is
    // audited.
    let (_, home) = app.page_as(&sue.client, "/").await;
    assert!(home.contains("Stories to read</a> (1 waiting)"), "{home}");
    let (status, review) = app.page_as(&sue.client, "/stories/review").await;
    assert_eq!(status, 200);
    assert!(
        review.contains("My Tuesdays back") && review.contains("things could identify someone")
    );
    assert_eq!(app.page_as(&anna.client, "/stories/review").await.0, 403);
    let (_, page) = app.page_as(&sue.client, &page_path).await;
    assert!(
        page.contains("<mark>07700 900123") && page.contains("Save my decision"),
        "{page}"
    );
    let mut c = app.store.conn().await.unwrap();
    let looks = village_store::audit::list(
        &mut c,
        &AuditFilter {
            action: Some(AuditAction::StorySeen),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    drop(c);
    assert_eq!(looks.len(), 1, "one look by the steward, audited");

    // Changed words need "suggest changes", with a rule; the answers stay when refused.
    let edited = "The people at the lunch club made me welcome. A volunteer rang me every week.";
    let decide = |decision: &'static str, rule: Option<&'static str>| {
        let mut f = vec![
            ("decision", decision),
            ("title", "My Tuesdays back"),
            ("body", edited),
            ("reason", ""),
        ];
        if let Some(rule) = rule {
            f.push(("rule_codes", rule));
        }
        f
    };
    let action = format!("/stories/{id}/moderation");
    for (decision, rule, says) in [
        ("publish", None, "You changed some words"),
        ("edit", None, "choose at least one rule"),
    ] {
        let r = app
            .post_form(&sue.client, &page_path, &action, &decide(decision, rule))
            .await;
        assert_eq!(r.status().as_u16(), 422, "{decision}");
        let html = r.text().await.unwrap();
        assert!(html.contains(says), "{decision}: {html}");
        assert!(
            html.contains(&format!(">{edited}</textarea>")),
            "the steward's words stay"
        );
    }
    let r = app
        .post_form(
            &sue.client,
            &page_path,
            &action,
            &decide("edit", Some("identifies_someone")),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/stories/review?done=decided");
    assert!(!app
        .page_as(&sue.client, "/stories/review")
        .await
        .1
        .contains("My Tuesdays back"));
    let (_, home) = app.page_as(&sue.client, "/").await;
    assert!(home.contains("Stories to read</a> (0 waiting)"));

    // The author sees both versions side by side, what went and what came, and why.
    let (_, page) = app.page_as(&anna.client, &page_path).await;
    assert!(page.contains("It could identify someone"), "{page}");
    assert!(page.contains("</span>Margaret<span"), "{page}");
    assert!(page.contains("</span> on 07700 900123<span"), "{page}");
    assert!(page.contains("</span>A volunteer<span"), "{page}");
    assert_eq!(
        app.page_as(&cara.client, &page_path).await.0,
        404,
        "not before she agrees"
    );

    // She agrees: readers see the published words, never the first ones.
    let r = app
        .post_form(
            &anna.client,
            &page_path,
            &format!("/stories/{id}/approve"),
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, own) = app.page_as(&anna.client, &page_path).await;
    assert!(
        own.contains("A volunteer rang me") && !own.contains("07700"),
        "she too sees it as published"
    );
    for who in [&cara.client, &app.client()] {
        let (status, page) = app.page_as(who, &page_path).await;
        assert_eq!(status, 200);
        assert!(page.contains("A volunteer rang me every week") && !page.contains("07700"));
        assert!(page.contains("Told by Rosie, about March 2026"), "{page}");
        let (_, list) = app.page_as(who, "/stories").await;
        assert!(list.contains("My Tuesdays back") && !list.contains("07700"));
    }

    // She withdraws it, after being asked: gone on the next request.
    let withdraw = format!("/stories/{id}/withdraw");
    let (status, confirm) = app.page_as(&anna.client, &withdraw).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("cannot be undone"));
    assert_eq!(app.page_as(&cara.client, &withdraw).await.0, 404);
    let r = app.post_form(&anna.client, &withdraw, &withdraw, &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(app.page_as(&cara.client, &page_path).await.0, 404);
    assert!(!app.page("/stories").await.1.contains("My Tuesdays back"));
    let (_, mine) = app.page_as(&anna.client, &to).await;
    assert!(
        mine.contains("withdrawn and its words are deleted") && !mine.contains("My Tuesdays back")
    );
}

/// "Check my words" marks the names of the people who run the groups a story names (with the
/// naming rule), and of the person a connector tells it for, but of nobody else.
async fn check_my_words_knows_who_runs_the_groups_and_who_it_is_told_for(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    const GROUP: &str = "00d0aaaa-0000-4000-8000-00000000b001";
    app.offer(
        "Lunch on Tuesdays",
        json!({"organization": {"id": GROUP, "name": "Brook Lunch Club", "description": "Lunch"}}),
    )
    .await;
    let olive = app.member("olive@example.org", false).await;
    let grace = app.member("grace@example.org", true).await;
    let tom = app.member("tom@example.org", true).await;
    let sam = app
        .with_user(
            village_domain::accounts::Role::Connector,
            "sam@example.org",
            false,
        )
        .await;
    let mut tx = app.store.begin().await.unwrap();
    village_store::directory::make_organiser(&mut tx, GROUP, olive.id, None, 0)
        .await
        .unwrap();
    village_store::people::link_connector(&mut tx, grace.id, sam.id, true, 0)
        .await
        .unwrap();
    for (id, name) in [
        (olive.id, "Olive Grant"),
        (grace.id, "Grace Adeyemi"),
        (tom.id, "Tom Weller"),
    ] {
        village_store::accounts::set_display_name(&mut tx, id, name, 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let body = "Olive Grant made Grace Adeyemi welcome, and Tom Weller drove her home.";
    let check = |told_for: i64| {
        let (app, client) = (&app, sam.client.clone());
        async move {
            let told_for = told_for.to_string();
            let fields = [
                ("title", "Welcome"),
                ("body", body),
                ("about_organisation_ids", GROUP),
                ("told_for", told_for.as_str()),
                ("told_by", "supporter"),
                ("audience", "hub"),
                ("check", "yes"),
            ];
            let r = app
                .post_form(&client, "/stories/new", "/stories/new", &fields)
                .await;
            assert_eq!(r.status(), 200);
            r.text().await.unwrap()
        }
    };
    // Each word of a name is marked; surnames are not common given names, so they show
    // whose names were looked up.
    let html = check(grace.id).await;
    assert!(
        html.contains("Grant</strong>: the name of someone who runs the group"),
        "{html}"
    );
    assert!(html.contains("Adeyemi</strong>: a name"), "{html}");
    assert!(
        !html.contains("Weller</strong>"),
        "nobody else is looked up"
    );
    // Tom did not choose Sam: his name is not looked up for him.
    let html = check(tom.id).await;
    assert!(!html.contains("Weller</strong>") && !html.contains("Adeyemi</strong>"));
}
