//! Gatherings' pages and calendars, on SQLite and PostgreSQL: the calendar files parse with
//! an iCalendar parser and follow every change (a higher `SEQUENCE` for a new time,
//! `STATUS:CANCELLED` once cancelled); making a gathering on its page keeps every answer
//! when something needs changing; signing up on the page, and the organisers' page of what
//! would help people; a weekly series with a day off, as `RRULE` and `EXDATE`.
use crate::gatherings::{draft, published};
use serde_json::json;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    the_calendar_files_parse_and_follow_every_change,
    making_a_gathering_on_its_page_keeps_every_answer,
    signing_up_on_the_page_tells_the_organisers_what_would_help,
    a_series_comes_round_in_its_calendar_skipping_its_days_off,
);

/// The calendar at `path`, parsed: the first calendar in it.
async fn calendar(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
) -> ical::parser::ical::component::IcalCalendar {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = r.text().await.unwrap();
    assert!(text.contains("\r\n"), "lines end with CRLF");
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    parser.next().expect("a calendar").expect("it parses")
}

fn prop<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    props.iter().find(|p| p.name == name)
}

fn value(props: &[ical::property::Property], name: &str) -> String {
    prop(props, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_default()
}

fn param(p: &ical::property::Property, name: &str) -> Option<String> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.join(","))
}

