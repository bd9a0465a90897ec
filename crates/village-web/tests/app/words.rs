//! Words, not codes: no page a person can reach by following links shows a stored code, a
//! JSON fragment, an id or a machine date, signed out or signed in as each demo person.
use village_testkit::{codes_shown, on_both_backends, visible_text, Backend, TestApp};

on_both_backends!(no_page_shows_a_code_a_json_fragment_an_id_or_a_machine_date);

async fn no_page_shows_a_code_a_json_fragment_an_id_or_a_machine_date(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let people = [
        None,
        Some("grace@meadowfield.example"),
        Some("sam.okafor@meadowfield.example"),
        Some("bronwen@meadowfield.example"),
        Some("admin@meadowfield.example"),
    ];
    // A change to an offer's times, cost and access, approved, and another waiting: the
    // steward's review and the public history say what changed.
    let id = village_app::demo::directory::services()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let grace = app.demo_person("grace@meadowfield.example").await;
    let bronwen = app.demo_person("bronwen@meadowfield.example").await;
    let change = format!("/directory/offers/{id}/suggest-change");
    let suggest = |day: &'static str, cost: &'static str| {
        let (grace, change) = (&grace, &change);
        let app = &app;
        async move {
            let r = app
                .post_form(
                    grace,
                    change,
                    change,
                    &[
                        ("name", "Knit and natter"),
                        ("description", "Knitting and crochet, with tea"),
                        ("why", "The times changed"),
                        ("day", day),
                        ("week", ""),
                        ("opens", "14:00"),
                        ("closes", "15:30"),
                        ("free", "no"),
                        ("cost", cost),
                        ("access", "hearing_loop"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303, "the change is sent");
        }
    };
    suggest("TH", "£1 for tea").await;
    let (_, queue) = app.page_as(&bronwen, "/directory/review").await;
    let newest_item = |queue: &str| {
        queue
            .split("href=\"/directory/review/")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .filter_map(|n| n.parse::<i64>().ok())
            .max()
            .unwrap()
    };
    let first = newest_item(&queue);
    app.post_form(
        &bronwen,
        &format!("/directory/review/{first}"),
        &format!("/directory/review/{first}/approve"),
        &[],
    )
    .await;
    suggest("FR", "£2 a session").await;
    let (_, queue) = app.page_as(&bronwen, "/directory/review").await;
    let waiting = newest_item(&queue);
    let mut problems = Vec::new();
    for (client, path, wanted) in [
        (
            &bronwen,
            format!("/directory/review/{waiting}"),
            "Fridays 2pm to 3:30pm",
        ),
        (
            &app.client(),
            format!("/directory/offers/{id}/history"),
            "Thursdays 2pm to 3:30pm",
        ),
    ] {
        let (_, html) = app.page_as(client, &path).await;
        let text = visible_text(&html);
        assert!(text.contains(wanted), "{path} says {wanted:?}:\n{text}");
        assert!(text.contains("£1 for tea"), "{path} says the cost:\n{text}");
        for found in codes_shown(&text) {
            problems.push(format!("{path}: {found}"));
        }
    }
    let mut pages = 0;
    for who in people {
        let client = match who {
            Some(email) => app.demo_person(email).await,
            None => app.client(),
        };
        let reached = app.crawl(&client, "/", 4, 400).await;
        eprintln!(
            "{}: {} pages read",
            who.unwrap_or("signed out"),
            reached.len()
        );
        for page in reached {
            pages += 1;
            for found in codes_shown(&visible_text(&page.html)) {
                problems.push(format!(
                    "{} on {}: {found}",
                    who.unwrap_or("signed out"),
                    page.url
                ));
            }
        }
    }
    assert!(pages > 100, "the crawl reached {pages} pages");
    assert!(
        problems.is_empty(),
        "{} codes shown to people:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
