//! Stories on SQLite and PostgreSQL. So far: the framing helper's API marks every phrase
//! of its lexicon (and the hub's own entries) with character offsets into the text sent,
//! and never changes the text.
use serde_json::json;
use village_testkit::{on_both_backends, Backend, TestApp};

on_both_backends!(the_framing_helper_marks_words_and_suggests_others,);

async fn the_framing_helper_marks_words_and_suggests_others(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |s| {
        s.stories.framing = vec![village_domain::stories::framing::Entry {
            phrases: vec!["frequent flyer".into()],
            suggestion: "someone who often needs the service".into(),
            why: "It mocks the person.".into(),
            except: Vec::new(),
        }]
    })
    .await
    else {
        return;
    };
    let anna = app.member("anna@example.org", true).await;
    let text = "Café staff called us “service users” and frequent-flyers, just in case.";
    let (status, out) = app
        .post_json(
            &anna.client,
            "/api/v1/stories/framing",
            json!({ "text": text }),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let chars: Vec<char> = text.chars().collect();
    let flags = out["flags"].as_array().unwrap();
    let found: Vec<String> = flags
        .iter()
        .map(|f| {
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            let written: String = chars[s..e].iter().collect();
            assert_eq!(written, f["phrase"], "offsets are characters");
            written
        })
        .collect();
    assert_eq!(found, ["service users", "frequent-flyers"]);
    assert_eq!(
        flags[0]["suggestion"],
        "people who draw on care and support"
    );
    assert_eq!(flags[1]["why"], "It mocks the person.");

    let (status, body) = app
        .post_json(
            &anna.client,
            "/api/v1/stories/framing",
            json!({ "text": "x".repeat(20_001) }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("text"))
    );
    let (status, _) = app
        .post_json(
            &app.client(),
            "/api/v1/stories/framing",
            json!({ "text": "hi" }),
        )
        .await;
    assert_eq!(status, 401);
}
