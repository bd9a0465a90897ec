//! Following a hub's pages as a person would (links only), and reading a page's words as a
//! person sees or hears them.
use crate::TestApp;
use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;

/// A page reached by following links.
#[derive(Debug, Clone)]
pub struct Reached {
    /// The path and query followed.
    pub url: String,
    /// How many clicks from the starting page.
    pub clicks: usize,
    pub status: u16,
    pub html: String,
}

/// The same-site page links on a page (no files, API, feeds or sign-out), without fragments.
pub fn page_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .map(|h| h.split('#').next().unwrap_or("").replace("&amp;", "&"))
        .filter(|h| {
            !h.is_empty()
                && !h.starts_with("/static/")
                && !h.starts_with("/api/")
                && !h.starts_with("/oruk")
                && !h.contains(".ics")
                && !h.contains(".csv")
                && !h.contains(".json")
                && !h.contains(".atom")
        })
        .collect()
}

/// A link's shape: its path with ids and numbers as `{id}`, and its query's names (not
/// values), so a crawl visits one page of each kind, not every offer or every filter value.
pub fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path: Vec<String> = path
        .split('/')
        .map(|seg| {
            let idlike = !seg.is_empty()
                && (seg.chars().all(|c| c.is_ascii_digit())
                    || (seg.len() >= 20 && seg.chars().all(|c| c.is_ascii_hexdigit() || c == '-')));
            if idlike {
                "{id}".to_string()
            } else {
                seg.to_string()
            }
        })
        .collect();
    let mut names: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    format!("{}?{}", path.join("/"), names.join("&"))
}

impl TestApp {
    /// Every page of a different shape (see [`shape`]) reached from `start` in at most
    /// `clicks` clicks, as `client` (signed in or not) sees it, at most `limit` pages.
    pub async fn crawl(
        &self,
        client: &reqwest::Client,
        start: &str,
        clicks: usize,
        limit: usize,
    ) -> Vec<Reached> {
        let mut seen: BTreeSet<String> = BTreeSet::from([shape(start)]);
        let mut queue = VecDeque::from([(start.to_string(), 0)]);
        let mut pages = Vec::new();
        while let Some((url, depth)) = queue.pop_front() {
            if pages.len() >= limit {
                break;
            }
            let r = client.get(self.url(&url)).send().await.expect("get a page");
            let status = r.status().as_u16();
            let html = r.text().await.unwrap_or_default();
            if status == 200 && depth < clicks {
                for link in page_links(&html) {
                    if link.starts_with("/sign-out") {
                        continue;
                    }
                    if seen.insert(shape(&link)) {
                        queue.push_back((link, depth + 1));
                    }
                }
            }
            pages.push(Reached {
                url,
                clicks: depth,
                status,
                html,
            });
        }
        pages
    }
}

/// The words of a page as a person meets them: its text (not scripts or styles, nor text
/// marked `<code>`: a name to find or type exactly, such as a cookie's), and the
/// text given in `alt`, `aria-label`, `title` and `placeholder`, entities decoded, one chunk
/// per line.
pub fn visible_text(html: &str) -> String {
    use lol_html::{element, rewrite_str, text, RewriteStrSettings};
    let out = Rc::new(RefCell::new(String::new()));
    let skip = Rc::new(RefCell::new(0usize));
    let (o1, o2) = (out.clone(), out.clone());
    let (s1, s2) = (skip.clone(), skip.clone());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("script, style, template, code", move |el| {
            *s1.borrow_mut() += 1;
            let s = s1.clone();
            if let Some(handlers) = el.end_tag_handlers() {
                let end: lol_html::EndTagHandler<'static> =
                    Box::new(move |_: &mut lol_html::html_content::EndTag<'_>| {
                        *s.borrow_mut() -= 1;
                        Ok(())
                    });
                handlers.push(end);
            }
            Ok(())
        }))
        .append_element_content_handler(element!(
            "[alt], [aria-label], [title], [placeholder]",
            move |el| {
                for name in ["alt", "aria-label", "title", "placeholder"] {
                    if let Some(v) = el.get_attribute(name) {
                        let mut o = o1.borrow_mut();
                        o.push_str(&v);
                        o.push('\n');
                    }
                }
                Ok(())
            }
        ))
        .append_element_content_handler(text!("*", move |t| {
            if *s2.borrow() == 0 {
                o2.borrow_mut().push_str(t.as_str());
                if t.last_in_text_node() {
                    o2.borrow_mut().push('\n');
                }
            }
            Ok(())
        }));
    rewrite_str(html, settings).expect("read a page's words");
    let text = out.borrow().clone();
    decode_entities(&text)
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The lines of a page's words that show a code where a person should read words: a JSON
/// fragment (`{"`), a `_` inside a word (a stored code such as `family_friends`), an id
/// (a UUID), or a machine date (`2026-12-04`). Each as "what: the line".
pub fn codes_shown(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let chars: Vec<char> = line.chars().collect();
        let what = if line.contains("{\"") {
            Some("JSON")
        } else if chars
            .windows(3)
            .any(|w| w[1] == '_' && w[0].is_alphanumeric() && w[2].is_alphanumeric())
        {
            Some("a code with _")
        } else if has_pattern(&chars, "hhhhhhhh-hhhh-hhhh") {
            Some("an id")
        } else if has_pattern(&chars, "dddd-dd-dd") {
            Some("a machine date")
        } else {
            None
        };
        if let Some(what) = what {
            let shown: String = line.chars().take(160).collect();
            found.push(format!("{what}: {shown}"));
        }
    }
    found
}

/// Whether `chars` holds `pattern` somewhere, where `h` is a hex digit, `d` a digit, and any
/// other character itself.
fn has_pattern(chars: &[char], pattern: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    chars.windows(p.len()).any(|w| {
        w.iter().zip(&p).all(|(c, p)| match p {
            'h' => c.is_ascii_hexdigit(),
            'd' => c.is_ascii_digit(),
            other => c == other,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_and_words_are_not() {
        let text = visible_text(
            r#"<main><h1>Choir</h1><p>Where they fit: family_friends</p>
            <p>[{&quot;byday&quot;:&quot;TH&quot;}]</p><p>Offer 00d00002-0000-4000-8000-000000000001</p>
            <p>Noted 2026-12-04</p><img alt="a_b"><script>var a_b = {"x": 1};</script>
            <p>4 December 2026, 2pm. Email sam.okafor@example.org, well-being</p></main>"#,
        );
        let found = codes_shown(&text);
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].starts_with("a code with _: Where they fit"));
        assert!(found[1].starts_with("JSON"));
        assert!(found[2].starts_with("an id"));
        assert!(found[3].starts_with("a machine date"));
        assert!(found[4].starts_with("a code with _: a_b"));
    }

    #[test]
    fn shapes_put_ids_and_filter_values_aside() {
        assert_eq!(
            shape("/directory/offers/00d00002-0000-4000-8000-000000000001/history"),
            "/directory/offers/{id}/history?"
        );
        assert_eq!(shape("/spaces/3?b=1&a=2&a=3"), "/spaces/{id}?a&b");
    }
}
