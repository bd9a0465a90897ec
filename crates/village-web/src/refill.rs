//! Answers survive errors, on every form: when a form comes back with a problem (any 4xx
//! page answering a form sent to the hub), the form on that page that was sent is filled again
//! with every answer the person gave: words, numbers, choices, ticks and picks from a list.
//! Handlers need do nothing for it; `auth::csrf_guard`, which already holds the sent form,
//! calls [`keep_answers`] on the way out. Passwords are never sent back, and hidden fields
//! stay as the page made them.

use axum::body::Body;
use axum::http::header;
use axum::response::Response;
use lol_html::html_content::ContentType;
use lol_html::{element, HtmlRewriter, Settings};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// The largest page this fills again.
const MOST_BYTES: usize = 4 * 1024 * 1024;

/// Fill the sent form again on a problem page. Anything else passes unchanged.
pub async fn keep_answers(response: Response, path: &str, sent: &[u8]) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // Pages are far smaller; one that might not be is passed on as it is.
    let small = axum::body::HttpBody::size_hint(response.body())
        .upper()
        .is_some_and(|n| n <= MOST_BYTES as u64);
    if !response.status().is_client_error() || !is_html || !small {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let page = match axum::body::to_bytes(body, MOST_BYTES).await {
        Ok(page) => page,
        Err(e) => {
            tracing::warn!(path, error = %e, "could not read a problem page to fill it again");
            return Response::from_parts(parts, Body::empty());
        }
    };
    match refill(&page, path, sent) {
        Ok(html) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(html))
        }
        Err(e) => {
            tracing::warn!(path, error = %e, "could not fill a form again");
            Response::from_parts(parts, Body::from(page))
        }
    }
}

