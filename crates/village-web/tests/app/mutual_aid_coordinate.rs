//! Mutual aid coordinators, on SQLite and PostgreSQL: a coordinator posts, answers and takes
//! steps for a member without email or internet, recording how they agreed, and both people
//! see it was typed in for them (and it is audited); on a brokered hub only a coordinator
//! says yes for the one who posted; coordinators see open asks oldest first, settle time
//! that was not agreed, once, and take back time added by mistake, once, keeping the ledger
//! at nothing.
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_domain::audit::AuditAction;
use village_domain::mutual_aid::matches::Mode;
use village_store::audit::AuditFilter;
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    a_coordinator_posts_and_answers_for_members_and_both_see_it_was_typed_in,
    on_a_brokered_hub_a_coordinator_says_yes_and_settles_time_not_agreed,
    either_of_the_two_asks_once_for_added_time_to_be_taken_back_and_a_coordinator_answers,
);

async fn post(app: &TestApp, who: &Person, body: Value) -> (u16, Value) {
    app.post_json(&who.client, "/api/v1/help/posts", body).await
}

pub(crate) async fn audit(
    app: &TestApp,
    action: AuditAction,
    subject: i64,
) -> Vec<village_store::audit::AuditRow> {
    let mut c = app.store.conn().await.unwrap();
    village_store::audit::list(
        &mut c,
        &AuditFilter {
            action: Some(action),
            subject: Some(subject),
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

async fn a_coordinator_posts_and_answers_for_members_and_both_see_it_was_typed_in(
    backend: Backend,
) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let grace = app.member("grace@example.org", true).await;
    let tom = app.member("tom@example.org", false).await;
    let sam = app
        .with_user(Role::Coordinator, "sam@example.org", false)
        .await;
    let other = app
        .with_user(Role::Coordinator, "olu@example.org", false)
        .await;

    // Sam puts Grace's ask on the board after a phone call.
    let (status, p) = post(&app, &sam, json!({"kind": "ask", "category": "shopping", "title": "Milk and bread on Fridays", "on_behalf_of": {"member_id": grace.id, "agreed": "phone"}})).await;
    assert_eq!(status, 201, "{p}");
    assert_eq!(p["typed_by"], "Coordinator");
    assert_eq!(p["agreed"], "phone");
    let post_id = p["id"].as_i64().unwrap();
    let (_, seen) = app
        .get_json(&grace.client, &format!("/api/v1/help/posts/{post_id}"))
        .await;
    assert_eq!(seen["own"], true, "the post is Grace's: {seen}");
    let (_, notes) = app
        .get_json(&grace.client, "/api/v1/me/notifications")
        .await;
    assert!(notes.to_string().contains("You agreed by phone"), "{notes}");
    assert_eq!(
        audit(&app, AuditAction::HelpActedFor, grace.id).await.len(),
        1
    );
    let (_, page) = app
        .page_as(&tom.client, &format!("/help/posts/{post_id}"))
        .await;
    assert!(
        page.contains("typed in by Coordinator, a coordinator, for Member, who agreed by phone"),
        "{page}"
    );

    // Only coordinators type in for others; what they give is checked and named.
    let (status, _) = post(&app, &tom, json!({"kind": "ask", "category": "other", "title": "x", "on_behalf_of": {"member_id": grace.id, "agreed": "phone"}})).await;
    assert_eq!(status, 403);
    for (on_behalf, field) in [
        (
            json!({"member_id": grace.id, "agreed": "telepathy"}),
            "agreed",
        ),
        (
            json!({"member_id": 999_999, "agreed": "paper"}),
            "for_member",
        ),
        (
            json!({"member_id": sam.id, "agreed": "paper"}),
            "for_member",
        ),
    ] {
        let (status, body) = post(
            &app,
            &sam,
            json!({"kind": "ask", "category": "other", "title": "x", "on_behalf_of": on_behalf}),
        )
        .await;
        assert_eq!(status, 422, "{on_behalf}: {body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }

    // Sam answers it for Tom, with a message typed in; Grace sees both were typed in.
    let (status, m) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/posts/{post_id}/responses"),
            json!({"message": "Tom passes the shop on Fridays", "on_behalf_of": {"member_id": tom.id, "agreed": "in_person"}}),
        )
        .await;
    assert_eq!(status, 201, "{m}");
    assert_eq!(m["role"], "coordinator");
    let match_id = m["id"].as_i64().unwrap();
    let (status, for_grace) = app
        .get_json(&grace.client, &format!("/api/v1/help/matches/{match_id}"))
        .await;
    assert_eq!(status, 200, "{for_grace}");
    assert_eq!(for_grace["messages"][0]["typed_by"], "Coordinator");
    assert_eq!(for_grace["messages"][0]["agreed"], "in_person");
    let (_, page) = app
        .page_as(&grace.client, &format!("/help/matches/{match_id}"))
        .await;
    assert!(
        page.contains("(a coordinator) answered the post for Member, who agreed in person"),
        "{page}"
    );
    // On a peer-to-peer hub Grace says yes herself.
    let (status, body) = app
        .post_json(
            &grace.client,
            &format!("/api/v1/help/matches/{match_id}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Sam, who typed in for Tom, can follow the match (never the contact details); each look
    // is audited against both. A coordinator who has not acted in it cannot see it.
    let (status, for_sam) = app
        .get_json(&sam.client, &format!("/api/v1/help/matches/{match_id}"))
        .await;
    assert_eq!(status, 200, "{for_sam}");
    assert!(for_sam.get("contact").is_none(), "{for_sam}");
    assert!(!for_sam.to_string().contains("grace@example.org"));
    assert!(!audit(&app, AuditAction::HelpMatchSeen, grace.id)
        .await
        .is_empty());
    assert!(!audit(&app, AuditAction::HelpMatchSeen, tom.id)
        .await
        .is_empty());
    let (status, _) = app
        .get_json(&other.client, &format!("/api/v1/help/matches/{match_id}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .page_as(&other.client, &format!("/help/matches/{match_id}"))
        .await;
    assert_eq!(status, 404);

    // Sam says it happened for Tom; Grace is told it was typed in.
    let (status, body) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/matches/{match_id}/done"),
            json!({"on_behalf_of": {"member_id": tom.id, "agreed": "phone"}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, notes) = app
        .get_json(&grace.client, "/api/v1/me/notifications")
        .await;
    assert!(
        notes
            .to_string()
            .contains("(typed in by Coordinator, a coordinator)"),
        "{notes}"
    );
    // Time Grace does not agree with goes to the coordinators: any of them may now see the
    // match, to settle it.
    let (status, x) = app
        .post_json(
            &tom.client,
            "/api/v1/help/exchanges",
            json!({"match_id": match_id, "minutes": 45, "gave": true}),
        )
        .await;
    assert_eq!(status, 201, "{x}");
    let (status, _) = app
        .post_json(
            &grace.client,
            &format!("/api/v1/help/exchanges/{}/dispute", x["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, seen) = app
        .get_json(&other.client, &format!("/api/v1/help/matches/{match_id}"))
        .await;
    assert_eq!(status, 200, "{seen}");
    assert!(seen.get("contact").is_none());
    // Not for someone outside the match.
    let (status, body) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/matches/{match_id}/withdraw"),
            json!({"on_behalf_of": {"member_id": other.id, "agreed": "phone"}}),
        )
        .await;
    assert_eq!(status, 404, "{body}");
}

async fn on_a_brokered_hub_a_coordinator_says_yes_and_settles_time_not_agreed(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| s.mutual_aid.mode = Mode::Brokered).await
    else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let sam = app
        .with_user(Role::Coordinator, "sam@example.org", false)
        .await;
    let steward = app.with_user(Role::Steward, "sue@example.org", false).await;

    let (_, first) = post(
        &app,
        &anna,
        json!({"kind": "ask", "category": "lifts", "title": "A lift to the clinic"}),
    )
    .await;
    let (_, second) = post(
        &app,
        &ben,
        json!({"kind": "ask", "category": "company", "title": "A cup of tea and a chat"}),
    )
    .await;
    let (status, m) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/posts/{}/responses", first["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{m}");
    let match_id = m["id"].as_i64().unwrap();

    // Anna cannot say yes herself here, and is told who does.
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/matches/{match_id}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("not_yours")),
        "{body}"
    );
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("a coordinator says yes for you"));
    let (_, page) = app
        .page_as(&anna.client, &format!("/help/matches/{match_id}"))
        .await;
    assert!(!page.contains(&format!("/help/matches/{match_id}/accept")));
    assert!(page.contains("A coordinator will talk with you both"));

    // Coordinators see what waits: open asks oldest first, the answer waiting.
    let (status, _) = app
        .get_json(&anna.client, "/api/v1/help/coordination")
        .await;
    assert_eq!(status, 403);
    let (status, c) = app.get_json(&sam.client, "/api/v1/help/coordination").await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["mode"], "brokered");
    let titles: Vec<&str> = c["open_asks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["A lift to the clinic", "A cup of tea and a chat"]);
    assert_eq!(c["open_asks"][0]["answers_waiting"], 1);
    assert_eq!(c["waiting"][0]["match_id"], match_id);
    let (status, page) = app.page_as(&steward.client, "/help/coordinate").await;
    assert_eq!(status, 200);
    assert!(page.contains("A lift to the clinic"));
    let (status, _) = app.page_as(&anna.client, "/help/coordinate").await;
    assert_eq!(status, 403);
    assert!(second["id"].is_i64());

    // A coordinator who can see the match may raise a concern about it: about both of them.
    let (_, page) = app
        .page_as(&sam.client, &format!("/help/matches/{match_id}"))
        .await;
    assert!(page.contains(&format!("href=\"/concerns/new?help_match={match_id}\"")));
    let (status, raised) = app
        .post_json(
            &sam.client,
            "/api/v1/concerns",
            json!({"about_help_match": match_id, "what": "Ben sounded unsure on the phone."}),
        )
        .await;
    assert_eq!(status, 201, "{raised}");
    let mut c = app.store.conn().await.unwrap();
    let concern = village_store::safeguarding::concern(&mut c, raised["id"].as_i64().unwrap())
        .await
        .unwrap()
        .unwrap();
    drop(c);
    assert_eq!(
        (concern.about_help_match, concern.about_person),
        (Some(match_id), None)
    );
    assert_eq!(
        concern.about_name,
        format!("Member person and Member person (help match {match_id}: A lift to the clinic)")
    );

    // Any coordinator can look at the match here; saying yes for Ben (who answered) is not
    // theirs to say; saying yes for Anna is.
    let (status, body) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/matches/{match_id}/accept"),
            json!({"on_behalf_of": {"member_id": ben.id, "agreed": "phone"}}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/matches/{match_id}/accept"),
            json!({"share_email": true, "on_behalf_of": {"member_id": anna.id, "agreed": "in_person"}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "accepted");
    let (_, for_ben) = app
        .get_json(&ben.client, &format!("/api/v1/help/matches/{match_id}"))
        .await;
    assert_eq!(for_ben["contact"]["email"], "anna@example.org", "{for_ben}");
    let (_, page) = app
        .page_as(&ben.client, &format!("/help/matches/{match_id}"))
        .await;
    assert!(
        page.contains("(a coordinator) said yes for Member, who agreed in person"),
        "{page}"
    );

    // It happened; Ben adds an hour; Anna says it is not right; a coordinator settles it once.
    let (status, _) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/matches/{match_id}/done"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, x) = app
        .post_json(
            &ben.client,
            "/api/v1/help/exchanges",
            json!({"match_id": match_id, "minutes": 60, "gave": true}),
        )
        .await;
    assert_eq!(status, 201, "{x}");
    let xid = x["id"].as_i64().unwrap();
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/exchanges/{xid}/dispute"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, c) = app.get_json(&sam.client, "/api/v1/help/coordination").await;
    assert_eq!(c["disputed"][0]["id"], xid);
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/exchanges/{xid}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 403, "members do not settle");
    let (status, body) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/exchanges/{xid}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "posted");
    let (status, body) = app
        .post_json(
            &steward.client,
            &format!("/api/v1/help/exchanges/{xid}/set_aside"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let (_, account) = app.get_json(&ben.client, "/api/v1/me/time-account").await;
    assert_eq!(account["balance_minutes"], 60, "{account}");
    let (_, account) = app.get_json(&anna.client, "/api/v1/me/time-account").await;
    assert_eq!(account["balance_minutes"], -60, "{account}");
    let mut c = app.store.conn().await.unwrap();
    assert_eq!(
        village_store::mutual_aid::ledger_sum(&mut c).await.unwrap(),
        0
    );
    let (_, notes) = app.get_json(&anna.client, "/api/v1/me/notifications").await;
    assert!(notes.to_string().contains("and added it"), "{notes}");
    drop(c);

    // It was a mistake: the coordinator takes it back from the match's page (no script), once.
    let (_, page) = app
        .page_as(&sam.client, &format!("/help/matches/{match_id}"))
        .await;
    let action = format!("/help/exchanges/{xid}/settle/reverse");
    assert!(page.contains(&action), "{page}");
    let csrf = app
        .csrf(&sam.client, &format!("/help/matches/{match_id}"))
        .await;
    let r = sam
        .client
        .post(app.url(&action))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_string();
    let (_, page) = app.page_as(&sam.client, &back).await;
    assert!(
        page.contains("The time is taken back"),
        "the coordinator is told: {page}"
    );
    let (status, body) = app
        .post_json(
            &steward.client,
            &format!("/api/v1/help/exchanges/{xid}/reverse"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409, "taken back once only: {body}");
    assert_eq!(body["error"]["code"], "not_allowed_now");
    let mut c = app.store.conn().await.unwrap();
    let x = village_store::mutual_aid::exchange(&mut c, xid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        x.state,
        village_domain::mutual_aid::credits::ExchangeState::Reversed
    );
    drop(c);
    for (who, entries) in [(&ben, [60, -60]), (&anna, [-60, 60])] {
        let (_, account) = app.get_json(&who.client, "/api/v1/me/time-account").await;
        assert_eq!(account["balance_minutes"], 0, "{account}");
        let mut got: Vec<(i64, String)> = account["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["minutes"].as_i64().unwrap(),
                    e["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        got.sort_by_key(|(_, kind)| kind.clone());
        assert_eq!(
            got,
            [
                (entries[0], "exchange".to_string()),
                (entries[1], "reversal".to_string())
            ],
            "the first entry stays; a reversing one is added"
        );
    }
    let (_, page) = app.page_as(&ben.client, "/help/time").await;
    assert!(page.contains("Taken back by a coordinator"), "{page}");
    let (_, notes) = app.get_json(&ben.client, "/api/v1/me/notifications").await;
    assert!(
        notes.to_string().contains("took back the 1 hour"),
        "{notes}"
    );
    let mut c = app.store.conn().await.unwrap();
    assert_eq!(
        village_store::mutual_aid::ledger_sum(&mut c).await.unwrap(),
        0
    );
}

/// Added time (time the two agreed on) one of them finds was a mistake: either asks a
/// coordinator, once, saying why; the other is told; on a peer-to-peer hub the coordinators
/// then see the match and take it back or keep it, once; the ledger stays at nothing.
async fn either_of_the_two_asks_once_for_added_time_to_be_taken_back_and_a_coordinator_answers(
    backend: Backend,
) {
    use crate::mutual_aid::{balance, happened, ledger_sum};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let ben = app.member("ben@example.org", false).await;
    let cara = app.member("cara@example.org", false).await;
    let sam = app
        .with_user(Role::Coordinator, "sam@example.org", false)
        .await;
    let m = happened(&app, &anna, &ben, "Putting up shelves").await;
    let match_page = format!("/help/matches/{m}");
    // Ben adds the time he gave and Anna confirms it; a second lot waits for her.
    let mut added = Vec::new();
    for minutes in [90, 30] {
        let (status, x) = app
            .post_json(
                &ben.client,
                "/api/v1/help/exchanges",
                json!({"match_id": m, "minutes": minutes, "gave": true}),
            )
            .await;
        assert_eq!(status, 201, "{x}");
        added.push(x["id"].as_i64().unwrap());
    }
    let (first, waiting) = (added[0], added[1]);
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/exchanges/{first}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (-90, 90)
    );
    // On this hub a coordinator does not see the match yet.
    assert_eq!(app.page_as(&sam.client, &match_page).await.0, 404);

    // Anna's match page offers the asking for the added time only.
    let (_, page) = app.page_as(&anna.client, &match_page).await;
    let ask = format!("/help/exchanges/{first}/take-back");
    assert!(page.contains(&format!("href=\"{ask}\"")), "{page}");
    assert!(!page.contains(&format!("/help/exchanges/{waiting}/take-back")));
    // Time not added yet, someone else, and no reason are refused, each plainly.
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/exchanges/{waiting}/take-back"),
            json!({"why": "Never happened"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (409, json!("not_allowed_now"))
    );
    let (status, _) = app
        .post_json(
            &cara.client,
            &format!("/api/v1/help/exchanges/{first}/take-back"),
            json!({"why": "Never happened"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/exchanges/{first}/take-back"),
            json!({"why": "  "}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("why"))
    );
    // Through the page: a problem first keeps nothing half-done, then properly.
    let (status, form) = app.page_as(&anna.client, &ask).await;
    assert_eq!(status, 200);
    assert!(form.contains("Member gave 1 hour 30 minutes to you"));
    let r = app
        .post_form(&anna.client, &ask, &ask, &[("why", "")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Write what the mistake was"));
    let why = "It was 30 minutes: Ben had to leave early.";
    let r = app
        .post_form(&anna.client, &ask, &ask, &[("why", why)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("{match_page}?done=asked_back")
    );
    // Once: Ben cannot ask again, nor Anna.
    for who in [&ben, &anna] {
        let (status, _) = app
            .post_json(
                &who.client,
                &format!("/api/v1/help/exchanges/{first}/take-back"),
                json!({"why": "Again"}),
            )
            .await;
        assert_eq!(status, 409);
    }
    // Ben is told, with why; nothing moved yet.
    let (_, notices) = app.page_as(&ben.client, "/notifications").await;
    assert!(notices.contains("asked a coordinator to take back the 1 hour 30 minutes"));
    assert!(notices.contains("Ben had to leave early"));
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (-90, 90)
    );

    // The coordinators see it waiting, and the match; they keep it.
    let (_, c) = app.get_json(&sam.client, "/api/v1/help/coordination").await;
    let asked: Vec<i64> = c["take_back_asked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert_eq!(asked, vec![first]);
    assert_eq!(c["take_back_asked"][0]["take_back_why"], why);
    let (_, coordinate) = app.page_as(&sam.client, "/help/coordinate").await;
    assert!(coordinate.contains(&format!("/help/exchanges/{first}/settle/keep")));
    let (status, page) = app.page_as(&sam.client, &match_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("asked for it to be taken back, because: It was 30 minutes"));
    assert!(page.contains(&format!("/help/exchanges/{first}/settle/keep")));
    let (status, x) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/exchanges/{first}/keep"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{x}");
    assert_eq!(
        (x["state"].clone(), x["take_back_kept"].clone()),
        (json!("posted"), json!(true))
    );
    let (status, _) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/help/exchanges/{first}/keep"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409, "kept once");
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (-90, 90)
    );
    let (_, c) = app.get_json(&sam.client, "/api/v1/help/coordination").await;
    assert_eq!(c["take_back_asked"], json!([]));
    let (_, page) = app.page_as(&anna.client, &match_page).await;
    assert!(page.contains("a coordinator looked and kept it"));
    assert!(!page.contains(&format!("href=\"{ask}\"")), "asked once");
    // Sam, who settled it, can still open the match.
    assert_eq!(app.page_as(&sam.client, &match_page).await.0, 200);

    // The second lot: Anna confirms it, Ben asks, and another coordinator takes it back.
    let (status, _) = app
        .post_json(
            &anna.client,
            &format!("/api/v1/help/exchanges/{waiting}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .post_json(
            &ben.client,
            &format!("/api/v1/help/exchanges/{waiting}/take-back"),
            json!({"why": "I added it twice"}),
        )
        .await;
    assert_eq!(status, 200);
    let joe = app
        .with_user(Role::Coordinator, "joe@example.org", false)
        .await;
    assert_eq!(
        app.page_as(&joe.client, &match_page).await.0,
        200,
        "waiting"
    );
    let r = app
        .post_form(
            &joe.client,
            &match_page,
            &format!("/help/exchanges/{waiting}/settle/reverse"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        (balance(&app, &anna).await, balance(&app, &ben).await),
        (-90, 90)
    );
    let (status, _) = app
        .post_json(
            &joe.client,
            &format!("/api/v1/help/exchanges/{waiting}/keep"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409, "taken back: nothing to keep");
    assert_eq!(ledger_sum(&app).await, 0);
}
