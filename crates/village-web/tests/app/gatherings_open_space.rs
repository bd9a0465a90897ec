//! Open space and minutes, on SQLite and PostgreSQL: no room ever holds two sessions at
//! once, however many ask at the same moment; the minutes are seen by others only once a
//! chair approves them, and then link every session's notes; a session or an action becomes
//! a proposal in a decision space in one step, linked both ways; forgetting someone keeps
//! the minutes' counts and takes their name off the sessions.
use crate::gatherings::published;
use serde_json::{json, Value};
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    no_room_holds_two_sessions_at_once,
    minutes_are_seen_once_a_chair_approves_them_and_link_every_session,
    a_session_and_an_action_become_proposals_linked_both_ways,
    forgetting_someone_keeps_the_counts_and_takes_their_name_off_sessions,
    open_space_and_minutes_work_on_their_pages_keeping_every_answer,
);

/// An open space that started an hour ago and ends in two: sessions every half hour.
async fn open_space(app: &TestApp, organiser: &Person, chair: &Person, rooms: Value) -> i64 {
    let now = chrono::Utc::now().timestamp();
    let moment = |t: i64| {
        chrono::DateTime::from_timestamp(t - t % 60, 0)
            .unwrap()
            .to_rfc3339()
    };
    published(
        app,
        organiser,
        chair,
        json!({
            "title": "Meadowfield open space",
            "starts_at": moment(now - 3600),
            "ends_at": moment(now + 2 * 3600),
            "open_space": true,
            "rooms": rooms,
            "session_minutes": 30,
        }),
    )
    .await
}

/// Sign up before it started (it started an hour ago).
async fn sign_up(app: &TestApp, who: &Person, id: i64) {
    let user = {
        let mut c = app.store.conn().await.unwrap();
        village_store::accounts::user_by_id(&mut c, who.id)
            .await
            .unwrap()
            .unwrap()
    };
    let who = village_app::accounts::Identity {
        user,
        via: village_app::identity::Via::ApiToken { id: 0 },
    };
    let state = crate::mutual_aid::app_over(app);
    let body = village_app::gatherings::SignUpBody::default();
    let place =
        village_app::gatherings::sign_up(&state, &who, id, &body, village_app::now() - 2 * 3600)
            .await
            .unwrap();
    assert_eq!(place, village_domain::gatherings::places::Place::Going);
}

fn code(out: &Value) -> Option<&str> {
    out["error"]["code"].as_str()
}

