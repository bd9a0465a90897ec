//! Joining by an emailed link: the join page never tells anyone whether an address is on the
//! hub, and an account is made only by the person who can read the address's email.
use village_testkit::{link_in_email, on_both_backends, Backend, TestApp, PASSWORD};

on_both_backends!(
    joining_with_an_address_in_use_answers_as_for_a_new_one,
    a_join_link_makes_the_account_once,
);

/// What the page says inside `<main>`, with `email` put as a placeholder.
fn main_text(html: &str, email: &str) -> String {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("the end of main");
    html[start..end].replace(email, "EMAIL")
}

async fn join_form(app: &TestApp, email: &str, name: &str) -> (u16, String) {
    let r = app
        .post_form(
            &app.client(),
            "/sign-up",
            "/sign-up",
            &[
                ("email", email),
                ("display_name", name),
                ("password", "a different long phrase"),
            ],
        )
        .await;
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn joining_with_an_address_in_use_answers_as_for_a_new_one(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    assert_eq!(
        app.sign_up(&app.client(), "ada@example.org", "Ada")
            .await
            .status(),
        303
    );
    let before = app.outbox_messages().len();

    let (status_known, known) = join_form(&app, "ada@example.org", "Another Ada").await;
    let (status_new, new) = join_form(&app, "bea@example.org", "Bea").await;
    assert_eq!((status_known, status_new), (200, 200));
    assert!(known.contains("Check your email"), "{known}");
    assert!(
        !known.contains("already"),
        "the page says nothing of the account"
    );
    assert_eq!(
        main_text(&known, "ada@example.org"),
        main_text(&new, "bea@example.org"),
        "the two answers are the same"
    );

    // Each address gets an email: the owner hears they have an account, with no link that
    // makes another; the new address gets its link.
    assert_eq!(app.outbox_messages().len(), before + 2);
    let owner = app.newest_mail_to("ada@example.org").unwrap();
    assert!(
        owner.contains("You already have an account here"),
        "{owner}"
    );
    assert!(owner.contains("/forgotten-password"));
    assert!(link_in_email(&owner, "/sign-up/").is_none());
    assert!(owner.contains("Hello Ada,"), "greets the account's owner");
    assert!(link_in_email(&app.newest_mail_to("bea@example.org").unwrap(), "/sign-up/").is_some());

    // Ada's account is as it was: her name and password.
    let ada = app.client();
    assert_eq!(
        app.sign_in(&ada, "ada@example.org", PASSWORD)
            .await
            .status(),
        303
    );
    let (_, me) = app
        .call(&ada, reqwest::Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(me["display_name"], "Ada");
}

async fn a_join_link_makes_the_account_once(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (status, page) = join_form(&app, "Lee@Example.org", "Lee").await;
    assert_eq!(status, 200);
    assert!(page.contains("We have sent an email to Lee@Example.org"));
    // Nothing is an account until the link is opened.
    assert_eq!(
        app.sign_in(&app.client(), "lee@example.org", "a different long phrase")
            .await
            .status(),
        401
    );
    let link = link_in_email(&app.newest_mail_to("lee@example.org").unwrap(), "/sign-up/").unwrap();

    // A second ask for the same address sends a second link; the first one opened wins.
    join_form(&app, "lee@example.org", "Lee again").await;
    let second =
        link_in_email(&app.newest_mail_to("lee@example.org").unwrap(), "/sign-up/").unwrap();
    assert_ne!(link, second);

    let browser = app.client();
    let r = browser.get(app.url(&link)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Welcome, Lee") && html.contains("Finish joining"));
    let r = app.post_form(&browser, &link, &link, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/welcome");
    let (_, me) = app
        .call(&browser, reqwest::Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(me["email"], "lee@example.org");
    assert_eq!(me["display_name"], "Lee");
    assert_eq!(
        app.sign_in(&app.client(), "lee@example.org", "a different long phrase")
            .await
            .status(),
        303
    );

    // The link works once, the other link for the address stops working, and a made-up one
    // never did.
    for dead in [link.clone(), second, "/sign-up/made-up".to_string()] {
        let r = app.client().get(app.url(&dead)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{dead}");
        assert!(r.text().await.unwrap().contains("This link has run out"));
        let r = app.post_form(&app.client(), "/sign-up", &dead, &[]).await;
        assert_eq!(r.status(), 404, "{dead}");
    }
}
