//! Every page a person's role lets them use is within two clicks of the home page (the menu
//! is on every page), followed as a person would: links only, signed in as each demo person.
use std::collections::BTreeSet;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(every_page_a_role_uses_is_two_clicks_from_home);

/// Every page reached from `/` in at most `clicks` clicks, by its path (without the query).
async fn reached(app: &TestApp, client: &reqwest::Client, clicks: usize) -> BTreeSet<String> {
    app.crawl(client, "/", clicks, 5_000)
        .await
        .into_iter()
        .filter(|p| p.status == 200)
        .map(|p| p.url.split('?').next().unwrap_or("").to_string())
        .collect()
}

async fn every_page_a_role_uses_is_two_clicks_from_home(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let member = [
        "/directory",
        "/me/profile",
        "/me/circle",
        "/me/connectors",
        "/me/conversations",
        "/me/check-ins",
        "/me/ideas",
        "/me/information",
        "/me/introductions",
        "/me/shortlists",
        "/notifications",
        "/spaces",
        "/rounds",
        "/account",
        "/account/tokens",
        "/concerns/new",
        "/directory/suggest",
        "/directory/suggestions",
    ];
    let people: [(&str, &[&str]); 5] = [
        ("grace@meadowfield.example", &[]),
        ("sam.okafor@meadowfield.example", &["/connector/people"]),
        (
            "bronwen@meadowfield.example",
            &[
                "/directory/review",
                "/directory/review/stale",
                "/safeguarding",
            ],
        ),
        ("david.chen@meadowfield.example", &["/directory/open-data"]),
        (
            "admin@meadowfield.example",
            &[
                "/directory/open-data",
                "/admin/users",
                "/admin/invites",
                "/admin/audit",
                "/admin/safeguarding-leads",
                "/directory/review",
            ],
        ),
    ];
    let mut problems = Vec::new();
    for (email, own) in people {
        let client = app.demo_person(email).await;
        let paths = reached(&app, &client, 2).await;
        let missing: Vec<&&str> = member
            .iter()
            .chain(own.iter())
            .filter(|p| !paths.contains(**p))
            .collect();
        if !missing.is_empty() {
            problems.push(format!("{email} cannot reach {missing:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "within two clicks of home: {problems:#?}"
    );
}
