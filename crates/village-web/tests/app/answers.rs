//! Answers survive errors, on every form: signed out and as each demo person, every form that
//! sends something (followed to as a person would, by links) is filled in whole, every field
//! changed from what the page showed (words, numbers, a pick from each list, the last of each
//! set of choices, every tick turned over), with one answer wrong (far too long); the hub
//! must refuse it with a problem and show the form again with every other answer as it was
//! sent. (A choice can make a field not apply, as "no" does to the words about lived
//! experience: a form that takes the changed choices is sent again with its choices as they
//! were.) Passwords are never shown again, so they are not looked for.
use std::collections::BTreeSet;
use village_testkit::{forms, on_both_backends, shape, Backend, Field, Form, TestApp};

on_both_backends!(every_form_keeps_every_other_answer_when_one_is_wrong);

/// What a wrong answer is: far longer than any field takes.
fn too_long() -> String {
    "x".repeat(60_000)
}

/// A new answer for a typed field, different from what it held and unique to the field.
fn typed_answer(f: &Field, n: usize) -> String {
    match f.kind.as_str() {
        "email" => format!("kept{n}@example.org"),
        "number" => f.min.clone().unwrap_or_else(|| "3".into()),
        "date" => "2027-03-04".into(),
        "time" => "10:30".into(),
        "tel" => format!("07700 900{:03}", n % 1000),
        "url" => format!("https://example.org/kept/{n}"),
        "textarea" => format!("Kept words {n}\nand a second line"),
        _ => format!("Kept answer {n}"),
    }
}

/// What a person sends: every field changed, and which field is wrong (by its place in the
/// form). `None` when the form has no field to type a wrong answer into, or nothing else to
/// keep.
fn fill(form: &Form, change_choices: bool) -> Option<(Vec<(String, String)>, usize)> {
    let wrong = form
        .fields
        .iter()
        .position(|f| matches!(f.kind.as_str(), "text" | "textarea" | "search" | "email"))?;
    let kept = form
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| *i != wrong && !matches!(f.kind.as_str(), "hidden" | "password" | "file"))
        .count();
    if kept == 0 {
        return None;
    }
    let mut sent = Vec::new();
    // The last choice of each set of radios.
    let mut last_radio = std::collections::BTreeMap::new();
    for (i, f) in form.fields.iter().enumerate() {
        if f.kind == "radio" {
            last_radio.insert(f.name.clone(), i);
        }
    }
    for (i, f) in form.fields.iter().enumerate() {
        let value = match f.kind.as_str() {
            _ if i == wrong => Some(too_long()),
            "hidden" => Some(f.value.clone()),
            "password" => Some("not the password".to_string()),
            "file" => None,
            "radio" if !change_choices => f.checked.then(|| f.value.clone()),
            "radio" => (last_radio.get(&f.name) == Some(&i)).then(|| f.value.clone()),
            // Turn every tick over.
            "checkbox" => (!f.checked).then(|| f.value.clone()),
            "select" => Some(
                f.options
                    .iter()
                    .rev()
                    .find(|o| !o.is_empty() && **o != f.value)
                    .or(f.options.first())
                    .cloned()
                    .unwrap_or_default(),
            ),
            _ => Some(typed_answer(f, i)),
        };
        if let Some(v) = value {
            sent.push((f.name.clone(), v));
        }
    }
    Some((sent, wrong))
}

/// The answers a form shows, as a browser would send them: (name, value) in page order.
fn shown(form: &Form) -> Vec<(String, String)> {
    form.fields
        .iter()
        .filter(|f| !matches!(f.kind.as_str(), "radio" | "checkbox") || f.checked)
        .map(|f| (f.name.clone(), f.value.clone()))
        .collect()
}

async fn every_form_keeps_every_other_answer_when_one_is_wrong(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    village_app::demo::load(&app.store, village_app::now())
        .await
        .unwrap();
    let people = [
        None,
        Some("grace@meadowfield.example"),
        Some("sam.okafor@meadowfield.example"),
        Some("bronwen@meadowfield.example"),
        Some("david.chen@meadowfield.example"),
        Some("admin@meadowfield.example"),
    ];
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut checked = BTreeSet::new();
    for who in people {
        let client = match who {
            Some(email) => app.demo_person(email).await,
            None => app.client(),
        };
        let who = who.unwrap_or("someone signed out");
        let pages = app.crawl(&client, "/", 3, 600).await;
        for page in pages.iter().filter(|p| p.status == 200) {
            for form in forms(&page.html) {
                let action = if form.action.is_empty() {
                    page.url.clone()
                } else {
                    form.action.clone()
                };
                if form.method != "post"
                    || action.contains("sign-out")
                    || !seen.insert(shape(&action))
                {
                    continue;
                }
                let Some((mut sent, wrong)) = fill(&form, true) else {
                    continue;
                };
                checked.insert(shape(&action));
                let send = |sent: Vec<(String, String)>| {
                    let (client, action, from) = (&client, &action, &page.url);
                    let app = &app;
                    async move {
                        let r = client
                            .post(app.url(action))
                            .header("referer", app.url(from))
                            .form(&sent)
                            .send()
                            .await
                            .unwrap();
                        (r.status().as_u16(), r.text().await.unwrap_or_default())
                    }
                };
                let (mut status, mut html) = send(sent.clone()).await;
                if (200..400).contains(&status) && form.fields.iter().any(|f| f.kind == "radio") {
                    if let Some((again, _)) = fill(&form, false) {
                        sent = again;
                        (status, html) = send(sent.clone()).await;
                    }
                }
                let field = &form.fields[wrong].name;
                if !(400..500).contains(&status) {
                    problems.push(format!(
                        "{who}: {action} (from {}) answered {status} to {field} 60,000 letters long",
                        page.url
                    ));
                    continue;
                }
                let Some(again) = forms(&html).into_iter().find(|f| f.action == form.action) else {
                    problems.push(format!(
                        "{who}: {action} (from {}): the problem page has no form to fix it in",
                        page.url
                    ));
                    continue;
                };
                let back = shown(&again);
                let lost: Vec<String> = sent
                    .iter()
                    .filter(|(name, value)| {
                        *value != too_long()
                            && form.fields.iter().any(|f| {
                                &f.name == name && !matches!(f.kind.as_str(), "hidden" | "password")
                            })
                    })
                    .filter(|pair| !back.contains(pair))
                    .map(|(name, value)| format!("{name}={value:?}"))
                    .collect();
                // A tick turned off must come back off.
                let unticked: Vec<String> = form
                    .fields
                    .iter()
                    .filter(|f| f.kind == "checkbox" && f.checked)
                    .filter(|f| back.contains(&(f.name.clone(), f.value.clone())))
                    .map(|f| format!("{}={:?} ticked again", f.name, f.value))
                    .collect();
                if !lost.is_empty() || !unticked.is_empty() {
                    problems.push(format!(
                        "{who}: {action} (from {}) lost {lost:?} {unticked:?}",
                        page.url
                    ));
                }
            }
        }
    }
    eprintln!("{} forms checked: {checked:?}", checked.len());
    assert!(checked.len() >= 25, "only {} forms reached", checked.len());
    assert!(problems.is_empty(), "{problems:#?}");
}
