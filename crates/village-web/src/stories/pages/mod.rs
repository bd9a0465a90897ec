//! Story pages, by concern: `tell` (telling a story, with "Check my words"), `story` (one
//! story as each reader sees it, the author's approval and withdrawal, a steward's
//! decision), `lists` (published stories, "Your stories", stories waiting for a steward).
//! What they share is here: a text shown with marks in it, and a story as a list shows it.

mod checked;
mod lists;
mod story;
mod tell;

pub(crate) use checked::*;
pub(crate) use lists::*;
pub(crate) use story::*;
pub(crate) use tell::*;

use crate::auth::{ClientAddress, MaybeSignedIn, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, field_errors, Errors, Layout, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use village_app::accounts::Identity;
use village_app::stories::{self as stories, Named};
use village_app::Error;
use village_domain::dates;
use village_domain::stories::story::{Audience, State as StoryState, ToldBy};
use village_store::stories::StoryRow;

/// A piece of a text as a page shows it: as written, marked (numbered, for the list under
/// it), taken out or put in.
pub struct Piece {
    pub text: String,
    /// `""`, `"mark"`, `"del"` or `"ins"`.
    pub tag: &'static str,
    /// For a mark: its number in the list.
    pub n: usize,
}

/// `text` in pieces, with each span (character offsets, in order, not overlapping; any that
/// overlaps the one before is left out) marked and numbered from 1.
fn marked(text: &str, spans: &[(usize, usize)]) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    let mut n = 0;
    for &(start, end) in spans {
        if start < at || end <= start || end > chars.len() {
            continue;
        }
        if start > at {
            out.push(Piece {
                text: chars[at..start].iter().collect(),
                tag: "",
                n: 0,
            });
        }
        n += 1;
        out.push(Piece {
            text: chars[start..end].iter().collect(),
            tag: "mark",
            n,
        });
        at = end;
    }
    if at < chars.len() {
        out.push(Piece {
            text: chars[at..].iter().collect(),
            tag: "",
            n: 0,
        });
    }
    out
}

/// Two versions of a text side by side, word by word: the first with what was taken out,
/// the second with what was put in.
fn side_by_side(before: &str, after: &str) -> (Vec<Piece>, Vec<Piece>) {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_words(before, after);
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let text = change.value().to_string();
        match change.tag() {
            ChangeTag::Equal => {
                left.push(Piece {
                    text: text.clone(),
                    tag: "",
                    n: 0,
                });
                right.push(Piece {
                    text,
                    tag: "",
                    n: 0,
                });
            }
            ChangeTag::Delete => left.push(Piece {
                text,
                tag: "del",
                n: 0,
            }),
            ChangeTag::Insert => right.push(Piece {
                text,
                tag: "ins",
                n: 0,
            }),
        }
    }
    (join_alike(left), join_alike(right))
}

/// Pieces next to each other with the same tag made one, and a space between two changes of
/// the same kind taken into them (a run of changed words reads as one change).
fn join_alike(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut pieces = pieces.into_iter().peekable();
    while let Some(p) = pieces.next() {
        let last_tag = out.last().map(|l| l.tag).unwrap_or("");
        let between_changes = p.tag.is_empty()
            && p.text.trim().is_empty()
            && !last_tag.is_empty()
            && pieces.peek().is_some_and(|next| next.tag == last_tag);
        match out.last_mut() {
            Some(last) if between_changes || (last.tag == p.tag && p.tag != "mark") => {
                last.text.push_str(&p.text)
            }
            _ => out.push(p),
        }
    }
    out
}

/// The groups and offers a story is about, as links to their pages: (link, name).
async fn about_links(
    state: &AppState,
    groups: &[String],
    offers: &[String],
) -> Result<Vec<(String, String)>, Error> {
    let enc = |id: &str| form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>();
    let mut out: Vec<(String, String)> = stories::group_names(state, groups)
        .await?
        .into_iter()
        .map(|g| (format!("/directory/groups/{}", enc(&g.id)), g.name))
        .collect();
    for o in stories::offer_names(state, offers).await? {
        out.push((format!("/directory/offers/{}", enc(&o.id)), o.name));
    }
    Ok(out)
}

