//! Shared power on SQLite and PostgreSQL: a proposal cannot be decided without enough
//! lived-experience voices or with a block left unanswered; names can be hidden and who
//! declared lived experience is never shown; a funding round's tally over thousands of ballots
//! (online and on paper) matches an independent count; the 360Giving export is valid.
use reqwest::{Client, Method};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, Lcg, TestApp};

on_both_backends!(
    a_proposal_needs_lived_experience_voices_and_answers_to_every_block,
    a_space_can_hide_names_and_never_shows_who_declared,
    a_funding_round_tallies_like_an_independent_count,
    knapsack_ballots_fit_the_pot_and_rounds_are_refused_out_of_order,
    the_pages_refuse_a_close_until_the_rule_and_every_block_are_met,
    a_round_runs_through_the_pages,
    stances_taken_at_the_same_moment_all_count,
    a_bid_names_its_group_in_the_directory,
    where_names_are_shown_no_declaration_can_be_read_off_the_count,
);

async fn call(
    app: &TestApp,
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    app.call(client, method, path, body).await
}

async fn post(app: &TestApp, client: &Client, path: &str, body: Value) -> (u16, Value) {
    call(app, client, Method::POST, path, Some(body)).await
}

async fn put(app: &TestApp, client: &Client, path: &str, body: Value) -> (u16, Value) {
    call(app, client, Method::PUT, path, Some(body)).await
}

async fn get(app: &TestApp, client: &Client, path: &str) -> (u16, Value) {
    app.get_json(client, path).await
}

