//! Gatherings, on SQLite and PostgreSQL: published only with a chair with lived experience
//! who agreed (page and API); places never overfilled, however many sign up at once; a place
//! that frees goes to the next person waiting, held for 48 hours; what people said would
//! help them is seen by organisers and chairs only, and gone from the database files 30
//! days after the gathering.
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    a_gathering_is_published_only_with_a_lived_experience_chair_who_agreed,
    fifty_people_signing_up_at_once_for_ten_places_leave_exactly_ten_going,
    a_place_that_frees_is_offered_to_the_next_person_and_held_for_48_hours,
    what_would_help_is_seen_by_organisers_and_chairs_only_and_then_deleted,
    a_place_comes_with_a_calendar_file_and_a_reminder_two_days_before,
    the_demo_has_gatherings_once_however_often_it_loads,
);

const DAY: i64 = 86_400;

/// A London time `days` from now at 2pm, as a form or client would give it.
fn at(days: i64, hour: u32) -> String {
    let d = chrono::Utc::now().date_naive() + chrono::Days::new(days as u64);
    format!("{d}T{hour:02}:00")
}

pub(crate) async fn draft(app: &TestApp, who: &Person, extra: Value) -> i64 {
    let mut body = json!({
        "title": "Meadowfield people's assembly",
        "about": "Deciding together what we push for next year.",
        "starts_at": at(7, 14),
        "ends_at": at(7, 16),
        "place": {"venue": "Meadowfield Community Centre", "address": "1 Green Lane", "postcode": "mf1 1aa"},
        "access": ["step_free", "hearing_loop"],
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, out) = app.post_json(&who.client, "/api/v1/gatherings", body).await;
    assert_eq!(status, 201, "{out}");
    assert_eq!(out["state"], "draft");
    out["id"].as_i64().unwrap()
}

async fn call(app: &TestApp, who: &Person, path: &str) -> (u16, Value) {
    app.post_json(&who.client, path, json!({})).await
}

fn code(out: &Value) -> Option<&str> {
    out["error"]["code"].as_str()
}

/// `n` members who never sign in, as the app sees them (for many at once).
pub(crate) async fn crowd(app: &TestApp, n: usize) -> Vec<village_app::accounts::Identity> {
    let mut people = Vec::new();
    let mut c = app.store.conn().await.unwrap();
    for n in 0..n {
        let new = village_store::accounts::NewUser {
            email: &format!("p{n}@example.org"),
            display_name: &format!("Person {n}"),
            password_hash: "not a hash: never signs in",
            role: Role::Member,
        };
        let uid = village_store::accounts::create_user(&mut c, &new, 1)
            .await
            .unwrap();
        let user = village_store::accounts::user_by_id(&mut c, uid)
            .await
            .unwrap()
            .unwrap();
        people.push(village_app::accounts::Identity {
            user,
            via: village_app::identity::Via::ApiToken { id: 0 },
        });
    }
    people
}

/// A published gathering, chaired by `chair` (who has lived experience).
pub(crate) async fn published(
    app: &TestApp,
    organiser: &Person,
    chair: &Person,
    extra: Value,
) -> i64 {
    let id = draft(app, organiser, extra).await;
    let (status, out) = app
        .post_json(
            &organiser.client,
            &format!("/api/v1/gatherings/{id}/chairs"),
            json!({"member_id": chair.id}),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let (status, out) = call(
        app,
        chair,
        &format!("/api/v1/gatherings/{id}/chair-invitation/accept"),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let (status, out) = call(app, organiser, &format!("/api/v1/gatherings/{id}/publish")).await;
    assert_eq!(status, 200, "{out}");
    id
}

async fn a_gathering_is_published_only_with_a_lived_experience_chair_who_agreed(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let ben = app.member("ben@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let kim = app.member("kim@example.org", false).await;
    let id = draft(&app, &ola, json!({})).await;
    let path = format!("/api/v1/gatherings/{id}");

    // A draft is seen by its organisers and the people asked to chair it only.
    assert_eq!(app.get_json(&kim.client, &path).await.0, 404);
    assert_eq!(app.get_json(&app.client(), &path).await.0, 404);
    assert_eq!(
        app.get_json(&app.client(), "/api/v1/gatherings").await.1,
        json!([])
    );

    // A draft cancelled was never public: still not seen, nor listed.
    let other = draft(&app, &ola, json!({"title": "Never mind"})).await;
    let (status, _) = call(&app, &ola, &format!("/api/v1/gatherings/{other}/cancel")).await;
    assert_eq!(status, 200);
    assert_eq!(
        app.get_json(&kim.client, &format!("/api/v1/gatherings/{other}"))
            .await
            .0,
        404
    );
    assert_eq!(
        app.get_json(&app.client(), "/api/v1/gatherings").await.1,
        json!([])
    );

    let publish = format!("{path}/publish");
    let (status, out) = call(&app, &ola, &publish).await;
    assert_eq!((status, code(&out)), (409, Some("chair_needed")), "{out}");
    assert!(out["error"]["message"]
        .as_str()
        .unwrap()
        .contains("lived experience"));

    // A chair without lived experience who agreed is welcome, but does not meet the rule.
    let invite = |who: i64| json!({"member_id": who});
    assert_eq!(
        app.post_json(&ola.client, &format!("{path}/chairs"), invite(ben.id))
            .await
            .0,
        200
    );
    assert_eq!(
        call(
            &app,
            &ben,
            &format!("{path}/chair-invitation/accept?named=true")
        )
        .await
        .0,
        200
    );
    assert_eq!(
        code(&call(&app, &ola, &publish).await.1),
        Some("chair_needed")
    );
    // Someone with lived experience asked, not yet agreed: still not.
    assert_eq!(
        app.post_json(&ola.client, &format!("{path}/chairs"), invite(lee.id))
            .await
            .0,
        200
    );
    assert_eq!(app.get_json(&lee.client, &path).await.0, 200);
    assert_eq!(
        code(&call(&app, &ola, &publish).await.1),
        Some("chair_needed")
    );
    // Only organisers ask chairs, and publish.
    assert_eq!(
        app.post_json(&kim.client, &format!("{path}/chairs"), invite(kim.id))
            .await
            .0,
        404
    );
    let (status, out) = app
        .post_json(&ola.client, &format!("{path}/chairs"), invite(999_999))
        .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("member_id"))
    );
    // Kim was never asked, so has nothing to answer.
    assert_eq!(
        call(&app, &kim, &format!("{path}/chair-invitation/accept"))
            .await
            .0,
        404
    );

    let (status, out) = call(&app, &lee, &format!("{path}/chair-invitation/accept")).await;
    assert_eq!(status, 200, "{out}");
    let (status, out) = call(&app, &ola, &publish).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["state"], "published");
    assert_eq!(out["chaired_by_lived_experience"], true);
    // Ben agreed to be named; Lee did not say so, so Lee is not named.
    assert_eq!(out["chairs"].as_array().unwrap().len(), 1);
    assert_eq!(
        code(&call(&app, &ola, &publish).await.1),
        Some("not_allowed_now")
    );

    // Published: anyone sees it (never the invitations, never the joining link).
    let (status, seen) = app.get_json(&app.client(), &path).await;
    assert_eq!(status, 200);
    assert!(seen.get("invited_chairs").is_none());
    let (_, list) = app.get_json(&app.client(), "/api/v1/gatherings").await;
    assert_eq!(list[0]["id"], id);
    assert_eq!(call(&app, &kim, &publish).await.0, 403);

    // Lee steps down: it needs a chair with lived experience again, and Ola is told.
    let (status, out) = call(&app, &lee, &format!("{path}/chair-invitation/decline")).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["chaired_by_lived_experience"], false);
    assert_eq!(out["state"], "published");
    let (_, notices) = app.get_json(&ola.client, "/api/v1/me/notifications").await;
    assert!(
        notices.as_array().unwrap().iter().any(|n| n["body"]
            .as_str()
            .unwrap()
            .contains("needs a chair with lived experience again")),
        "{notices}"
    );

    // Cancelled once, by an organiser only.
    assert_eq!(call(&app, &kim, &format!("{path}/cancel")).await.0, 403);
    let (status, out) = call(&app, &ola, &format!("{path}/cancel")).await;
    assert_eq!((status, out["state"].as_str()), (200, Some("cancelled")));
    assert_eq!(
        code(&call(&app, &ola, &format!("{path}/cancel")).await.1),
        Some("not_allowed_now")
    );
}

