//! People at the centre, on SQLite and PostgreSQL: the whole access matrix through pages and
//! the API, supporters' edits and undo, the consent ledger, circles and connectors, and
//! "forget me" leaving no trace on disk.
use reqwest::Client;
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_domain::people::{Section, Visibility};
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    distances_are_in_miles_unless_the_hub_says_kilometres,
    the_access_matrix_holds_on_pages_and_the_api,
    a_supporters_edit_is_kept_with_their_name_and_can_be_undone,
    forget_me_leaves_no_trace,
    a_failed_sign_in_keeps_no_email_address,
    bad_profile_input_is_named_and_nothing_is_half_written,
    the_circle_page_draws_the_circle_and_takes_invitations,
    a_connector_writes_notes_the_person_reads_and_answers,
    looks_are_written_on_a_hub_with_a_pool_of_one,
    people_saving_at_the_same_moment_all_succeed,
    people_choose_a_connector_knowing_who_they_are_and_how_they_work,
);

/// A signed-in client's CSRF token (the cookie's value, as the pages carry it).
async fn token(app: &TestApp, client: &Client) -> String {
    // Signed in: any page with the sign-out form; not signed in: the sign-in form.
    for page in ["/account", "/sign-in"] {
        let r = client.get(app.url(page)).send().await.unwrap();
        if r.status() == 200 {
            let html = r.text().await.unwrap();
            if html.contains("name=\"csrf_token\"") {
                return village_testkit::extract_csrf(&html);
            }
        }
    }
    panic!("no page with a form token")
}

async fn api(
    app: &TestApp,
    client: &Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    app.call(client, method, path, body).await
}

async fn get_json(app: &TestApp, client: &Client, path: &str) -> (u16, Value) {
    app.get_json(client, path).await
}

fn word(section: Section, v: Visibility) -> String {
    format!(
        "w{}{}",
        section.key().replace('_', ""),
        v.code().replace('_', "")
    )
}