/// A member who has (or has not) declared lived experience.
async fn member(app: &TestApp, email: &str, lived: bool) -> (Client, i64) {
    let p = app.member(email, lived).await;
    (p.client, p.id)
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

async fn a_proposal_needs_lived_experience_voices_and_answers_to_every_block(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (fac, _) = member(&app, "fran@example.org", false).await;
    let (ann, _) = member(&app, "ann@example.org", true).await;
    let (bob, _) = member(&app, "bob@example.org", true).await;
    let (cat, _) = member(&app, "cat@example.org", true).await;
    let (dev, _) = member(&app, "dev@example.org", false).await;

    // Bad rules name their field.
    let (s, v) = post(
        &app,
        &fac,
        "/api/v1/spaces",
        json!({"name": "Board", "min_lived_share": 2.5e3, "min_lived_count": 3, "open": true}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("min_lived_share"))
    );
    let (s, v) = post(
        &app,
        &fac,
        "/api/v1/spaces",
        json!({"name": " ", "min_lived_share": 0.5, "min_lived_count": 3, "open": true}),
    )
    .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("name")));
    let (s, v) = post(
        &app,
        &fac,
        "/api/v1/spaces",
        json!({"name": "Adult social care co-production board", "min_lived_share": 0.5, "min_lived_count": 3, "open": true}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let space = v["id"].as_i64().unwrap();

    // Taking part needs joining first.
    let (s, v) = post(
        &app,
        &ann,
        &format!("/api/v1/spaces/{space}/proposals"),
        json!({"title": "Meet in the library", "body": "It is step-free."}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "not_a_member"));
    for c in [&ann, &bob, &cat, &dev] {
        let (s, _) = post(&app, c, &format!("/api/v1/spaces/{space}/join"), json!({})).await;
        assert_eq!(s, 204);
    }
    let (s, v) = post(
        &app,
        &ann,
        &format!("/api/v1/spaces/{space}/proposals"),
        json!({"title": "Meet in the library", "body": "The board meets in the library: it is step-free and on the bus route."}),
    )
    .await;
    assert_eq!(s, 201);
    let p = v["id"].as_i64().unwrap();
    let path = format!("/api/v1/proposals/{p}");

    // The wording can change; the earlier one is kept.
    let (s, _) = put(&app, &ann, &path, json!({"title": "Meet in the central library", "body": "The board meets in the central library: step-free, on the bus route.", "affects": "Everyone on the board"})).await;
    assert_eq!(s, 204);
    let (s, _) = put(&app, &bob, &path, json!({"title": "Mine now", "body": "x"})).await;
    assert_eq!(
        s, 403,
        "only the proposer or a facilitator changes the wording"
    );

    // Disagreeing and blocking need reasons.
    let (s, v) = put(
        &app,
        &dev,
        &format!("{path}/stance"),
        json!({"stance": "block", "reason": " "}),
    )
    .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("reason")));
    let (s, v) = put(
        &app,
        &dev,
        &format!("{path}/stance"),
        json!({"stance": "maybe"}),
    )
    .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("stance")));
    let (s, _) = put(
        &app,
        &ann,
        &format!("{path}/stance"),
        json!({"stance": "agree"}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, v) = put(
        &app,
        &dev,
        &format!("{path}/stance"),
        json!({"stance": "block", "reason": "The lift there is often broken."}),
    )
    .await;
    assert_eq!(s, 200);
    let block_id = v["id"].as_i64().unwrap();

    let outcome = json!({
        "decision": "We meet in the central library from March.",
        "reasons": "Most of us can get there, and it costs nothing.",
    });
    // Only facilitators close.
    let (s, _) = post(&app, &ann, &format!("{path}/close"), outcome.clone()).await;
    assert_eq!(s, 403);
    // One lived-experience stance of two: not enough (needs 3, and half).
    let (s, v) = post(&app, &fac, &format!("{path}/close"), outcome.clone()).await;
    assert_eq!(
        (s, code(&v)),
        (409, "lived_experience_voices_missing"),
        "{v}"
    );
    // This space shows names, so neither says how many: "2 more" would tell that one of the
    // two named people declared.
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("needs more views from people with lived experience")
            && !message.contains("2 more"),
        "{v}"
    );
    let (_, v) = get(&app, &ann, &path).await;
    assert_eq!(v["lived_experience"]["met"], false);
    assert_eq!(v["lived_experience"]["more_needed"], Value::Null);
    assert_eq!(v["lived_experience"]["lived_stances_fewer_than"], 8);

    let (s, _) = put(
        &app,
        &bob,
        &format!("{path}/stance"),
        json!({"stance": "agree"}),
    )
    .await;
    assert_eq!(s, 200);
    // Changing a stance keeps its id.
    let (s, v) = put(
        &app,
        &cat,
        &format!("{path}/stance"),
        json!({"stance": "abstain"}),
    )
    .await;
    assert_eq!(s, 200);
    let cat_stance = v["id"].as_i64().unwrap();
    let (s, v) = put(
        &app,
        &cat,
        &format!("{path}/stance"),
        json!({"stance": "disagree", "reason": "Too far from the east side."}),
    )
    .await;
    assert_eq!((s, v["id"].as_i64()), (200, Some(cat_stance)));
    let (s, _) = post(
        &app,
        &bob,
        &format!("{path}/comments"),
        json!({"kind": "question", "body": "Is there a hearing loop?"}),
    )
    .await;
    assert_eq!(s, 201);

    // Now 3 of 4: the rule is met, but the block has no answer.
    let (s, v) = post(&app, &fac, &format!("{path}/close"), outcome.clone()).await;
    assert_eq!((s, code(&v)), (409, "block_not_answered"), "{v}");
    let mut answered = outcome.clone();
    answered["block_responses"] = json!({ block_id.to_string(): "   " });
    let (s, v) = post(&app, &fac, &format!("{path}/close"), answered.clone()).await;
    assert_eq!(
        (s, code(&v)),
        (409, "block_not_answered"),
        "a blank answer is no answer"
    );
    answered["block_responses"] = json!({ block_id.to_string(): "The library has promised to fix the lift by February; until then we meet on the ground floor." });
    // Dissent must be summarised.
    let (s, v) = post(&app, &fac, &format!("{path}/close"), answered.clone()).await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("dissent_summary"))
    );
    answered["dissent_summary"] =
        json!("Two people worry about the lift and the distance from the east side.");
    let (s, v) = post(&app, &fac, &format!("{path}/close"), answered.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "closed");
    assert_eq!(v["outcome"]["progress"], "agreed");
    assert_eq!(
        v["outcome"]["dissent_summary"],
        "Two people worry about the lift and the distance from the east side."
    );
    let block = v["stances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == block_id)
        .unwrap();
    assert_eq!(block["reason"], "The lift there is often broken.");
    assert!(block["response"].as_str().unwrap().contains("fix the lift"));
    assert_eq!(v["earlier_versions"].as_array().unwrap().len(), 1);
    assert_eq!(v["earlier_versions"][0]["title"], "Meet in the library");
    assert_eq!(v["counts"]["agree"], 2);
    assert_eq!(v["counts"]["block"], 1);

    // Everyone taking part is told, but not the facilitator who closed it.
    let (_, notices) = get(&app, &dev, "/api/v1/me/notifications").await;
    assert!(
        notices.as_array().unwrap().iter().any(|n| n["body"]
            .as_str()
            .unwrap()
            .contains("has been decided in Adult social care co-production board")
            && n["link"] == format!("/proposals/{p}")),
        "{notices}"
    );
    let (_, notices) = get(&app, &fac, "/api/v1/me/notifications").await;
    assert!(notices.as_array().unwrap().is_empty(), "{notices}");

    // Closed is closed.
    let (s, v) = put(
        &app,
        &bob,
        &format!("{path}/stance"),
        json!({"stance": "disagree", "reason": "Changed my mind"}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "proposal_closed"));
    let (s, v) = post(&app, &fac, &format!("{path}/close"), answered).await;
    assert_eq!((s, code(&v)), (409, "proposal_closed"));

    // Accountability: forward only, with a note.
    let (s, v) = post(
        &app,
        &fac,
        &format!("{path}/updates"),
        json!({"status": "in_progress", "note": " "}),
    )
    .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("note")));
    let (s, _) = post(
        &app,
        &fac,
        &format!("{path}/updates"),
        json!({"status": "in_progress", "note": "Room booked for March."}),
    )
    .await;
    assert_eq!(s, 204);
    let (s, v) = post(
        &app,
        &fac,
        &format!("{path}/updates"),
        json!({"status": "agreed", "note": "Back"}),
    )
    .await;
    assert_eq!((s, code(&v)), (422, "invalid_status"));
    let (s, _) = post(
        &app,
        &ann,
        &format!("{path}/updates"),
        json!({"status": "done", "note": "Done"}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = post(
        &app,
        &fac,
        &format!("{path}/updates"),
        json!({"status": "done", "note": "We met there on 3 March."}),
    )
    .await;
    assert_eq!(s, 204);
    let (_, v) = get(&app, &ann, &path).await;
    assert_eq!(v["outcome"]["progress"], "done");
    assert_eq!(v["outcome"]["overdue"], false);
    assert_eq!(v["outcome"]["updates"].as_array().unwrap().len(), 2);

    // The closing was audited.
    let mut c = app.store.conn().await.unwrap();
    let n: i64 = match &mut c {
        village_store::Conn::Sqlite(x) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'proposal_closed'")
                .fetch_one(&mut **x)
                .await
                .unwrap()
        }
        village_store::Conn::Postgres(x) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'proposal_closed'")
                .fetch_one(&mut **x)
                .await
                .unwrap()
        }
    };
    assert_eq!(n, 1);
}

