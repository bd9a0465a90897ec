//! An ask or an offer on the board: what it is, roughly where and when, how soon, and how
//! long it stays up. [`Draft::check`] is the one place a post is made valid, for pages and
//! the API alike.

use crate::dates;
use crate::error::{ErrorCode, FieldError};
use chrono::{Days, NaiveDate};

coded!(
    /// Asking for help, or offering it.
    #[schema(as = HelpKind)]
    Kind, "help post kind" {
        Ask => "Asking for help",
        Offer => "Offering help",
    }
);

impl Kind {
    /// The words on the button that answers a post of this kind.
    pub fn respond_label(self) -> &'static str {
        match self {
            Kind::Ask => "I can help with this",
            Kind::Offer => "I'd like this",
        }
    }

    /// One word for lists.
    pub fn short(self) -> &'static str {
        match self {
            Kind::Ask => "Ask",
            Kind::Offer => "Offer",
        }
    }
}

coded!(
    /// What sort of help.
    #[schema(as = HelpCategory)]
    Category, "help category" {
        Shopping => "Shopping and errands",
        Lifts => "Lifts",
        Company => "Company and a chat",
        Repairs => "Small repairs",
        Gardening => "Gardening",
        Digital => "Help with computers and phones",
        Paperwork => "Forms and letters",
        Cooking => "Cooking",
        Pets => "Pets",
        Other => "Something else",
    }
);

coded!(
    /// How soon it is needed.
    #[schema(as = HelpUrgency)]
    Urgency, "help urgency" {
        Today => "Today",
        ThisWeek => "This week",
        Anytime => "Any time",
    }
);

coded!(
    /// Whether the post is still on the board. An open post past its end date is shown as
    /// ended without a change of state (`Post::is_up`).
    #[schema(as = HelpPostState)]
    PostState, "help post state" {
        Open => "Open",
        Closed => "Closed",
    }
);

/// When the help is for: one day, a few days, or ongoing. Days only: a time is agreed in
/// messages, never shown on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Ongoing,
    On(NaiveDate),
    Between(NaiveDate, NaiveDate),
}

/// The longest a range of days may run.
pub const LONGEST_RANGE_DAYS: u64 = 92;
/// How far ahead a day may be.
pub const FURTHEST_AHEAD_DAYS: u64 = 366;

impl When {
    /// As the API sends it: `ongoing`, a day (`2026-12-10`) or a range of days
    /// (`2026-12-10/2026-12-14`, as ISO 8601 writes an interval).
    ///
    /// ```
    /// use village_domain::mutual_aid::post::When;
    /// let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    /// assert_eq!(When::parse("ongoing"), Ok(When::Ongoing));
    /// assert_eq!(When::parse("2026-12-10"), Ok(When::On(d("2026-12-10"))));
    /// assert_eq!(When::parse("2026-12-10/2026-12-14"), Ok(When::Between(d("2026-12-10"), d("2026-12-14"))));
    /// assert!(When::parse("next week").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<When, &'static str> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("ongoing") {
            return Ok(When::Ongoing);
        }
        let day = |s: &str| dates::parse_day(s).ok_or("Give the day like 10 December 2026.");
        match text.split_once('/') {
            Some((from, to)) if from.trim().len() >= 8 && to.trim().len() >= 8 => {
                Ok(When::Between(day(from)?, day(to)?))
            }
            _ => Ok(When::On(day(text)?)),
        }
    }

    /// From the page's fields: which of the three, and the days typed.
    pub fn from_form(choice: &str, on: &str, from: &str, to: &str) -> Result<When, FieldError> {
        let day = |field: &'static str, s: &str| {
            dates::parse_day(s).ok_or_else(|| {
                FieldError::new(
                    field,
                    ErrorCode::DateInvalid,
                    "Give the day like 10 December 2026.",
                )
            })
        };
        match choice.trim() {
            "" | "ongoing" => Ok(When::Ongoing),
            "on" => Ok(When::On(day("when_on", on)?)),
            "between" => Ok(When::Between(day("when_from", from)?, day("when_to", to)?)),
            _ => Err(FieldError::new(
                "when",
                ErrorCode::DateInvalid,
                "Choose one day, a few days, or ongoing.",
            )),
        }
    }

    /// Kept as two days, either or both empty.
    pub fn stored(self) -> (Option<String>, Option<String>) {
        match self {
            When::Ongoing => (None, None),
            When::On(d) => (Some(d.to_string()), None),
            When::Between(a, b) => (Some(a.to_string()), Some(b.to_string())),
        }
    }

    /// Read back from the two stored days (anything unreadable is ongoing: it never hides a
    /// post).
    pub fn from_stored(from: Option<&str>, to: Option<&str>) -> When {
        let day = |s: Option<&str>| s.and_then(|s| s.parse::<NaiveDate>().ok());
        match (day(from), day(to)) {
            (Some(a), Some(b)) => When::Between(a, b),
            (Some(a), None) => When::On(a),
            _ => When::Ongoing,
        }
    }

    /// As the API sends it back.
    pub fn code(self) -> String {
        match self {
            When::Ongoing => "ongoing".into(),
            When::On(d) => d.to_string(),
            When::Between(a, b) => format!("{a}/{b}"),
        }
    }

    /// In words: "On 10 December 2026", "10 December 2026 to 14 December 2026", "Any time".
    pub fn words(self) -> String {
        let day = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        match self {
            When::Ongoing => "Any time".into(),
            When::On(d) => format!("On {}", day(d)),
            When::Between(a, b) => format!("{} to {}", day(a), day(b)),
        }
    }

    /// The last day it is for, if it has one.
    pub fn last_day(self) -> Option<NaiveDate> {
        match self {
            When::Ongoing => None,
            When::On(d) | When::Between(_, d) => Some(d),
        }
    }

    fn check(self, today: NaiveDate, field: &'static str) -> Result<When, FieldError> {
        let wrong = |code, words: &str| Err(FieldError::new(field, code, words));
        let furthest = today.checked_add_days(Days::new(FURTHEST_AHEAD_DAYS));
        match self {
            When::Ongoing => Ok(self),
            When::On(d) | When::Between(d, _) if d < today => wrong(
                ErrorCode::DateInvalid,
                "That day has passed. Choose today or a day after it.",
            ),
            When::Between(a, b) if b < a => wrong(
                ErrorCode::TimeOrder,
                "The last day must be on or after the first day.",
            ),
            When::Between(a, b) if a.checked_add_days(Days::new(LONGEST_RANGE_DAYS)) < Some(b) => {
                wrong(
                    ErrorCode::DateInvalid,
                    "Keep it to three months or less. For longer, choose ongoing.",
                )
            }
            _ if self.last_day() > furthest => {
                wrong(ErrorCode::DateInvalid, "Choose a day within the next year.")
            }
            _ => Ok(self),
        }
    }
}

