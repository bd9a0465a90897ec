//! Safety marks: what a steward has checked about someone who helps in another person's home
//! or with personal care. A mark says what was seen, when, by whom and until when it holds;
//! never a certificate's number. [`missing`] is the one place that decides whether a helper
//! may take on a post that needs marks.

use super::matches::Parties;
use super::post::{Category, Kind};
use crate::dates;
use crate::error::{ErrorCode, FieldError};
use chrono::{Days, NaiveDate};

coded!(
    /// What a steward checked.
    #[schema(as = SafetyMark)]
    Mark, "safety mark" {
        MetInPerson => "Met in person by a steward",
        ReferencesTaken => "References taken",
        DbsBasicSeen => "Basic DBS check seen",
        DbsEnhancedSeen => "Enhanced DBS check seen",
    }
);

impl Mark {
    /// What the helper needs to do to get it, in plain words.
    pub fn how_to_get(self) -> &'static str {
        match self {
            Mark::MetInPerson => "meet a steward in person",
            Mark::ReferencesTaken => {
                "give a steward the names of two people who know you, so they can ask about you"
            }
            Mark::DbsBasicSeen => "show a steward your basic DBS check",
            Mark::DbsEnhancedSeen => "show a steward your enhanced DBS check",
        }
    }

    /// Whether holding `self` also does for `needed`: an enhanced DBS check includes all a
    /// basic one shows.
    pub fn covers(self, needed: Mark) -> bool {
        self == needed || (self == Mark::DbsEnhancedSeen && needed == Mark::DbsBasicSeen)
    }
}

/// A mark someone holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub mark: Mark,
    pub seen_on: NaiveDate,
    /// The first day it no longer holds, if it runs out.
    pub expires_on: Option<NaiveDate>,
}

impl Held {
    /// Whether it holds on `today`.
    pub fn holds_on(&self, today: NaiveDate) -> bool {
        self.seen_on <= today && self.expires_on.is_none_or(|end| today < end)
    }
}

/// Which marks help of each sort needs, as the hub set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// For help in someone's home.
    pub in_home: Vec<Mark>,
    /// For personal care, like washing or dressing.
    pub personal_care: Vec<Mark>,
    /// Categories that are always in someone's home, whether the post says so or not.
    pub in_home_categories: Vec<Category>,
    /// Categories that are always personal care.
    pub personal_care_categories: Vec<Category>,
}

/// What a post is, as far as safety goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostSafety {
    pub category: Category,
    pub in_home: bool,
    pub personal_care: bool,
}

impl Needs {
    /// Whether help on this post is in someone's home, and whether it is personal care (the
    /// post's own ticks, or its category as the hub sees it).
    pub fn sorts(&self, p: PostSafety) -> (bool, bool) {
        (
            p.in_home || self.in_home_categories.contains(&p.category),
            p.personal_care || self.personal_care_categories.contains(&p.category),
        )
    }

    /// The marks the helper on this post needs, each once, in a steady order.
    pub fn for_post(&self, p: PostSafety) -> Vec<Mark> {
        let (home, care) = self.sorts(p);
        Mark::ALL
            .iter()
            .copied()
            .filter(|m| {
                (home && self.in_home.contains(m)) || (care && self.personal_care.contains(m))
            })
            .collect()
    }
}

/// The needed marks the helper does not hold on `today` (none: they may go ahead).
///
/// ```
/// use village_domain::mutual_aid::safety::{missing, Held, Mark};
/// let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
/// let held = [Held { mark: Mark::DbsEnhancedSeen, seen_on: d("2026-01-05"), expires_on: Some(d("2027-01-05")) }];
/// assert!(missing(&[Mark::DbsBasicSeen], &held, d("2026-12-06")).is_empty());
/// assert_eq!(missing(&[Mark::DbsBasicSeen], &held, d("2027-01-05")), vec![Mark::DbsBasicSeen]);
/// ```
pub fn missing(needed: &[Mark], held: &[Held], today: NaiveDate) -> Vec<Mark> {
    needed
        .iter()
        .copied()
        .filter(|&n| !held.iter().any(|h| h.holds_on(today) && h.mark.covers(n)))
        .collect()
}

