//! The page and API shell: security headers, health checks, the OpenAPI document, and calm
//! answers (never a 5xx) to malformed requests.
use village_domain::accounts::Role;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(
    every_response_carries_security_headers,
    health_and_readiness_answer,
    malformed_requests_never_get_a_server_error,
    a_nul_character_is_refused_by_name_everywhere,
    home_shows_only_real_content,
    ids_and_parameters_that_cannot_be_read_get_the_hubs_own_answers,
);

async fn every_response_carries_security_headers(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let client = app.client();
    for path in ["/", "/sign-in", "/privacy", "/api/v1/me", "/no-such-page"] {
        let r = client.get(app.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS over plain http"
        );
    }
    let Some(https) =
        TestApp::start_with(backend, |s| s.public_url = "https://village.example".into()).await
    else {
        return;
    };
    let r = https
        .client()
        .get(https.url("/sign-in"))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
}

async fn health_and_readiness_answer(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let client = app.client();
    assert_eq!(
        client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.store.close().await;
    assert_eq!(
        client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        503,
        "a closed database is not ready"
    );
}

async fn malformed_requests_never_get_a_server_error(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (member, _) = app.signed_in_as(Role::Member, "wyn@example.org").await;
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token = app.csrf(&member, "/account").await;
    let cookies = [
        "village_session=garbage",
        "village_session=",
        "village_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; village_csrf=%%%",
        "=;;;==; village_csrf",
        "village_csrf=\u{e9}\u{ff}",
    ];
    for cookie in cookies {
        for path in ["/", "/account", "/api/v1/me", "/sign-in"] {
            // Raw bytes, as a broken client might send them (not always valid UTF-8).
            let value = reqwest::header::HeaderValue::from_bytes(
                &cookie.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>(),
            )
            .unwrap();
            let r = raw
                .get(app.url(path))
                .header("cookie", value)
                .send()
                .await
                .unwrap();
            assert!(
                r.status().as_u16() < 500,
                "{path} with cookie {cookie:?}: {}",
                r.status()
            );
        }
    }
    let bodies: [&[u8]; 6] = [
        b"",
        b"%",
        b"email=%ZZ&password=%",
        b"\xff\xfe\x00",
        b"csrf_token",
        b"a=b&&&=&csrf_token=%E2%82",
    ];
    for body in bodies {
        for path in [
            "/sign-in",
            "/sign-up",
            "/account/name",
            "/account/lived-experience",
            "/admin/users/abc/role",
            "/forgotten-password",
        ] {
            let mut with_token = format!("csrf_token={token}&").into_bytes();
            with_token.extend_from_slice(body);
            for payload in [body.to_vec(), with_token] {
                let r = member
                    .post(app.url(path))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(payload.clone())
                    .send()
                    .await
                    .unwrap();
                assert!(
                    r.status().as_u16() < 500,
                    "{path} {:?}: {}",
                    String::from_utf8_lossy(&payload),
                    r.status()
                );
            }
        }
    }
    for (content_type, body) in [
        ("application/json", "[]"),
        ("application/json", "{\"declared\": 1e999}"),
        ("text/plain", "{}"),
        ("application/json", "\u{0}"),
    ] {
        let r = member
            .put(app.url("/api/v1/me/lived-experience"))
            .header("x-csrf-token", &token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_client_error(),
            "{content_type} {body:?}: {}",
            r.status()
        );
        let json: serde_json::Value = r.json().await.unwrap();
        assert!(json["error"]["code"].is_string());
    }
    let huge = "x".repeat(village_app::settings::MAX_BODY_BYTES + 10);
    let r = member
        .post(app.url("/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    for path in [
        "/admin/users?page=-5&role=%FF",
        "/admin/audit?before=x&person=%00",
        "/reset-password/..%2F..",
        "/api/v1/admin/users?per_page=abc",
        "/account/activity?before=99999999999999999999",
    ] {
        // The 413 above closes its connection; a pooled connection the server has just closed
        // can fail to send once, so one retry on a send error (never on a status).
        let r = match member.get(app.url(path)).send().await {
            Ok(r) => r,
            Err(_) => member.get(app.url(path)).send().await.unwrap(),
        };
        assert!(r.status().as_u16() < 500, "{path}: {}", r.status());
    }
    let r = raw
        .get(app.url("/api/v1/me"))
        .header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xffbad").unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

async fn home_shows_only_real_content(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let html = app
        .client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<strong>0</strong> people have joined"));
    assert!(!html.to_lowercase().contains("coming soon"));
    app.sign_up(&app.client(), "xan@example.org", "Xan").await;
    let html = app
        .client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<strong>1</strong> person has joined"));
    assert!(html.contains("<strong>1</strong> joined in the last 30 days"));
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(
        html.contains("<form method=\"get\" action=\"/directory\"") && html.contains("name=\"q\""),
        "a search box for the directory on the home page"
    );
    assert!(html.contains("<link rel=\"icon\" href=\"/static/favicon.svg"));
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let r = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], "image/svg+xml", "{path}");
        assert!(r.text().await.unwrap().starts_with("<svg"), "{path}");
    }
}

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let doc = village_web::router::openapi();
    let json = serde_json::to_value(&doc).unwrap();
    assert!(json["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/me",
        "/api/v1/me/lived-experience",
        "/api/v1/admin/users",
        "/api/v1/admin/audit",
    ] {
        assert!(json["paths"][path].is_object(), "{path} is documented");
    }
    insta::assert_json_snapshot!("openapi", json);
}

