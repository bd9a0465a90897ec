//! When things happen: the RRULE-shaped fields of an ORUK schedule (`freq`, `byday`,
//! `opens_at`, `closes_at`), read into weekly or monthly times, said in plain words
//! ("Tuesdays 10am to 12pm"), and checked against "open on a day and time".

use serde::Serialize;
use std::fmt;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "UPPERCASE", ascii_case_insensitive)]
pub enum Weekday {
    Mo,
    Tu,
    We,
    Th,
    Fr,
    Sa,
    Su,
}

impl Weekday {
    pub const ALL: &'static [Weekday] = <Weekday as strum::VariantArray>::VARIANTS;

    /// The iCalendar code: MO, TU, …
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    pub fn name(self) -> &'static str {
        match self {
            Weekday::Mo => "Monday",
            Weekday::Tu => "Tuesday",
            Weekday::We => "Wednesday",
            Weekday::Th => "Thursday",
            Weekday::Fr => "Friday",
            Weekday::Sa => "Saturday",
            Weekday::Su => "Sunday",
        }
    }
}

/// A time of day in minutes after midnight (0..=1440; 1440 is the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(24 * 60);

    pub fn from_hm(h: u16, m: u16) -> Option<Self> {
        // Worked out only once the hour is known to be a real one (2010 * 60 overflows).
        (h < 24 && m < 60).then(|| TimeOfDay(h * 60 + m))
    }

    /// Read "HH:MM", "HH:MM:SS", with an optional "Z" or "+01:00" (the local time is kept:
    /// a community group's "10:00" means ten o'clock where it meets).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let clock = s.split(['Z', 'z', '+']).next().unwrap_or(s);
        // A trailing "-05:00" offset: the clock part is the first 5 or 8 characters.
        let clock = if clock.len() > 8 && clock.as_bytes().get(8) == Some(&b'-') {
            &clock[..8]
        } else if clock.len() > 5 && clock.as_bytes().get(5) == Some(&b'-') {
            &clock[..5]
        } else {
            clock
        };
        let mut parts = clock.split(':');
        let h: u16 = parts.next()?.parse().ok()?;
        let m: u16 = parts.next()?.parse().ok()?;
        if let Some(sec) = parts.next() {
            let sec: u16 = sec.split('.').next()?.parse().ok()?;
            if sec >= 60 {
                return None;
            }
        }
        if parts.next().is_some() {
            return None;
        }
        if h == 24 && m == 0 {
            return Some(Self::END_OF_DAY);
        }
        Self::from_hm(h, m)
    }

    pub fn minutes(self) -> u16 {
        self.0
    }

    /// The time as people say it in Britain: "10am", "2:30pm", "midday", "midnight".
    pub fn words(self) -> String {
        let (h, m) = (self.0 / 60, self.0 % 60);
        match (h, m) {
            (0 | 24, 0) => "midnight".into(),
            (12, 0) => "midday".into(),
            _ => {
                let suffix = if (12..24).contains(&h) { "pm" } else { "am" };
                let h12 = match h % 12 {
                    0 => 12,
                    h => h,
                };
                if m == 0 {
                    format!("{h12}{suffix}")
                } else {
                    format!("{h12}:{m:02}{suffix}")
                }
            }
        }
    }
}

/// "10am to 12:30pm" from two times as typed ("10:00", "12:30"); as typed when either is not
/// a time.
pub fn hours_words(from: &str, to: &str) -> String {
    match (TimeOfDay::parse(from), TimeOfDay::parse(to)) {
        (Some(f), Some(t)) => format!("{} to {}", f.words(), t.words()),
        _ => format!("{from} to {to}"),
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// Which days something happens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Recurrence {
    /// Every week on these days.
    Weekly(Vec<Weekday>),
    /// In some weeks of each month: (occurrence, day), where occurrence 1..=5 counts from the
    /// start of the month and -1 is the last.
    Monthly(Vec<(i8, Weekday)>),
}

/// One schedule: which days, and the hours if known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub recurrence: Recurrence,
    pub opens: Option<TimeOfDay>,
    pub closes: Option<TimeOfDay>,
}

/// Why a schedule could not be read, in words for an import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleProblem(pub String);