/// Who gives the help in a match: the one who answered an ask, the one who posted an offer.
pub fn helper_is(kind: Kind) -> Parties {
    match kind {
        Kind::Ask => Parties {
            poster: false,
            responder: true,
        },
        Kind::Offer => Parties {
            poster: true,
            responder: false,
        },
    }
}

/// Why someone cannot take on this help yet, in plain words, for the helper themselves
/// (`own`) or for the other person.
pub fn missing_words(missing: &[Mark], own: bool) -> String {
    let steps: Vec<&str> = missing.iter().map(|m| m.how_to_get()).collect();
    let list = match steps.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    };
    if own {
        format!(
            "This help is in someone's home or is personal care, so it needs some safety checks first. To take it on, {list}. A steward at the hub can do this with you."
        )
    } else {
        "This help is in someone's home or is personal care, and the helper has not had all the safety checks it needs yet. A steward at the hub can do them.".to_string()
    }
}

/// The longest a mark may hold from the day it was seen: DBS checks are usually looked at
/// again every three years; five is the most the hub accepts.
pub const LONGEST_HOLD_DAYS: u64 = 5 * 366;

/// A mark as a steward enters it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct MarkDraft<'a> {
    pub mark: &'a str,
    pub seen_on: &'a str,
    /// Empty: it does not run out.
    pub expires_on: &'a str,
}