async fn times(app: &TestApp, id: i64) -> Vec<String> {
    let (status, grid) = app
        .get_json(&app.client(), &format!("/api/v1/gatherings/{id}/sessions"))
        .await;
    assert_eq!(status, 200, "{grid}");
    grid["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

async fn session(app: &TestApp, who: &Person, id: i64, body: Value) -> (u16, Value) {
    app.post_json(
        &who.client,
        &format!("/api/v1/gatherings/{id}/sessions"),
        body,
    )
    .await
}

async fn no_room_holds_two_sessions_at_once(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let kim = app.member("kim@example.org", false).await;
    let bron = app
        .with_user(Role::Steward, "bron@example.org", false)
        .await;
    let id = open_space(&app, &ola, &lee, json!(["Main hall", "Garden room"])).await;
    let (_, grid) = app
        .get_json(&app.client(), &format!("/api/v1/gatherings/{id}/sessions"))
        .await;
    assert_eq!(grid["rooms"], json!(["Main hall", "Garden room"]));
    let times = times(&app, id).await;
    assert_eq!(times.len(), 6, "{grid}");

    // Someone not coming cannot add a session.
    let (status, out) = session(
        &app,
        &kim,
        id,
        json!({"title": "Buses", "room": "Main hall", "starts_at": times[2]}),
    )
    .await;
    assert_eq!((status, code(&out)), (409, Some("not_a_member")), "{out}");

    // Twenty people going ask for the main hall at the same moment: one gets it.
    let state = crate::mutual_aid::app_over(&app);
    let t = village_app::now();
    let crowd = crate::gatherings::crowd(&app, 20).await;
    for who in &crowd {
        let body = village_app::gatherings::SignUpBody::default();
        village_app::gatherings::sign_up(&state, who, id, &body, t - 2 * 3600)
            .await
            .unwrap();
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(crowd.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for (n, who) in crowd.into_iter().enumerate() {
        let (state, start, at) = (state.clone(), start.clone(), times[2].clone());
        tasks.spawn(async move {
            start.wait().await;
            let body = village_app::gatherings::open_space::SessionBody {
                title: format!("Idea {n}"),
                room: "Main hall".into(),
                starts_at: at,
                for_name: None,
            };
            village_app::gatherings::open_space::propose(&state, &who, id, &body, t).await
        });
    }
    let (mut won, mut taken) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            Ok(_) => won += 1,
            Err(village_app::Error::Conflict(village_domain::error::ErrorCode::RoomTaken, _)) => {
                taken += 1
            }
            other => panic!("a session was neither added nor refused as taken: {other:?}"),
        }
    }
    assert_eq!((won, taken), (1, 19));
    let mut people = Vec::new();
    for i in 0..3 {
        let p = app.member(&format!("m{i}@example.org"), i % 2 == 0).await;
        sign_up(&app, &p, id).await;
        people.push(p);
    }

    // The same room written another way is the same room; another room is free.
    let sam = &people[0];
    let (status, out) = session(
        &app,
        sam,
        id,
        json!({"title": "Housing", "room": " main  HALL ", "starts_at": times[2]}),
    )
    .await;
    assert_eq!((status, code(&out)), (409, Some("room_taken")), "{out}");
    assert!(out["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Main hall already has a session"));
    let (status, out) = session(
        &app,
        sam,
        id,
        json!({"title": "Housing", "room": "garden room", "starts_at": times[2]}),
    )
    .await;
    assert_eq!(status, 201, "{out}");
    assert_eq!(out["room"], "Garden room");
    assert_eq!(out["convener"], "Member person");

    // A room the organisers did not name, or a time off the grid, is named.
    let (status, out) = session(
        &app,
        sam,
        id,
        json!({"title": "Food", "room": "Kitchen", "starts_at": times[3]}),
    )
    .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("room"))
    );
    let (status, out) = session(
        &app,
        sam,
        id,
        json!({"title": "Food", "room": "Main hall", "starts_at": "2031-01-01T10:00"}),
    )
    .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("starts_at"))
    );

    // A steward types one in for someone at the event; someone going may not.
    let (status, out) = session(
        &app,
        &bron,
        id,
        json!({"title": "Carers' rights", "room": "Main hall", "starts_at": times[3], "for_name": "Mo"}),
    )
    .await;
    assert_eq!(
        (status, out["convener"].as_str()),
        (201, Some("Mo")),
        "{out}"
    );
    let mo_session = out["id"].as_i64().unwrap();
    let (status, _) = session(
        &app,
        sam,
        id,
        json!({"title": "Art", "room": "Main hall", "starts_at": times[4], "for_name": "Jo"}),
    )
    .await;
    assert_eq!(status, 403);

    // The grid has each room once at each time.
    let (_, grid) = app
        .get_json(&app.client(), &format!("/api/v1/gatherings/{id}/sessions"))
        .await;
    let sessions = grid["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3, "{grid}");
    let mut squares: Vec<(String, String)> = sessions
        .iter()
        .map(|s| {
            (
                s["room"].as_str().unwrap().to_string(),
                s["starts_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    squares.sort();
    squares.dedup();
    assert_eq!(squares.len(), 3);

    // Notes: someone going offers to take them (once); the note-taker writes them; someone
    // else may not.
    let notes = format!("/api/v1/gatherings/{id}/sessions/{mo_session}");
    let taker = &people[1];
    let (status, out) = app
        .post_json(&taker.client, &format!("{notes}/note-taker"), json!({}))
        .await;
    assert_eq!(
        (status, out["note_taker"].as_str()),
        (200, Some("Member person"))
    );
    let (status, _) = app
        .post_json(&people[2].client, &format!("{notes}/note-taker"), json!({}))
        .await;
    assert_eq!(status, 409);
    let (status, out) = app
        .put_json(
            &taker.client,
            &format!("{notes}/notes"),
            json!({"notes": "Carers want a break once a month."}),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["notes"], "Carers want a break once a month.");
    let (status, _) = app
        .put_json(
            &kim.client,
            &format!("{notes}/notes"),
            json!({"notes": "x"}),
        )
        .await;
    assert_eq!(status, 403);
}

async fn minutes_are_seen_once_a_chair_approves_them_and_link_every_session(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let sam = app.member("sam@example.org", true).await;
    let id = open_space(&app, &ola, &lee, json!([])).await;
    sign_up(&app, &sam, id).await;
    let times = times(&app, id).await;
    let mut session_urls = Vec::new();
    for (room, title) in [("By the window", "Buses"), ("Corner table", "Housing")] {
        let (status, out) = session(
            &app,
            &sam,
            id,
            json!({"title": title, "room": room, "starts_at": times[if title == "Buses" { 0 } else { 1 }]}),
        )
        .await;
        assert_eq!(status, 201, "{out}");
        session_urls.push(out["url"].as_str().unwrap().to_string());
    }
    let path = format!("/api/v1/gatherings/{id}/minutes");
    assert_eq!(app.get_json(&sam.client, &path).await.0, 404);

    // Only organisers and chairs write them; bad answers are named.
    let minutes = json!({
        "body": "We talked about buses and housing.",
        "came": 42,
        "groups": ["Knit and natter", "Carers' group"],
        "actions": [{"what": "Ask the council about the 42 bus", "who": "Ola", "by": "2027-01-28"}],
    });
    assert_eq!(
        app.put_json(&sam.client, &path, minutes.clone()).await.0,
        403
    );
    let mut bad = minutes.clone();
    bad["actions"][0]["by"] = json!("soon");
    let (status, out) = app.put_json(&ola.client, &path, bad).await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("actions"))
    );
    let (status, out) = app.put_json(&ola.client, &path, minutes.clone()).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["approved"], false);
    assert_eq!(out["came"], 42);

    // Nobody else sees them until a chair approves; an organiser is not a chair.
    assert_eq!(app.get_json(&sam.client, &path).await.0, 404);
    assert_eq!(app.get_json(&app.client(), &path).await.0, 404);
    let approve = format!("{path}/approve");
    assert_eq!(app.post_json(&ola.client, &approve, json!({})).await.0, 403);
    let (status, out) = app.post_json(&lee.client, &approve, json!({})).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["approved"], true);
    let (status, again) = app.post_json(&lee.client, &approve, json!({})).await;
    assert_eq!((status, code(&again)), (409, Some("already_decided")));

    // Approved, they are for everyone, and link every session's notes.
    let (status, seen) = app.get_json(&app.client(), &path).await;
    assert_eq!(status, 200, "{seen}");
    let mut linked: Vec<String> = seen["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap().to_string())
        .collect();
    linked.sort();
    session_urls.sort();
    assert_eq!(linked, session_urls);
    assert_eq!(seen["groups"], json!(["Knit and natter", "Carers' group"]));
    assert_eq!(seen["actions"][0]["by"], "2027-01-28");
    for url in &session_urls {
        let (status, page) = app.page(&format!("/gatherings/{id}/minutes")).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("href=\"{url}\"")), "{url}");
    }

    // Everyone who signed up is told.
    let (_, notices) = app.get_json(&sam.client, "/api/v1/me/notifications").await;
    assert!(
        notices.as_array().unwrap().iter().any(|n| n["body"]
            .as_str()
            .unwrap()
            .contains("The minutes of \"Meadowfield open space\" are out")),
        "{notices}"
    );

    // Changed, they wait for a chair again.
    let mut changed = minutes.clone();
    changed["came"] = json!(43);
    let (status, out) = app.put_json(&lee.client, &path, changed).await;
    assert_eq!((status, out["approved"].as_bool()), (200, Some(false)));
    assert_eq!(app.get_json(&sam.client, &path).await.0, 404);

    // A gathering still to come has no minutes yet.
    let later = crate::gatherings::published(&app, &ola, &lee, json!({})).await;
    let (status, out) = app
        .put_json(
            &ola.client,
            &format!("/api/v1/gatherings/{later}/minutes"),
            minutes,
        )
        .await;
    assert_eq!((status, code(&out)), (409, Some("not_allowed_now")));
}

