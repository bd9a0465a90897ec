//! The framing helper: it marks words and phrases that describe people by what they lack
//! ("service users", "bed blockers", "suffering from") and suggests strengths-based words, each
//! with a short reason. It never changes the text: the person decides.
//!
//! A phrase matches whole words in any case, in its simple plural and inflected forms
//! ("service user" finds "Service Users", "suffer from" finds "suffering from"), across
//! spaces and hyphens ("wheelchair bound" finds "wheelchair-bound"), never across other
//! punctuation. Offsets are in characters, not bytes. Where two flags overlap, the one that
//! starts first (the longer, when they start together) is kept. The hub can add entries of
//! its own (`Entry` is read from settings).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One entry of the lexicon: the phrases it finds (base forms), what to say instead, why,
/// and phrases where a match is left alone ("in case" is not a caseload).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub phrases: Vec<String>,
    pub suggestion: String,
    pub why: String,
    #[serde(default)]
    pub except: Vec<String>,
}

/// The starting lexicon (phrases → suggestion → why; phrases left alone).
const STARTING: &[(&[&str], &str, &str, &[&str])] = &[
    (
        &["service user"],
        "people who draw on care and support",
        "Who someone is, is not a service.",
        &[],
    ),
    (
        &[
            "the vulnerable",
            "vulnerable adult",
            "vulnerable people",
            "vulnerable person",
        ],
        "people (and say what support they want)",
        "It defines people by what they lack.",
        &[],
    ),
    (
        &["care package", "package of care"],
        "support, or the support I choose",
        "People want a life, not a package.",
        &[],
    ),
    (
        &["bed blocker", "bed blocking"],
        "people waiting to go home",
        "It blames the person for a system that is not working.",
        &[],
    ),
    (
        &["burden"],
        "describe the support, and who gives it",
        "It speaks of people as a weight, not as people.",
        &[],
    ),
    (
        &["suffer from", "victim of"],
        "living with, or has",
        "It makes people passive, and defines them by it.",
        &[],
    ),
    (
        &["wheelchair bound", "confined to a wheelchair"],
        "uses a wheelchair",
        "A wheelchair gives freedom; it does not confine.",
        &[],
    ),
    (
        &["the elderly"],
        "older people",
        "It sets people apart as others.",
        &[],
    ),
    (
        &["the disabled", "the handicapped", "handicapped"],
        "disabled people",
        "Put people first, with respect.",
        &[],
    ),
    (
        &["placement"],
        "home, or where they live",
        "It is the language of institutions.",
        &[],
    ),
    (
        &["case", "caseload"],
        "the people I work alongside",
        "People are not cases.",
        &[
            "in case",
            "in any case",
            "just in case",
            "is the case",
            "was the case",
            "in the case of",
            "the case for",
            "a case of",
            "case study",
            "pillow case",
            "suit case",
            "suitcase",
            "staircase",
            "bookcase",
            "showcase",
        ],
    ),
    (
        &["non compliant", "noncompliant", "non compliance"],
        "chose differently",
        "People have the right to choose.",
        &[],
    ),
    (
        &["challenging behaviour", "challenging behavior"],
        "distressed behaviour",
        "It puts the problem inside the person, not in what is happening to them.",
        &[],
    ),
    (
        &["ticking time bomb", "crisis", "catastrophe"],
        "the change we can make together",
        "Crisis messages make people feel nothing can change.",
        &["crisis line", "crisis team", "crisis café", "crisis cafe"],
    ),
];

/// The starting lexicon, as entries.
pub fn starting() -> Vec<Entry> {
    STARTING
        .iter()
        .map(|(phrases, suggestion, why, except)| Entry {
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
            suggestion: suggestion.to_string(),
            why: why.to_string(),
            except: except.iter().map(|p| p.to_string()).collect(),
        })
        .collect()
}

/// A phrase found in a text, with what to say instead and why. `start` and `end` are
/// character offsets (`end` is one past the last character).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Flag {
    pub start: usize,
    pub end: usize,
    /// The words as they are written in the text.
    pub phrase: String,
    pub suggestion: String,
    pub why: String,
}

/// A word of the text: lower case (curly apostrophes made straight), and where it is.
#[derive(Debug, Clone)]
struct Token {
    word: String,
    start: usize,
    end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// The words of a text, with character offsets; a hyphen splits words.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut index = 0;
    for c in text.chars() {
        if is_word_char(c) {
            let entry = current.get_or_insert_with(|| (index, String::new()));
            for l in c.to_lowercase() {
                entry.1.push(if l == '’' { '\'' } else { l });
            }
        } else if let Some((start, word)) = current.take() {
            out.push(trimmed(start, word, index));
        }
        index += 1;
    }
    if let Some((start, word)) = current.take() {
        out.push(trimmed(start, word, index));
    }
    out.retain(|t| !t.word.is_empty());
    out
}