async fn a_space_can_hide_names_and_never_shows_who_declared(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (fac, _) = member(&app, "fran@example.org", true).await;
    let (ann, _) = member(&app, "ann@example.org", true).await;
    let (out, _) = member(&app, "out@example.org", false).await;
    let (s, v) = post(
        &app,
        &fac,
        "/api/v1/spaces",
        json!({"name": "Meadowfield community fund", "min_lived_share": 50, "min_lived_count": 1, "open": false, "hide_names": true}),
    )
    .await;
    assert_eq!(s, 201);
    let space = v["id"].as_i64().unwrap();
    // By invitation: others cannot see it or join it.
    let (s, _) = get(&app, &out, &format!("/api/v1/spaces/{space}")).await;
    assert_eq!(s, 404);
    let (s, _) = post(
        &app,
        &out,
        &format!("/api/v1/spaces/{space}/join"),
        json!({}),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = post(
        &app,
        &ann,
        &format!("/api/v1/spaces/{space}/members"),
        json!({"email": "out@example.org"}),
    )
    .await;
    assert_eq!(
        s, 404,
        "only members see the space, only facilitators invite"
    );
    let (s, _) = post(
        &app,
        &fac,
        &format!("/api/v1/spaces/{space}/members"),
        json!({"email": "ann@example.org"}),
    )
    .await;
    assert_eq!(s, 204);
    let (s, v) = post(
        &app,
        &fac,
        &format!("/api/v1/spaces/{space}/members"),
        json!({"email": "nobody@example.org"}),
    )
    .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("email")));
    let (_, v) = get(&app, &ann, &format!("/api/v1/spaces/{space}")).await;
    assert_eq!(v["my_role"], "invited");
    assert_eq!(v["min_lived_share"], 0.5);
    let (s, _) = post(
        &app,
        &ann,
        &format!("/api/v1/spaces/{space}/join"),
        json!({}),
    )
    .await;
    assert_eq!(s, 204);
    assert!(app
        .outbox_messages()
        .iter()
        .any(|m| m.contains("Meadowfield community fund")));

    let (_, v) = post(
        &app,
        &fac,
        &format!("/api/v1/spaces/{space}/proposals"),
        json!({"title": "Fund the lunch club", "body": "It brings people together."}),
    )
    .await;
    let p = v["id"].as_i64().unwrap();
    put(
        &app,
        &fac,
        &format!("/api/v1/proposals/{p}/stance"),
        json!({"stance": "agree"}),
    )
    .await;
    put(
        &app,
        &ann,
        &format!("/api/v1/proposals/{p}/stance"),
        json!({"stance": "disagree", "reason": "Fund the garden too"}),
    )
    .await;
    let (_, v) = get(&app, &ann, &format!("/api/v1/proposals/{p}")).await;
    let stances = v["stances"].as_array().unwrap();
    assert_eq!(stances.len(), 2);
    for s in stances {
        // Nothing in a stance says whether its person declared lived experience.
        let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(
            keys.iter()
                .all(|k| ["id", "stance", "reason", "name", "mine", "response"].contains(k)),
            "{keys:?}"
        );
        if s["mine"] == true {
            assert_eq!(s["name"], "Member person");
        } else {
            assert!(
                s.get("name").is_none(),
                "names are hidden in this space: {s}"
            );
        }
    }
    assert_eq!(v["lived_experience"]["lived_stances"], 2);
    let (s, _) = get(&app, &out, &format!("/api/v1/proposals/{p}")).await;
    assert_eq!(s, 404);
    // The last facilitator cannot leave.
    let (s, v) = post(
        &app,
        &fac,
        &format!("/api/v1/spaces/{space}/leave"),
        json!({}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "last_facilitator"));
}