/// How long a post stays up unless the person says otherwise.
pub const UP_FOR_DAYS: i64 = 30;
/// The longest a post may stay up before it is renewed.
pub const LONGEST_UP_DAYS: i64 = 90;
pub const TITLE_MAX: usize = 100;
pub const DETAILS_MAX: usize = 2_000;
pub const AREA_MAX: usize = 60;

/// When, as sent: the API's one value, or the page's choice and days.
#[derive(Debug, Clone)]
pub enum WhenInput {
    /// `ongoing`, a day, or a range of days (see [`When::parse`]); empty is ongoing.
    Code(String),
    /// `ongoing`, `on` or `between`, and the days typed.
    Form {
        choice: String,
        on: String,
        from: String,
        to: String,
    },
}

impl Default for WhenInput {
    fn default() -> Self {
        WhenInput::Code(String::new())
    }
}

impl WhenInput {
    /// Read and check it, naming the field that holds the problem.
    fn read(&self, today: NaiveDate) -> Result<When, FieldError> {
        match self {
            WhenInput::Code(code) => When::parse(code)
                .map_err(|words| FieldError::new("when", ErrorCode::DateInvalid, words))?
                .check(today, "when"),
            WhenInput::Form {
                choice,
                on,
                from,
                to,
            } => {
                let w = When::from_form(choice, on, from, to)?;
                let field = match w {
                    When::On(_) => "when_on",
                    _ => "when_from",
                };
                w.check(today, field)
            }
        }
    }
}

/// What someone typed or sent to post on the board.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub kind: String,
    pub category: String,
    pub title: String,
    pub details: String,
    pub when: WhenInput,
    pub area: String,
    pub urgency: String,
    /// Days it stays up (empty: [`UP_FOR_DAYS`]).
    pub up_for_days: String,
    pub many_times: bool,
    pub in_home: bool,
    pub personal_care: bool,
    /// Post in the name of this group in the directory (its id), as one of its organisers;
    /// empty for the member's own name. Whether the poster organises it is the app's to say.
    pub group: String,
}

/// A post that can go on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub kind: Kind,
    pub category: Category,
    pub title: String,
    pub details: String,
    pub when: When,
    /// As typed (a hub's area or a postcode district); the app places it.
    pub area: String,
    pub urgency: Urgency,
    pub up_for_days: i64,
    /// Only offers can be done many times.
    pub many_times: bool,
    pub in_home: bool,
    pub personal_care: bool,
}