/// A token without apostrophes at its edges (quotes, not part of the word).
fn trimmed(start: usize, word: String, end: usize) -> Token {
    let leading = word.chars().take_while(|c| *c == '\'').count();
    let trailing = word.chars().rev().take_while(|c| *c == '\'').count();
    let keep = word.chars().count().saturating_sub(leading + trailing);
    Token {
        word: word.chars().skip(leading).take(keep).collect(),
        start: start + leading,
        end: end - trailing,
    }
}

/// Whether `token` is `word` or one of its simple plural or inflected forms.
fn inflects(token: &str, word: &str) -> bool {
    if token == word {
        return true;
    }
    if let Some(rest) = token.strip_prefix(word) {
        if matches!(rest, "s" | "es" | "'s" | "s'" | "ed" | "ing") {
            return true;
        }
        // A doubled last letter: "ship" → "shipped".
        let mut chars = rest.chars();
        if let (Some(again), Some(last)) = (chars.next(), word.chars().last()) {
            if again == last && matches!(chars.as_str(), "ed" | "ing") {
                return true;
            }
        }
    }
    if let Some(stem) = word.strip_suffix('y') {
        if let Some(rest) = token.strip_prefix(stem) {
            return matches!(rest, "ies" | "ied");
        }
    }
    if let Some(stem) = word.strip_suffix('e') {
        if let Some(rest) = token.strip_prefix(stem) {
            return rest == "ing";
        }
    }
    false
}

/// Spans (token index ranges) where `phrase` matches: consecutive tokens, each an
/// inflection of the phrase's word, with only spaces or hyphens between them.
fn spans(text: &[char], toks: &[Token], phrase: &[Token]) -> Vec<(usize, usize)> {
    let n = phrase.len();
    if n == 0 || toks.len() < n {
        return Vec::new();
    }
    let joined = |a: &Token, b: &Token| {
        text[a.end..b.start]
            .iter()
            .all(|c| c.is_whitespace() || *c == '-' || *c == '‐' || *c == '–')
    };
    (0..=toks.len() - n)
        .filter(|&i| {
            (0..n).all(|j| inflects(&toks[i + j].word, &phrase[j].word))
                && (1..n).all(|j| joined(&toks[i + j - 1], &toks[i + j]))
        })
        .map(|i| (toks[i].start, toks[i + n - 1].end))
        .collect()
}

/// An entry read into words: its phrases, the entry, and the phrases it leaves alone.
type Read = (Vec<Vec<Token>>, Entry, Vec<Vec<Token>>);

/// A lexicon ready to read texts with.
#[derive(Debug, Clone)]
pub struct Lexicon {
    entries: Vec<Read>,
}

impl Lexicon {
    /// The starting lexicon with the hub's own entries added after it.
    pub fn new(extra: &[Entry]) -> Self {
        let words = |phrases: &[String]| -> Vec<Vec<Token>> {
            phrases
                .iter()
                .map(|p| tokens(p))
                .filter(|t| !t.is_empty())
                .collect()
        };
        Lexicon {
            entries: starting()
                .into_iter()
                .chain(extra.iter().cloned())
                .map(|e| (words(&e.phrases), words(&e.except), e))
                .map(|(phrases, except, e)| (phrases, e, except))
                .collect(),
        }
    }