/// A story as a list shows it.
pub struct StoryItem {
    id: i64,
    title: String,
    /// The first words of it.
    opening: String,
    by: String,
    when: String,
    state: &'static str,
    /// "Published 3 December 2026", or when it was sent.
    dated: String,
}

/// Themes by code, with the hub's names for them.
fn theme_names(state: &AppState, codes: &[String]) -> Vec<(String, String)> {
    codes
        .iter()
        .filter_map(|c| {
            village_domain::stories::themes::name(&state.settings.stories.themes, c)
                .map(|n| (c.clone(), n.to_string()))
        })
        .collect()
}

/// The first `n` words of a text, with "…" when there are more.
fn opening(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}

/// A story as a list shows it: the words as published once it is (for its author too),
/// before that its author's own.
fn item(row: &StoryRow) -> StoryItem {
    let (title, body) = if row.published_title.is_none() {
        (row.title.clone(), row.body.clone())
    } else {
        (
            row.published_title.clone().unwrap_or_default(),
            row.published_body.clone().unwrap_or_default(),
        )
    };
    StoryItem {
        id: row.id,
        title,
        opening: opening(&body, 40),
        by: row.screen_name.clone(),
        when: dates::month(row.happened_month.as_deref().unwrap_or_default()),
        state: row.state.words(),
        dated: match row.published_at {
            Some(t) if row.state == StoryState::Published => {
                format!("Published {}", dates::day_of(t))
            }
            _ => format!("Sent {}", dates::day_of(row.submitted_at)),
        },
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneParams {
    done: Option<String>,
}

/// The story pages: telling, reading, a steward's decision, the author's say, answers.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/stories", get(view_stories))
        .route("/stories.atom", get(crate::stories::feed::view_feed))
        .route("/stories/new", get(view_new_story).post(view_tell))
        .route("/stories/mine", get(view_my_stories))
        .route("/stories/review", get(view_review))
        .route("/stories/{id}", get(view_story))
        .route("/stories/glimpses", get(view_glimpses))
        .route("/stories/{id}/moderation", post(view_moderate))
        .route("/stories/{id}/curation", post(view_curate))
        .route("/stories/{id}/approve", post(view_approve))
        .route("/stories/{id}/answers", post(view_answer))
        .route(
            "/stories/{id}/answers/{answer}/release",
            post(view_release_answer),
        )
        .route("/stories/{id}/me-too", post(view_me_too))
        .route("/stories/{id}/follow-up", post(view_follow_up))
        .route(
            "/stories/{id}/withdraw",
            get(view_withdraw_confirm).post(view_withdraw),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.tag {
                "" => p.text.clone(),
                tag => format!(
                    "[{tag}{}:{}]",
                    if p.n > 0 {
                        p.n.to_string()
                    } else {
                        String::new()
                    },
                    p.text
                ),
            })
            .collect()
    }

    #[test]
    fn marks_are_numbered_and_overlaps_left_out() {
        let text = "Call Jó on 07700 900123 today";
        assert_eq!(
            shown(&marked(text, &[(5, 7), (6, 9), (11, 23)])),
            "Call [mark1:Jó] on [mark2:07700 900123] today"
        );
        assert_eq!(shown(&marked("abc", &[(1, 9)])), "abc");
    }

    #[test]
    fn changes_show_what_went_and_what_came() {
        let (l, r) = side_by_side(
            "Margaret at the club was rude to me",
            "A volunteer at the club was rude to me",
        );
        assert_eq!(shown(&l), "[del:Margaret] at the club was rude to me");
        assert_eq!(shown(&r), "[ins:A volunteer] at the club was rude to me");
        let (l, r) = side_by_side("Sue rang me on 07700 900123 to", "A volunteer rang me to");
        assert_eq!(shown(&l), "[del:Sue] rang me[del: on 07700 900123] to");
        assert_eq!(shown(&r), "[ins:A volunteer ]rang me to");
    }

    #[test]
    fn an_opening_is_the_first_words() {
        assert_eq!(opening("one two three", 2), "one two …");
    }
}
