//! The home page is each person's next steps: a member sees a check-in that is due and a
//! shortlist a connector shared; a connector how many people they walk alongside; a steward
//! the review queues with counts; a council officer sees the decisions, the funding rounds
//! being decided and how the directory is published as open data, which members cannot open.
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, visible_text, Backend, TestApp};

on_both_backends!(each_person_s_home_shows_their_next_steps);

const DAY: i64 = 86_400;

/// A page's words on one line, as a screen reader runs them together.
fn words(html: &str) -> String {
    visible_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn each_person_s_home_shows_their_next_steps(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let now = village_app::now();
    village_app::demo::load(&app.store, now).await.unwrap();

    // A member whose first check-in was 43 days ago, with a shortlist shared and nothing
    // picked from it yet.
    let member = app.member("ruth@example.org", false).await;
    let (_, home) = app.page_as(&member.client, "/").await;
    let home = words(&home);
    assert!(!home.contains("check-in after six weeks"), "{home}");
    assert!(!home.contains("shortlist"), "{home}");
    let connector = app
        .with_user(Role::Connector, "kit@example.org", false)
        .await;
    let mut c = app.store.conn().await.unwrap();
    village_store::connections::put_checkin(
        &mut c,
        &village_store::connections::NewCheckin {
            person_id: member.id,
            moment: "start",
            scores: [Some(6), Some(7), Some(6), Some(3)],
            changed: "",
        },
        now - 43 * DAY,
    )
    .await
    .unwrap();
    let list = village_store::connections::create_shortlist(
        &mut c,
        member.id,
        connector.id,
        "Things near you",
        now,
    )
    .await
    .unwrap();
    let offer = &village_app::demo::directory::services()[0];
    village_store::connections::add_shortlist_item(
        &mut c,
        list,
        offer["id"].as_str().unwrap(),
        offer["name"].as_str().unwrap(),
        "",
        now,
    )
    .await
    .unwrap();
    village_store::connections::share_shortlist(&mut c, list, now)
        .await
        .unwrap();
    drop(c);
    let (_, html) = app.page_as(&member.client, "/").await;
    let home = words(&html);
    assert!(
        home.contains("Your check-in after six weeks is ready when you are")
            && html.contains("href=\"/me/check-ins\""),
        "{home}"
    );
    assert!(
        home.contains("A shortlist of ideas has been shared with you")
            && html.contains("href=\"/me/shortlists\""),
        "{home}"
    );
    assert!(
        !html.contains("/directory/open-data"),
        "not a member's work"
    );
    let (status, _) = app.page_as(&member.client, "/directory/open-data").await;
    assert_eq!(status, 403, "a member does not follow the publishing");

    // The council officer: decisions, rounds being decided, and the open data.
    let officer = app.demo_person("david.chen@meadowfield.example").await;
    let (_, html) = app.page_as(&officer, "/").await;
    let home = words(&html);
    let mut c = app.store.conn().await.unwrap();
    let deciding = village_store::decisions::rounds(&mut c)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.phase.code() != "results" && r.phase.code() != "delivery")
        .count();
    drop(c);
    assert!(deciding > 0, "the demo has rounds being decided");
    assert!(
        home.contains("Your work on the hub")
            && html.contains("href=\"/spaces\">Decide together</a>")
            && html.contains("href=\"/directory/open-data\">The directory as open data</a>"),
        "{home}"
    );
    let rounds_line = if deciding == 1 {
        "Funding rounds : one is being decided now.".to_string()
    } else {
        format!("Funding rounds : {deciding} are being decided now.")
    };
    assert!(home.contains(&rounds_line), "{home}");
    let (status, html) = app.page_as(&officer, "/directory/open-data").await;
    assert_eq!(status, 200);
    let page = words(&html);
    let (_, oruk) = app
        .get_json(&app.client(), "/oruk/services?per_page=1")
        .await;
    let public = oruk["total_items"].as_i64().unwrap();
    assert!(public > 100, "the demo directory is public");
    assert!(
        page.contains(&format!("{public} offers are public")),
        "the page counts what the open data holds ({public}):\n{page}"
    );
    assert!(html.contains("/oruk</code>"), "the address to give: {page}");

    // The steward: the review queues, with counts that match the queues.
    let steward = app.demo_person("bronwen@meadowfield.example").await;
    let (_, stale) = app.page_as(&steward, "/directory/review/stale").await;
    let unchecked = stale.matches("/checked\"").count();
    assert!(unchecked > 0, "the demo has offers to check again");
    let (_, html) = app.page_as(&steward, "/").await;
    let home = words(&html);
    assert!(
        home.contains(&format!("Offers to check again ({unchecked})")),
        "{unchecked}: {home}"
    );
    assert!(home.contains("Suggestions to check (0 waiting)"), "{home}");
    let change = format!(
        "/directory/offers/{}/suggest-change",
        offer["id"].as_str().unwrap()
    );
    let r = app
        .post_form(
            &member.client,
            &change,
            &change,
            &[
                ("name", offer["name"].as_str().unwrap()),
                ("description", "New words"),
                ("why", "It changed"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = app.page_as(&steward, "/").await;
    assert!(words(&html).contains("Suggestions to check (1 waiting)"));

    // The connector: how many people they walk alongside.
    let sam = app.demo_person("sam.okafor@meadowfield.example").await;
    let (_, people) = app.page_as(&sam, "/connector/people").await;
    let walking = people.matches("/shortlists\">shortlists for").count();
    assert!(walking > 0, "Sam walks alongside people in the demo");
    let (_, html) = app.page_as(&sam, "/").await;
    assert!(
        words(&html).contains(&format!("The people you walk alongside ({walking})")),
        "{walking}: {}",
        words(&html)
    );
}
