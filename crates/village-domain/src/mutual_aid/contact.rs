//! Spotting contact details in what someone writes before both have said yes: an email
//! address, a phone number, a full postcode or a street address. Such a message is held
//! back, with a plain warning, so nobody's details reach a stranger by accident. It errs on
//! the side of holding: a false alarm costs a moment, a leak cannot be undone.

use crate::directory::geo::Postcode;

/// What was found, in words that finish "It looks like it has …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Email,
    Phone,
    Postcode,
    Address,
}

impl Found {
    pub fn words(self) -> &'static str {
        match self {
            Found::Email => "an email address",
            Found::Phone => "a phone number",
            Found::Postcode => "a full postcode",
            Found::Address => "a street address",
        }
    }
}

/// The fewest digits, read together, that are taken for a phone number (UK numbers have 10
/// or 11; a time, a price or a year has far fewer).
const PHONE_DIGITS: usize = 9;

/// Words that end a street's name.
const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "close",
    "drive",
    "dr",
    "crescent",
    "court",
    "ct",
    "gardens",
    "grove",
    "terrace",
    "mews",
    "square",
    "place",
    "parade",
    "boulevard",
];

/// The first kind of contact detail found in `text`, if any.
///
/// ```
/// use village_domain::mutual_aid::contact::{find, Found};
/// assert_eq!(find("Email me at anna.b@example.org"), Some(Found::Email));
/// assert_eq!(find("ring 07700 900123 after six"), Some(Found::Phone));
/// assert_eq!(find("call +44 (0)115-496-0000"), Some(Found::Phone));
/// assert_eq!(find("I live at NG7 2RD"), Some(Found::Postcode));
/// assert_eq!(find("come to 12a Oak Street"), Some(Found::Address));
/// assert_eq!(find("I'm near NG7, free after 10:30 on 12/12, about 3 bags"), None);
/// ```
pub fn find(text: &str) -> Option<Found> {
    if has_email(text) {
        return Some(Found::Email);
    }
    if has_phone(text) {
        return Some(Found::Phone);
    }
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if has_postcode(&words) {
        return Some(Found::Postcode);
    }
    if has_address(&words) {
        return Some(Found::Address);
    }
    None
}

fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';'))
        .any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            match w.split_once('@') {
                Some((user, host)) => {
                    !user.is_empty()
                        && host.contains('.')
                        && host.split('.').all(|part| !part.is_empty())
                }
                None => false,
            }
        })
}

/// Digits read as one number across the spaces, dashes, dots, brackets and plus signs
/// people write phone numbers with.
fn has_phone(text: &str) -> bool {
    let mut digits = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            if digits >= PHONE_DIGITS {
                return true;
            }
        } else if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+') {
            digits = 0;
        }
    }
    false
}

fn has_postcode(words: &[String]) -> bool {
    let whole = |w: &str| matches!(Postcode::parse(w), Ok(Postcode::Full(_)));
    words.iter().any(|w| w.len() >= 5 && whole(w))
        || words
            .windows(2)
            .any(|pair| pair[1].len() == 3 && whole(&format!("{} {}", pair[0], pair[1])))
}

/// A house number (`12`, `12a`) followed within three words by a street's last word.
fn has_address(words: &[String]) -> bool {
    let house_number = |w: &str| {
        let digits = w.chars().take_while(|c| c.is_ascii_digit()).count();
        (1..=4).contains(&digits) && w.len() - digits <= 1
    };
    words.iter().enumerate().any(|(i, w)| {
        house_number(w)
            && words
                .iter()
                .skip(i + 2)
                .take(3)
                .any(|n| STREET_WORDS.contains(&n.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_written_every_usual_way_are_found() {
        for (text, found) in [
            ("me@x.co", Found::Email),
            ("<sam@mail.example.com>", Found::Email),
            ("0115 496 0000", Found::Phone),
            ("07700900123", Found::Phone),
            ("07700-900-123", Found::Phone),
            ("+447700900123", Found::Phone),
            ("ng72rd", Found::Postcode),
            ("SW1A 1AA please", Found::Postcode),
            ("flat 3, 14 Bramble Close", Found::Address),
            ("I'm at 7 the Old Road", Found::Address),
        ] {
            assert_eq!(find(text), Some(found), "{text}");
        }
    }

    #[test]
    fn everyday_words_numbers_and_districts_pass() {
        for text in [
            "Happy to help on Tuesday at 2pm",
            "About 2 hours, 3 bags, £12.50",
            "I'm in NG7 near the park",
            "It's 12 minutes on the 35 bus",
            "My dog is 4 years old and likes long walks",
            "We met on 01/12/2026",
            "someone @ the café",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }
}