async fn fifty_people_signing_up_at_once_for_ten_places_leave_exactly_ten_going(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let id = published(&app, &ola, &lee, json!({"capacity": 10})).await;
    let state = crate::mutual_aid::app_over(&app);
    let people = crowd(&app, 50).await;
    let t = village_app::now();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(people.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for who in people {
        let (state, start) = (state.clone(), start.clone());
        tasks.spawn(async move {
            start.wait().await;
            let body = village_app::gatherings::SignUpBody::default();
            village_app::gatherings::sign_up(&state, &who, id, &body, t).await
        });
    }
    let (mut going, mut waiting) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            Ok(village_domain::gatherings::places::Place::Going) => going += 1,
            Ok(village_domain::gatherings::places::Place::Waiting) => waiting += 1,
            other => panic!("a sign-up failed: {other:?}"),
        }
    }
    assert_eq!((going, waiting), (10, 40));
    let (_, out) = app
        .get_json(&ola.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    assert_eq!(
        (out["going"].as_i64(), out["waiting"].as_i64()),
        (Some(10), Some(40))
    );
    // Two more places: the next two waiting are offered them at once.
    let body = json!({
        "title": out["title"], "about": out["about"], "starts_at": out["starts_at"],
        "ends_at": out["ends_at"], "place": out["place"], "capacity": 12,
    });
    let (status, out) = app
        .put_json(&ola.client, &format!("/api/v1/gatherings/{id}"), body)
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        (out["going"].as_i64(), out["waiting"].as_i64()),
        (Some(10), Some(38))
    );
}