async fn a_funding_round_tallies_like_an_independent_count(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (fac, _) = member(&app, "fran@example.org", false).await;
    let (steward, _) = app.signed_in_as(Role::Steward, "stew@example.org").await;
    let (steward2, _) = app.signed_in_as(Role::Steward, "stella@example.org").await;
    let (group, _) = member(&app, "gail@example.org", false).await;
    let (voter, _) = member(&app, "vic@example.org", false).await;

    let (s, v) = post(&app, &fac, "/api/v1/rounds", json!({"name": "Meadowfield fund 2026", "pot_pence": 2_000_000, "max_bid_pence": 300_000, "method": "approval"})).await;
    assert_eq!(s, 201, "{v}");
    let r = v["id"].as_i64().unwrap();
    let base = format!("/api/v1/rounds/{r}");
    let (s, v) = post(
        &app,
        &group,
        &format!("{base}/bids"),
        json!({"title": "Too much", "summary": "x", "amount_pence": 300_001}),
    )
    .await;
    assert_eq!((s, code(&v)), (422, "over_the_limit"));
    let (s, _) = post(
        &app,
        &group,
        &format!("{base}/phase"),
        json!({"phase": "bids"}),
    )
    .await;
    assert_eq!(s, 403, "only facilitators move a round on");
    let (s, v) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "voting"}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "phase_out_of_order"));
    let (s, _) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "bids"}),
    )
    .await;
    assert_eq!(s, 200);

    // Fourteen bids; amounts repeat so ties are broken by amount and then by order.
    let amounts = [
        250_000, 120_000, 300_000, 80_000, 250_000, 150_000, 60_000, 200_000, 90_000, 300_000,
        45_000, 120_000, 175_000, 100_000,
    ];
    let mut bids = Vec::new();
    for (i, a) in amounts.iter().enumerate() {
        let (s, v) = post(
            &app,
            &group,
            &format!("{base}/bids"),
            json!({"title": format!("Bid {i}"), "summary": format!("What bid {i} will do"), "amount_pence": a, "group_name": format!("Group {i}"), "for_whom": "Neighbours"}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        bids.push((v["id"].as_i64().unwrap(), *a as i64));
    }
    post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "checks"}),
    )
    .await;
    let (s, v) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "voting"}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "bids_not_checked"));
    let (s, _) = post(
        &app,
        &group,
        &format!("{base}/bids/{}/check", bids[0].0),
        json!({"eligible": true}),
    )
    .await;
    assert_eq!(s, 403, "only stewards check bids");
    let (s, v) = post(
        &app,
        &steward,
        &format!("{base}/bids/{}/check", bids[13].0),
        json!({"eligible": false}),
    )
    .await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("reason")));
    for (i, (id, _)) in bids.iter().enumerate() {
        let body = if i == 13 {
            json!({"eligible": false, "reason": "It would pay for a trip abroad."})
        } else {
            json!({"eligible": true})
        };
        let (s, _) = post(&app, &steward, &format!("{base}/bids/{id}/check"), body).await;
        assert_eq!(s, 204);
    }
    let (s, _) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "voting"}),
    )
    .await;
    assert_eq!(s, 200);

    // Ballots through the API: checked, and changeable until voting closes.
    let (s, v) = put(
        &app,
        &voter,
        &format!("{base}/ballot"),
        json!({"bid_ids": [bids[13].0]}),
    )
    .await;
    assert_eq!((s, code(&v)), (422, "bid_not_eligible"));
    let (s, _) = put(
        &app,
        &voter,
        &format!("{base}/ballot"),
        json!({"bid_ids": [bids[0].0]}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, v) = put(
        &app,
        &voter,
        &format!("{base}/ballot"),
        json!({"bid_ids": [bids[1].0, bids[2].0, bids[1].0]}),
    )
    .await;
    assert_eq!(
        (s, v["bid_ids"].clone()),
        (200, json!([bids[1].0, bids[2].0]))
    );
    let mut expected: Vec<Vec<i64>> = vec![vec![bids[1].0, bids[2].0]];

    // Thousands more, from people put straight into the database.
    let mut rng = Lcg(42);
    let mut tx = app.store.begin().await.unwrap();
    let mut loaded = Vec::new();
    for n in 0..3_000 {
        let id = village_store::accounts::create_user(
            &mut tx,
            &village_store::accounts::NewUser {
                email: &format!("voter{n}@example.org"),
                display_name: "Voter",
                password_hash: "x",
                role: Role::Member,
            },
            1,
        )
        .await
        .unwrap();
        // Popular bids get more votes: bid i is chosen with chance (14 - i) / 16.
        let mut choice: Vec<i64> = bids[..13]
            .iter()
            .enumerate()
            .filter(|(i, _)| rng.next() % 16 < (14 - *i) as u64)
            .map(|(_, b)| b.0)
            .collect();
        choice.sort();
        loaded.push((id, choice.clone()));
        expected.push(choice);
    }
    village_store::decisions::put_ballots(&mut tx, r, &loaded, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // A paper typed in without its number comes back with the ticks the steward made.
    let papers = format!("/rounds/{r}/paper-ballots");
    let (one, two) = (bids[3].0.to_string(), bids[6].0.to_string());
    let r422 = app
        .post_form(
            &steward,
            &papers,
            &papers,
            &[("paper", ""), ("bid", &one), ("bid", &two)],
        )
        .await;
    assert_eq!(r422.status(), 422);
    let html = r422.text().await.unwrap();
    for (bid, ticked) in [(&one, true), (&two, true), (&bids[0].0.to_string(), false)] {
        let input = format!("id=\"paper-bid-{bid}\" name=\"bid\" value=\"{bid}\"");
        let at = html.find(&input).expect("the tick box is on the page");
        let rest = &html[at + input.len()..];
        let tag_end = rest.find('>').unwrap();
        assert_eq!(
            rest[..tag_end].contains("checked"),
            ticked,
            "bid {bid}: {}",
            &rest[..tag_end]
        );
    }

    // Paper ballots: two stewards, separately; a mismatch must be resolved.
    let (s, _) = post(
        &app,
        &group,
        &format!("{base}/paper-ballots"),
        json!({"paper": "P-1", "bid_ids": [bids[3].0]}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, v) = post(
        &app,
        &steward,
        &format!("{base}/paper-ballots"),
        json!({"paper": "p-1", "bid_ids": [bids[3].0, bids[6].0]}),
    )
    .await;
    assert_eq!((s, v["state"].as_str()), (201, Some("waiting_for_second")));
    // Blind double entry: until the second steward has typed it in, nobody sees what the
    // first typed, in the API or on the page.
    assert_eq!(v["entries"], json!([{}]));
    let (_, v) = get(&app, &steward2, &format!("{base}/paper-ballots")).await;
    assert_eq!(v[0]["entries"], json!([{}]), "{v}");
    let (_, html) = app.page_as(&steward2, &papers).await;
    let typed = &html[html.find("Typed in so far").unwrap()..];
    assert!(!typed.contains("Entry 1"), "{typed}");
    assert!(typed.contains("Typed in by"), "{typed}");
    let (s, v) = post(
        &app,
        &steward,
        &format!("{base}/paper-ballots"),
        json!({"paper": "P-1", "bid_ids": [bids[3].0, bids[6].0]}),
    )
    .await;
    assert_eq!((s, code(&v)), (422, "same_steward"));
    let (s, v) = post(
        &app,
        &steward2,
        &format!("{base}/paper-ballots"),
        json!({"paper": "P-1", "bid_ids": [bids[6].0, bids[3].0]}),
    )
    .await;
    assert_eq!((s, v["state"].as_str()), (201, Some("agreed")));
    let both = json!([{"bid_ids": [bids[3].0, bids[6].0]}, {"bid_ids": [bids[3].0, bids[6].0]}]);
    assert_eq!(
        v["entries"], both,
        "both entries are shown once both are in"
    );
    expected.push(vec![bids[3].0, bids[6].0]);
    post(
        &app,
        &steward,
        &format!("{base}/paper-ballots"),
        json!({"paper": "P-2", "bid_ids": [bids[4].0]}),
    )
    .await;
    let (_, v) = post(
        &app,
        &steward2,
        &format!("{base}/paper-ballots"),
        json!({"paper": "P-2", "bid_ids": [bids[5].0]}),
    )
    .await;
    assert_eq!(v["state"], "mismatch");
    let (s, v) = get(&app, &fac, &format!("{base}/results")).await;
    assert_eq!((s, code(&v)), (409, "results_not_ready"));
    let (s, v) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "results"}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "paper_ballots_unresolved"));
    let (s, _) = post(
        &app,
        &steward,
        &format!("{base}/paper-ballots/P-2/resolve"),
        json!({"bid_ids": [bids[4].0], "note": "The cross is in box 5."}),
    )
    .await;
    assert_eq!(s, 204);
    expected.push(vec![bids[4].0]);
    let (s, v) = get(&app, &steward2, &format!("{base}/paper-ballots")).await;
    assert_eq!(s, 200);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["counted"].is_array()));

    let (s, _) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "results"}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = put(
        &app,
        &voter,
        &format!("{base}/ballot"),
        json!({"bid_ids": [bids[0].0]}),
    )
    .await;
    assert_eq!(s, 409, "voting has closed");

    // The independent count: tally the ballots we made, then fund by the documented rule.
    let mut counts: BTreeMap<i64, u64> = bids[..13].iter().map(|b| (b.0, 0)).collect();
    for ballot in &expected {
        for b in ballot {
            *counts.get_mut(b).unwrap() += 1;
        }
    }
    let mut order: Vec<(i64, i64)> = bids[..13].to_vec();
    order.sort_by(|a, b| {
        counts[&b.0]
            .cmp(&counts[&a.0])
            .then(a.1.cmp(&b.1))
            .then(a.0.cmp(&b.0))
    });
    let mut left = 2_000_000i64;
    let mut funded = Vec::new();
    for (id, amount) in &order {
        if *amount <= left {
            left -= amount;
            funded.push(*id);
        }
    }
    let (s, v) = get(&app, &app.client(), &format!("{base}/results")).await;
    assert_eq!(s, 200, "results are public: {v}");
    let got: BTreeMap<i64, u64> = v["counts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.parse().unwrap(), n.as_u64().unwrap()))
        .collect();
    assert_eq!(got, counts);
    assert_eq!(v["funded"], json!(funded));
    assert_eq!(v["left_pence"], left);
    assert_eq!(v["ballots"], expected.len());
    assert_eq!(v["paper_ballots"], 2);
    assert!(!v["funded"].as_array().unwrap().contains(&json!(bids[13].0)));
    assert!(v["method"].as_str().unwrap().contains("smaller amount"));

    // 360Giving: valid against the standard's schemas, one grant per funded bid.
    let r360 = app
        .client()
        .get(app.url(&format!("{base}/360giving.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(r360.status(), 200);
    let package: Value = r360.json().await.unwrap();
    assert_eq!(package["grants"].as_array().unwrap().len(), funded.len());
    {
        let (package_schema, grant_schema) = giving_schemas();
        let errors: Vec<String> = package_schema
            .iter_errors(&package)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        for g in package["grants"].as_array().unwrap() {
            let errors: Vec<String> = grant_schema
                .iter_errors(g)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{g}: {errors:?}");
        }
    }
    let first = &package["grants"][0];
    assert_eq!(first["currency"], "GBP");
    let first_bid = bids.iter().find(|b| b.0 == funded[0]).unwrap();
    assert_eq!(
        first["amountAwarded"].as_f64().unwrap(),
        first_bid.1 as f64 / 100.0
    );
    let csv = app
        .client()
        .get(app.url(&format!("{base}/360giving.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("Identifier,Title,Description,Currency"));
    assert_eq!(lines.count(), funded.len());

    // The group that bid hears how each bid did.
    let (_, notices) = get(&app, &group, "/api/v1/me/notifications").await;
    let bodies: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies.iter().filter(|b| b.ends_with("is funded.")).count(),
        funded.len()
    );
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("\u{201c}Bid 13\u{201d} could not go forward")),
        "{bodies:?}"
    );

    // Delivery: the group that bid posts updates on funded bids only.
    post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "delivery"}),
    )
    .await;
    let unfunded = bids[..13]
        .iter()
        .find(|b| !funded.contains(&b.0))
        .unwrap()
        .0;
    let (s, v) = post(
        &app,
        &group,
        &format!("{base}/bids/{unfunded}/updates"),
        json!({"text": "We started"}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "not_funded"));
    let (s, _) = post(
        &app,
        &voter,
        &format!("{base}/bids/{}/updates", funded[0]),
        json!({"text": "Not mine"}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = post(
        &app,
        &group,
        &format!("{base}/bids/{}/updates", funded[0]),
        json!({"text": "Twelve people came to the first session."}),
    )
    .await;
    assert_eq!(s, 201);
    let (_, v) = get(&app, &voter, &base).await;
    let b = v["bids"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == funded[0])
        .unwrap();
    assert_eq!(
        b["delivery_updates"][0]["text"],
        "Twelve people came to the first session."
    );
}

async fn knapsack_ballots_fit_the_pot_and_rounds_are_refused_out_of_order(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (fac, _) = member(&app, "fran@example.org", false).await;
    let (steward, _) = app.signed_in_as(Role::Steward, "stew@example.org").await;
    let (s, v) = post(&app, &fac, "/api/v1/rounds", json!({"name": "Small fund", "pot_pence": 100_000, "max_bid_pence": 200_000, "method": "knapsack"})).await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("max_bid_pence"))
    );
    let (s, v) = post(&app, &fac, "/api/v1/rounds", json!({"name": "Small fund", "pot_pence": 100_000, "max_bid_pence": 60_000, "method": "ranked"})).await;
    assert_eq!((s, v["error"]["field"].as_str()), (422, Some("method")));
    let (_, v) = post(&app, &fac, "/api/v1/rounds", json!({"name": "Small fund", "pot_pence": 100_000, "max_bid_pence": 60_000, "method": "knapsack"})).await;
    let r = v["id"].as_i64().unwrap();
    let base = format!("/api/v1/rounds/{r}");
    let (s, _) = post(
        &app,
        &fac,
        &format!("{base}/ideas"),
        json!({"title": "Benches by the pond"}),
    )
    .await;
    assert_eq!(s, 201);
    let mut ids = Vec::new();
    for a in [60_000, 50_000] {
        let (_, v) = post(&app, &fac, &format!("{base}/bids"), json!({"title": "A bid", "summary": "Something good", "amount_pence": a, "charity_number": "1123456"})).await;
        ids.push(v["id"].as_i64().unwrap());
    }
    let (_, round) = get(&app, &fac, &base).await;
    assert_eq!(
        round["bids"][0]["group_name"], "Unnamed community group",
        "bids are public: never the bidder's own name unless they write it"
    );
    let (s, v) = post(&app, &fac, &format!("{base}/bids"), json!({"title": "A bid", "summary": "Something", "amount_pence": 10, "charity_number": "12ab"})).await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (422, Some("charity_number"))
    );
    for phase in ["bids", "checks"] {
        post(
            &app,
            &fac,
            &format!("{base}/phase"),
            json!({"phase": phase}),
        )
        .await;
    }
    let (s, v) = post(
        &app,
        &fac,
        &format!("{base}/bids"),
        json!({"title": "Late", "summary": "x", "amount_pence": 10}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "wrong_phase"));
    for id in &ids {
        post(
            &app,
            &steward,
            &format!("{base}/bids/{id}/check"),
            json!({"eligible": true}),
        )
        .await;
    }
    post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "voting"}),
    )
    .await;
    let (s, v) = put(
        &app,
        &fac,
        &format!("{base}/ballot"),
        json!({"bid_ids": ids}),
    )
    .await;
    assert_eq!((s, code(&v)), (422, "over_the_pot"));
    let (s, _) = put(
        &app,
        &fac,
        &format!("{base}/ballot"),
        json!({"bid_ids": [ids[1]]}),
    )
    .await;
    assert_eq!(s, 200);
    let (_, v) = get(&app, &fac, &format!("{base}/ballot")).await;
    assert_eq!(v["bid_ids"], json!([ids[1]]));
    let (s, _) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "results"}),
    )
    .await;
    assert_eq!(s, 200);
    let (_, v) = get(&app, &fac, &format!("{base}/results")).await;
    // The bid with the vote is funded; the other (60,000) no longer fits in the 50,000 left.
    assert_eq!(v["funded"], json!([ids[1]]));
    assert_eq!(v["skipped"], json!([ids[0]]));
    let (_, package) = get(&app, &fac, &format!("{base}/360giving.json")).await;
    assert_eq!(
        package["grants"][0]["recipientOrganization"][0]["id"],
        "GB-CHC-1123456"
    );
    let (s, v) = post(
        &app,
        &fac,
        &format!("{base}/phase"),
        json!({"phase": "results"}),
    )
    .await;
    assert_eq!((s, code(&v)), (409, "phase_out_of_order"));
}

