//! "Check my words" beyond stories, on SQLite and PostgreSQL, without script: on a connector's
//! note of a conversation and on a proposal (new and changed), the framing helper marks words
//! that describe people by what they lack and says what to use instead and why, nothing is
//! saved or changed, every answer stays in the form, a part too long to check is named, and
//! only someone who may write there can check there.
use serde_json::json;
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    a_connector_checks_the_words_of_a_note_before_saving_it,
    a_proposal_s_words_are_checked_before_it_is_put_or_changed,
);

const NOTE: &str = "Grace is a service user, suffering from arthritis. She loves singing.";

async fn a_connector_checks_the_words_of_a_note_before_saving_it(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let grace = app.member("grace@example.org", true).await;
    let sam = app
        .with_user(Role::Connector, "sam@example.org", false)
        .await;
    let cara = app
        .with_user(Role::Connector, "cara@example.org", false)
        .await;
    let mut tx = app.store.begin().await.unwrap();
    village_store::people::link_connector(&mut tx, grace.id, sam.id, true, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let page = format!("/people/{}/conversations", grace.id);
    let (status, html) = app.page_as(&sam.client, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Check my words"));

    let today = village_domain::dates::today_ymd(village_app::now());
    let steps = "Find a choir on Thursdays for the elderly.";
    let form = |story: &str, steps: &str| {
        vec![
            ("happened_on".to_string(), today.clone()),
            ("story".to_string(), story.to_string()),
            ("next_steps".to_string(), steps.to_string()),
            ("check".to_string(), "yes".to_string()),
        ]
    };
    let post = |fields: Vec<(String, String)>, who: reqwest::Client| {
        let (app, page) = (&app, page.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let r = app.post_form(&who, &page, &page, &fields).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, html) = post(form(NOTE, steps), sam.client.clone()).await;
    assert_eq!(status, 200, "{html}");
    for seen in [
        "<mark>service user",
        "people who draw on care and support",
        "<mark>suffering from",
        "In the next steps",
        "<mark>the elderly",
        "older people",
    ] {
        assert!(html.contains(seen), "{seen} in {html}");
    }
    assert!(
        html.contains(&format!(">{NOTE}</textarea>")),
        "the note is kept"
    );
    assert!(html.contains(&format!(">{steps}</textarea>")));
    assert!(html.contains(&format!("value=\"{today}\"")));
    let notes = format!("/api/v1/people/{}/conversations", grace.id);
    let (_, saved) = app.get_json(&sam.client, &notes).await;
    assert_eq!(saved, json!([]), "checking saves nothing");

    // Words with nothing to change say so; a part too long to check is named, all kept.
    let (status, html) = post(form("Grace sings alto.", ""), sam.client.clone()).await;
    assert_eq!(status, 200);
    assert!(html.contains("We did not find anything to change"));
    let long = "word ".repeat(4_001);
    let (status, html) = post(form(NOTE, &long), sam.client.clone()).await;
    assert_eq!(status, 422);
    assert!(html.contains("href=\"#next_steps\""), "{html}");
    assert!(html.contains(&format!(">{NOTE}</textarea>")));

    // Only her connector checks words on Grace's notes page: it shows nothing to anyone else.
    let (status, html) = post(form(NOTE, steps), cara.client.clone()).await;
    assert_eq!(status, 404);
    assert!(!html.contains("service user"));
    // And saving still saves.
    let mut save = form(NOTE, steps);
    save.pop();
    let (status, _) = post(save, sam.client.clone()).await;
    assert_eq!(status, 303);
    let (_, saved) = app.get_json(&sam.client, &notes).await;
    assert_eq!(saved.as_array().map(Vec::len), Some(1));
}

async fn a_proposal_s_words_are_checked_before_it_is_put_or_changed(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let fran = app.member("fran@example.org", true).await;
    let dev = app.member("dev@example.org", false).await;
    let space = app.space(&fran, "Co-production board", 1).await;
    let page = format!("/spaces/{space}");
    let title = "Lunches for the disabled";
    let body = "The vulnerable in our street are wheelchair bound and cannot reach the club.";
    let fields = [
        ("title", title),
        ("body", body),
        ("affects", "Service users"),
        ("check", "yes"),
    ];
    let r = app
        .post_form(&fran.client, &page, &format!("{page}/proposals"), &fields)
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    for seen in [
        "In the title",
        "<mark>the disabled",
        "disabled people",
        "In what you propose",
        "<mark>wheelchair bound",
        "uses a wheelchair",
        "In who it affects",
        "<mark>Service users",
    ] {
        assert!(html.contains(seen), "{seen} in {html}");
    }
    assert!(
        html.contains(&format!("value=\"{title}\"")),
        "the title is kept"
    );
    assert!(html.contains(&format!(">{body}</textarea>")));
    let (_, html) = app.page_as(&fran.client, &page).await;
    assert!(
        html.contains("Nothing is open just now."),
        "checking puts nothing to the space"
    );

    // Changing the wording: checked for its author; anyone else is refused.
    let (status, made) = app
        .post_json(
            &fran.client,
            &format!("/api/v1/spaces/{space}/proposals"),
            json!({"title": "Lunches together", "body": "A shared lunch each month."}),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let edit = format!("/proposals/{}/edit", made["id"]);
    let wording = [
        ("title", "Lunches together"),
        ("body", "A lunch for every care package."),
        ("affects", ""),
        ("check", "yes"),
    ];
    let r = app.post_form(&fran.client, &edit, &edit, &wording).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<mark>care package") && html.contains("the support I choose"));
    assert!(html.contains(">A lunch for every care package.</textarea>"));
    let (_, now) = app
        .get_json(&fran.client, &format!("/api/v1/proposals/{}", made["id"]))
        .await;
    assert_eq!(
        now["body"],
        json!("A shared lunch each month."),
        "unchanged"
    );
    let r = app.post_form(&dev.client, &page, &edit, &wording).await;
    assert_eq!(r.status(), 403);
}