async fn my_state(app: &TestApp, who: &Person, id: i64) -> Option<String> {
    let (status, out) = app
        .get_json(&who.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    assert_eq!(status, 200, "{out}");
    out["my_state"].as_str().map(str::to_string)
}

async fn sign_up(app: &TestApp, who: &Person, id: i64, body: Value) -> String {
    let (status, out) = app
        .post_json(
            &who.client,
            &format!("/api/v1/gatherings/{id}/sign-ups"),
            body,
        )
        .await;
    assert_eq!(status, 200, "{out}");
    out["state"].as_str().unwrap().to_string()
}

async fn a_place_that_frees_is_offered_to_the_next_person_and_held_for_48_hours(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    // Two places, one kept for people who draw on care and support.
    let id = published(
        &app,
        &ola,
        &lee,
        json!({"capacity": 2, "reserved_places": 1}),
    )
    .await;
    let amy = app.member("amy@example.org", false).await;
    let bob = app.member("bob@example.org", false).await;
    let cat = app.member("cat@example.org", true).await;
    let dan = app.member("dan@example.org", false).await;
    assert_eq!(sign_up(&app, &amy, id, json!({})).await, "going");
    // The other place is kept: Bob waits, Cat (who draws on support) has it.
    assert_eq!(sign_up(&app, &bob, id, json!({})).await, "waiting");
    assert_eq!(sign_up(&app, &cat, id, json!({})).await, "going");
    assert_eq!(sign_up(&app, &dan, id, json!({})).await, "waiting");
    // Signing up again keeps the place.
    assert_eq!(sign_up(&app, &amy, id, json!({})).await, "going");

    // Amy leaves: Bob, next, is offered her place and told.
    let (status, _) = app
        .call(
            &amy.client,
            reqwest::Method::DELETE,
            &format!("/api/v1/gatherings/{id}/sign-ups/me"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(my_state(&app, &amy, id).await, None);
    assert_eq!(my_state(&app, &bob, id).await.as_deref(), Some("offered"));
    assert_eq!(my_state(&app, &dan, id).await.as_deref(), Some("waiting"));
    let (_, notices) = app.get_json(&bob.client, "/api/v1/me/notifications").await;
    assert!(
        notices[0]["body"].as_str().unwrap().contains("is free"),
        "{notices}"
    );
    // The place is held: nobody new takes it.
    let eve = app.member("eve@example.org", false).await;
    assert_eq!(sign_up(&app, &eve, id, json!({})).await, "waiting");

    // 48 hours pass without an answer: the place goes to Dan, and Bob is told.
    let state = crate::mutual_aid::app_over(&app);
    village_app::gatherings::hourly(&state, village_app::now() + 47 * 3600)
        .await
        .unwrap();
    assert_eq!(my_state(&app, &bob, id).await.as_deref(), Some("offered"));
    village_app::gatherings::hourly(&state, village_app::now() + 49 * 3600)
        .await
        .unwrap();
    assert_eq!(my_state(&app, &bob, id).await, None);
    assert_eq!(my_state(&app, &dan, id).await.as_deref(), Some("offered"));
    let (_, notices) = app.get_json(&bob.client, "/api/v1/me/notifications").await;
    assert!(
        notices[0]["body"].as_str().unwrap().contains("48 hours"),
        "{notices}"
    );
    // Only the person offered may take it.
    let take = format!("/api/v1/gatherings/{id}/sign-ups/me/take");
    assert_eq!(
        code(&call(&app, &eve, &take).await.1),
        Some("not_allowed_now")
    );
    let (status, out) = call(&app, &dan, &take).await;
    assert_eq!((status, out["state"].as_str()), (200, Some("going")));
    let (_, out) = app
        .get_json(&ola.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    assert_eq!(
        (out["going"].as_i64(), out["waiting"].as_i64()),
        (Some(2), Some(1))
    );

    // Dan asks to be forgotten: his place goes, and within the hour Eve is offered it.
    let (status, out) = app
        .post_json(
            &dan.client,
            "/api/v1/me/forget",
            json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert!(status < 300, "{status} {out}");
    village_app::gatherings::hourly(&state, village_app::now())
        .await
        .unwrap();
    assert_eq!(my_state(&app, &eve, id).await.as_deref(), Some("offered"));
}

async fn what_would_help_is_seen_by_organisers_and_chairs_only_and_then_deleted(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let id = published(
        &app,
        &ola,
        &lee,
        json!({"online_url": "https://meet.example/assembly"}),
    )
    .await;
    let asked = app.member("asked@example.org", true).await;
    let (status, _) = app
        .post_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}/chairs"),
            json!({"member_id": asked.id}),
        )
        .await;
    assert_eq!(status, 200);
    let pat = app.member("pat@example.org", true).await;
    let sam = app.member("sam@example.org", false).await;
    let (status, out) = app
        .post_json(
            &pat.client,
            &format!("/api/v1/gatherings/{id}/sign-ups"),
            json!({"needs": ["ramp"]}),
        )
        .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("needs"))
    );
    sign_up(
        &app,
        &pat,
        id,
        json!({"needs": ["communication_professional", "quiet_space"], "words": "Quokka ramp please"}),
    )
    .await;
    sign_up(&app, &sam, id, json!({})).await;

    // The joining link is for people with a place.
    let path = format!("/api/v1/gatherings/{id}");
    assert_eq!(
        app.get_json(&sam.client, &path).await.1["online_url"],
        "https://meet.example/assembly"
    );
    assert!(app
        .get_json(&app.client(), &path)
        .await
        .1
        .get("online_url")
        .is_none());

    let needs = format!("{path}/needs");
    for role in Role::ALL {
        let someone = app
            .with_user(*role, &format!("{role:?}@example.org"), false)
            .await;
        assert_eq!(
            app.get_json(&someone.client, &needs).await.0,
            403,
            "{role:?}"
        );
    }
    for who in [&sam, &pat, &asked] {
        assert_eq!(app.get_json(&who.client, &needs).await.0, 403);
    }
    assert_eq!(app.get_json(&app.client(), &needs).await.0, 401);
    for who in [&ola, &lee] {
        let (status, out) = app.get_json(&who.client, &needs).await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(out.as_array().unwrap().len(), 1, "{out}");
        assert_eq!(out[0]["member_id"], pat.id);
        assert_eq!(
            out[0]["needs"],
            json!(["communication_professional", "quiet_space"])
        );
        assert_eq!(out[0]["words"], "Quokka ramp please");
    }
    // Both looks are in Pat's log of who looked.
    let (_, log) = app.get_json(&pat.client, "/api/v1/me/access-log").await;
    let lookers: Vec<i64> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "personal_data_viewed")
        .filter_map(|e| e["actor_id"].as_i64())
        .collect();
    assert!(
        lookers.contains(&ola.id) && lookers.contains(&lee.id),
        "{log}"
    );

    // They are in Pat's own information.
    let (_, mine) = app.get_json(&pat.client, "/api/v1/me/export").await;
    assert_eq!(mine["gatherings"][0]["gathering_id"], id);
    assert_eq!(mine["gatherings"][0]["place"], "going");
    assert_eq!(mine["gatherings"][0]["words"], "Quokka ramp please");
    assert_eq!(
        mine["gatherings"][0]["needs"],
        json!(["communication_professional", "quiet_space"])
    );
    // And on the page of everything held about Pat, linked to the gathering.
    let (_, page) = app.page_as(&pat.client, "/me/information/everything").await;
    assert!(
        page.contains(&format!("href=\"/gatherings/{id}\"")),
        "{page}"
    );
    assert!(
        page.contains("Quokka ramp please") && page.contains("A quiet space"),
        "{page}"
    );
    assert!(page.contains("deleted 30 days after"), "{page}");

    // Gone 30 days after the gathering ends, from the database's files too.
    let state = crate::mutual_aid::app_over(&app);
    let (_, seen) = app.get_json(&ola.client, &path).await;
    let ends =
        village_domain::gatherings::gathering::parse_moment(seen["ends_at"].as_str().unwrap())
            .unwrap();
    assert_eq!(
        village_app::gatherings::hourly(&state, ends + 30 * DAY - 60)
            .await
            .unwrap(),
        0
    );
    assert!(crate::people::database_contains(&app, "Quokka ramp").await);
    assert_eq!(
        village_app::gatherings::hourly(&state, ends + 30 * DAY)
            .await
            .unwrap(),
        1
    );
    assert!(!crate::people::database_contains(&app, "Quokka ramp").await);
    let (_, out) = app.get_json(&ola.client, &needs).await;
    assert_eq!(out, json!([]));
    let (_, page) = app.page_as(&pat.client, "/me/information/everything").await;
    assert!(
        !page.contains("Quokka ramp") && page.contains(&format!("href=\"/gatherings/{id}\"")),
        "{page}"
    );
    // Pat's place stays.
    assert_eq!(my_state(&app, &pat, id).await.as_deref(), Some("going"));
}