impl Schedule {
    /// Read the ORUK fields. `None` when the schedule names no days (it may still have a
    /// description in words, which is shown as it is).
    pub fn from_oruk(
        freq: Option<&str>,
        byday: Option<&str>,
        opens_at: Option<&str>,
        closes_at: Option<&str>,
    ) -> Result<Option<Self>, ScheduleProblem> {
        let Some(byday) = byday.map(str::trim).filter(|b| !b.is_empty()) else {
            return Ok(None);
        };
        let opens = match opens_at.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Some(TimeOfDay::parse(t).ok_or_else(|| {
                ScheduleProblem(format!("opens_at {t:?} is not a time like 10:00"))
            })?),
            None => None,
        };
        let closes = match closes_at.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Some(TimeOfDay::parse(t).ok_or_else(|| {
                ScheduleProblem(format!("closes_at {t:?} is not a time like 12:00"))
            })?),
            None => None,
        };
        let monthly = matches!(freq.map(str::trim), Some(f) if f.eq_ignore_ascii_case("MONTHLY"));
        let mut weekly = Vec::new();
        let mut by_month = Vec::new();
        for part in byday.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let split = part.len().saturating_sub(2);
            let (count, day) = part.split_at(if part.is_char_boundary(split) {
                split
            } else {
                0
            });
            let day = Weekday::parse(day).ok_or_else(|| {
                ScheduleProblem(format!("byday {part:?} is not a day like MO or 2TU"))
            })?;
            if count.is_empty() {
                weekly.push(day);
            } else {
                let n: i8 = count.parse().map_err(|_| {
                    ScheduleProblem(format!("byday {part:?} is not a day like MO or 2TU"))
                })?;
                if !(n == -1 || (1..=5).contains(&n)) {
                    return Err(ScheduleProblem(format!(
                        "byday {part:?}: the week of the month must be 1 to 5, or -1 for the last"
                    )));
                }
                by_month.push((n, day));
            }
        }
        let recurrence = if monthly && !by_month.is_empty() {
            by_month.sort();
            by_month.dedup();
            Recurrence::Monthly(by_month)
        } else {
            // A weekly schedule ignores any week-of-month numbers; a monthly one with plain
            // days means those days in every week of the month.
            weekly.extend(by_month.into_iter().map(|(_, d)| d));
            weekly.sort();
            weekly.dedup();
            Recurrence::Weekly(weekly)
        };
        Ok(Some(Schedule {
            recurrence,
            opens,
            closes,
        }))
    }

    /// The days of the week this can fall on.
    pub fn days(&self) -> Vec<Weekday> {
        let mut days: Vec<Weekday> = match &self.recurrence {
            Recurrence::Weekly(d) => d.clone(),
            Recurrence::Monthly(m) => m.iter().map(|(_, d)| *d).collect(),
        };
        days.sort();
        days.dedup();
        days
    }

    /// Whether it happens on `day` at some time within `from`..`to` (either end open).
    /// Without hours, any time on the day counts.
    pub fn open_during(
        &self,
        day: Weekday,
        from: Option<TimeOfDay>,
        to: Option<TimeOfDay>,
    ) -> bool {
        if !self.days().contains(&day) {
            return false;
        }
        let opens = self.opens.unwrap_or(TimeOfDay(0));
        let closes = self.closes.unwrap_or(TimeOfDay::END_OF_DAY);
        let from = from.unwrap_or(TimeOfDay(0));
        let to = to.unwrap_or(TimeOfDay::END_OF_DAY);
        if from == to {
            // A moment: open at that time.
            return opens <= from && from < closes;
        }
        opens < to && from < closes
    }

    /// Plain words: "Tuesdays 10am to midday", "Weekdays 9am to 5pm", "The first and third
    /// Monday of each month, 2pm to 4pm".
    pub fn words(&self) -> String {
        let hours = match (self.opens, self.closes) {
            (Some(o), Some(c)) => format!("{} to {}", o.words(), c.words()),
            (Some(o), None) => format!("from {}", o.words()),
            (None, Some(c)) => format!("until {}", c.words()),
            (None, None) => String::new(),
        };
        match &self.recurrence {
            Recurrence::Weekly(days) => {
                let when = weekly_words(days);
                if hours.is_empty() {
                    when
                } else {
                    format!("{when} {hours}")
                }
            }
            Recurrence::Monthly(parts) => {
                let mut by_day: Vec<(Weekday, Vec<i8>)> = Vec::new();
                for (n, d) in parts {
                    match by_day.iter_mut().find(|(day, _)| day == d) {
                        Some((_, ns)) => ns.push(*n),
                        None => by_day.push((*d, vec![*n])),
                    }
                }
                let phrases: Vec<String> = by_day
                    .iter()
                    .map(|(d, ns)| {
                        let ords: Vec<&str> = ns.iter().map(|n| ordinal(*n)).collect();
                        format!("{} {}", join_and(&ords), d.name())
                    })
                    .collect();
                let phrases: Vec<&str> = phrases.iter().map(String::as_str).collect();
                let when = format!("The {} of each month", join_and(&phrases));
                if hours.is_empty() {
                    when
                } else {
                    format!("{when}, {hours}")
                }
            }
        }
    }
}

fn ordinal(n: i8) -> &'static str {
    match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        _ => "last",
    }
}

