//! The words that matter to someone, in a form that can be compared with an offer's words:
//! lower case, common words left out, simple endings taken off ("gardening" and "gardens"
//! both become "garden").

/// Words too common to say anything about what someone would enjoy.
const STOP: &[&str] = &[
    "about",
    "after",
    "again",
    "also",
    "always",
    "anything",
    "around",
    "because",
    "been",
    "before",
    "being",
    "better",
    "both",
    "bring",
    "can't",
    "come",
    "comes",
    "could",
    "days",
    "does",
    "doing",
    "done",
    "don't",
    "each",
    "else",
    "enjoy",
    "enjoys",
    "even",
    "every",
    "everyone",
    "everything",
    "feel",
    "find",
    "from",
    "get",
    "gets",
    "getting",
    "give",
    "going",
    "good",
    "great",
    "group",
    "groups",
    "have",
    "having",
    "help",
    "helps",
    "here",
    "home",
    "into",
    "just",
    "keep",
    "kind",
    "know",
    "like",
    "likes",
    "little",
    "live",
    "lives",
    "long",
    "look",
    "lots",
    "love",
    "loves",
    "made",
    "make",
    "makes",
    "many",
    "matter",
    "matters",
    "meet",
    "meets",
    "more",
    "most",
    "much",
    "must",
    "need",
    "needs",
    "never",
    "nice",
    "once",
    "only",
    "other",
    "others",
    "over",
    "people",
    "person",
    "place",
    "really",
    "right",
    "same",
    "should",
    "some",
    "someone",
    "something",
    "sometimes",
    "still",
    "such",
    "sure",
    "take",
    "talk",
    "tell",
    "than",
    "that",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "time",
    "times",
    "together",
    "very",
    "want",
    "wants",
    "week",
    "weekly",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "without",
    "would",
    "year",
    "years",
    "your",
    "yours",
    "welcome",
    "everybody",
    "friendly",
    "local",
    "session",
    "sessions",
    "free",
    "join",
    "open",
];

/// One word made comparable: lower case, a trailing "ing" or plural "s" taken off when
/// enough is left. `None` for short or common words.
pub fn stem(word: &str) -> Option<String> {
    let lower = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if lower.chars().count() < 4 || !lower.chars().all(char::is_alphabetic) {
        return None;
    }
    if STOP.contains(&lower.as_str()) {
        return None;
    }
    let mut s = lower;
    if let Some(base) = s.strip_suffix("ing") {
        if base.chars().count() >= 4 {
            s = base.to_string();
        }
    } else if let Some(base) = s.strip_suffix('s') {
        if base.chars().count() >= 4 && !base.ends_with('s') {
            s = base.to_string();
        }
    }
    (!STOP.contains(&s.as_str())).then_some(s)
}

/// The distinct comparable words of a text, in the order they first appear.
pub fn stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        if let Some(s) = stem(w) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// The word as it was first written in `text` for the stem `s` (to say it back in plain
/// words), or the stem itself.
pub fn as_written(text: &str, s: &str) -> String {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .find(|w| stem(w).as_deref() == Some(s))
        .map(|w| w.to_lowercase())
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_and_common_words() {
        assert_eq!(stem("Gardening"), Some("garden".into()));
        assert_eq!(stem("gardens"), Some("garden".into()));
        assert_eq!(stem("garden"), Some("garden".into()));
        assert_eq!(stem("Singing,"), Some("sing".into()));
        assert_eq!(stem("carers"), Some("carer".into()));
        assert_eq!(stem("class"), Some("class".into()));
        assert_eq!(stem("the"), None);
        assert_eq!(stem("people"), None);
        assert_eq!(stem("1234"), None);
        assert_eq!(
            stems("I love singing and my garden; gardening keeps me going."),
            vec!["sing".to_string(), "garden".to_string()]
        );
        assert_eq!(as_written("Gardening keeps me well", "garden"), "gardening");
    }
}
