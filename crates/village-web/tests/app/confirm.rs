//! Ending a relationship asks first: taking someone out of a circle, leaving one, ending a
//! connector's link from either side, leaving a space and withdrawing an introduction each
//! go to a page that says what will happen (without JavaScript), change nothing until "yes",
//! and then say what happened in words for the person reading it.
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, visible_text, Backend, Person, TestApp};

on_both_backends!(ending_a_relationship_asks_first_and_then_says_what_happened);

/// The text of a page as `client` sees it.
async fn read(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    app.page_as(client, path).await
}

/// `list` offers `confirm` as a link, not a button that acts at once; the confirmation page
/// asks `question` and changes nothing; "yes" acts and lands on `done` saying `said`.
#[allow(clippy::too_many_arguments)]
async fn asks_then_acts(
    app: &TestApp,
    client: &reqwest::Client,
    list: &str,
    confirm: &str,
    question: &str,
    still_there: &str,
    said: &str,
    fields: &[(&str, &str)],
) {
    let (_, page) = read(app, client, list).await;
    assert!(
        page.contains(&format!("href=\"{confirm}\"")),
        "{list} links to {confirm}"
    );
    assert!(
        !page.contains(&format!("action=\"{confirm}\"")),
        "{list} has no button that acts at once"
    );
    let (status, asked) = read(app, client, confirm).await;
    assert_eq!(status, 200, "{confirm}");
    assert!(
        visible_text(&asked).lines().any(|l| l.trim() == question)
            && asked.contains(&format!("action=\"{confirm}\"")),
        "{confirm} asks {question:?}:\n{}",
        visible_text(&asked)
    );
    let (_, after_asking) = read(app, client, list).await;
    assert!(
        visible_text(&after_asking).contains(still_there),
        "asking changed nothing on {list}: {still_there:?} is still there"
    );
    let r = app.post_form(client, confirm, confirm, fields).await;
    assert_eq!(r.status(), 303, "yes, at {confirm}");
    let done = r.headers()["location"].to_str().unwrap().to_string();
    let (_, landed) = read(app, client, &done).await;
    assert!(
        visible_text(&landed).contains(said),
        "{done} says {said:?}:\n{}",
        visible_text(&landed)
    );
}