impl MarkDraft<'_> {
    /// A mark, or every problem with it, each named by its field.
    pub fn check(&self, today: NaiveDate) -> Result<Held, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mark = Mark::parse(self.mark);
        if mark.is_none() {
            problems.push(FieldError::new(
                "mark",
                ErrorCode::MarkInvalid,
                "Choose which check was done.",
            ));
        }
        let seen_on = match dates::parse_day(self.seen_on) {
            Some(d) if d > today => {
                problems.push(FieldError::new(
                    "seen_on",
                    ErrorCode::DateInFuture,
                    "The day it was seen cannot be after today.",
                ));
                None
            }
            Some(d) => Some(d),
            None => {
                problems.push(FieldError::new(
                    "seen_on",
                    ErrorCode::DateInvalid,
                    "Give the day it was seen, like 10 December 2026.",
                ));
                None
            }
        };
        let expires_on = if self.expires_on.trim().is_empty() {
            None
        } else {
            match dates::parse_day(self.expires_on) {
                Some(d) => Some(d),
                None => {
                    problems.push(FieldError::new(
                        "expires_on",
                        ErrorCode::DateInvalid,
                        "Give the day it runs out, like 10 December 2029, or leave it empty.",
                    ));
                    None
                }
            }
        };
        if let (Some(seen), Some(end)) = (seen_on, expires_on) {
            if end <= seen {
                problems.push(FieldError::new(
                    "expires_on",
                    ErrorCode::TimeOrder,
                    "The day it runs out must be after the day it was seen.",
                ));
            } else if seen.checked_add_days(Days::new(LONGEST_HOLD_DAYS)) < Some(end) {
                problems.push(FieldError::new(
                    "expires_on",
                    ErrorCode::DateInvalid,
                    "A check can hold for five years at most. Give an earlier day.",
                ));
            }
        }
        match (mark, seen_on) {
            (Some(mark), Some(seen_on)) if problems.is_empty() => Ok(Held {
                mark,
                seen_on,
                expires_on,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn needs() -> Needs {
        Needs {
            in_home: vec![Mark::MetInPerson, Mark::ReferencesTaken],
            personal_care: vec![Mark::MetInPerson, Mark::DbsEnhancedSeen],
            in_home_categories: vec![Category::Repairs],
            personal_care_categories: vec![],
        }
    }

    #[test]
    fn a_post_needs_the_marks_of_each_sort_it_is_once_each() {
        let n = needs();
        let post = |category, in_home, personal_care| PostSafety {
            category,
            in_home,
            personal_care,
        };
        assert!(n
            .for_post(post(Category::Shopping, false, false))
            .is_empty());
        assert_eq!(
            n.for_post(post(Category::Shopping, true, false)),
            vec![Mark::MetInPerson, Mark::ReferencesTaken]
        );
        // Repairs are always in someone's home on this hub.
        assert_eq!(
            n.for_post(post(Category::Repairs, false, false)),
            vec![Mark::MetInPerson, Mark::ReferencesTaken]
        );
        assert_eq!(
            n.for_post(post(Category::Company, true, true)),
            vec![
                Mark::MetInPerson,
                Mark::ReferencesTaken,
                Mark::DbsEnhancedSeen
            ]
        );
    }

    #[test]
    fn a_mark_holds_from_the_day_seen_until_the_day_it_runs_out() {
        let h = Held {
            mark: Mark::MetInPerson,
            seen_on: d("2026-03-01"),
            expires_on: Some(d("2027-03-01")),
        };
        assert!(!h.holds_on(d("2026-02-28")));
        assert!(h.holds_on(d("2026-03-01")));
        assert!(h.holds_on(d("2027-02-28")));
        assert!(!h.holds_on(d("2027-03-01")));
        let forever = Held {
            expires_on: None,
            ..h
        };
        assert!(forever.holds_on(d("2090-01-01")));
    }

    #[test]
    fn only_an_enhanced_check_stands_in_for_another() {
        for &a in Mark::ALL {
            for &b in Mark::ALL {
                let expected = a == b || (a, b) == (Mark::DbsEnhancedSeen, Mark::DbsBasicSeen);
                assert_eq!(a.covers(b), expected, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_helper_is_who_answered_an_ask_and_who_posted_an_offer() {
        assert!(helper_is(Kind::Ask).responder && !helper_is(Kind::Ask).poster);
        assert!(helper_is(Kind::Offer).poster && !helper_is(Kind::Offer).responder);
    }

    #[test]
    fn the_words_say_each_missing_step() {
        let w = missing_words(&[Mark::MetInPerson, Mark::ReferencesTaken], true);
        assert!(
            w.contains("meet a steward in person, and give a steward"),
            "{w}"
        );
        assert!(!missing_words(&[Mark::MetInPerson], false).contains("meet"));
    }

    #[test]
    fn a_draft_names_every_field_with_a_problem() {
        let today = d("2026-12-06");
        let ok = MarkDraft {
            mark: "dbs_basic_seen",
            seen_on: "2026-12-01",
            expires_on: "2029-12-01",
        };
        assert_eq!(
            ok.check(today),
            Ok(Held {
                mark: Mark::DbsBasicSeen,
                seen_on: d("2026-12-01"),
                expires_on: Some(d("2029-12-01"))
            })
        );
        let fields = |draft: MarkDraft| -> Vec<&'static str> {
            draft
                .check(today)
                .unwrap_err()
                .into_iter()
                .map(|f| f.field)
                .collect()
        };
        assert_eq!(
            fields(MarkDraft {
                mark: "certificate_123",
                seen_on: "tomorrow",
                expires_on: "soon",
            }),
            ["mark", "seen_on", "expires_on"]
        );
        assert_eq!(
            fields(MarkDraft {
                seen_on: "2026-12-07",
                ..ok.clone()
            }),
            ["seen_on"]
        );
        assert_eq!(
            fields(MarkDraft {
                expires_on: "2026-12-01",
                ..ok.clone()
            }),
            ["expires_on"]
        );
        assert_eq!(
            fields(MarkDraft {
                expires_on: "2035-01-01",
                ..ok.clone()
            }),
            ["expires_on"]
        );
    }
}
