//! The directory's Open Referral UK import, export and API, on SQLite and PostgreSQL, checked
//! against the standard's own schemas and the validator's feeds in `tests/fixtures`.
use serde_json::{json, Value};
use std::path::PathBuf;
use village_app::directory::hsds_csv::import_hsds_csv;
use village_app::directory::import::{export_oruk, import_oruk};
use village_store::Db;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    a_name_match_comes_first_and_equally_good_matches_nearest_first,
    one_search_gives_one_count_on_the_pages_and_both_oruk_lists,
    each_process_search_index_follows_every_change_to_the_directory,
    times_past_midnight_or_of_no_length_are_found_as_the_database_finds_them,
    any_combination_of_filters_finds_exactly_what_checking_every_offer_finds,
    coordinates_and_a_map_box_search_like_a_postcode_does,
    results_carry_their_places_for_the_map_and_the_policy_names_its_tile_server,
    an_offer_with_only_a_postcode_says_where_it_is,
    an_offer_listed_by_the_test_kit_is_found_everywhere,
    the_fail_feed_is_refused_and_nothing_is_written,
    an_import_holding_a_nul_names_the_file_and_field,
    the_default_feed_reads_back_field_for_field,
    a_feed_repeating_one_id_keeps_one_and_says_so,
    filters_really_filter,
    export_then_import_then_export_gives_the_same_files,
    wrong_parameters_are_named,
    the_community_taxonomy_is_published,
    near_a_postcode,
    a_bad_postcode_file_writes_nothing,
    the_demo_directory_is_valid_oruk,
    the_oruk_api_only_reads,
    people_find_offers_on_the_directory_pages,
    a_suggestion_is_invisible_until_a_steward_approves_it,
    the_directory_api_suggests_reviews_and_tells_history,
    organisers_claim_a_group_then_edit_directly,
    the_hsds_csv_example_imports_as_the_standards_own_record,
    writing_many_at_once_stores_exactly_what_one_by_one_does,
    ranking_a_common_word_reads_a_bounded_number_of_matches,
    a_validator_crawl_finds_no_errors,
    a_search_near_a_place_finds_what_measuring_every_offer_finds,
    a_kept_count_follows_every_change,
    offers_named_for_the_words_come_first,
    offers_not_public_are_passed_over_in_a_ranked_page,
    a_ranked_page_read_from_its_start_is_the_page_of_the_whole_ranking,
    ids_holding_the_separators_of_packed_rows_are_still_read,
    a_count_by_times_alone_is_the_number_listed,
    a_page_deep_in_the_whole_list_is_the_same_read_from_a_mark,
    bad_hsds_csv_is_named_by_file_line_and_column_and_nothing_is_written,
    a_postcode_search_keeps_to_the_areas_offers_cover,
    an_import_that_changes_an_offer_adds_to_its_history,
    bytes_that_are_not_text_are_named_by_file_and_line,
    files_an_import_does_not_read_are_named,
    a_repeated_id_keeps_the_same_copy_from_json_and_csv,
    an_import_leaves_every_page_of_the_directory_seen_by_all,
);

/// `/oruk` is read only: a client that writes gets 405 and the methods it may use, never the
/// page about an expired form.
async fn the_oruk_api_only_reads(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let client = app.client();
    for path in [
        "/oruk/services",
        "/oruk/taxonomies",
        "/oruk/service_at_locations",
    ] {
        for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE"] {
            let r = client
                .request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    app.url(path),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 405, "{method} {path}");
            let allow = r.headers()["allow"].to_str().unwrap().to_string();
            assert!(allow.contains("GET"), "{method} {path}: {allow}");
        }
        assert_eq!(
            client.get(app.url(path)).send().await.unwrap().status(),
            200
        );
    }
}

