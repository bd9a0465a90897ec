//! "Check my words", as a page shows it: each part of a piece of writing (a story and its
//! title, a conversation note, a proposal) with the words the framing helper marked, numbered,
//! and a list under it of what to say instead and why; for a story, what could tell people
//! who someone is. The same piece is on every form that offers the helper
//! (`templates/stories/checked.html`).

use super::{marked, Piece};
use village_domain::stories::framing::Flag;
use village_domain::stories::screen::Mark;

/// A word or phrase "Check my words" marked, as the list under the text shows it.
pub struct Suggestion {
    pub n: usize,
    pub phrase: String,
    pub suggestion: String,
    pub why: String,
}

/// One part of the writing, checked: its words with the marks in them, and the ideas.
pub struct CheckedPart {
    /// Which part, as the page names it ("In your story").
    pub heading: &'static str,
    pub pieces: Vec<Piece>,
    pub suggestions: Vec<Suggestion>,
}

/// What "Check my words" found, for the page.
pub struct CheckShown {
    /// Only the parts with something marked, in the form's order.
    pub parts: Vec<CheckedPart>,
    /// What could tell people who someone is: (the words, what they are).
    pub identifying: Vec<(String, &'static str)>,
}

impl CheckShown {
    /// Each part's heading, its text as written, and what the helper marked in it.
    pub fn new(parts: Vec<(&'static str, &str, Vec<Flag>)>, marks: Vec<Mark>) -> Self {
        let mut identifying: Vec<(String, &'static str)> = Vec::new();
        for m in marks {
            let seen = (m.text, m.kind.words());
            if !identifying.contains(&seen) {
                identifying.push(seen);
            }
        }
        CheckShown {
            parts: parts
                .into_iter()
                .filter(|(_, _, flags)| !flags.is_empty())
                .map(|(heading, text, flags)| {
                    let spans: Vec<(usize, usize)> =
                        flags.iter().map(|f| (f.start, f.end)).collect();
                    CheckedPart {
                        heading,
                        pieces: marked(text, &spans),
                        suggestions: flags
                            .into_iter()
                            .enumerate()
                            .map(|(i, f)| Suggestion {
                                n: i + 1,
                                phrase: f.phrase,
                                suggestion: f.suggestion,
                                why: f.why,
                            })
                            .collect(),
                    }
                })
                .collect(),
            identifying,
        }
    }

    /// Nothing to suggest.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty() && self.identifying.is_empty()
    }
}
