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
    if is_stop(&lower) {
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
    (!is_stop(&s)).then_some(s)
}

/// Whether a lower-case word is one of the [`STOP`] words (looked up in a set: matching
/// asks for every word of every offer it reads).
fn is_stop(word: &str) -> bool {
    static SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| STOP.iter().copied().collect());
    SET.contains(word)
}

/// The distinct comparable words of a text, in the order they first appear.
pub fn stems(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        if let Some(s) = stem(w) {
            if seen.insert(s.clone()) {
                out.push(s);
            }
        }
    }
    out
}

/// The distinct comparable words of a text, for asking whether a word is there.
pub fn stem_set(text: &str) -> std::collections::HashSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter_map(stem)
        .collect()
}

/// The word as it was first written in `text` for the stem `s` (to say it back in plain
/// words), or the stem itself.
pub fn as_written(text: &str, s: &str) -> String {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .find(|w| stem(w).as_deref() == Some(s))
        .map(|w| w.to_lowercase())
        .unwrap_or_else(|| s.to_string())
}

/// Where a comparable word lands in a [`signature`]: a stable hash (FNV-1a), one of 252 bits.
pub fn slot(stem: &str) -> (usize, i64) {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in stem.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let bit = usize::try_from(h % 252).unwrap_or(0);
    (bit / 63, 1i64 << (bit % 63))
}

/// A fingerprint of a text's comparable words in 4 × 63 bits: a word that is in the text
/// always has its bit set, so counting a person's words whose bits are set never undercounts
/// (it can overcount, rarely). Kept beside each offer so matching can bound the word score
/// without reading the record.
pub fn signature(text: &str) -> [i64; 4] {
    let mut sig = [0i64; 4];
    for s in stems(text) {
        let (word, bit) = slot(&s);
        sig[word] |= bit;
    }
    sig
}

/// Whether a signature may hold this comparable word (true whenever it does).
pub fn may_hold(sig: &[i64; 4], stem: &str) -> bool {
    let (word, bit) = slot(stem);
    sig[word] & bit != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_never_misses_a_word() {
        let text = "Gentle walks on flat paths, finishing with a cuppa and some singing.";
        let sig = signature(text);
        for s in stems(text) {
            assert!(may_hold(&sig, &s), "{s}");
        }
        assert!(sig.iter().all(|w| *w >= 0));
        assert_eq!(signature(""), [0; 4]);
    }

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
        // Every stop word is left out, as written and with an ending that leaves one.
        for word in STOP {
            assert_eq!(stem(word), None, "{word}");
        }
        assert_eq!(stem("Sessions"), None);
        assert_eq!(stem("opening"), None);
    }

    #[test]
    fn the_set_of_stems_holds_the_same_words() {
        let text = "Walking, walks and WALKING: a walk in the park with singing, \
                    then gardening and gardens. Join us; it is free! Bring everything.";
        let listed = stems(text);
        assert_eq!(listed, vec!["walk", "park", "sing", "garden"]);
        let set = stem_set(text);
        assert_eq!(set.len(), listed.len());
        assert!(listed.iter().all(|s| set.contains(s)));
        assert!(stem_set("").is_empty());
    }
}