    /// Every phrase of the lexicon found in `text`, in order.
    ///
    /// ```
    /// use village_domain::stories::framing::Lexicon;
    /// let flags = Lexicon::new(&[]).check("Our Service Users were wheelchair-bound, just in case.");
    /// let found: Vec<&str> = flags.iter().map(|f| f.phrase.as_str()).collect();
    /// assert_eq!(found, ["Service Users", "wheelchair-bound"]);
    /// assert_eq!(flags[0].suggestion, "people who draw on care and support");
    /// ```
    pub fn check(&self, text: &str) -> Vec<Flag> {
        let chars: Vec<char> = text.chars().collect();
        let toks = tokens(text);
        let mut found: Vec<Flag> = Vec::new();
        for (phrases, entry, except) in &self.entries {
            let left_alone: Vec<(usize, usize)> = except
                .iter()
                .flat_map(|p| spans(&chars, &toks, p))
                .collect();
            for phrase in phrases {
                for (start, end) in spans(&chars, &toks, phrase) {
                    if left_alone.iter().any(|&(s, e)| s <= start && end <= e) {
                        continue;
                    }
                    found.push(Flag {
                        start,
                        end,
                        phrase: chars[start..end].iter().collect(),
                        suggestion: entry.suggestion.clone(),
                        why: entry.why.clone(),
                    });
                }
            }
        }
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<Flag> = Vec::new();
        for flag in found {
            if kept.last().is_none_or(|k| flag.start >= k.end) {
                kept.push(flag);
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(text: &str) -> Vec<String> {
        Lexicon::new(&[])
            .check(text)
            .into_iter()
            .map(|f| f.phrase)
            .collect()
    }

    /// Every phrase of the starting lexicon, in its base form and in plural and inflected
    /// forms, in capitals and with hyphens, is found; and only where it is.
    #[test]
    fn every_phrase_is_found_in_its_forms() {
        let cases: &[(&str, &[&str])] = &[
            (
                "service user",
                &["service users", "Service User's", "SERVICE USERS"],
            ),
            ("the vulnerable", &["The Vulnerable"]),
            ("vulnerable adult", &["vulnerable adults"]),
            ("care package", &["care packages", "Care Package"]),
            (
                "bed blocker",
                &["bed blockers", "bed-blockers", "Bed-blocking"],
            ),
            ("burden", &["burdens", "burdened", "Burden"]),
            (
                "suffer from",
                &["suffering from", "suffers from", "suffered from"],
            ),
            ("victim of", &["victims of", "Victim of"]),
            (
                "wheelchair bound",
                &["wheelchair-bound", "Wheelchair Bound"],
            ),
            ("confined to a wheelchair", &["confined to a wheelchair"]),
            ("the elderly", &["the Elderly"]),
            ("the disabled", &["The disabled"]),
            ("the handicapped", &["the handicapped"]),
            ("placement", &["placements", "Placement"]),
            ("case", &["cases", "Case"]),
            ("caseload", &["caseloads"]),
            (
                "non compliant",
                &["non-compliant", "Non-Compliant", "noncompliant"],
            ),
            (
                "challenging behaviour",
                &["challenging behaviours", "challenging behavior"],
            ),
            (
                "ticking time bomb",
                &["ticking time-bomb", "ticking time bombs"],
            ),
            ("crisis", &["Crisis"]),
            ("catastrophe", &["catastrophes"]),
        ];
        for (base, forms) in cases {
            for text in std::iter::once(base).chain(forms.iter()) {
                let written = format!("Some words, then {text}. Then more.");
                assert_eq!(phrases(&written), [*text], "{written:?}");
            }
        }
        // Every entry of the starting lexicon is covered above.
        for entry in starting() {
            for p in &entry.phrases {
                let covered = cases.iter().any(|(base, forms)| {
                    base == p
                        || forms
                            .iter()
                            .any(|f| f.to_lowercase().replace('-', " ") == *p)
                }) || !phrases(p).is_empty();
                assert!(covered, "{p} is never tried");
            }
        }
    }

    #[test]
    fn only_whole_words_and_never_across_punctuation() {
        for text in [
            "A showcase of our work, a bookcase and a suitcase.",
            "Bring a pillow case, just in case, in any case.",
            "Our staff were unburdened.",
            "The service. User groups met.",
            "The bed, blocker of the door.",
            "He was wheelchair, bound for the coast.",
            "Call the crisis line if you need to.",
            "Briefcases and cased glass.",
        ] {
            assert_eq!(phrases(text), Vec::<String>::new(), "{text:?}");
        }
    }

    #[test]
    fn offsets_are_characters_and_the_text_is_never_changed() {
        let text = "Café owners ‘service users’ and the elderly.";
        let flags = Lexicon::new(&[]).check(text);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(flags.len(), 2);
        for f in &flags {
            let slice: String = chars[f.start..f.end].iter().collect();
            assert_eq!(slice, f.phrase);
        }
        assert_eq!(flags[0].phrase, "service users");
        assert_eq!(flags[1].phrase, "the elderly");
    }

    #[test]
    fn overlapping_phrases_give_one_flag_and_the_hub_can_add_its_own() {
        assert_eq!(phrases("the vulnerable adults"), ["the vulnerable"]);
        let extra = Entry {
            phrases: vec!["frequent flyer".into()],
            suggestion: "someone who often needs the service".into(),
            why: "It mocks the person.".into(),
            except: Vec::new(),
        };
        let flags = Lexicon::new(&[extra]).check("She was called a frequent flyer.");
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].why, "It mocks the person.");
        assert_eq!(
            phrases("She was called a frequent flyer."),
            Vec::<String>::new()
        );
    }
}
