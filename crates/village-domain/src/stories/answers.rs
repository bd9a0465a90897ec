//! Answers to a published story, in public, from a group it names (its organisers) or from
//! the council (council officers): each says whether a change is `planned` or `made`, and a
//! later answer can update it. An answer that names the person who told the story is held
//! until a steward lets it show. Readers add "this happened to me too", one each.

use super::screen::{self, Kind, Names};
use super::story::State;

coded!(
    /// What an answer says about changing things.
    #[schema(as = StoryChange)]
    Change, "story change" {
        #[serde(rename = "none")]
        #[strum(serialize = "none")]
        NoChange => "No change yet",
        Planned => "A change is planned",
        Made => "A change was made",
    }
);

/// Who someone may answer a story as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerAs {
    /// A group the story names, which they organise (its ORUK id).
    Group(String),
    /// The council (a council officer).
    Council,
}

/// Who may answer a published story, and as whom: an organiser of a group it names answers
/// as the first such group; a council officer who organises none of them, as the council.
/// Nobody answers a story that is not published, nor their own.
pub fn answer_as(
    state: State,
    own_story: bool,
    organised_named_groups: &[String],
    council_officer: bool,
) -> Option<AnswerAs> {
    if state != State::Published || own_story {
        return None;
    }
    match organised_named_groups.first() {
        Some(g) => Some(AnswerAs::Group(g.clone())),
        None if council_officer => Some(AnswerAs::Council),
        None => None,
    }
}

/// Whether an answer names the person who told the story (any part of their account's name
/// of two letters or more, as a whole word, in any case): it is held for a steward.
pub fn names_the_teller(answer: &str, teller_name: &str) -> bool {
    let parts: Vec<String> = teller_name
        .split_whitespace()
        .filter(|p| p.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect();
    if parts.is_empty() {
        return false;
    }
    screen::screen(
        answer,
        &Names {
            known: vec![teller_name.to_string()],
            staff: Vec::new(),
        },
    )
    .iter()
    .filter(|m| m.kind == Kind::Name)
    .any(|m| {
        m.text
            .split_whitespace()
            .any(|w| parts.contains(&w.to_lowercase()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisers_of_named_groups_and_council_officers_answer_published_stories() {
        let g = vec!["g1".to_string(), "g2".to_string()];
        assert_eq!(
            answer_as(State::Published, false, &g, true),
            Some(AnswerAs::Group("g1".into()))
        );
        assert_eq!(
            answer_as(State::Published, false, &[], true),
            Some(AnswerAs::Council)
        );
        assert_eq!(answer_as(State::Published, false, &[], false), None);
        assert_eq!(answer_as(State::Published, true, &g, true), None);
        for s in [
            State::Submitted,
            State::AwaitingAuthor,
            State::Withheld,
            State::Withdrawn,
        ] {
            assert_eq!(answer_as(s, false, &g, true), None, "{s:?}");
        }
    }

    #[test]
    fn an_answer_naming_the_teller_is_found() {
        assert!(names_the_teller(
            "Thank you, Margaret, we have changed the times.",
            "Margaret Okafor"
        ));
        assert!(names_the_teller("Sorry Mrs OKAFOR.", "Margaret Okafor"));
        assert!(!names_the_teller(
            "Thank you for telling us. We have changed the times.",
            "Margaret Okafor"
        ));
        assert!(!names_the_teller("Thank you.", ""));
    }
}