async fn a_session_and_an_action_become_proposals_linked_both_ways(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let sam = app.member("sam@example.org", true).await;
    let kit = app.member("kit@example.org", true).await;
    let id = open_space(&app, &ola, &lee, json!([])).await;
    sign_up(&app, &sam, id).await;
    sign_up(&app, &kit, id).await;
    let times = times(&app, id).await;
    let (_, out) = session(
        &app,
        &sam,
        id,
        json!({"title": "Buses to the clinic", "room": "Hall", "starts_at": times[0]}),
    )
    .await;
    let sid = out["id"].as_i64().unwrap();
    let base = format!("/api/v1/gatherings/{id}/sessions/{sid}");
    let (status, _) = app
        .put_json(
            &sam.client,
            &format!("{base}/notes"),
            json!({"notes": "The 42 stops before the clinic opens."}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, out) = app
        .post_json(
            &ola.client,
            "/api/v1/spaces",
            json!({"name": "Transport", "min_lived_share": 0.5, "min_lived_count": 1, "open": true}),
        )
        .await;
    assert_eq!(status, 201, "{out}");
    let space = out["id"].as_i64().unwrap();

    // Someone who neither leads the session nor runs the gathering may not; the convener
    // needs to take part in the space first.
    let to = format!("{base}/proposal");
    let (status, _) = app
        .post_json(&kit.client, &to, json!({"space_id": space}))
        .await;
    assert_eq!(status, 403);
    let (status, out) = app
        .post_json(&sam.client, &to, json!({"space_id": space}))
        .await;
    assert_eq!((status, code(&out)), (409, Some("not_a_member")), "{out}");
    let (status, _) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/spaces/{space}/join"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let (status, made) = app
        .post_json(&sam.client, &to, json!({"space_id": space}))
        .await;
    assert_eq!(status, 201, "{made}");
    let pid = made["proposal_id"].as_i64().unwrap();

    // Linked both ways: the proposal says where it came from; the session names it.
    let (_, proposal) = app
        .get_json(&sam.client, &format!("/api/v1/proposals/{pid}"))
        .await;
    assert_eq!(proposal["title"], "Buses to the clinic");
    assert!(proposal["body"]
        .as_str()
        .unwrap()
        .contains("The 42 stops before the clinic opens."));
    assert_eq!(
        proposal["came_from"]["url"],
        format!("/gatherings/{id}/sessions/{sid}")
    );
    let (_, s) = app.get_json(&sam.client, &base).await;
    assert_eq!(s["proposal_id"], pid);
    let (_, page) = app.page_as(&sam.client, &format!("/proposals/{pid}")).await;
    assert!(page.contains(&format!("href=\"/gatherings/{id}/sessions/{sid}\"")));
    let (status, out) = app
        .post_json(&sam.client, &to, json!({"space_id": space}))
        .await;
    assert_eq!((status, code(&out)), (409, Some("already_decided")));

    // An action in the minutes becomes one too, and keeps it when the minutes change.
    let path = format!("/api/v1/gatherings/{id}/minutes");
    let (status, out) = app
        .put_json(
            &lee.client,
            &path,
            json!({"body": "Buses.", "came": 12, "actions": [
                {"what": "Ask for an earlier 42 bus", "who": "Sam and Ola", "by": "2027-02-01"},
                {"what": "Share the timetable", "who": "Lee"}]}),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let aid = out["actions"][0]["id"].as_i64().unwrap();
    let (status, made) = app
        .post_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}/actions/{aid}/proposal"),
            json!({"space_id": space}),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let apid = made["proposal_id"].as_i64().unwrap();
    let (_, proposal) = app
        .get_json(&ola.client, &format!("/api/v1/proposals/{apid}"))
        .await;
    assert_eq!(proposal["title"], "Ask for an earlier 42 bus");
    assert_eq!(
        proposal["came_from"]["url"],
        format!("/gatherings/{id}/minutes")
    );
    let (status, out) = app
        .put_json(
            &lee.client,
            &path,
            json!({"body": "Buses, and timetables.", "came": 12, "actions": [
                {"id": aid, "what": "Ask for an earlier 42 bus", "who": "Sam", "by": "2027-02-01"}]}),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["actions"].as_array().unwrap().len(), 1);
    assert_eq!(out["actions"][0]["proposal_id"], apid);
    assert_eq!(out["actions"][0]["who"], "Sam");
}

async fn forgetting_someone_keeps_the_counts_and_takes_their_name_off_sessions(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let sam_id = village_app::accounts::create_account(
        &app.store,
        "sam@example.org",
        "Samphire Quokka",
        village_testkit::PASSWORD,
        Role::Member,
        village_app::now(),
    )
    .await
    .unwrap();
    let sam = Person {
        client: app.client(),
        id: sam_id,
    };
    assert_eq!(
        app.sign_in(&sam.client, "sam@example.org", village_testkit::PASSWORD)
            .await
            .status(),
        303
    );
    let id = open_space(&app, &ola, &lee, json!([])).await;
    sign_up(&app, &sam, id).await;
    let times = times(&app, id).await;
    let (_, out) = session(
        &app,
        &sam,
        id,
        json!({"title": "Buses", "room": "Hall", "starts_at": times[0]}),
    )
    .await;
    let sid = out["id"].as_i64().unwrap();
    assert_eq!(out["convener"], "Samphire Quokka");
    let path = format!("/api/v1/gatherings/{id}/minutes");
    let (status, _) = app
        .put_json(&lee.client, &path, json!({"body": "Buses.", "came": 30}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        app.post_json(&lee.client, &format!("{path}/approve"), json!({}))
            .await
            .0,
        200
    );

    let (status, out) = app
        .post_json(
            &sam.client,
            "/api/v1/me/forget",
            json!({"password": village_testkit::PASSWORD}),
        )
        .await;
    assert!(status < 300, "{status} {out}");
    let (_, s) = app
        .get_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}/sessions/{sid}"),
        )
        .await;
    assert_eq!(s["title"], "Buses");
    assert_eq!(s["convener"], Value::Null);
    let (_, m) = app.get_json(&ola.client, &path).await;
    assert_eq!(m["came"], 30);
    assert_eq!(m["approved"], true);
    let (_, sessions) = app
        .get_json(&ola.client, &format!("/api/v1/gatherings/{id}/sessions"))
        .await;
    assert!(!sessions.to_string().contains("Samphire"));
}