async fn choose(app: &TestApp, who: &Person, connector: i64) {
    let r = app
        .post_form(
            &who.client,
            "/me/connectors",
            "/me/connectors",
            &[("connector_id", &connector.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303, "choose a connector");
}

async fn ending_a_relationship_asks_first_and_then_says_what_happened(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let pat = app.member("pat@example.org", true).await;
    let kim = app.member("kim@example.org", false).await;
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;

    // Pat's circle: Kim (a member, who accepts) and Aunty Jo (by name only).
    for (name, email) in [("Kim", "kim@example.org"), ("Aunty Jo", "")] {
        let r = app
            .post_form(
                &pat.client,
                "/me/circle",
                "/me/circle",
                &[
                    ("ring", "close"),
                    ("name", name),
                    ("member_email", email),
                    ("contact", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "add {name}");
    }
    // What waits for Kim is on her home page, until she answers.
    let waiting = "Someone has asked you into their circle of support";
    let (_, home) = read(&app, &kim.client, "/").await;
    assert!(visible_text(&home).contains(waiting), "Kim's home page");
    let (_, invited) = read(&app, &kim.client, "/me/circle").await;
    let entry: i64 = invited
        .split("/me/circle/invitations/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let accept = format!("/me/circle/invitations/{entry}/accept");
    assert_eq!(
        app.post_form(&kim.client, "/me/circle", &accept, &[])
            .await
            .status(),
        303
    );

    let (_, home) = read(&app, &kim.client, "/").await;
    assert!(!visible_text(&home).contains(waiting), "answered");
    let r = app
        .post_form(
            &connie,
            "/connector/people",
            "/connector/people",
            &[("email", "kim@example.org")],
        )
        .await;
    assert_eq!(r.status(), 303, "Connie offers to walk alongside Kim");
    let (_, home) = read(&app, &kim.client, "/").await;
    assert!(
        visible_text(&home).contains("A connector has offered to walk alongside you"),
        "Kim's home page"
    );

    // Kim leaves Pat's circle.
    let pat_name = "Member person";
    asks_then_acts(
        &app,
        &kim.client,
        "/me/circle",
        &format!("/me/circle/invitations/{entry}/leave"),
        &format!("Leave {pat_name}'s circle?"),
        &format!("{pat_name}'s circle"),
        "you have left their circle",
        &[],
    )
    .await;

    // Pat takes Aunty Jo out.
    let (_, circle) = read(&app, &pat.client, "/me/circle").await;
    // Aunty Jo was added second: the last link to take someone out.
    let jo: i64 = circle
        .rsplit("/remove\"")
        .nth(1)
        .and_then(|before| before.rsplit("/me/circle/").next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    asks_then_acts(
        &app,
        &pat.client,
        "/me/circle",
        &format!("/me/circle/{jo}/remove"),
        "Take Aunty Jo out of your circle?",
        "Aunty Jo",
        "they are no longer in your circle",
        &[],
    )
    .await;
    let (_, circle) = read(&app, &pat.client, "/me/circle").await;
    assert!(
        !visible_text(&circle).contains("Aunty Jo"),
        "Aunty Jo is out"
    );

    // Pat chooses Connie; Connie stops, from her side.
    choose(&app, &pat, connie_id).await;
    asks_then_acts(
        &app,
        &connie,
        "/connector/people",
        &format!("/connector/people/{}/end", pat.id),
        &format!("Stop being {pat_name}'s connector?"),
        pat_name,
        "you are no longer their connector",
        &[],
    )
    .await;
    let (_, mine) = read(&app, &pat.client, "/me/connectors").await;
    assert!(
        !mine.contains(&format!("/me/connectors/{connie_id}/end")),
        "Connie is no longer Pat's connector"
    );

    // Pat chooses her again, and stops, from his side.
    choose(&app, &pat, connie_id).await;
    asks_then_acts(
        &app,
        &pat.client,
        "/me/connectors",
        &format!("/me/connectors/{connie_id}/end"),
        "Stop having Connector person as your connector?",
        "Connector person",
        "they are no longer one of your connectors",
        &[],
    )
    .await;

    // Kim joins an open space made by Pat, and leaves it.
    let space = app.space(&pat, "Day services", 1).await;
    let join = format!("/spaces/{space}/join");
    assert_eq!(
        app.post_form(&kim.client, &format!("/spaces/{space}"), &join, &[])
            .await
            .status(),
        303
    );
    asks_then_acts(
        &app,
        &kim.client,
        &format!("/spaces/{space}"),
        &format!("/spaces/{space}/leave"),
        "Leave Day services?",
        "Leave this space",
        "Day services",
        &[],
    )
    .await;

    // Pat asks for an introduction and withdraws it, saying why.
    let offer = app.offer("Tuesday walk", serde_json::json!({})).await;
    let r = app
        .post_form(
            &pat.client,
            &format!("/introductions/new?offer={offer}"),
            "/introductions",
            &[("offer_id", &offer), ("contact", ""), ("message", "Hello")],
        )
        .await;
    assert_eq!(r.status(), 303, "ask for an introduction");
    let intro = r.headers()["location"].to_str().unwrap().to_string();
    asks_then_acts(
        &app,
        &pat.client,
        &intro,
        &format!("{intro}/withdraw"),
        "Withdraw your introduction to Tuesday walk?",
        "Tuesday walk",
        "Withdrawn",
        &[("reason", "I found another walk")],
    )
    .await;
    let (_, page) = read(&app, &pat.client, &intro).await;
    assert!(page.contains("I found another walk"), "the reason is kept");
}
