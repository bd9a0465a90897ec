//! The pre-screen a steward sees beside a story before anyone else reads it: what could
//! identify someone. Email addresses, phone numbers, full postcodes, NHS numbers, exact
//! dates, ages, links, and names (the author's own, the staff and members of the groups the
//! story names, and common given names). It only marks: the steward decides. It errs on the
//! side of marking: a false alarm costs a glance, a person named cannot be unnamed.
//!
//! Offsets are in characters, not bytes.

use crate::directory::geo::Postcode;
use serde::Serialize;
use utoipa::ToSchema;

mod names;
use names::{ALSO_WORDS, GIVEN_NAMES};

/// What a mark is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Email,
    Phone,
    Postcode,
    NhsNumber,
    Date,
    Age,
    Link,
    Name,
    /// The name of someone who runs a group the story is about: the staff naming rule
    /// applies (spoken of badly, their job title; kindly, their first name only).
    StaffName,
}

impl Kind {
    /// Words that finish "This looks like …".
    pub fn words(self) -> &'static str {
        match self {
            Kind::Email => "an email address",
            Kind::Phone => "a phone number",
            Kind::Postcode => "a full postcode",
            Kind::NhsNumber => "an NHS number",
            Kind::Date => "an exact date",
            Kind::Age => "someone's age",
            Kind::Link => "a link",
            Kind::Name => "a name",
            Kind::StaffName => "the name of someone who runs the group: if it speaks badly of them, use their job title; if kindly, their first name only",
        }
    }
}

/// Something in a story that could identify someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Mark {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// The words as they are written.
    pub text: String,
}

/// Names to look for besides common given names: the author's own (from their account),
/// and the names of the people who run the groups the story names (`staff`, marked as
/// such). Matched in any case, word by word.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub known: Vec<String>,
    pub staff: Vec<String>,
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Endings of web addresses written without `http` or `www`.
const WEB_ENDINGS: &[&str] = &[
    "com", "org", "net", "uk", "io", "info", "gov", "nhs", "co", "app", "me", "org.uk", "co.uk",
];

/// The fewest digits, read together, that are taken for a phone number.
const PHONE_DIGITS: usize = 9;

/// A piece of the text between spaces, without the punctuation around it.
#[derive(Debug, Clone)]
struct Chunk {
    text: String,
    lower: String,
    start: usize,
    end: usize,
    /// The first piece of a sentence (at the start, or after `.`, `!`, `?` or a new line).
    opens_sentence: bool,
}

fn chunks(chars: &[char]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut sentence_start = true;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            if chars[i] == '\n' {
                sentence_start = true;
            }
            i += 1;
            continue;
        }
        let from = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let edge = |c: &char| !c.is_alphanumeric() && !matches!(c, '+' | '@');
        let mut start = from;
        let mut end = i;
        while start < end && edge(&chars[start]) {
            start += 1;
        }
        while end > start && edge(&chars[end - 1]) && chars[end - 1] != '/' {
            end -= 1;
        }
        let ends_sentence = chars[from..i]
            .iter()
            .rev()
            .take_while(|c| !c.is_alphanumeric())
            .any(|c| matches!(c, '.' | '!' | '?'));
        if start < end {
            let text: String = chars[start..end].iter().collect();
            out.push(Chunk {
                lower: text.to_lowercase(),
                text,
                start,
                end,
                opens_sentence: sentence_start,
            });
        }
        sentence_start = ends_sentence;
    }
    out
}

/// Whether ten digits are a valid NHS number (modulus 11, as NHS Digital describes it).
fn nhs_valid(digits: &[u32]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, d)| d * (10 - i as u32))
        .sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == digits[9]
}

/// Runs of digits read together across spaces, dashes, dots, brackets and plus signs: a
/// phone number, or an NHS number when it is ten digits with a valid check digit.
fn numbers(chars: &[char], marks: &mut Vec<(Kind, usize, usize)>) {
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_ascii_digit() || chars[i] == '+') {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = Vec::new();
        let mut last_digit = i;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j];
            if let Some(d) = c.to_digit(10) {
                digits.push(d);
                last_digit = j;
            } else if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+')
                || (c == ' ' && chars.get(j + 1) == Some(&' '))
            {
                break;
            }
            j += 1;
        }
        if digits.len() >= PHONE_DIGITS {
            let kind = if nhs_valid(&digits) {
                Kind::NhsNumber
            } else {
                Kind::Phone
            };
            marks.push((kind, start, last_digit + 1));
        }
        i = j.max(i + 1);
    }
}

