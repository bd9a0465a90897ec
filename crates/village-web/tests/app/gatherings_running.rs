//! Running a gathering, on SQLite and PostgreSQL: its organisers change it on its page
//! (every answer kept when something is wrong), add members to run it with them and take
//! them off, never leaving nobody; a series under way can still change, and people going
//! are reminded two days before each of its times; a gathering can be held at the place of
//! an offer in the directory.
use serde_json::{json, Value};
use village_testkit::{on_both_backends, Backend, Person, TestApp};

on_both_backends!(
    a_gathering_changes_on_its_page_keeping_every_answer,
    members_added_to_run_it_can_and_someone_always_runs_it,
    a_series_under_way_changes_and_is_reminded_before_each_time,
    a_gathering_is_held_at_a_place_from_the_directory,
);

const DAY: i64 = 86_400;

fn day(n: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(n)).to_string()
}

fn code(out: &Value) -> Option<&str> {
    out["error"]["code"].as_str()
}

/// A person as the app sees them, to call it at a chosen moment.
async fn identity(app: &TestApp, who: &Person) -> village_app::accounts::Identity {
    let mut c = app.store.conn().await.unwrap();
    let user = village_store::accounts::user_by_id(&mut c, who.id)
        .await
        .unwrap()
        .unwrap();
    village_app::accounts::Identity {
        user,
        via: village_app::identity::Via::ApiToken { id: 0 },
    }
}