fn weekly_words(days: &[Weekday]) -> String {
    use Weekday::*;
    match days {
        [Mo, Tu, We, Th, Fr, Sa, Su] => "Every day".into(),
        [Mo, Tu, We, Th, Fr] => "Weekdays".into(),
        [Sa, Su] => "Weekends".into(),
        _ => {
            let names: Vec<String> = days.iter().map(|d| format!("{}s", d.name())).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            join_and(&names)
        }
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(freq: &str, byday: &str, opens: &str, closes: &str) -> Schedule {
        match Schedule::from_oruk(Some(freq), Some(byday), Some(opens), Some(closes)) {
            Ok(Some(s)) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn schedules_in_plain_words() {
        assert_eq!(
            read("WEEKLY", "TU", "10:00", "12:00").words(),
            "Tuesdays 10am to midday"
        );
        assert_eq!(
            read("WEEKLY", "TH,MO", "09:30:00", "11:00:00Z").words(),
            "Mondays and Thursdays 9:30am to 11am"
        );
        assert_eq!(
            read("WEEKLY", "MO,WE,FR", "", "").words(),
            "Mondays, Wednesdays and Fridays"
        );
        assert_eq!(
            read("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00").words(),
            "Weekdays 9am to 5pm"
        );
        assert_eq!(
            read("WEEKLY", "SU,SA", "10:00", "").words(),
            "Weekends from 10am"
        );
        assert_eq!(
            read("MONTHLY", "1MO,3MO", "14:00", "16:00").words(),
            "The first and third Monday of each month, 2pm to 4pm"
        );
        assert_eq!(
            read("MONTHLY", "-1FR", "", "").words(),
            "The last Friday of each month"
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let e = Schedule::from_oruk(Some("WEEKLY"), Some("TUESDAY"), None, None);
        assert!(matches!(e, Err(ScheduleProblem(m)) if m.contains("byday")));
        let e = Schedule::from_oruk(Some("WEEKLY"), Some("TU"), Some("25:00"), None);
        assert!(matches!(e, Err(ScheduleProblem(m)) if m.contains("opens_at")));
        let e = Schedule::from_oruk(Some("MONTHLY"), Some("7MO"), None, None);
        assert!(e.is_err());
        assert_eq!(
            Schedule::from_oruk(Some("WEEKLY"), None, Some("10:00"), None),
            Ok(None)
        );
    }

    #[test]
    fn open_during_a_day_and_time() {
        let s = read("WEEKLY", "TU", "10:00", "12:00");
        let t = |h, m| TimeOfDay::from_hm(h, m);
        assert!(s.open_during(Weekday::Tu, None, None));
        assert!(!s.open_during(Weekday::We, None, None));
        assert!(
            s.open_during(Weekday::Tu, t(9, 0), t(10, 30)),
            "overlaps the morning"
        );
        assert!(
            !s.open_during(Weekday::Tu, t(12, 0), t(14, 0)),
            "closed by noon"
        );
        assert!(
            s.open_during(Weekday::Tu, t(11, 0), t(11, 0)),
            "open at 11:00"
        );
        assert!(
            !s.open_during(Weekday::Tu, t(12, 0), t(12, 0)),
            "not at 12:00 exactly"
        );
    }

    #[test]
    fn times_in_the_forms_feeds_use() {
        for (s, m) in [
            ("10:00", 600),
            ("10:00:00", 600),
            ("09:00Z", 540),
            ("09:00-05:00", 540),
            ("18:30:00+01:00", 1110),
            ("24:00", 1440),
        ] {
            assert_eq!(TimeOfDay::parse(s).map(TimeOfDay::minutes), Some(m), "{s}");
        }
        // Hours far past the day (found by the fuzzer: 2010 * 60 overflowed).
        for s in [
            "",
            "10",
            "10:60",
            "ab:cd",
            "10:00:99",
            "1:2:3:4",
            "2010:2:00",
            "65535:59",
        ] {
            assert_eq!(TimeOfDay::parse(s), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn reading_never_panics(freq in "\\PC{0,8}", byday in "\\PC{0,12}", o in "\\PC{0,10}", c in "\\PC{0,10}") {
            if let Ok(Some(s)) = Schedule::from_oruk(Some(&freq), Some(&byday), Some(&o), Some(&c)) {
                let _ = s.words();
            }
        }

        #[test]
        fn a_window_inside_the_hours_is_always_open(day in 0usize..7, open in 0u16..1200, len in 1u16..200, a in 0u16..200, b in 0u16..200) {
            let d = Weekday::ALL[day];
            let s = Schedule { recurrence: Recurrence::Weekly(vec![d]), opens: Some(TimeOfDay(open)), closes: Some(TimeOfDay(open + len)) };
            let from = TimeOfDay(open + a.min(len - 1));
            let to = TimeOfDay(open + (a.min(len - 1) + b).min(len));
            prop_assert!(s.open_during(d, Some(from), Some(to)));
        }
    }
}
