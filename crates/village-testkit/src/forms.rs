//! Reading a page's forms as a browser would send them: each form's address and method, and
//! every field with what it holds now (words, ticks, choices and picks from a list).
use std::cell::RefCell;
use std::rc::Rc;

/// One form on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    /// Where it is sent, entities decoded (`/me/check-ins`).
    pub action: String,
    /// `get` or `post`, in lower case.
    pub method: String,
    pub fields: Vec<Field>,
}

/// One field of a form, in page order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The input's `type` (`text` when none), or `textarea` or `select`.
    pub kind: String,
    /// What it holds: an input's value, a textarea's words; for a select, its picked
    /// option's value (the first when none is marked).
    pub value: String,
    /// For radios and checkboxes: ticked.
    pub checked: bool,
    /// For a select: each option's value.
    pub options: Vec<String>,
    pub min: Option<String>,
    pub max: Option<String>,
}

impl Field {
    /// A field a person types words or a number into (not hidden, a password, a choice or a
    /// file).
    pub fn is_typed(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "text" | "textarea" | "email" | "number" | "search" | "tel" | "url" | "date" | "time"
        )
    }
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// Every form on a page, with its fields (fields outside any form are left out).
pub fn forms(html: &str) -> Vec<Form> {
    use lol_html::{element, rewrite_str, text, RewriteStrSettings};
    let out: Rc<RefCell<Vec<Form>>> = Rc::default();
    // Inside a form; inside a textarea or an option (their words are being read).
    let open = Rc::new(RefCell::new(false));
    let reading: Rc<RefCell<Option<&'static str>>> = Rc::default();
    let (o_form, o_input, o_area, o_select, o_option, o_text) = (
        out.clone(),
        out.clone(),
        out.clone(),
        out.clone(),
        out.clone(),
        out.clone(),
    );
    let (f1, f2, f3, f4, f5) = (
        open.clone(),
        open.clone(),
        open.clone(),
        open.clone(),
        open.clone(),
    );
    let (r1, r2, r3) = (reading.clone(), reading.clone(), reading.clone());
    let end = |flag: Rc<RefCell<bool>>, el: &mut lol_html::html_content::Element<'_, '_>| {
        if let Some(handlers) = el.end_tag_handlers() {
            let h: lol_html::EndTagHandler<'static> =
                Box::new(move |_: &mut lol_html::html_content::EndTag<'_>| {
                    *flag.borrow_mut() = false;
                    Ok(())
                });
            handlers.push(h);
        }
    };
    let stop_reading = |r: Rc<RefCell<Option<&'static str>>>,
                        el: &mut lol_html::html_content::Element<'_, '_>| {
        if let Some(handlers) = el.end_tag_handlers() {
            let h: lol_html::EndTagHandler<'static> =
                Box::new(move |_: &mut lol_html::html_content::EndTag<'_>| {
                    *r.borrow_mut() = None;
                    Ok(())
                });
            handlers.push(h);
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("form", move |el| {
            o_form.borrow_mut().push(Form {
                action: decode(&el.get_attribute("action").unwrap_or_default()),
                method: el
                    .get_attribute("method")
                    .unwrap_or_else(|| "get".into())
                    .to_lowercase(),
                fields: Vec::new(),
            });
            *f1.borrow_mut() = true;
            end(f1.clone(), el);
            Ok(())
        }))
        .append_element_content_handler(element!("input[name]", move |el| {
            if !*f2.borrow() || el.get_attribute("form").is_some() {
                return Ok(());
            }
            let kind = el
                .get_attribute("type")
                .unwrap_or_else(|| "text".into())
                .to_lowercase();
            if matches!(kind.as_str(), "submit" | "button" | "reset" | "image") {
                return Ok(());
            }
            let field = Field {
                name: decode(&el.get_attribute("name").unwrap_or_default()),
                value: decode(&el.get_attribute("value").unwrap_or_else(|| {
                    if matches!(kind.as_str(), "checkbox" | "radio") {
                        "on".into()
                    } else {
                        String::new()
                    }
                })),
                checked: el.has_attribute("checked"),
                min: el.get_attribute("min"),
                max: el.get_attribute("max"),
                kind,
                options: Vec::new(),
            };
            if let Some(form) = o_input.borrow_mut().last_mut() {
                form.fields.push(field);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("textarea[name]", move |el| {
            if !*f3.borrow() || el.get_attribute("form").is_some() {
                return Ok(());
            }
            if let Some(form) = o_area.borrow_mut().last_mut() {
                form.fields.push(Field {
                    name: decode(&el.get_attribute("name").unwrap_or_default()),
                    kind: "textarea".into(),
                    ..Field::default()
                });
            }
            *r1.borrow_mut() = Some("textarea");
            stop_reading(r1.clone(), el);
            Ok(())
        }))
        .append_element_content_handler(element!("select[name]", move |el| {
            if !*f4.borrow() || el.get_attribute("form").is_some() {
                return Ok(());
            }
            if let Some(form) = o_select.borrow_mut().last_mut() {
                form.fields.push(Field {
                    name: decode(&el.get_attribute("name").unwrap_or_default()),
                    kind: "select".into(),
                    ..Field::default()
                });
            }
            Ok(())
        }))
        .append_element_content_handler(element!("option", move |el| {
            if !*f5.borrow() {
                return Ok(());
            }
            let mut all = o_option.borrow_mut();
            let Some(field) = all
                .last_mut()
                .and_then(|f| f.fields.last_mut())
                .filter(|f| f.kind == "select")
            else {
                return Ok(());
            };
            let value = el.get_attribute("value").map(|v| decode(&v));
            let has_value = value.is_some();
            field.options.push(value.unwrap_or_default());
            if el.has_attribute("selected") || field.options.len() == 1 {
                field.value = field.options.last().cloned().unwrap_or_default();
                field.checked = el.has_attribute("selected");
            }
            if !has_value {
                // An option with no value sends its words: read them.
                *r2.borrow_mut() = Some("option");
                stop_reading(r2.clone(), el);
            }
            Ok(())
        }))
        .append_element_content_handler(text!("textarea, option", move |t| {
            let what = *r3.borrow();
            let mut all = o_text.borrow_mut();
            let Some(field) = all.last_mut().and_then(|f| f.fields.last_mut()) else {
                return Ok(());
            };
            match what {
                Some("textarea") => field.value.push_str(t.as_str()),
                Some("option") => {
                    if let Some(last) = field.options.last_mut() {
                        last.push_str(t.as_str());
                    }
                }
                _ => {}
            }
            Ok(())
        }));
    rewrite_str(html, settings).expect("read a page's forms");
    let mut forms = out.borrow().clone();
    for form in &mut forms {
        for field in &mut form.fields {
            if field.kind == "select" && !field.checked {
                field.value = field.options.first().cloned().unwrap_or_default();
            }
            if field.kind == "textarea" {
                // A browser drops one new line straight after <textarea>.
                let v = decode(&field.value);
                field.value = v.strip_prefix('\n').unwrap_or(&v).to_string();
            }
        }
    }
    forms
}