async fn open_space_and_minutes_work_on_their_pages_keeping_every_answer(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let sam = app.member("sam@example.org", true).await;
    let kim = app.member("kim@example.org", false).await;
    let id = open_space(&app, &ola, &lee, json!(["Main hall", "Garden room"])).await;
    sign_up(&app, &sam, id).await;
    let times = times(&app, id).await;
    let here = format!("/gatherings/{id}");

    // The grid: each room a column; someone going can add a session in a free square.
    let (status, page) = app.page_as(&sam.client, &here).await;
    assert_eq!(status, 200);
    assert!(page.contains("<th scope=\"col\">Main hall</th>"));
    assert!(page.contains("<th scope=\"col\">Garden room</th>"));
    assert!(page.contains(&format!(
        "/gatherings/{id}/sessions/new?room=Garden+room&#38;at="
    )));
    let (_, page) = app.page_as(&kim.client, &here).await;
    assert!(!page.contains("/sessions/new"));
    assert!(page.contains("Sign up to come, then you can add a session."));

    // Adding one: a problem keeps the room and time chosen.
    let new = format!("/gatherings/{id}/sessions/new");
    let action = format!("/gatherings/{id}/sessions");
    let r = app
        .post_form(
            &sam.client,
            &new,
            &action,
            &[("title", " "), ("room", "Garden room"), ("at", &times[1])],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("<option value=\"Garden room\" selected=\"\">"),
        "{page}"
    );
    assert!(page.contains(&format!("<option value=\"{}\" selected=\"\">", times[1])));
    let fields = [
        ("title", "Quokka buses"),
        ("room", "Garden room"),
        ("at", &times[1]),
    ];
    let r = app.post_form(&sam.client, &new, &action, &fields).await;
    assert_eq!(r.status(), 303);
    let session = r.headers()["location"].to_str().unwrap().to_string();
    assert!(session.starts_with(&format!("/gatherings/{id}/sessions/")));
    let session = session.split('?').next().unwrap().to_string();

    // The room taken then: said beside the room, the title typed kept.
    let r = app
        .post_form(
            &lee.client,
            &new,
            &action,
            &[
                ("title", "Marmot walks"),
                ("room", "Garden room"),
                ("at", &times[1]),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Garden room already has a session"), "{page}");
    assert!(page.contains("value=\"Marmot walks\""));

    // Its convener writes the notes on its page.
    let r = app
        .post_form(
            &sam.client,
            &session,
            &format!("{session}/notes"),
            &[("notes", "Buses stop at six. Quokkas agree.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.page(&session).await;
    assert!(page.contains("Buses stop at six. Quokkas agree."));

    // The minutes on their page: starting from the sessions' notes; a problem keeps every
    // answer; a chair approves; then everyone reads them, with the session linked.
    let minutes = format!("/gatherings/{id}/minutes");
    let (status, page) = app
        .page_as(&lee.client, &format!("{minutes}?start=sessions"))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Quokka buses\nBuses stop at six. Quokkas agree."),
        "{page}"
    );
    let answers = [
        ("body", "We met about buses."),
        ("came", "lots"),
        ("groups", "Knit and natter"),
        ("action_id", ""),
        ("action_what", "Write to the bus company"),
        ("action_who", "Lee"),
        ("action_by", "31 January 2027"),
    ];
    let r = app
        .post_form(&lee.client, &minutes, &minutes, &answers)
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for kept in [
        "We met about buses.",
        "Knit and natter",
        "Write to the bus company",
        "31 January 2027",
    ] {
        assert!(page.contains(kept), "{kept} kept");
    }
    let mut answers = answers;
    answers[1] = ("came", "14");
    let r = app
        .post_form(&lee.client, &minutes, &minutes, &answers)
        .await;
    assert_eq!(r.status(), 303);
    assert!(!app
        .page(&minutes)
        .await
        .1
        .contains("Write to the bus company"));
    let r = app
        .post_form(&lee.client, &minutes, &format!("{minutes}/approve"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (status, page) = app.page(&minutes).await;
    assert_eq!(status, 200);
    assert!(page.contains("Write to the bus company"));
    assert!(page.contains("By 31 January 2027"));
    assert!(page.contains(&format!("<a href=\"{session}\">Quokka buses</a>")));
    let (_, page) = app.page(&here).await;
    assert!(page.contains("Read the minutes"));
}