/// The 360Giving package schema (with the list of grants left to the grant schema) and the
/// grant schema, from `tests/fixtures/standards/360giving`.
fn giving_schemas() -> (jsonschema::Validator, jsonschema::Validator) {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/standards/360giving");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let mut package = read("360-giving-package-schema.json");
    package["properties"]["grants"]["items"] = json!({"type": "object"});
    let grant = read("360-giving-schema.json");
    let build = |s: &Value| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(s)
            .unwrap()
    };
    (build(&package), build(&grant))
}

async fn page(app: &TestApp, client: &Client, path: &str) -> (u16, String) {
    let r = client.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

async fn the_pages_refuse_a_close_until_the_rule_and_every_block_are_met(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (fac, _) = member(&app, "fran@example.org", false).await;
    let (ann, _) = member(&app, "ann@example.org", true).await;
    let (bob, _) = member(&app, "bob@example.org", true).await;
    let (cat, _) = member(&app, "cat@example.org", true).await;

    // A space and a proposal, made with the forms.
    let r = app
        .post_form(
            &fac,
            "/spaces/new",
            "/spaces/new",
            &[
                ("name", "Co-production board"),
                ("min_lived_share", "50"),
                ("min_lived_count", "three"),
                ("open", "open"),
                ("update_every_days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("There is a problem") && html.contains("href=\"#min_lived_count\""),
        "{html}"
    );
    let r = app
        .post_form(
            &fac,
            "/spaces/new",
            "/spaces/new",
            &[
                ("name", "Co-production board"),
                ("min_lived_share", "50"),
                ("min_lived_count", "3"),
                ("open", "open"),
                ("update_every_days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let space = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    for c in [&ann, &bob, &cat] {
        let r = app
            .post_form(c, &space, &format!("{space}/join"), &[])
            .await;
        assert_eq!(r.status(), 303);
    }
    let r = app
        .post_form(
            &ann,
            &space,
            &format!("{space}/proposals"),
            &[
                ("title", "Meet on Tuesdays"),
                ("body", "Tuesdays suit carers best."),
                ("affects", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let proposal = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (s, html) = page(&app, &ann, &proposal).await;
    assert_eq!(s, 200);
    assert!(
        html.contains(
            "This cannot be decided yet: it needs more views from people with lived experience"
        ),
        "{html}"
    );

    let r = app
        .post_form(
            &ann,
            &proposal,
            &format!("{proposal}/stance"),
            &[("stance", "agree"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &bob,
            &proposal,
            &format!("{proposal}/stance"),
            &[("stance", "block"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status(), 422, "a block needs a reason");
    let r = app
        .post_form(
            &bob,
            &proposal,
            &format!("{proposal}/stance"),
            &[
                ("stance", "block"),
                ("reason", "Tuesday is dialysis day for me."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    let close = [
        ("agreed", "yes"),
        ("decision", "We meet on Tuesdays."),
        ("reasons", "Most carers can come."),
        ("dissent_summary", "One person cannot come on Tuesdays."),
    ];
    let r = app
        .post_form(&fac, &proposal, &format!("{proposal}/close"), &close)
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("href=\"#lived\"")
            && html.contains("it needs more views from people with lived experience"),
        "{html}"
    );
    let r = app
        .post_form(
            &cat,
            &proposal,
            &format!("{proposal}/stance"),
            &[("stance", "agree"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(&fac, &proposal, &format!("{proposal}/close"), &close)
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("href=\"#blocks\"") && html.contains("1 block has no answer"),
        "{html}"
    );
    assert!(
        html.contains("We meet on Tuesdays."),
        "what was typed is kept"
    );
    let (_, v) = get(&app, &fac, &format!("/api/v1{proposal}")).await;
    assert_eq!(v["status"], "open");
    let block = v["stances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stance"] == "block")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let answer_field = format!("answer_{block}");
    let mut answered = close.to_vec();
    answered.push((
        answer_field.as_str(),
        "We will also meet on a Thursday each month.",
    ));
    let r = app
        .post_form(&fac, &proposal, &format!("{proposal}/close"), &answered)
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = page(&app, &cat, &proposal).await;
    assert!(
        html.contains("Tuesday is dialysis day for me.")
            && html.contains("We will also meet on a Thursday each month."),
        "the dissent is published with its answer"
    );
}

async fn a_round_runs_through_the_pages(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (fac, _) = member(&app, "fran@example.org", false).await;
    let (steward, _) = app.signed_in_as(Role::Steward, "stew@example.org").await;
    let (gail, _) = member(&app, "gail@example.org", false).await;
    let r = app
        .post_form(
            &fac,
            "/rounds/new",
            "/rounds/new",
            &[
                ("name", "Garden fund"),
                ("pot", "£1,000"),
                ("max_bid", "lots"),
                ("method", "approval"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &fac,
            "/rounds/new",
            "/rounds/new",
            &[
                ("name", "Garden fund"),
                ("pot", "£1,000"),
                ("max_bid", "600"),
                ("method", "approval"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let round = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = app
        .post_form(
            &gail,
            &round,
            &format!("{round}/ideas"),
            &[("idea_title", "More benches"), ("idea_body", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &fac,
            &round,
            &format!("{round}/phase"),
            &[("phase", "bids")],
        )
        .await;
    assert_eq!(r.status(), 303);
    for (title, amount) in [
        ("Seeds and tools", "450"),
        ("Benches", "600"),
        ("Too big", "601"),
    ] {
        let r = app
            .post_form(
                &gail,
                &round,
                &format!("{round}/bids"),
                &[
                    ("group_name", "Allotment friends"),
                    ("title", title),
                    ("summary", "For the garden"),
                    ("for_whom", ""),
                    ("amount", amount),
                    ("charity_number", ""),
                ],
            )
            .await;
        if title == "Too big" {
            assert_eq!(r.status(), 422);
            assert!(r.text().await.unwrap().contains("href=\"#amount\""));
        } else {
            assert_eq!(r.status(), 303);
        }
    }
    app.post_form(
        &fac,
        &round,
        &format!("{round}/phase"),
        &[("phase", "checks")],
    )
    .await;
    let r = app
        .post_form(
            &fac,
            &round,
            &format!("{round}/phase"),
            &[("phase", "voting")],
        )
        .await;
    assert_eq!(r.status(), 422, "bids must be checked first");
    let (_, v) = get(&app, &fac, &format!("/api/v1{round}")).await;
    let ids: Vec<i64> = v["bids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_i64().unwrap())
        .collect();
    for id in &ids {
        let r = app
            .post_form(
                &steward,
                &round,
                &format!("{round}/bids/{id}/check"),
                &[("eligible", "yes"), ("reason", "")],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    app.post_form(
        &fac,
        &round,
        &format!("{round}/phase"),
        &[("phase", "voting")],
    )
    .await;
    let a = ids[0].to_string();
    let b = ids[1].to_string();
    let r = app
        .post_form(
            &gail,
            &round,
            &format!("{round}/ballot"),
            &[("bid", &a), ("bid", &b)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(&fac, &round, &format!("{round}/ballot"), &[("bid", &b)])
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = page(&app, &gail, &round).await;
    assert!(html.contains("Change my ballot"));
    let r = app
        .post_form(
            &fac,
            &round,
            &format!("{round}/phase"),
            &[("phase", "results")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (s, html) = page(&app, &app.client(), &format!("{round}/results")).await;
    assert_eq!(s, 200, "results are public");
    assert!(html.contains("How the results were worked out") && html.contains("smaller amount"));
    // Benches: 2 votes, funded (£600); seeds: 1 vote, £450 no longer fits in £400.
    assert!(html.contains("<th scope=\"row\">Benches</th><td>Allotment friends</td><td>£600</td><td>2</td><td>Funded</td>"), "{html}");
    assert!(html.contains("Not funded"));
    assert!(html.contains("360giving.json"));
}

/// Four members take and change their stance on one proposal over and over, all at the same
/// moment: every stance is taken (none refused because the database was busy), and each
/// member's last stance is the one the proposal shows.
async fn stances_taken_at_the_same_moment_all_count(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let fac = app.member("fran@example.org", false).await;
    let space = app.space(&fac, "Board", 1).await;
    let mut voters = Vec::new();
    for n in 0..4 {
        let voter = app
            .member(&format!("voter{n}@example.org"), n % 2 == 0)
            .await;
        let (s, _) = app
            .post_json(
                &voter.client,
                &format!("/api/v1/spaces/{space}/join"),
                json!({}),
            )
            .await;
        assert_eq!(s, 204);
        let token = app.csrf(&voter.client, "/account").await;
        voters.push((voter.client, token));
    }
    let (s, v) = app
        .post_json(
            &voters[0].0,
            &format!("/api/v1/spaces/{space}/proposals"),
            json!({"title": "Meet in the library", "body": "It is step-free."}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let path = format!("/api/v1/proposals/{}/stance", v["id"].as_i64().unwrap());
    const TIMES: usize = 20;
    let stance = |i: usize| ["agree", "abstain", "disagree"][i % 3];
    let app = std::sync::Arc::new(app);
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (client, token)) in voters.iter().cloned().enumerate() {
        let (app, path) = (app.clone(), path.clone());
        tasks.spawn(async move {
            let mut refused = Vec::new();
            for i in 0..TIMES {
                let r = client
                    .put(app.url(&path))
                    .header("x-csrf-token", &token)
                    .json(
                        &json!({"stance": stance(i + n), "reason": format!("voter {n}, time {i}")}),
                    )
                    .send()
                    .await
                    .unwrap();
                if !r.status().is_success() {
                    refused.push(format!("voter {n}, time {i}: {}", r.status()));
                }
            }
            refused
        });
    }
    let mut refused = Vec::new();
    while let Some(done) = tasks.join_next().await {
        refused.extend(done.unwrap());
    }
    assert!(refused.is_empty(), "stances refused: {refused:?}");
    let (s, v) = get(&app, &voters[0].0, path.trim_end_matches("/stance")).await;
    assert_eq!(s, 200, "{v}");
    let reasons: Vec<String> = v["stances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap_or("").to_string())
        .collect();
    for n in 0..4 {
        let last = format!("voter {n}, time {}", TIMES - 1);
        assert!(reasons.contains(&last), "{last} is not among {reasons:?}");
    }
    assert_eq!(reasons.len(), 4, "one stance each: {reasons:?}");
}

async fn a_bid_names_its_group_in_the_directory(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.offer(
        "Allotment mornings",
        json!({"organization": {"id": "allotment-friends", "name": "Allotment Friends"}}),
    )
    .await;
    let fac = app.member("fran@example.org", false).await;
    let r = app.round(&fac, "Growing fund", 100_000).await;
    let bids = format!("/api/v1/rounds/{r}/bids");
    let bid = |group: Value| {
        let mut b = json!({"title": "Raised beds", "summary": "Beds for wheelchair users", "amount_pence": 30_000, "group_name": "Allotment Friends"});
        if let (Some(b), Some(g)) = (b.as_object_mut(), group.as_object()) {
            b.extend(g.clone());
        }
        b
    };
    let (s, v) = post(
        &app,
        &fac.client,
        &bids,
        bid(json!({"group_id": "no-such-group"})),
    )
    .await;
    assert_eq!(
        (s, v["error"]["field"].as_str(), code(&v)),
        (422, Some("group_id"), "group_unknown")
    );
    let (s, _) = post(
        &app,
        &fac.client,
        &bids,
        bid(json!({"group_id": "allotment-friends"})),
    )
    .await;
    assert_eq!(s, 201);
    // Its name before December 2026 is still read.
    let (s, _) = post(
        &app,
        &fac.client,
        &bids,
        bid(json!({"organisation_id": "allotment-friends"})),
    )
    .await;
    assert_eq!(s, 201);
    let (_, round) = get(&app, &fac.client, &format!("/api/v1/rounds/{r}")).await;
    let groups: Vec<&Value> = round["bids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["group_id"])
        .collect();
    assert_eq!(
        groups,
        [&json!("allotment-friends"), &json!("allotment-friends")]
    );
}

/// In a space that shows names, watching the lived-experience count while named people take
/// stances must not tell who declared lived experience: below 8 it reads "fewer than 8" (and
/// how many more are needed is not said), on the page and in the API alike.
async fn where_names_are_shown_no_declaration_can_be_read_off_the_count(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let fac = app.member("fran@example.org", false).await;
    let space = app.space(&fac, "Street board", 3).await;
    let (s, v) = post(
        &app,
        &fac.client,
        &format!("/api/v1/spaces/{space}/proposals"),
        json!({"title": "A bench by the shop", "body": "Somewhere to rest."}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let p = v["id"].as_i64().unwrap();
    // What a third member sees of the voices: the API's numbers and the page's words.
    let watcher = app.member("wat@example.org", false).await;
    let seen = || async {
        let (_, v) = get(&app, &watcher.client, &format!("/api/v1/proposals/{p}")).await;
        let mut lived = v["lived_experience"].clone();
        lived["stances"] = json!(null);
        let html = watcher
            .client
            .get(app.url(&format!("/proposals/{p}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = html.find("id=\"lived\"").expect("the voices section");
        let words = html[at..].split("</p>").take(2).collect::<String>();
        (lived, words.replace(|c: char| c.is_ascii_digit(), "#"))
    };
    let (s, _) = put(
        &app,
        &fac.client,
        &format!("/api/v1/proposals/{p}/stance"),
        json!({"stance": "abstain"}),
    )
    .await;
    assert_eq!(s, 200);
    let mut seen_after = Vec::new();
    for (email, lived) in [("nia@example.org", false), ("dev@example.org", true)] {
        let person = app.member(email, lived).await;
        let (s, _) = post(
            &app,
            &person.client,
            &format!("/api/v1/spaces/{space}/join"),
            json!({}),
        )
        .await;
        assert_eq!(s, 204);
        let (s, _) = put(
            &app,
            &person.client,
            &format!("/api/v1/proposals/{p}/stance"),
            json!({"stance": "agree", "reason": "Yes please"}),
        )
        .await;
        assert_eq!(s, 200);
        seen_after.push(seen().await);
    }
    assert_eq!(
        seen_after[0], seen_after[1],
        "Dev declared and Nia did not: the count must not move when Dev's named stance comes in"
    );
    let (lived, words) = &seen_after[1];
    assert_eq!(lived["lived_stances_fewer_than"], 8);
    assert!(
        lived.get("lived_stances").is_none() && lived.get("more_needed").is_none(),
        "{lived}"
    );
    assert!(words.contains("we do not say how many"), "{words}");

    // Where names are hidden the exact count is shown: no name sits beside it.
    let (s, v) = post(&app, &fac.client, "/api/v1/spaces", json!({"name": "Quiet board", "min_lived_share": 0.5, "min_lived_count": 1, "open": true, "hide_names": true})).await;
    assert_eq!(s, 201, "{v}");
    let quiet = v["id"].as_i64().unwrap();
    let (_, v) = post(
        &app,
        &fac.client,
        &format!("/api/v1/spaces/{quiet}/proposals"),
        json!({"title": "Tea", "body": "More tea."}),
    )
    .await;
    let q = v["id"].as_i64().unwrap();
    let dev = app.member("dev2@example.org", true).await;
    post(
        &app,
        &dev.client,
        &format!("/api/v1/spaces/{quiet}/join"),
        json!({}),
    )
    .await;
    put(
        &app,
        &dev.client,
        &format!("/api/v1/proposals/{q}/stance"),
        json!({"stance": "agree", "reason": "Yes"}),
    )
    .await;
    let (_, v) = get(&app, &fac.client, &format!("/api/v1/proposals/{q}")).await;
    assert_eq!(v["lived_experience"]["lived_stances"], 1, "{v}");
}