async fn a_place_comes_with_a_calendar_file_and_a_reminder_two_days_before(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let extra = json!({"capacity": 1, "online_url": "https://meet.example/okapi"});
    let id = published(&app, &ola, &lee, extra).await;
    let pat = app.member("pat@example.org", true).await;
    let sam = app.member("sam@example.org", false).await;
    sign_up(&app, &pat, id, json!({"needs": ["quiet_space"]})).await;
    assert_eq!(sign_up(&app, &sam, id, json!({})).await, "waiting");

    // Pat's confirmation carries the calendar file, with the joining link for Pat.
    let mail = app
        .newest_mail_to("pat@example.org")
        .expect("a confirmation");
    assert!(mail.contains("Your place at"), "{mail}");
    assert!(mail.contains("text/calendar"), "{mail}");
    assert!(
        mail.contains("BEGIN:VCALENDAR") && mail.contains("https://meet.example/okapi"),
        "{mail}"
    );
    assert!(
        app.newest_mail_to("sam@example.org").is_none(),
        "no place, no confirmation"
    );
    // Signing up again to change what would help sends nothing more.
    let before = app.outbox_messages().len();
    sign_up(&app, &pat, id, json!({"needs": ["quiet_space", "food"]})).await;
    assert_eq!(app.outbox_messages().len(), before);

    // Two days before: a reminder to Pat (not Sam, who waits); the organisers are told how
    // many need what, never who. Once only.
    let state = crate::mutual_aid::app_over(&app);
    let (_, seen) = app
        .get_json(&ola.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    let starts =
        village_domain::gatherings::gathering::parse_moment(seen["starts_at"].as_str().unwrap())
            .unwrap();
    assert_eq!(
        village_app::gatherings::remind(&state, starts - 49 * 3600)
            .await
            .unwrap(),
        0
    );
    // Two servers at once: the reminders go once.
    let (a, b) = tokio::join!(
        village_app::gatherings::remind(&state, starts - 47 * 3600),
        village_app::gatherings::remind(&state, starts - 47 * 3600)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let soon = app
        .outbox_messages()
        .iter()
        .filter(|m| {
            m.contains("Subject: Soon:") && m.to_lowercase().contains("to: pat@example.org")
        })
        .count();
    assert_eq!(soon, 1);
    let mail = app.newest_mail_to("pat@example.org").unwrap();
    assert!(
        mail.contains("Soon:") && mail.contains("Join online: https://meet.example/okapi"),
        "{mail}"
    );
    assert!(mail.contains("Step-free way in"), "{mail}");
    assert!(app.newest_mail_to("sam@example.org").is_none());
    let (_, notices) = app.get_json(&ola.client, "/api/v1/me/notifications").await;
    let told = notices[0]["body"].as_str().unwrap();
    assert!(
        told.contains("1 person is going")
            && told.contains("A quiet space: 1")
            && told.contains("Food I can eat: 1"),
        "{told}"
    );
    assert!(
        !told.contains("pat") && !told.contains("Member person"),
        "{told}"
    );
    assert_eq!(
        village_app::gatherings::remind(&state, starts - 46 * 3600)
            .await
            .unwrap(),
        0
    );
}

async fn the_demo_has_gatherings_once_however_often_it_loads(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for _ in 0..2 {
        village_app::demo::load(&app.store, village_app::now())
            .await
            .unwrap();
    }
    let (_, list) = app.get_json(&app.client(), "/api/v1/gatherings").await;
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Coffee morning at the library",
            "Open space: what next for care in Meadowfield?",
            "Meadowfield people's assembly"
        ]
    );
    let assembly = &list[2];
    // The coffee morning comes round every week, with a week off.
    assert_eq!(list[0]["repeats"], "weekly");
    assert_eq!(list[0]["skip"].as_array().unwrap().len(), 1);
    let (_, g) = app
        .get_json(
            &app.client(),
            &format!("/api/v1/gatherings/{}", assembly["id"]),
        )
        .await;
    assert_eq!(g["chaired_by_lived_experience"], true);
    assert_eq!(g["chairs"].as_array().unwrap().len(), 2);
    assert!(g["going"].as_i64().unwrap() <= 12);
    assert!(g["waiting"].as_i64().unwrap() > 0, "{g}");
    // Grace's draft waits for Kwame, who is asked to chair it.
    let kwame = app.demo_person("kwame@meadowfield.example").await;
    let (_, page) = app.page_as(&kwame, "/gatherings").await;
    assert!(page.contains("Knit and natter open day"));
    let grace = app.demo_person("grace@meadowfield.example").await;
    let (_, page) = app.page_as(&grace, "/gatherings").await;
    assert_eq!(page.matches("Knit and natter open day").count(), 1);

    // The open-space day has sessions on its grid; last month's assembly has approved
    // minutes linking both sessions' notes, and an action that became a board proposal.
    let open_space = list[1]["id"].as_i64().unwrap();
    let (_, grid) = app
        .get_json(
            &app.client(),
            &format!("/api/v1/gatherings/{open_space}/sessions"),
        )
        .await;
    assert_eq!(grid["sessions"].as_array().unwrap().len(), 3, "{grid}");
    let (_, past) = app
        .get_json(&app.client(), "/api/v1/gatherings?from=2000-01-01")
        .await;
    let autumn = past
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["title"] == "Autumn people's assembly")
        .expect("the autumn assembly");
    assert_eq!(autumn["state"], "ended");
    let (status, minutes) = app
        .get_json(
            &app.client(),
            &format!("/api/v1/gatherings/{}/minutes", autumn["id"]),
        )
        .await;
    assert_eq!(status, 200, "{minutes}");
    assert_eq!(minutes["approved"], true);
    assert_eq!(minutes["sessions"].as_array().unwrap().len(), 2);
    let pid = minutes["actions"][0]["proposal_id"]
        .as_i64()
        .expect("a proposal");
    let (_, proposal) = app
        .get_json(&grace, &format!("/api/v1/proposals/{pid}"))
        .await;
    assert_eq!(
        proposal["came_from"]["url"],
        format!("/gatherings/{}/minutes", autumn["id"])
    );
}