async fn the_calendar_files_parse_and_follow_every_change(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let title = "Tea, cake; and a long talk about what we want for Meadowfield next year";
    let id = published(&app, &ola, &lee, json!({"title": title})).await;
    // Lee agrees to be named, so the calendar names Lee as a chair.
    let (status, _) = app
        .post_json(
            &lee.client,
            &format!("/api/v1/gatherings/{id}/chair-invitation/accept?named=true"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    let anyone = app.client();
    let cal = calendar(&app, &anyone, &format!("/gatherings/{id}.ics")).await;
    assert_eq!(cal.timezones.len(), 1);
    assert_eq!(value(&cal.timezones[0].properties, "TZID"), "Europe/London");
    assert_eq!(cal.events.len(), 1);
    let e = &cal.events[0].properties;
    let uid = value(e, "UID");
    assert_eq!(uid, format!("gathering-{id}@127.0.0.1"));
    assert_eq!(
        value(e, "SUMMARY"),
        "Tea\\, cake\\; and a long talk about what we want for Meadowfield next year"
    );
    assert_eq!(value(e, "STATUS"), "CONFIRMED");
    assert!(value(e, "URL").ends_with(&format!("/gatherings/{id}")));
    assert!(value(e, "LOCATION").starts_with("Meadowfield Community Centre"));
    let start = prop(e, "DTSTART").unwrap();
    assert_eq!(param(start, "TZID").as_deref(), Some("Europe/London"));
    assert!(start.value.as_deref().unwrap().ends_with("T140000"));
    let chairs: Vec<_> = e.iter().filter(|p| p.name == "ATTENDEE").collect();
    assert_eq!(chairs.len(), 1);
    assert_eq!(param(chairs[0], "ROLE").as_deref(), Some("CHAIR"));
    assert!(
        !chairs[0].value.as_deref().unwrap().contains('@'),
        "no one's email address"
    );
    let sequence =
        |props: &[ical::property::Property]| value(props, "SEQUENCE").parse::<i64>().unwrap_or(0);
    let before = sequence(e);

    // A new time: a higher SEQUENCE, the same UID.
    let (_, g) = app
        .get_json(&ola.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    let later = |t: &str| {
        t.replace("T14:00:00", "T15:00:00")
            .replace("T16:00:00", "T17:00:00")
    };
    let body = json!({
        "title": title, "about": g["about"], "starts_at": later(g["starts_at"].as_str().unwrap()),
        "ends_at": later(g["ends_at"].as_str().unwrap()), "place": g["place"], "access": g["access"],
    });
    let (status, out) = app
        .put_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}"),
            body.clone(),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let cal = calendar(&app, &anyone, &format!("/gatherings/{id}.ics")).await;
    let e = &cal.events[0].properties;
    assert!(sequence(e) > before, "SEQUENCE rises with a new time");
    assert_eq!(value(e, "UID"), uid);
    assert!(value(e, "DTSTART").ends_with("T150000"));
    // Changing only the words keeps it.
    let mut words = body.clone();
    words["about"] = json!("Deciding together, with cake.");
    assert_eq!(
        app.put_json(&ola.client, &format!("/api/v1/gatherings/{id}"), words)
            .await
            .0,
        200
    );
    let again = calendar(&app, &anyone, &format!("/gatherings/{id}.ics")).await;
    assert_eq!(sequence(&again.events[0].properties), sequence(e));
    assert_eq!(
        app.put_json(&lee.client, &format!("/api/v1/gatherings/{id}"), body)
            .await
            .0,
        403
    );

    // A draft's calendar is not for others; the subscribable calendar holds the published.
    let other = draft(&app, &ola, json!({"title": "Still a draft"})).await;
    assert_eq!(
        anyone
            .get(app.url(&format!("/gatherings/{other}.ics")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let all = calendar(&app, &anyone, "/gatherings.ics").await;
    let uids: Vec<String> = all
        .events
        .iter()
        .map(|e| value(&e.properties, "UID"))
        .collect();
    assert_eq!(uids, std::slice::from_ref(&uid));

    // Cancelled: STATUS:CANCELLED, with a higher SEQUENCE, in both.
    let (status, _) = app
        .post_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    for path in [
        format!("/gatherings/{id}.ics"),
        "/gatherings.ics".to_string(),
    ] {
        let cal = calendar(&app, &anyone, &path).await;
        let c = &cal.events[0].properties;
        assert_eq!(value(c, "STATUS"), "CANCELLED", "{path}");
        assert!(sequence(c) > sequence(e), "{path}");
    }
    assert_eq!(
        anyone
            .get(app.url("/gatherings/nine.ics"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn making_a_gathering_on_its_page_keeps_every_answer(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let (status, page) = app.page_as(&ola.client, "/gatherings/new").await;
    assert_eq!(status, 200);
    assert!(page.contains("Make a gathering"));
    // No title, a day nobody can read, a place kept beyond the places: each named, every
    // answer kept.
    let r = app
        .post_form(
            &ola.client,
            "/gatherings/new",
            "/gatherings/new",
            &[
                ("title", ""),
                ("about", "Quokka tea and talk"),
                ("day", "the 40th"),
                ("starts_at", "14:00"),
                ("ends_at", "16:00"),
                ("venue", "Marmot Hall"),
                ("capacity", "10"),
                ("reserved_places", "12"),
                ("access", "hearing_loop"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for words in [
        "Write a title",
        "Write the day like",
        "Keep no more places than there are",
        "Quokka tea and talk",
        "Marmot Hall",
    ] {
        assert!(page.contains(words), "{words}");
    }
    assert!(page.contains(r#"value="hearing_loop" checked"#));
    assert!(
        !page.contains("Say when it starts"),
        "no second message about the same day"
    );

    let day = (chrono::Utc::now().date_naive() + chrono::Days::new(9))
        .format("%-d %B %Y")
        .to_string();
    let r = app
        .post_form(
            &ola.client,
            "/gatherings/new",
            "/gatherings/new",
            &[
                ("title", "Marmot assembly"),
                ("about", "Quokka tea and talk"),
                ("day", &day),
                ("starts_at", "14:00"),
                ("ends_at", "16:00"),
                ("venue", "Marmot Hall"),
                ("capacity", "10"),
                ("reserved_places", "2"),
                ("access", "hearing_loop"),
                ("access", "step_free"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.ends_with("?done=made"), "{to}");
    let (_, page) = app.page_as(&ola.client, &to).await;
    assert!(page.contains("Nobody else can see it yet"));
    assert!(page.contains("Hearing loop") && page.contains("Step-free way in"));
    assert!(page.contains("2pm to 4pm"));
    // Publishing without a chair: the page says the rule, the form still there.
    let id = to
        .trim_start_matches("/gatherings/")
        .trim_end_matches("?done=made");
    let r = app
        .post_form(
            &ola.client,
            &format!("/gatherings/{id}"),
            &format!("/gatherings/{id}/publish"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("at least one person with lived experience has agreed to chair it"));
    // Asking someone who is not a member is named beside the field, with the address kept.
    let r = app
        .post_form(
            &ola.client,
            &format!("/gatherings/{id}"),
            &format!("/gatherings/{id}/chairs"),
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("There is no member with that email address")
            && page.contains("nobody@example.org")
    );
    // A visitor does not see a draft.
    assert_eq!(app.page(&format!("/gatherings/{id}")).await.0, 404);
}

async fn signing_up_on_the_page_tells_the_organisers_what_would_help(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let id = published(&app, &ola, &lee, json!({"capacity": 1})).await;
    let path = format!("/gatherings/{id}");
    let (_, page) = app.page(&path).await;
    assert!(page.contains("Chaired by people with lived experience"));
    assert!(page.contains("Sign in</a> to sign up"));

    let pat = app.member("pat@example.org", true).await;
    let words = "Zebra-striped handouts, please";
    let r = app
        .post_form(
            &pat.client,
            &path,
            &format!("{path}/sign-ups"),
            &[
                ("needs", "information_format"),
                ("needs", "nonsense"),
                ("words", words),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("is not one of the choices") && page.contains(words));
    let r = app
        .post_form(
            &pat.client,
            &path,
            &format!("{path}/sign-ups"),
            &[("needs", "information_format"), ("words", words)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = app
        .page_as(&pat.client, r.headers()["location"].to_str().unwrap())
        .await;
    assert!(page.contains("You have a place"));
    assert!(page.contains(words), "what they said, to change it");
    // The one place is taken: the next person waits.
    let sam = app.member("sam@example.org", false).await;
    let r = app
        .post_form(&sam.client, &path, &format!("{path}/sign-ups"), &[])
        .await;
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("done=waiting"));

    let needs = format!("{path}/needs");
    assert_eq!(app.page_as(&sam.client, &needs).await.0, 403);
    let (status, page) = app.page_as(&ola.client, &needs).await;
    assert_eq!(status, 200);
    assert!(page.contains(words) && page.contains("Information in a format that works for me"));
    // Pat gives up the place: Sam is offered it, and Pat's words go.
    let r = app
        .post_form(
            &pat.client,
            &format!("{path}/leave"),
            &format!("{path}/leave"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.page_as(&sam.client, &path).await;
    assert!(page.contains("Yes, I will take the place"));
    let (_, page) = app.page_as(&ola.client, &needs).await;
    assert!(!page.contains(words));
}

async fn a_series_comes_round_in_its_calendar_skipping_its_days_off(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ola = app.member("ola@example.org", false).await;
    let lee = app.member("lee@example.org", true).await;
    let day = |n: u64| (chrono::Utc::now().date_naive() + chrono::Days::new(n)).to_string();

    // A series needs its last day, and skips only its own days.
    let (status, out) = app
        .post_json(
            &ola.client,
            "/api/v1/gatherings",
            json!({"title": "Coffee", "about": "Tea.", "starts_at": format!("{}T10:00", day(7)),
                "ends_at": format!("{}T11:30", day(7)), "place": {"venue": "Library"},
                "repeats": "weekly", "skip": [day(8)]}),
        )
        .await;
    assert_eq!(status, 422, "{out}");
    let fields: Vec<&str> = out["error"]["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_else(|| vec![out["error"]["field"].as_str().unwrap_or("")]);
    assert!(fields.contains(&"repeat_until"), "{out}");

    let id = published(
        &app,
        &ola,
        &lee,
        json!({"title": "Coffee morning", "starts_at": format!("{}T10:00", day(7)),
            "ends_at": format!("{}T11:30", day(7)), "repeats": "weekly",
            "repeat_until": day(7 + 28), "skip": [day(14)]}),
    )
    .await;
    let (_, g) = app
        .get_json(&ola.client, &format!("/api/v1/gatherings/{id}"))
        .await;
    assert_eq!(g["repeats"], "weekly");
    assert_eq!(g["skip"], json!([day(14)]));
    assert_eq!(g["next_starts_at"], g["starts_at"]);

    // The calendar: RRULE until the last day, EXDATE for the day off at the same clock time.
    let cal = calendar(&app, &app.client(), &format!("/gatherings/{id}.ics")).await;
    let e = &cal.events[0].properties;
    let rule = value(e, "RRULE");
    assert!(rule.starts_with("FREQ=WEEKLY;UNTIL="), "{rule}");
    assert!(rule.contains(&day(7 + 28).replace('-', "")), "{rule}");
    let off = prop(e, "EXDATE").expect("the day off");
    assert_eq!(param(off, "TZID").as_deref(), Some("Europe/London"));
    assert_eq!(
        off.value.as_deref(),
        Some(format!("{}T100000", day(14).replace('-', "")).as_str())
    );

    // Still listed after its first time, while later ones remain; its page says when next.
    let (_, list) = app
        .get_json(
            &app.client(),
            &format!("/api/v1/gatherings?from={}", day(9)),
        )
        .await;
    assert!(
        list.as_array().unwrap().iter().any(|x| x["id"] == id),
        "{list}"
    );
    let (_, page) = app.page(&format!("/gatherings/{id}")).await;
    assert!(page.contains("Every "), "{page}");
    assert!(page.contains("Not on "));

    // Another day off: the calendar's SEQUENCE rises.
    let before = value(e, "SEQUENCE").parse::<i64>().unwrap_or(0);
    let mut body = json!({"title": "Coffee morning", "about": g["about"], "starts_at": g["starts_at"],
        "ends_at": g["ends_at"], "place": g["place"], "repeats": "weekly",
        "repeat_until": day(7 + 28), "skip": [day(14), day(21)]});
    let (status, out) = app
        .put_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}"),
            body.clone(),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let cal = calendar(&app, &app.client(), &format!("/gatherings/{id}.ics")).await;
    let e = &cal.events[0].properties;
    assert!(value(e, "SEQUENCE").parse::<i64>().unwrap() > before);
    assert_eq!(e.iter().filter(|p| p.name == "EXDATE").count(), 2);

    // One place: after its first time, a place given up is offered to the next person and
    // held until the next time, not until the first (which has passed).
    let (status, _) = app
        .put_json(
            &ola.client,
            &format!("/api/v1/gatherings/{id}"),
            json!({"title": "Coffee morning", "about": g["about"], "starts_at": g["starts_at"],
                "ends_at": g["ends_at"], "place": g["place"], "repeats": "weekly", "capacity": 1,
                "repeat_until": day(7 + 28), "skip": [day(14), day(21)]}),
        )
        .await;
    assert_eq!(status, 200);
    let state = crate::mutual_aid::app_over(&app);
    let people = crate::gatherings::crowd(&app, 2).await;
    let t = village_app::now();
    for who in &people {
        let body = village_app::gatherings::SignUpBody::default();
        village_app::gatherings::sign_up(&state, who, id, &body, t)
            .await
            .unwrap();
    }
    let after_first = t + 9 * 86_400;
    village_app::gatherings::leave(&state, &people[0], id, after_first)
        .await
        .unwrap();
    let mut c = app.store.conn().await.unwrap();
    let offered = village_store::gatherings::places::sign_up_of(&mut c, id, people[1].user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        offered.place,
        village_domain::gatherings::places::Place::Offered
    );
    assert!(offered.offered_until.unwrap() > after_first, "{offered:?}");
    drop(c);

    // A day that is not one of its days cannot be skipped.
    body["skip"] = json!([day(15)]);
    let (status, out) = app
        .put_json(&ola.client, &format!("/api/v1/gatherings/{id}"), body)
        .await;
    assert_eq!(
        (status, out["error"]["field"].as_str()),
        (422, Some("skip")),
        "{out}"
    );
}