/// Clients generated from the document send each parameter where it says: a path parameter is
/// a `{segment}` of its path (so a filter like `?limit=` is never declared as part of the
/// path, required), and every segment is declared.
#[test]
fn the_openapi_document_puts_each_parameter_where_the_server_reads_it() {
    let json = serde_json::to_value(village_web::router::openapi()).unwrap();
    let mut wrong = Vec::new();
    for (path, operations) in json["paths"].as_object().unwrap() {
        let segments: std::collections::BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for (method, operation) in operations.as_object().unwrap() {
            let in_path: std::collections::BTreeSet<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            if in_path != segments {
                wrong.push(format!("{method} {path}: {in_path:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "path parameters that are not the path's: {wrong:#?}"
    );
}

/// A NUL character (U+0000) in any text, signed out or in, in a form, an address or a JSON
/// body, is refused with the field named: never a 5xx (PostgreSQL cannot keep one), and
/// nothing is written.
async fn a_nul_character_is_refused_by_name_everywhere(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let visitor = app.client();
    // Addresses: the ORUK API and the directory's search.
    let r = visitor
        .get(app.url("/oruk/services?search=%00"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_parameter");
    assert_eq!(body["error"]["field"], "search");
    let r = visitor
        .get(app.url("/directory?q=walk%00ing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("‘q’ holds an invisible character"));
    // A form, signed out: the sign-in form's email.
    let r = app
        .post_form(
            &visitor,
            "/sign-in",
            "/sign-in",
            &[
                ("email", "a\u{0}@example.org"),
                ("password", "whatever it is"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("‘email’ holds an invisible character"));
    // A form, signed in, and JSON: nothing is written.
    let (member, _) = app.signed_in_as(Role::Member, "nul@example.org").await;
    let r = app
        .post_form(
            &member,
            "/account/name",
            "/account/name",
            &[("display_name", "Nu\u{0}l")],
        )
        .await;
    assert_eq!(r.status(), 422);
    // A form read by its handler (repeated checkboxes), not by the shared form reader.
    let r = app
        .post_form(
            &member,
            "/account/lived-experience",
            "/account/lived-experience",
            &[
                ("declared", "yes"),
                ("kinds", "other"),
                ("in_my_words", "a\u{0}b"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("‘in_my_words’ holds an invisible character"));
    let (status, body) = app
        .put_json(
            &member,
            "/api/v1/me/lived-experience",
            serde_json::json!({"declared": true, "kinds": ["other"], "in_my_words": "a\u{0}b"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "text_invalid");
    assert_eq!(body["error"]["field"], "in_my_words");
    let me: serde_json::Value = member
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(me["display_name"], "Nul");
    assert_eq!(me["lived_experience"]["declared"], false, "{me}");
    // A body read by its handler (the optional reason of an introduction's step), not by the
    // shared JSON reader.
    let offer = app.offer("Nul Knitters", serde_json::json!({})).await;
    let (status, made) = app
        .post_json(
            &member,
            "/api/v1/introductions",
            serde_json::json!({"offer_id": offer}),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let (status, body) = app
        .post_json(
            &member,
            &format!("/api/v1/introductions/{id}/withdraw"),
            serde_json::json!({"reason": "a\u{0}b"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "text_invalid");
    assert_eq!(body["error"]["field"], "reason");
}

/// An id in a path that cannot be one (too big, not a number) or a query parameter that
/// cannot be read gets the hub's own answer: on the API the JSON error shape (404 `not_found`
/// for the id; 400 naming the parameter), on pages a page; never axum's text/plain. Every GET
/// operation of the OpenAPI document is tried, as a hub admin (who may see the most).
async fn ids_and_parameters_that_cannot_be_read_get_the_hubs_own_answers(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (admin, _) = app.signed_in_as(Role::HubAdmin, "ash@example.org").await;
    let doc = serde_json::to_value(village_web::router::openapi()).unwrap();
    let mut tried = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else {
            continue;
        };
        let params = get["parameters"].as_array().cloned().unwrap_or_default();
        let in_path: Vec<&str> = params
            .iter()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str())
            .collect();
        let in_query: Vec<&str> = params
            .iter()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .collect();
        let mut urls = Vec::new();
        if !in_path.is_empty() {
            for bad in ["99999999999999999999", "not-an-id"] {
                let mut url = path.clone();
                for name in &in_path {
                    url = url.replace(&format!("{{{name}}}"), bad);
                }
                urls.push((url, None));
            }
        }
        let base = in_path.iter().fold(path.clone(), |u, name| {
            u.replace(&format!("{{{name}}}"), "1")
        });
        for name in &in_query {
            urls.push((format!("{base}?{name}=-1x"), Some(*name)));
            urls.push((format!("{base}?{name}=1&{name}=2"), Some(*name)));
        }
        for (url, field) in urls {
            tried += 1;
            let r = admin.get(app.url(&url)).send().await.unwrap();
            let status = r.status().as_u16();
            let kind = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            assert!(status < 500, "{url}: {status}");
            if status >= 400 && ![401, 403].contains(&status) {
                assert!(
                    get["responses"].get(status.to_string()).is_some(),
                    "{url}: {status} is not in the document's answers for GET {path}"
                );
            }
            if status >= 400 {
                assert!(
                    kind.starts_with("application/json"),
                    "{url}: {status} {kind}"
                );
                let code = body["error"]["code"].as_str().unwrap_or_default();
                assert!(!code.is_empty(), "{url}: {body}");
                if field.is_some() && status == 400 {
                    assert_eq!(body["error"]["field"].as_str(), field, "{url}: {body}");
                }
                if field.is_none() && path.starts_with("/api/v1/") {
                    assert!(
                        [404, 403].contains(&status),
                        "{url}: an id that cannot be is not found: {status} {body}"
                    );
                }
            }
        }
    }
    assert!(tried > 40, "only {tried} requests tried");
    // Every operation that takes a JSON body: a body that is not JSON, or not sent as JSON,
    // gets the answer the document lists (400, 415).
    let token = app.csrf(&admin, "/account").await;
    let mut bodies = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else {
                continue;
            };
            if op.get("requestBody").is_none() {
                continue;
            }
            let url = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "1" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            for (kind, sent, want) in [
                ("application/json", "{not json", 400),
                ("text/plain", "{}", 415),
            ] {
                let r = admin
                    .request(
                        reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                        app.url(&url),
                    )
                    .header("x-csrf-token", &token)
                    .header("content-type", kind)
                    .body(sent)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                // An id in the path is read before the body: 1 may name nothing.
                let nothing_there = status == 404 && path.contains('{');
                assert!(
                    status == want || nothing_there,
                    "{method} {url} with {kind}: {status}"
                );
                assert!(
                    op["responses"].get(status.to_string()).is_some(),
                    "{method} {path}: {status} is not in the document"
                );
                bodies += 1;
            }
        }
    }
    assert!(bodies > 20, "only {bodies} bodies sent");
    // Pages: a page, not text/plain.
    for url in [
        "/proposals/99999999999999999999",
        "/spaces/not-an-id",
        "/sign-in?next=/a&next=/b",
        "/account?done=a&done=b",
        "/people/99999999999999999999",
        "/rounds/not-an-id",
        "/safeguarding/99999999999999999999",
    ] {
        let r = admin.get(app.url(url)).send().await.unwrap();
        let status = r.status().as_u16();
        if status == 303 {
            continue; // signed in already: sent on
        }
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(status < 500, "{url}: {status}");
        assert!(kind.starts_with("text/html"), "{url}: {status} {kind}");
    }
}