async fn gathering(app: &TestApp, who: &Person, id: i64) -> Value {
    let (status, g) = app
        .get_json(&who.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    assert_eq!(status, 200, "{g}");
    g
}

async fn a_gathering_changes_on_its_page_keeping_every_answer(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let sam = app.member("sam@example.org", false).await;
    let id = crate::gatherings::published(&app, &ola, &lee, json!({"cost": "Free"})).await;
    let before = gathering(&app, &ola, id).await;
    let (status, _) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/gatherings/{id}/sign-ups"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    // Its page is filled in as it stands, for its organisers only.
    let edit = format!("/gatherings/{id}/edit");
    let (status, page) = app.page_as(&ola.client, &edit).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("value=\"Meadowfield people&#39;s assembly\"")
            || page.contains("value=\"Meadowfield people's assembly\""),
        "{page}"
    );
    assert!(page.contains(&format!("value=\"{}\"", day(7))), "{page}");
    assert!(page.contains("value=\"14:00\"") && page.contains("value=\"16:00\""));
    assert!(page.contains("value=\"Free\""));
    let (status, _) = app.page_as(&sam.client, &edit).await;
    assert_eq!(status, 403);
    let (status, _) = app.page(&edit).await;
    assert!(status == 303 || status == 401, "{status}");

    // Something wrong: every answer comes back, the gathering is as it was.
    let mut fields = vec![
        ("title", "The people's assembly"),
        ("about", "Deciding together."),
        ("day", ""),
        ("starts_at", "15:00"),
        ("ends_at", "17:00"),
        ("venue", "Meadowfield Library"),
        ("address", "2 Green Lane"),
        ("postcode", "MF1 1AA"),
        ("cost", "£1 for tea"),
        ("access", "quiet_room"),
        ("repeats", "once"),
    ];
    let r = app.post_form(&ola.client, &edit, &edit, &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    for kept in ["£1 for tea", "Meadowfield Library", "2 Green Lane", "15:00"] {
        assert!(page.contains(kept), "{kept} was lost: {page}");
    }
    assert!(page.contains("Say which day it is."), "{page}");
    assert!(
        page.contains("id=\"access-quiet_room\" name=\"access\" value=\"quiet_room\" checked"),
        "{page}"
    );
    assert_eq!(
        gathering(&app, &ola, id).await["sequence"],
        before["sequence"]
    );

    // Saved: the time moves, the calendar's SEQUENCE rises and the person going is told.
    let new_day = day(8);
    fields[2] = ("day", &new_day);
    let r = app.post_form(&ola.client, &edit, &edit, &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/gatherings/{id}?done=changed").as_str()
    );
    let after = gathering(&app, &ola, id).await;
    assert_eq!(after["title"], "The people's assembly");
    assert_eq!(after["cost"], "£1 for tea");
    assert!(after["starts_at"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{new_day}T15:00")));
    assert!(after["sequence"].as_i64() > before["sequence"].as_i64());
    assert_eq!(after["access"], json!(["quiet_room"]));
    let (_, told) = app.get_json(&sam.client, "/api/v1/me/notifications").await;
    assert!(told.to_string().contains("has changed"), "{told}");

    // Going on to the next day: the end day is kept.
    let end_day = day(9);
    fields.push(("end_day", &end_day));
    let r = app.post_form(&ola.client, &edit, &edit, &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let after = gathering(&app, &ola, id).await;
    assert!(after["ends_at"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{end_day}T17:00")));
    let (_, page) = app.page_as(&ola.client, &edit).await;
    assert!(page.contains(&format!("value=\"{end_day}\"")), "{page}");

    // Cancelled, it cannot change.
    let (status, _) = app
        .post_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, page) = app.page_as(&ola.client, &edit).await;
    assert_eq!(status, 409, "{page}");
}

async fn members_added_to_run_it_can_and_someone_always_runs_it(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let sam = app.member("sam@example.org", false).await;
    let kim = app.member("kim@example.org", false).await;
    let id = crate::gatherings::draft(&app, &ola, json!({})).await;
    let path = format!("/api/v1/gatherings/{id}/organisers");

    // Only its organisers add people, and only members.
    let (status, out) = app
        .post_json(&sam.client, &path, json!({"member_id": kim.id}))
        .await;
    assert_eq!(status, 404, "a draft is not Sam's to see: {out}");
    let (status, out) = app
        .post_json(&ola.client, &path, json!({"member_id": 999_999}))
        .await;
    assert_eq!((status, code(&out)), (422, Some("member_unknown")), "{out}");

    // Sam, added, is told, sees the draft, and can change it and ask a chair.
    let (status, out) = app
        .post_json(&ola.client, &path, json!({"member_id": sam.id}))
        .await;
    assert_eq!(status, 200, "{out}");
    let names: Vec<i64> = out["organisers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["member_id"].as_i64().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&sam.id) && names.contains(&ola.id));
    let (_, told) = app.get_json(&sam.client, "/api/v1/me/notifications").await;
    assert!(told.to_string().contains("added you"), "{told}");
    let (status, _) = app
        .page_as(&sam.client, &format!("/gatherings/{id}/edit"))
        .await;
    assert_eq!(status, 200);
    let (status, out) = app
        .post_json(
            &sam.client,
            &format!("/api/v1/gatherings/{id}/chairs"),
            json!({"member_id": lee.id}),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    // Nobody else sees who runs it.
    let (_, seen) = app
        .get_json(&lee.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    assert!(seen.get("organisers").is_none(), "{seen}");

    // On the page: an address that is no member's is named, and kept.
    let page = format!("/gatherings/{id}");
    let action = format!("/gatherings/{id}/organisers");
    let r = app
        .post_form(
            &ola.client,
            &page,
            &action,
            &[("organiser_email", "nobody@example.org")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"nobody@example.org\""), "{html}");
    assert!(html.contains("There is no member with that email address"));
    let r = app
        .post_form(
            &ola.client,
            &page,
            &action,
            &[("organiser_email", "KIM@example.org ")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        gathering(&app, &ola, id).await["organisers"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Taking people off: Kim by Ola on the page, then Ola and Sam both stepping down at
    // the same moment: one may, the other is told someone needs to run it.
    let r = app
        .post_form(
            &ola.client,
            &page,
            &format!("/gatherings/{id}/organisers/{}/remove", kim.id),
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, _) = app
        .page_as(&kim.client, &format!("/gatherings/{id}/edit"))
        .await;
    assert_eq!(status, 404, "Kim no longer runs it, and it is a draft");
    let (ola_off, sam_off) = (format!("{path}/{}", ola.id), format!("{path}/{}", sam.id));
    let (a, b) = tokio::join!(
        app.call(&ola.client, reqwest::Method::DELETE, &ola_off, None),
        app.call(&sam.client, reqwest::Method::DELETE, &sam_off, None),
    );
    let mut answers = [
        (a.0, code(&a.1).map(str::to_string)),
        (b.0, code(&b.1).map(str::to_string)),
    ];
    answers.sort();
    assert_eq!(
        answers,
        [(204, None), (409, Some("not_allowed_now".to_string()))],
        "{a:?} {b:?}"
    );
    let mut c = app.store.conn().await.unwrap();
    let left = village_store::gatherings::organisers(&mut c, id)
        .await
        .unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    drop(c);
    let last = if left[0] == ola.id { &ola } else { &sam };
    let (_, html) = app.page_as(&last.client, &page).await;
    let r = app
        .post_form(
            &last.client,
            &page,
            &format!("/gatherings/{id}/organisers/{}/remove", left[0]),
            &[],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409, "{html}");
    let html = r.text().await.unwrap();
    assert!(html.contains("Someone needs to run it"), "{html}");

    // Thirteen running another, all stepping down at the same moment: twelve may, one stays.
    let other = crate::gatherings::draft(&app, &ola, json!({})).await;
    let state = crate::mutual_aid::app_over(&app);
    let ola_is = identity(&app, &ola).await;
    let mut people = crate::gatherings::crowd(&app, 12).await;
    let t = village_app::now();
    for p in &people {
        village_app::gatherings::add_organiser(&state, &ola_is, other, p.user.id, t)
            .await
            .unwrap();
    }
    people.push(ola_is);
    let mut running = tokio::task::JoinSet::new();
    for p in people {
        let state = state.clone();
        running.spawn(async move {
            village_app::gatherings::remove_organiser(&state, &p, other, p.user.id, t).await
        });
    }
    let answers = running.join_all().await;
    let refused: Vec<_> = answers.iter().filter(|a| a.is_err()).collect();
    assert_eq!(refused.len(), 1, "{answers:?}");
    assert!(
        matches!(refused[0], Err(village_app::Error::Conflict(..))),
        "{refused:?}"
    );
    let mut c = app.store.conn().await.unwrap();
    let left = village_store::gatherings::organisers(&mut c, other)
        .await
        .unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
}

async fn a_series_under_way_changes_and_is_reminded_before_each_time(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let pat = app.member("pat@example.org", false).await;

    // Open space happens once.
    let (status, out) = app
        .post_json(
            &ola.client,
            "/api/v1/gatherings",
            json!({"title": "Ideas", "about": "Bring one.", "starts_at": format!("{}T10:00", day(7)),
                "ends_at": format!("{}T15:00", day(7)), "place": {"venue": "Hall"}, "open_space": true,
                "repeats": "weekly", "repeat_until": day(35)}),
        )
        .await;
    assert_eq!(status, 422, "{out}");
    assert!(out.to_string().contains("\"repeats\""), "{out}");

    let body = json!({"title": "Coffee morning", "starts_at": format!("{}T10:00", day(7)),
        "ends_at": format!("{}T11:30", day(7)), "repeats": "weekly", "repeat_until": day(7 + 28)});
    let id = crate::gatherings::published(&app, &ola, &lee, body.clone()).await;
    let g = gathering(&app, &ola, id).await;
    let first =
        village_domain::gatherings::gathering::parse_moment(g["starts_at"].as_str().unwrap())
            .unwrap();
    let (status, _) = app
        .post_json(
            &pat.client,
            &format!("/api/v1/gatherings/{id}/sign-ups"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let state = crate::mutual_aid::app_over(&app);
    let remind = |t: i64| {
        let state = state.clone();
        async move { village_app::gatherings::remind(&state, t).await.unwrap() }
    };
    let reminders = || {
        app.outbox_messages()
            .iter()
            .filter(|m| {
                m.contains("Subject: Soon:") && m.to_lowercase().contains("to: pat@example.org")
            })
            .count()
    };

    // Two days before the first time, and once; then two days before the second.
    assert_eq!(remind(first - 47 * 3600).await, 1);
    assert_eq!(remind(first - 46 * 3600).await, 0);
    assert_eq!(remind(first + 3 * DAY).await, 0);
    let second = first + 7 * DAY;
    assert_eq!(remind(second - 47 * 3600).await, 1);
    assert_eq!(remind(second - 47 * 3600 + 60).await, 0);
    assert_eq!(reminders(), 2);
    let mail = app.newest_mail_to("pat@example.org").unwrap();
    let when = village_domain::dates::span(second, second + 90 * 60);
    assert!(mail.contains(&format!("When: {when}")), "{when}: {mail}");
    assert!(mail.contains("Every "), "{mail}");

    // Under way (after its first time), it can still change: a day off added. Its first day
    // stays; moving it before that is refused.
    let ola_is = identity(&app, &ola).await;
    let third_day = (chrono::Utc::now().date_naive() + chrono::Days::new(21)).to_string();
    let change = |skip: Vec<String>, starts: String| village_app::gatherings::GatheringBody {
        title: "Coffee morning".into(),
        about: g["about"].as_str().unwrap().into(),
        starts_at: starts,
        ends_at: format!("{}T11:30", day(7)),
        place: Some(village_app::gatherings::VenueBody {
            venue: Some("Meadowfield Community Centre".into()),
            ..Default::default()
        }),
        repeats: Some("weekly".into()),
        repeat_until: Some(day(7 + 28)),
        skip,
        ..Default::default()
    };
    let later = second + DAY;
    village_app::gatherings::update(
        &state,
        &ola_is,
        id,
        &change(vec![third_day.clone()], format!("{}T10:00", day(7))),
        later,
    )
    .await
    .expect("a series under way changes");
    let err = village_app::gatherings::update(
        &state,
        &ola_is,
        id,
        &change(vec![], format!("{}T10:00", day(6))),
        later,
    )
    .await
    .unwrap_err();
    assert!(format!("{err:?}").contains("starts_at"), "{err:?}");
    // The third time is off: nobody is reminded of it; the fourth, yes.
    let third = first + 14 * DAY;
    assert_eq!(remind(third - 47 * 3600).await, 0);
    assert_eq!(remind(third + 7 * DAY - 47 * 3600).await, 1);
    assert_eq!(reminders(), 3);
}

async fn a_gathering_is_held_at_a_place_from_the_directory(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let library = app
        .offer(
            "Reading group",
            json!({"service_at_locations": [{"id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e11", "location": {
                "id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e12", "location_type": "physical",
                "name": "Meadowfield Library",
                "addresses": [{"id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e13", "address_1": "3 Market Square",
                    "city": "Meadowfield", "state_province": "", "postal_code": "MF1 2BD",
                    "country": "GB", "address_type": "physical"}]}}],
                "attributes": [
                    {"id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e14", "taxonomy_term_id": "f2ba66e1-7090-4298-9d7e-7b965f4d771f"},
                    {"id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e15", "taxonomy_term_id": "d7164abd-4b56-4d08-b229-d8deca4c082d"}]}),
        )
        .await;
    let nowhere = app.offer("Phone friends", json!({})).await;

    // The offer's page offers to hold a gathering there (not one with no place).
    let (_, html) = app.page(&format!("/directory/offers/{library}")).await;
    assert!(
        html.contains(&format!("/gatherings/new?offer={library}")),
        "{html}"
    );
    let (_, html) = app.page(&format!("/directory/offers/{nowhere}")).await;
    assert!(!html.contains("/gatherings/new?offer="), "{html}");

    // The form comes filled in with the place, and keeps it when saved.
    let new = format!("/gatherings/new?offer={library}");
    let (status, page) = app.page_as(&ola.client, &new).await;
    assert_eq!(status, 200);
    assert!(page.contains("value=\"Meadowfield Library\""), "{page}");
    assert!(
        page.contains("value=\"3 Market Square, Meadowfield\""),
        "{page}"
    );
    assert!(page.contains("At the place in the directory"), "{page}");
    // What the directory says the place has is ticked (step-free); what it says of the
    // activity (large print) is not the place's.
    let ticked: Vec<&str> = [
        "step_free",
        "accessible_toilet",
        "hearing_loop",
        "quiet_room",
        "parking",
    ]
    .into_iter()
    .filter(|code| page.contains(&format!("value=\"{code}\" checked")))
    .collect();
    assert_eq!(ticked, ["step_free"], "{page}");
    let when = day(9);
    let r = app
        .post_form(
            &ola.client,
            &new,
            "/gatherings/new",
            &[
                ("title", "Book swap"),
                ("about", "Bring a book, take a book."),
                ("day", &when),
                ("starts_at", "10:00"),
                ("ends_at", "11:00"),
                ("venue", "Meadowfield Library"),
                ("address", ""),
                ("postcode", ""),
                ("offer_id", &library),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let id: i64 = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/gatherings/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let g = gathering(&app, &ola, id).await;
    assert_eq!(g["offer_id"], library.as_str());
    // Parts left empty come from the directory.
    assert_eq!(g["place"]["address"], "3 Market Square, Meadowfield");
    assert_eq!(g["place"]["postcode"], "MF1 2BD");
    let (_, page) = app.page_as(&ola.client, &format!("/gatherings/{id}")).await;
    assert!(
        page.contains(&format!("/directory/offers/{library}")),
        "{page}"
    );

    // A group's gatherings: on its page, and in its own calendar to subscribe to.
    let lee = app.member("lee@example.org", true).await;
    let state = crate::mutual_aid::app_over(&app);
    let doc = village_app::directory::records::service(&state, &library)
        .await
        .unwrap();
    let record: Value = serde_json::from_str(&doc).unwrap();
    let group = record["organization"]["id"].as_str().unwrap().to_string();
    let mut c = app.store.conn().await.unwrap();
    village_store::directory::make_organiser(&mut c, &group, ola.id, None, 0)
        .await
        .unwrap();
    drop(c);
    let theirs = crate::gatherings::published(
        &app,
        &ola,
        &lee,
        json!({"title": "Library open day", "organization_id": group}),
    )
    .await;
    crate::gatherings::published(&app, &ola, &lee, json!({"title": "Street party"})).await;
    let (_, html) = app.page(&format!("/directory/groups/{group}")).await;
    assert!(
        html.contains(&format!("href=\"/gatherings/{theirs}\"")),
        "{html}"
    );
    assert!(!html.contains("Street party"), "{html}");
    let ics = format!("/gatherings.ics?group={group}");
    assert!(
        html.contains(&ics.replace('&', "&#38;")) || html.contains(&ics),
        "{html}"
    );
    let cal = app.client().get(app.url(&ics)).send().await.unwrap();
    assert_eq!(cal.status().as_u16(), 200);
    let cal = cal.text().await.unwrap();
    assert!(cal.contains("SUMMARY:Library open day"), "{cal}");
    assert!(!cal.contains("Street party"), "{cal}");

    // Through the API: an offer that is not in the directory, or names no place, is named.
    for offer in ["no-such-offer", nowhere.as_str()] {
        let (status, out) = app
            .post_json(
                &ola.client,
                "/api/v1/gatherings",
                json!({"title": "Chat", "about": "Tea.", "starts_at": format!("{}T10:00", day(9)),
                    "ends_at": format!("{}T11:00", day(9)), "offer_id": offer}),
            )
            .await;
        assert_eq!(status, 422, "{out}");
        assert!(out.to_string().contains("\"offer_id\""), "{out}");
        assert!(
            out["error"]["fields"]
                .as_array()
                .map(|f| f.iter().any(|e| e["code"] == "offer_unknown"))
                .unwrap_or(out["error"]["code"] == "offer_unknown"),
            "{out}"
        );
    }
}