impl Draft {
    /// Every problem at once, each naming its field.
    pub fn check(&self, today: NaiveDate) -> Result<Post, Vec<FieldError>> {
        let mut problems = Vec::new();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            problems.push(FieldError::new(
                "kind",
                ErrorCode::InvalidKind,
                "Choose whether you are asking for help or offering it.",
            ));
        }
        let category = Category::parse(&self.category);
        if category.is_none() {
            problems.push(FieldError::new(
                "category",
                ErrorCode::CategoryUnknown,
                "Choose what sort of help it is.",
            ));
        }
        let title = crate::text::check("title", &self.title, true, TITLE_MAX, "a few words")
            .map_err(|e| problems.push(e))
            .unwrap_or_default();
        let details = crate::text::check("details", &self.details, false, DETAILS_MAX, "")
            .map_err(|e| problems.push(e))
            .unwrap_or_default();
        let when = self
            .when
            .read(today)
            .map_err(|e| problems.push(e))
            .unwrap_or(When::Ongoing);
        let area = crate::text::check("area", &self.area, false, AREA_MAX, "")
            .map_err(|e| problems.push(e))
            .unwrap_or_default();
        let urgency = if self.urgency.trim().is_empty() {
            Some(Urgency::Anytime)
        } else {
            Urgency::parse(&self.urgency)
        };
        if urgency.is_none() {
            problems.push(FieldError::new(
                "urgency",
                ErrorCode::UrgencyUnknown,
                "Choose today, this week or any time.",
            ));
        }
        let up_for_days = match self.up_for_days.trim() {
            "" => Some(UP_FOR_DAYS),
            n => n
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=LONGEST_UP_DAYS).contains(d)),
        };
        if up_for_days.is_none() {
            problems.push(FieldError::new(
                "up_for_days",
                ErrorCode::InvalidDays,
                format!("Give a number of days from 1 to {LONGEST_UP_DAYS}."),
            ));
        }
        match (kind, category, urgency, up_for_days) {
            (Some(kind), Some(category), Some(urgency), Some(up_for_days))
                if problems.is_empty() =>
            {
                Ok(Post {
                    kind,
                    category,
                    title,
                    details,
                    when,
                    area,
                    urgency,
                    up_for_days,
                    many_times: self.many_times && kind == Kind::Offer,
                    in_home: self.in_home,
                    personal_care: self.personal_care,
                })
            }
            _ => Err(problems),
        }
    }
}

/// Whether a post can still be answered: open and not past its end.
pub fn is_up(state: PostState, expires_at: i64, now: i64) -> bool {
    state == PostState::Open && now < expires_at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn draft() -> Draft {
        Draft {
            kind: "ask".into(),
            category: "lifts".into(),
            title: " A lift to the hospital ".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn a_plain_ask_is_ongoing_any_time_and_up_for_thirty_days() {
        let p = draft().check(today()).unwrap();
        assert_eq!(p.kind, Kind::Ask);
        assert_eq!(p.category, Category::Lifts);
        assert_eq!(p.title, "A lift to the hospital");
        assert_eq!(p.when, When::Ongoing);
        assert_eq!(p.urgency, Urgency::Anytime);
        assert_eq!(p.up_for_days, 30);
    }

    #[test]
    fn every_problem_is_named_by_its_field_at_once() {
        let d = Draft {
            kind: "lend".into(),
            category: "cars".into(),
            title: "  ".into(),
            urgency: "soon".into(),
            up_for_days: "400".into(),
            when: WhenInput::Code("2026-12-05".into()),
            ..Draft::default()
        };
        let fields: Vec<&str> = d
            .check(today())
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "kind",
                "category",
                "title",
                "when",
                "urgency",
                "up_for_days"
            ]
        );
    }

    #[test]
    fn days_must_be_ahead_in_order_and_within_reach() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let check = |w| When::check(w, today(), "when");
        assert!(check(When::On(d("2026-12-06"))).is_ok());
        assert!(check(When::On(d("2026-12-05"))).is_err());
        assert!(check(When::Between(d("2026-12-10"), d("2026-12-09"))).is_err());
        assert!(check(When::Between(d("2026-12-10"), d("2027-03-13"))).is_err());
        assert!(check(When::Between(d("2026-12-10"), d("2027-03-12"))).is_ok());
        assert!(check(When::On(d("2027-12-08"))).is_err());
    }

    #[test]
    fn only_offers_are_done_many_times() {
        let mut d = draft();
        d.many_times = true;
        assert!(!d.check(today()).unwrap().many_times);
        d.kind = "offer".into();
        assert!(d.check(today()).unwrap().many_times);
    }

    #[test]
    fn when_reads_back_as_it_was_kept() {
        for w in ["ongoing", "2026-12-10", "2026-12-10/2026-12-14"] {
            let when = When::parse(w).unwrap();
            let (a, b) = when.stored();
            assert_eq!(When::from_stored(a.as_deref(), b.as_deref()), when);
            assert_eq!(when.code(), w);
        }
    }
}