/// Every section filled with words unique to the section and visibility, all at `v`.
fn whole_profile(v: Visibility) -> Value {
    let mut body = serde_json::Map::new();
    for &s in Section::ALL {
        let value = match s {
            Section::BirthYear => json!({"value": 1937, "visibility": v}),
            Section::Travel => {
                json!({"text": word(s, v), "visibility": v, "postcode": "MF1 1AA", "max_km": 4})
            }
            Section::Availability => {
                json!({"text": word(s, v), "visibility": v, "slots": [{"day": "TU", "from": "10:00", "to": "12:00"}]})
            }
            Section::AccessNeeds => {
                json!({"text": word(s, v), "visibility": v, "needs": ["quiet_space"], "essential": ["step_free"]})
            }
            Section::Interests => {
                json!({"text": word(s, v), "visibility": v, "terms": ["61abac26-4213-44de-91ce-c2c7650cfcb1"]})
            }
            _ => json!({"text": word(s, v), "visibility": v}),
        };
        body.insert(s.key().into(), value);
    }
    Value::Object(body)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Rel {
    Themself,
    Supporter,
    Circle,
    Connector,
    Member,
    Anonymous,
}

fn reaches(rel: Rel, v: Visibility) -> bool {
    match rel {
        Rel::Themself => true,
        Rel::Supporter | Rel::Circle => v >= Visibility::Circle,
        Rel::Connector => v >= Visibility::Connectors,
        Rel::Member => v >= Visibility::Members,
        Rel::Anonymous => v == Visibility::Public,
    }
}

async fn the_access_matrix_holds_on_pages_and_the_api(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (pat, pat_id) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (cara, cara_id) = app.signed_in_as(Role::Member, "cara@example.org").await;
    let (sam, sam_id) = app.signed_in_as(Role::Member, "sam@example.org").await;
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;
    let (other_connector, _) = app.signed_in_as(Role::Connector, "kofi@example.org").await;
    let (mo, _) = app.signed_in_as(Role::Member, "mo@example.org").await;
    let (steward, steward_id) = app.signed_in_as(Role::Steward, "stew@example.org").await;
    let (officer, _) = app
        .signed_in_as(Role::CouncilOfficer, "officer@example.org")
        .await;
    let (admin, _) = app.signed_in_as(Role::HubAdmin, "ada@example.org").await;
    let anonymous = app.client();
    // The steward is also a safeguarding lead: that gives nothing on profiles either.
    let (s, _) = api(
        &app,
        &admin,
        reqwest::Method::PUT,
        &format!("/api/v1/admin/users/{steward_id}/safeguarding-lead"),
        Some(json!({"lead": true})),
    )
    .await;
    assert_eq!(s, 204);

    // Pat's circle: Cara (circle), Sam (supporter); Connie is Pat's chosen connector.
    for (email, name) in [("cara@example.org", "Cara"), ("sam@example.org", "Sam")] {
        let (s, _) = api(
            &app,
            &pat,
            reqwest::Method::POST,
            "/api/v1/me/circle",
            Some(json!({"ring": "family_friends", "name": name, "member_email": email})),
        )
        .await;
        assert_eq!(s, 201);
    }
    // Not in the circle until they accept: Cara sees nothing shared with the circle yet.
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::PUT,
        "/api/v1/me/profile",
        Some(json!({"story": {"text": "early words", "visibility": "circle"}})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        get_json(&app, &cara, &format!("/api/v1/people/{pat_id}/profile"))
            .await
            .0,
        404
    );
    for client in [&cara, &sam] {
        let (_, circles) = get_json(&app, client, "/api/v1/me/circle").await;
        let entry = circles["invitations_and_memberships"][0]["entry_id"]
            .as_i64()
            .unwrap();
        let (s, _) = api(
            &app,
            client,
            reqwest::Method::POST,
            &format!("/api/v1/me/circle-invitations/{entry}/accept"),
            None,
        )
        .await;
        assert_eq!(s, 204);
    }
    let (_, circle) = get_json(&app, &pat, "/api/v1/me/circle").await;
    let sam_entry = circle["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["member_id"] == sam_id)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (s, entry) = api(
        &app,
        &pat,
        reqwest::Method::PATCH,
        &format!("/api/v1/me/circle/{sam_entry}"),
        Some(json!({"supporter": true})),
    )
    .await;
    assert_eq!((s, entry["supporter"].clone()), (200, json!(true)));
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/connectors",
        Some(json!({"connector_id": connie_id})),
    )
    .await;
    assert_eq!(s, 204);

    let viewers: Vec<(&str, Option<&Client>, Rel)> = vec![
        ("pat", Some(&pat), Rel::Themself),
        ("sam", Some(&sam), Rel::Supporter),
        ("cara", Some(&cara), Rel::Circle),
        ("connie", Some(&connie), Rel::Connector),
        ("another connector", Some(&other_connector), Rel::Member),
        ("mo", Some(&mo), Rel::Member),
        (
            "a steward and safeguarding lead",
            Some(&steward),
            Rel::Member,
        ),
        ("a council officer", Some(&officer), Rel::Member),
        ("a hub admin", Some(&admin), Rel::Member),
        ("anonymous", Some(&anonymous), Rel::Anonymous),
    ];
    for &v in Visibility::ALL {
        let (s, _) = api(
            &app,
            &pat,
            reqwest::Method::PUT,
            "/api/v1/me/profile",
            Some(whole_profile(v)),
        )
        .await;
        assert_eq!(s, 200, "{v:?}");
        for (who, client, rel) in &viewers {
            let client = client.unwrap();
            let visible = reaches(*rel, v);
            let knows = matches!(rel, Rel::Supporter | Rel::Circle | Rel::Connector);
            // The API.
            let path = if *rel == Rel::Themself {
                "/api/v1/me/profile".to_string()
            } else {
                format!("/api/v1/people/{pat_id}/profile")
            };
            let (status, body) = get_json(&app, client, &path).await;
            if !visible && !knows {
                assert_eq!(
                    status, 404,
                    "{who} at {v:?}: a person with nothing shared is not there"
                );
            } else {
                assert_eq!(status, 200, "{who} at {v:?}");
                for &s in Section::ALL {
                    assert_eq!(
                        body.get(s.key()).is_some(),
                        visible,
                        "{who} at {v:?}: API section {}",
                        s.key()
                    );
                }
                if visible {
                    assert_eq!(body["story"]["text"], json!(word(Section::Story, v)));
                    assert_eq!(body["travel"]["postcode"], json!("MF1 1AA"));
                    assert_eq!(body["birth_year"]["value"], json!(1937));
                }
            }
            // The page.
            let page = if *rel == Rel::Themself {
                "/me/profile".to_string()
            } else {
                format!("/people/{pat_id}")
            };
            let r = client.get(app.url(&page)).send().await.unwrap();
            let status = r.status().as_u16();
            let html = r.text().await.unwrap();
            if !visible && !knows {
                assert_eq!(status, 404, "{who} at {v:?}: page");
            } else {
                assert_eq!(status, 200, "{who} at {v:?}: page");
            }
            for &s in Section::ALL {
                let shown = if s == Section::BirthYear {
                    html.contains("1937")
                } else {
                    html.contains(&word(s, v))
                };
                assert_eq!(shown, visible, "{who} at {v:?}: page section {}", s.key());
            }
            // Changing the words: only the person, and a supporter who can read the section.
            if *rel != Rel::Themself {
                let mine = format!("edit by {who}");
                let (status, _) = api(
                    &app,
                    client,
                    reqwest::Method::PUT,
                    &format!("/api/v1/people/{pat_id}/profile"),
                    Some(json!({"story": {"text": mine}})),
                )
                .await;
                let may = *rel == Rel::Supporter && visible;
                assert_eq!(
                    status == 200,
                    may,
                    "{who} at {v:?}: API edit answered {status}"
                );
                if !may {
                    assert!(
                        matches!(status, 401 | 403 | 404),
                        "{who} at {v:?}: refused with {status}"
                    );
                }
                let t = token(&app, client).await;
                let r = client
                    .post(app.url(&format!("/people/{pat_id}/profile/story")))
                    .form(&[("csrf_token", t.as_str()), ("text", "page edit")])
                    .send()
                    .await
                    .unwrap();
                let saved = r.status() == 303
                    && r.headers()
                        .get("location")
                        .is_some_and(|l| l.to_str().unwrap().ends_with("?done=saved"));
                assert_eq!(
                    saved,
                    may,
                    "{who} at {v:?}: page edit answered {}",
                    r.status()
                );
                if !may {
                    assert_ne!(r.status(), 200);
                    let (_, back) = get_json(&app, &pat, "/api/v1/me/profile").await;
                    assert_eq!(
                        back["story"]["text"],
                        json!(word(Section::Story, v)),
                        "{who} at {v:?} changed the story"
                    );
                }
                // Who sees what stays the person's choice, even for a supporter.
                let (status, _) = api(
                    &app,
                    client,
                    reqwest::Method::PUT,
                    &format!("/api/v1/people/{pat_id}/profile"),
                    Some(json!({"story": {"visibility": "public"}})),
                )
                .await;
                if v != Visibility::Public {
                    assert_ne!(status, 200, "{who} at {v:?} changed who sees the story");
                }
                let (_, back) = get_json(&app, &pat, "/api/v1/me/profile").await;
                assert_eq!(back["story"]["visibility"], json!(v), "{who} at {v:?}");
                // Put the story back for the next viewer.
                api(
                    &app,
                    &pat,
                    reqwest::Method::PUT,
                    "/api/v1/me/profile",
                    Some(json!({"story": {"text": word(Section::Story, v)}})),
                )
                .await;
            }
        }
    }

    // Every look by someone else is in Pat's "who has looked" list, including a visitor who
    // was not signed in; Pat's own looks are not.
    let (_, log) = get_json(&app, &pat, "/api/v1/me/access-log?limit=500").await;
    let looks: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "personal_data_viewed")
        .collect();
    let actors: std::collections::HashSet<Option<i64>> =
        looks.iter().map(|e| e["actor_id"].as_i64()).collect();
    for id in [Some(sam_id), Some(cara_id), Some(connie_id), None] {
        assert!(actors.contains(&id), "{id:?} looked and is not in the list");
    }
    assert!(!actors.contains(&Some(pat_id)));
    let page = pat
        .get(app.url("/me/access-log"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Connector person") && page.contains("Someone not signed in"));

    // Withdrawing takes effect on the very next request.
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::PUT,
        "/api/v1/me/profile",
        Some(whole_profile(Visibility::Connectors)),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        get_json(&app, &connie, &format!("/api/v1/people/{pat_id}/profile"))
            .await
            .0,
        200
    );
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::DELETE,
        &format!("/api/v1/me/connectors/{connie_id}"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert_eq!(
        get_json(&app, &connie, &format!("/api/v1/people/{pat_id}/profile"))
            .await
            .0,
        404
    );
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::PATCH,
        &format!("/api/v1/me/circle/{sam_entry}"),
        Some(json!({"supporter": false})),
    )
    .await;
    assert_eq!(s, 200);
    let (status, _) = api(
        &app,
        &sam,
        reqwest::Method::PUT,
        &format!("/api/v1/people/{pat_id}/profile"),
        Some(json!({"story": {"text": "too late"}})),
    )
    .await;
    assert_eq!(status, 403);
    // The person sees the whole history of their sharing choices.
    let (_, consents) = get_json(&app, &pat, "/api/v1/me/consents").await;
    let consents = consents.as_array().unwrap();
    assert!(consents.iter().any(|k| k["what"] == "story"
        && k["shared_with"] == "public"
        && k["previous"] == "members"));
    assert!(consents
        .iter()
        .any(|k| k["what"] == "connectors"
            && k["shared_with"].as_str().unwrap().contains("no longer")));
    assert!(consents.iter().any(|k| k["what"] == "supporter"));
    assert!(consents
        .iter()
        .any(|k| k["what"] == "circle" && k["shared_with"].as_str().unwrap().contains("joined")));
    let page = pat
        .get(app.url("/me/sharing"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Your circle and the connectors you chose"));
}

async fn a_supporters_edit_is_kept_with_their_name_and_can_be_undone(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (pat, pat_id) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (sam, sam_id) = app.signed_in_as(Role::Member, "sam@example.org").await;
    api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/circle",
        Some(json!({"ring": "close", "name": "Sam", "member_id": sam_id})),
    )
    .await;
    let (_, circles) = get_json(&app, &sam, "/api/v1/me/circle").await;
    let entry = circles["invitations_and_memberships"][0]["entry_id"]
        .as_i64()
        .unwrap();
    // The invitation is answered on the page.
    let r = app
        .post_form(
            &sam,
            "/me/circle",
            &format!("/me/circle/invitations/{entry}/accept"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &pat,
            "/me/circle",
            &format!("/me/circle/{entry}"),
            &[("supporter", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    api(
        &app,
        &pat,
        reqwest::Method::PUT,
        "/api/v1/me/profile",
        Some(json!({"important": {"text": "My allotment", "visibility": "circle"}})),
    )
    .await;

    // Sam edits through the page form.
    let form = sam
        .get(app.url(&format!("/people/{pat_id}/profile/important")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(html.contains("My allotment") && html.contains("You are helping"));
    assert!(
        !html.contains("name=\"visibility\""),
        "a supporter is not offered the sharing choice"
    );
    let r = app
        .post_form(
            &sam,
            &format!("/people/{pat_id}/profile/important"),
            &format!("/people/{pat_id}/profile/important"),
            &[("text", "My allotment and my dog, Biscuit")],
        )
        .await;
    assert_eq!(r.status(), 303);

    let (_, history) = get_json(&app, &pat, "/api/v1/me/profile/history").await;
    let newest = &history[0];
    assert_eq!(newest["editor_id"], json!(sam_id));
    assert_eq!(newest["editor_name"], json!("Member person"));
    assert_eq!(newest["before"], json!("My allotment"));
    assert_eq!(newest["after"], json!("My allotment and my dog, Biscuit"));
    let page = pat
        .get(app.url("/me/profile/history"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Member person") && page.contains("Biscuit"));
    let (_, log) = get_json(&app, &pat, "/api/v1/me/access-log").await;
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "profile_edited_by_supporter" && e["actor_id"] == sam_id));

    // Pat undoes it on the page.
    let edit = newest["id"].as_i64().unwrap();
    let r = app
        .post_form(
            &pat,
            "/me/profile/history",
            &format!("/me/profile/history/{edit}/undo"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, me) = get_json(&app, &pat, "/api/v1/me/profile").await;
    assert_eq!(me["important"]["text"], json!("My allotment"));
    let (_, history) = get_json(&app, &pat, "/api/v1/me/profile/history").await;
    assert_eq!(history[0]["undoes"], json!(edit));
    assert_eq!(history[0]["editor_id"], json!(pat_id));
    // A change cannot be undone over a newer one (Sam's words are no longer there).
    let (s, body) = api(
        &app,
        &pat,
        reqwest::Method::POST,
        &format!("/api/v1/me/profile/history/{edit}/undo"),
        None,
    )
    .await;
    assert_eq!(
        (s, body["error"]["code"].clone()),
        (409, json!("changed_since"))
    );
    // Someone else cannot see the history at all.
    let (mo, _) = app.signed_in_as(Role::Member, "mo@example.org").await;
    assert_eq!(
        get_json(
            &app,
            &mo,
            &format!("/api/v1/people/{pat_id}/profile/history")
        )
        .await
        .0,
        404
    );
    assert_eq!(
        get_json(
            &app,
            &sam,
            &format!("/api/v1/people/{pat_id}/profile/history")
        )
        .await
        .0,
        200
    );
}

/// A sign-in that fails is counted against the address typed (to slow down guessing), but
/// the address itself is not kept: it may be a forgotten person's, or a typo of someone's.
async fn a_failed_sign_in_keeps_no_email_address(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let visitor = app.client();
    for _ in 0..2 {
        let r = app
            .post_form(
                &visitor,
                "/sign-in",
                "/sign-in",
                &[
                    ("email", "Zephyrine.Ghost@example.org"),
                    ("password", "not the password"),
                ],
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    assert!(!database_contains(&app, "zephyrine.ghost@example.org").await);
    assert!(!database_contains(&app, "Zephyrine").await);
}

/// Every byte of the database's files (SQLite) or every row of every table (PostgreSQL).
pub(crate) async fn database_contains(app: &TestApp, needle: &str) -> bool {
    match &app.store {
        village_store::Store::Sqlite { path, .. } => {
            let mut found = false;
            for suffix in ["", "-wal", "-journal"] {
                let file = format!("{}{suffix}", path.display());
                if let Ok(bytes) = std::fs::read(&file) {
                    found |= bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
                }
            }
            found
        }
        village_store::Store::Postgres { pool } => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            let mut found = false;
            for t in tables {
                let hit: bool = sqlx::query_scalar(&format!(
                    "SELECT EXISTS (SELECT 1 FROM \"{t}\" x WHERE x::text LIKE $1)"
                ))
                .bind(format!("%{needle}%"))
                .fetch_one(pool)
                .await
                .unwrap();
                found |= hit;
            }
            found
        }
    }
}

async fn forget_me_leaves_no_trace(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (pat, pat_id) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (cara, cara_id) = app.signed_in_as(Role::Member, "cara@example.org").await;
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;
    let unique = "Quillwhistle";
    let mut body = whole_profile(Visibility::Connectors);
    body["story"]["text"] = json!(format!(
        "I grew up above the {unique} bakery and still bake every Sunday."
    ));
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::PUT,
        "/api/v1/me/profile",
        Some(body),
    )
    .await;
    assert_eq!(s, 200);
    // Earlier words live in the history too.
    api(
        &app,
        &pat,
        reqwest::Method::PUT,
        "/api/v1/me/profile",
        Some(json!({"story": {"text": format!("{unique} bakery days")}})),
    )
    .await;
    api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/circle",
        Some(
            json!({"ring": "close", "name": format!("Aunty {unique}"), "contact": "07700 900123"}),
        ),
    )
    .await;
    api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/circle",
        Some(json!({"ring": "family_friends", "name": "Cara", "member_id": cara_id})),
    )
    .await;
    api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/connectors",
        Some(json!({"connector_id": connie_id})),
    )
    .await;
    // An API token named in their own words: the name must not outlive them in the audit log.
    let r = app
        .post_form(
            &pat,
            "/account/tokens",
            "/account/tokens",
            &[("name", &format!("{unique} calendar"))],
        )
        .await;
    assert_eq!(r.status(), 200);
    let (s, _) = api(&app, &connie, reqwest::Method::POST, &format!("/api/v1/people/{pat_id}/conversations"), Some(json!({"happened_on": "2026-11-02", "story": format!("We talked about the {unique} bakery and baking for the lunch club.")}))).await;
    assert_eq!(s, 201);
    // Directory suggestions in their own words: a new offer still waiting, and a change a
    // steward approved (its reason is in the offer's public history).
    let (steward, _) = app.signed_in_as(Role::Steward, "stew@example.org").await;
    let tea = app.offer("Tea dance", json!({})).await;
    let (s, waiting) = api(&app, &pat, reqwest::Method::POST, "/api/v1/directory/suggestions", Some(json!({
        "record": {"id": "7d1c2a4e-5b6f-4a8b-9c0d-1e2f3a4b5c6d", "name": format!("{unique} baking club"), "description": "Baking on Sundays", "status": "active"},
        "why": format!("I bake at {unique}"),
    }))).await;
    assert_eq!(s, 201, "{waiting}");
    let (s, change) = api(&app, &pat, reqwest::Method::POST, &format!("/api/v1/directory/offers/{tea}/changes"), Some(json!({
        "name": "Tea dance", "description": "Dancing and tea on Fridays", "why": format!("{unique} told me it moved to Fridays"),
    }))).await;
    assert_eq!(s, 201, "{change}");
    let (s, _) = api(
        &app,
        &steward,
        reqwest::Method::POST,
        &format!("/api/v1/directory/review/{}/approve", change["id"]),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200);
    // Connie looks (so the audit log has entries about Pat).
    assert_eq!(
        get_json(&app, &connie, &format!("/api/v1/people/{pat_id}/profile"))
            .await
            .0,
        200
    );

    let r = pat
        .get(app.url("/api/v1/me/information"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let export: Value = r.json().await.unwrap();
    let text = export.to_string();
    assert!(text.contains(unique));
    for &s in Section::ALL {
        assert!(
            export["profile"].get(s.key()).is_some(),
            "export has {}",
            s.key()
        );
    }
    assert_eq!(export["account"]["email"], json!("pat@example.org"));
    assert_eq!(export["circle"].as_array().unwrap().len(), 2);
    assert_eq!(export["connectors"][0]["id"], json!(connie_id));
    assert_eq!(export["conversations"].as_array().unwrap().len(), 1);
    assert!(export["profile_history"].as_array().unwrap().len() >= 11);
    assert!(export["activity"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "personal_data_viewed" && e["actor_id"] == connie_id));
    let page = pat
        .get(app.url("/me/information/everything"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(unique) && page.contains("07700 900123"));
    // A story Pat told, published.
    let (s, told) = api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/stories",
        Some(json!({"title": "Sundays", "body": format!("The {unique} bakery taught me to bake."), "told_by": "self", "audience": "public", "open_data": true})),
    )
    .await;
    assert_eq!(s, 201, "{told}");
    assert!(database_contains(&app, unique).await);
    // "Your information" is where it used to be too: old bookmarks and the first API address.
    for (old, new) in [
        ("/me/data", "/me/information"),
        ("/me/data/everything", "/me/information/everything"),
    ] {
        let r = pat.get(app.url(old)).send().await.unwrap();
        assert_eq!(r.status(), 308, "{old}");
        assert_eq!(r.headers()["location"], new, "{old}");
    }
    let r = pat.get(app.url("/api/v1/me/export")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["account"], export["account"]);

    // A wrong password forgets nothing.
    let (s, body) = api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/forget",
        Some(json!({"password": "not it"})),
    )
    .await;
    assert_eq!(
        (s, body["error"]["field"].clone()),
        (422, json!("password"))
    );
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::POST,
        "/api/v1/me/forget",
        Some(json!({"password": village_testkit::PASSWORD})),
    )
    .await;
    assert_eq!(s, 204);

    assert!(
        !database_contains(&app, unique).await,
        "the unique word is still in the database"
    );
    assert!(
        !database_contains(&app, "pat@example.org").await,
        "the email address is still in the database"
    );
    assert!(!database_contains(&app, "07700 900123").await);
    // Their waiting suggestion is gone, so no steward can approve it; the approved change is
    // still the offer's history, without their reason.
    let (s, _) = api(
        &app,
        &steward,
        reqwest::Method::POST,
        &format!("/api/v1/directory/review/{}/approve", waiting["id"]),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 404);
    let (_, history) = get_json(
        &app,
        &steward,
        &format!("/api/v1/directory/offers/{tea}/history"),
    )
    .await;
    assert!(
        history.to_string().contains("Dancing and tea on Fridays"),
        "{history}"
    );
    // Signed out everywhere; the person is not there for anyone.
    assert_eq!(get_json(&app, &pat, "/api/v1/me").await.0, 401);
    assert_eq!(
        get_json(&app, &connie, &format!("/api/v1/people/{pat_id}/profile"))
            .await
            .0,
        404
    );
    // Connie's list and Cara's circles no longer hold Pat.
    let (_, links) = get_json(&app, &connie, "/api/v1/me/connectors").await;
    assert_eq!(links["people"], json!([]));
    let (_, circles) = get_json(&app, &cara, "/api/v1/me/circle").await;
    assert_eq!(circles["invitations_and_memberships"], json!([]));
}

async fn bad_profile_input_is_named_and_nothing_is_half_written(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (pat, _) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let put = |body: Value| {
        let app = &app;
        let pat = &pat;
        async move {
            api(
                app,
                pat,
                reqwest::Method::PUT,
                "/api/v1/me/profile",
                Some(body),
            )
            .await
        }
    };
    let cases = [
        (
            json!({"story": {"text": "fine"}, "travel": {"postcode": "not a place"}}),
            "travel.postcode",
        ),
        (json!({"favourite_colour": {"text": "blue"}}), "profile"),
        (
            json!({"story": {"visibility": "everyone"}}),
            "story.visibility",
        ),
        (
            json!({"availability": {"slots": [{"day": "XX", "from": "10:00", "to": "11:00"}]}}),
            "availability.slots",
        ),
        (
            json!({"availability": {"slots": [{"day": "MO", "from": "12:00", "to": "11:00"}]}}),
            "availability.slots",
        ),
        (
            json!({"access_needs": {"needs": ["stairs"]}}),
            "access_needs.needs",
        ),
        (
            json!({"interests": {"terms": ["no-such-term"]}}),
            "interests.terms",
        ),
        (json!({"travel": {"max_km": -3}}), "travel.max_km"),
        (json!({"birth_year": 1700}), "birth_year.value"),
        (json!({"story": {"text": "x".repeat(20_001)}}), "story.text"),
        (
            json!({"story": {"text": "fine", "max_km": 3}}),
            "story.text",
        ),
    ];
    for (body, field) in cases {
        let (s, err) = put(body.clone()).await;
        assert_eq!(s, 422, "{body}");
        assert_eq!(err["error"]["field"], json!(field), "{body}: {err}");
    }
    let (_, me) = get_json(&app, &pat, "/api/v1/me/profile").await;
    assert_eq!(
        me["story"]["text"],
        json!(""),
        "the good part of a refused change was not written"
    );
    let (_, history) = get_json(&app, &pat, "/api/v1/me/profile/history").await;
    assert_eq!(history, json!([]));
    // The page names the field too, and keeps what was typed.
    let r = app
        .post_form(
            &pat,
            "/me/profile/travel",
            "/me/profile/travel",
            &[
                ("text", "By bus"),
                ("travel.postcode", "nowhere"),
                ("travel.max_km", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("href=\"#travel.postcode\"")
            && html.contains("By bus")
            && html.contains("value=\"nowhere\"")
    );
    let r = app
        .post_form(
            &pat,
            "/me/profile/travel",
            "/me/profile/travel",
            &[("text", "By bus"), ("travel.max_km", "five")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#travel.max_km\"") && html.contains("value=\"five\""));
    // Good input through the page, with structure.
    let r = app
        .post_form(
            &pat,
            "/me/profile/availability",
            "/me/profile/availability",
            &[
                ("text", "Mornings"),
                ("slot_day", "WE"),
                ("slot_from", "9:30"),
                ("slot_to", "11:00"),
                ("slot_day", ""),
                ("slot_from", ""),
                ("slot_to", ""),
                ("visibility", "connectors"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, me) = get_json(&app, &pat, "/api/v1/me/profile").await;
    assert_eq!(
        me["availability"]["slots"],
        json!([{"day": "WE", "from": "09:30", "to": "11:00"}])
    );
    assert_eq!(me["availability"]["visibility"], json!("connectors"));
    let page = pat
        .get(app.url("/me/profile"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Free on Wednesdays 9:30am to 11am")
            && page.contains("Your circle and the connectors you chose")
    );
    // Defaults keep things close.
    assert_eq!(me["story"]["visibility"], json!("only_me"));
    assert_eq!(me["birth_year"]["visibility"], json!("only_me"));
    assert_eq!(me["important"]["visibility"], json!("circle"));
}

async fn the_circle_page_draws_the_circle_and_takes_invitations(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (pat, _) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (cara, _) = app.signed_in_as(Role::Member, "cara@example.org").await;
    api(
        &app,
        &pat,
        reqwest::Method::PUT,
        "/api/v1/me/profile",
        Some(json!({"interests": {"terms": ["b2d5ed02-dbd9-4680-ba48-f00c6ff3f127"]}})),
    )
    .await;
    let html = pat
        .get(app.url("/me/circle"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("role=\"img\"") && html.contains("<desc"));
    // Empty rings prompt gently, with searches from the person's interests.
    assert!(html.contains("/directory?category=arts"));
    let r = app
        .post_form(
            &pat,
            "/me/circle",
            "/me/circle",
            &[
                ("ring", "community"),
                ("name", "Mrs Okafor next door"),
                ("member_email", ""),
                ("contact", "Number 12"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &pat,
            "/me/circle",
            "/me/circle",
            &[
                ("ring", "close"),
                ("name", "Cara"),
                ("member_email", "cara@example.org"),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &pat,
            "/me/circle",
            "/me/circle",
            &[
                ("ring", "somewhere"),
                ("name", ""),
                ("member_email", ""),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = pat
        .get(app.url("/me/circle"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The picture and its text alternative (the table) both name everyone.
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert!(
        svg.contains("Mrs Okafor nex") && svg.contains(">Cara"),
        "{svg}"
    );
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert!(table.contains("Mrs Okafor next door") && table.contains("Cara"));
    assert!(html.contains("Invited: waiting for them to accept"));
    assert!(html.contains(
        "<caption class=\"visually-hidden\" id=\"circle-caption\">Your circle of support</caption>"
    ));
    let invite = cara
        .get(app.url("/me/circle"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(invite.contains("has invited you into their circle"));
    // Contact details stay private: Cara's view has none of Pat's.
    assert!(!invite.contains("Number 12"));
}

async fn a_connector_writes_notes_the_person_reads_and_answers(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (pat, pat_id) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;
    let (kofi, _) = app.signed_in_as(Role::Connector, "kofi@example.org").await;
    let (mo, _) = app.signed_in_as(Role::Member, "mo@example.org").await;
    let notes = format!("/api/v1/people/{pat_id}/conversations");
    let note = json!({"happened_on": "2026-11-20", "story": "Pat loves cooking for people and misses the lunch club.", "next_steps": "Look at Tuesday lunch clubs together."});
    // Not until Pat chooses Connie, or accepts her offer.
    assert_eq!(
        api(
            &app,
            &connie,
            reqwest::Method::POST,
            &notes,
            Some(note.clone())
        )
        .await
        .0,
        404
    );
    assert_eq!(
        api(
            &app,
            &connie,
            reqwest::Method::POST,
            &format!("/api/v1/people/{pat_id}/connector-offer"),
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        api(
            &app,
            &connie,
            reqwest::Method::POST,
            &notes,
            Some(note.clone())
        )
        .await
        .0,
        404
    );
    let (_, mine) = get_json(&app, &pat, "/api/v1/me/connectors").await;
    assert_eq!(mine["connectors"][0]["status"], json!("offered"));
    let r = app
        .post_form(
            &pat,
            "/me/connectors",
            "/me/connectors",
            &[("connector_id", &connie_id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (s, written) = api(
        &app,
        &connie,
        reqwest::Method::POST,
        &notes,
        Some(note.clone()),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(written["status"], json!("shared"));
    let id = written["id"].as_i64().unwrap();
    for (bad, field) in [
        (
            json!({"happened_on": "20 Nov", "story": "x"}),
            "happened_on",
        ),
        (
            json!({"happened_on": "2099-01-01", "story": "x"}),
            "happened_on",
        ),
        (json!({"happened_on": "2026-11-20", "story": "  "}), "story"),
    ] {
        let (s, e) = api(&app, &connie, reqwest::Method::POST, &notes, Some(bad)).await;
        assert_eq!((s, e["error"]["field"].clone()), (422, json!(field)));
    }
    // Nobody else reads or writes notes about Pat.
    for other in [&kofi, &mo] {
        assert_eq!(get_json(&app, other, &notes).await.0, 404);
        assert_eq!(
            api(
                &app,
                other,
                reqwest::Method::POST,
                &notes,
                Some(note.clone())
            )
            .await
            .0,
            404
        );
        assert_eq!(
            api(
                &app,
                other,
                reqwest::Method::POST,
                &format!("/api/v1/conversations/{id}/replies"),
                Some(json!({"kind": "comment", "text": "hi"}))
            )
            .await
            .0,
            404
        );
    }

    // Pat reads it and asks for a change; Connie revises; Pat agrees.
    let (_, list) = get_json(&app, &pat, "/api/v1/me/conversations").await;
    assert_eq!(list[0]["story"], note["story"]);
    assert_eq!(
        api(
            &app,
            &pat,
            reqwest::Method::POST,
            &format!("/api/v1/conversations/{id}/replies"),
            Some(json!({"kind": "change"}))
        )
        .await
        .0,
        422
    );
    let r = app
        .post_form(
            &pat,
            "/me/conversations",
            &format!("/me/conversations/{id}/reply"),
            &[
                ("kind", "change"),
                ("text", "I ran the lunch club, I did not just go to it."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, list) = get_json(&app, &pat, "/api/v1/me/conversations").await;
    assert_eq!(list[0]["status"], json!("change_asked"));
    assert_eq!(
        api(
            &app,
            &pat,
            reqwest::Method::POST,
            &format!("/api/v1/conversations/{id}/replies"),
            Some(json!({"kind": "revise", "text": "mine now"}))
        )
        .await
        .0,
        422
    );
    let (s, _) = api(&app, &connie, reqwest::Method::POST, &format!("/api/v1/conversations/{id}/replies"), Some(json!({"kind": "revise", "text": "Pat ran the lunch club for years and misses cooking for people."}))).await;
    assert_eq!(s, 204);
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::POST,
        &format!("/api/v1/conversations/{id}/replies"),
        Some(json!({"kind": "agree"})),
    )
    .await;
    assert_eq!(s, 204);
    let (_, list) = get_json(&app, &pat, "/api/v1/me/conversations").await;
    assert_eq!(list[0]["status"], json!("agreed"));
    assert!(list[0]["story"]
        .as_str()
        .unwrap()
        .starts_with("Pat ran the lunch club"));
    let kinds: Vec<&str> = list[0]["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["change", "revised", "agree"]);
    assert_eq!(
        list[0]["replies"][1]["text"], note["story"],
        "the earlier words are kept"
    );
    let page = pat
        .get(app.url("/me/conversations"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Pat ran the lunch club") && page.contains("asked for a change"));
    let page = connie
        .get(app.url(&format!("/people/{pat_id}/conversations")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Write a note of a conversation"));
    // Connie's reading is in Pat's list; once Pat stops having her, she reads nothing.
    let (_, log) = get_json(&app, &pat, "/api/v1/me/access-log").await;
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["actor_id"] == connie_id && e["detail"] == "conversation notes"));
    assert_eq!(
        api(
            &app,
            &pat,
            reqwest::Method::DELETE,
            &format!("/api/v1/me/connectors/{connie_id}"),
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(get_json(&app, &connie, &notes).await.0, 404);
}

/// A hub run with a single database connection (`db_max_connections = 1`) still shows
/// profiles and records every look: the audit writer must not keep that one connection.
async fn looks_are_written_on_a_hub_with_a_pool_of_one(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (pat, pat_id) = app.signed_in_as(Role::Member, "pat@example.org").await;
    let (mo, mo_id) = app.signed_in_as(Role::Member, "mo@example.org").await;
    let (s, _) = api(
        &app,
        &pat,
        reqwest::Method::PUT,
        "/api/v1/me/profile",
        Some(json!({"story": {"text": "Kites on the common", "visibility": "members"}})),
    )
    .await;
    assert_eq!(s, 200);
    let (one, _stop) = app
        .second_process_with(&village_store::StoreOptions {
            max_connections: 1,
            ..Default::default()
        })
        .await;
    for _ in 0..3 {
        let mut looks = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let mo = mo.clone();
            let url = format!("{one}/people/{pat_id}");
            looks.spawn(async move {
                let r = mo.get(url).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            });
        }
        while let Some(done) = looks.join_next().await {
            let (status, html) = done.unwrap();
            assert_eq!(status, 200, "{html}");
            assert!(html.contains("Kites on the common"));
        }
    }
    let (_, log) = get_json(&app, &pat, "/api/v1/me/access-log?limit=500").await;
    let looks = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "personal_data_viewed" && e["actor_id"] == mo_id)
        .count();
    assert_eq!(looks, 30, "every look recorded");
}

/// Four members each save their profile over and over, through the API and the gifts form,
/// all at the same moment: every save succeeds and the last words each saved are there. (On
/// SQLite a transaction begun with a deferred `BEGIN` read, then found another connection
/// writing and was refused at once with "database is locked", which no waiting helps.)
async fn people_saving_at_the_same_moment_all_succeed(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let app = std::sync::Arc::new(app);
    let mut people = Vec::new();
    for n in 0..4 {
        let (client, _) = app
            .signed_in_as(Role::Member, &format!("saver{n}@example.org"))
            .await;
        let csrf = token(&app, &client).await;
        people.push((n, client, csrf));
    }
    const SAVES: usize = 20;
    let mut tasks = tokio::task::JoinSet::new();
    for (n, client, csrf) in people.clone() {
        let (first_app, first_client, first_csrf) = (app.clone(), client.clone(), csrf.clone());
        tasks.spawn(async move {
            let (app, client, csrf) = (first_app, first_client, first_csrf);
            let mut failed = Vec::new();
            for i in 0..SAVES {
                let r = client
                    .put(app.url("/api/v1/me/profile"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"story": {"text": format!("story {n} {i}"), "visibility": "circle"}}))
                    .send()
                    .await
                    .unwrap();
                if r.status() != 200 {
                    failed.push(format!("profile {n}/{i}: {}", r.status()));
                }
            }
            failed
        });
        let app = app.clone();
        let (client, csrf) = (client.clone(), csrf.clone());
        tasks.spawn(async move {
            let mut failed = Vec::new();
            for i in 0..SAVES {
                let r = client
                    .post(app.url("/me/profile/gifts"))
                    .form(&[
                        ("csrf_token", csrf.as_str()),
                        ("text", &format!("gifts {n} {i}")),
                        ("visibility", "members"),
                    ])
                    .send()
                    .await
                    .unwrap();
                if r.status() != 303 {
                    failed.push(format!("gifts {n}/{i}: {}", r.status()));
                }
            }
            failed
        });
    }
    let mut failed = Vec::new();
    while let Some(done) = tasks.join_next().await {
        failed.extend(done.unwrap());
    }
    assert!(failed.is_empty(), "saves refused: {failed:?}");
    for (n, client, _) in &people {
        let (s, profile) = get_json(&app, client, "/api/v1/me/profile").await;
        assert_eq!(s, 200);
        let last = SAVES - 1;
        assert_eq!(profile["story"]["text"], json!(format!("story {n} {last}")));
        assert_eq!(profile["gifts"]["text"], json!(format!("gifts {n} {last}")));
    }
}

/// A hub says distances in miles unless its settings say kilometres: the travel question is
/// asked in the hub's unit, kept in kilometres, and said back in the unit.
async fn distances_are_in_miles_unless_the_hub_says_kilometres(backend: Backend) {
    for unit in [
        village_domain::directory::geo::DistanceUnit::Miles,
        village_domain::directory::geo::DistanceUnit::Km,
    ] {
        let Some(app) = TestApp::start_with(backend, |s| s.hub.distances = unit).await else {
            return;
        };
        let pat = app.member("pat@example.org", false).await;
        let r = app
            .post_form(
                &pat.client,
                "/me/profile/travel",
                "/me/profile/travel",
                &[
                    ("text", "I take the bus."),
                    ("visibility", "only_me"),
                    ("travel.postcode", ""),
                    ("travel.max_km", "2"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{unit:?}");
        let (_, me) = app.get_json(&pat.client, "/api/v1/me/profile").await;
        let km = me["travel"]["max_km"].as_f64().unwrap();
        let (said, form_label, want_km) = match unit {
            village_domain::directory::geo::DistanceUnit::Miles => {
                ("Can get to places up to 2 miles away", "in miles?", 3.2)
            }
            village_domain::directory::geo::DistanceUnit::Km => {
                ("Can get to places up to 2 km away", "in kilometres?", 2.0)
            }
        };
        assert!((km - want_km).abs() < 0.01, "{unit:?}: kept as {km} km");
        let (_, html) = app.page_as(&pat.client, "/me/profile").await;
        assert!(html.contains(said), "{unit:?}: the profile says {said:?}");
        let (_, html) = app.page_as(&pat.client, "/me/profile/travel").await;
        assert!(
            html.contains(form_label) && html.contains("value=\"2\""),
            "{unit:?}: asked and shown in the hub's unit"
        );
    }
}

/// A connector writes who they are and how they work; people choosing a connector read it
/// beside each name and choose one with a button; a mistake keeps what was typed; it is in
/// the connector's information and goes when they are forgotten.
async fn people_choose_a_connector_knowing_who_they_are_and_how_they_work(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;
    let (_, quiet_id) = app
        .signed_in_as(Role::Connector, "quentin@example.org")
        .await;
    let (pat, _) = app.signed_in_as(Role::Member, "pat@example.org").await;
    assert_eq!(app.page_as(&pat, "/connector/about").await.0, 403);
    let (_, people) = app.page_as(&connie, "/connector/people").await;
    assert!(
        people.contains("href=\"/connector/about\""),
        "linked from their people"
    );

    let about = "I grew up by the Zephyrine canal and I sing in a choir.";
    let how = "I meet people at the library on Tuesdays. Ring or text me.";
    let long = "a".repeat(601);
    let r = app
        .post_form(
            &connie,
            "/connector/about",
            "/connector/about",
            &[("about", &long), ("how_i_work", how)],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("href=\"#about\""),
        "the problem names the field"
    );
    assert!(
        page.contains(&format!(">{how}</textarea>")),
        "how they work is kept"
    );
    assert!(
        page.contains(&format!(">{long}</textarea>")),
        "what was too long is kept"
    );
    let r = app
        .post_form(
            &connie,
            "/connector/about",
            "/connector/about",
            &[("about", about), ("how_i_work", how)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, again) = app.page_as(&connie, "/connector/about").await;
    assert!(again.contains(&format!(">{about}</textarea>")));

    let (_, choose) = app.page_as(&pat, "/me/connectors").await;
    let text = village_testkit::visible_text(&choose);
    assert!(text.contains(about) && text.contains(how), "{text}");
    assert!(
        text.contains("Connector person has not written about themselves yet."),
        "{text}"
    );
    for id in [connie_id, quiet_id] {
        assert!(choose.contains(&format!("name=\"connector_id\" value=\"{id}\"")));
    }
    assert!(
        !choose.contains("<select id=\"connector_id\""),
        "not a bare list of names"
    );
    let r = app
        .post_form(
            &pat,
            "/me/connectors",
            "/me/connectors",
            &[("connector_id", &connie_id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);

    let (_, export) = get_json(&app, &connie, "/api/v1/me/information").await;
    assert_eq!(export["what_people_see_about_me"]["about"], json!(about));
    assert!(database_contains(&app, "Zephyrine").await);
    let (s, _) = api(
        &app,
        &connie,
        reqwest::Method::POST,
        "/api/v1/me/forget",
        Some(json!({"password": village_testkit::PASSWORD})),
    )
    .await;
    assert_eq!(s, 204);
    assert!(
        !database_contains(&app, "Zephyrine").await,
        "what the connector wrote is gone with them"
    );
}