/// `html` with the form that posts to `path` filled from `sent` (a form body).
pub fn refill(html: &[u8], path: &str, sent: &[u8]) -> Result<Vec<u8>, String> {
    let mut answers: HashMap<String, Vec<String>> = HashMap::new();
    for (name, value) in form_urlencoded::parse(sent) {
        answers
            .entry(name.into_owned())
            .or_default()
            .push(value.into_owned());
    }
    let in_form = Rc::new(Cell::new(false));
    let select: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
    // How many text fields of each name have been filled, for names a form repeats.
    let filled: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
    let answers = &answers;
    let mut out = Vec::with_capacity(html.len() + 256);
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!("form", |el| {
                let action = el.get_attribute("action").unwrap_or_default();
                let target = action.split(['?', '#']).next().unwrap_or("");
                in_form.set(target.is_empty() || target == path);
                let flag = in_form.clone();
                if let Some(handlers) = el.end_tag_handlers() {
                    let end: lol_html::EndTagHandler<'static> =
                        Box::new(move |_: &mut lol_html::html_content::EndTag<'_>| {
                            flag.set(false);
                            Ok(())
                        });
                    handlers.push(end);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("input[name]", |el| {
                if !in_form.get() {
                    return Ok(());
                }
                let name = el.get_attribute("name").unwrap_or_default();
                let kind = el
                    .get_attribute("type")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                match kind.as_str() {
                    "password" | "hidden" | "submit" | "button" | "reset" | "image" | "file" => {}
                    "checkbox" | "radio" => {
                        let value = el.get_attribute("value").unwrap_or_else(|| "on".into());
                        let ticked = answers.get(&name).is_some_and(|v| v.contains(&value));
                        if ticked {
                            el.set_attribute("checked", "")?;
                        } else {
                            el.remove_attribute("checked");
                        }
                    }
                    _ => {
                        if let Some(value) = next_answer(answers, &filled, &name) {
                            el.set_attribute("value", &value.replace('&', "&amp;"))?;
                        }
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("textarea[name]", |el| {
                if in_form.get() {
                    let name = el.get_attribute("name").unwrap_or_default();
                    if let Some(value) = next_answer(answers, &filled, &name) {
                        el.set_inner_content(&value, ContentType::Text);
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("select[name]", |el| {
                if in_form.get() {
                    *select.borrow_mut() = el.get_attribute("name");
                    let current = select.clone();
                    if let Some(handlers) = el.end_tag_handlers() {
                        let end: lol_html::EndTagHandler<'static> =
                            Box::new(move |_: &mut lol_html::html_content::EndTag<'_>| {
                                *current.borrow_mut() = None;
                                Ok(())
                            });
                        handlers.push(end);
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("option", |el| {
                let Some(name) = select.borrow().clone() else {
                    return Ok(());
                };
                let Some(chosen) = answers.get(&name) else {
                    return Ok(());
                };
                let value = el.get_attribute("value").unwrap_or_default();
                if chosen.contains(&value) {
                    el.set_attribute("selected", "")?;
                } else {
                    el.remove_attribute("selected");
                }
                Ok(())
            })),
        |chunk: &[u8]| out.extend_from_slice(chunk),
    );
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The next answer sent under `name` for a text field (the first field of a name gets the
/// first answer, the second the second).
fn next_answer(
    answers: &HashMap<String, Vec<String>>,
    filled: &RefCell<HashMap<String, usize>>,
    name: &str,
) -> Option<String> {
    let values = answers.get(name)?;
    let mut filled = filled.borrow_mut();
    let n = filled.entry(name.to_string()).or_default();
    let value = values.get(*n).cloned();
    *n += 1;
    value
}

#[cfg(test)]
mod tests {
    use super::refill;

    fn filled(html: &str, path: &str, sent: &str) -> String {
        String::from_utf8(refill(html.as_bytes(), path, sent.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn every_kind_of_answer_comes_back_in_the_sent_form_only() {
        let page = r#"<form action="/sign-out" method="post"><input name="q" value="keep"></form>
<form method="post" action="/me/check-ins"><input type="hidden" name="moment" value="start">
<input name="happy" type="number"><input name="password" type="password">
<textarea name="changed"></textarea>
<input type="radio" name="stance" value="agree" checked><input type="radio" name="stance" value="block">
<input type="checkbox" name="bid" value="1"><input type="checkbox" name="bid" value="2" checked>
<select name="ring"><option value="close" selected>Close</option><option value="paid">Paid</option></select>
</form><input name="happy">"#;
        let sent = "moment=other&happy=11&password=secret&changed=New+job+%26+%3Cb%3Ebold%3C%2Fb%3E&stance=block&bid=1&ring=paid&q=no";
        let html = filled(page, "/me/check-ins", sent);
        assert!(html.contains(r#"<input name="q" value="keep">"#), "{html}");
        assert!(
            html.contains(r#"name="moment" value="start""#),
            "hidden stays"
        );
        assert!(
            html.contains(r#"<input name="happy" type="number" value="11">"#),
            "{html}"
        );
        assert!(!html.contains("secret"), "no password comes back");
        assert!(
            html.contains("New job &amp; &lt;b&gt;bold&lt;/b&gt;</textarea>"),
            "{html}"
        );
        assert!(
            html.contains(r#"value="agree">"#) && html.contains(r#"value="block" checked"#),
            "{html}"
        );
        assert!(
            html.contains(r#"value="1" checked"#) && html.contains(r#"value="2">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<option value="close">"#)
                && html.contains(r#"<option value="paid" selected="">"#),
            "{html}"
        );
        assert!(
            html.ends_with(r#"</form><input name="happy">"#),
            "outside the form: as it was"
        );
    }

    #[test]
    fn quotes_and_ampersands_come_back_as_typed() {
        let html = filled(
            r#"<form action="/x"><input name="a"></form>"#,
            "/x",
            "a=say+%22hi%22+%26amp%3B+bye",
        );
        assert!(
            html.contains(r#"value="say &quot;hi&quot; &amp;amp; bye""#),
            "{html}"
        );
    }

    #[test]
    fn repeated_names_fill_in_order() {
        let html = filled(
            r#"<form action="/x"><input name="t"><input name="t"><input name="t"></form>"#,
            "/x",
            "t=one&t=two",
        );
        assert!(
            html.contains(
                r#"<input name="t" value="one"><input name="t" value="two"><input name="t">"#
            ),
            "{html}"
        );
    }
}
