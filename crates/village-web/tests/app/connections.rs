//! Connections on SQLite and PostgreSQL: suggestions that keep every hard constraint and say
//! why, built only from what a person shares; and the introduction journey by API and pages,
//! for the person, their connector and the group, with illegal steps refused and the group
//! never seeing more than the minimum.
use reqwest::{Client, Method};
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_domain::directory::taxonomy::{Access, Community, CATEGORIES};
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    suggestions_keep_hard_constraints_and_say_why,
    the_introduction_journey_for_person_connector_and_group,
    shortlists_and_check_ins,
    kept_suggestions_follow_changes_to_the_directory,
    a_hub_that_keeps_nothing_works_the_same_suggestions_out,
    a_wide_reach_with_any_essential_need_is_answered,
    what_fits_by_someone_s_home_comes_first,
);

const ORG: &str = "0b0c0d0e-0000-4000-8000-000000000001";

fn uuid(n: u32) -> String {
    format!("0a0b0c0d-0000-4000-8000-{n:012}")
}

struct Offer {
    n: u32,
    name: &'static str,
    km_north: f64,
    day: &'static str,
    opens: &'static str,
    closes: &'static str,
    terms: Vec<&'static str>,
    max_age: Option<i64>,
    free: bool,
    status: &'static str,
}

fn record(o: &Offer) -> Value {
    let mut r = json!({
        "id": uuid(o.n),
        "name": o.name,
        "description": if o.n == 1 { "We sing together on Tuesdays.".to_string() } else { format!("{}: come along.", o.name) },
        "status": o.status,
        "organization": {"id": ORG, "name": "Meadowfield Voices"},
        "schedules": [{"id": uuid(100 + o.n), "freq": "WEEKLY", "byday": o.day, "opens_at": o.opens, "closes_at": o.closes}],
        "service_at_locations": [{"id": uuid(200 + o.n), "location": {"id": uuid(300 + o.n), "name": "Hall", "latitude": 52.9531 + o.km_north / 111.2, "longitude": -1.1502}}],
        "cost_options": [if o.free { json!({"id": uuid(400 + o.n), "option": "Free", "amount": 0, "currency": "GBP"}) } else { json!({"id": uuid(400 + o.n), "option": "Each time", "amount": 3, "currency": "GBP"}) }],
        "attributes": o.terms.iter().enumerate().map(|(i, t)| json!({"id": uuid(1000 + o.n * 10 + i as u32), "taxonomy_term_id": t})).collect::<Vec<_>>(),
    });
    if let Some(m) = o.max_age {
        r["maximum_age"] = json!(m);
    }
    r
}