async fn organisers_claim_a_group_then_edit_directly(backend: Backend) {
    use village_domain::accounts::Role;
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let (organiser, _) = app.signed_in_as(Role::Member, "ora@example.org").await;
    let (other, _) = app.signed_in_as(Role::Member, "oti@example.org").await;
    let (steward, _) = app.signed_in_as(Role::Steward, "ste@example.org").await;
    let first = &village_app::demo::directory::services()[0];
    let (offer, org) = (
        first["id"].as_str().unwrap().to_string(),
        first["organization_id"].as_str().unwrap().to_string(),
    );
    let claim = format!("/directory/groups/{org}/claim");
    let edit = format!("/directory/offers/{offer}/edit");

    assert_eq!(
        organiser.get(app.url(&edit)).send().await.unwrap().status(),
        403,
        "not an organiser yet"
    );
    let r = app
        .post_form(&organiser, &claim, &claim, &[("message", "")])
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &organiser,
            &claim,
            &claim,
            &[("message", "I am the group's secretary")],
        )
        .await;
    assert_eq!(r.status(), 303);
    app.post_form(&other, &claim, &claim, &[("message", "I went once")])
        .await;
    let mine = organiser
        .get(app.url("/directory/suggestions"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("Waiting for a steward") && mine.contains("I am the group"));

    let queue = steward
        .get(app.url("/directory/review"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ids: Vec<i64> = queue
        .split("/directory/claims/")
        .skip(1)
        .filter_map(|p| p.split('/').next())
        .filter_map(|i| i.parse().ok())
        .collect();
    assert!(ids.len() >= 2);
    let r = app
        .post_form(
            &steward,
            "/directory/review",
            &format!("/directory/claims/{}/approve", ids[0]),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &steward,
            "/directory/review",
            &format!("/directory/claims/{}/reject", ids[2]),
            &[("reason", "Only group officers can edit")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let theirs = other
        .get(app.url("/directory/suggestions"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(theirs.contains("Not approved") && theirs.contains("Only group officers can edit"));

    let page = organiser
        .get(app.url(&format!("/directory/offers/{offer}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Edit this offer"));
    let r = app
        .post_form(
            &organiser,
            &edit,
            &edit,
            &[
                ("name", "Knit and natter club"),
                ("description", "Knitting, tea and a chat"),
                ("why", "Our new name"),
                ("space", "waiting_list"),
                ("communities", "carers"),
                ("communities", "older_people"),
                ("access", "step_free"),
                ("access", "bsl"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = app
        .client()
        .get(app.url(&format!("/directory/offers/{offer}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("It has a waiting list"), "{html}");
    assert!(html.contains("Especially for Carers, Older people"));
    assert!(
        html.contains("<li>Step-free access</li>")
            && html.contains("<li>British Sign Language</li>")
    );
    assert!(
        !html.contains("<li>Accessible toilet</li>"),
        "access the organiser unticked is gone"
    );
    // A code that is not on the list is named, and nothing changes.
    let r = app
        .post_form(
            &organiser,
            &edit,
            &edit,
            &[
                ("name", "Knit and natter club"),
                ("description", "Knitting, tea and a chat"),
                ("why", "x"),
                ("communities", "martians"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#communities\""));
    let record: Value = reqwest::get(app.url(&format!("/oruk/services/{offer}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        record["name"], "Knit and natter club",
        "an organiser's edit shows at once"
    );
    let history = app
        .client()
        .get(app.url(&format!("/directory/offers/{offer}/history")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(history.contains("Edited by") && history.contains("Our new name"));
    assert_eq!(
        other.get(app.url(&edit)).send().await.unwrap().status(),
        403,
        "a turned-down request gives no editing"
    );
    let r = app
        .post_form(
            &other,
            &format!("/directory/offers/{offer}"),
            &edit,
            &[("name", "Hijacked"), ("description", "x"), ("why", "x")],
        )
        .await;
    assert_eq!(r.status(), 403);

    // The organiser asks to be forgotten: their edit stays in the offer's history (the offer
    // is public), without their name or the reason they gave.
    assert!(history.contains("Edited by Member person"), "{history}");
    let (status, _) = app
        .call(
            &organiser,
            reqwest::Method::POST,
            "/api/v1/me/forget",
            Some(json!({"password": village_testkit::PASSWORD})),
        )
        .await;
    assert_eq!(status, 204);
    let history = app
        .client()
        .get(app.url(&format!("/directory/offers/{offer}/history")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Edited by someone who has since left"),
        "{history}"
    );
    assert!(
        !history.contains("Member person") && !history.contains("Our new name"),
        "{history}"
    );
}

async fn the_directory_api_suggests_reviews_and_tells_history(backend: Backend) {
    use village_domain::accounts::Role;
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (member, _) = app.signed_in_as(Role::Member, "amy@example.org").await;
    let (steward, _) = app.signed_in_as(Role::Steward, "sid@example.org").await;
    let token_for = |client: &reqwest::Client| {
        let client = client.clone();
        let url = app.url("/account");
        async move {
            village_testkit::extract_csrf(
                &client.get(url).send().await.unwrap().text().await.unwrap(),
            )
        }
    };
    let (mt, st) = (token_for(&member).await, token_for(&steward).await);
    {
        let mut c = app.store.conn().await.unwrap();
        village_store::directory::upsert_postcodes(
            &mut c,
            &village_app::demo::directory::postcodes(),
        )
        .await
        .unwrap();
    }
    let post = |client: &reqwest::Client, token: &str, path: &str, body: Value| {
        client
            .post(app.url(path))
            .header("x-csrf-token", token)
            .json(&body)
            .send()
    };

    let bad = post(
        &member,
        &mt,
        "/api/v1/directory/suggestions",
        json!({"record": {"id": "nope"}}),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(
        (
            body["error"]["code"].as_str(),
            body["error"]["field"].as_str()
        ),
        (Some("record_invalid"), Some("record"))
    );

    let record = service(A, "Ukulele jam", "Strum along", json!({}));
    let r = post(
        &member,
        &mt,
        "/api/v1/directory/suggestions",
        json!({"record": record, "why": "I run it"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["status"], "pending");
    let sid = created["id"].as_i64().unwrap();
    assert_eq!(
        reqwest::get(app.url(&format!("/oruk/services/{A}")))
            .await
            .unwrap()
            .status(),
        404,
        "not public yet"
    );

    let r = member
        .get(app.url("/api/v1/directory/review"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let queue: Value = steward
        .get(app.url("/api/v1/directory/review"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue[0]["id"], sid);
    let r = post(
        &steward,
        &st,
        &format!("/api/v1/directory/review/{sid}/reject"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let r = post(
        &steward,
        &st,
        &format!("/api/v1/directory/review/{sid}/approve"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let r = post(
        &steward,
        &st,
        &format!("/api/v1/directory/review/{sid}/approve"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 409, "decided once");
    assert_eq!(
        reqwest::get(app.url(&format!("/oruk/services/{A}")))
            .await
            .unwrap()
            .status(),
        200
    );
    let again = post(
        &member,
        &mt,
        "/api/v1/directory/suggestions",
        json!({"record": record}),
    )
    .await
    .unwrap();
    assert_eq!(
        again.status(),
        409,
        "an existing offer takes a change instead"
    );

    let r = post(
        &member,
        &mt,
        &format!("/api/v1/directory/offers/{A}/changes"),
        json!({"name": "Ukulele jam session", "description": "Strum along", "why": "New name",
               "communities": ["deaf"], "space": "has_space",
               "times": [{"day": "WE", "opens": "18:30", "closes": "20:00"}],
               "cost": {"free": "yes", "description": "Bring your own ukulele"},
               "place": {"venue": "Meadowfield Library", "address": "3 Market Square",
                         "postcode": "mf1 2bd"}}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let change: Value = r.json().await.unwrap();
    let terms: Vec<&str> = change["record"]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["taxonomy_term_id"].as_str())
        .collect();
    use village_domain::directory::taxonomy::{Community, Space};
    assert!(
        terms.contains(&Community::Deaf.term_id()) && terms.contains(&Space::HasSpace.term_id()),
        "{terms:?}"
    );
    let times: Vec<&str> = change["record"]["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["byday"].as_str())
        .collect();
    assert_eq!(times, ["WE"]);
    assert_eq!(change["record"]["cost_options"][0]["amount"], 0);
    let place = &change["record"]["service_at_locations"][0]["location"];
    assert_eq!(place["name"], "Meadowfield Library");
    assert_eq!(place["addresses"][0]["postal_code"], "MF1 2BD");
    assert_eq!(
        (place["latitude"].as_f64(), place["longitude"].as_f64()),
        (Some(52.9548), Some(-1.1467)),
        "placed at the postcode's centre, which the demo area's postcodes give"
    );
    let r = post(
        &member,
        &mt,
        &format!("/api/v1/directory/offers/{A}/changes"),
        json!({"name": "x", "description": "y", "why": "z", "place": {"postcode": "nowhere"}}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["field"], "postcode");
    let r = post(
        &member,
        &mt,
        &format!("/api/v1/directory/offers/{A}/changes"),
        json!({"name": "x", "description": "y", "why": "z",
               "times": [{"day": "MO"}, {"day": "TU", "opens": "19:00", "closes": "18:00"}]}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["field"], "times[1].closes");
    let r = post(
        &member,
        &mt,
        &format!("/api/v1/directory/services/{A}/changes"),
        json!({"name": "x", "description": "y", "why": "z", "access": ["ramps"]}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["field"], "access");
    let cid = change["id"].as_i64().unwrap();
    let r = post(
        &steward,
        &st,
        &format!("/api/v1/directory/review/{cid}/reject"),
        json!({"reason": "The group kept the old name"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let mine: Value = member
        .get(app.url("/api/v1/directory/suggestions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["status"], "rejected");
    assert_eq!(mine[0]["decision_reason"], "The group kept the old name");
    let history: Value = reqwest::get(app.url(&format!("/api/v1/directory/offers/{A}/history")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["why"], "I run it");
    assert_eq!(history[0]["record"]["name"], "Ukulele jam");
    // The addresses from before offers had one name still answer (the change at the old
    // address above was checked the same way as at the new one).
    let old: Value = reqwest::get(app.url(&format!("/api/v1/directory/services/{A}/history")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(old, history);
}

async fn a_suggestion_is_invisible_until_a_steward_approves_it(backend: Backend) {
    use village_domain::accounts::Role;
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let (member, _) = app.signed_in_as(Role::Member, "mel@example.org").await;
    let (steward, _) = app.signed_in_as(Role::Steward, "stu@example.org").await;
    let text = |r: reqwest::Response| async move { (r.status().as_u16(), r.text().await.unwrap()) };
    let total = |app: &TestApp, words: &'static str| {
        let url = app.url(&format!("/oruk/services?search={words}"));
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()["total_items"]
                .as_i64()
                .unwrap()
        }
    };
    let review_ids = |html: &str| -> Vec<i64> {
        html.split("/directory/review/")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .filter_map(|id| id.parse().ok())
            .collect()
    };

    // A form with problems names each one and stores nothing.
    let (status, html) = text(
        app.post_form(
            &member,
            "/directory/suggest",
            "/directory/suggest",
            &[("opens", "10:00")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    for field in ["name", "description", "group", "day"] {
        assert!(html.contains(&format!("href=\"#{field}\"")), "{field}");
    }
    let fields = [
        ("name", "Zither circle"),
        ("description", "Play the zither together"),
        ("group", "Zither Friends"),
        ("category", "arts"),
        ("day", "WE"),
        ("opens", "19:00"),
        ("closes", "21:00"),
        ("postcode", "MF1 1AA"),
        ("free", "yes"),
    ];
    let r = app
        .post_form(&member, "/directory/suggest", "/directory/suggest", &fields)
        .await;
    assert_eq!(r.status(), 303);
    let (_, mine) = text(
        member
            .get(app.url("/directory/suggestions"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(mine.contains("Zither circle") && mine.contains("Waiting for a steward"));
    assert_eq!(
        total(&app, "zither").await,
        0,
        "nothing is public before review"
    );
    assert_eq!(
        member
            .get(app.url("/directory/review"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // The steward rejects it with a reason the member can read; a reason is required.
    let (_, queue) = text(
        steward
            .get(app.url("/directory/review"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let first = review_ids(&queue)[0];
    let (status, item) = text(
        steward
            .get(app.url(&format!("/directory/review/{first}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        item.contains("Zither circle") && item.contains("Wednesdays 7pm to 9pm")
            || item.contains("WE"),
        "the change is shown"
    );
    let reject = format!("/directory/review/{first}/reject");
    let (status, _) = text(
        app.post_form(
            &steward,
            &format!("/directory/review/{first}"),
            &reject,
            &[("reason", "")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    app.post_form(
        &steward,
        &format!("/directory/review/{first}"),
        &reject,
        &[("reason", "Please add the venue name")],
    )
    .await;
    let (_, mine) = text(
        member
            .get(app.url("/directory/suggestions"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(mine.contains("Not approved") && mine.contains("Please add the venue name"));
    assert_eq!(total(&app, "zither").await, 0);

    // Suggested again and approved: now public, with its history.
    let mut again = fields.to_vec();
    again.push(("venue", "Meadowfield Community Centre"));
    again.push(("communities", "deaf"));
    again.push(("communities", "older_people"));
    again.push(("access", "bsl"));
    again.push(("space", "has_space"));
    app.post_form(&member, "/directory/suggest", "/directory/suggest", &again)
        .await;
    let (_, queue) = text(
        steward
            .get(app.url("/directory/review"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let second = review_ids(&queue)[0];
    let r = app
        .post_form(
            &steward,
            &format!("/directory/review/{second}"),
            &format!("/directory/review/{second}/approve"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(total(&app, "zither").await, 1);
    let (_, found) = text(
        app.client()
            .get(app.url("/directory?q=zither&postcode=MF1+1AA&within=1"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        found.contains("Zither circle"),
        "searchable by words and place"
    );
    let (_, found) = text(
        app.client()
            .get(app.url("/directory?q=zither&community=deaf&access=bsl&space=has_space"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        found.contains("1 offer found") && found.contains("Deaf people, Older people"),
        "who it is for, its access and space came with the suggestion"
    );

    // A change to an existing offer waits for review too, and shows in the history.
    let id = village_app::demo::directory::services()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let change = format!("/directory/offers/{id}/suggest-change");
    let before: Value = reqwest::get(app.url(&format!("/oruk/services/{id}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let old_postcode = before["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
        .as_str()
        .unwrap()
        .replace(' ', "+");
    assert_ne!(old_postcode, "MF3+9JP");
    let (status, form) = text(member.get(app.url(&change)).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(
        form.contains("value=\"Knit and natter\""),
        "the form starts from what is there"
    );
    let (status, form_again) = text(
        app.post_form(
            &member,
            &change,
            &change,
            &[
                ("name", "Knitterati natter"),
                ("description", "Knitting and crochet"),
                ("why", ""),
                ("day", ""),
                ("week", ""),
                ("opens", "10:00"),
                ("closes", ""),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "say what has changed");
    assert!(
        form_again.contains("Choose the day for time 1")
            && form_again.contains("href=\"#times[0].day\"")
            && form_again.contains("id=\"times[0].day\""),
        "a time without its day is named by its line"
    );
    app.post_form(
        &member,
        &change,
        &change,
        &[
            ("name", "Knitterati natter"),
            ("description", "Knitting and crochet, with tea"),
            ("why", "Crochet started in May"),
            ("day", "TH"),
            ("week", ""),
            ("opens", "14:00"),
            ("closes", "16:00"),
            ("day", "SA"),
            ("week", "-1"),
            ("opens", "10:00"),
            ("closes", "12:00"),
            ("day", ""),
            ("week", ""),
            ("opens", ""),
            ("closes", ""),
            ("free", "no"),
            ("cost", "£1 for tea"),
            ("venue", "Oakwood Primary School hall"),
            ("address", "Oakwood Avenue"),
            ("postcode", "mf3 9jp"),
        ],
    )
    .await;
    assert_eq!(
        total(&app, "knitterati").await,
        0,
        "the change is not public yet"
    );
    let (_, queue) = text(
        steward
            .get(app.url("/directory/review"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let third = review_ids(&queue)[0];
    let (_, item) = text(
        steward
            .get(app.url(&format!("/directory/review/{third}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        item.contains("Knit and natter") && item.contains("Knitterati natter"),
        "before and after"
    );
    app.post_form(
        &steward,
        &format!("/directory/review/{third}"),
        &format!("/directory/review/{third}/approve"),
        &[],
    )
    .await;
    let record: Value = reqwest::get(app.url(&format!("/oruk/services/{id}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(record["name"], "Knitterati natter");
    let times: Vec<(&str, &str, &str)> = record["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["byday"].as_str().unwrap_or(""),
                s["opens_at"].as_str().unwrap_or(""),
                s["closes_at"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        times,
        [("TH", "14:00", "16:00"), ("-1SA", "10:00", "12:00")],
        "it moved to Thursday afternoons and the last Saturday of the month"
    );
    assert_eq!(
        record["cost_options"][0]["amount_description"],
        "£1 for tea"
    );
    assert!(
        record["organization"].is_object(),
        "the rest of the record is kept"
    );
    let (_, page) = text(
        app.client()
            .get(app.url(&format!("/directory/offers/{id}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        page.contains("Thursdays 2pm to 4pm") && page.contains("£1 for tea"),
        "the offer page says the new times and cost"
    );
    let found = text(
        app.client()
            .get(app.url("/directory?day=TH&time=afternoon&q=knitterati"))
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert!(found.contains("1 offer found"), "found on its new day");
    assert_eq!(
        record["service_at_locations"][0]["location"]["name"],
        "Oakwood Primary School hall"
    );
    let near = |postcode: String| {
        let app = &app;
        async move {
            let path =
                format!("/oruk/services?search=knitterati&postcode={postcode}&proximity=200");
            get(app, &path).await.1["total_items"].as_i64()
        }
    };
    assert_eq!(
        near("MF3+9JP".into()).await,
        Some(1),
        "found within 200 m of its new place"
    );
    assert_eq!(near(old_postcode).await, Some(0), "and not at the old one");
    let (_, history) = text(
        app.client()
            .get(app.url(&format!("/directory/offers/{id}/history")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(history.contains("Change suggested by") && history.contains("Crochet started in May"));
    assert!(history.contains("“Knit and natter” became “Knitterati natter”"));
    assert!(
        history.contains("Oakwood Primary School hall, Oakwood Avenue, MF3 9JP"),
        "the history says where it moved, in words"
    );
    assert!(
        !history.contains("Member person"),
        "the public history does not name the member who suggested"
    );
    assert!(history.contains("Approved by Steward person"));

    // Offers not checked for a year are listed for stewards, who can mark them still right.
    let (status, stale) = text(
        steward
            .get(app.url("/directory/review/stale"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let stale_id = village_app::demo::directory::services()[6]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        stale.contains(&stale_id),
        "a demo offer last checked in June 2025"
    );
    assert_eq!(
        member
            .get(app.url("/directory/review/stale"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let r = app
        .post_form(
            &steward,
            "/directory/review/stale",
            &format!("/directory/review/stale/{stale_id}/checked"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, stale) = text(
        steward
            .get(app.url("/directory/review/stale"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(!stale.contains(&stale_id), "checked today");
    let (_, history) = text(
        app.client()
            .get(app.url(&format!("/directory/offers/{stale_id}/history")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(history.contains("Checked by a steward: still right"));
}

async fn people_find_offers_on_the_directory_pages(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let browser = app.client();
    let page = |path: String| {
        let browser = browser.clone();
        let url = app.url(&path);
        async move {
            let r = browser.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, html) = page("/directory".into()).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("150 offers found"),
        "everything is listed before any filter"
    );
    let (_, html) = page("/directory?q=walking&postcode=MF1+1AA&within=1".into()).await;
    assert!(
        html.contains("Walking group"),
        "words and distance together"
    );
    assert!(
        html.contains(" miles away)") || html.contains(" mile away)"),
        "distances are shown"
    );
    assert!(!html.contains("Leeds"));
    let (_, html) = page("/directory?category=carers&free=1".into()).await;
    let count: i64 = html
        .split(" offers found")
        .next()
        .and_then(|h| h.rsplit('>').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(-1);
    assert!(count > 0 && count < 150, "{count}");
    assert!(!html.contains("£2 a session"), "free only");
    let (_, html) = page("/directory?time=evening".into()).await;
    assert!(
        html.contains("6:30pm to 8:30pm") && !html.contains("10am to midday"),
        "evening only"
    );
    let (_, html) = page("/directory?access=step_free&access=hearing_loop".into()).await;
    assert!(
        html.contains("Meadowfield Community Centre")
            && !html.contains("St Anne&#x27;s Church Hall")
            && !html.contains("St Anne's Church Hall"),
        "only places with every need met"
    );
    assert!(
        html.contains("name=\"access\" value=\"hearing_loop\" form=\"search\" checked"),
        "the choices are kept"
    );
    let (_, html) = page("/directory?led=1".into()).await;
    assert!(
        html.contains("Hearing voices group") && !html.contains("Lunch club"),
        "led by people with lived experience"
    );
    assert!(html.contains("Led by people with lived experience</span>"));
    let (_, html) = page("/directory?community=deaf".into()).await;
    assert!(
        html.contains("3 offers found") && html.contains("Deaf café"),
        "the three Deaf café sessions, and nothing else"
    );
    assert!(html.contains("<dt>Especially for</dt><dd>Deaf people</dd>"));
    let (_, html) = page("/directory?space=has_space&per_page=20".into()).await;
    let with_space = html
        .matches("<span class=\"tag\">Has space now</span>")
        .count();
    assert!(
        with_space > 0 && !html.contains("Waiting list</span>"),
        "only offers with space now"
    );
    assert!(html.contains("name=\"space\" value=\"has_space\" form=\"search\" checked"));
    let (_, html) = page("/directory?kind=faith".into()).await;
    assert!(html.contains("Faith lunch") && !html.contains("Walking group"));
    let (_, html) = page("/directory?age=10".into()).await;
    assert!(
        html.contains("Young carers") && !html.contains("Lunch club"),
        "open to a ten-year-old"
    );
    let (status, html) = page("/directory?postcode=nonsense&age=old".into()).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("href=\"#postcode\"") && html.contains("href=\"#age\""),
        "both problems are named"
    );
    // A value the form does not offer (typed by hand, an old link) is named, not dropped:
    // dropped, the search would show more than the person asked for.
    for (query, field) in [
        ("within=7&postcode=MF1+1AA", "within"),
        ("category=knitting", "category"),
        ("day=funday", "day"),
        ("time=midnight", "time"),
        ("kind=club", "kind"),
        ("community=everyone", "community"),
        ("space=maybe", "space"),
        ("sort=cheapest", "sort"),
        ("access=step_free&access=ramps", "access"),
        ("within=5", "postcode"),
    ] {
        let (status, html) = page(format!("/directory?q=walking&{query}")).await;
        assert_eq!(status, 422, "{query}");
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{query}: the field is named in the summary"
        );
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{query}: and its message is beside it"
        );
        assert!(
            (field == "postcode" || html.contains("<details class=\"filter-panel\" open>"))
                && html.contains("value=\"walking\""),
            "{query}: the filters holding the mistake are open, and the words kept"
        );
        assert!(
            html.contains("Not searched yet") && !html.contains("offers found"),
            "{query}: no count is given for a search not made"
        );
    }
    let (_, html) = page("/directory?page=2".into()).await;
    assert!(html.contains("Page 2 of 8") && html.contains("Previous page"));

    let (_, html) = page("/directory?sort=name".into()).await;
    let first = html
        .split("/directory/offers/")
        .nth(1)
        .and_then(|p| p.split('>').nth(1))
        .and_then(|p| p.split('<').next())
        .unwrap_or("");
    assert_eq!(first, "Allotment taster", "name order, A to Z");
    let (_, near) = page("/directory?q=walking&postcode=MF3+7GL&sort=nearest".into()).await;
    assert!(near.contains(" miles away)") || near.contains(" mile away)"));
    // The library runs several offers, all on one group page.
    let services = village_app::demo::directory::services();
    let org = services
        .iter()
        .find(|s| s["name"] == "Digital drop-in")
        .and_then(|s| s["organization_id"].as_str())
        .unwrap()
        .to_string();
    let runs = services
        .iter()
        .filter(|s| s["organization_id"] == org.as_str())
        .count();
    assert!(runs >= 3, "the demo library runs {runs}");
    let (status, html) = page(format!("/directory/groups/{org}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<h1>Meadowfield Library</h1>")
            && html.contains(&format!("What they run ({runs})")),
        "one page for the group and all it runs"
    );
    assert_eq!(page("/directory/groups/nobody".into()).await.0, 404);
    // Bookmarks from when a group's page was under /directory/organisations/ still work.
    let stay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for old in [
        format!("/directory/organisations/{org}"),
        format!("/directory/organisations/{org}/claim"),
    ] {
        let r = stay.get(app.url(&old)).send().await.unwrap();
        assert_eq!(r.status(), 308, "{old}");
        assert_eq!(
            r.headers()["location"],
            old.replace("/directory/organisations/", "/directory/groups/")
                .as_str()
        );
    }
    let id = village_app::demo::directory::services()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, html) = page(format!("/directory/offers/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Knit and natter</h1>"));
    assert!(
        html.contains("Meadowfield Knitters</a>"),
        "run by, linking to the group"
    );
    assert!(html.contains("People aged 18 and over"));
    assert!(
        html.contains("Mondays 10am to midday") || html.contains("s 1"),
        "times in plain words"
    );
    assert!(html.contains("Last checked"));
    let (status, _) = page("/directory/offers/not-a-real-id".into()).await;
    assert_eq!(status, 404);
}

async fn the_demo_directory_is_valid_oruk(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let loaded = village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    assert_eq!(loaded.offers, 150);
    assert_eq!(
        village_app::demo::load(&app.store, village_app::now())
            .await
            .unwrap()
            .offers,
        0,
        "loading again adds nothing"
    );
    let (status, page, _) = get(&app, "/oruk/services?per_page=1000").await;
    assert_eq!((status, page["total_items"].as_i64()), (200, Some(150)));
    let full = schema("service.json");
    let list = schema("service_list.json");
    for item in page["contents"].as_array().unwrap() {
        assert_valid(&list, item, "a demo list item");
        let (_, record, _) = get(
            &app,
            &format!("/oruk/services/{}", item["id"].as_str().unwrap()),
        )
        .await;
        assert_valid(&full, &record, "a demo service");
    }
    let (_, near, _) = get(&app, "/oruk/services?postcode=MF1%201AA&proximity=300").await;
    let near_total = near["total_items"].as_i64().unwrap();
    assert!(
        near_total > 0 && near_total < 150,
        "{near_total} within 300 m of the community centre"
    );
    let peer = village_domain::directory::taxonomy::category_by_code("peer_support").unwrap();
    let (_, peers, _) = get(
        &app,
        &format!("/oruk/services?taxonomy_term_id={}", peer.id),
    )
    .await;
    assert!(peers["total_items"].as_i64().unwrap() >= 9);
}

fn placed(id: &str, name: &str, sal: &str, lat: f64, lon: f64) -> Value {
    service(
        id,
        name,
        "A group that meets in person",
        json!({
            "service_at_locations": [{"id": sal, "location": {"id": format!("{}0", &sal[..35]), "location_type": "physical", "latitude": lat, "longitude": lon}}]
        }),
    )
}

async fn near_a_postcode(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let csv = app.dir.path().join("postcodes.csv");
    std::fs::write(&csv, "pcd,pcds,lat,long\nM1 1AE,M1 1AE,53.4794,-2.2453\nM601NW,M60 1NW,53.4813,-2.2371\nLS1 4DY,LS1 4DY,53.7974,-1.5438\nZZ99ZZ,ZZ9 9ZZ,99.999999,0.000000\n").unwrap();
    let report = postcodes(&app, &csv).await.unwrap();
    assert!(report.written, "{:?}", report.refused);
    assert_eq!(report.imported, 3);
    assert_eq!(
        report.warnings.len(),
        1,
        "the postcode with no location is skipped, and said so"
    );

    let file = app.dir.path().join("services.json");
    std::fs::write(
        &file,
        json!([
            placed(
                A,
                "Piccadilly walking group",
                "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1",
                53.4774,
                -2.2309
            ),
            placed(
                B,
                "Leeds walking group",
                "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1",
                53.7997,
                -1.5492
            ),
            service(
                C,
                "Online walking chat",
                "Talk about walks from home",
                json!({})
            ),
        ])
        .to_string(),
    )
    .unwrap();
    let report = import(&app, &file, false).await;
    assert!(report.written, "{:?}", report.refused);

    let (status, page, _) = get(&app, "/oruk/services?postcode=M1%201AE&proximity=2000").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page), vec![A], "within 2 km of M1 1AE");
    assert_eq!(page["total_items"], 1);
    let (_, page, _) = get(&app, "/oruk/services?postcode=m11ae&proximity=100000").await;
    assert_eq!(ids(&page), vec![A, B], "within 100 km, nearest first");
    let (_, page, _) = get(&app, "/oruk/services?postcode=M1&proximity=2000").await;
    assert_eq!(ids(&page), vec![A], "a district works too");
    let (_, page, _) = get(&app, "/oruk/services?postcode=LS1%204DY").await;
    assert_eq!(
        ids(&page),
        vec![B, A, C],
        "a postcode alone sorts by distance; no place comes last"
    );
    let (_, page, _) = get(
        &app,
        "/oruk/services?postcode=M1%201AE&proximity=100000&search=leeds",
    )
    .await;
    assert_eq!(ids(&page), vec![B], "filters combine");
    let (_, page, _) = get(
        &app,
        "/oruk/service_at_locations?postcode=M1%201AE&proximity=2000",
    )
    .await;
    assert_eq!(
        page["contents"][0]["id"],
        "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1"
    );
    for (query, field) in [
        ("postcode=XX1%201XX", "postcode"),
        ("postcode=nonsense", "postcode"),
        ("proximity=500", "proximity"),
    ] {
        let (status, body, _) = get(&app, &format!("/oruk/services?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
}

async fn a_bad_postcode_file_writes_nothing(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let csv = app.dir.path().join("postcodes.csv");
    std::fs::write(
        &csv,
        "pcds,lat,long\nM1 1AE,53.4794,-2.2453\nnot a postcode,1,1\nM60 1NW,north,-2.2\n",
    )
    .unwrap();
    let report = postcodes(&app, &csv).await.unwrap();
    assert!(!report.written);
    let lines: Vec<&str> = report.refused.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(lines, ["line 3", "line 4"]);
    let (status, _, _) = get(&app, "/oruk/services?postcode=M1%201AE").await;
    assert_eq!(status, 400, "nothing was written, so M1 1AE is not known");
    std::fs::write(&csv, "postcode,latitude\nM1 1AE,53\n").unwrap();
    let err = postcodes(&app, &csv).await.unwrap_err();
    assert!(err.to_string().contains("pcds, lat and long"));
}

async fn the_community_taxonomy_is_published(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let id = village_domain::directory::taxonomy::COMMUNITY_TAXONOMY_ID;
    let (status, taxonomies, _) = get(&app, "/oruk/taxonomies").await;
    assert_eq!(status, 200);
    assert_eq!(
        taxonomies["total_items"], 6,
        "community life and the five Village profile taxonomies"
    );
    let ids: Vec<&str> = taxonomies["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&id));
    let (status, terms, _) = get(
        &app,
        &format!("/oruk/taxonomy_terms?taxonomy_id={id}&per_page=100"),
    )
    .await;
    assert_eq!(status, 200);
    let names: Vec<&str> = terms["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        village_domain::directory::taxonomy::CATEGORIES.len()
    );
    assert!(names.contains(&"Peer support") && names.contains(&"Carers' support"));
    let peer = village_domain::directory::taxonomy::category_by_code("peer_support").unwrap();
    let (status, term, _) = get(&app, &format!("/oruk/taxonomy_terms/{}", peer.id)).await;
    assert_eq!((status, term["taxonomy_id"].as_str()), (200, Some(id)));
    // Setting it up again changes nothing.
    village_app::directory::ensure_default_taxonomy(&app.store)
        .await
        .unwrap();
    let (_, again, _) = get(
        &app,
        &format!("/oruk/taxonomy_terms?per_page=100&taxonomy_id={id}"),
    )
    .await;
    assert_eq!(again["total_items"], names.len());
}

/// The Open Referral UK 3.0 files the tests check against (copied into the repository).
fn standards() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/standards/oruk-3.0")
}

fn schema(name: &str) -> jsonschema::Validator {
    let dir = standards();
    let text = std::fs::read_to_string(dir.join("schema/compiled").join(name)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid ORUK:\n{}",
        errors.join("\n")
    );
}

async fn import(
    app: &TestApp,
    path: &std::path::Path,
    skip_invalid: bool,
) -> village_app::directory::import::ImportReport {
    import_oruk(
        &app.store,
        path,
        skip_invalid,
        village_app::now(),
        &mut |_, _| {},
    )
    .await
    .unwrap()
}

/// `village import postcodes FILE`, as the command runs it.
async fn postcodes(
    app: &TestApp,
    csv: &std::path::Path,
) -> anyhow::Result<village_app::directory::import::ImportReport> {
    village_app::directory::import::import_postcodes(&app.store, csv, false, &mut |_, _| {}).await
}

async fn get(app: &TestApp, path: &str) -> (u16, Value, reqwest::header::HeaderMap) {
    let r = app
        .client()
        .get(app.url(path))
        .header("origin", "https://example.org")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.json().await.unwrap_or(Value::Null), headers)
}

async fn count(app: &TestApp) -> i64 {
    let mut c = app.store.conn().await.unwrap();
    village_store::directory::count_services(&mut c)
        .await
        .unwrap()
}

async fn the_fail_feed_is_refused_and_nothing_is_written(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let report = import(&app, &dir.join("validator-feeds/V3.0-UK-Fail"), false).await;
    assert!(!report.written);
    assert_eq!(count(&app).await, 0, "nothing half-written");
    let problems: Vec<String> = report
        .refused
        .iter()
        .map(|r| format!("{} {}", r.path, r.message))
        .collect();
    assert!(
        problems.contains(&"$.contents[0].name is missing".to_string()),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("$.email") && p.contains("email")),
        "{problems:#?}"
    );
    assert!(report.refused.iter().all(|r| r.file.ends_with(".json")));

    // With --skip-invalid, the good records go in and the bad ones are reported.
    let report = import(&app, &dir.join("validator-feeds/V3.0-UK-Fail"), true).await;
    assert!(report.written);
    assert_eq!(report.imported, 0, "every service in the fail feed is bad");
}

/// PostgreSQL cannot keep a NUL character (U+0000): an import holding one is refused with the
/// file and the field named, on both backends, and nothing is written.
async fn an_import_holding_a_nul_names_the_file_and_field(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let mut record: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("validator-feeds/V3.0-UK-Default/service_full.json"))
            .unwrap(),
    )
    .unwrap();
    record["name"] = json!("Knit\u{0}ting");
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("service_full.json"), record.to_string()).unwrap();
    std::fs::write(
        work.path().join("taxonomy_terms.json"),
        json!([{"id": "nul-term", "name": "Gar\u{0}dening"}]).to_string(),
    )
    .unwrap();
    let report = import(&app, work.path(), false).await;
    assert!(!report.written);
    assert_eq!(count(&app).await, 0, "nothing half-written");
    let problem = report
        .refused
        .iter()
        .find(|r| r.path == "$.name")
        .unwrap_or_else(|| panic!("{:#?}", report.refused));
    assert!(problem.file.ends_with("service_full.json"), "{problem:?}");
    assert!(problem.message.contains("NUL"), "{problem:?}");
    assert!(
        report
            .refused
            .iter()
            .any(|r| r.file.ends_with("taxonomy_terms.json") && r.message.contains("NUL")),
        "{:#?}",
        report.refused
    );
}

async fn the_default_feed_reads_back_field_for_field(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let report = import(&app, &dir.join("validator-feeds/V3.0-UK-Default"), false).await;
    assert!(report.written, "{:?}", report.refused);
    assert_eq!(report.imported, 1);
    assert!(report
        .warnings
        .iter()
        .any(|w| w.message.contains("left out of distance searches")));

    let original: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("validator-feeds/V3.0-UK-Default/service_full.json"))
            .unwrap(),
    )
    .unwrap();
    let (status, served, headers) =
        get(&app, "/oruk/services/ac148810-d857-441c-9679-408f346de14b").await;
    assert_eq!(status, 200);
    assert_eq!(headers["access-control-allow-origin"], "*", "open CORS");
    assert_eq!(
        served,
        village_domain::directory::oruk::without_empty_fields(original)
    );
    assert_valid(&schema("service.json"), &served, "/services/{id}");

    let (status, page, _) = get(&app, "/oruk/services").await;
    assert_eq!(status, 200);
    for (key, expected) in [
        ("total_items", json!(1)),
        ("total_pages", json!(1)),
        ("page_number", json!(1)),
        ("size", json!(1)),
        ("first_page", json!(true)),
        ("last_page", json!(true)),
        ("empty", json!(false)),
    ] {
        assert_eq!(page[key], expected, "{key}");
    }
    let list_item = schema("service_list.json");
    for item in page["contents"].as_array().unwrap() {
        assert_valid(&list_item, item, "an item of /services");
        assert!(
            item.get("service_at_locations").is_none(),
            "list items carry one-to-one fields only"
        );
    }
    let (status, sal, _) = get(
        &app,
        "/oruk/service_at_locations/e94c9f38-1e8f-4564-91d4-d53501ab1765",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(sal["service_id"], "ac148810-d857-441c-9679-408f346de14b");
    assert_eq!(sal["service"]["name"], "Community Counselling");
    assert_valid(
        &schema("service_at_location.json"),
        &sal,
        "/service_at_locations/{id}",
    );
    let (status, sals, _) = get(&app, "/oruk/service_at_locations?search=counselling").await;
    assert_eq!((status, sals["total_items"].as_i64()), (200, Some(1)));
    let sal_item = schema("service_at_location_list.json");
    for item in sals["contents"].as_array().unwrap() {
        assert_valid(&sal_item, item, "an item of /service_at_locations");
    }
    let (status, root, _) = get(&app, "/oruk/").await;
    assert_eq!(status, 200);
    assert_eq!(root["version"], "HSDS-UK-3.0");
    let (status, term, _) = get(
        &app,
        "/oruk/taxonomy_terms/3f7b145d-84af-42d7-8fae-eaca714b02b2",
    )
    .await;
    assert_eq!((status, term["name"].as_str()), (200, Some("name")));
    let (status, _, _) = get(&app, "/oruk/services/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(status, 404);
    // Importing again changes nothing.
    import(&app, &dir.join("validator-feeds/V3.0-UK-Default"), false).await;
    assert_eq!(count(&app).await, 1);
    let (_, again, _) = get(&app, "/oruk/services/ac148810-d857-441c-9679-408f346de14b").await;
    assert_eq!(again, served);
}

async fn a_feed_repeating_one_id_keeps_one_and_says_so(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let report = import(&app, &dir.join("validator-feeds/V3.0-UK-Test"), false).await;
    assert!(report.written);
    assert_eq!(report.imported, 1);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("times with different content")
            // The standard's test feed repeats the id 257 times: three places are named.
            && w.message.contains(" more); kept this one")),
        "{:#?}",
        report.warnings
    );
}

/// The ids of an ORUK list page's services, in order.
fn ids(page: &Value) -> Vec<String> {
    page["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

fn service(id: &str, name: &str, description: &str, extra: Value) -> Value {
    let mut s = json!({"id": id, "name": name, "description": description, "status": "active"});
    if let (Some(obj), Value::Object(more)) = (s.as_object_mut(), extra) {
        obj.extend(more);
    }
    s
}

/// List one offer from its ORUK record, public or not, as an approved offer is written.
async fn write_offer(tx: &mut village_store::Tx, record: &Value, public: bool) {
    let (index, _) = village_domain::directory::oruk::read_service(record).unwrap();
    village_store::directory::upsert_service(
        tx,
        &index,
        &record.to_string(),
        public,
        village_app::now(),
    )
    .await
    .unwrap();
}

const A: &str = "11111111-1111-4111-8111-111111111111";
const B: &str = "22222222-2222-4222-8222-222222222222";
const C: &str = "33333333-3333-4333-8333-333333333333";
const TERM: &str = "44444444-4444-4444-8444-444444444444";

async fn filters_really_filter(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let file = app.dir.path().join("services.json");
    let services = json!([
        service(
            A,
            "Tuesday knit and natter",
            "Knitting, tea and a chat for anyone",
            json!({
                "minimum_age": 18, "maximum_age": 99,
                "schedules": [{"id": "66666666-6666-4666-8666-666666666661", "freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "12:00"}],
                "attributes": [{"id": "55555555-5555-4555-8555-555555555555", "taxonomy_term_id": TERM}]
            })
        ),
        service(
            B,
            "Community gardeners",
            "We garden together on the allotments every week",
            json!({
                "minimum_age": 8, "maximum_age": 16,
                "schedules": [{"id": "66666666-6666-4666-8666-666666666662", "freq": "WEEKLY", "byday": "SA", "opens_at": "14:00", "closes_at": "16:00"}]
            })
        ),
        service(
            C,
            "Carers' coffee morning",
            "Coffee and company for unpaid carers",
            json!({
                "url": "javascript:alert(1)",
                "schedules": [{"id": "66666666-6666-4666-8666-666666666663", "freq": "WEEKLY", "byday": "TU,TH", "opens_at": "09:30", "closes_at": "11:00"}]
            })
        ),
    ]);
    std::fs::write(&file, services.to_string()).unwrap();
    let report = import(&app, &file, false).await;
    assert!(report.written, "{:?}", report.refused);

    let by_term = format!("?taxonomy_term_id={TERM}");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("", vec![C, B, A]),
        ("?search=gardening", vec![B]),
        ("?search=knitting%20tea", vec![A]),
        ("?search=nothing-matches-this", vec![]),
        (&by_term, vec![A]),
        ("?minimum_age=18", vec![A]),
        ("?maximum_age=16", vec![B]),
        ("?day=TU", vec![C, A]),
        ("?day=Saturday", vec![B]),
        ("?day=TU&start_time=10:00", vec![A]),
        ("?end_time=11:00", vec![C]),
        ("?day=MO", vec![]),
        ("?search=coffee&day=TH", vec![C]),
    ];
    for (query, expected) in cases {
        let (status, page, _) = get(&app, &format!("/oruk/services{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(ids(&page), expected, "{query}");
        assert_eq!(page["total_items"], expected.len(), "{query}");
    }
    // A web address that is not http(s) is never made a link.
    let offer_html = app
        .client()
        .get(app.url(&format!("/directory/offers/{C}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(offer_html.contains("Carers"));
    assert!(
        !offer_html.contains("javascript:"),
        "no script links from imported data"
    );
    // Pages: two a page, the second page holds the last one.
    let (_, page, _) = get(&app, "/oruk/services?per_page=2&page=2").await;
    assert_eq!(ids(&page), vec![A]);
    assert_eq!(
        (
            page["total_pages"].as_i64(),
            page["first_page"].as_bool(),
            page["last_page"].as_bool()
        ),
        (Some(2), Some(false), Some(true))
    );
    let (_, page, _) = get(&app, "/oruk/services?per_page=2&page=3").await;
    assert_eq!(
        (page["empty"].as_bool(), page["size"].as_i64()),
        (Some(true), Some(0))
    );
}

async fn export_then_import_then_export_gives_the_same_files(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    import(&app, &dir.join("validator-feeds/V3.0-UK-Default"), false).await;
    let first = app.dir.path().join("export-1");
    assert_eq!(export_oruk(&app.store, &first).await.unwrap(), 1);

    let Some(empty) = TestApp::start(backend).await else {
        return;
    };
    let report = import(&empty, &first, false).await;
    assert!(report.written, "{:?}", report.refused);
    let second = empty.dir.path().join("export-2");
    export_oruk(&empty.store, &second).await.unwrap();
    for file in ["services.json", "taxonomy_terms.json"] {
        assert_eq!(
            std::fs::read(first.join(file)).unwrap(),
            std::fs::read(second.join(file)).unwrap(),
            "{file}"
        );
    }
}

async fn wrong_parameters_are_named(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for (query, field) in [
        ("page=0", "page"),
        ("per_page=100000", "per_page"),
        ("minimum_age=old", "minimum_age"),
        ("start_time=noon", "start_time"),
        ("day=Funday", "day"),
    ] {
        let (status, body, _) = get(&app, &format!("/oruk/services?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
}

async fn import_csv(
    app: &TestApp,
    dir: &std::path::Path,
    skip_invalid: bool,
) -> village_app::directory::import::ImportReport {
    import_hsds_csv(
        &app.store,
        dir,
        skip_invalid,
        village_app::now(),
        &mut |_, _| {},
    )
    .await
    .unwrap()
}

/// The standard's `examples/csv` and `examples/service_full.json` describe the same service:
/// importing the CSV must publish that record.
async fn the_hsds_csv_example_imports_as_the_standards_own_record(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let report = import_csv(&app, &dir.join("examples/csv"), false).await;
    assert!(report.refused.is_empty(), "{:#?}", report.refused);
    assert!(report.written);
    assert_eq!(report.imported, 1);
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    for expected in [
        "phones.csv the whole file: phones is not part of an Open Referral UK service record",
        "programs.csv the whole file",
        "addresses.csv column address_2: not part of Open Referral UK",
        "schedules.csv column timezone",
        "locations.csv line 2: coordinates (100, 101) are not real",
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(expected)),
            "no warning like {expected:?} in {warnings:#?}"
        );
    }

    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("examples/service_full.json")).unwrap(),
    )
    .unwrap();
    let id = want["id"].as_str().unwrap().to_string();
    let (status, got, _) = get(&app, &format!("/oruk/services/{id}")).await;
    assert_eq!(status, 200);
    assert_valid(&schema("service.json"), &got, "the imported CSV service");
    // One difference, and the import says why: the example's attribute.csv links its one
    // attribute to an id that is in no other file, so it is not attached to the service.
    let mut want = want;
    want.as_object_mut().unwrap().remove("attributes");
    assert_eq!(got, want);
    assert!(warnings.iter().any(|w| w.contains(
        "attribute.csv line 2, column link_id: f28dd44b-0c4d-479f-8e90-4c52219a8b3c is not a service"
    )));
    // Its taxonomy term is imported all the same.
    let (status, term, _) = get(
        &app,
        "/oruk/taxonomy_terms/3f7b145d-84af-42d7-8fae-eaca714b02b2",
    )
    .await;
    assert_eq!((status, term["name"].as_str()), (200, Some("name")));

    // Importing again changes nothing.
    let (_, before, _) = get(&app, &format!("/oruk/services/{id}")).await;
    let report = import_csv(&app, &dir.join("examples/csv"), false).await;
    assert_eq!((report.written, report.imported), (true, 1));
    let (_, after, _) = get(&app, &format!("/oruk/services/{id}")).await;
    assert_eq!(before, after);
    assert_eq!(count(&app).await, 1);
}

async fn bad_hsds_csv_is_named_by_file_line_and_column_and_nothing_is_written(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir.join("examples/csv")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, work.path().join(path.file_name().unwrap())).unwrap();
    }
    let edit = |file: &str, from: &str, to: &str| {
        let path = work.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // A second service: its age is not a number, and its organisation is not there.
    let services = work.path().join("services.csv");
    let mut text = std::fs::read_to_string(&services).unwrap();
    text.push_str("5d4e1b8a-7f5c-4a43-9d0e-1b2c3d4e5f60,00000000-0000-4000-8000-000000000000,Walking group,Walks on Sundays,,,active,,,twelve,,,,,\n");
    std::fs::write(&services, text).unwrap();
    // The example organisation's email is not an email address.
    edit("organizations.csv", "email@example.com", "not an email");
    // A cost option for a service that does not exist.
    edit(
        "cost_options.csv",
        "1fdf4d39-3d80-484d-9f92-a8ffa08621e7,ac148810-d857-441c-9679-408f346de14b",
        "1fdf4d39-3d80-484d-9f92-a8ffa08621e7,9b0f3c5e-1d2a-4b3c-8d4e-5f6a7b8c9d0e",
    );

    let report = import_csv(&app, work.path(), false).await;
    assert!(!report.written);
    assert_eq!(count(&app).await, 0, "nothing half-written");
    let refused: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
    let shown = |file: &str| work.path().join(file).display().to_string();
    for expected in [
        format!("{} line 3, column minimum_age: \"twelve\" is not a number", shown("services.csv")),
        format!("{} line 2, column email:", shown("organizations.csv")),
        format!(
            "{} line 2, column service_id: there is no service 9b0f3c5e-1d2a-4b3c-8d4e-5f6a7b8c9d0e in services.csv",
            shown("cost_options.csv")
        ),
    ] {
        assert!(
            refused.iter().any(|r| r.starts_with(&expected)),
            "nothing like {expected:?} in {refused:#?}"
        );
    }

    // A missing folder is a plain error, not a panic.
    let missing = import_hsds_csv(
        &app.store,
        &work.path().join("nowhere"),
        false,
        village_app::now(),
        &mut |_, _| {},
    )
    .await;
    assert!(missing.unwrap_err().to_string().contains("is not a folder"));
}

/// The profile is documented for other ORUK consumers: docs/PROFILE.md must list every
/// taxonomy and term id Village publishes, with its code.
#[test]
fn the_village_profile_is_documented() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/PROFILE.md"),
    )
    .unwrap();
    let mut missing = Vec::new();
    let check = |id: &str, code: &str, missing: &mut Vec<String>| {
        if !doc.contains(&format!("| `{code}` |")) || !doc.contains(&format!("`{id}`")) {
            missing.push(format!("{code} {id}"));
        }
    };
    for c in village_domain::directory::taxonomy::CATEGORIES {
        check(c.id, c.code, &mut missing);
    }
    for (taxonomy, name, _, terms) in village_app::directory::profile_taxonomies() {
        if !doc.contains(&format!("`{taxonomy}` ({name})")) {
            missing.push(format!("{name} {taxonomy}"));
        }
        for (id, code, _) in terms {
            check(id, code, &mut missing);
        }
    }
    let led = village_domain::directory::taxonomy::LIVED_EXPERIENCE_LED_TERM_ID;
    if !doc.contains(&format!("`lived_experience_led`,\nid `{led}`")) {
        missing.push(format!("lived_experience_led {led}"));
    }
    assert!(missing.is_empty(), "not in docs/PROFILE.md: {missing:#?}");
}

/// Everything the directory stores about its services, as text, in a fixed order.
async fn directory_rows(store: &village_store::Store) -> Vec<String> {
    let sqls = [
        "SELECT id || '|' || COALESCE(organization_id, '') || '|' || COALESCE(organization_name, '') || '|' || name || '|' || description || '|' || status || '|' || COALESCE(CAST(minimum_age AS TEXT), '') || '|' || COALESCE(CAST(maximum_age AS TEXT), '') || '|' || COALESCE(CAST(free AS TEXT), '') || '|' || COALESCE(last_modified, '') || '|' || CAST(public AS TEXT) || '|' || COALESCE(CAST(h0 AS TEXT), '') || '|' || COALESCE(CAST(h1 AS TEXT), '') || '|' || COALESCE(CAST(h2 AS TEXT), '') FROM dir_services ORDER BY id",
        "SELECT id || '|' || doc FROM dir_service_docs ORDER BY id",
        "SELECT service_id || '|' || term_id FROM dir_service_terms ORDER BY 1",
        "SELECT service_id || '|' || day || '|' || CAST(opens AS TEXT) || '|' || CAST(closes AS TEXT) FROM dir_service_times ORDER BY 1",
        "SELECT service_id || '|' || CAST(lat AS TEXT) || '|' || CAST(lon AS TEXT) || '|' || COALESCE(postcode, '') FROM dir_service_places ORDER BY 1",
        "SELECT id || '|' || service_id FROM dir_service_at_locations ORDER BY 1",
        "SELECT service_id || '|' || CAST(min_lat AS TEXT) || '|' || CAST(max_lon AS TEXT) || '|' || extent FROM dir_service_areas ORDER BY 1",
        "SELECT CAST(cell AS TEXT) || '|' || service_id || '|' || CAST(place_no AS TEXT) || '|' || CAST(bits AS TEXT) \
         || '|' || COALESCE(CAST(h0 AS TEXT), '') || '|' || COALESCE(CAST(h1 AS TEXT), '') || '|' || COALESCE(CAST(h2 AS TEXT), '') \
         || '|' || COALESCE(CAST(minimum_age AS TEXT), '') || '|' || facts FROM dir_service_match ORDER BY 1",
    ];
    let mut out = Vec::new();
    let mut c = store.conn().await.unwrap();
    for sql in sqls {
        let rows: Vec<(String,)> =
            village_store::query!(c, x => sqlx::query_as(sql).fetch_all(&mut *x).await).unwrap();
        out.extend(rows.into_iter().map(|(r,)| r));
    }
    out
}

/// The import writes thousands of services per statement; the result must be the same rows
/// as writing them one by one, whether new or replacing what is there.
async fn writing_many_at_once_stores_exactly_what_one_by_one_does(backend: Backend) {
    let (Some(one), Some(many)) = (TestApp::start(backend).await, TestApp::start(backend).await)
    else {
        return;
    };
    let records = village_app::demo::directory::services();
    // Some of them again with changes, as a second import would bring.
    let changed: Vec<Value> = records
        .iter()
        .take(40)
        .map(|r| {
            let mut r = r.clone();
            r["name"] = json!(format!("{} (new)", r["name"].as_str().unwrap()));
            r.as_object_mut().unwrap().remove("schedules");
            r
        })
        .collect();
    let read = |r: &Value| village_domain::directory::oruk::read_service(r).unwrap().0;
    let now = village_app::now();
    let mut tx = one.store.begin().await.unwrap();
    for r in records.iter().chain(changed.iter()) {
        village_store::directory::upsert_service(&mut tx, &read(r), &r.to_string(), true, now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = many.store.begin().await.unwrap();
    for batch in [&records, &changed] {
        let indexes: Vec<_> = batch.iter().map(|r| (read(r), r.to_string())).collect();
        let items: Vec<_> = indexes.iter().map(|(i, d)| (i, d.as_str())).collect();
        village_store::directory::upsert_services(&mut tx, &items, true, now)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let (a, b) = (
        directory_rows(&one.store).await,
        directory_rows(&many.store).await,
    );
    assert!(a.len() > 500, "{}", a.len());
    assert_eq!(a, b);
    // And search finds the same.
    let (_, x, _) = get(&one, "/oruk/services?search=walking&per_page=100").await;
    let (_, y, _) = get(&many, "/oruk/services?search=walking&per_page=100").await;
    assert_eq!(x, y);
}

/// A search by words alone ranks at most `rank_within` matches; under that it is exactly the
/// full ranking, and a capped count says "more than" without reading everything.
async fn ranking_a_common_word_reads_a_bounded_number_of_matches(backend: Backend) {
    use village_store::directory::{search_services, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let mut c = app.store.conn().await.unwrap();
    let words = |rank_within: Option<i64>, count_up_to: Option<i64>| ServiceFilter {
        words: Some("meadowfield".into()),
        limit: 200,
        rank_within,
        count_up_to,
        ..Default::default()
    };
    let (all, total) = search_services(&mut c, &words(None, None)).await.unwrap();
    assert!(total > 100, "{total}");
    let (within, t) = search_services(&mut c, &words(Some(1000), None))
        .await
        .unwrap();
    assert_eq!(
        (within.clone(), t),
        (all.clone(), total),
        "exact under the bound"
    );
    let (few, t) = search_services(&mut c, &words(Some(10), None))
        .await
        .unwrap();
    assert_eq!((few.len(), t), (10, 10));
    assert!(few.iter().all(|r| all.contains(r)));
    let (_, t) = search_services(&mut c, &words(None, Some(20)))
        .await
        .unwrap();
    assert_eq!(t, 21, "counted up to 20 and one more");
    // With another filter every match is still considered.
    let mut filtered = words(Some(10), None);
    filtered.free_only = true;
    let (_, t) = search_services(&mut c, &filtered).await.unwrap();
    assert!(t > 10, "{t}");
}

/// What the ORUK validator does, end to end: for every list, the first, a middle and the last
/// page (with small pages, so there are many); envelopes consistent with each other and with
/// what was listed; every item valid against its compiled schema with formats; every listed
/// id fetched and valid; filters that really filter. Errors are collected, and there must be
/// none.
async fn a_validator_crawl_finds_no_errors(backend: Backend) {
    let dir = standards();
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let report = import(&app, &dir.join("validator-feeds/V3.0-UK-Default"), false).await;
    assert!(report.written);
    let service_full = schema("service.json");
    let service_item = schema("service_list.json");
    let sal_full = schema("service_at_location.json");
    let sal_item = schema("service_at_location_list.json");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("schema").join(name)).unwrap())
            .unwrap()
    };
    let term_schema = read("taxonomy_term.json");
    let plain = |name: &str| {
        // The table schemas refer to each other by file name: put the term schema in place.
        let text = read(name)
            .to_string()
            .replace(r#"{"$ref":"taxonomy_term.json"}"#, &term_schema.to_string());
        let schema: Value = serde_json::from_str(&text).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    };
    let taxonomy = plain("taxonomy.json");
    let term = plain("taxonomy_term.json");
    let mut errors: Vec<String> = Vec::new();
    fn check(
        errors: &mut Vec<String>,
        what: &str,
        validator: &jsonschema::Validator,
        value: &Value,
    ) {
        for e in validator.iter_errors(value) {
            errors.push(format!("{what} {}: {e}", e.instance_path()));
        }
    }
    let lists: [(&str, &jsonschema::Validator, &jsonschema::Validator, &str); 4] = [
        (
            "/oruk/services",
            &service_item,
            &service_full,
            "/oruk/services/",
        ),
        (
            "/oruk/service_at_locations",
            &sal_item,
            &sal_full,
            "/oruk/service_at_locations/",
        ),
        (
            "/oruk/taxonomies",
            &taxonomy,
            &taxonomy,
            "/oruk/taxonomies/",
        ),
        (
            "/oruk/taxonomy_terms",
            &term,
            &term,
            "/oruk/taxonomy_terms/",
        ),
    ];
    let mut fetched = 0;
    for (list, item_schema, full_schema, one) in lists {
        let per_page = 7;
        let (status, first, headers) = get(&app, &format!("{list}?per_page={per_page}")).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(
            headers["access-control-allow-origin"], "*",
            "{list}: open CORS"
        );
        let total = first["total_items"].as_i64().unwrap();
        let pages = first["total_pages"].as_i64().unwrap();
        assert!(total > 0, "{list} lists something");
        if pages != (total + per_page - 1) / per_page {
            errors.push(format!("{list}: {total} items do not make {pages} pages"));
        }
        let mut seen = 0;
        for page in [1, (pages + 1) / 2, pages] {
            let (status, body, _) =
                get(&app, &format!("{list}?per_page={per_page}&page={page}")).await;
            assert_eq!(status, 200, "{list} page {page}");
            let contents = body["contents"].as_array().unwrap();
            let expected = if page < pages {
                per_page
            } else {
                total - per_page * (pages - 1)
            };
            let facts = [
                ("total_items", body["total_items"] == json!(total)),
                ("total_pages", body["total_pages"] == json!(pages)),
                ("page_number", body["page_number"] == json!(page)),
                ("size", body["size"] == json!(contents.len())),
                ("first_page", body["first_page"] == json!(page == 1)),
                ("last_page", body["last_page"] == json!(page == pages)),
                ("empty", body["empty"] == json!(contents.is_empty())),
                ("items on the page", contents.len() as i64 == expected),
            ];
            for (fact, ok) in facts {
                if !ok {
                    errors.push(format!("{list} page {page}: {fact} is inconsistent"));
                }
            }
            for item in contents {
                seen += 1;
                check(
                    &mut errors,
                    &format!("{list} page {page} item"),
                    item_schema,
                    item,
                );
                let id = item["id"].as_str().unwrap();
                let (status, full, _) = get(&app, &format!("{one}{id}")).await;
                if status != 200 {
                    errors.push(format!("{one}{id} answered {status}"));
                    continue;
                }
                fetched += 1;
                check(&mut errors, &format!("{one}{id}"), full_schema, &full);
                if full["id"] != item["id"] {
                    errors.push(format!("{one}{id} is a different record"));
                }
            }
        }
        assert!(seen > 0);
    }
    // Filters really filter: every service listed meets the filter.
    type Holds = fn(&Value) -> bool;
    let filters: [(&str, Holds); 4] = [
        ("minimum_age=18", |s| {
            s["minimum_age"].as_f64().is_some_and(|a| a >= 18.0)
        }),
        ("maximum_age=18", |s| {
            s["maximum_age"].as_f64().is_some_and(|a| a <= 18.0)
        }),
        ("day=TU", |s| {
            s["schedules"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|sc| sc["byday"].as_str().is_some_and(|d| d.contains("TU")))
        }),
        ("start_time=18:00", |s| {
            s["schedules"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|sc| sc["opens_at"].as_str().is_some_and(|t| t >= "18:00"))
        }),
    ];
    for (query, holds) in filters {
        let (status, body, _) = get(&app, &format!("/oruk/services?per_page=1000&{query}")).await;
        assert_eq!(status, 200, "{query}");
        let contents = body["contents"].as_array().unwrap();
        assert!(!contents.is_empty(), "{query} finds something");
        for item in contents {
            let (_, full, _) = get(
                &app,
                &format!("/oruk/services/{}", item["id"].as_str().unwrap()),
            )
            .await;
            if !holds(&full) {
                errors.push(format!(
                    "{query} listed {} which does not meet it",
                    item["id"]
                ));
            }
        }
    }
    assert!(fetched > 20, "{fetched} records fetched");
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// A search near a place without words reads places outwards from the centre, a widening
/// circle at a time. What it finds must be exactly what measuring every offer finds: the same
/// offers nearest first (by name at the same venue), the same count, whether a filter is
/// carried by the places (a Village category, an age) or checked afterwards (another
/// taxonomy's term), and public offers that are not active are found too.
async fn a_search_near_a_place_finds_what_measuring_every_offer_finds(backend: Backend) {
    use village_domain::directory::geo::{distance_km, LatLon};
    use village_domain::directory::taxonomy::CATEGORIES;
    use village_store::connections::KeptPlaces;
    use village_store::directory::{search_services, search_services_kept, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let centre = LatLon::new(53.4794, -2.2453).unwrap();
    let category = CATEGORIES[0].id;
    struct Offer {
        id: String,
        name: String,
        km: f64,
        category: bool,
        term: bool,
        adults_only: bool,
        active: bool,
    }
    let mut offers = Vec::new();
    let mut services = Vec::new();
    let mut venue = (0.0, 0.0);
    for i in 0..160u32 {
        // Spread over about 10 km each way; every seventh meets where the one before does.
        if i % 7 != 1 {
            venue = (
                53.4794 + f64::from((i * 37) % 181) / 1000.0 - 0.09,
                -2.2453 + f64::from((i * 53) % 241) / 800.0 - 0.15,
            );
        }
        let id = format!("00000000-0000-4000-8000-{i:012x}");
        let name = format!("Group {:03}", (i * 31) % 160);
        let mut attributes = Vec::new();
        let in_category = i % 3 == 0 || i % 7 <= 1;
        if in_category {
            attributes.push(json!({"id": format!("00000000-0000-4000-8001-{i:012x}"), "taxonomy_term_id": category}));
        }
        if i % 2 == 0 {
            attributes.push(json!({"id": format!("00000000-0000-4000-8002-{i:012x}"), "taxonomy_term_id": TERM}));
        }
        let active = i % 9 != 3;
        let mut s = placed(
            &id,
            &name,
            &format!("00000000-0000-4000-8003-{i:012x}"),
            venue.0,
            venue.1,
        );
        s["attributes"] = json!(attributes);
        s["status"] = json!(if active { "active" } else { "inactive" });
        if i % 5 == 0 {
            s["minimum_age"] = json!(18);
        }
        services.push(s);
        offers.push(Offer {
            id,
            name,
            km: distance_km(centre, LatLon::new(venue.0, venue.1).unwrap()),
            category: in_category,
            term: i % 2 == 0,
            adults_only: i % 5 == 0,
            active,
        });
    }
    let file = app.dir.path().join("near.json");
    std::fs::write(&file, Value::Array(services).to_string()).unwrap();
    let report = import(&app, &file, false).await;
    assert!(report.written, "{:?}", report.refused);

    // What measuring every offer gives: (ids of the page, total).
    let expect = |km: f64, keep: &dyn Fn(&Offer) -> bool, offset: usize, limit: usize| {
        let mut found: Vec<&Offer> = offers.iter().filter(|o| o.km <= km && keep(o)).collect();
        found.sort_by(|a, b| a.km.total_cmp(&b.km).then(a.name.cmp(&b.name)));
        let page: Vec<String> = found
            .iter()
            .skip(offset)
            .take(limit)
            .map(|o| o.id.clone())
            .collect();
        (page, found.len() as i64)
    };
    let mut c = app.store.conn().await.unwrap();
    // Each search is made three ways, which must agree: reading the places from the
    // database, from places kept in memory (read on the first search, kept after), and with
    // room kept for only a few places (wide reaches read from the database again).
    let generation = village_store::directory::generation(&mut c).await.unwrap();
    let kept = [KeptPlaces::new(100_000), KeptPlaces::new(60)];
    macro_rules! search_services {
        ($c:expr, $f:expr) => {{
            let plain = search_services($c, $f).await;
            for k in &kept {
                for round in ["first", "again"] {
                    let found = search_services_kept($c, $f, Some((k, generation))).await;
                    assert_eq!(
                        found.as_ref().ok(),
                        plain.as_ref().ok(),
                        "{round} with {k:?}: {:?}",
                        $f
                    );
                }
            }
            plain
        }};
    }
    let search = |km: f64, offset: i64, limit: i64| ServiceFilter {
        near: Some((centre, km)),
        offset,
        limit,
        ..Default::default()
    };
    let ids = |rows: Vec<(String, String)>| rows.into_iter().map(|(id, _)| id).collect::<Vec<_>>();

    // The checks below mean something only if these are true of the data.
    let (all, _) = expect(6.0, &|_| true, 0, 200);
    assert!(all.len() > 40, "{}", all.len());
    assert!(
        offers
            .iter()
            .any(|o| !o.active && o.km <= 6.0 && o.category),
        "an offer that is not active lies in reach"
    );
    assert!(
        offers
            .windows(2)
            .any(|w| w[0].km == w[1].km && w[0].km <= 6.0 && w[0].category && w[1].category),
        "two offers meet at one venue in reach"
    );

    for (km, offset, limit) in [
        (6.0, 0, 7),
        (6.0, 7, 7),
        (2.5, 0, 100),
        (12.0, 30, 10),
        (0.4, 0, 5),
    ] {
        let mut f = search(km, offset, limit);
        f.taxonomy_term_id = Some(category.into());
        let (rows, total) = search_services!(&mut c, &f).unwrap();
        assert_eq!(
            (ids(rows), total),
            expect(km, &|o| o.category, offset as usize, limit as usize),
            "a category within {km} km, from {offset}"
        );
    }
    // A term the places do not carry, with a category and an age.
    let mut f = search(8.0, 3, 6);
    f.taxonomy_term_id = Some(category.into());
    f.all_terms = vec![TERM.into()];
    f.age = Some(12);
    let (rows, total) = search_services!(&mut c, &f).unwrap();
    assert_eq!(
        (ids(rows), total),
        expect(8.0, &|o| o.category && o.term && !o.adults_only, 3, 6),
        "a category, another term and an age"
    );
    // Offers for adults only, as the ORUK API's minimum_age asks.
    let mut f = search(6.0, 0, 100);
    f.minimum_age_at_least = Some(18);
    let (rows, total) = search_services!(&mut c, &f).unwrap();
    assert_eq!((ids(rows), total), expect(6.0, &|o| o.adults_only, 0, 100));
    // Counted up to a cap: one more than the cap says "more than".
    let mut f = search(6.0, 0, 4);
    f.count_up_to = Some(10);
    let (rows, total) = search_services!(&mut c, &f).unwrap();
    assert_eq!((ids(rows), total), (expect(6.0, &|_| true, 0, 4).0, 11));
    // A count already known is not counted again; the page is the same.
    let mut f = search(6.0, 4, 4);
    f.total_known = Some(999);
    let (rows, total) = search_services!(&mut c, &f).unwrap();
    assert_eq!((ids(rows), total), (expect(6.0, &|_| true, 4, 4).0, 999));
    assert!(!kept[0].is_empty() && kept[1].len() <= 60, "{kept:?}");
}

/// Counts of searches are kept between requests while the directory does not change; any
/// change (a new offer, an offer edited out of the search) is counted at once.
async fn a_kept_count_follows_every_change(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let file = app.dir.path().join("one.json");
    // Write one offer (new or changed), then count the offers with "zither" by the ORUK API.
    let change_then_count = |id: &'static str, name: &'static str, about: &'static str| {
        let (app, file) = (&app, &file);
        async move {
            let record = json!([service(id, name, about, json!({}))]);
            std::fs::write(file, record.to_string()).unwrap();
            assert!(import(app, file, false).await.written);
            let (_, page, _) = get(app, "/oruk/services?search=zither").await;
            page["total_items"].as_i64().unwrap()
        }
    };
    assert_eq!(
        change_then_count(A, "Zither club", "We play the zither").await,
        1
    );
    let (_, page, _) = get(&app, "/oruk/services?search=zither").await;
    assert_eq!(page["total_items"], 1, "counted again, the same");
    let n = change_then_count(B, "Zither evenings", "More zither").await;
    assert_eq!(n, 2, "the new offer is counted");
    let n = change_then_count(A, "Ukulele club", "We play the ukulele").await;
    assert_eq!(n, 1, "the changed offer no longer is");
    let (_, html) = app.page("/directory?q=zither").await;
    assert!(html.contains("1 offer found"), "{html}");
}

/// The best match for words is an offer with them in its name, before one that only mentions
/// them, whether the ranking is bounded or not.
async fn offers_named_for_the_words_come_first(backend: Backend) {
    use village_store::directory::{search_services, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let file = app.dir.path().join("named.json");
    std::fs::write(
        &file,
        json!([
            service(
                A,
                "Music evenings",
                "Zither, fiddle, zither and more zither and fiddle",
                json!({})
            ),
            service(
                B,
                "Zither and fiddle club",
                "We meet every week in the hall by the park to play together, share tunes, learn \
                 from each other and have tea and cake afterwards; beginners are very welcome \
                 and instruments can be borrowed until you have your own",
                json!({})
            ),
            service(
                C,
                "Any music",
                "Zither players meet here too, with fiddles",
                json!({})
            ),
            service(
                "55555555-5555-4555-8555-555555555556",
                "नमस्ते club",
                "Songs from home: नमस्ते",
                json!({})
            ),
        ])
        .to_string(),
    )
    .unwrap();
    assert!(import(&app, &file, false).await.written);
    let mut c = app.store.conn().await.unwrap();
    for rank_within in [None, Some(100)] {
        for words in ["zither", "fiddle zither"] {
            let f = ServiceFilter {
                words: Some(words.into()),
                limit: 10,
                rank_within,
                ..Default::default()
            };
            let (rows, total) = search_services(&mut c, &f).await.unwrap();
            assert_eq!(total, 3, "{words}");
            assert_eq!(rows[0].0, B, "{words}, ranking within {rank_within:?}");
        }
        // A word the search splits one way and the word index another (Hindi's vowel signs
        // are letters to Rust, not to SQLite's tokenizer) is still searched, not an error.
        for words in ["नमस्ते", "zither नमस्ते"] {
            let f = ServiceFilter {
                words: Some(words.into()),
                limit: 10,
                rank_within,
                ..Default::default()
            };
            let expected = if words == "नमस्ते" { 1 } else { 0 };
            assert_eq!(
                search_services(&mut c, &f).await.unwrap().1,
                expected,
                "{words}"
            );
        }
    }
}

/// A page of the best matches for words reads only as many matches as it needs; when some of
/// them are not public it reads further, so the page is still full and in order.
async fn offers_not_public_are_passed_over_in_a_ranked_page(backend: Backend) {
    use village_store::directory::{search_services, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let mut tx = app.store.begin().await.unwrap();
    for i in 0..90u32 {
        let id = format!("00000000-0000-4000-8000-{i:012x}");
        let record = service(&id, &format!("Zither circle {i:02}"), "We play", json!({}));
        // The first 70 written are not public.
        write_offer(&mut tx, &record, i >= 70).await;
    }
    tx.commit().await.unwrap();
    let mut c = app.store.conn().await.unwrap();
    let page = |offset: i64, total_known: Option<i64>| ServiceFilter {
        words: Some("zither".into()),
        limit: 5,
        offset,
        rank_within: Some(1000),
        total_known,
        ..Default::default()
    };
    let (all, total) = search_services(&mut c, &page(0, None)).await.unwrap();
    assert_eq!((all.len(), total), (5, 20));
    let mut seen = Vec::new();
    for offset in [0, 5, 10, 15] {
        let (rows, total) = search_services(&mut c, &page(offset, Some(20)))
            .await
            .unwrap();
        assert_eq!((rows.len(), total), (5, 20), "from {offset}");
        seen.extend(rows.into_iter().map(|(id, _)| id));
    }
    let public: Vec<String> = (70..90u32)
        .map(|i| format!("00000000-0000-4000-8000-{i:012x}"))
        .collect();
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, public, "every public offer once, no other");
    assert_eq!(
        seen[..5],
        all.into_iter().map(|(id, _)| id).collect::<Vec<_>>()[..]
    );
}

/// Once a search's count is known, a page of the best matches is read from the start of the
/// ranking (the first name matches, then the first other matches) instead of ranking all
/// `rank_within` matches. Every page must be the page of the whole ranking: name matches
/// among the first `rank_within` matches first, then the other matches, each in the order
/// listed, offers that are not public left out. The words are chosen so each way of reading
/// is met: name matches filling the page, more name matches than a page reads (most of them
/// not public), no name matches, name matches past the bound, and two words.
async fn a_ranked_page_read_from_its_start_is_the_page_of_the_whole_ranking(backend: Backend) {
    use village_store::directory::{search_services, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    const OFFERS: usize = 400;
    let name_words = |i: usize| {
        let mut w = Vec::new();
        if i % 3 == 0 {
            w.push("kestrel");
        }
        if i % 2 == 0 {
            w.push("owl");
        }
        if i >= 300 {
            w.push("wren");
        }
        if (100..200).contains(&i) {
            w.push("heron");
        }
        w
    };
    let description_words = |i: usize| {
        let mut w = Vec::new();
        if i % 3 != 0 {
            w.push("kestrel");
        }
        if i % 2 == 0 {
            w.push("plover");
        }
        if i < 300 && i % 4 == 0 {
            w.push("wren");
        }
        if i % 5 == 0 && i % 2 == 1 {
            w.push("owl");
        }
        if i < 100 && i % 2 == 1 {
            w.push("heron");
        }
        w
    };
    // Among them a run of offers not public, most of heron's first name matches.
    let public = |i: usize| i % 7 != 0 && !(100..160).contains(&i);
    let id = |i: usize| format!("00000000-0000-4000-8000-{i:012x}");
    let records: Vec<Value> = (0..OFFERS)
        .map(|i| {
            let named = name_words(i);
            let name = if named.is_empty() {
                format!("Neighbours {i}")
            } else {
                format!("{} {i}", named.join(" "))
            };
            let description = format!("{} we meet every week", description_words(i).join(" "));
            service(&id(i), &name, &description, json!({}))
        })
        .collect();
    // Listed one at a time, so the order listed is `i`.
    let mut tx = app.store.begin().await.unwrap();
    for (i, record) in records.iter().enumerate() {
        write_offer(&mut tx, record, public(i)).await;
    }
    tx.commit().await.unwrap();
    let mut c = app.store.conn().await.unwrap();
    let mut checked = 0;
    for words in ["kestrel", "owl", "plover", "wren", "heron", "kestrel owl"] {
        let wanted: Vec<&str> = words.split(' ').collect();
        let has = |w: Vec<&str>| wanted.iter().all(|x| w.contains(x));
        for rank_within in [30i64, 60, 1000] {
            let filter = |offset: i64, limit: i64, total_known: Option<i64>| ServiceFilter {
                words: Some(words.into()),
                limit,
                offset,
                rank_within: Some(rank_within),
                total_known,
                ..Default::default()
            };
            // The whole ranking, worked out here from what was listed.
            let first: Vec<usize> = (0..OFFERS)
                .filter(|i| {
                    let mut all = name_words(*i);
                    all.extend(description_words(*i));
                    has(all)
                })
                .take(usize::try_from(rank_within).unwrap())
                .collect();
            let ranked: Vec<String> = first
                .iter()
                .filter(|i| has(name_words(**i)))
                .chain(first.iter().filter(|i| !has(name_words(**i))))
                .filter(|i| public(**i))
                .map(|i| id(*i))
                .collect();
            let (_, total) = search_services(&mut c, &filter(0, 20, None)).await.unwrap();
            if backend == Backend::Sqlite {
                // (PostgreSQL ranks the first public matches by its own weights.)
                assert_eq!(
                    total,
                    i64::try_from(ranked.len()).unwrap(),
                    "{words} within {rank_within}"
                );
            }
            for (offset, limit) in [
                (0, 5),
                (0, 20),
                (3, 7),
                (20, 20),
                (40, 20),
                (100, 20),
                (190, 20),
                (380, 20),
            ] {
                let counted = search_services(&mut c, &filter(offset, limit, None))
                    .await
                    .unwrap();
                let (page, t) = search_services(&mut c, &filter(offset, limit, Some(total)))
                    .await
                    .unwrap();
                let ids: Vec<String> = page.iter().map(|(id, _)| id.clone()).collect();
                assert_eq!(
                    (&page, t),
                    (&counted.0, counted.1),
                    "{words} within {rank_within}, from {offset}: counted or not, the same page"
                );
                if backend == Backend::Sqlite {
                    let from = usize::try_from(offset).unwrap().min(ranked.len());
                    let to = (from + usize::try_from(limit).unwrap()).min(ranked.len());
                    assert_eq!(
                        ids,
                        ranked[from..to],
                        "{words} within {rank_within}, from {offset}"
                    );
                    // And each comes with its own record.
                    for (id, doc) in &page {
                        let doc: Value = serde_json::from_str(doc).unwrap();
                        assert_eq!(doc["id"], id.as_str());
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 6 * 3 * 8);
    if backend == Backend::Postgres {
        // PostgreSQL ranks the first matches in the order it reads the table: a scan that
        // started where another one was (a synchronised scan, on a table as big as a national
        // directory) would rank other offers each time the same page is asked for.
        let synchronised: String = match c.exec() {
            village_store::Exec::Postgres(pg) => sqlx::query_scalar("SHOW synchronize_seqscans")
                .fetch_one(&mut *pg)
                .await
                .unwrap(),
            village_store::Exec::Sqlite(_) => unreachable!(),
        };
        assert_eq!(synchronised, "off");
    }
}

/// SQLite hands many rows over as one text split by control characters; an offer whose id
/// holds them (no import makes one: ids are UUIDs) is still found with its own record, read
/// the slower way.
async fn ids_holding_the_separators_of_packed_rows_are_still_read(backend: Backend) {
    use village_store::directory::{search_services, upsert_service, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let odd = ["odd\u{1e}one", "odd\u{1f}two", "odd\u{1e}\u{1f}three"];
    let mut tx = app.store.begin().await.unwrap();
    for (n, id) in std::iter::once(A).chain(odd).enumerate() {
        let record = service(A, &format!("Zither circle {n}"), "We play", json!({}));
        let (mut index, _) = village_domain::directory::oruk::read_service(&record).unwrap();
        index.id = id.to_string();
        let mut record = record;
        record["id"] = json!(id);
        upsert_service(
            &mut tx,
            &index,
            &record.to_string(),
            true,
            village_app::now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = app.store.conn().await.unwrap();
    for (rank_within, total_known) in [(None, None), (Some(100), None), (Some(100), Some(4))] {
        let f = ServiceFilter {
            words: Some("zither".into()),
            limit: 10,
            rank_within,
            total_known,
            ..Default::default()
        };
        let (rows, total) = search_services(&mut c, &f).await.unwrap();
        assert_eq!(total, 4);
        let mut found: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
        found.sort_unstable();
        let mut all: Vec<&str> = std::iter::once(A).chain(odd).collect();
        all.sort_unstable();
        assert_eq!(
            found, all,
            "within {rank_within:?}, count known {total_known:?}"
        );
        for (id, doc) in &rows {
            let doc: Value = serde_json::from_str(doc).unwrap();
            assert_eq!(doc["id"], id.as_str(), "its own record");
        }
    }
}

/// A search by a day or time alone is counted exactly (the ORUK envelope's total_items) from
/// the times, less the offers not public among them: the count must be the number of offers
/// the same search lists, whichever parts of a day and time are given.
async fn a_count_by_times_alone_is_the_number_listed(backend: Backend) {
    use village_store::directory::{search_services, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let days = ["MO", "TU", "WE"];
    let mut tx = app.store.begin().await.unwrap();
    for i in 0..90usize {
        let id = format!("00000000-0000-4000-8000-{i:012x}");
        let slot = |n: usize, day: &str, opens: usize, hours: usize| {
            json!({"id": format!("00000000-0000-4000-9000-{:012x}", i * 10 + n), "freq": "WEEKLY",
                   "byday": day, "opens_at": format!("{opens:02}:00"),
                   "closes_at": format!("{:02}:30", opens + hours)})
        };
        let mut schedules = Vec::new();
        if i % 9 != 0 {
            schedules.push(slot(0, days[i % 3], 8 + i % 6, i % 3));
        }
        if i % 4 == 0 {
            // A second time, on another day or the same one.
            schedules.push(slot(1, days[(i / 4) % 3], 13 + i % 4, 1));
        }
        let record = service(
            &id,
            &format!("Group {i:02}"),
            "We meet",
            json!({"schedules": schedules}),
        );
        write_offer(&mut tx, &record, i % 5 != 0).await;
    }
    tx.commit().await.unwrap();
    let mut c = app.store.conn().await.unwrap();
    let searches = [
        (Some("TU"), None, None, None),
        (Some("MO"), Some(600), None, None),
        (Some("TU"), None, Some(720), None),
        (Some("WE"), Some(540), Some(780), None),
        (None, Some(780), None, None),
        (Some("TU"), None, None, Some((540, 720))),
        (None, None, None, Some((720, 1080))),
        (Some("SU"), None, None, None),
    ];
    let mut counted_some = 0;
    for (day, from, to, between) in searches {
        let filter = |limit: i64| ServiceFilter {
            day: day.map(str::to_string),
            opens_at_or_after: from,
            closes_at_or_before: to,
            open_between: between,
            limit,
            ..Default::default()
        };
        let (listed, total) = search_services(&mut c, &filter(1_000)).await.unwrap();
        let what = format!("{day:?} from {from:?} to {to:?} open between {between:?}");
        assert_eq!(total, i64::try_from(listed.len()).unwrap(), "{what}");
        // Only public offers are listed (every fifth is not).
        for (id, _) in &listed {
            let n = usize::from_str_radix(&id[24..], 16).unwrap();
            assert_ne!(n % 5, 0, "{what}: {id} is not public");
        }
        // A small page is counted the same.
        assert_eq!(search_services(&mut c, &filter(3)).await.unwrap().1, total);
        if total > 0 {
            counted_some += 1;
        }
    }
    assert!(counted_some >= 6, "{counted_some}");
}

/// Deep pages of the whole list by name start from a mark (every thousandth offer) once the
/// list is counted; they must be exactly the pages read by stepping over every offer before,
/// including offers sharing a name across a mark.
async fn a_page_deep_in_the_whole_list_is_the_same_read_from_a_mark(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let mut expected: Vec<(String, String)> = Vec::new();
    let services: Vec<Value> = (0..2_300u32)
        .map(|i| {
            let id = format!("00000000-0000-4000-8000-{:012x}", (i * 7919) % 10_007);
            let name = format!("Offer {:04}", (i * 7) % 700);
            expected.push((name.clone(), id.clone()));
            service(&id, &name, "Something to do", json!({}))
        })
        .collect();
    expected.sort();
    let file = app.dir.path().join("many.json");
    std::fs::write(&file, Value::Array(services).to_string()).unwrap();
    assert!(import(&app, &file, false).await.written);
    // The first time counts the list and steps over every offer; after that, marks are used.
    for round in ["counting", "from marks"] {
        // Past the end too (page 47 of 50, page 5,000, page 4 of 999): empty, with the total.
        for (page, per_page) in [
            (21, 50),
            (40, 50),
            (46, 50),
            (47, 50),
            (5_000, 50),
            (11, 99),
            (2, 999),
            (3, 999),
            (4, 999),
            (23, 100),
        ] {
            let (status, body, _) = get(
                &app,
                &format!("/oruk/services?page={page}&per_page={per_page}"),
            )
            .await;
            assert_eq!(status, 200);
            assert_eq!(body["total_items"], 2_300);
            let from = (page - 1) * per_page;
            let want: Vec<String> = expected
                .iter()
                .skip(from)
                .take(per_page)
                .map(|(_, id)| id.clone())
                .collect();
            assert_eq!(ids(&body), want, "{round}: page {page} of {per_page}");
        }
    }
}

/// The ORUK API's `postcode`: "If service_area is available, only return results where the
/// postcode exists within the service_area. If proximity is provided, only show results within
/// the proximity from the centroid of the postcode."
async fn a_postcode_search_keeps_to_the_areas_offers_cover(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let csv = app.dir.path().join("postcodes.csv");
    std::fs::write(
        &csv,
        "pcds,lat,long\nMF1 1AA,52.9531,-1.1502\nMF3 9JP,52.9603,-1.1349\n",
    )
    .unwrap();
    let report = postcodes(&app, &csv).await.unwrap();
    assert!(report.written);
    let area = |id: &str, ring: &str| {
        json!({"id": id, "name": "Where we work", "extent_type": "geojson",
               "extent": format!(r#"{{"type": "Polygon", "coordinates": [{ring}]}}"#)})
    };
    let at = |sal: &str, loc: &str, lat: f64, lon: f64| {
        json!([{"id": sal, "location": {"id": loc, "name": "Hall", "location_type": "physical",
                "latitude": lat, "longitude": lon}}])
    };
    // Around Brook Street (MF1 1AA) but not Oakwood (MF3 9JP); and an area far away.
    let brook =
        "[[-1.16, 52.945], [-1.14, 52.945], [-1.14, 52.958], [-1.16, 52.958], [-1.16, 52.945]]";
    let far = "[[0.0, 51.0], [1.0, 51.0], [1.0, 52.0], [0.0, 52.0], [0.0, 51.0]]";
    let file = app.dir.path().join("areas.json");
    std::fs::write(
        &file,
        json!([
            service(
                A,
                "Brook Street lunch club",
                "Lunch for the ward",
                json!({
                "service_areas": [area("a1a1a1a1-0000-4000-8000-000000000001", brook)],
                "service_at_locations": at("a1a1a1a1-0000-4000-8000-000000000002",
                    "a1a1a1a1-0000-4000-8000-000000000003", 52.9531, -1.1502)})
            ),
            service(
                B,
                "Befriending by phone",
                "Anyone in town",
                json!({
                "service_at_locations": at("b1b1b1b1-0000-4000-8000-000000000002",
                    "b1b1b1b1-0000-4000-8000-000000000003", 52.9603, -1.1349)})
            ),
            service(
                C,
                "Seaside walks",
                "Walks by the sea",
                json!({
                "service_areas": [area("c1c1c1c1-0000-4000-8000-000000000001", far)],
                "service_at_locations": at("c1c1c1c1-0000-4000-8000-000000000002",
                    "c1c1c1c1-0000-4000-8000-000000000003", 52.9531, -1.1502)})
            ),
        ])
        .to_string(),
    )
    .unwrap();
    let report = import(&app, &file, false).await;
    assert!(report.written, "{:?}", report.refused);
    let ids = |path: &'static str| {
        let app = &app;
        async move {
            let (status, page, _) = get(app, path).await;
            assert_eq!(status, 200, "{path}: {page}");
            let mut ids: Vec<String> = page["contents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(
                page["total_items"].as_u64(),
                Some(ids.len() as u64),
                "{path}"
            );
            ids.sort();
            ids
        }
    };
    let checks = || async {
        assert_eq!(
            ids("/oruk/services?postcode=MF1+1AA").await,
            [A, B],
            "the far area leaves its offer out; an offer without an area stays"
        );
        assert_eq!(ids("/oruk/services?postcode=MF3+9JP").await, [B]);
        assert_eq!(
            ids("/oruk/services?postcode=MF1+1AA&proximity=500").await,
            [A],
            "and within 500 m"
        );
        // The directory's pages keep to them too, near a postcode with or without a distance.
        for path in [
            "/directory?postcode=MF1+1AA",
            "/directory?postcode=MF1+1AA&within=2",
        ] {
            let (status, html) = app.page(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains("Brook Street lunch club"), "{path}: {html}");
            assert!(html.contains("Befriending by phone"), "{path}: {html}");
            assert!(!html.contains("Seaside walks"), "{path}: {html}");
        }
        let (_, html) = app.page("/directory?q=walks").await;
        assert!(
            html.contains("Seaside walks"),
            "found when no postcode is given"
        );
    };
    checks().await;

    // Offers listed before Village kept areas have them read from their records once, when
    // the hub next starts (as an upgrade leaves it: areas empty, the work waiting).
    let stored = directory_rows(&app.store).await;
    let sql = [
        "DELETE FROM dir_service_areas",
        "INSERT INTO dir_pending_work (task) VALUES ('service_areas')",
    ];
    let mut c = app.store.conn().await.unwrap();
    for q in sql {
        village_store::query!(c, x => sqlx::query(q).execute(&mut *x).await.map(|r| r.rows_affected()))
            .unwrap();
    }
    drop(c);
    let mut tx = app.store.begin().await.unwrap();
    let filled = village_store::directory::fill_service_areas(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(filled, Some(2));
    checks().await;
    assert_eq!(
        directory_rows(&app.store).await,
        stored,
        "as the import wrote them"
    );
    // Matching's table is filled from the records the same way, when a migration empties it.
    let mut c = app.store.conn().await.unwrap();
    village_store::query!(c, x => sqlx::query("DELETE FROM dir_service_match").execute(&mut *x).await.map(|r| r.rows_affected()))
        .unwrap();
    drop(c);
    let mut tx = app.store.begin().await.unwrap();
    assert_eq!(
        village_store::directory::fill_match_facts(&mut tx)
            .await
            .unwrap(),
        3
    );
    tx.commit().await.unwrap();
    assert_eq!(directory_rows(&app.store).await, stored);
    let mut tx = app.store.begin().await.unwrap();
    assert_eq!(
        village_store::directory::fill_service_areas(&mut tx)
            .await
            .unwrap(),
        None,
        "once"
    );
}

/// A re-import that changes an offer is part of its history, like a steward's approved
/// change: how it was first listed, then the import; one that changes nothing adds nothing.
async fn an_import_that_changes_an_offer_adds_to_its_history(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let versions = || async {
        let mut c = app.store.conn().await.unwrap();
        village_store::directory::versions(&mut c, A)
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.change)
            .collect::<Vec<_>>()
    };
    let first = app.dir.path().join("first.json");
    std::fs::write(
        &first,
        json!([service(A, "Zither club", "We play the zither", json!({}))]).to_string(),
    )
    .unwrap();
    assert!(import(&app, &first, false).await.written);
    assert!(import(&app, &first, false).await.written);
    assert!(versions().await.is_empty(), "nothing changed");

    let second = app.dir.path().join("second.json");
    std::fs::write(
        &second,
        json!([
            service(A, "Zither and banjo club", "We play the zither", json!({})),
            service(B, "Banjo evenings", "New to this hub", json!({}))
        ])
        .to_string(),
    )
    .unwrap();
    assert!(import(&app, &second, false).await.written);
    assert!(import(&app, &second, false).await.written);
    let mut changes = versions().await;
    changes.sort();
    assert_eq!(
        changes,
        ["As it was first listed", "Imported from second.json"]
    );
    let mut c = app.store.conn().await.unwrap();
    assert!(
        village_store::directory::versions(&mut c, B)
            .await
            .unwrap()
            .is_empty(),
        "a new offer has no changes yet"
    );
    drop(c);
    let (status, history) = app.page(&format!("/directory/offers/{A}/history")).await;
    assert_eq!(status, 200);
    assert!(
        history.contains("Imported from second.json")
            && history.contains("“Zither club” became “Zither and banjo club”"),
        "{history}"
    );
}

/// The test kit's offer is a real offer: found by a word of its name on the directory page,
/// on its own page, and in the ORUK API.
async fn an_offer_listed_by_the_test_kit_is_found_everywhere(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let id = app.offer("Marigold walking group", json!({})).await;
    let (status, html) = app.page("/directory?q=marigold").await;
    assert_eq!(status, 200);
    assert!(html.contains("Marigold walking group"), "{html}");
    let (status, html) = app.page(&format!("/directory/offers/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Marigold walking group group"), "{html}");
    let (status, body) = app
        .get_json(&app.client(), &format!("/oruk/services/{id}"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], json!("Marigold walking group"));
}

/// Bytes that are not UTF-8 text, in any file an import reads, are refused with the file and
/// the line and column of the first such byte; nothing is written.
async fn bytes_that_are_not_text_are_named_by_file_and_line(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let good = service(
        "5e1f0c1a-0000-4000-8000-000000000002",
        "Knitting circle",
        "We knit together.",
        json!({}),
    );
    // ORUK JSON: the third line holds a byte that starts no UTF-8 character.
    let json_dir = work.path().join("json");
    std::fs::create_dir(&json_dir).unwrap();
    let mut bytes = format!("[\n{good},\n").into_bytes();
    bytes.extend_from_slice(b"  {\"id\": \"s-2\", \"name\": \"Caf\xe9\"}\n]\n");
    std::fs::write(json_dir.join("services.json"), &bytes).unwrap();
    let report = import(&app, &json_dir, false).await;
    assert!(!report.written);
    assert_eq!(count(&app).await, 0, "nothing half-written");
    let said: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(
        said[0].contains("services.json line 3, column 29"),
        "{said:#?}"
    );
    assert!(said[0].contains("UTF-8"), "{said:#?}");

    // A big file of random bytes: the same, quickly, naming the file.
    let noise_dir = work.path().join("noise");
    std::fs::create_dir(&noise_dir).unwrap();
    let mut noise = vec![0u8; 4 << 20];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for b in noise.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = (x >> 24) as u8;
    }
    std::fs::write(noise_dir.join("service_dump.json"), &noise).unwrap();
    let report = import(&app, &noise_dir, false).await;
    assert!(!report.written);
    let said: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
    assert!(
        said.len() == 1 && said[0].contains("service_dump.json line ") && said[0].contains("UTF-8"),
        "{said:#?}"
    );

    // HSDS CSV: the line of the row is named.
    let csv_dir = work.path().join("csv");
    std::fs::create_dir(&csv_dir).unwrap();
    let mut csv = b"id,name,description,status\ns-1,Knitting,We knit.,active\n".to_vec();
    csv.extend_from_slice(b"s-2,Caf\xe9,Tea.,active\n");
    std::fs::write(csv_dir.join("services.csv"), &csv).unwrap();
    let report = import_csv(&app, &csv_dir, false).await;
    assert!(!report.written);
    let said: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
    assert!(
        said.iter()
            .any(|s| s.contains("services.csv line 3") && s.contains("UTF-8")),
        "{said:#?}"
    );
    // A first line that is not text: named too, not a bare "stream did not contain valid UTF-8".
    std::fs::write(csv_dir.join("services.csv"), b"id,n\xffme\n").unwrap();
    let report = import_csv(&app, &csv_dir, false).await;
    let said: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
    assert!(
        said.iter()
            .any(|s| s.contains("services.csv line 1") && s.contains("UTF-8")),
        "{said:#?}"
    );

    // Postcodes: the same.
    let pc = work.path().join("postcodes.csv");
    let mut text = b"pcds,lat,long\nM1 1AE,53.4794,-2.2453\n".to_vec();
    text.extend_from_slice(b"M60 1NW,53.48\xff,-2.2\n");
    std::fs::write(&pc, &text).unwrap();
    let report = postcodes(&app, &pc).await.unwrap();
    assert!(!report.written);
    let said: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
    assert!(
        said.iter()
            .any(|s| s.contains("postcodes.csv line 3") && s.contains("UTF-8")),
        "{said:#?}"
    );
    std::fs::write(&pc, b"pc\xffds,lat,long\n").unwrap();
    let err = postcodes(&app, &pc).await.unwrap_err().to_string();
    assert!(
        err.contains("postcodes.csv") && err.contains("line 1") && err.contains("UTF-8"),
        "{err}"
    );
}

/// A folder's files that are not read (not named `service….json` or `taxonomy_term….json`)
/// are each named in a warning, and a folder with nothing to read is refused, not "imported 0".
async fn files_an_import_does_not_read_are_named(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let records = json!([service(
        "5e1f0c1a-0000-4000-8000-000000000002",
        "Knitting circle",
        "We knit together.",
        json!({})
    )]);
    std::fs::write(work.path().join("offers.json"), records.to_string()).unwrap();
    std::fs::write(work.path().join("notes.json"), "{}").unwrap();
    let report = import(&app, work.path(), false).await;
    assert!(
        !report.written,
        "nothing could be read, so nothing is imported"
    );
    let said: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
    assert!(
        said.iter()
            .any(|s| s.contains("no services or taxonomy terms")
                && s.contains("offers.json")
                && s.contains("notes.json")),
        "{said:#?}"
    );
    assert_eq!(count(&app).await, 0);

    // With a services file beside them: imported, and each file left unread is named.
    std::fs::write(work.path().join("services.json"), records.to_string()).unwrap();
    let report = import(&app, work.path(), false).await;
    assert!(report.written);
    assert_eq!(report.imported, 1);
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    for name in ["offers.json", "notes.json"] {
        assert!(
            warned
                .iter()
                .any(|w| w.contains(name) && w.contains("not read")),
            "{name} not named in {warned:#?}"
        );
    }

    // An empty folder is refused too.
    let empty = tempfile::tempdir().unwrap();
    let report = import(&app, empty.path(), false).await;
    assert!(!report.written);
    assert!(
        report
            .refused
            .iter()
            .any(|r| r.message.contains("no .json files")),
        "{:#?}",
        report.refused
    );
}

/// The same id given twice with different content: the ORUK JSON and HSDS CSV imports keep
/// the same copy by the same rule (the newest last_modified, then the fullest record, then
/// the first given), and each says so, naming both places.
async fn a_repeated_id_keeps_the_same_copy_from_json_and_csv(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let older = service(
        "5e1f0c1a-0000-4000-8000-000000000001",
        "Knitting circle",
        "We knit.",
        json!({"last_modified": "2024-01-01T10:00:00Z"}),
    );
    let newer = service(
        "5e1f0c1a-0000-4000-8000-000000000001",
        "Knit and natter",
        "We knit.",
        json!({"last_modified": "2025-06-01T10:00:00Z"}),
    );
    for (order, dir) in [([&newer, &older], "json-a"), ([&older, &newer], "json-b")] {
        let dir = work.path().join(dir);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("services.json"), json!(order).to_string()).unwrap();
        let report = import(&app, &dir, false).await;
        assert!(report.written, "{:#?}", report.refused);
        let (_, got, _) = get(&app, "/oruk/services/5e1f0c1a-0000-4000-8000-000000000001").await;
        assert_eq!(got["name"], "Knit and natter", "JSON, {order:?}");
        let said: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            said.iter()
                .any(|w| w.contains("5e1f0c1a-0000-4000-8000-000000000001")
                    && w.contains("2 times with different content")
                    && w.contains("services.json $[0]")
                    && w.contains("$[1]")),
            "{said:#?}"
        );
    }
    for (rows, dir) in [
        (
            [
                "Knit and natter,2025-06-01T10:00:00Z",
                "Knitting circle,2024-01-01T10:00:00Z",
            ],
            "csv-a",
        ),
        (
            [
                "Knitting circle,2024-01-01T10:00:00Z",
                "Knit and natter,2025-06-01T10:00:00Z",
            ],
            "csv-b",
        ),
    ] {
        let dir = work.path().join(dir);
        std::fs::create_dir(&dir).unwrap();
        let mut text = "id,name,description,status,last_modified\n".to_string();
        for row in rows {
            let (name, at) = row.split_once(',').unwrap();
            text += &format!("5e1f0c1a-0000-4000-8000-000000000001,{name},We knit.,active,{at}\n");
        }
        std::fs::write(dir.join("services.csv"), text).unwrap();
        let report = import_csv(&app, &dir, false).await;
        assert!(report.written, "{:#?}", report.refused);
        let (_, got, _) = get(&app, "/oruk/services/5e1f0c1a-0000-4000-8000-000000000001").await;
        assert_eq!(got["name"], "Knit and natter", "CSV, {rows:?}");
        let said: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            said.iter()
                .any(|w| w.contains("5e1f0c1a-0000-4000-8000-000000000001")
                    && w.contains("2 times with different content")
                    && w.contains("services.csv line 2")
                    && w.contains("line 3")),
            "{said:#?}"
        );
    }
}

/// After an import on PostgreSQL, the directory's tables are vacuumed with every page marked
/// seen by all (the visibility map), so a search reads an index alone instead of a table page
/// for each row: also when the server commits without waiting for the disk, as the test
/// cluster does. (SQLite has no such map; its statistics are checked elsewhere.)
async fn an_import_leaves_every_page_of_the_directory_seen_by_all(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let services: Vec<Value> = (0..3_000u32)
        .map(|i| {
            let id = format!("00000000-0000-4000-8000-{i:012x}");
            service(
                &id,
                &format!("Offer {i}"),
                "Something to do together",
                json!({}),
            )
        })
        .collect();
    let file = app.dir.path().join("services.json");
    std::fs::write(&file, Value::Array(services).to_string()).unwrap();
    assert!(import(&app, &file, false).await.written);
    if backend != Backend::Postgres {
        return;
    }
    let mut c = app.store.conn().await.unwrap();
    let village_store::Exec::Postgres(pg) = c.exec() else {
        unreachable!()
    };
    let (pages, seen_by_all): (i32, i32) = sqlx::query_as(
        "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'dir_services'",
    )
    .fetch_one(&mut *pg)
    .await
    .unwrap();
    assert!(pages > 0);
    assert_eq!(
        seen_by_all, pages,
        "pages of dir_services seen by all after the import"
    );
}

/// An offer whose place has a postcode but no name says the postcode, never "No fixed
/// place" beside it; one with no place says "No fixed place".
async fn an_offer_with_only_a_postcode_says_where_it_is(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let placed = app
        .offer(
            "Street chess",
            json!({"service_at_locations": [{"id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e01", "location": {
                "id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e02", "location_type": "physical",
                "addresses": [{"id": "4b9a1c52-4a61-4c6f-9a53-2f1f2b7c9e03", "address_1": "",
                    "city": "Meadowfield", "state_province": "", "postal_code": "MF1 2AB",
                    "country": "GB", "address_type": "physical"}]}}]}),
        )
        .await;
    let nowhere = app.offer("Phone friends", json!({})).await;
    for (id, says, not) in [
        (&placed, "MF1 2AB", "No fixed place"),
        (&nowhere, "No fixed place", "MF1 2AB"),
    ] {
        let (status, html) = app.page(&format!("/directory/offers/{id}")).await;
        assert_eq!(status, 200);
        let text = village_testkit::visible_text(&html);
        assert!(text.contains(says) && !text.contains(not), "{id}:\n{text}");
    }
}

/// The map beside results (drawn in the browser) needs each result's place; its pictures come
/// only from the tile server the hub names, which the page's security policy allows, and from
/// nowhere in tests. A hub can switch the map off.
async fn results_carry_their_places_for_the_map_and_the_policy_names_its_tile_server(
    backend: Backend,
) {
    let Some(app) = TestApp::start_with(backend, |s| {
        s.map.tiles = "https://{s}.tiles.example.org/{z}/{x}/{y}.png".into();
    })
    .await
    else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let r = app
        .client()
        .get(app.url("/directory?q=walk"))
        .send()
        .await
        .unwrap();
    let policy = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.contains("img-src 'self' data: https://*.tiles.example.org;"),
        "{policy}"
    );
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<div id=\"map-panel\" class=\"map-panel\" hidden"),
        "hidden until drawn"
    );
    assert!(html.contains("data-tiles=\"https://{s}.tiles.example.org/{z}/{x}/{y}.png\""));
    assert!(html.contains("<script src=\"/static/map.js"));
    let placed = html.matches("<li class=\"result\" data-lat=\"").count();
    let listed = html.matches("<li class=\"result\"").count();
    assert!(
        placed > 0 && placed == listed,
        "{placed} of {listed} results have a place"
    );
    for path in [
        "/static/map.js",
        "/static/leaflet/leaflet.js",
        "/static/leaflet/leaflet.css",
        "/static/leaflet/images/marker-icon.png",
    ] {
        let r = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    let r = app
        .client()
        .get(app.url("/static/leaflet/../../Cargo.toml"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // The test kit's hub names no tile server: nothing is allowed from elsewhere.
    let Some(plain) = TestApp::start(backend).await else {
        return;
    };
    let r = plain.client().get(plain.url("/")).send().await.unwrap();
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("img-src 'self' data:;"));
    // Switched off: no map and no map script.
    let Some(off) = TestApp::start_with(backend, |s| s.map.enabled = false).await else {
        return;
    };
    village_app::demo::load(&off.store, village_app::now())
        .await
        .unwrap();
    let (_, html) = off.page("/directory?q=walk").await;
    assert!(!html.contains("map-panel") && !html.contains("map.js"));
}

/// A client with coordinates (a phone's location, a map) searches as one with a postcode
/// does: `lat`, `long` and `distance` (metres) find what `postcode` and `proximity` find from
/// the same point; `bbox` (south,west,north,east) finds exactly the offers with a place in
/// the box, alone and with words, on the ORUK lists and the pages; wrong values are named.
async fn coordinates_and_a_map_box_search_like_a_postcode_does(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let mut c = app.store.conn().await.unwrap();
    let home = village_domain::directory::geo::Postcode::parse("MF1 2AB").unwrap();
    let point = village_store::directory::postcode_point(&mut c, &home)
        .await
        .unwrap()
        .unwrap();
    drop(c);
    let (s, by_postcode, _) = get(
        &app,
        "/oruk/services?postcode=MF1+2AB&proximity=1500&per_page=50",
    )
    .await;
    assert_eq!(s, 200);
    let (lat, long) = (point.lat(), point.lon());
    let (s, by_point, _) = get(
        &app,
        &format!("/oruk/services?lat={lat}&long={long}&distance=1500&per_page=50"),
    )
    .await;
    assert_eq!(s, 200, "{by_point}");
    assert!(!ids(&by_postcode).is_empty());
    assert_eq!(ids(&by_point), ids(&by_postcode));
    assert_eq!(by_point["total_items"], by_postcode["total_items"]);

    // A box: exactly the offers with a place inside it, by every offer's own places.
    let bbox = (52.950, -1.152, 52.956, -1.144);
    let inside = |doc: &Value| {
        doc["service_at_locations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|sal| {
                Some((
                    sal["location"]["latitude"].as_f64()?,
                    sal["location"]["longitude"].as_f64()?,
                ))
            })
            .any(|(la, lo)| (bbox.0..=bbox.2).contains(&la) && (bbox.1..=bbox.3).contains(&lo))
    };
    let mut expected: Vec<String> = village_app::demo::directory::services()
        .iter()
        .filter(|d| inside(d))
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    assert!(
        !expected.is_empty() && expected.len() < 150,
        "the box holds some of the demo's offers, not all: {}",
        expected.len()
    );
    let boxed = format!("bbox={},{},{},{}", bbox.0, bbox.1, bbox.2, bbox.3);
    let (s, found, _) = get(&app, &format!("/oruk/services?{boxed}&per_page=100")).await;
    assert_eq!(s, 200, "{found}");
    let mut got = ids(&found);
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(found["total_items"], json!(expected.len()));
    let (_, at_locations, _) = get(
        &app,
        &format!("/oruk/service_at_locations?{boxed}&per_page=100"),
    )
    .await;
    assert!(at_locations["total_items"].as_i64().unwrap() >= expected.len() as i64);
    // With words: only those in the box that match.
    let (_, walks, _) = get(
        &app,
        &format!("/oruk/services?{boxed}&search=walk&per_page=100"),
    )
    .await;
    let (_, all_walks, _) = get(&app, "/oruk/services?search=walk&per_page=100").await;
    let in_box: Vec<String> = ids(&all_walks)
        .into_iter()
        .filter(|id| expected.contains(id))
        .collect();
    let mut walk_ids = ids(&walks);
    walk_ids.sort();
    let mut in_box_sorted = in_box.clone();
    in_box_sorted.sort();
    assert_eq!(walk_ids, in_box_sorted);
    // The pages: the same box, and coordinates in place of a postcode.
    let names = |html: &str| -> Vec<String> {
        html.split("<h3><a href=\"/directory/offers/")
            .skip(1)
            .map(|r| r.split('"').next().unwrap().to_string())
            .collect()
    };
    let (s, html) = app.page(&format!("/directory?{boxed}")).await;
    assert_eq!(s, 200);
    let listed = names(&html);
    assert!(!listed.is_empty() && listed.iter().all(|id| expected.contains(id)));
    assert!(
        html.contains(&format!("{} offers found", expected.len())),
        "{}",
        expected.len()
    );
    assert!(
        html.contains("<input type=\"hidden\" name=\"bbox\""),
        "kept when filtering"
    );
    let (_, near_page) = app
        .page(&format!(
            "/directory?lat={lat}&long={long}&within=1&sort=nearest"
        ))
        .await;
    let (_, postcode_page) = app
        .page("/directory?postcode=MF1+2AB&within=1&sort=nearest")
        .await;
    assert!(!names(&postcode_page).is_empty());
    assert_eq!(names(&near_page), names(&postcode_page));

    // Wrong values are named.
    for (query, field) in [
        ("lat=52.95", "long"),
        ("long=-1.15", "lat"),
        ("lat=95&long=-1.15", "lat"),
        ("lat=52.95&long=200", "long"),
        ("lat=north&long=-1.15", "lat"),
        ("distance=500", "distance"),
        ("proximity=500", "proximity"),
        (
            "lat=52.95&long=-1.15&distance=500&proximity=500",
            "distance",
        ),
        ("postcode=MF1+2AB&lat=52.95&long=-1.15", "lat"),
        ("bbox=52.9,-1.2,52.8,-1.1", "bbox"),
        ("bbox=1,2,3", "bbox"),
    ] {
        let (s, e, _) = get(&app, &format!("/oruk/services?{query}")).await;
        assert_eq!(
            (s, e["error"]["field"].clone()),
            (400, json!(field)),
            "{query}: {e}"
        );
    }
    let (s, html) = app.page("/directory?bbox=52.9,-1.2,52.8,-1.1").await;
    assert_eq!(s, 422);
    assert!(html.contains("That part of the map cannot be read"));
}

/// Any combination of filters (words, category, an access need, age, free, day, a time of
/// day, ORUK's start and end times, near a place, a map's box), drawn at random from a fixed seed over a generated
/// directory, finds exactly the offers, and the count, that checking every offer in the test
/// finds; by name, in name order, and nearest first, in order of distance. (The order of the
/// best matches for words is checked by the ranking tests.)
async fn any_combination_of_filters_finds_exactly_what_checking_every_offer_finds(
    backend: Backend,
) {
    use std::collections::BTreeSet;
    use village_domain::directory::geo::{distance_km, BoundingBox, LatLon};
    use village_domain::directory::taxonomy::{Access, CATEGORIES};
    use village_store::directory::{search_services, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    const WORDS: [&str; 6] = ["zumba", "chess", "choir", "quilting", "ukulele", "origami"];
    const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    const OPENS: [i64; 3] = [10 * 60 + 15, 14 * 60, 18 * 60 + 40];
    let centre = LatLon::new(53.4794, -2.2453).unwrap();
    let needs = [Access::StepFree, Access::HearingLoop];
    struct Offer {
        id: String,
        name: String,
        words: Vec<&'static str>,
        category: Option<&'static str>,
        needs: Vec<Access>,
        ages: (Option<i64>, Option<i64>),
        free: bool,
        day: &'static str,
        opens: i64,
        place: Option<LatLon>,
    }
    let mut offers = Vec::new();
    let mut services = Vec::new();
    for i in 0..240usize {
        let id = format!("00000000-0000-4000-8000-{i:012x}");
        let mut words = vec![WORDS[i % 6]];
        if i % 4 == 0 {
            words.push(WORDS[(i / 4 + 1) % 6]);
        }
        let category = (i % 3 != 0).then(|| CATEGORIES[i % 5].id);
        let mut offer_needs = Vec::new();
        if i % 2 == 0 {
            offer_needs.push(Access::StepFree);
        }
        if i % 5 == 0 {
            offer_needs.push(Access::HearingLoop);
        }
        let ages = ((i % 7 == 0).then_some(18), (i % 11 == 0).then_some(25));
        let place = (i % 13 != 0).then(|| {
            LatLon::new(
                53.4794 + ((i * 37) % 181) as f64 / 1000.0 - 0.09,
                -2.2453 + ((i * 53) % 241) as f64 / 800.0 - 0.15,
            )
            .unwrap()
        });
        let (day, opens) = (DAYS[i % 7], OPENS[i % 3]);
        let mut attributes: Vec<Value> = offer_needs
            .iter()
            .enumerate()
            .map(|(k, a)| json!({"id": format!("00000000-0000-4000-81{k:02x}-{i:012x}"), "taxonomy_term_id": a.term_id()}))
            .collect();
        if let Some(c) = category {
            attributes.push(
                json!({"id": format!("00000000-0000-4000-8200-{i:012x}"), "taxonomy_term_id": c}),
            );
        }
        // Names alike for their first sixteen letters and more, as many are.
        let name = format!("{} group for everyone, number {i}", words[0]);
        let mut s = service(
            &id,
            &name,
            // Every fifth says "everyone" twice more: it fits that word better.
            &format!(
                "We meet weekly. {}{}",
                words[1..].join(" "),
                if i % 5 == 0 {
                    " Everyone is welcome, everyone."
                } else {
                    ""
                }
            ),
            json!({
                "attributes": attributes,
                "schedules": [{"id": format!("00000000-0000-4000-8300-{i:012x}"), "freq": "WEEKLY", "byday": day,
                    "opens_at": format!("{:02}:{:02}", opens / 60, opens % 60),
                    "closes_at": format!("{:02}:{:02}", opens / 60 + 2, opens % 60)}],
            }),
        );
        if let Some(min) = ages.0 {
            s["minimum_age"] = json!(min);
        }
        if let Some(max) = ages.1 {
            s["maximum_age"] = json!(max);
        }
        let free = i % 3 == 0;
        if i % 3 != 2 {
            s["cost_options"] = json!([{"id": format!("00000000-0000-4000-8400-{i:012x}"),
                "option": if free { "Free" } else { "Per session" }, "amount": if free { 0 } else { 2 }, "currency": "GBP"}]);
        }
        if let Some(p) = place {
            s["service_at_locations"] = json!([{"id": format!("00000000-0000-4000-8500-{i:012x}"),
                "location": {"id": format!("00000000-0000-4000-8600-{i:012x}"), "location_type": "physical",
                "latitude": p.lat(), "longitude": p.lon()}}]);
        }
        services.push(s);
        offers.push(Offer {
            id,
            name,
            words,
            category,
            needs: offer_needs,
            ages,
            free,
            day,
            opens,
            place,
        });
    }
    let mut c = app.store.conn().await.unwrap();
    // The database's search and the search index's, each asked every question. The offers
    // come in four imports, names interleaved, and the first again at the end, the index
    // catching up after each: its segments each hold a share of every run of names and of
    // every fit, and some offers are replaced.
    let index = village_store::directory::SearchIndex::new(15 << 20).unwrap();
    for part in [0, 1, 2, 3, 0] {
        let share: Vec<Value> = services
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 4 == part)
            .map(|(_, s)| s.clone())
            .collect();
        let file = app.dir.path().join(format!("combinations-{part}.json"));
        std::fs::write(&file, Value::Array(share).to_string()).unwrap();
        let report = import(&app, &file, false).await;
        assert!(report.written, "{:?}", report.refused);
        let generation = village_store::directory::generation(&mut c).await.unwrap();
        assert!(index.catch_up(&mut c, generation, true).await.unwrap());
    }
    assert!(index.segments() >= 4, "{} segments", index.segments());
    assert_eq!(index.offers(), 240);

    // A fixed-seed generator, so a failure can be run again.
    let mut seed: u64 = 0x005e_ed0f_f11e;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let windows = [(9 * 60, 12 * 60), (12 * 60, 17 * 60), (17 * 60, 22 * 60)];
    let generation = village_store::directory::generation(&mut c).await.unwrap();
    async fn both(
        c: &mut village_store::Conn,
        index: &village_store::directory::SearchIndex,
        generation: i64,
        filter: &ServiceFilter,
    ) -> [(Vec<String>, i64); 2] {
        let (rows, total) = search_services(&mut *c, filter).await.unwrap();
        let database = (rows.into_iter().map(|(id, _)| id).collect(), total);
        let (rows, total) =
            village_store::directory::search_services_indexed(&mut *c, index, generation, filter)
                .await
                .unwrap()
                .expect("the index is current");
        [
            database,
            (rows.into_iter().map(|(id, _)| id).collect(), total),
        ]
    }
    /// The index's pages of seven, joined: each after the first knowing the count, as the
    /// app's do (then a search near a place may stop reading before the last ring); each
    /// page's count checked.
    async fn pages_of_seven(
        c: &mut village_store::Conn,
        index: &village_store::directory::SearchIndex,
        generation: i64,
        filter: &ServiceFilter,
        total: usize,
    ) -> Vec<String> {
        let mut paged = Vec::new();
        for page in 0..=(total / 7) {
            let one = ServiceFilter {
                limit: 7,
                offset: (page * 7) as i64,
                total_known: (page > 0).then_some(total as i64),
                ..filter.clone()
            };
            let [_, (rows, counted)] = both(&mut *c, index, generation, &one).await;
            assert_eq!(
                counted, total as i64,
                "the count of page {page} of {filter:?}"
            );
            paged.extend(rows);
        }
        paged
    }
    let mut non_empty = 0;
    for round in 0..80 {
        // A word every offer has in its name (so near a place the circle is read a ring at a
        // time), or a word few have (so the word's offers lead, each checked for distance).
        let words = (next(2) == 0).then(|| {
            if next(4) == 0 {
                "everyone"
            } else {
                WORDS[next(6) as usize]
            }
        });
        let category = (next(3) == 0).then(|| CATEGORIES[next(5) as usize].id);
        let need = (next(3) == 0).then(|| needs[next(2) as usize]);
        let age = (next(4) == 0).then(|| [10, 18, 20, 25, 30, 70][next(6) as usize]);
        // ORUK's minimum_age and maximum_age: offers with a limit at least, or at most, this.
        let minimum_at_least = (next(6) == 0).then(|| [10, 18, 20][next(3) as usize]);
        let maximum_at_most = (next(6) == 0).then(|| [17, 25, 30][next(3) as usize]);
        let free_only = next(4) == 0;
        let day = (next(4) == 0).then(|| DAYS[next(7) as usize]);
        let window = (next(4) == 0).then(|| windows[next(3) as usize]);
        // ORUK's start_time and end_time, not on the hour.
        let starts =
            (next(5) == 0).then(|| [10 * 60 + 30, 14 * 60, 18 * 60 + 45][next(3) as usize]);
        let ends = (next(5) == 0).then(|| [12 * 60, 16 * 60 + 30, 20 * 60 + 50][next(3) as usize]);
        let near = (next(3) == 0).then(|| (centre, [2.0, 4.0, 8.0][next(3) as usize]));
        let bbox = (next(5) == 0).then(|| BoundingBox {
            min_lat: 53.43,
            max_lat: 53.50,
            min_lon: -2.30,
            max_lon: -2.20,
        });
        let matching: Vec<&Offer> = offers
            .iter()
            .filter(|o| words.is_none_or(|w| w == "everyone" || o.words.contains(&w)))
            .filter(|o| category.is_none_or(|c| o.category == Some(c)))
            .filter(|o| need.is_none_or(|n| o.needs.contains(&n)))
            .filter(|o| {
                age.is_none_or(|a| {
                    o.ages.0.is_none_or(|m| m <= a) && o.ages.1.is_none_or(|m| m >= a)
                })
            })
            .filter(|o| minimum_at_least.is_none_or(|a| o.ages.0.is_some_and(|m| m >= a)))
            .filter(|o| maximum_at_most.is_none_or(|a| o.ages.1.is_some_and(|m| m <= a)))
            .filter(|o| !free_only || o.free)
            .filter(|o| day.is_none_or(|d| o.day == d))
            .filter(|o| window.is_none_or(|(from, to)| o.opens < to && o.opens + 120 > from))
            .filter(|o| starts.is_none_or(|x| o.opens >= x))
            .filter(|o| ends.is_none_or(|y| o.opens + 120 <= y))
            .filter(|o| near.is_none_or(|(c, km)| o.place.is_some_and(|p| distance_km(c, p) <= km)))
            .filter(|o| bbox.is_none_or(|b| o.place.is_some_and(|p| b.contains(p))))
            .collect();
        let expected: BTreeSet<String> = matching.iter().map(|o| o.id.clone()).collect();
        let filter = ServiceFilter {
            words: words.map(str::to_string),
            taxonomy_term_id: category.map(str::to_string),
            all_terms: need.map(|n| n.term_id().to_string()).into_iter().collect(),
            age,
            minimum_age_at_least: minimum_at_least,
            maximum_age_at_most: maximum_at_most,
            free_only,
            day: day.map(str::to_string),
            open_between: window,
            opens_at_or_after: starts,
            closes_at_or_before: ends,
            near,
            within_box: bbox,
            limit: 1000,
            ..Default::default()
        };
        for (way, (rows, total)) in ["database", "index"]
            .into_iter()
            .zip(both(&mut c, &index, generation, &filter).await)
        {
            let found: BTreeSet<String> = rows.into_iter().collect();
            assert_eq!(found, expected, "round {round}, {way}: {filter:?}");
            assert_eq!(
                total,
                expected.len() as i64,
                "round {round}, {way}: the count of {filter:?}"
            );
        }
        // As the pages and the ORUK API ask: the best matches ranked first (all of them, in a
        // directory this size).
        let ranked = ServiceFilter {
            rank_within: Some(2_000),
            ..filter.clone()
        };
        for (way, (rows, total)) in ["database", "index"]
            .into_iter()
            .zip(both(&mut c, &index, generation, &ranked).await)
        {
            let found: BTreeSet<String> = rows.into_iter().collect();
            assert_eq!(
                (found, total),
                (expected.clone(), expected.len() as i64),
                "round {round}, {way}, ranked"
            );
        }
        // The best matches a page at a time join up into the order of all of them at once
        // (offers that fit equally well go by name, however the pages fall).
        if words.is_some() {
            let [_, (all, _)] = both(&mut c, &index, generation, &ranked).await;
            let paged = pages_of_seven(&mut c, &index, generation, &ranked, all.len()).await;
            assert_eq!(paged, all, "round {round}, best first, 7 to a page");
        }
        // One row per place (the ORUK service_at_locations list): each offer with a place
        // has one, and the count says so.
        let per_place = ServiceFilter {
            per_location: true,
            ..filter.clone()
        };
        let placed = matching.iter().filter(|o| o.place.is_some()).count() as i64;
        for (way, (rows, total)) in ["database", "index"]
            .into_iter()
            .zip(both(&mut c, &index, generation, &per_place).await)
        {
            assert_eq!(
                (rows.len() as i64, total),
                (placed, placed),
                "round {round}, {way}, per place"
            );
        }
        // By name: every match in name order.
        let mut by_name = matching.clone();
        by_name.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let named = ServiceFilter {
            sort: village_store::directory::SortOrder::Name,
            ..filter.clone()
        };
        let want: Vec<String> = by_name.iter().map(|o| o.id.clone()).collect();
        for (way, (order, _)) in ["database", "index"]
            .into_iter()
            .zip(both(&mut c, &index, generation, &named).await)
        {
            assert_eq!(order, want, "round {round}, {way}, by name");
        }
        // And a page at a time: the pages join up into the same order.
        let mut paged = Vec::new();
        for page in 0..=(want.len() / 7) {
            let one = ServiceFilter {
                limit: 7,
                offset: (page * 7) as i64,
                ..named.clone()
            };
            let [_, (rows, _)] = both(&mut c, &index, generation, &one).await;
            paged.extend(rows);
        }
        assert_eq!(paged, want, "round {round}, by name, 7 to a page");
        // Nearest first: in order of distance from the centre.
        if let Some((centre, _)) = near {
            let mut by_distance = matching.clone();
            let km = |o: &Offer| o.place.map_or(f64::MAX, |p| distance_km(centre, p));
            by_distance.sort_by(|a, b| km(a).total_cmp(&km(b)).then(a.name.cmp(&b.name)));
            let nearest = ServiceFilter {
                sort: village_store::directory::SortOrder::Nearest,
                ..filter.clone()
            };
            let want: Vec<String> = by_distance.iter().map(|o| o.id.clone()).collect();
            for (way, (order, _)) in ["database", "index"]
                .into_iter()
                .zip(both(&mut c, &index, generation, &nearest).await)
            {
                assert_eq!(order, want, "round {round}, {way}, nearest first");
            }
            // A page at a time (the index reads the circle a ring at a time, nearest first,
            // stopping once no offer further out could be on the page), with the count.
            for (way, at) in [("database", 0), ("index", 1)] {
                let mut paged = Vec::new();
                for page in 0..=(want.len() / 7) {
                    let one = ServiceFilter {
                        limit: 7,
                        offset: (page * 7) as i64,
                        total_known: (page > 0).then_some(want.len() as i64),
                        ..nearest.clone()
                    };
                    let found = both(&mut c, &index, generation, &one).await;
                    let (rows, total) = &found[at];
                    assert_eq!(*total, want.len() as i64, "round {round}, {way}, count");
                    paged.extend(rows.clone());
                }
                assert_eq!(
                    paged, want,
                    "round {round}, {way}, nearest first, 7 to a page"
                );
            }
        }
        if !expected.is_empty() {
            non_empty += 1;
        }
    }
    assert!(
        non_empty >= 20,
        "most combinations find something: {non_empty} of 80"
    );
    // Words alone near a place, best first a page at a time: a word every offer has (the
    // circle read a ring at a time, stopping once no offer further out could fit well enough
    // to be on the page) and a word few have (its offers lead).
    for words in ["everyone", "chess", "everyone zumba"] {
        for km in [2.0, 4.0, 8.0] {
            let ranked = ServiceFilter {
                words: Some(words.to_string()),
                near: Some((centre, km)),
                rank_within: Some(2_000),
                limit: 1000,
                ..Default::default()
            };
            let expected: BTreeSet<String> = offers
                .iter()
                .filter(|o| {
                    words
                        .split(' ')
                        .all(|w| w == "everyone" || o.words.contains(&w))
                })
                .filter(|o| o.place.is_some_and(|p| distance_km(centre, p) <= km))
                .map(|o| o.id.clone())
                .collect();
            let [_, (all, total)] = both(&mut c, &index, generation, &ranked).await;
            assert_eq!(total, expected.len() as i64, "{words} within {km} km");
            assert_eq!(all.iter().cloned().collect::<BTreeSet<_>>(), expected);
            let paged = pages_of_seven(&mut c, &index, generation, &ranked, all.len()).await;
            assert_eq!(paged, all, "{words} within {km} km, 7 to a page");
        }
    }
}

/// Ranking people recognise: an offer whose name is the words comes before one that mentions
/// them once in a long description; near a place, of two offers that fit the words equally
/// well, the one 300 m away comes before the one 6 km away (whichever was listed first).
async fn a_name_match_comes_first_and_equally_good_matches_nearest_first(backend: Backend) {
    use village_domain::directory::geo::LatLon;
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let centre = LatLon::new(53.4794, -2.2453).unwrap();
    // 6 km and 300 m north of the centre.
    let far = (centre.lat() + 6.0 / 111.2, centre.lon());
    let near = (centre.lat() + 0.3 / 111.2, centre.lon());
    let long_words = "Board games, cards, dominoes and puzzles for all ages, with tea and cake, \
        every week in the back room; beginners are welcome and we lend everything you need, \
        from jigsaws to backgammon, and sometimes chess, and there is always someone to talk to.";
    let services = json!([
        service(
            "00000000-0000-4000-8000-0000000000a1",
            "Games afternoon",
            long_words,
            json!({})
        ),
        placed(
            "00000000-0000-4000-8000-0000000000a2",
            "Chess",
            "00000000-0000-4000-8001-0000000000a2",
            53.47,
            -2.24
        ),
        placed(
            "00000000-0000-4000-8000-0000000000b1",
            "Walking football",
            "00000000-0000-4000-8001-0000000000b1",
            far.0,
            far.1
        ),
        placed(
            "00000000-0000-4000-8000-0000000000b2",
            "Walking football",
            "00000000-0000-4000-8001-0000000000b2",
            near.0,
            near.1
        ),
    ]);
    let file = app.dir.path().join("ranking.json");
    std::fs::write(&file, services.to_string()).unwrap();
    let report = import(&app, &file, false).await;
    assert!(report.written, "{:?}", report.refused);
    let (_, found, _) = get(&app, "/oruk/services?search=chess").await;
    assert_eq!(
        ids(&found),
        [
            "00000000-0000-4000-8000-0000000000a2",
            "00000000-0000-4000-8000-0000000000a1"
        ],
        "the name before a mention"
    );
    let (lat, long) = (centre.lat(), centre.lon());
    for query in [
        format!("search=walking+football&lat={lat}&long={long}&distance=7000"),
        format!("search=walking+football&lat={lat}&long={long}"),
    ] {
        let (_, found, _) = get(&app, &format!("/oruk/services?{query}")).await;
        assert_eq!(
            ids(&found),
            [
                "00000000-0000-4000-8000-0000000000b2",
                "00000000-0000-4000-8000-0000000000b1"
            ],
            "{query}: the equally good match 300 m away first"
        );
    }
}

/// One search, one count: the directory page, `/oruk/services` and
/// `/oruk/service_at_locations` (each offer here at one place) give the same exact number,
/// for a search by words, near a place and in a map's box, well past a thousand matches.
async fn one_search_gives_one_count_on_the_pages_and_both_oruk_lists(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let n = 1_234usize;
    let services: Vec<Value> = (0..n)
        .map(|i| {
            let (lat, lon) = (
                53.40 + (i % 37) as f64 * 0.004,
                -2.30 + (i % 41) as f64 * 0.004,
            );
            placed(
                &format!("00000000-0000-4000-8000-{i:012x}"),
                &format!("Chess club {i}"),
                &format!("00000000-0000-4000-8001-{i:012x}"),
                lat,
                lon,
            )
        })
        .collect();
    let file = app.dir.path().join("many.json");
    std::fs::write(&file, Value::Array(services).to_string()).unwrap();
    let report = import(&app, &file, false).await;
    assert!(report.written, "{:?}", report.refused);
    let (lat, long) = (53.47, -2.22);
    for (page, oruk) in [
        ("q=chess".to_string(), "search=chess".to_string()),
        (
            format!("q=club&lat={lat}&long={long}&within=3"),
            format!("search=club&lat={lat}&long={long}&distance=4828.032"),
        ),
        (
            format!("lat={lat}&long={long}&within=3"),
            format!("lat={lat}&long={long}&distance=4828.032"),
        ),
        (
            "bbox=53.40,-2.30,53.50,-2.20".to_string(),
            "bbox=53.40,-2.30,53.50,-2.20".to_string(),
        ),
    ] {
        let (_, services, _) = get(&app, &format!("/oruk/services?{oruk}")).await;
        let (_, places, _) = get(&app, &format!("/oruk/service_at_locations?{oruk}")).await;
        let total = services["total_items"].as_i64().unwrap();
        assert!(total > 0, "{oruk}");
        assert_eq!(
            places["total_items"],
            json!(total),
            "{oruk}: one place each"
        );
        let (s, html) = app.page(&format!("/directory?{page}")).await;
        assert_eq!(s, 200);
        let said = html
            .split(" offers found")
            .next()
            .and_then(|before| before.rsplit(['>', ' ']).next())
            .unwrap_or("")
            .replace(',', "");
        assert_eq!(said, total.to_string(), "{page}: the page says {said}");
    }
    let (_, all, _) = get(&app, "/oruk/services?search=chess").await;
    assert_eq!(all["total_items"], json!(n), "every match counted");
}

/// Two processes sharing one database each keep their own search index: an offer added,
/// renamed or taken down through either is found (or not) by both at their next search.
async fn each_process_search_index_follows_every_change_to_the_directory(backend: Backend) {
    use village_store::directory::{search_services_indexed, SearchIndex, ServiceFilter};
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (one, two) = (
        SearchIndex::new(15 << 20).unwrap(),
        SearchIndex::new(15 << 20).unwrap(),
    );
    let words = |w: &str| ServiceFilter {
        words: Some(w.into()),
        limit: 50,
        ..Default::default()
    };
    async fn found(app: &TestApp, index: &SearchIndex, filter: &ServiceFilter) -> Vec<String> {
        let mut c = app.store.conn().await.unwrap();
        let generation = village_store::directory::generation(&mut c).await.unwrap();
        let (rows, total) = search_services_indexed(&mut c, index, generation, filter)
            .await
            .unwrap()
            .expect("nobody else is catching up");
        assert_eq!(rows.len() as i64, total);
        rows.into_iter().map(|(id, _)| id).collect()
    }
    let mut tx = app.store.begin().await.unwrap();
    write_offer(
        &mut tx,
        &service(A, "Knitting circle", "Wool and tea", json!({})),
        true,
    )
    .await;
    tx.commit().await.unwrap();
    for index in [&one, &two] {
        assert_eq!(found(&app, index, &words("knitting")).await, [A]);
    }
    // A new offer, and the first renamed.
    let mut tx = app.store.begin().await.unwrap();
    write_offer(
        &mut tx,
        &service(B, "Knitting for beginners", "Needles lent", json!({})),
        true,
    )
    .await;
    write_offer(
        &mut tx,
        &service(A, "Crochet circle", "Wool and tea", json!({})),
        true,
    )
    .await;
    tx.commit().await.unwrap();
    for index in [&one, &two] {
        assert_eq!(found(&app, index, &words("knitting")).await, [B]);
        assert_eq!(found(&app, index, &words("crochet")).await, [A]);
    }
    // Taken down.
    let mut tx = app.store.begin().await.unwrap();
    write_offer(
        &mut tx,
        &service(B, "Knitting for beginners", "Needles lent", json!({})),
        false,
    )
    .await;
    tx.commit().await.unwrap();
    for index in [&two, &one] {
        assert!(found(&app, index, &words("knitting")).await.is_empty());
        assert_eq!(found(&app, index, &words("wool")).await, [A]);
    }
}

/// A time that runs past midnight (22:00 to 02:00) or opens and closes at once is found by the
/// search index exactly when the database finds it, for every kind of time filter.
async fn times_past_midnight_or_of_no_length_are_found_as_the_database_finds_them(
    backend: Backend,
) {
    use village_store::directory::{
        generation, search_services, search_services_indexed, SearchIndex, ServiceFilter,
    };
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let timed = |id: &str, opens: &str, closes: &str| {
        service(
            id,
            "Night cafe",
            "Somewhere warm",
            json!({"schedules": [{"id": format!("{}0", &id[..35]), "freq": "WEEKLY", "byday": "FR",
                "opens_at": opens, "closes_at": closes}]}),
        )
    };
    let mut tx = app.store.begin().await.unwrap();
    write_offer(&mut tx, &timed(A, "22:00", "02:00"), true).await;
    write_offer(&mut tx, &timed(B, "10:30", "10:30"), true).await;
    write_offer(&mut tx, &timed(C, "09:00", "11:00"), true).await;
    tx.commit().await.unwrap();
    let index = SearchIndex::new(15 << 20).unwrap();
    let mut c = app.store.conn().await.unwrap();
    let g = generation(&mut c).await.unwrap();
    let mut some_found = 0;
    for day in [None, Some("FR"), Some("SA")] {
        for starts in [
            None,
            Some(0),
            Some(3 * 60),
            Some(10 * 60 + 30),
            Some(21 * 60),
        ] {
            for ends in [None, Some(3 * 60), Some(10 * 60 + 30), Some(20 * 60)] {
                for window in [
                    None,
                    Some((10 * 60, 11 * 60)),
                    Some((21 * 60 + 30, 24 * 60)),
                ] {
                    let filter = ServiceFilter {
                        day: day.map(str::to_string),
                        opens_at_or_after: starts,
                        closes_at_or_before: ends,
                        open_between: window,
                        limit: 10,
                        ..Default::default()
                    };
                    let mut database: Vec<String> = search_services(&mut c, &filter)
                        .await
                        .unwrap()
                        .0
                        .into_iter()
                        .map(|(id, _)| id)
                        .collect();
                    let mut indexed: Vec<String> =
                        search_services_indexed(&mut c, &index, g, &filter)
                            .await
                            .unwrap()
                            .unwrap()
                            .0
                            .into_iter()
                            .map(|(id, _)| id)
                            .collect();
                    database.sort();
                    indexed.sort();
                    assert_eq!(indexed, database, "{filter:?}");
                    if !database.is_empty() && database.len() < 3 {
                        some_found += 1;
                    }
                }
            }
        }
    }
    assert!(
        some_found > 10,
        "the filters tell the times apart: {some_found}"
    );
}