fn is_email(c: &Chunk) -> bool {
    match c.lower.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && host.split('.').all(|p| !p.is_empty())
        }
        None => false,
    }
}

fn is_link(c: &Chunk) -> bool {
    let l = &c.lower;
    if l.contains("://") || l.starts_with("www.") {
        return true;
    }
    if l.contains('@') {
        return false;
    }
    let host = l.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels[0].chars().any(|c| c.is_ascii_alphabetic())
        && labels[0].len() >= 2
        && WEB_ENDINGS.iter().any(|e| {
            host.ends_with(&format!(".{e}"))
                && host.len() > e.len() + 1
                && !host[..host.len() - e.len() - 1].is_empty()
        })
}

fn day_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &s[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn is_month(s: &str) -> bool {
    MONTHS.contains(&s.trim_end_matches('.'))
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// `12/03/2024`, `12-3-24`, `12.03.2024`, `2024-03-12`, `12/03`.
fn numeric_date(s: &str) -> bool {
    for sep in ['/', '-', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        let all_digits = parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if !all_digits || parts.len() < 2 {
            continue;
        }
        let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let dm = |d: u32, m: u32| (1..=31).contains(&d) && (1..=12).contains(&m);
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 => return dm(n[2], n[1]) && d.len() <= 2,
            [d, m, y] if d.len() <= 2 && m.len() <= 2 && (y.len() == 2 || y.len() == 4) => {
                return dm(n[0], n[1]) || dm(n[1], n[0])
            }
            [d, m] if sep == '/' && d.len() <= 2 && m.len() <= 2 => {
                return dm(n[0], n[1]) || dm(n[1], n[0])
            }
            _ => {}
        }
    }
    false
}

fn dates(cs: &[Chunk], marks: &mut Vec<(Kind, usize, usize)>) {
    let mut i = 0;
    while i < cs.len() {
        let c = &cs[i];
        if numeric_date(&c.lower) {
            marks.push((Kind::Date, c.start, c.end));
            i += 1;
            continue;
        }
        // 12 March (2024), 12th of March
        if day_number(&c.lower).is_some() {
            let mut k = i + 1;
            if cs.get(k).is_some_and(|n| n.lower == "of") {
                k += 1;
            }
            if cs.get(k).is_some_and(|n| is_month(&n.lower)) {
                let mut end = cs[k].end;
                if cs.get(k + 1).is_some_and(|n| is_year(&n.lower)) {
                    end = cs[k + 1].end;
                    k += 1;
                }
                marks.push((Kind::Date, c.start, end));
                i = k + 1;
                continue;
            }
        }
        // March 12(th) (2024): the month with a capital letter ("may" is also a word).
        let capital = c.text.chars().next().is_some_and(char::is_uppercase);
        if is_month(&c.lower) && capital {
            if let Some(n) = cs.get(i + 1).filter(|n| day_number(&n.lower).is_some()) {
                let mut end = n.end;
                let mut k = i + 1;
                if cs.get(k + 1).is_some_and(|y| is_year(&y.lower)) {
                    end = cs[k + 1].end;
                    k += 1;
                }
                marks.push((Kind::Date, c.start, end));
                i = k + 1;
                continue;
            }
        }
        i += 1;
    }
}

fn age_number(s: &str) -> bool {
    s.len() <= 3
        && s.chars().all(|c| c.is_ascii_digit())
        && s.parse::<u32>().is_ok_and(|n| n <= 120)
}

fn ages(cs: &[Chunk], marks: &mut Vec<(Kind, usize, usize)>) {
    for (i, c) in cs.iter().enumerate() {
        let next = cs.get(i + 1);
        let after = cs.get(i + 2);
        // aged 82, age 82
        if matches!(c.lower.as_str(), "aged" | "age") {
            if let Some(n) = next.filter(|n| age_number(&n.lower)) {
                marks.push((Kind::Age, c.start, n.end));
                continue;
            }
        }
        // 82-year-old, 82-years-old
        let parts: Vec<&str> = c.lower.split('-').collect();
        if let [n, y, "old"] = parts.as_slice() {
            if age_number(n) && matches!(*y, "year" | "years" | "yr" | "yrs") {
                marks.push((Kind::Age, c.start, c.end));
                continue;
            }
        }
        // 82 years old, 82 yrs, 82 yo
        if age_number(&c.lower) {
            match (
                next.map(|n| n.lower.as_str()),
                after.map(|a| a.lower.as_str()),
            ) {
                (Some("years" | "year" | "yrs" | "yr"), Some("old")) => {
                    marks.push((Kind::Age, c.start, cs[i + 2].end));
                }
                (Some("yo" | "y/o"), _) => marks.push((Kind::Age, c.start, cs[i + 1].end)),
                _ => {}
            }
        }
    }
}

/// The words of names, to match in any case.
fn name_words(names: &[String]) -> Vec<String> {
    names
        .iter()
        .flat_map(|n| n.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 2)
        .collect()
}

fn names(cs: &[Chunk], who: &Names, marks: &mut Vec<(Kind, usize, usize)>) {
    let known = name_words(&who.known);
    let staff = name_words(&who.staff);
    for c in cs {
        // A possessive or a plural is still the name: "Anna's".
        let word = c
            .lower
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_string();
        let end = c.start + word.chars().count();
        if !word.chars().all(char::is_alphabetic) {
            continue;
        }
        let capital = c.text.chars().next().is_some_and(char::is_uppercase);
        let found = known.contains(&word)
            || (capital && GIVEN_NAMES.contains(&word.as_str()))
            || (capital && !c.opens_sentence && ALSO_WORDS.contains(&word.as_str()));
        if staff.contains(&word) {
            marks.push((Kind::StaffName, c.start, end));
        } else if found {
            marks.push((Kind::Name, c.start, end));
        }
    }
}

/// Everything in `text` that could identify someone, in order; where two marks overlap,
/// the first (the longer, when they start together) is kept.
///
/// ```
/// use village_domain::stories::screen::{screen, Kind, Names};
/// let marks = screen("Ring Anna on 07700 900123 or see www.example.org", &Names::default());
/// let kinds: Vec<Kind> = marks.iter().map(|m| m.kind).collect();
/// assert_eq!(kinds, [Kind::Name, Kind::Phone, Kind::Link]);
/// ```
pub fn screen(text: &str, who: &Names) -> Vec<Mark> {
    let chars: Vec<char> = text.chars().collect();
    let cs = chunks(&chars);
    let mut marks: Vec<(Kind, usize, usize)> = Vec::new();
    for c in &cs {
        if is_email(c) {
            marks.push((Kind::Email, c.start, c.end));
        } else if is_link(c) {
            marks.push((Kind::Link, c.start, c.end));
        }
    }
    // Postcodes: one piece (`NG72RD`) or two (`NG7 2RD`).
    let full = |s: &str| matches!(Postcode::parse(s), Ok(Postcode::Full(_)));
    for (i, c) in cs.iter().enumerate() {
        if c.lower.len() >= 5 && c.lower.chars().all(char::is_alphanumeric) && full(&c.lower) {
            marks.push((Kind::Postcode, c.start, c.end));
        } else if let Some(n) = cs.get(i + 1) {
            if n.lower.len() == 3 && full(&format!("{} {}", c.lower, n.lower)) {
                marks.push((Kind::Postcode, c.start, n.end));
            }
        }
    }
    numbers(&chars, &mut marks);
    dates(&cs, &mut marks);
    ages(&cs, &mut marks);
    names(&cs, who, &mut marks);
    // Emails and links first where they overlap anything else (an email holds digits).
    let rank = |k: Kind| match k {
        Kind::Email | Kind::Link => 0,
        Kind::NhsNumber | Kind::Postcode => 1,
        _ => 2,
    };
    marks.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then(b.2.cmp(&a.2))
            .then(rank(a.0).cmp(&rank(b.0)))
    });
    let mut kept: Vec<(Kind, usize, usize)> = Vec::new();
    for m in marks {
        match kept.last_mut() {
            Some(last) if m.1 < last.2 => {
                // Overlapping: an email or a link holds whatever is inside it.
                if rank(m.0) < rank(last.0) && m.2 >= last.2 {
                    *last = m;
                }
            }
            _ => kept.push(m),
        }
    }
    kept.into_iter()
        .map(|(kind, start, end)| Mark {
            kind,
            start,
            end,
            text: chars[start..end].iter().collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