async fn seed(app: &TestApp) {
    let arts = CATEGORIES[1].id;
    let step = Access::StepFree.term_id();
    let carers = Community::Carers.term_id();
    let offers = [
        Offer {
            n: 1,
            name: "Carers' choir",
            km_north: 1.0,
            day: "TU",
            opens: "10:00",
            closes: "12:00",
            terms: vec![arts, step, carers],
            max_age: None,
            free: true,
            status: "active",
        },
        Offer {
            n: 2,
            name: "Far choir",
            km_north: 20.0,
            day: "TU",
            opens: "10:00",
            closes: "12:00",
            terms: vec![arts, step],
            max_age: None,
            free: true,
            status: "active",
        },
        Offer {
            n: 3,
            name: "Evening choir",
            km_north: 1.0,
            day: "TU",
            opens: "19:00",
            closes: "21:00",
            terms: vec![arts, step],
            max_age: None,
            free: true,
            status: "active",
        },
        Offer {
            n: 4,
            name: "Upstairs choir",
            km_north: 1.0,
            day: "TU",
            opens: "10:00",
            closes: "12:00",
            terms: vec![arts],
            max_age: None,
            free: true,
            status: "active",
        },
        Offer {
            n: 5,
            name: "Youth choir",
            km_north: 1.0,
            day: "TU",
            opens: "10:00",
            closes: "12:00",
            terms: vec![arts, step],
            max_age: Some(25),
            free: true,
            status: "active",
        },
        Offer {
            n: 6,
            name: "Pub quiz",
            km_north: 2.0,
            day: "TU",
            opens: "11:00",
            closes: "12:00",
            terms: vec![step],
            max_age: None,
            free: false,
            status: "active",
        },
        Offer {
            n: 7,
            name: "Closed choir",
            km_north: 0.5,
            day: "TU",
            opens: "10:00",
            closes: "12:00",
            terms: vec![arts, step],
            max_age: None,
            free: true,
            status: "inactive",
        },
    ];
    let mut tx = app.store.begin().await.unwrap();
    village_store::directory::upsert_postcodes(
        &mut tx,
        &[("MF1 1AA".into(), "MF1".into(), 52.9531, -1.1502)],
    )
    .await
    .unwrap();
    for o in &offers {
        let r = record(o);
        let (index, _) = village_domain::directory::oruk::read_service(&r).unwrap();
        village_store::directory::upsert_service(
            &mut tx,
            &index,
            &r.to_string(),
            true,
            village_app::now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn api(
    app: &TestApp,
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    app.call(client, method, path, body).await
}

async fn get(app: &TestApp, client: &Client, path: &str) -> (u16, Value) {
    api(app, client, Method::GET, path, None).await
}

async fn person(app: &TestApp, email: &str, name: &str) -> (Client, i64) {
    let client = app.client();
    assert_eq!(app.sign_up(&client, email, name).await.status(), 303);
    let (_, me) = get(app, &client, "/api/v1/me").await;
    (client, me["id"].as_i64().unwrap())
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["offer_id"].as_str().unwrap().to_string())
        .collect()
}

async fn pats_profile(app: &TestApp, pat: &Client) {
    let (s, body) = api(app, pat, Method::PUT, "/api/v1/me/profile", Some(json!({
        "interests": {"text": "Singing with others", "terms": [CATEGORIES[1].id], "visibility": "circle"},
        "important": {"text": "Looking after my husband.", "visibility": "circle"},
        "support": {"text": "Speak clearly, I lip-read.", "visibility": "only_me"},
        "story": {"text": "Pat grew up by the sea, sang in a band.", "visibility": "only_me"},
        "travel": {"text": "I walk.", "postcode": "MF1 1AA", "max_km": 5, "visibility": "only_me"},
        "availability": {"text": "Tuesday mornings.", "slots": [{"day": "TU", "from": "09:00", "to": "13:00"}], "visibility": "circle"},
        "access_needs": {"text": "No stairs.", "needs": ["step_free", "hearing_loop"], "essential": ["step_free"], "visibility": "only_me"},
        "birth_year": {"value": 1958, "visibility": "only_me"}
    }))).await;
    assert_eq!(s, 200, "{body}");
}

async fn choose_connector(
    app: &TestApp,
    pat: &Client,
    connie: &Client,
    pat_id: i64,
    connie_id: i64,
) {
    let (s, _) = api(
        app,
        connie,
        Method::POST,
        &format!("/api/v1/people/{pat_id}/connector-offer"),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let r = app
        .post_form(
            pat,
            "/me/connectors",
            "/me/connectors",
            &[("connector_id", &connie_id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
}

async fn suggestions_keep_hard_constraints_and_say_why(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    seed(&app).await;
    let (pat, pat_id) = person(&app, "pat@example.org", "Pat Okafor").await;
    // Before a profile: nothing to go on, so no guesses; the page asks a few questions.
    let (s, none) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(s, 200, "{none}");
    assert!(
        ids(&none).is_empty(),
        "an empty profile gets no ideas: {none:#}"
    );
    let (_, page) = app.page_as(&pat, "/me/ideas").await;
    assert!(
        page.contains("Tell us a little about you first")
            && page.contains("href=\"/me/profile/interests\"")
            && !page.contains("class=\"result\""),
        "a prompt, not ideas"
    );

    pats_profile(&app, &pat).await;
    let (s, list) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(s, 200, "{list}");
    // Far away, in the evening, upstairs (step-free is essential), too young and closed
    // (the choir, otherwise a perfect fit) are all out.
    assert_eq!(ids(&list), vec![uuid(1), uuid(6)], "{list:#}");
    let reasons: Vec<&str> = list[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        vec![
            "Tuesdays 10am to midday, when you're free",
            "0.6 miles away",
            "Arts and making: one of your interests",
            "Mentions singing",
            "Step-free access",
            "For carers",
            "Free",
        ]
    );
    assert!(list[0]["score"].as_f64().unwrap() > list[1]["score"].as_f64().unwrap());
    assert_eq!(list[0]["name"], json!("Carers' choir"));

    // Dismissed: hidden until brought back; saved: marked.
    let mark = format!("/api/v1/me/suggestion-marks/{}", uuid(1));
    let (s, _) = api(
        &app,
        &pat,
        Method::PUT,
        &mark,
        Some(json!({"mark": "dismissed", "reason": "Not my kind of music"})),
    )
    .await;
    assert_eq!(s, 204);
    assert_eq!(
        ids(&get(&app, &pat, "/api/v1/me/suggestions").await.1),
        vec![uuid(6)]
    );
    let (s, _) = api(&app, &pat, Method::DELETE, &mark, None).await;
    assert_eq!(s, 204);
    let (s, _) = api(
        &app,
        &pat,
        Method::PUT,
        &mark,
        Some(json!({"mark": "saved"})),
    )
    .await;
    assert_eq!(s, 204);
    let (_, list) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(list[0]["saved"], json!(true));
    let (s, bad) = api(
        &app,
        &pat,
        Method::PUT,
        &mark,
        Some(json!({"mark": "loved"})),
    )
    .await;
    assert_eq!((s, bad["error"]["field"].clone()), (422, json!("mark")));
    let (s, _) = api(
        &app,
        &pat,
        Method::PUT,
        "/api/v1/me/suggestion-marks/no-such-offer",
        Some(json!({"mark": "saved"})),
    )
    .await;
    assert_eq!(s, 404);

    // A connector sees suggestions built only from what Pat shares with connectors: nothing
    // yet (her travel, access needs and birth year are hers alone), so there is nothing to
    // go on and no guesses.
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;
    let theirs = format!("/api/v1/people/{pat_id}/suggestions");
    assert_eq!(
        get(&app, &connie, &theirs).await.0,
        404,
        "not before Pat chooses her"
    );
    choose_connector(&app, &pat, &connie, pat_id, connie_id).await;
    let (s, seen) = get(&app, &connie, &theirs).await;
    assert_eq!(s, 200, "{seen}");
    assert!(ids(&seen).is_empty(), "{seen:#}");
    // Pat shares her access needs and travel with connectors: now those count too.
    let (s, _) = api(
        &app,
        &pat,
        Method::PUT,
        "/api/v1/me/profile",
        Some(json!({
            "access_needs": {"visibility": "connectors"}, "travel": {"visibility": "connectors"}
        })),
    )
    .await;
    assert_eq!(s, 200);
    let (_, seen) = get(&app, &connie, &theirs).await;
    let mut shown = ids(&seen);
    shown.sort();
    assert_eq!(shown, vec![uuid(1), uuid(3), uuid(5), uuid(6)], "{seen:#}");
    assert!(
        !seen.to_string().contains("when you're free"),
        "availability is not shared"
    );
    // The connector's looks are in Pat's access log.
    let (_, log) = get(&app, &pat, "/api/v1/me/access-log").await;
    assert!(log.to_string().contains("connector"), "{log}");
    // Anyone else: not found.
    let (mo, _) = app.signed_in_as(Role::Member, "mo@example.org").await;
    assert_eq!(get(&app, &mo, &theirs).await.0, 404);

    // The page says the same, with JavaScript off.
    let html = pat
        .get(app.url("/me/ideas"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Carers&#39; choir") || html.contains("Carers' choir"),
        "{html}"
    );
    assert!(html.contains("when you&#39;re free") || html.contains("when you're free"));
    assert!(html.contains("Ask for an introduction"));
    let html = connie
        .get(app.url(&format!("/people/{pat_id}/ideas")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Suggest an introduction"));
}

async fn act(
    app: &TestApp,
    c: &Client,
    id: i64,
    action: &str,
    reason: Option<&str>,
) -> (u16, Value) {
    api(
        app,
        c,
        Method::POST,
        &format!("/api/v1/introductions/{id}/{action}"),
        reason.map(|r| json!({"reason": r})),
    )
    .await
}

async fn the_introduction_journey_for_person_connector_and_group(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    seed(&app).await;
    let (pat, pat_id) = person(&app, "pat@example.org", "Pat Okafor").await;
    pats_profile(&app, &pat).await;
    let (olu, olu_id) = app.signed_in_as(Role::Member, "olu@example.org").await;
    let sql =
        "INSERT INTO dir_organisers (organization_id, user_id, granted_at) VALUES ($1, $2, 0)";
    match &app.store {
        village_store::Store::Sqlite { pool, .. } => {
            sqlx::query(sql)
                .bind(ORG)
                .bind(olu_id)
                .execute(pool)
                .await
                .unwrap();
        }
        village_store::Store::Postgres { pool } => {
            sqlx::query(sql)
                .bind(ORG)
                .bind(olu_id)
                .execute(pool)
                .await
                .unwrap();
        }
    }
    let (mo, _) = app.signed_in_as(Role::Member, "mo@example.org").await;

    let (s, made) = api(&app, &pat, Method::POST, "/api/v1/introductions", Some(json!({"offer_id": uuid(1), "share_support": true, "message": "I used to sing in a band."}))).await;
    assert_eq!(s, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    assert_eq!(made["state"], json!("requested"));
    assert_eq!(made["actions"], json!(["send", "withdraw"]));
    assert_eq!(made["person"]["contact"], json!("pat@example.org"));
    let again = api(
        &app,
        &pat,
        Method::POST,
        "/api/v1/introductions",
        Some(json!({"offer_id": uuid(1)})),
    )
    .await;
    assert_eq!(
        (again.0, again.1["error"]["code"].clone()),
        (409, json!("already_introduced"))
    );
    let bad = api(
        &app,
        &pat,
        Method::POST,
        "/api/v1/introductions",
        Some(json!({"offer_id": "nope"})),
    )
    .await;
    assert_eq!(
        (bad.0, bad.1["error"]["field"].clone()),
        (422, json!("offer_id"))
    );

    // The group sees nothing until Pat sends it.
    let one = format!("/api/v1/introductions/{id}");
    assert_eq!(get(&app, &olu, &one).await.0, 404);
    assert_eq!(act(&app, &olu, id, "accept", None).await.0, 404);
    let (s, sent) = act(&app, &pat, id, "send", None).await;
    assert_eq!((s, sent["state"].clone()), (200, json!("sent")), "{sent}");
    assert!(
        app.outbox_messages()
            .iter()
            .any(|m| m.contains("olu@example.org")),
        "the organiser is emailed"
    );

    // The group's view: the minimum.
    let (s, theirs) = get(&app, &olu, &one).await;
    assert_eq!(s, 200, "{theirs}");
    assert_eq!(theirs["person"]["name"], json!("Pat"));
    assert_eq!(theirs["person"]["id"], Value::Null);
    assert_eq!(theirs["person"]["contact"], json!("pat@example.org"));
    assert_eq!(
        theirs["person"]["support"],
        json!("Speak clearly, I lip-read.")
    );
    let text = theirs.to_string();
    for private in [
        "Okafor",
        "grew up by the sea",
        "husband",
        "1958",
        "No stairs",
    ] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    assert_eq!(theirs["actions"], json!(["accept", "decline"]));
    let (s, inbox) = get(&app, &olu, &format!("/api/v1/groups/{ORG}/introductions")).await;
    assert_eq!((s, inbox.as_array().unwrap().len()), (200, 1));
    assert!(!inbox.to_string().contains("Okafor"));
    // The address from before groups had one name answers the same.
    assert_eq!(
        get(
            &app,
            &olu,
            &format!("/api/v1/organisations/{ORG}/introductions")
        )
        .await,
        (200, inbox.clone())
    );
    assert_eq!(
        get(&app, &mo, &format!("/api/v1/groups/{ORG}/introductions"))
            .await
            .0,
        404
    );
    assert_eq!(get(&app, &mo, &one).await.0, 404);

    // Illegal steps are refused with a clear code.
    let r = act(&app, &pat, id, "accept", None).await;
    assert_eq!(
        (r.0, r.1["error"]["code"].clone()),
        (403, json!("not_yours"))
    );
    let r = act(&app, &olu, id, "met", None).await;
    assert_eq!(
        (r.0, r.1["error"]["code"].clone()),
        (409, json!("not_allowed_now"))
    );
    let r = act(&app, &olu, id, "decline", None).await;
    assert_eq!((r.0, r.1["error"]["field"].clone()), (422, json!("reason")));
    let r = act(&app, &olu, id, "dance", None).await;
    assert_eq!(
        (r.0, r.1["error"]["code"].clone()),
        (404, json!("action_unknown"))
    );

    assert_eq!(
        act(&app, &olu, id, "accept", None).await.1["state"],
        json!("accepted")
    );
    assert_eq!(
        act(&app, &pat, id, "met", None).await.1["state"],
        json!("met")
    );
    assert_eq!(act(&app, &olu, id, "going_well", None).await.0, 403);
    assert_eq!(
        act(&app, &pat, id, "going_well", None).await.1["state"],
        json!("going_well")
    );
    let (s, done) = act(&app, &pat, id, "stop", Some("I moved to the evening choir")).await;
    assert_eq!((s, done["state"].clone()), (200, json!("stopped")));
    assert_eq!(act(&app, &pat, id, "withdraw", None).await.0, 409);
    // Once it has ended the group keeps only that it happened.
    let (_, after) = get(&app, &olu, &one).await;
    assert_eq!(after["person"]["contact"], json!(""));
    assert_eq!(after["person"]["support"], Value::Null);
    let (_, mine) = get(&app, &pat, &one).await;
    let steps: Vec<&str> = mine["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        vec![
            "requested",
            "sent",
            "accepted",
            "met",
            "going_well",
            "stopped"
        ]
    );
    let (_, notices) = get(&app, &pat, "/api/v1/me/notifications").await;
    assert!(
        notices.to_string().contains("the group said yes"),
        "{notices}"
    );

    // A connector asks for Pat; only Pat can send it.
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;
    let r = api(
        &app,
        &connie,
        Method::POST,
        "/api/v1/introductions",
        Some(json!({"offer_id": uuid(6), "person_id": pat_id})),
    )
    .await;
    assert_eq!(r.0, 404, "not before Pat chooses her");
    choose_connector(&app, &pat, &connie, pat_id, connie_id).await;
    let (s, theirs) = api(
        &app,
        &connie,
        Method::POST,
        "/api/v1/introductions",
        Some(json!({"offer_id": uuid(6), "person_id": pat_id})),
    )
    .await;
    assert_eq!(s, 201, "{theirs}");
    let second = theirs["id"].as_i64().unwrap();
    let r = act(&app, &connie, second, "send", None).await;
    assert_eq!(
        (r.0, r.1["error"]["code"].clone()),
        (403, json!("needs_persons_agreement"))
    );
    assert_eq!(
        act(&app, &pat, second, "send", None).await.1["state"],
        json!("sent")
    );

    // No answer: reminded after a week, the connector told after two; once each.
    let mut settings = village_app::settings::Settings::default();
    settings.mail.outbox_dir = app.outbox.to_string_lossy().to_string();
    let state = village_app::App::new(app.store.clone(), settings).unwrap();
    let now = village_app::now();
    assert_eq!(
        village_app::connections::follow_up(&state, now)
            .await
            .unwrap(),
        (0, 0)
    );
    assert_eq!(
        village_app::connections::follow_up(&state, now + 8 * 86_400)
            .await
            .unwrap(),
        (1, 0)
    );
    assert_eq!(
        village_app::connections::follow_up(&state, now + 15 * 86_400)
            .await
            .unwrap(),
        (0, 1)
    );
    assert_eq!(
        village_app::connections::follow_up(&state, now + 16 * 86_400)
            .await
            .unwrap(),
        (0, 0)
    );
    let (_, told) = get(&app, &connie, "/api/v1/me/notifications").await;
    assert!(told.to_string().contains("waited two weeks"), "{told}");
    let (_, reminded) = get(&app, &olu, "/api/v1/me/notifications").await;
    assert!(
        reminded.to_string().contains("waiting to hear"),
        "{reminded}"
    );

    // The same journey on pages, with JavaScript off.
    let r = app
        .post_form(
            &pat,
            "/me/ideas",
            "/introductions",
            &[
                ("offer_id", &uuid(4)),
                ("contact", "07700 900123"),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let at = r.headers()["location"].to_str().unwrap().to_string();
    let html = pat
        .get(app.url(&at))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Send the introduction"), "{html}");
    let r = app.post_form(&pat, &at, &format!("{at}/send"), &[]).await;
    assert_eq!(r.status(), 303);
    let html = olu
        .get(app.url(&at))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("07700 900123") && html.contains("Say yes") && !html.contains("Okafor"),
        "{html}"
    );
    let r = app
        .post_form(&olu, &at, &format!("{at}/decline"), &[("reason", "")])
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &olu,
            &at,
            &format!("{at}/decline"),
            &[("reason", "We are full until spring")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = pat
        .get(app.url("/me/introductions"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("The group said no"), "{html}");
    let html = olu
        .get(app.url(&format!("/groups/{ORG}/introductions")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Pat") && !html.contains("Okafor"));
    // An old bookmark is sent on to the page's new address.
    let r = olu
        .get(app.url(&format!("/organisations/{ORG}/introductions")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"],
        format!("/groups/{ORG}/introductions").as_str()
    );
}

async fn shortlists_and_check_ins(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    seed(&app).await;
    let (pat, pat_id) = person(&app, "pat@example.org", "Pat Okafor").await;
    let (connie, connie_id) = app
        .signed_in_as(Role::Connector, "connie@example.org")
        .await;
    let lists = format!("/api/v1/people/{pat_id}/shortlists");
    let r = api(
        &app,
        &connie,
        Method::POST,
        &lists,
        Some(json!({"title": "Tuesday mornings"})),
    )
    .await;
    assert_eq!(r.0, 404, "not before Pat chooses her");
    choose_connector(&app, &pat, &connie, pat_id, connie_id).await;
    let r = api(
        &app,
        &connie,
        Method::POST,
        &lists,
        Some(json!({"title": " "})),
    )
    .await;
    assert_eq!((r.0, r.1["error"]["field"].clone()), (422, json!("title")));
    let (s, list) = api(
        &app,
        &connie,
        Method::POST,
        &lists,
        Some(json!({"title": "Tuesday mornings"})),
    )
    .await;
    assert_eq!(s, 201, "{list}");
    let id = list["id"].as_i64().unwrap();
    let r = api(
        &app,
        &connie,
        Method::POST,
        &format!("/api/v1/shortlists/{id}/share"),
        None,
    )
    .await;
    assert_eq!(
        (r.0, r.1["error"]["code"].clone()),
        (422, json!("shortlist_empty"))
    );
    let (s, list) = api(
        &app,
        &connie,
        Method::POST,
        &format!("/api/v1/shortlists/{id}/items"),
        Some(json!({"offer_id": uuid(1), "note": "You said you miss singing."})),
    )
    .await;
    assert_eq!(
        (s, list["items"][0]["offer_name"].clone()),
        (200, json!("Carers' choir"))
    );
    // Not shared yet: Pat sees nothing.
    let (_, mine) = get(&app, &pat, "/api/v1/me/shortlists").await;
    assert_eq!(mine, json!([]));
    let pick = format!("/api/v1/shortlists/{id}/items/{}/pick", uuid(1));
    assert_eq!(api(&app, &pat, Method::POST, &pick, None).await.0, 404);
    let (s, _) = api(
        &app,
        &connie,
        Method::POST,
        &format!("/api/v1/shortlists/{id}/share"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (_, mine) = get(&app, &pat, "/api/v1/me/shortlists").await;
    assert_eq!(
        mine[0]["items"][0]["note"],
        json!("You said you miss singing.")
    );
    let (s, picked) = api(&app, &pat, Method::POST, &pick, None).await;
    assert_eq!(
        (s, picked["items"][0]["picked"].clone()),
        (200, json!(true))
    );
    let (_, told) = get(&app, &connie, "/api/v1/me/notifications").await;
    assert!(told.to_string().contains("picked something"), "{told}");
    // Someone else's connector can neither see nor add.
    let (kofi, _) = app.signed_in_as(Role::Connector, "kofi@example.org").await;
    assert_eq!(get(&app, &kofi, &lists).await.0, 404);
    assert_eq!(
        api(
            &app,
            &kofi,
            Method::POST,
            &format!("/api/v1/shortlists/{id}/items"),
            Some(json!({"offer_id": uuid(6)}))
        )
        .await
        .0,
        404
    );

    // Connie can put any offer on the list, not only Pat's ideas: the far choir is beyond
    // how far Pat travels, so it is no idea of hers, but Connie finds it by its words.
    let page = format!("/people/{pat_id}/shortlists");
    let (_, html) = app.page_as(&connie, &page).await;
    let far = uuid(2);
    assert!(
        !html.contains(&format!("<option value=\"{far}\"")),
        "the far choir is not among Pat's ideas"
    );
    let (_, html) = app
        .page_as(&connie, &format!("{page}?find=far+choir"))
        .await;
    assert!(
        html.contains(&format!("href=\"/directory/offers/{far}\">Far choir</a>"))
            && html.contains(&format!("name=\"offer_id\" value=\"{far}\"")),
        "found by its words, with a button to add it"
    );
    let (_, nothing) = app.page_as(&connie, &format!("{page}?find=zzqx")).await;
    assert!(nothing.contains("Nothing in the directory matches"));
    let r = app
        .post_form(
            &connie,
            &format!("{page}?find=far+choir"),
            &format!("/shortlists/{id}/items"),
            &[("offer_id", &far), ("note", "Worth the bus ride")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, mine) = get(&app, &pat, "/api/v1/me/shortlists").await;
    assert!(
        mine[0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["offer_name"] == json!("Far choir")
                && i["note"] == json!("Worth the bus ride")),
        "{mine}"
    );

    // Check-ins are Pat's alone.
    let r = api(
        &app,
        &pat,
        Method::POST,
        "/api/v1/me/check-ins",
        Some(json!({"moment": "start", "satisfied": 11})),
    )
    .await;
    assert_eq!(
        (r.0, r.1["error"]["field"].clone()),
        (422, json!("satisfied"))
    );
    let r = api(
        &app,
        &pat,
        Method::POST,
        "/api/v1/me/check-ins",
        Some(json!({"moment": "later", "happy": 3})),
    )
    .await;
    assert_eq!((r.0, r.1["error"]["field"].clone()), (422, json!("moment")));
    let (s, all) = api(&app, &pat, Method::POST, "/api/v1/me/check-ins", Some(json!({"moment": "start", "satisfied": 4, "worthwhile": 5, "happy": 3, "anxious": 7, "changed": "Lonely since moving."}))).await;
    assert_eq!(s, 201, "{all}");
    let (s, all) = api(&app, &pat, Method::POST, "/api/v1/me/check-ins", Some(json!({"moment": "six_weeks", "satisfied": 7, "anxious": 4, "changed": "I sing on Tuesdays now."}))).await;
    assert_eq!(s, 201);
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[1]["happy"], Value::Null);
    let html = pat
        .get(app.url("/me/check-ins"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<svg")
            && html.contains("I sing on Tuesdays now.")
            && html.contains("After three months"),
        "{html}"
    );
    let html = connie
        .get(app.url("/me/check-ins"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("I sing on Tuesdays now."));
    // In Pat's own export.
    let (_, export) = get(&app, &pat, "/api/v1/me/information").await;
    let text = export.to_string();
    assert!(
        text.contains("I sing on Tuesdays now.") && text.contains("You said you miss singing."),
        "{text}"
    );
    // Forgotten: her check-ins, shortlists and the notices about her go with her.
    let (s, _) = api(
        &app,
        &pat,
        Method::POST,
        "/api/v1/me/forget",
        Some(json!({"password": village_testkit::PASSWORD})),
    )
    .await;
    assert_eq!(s, 204);
    let (_, told) = get(&app, &connie, "/api/v1/me/notifications").await;
    assert_eq!(told, json!([]), "{told}");
    assert_eq!(get(&app, &connie, &lists).await.0, 404);
}

/// However far someone travels and whichever access they need, their suggestions come
/// (a wide reach with an uncommon need once made a query too long for SQLite).
async fn a_wide_reach_with_any_essential_need_is_answered(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    seed(&app).await;
    let (pat, _) = person(&app, "pat@example.org", "Pat Okafor").await;
    pats_profile(&app, &pat).await;
    for (km, essential) in [
        (35, json!(["bsl"])),
        (60, json!(["assistance_dogs", "quiet_space"])),
        (35, json!(["step_free"])),
        (500, json!(["step_free", "hearing_loop"])),
    ] {
        let (s, body) = api(&app, &pat, Method::PUT, "/api/v1/me/profile", Some(json!({
            "travel": {"text": "I drive.", "postcode": "MF1 1AA", "max_km": km, "visibility": "only_me"},
            "access_needs": {"text": "", "needs": essential.clone(), "essential": essential.clone(), "visibility": "only_me"},
        }))).await;
        assert_eq!(s, 200, "{body}");
        let (s, list) = get(&app, &pat, "/api/v1/me/suggestions").await;
        assert_eq!(s, 200, "{km} km, {essential}: {list}");
        if essential == json!(["step_free"]) {
            assert_eq!(
                ids(&list),
                vec![uuid(1), uuid(2), uuid(6)],
                "the far choir is in reach"
            );
        }
    }
}

/// With `[suggestions] keep = false` every visit works the suggestions out again: the same
/// ones, and nothing is kept.
async fn a_hub_that_keeps_nothing_works_the_same_suggestions_out(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| s.suggestions.keep = false).await else {
        return;
    };
    seed(&app).await;
    let (pat, pat_id) = person(&app, "pat@example.org", "Pat Okafor").await;
    pats_profile(&app, &pat).await;
    let (_, first) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(ids(&first), vec![uuid(1), uuid(6)]);
    let (_, again) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(again, first);
    let mut c = app.store.conn().await.unwrap();
    let (_, kept) = village_store::connections::cached_ideas(&mut c, pat_id, "own")
        .await
        .unwrap();
    assert!(kept.is_none(), "nothing was kept");
}

/// Suggestions are kept per person, and worked out again as soon as an offer changes.
async fn kept_suggestions_follow_changes_to_the_directory(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    seed(&app).await;
    // A hub with offers starts again (every start migrates and fills what matching keeps).
    app.store.migrate().await.unwrap();
    let (pat, pat_id) = person(&app, "pat@example.org", "Pat Okafor").await;
    pats_profile(&app, &pat).await;
    let (_, first) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(ids(&first), vec![uuid(1), uuid(6)]);
    let (_, again) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(again, first, "the same answer while nothing changed");
    let mut c = app.store.conn().await.unwrap();
    let (_, kept) = village_store::connections::cached_ideas(&mut c, pat_id, "own")
        .await
        .unwrap();
    assert!(kept.is_some(), "the suggestions were kept");
    drop(c);

    // A new offer that fits even better, and the best one closing.
    let arts = CATEGORIES[1].id;
    let step = Access::StepFree.term_id();
    let carers = Community::Carers.term_id();
    let change = |o: Offer| {
        let r = record(&o);
        let (index, _) = village_domain::directory::oruk::read_service(&r).unwrap();
        (index, r.to_string())
    };
    let (new_index, new_doc) = change(Offer {
        n: 8,
        name: "Carers' singing circle",
        km_north: 0.2,
        day: "TU",
        opens: "10:00",
        closes: "12:00",
        terms: vec![arts, step, carers],
        max_age: None,
        free: true,
        status: "active",
    });
    let mut tx = app.store.begin().await.unwrap();
    village_store::directory::upsert_service(
        &mut tx,
        &new_index,
        &new_doc,
        true,
        village_app::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (_, list) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(ids(&list), vec![uuid(8), uuid(1), uuid(6)], "{list:#}");

    let (closed_index, closed_doc) = change(Offer {
        n: 1,
        name: "Carers' choir",
        km_north: 1.0,
        day: "TU",
        opens: "10:00",
        closes: "12:00",
        terms: vec![arts, step, carers],
        max_age: None,
        free: true,
        status: "inactive",
    });
    let mut tx = app.store.begin().await.unwrap();
    village_store::directory::upsert_service(
        &mut tx,
        &closed_index,
        &closed_doc,
        true,
        village_app::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (_, list) = get(&app, &pat, "/api/v1/me/suggestions").await;
    assert_eq!(
        ids(&list),
        vec![uuid(8), uuid(6)],
        "a closed offer is gone at once"
    );
}

/// Tom, in the demo, grows things at Hawthorn Allotments by his home: the allotment taster
/// there (his interest, when he is free, quiet) is his first idea, said to be very close to
/// his home, above offers further away.
async fn what_fits_by_someone_s_home_comes_first(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let tom = app.demo_person("tom.wright@meadowfield.example").await;
    let (s, ideas) = get(&app, &tom, "/api/v1/me/suggestions").await;
    assert_eq!(s, 200);
    let first = &ideas[0];
    assert_eq!(first["name"], json!("Allotment taster"), "{ideas:#}");
    let reasons = first["reasons"].to_string();
    assert!(
        reasons.contains("Very close to your home")
            && reasons.contains("Nature and gardening: one of your interests"),
        "{reasons}"
    );
}
