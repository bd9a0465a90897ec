//! What people rely on from accounts, checked over HTTP against a real hub, on SQLite and
//! on PostgreSQL.
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp, PASSWORD};

on_both_backends!(
    joining_signing_in_and_out_work,
    wrong_details_get_a_clear_message,
    repeated_failures_are_paused_without_locking_others_out,
    sign_ups_from_one_address_are_limited,
    password_reset_by_email_link,
    members_cannot_reach_admin_pages_or_api,
    signed_out_visitors_are_sent_to_sign_in,
    signing_in_never_sends_people_off_the_hub,
    forms_and_api_calls_need_the_csrf_token,
    a_form_token_belongs_to_one_session,
    admins_change_roles_and_people_see_who_looked,
    lived_experience_is_private_and_changeable,
    api_tokens_work_until_removed,
    invite_only_hubs_need_an_unused_invite,
    changing_password_and_email_asks_for_the_password,
    sign_out_everywhere_ends_every_session,
    recovering_an_account_ends_its_api_tokens,
    deleting_an_account_removes_it,
    idle_sessions_end,
    sign_up_errors_name_each_field,
    another_process_sees_sign_outs_and_role_changes,
);

async fn joining_signing_in_and_out_work(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let browser = app.client();
    let r = app.sign_up(&browser, "Ada@Example.org", "Ada").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/welcome");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let account = browser
        .get(app.url("/account?done=welcome"))
        .send()
        .await
        .unwrap();
    assert_eq!(account.status(), 200);
    assert_eq!(account.headers()["cache-control"], "no-store");
    let html = account.text().await.unwrap();
    assert!(
        html.contains("ada@example.org"),
        "email is normalised and shown"
    );
    assert!(html.contains("Welcome! Your account is ready."));

    let me: serde_json::Value = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ada@example.org");
    assert_eq!(me["display_name"], "Ada");
    assert_eq!(me["role"], "member");
    assert!(me["id"].as_i64().unwrap() > 0);

    let r = app.post_form(&browser, "/account", "/sign-out", &[]).await;
    assert_eq!(r.status(), 303);
    let r = browser.get(app.url("/account")).send().await.unwrap();
    assert_eq!(
        r.status(),
        303,
        "signed out: the account page sends you to sign in"
    );

    // A plain HTTP client with cookies can sign in again.
    let other = app.client();
    let r = app.sign_in(&other, "ADA@example.org", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        other
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

async fn wrong_details_get_a_clear_message(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.sign_up(&app.client(), "bo@example.org", "Bo").await;
    for (email, password) in [
        ("bo@example.org", "not the password"),
        ("nobody@example.org", PASSWORD),
    ] {
        let r = app.sign_in(&app.client(), email, password).await;
        assert_eq!(r.status(), 401);
        let html = r.text().await.unwrap();
        assert!(html.contains("The email address or password is not right"));
        assert!(html.contains("There is a problem"), "error summary");
        assert!(
            html.contains("href=\"#email\""),
            "summary links to the field"
        );
    }
    let r = app.sign_in(&app.client(), "", "").await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Enter your email address") && html.contains("Enter your password"));
}

async fn repeated_failures_are_paused_without_locking_others_out(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| {
        s.limits.sign_in_per_account.max = 3;
        s.limits.sign_in_per_account.window_secs = 2;
        s.limits.sign_in_per_address.max = 50;
    })
    .await
    else {
        return;
    };
    app.sign_up(&app.client(), "cy@example.org", "Cy").await;
    app.sign_up(&app.client(), "di@example.org", "Di").await;
    for _ in 0..3 {
        assert_eq!(
            app.sign_in(&app.client(), "cy@example.org", "wrong password!")
                .await
                .status(),
            401
        );
    }
    let r = app.sign_in(&app.client(), "cy@example.org", PASSWORD).await;
    assert_eq!(
        r.status(),
        429,
        "even the right password waits while paused"
    );
    assert!(r.text().await.unwrap().contains("Please wait"));
    // Someone else is not affected.
    assert_eq!(
        app.sign_in(&app.client(), "di@example.org", PASSWORD)
            .await
            .status(),
        303
    );
    // And the pause is short: once the window passes, Cy can sign in.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        app.sign_in(&app.client(), "cy@example.org", PASSWORD)
            .await
            .status(),
        303
    );

    // Per address: many accounts tried from one address are limited too, with a JSON-free page.
    let Some(app) = TestApp::start_with(backend, |s| {
        s.limits.sign_in_per_address.max = 4;
    })
    .await
    else {
        return;
    };
    for i in 0..4 {
        let r = app
            .sign_in(
                &app.client(),
                &format!("n{i}@example.org"),
                "wrong password!",
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    assert_eq!(
        app.sign_in(&app.client(), "n9@example.org", "wrong password!")
            .await
            .status(),
        429
    );
    let mut c = app.store.conn().await.unwrap();
    let limited = village_store::audit::list(
        &mut c,
        &village_store::audit::AuditFilter {
            action: Some(village_domain::audit::AuditAction::SignInLimited),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(limited.len(), 1, "the pause is audited");
}

async fn sign_ups_from_one_address_are_limited(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| s.limits.sign_up_per_address.max = 2).await
    else {
        return;
    };
    assert_eq!(
        app.sign_up(&app.client(), "e1@example.org", "E")
            .await
            .status(),
        303
    );
    assert_eq!(
        app.sign_up(&app.client(), "e2@example.org", "E")
            .await
            .status(),
        303
    );
    let r = app.sign_up(&app.client(), "e3@example.org", "E").await;
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Too many tries"));
}

async fn password_reset_by_email_link(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let old_session = app.client();
    app.sign_up(&old_session, "fay@example.org", "Fay").await;

    // Unknown addresses get the same answer and no email.
    let mails = app.outbox_messages().len();
    let r = app
        .post_form(
            &app.client(),
            "/forgotten-password",
            "/forgotten-password",
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Check your email"));
    assert_eq!(app.outbox_messages().len(), mails);

    let r = app
        .post_form(
            &app.client(),
            "/forgotten-password",
            "/forgotten-password",
            &[("email", "fay@example.org")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let mail =
        village_testkit::unfold_email(app.outbox_messages().last().expect("an email was sent"));
    assert!(mail.contains("To: fay@example.org"));
    let start = mail.find("/reset-password/").expect("link in email");
    let path: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
        .collect();

    let browser = app.client();
    assert_eq!(
        browser.get(app.url(&path)).send().await.unwrap().status(),
        200
    );
    // A weak new password is refused with a reason.
    let r = app
        .post_form(&browser, &path, &path, &[("password", "password123")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("too easy to guess"));
    let r = app
        .post_form(
            &browser,
            &path,
            &path,
            &[("password", "a brand new river song")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/sign-in?done=password_reset");

    assert_eq!(
        old_session
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "old sessions are ended"
    );
    assert_eq!(
        app.sign_in(&app.client(), "fay@example.org", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.sign_in(&app.client(), "fay@example.org", "a brand new river song")
            .await
            .status(),
        303
    );
    assert_eq!(
        browser.get(app.url(&path)).send().await.unwrap().status(),
        404,
        "a link works once"
    );
}

async fn members_cannot_reach_admin_pages_or_api(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (member, _) = app.signed_in_as(Role::Member, "gus@example.org").await;
    for path in ["/admin/users", "/admin/audit", "/admin/invites"] {
        let r = member.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
        assert!(r.text().await.unwrap().contains("You cannot see this page"));
    }
    // Permission is asked first: a member learns nothing from a filter's mistakes.
    for path in [
        "/api/v1/admin/users",
        "/api/v1/admin/audit",
        "/api/v1/admin/audit?action=nonsense",
    ] {
        let r = member.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "forbidden");
    }
    let r = app
        .post_form(
            &member,
            "/account",
            "/admin/users/1/role",
            &[("role", "hub_admin")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let me: serde_json::Value = member
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["role"], "member",
        "the member did not promote themselves"
    );
}

async fn signed_out_visitors_are_sent_to_sign_in(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let visitor = app.client();
    for path in [
        "/account",
        "/admin/users",
        "/admin/audit",
        "/account/activity",
    ] {
        let r = visitor.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.starts_with("/sign-in?next=%2F"), "{to}");
    }
    let r = visitor.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    // After signing in, people go back where they were heading.
    app.sign_up(&app.client(), "hal@example.org", "Hal").await;
    let token = app.csrf(&visitor, "/sign-in?next=/account/activity").await;
    let r = visitor
        .post(app.url("/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "hal@example.org"),
            ("password", PASSWORD),
            ("next", "/account/activity"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/account/activity");
}

async fn signing_in_never_sends_people_off_the_hub(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.sign_up(&app.client(), "kit@example.org", "Kit").await;
    // Browsers drop tabs and new lines inside an address, so "/<TAB>/evil.example" is
    // "//evil.example": another site. Control characters must not reach a header either.
    for next in [
        "/\t/evil.example/x",
        "/\n/evil.example/x",
        "/\r\n/evil.example",
        "/\u{1}",
        "/ /evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
    ] {
        let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
        let visitor = app.client();
        let page = visitor
            .get(app.url(&format!("/sign-in?next={encoded}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "{next:?}");
        let html = page.text().await.unwrap();
        assert!(!html.contains("evil.example"), "the form carries {next:?}");
        let token = app.csrf(&visitor, "/sign-in").await;
        let r = visitor
            .post(app.url("/sign-in"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", "kit@example.org"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(r.headers()["location"], "/", "{next:?}");
        // Already signed in, the sign-in page sends people on: home, never elsewhere.
        let r = visitor
            .get(app.url(&format!("/sign-in?next={encoded}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(r.headers()["location"], "/", "{next:?}");
    }
}

async fn forms_and_api_calls_need_the_csrf_token(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let browser = app.client();
    app.sign_up(&browser, "ivy@example.org", "Ivy").await;
    // No token, or a wrong one: refused, and nothing changes.
    let r = browser
        .post(app.url("/account/name"))
        .form(&[("display_name", "Mallory")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = browser
        .post(app.url("/account/name"))
        .form(&[
            ("display_name", "Mallory"),
            ("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = browser
        .put(app.url("/api/v1/me/lived-experience"))
        .json(&serde_json::json!({"declared": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let me: serde_json::Value = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Ivy");
    assert_eq!(me["lived_experience"]["declared"], false);
    // With the token, the same requests work.
    let r = app
        .post_form(
            &browser,
            "/account/name",
            "/account/name",
            &[("display_name", "Ivy Rose")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let token = app.csrf(&browser, "/account").await;
    let r = browser
        .put(app.url("/api/v1/me/lived-experience"))
        .header("x-csrf-token", token)
        .json(&serde_json::json!({"declared": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// The values of the cookies a response sets.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A signed-in person's form token is worked out from their session: a token someone else
/// planted in their `village_csrf` cookie (from a sibling site, say) does not pass, a token
/// from before signing in again does not pass, and the cookie an API client reads after
/// signing in is the one its changes need.
async fn a_form_token_belongs_to_one_session(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.sign_up(&app.client(), "wren@example.org", "Wren").await;
    // A client that keeps no cookies itself, so each request says exactly what it sends.
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = raw.get(app.url("/sign-in")).send().await.unwrap();
    let before = set_cookie(&page, "village_csrf").expect("a signed-out visitor gets a token");
    let r = raw
        .post(app.url("/sign-in"))
        .header("cookie", format!("village_csrf={before}"))
        .form(&[
            ("csrf_token", before.as_str()),
            ("email", "wren@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let session = set_cookie(&r, "village_session").expect("signed in");
    let token = set_cookie(&r, "village_csrf").expect("signing in sets the session's token");
    assert_ne!(token, before, "the token changes with the session");
    let rename = |cookie: String, sent: String, name: &'static str| {
        let raw = raw.clone();
        let url = app.url("/account/name");
        async move {
            raw.post(url)
                .header("cookie", cookie)
                .form(&[("csrf_token", sent.as_str()), ("display_name", name)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Someone who set the cookie to a value they know, and sends that value: refused.
    let planted = "P".repeat(43);
    let status = rename(
        format!("village_session={session}; village_csrf={planted}"),
        planted.clone(),
        "Mallory",
    )
    .await;
    assert_eq!(status, 403, "a planted token must not pass");
    // The token from before signing in: refused.
    let status = rename(
        format!("village_session={session}; village_csrf={before}"),
        before.clone(),
        "Mallory",
    )
    .await;
    assert_eq!(status, 403, "a token from before signing in must not pass");
    // The session's own token passes, whatever the cookie says.
    let status = rename(
        format!("village_session={session}; village_csrf={planted}"),
        token.clone(),
        "Wren Ash",
    )
    .await;
    assert_eq!(status, 303);
    // The pages carry the same token, and the API takes it from the cookie as documented.
    let html = raw
        .get(app.url("/account"))
        .header(
            "cookie",
            format!("village_session={session}; village_csrf={token}"),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(village_testkit::extract_csrf(&html), token);
    let r = raw
        .put(app.url("/api/v1/me/lived-experience"))
        .header(
            "cookie",
            format!("village_session={session}; village_csrf={token}"),
        )
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"declared": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = raw
        .put(app.url("/api/v1/me/lived-experience"))
        .header(
            "cookie",
            format!("village_session={session}; village_csrf={planted}"),
        )
        .header("x-csrf-token", &planted)
        .json(&serde_json::json!({"declared": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        403,
        "a planted token must not pass the API either"
    );
    // A page asked for with a stale cookie puts the session's token back in it.
    let r = raw
        .get(app.url("/account"))
        .header(
            "cookie",
            format!("village_session={session}; village_csrf={planted}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(set_cookie(&r, "village_csrf"), Some(token.clone()));
}

async fn admins_change_roles_and_people_see_who_looked(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (admin, admin_id) = app.signed_in_as(Role::HubAdmin, "jo@example.org").await;
    let (member, member_id) = app.signed_in_as(Role::Member, "kit@example.org").await;

    let list = admin
        .get(app.url("/admin/users?q=kit"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    assert!(
        html.contains("kit@example.org") && !html.contains("jo@example.org"),
        "filter by text"
    );

    let r = app
        .post_form(
            &admin,
            "/admin/users",
            &format!("/admin/users/{member_id}/role"),
            &[("role", "connector")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let me: serde_json::Value = member
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "connector");

    // An admin cannot change their own role (the hub keeps an admin).
    let r = admin
        .put(app.url(&format!("/api/v1/admin/users/{admin_id}/role")))
        .header("x-csrf-token", app.csrf(&admin, "/account").await)
        .json(&serde_json::json!({"role": "member"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "cannot_change_own_admin_role");

    // Kit can see that the admin looked at their details, and the role change.
    let mine: serde_json::Value = member
        .get(app.url("/api/v1/me/audit"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"personal_data_viewed"), "{actions:?}");
    assert!(actions.contains(&"role_changed"), "{actions:?}");
    let page = member
        .get(app.url("/account/activity"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Looked at personal information") && page.contains("HubAdmin person"));

    // The admin sees and filters the whole log.
    let log: serde_json::Value = admin
        .get(app.url("/api/v1/admin/audit?action=role_changed"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["subject_id"], member_id);
    assert_eq!(log[0]["detail"], "from member to connector");
    let page = admin
        .get(app.url("/admin/audit?action=role_changed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Role changed"));
    // Dates as people type them; one that cannot be read is named, not ignored.
    let today = village_domain::dates::day_of(village_app::now());
    let r = admin
        .get(app.url(&format!(
            "/admin/audit?action=role_changed&from={}",
            today.replace(' ', "+")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("from member to connector"));
    let r = admin
        .get(app.url("/admin/audit?action=role_changed&from=31+Febtember"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "a date that cannot be read");
    let page = r.text().await.unwrap();
    assert!(
        page.contains("href=\"#from\"")
            && page.contains("Enter a date like 1 November 2026")
            && page.contains("value=\"31 Febtember\"")
            && !page.contains("from member to connector"),
        "the date is named and kept, and nothing is shown as if it were filtered"
    );
    let bad = admin
        .get(app.url("/api/v1/admin/audit?action=nonsense"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(
        (&body["error"]["code"], &body["error"]["field"]),
        (
            &serde_json::json!("audit_action_unknown"),
            &serde_json::json!("action")
        )
    );
}

async fn lived_experience_is_private_and_changeable(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (member, _) = app.signed_in_as(Role::Member, "lou@example.org").await;
    let token = app.csrf(&member, "/account").await;
    let put = |body: serde_json::Value| {
        member
            .put(app.url("/api/v1/me/lived-experience"))
            .header("x-csrf-token", token.clone())
            .json(&body)
            .send()
    };
    let r = put(serde_json::json!({"declared": true, "kinds": ["unpaid_carer"], "in_my_words": "I care for my dad"})).await.unwrap();
    assert_eq!(r.status(), 200);
    let me: serde_json::Value = member
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["lived_experience"]["kinds"][0], "unpaid_carer");
    assert_eq!(me["lived_experience"]["in_my_words"], "I care for my dad");

    let r = put(serde_json::json!({"declared": true, "in_my_words": "x".repeat(2001)}))
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["field"], "in_my_words");
    let r = put(serde_json::json!({"declared": "maybe"})).await.unwrap();
    assert_eq!(r.status(), 422);
    let r = member
        .put(app.url("/api/v1/me/lived-experience"))
        .header("x-csrf-token", token.clone())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "json_malformed");

    // Withdrawing clears what was said.
    put(serde_json::json!({"declared": false})).await.unwrap();
    let me: serde_json::Value = member
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["lived_experience"]["declared"], false);
    assert!(me["lived_experience"]["in_my_words"].is_null());

    // The page form works too, with checkboxes.
    let r = app
        .post_form(
            &member,
            "/account/lived-experience",
            "/account/lived-experience",
            &[
                ("declared", "yes"),
                ("kinds", "draws_on_support"),
                ("kinds", "other"),
                ("in_my_words", "Deaf, BSL user"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let me: serde_json::Value = member
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["lived_experience"]["kinds"],
        serde_json::json!(["draws_on_support", "other"])
    );

    // Hub admins' list of people never shows it.
    let (admin, _) = app.signed_in_as(Role::HubAdmin, "mo@example.org").await;
    let list = admin
        .get(app.url("/api/v1/admin/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!list.contains("Deaf, BSL user") && !list.contains("lived"));
}

async fn api_tokens_work_until_removed(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (member, id) = app.signed_in_as(Role::Member, "ned@example.org").await;
    let r = app
        .post_form(
            &member,
            "/account/tokens",
            "/account/tokens",
            &[("name", "My calendar")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("<code class=\"token\">").unwrap() + "<code class=\"token\">".len();
    let token = &html[start..start + 43];
    let api = app.client();
    let me: serde_json::Value = api
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], id);
    // Bearer calls need no CSRF token.
    let r = api
        .put(app.url("/api/v1/me/lived-experience"))
        .bearer_auth(token)
        .json(&serde_json::json!({"declared": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A bearer token does not open pages.
    assert_eq!(
        api.get(app.url("/account"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        api.get(app.url("/api/v1/me"))
            .bearer_auth("nonsense")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let page = member
        .get(app.url("/account/tokens"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("My calendar"));
    let token_id = page
        .split("/account/tokens/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let r = app
        .post_form(
            &member,
            "/account/tokens",
            &format!("/account/tokens/{token_id}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        api.get(app.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

async fn invite_only_hubs_need_an_unused_invite(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (admin, _) = app.signed_in_as(Role::HubAdmin, "ola@example.org").await;
    let r = app
        .post_form(
            &admin,
            "/admin/invites",
            "/admin/sign-up-mode",
            &[("mode", "invite_only")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app.sign_up(&app.client(), "pat@example.org", "Pat").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("invitation only"));

    let r = app
        .post_form(
            &admin,
            "/admin/invites",
            "/admin/invites",
            &[("note", "Pat from the lunch club")],
        )
        .await;
    let html = r.text().await.unwrap();
    let start = html.find("/sign-up?invite=").unwrap() + "/sign-up?invite=".len();
    let invite = html[start..start + 43].to_string();
    let guest = app.client();
    let page = guest
        .get(app.url(&format!("/sign-up?invite={invite}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("name=\"invite\" value=\"{invite}\"")));
    // Two people ask to join with the same invitation; the first to open their email link
    // uses it, and the second is told plainly.
    let quin = app.client();
    let mut links = Vec::new();
    for (client, email, name) in [
        (&guest, "pat@example.org", "Pat"),
        (&quin, "quin@example.org", "Quin"),
    ] {
        let r = app
            .post_form(
                client,
                "/sign-up",
                "/sign-up",
                &[
                    ("email", email),
                    ("display_name", name),
                    ("password", PASSWORD),
                    ("invite", &invite),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        let mail = app.newest_mail_to(email).unwrap();
        links.push(village_testkit::link_in_email(&mail, "/sign-up/").unwrap());
    }
    let r = app.post_form(&guest, &links[0], &links[0], &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/welcome");
    let r = app.post_form(&quin, &links[1], &links[1], &[]).await;
    assert_eq!(r.status(), 409);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("invitation link has been used already"));
    assert_eq!(
        app.sign_in(&app.client(), "quin@example.org", PASSWORD)
            .await
            .status(),
        401
    );
    // The used invitation no longer opens the join form's way in.
    let r = app
        .post_form(
            &app.client(),
            "/sign-up",
            "/sign-up",
            &[
                ("email", "rae@example.org"),
                ("display_name", "Rae"),
                ("password", PASSWORD),
                ("invite", &invite),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = admin
        .get(app.url("/admin/invites"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Pat from the lunch club") && html.contains("Used"));
}

async fn changing_password_and_email_asks_for_the_password(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (member, _) = app.signed_in_as(Role::Member, "rae@example.org").await;
    let other_device = app.client();
    app.sign_in(&other_device, "rae@example.org", PASSWORD)
        .await;

    let r = app
        .post_form(
            &member,
            "/account/password",
            "/account/password",
            &[
                ("current_password", "wrong one here"),
                ("password", "seven silver swans"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("current password is not right"));
    let r = app
        .post_form(
            &member,
            "/account/password",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", "seven silver swans"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        member
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "this device stays signed in"
    );
    assert_eq!(
        other_device
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "other devices are signed out"
    );

    let r = app
        .post_form(
            &member,
            "/account/email",
            "/account/email",
            &[("email", "rae.new@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 422, "the old password no longer works");
    let r = app
        .post_form(
            &member,
            "/account/email",
            "/account/email",
            &[
                ("email", "not-an-email"),
                ("password", "seven silver swans"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#email\""));
    let r = app
        .post_form(
            &member,
            "/account/email",
            "/account/email",
            &[
                ("email", "rae.new@example.org"),
                ("password", "seven silver swans"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mail = app.outbox_messages().join("\n");
    assert!(
        mail.contains("To: rae@example.org"),
        "the old address is told"
    );
    assert_eq!(
        app.sign_in(&app.client(), "rae.new@example.org", "seven silver swans")
            .await
            .status(),
        303
    );
}

async fn sign_out_everywhere_ends_every_session(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (one, _) = app.signed_in_as(Role::Member, "sol@example.org").await;
    let two = app.client();
    app.sign_in(&two, "sol@example.org", PASSWORD).await;
    let r = app
        .post_form(&one, "/account", "/sign-out-everywhere", &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        one.get(app.url("/account")).send().await.unwrap().status(),
        303
    );
    assert_eq!(
        two.get(app.url("/account")).send().await.unwrap().status(),
        303
    );
}

/// A token made on this account's page, and whether it still opens the API.
async fn new_token(app: &TestApp, browser: &reqwest::Client, name: &str) -> String {
    let r = app
        .post_form(
            browser,
            "/account/tokens",
            "/account/tokens",
            &[("name", name)],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("<code class=\"token\">").unwrap() + "<code class=\"token\">".len();
    html[start..start + 43].to_string()
}

async fn token_works(app: &TestApp, token: &str) -> bool {
    let r = app
        .client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    r.status() == 200
}

/// Someone who fears their account was taken signs out everywhere or changes their password:
/// a token the taker made must stop working too, or it outlives the recovery.
async fn recovering_an_account_ends_its_api_tokens(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (me, _) = app.signed_in_as(Role::Member, "uma@example.org").await;
    let token = new_token(&app, &me, "made by a thief").await;
    assert!(token_works(&app, &token).await);
    let r = app
        .post_form(&me, "/account", "/sign-out-everywhere", &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(!token_works(&app, &token).await, "sign out everywhere");

    app.sign_in(&me, "uma@example.org", PASSWORD).await;
    let token = new_token(&app, &me, "made by a thief").await;
    let r = app
        .post_form(
            &me,
            "/account/password",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", "seven silver swans"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(!token_works(&app, &token).await, "a new password");

    let token = new_token(&app, &me, "made by a thief").await;
    let r = app
        .post_form(
            &app.client(),
            "/forgotten-password",
            "/forgotten-password",
            &[("email", "uma@example.org")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let mail =
        village_testkit::unfold_email(app.outbox_messages().last().expect("an email was sent"));
    let start = mail.find("/reset-password/").expect("link in email");
    let path: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
        .collect();
    let r = app
        .post_form(
            &app.client(),
            &path,
            &path,
            &[("password", "a brand new river song")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(!token_works(&app, &token).await, "a password reset");
    // The tokens page says so before anyone chooses.
    let (other, _) = app.signed_in_as(Role::Member, "vic@example.org").await;
    let html = other
        .get(app.url("/account/tokens"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("also removes your API tokens"), "{html}");
}

async fn deleting_an_account_removes_it(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (member, id) = app.signed_in_as(Role::Member, "tia@example.org").await;
    let r = app
        .post_form(
            &member,
            "/account/delete",
            "/account/delete",
            &[("password", "wrong password!")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &member,
            "/account/delete",
            "/account/delete",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        member
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    let mut c = app.store.conn().await.unwrap();
    assert!(village_store::accounts::user_by_id(&mut c, id)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        app.sign_in(&app.client(), "tia@example.org", PASSWORD)
            .await
            .status(),
        401
    );
    // The only hub admin cannot leave the hub without one.
    let (admin, _) = app.signed_in_as(Role::HubAdmin, "uma@example.org").await;
    let r = app
        .post_form(
            &admin,
            "/account/delete",
            "/account/delete",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("only hub admin"));
}

async fn idle_sessions_end(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| s.sessions.idle_timeout_secs = 1).await else {
        return;
    };
    let (member, _) = app.signed_in_as(Role::Member, "val@example.org").await;
    assert_eq!(
        member
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
    let r = member.get(app.url("/account")).send().await.unwrap();
    assert_eq!(r.status(), 303);
}

async fn sign_up_errors_name_each_field(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = app
        .post_form(
            &app.client(),
            "/sign-up",
            "/sign-up",
            &[
                ("email", "nope"),
                ("display_name", " "),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for field in ["email", "display_name", "password"] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{field} in the summary"
        );
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field} error beside it"
        );
    }
    assert!(html.contains("value=\"nope\""), "what was typed is kept");
    let mut c = app.store.conn().await.unwrap();
    assert_eq!(
        village_store::accounts::count_users(&mut c).await.unwrap(),
        0,
        "nothing half-written"
    );
}

/// Two servers on one database, as a council runs them: a sign-out or a role change made
/// through one (or the command line) holds on the other at once, even though the other may
/// keep recently read sessions in memory.
async fn another_process_sees_sign_outs_and_role_changes(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (other, _stop) = app.second_process().await;
    let (member, id) = app.signed_in_as(Role::Member, "una@example.org").await;
    let status = |path: &'static str| {
        let member = member.clone();
        let url = format!("{other}{path}");
        async move { member.get(url).send().await.unwrap().status().as_u16() }
    };
    // Read twice, so the other process has the session in memory if it keeps any.
    assert_eq!(status("/account").await, 200);
    assert_eq!(status("/admin/users").await, 403);
    assert_eq!(status("/admin/users").await, 403);

    // A role change straight in the database, as `village user set-role` makes it.
    let mut c = app.store.conn().await.unwrap();
    village_store::accounts::set_role(&mut c, id, Role::HubAdmin, village_app::now())
        .await
        .unwrap();
    drop(c);
    app.store.sessions_changed().unwrap();
    assert_eq!(eventually(|| status("/admin/users"), 200).await, 200);

    // Signing out everywhere through the first process ends the session on the other.
    let r = app
        .post_form(&member, "/account", "/sign-out-everywhere", &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(eventually(|| status("/account"), 303).await, 303);
}

/// The status once it is `want`, asking again for up to two seconds (well inside the five
/// seconds a process may keep a session), or the last status seen.
async fn eventually<F, Fut>(ask: F, want: u16) -> u16
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = u16>,
{
    let mut last = ask().await;
    for _ in 0..40 {
        if last == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        last = ask().await;
    }
    last
}
